"""Known-wrong answers to ex07_unbroadcast: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: leading_only
# sums away the added leading axes but leaves stretched size-1 axes alone.
import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad


# wrong: left_aligned
# lines the shapes up from the left, so it sums the trailing axes instead of the leading ones.
import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    while grad.ndim > len(shape):
        grad = grad.sum(axis=-1)
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.sum(axis=i, keepdims=True)
    return np.asarray(grad)


# wrong: mean
# averages the copies' gradients instead of adding them.
import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    while grad.ndim > len(shape):
        grad = grad.mean(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.mean(axis=i, keepdims=True)
    return np.asarray(grad)


# wrong: no_keepdims
# sums the stretched axes without keepdims, so a (3, 1) input gets a (3,) gradient.
import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return np.asarray(grad.sum(axis=stretched))
