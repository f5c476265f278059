"""The shared graph walk: topological order and the recorder hook (tinygrad_init.autograd)."""

from __future__ import annotations

import collections
import contextlib

import numpy as np
import pytest
from conftest import require_module
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_init import Tensor, Value, autograd

FAST = settings(max_examples=25, deadline=None, derandomize=True)


class Node:
    """A bare node: just a name and parents (enough for topological_order)."""

    __slots__ = ("name", "parents")

    def __init__(self, name: object, *parents: "Node") -> None:
        self.name = name
        self.parents = parents

    def __repr__(self) -> str:
        return f"Node({self.name!r})"


def _assert_topological(order: list, root: object) -> None:
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order), "a node is listed twice"
    assert order[-1] is root
    for n in order:
        for p in n.parents:
            assert id(p) in position, f"parent {p} of {n} is missing"
            assert position[id(p)] < position[id(n)], f"{p} is listed after its child {n}"


def _reachable(root: object) -> set:
    seen, stack = set(), [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        stack.extend(n.parents)
    return seen


@st.composite
def dags(draw):
    """A random DAG: node i picks its parents among nodes 0..i-1 (repeats allowed); root joins the sinks."""
    n = draw(st.integers(1, 25))
    nodes: list[Node] = []
    for i in range(n):
        k = draw(st.integers(0, min(i, 4)))
        parents = [nodes[draw(st.integers(0, i - 1))] for _ in range(k)] if i else []
        nodes.append(Node(i, *parents))
    has_child = {id(p) for nd in nodes for p in nd.parents}
    sinks = [nd for nd in nodes if id(nd) not in has_child]
    return Node("root", *sinks), nodes


def test_the_walk_frees_a_tensor_graph_unless_asked_to_keep_it():
    # autograd.backward is public: like Tensor.backward it frees what the backward rules saved by default
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (x * x).sum()
    autograd.backward(y.grad_fn, np.array(1.0), retain_graph=True)
    autograd.backward(y.grad_fn, np.array(1.0))
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    with pytest.raises(RuntimeError, match="already used by a backward pass"):
        autograd.backward(y.grad_fn, np.array(1.0))
    autograd.backward(x, np.array([0.5, 1.0]))  # a leaf as the root takes the seed into its gradient (+=)
    np.testing.assert_array_equal(x.grad, [4.5, 9.0])


def test_the_seed_of_a_value_root_is_a_number_and_the_gradients_stay_floats():
    # autograd.backward(out, np.float32(0.7)) made every gradient of the pass a numpy float32 (7 digits), an array
    # seed left arrays in .grad, and None or "x" failed inside the chain-rule loop ("unsupported operand type(s)")
    def graph():
        a = Value(0.1)
        return a, (a * 3.3).tanh() * a
    a, out = graph()
    autograd.backward(out, 0.7)
    for seed, expected in ((np.float64(0.7), a.grad), (np.float32(0.5), a.grad / 0.7 * 0.5), (2, a.grad / 0.7 * 2)):
        b, out = graph()
        autograd.backward(out, seed)
        assert type(b.grad) is float and b.grad == pytest.approx(expected, rel=1e-15)
    for seed in (None, "x", np.array([0.7, 1.0]), Value(1.0)):
        b, out = graph()
        with pytest.raises(TypeError, match=r"^backward: the seed of a Value \(dL/d\(root\)\) must be a number, got "):
            autograd.backward(out, seed)
        assert b.grad == 0.0


@FAST
@given(dags())
def test_every_node_comes_after_its_parents(graph):
    root, nodes = graph
    order = autograd.topological_order(root)
    _assert_topological(order, root)
    assert {id(n) for n in order} == _reachable(root)
    assert len(order) == len(nodes) + 1  # every node is below a sink, so all are reachable


@FAST
@given(dags())
def test_order_is_deterministic(graph):
    root, _ = graph
    first = [n.name for n in autograd.topological_order(root)]
    assert [n.name for n in autograd.topological_order(root)] == first


def test_same_graph_built_twice_gives_the_same_order():
    def build():
        a, b = Value(1.0, "a"), Value(2.0, "b")
        c = a * b
        c.label = "c"
        d = c + a
        d.label = "d"
        e = d.tanh() * c
        e.label = "e"
        return e
    names1 = [n.label for n in autograd.topological_order(build())]
    names2 = [n.label for n in autograd.topological_order(build())]
    assert names1 == names2
    # the first parent is explored first: a before b
    assert names1.index("a") < names1.index("b")


def test_diamond_lists_each_node_once():
    a = Node("a")
    b, c = Node("b", a), Node("c", a)
    d = Node("d", b, c)
    order = autograd.topological_order(d)
    assert [n.name for n in order] == ["a", "b", "c", "d"]


def test_node_used_twice_by_the_same_child_is_listed_once():
    a = Node("a")
    b = Node("b", a, a)
    assert [n.name for n in autograd.topological_order(b)] == ["a", "b"]


def test_leaf_alone():
    a = Node("a")
    assert autograd.topological_order(a) == [a]


def test_200000_deep_chain_needs_no_recursion():
    node = Node(0)
    first = node
    for i in range(1, 200_001):
        node = Node(i, node)
    order = autograd.topological_order(node)
    assert len(order) == 200_001
    assert order[0] is first and order[-1] is node
    assert [n.name for n in order[:3]] == [0, 1, 2]


def test_custom_parents_function():
    # Walk a graph described by a dict instead of parents attributes.
    graph = {"loss": ("y",), "y": ("x", "w"), "x": (), "w": ()}
    order = autograd.topological_order("loss", parents=lambda n: graph[n])
    assert order == ["x", "w", "y", "loss"]


# ----------------------------------------------------------------- recorder


class Recorder:
    def __init__(self) -> None:
        self.begun, self.ended, self.steps = [], [], []

    def begin(self, root, order):
        self.begun.append((root, list(order)))

    def step(self, node, parent, upstream, local, contribution):
        self.steps.append((node, parent, upstream, local, contribution))

    def end(self, root):
        self.ended.append(root)


@pytest.fixture
def recorder():
    rec = Recorder()
    previous = autograd.set_recorder(rec)
    try:
        yield rec
    finally:
        assert autograd.set_recorder(previous) is rec


def _value_graph():
    a, b = Value(0.7, "a"), Value(-1.3, "b")
    c = a * b          # 2 edges
    d = c + a          # 2 edges
    e = d.tanh()       # 1 edge
    f = e * e          # 2 edges (e used twice)
    g = Value.sum([f, c, b, 2.0])  # 3 edges
    return (a, b), g


def test_recorder_sees_every_value_edge_once(recorder):
    (a, b), g = _value_graph()
    order = autograd.topological_order(g)
    expected = collections.Counter((id(n), id(p)) for n in order for p in n.parents)
    g.backward()
    assert sum(expected.values()) == 10
    assert len(recorder.steps) == 10
    assert collections.Counter((id(s[0]), id(s[1])) for s in recorder.steps) == expected
    assert len(recorder.begun) == 1 and recorder.begun[0][0] is g
    assert recorder.begun[0][1] == order
    assert recorder.ended == [g]
    # upstream x local = contribution, exactly
    for node, parent, upstream, local, contribution in recorder.steps:
        assert contribution == upstream * local
        assert upstream == node.grad


def test_recorder_does_not_change_value_gradients(recorder):
    (a, b), g = _value_graph()
    g.backward()
    with_recorder = (a.grad, b.grad)
    autograd.set_recorder(None)
    (a2, b2), g2 = _value_graph()
    g2.backward()
    autograd.set_recorder(recorder)
    assert with_recorder == (a2.grad, b2.grad)
    assert a2.grad != 0.0 and b2.grad != 0.0


def test_recorder_sees_every_tensor_edge_that_needs_a_gradient(recorder):
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(4, 3)))                  # data: needs no gradient
    W = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    b = Tensor(np.zeros(2), requires_grad=True)
    h = (x @ W + b).tanh()                               # matmul: 1 edge (to W); add: 2; tanh: 1
    loss = (h * h).mean()                                # mul: 2 (h used twice); mean: 1
    loss.backward()
    assert len(recorder.steps) == 7
    order = autograd.topological_order(loss)
    expected = collections.Counter((id(n), id(p)) for n in order for p in n.parents if p.requires_grad)
    assert collections.Counter((id(s[0]), id(s[1])) for s in recorder.steps) == expected
    # local is the op's VJP rule as text; contributions have the parent's shape
    for node, parent, upstream, local, contribution in recorder.steps:
        assert local in node.rules
        assert contribution.shape == parent.shape
    assert recorder.ended == [loss.grad_fn]


