"""The spreads over seeds that the tutorials' prose states beside the one draw each notebook shows.

A notebook runs one seed and asserts its numbers; where its prose also says how other seeds
behave ("over `rng` 0 to 9 ..."), the statement is checked here, so that it cannot drift from the
code. Each test recomputes the notebook's own computation for the seeds the prose names. The
"Try it yourself" suggestions are run here too, as a student would edit the cell, and their
outcome (or the prose's prediction of it) asserted.

A training run can be chaotic: a last-bit difference in a matrix product's sum (another BLAS
kernel blocks the sum otherwise, or fuses its multiply-adds), or in an exp, log or tanh (numpy's
AVX-512, AVX2 and SSE4.2 loops round some results otherwise; its sums do not depend on the CPU,
measured) grows step by step until a marginal
run crosses a threshold a step earlier or later, or not at all. Counts over runs, step counts and
spreads can therefore differ by a run or a last digit between machines. Where that happens the
prose states, and the test asserts, what was measured under all of OpenBLAS's Haswell, SkylakeX,
Sandybridge and Prescott kernels and numpy's AVX-512 and AVX2 loops (and, where a number moved
beyond that, its SSE4.2 loops: a CPU without AVX2), with the slack written beside the assert. To
check the claims under another kernel on one machine (the variables must be set before numpy is
imported, so on the command line):

    OPENBLAS_CORETYPE=SkylakeX python -m pytest tests/tutorials
    OPENBLAS_CORETYPE=Sandybridge python -m pytest tests/tutorials      # no FMA
    NPY_DISABLE_CPU_FEATURES="AVX512_ICL X86_V4" python -m pytest tests/tutorials   # numpy's AVX2 loops
    NPY_DISABLE_CPU_FEATURES="AVX512_ICL X86_V4 X86_V3" OPENBLAS_CORETYPE=Nehalem python -m pytest tests/tutorials
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from tinygrad_init import Tensor, Value, data, diagnostics, experiments, init, losses, nn, no_grad, scalar_nn, theory
from tinygrad_init.lab import explorer, spectra
from tinygrad_init.optim import SGD
from tinygrad_init.probe import Probe, probe_model

from shared_runs import DEPTH, HE_ET_AL, SWEEP, depth_run, he_et_al_run, sweep_run

LN2 = float(np.log(2))
pytestmark = pytest.mark.slow


def test_tutorial_1_xor_is_learned_from_nine_seeds_of_ten():
    """Tutorial 1: the 2-4-1 tanh net learns XOR in 150 steps from 9 of seeds 0-9; seed 4 sticks at 7.8."""
    X, T = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [-1.0, 1.0, 1.0, -1.0]
    learned, final = [], []
    for seed in range(10):
        model = scalar_nn.MLP(2, [4, 1], activation="tanh", rng=seed)
        losses = []
        for _ in range(150):
            loss = Value.sum([(model(x) - t) ** 2 for x, t in zip(X, T)])
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= 0.05 * p.grad
            losses.append(loss.data)
        learned.append(all((model(x).data > 0) == (t > 0) for x, t in zip(X, T)) and losses[-1] < 0.1 * losses[0])
        final.append(losses[-1])
    assert [s for s in range(10) if not learned[s]] == [4] and round(final[4], 1) == 7.8


def test_tutorial_4_constant_net_against_the_random_median():
    """Tutorial 4: over rng 0-9 the constant net ends at 0.19-0.31, the random median at 0.014-0.064, 3.4-17x."""
    constant, random = [], []
    for rng in range(10):
        rows = {(r["init"], r["layer"]): r for r in experiments.symmetry(rng=rng).table.rows}
        constant.append(rows["constant", 1]["final_loss"])
        random.append(rows["xavier_uniform", 1]["final_loss"])
    ratio = np.array(constant) / np.array(random)
    # the jumping constant nets' losses depend on the BLAS kernel: largest 0.301-0.314, the ratios 3.35-4.08 and
    # 16.6-16.8 (Haswell, SkylakeX, Sandybridge, Prescott); slack 0.005 and 0.1 beyond them
    assert round(min(constant), 2) == 0.19 and 0.295 < max(constant) < 0.32
    assert (round(min(random), 3), round(max(random), 3)) == (0.014, 0.064)
    assert 3.25 < ratio.min() < 4.2 and 16.5 < ratio.max() < 16.95


@pytest.mark.xdist_group(DEPTH)
def test_tutorial_7_depth_over_ten_data_sets():
    """Tutorials 7 and 8, docs: over rng 0-9 (five nets each) 1-2 of 50 Xavier nets of 30 layers (on one data set)
    and 48-50 of 50 He nets leave ln 2 with plain SGD in 500 steps; at 22 layers 13-14 of 50 Xavier nets (0-3 per
    data set) and all 50 He nets. Every 30-layer Xavier net ends within 0.001 of ln 2 on 5-7 of the 10 data sets, on
    the others but one a net ends 0.001-0.02 from it; on rng 0 (tutorial 8's) all five stay within 0.001 at every
    step (0.0011 on a CPU without AVX2). The ranges are those measured under the Haswell, SkylakeX,
    Sandybridge and Prescott kernels (the asserts allow a run more either way)."""
    left, calm, drift = {}, 0, []
    for rng in range(10):
        # momentum=0.0: the plain SGD panels only (the same numbers: each net trains on its own), at half the cost;
        # experiments.depth(rng=rng, quick=True, seeds=5, layers=(22, 30), momentum=0.0), shared with tests/test_docs.py
        result = depth_run(rng)
        for layers in (22, 30):
            for scheme in ("xavier_uniform", "he_normal"):
                loss = np.array(result.data[scheme]["panels"][f"{layers} layers, plain SGD, lr 0.03"]["loss"], float)
                left.setdefault((layers, scheme), []).append(
                    int((np.where(np.isfinite(loss), loss, np.inf) < LN2 / 2).any(axis=1).sum()))
        loss = np.array(result.data["xavier_uniform"]["panels"]["30 layers, plain SGD, lr 0.03"]["loss"], float)
        off = np.abs(loss[:, -1] - LN2).max()
        if rng == 0:  # tutorial 8's grey curves (its `deep`): within 0.001 of ln 2 at every step, 0.0011 with numpy's
            assert np.abs(loss - LN2).max() < 1.2e-3  # SSE4.2 loops (a CPU without AVX2), as its prose says
        calm += bool(off < 1e-3)
        drift += [round(off, 2)] if 1e-3 <= off and left[30, "xavier_uniform"][-1] == 0 else []
    xavier30, xavier22 = left[30, "xavier_uniform"], left[22, "xavier_uniform"]
    assert 1 <= sum(xavier30) <= 3 and sum(n > 0 for n in xavier30) == 1  # measured: 1-2, on one data set
    assert sum(left[30, "he_normal"]) >= 47 and 4 <= calm <= 8 and calm + len(drift) == 9  # 48-50; 5-7 and 2-4
    assert max(drift) <= 0.02 and 12 <= sum(xavier22) <= 15 and max(xavier22) == 3  # 13-14
    assert sum(left[22, "he_normal"]) == 50


def test_tutorial_6_sigmoid_saturation_over_ten_data_sets():
    """Tutorial 6: over rng 0-9 the median top layer is at 0.013-0.033 by step 6 and below 0.05 until step 100,
    all 50 nets below 0.04 at step 6; layers 1-3 stay between 0.38 and 0.73 until the top layer's lowest; it ends at
    5-21 times its lowest mean."""
    at_six, every, low, high, rebound, first = [], [], [], [], [], []
    for rng in range(10):
        result = experiments.sigmoid_saturation(rng=rng, quick=True, seeds=5)
        steps, hidden = np.array(result.data["step"]), np.array(result.data["hidden_mean"])
        median = np.median(hidden, axis=0)
        top = {r["layer"]: r for r in result.table.rows}[4]
        below = median[steps <= top["step_of_lowest"], :3]
        assert steps[1] == 6
        at_six.append(median[1, 3])
        first.append(median[(steps >= 6) & (steps <= 100), 3].max())
        every.append(hidden[:, 1, 3].max())
        low.append(below.min())
        high.append(below.max())
        rebound.append(top["mean_end"] / top["mean_lowest"])
    assert (round(min(at_six), 3), round(max(at_six), 3)) == (0.013, 0.033) and max(every) < 0.04
    # the step of the top layer's lowest mean (the end of the window for layers 1-3) depends on the BLAS kernel, so
    # do these: low 0.382-0.405, high 0.723-0.729, the rebound 4.96-8.6 to 15.8-20.9 measured
    assert max(first) < 0.05 and 0.375 < min(low) < 0.41 and 0.72 < max(high) < 0.735
    assert 4.5 < min(rebound) < 9 and 15.5 < max(rebound) < 22


def test_tutorial_11_mean_squares_over_ten_seeds():
    """Tutorial 11: at depth 32 the mean squares range from 0.14 to 1.8 over rng 0-9, orthogonal tanh 0.88-1.25.
    Its sections 4 and 5 hold for each of rng 0-9: orthogonal tanh's spread below 1 (at most 0.41) and largest
    singular value below 2, 88-97% of them between 0.5 and 2 and none below 0.01; Gaussian tanh's spread rising
    with depth, past 10 (30-60) at L = 32; both ReLU spreads past 10 and over 20 (70-120) times orthogonal tanh's;
    the other three with under 10% (at most 6.5%) between 0.5 and 2 and most (at least 71.5%) below 0.01."""
    every, orthogonal, near, rows, figures = [], [], [], [], []
    for rng in range(10):
        spec = spectra.jacobian_spectra(depths=(2, 8, 32), width=100, networks=2, rng=rng)
        every += [r["mean_sq"][-1] for r in spec.values()]
        ortho, gauss = spec["tanh, orthogonal"], spec["tanh, Gaussian"]
        orthogonal.append(ortho["mean_sq"][-1])
        s = {k: np.array(r["singular_values"][-1]) for k, r in spec.items()}
        near.append(np.mean((s["tanh, orthogonal"] > 0.5) & (s["tanh, orthogonal"] < 2)))
        relu = [spec[k]["spread"][-1] for k in ("relu, Gaussian", "relu, orthogonal")]
        others = [s[k] for k in s if k != "tanh, orthogonal"]
        figures.append([gauss["spread"][-1], max(ortho["spread"]), min(relu) / ortho["spread"][-1],
                        max(np.mean((v > 0.5) & (v < 2)) for v in others), min(np.mean(v < 0.01) for v in others)])
        o = s["tanh, orthogonal"]
        rows.append([max(ortho["spread"]) < 1 and o.max() < 2 and o.min() > 0.01,
                     list(gauss["spread"]) == sorted(gauss["spread"]) and gauss["spread"][-1] > 10,
                     min(relu) > 10 and min(relu) > 20 * ortho["spread"][-1],
                     max(np.mean((v > 0.5) & (v < 2)) for v in others) < 0.1,
                     min(np.mean(v < 0.01) for v in others) > 0.5])
    assert (round(min(every), 2), round(max(every), 1)) == (0.14, 1.8)
    assert (round(min(orthogonal), 2), round(max(orthogonal), 2)) == (0.88, 1.25)
    assert (round(min(near), 2), round(max(near), 2)) == (0.88, 0.97) and np.all(rows)
    f = np.array(figures)
    assert (round(f[:, 0].min()), round(f[:, 0].max())) == (30, 60) and round(f[:, 1].max(), 2) == 0.41
    assert (round(f[:, 2].min(), -1), round(f[:, 2].max(), -1)) == (70, 120)
    assert round(100 * f[:, 3].max(), 1) == 6.5 and round(100 * f[:, 4].min(), 1) == 71.5


def test_tutorial_12_one_network_against_the_theory_over_ten_seeds():
    """Tutorial 12: over ten other seeds tanh + Xavier's worst layer is 2-8% off, He 1-4%, large 0.3%; the ReLU +
    He gap is 0-14% at layer 2 and 7-48% at layer 12, its median rising from 1% at layer 1 to 21% at layer 12, but
    not at every layer (the page's network is 36% off at layer 8, 16% at 12); the small init's factor is within
    3-6% of 0.1."""
    def off(activation, scheme):
        runs = [explorer.measure(activation, scheme, 1.0, 12, 100, rng=1000 + s) for s in range(10)]
        return np.array([np.abs(np.array(r["std"]) / np.array(r["theory_std"]) - 1) for r in runs])

    worst = {scheme: off("tanh", scheme).max(axis=1) for scheme in ("xavier_normal", "he_normal", "large")}
    assert round(100 * worst["xavier_normal"].min()) == 2 and round(100 * worst["xavier_normal"].max()) == 8
    assert round(100 * worst["he_normal"].min()) == 1 and round(100 * worst["he_normal"].max()) == 4
    assert round(100 * worst["large"].max(), 1) == 0.3
    gap = off("relu", "he_normal")
    assert round(100 * gap[:, 1].max()) == 14
    assert (round(100 * gap[:, -1].min()), round(100 * gap[:, -1].max())) == (7, 48)
    median = np.median(gap, axis=0)
    assert (round(100 * median[0]), round(100 * median[-1])) == (1, 21) and np.any(np.diff(median) < 0)
    assert np.any(gap.argmax(axis=1) < 11)  # a network's worst layer need not be its last, nor is the page's:
    assert "gap is 0% at layer 2, 16% at layer 12 and 36% at layer 8 in between" in _prose("12_init_explorer")
    small = [np.array(explorer.measure("tanh", "small", 1.0, 12, 100, rng=1000 + s)["std"]) for s in range(10)]
    factor = [np.abs(s[1:] / s[:-1] / 0.1 - 1).max() for s in small]
    assert round(100 * min(factor)) == 3 and round(100 * max(factor)) == 6
    # predictions 3 and 4 at 4 layers: sigmoid + Xavier's gradient at layer 1 is 1.2-1.4% of layer 4's, its
    # activations keep 52-66% of their std; tanh + large saturates 82-83% of the last layer, the gradient grows 12-14x
    sig = [explorer.measure("sigmoid", "xavier_normal", 1.0, 4, 100, rng=1000 + s) for s in range(10)]
    grad = [e["grad_std"][0] / e["grad_std"][-1] for e in sig]
    act = [e["std"][-1] / e["std"][0] for e in sig]
    assert (round(100 * min(grad), 1), round(100 * max(grad), 1), round(100 * min(act)), round(100 * max(act))) == (
        1.2, 1.4, 52, 66)
    large = [explorer.measure("tanh", "large", 1.0, 4, 100, rng=1000 + s) for s in range(10)]
    saturated, growth = [e["fraction"][-1] for e in large], [e["grad_std"][0] / e["grad_std"][-1] for e in large]
    assert (round(100 * min(saturated)), round(100 * max(saturated)), round(min(growth)), round(max(growth))) == (
        82, 83, 12, 14)


def test_tutorial_9_batch_norm_saturation_over_ten_seeds():
    """Tutorial 9: over rng 0-9 the worst layer with batch norm saturates 1.1-5.1% at the first step (a Gaussian:
    3.6%), the poor init without it 57-61% of all units, the good init 0.04-0.23%. The prose set the worst layer
    against '57% to 61% without it', which read as the poor init's worst layer; that one is at 82-84%."""
    worst, poor, poor_worst, good = [], [], [], []
    for rng in range(10):  # the first step's fractions do not depend on the number of steps
        runs = diagnostics.compare_inits(rng=rng, depth=5, width=100, steps=1, lr=0.03).runs
        worst.append(max(runs["batch norm"].series("fraction", n)[0] for n in runs["batch norm"].layers))
        poor.append(np.mean([runs["poor init"].series("fraction", n)[0] for n in runs["poor init"].layers]))
        poor_worst.append(max(runs["poor init"].series("fraction", n)[0] for n in runs["poor init"].layers))
        good.append(np.mean([runs["good init"].series("fraction", n)[0] for n in runs["good init"].layers]))
    assert (round(100 * min(worst), 1), round(100 * max(worst), 1)) == (1.1, 5.1)
    assert (round(100 * min(poor)), round(100 * max(poor))) == (57, 61) and min(poor_worst) > 0.8
    assert "5.1%, while without it 57% to 61% of all units saturate." in _prose("09_diagnosing_training")
    assert (round(100 * min(good), 2), round(100 * max(good), 2)) == (0.04, 0.23)


@pytest.mark.xdist_group(SWEEP)
def test_tutorial_5_cs231n_figures_over_ten_seeds():
    """Tutorial 5: over seeds 0-9 h_1 has std 0.213-0.214, h_2 is within 0.6% of 0.0476, the large init's gradient
    std at layer 1 is 7.2-7.9e4 times the top's, h_1 to h_4 within 1.2% of CS231n's slide (0.213, 0.0476, 0.0106,
    0.00238), and the width-100 factor's worst layer is 2-5.1% off 0.1. The seed-0 figures hold for each seed: the
    activation stds within 2% of the theory, the large init's gradient stds within 5% (within 7% here: seed 2 is 6%
    off under the Prescott kernel), 90% of its layer 10 saturated (the Gaussian's figure within 0.01), the small
    init's weight gradient within 5% of 4.2e-5 at every layer (4.1-4.3e-5 over the seeds, 4.2-4.3e-5 for seed 0),
    and a step of it, relative to the weights, tens of thousands of times smaller than the cs231n init's."""
    h1, h2, growth, width100, weight_grads = [], [], [], [], []
    saturated = theory.activation_moments("tanh", 22.0 ** 2).saturated
    with threadpool_limits(1, user_api="blas"):
        for seed in range(10):
            # the runs of experiments.run_sweep(("small", "large", "cs231n"), ("tanh",), rng=seed), shared
            tanh = {scheme: sweep_run(scheme, "tanh", seed) for scheme in ("small", "large", "cs231n")}
            std, grad = tanh["small"].values("act_std"), tanh["large"].values("grad_act_std")
            # CS231n (2017), lecture 6 "Training Neural Networks I", the std of layers 1-4 with 0.01 * randn
            assert np.allclose(std[:4], [0.213, 0.0476, 0.0106, 0.00238], rtol=0.012, atol=0)
            for scheme in ("small", "large"):
                run = tanh[scheme]
                assert np.allclose(run.values("act_std"), run.values("act_std_theory"), rtol=0.02)
            large = tanh["large"]
            assert np.allclose(grad, large.values("grad_act_std_theory"), rtol=0.07)  # 6.0%: seed 2, Prescott
            sat = large.values("saturated")[-1]
            assert round(sat, 2) == 0.90 and abs(sat - saturated) < 0.01
            dw, cs_dw = (tanh[scheme].values("grad_w_std") for scheme in ("small", "cs231n"))
            assert np.all(np.abs(dw / 4.2e-5 - 1) < 0.05)
            weight_grads.append(dw)
            assert 1e4 < np.median((cs_dw / (1 / math.sqrt(500))) / (dw / 0.01)) < 1e5
            h1.append(std[0])
            h2.append(abs(std[1] / 0.0476 - 1))
            growth.append(grad[0] / grad[-1])
            model = experiments.deep_mlp(10, 100, "tanh", init="small", rng=seed + 1)
            x = np.random.default_rng(seed + 2).standard_normal((200, 100)).astype(np.float32)
            with Probe(model) as probe:
                out = model(Tensor(x))
                out.backward(np.random.default_rng(seed + 3).standard_normal(out.shape).astype(np.float32))
            ratios = np.array([r for r in probe.stats(["grad_act_ratio"]).column("grad_act_ratio")
                               if r is not None and np.isfinite(r)])
            width100.append(np.abs(ratios / 0.1 - 1).max())
    assert (round(min(h1), 3), round(max(h1), 3)) == (0.213, 0.214) and max(h2) < 0.006
    # through ten saturated layers a seed's factor moves by up to 6% with the BLAS kernel: 7.23-7.94e4 measured
    assert 7.15e4 < min(growth) < 7.4e4 and 7.6e4 < max(growth) < 8.05e4
    assert (round(100 * min(width100)), round(100 * max(width100), 1)) == (2, 5.1)
    # the prose said 4.2e-5 where seed 0's layers print 4.24-4.29e-5 (six of ten as 4.3e-05)
    assert (round(np.min(weight_grads) * 1e5, 1), round(np.max(weight_grads) * 1e5, 1)) == (4.1, 4.3)
    assert "the same at every layer: $4.2$ to $4.3 \\times 10^{-5}$ (4.1 to 4.3 over seeds 0 to 9)" in _prose(
        "05_small_and_large")


@pytest.mark.xdist_group(SWEEP)
def test_tutorial_7_relu_sweep_over_ten_seeds(monkeypatch):
    """Tutorial 7: over seeds 0-9 Xavier's std ratio layer 10 / layer 1 is 0.041-0.053, He's worst layer 5-19% off
    0.826, Xavier's gradient 0.705-0.714 per layer, He's within 2-10% of 1; theory_average (rng 0-9): the first
    network's worst layer 9-50% off, the median's 9-30%, the median the closer in 7 of 10."""
    ratio, he, per_layer, he_grad, one, median = [], [], [], [], [], []
    # theory_average(rng=seed) measures the networks of seeds seed to seed + 4, each a run_sweep of one network that
    # depends on its arguments alone: rng 0-9 measure 14 networks 50 times. Each is measured once here
    monkeypatch.setattr(experiments, "run_sweep", functools.cache(experiments.run_sweep))
    for seed in range(10):
        # the runs of experiments.run_sweep(("cs231n", "he_normal"), ("relu",), rng=seed), shared
        xavier, he_run = sweep_run("cs231n", "relu", seed), sweep_run("he_normal", "relu", seed)
        std, grad = xavier.values("act_std"), xavier.values("grad_act_std")
        ratio.append(std[-1] / std[0])
        he.append(np.abs(he_run.values("act_std") / 0.826 - 1).max())
        per_layer.append((grad[0] / grad[-1]) ** (1 / 9))
        he_grad.append(np.abs(he_run.values("grad_act_std") - 1).max())
        r = np.array(experiments.theory_average(rng=seed, quick=True).data["ratios"]["act_std"])
        one.append(np.expm1(np.abs(np.log(r[0])).max()))
        median.append(np.expm1(np.abs(np.log(np.median(r, axis=0))).max()))
    assert (round(min(ratio), 3), round(max(ratio), 3)) == (0.041, 0.053)
    assert (round(100 * min(he)), round(100 * max(he))) == (5, 19)
    assert (round(min(per_layer), 3), round(max(per_layer), 3)) == (0.705, 0.714)
    assert (round(100 * min(he_grad)), round(100 * max(he_grad))) == (2, 10)
    assert (round(100 * min(one)), round(100 * max(one))) == (9, 50)
    assert (round(100 * min(median)), round(100 * max(median))) == (9, 30)
    assert sum(m < o for m, o in zip(median, one)) == 7


def test_tutorial_9_poor_init_over_ten_seeds():
    """Tutorial 9: over seeds 0-9 of the weights and the batch, layer 2 saturates 48-57%, layers 3-5 75-85%,
    E[h_1^2] is 0.15-0.21, the Gaussian prediction within 5 points; dL/dh grows 46-207x from layer 5 to 1, at every
    layer; layer 5 keeps 15-18% unsaturated, and the unsaturated units carry over 99% of every layer's squared
    dL/dy; the kurtosis is above 4 and rises towards the input in 9 of 10; layer 1's grad:data is the largest,
    41-73 times layer 5's. The tails: 1.0-1.3% of layer 1's dL/dh lie beyond 4 std, out to 8-18 std, layer 5's at most
    0.2%, within 4.5 std; the histograms of them were drawn over +-4 std only, where layer 1's tail does not show
    (it lies below the others there): they reach past 18 std."""
    X, y = data.spirals(600, classes=3, rng=0)
    X, edge, rows, tails = X.astype(np.float32), math.atanh(0.97), [], []
    source = (Path(__file__).parents[2] / "tutorials" / "09_diagnosing_training.py").read_text(encoding="utf-8")
    for seed in range(10):
        gen, mods = np.random.default_rng(seed), []
        for fan_in in [2, 100, 100, 100, 100]:
            mods += [nn.Linear(fan_in, 100, init="large", rng=gen), nn.Tanh()]
        batch = np.random.default_rng(seed + 1).integers(0, len(X), size=64)
        h, hs = Tensor(X[batch]), []
        for module in [*mods, nn.Linear(100, 3, init="large", rng=gen)]:
            h = module(h)
            if isinstance(module, nn.Tanh):
                hs.append(h.retain_grad())
        losses.cross_entropy(h, y[batch]).backward()
        a = [h.data.astype(np.float64) for h in hs]
        sat = [np.mean(np.abs(v) > 0.97) for v in a]
        pred = [np.mean([math.erfc(edge / math.sqrt(2 * q)) for q in np.sum(v ** 2, axis=1)]) for v in a[:-1]]
        g = [h.grad.std() for h in hs]
        z = [((h.grad - h.grad.mean()) / h.grad.std()).astype(np.float64) for h in hs]   # in units of the std
        k = [np.mean(v ** 4) for v in z]
        tails.append([np.mean(np.abs(z[0]) > 4), np.abs(z[0]).max(), np.mean(np.abs(z[-1]) > 4), np.abs(z[-1]).max()])
        g_y = [(1 - v ** 2) * h.grad for v, h in zip(a, hs)]  # dL/dy: the share the unsaturated units carry
        share = [np.sum(g[np.abs(v) <= 0.97] ** 2) / np.sum(g ** 2) for g, v in zip(g_y, a)]
        grad_data = [m.weight.grad.std() / m.weight.data.std() for m in mods[::2]]
        rows.append([sat[1], min(sat[2:]), max(sat[2:]), np.mean(a[0] ** 2), np.abs(np.subtract(sat[1:], pred)).max(),
                     g[0] / g[-1], all(u > v for u, v in zip(g, g[1:])), np.mean(np.abs(a[-1]) <= 0.97),
                     min(k), all(u > v for u, v in zip(k, k[1:])), min(share),
                     np.argmax(grad_data) == 0, grad_data[0] / grad_data[4]])
    r = np.array(rows, dtype=float)
    assert (round(100 * r[:, 0].min()), round(100 * r[:, 0].max())) == (48, 57)      # under half in some seeds:
    assert "half or more" not in source                                               # its summary said so
    assert (round(100 * r[:, 1].min()), round(100 * r[:, 2].max())) == (75, 85)
    assert (round(r[:, 3].min(), 2), round(r[:, 3].max(), 2)) == (0.15, 0.21) and r[:, 4].max() < 0.05
    assert (round(r[:, 5].min()), round(r[:, 5].max())) == (46, 207) and r[:, 6].all()
    assert (round(100 * r[:, 7].min()), round(100 * r[:, 7].max())) == (15, 18)
    assert r[:, 8].min() > 4 and r[:, 9].sum() == 9 and r[:, 10].min() > 0.99, r[:, 10].min()
    assert r[:, 11].all() and (round(r[:, 12].min()), round(r[:, 12].max())) == (41, 73)
    t = np.array(tails)        # layer 1's share beyond 4 std and its largest |g| / std, then layer 5's
    assert (round(100 * t[:, 0].min(), 1), round(100 * t[:, 0].max(), 1)) == (1.0, 1.3) and t[:, 2].max() < 0.002
    assert (round(t[:, 1].min()), round(t[:, 1].max())) == (8, 18) and t[:, 3].max() < 4.5
    reach = float(re.search(r"np\.histogram\(g, bins=\d+, range=\(-(\d+), ", source).group(1))
    assert reach > t[:, 1].max(), f"the histograms of dL/dh end at {reach} std, before the tails the prose speaks of"


def test_tutorial_10_maps_against_one_network_over_ten_seeds():
    """Tutorial 10: over seeds 0-9 the measured q_l's worst layer is 7-19% off the variance map (median 10%), and
    the measured correlations' worst layer 0.06-0.15 off the theory (median 0.09)."""
    sw, sb, q_off, c_off = 1.5, 0.05, [], []
    for seed in range(10):
        net = spectra.network(20, 500, "tanh", sw, sb, rng=seed)
        h = Tensor(np.random.default_rng(seed + 1).standard_normal((200, 500)) * math.sqrt((4.0 - sb) / sw))
        measured = []
        with no_grad():
            for linear, act in zip(net[::2], net[1::2]):
                z = linear(h)
                measured.append(float(np.mean(z.data ** 2)))
                h = act(z)
        mapped = [measured[0]]
        for _ in range(19):
            mapped.append(sw * theory.activation_moments("tanh", mapped[-1]).second + sb)
        q_off.append(np.abs(np.array(measured) / np.array(mapped) - 1).max())
        corr = spectra.correlations(depth=20, width=200, networks=2, pairs=4, rng=seed)
        c_off.append(max(abs(m - t) for r in corr.values() for m, t in zip(r["measured"], r["theory"])))
    assert (round(100 * min(q_off)), round(100 * max(q_off)), round(100 * np.median(q_off))) == (7, 19, 10)
    assert (round(min(c_off), 2), round(max(c_off), 2), round(np.median(c_off), 2)) == (0.06, 0.15, 0.09)


@pytest.mark.xdist_group(SWEEP)
def test_tutorial_6_xavier_and_sigmoid_figures_over_ten_seeds():
    """Tutorial 6, over seeds 0-9: the funnel within 2.5% of the theory; tanh + Xavier 0.63 -> 0.23, every layer
    within 1.1%, dL/dh at layer 1 0.39-0.40; sigmoid with Xavier 0.235-0.236 per layer (2.2-2.3e-6 in nine
    layers); with 4x weights 0.62-0.63 per layer, its layer-1 gradient 6,100-7,300 times that of 1x. Section 5's
    seed-0 figures hold for each seed: cs231n's tanh stds within 2% of xavier_uniform's, glorot_standard's factor per
    layer within 0.01 of 1/sqrt(3) over the last four layers."""
    widths, funnel, rows = [1000, 500, 250, 125, 64], [], []
    schemes = ["lecun_normal", init.get("variance_scaling", scale=1.0, mode="fan_out"), "xavier_normal"]
    for seed in range(10):
        x = np.random.default_rng(seed).standard_normal((500, widths[0])).astype(np.float32)
        for scheme in schemes:
            model = nn.Sequential(*[nn.Linear(a, b, bias=False, init=scheme, rng=seed + 1)
                                    for a, b in zip(widths[:-1], widths[1:])])
            measured = probe_model(model, x, rng=seed + 2, columns=["pre_std", "grad_pre_std"])
            predicted = theory.predict(widths, "linear", scheme)
            funnel += [np.abs(np.array(measured.column("pre_std")) / predicted.pre_std - 1).max(),
                       np.abs(np.array(measured.column("grad_pre_std")) / predicted.grad_pre_std - 1).max()]
        # the runs of experiments.run_sweep(("xavier_uniform", "cs231n"), ("tanh", "sigmoid"), rng=seed) read here
        # (Xavier's sigmoid run is not), shared
        xavier = sweep_run("xavier_uniform", "tanh", seed)
        std = xavier.values("act_std")
        assert np.allclose(sweep_run("cs231n", "tanh", seed).values("act_std"), std, rtol=0.02)
        standard = experiments.run_sweep(("glorot_standard",), ("tanh",), rng=seed).run("glorot_standard", "tanh")
        standard = standard.values("act_std")
        assert np.all(np.abs(standard[-4:] / standard[-5:-1] - 1 / np.sqrt(3)) < 0.01)
        gen = np.random.default_rng(seed)  # tutorial 6's sigmoid_net(4.0), with the lab's draws
        X, G = (gen.standard_normal((1000, 500)).astype(np.float32) for _ in range(2))
        wgen = np.random.default_rng(int(gen.integers(0, 2**63 - 1)))
        with threadpool_limits(1, user_api="blas"):
            Ws = [(4.0 * (wgen.standard_normal((500, 500)) / np.sqrt(500))).astype(np.float32) for _ in range(10)]
            hs = [X]
            for W in Ws:
                hs.append(1 / (1 + np.exp(-(hs[-1] @ W))))
            g = G
            for W, h in zip(Ws[:0:-1], hs[:1:-1]):  # down to dL/dh_1: through layers 10..2
                g = (g * h * (1 - h)) @ W.T
        layer_1 = g.std(dtype=np.float64)
        sig = sweep_run("cs231n", "sigmoid", seed).values("grad_act_std")
        rows.append([std[0], std[-1], np.abs(std / xavier.values("act_std_theory") - 1).max(),
                     xavier.values("grad_act_std")[0], (layer_1 / G.std(dtype=np.float64)) ** (1 / 9),
                     layer_1 / sig[0], (sig[0] / sig[-1]) ** (1 / 9), sig[0] / sig[-1]])
    r = np.array(rows)
    assert max(funnel) < 0.025 and r[:, 2].max() < 0.011
    assert {round(v, 2) for v in r[:, 0]} == {0.63} and {round(v, 2) for v in r[:, 1]} == {0.23}
    assert (round(r[:, 3].min(), 2), round(r[:, 3].max(), 2)) == (0.39, 0.40)
    assert (round(r[:, 4].min(), 2), round(r[:, 4].max(), 2)) == (0.62, 0.63)
    assert (round(r[:, 5].min(), -2), round(r[:, 5].max(), -2)) == (6100, 7300)
    assert (round(r[:, 6].min(), 3), round(r[:, 6].max(), 3)) == (0.235, 0.236)
    assert (round(r[:, 7].min() * 1e6, 1), round(r[:, 7].max() * 1e6, 1)) == (2.2, 2.3)


def test_tutorial_7_xavier_output_against_he_over_twenty_seeds():
    """Tutorial 7: in the 30-layer net the output's std from Xavier is about 2^-16 of He's, and one network of 16
    units scatters from 2^-27 to 2^-10 over seeds 0-19."""
    X, _ = data.moons(64, noise=0.1, rng=0)
    sizes = [2] + [16] * 30 + [1]
    def out_std(scheme, seed):
        return nn.MLP(sizes, activation="relu", init=scheme, rng=seed)(Tensor(X)).data.std()

    log2 = [np.log2(out_std("xavier_uniform", s) / out_std("he_normal", s)) for s in range(20)]
    assert (round(min(log2)), round(max(log2))) == (-27, -10) and abs(np.median(log2) + 16) < 1.5


def test_tutorial_12_gains_of_tanh_xavier_at_20_layers():
    """Tutorial 12, 'Try also' 1: in the whole explorer tanh + xavier_normal at 20 layers vanishes with gain 0.5,
    holds with 1 and 5/3, explodes with 2, at every width; no gain of the page makes it saturate. The prompt gives the
    code, run here as written: a student who typed the gain section 5 prints, 1.667, met a bare KeyError."""
    source = (Path(__file__).parents[2] / "tutorials" / "12_init_explorer.py").read_text(encoding="utf-8")
    code = "\n".join(line[5:] for line in source.split("#    ```python\n")[1].split("#    ```\n")[0].splitlines())
    run = {"explorer": explorer}
    exec(code, run)
    by_gain = {gain: {v for (g, _), v in run["verdicts"].items() if g == gain} for gain in explorer.GRID["gain"]}
    assert list(by_gain.values()) == [{"vanishes"}, {"holds"}, {"holds"}, {"explodes"}]
    assert len(run["verdicts"]) == 12 and explorer.key("tanh", "xavier_normal", 1.667, 20, 50) not in run["tanh20"].data


def test_tutorial_8_batch_norm_training_over_ten_seeds():
    """Tutorial 8, section 5, over seeds 0-9 of its loop: without batch norm the 10-layer tanh net stays within 1e-6
    of ln 2 for 300 steps; with it the tanh nets fall below ln 2 / 2 at step 4-8 but seed 4 (12-14), the 30-layer
    ReLU nets at 25-190. Those two are chaotic: measured under the Haswell, SkylakeX, Sandybridge and Prescott
    kernels, tanh's seed 4 takes 12-14 steps, ReLU's first 25-59 and last 135-190 (with the divisor's gradient
    computed in PyTorch's order, -g * (a / b / b): -g * (a / b) / b gave 13-18, 41-55 and 125-250); with numpy's
    AVX2 or SSE4.2 loops (a CPU without AVX-512, or without AVX2) beside those kernels and Nehalem's, 14 settings
    in all: tanh's seed 4 11-14, ReLU's first 25-71 and last 113-264 (first and last 45 and 113 with SSE4.2 and
    Nehalem, 71 and 135 with SSE4.2 and Prescott); the asserts take tanh's seed 4 in 11-20, ReLU's first in 20-80
    and its last in 100-300."""
    X, y = data.moons(64, noise=0.1, rng=0)
    targets = y.reshape(-1, 1).astype(np.float32)

    def steps_to_half_ln2(activation, scheme, depth, batchnorm, seed):  # the notebook's make() and train()
        body = experiments.deep_mlp(depth, 16, activation, init=scheme, rng=seed, batchnorm=batchnorm,
                                    input_width=2, bias=not batchnorm)
        model = nn.Sequential(body, nn.Linear(16, 1, rng=seed + 100))
        opt, off = SGD(model.parameters(), lr=0.03), 0.0
        for step in range(301):
            loss = nn.binary_cross_entropy_with_logits(model(Tensor(X)), targets)
            off = max(off, abs(loss.item() - LN2))
            if batchnorm and loss.item() < LN2 / 2:
                return step
            opt.zero_grad()
            loss.backward()
            opt.step()
        return off

    tanh = [steps_to_half_ln2("tanh", "small", 10, True, s) for s in range(10)]
    relu = [steps_to_half_ln2("relu", "xavier_uniform", 30, True, s) for s in range(10)]
    plain = [steps_to_half_ln2("tanh", "small", 10, False, s) for s in range(10)]
    assert min(tanh) == 4 and sorted(tanh)[-2] == 8 and np.argmax(tanh) == 4 and 11 <= tanh[4] <= 20
    assert 20 <= min(relu) <= 80 and 100 <= max(relu) <= 300  # a float (the distance from ln 2) if one never left
    assert max(plain) < 1e-6


def test_tutorial_11_mean_square_against_chi_over_ten_sets_of_networks():
    """Tutorial 11, section 3, over ten sets of four networks (seeds 0-39; the notebook's is the first): the chaotic
    mean square grows 4.8-10.4x from L = 2 to 12 (the notebook: 8.2), the worst depth is off chi_1^L by a factor of
    1.16-1.48 (the notebook: 1.29, 'within a third'), and the ordered one shrinks in all ten. The prose said 'It
    grows, between five and nine times', a range that is neither the notebook's draw nor the spread over draws."""
    assert "It grows, 8.2 times from $L = 2$ to $L = 12$, near" in _prose("11_jacobian_spectra")
    def mean_sq(depth, sw, seed):  # the notebook's mean_sq at width 200, sigma_b^2 = 0.05
        gen = np.random.default_rng(seed)
        model = spectra.network(depth, 200, "tanh", sw, 0.05, rng=gen)
        q = theory.fixed_point("tanh", sw, 0.05).q
        x = Tensor(np.tile(gen.standard_normal(200) * math.sqrt((q - 0.05) / sw), (200, 1)), requires_grad=True)
        model(x).backward(np.eye(200))
        return float(np.sum(x.grad ** 2) / 200)

    depths, growth, worst, shrinks = [2, 4, 8, 12], [], [], []
    for k in range(10):
        m, off = {}, []
        for sw in (1.5, 3.0):
            chi = theory.fixed_point("tanh", sw, 0.05).chi
            m[sw] = [np.mean([mean_sq(L, sw, [seed, L]) for seed in range(4 * k, 4 * k + 4)]) for L in depths]
            off += [abs(math.log(v / chi ** L)) for v, L in zip(m[sw], depths)]
        growth.append(m[3.0][-1] / m[3.0][0])
        worst.append(math.exp(max(off)))
        shrinks.append(m[1.5][-1] < m[1.5][0])
    assert round(growth[0], 1) == 8.2 and (round(min(growth), 1), round(max(growth), 1)) == (4.8, 10.4)
    assert round(worst[0], 2) == 1.29 and (round(min(worst), 2), round(max(worst), 2)) == (1.16, 1.48)
    assert all(shrinks)


def test_tutorial_9_update_data_over_ten_seeds():
    """Tutorial 9, section 5, over seeds 0-9 of the weights and the batches: the good init's hidden weight matrices
    keep a median log10 update:data within 0.17 of -3, layer 1 and the output above them; the loss falls 54-69%."""
    X, y = data.spirals(600, classes=3, rng=0)
    X, good, rows = X.astype(np.float32), init.get("xavier_normal", gain=5 / 3), []
    for seed in range(10):  # the notebook's make(GOOD, rng=seed) and train(model, 150, 0.03, seed=seed + 1)
        gen, mods = np.random.default_rng(seed), []
        for fan_in in [2, 100, 100, 100, 100]:
            mods += [nn.Linear(fan_in, 100, init=good, rng=gen), nn.Tanh()]
        model = nn.Sequential(*mods, nn.Linear(100, 3, init=good, rng=gen))
        linears, batches, opt = model[::2], np.random.default_rng(seed + 1), SGD(model.parameters(), lr=0.03)
        loss_by_step, ratios = [], []
        for _ in range(150):
            idx = batches.integers(0, len(X), size=64)
            opt.zero_grad()
            loss = losses.cross_entropy(model(Tensor(X[idx])), y[idx])
            loss_by_step.append(loss.item())
            loss.backward()
            before = [m.weight.data.copy() for m in linears]
            opt.step()
            ratios.append([np.std(m.weight.data - b) / np.std(b) for m, b in zip(linears, before)])
        median = np.median(np.log10(ratios), axis=0)
        rows.append([np.abs(median[1:5] + 3).max(), min(median[0], median[5]) > median[1:5].max(),
                     1 - np.mean(loss_by_step[-10:]) / np.mean(loss_by_step[:10])])
    r = np.array(rows, dtype=float)
    assert round(r[:, 0].max(), 2) == 0.17 and r[:, 1].all()
    assert (round(100 * r[:, 2].min()), round(100 * r[:, 2].max())) == (54, 69)


def _cell(tutorial: str, first_line: str) -> str:
    """The code cell of `tutorials/<tutorial>.py` (jupytext percent format) that begins with `first_line`."""
    source = (Path(__file__).parents[2] / "tutorials" / f"{tutorial}.py").read_text(encoding="utf-8")
    return next(cell.strip() for cell in source.split("\n# %%\n") if cell.startswith(first_line))


def test_tutorial_10_chi_over_nineteen_layers_over_ten_sets_of_networks():
    """Tutorial 10, section 2, over ten sets of five networks (seeds 0-49; the notebook's is the first): the means of
    Var(dL/dh_1) / Var(dL/dh_20) and of the squared change's growth are within 1.5-9.8% of chi_1^19, single
    networks 0.66-1.26 times it. The notebook's own cell runs, with its seeds moved (and its assert kept)."""
    sw, sb = 1.5, 0.05
    fp = theory.fixed_point("tanh", sw, sb)
    cell = _cell("10_edge_of_chaos", "ratios, stretch = [], []")
    assert "for seed in range(5):" in cell
    means, single = [], []
    for k in range(10):
        run = {"np": np, "math": math, "spectra": spectra, "Tensor": Tensor, "no_grad": no_grad,
               "sw": sw, "sb": sb, "fp": fp, "chi": fp.chi}
        exec(cell.replace("range(5)", f"range({5 * k}, {5 * k + 5})"), run)
        ratios, stretch = (np.array(run[key]) / fp.chi ** 19 for key in ("ratios", "stretch"))
        means += [abs(np.mean(ratios) - 1), abs(np.mean(stretch) - 1)]
        single += [*ratios, *stretch]
    assert (round(100 * min(means), 1), round(100 * max(means), 1)) == (1.5, 9.8)
    assert (round(min(single), 2), round(max(single), 2)) == (0.66, 1.26)


def _tutorial_4_train():
    """Tutorial 4, section 4: the notebook's own `nudged_constant` and `train(scheme, steps, lr, seed)` (its cell
    up to the runs), with the moons `X, targets` read from the returned namespace, to be set by the caller."""
    from tinygrad_init.experiments import distinct_units
    cell = _cell("04_why_not_zeros", "def nudged_constant")
    run = {"np": np, "nn": nn, "SGD": SGD, "Tensor": Tensor, "distinct_units": distinct_units}
    exec(cell.split("\nruns = ")[0], run)
    return run


def test_tutorial_4_nudged_units_stay_as_one_over_ten_data_sets():
    """Tutorial 4, section 4, over rng 0-9 of the moons and seeds 0-4 of the 1e-4 noise: the spread stays below
    1.6e-4 in all 50 runs; the loss curves agree within 0.001 on the five data sets where the constant net's loss
    falls at every step; on the other five it jumps and the curves drift apart, the largest gap over the five seeds
    0.04-0.14 on each (it said 'about 0.1 apart'; here 0.045, 0.051, 0.053, 0.087, 0.115; under the BLAS kernels
    measured the smallest is 0.040-0.045, the largest 0.11-0.14; with numpy's SSE4.2 loops, as on a CPU without AVX2,
    under the Nehalem and Sandybridge kernels the smallest is 0.028, the largest 0.125, so the assert takes the
    smallest above 0.025)."""
    run, spreads, calm, jumpy = _tutorial_4_train(), [], [], []
    constant = init.get("constant", value=0.5)
    for rng in range(10):
        X, y = data.moons(200, noise=0.1, rng=rng)
        run["X"], run["targets"] = X, y.reshape(-1, 1).astype(np.float32)
        c_loss = np.array(run["train"](constant)[0])
        off = []
        for seed in range(5):
            n_loss, n_spread, n_units = run["train"](run["nudged_constant"], seed=seed)
            off.append(np.abs(np.array(n_loss) - c_loss).max())
            spreads.append(max(n_spread))
            assert n_units == 8
        (calm if (np.diff(c_loss) < 0).all() else jumpy).append(max(off))
    assert max(spreads) < 1.6e-4 and len(calm) == len(jumpy) == 5
    assert max(calm) < 1e-3 and 0.105 < max(jumpy) < 0.15 and 0.025 < min(jumpy) < 0.05
    assert "drift apart: by 0.03 to 0.14 at most on each of those data sets" in _prose("04_why_not_zeros")


def test_tutorial_4_try_it_more_noise():
    """Tutorial 4, 'Try it yourself' 3: with noise 1e-2 and 1e-1 (seed 0) the final loss stays within 0.001 of the
    constant net's 0.277; with 0.3 it leaves it for each of seeds 0-4; at 1e-1 seeds 0-4 differ (one leaves)."""
    run = _tutorial_4_train()
    X, y = data.moons(200, noise=0.1, rng=0)
    run["X"], run["targets"] = X, y.reshape(-1, 1).astype(np.float32)
    const = run["train"](init.get("constant", value=0.5))[0][-1]
    cell = _cell("04_why_not_zeros", "def nudged_constant").split("\ndef train")[0]

    @functools.cache  # final(1e-1, 0) is asked for twice: once alone, once as seed 0 of 0.1
    def final(noise, seed):
        space = {"np": np}
        exec(cell.replace("1e-4", repr(noise)), space)
        return run["train"](space["nudged_constant"], seed=seed)[0][-1]

    assert round(const, 3) == 0.277
    assert abs(final(1e-2, 0) - const) < 1e-3 and abs(final(1e-1, 0) - const) < 1e-3
    assert all(final(0.3, seed) < 0.05 for seed in range(5))
    assert sum(final(0.1, seed) < 0.1 for seed in range(5)) == 1


def test_tutorial_2_tanh_chain_best_w_is_below_one():
    """Tutorial 2, section 5 and 'Try it yourself' 3: of w = 0.5, 1, 2, 4 the tanh chain keeps the most gradient at
    w = 1, but scanning w in steps of 0.01 the best is 0.98 (x0 = 0.5, depth 30); even it keeps under a tenth."""
    def chain_grad(w, depth=30, x0=0.5):  # the notebook's chain_grad, by the chain rule: prod w (1 - v_k^2)
        v, grad = x0, 1.0
        for _ in range(depth):
            v = math.tanh(w * v)
            grad *= w * (1 - v * v)
        return abs(grad)

    ws = np.round(np.arange(0.5, 2.0001, 0.01), 2)
    grads = [chain_grad(w) for w in ws]
    assert max((0.5, 1.0, 2.0, 4.0), key=chain_grad) == 1.0
    assert ws[int(np.argmax(grads))] == 0.98 and max(grads) < 0.1 and max(grads) > 1.05 * chain_grad(1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tutorial_2_layer_gains_over_seeds_and_with_cs231n(seed):
    """Tutorial 2, section 6, for seeds 0-2 of its one generator: every W gain within 0.005 of 0.01 sqrt(500), the f
    gain 0.956 at layer 1 and within 1% of 1 at layers 2-9, the product 1.4e-6 and the output's std below 1e-6;
    'Try it yourself' 2: with `cs231n` the W gain is within 1% of 1 and the f gain below 1 at every layer. The prompt
    asked 'which one is below 1?', but the W gain falls below 1 too, at 6 or 7 of its 9 layers for each seed (0.994 at
    worst): it asks which one stays within 1% of 1 and which one shrinks the gradient."""
    from tinygrad_init import ledger

    def gains(scheme):
        rng = np.random.default_rng(seed)
        modules = []
        for _ in range(10):
            modules += [nn.Linear(500, 500, init=scheme, bias=False, rng=rng), nn.Tanh()]
        model = nn.Sequential(*modules)
        out = model(Tensor(rng.standard_normal((1000, 500)).astype(np.float32)))
        with ledger.record() as steps:
            out.backward(rng.standard_normal(out.shape).astype(np.float32))
        return ledger.layer_gains(steps), out.data.std()

    with threadpool_limits(1, user_api="blas"):
        small, out_std = gains("small")
        cs231n, _ = gains("cs231n")
    assert all(abs(g.linear_gain - 0.01 * math.sqrt(500)) < 0.005 for g in small[1:])
    assert round(small[0].activation_gain, 3) == 0.956 and all(abs(g.activation_gain - 1) < 0.01 for g in small[1:-1])
    assert round(small.product(), 7) == 1.4e-6 and out_std < 1e-6
    assert abs(small[-1].grad_out / math.sqrt(1000 * 500) - 1) < 0.002       # 707, the norm of the seed G (706-708)
    assert all(abs(g.linear_gain - 1) < 0.01 for g in cs231n[1:]) and all(g.activation_gain < 1 for g in cs231n[:-1])
    assert any(g.linear_gain < 1 for g in cs231n[1:])                       # so 'which one is below 1?' has two answers
    source = (Path(__file__).parents[2] / "tutorials" / "02_backprop_chain.py").read_text(encoding="utf-8")
    prompt = " ".join(source.split("# 2. In section 6 replace")[1].split("# 3.")[0].replace("#", " ").split())
    assert "within 1% of 1" in prompt and "is below 1" not in prompt, prompt


def test_tutorial_5_try_it_scales_and_the_sigmoid():
    """Tutorial 5, 'Try it yourself' 1 and 2 with the notebook's `cs231n_net` (seed 0): scale 0.1 keeps the std
    within 3% from layer 2 on (about 0.77, 12% of layer 10 saturated), scale 0.05 (near 1/sqrt(500)) loses about
    half of it from layer 1 to 10; with the sigmoid at 0.01 the std does not collapse (about 0.028 from layer 2 on,
    0.01 sqrt(500) x 1/2 x 1/4), because sigma(0) = 1/2 keeps E[h^2] near 1/4."""
    cell, run, sigmoid = _cell("05_small_and_large", "gen = np.random.default_rng(0)"), {"np": np}, {"np": np}
    exec(cell, run)
    exec(cell.replace("np.tanh(hs[-1] @ W)", "1 / (1 + np.exp(-(hs[-1] @ W)))"), sigmoid)
    with threadpool_limits(1, user_api="blas"):
        std = {s: np.array([h.std(dtype=np.float64) for h in run["cs231n_net"](s)[1][1:]]) for s in (0.05, 0.1)}
        h10 = run["cs231n_net"](0.1)[1][10]
        sig = [h.std(dtype=np.float64) for h in sigmoid["cs231n_net"](0.01)[1][2:]]
    assert std[0.1][1:].max() / std[0.1][1:].min() < 1.03 and round(np.mean(np.abs(h10) > 0.99), 2) == 0.12
    assert round(std[0.05][-1] / std[0.05][0], 1) == 0.5
    assert all(abs(s / (0.01 * math.sqrt(500) / 8) - 1) < 0.1 for s in sig)


def test_tutorial_3_moons_are_learned_from_every_seed():
    """Tutorial 3, section 6: the 2-16-16-1 tanh MLP classifies all 200 training moons after 300 steps, final loss
    below 0.02, for each of the moons rng 0-9 with each of the nets rng 0-9. The notebook's own cell runs (its
    assert kept), with its two seeds moved. And 'Try it yourself' 1: unbroadcast of (2, 4, 3) to (4, 1) sums the
    first axis away and the last with keepdims."""
    from tinygrad_init.data import moons
    from tinygrad_init.tensor import unbroadcast

    cell = _cell("03_tensors_and_layers", "X, y = moons(200, noise=0.1, rng=0)")
    assert cell.count("rng=0)") == 2 and "noise=0.1, rng=0)" in cell and '"tanh", rng=0)' in cell
    for data_seed in range(10):
        for net_seed in range(10):
            run = {"np": np, "moons": moons, "nn": nn, "SGD": SGD, "Tensor": Tensor, "no_grad": no_grad}
            exec(cell.replace("noise=0.1, rng=0)", f"noise=0.1, rng={data_seed})")
                 .replace('"tanh", rng=0)', f'"tanh", rng={net_seed})').replace("print(", "(lambda *a: a)("), run)
            assert run["accuracy"] == 1.0 and run["history"][-1] < 0.02
    G = np.arange(24.0).reshape(2, 4, 3)
    assert np.array_equal(unbroadcast(G, (4, 1)), G.sum(axis=(0, 2))[:, None])


def test_tutorial_4_try_it_sigmoid_zeros_and_random_biases():
    """Tutorial 4, 'Try it yourself' 1 and 2: the sigmoid zero net's first layer gets no gradient at its first step,
    moves from the second on, its columns equal; constant weights with random biases (std 0.5) end training with 8
    distinct units and a lower loss than the constant net."""
    run = _tutorial_4_train()
    X, y = data.moons(200, noise=0.1, rng=0)
    run["X"], run["targets"] = X, y.reshape(-1, 1).astype(np.float32)
    sig = nn.MLP([2, 4, 1], activation="sigmoid", init="zeros", rng=0)
    opt, grads = SGD(sig.parameters(), lr=0.5), []
    for _ in range(3):
        opt.zero_grad()
        nn.binary_cross_entropy_with_logits(sig(Tensor(X[:5])), run["targets"][:5]).backward()
        grads.append(sig.layers[0].weight.grad.copy())
        opt.step()
    W = sig.layers[0].weight.data
    assert np.all(grads[0] == 0) and np.all(grads[1] != 0) and np.all(W == W[:, :1]) and np.all(W != 0)
    cell = _cell("04_why_not_zeros", "def nudged_constant").split("\nruns = ")[0]
    assert "init=scheme, rng=seed)" in cell
    biased = {**run, "init": init}
    exec(cell.replace("init=scheme, rng=seed)", 'init=scheme, bias_init=init.get("normal", std=0.5), rng=seed)'),
         biased)
    loss, _, units = biased["train"](init.get("constant", value=0.5))
    assert units == 8 and loss[-1] < run["train"](init.get("constant", value=0.5))[0][-1] - 0.02


def test_tutorial_6_try_it_centred_sigmoid_with_the_4x_rule():
    """Tutorial 6, 'Try it yourself' 4: with each sigmoid layer's output centred, h - 1/2, the 4x rule's gradient
    shrinks by about 0.885 per layer (not 0.62), close to tanh with Xavier's 0.90: 4 (sigma(z) - 1/2) = 2 tanh(z/2)
    has slope 1 at 0. The notebook's `sigmoid_net`, edited as the student would, for seeds 0-2.
    The prompt gives both edited lines: the forward edit alone left the backward's sigma' = h (1 - h) reading the
    centred h, a wrong gradient without an error (0.69 per layer at seed 0)."""
    cell = _cell("06_xavier", "gen = np.random.default_rng(0)").split("\nwith threadpool_limits")[0]
    prompt = _prose("06_xavier").split("4. In section 7, subtract the mean")[1].split("## What to remember")[0]
    new_forward, new_backward = re.findall(r"`(hs\.append\(.*?\)|g = \(g .*?\.T)`", prompt)
    forward, backward = "hs.append(1 / (1 + np.exp(-(hs[-1] @ W))))", "g = (g * hs[l + 1] * (1 - hs[l + 1])) @ Ws[l].T"
    assert forward in cell and backward in cell
    tanh = theory.predict([500] * 11, "tanh", "xavier_uniform").grad_act_std
    for seed in range(3):
        per_layer = {}
        for edit, source in (("both", cell.replace(forward, new_forward).replace(backward, new_backward)),
                             ("forward only", cell.replace(forward, new_forward))):
            run = {"np": np}
            exec(source.replace("default_rng(0)", f"default_rng({seed})"), run)
            with threadpool_limits(1, user_api="blas"):
                _, grad = run["sigmoid_net"](4.0)
            per_layer[edit] = (grad[0] / grad[-1]) ** (1 / 9)
        assert abs(per_layer["both"] - 0.885) < 0.005
        assert abs(per_layer["both"] - (tanh[0] / tanh[-1]) ** (1 / 9)) < 0.02
        assert round(per_layer["forward only"], 2) == 0.69         # the prompt's warning


def _prose(tutorial: str) -> str:
    """The markdown of `tutorials/<tutorial>.py` (its `# ` lines), on one line: a phrase broken over lines is found."""
    source = (Path(__file__).parents[2] / "tutorials" / f"{tutorial}.py").read_text(encoding="utf-8")
    return " ".join(" ".join(line[2:] for line in source.splitlines() if line.startswith("# ")).split())


def test_tutorial_9_comparison_figures_are_as_the_prose_describes_them():
    """Tutorial 9, section 6: the prose said 'The figure: a row per run, the activations at the first step,
    update:data and the saturated fraction over time', under `cmp.figure()`, which draws a column per run and the
    first step only (h, dL/dh, dL/dW); the notebook now shows both parts, and the prose says which is which."""
    text = _prose("09_diagnosing_training")
    assert "The figures have a column per run. The first shows the first step, a row per kind" in text
    assert "The second is the training: update:data, the saturated fraction and the colorful dimension" in text
    assert 'cmp.figure("training")' in _cell("09_diagnosing_training", 'cmp.figure("training")')
    cmp = diagnostics.compare_inits(rng=0, depth=2, width=8, steps=2, lr=0.03)
    rows = {}
    for part, figure in (("first_step", cmp.figure()), ("training", cmp.figure("training"))):
        assert [ax.get_title() for ax in figure.axes[:3]] == ["poor init", "good init", "batch norm"]
        rows[part] = [ax.get_ylabel().split("\n")[0] for ax in figure.axes[::3]]
    assert rows == {"first_step": ["h", "dL/dh", "dL/dW"], "training": ["log10", "saturated %", "h over time"]}


def test_tutorial_12_symmetric_is_std_zero_not_alike_units():
    """Tutorial 12 gave the verdict's rule 1 as 'every unit of layer 1 alike (std exactly 0, as with zero init)';
    a constant init makes every unit alike, yet its std is not 0 and the verdict comes from the other rules (tanh
    with weights 0.5 saturates; 0.01 vanishes). The prose now says rule 1 needs the examples alike too."""
    text = _prose("12_init_explorer")
    assert "1. layer 1's activations all one number, std exactly 0 (as with zero init)" in text
    assert 'gets its word from the rules below (tanh with every weight 0.5: "saturates")' in text
    x = np.random.default_rng(0).standard_normal((128, 100))
    for value, word in ((0.5, "saturates"), (0.01, "vanishes"), (0.0, "symmetric")):
        model = experiments.deep_mlp(4, 100, "tanh", init=init.get("constant", value=value), rng=0)
        table = probe_model(model, x, rng=1, columns=["act_std", "grad_act_std", "saturated"])
        assert experiments.judge(table.column("act_std"), table.column("grad_act_std"), table.column("saturated"),
                                 "tanh") == word


def test_tutorial_6_try_it_tanh_gain_is_measured_the_way_the_prose_says():
    """Tutorial 6, 'Try it yourself' 1 (Xavier with tanh's gain 5/3): it said 'in section 4 ... then measure', where
    `run_sweep` refuses a Scheme (it takes names); it now names a route that runs, deep_mlp and probe_model. Measured
    for rng 0-4: the std no longer decays to 0, it settles at 0.65 (within 2% of theory.predict at every layer,
    layers 6-10 within 1% of each other); 11% of layer 1 and 1.4-1.6% of layers 6-10 saturate (|h| > 0.99)."""
    text = _prose("06_xavier")
    assert ('`experiments.deep_mlp(10, 500, "tanh", init=scheme, rng=0)` and give it to `probe_model`' in text
            and "`np.random.default_rng(0).standard_normal((1000, 500))`" in text)
    scheme = init.get("xavier_uniform", gain=5 / 3)
    with pytest.raises(TypeError, match="a scheme must be a name"):
        experiments.run_sweep((scheme,), ("tanh",))
    predicted = theory.predict([500] * 11, "tanh", scheme).act_std
    for seed in range(5):
        model = experiments.deep_mlp(10, 500, "tanh", init=scheme, rng=seed)
        x = np.random.default_rng(seed).standard_normal((1000, 500))
        table = probe_model(model, x, columns=["layer", "act_std", "saturated"])
        std, saturated = np.array(table.column("act_std")), np.array(table.column("saturated"))
        assert np.allclose(std, predicted, rtol=0.02) and std[5:].max() / std[5:].min() < 1.01
        assert round(std[-1], 2) == 0.65 and round(saturated[0], 2) == 0.11
        assert np.all((0.013 < saturated[5:]) & (saturated[5:] < 0.017))


def test_tutorial_7_try_it_leaky_relu_and_lecun():
    """Tutorial 7, 'Try it yourself' 1 and 3: leaky ReLU keeps (1 + a^2) / 2 of the second moment, so the variance
    2 / ((1 + a^2) n) keeps the signal, calculate_gain's sqrt(2 / (1 + a^2)); at 20 layers LeCun's init (half of
    He's variance) sits between: all its nets leave ln 2, each panel's median later than He's."""
    z = np.random.default_rng(0).standard_normal(1_000_000)
    for a in (0.1, 0.3):
        m = theory.activation_moments("leaky_relu", 1.0, negative_slope=a)
        assert abs(m.second - (1 + a * a) / 2) < 1e-12
        assert abs(np.mean(np.where(z > 0, z, a * z) ** 2) / m.second - 1) < 0.01
        assert abs(init.calculate_gain("leaky_relu", a) - math.sqrt(2 / (1 + a * a))) < 1e-12
    result = experiments.depth(schemes=("he_normal", "lecun_normal"), layers=(20,))
    rows = {(r["momentum"], r["init"]): r for r in result.table.rows}
    assert all(r["left_ln2"] == r["networks"] == 5 for r in rows.values())
    for momentum in (0.0, 0.9):
        assert rows[momentum, "lecun_normal"]["median_step_below_half_ln2"] > rows[momentum, "he_normal"][
            "median_step_below_half_ln2"]


def test_tutorial_11_try_also_larger_bias_and_orthogonal_mean_square():
    """Tutorial 11, 'Try also' 1 and 2: at sigma_b^2 = 0.05 (critical sigma_w^2 1.76) orthogonal tanh no longer stays
    near 1 at depth 32 (its spread past 10, under a fifth of its singular values between 0.5 and 2), for rng 0-2;
    section 3 with orthogonal=True keeps the mean square within a third of chi_1^L, as Gaussian weights do."""
    for rng in range(3):
        r = spectra.jacobian_spectra(depths=(2, 8, 32), width=100, networks=2, sigma_b2=0.05, rng=rng)[
            "tanh, orthogonal"]
        s = np.array(r["singular_values"][-1])
        assert round(r["sigma_w2"], 2) == 1.76 and r["spread"][-1] > 10 and np.mean((s > 0.5) & (s < 2)) < 0.2
    cell = _cell("11_jacobian_spectra", "def mean_sq(")
    run = {"np": np, "math": math, "spectra": spectra, "theory": theory, "Tensor": Tensor}
    exec(cell.split("\ndepths = ")[0], run)
    for sw in (1.5, 3.0):
        chi = theory.fixed_point("tanh", sw, 0.05).chi
        for L in (2, 4, 8, 12):
            m = np.mean([run["mean_sq"](L, sw, 0.05, 200, [seed, L], orthogonal=True) for seed in range(4)])
            assert 0.75 < m / chi ** L < 1.33


def test_tutorial_8_batch_norm_saturation_over_ten_seeds():
    """Tutorial 8, section 4, over rng 0-9 of the lab's draws: with batch norm the tanh nets (both scales) saturate
    at most 0.70-0.83% of any layer (N(0, 1): 0.8%), the activation's input has std 1 within 2%, no ReLU unit is
    dead, and the large init without batch norm saturates over 75% of a layer."""
    worst = []
    for rng in range(10):
        rows = experiments.batch_norm(rng=rng, quick=True, activations=("tanh", "relu")).table.rows
        worst.append(max(r["bn_saturated_or_dead"] for r in rows if r["activation"] == "tanh"))
        assert all(abs(r["bn_pre_std"] - 1) < 0.02 for r in rows)
        assert all(r["bn_saturated_or_dead"] == 0 for r in rows if r["activation"] == "relu")
        plain = [r["plain_saturated_or_dead"] for r in rows if r["scheme"] == "large" and r["activation"] == "tanh"]
        assert max(plain) > 0.75
    assert (round(100 * min(worst), 2), round(100 * max(worst), 2)) == (0.70, 0.83)


@pytest.mark.xdist_group(HE_ET_AL)
def test_tutorial_7_momentum_caveat_over_the_full_1200_steps():
    """Tutorial 7, the momentum caveat's 'Run experiments.depth(rng=0) and see': over the full 1,200 steps with plain
    SGD no 30-layer Xavier net dips below ln 2 / 2 and every He net leaves, in both panels; with momentum some of the
    five Xavier nets dip below it, seed 4 among them. How many, and whether they stay down, is chaotic: measured, 4
    dip and all 4 stay down (Haswell), 3 dip and none stays (SkylakeX, all end at 0.66 or above), 2 dip and seed 4
    stays (Sandybridge), 2 dip and both stay (Prescott)."""
    # experiments.depth(rng=0), shared with the He et al. tests of tests/lab/test_experiments.py: its 30-layer rows and
    # panels are those of depth(rng=0, layers=(30,)), number for number (each net trains on its own)
    result = he_et_al_run()
    assert result.settings["steps"] == 1200
    left = {(r["momentum"], r["init"]): r["left_ln2"] for r in result.table.rows if r["layers"] == 30}
    assert left[0.0, "xavier_uniform"] == 0 and left[0.0, "he_normal"] == left[0.9, "he_normal"] == 5
    assert 2 <= left[0.9, "xavier_uniform"] <= 4
    loss = np.array(result.data["xavier_uniform"]["panels"]["30 layers, momentum 0.9, lr 0.003"]["loss"])
    assert loss[4].min() < LN2 / 2


def test_tutorial_1_try_it_relu_xor_learning_rates():
    """Tutorial 1, 'Try it yourself' 3: the notebook's XOR net (rng=1) with activation="relu" learns at learning
    rates 0.01 to 0.1 within the 150 steps, and not at 0.2: the loss stays at 4, every hidden unit dead."""
    X, T = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [-1.0, 1.0, 1.0, -1.0]

    def train(lr):
        model, losses = scalar_nn.MLP(2, [4, 1], activation="relu", rng=1), []
        for _ in range(150):
            loss = Value.sum([(model(x) - t) ** 2 for x, t in zip(X, T)])
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= lr * p.grad
            losses.append(loss.data)
        learned = all((model(x).data > 0) == (t > 0) for x, t in zip(X, T)) and losses[-1] < 0.1 * losses[0]
        return model, learned, losses[-1]

    assert all(train(lr)[1] for lr in (0.01, 0.02, 0.05, 0.1))
    model, learned, final = train(0.2)
    assert not learned and round(final, 6) == 4.0
    assert all(h.data == 0 for x in X for h in model.layers[0](x))


def test_tutorial_5_large_init_half_of_z_beyond_15():
    """Tutorial 5, section 2: with `1.0 * randn` half of the pre-activations |z| lie beyond 15 (0.674 x 22, the median
    of |z| for a Gaussian of std 22) at every layer, for each of seeds 0-9 of the lab's draws; the prose said '|z|
    typically near 20' (the mean of |z| is 17.5-17.9, its median 14.7-15.1)."""
    assert "Half of the $|z|$ lie beyond $0.674 \\times 22 = 15$" in _prose("05_small_and_large")
    medians = []
    for seed in range(10):  # tutorial 5's cs231n_net(1.0): the lab's draws
        gen = np.random.default_rng(seed)
        h = gen.standard_normal((1000, 500)).astype(np.float32)
        gen.standard_normal((1000, 500))  # the upstream gradient
        wgen = np.random.default_rng(int(gen.integers(0, 2**63 - 1)))
        with threadpool_limits(1, user_api="blas"):
            for _ in range(10):
                z = h @ wgen.standard_normal((500, 500)).astype(np.float32)
                medians.append(np.median(np.abs(z)))
                h = np.tanh(z)
    assert round(min(medians)) == round(max(medians)) == 15


def test_tutorial_8_try_it_batch_norm_after_the_activation():
    """Tutorial 8, 'Try it yourself' 1 asked to put batch norm after the activation without saying how (section 5
    builds its bodies with `experiments.deep_mlp`, which puts it before); its prose now gives the lines. Run as
    written with the notebook's `make` and `train`, they give blocks Linear -> ReLU -> BatchNorm1d, and seed 0 leaves
    ln 2 either way, when depends on the machine's arithmetic (the runs are chaotic: steps 93 before, 38 after here;
    under the SkylakeX, Haswell, Sandybridge, Nehalem and Prescott kernels with numpy's AVX-512, AVX2 or SSE4.2 loops,
    14 settings, 25-158 before and 38-213 after, 213 with numpy's AVX2 loops and the Sandybridge kernel, so the
    assert takes below 250)."""
    namespace = {"np": np, "nn": nn, "Tensor": Tensor, "experiments": experiments, "SGD": SGD, "moons": data.moons}
    exec(_cell("08_batchnorm", "X, y = moons(64").split("\ncases = {")[0], namespace)   # X, targets, make, train
    hint = r"`(body = [^`]+|after = [^`]+|nn\.Sequential\(after[^`]+)`"
    body, after, model = re.findall(hint, _prose("08_batchnorm"))
    exec(body, namespace)
    exec(after, namespace)
    assert [type(m).__name__ for m in namespace["after"]] == ["Linear", "ReLU", "BatchNorm1d"] * 30
    for net in (namespace["make"]("relu", "xavier_uniform", 30, True, seed=0), eval(model, namespace)):
        # the steps after 249 cannot change the first below ln 2 / 2 before step 250: the notebook's train(net, 249)
        # gives steps 0-249 of train(net)'s 0-300, the same numbers
        loss = namespace["train"](net, 249)
        assert len(loss) == 250 and loss.min() < LN2 / 2 and np.argmax(loss < LN2 / 2) < 250


def test_tutorial_5_try_it_entries_that_pass_the_gradient():
    """Tutorial 5, 'Try it yourself' 3 asked for 'the layer-1 units of the large init that pass the most gradient: are
    they the ones with the smallest |z|?'; averaged over the batch a unit's |z| barely tells (the correlation of a
    unit's mean |dL/dz_1| with its mean |z_1| is -0.16 to -0.30 over seeds 0-9), an entry's does. The prompt asks
    for entries now, and says where dL/dz_1 is: with the notebook's `cs231n_net` and `backward` so edited, the 7% of
    entries with |z_1| < 2 carry 99.8% of the squared gradient, for each of seeds 0-9 of the lab's draws."""
    assert "(The last `gz` of `backward`'s loop is $\\partial L/\\partial z_1$: return it too." in _prose(
        "05_small_and_large")
    net = _cell("05_small_and_large", "gen = np.random.default_rng(0)")
    back = _cell("05_small_and_large", "def backward(Ws, hs):").split("\n\n\nwith ")[0]
    back = back.replace("    return np.array(grad_h), np.array(grad_z), np.array(grad_W)", "    return gz")
    assert back.endswith("return gz")
    share, count, corr = [], [], []
    for seed in range(10):
        namespace = {"np": np}
        exec(net.replace("default_rng(0)", f"default_rng({seed})") + "\n" + back, namespace)
        with threadpool_limits(1, user_api="blas"):
            Ws, hs = namespace["cs231n_net"](1.0)
            gz, z = np.abs(namespace["backward"](Ws, hs)), np.abs(namespace["X"] @ Ws[0])
        share.append(np.sum(gz[z < 2] ** 2) / np.sum(gz ** 2))
        count.append(np.mean(z < 2))
        corr.append(np.corrcoef(gz.mean(axis=0), z.mean(axis=0))[0, 1])
    assert min(share) > 0.995 and round(min(count), 2) == round(max(count), 2) == 0.07  # 99.79-99.82% measured
    assert -0.35 < min(corr) and max(corr) < -0.1  # -0.303 to -0.156 measured: weak, through ten saturated layers


def test_tutorial_6_square_layers_name_the_std_the_cell_prints():
    """Tutorial 6, section 3: 'For the square layers of most lecture examples, all three are the same, $1/n$:' above
    a cell that prints each scheme's std for a 500 x 500 weight, 0.04472, which is not 1/500: 1/n is the variance."""
    assert "all three are the same, a variance of $1/n$ (a std of $1/\\sqrt{500} = 0.04472$ for 500 units):" in _prose(
        "06_xavier")
    schemes = [init.get("lecun_normal"), init.get("variance_scaling", scale=1.0, mode="fan_out"),
               init.get("xavier_normal")]  # the cell's three
    assert {round(s.std(500, 500), 5) for s in schemes} == {round(1 / math.sqrt(500), 5)} == {0.04472}


def test_tutorial_7_try_it_biased_relu_net_is_not_homogeneous():
    """Tutorial 7, 'Try it yourself' 2 said to build the network with `deep_mlp(..., bias=True)` 'and set the biases',
    which a Sequential offers no one way to do (it has no `linears()`); the prompt gives the code, `bias_init` and
    `probe_model`, run here as written for seeds 0-2: with a bias of 0.1, std Xavier / std He is 2^(-1/2) at layer 1
    (within 2%) and 4.0-4.2 times 2^(-5) at layer 10: the bias does not scale with the weights."""
    source = (Path(__file__).parents[2] / "tutorials" / "07_relu_and_he.py").read_text(encoding="utf-8")
    block = source.split("#    ```python\n")[1].split("#    ```\n")[0]
    code = "\n".join(line[5:] for line in block.splitlines())
    for seed in range(3):
        std = {}
        for scheme in ("cs231n", "he_normal"):
            run = {"np": np, "experiments": experiments, "init": init, "scheme": scheme}
            exec(code.replace("rng=0", f"rng={seed}"), run)
            std[scheme] = np.array(run["stats"].column("act_std"))
        off = std["cs231n"] / std["he_normal"] / 2.0 ** (-np.arange(1, 11) / 2)
        assert abs(off[0] - 1) < 0.02 and 3.9 < off[-1] < 4.3 and np.all(np.diff(off) > 0)


def test_tutorial_9_try_also_relu_with_he_dead_fraction():
    """Tutorial 9, 'Try also' 2 said to put ReLU in `make`, 'use He's init' and look at `diag.plot("fractions")`:
    section 5's `diag` is the tanh-gain run, and run again it stays so. The prompt gives the `fit` line; run as written
    (the first cell with nn.ReLU), no unit of layer 1 is dead and 3% to 23% of layers 2-5 are, over the 150 steps and
    seeds 0-2 of the network (rng of fit 1-3), the loss falling from about 1.2 to about 0.75."""
    prompt = _prose("09_diagnosing_training").split("2. Replace `nn.Tanh()` by `nn.ReLU()`")[1]
    fit_line = re.search(r"`(losses_relu, diag_relu = diagnostics\.fit\(.*?\))`", prompt).group(1)
    cell = _cell("09_diagnosing_training", "# %matplotlib inline")
    assert cell.count("nn.Tanh()") == 1
    for seed in range(3):
        run = {}
        exec(cell.replace("nn.Tanh()", "nn.ReLU()"), run)
        exec(fit_line.replace('"he_normal")', f'"he_normal", rng={seed})').replace("rng=1,", f"rng={seed + 1},"), run)
        diag = run["diag_relu"]
        dead = np.array([diag.series("fraction", n) for n in diag.layers])       # (layer, recorded step)
        assert dead.shape[0] == 5 and np.all(dead[0] == 0) and 0.02 < dead[1:].min() and dead[1:].max() < 0.25
        assert np.mean(run["losses_relu"][-10:]) < 0.8 < 1.1 < run["losses_relu"][0]
        title = diag.plot("fractions").axes[0].get_title()
        assert title.startswith("saturated (tanh, sigmoid: within 0.03 of a limit) or dead")


def test_tutorial_10_quadrature_accuracy_is_what_the_prose_says():
    """Tutorial 10 says what its 101-point Gauss-Hermite `expect` is: exact for polynomials up to degree 201, within
    1e-6 of the integral of tanh^2 and tanh'^2 up to q = 2, within a few 1e-3 at q = 10 (5e-4 and 3.6e-3; a fine
    trapezoid rule on +-12 standard deviations is the reference)."""
    from numpy.polynomial.hermite_e import hermegauss

    assert "exact for every polynomial up to degree 201" in _prose("10_edge_of_chaos")
    nodes, weights = hermegauss(101)
    weights = weights / math.sqrt(2 * math.pi)
    z = np.linspace(-12, 12, 1_200_001)
    density = np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    for f in (lambda u: np.tanh(u) ** 2, lambda u: (1 - np.tanh(u) ** 2) ** 2):
        def error(q):
            return abs(weights @ f(math.sqrt(q) * nodes) - np.trapezoid(f(math.sqrt(q) * z) * density, z))
        assert all(error(q) < 1e-6 for q in (0.418, 1.0, 2.0)) and 1e-4 < error(10.0) < 5e-3
    assert abs(weights @ nodes ** 200 - math.prod(range(1, 200, 2))) / math.prod(range(1, 200, 2)) < 1e-9


def test_try_its_that_ask_a_question_lead_to_their_answer():
    """The 'Try it yourself' prompts that no other test runs, run as written: tutorial 2's `c = a * b * b` gives two
    paths from L to b, whose products sum to b.grad; tutorial 3's `unbroadcast` of a (2, 4, 3) gradient to (4, 1)
    sums six entries into each; tutorial 6's inputs of mean 1 (section 1) break Var(w x) = Var(w) Var(x), and the
    simulation measures E[x^2] / Var(x) = 5/4 of the prediction; tutorial 10's c = 0.9 at the critical sigma_w^2
    creeps towards 1 (0.93 after 30 layers, where the ordered sigma_w^2 = 1 reaches 1); tutorial 12's page calls
    ReLU with `randn` weights 'explodes' (only that), and theory.predict gives its std a factor sqrt(50) per layer."""
    from tinygrad_init.ledger import path_products
    from tinygrad_init.tensor import unbroadcast

    a, b = Value(1.5, label="a"), Value(-0.5, label="b")
    L = (a * b * b + a).tanh()
    L.backward()
    paths = path_products(L, b)
    assert len(paths) == 2 and abs(paths.total - b.grad) < 1e-12

    assert np.array_equal(unbroadcast(np.ones((2, 4, 3)), (4, 1)), np.full((4, 1), 6.0))

    rng = np.random.default_rng(0)                          # tutorial 6, section 1, with x = 2 randn + 1
    for n in (10, 100, 1000):
        x = 2.0 * rng.standard_normal((2000, n)) + 1.0
        for std_w in (0.01, 1 / np.sqrt(n)):
            y = x @ (std_w * rng.standard_normal((n, 500)))
            assert abs(y.var() / (n * std_w ** 2 * 4.0) - 1.25) < 0.05

    sb = 0.05
    def after_30(sw):
        q, c = theory.fixed_point("tanh", sw, sb).q, 0.9
        for _ in range(30):
            c = min(theory.correlation_map("tanh", c, sw, sb, q=q), 1.0)
        return c
    assert after_30(1.0) > 0.999 and round(after_30(theory.critical_sigma_w2("tanh", sb)), 2) == 0.93

    page = explorer.explore(grid={"activation": ("tanh", "sigmoid", "relu"),
                                  "scheme": ("small", "xavier_normal", "he_normal", "large"),
                                  "gain": (1.0,), "depth": (4, 12), "width": (100,)}, rng=0)
    assert sorted(k for k, v in page.data.items() if v["verdict"] == "explodes") == [
        "relu|large|1|12|100", "relu|large|1|4|100"]
    std = theory.predict([100] * 5, "relu", 1.0).act_std
    assert np.allclose(std[1:] / std[:-1], np.sqrt(50))


def test_tutorial_10_trainability_spread_over_seeds_is_stated():
    """Tutorial 10, section 8: the prose said 'more than 90% of the networks shallower than 6 xi_c reach the accuracy
    halfway from chance to 1, and fewer than 5% of the deeper ones do', read off the shipped heatmap, one network per
    cell (rng 0: 64 of 68 and 1 of 31, which the notebook's cell asserts). Other seeds of the same command miss both
    figures: `spectra.trainability(rng=s)` (48 s each, too long to rerun here) trains 61-63 of the 68 shallower
    networks and 0-2 of the 31 deeper ones over s = 1-9 under OpenBLAS's SkylakeX kernels, which made the shipped file
    (seed 4: 61 of 68, 89.7%; seed 5: 2 of 31, 6.5%; under the Haswell kernels seeds 4 and 5 give 62 and 63 of 68, 1
    and 2 of 31), and the most depths train at sigma_w^2 = 1.5, 1.76 and 2 in every one, as in the shipped run."""
    text = _prose("10_edge_of_chaos")
    assert "more than 90% of the networks shallower" not in text and "fewer than 5% of the deeper ones" not in text
    assert ("in the shipped run 64 of the 68 networks shallower than $6\\xi_c$ (94%) reach the accuracy halfway from "
            "chance to 1, and 1 of the 31 deeper ones (3%)") in text
    assert ("over seeds 1 to 9 (`tinygrad-init chaos --seed 1` to `--seed 9`) 61 to 63 of the 68 train and 0 to 2 of "
            "the 31, about nine in ten against a few percent, so neither \"over 90%\" nor \"under 5%\" holds for "
            "every seed") in text
    assert "the most depths train at $\\sigma_w^2$ = 1.5, 1.76 and 2" in text


def test_tutorial_12_relu_xavier_kept_std_against_the_theory_over_ten_seeds():
    """Tutorial 12, prediction 2: its check was `2 ** -1.5 > 0.1 > 2 ** -5.5`, constants that cannot fail, beside the
    prose's (1/sqrt 2)^3 = 0.35 and (1/sqrt 2)^11 = 0.022. The page's networks keep 0.354 of layer 1's std at 4 layers
    and 0.013 at 12 (0.57 times the theory), which the notebook now asserts; ten networks from other seeds keep
    0.90-1.16 times (1/sqrt 2)^3 at 4 layers and 0.66-1.49 times (1/sqrt 2)^11 at 12, on the page's side of tenfold."""
    kept = {depth: [] for depth in (4, 12)}
    for s in range(10):
        for depth in kept:
            e = explorer.measure("relu", "xavier_normal", 1.0, depth, 100, rng=1000 + s)
            kept[depth].append(e["std"][-1] / e["std"][0] / 2 ** (-(depth - 1) / 2))
    assert (round(min(kept[4]), 2), round(max(kept[4]), 2)) == (0.90, 1.16)
    assert (round(min(kept[12]), 2), round(max(kept[12]), 2)) == (0.66, 1.49)
    assert all(k * 2 ** -1.5 > 0.1 for k in kept[4]) and all(k * 2 ** -5.5 < 0.1 for k in kept[12])
    assert ("over ten networks from other seeds 0.90 to 1.16 times it at 4 layers and 0.66 to 1.49 times at 12"
            in _prose("12_init_explorer"))
