"""Mutants of ex04_sigmoid_backward: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: sign
# s * (s - 1) instead of s * (1 - s).
import math


def sigmoid_backward(x, upstream):
    s = 0.5 * (1 + math.tanh(x / 2))
    return upstream * s * (s - 1)


# mutant: one_factor
# keeps only (1 - s).
import math


def sigmoid_backward(x, upstream):
    s = 0.5 * (1 + math.tanh(x / 2))
    return upstream * (1 - s)


# mutant: not_sigmoid
# uses tanh as the sigmoid.
import math


def sigmoid_backward(x, upstream):
    s = math.tanh(x)
    return upstream * s * (1 - s)


# mutant: linearized
# the slope at 0 everywhere.
def sigmoid_backward(x, upstream):
    return upstream * 0.25


# mutant: squared
# s^2 instead of s * (1 - s).
import math


def sigmoid_backward(x, upstream):
    s = 0.5 * (1 + math.tanh(x / 2))
    return upstream * s * s


# mutant: overflow
# e^-x / (1 + e^-x)^2 is right, but e^-x overflows at x = -800.
import math


def sigmoid_backward(x, upstream):
    e = math.exp(-x)
    return upstream * e / (1 + e) ** 2


# mutant: overflow
# the same with e^x: e^x / (1 + e^x)^2, which overflows at x = 800.
import math


def sigmoid_backward(x, upstream):
    e = math.exp(x)
    return upstream * e / (1 + e) ** 2


# mutant: tanh_rule
# 1 - s^2, tanh's rule.
import math


def sigmoid_backward(x, upstream):
    s = 0.5 * (1 + math.tanh(x / 2))
    return upstream * (1 - s * s)


# mutant: forward_value
# the forward value s, times upstream, where its derivative is asked.
import math


def sigmoid_backward(x, upstream):
    s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    return upstream * s


# mutant: sign_some_inputs
# abs(upstream): right while upstream is positive, the wrong sign once it is negative.
import math


def sigmoid_backward(x, upstream):
    s = 0.5 * (1 + math.tanh(x / 2))
    return abs(upstream) * s * (1 - s)
