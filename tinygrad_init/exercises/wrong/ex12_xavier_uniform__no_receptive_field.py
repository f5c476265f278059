"""Wrong: takes the fans as shape[0] and shape[1] even for a convolution kernel."""

import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    a = math.sqrt(6.0 / (shape[0] + shape[1]))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)
