/** `keel serve`: the data plane — models behind the Open Inference Protocol v2 and MLflow's `/invocations`. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { show } from "../../core/index.js";
import { action, jsonOption, positiveInt, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { MODEL_ARGUMENT } from "./model-ref.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { findProjectDir } from "../../backend/index.js";
import { loadProject, type ServeBlock } from "../../project/index.js";
import { parseModelRef } from "../../registry/index.js";

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
  batchRows?: number;
  batchWaitMs: number;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The options of `keel serve` (the deploy/ manifests are checked against these). */
export function serveCommand(program: Command): Command {
  const cmd = program
    .command("serve")
    .description(COMMAND_INFO.serve.description)
    .argument("[model-ref...]", `${MODEL_ARGUMENT}; several models are served side by side, each under its name (default: the serve: block of keel.yaml, else models:/<project>@champion)`)
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
    .option("--log-retention-days <n>", "remove prediction log files older than this (0 = keep all)", positiveInt("--log-retention-days", 0), 30)
    .option("--batch-rows <n>", "micro-batching: predict concurrent requests to one version together once they hold this many rows (default: off)", positiveInt("--batch-rows"))
    .option("--batch-wait-ms <ms>", "micro-batching: ... or once the first has waited this long", positiveInt("--batch-wait-ms", 0), 2)
    .addHelpText("after", "\nIn a project folder, the serve: block of keel.yaml (models, canary, shadow, workers, batching, log) sets what these flags leave unset.");
  jsonOption(cmd, "print where it listens as one JSON line {url, models, auth}");
  withExamples(
    cmd,
    "keel serve models:/credit@champion --port 8080",
    "curl -s localhost:8080/invocations -H 'content-type: application/json' -d '{\"dataframe_records\": [{\"Seniority\": 9, \"Home\": \"rent\", \"Time\": 60, \"Age\": 30, \"Marital\": \"married\", \"Records\": \"no\", \"Job\": \"freelance\", \"Expenses\": 73, \"Income\": 129, \"Assets\": 0, \"Debt\": 0, \"Amount\": 800, \"Price\": 846}]}'",
    "keel serve models:/credit@champion credit-v2-folder --name credit --name credit-next --default credit --store postgres://keel@db/keel --host 0.0.0.0",
    "keel serve --batch-rows 64 --batch-wait-ms 2   # in a project folder: what keel.yaml's serve: block says, with micro-batching",
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

/** The model references and flags of `keel serve`, with what keel.yaml's `serve:` block sets where no flag was given. */
export function withServeBlock(refs: string[], flags: ServeFlags, given: (flag: keyof ServeFlags) => boolean, project: { dir: string; name: string; serve: ServeBlock | null } | null): { refs: string[]; flags: ServeFlags } {
  if (!project) {
    if (refs.length === 0) throw new UsageError("keel serve: give a model reference (models:/<name>@<alias>, models:/<name>/<version> or a model folder), or run it in a project folder (keel.yaml)", { path: "model-ref", expected: "a model reference" });
    return { refs, flags };
  }
  const b = project.serve ?? {};
  const local = (ref: string) => (parseModelRef(ref).kind === "path" ? path.resolve(project.dir, ref) : ref);
  const out: ServeFlags = { ...flags };
  if (refs.length === 0) {
    const models = b.models ?? [`models:/${project.name}@champion`];
    refs = models.map((m) => local(typeof m === "string" ? m : m.ref));
    // a name the block gives; else the model's own (its registered name, or its folder's)
    if (!given("name")) out.name = models.map((m) => (typeof m === "string" ? undefined : m.name)) as string[];
  }
  const set = <K extends keyof ServeFlags>(flag: K, value: ServeFlags[K] | undefined) => {
    if (value !== undefined && !given(flag)) out[flag] = value;
  };
  set("default", b.default);
  set("host", b.host);
  set("port", b.port === undefined ? undefined : String(b.port));
  set("workers", b.workers);
  const list = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  set("canary", list(b.canary)?.map((c) => `${local(c.ref)}=${c.weight}${c.model === undefined ? "" : `@@${c.model}`}`));
  set("shadow", list(b.shadow)?.map((sh) => (typeof sh === "string" ? local(sh) : `${local(sh.ref)}${sh.model === undefined ? "" : `@@${sh.model}`}`)));
  set("hotSwap", b.hot_swap);
  set("pollMs", b.poll_ms);
  if (b.batching) {
    set("batchRows", b.batching.max_rows);
    set("batchWaitMs", b.batching.max_wait_ms);
  }
  set("predictionLog", b.log?.enabled);
  set("logDir", b.log?.dir === undefined ? undefined : path.resolve(project.dir, b.log.dir));
  set("logMaxMb", b.log?.max_mb);
  set("logRetentionDays", b.log?.retention_days);
  return { refs, flags: out };
}

/** `ref` or `ref@@model` (the endpoint a keel.yaml canary or shadow joins). */
function splitEndpoint(text: string): { ref: string; model?: string } {
  const i = text.lastIndexOf("@@");
  return i < 0 ? { ref: text } : { ref: text.slice(0, i), model: text.slice(i + 2) };
}

export function registerServe(program: Command): void {
  const cmd = serveCommand(program);
  cmd.action(
    action(async (cliRefs: string[], cliFlags: ServeFlags) => {
      const projectDir = findProjectDir();
      const hasProject = existsSync(path.join(projectDir, "keel.yaml")) || existsSync(path.join(projectDir, "keel.yml"));
      const project = hasProject ? loadProject(projectDir) : null;
      const given = (flag: keyof ServeFlags) => {
        const source = cmd.getOptionValueSource(flag);
        return source === "cli" || source === "env";
      };
      const { refs, flags } = withServeBlock(cliRefs, cliFlags, given, project ? { dir: project.dir, name: project.config.name, serve: project.config.serve } : null);
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
          canary: flags.canary.map((c) => {
            const { ref, model } = splitEndpoint(c);
            return { ...parseCanary(ref), ...(model === undefined ? {} : { model }) };
          }),
          shadow: flags.shadow.map(splitEndpoint),
          ...(flags.batchRows === undefined ? {} : { batching: { maxRows: flags.batchRows, maxWaitMs: flags.batchWaitMs } }),
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
