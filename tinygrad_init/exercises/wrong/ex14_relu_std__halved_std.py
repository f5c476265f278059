"""Wrong: halves the std after each ReLU instead of the second moment."""

import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    h_std = input_std
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        z_std = np.sqrt(n) * s * h_std
        out.append(z_std)
        h_std = z_std / 2
    return np.array(out)
