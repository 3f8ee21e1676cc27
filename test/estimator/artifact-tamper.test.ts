/**
 * Tampering with saved models (issue 12, "Model files"): every field of the manifest of several
 * model kinds is edited, one at a time, several ways. Left unsealed, the seal refuses the edit;
 * re-sealed (the seal recomputed here from its documented definition, as someone editing the
 * file on purpose would), the validator refuses it with a CORRUPT_MODEL error naming the file, or
 * the model still predicts exactly as before, or — for a field that is a model value, not a
 * structure (an intercept, k of k-NN, a class label) — it predicts well-formed values. Never an
 * internal error, never more than a bounded amount of memory.
 */
import { createHash, createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CorruptModelError, KeelError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { loadModel, loadModelFromParts, saveModel } from "../../src/estimator/artifact.js";
import type { Fitted, Spec } from "../../src/estimator/types.js";
import { isClassifier, isRegressor } from "../../src/estimator/types.js";
import { keel } from "../cli/run-cli.js";
import { columns, oneHot, ordinalEncoder, pipeline, simpleImputer, standardScaler, targetEncoder } from "../../src/features/index.js";
import {
  categoricalNb,
  dummyClassifier,
  dummyRegressor,
  forestClassifier,
  gaussianNb,
  gbdtClassifier,
  gbdtRegressor,
  knnClassifier,
  linearRegression,
  logistic,
  treeClassifier,
  treeRegressor,
} from "../../src/models/index.js";
import { calibratedClassifier, decisionThreshold } from "../../src/models/calibration/index.js";

const tmp = mkdtempSync(path.join(tmpdir(), "keel-tamper-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---- data -----------------------------------------------------------------------------------

function data(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const color: string[] = [];
  const size: string[] = [];
  const y: string[] = [];
  const yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.normal();
    x2[i] = rng.normal() * 2 + 1;
    x3[i] = rng.float() * 10;
    color.push(["red", "green", "blue"][rng.int(3)]);
    size.push(["S", "M", "L", "XL"][rng.int(4)]);
    const s = x1[i] + 0.5 * x2[i] + (color[i] === "red" ? 1 : 0) + 0.3 * rng.normal();
    y.push(s > 1.2 ? "hi" : s > 0 ? "mid" : "lo");
    yr[i] = 2 * x1[i] - x2[i] + 0.1 * x3[i] + (size[i] === "XL" ? 3 : 0) + 0.2 * rng.normal();
  }
  return Frame.fromColumns({ x1, x2, x3, color, size, y, yr, yb: y.map((v) => (v === "lo" ? "lo" : "up")) });
}

const train = data(120, 1);
const testRows = data(25, 2);
const NUM = ["x1", "x2", "x3"];

interface Case {
  name: string;
  spec: () => Spec;
  cols: string[];
  target: string;
  /** Fields (regular expressions over dotted paths) that are model values: a valid edit may change predictions. */
  values: RegExp[];
}

const cases: Case[] = [
  // a baseline's state has no shape to check its inputs against: fewer inputs make it refuse these rows, clearly
  { name: "dummy", spec: () => dummyClassifier({ strategy: "stratified" }), cols: [...NUM, "y"], target: "y", values: [/^root\.state\.seed$/, /^root\.params(\.strategy)?$/, /^root\.signature\.inputs$/] },
  { name: "dummy-regressor", spec: () => dummyRegressor(), cols: [...NUM, "yr"], target: "yr", values: [/^root\.state\.constant$/, /^root\.signature\.inputs$/] },
  { name: "linear", spec: () => linearRegression(), cols: [...NUM, "yr"], target: "yr", values: [/^root\.state\.intercept$/] },
  { name: "logistic", spec: () => logistic(), cols: [...NUM, "y"], target: "y", values: [] },
  { name: "tree", spec: () => treeClassifier({ maxDepth: 4 }), cols: [...NUM, "y"], target: "y", values: [] },
  { name: "tree-regressor", spec: () => treeRegressor({ maxDepth: 4 }), cols: [...NUM, "yr"], target: "yr", values: [] },
  { name: "forest", spec: () => forestClassifier({ nEstimators: 4, maxDepth: 3, seed: 3 }), cols: [...NUM, "y"], target: "y", values: [] },
  { name: "gbdt", spec: () => gbdtClassifier({ maxIter: 5, maxLeaves: 4, earlyStopping: false }), cols: [...NUM, "color", "y"], target: "y", values: [] },
  { name: "gbdt-regressor", spec: () => gbdtRegressor({ maxIter: 5, maxLeaves: 4, earlyStopping: false }), cols: [...NUM, "size", "yr"], target: "yr", values: [] },
  { name: "knn", spec: () => knnClassifier({ nNeighbors: 5 }), cols: [...NUM, "y"], target: "y", values: [/^root\.params\.(nNeighbors|p|metric|weights)$/] },
  { name: "gaussian-nb", spec: () => gaussianNb(), cols: [...NUM, "y"], target: "y", values: [] },
  { name: "categorical-nb", spec: () => categoricalNb(), cols: ["color", "size", "y"], target: "y", values: [] },
  { name: "calibrated (sigmoid)", spec: () => calibratedClassifier({ base: logistic().toJSON(), folds: 3 }), cols: [...NUM, "y"], target: "y", values: [] },
  { name: "calibrated (isotonic)", spec: () => calibratedClassifier({ base: gaussianNb().toJSON(), method: "isotonic", folds: 3 }), cols: [...NUM, "y"], target: "y", values: [] },
  // the threshold is a model value: another one labels rows differently
  { name: "decision-threshold", spec: () => decisionThreshold({ base: logistic().toJSON(), threshold: 0.3 }), cols: [...NUM, "yb"], target: "yb", values: [/^root\.params(\.threshold)?$/] },
  {
    name: "pipeline",
    spec: () =>
      pipeline(
        columns({ cat: [["color"], simpleImputer({ strategy: "most_frequent" }), oneHot({ handleUnknown: "ignore" })], ord: [["size"], ordinalEncoder()], te: [["size"], targetEncoder()], num: [NUM, standardScaler()] }),
        logistic(),
      ),
    cols: [...NUM, "color", "size", "y"],
    target: "y",
    // the categories an ordinal encoder knows (fewer: rows of a dropped one are refused, clearly)
    values: [/^root\.children\.step0\.children\.branch1\.children\.step0\.state\.columns\.0\.labels$/],
  },
];

// ---- the seal, recomputed from its documented definition --------------------------------------

function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
    .join(",")}}`;
}

function reseal(m: Record<string, unknown>, blob: Uint8Array, key?: string): Record<string, unknown> {
  const { seal: _, ...rest } = m;
  const bytes = Buffer.concat([Buffer.from("keel-model-seal/2\n" + canonical(rest) + "\n", "utf8"), Buffer.from(blob)]);
  const seal: Record<string, string> = { sha256: createHash("sha256").update(bytes).digest("hex") };
  if (key) seal.hmacSha256 = createHmac("sha256", key).update(bytes).digest("hex");
  return { ...m, seal };
}

/** The manifest as format version 1 wrote it: no seal, a SHA-256 of the buffers only. */
function asVersion1(m: Record<string, unknown>, blob: Uint8Array): Record<string, unknown> {
  const { seal: _, ...rest } = m;
  return { ...rest, formatVersion: 1, buffersSha256: createHash("sha256").update(blob).digest("hex") };
}

// ---- fields and edits -----------------------------------------------------------------------

type Path = (string | number)[];
const DELETE = Symbol("delete");
type Edit = { label: string; value: unknown };

/** Every field worth editing: all object keys; of arrays, the first two items and the last. */
function fields(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) {
    const idx = [...new Set([0, 1, v.length - 1])].filter((i) => i >= 0 && i < v.length);
    for (const i of idx) out.push([...at, i], ...fields(v[i], [...at, i]));
  } else if (v !== null && typeof v === "object") {
    for (const k of Object.keys(v)) out.push([...at, k], ...fields((v as Record<string, unknown>)[k], [...at, k]));
  }
  return out;
}

function edits(v: unknown, inObject: boolean): Edit[] {
  const e: Edit[] = [];
  if (inObject) e.push({ label: "delete", value: DELETE });
  e.push({ label: "null", value: null });
  if (typeof v === "number") {
    for (const x of [v + 1, v - 1, 0, -1, 0.5, 2 ** 31, 2 ** 53, -(2 ** 31), 1e300]) e.push({ label: String(x), value: x });
    e.push({ label: "string", value: String(v) }, { label: "true", value: true });
  } else if (typeof v === "string") {
    e.push({ label: '""', value: "" }, { label: "+x", value: `${v}x` }, { label: "number", value: 1 }, { label: "list", value: [v] });
  } else if (typeof v === "boolean") {
    e.push({ label: "flip", value: !v }, { label: "string", value: String(v) });
  } else if (Array.isArray(v)) {
    e.push({ label: "[]", value: [] }, { label: "{}", value: {} }, { label: "drop last", value: v.slice(0, -1) }, { label: "repeat first", value: v.length ? [...v, v[0]] : [0] });
    e.push({ label: "2^31 length", value: { length: 2 ** 31 } });
  } else if (v !== null && typeof v === "object") {
    e.push({ label: "{}", value: {} }, { label: "[]", value: [] }, { label: "string", value: "x" });
  } else {
    e.push({ label: "0", value: 0 }, { label: "string", value: "x" });
  }
  return e;
}

function edited(m: unknown, at: Path, edit: Edit): unknown {
  const copy = structuredClone(m) as Record<string | number, unknown>;
  let o = copy as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (edit.value === DELETE) {
    if (Array.isArray(o)) o.splice(last as number, 1);
    else delete o[last];
  } else o[last] = structuredClone(edit.value);
  return copy;
}

// ---- predictions ----------------------------------------------------------------------------

/** The test rows, with the columns of the model being tampered with. */
let test: Frame;

function predictions(model: Fitted): Float64Array[] {
  if (isClassifier(model)) return [model.predictProba(test), Float64Array.from(model.predict(test).codes)];
  if (isRegressor(model)) return [model.predict(test)];
  throw new Error(`${model.spec.kind} is not a model`);
}

function same(a: Float64Array[], b: Float64Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i].length && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(b[i].buffer, b[i].byteOffset, b[i].byteLength)));
}

/** Well-formed: one value per row, finite, probabilities in [0, 1] summing to 1 per row. */
function wellFormed(model: Fitted, p: Float64Array[]): string | null {
  if (isClassifier(model)) {
    const K = model.classes.length;
    if (p[0].length !== test.nRows * K) return `${p[0].length} probabilities for ${test.nRows} rows × ${K} classes`;
    for (let i = 0; i < test.nRows; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const v = p[0][i * K + k];
        if (!(v >= 0 && v <= 1)) return `probability ${v}`;
        s += v;
      }
      if (Math.abs(s - 1) > 1e-9) return `probabilities summing to ${s}`;
    }
    return null;
  }
  if (p[0].length !== test.nRows) return `${p[0].length} predictions for ${test.nRows} rows`;
  return p[0].every((v) => Number.isFinite(v)) ? null : "a non-finite prediction";
}

function matches(at: Path, patterns: RegExp[]): boolean {
  const s = at.join(".");
  return patterns.some((p) => p.test(s));
}

/**
 * Fields any model may take a different valid value in: what the user attached (`meta`), and the
 * labels of an input's categories (renaming one makes rows with the old label unseen).
 */
const FREE = [/^meta(\.|$)/, /\.signature\.inputs\.\d+\.categories\.\d+$/, /\.state\.columns\.\d+\.labels\.\d+$/];

const MB = 1024 * 1024;
/** Heap + array buffers a load and predict of these small models may add (they need well under 1 MB). */
const MEMORY_BOUND = 48 * MB;

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

// ---- the tests ------------------------------------------------------------------------------

describe("a tampered model file is refused, or harmless", () => {
  for (const c of cases) {
    describe(c.name, () => {
      let manifest: Record<string, unknown>;
      let blob: Uint8Array;
      let base: Float64Array[];
      const dir = path.join(tmp, c.name);

      beforeAll(async () => {
        test = testRows.select(c.cols.filter((x) => x !== c.target));
        const fitted = await c.spec().fit(train.select(c.cols), { target: c.target });
        saveModel(fitted, dir, { key: null, meta: { metrics: { score: 0.5 }, description: "tamper test" } });
        manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
        blob = new Uint8Array(readFileSync(path.join(dir, "buffers.bin")));
        base = predictions(loadModel(dir, { key: null }));
        expect(same(base, predictions(fitted))).toBe(true);
      }, 60_000);

      beforeEach(() => {
        test = testRows.select(c.cols.filter((x) => x !== c.target));
      });

      it("every field edited and left unsealed: the seal refuses", () => {
        let n = 0;
        const original = canonical(manifest);
        for (const at of fields(manifest)) {
          for (const edit of edits(at.reduce<any>((o, k) => o[k], manifest), typeof at[at.length - 1] === "string")) {
            const m = edited(manifest, at, edit);
            if (canonical(m) === original) continue;
            n++;
            let err: unknown = null;
            try {
              loadModelFromParts(m, blob, `${c.name}/manifest.json`, { key: null });
            } catch (e) {
              err = e;
            }
            const where = `${at.join(".")} ← ${edit.label}`;
            expect(err, where).toBeInstanceOf(CorruptModelError);
            const e = err as CorruptModelError;
            expect(e.message, where).toContain(`${c.name}/manifest.json`);
            // the envelope's own fields are named; any other edit is caught by the seal
            const envelope = ["format", "formatVersion", "seal"].includes(String(at[0])) || at.length === 0;
            if (!envelope) expect(e.path, `${where}: ${e.message}`).toBe("seal.sha256");
          }
        }
        expect(n).toBeGreaterThan(100);
      });

      it("every byte of buffers.bin matters: a flipped bit is refused", () => {
        for (let i = 0; i < blob.length; i += Math.max(1, Math.floor(blob.length / 64))) {
          const b = Uint8Array.from(blob);
          b[i] ^= 1;
          expect(() => loadModelFromParts(manifest, b, c.name, { key: null }), `byte ${i}`).toThrow(/seal.sha256 does not match/);
        }
        if (blob.length >= 8) expect(() => loadModelFromParts(manifest, blob.subarray(0, blob.length - 8), c.name, { key: null })).toThrow(CorruptModelError);
        expect(() => loadModelFromParts(manifest, Uint8Array.of(...blob, 0, 0, 0, 0, 0, 0, 0, 0), c.name, { key: null })).toThrow(CorruptModelError);
      });

      for (const version of c.name === "tree" || c.name === "pipeline" ? [2, 1] : [2])
      it(`every field edited and re-sealed${version === 1 ? " in format version 1 (no seal)" : ""}: refused by the validator, or predictions unchanged / well-formed`, () => {
        const original = canonical(manifest);
        const outcomes = { refused: 0, same: 0, different: 0 };
        const differ: string[] = [];
        const failures: string[] = [];
        const memoryBound = (where: string, before: number) => {
          const grew = memory() - before;
          if (grew > MEMORY_BOUND) failures.push(`${where}: memory grew by ${(grew / MB).toFixed(0)} MB`);
        };
        for (const at of fields(manifest)) {
          if (at[0] === "seal") continue;
          for (const edit of edits(at.reduce<any>((o, k) => o[k], manifest), typeof at[at.length - 1] === "string")) {
            const m = edited(manifest, at, edit);
            if (canonical(m) === original) continue;
            const sealed = version === 2 ? reseal(m as Record<string, unknown>, blob) : asVersion1(m as Record<string, unknown>, blob);
            const where = `${at.join(".")} ← ${edit.label}`;
            if (process.env.KEEL_TAMPER_TRACE) writeSync(2, `${c.name} ${where}\n`);
            const before = memory();
            let model: Fitted | null = null;
            try {
              model = loadModelFromParts(sealed, blob, `${c.name}/manifest.json`, { key: null });
            } catch (e) {
              if (!(e instanceof CorruptModelError)) failures.push(`${where}: not a CORRUPT_MODEL error: ${(e as Error).message}`);
              else if (!e.message.includes(`${c.name}/manifest.json`)) failures.push(`${where}: the error does not name the file: ${e.message}`);
              // a kind's own check failed: it must be a Keel check, not a crash caught on the way out
              else if (e.cause !== undefined && !(e.cause instanceof KeelError)) failures.push(`${where}: the model crashed while loading: ${String((e.cause as Error).stack).split("\n").slice(0, 3).join(" | ")}`);
              else outcomes.refused++;
              memoryBound(where, before);
              continue;
            }
            let p: Float64Array[];
            try {
              p = predictions(model);
            } catch (e) {
              // a valid model of other inputs (a renamed input column): refused input, clearly
              if (!(e instanceof KeelError) || e.code === "INTERNAL") {
                failures.push(`${where}: prediction crashed: ${String((e as Error).stack).split("\n").slice(0, 3).join(" | ")}`);
                continue;
              }
              outcomes.different++;
              differ.push(`${where}: ${e.code}`);
              continue;
            }
            memoryBound(where, before);
            if (same(p, base)) {
              outcomes.same++;
              continue;
            }
            const bad = wellFormed(model, p);
            if (bad) failures.push(`${where}: predicts ${bad}`);
            outcomes.different++;
            differ.push(where);
          }
        }
        // a renamed input column makes a model of other inputs: it refuses this data, clearly
        const unexpected = differ.filter((d) => !matches(d.split(" ← ")[0].split("."), [...c.values, ...FREE]) && !/signature\.inputs\.\d+\.name ← .*: SCHEMA_MISMATCH$/.test(d));
        for (const d of unexpected) failures.push(`${d}: predicts differently (not a field listed as a model value)`);
        if (process.env.KEEL_TAMPER_TRACE) console.log(`${c.name}: ${JSON.stringify(outcomes)}`);
        expect(failures.join("\n")).toBe("");
        expect(outcomes.refused).toBeGreaterThan(50);
      }, 300_000);
    });
  }
});

describe("format version 1, signatures, the CLI", () => {
  let dir: string;
  let manifest: Record<string, unknown>;
  let blob: Uint8Array;
  const csv = path.join(tmp, "rows.csv");

  beforeAll(async () => {
    dir = path.join(tmp, "signed-base");
    const fitted = await linearRegression().fit(train.select([...NUM, "yr"]), { target: "yr" });
    saveModel(fitted, dir, { key: null });
    manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
    blob = new Uint8Array(readFileSync(path.join(dir, "buffers.bin")));
    const rows = testRows.select(NUM);
    const cols = NUM.map((n) => rows.column(n) as { values: Float64Array });
    writeFileSync(csv, [NUM.join(","), ...Array.from({ length: rows.nRows }, (_, i) => cols.map((c) => c.values[i]).join(","))].join("\n") + "\n");
  });

  function write(name: string, m: unknown, b: Uint8Array = blob): string {
    const d = path.join(tmp, name);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d);
    writeFileSync(path.join(d, "manifest.json"), JSON.stringify(m));
    writeFileSync(path.join(d, "buffers.bin"), b);
    return d;
  }

  it("a version 1 file (no seal) still loads, and predicts as the version 2 file", () => {
    const v1 = write("v1", asVersion1(manifest, blob));
    const a = loadModel(v1, { key: null }) as Fitted;
    const b = loadModel(dir, { key: null }) as Fitted;
    test = testRows.select(NUM);
    expect(same(predictions(a), predictions(b))).toBe(true);
    // its buffer checksum still guards the buffers
    const flipped = Uint8Array.from(blob);
    flipped[0] ^= 1;
    expect(() => loadModel(write("v1-flipped", asVersion1(manifest, blob), flipped), { key: null })).toThrow(/buffers.bin.*buffersSha256 is/);
  });

  it("with a key, saving signs and loading checks the signature", async () => {
    const fitted = loadModel(dir, { key: null });
    const signed = path.join(tmp, "signed");
    saveModel(fitted, signed, { key: "server secret" });
    const m = JSON.parse(readFileSync(path.join(signed, "manifest.json"), "utf8"));
    expect(m.seal.hmacSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => loadModel(signed, { key: "server secret" })).not.toThrow();
    // a signed model loads where no key is set (the checksum still holds)
    expect(() => loadModel(signed, { key: null })).not.toThrow();
    // another key, an unsigned model, an edit re-sealed without the key: refused
    expect(() => loadModel(signed, { key: "another" })).toThrow(/seal.hmacSha256 is not a signature made with the key in KEEL_MODEL_KEY/);
    expect(() => loadModel(dir, { key: "server secret" })).toThrow(/is not signed, and KEEL_MODEL_KEY is set/);
    expect(() => loadModel(write("v1-keyed", asVersion1(manifest, blob)), { key: "server secret" })).toThrow(/is not signed \(format version 1\)/);
    const edited = structuredClone(m);
    (edited.root.state as Record<string, number>).intercept += 1;
    const forged = reseal(edited, new Uint8Array(readFileSync(path.join(signed, "buffers.bin"))));
    (forged.seal as Record<string, string>).hmacSha256 = m.seal.hmacSha256;
    const e = (() => {
      try {
        loadModel(write("forged", forged, new Uint8Array(readFileSync(path.join(signed, "buffers.bin")))), { key: "server secret" });
      } catch (err) {
        return err as CorruptModelError;
      }
      throw new Error("the forged model loaded");
    })();
    expect(e).toBeInstanceOf(CorruptModelError);
    expect(e.path).toBe("seal.hmacSha256");
    // the resealed edit with the right key loads: the key holder may edit
    expect(() => loadModel(write("resigned", reseal(edited, new Uint8Array(readFileSync(path.join(signed, "buffers.bin"))), "server secret"), new Uint8Array(readFileSync(path.join(signed, "buffers.bin")))), { key: "server secret" })).not.toThrow();
  });

  it("keel predict on a tampered model: exit 1, a corrupt-model error naming file and field, bounded memory", () => {
    const ok = keel(["predict", dir, csv], { env: { KEEL_MODEL_KEY: "" } });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    // unsealed edit: the seal refuses
    const edited = structuredClone(manifest) as { root: { buffers: { coef: { length: number } } } };
    edited.root.buffers.coef.length = 2 ** 31;
    const unsealed = write("cli-unsealed", edited);
    let r = keel(["predict", unsealed, csv], { env: { KEEL_MODEL_KEY: "", NODE_OPTIONS: "--max-old-space-size=256" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt model .*cli-unsealed.*seal\.sha256 does not match/);
    // re-sealed: the validator refuses before allocating anything
    r = keel(["predict", write("cli-resealed", reseal(edited as unknown as Record<string, unknown>, blob)), csv], { env: { KEEL_MODEL_KEY: "", NODE_OPTIONS: "--max-old-space-size=256" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt model .*cli-resealed.manifest\.json.*: root\.buffers\.coef\.length is 2147483648, expected an element count from 0 to/);
    // a signing key in the environment: unsigned models are refused
    r = keel(["predict", dir, csv], { env: { KEEL_MODEL_KEY: "server secret" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not signed, and KEEL_MODEL_KEY is set/);
  });
});
