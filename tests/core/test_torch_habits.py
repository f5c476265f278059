"""PyTorch habits on the tensor engine: a call spelled as in PyTorch gives PyTorch's result or a message saying
what to write here, never a different number or shape.

Skipped when torch is not installed -- except under CI=true, where torch must be present
and a missing torch fails this file.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import torch_module

torch = torch_module()  # fails under CI=true where torch is missing, skips elsewhere

from tinygrad_init import Tensor, no_grad  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4)])
def test_transpose_of_two_axes_is_pytorchs_swap_or_refused(shape):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    n, done = len(shape), 0
    for i, j in itertools.product(range(-n, n), repeat=2):
        try:
            ours = Tensor(x).transpose(i, j)
        except ValueError as e:
            assert "transpose" in str(e) and ("t.T" in str(e) or "list all" in str(e) or "twice" in str(e)), str(e)
            continue
        np.testing.assert_array_equal(ours.data, torch.from_numpy(x).transpose(i, j).numpy())
        done += 1
    assert done == (4 if n == 2 else 0)  # a matrix's (1, 0), (-1, 0), (1, -2), (-1, -2); no 3-d pair is a permutation


def test_transpose_0_1_of_a_matrix_is_refused_not_left_as_it_is():
    m = Tensor(np.ones((2, 3)))
    for axes in [(0, 1), (-2, -1), (0, -1)]:
        with pytest.raises(ValueError, match=r"transpose: axes .* PyTorch's swap; write t\.T or t\.transpose\(1, 0\)"):
            m.transpose(*axes)
    assert m.transpose((0, 1)).shape == (2, 3)  # a permutation as one tuple is numpy's, never PyTorch's spelling


def test_max_over_an_axis_is_pytorchs_amax_and_its_max_dim_spelling_is_refused():
    x = np.random.default_rng(0).normal(size=(4, 3))
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    np.testing.assert_array_equal(ours.max(axis=1).data, theirs.amax(dim=1).detach().numpy())
    np.testing.assert_array_equal(ours.max().data, theirs.max().detach().numpy())  # no axis: one number in both
    # PyTorch's x.max(1) is (values, indices): x.max(1)[0] is the values, `_, pred = x.max(1)` the indices
    for call in (lambda t: t.max(1), lambda t: t.max(1, True), lambda t: t.max(dim=1), lambda t: t.max(-1)):
        with pytest.raises(TypeError, match=r"max: PyTorch's x.max\(dim\) returns \(values, indices\); here "
                                            r"x.max\(axis=1\) gives the values .* x.data.argmax\(axis=1\) the indices"):
            call(ours)
        assert isinstance(call(theirs), tuple)


@pytest.mark.parametrize("op, torch_kw, numpy_kw", [
    ("sum", {"dim": 1, "keepdim": True}, {"axis": 1, "keepdims": True}),
    ("mean", {"dim": 0}, {"axis": 0}),
    ("max", {"keepdim": True}, {"keepdims": True}),  # max(dim=...) has its own message, above
    ("softmax", {"dim": 0}, {"axis": 0}),
    ("log_softmax", {"dim": 1}, {"axis": 1}),
])
def test_pytorchs_dim_and_keepdim_keywords_are_named_with_numpys(op, torch_kw, numpy_kw):
    x = np.random.default_rng(1).normal(size=(2, 3))
    with pytest.raises(TypeError, match=rf"^{op}: unexpected keyword argument .*PyTorch's (dim= is axis=|keepdim= is "
                                        r"keepdims=) here"):
        getattr(Tensor(x), op)(**torch_kw)
    # what the message says to write gives PyTorch's numbers
    t = torch.from_numpy(x)
    theirs = t.amax(dim=(0, 1), **torch_kw) if op == "max" else getattr(t, op)(**torch_kw)
    np.testing.assert_allclose(getattr(Tensor(x), op)(**numpy_kw).data, theirs.numpy(), rtol=1e-12)
    with pytest.raises(TypeError, match=rf"^{op}: unexpected keyword argument 'colour'$"):
        getattr(Tensor(x), op)(colour=1)


def test_equality_with_a_number_an_array_or_another_tensor_is_refused_not_false():
    x = np.array([0.0, 1.0, 0.0])
    t, u = Tensor(x), Tensor(x.copy())
    # PyTorch's (h == 0).float().mean() is the fraction of zeros; `np.mean(t == 0)` here gave 0.0 (t == 0 was False)
    assert torch.from_numpy(x).eq(0).double().mean().item() == pytest.approx(2 / 3)
    for compare in (lambda: t == 0, lambda: 0 == t, lambda: t == u, lambda: t != u, lambda: t == x, lambda: x == t,
                    lambda: t != 1.0, lambda: t == [0.0, 1.0, 0.0], lambda: t == np.bool_(False),
                    lambda: t != np.bool_(False), lambda: t == torch.from_numpy(x)):  # (were False, True, False)
        with pytest.raises(TypeError, match=r"== and != of a Tensor ask whether two tensors are one and the same .*"
                                            r"compare the arrays, t.data == other"):
            compare()
    assert t == t and not t != t and t != None and not t == "t"  # noqa: E711  identity: graph nodes in sets and dicts
    assert {t: 1, u: 2}[u] == 2 and t in {t} and u not in {t}
    assert np.mean(t.data == 0) == pytest.approx(2 / 3)  # what the message says to write


def test_pytorchs_size_call_is_named_with_shape():
    x = np.zeros((4, 3))
    t, theirs = Tensor(x), torch.from_numpy(x)
    assert theirs.size(0) == 4 and tuple(theirs.size()) == (4, 3)
    for call in (lambda: t.size(0), lambda: t.size()):
        with pytest.raises(TypeError, match=r"size: t.size is the number of elements here \(12\), numpy's size; "
                                            r"PyTorch's t.size\(\) is t.shape and t.size\(0\) is t.shape\[0\]"):
            call()
    assert t.size == 12 == x.size and isinstance(t.size, int) and t.shape[0] == theirs.size(0)  # numpy's size stays


def test_no_grad_and_enable_grad_decorate_without_parentheses_as_in_pytorch():
    from tinygrad_init import enable_grad

    @torch.no_grad
    def theirs(x):
        return x * 2

    @no_grad
    def ours(x):
        return x * 2

    @no_grad
    def nested(x):
        return enable_grad(lambda: x * 2)()

    assert theirs(torch.ones(2, requires_grad=True)).requires_grad is False
    w = Tensor([1.0, 2.0], requires_grad=True)
    assert ours(w).requires_grad is False and ours.__name__ == "ours" and (w * 2).requires_grad
    assert nested(w).requires_grad is True
    with pytest.raises(TypeError, match="no_grad: expected a function to decorate, got int 3"):
        no_grad(3)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.float32])
def test_a_floating_pytorch_tensor_keeps_its_dtype_as_a_numpy_array_does(dtype):
    theirs = torch.tensor([0.1, 1 / 3], dtype=dtype)
    ours = Tensor(theirs)  # was float32 whatever the dtype: 1/3 in float64 came back to 1e-8
    assert ours.dtype == theirs.numpy().dtype == Tensor(theirs.numpy()).dtype
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert Tensor(torch.arange(3)).dtype == np.float32 == Tensor(np.arange(3)).dtype  # integers: as numpy's, float32


@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, False), (0, True)])
def test_an_in_place_change_of_the_maximum_itself_is_caught_as_in_pytorch(axis, keepdims):
    x, theirs = Tensor([1.0, 3.0, 2.0], requires_grad=True), torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
    m = x.max(axis=axis, keepdims=keepdims)
    m_theirs = theirs.amax() if axis is None else theirs.amax(axis, keepdim=keepdims)
    with no_grad(), torch.no_grad():
        m.add_(1.0)  # max's backward compares x with the maximum it saved, the memory of m
        m_theirs.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        m_theirs.sum().backward()
    with pytest.raises(RuntimeError, match="backward: max saved its own result"):
        m.sum().backward()  # was silent: no element equalled the changed maximum, and x.grad was [nan, nan, nan]


@pytest.mark.parametrize("kind", ["tensor", "array", "mask"])
def test_a_later_change_of_the_index_does_not_move_the_gradient(kind):
    rows = [0, 1] if kind != "mask" else [True, True, False]
    theirs = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    theirs[torch.tensor(rows)].backward(torch.tensor([1.0, 10.0]))  # the gradient of the forward that ran
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = Tensor(np.array(rows), dtype=np.array(rows).dtype) if kind == "tensor" else np.array(rows)
    y = x[index]
    if kind == "tensor":
        index.add_(1)  # PyTorch: a version-counter error in backward
    else:
        index[:] = np.array(rows)[::-1]  # PyTorch reads the changed array: as wrong as we were
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad, theirs.grad.numpy())  # was [0, 1, 10] (the positions after the change)


def test_an_int_and_an_index_array_apart_which_numpy_and_pytorch_order_differently_are_refused():
    x = np.arange(24.0).reshape(2, 3, 4)
    t, theirs = Tensor(x), torch.from_numpy(x)
    assert x[1, :, [0, 2]].shape == (2, 3) and theirs[1, :, [0, 2]].shape == (3, 2)  # numpy: the indexed axis first
    for index in [(1, slice(None), [0, 2]), (slice(None), 0, slice(None), [1, 1])[1:], (0, slice(None), [[1], [2]]),
                  (1, None, slice(None), np.array([0, 2])), (Tensor(np.array(1), dtype=np.int64), slice(None), [0, 1]),
                  (1, slice(None), range(2))]:  # a range as a list (it slipped through, to numpy's order)
        with pytest.raises(IndexError, match=r"getitem: .*an int .*PyTorch.* in two steps, the ints first"):
            t[index]  # was numpy's order: PyTorch's result transposed, silently
    two_steps = t[1][:, [0, 2]]
    np.testing.assert_array_equal(two_steps.data, theirs[1, :, [0, 2]].numpy())
    for index in [(1, [0, 2]), (slice(None), 1, [0, 2]), ([0, 1], Ellipsis, 1), ([0, 1], slice(None), [0, 2]),
                  (np.array([True, False]), slice(None), 1), (1, slice(None), 2), (Ellipsis, [0, 0], 1),
                  (range(2), [2, 2], 1), (range(0),)]:
        np.testing.assert_array_equal(t[index].data, theirs[index].numpy())  # the same order in both: allowed


def test_an_integer_tensor_adds_in_place_with_an_int_alpha_as_in_pytorch():
    # the int alpha became a float, so an integer tensor refused x.add_(u, alpha=-1) (what t.sub_ says to write) with
    # "cannot combine float64 values"; PyTorch keeps an int alpha an int (an unsigned tensor's -1 too)
    for dtype, other, alpha, want in [(np.int64, np.array([1, 1]), -1, [0, 1]), (np.int64, 3, 2, [7, 8]),
                                      (np.int32, np.int64(1), np.int64(-3), [-2, -1]), (np.uint8, 1, -1, [0, 1]),
                                      (np.int8, 1, 127, [-128, -127]), (np.uint8, 2, -255, [3, 4])]:
        t = Tensor(np.array([1, 2]), dtype=dtype).add_(other, alpha=alpha)
        theirs = torch.tensor([1, 2], dtype=getattr(torch, np.dtype(dtype).name))
        theirs.add_(torch.as_tensor(other), alpha=int(alpha))
        assert t.dtype == dtype and t.data.tolist() == theirs.tolist() == want
    with pytest.raises(TypeError, match=r"^add_: alpha must be an int for a tensor of dtype int64, as in PyTorch, got "
                                        r"2\.0; make the tensor floating first"):  # a float alpha, named (was numpy's
        Tensor(np.array([1, 2]), dtype=np.int64).add_(1, alpha=2.0)  # "cannot combine float64 values in place")
    with pytest.raises(ValueError, match=r"add_: alpha -129 does not fit the tensor's dtype int8 \(-128 to 127\)"):
        Tensor(np.array([1, 2]), dtype=np.int8).add_(1, alpha=-129)  # as PyTorch's "cannot be converted"


SPELLED = ["view", "flatten", "squeeze", "dim", "unsqueeze", "tolist", "numel", "permute", "amax", "min", "amin",
           "argmax", "argmin", "requires_grad_", "clone", "sqrt", "abs", "mm", "matmul", "float", "add", "sub", "mul",
           "div", "double", "half", "long", "to", "cpu", "cuda", "zero_", "fill_", "copy_", "sub_", "div_", "pow",
           "square", "t", "clamp", "clip", "var", "std", "norm"]


@pytest.mark.parametrize("name", SPELLED)
def test_a_pytorch_method_spelled_otherwise_here_says_what_to_write(name):
    assert callable(getattr(torch.ones(2), name))
    t = Tensor([1.0, -2.0], requires_grad=True)
    with pytest.raises(AttributeError, match=rf"^'Tensor' object has no attribute '{name}'; for PyTorch's "
                                             rf"t\.{name}\(\.\.\.\) write \S") as caught:
        getattr(t, name)  # was the bare "'Tensor' object has no attribute ..."
    assert caught.value.name == name and not hasattr(t, name)
    with pytest.raises(AttributeError, match=r"^'Tensor' object has no attribute 'gard'$"):
        t.gard  # other names: Python's own message


def test_the_written_spellings_give_pytorchs_numbers():
    x = np.array([[-2.0, 0.0, 3.0], [1.0, -1.0, 0.5]])
    for ours, theirs in [(lambda t: t.relu() + (-t).relu(), lambda t: t.abs()), (lambda t: t * 1, lambda t: t.clone()),
                         (lambda t: -(-t).max(axis=1), lambda t: t.amin(1)), (lambda t: t ** 0.5, lambda t: t.sqrt()),
                         (lambda t: t.reshape(-1), lambda t: t.flatten()), (lambda t: t.T, lambda t: t.permute(1, 0)),
                         (lambda t: t[:, None], lambda t: t.unsqueeze(1)), (lambda t: t ** 3, lambda t: t.pow(3)),
                         (lambda t: t.T, lambda t: t.t()), (lambda t: (t * t).sum() ** 0.5, lambda t: t.norm()),
                         (lambda t: t - (t - 1.5).relu() + (-0.5 - t).relu(), lambda t: t.clamp(-0.5, 1.5)),
                         (lambda t: ((t - t.mean(axis=1, keepdims=True)) ** 2).sum(axis=1) / 2, lambda t: t.var(1)),
                         (lambda t: (((t - t.mean(axis=0, keepdims=True)) ** 2).sum(axis=0) / (2 - 1)) ** 0.5,
                          lambda t: t.std(0))]:
        t, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, expected = ours(t), theirs(tt)
        g = np.arange(1.0, 1.0 + out.size).reshape(out.shape)
        out.backward(g)
        expected.backward(torch.tensor(g))
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-15)
        np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-15)  # sqrt: nan at -2, inf at 0 in both
    assert Tensor(x).data.tolist() == torch.tensor(x).tolist()


def test_the_written_spellings_say_where_their_gradient_at_a_kink_is_not_pytorchs():
    # clamp(min=0) written t.relu() passes 0 at t = 0, PyTorch's clamp all of g (its bounds are inside); the norm
    # written (t * t).sum() ** 0.5 has gradient nan at t = 0 (inf * 0), PyTorch's norm 0: the messages said neither
    x, g = np.array([-1.0, 0.0, 2.0]), np.array([0.5, -1.5, 2.5])
    t, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    t.relu().backward(g)
    tt.clamp(min=0).backward(torch.tensor(g))
    assert t.grad[1] == 0 and tt.grad[1] == g[1]
    z, tz = Tensor(np.zeros(3), requires_grad=True), torch.zeros(3, dtype=torch.float64, requires_grad=True)
    ((z * z).sum() ** 0.5).backward()
    tz.norm().backward()
    assert np.isnan(z.grad).all() and tz.grad.tolist() == [0.0] * 3
    for name, said in [("clamp", "clamp(min=0): t.relu(), whose gradient at 0 is relu'(0) = 0, clamp's g"),
                       ("norm", "(t * t).sum() ** 0.5, whose gradient at t = 0 is nan, PyTorch's norm's 0")]:
        with pytest.raises(AttributeError) as caught:
            getattr(t, name)
        assert said in str(caught.value), str(caught.value)
    m, tm = Tensor([[1.0, 1.0, 2.0]], requires_grad=True), torch.tensor([[1.0, 1.0, 2.0]], requires_grad=True)
    (-(-m).max(axis=1)).backward(np.ones(1, np.float32))  # min at a tie: shared, as amin; min(dim) gives it to one
    tm.min(1).values.backward(torch.ones(1))
    assert m.grad.tolist() == [[0.5, 0.5, 0.0]] != tm.grad.tolist()
    with pytest.raises(AttributeError, match=r"-\(-t\)\.max\(axis=\.\.\.\) \(PyTorch's amin: tied minima share the "
                                             r"gradient, where its min\(dim\) gives it to one of them\)$"):
        m.min
    t, tt = Tensor([-0.5, 1.5, 0.0], dtype=np.float64, requires_grad=True), torch.tensor([-0.5, 1.5, 0.0],
                                                                                        requires_grad=True)
    (t - (t - 1.5).relu() + (-0.5 - t).relu()).backward(g)  # the general formula: at the bounds as PyTorch's
    tt.clamp(-0.5, 1.5).backward(torch.tensor(g))
    assert t.grad.tolist() == tt.grad.tolist() == g.tolist()


def test_item_assignment_says_why_there_is_none_and_what_to_write():
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"does not support item assignment: an op writing into a tensor \(PyTorch's "
                                        r"t\[i\] = v\) is not in this engine's graph.*t\.data\[i\] = v"):
        t[0] = 5.0  # was Python's bare "'Tensor' object does not support item assignment"
    theirs = torch.tensor([1.0, 2.0, 3.0])
    theirs[0] = 5.0
    t.data[0] = 5.0
    assert t.data.tolist() == theirs.tolist()


def test_reading_the_grad_of_a_tensor_made_by_an_op_warns_as_in_pytorch():
    import warnings

    for make in (Tensor, torch.tensor):
        x = make([1.0, 2.0], requires_grad=True)
        h, kept = x * 2, x * 3
        kept.retain_grad()
        (h.sum() + kept.sum()).backward()
        with pytest.warns(UserWarning, match=r"not a leaf|made by an op.*retain_grad\(\)"):
            assert h.grad is None  # was silent here: a student read None and did not learn why
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert x.grad is not None and kept.grad is not None  # a leaf's, a retained one's: no warning


def test_int_of_a_one_element_tensor_is_pytorchs():
    for value, dtype in [(-2.7, np.float32), (2.7, np.float64), (3, np.int64), (True, np.bool_), (-0.5, np.float16)]:
        ours, theirs = Tensor([[value]], dtype=dtype), torch.from_numpy(np.array([[value]], dtype))
        assert type(int(ours)) is int and int(ours) == int(theirs)  # was "int() argument must be ..., not 'Tensor'"
    with pytest.raises(ValueError, match=r"int: the tensor has shape \(2,\) \(2 elements\); int\(\) needs exactly one"):
        int(Tensor([1.0, 2.0]))


def test_an_index_tensor_of_floats_is_refused_naming_the_conversion_of_a_tensor():
    x, theirs = Tensor([10.0, 20.0, 30.0]), torch.tensor([10.0, 20.0, 30.0])
    assert theirs[torch.tensor([0, 2])].tolist() == [10.0, 30.0]  # PyTorch's list of ints: int64; ours: float32
    with pytest.raises(IndexError, match=r"got dtype float32; convert with Tensor\(idx, dtype=np\.int64\)"):
        x[Tensor([0, 2])]  # was "convert with .astype(int)", which a Tensor does not have
    assert x[Tensor([0, 2], dtype=np.int64)].data.tolist() == [10.0, 30.0]
    with pytest.raises(IndexError, match=r"got dtype float64; convert with \.astype\(int\)"):
        x[np.array([0.0, 2.0])]


def test_a_pytorch_tensor_as_an_operand_is_named_with_how_to_read_it():
    x, theirs = Tensor([1.0, 2.0, 3.0]), torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    for combine in (lambda: x * theirs, lambda: theirs + x, lambda: x @ theirs):
        with pytest.raises(TypeError, match=r"cannot combine a Tensor with Tensor tensor\(.*a PyTorch tensor, whose "
                                            r"graph is not this one: .*Tensor\(x\.detach\(\)\)"):
            combine()  # was "...; use numbers, numpy arrays or Tensors": a PyTorch user's tensor is a Tensor
    np.testing.assert_array_equal((x * Tensor(theirs.detach())).data, (x.data * theirs.detach().numpy()))


def test_float_or_int_of_a_tensor_that_requires_grad_warns_that_it_leaves_the_graph():
    # math.tanh(t) calls float(t): a plain number, through which no gradient flows back, silently (PyTorch 2.13 warns
    # "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior", once per process;
    # float(v) of a Value warns too); item(), a detached tensor and one made in no_grad() are asked for: no warning
    import math
    import warnings
    w = Tensor([0.5], requires_grad=True)
    for convert in (float, int, math.tanh):
        with pytest.warns(UserWarning, match=r"Tensor: (float|int)\(t\) of a tensor that requires grad.*outside the"):
            convert(w * 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert w.item() == 0.5 and float(w.detach()) == 0.5 and f"{(w * 2).sum():.2f}" == "1.00"
        with no_grad():
            assert float(w * 2) == 1.0


def test_a_numpy_function_computing_on_a_tensor_that_requires_grad_warns_that_it_leaves_the_graph():
    # h = (np.dot(x, W) + b).tanh(), the lecture's np.dot: W's array was read silently and W never got a gradient
    # (PyTorch refuses np.dot of a tensor that requires grad); a comparison, a detached tensor, no_grad(): no warning
    import warnings
    x, W, b = np.ones((2, 3)), Tensor(np.ones((3, 4)), requires_grad=True), Tensor(np.zeros(4), requires_grad=True)
    ops = "it with the tensor's ops where it needs a gradient"
    for fn, name, use in ((lambda: np.dot(x, W), "np.dot", "x @ W, the tensor's op"),
                          (lambda: np.concatenate([W, W]), "np.concatenate", ops),
                          (lambda: np.where(x > 0, 1.0, W[0, :3]), "np.where", ops),
                          (lambda: np.linalg.norm(W), "np.linalg.norm", ops)):
        with pytest.warns(UserWarning, match=rf"^Tensor: {re.escape(name)} of a tensor that requires grad computes on "
                          rf"its array, outside the graph: no gradient reaches it .*Write {re.escape(use)}, or pass"):
            fn()  # (the name as written: np.linalg.norm was called "np.norm")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.allclose(W, 1.0) and np.array_equal(W, W) and np.shape(W) == (3, 4)
        assert np.dot(x, W.detach())[0, 0] == 3.0
        assert np.sum(W).requires_grad and np.testing.assert_allclose(W, 1.0) is None and np.asarray(W).shape == (3, 4)
        with no_grad():
            assert np.dot(x, W)[0, 0] == 3.0
    (np.dot(x, W.data) + b).sum().backward()  # the numbers on purpose: b's gradient, W's none (as the warning says)
    assert W.grad is None and b.grad.tolist() == [2.0] * 4


@pytest.mark.parametrize("op", ["sum", "mean", "max"])
def test_an_empty_axis_tuple_which_numpy_and_pytorch_read_differently_is_refused(op):
    # numpy's sum(axis=()) reduces no axis, PyTorch's sum(dim=()) every axis: 6.0 for ones((2, 3)), where this engine
    # returned the six ones unreduced. Refused on a tensor with axes; a 0-d tensor's result is the same either way.
    x = np.ones((2, 3), np.float32)
    want = getattr(torch.from_numpy(x), "amax" if op == "max" else op)(dim=())
    assert want.shape == () and np.asarray(getattr(x, op)(axis=())).shape == (2, 3)  # the two readings
    for axis in ((), []):
        with pytest.raises(ValueError, match=re.escape(f"{op}: axis={axis!r}") + ".*numpy.*PyTorch.*axis=None"):
            getattr(Tensor(x), op)(axis=axis)
    assert getattr(Tensor(np.float32(2.5)), op)(axis=()).item() == 2.5


@pytest.mark.parametrize("make", [torch.tensor, lambda rows: (torch.tensor(rows), 1)])
def test_a_pytorch_index_tensor_with_repeated_positions_adds_their_gradients_as_pytorch(make):
    rows = [0, 0, 2, 0]
    theirs = torch.arange(6.0).reshape(3, 2).requires_grad_()
    index = make(rows)
    y = theirs[index]
    y.backward(torch.ones(y.shape))
    x = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    index = make(rows)
    y = x[index]
    (index[0] if isinstance(index, tuple) else index)[:] = 1  # a later change moves no gradient (PyTorch: an error)
    y.backward(np.ones(y.shape))
    np.testing.assert_array_equal(x.grad, theirs.grad.numpy())  # was 1 for row 0 (written, not added), or row 1's


@pytest.mark.parametrize("call", [lambda t: t.register_hook(lambda g: None), lambda t: t.retain_grad()])
@pytest.mark.parametrize("where", ["data", "no_grad"])
def test_a_hook_or_retain_grad_on_a_tensor_outside_the_graph_is_refused_as_in_pytorch(call, where):
    # (inside no_grad() itself they are let be, so that one forward serves both: test_gradcheck's retaining function)
    def make(lib):
        w = lib.ones(2, requires_grad=True) if lib is torch else Tensor.ones(2, requires_grad=True)
        if where == "data":
            return lib.ones(2) if lib is torch else Tensor.ones(2)
        with (torch.no_grad() if lib is torch else no_grad()):
            return w * 2
    with pytest.raises(RuntimeError):
        call(make(torch))
    with pytest.raises(RuntimeError, match=r"(register_hook|retain_grad): this tensor does not require grad"):
        call(make(Tensor))  # was silently accepted: a hook never called, a .grad that stayed None without a warning


def test_backward_names_pytorchs_gradient_and_create_graph_and_takes_retain_graph_by_keyword_only():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    with pytest.raises(TypeError, match=r"PyTorch's gradient= is grad= here"):
        y.backward(gradient=np.ones(2))  # was Python's "unexpected keyword argument 'gradient'"
    with pytest.raises(TypeError, match=r"PyTorch's create_graph= is not offered here"):
        y.backward(np.ones(2), create_graph=True)
    theirs = torch.tensor([1.0, 2.0], requires_grad=True)
    z = theirs * theirs
    z.backward(torch.ones(2), True)  # PyTorch's second positional argument: retain_graph
    z.backward(torch.ones(2))
    with pytest.raises(TypeError, match="positional"):  # was retain_grads=True: the graph freed, the next call refused
        y.backward(np.ones(2), True)
    y.backward(np.ones(2), retain_graph=True)
    y.backward(np.ones(2))
    np.testing.assert_array_equal(x.grad, theirs.grad.numpy())


def test_plus_equals_on_a_tensor_not_a_parameter_makes_a_new_one_as_the_engines_page_says_and_add_is_in_place():
    velocities = [Tensor.zeros(2), Tensor.zeros(2)]  # a hand-written optimizer's state
    theirs = [torch.zeros(2), torch.zeros(2)]
    for v, tv in zip(velocities, theirs):
        v += 1.0  # PyTorch: in place, so the list sees it; here: a new tensor bound to v
        tv += 1.0
    assert [v.data.tolist() for v in velocities] == [[0.0, 0.0]] * 2 and theirs[0].tolist() == [1.0, 1.0]
    theirs = [torch.zeros(2), torch.zeros(2)]
    for v, tv in zip(velocities, theirs):
        v.add_(1.0).mul_(3.0)  # what the page says to write: in place, as PyTorch's
        tv.add_(1.0).mul_(3.0)
    assert [v.data.tolist() for v in velocities] == [tv.tolist() for tv in theirs]
    page = Path(__file__).parents[2] / "docs" / "concepts" / "engines.md"
    assert "write `t.add_(u)` or `t.mul_(u)` to change such a tensor in place" in " ".join(page.read_text().split())


@pytest.mark.parametrize("fn, kwargs, method", [(np.mean, {}, "mean"), (np.sum, {"axis": 0}, "sum"),
                                                (np.max, {"axis": 1, "keepdims": True}, "max"), (np.amax, {}, "max")])
def test_numpys_reductions_of_a_tensor_call_its_method_in_the_graph(fn, kwargs, method):
    x = np.array([[1.0, 5.0, 2.0], [4.0, -1.0, 3.0]])
    t = Tensor(x, requires_grad=True)
    out = fn(t, **kwargs)  # numpy calls t.mean(axis=None, dtype=None, out=None): was "unexpected keyword 'dtype'"
    np.testing.assert_array_equal(out.data, fn(x, **kwargs))
    out.backward(np.ones(out.shape))
    u = Tensor(x, requires_grad=True)
    getattr(u, method)(**kwargs).backward(np.ones(out.shape))
    np.testing.assert_array_equal(t.grad, u.grad)
    with pytest.raises(TypeError, match=rf"{method}: unexpected keyword argument .*'out'"):
        fn(t, out=np.empty(out.shape), **kwargs)  # numpy's out= is not taken: a Tensor is the result


def test_a_tensor_given_to_pytorch_is_named_with_its_array_which_pytorch_takes():
    w = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    with pytest.raises(TypeError, match=r"to give a Tensor to PyTorch.*pass torch.tensor\(t.data\)"):
        torch.tensor(w)  # PyTorch reads it row by row down to a 0-d tensor: said only "len() of a 0-d tensor"
    np.testing.assert_array_equal(torch.tensor(w.data).numpy(), w.data)


def test_a_numpy_reduction_with_a_keyword_not_taken_names_only_that_keyword():
    with pytest.raises(TypeError, match=r"^sum: unexpected keyword argument 'dtype'$"):
        np.sum(Tensor([1.0, 2.0]), dtype=np.float64)  # numpy adds out=None, which the message named too


def _grad_modes(module) -> list[bool]:
    """The grad mode after each of PyTorch's uses of set_grad_enabled: a call, a block, a decorator, inside no_grad."""
    se, on, seen = module.set_grad_enabled, module.is_grad_enabled, []
    se(False), seen.append(on()), se(True), seen.append(on())
    with se(False):
        seen.append(on())
        with se(True):
            seen.append(on())
        seen.append(on())
    seen.append(on())

    @se(False)
    def inside() -> bool:
        return on()

    seen += [on(), inside(), on()]
    with module.no_grad():
        seen.append(on())
        with se(True):
            seen.append(on())
        seen.append(on())
    block = se(False)
    seen.append(on())
    with block:
        seen.append(on())
    seen.append(on())
    se(True)
    return seen


