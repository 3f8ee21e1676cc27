"""The Optuna side of bench/importance.ts: fANOVA importance of the same trials, timed.

Usage: /usr/bin/python3 bench/importance-optuna.py <trials.json>
Needs Debian's python3-optuna (3.1) and python3-sklearn. <trials.json> holds the space (Keel's
distribution JSON) and the trials' params and values. Prints JSON: the CPU seconds
(time.process_time) of optuna.importance.get_param_importances with
FanovaImportanceEvaluator(seed=0) (64 trees, as Keel's default), and the importances.
"""
import json
import sys
import time

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.importance import FanovaImportanceEvaluator, get_param_importances
from optuna.trial import create_trial

optuna.logging.set_verbosity(optuna.logging.ERROR)
data = json.load(open(sys.argv[1]))


def dist(d):
    if d["type"] == "categorical":
        return CategoricalDistribution(d["choices"])
    if d["type"] == "int":
        return IntDistribution(d["low"], d["high"], log=d["log"], step=d["step"])
    return FloatDistribution(d["low"], d["high"], log=d["log"], step=d["step"])


space = {k: dist(d) for k, d in data["space"].items()}
study = optuna.create_study()
for t in data["trials"]:
    study.add_trial(create_trial(params=t["params"], distributions=space, value=t["value"]))
t0 = time.process_time()
imp = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=0))
cpu = time.process_time() - t0
print(json.dumps({"cpu": cpu, "importance": dict(imp)}))
