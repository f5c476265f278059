"""Memory over long runs: what a training loop, its watchers and its ledgers keep, and what they let go."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.diagnostics import Diagnostics
from tinygrad_init.nn.optim import SGD


def test_a_diagnostics_made_again_and_again_on_one_model_leaves_no_wrapper_behind():
    # `diag = Diagnostics(model, opt)` run again (a notebook cell, or once per epoch) makes the new one before the old
    # goes: the old one's pass-through wrappers of model.forward and optimizer.step stayed under the new one's, one
    # more per run, so every forward went through all of them and after ~490 runs raised RecursionError
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh())
    opt = SGD(model.parameters(), lr=0.1)
    for _ in range(1200):  # 30 ms
        diag = Diagnostics(model, opt)
    model(Tensor(np.ones((1, 2), np.float32))).sum().backward()
    opt.step()
    assert [r["step"] for r in diag.records] == [0] and set(diag.records[0]["params"]) == {"0.weight", "0.bias"}
