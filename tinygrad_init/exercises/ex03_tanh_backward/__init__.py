"""ex03: the backward of t = tanh(x)."""

from __future__ import annotations

import math

import numpy as np

from ..kit import SIGN_HINTS, Exercise, Raised, Session, diagnose, expect_float, fail, fmt, fmt_both, same, unseen
from ..ex04_sigmoid_backward import _sigmoid

EXERCISE = Exercise(
    3, "tanh_backward", "tanh_backward", "Backward of tanh", 1, "the backward rule of tanh",
    {
        "used_input": "the derivative is 1 - tanh(x)^2, written with the OUTPUT t = tanh(x); you used the "
                      "input x in its place (1 - x^2).",
        "no_square": "the derivative is 1 - tanh(x)^2: square the tanh before subtracting it from 1.",
        "no_upstream": "you returned the local derivative 1 - tanh(x)^2 alone; multiply it by the upstream "
                       "gradient (chain rule).",
        "sigmoid_rule": "s * (1 - s) is the derivative of the sigmoid, written with its output. For "
                        "t = tanh(x) it is 1 - t^2.",
        "tanh_of_square": "square the tanh, not its input: 1 - tanh(x)^2, not 1 - tanh(x^2).",
        "square_outside": "(1 - t)^2 is not 1 - t^2: square t first, then subtract it from 1.",
        "sign": "the derivative 1 - tanh(x)^2 is positive (tanh rises everywhere); you wrote tanh(x)^2 - 1.",
        "overflow": "exp(x) and cosh(x) overflow for |x| above about 710 (the float limit is about 1.8e308). "
                    "Use the output t = math.tanh(x), which never overflows: 1 - t^2.",
        "tan": "math.tan is the tangent; the hyperbolic tangent is math.tanh.",
        "plus": "the derivative of tanh is 1 - tanh^2 (1 + tan^2 is the derivative of the tangent).",
        "forward_value": "that is the forward value t = tanh(x) (times upstream). Backward multiplies upstream by "
                         "the local DERIVATIVE dt/dx, which is 1 - t^2.",
        "float32": "compute in float64 (Python floats, math or np.float64): float32 keeps 7 digits, and "
                   "1 - t^2 near |x| = 10 is about 1e-8, which float32 rounds to 0 or a few digits.",
        "numerical": "a difference quotient (f(x + h) - f(x - h)) / (2 h) gives a few digits of the derivative, "
                     "and so does float32 arithmetic (np.float32 anywhere, even turned back into a float); the rule "
                     "in Python floats gives all of them: write the derivative itself.",
        **SIGN_HINTS,
    },
)

# (x, upstream): +-800 expose formulas with exp or cosh, which overflow there.
CASES = [(0.5, 1.3), (-1.2, -0.4), (2.5, 0.9), (0.0, -2.0), (30.0, 1.5), (800.0, 0.7), (-800.0, -1.1)]


def check(run: Session) -> None:
    # Drawn afresh: a large x of each sign (+-800, the only large inputs, were looked up, with a formula that overflows
    # for any other), an x of each sign near 10, where 1 - t^2 is ~1e-8 (a central difference of tanh, which passed
    # with rtol 1e-7 and atol 1e-12, misses it there by more than 1e-15 for all but one h in 8), then a usual one.
    g = np.random.default_rng()
    big = [(sign * round(float(g.uniform(710, 1000)), 1), round(float(g.uniform(-2, 2)), 3)) for sign in (1.0, -1.0)]
    big += [(sign * round(float(g.uniform(9.6, 10.4)), 1), round(float(g.uniform(0.5, 2)), 3)) for sign in (1.0, -1.0)]
    for i, (x, up) in enumerate(unseen([*CASES, *big], lambda g: tuple(np.round(g.uniform(-3.0, 3.0, 2), 3).tolist()))):
        call = f"tanh_backward(x={fmt(x)}, upstream={fmt(up)})"
        try:
            got = expect_float(run(call, x, up), call)
        except Raised as exc:
            if exc.type == "OverflowError":
                fail(f"{call} raised OverflowError ({exc.message}).", "overflow")
            raise
        t = math.tanh(x)
        expected = up * (1.0 - t * t)
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
        s, tan = _sigmoid(x), math.tan(x)
        sign = "sign_some_inputs" if i else "sign"  # a case passed before: a sign error there is not global
        diagnose(got, detail, [
            ("used_input", up * (1.0 - x * x)), ("no_square", up * (1.0 - t)), ("no_upstream", 1.0 - t * t),
            ("sigmoid_rule", up * s * (1.0 - s)), ("sigmoid_rule", up * t * (1.0 - t)),
            ("tanh_of_square", up * (1.0 - math.tanh(x * x))), ("square_outside", up * (1.0 - t) ** 2),
            (sign, up * (t * t - 1.0)), ("tan", up * (1.0 - tan * tan)), ("plus", up * (1.0 + t * t)),
            ("forward_value", up * t), ("forward_value", t)], atol=1e-12)
        fail(detail + " dL/dx = upstream * (1 - tanh(x)^2).")
