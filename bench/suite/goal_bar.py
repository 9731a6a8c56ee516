"""How often each peer meets issue 8's bar against the other peers, beside our default.

Issue 8's goal asks our default's median regret after 100 evaluations to be at or below the best peer's on
every held-out problem. This script asks the same of each peer against the other five (its twin, the same
Optuna 5 sampler under another name on unconditional spaces, left out), and counts the problems where some
other algorithm is significantly better (two-sided Mann-Whitney U, p < 0.05, and a higher median), over
every read half: the default's per-seed regrets from the run of 2026-12-06 on all 212 read problems
(results/tpe-joint-widths-screen.json, variant `parzen`; fresh17, unread, is not touched).

Run from bench/: python3 suite/goal_bar.py   (needs scipy; Debian's python3-scipy)
"""

import json
import statistics as st

from scipy.stats import mannwhitneyu

PEERS = json.load(open('suite/peer-results.json'))['problems']
PROBLEMS = {p['name']: p for p in json.load(open('suite/problems.json'))['problems']}
ALGORITHMS = ['hyperopt_tpe', 'hyperopt_rand', 'optuna_tpe', 'optuna5_tpe', 'optuna5_tpe_univariate',
              'optuna5_tpe_multivariate_group']
TWIN = {'optuna5_tpe': 'optuna5_tpe_multivariate_group', 'optuna5_tpe_multivariate_group': 'optuna5_tpe'}
RESULTS = ['results/tpe-joint-widths-screen.json']


def regrets(name, algorithm):
    known = PROBLEMS[name]['known_min']['value']
    # The suite's rule: regret to 12 significant digits, floored at 1e-12.
    return [max(float('%.12g' % (v - known)), 1e-12) for v in PEERS[name]['algorithms'][algorithm]['incumbent_at']['100']]


ours = {}
for path in RESULTS:
    run = json.load(open(path))
    for key, seeds in run['regrets'].items():
        name, variant = key.split('/')
        if variant == 'parzen':
            ours[name] = [max(r[2], 1e-12) for r in seeds]
names = sorted(ours)
peer = {n: {a: regrets(n, a) for a in ALGORITHMS} for n in names}


def worse(x, y):
    if len(set(x + y)) == 1:
        return False
    return mannwhitneyu(x, y, alternative='two-sided').pvalue < 0.05 and st.median(x) > st.median(y)


print(f'{len(names)} problems')
print('| algorithm | at or below the best median of the others | problems where another is significantly better |')
print('|---|---|---|')
for a in ALGORITHMS:
    others = [b for b in ALGORITHMS if b not in (a, TWIN.get(a))]
    at = sum(1 for n in names if st.median(peer[n][a]) <= min(st.median(peer[n][b]) for b in others))
    beaten = sum(1 for n in names if any(worse(peer[n][a], peer[n][b]) for b in others))
    print(f'| {a} (against the other peers) | {at} / {len(names)} | {beaten} / {len(names)} |')
at = sum(1 for n in names if st.median(ours[n]) <= min(st.median(peer[n][b]) for b in ALGORITHMS))
beaten = sum(1 for n in names if any(worse(ours[n], peer[n][b]) for b in ALGORITHMS))
print(f'| parzen default (against all six) | {at} / {len(names)} | {beaten} / {len(names)} |')
