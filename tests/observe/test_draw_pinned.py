"""Numbers and labels of the pictures that no other test pins, each checked by hand."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Tensor, Value, draw, nn


def test_scalar_mlp_loss_is_the_sum_of_squared_errors():
    loss, tr = draw.mlp_loss([2, 3], "zero", engine="scalar", rng=3)  # zero weights: every output 0
    gen = np.random.default_rng(3)
    gen.standard_normal((1, 2))  # x, then y, as the docstring says
    y = gen.standard_normal((1, 3))
    assert tr is None and abs(loss.data - float(np.sum(y ** 2))) < 1e-12


def test_picture_render_returns_the_file_it_wrote(tmp_path):
    a = Value(2.0, label="a")
    path = draw.draw(a * a).render(filename=str(tmp_path / "g"), format="svg", cleanup=True)
    assert path == str(tmp_path / "g.svg") and (tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")


def test_a_collapsed_module_sits_in_the_cluster_of_its_direct_parent():
    model = nn.Sequential(nn.Sequential(nn.Sequential(nn.Linear(3, 2, rng=0), nn.Tanh())))
    tr = draw.trace(model, Tensor(np.ones((1, 3))))
    src = draw.draw(tr.output.sum(), module=tr.collapsed(["0.0.0"])).source
    inner = src[src.index('label="0.0 (Sequential)"'):]
    assert 'label="0.0.0\\nLinear' in inner[: inner.index("subgraph")]  # in "0.0", before the Tanh's cluster


def test_the_cut_note_names_five_kinds_then_dots():
    a = Value(0.5, label="a")
    y = (a * 2.0 + 1.0).tanh().exp() ** 2  # six nodes of six kinds below the drawn one
    src = draw.draw(y * 1.0, max_nodes=1).source
    assert '"... 6 more nodes: 1 *, 1 **2, 1 +, 1 exp, 1 leaf, ..."' in src  # tanh, the sixth by name, left out


def test_draw_refuses_what_is_not_a_graph_and_a_ledger_of_another_root():
    import pytest

    from tinygrad_init import ledger

    with pytest.raises(TypeError, match=r"^draw: expected a Value or a Tensor \(a computation's result\), got NoneT"):
        draw.draw(None)
    a = Value(2.0)
    loss, other = (a * a).tanh(), a + 1.0
    with ledger.record() as steps:
        loss.backward()
    with pytest.raises(ValueError, match=r"^draw: the ledger given as grads= holds no backward pass from this root; "):
        draw.draw(other, grads=steps)
    assert "grad 0.005364" in draw.draw(loss, grads=steps).source  # its own root: d tanh(a^2)/da = 4(1 - tanh(4)^2)
    y = Tensor(np.ones(2), requires_grad=True).sum()
    with pytest.raises(TypeError, match=r"^draw: module must be an nn.Module or a Trace from draw.trace\(model, x\), "
                                        r"got int 3$"):
        draw.draw(y, module=3)


def test_a_collapsed_module_that_uses_its_input_twice_gets_one_edge_from_it():
    class Square(nn.Module):
        def forward(self, x):
            return x * x  # two edges into the mul

    tr = draw.trace(nn.Sequential(nn.Linear(2, 2), Square()), Tensor(np.ones((1, 2))))
    src = draw.draw(tr.output.sum(), module=tr.collapsed("1")).source
    box = next(line.split()[0] for line in src.splitlines() if "Square" in line)
    assert sum(line.strip().endswith(f"-> {box}") for line in src.splitlines()) == 1
    assert sum("-> n" in line and "mul" in line for line in src.splitlines()) == 0  # the mul is inside the box
