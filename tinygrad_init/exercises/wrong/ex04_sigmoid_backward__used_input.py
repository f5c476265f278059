"""Wrong: writes x * (1 - x) with the input instead of the output s."""


def sigmoid_backward(x: float, upstream: float) -> float:
    return upstream * x * (1.0 - x)
