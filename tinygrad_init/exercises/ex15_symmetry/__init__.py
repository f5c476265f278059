"""ex15: symmetry. A constant initialization gives every hidden unit the same gradient; a random one does not."""

from __future__ import annotations

import numpy as np

from ..kit import (
    INIT_HINTS,
    Exercise,
    Opaque,
    Raised,
    Rng,
    Session,
    describe,
    expect_array,
    expect_sequence,
    fail,
    max_error,
    same,
    unseen,
)

EXERCISE = Exercise(
    15, "symmetry", "symmetry_gradients", "Why not a constant init? Show the symmetry, then break it", 4,
    "symmetry and how a random initialization breaks it",
    {
        "still_symmetric": "the columns of your 'random' dW1 are still all the same: every hidden unit got "
                           "the same weights, so they still compute the same thing. Draw a different number "
                           "for EVERY entry of W1, c * rng.standard_normal((n_in, hidden)).",
        "row_noise": "you drew one random number per ROW of W1 and copied it across the columns: the hidden "
                     "units (columns) still have identical weights, so the symmetry is not broken. Draw the "
                     "whole (n_in, hidden) matrix.",
        "scalar_noise": "a single random number for the whole of W1 is just another constant init: every "
                        "hidden unit still gets the same weights and the same gradient.",
        "ignores_rng": "the same seed gave different gradients: draw W1 from the `rng` argument, not from "
                       "np.random.* or a generator of your own.",
        "fixed_seed": "different seeds gave the same gradients: draw W1 from the `rng` argument.",
        "random_W2": "only W1 is drawn at random; W2 stays c everywhere (drawing W2 too also changes which "
                     "numbers W1 gets).",
        "no_tanh_derivative": "the gradient flows back through tanh: multiply by tanh'(z) = 1 - h^2 before "
                              "x.T @ ... .",
        "no_mean": "the loss is a MEAN over the N rows: dL/dp = (p - y) / N.",
        "dW1_transposed": "dW1 has W1's shape (n_in, hidden): x.T @ dz, not dz.T @ x (which only runs when "
                          "the two are square).",
        "outer": "np.outer(x, dz) is x.T @ dz only for a batch of one row; for a batch, x.T @ dz.",
        "zeros": "the constant init here is c everywhere (W1 = W2 = c), not zeros.",
        "global_seed": INIT_HINTS["global_seed"],
        "own_c": "use the argument c, not a constant of your own: W1 = c and W2 = c everywhere at the constant "
                 "init, and W1 = c * rng.standard_normal(...) at the random one.",
        "sign": "every gradient has the wrong sign: dL/dp = (p - y) / N, the prediction minus the target, not "
                "(y - p) / N.",
        "no_half": "your gradients are twice the right ones: the loss is mean((p - y)^2) / 2, and the 1/2 cancels "
                   "the 2 of the square's derivative, dL/dp = (p - y) / N.",
        "returned_weight": "that is W1 itself (c everywhere), the weights. Return their GRADIENT, an ndarray: after "
                           "loss.backward() it is w1.grad, not w1 or w1.data.",
        "grad_not_zeroed": "your dW1_random is the sum of both gradients: backward ADDS to w1.grad, and the second "
                           "loss.backward() added to what the first left there. Use a fresh Tensor for the random "
                           "init (or reset w1.grad = None) before the second backward.",
        "used_input": "tanh'(z) = 1 - tanh(z)^2 = 1 - h^2, written with the OUTPUT h = tanh(x @ W1); you used the "
                      "input z = x @ W1 in its place (1 - z^2).",
        "order": "return (dW1_constant, dW1_random) in that order: the constant init's gradient first.",
        "transposed_draw": "draw W1 in its own shape, rng.standard_normal((n_in, hidden)): a (hidden, n_in) draw, "
                           "transposed, puts the same numbers in other places.",
    },
    engine=("Tensor",),
)

F32 = (1e-5, 1e-7)  # rtol, atol: every answer is judged to float32's precision, as a float32 one is (kit.same)
# (N, n_in, hidden, seed, c): n_in == hidden lets a transposed dW1 run; a batch of one row hides sums; c varies.
CASES = [(6, 3, 4, 5, 0.5), (5, 4, 4, 6, 0.3), (1, 3, 2, 7, 0.8)]


def _dW1(x: np.ndarray, y: np.ndarray, W1: np.ndarray, W2: np.ndarray, mode: str) -> np.ndarray:
    """dL/dW1 of L = mean((tanh(x @ W1) @ W2 - y)^2) / 2, right or as a known mistake computes it."""
    h = np.tanh(x @ W1)
    dp = (h @ W2 - y) / (1 if mode == "no_mean" else len(x)) * {"no_half": 2.0, "sign": -1.0}.get(mode, 1.0)
    z = x @ W1 if mode == "used_input" else h
    dz = (dp @ W2.T) * (1.0 if mode == "no_tanh_derivative" else 1.0 - z * z)
    return dz.T @ x if mode == "dW1_transposed" else np.outer(x, dz) if mode == "outer" else x.T @ dz


