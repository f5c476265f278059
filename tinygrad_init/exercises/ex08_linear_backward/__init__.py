"""ex08: the backward of y = x @ W + b."""

from __future__ import annotations

import numpy as np

from ..kit import (
    Exercise,
    Session,
    diagnose,
    expect_array,
    expect_sequence,
    fail,
    max_error,
    same,
    unseen,
)

EXERCISE = Exercise(
    8, "linear_backward", "linear_backward", "Backward of a Linear layer y = x @ W + b", 3,
    "the backward rule of a Linear layer",
    {
        "dx_no_transpose": "dx = g @ W.T: the gradient flows back through W transposed, (N, fan_out) @ "
                           "(fan_out, fan_in). You used W without the transpose (which only runs when W is square).",
        "dW_transposed": "dW must have W's shape (fan_in, fan_out): dW = x.T @ g. You computed its "
                         "transpose, g.T @ x.",
        "db_mean": "the bias is added to every row of the batch, so its gradient is the SUM over the "
                   "batch, g.sum(axis=0), not the mean.",
        "db_not_summed": "db must have the bias's shape (fan_out,): sum g over the batch axis, g.sum(axis=0).",
        "outer": "np.outer(x, g) is x.T @ g only for a batch of one row. For a batch, dW = x.T @ g sums the "
                 "rows' outer products (the outer product of the sums, np.outer(x.sum(0), g.sum(0)), is not it).",
        "first_row": "db = g[0] is right only for a batch of one row: the bias gradient is the sum over the "
                     "batch, g.sum(axis=0).",
        "db_sum_all": "sum over the batch axis only, g.sum(axis=0): summing everything gives one number.",
        "db_wrong_axis": "sum over the batch (axis 0), which leaves one number per output; you summed over the "
                         "outputs (axis 1).",
        "dx_transposed": "dx must have x's shape (N, fan_in): dx = g @ W.T. You computed its transpose, W @ g.T.",
        "dW_mean": "dW = x.T @ g, not divided by N: the upstream gradient g already carries the loss's 1/N.",
        "dW_no_transpose": "dW = x.T @ g: without the transpose, x @ g only runs when the batch size equals "
                           "fan_in, and gives the wrong numbers then.",
        "order": "return the three in the order (dx, dW, db): your first one is dW = x.T @ g.",
        "squeezed": "np.squeeze drops EVERY axis of size 1: for a batch of one row or a single output (fan_out = 1, "
                    "a regression head) it changes the shape. Return each gradient in the shape of what it is the "
                    "gradient of: g.sum(axis=0) is (fan_out,) already.",
        "loop_overwrite": "only the last row of the batch counted: a loop over the rows must ADD each row's "
                          "share, dW += np.outer(x[n], g[n]) and db += g[n] (starting from zeros); assigning "
                          "keeps the last one.",
    },
)

# (batch N, fan_in, fan_out). In the first case every product of x, W and g runs, so a misplaced
# transpose gives numbers, not a shape error; a batch of one row hides sums over the batch; one output (a regression
# head) keeps db of shape (1,), which a squeeze drops.
CASES = [(4, 4, 4), (3, 4, 4), (1, 6, 3), (4, 4, 2), (5, 3, 2), (3, 2, 3), (4, 3, 1)]


def check(run: Session) -> None:
    seeded = np.random.default_rng(11)
    for (n, fan_in, fan_out), rng in unseen([(case, seeded) for case in CASES], lambda fresh: ((3, 4, 2), fresh)):
        x, W, g = rng.normal(size=(n, fan_in)), rng.normal(size=(fan_in, fan_out)), rng.normal(size=(n, fan_out))
        call = f"linear_backward(x {x.shape}, W {W.shape}, g {g.shape})"
        dx, dW, db = expect_sequence(run(call, x, W, g), 3, call, "(dx, dW, db)")
        want = {"dx": g @ W.T, "dW": x.T @ g, "db": g.sum(axis=0)}
        wrong = {
            "dx": [("dx_no_transpose", g @ W if fan_in == fan_out else None), ("dx_transposed", W @ g.T),
                   ("order", x.T @ g)],
            "dW": [("dW_transposed", g.T @ x), ("dW_mean", x.T @ g / n), ("outer", np.outer(x, g)),
                   ("outer", np.outer(x[0], g[0])), ("outer", np.outer(x.sum(0), g.sum(0))),
                   ("loop_overwrite", np.outer(x[-1], g[-1])),
                   ("dW_no_transpose", x @ g if n == fan_in else None)],
            "db": [("db_mean", g.mean(axis=0)), ("db_not_summed", g), ("first_row", g[0]),
                   ("loop_overwrite", g[-1]), ("db_sum_all", g.sum()), ("db_wrong_axis", g.sum(axis=1))],
        }
        for name, value in (("dx", dx), ("dW", dW), ("db", db)):
            ref = want[name]
            wrong[name].insert(0, ("squeezed", np.squeeze(ref) if 1 in ref.shape else None))
            if isinstance(value, np.ndarray) and same(value, ref):
                continue
            shown = np.shape(value) if isinstance(value, np.ndarray) else None
            detail = (f"{call}: {name} has the wrong numbers, {max_error(value, ref)}." if shown == ref.shape
                      else f"{call}: {name} has shape {shown}, but it should have shape {ref.shape}.")
            diagnose(value, detail, wrong[name])
            arr = expect_array(value, ref.shape, f"{call}: {name}")
            rule = {"dx": "dx = g @ W.T", "dW": "dW = x.T @ g", "db": "db = g.sum(axis=0)"}[name]
            fail(f"{call}: {name} has the wrong numbers, {max_error(arr, ref)}. The rule: {rule}.")
