"""What must hold for a lecturer and a student to trust the engines blind (issue "the engines earn trust").

One section per defect class: in-place changes between forward and backward, grad mode per
thread, Value and Tensor never mixing, empty sizes, types, what the graph keeps, and a clear
error (naming the op, saying what to do) at every public entry point. The scalar engine's IEEE
semantics are checked against PyTorch in test_torch_parity.py; random programs in
test_campaign.py.
"""

from __future__ import annotations

import gc
import re
import threading
import weakref
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, enable_grad, is_grad_enabled, nn, no_grad
from tinygrad_init.gradcheck import gradcheck
from tinygrad_init.losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss
from tinygrad_init.optim import SGD

def _mlp_loss(seed: int = 0):
    model = nn.MLP([3, 4, 1], activation="tanh", rng=seed)
    x = Tensor(np.random.default_rng(seed).standard_normal((5, 3)).astype(np.float32))
    return model, mse_loss(model(x), np.zeros((5, 1), dtype=np.float32))


# --------------------------------------------------------------- in-place changes (version counters)


def test_optimizer_step_before_backward_is_caught_and_named():
    model, loss = _mlp_loss()
    opt = SGD(model.parameters(), lr=0.1)
    opt.step()  # no gradients yet: nothing happens, nothing changes
    loss.backward(retain_graph=True)
    opt.step()  # updates the weights in place: the graph's saved weights are stale now
    with pytest.raises(RuntimeError, match=r"backward: matmul saved the tensor 'layers\.\d\.weight' \(shape "
                                           r"\(\d, \d\)\).*changed in place.*optimizer\.step\(\).*Call backward\(\) "
                                           r"before the in-place change, or recompute the forward pass"):
        loss.backward()
    model.zero_grad()
    _, fresh = model, mse_loss(model(Tensor(np.ones((5, 3), np.float32))), np.zeros((5, 1), np.float32))
    fresh.backward()  # a forward pass after the step is fine
    assert all(p.grad is not None for p in model.parameters())


def test_only_saved_tensors_are_checked_as_in_pytorch():
    w = Tensor(np.ones(3), requires_grad=True)
    y = (w + 1.0).sum()  # add saves nothing: a later change of w does not matter to its backward
    with no_grad():
        w.add_(np.ones(3))
    y.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 1.0, 1.0])
    z = (w * w).sum()  # mul saves w
    with no_grad():
        w.add_(1.0)
    with pytest.raises(RuntimeError, match=r"mul saved an input tensor \(shape \(3,\)\)"):
        z.backward()


@pytest.mark.parametrize("op, raises", [(lambda w, c: w * c, False), (lambda w, c: c * w, False),
                                        (lambda w, c: w @ c, False), (lambda w, c: c @ w, False),
                                        (lambda w, c: w / c, False), (lambda w, c: c / w, True),
                                        (lambda w, c: w ** c, True), (lambda w, c: c ** w, True),
                                        (lambda w, c: w * w, True)])
def test_an_operand_that_no_backward_rule_reads_may_change_in_place_as_in_pytorch(op, raises):
    # x @ W with data x: dW = x.T @ g never reads W, so PyTorch saves only x and a later W.add_ (an optimizer's step)
    # leaves the gradient right; a product saved both operands and raised "matmul saved an input tensor"
    def run(change: bool) -> np.ndarray:
        w = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
        c = Tensor(np.array([[0.5, -1.0], [2.0, 1.5]]))  # data: no gradient
        y = op(w, c)
        if change:
            with no_grad():
                w.add_(1.0)
        y.backward(np.array([[1.0, -2.0], [0.5, 3.0]]))
        return w.grad

    expected = run(False)
    if raises:  # w's own rule reads w: caught, as in PyTorch
        with pytest.raises(RuntimeError, match="saved an input tensor .* changed in place"):
            run(True)
    else:
        np.testing.assert_array_equal(run(True), expected)


def test_an_exponent_changed_in_place_is_caught_as_its_own_rule_reads_it():
    # c ** w with a base of exact zeros: w's rule reads w (0 where c == 0 <= w); w.mul_(-1) after the forward gave
    # w.grad [nan, 2.77] silently, where an unchanged graph gives [0, 2.77] and PyTorch raises
    c, w = Tensor([0.0, 2.0]), Tensor([2.0, 2.0], requires_grad=True)
    y = c ** w
    with no_grad():
        w.mul_(-1.0)
    with pytest.raises(RuntimeError, match="pow saved an input tensor .* changed in place"):
        y.sum().backward()


def test_the_result_of_a_power_may_change_in_place_when_the_exponent_needs_no_gradient_as_in_pytorch():
    w, c = Tensor([1.0, 2.0], requires_grad=True), Tensor([2.0, 3.0], requires_grad=True)
    y, z = w ** 2.0, w ** c  # only the exponent's rule reads the result (PyTorch's w ** 2.0 saves none)
    with no_grad():
        y.detach().add_(1.0)  # raised "pow saved its own result"
        z.detach().add_(1.0)
    y.backward(np.ones(2))
    np.testing.assert_array_equal(w.grad, [2.0, 4.0])
    with pytest.raises(RuntimeError, match="pow saved its own result"):
        z.backward(np.ones(2))


_EVERY_OP = {  # each op of the table, on inputs a (2, 3) and b, and the result y
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b, "matmul": lambda a, b: a @ b.T, "neg": lambda a, b: -a, "exp": lambda a, b: a.exp(),
    "log": lambda a, b: a.log(), "tanh": lambda a, b: a.tanh(), "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(), "softplus": lambda a, b: a.softplus(), "sum": lambda a, b: a.sum(axis=1),
    "mean": lambda a, b: a.mean(axis=0), "max": lambda a, b: a.max(axis=1), "reshape": lambda a, b: a.reshape(3, 2),
    "transpose": lambda a, b: a.T, "getitem": lambda a, b: a[1], "log_softmax": lambda a, b: a.log_softmax(1),
    "softmax": lambda a, b: a.softmax(1)}


