"""Known-wrong answers to ex18_batchnorm: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: constants
# treats the batch mean and std as constants in the backward pass.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    return gamma * xhat + beta, g * gamma / std, (g * xhat).sum(axis=0), g.sum(axis=0)


# wrong: unbiased_var
# normalizes with the unbiased variance (ddof=1).
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0, ddof=1) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# wrong: centre_only
# subtracts the batch mean but never divides by the std: the output scales with W.
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    xhat = x - x.mean(axis=0)
    dxhat = g * gamma
    return gamma * xhat + beta, dxhat - dxhat.mean(axis=0), (g * xhat).sum(axis=0), g.sum(axis=0)


# wrong: no_eps
# normalizes by x.std(0), leaving eps out.
import numpy as np


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, g: np.ndarray,
              eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    std = x.std(axis=0)
    xhat = (x - x.mean(axis=0)) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# wrong: var_term_sign
# adds the variance's term instead of subtracting it.
import numpy as np


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, g: np.ndarray,
              eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    std = np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) + xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# wrong: own_eps
# a constant eps of its own, 1e-5, whatever eps it is given.
import numpy as np


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, g: np.ndarray,
              eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    std = np.sqrt(x.var(axis=0) + 1e-5)
    xhat = (x - x.mean(axis=0)) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)


# wrong: float32
# computes in float32 (the inputs cast), and returns float64 arrays (gamma and beta stay float64).
import numpy as np


def batchnorm(x, gamma, beta, g, eps=1e-5):
    x, g = x.astype(np.float32), g.astype(np.float32)
    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) / std
    dxhat = g * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return gamma * xhat + beta, dx, (g * xhat).sum(axis=0), g.sum(axis=0)
