"""Wrong: the bound sqrt(3 / fan_in) -- LeCun's uniform init, which ignores fan_out."""

import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(3.0 / (shape[0] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)
