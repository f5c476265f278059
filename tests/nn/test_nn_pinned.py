"""Pins of the nn branches that a user reaches only with wrong input (layers, losses, the scalar Neuron)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init import scalar_nn
from tinygrad_init.losses import cross_entropy


def test_a_module_without_forward_names_its_own_class():
    class Net(nn.Module):
        pass
    with pytest.raises(NotImplementedError, match=r"^Net must implement forward\(\)$"):
        Net()(Tensor(np.ones(2)))


@pytest.mark.parametrize("nin, weights", [(1, [1.0, 2.0]), (2, [1.0])])
def test_neuron_with_the_wrong_number_of_weights_says_how_many_it_needs(nin, weights):
    # it said "got 2 weights for 1 inputs" and "got 1 weights for 2 inputs"
    with pytest.raises(ValueError, match=rf"^Neuron: weights must have one number per input \({nin}\), got "
                                         rf"{len(weights)}$"):
        scalar_nn.Neuron(nin, weights=weights)


def test_cross_entropy_refuses_logits_that_are_not_a_matrix():
    with pytest.raises(ValueError, match=r"^cross_entropy: logits must be \(batch, classes\), got shape \(3,\); for "
                                         r"one sample \(PyTorch's unbatched input\) cross_entropy\(logits.reshape\(1, "
                                         r"-1\), np.reshape\(targets, 1\)\)$"):
        cross_entropy(Tensor(np.ones(3)), np.array([0]))
    with pytest.raises(ValueError, match=r"^cross_entropy: logits must be \(batch, classes\), got shape \(\)$"):
        cross_entropy(Tensor(1.0), 0)


@pytest.mark.parametrize("targets, dtype", [(["a", "b"], "<U1"), ([True, False], "bool")])
def test_cross_entropy_refuses_targets_that_are_not_integers_as_a_type_error(targets, dtype):
    with pytest.raises(TypeError, match=rf"^cross_entropy: targets must be integers, got dtype {dtype}$"):
        cross_entropy(Tensor(np.ones((2, 3))), np.array(targets))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_cross_entropy_names_a_nan_or_inf_target(bad):
    # float targets are checked for integers and range: inf is "integer" (inf == round(inf)) and gave int(inf)'s
    # OverflowError in the range message; nan is named as what it is, not as a fraction
    with pytest.raises(ValueError, match=r"^cross_entropy: targets contain nan or inf; they must be class indices "
                                         r"in \[0, 3\)$"):
        cross_entropy(Tensor(np.ones((2, 3))), np.array([0.0, bad]))


@pytest.mark.torch
def test_cross_entropy_on_fractional_targets_suggests_a_formula_that_gives_the_soft_target_loss():
    import torch

    z, p = np.array([[0.2, -1.0, 0.5], [1.5, 0.3, -0.7]]), np.array([[0.1, 0.6, 0.3], [0.5, 0.5, 0.0]])
    with pytest.raises(ValueError, match=r"non-integer floats \(for probabilities or one-hot targets, compute "
                                         r"-\(p \* logits.log_softmax\(1\)\).sum\(1\).mean\(\)\)$") as e:
        cross_entropy(Tensor(z), np.array([0.5, 1.0]))
    logits = Tensor(z)  # the formula of the message, run as written
    formula = str(e.value).split("compute ")[1][:-1]
    got = eval(formula, {"p": p, "logits": logits})  # noqa: S307 (the message's own text)
    want = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(p))
    assert np.isclose(float(got.data), float(want), rtol=1e-12, atol=0)


@pytest.mark.torch
def test_cross_entropy_on_pytorchs_probability_or_one_hot_targets_says_what_gives_their_loss():
    # PyTorch takes (batch, classes) float targets as probabilities; the message said only "one integer class per
    # row (not one-hot)", which gives no loss for soft targets
    import torch

    z, p = np.array([[0.2, -1.0, 0.5], [1.5, 0.3, -0.7]]), np.array([[0.1, 0.6, 0.3], [0.5, 0.5, 0.0]])
    logits, onehot = Tensor(z), np.eye(3)[[2, 0]]
    for targets in (p, onehot):
        with pytest.raises(ValueError, match=r"one integer class per row: for one-hot rows np.argmax\(targets, 1\); "
                                             r"for probabilities \(PyTorch's soft targets\) compute -\(p \* logits"
                                             r".log_softmax\(1\)\).sum\(1\).mean\(\)$") as e:
            cross_entropy(logits, targets)
        formula = str(e.value).split("compute ")[1]  # run as written
        got = eval(formula, {"p": targets, "logits": logits})  # noqa: S307 (the message's own text)
        want = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(targets))
        assert np.isclose(float(got.data), float(want), rtol=1e-12, atol=0)
    assert cross_entropy(logits, onehot.argmax(1)).item() == pytest.approx(float(want), rel=1e-12)
    for reduction in ("sum", "none"):  # the formula of the reduction asked for, not always the mean
        with pytest.raises(ValueError, match=r"compute -\(p \* logits") as e:
            cross_entropy(logits, p, reduction=reduction)
        got = eval(str(e.value).split("compute ")[1], {"p": p, "logits": logits})  # noqa: S307
        want = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(p), reduction=reduction)
        np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-12)


@pytest.mark.parametrize("loss", [nn.mse_loss, nn.binary_cross_entropy_with_logits])
@pytest.mark.parametrize("pred, target", [((4, 1), (4,)), ((4,), (4, 1)), ((2, 3), (6,)), ((4,), ())])
def test_a_loss_of_mismatched_shapes_suggests_a_reshape_that_makes_them_match(loss, pred, target):
    # the hint was always target.reshape(-1, 1): for a (4,) pred and a (4, 1) target that reshape changes nothing
    z, t = Tensor(np.zeros(pred)), np.ones(target) / 2
    with pytest.raises(ValueError, match=rf"^{loss.__name__}: \w+ has shape {re.escape(str(z.shape))} but ") as e:
        loss(z, t)
    if t.size != z.data.size:  # no reshape can help: it says so, not a reshape that fails
        assert "reshape" not in str(e.value) and re.search(rf"holds 1 number where \w+ holds {z.data.size}: give one "
                                                           "for each", str(e.value))
        return
    fix = str(e.value).split("for example ")[1].rstrip(".")
    assert fix.startswith("np.reshape(target")
    assert loss(z, eval(fix, {"np": np, "target": t, "targets": t})).item() == pytest.approx(  # noqa: S307
        loss(z, t.reshape(pred)).item())


def test_an_sgd_step_marks_the_weights_changed_so_a_graph_built_before_it_cannot_backward():
    # as PyTorch's version counter: the weights the graph saved are no longer the weights in memory
    from tinygrad_init import optim

    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_zero_grads_by_default_sets_the_gradients_to_none_as_pytorch():
    from tinygrad_init.nn.optim import zero_grads

    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    w.grad = np.ones(2)
    zero_grads([w])
    assert w.grad is None
    w.grad = np.ones(2)
    zero_grads([w], set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]


def test_a_layer_of_no_units_is_refused_by_name_not_built_empty():
    with pytest.raises(ValueError, match=r"^Linear: fan_out must be >= 1, got 0$"):
        nn.Linear(3, 0)
    with pytest.raises(ValueError, match=r"^MLP: sizes\[1\] must be >= 1, got 0$"):
        nn.MLP([2, 0, 1])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_features": 0}, r"num_features must be >= 1, got 0"),
    ({"eps": 0.0}, r"eps must be > 0, got 0"),  # a constant feature would be divided by sqrt(0)
    ({"eps": -1e-5}, r"eps must be > 0, got -1e-5"),
    ({"momentum": -0.1}, r"momentum must be in \[0, 1\], got -0.1"),
    ({"momentum": 1.5}, r"momentum must be in \[0, 1\], got 1.5"),
])
def test_batchnorm_refuses_bad_arguments_by_name(kwargs, message):
    with pytest.raises(ValueError, match="^BatchNorm1d: " + message + "$"):
        nn.BatchNorm1d(**{"num_features": 3, **kwargs})


@pytest.mark.parametrize("momentum", [0.0, 1.0])
def test_batchnorm_momentum_0_keeps_and_1_replaces_the_running_statistics(momentum):
    # PyTorch's bounds, both included: running = (1 - momentum) running + momentum batch (variance unbiased)
    x = np.array([[1.0, -2.0], [3.0, 0.0], [8.0, 4.0]])
    bn = nn.BatchNorm1d(2, momentum=momentum, dtype=np.float64)
    bn(Tensor(x))
    mean, var = (np.zeros(2), np.ones(2)) if momentum == 0 else (x.mean(0), x.var(0, ddof=1))
    np.testing.assert_allclose(bn.running_mean, mean, rtol=1e-15)
    np.testing.assert_allclose(bn.running_var, var, rtol=1e-15)


def test_sequential_takes_a_list_of_modules_as_pytorchs_takes_them_unpacked():
    seq = nn.Sequential([nn.Linear(2, 3, rng=0), nn.Tanh()])
    assert len(seq) == 2 and [name for name, _ in seq.named_parameters()] == ["0.weight", "0.bias"]


def test_a_slice_of_a_sequential_keeps_the_modules_under_their_names_as_attributes():
    seq = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh(), nn.Linear(3, 1, rng=1))
    part = seq[1:]
    assert getattr(part, "1") is seq[1] and getattr(part, "2") is seq[2] and not hasattr(part, "0")


def test_deleting_a_parameter_removes_the_attribute_and_the_parameter():
    lin = nn.Linear(2, 3, rng=0)
    del lin.bias
    assert not hasattr(lin, "bias") and [name for name, _ in lin.named_parameters()] == ["weight"]


def test_a_parameter_is_named_when_it_is_assigned():
    # a picture or a ledger drawn before any parameters() call shows "w", not an unnamed tensor
    m = nn.Module()
    m.w = Tensor(np.ones(2), requires_grad=True)
    assert m.w.name == "w"


def test_a_weight_shared_by_two_layers_is_one_parameter_as_in_pytorch():
    a, b = nn.Linear(3, 3, rng=0), nn.Linear(3, 3, rng=1)
    b.weight = a.weight  # tied weights: SGD would refuse it listed twice (updated twice per step)
    params = nn.Sequential(a, b).parameters()
    assert len(params) == 3 and sum(p is a.weight for p in params) == 1
