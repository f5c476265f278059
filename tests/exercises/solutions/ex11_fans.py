"""Reference solution of ex11_fans (kept out of the package: the tests grade it)."""

import math


def fans(shape: tuple) -> tuple[int, int]:
    """fan_in = shape[0] * r, fan_out = shape[1] * r with r = prod(shape[2:])."""
    shape = tuple(int(n) for n in shape)
    if len(shape) < 2:
        raise ValueError(f"fans: shape {shape} has fewer than two axes, so it has no separate input and "
                         "output axes (a bias has no fans)")
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r
