"""Check for ex06: accumulating the gradient of a node that is used more than once."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .. import catalog
from ._common import describe, expect_float, fail, fmt, same, student_function

EX = catalog.get("accumulate_grads")

Edge = tuple[str, str, float]


def _case_1() -> tuple[str, list[Edge], str]:
    # f = (x*y + x) * w with x = 3, y = -2, w = 0.5:  p = x*y, q = p + x, f = q * w.
    x, y, w = 3.0, -2.0, 0.5
    p = x * y
    q = p + x
    edges = [("f", "q", w), ("f", "w", q), ("q", "p", 1.0), ("q", "x", 1.0), ("p", "x", y), ("p", "y", x)]
    return "f = (x*y + x) * w at x=3, y=-2, w=0.5", edges, "f"


def _case_2() -> tuple[str, list[Edge], str]:
    # L = 2.5 * (a*b + b*c + b) with a = 2, b = -1.5, c = 4: b is used three times.
    a, b, c = 2.0, -1.5, 4.0
    edges = [("L", "s", 2.5), ("s", "m1", 1.0), ("s", "m2", 1.0), ("s", "b", 1.0),
             ("m1", "a", b), ("m1", "b", a), ("m2", "b", c), ("m2", "c", b)]
    return "L = 2.5 * s, s = a*b + b*c + b at a=2, b=-1.5, c=4", edges, "L"


def _backprop(edges: list[Edge], root: str, mode: str) -> dict[str, float]:
    grads = {root: 1.0}
    for node, parent, local in edges:
        if mode == "right":
            grads[parent] = grads.get(parent, 0.0) + grads[node] * local
        elif mode == "overwrite":
            grads[parent] = grads[node] * local
        elif mode == "no_upstream":
            grads[parent] = grads.get(parent, 0.0) + local
    return grads


def _show(d: dict[str, float]) -> str:
    return "{" + ", ".join(f"{k!r}: {fmt(v)}" for k, v in sorted(d.items())) + "}"


def _as_grads(result: Any, what: str) -> dict[str, float]:
    if not isinstance(result, dict):
        fail(EX, f"{what}: expected a dict mapping node names to gradients, got {describe(result)}.")
    return {str(k): expect_float(EX, v, f"{what}: the gradient of {k!r}") for k, v in result.items()}


def check(module: ModuleType) -> None:
    fn = student_function(module, EX)
    for what_graph, edges, root in (_case_1(), _case_2()):
        what = f"{EX.function}(edges, {root!r}) for {what_graph}"
        got = _as_grads(fn(list(edges), root), what)
        expected = _backprop(edges, root, "right")
        names = sorted(expected)
        if sorted(got) == names and same([got[k] for k in names], [expected[k] for k in names]):
            continue
        detail = f"{what} returned {_show(got)}; expected {_show(expected)}."
        if root not in got:
            fail(EX, detail, "no_root")
        for mode in ("overwrite", "no_upstream"):
            wrong = _backprop(edges, root, mode)
            if sorted(got) == names and same([got[k] for k in names], [wrong[k] for k in names]):
                fail(EX, detail, mode)
        if sorted(got) != names:
            fail(EX, f"{what} returned gradients for {sorted(got)}; expected one for each node: {names}.")
        bad = next(k for k in names if not same(got[k], expected[k]))
        fail(EX, detail + f" The first wrong one is {bad!r}: add up upstream * local over every edge into it.")
