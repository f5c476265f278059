"""The gradient checker itself: it passes correct gradients, catches wrong ones and says why."""

from __future__ import annotations

import copy
import math
import pickle
import re
import sys
import warnings

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, nn
from tinygrad_init.core import ops, tensor as tensor_module, value as value_module
from tinygrad_init.gradcheck import GradcheckError, GradcheckResult, gradcheck, numerical_grad


# Ops with deliberately wrong backward rules, built with the engine's own op template.

def _op(name, forward, backward):
    return ops.Op(name, forward, backward, ("dx = ?",))


def _apply(op, t):
    out, saved = op.forward(t.data)
    return tensor_module._result(out, op, saved, t)


WrongSignExp = _op("exp_wrong_sign", lambda x: (np.exp(x), np.exp(x)), lambda out, g, needs: (-g * out,))
DoubleExp = _op("exp_doubled", lambda x: (np.exp(x), np.exp(x)), lambda out, g, needs: (2 * g * out,))
MeanWithoutN = _op("mean_without_n", lambda x: (x.mean(), x.shape),
                   lambda shape, g, needs: (np.broadcast_to(g, shape),))
IgnoresUpstream = _op("exp_ignores_g", lambda x: (np.exp(x), np.exp(x)), lambda out, g, needs: (out,))
FirstElementWrong = _op("first_wrong", lambda x: (x * 1.0, x.shape),
                        lambda shape, g, needs: (np.where(np.arange(g.size).reshape(shape) == 0, 0.9 * g, g),))
WrongShape = _op("wrong_shape", lambda x: (x.sum(), x.shape), lambda shape, g, needs: (np.ones(shape[::-1]),))


def _wrong_value_sin(v):
    """sin with the local derivative of its sign flipped: -cos instead of cos."""
    return value_module._node(math.sin(v.data), "sin", v, -math.cos(v.data))


X = np.random.default_rng(0).normal(size=(3, 4))


# ------------------------------------------------------------------ passing


def test_correct_gradients_pass_and_report_small_errors():
    W = np.random.default_rng(1).normal(size=(4, 2))
    result = gradcheck(lambda x, w: (x @ w).tanh(), X, W)
    assert isinstance(result, GradcheckResult)
    assert result.ok and bool(result)
    assert result.max_abs_error < 1e-8
    assert len(result.inputs) == 2 and result.inputs[1].shape == (4, 2)
    assert result.inputs[0].analytic.shape == (3, 4) and result.inputs[0].numeric.shape == (3, 4)
    text = str(result)
    assert text.startswith("gradcheck passed: 2 inputs (20 elements)")


def test_an_exact_match_has_relative_error_zero():
    # y does not enter f: analytic (no gradient: zeros) and numeric gradients are both exactly 0
    c = gradcheck(lambda x, y: x * 2.0, np.array([0.5, 1.5]), np.array([1.0, -2.0])).inputs[1]
    assert c.ok and c.rel_error.tolist() == [0.0, 0.0] and c.max_abs_error == c.max_rel_error == 0.0


def test_values_and_plain_floats():
    r1 = gradcheck(lambda a, b: a * b + b.exp() - a / b, Value(2.0), Value(-1.0))
    r2 = gradcheck(lambda a, b: a * b + b.exp() - a / b, 2.0, -1.0)
    assert r1.ok and r2.ok and r1.engine == r2.engine == "Value"
    assert r1.inputs[0].analytic.shape == ()
    np.testing.assert_allclose(r1.inputs[0].analytic, -1.0 - 1 / -1.0)


def test_values_may_come_from_a_larger_graph_and_are_not_touched():
    a = Value(0.3) * 2.0
    gradcheck(lambda v: v.tanh(), a)
    assert a.grad == 0.0 and a.parents  # gradcheck works on fresh copies


def test_list_of_values_output():
    gradcheck(lambda a, b: [a * b, a.tanh(), b - a], 0.5, -1.5)


def test_inputs_are_not_modified():
    x = X.copy()
    t = Tensor(X.copy(), requires_grad=True)
    gradcheck(lambda a, b: a * b, x, t)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(t.data, X)
    assert t.grad is None


def test_upstream_is_non_uniform_and_seeded():
    r1 = gradcheck(lambda x: x * 2, X, rng=3)
    r2 = gradcheck(lambda x: x * 2, X, rng=3)
    r3 = gradcheck(lambda x: x * 2, X, rng=4)
    np.testing.assert_array_equal(r1.upstream, r2.upstream)
    assert not np.array_equal(r1.upstream, r3.upstream)
    assert r1.upstream.shape == (3, 4)
    assert len(np.unique(r1.upstream)) == 12
    assert np.all(np.abs(r1.upstream) >= 0.5) and (r1.upstream < 0).any() and (r1.upstream > 0).any()
    np.testing.assert_allclose(r1.inputs[0].analytic, 2 * r1.upstream)


def test_even_a_scalar_output_gets_a_non_unit_upstream():
    # A rule that forgets to multiply by g is right when g == 1: the checker must not use 1.
    r = gradcheck(lambda x: _apply(IgnoresUpstream, x).sum(), X[0], raise_on_fail=False)
    assert not r.ok
    assert r.upstream.shape == () and abs(float(r.upstream)) != 1.0


def test_given_upstream_is_used():
    u = np.arange(12.0).reshape(3, 4) - 5
    r = gradcheck(lambda x: x * 3, X, upstream=u)
    np.testing.assert_array_equal(r.upstream, u)
    np.testing.assert_allclose(r.inputs[0].analytic, 3 * u)
    with pytest.raises(ValueError, match=r"upstream has shape \(4,\) but f's output has shape \(3, 4\)"):
        gradcheck(lambda x: x * 3, X, upstream=np.ones(4))


def test_an_upstream_of_zeros_checks_nothing_and_says_so():
    # upstream=np.zeros(...) makes S = 0 at every point: a rule off by any factor passed, and the report said only
    # 'gradcheck passed ... max absolute error 0'
    r = gradcheck(lambda x: _apply(DoubleExp, x), X, upstream=np.zeros((3, 4)))
    assert r.ok and "note: upstream is 0 at 12 of 12 output elements: S = sum(u * f) does not depend on them" in str(r)
    v = gradcheck(lambda a, b: [a * b, b], 1.0, 2.0, upstream=[0.0, 1.0])
    assert [n for n in v.notes if n.startswith("upstream is 0 at 1 of 2 output elements")], v.notes
    assert not [n for n in gradcheck(lambda a: a * a, 1.5, upstream=2.0).notes if "upstream" in n]


def test_float32_inputs_are_promoted_with_a_note():
    x32 = X.astype(np.float32)
    r = gradcheck(lambda x: x.tanh(), x32)
    assert r.ok
    assert any("input 0 is float32" in n and "float64" in n for n in r.notes)
    assert "note: input 0 is float32" in str(r)
    r2 = gradcheck(lambda x: x.tanh(), Tensor(x32))  # a float32 Tensor likewise
    assert r2.ok and r2.notes


def test_lists_and_numbers_are_tensor_inputs_when_mixed_with_arrays():
    r = gradcheck(lambda x, k: x * k, [[1.0, 2.0]], np.array(3.0))
    assert r.ok and r.engine == "Tensor"


# ------------------------------------------------------------------ failing


def test_sign_error_is_found_and_explained():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: a * _apply(WrongSignExp, b), X[0], X)
    msg = str(info.value)
    assert msg.startswith("gradcheck failed for input 1 (the 2nd input, shape (3, 4)) at [")
    assert "relative error 2;" in msg
    assert "A sign error in a backward rule?" in msg
    assert "input 0 (the 1st input, shape (4,)): ok" in msg
    assert "12 of 12 elements off" in msg
    result = info.value.result
    assert not result.ok and result.where.input == 1 and len(result.where.index) == 2
    w = result.where
    assert w.analytic == pytest.approx(-w.numeric, rel=1e-6)
    i, j = w.index
    assert w.numeric == pytest.approx(float(result.upstream[i, j] * X[0][j] * np.exp(X[i, j])), rel=1e-6)
    assert isinstance(info.value, AssertionError)


