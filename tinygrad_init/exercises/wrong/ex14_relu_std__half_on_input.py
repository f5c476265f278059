"""Wrong: applies the ReLU's 1/2 to the input as well."""

import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    var_prev = input_std**2
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * var_prev / 2
        out.append(np.sqrt(var))
        var_prev = var
    return np.array(out)
