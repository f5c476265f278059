"""The numbers the lab measures, at the edges a changed comparison or axis would move: each checked against numpy."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.probe import Probe


def _one_to_one(n: int, activation: nn.Module, dtype=np.float64) -> nn.Sequential:
    lin = nn.Linear(n, n, bias=False, rng=0, dtype=dtype)
    lin.weight.data[...] = np.eye(n, dtype=dtype)
    return nn.Sequential(lin, activation)


def test_float32_tanh_at_float32_0_99_is_beyond_0_99():
    # float32(0.99) = 0.99000000954 > 0.99: saturated, compared in float64 (in float32 it would equal the threshold)
    z = np.float32(np.arctanh(0.99))
    z = next(v for v in (z + k * np.spacing(z) for k in range(-50, 51)) if np.tanh(v) == np.float32(0.99))
    model = _one_to_one(1, nn.Tanh(), np.float32)
    with Probe(model) as probe:
        h = model(Tensor(np.array([[z], [0.0]], dtype=np.float32))).data
    assert h[0, 0] == np.float32(0.99) and float(h[0, 0]) > 0.99
    assert probe.stats("forward")["saturated"] == [np.mean(np.abs(h.astype(np.float64)) > 0.99)] == [0.5]


def test_a_relu_unit_with_small_positive_outputs_is_alive():
    # dead: 0 for the whole batch, not near 0; unit 0 gives 0.002..0.008 (alive), unit 1 only 0 (dead)
    X = np.array([[0.005, -1.0], [0.002, -0.5], [0.008, 0.0]])
    model = _one_to_one(2, nn.ReLU())
    with Probe(model) as probe:
        model(Tensor(X))
    assert probe.stats("forward")["dead"] == [np.mean(np.all(np.maximum(X, 0) == 0, axis=0))] == [0.5]
