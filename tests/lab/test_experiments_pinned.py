"""The experiments' numbers, pinned where no other test did, against hand computations and the literature."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tinygrad_init.lab import experiments

from shared_runs import SWEEP, sweep_run


def test_activation_statistics_runs_at_the_slides_sizes_unless_quick() -> None:
    # CS231n (2016, lecture 5, "Weight Initialization"): a 10-layer net of 500 tanh units, batch 1000, W = 0.01 randn
    r = experiments.activation_statistics(schemes=["small"], activations=["tanh"])
    assert {k: r.settings[k] for k in ("depth", "width", "batch")} == {"depth": 10, "width": 500, "batch": 1000}
    pre = np.asarray(r.tables["main"].column("pre_std"), dtype=float)
    assert len(pre) == 10 and math.isclose(pre[0], 0.01 * math.sqrt(500), rel_tol=0.02)  # z1 = x W: 0.01 sqrt(500)
    quick = experiments.activation_statistics(quick=True, schemes=["small"], activations=["tanh"]).settings
    assert quick["width"] < 500 and quick["batch"] < 1000  # quick: smaller layers and batch


def test_theory_average_takes_five_networks_seeded_rng_rng_plus_1_by_default() -> None:
    res = experiments.theory_average(rng=2, quick=True)
    assert res.settings["seeds"] == [2, 3, 4, 5, 6]  # the docstring: seeds rng, rng + 1, ...; networks=5
    assert res.settings["seed"] == 2  # network 1's, whose ratios are the "one network" columns
    assert {k: np.shape(q) for k, q in res.data["ratios"].items()} == {
        k: (5, 10) for k in ("act_std", "grad_act_std", "grad_w_std")}  # (networks, layers)
    assert all("in the median of 5 networks" in f for f in res.findings) and len(res.findings) == 3


def test_judge_words_at_their_thresholds_follow_below_and_above_strictly() -> None:
    # WORDS: "vanishes": a ratio below 0.1, "explodes": above 10, "dies": over 50% dead; a ratio of exactly 0.1 or 10
    # (exact in binary: 0.1 / 1.0 and 10.0 / 1.0) and exactly half dead are none of these
    assert experiments.judge([1.0, 0.1], [1.0, 1.0], [0.0, 0.0], "tanh") == "holds"
    assert experiments.judge([1.0, 0.0999], [1.0, 1.0], [0.0, 0.0], "tanh") == "vanishes"
    assert experiments.judge([1.0, 10.0], [1.0, 1.0], [0.0, 0.0], "tanh") == "holds"
    assert experiments.judge([1.0, 10.01], [1.0, 1.0], [0.0, 0.0], "tanh") == "explodes"
    assert experiments.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.5], "relu") == "holds"
    assert experiments.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.51], "relu") == "dies"
    # the docstring: a gradient std of 0 at the top counts as 1e-300, so 1.5e-301 / 1e-300 = 0.15 holds
    assert experiments.judge([1.0, 1.0], [1.5e-301, 0.0], [0.0, 0.0], "tanh") == "holds"


def test_theory_vs_measurement_gives_no_ratio_where_the_theory_predicts_zero() -> None:
    sw = experiments.run_sweep(["zeros", "small"], ["tanh"], depth=2, width=8, batch=4)
    main, summary = experiments.theory_vs_measurement(sw)
    zeros = [r for r in main.rows if r["scheme"] == "zeros"]
    assert len(zeros) == 2 and all(r["act_std_theory"] == 0 and r["act_ratio"] is None for r in zeros)
    small = [r for r in main.rows if r["scheme"] == "small"]
    assert all(r["act_ratio"] == r["act_std"] / r["act_std_theory"] for r in small)  # a / b by hand
    furthest = max((r["act_ratio"] for r in small), key=lambda v: abs(math.log(v)))  # the ratio furthest from 1
    assert [r["act_ratio_worst"] for r in summary.rows] == [None, furthest]


@pytest.mark.xdist_group(SWEEP)
def test_the_verdicts_xavier_relu_sentence_gives_layer_ls_std_over_layer_1s_to_two_digits() -> None:
    sw = experiments.run_sweep(["cs231n", "he_normal"], ["tanh", "relu"], quick=True, rng=3)
    text = experiments.verdict(sw).findings[0]
    std = np.asarray(sw.run("cs231n", "relu").values("act_std"), dtype=float)
    fall = float(re.search(r"with Xavier the std falls to ([0-9.]+) of its size by layer 10", text).group(1))
    assert fall == float(f"{std[9] / std[0]:.2g}")  # 0.045 (of 0.04477): two significant digits of layer 10 / 1
    # mean field (He et al. 2015, eq. 10 with Var(w) = 1/n): ReLU halves E[h^2] a layer, 9 halvings from 1 to 10,
    # 2^-4.5 = 0.0442. This was asserted within 20% at this seed alone, at the quick 100 units, where seeds 0-9 spread
    # from 0.029 to 0.064 (-33% to +45%); at the slide's 500 units seeds 0-4 give 0.0423-0.0473 (-4% to +7%)
    # the runs of experiments.run_one("cs231n", "relu", rng=seed), shared with tutorial 7's test of seeds 0-9
    fall = np.array([(lambda s: s[-1] / s[0])(sweep_run("cs231n", "relu", seed).values("act_std"))
                     for seed in range(5)])
    np.testing.assert_allclose(fall, 2 ** -4.5, rtol=0.1)
    assert np.ptp(fall) > 0.002  # the spread over the seeds


def test_the_verdicts_batch_norm_sentence_names_each_schemes_word_without_it() -> None:
    # CS231n (lecture 5): 0.01 randn makes tanh's activations vanish, 1.0 randn saturates it; batch norm keeps the
    # std of every layer's input z at 1 (Ioffe & Szegedy 2015) so both hold
    sw, bn = (experiments.run_sweep(["small", "large"], ["tanh"], quick=True, batchnorm=b) for b in (False, True))
    text = experiments.verdict(sw, bn).findings[-1]
    assert text.startswith("Batch norm frees the choice") and "layer, and the verdict is 'holds' for all (" in text
    assert text.endswith("(without it: small 0.01*randn: tanh vanishes; large 1.0*randn: tanh saturates).")
