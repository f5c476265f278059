"""The gradient colour scale of the pictures (draw, the player): a log scale of gradient sizes, whole decades
from pale to dark red, 0 grey, inf or nan green, unknown white; text in the colour of the higher WCAG contrast."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from numbers import Real
from typing import Iterable

from ..utils import check_bool, check_choice, check_int, check_type
from .ledger import GradStats

__all__ = ["ColorScale", "grad_color", "font_color", "magnitude", "filled", "WHAT", "ZERO_COLOR", "UNKNOWN_COLOR",
           "BAD_COLOR"]

_STOPS = ((255, 247, 236), (253, 212, 158), (252, 141, 89), (215, 48, 31), (127, 0, 0))  # small -> large, sRGB
#: The fill of a gradient of exactly 0.
ZERO_COLOR = "#d9d9d9"
#: The fill of a node whose gradient is not known (yet).
UNKNOWN_COLOR = "#ffffff"
#: The fill of an inf or nan gradient.
BAD_COLOR = "#74c476"
WHAT = {"scalar": "|grad|", "norm": "|grad|_F", "std": "std(grad)"}  # what the colours measure: Value, Tensor by mode


def grad_color(t: float) -> str:
    """The fill colour at position `t` in [0, 1] of the gradient scale (0 small, 1 large; nan: `BAD_COLOR`)."""
    if math.isnan(t := float(check_type("grad_color", "t", t, Real, "a number in [0, 1]"))):
        return BAD_COLOR
    t = min(max(t, 0.0), 1.0) * (len(_STOPS) - 1)
    i = min(int(t), len(_STOPS) - 2)
    return "#%02x%02x%02x" % tuple(round(a + (b - a) * (t - i)) for a, b in zip(_STOPS[i], _STOPS[i + 1]))


def font_color(fill: str) -> str:  # white when 1.05 / (L + 0.05) > (L + 0.05) / 0.05, i.e. L < 0.179
    """The text colour of the higher WCAG contrast on the fill colour `fill` (`"#rrggbb"`): white or black."""
    if not re.fullmatch("#[0-9a-fA-F]{6}", check_type("font_color", "fill", fill, str, 'a colour "#rrggbb"')):
        raise ValueError(f'font_color: fill must be a colour "#rrggbb" (such as "#d62728"), got {fill!r:.40}')
    luminance = sum(w * (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4) for w, c in  # WCAG 2's
                    zip((0.2126, 0.7152, 0.0722), (int(fill[k:k + 2], 16) / 255 for k in (1, 3, 5))))  # 0 to 1
    return "white" if luminance < 0.179 else "black"


def magnitude(info: float | GradStats | None, scalar: bool, mode: str = "norm") -> float | None:
    """The size a gradient is coloured by: `|grad|` (Value), its Frobenius norm or, with `mode="std"`, its
    standard deviation (Tensor); None when unknown."""
    mode = check_choice("magnitude", "mode", mode, ("norm", "std"))
    if info is None:
        return None
    if check_bool("magnitude", "scalar", scalar):
        return abs(check_type("magnitude", "info", info, Real, "a Value's gradient (a number) or None"))
    info = check_type("magnitude", "info", info, GradStats, "a tensor gradient's GradStats (a ledger's) or None")
    return info.std if mode == "std" and math.prod(info.shape) > 1 and info.std == info.std else info.norm


@dataclass(frozen=True)
class ColorScale:
    """A log scale from `10**lo` (palest) to `10**hi` (darkest) of `what` ("|grad|", "|grad|_F", "std(grad)")."""

    lo: int
    hi: int
    what: str = "|grad|"

    def __post_init__(self) -> None:  # whole decades (the legend counts them) within float64's 1e-323 to 1e308
        if not -323 <= check_int("ColorScale", "lo", self.lo) < check_int("ColorScale", "hi", self.hi) <= 308:
            raise ValueError(f"ColorScale: needs whole decades -323 <= lo < hi <= 308, got lo={self.lo}, hi={self.hi}")
        check_type("ColorScale", "what", self.what, str, "the legend's name of the size (a str), e.g. '|grad|'")

    @classmethod
    def fit(cls, magnitudes: Iterable[float | None], what: str = "|grad|") -> "ColorScale":
        """The scale spanning whole decades around the positive finite magnitudes."""
        ms = [m for m in check_type("ColorScale.fit", "magnitudes", magnitudes, Iterable, "gradient sizes (numbers or "
              "None)") if check_type("ColorScale.fit", "each magnitude", m, (Real, type(None)), "a number or None")
              is not None and m > 0 and math.isfinite(m)]
        lo, hi = (math.floor(math.log10(min(ms))), math.ceil(math.log10(max(ms)))) if ms else (0, 1)
        return cls(lo := min(max(lo, -323), 307), min(max(hi, lo + 1), 308), what)  # decades float64 holds

    def color(self, m: float | None) -> str:
        """The fill colour of a gradient of size `m` (None: unknown)."""
        if m is None or not math.isfinite(check_type("ColorScale.color", "m", m, Real, "a gradient's size or None")):
            return UNKNOWN_COLOR if m is None else BAD_COLOR
        return ZERO_COLOR if m <= 0 else grad_color((math.log10(m) - self.lo) / (self.hi - self.lo))

    def decades(self, max_entries: int = 7) -> list[int]:
        """The decades shown in the legend (every one, or evenly thinned to `max_entries`)."""
        ds, n = list(range(self.lo, self.hi + 1)), check_int("ColorScale.decades", "max_entries", max_entries, 2)
        out = ds[::math.ceil((len(ds) - 1) / (n - 1))]  # a step of 1 when all fit (lo < hi: two at least)
        return out if out[-1] == ds[-1] else out + [ds[-1]]


def filled(attrs: dict, fill: str) -> dict:  # `attrs` filled with `fill` (and white text where it is dark)
    attrs.update(fillcolor=fill, style=",".join(filter(None, [attrs.get("style", ""), "filled"])))
    return attrs if font_color(fill) == "black" else {**attrs, "fontcolor": "white"}
