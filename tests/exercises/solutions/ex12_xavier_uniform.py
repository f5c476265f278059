"""Reference solution of ex12_xavier_uniform (kept out of the package: the tests grade it)."""

import math

import numpy as np


def _fans(shape: tuple) -> tuple[int, int]:
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r


def xavier_uniform(shape: tuple, rng=None, dtype=np.float32) -> np.ndarray:
    """U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), drawn in float64 and cast to dtype."""
    fan_in, fan_out = _fans(tuple(shape))
    a = math.sqrt(6.0 / (fan_in + fan_out))
    gen = np.random.default_rng(rng)
    return gen.uniform(-a, a, size=shape).astype(dtype)