def test_message_format_of_the_worst_element():
    # x * (sign-flipped exp of y): analytic = -numeric everywhere for y
    u = np.ones(3)
    y = np.log(np.array([0.5, 0.25, 1.0]))
    r = gradcheck(lambda y: _apply(WrongSignExp, y), y, upstream=u, raise_on_fail=False)
    assert str(r).splitlines()[0] == (
        "gradcheck failed for input 0 (the 1st input, shape (3,)) at [2]: analytic -1, numeric 1 "
        "(absolute error 2, relative error 2; tolerance atol 1e-5 + rtol 1e-4 x |numeric|). "
        "A sign error in a backward rule?")
    assert r.where.index == (2,) and r.where.analytic == -1.0
    assert r.where.numeric == pytest.approx(1.0, rel=1e-9)


def test_double_counting_is_explained():
    r = gradcheck(lambda x: _apply(DoubleExp, x), X, raise_on_fail=False)
    assert not r.ok and "twice the numeric one at every element" in r.hint


def test_missing_factor_is_explained():
    r = gradcheck(lambda x: _apply(MeanWithoutN, x), X, raise_on_fail=False)
    assert not r.ok
    assert "12 x the numeric one at every element" in r.hint and "1/n" in r.hint


def test_detached_input_is_explained():
    r = gradcheck(lambda x: Tensor(x.data).exp() * 2, X, raise_on_fail=False)
    assert not r.ok
    assert "No gradient reached this input" in r.hint
    assert any("does not require grad" in n for n in r.notes)
    r2 = gradcheck(lambda x, w: w * x.detach(), X, X, raise_on_fail=False)
    assert not r2.ok and r2.where.input == 0 and r2.inputs[1].ok


def test_kink_is_explained():
    r = gradcheck(lambda x: x.relu(), np.array([0.0, 1.0, -1.0]), raise_on_fail=False)
    assert not r.ok and r.where.index == (0,)
    assert "kink" in r.hint and "relu at 0" in r.hint
    r2 = gradcheck(lambda x: (x - 1).relu() + x, np.array([1.0, 3.0]), raise_on_fail=False)
    assert not r2.ok and r2.where.index == (0,) and "kink" in r2.hint


@pytest.mark.parametrize("f,x", [(lambda t: 1 / t, np.array([1e-7, 1.0])), (lambda t: t ** -2.0, np.array([3e-7])),
                                 (lambda t: t + Tensor((t.data > 0) * 1.0), np.array([0.0]))])
def test_a_pole_or_a_jump_within_eps_is_not_called_a_kink(f, x):
    # 1/x at 1e-7 (x - eps crosses the pole) and a step made from t.data at 0 failed with 'f has a kink here ...:
    # relu at 0, max with ties or abs at 0 have no derivative there'; one-sided slopes grow as eps shrinks, a kink's not
    r = gradcheck(f, x, raise_on_fail=False)
    assert r.where.index == (0,) and r.hint.startswith("f is not continuous within eps of this point: its one-sided "
                                                       "slopes (of S = sum(u * f), "), r.hint
    assert "kink" not in str(r) and gradcheck(f, x + 0.5).ok


def test_a_kink_does_not_hide_a_wrong_gradient_elsewhere():
    # relu's gradient 10% too large: at [-1, 0, 2] the worst element was the kink at 0, and the whole verdict was 'f has
    # a kink here ... no backward rule can match; check at a point away from it', of a rule wrong here at x = 2
    def f(t):
        y = t.relu()
        y.register_hook(lambda g: g * 1.1)
        return y
    r = gradcheck(f, np.array([-1.0, 0.0, 2.0]), upstream=np.array([1.0, 2.0, 0.5]), raise_on_fail=False)
    assert not r.ok and r.where.index == (1,) and r.hint.startswith("f has a kink here"), str(r)
    assert r.hint.endswith(" Yet 1 element elsewhere is off with no kink to explain it (the first: input 0 at [2], "
                           "analytic 0.55, numeric 0.5): check there first."), r.hint
    r = gradcheck(lambda a, b: f(a) + f(b), np.array([0.0]), np.array([2.0, 3.0]), upstream=np.array([10.0, 10.0]),
                  raise_on_fail=False)  # two in another input: counted, the first named
    assert r.where.input == 0 and r.hint.endswith(" Yet 2 elements elsewhere are off with no kink to explain it (the "
                                                  "first: input 1 at [0], analytic 11, numeric 10): check there first.")
    r = gradcheck(lambda t: (t * Tensor([1.0, 0.0])).relu() * 10.0 + (t * Tensor([0.0, 1.0])).exp(), np.array(
        [0.0, 3.0]), eps=0.03, upstream=np.ones(2), raise_on_fail=False)  # [1]: no kink, a curve (eps too large there)
    assert r.where.index == (0,) and "Yet 1 element elsewhere is off with no kink to explain it (the first: input 0 " \
        "at [1]," in r.hint, r.hint
    alone = gradcheck(lambda t: t.relu(), np.array([-1.0, 0.0, 2.0]), raise_on_fail=False)  # a kink alone: as before
    assert alone.hint.startswith("f has a kink here") and alone.hint.endswith("check at a point away from it.")
    big = gradcheck(lambda t: t.relu() + Tensor([0.0, 1e9]), np.array([0.0, 1.0]), upstream=np.array([10.0, 0.7]),
                    raise_on_fail=False)  # [1] off by the rounding of S ~ 7e8 alone: no rule wrong there
    assert big.inputs[0].bad.all() and big.hint.endswith("check at a point away from it."), big.hint


def test_a_kink_gives_the_slopes_of_the_checked_sum_with_its_upstream():
    # tutorial 3 shows relu at 0: the message said 'f has a kink here (slope 0 from the left, 0.769787 from the
    # right)', the slopes of S = sum(u * f) with the random upstream u, where relu's own are 0 and 1
    x = np.array([-1.0, 0.0, 2.0])
    r = gradcheck(lambda t: t.relu(), x, raise_on_fail=False)
    u = float(r.upstream[1])
    assert abs(2 * r.inputs[0].numeric[1] - u) < 1e-6 and abs(u - 1) > 0.1
    assert f"slope 0 from the left, {u:.6g} from the right, of S = sum(u * f), u the random upstream" in r.hint
    ones = gradcheck(lambda t: t.relu(), x, upstream=np.ones(3), raise_on_fail=False)
    assert "slope 0 from the left, 1 from the right, of S = sum(u * f)" in ones.hint
    assert "random" not in ones.hint  # u given: it said 'u the random upstream'
    tied = gradcheck(lambda t: t.max(), np.array([2.0, 2.0, 1.0]))
    assert any("from the right, of S = sum(u * f)): there the central difference is their mean" in n
               for n in tied.notes), tied.notes


def test_a_kink_where_the_analytic_gradient_is_zero_is_explained_as_a_kink():
    # relu'(0) = 0 everywhere: the hint said 'No gradient reached this input: was it detached?'
    # with slopes under 1e-3 (a small init, W = 0.01 * randn, at x = 0) it said so still, or gave no hint (a tie)
    w1, w2 = (Tensor(0.01 * np.random.default_rng(0).standard_normal(s), dtype=np.float64) for s in ((3, 4), (4, 2)))
    for f, x in ((lambda a: a.relu(), 0.0), (lambda x: x.relu(), np.array([0.0, -1.0])),
                 (lambda a: a.relu() * 1e-4, 0.0), (lambda x: (x @ w1).relu() @ w2, np.zeros((2, 3))),
                 (lambda x: x.max(axis=1) * 1e-4, np.zeros((1, 3)))):
        r = gradcheck(f, x, raise_on_fail=False)
        assert not r.ok and r.hint.startswith("f has a kink here") and "No gradient" not in r.hint, str(r)
        assert "does not depend" not in str(r)  # (slope 0 from the left only: f depends on x)


@pytest.mark.parametrize("f,x,eps,then", [(lambda a: a.exp(), 3.0, 0.03, "passes"),
                                          (lambda a: a.tanh(), 2.0, 0.1, "passes"),
                                          (lambda t: t.log(), np.array([1e-3, 1.0]), 1e-4, "passes"),
                                          (lambda a: a.log(), 1e-3, 5e-4, "still fails")])
