#!/usr/bin/env python3
"""The pruning benchmark's trainer under Optuna: does Optuna's own TPE save 2x the epochs with its pruners?

bench/pruning.ts measures Parzen; this runs the same trainer (the same dataset, written by
`bench/pruning.ts --dump-data FILE`; the same minibatch SGD with momentum and L2, one report per epoch;
the same space) with Optuna's TPESampler() and MedianPruner(), SuccessiveHalvingPruner() and
HyperbandPruner() at their defaults, and computes the same numbers: per seed, the epochs a pruned study
needs to reach the final best loss of the `none` study (100 full trials), and `none`'s 3000 epochs divided
by that (0 when never reached; median over seeds). A pruned study runs until it has spent as many epochs
as `none` (at most 2000 trials). Only the shuffling's random stream differs from the TypeScript trainer.

    node --conditions=@parzen/source --import tsx bench/pruning.ts --dump-data /tmp/pruning-data.json
    /usr/bin/python3 bench/pruning_optuna.py --data /tmp/pruning-data.json --optuna-path DIR \
        [--seeds 10] [--first-seed 1] [--pruners none,median,successive-halving,hyperband] [--sampler tpe|random]

--optuna-path: a source tree of Optuna (put first on sys.path), as the peers' harness takes it; without it
the installed Optuna is used. Prints one JSON line per study (with `reach`, the epochs it took to reach the
`none` study's final best, and `saving`) and a summary table; runs over disjoint seeds can be merged from
their JSON lines.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--optuna-path")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--max-trials", type=int, default=2000)
    ap.add_argument("--pruners", default="none,median,successive-halving,hyperband")
    ap.add_argument("--sampler", default="tpe")
    args = ap.parse_args()
    if args.optuna_path:
        sys.path.insert(0, os.path.abspath(args.optuna_path))
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    with open(args.data) as f:
        d = json.load(f)
    xt, yt = np.array(d["train"]["x"]), np.array(d["train"]["y"], dtype=float)
    xv, yv = np.array(d["validation"]["x"]), np.array(d["validation"]["y"], dtype=float)
    epochs = d["epochs"]
    n_train, n_features = xt.shape

    def log_loss(w, b):
        z = xv @ w + b
        s = np.where(yv == 1.0, -z, z)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = float(np.mean(np.where(s > 0, s + np.log1p(np.exp(-s)), np.log1p(np.exp(s)))))
        return min(loss, 50.0) if math.isfinite(loss) else 50.0

    def make_objective(state, budget):
        def objective(trial):
            lr = trial.suggest_float("lr", 1e-5, 1.0, log=True)
            l2 = trial.suggest_float("l2", 1e-6, 1e-1, log=True)
            momentum = trial.suggest_float("momentum", 0.0, 0.99)
            batch = trial.suggest_categorical("batch", [16, 32, 64, 128, 256])
            rng = np.random.default_rng(trial.number)
            w = np.zeros(n_features)
            b = 0.0
            vw = np.zeros(n_features)
            vb = 0.0
            loss = float("nan")
            with np.errstate(over="ignore", invalid="ignore"):
                for epoch in range(epochs):
                    order = rng.permutation(n_train)
                    for start in range(0, n_train, batch):
                        idx = order[start:start + batch]
                        xb = xt[idx]
                        err = 1.0 / (1.0 + np.exp(-(xb @ w + b))) - yt[idx]
                        gw = xb.T @ err / len(idx) + l2 * w
                        gb = float(err.sum()) / len(idx)
                        vw = momentum * vw - lr * gw
                        vb = momentum * vb - lr * gb
                        w = w + vw
                        b = b + vb
                    loss = log_loss(w, b)
                    state["spent"] += 1
                    state["reports"][trial.number] = epoch + 1
                    trial.report(loss, epoch)
                    if trial.should_prune():
                        state["last"][trial.number] = loss
                        raise optuna.TrialPruned()
            state["last"][trial.number] = loss
            return loss

        return objective

    def pruner_of(name):
        if name == "none":
            return optuna.pruners.NopPruner()
        if name == "median":
            return optuna.pruners.MedianPruner()
        if name == "successive-halving":
            return optuna.pruners.SuccessiveHalvingPruner()
        if name == "hyperband":
            return optuna.pruners.HyperbandPruner()
        raise SystemExit("unknown pruner " + name)

    def run(name, seed, budget=None):
        state = {"spent": 0, "reports": {}, "last": {}}
        sampler = (optuna.samplers.TPESampler(seed=seed) if args.sampler == "tpe"
                   else optuna.samplers.RandomSampler(seed=seed))
        study = optuna.create_study(sampler=sampler, pruner=pruner_of(name))
        objective = make_objective(state, budget)
        started = time.perf_counter()
        limit = args.trials if budget is None else args.max_trials
        while len(study.trials) < limit and (budget is None or state["spent"] < budget):
            study.optimize(objective, n_trials=1)
        curve = []
        spent = 0
        best = float("inf")
        pruned = 0
        for t in study.trials:
            spent += state["reports"].get(t.number, 0)
            if t.state == optuna.trial.TrialState.COMPLETE:
                best = min(best, t.value)
            elif t.state == optuna.trial.TrialState.PRUNED:
                pruned += 1
            curve.append((spent, best))
        return {"pruner": name, "seed": seed, "epochs": spent, "trials": len(study.trials), "pruned": pruned,
                "seconds": time.perf_counter() - started, "curve": curve}

    def first_reach(run_, target):
        for spent, best in run_["curve"]:
            if best <= target:
                return spent
        return None

    names = ["none"] + [name for name in args.pruners.split(",") if name != "none"]
    results = {name: [] for name in names}
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        none = run("none", seed)
        results["none"].append(none)
        for name in names:
            if name == "none":
                continue
            results[name].append(run(name, seed, none["epochs"]))
        for name in names:
            r = results[name][-1]
            reach = first_reach(r, none["curve"][-1][1])
            print(json.dumps({k: v for k, v in r.items() if k != "curve"} | {
                "best": r["curve"][-1][1], "reach": reach,
                "saving": none["epochs"] / reach if reach else 0.0}), flush=True)

    print("\n| pruner | trials (median) | pruned (median) | seeds that reach none's final best | "
          "none's epochs ÷ epochs to reach it (median, 0 when not reached) | final best loss (median) |")
    print("|---|---|---|---|---|---|")
    nones = results["none"]
    for name in names:
        runs = results[name]
        savings = []
        reached = 0
        for i, r in enumerate(runs):
            at = first_reach(r, nones[i]["curve"][-1][1])
            if at is not None:
                reached += 1
                savings.append(nones[i]["epochs"] / at)
            else:
                savings.append(0.0)
        print("| %s | %g | %g | %d / %d | %.2f× | %.4f |" % (
            name, float(np.median([r["trials"] for r in runs])), float(np.median([r["pruned"] for r in runs])),
            reached, len(runs), float(np.median(savings)), float(np.median([r["curve"][-1][1] for r in runs]))))


if __name__ == "__main__":
    main()
