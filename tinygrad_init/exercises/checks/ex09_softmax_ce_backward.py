"""Check for ex09: the gradient of the mean softmax cross-entropy with respect to the logits."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from .. import catalog
from ._common import expect_array, fail, max_error, same, student_function

EX = catalog.get("softmax_ce_backward")


def _softmax(z: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(5)
    return [
        ("random logits (4, 3)", rng.normal(size=(4, 3)) * 2.0, np.array([0, 2, 1, 2])),
        ("random logits (6, 5)", rng.normal(size=(6, 5)), rng.integers(0, 5, size=6)),
        ("large logits (2, 3)", np.array([[1000.0, 0.0, -1000.0], [5.0, 1005.0, 2.0]]), np.array([1, 1])),
    ]


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for what, logits, targets in _cases():
        n, c = logits.shape
        call = f"{EX.function}({what}, targets={targets.tolist()})"
        with np.errstate(all="ignore"):
            got = fn(logits.copy(), targets.copy())
        onehot = np.eye(c)[targets]
        p = _softmax(logits, axis=1)
        expected = (p - onehot) / n
        if isinstance(got, np.ndarray) and got.shape == expected.shape and same(got, expected, atol=1e-12):
            continue
        if isinstance(got, np.ndarray) and got.shape == expected.shape:
            with np.errstate(all="ignore"):
                finite = bool(np.all(np.isfinite(got.astype(np.float64))))
            if not finite and np.abs(logits).max() > 700:
                fail(EX, f"{call}: your gradient contains nan or inf.", "unstable")
            if same(got, p - onehot, atol=1e-12):
                fail(EX, f"{call}: the numbers are {n} times too large.", "no_mean")
            if same(got, (onehot - p) / n, atol=1e-12):
                fail(EX, f"{call}: every number has the wrong sign.", "sign")
            if same(got, (_softmax(logits, axis=0) - onehot) / n, atol=1e-12):
                fail(EX, f"{call}: the probabilities do not sum to 1 along each row.", "wrong_axis")
        arr = expect_array(EX, got, expected.shape, call)
        fail(EX, f"{call}: wrong numbers, {max_error(arr, expected)}. The gradient is (softmax(logits) - onehot) / N.")
