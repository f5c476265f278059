"""Known-wrong answers to ex01_mul_backward: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_upstream
# returns the local derivatives, forgetting to multiply by the upstream gradient.
def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    return b, a


# wrong: swapped
# each input gets its own value as local derivative instead of the other input's.
def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    return upstream * a, upstream * b
