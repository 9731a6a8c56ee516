#!/usr/bin/env python3
"""The seed blog post's stand-in for a training program: no tuner code anywhere in it.

It trains (here: evaluates the heart function) with the hyperparameters it is given on the command line
or, failing that, in the environment, and prints its error as the last line, like many training scripts
print their final validation loss. Run it by hand:

    python3 heart.py --learning-rate 1.98 --size-of-hidden-layer -1.99
    LEARNING_RATE=0.5 python3 heart.py
"""
import argparse
import os


def heart(x, y):
    return -((x**2 + y**2 - 1) ** 3 - x**2 * y**3)


class HyperParameters:
    def __init__(self):
        self.learning_rate = float(os.environ.get("LEARNING_RATE", 1))
        self.size_of_hidden_layer = float(os.environ.get("SIZE_OF_HIDDEN_LAYER", 1))

    def runAndGetError(self):
        """This function should call your tensorflow etc code which does the whole training procedure
        and returns the TRAINING error. Lower is better!"""
        return heart(self.learning_rate, self.size_of_hidden_layer)


def main():
    hyperparameters = HyperParameters()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learning-rate", type=float, default=hyperparameters.learning_rate)
    parser.add_argument("--size-of-hidden-layer", type=float, default=hyperparameters.size_of_hidden_layer)
    args = parser.parse_args()
    hyperparameters.learning_rate = args.learning_rate
    hyperparameters.size_of_hidden_layer = args.size_of_hidden_layer
    print(f"training with learning_rate={args.learning_rate} size_of_hidden_layer={args.size_of_hidden_layer}")
    print(hyperparameters.runAndGetError())


if __name__ == "__main__":
    main()
