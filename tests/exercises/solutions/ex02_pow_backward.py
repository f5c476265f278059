"""Reference solution of ex02_pow_backward (kept out of the package: the tests grade it)."""


def pow_backward(x: float, n: float, upstream: float) -> float:
    """dL/dx = upstream * n * x**(n-1) for y = x**n."""
    return upstream * n * x ** (n - 1)
