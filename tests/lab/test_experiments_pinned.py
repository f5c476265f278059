"""The experiments' numbers, pinned where no other test did, against hand computations and the literature."""

from __future__ import annotations

import math

import numpy as np

from tinygrad_init.lab import experiments


def test_activation_statistics_runs_at_the_slides_sizes_unless_quick() -> None:
    # CS231n (2016, lecture 5, "Weight Initialization"): a 10-layer net of 500 tanh units, batch 1000, W = 0.01 randn
    r = experiments.activation_statistics(schemes=["small"], activations=["tanh"])
    assert {k: r.settings[k] for k in ("depth", "width", "batch")} == {"depth": 10, "width": 500, "batch": 1000}
    pre = np.asarray(r.tables["main"].column("pre_std"), dtype=float)
    assert len(pre) == 10 and math.isclose(pre[0], 0.01 * math.sqrt(500), rel_tol=0.02)  # z1 = x W: 0.01 sqrt(500)


def test_theory_average_takes_five_networks_seeded_rng_rng_plus_1_by_default() -> None:
    res = experiments.theory_average(rng=2, quick=True)
    assert res.settings["seeds"] == [2, 3, 4, 5, 6]  # the docstring: seeds rng, rng + 1, ...; networks=5
    assert all(np.shape(q) == (5, 10) for q in res.data["ratios"].values())
    assert all("in the median of 5 networks" in f for f in res.findings) and len(res.findings) == 3
