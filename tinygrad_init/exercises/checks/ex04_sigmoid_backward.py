"""Check for ex04: the backward of s = sigmoid(x)."""

from __future__ import annotations

import math
from types import ModuleType

from .. import catalog
from ._common import call_repr, expect_float, fail, fmt, raised_in, same, student_function

EX = catalog.get("sigmoid_backward")

# (x, upstream); the last two test that exp never overflows (float64 exp overflows above ~709).
CASES = [(0.7, 1.3), (-1.5, -0.6), (3.0, 0.8), (0.0, 2.0), (-800.0, 1.0), (800.0, -1.0)]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    path = getattr(module, "__file__", None)
    for x, up in CASES:
        call = call_repr(EX.function, x=x, upstream=up)
        try:
            raw = fn(x, up)
        except OverflowError as exc:
            if raised_in(exc, path):
                fail(EX, f"{call} raised OverflowError: {exc}.", "overflow")
            raise
        got = expect_float(EX, raw, call)
        s = _sigmoid(x)
        expected = up * s * (1.0 - s)
        if same(got, expected, atol=1e-300):
            continue
        detail = f"{call} returned {fmt(got)}; expected {fmt(expected)}."
        if math.isnan(got) and abs(x) > 700:
            fail(EX, detail, "overflow")
        if same(got, up * x * (1.0 - x)):
            fail(EX, detail, "used_input")
        if same(got, s * (1.0 - s)):
            fail(EX, detail, "no_upstream")
        if same(got, up * (1.0 - s * s)):
            fail(EX, detail, "tanh_rule")
        fail(EX, detail + " dL/dx = upstream * s * (1 - s) with s = sigmoid(x).")
