#!/usr/bin/env python3
"""Logistic regression trained by SGD, one epoch per step: a training loop Parzen can prune.

Standard library only, and nothing here imports Parzen. The protocol is plain stdout lines:

- the hyperparameters come in as one JSON line on stdin (missing ones take the defaults below):
      echo '{"learning_rate": 0.05, "l2": 0.0001, "batch_size": 8}' | python3 train.py
- after each epoch it prints {"step": epoch, "value": validation_loss} and flushes stdout, so Parzen
  sees the point of the learning curve at once (its pruner judges the trial there);
- when the pruner says stop, Parzen sends SIGTERM to the program's process group (and SIGKILL a grace
  period later): this program then stops after the epoch it is in and exits 0;
- at the end it prints {"loss": validation_loss, "epochs": n}, the trial's loss.
"""
import json
import math
import random
import signal
import sys

EPOCHS = 30
N_TRAIN, N_VALIDATION, N_FEATURES = 600, 300, 10
DEFAULTS = {"learning_rate": 0.05, "l2": 1e-4, "batch_size": 8}


def make_data(seed=0):
    """A fixed, noisy linear classification problem (the same for every trial)."""
    rng = random.Random(seed)
    true_weights = [rng.gauss(0, 1) for _ in range(N_FEATURES)]
    scales = [1.0 if i % 2 == 0 else 5.0 for i in range(N_FEATURES)]  # uneven scales: lr matters

    def sample():
        x = [rng.gauss(0, 1) * s for s in scales]
        z = sum(w * xi / s for w, xi, s in zip(true_weights, x, scales)) + rng.gauss(0, 0.7)
        return x, 1.0 if z > 0 else 0.0

    data = [sample() for _ in range(N_TRAIN + N_VALIDATION)]
    return data[:N_TRAIN], data[N_TRAIN:]


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def log_loss(weights, bias, data):
    """Mean cross-entropy, computed stably (log(1 + e^z) without overflow)."""
    total = 0.0
    for x, y in data:
        z = bias + sum(w * xi for w, xi in zip(weights, x))
        softplus = z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
        total += softplus - y * z
    return total / len(data)


def sgd_epoch(weights, bias, data, rng, learning_rate, l2, batch_size):
    """One pass over the shuffled training data in mini-batches; returns the new bias."""
    order = list(range(len(data)))
    rng.shuffle(order)
    for start in range(0, len(order), batch_size):
        batch = [data[i] for i in order[start : start + batch_size]]
        grad_w = [0.0] * len(weights)
        grad_b = 0.0
        for x, y in batch:
            error = sigmoid(bias + sum(w * xi for w, xi in zip(weights, x))) - y
            for j, xi in enumerate(x):
                grad_w[j] += error * xi
            grad_b += error
        for j in range(len(weights)):
            weights[j] -= learning_rate * (grad_w[j] / len(batch) + l2 * weights[j])
        bias -= learning_rate * grad_b / len(batch)
    return bias


stop_requested = False


def request_stop(signum, frame):
    """SIGTERM: Parzen stopped this trial (its pruner, a timeout, Ctrl-C). Finish the epoch, then exit cleanly."""
    global stop_requested
    stop_requested = True


def main():
    signal.signal(signal.SIGTERM, request_stop)
    line = sys.stdin.readline() if not sys.stdin.isatty() else ""
    params = {**DEFAULTS, **(json.loads(line) if line.strip() else {})}
    learning_rate, l2 = float(params["learning_rate"]), float(params["l2"])
    batch_size = int(params["batch_size"])
    train, validation = make_data()
    rng = random.Random(1)
    weights, bias = [0.0] * N_FEATURES, 0.0
    loss = log_loss(weights, bias, validation)
    for epoch in range(EPOCHS):
        bias = sgd_epoch(weights, bias, train, rng, learning_rate, l2, batch_size)
        loss = log_loss(weights, bias, validation)
        if stop_requested:
            print(f"stopped by SIGTERM after epoch {epoch}", file=sys.stderr)
            return
        print(json.dumps({"step": epoch, "value": loss}), flush=True)
    print(json.dumps({"loss": loss, "epochs": EPOCHS}), flush=True)


if __name__ == "__main__":
    main()
