"""ex20: the edge of chaos for tanh: q* by iterating the variance map, chi_1 by quadrature, the critical sigma_w^2."""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.polynomial.hermite import hermgauss

from ..kit import Exercise, Session, expect_float, expect_sequence, fail, fmt, fmt_both, same, unseen

EXERCISE = Exercise(
    20, "edge_of_chaos", "edge_of_chaos", "chi_1 by quadrature, and the critical line of tanh", 10,
    "the variance map, chi_1 and the edge of chaos",
    {
        "q_one": "chi_1 is E[tanh'(z)^2] at the FIXED POINT, z ~ N(0, q*): iterate the variance map to q* "
                 "first. You evaluated it at q = 1.",
        "no_sigma_w": "chi_1 = sigma_w2 * E[tanh'(z)^2]: the gradient passes through the weights too, which "
                      "multiply its variance by sigma_w2. You left sigma_w2 out.",
        "not_squared": "chi_1 averages the SQUARED derivative, E[tanh'(z)^2] = E[(1 - tanh(z)^2)^2]: it is a "
                       "factor on the gradient's variance, not on the gradient.",
        "square_outside": "chi_1 averages the squared derivative, E[tanh'(z)^2], the mean of the squares; you "
                          "squared the mean, E[tanh'(z)]^2, which is smaller.",
        "hermite_scaling": "np.polynomial.hermite.hermgauss integrates against e^(-t^2), not e^(-t^2/2): with "
                           "its nodes use z = sqrt(2 q) t and divide by sqrt(pi) (or use "
                           "np.polynomial.hermite_e.hermegauss, whose weight is e^(-t^2/2), and divide by "
                           "sqrt(2 pi)).",
        "no_bias": "the variance map adds the biases' variance: q <- sigma_w2 * E[tanh(z)^2] + sigma_b2.",
        "sigma_w2_squared": "sigma_w2 is already a square, sigma_w^2 (the weights' variance times fan_in): multiply "
                            "by it as it is; you squared it again.",
        "variance_as_std": "z ~ N(0, q) has variance q: its std, the scale of the nodes, is sqrt(q), z = sqrt(q) * t. "
                           "With z = q * t you averaged over N(0, q^2).",
        "other_bias": "the critical sigma_w2 depends on sigma_b2 (it is 1 only at sigma_b2 = 0): bisect on chi_1 "
                      "computed with the sigma_b2 you were given, its q* included.",
        "std_returned": "q* is a variance (the pre-activations' second moment); you returned its square root.",
        "bias_in_chi": "sigma_b2 belongs to the variance map only: a bias does not depend on the input, so it "
                       "adds nothing to the gradient. chi_1 = sigma_w2 * E[tanh'(z)^2].",
        "fixed_q": "q* moves with sigma_w2: for each sigma_w2 the bisection tries, find its own q* (iterate "
                   "the map again) before computing chi_1. You kept the q* of the sigma_w2 you were given.",
        "bracket_end": "your critical sigma_w2 is an end of the bracket [0.5, 10]: the bisection kept the wrong "
                       "half. chi_1 grows with sigma_w2, so where chi_1 < 1 the edge lies above the midpoint (lo = "
                       "mid), else below it (hi = mid).",
        "order": "return the three in the order (q_star, chi_1, critical_sigma_w2): yours are the right numbers in "
                 "another order.",
        "imprecise": "close, but not to 1e-6: use Gauss-Hermite quadrature with about 100 nodes (an average "
                     "over random samples is never this precise), iterate the map until q stops changing "
                     "(1e-13), and bisect until the bracket is below 1e-10.",
    },
)

# (sigma_w2, sigma_b2): ordered at sigma_b^2 = 0.05 (chi_1 = 0.939 by the recursion, below the critical sigma_w^2
# ~= 1.761, Schoenholz et al. 2017's ~1.76), chaotic, and deep in the ordered phase. q* stays below about 1.5,
# where 101-point Gauss-Hermite is exact to 1e-8.
CASES = [(1.5, 0.05), (2.2, 0.1), (1.2, 0.2)]
WRONG = ["q_one", "no_sigma_w", "not_squared", "square_outside", "hermite_scaling", "no_bias", "std_returned",
         "bias_in_chi", "fixed_q", "sigma_w2_squared", "variance_as_std"]


_HERMITE = hermgauss(101)


def _expect(f, q: float, mode: str) -> float:
    """`E[f(z)]` for `z ~ N(0, q)` by the trapezoid rule on 801 points over +-12 std (an analytic integrand with
    a Gaussian tail: exact to about 1e-13 here), or with the mistaken Hermite rule."""
    q = q * q if mode == "variance_as_std" else q  # E[f(q t)], t ~ N(0, 1), is E[f(z)] for z ~ N(0, q^2)
    if q == 0.0:
        return float(f(np.zeros(1))[0])
    s = math.sqrt(q)
    if mode == "hermite_scaling":
        return float(_HERMITE[1] @ f(s * _HERMITE[0])) / math.sqrt(2.0 * math.pi)
    z = np.linspace(-12.0 * s, 12.0 * s, 801)
    return float(np.sum(f(z) * np.exp(-z * z / (2.0 * q))) * (z[1] - z[0]) / math.sqrt(2.0 * math.pi * q))


