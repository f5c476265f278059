"""Reference solution for exercise 02."""


def pow_backward(x: float, n: float, upstream: float) -> float:
    """dL/dx = upstream * n * x**(n-1) for y = x**n."""
    return upstream * n * x ** (n - 1)
