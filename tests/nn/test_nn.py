"""Layers, losses, the optimizer and the scalar MLP."""

from __future__ import annotations

import copy
import math
import re
import sys
import warnings

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, nn, no_grad, optim
from tinygrad_init import scalar_nn
from tinygrad_init.data import moons
from tinygrad_init.losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss


def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar f at x (float64)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


# ---------------------------------------------------------------- Linear


def test_linear_layout_forward_and_backward_match_the_lecture_math():
    rng = np.random.default_rng(0)
    lin = nn.Linear(4, 3, rng=0, dtype=np.float64)
    assert lin.weight.shape == (4, 3) and lin.bias.shape == (3,)
    x = rng.standard_normal((5, 4))
    g = rng.standard_normal((5, 3))  # non-uniform upstream gradient
    lin.bias.data[:] = rng.standard_normal(3)
    xt = Tensor(x, requires_grad=True)
    y = lin(xt)
    np.testing.assert_allclose(y.data, x @ lin.weight.data + lin.bias.data, rtol=1e-12)
    y.backward(g)
    W = lin.weight.data
    np.testing.assert_allclose(xt.grad, g @ W.T, rtol=1e-12)  # upstream x local w
    np.testing.assert_allclose(lin.weight.grad, x.T @ g, rtol=1e-12)
    np.testing.assert_allclose(lin.bias.grad, g.sum(axis=0), rtol=1e-12)


def test_linear_against_central_differences():
    rng = np.random.default_rng(1)
    lin = nn.Linear(3, 2, rng=1, dtype=np.float64, bias_init=lambda s, rng=None, dtype=None: np.full(s, 0.3))
    x = rng.standard_normal((4, 3))
    g = rng.standard_normal((4, 2))

    def loss() -> float:
        return float((lin(Tensor(x)).data * g).sum())

    lin.zero_grad()
    lin(Tensor(x)).backward(g)
    np.testing.assert_allclose(lin.weight.grad, numeric_grad(loss, lin.weight.data), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(lin.bias.grad, numeric_grad(loss, lin.bias.data), rtol=1e-6, atol=1e-8)


def test_linear_rejects_wrong_input_width_with_the_shapes():
    lin = nn.Linear(10, 5)
    with pytest.raises(ValueError, match=r"Linear\(10, 5\): input of shape \(32, 20\)"):
        lin(Tensor(np.zeros((32, 20))))


@pytest.mark.parametrize("bad,exc,message", [(0, ValueError, "fan_in must be >= 1, got 0"),
                                             (-3, ValueError, "fan_in must be >= 1"),
                                             (2.5, TypeError, "fan_in must be a whole number, got float 2.5"),
                                             (True, TypeError, "fan_in must be a whole number, got bool")])
def test_linear_rejects_bad_sizes(bad, exc, message):
    with pytest.raises(exc, match=f"Linear: {message}"):
        nn.Linear(bad, 3)


def test_linear_init_by_name_and_function_and_same_seed_same_weights():
    a = nn.Linear(50, 40, init="he_normal", rng=3)
    b = nn.Linear(50, 40, init="kaiming_normal", rng=3)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert abs(a.weight.data.std() - math.sqrt(2 / 50)) < 0.1 * math.sqrt(2 / 50)
    c = nn.Linear(2, 2, init=lambda shape, rng=None, dtype=np.float32: np.eye(2, dtype=dtype))
    np.testing.assert_array_equal(c.weight.data, np.eye(2))
    assert not c.bias.data.any()  # zeros by default
    with pytest.raises(ValueError, match="returned shape"):
        nn.Linear(2, 3, init=lambda shape, rng=None, dtype=np.float32: np.zeros((3, 2)))


# ------------------------------------------------------- Module plumbing


def test_named_parameters_use_dotted_paths_and_set_tensor_names():
    mlp = nn.MLP([2, 4, 4, 1], rng=0)
    names = [n for n, _ in mlp.named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
                     "layers.4.weight", "layers.4.bias"]
    assert [p.name for p in mlp.parameters()] == names
    seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1, bias=False))
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight"]
    assert [n for n, _ in mlp.named_modules()][:3] == ["", "layers", "layers.0"]
    assert len(list(mlp.children())) == 1 and len(seq) == 3 and isinstance(seq[1], nn.Tanh)
    assert mlp.num_parameters() == 2 * 4 + 4 + 4 * 4 + 4 + 4 + 1


@pytest.mark.parametrize("index,error,message", [(3, IndexError, r"Sequential: index 3 is out of range for 3 modules"),
                                                 (-4, IndexError, "index -4 is out of range"),
                                                 (2.5, TypeError, "Sequential: index must be a whole number"),
                                                 ("0", TypeError, "Sequential: index must be a whole number"),
                                                 (np.arange(2), TypeError, "Sequential: index must be a whole")])
def test_a_bad_sequential_index_is_named(index, error, message):
    seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))  # was Python's 'list index out of range'
    with pytest.raises(error, match=message):
        seq[index]
    assert isinstance(seq[-1], nn.Linear) and isinstance(seq[np.int64(1)], nn.Tanh)


def test_a_slice_of_a_sequential_keeps_the_layer_names_as_pytorch():
    seq = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh(), nn.Linear(3, 1, rng=1))
    tail = seq[1:]
    assert [n for n, _ in tail.named_children()] == ["1", "2"]  # PyTorch's seq[1:] keeps the keys
    assert [n for n, _ in tail.named_parameters()] == ["2.weight", "2.bias"]
    assert seq[2].weight.name == "2.weight"  # slicing did not rename the original's parameters
    assert isinstance(tail[0], nn.Tanh) and len(tail) == 2 and tail(Tensor([[0.5, 1.0, 2.0]])).shape == (1, 1)
    m = nn.MLP([2, 3, 1], rng=0)  # a slice of a model's layers: its parameters were renamed 0.weight, ... in every
    m.layers[:1](Tensor([[0.5, 1.0]]))  # later ledger line and picture of the whole model
    assert [p.name for p in m.layers[0].parameters()] == ["layers.0.weight", "layers.0.bias"]
    assert [n for n, _ in m.layers[:1].named_parameters()] == ["0.weight", "0.bias"]  # paths from the slice


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads: Python 3.11")
def test_a_slice_of_a_sequential_is_hinted_as_a_sequential():
    # seq[1:] is a Sequential (below), but __getitem__ was hinted Any for every index: a slice's len(), its
    # parameters() or calling it went unchecked and showed no completions
    import typing
    hints = [typing.get_type_hints(f) for f in typing.get_overloads(nn.Sequential.__getitem__)]
    assert {h["i"]: h["return"] for h in hints} == {slice: nn.Sequential, typing.SupportsIndex: typing.Any}
    assert isinstance(nn.Sequential(nn.Tanh(), nn.ReLU())[1:], nn.Sequential)


def test_a_sequentials_module_is_replaced_by_index_as_pytorch():
    seq = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh(), nn.Linear(3, 1, rng=1))
    seq[-1] = nn.Linear(3, 2, init="he_normal", rng=2)  # was "'Sequential' object does not support item assignment"
    seq[np.int64(1)] = nn.ReLU()
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear"] and seq[2].fan_out == 2
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert seq(Tensor([[0.5, 1.0]])).shape == (1, 2)
    with pytest.raises(IndexError, match=r"^Sequential: index 3 is out of range for 3 modules$"):
        seq[3] = nn.Tanh()
    with pytest.raises(TypeError, match=r"^Sequential: '0' is a sub-module; assign a Module"):
        seq[0] = np.zeros((2, 3))
    with pytest.raises(TypeError, match=r"^Sequential: index must be a whole number, got slice"):
        seq[1:] = [nn.Tanh(), nn.Tanh()]
    assert len(seq) == 3 and isinstance(seq[0], nn.Linear)

def test_reassigning_a_parameter_keeps_its_place_and_path_as_pytorch():
    m = nn.MLP([2, 3, 1], rng=0)
    names = [n for n, _ in m.named_parameters()]
    with no_grad():
        m.layers[0].weight -= 0.1  # in place, then assigned back to the attribute
    assert m.layers[0].weight.name == "layers.0.weight"  # not renamed 'weight'
    assert [n for n, _ in m.named_parameters()] == names  # was weight after bias: the order PyTorch keeps
    lin = nn.Linear(2, 1, rng=0)
    lin.weight = Tensor(np.zeros((2, 1), np.float32), requires_grad=True)
    assert [n for n, _ in lin.named_parameters()] == ["weight", "bias"]


def test_a_sub_modules_parameters_keep_the_path_from_the_model():
    # `SGD(mlp.layers[2].parameters())` used to rename them 'weight' and 'bias' in every later picture and ledger
    m = nn.MLP([2, 3, 1], rng=0)
    assert [n for n, _ in m.layers[2].named_parameters()] == ["weight", "bias"]  # paths from the sub-module
    assert [p.name for p in m.layers[2].parameters()] == ["layers.2.weight", "layers.2.bias"]  # names kept
    assert [p.name for p in m.parameters()][:2] == ["layers.0.weight", "layers.0.bias"]


def test_repr_is_readable():
    text = repr(nn.MLP([2, 3, 1], activation="relu", rng=0))
    assert "MLP([2, 3, 1], activation='relu'" in text
    assert "(0): Linear(2, 3, bias=True, init='he_normal')" in text
    assert "(1): ReLU()" in text


def test_linear_repr_shows_a_configured_schemes_parameters():
    from tinygrad_init import init
    lin = nn.Linear(2, 3, init=init.get("xavier_uniform", gain=2.0), rng=0)
    assert repr(lin) == "Linear(2, 3, bias=True, init='xavier_uniform(gain=2.0)')"  # used to hide the gain
    assert "init='xavier_uniform'" in repr(nn.Linear(2, 3, init=init.get("xavier_uniform"), rng=0))


def test_a_function_given_parameters_by_init_get_keeps_its_name() -> None:
    # init.get(fn, **params) returns a functools.partial: the layer printed init='partial', and so did its errors
    from tinygrad_init import init

    def mine(shape, rng=None, dtype=np.float32, scale=1.0):
        return np.full(shape, scale, dtype)
    assert repr(nn.Linear(2, 3, init=init.get(mine, scale=0.5))) == "Linear(2, 3, bias=True, init='mine')"
    with pytest.raises(ValueError, match="^Linear: the weight initializer 'mine' returned nan"):
        nn.Linear(2, 3, init=init.get(mine, scale=np.inf))


def test_mlp_default_init_follows_the_activation():
    assert nn.MLP([3, 3, 1], activation="tanh").layers[0].init_name == "xavier_uniform"
    assert nn.MLP([3, 3, 1], activation="relu").layers[0].init_name == "he_normal"
    with pytest.raises(ValueError, match="MLP: activation must be one of 'tanh', 'sigmoid', 'relu', 'linear', "
                                         "got 'gelu'"):
        nn.MLP([3, 1], activation="gelu")
    with pytest.raises(ValueError, match="MLP: final_activation must be one of"):
        nn.MLP([3, 1], final_activation="leaky_relu")  # the registry has it, the engines do not
    with pytest.raises(ValueError, match="at least an input and an output"):
        nn.MLP([3])


