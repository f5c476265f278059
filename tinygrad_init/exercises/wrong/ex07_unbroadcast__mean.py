"""Wrong: averages the copies' gradients instead of adding them."""

import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    while grad.ndim > len(shape):
        grad = grad.mean(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.mean(axis=i, keepdims=True)
    return np.asarray(grad)