def test_a_step_too_large_for_a_smooth_f_is_not_called_a_kink(f, x, eps, then):
    # exp, tanh and log are smooth, their rules right: the one-sided slopes differ by the curvature over a large eps,
    # and the hint said 'f has a kink here ... relu at 0, max with ties or abs at 0 ... no backward rule can match'
    r = gradcheck(f, x, eps=eps, raise_on_fail=False)
    assert not r.ok and "kink" not in r.hint and "relu" not in r.hint, r.hint
    assert re.search(rf"^eps=\S+ is too large for f at this point: .*at eps/10 the error falls from \S+ to \S+ and "
                     rf"this element {then}\. Use a smaller eps", r.hint), r.hint
    assert gradcheck(f, x).ok
    kink = gradcheck(lambda a: a.relu(), 0.0, eps=0.1, raise_on_fail=False)  # a kink stays a kink at any step
    assert not kink.ok and "f has a kink here" in kink.hint
    big = 2.0 ** 43  # where eps / 10 is below half a float's spacing: the slopes at eps stand
    kink = gradcheck(lambda t: (t - big).relu(), np.array([big]), eps=0.002, raise_on_fail=False)
    assert not kink.ok and "f has a kink here" in kink.hint


def test_max_with_ties_matches_central_differences():
    # Splitting the gradient equally among tied maxima is exactly what the central difference sees:
    # (max(2 + e, 2) - max(2 - e, 2)) / 2e = 1/2.
    assert gradcheck(lambda x: x.max(), np.array([2.0, 2.0, 1.0])).ok


@pytest.mark.parametrize("f,x,where", [(lambda x: x.max(), np.array([2.0, 2.0, 1.0]), "at [0]"),
                                       (lambda x: x.relu() + (-x).relu(), np.array([1.0, 0.0]), "at [1]"),
                                       (lambda v: v.relu() + (-v).relu(), 0.0, "input 0, slope"),
                                       (lambda x: x.max() + x[0] * 0.5, np.array([2.0, 2.0, 1.0]),  # slopes 1/2, 3/2
                                        "at 2 elements that passed (the first: input 0 at [0],")])
def test_a_pass_at_a_kink_says_that_only_the_convention_was_checked(f, x, where):
    # max with ties and |x| = relu(x) + relu(-x) at 0 passed with no word: the docs promise that gradcheck recognizes
    # a kink, which it did only on failure, though a pass there checks a convention (ties share, relu'(0) = 0)
    r = gradcheck(f, x)
    assert r.ok and not r.hint and any(n.startswith("f has a kink at") and where in n for n in r.notes), r.notes
    assert "note: f has a kink" in str(r) and "does not depend" not in str(r)  # |x| at 0: slopes +-u, their mean 0,
    # was also 'f does not depend on input 0 here ... does f use something from outside in place of its argument?'
    for g, y in ((lambda x: 1 / x, np.array([1e-4, 1e-3])), (lambda x: x.max(), np.array([2.0, 1.0])),
                 (lambda x: (x * x).sum() * 1000.0, np.zeros(3)), (lambda v: v * v * 1000.0, 0.0)):
        assert not [n for n in gradcheck(g, y).notes if "kink" in n]  # steep but smooth (2% apart), no tie; a smooth
        # minimum, whose one-sided slopes +-1e-3 have opposite signs, was 'f has a kink at 3 elements that passed'
    r = gradcheck(lambda t: t[0:2].max() + (t[2:] * t[2:]).sum() * 1000.0, np.zeros(6))  # a tie, then 4 curves
    assert [n for n in r.notes if n.startswith("f has a kink at 2 elements")], r.notes  # the curves after the first
    # kink were counted with it: 'at 6 elements'



def test_only_some_elements_wrong():
    r = gradcheck(lambda x: _apply(FirstElementWrong, x), X, raise_on_fail=False)
    assert not r.ok and r.where.index == (0, 0)
    assert "1 of 12 elements off" in str(r)


def test_non_finite_numeric_gradient_is_explained():
    r = gradcheck(lambda x: x.log(), np.array([1e-7, 1.0]), raise_on_fail=False)
    assert not r.ok and r.where.index == (0,)
    assert math.isnan(r.where.numeric)
    assert "not finite" in r.hint
    assert math.isnan(r.max_abs_error)


@pytest.mark.parametrize("f,x", [(lambda v: 1 / v, 0.0), (lambda v: v.log(), -1.0), (lambda t: t.log(), np.array(
    [-1.0, 1.0])), (lambda t: t * 1e308 * 10, np.array([1.0]))])
def test_a_function_not_finite_at_the_point_itself_is_named_without_numpys_warnings(f, x):
    # 1/v at 0 gave no hint at all (analytic inf, numeric -1.1e12); log at [-1, 1] blamed "f leaves its domain within
    # eps" for both elements, the finite one too; the Tensor cases printed numpy's RuntimeWarning from the analytic pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = gradcheck(f, x, raise_on_fail=False)
    assert not r.ok and "f itself is not finite at this point" in r.hint and "for any element" in str(r)


@pytest.mark.parametrize("f,x", [(lambda x: (x - x) ** 0.5 + x, np.array([1.0, 2.0])),
                                 (lambda v: (v - v) ** 0.5 + v, 1.0), (lambda v: (v - v) ** 0.5 * 0.0 + v, 1.0)])
def test_an_analytic_nan_where_f_is_smooth_is_explained_as_a_pole_inside_f(f, x):
    # f(x) = x, but its graph passes through 0 ** 0.5 (local derivative inf, then inf - inf = nan): no hint was given
    r = gradcheck(f, x, raise_on_fail=False)
    assert not r.ok and math.isnan(r.where.analytic) and math.isfinite(r.where.numeric)
    assert "met a pole inside f" in r.hint and "PyTorch's backward gives the same" in r.hint


def test_wrong_gradient_shape_is_reported():
    # a rule giving (4, 3) for an input (3, 4) is no broadcast of it: the engine names the op (unbroadcast summed
    # such a gradient to a wrong shape in silence, the input's .grad was (4, 3), and only gradcheck told)
    with pytest.raises(ValueError, match=r"backward: the rule of wrong_shape gave its input 0 a gradient of shape "
                                         r"\(4, 3\); the input has shape \(3, 4\), of which that is no broadcast"):
        gradcheck(lambda x: _apply(WrongShape, x), X, raise_on_fail=False)


def test_value_sign_error():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: a * _wrong_value_sin(b), 1.5, 0.4)
    msg = str(info.value)
    assert msg.startswith("gradcheck failed for input 1 (the 2nd input, a Value): analytic ")
    assert "A sign error in a backward rule?" in msg
    assert info.value.result.where.index == ()
    # a process pool sends a failed check back pickled: 'GradcheckError.__init__() missing 1 required positional
    # argument: result' in the parent, and copy.deepcopy failed the same way
    for copied in (pickle.loads(pickle.dumps(info.value)), copy.deepcopy(info.value)):
        assert type(copied) is GradcheckError and str(copied) == msg and copied.result.where == info.value.result.where


def test_tolerances_are_respected():
    # a 1e-3 relative error passes with rtol=1e-2 and fails with the default 1e-4
    Slight = _op("slight", lambda x: (x * 1.0, None), lambda s, g, needs: (g * 1.001,))
    assert gradcheck(lambda x: _apply(Slight, x), X, rtol=1e-2).ok
    r = gradcheck(lambda x: _apply(Slight, x), X, raise_on_fail=False)
    assert not r.ok and "1.001 x the numeric one" in r.hint


def test_a_factor_close_to_one_is_not_rounded_to_one_in_the_hint():
    # a rule off by 2e-4 fails the default rtol 1e-4; the hint said 'The analytic gradient is 1 x the numeric one'
    Slight = _op("slight", lambda x: (x * 1.0, None), lambda s, g, needs: (g * 1.0002,))
    r = gradcheck(lambda x: _apply(Slight, x), X, raise_on_fail=False)
    assert not r.ok and "1.0002 x the numeric one" in r.hint


