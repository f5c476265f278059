"""Wrong: divides by fan_out instead of fan_in."""

import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[1] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)