@pytest.mark.parametrize("name, value", [("activation", "relu"), ("activation", "gelu"), ("sizes", [2, 4, 1])])
def test_an_mlps_activation_and_sizes_are_not_changed_after_its_layers_are_built(name, value):
    # m.activation = "relu" on a tanh MLP left its Tanh layers (and its forward) as they were but printed
    # activation='relu', and lab.training.fit, which reads it, trained a ReLU network and wrote its weights back into
    # the tanh one, silently; "gelu" was refused by fit as 'activation: activation must be one of ...'
    m = nn.MLP([2, 3, 1], activation="tanh", rng=0)
    with pytest.raises(AttributeError, match=rf"^MLP: {name} says how the layers were built.*make a new MLP"):
        setattr(m, name, value)
    assert m.activation == "tanh" and m.sizes == [2, 3, 1] and isinstance(m.layers[1], nn.Tanh)
    twin = copy.deepcopy(m)
    assert twin.activation == "tanh" and repr(twin) == repr(m)
    m.label = "mine"  # any other attribute, as on any Module
    assert m.label == "mine"


def test_an_mlp_refused_for_its_final_activation_draws_nothing_from_a_shared_generator():
    gen = np.random.default_rng(0)
    with pytest.raises(ValueError, match="final_activation"):
        nn.MLP([2, 3, 1], final_activation="softmax", rng=gen)
    first = nn.MLP([2, 3, 1], rng=gen).layers[0].weight.data  # the retry gets seed 0's weights, as a fresh run
    a = np.sqrt(6 / (2 + 3))  # xavier_uniform
    np.testing.assert_array_equal(first, np.random.default_rng(0).uniform(-a, a, (2, 3)).astype(np.float32))



def test_a_linear_refused_for_its_bias_flag_draws_nothing_from_a_shared_generator():
    gen = np.random.default_rng(0)
    with pytest.raises(TypeError, match="Linear: bias must be"):
        nn.Linear(2, 3, bias="yes", rng=gen)
    a = np.sqrt(6 / (2 + 3))  # xavier_uniform: the retry gets seed 0's weights, as a fresh run
    np.testing.assert_array_equal(nn.Linear(2, 3, rng=gen).weight.data,
                                  np.random.default_rng(0).uniform(-a, a, (2, 3)).astype(np.float32))

def test_zero_grad_and_accumulation():
    lin = nn.Linear(3, 2, rng=0)
    x = Tensor(np.ones((2, 3)))
    lin(x).sum().backward()
    first = lin.weight.grad.copy()
    lin(x).sum().backward()
    np.testing.assert_allclose(lin.weight.grad, 2 * first)
    lin.zero_grad()
    assert lin.weight.grad is None and lin.bias.grad is None


def test_forward_hook_sees_inputs_and_output_can_replace_and_be_removed():
    lin = nn.Linear(3, 2, rng=0)
    seen = []
    handle = lin.register_forward_hook(lambda m, inp, out: seen.append((m, inp[0].shape, out.shape)))
    lin(Tensor(np.ones((4, 3))))
    assert seen == [(lin, (4, 3), (4, 2))]
    handle.remove()
    lin(Tensor(np.ones((4, 3))))
    assert len(seen) == 1
    with lin.register_forward_hook(lambda m, inp, out: out * 0):
        assert not lin(Tensor(np.ones((1, 3)))).data.any()
    assert lin(Tensor(np.ones((1, 3)))).data.any() or not lin.bias.data.any()


def test_a_hook_handle_removes_its_own_hook_once():
    # the same function registered twice: removing one handle twice (or in a `with` and again) took both off
    lin, calls = nn.Linear(2, 2, rng=0), []
    x = Tensor([1.0, 2.0], requires_grad=True)
    for register, hook, run in ((lin.register_forward_hook, lambda m, i, o: calls.append("f"),
                                 lambda: lin(Tensor(np.ones((1, 2))))),
                                (x.register_hook, lambda g: calls.append("g"), lambda: (x * 2).sum().backward())):
        first, _ = register(hook), register(hook)
        with first:
            pass
        first.remove()
        calls.clear()
        run()
        assert len(calls) == 1, calls  # the second registration still runs, once (as in PyTorch)


def test_module_requires_super_init():
    class Bad(nn.Module):
        def __init__(self):
            self.w = 1

    with pytest.raises(RuntimeError, match=r"super\(\).__init__\(\)"):
        Bad()


# ----------------------------------------------------------------- losses


def test_mse_loss_value_gradient_and_shape_check():
    rng = np.random.default_rng(0)
    p, t = rng.standard_normal((6, 1)), rng.standard_normal((6, 1))
    pt = Tensor(p, requires_grad=True)
    loss = mse_loss(pt, t)
    assert loss.item() == pytest.approx(((p - t) ** 2).mean(), rel=1e-12)
    loss.backward()
    np.testing.assert_allclose(pt.grad, 2 * (p - t) / 6, rtol=1e-12)
    with pytest.raises(ValueError, match=r"pred has shape \(6, 1\) but target has shape \(6,\)"):
        mse_loss(pt, t[:, 0])


@pytest.mark.parametrize("loss", [mse_loss, binary_cross_entropy_with_logits, cross_entropy])
def test_a_ragged_target_list_is_named_by_the_loss(loss):
    # numpy's "setting an array element with a sequence" used to come up from np.asarray, naming no loss
    with pytest.raises(TypeError, match=rf"^{loss.__name__}: expected numbers as targets?; .*equal-length rows"):
        loss(Tensor(np.zeros((2, 2))), [[0, 1], [1]])


def test_cross_entropy_matches_numpy_and_gradient_is_softmax_minus_onehot():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((5, 4)) * 3
    y = np.array([0, 3, 1, 1, 2])
    zt = Tensor(z, requires_grad=True)
    loss = cross_entropy(zt, y)
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert loss.item() == pytest.approx(-np.log(p[np.arange(5), y]).mean(), rel=1e-12)
    loss.backward()
    onehot = np.eye(4)[y]
    np.testing.assert_allclose(zt.grad, (p - onehot) / 5, rtol=1e-10, atol=1e-14)


def test_cross_entropy_is_stable_for_huge_logits_and_checks_targets():
    z = Tensor(np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), requires_grad=True)
    loss = cross_entropy(z, [0, 0])
    assert loss.item() == pytest.approx(1000.0)  # (0 + 2000) / 2
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 2\)"):
        cross_entropy(z, [0, 2])
    with pytest.raises(ValueError, match="one integer class per row"):
        cross_entropy(z, np.eye(2))


@pytest.mark.parametrize("huge", [1e20, 2.0**63, -1e30])
def test_cross_entropy_names_a_huge_float_target_as_it_is(huge):
    # it was cast to int64 first: numpy warned and the message read "found -9223372036854775808..0"
    with pytest.raises(ValueError, match=rf"targets must lie in \[0, 3\) for 3 classes; found {int(min(huge, 0))}\.\."
                                         rf"{int(max(huge, 0))}$"):
        cross_entropy(Tensor(np.zeros((2, 3))), np.array([huge, 0.0]))



def test_cross_entropy_of_a_certain_right_answer_is_zero_not_minus_zero():
    # -mean(log p) with log p = 0.0 exactly (one class; a float32 margin past ~17) was -0.0, printed as "-0.0000"
    for z in (np.zeros((3, 1)), np.array([[200.0, 0.0], [0.0, 300.0]], np.float32)):
        loss = cross_entropy(Tensor(z), np.arange(len(z)) % z.shape[1])
        assert math.copysign(1.0, loss.item()) == 1.0 and f"{loss.item():.4f}" == "0.0000"


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_the_losses_take_pytorchs_reduction(reduction):
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(3)
    z, y, t = rng.standard_normal((5, 3)) * 4, rng.integers(0, 3, 5), rng.random((5, 3))
    for ours, theirs, target in [(mse_loss, F.mse_loss, t), (cross_entropy, F.cross_entropy, y),
                                 (binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, t)]:
        zo, zt = Tensor(z, requires_grad=True), torch.tensor(z, requires_grad=True)
        loss, expected = ours(zo, target, reduction=reduction), theirs(zt, torch.tensor(target), reduction=reduction)
        np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-12)  # said: unexpected keyword
        g = rng.standard_normal(expected.shape)
        (loss * Tensor(g)).sum().backward()
        (expected * torch.tensor(g)).sum().backward()
        np.testing.assert_allclose(zo.grad, zt.grad.numpy(), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match=r"^cross_entropy: reduction must be one of 'mean', 'sum', 'none', got "
                                         r"'avg'$"):
        cross_entropy(Tensor(z), y, reduction="avg")