def test_rounding_in_the_central_differences_is_not_taken_for_a_kink_or_a_factor():
    # f detached through float32: its one-sided slopes differ by float32 rounding over eps, and the hint said 'f has a
    # kink here (slope -1.05041 from the left, -1.01652 from the right ...)' of a smooth tanh, where nothing reached x
    detached = gradcheck(lambda x: Tensor(x.data.astype(np.float32), requires_grad=True).tanh(),
                         np.array([0.3, -1.2]), raise_on_fail=False)
    assert not detached.ok and "kink" not in detached.hint and "No gradient reached this input" in detached.hint
    # x * x at 1e8: S is about 1e16, whose rounding over a step of 1e-6 is far above the tolerance; the hint said 'The
    # analytic gradient is 1.0001 x the numeric one here: a constant factor is missing or extra in a backward rule'
    big = gradcheck(lambda x: x * x, np.array([1e8]), raise_on_fail=False)
    assert not big.ok and "factor" not in big.hint
    assert "within what rounding alone gives the central differences" in big.hint
    assert gradcheck(lambda x: x * x, np.array([1e8]), eps=100.0).ok  # a step that suits the scale: the rule is right
    for ok_case in (gradcheck(lambda x: x.tanh(), np.array([0.3, -1.2])), gradcheck(lambda a: a.relu(), 0.0,
                                                                                     raise_on_fail=False)):
        assert ok_case.ok or "kink" in ok_case.hint  # float64 rounding hides neither a pass nor relu's kink


# --------------------------------------------------------------- validation


@pytest.mark.parametrize("z", [1 + 2j, np.complex64(1 + 2j), np.array([1 + 2j, 3.0]), [1j, 2.0]])
def test_a_complex_input_is_refused_as_complex(z):
    # 1 + 2j was told 'expected a Tensor, a numpy array or a number', a complex array to 'Pass x.astype(np.float64)',
    # which drops the imaginary part (numpy's ComplexWarning)
    for fn in (gradcheck, numerical_grad):
        with pytest.raises(TypeError, match=rf"{fn.__name__}: input 0 is complex .*real inputs only.*x\.real and "
                                            r"x\.imag") as info:
            fn(lambda x: x * x, z)
        assert "astype(np.float64)" not in str(info.value) and "expected a Tensor" not in str(info.value)



def test_validation():
    # the step says what it is and what suits (a bare "eps must be > 0" left a student guessing)
    with pytest.raises(ValueError, match=r"^gradcheck: eps, the central-difference step \(1e-6 suits float64\), "
                                         r"must be > 0, got 0$"):
        gradcheck(lambda x: x, X, eps=0.0)
    with pytest.raises(ValueError, match=r"^gradcheck: eps, .* must be > 0, got -1e-6$"):
        gradcheck(lambda x: x, X, eps=-1e-6)
    with pytest.raises(ValueError, match="^gradcheck: atol must be >= 0, got -1$"):
        gradcheck(lambda x: x, X, atol=-1.0)
    with pytest.raises(ValueError, match="^gradcheck: rtol must be >= 0, got -0.5$"):
        gradcheck(lambda x: x, X, rtol=-0.5)
    with pytest.raises(TypeError, match=r"input 0 has dtype int64; gradients exist only for floating inputs"):
        gradcheck(lambda x: x, np.arange(3))
    with pytest.raises(TypeError, match="dtype bool"):
        gradcheck(lambda x: x, np.array([True, False]))
    with pytest.raises(TypeError, match="f must be a function"):
        gradcheck(3, X)
    with pytest.raises(ValueError, match="no inputs"):
        gradcheck(lambda: Tensor(1.0))
    with pytest.raises(ValueError, match="nan or inf"):
        gradcheck(lambda x: x, np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="is inf"):
        gradcheck(lambda v: v, math.inf)
    with pytest.raises(TypeError, match="mix Values and Tensors"):
        gradcheck(lambda a, b: a, Value(1.0), X)
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda x: x.data, X)
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda v: "nope", 1.0)
    with pytest.raises(TypeError, match="expected a Tensor, a numpy array or a number"):
        gradcheck(lambda x, y: x, X, "abc")


# ------------------------------------------------------------ numerical_grad


def test_numerical_grad_alone():
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numerical_grad(lambda a: (a ** 2).sum(), x), 2 * x, rtol=1e-8)
    np.testing.assert_allclose(numerical_grad(lambda t: (t * t).sum(), Tensor(x)), 2 * x, rtol=1e-8)
    u = np.array([1.0, 2.0, -3.0])
    np.testing.assert_allclose(numerical_grad(np.sin, x, upstream=u), u * np.cos(x), rtol=1e-8)
    g = numerical_grad(lambda v: v.exp() * v, Value(0.5))
    assert isinstance(g, float) and g == pytest.approx(1.5 * math.exp(0.5), rel=1e-9)
    assert numerical_grad(math.sin, 0.3) == pytest.approx(math.cos(0.3), rel=1e-9)
    np.testing.assert_array_equal(x, [1.0, -2.0, 0.5])  # the point is restored


def test_numerical_grad_of_a_list_of_values_reads_their_numbers_without_the_float_warning():
    # a Value's f returning a list of Values (as gradcheck takes it) was read by numpy through float(v), which warned
    # 'float(v) ... is a plain number outside the graph' twice per element, as if the student had left the graph
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = numerical_grad(lambda v: [v * 2.0, v * v, 3.0], Value(1.5), upstream=[1.0, 2.0, 5.0])
    assert g == pytest.approx(2.0 + 2.0 * 2 * 1.5, rel=1e-9)


def test_numerical_grad_validation():
    with pytest.raises(ValueError, match="numerical_grad: eps, the central-difference step .*, must be > 0"):
        numerical_grad(np.sum, np.ones(2), eps=0)
    with pytest.raises(ValueError, match=r"f returned shape \(2,\); pass upstream="):
        numerical_grad(lambda a: a * 2, np.ones(2))
    with pytest.raises(TypeError, match="dtype int64"):
        numerical_grad(np.sum, np.arange(3))


def test_numerical_grad_takes_a_one_element_upstream_only_for_a_one_element_output():
    x = np.array([0.5, -1.0, 2.0])
    with pytest.raises(ValueError, match=r"upstream has shape \(1,\) but f's output has shape \(3,\)"):
        numerical_grad(np.sin, x, upstream=[2.0])  # not broadcast to every output element
    np.testing.assert_allclose(numerical_grad(lambda a: np.sin(a).sum(), x, upstream=[2.0]), 2 * np.cos(x), rtol=1e-8)


def test_numerical_grad_accuracy_in_float64():
    # central differences: error O(eps^2) -- far below the default tolerances
    x = np.linspace(-2, 2, 9)
    err = np.abs(numerical_grad(lambda a: np.tanh(a).sum(), x) - (1 - np.tanh(x) ** 2))
    assert err.max() < 1e-9


def test_upstream_of_the_wrong_shape_or_kind_is_named():
    with pytest.raises(ValueError, match=r"numerical_grad: upstream has shape \(3,\) but f's output has shape \(2,\)"):
        numerical_grad(lambda t: t * t, Tensor([3.0, 1.0]), upstream=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"numerical_grad: upstream has shape \(2, 1\) but f's output has shape"):
        numerical_grad(lambda a: a * 2, np.ones(2), upstream=np.ones((2, 1)))
    for fn in (numerical_grad, gradcheck):
        with pytest.raises(TypeError, match=rf"{fn.__name__}: upstream must be an array of numbers"):
            fn(lambda a: a * 2, np.ones(2), upstream="ab")
        with pytest.raises(ValueError, match=rf"{fn.__name__}: upstream contains nan or inf"):  # numerical_grad: nan
            fn(lambda a: a * 2, np.ones(2), upstream=[1.0, np.nan])
    with pytest.raises(TypeError, match="gradcheck: raise_on_fail must be True or False"):
        gradcheck(lambda a: a * 2, np.ones(2), raise_on_fail="no")


def test_an_eps_below_the_resolution_of_the_input_is_named_not_reported_as_a_domain_error():
    with pytest.raises(ValueError, match=r"gradcheck: input 1: eps=1e-20 is too small for the element 1e\+20 at "
                                         r"\[0\]: x \+ eps == x in float64"):
        gradcheck(lambda a, b: a * b, np.zeros(1), np.array([1e20]), eps=1e-20)
    with pytest.raises(ValueError, match=r"numerical_grad: input 0: eps=1e-20 is too small"):
        numerical_grad(lambda x: x * 2, 1.0, eps=1e-20)


