"""The optimizer as PyTorch's users drive it: torch.optim.SGD's numbers over random settings, its calls and names
(more SGD tests live in test_nn and test_torch_habits).

The comparisons with PyTorch are skipped when torch is not installed -- except under CI=true, where torch must be
present."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.conftest import require_module
from tinygrad_init import Tensor, nn, optim
from tinygrad_init.losses import mse_loss


@pytest.mark.torch
def test_sgd_follows_pytorchs_over_random_settings_to_the_rounding_of_its_multiply_adds():
    # 300 settings: float32 and float64, 1 to 4 parameters (0-d to 2-d), lr, momentum and weight_decay also changed
    # between steps, gradients None in some steps or zeroed in place (zero_grad(set_to_none=False)). PyTorch rounds
    # p - lr v and g + weight_decay p once each (fused multiply-adds), numpy twice, so the weights agree to a few
    # units of the last place of the largest weight, not bit for bit
    torch = require_module("torch")
    for case in range(300):
        rng = np.random.default_rng(case)
        dtype = (np.float32, np.float64)[case % 2]
        settings = {"lr": float(rng.choice([0.0, 0.01, 0.5, rng.uniform(0, 2)])),
                    "momentum": float(rng.choice([0.0, 0.9, rng.uniform(0, 1)])),
                    "weight_decay": float(rng.choice([0.0, 1e-4, rng.uniform(0, 1)]))}
        w0 = [rng.standard_normal(rng.integers(1, 5, size=rng.integers(0, 3))).astype(dtype)
              for _ in range(rng.integers(1, 5))]
        ours, theirs = [Tensor(w.copy(), requires_grad=True) for w in w0], [torch.tensor(w, requires_grad=True)
                                                                            for w in w0]
        opt, topt = optim.SGD(iter(ours), **settings), torch.optim.SGD(theirs, **settings)
        for _ in range(rng.integers(1, 12)):
            if rng.random() < 0.2:  # a schedule: PyTorch's param_groups, the attributes here
                key, value = str(rng.choice(list(settings))), float(rng.choice([0.0, 0.05, 0.5]))
                setattr(opt, key, value)
                topt.param_groups[0][key] = value
            for p, q in zip(ours, theirs):
                if (r := rng.random()) < 0.2:
                    p.grad, q.grad = None, None
                elif r < 0.3 and p.grad is not None:
                    optim.zero_grads([p], set_to_none=False)
                    q.grad.zero_()
                else:
                    g = rng.standard_normal(p.shape).astype(dtype)
                    p.grad, q.grad = g.copy(), torch.tensor(g)
            opt.step()
            topt.step()
        for w, p, q in zip(w0, ours, theirs):
            scale = max(np.abs(w).max(), np.abs(q.detach().numpy()).max(), 1.0)
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=0, atol=32 * np.finfo(dtype).eps * scale,
                                       err_msg=f"case {case}, {settings}")
            assert p.data.dtype == dtype


@pytest.mark.parametrize("name", ["Adamax", "ASGD", "RAdam", "Rprop", "SparseAdam", "Adafactor", "Muon", "Optimizer",
                                  "swa_utils", "Adagrad", "Adadelta", "NAdam", "LBFGS"])
def test_every_other_name_of_pytorchs_optim_says_the_optimizer_is_sgd(name):
    # Adam, AdamW, RMSprop, ... were named, Adamax, RAdam, Rprop, Optimizer, swa_utils... got Python's 'no attribute'
    torch = require_module("torch")
    assert hasattr(torch.optim, name)
    with pytest.raises(AttributeError, match=rf"^optim.{name} is PyTorch's, not here: the optimizer is SGD"):
        getattr(optim, name)


@pytest.mark.parametrize("old", [3, 1])
def test_sgd_step_names_the_momentum_of_a_parameter_given_another_shape(old):
    # the momentum kept from before the .data was replaced has the old shape: the message said the parameter 'holds
    # shape (4,) where its gradient has shape (4,)', blaming two shapes that agree, and a (1,) momentum was added
    # to each of the 4 new weights
    w = Tensor(np.ones(old), requires_grad=True, name="w")
    opt, w.grad = optim.SGD([w], lr=0.1, momentum=0.9), np.ones(old)
    opt.step()
    opt.zero_grad()
    w.data = np.ones(4)
    (w * 2.0).sum().backward()
    with pytest.raises(ValueError, match=rf"^SGD\.step: parameter 0 \('w'\) holds shape \(4,\) where its momentum "
                                         rf"from the steps before has shape \({old},\): .* make a new SGD"):
        opt.step()
    assert w.data.tolist() == [1.0] * 4
    optim.SGD([w], lr=0.1, momentum=0.9).step()  # as it says
    assert w.data.tolist() == [0.8] * 4


def test_sgd_step_given_pytorchs_closure_says_to_call_it_before():
    # opt.step(closure), as PyTorch's SGD takes it, raised Python's 'takes 1 positional argument but 2 were given'.
    # It is refused by name rather than run: Diagnostics wraps step and measures the gradients as the step begins,
    # before a closure run inside it would compute them (its records came one step off, the last one empty)
    model = nn.Linear(3, 1, rng=0)
    opt, before, calls = optim.SGD(model.parameters(), lr=0.1), model.weight.data.copy(), []

    def closure():
        calls.append(1)
        opt.zero_grad()
        loss = mse_loss(model(np.ones((2, 3), np.float32)), np.zeros((2, 1), np.float32))
        loss.backward()
        return loss

    for call in (lambda: opt.step(closure), lambda: opt.step(closure=closure)):
        with pytest.raises(TypeError, match=r"^SGD\.step: PyTorch's closure is not taken here; call it before the "
                                            r"step, loss = closure\(\), then optimizer\.step\(\)$"):
            call()
    assert calls == [] and np.array_equal(model.weight.data, before)
    loss = closure()  # as it says
    opt.step(None)  # PyTorch's default
    assert loss.item() > 0 and not np.array_equal(model.weight.data, before)


def test_printing_an_sgd_shows_its_settings():
    model = nn.MLP([2, 3, 1], rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    assert repr(opt) == "SGD(4 parameters, lr=0.1, momentum=0.9, weight_decay=0.0)"  # was <... object at 0x...>
    opt.lr = 0.025
    assert str(opt) == "SGD(4 parameters, lr=0.025, momentum=0.9, weight_decay=0.0)"
    assert repr(optim.SGD([model.layers[0].weight], 1)) == "SGD(1 parameter, lr=1.0, momentum=0.0, weight_decay=0.0)"


@pytest.mark.parametrize("name, says", [("state", r"each parameter's momentum is kept inside"),
                                        ("defaults", r"the settings are attributes: optimizer\.lr")])
def test_pytorchs_state_and_defaults_of_an_optimizer_say_what_there_is(name, says):
    # they gave Python's bare "'SGD' object has no attribute 'state'"
    opt = optim.SGD([Tensor(np.zeros(2), requires_grad=True)], lr=0.1)
    with pytest.raises(AttributeError, match=rf"^'SGD' object has no attribute '{name}'; PyTorch's {name}: {says}"):
        getattr(opt, name)


def test_zeroing_the_gradients_in_place_zeroes_a_read_only_gradient_assigned_by_hand():
    # a gradient assigned as a read-only array (np.broadcast_to, an array with writeable=False) ended zero_grad(
    # set_to_none=False) in numpy's 'assignment destination is read-only', naming none of the calls
    model = nn.Linear(3, 1, rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    for zero in (opt.zero_grad, model.zero_grad, lambda set_to_none: optim.zero_grads(model.parameters(),
                                                                                         set_to_none)):
        model.weight.grad, model.bias.grad = np.broadcast_to(np.float32(2.0), (3, 1)), np.ones(1, np.float32)
        held = model.bias.grad
        zero(set_to_none=False)
        assert model.weight.grad.tolist() == [[0.0]] * 3 and model.weight.grad.dtype == np.float32
        assert model.bias.grad is held and held.tolist() == [0.0]  # a writable one is zeroed in place, as before


def test_sgd_given_no_parameters_names_the_two_ways_to_get_none():
    # it said 'pass model.parameters()', which is what was passed: of a model without parameters, or as a generator
    # that an earlier SGD (or a loop) had read to its end
    model = nn.MLP([2, 3, 1], rng=0)
    params = (p for p in model.parameters())
    optim.SGD(params, lr=0.1)
    for empty in (params, nn.Sequential(nn.Tanh()).parameters(), []):
        with pytest.raises(ValueError, match=r"^SGD: got an empty parameter list: a model with no parameters, or a "
                                             r"generator read before \(it yields its items once\)\? Pass the tensors "
                                             r"to train, model\.parameters\(\)$"):
            optim.SGD(empty, lr=0.1)


@pytest.mark.parametrize("name, says", [("learning_rate", r"no such setting; an SGD has lr, momentum and weight_decay"),
                                        ("lr_", r"no such setting; an SGD has lr, momentum and weight_decay"),
                                        ("nesterov", r"PyTorch's nesterov, not offered here: this SGD is PyTorch's "
                                                     r"with dampening=0, nesterov=False"),
                                        ("state", r"PyTorch's state: each parameter's momentum is kept inside")])
def test_an_sgd_refuses_an_attribute_it_does_not_have_naming_those_it_has(name, says):
    # opt.learning_rate = 0.1 (or lr_, or PyTorch's nesterov) made an attribute that no step read, silently
    import copy
    import pickle

    w = Tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([w], lr=0.5, momentum=0.5)
    for o in (opt, copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):  # a copy is an SGD as the original
        with pytest.raises(AttributeError, match=rf"^SGD: cannot set '{name}': {says}"):
            setattr(o, name, 0.1)
        assert name not in vars(o)
        o.lr, o.momentum, o.weight_decay = 0.25, 0.0, 0.0  # the settings, as a schedule sets them
        o.params[0].grad = np.ones(2)
        o.step()
        assert o.params[0].data.tolist() == [0.75, 0.75]

    class Scaled(optim.SGD):  # a subclass's attributes are its own
        def __init__(self, params, lr, scale):
            super().__init__(params, lr)
            self.scale = scale

    assert Scaled([w], 0.1, 2.0).scale == 2.0


def test_sgd_params_are_not_changed_in_place_and_a_new_list_keeps_each_kept_parameters_momentum():
    # opt.params.append(p) ended the next step with momentum in a bare IndexError, and opt.params = [u] (another
    # parameter of the same shape) stepped u with the momentum of the one before, silently; PyTorch keeps each
    # parameter's momentum with the parameter
    def fresh():
        return [Tensor(np.ones(2), requires_grad=True, name=n) for n in "wuv"]

    w, u, v = fresh()
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = np.ones(2)
    opt.step()
    for change in (lambda: opt.params.append(u), lambda: opt.params.extend([u]), lambda: opt.params.insert(0, u),
                   lambda: opt.params.__setitem__(0, u), lambda: opt.params.__iadd__([u])):
        with pytest.raises(TypeError, match=r"^SGD: params.*: an SGD's parameters are not changed in place .*; "
                                            r"assign a new list, optimizer\.params = \[\*optimizer\.params, p\]"):
            change()
    assert opt.params == (w,)
    with pytest.raises(ValueError, match=r"^SGD: parameter 1 \(w\) is also parameter 0"):
        opt.params = [w, w]  # checked as the constructor checks them
    opt.params = [w, u]
    u.grad = np.ones(2)
    opt.step()
    opt.params = [v, w]  # v, of w's shape, gets none of w's momentum
    v.grad = np.ones(2)
    opt.step()
    tw, tu, tv = fresh()  # the same steps with an SGD per parameter, each from its first step
    for p, steps in ((tw, 3), (tu, 1), (tv, 1)):
        o = optim.SGD([p], lr=0.1, momentum=0.9)
        for _ in range(steps):
            p.grad = np.ones(2)
            o.step()
    for ours, theirs in ((w, tw), (u, tu), (v, tv)):
        np.testing.assert_array_equal(ours.data, theirs.data)


@pytest.mark.torch
@pytest.mark.parametrize("name, value, dtype", [("lr", 1e300, np.float32), ("lr", 1e39, np.float32),
                                                ("lr", 1e5, np.float16), ("weight_decay", 1e300, np.float32)])
def test_sgd_step_refuses_an_lr_that_is_inf_in_a_parameters_dtype_as_pytorch(name, value, dtype):
    # lr=1e300 with float32 weights made them all -inf with numpy's 'overflow encountered in cast' RuntimeWarning;
    # PyTorch's step raises 'value cannot be converted to type float without overflow'
    torch = require_module("torch")
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(3, dtype), requires_grad=True, name="layers.0.weight")
    settings = {"lr": 0.1, name: value}
    a.grad, b.grad = np.ones(2), np.ones(3, dtype)
    says = rf"^SGD\.step: {name}={re.escape(f'{value:g}')} is beyond the largest {np.dtype(dtype)} number, "
    with pytest.raises(ValueError, match=says + rf".*parameter 1 \('layers\.0\.weight'\).*use a smaller {name}"):
        optim.SGD([a, b], **settings).step()
    assert a.data.tolist() == [1.0, 1.0] and b.data.tolist() == [1.0] * 3  # refused before any update
    q = torch.nn.Parameter(torch.ones(3, dtype=getattr(torch, np.dtype(dtype).name)))
    q.grad = torch.ones(3, dtype=q.dtype)
    with pytest.raises(RuntimeError, match="without overflow"):
        torch.optim.SGD([q], **settings).step()
    b.data = b.data.astype(np.float64)  # as it says
    b.grad = np.ones(3)
    optim.SGD([b], **settings).step()
    assert np.isfinite(b.data).all()