def test_set_grad_enabled_as_a_call_a_block_and_a_decorator_is_pytorchs():
    # PyTorch's `with torch.set_grad_enabled(train):` had no counterpart: AttributeError
    import tinygrad_init

    assert _grad_modes(tinygrad_init) == _grad_modes(torch)
    x = Tensor([1.0, 2.0], requires_grad=True)
    with tinygrad_init.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad and tinygrad_init.is_grad_enabled()
    for bad in (0, "no", None):
        with pytest.raises(TypeError, match=r"^set_grad_enabled: mode must be True or False"):
            tinygrad_init.set_grad_enabled(bad)
    assert tinygrad_init.is_grad_enabled()


def test_the_tensor_module_called_makes_a_tensor_as_torch_tensor():
    # `tinygrad_init.tensor([1.0, 2.0])`, PyTorch's `torch.tensor(...)`, said "'module' object is not callable"
    import tinygrad_init
    from tinygrad_init import tensor

    t = tensor([1.0, 2.0], requires_grad=True)
    (t * t).sum().backward()
    expected = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (expected * expected).sum().backward()
    assert type(t) is Tensor and np.array_equal(t.grad, expected.grad.numpy())
    assert tinygrad_init.tensor([1.0], dtype=np.float32).dtype == np.float32 and tensor.Tensor is Tensor


