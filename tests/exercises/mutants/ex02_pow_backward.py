"""Mutants of ex02_pow_backward: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: undefined_at_zero
# n * x**n / x: the same as n * x**(n-1), except at x = 0.
def pow_backward(x, n, upstream):
    return upstream * n * x**n / x


# mutant: abs
# takes abs(x) to avoid fractional powers of negative numbers.
def pow_backward(x, n, upstream):
    return upstream * n * abs(x) ** (n - 1)


# mutant: factor_n_minus_1
# puts n - 1 in front as well.
def pow_backward(x, n, upstream):
    return upstream * (n - 1) * x ** (n - 1)


# mutant: integrated
# integrates instead of differentiating.
def pow_backward(x, n, upstream):
    return upstream * x ** (n + 1) / (n + 1)


# mutant: precedence
# x ** n - 1 is (x ** n) - 1.
def pow_backward(x, n, upstream):
    return upstream * n * x ** n - 1


# mutant: log_domain
# x^(n-1) as exp((n-1) log x), which needs x > 0.
import math


def pow_backward(x, n, upstream):
    return upstream * n * math.exp((n - 1) * math.log(x))


# mutant: int_exponent
# rounds the exponent to an int.
def pow_backward(x, n, upstream):
    n = int(n)
    return upstream * n * x ** (n - 1)


# mutant: zero_special_case
# patches x = 0 to 0, which is wrong for n = 1.
def pow_backward(x, n, upstream):
    if x == 0:
        return 0.0
    return upstream * n * x ** (n - 1)


# mutant: exponent_rule
# differentiates with respect to the exponent.
import math


def pow_backward(x, n, upstream):
    return upstream * x**n * math.log(x)


# mutant: no_upstream
# the local derivative alone.
def pow_backward(x, n, upstream):
    return n * x ** (n - 1)


# mutant: forward_value
# the forward value y = x ** n, times upstream, where its derivative is asked.
def pow_backward(x, n, upstream):
    return upstream * x ** n


# mutant: int_exponent
# the exponent rounded to an int, the factor left as it is.
def pow_backward(x, n, upstream):
    return upstream * n * x ** (int(n) - 1)


# mutant: log_domain
# the same with numpy, whose log of a negative x is nan (with a warning), not an error.
import numpy as np


def pow_backward(x, n, upstream):
    return upstream * n * np.exp((n - 1) * np.log(x))
