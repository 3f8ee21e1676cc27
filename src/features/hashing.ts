/**
 * "hashing-encoder": bag-of-words text features without a vocabulary, as scikit-learn 1.2's
 * `HashingVectorizer` (Weinberger et al., "Feature hashing for large scale multitask learning",
 * ICML 2009). Each text is lowercased (when `lowercase`), split into tokens with the pattern
 * `(?u)\b\w\w+\b` (runs of two or more letters, digits or underscores), and each token t adds
 * ±1 to column |h(t)| mod `nFeatures`, where h is the signed MurmurHash3 (x86, 32-bit, seed 0) of
 * its UTF-8 bytes and the sign is that of h when `alternateSign` (else +1). Rows are then
 * normalised (`norm` "l2" (default) or "l1"; null for raw counts; all-zero rows stay zero).
 * Output columns are `<col>_hash<j>`, j = 0 … nFeatures − 1. Missing texts give all zeros.
 */
import { z } from "zod";
import type { Column } from "../data/index.js";
import { defineEstimator, inputSignature, type SignatureColumn, type Spec } from "../estimator/index.js";
import { type ColumnPlan, ColumnwiseTransformer } from "./columnwise.js";
import { murmur3String } from "./murmur3.js";
import { selectColumns, selectionParams } from "./select.js";
import { StateReader } from "./state.js";

/** Python's `\w` in Unicode mode: letters, digits / numerics, underscore. */
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

/**
 * Tokens of `text` as scikit-learn's default analyzer finds them.
 * @example
 * ```ts
 * tokenize("Late delivery, again!"); // ["late", "delivery", "again"]
 * ```
 */
export function tokenize(text: string, lowercase = true): string[] {
  return (lowercase ? text.toLowerCase() : text).match(TOKEN) ?? [];
}

interface HashOptions {
  nFeatures: number;
  alternateSign: boolean;
  norm: "l1" | "l2" | null;
  lowercase: boolean;
}

function plan(name: string, o: HashOptions): ColumnPlan {
  const outputs = Array.from({ length: o.nFeatures }, (_, j) => `${name}_hash${j}`);
  return {
    input: name,
    outputs,
    apply(col: Column, n: number): Column[] {
      const out = Array.from({ length: o.nFeatures }, () => new Float64Array(n));
      const cache = new Map<string, number>(); // token → signed column (index + 1, negated for −1)
      const touched: number[] = [];
      const mark = new Int32Array(o.nFeatures).fill(-1); // last row that touched each column
      for (let i = 0; i < n; i++) {
        const text = col.kind === "text" ? col.values[i] : col.kind === "categorical" ? (col.codes[i] < 0 ? null : col.categories[col.codes[i]]) : null;
        if (text === null) continue;
        touched.length = 0;
        for (const tok of tokenize(text, o.lowercase)) {
          let code = cache.get(tok);
          if (code === undefined) {
            const h = murmur3String(tok);
            // |−2^31| mod n, as sklearn defines it for the one value whose abs overflows int32
            const index = h === -2147483648 ? (2147483647 - (o.nFeatures - 1)) % o.nFeatures : Math.abs(h) % o.nFeatures;
            code = o.alternateSign && h < 0 ? -(index + 1) : index + 1;
            cache.set(tok, code);
          }
          const j = code > 0 ? code - 1 : -code - 1;
          if (mark[j] !== i) {
            mark[j] = i;
            touched.push(j);
          }
          out[j][i] += code > 0 ? 1 : -1;
        }
        if (o.norm !== null && touched.length > 0) {
          let s = 0;
          for (const j of touched) s += o.norm === "l2" ? out[j][i] * out[j][i] : Math.abs(out[j][i]);
          const d = o.norm === "l2" ? Math.sqrt(s) : s;
          if (d > 0) for (const j of touched) out[j][i] /= d;
        }
      }
      return out.map((values) => ({ kind: "numeric", values }));
    },
  };
}

function build(spec: Spec<ColumnwiseTransformer>, inputs: SignatureColumn[], target: string | null, columns: string[]): ColumnwiseTransformer {
  const p = spec.params;
  const o: HashOptions = { nFeatures: p.nFeatures as number, alternateSign: p.alternateSign as boolean, norm: p.norm as HashOptions["norm"], lowercase: p.lowercase as boolean };
  return new ColumnwiseTransformer(spec, { inputs, target, plans: columns.map((c) => plan(c, o)), state: { columns } });
}

/**
 * Spec factory for "hashing-encoder" (see the module comment).
 * @example
 * ```ts
 * const hashed = await hashingEncoder({ nFeatures: 64, columns: ["comment"] }).fit(frame);
 * ```
 */
export const hashingEncoder = defineEstimator<ColumnwiseTransformer>({
  kind: "hashing-encoder",
  role: "transformer",
  doc: "Hash word tokens of text columns into nFeatures signed, normalised columns (sklearn HashingVectorizer)",
  schema: {
    nFeatures: z.int().min(1).max(1 << 20).default(256).describe("output columns per text column"),
    alternateSign: z.boolean().default(true).describe("sign each token's count by its hash's sign"),
    norm: z.enum(["l1", "l2"]).nullable().default("l2").describe("row normalisation (null: raw counts)"),
    lowercase: z.boolean().default(true).describe("lowercase before tokenizing"),
    ...selectionParams("text"),
  },
  fit(params, data, options, spec) {
    const columns = selectColumns(spec.kind, data, params, options.target, ["text"], ["text", "categorical"]);
    return Promise.resolve(build(spec, inputSignature(data, options.target), options.target ?? null, columns));
  },
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const columns = r.strings("columns");
    r.checkColumnsIn("columns", columns, inputs);
    return build(spec, inputs, r.stringOrNull("target"), columns);
  },
});
