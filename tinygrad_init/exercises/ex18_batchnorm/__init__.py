"""ex18: batch normalization, forward and backward, and why it makes the scale of W irrelevant."""

from __future__ import annotations

import numpy as np

from ..kit import (
    Exercise,
    Session,
    expect_array,
    expect_sequence,
    fail,
    finite,
    max_error,
    optional,
    same,
    unseen,
)

EXERCISE = Exercise(
    18, "batchnorm", "batchnorm", "Batch normalization: forward, backward, and scale invariance", 8,
    "the forward and backward rules of batch normalization",
    {
        "not_scale_invariant": "batch norm divides by the batch's own std, so scaling W by a scales x = h @ W "
                               "and its std alike: y(aW) = y(W) and dL/dW(aW) = dL/dW(W) / a. Yours does not.",
        "var_not_std": "normalize by the standard deviation sqrt(var + eps), not by the variance.",
        "centre_only": "subtracting the mean is half of it: also divide by sqrt(var + eps).",
        "unbiased_var": "batch norm normalizes with the biased variance, the mean of (x - mu)^2 over the batch "
                        "(np.var's default, ddof=0), not with ddof=1.",
        "eps_outside": "eps goes inside the square root, sqrt(var + eps); sqrt(var) + eps differs when a "
                       "feature's variance is small.",
        "no_eps": "eps is part of the formula: x_hat = (x - mu) / sqrt(var + eps). Without it, y and the gradients "
                  "differ, and a feature whose variance is 0 divides by 0.",
        "var_term_sign": "the variance's term enters with a minus sign, as the mean's does: dx = (dx_hat - "
                         "mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std.",
        "own_eps": "use the eps you are given, not a constant of your own: here the grader passes eps=0 (with it "
                   "batch norm is exactly scale-invariant), and your numbers are those of a fixed eps.",
        "wrong_axis": "batch norm normalizes each FEATURE over the batch: mean and var over axis 0, one per "
                      "column. You normalized each row.",
        "whole_array": "batch norm normalizes each FEATURE (column) on its own: x.mean(axis=0) and x.var(axis=0), one "
                       "per column. Without an axis, x.mean() and x.var() are one number for the whole array.",
        "no_affine": "y = gamma * x_hat + beta: scale and shift the normalized x.",
        "dx_no_gamma": "y = gamma * x_hat, so the gradient reaching x_hat is g * gamma: you left out gamma.",
        "no_mean_term": "the mean depends on every x in the batch: dx has a term - mean(dx_hat) that you "
                        "left out. dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std.",
        "no_var_term": "the variance depends on every x in the batch: dx has a term "
                       "- x_hat * mean(dx_hat * x_hat) that you left out.",
        "constants": "mu and sigma are computed from x itself, so they are not constants in the backward "
                     "pass: dx = (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)) / std, not dx_hat / std.",
        "dgamma_no_xhat": "y = gamma * x_hat + beta, so dL/dgamma = sum over the batch of g * x_hat, not of g.",
        "dbeta_mean": "beta is added to every row, so dL/dbeta is the SUM of g over the batch, not the mean.",
        "params_mean": "gamma and beta act on every row of the batch, so their gradients are SUMS over it, not "
                       "means: dgamma = (g * x_hat).sum(axis=0); dbeta = g.sum(axis=0).",
        "float32": "your numbers are right to float32's 7 digits only, in float64 arrays, which are judged to "
                   "float64's precision: compute in float64, as the inputs are (a cast to np.float32 anywhere loses "
                   "the rest).",
        "default": "eps=1e-5 by default, as in the stub's signature: a call that leaves it out means eps = 1e-5, "
                   "and your function gave other numbers then (with eps=1e-5 given, the right ones).",
    },
)

RULES = ("y = gamma * x_hat + beta with x_hat = (x - mean) / sqrt(var + eps) over the batch",
         "dx = gamma / std * (g - mean(g) - x_hat * mean(g * x_hat))", "dgamma = (g * x_hat).sum(axis=0)",
         "dbeta = g.sum(axis=0)")
WRONG = ["var_not_std", "centre_only", "unbiased_var", "eps_outside", "wrong_axis", "no_affine", "dx_no_gamma",
         "no_mean_term", "no_var_term", "constants", "dgamma_no_xhat", "dbeta_mean", "no_eps", "var_term_sign",
         "whole_array", "params_mean"]


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, g: np.ndarray, eps: float,
              mode: str = "right") -> tuple:
    """(y, dx, dgamma, dbeta), right (`mode="right"`) or as a known mistake computes them."""
    axis = {"wrong_axis": 1, "whole_array": None}.get(mode, 0)
    mu = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, ddof=1 if mode == "unbiased_var" else 0, keepdims=True)
    std = {"eps_outside": np.sqrt(var) + eps, "var_not_std": var + eps, "centre_only": 1.0 + 0 * var,
           "no_eps": np.sqrt(var)}.get(mode, np.sqrt(var + eps))
    xhat = (x - mu) / std
    y = xhat if mode == "no_affine" else gamma * xhat + beta
    dxhat = g if mode == "dx_no_gamma" else g * gamma
    mean_term = 0.0 if mode == "no_mean_term" else dxhat.mean(axis=axis, keepdims=True)
    var_term = 0.0 if mode in ("no_var_term", "centre_only") else xhat * (dxhat * xhat).mean(axis=axis, keepdims=True)
    var_term = -var_term if mode == "var_term_sign" else var_term
    dx = dxhat / std if mode == "constants" else (dxhat - mean_term - var_term) / std
    dgamma = g.sum(axis=0) if mode == "dgamma_no_xhat" else (g * xhat).sum(axis=0)
    dgamma = dgamma / len(x) if mode == "params_mean" else dgamma
    return y, dx, dgamma, g.mean(axis=0) if mode in ("dbeta_mean", "params_mean") else g.sum(axis=0)


