"""ex21: the input-output Jacobian of a tanh network from its weights, and its mean squared singular value."""

from __future__ import annotations

import numpy as np

from ..kit import (
    Exercise,
    Session,
    expect_array,
    expect_float,
    expect_sequence,
    fail,
    fmt,
    fmt_both,
    max_error,
    same,
    unseen,
)

EXERCISE = Exercise(
    21, "jacobian", "input_output_jacobian", "The input-output Jacobian and its mean squared singular value", 11,
    "the Jacobian of a deep network and its singular values",
    {
        "no_derivative": "each layer's Jacobian is W_l times the derivative of its activation, W_l @ "
                         "diag(tanh'(y_l)): you multiplied the weights alone, as if the network were linear.",
        "order": "the chain rule goes from the input up: J = J_1 @ J_2 @ ... @ J_L with J_l = W_l @ "
                 "diag(tanh'(y_l)) of shape (n_{l-1}, n_l). You multiplied them from the top down.",
        "last_only": "only the top layer's Jacobian W_L * tanh'(y_L) is left: the chain rule MULTIPLIES the layers', "
                     "J = J @ J_l at each layer (from J = identity or J_1), where J = J_l overwrote it.",
        "transpose": "J[i, j] = dh_L[j] / dx[i]: inputs along the rows, outputs along the columns, shape "
                     "(n_0, n_L), as W is (fan_in, fan_out). You returned its transpose.",
        "diag_side": "tanh'(y_l) belongs to layer l's OUTPUT units, the columns of W_l: W_l @ diag(d) (that "
                     "is W_l * d), not diag(d) @ W_l, which scales its rows.",
        "pre_activation_squared": "tanh'(y) = 1 - tanh(y)^2 = 1 - h^2 with h the layer's output; you used "
                                  "1 - y^2, with the pre-activation y.",
        "previous_layer": "tanh' is taken at the layer's OWN output: compute h = tanh(h @ W + b) first, then "
                          "W * (1 - h^2) with that h; you used the layer's input, the h of the layer below.",
        "no_bias": "the pre-activations include the biases, y_l = h_{l-1} @ W_l + b_l, and tanh' is taken at "
                   "y_l: leaving b_l out changes every derivative.",
        "numerical": "your J is close to the right one but not exact, as a finite-difference estimate is, or a "
                     "product computed in float32 anywhere (an input or a weight cast with .astype(np.float32)). The "
                     "exercise asks for the chain rule's exact product J = J_1 @ ... @ J_L in float64 (to 12 digits).",
        "float32": "compute J in float64, as the inputs are: the exercise asks for the exact product to 12 digits, and "
                   "float32 keeps 7 digits, within which a finite-difference estimate looks exact too.",
        "square_of_mean": "the MEAN of the squared singular values, np.mean(s ** 2), not the square of their "
                          "mean, np.mean(s) ** 2.",
        "not_squared": "the mean of the SQUARED singular values, np.mean(s ** 2) (they say how J stretches the "
                       "squared length of a vector): you averaged the singular values themselves.",
        "sum_not_mean": "the mean of the squared singular values: divide the sum by how many there are, "
                        "min(n_0, n_L).",
        "mean_of_entries": "np.mean(J ** 2) divides the sum of squares by every entry, n_0 * n_L; there are "
                           "only min(n_0, n_L) singular values: np.sum(J ** 2) / min(n_0, n_L).",
        "wrong_count": "a (n_0, n_L) matrix has min(n_0, n_L) singular values: divide the sum of their squares "
                       "(np.sum(J ** 2)) by that, not by n_0 or n_L alone.",
        "largest": "the mean over ALL singular values, not the largest one squared (the spectral norm).",
        "eigenvalues": "singular values, not eigenvalues: s = np.linalg.svd(J, compute_uv=False). A "
                       "Jacobian is not symmetric, and its eigenvalues do not measure how it stretches.",
    },
)

JACOBIAN_MISTAKES = ["no_derivative", "order", "transpose", "diag_side", "pre_activation_squared", "previous_layer",
                     "no_bias", "last_only"]
MEAN_MISTAKES = ["not_squared", "square_of_mean", "sum_not_mean", "mean_of_entries", "rows", "columns", "largest",
                 "eigenvalues"]


