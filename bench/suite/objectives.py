"""Objectives of bench/suite/problems.json for the peers' harness (../shared/bench/peers/run_peers.py).

OBJECTIVES maps a problem name to fn(params, problem) -> loss (what the optimizer sees; for a noisy
problem that is the clean value plus seeded noise). CLEAN maps every problem name to its noise-free
value, which regret is measured on. bench/suite/problems.ts implements the same formulas in the same
arithmetic order; both reproduce the test points of problems.json to 1e-9.

Plain Python loops only (no numpy reductions), so the two implementations agree to the last bits
where it matters (the ML tasks use only + - * / and sqrt; the noise uses integer hashing).
"""

import json
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def _wells(base, depth, qs):
    """base + depth * mean_i (1 - exp(-q_i / 2)): one smooth well per term, so every term gives partial credit."""
    total = 0.0
    for q in qs:
        total += 1.0 - math.exp(-q / 2.0)
    return base + depth * total / len(qs)


def _xs(p, n, prefix="x"):
    return [float(p["%s%d" % (prefix, i + 1)]) for i in range(n)]


# --------------------------------------------------------------------------
# Seeded noise: a hash of the parameter values (FNV-1a over their bytes) and the problem's seed
# --------------------------------------------------------------------------

def _fnv(h, data):
    for byte in data:
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def _fmix(h):
    """murmur3's 32-bit finaliser."""
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


def param_hash(params, seed):
    """32-bit hash of the active parameters (sorted by name) and a seed."""
    h = _fnv(2166136261, struct.pack("<I", seed & 0xFFFFFFFF))
    for name in sorted(params):
        value = params[name]
        h = _fnv(h, name.encode("utf-8"))
        if type(value).__name__ in ("bool", "bool_"):  # Python or numpy boolean
            h = _fnv(h, b"\x01" if value else b"\x00")
        elif isinstance(value, str):
            h = _fnv(h, value.encode("utf-8"))
        else:
            h = _fnv(h, struct.pack("<d", float(value)))
    return h


def standard_noise(params, seed):
    """A standard-normal-like draw (Irwin-Hall of 4 uniforms, variance 1) fixed by params and seed."""
    h = param_hash(params, seed)
    total = 0.0
    for k in range(4):
        total += _fmix((h ^ ((k + 1) * 0x9E3779B9)) & 0xFFFFFFFF) / 4294967296.0
    return (total - 2.0) * math.sqrt(3.0)


# --------------------------------------------------------------------------
# Continuous families
# --------------------------------------------------------------------------

def banana_chain(p, prob):
    """(x1 - c)^2 + a * sum (x_{i+1} - (x_i^2 - s x_i))^2: a curved valley, minimum 0."""
    k = prob["constants"]
    x = _xs(p, k["d"])
    total = (x[0] - k["c"]) ** 2
    for i in range(k["d"] - 1):
        g = x[i] * x[i] - k["s"] * x[i]
        total += k["a"] * (x[i + 1] - g) ** 2
    return total


def rotated_ellipsoid(p, prob):
    """sum_i 10^(e i/(d-1)) (R (x - c))_i^2 with a fixed orthogonal R."""
    k = prob["constants"]
    d = k["d"]
    x = _xs(p, d)
    total = 0.0
    for i in range(d):
        z = 0.0
        for j in range(d):
            z += k["R"][i][j] * (x[j] - k["center"][j])
        total += 10.0 ** (k["exponent"] * i / (d - 1)) * z * z
    return total


def narrow_valley(p, prob):
    """500 (x + y - 1)^2 + (x - 2 y + 0.4)^2: a straight diagonal valley, minimum 0."""
    x, y = float(p["x"]), float(p["y"])
    return 500.0 * (x + y - 1.0) ** 2 + (x - 2.0 * y + 0.4) ** 2