def test_set_grad_enabled_refusing_what_it_decorates_leaves_the_grad_mode_as_it_found_it():
    # set_grad_enabled(False)(not_a_function) raised before putting back the mode its call had set: the TypeError
    # was caught, and every tensor after it was built without a graph (torch's restores the mode first)
    import tinygrad_init

    for module in (tinygrad_init, torch):
        try:
            module.set_grad_enabled(False)(None)
        except TypeError:
            pass
        assert module.is_grad_enabled()
    with pytest.raises(TypeError, match=r"^set_grad_enabled: expected a function to decorate, got int 3"):
        tinygrad_init.set_grad_enabled(False)(3)
    assert (Tensor([1.0], requires_grad=True) * 2).requires_grad


def test_set_grad_enabled_takes_a_numpy_bool_as_every_switch_here_does():
    # set_grad_enabled(mask.any()) was refused as "mode must be True or False, got bool np.True_": a numpy bool's type
    # is named bool, so the message contradicted itself; the package's switches (check_bool) take numpy bools
    import tinygrad_init

    with tinygrad_init.set_grad_enabled(np.array([0.0, 1.0]).any() & False):
        assert not tinygrad_init.is_grad_enabled() and not (Tensor([1.0], requires_grad=True) * 2).requires_grad
    assert tinygrad_init.is_grad_enabled()
    with pytest.raises(TypeError, match=r"^set_grad_enabled: mode must be True or False, got int 1"):
        tinygrad_init.set_grad_enabled(1)


