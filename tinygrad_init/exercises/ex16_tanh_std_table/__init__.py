"""ex16: predict the per-layer std of a tanh network (CS231n's 0.01 * randn table) by the mean-field recursion."""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial.hermite import hermgauss

from ..kit import Exercise, Session, diagnose, expect_array, fail, fmt, fmt_both, optional, same, unseen

EXERCISE = Exercise(
    16, "tanh_std_table", "predict_tanh_stds", "Predict the std of every tanh layer (CS231n's table)", 5,
    "predicting layer statistics from theory",
    {
        "linear": "you treated tanh as the identity (E[h^2] = Var(z)). tanh squashes: E[tanh(z)^2] < Var(z), "
                  "a little for small z and a lot once z saturates. Average tanh(z)^2 over the Gaussian.",
        "pre_activation": "these are the stds of the pre-activations z_l; return those of the outputs "
                          "h_l = tanh(z_l), sqrt(E[tanh(z_l)^2]).",
        "tanh_of_std": "tanh(std(z)) is not std(tanh(z)): average tanh(z)^2 over z ~ N(0, q) and take the root.",
        "hermite_scaling": "np.polynomial.hermite.hermgauss integrates against e^(-t^2), not e^(-t^2/2): with "
                           "its nodes use z = sqrt(2 q) t and divide by sqrt(pi) (or use "
                           "np.polynomial.hermite_e.hermegauss, whose weight is e^(-t^2/2)).",
        "imprecise": "your numbers are close but not precise. A Monte Carlo estimate is off by about "
                     "1/sqrt(samples), and Gauss-Hermite misses the steep part of tanh(z)^2 once z is wide "
                     "(q in the hundreds), even with hundreds of nodes. Sum on a fine grid: "
                     "z = np.linspace(-12 s, 12 s, 2001) with s = sqrt(q). If you do, numbers within 10% come "
                     "from a small slip in q (n - 1 for n, a term too many).",
        "variance_as_std": "z ~ N(0, q) has variance q: its std, the scale of the grid or of a standard normal t, is "
                           "s = sqrt(q), z = s * t. With z = q * t you averaged over N(0, q^2).",
        "fan_out": "a pre-activation of layer l sums over its widths[l-1] inputs (its fan_in); you used the "
                   "layer's own width widths[l].",
        "mean_squared": "E[tanh(z)] is 0 for a symmetric z; the recursion needs the second moment "
                        "E[tanh(z)^2], not E[tanh(z)]^2.",
        "variance_returned": "these are the second moments E[h_l^2]; return their square roots.",
        "input_std_not_squared": "E[x^2] = input_std^2: square the input's std.",
        "std_not_squared": "the variance of a weight is weight_std^2: square it.",
        "default": "input_std=1.0 by default, as in the stub's signature: a call that leaves it out means a "
                   "unit-std input, and your function gave other numbers then (with input_std=1.0 given, the right "
                   "ones).",
    },
)

# (widths, weight_std, input_std). The first is CS231n's (2016, lecture 5): 10 tanh layers of 500
# units, W = 0.01 * randn, unit-Gaussian input; then saturating weights, Xavier, and uneven widths.
CASES = [([500] * 11, 0.01, 1.0), ([500] * 6, 1.0, 1.0), ([500] * 5, 1.0 / math.sqrt(500), None),
         ([100, 300, 50, 200], 0.1, 2.0)]


def _tanh_second(q: float, mode: str) -> float:
    """E[tanh(z)^2] for z ~ N(0, q), accurately, or as a known mistake computes it."""
    q = q * q if mode == "variance_as_std" else q  # tanh(q t)^2 with t ~ N(0, 1): tanh(z)^2 with z ~ N(0, q^2)
    if q == 0.0:
        return 0.0
    s = math.sqrt(q)
    if mode == "linear":
        return q
    if mode == "tanh_of_std":
        return math.tanh(s) ** 2
    if mode == "mean_squared":
        return 0.0
    if mode == "hermite_scaling":
        t, w = hermgauss(64)
        return float(np.dot(w, np.tanh(s * t) ** 2) / math.sqrt(2.0 * math.pi))
    z = np.linspace(-12.0 * s, 12.0 * s, 20001)
    return float(np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2.0 * q))) * (z[1] - z[0]) / math.sqrt(2.0 * math.pi * q))


