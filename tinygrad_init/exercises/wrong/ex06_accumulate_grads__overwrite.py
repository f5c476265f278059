"""Wrong: assigns the contribution instead of adding it, so a reused node keeps only the last one."""


def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    grads = {root: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads[node] * local
    return grads
