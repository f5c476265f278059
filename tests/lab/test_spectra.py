"""Signal propagation measured with the engine: networks, correlations, trainability, Jacobian spectra."""

from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from tinygrad_init import Tensor, nn, theory
from tinygrad_init.lab import spectra as S
from tinygrad_init.utils import format_number
from lab.test_report import assert_slide_ready


def test_network_weights_and_shapes():
    net = S.network(3, 200, "tanh", 2.0, 0.04, inputs=10, outputs=4, rng=0)
    lins = [m for m in net if isinstance(m, nn.Linear)]
    assert [l.weight.shape for l in lins] == [(10, 200), (200, 200), (200, 200), (200, 4)]
    assert sum(isinstance(m, nn.Tanh) for m in net) == 3 and not isinstance(net[-1], nn.Tanh)
    assert lins[1].weight.data.var() * 200 == pytest.approx(2.0, rel=0.02)
    assert lins[1].bias.data.std() == pytest.approx(0.2, rel=0.15)
    w = S.network(1, 64, "relu", 2.0, orthogonal=True, rng=1)[0].weight.data
    np.testing.assert_allclose(w.T @ w, 2.0 * np.eye(64), atol=1e-12)


def test_orthogonal_network_has_fan_in_var_sigma_w2_in_every_layer():
    # the docstring's Var(W) = sigma_w^2 / fan_in: a first layer from 16 inputs to 64 units had a quarter of it
    # (orthogonal's gain^2 / max(fan_in, fan_out)), a network in another phase than the sigma_w^2 asked for
    lins = [m for m in S.network(2, 64, "tanh", 2.0, orthogonal=True, inputs=16, outputs=4) if isinstance(m, nn.Linear)]
    assert [l.fan_in * np.mean(l.weight.data ** 2) for l in lins] == pytest.approx([2.0] * 3, rel=1e-12)
    np.testing.assert_allclose(lins[0].weight.data @ lins[0].weight.data.T, 8.0 * np.eye(16), atol=1e-12)


def test_the_engine_jacobian_is_the_product_of_local_jacobians():
    # backpropagating the identity's rows through copies of one input gives J = d h_L / d h_0; by hand,
    # J^T = W_1 D_1 W_2 D_2 ... with D_l = diag(f'(y_l)) (the layout y = h @ W + b)
    net = S.network(3, 12, "tanh", 1.5, 0.1, rng=2)
    x0 = np.random.default_rng(3).standard_normal(12)
    x = Tensor(np.tile(x0, (12, 1)), requires_grad=True)
    net(x).backward(np.eye(12))
    jt, h = np.eye(12), x0
    for lin in net[::2]:
        y = h @ lin.weight.data + lin.bias.data
        jt, h = jt @ lin.weight.data @ np.diag(1 - np.tanh(y) ** 2), np.tanh(y)
    np.testing.assert_allclose(x.grad, jt.T, rtol=1e-12, atol=1e-14)


@pytest.fixture(scope="module", params=[0, 1, 2])  # the claims below hold for every seed
def spectra(request):
    return S.jacobian_spectra(depths=(2, 16), width=64, networks=2, rng=request.param)


def test_orthogonal_tanh_near_q0_is_nearly_isometric(spectra):
    # Pennington, Schoenholz & Ganguli (2017): at criticality only orthogonal weights with tanh near
    # q* = 0 keep the singular values near 1; Gaussian weights and ReLU spread them, more with depth
    iso = spectra["tanh, orthogonal"]
    assert iso["chi_1"] == pytest.approx(1.0, abs=1e-9) and iso["q_star"] < 0.05
    assert iso["spread"][-1] < 0.3 and min(iso["singular_values"][-1]) > 0.1
    for key in ("tanh, Gaussian", "relu, Gaussian", "relu, orthogonal"):
        assert spectra[key]["spread"][-1] > 20 * iso["spread"][-1]
        assert spectra[key]["spread"][-1] > spectra[key]["spread"][0]
    # Pennington, Schoenholz & Ganguli (2017), the variance of J J^T's spectrum at chi_1 = 1: Var(s^2) / mean(s^2)^2 =
    # L (mu_2 / mu_1^2 - 1 - s_1), mu_k = E[f'(u)^(2k)] at q*, s_1 = -1 for Gaussian and 0 for orthogonal weights
    # (ReLU: mu_1 = mu_2 = 1/2). Width 64, L = 16, seeds 0-2: measured / formula 0.83-1.22 (width 200, L = 8: 0.86-1.18)
    for key, r in spectra.items():
        mu = [0.5, 0.5] if key.startswith("relu") else [theory.gaussian_expectation(
            lambda z, k=k: (1 - np.tanh(z) ** 2) ** (2 * k), r["q_star"]) for k in (1, 2)]
        formula = 16 * (mu[1] / mu[0] ** 2 - (0.0 if "Gaussian" in key else 1.0))
        assert r["spread"][-1] == pytest.approx(formula, rel=0.3)
    for r in spectra.values():
        assert r["theory"] == [r["chi_1"] ** d for d in r["depths"]]
        assert 0.3 < r["mean_sq"][0] < 3  # chi_1^L = 1, up to the network-to-network spread


def test_the_spectra_and_correlations_do_not_depend_on_the_blas_threads():
    # a multi-threaded product sums in another order: the last bits moved with the thread count
    from threadpoolctl import threadpool_limits
    runs = []
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            runs.append((S.jacobian_spectra((2,), 100, 1), S.correlations(30, 500, networks=1, pairs=8)))
    assert runs[0] == runs[1]


def test_correlations_follow_the_correlation_map():
    res = S.correlations(depth=12, width=300, networks=2, pairs=4, rng=0)
    assert set(res) == {f"{p}, c0 = {c:g}" for p in S.PHASES for c in (0.2, 0.9)}
    for r in res.values():
        assert np.max(np.abs(np.array(r["measured"]) - r["theory"])) < 0.08
    assert res["ordered, c0 = 0.2"]["measured"][-1] > 0.95  # inputs end alike
    assert res["chaotic, c0 = 0.9"]["measured"][-1] < 0.75  # and decorrelate in the chaotic phase


