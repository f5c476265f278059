"""Mutants of ex03_tanh_backward: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: tanh_of_square
# squares the input instead of the tanh.
import math


def tanh_backward(x, upstream):
    return upstream * (1 - math.tanh(x**2))


# mutant: square_outside
# (1 - t)^2 instead of 1 - t^2.
import math


def tanh_backward(x, upstream):
    return upstream * (1 - math.tanh(x)) ** 2


# mutant: overflow
# sech^2 through cosh, which overflows for |x| > 710.
import math


def tanh_backward(x, upstream):
    return upstream / math.cosh(x) ** 2


# mutant: overflow
# its own tanh from exponentials, which overflow.
import math


def tanh_backward(x, upstream):
    t = (math.exp(x) - math.exp(-x)) / (math.exp(x) + math.exp(-x))
    return upstream * (1 - t * t)


# mutant: tan
# math.tan instead of math.tanh.
import math


def tanh_backward(x, upstream):
    t = math.tan(x)
    return upstream * (1 - t * t)


# mutant: plus
# 1 + t^2 (the tangent's rule).
import math


def tanh_backward(x, upstream):
    t = math.tanh(x)
    return upstream * (1 + t * t)


# mutant: sigmoid_rule
# t * (1 - t), the sigmoid's rule applied to tanh's output.
import math


def tanh_backward(x, upstream):
    t = math.tanh(x)
    return upstream * t * (1 - t)


# mutant: no_upstream
# the local derivative alone.
import math


def tanh_backward(x, upstream):
    return 1 - math.tanh(x) ** 2


# mutant: sign
# the two terms of the derivative the other way round.
import math


def tanh_backward(x, upstream):
    t = math.tanh(x)
    return upstream * (t * t - 1)


# mutant: sign_some_inputs
# abs(upstream): right while upstream is positive, the wrong sign once it is negative.
import math


def tanh_backward(x, upstream):
    t = math.tanh(x)
    return abs(upstream) * (1 - t * t)


# mutant: sign_some_inputs
# the derivative given the sign of x, as if it were tanh itself (odd): wrong for every negative x.
import math


def tanh_backward(x, upstream):
    t = math.tanh(x)
    return upstream * (1 - t * t) * (1 if x >= 0 else -1)
