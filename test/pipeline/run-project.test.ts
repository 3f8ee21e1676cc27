import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { oneStandardErrorChoice } from "../../src/evaluate/one-standard-error.js";
import { readTable } from "../../src/data/io/index.js";
import { classTarget } from "../../src/estimator/input.js";
import { runProject } from "../../src/pipeline/run-project.js";
import { splitData } from "../../src/pipeline/steps/split.js";
import { loadProject } from "../../src/project/config.js";
import { openRegistry } from "../../src/registry/index.js";
import { closeTrackingStores, openStore } from "../../src/track/index.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/cli/credit-300.csv");

const YAML = `name: credit
problem:
  task: binary
  target: Status
  positive: bad
  metric: roc_auc
  guards: [f1, log_loss]
  good_enough: 0.6
  protected: [Marital]
  why: "Decline fewer good applicants"
data:
  source: credit.csv
split: { test: 0.25, stratify: true, seed: 7 }
cv: { folds: 3 }
models: [baseline, { gbdt: { maxIter: 20 } }]
`;

function project(yaml = YAML): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-run-"));
  copyFileSync(fixture, path.join(dir, "credit.csv"));
  writeFileSync(path.join(dir, "keel.yaml"), yaml);
  return dir;
}

afterAll(() => closeTrackingStores());

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name));
}

