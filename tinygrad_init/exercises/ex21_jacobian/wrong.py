"""Known-wrong answers to ex21_jacobian: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_derivative
# the product of the weight matrices, as for a linear network.
import numpy as np


def input_output_jacobian(x, weights, biases):
    J = weights[0]
    for W in weights[1:]:
        J = J @ W
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# wrong: transpose
# the math convention dh_L/dx (outputs along the rows).
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = (W * (1 - h**2)).T @ J
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# wrong: mean_of_entries
# the mean of the squared entries.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.mean(J**2))


# wrong: numerical
# J by central differences: close to the chain rule's product, not equal to it.
import numpy as np


def _forward(x, weights, biases):
    for W, b in zip(weights, biases):
        x = np.tanh(x @ W + b)
    return x


def input_output_jacobian(x: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray]) -> tuple:
    step, rows = 1e-6, []
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = step
        rows.append((_forward(x + e, weights, biases) - _forward(x - e, weights, biases)) / (2 * step))
    J = np.array(rows)
    return J, float(np.sum(J**2) / min(J.shape))


# wrong: numerical
# the chain rule's product with the weights taken in float32 (a habit of deep-learning code), J handed back in float64:
# right to float32's 7 digits only.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x.astype(np.float32), np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W.astype(np.float32) + b.astype(np.float32))
        J = J @ (W.astype(np.float32) * (1 - h**2))
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# wrong: float32
# J by forward differences, handed back in float32: its 7 digits hide that it is an estimate.
import numpy as np


def _forward(x, weights, biases):
    for W, b in zip(weights, biases):
        x = np.tanh(x @ W + b)
    return x


def input_output_jacobian(x, weights, biases):
    step, top = 1e-7, _forward(x, weights, biases)
    J = np.array([(_forward(x + step * e, weights, biases) - top) / step for e in np.eye(len(x))], dtype=np.float32)
    return J, np.float32(np.sum(J**2) / min(J.shape))
