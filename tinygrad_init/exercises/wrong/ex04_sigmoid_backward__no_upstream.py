"""Wrong: returns the local derivative without the upstream gradient."""

import math


def sigmoid_backward(x: float, upstream: float) -> float:
    if x >= 0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        s = math.exp(x) / (1.0 + math.exp(x))
    return s * (1.0 - s)
