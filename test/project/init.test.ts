import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { profile } from "../../src/data/profile/index.js";
import { parseProjectText } from "../../src/project/config.js";
import { chooseTarget, initProjectYaml } from "../../src/project/init.js";

function frame(n: number, positiveShare: number, withTime = false): Frame {
  const rng = new Rng(3);
  const cols: Record<string, unknown[]> = {
    customer_id: Array.from({ length: n }, (_, i) => `c${1000 + i}`),
    age: Array.from({ length: n }, () => 20 + rng.int(50)),
    plan: Array.from({ length: n }, () => ["a", "b", "c"][rng.int(3)]),
    churn: Array.from({ length: n }, () => (rng.float() < positiveShare ? "yes" : "no")),
  };
  if (withTime) cols.signup = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 86400000));
  return Frame.fromColumns(cols as never).withColumn("customer_id", { kind: "text", values: cols.customer_id as string[] });
}

describe("keel init", () => {
  it("writes a valid, commented keel.yaml: rare positive → average precision, identifiers dropped, protected columns found", () => {
    const f = frame(600, 0.1);
    const target = chooseTarget(f);
    expect(target).toBe("churn");
    const text = initProjectYaml(f, profile(f, { target }), { source: "churn.csv", target });
    const { config, problems } = parseProjectText(text);
    expect(problems).toEqual([]);
    expect(config!.problem).toMatchObject({ task: "binary", target: "churn", positive: "yes", metric: "average_precision", protected: ["age"] });
    expect(config!.data).toMatchObject({ source: "churn.csv", drop: ["customer_id"], time: null });
    expect(config!.split.stratify).toBe(true);
    expect(text).toMatch(/# What the profile found:\n/);
    expect(text).toMatch(/\n#   ID_LIKE: column "customer_id"/);
    expect(text).toMatch(/\n#   IMBALANCED_TARGET: /);
    expect(text).toMatch(/positive: "yes"/);
  });

  it("uses ROC AUC for a balanced target and a time split when there is a datetime column", () => {
    const f = frame(400, 0.5, true);
    const text = initProjectYaml(f, profile(f, { target: "churn" }), { source: "x.csv", target: "churn" });
    const { config } = parseProjectText(text);
    expect(config!.problem.metric).toBe("roc_auc");
    expect(config!.data.time).toBe("signup");
    expect(config!.split).toMatchObject({ stratify: false, gap: 0 });
  });

  it("infers regression with RMSE, and asks for --target when no column looks like one", () => {
    const f = frame(300, 0.5).withColumn("spend", Float64Array.from({ length: 300 }, (_, i) => (i * 7.3) % 101)).drop(["churn"]);
    expect(() => chooseTarget(f)).toThrow(/pass --target; the columns are/);
    const text = initProjectYaml(f, profile(f, { target: "spend" }), { source: "x.csv", target: "spend" });
    expect(parseProjectText(text).config!.problem).toMatchObject({ task: "regression", metric: "rmse" });
    expect(() => chooseTarget(f, "nope")).toThrow(/target column "nope" is not in the data/);
  });

  it("records the column types given on the command line under data.types, which keel.yaml then reads", () => {
    const f = frame(300, 0.5);
    const text = initProjectYaml(f, profile(f, { target: "churn" }), { source: "x.csv", target: "churn", types: { age: "categorical", customer_id: "text" } });
    expect(text).toMatch(/\n  types: \{ age: categorical, customer_id: text \}/);
    expect(parseProjectText(text).config!.data.types).toEqual({ age: { kind: "categorical", format: null }, customer_id: { kind: "text", format: null } });
    expect(initProjectYaml(f, profile(f, { target: "churn" }), { source: "x.csv", target: "churn" })).not.toMatch(/types:/);
  });
});