@pytest.mark.parametrize("changed", ["a", "b", "y", "another tensor"])
@pytest.mark.parametrize("op", list(_EVERY_OP))
def test_an_in_place_change_after_the_forward_of_each_op_raises_or_leaves_the_gradient_as_it_was(op, changed):
    # the contract of the version counters: backward never reads a changed saved value silently, and what an op did
    # not save (or an unrelated tensor, such as another layer's weight after optimizer.step()) may change freely
    def run(change: bool) -> list:
        a = Tensor(np.array([[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]]), requires_grad=True)
        b = Tensor(np.array([[2.0, 0.5, 1.5], [0.75, 1.25, 2.5]]), requires_grad=True)
        other = Tensor(np.ones(3), requires_grad=True)
        y = _EVERY_OP[op](a, b)
        if change:
            with no_grad():
                {"a": a, "b": b, "y": y, "another tensor": other}[changed].add_(0.5)
        y.backward(np.linspace(0.5, 2.0, y.data.size).reshape(y.shape))  # non-uniform: every element counts
        return [None if t.grad is None else t.grad.copy() for t in (a, b)]

    expected = run(False)
    try:
        got = run(True)
    except RuntimeError as e:
        assert changed != "another tensor" and "changed in place" in str(e), e
        return
    for g, want in zip(got, expected):
        assert (g is None) == (want is None)
        if g is not None:
            np.testing.assert_array_equal(g, want)


def test_in_place_change_of_a_saved_result_and_of_a_detached_view():
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    h = (x * 2).tanh()  # tanh saves its own result
    with no_grad():
        h.detach().add_(1.0)  # the same memory: changes h too
    with pytest.raises(RuntimeError, match="tanh saved its own result"):
        h.sum().backward()


def test_in_place_change_of_a_detached_leaf_is_one_of_the_leaf_as_in_pytorch():
    w = Tensor(np.ones(3), requires_grad=True)
    y = (w * w).sum()
    w.detach().mul_(2.0)  # was: 'bool: the truth value of a tensor with 3 elements is ambiguous' (base or ...)
    with pytest.raises(RuntimeError, match=r"mul saved an input tensor \(shape \(3,\)\)"):
        y.backward()
    for value in (0.0, 3.0):  # a one-element base whose truth value is False, and a detached detached tensor
        z, w2 = Tensor(value), Tensor(2.0, requires_grad=True)
        y = z * w2
        z.detach().detach().add_(1.0)  # the same memory as z: mul's saved z changed
        with pytest.raises(RuntimeError, match="mul saved an input tensor"):
            y.backward()  # was silent: w2.grad read the changed z


def test_in_place_change_through_a_view_is_one_of_the_viewed_tensor_as_in_pytorch():
    for view in (lambda w: w[0], lambda w: w[:, ::-1], lambda w: w.T, lambda w: w.reshape(-1)):
        w = Tensor(np.ones((2, 3)), requires_grad=True)
        loss = (w * w).sum()  # mul saves w
        with no_grad():
            view(w).mul_(0.0)  # zeroes (part of) w in place: was not seen, and backward read the zeros silently
        with pytest.raises(RuntimeError, match=r"mul saved an input tensor \(shape \(2, 3\)\)"):
            loss.backward()
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    row = w[0]  # a view made in the graph, changed later
    loss = (w * w).sum() + row.sum()  # only mul saved w; sum saves nothing
    with no_grad():
        row.mul_(0.0)
    with pytest.raises(RuntimeError, match=r"mul saved an input tensor \(shape \(2, 3\)\)"):
        loss.backward()
    loss = (w.T * w.T).sum()  # mul saves the view w.T: a change of w is one of it
    with no_grad():
        w.add_(1.0)
    with pytest.raises(RuntimeError, match="mul saved"):
        loss.backward()
    x, w = Tensor(np.ones(3)), Tensor(np.ones(3), requires_grad=True)
    y = (x * w).sum()
    x[[0, 0]].add_(1.0)  # an index array copies: x is unchanged, its saved value still good
    y.backward(retain_graph=True)
    np.testing.assert_array_equal(w.grad, np.ones(3))
    x[1:].detach().add_(1.0)  # a view, detached: the same memory as x
    with pytest.raises(RuntimeError, match="mul saved an input tensor"):
        y.backward()


def test_add_under_grad_mode_is_refused_and_data_writes_bypass_the_check():
    w = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"add_: an in-place change of a tensor that requires grad.*no_grad\(\)"):
        w.add_(1.0)
    with pytest.raises(ValueError, match=r"add_: an operand of shape \(3,\) does not fit the tensor of shape \(2,\)"):
        with no_grad():
            w.add_(np.ones(3))
    with pytest.raises(TypeError, match="add_: cannot combine float32 values in place into a tensor of dtype int64"):
        Tensor(np.array([1, 2]), dtype=np.int64).add_(0.5)
    with pytest.raises(TypeError, match="add_: alpha must be an int for a tensor of dtype int64"):  # was numpy's
        Tensor(np.array([1, 2]), dtype=np.int64).add_(np.array([1, 1]), alpha=0.5)
    y = (w * w).sum()
    w.data -= 1.0  # documented: writing into .data by hand is not tracked (as in PyTorch)
    y.backward()
    np.testing.assert_array_equal(w.grad, [0.0, 0.0])  # computed from the changed data, without an error


