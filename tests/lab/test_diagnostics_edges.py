"""Diagnostics at the edges of use: before any step, after a stopped forward pass, copied, on a 0-d tensor."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init.lab import diagnostics as D
from tinygrad_init.nn.losses import cross_entropy
from tinygrad_init.nn.optim import SGD


def _net():
    return nn.Sequential(nn.Linear(4, 8, rng=0), nn.Tanh(), nn.Linear(8, 8, rng=1), nn.ReLU(), nn.Linear(8, 3, rng=2))


def _step(model, opt, x=None):
    x = np.linspace(-2, 2, 24, dtype=np.float32).reshape(6, 4) if x is None else x
    opt.zero_grad()
    cross_entropy(model(Tensor(x)), [0, 1, 2, 0, 1, 2]).backward()
    opt.step()


def test_series_before_any_step_is_empty_not_a_numpy_error():
    # a model trained for 0 steps: "cannot reshape array of size 0 into shape (0)" from numpy
    model = _net()
    diag = D.Diagnostics(model, SGD(model.parameters(), lr=0.1))
    assert diag.series("mean").shape == (2, 0) and diag.series("fraction", "3").shape == (0,)
    assert diag.series("grad_data").shape == (6, 0) and diag.series("update_data", param="0.weight").shape == (0,)
    assert diag.weights() == []


def test_series_of_a_model_without_activations_says_it_has_none():
    diag = D.Diagnostics(nn.Sequential(nn.Linear(2, 2)))  # the message ended in "the layers are "
    with pytest.raises(KeyError, match="Diagnostics.series: no layer 'x'; the layers are none\""):
        diag.series("mean", "x")


@pytest.mark.parametrize("x,dead", [(-1.0, 1.0), (2.0, 0.0)])
def test_a_relu_of_a_0d_tensor_is_dead_or_alive(x, dead):
    # IndexError: tuple index out of range (the dead fraction read the last axis of a 0-d array)
    diag = D.Diagnostics(model := nn.Sequential(nn.ReLU()))
    model(Tensor(x, requires_grad=True)).backward()
    assert diag.records[0]["layers"]["0"]["fraction"] == dead and diag.records[0]["layers"]["0"]["grad_std"] == 0