def _raised(call) -> str:
    with pytest.raises((TypeError, ValueError)) as e:
        call()
    return str(e.value)


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_names_pytorchs_weight_and_the_code_it_gives_makes_pytorchs_loss(reduction):
    # mse_loss(..., weight=w) was Python's "got an unexpected keyword argument 'weight'", no word of what to write
    import torch

    rng = np.random.default_rng(4)
    p, t, w = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), rng.random((4, 3))
    theirs = torch.nn.functional.mse_loss(torch.tensor(p), torch.tensor(t), reduction=reduction, weight=torch.tensor(w))
    text = _raised(lambda: mse_loss(Tensor(p), t, reduction, weight=w))
    assert text.startswith("mse_loss: PyTorch's weight= is not offered here; w = np.asarray(weight, pred.dtype), then "
                           "l = mse_loss(pred, target, reduction='none'): ")
    code = text.split("is not offered here; ")[1].replace(", then ", "\n").replace(": ", "\nresult = ")
    for weight in (w, w.tolist(), Tensor(w), torch.tensor(w)):  # the weight as it may be held
        env = {"np": np, "mse_loss": mse_loss, "pred": Tensor(p), "target": t, "weight": weight}
        exec(code, env)  # noqa: S102 (the message's own text)
        np.testing.assert_allclose(env["result"].data, theirs.numpy(), rtol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("loss", [mse_loss, cross_entropy, binary_cross_entropy_with_logits])
@pytest.mark.parametrize("legacy", [{"size_average": False}, {"reduce": False}, {"size_average": True},
                                    {"size_average": False, "reduce": True}, {"reduce": False, "size_average": False},
                                    {"size_average": None}])
def test_pytorchs_deprecated_size_average_and_reduce_are_named_with_the_reduction_they_stand_for(loss, legacy):
    # they were "'size_average' is not an argument; it takes logits, targets and reduction" (for mse_loss Python's
    # "unexpected keyword argument"): the reduction that gives PyTorch's loss was left to guess
    import torch

    rng = np.random.default_rng(5)
    z = rng.standard_normal((4, 3))
    t = rng.integers(0, 3, 4) if loss is cross_entropy else rng.random((4, 3))
    text = _raised(lambda: loss(Tensor(z), t, **legacy))
    names = " and ".join(f"{k}=" for k in ("size_average", "reduce") if k in legacy)
    assert re.fullmatch(rf"{loss.__name__}: PyTorch's deprecated {names} (is|are) not offered here; write "
                        rf"reduction='(mean|sum|none)' \(for .*\)", text), text
    reduction = re.search(r"reduction='(\w+)'", text)[1]
    with warnings.catch_warnings():  # PyTorch's own deprecation warning
        warnings.simplefilter("ignore")
        theirs = getattr(torch.nn.functional, loss.__name__)(torch.tensor(z), torch.tensor(t), **legacy)
    np.testing.assert_allclose(loss(Tensor(z), t, reduction=reduction).data, theirs.numpy(), rtol=1e-12)


@pytest.mark.parametrize("reduction, ending", [("Sum", ".sum()"), ("NONE", ")"), ("Mean", ".mean()")])
def test_the_code_in_a_loss_message_follows_the_reduction_as_the_loss_reads_it_in_any_case(reduction, ending):
    # the losses take 'Sum' as 'sum', but their messages wrote the code of the mean for it: another loss
    z = Tensor(np.zeros((2, 3)))
    for call in (lambda: cross_entropy(z, [0, 1], reduction, label_smoothing=0.1),
                 lambda: cross_entropy(z, np.eye(3)[:2], reduction),
                 lambda: binary_cross_entropy_with_logits(z, np.ones((2, 3)), reduction, pos_weight=[2.0])):
        text = _raised(call)
        assert text.endswith(ending) and (ending == ".mean()" or not text.endswith(".mean()")), text

@pytest.mark.torch
@pytest.mark.parametrize("loss, third", [(cross_entropy, [0.5, 2.0, 1.0]), (cross_entropy, np.array([0.5, 2.0, 1.0])),
                                         (binary_cross_entropy_with_logits, np.full((4, 3), 2.0)), (mse_loss, False)])
def test_pytorchs_third_argument_passed_by_position_is_named_as_what_it_is_there(loss, third):
    # F.cross_entropy(logits, y, class_weights) was told "reduction must be one of 'mean', 'sum', 'none', got [0.5, 2.0,
    # 1.0]": PyTorch's third argument is weight (mse_loss's size_average), here reduction
    import torch

    rng = np.random.default_rng(9)
    z = rng.standard_normal((4, 3))
    t = rng.integers(0, 3, 4) if loss is cross_entropy else rng.random((4, 3))
    option = "size_average" if loss is mse_loss else "weight"
    text = _raised(lambda: loss(Tensor(z), t, third))
    assert re.match(rf"{loss.__name__}: PyTorch's (deprecated )?{option}= \(its third argument, where reduction is "
                    r"here\) is not offered here; ", text), text
    with warnings.catch_warnings():  # (PyTorch's deprecation of size_average)
        warnings.simplefilter("ignore")
        theirs = getattr(torch.nn.functional, loss.__name__)(torch.tensor(z), torch.tensor(t), torch.tensor(
            np.asarray(third)) if option == "weight" else third)
    if loss is mse_loss:
        ours = loss(Tensor(z), t, reduction=re.search(r"reduction='(\w+)'", text)[1])
    else:  # the code it gives, run as written
        code = text.split(" is not offered here; ")[1].removeprefix("from the terms, ").replace(", then ", "\n")
        env = {"np": np, loss.__name__: loss, "logits": Tensor(z), "targets": t, "weight": third, "w": third}
        exec(code.replace(": ", "\nresult = "), env)  # noqa: S102 (the message's own text)
        ours = env["result"]
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)

@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("held", ["list", "Tensor", "torch"])
def test_the_code_given_for_class_weights_and_pos_weight_runs_on_a_list_or_tensor_as_the_loss_takes(reduction, held):
    # cross_entropy's weight= was told (w[targets] * l)...: a list of weights cannot be indexed by targets, nor an array
    # by a Tensor of targets; pos_weight= was told (1 - targets) ..., which fails for a list of targets (both losses
    # take lists and Tensors as targets)
    import torch

    rng = np.random.default_rng(6)
    z, y, p = rng.standard_normal((5, 3)) * 2, np.array([0, 2, 1, 2, 0]), rng.random((5, 3))
    weight, pos_weight = [0.5, 2.0, 1.0], [3.0, 1.0, 0.5]
    hold = {"list": lambda v: v, "Tensor": Tensor, "torch": torch.tensor}[held]
    F, f64 = torch.nn.functional, torch.float64
    for fn, targets, option, value, theirs in [
            (cross_entropy, y, "weight", weight, F.cross_entropy(torch.tensor(z), torch.tensor(y), torch.tensor(
             weight, dtype=f64), reduction=reduction)),
            (binary_cross_entropy_with_logits, p, "pos_weight", pos_weight, F.binary_cross_entropy_with_logits(
             torch.tensor(z), torch.tensor(p), reduction=reduction, pos_weight=torch.tensor(pos_weight,
                                                                                                     dtype=f64)))]:
        targets = targets.tolist() if held == "list" else targets  # a list, or the array in a Tensor or torch's
        text = _raised(lambda: fn(Tensor(z), hold(targets), reduction, **{option: value}))
        code = text.split(" is not offered here; ")[1].replace(", then ", "\n").replace(": ", "\nresult = ")
        env = {"np": np, fn.__name__: fn, "logits": Tensor(z), "targets": hold(targets), option: value}
        exec(code if "result = " in code else code.replace("\n", "\nresult = "), env)  # noqa: S102 (the message's)
        np.testing.assert_allclose(env["result"].data, theirs.numpy(), rtol=1e-12, err_msg=text)


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("fn, option", [(binary_cross_entropy_with_logits, "pos_weight"),
                                        (binary_cross_entropy_with_logits, "weight"), (mse_loss, "weight")])
def test_the_code_given_for_a_weight_runs_on_pytorchs_tensor_which_pytorchs_loss_asks_for(fn, option, reduction):
    # PyTorch's weights are its tensors (a list is refused there): pos_weight * t * ... and w * l met this engine's
    # "cannot combine a Tensor with Tensor tensor(...)", and w was named nowhere (cross_entropy's makes its w)
    import torch

    rng = np.random.default_rng(8)
    z, t = rng.standard_normal((5, 3)) * 2, rng.random((5, 3))
    weight = torch.tensor(rng.random((5, 3)) + 0.5, dtype=torch.float32)  # (float32: PyTorch's default dtype)
    theirs = getattr(torch.nn.functional, fn.__name__)(torch.tensor(z), torch.tensor(t), reduction=reduction,
                                                       **{option: weight.double()})
    text = _raised(lambda: fn(Tensor(z), t, reduction, **{option: weight}))
    code = re.split(r"is not offered here; (?:from the terms, )?", text)[1].replace(", then ", "\n")
    code = code.replace(": ", "\nresult = ") if "reduction='none'): " in code else code.replace("\n", "\nresult = ")
    names = ("pred", "target") if fn is mse_loss else ("logits", "targets")
    env = {"np": np, fn.__name__: fn, names[0]: Tensor(z), names[1]: t, option: weight}  # as the loss was called
    exec(code, env)  # noqa: S102 (the message's own text)
    np.testing.assert_allclose(env["result"].data, theirs.numpy(), rtol=1e-6, err_msg=text)


