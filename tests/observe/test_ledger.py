"""The chain-rule ledger: steps in engine order, exact numbers, sane recording, path sums, layer gains."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, autograd, ledger, nn
from tinygrad_init.observe.draw import mlp_loss
from tinygrad_init.ledger import GradStats, format_number, layer_gains, node_names, path_products


def tiny():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    o = (a * b + c).tanh()
    o.label = "o"
    return a, b, c, o


class Spy:
    """A recorder that keeps the raw (node, parent, upstream, local, contribution) calls."""

    def __init__(self):
        self.calls = []
        self.begun = self.ended = 0

    def begin(self, root, order):
        self.begun += 1

    def step(self, node, parent, upstream, local, contribution):
        self.calls.append((node, parent, upstream, local, contribution))

    def end(self, root):
        self.ended += 1


# ----------------------------------------------------------------------------- Value


def test_value_ledger_golden_lines():
    a, b, c, o = tiny()
    with ledger.record() as steps:
        o.backward()
    t = math.tanh(4.0)
    d = 1 - t * t
    assert steps.explain().splitlines() == [
        "do/do = 1.0   (the seed: backward starts here)",
        f"do/d(add#4) = do/do × ∂o/∂(add#4) (local) = 1.0 × {format_number(d)} = {format_number(d)}",
        f"do/d(mul#2) = do/d(add#4) × d(add#4)/d(mul#2) = {format_number(d)} × 1.0 = {format_number(d)}",
        f"do/dc = do/d(add#4) × d(add#4)/dc = {format_number(d)} × 1.0 = {format_number(d)}",
        f"do/da = do/d(mul#2) × d(mul#2)/da = {format_number(d)} × -3.0 = {format_number(-3 * d)}",
        f"do/db = do/d(mul#2) × d(mul#2)/db = {format_number(d)} × 2.0 = {format_number(2 * d)}",
    ]
    assert format_number(d) == "0.00134095"


def test_value_steps_exact_numbers_and_engine_order():
    a, b, c, o = tiny()
    spy = Spy()
    previous = autograd.set_recorder(spy)
    try:
        o.backward()
    finally:
        autograd.set_recorder(previous)
    a.grad = b.grad = c.grad = 0.0
    with ledger.record() as steps:
        o.backward()
    assert len(steps) == len(spy.calls) == 5
    for s, (node, parent, up, loc, con) in zip(steps, spy.calls):
        assert s.node is node and s.parent is parent
        assert s.upstream == up and s.local == loc and s.contribution == con  # exact, not approx
        assert s.contribution == s.upstream * s.local
    # the last step to each node leaves its final gradient
    final = {s.parent: s.grad_after for s in steps}
    assert final[a] == a.grad and final[b] == b.grad and final[c] == c.grad
    t = math.tanh(4.0)
    assert a.grad == (1 - t) * (1 + t) * -3.0  # the local derivative 1 - t^2, computed without cancellation
    assert [s.parent_name for s in steps] == ["add#4", "mul#2", "c", "a", "b"]
    assert steps[0].gain == abs(steps[0].local)


def test_accumulation_is_shown_when_a_node_feeds_two():
    a = Value(3.0, label="a")
    b = a * 2.0
    c = a + 1.0
    d = b * c
    d.label = "L"
    with ledger.record() as steps:
        d.backward()
    lines = steps.explain().splitlines()
    to_a = [ln for ln in lines if ln.startswith("dL/da")]
    assert len(to_a) == 2
    assert to_a[0].startswith("dL/da = ") and "(contribution 1 of 2: a feeds 2 nodes)" in to_a[0]
    # dL/da = 2c + b = 2*4 + 6 = 14
    assert to_a[1].startswith("dL/da += ") and to_a[1].endswith("(now 14.0: a feeds 2 nodes)")
    assert a.grad == 14.0


def test_same_node_twice_in_one_op_and_paths():
    x = Value(3.0, label="x")
    y = x * x + x
    with ledger.record() as steps:
        y.backward()
    last = steps.explain().splitlines()[-1]
    assert last.endswith("(now 7.0: x is used 3 times by 2 nodes)")
    assert [s.parent_index for s in steps if s.parent is x] == [1, 0, 1]
    pp = path_products(y, x)
    assert len(pp) == 3 and pp.total == 7.0 == x.grad
    assert sorted(p.product for p in pp) == [1.0, 3.0, 3.0]


def test_leftover_gradient_from_an_earlier_backward_is_pointed_out():
    w = Value(2.0, label="w")
    loss = w * 3.0
    loss.backward()
    with ledger.record() as steps:
        loss.backward()
    assert steps[0].earlier_grad == 3.0 and steps[0].grad_after == 6.0
    line = steps.explain().splitlines()[-1]
    assert line.startswith("dL/dw += ") and "including 3.0 left from an earlier backward()" in line
    assert "zero_grad()" in line
    v = Value(2.0, label="v")
    sq = v * v
    sq.backward()
    with ledger.record() as steps:
        sq.backward()
    # the leftover is part of the first contribution's sum only: the second adds to a sum that already holds it
    assert [s.earlier_grad for s in steps] == [4.0, None] and v.grad == 8.0
    assert ["earlier backward" in line for line in steps.explain().splitlines()] == [False, True, False]


def test_names_labels_generated_and_duplicates():
    p = Value(1.0, label="w")
    q = Value(2.0, label="w")
    r = Value(4.0)
    out = (p * q + r).exp()
    names = node_names(autograd.topological_order(out))
    assert sorted(names.values()) == sorted(["w#0", "w#1", "mul#2", "n3", "add#4", "L"])
    assert names[r] == "n3" and names[out] == "L"
    # deterministic: a rebuilt graph gets the same names
    p2, q2, r2 = Value(1.0, label="w"), Value(2.0, label="w"), Value(4.0)
    out2 = (p2 * q2 + r2).exp()
    assert list(node_names(autograd.topological_order(out2)).values()) == list(names.values())


def test_a_node_labelled_l_keeps_its_name_and_the_unlabelled_output_is_named_by_its_op():
    # the output's default name "L" took precedence over the user's own leaf L: both were renamed, L#0 and L#2
    leaf = Value(3.0, label="L")
    out = leaf * 2 + leaf
    with ledger.record() as steps:
        out.backward()
    names = steps.get_pass().names
    assert (names[leaf], names[out]) == ("L", "add#2") and steps.get_pass().root_symbol == "add#2"
    assert steps.line(1) == "d(add#2)/dL = d(add#2)/d(add#2) × ∂(add#2)/∂L (local) = 1.0 × 1.0 = 1.0   " \
        "(contribution 1 of 2: L feeds 2 nodes)"
    labelled = out * 1.0
    labelled.label = "L"  # two nodes labelled L, the leaf and the output: numbered, as any two of one label are
    assert node_names(autograd.topological_order(labelled))[labelled] == "L#3"
    assert node_names(autograd.topological_order(out.tanh()))[leaf] == "L"


def test_a_label_with_a_line_break_or_tab_is_named_on_one_line_and_a_blank_one_by_its_place():
    # a label "two\nlines" split each ledger line it named in two (explain: 7 lines for 5 steps and the seed);
    # a label of spaces was written as one: "dL/d( )", "contribution 1 of 2:   feeds 2 nodes"
    a, b = Value(2.0, label="two\nlines"), Value(3.0, label=" \t ")
    out = a * b + a
    with ledger.record() as steps:
        out.backward()
    assert node_names(steps.get_pass().order)[a] == "two lines" and steps[2].parent_name == "two lines"
    assert len(steps.explain().splitlines()) == len(steps) + 1 and "d(two lines)" in steps.explain()
    assert steps[-1].parent_name == "n1" and "dL/dn1 = " in steps.line(len(steps) - 1)


def test_to_rows_and_to_dict_are_plain_data():
    *_, o = tiny()
    with ledger.record() as steps:
        o.backward()
    rows = steps.to_rows()
    assert rows[3]["parent"] == "a" and rows[3]["local"] == -3.0 and rows[3]["node"] == "mul#2"
    assert rows[3]["gain"] == 3.0  # |local|: a factor -3 triples the gradient's size
    d = steps.to_dict()
    json.dumps(d)  # no node objects inside
    assert d["passes"][0]["root"] == "o" and d["passes"][0]["engine"] == "value" and len(d["steps"]) == 5


def test_state_fills_gradients_step_by_step():
    a, b, c, o = tiny()
    with ledger.record() as steps:
        o.backward()
    s0 = steps.state(0)
    assert s0.grads == {o: 1.0} and s0.step is None and s0.complete == {o}
    s2 = steps.state(2)
    assert set(s2.grads) == {o, steps[0].parent, steps[1].parent}
    assert s2.step is steps[1]
    end = steps.state(len(steps))
    assert end.grads[a] == a.grad and end.grads[b] == b.grad
    assert len(end.complete) == 6
    with pytest.raises(IndexError, match="between 0 and 5"):
        steps.state(6)


def test_reading_a_ledger_with_wrong_arguments_names_them():
    *_, o = tiny()
    with ledger.record() as steps:
        o.backward()
    with pytest.raises(TypeError, match="Ledger.state: k must be a whole number, got float"):
        steps.state(1.0)
    with pytest.raises(TypeError, match="Ledger: pass_index must be a whole number, got str"):
        steps.get_pass("0")
    with pytest.raises(IndexError, match="Ledger.line: there is no step 5; 5 were recorded"):
        steps.line(5)
    assert steps.line(-1) == steps.line(4)  # counted from the end, as a sequence is
    with pytest.raises(ValueError, match="Ledger.explain: max_lines must be >= 0"):
        steps.explain(max_lines=-1)
    assert steps.explain(max_lines=2).splitlines()[-1] == "... 4 more lines"


@pytest.mark.parametrize("digits, error", [("x", TypeError), (2.5, TypeError), (0, ValueError), (-1, ValueError)])
def test_digits_that_are_not_a_count_of_digits_are_refused_by_name(digits, error):
    *_, o = tiny()
    with ledger.record() as steps:
        o.backward()
    # 'x' failed deep inside int(); 0, -1 and 2.5 were silently read as some other number of digits
    for read in (steps.explain, lambda digits: steps.line(0, digits), steps.seed_line,
                 lambda digits: ledger.path_products(o, o.parents[0]).explain(digits)):
        with pytest.raises(error, match="digits must be"):
            read(digits=digits)
    assert steps.line(0, digits=2) == "do/d(add#4) = do/do × ∂o/∂(add#4) (local) = 1.0 × 0.0013 = 0.0013"


# ----------------------------------------------------------------------------- recording


def test_no_recorder_after_record():
    *_, o = tiny()
    with ledger.record():
        o.backward()
    assert autograd.get_recorder() is None


def test_a_ledger_keeps_no_gradient_that_the_leaves_held_before_its_pass():
    # a pass that adds to gradients left by an earlier backward set them aside, and the ledger kept that dict after
    # the pass: a Linear(1000, 1000)'s 4 MB gradient stayed in memory after zero_grad(), for as long as the ledger
    import weakref

    model, x = nn.Linear(300, 200, rng=0), Tensor(np.ones((2, 300), np.float32))
    model(x).sum().backward()
    earlier = weakref.ref(model.weight.grad)
    with ledger.record() as steps:
        model(x).sum().backward()
    model.zero_grad()
    assert earlier() is None and "left from an earlier backward()" in steps.explain()


def test_nested_ledgers_both_record_and_restore():
    *_, o = tiny()
    with ledger.record() as outer:
        o.backward()
        with ledger.record() as inner:
            o.backward()
        assert autograd.get_recorder() is not None
        o.backward()
    assert autograd.get_recorder() is None
    assert len(outer.passes) == 3 and len(inner.passes) == 1
    assert len(outer) == 15 and len(inner) == 5
    assert "backward pass 2 from o" in outer.explain()


def test_overlapping_ledgers_closed_out_of_order():
    *_, o = tiny()
    cm1, cm2 = ledger.record(), ledger.record()
    l1 = cm1.__enter__()
    l2 = cm2.__enter__()
    cm1.__exit__(None, None, None)  # the first one closes first
    o.backward()
    assert len(l1) == 0 and len(l2) == 5
    cm2.__exit__(None, None, None)
    assert autograd.get_recorder() is None


def test_recorder_restored_on_error_and_outer_recorder_keeps_receiving():
    spy = Spy()
    autograd.set_recorder(spy)
    try:
        x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
        y = (x * 3.0).sum()

        def bad_hook(g):
            raise RuntimeError("hook failed")

        h = x.register_hook(bad_hook)
        with pytest.raises(RuntimeError, match="hook failed"):
            with ledger.record() as steps:
                y.backward(retain_graph=True)
        h.remove()
        assert autograd.get_recorder() is spy  # the recorder installed before is back
        assert steps.passes[0].complete is False
        assert steps.explain().splitlines()[-1].startswith("(backward was interrupted by an error here")
        with ledger.record() as steps2:
            y.backward()
        assert len(steps2) == 2 and len(spy.calls) == 2 + 2  # both passes reached the spy
    finally:
        autograd.set_recorder(None)


def test_an_interrupted_pass_keeps_only_its_own_steps():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (x * 3.0).sum()
    h = x.register_hook(lambda g: 1 / 0)
    with ledger.record() as steps:
        with pytest.raises(ZeroDivisionError):
            y.backward(retain_graph=True)
        h.remove()
        y.backward()
    first, second = steps.passes
    assert (first.complete, first.stop_step, second.first_step, second.complete) == (False, 2, 2, True)
    assert len(steps.pass_steps(0)) == len(steps.pass_steps(1)) == 2
    assert "interrupted by an error here" in steps.explain().split("backward pass 2")[0]
    assert [line for line in steps.explain().splitlines() if line.startswith("backward pass")] == [
        "backward pass 1 from L (pass_index=0; interrupted by an error):", "backward pass 2 from L (pass_index=1):"]


# ----------------------------------------------------------------------------- Tensor


def test_tensor_steps_rules_shapes_norms_and_gain():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)))
    W = Tensor(rng.standard_normal((3, 5)), requires_grad=True, name="W")
    bias = Tensor(rng.standard_normal(5), requires_grad=True, name="b")
    h = (x @ W + bias).tanh()
    up = rng.standard_normal((4, 5))  # non-uniform upstream gradient
    with ledger.record(arrays=True) as steps:
        h.backward(up)
    by_parent = {s.parent_name: s for s in steps}
    sw = by_parent["W"]
    assert isinstance(sw, ledger.TensorStep) and sw.rule == "dW = x.T @ g" and sw.op == "matmul"
    assert sw.upstream.shape == (4, 5) and sw.grad_after.shape == (3, 5)
    g, contribution, _ = sw.arrays
    np.testing.assert_allclose(contribution, x.data.T @ g, rtol=1e-12)
    np.testing.assert_allclose(W.grad, x.data.T @ g, rtol=1e-12)
    assert sw.contribution.norm == pytest.approx(np.linalg.norm(x.data.T @ g), rel=1e-12)
    assert sw.upstream.norm == pytest.approx(np.linalg.norm(g), rel=1e-12)
    assert sw.gain == pytest.approx(sw.contribution.norm / sw.upstream.norm, rel=1e-15)
    assert sw.upstream.std == pytest.approx(g.std(), rel=1e-12)
    sb = by_parent["b"]
    assert sb.rule == "db = g" and sb.grad_after.shape == (5,)
    np.testing.assert_allclose(bias.grad, sb.arrays[1])
    st = steps[0]
    assert st.op == "tanh" and st.rule == "dx = g * (1 - tanh(x)**2)"
    assert st.upstream.norm == pytest.approx(np.linalg.norm(up), rel=1e-12)
    line = steps.line(steps.steps.index(sw))
    assert line.startswith("dL/dW = x.T @ g   [matmul: dW = x.T @ g, g = dL/d(matmul#2), x = n0]")
    assert "(4, 5) -> (3, 5)" in line and "gain" in line
    final = steps.final_grads()
    assert final[W].norm == pytest.approx(np.linalg.norm(W.grad), rel=1e-12)
    assert final[h].shape == (4, 5)  # intermediate tensors too, though .grad was dropped


def test_tensor_accumulation_line():
    x = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True, name="x")
    y = (x * x).sum()
    with ledger.record() as steps:
        y.backward()
    lines = steps.explain().splitlines()
    assert "(contribution 1 of 2: x is used 2 times by 1 node)" in lines[2]
    assert lines[3].startswith("dL/dx += g * a")
    assert f"now |dL/dx| = {format_number(np.linalg.norm(2 * x.data))}" in lines[3]


def test_a_gradient_summed_back_over_broadcast_axes_says_so():
    x = Tensor(np.arange(6.0).reshape(3, 2), name="x")
    b, s = Tensor(np.ones(2), requires_grad=True, name="b"), Tensor(2.0, requires_grad=True, name="s")
    with ledger.record() as steps:
        ((x + b) * s).sum().backward()
    line = {st.parent_name: steps.line(st.index) for st in steps}
    # dL/db = g would claim a (3, 2) gradient for a (2,) bias: the engine sums g over the batch axis
    assert line["b"].startswith("dL/db = g, summed over the broadcast axes   [add: db = g, ")
    assert "(3, 2) -> (2,)" in line["b"] and np.array_equal(b.grad, [2.0 * 3, 2.0 * 3])
    assert line["s"].startswith("dL/ds = g * a, summed over the broadcast axes   [mul: db = g * a, ")
    assert line["add#2"].startswith("dL/d(add#2) = g * b   [mul: da = g * b, ")  # same shape: nothing summed


def test_a_tensor_gradient_of_zeros_is_no_leftover_as_a_value_gradient_of_zero_is_none():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True, name="x")
    x.grad = np.zeros(2)  # zeroed in place of set to None, as with torch's set_to_none=False
    w = Value(2.0, label="w")
    w.grad = 0.0
    with ledger.record() as steps:
        (x * 3.0).sum().backward()
        (w * 3.0).backward()
    assert [s.earlier_grad for s in steps if s.parent in (x, w)] == [None, None]
    assert "left from an earlier backward()" not in steps.explain()


def test_gradstats_accurate_for_float32_and_edge_cases():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((300, 7)).astype(np.float32)
    s = GradStats.of(a)
    a64 = a.astype(np.float64)
    assert s.norm == pytest.approx(np.linalg.norm(a64.ravel()), rel=1e-14)
    assert s.std == pytest.approx(a64.std(), rel=1e-12)
    off = rng.standard_normal(1000) + 1e6  # mean far larger than the std
    assert GradStats.of(off).std == pytest.approx(off.std(), rel=1e-9)
    big = GradStats.of(np.array([1e300, 1e300]))
    assert big.norm == pytest.approx(math.sqrt(2) * 1e300, rel=1e-15)
    assert GradStats.of(np.array([np.inf, 1.0])).norm == math.inf
    assert math.isnan(GradStats.of(np.array([np.nan, 1.0])).norm)


# ----------------------------------------------------------------------------- path products


def test_path_products_equal_backward_on_a_diamond():
    rng = np.random.default_rng(1)
    xs = [Value(float(v), label=f"x{i}") for i, v in enumerate(rng.standard_normal(3))]
    h = [(xs[0] * xs[1]).tanh(), (xs[1] + xs[2]).sigmoid(), xs[0] * xs[2]]
    out = (h[0] * h[1] + h[2] * h[0]).exp()
    out.backward()
    for x in xs:
        pp = path_products(out, x)
        assert pp.total == pytest.approx(x.grad, rel=1e-12)
    text = path_products(out, xs[0]).explain()
    assert text.splitlines()[0].startswith("dL/dx0 = sum over 3 paths")  # via h0*h1, h2*h0 (h2), h2*h0 (h0)


def test_path_products_unreachable_and_tensor_refused():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    out = a * 3.0
    assert path_products(out, b).total == 0.0
    assert "no path" in path_products(out, b).explain()
    t = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(TypeError, match="Jacobian"):
        path_products(t.sum(), t)
    for node in ("a", 3.0, None, t):  # not a Value: was "dL/dx = 0.0 over 0 paths", a silent wrong answer
        with pytest.raises(TypeError, match="path_products: node must be a Value"):
            path_products(out, node)
        with pytest.raises(TypeError, match="count_paths: node must be a Value"):
            ledger.count_paths(out, node)


@pytest.mark.parametrize("label", [7, None, np.int64(7)])
def test_path_products_reads_a_label_set_as_a_number_or_none_as_the_ledger_does(label):
    # Value(label=7) is refused, a.label = 7 is taken: path_products then failed with "'int' object has no attribute
    # 'split'", for a node in the graph too, where the ledger names it 7 (None: no label, named as unlabelled)
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    out = a * 3.0
    a.label = b.label = label
    assert path_products(out, a).node_name == ("n0" if label is None else "7")  # the ledger's name
    assert path_products(out, b).node_name == ("x" if label is None else "7")  # no path: its label, or x
    assert path_products(out, a).total == 3.0 and path_products(out, b).total == 0.0

def test_path_products_of_the_root_itself_is_the_seed_one_as_a_float():
    a = Value(2.0, label="a")
    out = a * 3.0
    out.label = "L"
    pp = path_products(out, out)
    assert [p.product for p in pp] == [1.0] and isinstance(pp[0].product, float)  # was the int 1 of math.prod([])
    assert pp.explain().splitlines()[1] == "  L:  1.0 = 1.0"  # was "  L:   = 1", no factor at all


def test_path_products_max_paths_is_checked_by_name():
    x = Value(3.0, label="x")
    y = x * x + x
    pp = path_products(y, x)
    with pytest.raises(ValueError, match="PathProducts.explain: max_paths must be >= 0"):
        pp.explain(max_paths=-1)  # showed 2 of 3 paths and "... 4 more paths"
    for read in (pp.explain, lambda max_paths: path_products(y, x, max_paths=max_paths)):
        with pytest.raises(TypeError, match="max_paths must be a whole number, got str"):
            read(max_paths="2")  # failed with Python's "'>' not supported" or "slice indices must be integers"
    assert pp.explain(max_paths=1).splitlines()[2] == "  ... 2 more paths"
    assert pp.explain(max_paths=2).splitlines()[3] == "  ... 1 more path"  # was "... 1 more paths"
    with pytest.raises(ValueError, match=r"^path_products: 1 path leads from .* more than max_paths=0\. Their"):
        path_products(x * 2.0, x, max_paths=0)  # said "1 paths lead"


def test_path_products_refuses_when_paths_explode():
    x = Value(0.5, label="x")
    h = [x * 1.0, x * 2.0]
    for _ in range(20):  # two units fully connected to the next two: 2^20 paths
        h = [Value.sum([h[0] * 0.5, h[1] * 0.5]), Value.sum([h[0] * 0.25, h[1] * 0.75])]
    out = h[0] + h[1]
    assert ledger.count_paths(out, x) == 2**21
    with pytest.raises(ValueError, match=r"2,097,152 paths lead from L to x, more than max_paths=10,000"):
        path_products(out, x)
    y = x
    for _ in range(50):  # 2^49 paths to the square's input, 2^50 to the square: the number in full below 10^15
        y = y * y
    with pytest.raises(ValueError, match=r"^path_products: 562,949,953,421,312 paths lead from L to x, more"):
        path_products(y.parents[0], x)
    with pytest.raises(ValueError, match=r"^path_products: about 10\^15\.1 paths lead from L to x, more"):
        path_products(y, x)


def test_deep_chain_product_reads_as_vanishing():
    h = x = Value(0.3, label="x")
    for _ in range(40):
        h = (h * 0.2236).tanh()
    h.backward()
    pp = path_products(h, x)
    assert len(pp) == 1 and len(pp.paths[0].locals) == 80
    assert pp.total == pytest.approx(x.grad, rel=1e-12)
    assert pp.total < 1e-25  # 0.2236**40 = 9.8e-27 (tanh' is ~1 at such small activations)
    assert "(80 factors)" in pp.explain()


# ----------------------------------------------------------------------------- layer gains


def small_init():
    from tinygrad_init import init

    try:
        return init.get("small")  # 0.01 * N(0, 1)
    except Exception:  # pragma: no cover - only without the init module's scheme
        return lambda shape, rng=None, dtype=np.float32: (0.01 * np.random.default_rng(rng).standard_normal(shape)
                                                         ).astype(dtype)


def test_layer_gains_small_init_vanish_by_0_01_sqrt_500_per_layer():
    # CS231n (2017) lecture 6, "small random numbers" W = 0.01 * randn(500, 500) in a 10-layer
    # 500-unit tanh net, batch 1000. Backward through a Linear layer, dx = g @ W.T: each entry sums
    # 500 products, so std(dx) = sqrt(500) * 0.01 * std(g), a gain of 0.01 * sqrt(500) = 0.2236;
    # tanh is almost linear at such small activations, so the whole layer's gain is about the same.
    rng = np.random.default_rng(0)
    init = small_init()
    layers = []
    for _ in range(10):
        layers += [nn.Linear(500, 500, init=init, rng=rng), nn.Tanh()]
    model = nn.Sequential(*layers)
    list(model.named_parameters())
    x = Tensor(rng.standard_normal((1000, 500)).astype(np.float32))
    out = model(x)
    loss = (out * Tensor(rng.standard_normal(out.shape).astype(np.float32))).sum()
    with ledger.record() as steps:
        loss.backward()
    gains = layer_gains(steps)
    assert [g.name for g in gains] == [str(2 * i) for i in range(10)]
    expected = 0.01 * math.sqrt(500)
    assert gains[0].linear_gain is None  # the data needs no gradient
    for g in gains[1:]:
        assert g.linear_gain == pytest.approx(expected, rel=0.05)
    for g in gains[2:]:  # past the first layer the activations are tiny and tanh' = 1
        assert g.gain == pytest.approx(expected, rel=0.05)
        assert g.activation_gain is None or g.activation_gain == pytest.approx(1.0, abs=0.01)
    assert gains.product() == pytest.approx(np.prod([g.gain for g in gains[1:]]), rel=1e-12)
    assert gains.product() < expected ** 9 * 1.05 ** 9
    table = gains.explain()
    assert table.splitlines()[0].split()[:4] == ["layer", "module", "|dL/dz|", "|dL/dh_in|"]
    assert table.splitlines()[0] == ("layer  module             |dL/dz|  |dL/dh_in|    W gain    f gain      gain     "
                                     "product")  # as visible_backprop.md shows it: short names in a 14-wide column


def test_layer_gains_reads_a_weight_named_with_a_number_after_it_was_made_as_text():
    # Tensor(name=5) is refused, w.name = 5 is taken: layer_gains then failed with "'int' object has no attribute
    # 'endswith'", where the ledger's own lines name the weight 5
    model = nn.MLP([3, 4, 2], rng=0)
    list(model.named_parameters())
    model.layers[0].weight.name = 5
    loss = model(Tensor(np.ones((2, 3)))).sum()
    with ledger.record() as steps:
        loss.backward()
    gains = layer_gains(steps)
    assert [(g.name, g.weight) for g in gains] == [("matmul#2", "5"), ("layers.2", "layers.2.weight")]

def test_layer_gains_refuses_value_ledgers():
    *_, o = tiny()
    with ledger.record() as steps:
        o.backward()
    with pytest.raises(TypeError, match="path_products"):
        layer_gains(steps)
    with pytest.raises(ValueError, match="^layer_gains: no backward pass"):  # was 'Ledger: ...'
        layer_gains(ledger.Ledger())
    with pytest.raises(IndexError, match="^layer_gains: there is no pass 5; 1 was recorded"):
        layer_gains(steps, pass_index=5)


def test_a_stale_dispatcher_left_installed_does_not_loop():
    *_, o = tiny()
    with ledger.record():
        stale = autograd.get_recorder()
    autograd.set_recorder(stale)  # someone restores it after the ledger closed
    try:
        with ledger.record() as steps:
            o.backward()
        assert len(steps) == 5
    finally:
        autograd.set_recorder(None)


def test_states_sweep_equals_state_k_across_passes():
    *_, o = tiny()
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with ledger.record() as steps:
        o.backward()
        (x * x).sum().backward()
    swept = list(steps.states())
    assert len(swept) == len(steps) + 1 == 5 + 3 + 1
    for k, st in enumerate(swept):
        ref = steps.state(k)
        assert st.k == k and st.step is ref.step and st.pass_ is ref.pass_ and st.complete == ref.complete
        assert st.grads.keys() == ref.grads.keys()
        assert all(st.grads[n] == ref.grads[n] for n in ref.grads)


def test_path_products_of_a_deep_chain_list_every_factor_and_match_backward():
    x = y = Value(0.5, label="x")
    for i in range(3000):
        y = y * 1.001 if i % 2 else y.tanh()
    y.backward()
    (p,) = path_products(y, x)
    assert len(p.locals) == 3000 == len(p.names) - 1 and p.names[0] == "L" and p.names[-1] == "x"
    assert math.isclose(p.product, x.grad, rel_tol=1e-12)


@pytest.mark.parametrize("max_factors", [1, 2, 3, 5])
def test_path_products_explain_shows_each_factor_once_when_cut_short(max_factors):
    x = y = Value(2.0, label="x")
    for k in range(7):
        y = y * Value(float(k + 3))  # the factors 3, 4, ..., 9 (and one for the last product)
    line = path_products(y, x).explain(max_factors=max_factors).splitlines()[1]
    shown = [float(t) for t in line.split(":  ")[1].split(" = ")[0].split("(")[0].replace("...", "").split(" × ")
             if t.strip()]
    assert len(shown) == len(set(shown)) == max_factors and "(7 factors)" in line, line
    assert shown[0] == 9.0 and (max_factors == 1 or shown[-1] == 3.0)  # the first factors, then the last ones
    with pytest.raises(ValueError, match="explain: max_factors must be >= 1"):
        path_products(y, x).explain(max_factors=0)


def test_final_grads_of_hooked_tensors_agree_with_their_grad():
    w = Tensor([1.0, -2.0], requires_grad=True)
    w.register_hook(lambda g: g * 2)
    for _ in range(2):  # the second pass adds to the first pass's gradient, which the hook does not see
        h = (w * 3).retain_grad()
        h.register_hook(lambda g: g * 10)
        with ledger.record() as steps:
            (h * h).sum().backward()
        final = steps.final_grads()
        for t in (w, h):
            assert final[t] == GradStats.of(t.grad), (final[t], t.grad)
    np.testing.assert_array_equal(w.grad, [720.0, -1440.0])  # 2 passes x 2 x 3 x 10 x 2h, h = 3w


def test_readers_of_a_ledger_refuse_anything_else_by_name():
    # a string or an empty ledger used to end in AttributeError, or frames() silently returned []
    from tinygrad_init import draw
    for fn, name, call in (("frames", "steps", lambda x: draw.frames(x)), ("draw_step", "steps", lambda x:
                           draw.draw_step(x, 0)), ("layer_gains", "ledger", lambda x: layer_gains(x))):
        with pytest.raises(TypeError, match=rf"^{fn}: {name} must be a Ledger \(`with ledger.record\(\) as steps.*"
                           "got str 'steps'$"):
            call("steps")
    for fn, call in (("frames", draw.frames), ("draw_step", lambda x: draw.draw_step(x, 0))):  # they said 'Ledger:'
        with pytest.raises(ValueError, match=f"^{fn}: no backward pass was recorded"):
            call(ledger.Ledger())


def test_recording_a_wide_sum_reads_each_nodes_parents_a_bounded_number_of_times(monkeypatch):
    # a Value builds its parents tuple on each read; the ledger read it per step, so recording Value.sum of
    # n leaves built n tuples of n parents (10,000 leaves: 5 s, 100,000: minutes)
    n, built = 300, [0]
    parents = Value.parents.fget
    monkeypatch.setattr(Value, "parents", property(lambda v: built.__setitem__(0, built[0] + len(p := parents(v)))
                                                   or p))
    xs = [Value(float(i)) for i in range(n)]
    s = Value.sum(xs) * 2.0
    with ledger.record() as steps:
        s.backward()
    assert len(steps) == n + 1 and [st.parent_index for st in steps[1:]] == list(range(n))
    assert built[0] <= 5 * (n + 2), built[0]  # a few reads of each parent list, not one per step


def test_explain_with_max_lines_writes_only_the_lines_it_shows(monkeypatch):
    # explain(max_lines=3) of a 100,000-step ledger wrote every line (2 s) and then kept three
    y = Value(0.5, label="x")
    for _ in range(300):
        y = y.tanh()
    with ledger.record() as steps:
        y.backward()
    full, written = steps.explain().splitlines(), []
    line = ledger.Ledger.line
    monkeypatch.setattr(ledger.Ledger, "line", lambda self, k, digits=6: written.append(k) or line(self, k, digits))
    assert steps.explain(max_lines=3).splitlines() == full[:3] + ["... 298 more lines"]
    assert written == [0, 1]


def test_path_products_names_an_astronomical_number_of_paths_in_a_few_characters():
    # y = y + y doubles the paths: 30,000 times gave Python's 'Exceeds the limit (4300 digits) for integer string
    # conversion', and 10,000 times a message with the 3,011 digits of 2 ** 10,000 written out
    x = y = Value(1.0, label="x")
    for _ in range(30_000):
        y = y + y
    assert ledger.count_paths(y, x) == 2 ** 30_000
    with pytest.raises(ValueError, match=r"path_products: about 10\^9030.9 paths lead from L to x, more than") as info:
        path_products(y, x)
    assert len(str(info.value)) < 600
    x = y = Value(1.0, label="x")
    for _ in range(50):
        y = y + y
    with pytest.raises(ValueError, match=r"^path_products: about 10\^15.1 paths lead from L to x"):  # 2 ** 50
        path_products(y, x)


def test_a_hook_that_only_watches_a_leaf_changes_no_line_of_the_ledger():
    # a hooked leaf's earlier gradient is set aside during the pass: the ledger read no leftover and grad_after
    # without it ('dL/dw = ...' instead of '+=', a probe attached to a model changed what the ledger showed)
    def two_passes(hooked):
        w = Tensor([1.0, -2.0], requires_grad=True, name="w")
        if hooked:
            w.register_hook(lambda g: None)
        with ledger.record(arrays=True) as steps:
            for _ in range(2):
                (w * w * 3).sum().backward()
        return steps

    plain, hooked = two_passes(False), two_passes(True)
    assert [plain.line(k) for k in range(len(plain))] == [hooked.line(k) for k in range(len(hooked))]
    assert any("left from an earlier backward()" in hooked.line(s.index) for s in hooked.pass_steps(1))
    for a, b in zip(plain, hooked):
        np.testing.assert_array_equal(a.arrays[2], b.arrays[2])
    assert hooked.final_grads()[hooked[-1].parent] == plain[-1].grad_after


def test_a_greek_name_is_one_identifier_and_reads_without_parentheses():
    # the lines write dL/dx, and dL/d(add#2) for a name that is not one identifier; 'β' is one, as in Python
    b, w = Value(0.5, label="β"), Value(2.0, label="w_1")
    out = b * w
    out.label = "ℓ"
    with ledger.record() as steps:
        out.backward()
    assert steps.seed_line() == "dℓ/dℓ = 1.0   (the seed: backward starts here)"
    assert steps.line(0) == "dℓ/dβ = dℓ/dℓ × ∂ℓ/∂β (local) = 1.0 × 2.0 = 2.0"
    assert steps.line(1).startswith("dℓ/dw_1 = ")


def test_a_float_keeps_its_point_only_where_no_digit_was_rounded_away():
    # 2345.67 at the pictures' 4 digits read "2346.0" and 1234.5 "1234.0": a decimal the number does not have
    for x, digits, want in [(2345.67, 4, "2346"), (1234.5, 4, "1234"), (123.4, 3, "123"), (2346.0, 4, "2346.0"),
                            (-3.0, 6, "-3.0"), (0.0, 4, "0.0"), (1234.5, 6, "1234.5"), (99999.0, 3, "1e+5"),
                            (1.0000001, 4, "1.0"), (0.99999, 3, "1.0")]:
        assert format_number(x, digits) == want, (x, digits)


def test_a_batched_matmul_gradient_summed_back_over_the_batch_says_so():
    x = Tensor(np.ones((2, 3, 4)), requires_grad=True, name="x")
    W = Tensor(np.ones((4, 5)), requires_grad=True, name="W")
    v = Tensor(np.ones(4), requires_grad=True, name="v")
    with ledger.record() as steps:
        ((x @ W).sum() + (x @ v).sum()).backward()
    line = {(st.node_name, st.parent_name): steps.line(st.index) for st in steps}
    # the engine sums x.T @ g of shape (2, 4, 5) over the batch axis into the (4, 5) weight: 'dL/dW = x.T @ g' is false
    assert line["matmul#2", "W"].startswith("dL/dW = x.T @ g, summed over the broadcast axes   [matmul: ")
    assert line["matmul#5", "v"].startswith("dL/dv = x.T @ g, summed over the broadcast axes   [matmul: ")
    assert "g @ W.T   [matmul: " in line["matmul#2", "x"]  # one matrix per batch entry: nothing summed
    np.testing.assert_allclose(W.grad, np.full((4, 5), 6.0))


def test_a_tensor_line_names_the_tensors_its_rule_calls_x_a_b_or_w():
    x = Tensor(np.array([[0.5, 1.0]]), requires_grad=True, name="x")
    W = Tensor(np.array([[1.0], [2.0]]), requires_grad=True, name="W")
    h = (x @ W).tanh()
    h.name = "h"
    with ledger.record() as steps:
        (h.exp().log() * h).sum().backward()
    line = {(st.node_name, st.parent_name): steps.line(st.index) for st in steps}
    # 'dL/d(exp#4) = g / x' and 'dL/dh += g * exp(x)' read as if of the tensor named x: the rules' x is their input
    assert "[log: dx = g / x, g = dL/d(log#5), x = exp#4]" in line["log#5", "exp#4"]
    assert "[exp: dx = g * exp(x), g = dL/d(exp#4), x = h]" in line["exp#4", "h"]
    assert "[matmul: dx = g @ W.T, g = dL/d(matmul#2), W = W]" in line["matmul#2", "x"]  # upstream x local w
    assert "[matmul: dW = x.T @ g, g = dL/d(matmul#2), x = x]" in line["matmul#2", "W"]
    assert "[mul: da = g * b, g = dL/d(mul#6), b = h]" in line["mul#6", "log#5"]
    assert "[sum: dx = broadcast(g), g = dL/dL]" in line["L", "mul#6"]  # nothing else to name


def test_a_gradient_changed_by_a_hook_is_said_to_be_so_where_it_flows_on():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True, name="x")
    h = x * 3
    h.name = "h"
    h.register_hook(lambda g: g * 10)
    with ledger.record() as steps:
        (h * 2).sum().backward()
    into, out = steps.line(1), steps.line(2)
    # the line into h ends with |contribution| 2.82843 and the next reads |g| = 28.2843 for dL/dh: the hook's tenfold
    assert "|contribution| = 2.82843," in into and "g = dL/dh after its hooks," in out and "|g| = 28.2843," in out
    assert "after its hooks" not in steps.line(0) + into
    np.testing.assert_allclose(x.grad, [60.0, 60.0])
    h = x * 3
    h.register_hook(lambda g: None)
    with ledger.record() as steps:  # a hook that only watches changes nothing: nothing to say
        (h * 2).sum().backward()
    assert "after its hooks" not in steps.explain() and "|g| = 2.82843," in steps.line(2)


# ----------------------------------------------------------------------------- pinned by hand


def test_state_zero_holds_only_the_seed():
    a, b, c, o = tiny()
    with ledger.record() as steps:
        o.backward()
    s0 = steps.state(0)
    assert s0.k == 0 and s0.step is None and s0.grads == {o: 1.0} and s0.complete == {o}
    s1 = steps.state(1)  # do/d(add#4) = 1 - tanh(4)^2 after the first step
    assert s1.step is steps[0] and s1.grads[steps[0].parent] == pytest.approx(1 - math.tanh(4.0) ** 2, rel=1e-12)


def test_a_second_contribution_reads_plus_equals():
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    L = x * y + x  # x feeds two nodes: dL/dx = y + 1 = -1
    L.label = "L"
    with ledger.record() as steps:
        L.backward()
    lines = [steps.line(k) for k in range(len(steps)) if steps[k].parent is x]
    assert x.grad == -1.0 and len(lines) == 2
    assert lines[0].startswith("dL/dx = dL/dL × ∂L/∂x (local) = 1.0 × 1.0 = 1.0")
    assert lines[1].startswith("dL/dx += dL/d(mul#2) × d(mul#2)/dx = 1.0 × -2.0 = -2.0")
    assert lines[1].endswith("(now -1.0: x feeds 2 nodes)")


def test_to_dict_writes_a_tensor_seed_as_its_statistics():
    G = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.5]])
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with ledger.record() as steps:
        (x * 2.0).backward(G)
    seed = steps.to_dict()["passes"][0]["seed"]
    # numpy's own mean/std/norm sum in another order (its SIMD loops differ between CPUs): equal to the last bit or two
    assert seed["shape"] == (2, 3) and all(type(seed[k]) is float for k in ("mean", "std", "norm"))
    assert [seed["mean"], seed["std"], seed["norm"]] == pytest.approx([G.mean(), G.std(), np.sqrt((G ** 2).sum())],
                                                                      rel=1e-14)
    assert json.loads(json.dumps(steps.to_dict()))["passes"][0]["engine"] == "tensor"


def test_a_long_path_shows_its_first_four_and_last_two_factors_at_six():
    x = y = Value(1.0, label="x")
    for c in (2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 0.5, 0.25):
        y = y * c
    y.label = "L"  # dL/dx = 2 * 3 * 4 * 5 * 6 * 7 * 0.5 * 0.25 = 630
    lines = path_products(y, x).explain(max_factors=6).splitlines()
    assert lines[1] == ("  L <- mul#7 <- mul#6 <- ... <- mul#1 <- x:  0.25 × 0.5 × 7.0 × 6.0 × ... × 3.0 × 2.0   "
                        "(8 factors) = 630.0") and lines[2] == "  total = 630.0"


def test_explain_prints_to_the_file_it_is_given():
    import io

    a, b, c, o = tiny()
    with ledger.record() as steps:
        o.backward()
    buf = io.StringIO()
    text = steps.explain(max_lines=1, file=buf)
    assert buf.getvalue() == text + "\n" == "do/do = 1.0   (the seed: backward starts here)\n... 5 more lines\n"


def test_layer_gains_of_a_two_layer_net_match_a_hand_computation():
    rng = np.random.default_rng(3)
    l1, l2 = (nn.Linear(i, o, bias=False, rng=rng, dtype=np.float64) for i, o in ((3, 5), (5, 2)))
    model = nn.Sequential(l1, nn.Tanh(), l2)
    X, G = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))  # a non-uniform upstream gradient
    W1, W2 = l1.weight.data, l2.weight.data
    h1 = np.tanh(X @ W1)
    dh1 = G @ W2.T
    dz1 = dh1 * (1 - h1 ** 2)
    with ledger.record() as steps:
        model(Tensor(X)).backward(G)
    first, second = layer_gains(steps)
    norm = np.linalg.norm
    assert (first.layer, first.name, first.weight, second.name) == (1, "0", "0.weight", "2")
    assert first.grad_out == pytest.approx(norm(dz1), rel=1e-12) and first.grad_in is None  # X needs no gradient
    assert first.linear_gain is None and first.gain is None
    assert first.activation_gain == pytest.approx(norm(dz1) / norm(dh1), rel=1e-12)
    assert second.grad_out == pytest.approx(norm(G), rel=1e-12)
    assert second.grad_in == pytest.approx(norm(dh1), rel=1e-12)
    assert second.linear_gain == pytest.approx(norm(dh1) / norm(G), rel=1e-12) and second.activation_gain is None
    assert second.gain == pytest.approx(norm(dh1) / norm(G), rel=1e-12)


def test_layer_gains_table_keeps_its_columns_under_a_module_name_longer_than_14_characters():
    # the column was 14 wide: a layer named second_hidden_layer pushed its row's numbers 5 columns right
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.first, self.second_hidden_layer = nn.Linear(3, 4, rng=0), nn.Linear(4, 2, rng=1)

        def forward(self, x):
            return self.second_hidden_layer(self.first(x).tanh())

    with ledger.record() as steps:
        Net()(Tensor(np.ones((2, 3)))).sum().backward()
    head, *rows = layer_gains(steps).explain().splitlines()[:3]
    assert [row.split()[1] for row in rows] == ["first", "second_hidden_layer"]
    assert len(head) == len(rows[0]) == len(rows[1]), (head, *rows)  # the numbers end in the same columns
    assert head.index("|dL/dz|") + 7 == rows[1].index("2.0") + 3  # right-aligned under their heading


def test_layer_gains_of_a_pass_without_a_matmul_is_refused():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with ledger.record() as steps:
        (x * 2.0).sum().backward()
    with pytest.raises(ValueError, match="layer_gains: the recorded pass has no matmul node"):
        layer_gains(steps)


def test_a_node_used_three_times_counts_its_contributions():
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    L = x * y + x + x  # dL/dx = y + 1 + 1 = 0, in three contributions 1, 1, -2
    L.label = "L"
    with ledger.record() as steps:
        L.backward()
    notes = [steps.line(k).split("   ")[-1] for k in range(len(steps)) if steps[k].parent is x]
    assert notes == ["(contribution 1 of 3: x feeds 3 nodes)", "(now 2.0; contribution 2 of 3: x feeds 3 nodes)",
                     "(now 0.0: x feeds 3 nodes)"] and x.grad == 0.0


def test_state_after_a_first_pass_without_steps_reads_the_second_pass():
    x = Value(2.0, label="x")
    with ledger.record() as steps:
        x.backward()  # a leaf: a pass of no step
        y = x * 3.0
        y.label = "y"
        y.backward()
    s1 = steps.state(1)
    assert s1.pass_.index == 1 and s1.step is steps[0] and s1.grads[x] == 3.0 + 1.0  # 1.0 left by the first pass


def test_the_last_state_shows_each_gradient_as_its_hooks_leave_it_as_torch_does():
    # state(len) (the player's and draw_step's last frame) showed h and w before their hooks: |dL/dh| 7.0 where
    # h.grad and torch's are 70, and w's pass sum plus what it held where both read 18 per entry
    from conftest import require_module
    torch = require_module("torch")
    xd, wd = np.array([[0.5, -1.0, 2.0]]), np.array([[1.0], [2.0], [-1.0]])
    w, tw = Tensor(wd, requires_grad=True, name="w"), torch.tensor(wd, requires_grad=True)
    for t in (w, tw):
        t.register_hook(lambda g: g * 3)
    for _ in range(2):  # the second pass: w holds the first pass's gradient
        h, th = Tensor(xd, name="x") @ w, torch.tensor(xd) @ tw
        h.name = "h"
        for t in (h, th):
            t.register_hook(lambda g: g * 10)
        th.retain_grad()
        with ledger.record() as steps:
            (h * h).sum().backward()
        (th * th).sum().backward()
        last = steps.state(len(steps))
        for t, tt in ((h, th), (w, tw)):
            node = t.grad_fn or t
            assert last.grads[node] == GradStats.of(tt.grad.numpy()) == steps.final_grads()[t], t.name
            assert node in last.complete
        # the line at which the gradient is complete says what the hooks make of it
        first_h, *_, into_h = [s for s in steps if s.parent is h.grad_fn]
        assert f"its hooks make it |dL/dh| = {format_number(float(th.grad.norm()))}" in steps.line(into_h.index)
        assert "its hooks" not in steps.line(first_h.index)  # (h * h): the hooks run on the sum of both


def test_path_sums_that_overflow_or_meet_inf_minus_inf_total_what_backprop_and_torch_get():
    # math.fsum raised 'intermediate overflow in fsum' (1e308 + 1e308) and '-inf + inf in fsum' from inside
    from conftest import require_module
    torch = require_module("torch")
    for start, build in ((1.0, lambda x: x * 1e308 + x * 1e308), (2.0, lambda x: x * 1e300 * 1e10 - x * 1e300 * 1e10)):
        x, tx = Value(start, label="x"), torch.tensor(start, dtype=torch.float64, requires_grad=True)
        y = build(x)
        build(tx).backward()
        y.backward()
        pp = path_products(y, x)
        assert str(pp.total) == str(x.grad) == str(tx.grad.item()) and f"total = {pp.total}" in pp.explain()


def test_a_state_looks_a_tensor_up_by_itself_as_final_grads_does():
    # state(k).grads[h] raised KeyError for an intermediate tensor h (its node is h.grad_fn), `h in state.complete`
    # and grads.get(h) said False and None, where final_grads()[h] works; the numbers are torch's
    from conftest import require_module
    torch = require_module("torch")
    xd, wd = np.array([[0.5, -1.0], [2.0, 1.5]]), np.array([[1.0], [-2.0]])
    w, tw = Tensor(wd, requires_grad=True), torch.tensor(wd, requires_grad=True)
    h, th = Tensor(xd) @ w, torch.tensor(xd) @ tw
    th.retain_grad()
    with ledger.record() as steps:
        (h.tanh() * 3).sum().backward()
    (th.tanh() * 3).sum().backward()
    first, last = steps.state(1), steps.state(len(steps))
    assert h not in first.complete and first.grads.get(h) is None
    for t, tt in ((h, th), (w, tw)):
        got, want = last.grads[t], GradStats.of(tt.grad.numpy())
        assert got == last.grads.get(t) == steps.final_grads().get(t)
        assert got.shape == want.shape
        assert (got.mean, got.std, got.norm) == pytest.approx((want.mean, want.std, want.norm))
        assert t in last.complete


def test_a_pass_that_was_not_recorded_is_named_with_the_ones_that_were():
    with ledger.record() as steps:
        (Value(2.0) * 3).backward()
    with pytest.raises(IndexError, match=r"Ledger: there is no pass 5; 1 was recorded \(pass 0 or -1\)$"):
        steps.final_grads(5)
    with ledger.record() as steps:
        for _ in range(3):
            (Value(2.0) * 3).backward()
    with pytest.raises(IndexError, match=r"no pass -4; 3 were recorded \(passes 0 to 2, or -3 to -1\)$"):
        steps.get_pass(-4)
    assert steps.get_pass(-3) is steps.passes[0] and steps.get_pass(2) is steps.passes[2]


def test_a_ledger_records_the_backward_passes_of_its_own_thread_only():
    # a lecturer's ledger in the notebook's thread took in every pass of a training loop running in another thread
    # (61 passes instead of 1 in half a second), and that thread's own ledger passed its events on to it
    import threading

    a, b, c, o = tiny()
    ready, done, theirs = threading.Event(), threading.Event(), []

    def train_elsewhere():
        model, x = nn.MLP([2, 3, 1], rng=0), Tensor(np.ones((4, 2)))
        ready.wait(5)
        model(x).sum().backward()  # while the main thread records
        with ledger.record() as steps:
            model(x).sum().backward()
        theirs.append((len(steps.passes), autograd.get_recorder()))
        done.set()

    worker = threading.Thread(target=train_elsewhere)
    worker.start()
    with ledger.record() as mine:
        ready.set()
        done.wait(5)
        o.backward()
    worker.join()
    assert [p.root for p in mine.passes] == [o] and len(mine) == 5
    assert theirs == [(1, None)] and autograd.get_recorder() is None


def test_a_backward_run_by_a_hook_during_a_recorded_pass_leaves_that_pass_whole():
    # a hook that runs a backward of its own (a gradient penalty, a logging hook) cut the recorded pass short: the
    # ledger called it "interrupted by an error" and lost its remaining steps, while the gradients were right
    def model(w, hook=None):
        h = w * w
        if hook is not None:
            h.register_hook(hook)
        return (h * 3.0).sum()

    a, inner = Tensor([3.0], requires_grad=True, name="a"), []

    def hook(g):
        with ledger.record() as steps:  # a ledger opened inside the hook records the hook's pass
            (a * a).sum().backward()
        inner.append(steps)

    w, plain = Tensor([1.0, 2.0], requires_grad=True, name="w"), Tensor([1.0, 2.0], requires_grad=True, name="w")
    with ledger.record() as steps:
        model(w, hook).backward()
    with ledger.record() as expected:
        model(plain).backward()
    assert [p.complete for p in steps.passes] == [True] and "interrupted" not in steps.explain()
    assert [s.to_dict() for s in steps] == [s.to_dict() for s in expected]
    assert len(inner[0]) == 3 and inner[0].passes[0].complete and a.grad.tolist() == [6.0]
    assert autograd.get_recorder() is None


def test_a_hook_on_the_root_shows_in_every_state_after_the_seed_and_in_the_seed_line():
    # the root's hooks run before its first step (|g| = 5 in that line), but state(1..n) kept the raw seed 1.0 for it,
    # so the last state differed from final_grads and torch's retained y.grad, and no line said what the hooks did
    from conftest import require_module
    torch = require_module("torch")
    x, tx = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="x", dtype=np.float64), torch.tensor([1.0, 2.0, 3.0],
                                                                                                   requires_grad=True)
    y, ty = (x * x).sum(), (tx * tx).sum()
    y.name = "y"
    for t in (y, ty):
        t.register_hook(lambda g: g * 5)
    ty.retain_grad()
    with ledger.record() as steps:
        y.backward()
    ty.backward()
    assert steps.state(0).grads[y] == GradStats.of(np.float64(1.0))  # before the walk: the seed
    hooked = GradStats.of(ty.grad.numpy())
    assert [s.grads[y] for s in steps.states()][1:] == [hooked] * len(steps) == [steps.final_grads()[y]] * len(steps)
    assert "its hooks make it |dy/dy| = 5.0" in steps.seed_line()
    assert steps[0].upstream.norm == hooked.norm and np.allclose(x.grad, tx.grad.numpy())


def test_a_node_no_path_reaches_is_named_by_its_own_label():
    # path_products(L, w) for a w outside L's graph read "dL/dx = 0.0: no path leads from L to x"
    a, w = Value(1.0, label="a"), Value(2.0, label="w")
    out = a * 3.0
    out.label = "L"
    assert path_products(out, w).explain() == "dL/dw = 0.0: no path leads from L to w"
    assert repr(path_products(out, Value(5.0))) == "PathProducts(dL/dx = 0.0 over 0 paths)"  # no label: x


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_layers_w_gain_is_the_weights_std_times_the_square_root_of_its_fan_in(seed):
    # LayerGain's docstring said s * sqrt(fan_out): |g @ W.T|^2 sums fan_in entries of variance s^2 |g_b|^2 each, so
    # a 1000 -> 10 layer of std 0.1 has W gain 0.1 * sqrt(1000) = 3.16, not 0.1 * sqrt(10) = 0.316
    rng = np.random.default_rng(seed)
    for fan_in, fan_out in ((1000, 10), (10, 1000)):
        w = Tensor(0.1 * rng.standard_normal((fan_in, fan_out)), requires_grad=True, name="W")
        with ledger.record() as steps:
            (Tensor(rng.standard_normal((64, fan_in)), requires_grad=True) @ w).backward(
                rng.standard_normal((64, fan_out)))
        gain = layer_gains(steps)[0].linear_gain
        assert abs(gain / (0.1 * math.sqrt(fan_in)) - 1) < 0.1, (fan_in, fan_out, gain)
    assert "fan_in `n`" in ledger.LayerGain.__doc__


def test_a_tensor_gradient_too_small_to_square_keeps_its_norm_in_the_lines_and_the_picture():
    # entries of 1e-200 (a vanishing gradient in float64) have squares below float64's range: GradStats said norm 0.0,
    # so the line read |contribution| = 0.0 and the picture painted the node grey, "exactly 0"; 1e-160 lost digits
    from tinygrad_init import draw
    for tiny in (1e-200, 3e-160, 5e-324):
        w = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True, name="w")
        loss = (w * tiny).sum()
        with ledger.record() as steps:
            loss.backward()
        exact = math.sqrt(math.fsum((float(g) / tiny) ** 2 for g in w.grad)) * tiny  # the engine's own entries
        assert steps[-1].contribution.norm == pytest.approx(exact, rel=1e-15, abs=0) and exact > 0, tiny
        assert f"|contribution| = {format_number(exact)}" in steps.line(-1)
        std = float(np.std(w.grad / tiny)) * tiny
        assert GradStats.of(w.grad).std == pytest.approx(std, rel=1e-12, abs=0)
        src = draw.draw(loss, grads=steps, color_by_grad=True).source  # w is not the grey of an exact 0
        assert f"fillcolor=\"{draw.ZERO_COLOR}\"" not in re.search(r"\tn0 \[[^\n]*", src).group(0)


def test_each_pass_of_explain_names_the_pass_index_that_reads_it():
    # explain() counted passes from 1 ("backward pass 1 from z") where to_rows, final_grads, layer_gains and the player
    # count from 0: pass_index=1 read the pass headed "backward pass 2"
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True, name="x")
    z, z2 = (x * x).sum(), (x * 3.0).sum()
    z.name, z2.name = "z", "z2"
    with ledger.record() as steps:
        z.backward()
        z2.backward()
    headers = [line for line in steps.explain().splitlines() if line.startswith("backward pass")]
    assert headers == ["backward pass 1 from z (pass_index=0):", "backward pass 2 from z2 (pass_index=1):"]
    assert steps.get_pass(1).root_symbol == "z2" and {r["pass"] for r in steps.to_rows() if r["node"] == "z2"} == {1}


def test_layer_gains_of_a_second_pass_measure_that_pass_not_what_the_input_held_before():
    # the input x requires grad and keeps the first pass's gradient: the second pass's layer 1 read |dL/dh_in| and gain
    # twice as large (0.6217 and 2.01 for 0.3109 and 1.006), as x.grad then holds both passes' sums
    model = nn.MLP([4, 6, 3], rng=0, dtype=np.float64)
    x = Tensor(np.random.default_rng(1).standard_normal((5, 4)), requires_grad=True, name="x")
    loss = (model(x) ** 2).mean()
    with ledger.record() as steps:
        loss.backward(retain_graph=True)
        once = np.linalg.norm(x.grad)
        loss.backward()
    first, second = layer_gains(steps, 0), layer_gains(steps, 1)
    assert second == first and second[0].grad_in == pytest.approx(once, rel=1e-12)
    assert np.linalg.norm(x.grad) == pytest.approx(2 * once)  # the engine accumulates, as it should
    top = steps.final_grads(1)[[s.node for s in steps.pass_steps(1) if s.op == "matmul"][0]].norm  # |dL/dz_2|
    assert second.product() == pytest.approx(once / top, rel=1e-12)


def test_to_dict_says_which_gradients_hooks_changed_where_the_rows_hold_the_sums_before_them():
    # a table from to_rows()/to_dict() read h's grad_after |35| where h.grad (after a hook g * 10) is 350, with
    # nothing in the data to tell; explain() says "its hooks make it"
    x = Tensor(np.array([[0.5, -1.0, 2.0]]), name="x")
    w = Tensor(np.array([[1.0], [2.0], [-1.0]]), requires_grad=True, name="w")
    h = x @ w
    h.name = "h"
    h.register_hook(lambda g: g * 10)
    h.retain_grad()
    with ledger.record() as steps:
        (h * h).sum().backward()
    data = json.loads(json.dumps(steps.to_dict()))
    assert data["passes"][0]["hooked"] == {"h": {**GradStats.of(h.grad)._asdict(), "shape": [1, 1]}}
    assert data["passes"][0]["hooked"]["h"]["norm"] == 70.0 and data["steps"][-2]["grad_after"]["norm"] == 7.0


def test_path_products_and_count_paths_name_arguments_given_the_wrong_way_round():
    # path_products(a, a * 2) read "0.0 over 0 paths": a swap is told so; a node merely outside the graph still
    # gets its zero paths, which explain() words as "no path leads from L to x"
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    y = a * 2 + a
    for fn in (path_products, ledger.count_paths):
        with pytest.raises(ValueError, match=r"pass the output first, (path_products|count_paths)\(L, x\)"):
            fn(a, y)
    assert ledger.count_paths(y, a) == 2 and path_products(y, a).total == 3.0
    assert ledger.count_paths(y, b) == 0 and "no path leads" in path_products(y, b).explain()


def test_explain_names_a_file_it_cannot_write_to():
    """explain(file=3) said print's "'int' object has no attribute 'write'"; now Ledger.explain names its file."""
    import io
    from tinygrad_init import Value
    a = Value(2.0, label="a")
    with ledger.record() as steps:
        (a * a).backward()
    for bad in (3, "out.txt"):
        with pytest.raises(TypeError, match=r"Ledger.explain: file must be an open text file"):
            steps.explain(file=bad)
    buffer = io.StringIO()
    assert str(steps.explain(file=buffer)).strip() == buffer.getvalue().strip() != ""
    assert repr(steps).startswith("Ledger(2 steps in 1 backward pass from")
    from tinygrad_init.utils import counted
    assert [counted(n, "backward pass") for n in (1, 2)] == ["1 backward pass", "2 backward passes"]