def test_backward_takes_pytorchs_keywords_at_their_defaults_and_refuses_the_others():
    # loss.backward(create_graph=False) asks for what backward does anyway: it was refused as create_graph=True is
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward(create_graph=False, gradient=None, inputs=None)
    assert np.array_equal(x.grad, [2.0, 4.0])
    for given, said in (({"create_graph": True}, "create_graph= is not offered"), ({"gradient": np.ones(2)},
                        "gradient= is grad= here"), ({"inputs": [x]}, "'inputs'"), ({"retain_grpah": False}, "")):
        with pytest.raises(TypeError, match=r"^backward: unexpected keyword argument .*" + re.escape(said)):
            (x * x).sum().backward(**given)
    assert np.array_equal(x.grad, [2.0, 4.0])  # a refused call added nothing


def test_a_pytorch_tensor_that_requires_grad_is_read_as_numbers_wherever_an_array_goes():
    """As Tensor(p) of a Parameter: the seed of backward, a .grad and integer-valued targets (its numpy() raised
    PyTorch's "Can't call numpy() on Tensor that requires grad" from inside PyTorch)."""
    from tinygrad_init.nn import losses
    p = torch.tensor([2.0, -1.0], requires_grad=True)
    t = Tensor([1.0, 3.0], requires_grad=True)
    (t * 2).backward(p)
    np.testing.assert_array_equal(t.grad, [4.0, -2.0])
    t.grad = p
    np.testing.assert_array_equal(t.grad, [2.0, -1.0])
    logits = np.array([[0.5, 1.5], [2.0, -1.0]])
    want = torch.nn.functional.cross_entropy(torch.from_numpy(logits), torch.tensor([1, 0])).item()
    assert losses.cross_entropy(Tensor(logits), torch.tensor([1.0, 0.0], requires_grad=True)).item() == \
        pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("dtype", ["bfloat16", "float8_e4m3fn"])