@pytest.mark.torch
@pytest.mark.parametrize("shape", [(4,), (2, 4, 3), (2, 4, 3, 2), (1, 4, 1, 1, 2)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gives_the_code_for_pytorchs_unbatched_and_k_dimensional_logits(shape, reduction):
    # logits of one sample, (classes,), or (batch, classes, d1, ...), both PyTorch's, were told only "must be (batch,
    # classes)"; the code in the message gives PyTorch's loss and gradient
    import torch

    rng = np.random.default_rng(7)
    z = rng.standard_normal(shape) * 3
    y = rng.integers(0, 4, shape[:1] + shape[2:] if len(shape) > 1 else ())
    zt = torch.tensor(z, requires_grad=True)
    theirs = torch.nn.functional.cross_entropy(zt, torch.tensor(y), reduction=reduction)
    text = _raised(lambda: cross_entropy(Tensor(z), y, reduction))
    assert text.startswith(f"cross_entropy: logits must be (batch, classes), got shape {shape}; for ")
    logits = Tensor(z, requires_grad=True)
    code = re.search(r"[,)] (cross_entropy\(logits\..*)$", text)[1]  # run as written
    ours = eval(code, {"np": np, "cross_entropy": cross_entropy, "logits": logits, "targets": y})  # noqa: S307
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
    g = rng.standard_normal(theirs.shape)
    (ours * Tensor(g)).sum().backward()
    (theirs * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(logits.grad, zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_cross_entropy_says_how_to_pass_a_column_of_classes():
    # (batch, 1) targets, a column of class indices, were told "one integer class per row (not one-hot)"
    text = _raised(lambda: cross_entropy(Tensor(np.zeros((3, 4))), [[1], [3], [0]]))
    assert text.endswith("got (3, 1). Pass one integer class per row: for a column of classes np.reshape(targets, -1)")
    assert cross_entropy(Tensor(np.zeros((3, 4))), np.reshape([[1], [3], [0]], -1)).item() == pytest.approx(np.log(4))


def test_binary_cross_entropy_with_logits_value_gradient_and_stability():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((7, 1)) * 4
    t = (rng.random((7, 1)) > 0.5).astype(float)
    zt = Tensor(z, requires_grad=True)
    loss = binary_cross_entropy_with_logits(zt, t)
    s = 1 / (1 + np.exp(-z))
    assert loss.item() == pytest.approx(-(t * np.log(s) + (1 - t) * np.log(1 - s)).mean(), rel=1e-10)
    loss.backward()
    np.testing.assert_allclose(zt.grad, (s - t) / 7, rtol=1e-9, atol=1e-15)
    big = binary_cross_entropy_with_logits(Tensor(np.array([1000.0, -1000.0])), np.array([0.0, 1.0]))
    assert big.item() == pytest.approx(1000.0)
    # At z = 0 exactly (every zero-initialised net): the gradient is (1/2 - t) / n, no kink.
    z0 = Tensor(np.zeros((4, 1)), requires_grad=True)
    binary_cross_entropy_with_logits(z0, np.array([[0.0], [1.0], [1.0], [0.0]])).backward()
    np.testing.assert_allclose(z0.grad, np.array([[0.5], [-0.5], [-0.5], [0.5]]) / 4, rtol=1e-15)
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        binary_cross_entropy_with_logits(zt, t * 2 - 1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_cross_entropy_with_logits_keeps_its_relative_accuracy_for_confident_right_answers(dtype):
    # softplus(z) - z t cancels for t = 1, z >> 0 (and softplus(z) itself rounds to z): in float32 the loss at z = 10
    # was 0.8% off and 0.0 from z = 17 on; PyTorch's loss keeps ~1e-7. The exact answer: log1p(e^-|z|) per row.
    z = np.array([10.0, 20.0, 30.0, 40.0, -10.0, -20.0, -30.0, -40.0, 0.5, -0.5], dtype)
    t = np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0], dtype)
    zt = Tensor(z, requires_grad=True)
    loss = binary_cross_entropy_with_logits(zt, t)
    loss.backward()
    z64 = z.astype(np.float64)
    e = np.exp(-np.abs(z64))
    rtol = 8 * float(np.finfo(dtype).eps)
    assert loss.item() == pytest.approx(np.log1p(e).mean(), rel=rtol)
    np.testing.assert_allclose(zt.grad, np.sign(-z64) * e / (1 + e) / z.size, rtol=rtol, atol=0)  # (s - t) / n
    for k in range(4):  # one row at a time: the loss of a single confident, right answer
        one = binary_cross_entropy_with_logits(Tensor(z[k:k + 1]), t[k:k + 1]).item()
        assert one == pytest.approx(math.log1p(e[k]), rel=rtol)
    soft = np.array([0.9, 0.1, 0.3, 0.5, 0.7], dtype)  # soft targets: the same loss and gradient formulas
    zs = Tensor(z[[0, 4, 8, 9, 2]], requires_grad=True)
    binary_cross_entropy_with_logits(zs, soft).backward()
    z64, s64 = zs.data.astype(np.float64), soft.astype(np.float64)
    want = (np.maximum(z64, 0) - z64 * s64 + np.log1p(np.exp(-np.abs(z64)))).mean()
    assert binary_cross_entropy_with_logits(zs, soft).item() == pytest.approx(want, rel=rtol)
    np.testing.assert_allclose(zs.grad, (1 / (1 + np.exp(-z64)) - s64) / 5, rtol=rtol, atol=0)
    learnt = Tensor(t, requires_grad=True)  # a target that requires grad gets dL/dt = -z / n, as in PyTorch
    binary_cross_entropy_with_logits(Tensor(z), learnt).backward()
    np.testing.assert_allclose(learnt.grad, -z / z.size, rtol=rtol)


# ---------------------------------------------------------------- SGD


def test_sgd_momentum_and_weight_decay_follow_the_pytorch_formula():
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    v = np.zeros(2)
    ref = w.data.copy()
    grads = [np.array([0.5, -1.0]), np.array([0.25, 2.0]), np.array([-1.0, 0.0])]
    for i, g in enumerate(grads):
        w.grad = g.copy()
        opt.step()
        gg = g + 0.01 * ref
        v = gg if i == 0 else 0.9 * v + gg
        ref = ref - 0.1 * v
        np.testing.assert_allclose(w.data, ref, rtol=1e-14)
    opt.zero_grad()
    assert w.grad is None


def test_sgd_by_default_is_plain_gradient_descent():
    # momentum and weight_decay default to 0, as PyTorch's: each step is p <- p - lr * grad, nothing remembered
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    ref = w.data.copy()
    for g in (np.array([0.5, -1.0]), np.array([-0.25, 2.0])):
        w.grad = g.copy()
        opt.step()
        ref = ref - 0.1 * g
        np.testing.assert_array_equal(w.data, ref)


def test_sgd_steps_a_0d_parameter_whose_data_became_a_numpy_scalar():
    # `w.data = w.data - lr * w.grad` (by hand) leaves numpy's 0-d result, an np.float32, not an array: the step
    # must still move it (it subtracted into a local name and left the parameter as it was)
    for momentum in (0.0, 0.9):
        w = Tensor(3.0, requires_grad=True)
        w.data = w.data - np.float32(0.5)
        assert type(w.data) is np.float32
        opt = optim.SGD([w], lr=0.25, momentum=momentum)
        w.grad = np.array(2.0)
        opt.step()
        assert w.item() == 2.0 and type(w.data) is np.ndarray and w.dtype == np.float32


def test_sgd_validates_its_arguments():
    w = Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(ValueError, match="SGD: lr must be >= 0, got -0.1"):
        optim.SGD([w], lr=-0.1)
    # lr 0, as PyTorch takes it: a warm-up's first step or a linear decay's last (it was refused, also when set)
    opt, w.grad = optim.SGD([w], lr=0), np.ones(2)
    opt.step()
    opt.lr, w.grad = 0.0, np.ones(2)
    opt.step()
    assert w.data.tolist() == [0.0, 0.0]
    w.grad = None
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 0 \\(unnamed\\) has requires_grad=False"):
        optim.SGD([Tensor(np.zeros(2))], lr=0.1)
    with pytest.raises(ValueError, match=r"grad: .* takes None or real numbers .* dtype complex128"):
        w.grad = np.ones(2, dtype=complex)  # assigned by hand: refused by name, not cast to its real part
    optim.SGD([w], lr=0.1).step()
    assert w.grad is None and w.data.tolist() == [0.0, 0.0]


# ---------------------------------------------------------- BatchNorm1d


def test_batchnorm_normalizes_in_training_and_uses_running_stats_in_eval():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 5)) * 7 + 3
    bn = nn.BatchNorm1d(5, dtype=np.float64)
    y = bn(Tensor(x)).data
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-10)
    np.testing.assert_allclose(y.std(0), 1, rtol=1e-4)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(0), rtol=1e-10)
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(0, ddof=1), rtol=1e-10)
    bn.eval()
    y_eval = bn(Tensor(x)).data
    np.testing.assert_allclose(y_eval, (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-5), rtol=1e-10)
    with pytest.raises(ValueError, match="at least 2 samples"):
        bn.train()(Tensor(x[:1]))


def test_batchnorm_of_one_feature():
    bn = nn.BatchNorm1d(1)  # one feature is a valid layer (a network's single output unit, say)
    x = np.array([[1.0], [2.0], [4.0], [9.0]], dtype=np.float32)
    y = bn(Tensor(x)).data
    np.testing.assert_allclose(y, (x - 4.0) / np.sqrt(9.5 + 1e-5), rtol=1e-6)  # biased variance 9.5


def test_batchnorm_backward_against_central_differences():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 3))
    g = rng.standard_normal((6, 3))
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    bn.weight.data[:] = [0.5, 2.0, -1.0]
    bn.bias.data[:] = [0.1, 0.2, 0.3]
    xt = Tensor(x, requires_grad=True)
    bn(xt).backward(g)

    def f() -> float:
        return float((bn(Tensor(x)).data * g).sum())

    np.testing.assert_allclose(xt.grad, numeric_grad(f, x), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(bn.weight.grad, numeric_grad(f, bn.weight.data), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("gone", ["weight", "bias"])
def test_batchnorm_with_one_of_weight_and_bias_set_to_none_applies_the_other(gone):
    # bias = None ended in 'add: cannot combine a Tensor with NoneType None', and weight = None dropped the bias
    # silently (the output was the normalized input alone); PyTorch's F.batch_norm takes either as None
    x = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 4.0]])
    bn = nn.BatchNorm1d(2, dtype=np.float64)
    bn.weight.data[:], bn.bias.data[:] = [2.0, -0.5], [0.25, 3.0]
    setattr(bn, gone, None)
    z = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    want = z * [2.0, -0.5] if gone == "bias" else z + [0.25, 3.0]
    np.testing.assert_allclose(bn(x).data, want, rtol=1e-12)
    bn.eval()
    z = (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    np.testing.assert_allclose(bn(x).data, z * [2.0, -0.5] if gone == "bias" else z + [0.25, 3.0], rtol=1e-12)
    assert [n for n, _ in bn.named_parameters()] == ["weight" if gone == "bias" else "bias"]


@pytest.mark.parametrize("name", ["weight", "bias", "running_mean", "running_var"])
@pytest.mark.parametrize("shape", [(3, 1), (4,), (2, 3), (1, 1, 3)])
def test_batchnorm_names_a_parameter_or_running_statistic_assigned_in_another_shape(name, shape):
    # they were met by the arithmetic, 'mul: shapes (4, 3) * (3, 1) cannot be broadcast together' (or sub, div, add),
    # naming no layer, and a (1, 1, 3) one gave a (1, 4, 3) output silently
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    value = np.ones(shape)
    setattr(bn, name, Tensor(value, requires_grad=True) if name in ("weight", "bias") else value)
    for mode in (True, False):
        with pytest.raises(ValueError, match=rf"^BatchNorm1d\(3\): its {name} has shape {re.escape(str(shape))}, "
                                             r"not \(num_features,\) = \(3,\); assign one of that shape$"):
            bn.train(mode)(np.ones((4, 3)))


@pytest.mark.parametrize("name", ["weight", "bias", "running_mean", "running_var"])
@pytest.mark.parametrize("shape", [(1, 3), (), (1,)])
def test_batchnorm_still_takes_a_row_or_one_number_for_all_features(name, shape):
    bn, x = nn.BatchNorm1d(3, dtype=np.float64), np.arange(12.0).reshape(4, 3)
    value = np.full(shape, 1.5)
    setattr(bn, name, Tensor(value, requires_grad=True) if name in ("weight", "bias") else value)
    assert bn(x).shape == bn.eval()(x).shape == (4, 3)


@pytest.mark.parametrize("name", ["running_mean", "running_var"])
@pytest.mark.parametrize("value, says", [
    (np.zeros(3, np.int64), r"got an array of int64; assign np\.asarray\(values, dtype=np\.float32\)"),
    ([0.0, 1.0, 2.0], r"got list \[0\.0, 1\.0, 2\.0\]; assign np\.asarray\(values, dtype=np\.float32\)"),
    (Tensor(np.zeros(3)), r"got Tensor .*; assign its numbers, t\.data"),
    (0.5, r"got float 0\.5; assign np\.asarray"),
    (None, r"got NoneType None; PyTorch's None \(track_running_stats=False\) is not offered here")])
def test_batchnorm_names_a_running_statistic_that_is_no_array_of_floats(name, value, says):
    # an integer array was rounded at every update, silently (the constructor refuses an integer dtype for that);
    # a list, a Tensor, a float or None ended in "'list' object has no attribute 'dtype'", "'Tensor' object has no
    # attribute 'astype'", np.sqrt's message or 'unsupported operand type(s)', naming no layer
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    setattr(bn, name, value)
    for mode in (True, False):
        with pytest.raises(TypeError, match=rf"^BatchNorm1d\(3\): {name} must be a numpy array of floats, {says}"):
            bn.train(mode)(np.ones((4, 3)))


# ------------------------------------------------------------- training


def test_tensor_mlp_learns_moons():
    X, y = moons(200, noise=0.1, rng=0)
    model = nn.MLP([2, 16, 16, 1], activation="tanh", rng=0)
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    target = y.reshape(-1, 1).astype(np.float32)
    for _ in range(300):
        loss = binary_cross_entropy_with_logits(model(X), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with no_grad():
        acc = ((model(X).data[:, 0] > 0) == (y == 1)).mean()
    assert acc > 0.95, f"training accuracy {acc:.3f}"


def test_scalar_mlp_learns_moons():
    X, y = moons(100, noise=0.1, rng=1)
    ys = (2 * y - 1).tolist()  # labels -1/+1 for the hinge loss
    model = scalar_nn.MLP(2, [16, 16, 1], rng=0)
    params = model.parameters()
    assert len(params) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    acc = 0.0
    for k in range(40):  # micrograd's demo schedule; it gets there in about ten epochs
        scores = [model(row) for row in X.tolist()]
        acc = np.mean([(s.data > 0) == (yi > 0) for s, yi in zip(scores, ys)])
        if acc > 0.95:
            break
        losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores)]
        loss = Value.sum(losses) * (1.0 / len(losses)) + 1e-4 * Value.sum([p * p for p in params])
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9 * k / 40
        for p in params:
            p.data -= lr * p.grad
    assert acc > 0.95, f"training accuracy {acc:.3f}"