def test_recorder_does_not_change_tensor_gradients(recorder):
    def run():
        rng = np.random.default_rng(1)
        W = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
        x = Tensor(rng.normal(size=(4, 3)))
        ((x @ W).sigmoid() * 3).sum().backward()
        return W.grad
    g1 = run()
    autograd.set_recorder(None)
    g2 = run()
    autograd.set_recorder(recorder)
    np.testing.assert_array_equal(g1, g2)


def test_set_recorder_returns_the_previous_one():
    previous = autograd.get_recorder()
    r1, r2 = Recorder(), Recorder()
    try:
        assert autograd.set_recorder(r1) is previous
        assert autograd.get_recorder() is r1
        assert autograd.set_recorder(r2) is r1
    finally:
        autograd.set_recorder(previous)
    assert autograd.get_recorder() is previous


def test_backward_returns_the_order_it_walked():
    a = Value(2.0)
    b = a * a
    order = autograd.backward(b, 1.0)
    assert order == autograd.topological_order(b)
    assert a.grad == 4.0


def _recursive_post_order(root):
    """The definition the walk must match: visit(n) = mark n, visit each unmarked parent in order, emit n."""
    order, seen = [], set()

    def visit(n):
        seen.add(id(n))
        for p in n.parents:
            if id(p) not in seen:
                visit(p)
        order.append(n)

    visit(root)
    return order


