"""Known-wrong answers to ex03_tanh_backward: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_square
# forgets to square the tanh.
import math


def tanh_backward(x: float, upstream: float) -> float:
    return upstream * (1.0 - math.tanh(x))


# wrong: used_input
# writes 1 - x**2 with the input instead of the output t = tanh(x).
def tanh_backward(x: float, upstream: float) -> float:
    return upstream * (1.0 - x**2)


# wrong: forward_value
# the forward value where the derivative belongs: upstream * tanh(x).
import math


def tanh_backward(x: float, upstream: float) -> float:
    return upstream * math.tanh(x)

# wrong: float32
# the right rule, computed in float32: near |x| = 10, t rounds to 1 and 1 - t^2 to 0.
import numpy as np


def tanh_backward(x, upstream):
    t = np.tanh(np.float32(x))
    return np.float32(upstream) * (1 - t * t)

# wrong: numerical
# a central difference of the forward pass: right to a few digits only (to 10 where the derivative is near 1).
import math


def tanh_backward(x, upstream):
    def f(x):
        return math.tanh(x)
    h = 1e-5
    return upstream * (f(x + h) - f(x - h)) / (2 * h)