def test_the_correlation_finding_says_the_width_its_difference_from_the_theory_belongs_to():
    # the report (200 units, 2 networks) read "engine and theory differ by at most 0.1 at any layer", 0.077-0.145 over
    # seeds 0-9, without the width: the scatter of finite networks around the infinite-width map, not the theory's error
    text = S.finding("correlations", S.correlations(depth=3, width=40, networks=1, pairs=2))
    assert "engine (40 units, 1 network) and theory differ by at most " in text
    assert "the theory is the limit of infinite width, and a finite network scatters around it" in text


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10))
def test_correlations_of_1000_units_follow_the_theory_over_seeds(seed):
    # Poole et al. (2016), Schoenholz et al. (2017): the correlation map is the limit of infinite width. The report's 30
    # layers of tanh at sigma_b^2 = 0.05, ordered, critical and chaotic, from c0 = 0.2 and 0.9: at its 200 units (2
    # networks x 8 pairs) the largest difference at any layer was 0.077-0.145 over seeds 0-9; at 1,000 units (one
    # network) 0.040-0.075, about 1/sqrt(5) of it with half the networks: the scatter shrinks as 1/sqrt(width)
    res = S.correlations(30, 1000, networks=1, pairs=8, rng=seed)
    assert max(np.max(np.abs(np.array(r["measured"]) - r["theory"])) for r in res.values()) < 0.09


def test_trainability_quick_is_reproducible():
    a = S.trainability(quick=True, depths=(2, 4), sigma_w2s=(1.0,), steps=5, rng=3)
    assert a["sigma_w2"] == [1.0] and a["depth"] == [2, 4] and a["steps"] == 5  # explicit arguments win over quick
    small = S.trainability(sigma_w2s=(1.0, 2.0), depths=(2, 3), steps=20, rng=3)
    assert small == S.trainability(sigma_w2s=(1.0, 2.0), depths=(2, 3), steps=20, rng=3)
    # the command that makes it again: the call, for settings the command line does not take (it said
    # "tinygrad-init chaos", which trains the default grid, and the heatmap's title said it was made by that)
    assert np.array(small["accuracy"]).shape == (2, 2)
    assert small["command"] == "spectra.trainability(sigma_w2s=[1.0, 2.0], depths=[2, 3], steps=20, rng=3)"
    same = S.trainability(sigma_w2s=(1.0,), depths=(2,), steps=1, sigma_b2=float("0.05"), lr=np.float64(0.01), rng=3)
    assert same["command"] == "spectra.trainability(sigma_w2s=[1.0], depths=[2], steps=1, rng=3)"  # defaults given
    gen = np.random.default_rng(3)  # the teacher, then the points: chance is the largest class's share
    teacher, X = gen.standard_normal((16, 4)), gen.standard_normal((512, 16)).astype(np.float32)
    assert same["chance"] == np.bincount((X @ teacher).argmax(axis=1)).max() / 512 == 187 / 512
    assert S.trainability(quick=True, sigma_w2s=(1.0,), depths=(2,), width=4, rng=3)["steps"] == 100  # as documented
    assert S._made_by(False, {"width": 8}, None) == "spectra.trainability(width=8, rng=None (unseeded: no call makes " \
        "it again))" and S._made_by(False, {}, np.random.default_rng(0)) == "spectra.trainability(rng=<a Generator>)"
    assert S._made_by(True, {}, 3) == "tinygrad-init chaos --quick --seed 3" and S._made_by(False, {}, 0) == \
        "tinygrad-init chaos"
    assert S._made_by(True, {"width": 8}, 0) == "spectra.trainability(quick=True, width=8, rng=0)"
    assert all(small["chance"] <= 1 and 0 <= v <= 1 for row in small["accuracy"] for v in row)


def test_trainability_reads_a_diverged_network_as_nan_not_chance():
    # steps of lr 3e38 (float32's largest is 3.4e38) overflow the float32 logits (nan); argmax of a nan row is class 0,
    # about chance. (Weights of inf from the start, sigma_w^2 1e80, are refused by the initializer, naming the range.)
    with np.errstate(all="ignore"):
        r = S.trainability(sigma_w2s=(4.0,), depths=(2,), width=64, steps=2, lr=3e38, rng=0)
    assert math.isnan(r["accuracy"][0][0])
    with pytest.raises(ValueError, match=r"initializer 'variance_scaling': .*1e\+80.* beyond float32's range"):
        S.trainability(sigma_w2s=(1e80,), depths=(2,), width=8, steps=1, rng=0)


def test_the_shipped_heatmap():
    r = json.loads(S.SHIPPED.read_text())
    acc = np.array(r["accuracy"])
    assert acc.shape == (len(r["sigma_w2"]), len(r["depth"])) and r["command"] == "tinygrad-init chaos"
    assert max(r["depth"]) >= 64 and r["steps"] == 300
    # Schoenholz et al. (2017): trainable up to about 6 xi_c
    six = np.array([[d <= 6 * theory.depth_scales("tanh", w, r["sigma_b2"])[1] for d in r["depth"]]
                    for w in r["sigma_w2"]])
    ok = acc >= (r["chance"] + 1) / 2
    assert ok[six].mean() > 0.8 and ok[~six].mean() < 0.2
    assert S.finding("trainability", r).endswith("deeper ones.")


def test_the_shipped_heatmap_is_what_its_command_makes_today():
    # it was made by an older engine: 31 of its 99 accuracies differed from `tinygrad-init chaos` (up to 0.28);
    # one network, replayed as the command seeds it (rng 0: the teacher, X, then a seed per cell, row by row). Not a
    # deep chaotic one: another BLAS kernel alone moves 27-30 of the cells (OpenBLAS's Haswell, Sandybridge and
    # Prescott kernels against the SkylakeX ones that made the file; up to 198 of 512 points), among them
    # sigma_w^2 = 4 at depth 16 (1.0 or 0.998), while every kernel gives sigma_w^2 = 1 at depth 16 the same 0.8125
    from tinygrad_init.lab.diagnostics import fit
    r = json.loads(S.SHIPPED.read_text())
    gen = np.random.default_rng(0)
    teacher, X = gen.standard_normal((16, 4)), gen.standard_normal((512, 16)).astype(np.float32)
    y, seeds = (X @ teacher).argmax(axis=1), gen.integers(2 ** 31, size=(len(r["sigma_w2"]), len(r["depth"])))
    i, j = r["sigma_w2"].index(1.0), r["depth"].index(16)
    model = S.network(16, r["width"], "tanh", 1.0, r["sigma_b2"], inputs=16, outputs=4, rng=int(seeds[i, j]),
                      dtype=np.float32)
    with threadpool_limits(1, "blas"):  # as trainability runs
        fit(model, X, y, r["steps"], r["lr"], rng=int(seeds[i, j]))
        assert np.mean(model(Tensor(X)).data.argmax(axis=1) == y) == r["accuracy"][i][j]


