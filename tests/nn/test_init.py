"""Tests of tinygrad_init.init: every scheme's shape, dtype, determinism and statistics,
the name lookup, the error messages, the gain table and the self-description."""

from __future__ import annotations

import math
import os
import pathlib
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from tinygrad_init import Tensor, init, nn

RANDOM_SCHEMES = ["normal", "uniform", "small", "large", "cs231n", "glorot_standard", "xavier_uniform",
                  "xavier_normal", "lecun_normal", "lecun_uniform", "he_normal", "he_uniform",
                  "variance_scaling", "orthogonal", "sparse"]
CONSTANT_SCHEMES = ["zeros", "ones", "constant"]
SHAPE_SCHEMES = RANDOM_SCHEMES + CONSTANT_SCHEMES


def std_of(name: str, fi: int, fo: int, **p) -> float:
    """Expected std of one entry, written out independently of the code under test."""
    a = p.get("negative_slope", 0.0)
    fan = {"fan_in": fi, "fan_out": fo}.get(p.get("mode", "fan_in"), (fi + fo) / 2)
    return {
        "normal": p.get("std", 1.0),
        "uniform": (p.get("b", 1.0) - p.get("a", 0.0)) / math.sqrt(12),
        "small": 0.01, "large": 1.0,
        "cs231n": 1 / math.sqrt(fi),
        "glorot_standard": 1 / math.sqrt(3 * fi),
        "xavier_uniform": p.get("gain", 1.0) * math.sqrt(2 / (fi + fo)),
        "xavier_normal": p.get("gain", 1.0) * math.sqrt(2 / (fi + fo)),
        "lecun_normal": 1 / math.sqrt(fi), "lecun_uniform": 1 / math.sqrt(fi),
        "he_normal": math.sqrt(2 / ((1 + a * a) * fan)), "he_uniform": math.sqrt(2 / ((1 + a * a) * fan)),
        "variance_scaling": math.sqrt(p.get("scale", 1.0) / fan),
        "orthogonal": p.get("gain", 1.0) / math.sqrt(max(fi, fo)),
        "sparse": p.get("std", 0.01) * math.sqrt(1 - math.ceil(p.get("sparsity", 0.9) * fi) / fi),
    }[name]


# ------------------------------------------------------------------ shape, dtype, determinism


