"""ex11: fan_in and fan_out of a weight shape, in this project's layout (in, out, *receptive_field)."""

from __future__ import annotations

import math

import numpy as np

from ..kit import (
    Exercise,
    Raised,
    Session,
    describe,
    diagnose,
    expect_float,
    expect_sequence,
    fail,
    fmt,
    same,
    unseen,
)

EXERCISE = Exercise(
    11, "fans", "fans", "fan_in and fan_out of a weight shape", 5, "the fans of a weight shape",
    {
        "float_fans": "return the fans as ints: / gives a float (144.0) even where it divides evenly, and "
                      "np.prod(()) is the float 1.0 (the receptive field of a matrix). Multiply ints, "
                      "shape[0] * math.prod(shape[2:]), or divide with //.",
        "swapped": "this project stores weights as (fan_in, fan_out), because a layer computes y = x @ W "
                   "(PyTorch stores the transpose, (out, in)): fan_in is shape[0] and fan_out is shape[1].",
        "no_receptive_field": "a kernel (in, out, kh, kw) connects every input channel through kh*kw "
                              "positions: multiply both fans by the receptive field size prod(shape[2:]).",
        "receptive_field_in_only": "the receptive field multiplies BOTH fans: fan_in = shape[0] * "
                                   "prod(shape[2:]) and fan_out = shape[1] * prod(shape[2:]).",
        "receptive_field_out_only": "the receptive field multiplies BOTH fans, fan_in too: fan_in = shape[0] * "
                                    "prod(shape[2:]).",
        "last_two_axes": "this project reads a kernel shape as (in, out, *receptive_field) -- the 2-D layout "
                         "(fan_in, fan_out) with the kernel's axes appended -- so the channels are "
                         "shape[0] and shape[1], not the last two axes (the Keras/JAX layout).",
        "no_error_1d": "a 1-D shape (a bias vector) or a 0-D one has no separate input and output axes: "
                       "raise ValueError with a message saying so.",
        "no_error_0d": "a 0-D shape () has no fans either: raise ValueError for every shape with fewer than "
                       "two axes, before indexing it.",
        "assert_instead": "assert is for catching bugs (python -O switches it off) and raises AssertionError: "
                          "raise ValueError with a message for a shape that has no fans.",
        "same_fans": "fan_in and fan_out are different axes: shape[0] and shape[1] (they only coincide for a "
                     "square weight).",
        "sum_receptive_field": "the receptive field is the PRODUCT of the kernel's sizes (3 x 3 = 9 positions), "
                               "not their sum.",
        "two_d_kernel_only": "kernels have 1, 2 or 3 spatial axes (or more): the receptive field is the product "
                             "of ALL axes after the first two, math.prod(shape[2:]).",
    },
)

CASES = [(3, 5), (784, 10), (16, 32, 3, 3), (4, 6, 5), (1, 1), (2, 3, 1, 1), (8, 2, 2, 3, 3)]


def _wrong(shape: tuple[int, ...]) -> list[tuple[str, tuple | None]]:
    rf, rf_last = math.prod(shape[2:]), math.prod(shape[:-2])
    rf2 = shape[2] * shape[3] if len(shape) >= 4 else 1
    return [("swapped", (shape[1] * rf, shape[0] * rf)), ("no_receptive_field", (shape[0], shape[1])),
            ("receptive_field_in_only", (shape[0] * rf, shape[1])),
            ("receptive_field_out_only", (shape[0], shape[1] * rf)),
            ("last_two_axes", (shape[-2] * rf_last, shape[-1] * rf_last)),
            ("same_fans", (shape[0] * rf, shape[0] * rf)),
            ("sum_receptive_field", (shape[0] * sum(shape[2:]), shape[1] * sum(shape[2:]))),
            ("two_d_kernel_only", (shape[0] * rf2, shape[1] * rf2))]


def check(run: Session) -> None:
    # The fresh shape has 1 or 3 axes of receptive field, each of 2 or more (it had 2, so that a rule for 2 alone, with
    # the published shapes of other ranks looked up, passed).
    for shape in unseen(CASES, lambda g: tuple(g.integers(2, 50, 2).tolist()
                                               + g.integers(2, 6, int(g.choice([1, 3]))).tolist())):
        call = f"fans({shape})"
        try:
            pair = expect_sequence(run(call, shape), 2, call, "(fan_in, fan_out)")
        except Raised as exc:
            if exc.type in ("IndexError", "ValueError") and len(shape) not in (2, 4):  # shape[3]; a, b, c, d = shape
                fail(f"{call} raised {exc.type}: {exc.message}.", "two_d_kernel_only")
            raise
        got = (expect_float(pair[0], f"{call}: fan_in"), expect_float(pair[1], f"{call}: fan_out"))
        rf = math.prod(shape[2:])
        expected = (shape[0] * rf, shape[1] * rf)
        if same(got, expected) and not all(np.ndim(v) == 0 and np.asarray(v).dtype.kind in "iu" for v in pair):
            fail(f"{call} returned ({describe(pair[0])}, {describe(pair[1])}); expected the ints {expected}.",
                 "float_fans")
        if same(got, expected):
            continue
        detail = f"{call} returned ({fmt(got[0])}, {fmt(got[1])}); expected {expected}."
        diagnose(got, detail, _wrong(shape))
        fail(detail + " fan_in = shape[0] * prod(shape[2:]), fan_out = shape[1] * prod(shape[2:]).")
    for shape in ((5,), ()):
        call = f"fans({shape})"
        try:
            result = run(call, shape)
        except Raised as exc:
            if "ValueError" in exc.kinds and exc.message.strip():
                continue
            if "ValueError" in exc.kinds:
                fail(f"{call} raised ValueError with no message; say why the shape has no fans.",
                     "no_error_0d" if shape == () else "no_error_1d")
            detail = f"{call} raised {exc.type}: {exc.message}; expected a ValueError that says why."
            fail(detail, "assert_instead" if exc.type == "AssertionError" else
                 "no_error_0d" if shape == () else "no_error_1d")
        fail(f"{call} returned {describe(result)}; expected it to raise ValueError.",
             "no_error_0d" if shape == () else "no_error_1d")
