"""Reference solution of ex20_edge_of_chaos (kept out of the package: the tests grade it)."""

import numpy as np

T, W = np.polynomial.hermite_e.hermegauss(101)


def expect(f, q):
    """E[f(z)], z ~ N(0, q), by 101-point Gauss-Hermite quadrature (probabilists' weight e^(-t^2/2))."""
    return np.sum(W * f(np.sqrt(q) * T)) / np.sqrt(2 * np.pi)


def q_star(sw, sb):
    """Iterate q <- sw E[tanh(z)^2] + sb from q = 1 to its fixed point."""
    q = 1.0
    for _ in range(10000):
        new = sw * expect(lambda z: np.tanh(z) ** 2, q) + sb
        if abs(new - q) < 1e-13:
            return new
        q = new
    return q


def chi(sw, sb):
    """chi_1 = sw E[tanh'(z)^2] at q*."""
    return sw * expect(lambda z: (1 - np.tanh(z) ** 2) ** 2, q_star(sw, sb))


def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2
