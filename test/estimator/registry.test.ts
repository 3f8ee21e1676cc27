import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CorruptModelError, NotFoundError } from "../../src/core/errors.js";
import { Frame } from "../../src/data/frame.js";
import { numeric, categoricalFromValues } from "../../src/data/column.js";
import { computeSeal, encodeArtifact, loadModelFromParts } from "../../src/estimator/artifact.js";
import { defineEstimator, specFromJson } from "../../src/estimator/define.js";
import { estimatorDefinition, estimatorDefinitions, loadEstimators, registerEstimators } from "../../src/estimator/registry.js";
import { FEATURE_ESTIMATORS } from "../../src/features/index.js";
import { MODEL_ESTIMATORS, dummyClassifier } from "../../src/models/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A kind of its own for these tests; fitting is never reached. */
function testKind(kind: string) {
  return defineEstimator({
    kind,
    role: "transformer",
    schema: { k: z.number().default(1) },
    doc: "a registry test kind",
    fit: () => Promise.reject(new Error("not fitted in these tests")),
    load: () => {
      throw new Error("not loaded in these tests");
    },
  });
}

describe("the estimator registry", () => {
  it("is filled by registerEstimators only: importing models/ and features/ registers nothing", () => {
    // a process of its own, whose only entry is this script: no package root, no CLI, no test setup
    const script = [
      `import("./src/models/index.ts").then(async () => {`,
      `  await import("./src/features/index.ts");`,
      `  const { specFromJson } = await import("./src/estimator/define.ts");`,
      `  try { specFromJson({ kind: "logistic" }); console.log("registered"); } catch (e) { console.log(e.message); }`,
      `});`,
    ].join("\n");
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`unknown estimator kind "logistic"; no estimator kind is registered (an entry point calls registerEstimators with MODEL_ESTIMATORS and FEATURE_ESTIMATORS)`);
  });

  it("names the unknown kind and the known ones", () => {
    expect(() => specFromJson({ kind: "no-such-kind" })).toThrow(NotFoundError);
    expect(() => estimatorDefinition("no-such-kind")).toThrow(/^unknown estimator kind "no-such-kind"; known kinds: .*\bdummy-classifier, dummy-regressor\b.*\blogistic\b/);
  });

  it("lists every kind of models/ and features/ once", () => {
    const kinds = [...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS].map((e) => ("definition" in e ? e.definition : e).kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    const registered = new Set(estimatorDefinitions().map((d) => d.kind));
    for (const k of kinds) expect(registered.has(k), k).toBe(true);
    expect(kinds).toContain("gbdt-classifier");
    expect(kinds).toContain("pipeline-classifier");
  });

  it("lists every estimator factory models/ and features/ export", async () => {
    const listed = new Set([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS].map((e) => ("definition" in e ? e.definition : e).kind));
    for (const surface of [await import("../../src/models/index.js"), await import("../../src/features/index.js")]) {
      for (const [name, value] of Object.entries(surface)) {
        const def = typeof value === "function" && "definition" in value ? (value as { definition: { kind: string } }).definition : null;
        if (def) expect(listed.has(def.kind), `${name} (${def.kind}) is not in MODEL_ESTIMATORS / FEATURE_ESTIMATORS`).toBe(true);
      }
    }
  });

  it("takes the same definition twice, but not two definitions of one kind", () => {
    const a = testKind("registry-test-twice");
    registerEstimators([a]);
    registerEstimators([a.definition]);
    expect(estimatorDefinition("registry-test-twice")).toBe(a.definition);
    expect(() => registerEstimators([testKind("registry-test-twice")])).toThrow("estimator kind registry-test-twice is registered twice, with two different definitions");
  });

  it("loads a lazy source once, when loadEstimators is awaited", async () => {
    const b = testKind("registry-test-lazy");
    let calls = 0;
    registerEstimators(async () => {
      calls++;
      return [b];
    });
    expect(() => estimatorDefinition("registry-test-lazy")).toThrow(/unknown estimator kind "registry-test-lazy"/);
    await Promise.all([loadEstimators(), loadEstimators()]);
    await loadEstimators();
    expect(calls).toBe(1);
    expect(estimatorDefinition("registry-test-lazy")).toBe(b.definition);
  });

  it("a saved model of an unregistered kind fails to load, naming the kind and the known kinds", async () => {
    const frame = Frame.fromColumns({ x: numeric([1, 2, 3, 4]), y: categoricalFromValues(["a", "b", "a", "b"]) });
    const fitted = await dummyClassifier().fit(frame, { target: "y" });
    const { manifest, blob } = encodeArtifact(fitted.save(), {}, { key: null });
    // the kind renamed and the model sealed again, so only the kind is wrong
    const { seal: _seal, ...body } = JSON.parse(JSON.stringify(manifest));
    body.root.kind = "gone-classifier";
    const err = (() => {
      try {
        loadModelFromParts({ ...body, seal: computeSeal(body, blob) }, blob, "tampered", { key: null });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(CorruptModelError);
    expect(err!.message).toMatch(/root\.kind is "gone-classifier", expected a known estimator kind \(known kinds: .*\bdummy-classifier\b/);
  });
});
