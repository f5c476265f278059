"""Known-wrong answers to ex02_pow_backward: one section per mistake, each a whole student file.

A section starts with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade
each section and expect exactly that hint.
"""
# ruff: noqa

# wrong: exponent_not_lowered
# brings the exponent down but keeps it: n * x**n.
def pow_backward(x: float, n: float, upstream: float) -> float:
    return upstream * n * x**n


# wrong: forgot_factor_n
# lowers the exponent but forgets the factor n.
def pow_backward(x: float, n: float, upstream: float) -> float:
    return upstream * x ** (n - 1)
