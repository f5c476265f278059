"""The activation registry (tinygrad_init.nn.activations): each entry's function, derivative, gain,
limits and closed-form moments, and the layers, scalar nets and gains that read it."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from conftest import require_module

from tinygrad_init import Tensor, Value, init, nn, scalar_nn
from tinygrad_init.nn import activations

Z = np.array([-7.0, -2.5, -1.0, -0.3, 0.2, 0.9, 1.7, 4.0, 9.0])  # no kink at 0 among them


def test_names_and_lookup():
    assert activations.names() == ("tanh", "sigmoid", "relu", "linear")
    assert activations.names(engine_only=False) == ("tanh", "sigmoid", "relu", "leaky_relu", "linear")
    for alias, name in (("TANH", "tanh"), ("identity", "linear"), ("None", "linear"), ("LeakyReLU", "leaky_relu")):
        assert activations.get(alias).name == name
    with pytest.raises(ValueError, match=r"probe: activation must be one of .*got 'tahn' \(did you mean 'tanh'\?\)"):
        activations.get("tahn", "probe")
    with pytest.raises(ValueError, match="MLP: final_activation must be one of 'tanh', 'sigmoid', 'relu', 'linear'"):
        activations.get("leaky_relu", "MLP", engine_only=True, what="final_activation")


@pytest.mark.parametrize("name", activations.names(engine_only=False))
def test_derivative_against_central_differences(name):
    a, h = activations.get(name), 1e-6
    np.testing.assert_allclose(a.derivative(Z), (a.fn(Z + h) - a.fn(Z - h)) / (2 * h), rtol=1e-7, atol=1e-9)
    lo, hi = a.limits
    assert a.fn(np.array([-60.0]))[0] == pytest.approx(lo, abs=1e-12) or math.isinf(lo)
    assert a.fn(np.array([60.0]))[0] == pytest.approx(hi, abs=1e-12) or math.isinf(hi)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu"])
def test_the_engines_compute_the_registry_function_and_derivative(name):
    a = activations.get(name)
    g = np.linspace(-1.5, 2.0, Z.size)  # a non-uniform upstream gradient
    x = Tensor(Z.copy(), requires_grad=True)
    y = getattr(x, name)()
    y.backward(g)
    # 1 - tanh^2 and s (1 - s) cancel near saturation: compare to the last bits of an O(1) quantity
    np.testing.assert_allclose(y.data, a.fn(Z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(x.grad, g * a.derivative(Z), rtol=1e-12, atol=1e-15)
    for z, gz in zip(Z, g):
        v = Value(float(z))
        out = getattr(v, name)()
        (out * gz).backward()
        assert out.data == pytest.approx(float(a.fn(np.array([z]))[0]), rel=1e-12, abs=1e-15)
        assert v.grad == pytest.approx(gz * float(a.derivative(np.array([z]))[0]), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "linear"])
@pytest.mark.parametrize("q", [0.3, 1.0, 4.0])
def test_closed_form_moments_against_integration(name, q):
    a = activations.get(name)
    dz = 28.0 * math.sqrt(q) / 400_000
    z = (np.arange(400_000) + 0.5) * dz - 14.0 * math.sqrt(q)  # midpoints: the kink at 0 is a cell edge
    p = np.exp(-z * z / (2 * q)) / math.sqrt(2 * math.pi * q)

    def expect(values: np.ndarray) -> float:
        return float(np.sum(values * p) * dz)

    closed = a.moments(q)
    numeric = (expect(a.fn(z)), expect(a.fn(z) ** 2), expect(a.derivative(z) ** 2))
    assert closed == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    # The gain is what keeps the variance: gain^2 E[f(z)^2] = q (He et al. 2015, eq. 10 for ReLU).
    assert a.gain ** 2 * closed[1] == pytest.approx(q, rel=1e-12)


def test_leaky_relu_of_another_slope():
    a = activations.leaky_relu(0.2)
    assert a.name == "leaky_relu" and not a.engine
    assert a.gain == math.sqrt(2 / 1.04) == init.calculate_gain("leaky_relu", 0.2)
    np.testing.assert_array_equal(a.fn(np.array([-1.0, 2.0])), [-0.2, 2.0])
    with pytest.raises(TypeError, match="leaky_relu: negative_slope must be a number"):
        activations.leaky_relu("steep")


def test_a_leaky_relu_slope_whose_square_leaves_float64_is_refused():
    # (1 + a^2) is in the gain and the moments: a slope of 1e160 gave gain 0 and E[f'^2] = inf without a word
    assert activations.leaky_relu(-1e150).gain == pytest.approx(math.sqrt(2) * 1e-150, rel=1e-15)
    for a in (1e160, -1e300):
        with pytest.raises(ValueError, match=r"^leaky_relu: negative_slope must be in \[-1e\+150, 1e\+150\]"):
            activations.leaky_relu(a)
    # E[f^2] = (1 + a^2) / 2 q while that is below float64's largest (the product (1 + a^2) q overflowed first)
    assert activations.leaky_relu(1e10).moments(3e288)[1] == pytest.approx(1.5e308, rel=1e-15)


def test_calculate_gain_reads_the_registry():
    for name in activations.names(engine_only=False):
        assert init.calculate_gain(name) == activations.get(name).gain
    assert init.calculate_gain("conv2d") == init.calculate_gain("identity") == activations.get("linear").gain


def test_layers_and_scalar_nets_read_the_registry():
    assert list(nn.ACTIVATIONS) == list(activations.names())
    assert all(cls.name == name for name, cls in nn.ACTIVATIONS.items())
    # an alias only the registry knows works everywhere an activation is named
    assert nn.MLP([2, 3, 1], activation="Identity", rng=0).activation == "linear"
    assert isinstance(nn.MLP([2, 3, 1], activation="identity", rng=0).layers[1], nn.Identity)
    assert scalar_nn.Neuron(2, activation="IDENTITY", rng=0).activation == "linear"
    with pytest.raises(ValueError, match="Neuron: activation must be one of"):
        scalar_nn.Neuron(2, activation="gelu")
    x = np.array([[-1.0, 0.5, 2.0]])
    for name, cls in nn.ACTIVATIONS.items():
        np.testing.assert_allclose(cls()(Tensor(x)).data, activations.get(name).fn(x), rtol=1e-14)


def test_sigmoid_and_its_derivative_keep_their_relative_accuracy_on_both_tails():
    # 0.5 (1 + tanh(z / 2)) cancels for z < 0: 1.7e3 ulp at z = -10, 0.0 instead of 4.2e-18 at z = -40
    z = np.array([-745.0, -700.0, -40.0, -20.0, -10.0, -5.0, -0.5, 0.0, 0.5, 5.0, 10.0, 20.0, 40.0, 700.0])
    e = np.exp(-np.abs(z))  # exact references in float64: e^-|z| and 1 + e^-|z| are correctly rounded or nearly
    want = np.where(z < 0, e / (1 + e), 1 / (1 + e))
    a = activations.get("sigmoid")
    np.testing.assert_allclose(a.fn(z), want, rtol=4e-16, atol=0)
    np.testing.assert_allclose(a.derivative(z), e / (1 + e) ** 2, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(a.fn(z[z < 0]), Tensor(z[z < 0]).sigmoid().data)  # as the engines compute it
    assert a.derivative(np.array([-40.0]))[0] == pytest.approx(math.exp(-40.0), rel=1e-15)


def test_leaky_relu_limits_follow_the_slope() -> None:
    # limits are f(-inf), f(+inf): they were (-inf, inf) for every slope, also for slope 0 (a ReLU)
    assert activations.leaky_relu(0.0).limits == (0.0, math.inf) == activations.get("relu").limits
    assert activations.leaky_relu(0.2).limits == (-math.inf, math.inf)
    assert activations.leaky_relu(-0.5).limits == (math.inf, math.inf)


@pytest.mark.parametrize("call", [lambda flag: init.names(aliases=flag),
                                  lambda flag: activations.names(engine_only=flag)])
@pytest.mark.parametrize("flag", ["no", 0, None])
def test_flags_take_only_true_or_false(call, flag):
    # names(aliases="no") listed the aliases, names(engine_only="no") the engines' names only: the flag was read as
    # Python's truth of any value
    with pytest.raises(TypeError, match=r"names: (aliases|engine_only) must be True or False, got"):
        call(flag)


@pytest.mark.parametrize("slope", [0.0, 0.2, -0.5])
def test_the_relu_family_moments_at_q_0_are_the_engines_values_at_0(slope):
    # z = 0 surely: E f = E f^2 = 0 and E f'^2 = f'(0)^2, f'(0) = a (the engines' relu'(0) = 0)
    a = activations.leaky_relu(slope)
    assert a.moments(0.0) == (0.0, 0.0, slope * slope) == (0.0, 0.0, float(a.derivative(np.zeros(1))[0]) ** 2)
    assert activations.get("relu").moments(0.0) == (0.0, 0.0, 0.0)


@pytest.mark.torch
@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "leaky_relu"])
def test_the_registry_derivative_at_nan_and_signed_zeros_is_pytorchs_and_the_engines(name):
    torch = require_module("torch")  # relu'(nan) was 0 here, 1 in the engines and in PyTorch (nan <= 0 is False)
    z = np.array([np.nan, 0.0, -0.0, -1.0, 1.0])
    p = torch.tensor(z, requires_grad=True)
    (torch.nn.functional.leaky_relu(p, 0.01) if name == "leaky_relu" else getattr(torch, name)(p)).sum().backward()
    np.testing.assert_allclose(activations.get(name).derivative(z), p.grad.numpy(), rtol=1e-15, atol=0)
    if name != "leaky_relu":
        x = Tensor(z.copy(), requires_grad=True)
        getattr(x, name)().sum().backward()
        np.testing.assert_allclose(activations.get(name).derivative(z), x.grad, rtol=1e-15, atol=0)


@pytest.mark.parametrize("make", [lambda: activations.get("tanh"), lambda: activations.get("linear"),
                                  lambda: activations.leaky_relu(0.2), lambda: activations.leaky_relu(-0.5),
                                  lambda: activations.get("leaky_relu"),  # the registry's object comes back
                                  # a gain of one's own was swapped for the registry's 5/3 without a word
                                  lambda: dataclasses.replace(activations.get("tanh"), gain=1.0),
                                  lambda: dataclasses.replace(activations.leaky_relu(0.2), gain=1.0),
                                  # one of the user's own, its functions picklable: "must be one of 'tanh', ..."
                                  lambda: activations.Activation("swish", np.tanh, np.cos, 1.0, (0.0, 1.0)),
                                  # a derivative of one's own came back as the registry's
                                  lambda: dataclasses.replace(activations.get("tanh"), derivative=np.cos)])
def test_an_activation_pickles_as_the_registrys_or_its_slopes(make):
    import pickle  # its functions are lambdas: pickle said "Can't pickle <function <lambda>>"

    a = make()
    b = pickle.loads(pickle.dumps(a))
    z = np.linspace(-3.0, 3.0, 13)
    assert (b.name, b.gain, b.limits, b.engine) == (a.name, a.gain, a.limits, a.engine)
    np.testing.assert_array_equal(b.fn(z), a.fn(z))
    np.testing.assert_array_equal(b.derivative(z), a.derivative(z))
    registered = a is activations.ACTIVATIONS.get(a.name)
    assert b is a if registered else a.moments is None or b.moments(2.0) == a.moments(2.0)


@pytest.mark.parametrize(("call", "typed"), [(lambda: activations.get("soft plus"), "soft plus"),
                                             (lambda: activations.get("Tanhh"), "Tanhh"),
                                             (lambda: activations.calculate_gain("Soft-Plus"), "Soft-Plus"),
                                             (lambda: activations.get("Leaky ReLU", engine_only=True), "Leaky ReLU")])
def test_an_unknown_activation_is_quoted_as_it_was_typed_not_as_its_lookup_key(call, typed):
    # the key reads case, spaces, - and _ alike, and the message gave it: got 'soft_plus' for "soft plus"
    with pytest.raises(ValueError, match=rf"must be one of .*, got '{typed}'"):
        call()