def test_a_pytorch_tensor_of_a_dtype_numpy_lacks_is_named_with_its_conversion_wherever_an_array_goes(dtype):
    from tinygrad_init import nn
    from tinygrad_init.nn import losses
    b = torch.zeros(2, dtype=getattr(torch, dtype))
    t = Tensor([1.0, 3.0], requires_grad=True)
    convert = rf"is a PyTorch tensor of dtype torch\.{dtype}, which numpy cannot hold; convert it first, x\.float\(\)"
    calls = [("Tensor: data", lambda: Tensor(b)), ("Tensor: data", lambda: Tensor(b.clone().requires_grad_())),
             ("backward: grad", lambda: (t * 2).backward(b)), ("grad: grad", lambda: setattr(t, "grad", b)),
             ("Tensor: data", lambda: nn.Linear(2, 3)(b)),  # (getitem: see the test of an index below)
             ("cross_entropy: targets", lambda: losses.cross_entropy(Tensor(np.ones((2, 2))), b)),
             ("mse_loss: expected numbers as target; Tensor: data", lambda: losses.mse_loss(t, b))]
    for head, call in calls:  # (was PyTorch's "Got unsupported ScalarType BFloat16", from inside numpy() of it)
        with pytest.raises(TypeError, match=rf"^{head} {convert}"):
            call()


