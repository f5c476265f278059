"""Exercise 11 -- fan_in and fan_out of a weight shape (tutorial 5: Too small, too large: collapse and saturation).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the fans of a weight shape.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex11
"""


def fans(shape: tuple) -> tuple[int, int]:
    """Return (fan_in, fan_out) of a weight of this shape, in this project's layout.

    The task:
        A Linear weight has shape (fan_in, fan_out): the layer computes y = x @ W,
        so each output sums fan_in inputs and each input feeds fan_out outputs.
        A convolution kernel is written the same way with its spatial axes
        appended: (in_channels, out_channels, kh, kw) (or any number of them).
        Return the two fans as ints. A shape with fewer than two axes (a bias
        (n,), or a scalar ()) has no fans: raise ValueError saying why.

    The math:
        receptive field  r = product of shape[2:]      (1 for a matrix)
        fan_in  = shape[0] * r
        fan_out = shape[1] * r

    Example:
        fans((784, 10))       == (784, 10)
        fans((16, 32, 3, 3))  == (144, 288)       # r = 3 * 3 = 9

    Hint:
        math.prod(shape[2:]) is 1 for a shape of two axes. Note that this is
        NOT PyTorch's layout (out, in, kh, kw).
    """
    raise NotImplementedError("fans: replace this line with your code (see the docstring)")
