/** What `keel run` prints for people: the warnings, the choice and its reason, the intervals, the subgroups. */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { keel } from "./run-cli.js";

describe("keel run's output", () => {
  it("shows the ordered-rows warning, the folds with their seed, the one-standard-error choice, the resamples and a subgroup note", () => {
    const rng = new Rng(5);
    const rows = Array.from({ length: 300 }, (_, i) => {
      const x1 = rng.float() * 10;
      const x2 = rng.float() * 5;
      return { x1, x2, y: 3 * x1 - 2 * x2 + rng.float(), region: i % 6 === 0 ? "south" : "north" };
    }).sort((a, b) => a.y - b.y);
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-run-out-"));
    writeFileSync(path.join(dir, "data.csv"), ["x1,x2,y,region", ...rows.map((r) => `${r.x1.toFixed(4)},${r.x2.toFixed(4)},${r.y.toFixed(4)},${r.region}`)].join("\n") + "\n");
    writeFileSync(
      path.join(dir, "keel.yaml"),
      `name: sorted
problem: { task: regression, target: y, metric: r2, protected: [region] }
data: { source: data.csv }
split: { test: 0.2, seed: 3 }
cv: { folds: 5 }
models: [baseline]
`,
    );
    const r = keel(["run", dir, "--threads", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nwarning ROWS_ORDERED: rows are sorted by/);
    expect(r.stdout).toMatch(/\ncandidates \(kfold k=5 shuffled \(seed 3\), r2, higher is better\):/);
    expect(r.stdout).toMatch(/\nchosen: ridge: the best CV mean, 0\.\d{4}; no simpler candidate is within one standard error \(0\.\d{4}\) of it\n/);
    expect(r.stdout).toMatch(/\nridge on the test set, 60 rows, evaluated once \(95% intervals: plain bootstrap over rows, 1000 resamples\):/);
    expect(r.stdout).toMatch(/\nsubgroups by region: only one group has 30 rows or more \(north: \d+\); the others are too small to compare \(south: \d+\)\n/);
  });
});
