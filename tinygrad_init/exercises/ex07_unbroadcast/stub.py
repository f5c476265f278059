"""Exercise 07 -- undo broadcasting in a gradient (tutorial 3: Tensors and layers).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about undoing broadcasting in a gradient.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex07
"""

import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum `grad` down to `shape`: the gradient of an input that numpy broadcast.

    The task:
        In the forward pass an input x of shape `shape` was broadcast to
        grad.shape (e.g. a bias (4,) added to a batch (3, 4)). Return dL/dx, an
        ndarray of exactly `shape` (for shape () a float such as grad.sum() will do).

    The math:
        Broadcasting copies x; every copy of an element receives a gradient, and
        dL/dx is their SUM. numpy aligns shapes from the right, so
          - the leading grad.ndim - len(shape) axes were added: sum them away;
          - an axis where shape has size 1 (and grad does not) was stretched:
            sum it, keeping it as size 1 (keepdims=True).

    Example:
        unbroadcast(np.ones((3, 4)), (4,))   -> [3., 3., 3., 3.]
        unbroadcast(np.ones((3, 4)), (3, 1)) -> [[4.], [4.], [4.]]

    Hint:
        grad.sum(axis=tuple_of_axes) and grad.sum(axis=..., keepdims=True).
    """
    raise NotImplementedError("unbroadcast: replace this line with your code (see the docstring)")
