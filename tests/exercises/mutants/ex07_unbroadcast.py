"""Mutants of ex07_unbroadcast: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: reshape
# reshape, which works only when nothing was broadcast (a batch of one).
def unbroadcast(grad, shape):
    return grad.reshape(shape)


# mutant: broadcast_to
# broadcasts the gradient back instead of summing.
import numpy as np


def unbroadcast(grad, shape):
    return np.broadcast_to(grad, shape)


# mutant: first_copy
# keeps the gradient of the first copy along every broadcast axis.
def unbroadcast(grad, shape):
    while grad.ndim > len(shape):
        grad = grad[0]
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.take([0], axis=i)
    return grad


# mutant: extra_ones
# keepdims on the added leading axes too.
def unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)), keepdims=True)
    axes = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


# mutant: sum_all
# sums everything.
import numpy as np


def unbroadcast(grad, shape):
    if grad.shape == tuple(shape):
        return grad
    return np.asarray(grad.sum())


# mutant: one_leading_axis
# sums only one added leading axis.
def unbroadcast(grad, shape):
    if grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and i < grad.ndim and grad.shape[i] != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


# mutant: first_one_only
# stops after the first size-1 axis (a break in the loop): a second stretched axis is left as it is.
def unbroadcast(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.sum(axis=i, keepdims=True)
            break
    return grad


# mutant: unaligned
# reads the stretched axes off the gradient before its leading axes are summed away.
import numpy as np


def unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


# mutant: leading_only
# compares shape[i] with the gradient's axis n (always 1), not axis i: a (4, 1) gradient of a (1, 1) bias stays.
#-     stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
#+     stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[n] != 1)


# mutant: leading_only
# compares shape[i] with the gradient's axis `extra`, not axis i.
#-     stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
#+     stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[extra] != 1)
