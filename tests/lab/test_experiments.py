"""The lecture experiments: numbers from the literature at its own settings, the theory, the verdict, determinism."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re

import matplotlib.text
import numpy as np
import pytest

from shared_runs import HE_ET_AL, SWEEP, he_et_al_run, sweep_run
from tinygrad_init import Tensor, data, experiments as E, init, nn, probe, theory
from tinygrad_init.lab import spectra
from tinygrad_init.losses import binary_cross_entropy_with_logits
from tinygrad_init.optim import SGD
from tinygrad_init.table import Table
from tinygrad_init.utils import format_number

LN2 = math.log(2)


@pytest.fixture(scope="module")
def quick_sweep() -> E.Sweep:
    return E.run_sweep(rng=3, quick=True)


# ---------------------------------------------------------------- CS231n, lecture 6 (2017), at its settings


# The tests of the CS231n set-up at full size share the module's fixtures tanh_seeds and relu_seeds, whose runs are
# shared_runs.sweep_run's: they run in the process of the other tests that read those runs (pytest-xdist's --dist
# loadgroup, group SWEEP), so that the networks are drawn once.
CS231N = pytest.mark.xdist_group(SWEEP)


@pytest.fixture(scope="module")
def tanh_seeds() -> list[dict[str, E.Run]]:
    """The CS231n set-up at full size (10 layers x 500 units, batch 1000) for the slide's tanh nets, seeds 0-5: the
    runs of `run_sweep(("small", "large", "cs231n", "he_normal"), ("tanh",), rng=seed)` by scheme, which are
    `run_one(scheme, "tanh", rng=seed)`'s number for number (tutorial 5's and the docs' tests read them too)."""
    return [{scheme: sweep_run(scheme, "tanh", seed) for scheme in ("small", "large", "cs231n", "he_normal")}
            for seed in range(6)]


# Stanford CS231n (2017), lecture 6 "Training Neural Networks I", the slides on activation statistics:
# ten tanh layers of 500 units, W = 0.01 * np.random.randn(fan_in, fan_out), input 1000 x 500 unit
# gaussians; the printed per-layer stds of hidden layers 1..6.
CS231N_SMALL_TANH_STD = [0.213081, 0.047551, 0.010630, 0.002378, 0.000532, 0.000119]


@CS231N
def test_small_weights_with_tanh_reproduce_the_cs231n_stds(tanh_seeds: list[dict[str, E.Run]]) -> None:
    # seeds 0-9: each of layers 1-6 within 0.6% (layer 1) to 1.7% (layer 6) of the slide; asserted at 2.5% (it was 5%
    # at seeds 0 and 7)
    std = np.array([s["small"].values("act_std") for s in tanh_seeds])
    np.testing.assert_allclose(std[:, :6], np.broadcast_to(CS231N_SMALL_TANH_STD, (len(std), 6)), rtol=0.025)
    assert np.all(np.ptp(std[:, :6] / CS231N_SMALL_TANH_STD, axis=0) > 0.002)  # the spread over the seeds
    # the activations collapse geometrically, by about 0.01 * sqrt(500) = 0.224 per layer
    np.testing.assert_allclose(std[:, 1:] / std[:, :-1], 0.01 * math.sqrt(500), rtol=0.05)


@CS231N
def test_xavier_with_tanh_reproduces_the_cs231n_slide(tanh_seeds: list[dict[str, E.Run]]) -> None:
    # CS231n (2017), lecture 6, "Xavier initialization" with tanh, W = randn(fan_in, fan_out) / sqrt(fan_in):
    # the printed layer stds go from 0.627 (layer 1) down to 0.226 (layer 10), slowly. Seeds 0-5: 0.626-0.629 and
    # 0.2265-0.2297 (the mean field 0.628 and 0.2285); each seed within 1% and 2% of the slide
    first, last = (np.array([s["cs231n"].values("act_std")[i] for s in tanh_seeds]) for i in (0, -1))
    np.testing.assert_allclose(first, 0.627, rtol=0.01)
    np.testing.assert_allclose(last, 0.226, rtol=0.02)
    assert 0.001 < np.ptp(first) < 0.005 and 0.001 < np.ptp(last) < 0.006  # the spread over the seeds
    assert all(np.all(np.diff(s["cs231n"].values("act_std")) < 0) for s in tanh_seeds)


@CS231N
def test_unit_weights_with_tanh_keep_the_cs231n_slides_std(tanh_seeds: list[dict[str, E.Run]]) -> None:
    # CS231n (2017), lecture 6, W = 1.0 * randn with tanh: the plotted layer std stays at about 0.98 in all ten layers
    # (the units sit at -1 and +1). The mean field: sqrt(E[tanh(z)^2]), z ~ N(0, ~480): 0.982. Seeds 0-5: 0.9815-0.9822
    std = np.array([s["large"].values("act_std") for s in tanh_seeds])
    np.testing.assert_allclose(std, 0.98, atol=0.005)
    np.testing.assert_allclose(std, tanh_seeds[0]["large"].values("act_std_theory")[0], rtol=0.002)
    assert 0 < np.ptp(std) < 0.002


@CS231N
def test_unit_weights_saturate_tanh(tanh_seeds: list[dict[str, E.Run]]) -> None:
    # CS231n lecture 6: with W = 1.0 * randn "almost all neurons completely saturated, either -1 and 1"
    # 90% at every layer: the mean field's P(|z| > atanh(0.99)) at q = 500 E[tanh^2] ~ 480 (the slide gives no figure;
    # seeds 0-5: 90.3%-90.6%)
    for runs in tanh_seeds:
        run = runs["large"]
        np.testing.assert_allclose(run.values("saturated"), 0.90, atol=0.015)
        np.testing.assert_allclose(run.values("saturated"), run.values("saturated_theory"), atol=0.01)


@CS231N
def test_unit_weights_with_tanh_give_the_typical_unit_no_gradient(tanh_seeds: list[dict[str, E.Run]]) -> None:
    # CS231n lecture 6, W = 1.0 * randn with tanh: saturated units, "gradients will be all zero". At the slide's
    # 10 x 500, batch 1000, the median |dL/dz| at layer 1 is exactly 0 (seeds 0-5), while the std of dL/dh grows
    # about 7.5e4-fold (7.28e4 to 7.74e4 over seeds 0-5) from layer 10 down to layer 1
    growth = []
    for runs in tanh_seeds:
        run = runs["large"]
        assert run.layers[0]["grad_pre_median"] == 0 and run.layers[0]["grad_pre_std"] > 1e3
        g = run.values("grad_act_std")
        growth.append(g[0] / g[-1])
    assert 7.0e4 < min(growth) and max(growth) < 8.1e4 and np.ptp(growth) > 1e3  # the seeds (and BLAS kernels) spread


# CS231n (2017), lecture 6, W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in / 2) with ReLU (He et al. 2015) at
# the slide's 10 x 500, batch 1000: the printed stds of hidden layers 1-10, and the mean of layer 1
CS231N_HE_RELU_STD = [0.825232, 0.827835, 0.813855, 0.826902, 0.834092, 0.860035, 0.87061, 0.889348, 0.845357, 0.844523]
CS231N_HE_RELU_MEAN_1 = 0.562488


@pytest.fixture(scope="module")
def relu_seeds() -> list[E.Run]:
    """The slide's ReLU net with He, seeds 0-9 (`run_one("he_normal", "relu", rng=seed)`, the runs tutorial 7's and
    the docs' tests read too: one home for them, cached in the process)."""
    return [sweep_run("he_normal", "relu", seed) for seed in range(10)]


@CS231N
def test_he_with_relu_reproduces_the_cs231n_slide(relu_seeds: list[E.Run]) -> None:
    # He et al. (2015), eqs. 7-10: q = 500 * (2/500) * E[h^2] = 2 at every layer, so E[relu(z)] = sqrt(q/(2 pi)) =
    # 1/sqrt(pi) = 0.564 and, with E[relu(z)^2] = q/2 = 1, the std is sqrt(1 - 1/pi) = 0.8257 (the slide: 0.562, 0.825).
    # Seeds 0-9: layer 1's std 0.8227-0.8281 and mean 0.5618-0.5654. Deeper, one network wanders off the mean field:
    # each seed's worst layer is 5%-19% off 0.826 (the slide's 7.7%, layer 8), every layer of the slide lies within
    # the ten seeds' lowest and highest. This was asserted at seed 0 alone, every layer within 10% (seed 7: 19%)
    std, mean = (np.array([r.values(k) for r in relu_seeds]) for k in ("act_std", "act_mean"))
    np.testing.assert_allclose(relu_seeds[0].values("act_std_theory"), math.sqrt(1 - 1 / math.pi), rtol=1e-12)
    np.testing.assert_allclose(std[:, 0], CS231N_HE_RELU_STD[0], rtol=0.005)
    np.testing.assert_allclose(mean[:, 0], CS231N_HE_RELU_MEAN_1, rtol=0.006)
    np.testing.assert_allclose(mean[:, 0], 1 / math.sqrt(math.pi), rtol=0.005)
    assert np.all((std.min(axis=0) <= CS231N_HE_RELU_STD) & (CS231N_HE_RELU_STD <= std.max(axis=0)))
    worst = np.abs(std / math.sqrt(1 - 1 / math.pi) - 1).max(axis=1)
    assert 0.04 < worst.min() and worst.max() < 0.21 and np.ptp(worst) > 0.1  # the spread over the seeds


@CS231N
def test_the_theory_predicts_the_forward_and_backward_stds(tanh_seeds: list[dict[str, E.Run]],
                                                           relu_seeds: list[E.Run]) -> None:
    # the worst layer of std(h), std(dL/dh), std(dL/dW), measured / theory - 1, over seeds 0-9: tanh 0.8%-4.5% (large
    # init at seeds 7 and 8), ReLU with He 6.8%-27% (seed 7). This was asserted at seed 0 alone, ReLU within 25%
    worst = {}
    for run in [r for s in tanh_seeds for r in s.values()] + relu_seeds:
        worst.setdefault(run.activation, []).append(max(np.abs(run.values(m) / run.values(f"{m}_theory") - 1).max()
                                                        for m in ("act_std", "grad_act_std", "grad_w_std")))
    assert max(worst["tanh"]) < 0.06 and max(worst["relu"]) < 0.3 and np.median(worst["relu"]) < 0.15


@pytest.mark.slow
def test_averaged_over_networks_relu_follows_the_theory(monkeypatch: pytest.MonkeyPatch) -> None:
    # ReLU with He at 10 x 500, five networks per seed. This was asserted at seed 0 alone: every median within 10% and
    # std(h)'s first network further off than the median. Over seeds 0-9 the median's worst layer is 3-7% off for std(h)
    # and 2-6% for std(dL/dh) but 4-13% for std(dL/dW) (seeds 1, 8, 9 past 10%), and the first network is the closer
    # for std(h) at seed 4 and for std(dL/dh) at seeds 8 and 9. What holds at every seed: the median within 15%, and its
    # worst layer over the three stds closer than the first network's (median 0.05-0.12, one network 0.08-0.22, in log)
    # theory_average(rng=seed) measures the networks of seeds seed to seed + 4, each a run_sweep of one network that
    # depends on its arguments alone: seeds 0-9 measure 14 networks 50 times. Each is measured once here
    monkeypatch.setattr(E, "run_sweep", functools.cache(E.run_sweep))
    for seed in range(10):
        res = E.theory_average(rng=seed, networks=5, width=500)
        one, median = (max(np.abs(np.log(res.table[f"{q}_{k}"])).max() for q in ("act", "grad_act", "grad_w"))
                       for k in ("one", "median"))
        assert median < np.log(1.15) and median < one, (seed, one, median)
        assert len(res.findings) == 3 and "5 networks" in res.findings[0]


@pytest.mark.slow
@CS231N
def test_one_network_scatters_around_the_theory_less_the_wider_it_is(relu_seeds: list[E.Run]) -> None:
    # `tinygrad-init sweep` printed the theory beside one network (ReLU with He, layer 8: 0.745 against 0.826) saying
    # only "the mean-field prediction from the init and the activation alone", where the report's tables say it is the
    # average over networks of infinite width. Over seeds 0-9 the worst of std(h), std(dL/dh), std(dL/dW) over the ten
    # layers of ReLU with He is 7-27% off at 500 units (median 12%), 7-13% at 1,000 (median 10%); tanh with
    # randn/sqrt(fan_in), 0.9-2.5% and 0.5-1.1%, is asserted at 500 units by the CS231n tests above
    notes = E.sweep_table("he_normal", "relu", depth=2, width=8, batch=4).notes
    assert any("the average over networks of infinite width: one network scatters around it" in n for n in notes)
    # at 500 units the networks of relu_seeds: run_one("he_normal", "relu", width=500, rng=seed), the default width
    worst = {width: [max(np.abs(run.values(k) / run.values(f"{k}_theory") - 1).max()
                         for k in ("act_std", "grad_act_std", "grad_w_std"))
                     for run in (relu_seeds if width == 500 else
                                 (E.run_one("he_normal", "relu", width=width, rng=seed) for seed in range(10)))]
             for width in (500, 1000)}
    assert max(worst[500]) < 0.3 and max(worst[1000]) < 0.15 and np.median(worst[1000]) < np.median(worst[500])


