/** `keel serve`: the data plane — models behind the Open Inference Protocol v2 and MLflow's `/invocations`. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { show } from "../../core/errors.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { MODEL_ARGUMENT } from "./model-ref.js";

export interface ServeFlags {
  port: string;
  host: string;
  store?: string;
  name: string[];
  default?: string;
  metricsToken?: string;
  log?: boolean;
  logDir?: string;
  predictionLog: boolean;
  logMaxMb: number;
  logRetentionDays: number;
  canary: string[];
  shadow: string[];
  json?: boolean;
  hotSwap: boolean;
  pollMs: number;
  workers: number;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The options of `keel serve` (the deploy/ manifests are checked against these). */
export function serveCommand(program: Command): Command {
  const cmd = program
    .command("serve")
    .description(COMMAND_INFO.serve.description)
    .argument("<model-ref...>", `${MODEL_ARGUMENT}; several models are served side by side, each under its name`)
    .option("-p, --port <port>", "port to listen on (0 = any free port)", "8080")
    .option("-H, --host <host>", "address to bind (anything but loopback needs API tokens: keel token create)", "127.0.0.1")
    .option("--store <url>", "the store models:/ references (and API tokens) are looked up in: a SQLite path, postgres://... or a keel server URL (default: as keel models)")
    .option("--name <name>", "the name a model answers as, one per model-ref in order (default: the registered name, or the folder's name)", collect, [])
    .option("--canary <ref=weight>", "a canary version answering weight % of requests, sticky by the X-Keel-Key header (e.g. models:/credit@challenger=10); repeatable, one per model", collect, [])
    .option("--shadow <ref>", "a shadow version: gets a copy of every request, never answers; its answers go to the prediction log; repeatable", collect, [])
    .option("--workers <n>", "processes answering on the one port (node:cluster; /metrics sums them all); 1 = this process only", positiveInt("--workers"), 1)
    .option("--no-hot-swap", "pin the versions loaded at start (default: follow aliases, latest and stages in the registry, swapping a moved version in without failing a request)")
    .option("--poll-ms <ms>", "how often the registry is asked whether an alias moved", positiveInt("--poll-ms"), 1000)
    .option("--default <name>", "the model POST /invocations answers for (default: the first)")
    .option("--metrics-token <token>", "require this bearer token on /metrics (default: open, for Prometheus)")
    .option("--log", "print one line per request")
    .option("--log-dir <dir>", "prediction log folder, JSON lines (default: .keel/predictions in the project; a PostgreSQL store logs to its keel_predictions table)")
    .option("--no-prediction-log", "keep no prediction log")
    .option("--log-max-mb <n>", "start a new prediction log file past this size", positiveInt("--log-max-mb"), 100)
    .option("--log-retention-days <n>", "remove prediction log files older than this (0 = keep all)", positiveInt("--log-retention-days", 0), 30);
  jsonOption(cmd, "print where it listens as one JSON line {url, models, auth}");
  withExamples(
    cmd,
    "keel serve models:/credit@champion --port 8080",
    "curl -s localhost:8080/invocations -H 'content-type: application/json' -d '{\"dataframe_records\": [{\"Seniority\": 9, \"Home\": \"rent\", \"Time\": 60, \"Age\": 30, \"Marital\": \"married\", \"Records\": \"no\", \"Job\": \"freelance\", \"Expenses\": 73, \"Income\": 129, \"Assets\": 0, \"Debt\": 0, \"Amount\": 800, \"Price\": 846}]}'",
    "keel serve models:/credit@champion credit-v2-folder --name credit --name credit-next --default credit --store postgres://keel@db/keel --host 0.0.0.0",
  );
  return cmd;
}

/** `ref=weight` → the canary's reference and weight in percent. */
export function parseCanary(text: string): { ref: string; weight: number } {
  const m = /^(.+)=(\d+(?:\.\d+)?)$/.exec(text);
  const weight = m ? Number(m[2]) : NaN;
  if (!m || !(weight >= 0 && weight <= 100)) throw new UsageError(`--canary ${show(text)}: expected <model-ref>=<weight in percent, 0-100>, e.g. models:/credit@challenger=10`, { path: "--canary", expected: "ref=weight", received: text });
  return { ref: m[1], weight };
}

