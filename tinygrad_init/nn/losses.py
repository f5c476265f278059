"""Loss functions on the tensor engine, each the mean of its terms (or, as PyTorch's `reduction`, `"sum"` or `"none"`,
the terms themselves) and a composition of engine ops, so their backward passes are the chain rule through those ops
(and the ledger shows every step)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.inputs import torch_numbers
from ..core.tensor import Tensor
from ..utils import check_choice, check_type, counted, unexpected

__all__ = ["mse_loss", "cross_entropy", "binary_cross_entropy_with_logits"]


def _inputs(fn: str, x: Any, target: Any, names: tuple[str, str]) -> tuple[Tensor, Tensor]:
    """`x` (a Tensor) and `target` as a Tensor of its shape (and its dtype if floating), or an error naming `fn`."""
    check_type(fn, names[0], x, Tensor, "a Tensor")
    if not isinstance(target, Tensor):
        try:  # also a ragged list, named by the loss rather than by numpy; not cast to integers (1.5 is not 1)
            target = Tensor(target, dtype=x.dtype if x.dtype.kind == "f" else None)
        except TypeError as e:
            raise TypeError(f"{fn}: expected numbers as {names[1]}; {e}") from None
    if target.data.shape != x.data.shape:  # no silent broadcasting: (n, 1) against (n,) would give (n, n) errors
        raise ValueError(f"{fn}: {names[0]} has shape {x.shape} but {names[1]} has shape {target.shape}; they must "
                         "match. " + (f"Reshape one of them, for example np.reshape({names[1]}, {x.shape})." if
                                      target.data.size == x.data.size else f"{names[1]} holds "
                                      f"{counted(target.data.size, 'number')} where {names[0]} holds {x.data.size}: "
                                      "give one for each, in its shape (no broadcasting)."))
    return x, target


_TERMS = "from the terms, l = {fn}({args}, reduction='none'): "
_WEIGHT = "w = np.asarray(weight, {x}.dtype), then l = {fn}({args}, reduction='none'): "  # x: logits (mse's pred)
_TORCH = {  # PyTorch's options of the losses -> what to write here, for reduction {r} (its ending {s}); {x}: logits
    ("cross_entropy", "weight"): "w = np.asarray(weight, logits.dtype)[np.asarray(targets, np.int64)], then l = "
                                 "cross_entropy(logits, targets, reduction='none'): {weighted}",
    ("cross_entropy", "ignore_index"): "y = np.asarray(targets); keep = y != ignore_index, then cross_entropy("
                                       "logits[keep], y[keep], reduction='{r}'){dropped}",
    ("cross_entropy", "label_smoothing"): _TERMS + "((1 - e) * l - e * logits.log_softmax(1).mean(1)){s}",
    ("binary_cross_entropy_with_logits", "weight"): _WEIGHT + "(w * l){s}",
    ("binary_cross_entropy_with_logits", "pos_weight"): "t = np.asarray(targets, logits.dtype); pw = np.asarray("
                                                        "pos_weight, logits.dtype), then (pw * t * (-logits).softplus("
                                                        ") + (1 - t) * logits.softplus()){s}",
    ("mse_loss", "weight"): _WEIGHT + "{weighted}"}
_ENDING = {"mean": ".mean()", "sum": ".sum()", "none": ""}
_WEIGHTED = {"mean": "(w * l).sum() / np.sum(w)", "sum": "(w * l).sum()", "none": "w * l"}
_ARGS = {"mse_loss": "pred, target"}  # the others': logits, targets


def _how(reduction: Any) -> str:
    """The reduction asked for, as `_reduce` reads it (`"Sum"` too), for an error message's code; else `"mean"`."""
    return reduction.lower() if isinstance(reduction, str) and reduction.lower() in _ENDING else "mean"