@pytest.mark.parametrize("name", SHAPE_SCHEMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_and_dtype(name, dtype):
    w = init.get(name)((7, 5), rng=0, dtype=dtype)
    assert w.shape == (7, 5) and w.dtype == dtype


@pytest.mark.parametrize("name", RANDOM_SCHEMES)
def test_same_seed_same_bytes_different_seed_different(name):
    f = init.get(name)
    a, b, c = f((30, 20), rng=3), f((30, 20), rng=3), f((30, 20), rng=4)
    assert a.tobytes() == b.tobytes()
    assert a.tobytes() != c.tobytes()
    gen = np.random.default_rng(3)
    first, second = f((30, 20), rng=gen), f((30, 20), rng=gen)  # a shared Generator advances
    assert first.tobytes() == a.tobytes() and second.tobytes() != first.tobytes()


@pytest.mark.parametrize("name", ["zeros", "ones", "constant", "normal", "uniform", "small", "large"])
def test_fan_free_schemes_accept_bias_shapes(name):
    b = init.get(name)((6,), rng=0)
    assert b.shape == (6,)
    assert init.zeros(4).shape == (4,)  # an int is a 1-D shape
    assert init.get(name)((), rng=0).shape == ()  # a scalar, as np.zeros(()) and torch's init give (was (1,))


def test_constants():
    assert np.all(init.zeros((3, 2)) == 0) and np.all(init.ones((3, 2)) == 1)
    assert np.all(init.constant((3, 2), value=0.25) == np.float32(0.25))
    assert np.all(init.get("constant", value=-2)((2,)) == -2)


def test_float32_is_float64_draw_rounded_once():
    a32 = init.he_normal((40, 30), rng=5, dtype=np.float32)
    a64 = init.he_normal((40, 30), rng=5, dtype=np.float64)
    np.testing.assert_array_equal(a32, a64.astype(np.float32))


# ------------------------------------------------------------------ statistics


@pytest.mark.parametrize("name,params", [
    ("normal", {}), ("normal", {"std": 0.3}), ("uniform", {}), ("uniform", {"a": -2.0, "b": 1.0}),
    ("small", {}), ("large", {}), ("cs231n", {}), ("glorot_standard", {}),
    ("xavier_uniform", {}), ("xavier_uniform", {"gain": 5 / 3}), ("xavier_normal", {}),
    ("xavier_normal", {"gain": 2.0}), ("lecun_normal", {}), ("lecun_uniform", {}),
    ("he_normal", {}), ("he_normal", {"mode": "fan_out"}), ("he_normal", {"negative_slope": 0.2}),
    ("he_uniform", {}), ("he_uniform", {"mode": "fan_out", "negative_slope": 0.1}),
    ("variance_scaling", {"scale": 3.0, "mode": "fan_avg", "distribution": "truncated_normal"}),
    ("variance_scaling", {"scale": 0.5, "mode": "fan_out", "distribution": "uniform"}),
    ("orthogonal", {}), ("orthogonal", {"gain": 1.5}), ("sparse", {}), ("sparse", {"sparsity": 0.5, "std": 1.0}),
])
@pytest.mark.parametrize("shape", [(500, 500), (400, 600)])
def test_empirical_std_matches_formula(name, params, shape):
    fi, fo = shape
    f = init.get(name, **params)
    w = f(shape, rng=11, dtype=np.float64)
    expected = std_of(name, fi, fo, **params)
    assert f.std(fi, fo) == pytest.approx(expected, rel=1e-12)
    assert w.std() == pytest.approx(expected, rel=0.02)
    if name not in ("uniform", "constant"):
        assert abs(w.mean()) < 0.1 * expected


@pytest.mark.parametrize("name,bound", [
    ("xavier_uniform", lambda fi, fo: math.sqrt(6 / (fi + fo))),    # Glorot & Bengio 2010, eq. 16
    ("glorot_standard", lambda fi, fo: 1 / math.sqrt(fi)),          # Glorot & Bengio 2010, eq. 1
    ("lecun_uniform", lambda fi, fo: math.sqrt(3 / fi)),
    ("he_uniform", lambda fi, fo: math.sqrt(6 / fi)),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_uniform_bounds_are_exact(name, bound, dtype):
    fi, fo = 500, 300
    w = init.get(name)((fi, fo), rng=0, dtype=dtype).astype(np.float64)
    b = bound(fi, fo)
    assert np.abs(w).max() <= b                   # never outside, even after rounding to float32
    assert w.max() > 0.999 * b and w.min() < -0.999 * b  # and the whole interval is used


def test_uniform_a_b_bounds():
    w = init.uniform((300, 300), rng=0, a=-0.5, b=2.0, dtype=np.float64)
    assert w.min() >= -0.5 and w.max() <= 2.0
    assert w.mean() == pytest.approx(0.75, abs=0.01)


def test_truncated_normal_constant():
    # std of N(0,1) conditioned on |z| <= 2: sqrt(1 - 4 phi(2) / (Phi(2) - Phi(-2)))
    phi2 = math.exp(-2.0) / math.sqrt(2 * math.pi)
    mass = math.erf(2 / math.sqrt(2))
    assert init.TRUNCATED_NORMAL_STD == pytest.approx(math.sqrt(1 - 4 * phi2 / mass), rel=1e-15)


def test_truncated_normal_std_exact_and_truncated():
    fi, fo = 500, 500
    w = init.variance_scaling((fi, fo), scale=2.0, mode="fan_in", distribution="truncated_normal", rng=1,
                              dtype=np.float64)
    target = math.sqrt(2.0 / fi)
    assert w.std() == pytest.approx(target, rel=0.02)
    cut = 2 * target / init.TRUNCATED_NORMAL_STD  # two std of the underlying normal
    assert np.abs(w).max() <= cut and np.abs(w).max() > 0.99 * cut


def test_cs231n_is_the_slides_one_liner():
    # CS231n lecture 6: W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)
    w = init.cs231n((300, 200), rng=7, dtype=np.float64)
    ref = np.random.default_rng(7).standard_normal((300, 200)) / np.sqrt(300)
    np.testing.assert_array_equal(w, ref)
    assert init.get("xavier_cs231n") is init.get("cs231n")


@pytest.mark.parametrize("shape,gain", [((50, 50), 1.0), ((80, 30), 2.0), ((30, 80), 0.5)])
def test_orthogonal_gives_gain_squared_identity(shape, gain):
    w = init.orthogonal(shape, rng=0, dtype=np.float64, gain=gain)
    fi, fo = shape
    gram = w.T @ w if fi >= fo else w @ w.T
    np.testing.assert_allclose(gram, gain ** 2 * np.eye(min(fi, fo)), atol=1e-12)


def test_a_deep_linear_product_of_orthogonal_weights_keeps_every_singular_value_where_gaussian_ones_spread():
    # Saxe, McClelland & Ganguli (2014), the deep linear network: a product of orthogonal weights is orthogonal, so
    # every singular value of the input-output map is 1 at any depth, where N(0, 1/n) weights, of the same mean
    # square, spread them. Pennington, Schoenholz & Ganguli (2017) give the spread at chi_1 = 1 for L layers:
    # Var(s^2) / mean(s^2)^2 = L (mu_2 / mu_1^2 - 1 - s_1), linear units mu_1 = mu_2 = 1, s_1 = -1 for Gaussian
    # weights and 0 for orthogonal ones: L and 0. Width 200, L = 16: seeds 0-59 give 0.81 L to 1.44 L (median 1.02 L),
    # seeds 0-4 0.93 L to 1.09 L, their mean 1.03 L (the mean of five seeds 0.90 L to 1.14 L over those 60); the
    # Gaussian product's largest singular value over its smallest is 1e34 or more.
    depth, spread = 16, []
    for seed in range(5):
        gen, other = np.random.default_rng(seed), np.random.default_rng(seed + 100)
        gauss, orth = np.eye(200), np.eye(100)
        for _ in range(depth):
            gauss = gauss @ init.lecun_normal((200, 200), rng=gen, dtype=np.float64)
            orth = orth @ init.orthogonal((100, 100), rng=other, dtype=np.float64)
        np.testing.assert_allclose(np.linalg.svd(orth, compute_uv=False), 1.0, rtol=1e-12)
        s2 = np.linalg.svd(gauss, compute_uv=False) ** 2
        spread.append(s2.var() / s2.mean() ** 2 / depth)
        assert s2.max() / s2.min() > 1e20
    assert all(0.75 < s < 1.5 for s in spread) and abs(np.mean(spread) - 1) < 0.1
    assert np.ptp(spread) > 0.05  # the seeds' spread, which the tolerances cover


def test_orthogonal_sign_fix_makes_it_gram_schmidt():
    # With sign(diag R) folded into Q, the first column is the normalized first Gaussian column
    # (Gram-Schmidt), which is what makes Q Haar-distributed (Mezzadri 2007).
    w = init.orthogonal((20, 6), rng=3, dtype=np.float64)
    a = np.random.default_rng(3).standard_normal((20, 6))
    np.testing.assert_allclose(w[:, 0], a[:, 0] / np.linalg.norm(a[:, 0]), rtol=1e-12, atol=1e-14)
    # Without the fix LAPACK's Householder QR makes Q[0, 0] negative on average (about -0.3 here).
    gen = np.random.default_rng(0)
    corner = [init.orthogonal((8, 8), rng=gen, dtype=np.float64)[0, 0] for _ in range(400)]
    assert abs(np.mean(corner)) < 0.06


def test_orthogonal_conv_kernel():
    w = init.orthogonal((4, 6, 3, 3), rng=0, dtype=np.float64)
    m = np.moveaxis(w, 1, -1).reshape(4 * 9, 6)  # (in * receptive field, out)
    np.testing.assert_allclose(m.T @ m, np.eye(6), atol=1e-12)
    for shape in ((5, 0), (0, 5), (0, 3, 2)):  # an empty weight is empty, of its shape and dtype
        assert init.orthogonal(shape, rng=0).shape == shape and init.orthogonal(shape).dtype == np.float32


def test_orthogonal_kernel_variance_is_the_one_the_table_states():
    # A kernel (in, out, *r) is orthogonalized as the (fan_in, out) matrix (PyTorch's layout, transposed), so its
    # entries have Var gain^2 / max(fan_in, out): 1/6 for (3, 5, 2), not 1/max(fan_in, fan_out) = 1/10.
    w = init.orthogonal((3, 5, 2), rng=0, dtype=np.float64, gain=2.0)
    assert np.mean(w ** 2) == pytest.approx(4.0 / 6, rel=1e-12)
    card = str(init.describe("orthogonal"))
    assert "max(fan_in, out)" in card and "max(fan_in, fan_out)" in card  # 2-D formula and the kernel's, both said


def test_sparse_matches_torch_on_the_same_array_and_says_which_units_it_thins():
    from conftest import require_module  # here, not at the top: the file also runs as a script (its __main__)

    torch = require_module("torch")  # fails under CI=true
    # On one array shape both zero ceil(sparsity * rows) entries of every column (torch.nn.init.sparse_) ...
    w, t = init.sparse((10, 6), rng=0, sparsity=0.3), torch.nn.init.sparse_(torch.empty(10, 6), 0.3)
    assert ((w == 0).sum(axis=0) == 3).all() and ((t == 0).sum(dim=0) == 3).all()
    # ... but torch's Linear weight is (out, in): its columns are input units; here a column is one output unit.
    note = init.describe("sparse").note  # the table's, and so the docs page's, note
    assert "input unit" in note and "sparse_" in note
    # Martens (2010, sec. 5) fixes a count, 15 non-zero incoming weights per unit; the fraction and std=0.01 are
    # PyTorch's parameters, and the table must not credit them to the paper
    assert "15" in note and "std=0.01" in note
    # ceil(sparsity * fan_in) is taken of the exact product: 7% of 100 rows is 7 (torch's float product gives 8)
    w, t = init.sparse((100, 3), rng=0, sparsity=0.07), torch.nn.init.sparse_(torch.empty(100, 3), 0.07)
    assert ((w == 0).sum(axis=0) == 7).all() and ((t == 0).sum(dim=0) == 8).all()


def test_the_notes_say_keras_draws_its_normal_schemes_truncated():
    # Keras' glorot_normal, he_normal and lecun_normal cut the normal at 2 std (VarianceScaling, truncated_normal);
    # the schemes here of the same names draw a plain normal of the same variance, as PyTorch's do
    for name in ("xavier_normal", "he_normal", "lecun_normal"):
        assert "truncated" in init.describe(name).note, name


def test_sparse_zeros_per_column():
    w = init.sparse((10, 40), rng=0, sparsity=0.7, std=1.0, dtype=np.float64)
    # ceil(0.7 * 10) = 7 zeros per column (0.7 * 10 is 7.000000000000001 in floating point)
    assert np.all((w == 0).sum(axis=0) == 7)
    w = init.sparse((100, 50), rng=1, dtype=np.float64)  # default sparsity 0.9, std 0.01
    assert np.all((w == 0).sum(axis=0) == 90)
    assert w[w != 0].std() == pytest.approx(0.01, rel=0.1)
    assert init.sparse((5, 3), rng=0, sparsity=0.0).min() != 0
    # a tiny sparsity still zeroes ceil(1e-11) = 1 entry per column (as torch's sparse_); it zeroed none
    assert np.all((init.sparse((10, 4), rng=0, sparsity=1e-12) == 0).sum(axis=0) == 1)
    assert init.get("sparse", sparsity=1e-12).std(10, 4) == pytest.approx(0.01 * math.sqrt(0.9))


def test_conv_shapes_and_fans():
    assert init.fans((3, 4)) == (3, 4)
    assert init.fans((16, 32, 3, 3)) == (16 * 9, 32 * 9)  # (in, out, kh, kw)
    assert init.fans((2, 5, 7)) == (14, 35)
    w = init.he_normal((16, 32, 3, 3), rng=0, dtype=np.float64)
    assert w.std() == pytest.approx(math.sqrt(2 / (16 * 9)), rel=0.03)


def test_configured_scheme_binds_params():
    f = init.get("kaiming_normal", mode="fan_out")
    assert f.std(100, 400) == pytest.approx(math.sqrt(2 / 400))
    assert f.formula == "N(0, 2/fan_out)" and f.variance == "2/fan_out"
    w = f((100, 400), rng=0, dtype=np.float64)
    assert w.std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert init.get("he_normal").formula == "N(0, 2/fan_in)"
    assert "0.2" in init.get("he_normal", negative_slope=0.2).formula
    assert init.get("xavier_uniform", gain=2.0).std(50, 50) == pytest.approx(2 * math.sqrt(2 / 100))
    # per-call params override bound ones
    assert f((100, 400), rng=0, mode="fan_in", dtype=np.float64).std() == pytest.approx(math.sqrt(2 / 100), rel=0.02)


# ------------------------------------------------------------------ lookup


@pytest.mark.parametrize("alias,canonical", [
    ("glorot_uniform", "xavier_uniform"), ("Glorot-Normal", "xavier_normal"), ("KAIMING_NORMAL", "he_normal"),
    ("kaiming-uniform", "he_uniform"), ("He_Normal", "he_normal"), ("xavier_standard", "glorot_standard"),
    ("xavier-cs231n", "cs231n"), ("zero", "zeros"), ("lecun", "lecun_normal"),
])
def test_aliases(alias, canonical):
    assert init.get(alias).name == canonical


def test_get_passes_callables_and_binds_their_params():
    def mine(shape, rng=None, dtype=np.float32, scale=1.0):
        return np.full(shape, scale, dtype=dtype)

    assert init.get(mine) is mine
    assert np.all(init.get(mine, scale=3.0)((2, 2)) == 3.0)
    s = init.get("he_normal")
    assert init.get(s) is s


def test_names_and_describe():
    ns = init.names()
    assert "xavier_uniform" in ns and "lsuv" in ns and "glorot_uniform" not in ns
    assert "glorot_uniform" in init.names(aliases=True)
    for n in ns:
        d = init.describe(n)
        assert d.name == n and d.formula and d.source and isinstance(d.data_dependent, bool)
        assert n in str(d)
    assert init.describe("lsuv").data_dependent and not init.describe("he_normal").data_dependent
    assert "He" in init.describe("he_normal").source and "2015" in init.describe("he_normal").source


def test_unknown_name_lists_valid_and_suggests():
    with pytest.raises(ValueError) as e:
        init.get("xavier_norml")
    msg = str(e.value)
    assert "'xavier_normal'" in msg and "Did you mean" in msg
    for n in init.names():
        assert n in msg


def test_bare_xavier_is_ambiguous():
    for name in ("xavier", "Glorot"):
        with pytest.raises(ValueError, match="ambiguous") as e:
            init.get(name)
        assert "xavier_uniform" in str(e.value) and "glorot_standard" in str(e.value) and "cs231n" in str(e.value)


def test_unknown_param_names_the_accepted_ones():
    with pytest.raises(TypeError, match="gain"):
        init.get("he_normal", gain=2.0)
    with pytest.raises(TypeError, match="mode, negative_slope"):
        init.get("he_normal")((3, 3), gain=2.0)


# ------------------------------------------------------------------ errors


def test_fans_errors_explain_why():
    with pytest.raises(ValueError, match="1-D") as e:
        init.fans((5,))
    assert "undefined" in str(e.value) and "bias" in str(e.value)
    with pytest.raises(ValueError, match="scalar"):
        init.fans(())
    with pytest.raises(ValueError, match="1-D"):
        init.he_normal((5,))
    with pytest.raises(ValueError, match="1-D"):
        init.orthogonal((5,))


@pytest.mark.parametrize("call,exc,pattern", [
    (lambda: init.normal((3, 3), std=-1.0), ValueError, "std must be >= 0"),
    (lambda: init.get("normal", std=-0.1), ValueError, "std must be >= 0"),
    (lambda: init.uniform((3, 3), a=1.0, b=0.0), ValueError, "a = 1 is greater than the upper bound b = 0"),
    (lambda: init.sparse((3, 3), sparsity=1.0), ValueError, r"\[0, 1\)"),
    (lambda: init.sparse((3, 3), sparsity=-0.1), ValueError, r"\[0, 1\)"),
    (lambda: init.sparse((3, 3, 3)), ValueError, "2-D"),
    (lambda: init.he_normal((3, 2.5)), TypeError, r"he_normal: shape \(3, 2.5\) entry 1 must be a whole number"),
    (lambda: init.he_normal((3, -2)), ValueError, r"entry 1 must be >= 0, got -2"),
    (lambda: init.he_normal("3x3"), TypeError, "shape must be a tuple"),
    (lambda: init.normal((2**31, 2**30)), ValueError, r"normal: shape \(2147483648, 1073741824\) has more elements "),
    (lambda: init.he_normal((10**400, 2)), ValueError, r"he_normal: shape \(1000.*, 2\) entry 0 must be <= 2\^60 - 1"),
    (lambda: init.he_normal((0, 3)), ValueError, "fan_in = 0"),
    (lambda: init.he_normal((3, 3), mode="fan_sideways"), ValueError, "'fan_in', 'fan_out', 'fan_avg'"),
    (lambda: init.variance_scaling((3, 3), distribution="cauchy"), ValueError, "'truncated_normal'"),
    (lambda: init.xavier_uniform((3, 3), gain=-1.0), ValueError, "gain must be >= 0"),
    (lambda: init.normal((3, 3), std=float("nan")), ValueError, "finite"),
    (lambda: init.normal((3, 3), std="big"), TypeError, "normal: std must be a number"),
    (lambda: init.normal((3, 3), dtype=np.int64), TypeError, "normal: dtype must be a numpy floating dtype"),
    (lambda: init.normal((3, 3), rng=1.5), TypeError, "rng"),
    (lambda: init.get(42), TypeError, "scheme name"),
    (lambda: init.get("lsuv")((3, 3)), TypeError, "data-dependent"),
    (lambda: init.describe("lsuv").std(3, 3), ValueError, "data-dependent"),
    (lambda: init.he_normal.std(10**400, 2), ValueError, r"he_normal\.std: fan_in must be <= 2\^60 - 1, .*, got "
                                                        r"about 2\^1328"),  # was 'int too large to convert to float'
    (lambda: init.table("latex"), ValueError, "'text', 'markdown', 'rows'"),
])
def test_clear_errors(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


# ------------------------------------------------------------------ gains


def test_calculate_gain_table():
    # PyTorch's table (torch.nn.init.calculate_gain)
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("identity") == 1 and init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="nonlinearity must be one of 'tanh'"):
        init.calculate_gain("swish")
    # every name the activation registry takes for the identity ("none" is MLP(activation="none")'s) has gain 1
    assert [init.calculate_gain(a) for a in ("linear", "identity", "none", "None")] == [1.0] * 4
    with pytest.raises(ValueError, match="takes no param"):
        init.calculate_gain("tanh", 0.5)


@pytest.mark.torch
def test_calculate_gain_matches_torch():
    import torch

    for name in ("linear", "conv1d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"):
        assert init.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name), rel=1e-12)
    assert init.calculate_gain("leaky_relu", 0.3) == pytest.approx(torch.nn.init.calculate_gain("leaky_relu", 0.3))


def test_a_leaky_relu_slope_whose_square_leaves_float64_is_refused_by_the_gain_and_he():
    # 2 / (1 + a^2) underflowed to 0: calculate_gain("leaky_relu", 1e160) was 0.0 (PyTorch's raises OverflowError) and
    # he_normal drew a weight of zeros
    for a in (1e160, -1e300):
        with pytest.raises(ValueError, match=r"^calculate_gain: param must be in \[-1e\+150, 1e\+150\], got"):
            init.calculate_gain("leaky_relu", a)
        for name in ("he_normal", "he_uniform"):
            with pytest.raises(ValueError, match=rf"^{name}: negative_slope must be in \[-1e\+150, 1e\+150\], got"):
                init.get(name)((3, 3), rng=0, negative_slope=a)
    assert init.calculate_gain("leaky_relu", 1e150) == pytest.approx(math.sqrt(2) * 1e-150, rel=1e-15)
    assert init.get("he_normal", negative_slope=1e150).std(2, 3) == pytest.approx(1e-150, rel=1e-15)


@pytest.mark.torch
def test_std_formulas_match_torch():
    import torch

    fi, fo = 300, 500
    t = torch.empty(fo, fi, dtype=torch.float64)  # PyTorch layout (out, in): its fan_in is fi
    torch.manual_seed(0)
    torch.nn.init.kaiming_uniform_(t, a=0.2, mode="fan_out", nonlinearity="leaky_relu")
    bound = math.sqrt(3) * init.get("he_uniform", mode="fan_out", negative_slope=0.2).std(fi, fo)
    assert t.abs().max().item() == pytest.approx(bound, rel=1e-3)
    torch.nn.init.xavier_uniform_(t)
    assert t.abs().max().item() == pytest.approx(math.sqrt(3) * init.describe("xavier_uniform").std(fi, fo),
                                                 rel=1e-3)


TORCH_TWINS = [  # (scheme, params, torch.nn.init function, its keywords): the same distribution on the transpose
    ("xavier_uniform", {"gain": 5 / 3}, "xavier_uniform_", {"gain": 5 / 3}),
    ("xavier_normal", {"gain": 2.0}, "xavier_normal_", {"gain": 2.0}),
    ("he_uniform", {}, "kaiming_uniform_", {"nonlinearity": "relu"}),
    ("he_normal", {"mode": "fan_out", "negative_slope": 0.3}, "kaiming_normal_", {"a": 0.3, "mode": "fan_out"}),
    ("variance_scaling", {"scale": 25 / 9, "mode": "fan_out"}, "kaiming_normal_", {"mode": "fan_out",
                                                                                   "nonlinearity": "tanh"}),
    ("lecun_uniform", {}, "kaiming_uniform_", {"nonlinearity": "linear"}),
    ("lecun_normal", {}, "kaiming_normal_", {"nonlinearity": "linear"}),
    ("glorot_standard", {}, "kaiming_uniform_", {"a": math.sqrt(5)}),  # torch.nn.Linear's default weight
    ("orthogonal", {"gain": 1.5}, "orthogonal_", {"gain": 1.5}),
    ("normal", {"std": 0.3}, "normal_", {"std": 0.3}),
]


@pytest.mark.torch
@pytest.mark.parametrize("name, params, fn, kwargs", TORCH_TWINS)
@pytest.mark.parametrize("shape", [(300, 500), (16, 24, 3, 3)])  # (fan_in, fan_out) and a kernel (in, out, kh, kw)
def test_each_scheme_draws_the_std_and_bound_of_its_torch_twin(name, params, fn, kwargs, shape):
    import torch

    torch.manual_seed(0)
    t = getattr(torch.nn.init, fn)(torch.empty(shape[1], shape[0], *shape[2:], dtype=torch.float64), **kwargs).numpy()
    scheme, (fi, fo) = init.get(name, **params), init.fans(shape)
    w = scheme(shape, rng=0, dtype=np.float64)
    std = scheme.std(fi, fo) if name != "orthogonal" else 1.5 / math.sqrt(max(fi, shape[1]))  # kernel: see its note
    assert w.std() == pytest.approx(std, rel=0.05) and t.std() == pytest.approx(std, rel=0.05)
    if "uniform" in fn:  # the same bound, to the rounding of the draw
        assert np.abs(w).max() == pytest.approx(np.abs(t).max(), rel=2e-3)
        assert np.abs(w).max() <= math.sqrt(3) * std * (1 + 1e-12)


# ------------------------------------------------------------------ table


def test_table_names_the_three_xaviers():
    text = init.table()
    assert "Which Xavier?" in text
    assert "U(-sqrt(6/(fan_in+fan_out)), +sqrt(6/(fan_in+fan_out)))" in text  # Glorot normalized, eq. 16
    assert "U(-1/sqrt(fan_in), +1/sqrt(fan_in))" in text                      # Glorot standard, eq. 1
    assert "randn(fan_in, fan_out)/sqrt(fan_in)" in text                      # CS231n lecture 6
    assert "CS231n" in text and "Glorot & Bengio (2010)" in text
    for n in init.names():
        assert n in text
    md = init.table("markdown")
    assert md.count("\n| `") == len(init.names()) and "**Which Xavier?**" in md
    rows = init.table("rows")
    assert [r["name"] for r in rows] == init.names()
    assert {"name", "aliases", "formula", "variance", "source", "note", "data_dependent"} <= set(rows[0])


def test_the_printed_orthogonal_citation_names_the_paper_the_year_and_the_preprint():
    # Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep linear neural
    # networks": ICLR 2014, arXiv:1312.6120 (v1 Dec 2013). str(scheme) printed "..., ICLR" without a year, while
    # docs/concepts/initialization.md dated the paper 2013; one year (2014) everywhere, the preprint named.
    text = str(init.get("orthogonal"))
    assert "Saxe et al. (2014)" in text and "Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear " \
        "dynamics of learning in deep linear neural networks, ICLR 2014 (arXiv:1312.6120, 2013)" in text
    assert "2013)" not in init.get("orthogonal").source
    assert "Saxe et al. (2014); sign fix Mezzadri (2007)" in init.table()  # the table's source column, as the report's
    assert "LeCun, Bottou, Orr & Müller (1998), Efficient BackProp" in str(init.get("lecun_normal"))


PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "init_schemes.md"
BLOCK = re.compile(r'(<!-- init\.table\("markdown"\) -->\n)(.*?)(<!-- /init\.table -->)', re.S)


def test_docs_page_holds_the_generated_table():
    block = BLOCK.search(PAGE.read_text(encoding="utf-8"))
    assert block, f"{PAGE} has no block between <!-- init.table(\"markdown\") --> and <!-- /init.table -->"
    assert block.group(2) == init.table("markdown"), \
        "docs/init_schemes.md is out of date: run `python tests/nn/test_init.py` to paste init.table('markdown')"


def test_running_this_file_as_the_page_says_pastes_the_table(tmp_path):
    # docs/init_schemes.md and the failure above say `python tests/nn/test_init.py` pastes the table: run as a script
    # (no pytest to put tests/ on the path), the file must get as far as its __main__ block
    repo = PAGE.parents[1]
    for part in ("tests/nn/test_init.py", "tests/conftest.py", "docs/init_schemes.md"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).write_bytes((repo / part).read_bytes())
    page = tmp_path / "docs" / "init_schemes.md"
    page.write_text(BLOCK.sub(r"\1| stale |\n\3", page.read_text(encoding="utf-8")), encoding="utf-8")
    run = subprocess.run([sys.executable, "tests/nn/test_init.py"], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(repo)}, timeout=300)
    assert run.returncode == 0, run.stderr[-1500:]
    assert BLOCK.search(page.read_text(encoding="utf-8")).group(2) == init.table("markdown")