def test_phase_diagram_and_figures():
    spectra = S.jacobian_spectra(depths=(2, 16), width=32, networks=1)
    pd = S.phase_diagram(n=9)
    assert pd["critical_w2"][0] == 1.0 and pd["critical_w2"][1] == pytest.approx(
        theory.critical_sigma_w2("tanh", pd["critical_b2"][1]))
    chi = np.array(pd["log_chi1"])
    assert chi[0, 0] < 0 < chi[0, -1]  # sigma_w^2 = 0.5 ordered, 4 chaotic
    corr = S.correlations(depth=3, width=50, networks=1, pairs=2)
    tr = json.loads(S.SHIPPED.read_text())
    for name, result in (("phase_diagram", pd), ("correlations", corr), ("trainability", tr),
                         ("jacobian_spectra", spectra)):
        fig = S.figure(name, result)
        assert_slide_ready(fig)
        assert fig.axes[0].get_title() and isinstance(S.finding(name, result), str)
    # the named schemes on the diagram, their phase computed: LeCun / Xavier on the line, He and 5/3 chaotic
    assert "(sigma_w^2 = 2) has chi_1 = 1.11, chaotic" in S.finding("phase_diagram", pd)
    assert "(sigma_w^2 = 1) has chi_1 = 1, critical" in S.finding("phase_diagram", pd)
    assert S.finding("jacobian_spectra", spectra).startswith("At depth 16 the spread")
    ridge = S.figure("jacobian_spectra", spectra).axes[1]  # tanh, orthogonal: a row per depth, none over another
    for i, line in enumerate(ridge.get_lines()[:2]):
        assert i <= line.get_ydata().min() and line.get_ydata().max() <= i + 0.85


@pytest.fixture(scope="module")
def iso() -> object:
    return S.isometry_section(0, quick=True)


def test_the_report_sections(iso):
    chaos = S.chaos_section(0, quick=True)
    assert chaos.figure_names == ["phase_diagram", "correlations", "trainability"]
    rows = {r["phase"]: r for r in chaos.tables["main"]}
    assert rows["ordered"]["c_20_from_0.2"] > 0.99 and rows["ordered"]["c_star"] == 1.0  # inputs end alike
    # the table gives xi_c = inf on the critical line; its note said the value there is finite, "as large as the root
    # of chi_1 = 1 is accurate"
    assert rows["critical"]["xi_c"] == math.inf and "accurate" not in " ".join(chaos.tables["main"].notes)
    assert rows["chaotic"]["c_star"] == pytest.approx(theory.correlation_fixed_point("tanh", 3.0, 0.05))
    assert abs(rows["chaotic"]["c_20_from_0.9"] - rows["chaotic"]["c_star"]) < 0.35  # forgetting where it started
    assert chaos.data["trainability"] == json.loads(S.SHIPPED.read_text())  # shown, not recomputed
    # a miniature says so: Schoenholz et al. (2017) trained on MNIST and CIFAR-10, the heatmap on a toy task
    assert "16-input toy task: about a minute; Schoenholz et al. trained on MNIST and CIFAR-10" in chaos.findings[-1]
    # made again elsewhere, 27-30 of the 99 cells differ (another BLAS kernel's last bits, grown by chaotic training)
    assert chaos.findings[-1].endswith(f"`{S.REGENERATE}` makes it again (byte for byte with the BLAS kernel that "
                                       "made it; with another, deep networks near the edge of chaos may train "
                                       "otherwise).")
    assert iso.settings == {"depths": [2, 8, 32, 64], "width": 48, "networks": 1, "seed": 0, "seeds": [0, 1, 2]}
    spread = {(r["weights"], r["depth"]): r["spread"] for r in iso.tables["main"]}
    assert spread[("tanh, orthogonal", 64)] < 2 and min(spread[(k, 64)] for k in (
        "tanh, Gaussian", "relu, Gaussian", "relu, orthogonal")) > 10 * spread[("tanh, orthogonal", 64)]
    assert "What to see" in iso.findings[1] and "orthogonal" in iso.findings[0]
    # tanh with Gaussian weights loses directions with depth too (0% below 1e-4 at depth 2, 75% at 64), with no
    # unit off: the sentence gave ReLU's off units as the only reason
    below = {(r["weights"], r["depth"]): r["below_1e-4"] for r in iso.tables["main"]}
    assert below[("tanh, Gaussian", 2)] < 0.05 and below[("tanh, Gaussian", 64)] > 0.5
    assert iso.findings[1].endswith("every layer that is not an isometry (Gaussian weights, ReLU's zeros) spreads "
                                    "the spectrum further, so more directions fall below 1e-4 with depth.")


def test_the_isometry_section_gives_medians_and_ranges_over_seeds(iso):
    # the section stated one seed's spectra (2 networks pooled); now one network at each of 3 seeds (quick; 5 in
    # full), as the training sections: the table's medians with the lowest and highest, the findings read from them
    runs = [S.jacobian_spectra((2, 8, 32, 64), 48, 1, rng=s) for s in (0, 1, 2)]
    for row in iso.tables["main"]:
        i = (2, 8, 32, 64).index(row["depth"])
        for key in ("mean_sq", "spread"):
            v = [r[row["weights"]][key][i] for r in runs]
            assert (row[key], row[f"{key}_min"], row[f"{key}_max"]) == (np.median(v), min(v), max(v))
        v = [np.mean(np.array(r[row["weights"]]["singular_values"][i]) < 1e-4) for r in runs]
        assert (row["below_1e-4"], row["below_1e-4_min"], row["below_1e-4_max"]) == (np.median(v), min(v), max(v))
    pooled = iso.data["spectra"]["tanh, orthogonal"]["singular_values"][-1]  # the figure's ridges: every seed's
    assert pooled == sum((r["tanh, orthogonal"]["singular_values"][-1] for r in runs), [])
    v = [r["tanh, Gaussian"]["spread"][-1] for r in runs]
    assert f"{format_number(np.median(v), 2)} for tanh, Gaussian [{format_number(min(v), 2)}-" \
           f"{format_number(max(v), 2)}], " in iso.findings[0], iso.findings[0]
    assert "(medians of 3 seeds; seed by seed " in iso.findings[0] and "(pooled over 3 seeds; seed by seed " in \
        iso.findings[1] and "(medians of 3 seeds): with ReLU" in iso.findings[1]
    assert iso.get_figure("spectra").legends[0].get_texts()[-1].get_text() == \
        "median of 3 seeds, band: lowest-highest (ridges: pooled)"


