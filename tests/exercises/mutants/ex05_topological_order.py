"""Mutants of ex05_topological_order: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: marked_when_pushed
# marks a node as seen when it is pushed, so a node reached along a second path is skipped.
def topological_order(root):
    order, seen = [], {root}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        for p in node._parents:
            if p not in seen:
                seen.add(p)
                stack.append((p, False))
    return order


# mutant: recursion_limit
# "no recursion" met by raising the recursion limit.
import sys

sys.setrecursionlimit(100_000)


def topological_order(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for p in node._parents:
                visit(p)
            order.append(node)

    visit(root)
    return order


# mutant: recursion_limit
# the same, with the limit raised under another name and the recursion in a method.
from sys import setrecursionlimit as allow_deep_graphs

allow_deep_graphs(100_000)


class _Walk:
    def __init__(self):
        self.order, self.seen = [], set()

    def visit(self, node):
        if node not in self.seen:
            self.seen.add(node)
            for p in node._parents:
                self.visit(p)
            self.order.append(node)


def topological_order(root):
    walk = _Walk()
    walk.visit(root)
    return walk.order


# mutant: repeated_parent
# Kahn's algorithm: counts every occurrence of a parent, but decrements each distinct parent once.
def topological_order(root):
    nodes, stack = [], [root]
    while stack:
        n = stack.pop()
        if n not in nodes:
            nodes.append(n)
            stack.extend(n._parents)
    uses = {n: 0 for n in nodes}
    for n in nodes:
        for p in n._parents:
            uses[p] += 1
    ready, order = [root], []
    while ready:
        n = ready.pop()
        order.append(n)
        for p in set(n._parents):
            uses[p] -= 1
            if uses[p] == 0:
                ready.append(p)
    return order[::-1]


# mutant: bfs
# a breadth-first walk from the root, reversed.
from collections import deque


def topological_order(root):
    order, seen, queue = [], {root}, deque([root])
    while queue:
        n = queue.popleft()
        order.append(n)
        for p in n._parents:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return order[::-1]


# mutant: no_leaves
# lists only the nodes computed by an operation.
def topological_order(root):
    order, expanded, done = [], set(), set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in expanded:
            if node not in done:
                done.add(node)
                if node._parents:
                    order.append(node)
            continue
        expanded.add(node)
        stack.append(node)
        stack.extend(p for p in node._parents if p not in expanded)
    return order


# mutant: no_root
# starts the walk at the root's parents and never lists the root.
def topological_order(root):
    order, expanded, done = [], set(), set()
    stack = list(root._parents)
    while stack:
        node = stack.pop()
        if node in expanded:
            if node not in done:
                done.add(node)
                order.append(node)
            continue
        expanded.add(node)
        stack.append(node)
        stack.extend(p for p in node._parents if p not in expanded)
    return order


# mutant: missing_nodes
# follows only the first parent of every node.
def topological_order(root):
    order, node = [], root
    while True:
        order.append(node)
        if not node._parents:
            return order[::-1]
        node = node._parents[0]


# mutant: parent_after_child
# the leaves first, then the operations in the order the walk from the root found them.
def topological_order(root):
    found, stack = [], [root]
    while stack:
        n = stack.pop()
        if n not in found:
            found.append(n)
            stack.extend(n._parents)
    return [n for n in found if not n._parents] + [n for n in found if n._parents]


# mutant: marked_when_pushed
# a reversed pre-order: a node is final the first time it is seen.
def topological_order(root):
    order, seen, stack = [], set(), [root]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        order.append(n)
        stack.extend(n._parents)
    return order[::-1]


# mutant: state_kept_between_calls
# the visited set at module level, never emptied: a second call on the same graph (a second backward) skips every node.
seen = set()


def topological_order(root):
    order, stack = [], [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((p, False) for p in node._parents)
    return order


# mutant: state_kept_between_calls
# the order at module level, never emptied: the second graph's list still holds the first graph's nodes.
order = []


def topological_order(root):
    seen, stack = set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((p, False) for p in node._parents)
    return order


# mutant: changed_graph
# takes each node's parents away as it walks them: right once, but a second call on the same graph finds no parents.
def topological_order(root):
    order, stack, seen = [], [root], set()
    while stack:
        node = stack[-1]
        if node._parents:
            parent, node._parents = node._parents[0], node._parents[1:]
            if parent not in seen:
                stack.append(parent)
        else:
            stack.pop()
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order
