"""Wrong: gives a 1-D shape the same fan twice instead of refusing it."""

import math


def fans(shape: tuple) -> tuple[int, int]:
    if len(shape) == 1:
        return shape[0], shape[0]
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r
