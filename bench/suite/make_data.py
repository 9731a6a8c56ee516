"""Generates the fixed datasets of the two ML problems (bench/suite/data/*.json). Run once; committed.

    /usr/bin/python3 bench/suite/make_data.py

Seeded (numpy default_rng(20261130)); values rounded to 6 decimals so that JSON parsing gives the same
doubles in every language.
"""

import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def r6(a):
    return [[round(float(v), 6) for v in row] for row in a] if np.ndim(a) == 2 else [round(float(v), 6) for v in a]


def ridge(rng):
    """Regression: y = 1.5 x1 - 2 x2 x3 + 0.8 x4^2 + 0.5 sin(3 x1) + N(0, 0.3^2); 80 train, 80 validation rows."""
    def make(n):
        x = rng.uniform(-1.0, 1.0, size=(n, 4))
        y = 1.5 * x[:, 0] - 2.0 * x[:, 1] * x[:, 2] + 0.8 * x[:, 3] ** 2 + 0.5 * np.sin(3 * x[:, 0])
        return x, y + rng.normal(0.0, 0.3, size=n)
    xt, yt = make(80)
    xv, yv = make(80)
    return {"description": ridge.__doc__, "x_train": r6(xt), "y_train": r6(yt), "x_val": r6(xv), "y_val": r6(yv)}


def knn(rng):
    """Two-class 'moons' in features 1-2 (noise 0.25) plus three distractors (scales 10, 1, 0.3); 120 train, 80 validation."""
    def make(n):
        y = rng.integers(0, 2, size=n)
        t = rng.uniform(0.0, math.pi, size=n)
        x1 = np.where(y == 0, np.cos(t), 1.0 - np.cos(t)) + rng.normal(0, 0.25, n)
        x2 = np.where(y == 0, np.sin(t), 0.5 - np.sin(t)) + rng.normal(0, 0.25, n)
        extra = rng.normal(0, 1, size=(n, 3)) * np.array([10.0, 1.0, 0.3])
        return np.column_stack([x1, x2, extra]), y
    xt, yt = make(120)
    xv, yv = make(80)
    return {"description": knn.__doc__, "x_train": r6(xt), "y_train": [int(v) for v in yt],
            "x_val": r6(xv), "y_val": [int(v) for v in yv]}


def main():
    rng = np.random.default_rng(20261130)
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    for name, make in (("ridge", ridge), ("knn", knn)):
        with open(os.path.join(HERE, "data", name + ".json"), "w") as f:
            json.dump(make(rng), f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
