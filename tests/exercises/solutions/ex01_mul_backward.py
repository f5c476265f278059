"""Reference solution of ex01_mul_backward (kept out of the package: the tests grade it)."""


def mul_backward(a: float, b: float, upstream: float) -> tuple[float, float]:
    """(dL/da, dL/db) = (upstream * b, upstream * a) for c = a * b."""
    return upstream * b, upstream * a
