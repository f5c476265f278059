"""Wrong: treats the ReLU as if E[relu(z)^2] were Var(z)."""

import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second = input_std**2
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var))
        second = var
    return np.array(out)
