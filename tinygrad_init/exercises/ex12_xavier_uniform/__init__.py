"""ex12: Xavier/Glorot uniform initialization, U(-a, a) with a = sqrt(6 / (fan_in + fan_out))."""

from __future__ import annotations

import math

import numpy as np

from ..kit import (
    INIT_HINTS,
    CheckFailure,
    Exercise,
    Session,
    check_randomness,
    close,
    draw,
    fail,
    fmt,
    kurtosis,
    summary,
    unseen,
)

EXERCISE = Exercise(
    12, "xavier_uniform", "xavier_uniform", "Xavier/Glorot uniform initialization", 6,
    "drawing Glorot's uniform initialization", {
        "lecun_bound": "the bound sqrt(3 / fan_in) is LeCun's uniform init. Glorot's uses both fans: "
                       "U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).",
        "std_as_bound": "sqrt(2 / (fan_in + fan_out)) is the target STD. A uniform U(-a, a) has std "
                        "a / sqrt(3), so the bound is a = sqrt(3) * std = sqrt(6 / (fan_in + fan_out)).",
        "bound_not_rooted": "6 / (fan_in + fan_out) is a^2, three times the variance: the bound is its square "
                            "root, a = sqrt(6 / (fan_in + fan_out)).",
        "he_bound": "sqrt(6 / fan_in) is He's uniform bound (for ReLU). Glorot's uses both fans: "
                    "a = sqrt(6 / (fan_in + fan_out)).",
        "gain": "no gain here (it is 1): a = sqrt(6 / (fan_in + fan_out)). A gain, as PyTorch's "
                "xavier_uniform_(w, gain) takes (5/3 for tanh, sqrt(2) for ReLU), multiplies that bound.",
        "normal": "these numbers are not uniform (some lie far beyond the rest): draw from "
                  "gen.uniform(-a, a, size=shape), not from a normal distribution.",
        "one_sided": "all your numbers are positive: U(0, a) has mean a / 2. Draw from U(-a, a), "
                     "gen.uniform(-a, a, size=shape).",
        "no_receptive_field": "for a convolution kernel (in, out, kh, kw) the fans include the receptive "
                              "field: use fans(shape) from exercise 11, fan_in = in * kh * kw and "
                              "fan_out = out * kh * kw.",
        "fans_as_shape": "draw an array of `shape` itself; the fans only set the bound.",
        "square_kernel": "a kernel (in, out, kh, kw) has kh * kw positions, and kh may differ from kw: the "
                         "receptive field is math.prod(shape[2:]), not one side squared.",
        **INIT_HINTS,
    },
)


def check(run: Session) -> None:
    check_randomness(run, "xavier_uniform", (4, 3))

    # Distribution: 40 000 samples of a (400, 100) weight; fan_in != fan_out tells the fans apart.
    shape = (400, 100)
    fan_in, fan_out = shape
    a = math.sqrt(6.0 / (fan_in + fan_out))
    w = draw(run, "xavier_uniform", shape, 0, np.float64)
    call = f"xavier_uniform({shape}, rng=0, dtype=np.float64)"
    top, std = float(np.abs(w).max()), float(w.std())
    if w.min() >= 0:
        fail(f"{call}: {summary(w)}; every number is >= 0.", "one_sided")
    if kurtosis(w) > 2.3 or top > 2.2 * std:
        fail(f"{call}: {summary(w)}; a uniform U(-a, a) has max |w| = sqrt(3) * std.", "normal")
    if not (top <= a * (1 + 1e-12) and top >= 0.99 * a):
        detail = (f"{call}: your numbers reach +-{fmt(top)}; expected the bound a = sqrt(6 / (fan_in + fan_out)) "
                  f"= sqrt(6 / {fan_in + fan_out}) = {fmt(a)}.")
        for key, bound in (("lecun_bound", 3.0 / fan_in), ("lecun_bound", 3.0 / fan_out),
                           ("std_as_bound", 2.0 / (fan_in + fan_out)), ("he_bound", 6.0 / fan_in),
                           ("bound_not_rooted", (6.0 / (fan_in + fan_out)) ** 2),
                           ("gain", 6.0 / (fan_in + fan_out) * 25 / 9), ("gain", 12.0 / (fan_in + fan_out))):
            if close(top, math.sqrt(bound), 0.01):
                fail(detail, key)
        fail(detail)
    if not close(std, a / math.sqrt(3.0), 0.02) or abs(float(w.mean())) > 4 * std / math.sqrt(w.size):
        fail(f"{call}: {summary(w)}; expected mean 0 and std a / sqrt(3) = {fmt(a / math.sqrt(3.0))} "
             "(uniform on [-a, a]).")

    # Convolution kernels (in, out, kh, kw), kh != kw: the fans include the receptive field; the last drawn afresh.
    for shape, seed in unseen([((8, 4, 2, 5), 2)], lambda g: ((*g.integers(16, 49, 2).tolist(),
                                                              *g.permutation([2, 5, 7])[:2].tolist()),
                                                             int(g.integers(99)))):
        fan_in, fan_out = shape[0] * shape[2] * shape[3], shape[1] * shape[2] * shape[3]
        a = math.sqrt(6.0 / (fan_in + fan_out))
        call = f"xavier_uniform({shape}, rng={seed}, dtype=np.float64)"
        try:
            w = draw(run, "xavier_uniform", shape, seed, np.float64)
        except CheckFailure as exc:
            if f"got shape {(fan_in, fan_out)}" in str(exc):
                fail(f"{call} returned shape {(fan_in, fan_out)} = (fan_in, fan_out); expected {shape}.",
                     "fans_as_shape")
            raise
        top = float(np.abs(w).max())
        if not (top <= a * (1 + 1e-12) and top >= 0.95 * a):
            field = f"{shape[2]}*{shape[3]}"
            detail = (f"{call}: your numbers reach +-{fmt(top)}; expected a = sqrt(6 / ({fan_in} + {fan_out})) = "
                      f"{fmt(a)} (fan_in = {shape[0]}*{field}, fan_out = {shape[1]}*{field}).")
            if close(top, math.sqrt(6.0 / (shape[0] + shape[1])), 0.05):
                fail(detail, "no_receptive_field")
            if any(close(top, math.sqrt(6.0 / (shape[0] + shape[1])) / k, 0.05) for k in shape[2:]):
                fail(detail, "square_kernel")
            fail(detail)
