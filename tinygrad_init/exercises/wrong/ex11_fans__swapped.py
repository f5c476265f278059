"""Wrong: PyTorch's layout (out, in, ...) instead of this project's (in, out, ...)."""

import math


def fans(shape: tuple) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError("no fans")
    r = math.prod(shape[2:])
    return shape[1] * r, shape[0] * r
