"""Wrong: dx = g @ W, a dropped transpose (runs only when W is square)."""

import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g @ W, x.T @ g, g.sum(axis=0)
