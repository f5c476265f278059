"""Known-wrong answers to ex05_topological_order: one section per mistake, each a whole student file.

A section starts with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade
each section and expect exactly that hint.
"""
# ruff: noqa

# wrong: duplicates
# no record of the nodes already appended, so a shared node appears twice.
def topological_order(root) -> list:
    order = []
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        stack.append((node, True))
        for p in node._parents:
            stack.append((p, False))
    return order


# wrong: recursive
# the recursive version, which exceeds the recursion limit on a deep chain.
def topological_order(root) -> list:
    order = []
    visited = set()

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for p in node._parents:
            visit(p)
        order.append(node)

    visit(root)
    return order


# wrong: reversed
# a breadth-first walk from the root, which lists the root first.
def topological_order(root) -> list:
    order = []
    seen = {root}
    queue = [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for p in node._parents:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return order


# wrong: node_attribute
# marks the nodes themselves (node.visited = True), which take no attributes: the right order, by the wrong means.
def topological_order(root) -> list:
    order, stack = [], [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if getattr(node, "visited", False):
            continue
        node.visited = True
        stack.append((node, True))
        stack.extend((p, False) for p in node._parents)
    return order


# wrong: labels_as_keys
# a right post-order that keeps labels in its sets: two nodes labelled alike count as one.
def topological_order(root) -> list:
    order, expanded, done, stack = [], set(), set(), [root]
    while stack:
        node = stack.pop()
        if node.label in expanded:
            if node.label not in done:
                done.add(node.label)
                order.append(node)
            continue
        expanded.add(node.label)
        stack.append(node)
        stack.extend(p for p in node._parents if p.label not in expanded)
    return order
