"""Mutants of ex15_symmetry: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: scalar_noise
# one random number for the whole of W1.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = np.full((n_in, hidden), c * np.random.default_rng(rng).standard_normal())
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: ignores_rng
# numpy's global generator instead of the given one.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: fixed_seed
# a generator with a seed of its own.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(42).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: random_W2
# draws W2 at random too.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    gen = np.random.default_rng(rng)
    W1 = c * gen.standard_normal((n_in, hidden))
    W2 = c * gen.standard_normal((hidden, 1))
    return _grad(x, y, np.full((n_in, hidden), c), np.full((hidden, 1), c)), _grad(x, y, W1, W2)


# mutant: no_mean
# dL/dp = p - y, without the 1/N of the mean.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    return x.T @ (((h @ W2 - y) @ W2.T) * (1 - h * h))


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: dW1_transposed
# dz.T @ x, which runs only when n_in == hidden.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    return ((((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)).T @ x


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: outer
# np.outer(x, dz), right for a batch of one row only.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    return np.outer(x, (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h))


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: zeros
# the constant init taken as zeros.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.zeros((n_in, hidden)), np.zeros((hidden, 1))), _grad(x, y, W1, np.full((hidden, 1), c))


# mutant: still_symmetric
# adds a little noise per row to the constant: the columns stay equal.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = np.full((n_in, hidden), c) + 0.01 * np.random.default_rng(rng).standard_normal((n_in, 1))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: sign
# the residual written target minus prediction.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = ((y - h @ W2) / len(x)) @ W2.T * (1 - h ** 2)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    W2 = np.full((hidden, 1), c)
    gen = np.random.default_rng(rng)
    return _grad(x, y, np.full((x.shape[1], hidden), c), W2), _grad(x, y, c * gen.standard_normal((x.shape[1], hidden)), W2)