def test_theory_average_states_how_far_the_ratio_is_from_1() -> None:
    # --quick --seed 2: network 1's measured / theory of std(h) went down to 0.775, and the finding said "off by up
    # to 29%" (the factor 1 / 0.775 - 1); it is 22.5% below the theory
    res = E.theory_average(rng=2, quick=True)
    for (m, q), text in zip(res.data["ratios"].items(), res.findings):
        one, median = np.abs(np.asarray(q[0]) - 1).max(), np.abs(np.median(q, axis=0) - 1).max()
        assert (f"off by up to {format_number(100 * one, 2)}% in one network, by at most "
                f"{format_number(100 * median, 2)}% in the median") in text, text
    assert re.search(r"off by up to 2[23]% in one network", res.findings[0]), res.findings[0]  # 22.5%


def test_theory_average_keeps_two_digits_of_a_small_percentage() -> None:
    # the quick report of seed 0 read "by at most 6% in the median of 5 networks" for std(dL/dh), whose table's
    # grad_act_median reaches 1.0642: "at most 6%" of a 6.4% deviation understates the bound it states
    res = E.theory_average(rng=0, quick=True)
    worst = np.abs(res.tables["main"].column("grad_act_median") - 1).max()
    assert 0.0635 < worst < 0.0645  # the run as measured
    assert "by at most 6.4% in the median of 5 networks" in res.findings[1], res.findings[1]


def test_relu_runs_of_the_normal_schemes_are_rescaled_copies(quick_sweep: E.Sweep) -> None:
    # The normal schemes share the draws Z (W = s * Z) and relu is positively homogeneous: std ratios are (s1/s2)^l.
    small, he = quick_sweep.run("small", "relu"), quick_sweep.run("he_normal", "relu")
    np.testing.assert_allclose(he.values("act_std") / small.values("act_std"),
                               (math.sqrt(2 / 100) / 0.01) ** np.arange(1, 11), rtol=1e-4)


def test_zero_init_makes_every_unit_constant(quick_sweep: E.Sweep) -> None:
    for act, value in (("tanh", 0.0), ("sigmoid", 0.5), ("relu", 0.0)):
        run = quick_sweep.run("zeros", act)
        np.testing.assert_array_equal(run.values("act_mean"), value)
        np.testing.assert_array_equal(run.values("act_std"), 0.0)
        # below the top dL/dh_{l-1} = dL/dz_l @ W_l.T = 0; at the top dL/dW = h.T @ (f' * G), not 0 for sigmoid's 0.5
        grad_w = run.values("grad_w_std")
        np.testing.assert_array_equal(grad_w[:-1], 0.0)
        assert (grad_w[-1] > 0) == (act == "sigmoid")
        for counts, _ in run.histograms:
            assert np.count_nonzero(counts) == 1 and counts.sum() == 200 * 100


def test_the_sweep_matches_a_hand_computation_in_numpy() -> None:
    """One quick run by hand, in the documented draw order (X, G, weight seed)."""
    seed, width, batch = 11, 100, 200
    run = E.run_one("cs231n", "tanh", depth=4, width=width, batch=batch, rng=seed)
    gen = np.random.default_rng(seed)
    X, G = (gen.standard_normal((batch, width)).astype(np.float32) for _ in range(2))
    wgen = np.random.default_rng(int(gen.integers(0, 2**63 - 1)))
    Ws = [(wgen.standard_normal((width, width)) / math.sqrt(width)).astype(np.float32) for _ in range(4)]
    hs = [X.astype(np.float64)]
    for W in Ws:
        hs.append(np.tanh(hs[-1] @ W.astype(np.float64)))
    g, grads_h, grads_w, dz1 = G.astype(np.float64), [], [], None
    for l in range(3, -1, -1):
        grads_h.append(g.std())
        dz = g * (1 - hs[l + 1] ** 2)
        grads_w.append((hs[l].T @ dz).std())
        g, dz1 = dz @ Ws[l].T.astype(np.float64), dz
    np.testing.assert_allclose(run.values("act_std"), [h.std() for h in hs[1:]], rtol=1e-5)
    np.testing.assert_allclose(run.values("saturated"), [np.mean(np.abs(h) > 0.99) for h in hs[1:]], atol=1e-3)
    np.testing.assert_allclose(run.values("grad_act_std"), grads_h[::-1], rtol=1e-5)
    np.testing.assert_allclose(run.values("grad_w_std"), grads_w[::-1], rtol=1e-5)
    assert run.layers[0]["grad_pre_median"] == pytest.approx(np.median(np.abs(dz1)), rel=1e-4)
    np.testing.assert_array_equal(run.histograms[0][0], np.histogram(hs[1].astype(np.float32), bins=50,
                                                                      range=(-1, 1))[0])


def test_an_overflowing_network_says_so_and_counts_no_dead_units_in_nan(recwarn) -> None:
    # `sweep --init large --activation relu --depth 100`: numpy's overflow warnings were printed, and layers of
    # nan read "dead 0" beside them, with nothing in the table to say the numbers were no measurement
    run = E.run_one("large", "relu", depth=80, width=30, batch=100, rng=0)
    first = next(r["layer"] for r in run.layers if not np.isfinite(r["act_std"]))
    assert all(np.isnan(r["dead"]) for r in run.layers[first - 1:]) and np.isfinite(run.layers[0]["dead"])
    assert f"from layer {first} the activations overflow float32" in run.table().to_text()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    # dL/dh below them went through relu'(nan) = 0: finite numbers (layers 19-66 here), yet no measurement; the note
    # said only that the activations overflowed
    assert "nor is any gradient below the top layer" in run.table().to_text()


def test_gradients_that_overflow_below_finite_activations_are_named() -> None:
    # 54 layers of 50 ReLU units at 1.0*randn: every activation is finite (3e37 at the top), but x.T @ dL/dz overflows
    # float32 in 36 of the weight gradients, and the table printed their nan with no note at all
    run = E.run_one("large", "relu", depth=54, width=50, batch=200, rng=0)
    bad = [r["layer"] for r in run.layers if not np.isfinite(r["grad_w_std"])]
    assert np.isfinite(run.values("act_std")).all() and np.isfinite(run.values("grad_act_std")).all() and bad
    text = run.table().to_text()
    assert f"grad_w_std: the gradient overflows float32 (max 3.4e38) in {len(bad)} layers, from layer {bad[0]}" in text
    assert "grad_act_std: the gradient" not in text and "activations overflow" not in text


def test_a_run_does_not_depend_on_the_rest_of_the_sweep(quick_sweep: E.Sweep) -> None:
    alone = E.run_one("large", "sigmoid", depth=10, width=100, batch=200, rng=3)
    assert alone.to_dict() == quick_sweep.run("large", "sigmoid").to_dict()


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    a, b, c = (E.activation_statistics(rng=s, quick=True, schemes=("small", "he_normal"), activations=("tanh",))
               for s in (5, 5, 6))
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    assert a.table["act_std"].tolist() != c.table["act_std"].tolist()
    gen = np.random.default_rng(2)
    first, second = (E.run_one("small", "tanh", depth=2, width=20, batch=30, rng=gen) for _ in range(2))
    assert first.values("act_std").tolist() != second.values("act_std").tolist()  # a Generator is advanced
    assert E.run_one("small", "tanh", depth=2, width=20, batch=30, rng=np.random.default_rng(2)).to_dict() == \
        first.to_dict()


def test_the_relu_histograms_say_that_their_bar_at_0_is_cut(quick_sweep: E.Sweep) -> None:
    # half of He's ReLU units are 0, drawn as a bar cut to the height of the others: the title did not say so
    res = E.activation_statistics(sweep=quick_sweep)
    counts = quick_sweep.run("he_normal", "relu").histograms[0][0]
    assert counts[0] > 2 * counts[1:].max()  # the bar at 0, at its true height, is twice the panel's
    he = res.get_figure("hist_relu").axes[E.SCHEMES.index("he_normal")].patches[0].get_data().values
    assert he[1] == pytest.approx(1.06)  # drawn a little above the tallest other bar (1)
    assert res.get_figure("hist_relu")._suptitle.get_text().endswith("the bar at 0 (the units ReLU zeroes) is cut")
    assert "cut" not in res.get_figure("hist_tanh")._suptitle.get_text()


def test_activation_and_gradient_results(quick_sweep: E.Sweep) -> None:
    res = E.activation_statistics(sweep=quick_sweep)
    assert len(res.table) == 5 * 3 * 10 and set(res.tables) == {"main", "summary"}
    assert res.figure_names == ["std", "hist_tanh", "hist_sigmoid", "hist_relu"] and res._figures == {}
    assert res.get_figure("std") is res.figure
    assert len(res.get_figure("hist_relu").axes) == 5  # one row of axes per scheme, the layers side by side
    assert json.loads(json.dumps(res.to_dict(), allow_nan=False))["name"] == "activations"
    assert any("small 0.01*randn" in f for f in res.findings) and "Activation statistics" in str(res)
    with pytest.raises(KeyError, match="hist_relu"):
        res.get_figure("hist_elu")
    grads = E.gradient_statistics(sweep=quick_sweep)
    per_layer = grads.tables["theory_vs_measurement"]
    rows = [r for r in per_layer if r["scheme"] == "cs231n" and r["activation"] == "tanh"]
    assert [r["layer"] for r in rows] == list(range(1, 11))
    assert all(r["grad_w_ratio"] == pytest.approx(r["grad_w_std"] / r["grad_w_std_theory"]) for r in rows)
    assert len(grads.tables["theory_summary"]) == 15 and len(grads.table) == 150
    # zeros: dL/dW is 0 at layer 1 and at the top (tanh, relu); the finding read "(ratio nan, theory nan)"
    assert grads.findings[0].endswith("std dL/dW 0 vs 0 (ratio 0/0, theory 0/0).") and "nan" not in str(grads.findings)
    # each layer down multiplies dL/dh by about 0.01 * sqrt(fan_out) = 0.1 (width 100, tanh' ~ 1)
    g = quick_sweep.run("small", "tanh").values("grad_act_std")
    np.testing.assert_allclose(g[:-1] / g[1:], 0.1, rtol=0.1)


def test_relu_histograms_share_one_x_range(quick_sweep: E.Sweep) -> None:
    edges = {tuple(e) for run in quick_sweep.runs.values() if run.activation == "relu" for _, e in run.histograms}
    assert len(edges) == 1 and next(iter(edges))[-1] == 4.0
    large = quick_sweep.run("large", "relu").values("outside")
    assert large[-1] > 0.4 and quick_sweep.run("cs231n", "relu").values("outside")[-1] == 0


# ---------------------------------------------------------------- the verdict


def test_an_overflowed_network_explodes_rather_than_holds() -> None:
    # an std that overflowed to NaN compared as neither small nor large: the word was "holds"
    nan = float("nan")
    assert E.judge([1.0, nan], [1.0, 1.0], [0.0, 0.0], "relu") == "explodes"
    assert E.judge([1.0, 1.0], [nan, 1.0], [0.0, 0.0], "tanh") == "explodes"
    with np.errstate(over="ignore", invalid="ignore"):
        run = E.run_one("large", "relu", depth=55, width=100, batch=20)  # past float32's range at layer ~50
    assert math.isnan(run.values("act_std")[-1]) and E.word(run) == "explodes"


def test_verdict_words_follow_the_stated_rules(quick_sweep: E.Sweep) -> None:
    bn = E.run_sweep(("small", "large"), rng=3, quick=True, batchnorm=True)
    res = E.verdict(quick_sweep, bn)
    words = {(r["activation"], s): r[E.label(s)] for r in res.table for s in quick_sweep.schemes}
    assert {words[(a, "zeros")] for a in E.ACTIVATIONS} == {"symmetric"}
    assert words[("tanh", "small")] == "vanishes" and words[("tanh", "large")] == "saturates"
    assert words[("tanh", "cs231n")] == "holds" and words[("relu", "he_normal")] == "holds"
    assert words[("relu", "cs231n")] == "vanishes" and words[("relu", "large")] == "explodes"
    assert words[("sigmoid", "cs231n")] == "vanishes"  # sigma' <= 1/4: the gradient shrinks over ten layers
    rule, tanh_large, batch_norm = res.findings
    assert "tanh: Xavier" in rule and "relu: He;" not in rule and "Hence Xavier for tanh, He for ReLU" in rule
    assert "sigmoid: none" in rule and "Sigmoid holds with none" in rule
    g = quick_sweep.run("cs231n", "sigmoid").values("grad_act_std")  # a factor per layer, not "shrinks by 0.24"
    assert f"std(dL/dh) falls to {format_number((g[0] / g[-1]) ** (1 / 9), 2)} of its size a layer" in rule
    ratio = quick_sweep.run("large", "tanh").values("grad_act_std")
    assert f"grows {format_number(ratio[0] / ratio[-1])}x" in tanh_large
    assert "Batch norm frees the choice" in batch_norm and "and the verdict is 'holds' for all (without" in batch_norm
    assert "rules" in res.tables and res.figure_names == ["grid"]
    # the slide of the grid shows the words: it states their rules too (it stated none, only the page's table did)
    shown = " ".join(t.get_text().replace("\n", " ") for t in res.get_figure("grid").texts)
    assert all(f"{r['word']}: {r['rule']}" in shown for r in res.tables["rules"]) and "below 0.1" in shown


