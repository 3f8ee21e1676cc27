/**
 * Parameter importance (fANOVA over a 64-tree forest) on random-search studies of 100, 500 and
 * 1,000 trials over 5 parameters (float, log float, int, categorical of 4, float), the objective
 * a fixed function of them. Keel's `parameterImportance` against Optuna 3.1's
 * `FanovaImportanceEvaluator` (scikit-learn's forest, Python tree walks; bench/importance-optuna.py)
 * on the same trials in the same run: CPU seconds on both sides (process.cpuUsage,
 * time.process_time), their ratio, and the importances side by side (the forests differ, so the
 * shares agree in rank, not to the digit; Keel's default puts log-scale parameters on their log,
 * `logScale: false` is Optuna's raw encoding). Anchor: Optuna's own note that 1,000+ trials take
 * over a minute. Goal: ≤ 0.1× Optuna's CPU time.
 *
 *   node --import tsx bench/importance.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createStudy, parameterImportance } from "../src/tune/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "keel-importance-bench-"));
const GOAL_RATIO = 0.1;
const fmt = (imp: Record<string, number>) => Object.entries(imp).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(", ");

// warm-up: the JIT and the forest's modules, as Optuna's side has its imports done before timing
const warm = await createStudy({ sampler: { name: "random", seed: 0 } });
await warm.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1) ** 2, { nTrials: 50 });
await parameterImportance(warm);

for (const n of [100, 500, 1000]) {
  const study = await createStudy({ sampler: { name: "random", seed: n } });
  await study.optimize(
    (t) => {
      const a = t.suggestFloat("a", -3, 3);
      const b = t.suggestFloat("b", 1e-3, 1, { log: true });
      const c = t.suggestInt("c", 1, 50);
      const k = t.suggestCategorical("k", ["p", "q", "r", "s"]);
      const d = t.suggestFloat("d", 0, 1);
      return a * a + Math.log(b) * d + (k === "q" ? 1 : 0) + 0.01 * c + Math.sin(5 * d);
    },
    { nTrials: n },
  );
  const trials = study.trials;
  const file = path.join(dir, `trials-${n}.json`);
  writeFileSync(file, JSON.stringify({ space: trials[0].distributions, trials: trials.map((t) => ({ params: t.params, value: t.value })) }));

  const c0 = process.cpuUsage();
  const keel = await parameterImportance(study);
  const c1 = process.cpuUsage(c0);
  const keelRaw = await parameterImportance(study, { logScale: false });
  const keelS = (c1.user + c1.system) / 1e6;

  const py = spawnSync("/usr/bin/python3", [path.join(here, "importance-optuna.py"), file], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (py.status !== 0) {
    console.error(py.stderr);
    process.exit(1);
  }
  const optuna = JSON.parse(py.stdout) as { cpu: number; importance: Record<string, number> };
  const ratio = keelS / optuna.cpu;
  console.log(`\n${n} trials: Keel ${keelS.toFixed(3)} s CPU, Optuna 3.1 ${optuna.cpu.toFixed(2)} s CPU → ${ratio.toFixed(3)}× (goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? "met" : "NOT met"})`);
  console.log(`  Keel (log-scale on log): ${fmt(keel)}`);
  console.log(`  Keel (raw, as Optuna):   ${fmt(keelRaw)}`);
  console.log(`  Optuna 3.1:              ${fmt(optuna.importance)}`);
}
rmSync(dir, { recursive: true, force: true });
