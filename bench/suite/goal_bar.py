"""How often each peer meets issue 8's bar against the other peers, beside our default.

Issue 8's goal asks our default's median regret after 100 evaluations to be at or below the best peer's on
every held-out problem. This script asks the same of each peer against the other five (its twin, the same
Optuna 5 sampler under another name on unconditional spaces, left out), over every read half: the default's
per-seed regrets from the run of 2026-12-06 on all 212 read problems (results/tpe-joint-widths-screen.json,
variant `parzen`; fresh17, unread, is not touched).

It also counts the problems where some other algorithm is significantly better, by two rules that differ
only in how the direction of a significant difference is decided:
- by rank, the suite's rule (tpe-suite.ts's win/tie/loss, `compareSamples` in suite/stats.ts): two-sided
  Mann-Whitney U with the normal approximation and tie and continuity corrections (scipy's
  method='asymptotic'), p < 0.05, and the other algorithm's values rank lower (our U above n1*n2/2);
- by median: two-sided Mann-Whitney U (scipy's default method), p < 0.05, and our median is higher.
The two disagree where one sample's median is higher but its ranks are lower (two clusters of seeds).

Regrets are rounded as the suite rounds them (`regretAsStored`: the value to 12 significant digits, minus the
known minimum, to 12 again); medians are compared floored at 1e-12, as the suite's ratio is.

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


def as_stored(value, known):
    """The suite's `regretAsStored`: the value to 12 significant digits, minus the minimum, to 12 again."""
    return float('%.12g' % (float('%.12g' % value) - known))


def regrets(name, algorithm):
    known = PROBLEMS[name]['known_min']['value']
    return [as_stored(v, known) for v in PEERS[name]['algorithms'][algorithm]['incumbent_at']['100']]


ours = {}
for path in RESULTS:
    run = json.load(open(path))
    at100 = run['budgets'].index(100)
    for key, seeds in run['regrets'].items():
        name, variant = key.split('/')
        if variant == 'parzen':
            ours[name] = [r[at100] for r in seeds]
names = sorted(ours)
peer = {n: {a: regrets(n, a) for a in ALGORITHMS} for n in names}


def median(x):
    """The median as the suite's ratio compares it: floored at 1e-12, so that two exact zeros tie."""
    return max(st.median(x), 1e-12)


def worse_by_rank(x, y):
    """The suite's loss: significant, and y's values rank lower than x's (x's U above its mean)."""
    if len(set(x + y)) == 1:
        return False
    test = mannwhitneyu(x, y, alternative='two-sided', method='asymptotic')
    return test.pvalue < 0.05 and test.statistic > len(x) * len(y) / 2


def worse_by_median(x, y):
    """Significant (scipy's default method), and x's median is higher."""
    if len(set(x + y)) == 1:
        return False
    return mannwhitneyu(x, y, alternative='two-sided').pvalue < 0.05 and median(x) > median(y)


def row(label, mine, others):
    at = sum(1 for n in names if median(mine[n]) <= min(median(others[n][b]) for b in others[n]))
    by_rank = [n for n in names if any(worse_by_rank(mine[n], others[n][b]) for b in others[n])]
    by_median = [n for n in names if any(worse_by_median(mine[n], others[n][b]) for b in others[n])]
    total = len(names)
    print(f'| {label} | {at} / {total} | {len(by_rank)} / {total} | {len(by_median)} / {total} |')
    return by_rank, by_median


print(f'{len(names)} problems')
print('| algorithm | at or below the best median of the others | another significantly better, by rank '
      '(the suite\'s rule) | by median (p < 0.05 and a higher median) |')
print('|---|---|---|---|')
for a in ALGORITHMS:
    others = {n: {b: peer[n][b] for b in ALGORITHMS if b not in (a, TWIN.get(a))} for n in names}
    row(f'{a} (against the other peers)', {n: peer[n][a] for n in names}, others)
by_rank, by_median = row('parzen default (against all six)', ours, peer)
print(f'\nparzen default, beaten by rank: {", ".join(by_rank)}')
print(f'parzen default, beaten by median: {", ".join(by_median)}')
for n in sorted(set(by_rank) ^ set(by_median)):
    for b in ALGORITHMS:
        if worse_by_rank(ours[n], peer[n][b]) != worse_by_median(ours[n], peer[n][b]):
            test = mannwhitneyu(ours[n], peer[n][b], alternative='two-sided', method='asymptotic')
            print(f'  {n} against {b}: medians {st.median(ours[n]):.3g} and {st.median(peer[n][b]):.3g}, '
                  f'U = {test.statistic:g} of {len(ours[n]) * len(peer[n][b])} (a tie: half), p = {test.pvalue:.3g}')
