"""Behaviours of nn/activations.py that no other test pinned (found by mutating the module)."""

from __future__ import annotations


import numpy as np
import pytest
from conftest import torch_module

from tinygrad_init.nn import activations

torch = torch_module()  # fails under CI=true where torch is missing, skips elsewhere


@pytest.mark.parametrize(("name", "torch_fn"), [("relu", torch.relu),
                                                ("leaky_relu", torch.nn.functional.leaky_relu)])
def test_relu_family_derivative_at_0_is_pytorchs(name, torch_fn):
    # PyTorch's backward at z = 0 takes the z <= 0 branch: relu'(0) = 0, leaky_relu'(0) = 0.01 (its default slope)
    z = torch.tensor([-1.5, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch_fn(z).sum().backward()
    np.testing.assert_array_equal(activations.get(name).derivative(np.array([-1.5, 0.0, 2.0])), z.grad.numpy())
    assert z.grad[1].item() == (0.0 if name == "relu" else 0.01)


def test_a_registry_entry_cannot_be_changed_by_one_caller_for_everyone():
    # get() hands out the registry's own object: an assignment (a = get("tanh"); a.gain = 1.0) would change the gain
    # that calculate_gain, the theory and the lab read in the whole session
    import dataclasses

    a = activations.get("tanh")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.gain = 1.0
    assert activations.get("tanh").gain == 5.0 / 3.0


@pytest.mark.parametrize("name", activations.names(engine_only=False))
def test_each_registered_limit_is_the_function_at_minus_and_plus_infinity(name):
    a = activations.get(name)
    assert a.limits == tuple(a.fn(np.array([-np.inf, np.inf])).tolist())


@pytest.mark.parametrize(("slope", "limits"), [(0.2, (-np.inf, np.inf)), (-0.5, (np.inf, np.inf)),
                                               (0.0, (0.0, np.inf))])
def test_leaky_relu_limits_follow_the_sign_of_its_slope(slope, limits):
    a = activations.leaky_relu(slope)
    assert a.limits == limits
    assert np.sign(a.fn(np.array([-1e300, 1e300]))).tolist() == np.sign(limits).tolist()
