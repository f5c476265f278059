"""Reference solution of ex18_batchnorm (kept out of the package: the tests grade it)."""

import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    """Forward over the batch (axis 0), then the backward with the mean and variance terms."""
    mu = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    y = gamma * xhat + beta
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return y, dx, (g * xhat).sum(axis=0), g.sum(axis=0)
