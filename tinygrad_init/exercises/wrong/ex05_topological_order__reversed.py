"""Wrong: a breadth-first walk from the root, which lists the root first."""


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
