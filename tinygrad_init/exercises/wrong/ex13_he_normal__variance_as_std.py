"""Wrong: passes the variance 2 / fan_in where numpy expects the std."""

import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    return np.random.default_rng(rng).normal(0.0, 2.0 / (shape[0] * r), size=shape).astype(dtype)
