#!/usr/bin/env python3
"""Merges the peers' per-problem result files into bench/suite/peer-results.json, keeping what the suite needs.

    /usr/bin/python3 bench/suite/compact_peers.py [DIR ...]     (default: bench/suite/peer-results and its subfolders)

The harness's files (one <problem>.json per problem, written by run_peers_suite.py) hold every seed's
trace over all evaluations (megabytes for the suite); they stay out of git. The merged file keeps, per
problem and algorithm, each seed's incumbent value (noise-free, see README.md) after 25, 50 and 100
evaluations, the seeds, and the environment the harness recorded. Regret = value - known_min, computed by
the reader from problems.json, so a corrected known minimum needs no rerun.

The per-problem files are not kept, so the merge starts from the current peer-results.json: a problem or
algorithm with no file here keeps its entry as it is; one with a file is replaced by what the file holds.
"""

import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUDGETS = [25, 50, 100]


def main():
    dirs = sys.argv[1:] or [os.path.join(HERE, "peer-results")]
    paths = []
    for d in dirs:  # a folder and its subfolders (runs that went to separate folders, e.g. in parallel)
        paths += sorted(glob.glob(os.path.join(d, "*.json")) + glob.glob(os.path.join(d, "*", "*.json")))
    merged = os.path.join(HERE, "peer-results.json")
    out = {}
    if os.path.exists(merged):
        with open(merged) as f:
            out = json.load(f)["problems"]
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        algos = {}
        for name, data in doc["algorithms"].items():
            traces = data["best_so_far"]
            algos[name] = {
                "seeds": data["seeds"],
                "incumbent_at": {str(b): [t[b - 1] for t in traces] for b in BUDGETS if b <= doc["evals"]},
                "wall_seconds_per_run_median": data["wall_seconds_per_run"]["median"],
                "environment": data["environment"],
            }
        entry = out.setdefault(doc["problem"], {"evals": doc["evals"], "algorithms": {}})
        if entry["evals"] != doc["evals"]:
            sys.exit("%s: %d evaluations, other files of %s have %d" % (path, doc["evals"], doc["problem"], entry["evals"]))
        for name, data in algos.items():
            data["created"] = doc["created"]
            entry["algorithms"][name] = data
    result = {
        "description": "Peers on bench/suite/problems.json (run_peers_suite.py over the shared harness, 30 seeds x "
                       "100 evaluations, --jobs 2 on a shared 2-core machine). incumbent_at[b][i] = noise-free loss "
                       "of the trial with the lowest observed loss among the first b evaluations of seed seeds[i]; "
                       "regret = that - known_min of problems.json. hyperopt 0.3.0 (source c49ad14 + PR #945 fix), "
                       "Optuna 3.1.0 (Debian; optuna_tpe) and Optuna 5.0.0.dev (source 1d8ce7b; optuna5_*).",
        "problems": out,
    }
    with open(os.path.join(HERE, "peer-results.json"), "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("%d problems -> %s" % (len(out), os.path.join(HERE, "peer-results.json")))


if __name__ == "__main__":
    main()
