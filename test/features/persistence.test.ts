/**
 * Persistence of every features/ transformer and of composites: save → load (directory and
 * archive) gives identical output; corrupt, unknown-kind and unknown-version artifacts fail with
 * a KeelError that says what is wrong.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import { fittedFromArtifact } from "../../src/estimator/define.js";
import { artifactFromBytes, artifactToBytes, loadModel, saveModel } from "../../src/estimator/artifact.js";
import type { ModelArtifact, Spec, Transformer } from "../../src/estimator/types.js";
import {
  columns,
  dateParts,
  defaultPreprocessing,
  hashingEncoder,
  minMaxScaler,
  oneHot,
  ordinalEncoder,
  pipeline,
  robustScaler,
  simpleImputer,
  standardScaler,
  targetEncoder,
  toNumeric,
} from "../../src/features/index.js";
import { fixtureData } from "./fixture.js";

const tmp = mkdtempSync(path.join(tmpdir(), "keel-features-persist-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COLS = ["Seniority", "Income", "Home", "Marital", "Job", "state", "flag", "when", "note", "Status"];

const specs: [string, () => Spec][] = [
  ["simple-imputer", () => simpleImputer({ strategy: "most_frequent", addIndicator: true })],
  ["simple-imputer constant", () => simpleImputer({ strategy: "constant", fillValue: "none", columns: ["Home", "state"] })],
  ["standard-scaler", () => standardScaler()],
  ["min-max-scaler", () => minMaxScaler({ featureRange: [-2, 2], clip: true })],
  ["robust-scaler", () => robustScaler({ quantileRange: [5, 95] })],
  ["one-hot", () => oneHot({ handleUnknown: "infrequent_if_exist", minFrequency: 5, drop: "if_binary" })],
  ["ordinal-encoder", () => ordinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: -1 })],
  ["target-encoder", () => targetEncoder({ columns: ["Home", "Marital", "state"] })],
  ["date-parts", () => dateParts()],
  ["hashing-encoder", () => hashingEncoder({ nFeatures: 16 })],
  ["to-numeric", () => toNumeric()],
  ["column-transformer", () => columns({ te: [["state"], targetEncoder()], num: [{ kind: "numeric" }, simpleImputer()], remainder: "passthrough" })],
  ["pipeline", () => pipeline(simpleImputer({ strategy: "most_frequent" }), oneHot({ handleUnknown: "ignore" }), standardScaler())],
  ["default preprocessing", () => defaultPreprocessing({ scale: true })],
];

describe("save → load gives identical output", () => {
  const { train, test } = fixtureData();
  const data = train.select(COLS);
  const x = test.select(COLS.slice(0, -1));
  for (const [name, spec] of specs) {
    it(name, async () => {
      const fitted = (await spec().fit(data, { target: "Status" })) as Transformer;
      const want = fitted.transform(x).toRows();
      for (const format of ["dir", "archive"] as const) {
        const where = path.join(tmp, `${name.replace(/\W+/g, "-")}-${format}`);
        saveModel(fitted, where, { format });
        const loaded = loadModel<Transformer>(where);
        expect(loaded.spec.toJSON()).toEqual(fitted.spec.toJSON());
        expect(loaded.featureNames).toEqual(fitted.featureNames);
        expect(loaded.signature).toEqual(fitted.signature);
        expect(loaded.transform(x).toRows()).toEqual(want);
        // and saving the loaded model gives the same bytes
        expect(Buffer.from(artifactToBytes(loaded.save())).equals(Buffer.from(artifactToBytes(fitted.save())))).toBe(true);
      }
    });
  }
});

/** A deep copy of an artifact (typed arrays copied) to tamper with. */
function copy(a: ModelArtifact): ModelArtifact {
  return artifactFromBytes(artifactToBytes(a)).artifact;
}

function keelError(fn: () => unknown): KeelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeelError);
    return e as KeelError;
  }
  throw new Error("expected a KeelError");
}