def test_docs_gain_table_agrees_with_calculate_gain():
    rows = re.findall(r"^\| ([a-z_]+)[^|]* \| ([0-9/sqrt()]+) \|$", PAGE.read_text(encoding="utf-8"), re.M)
    assert len(rows) >= 4
    for name, gain in rows:
        assert init.calculate_gain(name) == pytest.approx(eval(gain, {"sqrt": math.sqrt}), rel=1e-15), name


# ------------------------------------------------------------------ one formula, stated once


def test_the_presets_are_the_rows_of_the_table():
    assert list(init.SCHEMES) == init.names()
    for name in init.SCHEMES:  # each row is the module attribute of its name (two are functions calling it)
        if name in ("variance_scaling", "lsuv"):
            assert callable(getattr(init, name)) and not isinstance(getattr(init, name), init.Scheme)
        else:
            assert getattr(init, name) is init.get(name) is init.SCHEMES[name] and name in init.__all__
    assert init.he_normal.formula == "N(0, 2/fan_in)" and "he_normal" in str(init.he_normal)
    rows = {r["name"]: r["rule"] for r in init.table("rows")}
    assert rows["he_normal"] == "variance_scaling(2/(1+negative_slope^2), mode, normal)"
    assert rows["xavier_uniform"] == "variance_scaling(gain^2, fan_avg, uniform)"
    assert rows["orthogonal"] == "" and rows["glorot_standard"] == "variance_scaling(1/3, fan_in, uniform)"