def log_product_valley(p, prob):
    """A valley in log space: learning rate x batch size x decay, minimum 0."""
    u = math.log10(float(p["lr"]))
    b = math.log10(float(p["batch"]))
    w = math.log10(float(p["decay"]))
    return 20.0 * (u - 0.8 * b + 4.0) ** 2 + 5.0 * (w + u + 4.0) ** 2 + 0.1 * (b - 2.0) ** 2


def bumps(p, prob):
    """A fixed random landscape: a bowl minus Gaussian bumps, one of them narrow and deep."""
    k = prob["constants"]
    d = k["d"]
    x = _xs(p, d)
    bowl = 0.0
    for j in range(d):
        bowl += (x[j] - k["bowl_center"][j]) ** 2
    total = k["bowl"] * bowl
    for b in range(len(k["depth"])):
        r2 = 0.0
        for j in range(d):
            r2 += (x[j] - k["centers"][b][j]) ** 2
        total -= k["depth"][b] * math.exp(-r2 / (2.0 * k["width"][b] * k["width"][b]))
    return total


def rastrigin_shift(p, prob):
    k = prob["constants"]
    d = k["d"]
    x = _xs(p, d)
    total = 10.0 * d
    for j in range(d):
        z = x[j] - k["shift"][j]
        total += z * z - 10.0 * math.cos(2.0 * math.pi * z)
    return total


def ackley_shift(p, prob):
    k = prob["constants"]
    d = k["d"]
    x = _xs(p, d)
    s2 = 0.0
    sc = 0.0
    for j in range(d):
        z = x[j] - k["shift"][j]
        s2 += z * z
        sc += math.cos(2.0 * math.pi * z)
    return -20.0 * math.exp(-0.2 * math.sqrt(s2 / d)) - math.exp(sc / d) + 20.0 + math.e


def six_hump_camel(p, prob):
    x, y = float(p["x"]), float(p["y"])
    return (4.0 - 2.1 * x * x + x ** 4 / 3.0) * x * x + x * y + (-4.0 + 4.0 * y * y) * y * y


def goldstein_price(p, prob):
    x, y = float(p["x"]), float(p["y"])
    a = 1.0 + (x + y + 1.0) ** 2 * (19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y)
    b = 30.0 + (2.0 * x - 3.0 * y) ** 2 * (18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y
                                         + 27.0 * y * y)
    return a * b


def beale(p, prob):
    x, y = float(p["x"]), float(p["y"])
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2
            + (2.625 - x + x * y * y * y) ** 2)


def himmelblau(p, prob):
    x, y = float(p["x"]), float(p["y"])
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2


def levy(p, prob):
    d = prob["constants"]["d"]
    x = _xs(p, d)
    w = [1.0 + (v - 1.0) / 4.0 for v in x]
    total = math.sin(math.pi * w[0]) ** 2
    for j in range(d - 1):
        total += (w[j] - 1.0) ** 2 * (1.0 + 10.0 * math.sin(math.pi * w[j] + 1.0) ** 2)
    total += (w[d - 1] - 1.0) ** 2 * (1.0 + math.sin(2.0 * math.pi * w[d - 1]) ** 2)
    return total


def zakharov_shift(p, prob):
    k = prob["constants"]
    d = k["d"]
    x = _xs(p, d)
    s1 = 0.0
    s2 = 0.0
    for j in range(d):
        z = x[j] - k["shift"][j]
        s1 += z * z
        s2 += 0.5 * (j + 1) * z
    return s1 + s2 ** 2 + s2 ** 4


def rosenbrock(p, prob):
    d = prob["constants"]["d"]
    x = _xs(p, d)
    total = 0.0
    for j in range(d - 1):
        total += 100.0 * (x[j + 1] - x[j] * x[j]) ** 2 + (1.0 - x[j]) ** 2
    return total


def ellipsoid_shift(p, prob):
    k = prob["constants"]
    d = k["d"]
    x = _xs(p, d)
    total = 0.0
    for j in range(d):
        z = x[j] - k["shift"][j]
        total += 10.0 ** (k["exponent"] * j / (d - 1)) * z * z
    return total