@FAST
@given(dags())
def test_order_is_the_recursive_depth_first_post_order(graph):
    root, _ = graph
    assert [n.name for n in autograd.topological_order(root)] == [n.name for n in _recursive_post_order(root)]


# ------------------------------------------------------------------ object lifetime


def test_a_detached_result_does_not_keep_its_graph_alive():
    # `history.append(out.detach())` in a loop: the detached tensor held the op's node, so every step's graph
    # (the activations its backward rules saved) stayed in memory as long as the history
    import weakref

    from tinygrad_init import no_grad

    x = Tensor(np.ones((4, 3)), requires_grad=True)
    h = (x * 2.0).exp()  # exp saves its result
    saved = weakref.ref(h.data)
    kept = (h + 1.0).detach()
    del h
    assert saved() is None
    # what detach() shares is still watched: a change through the alias reaches a graph that saved the original ...
    out = (x * 2.0).tanh()  # tanh saves its own result
    loss = out.sum()
    with no_grad():
        out.detach().add_(1.0)
    with pytest.raises(RuntimeError, match="tanh saved its own result"):
        loss.backward()
    # ... and a graph that saved the alias, also after the original is gone
    out = x * 2.0
    alias = out.detach()
    y = (alias * x).sum()  # mul saves the alias
    with no_grad():
        alias.add_(1.0)
    del out
    with pytest.raises(RuntimeError, match="mul saved an input tensor"):
        y.backward()
    assert kept.shape == (4, 3) and not kept.requires_grad


def test_a_model_unpickled_in_a_fresh_process_trains(monkeypatch):
    # a pickled parameter kept its version, a time on the clock of the process that trained it; in a new process
    # (clock at 0) an in-place change anywhere between a forward and its backward raised 'changed in place'
    import pickle

    from tinygrad_init import nn, no_grad
    from tinygrad_init.core import tensor
    from tinygrad_init.nn.optim import SGD

    x = Tensor(np.random.default_rng(0).standard_normal((5, 3)))
    model = nn.MLP([3, 4, 1], rng=0)
    opt = SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        model(x).sum().backward()
        opt.step()
    blob = pickle.dumps(model)
    monkeypatch.setattr(tensor, "_CLOCK", [0])  # as in a new process
    loaded, other = pickle.loads(blob), Tensor(np.zeros(2), requires_grad=True)
    loss = loaded(x).sum()
    with no_grad():
        other.add_(1.0)  # another tensor's in-place change
    loss.backward()
    assert all(p.grad is not None for p in loaded.parameters())
    d = pickle.loads(pickle.dumps(loaded(x).detach()))  # a detached tensor pickles (its base is not copied)
    np.testing.assert_array_equal(d.data, loaded(x).data)


