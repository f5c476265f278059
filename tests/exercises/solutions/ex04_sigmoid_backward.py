"""Reference solution of ex04_sigmoid_backward (kept out of the package: the tests grade it)."""

import math


def sigmoid_backward(x: float, upstream: float) -> float:
    """dL/dx = upstream * s * (1 - s), with a sigmoid whose exp never overflows."""
    if x >= 0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    return upstream * s * (1.0 - s)
