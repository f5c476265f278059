"""Mutants of ex16_tanh_std_table: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: pre_activation
# the right recursion, but returns the stds of z_l.
import numpy as np


def _tanh_second(q):
    s = np.sqrt(q)
    z = np.linspace(-12 * s, 12 * s, 2001)
    return np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q))) * (z[1] - z[0]) / np.sqrt(2 * np.pi * q)


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, out = input_std**2, []
    for n in widths[:-1]:
        q = n * weight_std**2 * second
        second = _tanh_second(q)
        out.append(np.sqrt(q))
    return np.array(out)


# mutant: tanh_of_std
# pushes the std through tanh.
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    std, out = input_std, []
    for n in widths[:-1]:
        std = np.tanh(np.sqrt(n) * weight_std * std)
        out.append(std)
    return np.array(out)


# mutant: hermite_scaling
# physicists' Hermite nodes used as if they were the probabilists'.
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    t, w = np.polynomial.hermite.hermgauss(64)
    second, out = input_std**2, []
    for n in widths[:-1]:
        q = n * weight_std**2 * second
        second = np.sum(w * np.tanh(np.sqrt(q) * t) ** 2) / np.sqrt(2 * np.pi)
        out.append(np.sqrt(second))
    return np.array(out)


# mutant: fan_out
# multiplies by the layer's own width.
import numpy as np


def _tanh_second(q):
    s = np.sqrt(q)
    z = np.linspace(-12 * s, 12 * s, 2001)
    return np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q))) * (z[1] - z[0]) / np.sqrt(2 * np.pi * q)


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, out = input_std**2, []
    for n in widths[1:]:
        second = _tanh_second(n * weight_std**2 * second)
        out.append(np.sqrt(second))
    return np.array(out)


# mutant: mean_squared
# E[tanh(z)]^2 instead of E[tanh(z)^2].
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, out = input_std**2, []
    for n in widths[:-1]:
        q = n * weight_std**2 * second
        s = np.sqrt(q)
        z = np.linspace(-12 * s, 12 * s, 2001)
        mean = np.sum(np.tanh(z) * np.exp(-z * z / (2 * q))) * (z[1] - z[0]) / np.sqrt(2 * np.pi * q)
        second = mean**2
        out.append(np.sqrt(second))
    return np.array(out)


# mutant: variance_returned
# returns E[h_l^2].
import numpy as np


def _tanh_second(q):
    s = np.sqrt(q)
    z = np.linspace(-12 * s, 12 * s, 2001)
    return np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q))) * (z[1] - z[0]) / np.sqrt(2 * np.pi * q)


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, out = input_std**2, []
    for n in widths[:-1]:
        second = _tanh_second(n * weight_std**2 * second)
        out.append(second)
    return np.array(out)


# mutant: input_std_not_squared
# E[x^2] taken as input_std.
import numpy as np


def _tanh_second(q):
    s = np.sqrt(q)
    z = np.linspace(-12 * s, 12 * s, 2001)
    return np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q))) * (z[1] - z[0]) / np.sqrt(2 * np.pi * q)


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, out = input_std, []
    for n in widths[:-1]:
        second = _tanh_second(n * weight_std**2 * second)
        out.append(np.sqrt(second))
    return np.array(out)


# mutant: imprecise
# a Monte Carlo estimate (100 000 samples).
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, out = input_std**2, []
    for n in widths[:-1]:
        z = np.random.default_rng(0).normal(0.0, np.sqrt(n * weight_std**2 * second), size=100_000)
        second = np.mean(np.tanh(z) ** 2)
        out.append(np.sqrt(second))
    return np.array(out)

# mutant: imprecise
# Gauss-Hermite quadrature with 201 nodes: still 5% off at q = 500, so more nodes are no way out.
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    t, w = np.polynomial.hermite_e.hermegauss(201)
    second, out = input_std**2, []
    for n in widths[:-1]:
        q = n * weight_std**2 * second
        second = np.sum(w * np.tanh(np.sqrt(q) * t) ** 2) / np.sqrt(2 * np.pi)
        out.append(np.sqrt(second))
    return np.array(out)


# mutant: default
# right with input_std given, but its default is not the stub's 1.0.
#- def predict_tanh_stds(widths, weight_std, input_std=1.0):
#+ def predict_tanh_stds(widths, weight_std, input_std=0.5):


# mutant: std_not_squared
# the weights' variance written weight_std, not weight_std ** 2.
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, stds = input_std**2, []
    for fan_in in widths[:-1]:
        q = fan_in * weight_std * second
        z = np.linspace(-12 * np.sqrt(q), 12 * np.sqrt(q), 2001)
        second = np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q)) / np.sqrt(2 * np.pi * q)) * (z[1] - z[0])
        stds.append(np.sqrt(second))
    return np.array(stds)



# mutant: variance_as_std
# averages over a standard normal t scaled by q, the variance, not by sqrt(q).
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    t = np.linspace(-12.0, 12.0, 2001)
    density = np.exp(-t * t / 2) / np.sqrt(2 * np.pi) * (t[1] - t[0])
    second, out = input_std**2, []
    for n in widths[:-1]:
        q = n * weight_std**2 * second
        second = np.sum(density * np.tanh(q * t) ** 2)
        out.append(np.sqrt(second))
    return np.array(out)
