/// <reference types="vite/client" />
/**
 * The estimator conformance suite (scikit-learn's `check_estimator`, Hono's shared router cases):
 * every transformer and model listed under `cases/` goes through the same checks.
 */
import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { categoricalFromValues, type Column } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { artifactFromBytes, artifactToBytes } from "../../../src/estimator/artifact.js";
import { estimatorDefinition, fittedFromArtifact, specFromJson } from "../../../src/estimator/define.js";
import { type Fitted, isClassifier, isRegressor, isTransformer } from "../../../src/estimator/types.js";
import type { EstimatorCase } from "./case.js";

const modules = import.meta.glob<{ cases: EstimatorCase[] }>("./cases/*.ts", { eager: true });
const cases: EstimatorCase[] = Object.values(modules).flatMap((m) => m.cases);

/** Whatever an estimator outputs, as plain numbers/strings for exact comparison. */
function output(f: Fitted, data: Frame): unknown {
  if (isClassifier(f)) return { labels: labels(f.predict(data)), proba: [...f.predictProba(data)] };
  if (isRegressor(f)) return [...f.predict(data)];
  if (isTransformer(f)) return f.transform(data).toRows();
  throw new Error(`${f.spec.kind}: a fitted estimator must be a classifier, regressor or transformer`);
}

function labels(c: Column): (string | null)[] {
  if (c.kind !== "categorical") throw new Error("a classifier's predict must return a categorical column");
  return Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]));
}

function fitOptions(c: EstimatorCase, seed = 7) {
  return { target: c.target, rng: new Rng(seed), threads: 1 };
}

/** Predict/transform input: the training data without the target column. */
function features(c: EstimatorCase, data: Frame): Frame {
  return c.target && data.has(c.target) ? data.drop([c.target]) : data;
}

function expectKeelError(fn: () => unknown, mention?: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected a KeelError").toBeInstanceOf(KeelError);
  if (mention) expect((thrown as Error).message).toContain(mention);
}

async function expectFitOrKeelError(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (e) {
    expect(e, `a failure must be a KeelError, got: ${String(e)}`).toBeInstanceOf(KeelError);
    return undefined;
  }
}

/** Outputs that handle a problem must still be numbers where numbers are promised. */
function expectFiniteModelOutput(f: Fitted, data: Frame): void {
  if (isClassifier(f)) {
    const p = f.predictProba(data);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
  } else if (isRegressor(f)) {
    for (const v of f.predict(data)) expect(Number.isFinite(v)).toBe(true);
  }
}

