"""Wrong: adds the local derivatives without multiplying by the upstream gradient."""


def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    grads = {root: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads.get(parent, 0.0) + local
    return grads