def test_a_failure_over_many_inputs_lists_a_few_and_counts_the_rest():
    # 1,000 Value inputs gave a message of 1,002 lines (114 kB), one per input, in the failed test's report
    xs = [0.5 + k / 200 for k in range(200)]
    f = lambda *v: Value.sum([Value(a.data) * a if k % 2 else a * a for k, a in enumerate(v)])  # noqa: E731
    with pytest.raises(GradcheckError) as info:  # the odd inputs' gradient is half the numeric one
        gradcheck(f, *xs)
    lines = str(info.value).splitlines()
    assert len(lines) <= 20 and len(str(info.value)) < 3000, len(lines)
    assert lines[2].startswith("  input 1 (the 2nd input, a Value): 1 of 1 element off")
    assert "  ... 190 more inputs, 95 of them off." in lines


def test_the_repr_a_notebook_shows_is_the_verdict_not_every_array():
    # a cell ending in gradcheck(...) showed the dataclass repr: every array in full, 75 KB for a 30 x 30 input
    x = np.random.default_rng(0).standard_normal((30, 30))
    result = gradcheck(lambda t: (t * t).sum(), x)
    assert repr(result) == str(result) and repr(result).startswith("gradcheck passed: 1 input (900 elements)")
    check = repr(result.inputs[0])
    assert check.startswith("InputCheck(index=0, shape=(30, 30), ok=True, max_abs_error=") and len(check) < 120


def test_a_bad_rng_names_gradcheck():
    # as_rng was called without the name: 'rng must be a np.random.Generator, ...' named no function
    with pytest.raises(TypeError, match=r"^gradcheck: rng must be a np.random.Generator, an int seed or None, got str"):
        gradcheck(lambda x: x * 2.0, np.ones(3), rng="seed")


def test_a_function_that_retains_or_hooks_an_intermediate_runs_in_the_central_differences_too():
    # gradcheck evaluates f inside no_grad() for its central differences, where the intermediate requires no grad:
    # retain_grad() and register_hook() there do nothing (PyTorch refuses both), so one f serves both passes
    def f(x):
        y = x * 2.0
        y.retain_grad()
        y.register_hook(lambda g: None)
        return (y * y).sum()

    assert gradcheck(f, np.array([0.5, -1.0, 2.0])).ok


def test_several_tensor_outputs_are_checked_together_as_torchs_gradcheck_does():
    W = np.random.default_rng(1).normal(size=(4, 2))
    result = gradcheck(lambda x, w: (x @ w, x.tanh().sum()), X, W)  # a matrix and a 0-d output
    assert result.ok and result.upstream.shape == (3 * 2 + 1,)
    wrong = gradcheck(lambda x, w: (w.tanh(), _apply(WrongSignExp, x)), X, W, raise_on_fail=False)
    assert not wrong.ok and wrong.where.input == 0 and wrong.inputs[1].ok  # x's exp is wrong; w's tanh is right
    assert "A sign error" in str(wrong)


def test_torchs_call_with_the_inputs_in_one_tuple_checks_each_input_as_its_own():
    x, w = Tensor(X, requires_grad=True), Tensor(np.ones((4, 2)), requires_grad=True)
    result = gradcheck(lambda a, b: a @ b, (x, w))  # torch.autograd.gradcheck(f, (x, w))
    assert [c.shape for c in result.inputs] == [(3, 4), (4, 2)]
    assert gradcheck(lambda a: a.tanh(), (x,)).inputs[0].shape == (3, 4)  # not one input of shape (1, 3, 4)
    assert [c.shape for c in gradcheck(lambda a, b: a * b, (Value(0.5), Value(2.0))).inputs] == [(), ()]


def test_torchs_one_tuple_of_numpy_arrays_is_the_inputs_too():
    # (was one input of shape (2, 3, 4), and f(a, b) Python's "missing 1 required positional argument: 'b'")
    result = gradcheck(lambda a, b: (a * b).tanh(), (X, X * 0.5))
    assert [c.shape for c in result.inputs] == [(3, 4), (3, 4)]
    assert gradcheck(lambda a: a.tanh(), (X,)).inputs[0].shape == (3, 4)
    assert gradcheck(lambda a: a * a, (0.5, 2.0)).inputs[0].shape == (2,)  # numbers in a tuple: one vector, as before


@pytest.mark.parametrize("inputs", [([Value(0.5), Value(2.0)],), (X, [Tensor(X), Tensor(X)])])
def test_a_list_of_values_or_tensors_as_one_input_says_to_pass_each_as_an_input(inputs):
    with pytest.raises(TypeError, match=r"gradcheck: input \d is a list of Values or Tensors: pass each as an input"):
        gradcheck(lambda *a: a[0], *inputs)
    with pytest.raises(TypeError, match=r"numerical_grad takes one: call it for each, numerical_grad\(lambda a"):
        numerical_grad(lambda a: a, inputs[-1])  # not numerical_grad(f, a, b), which it does not take


def test_a_wrong_gradient_small_beside_atol_passes_as_in_torch_but_the_result_says_so():
    # S = 1e-7 x^2 with the 2 forgotten: analytic 1e-7 x, numeric 2e-7 x, an error of 1e-7 within atol 1e-5, so
    # torch.autograd.gradcheck and this one pass it; the result said "passed" and nothing more
    def f(x):  # x^2 whose local derivative is x, not 2x
        return value_module._node(x.data ** 2, "square_wrong", x, x.data) * 1e-7
    result = gradcheck(f, 1.0)
    said = re.search(r"1 element passed by atol alone \(the first: input 0, analytic (\S+), numeric (\S+), 50% apart\)",
                     str(result))
    assert result.ok and said and float(said[2]) == pytest.approx(2 * float(said[1]), rel=1e-5)
    for good in (gradcheck(lambda x: x ** 2 * 1e-7, 1.0), gradcheck(lambda x: (x * x).tanh(), X)):
        assert "atol alone" not in str(good)  # a right gradient, however small, is not flagged


def test_an_empty_output_is_refused_by_both_engines_not_passed_having_checked_nothing():
    # f returning [] for Values passed ("gradcheck passed", noting "f's output is a plain number"), having checked
    # nothing; the Tensor engine already refused an empty tuple. Both were told 'f returned list; ... it must return a
    # Value (or a list of Values)', which is what it returned: an empty list is named so, and one of something else
    for f, x, says in ((lambda v: [], 1.5, "list; with Value inputs it must return a Value (or a list of Values"),
                       (lambda t: (), X, "tuple; with Tensor inputs it must return a Tensor (or a tuple of Tensors")):
        with pytest.raises(TypeError, match=re.escape(f"gradcheck: f returned an empty {says}, at least one)")):
            gradcheck(f, x)
    with pytest.raises(TypeError, match=r"^gradcheck: f returned a list holding str; with Value inputs it must return "
                                        r"a Value \(or a list of Values\)$"):
        gradcheck(lambda v: [v, "loss"], 1.5)


def test_a_bad_rng_is_refused_also_when_an_upstream_is_given():
    # rng draws only the default upstream: with upstream= given, rng="nope" or -1 was taken in silence
    for rng, error in (("nope", TypeError), (-1, ValueError)):
        with pytest.raises(error, match="gradcheck: rng"):
            gradcheck(lambda v: v * v, 1.5, upstream=2.0, rng=rng)


@pytest.mark.parametrize("kind", [Tensor, np.array])
def test_numerical_grad_of_several_outputs_takes_them_one_after_another_as_gradcheck_does(kind):
    # gradcheck checks f returning (y1, y2) as one vector of their elements; numerical_grad, given the same f and an
    # upstream of that length, failed deep in numpy: "setting an array element with a sequence ... inhomogeneous"
    u = np.array([1.0, -2.0, 0.5, 3.0])
    g = numerical_grad(lambda a: (a * 2.0, a.sum(), a[0] * a[1]), kind([0.5, -1.5]), upstream=u)
    np.testing.assert_allclose(g, 2.0 * u[:2] + u[2] + u[3] * np.array([-1.5, 0.5]), rtol=1e-8)
    assert gradcheck(lambda a: (a * 2.0, a.sum(), a[0] * a[1]), np.array([0.5, -1.5]), upstream=u).ok