def test_every_rule_defines_the_names_it_uses():
    """The ledger prints each op's rule beside the tensors it binds (g, a, b, x, W); sigmoid's and softmax's read
    `dx = g * s * (1 - s)` and mean's `/ n` with no word on s or n. Every one-letter name of a rule is now bound or
    defined in the rule itself (`s = sigmoid(x)`)."""
    from tinygrad_init.core.ops import OPS
    for op in OPS.values():
        for rule in op.rules:
            formula, *definitions = rule.split(", ")
            defined = {d.split(" = ")[0] for d in definitions if " = " in d}
            letters = set(re.findall(r"(?<![\w.])([A-Za-z])(?![\w(])", formula.split(" = ", 1)[1]))
            assert letters <= {"g", "a", "b", "x", "W"} | defined, (op.name, rule)


def test_node_names_and_grad_stats_name_what_is_not_a_node_or_numbers():
    with pytest.raises(TypeError, match=r"^node_names: order\[0\] must be a Value or a Tensor's node, got int 1"):
        node_names([1, 2])  # was "'int' object has no attribute 'parents'"
    with pytest.raises(TypeError, match=r"^GradStats.of: a must be an array of numbers, got str 'x'"):
        GradStats.of("x")  # was numpy's "could not convert string to float"
    with pytest.raises(TypeError, match=r"^GradStats.of: a must be an array of numbers, got list \[None\]"):
        GradStats.of([None])  # was mean, std and norm nan, silently
    assert GradStats.of([True, False]).mean == 0.5 and GradStats.of(np.arange(3)).norm == pytest.approx(5 ** 0.5)


