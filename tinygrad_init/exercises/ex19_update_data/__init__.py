"""ex19: the update:data ratio of every weight matrix after one SGD step, and the layer whose learning rate is off."""

from __future__ import annotations

import numbers

import numpy as np

from ..kit import (
    Exercise,
    Session,
    describe,
    diagnose,
    expect_array,
    expect_sequence,
    fail,
    fmt,
    fmt_both,
    same,
)

EXERCISE = Exercise(
    19, "update_data", "update_data_ratios", "The update:data ratio, and which layer's learning rate is off", 9,
    "reading a training run's update:data ratios",
    {
        "no_lr": "the update is what SGD changes, lr * grad, not the gradient itself: multiply by the learning "
                 "rate before taking the std (your ratios are the grad:data ratios).",
        "means": "compare spreads, not averages: the ratio is std(update) / std(data). The mean of a weight "
                 "matrix says nothing about the size of its entries (it is near 0 for a fresh init).",
        "mean_abs": "the mean of |update| over the mean of |data| is a measure of size, but not the one asked "
                    "for (nor the lecture's): take the stds, np.std(lr * grad) / np.std(param).",
        "norms": "std, not the norm: np.linalg.norm(u) / np.linalg.norm(p) is the ratio of root mean squares, "
                 "which counts the mean of each array as well. Subtract the means: np.std(u) / np.std(p).",
        "inverted": "the ratio is the update over the data, std(lr * grads[k]) / std(params[k]) (about 1e-3, so r near "
                    "-3); you divided the data by the update.",
        "natural_log": "log10, not the natural log: the lecture's reference line is 1e-3, that is -3 on a "
                       "log10 scale (np.log10).",
        "data_after": "divide by the std of the data BEFORE the step (the params you were given), not after "
                      "p - lr * grad.",
        "not_log": "return log10 of the ratio (about -3 for a healthy layer), not the ratio itself.",
        "variance": "a ratio of stds, not of variances: np.var squares it (your logs are twice too large).",
        "elementwise": "the ratio of the two stds, one number per matrix, not the mean of the entrywise ratios "
                       "|u / p| (a weight near 0 makes that blow up).",
        "one_sided": "a learning rate can be off in both directions: report the layer farthest from -3 on the "
                     "log10 scale, |r + 3| largest. 1e-5 (100x too slow) is farther than 1e-2 (10x too fast).",
        "no_reference": "farthest from the reference line 1e-3 (log10 = -3), |r + 3|, not farthest from 1 "
                        "(log10 = 0), |r|.",
        "zero_based": "layers are numbered 1..L: params[0] is layer 1. You returned the Python index.",
        "from_the_others": "the reference is the rule of thumb 1e-3, not the other layers: report the layer whose "
                           "ratio is farthest from log10 = -3, the largest |r + 3|. When most layers are off together, "
                           "the odd one out may be the one that is right.",
    },
)

RATIO_MISTAKES = ["no_lr", "means", "mean_abs", "norms", "natural_log", "data_after", "not_log", "variance",
                  "elementwise", "inverted"]


def ratios(params: list[np.ndarray], grads: list[np.ndarray], lr: float, mode: str = "right") -> np.ndarray:
    """log10 std(lr g) / std(p) per matrix, right (`mode="right"`) or as a known mistake computes it."""
    out = []
    for p, g in zip(params, grads):
        u = g if mode == "no_lr" else lr * g
        r = {"means": lambda: abs(u.mean()) / abs(p.mean()),
             "mean_abs": lambda: np.abs(u).mean() / np.abs(p).mean(),
             "norms": lambda: np.linalg.norm(u) / np.linalg.norm(p),
             "data_after": lambda: u.std() / (p - u).std(),
             "variance": lambda: u.var() / p.var(),
             "elementwise": lambda: np.mean(np.abs(u / p)),
             "inverted": lambda: p.std() / u.std()}.get(mode, lambda: u.std() / p.std())()
        out.append(r if mode == "not_log" else np.log(r) if mode == "natural_log" else np.log10(r))
    return np.array(out)


