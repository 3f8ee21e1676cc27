/**
 * Does tuning pay on data it never saw? The credit example's GBDT, for 10 seeds: an outer
 * stratified split (80 / 20, the seed's), a study of 50 TPE trials (Keel's default sampler,
 * median pruner on the running mean after each fold) of the mean 3-fold CV ROC AUC on the outer
 * training rows only, then the tuned and the default GBDT both fitted on those rows and scored
 * once on the outer test rows. Reports per seed both test AUCs, and the count of seeds where the
 * tuned model wins (goal: ≥ 7 of 10). Trials are 3-fold (not keel.yaml's 5) to keep the bench's
 * 1,500 fits within a loaded machine's minutes; the seconds per seed are printed as measured.
 *
 * Run: npx tsx bench/tune-credit.ts [seeds=10] [trials=50]
 */
import { Rng } from "../src/core/rng.js";
import { readTable } from "../src/data/io/index.js";
import { holdout } from "../src/data/split/index.js";
import { scoreFitted } from "../src/evaluate/score.js";
import { trainingSpec } from "../src/project/catalog.js";
import { createStudy, cvObjective, spaceDistributions } from "../src/tune/index.js";

const SEEDS = Number(process.argv[2] ?? 10);
const TRIALS = Number(process.argv[3] ?? 50);
const target = "Status";
const classes = ["good", "bad"]; // the positive class second
const frame = await readTable(new URL("../examples/credit/credit_data.csv", import.meta.url).pathname);
const space = spaceDistributions({
  learningRate: { float: [0.01, 0.3], log: true },
  maxIter: { int: [50, 400], log: true },
  maxLeaves: { int: [4, 64], log: true },
  minSamplesLeaf: { int: [5, 200], log: true },
  l2Regularization: { float: [1e-3, 10], log: true },
  colsampleByTree: { float: [0.3, 1] },
});
const testAuc = async (params: Record<string, unknown>, train: typeof frame, test: typeof frame, seed: number) => {
  const fitted = await trainingSpec("gbdt", "classification", params).fit(train, { target, rng: new Rng(seed), threads: 1 });
  return scoreFitted(fitted, test, { target, task: "binary", classes, metrics: ["roc_auc"] }).metrics.roc_auc;
};

let wins = 0;
console.log(`credit GBDT, ${TRIALS} TPE trials of 3-fold CV ROC AUC on the outer training rows, ${SEEDS} seeds (machine shared with other processes)`);
for (let seed = 0; seed < SEEDS; seed++) {
  const t0 = performance.now();
  const split = holdout(frame, { testSize: 0.2, stratify: target, rng: seed });
  const train = frame.take(split.train);
  const test = frame.take(split.test);
  const study = await createStudy({ direction: "maximize", sampler: { name: "tpe", seed }, pruner: { name: "median" } });
  await study.optimize(cvObjective({ space, specFor: (p) => trainingSpec("gbdt", "classification", p), frame: train, target, cv: 3, metric: "roc_auc", positive: "bad", seed, threads: 1 }), { nTrials: TRIALS });
  const tuned = await testAuc(study.bestParams, train, test, seed);
  const base = await testAuc({}, train, test, seed);
  const pruned = study.trials.filter((t) => t.state === "pruned").length;
  if (tuned > base) wins++;
  console.log(
    `seed ${seed}: test roc_auc tuned ${tuned.toFixed(4)} vs default ${base.toFixed(4)} (${tuned > base ? "tuned wins" : "default wins"}); best cv ${study.bestValue.toFixed(4)}, ${pruned} of ${TRIALS} pruned; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}
console.log(`tuned beats default on the outer test set in ${wins} of ${SEEDS} seeds (goal ≥ 7 of 10)`);
