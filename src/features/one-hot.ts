/**
 * "one-hot": one 0/1 column per category, as scikit-learn 1.2's `OneHotEncoder`.
 *
 * - Categories are the distinct training values, sorted (see `categories.ts`); output columns are
 *   named `<col>_<category>`.
 * - Missing values: a missing value seen at fit is a category of its own, placed last and named
 *   `<col>_nan` (as sklearn ≥ 1.1 treats NaN / None). A missing value never seen at fit is an
 *   unknown category.
 * - Rare categories (`minFrequency`: a count ≥ 1, or a fraction of the training rows when < 1;
 *   `maxCategories`: at most this many output columns per input column, the infrequent one
 *   included, keeping the most frequent categories — ties keep the earlier category) are grouped
 *   into one column named `<col>_infrequent`, placed last (sklearn names it
 *   `<col>_infrequent_sklearn`).
 * - `handleUnknown`: "error" (default) refuses categories not seen at fit; "ignore" encodes them
 *   as all zeros; "infrequent_if_exist" puts them in the infrequent column when there is one,
 *   else all zeros.
 * - `drop`: null keeps every column; "first" drops the first output column of every input
 *   column; "if_binary" drops it only for input columns with exactly two output columns.
 *   Dropped categories (and unknown ones, when ignored) encode as all zeros.
 */
import { z } from "zod";
import { InvalidInputError, show } from "../core/index.js";
import type { Column } from "../data/index.js";
import { defineEstimator, jsonParam, inputSignature, type SignatureColumn, type Spec } from "../estimator/index.js";
import { MISSING, UNKNOWN, countLabels, indexLabels, rowLabel } from "./categories.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

/** What `oneHot` does with a category not seen at fit. */
export type HandleUnknown = "error" | "ignore" | "infrequent_if_exist";

/** Fitted encoding of one input column. */
interface OneHotColumn {
  name: string;
  /** Known non-missing labels, sorted. */
  labels: string[];
  /** Was a missing value a category at fit (index labels.length)? */
  missing: boolean;
  /** Output slot of each category (labels, then missing): frequent ones in order, infrequent → last. */
  slots: number[];
  /** Number of slots before dropping. */
  nSlots: number;
  /** Is the last slot the infrequent group? */
  infrequent: boolean;
  /** Slot dropped from the output, or null. */
  drop: number | null;
}

/** Indices of infrequent categories, as sklearn's `_identify_infrequent`. */
function infrequentMask(counts: Float64Array, nRows: number, minFrequency: number | null, maxCategories: number | null): boolean[] {
  const k = counts.length;
  const mask = new Array<boolean>(k).fill(false);
  if (minFrequency !== null) {
    const threshold = minFrequency >= 1 ? minFrequency : minFrequency * nRows;
    for (let c = 0; c < k; c++) if (counts[c] < threshold) mask[c] = true;
  }
  if (maxCategories !== null) {
    const nInfrequent = mask.filter(Boolean).length;
    const nCurrent = k - nInfrequent + 1;
    if (maxCategories < nCurrent) {
      // stable ascending sort by count; the smallest k − maxCategories + 1 become infrequent
      const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => counts[a] - counts[b] || a - b);
      const take = k - maxCategories + 1;
      for (let i = 0; i < take; i++) mask[order[i]] = true;
    }
  }
  return mask;
}

function outputNames(c: OneHotColumn): string[] {
  const slotLabels: string[] = [];
  const all = [...c.labels, ...(c.missing ? ["nan"] : [])];
  // frequent categories in order of their slots
  for (let k = 0; k < all.length; k++) {
    const s = c.slots[k];
    if (!(c.infrequent && s === c.nSlots - 1)) slotLabels[s] = all[k];
  }
  if (c.infrequent) slotLabels[c.nSlots - 1] = "infrequent";
  const names = slotLabels.map((l) => `${c.name}_${l}`);
  if (c.drop !== null) names.splice(c.drop, 1);
  return names;
}