def test_a_verdict_word_near_its_threshold_carries_its_spread_over_seeds() -> None:
    # at the quick sizes (10 x 100, batch 200) sigmoid with 1.0*randn puts about half of the last layer within 0.01 of
    # 0 or 1 (theory.predict: 0.49), at the 'saturates' threshold 0.5: over seeds 0-4 the word is holds, saturates,
    # saturates, holds, saturates, and the report printed seed 0's 'holds' alone, with no word of the others
    sw = E.run_sweep(("large", "cs231n"), ("sigmoid", "tanh"), rng=0, quick=True)
    got = [E.word(E.run_one("large", "sigmoid", 10, 100, 200, rng=s)) for s in range(5)]
    assert got[0] == "holds" and set(got) == {"holds", "saturates"}
    rule = E.verdict(sw).findings[0]
    assert got.count("saturates") == 3 and rule.endswith(  # the grid's word is theirs (test_findings)
        "Near a threshold the word depends on the network: sigmoid, large 1.0*randn saturates in 3, holds in 2 of the "
        "5 networks of seeds 0-4 (seed 0: holds); the grid gives the most common.")
    assert rule.count("Near a threshold") == 1  # the others are far from every threshold: no extra networks


def test_the_batch_norm_verdict_says_free_only_when_every_network_holds() -> None:
    # 20 ReLU layers with batch norm: std(dL/dh) grows past 10x towards the input, the word is "explodes", and the
    # finding read "Batch norm frees the choice: ... the verdicts explodes"
    kw = {"depth": 20, "width": 50, "batch": 100, "rng": 0}
    bn = E.run_sweep(("small",), ("relu",), batchnorm=True, **kw)
    text = E.verdict(E.run_sweep(("small",), ("relu",), **kw), bn).findings[-1]
    assert E.word(bn.run("small", "relu")) == "explodes"
    assert text.startswith("Batch norm does not free the choice here:")
    assert "the verdict is 'holds' for all but small 0.01*randn: relu explodes (without it: small" in text


def test_the_batch_norm_sentence_says_which_word_a_threshold_nearby_changes() -> None:
    # 10 ReLU layers with batch norm: std(dL/dh) grows 5.8x towards the input, 'holds' only by the factor 10 (5.5-6.1x
    # at 10 x 500 for seeds 0-4, 'explodes' at 20 layers); the sentence read "Batch norm frees the choice ... 'holds'
    # for all" without a word of it, where the grid's words near a threshold say so
    kw = {"depth": 10, "width": 50, "batch": 100, "rng": 0}
    bn = E.run_sweep(("small",), ("tanh", "relu"), batchnorm=True, **kw)
    text = E.verdict(E.run_sweep(("small",), ("tanh", "relu"), **kw), bn).findings[-1]
    assert text.startswith("Batch norm frees the choice:")
    assert text.endswith(" Near a threshold: relu, small 0.01*randn + BN holds, but explodes by thresholds a little to "
                         "either side (std(h) layer 10 / layer 1: x1.01; std(dL/dh) layer 1 / layer 10: x5.81).")


def test_equal_weights_are_symmetric_also_when_batch_norm_spreads_the_values() -> None:
    # `ones` with batch norm: every unit of a layer gets x @ 1, the same value, and batch norm scales each example's
    # value to std 1 over the batch, so the std of h is no longer 0; the word read "holds" for a network that can
    # never learn (its units stay identical under training)
    sw = E.run_sweep(("ones",), ("tanh", "relu"), batchnorm=True, depth=3, width=8, batch=16)
    for a in ("tanh", "relu"):
        run = sw.run("ones", a)
        assert run.values("act_std")[0] > 0.3 and E.word(run) == "symmetric"
    assert E.word(E.run_one("small", "tanh", depth=3, width=8, batch=16, batchnorm=True)) == "holds"


def test_the_saturation_finding_needs_the_word_saturates() -> None:
    # 5 units: 1.0*randn with tanh "holds" in the grid (9-10% saturated), yet the finding read "Large init
    # (1.0*randn) saturates tanh: 9%-10% of the entries ... the 'gradients all zero' of the CS231n slide"
    res = E.verdict(E.run_sweep(("large",), ("tanh",), depth=3, width=5, batch=50, rng=0))
    assert res.data["words"] == {"tanh/large": "holds"} and not any("saturates tanh" in f for f in res.findings)


def test_a_scheme_spelt_otherwise_or_by_an_alias_gets_its_label_and_its_run() -> None:
    # run_sweep(("Kaiming-Normal",)) kept the spelling: the label, the colour and the verdict's sentences were lost
    sw = E.run_sweep(("Kaiming-Normal", "Large"), ("ReLU", "tanh"), depth=2, width=8, batch=8)
    assert sw.schemes == ["he_normal", "large"] and sw.run("kaiming_normal", "relu") is sw.run("he_normal", "relu")
    assert E.run_one("KAIMING_NORMAL", "relu", depth=2, width=8, batch=8).table().title.startswith(E.label("he_normal"))


def test_judge_takes_some_thresholds_and_names_an_unknown_one() -> None:
    # thresholds={"grow": 0.5} raised KeyError 'saturated'; a misspelt key was ignored
    assert E.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], "tanh", {"grow": 0.5}) == "explodes"
    with pytest.raises(ValueError, match="^judge: a threshold's name must be one of 'dead', 'saturated', 'shrink', "
                                         "'grow', got 'grows' \\(did you mean 'grow'\\?\\)"):
        E.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], "tanh", {"grows": 5.0})
    assert E.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.9], "ReLU") == "dies"  # was judged as tanh: saturates
    with pytest.raises(ValueError, match="judge: activation must be one of"):
        E.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.9], "softplus")


@pytest.mark.parametrize("args,error,fragment", [
    (([1.0, 1.0], [1.0, 1.0], [0.0, -0.5]), ValueError, "fraction out of range"),  # was 'holds'
    (([1.0, -1.0], [1.0, 1.0], [0.0, 0.0]), ValueError, "act_std out of range: the stds must be >= 0"),  # 'vanishes'
    (([1.0, 1.0], [1.0, 1.0], [0.0, 1.5]), ValueError, "fractions in \\[0, 1\\]"),  # was 'saturates'
    ((2.5, [1.0, 1.0], [0.0, 0.0]), ValueError, "one value per layer"),  # was "object of type 'float' has no len()"
    (([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], "tanh", {"grow": np.nan}), ValueError, "thresholds\\['grow'\\] must be"),
    (([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], "tanh", {"dead": "x"}), TypeError, "thresholds\\['dead'\\] must be a"),
    ((["a", "b"], [1.0, 1.0], [0.0, 0.0]), TypeError, "must be lists of numbers"),  # was numpy's "could not convert"
    (([1.0, 1.0], {1.0, 2.0}, [0.0, 0.0]), TypeError, "must be lists of numbers"),  # was float()'s "not 'set'"
])
def test_judge_refuses_numbers_that_are_no_stds_fractions_or_thresholds(args, error, fragment) -> None:
    with pytest.raises(error, match=f"^judge: .*{fragment}"):
        E.judge(*args, *("tanh",) * (len(args) == 3))


def test_the_word_of_a_single_run_by_its_numbers() -> None:
    class Fake:
        def __init__(self, activation: str, **columns: list[float]) -> None:
            self.activation, self.columns = activation, columns

        def values(self, key: str) -> np.ndarray:
            return np.array(self.columns.get(key, [0.0, 0.0]), dtype=float)

    ok = {"act_std": [1.0, 0.5], "grad_act_std": [1.0, 1.0]}
    assert E.word(Fake("tanh", **ok)) == "holds"
    assert E.word(Fake("tanh", **{**ok, "act_std": [1.0, 0.09]})) == "vanishes"
    assert E.word(Fake("relu", **{**ok, "grad_act_std": [10.5, 1.0]})) == "explodes"
    assert E.word(Fake("relu", **{**ok, "grad_act_std": [10.0, 1.0]})) == "holds"  # more than tenfold
    assert E.word(Fake("tanh", **{**ok, "act_std": [1.0, 0.05], "grad_act_std": [50.0, 1.0]})) == "vanishes"
    assert E.word(Fake("relu", dead=[0.0, 0.6], **ok)) == "dies"
    assert E.word(Fake("relu", dead=[0.0, 0.5], **ok)) == "holds"  # over half, not half
    assert E.word(Fake("sigmoid", saturated=[0.0, 0.6], **ok)) == "saturates"
    assert E.word(Fake("tanh", act_std=[0.0, 0.0], grad_act_std=[0.0, 1.0])) == "symmetric"


# ---------------------------------------------------------------- the training loop


def test_fit_takes_the_engines_steps() -> None:
    """`fit` (all networks at once, in numpy) against nn.MLP + SGD + binary_cross_entropy_with_logits."""
    X, y = data.moons(40, rng=1)
    for activation, momentum in (("tanh", 0.0), ("relu", 0.9), ("sigmoid", 0.5)):
        ours, engine = (nn.MLP([2, 6, 5, 1], activation=activation, rng=3) for _ in range(2))
        hist = E.fit([ours], X, y, steps=25, lr=0.3, momentum=momentum)
        opt, losses = SGD(engine.parameters(), lr=0.3, momentum=momentum), []
        for step in range(26):  # the loss before each of 25 steps and after the last
            opt.zero_grad()
            loss = binary_cross_entropy_with_logits(engine(Tensor(X)), y.reshape(-1, 1).astype(np.float32))
            losses.append(loss.item())
            if step < 25:
                loss.backward()
                opt.step()
        np.testing.assert_allclose(hist["loss"][0], losses, rtol=2e-5, err_msg=activation)
        for a, b in zip(ours.parameters(), engine.parameters()):  # the trained weights are written back
            np.testing.assert_allclose(a.data, b.data, rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="share sizes"):
        E.fit([nn.MLP([2, 3, 1]), nn.MLP([2, 4, 1])], X, y, steps=1, lr=0.1)
    with pytest.raises(ValueError, match="labels in"):
        E.fit([nn.MLP([2, 3, 1])], X, y + 2, steps=1, lr=0.1)
    three = [nn.MLP([2, 3, 1], rng=s) for s in range(3)]  # these were numpy's broadcast error, or ran silently
    for kw, fragment in [({"lr": [0.1, 0.2]}, r"fit: lr must be one value or one per network \(3\), got 2"),
                         ({"lr": -1.0}, "fit: lr must be > 0"), ({"lr": "a"}, "fit: lr must be a number"),
                         ({"momentum": 1.5}, r"fit: momentum must be in \[0, 1\)")]:
        with pytest.raises((TypeError, ValueError), match=fragment):
            E.fit(three, X, y, steps=1, **{"lr": 0.1, **kw})


def test_fit_marks_the_weights_changed_so_an_older_graph_cannot_backward() -> None:
    """`fit` writes the trained weights into the models in place, as `SGD.step` does: a graph built before it
    (which saved the old weights) must refuse to backward rather than give gradients of neither model."""
    X, y = data.moons(20, rng=0)
    model = nn.MLP([2, 4, 1], rng=0)
    loss = binary_cross_entropy_with_logits(model(Tensor(X)), y.reshape(-1, 1).astype(np.float32))
    E.fit([model], X, y, steps=2, lr=0.1)
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_fit_keeps_each_network_to_itself_and_restores_blas_threads() -> None:
    from threadpoolctl import threadpool_info

    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    X, y = data.circles(50, rng=0)
    pair = [nn.MLP([2, 8, 1], activation="relu", init="he_normal", rng=s) for s in (0, 1)]
    alone = nn.MLP([2, 8, 1], activation="relu", init="he_normal", rng=1)
    both = E.fit(pair, X, y, steps=40, lr=[0.1, 0.05], every=10, watch=True)
    one = E.fit([alone], X, y, steps=40, lr=0.05, every=10)
    np.testing.assert_array_equal(both["loss"][1], one["loss"][0])  # stacking changes no number
    assert both["hidden_mean"].shape == (2, 5, 1) and list(both["step"]) == [0, 10, 20, 30, 40]
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def test_fit_reads_a_diverged_network_as_nan_accuracy_not_a_coin_flip() -> None:
    # nan logits compared with 0 are all False: fit recorded about 0.5 (chance) where `accuracy` says nan
    X, y = data.moons(20, rng=0)
    bad, good = nn.MLP([2, 3, 1], rng=0), nn.MLP([2, 3, 1], rng=1)
    bad.linears()[0].weight.data[...] = np.nan
    hist = E.fit([bad, good], X, y, steps=0, lr=0.1)
    assert np.isnan(hist["accuracy"][0, 0]) and np.isnan(E.accuracy(bad, X, y))
    assert hist["accuracy"][1, 0] == pytest.approx(E.accuracy(good, X, y))


# ---------------------------------------------------------------- the literature's training runs


def test_zero_and_constant_init_never_break_the_symmetry() -> None:
    res = E.symmetry(rng=0, quick=True)
    rows = {(r["init"], r["layer"]): r for r in res.table}
    for layer in (1, 2):
        assert rows[("zeros", layer)]["distinct_units_max"] == 1 and rows[("zeros", layer)]["max_weight_change"] == 0
        assert rows[("constant", layer)]["distinct_units_max"] == 1
        assert rows[("constant", layer)]["max_weight_change"] > 1e-3  # they move, but together
        assert rows[("xavier_uniform", layer)]["distinct_units_min"] == 8
    assert res.data["zeros"]["loss"][-1] == pytest.approx(LN2, abs=1e-6)
    assert res.settings["seeds"] == [0, 1, 2]
    heat = [ax.images[0].get_array() for ax in res.figure.axes]  # the heat maps: rows zeros, constant, random
    assert len(heat) == 6 and not np.any(heat[0]) and not np.any(heat[1])  # zeros never move
    for m in heat[2:4]:  # constant: every unit (column) the same
        np.testing.assert_array_equal(m, np.repeat(m[:, :1], m.shape[1], axis=1))
    assert len({tuple(c) for c in np.asarray(heat[4]).T}) == 8  # random: eight different units


