"""The figures' functions given wrong input: a `ValueError` that names the function and what to pass."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import plots


@pytest.mark.parametrize("call, match", [
    (lambda: plots.curves({"p": {}}), r"curves: panel 'p' has no series"),
    (lambda: plots.curves({"p": ([1, 2], {"a": [1.0, 2.0, 3.0]})}), r"curves: series 'a' has 3 values"),
    (lambda: plots.curves({"p": {"a": [1.0, 2.0]}}, {"p": {"a": [1.0, 2.0, 3.0]}}), r"curves: series 'a' has 2 values"),
    (lambda: plots.histogram_grid({"a": [(np.ones(2), np.arange(3))], "b": []}), r"histogram_grid: row 'b'"),
    (lambda: plots.weight_heatmaps({"a": []}), r"weight_heatmaps: nothing to draw"),
    (lambda: plots.verdict_grid(["tanh"], ["he", "xavier"], [["holds"]]), r"verdict_grid: .*1 x 2"),
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
