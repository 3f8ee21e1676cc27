#!/usr/bin/python3
"""Optuna 3.1 on Hartmann-6 for bench/tpe.ts (run by it; needs Debian's python3-optuna).

    /usr/bin/python3 bench/tpe-optuna.py [trials=100] [seeds=10]

Prints one JSON line per sampler — random, TPE (defaults), multivariate TPE — with the best value
of each seed (seeds 0..seeds−1) and the CPU and wall milliseconds per trial of the whole
optimisation (the objective is a few microseconds, so this is the sampler's and study's overhead).
"""
import json
import math
import sys
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")
trials = int(sys.argv[1]) if len(sys.argv) > 1 else 100
seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def objective(trial):
    return hartmann6([trial.suggest_float(f"x{j}", 0.0, 1.0) for j in range(6)])


samplers = {
    "optuna random": lambda s: optuna.samplers.RandomSampler(seed=s),
    "optuna tpe": lambda s: optuna.samplers.TPESampler(seed=s),
    "optuna tpe multivariate": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True),
}
for label, make in samplers.items():
    best = []
    cpu = wall = 0.0
    for seed in range(seeds):
        study = optuna.create_study(direction="minimize", sampler=make(seed))
        c0, w0 = time.process_time(), time.perf_counter()
        study.optimize(objective, n_trials=trials)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        best.append(study.best_value)
    print(json.dumps({"label": label, "best": best, "cpuMsPerTrial": 1000 * cpu / (seeds * trials), "wallMsPerTrial": 1000 * wall / (seeds * trials)}), flush=True)
