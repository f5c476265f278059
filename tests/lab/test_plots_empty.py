"""Figures given nothing to draw, or edges no axis can hold: an error that names the function and the place."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import plots


@pytest.mark.parametrize("call, match", [
    # the legend said 'a (nan/inf: not drawn)' of a series without a single value
    (lambda: plots.layer_curves({"tanh": {"a": []}}), r"curves: series 'a' has no values"),
    (lambda: plots.loss_curves({"a": []}), r"curves: series 'a' has no values"),
    # numpy's seeds x 0 points: 'band: values must be a non-empty array', naming a function the user never called
    (lambda: plots.curves({"p": {"a": np.zeros((3, 0))}}), r"curves: series 'a' has no values"),
])
def test_nothing_to_draw_is_refused_by_name(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
