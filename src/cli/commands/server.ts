/** `keel server`: the MLflow-compatible tracking and registry server. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { isKeelError, show } from "../../core/index.js";
import { startServer } from "../../server/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";

interface Flags {
  port: string;
  host: string;
  store?: string;
  artifacts?: string;
  log?: boolean;
  serve: string[];
  json?: boolean;
}

export function registerServer(program: Command): void {
  const cmd = program
    .command("server")
    .description(COMMAND_INFO.server.description)
    .option("-p, --port <port>", "port to listen on (0 = any free port)", "5000")
    .option("-H, --host <host>", "address to bind (anything but loopback needs API tokens: keel token create)", "127.0.0.1")
    .option("--store <url>", "tracking store: a SQLite path or postgres://... (default: $KEEL_STORE, else .keel/keel.db)")
    .option("--artifacts <dir>", "artifact root for new experiments (default: beside the store)")
    .option("--log", "print one line per request")
    .option("--serve <model-ref>", "also serve this model for prediction (Open Inference Protocol v2, /invocations, /metrics), as keel serve does; repeatable", (v: string, prev: string[]) => [...prev, v], []);
  jsonOption(cmd, "print where it listens as one JSON line {url, store, artifacts, auth}");
  withExamples(cmd, "keel server --port 5000", "keel server --serve models:/credit@champion", "keel token create --role admin --name ops && keel server --host 0.0.0.0 --store postgres://keel@db/keel");
  cmd.action(
    action(async (flags: Flags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${show(flags.port)} is not a port number (0-65535)`, { path: "--port", received: flags.port });
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer({
          host: flags.host,
          port,
          store: flags.store,
          artifacts: flags.artifacts,
          serve: flags.serve.map((ref) => ({ ref })),
          onInternalError: (e, req) => process.stderr.write(`keel server: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}\n`),
          ...(flags.log ? { onRequestLog: (line: string) => process.stdout.write(line + "\n") } : {}),
        });
      } catch (e) {
        // a taken port or an address that is not this machine's: the flags are wrong (usage), not Keel
        if (isKeelError(e) && e.code === "INVALID_INPUT" && (e.path === "port" || e.path === "host")) {
          throw new UsageError(`--${e.path}: ${e.message}`, { path: `--${e.path}`, expected: e.expected, received: e.received, cause: e });
        }
        throw e;
      }
      const auth = server.auth ? "API tokens required" : "open (no tokens; loopback only)";
      if (flags.json) process.stdout.write(JSON.stringify({ url: server.url, store: server.store.uri, artifacts: server.store.artifactRoot, auth: server.auth ? "tokens" : "open" }) + "\n");
      else process.stdout.write(`keel server listening on ${server.url}\n  store: ${server.store.uri}\n  artifacts: ${server.store.artifactRoot}\n  auth: ${auth}\n  web UI: ${server.url}/\n  MLflow clients: MLFLOW_TRACKING_URI=${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      if (!flags.json) process.stdout.write("keel server: shutting down\n");
      await server.close();
    }),
  );
}
