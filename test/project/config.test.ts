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
    expect(config!.split).toEqual({ test: 0.2, stratify: true, gap: null, seed: 42, group: null });
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

  it("gives each problem its line and column, the value and what was expected, through the Zod schema", () => {
    const text = GOOD.replace("  guards: [f1, log_loss]", "  guards: [f1, 3]").replace("seed: 42 }", "seed: -1 }").replace("cv: { folds: 5 }", "cv: 5\nextra: 1");
    const { problems, config } = parseProjectText(text);
    expect(config).toBeUndefined();
    expect(problems.map((p) => ({ path: p.path, line: p.line, column: p.column, message: p.message }))).toEqual([
      { path: "problem.guards.1", line: 7, column: 16, message: "keel.yaml:7: problem.guards[1] is 3, expected a metric name" },
      { path: "split.seed", line: 15, column: 48, message: "keel.yaml:15: split.seed is -1, expected an integer ≥ 0" },
      { path: "cv", line: 16, column: 1, message: "keel.yaml:16: cv is 5, expected a mapping" },
      { path: "extra", line: 17, column: 1, message: 'keel.yaml:17: unknown key "extra"; expected one of name, problem, data, split, cv, bias, models, gates, monitor, serve, tune, retrain' },
    ]);
    expect(problems[1]).toMatchObject({ expected: "an integer ≥ 0", received: -1 });
    const missing = parseProjectText("name: x\ndata: { source: a.csv }\n").problems;
    expect(missing).toMatchObject([{ path: "", line: 1, column: 1, message: 'keel.yaml:1: missing required key "problem"', expected: "a mapping" }]);
    const syntax = parseProjectText("name: x\nproblem: [a\n").problems[0];
    expect(syntax).toMatchObject({ line: 3, column: 1 });
  });

  it("reads data.types, split.group, cv.shuffle and cv.repeats, with their defaults", () => {
    const { config, problems } = parseProjectText(
      GOOD.replace("  time: null", '  time: null\n  types: { zip: categorical, notes: text, sold: { datetime: "%d/%m/%Y" }, amount: numeric }')
        .replace("seed: 42 }", "seed: 42, group: Customer }")
        .replace("cv: { folds: 5 }", "cv: { folds: 5, shuffle: false }"),
    );
    expect(problems).toEqual([]);
    expect(config!.data.types).toEqual({ zip: { kind: "categorical", format: null }, notes: { kind: "text", format: null }, sold: { kind: "datetime", format: "%d/%m/%Y" }, amount: { kind: "numeric", format: null } });
    expect(config!.split.group).toBe("Customer");
    expect(config!.cv).toEqual({ folds: 5, shuffle: false, repeats: 1 });
    expect(parseProjectText(GOOD).config!.cv).toEqual({ folds: 5, shuffle: true, repeats: 1 });
    expect(parseProjectText(GOOD.replace("  time: null", "  time: date")).config!.cv).toEqual({ folds: 5, shuffle: false, repeats: 1 });
  });

  it("refuses types it does not know, and folds or splits that contradict a time order", () => {
    const msgs = (text: string) => parseProjectText(text).problems.map((p) => p.message);
    expect(msgs(GOOD.replace("  time: null", "  time: null\n  types: { zip: category }"))).toEqual([
      'keel.yaml:15: data.types.zip is "category", expected one of numeric | categorical | text | datetime, or { datetime: "<strptime format>" } such as { datetime: "%d/%m/%Y" }',
    ]);
    expect(msgs(GOOD.replace("  time: null", "  time: null\n  types: { sold: { datetime: dd/mm } }"))[0]).toMatch(/data\.types\.sold\.datetime is "dd\/mm", expected a strptime format/);
    expect(msgs(GOOD.replace("  time: null", "  time: null\n  categorical: [zip]"))).toEqual([
      'keel.yaml:15: unknown key "categorical" in data; expected one of source, drop, time, types, allow_leaks (column types are declared under data.types, e.g. types: { zip: categorical })',
    ]);
    const timed = GOOD.replace("  time: null", "  time: date");
    expect(msgs(timed.replace("cv: { folds: 5 }", "cv: { folds: 5, shuffle: true, repeats: 3 }"))).toEqual([
      'keel.yaml:16: cv.shuffle cannot be true: data.time is set ("date"): the split and folds are time-ordered, never shuffled',
      'keel.yaml:16: cv.repeats cannot be 3: data.time is set ("date"): the split and folds are time-ordered, one way only',
    ]);
    expect(msgs(timed.replace("seed: 42 }", "seed: 42, group: c }"))[0]).toMatch(/^keel\.yaml:15: split\.group cannot be used with data\.time/);
    expect(msgs(GOOD.replace("gap: null", "gap: 7d"))).toEqual(['keel.yaml:15: split.gap "7d" is a duration, which needs a datetime column in data.time']);
    expect(parseProjectText(timed.replace("gap: null", "gap: 7d")).config!.split.gap).toBe("7d");
    expect(msgs(GOOD.replace("gap: null", "gap: 7 days"))[0]).toMatch(/split\.gap is "7 days", expected an integer ≥ 0 \(rows\) or a duration: a number and a unit \(ms, s, m or min, h, d, w\), e\.g\. 30m, 12h, 7d/);
  });
});
