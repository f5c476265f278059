"""Every op of both engines, recorded: each step the ledger keeps and prints is upstream x local (for a tensor, the op's
vector-Jacobian product) against central differences of the op alone, under a random non-uniform upstream gradient
(a `.sum()` upstream of ones cannot tell `+` from `-`), and the contributions into a node add up to its `.grad`."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, ledger, losses, no_grad
from tinygrad_init.core import ops

I0 = np.array([0, 2, 0])  # a repeated index: its gradient adds up


# op name -> cases (input shapes, the op applied to the leaves): broadcasting, axes, keepdims, 1-D and batched matmuls
TENSOR_CASES = {
    "add": [([(3, 4), (4,)], lambda a, b: a + b), ([(3, 1), (1, 4)], lambda a, b: a + b)],
    "sub": [([(2, 3), (3,)], lambda a, b: a - b), ([(2, 3)], lambda a: 2.0 - a)],
    "mul": [([(2, 3), (2, 1)], lambda a, b: a * b), ([(2, 3)], lambda a: a * a), ([(), (3,)], lambda a, b: a * b)],
    "div": [([(2, 3), (1, 3)], lambda a, b: a / b), ([(2, 3)], lambda a: 3.0 / a)],
    "pow": [([(2, 3), (3,)], lambda a, b: a ** b), ([(2, 3)], lambda a: a ** 3), ([(2, 3)], lambda a: 2.0 ** a)],
    "matmul": [([(3, 4), (4, 5)], lambda a, b: a @ b), ([(4,), (4, 5)], lambda a, b: a @ b),
               ([(3, 4), (4,)], lambda a, b: a @ b), ([(4,), (4,)], lambda a, b: a @ b),
               ([(2, 3, 4), (4, 5)], lambda a, b: a @ b), ([(2, 1, 3, 4), (3, 4, 2)], lambda a, b: a @ b)],
    "neg": [([(2, 3)], lambda a: -a)],
    "exp": [([(2, 3)], lambda a: a.exp())],
    "log": [([(2, 3)], lambda a: a.log())],
    "tanh": [([(2, 3)], lambda a: a.tanh())],
    "sigmoid": [([(2, 3)], lambda a: a.sigmoid())],
    "relu": [([(2, 3)], lambda a: a.relu())],
    "softplus": [([(2, 3)], lambda a: a.softplus())],
    "sum": [([(2, 3)], lambda a: a.sum()), ([(2, 3, 4)], lambda a: a.sum(axis=(0, 2), keepdims=True)),
            ([(2, 3, 4)], lambda a: a.sum(axis=-1))],
    "mean": [([(2, 3)], lambda a: a.mean()), ([(2, 3, 4)], lambda a: a.mean(axis=(-1, -3))),
             ([(2, 3, 4)], lambda a: a.mean(axis=1, keepdims=True))],
    "max": [([(2, 3)], lambda a: a.max()), ([(2, 3, 4)], lambda a: a.max(axis=1)),
            ([(2, 3, 4)], lambda a: a.max(axis=-1, keepdims=True))],
    "reshape": [([(2, 6)], lambda a: a.reshape(-1, 3))],
    "transpose": [([(2, 3, 4)], lambda a: a.transpose(2, 0, 1)), ([(2, 3)], lambda a: a.T)],
    "getitem": [([(3, 4)], lambda a: a[1:, ::-2]), ([(3, 4)], lambda a: a[I0]), ([(3, 4)], lambda a: a[I0, 1:3]),
                ([(3, 4)], lambda a: a[None, ..., -1])],
    "log_softmax": [([(3, 4)], lambda a: a.log_softmax()), ([(3, 4)], lambda a: a.log_softmax(axis=None))],
    "softmax": [([(3, 4)], lambda a: a.softmax(axis=0))],
}


def test_every_op_of_the_tensor_engine_has_a_case_here():
    assert set(TENSOR_CASES) == set(ops.OPS)


def _central(fn, leaves, upstream, i, eps=1e-6):  # noqa: ANN001, ANN202 - d<upstream, fn(leaves)>/d(leaves[i])
    x, out = leaves[i].data, np.zeros(leaves[i].shape)
    for idx in np.ndindex(x.shape):
        old, fs = x[idx], []
        for h in (eps, -eps):
            x[idx] = old + h
            with no_grad():
                fs.append(float((fn(*leaves).data * upstream).sum()))
        x[idx] = old
        out[idx] = (fs[0] - fs[1]) / (2 * eps)
    return out


@pytest.mark.parametrize("op, k", [(op, k) for op, cases in TENSOR_CASES.items() for k in range(len(cases))])
def test_each_tensor_step_is_the_ops_vjp_of_a_random_upstream_and_its_line_names_the_right_tensors(op, k):
    shapes, fn = TENSOR_CASES[op][k]
    rng = np.random.default_rng(len(shapes) + 10 * k)
    leaves = [Tensor(rng.standard_normal(s), requires_grad=True, dtype=np.float64, name="ab"[i])
              for i, s in enumerate(shapes)]
    if op in ("log", "pow") and k < 2:  # positive bases
        for t in leaves[:1]:
            t.data[...] = np.abs(t.data) + 0.5
    y = fn(*leaves)
    y.name = "y"
    assert y.op == op
    upstream = rng.standard_normal(y.shape)
    with ledger.record(arrays=True) as steps:
        (y * Tensor(upstream, name="R")).sum().backward()
    ours = [s for s in steps if s.node is y.grad_fn]
    assert ours and all(s.op == op for s in ours)
    for s in ours:
        g, contribution, _ = s.arrays
        np.testing.assert_array_equal(g, upstream)  # the upstream the step read is dL/dy
        assert s.contribution.shape == contribution.shape == s.parent.shape
        assert s.contribution.norm == pytest.approx(np.linalg.norm(contribution), rel=1e-12)
        line = steps.line(s.index, digits=None)
        rule = y.grad_fn.rules[s.parent_index]
        eq = "+=" if s.contribution_number > 1 else "="
        assert line.startswith(f"dL/d{s.parent_name} {eq} {rule.split(' = ', 1)[1]}")
        assert f"[{op}: {rule}, g = dL/dy" in line
        for letter, parent in zip((r.split()[0][1:] for r in y.grad_fn.rules), y.grad_fn.parents):
            named = re.search(rf"\b{letter}\b", rule.split(" = ", 1)[1])
            name = parent.name or steps.get_pass().names[parent]
            assert (f", {letter} = {name}" in line) == bool(named), (letter, line)  # x local w: the right tensor
        m = re.search(r"\|g\| = (\S+), \|contribution\| = (\S+), gain (\S+)", line)
        assert [float(v) for v in m.groups()] == [s.upstream.norm, s.contribution.norm, s.gain]
    for i, leaf in enumerate(leaves):  # the VJP into each leaf (both of a * a) against central differences
        mine = sum(s.arrays[1] for s in ours if s.parent is leaf)
        np.testing.assert_allclose(mine, _central(fn, leaves, upstream, i), rtol=1e-6, atol=1e-7)
        np.testing.assert_array_equal(sum(s.arrays[1] for s in steps if s.parent is leaf), leaf.grad)


VALUE_OPS = {  # name -> the op on (a, b), a and b in (0.3, 1.5); "relu off" takes -a
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
    "**": lambda a, b: a ** b, "neg": lambda a, b: -a, "exp": lambda a, b: a.exp(), "log": lambda a, b: a.log(),
    "tanh": lambda a, b: a.tanh(), "sigmoid": lambda a, b: a.sigmoid(), "relu": lambda a, b: a.relu(),
    "relu off": lambda a, b: a.relu(), "sum": lambda a, b: Value.sum([a, b, a, 2.5]),
    "+ c": lambda a, b: a + 1.5, "c -": lambda a, b: 2.0 - a, "* c": lambda a, b: a * -1.3,
    "c /": lambda a, b: 1.7 / a, "** c": lambda a, b: a ** 3, "c **": lambda a, b: 1.3 ** a,
    "a * a": lambda a, b: a * a,
}
LINE = re.compile(r"^d\S+/d(\S+) \+?= d\S+/d(\S+) × .*? = (\S+) × (\S+) = (\S+)")


@pytest.mark.parametrize("op", VALUE_OPS)
def test_each_value_step_is_upstream_times_the_local_derivative_as_printed(op):
    fn, eps = VALUE_OPS[op], 1e-6
    for seed in range(3):
        rng = np.random.default_rng(seed)
        a, b = (Value(float(rng.uniform(0.3, 1.5)) * (-1) ** (op == "relu off" and k == "a"), label=k) for k in "ab")
        y = fn(a, b)
        y.label = "y"
        w = float(rng.uniform(-2.0, 2.0))  # dL/dy, not 1
        root = y * w
        with ledger.record() as steps:
            root.backward()
        total = {a: 0.0, b: 0.0}
        assert [s.node for s in steps] == [root] + [y] * (len(steps) - 1)
        for s in steps[1:]:  # after the root's step: y -> a, b
            assert s.node is y and s.upstream == y.grad == w
            x = s.parent
            old, fs = x.data, []
            for h in (eps, -eps):
                x.data = old + h
                fs.append(fn(a, b).data)
            x.data = old
            share = y.parents.count(x)  # a * a: each edge takes its half of the derivative
            assert s.local == pytest.approx((fs[0] - fs[1]) / (2 * eps) / share, rel=1e-6, abs=1e-8)
            assert s.contribution == s.upstream * s.local
            parent, node, *numbers = LINE.match(steps.line(s.index, digits=None)).groups()
            assert (parent, node) == (s.parent_name, "y")
            assert [float(v) for v in numbers] == [s.upstream, s.local, s.contribution]
            total[x] += s.contribution
            assert s.grad_after == total[x]
        assert [total[a], total[b]] == [a.grad, b.grad] and not math.isnan(a.grad)


LOSSES = [  # (name, the loss of logits z, torch's); targets: classes 0, 2, 1, 2 or probabilities 0.3
    ("mse", lambda z: losses.mse_loss(z, np.full((4, 3), 0.3)),
     lambda F, z, t: F.mse_loss(z, t.full((4, 3), 0.3, dtype=t.float64))),
    ("mse sum", lambda z: losses.mse_loss(z, np.full((4, 3), 0.3), reduction="sum"),
     lambda F, z, t: F.mse_loss(z, t.full((4, 3), 0.3, dtype=t.float64), reduction="sum")),
    ("cross_entropy", lambda z: losses.cross_entropy(z, np.array([0, 2, 1, 2])),
     lambda F, z, t: F.cross_entropy(z, t.tensor([0, 2, 1, 2]))),
    ("cross_entropy none", lambda z: losses.cross_entropy(z, np.array([0, 2, 1, 2]), reduction="none").sum() * 0.5,
     lambda F, z, t: F.cross_entropy(z, t.tensor([0, 2, 1, 2]), reduction="none").sum() * 0.5),
    ("bce", lambda z: losses.binary_cross_entropy_with_logits(z, np.full((4, 3), 0.3)),
     lambda F, z, t: F.binary_cross_entropy_with_logits(z, t.full((4, 3), 0.3, dtype=t.float64))),
]


@pytest.mark.torch
@pytest.mark.parametrize("name, ours, theirs", LOSSES, ids=[case[0] for case in LOSSES])
def test_through_a_loss_each_step_passes_on_its_nodes_whole_gradient_and_they_add_up_to_torchs(name, ours, theirs):
    import torch
    import torch.nn.functional as F

    x = np.random.default_rng(5).standard_normal((4, 2))
    w, v = Tensor(np.eye(2, 3) + 0.5, requires_grad=True, name="W"), Tensor(x, name="x")
    h = v @ w  # the logits, through a weight: the loss's steps and the matmul's "x local w"
    tw = torch.tensor(w.data, requires_grad=True)
    theirs(F, torch.tensor(x) @ tw, torch).backward()
    with ledger.record(arrays=True) as steps:
        ours(h).backward(retain_grads=True)
    root = steps.get_pass().root
    into: dict = {}
    for s in steps:  # in the engine's order: a node passes its gradient on once it is whole
        g, contribution, after = s.arrays
        whole = np.ones(()) if s.node is root else sum(into[s.node])
        np.testing.assert_array_equal(g, whole)
        into.setdefault(s.parent, []).append(contribution)
        np.testing.assert_array_equal(after, sum(into[s.parent]))
    for node, parts in into.items():  # each intermediate kept its .grad: the sum of its contributions
        np.testing.assert_array_equal(node.grad, sum(parts))
    np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-12, atol=1e-15)
