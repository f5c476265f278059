"""Exercise 12 -- Xavier/Glorot uniform initialization (tutorial 6: Xavier initialization: keep the variance).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about drawing Glorot's uniform initialization.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex12
"""

import numpy as np


def xavier_uniform(shape: tuple, rng=None, dtype=np.float32) -> np.ndarray:
    """Return a weight of `shape` drawn from Glorot & Bengio's normalized (uniform) initialization.

    The task:
        Draw every entry independently from U(-a, a) and return an ndarray of
        `shape` and `dtype`. `shape` is (fan_in, fan_out) or a kernel
        (in, out, kh, kw) -- its fans are those of exercise 11. `rng` is a
        np.random.Generator, an int seed or None: the same seed must give the same
        numbers, and different seeds different ones; an int seed gives the numbers
        of the Generator np.random.default_rng(seed), and None a fresh seed at
        every call.

    The math:
        Glorot & Bengio (2010) keep the variance of both the forward signal and
        the backward gradient by taking Var(W) = 2 / (fan_in + fan_out).
        U(-a, a) has variance a^2 / 3, so
            a = sqrt(6 / (fan_in + fan_out))

    Example:
        W = xavier_uniform((400, 100), rng=0)   # |W| <= sqrt(6/500) = 0.1095, std ~ 0.0632

    Hint:
        gen = np.random.default_rng(rng) turns a seed or None into a Generator and
        returns a Generator unchanged. Then gen.uniform(-a, a, size=shape), and
        .astype(dtype). For the fans, copy your fans() from exercise 11 into this
        file (or `from ex11_fans import fans`).
    """
    raise NotImplementedError("xavier_uniform: replace this line with your code (see the docstring)")