# --------------------------------------------------------------------------
# Mixed spaces
# --------------------------------------------------------------------------

def qlearn(p, prob):
    """A Q-learning agent's 10 hyperparameters; a smooth well with a learning-rate x batch valley."""
    k = prob["constants"]
    u = math.log10(float(p["lr"]))
    b = math.log2(float(p["batch_size"]) / 16.0)
    g = float(p["discount"])
    e = math.log10(float(p["eps_decay"]))
    m = math.log10(float(p["memory"]))
    h = math.log2(float(p["hidden"]) / 32.0)
    t = float(p["target_update"]) / 1000.0
    n = float(p["epochs"])
    w = float(p["warmup"]) / 1000.0
    dq = bool(p["double_q"])
    qs = [((u - (k["lr0"] + k["lr_slope"] * b)) / k["lr_width"]) ** 2,
          ((g - (k["discount_dq"] if dq else k["discount_plain"])) / 0.03) ** 2,
          ((e - (k["eps0"] + 0.2 * n)) / 0.4) ** 2,
          ((m - k["memory_log10"]) / 0.5) ** 2,
          ((h - k["hidden_log2"]) / 1.0) ** 2,
          ((t - k["target"]) / 0.4) ** 2,
          ((w - k["warmup"]) / 1.0) ** 2]
    base = k["base"] + (0.0 if dq else k["plain_cost"]) + 0.02 * abs(n - k["epochs"])
    return _wells(base, 0.8, qs)


def qlearn_product(p, prob):
    """Another agent: 1 - product of per-parameter scores, with couplings inside the scores."""
    u = math.log10(float(p["lr"]))
    b = math.log2(float(p["batch_size"]) / 32.0)
    g = float(p["discount"])
    e = math.log10(float(p["eps_increment"]))
    m = math.log10(float(p["memory"]))
    h = math.log2(float(p["hidden"]) / 16.0)
    ns = float(p["n_step"])
    n = float(p["epochs"])
    tau = math.log10(float(p["tau"]))
    pr = 1.0 if bool(p["prioritized"]) else 0.0
    s = math.exp(-0.5 * ((u - (-4.2 + 0.4 * b + 0.3 * pr)) / 0.35) ** 2)
    s *= math.exp(-0.5 * ((g - (0.99 - 0.04 * ns)) / 0.05) ** 2)
    s *= math.exp(-0.5 * ((e - (-3.5 + 0.25 * n)) / 0.5) ** 2)
    s *= math.exp(-0.5 * ((m - 4.0) / 0.6) ** 2)
    s *= math.exp(-0.5 * ((h - 4.0) / 1.2) ** 2)
    s *= math.exp(-0.5 * ((tau + 2.0) / 0.6) ** 2)
    s *= 1.0 - 0.04 * abs(ns - 3.0) - 0.02 * abs(n - 4.0) - 0.05 * (1.0 - pr)
    return 1.0 - s


KERNEL_BASE = {"rbf": 0.10, "poly": 0.14, "linear": 0.22, "sigmoid": 0.30}
KERNEL_C = {"rbf": 1.0, "poly": -0.5, "linear": -2.0, "sigmoid": 0.5}
KERNEL_DEGREE = {"rbf": 1.0, "poly": 3.0, "linear": 1.0, "sigmoid": 2.0}
ACTIVATION_BASE = {"relu": 0.0, "tanh": 0.03, "gelu": 0.01}


def mixed_int_cat(p, prob):
    kern = p["kernel"]
    act = p["activation"]
    c = math.log10(float(p["C"]))
    deg = float(p["degree"])
    units = math.log2(float(p["units"]))
    layers = float(p["layers"])
    qs = [((c - KERNEL_C[kern]) / 0.7) ** 2,
          0.3 * (deg - KERNEL_DEGREE[kern]) ** 2,
          ((units - 6.0 - 0.5 * (layers - 3.0)) / 0.8) ** 2,
          0.2 * (layers - 3.0) ** 2]
    return _wells(KERNEL_BASE[kern] + ACTIVATION_BASE[act], 0.7, qs)


