"""ex04: the backward of s = sigmoid(x)."""

from __future__ import annotations

import math

import numpy as np

from ..kit import SIGN_HINTS, Exercise, Raised, Session, diagnose, expect_float, fail, fmt, fmt_both, same, unseen

EXERCISE = Exercise(
    4, "sigmoid_backward", "sigmoid_backward", "Backward of the sigmoid", 1, "the backward rule of the sigmoid",
    {
        "used_input": "the derivative is s * (1 - s) with s = sigmoid(x), the OUTPUT; you used the input x "
                      "in its place (x * (1 - x)).",
        "no_upstream": "you returned the local derivative s * (1 - s) alone; multiply it by the upstream "
                       "gradient (chain rule).",
        "tanh_rule": "1 - s^2 is the rule for tanh. For s = sigmoid(x) the derivative is s * (1 - s).",
        "overflow": "math.exp overflows above about 709 (math.cosh alike, and its square above about 355). Compute "
                    "the sigmoid so that exp never sees a large positive number: 1 / (1 + e^-x) for x >= 0 and "
                    "e^x / (1 + e^x) for x < 0, then use s * (1 - s).",
        "sign": "the derivative is s * (1 - s), which is positive; you wrote s * (s - 1).",
        "one_factor": "the derivative has two factors, s and (1 - s): s * (1 - s).",
        "forward_value": "that is the forward value s = sigmoid(x) (times upstream). Backward multiplies upstream by "
                         "the local DERIVATIVE ds/dx = s * (1 - s).",
        "not_sigmoid": "s must be the sigmoid 1 / (1 + e^-x); you used tanh(x) in its place.",
        "linearized": "sigmoid'(x) = 1/4 only at x = 0; elsewhere it is s * (1 - s).",
        "squared": "the derivative is s * (1 - s), not s^2.",
        "float32": "compute in float64 (Python floats, math or np.float64): float32 keeps 7 digits, and "
                   "s * (1 - s) near x = 20 is about 1e-9, which float32 rounds to 0 or a few digits.",
        "numerical": "a difference quotient (f(x + h) - f(x - h)) / (2 h) gives a few digits of the derivative, "
                     "and so does float32 arithmetic (np.float32 anywhere, even turned back into a float); the rule "
                     "in Python floats gives all of them: write the derivative itself.",
        **SIGN_HINTS,
    },
)

# (x, upstream); +-800 test that exp never overflows (float64 exp overflows above about 709).
CASES = [(0.7, 1.3), (-1.5, -0.6), (3.0, 0.8), (0.0, 2.0), (-800.0, 1.0), (800.0, -1.0)]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def check(run: Session) -> None:
    # Drawn afresh: a large x of each sign (+-800, the only large inputs, were looked up, with a formula that overflows
    # for any other), two x near 20, where s (1 - s) is ~1e-9 (a central difference of the sigmoid, which passed with
    # rtol 1e-7, misses it there by more than the 1e-15 allowed for all but one h in 7), then a usual one.
    g = np.random.default_rng()
    big = [(sign * round(float(g.uniform(710, 1000)), 1), round(float(g.uniform(-2, 2)), 3)) for sign in (1.0, -1.0)]
    big += [(sign * round(float(g.uniform(17, 23)), 1), round(float(g.uniform(0.5, 2)), 3)) for sign in (1, 1)]
    for i, (x, up) in enumerate(unseen([*CASES, *big], lambda g: tuple(np.round(g.uniform(-3.0, 3.0, 2), 3).tolist()))):
        call = f"sigmoid_backward(x={fmt(x)}, upstream={fmt(up)})"
        try:
            got = expect_float(run(call, x, up), call)
        except Raised as exc:
            if exc.type == "OverflowError":
                fail(f"{call} raised OverflowError ({exc.message}).", "overflow")
            raise
        s = _sigmoid(x)
        expected = up * s * (1.0 - s)
        if same(float(got), expected, rtol=1e-12, atol=1e-15):  # float32: 7 digits, not the 12 asked
            continue
        shown, wanted = fmt_both(got, expected)
        detail = f"{call} returned {shown}; expected {wanted}."
        if isinstance(got, np.floating) and got.dtype.itemsize < 8:
            fail(f"{detail} Your answer is {got.dtype}.", "float32")
        if same(float(got), expected, rtol=1e-2, atol=1e-15):  # a difference quotient is off by ~1e-4 here
            fail(f"{detail} Yours is right to a few digits only.", "numerical")
        if abs(x) > 700 and not math.isfinite(got):
            fail(detail, "overflow")
        t = math.tanh(x)
        sign = "sign_some_inputs" if i else "sign"  # a case passed before: a sign error there is not global
        diagnose(got, detail, [
            ("used_input", up * x * (1.0 - x)), ("no_upstream", s * (1.0 - s)), ("tanh_rule", up * (1.0 - s * s)),
            (sign, up * s * (s - 1.0)), ("one_factor", up * (1.0 - s)), ("forward_value", up * s),
            ("not_sigmoid", up * t * (1.0 - t)), ("linearized", up / 4.0), ("squared", up * s * s)], atol=1e-15)
        fail(detail + " dL/dx = upstream * s * (1 - s) with s = sigmoid(x).")
