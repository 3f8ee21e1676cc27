/**
 * pipeline(): chains real transformers and real models (models/linear, models/gbdt), fits later
 * steps on the cross-fitted training output, agrees with scikit-learn's Pipeline, and saves and
 * loads as one model.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KeelError, SchemaMismatchError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { cloneFitted, loadModel, saveModel } from "../../src/estimator/artifact.js";
import { specFromJson } from "../../src/estimator/define.js";
import { type Classifier, type Regressor, isClassifier, isRegressor, isTransformer } from "../../src/estimator/types.js";
import {
  ClassifierPipeline,
  autoPipeline,
  columns,
  defaultPreprocessing,
  fitTransform,
  oneHot,
  pipeline,
  simpleImputer,
  standardScaler,
  targetEncoder,
} from "../../src/features/index.js";
import { gbdtClassifier } from "../../src/models/gbdt/index.js";
import { type FittedLogistic, logistic, ridge } from "../../src/models/linear/index.js";
import { fixtureData } from "./fixture.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(HERE, "../fixtures/features/reference.json"), "utf8")) as {
  models: { name: string; params: { steps: unknown[] }; columns: string[]; target: string; classes?: string[]; proba?: number[][]; predict?: number[] }[];
};

const tmp = mkdtempSync(path.join(tmpdir(), "keel-features-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("pipeline vs scikit-learn Pipeline", () => {
  const { train, test } = fixtureData();
  for (const m of ref.models) {
    it(m.name, async () => {
      const spec = specFromJson({ kind: m.proba ? "pipeline-classifier" : "pipeline-regressor", params: m.params as Record<string, unknown> });
      const fitted = await spec.fit(train.select([...m.columns, m.target]), { target: m.target });
      const x = test.select(m.columns);
      if (m.proba) {
        expect(isClassifier(fitted)).toBe(true);
        const c = fitted as Classifier;
        expect([...c.classes]).toEqual(m.classes);
        const p = c.predictProba(x);
        const k = c.classes.length;
        let worst = 0;
        m.proba.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(p[i * k + j] - v)))));
        expect(worst).toBeLessThan(1e-6);
      } else {
        expect(isRegressor(fitted)).toBe(true);
        const y = (fitted as Regressor).predict(x);
        let worst = 0;
        m.predict!.forEach((v, i) => (worst = Math.max(worst, Math.abs(y[i] - v) / Math.max(1, Math.abs(v)))));
        expect(worst).toBeLessThan(1e-9);
      }
    });
  }
});

describe("pipeline()", () => {
  const { train, test } = fixtureData();
  const cols = ["Seniority", "Income", "Home", "Marital", "Job", "state", "Status"];
  const data = train.select(cols);

  it("picks the kind from the last step and rebuilds from JSON", () => {
    expect(pipeline(standardScaler(), logistic()).kind).toBe("pipeline-classifier");
    expect(pipeline(standardScaler(), ridge()).kind).toBe("pipeline-regressor");
    expect(pipeline(standardScaler(), oneHot()).kind).toBe("pipeline");
    expect(pipeline().kind).toBe("pipeline");
    const spec = pipeline(simpleImputer(), logistic({ C: 2 }));
    expect(specFromJson(JSON.parse(JSON.stringify(spec))).toJSON()).toEqual(spec.toJSON());
    expect(spec.params.steps).toEqual([simpleImputer().toJSON(), logistic({ C: 2 }).toJSON()]);
  });

  it("refuses a model before the last step, naming the step", () => {
    expect(() => pipeline(logistic(), standardScaler())).toThrow(/step 0 \(logistic\) is a classifier/);
    expect(() => specFromJson({ kind: "pipeline-classifier", params: { steps: [{ kind: "standard-scaler", params: {} }] } })).toThrow(/steps.*step 0 \(standard-scaler\) is a transformer/);
    expect(() => pipeline({ kind: "no-such-kind" })).toThrow(KeelError);
  });

  it("fits later steps on the cross-fitted training output of a target encoder", async () => {
    const te = targetEncoder({ shuffle: false, columns: ["Home", "Marital", "Job", "state"] });
    const fitted = (await pipeline(simpleImputer({ strategy: "median" }), te, logistic()).fit(data, { target: "Status" })) as ClassifierPipeline;
    // by hand: impute, fit_transform the encoder, fit logistic on that
    const imp = await fitTransform(simpleImputer({ strategy: "median" }), data, { target: "Status" });
    const step1 = imp.output.withColumn("Status", data.column("Status"));
    const enc = await fitTransform(te, step1, { target: "Status" });
    expect(enc.crossFitted).toBe(true);
    const byHand = await logistic().fit(enc.output.withColumn("Status", data.column("Status")), { target: "Status" });
    const model = fitted.steps[2] as FittedLogistic;
    expect([...model.coef]).toEqual([...byHand.coef]);
    // ... which is not what fitting on the full-data encoding gives
    const leaky = await logistic().fit(enc.fitted.transform(step1).withColumn("Status", data.column("Status")), { target: "Status" });
    expect([...model.coef]).not.toEqual([...leaky.coef]);
    // predictions on new data go through the full-data encoding
    const x = test.select(cols.slice(0, -1));
    expect([...fitted.predictProba(x)]).toEqual([...byHand.predictProba(enc.fitted.transform(imp.fitted.transform(x)))]);
  });

  it("a transformer pipeline's own training output is cross-fitted too, and nests", async () => {
    const inner = pipeline(simpleImputer({ strategy: "most_frequent" }), targetEncoder({ shuffle: false, columns: ["Home", "state"] }));
    const outer = pipeline(inner, standardScaler());
    const r = await fitTransform(outer, data, { target: "Status" });
    expect(r.crossFitted).toBe(true);
    expect(r.output.names).toEqual([...r.fitted.featureNames]);
    expect(r.output.has("Status")).toBe(false);
    const plain = r.fitted.transform(data);
    expect(r.output.toRows()).not.toEqual(plain.toRows());
    // without a target encoder the training output is just transform()
    const r2 = await fitTransform(pipeline(simpleImputer(), standardScaler()), data, { target: "Status" });
    expect(r2.crossFitted).toBe(false);
    expect(r2.output.toRows()).toEqual(r2.fitted.transform(data).toRows());
  });

  it("saves each step as a child and loads back with identical predictions", async () => {
    const spec = pipeline(columns({ num: [{ kind: "numeric" }, simpleImputer(), standardScaler()], cat: [{ kind: "categorical" }, simpleImputer({ strategy: "most_frequent" }), oneHot({ handleUnknown: "ignore" })] }), logistic());
    const fitted = (await spec.fit(data, { target: "Status" })) as ClassifierPipeline;
    const art = fitted.save();
    expect(Object.keys(art.children ?? {})).toEqual(["step0", "step1"]);
    expect(art.children!.step0.kind).toBe("column-transformer");
    expect(art.children!.step1.kind).toBe("logistic");
    const x = test.select(cols.slice(0, -1));
    for (const format of ["dir", "archive"] as const) {
      const where = path.join(tmp, `pipe-${format}`);
      saveModel(fitted, where, { format });
      const loaded = loadModel<ClassifierPipeline>(where);
      expect(loaded.spec.kind).toBe("pipeline-classifier");
      expect([...loaded.predictProba(x)]).toEqual([...fitted.predictProba(x)]);
      expect(loaded.predict(x)).toEqual(fitted.predict(x));
      expect(loaded.signature).toEqual(fitted.signature);
    }
  });

  it("checks input at predict time: a missing column is SCHEMA_MISMATCH naming it", async () => {
    const fitted = await autoPipeline(logistic()).fit(data, { target: "Status" });
    const x = test.select(cols.slice(0, -1));
    let err: unknown;
    try {
      (fitted as Classifier).predictProba(x.drop(["Income"]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaMismatchError);
    expect((err as Error).message).toContain('"Income"');
    expect(() => (fitted as Classifier).predict(x.withColumn("surprise", new Float64Array(x.nRows)))).toThrow(/surprise/);
    // the target column may be present and is ignored
    expect([...(fitted as Classifier).predictProba(test.select(cols))]).toEqual([...(fitted as Classifier).predictProba(x)]);
  });

  it("an empty pipeline passes its input through (aligned)", async () => {
    const f = await pipeline().fit(data, { target: "Status" });
    expect(isTransformer(f)).toBe(true);
    if (!isTransformer(f)) return;
    expect(f.featureNames).toEqual(cols.slice(0, -1));
    expect(f.transform(data).toRows()).toEqual(data.drop(["Status"]).toRows());
  });

  it("carries a validation frame through the fitted transformers to the model", async () => {
    const rng = new Rng(5);
    const rows = Array.from({ length: 300 }, () => {
      const city = ["a", "b", "c"][rng.int(3)];
      const x = rng.normal();
      return { x, city, y: x + (city === "a" ? 1 : 0) + rng.normal() > 0.5 ? "1" : "0" };
    });
    const all = Frame.fromRows(rows, { kinds: { x: "numeric", city: "categorical", y: "categorical" } });
    const spec = pipeline(defaultPreprocessing(), gbdtClassifier({ maxIter: 20, earlyStopping: true }));
    const fitted = (await spec.fit(all.slice(0, 200), { target: "y", validation: all.slice(200) })) as ClassifierPipeline;
    const model = fitted.steps[1] as unknown as { history: { valid: Float64Array | null } };
    expect(model.history.valid).not.toBeNull();
    expect(model.history.valid!.length).toBeGreaterThan(0);
  });

  it("stops with CANCELLED when the signal is aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(pipeline(simpleImputer(), logistic()).fit(data, { target: "Status", signal: ac.signal })).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("round-trips through cloneFitted with identical bytes of output", async () => {
    const f = await autoPipeline(ridge()).fit(train.select(["Seniority", "Income", "Home", "score"]), { target: "score" });
    const c = cloneFitted(f);
    const x = test.select(["Seniority", "Income", "Home"]);
    expect([...(c as Regressor).predict(x)]).toEqual([...(f as Regressor).predict(x)]);
  });
});
