"""The numbers the lab measures, at the edges a changed comparison or axis would move: each checked against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.diagnostics import Diagnostics
from tinygrad_init.lab import theory
from tinygrad_init.lab.experiments import judge, nearby
from tinygrad_init.lab.probe import Probe
from tinygrad_init.lab.spectra import PHASES, correlations, jacobian_spectra, network
from tinygrad_init.lab.training import distinct_units, fit, seeds_of
from tinygrad_init.nn.optim import SGD


def _one_to_one(n: int, activation: nn.Module, dtype=np.float64) -> nn.Sequential:
    lin = nn.Linear(n, n, bias=False, rng=0, dtype=dtype)
    lin.weight.data[...] = np.eye(n, dtype=dtype)
    return nn.Sequential(lin, activation)


def test_float32_tanh_at_float32_0_99_is_beyond_0_99():
    # float32(0.99) = 0.99000000954 > 0.99: saturated, compared in float64 (in float32 it would equal the threshold)
    z = np.float32(np.arctanh(0.99))
    z = next(v for v in (z + k * np.spacing(z) for k in range(-50, 51)) if np.tanh(v) == np.float32(0.99))
    model = _one_to_one(1, nn.Tanh(), np.float32)
    with Probe(model) as probe:
        h = model(Tensor(np.array([[z], [0.0]], dtype=np.float32))).data
    assert h[0, 0] == np.float32(0.99) and float(h[0, 0]) > 0.99
    assert probe.stats("forward")["saturated"] == [np.mean(np.abs(h.astype(np.float64)) > 0.99)] == [0.5]


def test_a_relu_unit_with_small_positive_outputs_is_alive():
    # dead: 0 for the whole batch, not near 0; unit 0 gives 0.002..0.008 (alive), unit 1 only 0 (dead)
    X = np.array([[0.005, -1.0], [0.002, -0.5], [0.008, 0.0]])
    model = _one_to_one(2, nn.ReLU())
    with Probe(model) as probe:
        model(Tensor(X))
    assert probe.stats("forward")["dead"] == [np.mean(np.all(np.maximum(X, 0) == 0, axis=0))] == [0.5]


def test_two_activations_of_one_layer_output_get_a_row_each():
    # z = x W; tanh(z) on the layer's row, sigmoid(z) on a row of its own: neither overwrites the other's numbers
    lin, tanh, sigmoid = nn.Linear(2, 3, rng=0, dtype=np.float64), nn.Tanh(), nn.Sigmoid()

    class Both(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin, self.tanh, self.sigmoid = lin, tanh, sigmoid

        def forward(self, x):
            z = self.lin(x)
            return self.tanh(z) + self.sigmoid(z)

    X = np.random.default_rng(0).standard_normal((4, 2))
    model = Both()
    with Probe(model) as probe:
        model(Tensor(X))
    z = X @ lin.weight.data + lin.bias.data
    table = probe.stats("forward")
    assert table["act"] == ["tanh", "sigmoid"] and table["pre_std"] == pytest.approx([z.std()] * 2, rel=1e-12)
    assert table["act_mean"] == pytest.approx([np.tanh(z).mean(), (1 / (1 + np.exp(-z))).mean()], rel=1e-12)


def test_a_nan_activation_is_not_counted_outside_hist_range():
    # tanh of [nan, 0.5, 2]: 0.964 is outside (-0.9, 0.9), nan is non-finite (its own warning), not outside
    model = _one_to_one(1, nn.Tanh())
    with Probe(model, hist_range=(-0.9, 0.9)) as probe:
        model(Tensor(np.array([[np.nan], [0.5], [2.0]])))
    notes = [n for n in probe.stats("forward").notes if "outside hist_range" in n]
    assert len(notes) == 1 and notes[0].startswith(f"0: {np.sum(np.abs(np.tanh([0.5, 2.0])) > 0.9)} activation value")


def test_diagnostics_saturated_counts_tanh_beyond_0_97_not_at_it():
    # Karpathy's |tanh| > 0.97: z with tanh(z) = 0.97 exactly (and -z) sit at the edge, not beyond; tanh(3) beyond
    z = np.arctanh(0.97)
    z = next(v for v in (z + k * np.spacing(z) for k in range(-50, 51)) if np.tanh(v) == 0.97)
    model = _one_to_one(1, nn.Tanh())
    diag = Diagnostics(model)
    h = model(Tensor(np.array([[z], [-z], [0.0], [3.0]]))).data
    assert [r["fraction"] for r in diag.records[0]["layers"].values()] == [np.mean(np.abs(h) > 0.97)] == [0.25]


def test_diagnostics_dead_counts_units_zero_for_the_whole_batch():
    # unit 0: positive once (tiny), else 0: alive; unit 1: 0 for every example: dead; 1/2 of the units, 5/6 entries 0
    X = np.array([[1e-4, -1.0], [-1.0, -2.0], [-3.0, 0.0]])
    model = _one_to_one(2, nn.ReLU())
    diag = Diagnostics(model)
    model(Tensor(X))
    assert [r["fraction"] for r in diag.records[0]["layers"].values()] == [
        np.mean(np.all(np.maximum(X, 0) == 0, axis=0))] == [0.5]


def test_diagnostics_relu_histogram_keeps_the_first_steps_edges():
    # ReLU has no upper limit: the edges are 0 and mean + 4 std of the first recorded step, the same at every step
    # (the colorful dimension plot stacks them), values beyond them counted in the last bin
    X = np.random.default_rng(0).standard_normal((40, 3))
    model = _one_to_one(3, nn.ReLU())
    diag = Diagnostics(model, bins=8)
    h1, h2 = (model(Tensor(x)).data for x in (X, 5 * X))
    hi = h1.mean() + 4 * h1.std()
    (lo1, hi1, c1), (lo2, hi2, c2) = (r["layers"]["1"]["hist"] for r in diag.records)
    assert (lo1, lo2) == (0.0, 0.0) and hi1 == hi2 == pytest.approx(hi, rel=1e-12)
    np.testing.assert_array_equal(c2, np.histogram(np.minimum(h2, hi2), 8, (0.0, hi2))[0])
    assert c2[-1] > c1[-1] and c2.sum() == h2.size


def test_diagnostics_histograms_count_the_first_sample_entries():
    X = np.random.default_rng(0).standard_normal((4, 3))
    model = _one_to_one(3, nn.Tanh())
    diag = Diagnostics(model, bins=4, sample=5)
    h = model(Tensor(X)).data
    np.testing.assert_array_equal(diag.records[0]["layers"]["1"]["hist"][2], np.histogram(h.ravel()[:5], 4, (-1, 1))[0])


def _sgd_step(dtype, lr):
    model = nn.Sequential(nn.Linear(4, 3, rng=0, dtype=dtype), nn.Tanh())
    opt = SGD(model.parameters(), lr=lr)
    diag = Diagnostics(model, opt)
    out = model(Tensor(np.random.default_rng(1).standard_normal((6, 4)).astype(dtype)))
    (out * out).sum().backward()
    w, g = model[0].weight.data.astype(np.float64), model[0].weight.grad.astype(np.float64)
    return model, opt, diag, w, g


def test_diagnostics_update_data_of_plain_sgd_is_lr_grad_before_its_rounding():
    # update:data = lr std(grad) / std(W before): in float32, W_after - W_before is that step rounded into W
    model, opt, diag, w, g = _sgd_step(np.float32, 1e-6)
    opt.step()
    p = diag.records[0]["params"]["0.weight"]
    assert p["update_data"] == pytest.approx(1e-6 * g.std() / w.std(), rel=1e-5)
    assert p["grad_data"] == pytest.approx(g.std() / w.std(), rel=1e-5)
    assert p["grad_hist"][:2] == pytest.approx((-4 * g.std(), 4 * g.std()), rel=1e-5)  # +-4 std, as dL/dh's
    moved = (model[0].weight.data.astype(np.float64) - w).std() / w.std()
    assert abs(moved / p["update_data"] - 1) > 1e-4  # the rounded step: another number


def test_diagnostics_a_second_step_without_a_pass_keeps_the_first_steps_numbers():
    model, opt, diag, w, g = _sgd_step(np.float64, 0.1)
    opt.step()
    opt.step()  # the same gradient again, W moved: not this record's step
    assert diag.records[0]["params"]["0.weight"]["update_data"] == pytest.approx(0.1 * g.std() / w.std(), rel=1e-12)


def test_diagnostics_std_of_float64_activations_after_float32_ones_is_float64s():
    # float32 weights: a float32 batch gives float32 h, a float64 batch float64 h; the second std is not float32's
    model = _one_to_one(3, nn.Tanh(), np.float32)
    diag = Diagnostics(model)
    X = np.random.default_rng(0).standard_normal((400, 3))
    model(Tensor(X.astype(np.float32)))
    h = model(Tensor(X)).data
    assert h.dtype == np.float64 and diag.records[1]["layers"]["1"]["std"] == pytest.approx(h.std(), rel=1e-13)


def test_fit_gives_relu_slope_0_at_a_pre_activation_of_exactly_0():
    # the point (0, 0) with zero biases: z = 0 exactly in layer 1, where relu'(0) = 0 (PyTorch's): b1 gets nothing
    # from it; one step of training.fit against the mean BCE's gradient in numpy
    X, y = np.array([[0.0, 0.0], [1.0, -2.0], [-0.5, 1.5]]), np.array([1, 0, 1])
    model = nn.MLP([2, 3, 1], activation="relu", rng=0, dtype=np.float64)
    for lin in model.linears():
        lin.bias.data[...] = 0.0
    W1, W2 = (lin.weight.data.copy() for lin in model.linears())
    z = X @ W1
    g = (1 / (1 + np.exp(-np.maximum(z, 0) @ W2)) - y[:, None]) / len(X)  # dL/dlogit
    fit([model], X, y, steps=1, lr=0.5)
    assert (z[0] == 0).all()
    np.testing.assert_allclose(model.linears()[0].bias.data, -0.5 * ((g @ W2.T) * (z > 0)).sum(0), rtol=1e-12)


def test_fit_records_the_last_step_and_the_hidden_layers_population_std():
    X, y = np.random.default_rng(0).standard_normal((5, 2)), np.array([0, 1, 1, 0, 1])
    model = nn.MLP([2, 4, 1], rng=0, dtype=np.float64)
    h = np.tanh(X @ model.linears()[0].weight.data + model.linears()[0].bias.data)  # before training
    hist = fit([model], X, y, steps=3, every=2, lr=0.1, watch=True)
    assert list(hist["step"]) == [0, 2, 3]  # every 2nd step and the last
    assert hist["hidden_std"][0, 0, 0] == pytest.approx(h.std(), rel=1e-12)  # over batch x units, ddof 0


def test_distinct_units_tolerance_is_relative_to_the_largest_parameter():
    # rtol * max |parameter|: 1e3 and 1e3 + 1e-3 agree (tol 1e-2), 1e-3 and 1.001e-3 do not (tol 1e-8); rtol=0: equal
    assert distinct_units(np.array([[1e3, 1e3 + 1e-3]])) == 1
    assert distinct_units(np.array([[1e-3, 1.001e-3]])) == 2
    assert distinct_units(np.array([[0.5, 0.5, 0.25]]), rtol=0.0) == 2
    assert distinct_units(np.zeros((3, 0))) == 0  # no units
    assert distinct_units(np.array([[1e-3, 1.001e-3]]), bias=[100.0, 100.0]) == 1  # the bias is a parameter too


def test_seeds_of_an_int_count_up_from_it_and_a_generators_are_drawn_from_it():
    assert seeds_of(7, None, True)[1] == [7, 8, 9] and seeds_of(7, None, False)[1] == [7, 8, 9, 10, 11]
    assert seeds_of(np.random.default_rng(0), 2, False)[1] == list(np.random.default_rng(0).integers(0, 2**31 - 1, 2))


def test_jacobian_spectra_numbers_follow_from_its_singular_values():
    # mean_sq = mean(s^2) over the pooled networks' singular values, spread = Var(s^2) / mean(s^2)^2 (population),
    # theory = chi_1^depth; width singular values per network
    res = jacobian_spectra(depths=(1, 3), width=4, networks=2, rng=0)
    for r in res.values():
        chi = theory.fixed_point("tanh" if r["sigma_w2"] != 2.0 else "relu", r["sigma_w2"], r["sigma_b2"]).chi
        assert r["theory"] == pytest.approx([chi, chi ** 3], rel=1e-12)
        for s, m, v in zip(r["singular_values"], r["mean_sq"], r["spread"]):
            lam = np.square(s)
            assert len(s) == 8 and m == pytest.approx(lam.mean(), rel=1e-12)
            assert v == pytest.approx(lam.var() / lam.mean() ** 2, rel=1e-12)


def test_jacobian_spectra_of_one_tanh_layer_are_those_of_its_jacobian_in_numpy():
    # the first case drawn from rng 0: an input of per-entry variance (q* - sigma_b^2) / sigma_w^2 (so that q_1 = q*),
    # then the layer; J[i, j] = tanh'(z_i) W[j, i] (W is (fan_in, fan_out))
    res = jacobian_spectra(depths=(1,), width=4, networks=1, rng=0)["tanh, Gaussian"]
    gen, sw, sb = np.random.default_rng(0), res["sigma_w2"], res["sigma_b2"]
    x = gen.standard_normal(4) * np.sqrt((res["q_star"] - sb) / sw)
    lin = network(1, 4, "tanh", sw, sb, rng=gen)[0]
    z = x @ lin.weight.data + lin.bias.data
    J = (1 - np.tanh(z) ** 2)[:, None] * lin.weight.data.T
    np.testing.assert_allclose(res["singular_values"][0], np.linalg.svd(J, compute_uv=False), rtol=1e-10)


def test_correlations_measure_the_cosine_of_two_inputs_pre_activations():
    # the first phase's one network and pair, from rng 0: c_1 = y1 . y2 / (|y1| |y2|), not centred; the theory starts
    # from it and applies the correlation map
    res = correlations(depth=2, width=4, starts=(0.5,), networks=1, pairs=1, rng=0)
    phase, sw = next(iter(PHASES.items()))
    r, gen = res[f"{phase}, c0 = 0.5"], np.random.default_rng(0)
    q = theory.fixed_point("tanh", sw, 0.05).q
    z = gen.standard_normal((2, 4))
    h = np.stack([z[0], 0.5 * z[0] + np.sqrt(0.75) * z[1]]) * np.sqrt((q - 0.05) / sw)
    lin = network(2, 4, "tanh", sw, 0.05, rng=gen)[0]
    y = h @ lin.weight.data + lin.bias.data
    c1 = y[0] @ y[1] / np.sqrt((y[0] @ y[0]) * (y[1] @ y[1]))
    assert len(r["measured"]) == len(r["theory"]) == 2 and r["theory"][0] == r["measured"][0]
    assert r["measured"][0] == pytest.approx(c1, rel=1e-12)
    assert r["theory"][1] == pytest.approx(theory.correlation_map("tanh", c1, sw, 0.05, q=q), rel=1e-12)


def test_nearby_tries_the_thresholds_on_both_sides():
    # dead thresholds 0.4 / 0.5 / 0.6: a last layer 55% dead dies, and holds with 0.6; 42% holds, and dies with 0.4
    def say(dead):
        return lambda t: judge([1.0, 1.0], [1.0, 1.0], [0.0, dead], "relu", t)
    assert nearby(say(0.55)) == ("dies", ["holds"]) and nearby(say(0.42)) == ("holds", ["dies"])
    assert nearby(say(0.7)) == ("dies", [])
    # 45% dead, std of h falling to 0.08: vanishes; dies at dead 0.4, holds at shrink 0.05: both, in sorted order
    said = nearby(lambda t: judge([1.0, 0.08], [1.0, 1.0], [0.0, 0.45], "relu", t))
    assert said == ("vanishes", ["dies", "holds"])


def test_judge_calls_symmetric_an_exactly_0_std_at_layer_1_only():
    ones, none = [1.0, 1.0], [0.0, 0.0]
    assert judge([0.0, 1.0], ones, none, "tanh") == "symmetric"
    assert judge([1e-13, 1e-13], ones, none, "tanh") == "holds"  # tiny, but its units differ
    assert judge([1.0, 0.0], ones, none, "tanh") == "vanishes"  # layer 1 not symmetric: h fell to 0 on the way
