"""ex02: the backward of a power y = x ** n (n a constant)."""

from __future__ import annotations

import math

import numpy as np

from ..kit import Exercise, Raised, Session, diagnose, expect_float, fail, fmt, fmt_both, same, unseen

EXERCISE = Exercise(
    2, "pow_backward", "pow_backward", "Backward of a power y = x ** n", 1, "the backward rule of a power",
    {
        "exponent_not_lowered": "the power rule lowers the exponent by one: d(x^n)/dx = n * x^(n-1), "
                                "not n * x^n.",
        "forgot_factor_n": "the exponent comes down as a factor: d(x^n)/dx = n * x^(n-1); you left out the n.",
        "no_upstream": "you returned the local derivative n * x^(n-1) alone; multiply it by the upstream "
                       "gradient (chain rule).",
        "exponent_rule": "that is the derivative with respect to the exponent, x^n * ln(x). Here n is a "
                         "constant: differentiate with respect to x, n * x^(n-1).",
        "undefined_at_zero": "n * x^n / x is n * x^(n-1) only when x != 0; at x = 0 it divides by zero. Write "
                             "x ** (n - 1) itself.",
        "abs": "x^(n-1) keeps the sign of x (for n = 2 the derivative at x = -1.2 is 2 * -1.2): don't take abs(x).",
        "factor_n_minus_1": "the factor in front is n, the exponent is n - 1: n * x^(n-1), not (n-1) * x^(n-1).",
        "integrated": "x^(n+1) / (n+1) is the antiderivative of x^n. The derivative is n * x^(n-1).",
        "precedence": "** binds tighter than -: x ** n - 1 is (x^n) - 1. Write x ** (n - 1).",
        "log_domain": "exp((n-1) * log(x)) is x^(n-1) only for x > 0; at x = 0 or x < 0 the log fails. Use "
                      "x ** (n - 1).",
        "int_exponent": "n may be a fraction (0.5 for a square root): don't turn it into an int.",
        "forward_value": "that is the forward value y = x ** n (times upstream). Backward multiplies upstream by the "
                         "local DERIVATIVE dy/dx = n * x^(n-1).",
        "zero_special_case": "at x = 0 the derivative n * x^(n-1) is 0 only for n > 1: for n = 1 it is 1 "
                             "(0 ** 0 = 1). Drop the special case; x ** (n - 1) handles x = 0.",
        "float32": "compute in float64 (Python floats, math or np.float64): the answer is judged to 12 digits, "
                   "and float32 keeps 7.",
        "numerical": "a difference quotient (f(x + h) - f(x - h)) / (2 h) gives a few digits of the derivative, "
                     "and so does float32 arithmetic (np.float32 anywhere, even turned back into a float); the rule "
                     "in Python floats gives all of them: write the derivative itself.",
    },
)

# (x, n, upstream): on the first case every known mistake gives a different number; x = 0 with
# n = 3, 2, 1 exposes formulas undefined there and special cases that are wrong for n = 1; x ** 0.001 is nearly flat,
# its derivative small beside its values, which a difference of the forward pass misses (a five-point stencil too).
CASES = [(1.5, 3.0, -0.7), (2.0, -1.0, 0.3), (0.8, 0.5, 2.0), (-1.2, 2.0, 1.1), (-2.0, 3.0, 0.4),
         (0.0, 3.0, 0.9), (0.0, 2.0, -1.3), (0.0, 1.0, 0.5), (1.5, 0.001, 1.2)]


def check(run: Session) -> None:
    for x, n, up in unseen(CASES, lambda g: (round(g.uniform(0.5, 3.0), 2), float(g.integers(2, 6)),
                                             round(g.uniform(-2.0, 2.0), 2))):
        call = f"pow_backward(x={fmt(x)}, n={fmt(n)}, upstream={fmt(up)})"
        try:
            got = expect_float(run(call, x, n, up), call)
        except Raised as exc:
            if exc.type == "ZeroDivisionError" and x == 0:
                fail(f"{call} raised ZeroDivisionError ({exc.message}).", "undefined_at_zero")
            if exc.type == "ValueError" and "domain" in exc.message and x <= 0:
                fail(f"{call} raised ValueError ({exc.message}).", "log_domain")
            raise
        expected = up * n * x ** (n - 1.0)
        if same(float(got), expected, rtol=1e-12, atol=1e-15):  # a central difference is off by ~1e-11
            continue
        shown, wanted = fmt_both(got, expected)
        detail = f"{call} returned {shown}; expected {wanted}."
        if isinstance(got, np.floating) and got.dtype.itemsize < 8:
            fail(f"{detail} Your answer is {got.dtype}.", "float32")
        if same(float(got), expected, rtol=1e-4, atol=1e-15):
            fail(f"{detail} Yours is right to a few digits only.", "numerical")
        if x <= 0 and not math.isfinite(got):  # n x^n / x at 0; np.exp((n - 1) * np.log(x)) is nan below 0
            fail(detail, "undefined_at_zero" if x == 0 else "log_domain")
        diagnose(got, detail, [
            ("zero_special_case", 0.0 if x == 0 else None), ("exponent_not_lowered", up * n * x**n),
            ("forgot_factor_n", up * x ** (n - 1.0)), ("no_upstream", n * x ** (n - 1.0)),
            ("exponent_rule", up * x**n * math.log(x) if x > 0 else None), ("abs", up * n * abs(x) ** (n - 1.0)),
            ("factor_n_minus_1", up * (n - 1.0) * x ** (n - 1.0)),
            ("integrated", up * x ** (n + 1.0) / (n + 1.0) if n != -1 else None),
            ("precedence", up * n * x**n - 1.0), ("precedence", up * n * (x**n - 1.0)),
            ("int_exponent", up * int(n) * x ** (n - 1.0)), ("int_exponent", up * n * x ** (int(n) - 1.0)),
            ("forward_value", up * x**n)])
        fail(detail + " dL/dx = upstream * n * x^(n-1).")
