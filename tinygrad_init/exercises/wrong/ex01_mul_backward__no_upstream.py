"""Wrong: returns the local derivatives, forgetting to multiply by the upstream gradient."""


def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    return b, a
