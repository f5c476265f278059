"""Known-wrong answers to ex16_tanh_std_table: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: linear
# treats tanh as the identity: E[tanh(z)^2] replaced by Var(z).
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second = input_std**2
    out = []
    for n in widths[:-1]:
        second = n * weight_std**2 * second
        out.append(np.sqrt(second))
    return np.array(out)


# wrong: imprecise
# Gauss-Hermite with 40 nodes: exact for small q, a few percent off once tanh saturates.
import numpy as np


def predict_tanh_stds(widths, weight_std, input_std=1.0):
    t, w = np.polynomial.hermite_e.hermegauss(40)
    second = input_std**2
    out = []
    for n in widths[:-1]:
        q = n * weight_std**2 * second
        second = np.sum(w * np.tanh(np.sqrt(q) * t) ** 2) / np.sqrt(2 * np.pi)
        out.append(np.sqrt(second))
    return np.array(out)