def test_a_parameter_whose_data_became_integers_is_named_not_given_a_truncated_gradient():
    # `lin.weight.data = np.array([[1, 2], [3, 4]])` (integers typed by hand): the forward computes in float32, but
    # backward cast the weight's gradient to its int64 data, 0.3 and 0.2 to 0, silently (PyTorch refuses such data)
    lin = nn.Linear(2, 2, rng=0)
    lin.weight.data = np.array([[1, 2], [3, 4]])
    out = lin(Tensor([[0.3, 0.2]]))
    assert out.dtype == np.float32
    with pytest.raises(TypeError, match=r"backward: the tensor 'weight' requires grad but holds dtype int64 .*"
                                        r"\.data .* truncate.*\.astype\(np\.float32\)"):
        out.sum().backward()
    w = Tensor([1.0, 2.0], requires_grad=True)
    w.data = np.array([True, False])
    with pytest.raises(TypeError, match="backward: a tensor requires grad but holds dtype bool"):
        (w * 0.5).sum().backward()
    w.data = np.array([1, 2])  # a graph of integers: the seed 0.5 was cast to 0, and w.grad was [0, 0], silently
    for backward in (lambda: (w * 3).sum().backward(np.array(0.5)), lambda: (w * 3).backward(np.array([0.5, 0.25])),
                     lambda: ((w * w + w) * 2).sum().backward()):
        with pytest.raises(TypeError, match=r"backward: a tensor requires grad but holds dtype int64 \(was a leaf's"):
            backward()
        assert w.grad is None


def test_a_gradient_left_from_before_data_got_another_shape_is_named_before_backward_adds_to_it():
    # `p.data = np.zeros((5, 3))` where p was (4, 3) and still held its (4, 3) .grad: backward ended in numpy's
    # 'operands could not be broadcast together with shapes (4,3) (5,3)', naming no tensor (PyTorch's names none
    # either); a (4, 3) gradient of data made 0-d or (1, 3) was broadcast into, silently a (4, 3) .grad for them
    for new in (np.zeros((5, 3), np.float32), np.array(2.0, np.float32), np.float32(2), np.zeros((1, 3), np.float32)):
        p = Tensor(np.ones((4, 3)), requires_grad=True, name="layers.0.weight")
        q = Tensor([1.0, 2.0], requires_grad=True)
        (p.sum() * q.sum()).backward()
        old, q_old = p.grad.copy(), q.grad.copy()
        p.data = new
        shape = re.escape(str(np.shape(new)))
        with pytest.raises(ValueError, match=rf"backward: the tensor 'layers.0.weight' has shape {shape} but holds "
                                             r"a \.grad of shape \(4, 3\).*\.data was replaced.*p\.grad = None"):
            ((p * 2).sum() * q.sum()).backward()
        np.testing.assert_array_equal(p.grad, old)  # nothing changed: the check comes before the pass
        np.testing.assert_array_equal(q.grad, q_old)
        p.grad = None  # as the message says
        ((p * 2).sum() * q.sum()).backward()
        assert p.grad.shape == np.shape(new) and np.all(p.grad == 6.0)
    u = Tensor(np.ones(2), requires_grad=True)
    (u * 1.0).sum().backward()
    u.data = np.zeros(3, np.float32)
    with pytest.raises(ValueError, match=r"backward: a leaf tensor has shape \(3,\) but holds a \.grad of shape "
                                         r"\(2,\).*zero_grad\(\)"):
        (u * 1.0).sum().backward()


def test_a_gradient_left_from_before_data_got_another_float_dtype_adds_up_in_the_new_dtype():
    # data float32 -> float16 with a float32 .grad kept: the sum was float32, a .grad of another dtype than its tensor
    # (as `p.grad = g` casts); float64 data held a float64 sum already. Read-only, non-contiguous and broadcast data
    # (the gradient is an array of its own) are taken as they were
    p = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    (p * 2).sum().backward()
    for new in (np.zeros((4, 3), np.float16), np.zeros((4, 3)), np.zeros((3, 4), np.float32).T,
                np.broadcast_to(np.float32(0), (4, 3)), np.zeros((4, 3), np.float32)):
        p.data = new
        before = p.grad.astype(new.dtype)
        (p * 2).sum().backward()
        assert p.grad.dtype == new.dtype and p.grad.shape == (4, 3) and p.grad.flags.writeable
        np.testing.assert_array_equal(p.grad, before + 2)
    p.data.flags.writeable = False
    (p * 2).sum().backward()
    assert p.grad.flags.writeable and p.grad[0, 0] == 14.0

def test_p_minus_equals_inside_no_grad_updates_the_parameter_as_in_pytorch():
    # the hand-written SGD of PyTorch's tutorials; -= used to rebind the loop variable and leave the model unchanged
    lin, x = nn.Linear(2, 1, rng=0), Tensor([[1.0, 2.0]], requires_grad=True)  # dx = g @ W.T reads W (for data x
    w0, b0 = lin.weight.data.copy(), lin.bias.data.copy()  # no rule reads W, and PyTorch does not raise either)
    loss = lin(x).sum()
    loss.backward(retain_graph=True)
    with no_grad():
        for p in lin.parameters():
            p -= 0.1 * p.grad
        lin.bias += 1.0
    np.testing.assert_allclose(lin.weight.data, w0 - 0.1 * x.data.T, rtol=1e-6)
    np.testing.assert_allclose(lin.bias.data, b0 - 0.1 + 1.0, rtol=1e-6)
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()  # the version counter saw the update
    w = lin.weight
    with pytest.raises(RuntimeError, match=r"add_: an in-place change of a tensor that requires grad.*no_grad\(\)"):
        w -= 1.0  # outside no_grad, as PyTorch refuses
    with pytest.raises(RuntimeError, match=r"or write y = x - other$"):  # was told to write y = x + other
        w -= 1.0
    h = x * 2.0
    h += 1.0  # other tensors: out of place, as before
    np.testing.assert_array_equal(h.data, [[3.0, 5.0]])


