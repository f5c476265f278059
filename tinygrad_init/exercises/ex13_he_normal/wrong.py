"""Known-wrong answers to ex13_he_normal: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: dtype
# ignores dtype and returns float64.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[0] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape)


# wrong: fan_out
# divides by fan_out instead of fan_in.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[1] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)


# wrong: fixed_seed
# always seeds its own generator with 0, whatever rng says.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[0] * r))
    return np.random.default_rng(0).normal(0.0, std, size=shape).astype(dtype)


# wrong: lecun
# std sqrt(1 / fan_in), LeCun's init, which forgets the factor 2 for ReLU.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    std = math.sqrt(1.0 / (shape[0] * r))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)


# wrong: variance_as_std
# passes the variance 2 / fan_in where numpy expects the std.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    return np.random.default_rng(rng).normal(0.0, 2.0 / (shape[0] * r), size=shape).astype(dtype)


# wrong: glorot
# Glorot's normal std, sqrt(2 / (fan_in + fan_out)), where He's belongs.
import math

import numpy as np


def he_normal(shape: tuple, rng=None, dtype=np.float32) -> np.ndarray:
    field = math.prod(shape[2:])
    std = math.sqrt(2.0 / (shape[0] * field + shape[1] * field))
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)