def test_the_report_sections_from_a_generator_are_json_ready():
    # settings held the Generator itself: to_dict() could not be written as JSON
    for section in (S.chaos_section, S.isometry_section):
        res = section(np.random.default_rng(0), quick=True)
        assert res.settings["seed"] is None and json.loads(json.dumps(res.to_dict(), allow_nan=False))


@pytest.mark.parametrize("call,error,fragment", [
    (lambda: S.correlations(depth=3, width=8, starts=[]), ValueError, "correlations: starts must list one or more"),
    (lambda: S.correlations(depth=3, width=8, starts=0.5), TypeError, "correlations: starts must list one or more"),
    (lambda: S.correlations(depth=3, width=8, starts=[2.0]), ValueError, "correlations: starts must be in [-1, 1]"),
    (lambda: S.correlations(depth=0, width=8), ValueError, "correlations: depth must be >= 1"),
    (lambda: S.correlations(depth=3, width=8, networks=0), ValueError, "correlations: networks must be >= 1"),
    (lambda: S.trainability(sigma_w2s=[], depths=[2]), ValueError, "trainability: sigma_w2s must list one or more"),
    (lambda: S.trainability(sigma_w2s=[-1.0], depths=[2]), ValueError, "trainability: sigma_w2s must be > 0"),
    (lambda: S.trainability(sigma_w2s=[1.0], depths=[0]), ValueError, "trainability: depths must be >= 1"),
    (lambda: S.trainability(quick="no"), TypeError, "trainability: quick must be True or False"),
    (lambda: S.jacobian_spectra(depths=[], width=8), ValueError, "jacobian_spectra: depths must list one or more"),
    (lambda: S.jacobian_spectra(depths=[2], width=8, networks=0), ValueError, "jacobian_spectra: networks must be"),
    (lambda: S.finding("spectra", {}), ValueError, "finding: name must be one of 'correlations'"),  # StopIteration
    (lambda: S.figure("spectra", {}), ValueError, "figure: name must be one of 'correlations'"),  # IndexError
    # 'math domain error' (log chi_1 = log 0; sqrt of a negative variance)
    (lambda: S.phase_diagram(sigma_w2=(0.0, 4.0), n=5), ValueError, "phase_diagram: sigma_w2 must be > 0"),
    (lambda: S.network(2, 4, "tanh", 1.0, -0.1), ValueError, "network: sigma_b2 must be >= 0"),
    (lambda: S.trainability(sigma_w2s=[1.0], depths=[2], sigma_b2=-0.1), ValueError,
     "trainability: sigma_b2 must be >= 0"),  # was 'network: ...', a function not called
    (lambda: S.phase_diagram(n=2.5), TypeError, "phase_diagram: n must be a whole number"),  # numpy's TypeError
    (lambda: S.phase_diagram(n=0), ValueError, "phase_diagram: n must be >= 2"),  # an empty diagram
    # one value was taken as the start, n as the end of 50 points: sigma_w^2 from 4 to 5
    (lambda: S.phase_diagram(sigma_w2=(4.0,), n=5), ValueError, "phase_diagram: sigma_w2 must be a (low, high) pair"),
    (lambda: S.phase_diagram(sigma_b2=(0.5, 0.0), n=5), ValueError, "phase_diagram: sigma_b2 must be a (low, high)"),
    (lambda: S.phase_diagram(sigma_w2=(1.0, 1.0), n=5), ValueError, "phase_diagram: sigma_w2 must be a (low, high)"),
    (lambda: S.correlations(depth=1, width=2, sigma_b2=0.8), ValueError,  # past 3, "chaotic" would be the ordered side
     "correlations: sigma_b2 = 0.8 puts the critical sigma_w^2 at 3.23, not between the ordered 1 and the chaotic 3"),
    (lambda: S.phase_diagram(sigma_b2=(-1.0, 0.5), n=5), ValueError, "phase_diagram: sigma_b2 must be >= 0"),  # chi1
])
def test_clear_errors(call, error, fragment):
    # they were silently empty results ({} or no depths), numpy's "need at least one array to concatenate", an
    # IndexError, or NaN from deep inside the correlation map
    with pytest.raises(error) as exc:
        call()
    assert fragment in str(exc.value)


def test_the_phase_diagram_of_relu():
    # ReLU's chi_1 = sigma_w^2 / 2 at every q, so also past He's 2, where q grows without bound; phase_diagram("relu")
    # raised 'fixed_point: the variance grows without bound (relu, sigma_w^2 = 2.25)', and its finding spoke of tanh
    pd = S.phase_diagram("relu", n=9)
    np.testing.assert_allclose(np.exp(pd["log_chi1"]), [np.array(pd["sigma_w2"]) / 2] * 5, rtol=1e-12)
    assert pd["critical_w2"] == [2.0] * 5
    text = S.finding("phase_diagram", pd)
    assert "critical line of relu starts at sigma_w^2 = 2;" in text and "(sigma_w^2 = 2) has chi_1 = 1, critical" \
        in text
    assert "tanh gain 5/3 (PyTorch) (sigma_w^2 = 2.78) has chi_1 = 1.39, exploding" in text and "moves" not in text
    assert S.figure("phase_diagram", pd).axes[0].get_title() == "relu: order and explosion"  # no chaos
    assert len(S.figure("phase_diagram", pd).axes[0].get_lines()) == 1 + len(S.SCHEMES)  # no tanh correlation marks


def test_relu_has_no_chaotic_phase_its_gradients_explode():
    # Hayou, Doucet & Rousseau (2019), "On the Impact of the Activation Function on Deep Neural Networks Training",
    # ICML: for ReLU the correlation of two inputs goes to 1 at every (sigma_w^2, sigma_b^2), the edge of chaos is the
    # one point (2, 0). The theory's own map: from c = 0.2 at sigma_w^2 = 25/9, ReLU's correlation reaches 1 where
    # tanh's falls to its c* = 0; the finding and the figure called ReLU there "chaotic"
    c = {"relu": 0.2, "tanh": 0.2}
    for _ in range(100):
        c = {a: theory.correlation_map(a, v, 25 / 9, q=1.0 if a == "relu" else None) for a, v in c.items()}
    assert c["relu"] > 0.99 and c["tanh"] < 0.01
    pd = S.phase_diagram("relu", n=5)
    assert "has chi_1 = 1.39, exploding" in S.finding("phase_diagram", pd) and "chaotic" not in S.finding(
        "phase_diagram", pd)
    fig = S.figure("phase_diagram", pd)
    assert [t.get_text() for t in fig.axes[0].texts] == ["ordered", "exploding"]
    assert fig.axes[1].get_ylabel() == "log chi_1  (< 0 ordered, > 0 exploding)"  # the colour bar
    tanh = S.phase_diagram("tanh", n=5)
    assert "has chi_1 = 1.21, chaotic" in S.finding("phase_diagram", tanh)
    assert [t.get_text() for t in S.figure("phase_diagram", tanh).axes[0].texts] == ["ordered", "chaotic"]