def test_p_times_equals_and_divide_equals_inside_no_grad_scale_the_parameter_in_place():
    # `layer.weight *= 0.01` (scaling an init by hand) used to rebind the name and leave the layer unchanged
    lin = nn.Linear(3, 2, rng=0)
    w0, version = lin.weight.data.copy(), lin.weight._version
    with no_grad():
        lin.weight *= 0.01
        lin.bias /= 4.0
        lin.weight *= Tensor(np.array([2.0, -1.0], dtype=np.float32))  # broadcast over the rows
    assert lin.weight is lin.parameters()[0] and lin.weight._version > version
    np.testing.assert_allclose(lin.weight.data, w0 * 0.01 * np.array([2.0, -1.0]), rtol=1e-6)
    with pytest.raises(RuntimeError, match=r"mul_: an in-place change of a tensor that requires grad"):
        lin.weight *= 2.0
    with pytest.raises(RuntimeError, match=r"/=: an in-place change"):
        lin.bias /= 2.0
    with pytest.raises(RuntimeError, match=r"or write y = x / other$"):  # was told to write y = x * other
        lin.bias /= 2.0
    with no_grad(), pytest.raises(ValueError, match=r"mul_: an operand of shape \(3,\) does not fit .* \(3, 2\)"):
        lin.weight *= np.ones(3)


# ----------------------------------------------------------------- what the graph keeps


def test_the_graph_keeps_only_what_backward_rules_saved():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)))
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    z = x @ W  # matmul saves x and W, not its result
    z_buffer = weakref.ref(z.data)
    h = z.tanh()  # tanh saves its own result
    del z
    assert z_buffer() is None, "the graph kept the pre-activation although no backward rule needs it"
    out = (h * 3.0).sum()
    h_buffer = weakref.ref(h.data)
    node = h.grad_fn
    del h
    assert h_buffer() is not None  # saved by tanh (and by mul): needed for backward
    out.backward()
    gc.collect()
    assert h_buffer() is None, "backward did not free what the graph saved"
    assert node.op == "tanh" and node.shape == (4, 2) and node.dtype == np.float64  # kept for pictures
    assert W.grad.shape == (3, 2)


def test_second_backward_needs_retain_graph():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (w * w).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"already used by a backward pass.*retain_graph=True"):
        y.backward()
    w.zero_grad()
    y2 = (w * w).sum()
    y2.backward(retain_graph=True)
    y2.backward()
    np.testing.assert_array_equal(w.grad, 2 * (2 * w.data))  # accumulated twice


def test_retained_gradients_still_work():
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    h = (x * 3).retain_grad()
    k = h.tanh()
    (k * k).sum().backward(retain_grads=True)
    np.testing.assert_allclose(h.grad, 2 * np.tanh(3 * x.data) * (1 - np.tanh(3 * x.data) ** 2))
    assert k.grad is not None and k.grad_fn.grad is k.grad


# -------------------------------------------------------------------- grad mode per thread


def test_grad_mode_belongs_to_the_thread():
    w = Tensor(np.ones(2), requires_grad=True)
    inside, outside = threading.Event(), threading.Event()
    seen = {}

    def in_no_grad():
        with no_grad():
            inside.set()
            outside.wait(5)
            seen["other thread, inside no_grad"] = (w * 2).requires_grad

    t = threading.Thread(target=in_no_grad)
    t.start()
    inside.wait(5)
    seen["this thread, meanwhile"] = (w * 2).requires_grad  # not affected by the other thread's no_grad
    outside.set()
    t.join()
    assert seen == {"other thread, inside no_grad": False, "this thread, meanwhile": True}
    assert is_grad_enabled()


def test_interleaved_no_grad_blocks_in_two_threads_restore_the_mode():
    barrier = threading.Barrier(2)
    results = []

    def worker(delay_first: bool):
        with no_grad():
            barrier.wait(5)
            with enable_grad():
                barrier.wait(5)
                results.append(is_grad_enabled())
            barrier.wait(5)
            results.append(is_grad_enabled())
        results.append(is_grad_enabled())

    threads = [threading.Thread(target=worker, args=(d,)) for d in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, True, True, True, True]
    assert is_grad_enabled()

    @no_grad()
    def evaluate():
        return (Tensor(np.ones(2), requires_grad=True) * 2).requires_grad

    assert evaluate() is False and is_grad_enabled()  # also a decorator


def test_a_thread_that_ends_inside_no_grad_with_a_recorder_on_lets_them_and_its_model_go():
    """Grad mode and the recorder belong to the thread: one that ends without leaving its blocks takes them along
    (freed by reference counting), and the main thread keeps its own."""
    from tinygrad_init import autograd, ledger

    refs = []

    def work():
        model, steps = nn.Linear(3, 2, rng=0), ledger.Ledger()
        autograd.set_recorder(steps)  # never taken off
        model(Tensor(np.ones((2, 3), np.float32))).sum().backward()
        no_grad().__enter__()  # never left
        refs.extend([weakref.ref(model), weakref.ref(steps), len(steps)])

    gc.collect()
    gc.disable()
    try:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert [r() for r in refs[:2]] == [None, None] and refs[2] == 4  # it recorded the 4 steps
        assert autograd.get_recorder() is None and is_grad_enabled()
    finally:
        gc.enable()


