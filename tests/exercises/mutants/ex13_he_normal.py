"""Mutants of ex13_he_normal: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: ignores_rng
# numpy's global generator.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    return np.random.normal(0.0, math.sqrt(2 / fan_in), size=shape).astype(dtype)


# mutant: global_seed
# reseeds numpy's global generator with rng.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    np.random.seed(rng)
    return np.random.normal(0.0, math.sqrt(2 / fan_in), size=shape).astype(dtype)


# mutant: uniform
# a uniform distribution with the right std.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    a = math.sqrt(6 / fan_in)
    return np.random.default_rng(rng).uniform(-a, a, size=shape).astype(dtype)


# mutant: truncated
# redraws everything beyond two standard deviations.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    std = math.sqrt(2 / fan_in)
    gen = np.random.default_rng(rng)
    w = gen.normal(0.0, std, size=shape)
    bad = np.abs(w) > 2 * std
    while bad.any():
        w[bad] = gen.normal(0.0, std, size=int(bad.sum()))
        bad = np.abs(w) > 2 * std
    return w.astype(dtype)


# mutant: no_receptive_field
# fan_in = shape[0] even for a kernel.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    return np.random.default_rng(rng).normal(0.0, math.sqrt(2 / shape[0]), size=shape).astype(dtype)


# mutant: loc_scale
# normal(std, 1): the mean and the scale swapped.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    return np.random.default_rng(rng).normal(math.sqrt(2 / fan_in), size=shape).astype(dtype)


# mutant: sqrt_misplaced
# sqrt(2) / fan_in.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    return np.random.default_rng(rng).normal(0.0, math.sqrt(2) / fan_in, size=shape).astype(dtype)


# mutant: rng_not_converted
# calls .normal on rng itself.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    return rng.normal(0.0, math.sqrt(2 / fan_in), size=shape).astype(dtype)


# mutant: integer_division
# 2 // fan_in is 0.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    return np.random.default_rng(rng).normal(0.0, math.sqrt(2 // fan_in), size=shape).astype(dtype)


# mutant: fixed_seed
# rng or 0: None (a fresh seed from the operating system) becomes the seed 0.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    std = math.sqrt(2.0 / (shape[0] * math.prod(shape[2:])))
    return np.random.default_rng(rng or 0).normal(0.0, std, size=shape).astype(dtype)


# mutant: square_kernel
# the receptive field taken as kh * kh: right for square kernels only.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    field = shape[2] * shape[2] if len(shape) > 2 else 1
    fan_in, fan_out = shape[0] * field, shape[1] * field
    return np.random.default_rng(rng).normal(0.0, math.sqrt(2 / fan_in), size=shape).astype(dtype)


# mutant: gain_twice
# the ReLU gain sqrt(2) on a std that holds it already.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    std = math.sqrt(2) * math.sqrt(2 / fan_in)
    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)


# mutant: fan_out
# takes fan_in = shape[0] for a matrix but reads a kernel in PyTorch's layout (out, in, kh, kw).
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] if len(shape) == 2 else shape[1] * math.prod(shape[2:])
    return np.random.default_rng(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=shape).astype(dtype)


# mutant: rng_not_converted
# a Generator built on PCG64(rng), which takes a seed but not a Generator.
import math

import numpy as np


def he_normal(shape, rng=None, dtype=np.float32):
    fan_in = shape[0] * math.prod(shape[2:])
    return np.random.Generator(np.random.PCG64(rng)).normal(0.0, math.sqrt(2 / fan_in), size=shape).astype(dtype)
