"""ex01: the backward of a product c = a * b."""

from __future__ import annotations

import numpy as np

from ..kit import (
    SIGN_HINTS,
    Exercise,
    Raised,
    Session,
    describe,
    diagnose,
    expect_float,
    expect_sequence,
    fail,
    fmt,
    fmt_both,
    same,
    unseen,
)

EXERCISE = Exercise(
    1, "mul_backward", "mul_backward", "Backward of a product c = a * b", 1, "the backward rule of a product",
    {
        "swapped": "the local derivative of a product with respect to one input is the OTHER input: "
                   "dc/da = b and dc/db = a. You returned them the wrong way round.",
        "no_upstream": "you returned the local derivatives dc/da, dc/db alone. The chain rule multiplies "
                       "them by the upstream gradient: dL/da = upstream * b, dL/db = upstream * a.",
        "add_rule": "that is the backward of addition (both inputs get the upstream gradient). For a "
                    "product each input gets upstream times the other input.",
        "same_twice": "both gradients are the same number: dL/da = upstream * b but dL/db = upstream * a "
                      "(a copied line?).",
        "product_as_local": "you multiplied the upstream gradient by the output c = a * b. The local "
                            "derivative dc/da is b alone (and dc/db is a).",
        "added_upstream": "the chain rule MULTIPLIES the upstream gradient by the local derivative: "
                          "upstream * b, not upstream + b.",
        "divided": "the local derivative multiplies the upstream gradient: upstream * b, not upstream / b.",
        "one_value": "return both gradients, as a tuple (dL/da, dL/db).",
        "undefined_at_zero": "c / b equals a only when b != 0: write the local derivatives with the inputs "
                             "themselves, dc/da = b and dc/db = a, which hold at 0 too.",
        "sign": "no minus sign: the derivatives of a * b are +b and +a.",
        "zero_special_case": "an input of 0 makes the product 0, not its gradients: dL/da = upstream * b is 0 only "
                             "where b is 0. Drop the special case: upstream * b and upstream * a hold at 0 too.",
        **SIGN_HINTS,
    },
)

# (a, b, upstream): no two mistakes give the same numbers on the first case; 0 appears as either input.
CASES = [(3.0, -2.0, 0.5), (-1.25, 4.0, -3.0), (0.0, 2.5, 1.5), (2.5, 0.0, -1.5), (7.0, 7.0, 0.25)]


def check(run: Session) -> None:
    for i, (a, b, up) in enumerate(unseen(CASES, lambda g: tuple(np.round(g.uniform(-4.0, 4.0, 3), 2).tolist()))):
        call = f"mul_backward(a={fmt(a)}, b={fmt(b)}, upstream={fmt(up)})"
        try:
            got = run(call, a, b, up)
        except Raised as exc:
            if exc.type == "ZeroDivisionError" and 0.0 in (a, b):
                fail(f"{call} raised ZeroDivisionError ({exc.message}).", "undefined_at_zero")
            raise
        if isinstance(got, (int, float)):
            fail(f"{call} returned one number, {fmt(got)}; expected a tuple (da, db).", "one_value")
        pair = expect_sequence(got, 2, call, "(da, db)")
        da, db = expect_float(pair[0], f"{call}: da"), expect_float(pair[1], f"{call}: db")
        expected = (up * b, up * a)
        if same((da, db), expected):
            continue
        shown, wanted = fmt_both((da, db), expected)
        detail = f"{call} returned {shown}; expected {wanted}."
        if 0.0 in (a, b) and not same((da, db), (da, db)):
            fail(detail + f" Your result is not a number: {describe(da)}, {describe(db)}.", "undefined_at_zero")
        sign = "sign_some_inputs" if i else "sign"  # a case passed before: a sign error there is not global
        diagnose((da, db), detail, [
            ("swapped", (up * a, up * b)), ("no_upstream", (b, a)), ("add_rule", (up, up)),
            ("zero_special_case", (0.0, 0.0) if 0.0 in (a, b) else None),
            ("same_twice", (up * b, up * b)), ("same_twice", (up * a, up * a)),
            ("product_as_local", (up * a * b, up * a * b)), ("added_upstream", (up + b, up + a)),
            ("divided", (up / b, up / a) if a and b else None), (sign, (-up * b, -up * a))])
        fail(detail + " Chain rule: dL/da = upstream * dc/da.")