def test_one_no_grad_object_entered_again_nested_and_in_two_threads():
    """As `torch.no_grad()`, one object can be kept and entered again; what it restores belongs to the
    thread and the block, so nesting it or sharing it between threads restores each mode it found."""
    ng, eg, seen = no_grad(), enable_grad(), []
    for _ in range(2):  # entered again
        with ng:
            seen.append(is_grad_enabled())
        seen.append(is_grad_enabled())
    with ng:
        with ng:  # the same object inside itself: the inner block restores "off", the outer one "on"
            with eg:
                with ng:
                    seen.append(is_grad_enabled())
                seen.append(is_grad_enabled())
            seen.append(is_grad_enabled())
        seen.append(is_grad_enabled())
    seen.append(is_grad_enabled())
    assert seen == [False, True, False, True, False, True, False, False, True]

    barrier, modes = threading.Barrier(2), []

    def worker():
        with ng:
            barrier.wait(5)  # both threads inside the same object at once
            modes.append(is_grad_enabled())
        modes.append(is_grad_enabled())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(modes) == [False, False, True, True] and is_grad_enabled()

    @ng
    def evaluate():
        return is_grad_enabled()

    assert [evaluate(), evaluate(), is_grad_enabled()] == [False, False, True]  # a decorator, called twice


def test_a_thread_still_inside_no_grad_builds_no_graph_after_another_thread_has_left_its_block():
    # the threads inside no_grad are told apart by their ids: kept under one id, the first thread to leave its block
    # would turn graph building back on for the other, still inside its own
    w, inside, left, seen = Tensor(np.ones(2), requires_grad=True), threading.Event(), threading.Event(), []

    def evaluate():
        with no_grad():
            inside.set()
            left.wait(5)
            seen.append((w * 2).requires_grad)

    t = threading.Thread(target=evaluate)
    t.start()
    inside.wait(5)
    with no_grad():
        pass
    left.set()
    t.join()
    assert seen == [False] and (w * 2).requires_grad


def test_a_set_grad_enabled_object_entered_again_restores_the_mode_found_at_that_entry():
    # as a `no_grad()` object: its first block restores the mode before the call, a later one the mode it finds
    from tinygrad_init import set_grad_enabled

    off = set_grad_enabled(False)
    seen = [is_grad_enabled()]
    with off:
        seen.append(is_grad_enabled())
    seen.append(is_grad_enabled())
    with no_grad():
        with off:
            seen.append(is_grad_enabled())
        seen.append(is_grad_enabled())  # was: on, the mode before the call
    assert seen == [False, False, True, False, False] and is_grad_enabled()


def _a_backward_pass() -> list:
    w = Tensor(np.ones(2), requires_grad=True)
    (w * 2).sum().backward()
    return w.grad.tolist()


def test_a_process_forked_while_another_thread_runs_a_backward_pass_runs_its_own():
    # passes in two threads take turns by a lock: a child forked while another thread held it inherited it locked,
    # with no thread to release it, and its first backward waited forever (a Pool made beside a training thread hung
    # its worker about every other time); a fork now waits for the pass under way to end
    import multiprocessing
    import time
    import warnings

    inside = threading.Event()

    def hook(g):
        inside.set()
        time.sleep(0.1)  # the pass holds the lock meanwhile
        return g

    y = Tensor(np.ones(2), requires_grad=True) * 2
    y.register_hook(hook)
    t = threading.Thread(target=lambda: y.sum().backward())
    t.start()
    inside.wait(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (Python 3.12 on: a fork beside a thread)
        with multiprocessing.get_context("fork").Pool(1) as pool:
            assert pool.apply_async(_a_backward_pass).get(timeout=30) == [2.0, 2.0]
    t.join()


def test_a_decorated_generator_keeps_the_blocks_of_its_body_and_the_caller_its_own_mode_between_yields():
    # the body's block across a yield pushed onto the thread's stack, which the wrapper's block then popped: the caller
    # ran in the body's mode between yields (its ops built no graph), and the body, resumed, lost its block's mode
    w = Tensor(np.ones(2), requires_grad=True)

    @no_grad()
    def steps():
        with enable_grad():
            yield (w * 2).requires_grad
            yield (w * 2).requires_grad
        yield (w * 2).requires_grad

    assert [(body, (w * 2).requires_grad) for body in steps()] == [(True, True), (True, True), (False, True)]
    with no_grad():
        assert [(body, (w * 2).requires_grad) for body in steps()] == [(True, False), (True, False), (False, False)]
    batches = steps()
    seen = [next(batches)]
    t = threading.Thread(target=lambda: seen.extend(batches))  # resumed in another thread, inside its block
    t.start()
    t.join()
    assert seen == [True, True, False] and is_grad_enabled()


def test_a_block_left_open_across_a_yield_and_a_block_of_the_caller_each_restore_the_mode_they_found():
    # as torch's: a generator suspended inside no_grad, the caller's enable_grad block, the generator's block ended
    # inside it. Both took the thread's last saved mode: the generator's block restored the caller's "off" (its ops
    # then built no graph inside enable_grad), the caller's block the "on" from before the generator's
    from tinygrad_init import set_grad_enabled

    w = Tensor(np.ones(2), requires_grad=True)

    def evaluate():
        with no_grad():
            yield (w * 2).requires_grad
        yield (w * 2).requires_grad

    batches = evaluate()
    seen = [next(batches), is_grad_enabled()]
    with enable_grad():
        seen += [next(batches), (w * 2).requires_grad]
    seen.append(is_grad_enabled())  # the mode the caller's block found: the generator's "off"
    set_grad_enabled(True)  # (the generator, finished, has no block left open: the thread's stack is as before)
    assert seen == [False, False, True, True, False] and is_grad_enabled()


def test_the_grad_mode_decorators_refuse_a_class_and_an_async_function_whose_bodies_would_run_outside_the_mode():
    # @no_grad() on an async def made a function whose block ended once the coroutine was made: the body ran later
    # with grad on, its `p -= lr * p.grad` told to "do it inside no_grad()"; a decorated class became a function
    from tinygrad_init import set_grad_enabled

    async def update():
        pass

    async def batches():
        yield 1

    class Evaluator:
        pass

    for fn, what in ((update, "the async function update"), (batches, "the async function batches"),
                     (Evaluator, "the class Evaluator")):
        for name, make in (("no_grad", no_grad), ("enable_grad", enable_grad),
                           ("set_grad_enabled", lambda: set_grad_enabled(False))):  # (which turns grad off at once)
            with pytest.raises(TypeError, match=f"^{name}: cannot decorate {what}: "):
                make()(fn)
            assert is_grad_enabled()


# ---------------------------------------------------------------- Value and Tensor never mix


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
def test_value_and_tensor_never_mix(op, size):
    v = Value(3.0)
    t = Tensor(np.full(size, 2.0), requires_grad=True)
    f = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
         "**": lambda a, b: a ** b}[op]
    with pytest.raises(TypeError, match="cannot combine a Value with a Tensor.*do not mix"):
        f(v, t)
    with pytest.raises(TypeError, match="cannot combine a Tensor with a Value.*do not mix"):
        f(t, v)