def test_scalar_neuron_labels_and_init_by_scheme():
    n = scalar_nn.Neuron(3, activation="tanh", weights=[0.5, -1.0, 2.0], bias=0.25, name="n")
    out = n([1.0, 2.0, 3.0])
    assert out.data == pytest.approx(math.tanh(0.5 - 2.0 + 6.0 + 0.25))
    assert [p.label for p in n.parameters()] == ["n.w0", "n.w1", "n.w2", "n.b"]
    out.backward()
    local = 1 - out.data**2
    assert [p.grad for p in n.parameters()] == pytest.approx([local * 1, local * 2, local * 3, local])
    mlp = scalar_nn.MLP(4, [8, 1], init="he_normal", rng=5)
    ws = [w.data for neuron in mlp.layers[0].neurons for w in neuron.w]
    assert mlp.layers[0].neurons[0].w[0].label == "L0.n0.w0"
    assert 0.3 < np.std(ws) < 1.1  # sqrt(2/4) = 0.707
    with pytest.raises(ValueError, match="expected 4 inputs, got 3"):
        mlp([1.0, 2.0, 3.0])


def test_train_mode_must_be_a_bool():
    mlp = nn.MLP([2, 3, 1], rng=0)
    with pytest.raises(TypeError, match="train: mode must be True or False"):
        mlp.train("no")  # a non-empty string is truthy: it used to switch training on silently
    assert all(m.training for m in mlp.modules())
    assert mlp.train(False) is mlp and not any(m.training for m in mlp.modules())


@pytest.mark.parametrize("build, message", [
    (lambda: nn.Linear(2, 3, bias="no"), "Linear: bias must be True or False"),
    (lambda: nn.BatchNorm1d(3, affine="no"), "BatchNorm1d: affine must be True or False"),
    (lambda: nn.BatchNorm1d(3, dtype=np.int64), "BatchNorm1d: dtype must be a numpy floating dtype"),
    (lambda: nn.Linear(2, 3, dtype=np.int64), "Linear: dtype must be a numpy floating dtype"),  # was xavier_uniform:
    (lambda: nn.Linear(2, 3, bias_init="he_normal"), r"Linear: the bias initializer .he_normal.: shape \(3"),
    (lambda: nn.Linear(2, 3, bias_init=0), r"^Linear: bias_init, the bias initializer: expected a scheme name or a "
                                           r"function f\(shape, rng=None, dtype=np.float32\), got int 0$"),
    (lambda: nn.MLP([2, 3], init="he_nromal"), r"^MLP: init, the weight initializer: unknown initialization scheme "
                                               r"'he_nromal'. Did you mean 'he_normal'\?"),  # was Linear:, not called
    (lambda: nn.MLP([2, 3], bias_init="he_normal"), r"^MLP: the bias initializer 'he_normal': shape \(3,\) is 1-D"),
    (lambda: scalar_nn.Layer(2, 3, bias_init=0.1), "^Layer: bias_init, the bias initializer: expected a scheme name"),
    (lambda: nn.MLP(3), "MLP: sizes must be a list of widths"),
    (lambda: nn.MLP(3, [4, 4, 1]), r"got 3; micrograd's MLP\(nin, nouts\) is MLP\(\[nin, \*nouts\]\), or "
                                   r"scalar_nn\.MLP\(nin, nouts\) on Values$"),  # [4, 4, 1] went to activation
    (lambda: scalar_nn.MLP(2, 3), "MLP: nouts must be a list of widths"),
    (lambda: scalar_nn.Neuron(2, weights=[1.0, "a"]), r"Neuron: weights\[1\] must be a number"),
    (lambda: scalar_nn.Neuron(2, bias="a"), "Neuron: bias must be a number"),
])
def test_model_building_arguments_are_checked_by_name(build, message):
    with pytest.raises((TypeError, ValueError), match=message):
        build()


def test_batchnorm_keeps_float_running_statistics():
    bn = nn.BatchNorm1d(2, dtype=np.float64)
    bn(Tensor(np.array([[0.0, 1.0], [1.0, 4.0]])))
    np.testing.assert_allclose(bn.running_mean, [0.05, 0.25])  # 0.9 * 0 + 0.1 * batch mean
    np.testing.assert_allclose(bn.running_var, [0.95, 1.35])  # 0.9 * 1 + 0.1 * unbiased batch variance


def test_scalar_neuron_and_mlp_name_a_non_list_input():
    with pytest.raises(TypeError, match="Neuron: x must be a list of 2 inputs"):
        scalar_nn.Neuron(2, rng=0)(3.0)
    with pytest.raises(TypeError, match="MLP: x must be a list of 2 inputs"):
        scalar_nn.MLP(2, [3, 1], rng=0)(3.0)
    # A set of two inputs was read in the set's own order (hash order, not the student's), a dict by its keys
    for x in ({0.5, -2.0}, frozenset({0.5, -2.0}), {"a": 0.5, "b": -2.0}):
        with pytest.raises(TypeError, match=f"Layer: x must be a list of 2 inputs .*got {type(x).__name__}"):
            scalar_nn.Layer(2, 3, rng=0)(x)


def test_sgd_refuses_a_parameter_listed_twice():
    w = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match="SGD: parameter 1 .* also parameter 0"):
        optim.SGD([w, w], lr=0.1)  # it would be updated twice per step


def test_scalar_layer_names_an_initializer_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"Layer: the weight initializer returned shape \(3, 2\), expected \(2, 3\)"):
        scalar_nn.Layer(2, 3, init=lambda shape, rng=None, dtype=None: np.ones(shape[::-1]))
    with pytest.raises(ValueError, match=r"Layer: the bias initializer returned shape \(1,\), expected \(3,\)"):
        scalar_nn.Layer(2, 3, bias_init=lambda shape, rng=None, dtype=None: np.ones(1))


def test_batchnorm_repr_tells_affine_from_not():
    assert repr(nn.BatchNorm1d(3)) == "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True)"
    assert repr(nn.BatchNorm1d(3, affine=False)) == "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=False)"


@pytest.mark.torch
@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.5, 0.01)])
def test_sgd_matches_torch_over_several_steps(momentum, weight_decay):
    import torch

    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((3, 4))
    ours, theirs = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    opt = optim.SGD([ours], lr=0.1, momentum=momentum, weight_decay=weight_decay)
    topt = torch.optim.SGD([theirs], lr=0.1, momentum=momentum, weight_decay=weight_decay)
    for step in range(5):
        g = rng.standard_normal((3, 4))
        ours.grad, theirs.grad = (None, None) if step == 2 else (g.copy(), torch.tensor(g))  # step 2: skipped
        opt.step()
        topt.step()
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.torch
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_matches_torch_over_100_steps_with_parameters_left_out_of_some(dtype):
    import torch

    rng = np.random.default_rng(5)
    w0 = [rng.standard_normal(s).astype(dtype) for s in ((4, 3), (3,), (2,))]
    ours, theirs = [Tensor(w.copy(), requires_grad=True) for w in w0], [torch.tensor(w, requires_grad=True) for w in w0]
    opt = optim.SGD(ours, lr=0.05, momentum=0.9, weight_decay=0.01)
    topt = torch.optim.SGD(theirs, lr=0.05, momentum=0.9, weight_decay=0.01)
    for _ in range(100):  # an unused parameter (grad None) is skipped: no decay, its momentum kept for later
        for p, q in zip(ours, theirs):
            g = None if rng.random() < 0.3 else rng.standard_normal(p.shape).astype(dtype)
            p.grad, q.grad = (None, None) if g is None else (g.copy(), torch.tensor(g))
        opt.step()
        topt.step()
    for p, q in zip(ours, theirs):  # PyTorch fuses p - lr v into one multiply-add: the last bits differ
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=16 * np.finfo(dtype).eps,
                                   atol=16 * np.finfo(dtype).eps)  # weights of order 1
        assert p.dtype == dtype


@pytest.mark.torch
def test_batchnorm_matches_torch_in_training_and_eval():
    import torch

    rng = np.random.default_rng(1)
    bn, tbn = nn.BatchNorm1d(3, momentum=0.2, dtype=np.float64), torch.nn.BatchNorm1d(3, momentum=0.2).double()
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    bn.weight.data[...], bn.bias.data[...] = gamma, beta
    with torch.no_grad():
        tbn.weight[:], tbn.bias[:] = torch.tensor(gamma), torch.tensor(beta)
    for _ in range(3):
        x, g = rng.standard_normal((6, 3)) * 2 + 1, rng.standard_normal((6, 3))
        xt, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y, ty = bn(xt), tbn(tx)
        y.backward(g)
        ty.backward(torch.tensor(g))
        np.testing.assert_allclose(y.data, ty.detach().numpy(), atol=1e-12)
        np.testing.assert_allclose(xt.grad, tx.grad.numpy(), atol=1e-12)
        np.testing.assert_allclose(bn.weight.grad, tbn.weight.grad.numpy(), atol=1e-12)
        bn.zero_grad()
        tbn.zero_grad()
    np.testing.assert_allclose(bn.running_mean, tbn.running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(bn.running_var, tbn.running_var.numpy(), atol=1e-12)
    bn.eval()
    tbn.eval()
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(bn(Tensor(x)).data, tbn(torch.tensor(x)).detach().numpy(), atol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("dtype, affine, n, momentum", [(np.float32, True, 5, 0.1), (np.float64, False, 2, 1.0),
                                                        (np.float32, False, 2, 0.0), (np.float64, True, 33, 0.5)])
def test_batchnorm_matches_torch_over_20_steps_in_odd_settings(dtype, affine, n, momentum):
    import torch

    rng, eps = np.random.default_rng(7), np.finfo(dtype).eps
    bn = nn.BatchNorm1d(3, momentum=momentum, affine=affine, dtype=dtype)
    tbn = torch.nn.BatchNorm1d(3, momentum=momentum, affine=affine).to(torch.float32 if dtype == np.float32 else
                                                                       torch.float64)
    gamma = rng.uniform(0.5, 2, 3).astype(dtype) if affine else np.ones(3, dtype)
    if affine:
        bn.weight.data[...] = gamma
        with torch.no_grad():
            tbn.weight[:] = torch.tensor(gamma)
    for step in range(21):
        if step == 20:  # then eval: the running statistics, and gradients through them
            bn.eval(), tbn.eval()
        x, g = (rng.standard_normal((n, 3)) * 3 + 5).astype(dtype), rng.standard_normal((n, 3)).astype(dtype)
        xt, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y, ty = bn(xt), tbn(tx)
        y.backward(g)
        ty.backward(torch.tensor(g))
        scale = np.abs(g).max() * gamma.max() / np.sqrt(x.var(0).min() if step < 20 else bn.running_var.min())
        np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=0, atol=16 * eps * np.abs(y.data).max())
        np.testing.assert_allclose(xt.grad, tx.grad.numpy(), rtol=0, atol=16 * eps * scale)
        for ours, theirs in ((bn.running_mean, tbn.running_mean), (bn.running_var, tbn.running_var)):
            np.testing.assert_allclose(ours, theirs.numpy(), rtol=8 * eps)
            assert ours.dtype == dtype


def test_linear_weights_have_its_dtype_whatever_the_initializer_returns():
    eye64 = lambda shape, rng=None, dtype=np.float32: np.eye(*shape)  # noqa: E731 (ignores dtype: float64)
    lin = nn.Linear(2, 2, init=eye64, bias_init=lambda shape, rng=None, dtype=None: np.ones(shape))
    assert lin.weight.dtype == np.float32 and lin.bias.dtype == np.float32  # used to be float64
    assert nn.Linear(2, 2, init=eye64, dtype=np.float64).weight.dtype == np.float64


def test_linear_names_an_initializer_with_the_wrong_signature():
    with pytest.raises(TypeError, match=r"Linear: the weight initializer .* f\(shape, rng=None, dtype=np.float32\)"):
        nn.Linear(2, 2, init=lambda shape: np.eye(2))


def test_a_subclass_forward_takes_keyword_arguments_as_in_pytorch():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 1, rng=0)

        def forward(self, x, scale=1.0):
            return self.lin(x) * scale

    m, x = Scaled(), np.ones((3, 2), np.float32)
    np.testing.assert_allclose(m(x, scale=2.0).data, 2 * m(x).data)  # model(x, scale=2.0) used to be a TypeError