@pytest.mark.parametrize("name,params", [("he_normal", {}), ("he_normal", {"mode": "fan_out", "negative_slope": 0.3}),
                                         ("xavier_normal", {"gain": 5 / 3}), ("lecun_normal", {}),
                                         ("variance_scaling", {"scale": 0.7, "mode": "fan_avg"}),
                                         ("normal", {"std": 0.3}), ("small", {}), ("large", {"scale": 2.5})])
def test_std_is_exactly_the_std_the_sampler_uses(name, params):
    # One formula drives both: a normal row draws z * std(fan_in, fan_out), byte for byte.
    scheme = init.get(name, **params)
    z = np.random.default_rng(4).standard_normal((37, 23))
    np.testing.assert_array_equal(scheme((37, 23), rng=4, dtype=np.float64), z * scheme.std(37, 23))


@pytest.mark.parametrize("name,params,bound", [
    ("xavier_uniform", {"gain": 2.0}, "2*sqrt(6/(fan_in+fan_out))"),
    ("he_uniform", {"mode": "fan_out", "negative_slope": 0.1}, "sqrt(6/((1+0.1^2)*fan_out))"),
    ("variance_scaling", {"scale": 3.0, "mode": "fan_avg", "distribution": "uniform"}, "sqrt(18/(fan_in+fan_out))"),
])
def test_uniform_bounds_read_as_written_and_hold(name, params, bound):
    scheme = init.get(name, **params)
    assert scheme.formula == f"U(-{bound}, +{bound})"
    fi, fo = 300, 200
    b = eval(bound.replace("^", "**"), {"sqrt": math.sqrt, "fan_in": fi, "fan_out": fo})
    assert b == pytest.approx(math.sqrt(3) * scheme.std(fi, fo), rel=1e-14)
    w = scheme((fi, fo), rng=0, dtype=np.float64)
    assert np.abs(w).max() <= b and np.abs(w).max() > 0.99 * b


