"""Mutants of ex17_sigmoid_gradients: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: quarter_on_variance
# the slope 1/4 applied to the variance.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 4 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: quarter_on_variance
# sigmoid'(0) taken as 1/2 (that is sigmoid(0)).
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    slope = 0.5
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 * slope**2 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: reversed
# lists the stds from the top down.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 16 * var
        out.append(np.sqrt(var))
    return np.array(out)


# mutant: variance_returned
# returns the variances.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 16 * var
        out.append(var)
    return np.array(out[::-1])


# mutant: off_by_one
# lists the gradient given at the top as well.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, [grad_std]
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 16 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: std_not_squared
# uses the weight std as the variance.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] / 16 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: no_carry
# every layer computed from the top's gradient.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    out = [np.sqrt(widths[l] * weight_stds[l - 1] ** 2 / 16) * grad_std for l in range(1, len(widths))]
    return np.array(out)


# mutant: squared_twice
# the 1/16 applied to the std.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    std, out = grad_std, []
    for l in range(len(widths) - 1, 0, -1):
        std = std * np.sqrt(widths[l]) * weight_stds[l - 1] / 16
        out.append(std)
    return np.array(out[::-1])


# mutant: off_by_one
# reads entry l-1 as the gradient arriving at layer l from above, dL/dh_l: dL/dh_1 .. dL/dh_L, grad_std last.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, [grad_std]
    for l in range(len(widths) - 1, 1, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 16 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: default
# right with grad_std given, but its default is not the stub's 1.0.
#- def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
#+ def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=0.5):


# mutant: grad_std_not_squared
# starts the variance at grad_std itself.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 / 16 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: stds_reversed
# walks the widths from the top down but the weight stds from the bottom up.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for n, s in zip(widths[:0:-1], weight_stds):
        var = n * s**2 / 16 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# mutant: xavier_assumed
# ignores weight_stds and takes Xavier's variance 2 / (n_{l-1} + n_l) at every layer (right for the Xavier case).
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    out, var = [], grad_std**2
    for l in range(len(widths) - 1, 0, -1):
        var = var * widths[l] * 2.0 / (widths[l - 1] + widths[l]) / 16.0
        out.append(np.sqrt(var))
    return np.array(out[::-1])