def test_the_leaky_relu_phase_diagram_tells_its_critical_line_from_he():
    # leaky ReLU (slope 0.01): E[f'^2] = (1 + 0.01^2) / 2, so its line sits at sigma_w^2 = 2 / 1.0001 = 1.9998 and He's
    # chi_1 is 1.0001; to 3 digits the finding read "starts at sigma_w^2 = 2 ... He (sigma_w^2 = 2) has chi_1 = 1,
    # exploding": a chi_1 of 1 called exploding, on the line it had just placed at He's sigma_w^2
    text = S.finding("phase_diagram", S.phase_diagram("leaky_relu", n=5))
    assert "critical line of leaky_relu starts at sigma_w^2 = 1.9998;" in text
    assert "He (sigma_w^2 = 2) has chi_1 = 1.0001, exploding" in text


def test_a_phase_diagram_of_another_range_labels_only_the_phases_it_shows():
    # phase_diagram takes its ranges; at sigma_w^2 from 3 to 6 every cell is chaotic, yet the figure wrote "ordered"
    # on the red cells (a fixed spot, 12% from the left), and the schemes' marks (b = 0, one at sigma_w^2 = 1) and the
    # critical line stretched the axes beyond the grid into blank space
    fig = S.figure("phase_diagram", S.phase_diagram("tanh", sigma_w2=(3.0, 6.0), sigma_b2=(0.2, 0.5), n=5))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["chaotic"]
    assert np.allclose([ax.get_xlim(), ax.get_ylim()], [(2.625, 6.375), (0.125, 0.575)])  # the cells, to their edges
    assert [line.get_label() for line in ax.get_lines()] == ["critical line chi_1 = 1"]  # no mark outside the grid
    # sigmoid at the default ranges: chi_1 <= 0.2 everywhere (its line is at sigma_w^2 = 103), yet "chaotic" was
    # written on the right of the all-blue diagram
    sigmoid = S.figure("phase_diagram", S.phase_diagram("sigmoid", n=5)).axes[0]
    assert [t.get_text() for t in sigmoid.texts] == ["ordered"]
    # sigma_w^2 from 1 to 1.6: "chaotic"'s spot (85% across, a quarter up) is an ordered cell, so the name moves to
    # a chaotic one; LeCun's sigma_w^2 = 1 on the grid's edge is on it, and marked
    d = S.phase_diagram("tanh", sigma_w2=(1.0, 1.6), n=9)
    ws, bs, chi = (np.array(d[k]) for k in ("sigma_w2", "sigma_b2", "log_chi1"))
    ax = S.figure("phase_diagram", d).axes[0]
    assert [(t.get_text(), chi[np.abs(bs - t.get_position()[1]).argmin(), np.abs(ws - t.get_position()[0]).argmin()]
             > 0) for t in ax.texts] == [("ordered", False), ("chaotic", True)]
    assert "LeCun / Xavier: sigma_w^2 = 1" in [line.get_label() for line in ax.get_lines()]


def test_correlations_from_a_negative_start_are_drawn_below_0():
    # starts may lie in [-1, 1]; from c0 = -0.8 the critical and chaotic networks' first layers measure about -0.7, and
    # the panels, fixed at 0 to 1.04, left those points out of sight
    r = S.correlations(depth=3, width=20, starts=(-0.8,), networks=1, pairs=2)
    lowest = min(min(v["measured"] + v["theory"]) for v in r.values())
    assert lowest < -0.5 and S.figure("correlations", r).axes[0].get_ylim()[0] < lowest
    r = {"ordered, c0 = 0.2": {"sigma_w2": 1.0, "sigma_b2": 0.05, "measured": [0.3, 0.5], "theory": [0.3, 0.5]}}
    assert S.figure("correlations", r).axes[0].get_ylim() == (0, 1.04)  # none below 0: the axis starts at 0


def test_correlations_at_another_bias_variance_name_their_phases_by_it():
    # sigma_b2=0.3 (critical sigma_w^2 2.505): the "critical" network had tanh's sigma_w^2 = 1.76 of sigma_b^2 = 0.05
    # (chi_1 = 0.82, ordered), and the finding and the figure gave c* and chi_1 at sigma_b^2 = 0.05 (c* 0.3 for the
    # chaotic net, which has 0.82)
    r = S.correlations(depth=3, width=20, networks=1, pairs=2, sigma_b2=0.3)
    assert r["critical, c0 = 0.2"]["sigma_w2"] == pytest.approx(theory.critical_sigma_w2("tanh", 0.3))
    c = theory.correlation_fixed_point("tanh", 3.0, 0.3)
    assert f"{format_number(c, 2)} (chaotic)" in S.finding("correlations", r) and c > 0.8
    titles = [ax.get_title() for ax in S.figure("correlations", r).axes[:3]]
    assert titles[1].startswith("critical: sigma_w^2 = 2.51") and titles[1].endswith("chi_1 = 1")
    with pytest.raises(ValueError, match="correlations: sigma_b2"):
        S.correlations(depth=3, width=20, sigma_b2=0.0)  # critical at sigma_w^2 = 1: 'ordered' would be critical


def test_figure_and_finding_name_a_result_of_another_experiment():
    # the result of one experiment under another's name was a bare KeyError ('accuracy') or AttributeError
    tr = json.loads(S.SHIPPED.read_text())
    for fn in (S.figure, S.finding):
        for name, result, kind in (("correlations", tr, "a dict of dicts with 'measured'"),
                                   ("trainability", {"ordered": {"measured": [1.0]}}, "a dict with 'accuracy'"),
                                   ("phase_diagram", None, "a dict with 'log_chi1'")):
            with pytest.raises(TypeError, match=rf"{fn.__name__}: result must be what {name}\(\) returns \({kind}\)"):
                fn(name, result)


