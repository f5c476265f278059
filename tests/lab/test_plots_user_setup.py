"""The figures inside a lecturer's own matplotlib setup (a style, rcParams for slides): the package's figures keep
their look and leave the setup as it was; a lecturer's own figure is saved as matplotlib draws it."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from tinygrad_init import plots


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("rc", [{"font.size": 18}, {"axes.unicode_minus": False, "savefig.facecolor": "#eeeeee"}])
def test_a_lecturers_own_figure_is_saved_as_matplotlib_draws_it(rc) -> None:
    # save_figure drew every figure under matplotlib's defaults: the ticks of a figure made with font.size 18 were
    # spaced for 10 pt labels, its 18 pt labels ran together ('1.001.251.50...'), unlike fig.savefig's
    with matplotlib.rc_context(rc):
        fig = Figure()
        fig.subplots().plot([1.0, 3.0], [-1.0, 9.0])
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=50)
        np.testing.assert_array_equal(_pixels(plots.figure_bytes(fig, "png", 50)), _pixels(buf.getvalue()))


def test_a_lecturers_style_changes_neither_the_slide_nor_is_changed_by_it() -> None:
    # a dark style with 3 colours, 18 pt and thick lines: the slide keeps its white face, black text and a colour a
    # series; pyplot holds no figure of it; the rcParams are the lecturer's after a figure and after a refused one
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    rc = {"font.size": 18, "lines.linewidth": 4, "axes.prop_cycle": matplotlib.cycler(color=["r", "g", "b"])}
    with matplotlib.style.context(["dark_background", rc]):
        before, open_figures = dict(matplotlib.rcParams), plt.get_fignums()  # (other tests' figures: theirs)
        fig = plots.curves({"p": {"he_normal": [1.0, 2.0], "small": [0.5, 0.2], "mine": [1.0, 1.5], "yours": [2, 3]}})
        with pytest.raises(ValueError, match="panel 'q' has no series"):
            plots.curves({"q": {}})
        assert dict(matplotlib.rcParams) == before and plt.get_fignums() == open_figures
    assert to_hex(fig.get_facecolor()) == to_hex(fig.axes[0].get_facecolor()) == "#ffffff"
    assert {to_hex(t.get_color()) for t in fig.findobj(matplotlib.text.Text) if t.get_text()} == {"#000000"}
    assert len({to_hex(line.get_color()) for line in fig.axes[0].lines}) == 4
