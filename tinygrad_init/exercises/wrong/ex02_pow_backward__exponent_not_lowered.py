"""Wrong: brings the exponent down but keeps it: n * x**n."""


def pow_backward(x: float, n: float, upstream: float) -> float:
    return upstream * n * x**n
