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
