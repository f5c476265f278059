"""Wrong: std sqrt(1 / fan_in), LeCun's init, which forgets the factor 2 for ReLU."""

import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(1.0 / (shape[0] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)
