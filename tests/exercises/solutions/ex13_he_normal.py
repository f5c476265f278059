"""Reference solution of ex13_he_normal (kept out of the package: the tests grade it)."""

import math

import numpy as np


def _fans(shape: tuple) -> tuple[int, int]:
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r


def he_normal(shape: tuple, rng=None, dtype=np.float32) -> np.ndarray:
    """N(0, 2 / fan_in), drawn in float64 and cast to dtype."""
    fan_in, _ = _fans(tuple(shape))
    std = math.sqrt(2.0 / fan_in)
    gen = np.random.default_rng(rng)
    return gen.normal(0.0, std, size=shape).astype(dtype)
