"""The probe's smaller promises: a layer called on its own output, the title's batch, saturation, old records."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.probe import Probe, probe_model


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


def test_saturated_counts_tanh_beyond_0_99_not_at_it():
    # |tanh| > 0.99: z with tanh(z) = 0.99 exactly in float64 sits at the edge, not beyond; tanh(3) = 0.995 beyond
    z = np.arctanh(0.99)
    z = next(v for v in (z + k * np.spacing(z) for k in range(-50, 51)) if np.tanh(v) == 0.99)
    lin = nn.Linear(1, 1, bias=False, rng=0, dtype=np.float64)
    lin.weight.data[...] = 1.0
    model = nn.Sequential(lin, nn.Tanh())
    with Probe(model) as probe:
        model(Tensor(np.array([[z], [-z], [0.0], [3.0]])))
    assert probe.stats("forward")["saturated"] == [0.25]


def test_the_saturation_note_comes_with_its_columns_only():
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh())
    with Probe(model) as probe:
        model(Tensor(np.ones((4, 2), dtype=np.float32)))
    note = "saturated: entries within 0.01 of a limit of tanh or sigmoid"
    assert any(n.startswith(note) for n in probe.stats("forward").notes)
    assert any(n.startswith(note) for n in probe.stats(["layer", "dead"]).notes)
    assert not any(n.startswith(note) for n in probe.stats(["layer", "module", "w_std"]).notes)


def test_a_new_pass_lets_the_records_of_the_last_one_go():
    # each pass hooks the weights' gradients; the next pass removes those hooks, so the old records (their
    # histograms, with keep_arrays their arrays) are freed however many steps a training loop runs
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh())
    with Probe(model, keep_arrays=True) as probe:
        model(Tensor(np.ones((4, 2), dtype=np.float32))).sum().backward()
        first = weakref.ref(probe.records["0"])
        model(Tensor(np.ones((4, 2), dtype=np.float32))).sum().backward()
        gc.collect()
        assert first() is None and list(probe.records) == ["0"]


def test_a_layer_given_its_input_by_keyword_is_probed_as_any_other():
    lin = nn.Linear(2, 3, rng=0, dtype=np.float64)
    X = np.random.default_rng(1).standard_normal((4, 2))
    with Probe(lin) as probe:
        lin(x=Tensor(X)).sum().backward()
    z = X @ lin.weight.data + lin.bias.data
    table = probe.stats()
    assert table["pre_std"] == pytest.approx([z.std()], rel=1e-12)
    assert table["grad_w_norm"] == pytest.approx([np.linalg.norm(X.T @ np.ones((4, 3)))], rel=1e-12)


def test_a_0d_array_for_hist_range_or_columns_is_named() -> None:
    # hist_range=np.array(1.0) raised Python's "len() of unsized object"; columns as a 0-d array "unhashable type"
    model, x = nn.MLP([3, 4, 2], rng=0), np.random.default_rng(0).standard_normal((5, 3))
    with pytest.raises(ValueError, match="Probe: hist_range must be finite"):
        Probe(model, hist_range=np.array(1.0))
    for columns in (np.array(3), np.array("act_std")):
        with pytest.raises(ValueError, match="^probe_model: unknown column"):  # the function called
            probe_model(model, x, columns=columns)


@pytest.mark.parametrize("kw, message", [({"columns": "fwd"}, "^probe_model: unknown column group 'fwd'"),
                                         ({"columns": ["act_sd"]}, r"^probe_model: unknown column\(s\) \['act_sd'\]"),
                                         ({"hist_bins": 0}, "^probe_model: hist_bins must be >= 1")])
def test_probe_model_names_itself_for_its_columns_and_probe_arguments(kw, message) -> None:
    # read 'Probe.stats: ...' and 'Probe: ...', a method and a class the user never called
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh())
    with pytest.raises(ValueError, match=message):
        probe_model(model, np.ones((2, 3)), **kw)