def test_distinct_units() -> None:
    W = np.array([[1.0, 1.0, 2.0], [3.0, 3.0, 3.0]])
    assert E.distinct_units(W) == 2 and E.distinct_units(W, bias=np.array([0.0, 0.5, 0.0])) == 3
    assert E.distinct_units(W, outgoing=np.ones((3, 1))) == 2
    assert E.distinct_units(W + np.array([0.0, 1e-9, 0.0])) == 2  # float rounding is not a difference
    with pytest.raises(ValueError, match=r"bias must have shape \(3,\)"):
        E.distinct_units(W, bias=np.zeros(2))
    with pytest.raises(ValueError, match="2-D"):
        E.distinct_units(np.zeros(3))
    for rtol, error in ((float("nan"), ValueError), (-1e-5, ValueError), (None, TypeError)):  # nan: 3, silently
        with pytest.raises(error, match="distinct_units: rtol must be"):
            E.distinct_units(W, rtol=rtol)
    for bad in ({"weight": [["a", "b"]]}, {"weight": W, "bias": {1.0, 2.0, 3.0}}, {"weight": W, "outgoing": "abc"}):
        with pytest.raises(TypeError, match="distinct_units: weight, bias and outgoing must be arrays of numbers"):
            E.distinct_units(**bad)  # numpy's "could not convert string to float", float()'s "not 'set'"


@pytest.mark.slow
def test_deeplearning_ai_initialization_at_its_settings() -> None:
    # deeplearning.ai, Improving Deep Neural Networks, week 1, "Initialization": a 2-10-5-1 ReLU net with a
    # sigmoid output on two circles (300 train, 100 test), 15,000 full-batch steps at lr 0.01. Its one draw
    # reports train/test 50%/50% (zeros, cost 0.6931), 83%/86% (random*10, cost inf at first), 99%/96% (He).
    res = E.training(rng=0, seeds=3)
    assert res.settings["steps"] == 15000 and res.settings["lr"] == 0.01 and res.settings["seeds"] == [0, 1, 2]
    zeros, large, he = ({k: np.asarray(v) for k, v in res.data[name].items()}
                        for name in ("zeros", "large10", "he_normal"))
    np.testing.assert_allclose(zeros["loss"], LN2, atol=1e-6)  # nothing ever moves: loss ln 2, 50% everywhere
    assert zeros["train_accuracy"].tolist() == [0.5] and zeros["test_accuracy"].tolist() == [0.5]
    assert np.all(he["train_accuracy"] > 0.95) and np.all(he["test_accuracy"] > 0.9)
    assert np.all(large["loss"][:, 0] > 100)  # huge logits: a huge initial loss
    # the spread across seeds is the finding: the same recipe gives 91-92%, 71%, 80-83% train accuracy (the range
    # over the BLAS kernels measured: a run this chaotic amplifies the last bits of their sums), 0.01 of slack
    assert np.all((large["train_accuracy"] > [0.90, 0.69, 0.79]) & (large["train_accuracy"] < [0.93, 0.72, 0.84]))
    assert np.ptp(large["train_accuracy"]) > 0.15 > np.ptp(he["train_accuracy"])
    assert "Large 10*randn is a lottery" in res.findings[-1]


def test_training_says_after_how_many_steps_the_assignment_reports_its_accuracies() -> None:
    # the quick report trains 3,000 steps (He: 58% train accuracy at seed 0) beside the note "the assignment reports
    # ... 99%/96% (He) for its one draw", which ran 15,000 (deeplearning.ai, Improving Deep Neural Networks, week 1,
    # "Initialization": model(..., num_iterations=15000)): the note did not say so
    notes = E.training(rng=0, quick=True, seeds=1, steps=5).table.notes
    assert any("99%/96% (He) for its one draw after 15,000 steps" in n for n in notes)


def test_training_takes_sizes_as_an_array() -> None:
    # np.array([2, 3, 1]) runs from 2 inputs to 1 output; it was refused with a message saying it did not
    res = E.training(rng=0, seeds=1, steps=2, sizes=np.array([2, 3, 1]))
    assert res.settings["sizes"] == [2, 3, 1] and "2-3-1 ReLU net" in res.tables["main"].title


def test_the_lottery_sentence_follows_the_spreads() -> None:
    # --quick --seed 2: 10*randn reached 83%, 84%, 85% (2 points apart) while He varied by 12, and the finding
    # still called 10*randn "a lottery"; the word now needs a spread of 10 points and twice He's
    import re

    said = {}
    for kw, lottery in (({"quick": True}, False), ({"seeds": 3, "steps": 300}, True)):
        res = said[lottery] = E.training(rng=2, **kw)
        big, he = (np.asarray(res.data[k]["train_accuracy"]) for k in ("large10", "he_normal"))
        assert (np.ptp(big) > max(0.1, 2 * np.ptp(he))) == lottery
        assert ("Large 10*randn is a lottery" in res.findings[-1]) == lottery, res.findings[-1]
        shown = [int(v) for v in re.findall(r"(\d+)%", res.findings[-1].split(" train accuracy")[0])]
        assert f"a spread of {max(shown) - min(shown)} points, while He varies by {100 * np.ptp(he):.0f} and" \
            in res.findings[-1]  # the numbers it shows
    assert "10*randn is not clearly more of a lottery than He:" in said[False].findings[-1]  # quick=True


def test_training_shows_a_diverged_networks_accuracy_as_nan_and_counts_it() -> None:
    # lr 1e30 overflows every random net to nan logits: band read their nan test accuracy as +inf, so the table
    # said "inf" and the findings "test inf%"
    res = E.training(rng=0, seeds=2, steps=3, lr=1e30)
    rows = {r["init"]: r for r in res.tables["main"]}
    for k in ("large10", "he_normal"):
        assert all(math.isnan(rows[k][f"{q}_accuracy_{m}"]) for q in ("train", "test") for m in ("median", "max"))
    assert rows["zeros"]["test_accuracy_median"] == 0.5
    assert not any("inf%" in f for f in res.findings) and "test nan%" in res.findings[1]
    assert "2 diverged" in res.findings[1] and "lottery" not in res.findings[-1]
    assert res.tables["main"].notes[-1] == "accuracy: of the networks that did not diverge (4 did: nan logits)"
    assert not any("diverge" in n for n in E.training(rng=0, seeds=1, steps=5).tables["main"].notes)


def test_training_says_ln_2_only_where_the_zeros_loss_is_ln_2() -> None:
    # at lr 50 the zeros net's loss grows to 4.27, and the findings said "loss 4.266 = ln 2"
    res = E.training(rng=0, seeds=1, steps=200, lr=50)
    assert "= ln 2" not in res.findings[-1] and "loss 4.266" in res.findings[-1]
    assert "loss 0.6931 = ln 2." in E.training(rng=0, seeds=1, steps=5).findings[-1]


@pytest.fixture(scope="module")
def he_et_al_rng_0() -> E.ExperimentResult:
    """He et al.'s miniature at rng 0 with its defaults: plain SGD at 22 and 30 layers, and 30 with momentum 0.9. Its
    plain-SGD panels and rows are those of depth(rng=0, momentum=0.0) to the bit: fit trains each network on its own,
    beside the momentum ones or not (`shared_runs.he_et_al_run()`, which tutorial 7's momentum test reads too)."""
    return he_et_al_run()


@pytest.mark.slow
@pytest.mark.xdist_group(HE_ET_AL)
def test_he_et_al_figures_2_and_3_in_miniature(he_et_al_rng_0: E.ExperimentResult) -> None:
    # He, Zhang, Ren & Sun (2015), Delving Deep into Rectifiers: Fig. 2, a 22-layer net: both inits converge,
    # theirs sooner; Fig. 3, a 30-layer net: "Xavier" stalls, theirs converges. Here: plain SGD, five seeds. The
    # Xavier counts that are not 0 or 5 sit on a threshold: 2-3 of 5 at 22 layers and 2-4 of 5 with momentum over the
    # BLAS kernels measured (a marginal run amplifies the last bits of their sums); asserted with one of slack
    res = he_et_al_rng_0
    rows = {(r["layers"], r["momentum"], r["init"]): r for r in res.table}
    x = "xavier_uniform"
    assert rows[(30, 0.0, x)]["left_ln2"] == 0 and rows[(30, 0.0, "he_normal")]["left_ln2"] == 5
    assert rows[(22, 0.0, "he_normal")]["left_ln2"] == 5 and rows[(22, 0.0, x)]["left_ln2"] >= 2 - 1
    assert rows[(22, 0.0, "he_normal")]["median_step_below_half_ln2"] < 0.5 * rows[(22, 0.0, x)][
        "median_step_below_half_ln2"]
    # the caveat: with momentum 0.9 (He et al.'s optimizer) at the same effective step, some Xavier nets escape
    assert rows[(30, 0.9, x)]["left_ln2"] >= 2 - 1 and rows[(30, 0.9, "he_normal")]["left_ln2"] == 5
    assert all(r["diverged"] == 0 for r in res.table) and res.findings[-1].startswith("The caveat")
    # how many escape depends on the seed (report seeds 0-3: 3, 2, 1, 4 of 5), He's 5 of 5 does not: the caveat
    # said the stall depends "on the optimizer as much as on the init", more than one escape in five shows
    assert res.findings[-1].endswith("depends on the optimizer too, not on the init alone.")
    xavier, he = res.data[x]["loss"], res.data["he_normal"]["loss"]  # the medians of the 30-layer plain panel
    assert xavier[-1] > 0.95 * xavier[0] and he[-1] < 0.5 * he[0]


@pytest.mark.slow
@pytest.mark.xdist_group(HE_ET_AL)
def test_he_et_al_figures_2_and_3_in_miniature_over_seeds(he_et_al_rng_0: E.ExperimentResult) -> None:
    # He et al. (2015), Fig. 2: at 22 layers both converge, theirs sooner; Fig. 3: at 30 layers 'Xavier' stalls and
    # theirs converges; asserted above at rng 0 alone. The report's plain-SGD panels (5 networks per rng), rng 0-9: He
    # leaves ln 2 in 5 of 5 at both depths and every rng; at 22 layers Xavier in 1-5 of 5, its median seed by step
    # 420-1128 or never against He's 36-108; at 30 layers Xavier in 0 of 5 at eight rngs, in 2 and 1 at rng 4 and 7.
    # Drawn here at rng 0-5. With momentum (the paper's optimizer) He leaves it in 4 of 5 at rng 6: the test above pins
    # rng 0's 5. `tinygrad-init report --help` said "He et al. (22 and 30 ReLU layers: Xavier stalls, He trains ...)"
    from tinygrad_init import cli

    text = " ".join(cli.build_parser()._subparsers._group_actions[0].choices["report"].format_help().split())
    assert "He et al. (22 and 30 ReLU layers: Xavier slower at 22, stalled at 30, He trains both; and with " \
           "momentum)" in text
    xavier30 = []
    for rng in range(6):  # rng 0: the plain-SGD rows of he_et_al_rng_0, those of depth(rng=0, momentum=0.0)
        res = he_et_al_rng_0 if rng == 0 else E.depth(rng=rng, momentum=0.0)
        rows = {(r["layers"], r["init"]): r for r in res.table if r["momentum"] == 0.0}
        assert all(rows[(d, "he_normal")]["left_ln2"] == 5 for d in (22, 30)), rng
        assert rows[(22, "xavier_uniform")]["left_ln2"] >= 1, rng
        assert rows[(22, "he_normal")]["median_step_below_half_ln2"] < 0.25 * rows[(22, "xavier_uniform")][
            "median_step_below_half_ln2"], rng
        xavier30.append(rows[(30, "xavier_uniform")]["left_ln2"])
    assert max(xavier30) <= 3 and xavier30.count(0) >= 4 and sum(xavier30) > 0, xavier30


def test_the_miniatures_name_the_papers_own_settings() -> None:
    # the tables said "He et al., Fig. 3 (30 layers)" and "Glorot & Bengio, Fig. 2" beside a 16-unit MLP on 64 moons
    # and 32-unit sigmoid layers on 200, without the settings the papers ran: He, Zhang, Ren & Sun (2015), Figs. 2-3:
    # convolutional nets on ImageNet, momentum 0.9; Glorot & Bengio (2010), sec. 2.3 and Fig. 2: hidden layers of
    # 1,000 units, Shapeset-3x2, mini-batches of ten
    he = " ".join(E.depth(rng=0, seeds=1, layers=(3,), steps=2).table.notes)
    assert "He et al. trained convolutional nets on ImageNet with momentum 0.9: Fig. 2 (22 layers)" in he
    glorot = " ".join(E.sigmoid_saturation(rng=0, seeds=1, layers=2, width=4, steps=2).table.notes)
    assert "Fig. 2 (hidden layers of 1,000 sigmoid units on Shapeset-3x2, mini-batches of 10)" in glorot


