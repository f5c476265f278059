"""Exercise 01 -- the backward of a product (tutorial 1: A scalar autograd engine from the ground up).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the backward rule of a product.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex01
"""


def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    """Return (dL/da, dL/db) for c = a * b, given upstream = dL/dc.

    The task:
        A node computes c = a * b. Backward hands it the upstream gradient dL/dc.
        Return what flows back to each input, as a tuple of two floats.

    The math:
        local derivatives:  dc/da = b,   dc/db = a
        chain rule:         dL/da = dL/dc * dc/da,   dL/db = dL/dc * dc/db

    Example:
        mul_backward(3.0, -2.0, 0.5) == (-1.0, 1.5)

    Hint:
        Each input's local derivative is the *other* input. Don't forget the
        upstream factor: the local derivative alone is dc/da, not dL/da.
    """
    raise NotImplementedError("mul_backward: replace this line with your code (see the docstring)")
