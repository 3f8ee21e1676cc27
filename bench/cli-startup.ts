/**
 * CLI start-up: wall time of `keel --version`, `keel --help` and an unchanged, fully cached
 * `keel run examples/credit` (on a copy, after one run that fills the cache), each run as a user
 * runs it — `node bin/keel.js` on the compiled dist/ (built first). Anchor: `node -e 0`, the
 * floor any Node command pays. Targets (issue 10): --version and --help ≤ 150 ms, the cached run
 * ≤ 0.6 s. Prints the median and the fastest wall time of ROUNDS runs (a shared machine adds
 * noise, never removes it), the median CPU time (user + system, from /usr/bin/time when present:
 * what the command costs, whatever else the machine runs), the load average, and each median's
 * ratio to the anchor's.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 15);

const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);

const keel = path.join(root, "bin/keel.js");
const project = mkdtempSync(path.join(os.tmpdir(), "keel-bench-startup-"));
cpSync(path.join(root, "examples/credit/keel.yaml"), path.join(project, "keel.yaml"));
cpSync(path.join(root, "examples/credit/credit_data.csv"), path.join(project, "credit_data.csv"));
const env: NodeJS.ProcessEnv = { ...process.env, KEEL_PROGRESS: "0" };
delete env.KEEL_STORE;

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** One run: wall ms, and CPU ms (user + system) when /usr/bin/time can tell. */
function once(args: string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = TIME ? spawnSync(TIME, ["-f", "KEEL_CPU %U %S", process.execPath, ...args], { cwd: root, env, encoding: "utf8" }) : spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}:\n${r.stderr}`);
  const m = /KEEL_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function measure(label: string, args: string[]): number {
  once(args); // warm the file cache
  const runs = Array.from({ length: ROUNDS }, () => once(args));
  const wall = runs.map((r) => r.wall);
  const m = median(wall);
  const cpu = median(runs.map((r) => r.cpu));
  console.log(`${label.padEnd(34)} wall median ${m.toFixed(0).padStart(5)} ms, fastest ${Math.min(...wall).toFixed(0).padStart(5)} ms; CPU median ${Number.isNaN(cpu) ? "  n/a" : cpu.toFixed(0).padStart(5)} ms`);
  return m;
}

try {
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(", ")} on ${os.cpus().length} cores; ${ROUNDS} runs each`);
  console.log(`filling the cache: keel run on a copy of examples/credit (${project}) ...`);
  once([keel, "run", project]);
  const floor = measure("node -e 0 (anchor)", ["-e", "0"]);
  const rows: [string, number, number][] = [
    ["keel --version", measure("keel --version", [keel, "--version"]), 150],
    ["keel --help", measure("keel --help", [keel, "--help"]), 150],
    ["keel run examples/credit (cached)", measure("keel run examples/credit (cached)", [keel, "run", project]), 600],
  ];
  console.log("");
  for (const [label, ms, target] of rows) console.log(`${label.padEnd(34)} ${(ms / floor).toFixed(2)}× node -e 0; target ${target} ms: ${ms <= target ? "met" : "NOT met"}`);
} finally {
  rmSync(project, { recursive: true, force: true });
}
