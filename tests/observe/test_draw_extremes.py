"""Pictures of graphs whose numbers reach the ends of float64: the colour scale and its legend."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest

from tinygrad_init import Tensor, Value
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


def _drawn_and_recorded():
    from tinygrad_init import ledger
    with ledger.record() as steps:
        a = Value(2.0)
        loss = (a * a).tanh()
        loss.backward()
    return loss, steps


@pytest.mark.parametrize("call, error, match", [
    # a Tensor's == raised Tensor's "== and != ask whether two tensors are one and the same", an empty array numpy's
    # "truth value of an empty array is ambiguous"
    (lambda L, s: draw.draw(L, color_by_grad=__import__("tinygrad_init").Tensor([1.0])), ValueError,
     "draw: color_by_grad must be True, False"),
    (lambda L, s: draw.draw(L, color_by_grad=__import__("numpy").array([])), ValueError, "draw: color_by_grad must"),
    (lambda L, s: draw.draw_step(s, 1, caption=__import__("numpy").array([])), TypeError,
     "draw_step: caption must be True or False"),
    (lambda L, s: draw.mlp_loss([2, 1], engine=__import__("numpy").array([])), ValueError, "mlp_loss: engine must be"),
    # a 0-d array raised "iteration over a 0-d array"; a set of widths was built in hash order ({4, 2, 1}: 1-2-4)
    (lambda L, s: draw.mlp_loss(__import__("numpy").array(3)), TypeError, "mlp_loss: sizes must be the layer"),
    (lambda L, s: draw.mlp_loss({4, 2, 1}), TypeError, "mlp_loss: sizes must be the layer widths"),
])
def test_draw_names_an_array_or_tensor_where_a_flag_or_name_goes(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call(*_drawn_and_recorded())


@pytest.mark.parametrize("what", [float("nan"), None, 3])
def test_a_colour_scale_names_a_legend_name_that_is_no_text(what) -> None:
    # ColorScale(-3, 0, what=nan) was made, and drew the legend "nan" over the colours
    with pytest.raises(TypeError, match="ColorScale: what must be the legend's name"):
        draw.ColorScale(-3, 0, what)


@pytest.mark.parametrize("k, error, match", [(99, IndexError, r"draw_step: k must be between 0 and 3, got 99"),
                                             (-1, IndexError, r"draw_step: k must be between 0 and 3, got -1"),
                                             (1.5, TypeError, r"draw_step: k must be a whole number"),
                                             (None, TypeError, r"draw_step: k must be a whole number")])
def test_draw_step_names_itself_for_a_step_it_cannot_draw(k, error, match) -> None:
    # the error named Ledger.state, which the caller never called
    with pytest.raises(error, match=f"^{match}"):
        draw.draw_step(_drawn_and_recorded()[1], k)


def test_draw_step_refuses_the_state_of_another_ledger() -> None:
    # the picture of the other pass after k steps was captioned with this ledger's line k - 1, about another graph
    (_, steps), (_, other) = _drawn_and_recorded(), _drawn_and_recorded()
    with pytest.raises(ValueError, match=r"^draw_step: k is a state of another ledger's pass; pass steps.state\(k\)"):
        draw.draw_step(steps, other.state(2))
    assert draw.draw_step(steps, steps.state(2)).source == draw.draw_step(steps, 2).source


@pytest.mark.parametrize("magnitudes", [5, None, 2.0])
def test_a_colour_scale_names_sizes_that_are_no_list(magnitudes) -> None:
    # fit(5) raised "'int' object is not iterable"
    with pytest.raises(TypeError, match=r"^ColorScale.fit: magnitudes must be gradient sizes \(numbers or None\), got"):
        draw.ColorScale.fit(magnitudes)
    assert draw.ColorScale.fit([None, float("nan"), 0.0, 0.5, 20]) == draw.ColorScale(-1, 2)
    assert draw.ColorScale(-3, 0).color(float("nan")) == draw.BAD_COLOR
    # a size that is no number: "'>' not supported between instances of 'str' and 'int'", "must be real number"
    with pytest.raises(TypeError, match=r"^ColorScale.fit: each magnitude must be a number or None, got str 'a'"):
        draw.ColorScale.fit([1.0, "a"])
    with pytest.raises(TypeError, match=r"^ColorScale.color: m must be a gradient's size or None, got str 'x'"):
        draw.ColorScale(-3, 0).color("x")


def test_a_legend_shows_no_decades_that_no_node_wears() -> None:
    # before backward every gradient is 0 (Value) or unknown (Tensor): the legend still showed the boxes "1" and
    # "1e+01" of a scale fitted to nothing, colours that appear nowhere in the picture
    from tinygrad_init import Tensor
    a = Value(2.0, label="a")
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    boxes = lambda src: re.findall(r'legend\w* \[label="?([^"]+?)"? fillcolor', src)  # noqa: E731
    for root, off in ((a * 3, ["0"]), ((w * 2).sum(), ["no grad"])):
        assert boxes(draw.draw(root, color_by_grad=True).source) == off
    out = a * 3
    out.backward()  # |grad| 3 and 1: the decades 1 and 1e+01 are on the picture
    assert boxes(draw.draw(out, color_by_grad=True).source) == ["1", "1e+01"]


def test_a_fixed_scale_marks_the_ends_of_its_legend_that_gradients_lie_beyond() -> None:
    # with ColorScale(-2, 0) a gradient of 1000 wore the darkest fill, which the legend called "1"
    x = Value(3.0, label="x")
    out = x * 1e-5 * 1e3  # |grad|: 1.0 (out), 1000 (x * 1e-5), 0.01 (x)
    out.backward()
    boxes = lambda scale: re.findall(r'legend\w* \[label="?([^"]+?)"? fillcolor',  # noqa: E731
                                     draw.draw(out, color_by_grad=scale).source)
    assert boxes(draw.ColorScale(-2, 0)) == ["1e-02", "1e-01", "≥1"]
    assert boxes(draw.ColorScale(-1, 3)) == ["≤1e-01", "1", "1e+01", "1e+02", "1e+03"]
    assert boxes(True) == ["1e-02", "1e-01", "1", "1e+01", "1e+02", "1e+03"]  # a fitted scale holds them all


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_a_tensors_values_read_as_numpy_prints_them_in_their_own_precision(dtype) -> None:
    # float16(0.1) is 0.0999755859375, which numpy and torch print as 0.1; the picture wrote 0.09998, a digit
    # float16 does not have (its step near 0.1 is 6e-5): now the shortest decimal of the element's own type, rounded
    w = Tensor(np.array([0.1, -0.3, 1.001, 250.1], dtype=dtype), requires_grad=True, name="w")
    (w * w / 2.0).sum().backward()  # dL/dw = w, exactly
    want = "[0.1, -0.3, 1.001, 250.1]"
    assert f'label="w\\n(4,) {np.dtype(dtype).name}\\ndata {want}\\ngrad {want}"' in draw.draw(w).source