def test_children_yield_a_module_assigned_twice_once_as_pytorch():
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(2, 2, rng=0)
            self.act = nn.Tanh()
            self.dec = self.enc

    m = Tied()
    assert [n for n, _ in m.named_children()] == ["enc", "act"]  # 'dec' too used to re-yield the same Linear
    assert len(list(m.children())) == 2 and len(list(m.modules())) == 3


def test_batchnorm_takes_an_array_in_its_own_dtype_as_linear_does():
    x = np.random.default_rng(0).standard_normal((4, 3))  # float64, as np.random makes it
    bn = nn.BatchNorm1d(3)
    assert bn(x).dtype == np.float32 == nn.Linear(3, 2, rng=0)(x).dtype  # BatchNorm1d used to return float64
    assert bn.eval()(x).dtype == np.float32
    assert nn.BatchNorm1d(3, dtype=np.float64)(x.astype(np.float32)).dtype == np.float64


def test_sgd_names_a_frozen_parameter_and_the_fix():
    m = nn.MLP([2, 3, 1], rng=0)
    for p in m.layers[0].parameters():
        p.requires_grad = False  # frozen, as in PyTorch
    with pytest.raises(TypeError, match=r"SGD: parameter 0 \(layers\.0\.weight\) has requires_grad=False; .*"
                                        r"\[p for p in model\.parameters\(\) if p\.requires_grad\]"):
        optim.SGD(m.parameters(), lr=0.1)  # said 'pass model.parameters()', which is what was passed
    optim.SGD([p for p in m.parameters() if p.requires_grad], lr=0.1)


def test_sgd_step_with_a_bad_gradient_changes_no_parameter():
    a, b = Tensor(np.zeros(2), requires_grad=True), Tensor(np.zeros(2), requires_grad=True)
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad = np.ones(2)
    with pytest.raises(ValueError, match=r"grad: a tensor of shape \(2,\) takes .* of shape \(3,\)"):
        b.grad = np.ones(3)  # assigned by hand, of the wrong shape: refused where it is assigned
    assert b.grad is None and a.data.tolist() == [0.0, 0.0]
    b.grad = np.ones(2)
    opt.step()
    assert a.data.tolist() == b.data.tolist() == [-0.1, -0.1]


def test_sgd_step_names_a_parameter_whose_data_was_replaced_by_hand():
    # numpy's own "Cannot cast ufunc 'subtract' output", "output array is read-only" or "operands could not be
    # broadcast" reached the user from inside step(), naming neither SGD nor the parameter
    replaced = [(np.array([1, 2]), r"dtype int64"), (np.broadcast_to(np.float32(1.0), (2,)), r"read-only"),
                (np.ones(3, np.float32), r"shape \(3,\)"), (np.ones((2, 2), np.float32), r"shape \(2, 2\)")]  # was
    for data, says in replaced:  # broadcast: g of shape (2,) subtracted from each row, silently
        a, b = Tensor(np.zeros(2), requires_grad=True, name="a"), Tensor(np.zeros(2), requires_grad=True, name="b")
        a.grad, b.grad = np.ones(2), np.ones(2)
        b.data = data
        with pytest.raises((TypeError, ValueError), match=r"^SGD\.step: parameter 1 \('b'\) .*" + says +
                           r".*\.data replaced by hand\? .* p\.data\[\.\.\.\] = new \(the parameters before"):
            optim.SGD([a, b], lr=0.1).step()
    b.data, opt = np.zeros(2, np.int64), optim.SGD([b], lr=0.1, momentum=0.9)
    with pytest.raises(TypeError, match="dtype int64"):
        opt.step()
    b.data = np.zeros(2)
    opt.step()  # the failed step left no momentum behind: this is a first step, v = g (it was 1.9 g)
    assert b.data.tolist() == [-0.1, -0.1]


def test_an_activation_kept_on_the_module_is_not_a_parameter():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 3, rng=0)

        def forward(self, x):
            self.h = self.fc(x).tanh()  # kept to look at later, a computed tensor (not a leaf)
            return self.h.sum(axis=1)

    m = Net()
    m(np.ones((4, 2), np.float32))
    assert [n for n, _ in m.named_parameters()] == ["fc.weight", "fc.bias"]  # 'h' joined them, as PyTorch does not
    assert m.num_parameters() == 9 and m.h.name != "h"
    optim.SGD(m.parameters(), lr=0.1)  # used to raise: parameter 0 is not a leaf Tensor


def test_sgd_takes_weight_decay_by_keyword_only():
    w = Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(TypeError):  # PyTorch's SGD(params, lr, momentum, dampening, weight_decay): 0.5 is a dampening
        optim.SGD([w], 0.1, 0.9, 0.5)  # it used to be taken for weight_decay=0.5
    assert optim.SGD([w], 0.1, 0.9, weight_decay=0.5).weight_decay == 0.5


def test_a_setting_assigned_between_steps_is_checked_as_the_constructor_checks_it():
    w = Tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    w.grad = np.ones(2)
    for name, bad, error, says in [("lr", "0.01", TypeError, "must be a number, got str"),
                                   ("lr", Tensor(0.01), TypeError, "must be a number, got Tensor"),
                                   ("lr", -0.1, ValueError, "must be >= 0, got -0.1"),
                                   ("lr", float("nan"), ValueError, "must be a finite number"),
                                   ("momentum", 1.0, ValueError, r"must be in \[0, 1\), got 1"),
                                   ("weight_decay", -1e-4, ValueError, "must be >= 0")]:
        with pytest.raises(error, match=rf"^SGD: {name} {says}"):  # was taken, then a step stepped the wrong way (or
            setattr(opt, name, bad)  # raised that the parameter "holds shape (2,) where its gradient has shape (2,)")
    opt.lr, opt.momentum, opt.weight_decay = 0.25, 0.5, np.float32(0.5)  # a schedule's numbers: taken, as floats
    assert type(opt.weight_decay) is float
    opt.step()
    np.testing.assert_array_equal(w.data, [0.625, 0.625])  # 1 - 0.25 * (1 + 0.5 * 1)
    assert copy.deepcopy(opt).lr == 0.25
    assert not hasattr(object.__new__(optim.SGD), "lr")  # not set yet: an AttributeError, as for any attribute


def test_assigning_a_non_parameter_to_a_parameters_name_is_refused_as_pytorch():
    lin = nn.Linear(2, 1, rng=0)
    for value in (lin.weight - 0.1, Tensor(np.zeros((2, 1), np.float32)), np.zeros((2, 1)), nn.Tanh()):
        with pytest.raises(TypeError, match=r"Linear: 'weight' is a parameter; assign a leaf Tensor\(\.\.\., "
                                            r"requires_grad=True\) or None, or change its values in place"):
            lin.weight = value  # it used to leave parameters(): SGD(lin.parameters()) then skipped the weight
    assert [n for n, _ in lin.named_parameters()] == ["weight", "bias"]
    lin.weight.requires_grad = False  # frozen, then assigned back: it stays a parameter
    lin.weight = lin.weight
    assert [n for n, _ in lin.named_parameters()] == ["weight", "bias"]
    lin.bias = None  # as PyTorch allows
    assert [n for n, _ in lin.named_parameters()] == ["weight"] and lin(np.ones((1, 2))).shape == (1, 1)


@pytest.mark.torch
def test_a_parameter_set_to_none_keeps_its_place_and_its_name_as_pytorch():
    import torch

    lin, twin = nn.Linear(2, 3, rng=0), torch.nn.Linear(2, 3)
    for m, param in ((lin, lambda: Tensor(np.ones((2, 3)), requires_grad=True)),
                     (twin, lambda: torch.nn.Parameter(torch.ones(3, 2)))):
        m.weight = None
        m.weight = param()  # back in its old place, before the bias
    assert [n for n, _ in lin.named_parameters()] == [n for n, _ in twin.named_parameters()] == ["weight", "bias"]
    lin.bias, twin.bias = None, None
    with pytest.raises(TypeError, match="parameter"):
        twin.bias = torch.zeros(3)
    with pytest.raises(TypeError, match="Linear: 'bias' is a parameter"):
        lin.bias = Tensor(np.zeros(3))  # still a parameter's name: a plain tensor is refused


def test_a_parameter_replaced_inside_a_built_model_is_named_by_its_path():
    mlp = nn.MLP([2, 3, 1], rng=0)
    mlp.layers[0].weight = Tensor(np.ones((2, 3)), requires_grad=True)  # named "weight" by its Linear
    assert [n for n, _ in mlp.named_parameters()][0] == "layers.0.weight"
    assert mlp.layers[0].weight.name == "layers.0.weight"  # what the ledger and the pictures show


def test_sequential_and_forward_hooks_refuse_what_is_not_a_module_or_a_function():
    with pytest.raises(TypeError, match="Sequential: item 1 is a int, not a Module"):
        nn.Sequential(nn.Linear(2, 2), 3)
    with pytest.raises(TypeError, match="register_forward_hook: expected a function, got 3"):
        nn.Linear(2, 2).register_forward_hook(3)