def test_depth_names_the_median_step_as_that_of_the_median_seed() -> None:
    # 2 of 3 Xavier nets of 10 layers get below ln 2 / 2, at steps 256 and 340-344 (by the BLAS kernel): "(median
    # step 300)" read as the median of those two; it is the median of all three seeds, the one that never gets there
    # counting last, so the later of the two steps
    res = E.depth(rng=0, seeds=3, layers=(6, 10), steps=400)
    row = next(r for r in res.table if (r["layers"], r["momentum"], r["init"]) == (10, 0.0, "xavier_uniform"))
    panel = res.data["xavier_uniform"]["panels"]["10 layers, plain SGD, lr 0.03"]
    first = sorted(map(float, panel["first_below_half_ln2"]))  # "inf": never
    assert row["left_ln2"] == 2 and first[-1] == math.inf and first[0] < first[1] < math.inf
    assert row["median_step_below_half_ln2"] == first[1] and 330 <= first[1] <= 360
    assert (f"for Xavier in 2 of 3 seeds (the median seed by step {first[1]:.0f}, the seeds that got there at steps "
            f"{first[0]:.0f}-{first[1]:.0f})") in res.findings[1]


def test_the_sigmoid_saturation_finding_gives_the_spread_over_seeds() -> None:
    # the finding gave the median curve's lowest top-layer mean alone, "falls from 0.50 to 0.03 by step 6 (medians of
    # 3 seeds)", where the seeds of the quick report bottom out at 0.012, 0.037 and 0.033, at steps 24, 6 and 6
    res = E.sigmoid_saturation(rng=0, seeds=3, layers=2, width=8, steps=60)
    top = np.asarray(res.data["hidden_mean"])[:, :, -1]  # (seeds, records)
    lows, steps = top.min(axis=1), np.asarray(res.data["step"])[top.argmin(axis=1)]
    assert res.findings[0].endswith(f"Seed by seed its lowest mean is {format_number(lows.min(), 2)}-"
                                    f"{format_number(lows.max(), 2)}, at steps {steps.min()}-{steps.max()}.")


def test_the_saturation_sentence_gives_one_number_where_the_seeds_agree() -> None:
    # the report of seed 4 read "Seed by seed its lowest mean is 0.0091-0.038, at steps 20-20" (every seed bottomed out
    # at step 20), and small nets "0.25-0.25", "at steps 10-10", "layer 1 stays between 0.48 and 0.48": a range whose
    # two ends are the same number
    import re

    for rng in range(8):
        text = E.sigmoid_saturation(rng=rng, seeds=2, layers=2, width=8, steps=60).findings[0]
        lows = re.search(r"Seed by seed its lowest mean is ([\d.e-]+?)(?:-([\d.e-]+))?, at", text).group(1, 2)
        when = re.search(r", at (steps?) (\d+)(?:-(\d+))?\.$", text).groups()
        assert lows[0] != lows[1] and when[1] != when[2], text
        assert (when[0] == "step") == (when[2] is None), text
        assert not re.search(r"between ([\d.]+) and \1;", text), text  # "layer 1 stays between 0.48 and 0.48"


def test_the_saturation_sentence_keeps_the_digits_of_a_mean_near_0() -> None:
    # the quick report of seed 0 read "falls from a mean of 0.50 to 0.03 by step 6" beside a table's mean_lowest
    # 0.0332, of seed 1 "to 0.01 by step 144" beside 0.0054: two decimals misstate a mean near 0 (here by nearly 2x)
    for rng in (0, 1):
        res = E.sigmoid_saturation(rng=rng, quick=True)
        top = res.table.rows[-1]
        assert (f"falls from a mean of {format_number(top['mean_start'], 2)} to {format_number(top['mean_lowest'], 2)} "
                f"by step {top['step_of_lowest']} ") in res.findings[0]
        assert f"it recovers to {format_number(top['mean_end'], 2)} by step " in res.findings[0]


def test_depth_says_when_a_net_that_left_ln2_ends_above_it_again() -> None:
    # Xavier, 22 layers, seed 0 (the quick report's): the loss falls to 0.29 by step 340, spikes to 0.78 at ~370 and
    # ends at ln 2 (every unit dead); the finding said only "falls below ln 2 / 2 ... for Xavier in 1 of 1 seeds",
    # beside a table whose final losses are all 0.693
    res = E.depth(rng=0, quick=True, seeds=1, layers=(22,), schemes=("xavier_uniform",), momentum=0.0, steps=400)
    loss = np.asarray(res.data["xavier_uniform"]["panels"]["22 layers, plain SGD, lr 0.03"]["loss"])[0]
    # The run is chaotic: over 14 machines' arithmetic (the SkylakeX, Haswell, Sandybridge, Nehalem and Prescott
    # kernels with numpy's AVX-512, AVX2 or SSE4.2 loops) it falls below ln 2 / 2 by step 340 and ends 0.0003-0.0035
    # above ln 2 in 13; with numpy's SSE4.2 loops and the Nehalem kernel it stays down (0.257), and the finding says so
    back = bool(abs(loss[-1] - LN2) < 5e-3)
    assert loss.min() < LN2 / 2 and (back or loss[-1] < LN2 / 2)  # the run as measured
    assert res.findings[0].endswith("for Xavier in 1 of 1 seed (the median seed by step 340"
                                    + "; 1 of them above it again at the end" * back + ").")


def test_depth_gives_the_seeds_steps_beside_the_median_one() -> None:
    # the finding gave "(the median seed by step 65)" for He at 30 layers (quick report), where its seeds got below
    # ln 2 / 2 at steps 40, 65 and 140: a median without the spread the report promises for results over seeds
    res = E.depth(rng=0, seeds=3, layers=(6,), schemes=("he_normal",), momentum=0.0, steps=100)
    first = np.asarray(res.data["he_normal"]["panels"]["6 layers, plain SGD, lr 0.03"]["first_below_half_ln2"],
                       dtype=float)
    assert np.isfinite(first).all() and len(set(first)) > 1
    assert (f"(the median seed by step {np.median(first):.0f}, the seeds that got there at steps {first.min():.0f}-"
            f"{first.max():.0f})") in res.findings[0]


def test_depth_with_one_depth_builds_that_many_layers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # layers=(30,) names the same depth for both panels: each network has 30 hidden layers (not 60), and the
    # 30-layer runs are trained once (plain SGD and momentum), not twice.
    from tinygrad_init.lab import training

    built, fit = [], training.fit
    monkeypatch.setattr(training, "fit", lambda models, *a, **k: (built.append(models), fit(models, *a, **k))[1])
    res = E.depth(rng=0, seeds=1, layers=(30,), steps=2)
    assert len(built) == 1 and len(built[0]) == 4  # 2 schemes x (plain, momentum) x 1 seed
    assert {len(m.linears()) for m in built[0]} == {31}  # 30 hidden layers and the output layer
    assert [(r["layers"], r["momentum"]) for r in res.table] == [(30, 0.0)] * 2 + [(30, 0.9)] * 2


def test_depth_names_the_schemes_and_depths_it_ran() -> None:
    # tutorial 7's Try it runs He against LeCun at 20 layers: the title, question and figure still read "Xavier vs He
    # in 22- and 30-layer ReLU nets"
    res = E.depth(rng=0, seeds=1, layers=(20,), steps=2, schemes=("he_normal", "lecun_normal"))
    assert res.title == "Depth: He vs LeCun in 20-layer ReLU nets (He et al. 2015)"
    assert res.question == "Can deep ReLU networks learn from He init, and from LeCun init?"
    assert res.figure.get_suptitle().startswith("He vs LeCun in deep ReLU nets")
    default = E.depth(rng=0, seeds=1, steps=2)
    assert default.title == "Depth: Xavier vs He in 22- and 30-layer ReLU nets (He et al. 2015)"
    alike = E.depth(rng=0, seeds=1, layers=(3,), steps=2, schemes=("xavier_uniform", "xavier_normal"))
    assert alike.title.startswith("Depth: xavier_uniform vs xavier_normal in 3-layer")  # not "Xavier vs Xavier"
    with pytest.raises(ValueError, match=r"use init\.lsuv\(model, batch\) on a model instead"):
        E.depth(rng=0, seeds=1, layers=(3,), steps=2, schemes=("lsuv", "he_normal"))
    with pytest.raises(ValueError, match=r"^training: sizes must run from 2 inputs .*, got 5$"):  # as given, not (5,)
        E.training(sizes=5)


def test_depth_refuses_depths_it_would_drop() -> None:
    # (10, 20, 30) kept 10 and 30 and dropped 20 silently; (3, 3) ran one depth as if two were asked for
    for layers in ((10, 20, 30), (3, 3)):
        with pytest.raises(ValueError, match=r"depth: layers must be one depth or two different ones"):
            E.depth(rng=0, seeds=1, layers=layers, steps=2)


@pytest.mark.slow
@pytest.mark.parametrize("rng", [0, 3, 5])
def test_glorot_bengio_top_layer_saturates_then_recovers(rng: int) -> None:
    # Glorot & Bengio (2010), Fig. 2: with sigmoid units and the standard init U(-1/sqrt(n), 1/sqrt(n)) the top
    # hidden layer's activations quickly saturate at 0, while the lower layers stay near 0.5; it later desaturates.
    # The median of 5 seeds, rng 0-9: the top layer's lowest mean 0.013-0.033 at step 20 (140 at rng 3), 0.21-0.24 at
    # the end; layers 1-2 within 0.015 of 0.5 until then. It was asserted at rng 0 alone: 3 and 5 are its extremes
    res = E.sigmoid_saturation(rng=rng)
    top = res.table[-1]
    assert top["mean_start"] == pytest.approx(0.5, abs=0.02) and top["mean_lowest"] < 0.05
    assert top["step_of_lowest"] <= 0.1 * res.settings["steps"] and top["mean_end"] > 4 * top["mean_lowest"]
    early = np.median(res.data["hidden_mean"], axis=0)[: list(res.data["step"]).index(top["step_of_lowest"]) + 1]
    assert np.all(np.abs(early[:, :-2] - 0.5) < 0.1)  # the lowest layers have not moved yet,
    assert np.all(early[:, :-1] > 0.3)  # and none of the others saturates


def test_the_saturation_sentence_words_follow_the_means() -> None:
    # scheme="zeros" read "falls from a mean of 0.50 to 0.50 by step 0 ... it recovers to 0.50 ... as the loss falls
    # from 0.693 to 0.693"; "small" had its top layer "recover" to 0.01, where it fell
    # The zeros net sits on an unstable balance: its top layer stays at 0.50 with most BLAS kernels, and falls to 0.01
    # by step 15 with OpenBLAS's Prescott ones (a last bit that is not zero grows): the words follow either way
    import re

    zeros, small = (E.sigmoid_saturation(rng=0, quick=True, scheme=sc, steps=200).findings[0]
                    for sc in ("zeros", "small"))
    for text in (zeros, small):
        fell = re.search(r"falls from a mean of ([\d.]+) to ([\d.]+) by step", text)
        stayed = re.search(r"stays near its starting mean of ([\d.]+) \(lowest ([\d.]+),", text)
        start, low = (float(v) for v in (fell or stayed).groups())
        assert (fell is not None) == (low < start - 0.05) and (fell is None) == (stayed is not None), text
        end = float(re.search(r"it is still at ([\d.]+) by step 200", text)[1])  # "recovers" only above low + 0.05
        assert end <= low + 0.05 and "loss goes from 0.693 to 0.693" in text, text
    assert re.search(r"falls from a mean of 0\.5 to 0\.0\d\d? by step", small), small  # 2 digits: not "0.01"
    assert re.search(r"it is still at 0\.0\d\d? by step 200", small), small
    assert not any(w in zeros + small for w in ("recovers", "loss falls"))


# ---------------------------------------------------------------- batch norm, errors


def test_batch_norm_keeps_the_bad_schemes_healthy(quick_sweep: E.Sweep) -> None:
    res = E.batch_norm(rng=3, quick=True, plain=quick_sweep)
    for r in res.table:
        assert 0.95 < r["bn_pre_std"] < 1.01, r
        assert r["activation"] != "tanh" or r["bn_saturated_or_dead"] < 0.02  # ~0.8% of N(0, 1) beyond atanh(0.99)
    assert min(r["plain_saturated_or_dead"] for r in res.table if r["scheme"] == "large" and r["activation"] ==
               "tanh") > 0.5
    with pytest.raises(ValueError, match="batchnorm"):
        E.batch_norm(sweep=quick_sweep)  # a sweep without batch norm where one with it is needed


def test_batch_norm_table_holds_the_gradient_ratio_its_findings_give() -> None:
    # the findings gave "std dL/dh layer 1 / top 2.29" from a column the table did not have, and "std of the
    # activation's input 1..1" (large 1.0*randn, quick report of seed 0): a range of one number (now written 1-1)
    res = E.batch_norm(rng=0, quick=True)
    for f in res.findings:
        a, s = re.match(r"(\w+), (.+?) with batch norm", f).groups()
        g = [r["bn_grad_act_std"] for r in res.table if r["activation"] == a and E.label(r["scheme"]) == s]
        assert f.endswith(f"; std dL/dh layer 1 / top {format_number(g[0] / g[-1])}."), f
        assert not re.search(r"input ([\d.]+)-\1,", f), f
    assert "std of the activation's input 1, " in res.findings[3], res.findings[3]  # tanh, large


