"""Wrong: forgets to square the tanh."""

import math


def tanh_backward(x: float, upstream: float) -> float:
    return upstream * (1.0 - math.tanh(x))