GRID_SHIFT = {"a": 0.0, "b": 0.5, "c": -1.0, "d": 1.5, "e": 2.5}
GRID_BASE = {"a": 0.4, "b": 0.0, "c": 0.3, "d": 0.2, "e": 0.6}


def quantized_grid(p, prob):
    x1 = float(p["x1"])
    x2 = math.log10(float(p["x2"]))
    x3 = float(p["x3"])
    x4 = p["x4"]
    x5 = float(p["x5"])
    return ((x1 - 1.5 - GRID_SHIFT[x4]) ** 2 + 4.0 * (x2 - 2.0 + 0.1 * (x1 - 2.0)) ** 2
            + ((x3 - 7.0) / 3.0) ** 2 + (x5 - 0.1 * x3) ** 2 + GRID_BASE[x4])


# --------------------------------------------------------------------------
# Conditional spaces (two levels or more)
# --------------------------------------------------------------------------

def trainer(p, prob):
    """An optimizer choice whose branches carry their own parameters; sgd's momentum nests a level deeper."""
    k = prob["constants"]
    bs = math.log2(float(p["batch_size"]) / 64.0)
    wd = math.log10(float(p["weight_decay"]))
    qs = [((wd - k["wd_opt"]) / 1.0) ** 2]
    opt = p["optimizer"]
    if opt == "sgd":
        u = math.log10(float(p["sgd_lr"]))
        kind = p["sgd_momentum"]
        if kind == "none":
            mom, base = 0.0, k["sgd_base"] + 0.04
        elif kind == "classic":
            mom, base = float(p["classic_momentum"]), k["sgd_base"] + 0.01
        else:
            mom, base = float(p["nesterov_momentum"]), k["sgd_base"]
        # the effective step lr / (1 - momentum) is what matters: a curved valley in (lr, momentum)
        eff = u - math.log10(1.0 - mom)
        qs.append(((eff - (k["sgd_eff"] + 0.5 * bs)) / 0.2) ** 2)
        if kind != "none":
            qs.append(((mom - 0.9) / 0.08) ** 2)
        return _wells(base, 0.6, qs)
    if opt == "adam":
        u = math.log10(float(p["adam_lr"]))
        b1 = float(p["adam_beta1"])
        eps = math.log10(float(p["adam_eps"]))
        qs.append(((u - (k["adam_lr"] + 0.25 * bs)) / 0.3) ** 2)
        qs.append(((b1 - 0.9) / 0.05) ** 2)
        qs.append(((eps + 8.0) / 2.0) ** 2)
        return _wells(k["adam_base"], 0.6, qs)
    u = math.log10(float(p["rms_lr"]))
    rho = float(p["rms_rho"])
    centered = p["rms_centered"] == "yes"
    qs.append(((u - (-3.0 + 0.3 * bs)) / 0.3) ** 2)
    qs.append(((rho - 0.95) / 0.03) ** 2)
    return _wells(k["rms_base"] - (0.01 if centered else 0.0), 0.6, qs)


