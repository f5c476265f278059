"""Formulas a plausible slip in the code would change unnoticed elsewhere (the eps of a batch normalization left out,
a zero fan checked for the wrong mode): each test here fails for one, checked against PyTorch or the formula."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import require_module
from tinygrad_init import Tensor, data, init, nn, scalar_nn


@pytest.mark.torch
def test_batchnorm_training_output_uses_eps_inside_the_square_root_as_pytorch():
    torch = require_module("torch")
    x = np.random.default_rng(0).normal(0.0, 0.3, (6, 3))  # a small variance, so that eps = 0.5 shows
    theirs = torch.nn.BatchNorm1d(3, eps=0.5).double()(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(nn.BatchNorm1d(3, eps=0.5, dtype=np.float64)(x).data, theirs, rtol=1e-12)


def test_a_zero_fan_of_the_mode_asked_for_is_named_not_divided_by():
    with pytest.raises(ValueError, match=r"has fan_out = 0, so the variance scale/fan_out is undefined"):
        init.he_normal((3, 0), mode="fan_out")


@pytest.mark.parametrize("z, t, loss", [(np.inf, 1.0, 0.0), (-np.inf, 0.0, 0.0)])
def test_bce_with_logits_at_an_infinite_score_is_0_or_inf_not_nan(z, t, loss):
    assert nn.binary_cross_entropy_with_logits(Tensor([z]), [t]).item() == loss


def test_lsuv_warns_when_a_bias_keeps_the_variance_off_1_by_more_than_tol():
    lin = nn.Linear(4, 2, rng=0, dtype=np.float64)
    lin.bias.data[:] = [-1.15 ** 0.5, 1.15 ** 0.5]  # the output's variance is at least 1.15 whatever W
    with pytest.warns(RuntimeWarning, match=r"variance 1\.1\d* \(off 1 by 0\.1\d*\) after 10 rescalings"):
        init.lsuv(lin, np.random.default_rng(1).normal(size=(64, 4)), rng=0)



def test_uniform_mean_is_the_midpoint():
    assert (init.uniform.mean(), init.get("uniform", a=1.0, b=3.0).mean()) == (0.5, 2.0)


def test_a_scalar_layers_neuron_j_reads_column_j_and_its_bias_is_zero_by_default():
    def weights(layer):  # column j: neuron j's
        return np.array([[w.data for w in n.w] for n in layer.neurons]).T

    default, he = scalar_nn.Layer(3, 3, rng=0), scalar_nn.Layer(3, 3, init="he_normal", rng=0)
    np.testing.assert_array_equal(weights(default), np.random.default_rng(0).uniform(-1.0, 1.0, (3, 3)))
    np.testing.assert_array_equal(weights(he), nn.Linear(3, 3, init="he_normal", rng=0, dtype=np.float64).weight.data)
    assert [n.b.data for n in default.neurons] == [0.0] * 3


def test_train_test_split_rounds_half_up_and_shuffles_the_training_part_too():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10) % 2
    assert [len(data.train_test_split(X, y, f, rng=0, stratify=False)[1]) for f in (0.25, 0.35)] == [3, 4]
    y_train = data.train_test_split(X, y, 0.25, rng=0)[2]
    assert (np.diff(y_train) < 0).any()  # not class 0's rows, then class 1's


def test_linear_keeps_its_own_copy_of_an_array_input_for_backward():
    lin, x = nn.Linear(3, 1, rng=0), np.ones((2, 3), np.float32)
    y = lin(x)
    x[:] = 7.0  # the caller's array changed after the forward pass
    y.sum().backward()
    np.testing.assert_array_equal(lin.weight.grad, [[2.0]] * 3)


def test_batchnorm_running_statistics_keep_the_layers_dtype_for_a_float64_input():
    bn = nn.BatchNorm1d(3)
    bn(Tensor(np.random.default_rng(0).normal(size=(4, 3))))
    assert (bn.running_mean.dtype, bn.running_var.dtype) == (np.float32, np.float32)


@pytest.mark.parametrize("activation, f", [("tanh", np.tanh), ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
                                           ("relu", lambda z: max(z, 0.0)), ("linear", lambda z: z)])
def test_a_scalar_neuron_applies_its_activation(activation, f):
    out = scalar_nn.Neuron(2, activation, weights=[1.0, 2.0], bias=0.5)([1.0, -1.0])  # z = 1 - 2 + 0.5 = -0.5
    assert out.data == pytest.approx(f(-0.5), rel=1e-15)


def test_every_forward_hook_runs_in_order_each_seeing_the_output_the_one_before_returned():
    lin, seen = nn.Linear(2, 1, bias_init="ones", init="zeros"), []
    lin.register_forward_hook(lambda m, x, out: out * 2)
    lin.register_forward_hook(lambda m, x, out: seen.append(out.item()) or out + 1)
    assert (lin(np.zeros((1, 2))).item(), seen) == (3.0, [2.0])


def test_linear_draws_its_bias_from_the_layers_rng_after_its_weight():
    gen = np.random.default_rng(5)
    w, b = gen.standard_normal((3, 2)), gen.standard_normal(2)
    lin = nn.Linear(3, 2, init="normal", bias_init="normal", rng=5, dtype=np.float64)
    np.testing.assert_array_equal(lin.weight.data, w)
    np.testing.assert_array_equal(lin.bias.data, b)
