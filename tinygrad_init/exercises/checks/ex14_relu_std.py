"""Check for ex14: the mean-field prediction of the pre-activation std of every layer of a ReLU MLP."""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np

from .. import catalog
from ._common import expect_array, fail, fmt, same, student_function

EX = catalog.get("relu_std")

CASES = [
    ([100, 50, 50, 20, 10], [0.1, math.sqrt(2.0 / 50), 0.3, 0.05], 1.5),
    ([64, 64, 64, 64], [math.sqrt(2.0 / 64)] * 3, 1.0),  # He init: every layer has Var(z) = 2 E[x^2]
    ([10, 3], [0.2], 2.0),
]


def _predict(widths: list[int], stds: list[float], input_std: float, mode: str) -> np.ndarray:
    second = input_std**2 / (2.0 if mode == "half_on_input" else 1.0)  # E[h_0^2] = E[x^2]
    out = []
    for l, s in enumerate(stds, 1):
        n = widths[l] if mode == "fan_out" else widths[l - 1]
        q = n * s * s * second
        out.append(q if mode == "variance_returned" else math.sqrt(q))
        second = {"no_half": q, "halved_std": q / 4.0}.get(mode, q / 2.0)
    return np.array(out)


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for widths, stds, input_std in CASES:
        call = (f"{EX.function}(widths={widths}, weight_stds=[{', '.join(fmt(s) for s in stds)}], "
                f"input_std={fmt(input_std)})")
        got = fn(list(widths), list(stds), input_std)
        expected = _predict(widths, stds, input_std, "right")
        if isinstance(got, np.ndarray) and got.shape == expected.shape and same(got, expected):
            continue
        for mode in ("no_half", "halved_std", "variance_returned", "half_on_input", "fan_out"):
            if isinstance(got, np.ndarray) and same(got, _predict(widths, stds, input_std, mode)):
                fail(EX, f"{call} returned {fmt(got)}; expected {fmt(expected)}.", mode)
        arr = expect_array(EX, got, expected.shape, call)
        fail(EX, f"{call} returned {fmt(arr)}; expected {fmt(expected)}. "
                 "Var(z_l) = widths[l-1] * weight_stds[l-1]^2 * E[h_{l-1}^2], E[h_0^2] = input_std^2, "
                 "E[relu(z)^2] = Var(z) / 2.")
