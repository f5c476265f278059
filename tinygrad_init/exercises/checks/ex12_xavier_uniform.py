"""Check for ex12: Xavier/Glorot uniform initialization, U(-a, a) with a = sqrt(6 / (fan_in + fan_out))."""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np

from .. import catalog
from ._common import fail, fmt, student_function
from ._init_common import check_randomness, draw, kurtosis, summary

EX = catalog.get("xavier_uniform")


def _bound(fan_in: int, fan_out: int) -> float:
    return math.sqrt(6.0 / (fan_in + fan_out))


def _near(x: float, y: float, rel: float) -> bool:
    return abs(x - y) <= rel * abs(y)


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    check_randomness(EX, fn, (4, 3))

    # Distribution: 40 000 samples of a (400, 100) weight; fan_in != fan_out tells the fans apart.
    shape = (400, 100)
    fan_in, fan_out = shape
    a = _bound(fan_in, fan_out)
    w = draw(EX, fn, shape, 0, np.float64)
    call = f"{EX.function}({shape}, rng=0, dtype=np.float64)"
    top = float(np.abs(w).max())
    std = float(w.std())
    if kurtosis(w) > 2.3 or top > 2.2 * std:
        fail(EX, f"{call}: {summary(w)}; a uniform U(-a, a) has max |w| = sqrt(3) * std.", "normal")
    if not (top <= a * (1 + 1e-12) and top >= 0.99 * a):
        detail = (f"{call}: your numbers reach +-{fmt(top)}; expected the bound a = sqrt(6 / (fan_in + fan_out)) "
                  f"= sqrt(6 / {fan_in + fan_out}) = {fmt(a)}.")
        if _near(top, math.sqrt(3.0 / fan_in), 0.01) or _near(top, math.sqrt(3.0 / fan_out), 0.01):
            fail(EX, detail, "lecun_bound")
        if _near(top, math.sqrt(2.0 / (fan_in + fan_out)), 0.01):
            fail(EX, detail, "std_as_bound")
        fail(EX, detail)
    if not _near(std, a / math.sqrt(3.0), 0.02) or abs(float(w.mean())) > 4 * std / math.sqrt(w.size):
        fail(EX, f"{call}: {summary(w)}; expected mean 0 and std a / sqrt(3) = {fmt(a / math.sqrt(3.0))} "
                 "(uniform on [-a, a]).")

    # A convolution kernel (in, out, kh, kw): the fans include the receptive field.
    shape = (8, 4, 3, 3)
    a = _bound(8 * 9, 4 * 9)
    w = draw(EX, fn, shape, 2, np.float64)
    top = float(np.abs(w).max())
    if not (top <= a * (1 + 1e-12) and top >= 0.95 * a):
        detail = (f"{EX.function}({shape}, rng=2, dtype=np.float64): your numbers reach +-{fmt(top)}; expected "
                  f"a = sqrt(6 / (72 + 36)) = {fmt(a)} (fan_in = 8*3*3, fan_out = 4*3*3).")
        if _near(top, _bound(8, 4), 0.05):
            fail(EX, detail, "no_receptive_field")
        fail(EX, detail)