def off_layer(r: np.ndarray, mode: str = "right") -> int:
    """The layer (1..L) farthest from log10 = -3, right or as a known mistake picks it."""
    distances = {"one_sided": r, "no_reference": np.abs(r), "from_the_others": np.abs(r - r.mean())}
    distance = distances.get(mode, np.abs(r + 3.0))
    return int(np.argmax(distance)) + (0 if mode == "zero_based" else 1)


def _case(seed: int, shapes: list[tuple[int, int]], logs: list[float], lr: float) -> tuple:
    """Weights with non-zero means and gradients scaled so that layer k's ratio is near 10^logs[k]."""
    rng = np.random.default_rng(seed)
    params, grads = [], []
    for (n, m), target in zip(shapes, logs):
        p = rng.normal(0.05, 1.0 / np.sqrt(n), size=(n, m))
        g = rng.normal(0.0, 1.0, size=(n, m)) + 0.3
        params.append(p)
        grads.append(g * 10.0**target * p.std() / (lr * g.std()) * rng.uniform(0.8, 1.25))
    return params, grads, lr


# Case 1: layer 3's learning rate is 100x too high; case 2: layer 4's is 100x too low and layer 1's
# 10x too high (the farthest on the log scale is layer 4); case 3: a single layer; case 4: layers 1 and 2 are 30x too
# fast together, layer 3 is near the rule (the odd one out, but layer 1 is the farthest from it).
CASES = [_case(19, [(6, 16), (16, 16), (16, 16), (16, 3)], [-3.1, -2.9, -0.9, -3.3], 0.1),
         _case(20, [(10, 5), (5, 5), (5, 8), (8, 2)], [-2.0, -3.0, -3.1, -5.2], 0.05),
         _case(21, [(4, 3)], [-2.5], 1.0), _case(22, [(5, 7), (7, 7), (7, 3)], [-1.5, -1.8, -3.4], 0.1)]


def check(run: Session) -> None:
    # The published cases, then three fresh ones in a fresh order, off at the first, second and third layer, too high
    # or too low: with one (always off at the second, too high), right ratios and "layer 2" for any other case passed.
    g = np.random.default_rng()
    fresh = [_case(int(g.integers(1 << 31)), [(8, 6), (6, 6), (6, 4)], np.roll([off, -3.0, -2.9], k).tolist(), 0.1)
             for k, off in zip(g.permutation(3).tolist(), (-1.0, -5.0, -1.0))]
    for params, grads, lr in [*CASES, *fresh]:
        shapes = ", ".join(f"{p.shape[0]}x{p.shape[1]}" for p in params)
        call = f"update_data_ratios(params=[{shapes} arrays], grads=[...], lr={fmt(lr)})"
        got = expect_sequence(run(call, params, grads, lr), 2, call, "(log10 ratios, layer)")
        expected = ratios(params, grads, lr)
        if not (isinstance(got[0], np.ndarray) and same(got[0], expected, rtol=1e-9, atol=1e-12)):
            shown, wanted = fmt_both(got[0], expected)
            detail = f"{call}: the log10 ratios are {shown}; expected {wanted}."
            diagnose(got[0], detail, [(m, ratios(params, grads, lr, m)) for m in RATIO_MISTAKES], 1e-9, 1e-12)
            expect_array(got[0], expected.shape, f"{call}: the ratios")
            fail(detail + " r = log10(np.std(lr * grad) / np.std(param)) for each weight matrix.")
        layer, want = got[1], off_layer(expected)
        if not isinstance(layer, numbers.Integral) or isinstance(layer, bool):
            fail(f"{call}: the layer must be an int (1..{len(params)}), got {describe(layer)}.")
        if layer != want:
            detail = f"{call}: with the ratios {fmt(expected)} you named layer {layer}; expected layer {want}."
            for mode in ("from_the_others", "one_sided", "no_reference", "zero_based"):  # the first: case 4's layer 3
                if layer == off_layer(expected, mode):
                    fail(detail, mode)
            fail(detail + " The layer whose ratio is farthest from 1e-3: the largest |r + 3|, numbered from 1.")