describe("estimator conformance", () => {
  it("lists estimators", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    describe(c.name, () => {
      it("fit returns a new fitted object and leaves the spec unchanged", async () => {
        const spec = c.spec();
        const before = JSON.stringify(spec.toJSON());
        const data = c.data();
        const fitted = await spec.fit(data, fitOptions(c));
        expect(JSON.stringify(spec.toJSON())).toBe(before);
        expect(fitted).not.toBe(spec);
        expect(fitted.spec.toJSON()).toEqual(spec.toJSON());
        expect(Object.isFrozen(spec.params)).toBe(true);
        expect(estimatorDefinition(spec.kind).role).toBe(c.role);
      });

      it("spec round-trips through JSON", () => {
        const spec = c.spec();
        expect(specFromJson(JSON.parse(JSON.stringify(spec.toJSON()))).toJSON()).toEqual(spec.toJSON());
      });

      it("same seed gives the same saved bytes", async () => {
        const data = c.data();
        const a = await c.spec().fit(data, fitOptions(c, 11));
        const b = await c.spec().fit(data, fitOptions(c, 11));
        expect(Buffer.from(artifactToBytes(a.save())).equals(Buffer.from(artifactToBytes(b.save())))).toBe(true);
      });

      it("save → load gives identical output", async () => {
        const data = c.data();
        const fitted = await c.spec().fit(data, fitOptions(c));
        const bytes = artifactToBytes(fitted.save());
        const loaded = fittedFromArtifact(artifactFromBytes(bytes).artifact);
        const x = features(c, data);
        expect(output(loaded, x)).toEqual(output(fitted, x));
        expect(loaded.signature).toEqual(fitted.signature);
      });

      it("outputs have the right shapes and names", async () => {
        const data = c.data();
        const fitted = await c.spec().fit(data, fitOptions(c));
        const x = features(c, data);
        if (c.role === "transformer") {
          expect(isTransformer(fitted)).toBe(true);
          if (!isTransformer(fitted)) return;
          const out = fitted.transform(x);
          expect(out.nRows).toBe(x.nRows);
          expect(out.names).toEqual([...fitted.featureNames]);
        } else if (c.role === "classifier") {
          expect(isClassifier(fitted)).toBe(true);
          if (!isClassifier(fitted)) return;
          const k = fitted.classes.length;
          expect(k).toBeGreaterThanOrEqual(2);
          const p = fitted.predictProba(x);
          expect(p.length).toBe(x.nRows * k);
          for (let i = 0; i < x.nRows; i++) {
            let s = 0;
            for (let j = 0; j < k; j++) s += p[i * k + j];
            expect(s).toBeCloseTo(1, 9);
          }
          const pred = fitted.predict(x);
          expect(pred.kind).toBe("categorical");
          if (pred.kind === "categorical") {
            expect(pred.codes.length).toBe(x.nRows);
            expect([...pred.categories]).toEqual([...fitted.classes]);
          }
          expect(fitted.signature.output).toMatchObject({ type: "classification", classes: [...fitted.classes] });
        } else {
          expect(isRegressor(fitted)).toBe(true);
          if (!isRegressor(fitted)) return;
          expect(fitted.predict(x).length).toBe(x.nRows);
          expect(fitted.signature.output).toMatchObject({ type: "regression" });
        }
        // the target column at predict time is accepted and ignored
        if (c.target) expect(output(fitted, data)).toEqual(output(fitted, x));
      });

      it("missing values are handled or refused with a KeelError", async () => {
        const data = c.data();
        const numericCol = data.names.find((n) => n !== c.target && data.kind(n) === "numeric");
        if (!numericCol) return;
        const values = Float64Array.from((data.column(numericCol) as { values: Float64Array }).values);
        for (let i = 0; i < values.length; i += 5) values[i] = NaN;
        const holed = data.withColumn(numericCol, values);
        // at fit time
        await expectFitOrKeelError(() => c.spec().fit(holed, fitOptions(c)));
        // at predict time, for a model fitted on complete data
        const fitted = await c.spec().fit(data, fitOptions(c));
        let out: unknown;
        try {
          out = output(fitted, features(c, holed));
        } catch (e) {
          expect(e, `predicting with NaN must work or throw a KeelError, got: ${String(e)}`).toBeInstanceOf(KeelError);
          expect((e as Error).message).toContain(numericCol);
        }
        if (out !== undefined) expectFiniteModelOutput(fitted, features(c, holed));
      });

      it("unseen categories are handled or refused with a KeelError", async () => {
        const data = c.data();
        const catCol = data.names.find((n) => n !== c.target && data.kind(n) === "categorical");
        if (!catCol) return;
        const fitted = await c.spec().fit(data, fitOptions(c));
        const col = data.column(catCol);
        if (col.kind !== "categorical") return;
        const vals = Array.from(col.codes, (k, i) => (i % 4 === 0 ? "__never_seen__" : k < 0 ? null : col.categories[k]));
        const x = features(c, data.withColumn(catCol, categoricalFromValues(vals)));
        let out: unknown;
        try {
          out = output(fitted, x);
        } catch (e) {
          expect(e, `unseen categories must work or throw a KeelError, got: ${String(e)}`).toBeInstanceOf(KeelError);
        }
        if (out !== undefined) expectFiniteModelOutput(fitted, x);
      });

      it("rejects unknown and ill-typed parameters, naming them", () => {
        expectKeelError(() => c.spec().with({ notARealParameter: 1 }), "notARealParameter");
        expect(c.badParams.length).toBeGreaterThan(0);
        for (const bad of c.badParams) expectKeelError(() => c.spec().with(bad), Object.keys(bad)[0]);
      });

      it("fitting on 0 rows fails clearly; on 1 row it works or fails clearly", async () => {
        const data = c.data();
        await expect(c.spec().fit(data.take([]), fitOptions(c))).rejects.toBeInstanceOf(KeelError);
        const one = await expectFitOrKeelError(() => c.spec().fit(data.take([0]), fitOptions(c)));
        if (one) expect(output(one as Fitted, features(c, data.take([0])))).toBeDefined();
      });

      it("a missing input column at predict time is a KeelError naming it", async () => {
        const data = c.data();
        const fitted = await c.spec().fit(data, fitOptions(c));
        const x = features(c, data);
        const col = fitted.signature.inputs[0]?.name;
        if (!col || !x.has(col)) return;
        expectKeelError(() => output(fitted, x.drop([col])), col);
      });
    });
  }
});
