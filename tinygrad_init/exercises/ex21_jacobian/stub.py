"""Exercise 21 -- the input-output Jacobian and its mean squared singular value (tutorial 11: Jacobian spectra and dynamical isometry).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the Jacobian of a deep network and its singular values.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex21
"""

import numpy as np


def input_output_jacobian(x: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray]) -> tuple:
    """Return the Jacobian of a tanh network at the input x, and its mean squared singular value.

    The task:
        The network has L layers, numbered 1..L, with widths n_0, ..., n_L:
            y_l = h_{l-1} @ W_l + b_l,   h_l = tanh(y_l),   h_0 = x,
        W_l = weights[l-1] of shape (n_{l-1}, n_l), b_l = biases[l-1] of shape (n_l,), and x
        one input of shape (n_0,). Return a tuple (J, mean_sq):
        - J: an ndarray of shape (n_0, n_L) with J[i, j] = d h_L[j] / d x[i] (inputs along
          the rows, outputs along the columns, as in W), in float64 and exact: by the chain rule
          below, not by finite differences;
        - mean_sq: a float, the mean of the squares of the min(n_0, n_L) singular values of J.

    The math:
        One layer: d h_l[j] / d h_{l-1}[i] = W_l[i, j] * tanh'(y_l[j]), so its Jacobian is
            J_l = W_l @ diag(tanh'(y_l)),   tanh'(y) = 1 - tanh(y)^2,
        and by the chain rule, from the input up,
            J = J_1 @ J_2 @ ... @ J_L.
        The squared singular values s_k^2 of J say how much J stretches each direction; their
        mean is sum(J ** 2) / min(n_0, n_L). For a wide network at the fixed point q*, the
        mean is chi_1^L (tutorial 10): it vanishes or explodes with depth unless chi_1 = 1.

    Example:
        One layer, W = [[2.0]], b = [0.0], x = [0.0]: y = 0, tanh'(0) = 1, so
        input_output_jacobian(np.array([0.0]), [np.array([[2.0]])], [np.array([0.0])])
            ->  (array([[2.]]), 4.0)

    Hint:
        W * d with d = 1 - h ** 2 (shape (n_l,)) multiplies column j of W by d[j]: that is
        W @ np.diag(d) without building the diagonal matrix. Singular values:
        np.linalg.svd(J, compute_uv=False).
    """
    raise NotImplementedError("input_output_jacobian: replace this line with your code (see the docstring)")
