"""ex14: the mean-field prediction of the pre-activation std of every layer of a ReLU MLP."""

from __future__ import annotations

import math

import numpy as np

from ..kit import Exercise, Session, diagnose, expect_array, fail, fmt, fmt_both, optional, same, unseen

EXERCISE = Exercise(
    14, "relu_std", "predict_relu_std", "Predict the std of every layer of a ReLU network", 7,
    "predicting layer statistics from theory",
    {
        "no_half": "ReLU zeroes the negative half of a symmetric z, so E[relu(z)^2] = Var(z) / 2. You "
                   "treated the ReLU as if it passed z through unchanged.",
        "halved_std": "ReLU halves the second MOMENT, not the std: E[relu(z)^2] = Var(z) / 2, so "
                      "sqrt(E[h^2]) = std(z) / sqrt(2), not std(z) / 2.",
        "variance_returned": "these are the variances; return the standard deviations (their square roots).",
        "half_on_input": "every std is sqrt(1/2) times too small. Either you returned the root mean square of "
                         "the ReLU OUTPUTS, sqrt(E[h_l^2]), instead of the std of the pre-activations z_l, or "
                         "you halved E[x^2] of the input, which does not pass through a ReLU: "
                         "Var(z_1) = n_0 * sigma_1^2 * E[x^2].",
        "post_relu_std": "these are the stds of the ReLU outputs h_l = relu(z_l), whose mean is not 0. The "
                         "exercise asks for the pre-activations z_l: std(z_l) = sqrt(Var(z_l)).",
        "fan_out": "a pre-activation of layer l is a sum over its n_{l-1} = widths[l-1] inputs (its "
                   "fan_in); you multiplied by the layer's own width widths[l].",
        "relu_variance": "the next layer's Var(z) needs the second MOMENT E[h^2] = Var(z) / 2 of h = relu(z), "
                         "not its variance Var(z) (1/2 - 1/(2 pi)): the weights have mean 0, so Var(h_i W_ij) = "
                         "E[h_i^2] Var(W_ij), mean of h and all.",
        "input_std_not_squared": "E[x^2] = input_std^2: square the input's std.",
        "std_not_squared": "the variance of a weight is weight_std^2: square it.",
        "off_by_one": "return one std per layer, L = len(widths) - 1 of them: the input itself is not a layer.",
        "one_std": "each layer has its own weight std: layer l uses weight_stds[l-1], not weight_stds[0] for all.",
        "no_carry": "E[h_{l-1}^2] comes from the layer before, not from the input: carry it through a loop.",
        "default": "input_std=1.0 by default, as in the stub's signature: a call that leaves it out means a "
                   "unit-std input, and your function gave other numbers then (with input_std=1.0 given, the right "
                   "ones).",
        "simulated": "your numbers are within 10% of the prediction but not exact, as a simulation's are, or "
                     "those of a small slip in the recursion (n - 1 for n, a term too many). The exercise asks "
                     "for the theory's prediction, computed exactly from the recursion.",
    },
)

CASES = [
    ([200, 300, 300, 100], [0.07, math.sqrt(2.0 / 300), 0.05], 1.5),  # wide: a simulation comes close
    ([100, 50, 50, 20, 10], [0.1, math.sqrt(2.0 / 50), 0.3, 0.05], 1.5),
    ([64, 64, 64, 64], [math.sqrt(2.0 / 64)] * 3, None),  # He init: Var(z) = 2 E[x^2]; input_std left at 1.0
    ([10, 3], [0.2], 2.0),
]


def _predict(widths: list[int], stds: list[float], input_std: float, mode: str) -> np.ndarray:
    """The stds of z_l, right (`mode="right"`) or as a known mistake computes them."""
    second = {"half_on_input": input_std**2 / 2.0, "input_std_not_squared": input_std}.get(mode, input_std**2)
    out = [input_std] if mode == "off_by_one" else []
    for l, s in enumerate([stds[0]] * len(stds) if mode == "one_std" else stds, 1):
        n = widths[l] if mode == "fan_out" else widths[l - 1]
        q = n * (s if mode == "std_not_squared" else s * s) * (input_std**2 if mode == "no_carry" else second)
        out.append({"variance_returned": q, "post_relu_std": math.sqrt(q * (0.5 - 0.5 / math.pi))}.get(
            mode, math.sqrt(q)))
        second = {"no_half": q, "halved_std": q / 4.0, "relu_variance": q * (0.5 - 0.5 / math.pi)}.get(mode, q / 2.0)
    return np.array([input_std, *out[:-1]] if mode == "shifted" else out)


def check(run: Session) -> None:
    # The fresh case draws input_std too: fixed, a rule that ignored it passed it.
    for widths, stds, input_std in unseen(CASES, lambda g: (g.integers(5, 200, size=4).tolist(),
                                                            g.uniform(0.05, 0.3, size=3).tolist(),
                                                            float(g.uniform(0.5, 2.0)))):
        given, input_std, extra = optional("input_std", input_std, 1.0)
        call = f"predict_relu_std(widths={widths}, weight_stds=[{', '.join(fmt(s) for s in stds)}]{extra})"
        got = run(call, list(widths), list(stds), *given)
        expected = _predict(widths, stds, input_std, "right")
        if isinstance(got, np.ndarray) and got.shape == expected.shape and same(got, expected):
            continue
        if same(got, expected):  # the right numbers, but not in an ndarray
            expect_array(got, expected.shape, call)
        shown, wanted = fmt_both(got, expected)
        detail = f"{call} returned {shown}; expected {wanted}."
        if not given and same(run(call, list(widths), list(stds), 1.0), expected):
            fail(detail, "default")
        diagnose(got, detail, [(mode, _predict(widths, stds, input_std, mode)) for mode in (
            "no_half", "halved_std", "variance_returned", "half_on_input", "post_relu_std", "fan_out",
            "input_std_not_squared", "std_not_squared", "off_by_one", "no_carry", "relu_variance", "one_std")]
                 + [("off_by_one", _predict(widths, stds, input_std, "shifted"))])  # the input listed, the top not
        diagnose(got, detail, [("simulated", expected)], rtol=0.1)
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.shape != expected.shape:
            fail(f"{call} returned {len(got)} stds; expected one per layer, len(widths) - 1 = {len(expected)}.")
        expect_array(got, expected.shape, call)
        fail(f"{call} returned {shown}; expected {wanted}. Var(z_l) = widths[l-1] * weight_stds[l-1]^2 "
             "* E[h_{l-1}^2], E[h_0^2] = input_std^2, E[relu(z)^2] = Var(z) / 2.")
