"""Figures with more panels, longer names and more networks than the experiments draw, as a lecturer makes them:
every text on the slide, none over another."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from tinygrad_init import plots
from tinygrad_init.utils import format_number

from lab.test_report import assert_slide_ready


def _tick_labels_apart(ax) -> None:
    FigureCanvasAgg(ax.figure).draw()
    boxes = [(t.get_text(), t.get_window_extent()) for t in ax.get_xticklabels() if t.get_text()]
    for (a, p), (b, q) in zip(boxes, boxes[1:]):
        assert p.x1 <= q.x0, f"{a!r} overlaps {b!r}"


def _matrices(n: int, nan: bool = False) -> list:
    rng = np.random.default_rng(0)
    return [(f"layer {k + 1} weights", np.where(rng.random((8, 8)) < 0.1 * nan, np.nan, rng.standard_normal((8, 8))))
            for k in range(n)]


@pytest.mark.parametrize("n, nan", [(3, False), (4, False), (2, True), (3, True)])
def test_weight_heatmap_titles_stay_on_the_slide_and_apart(n, nan):
    # the three weight matrices of a 2-8-8-1 MLP: 'layer 2 weights: -3.1 (blue) .. +3.1 (red)' ran into its
    # neighbours' titles and the last was cut at the right edge; two matrices did as soon as one held a nan
    fig = plots.weight_heatmaps({"he_normal": _matrices(n, nan), "zeros": [("layer 1 weights", np.zeros((8, 8)))]},
                                title="Hidden weights")
    assert_slide_ready(fig)
    assert fig.get_suptitle() == "Hidden weights"
    assert fig.axes[n].get_title().replace("\n", " ") == "layer 1 weights: all 0"
    assert [ax.get_title().replace("\n", " ") for ax in fig.axes[:n]] == [
        f"layer {k + 1} weights: -{format_number(lim, 2)} (blue) .. +{format_number(lim, 2)} (red)"
        + (f", {bad} nan/inf" if bad else "") for k, (_, M) in enumerate(_matrices(n, nan))
        for lim, bad in [(np.abs(M[np.isfinite(M)]).max(), int((~np.isfinite(M)).sum()))]]


@pytest.mark.parametrize("ncols", [2, 4])
def test_a_long_panel_name_is_wrapped_within_its_panel(ncols):
    # a panel named in a sentence was one line 6 in wide over a 2.5 in panel: cut at the slide's left edge
    name = "std of the activations per layer, measured against the theory"
    curves = {"small": [1.0, 0.1, 0.01], "he_normal": [1.0, 1.0, 1.0]}
    fig = plots.curves({name: curves, **{f"panel {k}": curves for k in range(ncols - 1)}}, title="std per layer")
    assert_slide_ready(fig)
    assert fig.axes[0].get_title().replace("\n", " ") == name


@pytest.mark.parametrize("n", [4, 6, 8])
def test_the_training_figure_names_each_network_under_its_own_dots(n):
    # with four networks or more the names under the accuracy dots ran into each other ('small 0.01*randn' over
    # 'large 10*randn'), with five the Xavier formula was cut at the slide's right edge
    names = ["zeros", "constant", "small", "large10", "xavier_uniform", "he_normal", "orthogonal", "lecun_normal"][:n]
    fig = plots.training_figure(np.arange(20), {k: np.linspace(1.0, 0.1, 20) for k in names},
                                {k: (np.array([0.9, 0.8]), np.array([0.8, 0.7])) for k in names})
    assert_slide_ready(fig)
    _tick_labels_apart(fig.axes[1])


@pytest.mark.parametrize("values, log", [([1.23e-4, 4.56e-4], False), ([1.1e-4, 1.2e-4], True), ([1.0, 1e120], True),
                                         ([-123456.7, 2.5], False)])
@pytest.mark.parametrize("ylabel", ["gradient std", "gradient std\n(median of 5 seeds)"])
def test_the_y_label_stays_on_the_slide_beside_wide_tick_labels(values, log, ylabel):
    # gradient stds of 1e-4 on a linear axis ticked '0.00045': 'gradient std' was pushed past the slide's left edge
    fig = plots.curves({"a": {"x": values}, "b": {"x": values}}, log=log, ylabel=ylabel)
    assert_slide_ready(fig)
    assert_slide_ready(plots.training_figure(np.arange(2), {"he_normal": values}, {"he_normal": ([0.9], [0.8])}))


ROW_NAMES = ["orthogonal_with_gain_sqrt2", "Xavier (Glorot) U(+-sqrt(6/(fan_in+fan_out)))",
             "he_normal\n3 and 4 distinct units"]


@pytest.mark.parametrize("name", ROW_NAMES)
def test_a_long_row_name_stays_on_the_slide(name):
    # a row named by one long word (or a scheme's label) ran past the slide's left edge: wrapped at 16 letters
    # between words only, beside a 2.2 in margin (weight maps) or not wrapped at all beside 1.4 in (the verdict)
    assert_slide_ready(plots.weight_heatmaps({name: [("W1", np.eye(3))], "zeros": [("W1", np.zeros((3, 3)))]}))
    assert_slide_ready(plots.verdict_grid([name, "tanh"], ["small", "he_normal"], [["holds", "dies"]] * 2))


@pytest.mark.parametrize("names", [["zeros", "large10", "he_normal", "xavier_uniform"],
                                   ["zeros", "small", "large10", "he_normal", "lecun_normal", "xavier_normal"]])
def test_a_formula_too_long_for_its_column_is_broken_after_an_operator_not_inside_a_name(names):
    # the report's training figure named the He network 'He randn*sqr' over 't(2/fan_in)' under its dots: a long
    # word was cut wherever the column ended, inside 'sqrt'; and where no operator fitted on the line begun, still
    # there: 'small 0.0' over '1*randn' (six networks), 'Xavier (Glorot) U(' over '+-sqrt(6/'
    fig = plots.training_figure(np.arange(20), {k: np.linspace(1.0, 0.1, 20) for k in names},
                                {k: (np.array([0.9]), np.array([0.8])) for k in names})
    assert_slide_ready(fig)
    for name, tick in zip(names, fig.axes[1].get_xticklabels()):
        lines, rest = tick.get_text().split("\n"), plots.label(name)
        for line in lines[:-1]:  # each line the label's next part, ending at a space or just after an operator
            assert rest.startswith(line) and (rest[len(line)] == " " or line[-1] in "*/+"), lines
            rest = rest[len(line):].lstrip(" ")
        assert rest == lines[-1], (lines, rest)


SEEDS = np.array([[1.0, 1.01, 1.08, 1.05, 0.98, 1.02, 1.1, 1.12, 1.0, 0.91], [1.06, 1.06, 1.08, 1.06, 1.01, 1.02, 1.1,
                  1.11, 1.0, 0.97], [1.24, 1.24, 1.17, 1.3, 1.5, 1.6, 1.3, 1.5, 1.31, 1.25], [0.9, 0.92, 1.0, 0.92, 0.9,
                  0.87, 0.83, 0.9, 0.92, 0.93], [1.1, 1.1, 1.1, 1.1, 1.05, 1.1, 1.12, 1.15, 1.05, 1.0]])


@pytest.mark.parametrize("level, values", [(1.0, SEEDS), (0.69, np.r_[0.8, 0.72, np.full(8, 0.69)])])
def test_a_dotted_level_is_named_in_the_legend_and_its_name_covers_no_curve(level, values):
    # the report's ratio figure wrote 'theory' over its first markers (measured / theory 1.06 at layer 1), the
    # training figures wrote 'ln 2' over the curves that start at ln 2 (zeros, He): a level's name sat on the data
    fig = plots.curves({"a": {"he_normal": values}, "b": {"small": values[..., ::-1]}}, log=False,
                       hlines={"level": level})
    assert_slide_ready(fig)
    FigureCanvasAgg(fig).draw()
    for ax in fig.axes:
        curves = [line.get_transform().transform(line.get_xydata()) for line in ax.get_lines()
                  if not line.get_label().startswith("_")]
        points = [a + t * (b - a) for xy in curves for a, b in zip(xy, xy[1:]) for t in np.linspace(0, 1, 50)]
        for text in ax.texts:
            box = text.get_window_extent()
            assert not any(box.contains(*p) for p in points), f"{text.get_text()!r} covers a curve"
    entries = {t.get_text(): h for t, h in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles)}
    assert entries["level"].get_linestyle() == ":"


@pytest.mark.parametrize("names", [["22 layers, plain SGD, lr 0.03", "30 layers, plain SGD, lr 0.03",
                                    "30 layers, momentum 0.9, lr 0.003"], ["a panel whose step size is 0.5", "b", "c"]])
def test_a_wrapped_panel_title_keeps_each_number_beside_its_name(names):
    # the report's depth figure (He et al. 2015 in miniature) titled its panels "22 layers, plain SGD, lr" over a
    # second line "0.03": the learning rate alone, away from its name
    import re

    fig = plots.curves({n: {"he_normal": [1.0, 0.5, 0.2]} for n in names}, log=False)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert [t.replace("\n", " ") for t in titles] == names
    assert not [line for t in titles for line in t.split("\n") if re.fullmatch(r"-?[\d.]+,?", line)], titles
    assert "\n" in titles[0]  # wrapped all the same: as wide as a panel
    assert_slide_ready(fig)


@pytest.mark.parametrize("make", [
    lambda s: plots.curves({s: {s: [1.0, 2.0, 3.0]}}, title=s, ylabel=s),
    lambda s: plots.loss_curves({s: [1.0, 0.5]}, hlines={s: 0.7}),
    lambda s: plots.training_figure([0, 1], {s: [1.0, 0.5]}, {s: ([0.9], [0.8])}, title=s),
    lambda s: plots.histogram_grid({s: [([1, 2], [0.0, 1.0, 2.0])]}, annotations={s: [s]}, title=s),
    lambda s: plots.weight_heatmaps({s: [(s, np.eye(2))]}, title=s),
    lambda s: plots.verdict_grid([s], [s], [[s]], title=s)])
@pytest.mark.parametrize("name", ["he$$x", "$5 and $6", "a$b", "cost $x^2$"])
def test_a_dollar_in_any_text_is_drawn_as_written(make, name):
    # a '$' pair was read as matplotlib mathtext: 'he$$x' raised a bare ParseException, '$x^2$' drew a superscript
    fig = make(name)
    for fmt in ("png", "svg"):
        assert plots.figure_bytes(fig, fmt)
    texts = [t for t in fig.findobj(Text) if name in t.get_text()]
    assert texts and not any(t.get_parse_math() for t in texts)
