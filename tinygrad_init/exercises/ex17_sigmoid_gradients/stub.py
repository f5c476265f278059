"""Exercise 17 -- the sigmoid's 1/4 per layer, and the 4x rule (tutorial 6: Xavier initialization: keep the variance).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about predicting gradient statistics from theory.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex17
"""

import numpy as np


def predict_sigmoid_grad_stds(widths: list, weight_stds: list, grad_std: float = 1.0) -> np.ndarray:
    """Return the predicted std of the gradient at the input of every layer of a sigmoid MLP.

    The task:
        The network has L layers with widths [n_0, ..., n_L] and no biases:
            z_l = h_{l-1} @ W_l,   h_l = sigmoid(z_l)
        W_l has shape (n_{l-1}, n_l) and iid entries with mean 0 and std weight_stds[l-1].
        The gradient dL/dh_L arriving at the top has iid entries of std grad_std.
        Assume every unit works where the sigmoid is steepest, z near 0 (small weights).
        Return an ndarray of length L whose entry l-1 is the std of dL/dh_{l-1}, the
        gradient layer l passes down to its input: entry 0 is the gradient at the input x,
        the last entry the one the top layer passes down (grad_std itself is not listed).

    The math:
        Backward through layer l: dL/dz_l = dL/dh_l * sigmoid'(z_l), then
        dL/dh_{l-1} = dL/dz_l @ W_l.T, a sum over the n_l units that h_{l-1} feeds.
        sigmoid'(z) = s (1 - s) is at most 1/4, reached at z = 0. So
            Var(dL/dh_{l-1}) = n_l * weight_stds[l-1]^2 * (1/4)^2 * Var(dL/dh_l).
        With Xavier's Var(W) = 2 / (n_{l-1} + n_l) and equal widths, the gradient's std
        shrinks by 4 per layer. The Theano tutorials (after Glorot & Bengio 2010) therefore
        multiply the weights of sigmoid layers by 4: then n * 16 * (2 / 2n) * (1/16) = 1,
        and it stays put.

    Example:
        predict_sigmoid_grad_stds([256] * 5, [4 * np.sqrt(2 / 512)] * 4)  ->  [1., 1., 1., 1.]
        predict_sigmoid_grad_stds([256] * 3, [np.sqrt(2 / 512)] * 2)      ->  [0.0625, 0.25]

    Hint:
        Walk from the top layer down, carrying the variance, and list the stds from the
        bottom up. The 1/4 multiplies the gradient, so the variance gets (1/4)^2.
    """
    raise NotImplementedError("predict_sigmoid_grad_stds: replace this line with your code (see the docstring)")