describe("keel run", () => {
  it("runs end to end: tracked runs, a registered version with @challenger, and a cache hit the second time", async () => {
    const dir = project();
    const s = await runProject({ project: dir, threads: 1 });
    expect(s.task).toBe("binary");
    expect(s.candidates.map((c) => c.model)).toEqual(["dummy", "logistic", 'gbdt{"maxIter":20}']);
    expect(s.candidates[0].cv.mean).toBe(0.5);
    expect(s.candidates.map((c) => c.model)).toContain(s.chosen);
    expect(s.test.rows).toBe(75);
    expect(s.test.metrics.roc_auc).toBeGreaterThan(0.5);
    expect(s.test.intervals.roc_auc.low).toBeLessThanOrEqual(s.test.metrics.roc_auc);
    expect(s.test.intervals.roc_auc.high).toBeGreaterThanOrEqual(s.test.metrics.roc_auc);
    expect(s.test.confusion!.labels).toEqual(["good", "bad"]);
    expect(s.test.confusion!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(75);
    expect(Object.keys(s.subgroups.Marital).length).toBeGreaterThan(1);
    for (const g of Object.values(s.subgroups.Marital)) expect(g.n).toBeGreaterThan(0);
    expect(s.verdict.beatsBaseline).toBe(true);
    expect(s.registered).toMatchObject({ name: "credit", version: "1", alias: "challenger", reused: false });
    expect(s.cache.hits).toBe(0);

    // tracked: one parent run with a child run per candidate, in the project's store
    const store = await openStore(path.join(dir, ".keel", "keel.db"));
    const runs = (await store.searchRuns({ experimentIds: [s.candidates.length ? (await store.getExperimentByName("credit")).experimentId : "0"], maxResults: 100 })).items;
    const parent = runs.find((r) => r.info.runId === s.runId)!;
    expect(parent.info.status).toBe("FINISHED");
    const children = runs.filter((r) => r.info.parentRunId === s.runId);
    expect(children.map((r) => r.info.runName).sort()).toEqual(s.candidates.map((c) => c.model).sort());
    const gb = children.find((r) => r.info.runName === 'gbdt{"maxIter":20}')!;
    const foldAuc = await store.getMetricHistory(gb.info.runId, "fold_roc_auc");
    expect(foldAuc.items.map((m) => m.step)).toEqual([0, 1, 2]);
    const registry = await openRegistry(store);
    const byAlias = await registry.getModelVersionByAlias("credit", "challenger");
    expect(byAlias.runId).toBe(s.runId);

    // second run: everything cached, nothing registered again
    const again = await runProject({ project: dir, threads: 1 });
    // ... and tracked alike: the same params and metrics on the run, the chosen model's training curve included
    const recorded = async (runId: string) => {
      const r = await store.getRun(runId);
      return { params: Object.fromEntries(r.data.params.map((p) => [p.key, p.value])), metrics: r.data.metrics.map((m) => m.key).sort() };
    };
    const [tracked, trackedAgain] = [await recorded(s.runId), await recorded(again.runId)];
    expect(trackedAgain).toEqual(tracked);
    expect(tracked.params.model).toBe("pipeline-classifier");
    expect(tracked.metrics.some((k) => /loss$/.test(k) && !k.startsWith("test_"))).toBe(true);
    await store.close();
    expect(again.cache.misses).toBe(0);
    expect(again.cache.hits).toBeGreaterThanOrEqual(4);
    expect(again.candidates.every((c) => c.cached)).toBe(true);
    expect(again.registered).toMatchObject({ version: "1", reused: true });
    expect(again.test.metrics).toEqual(s.test.metrics);
    // the promotion gates came from the cache too (no miss above); a new @champion is a new key: evaluated again, against it
    expect(s.gates?.champion).toBeNull();
    expect(again.gates).toEqual(s.gates);
    const store2 = await openStore(path.join(dir, ".keel", "keel.db"));
    const registry2 = await openRegistry(store2);
    await registry2.setRegisteredModelAlias("credit", "champion", "1");
    await registry2.close();
    await store2.close();
    const third = await runProject({ project: dir, threads: 1 });
    expect(third.cache.misses).toBe(1);
    expect(third.gates?.champion).toBe("1");
    expect(third.gates?.gates.map((g) => g.gate)).toEqual(s.gates?.gates.map((g) => g.gate));

    // changing one model's parameters retrains only that model
    writeFileSync(path.join(dir, "keel.yaml"), YAML.replace("maxIter: 20", "maxIter: 25"));
    const changed = await runProject({ project: dir, threads: 1 });
    expect(changed.candidates.map((c) => c.cached)).toEqual([true, true, false]);
  });

  it("seals the test set: reading it before the final evaluation throws", async () => {
    const dir = project();
    const p = loadProject(dir);
    const frame = await readTable(path.join(dir, "credit.csv"));
    const split = await splitData(frame, p.config, classTarget(frame, "Status").y);
    expect(() => split.test.read()).toThrow(/sealed until the final evaluation/);
    expect(split.train.nRows + split.test.nRows).toBe(300);
    expect(split.test.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is reproducible: two fresh runs with the same seed register byte-identical model artifacts", async () => {
    const a = project();
    const b = project();
    const sa = await runProject({ project: a, threads: 1 });
    const sb = await runProject({ project: b, threads: 2 });
    expect(sb.registered!.modelHash).toBe(sa.registered!.modelHash);
    const modelFiles = (dir: string, runId: string) => {
      const root = filesUnder(path.join(dir, ".keel")).filter((f) => f.includes(runId) && f.includes(`${path.sep}model${path.sep}`));
      return root.map((f) => [path.basename(f), readFileSync(f)] as const).sort((x, y) => x[0].localeCompare(y[0]));
    };
    const fa = modelFiles(a, sa.runId);
    const fb = modelFiles(b, sb.runId);
    expect(fa.map((x) => x[0])).toEqual(["buffers.bin", "manifest.json"]);
    expect(fb.map((x) => x[0])).toEqual(fa.map((x) => x[0]));
    for (let i = 0; i < fa.length; i++) expect(Buffer.compare(fa[i][1], fb[i][1])).toBe(0);
  });

  it("stops on a bad keel.yaml or bad data with the line named, and registers nothing", async () => {
    const cases: [string, RegExp][] = [
      [YAML.replace("target: Status", "target: Statuss"), /keel\.yaml:4: column "Statuss" is not in the data/],
      [YAML.replace("metric: roc_auc", "metric: rmse"), /keel\.yaml:6: .*rmse/],
      [YAML.replace("cv: { folds: 3 }", "cv: { folds: three }"), /keel\.yaml:14: cv\.folds is "three", expected an integer/],
      [YAML.replace("  why:", "  wy:"), /keel\.yaml:10: unknown key "wy" in problem/],
      [YAML.replace("source: credit.csv", "source: nope.csv"), /keel\.yaml:12: data source "nope\.csv" does not exist/],
    ];
    for (const [yaml, message] of cases) {
      const dir = project(yaml);
      await expect(runProject({ project: dir, threads: 1 })).rejects.toThrow(message);
      expect(existsSync(path.join(dir, ".keel", "keel.db")) ? await registeredVersions(dir) : 0).toBe(0);
    }
    // data that breaks the kept schema
    const dir = project();
    await runProject({ project: dir, threads: 1 });
    const lines = readFileSync(path.join(dir, "credit.csv"), "utf8").trim().split("\n");
    lines[3] = lines[3].replace(/^"(good|bad)"/, '"unknown"');
    writeFileSync(path.join(dir, "credit.csv"), lines.join("\n") + "\n");
    const err = await runProject({ project: dir, threads: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect(err.message).toMatch(/no longer matches keel\.schema\.json/);
    expect(err.message).toMatch(/Status\s+in_set\s+1\s+row 2: "unknown"/);
    expect(await registeredVersions(dir)).toBe(1);
  });

  it("stops on a planted target leak unless the column is allowed", async () => {
    const dir = project(YAML.replace("models: [baseline, { gbdt: { maxIter: 20 } }]", "models: [baseline]"));
    const lines = readFileSync(path.join(dir, "credit.csv"), "utf8").trim().split("\n");
    const leaky = [lines[0] + ',"Outcome"', ...lines.slice(1).map((l) => `${l},${l.startsWith('"bad"') ? "1" : "0"}`)];
    writeFileSync(path.join(dir, "credit.csv"), leaky.join("\n") + "\n");
    await expect(runProject({ project: dir, threads: 1 })).rejects.toThrow(/target leak suspected: .*Outcome/);
    expect(await registeredVersions(dir)).toBe(0);
    writeFileSync(path.join(dir, "keel.yaml"), readFileSync(path.join(dir, "keel.yaml"), "utf8").replace("source: credit.csv", "source: credit.csv\n  allow_leaks: [Outcome]"));
    const s = await runProject({ project: dir, threads: 1 });
    expect(s.registered!.version).toBe("1");
    // the allowed leak makes the test score perfect: said, never silent
    expect(s.test.metrics.roc_auc).toBe(1);
    expect(s.warnings).toContainEqual({ code: "PERFECT_TEST_SCORE", message: expect.stringMatching(/^test roc_auc is 1, a perfect score/) });
  });

  it("keeps keel.schema.json in step with keel.yaml's columns: drop a column after a failed run, keep it again, read it as another type", async () => {
    const dir = project(YAML.replace("models: [baseline, { gbdt: { maxIter: 20 } }]", "models: [baseline]"));
    const lines = readFileSync(path.join(dir, "credit.csv"), "utf8").trim().split("\n");
    writeFileSync(path.join(dir, "credit.csv"), [lines[0] + ',"Outcome"', ...lines.slice(1).map((l) => `${l},${l.startsWith('"bad"') ? "1" : "0"}`)].join("\n") + "\n");
    const yaml = readFileSync(path.join(dir, "keel.yaml"), "utf8");
    await expect(runProject({ project: dir, threads: 1 })).rejects.toThrow(/target leak suspected/);
    const kept = () => JSON.parse(readFileSync(path.join(dir, "keel.schema.json"), "utf8")).columns;
    expect(kept().Outcome).toBeDefined();

    writeFileSync(path.join(dir, "keel.yaml"), yaml.replace("source: credit.csv", "source: credit.csv\n  drop: [Outcome]"));
    const dropped = await runProject({ project: dir, threads: 1 });
    expect(dropped.data.schema.notes).toEqual(['column "Outcome" left keel.schema.json: it is in data.drop']);
    expect(kept().Outcome).toBeUndefined();
    expect((await runProject({ project: dir, threads: 1 })).data.schema.notes).toEqual([]);

    writeFileSync(path.join(dir, "keel.yaml"), yaml.replace("source: credit.csv", "source: credit.csv\n  allow_leaks: [Outcome]\n  types: { Seniority: categorical }"));
    const back = await runProject({ project: dir, threads: 1 });
    expect(back.data.schema.notes).toEqual([
      'column "Seniority" in keel.schema.json is now categorical (data.types), was numeric: its expectations are inferred again',
      'column "Outcome" added to keel.schema.json as inferred from the data (kept by keel.yaml, not in the file)',
    ]);
    expect(kept().Outcome.kind).toBe("numeric");
    expect(kept().Seniority.kind).toBe("categorical");
  });

  it("only warns on a strong feature below the stop level (predictive power < 0.9, single-feature AUC < 0.98)", async () => {
    const dir = project(YAML.replace("models: [baseline, { gbdt: { maxIter: 20 } }]", "models: [baseline]"));
    const lines = readFileSync(path.join(dir, "credit.csv"), "utf8").trim().split("\n");
    // agrees with the target on 96% of rows: PPS 0.87, AUC 0.945
    const strong = [lines[0] + ',"Outcome"', ...lines.slice(1).map((l, i) => `${l},${l.startsWith('"bad"') !== (i % 25 === 3) ? "1" : "0"}`)];
    writeFileSync(path.join(dir, "credit.csv"), strong.join("\n") + "\n");
    const s = await runProject({ project: dir, threads: 1 });
    expect(s.registered!.version).toBe("1");
    expect(s.warnings).toContainEqual({ code: "TARGET_LEAK_SUSPECT", column: "Outcome", message: expect.stringMatching(/alone predicts the target "Status" strongly/) });
    expect(s.warnings.some((w) => w.code === "PERFECT_TEST_SCORE")).toBe(false);
  });
});

async function registeredVersions(dir: string): Promise<number> {
  const store = await openStore(path.join(dir, ".keel", "keel.db"));
  try {
    const registry = await openRegistry(store);
    return (await registry.searchModelVersions({ maxResults: 100 })).items.length;
  } finally {
    await store.close();
  }
}

describe("keel run's cache", () => {
  it("keeps a fold metric that could not be computed (NaN): the next run is served from the cache", async () => {
    // class c appears only late: time-ordered folds before it cannot score roc_auc_ovr
    const rows = ["t,x,z,y"];
    for (let i = 0; i < 200; i++) {
      const y = i >= 120 && i % 3 === 0 ? "c" : i % 2 === 0 ? "a" : "b";
      rows.push(`${i},${((i * 7919) % 101) / 10 + (y === "a" ? 1 : 0)},${(i * 31) % 17},${y}`);
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-run-nan-"));
    writeFileSync(path.join(dir, "late.csv"), rows.join("\n") + "\n");
    writeFileSync(
      path.join(dir, "keel.yaml"),
      `name: late
problem:
  task: multiclass
  target: y
  metric: accuracy
  guards: [roc_auc_ovr]
data:
  source: late.csv
  time: t
split: { test: 0.2, seed: 1 }
cv: { folds: 3 }
models: [baseline]
`,
    );
    const first = await runProject({ project: dir, threads: 1 });
    expect(first.candidates.map((c) => Number.isNaN(c.metrics.roc_auc_ovr.mean))).toEqual([true, true]);
    const again = await runProject({ project: dir, threads: 1 });
    expect(again.cache.misses).toBe(0);
    expect(again.candidates.every((c) => c.cached)).toBe(true);
    expect(Number.isNaN(again.candidates[1].metrics.roc_auc_ovr.mean)).toBe(true);
    expect(again.test.metrics).toEqual(first.test.metrics);
  });
});

/** A project folder holding `rows` as data.csv and `yaml` as keel.yaml. */
function projectOf(rows: string[], yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keel-run-"));
  writeFileSync(path.join(dir, "data.csv"), rows.join("\n") + "\n");
  writeFileSync(path.join(dir, "keel.yaml"), yaml);
  return dir;
}

/** 300 rows of y = 3·x1 − 2·x2 + noise, written sorted by y (as a price list often is). */
function sortedRegression(): string[] {
  const rng = new Rng(5);
  const rows = Array.from({ length: 300 }, () => {
    const x1 = rng.float() * 10;
    const x2 = rng.float() * 5;
    return { x1, x2, y: 3 * x1 - 2 * x2 + rng.float() };
  }).sort((a, b) => a.y - b.y);
  return ["x1,x2,y", ...rows.map((r) => `${r.x1.toFixed(4)},${r.x2.toFixed(4)},${r.y.toFixed(4)}`)];
}

describe("keel run reads keel.yaml's cv, split and types", () => {
  const REGRESSION = `name: sorted
problem: { task: regression, target: y, metric: r2 }
data: { source: data.csv }
split: { test: 0.2, seed: 3 }
cv: { folds: 5 }
models: [baseline]
`;

  it("shuffles the folds with the seed by default, so a file sorted by its target gives CV near test; shuffle: false shows the difference; repeats multiply the folds", async () => {
    const rows = sortedRegression();
    const s = await runProject({ project: projectOf(rows, REGRESSION), threads: 1 });
    const ridge = s.candidates.find((c) => c.model === "ridge")!;
    expect(s.cv).toBe("kfold k=5 shuffled (seed 3)");
    expect(ridge.cv.mean).toBeGreaterThan(0.95);
    expect(Math.abs(ridge.cv.mean - s.test.metrics.r2)).toBeLessThan(0.03);
    expect(s.warnings.some((w) => w.code === "ROWS_ORDERED")).toBe(true);
    const unshuffled = await runProject({ project: projectOf(rows, REGRESSION.replace("cv: { folds: 5 }", "cv: { folds: 5, shuffle: false }")), threads: 1 });
    expect(unshuffled.cv).toBe("kfold k=5");
    expect(unshuffled.candidates.find((c) => c.model === "dummy")!.cv.mean).toBeLessThan(-1);
    const repeated = await runProject({ project: projectOf(rows, REGRESSION.replace("cv: { folds: 5 }", "cv: { folds: 3, repeats: 2 }")), threads: 1 });
    expect(repeated.cv).toBe("kfold k=3 shuffled ×2 repeats (seed 3)");
    expect(repeated.candidates.every((c) => c.folds === 6)).toBe(true);
  });

  it("says plainly when fewer than two subgroups are big enough to compare, never a self-comparison", async () => {
    const rows = sortedRegression().map((r, i) => (i === 0 ? `${r},region` : `${r},${i % 6 === 0 ? "south" : "north"}`));
    const s = await runProject({ project: projectOf(rows, REGRESSION.replace("metric: r2 }", "metric: r2, protected: [region] }")), threads: 1 });
    expect(s.gaps.region).toEqual({});
    expect(s.test.subgroupNotes.region).toMatch(/^only one group has 30 rows or more \(north: \d+\); the others are too small to compare \(south: \d+\)$/);
  });

  it("chooses by the one-standard-error rule and says why", async () => {
    const s = await runProject({ project: projectOf(sortedRegression(), REGRESSION.replace("models: [baseline]", "models: [baseline, { gbdt: { maxIter: 30 } }]")), threads: 1 });
    const expected = oneStandardErrorChoice(
      s.candidates.map((c) => ({ name: c.model, kind: c.kind, mean: c.cv.mean, std: c.cv.std, folds: c.folds })),
      { greaterIsBetter: true },
    );
    expect(s.chosen).toBe(s.candidates[expected.chosen].model);
    expect(s.choice).toBe(expected.reason);
    expect(s.choice).toMatch(/one standard error/);
  });

  it("split.group keeps each group on one side of the test split and of every fold, and out of the features", async () => {
    const rng = new Rng(9);
    const rows = ["customer,x,y"];
    for (let i = 0; i < 240; i++) {
      const customer = `c${i % 40}`;
      const x = rng.float();
      rows.push(`${customer},${x.toFixed(4)},${x + rng.float() > 1 ? "yes" : "no"}`);
    }
    const dir = projectOf(rows, `name: grouped
problem: { task: binary, target: y, positive: "yes" }
data: { source: data.csv }
split: { test: 0.25, seed: 4, group: customer }
cv: { folds: 4 }
models: [baseline]
`);
    const s = await runProject({ project: dir, threads: 1 });
    expect(s.data.split).toBe("by group customer: test 0.25 of the groups, none on both sides (seed 4)");
    expect(s.cv).toBe("group k=4 by customer");
    expect(s.candidates.every((c) => c.folds === 4)).toBe(true);
    expect(s.data.test.rows).toBe(60); // 10 of 40 customers, 6 rows each
    const manifest = JSON.parse(readFileSync(path.join(s.registered!.dir!, "manifest.json"), "utf8"));
    const inputs = JSON.stringify(manifest.signature ?? manifest);
    expect(inputs).toMatch(/"x"/);
    expect(inputs).not.toMatch(/"customer"/);
  });

  it("data.types reads columns as declared: a date in its format, a number code as a category", async () => {
    const rows = ["opened,zip,x,y"];
    for (let i = 0; i < 200; i++) {
      const d = new Date(Date.UTC(2020, 0, 1 + i));
      const date = `${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/${d.getUTCFullYear()}`;
      rows.push(`${date},${10000 + (i % 7)},${(i % 13) / 13},${i % 3 === 0 ? "a" : "b"}`);
    }
    const yaml = `name: typed
problem: { task: binary, target: y }
data:
  source: data.csv
  time: opened
  types: { opened: { datetime: "%m/%d/%Y" }, zip: categorical }
split: { test: 0.2, seed: 1 }
cv: { folds: 3 }
models: [baseline]
`;
    const dir = projectOf(rows, yaml);
    const s = await runProject({ project: dir, threads: 1 });
    expect(s.data.split).toMatch(/^time-ordered by opened: first 160 rows train, last 40 test/);
    const kept = JSON.parse(readFileSync(path.join(dir, "keel.schema.json"), "utf8"));
    expect(kept.columns.opened.kind).toBe("datetime");
    expect(kept.columns.zip.kind).toBe("categorical");
    // without the declaration the same file reads month/day dates day first and zip as a number
    const plain = projectOf(rows, yaml.replace('  types: { opened: { datetime: "%m/%d/%Y" }, zip: categorical }\n', ""));
    await runProject({ project: plain, threads: 1 }).catch(() => undefined);
    const guessed = JSON.parse(readFileSync(path.join(plain, "keel.schema.json"), "utf8"));
    expect(guessed.columns.zip.kind).toBe("numeric");
  });

  it("cuts a time split between two times, never through one", async () => {
    const rng = new Rng(2);
    const rows = ["year,x,y"];
    for (let i = 0; i < 200; i++) rows.push(`${1970 + Math.floor(i / 29)},${(i * 37) % 101},${(i * 37) % 101 + rng.float() * 100 > 100 ? "a" : "b"}`);
    const yaml = `name: years
problem: { task: binary, target: y }
data: { source: data.csv, time: year }
split: { test: 0.1, seed: 1 }
cv: { folds: 3 }
models: [baseline]
`;
    const s = await runProject({ project: projectOf(rows, yaml), threads: 1 });
    // 10% is 20 rows; the nearest cut between two years leaves 1976's 26 rows for the test set
    expect(s.data.test.rows).toBe(26);
    expect(s.data.train.rows).toBe(174);
    // six training years cannot make six test blocks after a first training block: keel.yaml's line says so
    const tooMany = projectOf(rows, yaml.replace("folds: 3", "folds: 6"));
    await expect(runProject({ project: tooMany, threads: 1 })).rejects.toThrow(/keel\.yaml:5: the time-ordered folds cannot be cut on the training rows: column "year" has too few distinct times/);
  });
});
