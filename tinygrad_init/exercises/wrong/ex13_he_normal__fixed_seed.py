"""Wrong: always seeds its own generator with 0, whatever rng says."""

import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[0] * r))
    return np.random.default_rng(0).normal(0.0, std, size=shape).astype(dtype)
