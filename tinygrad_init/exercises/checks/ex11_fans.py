"""Check for ex11: fan_in and fan_out of a weight shape, in this project's layout."""

from __future__ import annotations

import math
from types import ModuleType

from .. import catalog
from ._common import describe, expect_float, expect_sequence, fail, fmt, same, student_function

EX = catalog.get("fans")

CASES = [(3, 5), (784, 10), (16, 32, 3, 3), (4, 6, 5), (1, 1), (2, 3, 1, 1), (8, 2, 2, 3, 3)]


def _wrong_answers(shape: tuple[int, ...]) -> dict[str, tuple[int, int]]:
    rf = math.prod(shape[2:])
    rf_last = math.prod(shape[:-2])
    return {
        "swapped": (shape[1] * rf, shape[0] * rf),
        "no_receptive_field": (shape[0], shape[1]),
        "receptive_field_in_only": (shape[0] * rf, shape[1]),
        "last_two_axes": (shape[-2] * rf_last, shape[-1] * rf_last),
    }


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for shape in CASES:
        call = f"{EX.function}({shape})"
        pair = expect_sequence(EX, fn(shape), 2, call, "(fan_in, fan_out)")
        got = (expect_float(EX, pair[0], f"{call}: fan_in"), expect_float(EX, pair[1], f"{call}: fan_out"))
        rf = math.prod(shape[2:])
        expected = (shape[0] * rf, shape[1] * rf)
        if same(got, expected):
            continue
        detail = f"{call} returned ({fmt(got[0])}, {fmt(got[1])}); expected {expected}."
        for mistake, wrong in _wrong_answers(shape).items():
            if same(got, wrong):
                fail(EX, detail, mistake)
        fail(EX, detail + " fan_in = shape[0] * prod(shape[2:]), fan_out = shape[1] * prod(shape[2:]).")
    for shape in ((5,), ()):
        call = f"{EX.function}({shape})"
        try:
            result = fn(shape)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - any other error is the mistake this case looks for
            fail(EX, f"{call} raised {type(exc).__name__}: {exc}; expected a ValueError that says why.",
                 "no_error_1d")
        fail(EX, f"{call} returned {describe(result)}; expected it to raise ValueError.", "no_error_1d")