def test_value_and_tensor_never_mix_in_constructors_and_sums():
    with pytest.raises(TypeError, match="do not mix"):
        Value.sum([Value(1.0), Tensor([2.0])])
    with pytest.raises(TypeError, match="do not mix"):
        Value(Tensor([2.0]))
    with pytest.raises(TypeError, match="do not mix"):
        Tensor(Value(1.0))
    with pytest.raises(TypeError, match="do not mix"):
        Tensor([Value(1.0), Value(2.0)])
    with pytest.raises(TypeError, match="backward: grad must be an array of numbers"):
        (Tensor([1.0], requires_grad=True) * 2).backward(Value(1.0))
    with pytest.raises(TypeError, match="mix Values and Tensors"):
        gradcheck(lambda a, b: a, Value(1.0), np.ones(2))


# ------------------------------------------------------------------------ empty is a size


def test_reductions_over_nothing_as_numpy_and_pytorch():
    x = Tensor(np.zeros((0, 3)), requires_grad=True)
    assert x.sum().item() == 0.0
    assert np.isnan(x.mean().item())
    np.testing.assert_array_equal(x.mean(axis=0).data, [np.nan] * 3)
    assert x.mean(axis=1).shape == (0,) and x.max(axis=1).shape == (0,) and x.sum(axis=-1, keepdims=True).shape \
        == (0, 1)
    (x.sum() + x.mean(axis=1).sum() + x.max(axis=1).sum()).backward()
    assert x.grad.shape == (0, 3)
    with pytest.raises(ValueError, match=r"max: cannot take the maximum over an axis of length 0 .*shape \(0, 3\)"):
        x.max()
    with pytest.raises(ValueError, match="max: cannot take the maximum over an axis of length 0"):
        x.max(axis=0)


def test_softmax_over_nothing_and_indexing_with_an_empty_list():
    for shape, axis in (((0, 3), 0), ((0, 3), 1), ((3, 0), 1), ((3, 0), 0)):
        x = Tensor(np.zeros(shape), requires_grad=True)
        for f in (x.softmax, x.log_softmax):
            y = f(axis=axis)
            assert y.shape == shape
            y.backward(np.ones(shape))
            assert x.grad.shape == shape
    z = Tensor(np.arange(4.0), requires_grad=True)
    e = z[[]]
    assert e.shape == (0,) and e.dtype == np.float64
    e.sum().backward()
    np.testing.assert_array_equal(z.grad, np.zeros(4))
    assert Tensor(np.ones((2, 3)))[[], 1:].shape == (0, 2)


def test_softmax_over_all_axes_of_nothing_is_empty_not_a_numpy_error():
    for shape in ((0,), (0, 3), (3, 0)):
        x = Tensor(np.zeros(shape), requires_grad=True)
        for f in (x.softmax, x.log_softmax):
            y = f(axis=None)  # numpy's 'zero-size array to reduction operation maximum' reached the user
            assert y.shape == shape
            y.backward(np.ones(shape))
            assert x.grad.shape == shape


# ------------------------------------------------------------------------------- types


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_tensors_follow_pytorchs_type_promotion(dtype):
    i = Tensor(np.array([1, 2]), dtype=dtype)
    assert (i * 2.5).dtype == np.float32 and (i * 2.5).data.tolist() == [2.5, 5.0]  # not truncated to [2, 4]
    assert (2.5 * i).dtype == np.float32 and (i + 0.5).dtype == np.float32
    assert (i * 2).dtype == dtype and (i / 2).dtype == np.float32 and (i / 2).data.tolist() == [0.5, 1.0]
    assert (i + Tensor([0.5, 0.5])).dtype == np.float32
    assert (i + Tensor(np.array([0.5, 0.5]))).dtype == np.float64
    assert (i + np.array([1, 1], np.int64)).dtype == np.int64
    assert i.exp().dtype == np.float32 and i.mean().dtype == np.float32 and i.sum().dtype == np.int64
    assert (Tensor(np.array([True, False]), dtype=np.bool_) + 1).dtype == np.int64
    with pytest.raises(ValueError, match="pow: Integers to negative integer powers are not allowed"):
        i ** -1
    with pytest.raises(TypeError, match="only floating tensors can require grad"):
        Tensor(np.array([1, 2]), dtype=dtype, requires_grad=True)


