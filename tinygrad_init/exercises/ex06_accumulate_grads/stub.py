"""Exercise 06 -- gradients of a reused node add up (tutorial 2: The backprop chain: upstream × local).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about accumulating gradients along the edges of a graph.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex06
"""


def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    """Backpropagate along `edges` from `root`; return {node name: dL/dnode} for every node.

    The task:
        Each edge is a triple (node, parent, local): `node` was computed from
        `parent`, and local = d node / d parent. Edges are listed in the order
        backward visits them: an edge leaving a node comes only after every edge
        that brings gradient INTO that node. Start from dL/droot = 1.0 and walk
        the edges once. Return a dict with the gradient of every node: the root's (with
        no edges at all, a root alone: {root: 1.0}), and 0.0 for a node whose gradient
        is 0 (behind a ReLU at a negative input, relu' = 0).

    The math:
        dL/dparent = sum over the edges (node, parent, local) of  dL/dnode * local
        A node used twice (x in x*y + x) receives one contribution per use; in s = a * a
        the same edge ("s", "a", local) is listed twice, once per use, and counts twice.

    Example:
        f = x*y + x at x = 3, y = -2, with p = x*y:
        edges = [("f", "p", 1.0), ("f", "x", 1.0), ("p", "x", -2.0), ("p", "y", 3.0)]
        accumulate_grads(edges, "f") == {"f": 1.0, "p": 1.0, "x": -1.0, "y": 3.0}
        (x gets 1.0 from f directly and 1.0 * -2.0 through p)

    Hint:
        Keep a dict of gradients, starting with the root's. When an edge reaches
        a parent, ADD its contribution (a parent seen for the first time starts
        from 0.0: dict.get(name, 0.0)); assigning would throw earlier uses away.
    """
    raise NotImplementedError("accumulate_grads: replace this line with your code (see the docstring)")
