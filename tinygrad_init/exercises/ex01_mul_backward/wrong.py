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


# wrong: zero_special_case
# returns no gradient where an input is 0, as if a product of 0 had none.
def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    if a == 0 or b == 0:
        return 0.0, 0.0
    return upstream * b, upstream * a
