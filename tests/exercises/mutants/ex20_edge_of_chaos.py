"""Mutants of ex20_edge_of_chaos: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) holds what the mistake changes; the
tests grade the reference solution followed by it as one student file (a later definition
replaces the solution's) and expect the hint KEY.
"""
# ruff: noqa


# common: solution
# each mutant below follows the reference solution and replaces what its mistake changes.


# mutant: no_sigma_w
# chi_1 without the factor sigma_w2.

def chi(sw, sb):
    return expect(lambda z: (1 - np.tanh(z) ** 2) ** 2, q_star(sw, sb))


# mutant: square_outside
# the square of the mean derivative, E[tanh'(z)]^2, for the mean of its square.

def chi(sw, sb):
    return sw * expect(lambda z: 1 - np.tanh(z) ** 2, q_star(sw, sb)) ** 2


# mutant: bracket_end
# the bisection moves the wrong end: it ends at 10.

def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) > 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2


# mutant: bracket_end
# the bisection returns lo, never moved.

def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            hi = mid
        else:
            lo = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), lo


# mutant: hermite_scaling
# the physicists' Hermite rule with the probabilists' scaling.

T, W = np.polynomial.hermite.hermgauss(101)


# mutant: no_bias
# the variance map without the biases' variance.

def q_star(sw, sb):
    q = 1.0
    for _ in range(500):
        new = sw * expect(lambda z: np.tanh(z) ** 2, q)
        if abs(new - q) < 1e-13:
            return new
        q = new
    return q


# mutant: std_returned
# returns sqrt(q*).

def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return np.sqrt(q_star(sigma_w2, sigma_b2)), chi(sigma_w2, sigma_b2), (lo + hi) / 2


# mutant: bias_in_chi
# adds sigma_b2 to chi_1 as well.

def chi(sw, sb):
    return sw * expect(lambda z: (1 - np.tanh(z) ** 2) ** 2, q_star(sw, sb)) + sb


# mutant: fixed_q
# the bisection keeps the q* of the given sigma_w2.

def edge_of_chaos(sigma_w2, sigma_b2):
    q = q_star(sigma_w2, sigma_b2)
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if mid * expect(lambda z: (1 - np.tanh(z) ** 2) ** 2, q) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2


# mutant: imprecise
# a 9-point quadrature rule.

T, W = np.polynomial.hermite_e.hermegauss(9)


# mutant: imprecise
# ten iterations of the map and a bisection to 1e-4.

def q_star(sw, sb):
    q = 1.0
    for _ in range(10):
        new = sw * expect(lambda z: np.tanh(z) ** 2, q) + sb
        if abs(new - q) < 1e-13:
            return new
        q = new
    return q


def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-4:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2


# mutant: q_one
# the derivative averaged at the quadrature nodes themselves, that is over z ~ N(0, 1).

def chi(sw, sb):
    return sw * np.sum(W * (1 - np.tanh(T) ** 2) ** 2) / np.sqrt(2 * np.pi)


# mutant: imprecise
# expectations as averages over 20 000 random samples.

Z = np.random.default_rng(0).standard_normal(20_000)


def expect(f, q):
    return np.mean(f(np.sqrt(q) * Z))


def q_star(sw, sb):
    q = 1.0
    for _ in range(60):
        q = sw * expect(lambda z: np.tanh(z) ** 2, q) + sb
    return q


def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-4:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2


# mutant: sigma_w2_squared
# sigma_w2 read as sigma_w, and squared again in the map and in chi_1.

def q_star(sw, sb):
    q = 1.0
    for _ in range(10000):
        new = sw**2 * expect(lambda z: np.tanh(z) ** 2, q) + sb
        if abs(new - q) < 1e-13:
            return new
        q = new
    return q


def chi(sw, sb):
    return sw**2 * expect(lambda z: (1 - np.tanh(z) ** 2) ** 2, q_star(sw, sb))


# mutant: order
# returns the critical sigma_w2 second and chi_1 last.
def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, sigma_b2) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), (lo + hi) / 2, chi(sigma_w2, sigma_b2)


# mutant: variance_as_std
# scales the nodes by q, the variance, not by its root.

def expect(f, q):
    return np.sum(W * f(q * T)) / np.sqrt(2 * np.pi)


# mutant: other_bias
# bisects on chi_1 at sigma_b2 = 0, not at the sigma_b2 given.

def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if chi(mid, 0.0) < 1:
            lo = mid
        else:
            hi = mid
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2