export function registerServe(program: Command): void {
  const cmd = serveCommand(program);
  cmd.action(
    action(async (refs: string[], flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${show(flags.port)} is not a port number (0-65535)`, { path: "--port", received: flags.port });
      if (flags.name.length > refs.length) throw new UsageError(`${flags.name.length} --name options for ${refs.length} model reference${refs.length === 1 ? "" : "s"}: give at most one name per model`, { path: "--name", received: flags.name });
      const [{ startServe, runServeCluster, joinServeCluster, isServeWorker }, { isLoopback, openTokenStore, checkExposure }] = await Promise.all([import("../../serve/index.js"), import("../../server/index.js")]);
      const worker = isServeWorker();
      if (flags.workers > 1 && !worker) {
        // the primary: starts the workers (each runs this command), loads no model itself
        await runServeCluster({
          workers: flags.workers,
          onReady: (url, pids) => process.stdout.write(`keel serve listening on ${url} with ${pids.length} workers (pids ${pids.join(", ")})\n  Open Inference Protocol: ${url}/v2/models/<name>/infer   MLflow: ${url}/invocations   metrics (all workers): ${url}/metrics\n`),
          onExit: (pid, code, signal, replaced) => {
            if (replaced) process.stderr.write(`keel serve: worker ${pid} exited (${code ?? signal}); starting another\n`);
          },
        });
        process.stdout.write("keel serve: stopped\n");
        return;
      }
      let tokens: Awaited<ReturnType<typeof openTokenStore>> | null = null;
      const requireTokens = !isLoopback(flags.host);
      if (requireTokens) {
        tokens = await openTokenStore(flags.store);
        await checkExposure(flags.host, tokens);
      }
      try {
        const server = await startServe({
          models: refs.map((ref, i) => ({ ref, name: flags.name[i] })),
          host: flags.host,
          port,
          store: flags.store,
          defaultModel: flags.default,
          canary: flags.canary.map(parseCanary),
          shadow: flags.shadow.map((ref) => ({ ref })),
          predictionLog: flags.predictionLog ? "default" : false,
          logDir: flags.logDir,
          logFiles: { maxBytes: flags.logMaxMb * 1024 * 1024, retentionDays: flags.logRetentionDays, ...(worker ? { worker: (await import("node:cluster")).default.worker!.id } : {}) },
          requireTokens,
          tokens: tokens ? { verify: (t) => tokens!.verify(t) } : undefined,
          metricsToken: flags.metricsToken,
          watch: flags.hotSwap ? { intervalMs: flags.pollMs, onSwap: (e) => process.stdout.write(`keel serve: ${e.model} (${e.role}) ${e.ref} moved: version ${e.from} → ${e.to}${e.loadMs ? ` (loaded and warmed in ${e.loadMs.toFixed(0)} ms)` : " (kept from before)"}\n`), onError: (e, ref) => process.stderr.write(`keel serve: could not follow ${ref}: ${(e as Error)?.message ?? String(e)}\n`) } : false,
          ...(flags.log ? { onRequestLog: (line: string) => process.stdout.write(line + "\n") } : {}),
          onInternalError: (e, req) => process.stderr.write(`keel serve: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}\n`),
        });
        if (worker) server.state.metricsText = joinServeCluster(server.state.metrics, server.url);
        const models = server.state.models.all();
        const lines = models.map((e) => `  ${e.name}: version ${e.live.version} (${e.live.info.source})${e.name === server.state.models.defaultName ? "  ← /invocations" : ""}`);
        const quiet = flags.json || worker;
        if (worker) {
          // the primary announces the cluster
        } else if (flags.json) process.stdout.write(JSON.stringify({ url: server.url, models: models.map((e) => ({ name: e.name, version: e.live.version, source: e.live.info.source, default: e.name === server.state.models.defaultName })), auth: requireTokens ? "tokens" : "open" }) + "\n");
        else process.stdout.write(`keel serve listening on ${server.url}\n${lines.join("\n")}\n  auth: ${requireTokens ? "API tokens required (health and /metrics open)" : "open (loopback only)"}\n  Open Inference Protocol: ${server.url}/v2/models/<name>/infer   MLflow: ${server.url}/invocations   metrics: ${server.url}/metrics\n`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
          if (worker) process.once("disconnect", resolve);
        });
        if (!quiet) process.stdout.write(`keel serve: draining ${server.state.inFlight} request${server.state.inFlight === 1 ? "" : "s"} in flight\n`);
        await server.close();
        if (!quiet) process.stdout.write("keel serve: stopped\n");
        // a worker's channel to the primary would keep it alive
        if (worker && process.connected) process.disconnect?.();
      } finally {
        await tokens?.close();
      }
    }),
  );
}
