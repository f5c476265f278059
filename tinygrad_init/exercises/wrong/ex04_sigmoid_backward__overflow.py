"""Wrong: the textbook formula with math.exp overflows for x = -800."""

import math


def sigmoid_backward(x: float, upstream: float) -> float:
    s = 1.0 / (1.0 + math.exp(-x))
    return upstream * s * (1.0 - s)
