"""Exercise 03 -- the backward of tanh (tutorial 1: A scalar autograd engine from the ground up).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the backward rule of tanh.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex03
"""



def tanh_backward(x: float, upstream: float) -> float:
    """Return dL/dx for t = tanh(x), given upstream = dL/dt.

    The task:
        A node computes t = tanh(x). Return the gradient that flows back to x.
        It must work for any float x, including x = -800 and x = 800.
        It is judged to 12 digits, and to within 1e-15 where the derivative is tiny
        (float64): compute in Python floats, not float32.

    The math:
        local derivative:  dt/dx = 1 - tanh(x)**2      (= 1 - t**2)
        chain rule:        dL/dx = dL/dt * dt/dx

    Example:
        tanh_backward(0.0, -2.0) == -2.0      (the slope of tanh at 0 is 1)

    Hint:
        The derivative is written with the node's OUTPUT t, which is why an
        engine can compute it at forward time. math.tanh gives t.
    """
    raise NotImplementedError("tanh_backward: replace this line with your code (see the docstring)")
