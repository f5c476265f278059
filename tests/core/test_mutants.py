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


def test_constant_first_is_false_where_there_is_no_constant():
    a, b = Value(1.0), Value(2.0)
    assert [v.constant_first for v in (a, a * b, a - 2, 2 - a, Value.sum([a, b]))] == [False, False, False, True, False]


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
