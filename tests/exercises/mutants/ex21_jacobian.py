"""Mutants of ex21_jacobian: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: order
# the layer Jacobians multiplied from the top down.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, None
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        Jl = W * (1 - h**2)
        J = Jl if J is None else Jl @ J
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# mutant: diag_side
# diag(tanh') on the left of W.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (np.diag(1 - h**2) @ W)
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# mutant: pre_activation_squared
# tanh'(y) written as 1 - y^2.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        y = h @ W + b
        h = np.tanh(y)
        J = J @ (W * (1 - y**2))
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# mutant: no_bias
# the biases left out of the forward pass.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W in weights:
        h = np.tanh(h @ W)
        J = J @ (W * (1 - h**2))
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False) ** 2))


# mutant: transpose
# built in the math convention with diag matrices, and never transposed back.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        y = h @ W + b
        h = np.tanh(y)
        J = np.diag(1 - np.tanh(y) ** 2) @ W.T @ J
    return J, float(np.sum(J**2) / min(J.shape))


# mutant: square_of_mean
# the mean singular value, squared.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False)) ** 2)


# mutant: sum_not_mean
# the sum of the squared singular values (the squared Frobenius norm).
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.linalg.norm(J) ** 2)


# mutant: largest
# the squared spectral norm.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.linalg.norm(J, 2) ** 2)


# mutant: eigenvalues
# eigenvalues instead of singular values.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.mean(np.abs(np.linalg.eigvals(J)) ** 2))


# mutant: wrong_count
# the sum of squares divided by the number of inputs, n_0.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.sum(J**2) / len(x))


# mutant: wrong_count
# the sum of squares divided by the number of outputs, n_L.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.sum(J**2) / J.shape[1])


# mutant: last_only
# assigns each layer's Jacobian instead of multiplying it in: only the top layer's is left.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h = x
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = W * (1 - h**2)
    return J, float(np.sum(J**2) / min(J.shape))


# mutant: not_squared
# the mean of the singular values themselves, not of their squares.
import numpy as np


def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x))
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h**2))
    return J, float(np.mean(np.linalg.svd(J, compute_uv=False)))


# mutant: previous_layer
# multiplies by tanh' of the layer's input before computing the layer's output.
#-         h = np.tanh(h @ W + b)
#-         J = J @ (W * (1 - h**2))
#+         J = J @ (W * (1 - h**2))
#+         h = np.tanh(h @ W + b)
