"""What the ledger prints is true: each scalar line `dL/dp = dL/dn × dn/dp = upstream × local = contribution` read back
from its text (upstream: the node's finished gradient, local: the op's derivative recomputed here, contributions
summing to the parent's gradient, all as torch computes them), and its rounded arithmetic checks out by hand."""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pytest

from tinygrad_init import Value, ledger
from tinygrad_init.ledger import format_number, path_products

_LINE = re.compile(r"^d\S+/d\S+ \+?= d\S+/d\S+ × .*? = (\S+) × (\S+) ([=≈]) (\S+)(?:   \(.*\))?$")


def _graph(seed: int, torch=None):  # noqa: ANN001, ANN202 - (Value nodes, their torch twins or None, the root)
    rng = random.Random(seed)
    tw = (lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)) if torch else (lambda v: None)
    nodes = [(Value(x := rng.uniform(-2, 2), label=f"x{i}"), tw(x)) for i in range(3)]
    ops = {"+": lambda a, b: a + b, "*": lambda a, b: a * b, "-": lambda a, b: a - b, "**2": lambda a, b: a ** 2,
           "tanh": lambda a, b: a.tanh(), "exp": lambda a, b: a.exp(), "relu": lambda a, b: a.relu(),
           "3-": lambda a, b: 3.0 - a, "c*": lambda a, b: 0.7 * a, "+c": lambda a, b: a + 1.5}  # one node each
    for _ in range(rng.randint(3, 10)):
        fn = ops[rng.choice(sorted(ops))]
        (a, ta), (b, tb) = rng.choice(nodes), rng.choice(nodes)  # a node may be used twice (a * a) and reused later
        if fn is not ops["exp"] or abs(a.data) < 3:
            nodes.append((fn(a, b), torch and fn(ta, tb)))
    (a, ta), (b, tb) = nodes[-1], nodes[-2]
    nodes.append((a * b, torch and ta * tb))
    nodes.append((nodes[-1][0] + a, torch and nodes[-1][1] + ta))  # the root: a * b + a
    return nodes, nodes[-1][0]


def _local(node: Value, j: int) -> float:  # d(node)/d(its j-th parent) at the forward values, recomputed here
    x, op, parents = node.parents[j].data, node.op, node.parents
    if op == "*":
        return parents[1 - j].data if len(parents) == 2 else 0.7  # the graphs' one constant factor
    return {"+": 1.0, "-": 1.0 if j == 0 and len(parents) == 2 else -1.0, "**2": 2 * x, "tanh": 1 - math.tanh(x) ** 2,
            "exp": math.exp(x), "relu": float(x > 0)}[op]


def test_the_rounded_factors_of_a_line_multiply_to_its_product_or_it_says_approximately():
    w, x, c = Value(0.54, label="w"), Value(0.54, label="x"), Value(0.54, label="c")
    with ledger.record() as steps:
        ((w * x) * c).backward()
    # 0.54 × 0.54 = 0.2916: at one digit "0.5 × 0.5 = 0.3" would teach a wrong product
    assert steps.explain(digits=1).splitlines()[-2].endswith("= 0.5 × 0.5 ≈ 0.3")
    checked = set()
    for seed in range(40):
        with ledger.record() as steps:
            _graph(seed)[1].backward()
        for digits in (None, 1, 2, 3, 6):
            for line in steps.explain(digits=digits).splitlines()[1:]:
                u, lo, sign, c = (m := _LINE.match(line)).group(1, 2, 3, 4)
                agrees = float(format_number(float(u) * float(lo), digits)) == float(c)
                assert (sign == "=") == agrees, line
                assert sign == "=" or digits is not None, line  # with every digit the product is exact
                checked.add((digits, sign))
    assert {(6, "="), (6, "≈"), (1, "≈"), (None, "=")} <= checked


