"""Known-wrong answers to ex11_fans: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_error_1d
# gives a 1-D shape the same fan twice instead of refusing it.
import math


def fans(shape: tuple) -> tuple[int, int]:
    if len(shape) == 1:
        return shape[0], shape[0]
    r = math.prod(shape[2:])
    return shape[0] * r, shape[1] * r


# wrong: no_receptive_field
# forgets the receptive field of a convolution kernel.
def fans(shape: tuple) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError("no fans")
    return shape[0], shape[1]


# wrong: swapped
# PyTorch's layout (out, in, ...) instead of this project's (in, out, ...).
import math


def fans(shape: tuple) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError("no fans")
    r = math.prod(shape[2:])
    return shape[1] * r, shape[0] * r
