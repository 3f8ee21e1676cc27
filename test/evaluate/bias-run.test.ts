/** keel run's pre-training bias step: reported for problem.protected, and keel.yaml's bias: bounds stop the walk before any fitting. */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/data/io/index.js";
import { pretrainingBias } from "../../src/evaluate/pretraining-bias.js";
import { runProject } from "../../src/pipeline/run-project.js";
import { parseProjectText } from "../../src/project/config.js";
import { closeTrackingStores } from "../../src/track/index.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/cli/credit-300.csv");
const dirs: string[] = [];
afterAll(async () => {
  await closeTrackingStores();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const yaml = (bias: string, protectedCols = "[Marital]") => `name: credit
problem:
  task: binary
  target: Status
  positive: bad
  protected: ${protectedCols}
data:
  source: credit.csv
split: { test: 0.25, seed: 7 }
cv: { folds: 2 }
models: [baseline]
${bias}`;

function project(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-bias-"));
  dirs.push(dir);
  copyFileSync(fixture, path.join(dir, "credit.csv"));
  writeFileSync(path.join(dir, "keel.yaml"), text);
  return dir;
}

describe("keel run: pre-training bias", () => {
  it("reports the bias of the protected columns on all labelled rows", async () => {
    const s = await runProject({ project: project(yaml("")), threads: 1 });
    const expected = pretrainingBias(await readTable(fixture), "Status", ["Marital"], { positive: "bad" });
    expect(s.bias).toEqual(expected);
    expect(s.bias!.outcomes).toEqual(["bad"]);
  }, 120_000);

  it("stops before fitting when a group's |DPL| exceeds bias.max_dpl, naming the group and the line", async () => {
    const report = pretrainingBias(await readTable(fixture), "Status", ["Marital"], { positive: "bad" });
    // groups under 30 rows are not held to the bounds
    const big = report.columns[0].groups.filter((g) => g.count >= 30);
    const worstGroup = big.reduce((a, b) => (Math.abs(b.dpl.bad) > Math.abs(a.dpl.bad) ? b : a));
    const worst = Math.abs(worstGroup.dpl.bad);
    const dir = project(yaml(`bias: { max_dpl: ${(worst * 0.9).toFixed(4)} }\n`));
    await expect(runProject({ project: dir, threads: 1 })).rejects.toThrow(new RegExp(`keel\\.yaml:12: pre-training bias beyond keel\\.yaml's bounds.*Marital=${worstGroup.group}: DPL`));
    expect(existsSync(path.join(dir, ".keel", "cache", "fit"))).toBe(false);
    // a bound above the worst group passes
    const ok = await runProject({ project: project(yaml(`bias: { max_dpl: ${(worst * 1.1).toFixed(4)}, max_class_imbalance: 1 }\n`)), threads: 1 });
    expect(ok.bias).toBeDefined();
  }, 120_000);

  it("keel.yaml: bounds checked and tied to protected columns", () => {
    const bad = parseProjectText(yaml("bias: { max_dpl: -1 }\n"));
    expect(bad.problems[0].message).toMatch(/keel\.yaml:12: bias\.max_dpl is -1, expected a number ≥ 0/);
    const range = parseProjectText(yaml("bias: { max_class_imbalance: 2 }\n"));
    expect(range.problems[0].message).toMatch(/bias\.max_class_imbalance is 2, expected a number ≥ 0 and ≤ 1/);
    const unprotected = parseProjectText(yaml("bias: { max_dpl: 0.1 }\n", "[]"));
    expect(unprotected.problems[0].message).toMatch(/bias bounds need problem\.protected/);
    const unknown = parseProjectText(yaml("bias: { max_disparity: 0.1 }\n"));
    expect(unknown.problems[0].path).toMatch(/^bias/);
  });
});
