"""Exercise 08 -- the backward of a Linear layer (tutorial 3: Tensors and layers).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the backward rule of a Linear layer.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex08
"""

import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (dx, dW, db) for y = x @ W + b, given the upstream gradient g = dL/dy.

    The task:
        Shapes: x is (N, fan_in), W is (fan_in, fan_out) -- this project's layout,
        y = x @ W -- b is (fan_out,), and g = dL/dy is (N, fan_out).
        Return the three gradients as ndarrays, each with the shape of what it
        is the gradient of: dx (N, fan_in), dW (fan_in, fan_out), db (fan_out,).

    The math:
        y[n, j] = sum_i x[n, i] W[i, j] + b[j], so
          dL/dx = g @ W.T          (upstream x local w)
          dL/dW = x.T @ g          (upstream x local x, summed over the batch)
          dL/db = sum over the batch of g

    Example:
        x = [[1, 2]], W = [[1, 0, 2], [0, 1, 3]], g = [[1, -1, 0.5]]
        -> dx = [[2, 0.5]], dW = [[1, -1, 0.5], [2, -2, 1]], db = [1, -1, 0.5]

    Hint:
        Let the shapes guide you: the only way to get a (fan_in, fan_out) array
        from x (N, fan_in) and g (N, fan_out) is x.T @ g.
    """
    raise NotImplementedError("linear_backward: replace this line with your code (see the docstring)")
