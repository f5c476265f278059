"""Numbers and labels of the pictures that no other test pins, each checked by hand."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Value, draw


def test_scalar_mlp_loss_is_the_sum_of_squared_errors():
    loss, tr = draw.mlp_loss([2, 3], "zero", engine="scalar", rng=3)  # zero weights: every output 0
    gen = np.random.default_rng(3)
    gen.standard_normal((1, 2))  # x, then y, as the docstring says
    y = gen.standard_normal((1, 3))
    assert tr is None and abs(loss.data - float(np.sum(y ** 2))) < 1e-12


def test_picture_render_returns_the_file_it_wrote(tmp_path):
    a = Value(2.0, label="a")
    path = draw.draw(a * a).render(filename=str(tmp_path / "g"), format="svg", cleanup=True)
    assert path == str(tmp_path / "g.svg") and (tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