@pytest.mark.parametrize("out, upstream", [(lambda a: (a * 2.0, None), np.ones(3)), (lambda a: None, None),
                                           (lambda a: [a.sum(), None], np.ones(2)), (lambda a: "1.5", None),
                                           (lambda a: (a * 2.0, "x"), np.ones(3)),
                                           (lambda a: [[a.sum(), 2.0], [3.0]], np.ones(3))])
def test_numerical_grad_refuses_an_output_that_is_not_numbers(out, upstream):
    # (a * 2, None) and None gave a gradient of nan in silence (numpy reads None as nan), "1.5" a gradient of 0, and
    # a string or a ragged list among the outputs numpy's "could not convert string to float" or "inhomogeneous"
    with pytest.raises(TypeError, match=r"^numerical_grad: f must return"):
        numerical_grad(out, np.array([0.5, -1.5]), upstream=upstream)


def test_a_list_of_integers_is_checked_as_floats_as_a_plain_integer_is():
    # gradcheck(f, [1, 2]) said "input 0 has dtype int64 ... Pass x.astype(np.float64)", which a list has not, though
    # gradcheck(f, 2) and Tensor([1, 2]) read integers as floats
    f = lambda x: (x * x).sum()  # noqa: E731
    assert gradcheck(f, [1, 2]).ok and gradcheck(f, (3,)).ok
    assert numerical_grad(f, [1, 2]).tolist() == pytest.approx([2.0, 4.0])
    with pytest.raises(TypeError, match=r"input 0 has dtype int64; gradients exist only for floating inputs"):
        gradcheck(f, np.arange(3))  # an integer array stays refused: its dtype is the caller's choice


def test_the_flat_name_gradcheck_called_checks_as_the_function_does():
    # `import tinygrad_init; tinygrad_init.gradcheck(f, x)` was "'module' object is not callable", where draw(o) and
    # tensor([1.0]) call their module's function
    import tinygrad_init
    from tinygrad_init import gradcheck

    x = Tensor(np.array([0.3, -1.2], np.float64), requires_grad=True)
    result = tinygrad_init.gradcheck(lambda t: (t * t).tanh(), x)
    assert result.ok and str(result) == str(gradcheck.gradcheck(lambda t: (t * t).tanh(), x))
    with pytest.raises(TypeError, match=r"^gradcheck: "):
        gradcheck(42, x)


