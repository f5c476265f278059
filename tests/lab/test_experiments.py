"""The lecture experiments (tinygrad_init.experiments): numbers from the literature, the theory, determinism."""

from __future__ import annotations

import contextlib
import json
import math
import sys

import numpy as np
import pytest

from tinygrad_init import experiments as E
from tinygrad_init import init, theory
from tinygrad_init.table import Table


@pytest.fixture(scope="module")
def full_sweep() -> E.Sweep:
    """The CS231n set-up at full size (10 layers x 500 units, batch 1000), for the schemes the tests need."""
    return E.run_sweep(("small", "large", "he_normal"), ("tanh", "relu"), rng=0)


@pytest.fixture(scope="module")
def quick_sweep() -> E.Sweep:
    return E.run_sweep(rng=3, quick=True)


# ---------------------------------------------------------------- experiment 1: the CS231n numbers


# Stanford CS231n (2017), lecture 6 "Training Neural Networks I", the slides on activation statistics:
# ten tanh layers of 500 units, W = 0.01 * np.random.randn(fan_in, fan_out), input 1000 x 500 unit
# gaussians; the printed per-layer stds of hidden layers 1..6.
CS231N_SMALL_TANH_STD = [0.213, 0.0476, 0.0106, 0.00238, 5.3e-4, 1.2e-4]


@pytest.mark.parametrize("seed", [0, 7])
def test_small_weights_with_tanh_reproduce_the_cs231n_stds(seed: int) -> None:
    run = E.run_one("small", "tanh", depth=10, width=500, batch=1000, rng=seed)
    std = run.values("act_std")
    np.testing.assert_allclose(std[:6], CS231N_SMALL_TANH_STD, rtol=0.05)
    # the activations collapse geometrically, by about 0.01 * sqrt(500) = 0.224 per layer
    np.testing.assert_allclose(std[1:] / std[:-1], 0.01 * math.sqrt(500), rtol=0.05)
    assert std[-1] < 1e-6


def test_he_with_relu_keeps_the_std_at_its_theoretical_value(full_sweep: E.Sweep) -> None:
    # He init: q = 500 * (2/500) * E[h^2] = 2 at every layer, so with E[relu(z)] = sqrt(q / (2 pi)) and
    # E[relu(z)^2] = q / 2 = 1 the activation std is sqrt(1 - 1/pi) = 0.8257 (He et al. 2015, eq. 7-10).
    expected = math.sqrt(1 - 1 / math.pi)
    run = full_sweep.run("he_normal", "relu")
    np.testing.assert_allclose(run.values("act_std_theory"), expected, rtol=1e-12)
    std = run.values("act_std")
    assert np.all((std > 0.6) & (std < 1.0)), std
    np.testing.assert_allclose(std, expected, rtol=0.10)


def test_unit_weights_saturate_tanh(full_sweep: E.Sweep) -> None:
    # CS231n lecture 6: with W = 1.0 * randn "almost all neurons completely saturated, either -1 and 1"
    run = full_sweep.run("large", "tanh")
    sat = run.values("saturated")
    assert np.all(sat > 0.85), sat
    # the pre-activations have std about sqrt(500) * std(h): P(|z| > atanh(0.99)) is the theory's number
    np.testing.assert_allclose(sat, run.values("saturated_theory"), atol=0.01)


def test_the_theory_predicts_the_forward_and_backward_stds(full_sweep: E.Sweep) -> None:
    for (scheme, act), run in full_sweep.runs.items():
        tol = 0.06 if act == "tanh" else 0.15  # finite-width ReLU nets wander more around the mean field
        for measured, predicted in (("act_std", "act_std_theory"), ("grad_act_std", "grad_act_std_theory"),
                                    ("grad_w_std", "grad_w_std_theory")):
            np.testing.assert_allclose(run.values(measured), run.values(predicted), rtol=tol,
                                       err_msg=f"{scheme}/{act}: {measured}")


def test_relu_runs_of_the_normal_schemes_are_rescaled_copies(quick_sweep: E.Sweep) -> None:
    # The normal schemes share the draws Z (W = s * Z) and relu is positively homogeneous, so the
    # activations of layer l scale exactly like s^l: the ratios of their stds are (s1/s2)^l.
    small, he = quick_sweep.run("small", "relu"), quick_sweep.run("he_normal", "relu")
    s_he = math.sqrt(2 / 100)
    layers = np.arange(1, 11)
    np.testing.assert_allclose(he.values("act_std") / small.values("act_std"), (s_he / 0.01) ** layers, rtol=1e-4)


