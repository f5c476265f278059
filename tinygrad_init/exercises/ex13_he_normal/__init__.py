"""ex13: He/Kaiming normal initialization, N(0, 2 / fan_in)."""

from __future__ import annotations

import math

import numpy as np

from ..kit import (
    INIT_HINTS,
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
    13, "he_normal", "he_normal", "He/Kaiming normal initialization", 7, "drawing He's normal initialization", {
        "fan_out": "He init for a ReLU net keeps the FORWARD variance: std = sqrt(2 / fan_in). You used fan_out: "
                   "in this project's layout (fan_in, fan_out, kh, kw), fan_in is shape[0] times the receptive field "
                   "(PyTorch's layout, (out, in, kh, kw), is the other way round).",
        "variance_as_std": "2 / fan_in is the variance; the std is its square root, sqrt(2 / fan_in).",
        "sqrt_misplaced": "sqrt(2) / fan_in takes the root of the 2 only: the std is sqrt(2 / fan_in), the root "
                          "of the whole fraction.",
        "lecun": "sqrt(1 / fan_in) is LeCun's init. ReLU zeroes half of its inputs, which halves "
                 "E[h^2]; He doubles the variance to make up for it: std = sqrt(2 / fan_in).",
        "glorot": "sqrt(2 / (fan_in + fan_out)) is Glorot's (Xavier's) normal std, made for tanh (exercise 12). "
                  "He's, for ReLU, takes the fan-in alone: std = sqrt(2 / fan_in).",
        "gain_twice": "sqrt(2 / fan_in) holds the ReLU gain sqrt(2) already (it is sqrt(2) * sqrt(1 / fan_in)): "
                      "multiplied by sqrt(2) again, the variance doubles.",
        "uniform": "these numbers are uniform, not normal: use gen.normal(0.0, std, size=shape).",
        "truncated": "these numbers look like a normal truncated at two standard deviations (what Keras "
                     "calls he_normal). This project's he_normal is the plain normal of He et al.: "
                     "gen.normal(0.0, std, size=shape).",
        "loc_scale": "Generator.normal(loc, scale, size) takes the MEAN first: you drew N(std, 1). Write "
                     "gen.normal(0.0, std, size=shape).",
        "no_receptive_field": "for a convolution kernel (in, out, kh, kw) the fan-in includes the receptive "
                              "field: use fans(shape) from exercise 11, fan_in = in * kh * kw.",
        "square_kernel": "a kernel (in, out, kh, kw) has kh * kw positions, and kh may differ from kw: the "
                         "receptive field is math.prod(shape[2:]), not one side squared.",
        **INIT_HINTS,
    },
)


def check(run: Session) -> None:
    check_randomness(run, "he_normal", (4, 3))

    # Distribution: 100 000 samples of a (500, 200) weight; fan_in != fan_out tells the fans apart.
    shape = (500, 200)
    fan_in, fan_out = shape
    want = math.sqrt(2.0 / fan_in)
    w = draw(run, "he_normal", shape, 0, np.float64)
    call = f"he_normal({shape}, rng=0, dtype=np.float64)"
    std, mean = float(w.std()), float(w.mean())
    if close(mean, want, 0.05) and close(std, 1.0, 0.05):
        fail(f"{call}: {summary(w)}; expected mean 0 and std {fmt(want)}.", "loc_scale")
    k = kurtosis(w)
    if k < 2.1:
        fail(f"{call}: {summary(w)}; the numbers are spread evenly up to a bound, with no tails.", "uniform")
    if k < 2.75:
        fail(f"{call}: {summary(w)}; no number lies beyond about 2 standard deviations.", "truncated")
    if k > 3.3:  # 100 000 normal numbers: 3 +- 0.016
        fail(f"{call}: {summary(w)}; far more numbers lie in the tails than a normal's do (kurtosis {k:.2f}, a "
             "normal's is 3): draw with gen.normal(0.0, std, size=shape).")
    if not close(std, want, 0.02):
        detail = f"{call}: {summary(w)}; expected std sqrt(2 / fan_in) = sqrt(2 / {fan_in}) = {fmt(want)}."
        for key, other in (("fan_out", math.sqrt(2.0 / fan_out)), ("variance_as_std", 2.0 / fan_in),
                           ("lecun", math.sqrt(1.0 / fan_in)), ("sqrt_misplaced", math.sqrt(2.0) / fan_in),
                           ("glorot", math.sqrt(2.0 / (fan_in + fan_out))), ("gain_twice", 2.0 / math.sqrt(fan_in))):
            if close(std, other, 0.02):
                fail(detail, key)
        fail(detail)
    if abs(mean) > 4 * std / math.sqrt(w.size):
        fail(f"{call}: {summary(w)}; expected mean 0.")

    # Convolution kernels (in, out, kh, kw), kh != kw: fan_in = in * kh * kw; the last drawn afresh.
    for shape, seed in unseen([((16, 8, 2, 5), 2)], lambda g: ((*g.integers(16, 49, 2).tolist(),
                                                               *g.permutation([2, 5, 7])[:2].tolist()),
                                                              int(g.integers(99)))):
        want = math.sqrt(2.0 / (shape[0] * shape[2] * shape[3]))
        w = draw(run, "he_normal", shape, seed, np.float64)
        std = float(w.std())
        if not close(std, want, 0.1):
            detail = (f"he_normal({shape}, rng={seed}, dtype=np.float64): {summary(w)}; "
                      f"expected std sqrt(2 / ({shape[0]}*{shape[2]}*{shape[3]})) = {fmt(want)}.")
            fail(detail, "no_receptive_field" if close(std, math.sqrt(2.0 / shape[0]), 0.1) else "square_kernel"
                 if any(close(std, math.sqrt(2.0 / shape[0]) / k, 0.05) for k in shape[2:]) else "fan_out"
                 if close(std, math.sqrt(2.0 / (shape[1] * shape[2] * shape[3])), 0.1) else None)
