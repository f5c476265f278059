"""Behaviours of nn/init.py that no other test pinned (found by mutating the module)."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import init, nn


class _TwoLinearsOneUsed(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.used, self.unused = nn.Linear(4, 3, rng=0), nn.Linear(3, 2, rng=1)

    def forward(self, x):
        return self.used(x)


class _DeclaredLastCalledFirst(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a, self.z = nn.Linear(8, 4, bias=False, rng=0), nn.Linear(6, 8, bias=False, rng=1)  # z runs first

    def forward(self, x):
        return self.a(self.z(x))


def test_lsuv_fits_the_layers_in_the_order_the_model_calls_them():
    # fitting a before z would leave a's output off 1 once z is rescaled (a linear net: by z's factor squared)
    model = _DeclaredLastCalledFirst()
    x = np.random.default_rng(2).standard_normal((256, 6)) * 5.0
    init.lsuv(model, x, tol=0.01, rng=0)
    hidden = x @ model.z.weight.data.astype(np.float64)
    assert abs(hidden.var() - 1) <= 0.01 and abs((hidden @ model.a.weight.data.astype(np.float64)).var() - 1) <= 0.01


def test_lsuv_names_a_linear_layer_the_model_never_calls_and_keeps_the_weights():
    model = _TwoLinearsOneUsed()
    before = [m.weight.data.copy() for m in (model.used, model.unused)]
    x = np.random.default_rng(0).standard_normal((16, 4)).astype(np.float32)
    with pytest.raises(RuntimeError, match=r"^lsuv: layer 'unused' was not called by model\(batch\)"):
        init.lsuv(model, x, rng=0)  # not an IndexError from an empty list of outputs
    for m, w in zip((model.used, model.unused), before):
        assert np.array_equal(m.weight.data, w)


def test_lsuv_leaves_a_layer_already_within_tol_orthogonal():
    # Mishkin & Matas (2015), Algorithm 1: rescale only while |Var - 1| >= tol. With tol = 10 every layer is
    # within it at once, so the weights stay the orthogonal ones: W.T @ W = I (fan_in 8 >= fan_out 5), by hand.
    model = nn.Sequential(nn.Linear(8, 5, bias=False, rng=0))
    x = np.random.default_rng(1).standard_normal((64, 8)).astype(np.float32) * 2.0  # output variance ~4, not 1
    init.lsuv(model, x, tol=10.0, rng=3)
    w = model[0].weight.data.astype(np.float64)
    np.testing.assert_allclose(w.T @ w, np.eye(5), atol=1e-6)


def test_uniform_keeps_draws_that_round_to_an_exact_bound():
    # [1, 1 + 2^-20) holds 8 float32 steps of 2^-23: about 1/16 of the float64 draws round down to a = 1.0 itself,
    # as many up to b; both are in [a, b] and must stay (numpy's draw rounded once to float32; a, b are exact).
    a, b = 1.0, 1.0 + 2.0 ** -20
    w = init.uniform((2000,), rng=7, dtype=np.float32, a=a, b=b)
    expected = np.random.default_rng(7).uniform(a, b, 2000).astype(np.float32)
    assert (expected == np.float32(a)).sum() > 50 and (expected == np.float32(b)).sum() > 50
    np.testing.assert_array_equal(w, expected)


@pytest.mark.parametrize("shape", [(6, 4), (0, 4), (6, 0), (0, 0)])
def test_sparse_with_no_zeros_to_place_is_the_plain_gaussian(shape):
    # sparsity 0: ceil(0 * fan_in) = 0 zeros per column, so W = std * N(0, 1) as numpy draws it; empty shapes stay empty
    w = init.sparse(shape, rng=(gen := np.random.default_rng(2)), dtype=np.float64, sparsity=0.0, std=0.5)
    numpy = np.random.default_rng(2)
    np.testing.assert_array_equal(w, numpy.standard_normal(shape) * 0.5)
    assert gen.random() == numpy.random()  # and it takes no more numbers from a shared Generator than those


def test_a_schemes_repr_shows_the_parameters_changed_and_the_formula_they_give():
    he = init.get("he_normal")
    assert repr(he) == "Scheme('he_normal': N(0, 2/fan_in))" == repr(he.configure(mode="fan_in"))
    out = he.configure(mode="fan_out")
    assert repr(out) == "Scheme('he_normal', mode='fan_out': N(0, 2/fan_out))"
    assert out.std(100, 50) == pytest.approx(np.sqrt(2 / 50), rel=1e-15)  # He et al. 2015, fan_out = 50
    assert repr(init.get("normal").configure(std=0.5)) == "Scheme('normal', std=0.5: N(0, 0.5^2))"


def test_describe_refuses_a_plain_function_with_a_type_error():
    def mine(shape, rng=None, dtype=np.float32):
        return np.zeros(shape, dtype)
    with pytest.raises(TypeError, match=r"^describe: 'mine' is a plain function, not a named scheme$"):
        init.describe(mine)  # its name, not its repr with a memory address
    with pytest.raises(ValueError, match=r"^describe: unknown initialization scheme 'xavie'"):
        init.describe("xavie")  # said 'init.get: ...', a function the user did not call
    with pytest.raises(ValueError, match=r"^describe: 'xavier' is ambiguous"):
        init.describe("xavier")
    assert init.describe("kaiming_normal").name == "he_normal"  # an alias names the scheme


def test_the_first_entry_of_a_truncated_normal_is_drawn_like_the_others():
    # over 400 seeds the entry [0, 0] of a (2, 3) weight (and the single entry of a (1, 1) one) is a truncated normal
    # of Var = 2 / fan_in: distinct draws within 2 std of the underlying normal, of the right variance
    import math

    for shape in ((2, 3), (1, 1)):
        first = np.array([init.variance_scaling(shape, 2.0, distribution="truncated_normal", rng=seed,
                                                dtype=np.float64)[0, 0] for seed in range(400)])
        var = 2.0 / shape[0]
        assert len(set(first.tolist())) == 400
        assert np.abs(first).max() <= 2 * math.sqrt(var) / init.TRUNCATED_NORMAL_STD
        assert np.mean(first ** 2) == pytest.approx(var, rel=0.15)  # 400 draws: the sample variance within ~7%


@pytest.mark.parametrize(("fans", "name"), [((0, 5), "fan_in"), ((5, 0), "fan_out")])
def test_a_schemes_std_refuses_an_empty_fan_by_name(fans, name):
    # xavier's Var(W) = 2 / (fan_in + fan_out) would be a number for (0, 5): a std of a weight that has no entries
    with pytest.raises(ValueError, match=rf"^xavier_uniform\.std: {name} must be >= 1, got 0$"):
        init.xavier_uniform.std(*fans)


def test_uniform_with_equal_bounds_is_that_constant_as_in_pytorch():
    from conftest import require_module

    torch = require_module("torch")
    w = torch.empty(3)
    torch.nn.init.uniform_(w, 0.5, 0.5)  # PyTorch accepts a == b
    assert init.uniform((3,), rng=0, a=0.5, b=0.5).tolist() == w.tolist() == [0.5] * 3


def test_a_shape_may_be_a_1d_numpy_array_and_fans_checks_it_as_the_schemes_do():
    np.testing.assert_array_equal(init.he_normal(np.array([3, 4]), rng=0), init.he_normal((3, 4), rng=0))
    assert init.fans(np.array([3, 4, 2])) == (6, 8)  # a kernel (in, out, r): (in * r, out * r)
    with pytest.raises(ValueError, match=r"^fans: shape \(3,\) is 1-D \(a bias vector\?\)"):
        init.fans(3)  # an int is the 1-D shape (3,), as for the schemes


def _linear_and_batch(scale: float):
    x = np.random.default_rng(1).standard_normal((256, 64)).astype(np.float32) * scale
    return nn.Linear(64, 64, bias=False, rng=0), x


def test_lsuv_leaves_an_orthogonal_weight_whose_output_variance_is_already_within_tol():
    # the docstring: W <- W / sqrt(v) only while v is off 1 by more than tol; N(0, 1) rows through an orthogonal W
    # keep a variance near 1 (0.99 here)
    model, x = _linear_and_batch(1.0)
    init.lsuv(model, x, rng=3)
    np.testing.assert_array_equal(model.weight.data, init.orthogonal((64, 64), rng=3))


def test_lsuv_measures_again_after_its_last_rescaling():
    # a linear layer without bias reaches variance 1 in one rescaling: max_iter=1 is enough, and no warning
    import warnings

    model, x = _linear_and_batch(3.0)  # output variance about 9
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        init.lsuv(model, x, max_iter=1, rng=3)
    assert np.var((x @ model.weight.data).astype(np.float64)) == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_variance_scaling_defaults_to_scale_1_over_fan_in_and_honours_each_mode(seed) -> None:
    # Var(W) = scale / n: LeCun's 1/fan_in by default; 1/fan_out, 2/(fan_in + fan_out) as asked. 100,000 entries
    # give the sample std within about 0.5% (its relative sd is 1/sqrt(2 * 100000) = 0.22%)
    for mode, n in ((None, 1000), ("fan_in", 1000), ("fan_out", 100), ("fan_avg", 550)):
        kwargs = {} if mode is None else {"mode": mode}
        w = init.variance_scaling((1000, 100), rng=seed, dtype=np.float64, **kwargs)
        assert w.std() == pytest.approx(np.sqrt(1.0 / n), rel=0.01)


@pytest.mark.parametrize("a, b", [(-1.0, 0.0), (0.0, 2.0), (-2.0, 2.0), (-3.0, -1.0)])
def test_uniforms_variance_text_reads_back_as_its_variance(a, b) -> None:
    text = init.uniform.configure(a=a, b=b).variance  # (b - a)^2 / 12, whatever tidying wrote it
    assert eval(text.replace("^", "**")) == pytest.approx((b - a) ** 2 / 12, rel=1e-12)


@pytest.mark.filterwarnings("ignore:overflow encountered")
def test_lsuv_refuses_an_infinite_output_variance_by_its_value():
    model = nn.Sequential(nn.Linear(4, 3, rng=0, dtype=np.float64))
    x = np.full((8, 4), 1e300) * np.array([[1.0], [-1.0]] * 4)  # squares overflow: the variance is inf
    with pytest.raises(ValueError, match=r"^lsuv: layer '0' output has variance inf over its 24 value\(s\)"):
        init.lsuv(model, x, rng=0)


def test_the_text_table_numbers_the_three_xaviers_from_1_as_the_markdown_does() -> None:
    numbered = [line.split(":")[0].strip() for line in init.table().splitlines() if line.startswith("  ") and
                line.strip()[:1].isdigit()]
    assert numbered == ["1. xavier_uniform", "2. glorot_standard", "3. cs231n"]
    assert [line.split(":")[0] for line in init.table("markdown").splitlines()[-3:]] == [
        "1. `xavier_uniform`", "2. `glorot_standard`", "3. `cs231n`"]


def test_every_shape_based_scheme_draws_a_c_contiguous_kernel() -> None:
    # orthogonal lays a kernel (in, out, kh, kw) out from the (fan_in, out) matrix by a moveaxis: a strided view
    for name in init.names():
        scheme = init.get(name)
        if not scheme.data_dependent and name != "sparse":  # sparse is 2-D only
            assert scheme((3, 4, 2, 2), rng=0).flags.c_contiguous, name


def test_a_layer_takes_weights_of_exactly_the_dtypes_largest_value_and_calculate_gain_names_its_param() -> None:
    big = float(np.finfo(np.float32).max)
    assert (nn.Linear(2, 2, init=init.get("constant", value=big)).weight.data == big).all()  # not refused as inf
    with pytest.raises(TypeError, match="^calculate_gain: param must be a number, got str 'x'$"):
        init.calculate_gain("leaky_relu", "x")
