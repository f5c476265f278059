"""Probe statistics and histograms that no other test pins, each checked with numpy."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init.probe import Probe, probe_model


def test_default_histograms_have_fifty_bins_as_numpy_makes_them():
    gen = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 6, rng=gen), nn.Tanh())
    X = gen.standard_normal((10, 3))
    with Probe(model) as probe:
        model(Tensor(X)).sum().backward()
    h = np.tanh(X @ model[0].weight.data + model[0].bias.data)  # by hand
    counts, edges = probe.records["0"].histogram("activation")
    want_counts, want_edges = np.histogram(h, bins=50)
    assert counts.tolist() == want_counts.tolist() and np.allclose(edges, want_edges)


def test_attach_false_leaves_the_model_untouched_until_attach():
    model = nn.Sequential(nn.Linear(3, 6, rng=0), nn.Tanh())
    probe = Probe(model, attach=False)
    assert not probe.attached and not any(m._forward_hooks for m in model.modules())
    model(Tensor(np.ones((2, 3))))
    assert probe.records == {}  # nothing watched


def test_forward_columns_without_a_backward_carry_no_gradient_note():
    model = nn.Sequential(nn.Linear(3, 6, rng=0), nn.Tanh())
    with Probe(model) as probe:
        model(Tensor(np.ones((2, 3))))
    assert not any("no gradient" in n for n in probe.stats("forward").notes)  # no gradient column was asked for
    assert any("no gradient recorded for 0" in n for n in probe.stats("backward").notes)


def test_probe_model_refuses_a_plain_function_by_name():
    with pytest.raises(TypeError, match="probe_model: model must be an nn.Module, got function"):
        probe_model(lambda x: x, np.ones((2, 3)))


def test_a_probe_skips_an_identity_that_passes_a_plain_array_on_and_shows_its_state():
    model = nn.Sequential(nn.Identity(), nn.Linear(3, 2, rng=0), nn.Tanh())
    x = np.arange(12.0).reshape(4, 3) / 10
    with Probe(model) as probe:
        assert repr(probe) == "Probe(Sequential, attached, 0 record(s), lr=None)"
        out = model(x)  # the Identity gets a numpy array: nothing to measure there
    assert list(probe.records) == ["1"] and repr(probe) == "Probe(Sequential, detached, 1 record(s), lr=None)"
    lin = model.layers[1] if hasattr(model, "layers") else list(model.children())[1]
    pre = x @ lin.weight.data + lin.bias.data
    np.testing.assert_allclose(out.data, np.tanh(pre), rtol=1e-6, atol=1e-6)  # a float32 layer, float64 by hand
    assert probe.records["1"].activation_name == "tanh"


@pytest.mark.parametrize("loss, got", [(lambda out: out, r"Tensor \(4, 2\)"), (lambda out: 1.0, "float 1.0")])
def test_probe_model_refuses_a_loss_that_is_not_one_element_and_leaves_the_model_clean(loss, got):
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh())
    x = Tensor(np.ones((4, 3)))  # the message showed the first 60 characters of the output's repr, over 3 lines
    with pytest.raises(ValueError, match=rf"^probe_model: loss_fn must return a one-element Tensor \(a mean, a sum\), "
                                         rf"got {got}$"):
        probe_model(model, x, loss_fn=loss)
    assert all(not m._forward_hooks for m in model.modules()) and all(p.grad is None for p in model.parameters())