@pytest.mark.torch
def test_a_subclassed_model_trains_as_its_torch_twin_for_20_steps():
    import torch

    class Net(nn.Module):  # written as in PyTorch: sub-modules and a parameter as attributes
        def __init__(self):
            super().__init__()
            self.scale = Tensor(np.full(3, 0.5), requires_grad=True)
            self.fc1, self.bn = nn.Linear(2, 8, rng=0, dtype=np.float64), nn.BatchNorm1d(8, 1e-5, 0.3, dtype=np.float64)
            self.body = nn.Sequential(nn.ReLU(), nn.Linear(8, 3, bias_init="normal", rng=1, dtype=np.float64))

        def forward(self, x):
            return self.body(self.bn(self.fc1(x))) * self.scale

    class Twin(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.tensor(m.scale.data))
            self.fc1, self.bn = torch.nn.Linear(2, 8).double(), torch.nn.BatchNorm1d(8, 1e-5, 0.3).double()
            self.body = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(8, 3).double())
            with torch.no_grad():
                for p, (_, q) in zip(self.parameters(), m.named_parameters()):
                    p.copy_(torch.tensor(q.data.T))

        def forward(self, x):
            return self.body(self.bn(self.fc1(x))) * self.scale

    m = Net()
    t = Twin(m)
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in t.named_parameters()]
    opt = optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
    topt = torch.optim.SGD(t.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
    X, y = moons(64, rng=0)
    X = X.astype(np.float64)
    for step in range(20):
        idx = np.random.default_rng(step).permutation(64)[:16]
        opt.zero_grad()
        topt.zero_grad()
        cross_entropy(m(X[idx]), y[idx]).backward()
        torch.nn.functional.cross_entropy(t(torch.tensor(X[idx])), torch.tensor(y[idx])).backward()
        opt.step()
        topt.step()
    for p, q in zip(m.parameters(), t.parameters()):
        np.testing.assert_allclose(p.data, q.detach().numpy().T, rtol=0, atol=1e-12)
    np.testing.assert_allclose(m.bn.running_var, t.bn.running_var.numpy(), rtol=0, atol=1e-12)
    m.eval()
    t.eval()
    with no_grad(), torch.no_grad():
        np.testing.assert_allclose(m(X).data, t(torch.tensor(X)).numpy(), rtol=0, atol=1e-12)


def test_a_module_set_to_none_keeps_its_place_and_a_value_does_not_overwrite_it_as_pytorch():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj, self.out = nn.Linear(2, 3, rng=1), nn.Linear(3, 1, rng=0)

    m = Net()
    m.proj = None  # as PyTorch: no longer a module, but its place is kept
    assert [n for n, _ in m.named_children()] == ["out"] and "(proj): None" in repr(m)
    m.proj = nn.Linear(2, 3, rng=2)
    assert [n for n, _ in m.named_parameters()] == ["proj.weight", "proj.bias", "out.weight", "out.bias"]  # was last
    with pytest.raises(TypeError, match=r"Net: 'proj' is a sub-module; assign a Module or None, or del it first, "
                                        r"got Tensor"):
        m.proj = m.proj(np.ones((1, 2), np.float32))  # the output under the layer's name: it used to replace the layer
    assert m.num_parameters() == 13 and isinstance(m.proj, nn.Linear)


@pytest.mark.torch
def test_random_module_trees_have_torchs_names_children_and_order():
    import random

    import torch

    def build(lib, ops):  # the same assignments on both sides; what raises is recorded
        param = (lambda: torch.nn.Parameter(torch.zeros(2))) if lib is torch.nn else \
            (lambda: Tensor(np.zeros(2), requires_grad=True))
        plain = (lambda: torch.zeros(2)) if lib is torch.nn else (lambda: Tensor(np.zeros(2)))
        make = {"lin": lambda: lib.Linear(2, 2), "bn": lambda: lib.BatchNorm1d(2), "par": param, "plain": plain,
                "seq": lambda: lib.Sequential(lib.Linear(2, 2), lib.Tanh(), lib.Sequential(lib.Linear(2, 2))),
                "act": lambda: lib.ReLU(), "none": lambda: None, "int": lambda: 3}
        m, refused = lib.Module(), []
        for op, name in ops:
            try:
                if op == "del":
                    if hasattr(m, name):
                        delattr(m, name)
                elif op == "share":
                    setattr(m, name, next((c for _, c in m.named_children()), None))
                else:
                    setattr(m, name, make[op]())
            except TypeError:
                refused.append((op, name))
        return ([n for n, _ in m.named_parameters()], [n for n, _ in m.named_children()],
                [n for n, _ in m.named_modules()], refused, repr(m).count("None"))

    for seed in range(150):
        r = random.Random(seed)
        ops = [(r.choice(["lin", "bn", "par", "plain", "seq", "act", "none", "int", "del", "share"]), r.choice("abcd"))
               for _ in range(r.randint(3, 10))]
        assert build(nn, ops) == build(torch.nn, ops), ops


def test_model_and_optimizer_copied_together_mid_training_go_on_as_the_original():
    # a checkpoint of (model, optimizer): the copy's momentum buffers belong to the copy's parameters
    import copy
    import pickle

    rng = np.random.default_rng(0)
    x, y = Tensor(rng.standard_normal((8, 3))), rng.standard_normal((8, 1))
    model = nn.MLP([3, 5, 1], rng=0, dtype=np.float64)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def train(m: nn.Module, o: optim.SGD, steps: int) -> None:
        for _ in range(steps):
            o.zero_grad()
            mse_loss(m(x), y).backward()
            o.step()

    train(model, opt, 3)
    twins = [copy.deepcopy((model, opt)), pickle.loads(pickle.dumps((model, opt)))]
    train(model, opt, 3)
    for m, o in twins:
        assert all(a is b for a, b in zip(o.params, m.parameters()))
        train(m, o, 3)
        for p, q in zip(model.parameters(), m.parameters()):
            np.testing.assert_array_equal(p.data, q.data)


def test_a_shallow_copy_of_a_module_shares_its_layers_and_assigning_on_it_leaves_the_original_whole():
    # copy.copy shared the registries of parameters and sub-modules but not the attributes: a weight assigned on the
    # copy became the original's parameters()[0] while the original's forward still used its own (an optimizer
    # given model.parameters() then trained a tensor the model never read); seq[0] = ... or del seq[0] likewise
    lin, seq = nn.Linear(2, 3, rng=0), nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh())
    lin2, seq2 = copy.copy(lin), copy.copy(seq)
    assert lin2.weight is lin.weight and seq2[0] is seq[0]  # shallow: the same layers and tensors
    lin2.weight, lin2.extra = Tensor(np.zeros((2, 3)), requires_grad=True), nn.Tanh()
    seq2[0] = nn.ReLU()
    del seq2[1]
    assert lin.parameters()[0] is lin.weight and [n for n, _ in lin.named_modules()] == [""]
    assert len(seq) == 2 and list(seq) == [seq[0], seq[1]] and isinstance(seq[0], nn.Linear)
    assert list(seq2) == [seq2[0]] and isinstance(seq2[0], nn.ReLU) and not lin2.weight.data.any()
    hook = seq2.register_forward_hook(lambda m, x, out: out * 0.0)
    assert seq(Tensor(np.ones((1, 2)))).data.any() and not seq2(Tensor(np.ones((1, 2)))).data.any()
    hook.remove()


def test_a_long_training_loop_frees_every_graph_by_reference_counting():
    # a training script's loop (SGD with momentum, batch norm, a probe and a ledger watching some steps, a picture
    # of them): with the cycle collector off, every step's graph is gone once the step is, nothing left to collect
    import gc
    import weakref

    from tinygrad_init import draw, ledger
    from tinygrad_init.probe import Probe

    rng = np.random.default_rng(0)
    x, y = Tensor(rng.standard_normal((16, 4))), rng.integers(0, 3, 16)
    model = nn.Sequential(nn.Linear(4, 8, rng=0), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3, rng=1))
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scalar = scalar_nn.MLP(2, [3, 1], rng=0)
    graphs = []

    def step(k: int) -> None:
        opt.zero_grad()
        loss = cross_entropy(model(x), y)
        if k % 50 == 1:
            with Probe(model), ledger.record():
                loss.backward()
            draw.draw(loss)
        else:
            loss.backward()
        opt.step()
        out = (scalar([0.5, -1.0]) - 1.0) ** 2
        scalar.zero_grad()
        out.backward()
        graphs.extend([weakref.ref(loss), weakref.ref(loss.grad_fn), weakref.ref(out)])

    gc.collect()
    gc.disable()
    try:
        for k in range(200):
            step(k)
        assert [r for r in graphs if r() is not None] == [] and gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.torch
def test_zero_grad_takes_pytorchs_set_to_none():
    # a ported script's model.zero_grad(set_to_none=False) ended in Python's 'unexpected keyword argument'
    import torch

    model = nn.MLP([3, 4, 1], rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    for zero in (model.zero_grad, opt.zero_grad):
        model(Tensor(np.ones((2, 3), np.float32))).sum().backward()
        grads = [p.grad for p in model.parameters()]
        zero(set_to_none=False)  # zeros in place, in the arrays the user may hold
        assert all(p.grad is g and not g.any() for p, g in zip(model.parameters(), grads))
        zero()
        assert all(p.grad is None for p in model.parameters())
        zero(set_to_none=False)  # a gradient that is None stays None, as in PyTorch
        assert all(p.grad is None for p in model.parameters())
        with pytest.raises(TypeError, match="zero_grad: set_to_none must be True or False"):
            zero(set_to_none="no")
    w = torch.nn.Parameter(torch.ones(2))
    torch.optim.SGD([w], lr=0.1).zero_grad(set_to_none=False)
    assert w.grad is None


def test_an_mlp_has_no_activation_after_its_last_linear_unless_asked():
    mlp = nn.MLP([2, 3, 4, 1], activation="relu", rng=0)
    assert [type(m).__name__ for m in mlp.layers] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert mlp.linears() == [mlp.layers[0], mlp.layers[2], mlp.layers[4]]
    assert type(nn.MLP([2, 1], final_activation="sigmoid").layers[-1]).__name__ == "Sigmoid"


@pytest.mark.parametrize("shape", [(4, 2), (4, 3, 5), (3,)])
def test_batchnorm_names_an_input_that_is_not_batch_by_features(shape):
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3\): expected input \(batch, 3\), got"):
        nn.BatchNorm1d(3)(Tensor(np.ones(shape)))


@pytest.mark.parametrize("loss, name", [(mse_loss, "mse_loss: pred"), (cross_entropy, "cross_entropy: logits"),
                                        (binary_cross_entropy_with_logits, "binary_cross_entropy_with_logits: logits")])
def test_a_loss_names_an_array_given_for_its_tensor(loss, name):
    with pytest.raises(TypeError, match=f"{name} must be a Tensor, got ndarray"):
        loss(np.zeros((2, 2)), np.zeros(2 if loss is cross_entropy else (2, 2), np.int64))


@pytest.mark.parametrize("bad", [1.5, 1.001, -0.25, np.nan])
def test_bce_refuses_a_target_outside_0_1(bad):
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: targets must lie in \[0, 1\]"):
        binary_cross_entropy_with_logits(Tensor([0.5, -0.5]), [1.0, bad])


def test_sgd_tells_the_scalar_fix_only_for_values():
    with pytest.raises(TypeError, match=r"SGD: parameter 0 is not a leaf Tensor .*\(got ndarray\); pass "
                                        r"model.parameters\(\)$"):
        optim.SGD([np.zeros(2)], lr=0.1)  # an array is no scalar_nn Value: no "update ... by hand"


@pytest.mark.parametrize("params, hint", [
    (Tensor(np.zeros(2), requires_grad=True), r"a single Tensor; pass a list, \[t\]"),
    (nn.Linear(2, 1, rng=0), r"Linear; pass model.parameters\(\)"),
    (3, r"int; pass an iterable of Tensors such as model.parameters\(\)")])
def test_sgd_says_what_to_pass_instead_of_something_not_a_list(params, hint):
    with pytest.raises(TypeError, match="SGD: params must be an iterable of Tensors, got " + hint):
        optim.SGD(params, lr=0.1)


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1])
def test_sgd_refuses_a_momentum_outside_0_1(momentum):
    # the docstring's [0, 1): at 1 the velocity never forgets a gradient (PyTorch only refuses a negative one)
    with pytest.raises(ValueError, match="SGD: momentum must be"):
        optim.SGD([Tensor(np.zeros(2), requires_grad=True)], lr=0.1, momentum=momentum)


