"""The SciPy side of bench/drift.ts: the same drift statistics with numpy / SciPy, timed.

Usage: /usr/bin/python3 bench/drift-scipy.py <dir> [runs]
<dir> holds what bench/drift.ts wrote: columns.json (name, kind) and per column ref/cur arrays
(<name>.ref.f64 / .cur.f64 for numeric, float64 with NaN; <name>.ref.i32 / .cur.i32 codes into one
shared dictionary, -1 missing, for categorical). Prints JSON: the best time over `runs` of
computing every statistic for every column (loading excluded), and the values.
Per numeric column: ks_2samp, wasserstein_distance / std (ddof 0), PSI and Jensen-Shannon over the
reference deciles; per categorical column: chisquare (current counts vs reference shares x current
rows over the reference's categories), PSI and Jensen-Shannon over the categories of either side.
"""
import json
import os
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

FLOOR = 1e-4


def psi(rc, cc):
    r = np.maximum(rc / rc.sum(), FLOOR)
    c = np.maximum(cc / cc.sum(), FLOOR)
    return float(np.sum((c - r) * np.log(c / r)))


def numeric(ref, cur):
    ref = ref[np.isfinite(ref)]
    cur = cur[np.isfinite(cur)]
    ks = stats.ks_2samp(ref, cur)
    sd = np.std(ref)
    w = stats.wasserstein_distance(ref, cur) / (sd if sd > 0 else 1.0)
    edges = np.unique(np.quantile(ref, np.arange(11) / 10))
    rc, _ = np.histogram(np.clip(ref, edges[0], edges[-1]), bins=edges)
    cc, _ = np.histogram(np.clip(cur, edges[0], edges[-1]), bins=edges)
    rc = rc.astype(float)
    cc = cc.astype(float)
    return {"ks": [float(ks.statistic), float(ks.pvalue)], "wasserstein_norm": float(w), "psi": psi(rc, cc), "js": float(distance.jensenshannon(rc, cc))}


def categorical(ref, cur, k):
    rc = np.bincount(ref[ref >= 0], minlength=k).astype(float)
    cc = np.bincount(cur[cur >= 0], minlength=k).astype(float)
    keep = (rc > 0) | (cc > 0)
    rc, cc = rc[keep], cc[keep]
    seen = rc > 0
    obs = cc[seen]
    exp = rc[seen] / rc[seen].sum() * obs.sum()
    chi = stats.chisquare(obs, exp)
    return {"chi2": [float(chi.statistic), float(chi.pvalue)], "psi": psi(rc, cc), "js": float(distance.jensenshannon(rc, cc))}


def main():
    d = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    cols = json.load(open(os.path.join(d, "columns.json")))
    data = {}
    for c in cols:
        ext = "f64" if c["kind"] == "numeric" else "i32"
        dt = np.float64 if ext == "f64" else np.int32
        data[c["name"]] = (np.fromfile(os.path.join(d, f"{c['name']}.ref.{ext}"), dtype=dt), np.fromfile(os.path.join(d, f"{c['name']}.cur.{ext}"), dtype=dt))
    times = []
    out = {}
    for _ in range(runs):
        t = time.perf_counter()
        out = {}
        for c in cols:
            ref, cur = data[c["name"]]
            out[c["name"]] = numeric(ref, cur) if c["kind"] == "numeric" else categorical(ref, cur, c["categories"])
        times.append(time.perf_counter() - t)
    print(json.dumps({"seconds": min(times), "all_seconds": times, "results": out}))


main()