def scheduled_trainer(p, prob):
    """Optimizer and learning-rate schedule; the cosine schedule nests restarts, restarts nest a cycle."""
    u = math.log10(float(p["lr"]))
    opt = p["optimizer"]
    lr_opt = {"sgd": -1.5, "adam": -3.2, "adagrad": -2.0}[opt]
    base = {"sgd": 0.10, "adam": 0.09, "adagrad": 0.13}[opt]
    qs = [((u - lr_opt) / 0.3) ** 2]
    if opt == "sgd":
        qs.append(((float(p["sgd_momentum"]) - 0.9) / 0.05) ** 2)
    sched = p["schedule"]
    if sched == "constant":
        base += 0.03
    elif sched == "step":
        step = float(p["step_size"])
        gamma = float(p["step_gamma"])
        # a good (step, gamma) pair lies on a curve: long steps want stronger decay
        qs.append(((gamma - (0.9 - 0.015 * step)) / 0.08) ** 2)
        qs.append(((step - 20.0) / 10.0) ** 2)
        base += 0.01
    else:
        warm = float(p["warmup"]) / 1000.0
        qs.append(((warm - 0.3) / 0.2) ** 2)
        qs.append(((math.log10(float(p["min_lr_ratio"])) + 2.5) / 0.7) ** 2)
        if p["restarts"] == "yes":
            qs.append(((float(p["cycle"]) - 12.0) / 4.0) ** 2)
            base -= 0.02
    return _wells(base, 0.7, qs)


def nested_models(p, prob):
    """Model families with their own sub-choices: linear (penalty -> l1_ratio), tree, net (activation -> slope)."""
    model = p["model"]
    if model == "linear":
        alpha = math.log10(float(p["alpha"]))
        pen = p["penalty"]
        qs = [((alpha + 2.0) / 0.8) ** 2]
        base = {"l1": 0.24, "l2": 0.23, "elasticnet": 0.20}[pen]
        if pen == "elasticnet":
            qs.append(((float(p["l1_ratio"]) - 0.3) / 0.15) ** 2)
        return _wells(base, 0.5, qs)
    if model == "tree":
        n = math.log10(float(p["n_trees"]))
        depth = float(p["depth"])
        qs = [((n - 2.5) / 0.5) ** 2, ((depth - 9.0 + 2.0 * (n - 2.5)) / 2.0) ** 2]
        base = 0.12 if p["criterion"] == "entropy" else 0.13
        return _wells(base, 0.5, qs)
    layers = float(p["layers"])
    u = math.log10(float(p["net_lr"]))
    drop = float(p["dropout"])
    qs = [((u - (-3.0 - 0.3 * (layers - 2.0))) / 0.3) ** 2, ((drop - 0.2 - 0.1 * layers) / 0.1) ** 2]
    act = p["activation"]
    base = {"relu": 0.09, "tanh": 0.11, "leaky": 0.07}[act]
    if act == "leaky":
        qs.append(((math.log10(float(p["slope"])) + 1.3) / 0.4) ** 2)
    return _wells(base, 0.6, qs)


def pipeline(p, prob):
    """Preprocessing choice with nested options, then a classifier choice with nested kernels."""
    pre = p["preprocess"]
    base = 0.0
    qs = []
    if pre == "none":
        base += 0.05
    elif pre == "pca":
        qs.append(((float(p["n_components"]) - 12.0) / 5.0) ** 2)
        base += 0.0 if p["whiten"] == "yes" else 0.01
    else:
        base += 0.02 + 0.01 * abs(float(p["poly_degree"]) - 2.0)
        base += 0.0 if p["interaction_only"] == "yes" else 0.01
    clf = p["classifier"]
    if clf == "svm":
        c = math.log10(float(p["svm_C"]))
        kern = p["svm_kernel"]
        if kern == "rbf":
            g = math.log10(float(p["rbf_gamma"]))
            qs.append(((c - 1.0) / 0.8) ** 2)
            qs.append(((g + 2.0 + 0.5 * (c - 1.0)) / 0.4) ** 2)
            base += 0.06
        else:
            qs.append(((c + 0.5) / 0.8) ** 2)
            qs.append(((float(p["poly_kernel_degree"]) - 3.0) / 1.0) ** 2)
            qs.append(((float(p["coef0"]) - 1.0) / 0.5) ** 2)
            base += 0.08
    else:
        kk = float(p["k"])
        qs.append(((math.log2(kk) - 3.0) / 0.7) ** 2)
        base += 0.09 if p["knn_weights"] == "distance" else 0.10
    return _wells(base, 0.6, qs)