@pytest.mark.parametrize("where, call", [
    ("he_normal", lambda rng: nn.init.he_normal((3, 2), rng=rng)), ("Linear", lambda rng: nn.Linear(3, 2, rng=rng)),
    ("MLP", lambda rng: nn.MLP([3, 2], rng=rng)),
    ("lsuv", lambda rng: nn.init.lsuv(nn.MLP([3, 2], rng=0), np.eye(3), rng=rng)),
    ("moons", lambda rng: moons(10, rng=rng)), ("Neuron", lambda rng: scalar_nn.Neuron(2, rng=rng)),
    ("Layer", lambda rng: scalar_nn.Layer(2, 3, rng=rng)), ("MLP", lambda rng: scalar_nn.MLP(2, [3], rng=rng)),
    ("train_test_split", lambda rng: nn.data.train_test_split(np.eye(4), np.arange(4) % 2, 0.5, rng=rng)),
])
def test_a_bad_rng_is_named_with_the_function_given_it(where, call):
    # as_rng said 'rng must be a np.random.Generator, ...' or 'rng: seed must be ...', naming no function
    with pytest.raises(TypeError, match=rf"^{where}: rng must be a np.random.Generator, an int seed or None, got "
                                        r"str 'seed'$"):
        call("seed")
    with pytest.raises(TypeError, match=rf"^{where}: rng must be .* got float 0.5"):
        call(0.5)
    with pytest.raises(ValueError, match=rf"^{where}: rng as a seed must be a non-negative integer, got -1$"):
        call(-1)
    call(np.random.default_rng(0))


@pytest.mark.parametrize(("logits", "targets"), [(Tensor([1, 2], dtype=np.int64), [0.0, 1.0]),
                                                 (Tensor([1, 2], dtype=np.int64), [0.3, 1.0]),
                                                 (Tensor([1.0, 2.0]), Tensor([0, 1], dtype=np.int64))])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_binary_cross_entropy_promotes_integers_with_float32_to_float32_as_mse_loss_does(logits, targets, reduction):
    # PyTorch's promotion of int64 with float32 is float32 (numpy's result_type, which the loss used, float64)
    bce = binary_cross_entropy_with_logits(logits, targets, reduction=reduction)
    assert bce.dtype == mse_loss(logits, targets, reduction=reduction).dtype == np.float32


@pytest.mark.parametrize("make, pattern", [
    (lambda: nn.MLP(np.array(3)), r"^MLP: sizes must be a list of widths .*got array\(3\)"),
    (lambda: nn.MLP({2, 3}), r"^MLP: sizes must be a list of widths .*got \{2, 3\}"),
    (lambda: optim.SGD(np.array(1.0), 0.1), r"^SGD: params must be an iterable of Tensors, got ndarray"),
    (lambda: optim.SGD({Tensor([1.0], requires_grad=True)}, 0.1),
     r"^SGD: params must be an iterable of Tensors, got set, whose order changes from run to run; pass a list"),
    (lambda: scalar_nn.MLP(2, np.array(3)), r"^MLP: nouts must be a list of widths"),
    (lambda: scalar_nn.MLP(2, {3, 1}), r"^MLP: nouts must be a list of widths")])
def test_a_0d_array_or_a_set_where_an_ordered_list_goes_is_refused_by_name(make, pattern):
    # nn.MLP(np.array(3)) and SGD(np.array(1.0), ...) raised numpy's 'iteration over a 0-d array'; nn.MLP({2, 3}) and
    # scalar_nn.MLP(2, {3, 1}) built layers in the set's order (not the one written), SGD a set of parameters too
    # (PyTorch refuses a set of parameters)
    with pytest.raises(TypeError, match=pattern):
        make()


def test_batchnorm_dtype_none_is_float32_as_pytorchs_default():
    bn = nn.BatchNorm1d(3, dtype=None)  # it was float64 (numpy's np.dtype(None))
    assert bn.weight.dtype == bn.bias.dtype == bn.running_mean.dtype == np.float32


@pytest.mark.parametrize("kind", [list, np.array, lambda rows: Tensor(np.array(rows, dtype=float))])
def test_the_code_given_for_one_hot_targets_runs_on_the_rows_as_they_were_passed(kind):
    # one-hot rows were told "targets.argmax(1)": a list of rows has no argmax, and a Tensor's is t.data.argmax, so the
    # code as written was the next error
    rows = [[0, 0, 1], [1, 0, 0]]
    logits, targets = Tensor(np.array([[0.2, -1.0, 0.5], [1.5, 0.3, -0.7]])), kind(rows)
    with pytest.raises(ValueError, match=r"for one-hot rows (.+?); for probabilities") as e:
        nn.cross_entropy(logits, targets)
    code = re.search(r"for one-hot rows (.+?); for probabilities", str(e.value)).group(1)
    classes = eval(code, {"np": np, "targets": targets})  # noqa: S307 (the message's own text)
    assert nn.cross_entropy(logits, classes).item() == nn.cross_entropy(logits, [2, 0]).item()


@pytest.mark.parametrize("kind", [list, np.array, lambda numbers: Tensor(np.array(numbers))])
def test_the_reshape_suggested_for_targets_of_another_shape_runs_on_a_list_too(kind):
    # (4, 1) outputs against targets of shape (4,) were told "for example target.reshape((4, 1))", which a list of
    # targets (that the losses take) has not: the code as written was the next error
    out, numbers = Tensor(np.array([[0.5], [-1.0], [2.0], [0.0]])), [0.0, 1.0, 1.0, 0.0]
    for fn in (mse_loss, binary_cross_entropy_with_logits):
        target = targets = kind(numbers)
        with pytest.raises(ValueError, match=r"Reshape one of them, for example (.+)\.$") as e:
            fn(out, target)
        code = re.search(r"for example (.+)\.$", str(e.value)).group(1)
        fixed = eval(code, {"np": np, "target": target, "targets": targets})  # noqa: S307 (the message's own text)
        assert fn(out, fixed).item() == fn(out, np.array(numbers).reshape(4, 1)).item()


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 4)])
def test_a_weight_of_a_wrong_shape_that_is_no_transpose_is_not_told_to_transpose(shape):
    # every weight not (fan_in, fan_out) was told "a PyTorch weight is the transpose (fan_out, fan_in): assign w.T",
    # also a (5,) one, whose .T is (5,) again: the advice, followed, met the same error
    layer = nn.Linear(3, 2, rng=0)
    layer.weight = Tensor(np.ones(shape), requires_grad=True)
    with pytest.raises(ValueError, match=rf"^Linear\(3, 2\): its weight has shape {re.escape(str(shape))}, not "
                                         r"\(fan_in, fan_out\) = \(3, 2\)") as e:
        layer(np.ones((4, 3)))
    assert "transpose" not in str(e.value) and "w.T" not in str(e.value)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(3, 5), (2, 3, 2), (1, 3, 2)])
def test_a_weight_of_another_shape_that_still_multiplies_is_named_not_computed_with(shape, bias):
    # a weight assigned in another shape was checked only when x @ W failed: a (3, 5) weight of Linear(3, 2) gave a
    # (4, 5) output (or 'add: shapes (4, 5) + (2,)', naming no weight) and a (2, 3, 2) one a batched product of shape
    # (2, 4, 2), silently; a PyTorch-layout weight is still told its transpose
    layer = nn.Linear(3, 2, bias=bias, rng=0)
    layer.weight = Tensor(np.ones(shape), requires_grad=True)
    with pytest.raises(ValueError, match=rf"^Linear\(3, 2\): its weight has shape {re.escape(str(shape))}, not "
                                         r"\(fan_in, fan_out\) = \(3, 2\); assign one of that shape"):
        layer(np.ones((4, 3)))
    layer.weight = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"assign w\.T"):
        layer(np.ones((4, 3)))


@pytest.mark.parametrize("shape", [(2, 1), (4,), (3, 2), (4, 2), (1, 1, 2)])
def test_a_bias_assigned_in_another_shape_is_named_by_the_layer(shape):
    # a bias assigned since was met by the addition, 'add: shapes (4, 2) + (2, 1) cannot be broadcast together',
    # naming no layer; a (1, 1, 2) one gave a (1, 4, 2) output and a (4, 2) one a bias per sample, silently
    layer = nn.Linear(3, 2, rng=0)
    layer.bias = Tensor(np.ones(shape), requires_grad=True)
    with pytest.raises(ValueError, match=rf"^Linear\(3, 2\): its bias has shape {re.escape(str(shape))}, not "
                                         r"\(fan_out,\) = \(2,\); assign one of that shape$"):
        layer(np.ones((4, 3)))


def test_a_bias_row_given_one_sample_is_named_where_it_added_a_batch_axis():
    # a (1, 2) bias turned the (2,) output of a (3,) sample into a (1, 2) one, silently (PyTorch's gives (2,))
    layer = nn.Linear(3, 2, rng=0)
    layer.bias = Tensor(np.ones((1, 2)), requires_grad=True)
    assert layer(np.ones((4, 3))).shape == (4, 2)
    says = r"its bias has shape \(1, 2\), not \(fan_out,\) = \(2,\); assign one of that shape \(a \(1, 2\) one"
    with pytest.raises(ValueError, match=rf"^Linear\(3, 2\): {says} adds an axis to a \(3,\) input\)$"):
        layer(np.ones(3))


@pytest.mark.parametrize("shape", [(1, 2), (), (1,)])
def test_a_bias_as_a_row_or_one_number_for_all_outputs_is_still_added(shape):
    layer, x = nn.Linear(3, 2, rng=0, dtype=np.float64), np.arange(12.0).reshape(4, 3)
    layer.bias = Tensor(np.full(shape, 0.5), requires_grad=True)
    np.testing.assert_allclose(layer(x).data, x @ layer.weight.data + 0.5)
    if shape != (1, 2):
        np.testing.assert_allclose(layer(x[0]).data, x[0] @ layer.weight.data + 0.5)


@pytest.mark.parametrize("shape, has", [((4, 5), "5 features"), ((5,), "5 features"), ((4, 3, 1), "1 feature"),
                                        ((4, 1), "1 feature"), ((), "no features")])
def test_an_input_with_another_feature_count_is_named_by_the_linear_layer(shape, has):
    # an input of one feature was said to have "1 features"
    with pytest.raises(ValueError, match=rf"^Linear\(3, 2\): input of shape {re.escape(str(shape))} has {has} in its "
                                         r"last dimension, expected 3\. Inputs are \(batch, fan_in\)\.$"):
        nn.Linear(3, 2, rng=0)(np.ones(shape))


@pytest.mark.parametrize("x", [np.ones((4, 3)), Tensor(np.ones((4, 3), np.float32))])
def test_a_weight_set_to_none_is_named_by_the_linear_layer(x):
    # it ended in "'NoneType' object has no attribute 'dtype'" (or 'data' for a Tensor input), naming no layer
    layer = nn.Linear(3, 2, rng=0)
    layer.weight = None
    with pytest.raises(TypeError, match=r"^Linear\(3, 2\): its weight is None; assign a leaf Tensor\(\.\.\., "
                                        r"requires_grad=True\) of shape \(fan_in, fan_out\) = \(3, 2\)$"):
        layer(x)