def test_a_path_product_of_rounded_factors_says_approximately_where_they_multiply_to_another_number():
    x, c = Value(0.54, label="x"), Value(0.54, label="c")
    assert path_products((x * c) * c, x).explain(digits=1).splitlines()[1].endswith(":  0.5 × 0.5 ≈ 0.3")
    signs = set()
    for seed in range(40):
        nodes, root = _graph(seed)
        for digits in (None, 2, 4):
            for line in path_products(root, nodes[0][0]).explain(digits=digits).splitlines()[1:-1]:
                factors, sign, product = re.match(r"  .*?:  (.*) ([=≈]) (\S+)$", line).group(1, 2, 3)
                shown = math.prod(map(float, factors.split(" × ")))
                assert (sign == "=") == (float(format_number(shown, digits)) == float(product)), line
                signs.add((digits, sign))
    assert {(4, "="), (4, "≈"), (None, "=")} <= signs and (None, "≈") not in signs


def test_each_printed_step_is_upstream_times_the_local_derivative_and_they_add_up_to_torchs_gradient():
    from conftest import require_module
    torch = require_module("torch")
    for seed in range(60):
        nodes, root = _graph(seed, torch)
        for _, t in nodes:
            if t.grad_fn is not None:
                t.retain_grad()
        with ledger.record() as steps:
            root.backward()
        nodes[-1][1].backward()
        grad = {id(v): 0.0 if t.grad is None else t.grad.item() for v, t in nodes}
        total: dict = {}
        for s, line in zip(steps, steps.explain(digits=None).splitlines()[1:]):
            u, lo, sign, c = _LINE.match(line).group(1, 2, 3, 4)
            assert float(u) == pytest.approx(grad[id(s.node)], rel=1e-9, abs=1e-12), line  # the finished gradient
            assert float(lo) == pytest.approx(_local(s.node, s.parent_index), rel=1e-9, abs=1e-12), line
            assert sign == "=" and float(c) == float(u) * float(lo), line
            total[id(s.parent)] = total.get(id(s.parent), 0.0) + float(c)
            if s.contribution_number == s.contributions_expected:  # its last contribution: the sum is the gradient
                assert total[id(s.parent)] == pytest.approx(grad[id(s.parent)], rel=1e-9, abs=1e-12), line


def test_a_picture_says_where_an_edges_gradient_is_summed_over_the_broadcast_axes_as_the_ledger_does():
    from tinygrad_init import Tensor, autograd, draw
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((2, 4, 3)), name="x")
    w, b, v = (Tensor(rng.standard_normal(s), requires_grad=True, name=n) for s, n in (((3, 5), "w"), ((5,), "b"),
                                                                                       ((3,), "v")))
    loss = (x @ w + b).tanh().mean() + (x @ v).sum()  # b (5,) gets a (2, 4, 5) rule; w and v over the batch of 2
    with ledger.record() as steps:
        loss.backward()
    said = {s.parent_name for s in steps if "summed over the broadcast axes" in steps.line(s.index)}
    order = autograd.topological_order(loss.grad_fn)
    edges = re.findall(r'\tn(\d+) -> n\d+ \[label="([^"]*)"', draw.draw(loss, show_local=True).source)
    drawn = {order[int(i)].name for i, label in edges if label.endswith(", summed over the broadcast axes")}
    assert said == drawn == {"w", "b", "v"} and len(edges) == len(steps)  # the picture: "db = g" was all it said


@pytest.mark.parametrize("x, digits, text", [(0.96, 1, "1"), (1.97, 1, "2"), (-9.96, 2, "-10"), (99.96, 3, "100"),
                                             (0.998659, 1, "1"), (0.96, 2, "0.96"), (1.0, 1, "1.0"),
                                             (0.0996, 2, "0.1")])
def test_a_number_rounded_up_to_a_power_of_ten_claims_no_digit_it_does_not_have(x, digits, text):
    # "0.5 × 2 = 1.0" at digits=1 wrote 0.998659 with two digits beside 1.99732 with one
    assert format_number(x, digits) == text