def predict(widths: list[int], weight_std: float, input_std: float, mode: str = "right") -> np.ndarray:
    """The std of every layer's tanh output, right (`mode="right"`) or as a known mistake computes it."""
    second = input_std if mode == "input_std_not_squared" else input_std**2
    out = []
    for l in range(1, len(widths)):
        q = widths[l if mode == "fan_out" else l - 1] * weight_std ** (1 if mode == "std_not_squared" else 2) * second
        second = _tanh_second(q, mode)
        out.append({"pre_activation": math.sqrt(q), "variance_returned": second}.get(mode, math.sqrt(second)))
    return np.array(out)


WRONG: list[str] = ["linear", "pre_activation", "tanh_of_std", "hermite_scaling", "fan_out", "mean_squared",
                    "variance_returned", "input_std_not_squared", "std_not_squared", "variance_as_std"]


def check(run: Session) -> None:
    # The fresh case draws input_std too: fixed at 1, a rule that left it out passed it.
    for widths, weight_std, input_std in unseen(CASES, lambda g: (g.integers(20, 300, size=4).tolist(),
                                                                  round(g.uniform(0.03, 0.1), 3),
                                                                  float(g.uniform(0.5, 2.0)))):
        shown = f"[{widths[0]}] * {len(widths)}" if len(set(widths)) == 1 else str(widths)
        given, input_std, extra = optional("input_std", input_std, 1.0)  # None: the default
        call = f"predict_tanh_stds(widths={shown}, weight_std={fmt(weight_std)}{extra})"
        got = run(call, list(widths), weight_std, *given)
        expected = predict(widths, weight_std, input_std)
        if isinstance(got, np.ndarray) and got.dtype.kind == "f" and got.shape == expected.shape \
                and same(got.astype(float), expected, 1e-6, 0.0):  # to 1e-6 in float32 too
            continue
        if same(got, expected, rtol=1e-6, atol=0.0):  # the right numbers, but not in an ndarray
            expect_array(got, expected.shape, call)
        shown, wanted = fmt_both(got, expected)
        single = isinstance(got, np.ndarray) and got.dtype == np.float32
        detail = f"{call} returned {shown}; expected {wanted}." + (" Yours are float32: compute in float64, float32 "
                                                                  "keeps 7 digits and its sums lose more." * single)
        if not given and same(run(call, list(widths), weight_std, 1.0), expected, 1e-6, 0.0):
            fail(detail, "default")
        if isinstance(got, np.ndarray) and got.shape == expected.shape and got[0] == 0:
            fail(detail, "mean_squared")
        diagnose(got, detail, [("imprecise", expected)], rtol=1e-5, atol=0.0)  # before fan_out, equal for equal widths
        diagnose(got, detail, [(m, predict(widths, weight_std, input_std, m)) for m in WRONG], rtol=1e-5, atol=0.0)
        diagnose(got, detail, [("imprecise", expected)], rtol=0.1, atol=0.0)
        if isinstance(got, np.ndarray) and got.shape == expected.shape and np.any(np.isnan(got) | (got == 0)):
            fail(detail + " Some of yours are 0 or nan: where q is tiny, a grid that does not scale with s = sqrt(q) "
                 "misses the Gaussian. Take z = np.linspace(-12 * s, 12 * s, 2001) for each q.")
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.shape != expected.shape:
            fail(f"{call} returned {len(got)} stds; expected one per layer, len(widths) - 1 = {len(expected)}.")
        expect_array(got, expected.shape, call)
        fail(f"{call} returned {shown}; expected {wanted}. q_l = widths[l-1] * weight_std^2 * "
             "E[h_{l-1}^2] with E[h_0^2] = input_std^2, E[h_l^2] = E[tanh(z)^2] for z ~ N(0, q_l).")
