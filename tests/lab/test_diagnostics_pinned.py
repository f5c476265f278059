"""Diagnostics numbers that no other test pins, each checked by hand."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.lab import diagnostics as D
from tinygrad_init.nn.optim import SGD


def test_zero_gradients_are_histogrammed_over_minus_one_to_one():
    gen = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 5, rng=gen), nn.Tanh(), nn.Linear(5, 2, rng=gen))
    diag = D.Diagnostics(model, SGD(model.parameters(), lr=0.1), bins=10)
    (model(Tensor(gen.standard_normal((4, 3)))) * 0.0).sum().backward()  # every gradient exactly 0: std 0
    (r,) = diag.records[0]["layers"].values()
    lo, hi, counts = r["grad_hist"]
    assert r["grad_std"] == 0.0 and (lo, hi) == (-1.0, 1.0)  # the range +-4 std is empty: -1..1 instead
    assert counts.tolist() == [0] * 5 + [20] + [0] * 4  # the 4 x 5 zeros in the bin [0, 0.2)
