"""Exercise 14 -- predict every layer's std from theory (tutorial 7: ReLU and He initialization).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about predicting layer statistics from theory.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex14
"""

import numpy as np


def predict_relu_std(widths: list, weight_stds: list, input_std: float = 1.0) -> np.ndarray:
    """Return the predicted std of the pre-activations z_l of every layer of a ReLU MLP.

    The task:
        The network has L layers with widths [n_0, n_1, ..., n_L]:
            z_1 = x @ W_1,   h_l = relu(z_l),   z_{l+1} = h_l @ W_{l+1}
        W_l has shape (n_{l-1}, n_l) and iid entries with mean 0 and std
        weight_stds[l-1]; there are no biases. The entries of the input x have
        mean 0 and std input_std. Return an ndarray of length L whose entry l-1
        is the std of z_l predicted by the mean-field recursion below.

    The math:
        z_l[j] sums n_{l-1} independent terms h_{l-1}[i] * W_l[i, j], so
            Var(z_l) = n_{l-1} * Var(W_l) * E[h_{l-1}^2],   with E[h_0^2] = E[x^2]
        z_l is symmetric around 0 and ReLU keeps only its positive half:
            E[relu(z)^2] = Var(z) / 2

    Example:
        predict_relu_std([64, 64, 64], [np.sqrt(2 / 64)] * 2)  ->  [1.41421, 1.41421]
        (He init keeps the std constant: 64 * (2/64) * E[h^2] with E[h^2] = Var(z)/2)

    Hint:
        Carry E[h^2] through a loop over the layers. Careful: the input is not the
        output of a ReLU, and the 1/2 halves the second moment, not the std.
    """
    raise NotImplementedError("predict_relu_std: replace this line with your code (see the docstring)")
