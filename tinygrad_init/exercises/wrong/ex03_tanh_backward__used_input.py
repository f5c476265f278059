"""Wrong: writes 1 - x**2 with the input instead of the output t = tanh(x)."""


def tanh_backward(x: float, upstream: float) -> float:
    return upstream * (1.0 - x**2)
