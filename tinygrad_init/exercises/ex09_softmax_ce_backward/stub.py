"""Exercise 09 -- the backward of softmax cross-entropy (tutorial 3: Tensors and layers).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the backward rule of softmax cross-entropy.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex09
"""

import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Return dL/dlogits for L = mean over the batch of -log softmax(logits)[target].

    The task:
        logits is (N, C): one row of C class scores per example; targets is (N,):
        the correct class of each row, an integer in 0..C-1. Return the gradient of
        the mean cross-entropy loss with respect to the logits: an ndarray (N, C).
        It must work for logits of any size, including rows such as [1000, 0, -1000].

    The math:
        p = softmax(z) row by row:  p[n, k] = exp(z[n, k]) / sum_j exp(z[n, j])
        L = (1/N) * sum_n -log p[n, targets[n]]
        dL/dz = (p - onehot(targets)) / N
        (onehot(targets)[n, k] is 1 where k == targets[n], else 0.)

    Example:
        logits = [[0, 0]], targets = [1]  ->  p = [[0.5, 0.5]],  dL/dz = [[0.5, -0.5]]

    Hint:
        np.exp(1000) is inf. softmax does not change when you subtract a constant
        from a row, so subtract each row's max first (keepdims=True keeps the
        shapes broadcastable). np.eye(C)[targets] is the one-hot matrix.
    """
    raise NotImplementedError("softmax_cross_entropy_backward: replace this line with your code (see the docstring)")
