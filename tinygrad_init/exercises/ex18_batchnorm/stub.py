"""Exercise 18 -- batch normalization: forward, backward, and scale invariance (tutorial 8: Batch normalization frees the initialization).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the forward and backward rules of batch normalization.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex18
"""

import numpy as np


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, g: np.ndarray,
              eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (y, dx, dgamma, dbeta) of batch normalization in training mode.

    The task:
        x is (N, D): N examples of D features. Normalize every feature over the batch
        and scale and shift it:
            mu = mean of x over the batch (axis 0),   var = mean of (x - mu)^2 (biased)
            x_hat = (x - mu) / sqrt(var + eps),       y = gamma * x_hat + beta
        gamma and beta are (D,). g = dL/dy is (N, D). Return four ndarrays: y (N, D),
        dL/dx (N, D), dL/dgamma (D,) and dL/dbeta (D,), computed in float64 as the
        inputs are (float64 arrays are judged to float64's precision).

    The math:
        mu and var depend on every row of x, so the gradient has three parts. With
        dx_hat = g * gamma and std = sqrt(var + eps), for every feature
            dL/dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std
        (means over the batch), dL/dgamma = sum of g * x_hat, dL/dbeta = sum of g.
        Scale invariance: for x = h @ W, replacing W by a * W scales x, mu and std by a,
        so y does not change and dL/dx shrinks by a: dL/dW(a W) = dL/dW(W) / a. The grader
        checks that too (with eps = 0). This is why batch norm frees the initialization.

    Example:
        y, dx, dgamma, dbeta = batchnorm(x, np.ones(3), np.zeros(3), g)
        y.mean(axis=0) -> [0, 0, 0],  y.std(axis=0) -> [1, 1, 1] (up to eps),
        dx.sum(axis=0) -> [0, 0, 0]   (shifting x changes nothing)

    Hint:
        Compute x_hat and std once and reuse them in the backward pass. Keep the
        means over axis 0 (keepdims=True, or let (D,) broadcast against (N, D)).
    """
    raise NotImplementedError("batchnorm: replace this line with your code (see the docstring)")
