"""Exercises 19-22 agree with the lab they teach: the checks' references give the numbers of
`Diagnostics`, `theory`, the engine's Jacobian and the explorer's verdict."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_init import Tensor, nn, theory
from tinygrad_init.exercises.ex19_update_data import ratios
from tinygrad_init.exercises.ex20_edge_of_chaos import CASES as CHAOS_CASES, solve
from tinygrad_init.exercises.ex21_jacobian import jacobian, mean_sq
from tinygrad_init.exercises.ex22_verdict import CASES as VERDICT_CASES, verdict
from tinygrad_init.lab import explorer, spectra
from tinygrad_init.lab.diagnostics import Diagnostics
from tinygrad_init.nn.losses import cross_entropy
from tinygrad_init.nn.optim import SGD


def test_update_data_reference_is_what_the_diagnostics_record():
    model = nn.MLP([4, 16, 16, 3], activation="tanh", rng=0, dtype=np.float64)
    opt = SGD(model.parameters(), lr=0.3)
    diag = Diagnostics(model, opt)
    x, y = np.random.default_rng(1).normal(size=(32, 4)), np.arange(32) % 3
    cross_entropy(model(Tensor(x)), y).backward()
    weights = [(n, p) for n, p in model.named_parameters() if p.data.ndim == 2]
    before, grads = [p.data.copy() for _, p in weights], [p.grad.copy() for _, p in weights]
    opt.step()
    recorded = [math.log10(diag.series("update_data", param=n)[0]) for n, _ in weights]
    np.testing.assert_allclose(ratios(before, grads, 0.3), recorded, rtol=1e-12)


@pytest.mark.parametrize("sigma_w2,sigma_b2", CHAOS_CASES)
def test_edge_of_chaos_reference_matches_the_theory(sigma_w2, sigma_b2):
    q, chi, critical = solve(sigma_w2, sigma_b2)
    fp = theory.fixed_point("tanh", sigma_w2, sigma_b2)
    assert q == pytest.approx(fp.q, rel=1e-9) and chi == pytest.approx(fp.chi, rel=1e-9)
    assert critical == pytest.approx(theory.critical_sigma_w2("tanh", sigma_b2), rel=1e-8)


def test_edge_of_chaos_reference_at_the_literature_settings():
    # Schoenholz et al. (2017), Fig. 1: tanh at sigma_b^2 = 0.05 is critical near sigma_w^2 = 1.76; the values
    # 1.761 and chi_1 = 0.939 at sigma_w^2 = 1.5 are those the lab's theory is tested against (issue 12).
    q, chi, critical = solve(1.5, 0.05)
    assert round(chi, 3) == 0.939 and round(critical, 3) == 1.761


def test_jacobian_reference_is_the_engines_and_central_differences():
    rng = np.random.default_rng(3)
    net = spectra.network(3, 6, "tanh", 1.8, 0.2, inputs=5, rng=rng)
    x0 = rng.normal(size=5)
    x = Tensor(np.tile(x0, (6, 1)), requires_grad=True)
    net(x).backward(np.eye(6))  # row k of x.grad: dh_L[k] / dx, so x.grad is J transposed
    linears = [m for m in net if isinstance(m, nn.Linear)]
    J = jacobian(x0, [m.weight.data for m in linears], [m.bias.data for m in linears])
    np.testing.assert_allclose(x.grad, J.T, rtol=1e-12, atol=1e-14)

    def f(v):
        h = v
        for m in linears:
            h = np.tanh(h @ m.weight.data + m.bias.data)
        return h

    numeric = np.array([(f(x0 + 1e-6 * e) - f(x0 - 1e-6 * e)) / 2e-6 for e in np.eye(5)])
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-9)


def test_jacobian_mean_squared_singular_value_follows_chi_1_to_the_depth():
    # Wide tanh networks at sigma_w^2 = 1.5, sigma_b^2 = 0.05 with inputs at q*: E[mean s^2] = chi_1^L
    # (chi_1 = 0.939, L = 10: 0.531). One network scatters by about 15% at width 200; the mean over 8 networks
    # measures 1.014, 1.014 and 0.977 times chi_1^L for the seeds 0, 1, 2.
    fp = theory.fixed_point("tanh", 1.5, 0.05)
    for seed in range(3):
        values = []
        for net in range(8):
            rng = np.random.default_rng([seed, net])
            Ws = [rng.normal(0.0, math.sqrt(1.5 / 200), size=(200, 200)) for _ in range(10)]
            bs = [rng.normal(0.0, math.sqrt(0.05), size=200) for _ in range(10)]
            x = rng.normal(0.0, math.sqrt((fp.q - 0.05) / 1.5), size=200)  # so that y_1 has variance q*
            values.append(mean_sq(jacobian(x, Ws, bs)))
        assert np.mean(values) == pytest.approx(fp.chi ** 10, rel=0.05)


def test_verdict_reference_is_the_explorers():
    for case in VERDICT_CASES:
        assert verdict(*case) == explorer.verdict(*case)
    rng = np.random.default_rng(4)
    for _ in range(500):
        L = int(rng.integers(2, 6))
        case = (list(10 ** rng.uniform(-2, 1, L)), list(10 ** rng.uniform(-2, 1, L)), list(rng.uniform(0, 0.7, L)),
                str(rng.choice(["tanh", "sigmoid", "relu"])))
        assert verdict(*case) == explorer.verdict(*case)
