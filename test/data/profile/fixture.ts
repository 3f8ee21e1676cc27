/** Loads the committed credit slice (test/fixtures/profile) into a Frame, without data/io. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { categoricalFromValues, numeric, type Column } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";

const dir = fileURLToPath(new URL("../../fixtures/profile/", import.meta.url));

interface FixtureColumn {
  name: string;
  kind: "numeric" | "categorical";
  values: (number | string | null)[];
}

export function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(dir + name, "utf8")) as T;
}

export function creditFrame(): Frame {
  const data = readJson<{ rows: number; columns: FixtureColumn[] }>("credit-slice.json");
  const cols = new Map<string, Column>();
  for (const c of data.columns) {
    cols.set(c.name, c.kind === "numeric" ? numeric(c.values as (number | null)[]) : categoricalFromValues(c.values as (string | null)[]));
  }
  return Frame.fromColumns(cols, data.rows);
}

export interface Reference {
  rows: number;
  numeric: Record<string, { count: number; missing: number; distinct: number; mean: number; std: number; min: number; q25: number; q50: number; q75: number; max: number; skew: number; zeros: number }>;
  categorical: Record<string, { missing: number; distinct: number; top: [string, number][] }>;
  pearson: { columns: string[]; matrix: (number | null)[][] };
  spearman: { columns: string[]; matrix: (number | null)[][] };
  cramersV: { columns: string[]; matrix: (number | null)[][] };
  duplicates: { count: number; rows: number[] };
  f1Weighted: { true: string[]; pred: string[]; value: number }[];
}

export const reference = (): Reference => readJson<Reference>("reference.json");
