"""The figures' functions given wrong input: a `ValueError` that names the function and what to pass."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import plots, table


@pytest.mark.parametrize("call, match", [
    (lambda: plots.curves({"p": {}}), r"curves: panel 'p' has no series"),
    (lambda: plots.curves({"p": ([1, 2], {"a": [1.0, 2.0, 3.0]})}), r"curves: series 'a' has 3 values"),
    (lambda: plots.curves({"p": {"a": [1.0, 2.0]}}, {"p": {"a": [1.0, 2.0, 3.0]}}), r"curves: series 'a' has 2 values"),
    (lambda: plots.histogram_grid({"a": [(np.ones(2), np.arange(3))], "b": []}), r"histogram_grid: row 'b'"),
    (lambda: plots.weight_heatmaps({"a": []}), r"weight_heatmaps: nothing to draw"),
    (lambda: plots.verdict_grid(["tanh"], ["he", "xavier"], [["holds"]]), r"verdict_grid: .*1 x 2"),
    (lambda: plots.ridges(plots.slide_figure(1, 1).axes[0], ["a"], [(0, 1, [1, 2]), (0, 1, [2, 3])]),
     r"ridges: .*1 labels and 2 histograms"),
    (lambda: plots.ridges(plots.slide_figure(1, 1).axes[0], ["a", "b", "c"], [(0, 1, [1, 2])]),
     r"ridges: .*3 labels and 1 histograms"),
    (lambda: plots.ridges(plots.slide_figure(1, 1).axes[0], ["a"], [(0, 1, [])]), r"ridges: .*row 0 has no counts"),
    # these three were matplotlib's or numpy's errors from inside them
    (lambda: plots.slide_figure(0, 2), r"slide_figure: nrows must be >= 1, got 0"),
    (lambda: plots.figure_bytes(plots.slide_figure(1, 1), "png", float("nan")), r"figure_bytes: dpi must be a finite"),
    (lambda: table.band([]), r"band: values must be a non-empty array \(seeds x points\), got shape \(0,\)"),
    # a theory for a panel or series not drawn was left out silently, the legend still showing 'theory'
    (lambda: plots.layer_curves({"tanh": {"he_normal": [1.0, 2.0]}}, {"Tanh": {"he_normal": [1.0, 2.0]}}),
     r"curves: predicted names 'Tanh' / 'he_normal', which panels does not hold"),
    (lambda: plots.layer_curves({"tanh": {"he_normal": [1.0, 2.0]}}, {"tanh": {"He": [1.0, 2.0]}}),
     r"curves: predicted names 'tanh' / 'He', which panels does not hold"),
    # a log axis asked for by a name no panel has (or by a bare name, read letter by letter) drew linear axes
    (lambda: plots.curves({"tanh: std": {"a": [1.0, 2.0]}}, log=["tanh"]),
     r"curves: log must be True, False or a list of panel names of \['tanh: std'\], got \['tanh'\]"),
    (lambda: plots.curves({"t": {"a": [1.0, 2.0]}}, log="tanh"), r"curves: log must be .*, got 'tanh'"),
    (lambda: plots.curves({"t": {"a": [1.0, 2.0]}}, log=None), r"curves: log must be .*, got None"),
    # with a shared y axis the panel left out of log was drawn on a log axis too, its values <= 0 dropped unnoted
    (lambda: plots.curves({"a": {"s": [1.0, 2.0]}, "b": {"s": [0.0, 3.0]}}, log=["a"], sharey=True),
     r"curves: sharey=True puts every panel on one y scale; log=\['a'\] names only some of them"),
    # seeds of different lengths (diagnostics.fit stops a run at a non-finite loss), or text: numpy's 'setting an
    # array element with a sequence. The requested array has an inhomogeneous shape...', naming nothing
    (lambda: plots.curves({"p": {"a": [[1.0, 0.5, 0.2], [1.0, 0.7]]}}),
     r"curves: values must be numbers, one per point or a row per seed; the rows have \[2, 3\] values: pad a run "
     "that stopped early with nan"),
    (lambda: plots.loss_curves({"a": [[1.0, 0.5, 0.2], [1.0, 0.7]]}), r"the rows have \[2, 3\] values"),
    (lambda: plots.loss_curves({"a": ["x", "y"]}), r"curves: values must be numbers, .*, got \['x', 'y'\]"),
    # matplotlib's 'bottom cannot be >= top': a legend of 60 series left no room for the panel
    (lambda: plots.curves({"p": {f"seed {k} of the sixty seeds": [1.0, 2.0] for k in range(60)}}),
     r"slide_figure: 1 x 1 panels do not fit"),
])
def test_wrong_figure_input_gets_a_named_error(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_ridges_scale_each_histogram_to_its_peak_even_a_density_below_one() -> None:
    with plots.slide_style():
        fig = plots.slide_figure(1, 1)
    ax = fig.axes[0]
    plots.ridges(ax, ["a", "b"], [(0.0, 1.0, [0.1, 0.2, 0.05]), (0.0, 1.0, [3, 6, 0])])
    assert [max(line.get_ydata()) for line in ax.lines] == pytest.approx([0.85, 1.85])


@pytest.mark.parametrize("n", [5, 16, 41])
def test_ridges_too_close_for_a_label_each_are_labelled_apart_the_first_and_the_last_always(n) -> None:
    # 16 layers in a panel of 2 in: their notes ("61% sat.", "50% sat.", ...) and tick labels ran into each other
    from lab.test_report import assert_slide_ready

    with plots.slide_style():
        fig = plots.slide_figure(1, 1, (6, 2.6), right=1.5)
    ax = fig.axes[0]
    names = [*map(str, range(1, n)), "out"]
    plots.ridges(ax, names, [(0.0, 1.0, [1, 2, 1])] * n, [f"{k}% sat." for k in range(n)])
    assert_slide_ready(fig)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "1" and ticks[-1] == "out" and len(ax.texts) == len(ticks)
    assert len(ticks) == n if n == 5 else 5 <= len(ticks) < n


def test_the_training_figure_keeps_the_last_scheme_label_on_the_slide() -> None:
    from lab.test_report import assert_slide_ready

    steps, rng = np.arange(5), np.random.default_rng(0)
    inits = ("zeros", "large10", "he_normal")  # the report's: He's label is the widest, at the right edge
    fig = plots.training_figure(steps, {k: rng.random((3, 5)) for k in inits},
                                {k: (rng.random(3), rng.random(3)) for k in inits}, title="training")
    assert_slide_ready(fig)


def test_a_users_matplotlib_settings_do_not_change_the_figures_bytes() -> None:
    # a matplotlibrc (or a notebook's rcParams) with a dark figure, other font sizes or transparent saving changed
    # the slides: the same seed gave other bytes on another lecturer's machine
    import matplotlib

    def png() -> bytes:
        fig = plots.curves({"p": {"he_normal": [1.0, 2.0, 4.0]}}, title="t")
        return b"".join(plots.figure_bytes(fig, fmt) for fmt in ("png", "svg", "pdf"))

    plain = png()
    with matplotlib.rc_context({"figure.facecolor": "black", "font.size": 30, "savefig.transparent": True,
                                "xtick.major.size": 10, "lines.linestyle": "--", "axes.linewidth": 3}):
        assert png() == plain


def test_training_figure_colours_each_networks_dots_as_its_loss_curve() -> None:
    steps = np.arange(4)  # names without a colour of their own: 'a' once got the dots of 'b's colour
    fig = plots.training_figure(steps, {"a": np.ones((2, 4)), "b": 2 * np.ones((2, 4))},
                                {"a": ([0.5, 0.6], [0.5, 0.6]), "b": ([0.7, 0.8], [0.7, 0.8])})
    ax, strip = fig.axes
    curve = {line.get_label(): line.get_color() for line in ax.lines}
    assert [line.get_color() for line in strip.lines] == [curve["a"]] * 2 + [curve["b"]] * 2
    swapped = plots.training_figure(steps, {"a": np.ones((2, 4)), "b": 2 * np.ones((2, 4))},
                                    {"b": ([0.7, 0.8], [0.7, 0.8]), "a": ([0.5, 0.6], [0.5, 0.6])}).axes[1]
    assert [line.get_color() for line in swapped.lines] == [curve["b"]] * 2 + [curve["a"]] * 2  # by name, not place


def test_weight_heatmaps_keep_their_colour_range_with_a_nan_or_inf_entry() -> None:
    M = np.array([[1.0, np.nan], [-2.0, np.inf]])
    ax = plots.weight_heatmaps({"r": [("W", M)]}).axes[0]
    assert ax.images[0].get_clim() == (-2.0, 2.0)
    assert ax.get_title() == "W: -2 (blue) .. +2 (red), 2 nan/inf"
    assert plots.weight_heatmaps({"r": [("W", np.full((2, 2), np.nan))]}).axes[0].get_title() == \
        "W: no finite entry, 4 nan/inf"


def test_a_log_panel_says_which_series_has_values_it_cannot_draw() -> None:
    fig = plots.curves({"p": {"zeros": [0.0, 0.0], "he_normal": [1.0, 0.5], "neg": [1.0, -1.0]}}, ylabel="std")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "zeros (<= 0: not drawn)", "He randn*sqrt(2/fan_in)", "neg (<= 0: not drawn)"]
    linear = plots.curves({"p": {"zeros": [0.0, 0.0]}}, log=False)
    assert [t.get_text() for t in linear.legends[0].get_texts()] == ["zeros"]


@pytest.mark.parametrize("log", [True, False])
def test_a_series_with_nothing_finite_to_draw_says_so_in_the_legend(log) -> None:
    # an overflowed (inf) or diverged (nan) series, or two seeds of which one diverged (its median is inf), drew no
    # line and no band, yet stood in the legend as if drawn
    fig = plots.curves({"p": {"inf": [np.inf, np.inf], "nan": [np.nan, None], "seeds": [[1.0, 2.0], [np.nan] * 2],
                              "ok": [1.0, np.inf]}, "q": {"inf": [1.0, 2.0]}}, log=log)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "inf (nan/inf: not drawn)", "nan (nan/inf: not drawn)", "seeds (nan/inf: not drawn)", "ok"]
    assert [np.isfinite(line.get_ydata()).any() for line in fig.axes[0].lines] == [False, False, False, True]
    steps, losses = np.arange(3), {"he_normal": np.full((2, 3), np.nan), "small": np.ones((2, 3))}
    fig = plots.training_figure(steps, losses, {k: (np.ones(2), np.ones(2)) for k in losses})
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        table.label("he_normal") + " (nan/inf: not drawn)", table.label("small"), "ln 2"]


def test_the_training_figure_counts_the_accuracies_it_cannot_draw_under_their_network() -> None:
    from lab.test_report import assert_slide_ready

    # a diverged network's accuracy is nan (training.accuracy): its dot was left out, the strip showing fewer dots
    acc = {"zeros": ([0.5], [0.5]), "large10": ([0.8, np.nan, 0.7], [0.8, np.nan, 0.6]),
           "he_normal": ([0.9, 0.9, np.nan], [0.9, 0.8, 0.9])}
    fig = plots.training_figure(np.arange(3), {k: np.ones((3, 3)) for k in acc}, acc)
    ticks = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    assert ticks == ["zeros", "large\n10*randn\n(2 nan)", "He randn*\nsqrt(2/\nfan_in)\n(1 nan)"]  # a column wide
    assert sum(np.isfinite(line.get_ydata()).sum() for line in fig.axes[1].lines) == 14 - 3
    assert_slide_ready(fig)


def test_loss_curves_take_steps_from_the_longest_curve_and_a_single_loss() -> None:
    # the steps were counted from the first curve: a longer second one was refused ('give as many x'), and a single
    # number was an IndexError
    ax = plots.loss_curves({"short": [1.0, 0.5], "long": [1.0, 0.6, 0.3]}).axes[0]
    assert [line.get_xdata().tolist() for line in ax.lines[:2]] == [[0, 1], [0, 1, 2]]
    assert plots.loss_curves({"one": 0.7}).axes[0].lines[0].get_ydata().tolist() == [0.7]


@pytest.mark.parametrize("call, error, match", [
    (lambda: plots.loss_curves({"a": [1.0, 0.5, 0.2]}, steps=[0, 1]), ValueError,
     r"^loss_curves: steps has 2 values, but a curve has 3 losses: give a step per loss$"),
    (lambda: plots.loss_curves({"a": [1.0, 0.5]}, steps=5), TypeError, r"^loss_curves: steps must be a list of "),
    (lambda: plots.training_figure([0, 1], {"a": [1.0, 0.5, 0.2]}, {"a": ([0.9], [0.8])}), ValueError,
     r"^training_figure: steps has 2 values, but a curve has 3 losses: give a step per loss$"),
])
def test_loss_figures_name_their_own_steps_argument_when_it_is_short(call, error, match) -> None:
    # the message was curves' ('curves: series 'a' has 3 values: give as many x and predicted values'), naming an x
    # and a predicted that neither loss_curves nor training_figure takes
    with pytest.raises(error, match=match):
        call()


def test_curves_label_every_layer_of_the_longest_series() -> None:
    ax = plots.curves({"p": {"deep": np.arange(1, 11.0), "shallow": [1.0, 2.0, 3.0]}}).axes[0]
    assert list(ax.get_xticks()) == list(range(1, 11))


def test_histogram_grid_refuses_a_panel_on_another_range_than_the_first() -> None:
    with pytest.raises(ValueError, match=r"histogram_grid: row 'a', column 1: .*range"):
        plots.histogram_grid({"a": [(np.ones(4), np.linspace(0, 1, 5)), (np.ones(4), np.linspace(0, 10, 5))]})


@pytest.mark.parametrize("names", [("cs231n", "xavier_uniform", "he_normal", "glorot_standard"),
                                   ("small", "large", "cs231n", "he_normal")])
def test_a_one_panel_figure_keeps_every_scheme_label_of_its_legend_on_the_slide(names) -> None:
    from lab.test_report import assert_slide_ready

    assert_slide_ready(plots.layer_curves({"tanh": {k: [1.0, 0.5] for k in names}}))


def test_histogram_grid_keeps_a_long_scheme_label_on_the_slide() -> None:
    from lab.test_report import assert_slide_ready

    layers = [(np.ones(10), np.linspace(-1, 1, 11))] * 3  # 'U(+-sqrt(6/(fan_in+fan_out)))' cannot be wrapped
    assert_slide_ready(plots.histogram_grid({"xavier_uniform": layers, "he_normal": layers}, title="h"))


@pytest.mark.parametrize("values", [[0.5, 0.6, 0.9], [1.5, 3.0, 8.0], [0.95, 1.0, 1.05], [1e-9, 1e-3, 2.0], [1.0, 2.0],
                                    [0.5, 0.6], [0.995, 1.005], [3e-3, 4e-3], [0.3, 0.30001], [0.9999991, 0.9999996]])
def test_a_log_panel_labels_its_values_even_within_one_decade(values) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.curves({"p": {"he_normal": values}})
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    shown = [(t.get_position()[1], t.get_text()) for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len(shown) >= 2  # a He std of 0.5-0.9 once had no number on its axis
    assert [float(text) for _, text in shown] == pytest.approx([y for y, _ in shown], rel=1e-9)  # 1.75 read '1.8'
    assert len({text for _, text in shown}) == len(shown)  # 0.9975, 1 and 1.0025 all read '1'


@pytest.mark.parametrize("values", [[0.0279, 0.123, 0.482], [0.03, 0.9], [0.011, 0.2], [2.0, 40.0], [0.12, 0.95]])
def test_a_log_panel_over_one_to_two_decades_labels_both_ends_of_its_values(values) -> None:
    # the report's sigmoid activation-std panel (0.0279 to 0.482 at 500 units) was labelled 0.15, 0.3 and 0.45 only:
    # nothing on its lower half, where the 0.01*randn curve lies, so a slide could not tell 0.03 from 0.1
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.curves({"p": {"he_normal": values}})
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    ticks = np.array([float(t.get_text()) for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi])
    assert len(ticks) >= 2 and all(np.min(np.abs(np.log10(ticks / v))) <= np.log10(2.5) for v in values), ticks


def test_a_log_panel_from_just_below_one_to_four_has_a_tick_at_one() -> None:
    # tutorial 6's funnel (LeCun's std at 1, PyTorch's default growing to 4.3) was ticked 1.6, 2.4, 3.2, 4: the line at
    # 1 could not be read off the axis
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.layer_curves({"forward": {"a": [1, 1, 0.99, 1], "b": [1.4, 2, 2.8, 4]}}, title="t")
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert [t.get_text() for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi] == ["1", "2", "3"]


def test_a_series_keeps_one_colour_and_marker_in_every_panel_and_the_legend() -> None:
    fig = plots.curves({"p1": {"a": [1.0, 2.0], "b": [2.0, 3.0]}, "p2": {"b": [1.0, 2.0], "a": [2.0, 3.0]}})
    drawn = {(line.get_label(), line.get_color(), line.get_marker()) for ax in fig.axes for line in ax.lines}
    legend = {(t.get_text(), h.get_color(), h.get_marker())
              for t, h in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles)}
    assert drawn == legend and len(legend) == 2  # 'b' was drawn in a's colour in p2, and the legend showed both alike


@pytest.mark.parametrize("names", [[f"layer {k}" for k in range(1, 13)],
                                   ["he_normal"] + [f"layer {k}" for k in range(1, 9)]])  # 7 colours left beside He's
def test_many_series_never_share_both_colour_and_marker(names) -> None:
    ax = plots.curves({"p": {name: [1.0, 2.0] for name in names}}, log=False).axes[0]
    looks = [(line.get_color(), line.get_marker()) for line in ax.lines]
    assert len(set(looks)) == len(looks) == len(names)  # layer 9 once looked exactly like layer 1


def test_a_name_that_is_no_scheme_takes_a_colour_that_no_scheme_in_its_figure_has() -> None:
    # a student's 4th series, "mine", took palette colour 3, He's pink, and "nan" on the training strip as well: two
    # of four curves (and their bands) in one colour
    from matplotlib.colors import to_hex

    series = {"small": [1.0, 2.0], "he_normal": [1.5, 2.5], "zeros": [0.5, 1.0], "mine": [2.0, 3.0]}
    hists = plots.histogram_grid({k: [(np.ones(2), np.linspace(0, 1, 3))] for k in series})
    strip = plots.training_figure([0, 1], {"small": [0.7, 0.6]}, {k: ([0.9], [0.8]) for k in series}).axes[1]
    for colours in ([line.get_color() for line in plots.curves({"p": series}).axes[0].lines],
                    [line.get_color() for line in plots.loss_curves(series).axes[0].lines[:4]],
                    [to_hex(ax.patches[0].get_facecolor()) for ax in hists.axes],
                    [line.get_color() for line in strip.lines[::2]]):
        colours = [c.lower() for c in colours]
        assert len(set(colours)) == 4, colours
        assert colours[:2] == [plots.scheme_color(k).lower() for k in ("small", "he_normal")]  # each scheme its own


@pytest.mark.parametrize("make", [
    lambda: plots.loss_curves({"he_normal": [0.9, 0.5]}),
    lambda: plots.loss_curves({"he_normal": [0.9, 0.5, 0.3, 0.2, 0.1]}),
    lambda: plots.curves({"p": ([1, 2, 3], {"small": [1.0, 2.0, 3.0]}, "epoch")}),
    lambda: plots.training_figure([0, 1, 2], {"small": [[0.7, 0.5, 0.4]]}, {"small": ([0.9], [0.8])}),
])
def test_whole_steps_are_ticked_at_whole_numbers(make) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # a loss of 2 steps was ticked at steps 0.0, 0.2, 0.4 ..., of 5 at 0.5, 1.5 ...
    ax = make().axes[0]
    FigureCanvasAgg(ax.figure).draw()
    lo, hi = ax.get_xlim()
    ticks = [t.get_position()[0] for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi]
    assert len(ticks) >= 2 and all(t == int(t) for t in ticks), ticks


def test_a_one_panel_figure_wraps_a_long_title_within_its_width() -> None:
    from lab.test_report import assert_slide_ready

    assert_slide_ready(plots.loss_curves({"he_normal": [0.9, 0.5, 0.3]}, title="a long heading " * 8))


@pytest.mark.parametrize("make", [
    lambda title: plots.histogram_grid({"small": [(np.ones(4), np.linspace(0, 1, 5))] * 3}, title=title),
    lambda title: plots.verdict_grid(["tanh"], ["small", "he_normal"], [["vanishes", "holds"]], title=title),
    lambda title: plots.weight_heatmaps({"zeros": [("W1", np.zeros((2, 3))), ("W2", np.ones((3, 3)))]}, title=title),
])
def test_a_long_title_is_wrapped_on_the_slide(make) -> None:
    from lab.test_report import assert_slide_ready

    assert_slide_ready(make("a long heading " * 9))  # 135 letters: once one line, cut at both edges


@pytest.mark.parametrize("call, match", [  # each was Python's own TypeError or AttributeError from inside plots
    (lambda: plots.curves(None), r"curves: panels must be a mapping \{panel: \{series: values\}\}, got NoneType"),
    (lambda: plots.curves([1.0, 2.0]), r"curves: panels must be a mapping .*, got list \[1.0, 2.0\]"),
    (lambda: plots.curves({"p": [1.0, 2.0]}), r"curves: panel 'p' must be a mapping \{series: values\}, got list"),
    (lambda: plots.curves({"p": {"a": [1.0]}}, [1.0]), r"curves: predicted must be a mapping"),
    (lambda: plots.curves({"p": {"a": [1.0]}}, hlines=[1.0]), r"curves: hlines must be a mapping"),
    (lambda: plots.curves({"p": {"a": [1.0]}}, ncols="a"), r"curves: ncols must be a whole number"),
    (lambda: plots.loss_curves([1.0, 2.0]), r"loss_curves: curves must be a mapping"),
    (lambda: plots.training_figure([0, 1], None, {}), r"training_figure: losses must be a mapping"),
    (lambda: plots.histogram_grid(None), r"histogram_grid: hists must be a mapping"),
    (lambda: plots.histogram_grid({"a": 3}), r"histogram_grid: row 'a' must be a list"),
    (lambda: plots.weight_heatmaps([np.ones((2, 2))]), r"weight_heatmaps: matrices must be a mapping"),
    (lambda: plots.ridges(None, ["a"], [(0, 1, [1, 2])]), r"ridges: ax must be a matplotlib Axes"),
    (lambda: plots.figure_bytes(plots.slide_figure(1, 1).axes[0]), r"figure_bytes: fig must be a matplotlib Figure"),
])
def test_a_wrong_type_gets_a_type_error_naming_the_function_and_argument(call, match) -> None:
    with pytest.raises(TypeError, match=match):
        call()


def test_a_title_that_is_not_text_is_written_as_text() -> None:
    assert plots.curves({"p": {"a": [1.0, 2.0]}}, title=3)._suptitle.get_text() == "3"  # 'int' has no 'split'


@pytest.mark.parametrize("path,fmt,match", [
    ("slide.jpg", None, r"^save_figure: fmt must be one of 'png', 'svg', 'pdf', got 'jpg'"),  # was figure_bytes:
    ("slide.dat", ".png", r"^save_figure: fmt must be one of .*, got '\.png' \(did you mean 'png'\?\)"),
    ("slide", None, r"save_figure: give a file name ending in \.png, \.svg or \.pdf, or pass fmt="),
    # an SVG written into slide.png, which no image viewer opens
    ("slide.png", "svg", r"save_figure: fmt='svg' and the file name '.*slide\.png' say two formats; give one")])
def test_save_figure_names_the_formats_it_writes(tmp_path, path, fmt, match) -> None:
    with pytest.raises(ValueError, match=match):  # the format's message named no function, in its own words
        plots.save_figure(plots.slide_figure(1, 1), tmp_path / path, fmt)
    assert not list(tmp_path.iterdir())


def test_save_figure_into_a_missing_folder_or_onto_a_folder_names_itself_before_drawing(tmp_path, monkeypatch) -> None:
    # "[Errno 2] No such file or directory" after the figure was drawn, as from open()
    fig = plots.slide_figure(1, 1)
    monkeypatch.setattr(plots, "figure_bytes", lambda *a, **k: pytest.fail("the figure was drawn"))
    with pytest.raises(FileNotFoundError, match=r"save_figure: the folder '.*slides' does not exist; create it first"):
        plots.save_figure(fig, tmp_path / "slides" / "f.png")
    with pytest.raises(IsADirectoryError, match=r"save_figure: path '.*' is a folder; name the file: .*figure\.png"):
        plots.save_figure(fig, tmp_path)
    with pytest.raises(TypeError, match=r"save_figure: path must be a file name or a pathlib.Path, got None"):
        plots.save_figure(fig, None)
    monkeypatch.undo()
    with pytest.raises(TypeError, match=r"^save_figure: fig must be a matplotlib Figure, got int"):  # figure_bytes:
        plots.save_figure(3, tmp_path / "f.png")
    with pytest.raises(ValueError, match=r"^save_figure: dpi must be >= 10, got 1"):
        plots.save_figure(fig, tmp_path / "f.png", dpi=1)


@pytest.mark.parametrize("panels", [
    {"p": {"a": [[1.0, 2.0], [np.nan, np.nan]]}},  # one of two seeds diverged from the start: no median, no band
    {"p": {"a": [[0.5, np.nan, 2.0], [np.nan, np.nan, np.nan]]}},
    {"p": {"a": [np.nan, np.nan]}, "q": {"b": [1.0, 2.0]}},  # a run that diverged beside one that did not
])
def test_a_log_panel_of_diverged_runs_still_draws(panels) -> None:
    for fmt in ("png", "svg"):  # matplotlib raised 'Data cannot be log-scaled because all values are <= 0.'
        assert plots.figure_bytes(plots.curves(panels), fmt)


def test_a_one_layer_curve_shows_its_theory_and_its_band() -> None:
    ax = plots.curves({"p": {"tanh": [[0.5], [0.7]]}}, {"p": {"tanh": [0.6]}}).axes[0]
    theory = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(theory) == 1 and np.ptp(theory[0].get_xdata()) > 0  # a dashed line of one point drew nothing
    assert theory[0].get_ydata() == pytest.approx([0.6] * len(theory[0].get_xdata()))
    (band,) = ax.collections
    vertices = band.get_paths()[0].vertices
    assert np.ptp(vertices[:, 0]) > 0 and vertices[:, 1].min() == pytest.approx(0.5)
    assert vertices[:, 1].max() == pytest.approx(0.7)


def test_a_series_not_drawn_in_one_log_panel_has_one_legend_entry_clear_of_the_panels() -> None:
    from lab.test_report import assert_slide_ready

    schemes = ["small", "large", "xavier_normal", "he_normal", "orthogonal", "lecun_normal"]
    fig = plots.curves({"a": {s: [1.0, 2.0] for s in schemes}, "b": {s: [0.0, 1.0] for s in schemes}})
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert texts == [table.label(s) + " (<= 0: not drawn)" for s in schemes]  # each was listed twice, with and without
    assert_slide_ready(fig)  # the longer labels took more rows than the figure left, over the panels


def test_the_legend_rows_are_counted_with_the_labels_given_in_styles() -> None:
    from lab.test_report import assert_slide_ready

    styles = {f"s{k}": {"label": f"{table.label(s)}, a long label of the batch norm figure"}
              for k, s in enumerate(["small", "large", "xavier_normal", "he_normal", "orthogonal", "lecun_normal"])}
    fig = plots.curves({"a": {k: [1.0, 2.0] for k in styles}, "b": {k: [2.0, 1.0] for k in styles}}, styles=styles)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [v["label"] for v in styles.values()]
    assert_slide_ready(fig)  # rows counted for the short keys 's0'...: the legend covered the panels


def test_histogram_grid_of_30_layers_keeps_its_texts_apart() -> None:
    from lab.test_report import assert_slide_ready

    layers = [(np.arange(10.0), np.linspace(-1, 1, 11))] * 30  # activation_statistics(depth=30)
    fig = plots.histogram_grid({"he_normal": layers, "small": layers}, annotations={"he_normal": ["std 0.55"] * 30})
    assert_slide_ready(fig)  # 'layer 1layer 2...' and the notes ran into each other
    shown = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("layer")]
    assert shown == [f"layer {j}" for j in range(1, 31, 3)]  # every third layer, as curves label theirs


@pytest.mark.parametrize("depth, lo", [(10, -0.00123), (20, -0.97), (40, -1.0), (40, -1.5e-5)])
def test_histogram_grid_keeps_the_range_under_narrow_panels_readable(depth, lo) -> None:
    from lab.test_report import assert_slide_ready
    from tinygrad_init.utils import format_number

    # tanh's bins of -0.97 to 0.97 under 20 layers, or -1 to 1 under 40, read '-00997' and '-11': each panel's two
    # ends ran into each other
    fig = plots.histogram_grid({"he_normal": [(np.arange(10.0), np.linspace(lo, -lo, 11))] * depth})
    assert_slide_ready(fig)
    ends = {format_number(v, 2) for v in (lo, -lo)}
    assert all(any(e in t.get_text() for t in fig.axes[0].texts) for e in ends)  # the range is still written


@pytest.mark.parametrize("units, panels", [(10, 3), (12, 3), (16, 3), (16, 2), (16, 1)])
def test_weight_heatmaps_number_the_units_without_running_the_numbers_together(units, panels) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # three panels of 16 units each numbered every unit: '9101112131415 16' under each
    fig = plots.weight_heatmaps({"he_normal": [(f"W{k}", np.ones((4, units))) for k in range(panels)]})
    renderer = FigureCanvasAgg(fig).get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        assert len(boxes) >= 5 and all(a.x1 + 2 < b.x0 for a, b in zip(boxes, boxes[1:])), [
            t.get_text() for t in ax.get_xticklabels()]


def test_a_verdict_grid_of_eight_schemes_keeps_its_column_labels_on_the_slide() -> None:
    from lab.test_report import assert_slide_ready

    schemes = ["zeros", "small", "large", "xavier_normal", "he_normal", "orthogonal", "lecun_normal", "xavier_uniform"]
    fig = plots.verdict_grid(["tanh", "relu"], [table.label(s) for s in schemes], [["holds"] * 8] * 2)
    assert_slide_ready(fig)  # 'U(+-sqrt(6/(fan_in+fan_out)))' cannot be wrapped and was cut at the slide's edge
    assert [t.get_text().replace("\n", " ") for t in fig.axes[0].get_xticklabels()][:3] == [
        "zeros", "small 0.01*randn", "large 1.0*randn"]


def test_a_panel_without_a_theory_may_say_none() -> None:
    fig = plots.layer_curves({"t": {"a": [1.0, 2.0]}, "u": {"a": [1.0, 2.0]}}, {"t": None, "u": {"a": [1.0, 1.5]}})
    assert [len([line for line in ax.lines if line.get_linestyle() == "--"]) for ax in fig.axes] == [0, 1]


def test_a_log_axis_leaves_out_zero_and_infinite_values_instead_of_stretching_to_them() -> None:
    fig = plots.curves({"p": {"a": [1.0, 0.1, 0.0, 0.01, np.inf]}}, log=True)
    ax = fig.axes[0]
    y = np.asarray(ax.lines[0].get_ydata(), dtype=float)
    np.testing.assert_array_equal(y, [1.0, 0.1, np.nan, 0.01, np.nan])  # gaps where log10 is undefined or infinite
    low, high = ax.get_ylim()
    assert 1e-3 < low < 0.01 and 1.0 < high < 10.0  # the axis spans the drawable values, not a clipped 0


def test_a_log_axis_over_several_decades_ticks_at_the_powers_of_ten() -> None:
    ax = plots.curves({"p": {"a": [100.0, 1.0, 1e-2, 1e-4]}}, log=True).axes[0]
    low, high = ax.get_ylim()
    ticks = [t for t in ax.get_yticks() if low <= t <= high]
    assert len(ticks) == 7 and np.allclose(np.log10(ticks), np.arange(-4, 3))


def test_a_single_text_value_gets_the_curves_error_not_an_index_error() -> None:
    with pytest.raises(ValueError, match=r"curves: values must be numbers.*got \['x'\]"):
        plots.curves({"p": {"a": ["x"]}})


def test_histogram_grid_writes_each_panels_annotation() -> None:
    counts, edges = np.array([1.0, 3.0, 2.0]), np.linspace(-1.0, 1.0, 4)
    notes = ["std 1.0", "std 0.9", "std 0.8"]
    fig = plots.histogram_grid({"he_normal": [(counts, edges)] * 3}, annotations={"he_normal": notes})
    assert [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("std")] == notes


def test_ridges_draw_each_histogram_at_its_bin_centres_scaled_to_its_peak_a_row_up() -> None:
    ax = plots.slide_figure(1, 1).axes[0]
    counts = [np.array([1.0, 4.0, 2.0, 0.0]), np.array([3.0, 3.0])]
    plots.ridges(ax, ["a", "b"], [(-2.0, 2.0, counts[0]), (0.0, 1.0, counts[1])])
    for i, (line, c, (lo, hi)) in enumerate(zip(ax.lines, counts, [(-2.0, 2.0), (0.0, 1.0)])):
        edges = np.linspace(lo, hi, len(c) + 1)
        np.testing.assert_allclose(line.get_xdata(), (edges[:-1] + edges[1:]) / 2)
        np.testing.assert_allclose(line.get_ydata(), i + 0.85 * c / c.max())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"] and list(ax.get_yticks()) == [0, 1]


def test_loss_curves_and_training_figure_name_themselves_for_values_that_are_not_numbers():
    # they said "curves: values must be numbers" (a function not called), and a string among training_figure's
    # accuracies gave numpy's "could not convert string to float: 'x'"
    with pytest.raises(ValueError, match=r"^loss_curves: values must be numbers"):
        plots.loss_curves({"a": ["x", 1]})
    for losses, accuracies in (({"a": [1, 2]}, {"a": (["x"], [1.0])}), ({"a": ["q", 2]}, {"a": ([1.0], [1.0])})):
        with pytest.raises(ValueError, match=r"^training_figure: values must be numbers"):
            plots.training_figure([0, 1], losses, accuracies)


@pytest.mark.parametrize("pair", [None, 3, [np.nan], [0.9, 0.8], "ab", ([0.9], [0.8], [0.7]), {"train": [0.9]}])
def test_training_figure_refuses_accuracies_that_are_not_a_train_and_test_pair(pair):
    # None and 3 gave Python's "'NoneType' object is not iterable", [nan] or [0.9, 0.8] (the train accuracies of two
    # networks) "object of type 'float' has no len()", "ab" "values must be numbers, got 'a'"; a third list was dropped
    with pytest.raises(TypeError, match=r"^training_figure: accuracies\['a'\] must be a pair \(train, test\)"):
        plots.training_figure([0, 1], {"a": [1.0, 0.5]}, {"a": pair})


def test_loss_curves_and_training_figure_name_themselves_for_a_curve_without_values():
    # loss_curves({"a": []}) said "curves: series 'a' has no values" (a function not called), and training_figure
    # drew an empty loss panel for it in silence
    for empty in ([], np.array([]), ()):
        with pytest.raises(ValueError, match=r"^loss_curves: curve 'a' has no values"):
            plots.loss_curves({"b": [1.0, 0.5], "a": empty})
        with pytest.raises(ValueError, match=r"^training_figure: losses\['a'\] has no values"):
            plots.training_figure([0, 1], {"b": [1.0, 0.5], "a": empty}, {"a": ([0.9], [0.8])})


_H = (np.array([1.0, 2.0]), np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize("call,error,message", [
    # each was Python's own error from inside: IndexError, AttributeError, TypeError (cannot unpack)
    (lambda: plots.curves({"p": {"a": [1.0, 2.0]}}, predicted={"p": {"a": "x"}}), ValueError,
     r"^curves: predicted series 'a': values must be numbers, one per point or a row per seed, got 'x'"),
    (lambda: plots.curves({"p": {"a": [1.0, 2.0]}}, styles={"a": 5}), TypeError,
     r"^curves: styles\['a'\] must be a dict of matplotlib keywords, e.g. {'linestyle': ':'}, got int 5"),
    (lambda: plots.histogram_grid({"a": [_H]}, annotations=5), TypeError,
     r"^histogram_grid: annotations must be a mapping"),
    (lambda: plots.weight_heatmaps({"a": [5]}), TypeError,
     r"^weight_heatmaps: 'a'\[0\] must be a pair \(name, matrix\), got int 5"),
])
def test_bad_arguments_are_named_by_the_function_called(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("call, error, match", [  # each was Python's or matplotlib's error, naming no argument
    (lambda: plots.scheme_color("x", "y"), TypeError, r"^scheme_color: index must be a whole number, got str 'y'"),
    (lambda: plots.legend_below(plots.slide_figure(1, 1), 5), TypeError,
     r"^legend_below: handles must be a list of artists \(ax.plot\(\.\.\.\)'s lines\), got int 5"),
    (lambda: plots.legend_below(None, []), TypeError, r"^legend_below: fig must be a matplotlib Figure, got NoneType"),
    (lambda: plots.log_axis(None), TypeError, r"^log_axis: ax must be a matplotlib Axes, got NoneType"),
    (lambda: plots.slide_figure(1, 1, size="x"), TypeError,
     r"^slide_figure: size must be \(width, height\) in inches, e.g. \(6, 4\), got str 'x'"),
    (lambda: plots.slide_figure(1, 1, size=(6, "4")), TypeError, r"^slide_figure: size's height must be a number"),
    (lambda: plots.slide_figure(1, 1, size=(0, 4)), ValueError, r"^slide_figure: size's width must be > 0, got 0"),
])
def test_the_slide_helpers_name_an_argument_of_the_wrong_kind(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call, error, match", [  # each was Python's, numpy's, matplotlib's or FreeType's error
    (lambda: plots.slide_figure(1, 1, left=None), TypeError, r"^slide_figure: left must be a number, got NoneType"),
    (lambda: plots.slide_figure(1, 1, hgap="abc"), TypeError, r"^slide_figure: hgap must be a number, got str"),
    (lambda: plots.slide_figure(1, 1, top=-1), ValueError, r"^slide_figure: top must be >= 0, got -1"),
    (lambda: plots.legend_below(plots.slide_figure(1, 1), [], ncols=None), TypeError,
     r"^legend_below: ncols must be a whole number, got NoneType"),
    (lambda: plots.ridges(plots.slide_figure(1, 1).axes[0], "ab", [(0, 1, [1])]), TypeError,
     r"^ridges: labels must be a list, an item a row, got str 'ab'"),
    (lambda: plots.ridges(plots.slide_figure(1, 1).axes[0], ["a"], [(0, 1, [1])], notes=None), TypeError,
     r"^ridges: notes must be a list, an item a row, got NoneType"),
    (lambda: plots.curves({"p": {"a": [1.0, 2.0]}}, dodge=None), TypeError, r"^curves: dodge must be a number"),
    (lambda: plots.curves({"p": {"a": [1.0, 2.0]}}, sharey="abc"), TypeError, r"^curves: sharey must be True or"),
    (lambda: plots.verdict_grid(["r"], ["c"], 5), TypeError, r"^verdict_grid: rows and cols must be lists of names"),
    (lambda: plots.figure_bytes(plots.slide_figure(1, 1), dpi=2.5), ValueError, r"^figure_bytes: dpi must be >= 10"),
])
def test_the_figures_name_an_argument_a_lecturer_gets_wrong(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


def test_histogram_grid_writes_each_panels_range_under_the_last_row_alone_to_two_digits() -> None:
    # every panel shares the first one's range: its two ends, to 2 significant digits, under each panel of the last
    # row (a slide reads the column down to them), none under the rows above
    layers = [(np.arange(10.0), np.linspace(-0.4567, 0.4567, 11))] * 4
    fig = plots.histogram_grid({"small": layers, "xavier_normal": layers, "he_normal": layers})
    texts = [[t.get_text() for t in ax.texts] for ax in fig.axes]
    assert [t.count("-0.46") for t in texts] == [0, 0, 4] and [t.count("0.46") for t in texts] == [0, 0, 4]
    assert not any("0.457" in s for t in texts for s in t)
