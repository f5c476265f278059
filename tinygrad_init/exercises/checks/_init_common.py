"""What the two initialization checks share: calling the scheme, its randomness, its statistics."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..catalog import Exercise
from ._common import expect_array, fail, fmt


def draw(ex: Exercise, fn: Callable, shape: tuple[int, ...], rng: Any, dtype: Any = None) -> np.ndarray:
    """Call the student's scheme and check that it returned an array of ``shape`` and the right dtype."""
    if dtype is None:
        call = f"{ex.function}({shape}, rng={_rng_text(rng)})"
        result = fn(shape, rng=rng)
        want = np.float32
    else:
        call = f"{ex.function}({shape}, rng={_rng_text(rng)}, dtype=np.{np.dtype(dtype).name})"
        result = fn(shape, rng=rng, dtype=dtype)
        want = dtype
    arr = expect_array(ex, result, shape, call)
    if arr.dtype != np.dtype(want):
        fail(ex, f"{call} returned dtype {arr.dtype}; expected {np.dtype(want).name}"
                 + (" (the default dtype is np.float32)." if dtype is None else "."), "dtype")
    if not np.all(np.isfinite(arr)):
        fail(ex, f"{call} returned nan or inf.")
    return arr


def _rng_text(rng: Any) -> str:
    if isinstance(rng, np.random.Generator):
        return "np.random.default_rng(...)"
    return repr(rng)


def check_randomness(ex: Exercise, fn: Callable, shape: tuple[int, ...]) -> None:
    """Same seed -> same numbers; different seeds -> different numbers; a Generator and None are accepted."""
    a = draw(ex, fn, shape, 0)
    b = draw(ex, fn, shape, 0)
    if not np.array_equal(a, b):
        fail(ex, f"{ex.function}({shape}, rng=0) returned different numbers on two calls.", "ignores_rng")
    c = draw(ex, fn, shape, 1)
    if np.array_equal(a, c):
        fail(ex, f"{ex.function}({shape}, rng=0) and rng=1 returned the same numbers.", "fixed_seed")
    g1 = draw(ex, fn, shape, np.random.default_rng(123))
    g2 = draw(ex, fn, shape, np.random.default_rng(123))
    if not np.array_equal(g1, g2):
        fail(ex, f"{ex.function}({shape}, rng=np.random.default_rng(123)) returned different numbers for two "
                 "generators in the same state.", "ignores_rng")
    draw(ex, fn, shape, None)


def kurtosis(w: np.ndarray) -> float:
    """E[w^4] / E[w^2]^2 around the sample mean: 3 for a normal, 1.8 for a uniform, ~2.37 truncated at 2 sigma."""
    d = w.astype(np.float64) - w.mean()
    return float(np.mean(d**4) / np.mean(d**2) ** 2)


def summary(w: np.ndarray) -> str:
    w = w.astype(np.float64)
    return f"mean {fmt(w.mean())}, std {fmt(w.std())}, max |w| {fmt(np.abs(w).max())}"


__all__ = ["draw", "check_randomness", "kurtosis", "summary"]
