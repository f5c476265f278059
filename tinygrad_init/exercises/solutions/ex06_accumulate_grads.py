"""Reference solution for exercise 06."""


def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    """Every edge adds upstream * local into its parent's gradient."""
    grads = {root: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    return grads
