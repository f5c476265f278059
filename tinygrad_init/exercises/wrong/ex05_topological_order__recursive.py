"""Wrong: the recursive version, which exceeds the recursion limit on a deep chain."""


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
