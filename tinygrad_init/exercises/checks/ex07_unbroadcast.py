"""Check for ex07: summing a gradient back to the shape of a broadcast input."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from .. import catalog
from ._common import expect_array, fail, max_error, same, student_function

EX = catalog.get("unbroadcast")

# (gradient shape, input shape). The square first case tells left-aligned from right-aligned sums.
CASES = [((4, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((2, 3, 4), (3, 1)), ((2, 3), ()),
         ((3, 4), (3, 4)), ((5, 1, 3), (1, 3)), ((2, 3, 4), (2, 1, 4))]


def _reference(grad: np.ndarray, shape: tuple[int, ...], mode: str) -> np.ndarray:
    reduce = np.mean if mode == "mean" else np.sum
    extra = grad.ndim - len(shape)
    if mode == "left_aligned":
        grad = reduce(grad, axis=tuple(range(len(shape), grad.ndim)))
    else:
        grad = reduce(grad, axis=tuple(range(extra)))
    if mode == "leading_only":
        return np.asarray(grad)
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = reduce(grad, axis=axes, keepdims=mode != "no_keepdims")
    return np.asarray(grad)


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    rng = np.random.default_rng(7)
    for gshape, shape in CASES:
        grad = rng.normal(size=gshape)
        call = f"{EX.function}(grad of shape {gshape}, shape={shape})"
        got = fn(grad.copy(), shape)
        if shape == () and isinstance(got, (float, np.floating)):
            got = np.asarray(got)
        expected = _reference(grad, shape, "right")
        if isinstance(got, np.ndarray) and got.shape == shape and same(got, expected):
            continue
        for mode in ("left_aligned", "leading_only", "no_keepdims", "mean"):
            wrong = _reference(grad, shape, mode)
            if isinstance(got, np.ndarray) and got.shape == wrong.shape and same(got, wrong):
                if got.shape == shape:
                    fail(EX, f"{call}: wrong numbers, {max_error(got, expected)}.", mode)
                fail(EX, f"{call} returned shape {got.shape}; expected shape {shape}.", mode)
        got = expect_array(EX, got, shape, call)
        fail(EX, f"{call}: wrong numbers, {max_error(got, expected)}. Sum over the axes that broadcasting "
                 "added (the leading ones) and over the axes where shape has size 1.")