def test_parameters_show_in_the_formulas():
    assert init.get("he_normal", mode="fan_avg").variance == "4/(fan_in+fan_out)"
    assert init.get("he_normal", negative_slope=-0.2).variance == "2/((1+(-0.2)^2)*fan_in)"
    assert init.get("xavier_normal", gain=2.0).variance == "2^2*2/(fan_in+fan_out)"
    assert init.get("orthogonal", gain=1.5).variance == "1.5^2/max(fan_in, fan_out)"
    assert init.get("uniform", a=-2.0, b=1.0).formula == "U(-2, 1)" and init.get("uniform").variance == "1/12"
    assert init.get("constant", value=0.25).formula == "0.25" and init.get("constant", value=0.25).mean() == 0.25
    assert init.get("sparse", sparsity=0.5, std=1.0).variance == "(fan_in-ceil(0.5*fan_in))/fan_in"



@pytest.mark.parametrize("name,params", [("he_normal", {"negative_slope": -1}), ("he_uniform", {"negative_slope": -2}),
                                         ("uniform", {"a": -1, "b": 1}), ("uniform", {"a": -3, "b": -1}),
                                         ("uniform", {"a": -1.5, "b": 2.0})])
def test_variance_text_with_a_negative_parameter_is_the_number(name, params):
    # "1+-1^2" reads as 1 - 1 (and divided by zero), "(1--1)^2" is no formula for a slide: a negative number
    # inside a formula stands in parentheses, and alone (a bound, a constant) without
    s = init.get(name, **params)
    env = {"sqrt": math.sqrt, "fan_in": 30, "fan_out": 50}
    assert "--" not in s.variance and "+-" not in s.variance
    assert eval(s.variance.replace("^", "**"), env) == pytest.approx(s.std(30, 50) ** 2, rel=1e-12)
    assert init.get("he_normal", negative_slope=-1.0).variance == "2/((1+(-1)^2)*fan_in)"
    assert init.get("uniform", a=-1.5, b=2.0).formula == "U(-1.5, 2)"
    assert init.get("constant", value=-0.25).formula == "-0.25"