def test_batch_norm_from_a_generator_compares_the_same_networks() -> None:
    # the sweep without batch norm drew its input and weights after the one with it: another network, silently
    sizes = {"depth": 3, "width": 20, "batch": 30}
    given, seeded = (E.batch_norm(rng, schemes=("large",), activations=("tanh",), **sizes).to_dict()
                     for rng in (np.random.default_rng(3), 3))
    assert given["tables"] == seeded["tables"] and given["findings"] == seeded["findings"]


def test_sweep_table_has_probe_and_theory_columns() -> None:
    t = E.sweep_table("he_normal", "relu", depth=3, width=40, batch=50, rng=1)
    assert t.columns[:3] == ("layer", "pre_std", "pre_std_theory") and "dead" in t.columns and len(t) == 3
    bn = E.sweep_table("small", "tanh", depth=2, width=40, batch=50, rng=1, batchnorm=True)
    assert "linear_std" in bn.columns and not any(c.endswith("_theory") for c in bn.columns)


def test_sweep_arguments_are_checked(quick_sweep: E.Sweep) -> None:
    # verdict(None) was an AttributeError, a plain sweep given as bn= gave findings "with batch norm" from a network
    # without it, a string sweep= was told "pass either sweep= or sizes (), not both", an unknown column was all "-"
    with pytest.raises(TypeError, match="verdict: sweep must be a Sweep from run_sweep"):
        E.verdict(None)
    with pytest.raises(ValueError, match="verdict: bn must be a sweep made with batchnorm=True"):
        E.verdict(quick_sweep, bn=quick_sweep)
    with pytest.raises(TypeError, match="activation_statistics: sweep must be a Sweep from run_sweep, got str"):
        E.activation_statistics(sweep="x")
    with pytest.raises(KeyError, match="Run.table: unknown column"):
        quick_sweep.run("small", "tanh").table(["act_std", "nope"])
    # a misspelt field was a column of nan (Run.values) or of "-" (Sweep.table), silently
    with pytest.raises(KeyError, match=r"Run.values: unknown column\(s\) \['act_sd'\]; the columns are layer, "):
        quick_sweep.run("small", "tanh").values("act_sd")
    with pytest.raises(KeyError, match=r"Sweep.table: unknown column\(s\) \['dead_fraction'\]"):
        quick_sweep.table(["act_std", "dead_fraction"], "t")
    # one name is one column, as in Table.select and Probe.stats ("act_std" was split into its letters)
    assert list(quick_sweep.table("act_std", "t").columns) == ["scheme", "activation", "act_std"]
    assert list(quick_sweep.run("small", "tanh").table("act_std").columns) == ["act_std"]
    with pytest.raises(TypeError, match="Sweep.table: columns must be a column name or a list of them, got NoneType"):
        quick_sweep.table(None, "t")  # "'NoneType' object is not iterable"
    with pytest.raises(TypeError, match="word: run must be a Run of run_sweep, got NoneType"):
        E.word(None)  # Python's AttributeError


def test_run_sweep_refuses_a_progress_that_is_not_callable_before_running() -> None:
    # progress="x" failed with "'str' object is not callable" only after the first network had run
    with pytest.raises(TypeError, match="run_sweep: progress must be a function of one str or None, got str"):
        E.run_sweep(("small",), ("tanh",), depth=2, width=10, batch=20, progress="x")


@pytest.mark.parametrize("call,error,fragment", [
    (lambda: E.run_sweep(("small",), ("elu",), quick=True), ValueError, "activation must be one of 'tanh'"),
    (lambda: E.run_sweep(("he_nromal",), quick=True), ValueError, "Did you mean 'he_normal'"),
    (lambda: E.run_sweep(("xavier",), quick=True), ValueError, "ambiguous"),
    (lambda: E.run_sweep(("lsuv",), quick=True), ValueError, "data-dependent"),
    (lambda: E.run_sweep(("small",), depth=0), ValueError, "run_sweep: depth must be >= 1"),
    # the functions a lecturer calls named run_sweep, which they did not call
    (lambda: E.run_one("small", "tanh", depth=0), ValueError, "run_one: depth must be >= 1"),
    (lambda: E.sweep_table("small", "tanh", rng=-1), ValueError, "sweep_table: rng as a seed must be a non-negative"),
    (lambda: E.activation_statistics(quick="yes"), TypeError, "activation_statistics: quick must be True or False"),
    (lambda: E.batch_norm(depth=0), ValueError, "batch_norm: depth must be >= 1"),
    (lambda: E.run_sweep(("small",), batch=1), ValueError, "batch must be >= 2"),
    (lambda: E.run_sweep((), quick=True), ValueError, "schemes is empty"),
    (lambda: E.run_sweep(("small", "small"), quick=True), ValueError, "lists a name twice"),
    (lambda: E.symmetry(lr=-1), ValueError, "symmetry: lr must be > 0"),
    (lambda: E.training(seeds=0), ValueError, "seeds must be >= 1"),
    (lambda: E.depth(momentum=1.0), ValueError, "momentum must be in [0, 1)"),
    (lambda: E.activation_statistics(quick=True, widht=10), TypeError, "unknown keyword argument(s) widht"),
    (lambda: E.run_sweep(3, quick=True), TypeError, "run_sweep: schemes must be a name or a list of names"),
    (lambda: E.run_sweep(("small",), quick="yes"), TypeError, "run_sweep: quick must be True or False"),
    (lambda: E.run_sweep(("small",), batchnorm="no", quick=True), TypeError, "run_sweep: batchnorm must be True or"),
    (lambda: E.training(seeds=0), ValueError, "training: seeds must be >= 1"),
    (lambda: E.symmetry(quick=1), TypeError, "symmetry: quick must be True or False"),
    (lambda: E.symmetry(constant="a"), TypeError, "symmetry: constant must be a number"),
    (lambda: E.symmetry(random_scheme="zeros"), ValueError, "random_scheme must draw random weights"),  # 1 zeros row
    (lambda: E.depth(layers=[]), ValueError, "depth: layers must be one depth or two different ones"),
    (lambda: E.accuracy(nn.MLP([2, 3, 1]), np.zeros((3, 2)), np.zeros(4)), ValueError, "y must hold one label"),
    (lambda: E.accuracy(nn.MLP([2, 3, 1]), np.zeros((3, 2)), np.ones((3, 1))), ValueError, "got shape (3, 1)"),
    (lambda: E.accuracy(nn.MLP([2, 3, 1]), np.zeros((3, 2)), [0, 2, np.nan]), ValueError, "labels [ 0.  2. nan]"),
    # fit: Python's "'NoneType' object is not iterable" (models, lr) and "len() of unsized object" (y)
    (lambda: E.fit(None, np.zeros((2, 2)), [0, 1], steps=1, lr=0.1), TypeError, "fit: models must be a non-empty"),
    (lambda: E.fit([nn.MLP([2, 3, 1])], np.zeros((2, 2)), None, steps=1, lr=0.1), ValueError, "got (2, 2) and ()"),
    (lambda: E.fit([nn.MLP([2, 3, 1])], np.zeros((2, 2)), [0, 1], steps=1, lr=None), TypeError, "fit: lr must be a"),
    (lambda: E.depth(layers=5), TypeError, "depth: layers must be a list of depths"),  # was 'int' not iterable
    (lambda: E.judge([], [], [], "tanh"), ValueError, "judge: act_std, grad_std and fraction must"),  # IndexError
    (lambda: E.judge([1.0, 0.5], [1.0], [0.0, 0.0], "tanh"), ValueError, "got shapes (2,), (1,) and (2,)"),
    (lambda: E.depth(width=0), ValueError, "depth: width must be >= 1"),  # was Linear's fan_out
    (lambda: E.depth(samples=1), ValueError, "depth: samples must be >= 2"),  # was moons' n
    (lambda: E.training(sizes=(2, 4, 2)), ValueError, "training: sizes must run from 2 inputs to 1 output"),  # fit's
    (lambda: E.training(sizes=(3, 4, 1)), ValueError, "training: sizes must run from 2 inputs to 1 output"),
    (lambda: E.theory_average(quick=True, widht=10), TypeError, "theory_average: unknown keyword argument(s) widht"),
    (lambda: E.theory_average(quick=True, width=0), ValueError, "theory_average: width must be >= 1"),  # run_one
    (lambda: spectra.trainability(sigma_w2s=(1.0,), depths=(2,), steps=1, width=0), ValueError,
     "trainability: width must be >= 1"),  # deep_mlp's
    (lambda: E.theory_average(scheme="nope"), ValueError, "theory_average: unknown"),
    # all-zero weights: the theory's stds are 0, the findings read 'off by up to nan% ..., by at most inf%'
    (lambda: E.theory_average(scheme="zeros", quick=True), ValueError, "theory_average: zeros draws all-zero"),
    (lambda: E.deep_mlp(2, 3, "tanh", outputs=0), ValueError, "deep_mlp: outputs must be >= 1"),  # built none
])
def test_clear_errors(call, error, fragment: str) -> None:
    with pytest.raises(error) as exc:
        call()
    assert fragment in str(exc.value)


def test_a_given_sweep_must_hold_the_runs(quick_sweep: E.Sweep) -> None:
    with pytest.raises(ValueError, match="does not hold every run"):
        E.activation_statistics(sweep=quick_sweep, schemes=("xavier_uniform",))
    with pytest.raises(ValueError, match="either sweep= .* or sizes"):
        E.gradient_statistics(sweep=quick_sweep, width=10)
    with pytest.raises(KeyError, match="no run of scheme 'orthogonal'"):
        quick_sweep.run("orthogonal", "tanh")
    with pytest.raises(ValueError, match="does not model batch norm"):
        E.theory_vs_measurement(E.run_sweep(("small",), ("tanh",), depth=2, width=10, batch=20, batchnorm=True))


def test_progress_is_called_per_network_and_runs_are_silent(capsys) -> None:
    seen: list[str] = []
    E.run_sweep(("small",), ("tanh", "relu"), depth=2, width=10, batch=20, progress=seen.append)
    assert seen == ["small/tanh", "small/relu"] and capsys.readouterr() == ("", "")


def test_scheme_labels_name_real_schemes_and_every_result_is_a_table() -> None:
    for name in E.SCHEMES:
        init.get(name)
        assert name in E.SCHEME_LABELS
    assert init.get("cs231n").std(500, 500) == pytest.approx(init.get("xavier_uniform").std(500, 500))
    assert theory.predict([500] * 3, "tanh", "cs231n").act_std == pytest.approx(
        theory.predict([500] * 3, "tanh", "xavier_uniform").act_std)
    assert isinstance(E.symmetry(rng=0, quick=True, steps=2).table, Table)


def test_a_constant_init_is_not_labelled_with_a_value_it_does_not_have() -> None:
    """`init.get("constant")` draws its `value` (0 by default): the sweep of `--init constant` draws all zeros and
    its heading must not promise "constant 0.5" (the symmetry experiment's own constant is in its settings)."""
    run = E.run_one("constant", "tanh", depth=2, width=8, batch=4)
    assert E.label("constant") == "constant" and "0.5" not in run.table().title
    assert all(r["act_std"] == 0.0 for r in run.layers)  # zero weights: every activation is 0


def test_the_sweep_experiments_take_a_one_layer_network() -> None:
    # depth 1: the summary's columns std_layer_1 and std_layer_{L} were the same name, and Table refused them
    grid = {"schemes": ("small", "he_normal"), "activations": ("tanh", "relu")}
    sw = E.run_sweep(**grid, depth=1, width=4, batch=3, rng=1)
    res = E.activation_statistics(sweep=sw, **grid)
    summary = res.tables["summary"]
    assert len(summary.columns) == len(set(summary.columns)) == 7 and len(summary) == 4
    assert all(r["std_first"] == r["std_last"] for r in summary)
    assert len(E.gradient_statistics(sweep=sw, **grid).table) == 4 and len(E.verdict(sw).tables["main"]) == 2


def test_the_saturation_sentence_names_one_lower_layer_as_one() -> None:
    # layers=2 read "while layers 1-1 stay between ..."
    text = E.sigmoid_saturation(rng=0, seeds=1, layers=2, width=4, samples=8, steps=3).findings[0]
    assert " while layer 1 stays between " in text and "1-1" not in text


@pytest.mark.parametrize("rng", [np.random.default_rng(5), None, 7])
def test_run_all_gives_every_part_one_seed(rng, monkeypatch) -> None:
    # a Generator (or None) went to each part as it was: the parts drew their own inputs (each activation's sweep
    # another X), and in one process the numbers depended on the order the parts ran in
    seen, sweep = [], E.run_sweep(("small",), E.ACTIVATIONS, depth=2, width=4, batch=3)
    monkeypatch.setattr(E, "EXPERIMENTS", {})
    monkeypatch.setattr(E, "run_sweep", lambda *a, **k: seen.append(k["rng"]) or sweep)
    monkeypatch.setattr(E, "verdict", lambda *a: None)
    monkeypatch.setattr(E, "activation_statistics", lambda **k: None)
    monkeypatch.setattr(E, "gradient_statistics", lambda **k: None)
    monkeypatch.setattr(E, "batch_norm", lambda **k: None)
    E.run_all(rng, quick=True)
    assert len(seen) == 2 * len(E.ACTIVATIONS) and isinstance(seen[0], int) and seen == seen[:1] * len(seen)
    assert seen[0] == 7 or not isinstance(rng, int)  # a seed is each part's own, as if the part were called alone