def _answer(run: Session, call: str, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, g: np.ndarray,
            *eps: float) -> tuple:
    n, d = x.shape
    out = expect_sequence(run(call, x, gamma, beta, g, *eps), 4, call, "(y, dx, dgamma, dbeta)")
    return tuple(expect_array(v, s, f"{call}: {name}") for v, s, name in
                 zip(out, ((n, d), (n, d), (d,), (d,)), ("y", "dx", "dgamma", "dbeta")))


def _scale_invariance(run: Session, rng: np.random.Generator) -> None:
    """x = h @ W at W and at 10 W (eps = 0): y must not change, and dL/dW = h.T @ dx must shrink by 10."""
    h, W = rng.normal(size=(16, 5)), rng.normal(size=(5, 3)) * 0.2
    gamma, beta, g = np.array([1.5, -0.5, 2.0]), np.array([0.1, 0.0, -0.3]), rng.normal(size=(16, 3))
    a = 10.0
    call = "batchnorm(x = h @ W, gamma, beta, g, eps=0) and the same with x = h @ (10 W)"
    y1, dx1, _, _ = _answer(run, call, h @ W, gamma, beta, g, 0.0)
    y2, dx2, _, _ = _answer(run, call, h @ (a * W), gamma, beta, g, 0.0)
    precision = np.result_type(dx1, dx2, np.float16)  # float32 answers are judged in float32
    with np.errstate(all="ignore"):  # an answer of inf or nan: no numpy warning on the grader's terminal
        dW1, dW2 = (h.T @ dx1).astype(precision), (h.T @ dx2).astype(precision)
    if same(y2, y1, 1e-6, 1e-9) and same(dW2, dW1 / a, 1e-6, 1e-9):
        return
    detail = (f"{call}: " + (f"y changed, {max_error(y2, y1)}." if not same(y2, y1, 1e-6, 1e-9) else
                             f"dL/dW(10 W) is not dL/dW(W) / 10, {max_error(dW2, dW1 / a)}."))
    if not all(map(finite, (y1, dx1, y2, dx2))):  # nan or inf, as the detail says: no mistake of the hints gives one
        fail(detail)
    for own in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-10, 1e-12):  # the usual constants
        if all(same(mine, ref) for got, x in (((y1, dx1), h @ W), ((y2, dx2), h @ (a * W)))
               for mine, ref in zip(got, batchnorm(x, gamma, beta, g, own))):
            fail(detail, "own_eps")
    for mode in ("var_not_std", "centre_only"):
        want = batchnorm(h @ W, gamma, beta, g, 0.0, mode), batchnorm(h @ (a * W), gamma, beta, g, 0.0, mode)
        if same(y1, want[0][0]) and same(y2, want[1][0]) and same(dx1, want[0][1]) and same(dx2, want[1][1]):
            fail(detail, mode)
    # Right to float32's precision in float64 arrays (float32 ones are judged in float32): scale-invariant, imprecise.
    right = batchnorm(h @ W, gamma, beta, g, 0.0)[:2], batchnorm(h @ (a * W), gamma, beta, g, 0.0)[:2]
    if all(same(mine, ref, 1e-4, 1e-5) for got, want in zip(((y1, dx1), (y2, dx2)), right)
           for mine, ref in zip(got, want)):
        fail(detail, "float32")
    fail(detail, "not_scale_invariant")


def check(run: Session) -> None:
    rng = np.random.default_rng(18)
    _scale_invariance(run, rng)
    cases = [("x (8, 3)", rng.normal(size=(8, 3)) * [1.0, 3.0, 0.5] + [0.5, -2.0, 4.0], 1e-5),
             ("x (4, 4)", rng.normal(size=(4, 4)) * 2.0 - 1.0, None),  # None: eps left at the stub's 1e-5
             ("x (6, 2) with a feature of std 0.003", rng.normal(size=(6, 2)) * [0.003, 1.0], 1e-5)]
    # The fresh case draws eps too: fixed, a rule that ignored it passed it.
    for what, x, eps in unseen(cases, lambda g: ("x (5, 3)", g.normal(size=(5, 3)) * 2.0 + 1.0,
                                                 float(f"{10 ** g.uniform(-4, -2):.2g}"))):
        n, d = x.shape
        gamma, beta, g = rng.uniform(0.5, 2.0, size=d), rng.normal(size=d), rng.normal(size=(n, d))
        given, eps, extra = optional("eps", eps, 1e-5, lambda e: f"{e:g}")
        call = f"batchnorm({what}, gamma, beta, g{extra})"
        got = _answer(run, call, x, gamma, beta, g, *given)
        want = batchnorm(x, gamma, beta, g, eps)
        names = ("y", "dx", "dgamma", "dbeta")
        bad = [i for i in range(4) if not same(got[i], want[i])]
        if not bad:
            continue
        detail = (f"{call}: {' and '.join(names[i] for i in bad)} wrong; {names[bad[0]]}: "
                  f"{max_error(got[bad[0]], want[bad[0]])}.")
        if not given and all(same(a, b) for a, b in zip(_answer(run, call, x, gamma, beta, g, eps), want)):
            fail(detail, "default")
        for mode in WRONG:
            wrong = batchnorm(x, gamma, beta, g, eps, mode)
            if all(same(a, b) for a, b in zip(got, wrong)):
                fail(detail, mode)
        fail(detail + " " + "; ".join(RULES[i] for i in bad) + " (returned in the order y, dx, dgamma, dbeta).")
