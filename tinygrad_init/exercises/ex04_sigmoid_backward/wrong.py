"""Known-wrong answers to ex04_sigmoid_backward: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_upstream
# returns the local derivative without the upstream gradient.
import math


def sigmoid_backward(x: float, upstream: float) -> float:
    if x >= 0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        s = math.exp(x) / (1.0 + math.exp(x))
    return s * (1.0 - s)


# wrong: overflow
# the textbook formula with math.exp overflows for x = -800.
import math


def sigmoid_backward(x: float, upstream: float) -> float:
    s = 1.0 / (1.0 + math.exp(-x))
    return upstream * s * (1.0 - s)


# wrong: used_input
# writes x * (1 - x) with the input instead of the output s.
def sigmoid_backward(x: float, upstream: float) -> float:
    return upstream * x * (1.0 - x)

# wrong: float32
# the right rule, computed in float32: near x = 20, s rounds to 1 and s * (1 - s) to 0.
import numpy as np


def sigmoid_backward(x, upstream):
    s = 1 / (1 + np.exp(-np.float32(x)))
    return np.float32(upstream) * s * (1 - s)

# wrong: numerical
# a central difference of the forward pass: right to a few digits only (to 10 where the derivative is near 1).
import math


def sigmoid_backward(x, upstream):
    def f(x):
        return (1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x)))
    h = 3e-4
    return upstream * (f(x + h) - f(x - h)) / (2 * h)
