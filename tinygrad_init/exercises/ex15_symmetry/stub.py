"""Exercise 15 -- why not a constant? Show the symmetry, then break it (tutorial 4: Why not start from zeros? Symmetry).

This exercise builds on the engine: you may compute the gradients with tinygrad_init's Tensor
(`from tinygrad_init import Tensor`, and nothing else from tinygrad_init), or by hand with numpy
(exercises 3 and 8). It is about symmetry, not about backward rules.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex15
"""

import numpy as np


def symmetry_gradients(x: np.ndarray, y: np.ndarray, hidden: int, c: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Return (dW1 at a constant init, dW1 at a random init) of a two-layer tanh network.

    The task:
        The network has no biases:
            h = tanh(x @ W1),   p = h @ W2,   L = mean((p - y)^2) / 2
        x is (N, n_in), y is (N, 1), W1 is (n_in, hidden), W2 is (hidden, 1), and the
        mean is over the N rows. Return two ndarrays of W1's shape (n_in, hidden):
          1. dL/dW1 at the constant init W1 = c and W2 = c (every entry);
          2. dL/dW1 at W1 = c * rng.standard_normal((n_in, hidden)) -- one draw from
             rng, a seed or a np.random.Generator -- with W2 = c as before.

    The math:
        dL/dp = (p - y) / N,   dL/dh = dL/dp @ W2.T,   dL/dz = dL/dh * (1 - h^2),
        dL/dW1 = x.T @ dL/dz.
        At the constant init every hidden unit j computes the same h[:, j] and gets
        the same gradient: every COLUMN of dW1 is the same, and gradient descent keeps
        them equal forever. The hidden layer acts like a single unit.

    Example:
        g_const, g_rand = symmetry_gradients(x, y, 4, 0.5, rng=0)
        np.allclose(g_const, g_const[:, :1])   -> True   (all columns equal)
        np.allclose(g_rand, g_rand[:, :1])     -> False  (the symmetry is broken)

    Hint:
        gen = np.random.default_rng(rng) turns a seed into a Generator and returns a
        Generator unchanged. Breaking the symmetry needs a different number for every
        entry of W1: one random number per row, copied across the columns, is not enough.
    """
    raise NotImplementedError("symmetry_gradients: replace this line with your code (see the docstring)")
