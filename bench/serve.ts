/**
 * Serving throughput (issue 13 goal: ≥ 10,000 requests/s, p99 ≤ 5 ms, ≥ 0.5× the bare handler).
 * Trains the 100-tree GBDT of examples/credit, serves it with `keel serve`'s `startServe` in a
 * child process (prediction log on, JSON lines, as by default), and drives it with `wrk -t1 -c16
 * -d15s` posting a one-row JSON body to `/invocations` (dataframe_split) and to
 * `/v2/models/credit/infer`. The anchor, in the same run: a bare fastify handler in its own
 * process answering the same POST with a constant. Also the p50 latency of a 1,000-row request,
 * each server's CPU time per request (from /proc: steadier than req/s on a shared machine), and its
 * GC pauses during the run (--trace-gc: pauses over 2 ms and full collections, the tail's usual cause).
 * Anchors measured on this kind of machine (FIELD-NOTES): Flask + gunicorn 476 req/s, p99 54 ms;
 * FastAPI + uvicorn 302 req/s, p99 92 ms; bare fastify ≈ 20,400 req/s.
 *
 *   node --import tsx bench/serve.ts [--duration 15] [--connections 16]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const GOAL_RPS = 10_000;
const GOAL_P99_MS = 5;
const GOAL_RATIO = 0.5;
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), "..");

if (args[0] === "--child") {
  if (args[1] === "bare") {
    const { default: Fastify } = await import("fastify");
    const app = Fastify({ logger: false });
    const answer = { predictions: [{ prediction: "good", proba_bad: 0.25, proba_good: 0.75 }] };
    app.post("/", async () => answer);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const a = app.server.address() as { port: number };
    process.stdout.write(`URL http://127.0.0.1:${a.port}\n`);
    process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
  } else {
    // the package root: it registers every estimator kind, as an entry point must before a model loads
    const { startServe } = await import("../src/index.js");
    const s = await startServe({ models: [{ ref: args[2], name: "credit" }], port: 0, logDir: args[3], watch: false });
    process.stdout.write(`URL ${s.url}\n`);
    process.on("SIGTERM", () => void s.close().then(() => process.exit(0)));
  }
} else {
  const duration = opt("duration", 15);
  const connections = opt("connections", 16);
  if (spawnSync("wrk", ["--version"]).error) {
    console.error("bench/serve needs wrk (Debian: apt-get install wrk)");
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bench-serve-"));
  const { autoPipeline, gbdtClassifier, readTable, saveModel } = await import("../src/index.js");
  const data = await readTable(path.join(root, "examples/credit/credit_data.csv"));
  const t0 = performance.now();
  const fitted = await autoPipeline(gbdtClassifier({ maxIter: 100 })).fit(data, { target: "Status", threads: 1 });
  const modelDir = path.join(dir, "credit");
  saveModel(fitted, modelDir);
  console.log(`trained the 100-tree GBDT of examples/credit in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // One row, and 1,000 rows, of examples/credit (without the target), as requests.
  const [head, ...lines] = readFileSync(path.join(root, "examples/credit/credit_data.csv"), "utf8").trim().split("\n");
  const cols = head.split(",").map((c) => JSON.parse(c) as string);
  const keep = cols.map((c, j) => (c === "Status" ? -1 : j)).filter((j) => j >= 0);
  const rows = lines.map((l) => {
    const cells = l.split(",");
    return keep.map((j) => (cells[j] === "" || cells[j] === "NA" ? null : cells[j].startsWith('"') ? (JSON.parse(cells[j]) as string) : Number(cells[j])));
  });
  const columns = keep.map((j) => cols[j]);
  const oneRowMlflow = JSON.stringify({ dataframe_split: { columns, data: [rows[0]] } });
  const oneRowV2 = JSON.stringify({
    inputs: columns.map((c, k) => {
      const v = rows[0][k];
      return { name: c, shape: [1], datatype: typeof v === "string" ? "BYTES" : "FP64", data: [v] };
    }),
  });
  const thousand = JSON.stringify({ dataframe_split: { columns, data: rows.slice(0, 1000) } });

  /** A server in its own process, run with --trace-gc: its stdout (the GC trace) is kept in `trace`. */
  const start = async (mode: string[]): Promise<{ child: ChildProcess; url: string; trace: { text: string } }> => {
    const child = spawn(process.execPath, ["--trace-gc", "--import", "tsx", here, "--child", ...mode], { stdio: ["ignore", "pipe", "inherit"] });
    const trace = { text: "" };
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (d) => {
        trace.text += d;
        const m = /URL (\S+)/.exec(trace.text);
        if (m) resolve(m[1]);
      });
      child.on("exit", (c) => reject(new Error(`server exited with ${c}`)));
    });
    return { child, url, trace };
  };
  /**
   * GC in a stretch of --trace-gc output: the pauses (each line's "MB, <pause> / <external> ms"),
   * how many exceeded 2 ms, and how many were mark-compacts (full collections: the long pauses,
   * whatever the machine's load; scavenges stay short unless the process waits for a core).
   */
  const gcOf = (text: string) => {
    let over2 = 0;
    let markCompacts = 0;
    let pauses = 0;
    let scavenges = 0;
    for (const m of text.matchAll(/: (Scavenge|Mark-Compact|Minor Mark-Sweep|Mark-Sweep)\b[^\n]*?MB, ([\d.]+) \//g)) {
      pauses++;
      if (m[1] === "Mark-Compact" || m[1] === "Mark-Sweep") markCompacts++;
      else scavenges++;
      if (Number(m[2]) > 2) over2++;
    }
    return { pauses, over2, markCompacts, scavenges };
  };
  const stop = async (child: ChildProcess) => {
    const done = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await done;
  };

  interface Result {
    label: string;
    rps: number;
    p50: number;
    p99: number;
    non2xx: number;
    /** The server's CPU time (all its threads, user + system) per request answered, in µs. */
    cpuUs: number;
    /** GC during the run, per 10 s: pauses over 2 ms, and mark-compacts; scavenges per 1,000 requests (the garbage a request leaves). */
    gcOver2: number;
    markCompacts: number;
    scavengesPerK: number;
  }
  /** CPU seconds a process has used, all threads (Linux /proc; NaN elsewhere). */
  const cpuSeconds = (pid: number): number => {
    try {
      const tick = 100;
      return readdirSync(`/proc/${pid}/task`).reduce((sum, t) => {
        const f = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
        const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
        return sum + (Number(fields[11]) + Number(fields[12])) / tick;
      }, 0);
    } catch {
      return NaN;
    }
  };
  const results: Result[] = [];
  const wrk = async (label: string, url: string, body: string, server: { child: ChildProcess; trace: { text: string } }): Promise<Result> => {
    const pid = server.child.pid!;
    const script = path.join(dir, `${results.length}.lua`);
    writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`);
    // a short warm-up so the JIT has seen the route
    spawnSync("wrk", ["-t1", `-c${connections}`, "-d2s", "-s", script, url], { encoding: "utf8" });
    const cpu0 = cpuSeconds(pid);
    const traced = server.trace.text.length;
    const r = spawnSync("wrk", ["-t1", `-c${connections}`, `-d${duration}s`, "--latency", "-s", script, url], { encoding: "utf8" });
    const cpu1 = cpuSeconds(pid);
    // the trace of the run reaches the pipe a moment later
    await new Promise((done) => setTimeout(done, 100));
    const gc = gcOf(server.trace.text.slice(traced));
    const out = r.stdout;
    const answered = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
    const ms = (s: string) => {
      const m = /([\d.]+)(us|ms|s)\b/.exec(s);
      if (!m) return NaN;
      return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
    };
    const line = (p: string) => new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m").exec(out)?.[1] ?? "";
    const result = {
      label,
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
      p50: ms(line("50")),
      p99: ms(line("99")),
      non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
      cpuUs: ((cpu1 - cpu0) * 1e6) / answered,
      gcOver2: (gc.over2 * 10) / duration,
      markCompacts: (gc.markCompacts * 10) / duration,
      scavengesPerK: (gc.scavenges * 1000) / answered,
    };
    if (!Number.isFinite(result.rps)) console.error(out, r.stderr);
    results.push(result);
    return result;
  };

  const bare = await start(["bare"]);
  await wrk("bare fastify handler (anchor)", bare.url + "/", oneRowMlflow, bare);
  await stop(bare.child);

  const keel = await start(["keel", modelDir, path.join(dir, "predictions")]);
  await wrk("keel serve POST /invocations, 1 row", keel.url + "/invocations", oneRowMlflow, keel);
  await wrk("keel serve POST /v2/models/credit/infer, 1 row", keel.url + "/v2/models/credit/infer", oneRowV2, keel);
  // 1,000 rows per request, one at a time
  const lat: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    const res = await fetch(keel.url + "/invocations", { method: "POST", headers: { "content-type": "application/json" }, body: thousand });
    if (res.status !== 200) throw new Error(`1,000-row request: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    if (i >= 10) lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  await stop(keel.child);
  rmSync(dir, { recursive: true, force: true });

  const anchor = results[0].rps;
  console.log(`\nwrk -t1 -c${connections} -d${duration}s, each server one process (${os.cpus().length} cores)`);
  const anchorCpu = results[0].cpuUs;
  console.log(`${"".padEnd(50)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"non-2xx".padStart(8)} ${"vs bare".padStart(8)} ${"CPU µs/req".padStart(11)} ${"bare/this".padStart(9)} ${"GC>2ms/10s".padStart(10)} ${"MC/10s".padStart(7)} ${"young/1k".padStart(8)}`);
  for (const r of results) {
    console.log(
      `${r.label.padEnd(50)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.non2xx).padStart(8)} ${(r.rps / anchor).toFixed(2).padStart(8)} ${r.cpuUs.toFixed(1).padStart(11)} ${(anchorCpu / r.cpuUs).toFixed(2).padStart(9)} ${r.gcOver2.toFixed(1).padStart(10)} ${r.markCompacts.toFixed(1).padStart(7)} ${r.scavengesPerK.toFixed(2).padStart(8)}`,
    );
  }
  console.log("CPU µs/req: the server's CPU time (all threads) per request answered; bare/this is the rate ratio a server would reach with a core to itself — steadier than req/s when other processes share the cores.");
  console.log("GC>2ms/10s: garbage-collection pauses over 2 ms per 10 s (--trace-gc; inflated when the process waits for a core); MC/10s: mark-compacts (full collections) per 10 s, whatever the load; young/1k: young-generation collections per 1,000 requests (the garbage a request leaves).");
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`1,000-row request to /invocations: p50 ${lat[Math.floor(lat.length / 2)].toFixed(1)} ms, p90 ${lat[Math.floor(lat.length * 0.9)].toFixed(1)} ms (${lat.length} requests, one at a time)`);
  for (const r of results.slice(1)) {
    const ok = r.rps >= GOAL_RPS && r.p99 <= GOAL_P99_MS && r.rps / anchor >= GOAL_RATIO;
    console.log(`${r.label}: goal ≥ ${GOAL_RPS} req/s, p99 ≤ ${GOAL_P99_MS} ms, ≥ ${GOAL_RATIO}× bare → ${ok ? "met" : "not met"}`);
  }
  console.log("Anchors (FIELD-NOTES, same kind of machine): Flask + gunicorn 476 req/s p99 54 ms; FastAPI + uvicorn 302 req/s p99 92 ms.");
}
