"""ex09: the gradient of the mean softmax cross-entropy with respect to the logits."""

from __future__ import annotations

import numpy as np

from ..kit import (
    Exercise,
    Raised,
    Session,
    describe,
    diagnose,
    expect_array,
    fail,
    finite,
    max_error,
    same,
    unseen,
)

EXERCISE = Exercise(
    9, "softmax_ce_backward", "softmax_cross_entropy_backward",
    "Backward of softmax cross-entropy: (softmax - onehot) / N", 3, "the backward rule of softmax cross-entropy",
    {
        "no_mean": "the loss is the MEAN over the N rows, so every row's gradient is divided by N: "
                   "(softmax - onehot) / N.",
        "sign": "sign error: the gradient is softmax - onehot (the probability of the correct class must "
                "go up, so its gradient is negative), not onehot - softmax.",
        "unstable": "exp overflowed for logits of about 1000 (inf / inf = nan). Subtract each row's maximum "
                    "before exp: softmax(z) = softmax(z - max(z)).",
        "wrong_axis": "softmax normalizes each ROW over the classes (axis=1), not each column over the batch.",
        "global_max": "you subtracted the maximum of the whole array. A row far below the others then "
                      "underflows to exp(...) = 0 everywhere, and 0 / 0 = nan: subtract each ROW's maximum, "
                      "z.max(axis=1, keepdims=True).",
        "divided_by_classes": "divide by the number of rows N (the loss is a mean over the batch), not by "
                              "the number of classes.",
        "normalized_all": "each row's probabilities sum to 1: divide by the row sums (axis=1, keepdims=True), "
                          "not by the sum of the whole array.",
        "no_onehot": "the gradient is softmax minus the one-hot target: subtract 1 at each row's target class.",
        "wrt_probabilities": "-onehot / p is the gradient with respect to the probabilities p. With respect "
                             "to the logits it goes through the softmax and simplifies to p - onehot.",
        "column_index": "p[:, targets] subtracts 1 from whole columns. Pick one entry per row: "
                        "p[np.arange(N), targets] -= 1.",
        "row_index": "p[targets] selects whole ROWS numbered by the targets. Pick one entry per row: "
                     "p[np.arange(N), targets] -= 1.",
        "loss": "that is the loss itself (its mean, or one number per row). Return its GRADIENT with respect to "
                "the logits, one number per logit (an (N, C) array): (softmax - onehot) / N.",
        "eye_of_rows": "np.eye(N) is (N, N): the one-hot matrix has a row per example and a column per CLASS, "
                       "np.eye(C)[targets] with C = logits.shape[1] (it only runs when N = C).",
        "classes_from_targets": "the number of classes C is logits.shape[1], not targets.max() + 1: a batch need "
                                "not hold an example of the last class.",
        "no_keepdims": "e.sum(axis=1) and z.max(axis=1) have shape (N,), and numpy lines them up with the LAST "
                       "axis: column j is divided by row j's sum, or shifted by row j's maximum (it only runs when "
                       "the matrix is square). Keep the axis: e.sum(axis=1, keepdims=True), shape (N, 1).",
    },
)


def _softmax(z: np.ndarray, axis: int | None = 1, shift: str = "axis") -> np.ndarray:
    """Softmax along `axis` (None: the whole array), shifted by the maximum along it (or of everything)."""
    with np.errstate(all="ignore"):
        top = z.max() if shift == "all" else z.max(axis=axis, keepdims=axis is not None)
        e = np.exp(z - top)
        return e / e.sum(axis=axis, keepdims=True)


def _cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(5)
    return [
        ("random logits (3, 3)", rng.normal(size=(3, 3)) * 2.0, np.array([2, 0, 0])),
        ("random logits (4, 3)", rng.normal(size=(4, 3)) * 2.0, np.array([0, 2, 1, 2])),
        ("random logits (6, 5)", rng.normal(size=(6, 5)), rng.integers(0, 5, size=6)),
        ("large logits (2, 3)", np.array([[1000.0, 0.0, -1000.0], [5.0, 1005.0, 2.0]]), np.array([1, 1])),
        ("rows of very different scales (3, 3)",
         np.array([[1000.0, 999.0, 998.0], [0.5, -0.2, 0.1], [-1000.0, -999.0, -1001.0]]), np.array([0, 2, 1])),
    ]


