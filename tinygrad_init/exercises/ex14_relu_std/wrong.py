"""Known-wrong answers to ex14_relu_std: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: half_on_input
# applies the ReLU's 1/2 to the input as well.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    var_prev = input_std**2
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * var_prev / 2
        out.append(np.sqrt(var))
        var_prev = var
    return np.array(out)


# wrong: halved_std
# halves the std after each ReLU instead of the second moment.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    h_std = input_std
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        z_std = np.sqrt(n) * s * h_std
        out.append(z_std)
        h_std = z_std / 2
    return np.array(out)


# wrong: no_half
# treats the ReLU as if E[relu(z)^2] were Var(z).
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second = input_std**2
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var))
        second = var
    return np.array(out)


# wrong: variance_returned
# returns the variances instead of the standard deviations.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second = input_std**2
    out = []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(var)
        second = var / 2
    return np.array(out)