@pytest.mark.parametrize("copy_of", ["deepcopy", "pickle"])
def test_a_copy_of_a_graph_keeps_what_was_changed_in_place_before_and_sees_what_is_changed_after(copy_of, monkeypatch):
    # a copy forgot every version: a graph whose saved weight had changed in place (stale: its backward raises) gave
    # its copy a silently wrong gradient, [22, 24] for w * w at w = [1, 2]; and a graph pickled at a late time on the
    # clock, loaded where the clock is behind (a new process), missed an in-place change after loading: [212, 214]
    import copy
    import pickle

    from tinygrad_init import no_grad
    from tinygrad_init.core import tensor

    twin = (lambda obj: copy.deepcopy(obj)) if copy_of == "deepcopy" else (lambda obj: pickle.loads(pickle.dumps(obj)))
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    fresh = (w + 1.0).sum()  # add saves nothing: no in-place change matters to it
    loss = (w * w).sum()
    with no_grad():
        w.add_(10.0)  # after the forward: the graph is stale
    loss2, fresh2, w2 = twin([loss, fresh, w])
    for out in (loss, loss2):
        with pytest.raises(RuntimeError, match=r"mul saved an input tensor \(shape \(2,\)\)"):
            out.backward()
    fresh2.backward()
    np.testing.assert_array_equal(w2.grad, [1.0, 1.0])
    for view in (lambda x: x[0:2], lambda x: x.T, lambda x: x.reshape(3), lambda x: x.detach()):
        x, c = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True), Tensor(np.ones(3), requires_grad=True)
        v = view(x)  # shares x's memory: an in-place change of x is one of v, which mul saved
        loss = (v * c[:len(v.data)]).sum()
        with no_grad():
            x.add_(10.0)
        loss2 = twin(loss)  # the copy's views are arrays of their own: what they saw stays seen
        for out in (loss, loss2):
            with pytest.raises(RuntimeError, match="mul saved"):
                out.backward()
    with no_grad():
        for _ in range(5):
            w.add_(1.0)  # training goes on: the clock moves
    loss = (w * w).sum()
    if copy_of == "pickle":
        blob = pickle.dumps([loss, w])
        monkeypatch.setattr(tensor, "_CLOCK", [0])  # loaded as in a new process
        loss3, w3 = pickle.loads(blob)
    else:
        loss3, w3 = copy.deepcopy([loss, w])
    y = (w3 * w3).sum()  # a new graph in this process (not w3 * 2.0: w3's rule reads only the 2.0, as PyTorch's)
    with no_grad():
        w3.add_(100.0)  # after loss3's forward, and y's
    with pytest.raises(RuntimeError, match="mul saved an input tensor"):
        loss3.backward()
    with pytest.raises(RuntimeError, match="mul saved an input tensor"):
        y.backward()
    loss4 = (w3 * w3).sum()  # made after the change: as new
    loss4.backward()
    np.testing.assert_array_equal(w3.grad, 2 * w3.data)


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_a_5000_op_chain_backward_gradcheck_ledger_and_picture_need_no_recursion(engine):
    from tinygrad_init import draw, ledger
    from tinygrad_init.core.gradcheck import gradcheck

    def chain(x):
        for i in range(5000):
            x = (x * 0.9999).tanh() if i % 2 else x + 0.0001
        return x if engine == "scalar" else x.sum()

    start = 0.3 if engine == "scalar" else np.array([0.3, -0.1])
    assert gradcheck(chain, start).ok
    x = Value(0.3) if engine == "scalar" else Tensor(start, requires_grad=True)
    loss = chain(x)
    with ledger.record() as steps:
        loss.backward()
    assert len(steps) == 7500 + (engine == "tensor") and steps.explain(max_lines=3)
    assert np.all(np.isfinite(x.grad)) and "digraph" in draw.draw(loss).source


