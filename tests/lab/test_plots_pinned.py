"""What a figure shows, pinned where no other test did: the log axes `curves` is told to draw, the bar heights of
`histogram_grid` (each panel scaled to its tallest bar; `skip_spike` only when asked)."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import plots


def step_data(fig):
    (patch,) = [p for p in fig.axes[0].patches if hasattr(p, "get_data")]  # the row's one StepPatch
    return patch.get_data()


def bar_heights(fig) -> np.ndarray:
    return np.asarray(step_data(fig).values)


def test_histogram_grid_scales_each_panel_to_its_tallest_bar_spike_included_by_default() -> None:
    edges = np.linspace(0.0, 1.0, 4)
    hists = {"relu": [(np.array([10.0, 2.0, 1.0]), edges), (np.array([1.0, 4.0, 2.0]), edges)]}
    # per panel a leading 0 (the gap before it), then counts / max(counts): by hand
    np.testing.assert_allclose(bar_heights(plots.histogram_grid(hists)), [0, 1, 0.2, 0.1, 0, 0.25, 1, 0.5])
    # skip_spike: scaled to the tallest but the first, the spike cut at 1.06
    np.testing.assert_allclose(bar_heights(plots.histogram_grid(hists, skip_spike=True)),
                               [0, 1.06, 1, 0.5, 0, 0.25, 1, 0.5])


def test_curves_draws_log_axes_only_in_the_panels_named() -> None:
    fig = plots.curves({"a": {"small": [1.0, 0.1, 0.01]}, "b": {"small": [1.0, 2.0, 3.0]}}, log=["a"])
    assert [ax.get_yscale() for ax in fig.axes[:2]] == ["log", "linear"]


def test_histogram_grid_scales_a_one_bin_panel_to_itself_even_with_skip_spike() -> None:
    hists = {"relu": [(np.array([5.0]), np.array([0.0, 1.0]))]}
    np.testing.assert_allclose(bar_heights(plots.histogram_grid(hists, skip_spike=True)), [0, 1])  # 5 / 5


def test_histogram_grid_shows_every_bar_of_every_panel() -> None:
    edges = np.linspace(-1.0, 1.0, 5)
    fig = plots.histogram_grid({"tanh": [(np.ones(4), edges)] * 3})
    x = np.asarray(step_data(fig).edges)
    lo, hi = fig.axes[0].get_xlim()
    assert lo <= x.min() < x.max() <= hi  # the x limits cut no bar, the first panel's left end included


def test_curves_labels_the_y_axis_of_the_first_column_only() -> None:
    fig = plots.curves({"a": {"small": [1.0, 2.0]}, "b": {"small": [1.0, 2.0]}}, ylabel="std of h", ncols=2)
    assert [ax.get_ylabel() for ax in fig.axes[:2]] == ["std of h", ""]


def test_histogram_grid_says_how_many_edges_a_panel_needs() -> None:
    with pytest.raises(ValueError, match=r"row 'a', column 0: 4 counts need 5 edges over the first panel's range "
                                         r"\[0.0, 1.0\], got 4 over \[0.0, 1.0\]"):
        plots.histogram_grid({"a": [(np.ones(4), np.linspace(0.0, 1.0, 4))]})


def test_curves_takes_a_panels_own_x_and_x_label() -> None:
    # the docstring's form {panel: (x, {series: values}[, xlabel])}
    fig = plots.curves({"a": ([10, 20, 30], {"small": [1.0, 2.0, 3.0]}, "step"), "b": ([1, 2], {"small": [1.0, 2.0]})},
                       log=False)
    assert [ax.get_xlabel() for ax in fig.axes[:2]] == ["step", "layer"]
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_xdata(), [10, 20, 30])


def test_empty_curves_are_refused_and_the_panels_left_over_in_the_grid_are_hidden():
    with pytest.raises(ValueError, match=r"^curves: no panels to draw$"):
        plots.curves({})
    with pytest.raises(ValueError, match=r"^loss_curves: no curves to draw$"):
        plots.loss_curves({})
    fig = plots.curves({p: {"s": [1.0, 2.0]} for p in "abc"}, ncols=2)  # 3 panels in a 2 x 2 grid
    assert [ax.get_visible() for ax in fig.axes[:4]] == [True, True, True, False]
    fig = plots.weight_heatmaps({"two": [("a", np.eye(2)), ("b", np.eye(2))], "one": [("a", np.eye(2))]})
    assert [ax.get_visible() for ax in fig.axes[:4]] == [True, True, True, False]  # row "one" has one matrix


def test_markers_colours_and_legend_rows_count_as_their_docstrings_say() -> None:
    assert [plots.marker(i) for i in range(8)] == list("osD^vP*o")  # 7 markers, then again
    assert [plots.scheme_color("mine", i) for i in (0, 7, 8)] == ["#0072B2", "#882255", "#0072B2"]  # 8 colours
    fig = plots.slide_figure(1, 1)
    lines = [fig.axes[0].plot([0, 1], label=t)[0] for t in ("_hidden", "a", "b", "c", "d", "e")]
    assert plots.legend_below(fig, lines, 4) == 2  # 5 labels in 4 columns: 2 rows
    assert [t.get_text() for t in fig.legends[0].get_texts()] == list("abcde")  # "_..." left out
    with pytest.raises(ValueError, match=r"^slide_figure: 1 x 1 panels do not fit on 2 x 2 in"):
        plots.slide_figure(1, 1, (2, 2), left=1.0, right=1.0)  # a panel 0 in wide: matplotlib's 'left >= right'


def test_curves_tick_and_mark_about_ten_points_and_whole_steps_only_where_every_step_is_whole() -> None:
    ax = plots.curves({"p": {"a": list(range(1, 16))}}, log=False).axes[0]
    assert list(ax.get_xticks()) == list(range(1, 16, 2))  # 15 layers: every second
    assert len(plots.curves({"p": {"a": [1.0, 2.0]}}, ncols=3).axes) == 1  # ncols beyond the panels: their number
    x = [0, 0.5, 1.0, 1.5, 2.0] * 20  # 100 points on x: a marker on every 10th
    ax = plots.curves({"p": (sorted(x), {"a": list(range(1, 101))})}, log=False).axes[0]
    assert ax.lines[0].get_markevery() == 10 and 0.5 in ax.xaxis.get_major_locator().tick_values(0, 2)


def test_verdict_grid_names_each_row_beside_its_words_and_heatmaps_number_units_from_1() -> None:
    ax = plots.verdict_grid(["tanh", "relu"], ["he"], [["holds"], ["dies"]]).axes[0]
    names = {t.get_text(): y for y, t in zip(ax.get_yticks(), ax.get_yticklabels())}
    words = {t.get_text(): t.get_position()[1] for t in ax.texts}
    assert names == {"tanh": words["holds"], "relu": words["dies"]}  # the first row on top
    with pytest.raises(ValueError, match=r"^verdict_grid: words must be 2 x 1 \(rows x cols\), got rows of \[1, 1, 1"):
        plots.verdict_grid(["tanh", "relu"], ["he"], [["holds"], ["dies"], ["holds"]])
    ax = plots.weight_heatmaps({"he_normal": [("W", np.ones((2, 3)))]}).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]


def test_curves_draw_layer_1_at_x_1_and_dodge_the_series_evenly_about_it() -> None:
    ax = plots.curves({"p": {"a": [1.0, 2.0], "b": [1.0, 2.0]}}, dodge=0.1, log=False).axes[0]
    assert [list(line.get_xdata()) for line in ax.lines] == [[0.95, 1.95], [1.05, 2.05]]
