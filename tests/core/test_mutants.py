"""Paths of the two engines that a deliberately broken engine (a mutant: a flipped sign, a dropped axis, a `>` for a
`>=`) got through the rest of the suite unnoticed; each test here fails on one such mutant."""

from __future__ import annotations

import operator

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, autograd


def _recursive_post_order(root):
    """The order the walk documents: visit(n) = mark n, visit each unmarked parent in the op's order, emit n."""
    order, seen = [], set()

    def visit(n):
        seen.add(n)
        for p in n.parents:
            if p not in seen:
                visit(p)
        order.append(n)

    visit(root)
    return order


def test_the_walk_of_a_value_graph_through_n_ary_sums_is_the_recursive_post_order():
    # the walk of a Value graph reads its slots (a sum's parents: a tuple) on a stack of its own; a sum's parents
    # pushed in their order, not reversed, walked them last first: the ledger's lines and the DOT ids follow the walk
    rng = np.random.default_rng(0)
    nodes = [Value(float(i), f"x{i}") for i in range(4)]
    for i in range(40):
        pick = [nodes[j] for j in rng.integers(0, len(nodes), 4)]
        nodes.append([Value.sum(pick[:2 + i % 3]), pick[0] * pick[1], pick[0].tanh()][i % 3])
    root = Value.sum(nodes[-6:])
    assert autograd.topological_order(root) == _recursive_post_order(root)


def test_a_nodes_parents_constant_and_its_place_are_as_written():
    # what the pictures and the ledger draw: `x / 2` is not `2 / x`, a sum of Values alone has no constant 0
    a, b = Value(1.0), Value(2.0)
    nodes = [a, a + b, a * b, a - b, a / b, a ** b, a - 2, 2 - a, a / 2, 2 / a, Value.sum([a, b]), Value.sum([a, 3, b])]
    assert [(v.parents, v.constant, v.constant_first) for v in nodes] == [
        ((), None, False), ((a, b), None, False), ((a, b), None, False), ((a, b), None, False), ((a, b), None, False),
        ((a, b), None, False), ((a,), 2.0, False), ((a,), 2.0, True), ((a,), 2.0, False), ((a,), 2.0, True),
        ((a, b), None, False), ((a, b), 3.0, False)]


@pytest.mark.parametrize("op", ["add", "mul"])
def test_a_number_before_a_tensor_stands_first_in_the_graph_also_where_the_op_commutes(op):
    # the ledger and the pictures show `2 * x` as written, not as `x * 2`: the node's parents in the written order
    x = Tensor([1.0, 2.0], requires_grad=True)
    f = getattr(operator, op)
    assert [[p is x for p in y.grad_fn.parents] for y in (f(2.0, x), f(x, 2.0))] == [[False, True], [True, False]]


@pytest.mark.parametrize("op", ["iadd", "isub", "imul", "itruediv"])
def test_an_augmented_assignment_to_an_intermediate_tensor_is_a_new_node_of_the_graph(op):
    # `p -= lr * p.grad` changes a leaf parameter in place (in no_grad()); any other tensor gets a new tensor, as if
    # `h = h - 1` were written: an intermediate result under grad mode (taken for a leaf: "not recorded in the graph")
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    h = getattr(operator, op)(h, 2.0)  # h += 2.0, h -= 2.0, ...
    h.backward(np.array([1.0, -2.0]))
    np.testing.assert_allclose(x.grad, np.array([3.0, -6.0]) * {"iadd": 1, "isub": 1, "imul": 2, "itruediv": 0.5}[op])


def test_a_hook_returning_a_bool_is_refused_not_read_as_a_gradient_of_one():
    x = Tensor(2.0, requires_grad=True)
    (h := x * 3.0).register_hook(lambda g: True)
    with pytest.raises(TypeError, match=r"hook .*: returned bool; a gradient hook returns None"):
        h.backward()


def test_two_leaves_sharing_their_data_get_gradients_of_their_own():
    # x * y with y = x.detach() made a leaf: both operands are one array, the product's rule gives both one gradient
    # array; each leaf's .grad must own its memory (a gradient clipped in place must not clip the other's)
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x.detach()
    y.requires_grad = True
    (x * y).backward(np.array([1.0, -3.0]))
    x.grad *= 0.0
    np.testing.assert_array_equal(y.grad, [1.0, -6.0])


@pytest.mark.parametrize(("sa", "sb"), [((8, 16, 32), (32, 24)), ((16, 32), (8, 32, 24))])
def test_a_float16_matmul_gradient_of_the_unbatched_operand_is_the_same_whether_or_not_the_other_needs_one(sa, sb):
    # x (batch, time, in) @ W: W's gradient in one product over all the batches, rounded once, as PyTorch's (which
    # test_torch_parity compares where both operands need a gradient); with x data (no gradient), the common case,
    # that product was skipped for one per batch, rounded, then summed, if the rule read the other operand's flag
    rng = np.random.default_rng(0)
    a, b = (rng.normal(size=s).astype(np.float16) for s in (sa, sb))
    g = rng.normal(size=np.broadcast_shapes(sa[:-2], sb[:-2]) + (sa[-2], sb[-1])).astype(np.float16)
    batched = len(sa) > 2  # then W is b, else a
    grads = []
    for other in (True, False):
        x, w = Tensor(a, requires_grad=other or not batched), Tensor(b, requires_grad=other or batched)
        (x @ w).backward(g)
        grads.append((w if batched else x).grad)
    assert grads[0].dtype == grads[1].dtype == np.float16 and np.array_equal(*grads)
