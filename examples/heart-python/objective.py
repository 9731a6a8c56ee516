#!/usr/bin/env python3
"""The seed's objective(args), without hyperopt: Parzen's `command` objective runs this once per trial.

Parzen writes the trial's parameters to stdin as one JSON line; this sets each one on heart.py's
hyperparameters, exactly as the seed's tuner did, and prints the error as the last line of stdout,
which Parzen reads as the loss. heart.py itself is not touched, and nothing here knows of Parzen:

    echo '{"learning_rate": 2, "size_of_hidden_layer": -2}' | python3 objective.py
"""
import json
import sys

from heart import hyperparameters  # heart.py in the same folder; its main() does not run on import


def objective(args):
    for key, value in args.items():
        # The key in the space must match a variable name in HyperParameters
        if not hasattr(hyperparameters, key):
            sys.exit(f"{key!r} is not a hyperparameter of heart.py (it has {', '.join(vars(hyperparameters))})")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        setattr(hyperparameters, key, value)
    return hyperparameters.runAndGetError()


if __name__ == "__main__":
    print(objective(json.loads(sys.stdin.readline())))
