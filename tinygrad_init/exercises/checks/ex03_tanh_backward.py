"""Check for ex03: the backward of t = tanh(x)."""

from __future__ import annotations

import math
from types import ModuleType

from .. import catalog
from ._common import call_repr, expect_float, fail, fmt, same, student_function

EX = catalog.get("tanh_backward")

# (x, upstream)
CASES = [(0.5, 1.3), (-1.2, -0.4), (2.5, 0.9), (0.0, -2.0), (30.0, 1.5)]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for x, up in CASES:
        call = call_repr(EX.function, x=x, upstream=up)
        got = expect_float(EX, fn(x, up), call)
        t = math.tanh(x)
        expected = up * (1.0 - t * t)
        if same(got, expected, atol=1e-12):
            continue
        detail = f"{call} returned {fmt(got)}; expected {fmt(expected)}."
        if same(got, up * (1.0 - x * x)):
            fail(EX, detail, "used_input")
        if same(got, up * (1.0 - t)):
            fail(EX, detail, "no_square")
        if same(got, 1.0 - t * t):
            fail(EX, detail, "no_upstream")
        s = _sigmoid(x)
        if same(got, up * s * (1.0 - s)):
            fail(EX, detail, "sigmoid_rule")
        fail(EX, detail + " dL/dx = upstream * (1 - tanh(x)^2).")
