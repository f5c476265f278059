"""ex05: a topological order of a graph, without recursion."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from ..kit import (
    CheckFailure,
    Exercise,
    Graph,
    NodeRef,
    Opaque,
    Raised,
    Session,
    describe,
    fail,
    mentions,
    recursive_functions,
    unseen,
)

EXERCISE = Exercise(
    5, "topological_order", "topological_order", "Topological order of a graph, without recursion", 2,
    "walking the graph in topological order",
    {
        "recursive": "a chain of 5000 operations goes deeper than Python's recursion limit (about 1000 "
                     "calls). Replace the recursion with an explicit stack (a list you push to and pop from).",
        "recursion_limit": "raising the recursion limit hides the problem instead of solving it: a deeper "
                           "graph still crashes, and every level costs memory. Use an explicit stack.",
        "duplicates": "a node reached along two paths is listed twice. Keep a set of the nodes already "
                      "emitted and skip them.",
        "reversed": "the root came first. Every node must come AFTER all of its parents, so the root is "
                    "last (backward then walks the list in reverse).",
        "parent_after_child": "a node was listed before one of its parents. Emit a node only once all of "
                              "its parents are emitted (post-order).",
        "marked_when_pushed": "a node reached along two paths (like x in y = x + x*2) came after a node that "
                              "uses it. That happens when a node is listed when first reached (a pre-order, "
                              "reversed or not) or marked as visited when it is pushed, so that the second path "
                              "skips it before its turn. Emit a node when it is finished, after all of its parents "
                              "(post-order), and mark it when it is expanded or finished.",
        "bfs": "this is a breadth-first order, reversed. It fails when a node is reached along paths of "
               "different lengths (like x in y = x + x*2): use a depth-first post-order.",
        "repeated_parent": "a node may list the same parent twice (s = b * b has parents (b, b)). Count and "
                           "visit parents the same way: either every occurrence, or each distinct parent once.",
        "missing_nodes": "some nodes that the root depends on are missing. Visit every parent, and the "
                         "parents of parents, down to the leaves.",
        "no_leaves": "the leaves (inputs, constants) belong in the order too: they get gradients as well.",
        "no_root": "the root itself belongs in the order, as the last entry: backward starts there.",
        "labels_as_keys": "two nodes may share a label (two constants 2, or an engine's unnamed nodes): keep the "
                          "nodes themselves in your sets (seen.add(node)), not their labels.",
        "timeout": "if your walk keeps no set of the nodes it has expanded: on a graph where nodes are shared it goes "
                   "through a shared node once for every path that leads to it, and the number of paths can double "
                   "at each level of the graph. Keep a set of the nodes already expanded and skip them when they "
                   "come again.",
        "node_attribute": "a node has only `_parents`, `label` and `data` (like the engine's Value, it takes no "
                          "attributes of yours): keep the nodes you have visited in a set of your own "
                          "(seen = set(); seen.add(node); node in seen).",
        "changed_graph": "your walk changes the nodes' parents (node._parents = ...): a second loss.backward() "
                         "walks the same graph again and needs every parent still there. Leave the nodes as they "
                         "are, and keep what is left to visit in a stack of your own, e.g. of (node, index of its "
                         "next parent) pairs.",
        "state_kept_between_calls": "a second loss.backward() walks the same graph again: a set or list made outside "
                                    "the function (at module level) still holds the first call's nodes, which the "
                                    "second call skips (a set) or returns again (a list). Make them inside the "
                                    "function (seen = set() as its first line), so that each call starts afresh.",
    },
)

CHAIN = 5000  # deeper than Python's default recursion limit of 1000

# (description, nodes as (label, parent indices)); the root is the last node.
GRAPHS = [
    ("y = x + tanh(exp(x)) + k, parents of y listed as (x, m, k)",
     [("x", []), ("k", []), ("a = exp(x)", [0]), ("m = tanh(a)", [2]), ("y", [0, 3, 1])]),
    ("y = x + x*2, parents of y listed as (x, m)", [("x", []), ("2", []), ("m = x*2", [0, 1]), ("y", [0, 2])]),
    ("y = x*2 + x, parents of y listed as (m, x)", [("x", []), ("2", []), ("m = x*2", [0, 1]), ("y", [2, 0])]),
    ("a single leaf x", [("x", [])]),
    ("g = b*b + c (s = b*b lists b twice)", [("b", []), ("s = b*b", [0, 0]), ("c", []), ("g", [1, 2])]),
    ("f = tanh((a*b + a) * (a*b)) + a*a", [("a", []), ("b", []), ("c = a*b", [0, 1]), ("d = c+a", [2, 0]),
                                           ("e = d*c", [3, 2]), ("t = tanh(e)", [4]), ("s = a*a", [0, 0]),
                                           ("f = t+s", [5, 6])]),
    ("y = x*2 + z*2 (two nodes labelled '2')", [("x", []), ("2", []), ("m = x*2", [0, 1]), ("z", []), ("2", []),
                                                ("n = z*2", [3, 4]), ("y", [2, 5])]),
    (f"a chain x{CHAIN} = x{CHAIN - 1} + 1 = ... (x0 a leaf)", [("x0", [])] + [(f"x{i}", [i - 1])
                                                                          for i in range(1, CHAIN + 1)]),
]


def _fresh(g: np.random.Generator, n: int = 4000) -> tuple[str, list]:
    """A random graph of `n` nodes whose labels tell nothing of its order, and in which every path from the root to the
    first node takes over n / 3 steps, deeper than the recursion limit whatever order a walk takes (the chain was the
    only deep graph, and its root's label names it: a recursion that walked it by hand passed): 30 leaves; every other
    node uses the last node made that is no leaf, and up to two of the three made before it; the root uses every node
    left unused; each lists its parents in a random order (the first ones walked the graph back in the order made)."""
    leaves, parents, last = {0, *g.choice(np.arange(1, n - 1), 29, replace=False).tolist()}, [], 0
    for i in range(n - 1):
        parents.append([] if i in leaves else [last, *g.integers(max(0, i - 3), i, int(g.integers(0, 3))).tolist()])
        last = last if i in leaves else i
    parents.append(sorted(set(range(n - 1)) - {p for ps in parents for p in ps}))
    names, parents = g.permutation(n).tolist(), [g.permutation(ps).tolist() for ps in parents]
    return f"a random graph of {n} nodes, deeper than the recursion limit", [(f"v{names[i]}", ps)
                                                                              for i, ps in enumerate(parents)]


def _bfs_reversed(nodes: list) -> list[int]:
    order, seen = [len(nodes) - 1], {len(nodes) - 1}
    for n in order:  # the list grows as it is walked: a breadth-first queue
        for p in nodes[n][1]:
            if p not in seen:
                seen.add(p)
                order.append(p)
    return order[::-1]


def _validate(result: object, nodes: list, what: str, index: list[int], earlier: bool = True) -> None:
    root, label = len(nodes) - 1, lambda i: repr(nodes[i][0])
    if not isinstance(result, (list, tuple)):
        fail(f"{what}: expected a list of nodes, got {describe(result)}.")
    strangers = [r for r in result if not (isinstance(r, NodeRef) and r < len(index))]  # (beyond: a forged reply)
    if strangers:
        fail(f"{what}: your list contains {describe(strangers[0])}, which is not a node of the graph. Return the "
             "node objects themselves.", "state_kept_between_calls" if earlier and isinstance(strangers[0], Opaque)
             and strangers[0].type == "Node" else None)  # an earlier call's node (at the first: a class of one's own)
    order = [index[r] for r in result]
    repeated = {p for _, ps in nodes for p in ps if ps.count(p) > 1}
    shared = {p for p, n in Counter(p for _, ps in nodes for p in set(ps)).items() if n > 1}  # used by two nodes
    counts = Counter(order)
    dup = next((i for i in order if counts[i] > 1), None)
    if dup is not None:
        fail(f"{what}: node {label(dup)} appears {counts[dup]} times in your list.",
             "repeated_parent" if dup in repeated else "duplicates")
    missing = sorted(set(range(len(nodes))) - set(order))
    if missing:
        leaves = {i for i, (_, ps) in enumerate(nodes) if not ps}
        detail = f"{what}: {len(missing)} of the {len(nodes)} nodes are missing, e.g. {label(missing[0])}."
        if {nodes[i][0] for i in missing} & {nodes[i][0] for i in order}:
            fail(detail, "labels_as_keys")
        if missing == [root]:
            fail(detail, "no_leaves" if root in leaves else "no_root")
        fail(detail, "no_leaves" if set(missing) == leaves else
             "repeated_parent" if repeated & set(missing) else "missing_nodes")
    if len(order) > 1 and order[0] == root:
        fail(f"{what}: the root {label(root)} is the first entry of your list.", "reversed")
    position = {n: i for i, n in enumerate(order)}
    for n in order:
        for p in nodes[n][1]:
            if position[p] > position[n]:
                detail = (f"{what}: node {label(n)} is at position {position[n]}, before its parent {label(p)} "
                          f"at position {position[p]}.")
                fail(detail, "bfs" if order == _bfs_reversed(nodes) else "repeated_parent" if p in repeated
                     else "marked_when_pushed" if p in shared else "parent_after_child")


def check(run: Session) -> None:
    line = mentions(run.tree, "setrecursionlimit")
    if line is not None:
        fail(f"your file uses sys.setrecursionlimit (line {line}).", "recursion_limit")
    recursive = recursive_functions(run.tree, EXERCISE.function)
    if recursive:
        fail(f"your function `{recursive[0]}` calls itself: that is recursion.", "recursive")
    for i, (description, nodes) in enumerate(unseen(GRAPHS, _fresh)):
        what, graph = f"topological_order(root) for {description}", Graph(nodes)
        try:
            result = run(what, graph)
        except Raised as exc:
            if exc.type == "RecursionError":
                fail(f"{what} raised RecursionError ({exc.message}).", "recursive")
            if exc.type == "AttributeError" and exc.message.startswith("'Node' object has no attribute"):
                fail(f"{what} raised AttributeError: {exc.message} ({exc.where}).", "node_attribute")
            if exc.type == "AttributeError" and re.search(r"'_parents' of 'Node' object has no (setter|deleter)|can't "
                                                          r"(set|delete) attribute '_parents'", exc.message):
                fail(f"{what} raised AttributeError: {exc.message} ({exc.where}).", "changed_graph")
            raise
        _validate(result, nodes, what, graph.index, earlier=i > 0)
    what, graph = f"{what}, called twice on the same graph", Graph(nodes)  # as a second loss.backward() walks it
    try:
        _validate(run.call(what, (graph,), calls=2)[0], nodes, what, graph.index)
    except CheckFailure as exc:
        fail(f"{exc} Called once, your function was right: the second call went wrong.", "state_kept_between_calls")
