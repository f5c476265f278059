"""Exercise 13 -- He/Kaiming normal initialization (tutorial 7: ReLU and He initialization).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about drawing He's normal initialization.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex13
"""

import numpy as np


def he_normal(shape: tuple, rng=None, dtype=np.float32) -> np.ndarray:
    """Return a weight of `shape` drawn from He et al.'s initialization for ReLU networks.

    The task:
        Draw every entry independently from a normal N(0, std^2) and return an
        ndarray of `shape` and `dtype`. `shape` is (fan_in, fan_out) or a kernel
        (in, out, kh, kw) -- its fans are those of exercise 11. `rng` is a
        np.random.Generator, an int seed or None: the same seed must give the same
        numbers, and different seeds different ones; an int seed gives the numbers
        of the Generator np.random.default_rng(seed), and None a fresh seed at
        every call.

    The math:
        A pre-activation y = x @ W sums fan_in terms: Var(y) = fan_in Var(W) E[x^2].
        After a ReLU, E[relu(y)^2] = Var(y) / 2. Keeping E[x^2] the same from layer
        to layer therefore needs fan_in Var(W) / 2 = 1 (He et al. 2015, eq. 10):
            std = sqrt(2 / fan_in)

    Example:
        W = he_normal((500, 200), rng=0)        # std ~ sqrt(2/500) = 0.0632

    Hint:
        gen = np.random.default_rng(rng), then gen.normal(0.0, std, size=shape)
        and .astype(dtype). For the fans, copy your fans() from exercise 11 into
        this file (or `from ex11_fans import fans`).
    """
    raise NotImplementedError("he_normal: replace this line with your code (see the docstring)")