@pytest.mark.parametrize("mode, outer, inner", [("no_grad", True, False), ("enable_grad", False, True)])
def test_a_decorated_generator_function_runs_its_body_in_the_mode_and_the_caller_in_its_own(mode, outer, inner):
    # as torch's: each time the body resumes (next, send, throw, close) it runs in the mode, and between yields the
    # caller is back in its own; @no_grad() on a generator function was refused with a TypeError
    from tinygrad_init import autograd as ag

    torch = require_module("torch")  # fails under CI=true
    seen = {}
    for lib in (ag, torch):
        decorate, closed = getattr(lib, mode)(), []

        @decorate
        def batches(n):
            try:
                sent = yield lib.is_grad_enabled()
                try:
                    yield sent, lib.is_grad_enabled()
                except KeyError:
                    yield "thrown", lib.is_grad_enabled()
                return n
            finally:
                closed.append(lib.is_grad_enabled())

        with (contextlib.nullcontext() if outer else lib.no_grad()):
            g, trace = batches(3), []
            trace += [next(g), lib.is_grad_enabled(), g.send("x"), lib.is_grad_enabled(), g.throw(KeyError())]
            with pytest.raises(StopIteration) as stop:
                next(g)
            g2 = batches(0)
            next(g2)
            g2.close()
            trace += [stop.value.value, lib.is_grad_enabled(), closed, batches.__name__]
        seen[lib.__name__] = trace
    assert seen["tinygrad_init.core.autograd"] == seen["torch"] == [
        inner, outer, ("x", inner), outer, ("thrown", inner), 3, outer, [inner, inner], "batches"]


@pytest.mark.parametrize("end", ["close", "throw", "dropped"])
def test_a_decorated_generator_left_early_frees_what_it_held_without_a_gc_run(end):
    # the exception thrown into the body (close: GeneratorExit) stayed in a local of the wrapper's frame, which its
    # traceback holds: a cycle that kept the body's frame and its arguments (a model, its arrays) until the collector
    import gc
    import weakref

    from tinygrad_init import nn, no_grad

    @no_grad()
    def outputs(model, x):
        for _ in range(3):
            yield model(x)

    model = nn.Linear(3, 2, rng=0)
    gc.collect()
    gc.disable()
    try:
        g, ref = outputs(model, Tensor(np.ones((2, 3), np.float32))), weakref.ref(model)
        next(g)
        if end == "close":
            g.close()
        elif end == "throw":
            with pytest.raises(KeyError):
                g.throw(KeyError("stop"))
        del g, model
        assert ref() is None and gc.collect() == 0
    finally:
        gc.enable()


def test_no_grad_and_enable_grad_decorate_without_parentheses_as_torchs_do():
    # `@no_grad` (torch accepts `@torch.no_grad`) raised "no_grad() takes 0 positional arguments but 1 was given"
    from tinygrad_init import enable_grad, is_grad_enabled, no_grad

    @no_grad
    def off(x):
        """Evaluate."""
        return is_grad_enabled(), x

    @enable_grad
    def on():
        return is_grad_enabled()

    with no_grad():
        assert on() is True
    assert off(2) == (False, 2) and off.__doc__ == "Evaluate." and is_grad_enabled()
    with pytest.raises(TypeError, match="no_grad: expected a function to decorate, got int 3"):
        no_grad(3)


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_a_long_graph_pickles_and_deep_copies_without_recursion_and_the_copy_backpropagates_alone(engine):
    # copying a graph recursed once per op: a Value summed by Python's sum over 200 samples, or a 100-op tensor
    # chain, raised RecursionError in copy.deepcopy and pickle.dumps (shown here at 20,000 and 5,000 ops)
    import copy
    import pickle

    scalar = engine == "scalar"
    x = Value(0.3, label="x") if scalar else Tensor([0.3, -0.1], requires_grad=True, name="x")
    y = x
    for i in range(20_000 if scalar else 5_000):
        y = y * 0.99999 if i % 2 else y.tanh()
    total = y * 2.0 + x  # x is reached along two paths
    grads = []
    for out, x2 in (copy.deepcopy([total, x]), pickle.loads(pickle.dumps([total, x]))):
        (out if scalar else out.sum()).backward()
        assert autograd.topological_order(out)[0] is x2 and x2 is not x  # one copy of x, along both paths
        assert (x2.label if scalar else x2.name) == "x" and x.grad in (0.0, None)
        grads.append(x2.grad)
    (total if scalar else total.sum()).backward()
    np.testing.assert_allclose(grads, [x.grad, x.grad])
    assert len(autograd.topological_order(copy.deepcopy(total))) == len(autograd.topological_order(total))


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_copying_a_list_of_a_graphs_nodes_leaf_first_walks_the_graph_once(engine, monkeypatch):
    # a list of nodes leaf first (as topological_order, a pass of a ledger or a picture holds them): each node walked
    # all the nodes below it again, quadratic (7 s to pickle the 4,000 nodes of a chain)
    import copy
    import pickle

    x = Value(0.5) if engine == "scalar" else Tensor([0.5, 1.0], requires_grad=True)
    y = x
    for _ in range(2000):
        y = y * 1.0001
    from tinygrad_init.core import copying

    order = autograd.topological_order(y)
    walked, walk = [], autograd.topological_order
    monkeypatch.setattr(copying, "topological_order", lambda *a, **k: walked.append(len(r := walk(*a, **k))) or r)
    for twin in (pickle.loads(pickle.dumps(order)), copy.deepcopy(order)):
        ids = {id(n) for n in twin}  # the copies' parents are the copies
        assert all(id(p) in ids for n in twin for p in n.parents) and not ids & {id(n) for n in order}
    assert not copying._COPYING.order_of  # nothing held once the copies are done
    assert 0 < sum(walked) <= 2 * 4 * len(order)  # two copies, each walking a node and its parents (was 1,000x that)


