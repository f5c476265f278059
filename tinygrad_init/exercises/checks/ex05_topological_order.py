"""Check for ex05: a topological order of a graph of Values, without recursion."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ... import Value
from .. import catalog
from ._common import describe, fail, raised_in, student_function

EX = catalog.get("topological_order")

CHAIN_LENGTH = 5000  # deeper than Python's default recursion limit of 1000


def _label(node: Any) -> str:
    return repr(node.label) if getattr(node, "label", "") else repr(node)


def _graph() -> Value:
    """f = tanh((a*b + a) * (a*b)) + a*a: a is used four times, a*b twice, and a*a lists a twice."""
    a, b = Value(2.0, "a"), Value(-0.5, "b")
    c = a * b
    c.label = "c = a*b"
    d = c + a
    d.label = "d = c+a"
    e = d * c
    e.label = "e = d*c"
    t = e.tanh()
    t.label = "t = tanh(e)"
    sq = a * a
    sq.label = "s = a*a"
    f = t + sq
    f.label = "f = t+s"
    return f


def _reachable(root: Value) -> dict[int, Value]:
    seen: dict[int, Value] = {}
    stack = [root]
    while stack:
        n = stack.pop()
        if id(n) not in seen:
            seen[id(n)] = n
            stack.extend(n._parents)
    return seen


def _validate(result: Any, root: Value, what: str) -> None:
    if not isinstance(result, (list, tuple)):
        fail(EX, f"{what}: expected a list of nodes, got {describe(result)}.")
    nodes = _reachable(root)
    ids = [id(n) for n in result]
    id_set = set(ids)
    if len(id_set) != len(ids):
        seen: set[int] = set()
        for dup in result:
            if id(dup) in seen:
                break
            seen.add(id(dup))
        fail(EX, f"{what}: node {_label(dup)} appears {ids.count(id(dup))} times in your list "
                 f"(of {len(result)} entries; the graph has {len(nodes)} nodes).", "duplicates")
    foreign = [n for n in result if id(n) not in nodes]
    if foreign:
        fail(EX, f"{what}: your list contains {describe(foreign[0])}, which is not a node of the graph. "
                 "Return the node objects themselves.")
    missing = [n for k, n in nodes.items() if k not in id_set]
    if missing:
        fail(EX, f"{what}: {len(missing)} of the {len(nodes)} nodes are missing, e.g. {_label(missing[0])}.",
             "missing_nodes")
    if len(result) > 1 and id(result[0]) == id(root):
        fail(EX, f"{what}: the root {_label(root)} is the first entry of your list.", "reversed")
    position = {k: i for i, k in enumerate(ids)}
    for n in result:
        for p in n._parents:
            if position[id(p)] > position[id(n)]:
                fail(EX, f"{what}: node {_label(n)} is at position {position[id(n)]}, before its parent "
                         f"{_label(p)} at position {position[id(p)]}.", "parent_after_child")
    # Every node is an ancestor of root, so a valid order ends with root.


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    path = getattr(module, "__file__", None)

    leaf = Value(1.0, "x")
    _validate(fn(leaf), leaf, "topological_order(x) for a single leaf x")

    root = _graph()
    _validate(fn(root), root, "topological_order(f) for f = tanh((a*b + a) * (a*b)) + a*a")

    x = Value(0.0, "x0")
    for i in range(CHAIN_LENGTH):
        x = x + 1.0
        x.label = f"x{i + 1}"
    what = f"topological_order(x{CHAIN_LENGTH}) for a chain x{CHAIN_LENGTH} = x{CHAIN_LENGTH - 1} + 1 = ... (x0 a leaf)"
    try:
        result = fn(x)
    except RecursionError as exc:
        if raised_in(exc, path):
            fail(EX, f"{what} raised RecursionError: {exc}.", "recursive")
        raise
    _validate(result, x, what)