def test_the_spectra_finding_of_degenerate_networks():
    # width 1: one singular value per network, spread 0 however far from 1 it is (tanh, Gaussian: s^2 = 0.019), and the
    # finding said it 'keeps the whole spectrum near 1'; width 2: ReLU's Jacobian is 0, its spread 0 / 0 warned
    one = S.jacobian_spectra(depths=(1,), width=1, networks=1)
    assert one["tanh, Gaussian"]["mean_sq"][0] < 0.1 and one["tanh, Gaussian"]["spread"] == [0.0]
    assert "Only tanh, orthogonal and relu, Gaussian keep the whole" in S.finding("jacobian_spectra", one)
    # 'near 1' by a spread below 1 and a mean squared singular value between 0.5 and 2, which it did not say
    assert "near 1 (dynamical isometry; here: a spread below 1 and a mean of s^2 between 0.5 and 2)" in S.finding(
        "jacobian_spectra", one)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two = S.jacobian_spectra(depths=(1,), width=2, networks=1)
        assert two["relu, Gaussian"]["mean_sq"] == [0.0] and math.isnan(two["relu, Gaussian"]["spread"][0])
        for key in list(two)[:2]:  # the zero means come first: the scatter test read log10(0)
            two.pop(key)
        assert S.finding("jacobian_spectra", two).endswith("No configuration keeps the spectrum near 1.")
    far = {"x": {"depths": [4], "spread": [0.5], "mean_sq": [2.5], "theory": [1.0]}}  # 2.5 x the theory: the note
    assert "measures 2.5 (the networks' means are skewed around chi_1^L, their average: most fall below it" in \
        S.finding("jacobian_spectra", far)


def test_one_relu_networks_mean_squared_singular_value_falls_below_the_average_most_often():
    # the finding's note: chi_1^L = 1 (He, ReLU) is the average over networks of tr(J J^T) / n, whose spread grows with
    # depth / width (Hanin & Rolnick 2018). At 32 layers of 24 units, over seeds 0-39: median 0.076, 31 of 40 below
    # 0.5, 15.2 at most, mean 0.92; over seeds 100-139, 200-239, 300-339: medians 0.060-0.133, 30-35 below 0.5, at
    # most 1.7-16.3, means 0.22-0.89 (so skewed an average needs far more networks); 64 x 48, seeds 0-39: median 0.14
    def means(depth, width):
        return np.array([S.jacobian_spectra((depth,), width, 1, rng=s)["relu, Gaussian"]["mean_sq"][0]
                         for s in range(40)])
    deep, shallow, wide = means(32, 24), means(8, 24), means(8, 96)
    assert np.median(deep) < 0.3 and np.sum(deep < 0.5) >= 25 and deep.max() > 3
    # 'the more so the deeper and narrower': the std of log(mean) over the 40 networks, 2.22 at 32 x 24, 0.81 at
    # 8 x 24, 0.26 at 8 x 96; their medians 0.076, 0.85, 0.94
    spread = [np.log(m).std() for m in (deep, shallow, wide)]
    assert spread[0] > 2 * spread[1] > 4 * spread[2] and np.median(deep) < np.median(shallow) < np.median(wide) < 1


def test_the_phase_diagram_finding_of_a_range_without_zero_bias():
    # the critical line's first point is at the range's lowest sigma_b^2 (here 0.2: sigma_w^2 = 2.29); the sentence
    # says "without biases", where tanh's critical sigma_w^2 is 1 (it read 2.29)
    text = S.finding("phase_diagram", S.phase_diagram(sigma_b2=(0.2, 0.5), n=5))
    assert text.startswith("Without biases the critical line of tanh starts at sigma_w^2 = 1;")
    assert text.endswith("With sigma_b^2 = 0.05 the line moves to sigma_w^2 = 1.761.")  # Schoenholz et al.: ~1.76


@pytest.mark.parametrize("section", [S.chaos_section, S.isometry_section])
def test_the_sections_check_quick(section):
    with pytest.raises(TypeError, match=f"{section.__name__}: quick must be True or False"):  # "no" ran the quick one
        section(quick="no")


def test_the_ridges_say_how_many_singular_values_lie_beyond_their_range_on_either_side():
    # s > 10 (log10 s > 1, past the ridges' range [-4, 1]) left the histogram without a note; only s < 1e-4 had one
    sv = [[0.5, 1.0, 2.0, 20.0], [1e-5, 1.0, 1.0, 1.0], [1.0] * 4]  # 25% > 10; 25% < 1e-4; all inside
    r = {k: {"sigma_w2": 2.0, "depths": [2, 4, 8], "singular_values": sv, "mean_sq": [1.0] * 3, "theory": [1.0] * 3,
             "spread": [1.0] * 3} for k in ("tanh, Gaussian", "tanh, orthogonal", "relu, Gaussian", "relu, orthogonal")}
    notes = [t.get_text() for t in S.figure("jacobian_spectra", r).axes[0].texts]
    assert notes == ["25% > 10", "25% < 1e-4", ""]


def test_the_trainability_finding_counts_networks_halfway_from_chance_to_1_within_and_beyond_6_xi_c():
    # 6 xi_c at sigma_b^2 = 0.05: 21.8 (sigma_w^2 1; 5 xi_c 18.1), 54.3 (3); 0.65 is halfway from chance 0.3 to 1
    r = {"sigma_w2": [1.0, 3.0], "depth": [20, 500], "accuracy": [[0.65, 0.9], [0.64, 0.3]], "sigma_b2": 0.05,
         "width": 8, "steps": 1, "lr": 0.01, "chance": 0.3, "command": "tinygrad-init chaos"}
    assert S.finding("trainability", r) == ("1 of the 2 networks within 6 xi_c reach a training accuracy of 0.65 "
                                            "(halfway from chance to 1) in 1 step, against 1 of the 2 deeper ones.")


def test_the_heatmap_shows_a_diverged_network_in_a_colour_of_its_own_and_names_it():
    # nan (trainability's diverged network) was left blank: white, next to magma's 1.0, as if it trained best
    r = {"sigma_w2": [1.0, 2.0], "depth": [2, 4], "accuracy": [[0.9, math.nan], [0.5, 0.3]], "sigma_b2": 0.05,
         "width": 8, "steps": 1, "lr": 0.01, "chance": 0.3, "command": "tinygrad-init chaos"}
    fig = S.figure("trainability", r)
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == "nan: diverged"
    assert_slide_ready(fig)  # draws it
    mesh = fig.axes[0].collections[0]
    cells, magma = mesh.get_facecolors(), mesh.cmap(np.linspace(0, 1, 256))
    assert cells.shape == (4, 4) and cells[2, 3] == 1  # row by row: depth 4, sigma_w^2 1 is the third, opaque
    assert mesh.get_clim() == (0.3, 1)  # the colours run from chance to 1
    assert not np.isclose(magma, cells[2]).all(axis=1).any() and not np.isclose(cells[2], 1.0).all()
    r["accuracy"][0][1] = 0.7
    assert "nan: diverged" not in [t.get_text() for t in S.figure("trainability", r).legends[0].get_texts()]


