"""Wrong: draws from numpy's global random state, so a seed changes nothing."""

import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6.0 / (shape[0] * r + shape[1] * r))
    return np.random.uniform(-a, a, size=shape).astype(dtype)