function plan(kind: string, c: OneHotColumn, handleUnknown: HandleUnknown): ColumnPlan {
  const outputs = outputNames(c);
  const nOut = outputs.length;
  const missingCat = c.missing ? c.labels.length : -1;
  const unknownSlot = handleUnknown === "infrequent_if_exist" && c.infrequent ? c.nSlots - 1 : -1;
  const slots = Int32Array.from(c.slots);
  const drop = c.drop ?? -1;
  return {
    input: c.name,
    outputs,
    apply(col: Column, n: number): Column[] {
      const idx = indexLabels(col, c.labels);
      const out: Float64Array[] = Array.from({ length: nOut }, () => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        let k = idx[i];
        if (k === MISSING) k = missingCat >= 0 ? missingCat : UNKNOWN;
        let s: number;
        if (k >= 0) s = slots[k];
        else {
          if (handleUnknown === "error") {
            const v = rowLabel(col, i);
            throw new InvalidInputError(`${kind}: column ${show(c.name)} row ${i}: ${v === null ? "a missing value" : `category ${show(v)}`} was not seen in training; set handleUnknown to "ignore" or "infrequent_if_exist" to accept it`, {
              path: `${c.name}[${i}]`,
              expected: `one of ${show(c.labels, 200)}`,
              received: v,
            });
          }
          s = unknownSlot;
        }
        if (s < 0 || s === drop) continue;
        out[s > drop && drop >= 0 ? s - 1 : s][i] = 1;
      }
      return out.map((values) => ({ kind: "numeric", values }));
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, cols: OneHotColumn[]): ColumnwiseTransformer {
  const handleUnknown = spec.params.handleUnknown as HandleUnknown;
  return new ColumnwiseTransformer(spec, {
    inputs,
    target,
    plans: cols.map((c) => plan(spec.kind, c, handleUnknown)),
    state: { columns: cols.map((c) => ({ name: c.name, labels: c.labels, missing: c.missing, slots: c.slots, nSlots: c.nSlots, infrequent: c.infrequent, drop: c.drop })) },
  });
}

function checkMinFrequency(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v) || (v >= 1 && !Number.isInteger(v))) return "null, an integer count ≥ 1 or a fraction in (0, 1)";
  return null;
}

/**
 * Spec factory for "one-hot" (see the module comment).
 * @example
 * ```ts
 * const encoder = await oneHot({ handleUnknown: "ignore", minFrequency: 10 }).fit(frame);
 * ```
 */
export const oneHot = defineEstimator<ColumnwiseTransformer>({
  kind: "one-hot",
  role: "transformer",
  doc: "One 0/1 column per category; rare categories grouped, unknown ones refused or ignored",
  schema: {
    handleUnknown: z.enum(["error", "ignore", "infrequent_if_exist"]).default("error").describe("what to do with categories not seen at fit"),
    minFrequency: jsonParam(checkMinFrequency).nullable().default(null).describe("categories rarer than this (count, or fraction of rows when < 1) are grouped as infrequent"),
    maxCategories: z.int().min(2).nullable().default(null).describe("at most this many output columns per input column (infrequent included), ≥ 2"),
    drop: z.enum(["first", "if_binary"]).nullable().default(null).describe("drop the first output column (always, or for binary columns only)"),
    ...selectionParams("categorical"),
  },
  fit(params, data, options, spec) {
    const names = selectColumns(spec.kind, data, params, options.target, ["categorical"], ["categorical", "boolean", "numeric", "text"]);
    const minFrequency = params.minFrequency as number | null;
    const maxCategories = params.maxCategories as number | null;
    const cols = names.map((name): OneHotColumn => {
      const lc = countLabels(data.column(name), name, spec.kind);
      const missing = lc.missing > 0;
      const counts = missing ? Float64Array.from([...lc.counts, lc.missing]) : lc.counts;
      const mask = infrequentMask(counts, data.nRows, minFrequency, maxCategories);
      const nInfrequent = mask.filter(Boolean).length;
      const nFrequent = counts.length - nInfrequent;
      const slots: number[] = [];
      let next = 0;
      for (let k = 0; k < counts.length; k++) slots.push(mask[k] ? nFrequent : next++);
      const infrequent = nInfrequent > 0;
      const nSlots = nFrequent + (infrequent ? 1 : 0);
      const drop = params.drop === "first" ? 0 : params.drop === "if_binary" && nSlots === 2 ? 0 : null;
      return { name, labels: lc.labels, missing, slots, nSlots, infrequent, drop: nSlots === 0 ? null : drop };
    });
    return Promise.resolve(build(spec, inputSignature(data, options.target), options.target ?? null, cols));
  },
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const raw = r.json("columns");
    if (!Array.isArray(raw)) throw r.corrupt("state.columns", raw, "a list of encoded columns");
    const cols = raw.map((x, j): OneHotColumn => {
      const c = x as unknown as OneHotColumn;
      const ok =
        c && typeof c.name === "string" && Array.isArray(c.labels) && c.labels.every((l) => typeof l === "string") && typeof c.missing === "boolean" &&
        Number.isInteger(c.nSlots) && Array.isArray(c.slots) && c.slots.length === c.labels.length + (c.missing ? 1 : 0) &&
        c.slots.every((s) => Number.isInteger(s) && s >= 0 && s < c.nSlots) && typeof c.infrequent === "boolean" &&
        (c.drop === null || (Number.isInteger(c.drop) && c.drop >= 0 && c.drop < c.nSlots));
      if (!ok) throw r.corrupt(`state.columns[${j}]`, x, "an encoded column { name, labels, missing, slots, nSlots, infrequent, drop }");
      return c;
    });
    r.checkColumnsIn("columns", cols.map((c) => c.name), inputs);
    return build(spec, inputs, r.stringOrNull("target"), cols);
  },
});