def test_a_heatmap_of_the_chaotic_side_alone_ends_at_its_cells():
    # sigma_w^2 from 2.5 to 4: the 6 xi_c curve, drawn from the first sigma_w^2 down to the critical 1.76, and the
    # critical line at 1.76 (white) stretched the axis to 1.55, a blank third of the slide left of the cells
    r = {"sigma_w2": [2.5, 3.0, 4.0], "depth": [2, 4], "accuracy": [[0.9, 0.8]] * 3, "sigma_b2": 0.05, "width": 8,
         "steps": 1, "lr": 0.01, "chance": 0.3, "command": "tinygrad-init chaos"}
    assert np.allclose(S.figure("trainability", r).axes[0].get_xlim(), (2.25, 4.5))


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("sigma_w2, depth", [([1.76], [2, 3]), ([1.0, 2.0], [16])])
def test_a_heatmap_of_one_variance_or_one_depth_draws_its_cells(sigma_w2, depth):
    # trainability(sigma_w2s=[1.76], depths=...), a sweep over depth alone: "nearest" cells of a single value have no
    # width, and the slide was blank but for the 6 xi_c curve
    r = {"sigma_w2": sigma_w2, "depth": depth, "accuracy": [[0.9] * len(depth)] * len(sigma_w2), "sigma_b2": 0.05,
         "width": 8, "steps": 1, "lr": 0.01, "chance": 0.3, "command": "tinygrad-init chaos"}
    ax = S.figure("trainability", r).axes[0]
    box = ax.collections[0].get_datalim(ax.transData)  # the cells, in sigma_w^2 and depth
    assert box.width > 0 and box.height > 0


def test_the_heatmap_ticks_the_variances_and_depths_it_measured():
    # the quick grid (0.5, 1.76, 4) was ticked 0, 1, ... 5: a cell read as measured at sigma_w^2 = 0 or 1
    r = {"sigma_w2": [0.5, 1.76, 4.0], "depth": [4, 16, 64], "accuracy": [[0.5] * 3] * 3, "sigma_b2": 0.05,
         "width": 8, "steps": 1, "lr": 0.01, "chance": 0.3, "command": "tinygrad-init chaos --quick"}
    ax = S.figure("trainability", r).axes[0]
    assert ax.get_xticks().tolist() == [0.5, 1.76, 4.0] and ax.get_yticks().tolist() == [4, 16, 64]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.5", "1.76", "4"]


def test_network_draws_zero_biases_unless_given_a_bias_variance_and_weights_of_variance_sigma_w2_over_fan_in() -> None:
    model = S.network(3, 400, "tanh", 2.0, inputs=100, rng=0)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    assert all(not np.any(lin.bias.data) for lin in linears)  # the default sigma_b2 is 0
    assert [lin.weight.data.var() * lin.weight.data.shape[0] for lin in linears] == pytest.approx([2.0] * 3, rel=0.02)
    biased = [m for m in S.network(3, 400, "tanh", 2.0, 0.25, rng=0) if isinstance(m, nn.Linear)]
    assert np.concatenate([lin.bias.data for lin in biased]).var() == pytest.approx(0.25, rel=0.15)


def test_the_correlation_finding_quotes_the_last_layer_of_its_data() -> None:
    key = "ordered, sigma_w^2 = 0.5"
    text = S.finding("correlations", {key: {"measured": [0.9, 0.5, 0.3], "theory": [0.9, 0.6, 0.31],
                                            "sigma_w2": 0.5, "sigma_b2": 0.05}})
    assert f"After 3 layers the two inputs' correlation is {key}: 0.3 (theory 0.31)" in text
    assert "differ by at most 0.1 at any layer" in text  # |0.5 - 0.6|
    text = S.finding("correlations", {key: {"measured": [0.9, 0.5], "theory": [0.9, 0.6234], "sigma_w2": 0.5}})
    assert "differ by at most 0.12 at any layer" in text  # in 2 digits, as the correlations it quotes


def test_the_critical_line_spans_the_bias_range_from_tanhs_sigma_w2_of_1() -> None:
    # Poole et al. (2016), Schoenholz et al. (2017): tanh without biases is critical at sigma_w^2 = 1, and the
    # critical sigma_w^2 grows with sigma_b^2
    d = S.phase_diagram("tanh", sigma_b2=(0.0, 0.5), n=9)
    assert d["critical_b2"][0] == 0.0 and d["critical_b2"][-1] == 0.5 and len(d["critical_b2"]) == 5
    assert d["critical_b2"] == [0.0, 0.03125, 0.125, 0.28125, 0.5]  # quadratic: dense near 0, where the line is steep
    assert d["critical_w2"][0] == pytest.approx(1.0) and np.all(np.diff(d["critical_w2"]) > 0)


def test_the_jacobian_figure_plots_each_cases_mean_of_squared_singular_values() -> None:
    r = S.jacobian_spectra(depths=(2, 4), width=16, networks=1, rng=0)
    for key, case in r.items():  # mean of s^2: from the singular values themselves
        assert case["mean_sq"] == pytest.approx([np.mean(np.square(sv)) for sv in case["singular_values"]])
    for case in r.values():  # as isometry_section gives them: each median in a band from the lowest to the highest
        case.update(mean_sq_min=[0.5, 0.5], mean_sq_max=[2.0, 2.0], spread_min=[0.1, 0.1], spread_max=[3.0, 3.0])
    ax = S.figure("jacobian_spectra", r).axes[2]
    lines = {line.get_label(): line.get_ydata() for line in ax.lines}
    for key, case in r.items():
        np.testing.assert_allclose(lines[key], case["mean_sq"])
    assert len(ax.collections) == 4 and np.allclose(np.prod([ln.get_xdata() for ln in ax.lines[:4]], axis=0) ** 0.25,
                                                    [2, 4])  # the 4 cases' points spread evenly about each depth