def test_a_pytorch_uint8_index_which_pytorch_reads_as_a_mask_and_numpy_as_positions_is_refused():
    t = Tensor(np.arange(6.0).reshape(3, 2))
    idx = torch.tensor([1, 0, 1], dtype=torch.uint8)
    with pytest.raises(IndexError, match=r"^getitem: a PyTorch uint8 index tensor is a mask to PyTorch and positions "
                                         r"to numpy.*idx\.bool\(\) for a mask, idx\.long\(\) for positions$"):
        t[idx]  # was t[[1, 0, 1]], of shape (3, 2), where PyTorch gives t[[0, 2]], of shape (2, 2)
    with pytest.raises(IndexError, match=r"^getitem: a PyTorch uint8 index tensor"):
        t[:, torch.tensor([1], dtype=torch.uint8)]
    theirs = torch.from_numpy(t.data)
    for converted in (idx.bool(), idx.long()):  # either conversion gives PyTorch's rows
        np.testing.assert_array_equal(t[converted].data, theirs[converted].numpy())
    assert t[np.array([1, 0, 1], dtype=np.uint8)].shape == (3, 2)  # a numpy uint8 array: positions, as numpy reads it


@pytest.mark.parametrize("kind", ["sparse"])
def test_a_pytorch_tensor_numpy_cannot_read_for_its_layout_or_device_is_told_pytorchs_conversion_not_a_dtype(kind):
    # A sparse tensor (or one on a GPU, or meta) of float32 was told "of dtype torch.float32, which numpy cannot hold;
    # convert it first, x.float()", which gives the same tensor and the same error again; PyTorch's own reason says
    # what to do: x.to_dense(), x.cpu().
    from tinygrad_init.nn import losses
    x = torch.tensor([1.0, 0.0]).to_sparse() if kind == "sparse" else torch.zeros(2, device="meta")
    t = Tensor([1.0, 3.0], requires_grad=True)
    calls = [("Tensor: data", lambda: Tensor(x)), ("backward: grad", lambda: (t * 2).backward(x)),
             ("grad: grad", lambda: setattr(t, "grad", x)), ("getitem: the index", lambda: t[x]),
             ("cross_entropy: targets", lambda: losses.cross_entropy(Tensor(np.ones((2, 2))), x))]
    told = r"Use Tensor\.to_dense\(\) first" if kind == "sparse" else r"Use Tensor\.cpu\(\) to copy the tensor"
    for head, call in calls:
        with pytest.raises(TypeError, match=rf"^{head} is a PyTorch tensor numpy cannot read: .*{told}") as e:
            call()
        assert "dtype" not in str(e.value) and "x.float()" not in str(e.value), str(e.value)
    if kind == "sparse":  # the conversion named works
        np.testing.assert_array_equal(Tensor(x.to_dense()).data, [1.0, 0.0])