# --------------------------------------------------------------------------
# Two small ML tasks on fixed generated data (bench/suite/data/)
# --------------------------------------------------------------------------

_DATA = {}


def _data(name):
    if name not in _DATA:
        with open(os.path.join(HERE, "data", name)) as f:
            _DATA[name] = json.load(f)
    return _DATA[name]


def ridge_features(row, kind):
    """Bias, raw features, then squares and/or pairwise products, in a fixed order."""
    out = [1.0]
    out.extend(row)
    n = len(row)
    if kind in ("quadratic", "full"):
        for i in range(n):
            out.append(row[i] * row[i])
    if kind in ("interactions", "full"):
        for i in range(n):
            for j in range(i + 1, n):
                out.append(row[i] * row[j])
    return out


_RIDGE = {}


def _ridge_matrices(kind):
    """Gram matrix X'X / n and X'y / n of the training rows, and the validation rows (cached)."""
    if kind not in _RIDGE:
        d = _data("ridge.json")
        xs = [ridge_features(r, kind) for r in d["x_train"]]
        ys = d["y_train"]
        n = len(xs)
        m = len(xs[0])
        gram = [[0.0] * m for _ in range(m)]
        xty = [0.0] * m
        for r in range(n):
            row = xs[r]
            for i in range(m):
                xty[i] += row[i] * ys[r]
                for j in range(m):
                    gram[i][j] += row[i] * row[j]
        for i in range(m):
            xty[i] /= n
            for j in range(m):
                gram[i][j] /= n
        val = [ridge_features(r, kind) for r in d["x_val"]]
        _RIDGE[kind] = (gram, xty, val, d["y_val"])
    return _RIDGE[kind]


RIDGE_CAP = 10.0


def ml_ridge(p, prob):
    """Ridge regression by full-batch gradient descent with heavy-ball momentum; validation MSE (capped at 10)."""
    gram, xty, val, yv = _ridge_matrices(p["features"])
    lr = float(p["lr"])
    l2 = float(p["l2"])
    mom = float(p["momentum"])
    epochs = int(round(float(p["epochs"])))
    m = len(xty)
    w = [0.0] * m
    v = [0.0] * m
    for _ in range(epochs):
        grad = [0.0] * m
        for i in range(m):
            s = 0.0
            row = gram[i]
            for j in range(m):
                s += row[j] * w[j]
            grad[i] = 2.0 * (s - xty[i]) + 2.0 * l2 * w[i]
        big = False
        for i in range(m):
            v[i] = mom * v[i] - lr * grad[i]
            w[i] = w[i] + v[i]
            if not (abs(w[i]) < 1e6):
                big = True
        if big:
            return RIDGE_CAP
    sse = 0.0
    for r in range(len(val)):
        row = val[r]
        pred = 0.0
        for j in range(m):
            pred += row[j] * w[j]
        err = pred - yv[r]
        sse += err * err
    mse = sse / len(val)
    return mse if mse < RIDGE_CAP else RIDGE_CAP


_KNN = {}


