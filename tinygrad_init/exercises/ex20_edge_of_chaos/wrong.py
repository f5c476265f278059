"""Known-wrong answers to ex20_edge_of_chaos: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: q_one
# chi_1 evaluated at q = 1 instead of at the fixed point.
import numpy as np

T, W = np.polynomial.hermite_e.hermegauss(101)


def expect(f, q):
    return np.sum(W * f(np.sqrt(q) * T)) / np.sqrt(2 * np.pi)


def q_star(sw, sb):
    q = 1.0
    for _ in range(10000):
        new = sw * expect(lambda z: np.tanh(z) ** 2, q) + sb
        if abs(new - q) < 1e-13:
            return new
        q = new
    return q


def chi(sw, sb):
    return sw * expect(lambda z: (1 - np.tanh(z) ** 2) ** 2, 1.0)


def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2


# wrong: not_squared
# E[tanh'(z)] instead of E[tanh'(z)^2].
import numpy as np

T, W = np.polynomial.hermite_e.hermegauss(101)


def expect(f, q):
    return np.sum(W * f(np.sqrt(q) * T)) / np.sqrt(2 * np.pi)


def q_star(sw, sb):
    q = 1.0
    for _ in range(10000):
        new = sw * expect(lambda z: np.tanh(z) ** 2, q) + sb
        if abs(new - q) < 1e-13:
            return new
        q = new
    return q


def chi(sw, sb):
    return sw * expect(lambda z: 1 - np.tanh(z) ** 2, q_star(sw, sb))


def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2
