"""Ledger behaviour pinned against hand computations: negative step indices, an empty pass, step rows, repr."""

from __future__ import annotations

from tinygrad_init import Value, ledger


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
