"""Known-wrong answers to ex17_sigmoid_gradients: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_slope
# forgets the sigmoid's derivative on the way down.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l] * weight_stds[l - 1] ** 2 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])


# wrong: fan_in
# sums over the layer's inputs, as the forward pass does, instead of over the units it feeds.
import numpy as np


def predict_sigmoid_grad_stds(widths, weight_stds, grad_std=1.0):
    var, out = grad_std**2, []
    for l in range(len(widths) - 1, 0, -1):
        var = widths[l - 1] * weight_stds[l - 1] ** 2 / 16 * var
        out.append(np.sqrt(var))
    return np.array(out[::-1])
