"""Pictures of graphs whose numbers reach the ends of float64: the colour scale and its legend."""

from __future__ import annotations

import re
import sys

import pytest

from tinygrad_init import Value
from tinygrad_init.observe import draw


def _legend(src: str) -> dict[str, str]:  # legend box label -> its fill
    return dict(re.findall(r'legend\w* \[label="?([^" ]+)"? fillcolor="(#[0-9a-f]{6})"', src))


@pytest.mark.parametrize("a", [sys.float_info.max, 5e-324])
def test_gradients_at_the_ends_of_float64_get_a_legend_of_decades_float64_holds(a):
    # a gradient of 1.8e308 gave the scale the decade 1e+309, whose legend box raised OverflowError (10.0 ** 309);
    # one of 5e-324 the decade 1e-324, whose box (10.0 ** -324 == 0.0) wore the grey of a zero gradient
    out = Value(a, label="a") * Value(2.0, label="b")
    out.backward()
    scale = draw.ColorScale.fit([a, 2.0, 1.0])
    assert -323 <= scale.lo < scale.hi <= 308
    legend = _legend(draw.draw(out, color_by_grad=True).source)
    decades = [k for k in legend if k not in ("0", "inf/nan", "no grad")]
    assert legend[decades[0]] == draw.grad_color(0.0) and legend[decades[-1]] == draw.grad_color(1.0)
    assert draw.ZERO_COLOR not in legend.values()  # no gradient here is 0


def test_a_colour_scale_past_the_decades_of_float64_is_refused_by_name():
    for lo, hi in ((-10, 309), (-324, 0)):
        with pytest.raises(ValueError, match=r"ColorScale: needs whole decades -323 <= lo < hi <= 308"):
            draw.ColorScale(lo, hi)
    assert draw.ColorScale(-323, 308).decades()[-1] == 308
