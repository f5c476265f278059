"""Exercise 02 -- the backward of a power (tutorial 1: A scalar autograd engine from the ground up).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the backward rule of a power.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex02
"""


def pow_backward(x: float, n: float, upstream: float) -> float:
    """Return dL/dx for y = x ** n, where n is a constant, given upstream = dL/dy.

    The task:
        A node computes y = x ** n for a fixed exponent n (a plain number, not a
        node). Return the gradient that flows back to x, as a float. It must work
        at x = 0 (for n >= 1), for negative x (with a whole n such as 2.0) and for
        fractional or negative n (with x > 0). It is judged to 12 digits: compute in
        Python floats (not float32).

    The math:
        local derivative (the power rule):  dy/dx = n * x ** (n - 1)
        chain rule:                         dL/dx = dL/dy * dy/dx

    Example:
        pow_backward(1.5, 3.0, -0.7) == -0.7 * 3 * 1.5**2 == -4.725

    Hint:
        Two things change in the power rule: the exponent comes down as a factor,
        and the new exponent is one less.
    """
    raise NotImplementedError("pow_backward: replace this line with your code (see the docstring)")
