"""Check for ex13: He/Kaiming normal initialization, N(0, 2 / fan_in)."""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np

from .. import catalog
from ._common import fail, fmt, student_function
from ._init_common import check_randomness, draw, kurtosis, summary

EX = catalog.get("he_normal")


def _near(x: float, y: float, rel: float) -> bool:
    return abs(x - y) <= rel * abs(y)


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    check_randomness(EX, fn, (4, 3))

    # Distribution: 100 000 samples of a (500, 200) weight; fan_in != fan_out tells the fans apart.
    shape = (500, 200)
    fan_in, fan_out = shape
    want = math.sqrt(2.0 / fan_in)
    w = draw(EX, fn, shape, 0, np.float64)
    call = f"{EX.function}({shape}, rng=0, dtype=np.float64)"
    std = float(w.std())
    k = kurtosis(w)
    if k < 2.1:
        fail(EX, f"{call}: {summary(w)}; the numbers are spread evenly up to a bound, with no tails.", "uniform")
    if k < 2.75:
        fail(EX, f"{call}: {summary(w)}; no number lies beyond about 2 standard deviations.", "truncated")
    if not _near(std, want, 0.02):
        detail = f"{call}: {summary(w)}; expected std sqrt(2 / fan_in) = sqrt(2 / {fan_in}) = {fmt(want)}."
        if _near(std, math.sqrt(2.0 / fan_out), 0.02):
            fail(EX, detail, "fan_out")
        if _near(std, 2.0 / fan_in, 0.02):
            fail(EX, detail, "variance_as_std")
        if _near(std, math.sqrt(1.0 / fan_in), 0.02):
            fail(EX, detail, "lecun")
        fail(EX, detail)
    if abs(float(w.mean())) > 4 * std / math.sqrt(w.size):
        fail(EX, f"{call}: {summary(w)}; expected mean 0.")

    # A convolution kernel (in, out, kh, kw): fan_in = in * kh * kw.
    shape = (16, 8, 5, 5)
    want = math.sqrt(2.0 / (16 * 25))
    w = draw(EX, fn, shape, 2, np.float64)
    std = float(w.std())
    if not _near(std, want, 0.1):
        detail = (f"{EX.function}({shape}, rng=2, dtype=np.float64): {summary(w)}; expected std "
                  f"sqrt(2 / (16*5*5)) = {fmt(want)}.")
        if _near(std, math.sqrt(2.0 / 16), 0.1):
            fail(EX, detail, "no_receptive_field")
        fail(EX, detail)
