"""Known-wrong answers to ex15_symmetry: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: row_noise
# one random number per row of W1, copied across the hidden units: still symmetric.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, 1)) * np.ones((1, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# wrong: no_tanh_derivative
# backpropagates through tanh as if it were the identity.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    return x.T @ (((h @ W2 - y) / len(x)) @ W2.T)


def symmetry_gradients(x, y, hidden, c, rng):
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# wrong: no_half
# the loss without its 1/2, mean((p - y)^2): every gradient twice the right one.
import numpy as np

from tinygrad_init import Tensor


def _grad(x, y, W1, W2):
    w1 = Tensor(W1, requires_grad=True)
    loss = (((Tensor(x) @ w1).tanh() @ Tensor(W2) - Tensor(y)) ** 2).mean()
    loss.backward()
    return w1.grad


def symmetry_gradients(x: np.ndarray, y: np.ndarray, hidden: int, c: float, rng) -> tuple[np.ndarray, np.ndarray]:
    n_in, W2 = x.shape[1], np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# wrong: returned_weight
# returns the Tensor W1 after backward instead of its gradient.
import numpy as np

from tinygrad_init import Tensor


def _grad(x, y, W1, W2):
    w1 = Tensor(W1, requires_grad=True)
    loss = (((Tensor(x) @ w1).tanh() @ Tensor(W2) - Tensor(y)) ** 2).mean() / 2
    loss.backward()
    return w1


def symmetry_gradients(x: np.ndarray, y: np.ndarray, hidden: int, c: float, rng) -> tuple[np.ndarray, np.ndarray]:
    n_in, W2 = x.shape[1], np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)


# wrong: global_seed
# seeds numpy's global generator with rng, which fails for a Generator.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x: np.ndarray, y: np.ndarray, hidden: int, c: float, rng) -> tuple[np.ndarray, np.ndarray]:
    n_in, W2 = x.shape[1], np.full((hidden, 1), c)
    np.random.seed(rng)
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, c * np.random.randn(n_in, hidden), W2)


# wrong: own_c
# the c of the first case written into the function: c = 0.5 whatever c it is given.
import numpy as np


def _grad(x, y, W1, W2):
    h = np.tanh(x @ W1)
    dz = (((h @ W2 - y) / len(x)) @ W2.T) * (1 - h * h)
    return x.T @ dz


def symmetry_gradients(x: np.ndarray, y: np.ndarray, hidden: int, c: float, rng) -> tuple[np.ndarray, np.ndarray]:
    c = 0.5
    n_in, W2 = x.shape[1], np.full((hidden, 1), c)
    W1 = c * np.random.default_rng(rng).standard_normal((n_in, hidden))
    return _grad(x, y, np.full((n_in, hidden), c), W2), _grad(x, y, W1, W2)