# ------------------------------------------------------------------ nn integration and LSUV


def test_linear_accepts_names_and_configured_schemes():
    lin = nn.Linear(400, 300, init="kaiming-normal", rng=0)
    assert lin.weight.data.std() == pytest.approx(math.sqrt(2 / 400), rel=0.03)
    lin = nn.Linear(400, 300, init=init.get("he_normal", mode="fan_out"), rng=0)
    assert lin.init_name == "he_normal(mode='fan_out')"  # the bound parameters show, as in the Scheme's repr
    assert lin.weight.data.std() == pytest.approx(math.sqrt(2 / 300), rel=0.03)
    assert np.all(lin.bias.data == 0)
    with pytest.raises(ValueError, match="ambiguous"):
        nn.Linear(3, 3, init="xavier")


@pytest.mark.torch
def test_linear_says_how_its_default_differs_from_pytorchs_and_the_recipe_matches_it():
    import torch
    # torch.nn.Linear(n_in, n_out) draws weight and bias from U(-1/sqrt(n_in), +1/sqrt(n_in)) (kaiming_uniform_ with
    # a = sqrt(5)); the default here is xavier_uniform with zero biases, a difference the docstring must state
    assert "glorot_standard" in nn.Linear.__doc__ and "PyTorch" in nn.Linear.__doc__
    n_in, n_out, bound = 400, 300, 1 / math.sqrt(400)
    torch.manual_seed(0)
    t = torch.nn.Linear(n_in, n_out)
    lin = nn.Linear(n_in, n_out, init="glorot_standard", bias_init=init.get("uniform", a=-bound, b=bound), rng=0)
    for ours, theirs in ((lin.weight.data, t.weight.detach().numpy()), (lin.bias.data, t.bias.detach().numpy())):
        assert np.abs(ours).max() <= bound and np.abs(theirs).max() <= bound
        assert ours.std() == pytest.approx(theirs.std(), rel=0.15)

def _layer_output_variances(model, x):
    from tinygrad_init import Tensor, no_grad

    out = []
    handles = [m.register_forward_hook(lambda mod, inp, y: out.append(float(np.var(y.data))))
               for m in model.modules() if isinstance(m, nn.Linear)]
    with no_grad():
        model(Tensor(x))
    for h in handles:
        h.remove()
    return out


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_lsuv_makes_every_layer_output_variance_one(activation):
    model = nn.MLP([64, 128, 96, 10], activation=activation, init="small", rng=0)
    x = np.random.default_rng(1).standard_normal((256, 64)).astype(np.float32) * 3.0
    before = [m.weight.data for m in model.linears()]
    assert init.lsuv(model, x, tol=0.05, rng=0) is model
    assert all(m.weight.data is w for m, w in zip(model.linears(), before))  # modified in place
    variances = _layer_output_variances(model, x)
    assert len(variances) == 3
    for v in variances:
        assert abs(v - 1) <= 0.05


def test_lsuv_is_hinted_to_return_the_model_it_is_given():
    # model = init.lsuv(model, batch), as initialization.md writes it, was hinted Any: the model lost its type (an
    # MLP's .layers, its completions) for a type checker and an IDE
    import typing
    hints = typing.get_type_hints(init.lsuv)
    assert isinstance(hints["model"], typing.TypeVar) and hints["return"] is hints["model"]
    model = nn.MLP([4, 4, 2], rng=0)
    assert init.lsuv(model, np.random.default_rng(0).standard_normal((16, 4)), rng=0) is model


def test_lsuv_is_deterministic():
    x = np.random.default_rng(1).standard_normal((64, 20)).astype(np.float32)
    a = init.lsuv(nn.MLP([20, 30, 5], rng=0), x, rng=4)
    b = init.lsuv(nn.MLP([20, 30, 5], rng=1), x, rng=4)
    for pa, pb in zip(a.parameters(), b.parameters()):
        if pa.ndim == 2:
            assert pa.data.tobytes() == pb.data.tobytes()


def test_lsuv_warns_when_a_bias_prevents_convergence():
    model = nn.MLP([16, 32, 4], activation="tanh", rng=0)
    model.layers[0].bias.data[...] = np.random.default_rng(0).standard_normal(32) * 5  # Var(b) ~ 25
    x = np.random.default_rng(1).standard_normal((128, 16)).astype(np.float32)
    with pytest.warns(RuntimeWarning, match="layers.0"):
        init.lsuv(model, x, max_iter=3)


def test_lsuv_with_a_tol_below_float32s_rounding_says_so_and_how_far_off_it_is():
    # tol=1e-9 with float32 weights warned "output variance 1 after 10 rescalings (target 1 +- 1e-09); a large bias
    # or a tiny batch can prevent it": the variance was off 1 by 1e-7, float32's rounding, which "1" hid
    x = np.random.default_rng(1).standard_normal((64, 8)).astype(np.float32)
    for tol in (0.0, 1e-9):
        with pytest.warns(RuntimeWarning, match=r"variance 1 \(off 1 by \d(\.\d)?e-0[78]\) after 10 rescalings "
                          r"\(target 1 \+- (0|1e-09)\); float32 rounding can prevent it$"):
            init.lsuv(nn.MLP([8, 16, 4], activation="tanh", rng=0), x, tol=tol, rng=0)
    model = nn.MLP([16, 32, 4], activation="tanh", rng=0)  # a bias far off: still the bias
    model.layers[0].bias.data[...] = np.random.default_rng(0).standard_normal(32) * 5
    with pytest.warns(RuntimeWarning, match=r"\(off 1 by \d.*a large bias or a tiny batch can prevent it$"):
        init.lsuv(model, np.random.default_rng(1).standard_normal((128, 16)).astype(np.float32), max_iter=3)


