"""Mutants of ex19_update_data: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: means
# the ratio of the means (their sizes), not of the stds.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(abs(np.mean(lr * g)) / abs(np.mean(p))) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: norms
# the ratio of the norms: means are counted too.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.linalg.norm(lr * g) / np.linalg.norm(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: natural_log
# np.log where log10 is asked for.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: data_after
# the step is taken first, and the ratio divides by the std of the new data (as the lecture's code does).
import numpy as np


def update_data_ratios(params, grads, lr):
    r = []
    for p, g in zip(params, grads):
        new = p - lr * g
        r.append(np.log10(np.std(lr * g) / np.std(new)))
    r = np.array(r)
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: not_log
# the ratios themselves; the layer is still picked on the log scale.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.std(lr * g) / np.std(p) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(np.log10(r) + 3))) + 1


# mutant: variance
# np.var instead of np.std.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.var(lr * g) / np.var(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: elementwise
# the mean of the entrywise ratios |update / data|.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.mean(np.abs(lr * g / p))) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: no_reference
# the layer farthest from a ratio of 1, not from 1e-3.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r))) + 1


# mutant: zero_based
# the Python index of the layer.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3)))


# mutant: one_sided
# the layer farthest from 1e-3 on a linear scale, which finds only rates that are too high.
import numpy as np


def update_data_ratios(params, grads, lr):
    ratio = np.array([np.std(lr * g) / np.std(p) for p, g in zip(params, grads)])
    return np.log10(ratio), int(np.argmax(np.abs(ratio - 1e-3))) + 1


# mutant: mean_abs
# the mean absolute update over the mean absolute weight.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.mean(np.abs(lr * g)) / np.mean(np.abs(p))) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# mutant: from_the_others
# the layer farthest from the median of the ratios (the odd one out), not from the rule of thumb.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r - np.median(r)))) + 1


# mutant: from_the_others
# the same, farthest from the mean of the ratios.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r - r.mean()))) + 1


# mutant: inverted
# the data over the update.
#-     r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
#+     r = np.array([np.log10(np.std(p) / np.std(lr * g)) for p, g in zip(params, grads)])