def test_the_jacobian_ridges_are_histograms_of_log10_singular_values_from_1e_minus_4_to_10() -> None:
    r = S.jacobian_spectra(depths=(2, 4), width=16, networks=1, rng=0)
    fig = S.figure("jacobian_spectra", r)
    for ax, case in zip([fig.axes[i] for i in (0, 1, 3, 4)], r.values()):
        for row, (line, sv) in enumerate(zip(ax.lines, case["singular_values"])):
            with np.errstate(divide="ignore"):  # a zero singular value (ReLU) is -inf: below the range
                counts = np.histogram(np.log10(sv), 25, (-4.0, 1.0))[0]
            np.testing.assert_allclose(line.get_ydata(), row + 0.85 * counts / counts.max())
            np.testing.assert_allclose(line.get_xdata(), -4.0 + 0.2 * (np.arange(25) + 0.5))


def test_the_isometry_sentence_keeps_a_small_fraction_below_1e4() -> None:
    # the full report of seed 1 read "fall 0% at depth 2 and 74% at depth 64 (tanh, Gaussian)" beside a table whose
    # below_1e-4 at depth 2 is 0.005: one of 200 singular values, shown as none. Over seeds 4-6 (quick: 48 units) the
    # median is none, and seed 6 has one of 48: the seeds' range keeps it
    res = S.isometry_section(4, quick=True)
    row = next(r for r in res.tables["main"] if (r["weights"], r["depth"]) == ("tanh, Gaussian", 2))
    assert (row["below_1e-4"], row["below_1e-4_min"], row["below_1e-4_max"]) == (0.0, 0.0, 1 / 48)  # as measured
    assert "fall 0% at depth 2 and " in res.findings[1] and "(tanh, Gaussian) [seeds 0-2.1% and " in res.findings[1]


@pytest.mark.parametrize("call, name", [
    (lambda: S.correlations(depth=2, width=4, starts=np.array(0.5)), "starts"),
    (lambda: S.jacobian_spectra(depths=np.array(2), width=4), "depths"),
    (lambda: S.phase_diagram(sigma_w2=np.array(1.0), n=3), "sigma_w2"),
])
def test_a_0d_array_where_a_list_goes_is_named(call, name) -> None:  # was Python's "len() of unsized object"
    with pytest.raises(TypeError, match=f": {name} must list one or more values"):
        call()


def test_jacobian_spectra_refuses_a_network_too_big_for_memory_before_measuring_any(monkeypatch) -> None:
    # depths (2, 10**6): the shallow networks were measured, then the deep one refused in the name of `network`, a
    # function not called; a width of 20,000 at depth 1 passed that check (4e8 weights) and then held a batch of
    # 20,000 x 20,000 copies of the input and their activations for backward, gigabytes, before a day of SVDs
    built = []
    monkeypatch.setattr(S, "network", lambda *a, **k: built.append(a))
    for depths, width in (((2, 10**6), 100), ((1,), 20_000)):
        head = re.escape(f"jacobian_spectra: depth {max(depths):.3g} and width {width:.3g} keep ")
        with pytest.raises(ValueError, match=f"^{head}.* weights and activations for backward, beyond 5e8"):
            S.jacobian_spectra(depths, width, 1)
    assert built == []


@pytest.mark.parametrize("call, fn", [(lambda: S.correlations(depth=10**6, width=100), "correlations"),
                                      (lambda: S.trainability(sigma_w2s=[1.0], depths=[10**6], steps=1),
                                       "trainability")])
def test_a_network_too_big_is_refused_in_the_name_of_the_function_called(call, fn) -> None:
    with pytest.raises(ValueError, match=f"^{fn}: depth 1e\\+06 and width "):  # was 'network: ...'
        call()


def test_the_phase_diagram_names_itself_where_the_theory_refuses_a_variance() -> None:
    # sigma_w^2 up to 1e300 (tanh's q* past 1e200): the message began "chi1: q passes 1e200", a function not called
    with pytest.raises(ValueError, match=r"^phase_diagram: q passes 1e200 \(tanh, sigma_w\^2 = 5e\+299"):
        S.phase_diagram(sigma_w2=(1.0, 1e300), n=3)


def test_a_phase_diagram_of_more_points_than_a_slide_shows_is_refused_at_once() -> None:
    # n = 10**12 ended in numpy's "Unable to allocate 7.28 TiB"; n = 10**5 would have run 5e9 fixed points for hours
    for n in (10**12, 10**5, 1002):
        with pytest.raises(ValueError, match="^phase_diagram: n must be <= 1001"):
            S.phase_diagram(n=n)


def test_the_leaky_relu_phase_diagram_takes_the_slope_the_theory_takes() -> None:
    # the theory's chi1, critical_sigma_w2 and depth_scales take leaky_relu's negative_slope; phase_diagram drew only
    # the slope 0.01. A slope a: chi_1 = sigma_w^2 (1 + a^2) / 2 at every q, the critical line at 2 / (1 + a^2)
    d = S.phase_diagram("leaky_relu", n=5, negative_slope=0.5)
    np.testing.assert_allclose(np.exp(d["log_chi1"]), [np.array(d["sigma_w2"]) * 1.25 / 2] * 3, rtol=1e-12)
    assert d["critical_w2"] == [pytest.approx(1.6)] * 3 and d["negative_slope"] == 0.5
    text = S.finding("phase_diagram", d)
    assert text.startswith("Without biases the critical line of leaky_relu (negative_slope 0.5) starts at sigma_w^2 "
                           "= 1.6;") and "He (sigma_w^2 = 2) has chi_1 = 1.25, exploding" in text
    assert S.figure("phase_diagram", d).axes[0].get_title() == "leaky_relu (negative_slope 0.5): order and explosion"
    assert "negative_slope" not in S.finding("phase_diagram", S.phase_diagram("leaky_relu", n=3))  # 0.01, PyTorch's
    for slope, error in (("0.5", TypeError), (1e200, ValueError), (math.nan, ValueError)):
        with pytest.raises(error, match="^phase_diagram: negative_slope must be"):
            S.phase_diagram("leaky_relu", n=3, negative_slope=slope)


def test_the_jacobian_figure_of_one_depth_marks_its_references() -> None:
    # one depth: the theory chi_1^L and the L of Gaussian products were lines through one point, nothing drawn, though
    # the legend listed them
    fig = S.figure("jacobian_spectra", S.jacobian_spectra((5,), 6, 1))
    for ax, label in ((fig.axes[2], "theory chi_1^L (every case)"), (fig.axes[5], "L: a product of L Gaussian "
                                                                                   "matrices")):
        line = next(line for line in ax.lines if line.get_label() == label)
        assert line.get_marker() not in ("None", "", None) and line.get_markersize() > 10
    wide = S.figure("jacobian_spectra", S.jacobian_spectra((2, 3), 6, 1)).axes[2]
    assert next(line for line in wide.lines if line.get_label().startswith("theory")).get_marker() == "None"
