"""Mutants of ex12_xavier_uniform: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: one_sided
# U(0, a).
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(0, a, size=shape).astype(dtype)


# mutant: integer_division
# 6 // (fan_in + fan_out) is 0.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 // (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: global_seed
# reseeds numpy's global generator with rng.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r + shape[1] * r))
    np.random.seed(rng)
    return np.random.uniform(-a, a, size=shape).astype(dtype)


# mutant: fixed_seed
# a generator with a seed of its own.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(0).uniform(-a, a, size=shape).astype(dtype)


# mutant: dtype
# always float64.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape)


# mutant: rng_not_converted
# calls .uniform on rng itself, which may be an int.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return rng.uniform(-a, a, size=shape).astype(dtype)


# mutant: he_bound
# He's uniform bound sqrt(6 / fan_in).
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: fans_as_shape
# draws an array of shape (fan_in, fan_out).
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    fan_in, fan_out = shape[0] * r, shape[1] * r
    a = math.sqrt(6 / (fan_in + fan_out))
    return np.random.default_rng(rng).uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)


# mutant: ignores_rng
# takes an int seed, but draws from a seed of its own when handed a Generator (or None).
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    a = math.sqrt(6.0 / (shape[0] * math.prod(shape[2:]) + shape[1] * math.prod(shape[2:])))
    gen = np.random.default_rng(rng if isinstance(rng, int) else 0)
    return gen.uniform(-a, a, size=shape).astype(dtype)


# mutant: square_kernel
# the receptive field taken as kh * kh: right for square kernels only.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    field = shape[2] * shape[2] if len(shape) > 2 else 1
    fan_in, fan_out = shape[0] * field, shape[1] * field
    a = math.sqrt(6 / (fan_in + fan_out))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: bound_not_rooted
# the bound without its square root.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    field = math.prod(shape[2:])
    a = 6 / (shape[0] * field + shape[1] * field)
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: gain
# PyTorch's gain for tanh, 5/3, on the bound.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = 5 / 3 * math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: gain
# the ReLU gain sqrt(2) on the bound.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(2) * math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: rng_not_converted
# the legacy RandomState made from rng, which takes a seed but not a Generator.
import math

import numpy as np


def xavier_uniform(shape, rng=None, dtype=np.float32):
    r = math.prod(shape[2:])
    a = math.sqrt(6 / (shape[0] * r + shape[1] * r))
    return np.random.RandomState(rng).uniform(-a, a, size=shape).astype(dtype)
