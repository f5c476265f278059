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


# mutant: grad_not_zeroed
# one Tensor for both inits: the second backward adds to the gradient the first one left.
import numpy as np

from tinygrad_init import Tensor


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    w1 = Tensor(np.full((n_in, hidden), c), requires_grad=True, dtype=np.float64)
    w2, xs, ys = (Tensor(a, dtype=np.float64) for a in (np.full((hidden, 1), c), x, y))
    loss = ((((xs @ w1).tanh() @ w2) - ys) ** 2).mean() / 2
    loss.backward()
    constant = w1.grad.copy()
    w1.data = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    loss = ((((xs @ w1).tanh() @ w2) - ys) ** 2).mean() / 2
    loss.backward()
    return constant, w1.grad


# mutant: returned_weight
# returns the weights' data, not their gradient.
import numpy as np

from tinygrad_init import Tensor


def _grad(x, y, W1, W2):
    w1 = Tensor(W1, requires_grad=True, dtype=np.float64)
    loss = ((((Tensor(x, dtype=np.float64) @ w1).tanh() @ Tensor(W2, dtype=np.float64)) - Tensor(y, dtype=np.float64))
            ** 2).mean() / 2
    loss.backward()
    return w1.data


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: used_input
# tanh' written with the input z: 1 - z^2.
import numpy as np


def _grad(x, y, W1, W2):
    z = x @ W1
    dz = (((np.tanh(z) @ W2 - y) / len(x)) @ W2.T) * (1 - z * z)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: transposed_draw
# W1 drawn as (hidden, n_in) and transposed.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((hidden, n_in)).T
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# mutant: order
# returns the random init's gradient first.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, W1, W2), _grad(x, y, np.full((n_in, hidden), c), W2)