def _in_four_threads(passes, work):
    """Run `work` `passes` times in each of four threads that switch as often as Python lets them."""
    import sys
    import threading

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=lambda: [work() for _ in range(passes)]) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(previous)


def test_backward_passes_in_threads_sharing_leaves_add_up_as_in_torch():
    # four threads, 100 passes each, through graphs of their own on one weight: w.grad was 391x, 1x, 801x or None
    # where it is 400x one pass (a pass set the shared leaf's gradient aside while another added to it); four
    # threads running backward through one Value graph ended with 401.87x (a pass reset nodes another was reading)
    w, x = Tensor(np.ones((8, 8)), requires_grad=True), Tensor(np.ones((2, 8)))
    ((x @ w).tanh() @ w).sum().backward()
    once, w.grad = w.grad, None
    for _ in range(5):
        _in_four_threads(100, lambda: ((x @ w).tanh() @ w).sum().backward())
        np.testing.assert_allclose(w.grad, 400 * once, rtol=1e-12)
        w.grad = None
    a = y = Value(0.5)
    for _ in range(50):
        y = (y * 1.01).tanh() + a
    y.backward()
    once, a.grad = a.grad, 0.0
    for _ in range(5):
        _in_four_threads(100, y.backward)
        assert a.grad == pytest.approx(400 * once, rel=1e-12)
        a.grad = 0.0


def test_the_public_walk_run_twice_on_a_value_graph_adds_one_more_pass_as_value_backward_does():
    # autograd.backward(L, 1.0) a second time added onto the intermediate nodes' gradients of the first pass, as
    # micrograd's backward does: a.grad went 24 -> 96, where L.backward() twice (and the tensor walk) gives 48
    a = Value(3.0)
    h = a * 2.0
    loss = h * h
    autograd.backward(loss, 1.0)
    autograd.backward(loss, 1.0)
    assert (a.grad, h.grad, loss.grad) == (48.0, 12.0, 1.0)  # intermediate nodes: the latest pass's
    b = Value(1.0)
    b.grad = None  # PyTorch's habit, as Value.backward takes it
    autograd.backward(b * 3.0, 2.0)
    assert b.grad == 6.0


def test_ops_record_in_every_thread_whose_mode_is_on_also_after_a_thread_ended_inside_no_grad():
    """Ops skip reading the thread's grad mode only while no thread has it off (autograd._OFF): a thread that ends
    inside no_grad() leaves its id there, and the others (and a new thread, which may get the same id) still record."""
    import threading

    from tinygrad_init import is_grad_enabled, no_grad

    w, seen = Tensor(np.ones(2), requires_grad=True), []

    def ends_inside():
        no_grad().__enter__()  # never left
        seen.append((w * 2).requires_grad)

    def records():
        seen.append((w * 2).requires_grad)

    for target in (ends_inside, records):
        t = threading.Thread(target=target)
        t.start()
        t.join()
    seen.append((w * 2).requires_grad)
    with no_grad():
        seen.append((w * 2).requires_grad)
    assert seen == [False, True, True, False] and is_grad_enabled()
