"""ex06: accumulating the gradient of a node that is used more than once."""

from __future__ import annotations

from ..kit import Exercise, Raised, Session, describe, expect_float, fail, fmt, same, unseen

EXERCISE = Exercise(
    6, "accumulate_grads", "accumulate_grads", "Accumulate gradients of a reused node", 2,
    "accumulating gradients along the edges of a graph",
    {
        "overwrite": "a node that is used several times (x in x*y + x) gets one contribution per use, and "
                     "they ADD: grads[parent] += ... . You overwrote it with the last contribution.",
        "no_upstream": "each contribution is upstream * local, where upstream = grads[node] is the "
                       "gradient of the node the edge leaves; you added the local derivative alone.",
        "no_root": "the root's own gradient dL/dL = 1.0 must be in the dictionary from the start (backward starts "
                   "from it).",
        "root_from_edges": "the root is the `root` argument, not the first edge's node: a root with no edges (a "
                           "graph of one node) gets {root: 1.0}.",
        "repeated_edge": "the same edge can appear twice: s = a * a has two edges s -> a, one per use. Keyed by "
                         "(node, parent) in a dict or a set, they collapse into one. Walk the list itself.",
        "wrong_order": "the edges come in the order backward must follow, from the root down; walking them in "
                       "another order (reversed, or sorted by name) uses a node's gradient before all of its "
                       "contributions have arrived. Walk the list as it is given.",
        "missing_zero": "grads[parent] += ... needs a starting value the first time a parent is reached: "
                        "grads.get(parent, 0.0) + ... (or a collections.defaultdict(float)).",
        "init_one": "a gradient starts at 0 and collects contributions; only the root starts at 1.",
        "root_zero": "the root's gradient is dL/dL = 1, not 0: with 0 every gradient is 0.",
        "multiplied": "contributions from the different uses of a node ADD up; you multiplied them.",
        "first_only": "you kept the first contribution to a node and dropped the others: they add up.",
        "only_leaves": "return the gradient of every node, the intermediate ones too, not only the inputs'.",
        "zero_dropped": "a gradient of 0 is a gradient too: behind a ReLU at a negative input (relu' = 0) the nodes "
                        "get 0.0, and they belong in the dict. Add every contribution, 0 or not, and walk every edge.",
    },
)

Edge = tuple[str, str, float]

# (description, edges, root): every edge is (node, parent, d node / d parent), in the order backward walks them.
CASES: list[tuple[str, list[Edge], str]] = [
    ("f = (x*y + x) * w at x=3, y=-2, w=0.5",
     [("f", "q", 0.5), ("f", "w", -3.0), ("q", "p", 1.0), ("q", "x", 1.0), ("p", "x", -2.0), ("p", "y", 3.0)], "f"),
    ("L = 2.5 * s, s = a*b + b*c + b at a=2, b=-1.5, c=4",
     [("L", "s", 2.5), ("s", "m1", 1.0), ("s", "m2", 1.0), ("s", "b", 1.0),
      ("m1", "a", -1.5), ("m1", "b", 2.0), ("m2", "b", 4.0), ("m2", "c", -1.5)], "L"),
    ("L = 3 * (a*a + a) at a=-0.5 (a*a uses a twice: two edges s -> a)",
     [("L", "t", 3.0), ("t", "s", 1.0), ("t", "a", 1.0), ("s", "a", -0.5), ("s", "a", -0.5)], "L"),
    ("L alone (no edges)", [], "L"),
    ("L = relu(x*y) * w at x=-1, y=2, w=0.5 (relu'(-2) = 0: p, x, y and w get 0)",
     [("L", "r", 0.5), ("L", "w", 0.0), ("r", "p", 0.0), ("p", "x", 2.0), ("p", "y", -1.0)], "L"),
]