@pytest.mark.parametrize("pool", [False, True])
def test_run_all_hands_each_result_to_done_once_as_it_is_made(pool, monkeypatch) -> None:
    # the report draws a section's figures while the rest run: done() sees every result once, the sweeps' sections
    # before the parts still running
    from concurrent.futures import ThreadPoolExecutor
    sweep, made = E.run_sweep(("small",), E.ACTIVATIONS, depth=2, width=4, batch=3), []
    monkeypatch.setattr(E, "EXPERIMENTS", {k: (lambda k: lambda **_: k)(k) for k in ("theory", "chaos")})
    monkeypatch.setattr(E, "run_sweep", lambda *a, **k: sweep)
    for name in ("verdict", "activation_statistics", "gradient_statistics", "batch_norm"):
        monkeypatch.setattr(E, name, (lambda name: lambda *a, **k: name)(name))
    with ThreadPoolExecutor(1) if pool else contextlib.nullcontext() as ex:
        out = E.run_all(0, quick=True, submit=ex.submit if pool else None, done=made.append)
    assert out == ["verdict", "activation_statistics", "gradient_statistics", "theory", "batch_norm", "chaos"]
    assert sorted(made) == sorted(out)


@pytest.mark.parametrize("call,fragment", [
    (lambda flag: E.deep_mlp(2, 4, "tanh", batchnorm=flag), "deep_mlp: batchnorm"),
    (lambda flag: spectra.network(2, 4, "tanh", 1.0, orthogonal=flag), "network: orthogonal"),
    (lambda flag: E.fit([nn.MLP([2, 3, 1])], np.zeros((4, 2)), np.zeros(4), steps=1, lr=0.1, watch=flag),
     "fit: watch"),
    (lambda flag: probe.Probe(nn.MLP([2, 3, 1]), keep_arrays=flag), "Probe: keep_arrays"),
    (lambda flag: probe.Probe(nn.MLP([2, 3, 1]), attach=flag), "Probe: attach"),
    (lambda flag: probe.probe_model(nn.MLP([2, 3, 1]), np.ones((4, 2)), return_probe=flag),
     "probe_model: return_probe"),
])
def test_flags_take_only_true_or_false(call, fragment):
    # deep_mlp(batchnorm="no") built batch norm layers, network(orthogonal="no") drew orthogonal weights, Probe
    # (attach=None) was left detached: each flag was read as Python's truth of any value
    with pytest.raises(TypeError, match=f"{fragment} must be True or False, got str 'no'"):
        call("no")


def test_theory_summary_worst_counts_layers_that_underflowed_or_overflowed() -> None:
    # 70 ReLU layers of 32 units: small weights underflow float32 to 0 (theory 1e-97), large ones overflow to nan;
    # the worst ratio skipped the zeros ('1.01' for dL/dh measured 0 at 69 of 70 layers, '-' for dL/dW, which the
    # note reads 'the theory predicts exactly 0') and saw a nan only in the first layer (act 2.94, grad nan)
    sweep = E.run_sweep(("small", "large"), ("relu",), depth=70, width=32, batch=8)
    small, large = (list(r.values())[2:] for r in E.theory_vs_measurement(sweep)[1])
    assert small == [0.0, 0.0, 0.0] and all(math.isnan(v) for v in large)


def test_the_theory_columns_of_the_tables_say_what_the_theory_is(quick_sweep: E.Sweep) -> None:
    # the gradient table showed grad_*_theory columns with no word on them; both say that one finite network
    # scatters around the theory
    for res in (E.activation_statistics(sweep=quick_sweep), E.gradient_statistics(sweep=quick_sweep)):
        assert any(n.startswith("*_theory: ") and "infinite width" in n for n in res.tables["main"].notes), res.name


@pytest.mark.parametrize("experiment", [E.activation_statistics, E.gradient_statistics])
def test_a_sweep_of_zeros_alone_draws_its_figure_saying_nothing_is_drawn(experiment) -> None:
    result = experiment(schemes=["zeros"], activations=["tanh"], depth=2, width=4, batch=8)
    fig = result.get_figure(result.figure_names[0])  # 'curves: panel 'tanh' has no series' (a panel it made)
    assert [t.get_text() for t in fig.legends[0].get_texts()][0] == "zeros (<= 0: not drawn)"


def test_a_bad_quick_of_run_all_names_run_all_not_the_first_experiment_it_calls() -> None:
    with pytest.raises(TypeError, match=r"^run_all: quick must be True or False, got int 3"):  # was 'depth: ...'
        E.run_all(quick=3)


@pytest.mark.parametrize("where, call", [
    ("run_sweep", lambda rng: E.run_sweep(rng=rng)), ("run_all", lambda rng: E.run_all(rng=rng)),
    ("batch_norm", lambda rng: E.batch_norm(rng=rng)), ("theory_average", lambda rng: E.theory_average(rng=rng)),
    ("symmetry", lambda rng: E.symmetry(rng=rng)), ("deep_mlp", lambda rng: E.deep_mlp(2, 3, "tanh", rng=rng)),
    ("correlations", lambda rng: spectra.correlations(rng=rng)),
    ("jacobian_spectra", lambda rng: spectra.jacobian_spectra(rng=rng)),
    ("trainability", lambda rng: spectra.trainability(rng=rng)),
    ("compare_inits", lambda rng: E.diagnostics.compare_inits(rng=rng)),
    ("fit", lambda rng: E.diagnostics.fit(nn.Linear(2, 2), np.eye(2), np.arange(2), 1, 0.1, rng=rng)),
    ("probe_model", lambda rng: probe.probe_model(nn.Linear(2, 2), Tensor(np.eye(2)), rng=rng)),
    ("chaos_section", lambda rng: spectra.chaos_section(rng=rng)),
    ("isometry_section", lambda rng: spectra.isometry_section(rng=rng)),
])
def test_a_bad_rng_in_the_lab_names_the_function_given_it(where, call):
    # as_rng was called without its caller's name: 'rng must be a np.random.Generator, ...' named no function
    with pytest.raises(TypeError, match=rf"^{where}: rng must be a np.random.Generator, an int seed or None, got "
                                        r"str 'seed'$"):
        call("seed")
    with pytest.raises(ValueError, match=rf"^{where}: rng as a seed must be a non-negative integer, got -1$"):
        call(-1)


def test_every_experiment_runs_at_full_size_unless_asked_for_quick() -> None:
    import inspect
    funcs = [*E.EXPERIMENTS.values(), E.run_sweep, E.activation_statistics, E.gradient_statistics, E.batch_norm,
             E.run_all]
    assert {f.__name__: inspect.signature(f).parameters["quick"].default for f in funcs} == {
        f.__name__: False for f in funcs}  # the docstrings: "quick: their small sizes", on request


def test_each_batch_norm_finding_states_its_rows_of_the_table_and_the_figure_puts_the_stds_on_top() -> None:
    res = E.batch_norm(quick=True, schemes=("small",), activations=("tanh", "relu"))
    rows = res.table.rows
    assert len(res.findings) == 2
    for a, text in zip(("tanh", "relu"), res.findings):
        mine = [r for r in rows if r["activation"] == a]
        m = re.search(r"input ([\d.e+]+?)(?:-([\d.e+]+))?, \w+ at most ([\d.e+-]+)% of the \w+ \(without: up to "
                      r"([\d.e+-]+)%\)", text)  # "input 0.999, ": one number where both ends read the same
        assert text.startswith(f"{a}, ") and m, text
        claimed = [float(v or m[1]) / (100 if i > 1 else 1) for i, v in enumerate(m.groups())]
        actual = [min(r["bn_pre_std"] for r in mine), max(r["bn_pre_std"] for r in mine),
                  max(r["bn_saturated_or_dead"] for r in mine), max(r["plain_saturated_or_dead"] for r in mine)]
        np.testing.assert_allclose(claimed[:2], actual[:2], rtol=5e-3)
        np.testing.assert_allclose(claimed[2:], actual[2:], rtol=0.05, atol=1e-12)  # percents at 2 digits
    titles = [ax.get_title() for ax in res.get_figure("batchnorm").axes]  # a column per activation, stds on top
    assert titles == ["tanh: std of f's input", "relu: std of f's input", "tanh: saturated or dead",
                      "relu: saturated or dead"]


def test_the_gradient_table_holds_the_median_the_verdict_quotes(quick_sweep: E.Sweep) -> None:
    # the verdict's "the median |dL/dz| at layer 1 is 0.00344" (large 1.0*randn, tanh) stood in no table of the report
    main = E.gradient_statistics(sweep=quick_sweep).tables["main"]
    row = next(r for r in main if (r["scheme"], r["activation"], r["layer"]) == ("large", "tanh", 1))
    text = E.verdict(quick_sweep).findings[1]
    assert row["grad_pre_median"] > 0 and f"layer 1 is {format_number(row['grad_pre_median'])} (its std" in text, text
    assert all(r["grad_pre_median"] is None for r in main if r["layer"] > 1)


def test_the_gradient_figure_shows_only_gradients() -> None:
    res = E.gradient_statistics(quick=True, schemes=("he_normal",), activations=("tanh", "relu"))
    titles = [ax.get_title() for ax in res.get_figure("gradients").axes if ax.get_title()]
    assert sorted(titles) == sorted(f"{a}: std {w}" for a in ("tanh", "relu") for w in ("dL/dh", "dL/dW"))


def test_theory_vs_measurement_names_itself_for_a_wrong_sweep() -> None:
    with pytest.raises(TypeError, match=r"^theory_vs_measurement: sweep must be a Sweep from run_sweep, got str"):
        E.theory_vs_measurement("x")


def test_the_per_seed_table_of_training_holds_each_seeds_last_loss_and_accuracies() -> None:
    res = E.training(rng=0, quick=True, seeds=2, steps=6)
    for r in res.tables["seeds"].rows:
        d = res.data[r["init"]]
        i = list(d["seeds"]).index(r["seed"])
        assert r["final_loss"] == d["loss"][i][-1] or math.isnan(d["loss"][i][-1]) and math.isnan(r["final_loss"])
        assert (r["train_accuracy"], r["test_accuracy"]) == (d["train_accuracy"][i], d["test_accuracy"][i])


def test_symmetry_needs_two_units_to_tell_apart() -> None:
    with pytest.raises(ValueError, match=r"symmetry: width must be >= 2, got 1"):
        E.symmetry(width=1)


def test_the_saturation_result_is_named_by_its_key_in_experiments() -> None:
    res = E.sigmoid_saturation(rng=0, seeds=1, layers=2, width=4, steps=2)  # the report's data/saturation.json
    assert E.EXPERIMENTS[res.name] is E.sigmoid_saturation and res.title.startswith("Sigmoid")


@pytest.mark.parametrize("lr", [0.6, 1.0])
def test_depths_count_of_seeds_back_above_half_ln2_is_read_from_their_last_loss(lr: float) -> None:
    # a large step makes some seeds fall below ln 2 / 2 and bounce back above it
    res = E.depth(rng=0, seeds=5, layers=(6,), schemes=("he_normal",), momentum=0.0, steps=60, lr=lr)
    loss = np.asarray(res.data["he_normal"]["panels"][f"6 layers, plain SGD, lr {lr:g}"]["loss"], dtype=float)
    below = np.where(np.isfinite(loss), loss, np.inf) < math.log(2) / 2
    back = int((below.any(axis=1) & ~below[:, -1]).sum())
    said = re.search(r"(\d+) of them above it again at the end", res.findings[0])
    assert (int(said.group(1)) if said else 0) == back, res.findings[0]
    if np.isfinite(last := loss[:, -1]).all():  # the final-loss columns: of the last record too
        row = res.table.rows[0]
        assert (row["final_loss_min"], row["final_loss_median"], row["final_loss_max"]) == pytest.approx(
            (last.min(), np.median(last), last.max()))


def test_a_sweep_experiment_names_itself_for_an_unknown_scheme_or_activation() -> None:
    with pytest.raises(ValueError, match=r"^activation_statistics: unknown initialization scheme 'nope'"):
        E.activation_statistics(schemes=["nope"])
    with pytest.raises(ValueError, match=r"^activation_statistics: .*'nope'"):
        E.activation_statistics(activations=["nope"])


@pytest.mark.parametrize("steps", [6, 8])
def test_depths_diverged_column_counts_the_seeds_whose_last_loss_is_not_finite(steps: int) -> None:
    # lr 3: four of five 6-layer He nets blow up, at steps 5, 5, 6 and 8: some of them at the very last step
    res = E.depth(rng=0, seeds=5, layers=(6,), schemes=("he_normal",), momentum=0.0, steps=steps, lr=3.0)
    loss = np.asarray(res.data["he_normal"]["panels"]["6 layers, plain SGD, lr 3"]["loss"], dtype=float)
    assert res.table.rows[0]["diverged"] == int((~np.isfinite(loss[:, -1])).sum()) > 0


def test_depths_note_gives_the_momentum_runs_lr_as_lr_times_one_minus_momentum() -> None:
    res = E.depth(rng=0, seeds=1, layers=(3,), steps=2, lr=0.05, momentum=0.8)
    assert f"momentum runs take lr (1 - momentum) = {0.05 * (1 - 0.8):g}:" in " ".join(res.table.notes)
    assert [r["lr"] for r in res.table.rows if r["momentum"] == 0.8] == pytest.approx([0.01, 0.01])


