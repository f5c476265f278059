"""The scalar engine and its networks as a student coming from micrograd or PyTorch uses them."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init.nn import scalar as scalar_nn


def test_a_batch_given_to_a_scalar_net_is_told_to_go_one_sample_at_a_time():
    # model(X), PyTorch's habit, said only 'MLP: expected 2 inputs, got 100': the rows were read as 100 inputs
    X = np.zeros((100, 2))
    for model, where in ((scalar_nn.MLP(2, [3, 1], rng=0), "MLP"), (scalar_nn.Layer(2, 3, rng=0), "Layer"),
                         (scalar_nn.Neuron(2, rng=0), "Neuron")):
        with pytest.raises(ValueError, match=rf"^{where}: expected 2 inputs, got 100 rows of 2: a scalar net takes one "
                                             r"sample at a time, \[model\(x\) for x in X\]$"):
            model(X)
        with pytest.raises(ValueError, match=rf"^{where}: expected 2 inputs, got 3$"):
            model([1.0, 2.0, 3.0])
        assert model(X[0]) is not None and model(list(X[0])) is not None
