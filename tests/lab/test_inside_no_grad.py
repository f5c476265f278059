"""The lab's functions that build their own networks and measure or train them work inside `no_grad()` (a notebook
cell that wraps everything in it), as PyTorch's `autograd.functional.jacobian` does: they switch gradients on for
themselves and leave the caller's mode as it was."""

from __future__ import annotations

import numpy as np

from tinygrad_init import is_grad_enabled, nn, no_grad
from tinygrad_init.lab import diagnostics, experiments, explorer, spectra
from tinygrad_init.observe import draw


def _fit() -> tuple:
    X, y = np.random.default_rng(0).standard_normal((40, 2)), np.arange(40) % 2
    losses, diag = diagnostics.fit(nn.MLP([2, 8, 2], rng=0), X, y, steps=5, lr=0.1, batch=8, every=1)
    return losses, len(diag.records)


CALLS = {
    "explorer.measure": lambda: explorer.measure("tanh", "xavier_normal", 1.0, 3, 16, batch=32)["grad_std"],
    "spectra.jacobian_spectra": lambda: spectra.jacobian_spectra(depths=(2,), width=8, networks=1),
    "diagnostics.fit": _fit,
    "experiments.run_one": lambda: experiments.run_one("small", "tanh", depth=2, width=8, batch=4).layers,
    "draw.compare_inits": lambda: draw.compare_inits(schemes=("small", "he_normal")).source,
}


def test_they_measure_inside_no_grad_what_they_measure_outside() -> None:
    for name, call in CALLS.items():
        outside = call()
        with no_grad():
            inside = call()  # raised "backward: this tensor does not require grad" (the user built no tensor)
            assert not is_grad_enabled(), name
        assert repr(inside) == repr(outside), name
