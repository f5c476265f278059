"""Pictures: the smaller promises (a collapsed module's box shows what it produced)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init.observe import draw


def test_a_collapsed_module_box_shows_its_output_shape_and_gradient():
    lin = nn.Linear(3, 2, rng=0, dtype=np.float64)
    X = np.random.default_rng(1).standard_normal((4, 3))
    tr = draw.trace(nn.Sequential(lin, nn.Tanh()), Tensor(X))
    loss = tr.output.sum()
    loss.backward(retain_grads=True)
    src = draw.draw(loss, module=tr.collapsed()).source
    boxes = dict(re.findall(r'label="(\d)\\n\w+\\n([^"]*)" shape=box3d', src))
    z = X @ lin.weight.data + lin.bias.data
    assert sorted(boxes) == ["0", "1"]
    for path, grad in (("0", 1 - np.tanh(z) ** 2), ("1", np.ones_like(z))):  # dL/dz, dL/dh of L = sum(tanh(z))
        shape, values = boxes[path].split("\\n")
        assert shape == "-> (4, 2) float64"
        shown = [float(v) for v in values.removeprefix("grad [").removesuffix("]").split(", ")]
        assert shown == pytest.approx(grad.ravel(), rel=5e-4)
