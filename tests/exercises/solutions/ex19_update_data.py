"""Reference solution of ex19_update_data (kept out of the package: the tests grade it)."""

import numpy as np


def update_data_ratios(params, grads, lr):
    """r_k = log10 std(lr g_k) / std(p_k) with the data before the step; the layer with the largest |r_k + 3|."""
    r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3.0))) + 1
