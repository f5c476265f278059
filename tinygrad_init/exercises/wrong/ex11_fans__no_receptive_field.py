"""Wrong: forgets the receptive field of a convolution kernel."""


def fans(shape: tuple) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError("no fans")
    return shape[0], shape[1]
