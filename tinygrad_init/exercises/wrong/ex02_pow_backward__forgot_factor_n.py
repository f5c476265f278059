"""Wrong: lowers the exponent but forgets the factor n."""


def pow_backward(x: float, n: float, upstream: float) -> float:
    return upstream * x ** (n - 1)