def _wrong(logits: np.ndarray, targets: np.ndarray) -> list[tuple[str, np.ndarray | None]]:
    n, c = logits.shape
    onehot, p = np.eye(c)[targets], _softmax(logits)
    with np.errstate(all="ignore"):
        e, e0 = np.exp(logits - logits.max(axis=1, keepdims=True)), np.exp(logits - logits.max(axis=0, keepdims=True))
        no_keep = e / e.sum(axis=1) if n == c else None
        shifted = np.exp(logits - logits.max(axis=1)) if n == c else None
        col, row = p.copy(), p.copy()
        col[:, targets] -= 1.0
        row[targets] -= 1.0
        return [("no_mean", p - onehot), ("sign", (onehot - p) / n), ("wrong_axis", (_softmax(logits, 0) - onehot) / n),
                ("wrong_axis", (e / e.sum(axis=0, keepdims=True) - onehot) / n),  # one of the two axes wrong
                ("wrong_axis", (e0 / e0.sum(axis=1, keepdims=True) - onehot) / n),
                ("divided_by_classes", (p - onehot) / c), ("normalized_all", (_softmax(logits, None) - onehot) / n),
                ("normalized_all", (e / e.sum() - onehot) / n),
                ("no_onehot", p / n), ("wrt_probabilities", -onehot / p / n), ("column_index", col / n),
                ("row_index", row / n), ("no_keepdims", None if no_keep is None else (no_keep - onehot) / n),
                ("no_keepdims", None if shifted is None else (shifted / shifted.sum(1, keepdims=True) - onehot) / n),
                ("loss", -np.log(p[np.arange(n), targets]).mean()), ("loss", -np.log(p[np.arange(n), targets]))]


def check(run: Session) -> None:
    def fresh(g: np.random.Generator) -> tuple:  # rows moved by +-1000 (or not): small logits let exp overflow unseen
        shift = g.permutation([0.0, 0.0, 1000.0, -1000.0])[:, None]
        return "random logits (4, 3), two rows moved by +-1000", g.normal(size=(4, 3)) + shift, g.integers(0, 3, size=4)

    for what, logits, targets in unseen(_cases(), fresh):
        n, c = logits.shape
        call = f"softmax_cross_entropy_backward({what}, targets={targets.tolist()})"
        try:
            got = run(call, logits, targets)
        except Raised as exc:
            if exc.type == "ValueError" and f"shapes ({n},{c}) ({n},)" in exc.message:  # a row sum without its axis
                fail(f"{call} raised ValueError: {exc.message.strip()}.", "no_keepdims")
            if exc.type == "ValueError" and n != targets.max() + 1 and any(f"{a} {b}" in exc.message for a, b in (
                    (f"({n},{c})", f"({n},{n})"), (f"({n},{n})", f"({n},{c})"))):  # not np.eye(targets.max() + 1)
                fail(f"{call} raised ValueError: {exc.message.strip()}.", "eye_of_rows")  # np.eye(N)[targets] beside p
            if exc.type == "ValueError" and any(f"({n},{a}) ({n},{b})" in exc.message for a, b in (
                    (c, targets.max() + 1), (targets.max() + 1, c))):  # np.eye(targets.max() + 1)[targets]
                fail(f"{call} raised ValueError: {exc.message.strip()}.", "classes_from_targets")
            raise
        expected = (_softmax(logits) - np.eye(c)[targets]) / n
        if isinstance(got, np.ndarray) and got.shape == expected.shape and same(got, expected, atol=1e-12):
            continue
        if same(got, expected, atol=1e-12):  # the right numbers, but not in an ndarray
            expect_array(got, expected.shape, call)
        if isinstance(got, np.ndarray) and got.shape == expected.shape and got.dtype.kind in "fiu" and not finite(got):
            broken = ~np.all(np.isfinite(got.astype(np.float64)), axis=1)
            global_max = ~np.all(np.isfinite(_softmax(logits, shift="all")), axis=1)
            fail(f"{call}: your gradient contains nan or inf (rows {np.flatnonzero(broken).tolist()}).",
                 "global_max" if np.array_equal(broken, global_max) else "unstable")
        detail = (f"{call}: wrong numbers, {max_error(got, expected)}." if isinstance(got, np.ndarray)
                  and got.shape == expected.shape else f"{call} returned {describe(got)}; expected an ndarray of "
                  f"shape {expected.shape}.")
        diagnose(got, detail, _wrong(logits, targets), atol=1e-12)
        arr = expect_array(got, expected.shape, call)
        fail(f"{call}: wrong numbers, {max_error(arr, expected)}. The gradient is (softmax(logits) - onehot) / N.")