def test_digits_0_is_named_by_the_method_called():
    a, b, c, o = tiny()
    with ledger.record() as steps:
        o.backward()
    for call, who in ((lambda: steps.explain(digits=0), "Ledger.explain"),  # was Ledger.seed_line, its first line
                      (lambda: ledger.Ledger().explain(digits=0), "Ledger.explain"),  # no pass: was no error
                      (lambda: steps.seed_line(digits=0), "Ledger.seed_line"),
                      (lambda: path_products(o, a).explain(digits=0), "PathProducts.explain")):
        with pytest.raises(ValueError, match=rf"^{who}: digits must be >= 1, got 0"):  # was 'format_number: ...'
            call()
    loss, _ = mlp_loss((2, 3, 1))
    with ledger.record() as steps:
        loss.backward()
    with pytest.raises(ValueError, match=r"^LayerGains.explain: digits must be >= 1, got 0"):
        layer_gains(steps).explain(digits=0)


def test_too_many_paths_names_count_paths_with_the_arguments_it_takes():
    # it said "Use count_paths() to see the number": count_paths() as written is a TypeError (it takes root, node)
    from tinygrad_init.ledger import count_paths

    x = Value(1.5, label="x")
    y = x
    for _ in range(4):
        y = y * 1.0 + y * 1.0  # 2 paths a level
    with pytest.raises(ValueError, match="more than max_paths=10") as e:
        path_products(y, x, max_paths=10)
    code = re.search(r"\((count_paths\(\w+, \w+\))", str(e.value))[1]
    assert eval(code, {"count_paths": count_paths, "root": y, "node": x}) == 16
