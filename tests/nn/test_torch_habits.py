"""PyTorch habits on the nn layers: a PyTorch layer's weights copied as documented give its outputs, and a weight
assigned in PyTorch's layout is named as such.

Skipped when torch is not installed -- except under CI=true, where torch must be present."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_module
from tinygrad_init import Tensor, init, nn, optim

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("fan_in, fan_out", [(3, 5), (4, 4)])
def test_a_pytorch_linear_copied_as_the_docstring_says_gives_its_outputs(fan_in, fan_out):
    torch = require_module("torch")
    torch.manual_seed(0)
    theirs, ours = torch.nn.Linear(fan_in, fan_out).double(), nn.Linear(fan_in, fan_out, rng=0, dtype=np.float64)
    ours.weight.data[:] = theirs.weight.detach().numpy().T  # the recipe of Linear's docstring
    ours.bias.data[:] = theirs.bias.detach().numpy()
    x = np.random.default_rng(1).normal(size=(6, fan_in))
    xt = torch.tensor(x, requires_grad=True)
    y, yt = ours(Tensor(x)), theirs(xt)
    np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = np.random.default_rng(2).normal(size=y.shape)
    y.backward(g)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.weight.grad.T, theirs.weight.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-12, atol=1e-14)
    doc = " ".join(nn.Linear.__doc__.split())
    assert "the transpose: to copy a PyTorch layer" in doc and "t.weight.detach().numpy().T" in doc


def test_a_weight_assigned_in_pytorchs_layout_is_named_not_blamed_on_the_input():
    torch = require_module("torch")
    theirs, ours = torch.nn.Linear(2, 3), nn.Linear(2, 3, rng=0)
    ours.weight = Tensor(theirs.weight.detach().numpy(), requires_grad=True)  # (3, 2): PyTorch's (fan_out, fan_in)
    with pytest.raises(ValueError, match=r"Linear\(2, 3\): its weight has shape \(3, 2\), not \(fan_in, fan_out\) = "
                                         r"\(2, 3\); a PyTorch weight is the transpose .*assign w.T"):
        ours(np.ones((5, 2)))
    ours.weight = Tensor(theirs.weight.detach().numpy().T, requires_grad=True)
    np.testing.assert_allclose(ours(np.ones((5, 2))).data, theirs(torch.ones(5, 2)).detach().numpy() -
                               theirs.bias.detach().numpy() + ours.bias.data, rtol=1e-6)


@pytest.mark.parametrize("torch_name, ours", [("xavier_uniform_", "xavier_uniform"), ("kaiming_normal_", "he_normal"),
                                              ("zeros_", "zeros"), ("constant_", "constant")])
def test_pytorchs_in_place_initializers_are_named_with_what_to_write(torch_name, ours):
    torch = require_module("torch")
    assert callable(getattr(torch.nn.init, torch_name))
    with pytest.raises(AttributeError, match=rf"init.{torch_name}: PyTorch's in-place initializers are not here; .* "
                                             rf"w.data\[:\] = init.{ours}\(w.shape"):
        getattr(init, torch_name)
    with pytest.raises(AttributeError, match="has no attribute 'kaiming_normal'"):  # (not a spelling of PyTorch's)
        init.kaiming_normal  # noqa: B018
    lin = nn.Linear(3, 4, rng=0)
    with pytest.raises(TypeError, match=r"xavier_uniform: shape must be .* got Tensor of shape \(3, 4\); to fill a "
                                        r"weight w, w.data\[:\] = init.xavier_uniform\(w.shape\)"):
        init.xavier_uniform(lin.weight)
    lin.weight.data[:] = init.xavier_uniform(lin.weight.shape, rng=1)  # what the messages say to write
    np.testing.assert_array_equal(lin.weight.data, nn.Linear(3, 4, rng=1).weight.data)


@pytest.mark.parametrize("cls, fn", [("MSELoss", "mse_loss"), ("CrossEntropyLoss", "cross_entropy"),
                                     ("BCEWithLogitsLoss", "binary_cross_entropy_with_logits")])
def test_pytorchs_loss_classes_name_the_loss_function(cls, fn):
    torch = require_module("torch")
    with pytest.raises(AttributeError, match=rf"nn.{cls}: the losses are functions here.*loss = nn.{fn}\(output, "
                                             r"target\), reduction='mean' \(or 'sum', 'none'\)"):
        getattr(nn, cls)
    out, y = np.random.default_rng(0).normal(size=(5, 3)), np.array([0, 2, 1, 1, 0])
    target = {"MSELoss": out[::-1].copy(), "CrossEntropyLoss": y, "BCEWithLogitsLoss": (out > 0) * 1.0}[cls]
    for reduction in ("mean", "sum"):  # what the message says to write gives PyTorch's number
        ours = getattr(nn, fn)(Tensor(out), target, reduction=reduction)
        theirs = getattr(torch.nn, cls)(reduction=reduction)(torch.tensor(out), torch.tensor(target))
        np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    with pytest.raises(AttributeError, match="has no attribute 'Conv2d'"):
        nn.Conv2d  # noqa: B018


@pytest.mark.parametrize("fn, option, value", [
    ("cross_entropy", "weight", [0.5, 2.0, 1.0]), ("cross_entropy", "ignore_index", 2),
    ("cross_entropy", "label_smoothing", 0.1), ("binary_cross_entropy_with_logits", "weight", [[2.0, 1.0, 0.5]]),
    ("binary_cross_entropy_with_logits", "pos_weight", [3.0, 1.0, 0.5])])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_pytorchs_loss_options_say_what_to_write_and_that_gives_pytorchs_loss(fn, option, value, reduction):
    # the formulas ended in a mean whatever the reduction asked for: with 'sum' they gave another loss than PyTorch's
    torch = require_module("torch")
    z, y = np.random.default_rng(1).normal(size=(5, 3)) * 2, np.array([0, 2, 1, 2, 0])
    targets = y if fn == "cross_entropy" else np.random.default_rng(2).random((5, 3))
    theirs = getattr(torch.nn.functional, fn)(torch.tensor(z), torch.tensor(targets), reduction=reduction, **{
        option: value if option in ("ignore_index", "label_smoothing") else torch.tensor(value, dtype=torch.float64)})
    with pytest.raises(TypeError, match=rf"^{fn}: PyTorch's {option}= is not offered here; ") as e:
        getattr(nn, fn)(Tensor(z), targets, reduction, **{option: value})  # said: got an unexpected keyword argument
    steps = str(e.value).split(" is not offered here; ")[1].removeprefix("from the terms, ")  # run as written
    steps = steps.split(" (PyTorch's keeps")[0].replace(": ", "\nresult = ").replace(", then ", "\nresult = ")
    env = {"np": np, "logits": Tensor(z), "targets": targets, fn: getattr(nn, fn), "w": np.array(value), "e": value,
           option: np.array(value)}
    exec(steps if "result = " in steps else f"result = {steps}", env)  # noqa: S102 (the message's own text)
    theirs = theirs.numpy()[y != value] if option == "ignore_index" and reduction == "none" else theirs.numpy()
    np.testing.assert_allclose(env["result"].data, theirs, rtol=1e-12)
    with pytest.raises(TypeError, match=rf"^{fn}: 'weights' is not an argument; it takes logits, targets and "
                                        r"reduction$"):
        getattr(nn, fn)(Tensor(z), targets, weights=value)


def test_pytorchs_ignored_label_minus_100_is_named_with_what_to_write():
    # PyTorch's cross_entropy skips targets equal to its ignore_index, -100 by default (padding); here they are out of
    # range, and the message named only the range
    torch = require_module("torch")
    z, y = np.random.default_rng(0).normal(size=(4, 3)), np.array([0, -100, 2, 1])
    with pytest.raises(ValueError, match=r"^cross_entropy: targets must lie in \[0, 3\) for 3 classes; found -100\.\.2 "
                                         r"\(-100 is PyTorch's ignore_index: y = np\.asarray\(targets\); keep = "
                                         r"y != -100, then cross_entropy\(logits\[keep\], y\[keep\]\)\)$"):
        nn.cross_entropy(Tensor(z), y)
    keep = y != -100
    theirs = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(y))
    assert nn.cross_entropy(Tensor(z)[keep], y[keep]).item() == pytest.approx(theirs.item(), rel=1e-12)


@pytest.mark.parametrize("kind", [list, np.array, "torch"])
def test_the_code_given_for_pytorchs_ignore_index_skips_those_targets_whatever_holds_them(kind):
    # keep = targets != ignore_index, for targets in a list (which cross_entropy takes), was Python's list comparison,
    # one False: logits[keep] was (1, 4, 3), and the next error said logits must be (batch, classes)
    torch = require_module("torch")
    z, y = np.random.default_rng(0).normal(size=(4, 3)), [0, -100, 2, 1]
    targets = torch.tensor(y) if kind == "torch" else kind(y)
    theirs = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(y)).item()
    for call in (lambda: nn.cross_entropy(Tensor(z), targets, ignore_index=-100),
                 lambda: nn.cross_entropy(Tensor(z), targets)):  # the option, or -100 among the targets
        with pytest.raises((TypeError, ValueError)) as e:
            call()
        code = re.search(r"(?:ignore_index: |here; )(.+), then (cross_entropy\(logits\[keep\], [^)]*\))", str(e.value))
        env = {"np": np, "logits": Tensor(z), "targets": targets, "ignore_index": -100,
               "cross_entropy": nn.cross_entropy}
        exec(code[1].replace("; ", "\n"), env)  # noqa: S102 (the message's own text, as it stands)
        assert eval(code[2], env).item() == pytest.approx(theirs, rel=1e-12), str(e.value)


def test_apply_visits_the_modules_in_pytorchs_order_and_initializes_as_its_habit_does():
    torch = require_module("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.Tanh(), torch.nn.Linear(3, 1)))
    ours = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Sequential(nn.Tanh(), nn.Linear(3, 1, rng=1)))
    seen_theirs, seen_ours = [], []
    assert theirs.apply(lambda m: seen_theirs.append(type(m).__name__)) is theirs
    assert ours.apply(lambda m: seen_ours.append(type(m).__name__)) is ours
    assert seen_ours == seen_theirs == ["Linear", "Tanh", "Linear", "Sequential", "Sequential"]
    gen = np.random.default_rng(5)

    def init_weights(m):  # PyTorch's habit, written with the messages' recipe
        if isinstance(m, nn.Linear):
            m.weight.data[:] = init.he_normal(m.weight.shape, rng=gen)
            m.bias.data[:] = 0.01

    ours.apply(init_weights)
    assert ours[1][1].bias.data.tolist() == [pytest.approx(0.01)]
    np.testing.assert_array_equal(ours[0].weight.data, init.he_normal((2, 3), rng=np.random.default_rng(5)))


@pytest.mark.parametrize("theirs, ours, message", [
    (lambda t, w: t.normal_(w, 0.0, 0.02), lambda w: init.normal(w.shape, 0.0, 0.02),
     r"^normal: dtype must be a numpy floating dtype, got float 0.02; .* by keyword: normal\(shape, std=..., rng=0\)"),
    (lambda t, w: t.uniform_(w, -1, 1), lambda w: init.uniform(w.shape, -1, 1),
     r"^uniform: dtype .* got int 1; .* uniform\(shape, a=..., b=..."),
    (lambda t, w: t.constant_(w, 0.1), lambda w: init.constant(w.shape, 0.1),
     r"^constant: rng must be a np.random.Generator, an int seed or None, got float 0.1; .* constant\(shape, value="),
    (lambda t, w: t.xavier_uniform_(w, 2.0), lambda w: init.xavier_uniform(w.shape, 2.0),
     r"^xavier_uniform: rng .* xavier_uniform\(shape, gain="),
    (lambda t, w: t.kaiming_normal_(w, 0.2), lambda w: init.he_normal(w.shape, 0.2),
     r"^he_normal: rng .* got float 0.2; after the shape come rng and dtype"),
])
def test_pytorchs_positional_init_parameters_are_named_not_taken_for_rng_and_dtype(theirs, ours, message):
    torch = require_module("torch")
    w = torch.empty(3, 4)
    theirs(torch.nn.init, w)  # valid PyTorch
    with pytest.raises(TypeError, match=message):  # said 'rng must be ...' (no function), 'normal: dtype ... 0.02'
        ours(w)
    assert init.normal((3, 4), 0, np.float64, std=0.02).dtype == np.float64  # rng and dtype by position still work


def test_sequential_names_a_class_given_for_its_instance_and_another_librarys_module():
    torch = require_module("torch")
    with pytest.raises(TypeError, match=r"^Sequential: item 1 is the class ReLU, not a Module; write ReLU\(\)$"):
        nn.Sequential(nn.Linear(2, 3), nn.ReLU)  # said 'item 1 is a type'
    with pytest.raises(TypeError, match=r"^Sequential: item 1 is a torch\.nn\.modules\.activation\.ReLU, not a "
                                        r"Module$"):  # said 'item 1 is a ReLU, not a Module', as if nn.ReLU were not
        nn.Sequential(nn.Linear(2, 3), torch.nn.ReLU())
    assert isinstance(nn.Sequential(nn.Linear(2, 3), nn.ReLU())[1], nn.ReLU)


def test_pytorchs_sequential_of_an_ordered_dict_says_what_to_write():
    from collections import OrderedDict

    torch = require_module("torch")
    assert list(torch.nn.Sequential(OrderedDict(fc=torch.nn.Linear(2, 3), act=torch.nn.Tanh()))._modules) == [
        "fc", "act"]  # valid there
    named = OrderedDict(fc=nn.Linear(2, 3, rng=0), act=nn.Tanh())
    with pytest.raises(TypeError, match=r"^Sequential: PyTorch's Sequential\(OrderedDict\(\.\.\.\)\) is not "
                                        r"offered here; write nn.Sequential\(\*modules.values\(\)\) \(named 0, 1, "
                                        r"\.\.\.\), or a Module that assigns each by name, self.fc = \.\.\.$"):
        nn.Sequential(named)  # said 'item 0 is a collections.OrderedDict, not a Module'
    assert [k for k, _ in nn.Sequential(*named.values()).named_parameters()] == ["0.weight", "0.bias"]


@pytest.mark.parametrize("name, says", [
    ("Parameter", r"a parameter is a leaf Tensor\(data, requires_grad=True\) assigned as a module"),
    ("ModuleList", r"nn.Sequential\(\*modules\) registers them .* a plain list does not, and parameters\(\) would"),
    ("functional", r"the losses are nn.mse_loss, nn.cross_entropy"),
    ("ParameterList", r"assign each as its own attribute, setattr\(self, name, value\); a plain list or dict is not"),
    ("Embedding", r"a leaf Tensor C, .*C\[ids\]"), ("Softmax", r"x.softmax\(axis=1\)"), ("Flatten", r"x.reshape"),
    ("Dropout", r"not offered: the layers are Linear, Tanh, .*BatchNorm1d$"),
])
def test_pytorchs_parameter_modulelist_and_functional_say_what_to_write(name, says):
    torch = require_module("torch")
    assert hasattr(torch.nn, name)
    with pytest.raises(AttributeError, match=rf"^nn.{name} is PyTorch's, not here: {says}"):  # was: no attribute
        getattr(nn, name)

    class Net(nn.Module):  # what the ModuleList message says to write: every layer's weights are found and trained
        def __init__(self):
            super().__init__()
            self.blocks = nn.Sequential(*[nn.Linear(2, 2, rng=i) for i in range(3)])

        def forward(self, x):
            for block in self.blocks:
                x = block(x).tanh()
            return x

    net = Net()
    assert len(net.parameters()) == 6 and net.blocks[2] is list(net.blocks)[-1]
    net(np.ones((1, 2))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())


@pytest.mark.parametrize("cls, args, kwargs, given, note", [
    (nn.ReLU, (), {"inplace": True}, "inplace=True", r"PyTorch's nn\.ReLU\(inplace=True\) only saves memory"),
    (nn.ReLU, (True,), {}, "True", r"PyTorch's nn\.ReLU\(inplace=True\) only saves memory"),
    (nn.Identity, (54,), {"unused": 0.1}, "54, unused=0.1", r"PyTorch's nn\.Identity ignores its arguments"),
    (nn.Tanh, (), {"inplace": False}, "inplace=False", r"PyTorch's nn\.Tanh takes none either"),
    (nn.Tanh, (1,), {}, "1", r"PyTorch's nn\.Tanh takes none either"),
    (nn.Sigmoid, (1,), {}, "1", r"PyTorch's nn\.Sigmoid takes none either")])
def test_pytorchs_activation_arguments_are_named_by_the_layer(cls, args, kwargs, given, note):
    # every layer's note was "PyTorch's inplace=True only saves memory", also for nn.Tanh(1) and nn.Sigmoid(1),
    # whose PyTorch classes take no argument at all (no inplace), and for nn.Identity(54), whose class ignores any
    torch = require_module("torch")
    if cls in (nn.ReLU, nn.Identity):
        getattr(torch.nn, cls.__name__)(*args, **kwargs)  # valid there: ReLU(inplace=True), Identity ignores any
    else:
        with pytest.raises(TypeError):
            getattr(torch.nn, cls.__name__)(*args, **kwargs)
    with pytest.raises(TypeError, match=rf"^{cls.__name__}: takes no arguments, got {given}; write "
                                        rf"nn.{cls.__name__}\(\) \({note}\)$"):
        cls(*args, **kwargs)  # said 'Module.__init__() got an unexpected keyword argument', naming no layer
    assert cls()(Tensor([-1.0, 2.0])).shape == (2,)


@pytest.mark.parametrize("args, kwargs, says", [
    ((0.9, 0.5), {}, r"a fourth positional argument \(PyTorch's dampening\) is not offered here"),
    ((0.9,), {"nesterov": True}, r"'nesterov' is PyTorch's, not offered here"),
    ((), {"dampening": 0.1}, r"'dampening' is PyTorch's, not offered here"),
    ((), {"maximize": True}, r"'maximize' is PyTorch's, not offered here"),
    ((), {"lr_decay": 0.1}, r"'lr_decay' is not an argument"),
])
def test_pytorchs_sgd_options_are_named_with_what_sgd_takes(args, kwargs, says):
    torch = require_module("torch")
    w = Tensor(np.zeros(2), requires_grad=True)
    if "lr_decay" not in kwargs:
        torch.optim.SGD([torch.zeros(2, requires_grad=True)], 0.1, *args, **kwargs)  # valid there
    with pytest.raises(TypeError, match=rf"^SGD: {says}.*; it takes params, lr, momentum, and weight_decay by "
                                        r"keyword$"):  # said 'SGD.__init__() got an unexpected keyword argument'
        nn.optim.SGD([w], 0.1, *args, **kwargs)


def test_pytorchs_sgd_options_at_their_defaults_are_this_sgd():
    # the message says "this SGD is PyTorch's with dampening=0, nesterov=False, maximize=False", and refused them
    defaults = {"dampening": 0, "nesterov": False, "maximize": False, "foreach": None, "differentiable": False,
                "fused": None}  # torch.optim.SGD's
    rng = np.random.default_rng(0)
    w0, grads = rng.normal(size=3), rng.normal(size=(4, 3))
    ours, plain = Tensor(w0.copy(), requires_grad=True), Tensor(w0.copy(), requires_grad=True)
    opts = [nn.optim.SGD([ours], lr=0.1, momentum=0.9, weight_decay=0.01, **defaults),
            nn.optim.SGD([plain], lr=0.1, momentum=0.9, weight_decay=0.01)]  # (stepped as PyTorch's in test_nn)
    for g in grads:
        ours.grad, plain.grad = g.copy(), g.copy()
        for opt in opts:
            opt.step()
    np.testing.assert_array_equal(ours.data, plain.data)
    assert not np.allclose(ours.data, w0)
    for other in ({"dampening": 0.5}, {"nesterov": 1}, {"fused": True}):  # not their defaults: refused as before
        k = next(iter(other))  # (the message said "this SGD is PyTorch's with nesterov=False" also for nesterov=0)
        with pytest.raises(TypeError, match=rf"^SGD: '{k}' is PyTorch's, not offered here but at its default, "
                                            rf"{k}={defaults[k]!r}: "):
            nn.optim.SGD([ours], lr=0.1, **other)
    for off in ({"nesterov": 0}, {"fused": False}, {"foreach": False}, {"dampening": np.float64(0)}):
        nn.optim.SGD([ours], lr=0.1, **off)  # off, as at the default: PyTorch reads them so


def test_pytorchs_batchnorm_momentum_none_is_named_as_not_offered():
    torch = require_module("torch")
    torch.nn.BatchNorm1d(3, momentum=None)  # valid there: a cumulative average of the batches' statistics
    with pytest.raises(TypeError, match=r"^BatchNorm1d: momentum must be a number in \[0, 1\]; PyTorch's "
                                        r"momentum=None \(a cumulative average\) is not offered here$"):
        nn.BatchNorm1d(3, momentum=None)  # said 'momentum must be a number, got NoneType None'
    bn = nn.BatchNorm1d(3)
    with pytest.raises(TypeError, match=r"^BatchNorm1d: momentum must be a number in \[0, 1\]; PyTorch's "):
        bn.momentum = None  # as torch.optim.swa_utils.update_bn sets it: the forward raised Python's "unsupported
    for name, bad in (("momentum", 1.5), ("eps", 0.0), ("eps", -1.0)):  # operand type(s) for -: 'int' and 'NoneType'"
        with pytest.raises(ValueError, match=rf"^BatchNorm1d: {name} must be"):  # (these gave wrong running
            setattr(bn, name, bad)  # statistics, or nan outputs)
    bn.momentum, bn.eps = 1, np.float32(1e-3)
    assert (bn.momentum, type(bn.eps)) == (1.0, float) and bn(np.ones((2, 3))).data.tolist() == [[0.0] * 3] * 2


def test_pytorchs_sgd_param_groups_are_named():
    torch = require_module("torch")
    model = nn.Linear(2, 1, rng=0)
    torch.optim.SGD([{"params": [torch.zeros(2, requires_grad=True)], "lr": 0.1}], lr=0.1)  # valid there
    with pytest.raises(TypeError, match=r"^SGD: parameter 0 is a dict: PyTorch's param groups are not offered here; "
                                        r"make one SGD per group, SGD\(group\['params'\], lr=\.\.\.\)$"):
        nn.optim.SGD([{"params": model.parameters(), "lr": 0.1}], lr=0.1)  # said 'not a leaf Tensor (got dict)'


@pytest.mark.parametrize("torch_name, ours, takes", [
    ("kaiming_normal_", "he_normal", "mode, negative_slope"), ("xavier_uniform_", "xavier_uniform", "gain"),
    ("normal_", "normal", "std"), ("orthogonal_", "orthogonal", "gain"), ("uniform_", "uniform", "a, b")])
def test_pytorchs_generator_argument_is_named_as_rng(torch_name, ours, takes):
    torch = require_module("torch")
    getattr(torch.nn.init, torch_name)(torch.empty(3, 4), generator=torch.Generator().manual_seed(0))  # valid there
    with pytest.raises(TypeError, match=rf"^{ours}: unknown parameter\(s\) generator; it takes rng \(a seed or a "
                                        rf"np.random.Generator, PyTorch's generator\), dtype, {takes}$"):
        getattr(init, ours)((4, 3), generator=np.random.default_rng(0))  # said only: accepts {takes}
    assert getattr(init, ours)((4, 3), rng=np.random.default_rng(0)).shape == (4, 3)


def test_pytorchs_kaiming_a_and_nonlinearity_are_named_with_what_they_are_here():
    torch = require_module("torch")
    w = torch.empty(8, 5)  # PyTorch's (fan_out, fan_in): ours (5, 8)
    for theirs, says in [({"a": 0.2}, r"\(PyTorch's a: negative_slope\)"),
                         ({"nonlinearity": "tanh"}, r"\(PyTorch's nonlinearity: relu's is he_\*, another's "
                                                    r"variance_scaling\(scale=gain\*\*2\)\)")]:
        torch.nn.init.kaiming_normal_(w, mode="fan_out", **theirs)  # valid there
        with pytest.raises(TypeError, match=rf"^he_normal: unknown parameter\(s\) {next(iter(theirs))}; it takes rng "
                                            rf"\(.*\), dtype, mode, negative_slope {says}$"):  # said no more
            init.get("he_normal", mode="fan_out", **theirs)
    ours = [init.get("he_normal", mode="fan_out", negative_slope=0.2),
            init.get("variance_scaling", mode="fan_out", scale=init.calculate_gain("tanh") ** 2)]
    for scheme, gain in zip(ours, [torch.nn.init.calculate_gain("leaky_relu", 0.2),
                                   torch.nn.init.calculate_gain("tanh")]):  # kaiming's std: gain / sqrt(fan_out)
        assert scheme.std(5, 8) == pytest.approx(gain / 8 ** 0.5, rel=1e-12)


@pytest.mark.parametrize("name, says", [
    ("state_dict", r"copy.deepcopy\(model\)"), ("load_state_dict", r"p.data\[...\] = saved\[n\]"),
    ("to", "not needed: numpy"), ("cuda", "not needed: numpy"), ("double", "dtype=np.float64"),
    ("requires_grad_", "p.requires_grad = False"), ("buffers", "a plain attribute"),
    ("register_parameter", r"setattr\(model, name, value\)"), ("append", r"nn.Sequential\(\*layers\)"),
    ("register_full_backward_hook", r"output.register_hook\(fn\)")])
def test_pytorchs_module_methods_spelled_otherwise_here_say_what_to_write(name, says):
    torch = require_module("torch")
    assert hasattr(torch.nn.Sequential, name)  # (append: a Sequential's)
    model = nn.MLP([2, 3, 1], rng=0)
    with pytest.raises(AttributeError, match=rf"^'MLP' object has no attribute '{name}'; PyTorch's {name}: .*{says}"):
        getattr(model, name)  # was the bare "'MLP' object has no attribute"
    with pytest.raises(AttributeError, match=r"^'MLP' object has no attribute 'stat_dict'$"):
        model.stat_dict  # another name: Python's message
    saved = {n: p.data.copy() for n, p in model.named_parameters()}  # what the message says to write, in and out
    for p in model.parameters():
        p.data += 1.0
    for n, p in model.named_parameters():
        p.data[...] = saved[n]
    assert all(np.array_equal(p.data, saved[n]) for n, p in model.named_parameters())


def test_pytorchs_param_groups_says_to_set_the_learning_rate_which_then_steps_as_pytorchs():
    torch = require_module("torch")
    w = Tensor([1.0, -2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.5, momentum=0.9)
    with pytest.raises(AttributeError, match=r"^'SGD' object has no attribute 'param_groups'; .*optimizer.lr = 0.01"):
        opt.param_groups
    with pytest.raises(AttributeError, match=r"PyTorch's state_dict: copy.deepcopy\(\(model, optimizer\)\)"):
        opt.state_dict
    theirs = torch.tensor([1.0, -2.0], requires_grad=True)
    topt = torch.optim.SGD([theirs], lr=0.5, momentum=0.9)
    for step in range(4):
        if step == 2:
            opt.lr = topt.param_groups[0]["lr"] = 0.1
        for p, o in ((w, opt), (theirs, topt)):
            o.zero_grad()
            (p * p).sum().backward()
            o.step()
    np.testing.assert_allclose(w.data, theirs.detach().numpy(), rtol=1e-6)


def test_a_float32_linear_given_a_float64_tensor_computes_in_float64_as_the_engines_page_says():
    torch = require_module("torch")
    with pytest.raises(RuntimeError):  # PyTorch refuses float32 @ float64
        torch.ones(1, 2) @ torch.ones(2, 3, dtype=torch.float64)
    layer = nn.Linear(2, 3, rng=0)
    out = layer(Tensor(np.ones((1, 2))))  # numpy's float64, kept by Tensor
    out.sum().backward()
    assert out.dtype == np.float64 and layer.weight.grad.dtype == layer.bias.grad.dtype == np.float32
    assert layer(np.ones((1, 2))).dtype == np.float32  # an array: converted to the layer's dtype first
    page = Path(__file__).parents[2] / "docs" / "concepts" / "engines.md"
    assert "float32 @ float64" in page.read_text(encoding="utf-8")  # the difference from PyTorch is told


def test_an_embedding_written_as_the_message_says_gives_pytorchs_gradient():
    torch = require_module("torch")
    weights, ids = np.random.default_rng(0).normal(size=(5, 3)), np.array([[1, 4, 1], [0, 1, 4]])
    emb = torch.nn.Embedding(5, 3)
    emb.weight.data = torch.tensor(weights)
    C = Tensor(weights, requires_grad=True)
    g = np.arange(18.0).reshape(2, 3, 3)
    emb(torch.tensor(ids)).backward(torch.tensor(g))
    C[ids].backward(g)
    np.testing.assert_array_equal(C.grad, emb.weight.grad.numpy())


def test_a_global_seed_fixes_no_weights_as_getting_started_says_and_rng_does_across_processes():
    # each process prints the weights of a model made with rng=0, then of one made after np.random.seed(0) alone
    code = ("import numpy as np; np.random.seed(0); from tinygrad_init import nn; "
            "print(nn.MLP([2, 3, 1], rng=0).parameters()[0].data.tobytes().hex()); "
            "print(nn.MLP([2, 3, 1]).parameters()[0].data.tobytes().hex())")
    root = Path(__file__).parents[2]

    def run():
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=root, env={**os.environ, "PYTHONPATH": str(root)}).stdout.splitlines()
    (seeded, unseeded), (seeded_again, unseeded_again) = run(), run()
    assert unseeded != unseeded_again  # np.random.seed(0) does not seed the model (PyTorch's manual_seed habit)
    assert seeded == seeded_again
    page = root / "docs" / "getting-started.md"
    assert "There is no global seed" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("index", [0, -1, 1, slice(0, 2), slice(None, None, 2)])
def test_deleting_from_a_sequential_renumbers_the_rest_as_pytorch(index):
    torch = require_module("torch")
    ours = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh(), nn.Linear(3, 1, rng=1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    del ours[index]  # was AttributeError: __delitem__
    del theirs[index]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [type(m).__name__ for m in ours] == [type(m).__name__ for m in theirs]
    with pytest.raises(IndexError, match="Sequential: index 7 is out of range"):
        del ours[7]


@pytest.mark.parametrize("labels", [[1.0, 0.0, 1.0], [0.7, 0.2, 1.0]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_losses_promote_a_float32_output_with_a_target_tensor_of_another_dtype_as_pytorch(labels, dtype):
    torch = require_module("torch")
    z = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    target = np.array(labels, dtype=dtype)
    for ours, theirs in [(nn.binary_cross_entropy_with_logits, torch.nn.functional.binary_cross_entropy_with_logits),
                         (nn.mse_loss, torch.nn.functional.mse_loss)]:
        logits = Tensor(z, requires_grad=True)
        loss = ours(logits, Tensor(target, dtype=dtype))  # a float64 target of hard labels gave float32 with BCE
        expected = theirs(torch.tensor(z), torch.tensor(target))
        assert loss.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
        np.testing.assert_allclose(loss.item(), expected.item(), rtol=1e-6)
        loss.backward()
        assert logits.grad.dtype == np.float32


@pytest.mark.parametrize("name", ["Adam", "AdamW", "lr_scheduler"])
def test_pytorchs_other_optimizers_and_schedulers_name_what_there_is(name):
    torch = require_module("torch")
    assert hasattr(torch.optim, name)
    with pytest.raises(AttributeError, match=rf"^optim.{name} is PyTorch's, not here: the optimizer is SGD"):
        getattr(optim, name)  # was "module 'tinygrad_init.nn.optim' has no attribute"
    with pytest.raises(AttributeError, match=r"has no attribute 'Adamm'$"):
        optim.Adamm


def test_pytorchs_names_imported_with_from_say_what_to_write_as_reading_them_does():
    # Python replaced the AttributeError of a module's __getattr__ with its own "cannot import name 'Adam' from
    # 'tinygrad_init.nn.optim'", dropping what to write, for the way PyTorch's users import (from torch.optim import X)
    with pytest.raises(ImportError, match=r"^optim.Adam is PyTorch's, not here: the optimizer is SGD"):
        from tinygrad_init.optim import Adam  # noqa: F401
    with pytest.raises(ImportError, match=r"^nn.CrossEntropyLoss: the losses are functions here"):
        from tinygrad_init.nn import CrossEntropyLoss  # noqa: F401
    with pytest.raises(ImportError, match=r"^nn.Dropout is PyTorch's, not here"):
        from tinygrad_init.nn import Linear, Dropout  # noqa: F401
    with pytest.raises(ImportError, match=r"^init.kaiming_normal_: PyTorch's in-place initializers are not here"):
        from tinygrad_init.init import kaiming_normal_  # noqa: F401
    with pytest.raises(ImportError, match=r"^cannot import name 'Adamm' from 'tinygrad_init.nn.optim'"):
        from tinygrad_init.optim import Adamm  # noqa: F401 (another name: Python's own message)
    assert not hasattr(optim, "Adam") and getattr(nn, "CrossEntropyLoss", None) is None  # a read: AttributeError
    with pytest.raises(AttributeError, match=r"^init.xavier_uniform_: PyTorch's"):
        init.xavier_uniform_  # noqa: B018


def test_a_property_that_fails_inside_a_module_or_optimizer_keeps_its_own_error():
    # Module and SGD say what to write for PyTorch's names when a name is not found; Python asks them too when a
    # property's getter raises AttributeError, and they answered "'Net' object has no attribute 'depth'" for a
    # property that exists, hiding the typo inside it ('layerz')
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh())

        depth = property(lambda self: len(self.layerz))

    class Stepper(optim.SGD):
        rate = property(lambda self: self.lrr)

    with pytest.raises(AttributeError, match=r"^'Net' object has no attribute 'layerz'$"):
        Net().depth
    with pytest.raises(AttributeError, match=r"^'Stepper' object has no attribute 'lrr'$"):
        Stepper([Tensor([1.0], requires_grad=True)], lr=0.1).rate
    with pytest.raises(AttributeError, match=r"^'Net' object has no attribute 'state_dict'; PyTorch's state_dict"):
        Net().state_dict


def test_the_pytorch_names_of_module_and_sgd_are_class_attributes_not_a_getattr():
    # the names were answered by a __getattr__ on Module and SGD, which takes every attribute read of theirs off
    # Python's fast path: reading one was 2.4x (SGD) to 2.6x (Module) a plain object's, SGD.step 1.24x and
    # zero_grad 1.12x slower than before it (paired medians of 150 interleaved rounds, benchmarks/ measures the
    # step); as class attributes they cost nothing. No time is asserted here: the classes keep no __getattr__.
    model = nn.Linear(2, 3, rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    for cls in (type(model), type(opt), nn.Sequential, nn.MLP):
        assert all("__getattr__" not in vars(k) for k in cls.__mro__ if k is not object), cls
    assert "copy.deepcopy" in str(pytest.raises(AttributeError, getattr, opt, "state_dict").value)
    model.to = "kept"  # an attribute of its own of a PyTorch name is the module's, as before
    assert model.to == "kept"


def test_a_mixins_own_method_of_a_pytorch_name_is_found_after_module_and_sgd():
    # class Net(nn.Module, Saving): Module's class attribute 'state_dict' (what to write for PyTorch's) came first in
    # the order and hid Saving's own state_dict and to (a __getattr__ before it was asked only when none was found)
    class Saving:
        def state_dict(self):
            return {"w": 1}

        to = property(lambda self: "moved")
        add_param_group = staticmethod(lambda group: group)

    class Net(nn.Module, Saving):
        pass

    class Stepper(optim.SGD, Saving):
        pass

    net, stepper = Net(), Stepper([Tensor([1.0], requires_grad=True)], lr=0.1)
    assert net.state_dict() == {"w": 1} and net.to == "moved" and stepper.state_dict() == {"w": 1}
    assert stepper.add_param_group(3) == 3
    with pytest.raises(AttributeError, match=r"^'Net' object has no attribute 'cuda'; PyTorch's cuda"):
        net.cuda
    with pytest.raises(AttributeError, match=r"^'Stepper' object has no attribute 'param_groups'; PyTorch's"):
        stepper.param_groups


@pytest.mark.parametrize("make", [lambda: nn.Linear(2, 3, dtype=None).weight.data, lambda: init.get("he_normal")(
    (3, 4), dtype=None), lambda: init.variance_scaling((3, 4), dtype=None), lambda: init.get("zeros")(3, dtype=None)])
def test_dtype_none_is_the_default_float32_as_pytorchs_dtype_none_is_its_default_dtype(make):
    torch = require_module("torch")  # torch.empty(2, dtype=None) is float32 (was numpy's float64 here)
    assert make().dtype == np.float32 == torch.empty(2, dtype=None).numpy().dtype


def test_apply_given_a_scheme_name_says_how_to_pass_one_in_balanced_words():
    # the text read "fn must be a function fn(module) (a scheme by name: MLP(sizes, init=name), got str ...": one
    # parenthesis never closed
    with pytest.raises(TypeError, match=r"^Module\.apply: fn must be a function fn\(module\) \(a scheme goes by name: "
                                        r"MLP\(sizes, init=name\)\), got str 'he_normal'$"):
        nn.MLP([2, 3, 1], rng=0).apply("he_normal")
