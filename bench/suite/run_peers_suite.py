#!/usr/bin/env python3
"""Runs the shared peers' harness (run_peers.py, unmodified) on bench/suite/problems.json.

    PYTHONPATH=/path/to/hyperopt /usr/bin/python3 bench/suite/run_peers_suite.py \
        --harness ../shared/bench/peers/run_peers.py [run_peers.py options...]

Everything after --harness is passed to run_peers.main(); --problems-file and --objectives default to
this folder's problems.json and objectives.py. One change of measurement, for the noisy problems: the
harness records the best observed loss so far, but regret must be measured on the noise-free value. So
each run's trace here is, after b evaluations, the NOISE-FREE value of the trial with the lowest
observed (noisy) loss among the first b (the first such trial on ties). For a noise-free problem that
is exactly the harness's best-so-far. The summary's regret_at is then that value minus known_min.
"""

import importlib.util
import os
import sys
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import objectives  # noqa: E402

# (observed, clean) of every evaluation of the current run, in order (one run at a time per process).
_CALLS = []
# The harness module, loaded by main().
RP = None


def _recording(params, prob):
    clean = objectives.clean(params, prob)
    seen = objectives.observed(params, prob)
    _CALLS.append((seen, clean))
    return seen


def incumbent_trace(calls):
    """After each evaluation, the clean value of the trial with the lowest observed loss so far."""
    out = []
    best_seen = float("inf")
    best_clean = float("nan")
    for seen, clean in calls:
        if seen < best_seen:
            best_seen, best_clean = seen, clean
        out.append(best_clean)
    return out


def run_one(task):
    prob, algo, seed, evals = task
    warnings.filterwarnings("ignore")
    del _CALLS[:]
    t0 = time.perf_counter()
    if algo.startswith("hyperopt_"):
        losses = RP.run_hyperopt(prob, seed, evals, algo)
    else:
        losses = RP.run_optuna(prob, seed, evals, algo)
    wall = time.perf_counter() - t0
    if len(losses) != evals or len(_CALLS) != evals:
        raise RuntimeError("%s/%s/seed %d: %d evaluations, expected %d"
                           % (prob["name"], algo, seed, len(losses), evals))
    if any(a != b for a, (b, _) in zip(losses, _CALLS)):
        raise RuntimeError("%s/%s/seed %d: recorded losses differ from the harness's"
                           % (prob["name"], algo, seed))
    trace = incumbent_trace(_CALLS)
    return prob["name"], algo, seed, [float("%.12g" % v) for v in trace], wall



def main():
    global RP
    argv = sys.argv[1:]
    if "--harness" not in argv:
        sys.exit("give --harness PATH/run_peers.py")
    i = argv.index("--harness")
    harness = argv[i + 1]
    rest = argv[:i] + argv[i + 2:]
    spec = importlib.util.spec_from_file_location("run_peers", harness)
    rp = importlib.util.module_from_spec(spec)
    sys.modules["run_peers"] = rp
    spec.loader.exec_module(rp)
    RP = rp

    rp.run_one = run_one  # main() looks it up at call time; workers are forked after this
    rp.OBJECTIVES.update({name: _recording for name in objectives.OBJECTIVES})
    if "--problems-file" not in rest:
        rest += ["--problems-file", os.path.join(HERE, "problems.json")]
    if "--objectives" in rest:
        sys.exit("--objectives is fixed to bench/suite/objectives.py here")
    np.seterr(all="ignore")
    rp.main(rest)


if __name__ == "__main__":
    main()
