"""Check for ex02: the backward of y = x ** n (n a constant)."""

from __future__ import annotations

import math
from types import ModuleType

from .. import catalog
from ._common import call_repr, expect_float, fail, fmt, same, student_function

EX = catalog.get("pow_backward")

# (x, n, upstream); on the first case every known mistake gives a different number.
CASES = [(1.5, 3.0, -0.7), (2.0, -1.0, 0.3), (0.8, 0.5, 2.0), (-1.2, 2.0, 1.1)]


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for x, n, up in CASES:
        call = call_repr(EX.function, x=x, n=n, upstream=up)
        got = expect_float(EX, fn(x, n, up), call)
        expected = up * n * x ** (n - 1.0)
        if same(got, expected):
            continue
        detail = f"{call} returned {fmt(got)}; expected {fmt(expected)}."
        if same(got, up * n * x**n):
            fail(EX, detail, "exponent_not_lowered")
        if same(got, up * x ** (n - 1.0)):
            fail(EX, detail, "forgot_factor_n")
        if same(got, n * x ** (n - 1.0)):
            fail(EX, detail, "no_upstream")
        if x > 0 and same(got, up * x**n * math.log(x)):
            fail(EX, detail, "exponent_rule")
        fail(EX, detail + " dL/dx = upstream * n * x^(n-1).")