def _q_star(sw: float, sb: float, mode: str) -> float:
    q = 1.0
    for _ in range(2000):
        new = sw * _expect(lambda z: np.tanh(z) ** 2, q, mode) + (0.0 if mode == "no_bias" else sb)
        if abs(new - q) <= 1e-14 * max(new, 1e-300):
            return new
        q = new
    return q


def _chi(sw: float, sb: float, q: float, mode: str) -> float:
    d = (lambda z: 1.0 - np.tanh(z) ** 2) if mode in ("not_squared", "square_outside") else \
        (lambda z: (1.0 - np.tanh(z) ** 2) ** 2)
    e = _expect(d, 1.0 if mode == "q_one" else q, mode) ** (2 if mode == "square_outside" else 1)
    return {"no_sigma_w": e, "bias_in_chi": sw * e + sb}.get(mode, sw * e)


@functools.lru_cache(maxsize=None)
def solve(sw: float, sb: float, mode: str = "right") -> tuple[float, float, float]:
    """`(q*, chi_1, critical sigma_w^2)`, right (`mode="right"`) or as a known mistake computes them (None where
    the mistake has no definite answer)."""
    if mode == "sigma_w2_squared":  # every sigma_w2 squared: the critical one is the root of the right one
        q, chi, crit = solve(sw * sw, sb)
        return q, chi, math.sqrt(crit) if crit is not None else None
    q = _q_star(sw, sb, mode)
    chi = _chi(sw, sb, q, mode)
    crit: float | None
    if mode in ("no_sigma_w", "no_bias"):
        crit = None  # no definite answer: E[tanh'^2] < 1 everywhere; q* -> 0 ever more slowly near sigma_w2 = 1
    elif mode == "fixed_q":
        crit = 1.0 / _expect(lambda z: (1.0 - np.tanh(z) ** 2) ** 2, q, mode)
    else:
        lo, hi = 0.5, 10.0
        while hi - lo > 1e-11:
            mid = (lo + hi) / 2.0
            lo, hi = (mid, hi) if _chi(mid, sb, _q_star(mid, sb, mode), mode) < 1.0 else (lo, mid)
        crit = (lo + hi) / 2.0 if 0.5 + 1e-6 < lo and hi < 10.0 - 1e-6 else None  # None: chi_1 < 1 (or > 1) all along
    return (math.sqrt(q) if mode == "std_returned" else q), chi, crit


NAMES = ("q*", "chi_1", "the critical sigma_w2")


def check(run: Session) -> None:
    for sw, sb in unseen(CASES, lambda g: (round(g.uniform(1.2, 2.2), 3), round(g.uniform(0.05, 0.2), 3))):
        call = f"edge_of_chaos(sigma_w2={fmt(sw)}, sigma_b2={fmt(sb)})"
        out = expect_sequence(run(call, sw, sb), 3, call, "(q_star, chi_1, critical_sigma_w2)")
        got = [float(expect_float(v, f"{call}: {name}")) for v, name in zip(out, NAMES)]  # 1e-6 even in float32
        want = solve(sw, sb)
        bad = [i for i in range(3) if not same(got[i], want[i], rtol=1e-6, atol=0.0)]
        if not bad:
            continue
        i = bad[0]
        shown, wanted = fmt_both(got[i], want[i])
        detail = f"{call}: {NAMES[i]} is {shown}; expected {wanted}."
        if same(sorted(got), sorted(want), rtol=1e-6, atol=0.0):  # the right numbers, in another order
            fail(detail, "order")
        wrong = {m: solve(sw, sb, m) for m in WRONG}
        for m, w in wrong.items():  # first a mistake that explains every number, then one that explains the first
            if all(w[j] is not None and same(got[j], w[j], rtol=1e-5, atol=0.0) for j in range(3)):
                fail(detail, m)
        for m, w in wrong.items():
            if w[i] is not None and not same(w[i], want[i], rtol=1e-6, atol=0.0) and same(got[i], w[i], 1e-5, 0.0):
                fail(detail, m)
        if i == 2 and min(abs(got[2] - 0.5), abs(got[2] - 10.0)) < 1e-6:
            fail(detail, "bracket_end")
        if i == 2 and abs(got[2] - 1.0) < 0.01:  # sigma_b2 = 0's, whose q* -> 0 ever more slowly near 1
            fail(detail, "other_bias")
        if same(got[i], want[i], rtol=0.05, atol=0.0):  # e.g. a map iterated a few times only
            fail(detail, "imprecise")
        fail(detail + " q* = sigma_w2 E[tanh(z)^2] + sigma_b2 with z ~ N(0, q*); chi_1 = sigma_w2 E[tanh'(z)^2] "
                      "there; the critical sigma_w2 is where chi_1 = 1, at the same sigma_b2.")
