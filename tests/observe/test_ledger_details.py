"""The ledger's smaller promises: nesting to the end of a pass, the empty ledger's text, layers of plain tensors."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, autograd, ledger
from tinygrad_init.ledger import layer_gains


class Ends:
    """A recorder that counts the passes begun and ended."""

    def __init__(self):
        self.begun = self.steps = self.ended = 0

    def begin(self, root, order):
        self.begun += 1

    def step(self, *args):
        self.steps += 1

    def end(self, root):
        self.ended += 1


def test_a_recorder_installed_before_a_ledger_is_told_when_each_pass_ends():
    spy = Ends()
    previous = autograd.set_recorder(spy)
    try:
        x = Value(3.0, label="x")
        with ledger.record() as outer:
            with ledger.record() as inner:
                (x * x).backward()
        assert (spy.begun, spy.steps, spy.ended) == (1, 2, 1)
    finally:
        autograd.set_recorder(previous)
    # the outer ledger heard the end through the inner one: its pass is complete, as the inner's
    assert outer.passes[0].complete and inner.passes[0].complete
    assert "interrupted" not in outer.explain()


def test_an_empty_ledger_says_no_backward_pass_was_recorded():
    assert ledger.Ledger().explain() == "(no backward pass was recorded)"
    with ledger.record() as steps:
        pass
    assert steps.explain(max_lines=5) == "(no backward pass was recorded)"


def test_layer_gains_of_plain_tensors_name_the_weights_as_the_ledger_does():
    # no nn.Linear: the weights have no names; a row names its matmul and weight by their place in the graph
    # (x n0, W1 n1, x @ W1 matmul#2, tanh#3, W2 n4, and the output, the root of backward(G): L), as explain() does
    rng = np.random.default_rng(0)
    X, W1, W2, G = (rng.standard_normal(s) for s in ((4, 3), (3, 5), (5, 2), (4, 2)))
    w1, w2 = Tensor(W1, requires_grad=True), Tensor(W2, requires_grad=True)
    with ledger.record() as steps:
        ((Tensor(X) @ w1).tanh() @ w2).backward(G)
    first, second = layer_gains(steps)
    assert [(g.layer, g.name, g.weight) for g in (first, second)] == [(1, "matmul#2", "n1"), (2, "L", "n4")]
    h1 = np.tanh(X @ W1)
    dh1 = G @ W2.T
    dz1 = dh1 * (1 - h1 ** 2)
    norm = np.linalg.norm
    assert first.grad_out == pytest.approx(norm(dz1), rel=1e-12)
    assert second.gain == pytest.approx(norm(dh1) / norm(G), rel=1e-12)
    assert "dL/dn1 = " in steps.explain() and "dL/dn4 = " in steps.explain()


def _passes(n):
    with ledger.record() as steps:
        for name in "abcd"[:n]:
            out = Value(1.0) * 2.0
            out.label = name
            out.backward()
    return steps


def test_the_ledgers_repr_names_three_roots_and_marks_more_with_dots():
    assert repr(_passes(3)) == "Ledger(3 steps in 3 backward passes from a, b, c)"
    assert repr(_passes(4)) == "Ledger(4 steps in 4 backward passes from a, b, c, ...)"
    assert repr(_passes(1)) == "Ledger(1 step in 1 backward pass from a)"


def test_a_hook_running_during_backward_reads_the_steps_of_the_pass_so_far():
    # L = sum(2 x): step 1 sum -> mul, step 2 mul -> x; x's hook runs once its gradient is complete, after step 2
    x = Tensor(np.ones(3), requires_grad=True)
    seen = []
    with ledger.record() as steps:
        x.register_hook(lambda g: seen.append([s.parent_name for s in steps.pass_steps()]))
        (x * 2.0).sum().backward()
    assert seen == [["mul#2", "n0"]]


def test_layer_gains_explain_writes_four_significant_digits_by_default():
    rng = np.random.default_rng(0)
    X, W1, W2 = (rng.standard_normal(s) for s in ((4, 3), (3, 5), (5, 2)))
    w1, w2 = Tensor(W1, requires_grad=True), Tensor(W2, requires_grad=True)
    with ledger.record() as steps:
        ((Tensor(X) @ w1).tanh() @ w2).sum().backward()
    dz1 = (np.ones((4, 2)) @ W2.T) * (1 - np.tanh(X @ W1) ** 2)
    row1, row2 = (row.split() for row in layer_gains(steps).explain().splitlines()[1:3])
    assert row1[:3] == ["1", "matmul#2", f"{np.linalg.norm(dz1):.4g}"]
    assert row2[:3] == ["2", "matmul#5", "2.828"]  # |dL/dz_2| = |ones(4, 2)| = sqrt(8) = 2.8284...


def test_records_are_read_only():
    with ledger.record() as steps:
        (Value(1.0) * 2.0).backward()
    with pytest.raises(AttributeError):
        steps[0].local = 3.0
    x, w = Tensor(np.ones((1, 2))), Tensor(np.ones((2, 1)), requires_grad=True)
    with ledger.record() as steps:
        (x @ w).sum().backward()
    with pytest.raises(AttributeError):
        layer_gains(steps)[0].gain = 1.0


def test_layer_gains_explain_multiplies_the_gains_from_each_layer_to_the_output():
    # three matmul layers of plain tensors, tanh between; gain_l = |dL/dh_{l-1}| / |dL/dh_l| (the last: over |dL/dz|)
    rng = np.random.default_rng(1)
    X, W1, W2, W3 = (rng.standard_normal(s) for s in ((4, 3), (3, 5), (5, 5), (5, 2)))
    ws = [Tensor(W, requires_grad=True) for W in (W1, W2, W3)]
    with ledger.record() as steps:
        (((Tensor(X) @ ws[0]).tanh() @ ws[1]).tanh() @ ws[2]).sum().backward()
    h1 = np.tanh(X @ W1)
    h2 = np.tanh(h1 @ W2)
    dz3 = np.ones((4, 2))
    dh2 = dz3 @ W3.T
    dh1 = (dh2 * (1 - h2 ** 2)) @ W2.T
    norm = np.linalg.norm
    gain2, gain3 = norm(dh1) / norm(dh2), norm(dh2) / norm(dz3)
    rows = [row.split() for row in layer_gains(steps).explain(digits=6).splitlines()[1:4]]
    assert [row[-1] for row in rows] == ["-", f"{gain2 * gain3:.6g}", f"{gain3:.6g}"]  # layer 1: x has no gradient


@pytest.mark.parametrize("arrays", ["no", None, 0, [True]])
def test_arrays_that_is_not_true_or_false_is_refused_by_name(arrays):
    # record(arrays="no") kept a copy of every tensor step's arrays: bool("no") is True
    with pytest.raises(TypeError, match=r"Ledger: arrays must be True or False, got"):
        with ledger.record(arrays=arrays):
            pass
    assert autograd.get_recorder() is None


def test_a_tensor_is_looked_up_in_a_states_gradients_by_itself():
    # h = x @ w is a graph node (h.grad_fn) in the ledger; `h in state.grads` and state.grads[h] find it by h
    w = Tensor(np.array([[1.0], [2.0]]), requires_grad=True, name="w")
    h = Tensor(np.array([[3.0, 4.0]])) @ w
    loss = h.sum()
    with ledger.record() as steps:
        loss.backward()
    first, last = steps.state(0), steps.state(len(steps))
    assert loss in first.grads and h not in first.grads and h not in first.complete
    assert h in last.grads and h in last.complete and last.grads[h] == last.grads.get(h) == (h.shape, 1.0, 0.0, 1.0)
    assert w in last.grads and last.grads[w].norm == 5.0  # dL/dw = x.T = (3, 4)


def test_path_products_lists_exactly_max_paths_paths_and_the_gains_table_ends_with_its_key():
    x = Value(3.0, label="x")
    y = x * x  # two edges x -> y: two paths
    assert len(ledger.path_products(y, x, max_paths=2)) == 2 == ledger.count_paths(y, x)
    w = Tensor(np.array([[2.0]]), requires_grad=True, name="w")
    loss = (Tensor(np.array([[1.0]])) @ w).sum()
    with ledger.record() as steps:
        loss.backward()
    assert layer_gains(steps).explain().splitlines()[-1] == (
        "gain = |dL/dh_in| / |dL/dh_out| per layer; product = gain of this layer and all after it (how much of the "
        "output gradient reaches the layer's input)")


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_a_step_is_itself_only_so_two_ledgers_of_one_pass_hold_different_steps_and_steps_key_a_dict(engine):
    x = Value(3.0, label="x") if engine == "value" else Tensor(np.array([3.0]), requires_grad=True, name="x")
    loss = (x * x).sum() if engine == "tensor" else x * x
    with ledger.record() as outer, ledger.record() as inner:
        loss.backward()
    n = 2 if engine == "value" else 3  # x * x: two steps into x (and a sum's)
    assert len(outer) == len(inner) == n and all(a == a and a != b for a, b in zip(outer, inner))
    assert len({**dict.fromkeys(outer), **dict.fromkeys(inner)}) == 2 * n


def test_a_ledger_keeps_no_arrays_unless_asked():
    w = Tensor(np.array([2.0]), requires_grad=True)
    with ledger.record() as steps:
        (w * w).sum().backward()
    assert ledger.Ledger().arrays is False and steps.arrays is False and all(s.arrays is None for s in steps)


def test_a_step_and_a_pass_show_their_numbers_and_names_not_their_nodes_or_arrays():
    w = Tensor(np.array([2.0]), requires_grad=True)
    with ledger.record(arrays=True) as steps:
        (w * w).sum().backward()
    assert repr(steps[0]).startswith("TensorStep(index=0, pass_index=0, parent_index=0, node_name='L', parent_name=")
    assert repr(steps.passes[0]) == ("Pass(index=0, scalar=False, seed=GradStats(shape=(), mean=1.0, std=0.0, "
                                     "norm=1.0), first_step=0, stop_step=3, complete=True)")
    assert not any(f"{k}=" in repr(s) for s in steps for k in ("node", "parent", "arrays"))


def test_explain_cut_to_exactly_its_length_says_nothing_more_and_a_state_shows_its_k_and_step_only():
    a = Value(2.0, label="a")
    out = (a * 3.0).tanh()
    with ledger.record() as steps:
        out.backward()
    whole = steps.explain().splitlines()
    assert len(whole) == 3 and steps.explain(max_lines=3).splitlines() == whole  # no "... 0 more lines"
    assert steps.explain(max_lines=2).splitlines() == whole[:2] + ["... 1 more line"]
    assert "cut to `max_lines` and one counting the rest" in steps.explain.__doc__  # said "at most `max_lines` lines"
    assert ledger.format_number(1234.5, 4) == "1234"  # its docstring said "a float always with a point"
    assert "unless its digits end before it" in ledger.format_number.__doc__
    assert repr(steps.state(1)) == f"LedgerState(k=1, step={steps[0]!r})"
    with pytest.raises(TypeError, match=r"^path_products works on Value \(scalar\) graphs, .* Got a float: "):
        ledger.path_products(2.0, a)


def test_path_products_explained_with_every_path_shown_announces_no_more():
    x = Value(3.0, label="x")
    pp = ledger.path_products(x * x, x)
    assert [line for line in pp.explain(max_paths=2).splitlines() if "more path" in line] == []
    assert pp.explain(max_paths=1).splitlines()[2] == "  ... 1 more path"


def test_a_layers_weight_is_named_by_the_matmuls_second_input_even_when_the_data_has_a_name():
    x = Tensor(np.array([[1.0, 2.0]]), name="x")
    w = Tensor(np.array([[1.0], [1.0]]), requires_grad=True, name="W")
    with ledger.record() as steps:
        (x @ w).sum().backward()
    (gain,) = layer_gains(steps)
    assert (gain.layer, gain.name, gain.weight, gain.grad_out, gain.grad_in) == (1, "matmul#2", "W", 1.0, None)


def test_a_pass_index_one_past_the_last_is_refused_by_the_ledgers_message():
    x = Value(2.0)
    with ledger.record() as steps:
        (x * x).backward()
    for bad in (1, -2):
        with pytest.raises(IndexError, match=rf"^Ledger: there is no pass {bad}; 1 was recorded \(pass 0 or -1\)$"):
            steps.get_pass(bad)


def test_a_leaf_roots_final_gradient_is_its_hooks_result_even_without_a_step():
    w = Tensor(np.array(2.0), requires_grad=True, name="w")
    w.register_hook(lambda g: g * 3)  # backward from w itself: no step, the hook triples the seed 1
    with ledger.record() as steps:
        w.backward()
    assert len(steps) == 0 and float(w.grad) == 3.0 and steps.final_grads()[w] == ((), 3.0, 0.0, 3.0)


def test_a_state_and_a_path_are_fixed_values():
    x = Value(3.0, label="x")
    y = x * x
    with ledger.record() as steps:
        y.backward()
    state, path = steps.state(1), ledger.path_products(y, x)[0]
    for record, field in ((state, "k"), (path, "product")):
        with pytest.raises(AttributeError):
            setattr(record, field, 0)


def test_an_unlabelled_power_is_named_pow_whatever_its_exponent():
    x = Value(3.0)
    y = (x ** 2) * x + x ** 3
    assert list(ledger.node_names(autograd.topological_order(y)).values()) == ["n0", "pow#1", "mul#2", "pow#3", "L"]


@pytest.mark.parametrize("order", [None, 3, Value(1.0)])
def test_node_names_names_an_order_that_is_no_list(order) -> None:  # was "object of type 'NoneType' has no len()"
    with pytest.raises(TypeError, match="node_names: order must be a list of nodes"):
        ledger.node_names(order)


def _steps():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    with ledger.record() as steps:
        (a * b + a).backward()
    return steps


@pytest.mark.parametrize("call,error,message", [
    # each named another function (format_number, Ledger) or was Python's own error from inside
    (lambda: _steps().line(0, digits=0), ValueError, r"^Ledger\.line: digits must be >= 1, got 0"),
    (lambda: _steps().get_pass(3), IndexError, r"^Ledger: there is no pass 3"),
])
def test_bad_arguments_are_named_by_the_function_called(call, error, message):
    with pytest.raises(error, match=message):
        call()
