"""Wrong: no record of the nodes already appended, so a shared node appears twice."""


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