def test_a_meta_pytorch_tensor_is_told_it_holds_no_numbers_not_to_copy_them_with_cpu():
    # A tensor on the meta device was told PyTorch's "Use Tensor.cpu() to copy the tensor to host memory first", and
    # x.cpu() raises "Cannot copy out of meta tensor; no data!": it has a shape and a dtype, and no numbers to copy.
    from tinygrad_init.nn import losses
    x, t = torch.zeros(2, device="meta"), Tensor([1.0, 3.0], requires_grad=True)
    with pytest.raises(NotImplementedError):
        x.cpu()
    calls = [("Tensor: data", lambda: Tensor(x)), ("backward: grad", lambda: (t * 2).backward(x)),
             ("grad: grad", lambda: setattr(t, "grad", x)), ("getitem: the index", lambda: t[x]),
             ("cross_entropy: targets", lambda: losses.cross_entropy(Tensor(np.ones((2, 2))), x))]
    for head, call in calls:
        with pytest.raises(TypeError, match=rf"^{head} is a PyTorch tensor on the meta device, which has a shape and a "
                                            r"dtype but no numbers: make it with its numbers on the CPU") as e:
            call()
        assert "cpu()" not in str(e.value), str(e.value)


def test_a_pytorch_index_of_a_dtype_numpy_lacks_is_told_a_conversion_that_indexes():
    # A bfloat16 or qint8 index was told x.float() (or x.dequantize()), whose float index is refused next: "an index
    # must be an int, a slice, or an array of integers or booleans".
    import warnings
    t = Tensor(np.arange(6.0).reshape(3, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's notice that quantized tensors are deprecated
        q = torch.quantize_per_tensor(torch.tensor([2.0, 0.0, 0.0]), 0.5, 0, torch.qint8)
    for idx, fix, told in ((torch.tensor([2.0, 0.0, 0.0], dtype=torch.bfloat16), lambda i: i.long(), r"x\.long\(\)"),
                           (q, lambda i: i.dequantize().long(), r"x\.dequantize\(\)\.long\(\)")):
        with pytest.raises(TypeError, match=r"^getitem: the index is a PyTorch tensor of dtype torch\.\w+, which "
                                            rf"numpy cannot hold; convert it first, {told} for positions") as e:
            t[idx]
        assert "x.float()" not in str(e.value), str(e.value)
        np.testing.assert_array_equal(t[fix(idx)].data, t.data[[2, 0, 0]])  # the conversions named index
        mask = str(e.value).rpartition("(or ")[2].partition(" for a mask")[0]
        assert mask in ("x.bool()", "x.dequantize().bool()"), str(e.value)
        np.testing.assert_array_equal(t[fix(idx).bool() if mask == "x.bool()" else idx.dequantize().bool()].data,
                                      t.data[[0]])


def test_a_quantized_pytorch_tensor_is_told_to_dequantize_which_gives_its_numbers():
    # A qint8 tensor was told "convert it first, x.float() (or x.long() for integers)", and both raise PyTorch's
    # "Creation of quantized tensor requires quantized dtype"; x.dequantize() gives the numbers.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's notice that quantized tensors are deprecated
        q = torch.quantize_per_tensor(torch.tensor([1.0, -0.5]), 0.5, 0, torch.qint8)
    with pytest.raises(TypeError, match=r"^Tensor: data is a PyTorch tensor of dtype torch\.qint8, which numpy cannot "
                                        r"hold; convert it first, x\.dequantize\(\)$"):
        Tensor(q)
    with pytest.raises(TypeError, match=r"^backward: grad .* x\.dequantize\(\)$"):
        (Tensor([1.0, 3.0], requires_grad=True) * 2).backward(q)
    np.testing.assert_array_equal(Tensor(q.dequantize()).data, [1.0, -0.5])