def _knn_neighbours(scaling, metric):
    """For each validation row, the training rows sorted by (distance, index) under a scaling and metric."""
    key = scaling + "/" + metric
    if key not in _KNN:
        d = _data("knn.json")
        xt, xv = d["x_train"], d["x_val"]
        f = len(xt[0])
        shift = [0.0] * f
        scale = [1.0] * f
        if scaling == "standard":
            for j in range(f):
                mean = 0.0
                for r in xt:
                    mean += r[j]
                mean /= len(xt)
                var = 0.0
                for r in xt:
                    var += (r[j] - mean) * (r[j] - mean)
                shift[j] = mean
                scale[j] = math.sqrt(var / len(xt))
        elif scaling == "minmax":
            for j in range(f):
                lo = min(r[j] for r in xt)
                hi = max(r[j] for r in xt)
                shift[j] = lo
                scale[j] = hi - lo
        st = [[(r[j] - shift[j]) / scale[j] for j in range(f)] for r in xt]
        sv = [[(r[j] - shift[j]) / scale[j] for j in range(f)] for r in xv]
        out = []
        for a in sv:
            dists = []
            for idx, b in enumerate(st):
                if metric == "l1":
                    dist = 0.0
                    for j in range(f):
                        dist += abs(a[j] - b[j])
                elif metric == "l2":
                    s = 0.0
                    for j in range(f):
                        s += (a[j] - b[j]) * (a[j] - b[j])
                    dist = math.sqrt(s)
                else:
                    dist = 0.0
                    for j in range(f):
                        dist = max(dist, abs(a[j] - b[j]))
                dists.append((dist, idx))
            dists.sort()
            out.append(dists)
        _KNN[key] = out
    return _KNN[key]


def ml_knn(p, prob):
    """k-nearest-neighbour classifier; validation Brier score of P(class 1)."""
    d = _data("knn.json")
    yt, yv = d["y_train"], d["y_val"]
    neigh = _knn_neighbours(p["scaling"], p["metric"])
    k = int(p["k"])
    weighting = p["weighting"]
    h = float(p["bandwidth"]) if weighting == "gaussian" else 1.0
    total = 0.0
    for r in range(len(yv)):
        num = 0.0
        den = 0.0
        for t in range(k):
            dist, idx = neigh[r][t]
            if weighting == "uniform":
                wt = 1.0
            elif weighting == "inverse":
                wt = 1.0 / (dist + 1e-3)
            else:
                z = dist / h
                wt = math.exp(-0.5 * z * z)
            num += wt * yt[idx]
            den += wt
        prob1 = num / den if den > 0.0 else 0.5
        err = prob1 - yv[r]
        total += err * err
    return total / len(yv)


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

TEMPLATES = {
    "banana_chain": banana_chain,
    "rotated_ellipsoid": rotated_ellipsoid,
    "narrow_valley": narrow_valley,
    "log_product_valley": log_product_valley,
    "bumps": bumps,
    "rastrigin_shift": rastrigin_shift,
    "ackley_shift": ackley_shift,
    "six_hump_camel": six_hump_camel,
    "goldstein_price": goldstein_price,
    "beale": beale,
    "himmelblau": himmelblau,
    "levy": levy,
    "zakharov_shift": zakharov_shift,
    "rosenbrock": rosenbrock,
    "ellipsoid_shift": ellipsoid_shift,
    "qlearn": qlearn,
    "qlearn_product": qlearn_product,
    "mixed_int_cat": mixed_int_cat,
    "quantized_grid": quantized_grid,
    "trainer": trainer,
    "scheduled_trainer": scheduled_trainer,
    "nested_models": nested_models,
    "pipeline": pipeline,
    "ml_ridge": ml_ridge,
    "ml_knn": ml_knn,
}


def clean(params, prob):
    """The noise-free loss of a problem (its `template` applied to its constants)."""
    return float(TEMPLATES[prob["template"]](params, prob))


def observed(params, prob):
    """What the optimizer sees: the clean loss, plus sigma x seeded noise for a problem with `noise`."""
    value = clean(params, prob)
    noise = prob.get("noise")
    if noise is None:
        return value
    return value + noise["sigma"] * standard_noise(params, noise["seed"])


def _problem_names():
    with open(os.path.join(HERE, "problems.json")) as f:
        return [p["name"] for p in json.load(f)["problems"]]


if os.path.exists(os.path.join(HERE, "problems.json")):
    OBJECTIVES = {name: observed for name in _problem_names()}
else:  # while make_problems.py writes the file for the first time
    OBJECTIVES = {}
CLEAN = {name: clean for name in OBJECTIVES}
