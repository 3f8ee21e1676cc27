/**
 * Parameter validation through the Zod schemas every estimator declares: each problem names the
 * parameter, the value and the expectation (read off the parameter's JSON Schema, or a custom
 * check's message); defaults are filled and never shared; `--set` text is typed by the schema.
 */
import { describe as group, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError, KeelError } from "../../src/core/errors.js";
import { describe, jsonParam, parseParamString, resolveParams } from "../../src/estimator/params.js";
import { categoricalNb, gbdtClassifier, gbdtRegressor, logistic, treeClassifier } from "../../src/models/index.js";

function thrown(fn: () => unknown): KeelError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeelError) return e;
    throw e;
  }
  throw new Error("expected a KeelError");
}

group("estimator parameters (Zod schemas)", () => {
  it("names the parameter, the value and the expectation", () => {
    const cases: [() => unknown, string][] = [
      [() => logistic({ C: "big" }), 'parameter "C" of logistic: got "big", expected a number > 0'],
      [() => logistic({ C: 0 }), 'parameter "C" of logistic: got 0, expected a number > 0'],
      [() => gbdtClassifier({ maxLeaves: 1.5 }), 'parameter "maxLeaves" of gbdt-classifier: got 1.5, expected an integer ≥ 2 or null'],
      [() => gbdtClassifier({ maxBins: 256 }), 'parameter "maxBins" of gbdt-classifier: got 256, expected an integer ≥ 2 and ≤ 255'],
      [() => gbdtClassifier({ subsample: 0 }), 'parameter "subsample" of gbdt-classifier: got 0, expected a number > 0 and ≤ 1'],
      [() => gbdtClassifier({ earlyStopping: "yes" }), 'parameter "earlyStopping" of gbdt-classifier: got "yes", expected one of "auto", true, false'],
      [() => gbdtRegressor({ loss: "hinge" }), 'parameter "loss" of gbdt-regressor: got "hinge", expected one of "squared_error", "absolute_error", "huber", "quantile", "poisson"'],
      [() => treeClassifier({ maxFeatures: "all" }), 'parameter "maxFeatures" of tree-classifier: got "all", expected a number ≥ 0 or one of "sqrt", "log2" or null'],
      [() => categoricalNb({ classPrior: ["a"] }), 'parameter "classPrior" of categorical-nb: got ["a"], expected a list of numbers or null'],
      [() => gbdtClassifier({ monotonic: { x: 2 } }), 'parameter "monotonic" of gbdt-classifier: got {"x":2}, expected -1, 0 or 1 for column "x" (an object mapping column names to -1, 0 or 1)'],
      [() => logistic({ fitIntercept: "yes" }), 'parameter "fitIntercept" of logistic: got "yes", expected true or false'],
    ];
    for (const [fn, message] of cases) {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(InvalidInputError);
      expect(e.message).toBe(message);
    }
  });

  it("names an unknown parameter and the nearest known one", () => {
    const e = thrown(() => logistic({ Cee: 2 }));
    expect(e.message).toMatch(/^unknown parameter "Cee" for logistic \(did you mean "C"\?\); known: /);
    expect(e.path).toBe("logistic.Cee");
  });

  it("lists every problem, in the order given", () => {
    const e = thrown(() => gbdtClassifier({ maxIter: 0, nope: 1, learningRate: -1 }));
    expect(e.message).toMatch(/^3 invalid parameters for gbdt-classifier: parameter "maxIter" .*; unknown parameter "nope" .*; parameter "learningRate" of gbdt-classifier: got -1, expected a number > 0$/);
    expect(e.problems.map((p) => p.path)).toEqual(["gbdt-classifier.maxIter", "gbdt-classifier.nope", "gbdt-classifier.learningRate"]);
  });

  it("refuses null where the default is not null, also for JSON parameters", () => {
    expect(thrown(() => gbdtClassifier({ maxIter: null })).message).toBe('parameter "maxIter" of gbdt-classifier: got null, expected an integer ≥ 1');
    expect(thrown(() => gbdtClassifier({ categorical: null })).message).toMatch(/parameter "categorical" of gbdt-classifier: got null, expected /);
    expect(gbdtClassifier({ monotonic: null }).params.monotonic).toBeNull();
  });

  it("refuses non-finite numbers", () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY]) expect(() => logistic({ C: v })).toThrow(/parameter "C" of logistic/);
  });

  it("fills defaults in schema order and never shares a default between specs", () => {
    const schema = { a: z.int().min(1).default(3), list: z.array(z.string()).default(["x"]), j: jsonParam().default({ k: [1] }) };
    const one = resolveParams("t", schema, { a: 5 });
    expect(Object.keys(one)).toEqual(["a", "list", "j"]);
    expect(one).toEqual({ a: 5, list: ["x"], j: { k: [1] } });
    (one.list as string[]).push("y");
    expect(resolveParams("t", schema, {}).list).toEqual(["x"]);
    expect(describe(schema.a)).toBe("an integer ≥ 1");
  });

  it("types --set text by the schema", () => {
    const d = categoricalNb.definition.schema;
    expect(parseParamString("categorical-nb", d, "alpha=0.5,classPrior=0.2;0.8,fitPrior=false")).toEqual({ alpha: 0.5, classPrior: [0.2, 0.8], fitPrior: false });
    const g = gbdtClassifier.definition.schema;
    expect(parseParamString("gbdt-classifier", g, "earlyStopping=true,categorical=[\"a\",\"b\"],maxLeaves=null")).toEqual({ earlyStopping: true, categorical: ["a", "b"], maxLeaves: null });
  });
});
