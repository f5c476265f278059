"""Seeded two-dimensional toy datasets for classification.

Every generator returns `(X, y)`: `X` float32 `(n, 2)` points, `y` int64 `(n,)` labels `0 .. k-1`, the classes
balanced (the first `n % k` get one point more) and the rows shuffled, so that any slice is a fair mini-batch.
Points are computed in float64 and rounded once; the same `rng` seed gives the same arrays:

```python
from tinygrad_init import data

X, y = data.moons(200, noise=0.1, rng=0)  # (200, 2) float32, (200,) int64
X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, rng=0)
```
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import numpy as np

from ..utils import MAX_SIZE, Rng, as_rng, check_bool, check_int, check_real, unexpected

__all__ = ["moons", "circles", "spirals", "blobs", "train_test_split", "DATASETS"]

Data = tuple[np.ndarray, np.ndarray]


def _start(func: str, n: Any, k: int, noise: Any, rng: Rng) -> tuple[int, float, np.ndarray, np.random.Generator]:
    """The checked `n` and `noise`, the balanced labels and the generator."""
    n = check_int(func, "n", n, k, f" so that each of the {k} classes gets a point" * (k > 1), maximum=MAX_SIZE)
    noise = check_real(func, "noise" if func != "blobs" else "std", noise, 0.0)
    return n, noise, np.sort(np.arange(n, dtype=np.int64) % k), as_rng(rng, func)  # the first n % k get one more


def _finish(X: np.ndarray, y: np.ndarray, noise: float, gen: np.random.Generator) -> Data:
    """`X` plus `N(0, noise^2)` on each coordinate, then the rows shuffled (one permutation for X and y)."""
    if noise > 0:
        X = X + gen.normal(0.0, noise, size=X.shape)
    order = gen.permutation(len(y))
    return np.ascontiguousarray(X[order], dtype=np.float32), y[order].astype(np.int64)


def moons(n: int, noise: float = 0.1, rng: Rng = None) -> Data:
    """`n` points on two interleaving half circles that no line separates, class 0 at `(cos t, sin t)` and
    class 1 at `(1 - cos t, 0.5 - sin t)`, `t ~ U[0, pi]`, plus `N(0, noise^2)` on each coordinate."""
    n, noise, y, gen = _start("moons", n, 2, noise, rng)
    t = gen.uniform(0.0, np.pi, size=n)
    upper = y == 0
    X = np.stack([np.where(upper, np.cos(t), 1.0 - np.cos(t)), np.where(upper, np.sin(t), 0.5 - np.sin(t))], axis=1)
    return _finish(X, y, noise, gen)


def circles(n: int, noise: float = 0.05, factor: float = 0.5, rng: Rng = None) -> Data:
    """`n` points on two concentric circles, `r (cos t, sin t)` with `t ~ U[0, 2 pi)`, `r = 1` for class 0 and
    `factor` (in (0, 1)) for class 1, plus `N(0, noise^2)` on each coordinate: no line separates them."""
    n, noise, y, gen = _start("circles", n, 2, noise, rng)
    factor = check_real("circles", "factor", factor, 0.0, 1.0, low_open=True, high_open=True)
    t, r = gen.uniform(0.0, 2 * np.pi, size=n), np.where(y == 0, 1.0, factor)
    return _finish(np.stack([r * np.cos(t), r * np.sin(t)], axis=1), y, noise, gen)


def spirals(n: int, noise: float = 0.2, classes: int = 2, turns: float = 1.0, rng: Rng = None) -> Data:
    """`n` points on `classes` interleaved spiral arms in the unit disc: arm `k` of `K` winds `turns` times out
    from the origin, `s (cos theta, sin theta)` with `s ~ U[0, 1]`, `theta = 2 pi turns s + 2 pi k / K + noise
    N(0, 1)`: the noise jitters the angle (radians, as in CS231n's spirals), less near the centre than on the rim."""
    classes = check_int("spirals", "classes", classes, 2, maximum=MAX_SIZE)
    n, noise, y, gen = _start("spirals", n, classes, noise, rng)
    turns = check_real("spirals", "turns", turns, 0.0, low_open=True)
    s = gen.uniform(0.0, 1.0, size=n)
    theta = 2 * np.pi * turns * s + 2 * np.pi * y / classes
    if noise > 0:
        theta = theta + gen.normal(0.0, noise, size=n)
    return _finish(np.stack([s * np.cos(theta), s * np.sin(theta)], axis=1), y, 0.0, gen)


def blobs(n: int, centers: int | Any = 3, std: float = 1.0, rng: Rng = None, *, noise: float | None = None) -> Data:
    """`n` points in Gaussian blobs, `x ~ N(center_k, std^2 I)` for class `k`. `centers` is an array `(k, 2)`, or
    the number `k` of blobs placed on the circle of radius 4 (blob `j` at angle `2 pi j / k`; one blob sits
    at the origin), where with `std=1` they barely overlap. `noise`, the other generators' word, is `std` here."""
    if noise is not None:  # blobs(n, noise=..., rng=...) as every generator is called
        if std != 1.0 and std != noise:
            raise TypeError(f"blobs: give std or noise (the same spread), not both; got std={std!r}, noise={noise!r}")
        std = check_real("blobs", "noise", noise, 0.0)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = check_int("blobs", "centers", centers, 1, maximum=MAX_SIZE)
        angle = 2 * np.pi * np.arange(k) / k
        mu = np.zeros((1, 2)) if k == 1 else 4.0 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    else:
        try:
            if (mu := np.asarray(centers, dtype=np.float64)).ndim == 0:  # 3.0 or True: neither a count nor centers
                raise TypeError
        except (TypeError, ValueError):
            raise TypeError(f"blobs: centers must be an int (how many blobs) or an array of shape (k, 2), "
                            f"got {type(centers).__name__} {centers!r:.60}") from None
        if mu.ndim != 2 or mu.shape[1] != 2 or mu.shape[0] < 1 or not np.all(np.isfinite(mu)):
            raise ValueError(f"blobs: centers given as an array must have shape (k, 2), k >= 1, and finite entries; "
                             f"got shape {mu.shape}{'' if np.all(np.isfinite(mu)) else ' with nan or inf'}")
    n, std, y, gen = _start("blobs", n, len(mu), std, rng)
    return _finish(mu[y], y, std, gen)


DATASETS: dict[str, Callable[..., Data]] = {"moons": moons, "circles": circles, "spirals": spirals, "blobs": blobs}
"""The generators by name, as the command line names them."""


_SKLEARN = {"test_size": "here it is test_fraction (a fraction in (0, 1))", "random_state": "here it is rng",
            "train_size": "here it is test_fraction = 1 - train_size", "shuffle": "here both parts are always shuffled"}


def train_test_split(X: Any, y: Any, test_fraction: float = 0.25, rng: Rng = None,
                     stratify: bool = True, **sklearn: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split `X` `(n, ...)` and `y` `(n,)` into `(X_train, X_test, y_train, y_test)`, each part shuffled, `X` in its
    dtype. `round(n * test_fraction)` (halves up) rows go to the test part: with `stratify` each class of `m` points
    gives `m * test_fraction` rounded down or up (up for the largest remainders, ties to the lower label), keeping
    the class proportions; without, random rows. A ValueError names lengths
    that differ, `test_fraction` outside (0, 1), non-integer labels with `stratify`, or an empty part; a TypeError
    names scikit-learn's arguments (`test_size`, `random_state`, `stratify=y`) with what to write here."""
    if sklearn:
        k = next(iter(sklearn))
        raise unexpected("train_test_split", k, "X, y, test_fraction, rng and stratify",
                         k in _SKLEARN and f"scikit-learn's; {_SKLEARN[k]}")
    if np.ndim(stratify) == 1:  # scikit-learn's stratify=y: its labels
        raise TypeError("train_test_split: stratify must be True or False; scikit-learn's stratify=y is stratify=True "
                        "here (the classes of y)")
    try:
        X, y = np.asarray(X), np.asarray(y)
    except ValueError as e:  # a ragged list
        raise ValueError(f"train_test_split: X and y must be arrays, their rows of one length; {e}") from None
    if X.ndim == 0 or y.ndim != 1:
        raise ValueError(f"train_test_split: X needs shape (n, ...) and y shape (n,), got X {X.shape} and y {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"train_test_split: X has {len(X)} rows but y has {len(y)} labels; they must match")
    f = check_real("train_test_split", "test_fraction", test_fraction, 0.0, 1.0, low_open=True, high_open=True)
    gen, n, stratify = as_rng(rng, "train_test_split"), len(y), check_bool("train_test_split", "stratify", stratify)
    if stratify and y.dtype.kind not in "iub":
        raise ValueError(f"train_test_split: stratify=True needs integer class labels, got dtype {y.dtype}; pass "
                         "stratify=False for other targets")
    if stratify:
        parts = [gen.permutation(np.flatnonzero(y == c)) for c in np.unique(y)] or [np.arange(0)]  # none if n = 0
        quota = np.array([len(idx) * f for idx in parts])  # the test size, shared by largest remainder
        cut = np.floor(quota).astype(int)
        cut[np.argsort(np.round(cut - quota, 9), kind="stable")[:int(math.floor(n * f + 0.5)) - cut.sum()]] += 1
        test = gen.permutation(np.concatenate([idx[:k] for idx, k in zip(parts, cut)]))
        train = gen.permutation(np.concatenate([idx[k:] for idx, k in zip(parts, cut)]))
    else:
        test, train = np.split(gen.permutation(n), [int(math.floor(n * f + 0.5))])
    if len(test) == 0 or len(train) == 0:
        raise ValueError(f"train_test_split: with {n} points and test_fraction={f} the "
                         f"{'test' if len(test) == 0 else 'training'} part would be empty; use more points or a "
                         "test_fraction nearer 0.5")
    return X[train], X[test], y[train], y[test]
