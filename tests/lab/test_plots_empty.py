"""Figures given nothing to draw, or edges no axis can hold: an error that names the function and the place."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tinygrad_init import plots


@pytest.mark.parametrize("call, match", [
    # the legend said 'a (nan/inf: not drawn)' of a series without a single value
    (lambda: plots.layer_curves({"tanh": {"a": []}}), r"curves: series 'a' has no values"),
    (lambda: plots.loss_curves({"a": []}), r"curves: series 'a' has no values"),
    # numpy's seeds x 0 points: 'band: values must be a non-empty array', naming a function the user never called
    (lambda: plots.curves({"p": {"a": np.zeros((3, 0))}}), r"curves: series 'a' has no values"),
    # matplotlib's 'Nan values in "edges" are disallowed', for an inf edge too
    (lambda: plots.histogram_grid({"a": [(np.ones(4), np.array([0.0, np.nan, 0.5, 0.7, 1.0]))]}),
     r"histogram_grid: row 'a', column 0: .*finite"),
    (lambda: plots.histogram_grid({"a": [(np.ones(4), np.array([-np.inf, 0.2, 0.5, 0.7, np.inf]))]}),
     r"histogram_grid: row 'a', column 0: .*finite"),
])
def test_nothing_to_draw_is_refused_by_name(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: plots.weight_heatmaps({"a": [("W", np.zeros((0, 3)))]}), r"weight_heatmaps: 'a' / 'W' has no entries"),
    (lambda: plots.histogram_grid({"a": [(np.ones(0), np.array([0.0]))]}), r"histogram_grid: row 'a', column 0: .*"
                                                                             r"no counts"),
])
def test_an_empty_panel_is_refused_by_name_not_drawn_with_matplotlibs_warning(call, match) -> None:
    # each drew an empty panel with 'Attempting to set identical low and high xlims makes transformation singular'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match):
            call()
