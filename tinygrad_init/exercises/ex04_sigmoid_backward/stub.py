"""Exercise 04 -- the backward of the sigmoid (tutorial 1: A scalar autograd engine from the ground up).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the backward rule of the sigmoid.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex04
"""



def sigmoid_backward(x: float, upstream: float) -> float:
    """Return dL/dx for s = sigmoid(x) = 1 / (1 + exp(-x)), given upstream = dL/ds.

    The task:
        A node computes s = sigmoid(x). Return the gradient that flows back to x.
        It must work for any float x, including x = -800 and x = 800.
        It is judged to 12 digits, and to within 1e-15 where the derivative is tiny
        (float64): compute in Python floats, not float32.

    The math:
        local derivative:  ds/dx = s * (1 - s)
        chain rule:        dL/dx = dL/ds * ds/dx

    Example:
        sigmoid_backward(0.0, 2.0) == 2.0 * 0.5 * 0.5 == 0.5

    Hint:
        Like tanh, the derivative is written with the OUTPUT s. math.exp(800)
        does not fit in a float (OverflowError): for negative x use the equal
        form exp(x) / (1 + exp(x)).
    """
    raise NotImplementedError("sigmoid_backward: replace this line with your code (see the docstring)")