describe("corrupt artifacts are clear errors", () => {
  const { train } = fixtureData();
  const data = train.select(COLS);

  it("unknown kind", async () => {
    const a = copy((await standardScaler().fit(data, { target: "Status" })).save());
    a.kind = "standard-scalar";
    expect(keelError(() => fittedFromArtifact(a)).message).toMatch(/unknown estimator kind "standard-scalar"/);
  });

  it("a state version from a newer Keel", async () => {
    const a = copy((await oneHot().fit(data, { target: "Status" })).save());
    a.state.version = 2;
    expect(keelError(() => fittedFromArtifact(a)).message).toMatch(/one-hot artifact has state version 2; this Keel reads versions 1 to 1/);
  });

  it("a model format version from a newer Keel", async () => {
    const where = path.join(tmp, "future");
    saveModel(await standardScaler().fit(data, { target: "Status" }), where);
    const m = JSON.parse(readFileSync(path.join(where, "manifest.json"), "utf8"));
    m.formatVersion = 99;
    writeFileSync(path.join(where, "manifest.json"), JSON.stringify(m));
    expect(keelError(() => loadModel(where)).message).toMatch(/format version 99/);
  });

  it("flipped buffer bytes fail the checksum", async () => {
    const where = path.join(tmp, "flipped");
    saveModel(await robustScaler().fit(data, { target: "Status" }), where);
    const b = readFileSync(path.join(where, "buffers.bin"));
    b[3] ^= 0xff;
    writeFileSync(path.join(where, "buffers.bin"), b);
    expect(keelError(() => loadModel(where)).message).toMatch(/corrupt model .*flipped.*: seal.sha256 does not match the content/);
  });

  it("missing or ill-typed state fields are named", async () => {
    const scaler = (await standardScaler().fit(data, { target: "Status" })).save();
    const a = copy(scaler);
    delete a.state.columns;
    expect(keelError(() => fittedFromArtifact(a)).message).toMatch(/standard-scaler artifact is corrupt: state.columns is undefined, expected a list of strings/);
    const b = copy(scaler);
    b.buffers.b = new Float64Array(1);
    expect(keelError(() => fittedFromArtifact(b)).message).toMatch(/buffers.b .* expected a Float64Array of length 2/);
    const c = copy(scaler);
    c.state.columns = ["Seniority", "nope"];
    expect(keelError(() => fittedFromArtifact(c)).message).toMatch(/state.columns is "nope", expected a column of the signature's inputs/);
    const oh = copy((await oneHot().fit(data, { target: "Status" })).save());
    (oh.state.columns as { slots: number[] }[])[0].slots = [99];
    expect(keelError(() => fittedFromArtifact(oh)).message).toMatch(/one-hot artifact is corrupt: state.columns\[0\]/);
    const te = copy((await targetEncoder().fit(data, { target: "Status" })).save());
    delete te.buffers.enc1;
    expect(keelError(() => fittedFromArtifact(te)).message).toMatch(/target-encoder artifact is corrupt: buffers.enc1/);
    const imp = copy((await simpleImputer().fit(data, { target: "Status" })).save());
    imp.state.fills = [1];
    expect(keelError(() => fittedFromArtifact(imp)).message).toMatch(/state.fills/);
    const noSig = copy(scaler);
    (noSig.signature as { inputs: unknown }).inputs = "x";
    expect(keelError(() => fittedFromArtifact(noSig)).message).toMatch(/signature.inputs/);
  });

  it("a pipeline with a missing or mismatched step", async () => {
    const p = (await pipeline(simpleImputer(), standardScaler()).fit(data, { target: "Status" })).save();
    const a = copy(p);
    delete a.children!.step1;
    expect(keelError(() => fittedFromArtifact(a)).message).toMatch(/pipeline artifact is corrupt: children.step1/);
    const b = copy(p);
    b.children!.step1 = copy(b.children!.step0);
    expect(keelError(() => fittedFromArtifact(b)).message).toMatch(/children.step1.kind is "simple-imputer", expected "standard-scaler"/);
    const c = copy(p);
    c.state.steps = 3;
    expect(keelError(() => fittedFromArtifact(c)).message).toMatch(/state.steps/);
  });

  it("a column transformer with a broken branch", async () => {
    const ct = (await columns({ n: [{ kind: "numeric" }, standardScaler()] }).fit(data, { target: "Status" })).save();
    const a = copy(ct);
    delete a.children!.branch0;
    expect(keelError(() => fittedFromArtifact(a)).message).toMatch(/column-transformer artifact is corrupt: children.branch0/);
    const b = copy(ct);
    b.state.branches = [];
    expect(keelError(() => fittedFromArtifact(b)).message).toMatch(/state.branches/);
  });
});
