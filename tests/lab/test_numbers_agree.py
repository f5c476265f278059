"""The same number wherever a lecturer takes it from (the report, the command, a second call), and the theory's numbers
that its other tests left unchecked, against values computed independently (by hand, or by mpmath at 30 digits)."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout

import numpy as np
import pytest

from tinygrad_init import Tensor, cli, experiments, nn, theory
from tinygrad_init.lab import probe

from lab import _runs


@_runs.QUICK_REPORT
@pytest.mark.parametrize("scheme,activation", [("small", "tanh"), ("large", "sigmoid"), ("he_normal", "relu")])
def test_the_report_and_the_sweep_command_print_the_same_numbers(scheme, activation, tmp_path_factory) -> None:
    # the report's per-layer tables (made in its worker processes) and `tinygrad-init sweep` at the report's settings,
    # in this process, every digit
    results = {r.name: r for r in _runs.quick_report(tmp_path_factory).results}
    st = results["activations"].settings
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli.main(["sweep", "--init", scheme, "--activation", activation, "--format", "json", "--seed",
                         str(st["seed"]), *(f"--{k}={st[k]}" for k in ("depth", "width", "batch"))]) == 0
    rows = json.loads(buf.getvalue())["rows"]
    for name in ("activations", "gradients"):
        want = [r for r in results[name].tables["main"].rows if (r["scheme"], r["activation"]) == (scheme, activation)]
        assert len(want) == len(rows) == st["depth"]
        assert [{k: v for k, v in w.items() if k in got} for w, got in zip(want, rows)] == \
            [{k: v for k, v in got.items() if k in w} for w, got in zip(want, rows)]


def test_a_second_call_and_the_global_numpy_state_change_no_number() -> None:
    # no hidden global generator, no state kept between calls: the same seed, the same numbers, whatever ran between
    # and whatever the user did to np.random; a model passed to probe_model comes back as it was
    def sizes():
        return experiments.run_one("xavier_normal", "tanh", depth=3, width=20, batch=30, rng=1).to_dict()
    first, state = sizes(), np.random.get_state()  # noqa: NPY002 (the user's global generator, put back below)
    try:
        np.random.seed(123)  # noqa: NPY002
        np.random.standard_normal(7)  # noqa: NPY002
        theory.predict([5, 5], "relu", "he_normal")
        assert sizes() == first
    finally:
        np.random.set_state(state)  # noqa: NPY002
    model = nn.Sequential(nn.Linear(4, 6, rng=0), nn.Tanh(), nn.Linear(6, 2, rng=1))
    model(Tensor(np.ones((3, 4), np.float32))).sum().backward()
    model[0].weight.requires_grad = False
    before = [(p.data.copy(), p.grad.copy(), p.requires_grad) for p in model.parameters()]
    x = np.random.default_rng(0).standard_normal((8, 4))
    tables = [probe.probe_model(model, x, rng=2).rows for _ in range(2)]
    assert tables[0] == tables[1] and x.tolist() == np.random.default_rng(0).standard_normal((8, 4)).tolist()
    for (data, grad, flag), p in zip(before, model.parameters()):
        assert np.array_equal(p.data, data) and np.array_equal(p.grad, grad) and p.requires_grad is flag


def test_biases_enter_the_variance_every_layer_passes_on() -> None:
    # q_l = n Var(W) E[h_{l-1}^2] + sigma_b^2 feeds E[h_l^2]; only pre_std had been checked, which predict computes
    # apart, so a recursion without the bias (or with sigma_b for sigma_b^2) passed. Linear: by hand
    r = theory.predict([100, 100, 100], "linear", 0.1, bias_std=0.5)
    assert (r.act_std ** 2).tolist() == pytest.approx([1.25, 1.5], rel=1e-14)  # 1 + 0.25; 1.25 + 0.25
    assert (r.pre_std ** 2).tolist() == pytest.approx([1.25, 1.5], rel=1e-14)
    # tanh: sqrt(E[tanh(u)^2]), u ~ N(0, 1.25) (mpmath, 30 digits)
    r = theory.predict([100, 100], "tanh", 0.1, bias_std=0.5)
    assert r.act_std[0] == pytest.approx(0.659564393360205207, rel=1e-12)


def test_relu_at_zero_variance_is_all_zero_and_a_negative_slope_is_never_zero() -> None:
    # relu(0) = 0: a layer after all-zero weights has every unit off (the theory said 0.5); f(z) = a z with a < 0 is 0
    # only at z = 0 (a negative slope was counted as relu's half)
    assert theory.predict([4, 4, 4], "relu", "zeros").zero_fraction.tolist() == [1.0, 1.0]
    assert theory.activation_moments("leaky_relu", 1.0, negative_slope=-0.5).zero == 0.0


def test_sigmoid_variance_map_slope_where_the_quadrature_takes_over() -> None:
    # sigma_w^2 = 1e-6: q* = 2.5e-7, between the series (q <= 1e-10) and the quadrature; the slope sigma_w^2 (1/16 -
    # q*/16 + ...) by mpmath at 30 digits. The series' 1/16 there is 2.5e-7 off, which xi_q shows
    fp = theory.fixed_point("sigmoid", 1e-6)
    assert fp.q == pytest.approx(2.500000156249990e-7, rel=1e-12, abs=0)
    assert fp.slope == pytest.approx(6.2499984375003174e-8, rel=1e-10, abs=0)


def test_saturated_fraction_at_a_threshold_beyond_sigmoid_of_20() -> None:
    # |sigmoid - 1/2| within 2^-30 of 1/2: z beyond log((1 - e) / e) = 20.79, P = erfc(20.79 / sqrt 2) (mpmath); float64
    # resolves sigmoid near 1 to 1e-16, so z to 1e-7 and P to a few 1e-6. A search for z up to 20 gave 5.5e-89
    m = theory.activation_moments("sigmoid", 1.0, threshold=1 - 2.0 ** -30)
    assert m.saturated == pytest.approx(4.862425844391096e-96, rel=1e-5, abs=0)


@pytest.mark.parametrize("activation,q", [("tanh", 1e150), ("sigmoid", 5e149)])
def test_fixed_point_of_a_huge_weight_variance(activation, q) -> None:
    # E[f^2] -> 1 (tanh), 1/2 (sigmoid) up to 1/sqrt(q): q* = sigma_w^2 E[f^2], far below the 1e200 it refuses
    assert theory.fixed_point(activation, 1e150).q == pytest.approx(q, rel=1e-12)


def test_chi1_of_the_relu_family_is_sigma_w2_times_the_slopes_mean_square() -> None:
    # chi_1 = sigma_w^2 E[f'^2]: relu 1/2, linear 1, leaky_relu (1 + a^2) / 2 with a = 0.01; also where q* is infinite
    assert (theory.chi1("relu", 3.0), theory.chi1("linear", 0.5)) == (1.5, 0.5)
    assert theory.chi1("leaky_relu", 2.0) == pytest.approx(1.0001, rel=1e-14)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_without_weights_or_biases_the_depth_scales_are_0(activation) -> None:
    # every layer outputs 0 at once: the correlation map sends every c to 1 in one layer (xi_c = 0, not inf)
    assert theory.depth_scales(activation, 0.0, 0.0) == (0.0, 0.0)


def test_critical_line_at_a_small_bias_variance_beyond_the_series() -> None:
    # sigma_b^2 = 1e-8, above the series' 1e-13: bisection on q* (mpmath: q* = 0.001965093503875, 30 digits); the
    # series (0.75 sigma_b^2)^(1/3) (1 + 2q) is 7e-9 off there
    assert theory.critical_sigma_w2("tanh", 1e-8) == pytest.approx(1.00391868733405866, rel=1e-12)


def test_correlation_map_where_the_conditional_variance_is_small() -> None:
    # q = 0.2, c = 0.8: u_2 | u_1 has variance 0.072 (Gauss-Hermite, not the grid); mpmath's double integral at 20
    # digits, (1.5 E[tanh(u_1) tanh(u_2)] + 0.05) / (1.5 E[tanh(u)^2] + 0.05)
    assert theory.correlation_map("tanh", 0.8, 1.5, 0.05, q=0.2) == pytest.approx(0.83410613384670043, abs=1e-12)


def test_refusals_name_the_number_given() -> None:
    with pytest.raises(ValueError, match=r"^gaussian_expectation: n must be <= 370 .*, got 5000;"):
        theory.gaussian_expectation(np.tanh, 1.0, n=5000)
    with pytest.raises(ValueError, match=r"f must map an array of shape \(101,\) to the same shape, got \(101, 1\)"):
        theory.gaussian_expectation(lambda z: z[:, None], 1.0)  # one column: the same size, not the same shape
    with pytest.raises(ValueError, match=r"^fixed_point: tol must be in \[1e-15, 1\), got 5e-16: below 1e-15"):
        theory.fixed_point("tanh", 1.5, 0.05, tol=5e-16)
    assert math.isfinite(theory.fixed_point("tanh", 1.5, 0.05, tol=1e-15).q)


def test_the_batch_in_a_probes_title_counts_every_row_of_a_3d_input() -> None:
    # (2, 5, 3) -> (2, 5, 4): the statistics are over all 2 x 5 rows, and the title says batch 10 (not 2)
    table = probe.probe_model(nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh()), np.ones((2, 5, 3)), rng=0)
    assert table.title == "Probe of Sequential: 1 layer(s), batch 10"


def test_the_phase_diagram_computes_each_row_at_its_own_bias_variance() -> None:
    # rows sigma_b^2 = 0, 0.05, columns sigma_w^2 = 1 and the critical 1.761 of sigma_b^2 = 0.05 (Schoenholz et al.
    # 2017): (1, 0) is critical (log chi_1 = 0), (1.761, 0) chaotic, (1, 0.05) ordered, (1.761, 0.05) critical again;
    # every row at sigma_b^2 = 0 passed (only the critical line had been checked)
    from tinygrad_init.lab import spectra

    critical = theory.critical_sigma_w2("tanh", 0.05)
    chi = spectra.phase_diagram("tanh", sigma_w2=(1.0, critical), sigma_b2=(0.0, 0.05), n=2)["log_chi1"]
    assert chi[0][0] == 0.0 and chi[0][1] > 0.05 and chi[1][0] < -0.05 and abs(chi[1][1]) < 1e-9


def test_correlations_start_the_first_layer_at_q_star() -> None:
    # inputs of correlation c0 and variance (q* - sigma_b^2) / sigma_w^2: y = x W + b has variance q* and correlation
    # ((q* - sigma_b^2) c0 + sigma_b^2) / q*, 0.407 in the ordered phase (q* = 0.194); inputs scaled to q* / sigma_w^2
    # gave 0.364 (one network of 1,000 units, 32 pairs: within 0.003 of the expectation)
    from tinygrad_init.lab import spectra

    q = theory.fixed_point("tanh", 1.0, 0.05).q
    c1 = spectra.correlations(depth=1, width=1000, starts=(0.2,), networks=1, pairs=32)["ordered, c0 = 0.2"]
    assert c1["measured"][0] == pytest.approx(((q - 0.05) * 0.2 + 0.05) / q, abs=0.015)


def test_a_weight_gradients_histogram_spans_plus_minus_four_stds_as_dl_dhs_does() -> None:
    # the weight-gradient histograms (grad:data's figure) had no test of their range: +-2 std passed
    from tinygrad_init.lab.diagnostics import Diagnostics
    from tinygrad_init.nn.optim import SGD

    model = nn.Sequential(nn.Linear(3, 5, rng=0), nn.Tanh())
    opt = SGD(model.parameters(), lr=0.1)
    diag = Diagnostics(model, opt, bins=10)
    model(Tensor(np.random.default_rng(1).standard_normal((4, 3)))).sum().backward()
    s = float(np.std(model[0].weight.grad))
    opt.step()
    lo, hi, counts = diag.records[0]["params"]["0.weight"]["grad_hist"]
    assert (lo, hi) == pytest.approx((-4 * s, 4 * s), rel=1e-6) and counts.sum() == 15
