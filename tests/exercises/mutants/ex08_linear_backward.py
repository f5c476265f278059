"""Mutants of ex08_linear_backward: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: outer
# np.outer(x, g), right for a batch of one row only.
import numpy as np


def linear_backward(x, W, g):
    return g @ W.T, np.outer(x, g), g.sum(axis=0)


# mutant: outer
# the outer product of the first rows, the example's batch of one row written for every batch.
import numpy as np


def linear_backward(x, W, g):
    return g @ W.T, np.outer(x[0], g[0]), g.sum(axis=0)


# mutant: first_row
# db = g[0], right for a batch of one row only.
def linear_backward(x, W, g):
    return g @ W.T, x.T @ g, g[0]


# mutant: db_sum_all
# sums g over every axis.
def linear_backward(x, W, g):
    return g @ W.T, x.T @ g, g.sum()


# mutant: dx_transposed
# W @ g.T, the transpose of dx.
def linear_backward(x, W, g):
    return W @ g.T, x.T @ g, g.sum(axis=0)


# mutant: dW_mean
# divides dW by the batch size.
def linear_backward(x, W, g):
    return g @ W.T, x.T @ g / len(x), g.sum(axis=0)


# mutant: dW_no_transpose
# x @ g, which runs only when the batch size equals fan_in.
def linear_backward(x, W, g):
    return g @ W.T, x @ g, g.sum(axis=0)


# mutant: db_wrong_axis
# sums over the outputs instead of the batch.
def linear_backward(x, W, g):
    return g @ W.T, x.T @ g, g.sum(axis=1)


# mutant: db_not_summed
# db = g, one row per example.
def linear_backward(x, W, g):
    return g @ W.T, x.T @ g, g


# mutant: order
# returns (dW, dx, db), the order of the parameters first.
def linear_backward(x, W, g):
    return x.T @ g, g @ W.T, g.sum(axis=0)


# mutant: squeezed
# sums with keepdims and squeezes the result: db is a 0-d array for a layer with one output.
import numpy as np


def linear_backward(x, W, g):
    return g @ W.T, x.T @ g, np.squeeze(g.sum(axis=0, keepdims=True))


# mutant: squeezed
# squeezes every gradient: dx loses its batch axis for a batch of one row.
import numpy as np


def linear_backward(x, W, g):
    return np.squeeze(g @ W.T), np.squeeze(x.T @ g), np.squeeze(g.sum(axis=0))


# mutant: outer
# sums over the batch first, then takes one outer product.
import numpy as np


def linear_backward(x, W, g):
    return g @ W.T, np.outer(x.sum(axis=0), g.sum(axis=0)), g.sum(axis=0)
