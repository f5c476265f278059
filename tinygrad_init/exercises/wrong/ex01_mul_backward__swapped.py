"""Wrong: each input gets its own value as local derivative instead of the other input's."""


def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    return upstream * a, upstream * b
