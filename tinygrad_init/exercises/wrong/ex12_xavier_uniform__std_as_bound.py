"""Wrong: uses the target std sqrt(2 / (fan_in + fan_out)) as the uniform bound."""

import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(2.0 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)
