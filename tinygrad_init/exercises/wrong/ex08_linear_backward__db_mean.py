"""Wrong: averages the bias gradient over the batch instead of summing it."""

import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g @ W.T, x.T @ g, g.mean(axis=0)
