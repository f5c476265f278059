"""Wrong: dW = g.T @ x, the transpose of the weight gradient (PyTorch's layout, not this project's)."""

import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g @ W.T, g.T @ x, g.sum(axis=0)
