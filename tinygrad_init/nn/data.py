"""Seeded two-dimensional toy datasets for classification.

Every generator returns ``(X, y)`` with

- ``X``: float32 array of shape ``(n, 2)``, the points;
- ``y``: int64 array of shape ``(n,)``, the class labels ``0 .. k-1``;

with balanced classes (class sizes differ by at most one; the first ``n % k`` classes get
the extra point) and the rows in random order, so that any slice is a fair mini-batch.
The same ``rng`` seed gives the same arrays, bit for bit::

    >>> from tinygrad_init import data
    >>> X, y = data.moons(200, noise=0.1, rng=0)
    >>> X.shape, X.dtype, y.shape, y.dtype
    ((200, 2), dtype('float32'), (200,), dtype('int64'))
    >>> X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, rng=0)

The points are computed in float64 and rounded to float32 once, at the end.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import numpy as np

from ..utils import as_rng

__all__ = ["moons", "circles", "spirals", "blobs", "train_test_split", "DATASETS"]


# ---------------------------------------------------------------- argument checks


def _check_int(func: str, name: str, value: Any, minimum: int, why: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{func}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be at least {minimum}{why}, got {int(value)}")
    return int(value)


def _check_float(func: str, name: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: {name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{func}: {name} must be > 0, got {value}")
    if value < 0:
        raise ValueError(f"{func}: {name} must be >= 0 (it is a standard deviation), got {value}")
    return value


def _check_n(func: str, n: Any, classes: int) -> int:
    why = f" so that each of the {classes} classes gets a point" if classes > 1 else ""
    return _check_int(func, "n", n, max(1, classes), why)


def _class_sizes(n: int, k: int) -> np.ndarray:
    """Balanced class sizes: ``n // k`` each, plus one for the first ``n % k`` classes."""
    return np.array([n // k + (1 if i < n % k else 0) for i in range(k)], dtype=np.int64)


def _labels(n: int, k: int) -> np.ndarray:
    return np.repeat(np.arange(k, dtype=np.int64), _class_sizes(n, k))


def _finish(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle the rows (one permutation for X and y) and fix the dtypes."""
    order = rng.permutation(len(y))
    return np.ascontiguousarray(X[order], dtype=np.float32), y[order].astype(np.int64)


# ---------------------------------------------------------------- datasets


def moons(n: int, noise: float = 0.1, rng: np.random.Generator | int | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles ("moons").

    Class 0 lies on the upper half of the unit circle, class 1 on a lower half circle
    shifted right and down, so that neither class can be cut off by a straight line::

        class 0:  (cos t,     sin t),        t ~ Uniform[0, pi]
        class 1:  (1 - cos t, 0.5 - sin t),  t ~ Uniform[0, pi]

    then Gaussian noise of standard deviation ``noise`` is added to each coordinate.

    Args:
        n: number of points (at least 2); class sizes differ by at most one.
        noise: standard deviation of the Gaussian noise added to x and y (>= 0).
        rng: a ``np.random.Generator``, an int seed, or None (not reproducible).

    Returns:
        ``(X, y)``: float32 array of shape ``(n, 2)`` and int64 labels in {0, 1} of shape ``(n,)``.
    """
    n = _check_n("moons", n, 2)
    noise = _check_float("moons", "noise", noise)
    gen = as_rng(rng)
    y = _labels(n, 2)
    t = gen.uniform(0.0, np.pi, size=n)
    upper = y == 0
    X = np.empty((n, 2))
    X[:, 0] = np.where(upper, np.cos(t), 1.0 - np.cos(t))
    X[:, 1] = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    if noise > 0:
        X += gen.normal(0.0, noise, size=X.shape)
    return _finish(X, y, gen)


def circles(n: int, noise: float = 0.05, factor: float = 0.5,
            rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``.

    Each point is ``r (cos t, sin t)`` with ``t ~ Uniform[0, 2 pi)``, plus Gaussian noise
    of standard deviation ``noise`` on each coordinate. No line separates the classes;
    the squared radius does.

    Args:
        n: number of points (at least 2); class sizes differ by at most one.
        noise: standard deviation of the Gaussian noise added to x and y (>= 0).
        factor: radius of the inner circle relative to the outer one, in (0, 1).
        rng: a ``np.random.Generator``, an int seed, or None (not reproducible).

    Returns:
        ``(X, y)``: float32 array of shape ``(n, 2)`` and int64 labels in {0, 1}
        (0 = outer circle, 1 = inner circle) of shape ``(n,)``.
    """
    n = _check_n("circles", n, 2)
    noise = _check_float("circles", "noise", noise)
    factor = _check_float("circles", "factor", factor, positive=True)
    if factor >= 1:
        raise ValueError(f"circles: factor is the inner radius relative to the outer one and must be "
                         f"in (0, 1), got {factor}")
    gen = as_rng(rng)
    y = _labels(n, 2)
    t = gen.uniform(0.0, 2 * np.pi, size=n)
    r = np.where(y == 0, 1.0, factor)
    X = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    if noise > 0:
        X += gen.normal(0.0, noise, size=X.shape)
    return _finish(X, y, gen)


def spirals(n: int, noise: float = 0.2, classes: int = 2, turns: float = 1.0,
            rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class.

    Arm ``k`` of ``K = classes`` starts at the origin and winds ``turns`` times around it::

        s ~ Uniform[0, 1],   r = s,
        theta = 2 pi turns s + 2 pi k / K + noise * N(0, 1),
        point = r (cos theta, sin theta)

    so the arms are rotated copies of each other, ``2 pi / K`` apart. The noise jitters the
    angle (in radians, as in the classic CS231n spiral data), so points near the centre move
    less than points on the rim.

    Args:
        n: number of points (at least ``classes``); class sizes differ by at most one.
        noise: standard deviation of the angle jitter, in radians (>= 0).
        classes: number of arms = number of classes (at least 2).
        turns: how many full turns each arm makes from centre to rim (> 0).
        rng: a ``np.random.Generator``, an int seed, or None (not reproducible).

    Returns:
        ``(X, y)``: float32 array of shape ``(n, 2)``, inside the unit disc whatever the
        noise (the jitter only turns a point around the origin), and int64 labels in
        ``0 .. classes-1`` of shape ``(n,)``.
    """
    classes = _check_int("spirals", "classes", classes, 2)
    n = _check_n("spirals", n, classes)
    noise = _check_float("spirals", "noise", noise)
    turns = _check_float("spirals", "turns", turns, positive=True)
    gen = as_rng(rng)
    y = _labels(n, classes)
    s = gen.uniform(0.0, 1.0, size=n)
    theta = 2 * np.pi * turns * s + 2 * np.pi * y / classes
    if noise > 0:
        theta = theta + gen.normal(0.0, noise, size=n)
    X = np.stack([s * np.cos(theta), s * np.sin(theta)], axis=1)
    return _finish(X, y, gen)


def blobs(n: int, centers: int | Any = 3, std: float = 1.0,
          rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian blobs, one per class: ``x ~ N(center_k, std^2 I)``.

    Args:
        n: number of points (at least the number of centers); class sizes differ by at most one.
        centers: either the number of blobs ``k`` (>= 1), placed evenly on the circle of
            radius 4 around the origin (center ``j`` at angle ``2 pi j / k``; a single blob
            sits at the origin), so with ``std=1`` and a few blobs they barely overlap; or an
            array of shape ``(k, 2)`` giving the centers themselves.
        std: standard deviation of each coordinate around its center (>= 0).
        rng: a ``np.random.Generator``, an int seed, or None (not reproducible).

    Returns:
        ``(X, y)``: float32 array of shape ``(n, 2)`` and int64 labels in ``0 .. k-1``
        (label ``j`` = blob ``j``) of shape ``(n,)``.
    """
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = _check_int("blobs", "centers", centers, 1)
        if k == 1:
            mu = np.zeros((1, 2))
        else:
            angle = 2 * np.pi * np.arange(k) / k
            mu = 4.0 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    else:
        try:
            mu = np.asarray(centers, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"blobs: centers must be an int (how many blobs) or an array of shape (k, 2), "
                            f"got {type(centers).__name__} {centers!r:.60}") from None
        if mu.ndim != 2 or mu.shape[1] != 2 or mu.shape[0] < 1:
            raise ValueError(f"blobs: centers given as an array must have shape (k, 2) with k >= 1, "
                             f"got shape {mu.shape}")
        if not np.all(np.isfinite(mu)):
            raise ValueError("blobs: centers must be finite numbers")
        k = mu.shape[0]
    n = _check_n("blobs", n, k)
    std = _check_float("blobs", "std", std)
    gen = as_rng(rng)
    y = _labels(n, k)
    X = mu[y].copy()
    if std > 0:
        X += gen.normal(0.0, std, size=X.shape)
    return _finish(X, y, gen)


DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "moons": moons,
    "circles": circles,
    "spirals": spirals,
    "blobs": blobs,
}
"""The generators by name (as the command line names them)."""


# ---------------------------------------------------------------- splitting


def train_test_split(X: Any, y: Any, test_fraction: float = 0.25,
                     rng: np.random.Generator | int | None = None, stratify: bool = True
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split a dataset into a random training part and a held-out test part.

    With ``stratify=True`` (the default) each class is split on its own, so both parts keep
    the class proportions: a class of ``m`` points puts ``round(m * test_fraction)`` of them
    (halves rounded up) into the test part. Without it, ``round(n * test_fraction)`` rows
    chosen at random go to the test part. Within each part the rows are in random order.

    Args:
        X: array of shape ``(n, ...)``; its dtype is kept.
        y: array of shape ``(n,)``; integer labels when ``stratify`` is True.
        test_fraction: the fraction of the points to hold out, in (0, 1).
        rng: a ``np.random.Generator``, an int seed, or None (not reproducible).
        stratify: keep the class proportions in both parts.

    Returns:
        ``(X_train, X_test, y_train, y_test)``.

    Raises:
        ValueError: if the lengths differ, ``test_fraction`` is outside (0, 1), or one of
            the parts would be empty.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim != 1:
        raise ValueError(f"train_test_split: X needs shape (n, ...) and y shape (n,), got X {X.shape} "
                         f"and y {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"train_test_split: X has {len(X)} rows but y has {len(y)} labels; they must match")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real) \
            or not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"train_test_split: test_fraction must be a number strictly between 0 and 1 "
                         f"(such as 0.25), got {test_fraction!r}")
    f = float(test_fraction)
    gen = as_rng(rng)
    n = len(y)
    if stratify:
        if y.dtype.kind not in "iub":
            raise ValueError(f"train_test_split: stratify=True needs integer class labels, got dtype "
                             f"{y.dtype}; pass stratify=False for other targets")
        test_idx, train_idx = [], []
        for c in np.unique(y):
            idx = gen.permutation(np.flatnonzero(y == c))
            k = int(math.floor(len(idx) * f + 0.5))
            test_idx.append(idx[:k])
            train_idx.append(idx[k:])
        test = gen.permutation(np.concatenate(test_idx))
        train = gen.permutation(np.concatenate(train_idx))
    else:
        k = int(math.floor(n * f + 0.5))
        perm = gen.permutation(n)
        test, train = perm[:k], perm[k:]
    if len(test) == 0 or len(train) == 0:
        empty = "test" if len(test) == 0 else "training"
        raise ValueError(f"train_test_split: with {n} points and test_fraction={f} the {empty} part "
                         f"would be empty; use more points or a test_fraction nearer 0.5")
    return X[train], X[test], y[train], y[test]