def test_lsuv_errors():
    with pytest.raises(ValueError, match="no nn.Linear"):
        init.lsuv(nn.Sequential(nn.Tanh()), np.ones((2, 2)))
    with pytest.raises(TypeError, match="nn.Module"):
        init.lsuv(lambda x: x, np.ones((2, 2)))
    with pytest.raises(ValueError, match="variance 0"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            init.lsuv(nn.MLP([4, 3, 2], rng=0), np.zeros((8, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="max_iter"):
        init.lsuv(nn.MLP([4, 3], rng=0), np.ones((2, 4)), max_iter=0)
    with pytest.raises(ValueError, match="over its 1 value.*one example"):  # it blamed dead ReLUs
        init.lsuv(nn.MLP([4, 3, 1], rng=0), np.ones((1, 4)))
    for batch in ([[1.0, 2.0], [3.0]], None):  # a ragged list was numpy's 'setting an array element with a sequence'
        with pytest.raises(TypeError, match=r"^lsuv: batch must be numbers \(batch, fan_in\); cannot make a tensor of"):
            init.lsuv(nn.MLP([2, 3, 1], rng=0), batch)


if __name__ == "__main__":  # paste init.table("markdown") into the docs page
    text = PAGE.read_text(encoding="utf-8")
    PAGE.write_text(BLOCK.sub(lambda m: m.group(1) + init.table("markdown") + m.group(3), text), encoding="utf-8")


@pytest.mark.parametrize("name, params", [("he_normal", {"mode": "fan_out"}), ("cs231n", {}), ("uniform", {"a": -1.0})])
def test_schemes_survive_deepcopy_and_pickle(name, params):
    import copy
    import pickle

    scheme = init.get(name, **params)
    for twin in (copy.deepcopy(scheme), pickle.loads(pickle.dumps(scheme))):  # used to fail on the mappingproxy
        assert twin.params == scheme.params and twin.formula == scheme.formula
        np.testing.assert_array_equal(twin((4, 3), rng=0), scheme((4, 3), rng=0))
        with pytest.raises(TypeError):
            twin.params["a"] = 2.0  # still read-only


def test_lsuv_marks_the_weights_changed_so_an_older_graph_cannot_backward():
    model = nn.MLP([3, 4, 1], rng=0)
    x = np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32)
    loss = (model(Tensor(x)) ** 2).sum()
    init.lsuv(model, x, rng=0)  # rewrites every weight in place
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()  # used to run silently with the new weights: gradients of neither model


def test_lsuv_leaves_batchnorm_running_statistics_as_they_were():
    model = nn.Sequential(nn.Linear(3, 8, rng=0), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 2, rng=1))
    bn, x = model[1], np.random.default_rng(0).standard_normal((32, 3)).astype(np.float32) * 4 + 2
    mean, var = bn.running_mean.copy(), bn.running_var.copy()
    init.lsuv(model, x, rng=0)  # its forward passes are measurements, not training steps
    np.testing.assert_array_equal(bn.running_mean, mean)
    np.testing.assert_array_equal(bn.running_var, var)
    assert model.training


@pytest.mark.parametrize("batch, error", [(np.zeros((8, 3)), ValueError), (np.ones((8, 5)), ValueError)])
def test_lsuv_leaves_the_model_as_it_was_when_it_fails(batch, error):
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.ReLU(), nn.Linear(4, 2, rng=1))
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(error):
        init.lsuv(model, batch, rng=0)  # zero variance / wrong width: used to fail with the weights already replaced
    for p, w in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, w)


def test_a_zero_std_or_gain_gives_the_variance_text_0():
    # Var(W) of a scheme whose std, scale or gain is 0 is 0, whatever the fans (0 * x is folded, also on the left)
    for name, params in (("sparse", {"std": 0.0}), ("normal", {"std": 0.0}), ("small", {"scale": 0.0}),
                         ("xavier_uniform", {"gain": 0.0}), ("orthogonal", {"gain": 0.0})):
        assert init.get(name, **params).variance == "0", name


def test_uniform_stays_inside_a_lower_bound_that_float32_rounds_down():
    # float32(0.7) = 0.69999999 < 0.7: a draw just above a must not round below it (clipped to the next float32)
    w = init.uniform((2000,), rng=0, a=0.7, b=0.7000001)
    assert w.dtype == np.float32 and w.astype(np.float64).min() >= 0.7 and w.astype(np.float64).max() <= 0.7000001


@pytest.mark.parametrize("shape, seed", [((3, 4), 0), ((1, 1), 1), ((10, 100), 10909)])
def test_truncated_normal_of_any_size_and_a_second_round_of_rejection(shape, seed):
    # seed 10909: the first 1,076 normals hold only 999 within 2 std of 0, so a second draw fills the last one
    w = init.variance_scaling(shape, 2.0, distribution="truncated_normal", rng=seed, dtype=np.float64)
    bound = 2 * math.sqrt(2.0 / shape[0]) / init.TRUNCATED_NORMAL_STD
    assert w.shape == shape and np.isfinite(w).all() and np.abs(w).max() <= bound
    if seed == 10909:  # the premise, drawn here with numpy: 1,000 * 1.06 + 16 = 1,076 normals keep 999
        assert (np.abs(np.random.default_rng(seed).standard_normal(1076)) <= 2).sum() == 999


