"""Known-wrong answers to ex08_linear_backward: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: dW_transposed
# dW = g.T @ x, the transpose of the weight gradient (PyTorch's layout, not this project's).
import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g @ W.T, g.T @ x, g.sum(axis=0)


# wrong: db_mean
# averages the bias gradient over the batch instead of summing it.
import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g @ W.T, x.T @ g, g.mean(axis=0)


# wrong: dx_no_transpose
# dx = g @ W, a dropped transpose (runs only when W is square).
import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g @ W, x.T @ g, g.sum(axis=0)


# wrong: loop_overwrite
# a loop over the batch that assigns each row's share instead of adding it: the last row wins.
import numpy as np


def linear_backward(x: np.ndarray, W: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dx = g @ W.T
    for n in range(len(x)):
        dW = np.outer(x[n], g[n])
        db = g[n]
    return dx, dW, db
