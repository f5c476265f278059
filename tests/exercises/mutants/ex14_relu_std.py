"""Mutants of ex14_relu_std: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: post_relu_std
# returns the std of the ReLU outputs.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var / 2 - var / (2 * np.pi)))
        second = var / 2
    return np.array(out)


# mutant: half_on_input
# returns the root mean square of the ReLU outputs, sqrt(E[h^2]).
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, []
    for n, s in zip(widths[:-1], weight_stds):
        second = n * s**2 * second / 2
        out.append(np.sqrt(second))
    return np.array(out)


# mutant: fan_out
# multiplies by the layer's own width.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, []
    for n, s in zip(widths[1:], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var))
        second = var / 2
    return np.array(out)


# mutant: input_std_not_squared
# E[x^2] taken as input_std.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std, []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var))
        second = var / 2
    return np.array(out)


# mutant: std_not_squared
# uses the weight std as the variance.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, []
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s * second
        out.append(np.sqrt(var))
        second = var / 2
    return np.array(out)


# mutant: off_by_one
# lists the input's std as a layer.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, [input_std]
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var))
        second = var / 2
    return np.array(out)


# mutant: no_carry
# every layer computed from the input's E[x^2].
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    return np.array([np.sqrt(n * s**2 * input_std**2) for n, s in zip(widths[:-1], weight_stds)])


# mutant: simulated
# measures a random network (numpy's global generator, seeded) instead of predicting.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    np.random.seed(0)
    h = np.random.normal(0.0, input_std, size=(2000, widths[0]))
    out = []
    for n_in, n_out, s in zip(widths[:-1], widths[1:], weight_stds):
        z = h @ np.random.normal(0.0, s, size=(n_in, n_out))
        out.append(z.std())
        h = np.maximum(z, 0)
    return np.array(out)


# mutant: default
# right with input_std given, but its default is not the stub's 1.0.
#- def predict_relu_std(widths: list, weight_stds: list, input_std: float = 1.0) -> np.ndarray:
#+ def predict_relu_std(widths: list, weight_stds: list, input_std: float = 2.0) -> np.ndarray:


# mutant: relu_variance
# carries the variance of relu(z) to the next layer, not its second moment.
import math

import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, []
    for l in range(1, len(widths)):
        var = widths[l - 1] * weight_stds[l - 1] ** 2 * second
        out.append(math.sqrt(var))
        second = var * (0.5 - 0.5 / math.pi)
    return np.array(out)


# mutant: one_std
# the first layer's weight std for every layer (the example's are all alike).
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, []
    for n in widths[:-1]:
        var = n * weight_stds[0] ** 2 * second
        out.append(np.sqrt(var))
        second = var / 2
    return np.array(out)


# mutant: off_by_one
# lists the input's std first and drops the top layer's to keep L entries.
import numpy as np


def predict_relu_std(widths, weight_stds, input_std=1.0):
    second, out = input_std**2, [input_std]
    for n, s in zip(widths[:-1], weight_stds):
        var = n * s**2 * second
        out.append(np.sqrt(var))
        second = var / 2
    return np.array(out[:-1])
