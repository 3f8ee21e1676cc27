import { describe, expect, it } from "vitest";
import { parseProjectText } from "../../src/project/config.js";

const GOOD = `name: credit
problem:
  task: binary
  target: Status
  positive: bad
  metric: roc_auc
  guards: [f1, log_loss]
  good_enough: 0.80
  protected: [Age, Marital]
  why: "Decline fewer good applicants"
data:
  source: credit_data.csv
  drop: []
  time: null
split: { test: 0.2, stratify: true, gap: null, seed: 42 }
cv: { folds: 5 }
models: [baseline, logistic, { gbdt: { maxLeaves: 15 } }]
`;

describe("keel.yaml", () => {
  it("parses the issue's example with defaults filled", () => {
    const { config, problems } = parseProjectText(GOOD);
    expect(problems).toEqual([]);
    expect(config!.problem).toMatchObject({ task: "binary", target: "Status", positive: "bad", metric: "roc_auc", guards: ["f1", "log_loss"], good_enough: 0.8 });
    expect(config!.models).toEqual([
      { name: "baseline", params: {} },
      { name: "logistic", params: {} },
      { name: "gbdt", params: { maxLeaves: 15 } },
    ]);
    expect(config!.split).toEqual({ test: 0.2, stratify: true, gap: null, seed: 42 });
    expect(config!.data.allow_leaks).toEqual([]);
  });

  it("names the line of an unknown key", () => {
    const { problems } = parseProjectText(GOOD.replace("  why:", "  wyh:"));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^keel\.yaml:10: unknown key "wyh" in problem/);
    expect(problems[0].path).toBe("problem.wyh");
  });

  it("names the line and the expected type of a wrong value", () => {
    const { problems } = parseProjectText(GOOD.replace("task: binary", "task: binery").replace("folds: 5", "folds: 1"));
    expect(problems.map((p) => p.message)).toEqual([
      'keel.yaml:3: problem.task is "binery", expected one of binary | multiclass | regression',
      "keel.yaml:16: cv.folds is 1, expected an integer ≥ 2 and ≤ 100",
    ]);
  });

  it("reports missing required keys and YAML syntax errors", () => {
    expect(parseProjectText("name: x\nproblem: { task: binary }\ndata: { source: a.csv }\n").problems[0].message).toMatch(/missing required key "problem.target"/);
    expect(parseProjectText("name: [x\n").problems[0].message).toMatch(/^keel\.yaml:\d+: YAML syntax error/);
    expect(parseProjectText("- a\n- b\n").problems[0].message).toMatch(/must be a mapping/);
  });

  it("rejects a positive class outside binary tasks and bad model entries", () => {
    const r = parseProjectText(GOOD.replace("task: binary", "task: regression"));
    expect(r.problems[0].message).toMatch(/keel\.yaml:5: problem\.positive only applies to task: binary/);
    const m = parseProjectText(GOOD.replace("models: [baseline, logistic, { gbdt: { maxLeaves: 15 } }]", "models: [baseline, 3]"));
    expect(m.problems[0].message).toMatch(/keel\.yaml:17: models\[1\] is 3/);
  });
});
