"""Known-wrong answers to ex02_pow_backward: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: exponent_not_lowered
# brings the exponent down but keeps it: n * x**n.
def pow_backward(x: float, n: float, upstream: float) -> float:
    return upstream * n * x**n


# wrong: forgot_factor_n
# lowers the exponent but forgets the factor n.
def pow_backward(x: float, n: float, upstream: float) -> float:
    return upstream * x ** (n - 1)

# wrong: float32
# the right rule, computed in float32 (7 digits).
import numpy as np


def pow_backward(x, n, upstream):
    return np.float32(upstream) * np.float32(n) * np.float32(x) ** np.float32(n - 1)

# wrong: numerical
# a central difference of the forward pass: right to a few digits only (to 10 where the derivative is near 1).
import math


def pow_backward(x, n, upstream):
    def f(x):
        return x ** n
    h = 1e-5
    return upstream * (f(x + h) - f(x - h)) / (2 * h)
