"""Known-wrong answers to ex19_update_data: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_lr
# the grad:data ratio: the learning rate is left out.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.std(g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(np.abs(r + 3))) + 1


# wrong: one_sided
# only a learning rate that is too high is looked for.
import numpy as np


def update_data_ratios(params, grads, lr):
    r = np.array([np.log10(np.std(lr * g) / np.std(p)) for p, g in zip(params, grads)])
    return r, int(np.argmax(r)) + 1
