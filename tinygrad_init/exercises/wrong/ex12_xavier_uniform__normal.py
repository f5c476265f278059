"""Wrong: Xavier *normal* (right variance, wrong distribution)."""

import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)
