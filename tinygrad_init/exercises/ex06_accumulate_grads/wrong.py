"""Known-wrong answers to ex06_accumulate_grads: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_upstream
# adds the local derivatives without multiplying by the upstream gradient.
def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    grads = {root: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads.get(parent, 0.0) + local
    return grads


# wrong: overwrite
# assigns the contribution instead of adding it, so a reused node keeps only the last one.
def accumulate_grads(edges: list[tuple[str, str, float]], root: str) -> dict[str, float]:
    grads = {root: 1.0}
    for node, parent, local in edges:
        grads[parent] = grads[node] * local
    return grads