def _backprop(edges: list[Edge], root: str, mode: str) -> dict[str, float]:
    """The gradients, right (`mode="right"`) or as a known mistake computes them (`sorted_by_node`, `sorted_by_parent`:
    the edges sorted by that name, one more `wrong_order`)."""
    if mode == "repeated_edge":
        edges = list({(n, p): (n, p, l) for n, p, l in edges}.values())
    grads = {root: {"root_zero": 0.0}.get(mode, 1.0)}
    walk = {"wrong_order": edges[::-1], "sorted_by_node": sorted(edges, key=lambda e: e[0]),
            "sorted_by_parent": sorted(edges, key=lambda e: e[1])}.get(mode, edges)
    for node, parent, local in walk:
        up = grads.get(node, 0.0)
        if mode == "overwrite":
            grads[parent] = up * local
        elif mode == "no_upstream":
            grads[parent] = grads.get(parent, 0.0) + local
        elif mode == "multiplied":
            grads[parent] = grads.get(parent, 1.0) * up * local
        elif mode == "first_only":
            grads.setdefault(parent, up * local)
        else:
            grads[parent] = grads.get(parent, 1.0 if mode == "init_one" else 0.0) + up * local
    if mode == "only_leaves":
        inner = {n for n, _, _ in edges}
        return {k: v for k, v in grads.items() if k not in inner}
    return grads


def _show(d: dict) -> str:
    return "{" + ", ".join([f"{fmt(k)}: {fmt(v)}" for k, v in sorted(d.items())[:12]] + ["..."] * (len(d) > 12)) + "}"


def _equal(got: dict, want: dict) -> bool:
    return sorted(got) == sorted(want) and same([got[k] for k in sorted(want)], [want[k] for k in sorted(want)])


def _drawn(g) -> tuple[str, list[Edge], str]:
    """A graph drawn afresh (a published one with other local derivatives let a formula per published graph pass): 8
    nodes named at random, each but the root used by a node above it, 4 more uses (the same edge twice, maybe)."""
    names = [f"n{i}" for i in g.permutation(8).tolist()]
    uses = [(int(g.integers(j)), j) for j in range(1, 8)] + [tuple(sorted(g.choice(8, 2, replace=False).tolist()))
                                                             for _ in range(4)]
    edges = [(names[c], names[p], round(float(g.uniform(-2.0, 2.0)), 3)) for c, p in sorted(uses)]
    return "a graph of 8 nodes drawn afresh", edges, names[0]


def check(run: Session) -> None:
    for description, edges, root in unseen(CASES, _drawn):
        what = f"accumulate_grads(edges, {root!r}) for {description}"
        try:
            result = run(what, [tuple(e) for e in edges], root)
        except Raised as exc:
            if exc.type == "IndexError" and not edges:
                fail(f"{what} raised IndexError: {exc.message}.", "root_from_edges")
            if exc.type == "KeyError" and edges:
                zeros = [repr(k) for k, v in _backprop(edges, root, "right").items() if v == 0]
                key = "no_root" if exc.message == repr(root) else "missing_zero" if exc.message == repr(edges[0][1]) \
                    else "zero_dropped" if exc.message in zeros else "wrong_order"
                fail(f"{what} raised KeyError: {exc.message}.", key)
            raise
        if not isinstance(result, dict):
            fail(f"{what}: expected a dict mapping node names to gradients, got {describe(result)}.")
        got = {str(k): expect_float(v, f"{what}: the gradient of {fmt(k)}") for k, v in result.items()}
        expected = _backprop(edges, root, "right")
        if _equal(got, expected):
            continue
        detail = f"{what} returned {_show(got)}; expected {_show(expected)}."
        for mode in ("overwrite", "no_upstream", "repeated_edge", "init_one", "root_zero", "multiplied",
                     "first_only", "only_leaves", "wrong_order", "sorted_by_node", "sorted_by_parent"):
            if _equal(got, _backprop(edges, root, mode)):
                fail(detail, "wrong_order" if mode.startswith("sorted") else mode)
        if root not in got:
            fail(detail, "no_root")
        if set(got) < set(expected) and not any(expected[k] for k in set(expected) - set(got)):
            fail(detail, "zero_dropped")
        if sorted(got) != sorted(expected):
            fail(f"{what} returned gradients for {fmt(sorted(got))}; expected one for each node: "
                 f"{fmt(sorted(expected))}.")
        bad = next(k for k in sorted(expected) if not same(got.get(k), expected[k]))
        fail(detail + f" The first wrong one is {bad!r}: add up upstream * local over every edge into it.")
