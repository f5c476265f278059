"""Reference solution of ex06_accumulate_grads (kept out of the package: the tests grade it)."""


def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    """Every edge adds upstream * local into its parent's gradient."""
    grads = {root: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads.get(parent, 0.0) + grads[node] * local
    return grads
