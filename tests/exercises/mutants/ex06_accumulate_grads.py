"""Mutants of ex06_accumulate_grads: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: repeated_edge
# keys the local derivatives by (node, parent): the two edges of a * a collapse into one.
def accumulate_grads(edges, root):
    local = {(node, parent): d for node, parent, d in edges}
    grads = {root: 1.0}
    for (node, parent), d in local.items():
        grads[parent] = grads.get(parent, 0.0) + grads[node] * d
    return grads


# mutant: wrong_order
# walks the edges from the leaves up.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, d in reversed(edges):
        grads[parent] = grads.get(parent, 0.0) + grads[node] * d
    return grads


# mutant: missing_zero
# += on a parent that has no gradient yet.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, d in edges:
        grads[parent] += grads[node] * d
    return grads


# mutant: init_one
# starts every gradient at 1.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, d in edges:
        grads[parent] = grads.get(parent, 1.0) + grads[node] * d
    return grads


# mutant: root_zero
# starts the root at 0.
def accumulate_grads(edges, root):
    grads = {root: 0.0}
    for node, parent, d in edges:
        grads[parent] = grads.get(parent, 0.0) + grads[node] * d
    return grads


# mutant: multiplied
# multiplies the contributions of the different uses.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, d in edges:
        grads[parent] = grads.get(parent, 1.0) * (grads[node] * d)
    return grads


# mutant: first_only
# keeps the first contribution and ignores the rest.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, d in edges:
        grads.setdefault(parent, grads[node] * d)
    return grads


# mutant: only_leaves
# returns the gradients of the inputs only.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, d in edges:
        grads[parent] = grads.get(parent, 0.0) + grads[node] * d
    inner = {node for node, _, _ in edges}
    return {k: v for k, v in grads.items() if k not in inner}


# mutant: no_root
# uses 1.0 for the root without storing it.
def accumulate_grads(edges, root):
    grads = {}
    for node, parent, d in edges:
        grads[parent] = grads.get(parent, 0.0) + grads.get(node, 1.0) * d
    return grads


# mutant: root_from_edges
# takes the root from the first edge, which a graph of the root alone does not have.
def accumulate_grads(edges, root):
    grads = {edges[0][0]: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    return grads


# mutant: no_root
# the root's gradient set when its first edge is met: a root with no edges is left out.
def accumulate_grads(edges, root):
    grads = {}
    for node, parent, local in edges:
        grads.setdefault(node, 1.0)
        grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    return grads


# mutant: no_root
# stores the root's gradient after the walk: the first edge reads a gradient that is not there (KeyError on the root,
# which was told that the edges came in the wrong order).
def accumulate_grads(edges, root):
    grads = {}
    for node, parent, local in edges:
        grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    grads[root] = 1.0
    return grads


# mutant: zero_dropped
# skips the contributions that are 0 ("nothing flows there"): a node behind a ReLU at a negative input is left out.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, local in edges:
        if grads[node] * local != 0:
            grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    return grads


# mutant: zero_dropped
# skips the nodes whose gradient is 0, so their parents are never reached.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, local in edges:
        if grads.get(node, 0.0) == 0.0:
            continue
        grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    return grads


# mutant: wrong_order
# sorts the edges by node name (to group each node's edges), which breaks the order backward needs.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, local in sorted(edges, key=lambda e: e[0]):
        grads[parent] = grads.get(parent, 0.0) + grads.get(node, 0.0) * local
    return grads


# mutant: wrong_order
# sorts the edges by parent name, so that each node's contributions are added one after another.
def accumulate_grads(edges, root):
    grads = {root: 1.0}
    for node, parent, local in sorted(edges, key=lambda e: e[1]):
        grads[parent] = grads.get(parent, 0.0) + grads.get(node, 0.0) * local
    return grads