def test_theory_average_of_one_network_says_network() -> None:
    # networks=1 printed "by at most 18% in the median of 1 networks" and titled its figure "median of 1 networks"
    res = E.theory_average(rng=0, quick=True, networks=1, depth=2)
    assert all(f.endswith("in the median of 1 network.") for f in res.findings), res.findings
    assert "1 networks" not in res.table.title and "1 networks" not in str(res.to_dict())


def test_a_one_layer_one_unit_network_says_layer_and_unit() -> None:
    # `tinygrad-init sweep --depth 1 --width 1 --batch 2` titled its table "1 layers x 1 units", and
    # depth(layers=(1,)) named its panel and finding "1 layers, plain SGD"
    assert ": 1 layer x 1 unit, batch 2, seed 0" in E.sweep_table("he_normal", "relu", depth=1, width=1, batch=2).title
    # A run drawn from a Generator has no seed to name: its title said "seed None", which reads as an unseeded run.
    drawn = E.sweep_table("he_normal", "relu", depth=1, width=1, batch=2, rng=np.random.default_rng(0)).title
    assert drawn.endswith(": 1 layer x 1 unit, batch 2"), drawn
    assert ": 2 layers x 3 units, batch 2," in E.sweep_table("he_normal", "relu", depth=2, width=3, batch=2).title
    res = E.depth(rng=0, seeds=1, layers=(1,), steps=2, momentum=0.0)
    assert res.findings[0].startswith("1 layer, plain SGD") and "1 layers" not in str(res.to_dict()), res.findings


@pytest.mark.parametrize("seed", range(5))
def test_a_one_unit_network_shows_no_weight_gradient_std_rather_than_zero(seed: int) -> None:
    # `tinygrad-init sweep --width 1` printed grad_w_std 0 beside a theory of 1 in every layer: the std of the one
    # entry of a 1 x 1 dL/dW, 0 whatever the gradient; a 2-unit network keeps its number
    one, two = (E.run_one("he_normal", "relu", depth=2, width=w, batch=4, rng=seed) for w in (1, 2))
    assert np.isnan(one.values("grad_w_std")).all() and np.isnan(one.values("grad_w_std_theory")).all()
    assert "one number has no spread" in " ".join(one.table().notes)
    assert np.isfinite(two.values("grad_w_std_theory")).all() and (two.values("grad_w_norm") >= 0).all()


@pytest.mark.parametrize("seed", range(5))
def test_a_sweep_into_float32_underflow_says_its_zeros_are_not_measurements(seed: int) -> None:
    # `tinygrad-init sweep --init small --activation relu --depth 40 --width 100 --batch 10`: the activations fall
    # 0.07 a layer, below float32's smallest normal (1.2e-38) from layer 33 and to 0 at layer 40, whose dead units
    # then pass no gradient back: grad_act_std read 0 at layer 39 beside a theory of 0.07, and grad_w_std 0 in every
    # layer, with no note (an overflow had one)
    run = E.run_one("small", "relu", depth=40, width=100, batch=10, rng=seed)
    note = "the theory has numbers below 1.2e-38, float32's smallest normal number: measured, they are rounding or 0"
    assert run.values("grad_act_std")[-2] == 0 < 0.01 < run.values("grad_act_std_theory")[-2]
    assert any(note in n for n in run.table().notes)
    for quiet in (E.run_one("small", "relu", depth=10, width=100, batch=10, rng=seed),  # down to 2e-12: no note
                  E.run_one("he_normal", "relu", depth=2, width=1, batch=4, rng=seed)):  # a dead unit, not rounding
        assert not any(note in n for n in quiet.table().notes)


@pytest.mark.parametrize("seed", range(3))
def test_a_tiny_saturated_fraction_in_theory_is_no_float32_underflow(seed: int) -> None:
    # `tinygrad-init sweep --init small --activation tanh --depth 2 --width 400`: layer 1's theory of the saturated
    # fraction is 5.6e-40 (pre_std 0.2, |tanh| > 0.99 beyond 13 std), a probability, not a float32 number; the table
    # said "from layer 1 the theory has numbers below 1.2e-38 ... a layer of zeros passes no gradient back"
    run = E.run_one("small", "tanh", depth=2, width=400, batch=10, rng=seed)
    assert 0 < run.values("saturated_theory")[0] < 1.18e-38 and run.values("grad_act_std").min() > 1e-3
    assert not any("below 1.2e-38" in n for n in run.table().notes), run.table().notes


def test_the_notes_state_the_saturation_thresholds_the_code_counts_with() -> None:
    # the tables' notes and the verdict's rule write the probe's and the explorer's thresholds out in words: they
    # must be the numbers the counts use (probe.SATURATION 0.01: |tanh| > 0.99; diagnostics' 0.03: > 0.97)
    from tinygrad_init.lab import diagnostics
    ours, explorer = (f"|tanh| > {1 - s:g}, tanh' < {1 - (1 - s) ** 2:.1g}"
                      for s in (probe.SATURATION, diagnostics.SATURATION))
    assert f"this report counts {ours}; the explorer {explorer})" in E.WORDS["saturates"]
    assert f"|tanh| > {1 - probe.SATURATION:g}, or sigmoid within {probe.SATURATION:g} of 0" in E.LAYER_FIELDS[
        "saturated"]


@pytest.mark.parametrize("call", [lambda: E.deep_mlp(10 ** 400, 4, "tanh"), lambda: E.deep_mlp(3, 10 ** 6, "relu"),
                                  lambda: spectra.network(10 ** 12, 8, "tanh", 1.0)])
def test_a_network_too_large_to_build_is_refused_at_once(call) -> None:
    # depth 10**400 built layers until memory ran out; width 10**6 asked numpy for 4 TB
    with pytest.raises(ValueError, match=r"^(deep_mlp|network): depth .*weights, beyond 1e9"):  # the one called
        call()


def test_a_scheme_of_non_zero_mean_is_refused_by_the_sweep_before_any_network_is_built() -> None:
    # was "predict: ones (1) has mean 1; ...", raised by the theory after the first network was measured, naming a
    # function the caller never called; with batch norm there is no theory, so 'ones' runs (the norm takes its mean)
    with pytest.raises(ValueError, match=r"^run_one: 'ones' \(1\) has a non-zero mean"):
        E.run_one("ones", "tanh", depth=2, width=4, batch=4)
    with pytest.raises(ValueError, match=r"^activation_statistics: 'uniform' .* has a non-zero mean \(0.5\)"):
        E.activation_statistics(schemes=["uniform"], depth=2, width=4, batch=4)
    run = E.run_one("ones", "tanh", depth=2, width=4, batch=8, batchnorm=True)
    assert run.theory is None and abs(run.layers[0]["pre_mean"]) < 1e-6


@pytest.mark.parametrize("sizes,exc,message", [
    ((2, 0, 1), ValueError, r"^training: sizes\[1\] must be >= 1, got 0$"),  # was "MLP: sizes[1] must be >= 1"
    ((2, 10.5, 1), TypeError, r"^training: sizes\[1\] must be a whole number, got float 10.5$"),  # was MLP's
    ("abc", TypeError, r"^training: sizes\[0\] must be a whole number, got str 'abc'$"),  # was "... got 'abc'"
])
def test_a_layer_width_of_the_training_experiment_is_checked_in_its_name(sizes, exc, message) -> None:
    with pytest.raises(exc, match=message):
        E.training(sizes=sizes, steps=2, seeds=1)


@pytest.mark.parametrize("sizes", [{"width": 10 ** 5, "batch": 10 ** 5}, {"depth": 10 ** 6, "width": 10 ** 4}])
def test_a_sweep_too_large_to_keep_is_refused_before_its_input_is_drawn(sizes) -> None:
    # width = batch = 1e5 drew the input X, 1e10 float64 (75 GB), before any check; depth 1e6 x width 1e4 got as far
    # as deep_mlp, whose message named a function the caller never called
    with pytest.raises(ValueError, match=r"^run_one: depth, width and batch \[.*\] keep width \(width \+ batch\) "
                                         r"depth, over 1e9 weights"):
        E.run_one("he_normal", "relu", **sizes)


def test_sweep_table_takes_one_note_as_one_line_and_refuses_a_number() -> None:
    sweep = E.run_sweep(("small",), ("tanh",), depth=2, width=8, batch=16)
    table = sweep.table("act_std", "title", notes="one note")  # was ['o', 'n', 'e', ' ', ...], a line per letter
    assert table.notes == ["one note"] and sweep.table("act_std", "title", notes=None).notes == []
    with pytest.raises(TypeError, match="^Sweep.table: notes must be"):  # was "'int' object is not iterable"
        sweep.table("act_std", "title", notes=3)


@pytest.mark.parametrize("thresholds", [0.3, None, ["dead", 0.3]])
def test_judge_refuses_thresholds_that_are_no_mapping(thresholds) -> None:
    with pytest.raises(TypeError, match="^judge: thresholds must be a dict"):  # was "'float' object is not iterable"
        E.judge([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], "tanh", thresholds)
    with pytest.raises(TypeError, match="^word: thresholds must be a dict"):  # named judge, which the user never called
        E.word(E.run_one("small", "tanh", depth=2, width=8, batch=16), thresholds)


def test_one_unit_is_written_as_one_unit():
    # a network of width 1 read "3 layers x 1 units" in the tables' titles, and spectra.correlations raised
    # "correlation_map: c must be in [-1, 1], got 1": one unit's measured cosine is 1 + 2e-16, the theory's start
    sw = E.run_sweep(("he_normal",), ("relu",), depth=3, width=1, batch=20, rng=0)
    picked = {"schemes": ("he_normal",), "activations": ("relu",), "sweep": sw}
    titles = [E.activation_statistics(**picked).table.title, E.gradient_statistics(**picked).table.title,
              E.theory_vs_measurement(sw)[0].title]
    assert all("3 layers x 1 unit, batch 20" in t for t in titles), titles
    finding = spectra.finding("correlations", spectra.correlations(depth=2, width=1, networks=1, pairs=1))
    assert "(1 unit, 1 network)" in finding, finding


def test_batch_norm_names_plain_when_the_sweep_given_as_plain_is_the_wrong_one() -> None:
    # a batch-norm sweep given as plain= (and sizes beside plain=) were told about "the given sweep" and "sweep=",
    # the argument that was right
    kw = {"depth": 2, "width": 8, "batch": 4}
    bn = E.run_sweep(["small"], ["tanh"], batchnorm=True, **kw)
    with pytest.raises(ValueError, match=r"^batch_norm: plain= does not hold every run asked for .*batchnorm=False\)"):
        E.batch_norm(sweep=bn, plain=bn, schemes=["small"], activations=["tanh"])
    with pytest.raises(ValueError, match=r"^batch_norm: pass either plain= \(a Sweep from run_sweep\) or sizes"):
        E.batch_norm(plain=E.run_sweep(["small"], ["tanh"], **kw), schemes=["small"], activations=["tanh"], **kw)
    with pytest.raises(TypeError, match=r"^batch_norm: plain must be a Sweep from run_sweep, got int"):
        E.batch_norm(sweep=bn, plain=5, schemes=["small"], activations=["tanh"])


def test_a_run_and_a_sweep_print_their_networks_and_no_memory_address() -> None:
    # run_one(...) or run_sweep(...) as the last line of a notebook cell showed '<...Run object at 0x7f...>', an
    # address that changes with every run of the cell (a regenerated slide or notebook differs by it)
    sweep = E.run_sweep(("small", "he_normal"), ("relu",), depth=3, width=20, batch=30, rng=1)
    assert repr(sweep) == "Sweep(small, he_normal x relu: 3 layers x 20 units, batch 30, seed 1)"
    assert repr(sweep.run("he_normal", "relu")) == "Run(he_normal, relu: 3 layers x 20 units, batch 30, seed 1)"
    bn = E.run_sweep(("small",), ("tanh",), depth=1, width=1, batch=2, rng=np.random.default_rng(0), batchnorm=True)
    assert repr(bn.run("small", "tanh")) == "Run(small, tanh, batch norm: 1 layer x 1 unit, batch 2)"
    assert repr(bn) == "Sweep(small x tanh: 1 layer x 1 unit, batch 2)"  # a Generator's: no seed to name
    assert bn.run("small", "tanh").table().title == "small 0.01*randn, tanh, batch norm: 1 layer x 1 unit, batch 2"


def test_the_titles_of_a_network_of_one_layer_say_one_layer_as_a_runs_do() -> None:
    # the experiments wrote their networks' sizes themselves, 'Activation statistics: 1 layers x 2 units', where
    # table.network_sizes, which Run's title and repr read, says '1 layer x 2 units'
    sweep = E.run_sweep(("small",), ("tanh",), depth=1, width=2, batch=3, rng=1)
    kw = {"sweep": sweep, "schemes": ["small"], "activations": ["tanh"]}
    titles = [t.title for res in (E.activation_statistics(**kw), E.gradient_statistics(**kw))
              for t in res.tables.values()] + [t.title for t in E.theory_vs_measurement(sweep)]
    verdict = E.verdict(sweep)
    fig = verdict.get_figure("grid")  # its title and the rule of thumb among the findings
    titles += [t.title for t in verdict.tables.values()] + [verdict.question] + verdict.findings + [
        t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any(t.startswith("Verdict at initialization: 1 layer x 2 units, batch 3, computed") for t in titles)
    assert not [t for t in titles if "1 layers" in t] and "1 layer x 2 units, batch 3" in titles[0]
    assert titles[0] == "Activation statistics: 1 layer x 2 units, batch 3, no bias, X ~ N(0, 1)"
