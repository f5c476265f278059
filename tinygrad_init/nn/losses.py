"""Loss functions on the tensor engine; each returns the mean over the batch.

All three are compositions of engine ops, so their backward passes come from
the chain rule through those ops (and the ledger can show every step).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.tensor import Tensor

__all__ = ["mse_loss", "cross_entropy", "binary_cross_entropy_with_logits"]


def _as_tensor(x: Any, like: Tensor, what: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{what}: expected numbers, got an array of dtype {arr.dtype}")
    return Tensor(arr.astype(like.dtype))


def mse_loss(pred: Tensor, target: Any) -> Tensor:
    """Mean squared error, `mean((pred - target)^2)`; dL/dpred = 2 (pred - target) / n.

    `pred` and `target` must have the same shape (no silent broadcasting: a
    (n, 1) prediction against an (n,) target would otherwise give an (n, n)
    matrix of errors).
    """
    if not isinstance(pred, Tensor):
        raise TypeError(f"mse_loss: pred must be a Tensor, got {type(pred).__name__}")
    target = _as_tensor(target, pred, "mse_loss")
    if pred.shape != target.shape:
        raise ValueError(f"mse_loss: pred has shape {pred.shape} but target has shape {target.shape}; they must "
                         "match. Reshape one of them, for example target.reshape(-1, 1).")
    diff = pred - target
    return (diff * diff).mean()


def cross_entropy(logits: Tensor, targets: Any) -> Tensor:
    """Softmax cross-entropy with integer class targets, through a stable log-softmax.

    `L = -mean_i log softmax(logits_i)[y_i]`. Shapes: `logits` (batch, classes),
    `targets` (batch,) of integers in `[0, classes)`. The gradient is
    `(softmax(logits) - onehot(y)) / batch`.
    """
    if not isinstance(logits, Tensor):
        raise TypeError(f"cross_entropy: logits must be a Tensor, got {type(logits).__name__}")
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must be (batch, classes), got shape {logits.shape}")
    y = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    n, k = logits.shape
    if y.shape != (n,):
        raise ValueError(f"cross_entropy: targets must have shape ({n},) to match logits {logits.shape}, got "
                         f"{y.shape}. Pass one integer class per row (not one-hot).")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError("cross_entropy: targets contain nan or inf; they must be integer class indices in "
                             f"[0, {k})")
        if not np.all(y == np.round(y)):
            raise ValueError("cross_entropy: targets must be integer class indices; got non-integer floats "
                             "(for probabilities or one-hot targets, compute -(p * logits.log_softmax(1)).sum(1).mean())")
        y = y.astype(np.int64)
    elif y.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: targets must be integers, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"cross_entropy: targets must lie in [0, {k}) for {k} classes; found "
                         f"{int(y.min())}..{int(y.max())}")
    logp = logits.log_softmax(axis=1)
    return -logp[np.arange(n), y].mean()


def binary_cross_entropy_with_logits(logits: Tensor, targets: Any) -> Tensor:
    """Binary cross-entropy on raw scores, stable for any logit.

    `L = mean(softplus(z) - z*t)` with `softplus(z) = log(1 + e^z)`, which equals
    `-mean(t log sigmoid(z) + (1-t) log(1 - sigmoid(z)))` without overflow.
    The gradient is `(sigmoid(z) - t) / n`, exactly, for every z (also at 0).
    `targets` in [0, 1], same shape as `logits`.
    """
    if not isinstance(logits, Tensor):
        raise TypeError(f"binary_cross_entropy_with_logits: logits must be a Tensor, got {type(logits).__name__}")
    t = _as_tensor(targets, logits, "binary_cross_entropy_with_logits")
    if t.shape != logits.shape:
        raise ValueError(f"binary_cross_entropy_with_logits: logits have shape {logits.shape} but targets "
                         f"{t.shape}; they must match (for an (n, 1) output use y.reshape(-1, 1))")
    if t.data.size and not (np.all(t.data >= 0) and np.all(t.data <= 1)):  # also refuses nan
        raise ValueError("binary_cross_entropy_with_logits: targets must lie in [0, 1] (labels 0/1); "
                         "for labels -1/+1 use (y + 1) / 2")
    return (logits.softplus() - logits * t).mean()
