/**
 * The flights rows the GBDT and SHAP benches share: hour, day of week, month, day of month,
 * distance, origin and destination (categorical), and `delayed` (delay > 15 min), in time order;
 * and their columns as raw binary files for the Python side of a bench.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CategoricalColumn, NumericColumn } from "../src/data/column.js";
import type { Frame } from "../src/data/frame.js";
import { closeDuckDb, readTable } from "../src/data/io/index.js";

export const FLIGHTS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/vega-datasets/data/flights-3m.parquet");
export const NUMERIC = ["hour", "dow", "month", "dom", "distance"];
export const CATEGORICAL = ["origin", "destination"];

/** The first `rows` flights in time order. */
export async function loadFlights(rows: number): Promise<Frame> {
  const all = await readTable("", {
    sql: `SELECT hour(date)::DOUBLE AS hour, dayofweek(date)::DOUBLE AS dow, month(date)::DOUBLE AS month, day(date)::DOUBLE AS dom,
          distance::DOUBLE AS distance, origin, destination, (delay > 15)::DOUBLE AS delayed
        FROM read_parquet('${FLIGHTS_FILE}', file_row_number = true)
        ORDER BY date, file_row_number LIMIT ${rows}`,
    kinds: { origin: "categorical", destination: "categorical" },
  });
  await closeDuckDb();
  return all;
}

/** `<column>.f64` for numeric columns and the target, `<column>.i32` category codes, in `dir`. */
export function dumpFlights(all: Frame, dir: string): void {
  const dump = (name: string, arr: Float64Array | Int32Array) => writeFileSync(path.join(dir, name), new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
  for (const c of NUMERIC) dump(`${c}.f64`, (all.column(c) as NumericColumn).values);
  for (const c of CATEGORICAL) dump(`${c}.i32`, (all.column(c) as CategoricalColumn).codes);
  dump("y.f64", (all.column("delayed") as NumericColumn).values);
}
