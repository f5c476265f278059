"""Mutants of ex11_fans: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: same_fans
# fan_out taken from the first axis too.
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    r = math.prod(shape[2:])
    return shape[0] * r, shape[0] * r


# mutant: two_d_kernel_only
# assumes a 2-D kernel (in, out, kh, kw).
def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    r = shape[2] * shape[3] if len(shape) > 2 else 1
    return shape[0] * r, shape[1] * r


# mutant: sum_receptive_field
# adds the kernel sizes.
def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    r = sum(shape[2:]) if len(shape) > 2 else 1
    return shape[0] * r, shape[1] * r


# mutant: no_error_0d
# refuses 1-D shapes but indexes a 0-D one.
import math


def fans(shape):
    if len(shape) == 1:
        raise ValueError("a bias has no fans")
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r


# mutant: assert_instead
# an assert in place of a ValueError.
import math


def fans(shape):
    assert len(shape) >= 2, "no fans"
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r


# mutant: receptive_field_out_only
# multiplies only fan_out by the receptive field.
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    return shape[0], shape[1] * math.prod(shape[2:])


# mutant: last_two_axes
# the Keras layout (*receptive_field, in, out).
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    r = math.prod(shape[:-2])
    return shape[-2] * r, shape[-1] * r


# mutant: receptive_field_in_only
# multiplies only fan_in by the receptive field.
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    return shape[0] * math.prod(shape[2:]), shape[1]


# mutant: float_fans
# the right numbers, as floats: / divides into a float even when it divides evenly.
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    size = math.prod(shape)
    return size / shape[1], size / shape[0]

# mutant: float_fans
# np.prod of the empty tuple shape[2:] is the float 1.0: the fans of a 2-D shape come out as floats.
import numpy as np


def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    r = np.prod(shape[2:])
    return shape[0] * r, shape[1] * r


# mutant: two_d_kernel_only
# unpacks a kernel as (in, out, kh, kw): a kernel with one spatial axis raises "not enough values to unpack".
def fans(shape):
    if len(shape) < 2:
        raise ValueError("a shape with fewer than two axes has no fans")
    if len(shape) == 2:
        return shape[0], shape[1]
    cin, cout, kh, kw = shape
    return cin * kh * kw, cout * kh * kw


# mutant: two_d_kernel_only
# refuses every shape but a matrix and a 2-D kernel, with a ValueError of its own.
import math


def fans(shape):
    if len(shape) not in (2, 4):
        raise ValueError("fans: a weight has 2 or 4 axes")
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r


# mutant: no_error_1d
# raises a ValueError that does not say why, as the statement asks.
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r