def test_zero_init_makes_every_unit_constant(quick_sweep: E.Sweep) -> None:
    for act, value in (("tanh", 0.0), ("sigmoid", 0.5), ("relu", 0.0)):
        run = quick_sweep.run("zeros", act)
        np.testing.assert_array_equal(run.values("act_mean"), value)
        np.testing.assert_array_equal(run.values("act_std"), 0.0)
        # dL/dh_{l-1} = dL/dz_l @ W_l.T = 0 below the top layer, so every weight gradient is 0 there;
        # at the top dL/dW = h.T @ (f' * G), which is not 0 when h is not: sigmoid's h = 0.5
        grad_w = run.values("grad_w_std")
        np.testing.assert_array_equal(grad_w[:-1], 0.0)
        assert (grad_w[-1] > 0) == (act == "sigmoid")
        np.testing.assert_array_equal(run.values("grad_act_std")[:-1], 0.0)
        np.testing.assert_array_equal(run.values("act_std_theory"), 0.0)
        # the histograms put every value in one bin
        for counts, edges in run.histograms:
            assert np.count_nonzero(counts) == 1 and counts.sum() == 200 * 100
    assert np.all(quick_sweep.run("zeros", "relu").values("dead") == 1.0)


def test_the_sweep_matches_a_hand_computation_in_numpy() -> None:
    """Rebuild one quick run by hand: the draw order is the one run_sweep documents (X, G, weight seed)."""
    seed, width, batch = 11, 100, 200
    run = E.run_one("cs231n", "tanh", depth=4, width=width, batch=batch, rng=seed)
    gen = np.random.default_rng(seed)
    X = gen.standard_normal((batch, width)).astype(np.float32)
    G = gen.standard_normal((batch, width)).astype(np.float32)
    wgen = np.random.default_rng(int(gen.integers(0, 2**63 - 1)))
    Ws = [(wgen.standard_normal((width, width)) / math.sqrt(width)).astype(np.float32) for _ in range(4)]
    hs = [X.astype(np.float64)]
    for W in Ws:
        hs.append(np.tanh(hs[-1] @ W.astype(np.float64)))
    g = G.astype(np.float64)
    grads_h, grads_w = [], []
    for l in range(3, -1, -1):
        grads_h.append(g.std())
        dz = g * (1 - hs[l + 1] ** 2)
        grads_w.append((hs[l].T @ dz).std())
        g = dz @ Ws[l].T.astype(np.float64)
    grads_h, grads_w = grads_h[::-1], grads_w[::-1]
    np.testing.assert_allclose(run.values("act_std"), [h.std() for h in hs[1:]], rtol=1e-5)
    np.testing.assert_allclose(run.values("act_mean"), [h.mean() for h in hs[1:]], rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(run.values("saturated"), [np.mean(np.abs(h) > 0.99) for h in hs[1:]], atol=1e-3)
    np.testing.assert_allclose(run.values("grad_act_std"), grads_h, rtol=1e-5)
    np.testing.assert_allclose(run.values("grad_w_std"), grads_w, rtol=1e-5)
    counts, edges = run.histograms[0]
    np.testing.assert_array_equal(counts, np.histogram(hs[1].astype(np.float32), bins=50, range=(-1, 1))[0])


def test_a_run_does_not_depend_on_the_rest_of_the_sweep(quick_sweep: E.Sweep) -> None:
    alone = E.run_one("large", "sigmoid", depth=10, width=100, batch=200, rng=3)
    assert alone.to_dict() == quick_sweep.run("large", "sigmoid").to_dict()


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    a = E.activation_statistics(rng=5, quick=True, schemes=("small", "he_normal"), activations=("tanh",))
    b = E.activation_statistics(rng=5, quick=True, schemes=("small", "he_normal"), activations=("tanh",))
    c = E.activation_statistics(rng=6, quick=True, schemes=("small", "he_normal"), activations=("tanh",))
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    assert a.table["act_std"].tolist() != c.table["act_std"].tolist()


def test_a_generator_is_accepted_and_advanced() -> None:
    gen = np.random.default_rng(2)
    first = E.run_one("small", "tanh", depth=2, width=20, batch=30, rng=gen)
    second = E.run_one("small", "tanh", depth=2, width=20, batch=30, rng=gen)
    assert first.values("act_std").tolist() != second.values("act_std").tolist()
    again = E.run_one("small", "tanh", depth=2, width=20, batch=30, rng=np.random.default_rng(2))
    assert again.to_dict() == first.to_dict()


def test_activation_statistics_result(quick_sweep: E.Sweep) -> None:
    res = E.activation_statistics(sweep=quick_sweep)
    assert isinstance(res.table, Table) and len(res.table) == 5 * 3 * 10
    assert set(res.tables) == {"main", "summary"}
    assert res.figure_names == ["std", "hist_tanh", "hist_sigmoid", "hist_relu"]
    assert res._figures == {}  # nothing is drawn before it is asked for
    from matplotlib.figure import Figure

    fig = res.figure
    assert isinstance(fig, Figure) and res.get_figure("std") is fig
    hist = res.get_figure("hist_tanh")
    assert len([ax for ax in hist.axes if ax.get_visible()]) == 5 * 10
    text = json.dumps(res.to_dict(), allow_nan=False)
    assert json.loads(text)["name"] == "activations"
    assert any("small 0.01*randn" in f for f in res.findings)
    assert "Activation statistics" in str(res)
    with pytest.raises(KeyError, match="hist_relu"):
        res.get_figure("hist_elu")


# ---------------------------------------------------------------- experiment 2: gradients


def test_gradient_statistics_tables_and_ratios(quick_sweep: E.Sweep) -> None:
    res = E.gradient_statistics(sweep=quick_sweep)
    t = res.table
    assert len(t) == 150
    rows = [r for r in t if r["scheme"] == "cs231n" and r["activation"] == "tanh"]
    assert [r["layer"] for r in rows] == list(range(1, 11))
    for r in rows:
        assert r["grad_w_ratio"] == pytest.approx(r["grad_w_std"] / r["grad_w_std_theory"])
        assert 0.8 < r["grad_act_ratio"] < 1.2
    # the upstream gradient at the top is the seeded standard normal: std about 1, not a constant
    assert rows[-1]["grad_act_std"] == pytest.approx(1.0, abs=0.02)
    zeros = [r for r in t if r["scheme"] == "zeros" and r["layer"] < 10]
    assert all(r["grad_w_std"] == 0 and r["grad_act_ratio"] is None for r in zeros)
    summary = res.tables["theory_summary"]
    assert len(summary) == 15 and "grad_w_ratio_worst" in summary.columns
    assert len(res.tables["theory_vs_measurement"]) == 150
    assert res.figure.axes[0].get_yscale() == "log"


def test_small_weights_make_tanh_gradients_vanish_towards_the_input(quick_sweep: E.Sweep) -> None:
    run = quick_sweep.run("small", "tanh")
    g = run.values("grad_act_std")
    # each layer down multiplies dL/dh by about 0.01 * sqrt(fan_out) = 0.1 (width 100, tanh' ~ 1)
    np.testing.assert_allclose(g[:-1] / g[1:], 0.1, rtol=0.1)


# ---------------------------------------------------------------- experiment 3: symmetry


def test_zero_and_constant_init_never_break_the_symmetry() -> None:
    res = E.symmetry(rng=0, quick=True)
    rows = {(r["init"], r["layer"]): r for r in res.table}
    for layer in ("layers.0", "layers.2"):
        assert rows[("zeros", layer)]["distinct_units"] == 1
        assert rows[("zeros", layer)]["max_weight_change"] == 0.0  # nothing ever moves
        assert rows[("constant", layer)]["distinct_units"] == 1
        assert rows[("constant", layer)]["max_weight_change"] > 1e-3  # they move, but together
        assert rows[("xavier_uniform", layer)]["distinct_units"] == 8
    assert res.data["zeros"]["loss"][-1] == pytest.approx(math.log(2), abs=1e-6)
    assert rows[("xavier_uniform", "layers.0")]["final_loss"] < rows[("constant", "layers.0")]["final_loss"]


def test_distinct_units() -> None:
    W = np.array([[1.0, 1.0, 2.0], [3.0, 3.0, 3.0]])
    assert E.distinct_units(W) == 2
    assert E.distinct_units(W, bias=np.array([0.0, 0.5, 0.0])) == 3
    assert E.distinct_units(W, outgoing=np.array([[1.0], [1.0], [1.0]])) == 2
    assert E.distinct_units(W + np.array([0.0, 1e-9, 0.0])) == 2  # float rounding is not a difference
    assert E.distinct_units(np.zeros((4, 6))) == 1
    with pytest.raises(ValueError, match=r"bias must have shape \(3,\)"):
        E.distinct_units(W, bias=np.zeros(2))
    with pytest.raises(ValueError, match="2-D"):
        E.distinct_units(np.zeros(3))


# ---------------------------------------------------------------- experiment 4: training


def test_training_from_zeros_stays_at_ln2_and_he_learns_the_circles() -> None:
    res = E.training(rng=0, quick=True)
    zeros = res.data["zeros"]
    # zero weights and zero biases: the logits are 0 forever, so the loss is ln 2 and every point is
    # put in class 0 (deeplearning.ai, Improving Deep Neural Networks, week 1: cost 0.6931, accuracy 50%)
    np.testing.assert_allclose(zeros["loss"], math.log(2), atol=1e-6, rtol=0)
    assert set(zeros["accuracy"]) == {0.5}
    assert res.data["he_normal"]["accuracy"][-1] > 0.95
    assert res.data["large10"]["loss"][0] > 10 * math.log(2)  # huge logits: a huge initial loss
    rows = {r["init"]: r for r in res.table}
    assert rows["he_normal"]["final_loss"] < 0.1 < rows["zeros"]["final_loss"]
    assert rows["zeros"]["formula"] == "0"


# ---------------------------------------------------------------- experiment 5: depth


def test_thirty_relu_layers_xavier_stalls_he_trains() -> None:
    res = E.depth(rng=0, quick=True)
    x, h = res.data["xavier_uniform"], res.data["he_normal"]
    # He et al. (2015), Fig. 3: a 30-layer ReLU net from "Xavier" init does not learn, from He init it does
    assert abs(x["loss"][-1] - x["loss"][0]) < 0.02 * x["loss"][0]
    assert h["loss"][-1] < 0.5 * h["loss"][0]
    # why: each ReLU layer halves the variance under Var(W) = 1/fan_in
    act = np.array(x["act_std_init"][:-1])
    assert act[-1] < 1e-3 * act[0]
    ratio = act[1:] / act[:-1]
    assert 0.5 < np.exp(np.mean(np.log(ratio))) < 0.9  # about 1/sqrt(2) per layer
    rows = {r["init"]: r for r in res.table}
    # and the first layer's weight gradient with it: the backward signal shrinks the same way
    assert rows["xavier_uniform"]["grad_w_std_layer_1"] < 1e-3 * rows["he_normal"]["grad_w_std_layer_1"]
    he_act = np.array(h["act_std_init"][:-1])
    assert he_act.min() > 0.1 * he_act[0]  # He: no geometric decay (a finite width wanders around the theory)


# ---------------------------------------------------------------- experiment 6: batch norm


def test_batch_norm_keeps_the_bad_schemes_healthy(quick_sweep: E.Sweep) -> None:
    res = E.batch_norm(rng=3, quick=True, plain=quick_sweep)
    for r in res.table:
        assert 0.95 < r["bn_pre_std"] < 1.01, r
        if r["activation"] == "tanh":
            assert r["bn_saturated_or_dead"] < 0.02  # ~0.8% of N(0, 1) lies beyond atanh(0.99)
    plain_large_tanh = [r["plain_saturated_or_dead"] for r in res.table
                        if r["scheme"] == "large" and r["activation"] == "tanh"]
    assert min(plain_large_tanh) > 0.5
    small = [r for r in res.table if r["scheme"] == "small" and r["activation"] == "tanh"]
    assert small[-1]["linear_std"] < 0.1  # what batch norm receives is tiny; what it gives is not
    with pytest.raises(ValueError, match="batchnorm"):
        E.batch_norm(sweep=quick_sweep)  # a sweep without batch norm where one with it is needed


# ---------------------------------------------------------------- the sweep table and errors


def test_sweep_table_has_probe_and_theory_columns() -> None:
    t = E.sweep_table("he_normal", "relu", depth=3, width=40, batch=50, rng=1)
    assert t.columns[:3] == ("layer", "pre_std", "pre_std_theory")
    assert "dead" in t.columns and "saturated" not in t.columns
    assert "grad_w_std_theory" in t.columns and len(t) == 3
    bn = E.sweep_table("small", "tanh", depth=2, width=40, batch=50, rng=1, batchnorm=True)
    assert "linear_std" in bn.columns and not any(c.endswith("_theory") for c in bn.columns)


@pytest.mark.parametrize("call,fragment", [
    (lambda: E.run_sweep(("small",), ("elu",), quick=True), "unknown activation 'elu'; choose one of tanh"),
    (lambda: E.run_sweep(("he_nromal",), quick=True), "Did you mean 'he_normal'"),
    (lambda: E.run_sweep(("xavier",), quick=True), "ambiguous"),
    (lambda: E.run_sweep(("lsuv",), quick=True), "data-dependent"),
    (lambda: E.run_sweep(("small",), depth=0), "depth must be an integer >= 1"),
    (lambda: E.run_sweep(("small",), batch=1), "batch must be an integer >= 2"),
    (lambda: E.run_sweep((), quick=True), "schemes is empty"),
    (lambda: E.run_sweep(("small", "small"), quick=True), "lists a name twice"),
    (lambda: E.symmetry(lr=-1), "lr must be a positive number"),
])
def test_clear_errors(call, fragment: str) -> None:
    with pytest.raises(ValueError) as exc:
        call()
    assert fragment in str(exc.value)


def test_a_given_sweep_must_hold_the_runs(quick_sweep: E.Sweep) -> None:
    with pytest.raises(ValueError, match="does not hold every run"):
        E.activation_statistics(sweep=quick_sweep, schemes=("xavier_uniform",))
    with pytest.raises(KeyError, match="no run of scheme 'orthogonal'"):
        quick_sweep.run("orthogonal", "tanh")


def test_misspelled_sizes_are_named(quick_sweep: E.Sweep) -> None:
    with pytest.raises(TypeError, match="unknown keyword argument.*widht.*depth, width, batch and bins"):
        E.activation_statistics(quick=True, widht=10)
    with pytest.raises(ValueError, match="either sweep= .* or sizes"):
        E.gradient_statistics(sweep=quick_sweep, width=10)


def test_theory_vs_measurement_refuses_batch_norm() -> None:
    bn = E.run_sweep(("small",), ("tanh",), depth=2, width=10, batch=20, batchnorm=True)
    with pytest.raises(ValueError, match="does not model batch norm"):
        E.theory_vs_measurement(bn)


# ---------------------------------------------------------------- BLAS threads


def test_single_threaded_blas_changes_no_number_and_restores_the_setting(monkeypatch) -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    with E._blas_single_thread():
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before
    limited = E.symmetry(rng=4, quick=True, steps=20).to_dict()
    monkeypatch.setattr(E, "_blas_single_thread", contextlib.nullcontext)
    threaded = E.symmetry(rng=4, quick=True, steps=20).to_dict()
    assert json.dumps(limited) == json.dumps(threaded)


# ---------------------------------------------------------------- progress


def test_progress_without_tqdm_prints_plain_lines_to_stderr(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError
    E.run_sweep(("small",), ("tanh", "relu"), depth=2, width=10, batch=20, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "sweep: 0/2" in captured.err and "sweep: 2/2 small/relu" in captured.err


def test_progress_with_tqdm_goes_to_stderr(capsys) -> None:
    pytest.importorskip("tqdm")
    E.run_sweep(("small",), ("tanh",), depth=2, width=10, batch=20, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "sweep" in captured.err


def test_silent_by_default(capsys) -> None:
    E.run_sweep(("small",), ("tanh",), depth=2, width=10, batch=20)
    assert capsys.readouterr() == ("", "")


def test_scheme_labels_name_real_schemes() -> None:
    for name in E.SCHEMES:
        init.get(name)  # every default scheme exists
        assert name in E.SCHEME_LABELS
    # the CS231n "Xavier" of the sweep and Glorot's agree in variance for square layers
    assert init.get("cs231n").std(500, 500) == pytest.approx(init.get("xavier_uniform").std(500, 500))
    assert theory.predict([500] * 3, "tanh", "cs231n").act_std == pytest.approx(
        theory.predict([500] * 3, "tanh", "xavier_uniform").act_std)
