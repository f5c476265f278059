"""Figures given nothing to draw, or edges no axis can hold: an error that names the function and the place."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from tinygrad_init import plots


@pytest.mark.parametrize("call, match", [
    # the legend said 'a (nan/inf: not drawn)' of a series without a single value
    (lambda: plots.layer_curves({"tanh": {"a": []}}), r"curves: series 'a' has no values"),
    (lambda: plots.loss_curves({"a": []}), r"^loss_curves: curve 'a' has no values"),
    # numpy's seeds x 0 points: 'band: values must be a non-empty array', naming a function the user never called
    (lambda: plots.curves({"p": {"a": np.zeros((3, 0))}}), r"curves: series 'a' has no values"),
    # matplotlib's 'Nan values in "edges" are disallowed', for an inf edge too
    (lambda: plots.histogram_grid({"a": [(np.ones(4), np.array([0.0, np.nan, 0.5, 0.7, 1.0]))]}),
     r"histogram_grid: row 'a', column 0: [12] of its 5 edges are nan or inf"),
    (lambda: plots.histogram_grid({"a": [(np.ones(4), np.array([-np.inf, 0.2, 0.5, 0.7, np.inf]))]}),
     r"histogram_grid: row 'a', column 0: [12] of its 5 edges are nan or inf"),
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


@pytest.mark.parametrize("values", [[1.0, 1e300], [1e-300, 1.0], [1e-300, 1e300], [5e-324, 1.7e308], [1e308, 1e308],
                                    [1e-300, 1e-300], [1e-305, 1e-305], [1e300, 1e300], [1e-305, 1e-300]])
def test_a_log_axis_shows_values_at_the_ends_of_float64(values) -> None:
    # matplotlib's 5 % margin took the view past 1e308: it fell back to 1 .. 10 and 1e300 was out of sight (a
    # vertical line at layer 1.5 the only trace of it); below 1e-300 it ticked '0' and '9.99999998482e-316'. A series
    # of one value there had no margin at all: matplotlib's linear fallback gave -0.05 .. 0.05 below 1e-290 (nothing
    # in view) and 'arange: cannot compute length' at 1e308
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.layer_curves({"t": {"a": values}})
        FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert min(min(values), 2.3e-308) <= lo <= min(values) and max(values) <= hi < np.inf  # no subnormal decades
    ticks = [float(t.get_text()) for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len(ticks) >= 2 and min(ticks) > 0


@pytest.mark.parametrize("values", [[1e-320, 1e-310], [5e-324, 1e-300], [2e-323, 2e-323]])
def test_a_log_axis_of_subnormal_values_ticks_them_in_a_few_digits(values) -> None:
    # the decades below float64's smallest normal number, 2.2e-308, are not exact: the ticks read
    # '9.99988867183e-321', '9.99998748496e-319', ... (12 digits of each one's rounding error)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.layer_curves({"t": {"a": values}})
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    ticks = [t.get_text() for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len(ticks) >= 2 and all(re.fullmatch(r"[125]e-\d+", t) for t in ticks), ticks  # 1, 2 or 5 x 10^-k


@pytest.mark.parametrize("values", [[0.6931471805599453, 0.6931471805599454, 0.6931471805599452] * 2,
                                    [1.0, 1.0 + 2e-16], [3e-5, 3e-5 * (1 + 1e-13)], [0.5, 0.5]])
def test_a_log_axis_of_values_equal_to_twelve_digits_is_numbered_as_one_value(values) -> None:
    # a dead network's loss at ln 2, wobbling by one rounding error, drew a zigzag over an axis without a number
    # (its six ticks all read 0.69314718056) and a point below the axis; a constant loss drew a flat line on 0.1 .. 1
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.loss_curves({"zeros": values})
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    ticks = [t.get_text() for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len(set(ticks)) == len(ticks) >= 2, ticks
    assert lo < min(values) and max(values) < hi and hi / lo >= 2  # the line flat, within the axis


@pytest.mark.parametrize("level, log, error, match", [
    (0.0, True, ValueError, r"curves: hlines\['zero loss'\] on a log axis must be > 0, got 0"),
    (-1.0, True, ValueError, r"curves: hlines\['zero loss'\] on a log axis must be > 0, got -1"),
    (float("nan"), False, ValueError, r"curves: hlines\['zero loss'\] must be a finite number, got nan"),
    (float("inf"), True, ValueError, r"curves: hlines\['zero loss'\] on a log axis must be a finite number"),
    ("0.5", False, TypeError, r"curves: hlines\['zero loss'\] must be a number, got str"),
])
def test_a_level_no_axis_can_draw_is_refused_not_left_out(level, log, error, match) -> None:
    # a level of 0 on the log axis of a loss drew no line and wrote its label off the figure; nan or inf the same
    with pytest.raises(error, match=match):
        plots.loss_curves({"he_normal": [1.0, 0.5, 0.2]}, hlines={"zero loss": level}, log=log)


@pytest.mark.parametrize("call, match", [
    (lambda: plots.verdict_grid([], [], []), r"verdict_grid: nothing to draw"),
    (lambda: plots.verdict_grid(["tanh"], [], [[]]), r"verdict_grid: nothing to draw"),
    (lambda: plots.training_figure([], {}, {}), r"training_figure: nothing to draw"),
])
def test_an_empty_verdict_or_training_figure_is_refused_as_the_others_are(call, match) -> None:
    # each drew a blank slide, where curves, histogram_grid and weight_heatmaps say there is nothing to draw
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: plots.marker(1.0), "marker: index must be a whole number"),  # was "string indices must be integers"
    (lambda: plots.scheme_color(3), "scheme_color: scheme must be a name"),  # was "'int' object is not iterable"
    (lambda: plots.verdict_grid(None, ["he"], [["holds"]]), "verdict_grid: rows and cols must be lists"),  # len(None)
    # a row of words given as one word was drawn as its letters, one a cell: 'ok' over two columns as 'o' and 'k'
    (lambda: plots.verdict_grid(["tanh"], ["he", "small"], ["ok"]), "verdict_grid: .* words a list of rows of words"),
    # steps as a number, a set or text: len()'s TypeError, float()'s, or "series 'he' has 2 values" for 'ab'
    *[(lambda s=s: plots.loss_curves({"he": [1.0, 0.5]}, steps=s), "loss_curves: steps must be a list")
      for s in (3, {0, 1}, "ab", np.array(1))],
    (lambda: plots.training_figure(5, {"he": [1.0, 0.5]}, {}), "training_figure: steps must be a list"),
])
def test_a_marker_colour_or_grid_of_the_wrong_type_gets_a_type_error_naming_it(call, match) -> None:
    with pytest.raises(TypeError, match=match):
        call()


def test_a_title_that_is_an_array_is_written_as_its_text() -> None:  # was numpy's "truth value ... is ambiguous"
    assert plots.loss_curves({"he": [1.0, 0.5]}, title=np.array([1, 2]))._suptitle.get_text() == "[1 2]"


def test_series_keyed_by_numbers_are_drawn_with_their_numbers_as_labels() -> None:
    # keys 8 and 16 (widths) raised "unsupported operand type(s) for +: 'int' and 'str'" from the legend's names
    for fig in (plots.curves({"std": {8: [1.0, 2.0], 16: [1.0, 3.0]}}),
                plots.loss_curves({8: [1.0, 0.5], 16: [1.0, 0.4]})):
        assert [t.get_text() for t in fig.legends[0].get_texts()] == ["8", "16"]
