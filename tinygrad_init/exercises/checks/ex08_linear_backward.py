"""Check for ex08: the backward of y = x @ W + b."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from .. import catalog
from ._common import expect_array, expect_sequence, fail, max_error, same, student_function

EX = catalog.get("linear_backward")

# (batch N, fan_in, fan_out). The square first case lets a dropped or misplaced transpose run
# without a shape error, so that the check can recognise it by its numbers.
CASES = [(3, 4, 4), (5, 3, 2), (1, 6, 3)]


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    rng = np.random.default_rng(11)
    for n, fan_in, fan_out in CASES:
        x = rng.normal(size=(n, fan_in))
        W = rng.normal(size=(fan_in, fan_out))
        g = rng.normal(size=(n, fan_out))
        call = f"{EX.function}(x {x.shape}, W {W.shape}, g {g.shape})"
        got = expect_sequence(EX, fn(x.copy(), W.copy(), g.copy()), 3, call, "(dx, dW, db)")
        dx, dW, db = got
        want = {"dx": g @ W.T, "dW": x.T @ g, "db": g.sum(axis=0)}
        if fan_in == fan_out and same(dx, g @ W) and not same(dx, want["dx"]):
            fail(EX, f"{call}: dx has the wrong numbers, {max_error(dx, want['dx'])}.", "dx_no_transpose")
        if same(dW, g.T @ x) and not same(dW, want["dW"]):
            if fan_in == fan_out:
                fail(EX, f"{call}: dW has the wrong numbers, {max_error(dW, want['dW'])}.", "dW_transposed")
            fail(EX, f"{call}: dW has shape {dW.shape}, but W has shape {W.shape}.", "dW_transposed")
        if same(db, g.mean(axis=0)) and not same(db, want["db"]):
            fail(EX, f"{call}: db has the wrong numbers, {max_error(db, want['db'])}.", "db_mean")
        if isinstance(db, np.ndarray) and db.shape == g.shape:
            fail(EX, f"{call}: db has shape {db.shape}; the bias has shape ({fan_out},).", "db_not_summed")
        for name, value in zip(("dx", "dW", "db"), (dx, dW, db)):
            ref = want[name]
            arr = expect_array(EX, value, ref.shape, f"{call}: {name}")
            if not same(arr, ref):
                rule = {"dx": "dx = g @ W.T", "dW": "dW = x.T @ g", "db": "db = g.sum(axis=0)"}[name]
                fail(EX, f"{call}: {name} has the wrong numbers, {max_error(arr, ref)}. The rule: {rule}.")
