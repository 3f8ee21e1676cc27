/**
 * `keel tune --out report.html --json`: the JSON gains each study's fANOVA importance (and leaves
 * the trial history to the report), and the report shows the study of each tuned model.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeTrackingStores, openStore } from "../../src/track/index.js";
import { fixture, keel } from "../cli/run-cli.js";

const YAML = `name: credit
problem: { task: binary, target: Status, positive: bad, metric: roc_auc }
data: { source: credit.csv }
split: { test: 0.25, stratify: true, seed: 7 }
cv: { folds: 3 }
models: [baseline, { gbdt: { maxIter: 15 } }]
tune:
  gbdt:
    space:
      learningRate: { float: [0.02, 0.5], log: true }
      maxLeaves: { int: [4, 32], log: true }
      earlyStopping: { categorical: [true, false] }
    sampler: { name: random, seed: 3 }
    pruner: { name: none }
    trials: 8
`;

afterAll(() => closeTrackingStores());

describe("keel tune --out", () => {
  it("writes the study report and prints importance in --json", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-tune-report-"));
    copyFileSync(fixture("credit-300.csv"), path.join(dir, "credit.csv"));
    writeFileSync(path.join(dir, "keel.yaml"), YAML);
    const out = path.join(dir, "study.html");
    const r = keel(["tune", dir, "--threads", "1", "--json", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { report: string; studies: { model: string; study: string; bestTrial: number; importance: Record<string, number> | null; history?: unknown }[] };
    expect(j.report).toBe(out);
    expect(j.studies).toHaveLength(1);
    const s = j.studies[0];
    expect(s.history).toBeUndefined();
    expect(Object.keys(s.importance!).sort()).toEqual(["earlyStopping", "learningRate", "maxLeaves"]);
    expect(Object.values(s.importance!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);

    expect(existsSync(out)).toBe(true);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("<title>credit: tuning</title>");
    expect(html).toContain(`study ${s.study}`);
    expect(html).toContain(`Best parameters (trial #${s.bestTrial})`);
    for (const chart of ["Optimisation history", "Parameter importance (fANOVA)", "Parallel coordinates", "Slices"]) expect(html).toContain(`<h3>${chart}</h3>`);
    expect(html).toContain("best roc_auc");

    // the tune step's run carries the importances as metrics
    const store = await openStore(undefined, { projectDir: dir });
    const steps = await store.searchRuns({ experimentIds: (await store.searchExperiments({})).items.map((x) => x.experimentId), filter: "tags.`keel.step` = 'tune'" });
    expect(steps.items).toHaveLength(1);
    const logged = Object.fromEntries(steps.items[0].data.metrics.filter((m) => m.key.startsWith("importance.")).map((m) => [m.key.slice("importance.".length), m.value]));
    expect(logged).toEqual(s.importance);

    // an --out in a folder that does not exist is refused before any tuning
    const bad = keel(["tune", dir, "--json", "--out", path.join(dir, "nope", "study.html")]);
    expect(bad.code).toBe(2);
    const err = (JSON.parse(bad.stdout) as { error: { code: string; message: string; problems: { path: string }[] } }).error;
    expect(err.message).toMatch(/--out .*nope.*does not exist/);
    expect(err.problems[0].path).toBe("--out");

    // the text form, from the cache, names the importances too
    const t = keel(["tune", dir, "--threads", "1"]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/importance \(fANOVA\): \w+ \d+\.\d%/);
    expect(t.stdout).toContain("(cached)");
  }, 240_000);
});
