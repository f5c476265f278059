"""ex07: summing a gradient back to the shape of a broadcast input."""

from __future__ import annotations

import numpy as np

from ..kit import Exercise, Raised, Session, expect_array, fail, max_error, same, unseen

EXERCISE = Exercise(
    7, "unbroadcast", "unbroadcast", "Undo broadcasting in a gradient", 3, "undoing broadcasting in a gradient",
    {
        "leading_only": "you summed only the leading axes that broadcasting added. Also sum every axis where "
                        "`shape` has size 1 but the gradient does not, with keepdims=True.",
        "no_keepdims": "size-1 axes must stay: sum them with keepdims=True, so that the result has exactly "
                       "the shape asked for, e.g. (3, 1) rather than (3,).",
        "mean": "every broadcast copy of an element sends its own gradient back, and they add up: use sum, "
                "not mean.",
        "left_aligned": "numpy aligns shapes from the RIGHT: a (4,) array broadcast to (3, 4) gained the "
                        "LEADING axis. Sum the first grad.ndim - len(shape) axes, not the last ones.",
        "reshape": "reshape keeps every element, so it only works when nothing was broadcast (a batch of 1). "
                   "Broadcasting made copies, and the copies' gradients must be SUMMED.",
        "broadcast_to": "np.broadcast_to goes the other way (the forward pass). The backward of a broadcast "
                        "is a sum over the broadcast axes.",
        "first_copy": "you kept the gradient of the first copy only. Every copy made by broadcasting sends "
                      "its own gradient back, and they add up: sum over the broadcast axes.",
        "extra_ones": "the axes that broadcasting added in front must disappear (sum them without keepdims); "
                      "only the size-1 axes of `shape` stay.",
        "sum_all": "summing everything gives one number. Sum only the axes that broadcasting added or "
                   "stretched.",
        "one_leading_axis": "broadcasting can add several leading axes: sum all grad.ndim - len(shape) of "
                            "them, not only the first.",
        "first_one_only": "every axis where `shape` has size 1 and the gradient does not was stretched: sum each "
                          "of them (keepdims=True), not only the first one found.",
        "unaligned": "the axes of `shape` line up with the LAST axes of the gradient: once the leading axes are "
                     "summed away (or as grad.shape[i + extra]), compare shape[i] with the gradient's axis i, "
                     "not with grad.shape[i] of the gradient as it came in.",
    },
)

# (gradient shape, input shape). The square first case tells left-aligned from right-aligned sums;
# the batch of one comes before larger batches; ((2, 5), (1, 5)) stretches a size-1 axis to 2, as no other does;
# ((4, 3, 5), (1, 3, 1)) stretches two; the last three have a size-1 axis in the gradient too, so that an answer that
# compares shape[i] with another axis of the gradient (grad.shape[i] before the leading sum) fails.
CASES = [((4, 4), (4,)), ((1, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((2, 3, 4), (3, 1)),
         ((2, 3, 4), (4,)), ((2, 3), ()), ((3, 4), (3, 4)), ((5, 1, 3), (1, 3)), ((2, 3, 4), (2, 1, 4)),
         ((2, 5), (1, 5)), ((4, 3, 5), (1, 3, 1)), ((4, 1), (1, 1)), ((1, 4), (1, 1)), ((2, 1, 3, 4), (1, 1, 1))]


def _reference(grad: np.ndarray, shape: tuple[int, ...], mode: str) -> np.ndarray:
    """The answer, right (`mode="right"`) or as a known mistake computes it."""
    extra, given = grad.ndim - len(shape), grad.shape
    reduce = np.mean if mode == "mean" else np.sum
    if mode == "sum_all":
        return np.asarray(grad.sum())
    if mode == "left_aligned":
        grad = reduce(grad, axis=tuple(range(len(shape), grad.ndim)))
    elif mode == "first_copy":
        grad = grad[(0,) * extra]
    elif mode == "one_leading_axis":
        grad = grad.sum(axis=0) if extra else grad
    else:
        grad = reduce(grad, axis=tuple(range(extra)), keepdims=mode == "extra_ones")
    if mode == "leading_only":
        return np.asarray(grad)
    lead = grad.ndim - len(shape)
    seen = given if mode == "unaligned" else grad.shape[lead:]
    axes = tuple(lead + i for i, n in enumerate(shape) if n == 1 and seen[i] != 1)
    axes = axes[:1] if mode == "first_one_only" else axes
    if mode == "first_copy":
        return np.asarray(grad[tuple(slice(0, 1) if i in axes else slice(None) for i in range(grad.ndim))])
    if axes:
        grad = reduce(grad, axis=axes, keepdims=mode != "no_keepdims")
    return np.asarray(grad)


def _shapes(g: np.random.Generator) -> tuple:
    """A pair of shapes drawn afresh (with a published pair, a table of their axes passed), with an axis added in front
    and, behind it, an axis of size 1 and one kept: a rule that handles one kind only fails it, table or not."""
    while True:
        gshape = tuple(g.integers(2, 6, size=int(g.integers(3, 5))).tolist())
        tail = gshape[int(g.integers(1, len(gshape) - 1)):]
        ones = g.permutation(len(tail))[: int(g.integers(1, len(tail)))].tolist()
        shape = tuple(1 if i in ones else n for i, n in enumerate(tail))
        if (gshape, shape) not in CASES:
            return gshape, shape


def check(run: Session) -> None:
    seeded = np.random.default_rng(7)
    for (gshape, shape), rng in unseen([(case, seeded) for case in CASES], lambda fresh: (_shapes(fresh), fresh)):
        grad = rng.normal(size=gshape)
        call = f"unbroadcast(grad of shape {gshape}, shape={shape})"
        try:
            got = run(call, grad, shape)
        except Raised as exc:
            if exc.type == "ValueError" and "reshape" in exc.message + exc.text:
                fail(f"{call} raised ValueError: {exc.message}.", "reshape")
            if exc.type == "ValueError" and "broadcast_to" in exc.text:
                fail(f"{call} raised ValueError: {exc.message}.", "broadcast_to")
            raise
        if shape == () and isinstance(got, (float, np.floating)):
            got = np.asarray(got)
        expected = _reference(grad, shape, "right")
        if isinstance(got, np.ndarray) and got.shape == shape and same(got, expected):
            continue
        for mode in ("left_aligned", "leading_only", "no_keepdims", "mean", "first_copy", "extra_ones", "sum_all",
                     "one_leading_axis", "first_one_only", "unaligned"):
            wrong = _reference(grad, shape, mode)
            if isinstance(got, np.ndarray) and got.shape == wrong.shape and same(got, wrong):
                if got.shape == shape:
                    fail(f"{call}: wrong numbers, {max_error(got, expected)}.", mode)
                fail(f"{call} returned shape {got.shape}; expected shape {shape}.", mode)
        rule = "Sum over the axes that broadcasting added (the leading ones) and over the axes where shape has size 1."
        if isinstance(got, np.ndarray) and got.shape != shape:
            fail(f"{call} returned shape {got.shape}; expected shape {shape}. {rule}")
        got = expect_array(got, shape, call)
        fail(f"{call}: wrong numbers, {max_error(got, expected)}. {rule}")
