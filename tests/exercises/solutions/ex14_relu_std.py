"""Reference solution of ex14_relu_std (kept out of the package: the tests grade it)."""

import numpy as np


def predict_relu_std(widths: list, weight_stds: list, input_std: float = 1.0) -> np.ndarray:
    """Var(z_l) = n_{l-1} Var(W_l) E[h_{l-1}^2]; E[h_0^2] = input_std^2, E[h_l^2] = Var(z_l) / 2."""
    second = input_std**2
    stds = []
    for fan_in, w_std in zip(widths[:-1], weight_stds):
        var = fan_in * w_std**2 * second
        stds.append(np.sqrt(var))
        second = var / 2.0
    return np.array(stds)
