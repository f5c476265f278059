"""Diagnostics numbers that no other test pins, each checked by hand."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.lab import diagnostics as D
from tinygrad_init.nn.optim import SGD


def test_zero_gradients_are_histogrammed_over_minus_one_to_one():
    gen = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 5, rng=gen), nn.Tanh(), nn.Linear(5, 2, rng=gen))
    diag = D.Diagnostics(model, SGD(model.parameters(), lr=0.1), bins=10)
    (model(Tensor(gen.standard_normal((4, 3)))) * 0.0).sum().backward()  # every gradient exactly 0: std 0
    (r,) = diag.records[0]["layers"].values()
    lo, hi, counts = r["grad_hist"]
    assert r["grad_std"] == 0.0 and (lo, hi) == (-1.0, 1.0)  # the range +-4 std is empty: -1..1 instead
    assert counts.tolist() == [0] * 5 + [20] + [0] * 4  # the 4 x 5 zeros in the bin [0, 0.2)


def test_gradient_histogram_spans_plus_minus_four_stds():
    gen = np.random.default_rng(1)
    model = nn.Sequential(nn.Linear(3, 5, rng=gen), nn.Tanh())
    diag = D.Diagnostics(model, SGD(model.parameters(), lr=0.1), bins=10)
    w = gen.standard_normal((4, 5)) + 0.5
    w[0, 0] = 40.0  # beyond +4 std: counted in the last bin
    (model(Tensor(gen.standard_normal((4, 3)))) * Tensor(w)).sum().backward()  # dL/dh = w, by hand
    (r,) = diag.records[0]["layers"].values()
    s = np.std(w)
    lo, hi, counts = r["grad_hist"]
    assert np.isclose(r["grad_std"], s, rtol=1e-6) and np.allclose((lo, hi), (-4 * s, 4 * s), rtol=1e-6)
    assert counts.tolist() == np.histogram(np.clip(w, -4 * s, 4 * s), 10, (-4 * s, 4 * s))[0].tolist()


def test_histograms_count_the_finite_values_only_as_the_probes_do():
    gen = np.random.default_rng(3)
    model = nn.Sequential(nn.Linear(3, 5, rng=gen), nn.Tanh())
    diag = D.Diagnostics(model, SGD(model.parameters(), lr=0.1), bins=10)
    w = gen.standard_normal((4, 5))
    w[0, :3] = np.inf, -np.inf, np.nan  # an overflowed gradient: was counted in the edge bins of -1..1 (inf, -inf),
    finite = w[np.isfinite(w)]  # the fallback range for a std that is not finite; now +-4 std of the finite values
    with np.errstate(invalid="ignore"):
        (model(Tensor(gen.standard_normal((4, 3)))) * Tensor(w)).sum().backward()
    (r,) = diag.records[0]["layers"].values()
    lo, hi, counts = r["grad_hist"]
    m, s = finite.mean(), finite.std()
    assert np.allclose((lo, hi), (m - 4 * s, m + 4 * s)) and counts.sum() == 17  # the 17 finite entries
    assert counts.tolist() == np.histogram(finite, 10, (lo, hi))[0].tolist()


def test_gradient_figure_labels_each_layer_with_its_std_to_two_digits():
    gen = np.random.default_rng(2)
    model = nn.Sequential(nn.Linear(3, 4, rng=gen), nn.Tanh())
    diag = D.Diagnostics(model, SGD(model.parameters(), lr=0.1))
    w = np.tile([1.2345, -1.2345], (4, 2))  # dL/dh = w: mean 0, std 1.2345
    (model(Tensor(gen.standard_normal((4, 3)))) * Tensor(w)).sum().backward()
    ax = diag.plot("gradients", step=0).axes[0]
    assert [t.get_text() for t in ax.texts] == ["std 1.2"]


def test_line_figures_span_the_recorded_steps_under_their_long_titles():
    gen = np.random.default_rng(3)
    model = nn.Sequential(nn.Linear(3, 4, rng=gen), nn.Tanh(), nn.Linear(4, 1, rng=gen))
    opt = SGD(model.parameters(), lr=0.1)
    diag = D.Diagnostics(model, opt, every=2)
    for _ in range(5):  # steps 0..4: recorded at 0, 2, 4
        opt.zero_grad()
        model(Tensor(gen.standard_normal((4, 3)))).sum().backward()
        opt.step()
    titles = {"update": "update:data (log10)",  # the saturation threshold stated on the figure, as for a slide
              "fractions": "saturated (tanh, sigmoid: within 0.03 of a limit) or dead (ReLU) %"}
    for kind, title in titles.items():  # the long title, not the short one a small panel shows
        ax = diag.plot(kind).axes[0]
        assert ax.get_xlim() == (-0.5, 4.5) and ax.get_title() == title
    assert diag.plot("activations").axes[0].get_title() == "activations h, step 4"  # the record's step, not its index


def test_compare_inits_trains_eight_hidden_layers_of_100_by_default():
    cmp = D.compare_inits(rng=0, steps=1)
    for d in cmp.runs.values():
        widths = [m.weight.data.shape for m in d.model.modules() if isinstance(m, nn.Linear)]
        assert widths == [(2, 100)] + [(100, 100)] * 7 + [(100, 3)]
    for k, d in cmp.runs.items():  # batch norm's hidden layers without biases (the norm takes them out), as documented
        biased = [m.bias is not None for m in d.model.modules() if isinstance(m, nn.Linear)]
        assert biased == [k != "batch norm"] * 8 + [True], k


def test_findings_say_piled_up_only_above_half_saturated_and_average_ten_losses():
    model = nn.Sequential(nn.Linear(1, 2, rng=0), nn.Tanh(), nn.Linear(2, 1, rng=0))
    model[0].weight.data[...], model[0].bias.data[...] = [[10.0, 0.0]], 0.0  # h = (tanh 10, tanh 0): 1 of 2 saturated
    opt = SGD(model.parameters(), lr=0.1)
    diag = D.Diagnostics(model, opt)
    model(Tensor(np.ones((1, 1)))).sum().backward()
    opt.step()
    first, *_, last = D._findings({"run": diag}, {"run": [float(i) for i in range(1, 13)]})
    assert first == "Activations at the first step: run 50% of the tanh outputs saturated (|h| > 0.97; layer 1: 50%)."
    assert last.endswith("run 1 -> 7.5.")  # the first loss, then the mean of the last ten: (3 + ... + 12) / 10
    for w, u in zip(diag.weights(), (1e-3, 1e-2)):  # log10 -3 and -2: one decade apart, "within a decade"
        diag.records[0]["params"][w]["update_data"] = u
    assert D._findings({"run": diag}, {"run": [1.0]})[3].endswith(
        "(within 1 decade of each other), so one learning rate suits all its layers.")


def test_section_runs_with_seed_0_by_default():
    assert D.section(quick=True).settings["seed"] == 0  # the report's default seed, recorded with the section


def test_an_optimizer_without_params_and_step_is_refused_by_name():
    import pytest

    class NoParams:  # step() alone
        def step(self) -> None: ...

    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    for bad in (3, NoParams(), model.parameters()):
        with pytest.raises(TypeError, match=r"^Diagnostics: optimizer must have params and step\(\), like nn.optim"):
            D.Diagnostics(model, optimizer=bad)
