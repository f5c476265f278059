"""Reference solution of ex05_topological_order (kept out of the package: the tests grade it)."""


def topological_order(root) -> list:
    """Iterative depth-first post-order: a node is appended once all its parents are."""
    order = []
    expanded = set()
    done = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in expanded:
            if node not in done:  # second visit: its parents are finished
                done.add(node)
                order.append(node)
            continue
        expanded.add(node)
        stack.append(node)
        stack.extend(p for p in node._parents if p not in expanded)
    return order
