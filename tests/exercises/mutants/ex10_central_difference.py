"""Mutants of ex10_central_difference: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: all_at_once
# moves every element at once.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


# mutant: restored_by_arithmetic
# puts x back by adding and subtracting h, which leaves rounding errors.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
    return grad


# mutant: one_d_only
# for i in range(len(x)) moves whole rows of a 2-D x.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


# mutant: copy_not_used
# changes a copy but evaluates f on x.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(x) - f(x)) / (2 * h)
    return grad


# mutant: precedence
# / 2*h divides by 2 and multiplies by h.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / 2*h
    return grad


# mutant: second_derivative
# the second difference.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - 2 * f0 + fm) / h**2
    return grad


# mutant: backward_difference
# (f(x) - f(x - h)) / h.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old - h
        grad[i] = (f0 - f(x)) / h
        x[i] = old
    return grad


# mutant: own_h
# a step of its own instead of the argument h.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    step = 1e-6
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + step
        fp = f(x)
        x[i] = old - step
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * step)
    return grad


# mutant: float32
# the right formula, kept in float32: the difference of two close values loses its digits.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape, dtype=np.float32)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


# mutant: two_axes_only
# a loop per axis for the shapes of the example, 1-D and 2-D: on a 3-D x, x[i, j] is a whole row, moved at once.
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape)
    if x.ndim == 1:
        for i in range(x.shape[0]):
            old = x[i]
            x[i] = old + h
            a = f(x)
            x[i] = old - h
            b = f(x)
            x[i] = old
            g[i] = (a - b) / (2 * h)
        return g
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            old = x[i, j].copy()
            x[i, j] = old + h
            a = f(x)
            x[i, j] = old - h
            b = f(x)
            x[i, j] = old
            g[i, j] = (a - b) / (2 * h)
    return g



# mutant: default
# the textbook's step as the default, h=1e-6 (right numbers to 1e-9 with it, but not the stub's 1e-5).
import numpy as np


def numerical_gradient(f, x, h=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        a = f(x)
        x[i] = old - h
        b = f(x)
        x[i] = old
        g[i] = (a - b) / (2 * h)
    return g
