/**
 * The features fixture (test/fixtures/features/data.json, written by make_reference.py): rows
 * 0-299 of credit_data.csv plus synthetic columns, as a Keel Frame; rows 0-199 train, 200-299 test.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CellValue, type Column, cellValue } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.join(HERE, "../fixtures/features");

interface DataJson {
  rows: number;
  trainRows: number;
  columns: { name: string; kind: string; values: (number | string | boolean | null)[] }[];
}

export interface ReferenceCase {
  name: string;
  kind: string;
  params: Record<string, unknown>;
  columns: string[];
  target?: string;
  names: string[] | null;
  /** Output columns on the training rows (after fit on them), then on the test rows. */
  train: (number | string | null)[][];
  test: (number | string | null)[][];
}

let cached: { all: Frame; train: Frame; test: Frame } | undefined;

export function fixtureData(): { all: Frame; train: Frame; test: Frame } {
  if (cached) return cached;
  const d = JSON.parse(readFileSync(path.join(DIR, "data.json"), "utf8")) as DataJson;
  const cols = new Map<string, Column>();
  for (const c of d.columns) {
    const f = Frame.fromRows(
      c.values.map((v) => ({ v: c.kind === "datetime" && v !== null ? new Date(v as number) : v })),
      { kinds: { v: c.kind as never }, columns: ["v"] },
    );
    cols.set(c.name, f.column("v"));
  }
  const all = Frame.fromColumns(cols, d.rows);
  const train = all.slice(0, d.trainRows);
  const test = all.slice(d.trainRows);
  cached = { all, train, test };
  return cached;
}

export function referenceCases(): ReferenceCase[] {
  return (JSON.parse(readFileSync(path.join(DIR, "reference.json"), "utf8")) as { cases: ReferenceCase[] }).cases;
}

/** Column `name` of a frame as plain values: numbers (NaN → null) or labels. */
export function columnValues(frame: Frame, name: string): CellValue[] {
  const c = frame.column(name);
  const out: CellValue[] = [];
  for (let i = 0; i < frame.nRows; i++) out.push(cellValue(c, i));
  return out;
}

/** |a − b| ≤ tol·max(1, |b|) for every element; null ≡ missing; labels compared exactly. */
export function mismatches(got: readonly CellValue[], want: readonly (number | string | null)[], tol = 1e-12): string[] {
  const bad: string[] = [];
  if (got.length !== want.length) return [`length ${got.length} ≠ ${want.length}`];
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (w === null || g === null) {
      if (!(w === null && g === null)) bad.push(`row ${i}: got ${String(g)}, want ${String(w)}`);
    } else if (typeof w === "string") {
      if (g !== w) bad.push(`row ${i}: got ${String(g)}, want ${w}`);
    } else if (typeof g !== "number" || !(Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)))) {
      bad.push(`row ${i}: got ${String(g)}, want ${w}`);
    }
    if (bad.length > 5) break;
  }
  return bad;
}
