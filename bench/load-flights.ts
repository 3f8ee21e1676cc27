/**
 * Load flights-3m.parquet (vega-datasets: 3M rows; date, delay, distance, origin, destination)
 * into a Frame with `readTable`. Goal (issue 3): under 3 s on this machine.
 * Anchors: DuckDB's own `SELECT count(*)` over the file, and DuckDB materialising every column
 * in its own memory (the scan Keel cannot avoid), both through @duckdb/node-api.
 *
 *   node --import tsx bench/load-flights.ts [runs=5]
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { closeDuckDb, readTable } from "../src/data/io/index.js";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/vega-datasets/data/flights-3m.parquet");
const GOAL_S = 3;
const runs = Math.max(1, Number(process.argv[2] ?? 5));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};

// anchors: a fresh instance, so Keel's shared one is not warmed by them
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const countTimes: number[] = [];
const scanTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  countTimes.push(await seconds(() => con.run(`SELECT count(*) FROM read_parquet('${file}')`)));
  scanTimes.push(await seconds(() => con.run(`SELECT * FROM read_parquet('${file}')`)));
}
con.disconnectSync();
db.closeSync();

const loadTimes: number[] = [];
let frame = await readTable(file); // the first (cold) run is timed below separately
const cold = await seconds(async () => {
  await closeDuckDb();
  frame = await readTable(file);
});
for (let i = 0; i < runs; i++) loadTimes.push(await seconds(async () => (frame = await readTable(file))));
await closeDuckDb();

const load = median(loadTimes);
const count = median(countTimes);
const scan = median(scanTimes);
const kinds = frame.describe().map((c) => `${c.name}:${c.kind}${c.categories ? `(${c.categories.length})` : ""}`);
console.log(`file       ${path.relative(process.cwd(), file)}`);
console.log(`rows       ${frame.nRows.toLocaleString("en-US")}`);
console.log(`kinds      ${kinds.join("  ")}`);
console.log(`readTable  ${load.toFixed(3)} s median of ${runs} (min ${Math.min(...loadTimes).toFixed(3)} s; after closeDuckDb ${cold.toFixed(3)} s)`);
console.log(`goal       ${GOAL_S} s  → ${(load / GOAL_S).toFixed(2)}× the goal (${load < GOAL_S ? "met" : "NOT met"})`);
console.log(`anchor     DuckDB count(*)          ${(count * 1000).toFixed(1)} ms → readTable is ${(load / count).toFixed(0)}× that`);
console.log(`anchor     DuckDB SELECT * (native) ${(scan * 1000).toFixed(1)} ms → readTable is ${(load / scan).toFixed(1)}× that`);
console.log(`throughput ${((frame.nRows * frame.nCols) / load / 1e6).toFixed(1)} M cells/s`);
