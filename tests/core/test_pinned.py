"""Behaviours of the core engines that no other test pinned, each checked against a hand computation or numpy."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, no_grad
from tinygrad_init.gradcheck import gradcheck


def test_a_vector_times_a_constant_matrix_and_a_constant_vector_times_a_matrix():
    rng = np.random.default_rng(0)
    v, w, g = rng.standard_normal(3), rng.standard_normal((3, 4)), rng.standard_normal(4)
    x = Tensor(v, requires_grad=True)
    (x @ Tensor(w)).backward(g)  # only the vector needs a gradient: dv = W g
    np.testing.assert_allclose(x.grad, w @ g, rtol=1e-12)
    m = Tensor(w, requires_grad=True)
    (Tensor(v) @ m).backward(g)  # only the matrix needs one: dW = outer(v, g)
    np.testing.assert_allclose(m.grad, np.outer(v, g), rtol=1e-12)
    m2 = Tensor(w.T, requires_grad=True)
    (m2 @ Tensor(v)).backward(g)  # matrix @ constant vector: dW = outer(g, v)
    np.testing.assert_allclose(m2.grad, np.outer(g, v), rtol=1e-12)


def test_an_in_place_change_of_a_divisor_is_caught_by_the_division():
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([4.0, 5.0], requires_grad=True)
    y = (a / b).sum()
    with no_grad():
        b.add_(1.0)
    with pytest.raises(RuntimeError, match="div saved"):
        y.backward()


def test_repr_shows_four_decimals_and_abbreviates_long_tensors():
    assert repr(Tensor([1.23456, -2.0])) == "Tensor([ 1.2346, -2.    ])"
    assert repr(Tensor(np.arange(30.0), dtype=np.float32)) == "Tensor([ 0.,  1., ..., 28., 29.])"


def test_len_of_a_0d_tensor_names_the_0d_tensor():
    with pytest.raises(TypeError, match="0-d tensor"):
        len(Tensor(1.0))


def test_a_hook_may_return_a_tensor_which_replaces_the_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    y.register_hook(lambda g: Tensor(g * np.array([10.0, -1.0])))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [30.0, -3.0])  # (1 * [10, -1]) * 3


def test_a_tensor_that_needs_no_grad_keeps_a_gradient_set_by_hand_through_backward():
    x, c = Tensor([1.0, 2.0], requires_grad=True), Tensor([4.0, 5.0])
    c.grad = np.array([7.0, 8.0])
    (x * c).sum().backward()
    np.testing.assert_array_equal(x.grad, [4.0, 5.0])
    np.testing.assert_array_equal(c.grad, [7.0, 8.0])


def test_an_in_place_change_of_the_input_of_max_is_caught():
    x = Tensor([1.0, 3.0, 2.0], requires_grad=True)
    y = x.max()
    with no_grad():
        x.mul_(2.0)
    with pytest.raises(RuntimeError, match="max saved"):
        y.backward()


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/="])
def test_augmented_assignment_on_a_tensor_that_needs_no_grad_makes_a_new_tensor(op):
    alias = Tensor([2.0, 4.0])
    scope = {"t": alias}
    exec(f"t {op} 2.0", scope)
    t = scope["t"]
    assert t is not alias
    np.testing.assert_array_equal(alias.data, [2.0, 4.0])
    np.testing.assert_array_equal(t.data, {"+=": [4.0, 6.0], "-=": [0.0, 2.0], "*=": [4.0, 8.0], "/=": [1.0, 2.0]}[op])


def test_a_vector_times_a_batch_of_matrices_and_a_batch_times_a_vector():
    rng = np.random.default_rng(1)
    v, w, g = rng.standard_normal(3), rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4))
    x, m = Tensor(v, requires_grad=True), Tensor(w, requires_grad=True)
    (x @ m).backward(g)  # y[b] = v @ W[b]: dv = sum_b W[b] g[b], dW[b] = outer(v, g[b])
    np.testing.assert_allclose(x.grad, np.einsum("bij,bj->i", w, g), rtol=1e-12)
    np.testing.assert_allclose(m.grad, np.einsum("i,bj->bij", v, g), rtol=1e-12)
    u, h = rng.standard_normal(4), rng.standard_normal((2, 3))
    m.grad, y = None, Tensor(u, requires_grad=True)
    (m @ y).backward(h)  # z[b] = W[b] @ u: du = sum_b W[b].T h[b], dW[b] = outer(h[b], u)
    np.testing.assert_allclose(y.grad, np.einsum("bij,bi->j", w, h), rtol=1e-12)
    np.testing.assert_allclose(m.grad, np.einsum("bi,j->bij", h, u), rtol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("shapes", [((3,), (2, 3, 4)), ((2, 3, 4), (4,))])
def test_a_vector_and_a_batch_of_matrices_match_pytorch_and_central_differences(shapes):
    from tests.core.test_torch_parity import compare, rand

    a, b = (rand(s, seed=k) for k, s in enumerate(shapes))
    compare(lambda F, x, y: x @ y, a, b)  # both need a gradient; a non-uniform upstream gradient
    assert gradcheck(lambda x, y: x @ y, a, b).ok


@pytest.mark.parametrize("shape", [(2, 3), (4,), (1, 3), (3, 1)])
def test_an_in_place_operand_that_does_not_broadcast_to_the_tensor_is_refused(shape):
    t = Tensor([1.0, 2.0, 3.0])
    for change in (lambda: t.add_(np.ones(shape)), lambda: t.mul_(Tensor(np.ones(shape)))):
        with pytest.raises(ValueError, match=re.escape(f"an operand of shape {shape} does not fit")):
            change()
        np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])


def test_a_dtype_that_holds_no_real_numbers_is_refused_naming_the_dtypes_a_tensor_holds():
    for dtype in (np.complex64, str, "not a dtype"):
        with pytest.raises(TypeError, match="Tensor: dtype must be a numpy bool, integer or floating dtype"):
            Tensor([1.0], dtype=dtype)


def test_a_sum_of_numbers_alone_is_a_leaf_value():
    s = Value.sum([1.0, 2.5], start=0.5)
    assert (s.data, s.op, s.parents, s.constant) == (4.0, "", (), None)


def test_gradcheck_draws_the_upstream_gradient_in_the_output_shape_for_both_engines():
    one, two = gradcheck(lambda a: a * a, 2.0), gradcheck(lambda a: [a * a, a.exp()], 2.0)
    assert one.upstream.shape == () and two.upstream.shape == (2,)
    assert one.inputs[0].analytic == pytest.approx(4.0 * float(one.upstream), rel=1e-12)  # d(a^2)/da = 2a = 4
    u = two.upstream
    assert two.inputs[0].analytic == pytest.approx(4.0 * u[0] + np.exp(2.0) * u[1], rel=1e-12)


def _flipped(g: np.ndarray, at: int) -> np.ndarray:
    out = g.copy()
    out[at] = -out[at]
    return out


def test_gradcheck_calls_one_flipped_element_a_sign_error():
    def f(x):  # the gradient of element 2 alone comes back negated
        y = x * 1.0
        y.register_hook(lambda g: _flipped(g, 2))
        return y * y
    r = gradcheck(f, np.array([1.0, 2.0, 3.0, 4.0]), raise_on_fail=False)
    assert r.where.index == (2,) and r.hint == "A sign error in a backward rule?"


def test_gradcheck_names_inputs_by_english_ordinals():
    def f(*xs):  # input 11 (the 12th) gets its gradient negated
        y = xs[11] * 1.0
        y.register_hook(lambda g: -g)
        return sum((x * float(k + 1) for k, x in enumerate(xs[:11])), y * y)
    msg = str(gradcheck(f, *[np.array([0.5 + k]) for k in range(12)], raise_on_fail=False))
    assert "gradcheck failed for input 11 (the 12th input, shape (1,))" in msg
    for k, nth in [(0, "1st"), (1, "2nd"), (2, "3rd"), (3, "4th"), (9, "10th")]:
        assert f"  input {k} (the {nth} input, shape (1,)): ok" in msg


@pytest.mark.parametrize("k, nth", [(10, "11th"), (12, "13th"), (20, "21st"), (21, "22nd"), (22, "23rd"),
                                    (110, "111th"), (111, "112th"), (120, "121st")])
def test_gradcheck_ordinals_past_twenty(k, nth):
    def f(*vs):  # input k is cut off the graph: no gradient reaches it
        return Value.sum(v for i, v in enumerate(vs) if i != k) + vs[k].data * Value(2.0)
    msg = str(gradcheck(f, *[0.5] * (k + 1), raise_on_fail=False))
    assert msg.startswith(f"gradcheck failed for input {k} (the {nth} input, a Value): ")


def test_gradcheck_gives_no_hint_when_it_passes():
    r = gradcheck(lambda x: (x * x).tanh(), np.array([[0.3, -1.2], [0.7, 2.0]]))
    assert r.ok and r.hint == ""


def test_gradcheck_finds_a_constant_factor_also_where_some_gradients_are_zero():
    def f(x):  # every gradient doubled; at x = 0 both gradients are 0, which must not hide the factor
        y = x * 1.0
        y.register_hook(lambda g: 2.0 * g)
        return y * y
    r = gradcheck(f, np.array([0.0, 1.0, -2.0, 0.5]), raise_on_fail=False)
    assert r.hint.startswith("The analytic gradient is twice the numeric one at every element")


def test_a_graph_node_shows_its_op_shape_and_dtype():
    y = Tensor(np.ones((2, 3)), requires_grad=True) * 2.0
    assert repr(y.grad_fn) == "Node(mul, (2, 3) float64)"


def test_gradcheck_refuses_a_ragged_list_as_a_type_error_naming_the_input():
    with pytest.raises(TypeError, match=r"^gradcheck: input 0: cannot read list as an array of numbers"):
        gradcheck(lambda x: x.sum(), [[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("x", [3, np.int64(3)])
def test_gradcheck_takes_an_integer_number_as_a_float_point(x):
    r = gradcheck(lambda v: v * v, x, upstream=1.0)  # d(v^2)/dv = 2v = 6 at v = 3
    assert r.ok and r.inputs[0].numeric.dtype == np.float64 and np.isclose(float(r.inputs[0].numeric), 6.0)


def test_gradcheck_notes_an_output_in_lower_precision_than_its_float64_inputs():
    r = gradcheck(lambda x: Tensor(x.data.astype(np.float32), requires_grad=True).sum(), np.ones(3),
                  raise_on_fail=False)
    assert "f's output is float32 although its inputs were float64" in " ".join(r.notes)


def test_gradcheck_names_an_output_whose_shape_changes_at_a_nudged_point():
    # x[x > 0.5] keeps 1.0 only at the start, but also 0.5 + eps once 0.5 is nudged up
    with pytest.raises(ValueError, match=r"^gradcheck: f returned shape \(2,\) at a nudged point but \(1,\) at the st"):
        gradcheck(lambda x: x[x.data > 0.5] * 1.0, np.array([0.5, 1.0, 0.0]))


def test_gradcheck_of_an_empty_input_passes_with_no_worst_element():
    r = gradcheck(lambda x: x.sum(), np.zeros((0, 3)))
    assert r.ok and r.where is None and r.inputs[0].numeric.shape == (0, 3)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sigmoid_and_softplus_give_the_select_formulas_numbers_bit_for_bit(dtype):
    # sigmoid computes r max(e, x >= 0), e = e^-|x|, r = 1 / (1 + e), and softplus its slope with the same e: the
    # numbers of np.where(x >= 0, r, e r), every float16 and signed zeros, infinities and nan among them
    x = np.arange(2**16, dtype=np.uint16).view(np.float16).astype(dtype)
    x = np.concatenate([x, np.random.default_rng(0).standard_normal(5000).astype(dtype) * 40])
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(x.astype(np.float32 if dtype == np.float16 else dtype)))
        r = 1 / (1 + e)
        want = np.where(x >= 0, r, e * r)
        soft = Tensor(x).softplus().data, np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
        got = Tensor(x).sigmoid().data  # (quiet: float16's bit patterns include signalling nans)
    assert got.dtype == dtype and got.tobytes() == want.astype(dtype).tobytes()
    if dtype != np.float16:  # (float16: computed in float32 and rounded once)
        assert soft[0].tobytes() == soft[1].tobytes()


def test_cross_entropy_over_many_classes_holds_three_arrays_of_the_logits_size_at_most():
    # log_softmax made two temporaries of the logits' size in its forward and one in its backward: four such arrays at
    # once in a step of cross_entropy, where numpy by hand holds three; with 1,000 classes glibc gave the fourth back
    # to the system after each step and mapped it afresh (a step took 5x numpy's time, now 1.2x)
    import tracemalloc

    from tinygrad_init import nn

    rng = np.random.default_rng(0)
    logits = Tensor(rng.standard_normal((64, 500)).astype(np.float32), requires_grad=True)
    y = rng.integers(0, 500, 64)
    nn.cross_entropy(logits, y).backward()
    want = logits.grad
    logits.grad = None
    tracemalloc.start()
    try:
        nn.cross_entropy(logits, y).backward()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3.5 * logits.data.nbytes and logits.grad.tobytes() == want.tobytes()
