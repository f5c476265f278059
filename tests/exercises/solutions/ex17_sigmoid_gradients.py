"""Reference solution of ex17_sigmoid_gradients (kept out of the package: the tests grade it)."""

import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    """Var(dL/dh_{l-1}) = n_l sigma_l^2 (1/4)^2 Var(dL/dh_l), from the top down; listed from the bottom up."""
    var = grad_std**2
    stds = []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 16 * var
        stds.append(np.sqrt(var))
    return np.array(stds[::-1])
