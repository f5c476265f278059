"""ex17: the sigmoid's 1/4 per layer on the backward pass, and the 4x rule."""

from __future__ import annotations

import math

import numpy as np

from ..kit import Exercise, Session, diagnose, expect_array, fail, fmt, fmt_both, optional, same, unseen

EXERCISE = Exercise(
    17, "sigmoid_gradients", "predict_sigmoid_grad_stds",
    "The sigmoid's 1/4 per layer, and the 4x rule", 6, "predicting gradient statistics from theory",
    {
        "no_slope": "the gradient passes through sigmoid'(z) on its way down; near z = 0 that is 1/4, so each "
                    "layer multiplies the gradient's variance by (1/4)^2 = 1/16 as well.",
        "quarter_on_variance": "sigmoid'(0) = s(1 - s) = 1/2 * 1/2 = 1/4 multiplies the gradient itself, so its "
                               "VARIANCE is multiplied by (1/4)^2 = 1/16. You used 1/4 on the variance (or a "
                               "slope of 1/2).",
        "fan_in": "backward sums over the n_l units each input feeds (the layer's fan_out, widths[l]), not over "
                  "its inputs: Var(dL/dh_{l-1}) = widths[l] * weight_std^2 / 16 * Var(dL/dh_l).",
        "reversed": "entry 0 is the gradient at the network's INPUT (the bottom), the last entry the one "
                    "the top layer passes down: you listed them from the top.",
        "variance_returned": "these are variances; return the standard deviations (their square roots).",
        "off_by_one": "return one std per layer, L = len(widths) - 1 of them, dL/dh_0 (at the input x) up to "
                      "dL/dh_{L-1} (what the top layer passes down): the gradient given at the top is not one.",
        "std_not_squared": "the variance of a weight is weight_std^2: square it.",
        "grad_std_not_squared": "the variance of the gradient at the top is grad_std^2: square it.",
        "stds_reversed": "weight_stds[l-1] is layer l's, counted from the bottom: walking down from the top layer, "
                         "take layer l's std (weight_stds[::-1] in step with the widths), not weight_stds in order.",
        "no_carry": "the gradient entering a layer is the one that came out of the layer above, not the "
                    "top's: carry the variance down through a loop.",
        "squared_twice": "the factor 1/16 is for the variance; the std shrinks by 1/4 per layer. You applied "
                         "1/16 to the std.",
        "xavier_assumed": "use the weight_stds you are given: your numbers are those of Xavier's Var(W) = 2 / (n_{l-1} "
                          "+ n_l) at every layer, an init the statement discusses, not this network's weights.",
        "default": "grad_std=1.0 by default, as in the stub's signature: a call that leaves it out means a "
                   "gradient of std 1 at the top, and your function gave other numbers then (with grad_std=1.0 "
                   "given, the right ones).",
    },
)

# (widths, weight_stds, grad_std): the sigmoid's 4x rule (the Theano tutorials', after Glorot & Bengio 2010) keeps
# the gradient's std; plain Xavier shrinks it by about 4 per layer; uneven widths tell fan-in from fan-out.
_GLOROT_4X = [4.0 * math.sqrt(2.0 / (256 + 256))] * 4
CASES = [([100, 200, 50, 80], [math.sqrt(2.0 / (100 + 200)), math.sqrt(2.0 / (200 + 50)), math.sqrt(2.0 / 130)], 0.5),
         ([256] * 5, _GLOROT_4X, None), ([30, 20, 10], [0.1, 0.3], 2.0)]  # None: grad_std left at 1.0


def predict(widths: list[int], stds: list[float], grad_std: float, mode: str = "right") -> np.ndarray:
    """The std of dL/dh_{l-1} for l = 1..L, right (`mode="right"`) or as a known mistake computes it."""
    factor = {"no_slope": 1.0, "quarter_on_variance": 0.25}.get(mode, 1.0 / 16.0)
    var, std, out = grad_std ** (1 if mode == "grad_std_not_squared" else 2), grad_std, []
    for l in range(len(widths) - 1, 0, -1):
        n = widths[l - 1] if mode == "fan_in" else widths[l]
        w = stds[l - 1] if mode == "std_not_squared" else stds[-l if mode == "stds_reversed" else l - 1] ** 2
        w = 2.0 / (widths[l - 1] + widths[l]) if mode == "xavier_assumed" else w
        var = n * w * factor * (grad_std**2 if mode == "no_carry" else var)
        std = std * math.sqrt(n * w) / 16.0  # only for "squared_twice": 1/16 applied to the std
        out.append(std if mode == "squared_twice" else var if mode == "variance_returned" else math.sqrt(var))
    out = out if mode == "reversed" else out[::-1]
    return np.array(out + [grad_std] if mode == "off_by_one" else out[1:] + [grad_std] if mode == "shifted" else out)


# xavier_assumed first: it passes the Xavier case, and in the 4x case its numbers are those of squared_twice.
WRONG = ["xavier_assumed", "no_slope", "quarter_on_variance", "fan_in", "reversed", "variance_returned", "off_by_one",
         "std_not_squared", "no_carry", "squared_twice", "grad_std_not_squared", "stds_reversed"]


def check(run: Session) -> None:
    # The fresh case draws grad_std too: fixed, a rule that ignored it passed it.
    for widths, stds, grad_std in unseen(CASES, lambda g: (g.integers(5, 200, size=4).tolist(),
                                                           g.uniform(0.05, 0.3, size=3).tolist(),
                                                           float(g.uniform(0.2, 2.0)))):
        given, grad_std, extra = optional("grad_std", grad_std, 1.0)
        call = f"predict_sigmoid_grad_stds(widths={widths}, weight_stds=[{', '.join(fmt(s) for s in stds)}]{extra})"
        got = run(call, list(widths), list(stds), *given)
        expected = predict(widths, stds, grad_std)
        if isinstance(got, np.ndarray) and got.shape == expected.shape and same(got, expected):
            continue
        if same(got, expected):  # the right numbers, but not in an ndarray
            expect_array(got, expected.shape, call)
        shown, wanted = fmt_both(got, expected)
        detail = f"{call} returned {shown}; expected {wanted}."
        if not given and same(run(call, list(widths), list(stds), 1.0), expected):
            fail(detail, "default")
        diagnose(got, detail, [(m, predict(widths, stds, grad_std, m)) for m in WRONG]
                 + [("off_by_one", predict(widths, stds, grad_std, "shifted"))])  # dL/dh_1 .. dL/dh_L
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.shape != expected.shape:
            fail(f"{call} returned {len(got)} stds; expected one per layer, len(widths) - 1 = {len(expected)}.")
        expect_array(got, expected.shape, call)
        fail(f"{call} returned {shown}; expected {wanted}. Var(dL/dh_{{l-1}}) = widths[l] * "
             "weight_stds[l-1]^2 * (1/4)^2 * Var(dL/dh_l), starting from grad_std^2 at the top.")
