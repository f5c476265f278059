"""Exercise 20 -- chi_1 by quadrature, and the critical line of tanh (tutorial 10: The edge of chaos).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about the variance map, chi_1 and the edge of chaos.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex20
"""

import numpy as np  # noqa: F401 (you will need it: np.polynomial.hermite_e.hermegauss)


def edge_of_chaos(sigma_w2: float, sigma_b2: float) -> tuple:
    """Return (q_star, chi_1, critical_sigma_w2) for a deep tanh network.

    The task:
        A wide tanh network has weights with Var(W) = sigma_w2 / fan_in and biases with
        Var(b) = sigma_b2. Return a tuple of three floats (relative error below 1e-6):
        - q_star: the fixed point q* of the variance map below, iterated from q = 1;
        - chi_1: sigma_w2 * E[tanh'(z)^2] for z ~ N(0, q_star);
        - critical_sigma_w2: the sigma_w2 where chi_1 = 1 at the SAME sigma_b2 (the edge of
          chaos), found by bisection on [0.5, 10].

    The math:
        A pre-activation sums many independent terms, so it is Gaussian; its variance q
        goes from layer to layer by the variance map
            q  <-  sigma_w2 * E[tanh(z)^2] + sigma_b2,     z ~ N(0, q),
        which settles at a fixed point q*. A gradient (or a small change of the input)
        going through one layer is multiplied by tanh'(z) and summed through the weights,
        so its variance is multiplied by
            chi_1 = sigma_w2 * E[tanh'(z)^2],   tanh'(z) = 1 - tanh(z)^2,   z ~ N(0, q*).
        chi_1 < 1: ordered (gradients vanish with depth); chi_1 > 1: chaotic (they explode).
        chi_1 grows with sigma_w2 (q* moves too: recompute it for every sigma_w2 you try).

    Example:
        edge_of_chaos(1.5, 0.05)  ->  (0.41804, 0.93864, 1.76095)
        (Schoenholz et al. 2017: for tanh at sigma_b2 = 0.05 the critical sigma_w2 is about 1.76.)

    Hint:
        E[f(z)] for z ~ N(0, q) by Gauss-Hermite quadrature with the probabilists' weight:
            t, w = np.polynomial.hermite_e.hermegauss(101)
            E = np.sum(w * f(np.sqrt(q) * t)) / np.sqrt(2 * np.pi)
        Iterate the map until q changes by less than 1e-13; bisect until the bracket is
        shorter than 1e-10.
    """
    raise NotImplementedError("edge_of_chaos: replace this line with your code (see the docstring)")