def jacobian(x: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray],
             mode: str = "right") -> np.ndarray | None:
    """`J = prod_l W_l diag(tanh'(y_l))`, right (`mode="right"`) or as a known mistake computes it."""
    h, factors = x, []
    for W, b in zip(weights, biases):
        if mode == "previous_layer" and W.shape[0] != W.shape[1]:  # W * (1 - h_{l-1}^2) runs for a square W only
            return None
        y, below = h @ W + (0.0 if mode == "no_bias" else b), h
        h = np.tanh(y)
        d = {"no_derivative": np.ones_like(y), "pre_activation_squared": 1.0 - y**2,
             "previous_layer": 1.0 - below**2}.get(mode, 1.0 - h**2)
        factors.append(d[:, None] * W if mode == "diag_side" else W * d)
    J = factors[0]
    for F in factors[1:]:
        J = F if mode == "last_only" else F @ J if mode == "order" else J @ F
    return J.T if mode == "transpose" else J


def mean_sq(J: np.ndarray, mode: str = "right") -> float | None:
    """The mean squared singular value of `J`, right or as a known mistake computes it."""
    s = np.linalg.svd(J, compute_uv=False)
    if mode == "eigenvalues":
        return float(np.mean(np.abs(np.linalg.eigvals(J)) ** 2)) if J.shape[0] == J.shape[1] else None
    return float({"not_squared": np.mean(s), "square_of_mean": np.mean(s) ** 2, "sum_not_mean": np.sum(s**2),
                  "largest": s[0] ** 2, "mean_of_entries": np.mean(J**2), "rows": np.sum(s**2) / J.shape[0],
                  "columns": np.sum(s**2) / J.shape[1]}.get(mode, np.mean(s**2)))


def _case(seed: int, widths: list[int], sigma_w2: float, sigma_b: float) -> tuple:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, np.sqrt(sigma_w2 / a), size=(a, b)) for a, b in zip(widths[:-1], widths[1:])]
    biases = [rng.normal(0.0, sigma_b, size=b) for b in widths[1:]]
    return rng.normal(0.0, 1.0, size=widths[0]), weights, biases


# Square (6 -> 6 -> 6 -> 6) first, so that a transposed or reordered product has the right shape; then
# widths that differ (5 -> 7 -> 4 -> 3) and one that widens (3 -> 8).
CASES = [_case(21, [6, 6, 6, 6], 1.5, 0.3), _case(22, [5, 7, 4, 3], 2.0, 0.5), _case(23, [3, 8], 1.0, 0.2)]


def check(run: Session) -> None:
    for x, weights, biases in unseen(CASES, lambda g: _case(int(g.integers(1 << 31)), [4, 6, 5], 1.5, 0.3)):
        widths = [x.shape[0]] + [W.shape[1] for W in weights]
        call = f"input_output_jacobian(x, weights, biases) for widths {widths}"
        J, m = expect_sequence(run(call, x, weights, biases), 2, call, "(J, mean_sq)")
        want = jacobian(x, weights, biases)
        if not (isinstance(J, np.ndarray) and same(J, want, rtol=1e-12, atol=1e-14)):  # a 5-point stencil: ~1e-11 off
            shown = J.shape if isinstance(J, np.ndarray) else fmt(J)
            detail = f"{call}: J is wrong" + (f", {max_error(J, want)}." if isinstance(J, np.ndarray) and J.shape ==
                                                 want.shape else f" (got shape {shown}, expected {want.shape}).")
            for mode in JACOBIAN_MISTAKES:
                if same(J, jacobian(x, weights, biases, mode), rtol=1e-9, atol=1e-12):
                    fail(detail, mode)
            if isinstance(J, np.ndarray) and J.shape == want.shape and same(J, want, rtol=1e-4, atol=1e-8):
                fail(detail, "numerical")
            expect_array(J, want.shape, f"{call}: J")
            fail(detail + " J = J_1 @ ... @ J_L with J_l = W_l * tanh'(y_l) (each column j of W_l times "
                          "1 - tanh(y_l[j])^2).")
        if J.dtype.itemsize < 8:  # right to float32's 7 digits, as a finite difference is, not to the 12 digits asked
            fail(f"{call}: J is {J.dtype}.", "float32")
        value, expected = expect_float(m, f"{call}: mean_sq"), mean_sq(want)
        if not same(value, expected, rtol=1e-9, atol=1e-12):
            shown, wanted = fmt_both(value, expected)
            detail = f"{call}: mean_sq is {shown}; expected {wanted}."
            for mode in MEAN_MISTAKES:
                wrong = mean_sq(want, mode)
                if wrong is not None and same(value, wrong, rtol=1e-9, atol=1e-12):
                    fail(detail, "wrong_count" if mode in ("rows", "columns") else mode)
            fail(detail + " The mean of the squared singular values, np.mean(np.linalg.svd(J, compute_uv=False) "
                          "** 2), which is np.sum(J ** 2) / min(n_0, n_L).")
