"""Exercise 16 -- predict CS231n's table of tanh stds (tutorial 5: Too small, too large: collapse and saturation).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about predicting layer statistics from theory.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex16
"""

import numpy as np


def predict_tanh_stds(widths: list, weight_std: float, input_std: float = 1.0) -> np.ndarray:
    """Return the predicted std of the output of every tanh layer of an MLP.

    The task:
        The network has L layers with widths [n_0, n_1, ..., n_L] and no biases:
            z_l = h_{l-1} @ W_l,   h_l = tanh(z_l),   h_0 = x
        W_l has shape (n_{l-1}, n_l) and iid entries with mean 0 and std weight_std;
        the entries of x are N(0, input_std^2). Return an ndarray of length L whose
        entry l-1 is the std of h_l predicted by the mean-field recursion below
        (relative error below 1e-6: compute in float64).

    The math:
        z_l[j] sums n_{l-1} independent terms h_{l-1}[i] * W_l[i, j], so it is close to
        Gaussian with mean 0 and variance
            q_l = n_{l-1} * weight_std^2 * E[h_{l-1}^2],    E[h_0^2] = input_std^2,
        and h_l = tanh(z_l) has mean 0 and second moment
            E[h_l^2] = E[tanh(z)^2] for z ~ N(0, q_l).
        The std of h_l is sqrt(E[h_l^2]).

    Example:
        CS231n (2016, lecture 5) runs unit-Gaussian data through 10 tanh layers of 500 units
        with W = 0.01 * randn and measures the stds 0.213, 0.0476, 0.0106, 0.00238, ...:
        predict_tanh_stds([500] * 11, 0.01)  -> [0.2135, 0.04764, 0.01065, 0.002382, ...]

    Hint:
        E[f(z)] for z ~ N(0, q) is the integral of f(z) * exp(-z^2 / (2q)) / sqrt(2 pi q).
        Sum it on a fine grid, z = np.linspace(-12 * s, 12 * s, 2001) with s = sqrt(q),
        times the spacing. (Gauss-Hermite quadrature is not precise once q is large, not even
        with hundreds of nodes; a random-sample estimate is never precise enough.)
    """
    raise NotImplementedError("predict_tanh_stds: replace this line with your code (see the docstring)")