def _no_options(fn: str, options: dict[str, Any], reduction: Any) -> None:
    """A TypeError for the keywords `fn` does not take: PyTorch's named with what to write instead, for `reduction`
    (its deprecated `size_average` and `reduce`: the `reduction` they stand for); also PyTorch's third argument, its
    `weight` (mse_loss's `size_average`), passed where `reduction` is here."""
    third = not isinstance(reduction, str) and (type(reduction) is bool if fn == "mse_loss" else np.ndim(reduction))
    if third:  # numbers (a bool) in reduction's place: PyTorch's class weights (size_average) passed by position
        options, reduction = {"size_average" if fn == "mse_loss" else "weight": reduction}, "mean"
    if not options:
        return
    k, r, args = next(iter(options)), _how(reduction), _ARGS.get(fn, "logits, targets")
    place = " (its third argument, where reduction is here)" * bool(third)
    if k in ("size_average", "reduce"):
        given = {a: options[a] for a in ("size_average", "reduce") if a in options}
        mean, keep = (given.get(a) is None or bool(given[a]) for a in ("size_average", "reduce"))  # (None: True)
        legacy = "mean" if mean and keep else "sum" if keep else "none"  # PyTorch's reading of the two
        raise TypeError(f"{fn}: PyTorch's deprecated {' and '.join(f'{a}=' for a in given)}{place} " + ("are" if len(
            given) > 1 else "is") + f" not offered here; write reduction='{legacy}' (for " + ", ".join(
            f"{a}={v!r}" for a, v in given.items()) + ")")
    raise TypeError(f"{fn}: PyTorch's {k}={place} is not offered here; " + _TORCH[fn, k].format(
        fn=fn, args=args, x=args.partition(",")[0], r=r, s=_ENDING[r], weighted=_WEIGHTED[r], dropped=" (PyTorch's "
        "keeps a 0 at each dropped row)" * (r == "none"))) if (fn, k) in _TORCH else unexpected(fn, k, f"{args} and "
        "reduction")


def _reduce(fn: str, terms: Tensor, reduction: str) -> Tensor:
    """The loss of `terms` by PyTorch's `reduction`: their `"mean"` (the default), `"sum"`, or `"none"` (the terms)."""
    how = check_choice(fn, "reduction", reduction, ("mean", "sum", "none"))
    return terms.mean() if how == "mean" else terms.sum() if how == "sum" else terms


def mse_loss(pred: Tensor, target: Any, reduction: str = "mean", **options: Any) -> Tensor:
    """Mean squared error `mean((pred - target)^2)` over all `n` elements, `dL/dpred = 2 (pred - target) / n`; same
    shapes (PyTorch broadcasts others with a warning, `(n, 1)` against `(n,)` into `(n, n)`: here an error).
    PyTorch's `weight` is not offered: its error says what to write."""
    _no_options("mse_loss", options, reduction)
    pred, target = _inputs("mse_loss", pred, target, ("pred", "target"))
    diff = pred - target
    return _reduce("mse_loss", diff * diff, reduction)


def _soft(reduction: str) -> str:
    """PyTorch's soft-target cross-entropy written with this engine's ops (p: the targets), for an error message."""
    return "-(p * logits.log_softmax(1)).sum(1)" + _ENDING[_how(reduction)]


def _batched(shape: tuple[int, ...], reduction: str) -> str:
    """What gives PyTorch's loss of unbatched `(classes,)` or `(batch, classes, d1, ...)` logits, for an error message:
    rows of classes and a class each, the terms of `"none"` put back in the targets' shape."""
    r = _how(reduction)
    how = "" if r == "mean" else f", reduction='{r}'"
    if len(shape) == 1:
        return f"; for one sample (PyTorch's unbatched input) cross_entropy(logits.reshape(1, -1), np.reshape(" \
               f"targets, 1){how})" + "[0]" * (r == "none")
    if len(shape) < 3:
        return ""
    last = ", ".join(map(str, (0, *range(2, len(shape)), 1)))  # the classes' axis moved last: one row per position
    back = f".reshape{(shape[0], *shape[2:])}" * (r == "none")
    return f"; for PyTorch's (batch, classes, d1, ...) move the classes last, cross_entropy(logits.transpose({last})" \
           f".reshape(-1, {shape[1]}), np.reshape(targets, -1){how}){back}"


