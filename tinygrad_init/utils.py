"""Small helpers shared by the whole package."""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np

__all__ = ["as_rng", "int_at_least"]


def as_rng(rng: np.random.Generator | int | None = None) -> np.random.Generator:
    """Turn ``rng`` into a ``np.random.Generator``.

    Every random function of the package accepts the same three kinds of ``rng`` and calls
    this once, so that the same seed always gives the same numbers.

    Args:
        rng: an existing ``np.random.Generator`` (returned unchanged, so a caller can share
            one stream across several calls), an integer seed (a fresh generator seeded with
            it), or ``None`` (a fresh generator seeded from the operating system, i.e. not
            reproducible).

    Returns:
        A ``np.random.Generator``.

    Raises:
        TypeError: if ``rng`` is anything else (a float, a string, the legacy
            ``np.random.RandomState``...).
        ValueError: if ``rng`` is a negative integer seed.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng: seed must be a non-negative integer, got {int(rng)}")
        return np.random.default_rng(int(rng))
    hint = ""
    if isinstance(rng, np.random.RandomState):
        hint = " (np.random.RandomState is the legacy API; use np.random.default_rng(seed))"
    raise TypeError(
        f"rng must be a np.random.Generator, an int seed or None, got {type(rng).__name__} "
        f"{rng!r}{hint}"
    )


def int_at_least(minimum: int, why: str = "") -> Callable[[str], int]:
    """An ``argparse`` type: a whole number >= ``minimum``, else a message that says so.

    ``why`` is appended to the message (for example ``" (a quarter is held out)"``).
    """
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}{why}, got {value}")
        return value

    return parse