def _answer(x: np.ndarray, y: np.ndarray, hidden: int, seed: int, C: float, mode: str = "right") -> tuple:
    n_in = x.shape[1]
    W2 = np.full((hidden, 1), C)
    zero = mode == "zeros"
    const = _dW1(x, y, np.full((n_in, hidden), 0.0 if zero else C), W2 * (not zero), mode)
    g = np.random.default_rng(seed)
    W1 = {"row_noise": lambda: C * g.standard_normal((n_in, 1)) * np.ones((1, hidden)),
          "scalar_noise": lambda: np.full((n_in, hidden), C * g.standard_normal()),
          "transposed_draw": lambda: C * g.standard_normal((hidden, n_in)).T}.get(
        mode, lambda: C * g.standard_normal((n_in, hidden)))()
    return const, _dW1(x, y, W1, C * g.standard_normal((hidden, 1)) if mode == "random_W2" else W2, mode)


def _columns_equal(a: np.ndarray) -> bool:
    return bool(np.allclose(a, a[:, :1], rtol=1e-9, atol=1e-12))


def check(run: Session) -> None:
    seeded = np.random.default_rng(15)
    for (n, n_in, hidden, seed, C), data in unseen([(case, seeded) for case in CASES], lambda fresh: (
            (4, 3, 3, int(fresh.integers(1000)), round(float(fresh.uniform(0.2, 0.9)), 2)), fresh)):
        x, y = data.normal(size=(n, n_in)), data.normal(size=(n, 1))
        rng, shown = (seed, seed) if n == 1 else (Rng(seed), f"np.random.default_rng({seed})")  # a seed, a Generator
        call = f"symmetry_gradients(x {x.shape}, y {y.shape}, hidden={hidden}, c={C}, rng={shown})"
        try:
            pair = expect_sequence(run(call, x, y, hidden, C, rng), 2, call, "(dW1_constant, dW1_random)")
        except Raised as exc:
            if "random.seed(" in exc.text:
                fail(f"{call} raised {exc.type}: {exc.message} ({exc.where}).", "global_seed")
            raise
        const, rand = _answer(x, y, hidden, seed, C)
        if all(isinstance(p, np.ndarray) for p in pair) and same(pair[0], const, *F32) and same(pair[1], rand, *F32):
            continue
        if C != CASES[0][4] and same(pair[0], _answer(x, y, hidden, seed, CASES[0][4])[0]):
            fail(f"{call}: dW1_constant is that of c = {CASES[0][4]}.", "own_c")
        for mode in ("row_noise", "scalar_noise", "random_W2", "no_tanh_derivative", "no_mean", "dW1_transposed",
                     "outer", "zeros", "no_half", "sign", "used_input", "transposed_draw"):
            wrong = _answer(x, y, hidden, seed, C, mode)
            if same(pair[0], wrong[0]) and same(pair[1], wrong[1]):
                fail(f"{call}: wrong gradients.", mode)
        if same(pair[0], rand) and same(pair[1], const):
            fail(f"{call}: the two gradients are swapped.", "order")
        if same(pair[0].data if isinstance(pair[0], Opaque) else pair[0], np.full(const.shape, C)):
            fail(f"{call}: dW1_constant is {describe(pair[0])}, holding W1 = c everywhere.", "returned_weight")
        if same(pair[0], const) and same(pair[1], const + rand):
            fail(f"{call}: dW1_random is wrong, {max_error(pair[1], rand)}.", "grad_not_zeroed")
        if not (isinstance(pair[0], np.ndarray) and same(pair[0], const, *F32)):
            got = expect_array(pair[0], const.shape, f"{call}: dW1_constant")
            symmetric = (" At a constant init every hidden unit computes the same function, so every column of "
                         "dW1 is the same; yours differ." if not _columns_equal(got) else " With W1 = W2 = c "
                         "everywhere: dW1 = x.T @ (((p - y) / N) @ W2.T * (1 - h^2)), h = tanh(x @ W1), p = h @ W2.")
            fail(f"{call}: dW1_constant is wrong, {max_error(got, const)}.{symmetric}")
        got = expect_array(pair[1], rand.shape, f"{call}: dW1_random")
        if _columns_equal(got):
            fail(f"{call}: every column of dW1_random is the same.", "still_symmetric")
        again = run(call, x, y, hidden, C, rng)
        if not (isinstance(again, (tuple, list)) and len(again) == 2 and same(again[1], got, 0, 0)):
            fail(f"{call} returned a different dW1_random when called again with the same seed.", "ignores_rng")
        other = run(call.replace(f"rng={shown}", f"rng={seed + 100}"), x, y, hidden, C, seed + 100)
        if isinstance(other, (tuple, list)) and len(other) == 2 and same(other[1], got, 0, 0):
            fail(f"{call} and rng={seed + 100} returned the same dW1_random.", "fixed_seed")
        fail(f"{call}: dW1_random is wrong, {max_error(got, rand)}. W1 = c * rng.standard_normal((n_in, hidden)), "
             "W2 = c everywhere; dW1 = x.T @ (((p - y) / N) @ W2.T * (1 - h^2)).")