def cross_entropy(logits: Tensor, targets: Any, reduction: str = "mean", **options: Any) -> Tensor:
    """Softmax cross-entropy `L = -mean_i log softmax(logits_i)[y_i]` through a stable log-softmax, `logits`
    (batch, classes), `targets` (batch,) integers in `[0, classes)`; `dL/dlogits = (softmax - onehot(y)) / batch`.
    PyTorch's `weight`, `ignore_index` and `label_smoothing` are not offered: their error says what to write."""
    _no_options("cross_entropy", options, reduction)
    if check_type("cross_entropy", "logits", logits, Tensor, "a Tensor").ndim != 2:
        raise ValueError(f"cross_entropy: logits must be (batch, classes), got shape {logits.shape}" + _batched(
            logits.shape, reduction))
    n, k = logits.shape
    try:
        y = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    except ValueError as e:  # a ragged list
        raise TypeError(f"cross_entropy: expected numbers as targets; {e}: pass equal-length rows") from None
    except (RuntimeError, TypeError) as e:  # a PyTorch tensor that requires grad, or of a dtype numpy lacks
        y = torch_numbers(targets, e, "cross_entropy", "targets")
    if y.shape != (n,):  # (batch, classes): PyTorch's probabilities or one-hot rows, which it takes as targets
        raise ValueError(f"cross_entropy: targets must have shape ({n},) to match logits {logits.shape}, got {y.shape}"
                         ". Pass one integer class per row" + (": for one-hot rows np.argmax(targets, 1); for "
                         f"probabilities (PyTorch's soft targets) compute {_soft(reduction)}" if y.shape == (n, k) else
                         ": for a column of classes np.reshape(targets, -1)" if y.shape == (n, 1) else
                         " (not one-hot)."))
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError(f"cross_entropy: targets contain nan or inf; they must be class indices in [0, {k})")
        if not np.all(y == np.round(y)):
            raise ValueError("cross_entropy: targets must be integer class indices; got non-integer floats (for "
                             f"probabilities or one-hot targets, compute {_soft(reduction)})")
    elif y.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: targets must be integers, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"cross_entropy: targets must lie in [0, {k}) for {k} classes; found {int(y.min())}.."
                         f"{int(y.max())}" + " (-100 is PyTorch's ignore_index: y = np.asarray(targets); keep = y != "
                         "-100, then cross_entropy(logits[keep], y[keep]))" * bool((y == -100).any()))
    return _reduce("cross_entropy", -logits.log_softmax(axis=1)[np.arange(n), y.astype(np.int64)], reduction)


def binary_cross_entropy_with_logits(logits: Tensor, targets: Any, reduction: str = "mean", **options: Any) -> Tensor:
    """Binary cross-entropy on raw scores `z`, targets `t` in [0, 1] of the same shape, stable for any `z`:
    `L = mean(softplus(z) - z t)`, which is `-mean(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z)))` without overflow;
    `dL/dz = (sigmoid(z) - t) / n`, at 0 exactly `(1/2 - t) / n` for labels 0/1 (soft targets: to a rounding
    error). Where `t > 1/2` it is computed as `softplus(-z) + z (1 - t)` (`softplus(z) - z` cancels for a confident
    right answer, `t = 1, z >> 0`): with `u = +-z` and `t' = min(t, 1 - t)` that is `softplus(u) - u t'`, for labels 0/1
    just `softplus(u)`, and for soft targets `(1 - t') softplus(u) + t' softplus(-u)`, its equal that is inf, not inf -
    inf, at `u = inf`. PyTorch's `weight` and `pos_weight` are not offered: their error says what to write."""
    _no_options("binary_cross_entropy_with_logits", options, reduction)
    z, t = _inputs("binary_cross_entropy_with_logits", logits, targets, ("logits", "targets"))
    if t.data.size and not ((t.data >= 0).all() and (t.data <= 1).all()):  # also refuses nan
        raise ValueError("binary_cross_entropy_with_logits: targets must lie in [0, 1] (labels 0/1); "
                         "for labels -1/+1 use (y + 1) / 2")
    flip = t.data > 0.5
    kinds = z.dtype.kind + t.dtype.kind  # the loss in both dtypes' promotion, PyTorch's (int64 with float32: float32)
    dtype = np.result_type(z.dtype, t.dtype) if kinds == "ff" else (z if kinds[0] == "f" else t).dtype
    sign = np.where(flip, -1, 1).astype(dtype)
    u = z * sign
    if t.requires_grad or (t.data != flip).any():  # soft targets (or targets that learn): t' = t or 1 - t
        t = t * sign + flip
        return _reduce("binary_cross_entropy_with_logits", (1 - t) * u.softplus() + t * (-u).softplus(), reduction)
    return _reduce("binary_cross_entropy_with_logits", u.softplus(), reduction)