def test_an_integer_tensor_divided_by_a_python_int_divides_in_floating_point():
    # PyTorch: uint8 [128, 255] / 256 is [0.5, 0.9961]; 256 must not first wrap around to the uint8 0 (inf)
    img = Tensor(np.array([128, 255], dtype=np.uint8), dtype=np.uint8)
    np.testing.assert_allclose((img / 256).data, [0.5, 255 / 256], rtol=1e-7)
    np.testing.assert_allclose((512 / img).data, [4.0, 512 / 255], rtol=1e-7)
    i = Tensor(np.array([1, 2], dtype=np.int32), dtype=np.int32)
    assert (i / 2**40).dtype == np.float32
    np.testing.assert_allclose((i / 2**40).data, [2.0**-40, 2.0**-39])
    np.testing.assert_allclose((i / -1).data, [-1.0, -2.0])


def test_an_unsigned_sum_is_int64_as_in_pytorch():
    img = Tensor(np.array([[3, 200], [0, 255]], dtype=np.uint8), dtype=np.uint8)
    for total in (img.sum(), img.sum(axis=0), img.sum(axis=1, keepdims=True)):
        assert total.dtype == np.int64  # numpy's uint64 wrapped below 0: img.sum() - 1000 was 18446744073709551074
    assert (img.sum() - 1000).item() == -542 and img.max().dtype == np.uint8


def test_requires_grad_set_later_is_checked_as_in_the_constructor():
    i = Tensor(np.array([1, 2]), dtype=np.int64)
    with pytest.raises(TypeError, match="only floating tensors can require grad"):
        i.requires_grad = True  # PyTorch refuses too; the gradients would be truncated to integers
    assert not i.requires_grad
    x = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="requires_grad must be"):
        x.requires_grad = "yes"
    x.requires_grad = True
    y = x * 2.5
    (y * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [5.0, 10.0])
    with pytest.raises(RuntimeError, match="only a leaf tensor.s requires_grad can be changed"):
        y.requires_grad = False


def test_minus_on_bool_tensors_names_the_op_and_a_way_that_works():
    b = Tensor(np.array([True, False]), dtype=np.bool_)
    for op, f in (("neg", lambda: -b), ("sub", lambda: b - b), ("sub", lambda: b - np.array([True, True]))):
        with pytest.raises(TypeError, match=rf"^{op}: the `-` operator is not defined on bool tensors") as e:
            f()
        assert "Tensor(t, dtype=np.int64)" in str(e.value) and "numpy boolean" not in str(e.value)
    assert (b - 1).data.tolist() == [0, -1] and (Tensor(b, dtype=np.int64) - b).data.tolist() == [0, 0]


@pytest.mark.parametrize("bad", [None, "1.5", b"1", np.array([1, "a"], dtype=object), np.array([1j]), [1j],
                                 {"a": 1}])
def test_non_numbers_are_refused(bad):
    with pytest.raises(TypeError, match="Tensor: cannot make a tensor of"):
        Tensor(bad)


@pytest.mark.parametrize("make,op", [
    (lambda: Value(2.0) + Decimal("0.1"), "add"), (lambda: Decimal("0.1") * Value(2.0), "mul"),
    (lambda: Value(Decimal(1)), "Value"), (lambda: Tensor([1.0]) + Decimal("0.1"), "add"),
    (lambda: Fraction(1, 3) * Tensor([1.0]), "mul")])
def test_a_fraction_or_decimal_that_an_engine_refuses_is_told_to_be_written_as_float(make, op):
    # a Decimal was told "Use tinygrad_init.Tensor for arrays" (Value) and a Fraction, which Value takes,
    # "use numbers, numpy arrays or Tensors" (Tensor, which refuses it as PyTorch does)
    with pytest.raises(TypeError, match=rf"^{op}: .*(Decimal|Fraction).*: write float\(x\)$"):
        make()
    assert (Value(2.0) * Fraction(1, 4)).data == 0.5


def test_truth_value_follows_numpy_and_pytorch():
    assert bool(Tensor([0.0])) is False and bool(Tensor(2.0)) is True and not Tensor([[0]])
    for t in (Tensor([0.0, 1.0]), Tensor(np.zeros(0))):
        with pytest.raises((RuntimeError, ValueError), match="bool: the truth value of a tensor with .* ambiguous"):
            bool(t)


# ------------------------------------------------- every public entry point names the op


def test_backward_grad_of_the_wrong_type_or_shape():
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    # a ragged list raised numpy's "setting an array element with a sequence", naming neither backward nor grad
    for bad in ("ab", b"ab", object(), np.array([None, None]), {"g": 1}, [Value(1.0), Value(2.0)], [[1.0], [1.0, 2.0]]):
        with pytest.raises(TypeError, match=r"backward: grad must be an array of numbers of shape \(2,\)"):
            y.backward(bad)
    with pytest.raises(ValueError, match=r"backward: grad has shape \(3,\) but the output has shape \(2,\)"):
        y.backward(np.ones(3))


