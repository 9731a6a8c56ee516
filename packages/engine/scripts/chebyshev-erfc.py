"""Generates ERFC_CHEBYSHEV in src/domain/normal/erf.ts (run: python3 scripts/chebyshev-erfc.py; needs mpmath).

erfc(z) = t * exp(-z^2 + f(x)) for z >= 0, with t = 2 / (2 + z) and x = 2t - 1 in (-1, 1].
f(x) = log(erfcx(z) / t) is smooth in x; its Chebyshev coefficients (Gauss-Chebyshev quadrature at 60
digits) decay below 1e-18 after 30 terms, so the series gives erfc to about 1e-16 relative.
"""
import mpmath as mp

mp.mp.dps = 60
N = 160
TERMS = 30


def f(x):
    t = (x + 1) / 2
    z = 2 / t - 2
    return mp.log(mp.erfc(z) * mp.exp(z * z) / t)


nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / N) for k in range(N)]
values = [f(x) for x in nodes]
coefficients = [
    2 * mp.fsum(values[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / N) for k in range(N)) / N for j in range(TERMS)
]
print('[' + ', '.join(repr(float(c)) for c in coefficients) + ']')
