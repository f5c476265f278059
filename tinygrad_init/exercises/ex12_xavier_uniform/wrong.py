"""Known-wrong answers to ex12_xavier_uniform: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: ignores_rng
# draws from numpy's global random state, so a seed changes nothing.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6.0 / (shape[0] * r + shape[1] * r))
    return np.random.uniform(-a, a, size=shape).astype(dtype)


# wrong: lecun_bound
# the bound sqrt(3 / fan_in) -- LeCun's uniform init, which ignores fan_out.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(3.0 / (shape[0] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# wrong: no_receptive_field
# takes the fans as shape[0] and shape[1] even for a convolution kernel.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    a = math.sqrt(6.0 / (shape[0] + shape[1]))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# wrong: normal
# Xavier *normal* (right variance, wrong distribution).
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)


# wrong: std_as_bound
# uses the target std sqrt(2 / (fan_in + fan_out)) as the uniform bound.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(2.0 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)