def test_backward_from_a_leaf_keeps_a_copy_of_grad_in_the_leafs_dtype():
    # as torch's: the leaf's .grad is its own memory (a later change of the caller's array does not reach it, and a
    # second pass does not add into the caller's array), in the leaf's dtype whatever the dtype of grad
    x = Tensor([1.0, 2.0], requires_grad=True)
    g = np.array([1.0, 3.0], np.float32)
    x.backward(g)
    g[0] = 99.0
    x.backward(np.array([1.0, 1.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    assert x.grad.dtype == np.float32 and g.tolist() == [99.0, 3.0]
    y = x * 2
    y.backward(Tensor([1, 2]))  # a Tensor of ints as the seed of an op's result
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])


def test_hooks_returning_the_wrong_type_or_shape():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.register_hook(lambda g: "not a gradient")
    with pytest.raises(TypeError, match=r"hook .*: returned str; a gradient hook returns None .* shape \(2,\)"):
        h.sum().backward()
    h2 = x * 2
    h2.register_hook(lambda g: np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"returned a gradient of shape \(2, 2\); expected \(2,\)"):
        h2.sum().backward()
    x.register_hook(lambda g: [1.0, 1.0])  # a list of numbers is a gradient too
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_optimizer_entry_points():
    model = nn.MLP([2, 3, 1], rng=0)
    with pytest.raises(TypeError, match=r"SGD: params must be an iterable of Tensors, got MLP; pass "
                                         r"model\.parameters\(\)"):
        SGD(model, lr=0.1)
    with pytest.raises(TypeError, match=r"SGD: params must be .* a single Tensor; pass a list"):
        SGD(model.parameters()[0], lr=0.1)
    with pytest.raises(TypeError, match="SGD: parameter 0 is not a leaf Tensor"):
        SGD([model.parameters()[0] * 2], lr=0.1)
    with pytest.raises(TypeError, match="SGD: lr must be a number"):
        SGD(model.parameters(), lr="0.1")
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"grad: a tensor of shape \(2, 3\) takes None or real numbers of that shape "
                                         r"as its \.grad, got ndarray of shape \(5, 5\)"):
        model.parameters()[0].grad = np.ones((5, 5))  # refused where it is assigned, so SGD steps real arrays
    opt.step()  # no .grad: nothing moves
    assert model.parameters()[0].grad is None


def test_factories_and_axes():
    for make in (Tensor.zeros, Tensor.ones, Tensor.randn):
        with pytest.raises(ValueError, match=rf"{make.__name__}: each size must be >= 0, got -1"):
            make(2, -1)
        with pytest.raises(TypeError, match=rf"{make.__name__}: each size must be a whole number, got float"):
            make(1.5)
    assert Tensor.zeros((2, 0)).shape == (2, 0) and Tensor.ones(3).shape == (3,)
    for make, shape in ((Tensor.randn, (2**31, 2**30)), (Tensor.ones, (2**40, 2**40))):
        with pytest.raises(ValueError, match=rf"{make.__name__}: shape \(.*\) has more elements than a numpy array"):
            make(*shape)  # numpy's 'array is too big'
    with pytest.raises(ValueError, match=r"zeros: each size must be <= 2\^60 - 1, .*, got about 2\^1328"):
        Tensor.zeros(10**400)  # numpy's 'Maximum allowed dimension exceeded'
    with pytest.raises(ValueError, match=r"zeros: each size must be <= 2\^60 - 1, .*, got about 2\^60"):
        Tensor.zeros(0, 2**60)  # numpy's 'array is too big', though it has no element
    x = Tensor(np.ones((2, 3)))
    for f in (x.sum, x.mean, x.max, x.softmax, x.log_softmax):
        with pytest.raises(TypeError, match=r"axis must be an int or a tuple of ints, got float 1\.0"):
            f(axis=1.0)
    with pytest.raises(TypeError, match="sum: keepdims must be True or False"):
        x.sum(keepdims="yes")
    with pytest.raises(TypeError, match="reshape: each size must be a whole number"):
        x.reshape(3.0, 2)


def test_loss_targets():
    logits = Tensor(np.zeros((2, 3)), requires_grad=True)
    for bad in (np.array([0.0, np.inf]), np.array([np.nan, 1.0])):
        with pytest.raises(ValueError, match="cross_entropy: targets contain nan or inf"):
            cross_entropy(logits, bad)
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits: targets must lie in"):
        binary_cross_entropy_with_logits(logits, np.full((2, 3), np.nan))
    with pytest.raises(TypeError, match="mse_loss: expected numbers"):
        mse_loss(logits, np.array([["a"] * 3] * 2))


def test_a_graph_after_backward_holds_what_it_saved_no_longer():
    """Backward frees what every op saved: a loss kept after backward holds its nodes (ops, shapes, dtypes) and its
    leaves, not the intermediate arrays; `del loss` then frees the rest at once."""
    import tracemalloc

    from tinygrad_init.autograd import topological_order
    from tinygrad_init.core.tensor import _FREED, Node

    rng = np.random.default_rng(0)
    x, w = Tensor(rng.standard_normal((200, 100)), requires_grad=True), Tensor(rng.standard_normal((100, 100)))
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        z = x @ w * 0.1
        h = (z.tanh() + z.sigmoid() + z.relu() + z.softplus() + (z ** 2).exp().log() - z / 3)[::2].T.reshape(-1, 50)
        loss = h.log_softmax().mean() + h.softmax().max(axis=1).sum() + binary_cross_entropy_with_logits(
            h, np.ones(h.shape)) + mse_loss(h, np.zeros(h.shape))
        del z, h
        built = tracemalloc.get_traced_memory()[0] - base
        loss.backward()
        x.grad = None
        kept = tracemalloc.get_traced_memory()[0] - base
        nodes = [n for n in topological_order(loss) if type(n) is Node]
        assert nodes and all(n.saved is _FREED or n.saved is None for n in nodes)
        del loss, nodes
        left = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert kept < 0.2 * built and left < 0.02 * built, (built, kept, left)  # kept: the two targets, 9% of it


def test_graphs_form_no_reference_cycles():
    """Both engines' graphs are freed by reference counting alone: the collector finds nothing to do."""
    import gc

    model = nn.MLP([3, 8, 1], activation="tanh", rng=0)
    x = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            loss = mse_loss(model(x), np.zeros((4, 1), np.float32))
            loss.backward(retain_grads=True)
            h = x * 2
            h.register_hook(lambda g: g)
            (h.sum() * 1.0).backward()
            a, b = Value(0.5), Value(-1.5)
            out = Value.sum([(a * b).tanh(), a ** 2, b.relu(), 1.0 / a])
            out.backward()
            del loss, h, a, b, out
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
