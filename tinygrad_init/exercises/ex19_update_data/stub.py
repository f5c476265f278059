"""Exercise 19 -- the update:data ratio, and which layer's learning rate is off (tutorial 9: Diagnosing a training run).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about reading a training run's update:data ratios.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex19
"""

import numpy as np


def update_data_ratios(params: list[np.ndarray], grads: list[np.ndarray], lr: float) -> tuple:
    """Return the log10 update:data ratio of every weight matrix, and the layer whose learning rate is off.

    The task:
        params[k] is the weight matrix of layer k + 1 (layers are numbered 1..L) before an
        SGD step, grads[k] its gradient (same shape), and the step is
            params[k] <- params[k] - lr * grads[k].
        Return a tuple (r, layer):
        - r: an ndarray of length L, r[k] = log10( std(update_k) / std(params[k]) ) with
          update_k = lr * grads[k] and the data as it was BEFORE the step. std is the
          population std over all entries of the matrix (np.std).
        - layer: the layer (an int, 1..L) whose ratio is farthest from the rule of thumb
          1e-3 on the log10 scale, the largest |r[k] + 3|: the learning rate to change.

    The math:
        Karpathy's "Activations & Gradients, BatchNorm" lecture plots, for every weight
        matrix over training, log10 of std(lr * grad) / std(data): how large a step is
        compared with the numbers it changes. Near -3 the weights move by about a thousandth
        of their size per step; far above, the step throws the weights around; far below,
        the layer hardly learns. With one learning rate for all layers, the layer farthest
        from -3 trains at the most wrong speed, even when most layers are off alike.

    Example:
        params = [np.array([[1.0, -1.0], [1.0, -1.0]])]        std 1
        grads  = [np.array([[0.5, -0.5], [0.5, -0.5]])]        std 0.5
        update_data_ratios(params, grads, lr=0.02)  ->  (array([-2.]), 1)
        (std(0.02 * g) / std(p) = 0.01, log10 = -2)

    Hint:
        np.std(lr * g) / np.std(p), then np.log10. Distances on the log scale are
        symmetric: a ratio 100x too small is as far off as one 100x too large.
    """
    raise NotImplementedError("update_data_ratios: replace this line with your code (see the docstring)")
