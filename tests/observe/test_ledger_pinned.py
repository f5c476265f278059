"""Ledger behaviour pinned against hand computations: negative step indices, an empty pass, step rows, repr."""

from __future__ import annotations

from tinygrad_init import Value, ledger
from tinygrad_init.ledger import path_products


def test_line_takes_negative_indices_down_to_minus_len_as_a_list_does():
    a = Value(2.0, label="a")
    with ledger.record() as steps:
        (a * 3.0).backward()
    n = len(steps)
    assert steps.line(-n) == steps.line(0) and steps.line(-1) == steps.line(n - 1)


def test_a_pass_with_no_step_first_keeps_no_step_of_the_next_pass():
    a, b = Value(2.0, label="a"), Value(5.0, label="b")
    with ledger.record() as steps:
        a.backward()  # a leaf: dL/dL only, no chain-rule step
        (b * b).backward()  # two steps: d(b*b)/db twice
    assert steps.pass_steps(0) == [] and len(steps.pass_steps(1)) == 2


def test_step_rows_say_which_parent_an_edge_is_when_a_node_is_used_twice():
    b = Value(5.0, label="b")
    with ledger.record() as steps:
        (b * b).backward()
    rows = steps.to_rows()
    assert [r["parent_index"] for r in rows] == [0, 1]  # b * b: parents (b, b), one edge each
    assert [(r["contribution_number"], r["contributions_expected"]) for r in rows] == [(1, 2), (2, 2)]
    assert [r["local"] for r in rows] == [5.0, 5.0] and rows[-1]["grad_after"] == 10.0  # d(b^2)/db = 2b


def test_repr_names_three_roots_then_an_ellipsis():
    with ledger.record() as steps:
        for name in "pqrs":
            v = Value(1.0, label="x") * 2.0
            v.label = name
            v.backward()
    assert repr(steps) == "Ledger(4 steps in 4 backward passes from p, q, r, ...)"


def test_path_products_repr_states_the_sum_and_counts_paths_in_the_singular_too():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    assert repr(path_products(x * y, x)) == "PathProducts(dL/dx = 3.0 over 1 path)"  # d(xy)/dx = y
    assert repr(path_products(x * y + x, x)) == "PathProducts(dL/dx = 4.0 over 2 paths)"  # y + 1


def _chain(n: int) -> tuple[Value, Value]:
    x = v = Value(2.0, label="x")
    for _ in range(n):
        v = v * 2.0
    return v, x


def test_path_explain_writes_a_path_of_max_factors_in_full_and_cuts_a_longer_one():
    full = path_products(*_chain(12)).explain()  # the default max_factors=12
    assert " × ".join(["2.0"] * 12) + " = 4096.0" in full and "factors)" not in full  # 2^12
    cut = path_products(*_chain(13)).explain()
    assert "2.0 × 2.0 × 2.0 × 2.0 × ... × 2.0 × 2.0   (13 factors) = 8192.0" in cut  # 2^13


def test_path_explain_writes_4_significant_digits_by_default():
    x = Value(2.0, label="x")
    assert "L <- x:  0.3333 = 0.3333" in path_products(x * (1 / 3), x).explain()  # d(x/3)/dx = 1/3
