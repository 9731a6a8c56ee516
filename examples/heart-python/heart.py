#!/usr/bin/env python3
"""The seed blog post's dummy program, standing in for your complex number or cat recognition program.

It has a class for all its hyperparameters, and it trains only when run directly (the main guard), so
a second program can import it and tune it without touching it. There is no tuner code in here.

    python3 heart.py
"""


def heart(x, y):
    return -((x**2 + y**2 - 1) ** 3 - x**2 * y**3)


class HyperParameters:
    def __init__(self):
        self.learning_rate = 1
        self.size_of_hidden_layer = 1

    def runAndGetError(self):
        """This function should call your tensorflow etc
        code which does the whole training procedure and returns
        the TRAINING error.  Lower is better!"""
        return heart(self.learning_rate, self.size_of_hidden_layer)


hyperparameters = HyperParameters()


def main():
    # This is where you do all the normal training code etc
    print("Training error:", hyperparameters.runAndGetError())


if __name__ == "__main__":
    main()
