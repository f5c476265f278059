"""Check for ex01: the backward of c = a * b."""

from __future__ import annotations

from types import ModuleType

from .. import catalog
from ._common import call_repr, expect_float, expect_sequence, fail, fmt, same, student_function

EX = catalog.get("mul_backward")

# (a, b, upstream): none of the wrong answers coincides with the right one on the first case.
CASES = [(3.0, -2.0, 0.5), (-1.25, 4.0, -3.0), (0.0, 2.5, 1.5), (7.0, 7.0, 0.25)]


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for a, b, up in CASES:
        call = call_repr(EX.function, a=a, b=b, upstream=up)
        got = fn(a, b, up)
        pair = expect_sequence(EX, got, 2, call, "(da, db)")
        da = expect_float(EX, pair[0], f"{call}: da")
        db = expect_float(EX, pair[1], f"{call}: db")
        expected = (up * b, up * a)
        if same((da, db), expected):
            continue
        detail = f"{call} returned ({fmt(da)}, {fmt(db)}); expected ({fmt(expected[0])}, {fmt(expected[1])})."
        if same((da, db), (up * a, up * b)):
            fail(EX, detail, "swapped")
        if same((da, db), (b, a)):
            fail(EX, detail, "no_upstream")
        if same((da, db), (up, up)):
            fail(EX, detail, "add_rule")
        fail(EX, detail + " Chain rule: dL/da = upstream * dc/da.")