def test_the_nodes_f_closes_over_keep_their_gradients_as_torchs_gradcheck_leaves_them():
    # gradcheck's own backward pass added into the .grad of every Value or Tensor that f used besides its inputs (a
    # weight f closes over): an optimizer step after the check moved it by a gradient that no loss had
    w, h = Value(2.0), Value(0.5) * 3.0
    w.grad = 0.25
    assert gradcheck(lambda x: [x * w + h.tanh(), x.exp()], 1.0).ok
    assert (w.grad, h.grad) == (0.25, 0.0)
    W, held = Tensor(np.ones((4, 2)), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    held.grad = np.array([1.0, -1.0])
    assert gradcheck(lambda x: ((x @ W).tanh() * held, x.sum()), X).ok
    assert W.grad is None and held.grad.tolist() == [1.0, -1.0]
    # also when the check's backward pass raises (a hook of the caller's), after some gradients arrived
    W.grad, V = np.full((4, 2), 7.0), Tensor(np.ones((4, 2)), requires_grad=True)
    W.register_hook(lambda g: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        gradcheck(lambda x: x @ W + (x @ V).tanh(), X)
    assert W.grad.tolist() == [[7.0, 7.0]] * 4 and V.grad is None



@pytest.mark.torch
def test_the_hooks_of_the_nodes_f_closes_over_run_in_the_check_where_torchs_do_not_as_the_gradcheck_page_says():
    from tests.conftest import require_module
    torch = require_module("torch")
    calls = []
    W = Tensor(np.ones((4, 2)), requires_grad=True)
    W.register_hook(lambda g: calls.append(1))
    assert gradcheck(lambda x: x @ W, X).ok and calls == [1] and W.grad is None  # one pass; .grad left as it was
    Wt = torch.ones(4, 2, dtype=torch.float64, requires_grad=True)
    Wt.register_hook(lambda g: calls.append(2))
    assert torch.autograd.gradcheck(lambda x: x @ Wt, torch.tensor(X, requires_grad=True)) and calls == [1]

@pytest.mark.parametrize("call, says", [
    (lambda: gradcheck(lambda a, b: a * b, (2.0, -1.0)), r"^gradcheck: f cannot be called with 1 input \(missing a "
     r"required argument: 'b'\); the tuple of 2 is one input, an array of its elements: pass them one by one, "
     r"gradcheck\(f, 2.0, -1.0\)$"),
    (lambda: gradcheck(lambda a, b: a * b, [X, X]), r"the list of 2 is one input, .*one by one, gradcheck\(f, a, b\)$"),
    (lambda: gradcheck(lambda a: a * a, 2.0, -1.0), r"^gradcheck: f cannot be called with 2 inputs \(too many "
     r"positional arguments\); gradcheck\(f, x1, x2, \.\.\.\) calls f\(x1, x2, \.\.\.\)"),
    (lambda: numerical_grad(lambda a, b: a * b, 2.0), r"^numerical_grad: f cannot be called with 1 input \(missing a "
     r"required argument: 'b'\); .*numerical_grad\(lambda a: f\(a, b\), a\)")])
def test_an_f_that_cannot_take_the_inputs_is_named_with_how_they_were_read(call, says):
    # torch's one tuple of inputs, given numbers (one vector here), failed inside the call of f with Python's
    # "<lambda>() missing 1 required positional argument: 'b'", which does not say how the tuple was read
    with pytest.raises(TypeError, match=says):
        call()
    assert gradcheck(lambda *a: a[0] * a[-1], 2.0, -1.0).ok and gradcheck(Value.tanh, 0.5).ok  # any f taking them


@pytest.mark.parametrize("f, x", [(lambda x, g=np.random.default_rng(0): nn.Linear(4, 2, rng=g, dtype=np.float64)(x),
                                   X), (lambda a, b, g=np.random.default_rng(1): a * b * g.uniform(1, 2), (0.5, -0.3))])
def test_an_f_whose_output_changes_from_call_to_call_is_named_not_taken_for_a_kink(f, x):
    # a layer made inside f (new random weights at every call) or a random draw in f failed with "f has a kink here
    # ... relu at 0, max with ties or abs at 0", sending the student to look for a kink that is not there
    result = gradcheck(f, *x if isinstance(x, tuple) else (x,), raise_on_fail=False)
    assert re.search(r"f gives two different outputs at the same point \(S = sum\(u \* f\) \S+ then \S+\): a random "
                     r"draw inside f", str(result)) and "kink" not in str(result)


def test_an_input_that_f_does_not_depend_on_is_noted_as_not_checked():
    # gradcheck(lambda x, w: x @ W, X, W), f using a W from outside in place of its argument w, passed and said
    # nothing: w's gradient, 0 by both counts, was never checked
    W = Tensor(np.ones((4, 2)), requires_grad=True)
    for result in (gradcheck(lambda x, w: x @ W, X, W), gradcheck(lambda a, b: a * 2.0, 0.5, 1.5)):
        assert result.ok and re.search(r"note: f does not depend on input 1 here \(the gradient is 0 everywhere, "
                                       r"numeric and analytic\), so it checked nothing there", str(result))
    assert "does not depend" not in str(gradcheck(lambda a, b: a * b, 0.5, 1.5)) + str(gradcheck(lambda a: 0.0, 0.5))


def test_a_fraction_is_a_number_and_an_integer_beyond_a_float_is_named_as_value_names_them():
    # gradcheck(f, Fraction(1, 3)) said "input 0 has dtype object ... Pass x.astype(np.float64)", which a Fraction has
    # not, though Value(Fraction(1, 3)) and Value(2) * Fraction(1, 3) read it as 1/3; 10**400 said the same
    from fractions import Fraction

    result = gradcheck(lambda a: a * a, Fraction(1, 3))
    assert result.ok and result.engine == "Value"
    assert result.inputs[0].analytic / result.upstream == pytest.approx(2 / 3)
    assert numerical_grad(lambda a: a * a, Fraction(1, 3)) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"^gradcheck: input 0: a number of about 10\^400 is too large for a float"):
        gradcheck(lambda a: a * a, 10 ** 400)


def test_rounding_in_the_central_differences_is_answered_with_a_larger_eps_not_a_smaller_one():
    # a right x * x + 1e10 at 0.5 fails on rounding (S is about 1e10); the hint said "try an eps of about 1e-6 x |x|",
    # 5e-7, half the step that was too small, where the rounding shrinks as 1/eps
    result = gradcheck(lambda a: a * a + 1e10, 0.5, raise_on_fail=False)
    assert not result.ok and "within what rounding alone gives" in result.hint
    assert re.search(r"take a larger eps than 1e-6: the rounding shrinks as 1/eps", result.hint)
    assert "try an eps of about" not in result.hint and gradcheck(lambda a: a * a + 1e10, 0.5, eps=0.1).ok


def test_a_numpy_array_of_values_as_one_input_says_to_pass_each_as_an_input_as_a_list_of_them_does():
    # np.array([Value(0.5), Value(-1.0)]) said "input 0 has dtype object; ... Pass x.astype(np.float64)", which reads
    # each Value's number outside the graph, where a list of the same Values is told to pass each as an input
    ws = np.array([Value(0.5), Value(-1.0)])
    with pytest.raises(TypeError, match=r"^gradcheck: input 0 is a numpy array of Values or Tensors: pass each as an "
                                        r"input of its own, gradcheck\(f, a, b\)"):
        gradcheck(lambda w: np.dot(w, w), ws)
    with pytest.raises(TypeError, match=r"^numerical_grad: input 0 is a numpy array of Values .*numerical_grad takes"):
        numerical_grad(lambda w: np.dot(w, w), ws)
    assert gradcheck(lambda *w: np.dot(w, w), *ws).ok  # as it says


def test_two_results_compare_by_their_numbers() -> None:
    # dataclasses of arrays: their generated == raised numpy's "truth value of an array ... is ambiguous"
    def check(rng: int) -> GradcheckResult:
        return gradcheck(lambda t: t.tanh(), Tensor(np.array([0.5, -1.0])), rng=rng)
    a, b, other = check(0), check(0), check(1)  # another random upstream
    assert a == b and a.inputs[0] == b.inputs[0] and not a != b and a != other and a != 1


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads: Python 3.11")
def test_numerical_grads_overloads_hint_what_it_returns_for_each_kind_of_input() -> None:
    """Hinted `np.ndarray | float` alone, `numerical_grad(np.tanh, x, upstream=u).shape` (gradcheck.md's call) was a
    type error; the first overload that takes the input names the kind of its result."""
    import typing
    from fractions import Fraction
    overloads = [typing.get_type_hints(f) for f in typing.get_overloads(numerical_grad)]
    assert len(overloads) == 3

    def hinted(x: object) -> object:
        return next(h["return"] for h in overloads if h["x"] is typing.Any
                    or isinstance(x, typing.get_args(h["x"]) or h["x"]))
    for x in (2.0, 3, Fraction(1, 2), Value(2.0), np.float64(2.0), np.ones(3), Tensor(np.ones(3)), [1.0, 2.0]):
        got = numerical_grad(lambda v: v * v if isinstance(v, (float, Value)) else (v * v).sum(), x)
        assert type(got) is hinted(x), (x, got)


def _runs_backward(retain):  # the body of a training step as f: the loss, its backward, the loss returned
    def f(a):
        y = a * a
        if isinstance(y, Value):
            y.backward()
        else:
            y.backward(np.ones(y.shape), retain_graph=retain)
        return y
    return f


@pytest.mark.parametrize("f, x", [(_runs_backward(False), 1.5), (_runs_backward(False), X), (_runs_backward(True), X)])
def test_an_f_that_runs_backward_itself_is_named_not_taken_for_a_wrong_rule(f, x):
    # a Value's gradient from f's own backward was added to the check's: "the analytic gradient is 0.12 x the numeric
    # one ... a constant factor is missing"; a Tensor's freed graph said "call the first backward with
    # retain_graph=True", and with it kept, the nudged calls (in no_grad) said "create the parameters with
    # requires_grad=True": each sent the student to a rule, or a setting, that was right
    with pytest.raises(TypeError, match=r"^gradcheck: f ran a backward pass itself \(input 0 had a gradient when f "
                                        r"returned\): f must only compute and return its output"):
        gradcheck(f, x)


@pytest.mark.parametrize("kwargs, says", [
    ({"raise_exception": False}, r"argument 'raise_exception' \(PyTorch's raise_exception= is raise_on_fail= here\); "),
    ({"fast_mode": True, "nondet_tol": 0.0}, r"arguments 'fast_mode', 'nondet_tol' \(PyTorch's fast_mode= is not "
     r"offered here, PyTorch's nondet_tol= is not offered here\); "),
    ({"atoll": 1e-3}, r"argument 'atoll'; ")])
def test_pytorchs_keywords_name_what_to_write_here(kwargs, says):
    # torch.autograd.gradcheck(f, x, raise_exception=False), copied from a PyTorch slide, met Python's bare
    # "gradcheck() got an unexpected keyword argument 'raise_exception'", which does not say that raise_on_fail is it
    with pytest.raises(TypeError, match=r"^gradcheck: unexpected keyword " + says + "it takes eps, atol, rtol, "
                                        r"upstream, rng and raise_on_fail$"):
        gradcheck(lambda a: a * a, X, **kwargs)


def test_pytorchs_inputs_keyword_is_told_that_the_inputs_go_by_position():
    # torch.autograd.gradcheck(func, inputs) names its second parameter inputs: gradcheck(f, inputs=(x,)) was told only
    # "unexpected keyword argument 'inputs'; it takes eps, atol, ...", which none of them is
    with pytest.raises(TypeError, match=r"^gradcheck: unexpected keyword argument 'inputs' \(PyTorch's inputs= is "
                                        r"given by position here, gradcheck\(f, x, w\) or gradcheck\(f, \(x, w\)\)\);"):
        gradcheck(lambda a: a * 2.0, inputs=(X,))
    assert gradcheck(lambda a: a * 2.0, (X,)).ok and gradcheck(lambda a, b: a * b, (X, X)).ok  # as it says


def test_an_output_of_no_elements_passes_as_in_torch_but_the_result_says_it_checked_nothing():
    # f slicing away every row (x[:0]) passed as "1 input (12 elements), max absolute error 0" and nothing more,
    # though S = sum(u * f) is 0 whatever the inputs, so a wrong rule passes too (PyTorch's gradcheck returns True)
    for f in (lambda a: a[:0] * 2.0, lambda a: (a[:0].exp(), a[:, :0])):
        result = gradcheck(f, X)
        assert result.ok and re.search(r"note: f's output has no elements: S = sum\(u \* f\) is 0 "
                                       r"whatever the inputs, so nothing was checked", str(result))
    assert "no elements" not in str(gradcheck(lambda a: a * 2.0, X)) + str(gradcheck(lambda a: a.sum(), X[:0]))


def test_an_input_left_without_requires_grad_as_torchs_gradcheck_skips_it_is_said_to_be_checked_here():
    # PyTorch's gradcheck(f, (x, t)) checks x alone when t does not require grad; here every input is checked, and a
    # target read through t.data failed with "was it detached (.data, ...)?", which the student did on purpose
    t = Tensor(np.ones((3, 4)))
    result = gradcheck(lambda x, t: ((x - Tensor(t.data)) ** 2).sum(), X, t, raise_on_fail=False)
    assert not result.ok and result.where.input == 1 and result.hint.startswith("No gradient reached this input")
    assert re.search(r"Every input is checked here, whatever its requires_grad \(PyTorch's gradcheck skips those "
                     r"without it\): keep what f does not differentiate inside f, gradcheck\(lambda x: f\(x, t\), x\)",
                     result.hint)
    result = gradcheck(lambda x, t: ((x - Tensor(t.data)) ** 2).sum(), X, np.ones((3, 4)), raise_on_fail=False)
    assert result.hint.startswith("No gradient reached") and "requires_grad" not in result.hint  # an array: no flag
    assert gradcheck(lambda x: ((x - Tensor(t.data)) ** 2).sum(), X).ok  # as it says


def test_the_code_given_for_an_input_without_requires_grad_keeps_the_order_of_fs_arguments():
    # with the constant first, f(t, x), the hint still said gradcheck(lambda x: f(x, t), x), which calls f with its
    # arguments swapped: followed as written, it failed again with 'No gradient reached this input'
    t, w = Tensor(np.ones((3, 4))), Tensor(np.ones(4))
    f = lambda t, x: ((x - Tensor(t.data)) ** 2).sum()  # noqa: E731
    assert gradcheck(f, t, X, raise_on_fail=False).hint.endswith("inside f, gradcheck(lambda x: f(t, x), x).")
    assert gradcheck(lambda x: f(t, x), X).ok  # as it says
    g = lambda a, t, b, w: (a * b - Tensor(t.data) * Tensor(w.data)).sum()  # noqa: E731
    assert gradcheck(g, X, t, X, w, raise_on_fail=False).hint.endswith(
        "gradcheck(lambda x0, x2: f(x0, t1, x2, t3), x0, x2).")


def _matmul(rule_w):  # x @ W with the backward rule of W given: x.T @ g is right
    op = ops.Op("matmul_rule", lambda a, b: (a @ b, (a, b)), lambda s, g, needs: (g @ s[1].T, rule_w(s[0], g)),
                ("dx = g @ W.T", "dW = ?"))
    return lambda x, w: tensor_module._result(x.data @ w.data, op, (x.data, w.data), x, w)


def test_a_transposed_gradient_of_a_square_weight_is_named_as_a_transpose():
    # dW = g.T @ x for x.T @ g has W's shape when W is square, and its diagonal is right: the hint was "Only some
    # elements are wrong: check how the backward rule handles axes, indices or broadcasting"
    x, w = np.random.default_rng(2).normal(size=(2, 3, 3))
    result = gradcheck(_matmul(lambda x, g: g.T @ x), x, w, raise_on_fail=False)
    assert not result.ok and result.where.input == 1
    assert result.hint.startswith("The analytic gradient is the numeric one transposed: a backward rule transposes "
                                  "what it should not, or leaves untransposed what it should (x.T @ g, not g.T @ x?)")
    assert gradcheck(_matmul(lambda x, g: x.T @ g), x, w).ok
    # a gradient off elsewhere, or one equal to its own transpose, is not called transposed
    for rule in (lambda x, g: x.T @ g * np.array([[1.0, 1, 1], [1, 1, 1], [1, 1, 2]]), lambda x, g: -(x.T @ g)):
        assert "transposed" not in gradcheck(_matmul(rule), x, w, raise_on_fail=False).hint


@pytest.mark.parametrize("seed", range(6))
def test_rounding_inside_f_is_named_as_rounding_not_as_a_kink_or_a_factor(seed):
    # (x + 1e8) - 1e8 is x to 8 digits: S moves by whole units of the last place of 1e8 (1.5e-8), which a step of
    # 2e-6 meets 134 or 135 times; the hint read f's output only (of size 1) and said "f has a kink here ... relu at
    # 0" or "the analytic gradient is 1.00162 x the numeric one ... a constant factor", for a right rule
    x = np.random.default_rng(seed).normal(size=3)
    result = gradcheck(lambda a: (a + 1e8) - 1e8, x, raise_on_fail=False)
    assert not result.ok and result.hint.startswith("The numeric gradient moves with the step")
    assert re.search(r"at eps=1e-6 and \S+ at eps/10, by more than its distance to the analytic one: rounding inside "
                     r"f, not a backward rule", result.hint)
    assert gradcheck(lambda a: (a + 1e8) - 1e8, x, eps=1e-2).ok  # as it says: a larger eps


@pytest.mark.parametrize("x", [7e-8, -7e-8, 9e-8, -9e-8, np.array([9e-8, 0.5])])
def test_a_kink_within_a_tenth_of_eps_is_named_as_a_step_too_large_not_as_rounding(x):
    # relu's kink 7e-8 from the point lies within eps/10 too: the central difference moves toward the analytic gradient
    # as the step shrinks (0.535 at eps, 0.85 at eps/10, for 1), which was named 'rounding inside f, not a backward
    # rule' with a larger eps to try, or for a Value left of it 'No gradient reached this input: was it detached?'
    result = gradcheck(lambda a: a.relu(), x, raise_on_fail=False)
    assert not result.ok and result.hint.startswith("eps=1e-6 is too large for f at this point: f's slope changes ")
    assert gradcheck(lambda a: a.relu(), x, eps=1e-9).ok  # as it says: a smaller eps


@pytest.mark.parametrize("x", [1e12, np.array(1e12)])
def test_an_eps_below_the_resolution_of_a_number_names_no_empty_index(x):
    # a number, or a 0-d array, was "the element 1e+12 at []": an index that is none
    for call in (lambda: gradcheck(lambda a: a * a, x), lambda: numerical_grad(lambda a: a * a, x)):
        with pytest.raises(ValueError, match=r": input 0: eps=1e-06 is too small for the element 1e\+12: x \+ eps == x "
                                             r"in float64, so no step is taken"):
            call()


def test_an_integer_tensor_input_is_told_how_a_tensor_is_made_floating():
    # "Pass x.astype(np.float64)", said of a Tensor of int64 (labels), sent the student to an AttributeError: a
    # Tensor has no astype
    labels = Tensor(np.array([0, 2, 1]), dtype=np.int64)
    with pytest.raises(TypeError, match=r"^gradcheck: input 1 has dtype int64; gradients exist only for floating "
                                        r"inputs\. Pass Tensor\(x\.data, dtype=np\.float64\), or keep integer data "):
        gradcheck(lambda a, y: a * 2.0, X, labels)
    with pytest.raises(TypeError, match=r"Pass x\.astype\(np\.float64\), or keep"):  # an array: its own astype
        gradcheck(lambda a, y: a * 2.0, X, np.array([0, 2, 1]))


SumWithMeanG = _op("sum_mean_g", lambda x: (x.sum(axis=1), x.shape),
                   lambda shape, g, needs: (np.broadcast_to(g.mean(), shape),))


@pytest.mark.parametrize("op", [IgnoresUpstream, SumWithMeanG])
def test_a_rule_that_misuses_its_upstream_gradient_is_named_by_the_check_with_ones_it_passes(op):
    # a rule ignoring g (the local derivative alone) or averaging it (g.mean()) over a many-element output failed with
    # no hint at all, though it is the mistake the random upstream is there to catch: with u = 1 the check passes
    result = gradcheck(lambda t: _apply(op, t), X, raise_on_fail=False)
    assert not result.ok and result.hint.startswith(
        "With an upstream gradient of ones the check passes: a backward rule uses its upstream gradient g wrongly")
    assert gradcheck(lambda t: _apply(op, t), X, upstream=np.ones(_apply(op, Tensor(X)).shape)).ok  # as it says
    wrong = gradcheck(lambda t: _apply(FirstElementWrong, t), X, raise_on_fail=False)  # wrong with ones too
    assert wrong.hint.startswith("Only some elements are wrong") and "upstream gradient of ones" not in wrong.hint


@pytest.mark.parametrize("after", [lambda h: h.softmax(-1), lambda h: h - h.mean(axis=-1, keepdims=True)])
def test_an_output_that_sums_to_a_constant_does_not_blame_the_upstream_gradient(after):
    # softmax's rows sum to 1 and centred rows to 0: with u = 1, S = sum(f) is the same at every point, so the check
    # with ones passes having checked nothing, and a rule wrong at one element under them was said to ignore or average
    # its upstream gradient
    result = gradcheck(lambda t: after(_apply(FirstElementWrong, t)), X, raise_on_fail=False)
    assert not result.ok and "upstream gradient of ones" not in result.hint
    assert result.hint.startswith("Only some elements are wrong")
