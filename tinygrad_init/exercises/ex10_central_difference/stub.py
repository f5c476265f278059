"""Exercise 10 -- a numerical gradient by central differences (tutorial 3: Tensors and layers).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about computing a gradient numerically.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex10
"""

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Return the gradient of the scalar function f at x, estimated by central differences.

    The task:
        f takes an ndarray shaped like x (float64, any shape: (4,), (3, 2), (2, 2, 3), ...)
        and returns a float. Return a float64 ndarray g of x's shape with
        g[i] ~ df/dx[i], by the two-point formula below at the step h you are given (the
        grader compares with it: a formula of higher order gives other numbers). When you
        return, x must hold exactly the numbers it held when you were called.

    The math:
        g[i] = (f(x + h e_i) - f(x - h e_i)) / (2h)
        where e_i is 1 at position i and 0 elsewhere. Its error is O(h^2); the
        one-sided (f(x + h e_i) - f(x)) / h is only O(h).

    Example:
        numerical_gradient(lambda x: float(np.sum(x**2)), np.array([1.0, -2.0]))
        ~ [2.0, -4.0]

    Hint:
        for i in np.ndindex(x.shape): remember old = x[i], set x[i] = old + h,
        evaluate, set x[i] = old - h, evaluate, and put x[i] = old back.
    """
    raise NotImplementedError("numerical_gradient: replace this line with your code (see the docstring)")
