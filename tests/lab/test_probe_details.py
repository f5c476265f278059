"""The probe's smaller promises: a layer called on its own output, the title's batch."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.probe import Probe


def test_a_linear_called_again_on_its_own_output_gets_a_second_row_with_its_numbers():
    # z1 = x W + b, z2 = z1 W + b with no activation module between: one pass, rows lin and lin (2)
    lin = nn.Linear(3, 3, rng=0, dtype=np.float64)

    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lin

        def forward(self, x):
            return self.lin(self.lin(x))

    model, X = Twice(), np.random.default_rng(1).standard_normal((5, 3))
    W, b = lin.weight.data.copy(), lin.bias.data.copy()
    with Probe(model) as probe:
        model(Tensor(X)).sum().backward()
    z1 = X @ W + b
    z2 = z1 @ W + b
    table = probe.stats()
    assert table["module"] == ["lin", "lin (2)"]
    assert table["pre_std"] == pytest.approx([z1.std(), z2.std()], rel=1e-12)
    assert table["pre_mean"] == pytest.approx([z1.mean(), z2.mean()], rel=1e-12, abs=1e-15)
    # dL/dz2 = 1, dL/dz1 = 1 W^T: the gradient of the first row is that of the second times W^T
    g1 = np.ones_like(z2) @ W.T
    assert table["grad_pre_std"] == pytest.approx([g1.std(), 0.0], abs=1e-12)
    assert table["grad_pre_norm"] == pytest.approx([np.linalg.norm(g1), np.sqrt(z2.size)], rel=1e-12)


def test_the_title_counts_the_batch_only_for_a_batch():
    lin = nn.Linear(3, 2, rng=0)
    X = np.random.default_rng(1).standard_normal((5, 3)).astype(np.float32)
    with Probe(lin) as probe:
        lin(Tensor(X[0])).sum().backward()  # one example, no batch axis
    assert probe.stats().title == "Probe of Linear: 1 layer(s)"
    with Probe(lin) as probe:
        lin(Tensor(X)).sum().backward()
    assert probe.stats().title == "Probe of Linear: 1 layer(s), batch 5"
