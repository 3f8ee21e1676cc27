/**
 * Drift on flights-3m (npm `vega-datasets`): January–February (966k flights) against May–June
 * (1.02M), 7 columns — delay, distance, departure hour, weekday (numeric); origin, destination
 * (categorical, ~300 airports); late = delay > 15 (boolean) — every statistic per column (KS,
 * normalised Wasserstein, PSI and Jensen–Shannon over deciles; χ², PSI, JS over categories).
 * Goal (issue 14): ≤ 1 s, and ≤ 0.2× numpy / SciPy computing the same statistics in the same run
 * (bench/drift-scipy.py, timed here; loading excluded on both sides). Anchor measured on this kind of
 * machine: SciPy 6.1 s. Also prints the agreement with SciPy, the data-quality pass and the HTML
 * report's size.
 *
 *   node --import tsx bench/drift.ts [runs=3]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Column, concatColumns } from "../src/data/column.js";
import type { Frame } from "../src/data/frame.js";
import { closeDuckDb, readTable } from "../src/data/io/index.js";
import { dataDrift, dataQuality, driftReportToHtml, qualityReference } from "../src/monitor/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(here, "../node_modules/vega-datasets/data/flights-3m.parquet");
const runs = Math.max(1, Number(process.argv[2] ?? 3));
const GOAL_S = 1;
const GOAL_RATIO = 0.2;
const ANCHOR_SCIPY_S = 6.1;

const query = (months: string) =>
  `sql:SELECT delay, distance, hour(date) AS hour, dayofweek(date) AS weekday, origin, destination, delay > 15 AS late FROM '${file}' WHERE month(date) IN (${months})`;
const kinds = { origin: "categorical", destination: "categorical" } as const;

let t = performance.now();
const reference = await readTable(query("1, 2"), { kinds });
const current = await readTable(query("5, 6"), { kinds });
const loadS = (performance.now() - t) / 1000;
await closeDuckDb();
console.log(`loaded Jan–Feb ${reference.nRows.toLocaleString("en-US")} rows and May–Jun ${current.nRows.toLocaleString("en-US")} rows in ${loadS.toFixed(2)} s (not timed below)`);
console.log(`columns: ${reference.describe().map((c) => `${c.name}:${c.kind}`).join(", ")}`);

// Keel
const keelTimes: number[] = [];
let report = dataDrift(reference, current);
for (let r = 0; r < runs; r++) {
  t = performance.now();
  report = dataDrift(reference, current);
  keelTimes.push((performance.now() - t) / 1000);
}
const keelS = Math.min(...keelTimes);

// the same arrays for SciPy: numeric as float64, categorical as codes into one dictionary per column
const dir = mkdtempSync(path.join(tmpdir(), "keel-drift-bench-"));
const cols: { name: string; kind: "numeric" | "categorical"; categories?: number }[] = [];
for (const name of reference.names) {
  const a = reference.column(name);
  const b = current.column(name);
  if (a.kind === "numeric" && b.kind === "numeric") {
    cols.push({ name, kind: "numeric" });
    writeFileSync(path.join(dir, `${name}.ref.f64`), Buffer.from(a.values.buffer, a.values.byteOffset, a.values.byteLength));
    writeFileSync(path.join(dir, `${name}.cur.f64`), Buffer.from(b.values.buffer, b.values.byteOffset, b.values.byteLength));
  } else {
    const both = concatColumns([toCategorical(a), toCategorical(b)], name);
    if (both.kind !== "categorical") throw new Error(`${name}: expected categorical`);
    cols.push({ name, kind: "categorical", categories: both.categories.length });
    const codes = both.codes;
    const n = reference.nRows;
    writeFileSync(path.join(dir, `${name}.ref.i32`), Buffer.from(codes.buffer, codes.byteOffset, n * 4));
    writeFileSync(path.join(dir, `${name}.cur.i32`), Buffer.from(codes.buffer, codes.byteOffset + n * 4, (codes.length - n) * 4));
  }
}
writeFileSync(path.join(dir, "columns.json"), JSON.stringify(cols));
t = performance.now();
const py = spawnSync("/usr/bin/python3", [path.join(here, "drift-scipy.py"), dir, String(runs)], { encoding: "utf8", maxBuffer: 1 << 26 });
const pyWallS = (performance.now() - t) / 1000;
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) {
  console.error(py.stderr);
  process.exit(1);
}
const scipy = JSON.parse(py.stdout) as { seconds: number; all_seconds: number[]; results: Record<string, Record<string, number | number[]>> };

// agreement with SciPy
let worst = 0;
let worstWhat = "";
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
for (const c of report.columns) {
  const s = scipy.results[c.column];
  const pairs: [string, number, number][] = [
    ["psi", c.psi, s.psi as number],
    ["js", c.js, s.js as number],
  ];
  if (c.ks) pairs.push(["ks.statistic", c.ks.statistic, (s.ks as number[])[0]], ["ks.p_value", c.ks.p_value, (s.ks as number[])[1]], ["wasserstein_norm", c.wasserstein_norm!, s.wasserstein_norm as number]);
  if (c.chi2) pairs.push(["chi2.statistic", c.chi2.statistic, (s.chi2 as number[])[0]], ["chi2.p_value", c.chi2.p_value, (s.chi2 as number[])[1]]);
  for (const [k, a, b] of pairs) {
    const e = rel(a, b);
    if (e > worst) [worst, worstWhat] = [e, `${c.column}.${k}: Keel ${a}, SciPy ${b}`];
  }
}

// data quality and the HTML report
t = performance.now();
const refs = Object.fromEntries(reference.names.map((c) => [c, qualityReference(reference.column(c))]));
const quality = dataQuality(refs, current);
const qualityS = (performance.now() - t) / 1000;
t = performance.now();
const html = driftReportToHtml(report, quality, { referenceName: "flights-3m Jan–Feb", currentName: "flights-3m May–Jun" });
const htmlS = (performance.now() - t) / 1000;

console.log("");
for (const c of report.columns) {
  const stats = [c.ks ? `ks p=${c.ks.p_value.toExponential(2)}` : "", c.wasserstein_norm !== undefined ? `w=${c.wasserstein_norm.toFixed(4)}` : "", c.chi2 ? `chi2 p=${c.chi2.p_value.toExponential(2)}` : "", `psi=${c.psi.toFixed(4)}`, `js=${c.js.toFixed(4)}`].filter(Boolean);
  console.log(`  ${c.column.padEnd(12)} ${c.kind.padEnd(11)} ${c.test.padEnd(16)} ${c.drifted ? "DRIFT" : "     "}  ${stats.join("  ")}`);
}
console.log(`dataset drift: ${report.dataset_drift} (${report.number_of_drifted_columns} of ${report.number_of_columns})`);
console.log("");
console.log(`Keel dataDrift, 7 columns, all statistics: best ${keelS.toFixed(3)} s of ${runs} (${keelTimes.map((s) => s.toFixed(3)).join(" / ")})`);
console.log(`numpy/SciPy, same statistics, same run:    best ${scipy.seconds.toFixed(3)} s of ${runs} (${scipy.all_seconds.map((s) => s.toFixed(3)).join(" / ")}); python process ${pyWallS.toFixed(1)} s with loading`);
console.log(`goal ${GOAL_S} s → ${(keelS / GOAL_S).toFixed(2)}× the goal (${keelS <= GOAL_S ? "met" : "NOT met"})`);
console.log(`ratio Keel / SciPy = ${(keelS / scipy.seconds).toFixed(3)} (goal ≤ ${GOAL_RATIO}: ${keelS / scipy.seconds <= GOAL_RATIO ? "met" : "NOT met"}); SciPy anchor ${ANCHOR_SCIPY_S} s, measured now ${scipy.seconds.toFixed(2)} s`);
console.log(`agreement with SciPy: worst relative difference ${worst.toExponential(2)}${worstWhat ? ` (${worstWhat})` : ""}`);
console.log(`data quality: ${(qualityS * 1000).toFixed(0)} ms, ${quality.findings.length} findings (${quality.findings.map((f) => `${f.check ?? f.code}:${f.column}`).join(", ") || "none"})`);
console.log(`HTML report: ${(htmlS * 1000).toFixed(0)} ms, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`);

function toCategorical(c: Column): Column {
  if (c.kind === "categorical") return c;
  if (c.kind === "boolean") {
    const codes = new Int32Array(c.values.length);
    for (let i = 0; i < codes.length; i++) codes[i] = c.values[i] === 255 ? -1 : c.values[i];
    return { kind: "categorical", codes, categories: ["false", "true"] };
  }
  throw new Error(`unexpected ${c.kind}`);
}
export type { Frame };
