"""Jacobian spectra against an independent computation, and their arguments checked by name."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_init import Tensor, theory
from tinygrad_init.lab import spectra as S


@pytest.mark.parametrize("sigma_b2,error", [(-1.0, ValueError), (math.nan, ValueError), ("0.1", TypeError)])
def test_jacobian_spectra_names_itself_for_a_bad_bias_variance(sigma_b2, error):
    # the message began "critical_sigma_w2: sigma_b2 must be ...", a function the caller did not call
    with pytest.raises(error, match="^jacobian_spectra: sigma_b2 must be"):
        S.jacobian_spectra((2,), 8, 1, sigma_b2=sigma_b2)


@pytest.mark.torch
@pytest.mark.parametrize("seed", [0, 1])
def test_the_singular_values_are_those_of_torchs_jacobian_of_the_same_networks(seed, monkeypatch):
    # every network jacobian_spectra draws and the input it feeds it, caught on the way; torch's autograd builds the
    # same network's input-output Jacobian from its weights, independently of the engine's backward pass
    import torch

    seen, network = [], S.network

    def caught(*args, **kwargs):
        net = network(*args, **kwargs)
        net.register_forward_hook(lambda m, inputs, out: seen.append((m, args[2], inputs[0].data[0].copy())))
        return net

    monkeypatch.setattr(S, "network", caught)
    result = S.jacobian_spectra((2, 5), 12, 2, rng=seed)
    assert len(seen) == 4 * 2 * 2  # (tanh, relu) x (Gaussian, orthogonal), 2 depths, 2 networks each
    f = {"tanh": torch.tanh, "relu": torch.relu}
    expected = []
    for net, act, x0 in seen:
        def forward(h, net=net, act=act):
            for lin in net[::2]:
                h = f[act](h @ torch.from_numpy(lin.weight.data) + torch.from_numpy(lin.bias.data))
            return h
        expected.append(np.linalg.svd(torch.autograd.functional.jacobian(forward, torch.from_numpy(x0)).numpy(),
                                      compute_uv=False))
    got = [sv for r in result.values() for sv in r["singular_values"]]
    np.testing.assert_allclose(got, np.reshape(expected, (8, 24)), rtol=1e-10, atol=1e-13)
    for r, i in zip(result.values(), range(0, 8, 2)):
        lam = np.reshape(expected, (8, 24))[i:i + 2] ** 2
        np.testing.assert_allclose(r["mean_sq"], lam.mean(axis=1), rtol=1e-10)


@pytest.mark.parametrize("sigma_w2,sigma_b2", [(1.2, 0.05), (theory.critical_sigma_w2("tanh", 1e-4), 1e-4)])
def test_the_mean_squared_singular_value_follows_chi1_to_the_depth_over_seeds(sigma_w2, sigma_b2):
    # Pennington, Schoenholz & Ganguli (2017): E[mean s^2] = chi_1^L for inputs at the fixed point q*; in the ordered
    # phase (chi_1 = 0.84 at sigma_w^2 = 1.2) it falls as chi_1^L, at criticality with q* near 0 it stays 1. Width
    # 300, L = 10, four seeds: measured / chi_1^L 0.94-1.01 (ordered), 0.86-0.99 (critical);
    # chi_1^10 itself is 0.19 and 1
    fp, ratios = theory.fixed_point("tanh", sigma_w2, sigma_b2), []
    for seed in range(4):
        gen = np.random.default_rng(seed)
        x = Tensor(np.tile(gen.standard_normal(300) * math.sqrt((fp.q - sigma_b2) / sigma_w2), (300, 1)),
                   requires_grad=True)
        S.network(10, 300, "tanh", sigma_w2, sigma_b2, rng=gen)(x).backward(np.eye(300))
        ratios.append(np.mean(np.linalg.svd(x.grad, compute_uv=False) ** 2) / fp.chi ** 10)
    assert 0.88 < np.mean(ratios) < 1.08 and min(ratios) > 0.8 and max(ratios) < 1.2


@pytest.mark.parametrize("kw, message", [({"activation": "tanhh"}, "^network: activation must be one of"),
                                         ({"depth": 0}, "^network: depth must be >= 1"),
                                         ({"inputs": 0}, "^network: inputs must be >= 1"),
                                         ({"dtype": "float32x"}, "^network: dtype must be")])
def test_network_names_itself_and_its_arguments(kw, message) -> None:
    # read 'deep_mlp: ...' (and 'deep_mlp: input_width', 'Linear: dtype'), a function and an argument never given
    with pytest.raises((TypeError, ValueError), match=message):
        S.network(**{"depth": 2, "width": 4, "activation": "tanh", "sigma_w2": 1.0, **kw})


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), "0.01", 1e60])
def test_trainability_names_itself_for_a_bad_learning_rate(lr) -> None:
    # read 'fit: lr ...', never called; 1e60, past float32 (its networks'), read 'SGD.step: ...' and offered float64
    # parameters, which trainability does not take
    with pytest.raises((TypeError, ValueError), match="^trainability: lr must be"):
        S.trainability(True, sigma_w2s=(1.0,), depths=(2,), steps=1, lr=lr)


def test_a_jacobian_of_zeros_has_its_spread_of_nan_explained():
    # one ReLU unit a layer is off at the input for every seed here (He, no biases): J = 0, every singular value 0, and
    # the spread Var(s^2) / mean(s^2)^2 = 0/0 read "nan for relu, Gaussian" with no word of why
    r = S.jacobian_spectra((3,), 1, 1, rng=0)
    assert r["relu, Gaussian"]["mean_sq"] == [0.0] and math.isnan(r["relu, Gaussian"]["spread"][0])
    text = S.finding("jacobian_spectra", r)
    assert "nan for relu, Gaussian" in text and "a spread of nan is 0/0: every singular value 0, a Jacobian that " \
                                                  "passes no gradient back" in text
    assert "0/0" not in S.finding("jacobian_spectra", S.jacobian_spectra((2,), 8, 1, rng=0))  # (none of 0 there)


def test_identical_inputs_over_nine_networks_start_the_theory_at_1():
    # the average of 9 cosines of 1.0 (each 1/9 added) is 1.0000000000000002: the correlation map from it refused
    # "c must be in [-1, 1]" without the clamp to [-1, 1]
    r = S.correlations(depth=2, width=4, starts=(1.0,), networks=9, pairs=1)
    assert all(v["measured"][0] > 1 and v["theory"][0] == 1.0 for v in r.values())
