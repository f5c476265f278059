"""Check for ex10: a numerical gradient by central differences."""

from __future__ import annotations

from types import ModuleType
from typing import Callable

import numpy as np

from .. import catalog
from ._common import expect_array, fail, max_error, same, student_function

EX = catalog.get("central_difference")


def _f_factory(c: np.ndarray) -> tuple[Callable[[np.ndarray], float], Callable[[np.ndarray], np.ndarray]]:
    """f(x) = sum(c * x**3) + sum(sin(x)) -- curved enough that a forward difference is visibly off."""

    def f(x: np.ndarray) -> float:
        return float(np.sum(c * x**3) + np.sum(np.sin(x)))

    def grad(x: np.ndarray) -> np.ndarray:
        return 3.0 * c * x**2 + np.cos(x)

    return f, grad


def _differences(f: Callable[[np.ndarray], float], x: np.ndarray, h: float) -> dict[str, np.ndarray]:
    out = {k: np.zeros_like(x) for k in ("central", "forward", "backward", "divided_by_h")}
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        out["central"][i] = (fp - fm) / (2 * h)
        out["forward"][i] = (fp - fx) / h
        out["backward"][i] = (fx - fm) / h
        out["divided_by_h"][i] = (fp - fm) / h
    return out


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    rng = np.random.default_rng(3)
    for shape, h in (((4,), 1e-3), ((3, 2), 1e-4), ((5,), None)):
        x = rng.uniform(-1.5, 1.5, size=shape)
        c = rng.uniform(0.5, 2.0, size=shape)
        f, grad = _f_factory(c)
        x_given = x.copy()
        call = f"{EX.function}(f, x of shape {shape}{'' if h is None else f', h={h:g}'})"
        got = fn(f, x_given) if h is None else fn(f, x_given, h)
        h_used = 1e-5 if h is None else h
        if not np.array_equal(x_given, x):
            fail(EX, f"{call}: after the call x differs from what was passed in, "
                     f"{max_error(x_given, x)}.", "not_restored")
        exact = grad(x)
        ways = _differences(f, x.copy(), h_used)
        # Central differences are within ~h^2 |f'''| of the exact gradient (|f'''| <= 13 here);
        # the other formulas are off by ~h |f''| / 2, orders of magnitude more.
        tol = 10.0 * h_used**2 * 13 + 1e-8
        if isinstance(got, np.ndarray) and got.shape == x.shape and got.dtype.kind == "f" \
                and np.all(np.abs(got - exact) <= tol):
            continue
        for mode in ("forward", "backward", "divided_by_h"):
            if same(got, ways[mode], rtol=1e-6, atol=1e-9):
                fail(EX, f"{call}: the gradient is off: {max_error(np.asarray(got), exact)}.",
                     {"forward": "forward_difference", "backward": "backward_difference"}.get(mode, mode))
        arr = expect_array(EX, got, x.shape, call)
        fail(EX, f"{call}: wrong numbers compared with the exact gradient, {max_error(arr, exact)}. "
                 "For every element i: (f(x + h e_i) - f(x - h e_i)) / (2h), where e_i is 1 at i and 0 elsewhere.")