def test_lsuv_warns_only_when_it_fails_and_points_at_the_callers_line():
    x = np.random.default_rng(1).standard_normal((64, 20)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # converged: no warning
        init.lsuv(nn.MLP([20, 30, 5], rng=0), x, rng=4)
    model = nn.MLP([16, 32, 4], activation="tanh", rng=0)
    model.layers[0].bias.data[...] = np.random.default_rng(0).standard_normal(32) * 5
    with pytest.warns(RuntimeWarning, match="layers.0") as seen:
        init.lsuv(model, np.random.default_rng(1).standard_normal((128, 16)).astype(np.float32), max_iter=3)
    assert seen[0].filename == __file__


def test_a_scheme_std_of_one_input():
    # He et al. (2015), eq. 10: Var(W) = 2 / fan_in, also for fan_in = 1
    assert init.describe("he_normal").std(1, 3) == math.sqrt(2.0)


def test_a_data_dependent_scheme_as_a_layers_init_says_what_to_do():
    # its own message, not "failed ...; it must be a function f(shape...)", after the name of the layer that asked
    for build, where in ((lambda: nn.Linear(2, 3, init="lsuv"), "Linear"), (lambda: nn.MLP([2, 3, 1], init="lsuv"),
                                                                            "MLP")):
        with pytest.raises(TypeError, match=rf"^{where}: lsuv is data-dependent .* init.lsuv\(model, batch\)$"):
            build()
    with pytest.raises(TypeError, match=r"^lsuv is data-dependent "):
        init.get("lsuv")((2, 3))  # called directly: the scheme names itself


def test_lsuv_goes_from_the_input_even_when_the_layers_are_declared_in_another_order():
    class Net(nn.Module):  # the output layer is declared first; the forward pass calls it last
        def __init__(self):
            super().__init__()
            self.out, self.hidden = nn.Linear(100, 10, rng=0), nn.Linear(50, 100, rng=1)

        def forward(self, x):
            return self.out(self.hidden(x).relu())

    x = np.random.default_rng(0).standard_normal((500, 50)) * 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layer left off
        model = init.lsuv(Net(), x, rng=0)
    h = model.hidden(Tensor(x))
    # Mishkin & Matas (2015), Alg. 1: each layer's output variance is 1 once the layers before it are set;
    # rescaling `out` before `hidden` left out's variance at 0.22
    assert abs(np.var(h.data) - 1) <= 0.1 and abs(np.var(model.out(h.relu()).data) - 1) <= 0.1


@pytest.mark.parametrize("name", ["he_normal", "xavier_uniform", "cs231n", "orthogonal", "variance_scaling"])
def test_a_bias_shape_given_to_a_fan_based_scheme_names_the_scheme(name):
    with pytest.raises(ValueError, match=rf"^{name}: shape \(5,\) is 1-D"):  # it began with 'fans:', not called
        init.get(name)((5,))


@pytest.mark.parametrize("name, params, dtype", [
    ("constant", {"value": 1e5}, np.float16), ("normal", {"std": 1e6}, np.float16),
    ("xavier_uniform", {"gain": 1e200}, np.float32), ("orthogonal", {"gain": 1e300}, np.float32),
    ("uniform", {"a": -1e308, "b": 1e308}, np.float64),  # b - a overflows
    ("variance_scaling", {"scale": 1e308, "distribution": "uniform"}, np.float64),  # 3 * 1e308 is inf: the bound too
    ("normal", {"std": 1e200}, np.float64), ("xavier_normal", {"gain": 1e160}, np.float32)])  # std**2 inf: was silent
def test_weights_beyond_the_dtypes_range_are_an_error_naming_the_scheme(name, params, dtype):
    # float16 ends at 65504: constant(value=1e5) was an array of inf after numpy's RuntimeWarning, and uniform's
    # overflow numpy's OverflowError "high - low range exceeds valid bounds", naming neither the scheme nor its values
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        says = rf"^{name}: .*{list(params)[0]}.* beyond {np.dtype(dtype).name}'s range \+-"
        with pytest.raises(ValueError, match=says):
            init.get(name)((1, 3), rng=0, dtype=dtype, **params)
    assert np.isfinite(init.normal((1000,), std=1e3, rng=0, dtype=np.float16)).all()  # within range: drawn


def test_lsuv_of_an_empty_batch_is_its_own_error_without_numpys_warnings():
    # (numpy's "Degrees of freedom <= 0 for slice" and "invalid value encountered in divide" came first)
    model = nn.MLP([2, 4, 2], rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"lsuv: layer 'layers\.0' output has variance nan over its 0 value"):
            init.lsuv(model, np.ones((0, 2)))


@pytest.mark.torch
@pytest.mark.parametrize("name", ["he_normal", "lecun_normal", "xavier_uniform", "zeros"])
def test_a_weight_given_in_place_of_a_shape_is_told_code_that_fills_it(name):
    # init.he_normal(w) was told "to fill a weight w as PyTorch's he_normal_(w) does", a function PyTorch has not (its
    # is kaiming_normal_); and a PyTorch weight was told w.data[:] = init.he_normal(w.shape), which torch refuses (a
    # numpy array) and which reads its (fan_out, fan_in) as (fan_in, fan_out)
    import torch

    w = Tensor(np.zeros((30, 20)), requires_grad=True)
    with pytest.raises(TypeError) as e:
        getattr(init, name)(w)
    assert not re.search(r"PyTorch's \w+_\(w\)", str(e.value)), str(e.value)
    code = re.search(r"(w\.data\[:\] = init\.\w+\(w\.shape\))", str(e.value)).group(1)
    exec(code, {"init": init, "w": w})  # noqa: S102 (the message's own text)
    assert w.data.shape == (30, 20) and (name == "zeros" or w.data.std() > 0)
    w = np.zeros((30, 20))  # a numpy weight: its .data is a memoryview, which refuses w.data[:] = ... of 2-D arrays
    with pytest.raises(TypeError) as e:
        getattr(init, name)(w)
    exec(re.search(r"(w\[:\] = init\.\w+\(w\.shape\))", str(e.value)).group(1), {"init": init, "w": w})  # noqa: S102
    assert name == "zeros" or w.std() > 0
    with pytest.raises(TypeError) as e:
        getattr(init, name)(torch.nn.Linear(20, 30).weight)
    assert "w.data[:] = init." not in str(e.value) and "torch.nn.init" in str(e.value), str(e.value)


def test_a_scheme_of_ones_own_draws_a_variance_written_in_the_fans():
    # Scheme's docstring: var is Var(W) "in the parameters and fan_in, fan_out"; such a scheme of one's own, with no
    # preset's rule, got no fans to read (a KeyError 'fan_in' at the first draw)
    mine = init.Scheme("mine", var="g**2/fan_out", params={"g": 2.0})
    w = mine((400, 900), rng=0)
    assert abs(w.std() / (2.0 / math.sqrt(900)) - 1) < 0.01
    assert mine.std(400, 900) == pytest.approx(2.0 / 30.0)
    assert nn.Linear(400, 900, init=init.Scheme("lecun_again", var="1/fan_in"), rng=0).weight.data.std() == \
        pytest.approx(1 / math.sqrt(400), rel=0.01)
    assert init.Scheme("fixed", var="std**2", params={"std": 0.5})((3,), rng=0).shape == (3,)  # no fans: a bias


def test_a_scheme_of_ones_own_is_refused_at_a_shape_only_where_its_formula_divides_by_zero():
    # any fan of 0 was refused ('shape (0, 4) has a fan = 0'), though g**2/fan_out is 1 there and the preset of that
    # formula, he_normal(mode='fan_out'), draws the empty weight; 1/(fan_in - fan_out) at a square shape ended in a bare
    # ZeroDivisionError, and a parameter named fan_x read the fans of a bias, which has none
    mine = init.Scheme("mine", var="g**2/fan_out", params={"g": 2.0})
    assert mine((0, 4)).shape == init.he_normal((0, 4), mode="fan_out").shape == (0, 4)
    with pytest.raises(ValueError, match=r"^mine: Var\(W\) = g\*\*2/fan_out divides by zero at shape \(4, 0\) "
                                         r"\(fan_in 4, fan_out 0\)"):
        mine((4, 0))
    with pytest.raises(ValueError, match=r"^gap: Var\(W\) = 1/\(fan_in - fan_out\) divides by zero at shape \(3, 3\)"):
        init.Scheme("gap", var="1/(fan_in - fan_out)")((3, 3))
    assert init.Scheme("fixed", var="fan_x", params={"fan_x": 0.25})((3,), rng=0).shape == (3,)


def test_a_scheme_of_ones_own_reads_a_minus_sign_in_its_formula():
    # fan_in ** -1, or a constant of mean -0.5, passed the check of its names when made, then ended its first draw in
    # "'UnaryOp' object has no attribute 'left'"
    w = init.Scheme("lecun_again", var="fan_in ** -1")((400, 300), rng=0)
    assert w.std() == pytest.approx(1 / math.sqrt(400), rel=0.01)
    assert np.all(init.Scheme("shift", "0", "constant", mean="-0.5")((2, 3)) == -0.5)
    assert init.Scheme("plus", var="+1/fan_in").std(4, 3) == 0.5


@pytest.mark.parametrize("kwargs, named", [({"var": "1/n"}, "var='1/n' names n"),
                                           ({"var": "a/fan_in", "params": {"b": 1}}, "var='a/fan_in' names a")])
def test_a_scheme_whose_formula_names_what_it_is_not_given_is_refused_when_made(kwargs, named):
    with pytest.raises(ValueError, match=rf"^Scheme 'mine': {re.escape(named)}, neither one of its params "
                                         r"\((none given|b)\) nor fan_in, fan_out$"):
        init.Scheme("mine", **kwargs)


@pytest.mark.parametrize("mean, named", [("c", "c"), ("1/fan_in", "fan_in"), ("v*fan_out", "fan_out")])
def test_a_scheme_whose_mean_names_what_it_is_not_given_is_refused_when_made(mean, named):
    # the mean is read from the params alone (a constant's draw, Scheme.mean()): a mean of the fans, which the check
    # let through with var's names, ended the first draw of a constant and every mean() in a KeyError 'fan_in'
    with pytest.raises(ValueError, match=rf"^Scheme 'mine': mean='{re.escape(mean)}' names {named}, not one of its "
                                         r"params \((none given|v)\): a mean is of its params alone, drawn for any "
                                         r"shape$"):
        init.Scheme("mine", "0", "constant", mean=mean, params={"v": 1.0} if "v" in mean else ())
    mine = init.Scheme("mine", "0", "constant", mean="2*v", params={"v": 1.5})  # the params it is given: taken
    assert mine((2, 3), rng=0).tolist() == [[3.0] * 3] * 2 and mine.mean() == 3.0
