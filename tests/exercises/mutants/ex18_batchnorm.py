"""Mutants of ex18_batchnorm: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: var_not_std
# divides by the variance.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), x.var(axis=0) + eps
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: eps_outside
# sqrt(var) + eps.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0)) + eps
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: wrong_axis
# normalizes every row over its features.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=1, keepdims=True), np.sqrt(x.var(axis=1, keepdims=True) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=1, keepdims=True) - xhat * (dxhat * xhat).mean(axis=1, keepdims=True)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: no_affine
# returns x_hat as y.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return xhat, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: dx_no_gamma
# the gradient reaching x_hat taken as g.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dx = (g - g.mean(axis=0) - xhat * (g * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: no_mean_term
# forgets that the mean depends on x.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: no_var_term
# forgets that the variance depends on x.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: dgamma_no_xhat
# dgamma = sum of g.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, g.sum(axis=0), g.sum(axis=0)


# mutant: dbeta_mean
# dbeta = mean of g.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.mean(axis=0)


# mutant: not_scale_invariant
# the backward divides by the variance where it should divide by the std.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0) + eps
    xhat = (x - mu) / np.sqrt(var)
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / var
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: default
# right with eps given, but its default is Keras's epsilon, 1e-3, not the stub's 1e-5.
#- def batchnorm(x, gamma, beta, g, eps=1e-5):
#+ def batchnorm(x, gamma, beta, g, eps=1e-3):


# mutant: whole_array
# x.mean() and x.var() without an axis: one mean and one variance for the whole array.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    std = np.sqrt(x.var() + eps)
    xhat = (x - x.mean()) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean() - xhat * (dxhat * xhat).mean()) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# mutant: params_mean
# means over the batch for dgamma and dbeta, as for mu and var.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).mean(axis=0), g.mean(axis=0)
