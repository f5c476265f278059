"""The gradient checker's numbers and refusals, pinned where a changed comparison, upstream or reading of the inputs
would otherwise pass the other tests: each expectation is worked out by hand or from PyTorch's gradcheck semantics
(an element passes when |analytic - numeric| <= atol + rtol |numeric|, as torch.allclose(analytic, numeric))."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_init.core import ops, tensor as tensor_module
from tinygrad_init.gradcheck import gradcheck, numerical_grad

def _times(factor, scale=1.0):  # x * scale whose backward rule gives factor * g: with u = 1, numeric scale, analytic
    # factor (a correct rule has factor == scale)
    op = ops.Op("times", lambda x: (x * scale, None), lambda s, g, needs: (factor * g,), ("dx = ?",))
    return lambda t: tensor_module._result(t.data * scale, op, None, t)


_triple = _times(3)


def test_the_tolerance_is_a_fraction_of_the_numeric_gradient_and_equality_at_it_passes():
    # analytic 3, numeric 1: |3 - 1| = 2 fails rtol 0.9 (0.9 x |numeric|), though it is below 0.9 x |analytic|
    assert not gradcheck(_triple, np.array([0.5]), upstream=np.ones(1), atol=0.0, rtol=0.9, raise_on_fail=False).ok
    assert gradcheck(_triple, np.array([0.5]), upstream=np.ones(1), atol=0.0, rtol=2.0).ok  # 2 <= 2 x 1
    # 2x at 0.5 with u = 1: S moves by 2 (x + eps) - 2 (x - eps), exactly twice the step, so numeric is exactly 2 and
    # an error of 0 passes atol = rtol = 0 (<=, as torch.allclose)
    c = gradcheck(lambda a: a * 2, np.array([0.5]), upstream=np.ones(1), atol=0.0, rtol=0.0).inputs[0]
    assert c.numeric.tolist() == [2.0] and c.abs_error.tolist() == [0.0]


def test_the_relative_error_is_over_the_larger_gradient_and_never_below_atol():
    # analytic [3, 3e-7], numeric [1, 1e-7]: |a - n| / max(|a|, |n|, atol) = 2/3 and 2e-7 / 1e-5 (atol, the default)
    c = gradcheck(lambda a: _triple(a * np.array([1.0, 1e-7])), np.array([0.5, 0.5]), upstream=np.ones(2),
                  raise_on_fail=False).inputs[0]
    np.testing.assert_allclose(c.rel_error, [2 / 3, 0.02], rtol=1e-3)
    np.testing.assert_allclose(c.abs_error, [2.0, 2e-7], rtol=1e-3)


def test_a_non_finite_analytic_gradient_has_no_absolute_error():
    # 1/x at 1e-200: f is 1e200, finite, but backward's -u / x^2 overflows to inf; the error is nan, not inf
    r = gradcheck(lambda a: 1 / a, np.array([1e-200]), raise_on_fail=False)
    assert math.isinf(r.inputs[0].analytic[0]) and math.isfinite(r.inputs[0].numeric[0])
    assert math.isnan(r.inputs[0].abs_error[0]) and math.isnan(r.max_abs_error) and not r.ok


def test_a_gradient_of_the_transposed_shape_is_named_not_compared():
    # an f that replaces its inputs' arrays by their transposes: backward leaves a (4, 3) gradient on a (3, 4) input;
    # the first such input is named, with no guess from its (nan) numbers
    def f(x, y):
        x.data, y.data = x.data.T.copy(), y.data.T.copy()
        return x * 2 + y.sum()

    r = gradcheck(f, np.arange(12.0).reshape(3, 4), np.ones((0, 2)), raise_on_fail=False)
    assert not r.ok and r.where.input == 0 and r.where.index is None and r.hint == ""
    assert np.isnan(r.inputs[0].analytic).all() and r.inputs[1].note and not r.inputs[1].ok  # (empty, yet off)
    assert str(r).startswith("gradcheck failed for input 0 (the 1st input, shape (3, 4)): backward gave it a gradient "
                             "of shape (4, 3), but the input has shape (3, 4)")


def test_an_upstream_must_have_the_output_shape_not_only_its_size():
    with pytest.raises(ValueError, match=r"upstream has shape \(3, 2\) but f's output has shape \(2, 3\)"):
        gradcheck(lambda a: a * a, np.ones((2, 3)), upstream=np.ones((3, 2)))
    # one number for one output element is taken in the output's shape (as backward's seed)
    r = gradcheck(lambda a: (a * a).sum(), np.ones((2, 3)), upstream=np.array([2.0]))
    assert r.upstream.shape == () and r.upstream == 2.0
    assert gradcheck(lambda v: v * v, 1.5).upstream.shape == ()  # a Value's output: one number, shape ()


@pytest.mark.parametrize("upstream", ["1.5", b"1.5"])
def test_an_upstream_that_numpy_would_parse_as_a_number_is_refused(upstream):
    with pytest.raises(TypeError, match="upstream must be an array of numbers"):
        gradcheck(lambda a: a * a, np.ones(1), upstream=upstream)


def test_the_rng_seeds_the_sizes_of_the_upstream_too_not_only_its_signs():
    r3, r4 = (gradcheck(lambda a: a * 2, np.ones(6), rng=seed).upstream for seed in (3, 4))
    assert not np.array_equal(np.abs(r3), np.abs(r4))


def test_a_boolean_input_is_refused_not_read_as_one():
    with pytest.raises(TypeError, match="input 0 has dtype bool"):
        gradcheck(lambda a: a * 2, True)


def test_a_gradient_5_percent_off_that_passes_by_atol_alone_is_noted():
    # analytic 1.05e-7, numeric 1e-7: 5e-9 apart, far below atol 1e-5, yet 5% of the gradient (the note's bar is 1%);
    # the note names the first such element
    r = gradcheck(lambda a: _times(1.05)(a * 1e-7), np.array([0.5, 0.5]), upstream=np.array([1.0, 2.0]))
    assert r.ok and len(r.notes) == 1
    assert "2 elements passed by atol alone (the first: input 0 at [0], analytic 1.05e-7, numeric 1e-7, 5% apart)" \
        in r.notes[0]


@pytest.mark.parametrize("f,kwargs", [(_times(3), {}), (_times(1.05), {"rtol": 0.1}), (_times(1.0, 0.0), {}),
                                      (lambda a: a * 2, {"upstream": np.zeros(1)})])
def test_no_note_of_an_unchecked_gradient_where_the_tolerance_did_check_it(f, kwargs):
    # failed (3 for 1; 1 for 0: no note that it passed by atol, or that both gradients are 0), passed by rtol (5% off
    # with rtol 10%: not by atol alone), or u = 0 (said once: not again as "f does not depend on the input")
    r = gradcheck(f, np.array([0.5]), **{"upstream": np.ones(1), **kwargs}, raise_on_fail=False)
    assert len(r.notes) == ("upstream" in kwargs and not kwargs["upstream"].any())


@pytest.mark.parametrize("scale,factor", [([1000.0, 1e-3], [1001.0, 0.0]), ([1.0, 1.0], [0.0, 1e4])])
def test_the_worst_element_is_the_one_furthest_beyond_its_own_tolerance(scale, factor):
    # tolerances 1e-5 + 1e-4 |numeric|: A: errors 1 (of 0.10001) and 1e-3 (of 1.01e-5), 10 and 99 times theirs;
    # B: errors 1 and 9999 over 1.1e-4 each (over atol + rtol |analytic| the first would be the worse, 1e5 to 1e4)
    r = gradcheck(_times(np.array(factor), np.array(scale)), np.array([0.5, 0.5]), upstream=np.ones(2),
                  raise_on_fail=False)
    assert r.where.index == (1,) and r.where.numeric == pytest.approx(scale[1], rel=1e-3)


def test_the_outputs_of_f_are_read_as_they_come():
    x = np.array([0.5, 1.0])
    # a constant among f's outputs (requires no grad) is checked as f's output, with no backward of its own
    assert gradcheck(lambda a: (a * 2, tensor_module.Tensor(np.ones(2))), x).ok
    # a 0-d float64 input times a float32 vector is float32, as in PyTorch (a 0-d tensor takes the other's dtype)
    r = gradcheck(lambda a: a * tensor_module.Tensor(np.ones(2, np.float32)), np.array(0.5), raise_on_fail=False)
    assert any(n.startswith("f's output is float32 although its inputs were float64") for n in r.notes)
    # an output whose shape changes at a nudged point (as many elements) is refused, not read in another order
    with pytest.raises(ValueError, match=r"f returned shape \(1, 2\) at a nudged point but \(2,\) at the start"):
        gradcheck(lambda a: a if a.data[0] == 0.5 else a.reshape(1, 2), x)
    # an empty input is not one that "f does not depend on"
    assert gradcheck(lambda a, b: a * 2 + b.sum(), x, np.zeros(0)).notes == []


def test_the_tensor_engine_reads_numbers_of_a_given_dtype_as_pytorch_does():
    Tensor = tensor_module.Tensor
    # torch.tensor(np.array([300]), dtype=torch.int8) is a cast, 44; torch.tensor([300], dtype=torch.int8) refuses
    assert Tensor(np.array([300]), dtype=np.int8).data.tolist() == [44]
    with pytest.raises(ValueError, match=r"\[300\] does not fit dtype int8"):
        Tensor([300], dtype=np.int8)
    assert Tensor([0, 2], dtype=np.bool_).data.tolist() == [False, True]  # torch.tensor([0, 2], dtype=torch.bool)
    # a list operand takes the tensor's dtype, as a number does (float16 stays float16)
    assert (Tensor(np.ones(2, np.float16)) * [2.0, 3.0]).dtype == np.float16
    # torch.tensor([4], dtype=torch.uint8) ** -0.5 is 0.5 (a float exponent: no integer power); uint8 250 +
    # torch.tensor(10) is uint8 4 (a 0-d integer tensor takes the other integer dtype, unsigned or not)
    assert (Tensor([4], dtype=np.uint8) ** -0.5).data.tolist() == [0.5]
    total = Tensor([250], dtype=np.uint8) + Tensor(10, dtype=np.int64)
    assert total.dtype == np.uint8 and total.data.tolist() == [4]
    # a 0-d float16 tensor times a float32 vector is float32; a float16 vector plus an int64 one is float16 (PyTorch's)
    assert (Tensor(2.0, dtype=np.float16) * Tensor([3.0])).dtype == np.float32
    assert (Tensor([1.5], dtype=np.float16) + Tensor([1], dtype=np.int64)).dtype == np.float16
    with pytest.raises(IndexError, match="an index must be an int, a slice, or an array of integers or booleans, got "
                                         "float"):
        Tensor([1.0, 2.0])[1.0]  # refused in the engine's words, not numpy's
    # t[0, ..., mask] with a 2-d mask over the last two of three axes: the ellipsis is empty, so numpy's order is
    # PyTorch's, and the index is taken (x[0][mask] in both)
    x, mask = np.arange(24.0).reshape(2, 3, 4), np.array([[True, False, True, False]] * 3)
    assert Tensor(x)[0, ..., mask].data.tolist() == x[0][mask].tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    with pytest.raises(TypeError, match="alpha must be a number, got bool"):  # (PyTorch: only for boolean results)
        Tensor([1], dtype=np.int64).add_(Tensor([1], dtype=np.int64), alpha=True)


def test_an_f_whose_output_drifts_by_far_less_than_a_slope_can_show_is_still_named():
    # S drifts by 1e-11 a call: far beyond f's rounding (4e-16 |S|), far below a one-sided slope's noise (1e-9); the
    # numeric gradient is off by 1e-11 / 2e-6 = 5e-6, which atol 1e-8 (rtol 0) catches
    calls = []

    def f(a):
        calls.append(1)
        return a * 2 + len(calls) * 1e-11

    r = gradcheck(f, np.array([0.5]), upstream=np.ones(1), atol=1e-8, rtol=0.0, raise_on_fail=False)
    assert not r.ok and r.hint.startswith("f gives two different outputs at the same point")


def test_a_smooth_minimum_within_eps_is_not_noted_as_a_kink():
    # S = 1e4 x^2 at 1e-7: one-sided slopes 1e4 (2x -+ eps), -8e-3 and 1.2e-2, opposite signs as at a kink; at eps / 10
    # they close in tenfold (a kink's would not), so the pass has no note
    r = gradcheck(lambda a: a * a * 1e4, np.array([1e-7]), upstream=np.ones(1))
    assert r.ok and r.notes == []
    # the same curve with a rule adding 1 to its gradient: eps / 10 does not bring the numeric one near the analytic
    # one (2e-3 against 1.002), so eps is not blamed
    r = gradcheck(lambda a: a * a * 1e4 + _times(1.0, 0.0)(a), np.array([1e-7]), upstream=np.ones(1),
                  raise_on_fail=False)
    assert not r.ok and r.hint and "eps=" not in r.hint


@pytest.mark.parametrize("factor,scale,kwargs,hint", [
    ([0.0, 1.0], [1.0, 1.0], {}, "Only some elements are wrong"),  # one gradient 0, not all: not "no gradient reached"
    ([1 + 1e-8], [1.0], {"atol": 0.0, "rtol": 0.0}, "The error is small but above the tolerance"),  # 1e-8: 20 x noise
    ([2.0, 2e-7], [1.0, 1e-7], {}, "The analytic gradient is twice the numeric one here"),  # (1e-7: noisy, not read)
    ([-1.0, -1.0, -1.0, 5.0], [1.0] * 4, {}, "A sign error"),  # the typical element (median) flipped, not the worst
    ([2.0, 2.0, 1.0], [1.0] * 3, {}, "Only some elements are wrong"),  # twice at two elements, not at every one
    ([0.0, 0.0, 1e-6], [1.0, 1.0, 1e-6], {}, "Only some elements are wrong"),  # 0 where read, not "0 x" the numeric
    ([1.5, 3.0], [1.0, 1.0], {}, ""),  # every element off, by no one factor, not slightly: no guess
])
def test_the_hint_names_the_mistake_from_the_elements_that_show_it(factor, scale, kwargs, hint):
    r = gradcheck(_times(np.array(factor), np.array(scale)), np.full(len(scale), 0.5), upstream=np.ones(len(scale)),
                  raise_on_fail=False, **kwargs)
    assert not r.ok and r.hint.startswith(hint) and (r.hint == "") == (hint == "")


def test_the_eleventh_input_is_named_and_ten_are_listed():
    r = gradcheck(lambda *xs: sum(xs[:10], xs[0] * 0) + _triple(xs[10]), *[np.array([0.5])] * 11, raise_on_fail=False)
    text = str(r)
    assert text.startswith("gradcheck failed for input 10 (the 11th input, shape (1,)) at [0]")
    assert "  input 9 (the 10th input, shape (1,)): ok" in text and "  ... 1 more input, 1 of them off." in text
    ten = gradcheck(lambda *xs: sum(xs[1:], _triple(xs[0])), *[np.array([0.5])] * 10, raise_on_fail=False)
    assert "  input 9 (the 10th input" in str(ten) and "more input" not in str(ten)  # ten: all listed


def test_f_gets_a_fresh_input_of_the_kind_given_at_every_call():
    # numerical_grad: a Tensor for a Tensor (tanh is a Tensor's method), an array for a numpy scalar
    x = tensor_module.Tensor([0.5, -1.0])
    np.testing.assert_allclose(numerical_grad(lambda t: t.tanh().sum(), x), 1 - np.tanh([0.5, -1.0]) ** 2, rtol=1e-8)
    assert type(numerical_grad(lambda a: a * a, np.float64(2.0))) is np.ndarray
    # gradcheck: an f writing into its input's array changes that call's copy, not the point checked at: S = (x + 1)^2

    def f(a):
        a.data += 1.0
        return a * a

    assert gradcheck(f, np.array([0.5]), upstream=np.ones(1)).inputs[0].numeric == pytest.approx(3.0)
