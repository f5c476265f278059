"""Training-time diagnostics: every number checked against numpy, and the run left exactly as it was."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from tinygrad_init import Tensor, nn, no_grad
from tinygrad_init.lab import diagnostics as D
from tinygrad_init.nn.losses import cross_entropy
from tinygrad_init.nn.optim import SGD
from tinygrad_init.utils import format_number
from lab.test_report import assert_slide_ready


def _model(seed=0, bn=False, act="tanh"):
    gen = np.random.default_rng(seed)
    mods = [nn.Linear(4, 16, init="large", rng=gen)] + ([nn.BatchNorm1d(16)] if bn else [])
    mods += [nn.ACTIVATIONS[act](), nn.Linear(16, 16, rng=gen), nn.ACTIVATIONS[act](), nn.Linear(16, 3, rng=gen)]
    return nn.Sequential(*mods)


def _data(seed=1, n=40):
    gen = np.random.default_rng(seed)
    return gen.standard_normal((n, 4)).astype(np.float32), gen.integers(0, 3, n)


def _train(model, watch, momentum=0.0, steps=6, every=1):
    X, y = _data()
    opt = SGD(model.parameters(), lr=0.3, momentum=momentum, weight_decay=0.01)
    diag = D.Diagnostics(model, opt, every=every) if watch else None
    losses = []
    for step in range(steps):
        opt.zero_grad()
        loss = cross_entropy(model(Tensor(X[step:step + 20])), y[step:step + 20])
        loss.backward()
        opt.step()
        losses.append(loss.data.copy())
        with no_grad():  # an evaluation pass: not a step
            model(Tensor(X))
    return losses, [p.data.copy() for p in model.parameters()], diag


@pytest.mark.parametrize("bn,momentum", [(False, 0.0), (True, 0.9)])
def test_watching_changes_no_number(bn, momentum):
    plain_losses, plain_weights, _ = _train(_model(bn=bn), False, momentum)
    losses, weights, diag = _train(_model(bn=bn), True, momentum)
    assert all(np.array_equal(a, b) for a, b in zip(plain_losses, losses))  # bit for bit
    assert all(np.array_equal(a, b) for a, b in zip(plain_weights, weights))
    assert diag.step == 6 and [r["step"] for r in diag.records] == list(range(6))


def test_records_match_numpy():
    model = _model()
    X, y = _data()
    opt = SGD(model.parameters(), lr=0.3)
    diag = D.Diagnostics(model, opt, bins=10)
    h1 = np.tanh(X @ model[0].weight.data + model[0].bias.data)  # the first tanh's output, by hand
    W0 = model[0].weight.data.copy()
    loss = cross_entropy(model(Tensor(X)), y)
    loss.backward()
    g0 = model[0].weight.grad.copy()
    opt.step()
    rec = diag.records[0]
    first = rec["layers"][diag.layers[0]]
    assert diag.layers == ["1", "3"] and diag.kinds == ["tanh", "tanh"]
    assert first["mean"] == pytest.approx(h1.mean(dtype=np.float64), rel=1e-5)
    assert first["std"] == pytest.approx(h1.std(dtype=np.float64), rel=1e-5)
    assert first["fraction"] == np.mean(np.abs(h1) > 0.97) > 0.1  # N(0, 1) weights: saturated
    lo, hi, counts = first["hist"]
    assert (lo, hi) == (-1.0, 1.0) and counts.tolist() == np.histogram(h1, 10, (-1, 1))[0].tolist()
    p = rec["params"]["0.weight"]
    assert p["grad_data"] == pytest.approx(g0.std() / W0.std(), rel=1e-5)
    assert p["update_data"] == pytest.approx((0.3 * g0).std() / W0.std(), rel=1e-4)
    assert rec["params"]["0.bias"]["grad_hist"] is None and p["grad_hist"][2].sum() == g0.size
    # dL/dh at the first tanh: recomputed from the second layer's weights and dL/dz
    assert first["grad_std"] > 0 and first["grad_hist"][2].sum() == h1.size
    assert diag.weights() == ["0.weight", "2.weight", "4.weight"]
    np.testing.assert_array_equal(diag.series("fraction", diag.layers[0]), [first["fraction"]])


@pytest.mark.parametrize("momentum, weight_decay", [(0.9, 0.0), (0.0, 0.1)])
def test_update_data_is_the_measured_step_for_other_optimizers(momentum, weight_decay):
    # plain SGD's update is -lr * grad; with momentum or weight decay it is not, so the step is measured
    model = _model()
    X, y = _data()
    opt = SGD(model.parameters(), lr=0.3, momentum=momentum, weight_decay=weight_decay)
    diag = D.Diagnostics(model, opt)
    for _ in range(2):  # the second step: momentum's velocity is no longer the gradient
        opt.zero_grad()
        cross_entropy(model(Tensor(X)), y).backward()
        before, g = model[0].weight.data.copy(), model[0].weight.grad.copy()
        opt.step()
    p = diag.records[-1]["params"]["0.weight"]
    step = model[0].weight.data.astype(np.float64) - before
    assert p["update_data"] == pytest.approx(step.std() / before.std(dtype=np.float64), rel=1e-4)
    assert abs(p["update_data"] - 0.3 * g.std() / before.std()) > 1e-3 * p["update_data"]  # not plain SGD's


def test_relu_dead_units_and_sigmoid_saturation():
    lin = nn.Linear(3, 4, rng=0)
    lin.weight.data[:] = 1.0
    lin.weight.data[:, 1] = -1.0  # with positive inputs and zero bias, unit 1 never fires
    model = nn.Sequential(lin, nn.ReLU())
    diag = D.Diagnostics(model)
    model(Tensor(np.abs(np.random.default_rng(0).standard_normal((8, 3))) + 0.1))
    assert diag.records[0]["layers"]["1"]["fraction"] == 0.25  # units dead for the whole batch
    sig = nn.Sequential(nn.Sigmoid())
    diag = D.Diagnostics(sig)
    sig(Tensor(np.array([[-5.0, -3.0, 0.0, 3.0, 5.0]])))  # s = 0.0067, 0.047, 0.5, 0.953, 0.9933
    assert diag.records[0]["layers"]["0"]["fraction"] == pytest.approx(0.4)


def test_every_k_steps_detach_and_errors():
    model = _model()
    losses, _, diag = _train(model, True, steps=7, every=3)
    assert [r["step"] for r in diag.records] == [0, 3, 6] and all(r["params"] for r in diag.records)
    opt = diag.optimizer
    assert "step" in vars(opt)
    diag.detach()
    assert "step" not in vars(opt) and not model._forward_hooks and not model[1]._forward_hooks
    model(Tensor(_data()[0]))
    assert diag.step == 7  # no longer counting
    with pytest.raises(TypeError, match="Diagnostics: model must be an nn.Module"):
        D.Diagnostics(lambda x: x)
    with pytest.raises(ValueError, match="Diagnostics: every must be >= 1"):
        D.Diagnostics(model, every=0)
    with pytest.raises(ValueError, match="Diagnostics: bins must be >= 2, got 1"):
        D.Diagnostics(model, bins=1)
    with pytest.raises(ValueError, match="nothing recorded"):
        D.Diagnostics(_model()).plot("update")
    with pytest.raises(ValueError, match="kind must be one of"):
        diag.plot("histogram")


def test_every_figure_draws_on_a_slide():
    _, _, diag = _train(_model(act="relu"), True, steps=18)
    for kind in D.KINDS:
        fig = diag.plot(kind, step=0)
        assert_slide_ready(fig)
        assert fig.axes[0].get_title()
    ax = diag.plot("activations", step=0).axes[0]
    notes = [t.get_text() for t in ax.texts]
    first = diag.records[0]["layers"]
    assert notes == [f"{100 * first[n]['fraction']:.0f}% dead" for n in diag.layers]  # each layer's own number
    # one line per layer, each in its own row: none can hide another
    for i, line in enumerate(ax.get_lines()):
        assert i <= line.get_ydata().min() and line.get_ydata().max() <= i + 0.85
    lines = diag.plot("update").axes[0].get_lines()
    assert [l.get_label() for l in lines] == ["layer 1", "layer 2", "output", "1e-3: rule of thumb"]
    assert len({l.get_markevery()[0] for l in lines[:-1]}) == 3  # markers staggered: each line shows its own
    assert lines[-1].get_ydata()[0] == -3.0
    with plt.style.context("dark_background"):  # on a lecturer's own dark axes the reference line was black on black
        fig, ax = plt.subplots()
        diag.plot("update", ax)
        assert ax.get_lines()[-1].get_color() == plt.rcParams["text.color"] == "white"
        plt.close(fig)
    for kind in ("colorful", "update"):  # a figure for ax: 'Figure' object has no attribute 'imshow' / 'plot'
        with pytest.raises(TypeError, match="Diagnostics.plot: ax must be a matplotlib Axes .* got Figure"):
            diag.plot(kind, diag.plot(kind))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the inf input makes nan on purpose
def test_fit_stops_at_a_non_finite_loss():
    X, y = _data()
    X[7] = np.inf
    losses, diag = D.fit(_model(), X, y, steps=50, lr=0.1, batch=8, every=5)
    assert not math.isfinite(losses[-1]) and len(losses) < 50 and diag.records
    assert all(math.isfinite(v) for v in losses[:-1])


@pytest.fixture(scope="module")
def comparison():
    return D.compare_inits(0, quick=True, depth=6, width=64, steps=40, every=2)  # the report's quick section


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_poor_init_saturates_and_the_good_ones_do_not(seed):
    # N(0, 1) weights on 64 inputs: pre-activations of std ~8, so most tanh units sit at -1 or +1 from the first step
    # (Karpathy's lecture: "too saturated"); Xavier with gain 5/3 and batch norm keep them in the linear range
    runs = D.compare_inits(seed, quick=True, depth=6, width=64, steps=1).runs
    sat = {k: np.array([d.series("fraction", n)[0] for n in d.layers]) for k, d in runs.items()}
    assert sat["poor init"].mean() > 0.5 and sat["poor init"].max() > 0.75
    assert sat["good init"].max() < 0.05 and sat["batch norm"].max() < 0.06
    grad = {k: [d.records[0]["layers"][n]["grad_std"] for n in d.layers] for k, d in runs.items()}
    assert grad["poor init"][0] / grad["poor init"][-1] > 50 > 20 > grad["good init"][0] / grad["good init"][-1]


def test_the_gradient_sentence_claims_no_order_the_weights_do_not_follow():
    # The report's section said std(dL/dh) "changes from the last layer to layer 1 by x333 (poor init); x8.3 (good
    # init); x26 (batch norm); the further the factor from 1, the more unevenly the layers learn". At seeds 0-2 the
    # poor init's factor is the furthest from 1 (|log| 5.1-7.4, batch norm's 2.9-3.2), yet batch norm's grad:data
    # spreads the wider (a factor of 122, 75, 48 against 79, 68, 38): dL/dW = x.T @ dL/dz also scales with the
    # layer's input, as visible_backprop.md teaches of 0.01*randn (dL/dh shrinks, dL/dW keeps its size)
    for seed in range(3):
        c = D.compare_inits(seed, quick=True, depth=6, width=64, steps=1)
        far, wide = {}, {}
        for k, d in c.runs.items():
            g = [d.records[0]["layers"][n]["grad_std"] for n in d.layers]
            gd = [d.records[0]["params"][w]["grad_data"] for w in d.weights()]
            far[k], wide[k] = abs(math.log(g[0] / g[-1])), max(gd) / min(gd)
        assert max(far, key=far.get) == "poor init" and max(wide, key=wide.get) == "batch norm", (far, wide)
        text = c.findings[1]
        assert "the more unevenly the layers learn" not in text, text
        assert text.endswith("how unevenly the weights learn depends on each layer's input too (dL/dW = x.T @ dL/dz): "
                             "grad:data, next, measures it."), text


def test_compare_inits_findings_are_the_numbers(comparison):
    runs, f = comparison.runs, comparison.findings
    assert len(f) == 5 and f[0].startswith("Activations at the first step: poor init ")
    sat = {k: 100 * np.mean([d.series("fraction", n)[0] for n in d.layers]) for k, d in runs.items()}
    for k, v in sat.items():
        assert f"{k} {format_number(v, 2)}% of the tanh outputs saturated" in f[0]
    assert sat["poor init"] > 50 > 5 > max(sat["good init"], sat["batch norm"])
    assert comparison.losses["poor init"][0] > 3 * comparison.losses["good init"][0]  # huge logits
    good = runs["good init"]
    ud = np.log10([np.nanmedian(good.series("update_data", param=w)) for w in good.weights()])
    assert -3.5 < ud.min() and ud.max() < -1.5  # near the rule of thumb's 1e-3
    assert f"good init {format_number(ud.min().round(2))} to {format_number(ud.max().round(2))}" in f[3]
    table = comparison.table()
    assert len(table) == 3 * 7 and table.rows[6]["layer"] == "out" and table.rows[6]["saturated_first_%"] is None
    assert table.rows[0]["grad_data_first"] == runs["poor init"].records[0]["params"]["0.weight"]["grad_data"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10))
def test_update_data_sentence_names_what_holds_over_seeds(seed):
    # The report's section named the runs "within half a decade of -3 for every matrix": good init at seeds 0, 3 and 9,
    # poor and good init at 7, poor init alone at 5, none at 1, 2, 4, 6 and 8 (good init's top matrix sits at -2.57 to
    # -2.30, on the edge -2.5), a lesson that flipped with the seed and the BLAS kernel. Over seeds 0-9 what holds is
    # the spread: good init's matrices lie within 0.36-0.49 decades of each other, poor init's 0.61-2.8, batch norm's
    # 1.5-1.6; the sentence names the narrowest from the numbers it shows
    import re

    text = D.section(seed).findings[3]
    shown = {run: float(high) - float(low) for run, low, high in
             re.findall(r"(poor init|good init|batch norm) (-?[\d.]+) to (-?[\d.]+)", text)}
    assert len(shown) == 3 and min(shown, key=shown.get) == "good init", text
    assert f"closest together: good init (within {format_number(shown['good init'], 2)} decades of each other" in text
    # and, within a decade at every one of these seeds, what that means for the learning rate
    assert text.endswith(" decades of each other), so one learning rate suits all its layers."), text


def test_loss_sentence_names_both_of_its_numbers(comparison):
    # "loss (mean of the last 10 steps) poor init 6.1 -> 0.922": the first number is the first step's loss
    loss, f = comparison.losses["poor init"], comparison.findings[4]
    assert "loss (the first step -> the mean of the last 10 steps) poor init " \
           f"{format_number(loss[0])} -> {format_number(np.mean(loss[-10:]))};" in f


def test_comparison_figures_fit_a_slide(comparison):
    for part in D.PARTS:
        fig = comparison.figure(part)
        assert_slide_ready(fig)
        assert [ax.get_title() for ax in fig.axes[:3]] == list(comparison.runs)  # a column per run
        if part == "first_step":  # the rows' layer numbers, on the first column alone
            assert [len(ax.get_yticks()) > 0 for ax in fig.axes[:3]] == [True, False, False]
    with pytest.raises(ValueError, match="part must be one of"):
        comparison.figure("everything")


def test_the_training_figure_makes_room_for_a_legend_of_several_rows():
    # from depth 7 (a line per layer, 8 a row) the legend's second row sat over the panels' "step" labels
    assert_slide_ready(D.compare_inits(0, quick=True, depth=8, width=8, steps=3, every=1).figure("training"))
    deep = D.compare_inits(0, quick=True, depth=120, width=2, steps=1, every=1)
    with pytest.raises(ValueError, match="a legend of 18 rows .* leaves no room for the panels; draw a network of "):
        deep.figure("training")


def test_compare_inits_is_deterministic(comparison):
    again = D.compare_inits(0, quick=True, depth=6, width=64, steps=10)
    first = D.compare_inits(0, quick=True, depth=6, width=64, steps=10)
    assert again.losses == first.losses and again.findings == first.findings
    assert again.losses["good init"] == comparison.losses["good init"][:10]


def test_the_report_section():
    res = D.section(3, quick=True)
    assert res.name == "diagnosis" and res.figure_names == list(D.PARTS) and res.settings["steps"] == 40
    assert (res.settings["batch"], res.settings["lr"]) == (64, 0.05)  # fit's batch and compare_inits' lr, as run
    assert res.findings == D.compare_inits(3, quick=True, depth=6, width=64, steps=40, every=2).findings


def test_values_too_large_to_square_in_float32():
    model = nn.Sequential(nn.ReLU())
    diag = D.Diagnostics(model)
    x = np.random.default_rng(0).standard_normal((50, 40)).astype(np.float32) * np.float32(1e25)
    model(Tensor(x))
    r = diag.records[0]["layers"]["0"]
    assert r["std"] == pytest.approx(np.maximum(x, 0).astype(np.float64).std(), rel=1e-6)
    assert r["hist"][0] == 0.0 and np.isfinite(r["hist"][1]) and r["hist"][2].sum() == x.size


def test_values_too_small_to_square_in_float32():
    # std 1e-25 and 1e-23: their squares underflow float32 (below 1.2e-38); the stds read 0 and 0.29e-23
    model = nn.Sequential(nn.Tanh())
    diag = D.Diagnostics(model)
    g = np.random.default_rng(0).standard_normal((2, 50, 40))
    x, up = Tensor((g[0] * 1e-25).astype(np.float32), requires_grad=True), (g[1] * 1e-23).astype(np.float32)
    model(x).backward(up)
    r = diag.records[0]["layers"]["0"]
    assert r["std"] == pytest.approx(np.tanh(x.data).astype(np.float64).std(), rel=1e-6, abs=0)
    assert r["grad_std"] == pytest.approx(up.astype(np.float64).std(), rel=1e-6, abs=0)
    # the explorer read a random init of std 1e-25 as "symmetric": every unit alike, "it can never learn"
    from tinygrad_init.lab.explorer import measure
    assert measure("tanh", "xavier_normal", 1e-25, 2, 8)["verdict"] == "vanishes"


def test_float32_gradients_near_the_float32_limit_and_an_empty_batch():
    model = nn.Sequential(nn.ReLU())
    diag = D.Diagnostics(model)
    x = Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    up = np.array([[3e38, -3e38, 1e38], [0.0, 2e38, -1e38]], np.float32)  # std ~2e38: +-4 std is past float32
    (model(x) * Tensor(up)).sum().backward()  # used to raise "Too many bins" from inside np.histogram
    r = diag.records[0]["layers"]["0"]
    assert r["grad_std"] == pytest.approx(up.astype(np.float64).std(), rel=1e-6) and r["grad_hist"][2].sum() == 6
    for act in (nn.ReLU(), nn.Tanh()):  # no samples: no std (it said 0), no dead (it said all) or saturated fraction
        diag = D.Diagnostics(model := nn.Sequential(act))
        model(Tensor(np.ones((0, 3), np.float32)))
        r = diag.records[-1]["layers"]["0"]
        assert math.isnan(r["std"]) and math.isnan(r["fraction"]) and r["hist"][2].sum() == 0


def test_two_diagnostics_on_one_optimizer_detach_in_any_order():
    # detaching the first must not take the second's wrapper off the optimizer (its parameter records would stop)
    X, y = _data()
    for first in (0, 1):
        model = _model()
        opt = SGD(model.parameters(), lr=0.1)
        pair = [D.Diagnostics(model, opt), D.Diagnostics(model, opt)]
        for detached in (None, first, 1 - first):
            if detached is not None:
                pair[detached].detach()
            opt.zero_grad()
            cross_entropy(model(Tensor(X)), y).backward()
            opt.step()
        assert [bool(r["params"]) for r in pair[1 - first].records] == [True, True]
        assert [bool(r["params"]) for r in pair[first].records] == [True]


@pytest.mark.parametrize("kwargs,fragment", [({"steps": 0}, "compare_inits: steps must be >= 1"),
                                             ({"every": 0}, "compare_inits: every must be >= 1")])
def test_compare_inits_checks_steps_and_every(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        D.compare_inits(quick=True, depth=2, width=4, **{"steps": 2, **kwargs})


def test_plot_and_series_say_what_is_missing():
    X, y = _data()
    bare = D.Diagnostics(model := _model())  # no optimizer: no parameter statistics
    cross_entropy(model(Tensor(X)), y).backward()
    for kind in ("weight_gradients", "update"):  # a TypeError from ridges(), or an empty figure
        with pytest.raises(ValueError, match=f"Diagnostics.plot: nothing to draw for '{kind}'.*optimizer"):
            bare.plot(kind)
    plain = nn.Sequential(nn.Linear(4, 3))
    opt = SGD(plain.parameters(), lr=0.1)
    linear = D.Diagnostics(plain, opt)
    cross_entropy(plain(Tensor(X)), y).backward()
    opt.step()
    for kind in ("activations", "gradients", "colorful", "fractions"):  # TypeError, numpy's concatenate error
        with pytest.raises(ValueError, match=f"Diagnostics.plot: nothing to draw for '{kind}'.*Tanh, Sigmoid or ReLU"):
            linear.plot(kind)
    with pytest.raises(IndexError, match="Diagnostics.plot: step 5 is out of range for 1 recorded step"):
        bare.plot("activations", step=5)
    with pytest.raises(KeyError, match="Diagnostics.series: no layer 'x'; the layers are 1, 3"):
        bare.series("std", "x")  # was all NaN
    with pytest.raises(KeyError, match="Diagnostics.series: no key 'sd'"):
        bare.series("sd", "1")
    np.testing.assert_allclose(bare.series("std", "1"), [bare.records[0]["layers"]["1"]["std"]])
    forward_only = D.Diagnostics(model := _model())
    model(Tensor(X))
    with pytest.raises(ValueError, match="nothing to draw for 'gradients' at step 0: no gradient"):
        forward_only.plot("gradients")


def test_fit_takes_its_hooks_off_when_the_model_raises():
    model = _model()
    X, y = _data()
    with pytest.raises(ValueError, match="features"):
        D.fit(model, X[:, :3], y, steps=2, lr=0.1, every=1)  # 3 features for a Linear(4, ...)
    assert not any(m._forward_hooks for m in model.modules())  # the Diagnostics' hooks stayed on the model


def test_the_default_depth_draws_the_output_unlike_layer_1():
    fig = D.compare_inits(0, steps=2, width=8).figure("training")  # depth 8: eight layers and the output
    looks = [(line.get_color(), line.get_marker()) for line in fig.axes[0].lines]  # and the 1e-3 rule
    assert len(looks) == len(set(looks)) == 10  # 'output' once had layer 1's colour and marker


@pytest.mark.parametrize("kwargs,error,fragment", [
    ({"batch": 0}, ValueError, "fit: batch must be >= 1, got 0"),  # was a silent nan loss from an empty batch
    ({"batch": 2.5}, TypeError, "fit: batch must be a whole number"),  # numpy's 'expected a sequence of integers'
    ({"y": np.zeros(5, int)}, ValueError,
     r"fit: X must be \(n, features\) and y hold one label per example, n >= 1, got shapes \(40, 4\) and \(5,\)")])
def test_fit_checks_batch_and_labels(kwargs, error, fragment):
    X, y = _data()
    with pytest.raises(error, match=fragment):
        D.fit(_model(), X, kwargs.pop("y", y), 2, 0.1, **kwargs)
    with pytest.raises(TypeError, match="fit: model must be an nn.Module, got list"):  # 'list' has no 'parameters'
        D.fit([_model()], X, y, 2, 0.1)


@pytest.mark.parametrize("lr,error", [(-0.1, ValueError), (0.0, ValueError), ("0.1", TypeError)])
def test_fit_names_itself_for_a_bad_lr(lr, error):
    X, y = _data()  # the message named SGD, which the caller never called
    with pytest.raises(error, match=r"^fit: lr must be"):
        D.fit(_model(), X, y, 2, lr)


def test_fit_takes_lists_as_arrays():
    X, y = _data()  # X as a list stopped at X[idx] with 'only integer scalar arrays can be converted to a scalar index'
    X = X.astype(np.float64)  # what numpy reads the list as
    assert D.fit(_model(), X.tolist(), y.tolist(), 3, 0.1, batch=8)[0] == D.fit(_model(), X, y, 3, 0.1, batch=8)[0]


@pytest.mark.parametrize("step,error,fragment", [(1.5, TypeError, "Diagnostics.plot: step must be a whole number"),
                                                 ("0", TypeError, "Diagnostics.plot: step must be a whole number"),
                                                 (1, IndexError, "Diagnostics.plot: step 1 is out of range for 1 "),
                                                 (-2, IndexError, "Diagnostics.plot: step -2 is out of range for 1 ")])
def test_plot_checks_its_step(step, error, fragment):
    X, y = _data()
    d = D.Diagnostics(model := _model())
    cross_entropy(model(Tensor(X)), y).backward()
    with pytest.raises(error, match=fragment):  # Python's 'list indices must be integers' or a '<=' TypeError
        d.plot("activations", step=step)


def test_compare_inits_checks_quick():
    with pytest.raises(TypeError, match="compare_inits: quick must be True or False"):  # "no" ran the quick run
        D.compare_inits(quick="no", depth=2, width=4, steps=2)
    with pytest.raises(TypeError, match="^section: quick must be True or False"):  # named compare_inits, not called
        D.section(quick="no")


@pytest.mark.parametrize("given, error, message", [
    ({"depth": 0}, ValueError, "depth must be >= 1, got 0"), ({"width": 2.5}, TypeError, "width must be a whole"),
    ({"lr": -1}, ValueError, "lr must be > 0, got -1")])
def test_compare_inits_names_itself_for_its_sizes_and_lr(given, error, message):
    # depth=0 was refused as "deep_mlp: depth must be >= 1", lr=-1 as "fit: lr must be > 0": functions not called
    with pytest.raises(error, match=f"^compare_inits: {message}"):
        D.compare_inits(quick=True, steps=1, **given)


def test_weight_gradients_of_a_step_without_an_optimizer_step_say_so():
    X, y = _data()
    opt = SGD((model := _model()).parameters(), lr=0.1)
    d = D.Diagnostics(model, opt)
    cross_entropy(model(Tensor(X)), y).backward()
    opt.step()
    model(Tensor(X))  # a forward in training mode and no step: the last record has no parameters
    with pytest.raises(ValueError, match="nothing to draw for 'weight_gradients' at step 1: .*optimizer.step()"):
        d.plot("weight_gradients")  # was a KeyError '0.weight'
    assert d.plot("weight_gradients", step=0)


def test_a_detached_diagnostics_and_its_model_are_freed_without_a_gc_run():
    # the wrapped step (a bound method of the Diagnostics, kept on it) made a cycle: after diagnostics.fit, each
    # model of a sweep, its optimizer and the Diagnostics' buffers stayed in memory until the cycle collector ran
    import gc
    import weakref

    X, y = _data()
    gc.disable()
    try:
        model = _model()
        _, diag = D.fit(model, X, y, steps=2, lr=0.1, every=1)
        refs = [weakref.ref(model), weakref.ref(diag)]
        del model, diag
        assert [r() for r in refs] == [None, None]
    finally:
        gc.enable()


@pytest.mark.parametrize("watcher", ["diagnostics", "probe"])
def test_a_watcher_let_go_without_detach_stops_watching_and_frees_everything_without_a_gc_run(watcher):
    # a notebook cell `diag = Diagnostics(model, opt)` run again: the model's hooks kept each earlier Diagnostics
    # recording every step (three of them: 11 MB over 500 steps; so did its gradient hooks on the loss a notebook
    # keeps), and a model dropped with its watcher attached was a cycle (model -> hook -> watcher -> model) that only
    # the collector freed
    import gc
    import weakref

    from tinygrad_init.lab.probe import Probe

    X, y = _data()
    model = _model()
    opt = SGD(model.parameters(), lr=0.1)

    def step(model, opt):
        opt.zero_grad()
        (loss := cross_entropy(model(Tensor(X)), y)).backward()
        opt.step()
        return loss  # kept, as a notebook keeps its last loss: its graph holds the gradient hooks

    gc.collect()
    gc.disable()
    try:
        watch = D.Diagnostics(model, opt) if watcher == "diagnostics" else Probe(model, lr=0.1)
        loss = step(model, opt)
        kept = watch.records  # a Diagnostics' list grows by a record a step
        ref, seen = weakref.ref(watch), len(kept)
        del watch
        loss = step(model, opt)
        assert ref() is None and len(kept) == seen and "step" not in vars(opt)
        assert not any(m._forward_hooks for m in model.modules()) and all(p._hooks in (None, []) for p in
                                                                           model.parameters())
        watch = D.Diagnostics(model, opt) if watcher == "diagnostics" else Probe(model, lr=0.1)
        loss = step(model, opt)
        refs = [weakref.ref(x) for x in (model, opt, watch)]
        del model, opt, watch, loss
        assert [r() for r in refs] == [None, None, None] and gc.collect() == 0
    finally:
        gc.enable()


def test_a_diagnostics_let_go_under_a_later_one_passes_the_step_through():
    # the later one wrapped the first's optimizer.step: the first, gone, still passes the step on, and a copy of the
    # optimizer (a checkpoint) takes the step it wrapped
    import copy

    X, y = _data()
    model = _model()
    opt = SGD(model.parameters(), lr=0.1)
    first, later = D.Diagnostics(model, opt), D.Diagnostics(model, opt)
    del first
    before = model[0].weight.data.copy()
    for _ in range(2):
        opt.zero_grad()
        cross_entropy(model(Tensor(X)), y).backward()
        opt.step()
    assert not np.array_equal(before, model[0].weight.data) and all(r["params"] for r in later.records)
    later.detach()
    twin, twin_opt = copy.deepcopy((model, opt))
    before = twin[0].weight.data.copy()
    cross_entropy(twin(Tensor(X)), y).backward()
    twin_opt.step()
    assert not np.array_equal(before, twin[0].weight.data) and len(later.records) == 2


def test_series_without_a_layer_is_every_layer():
    X, y = _data()
    losses, d = D.fit(_model(), X, y, 3, 0.1, every=1)  # series("fraction") raised "no layer None"
    np.testing.assert_array_equal(d.series("fraction"), [d.series("fraction", n) for n in d.layers])
    names = [n for n, _ in d.model.named_parameters()]
    np.testing.assert_array_equal(d.series("update_data"), [d.series("update_data", param=n) for n in names])
    assert d.series("std").shape == (len(d.layers), len(d.records)) == (2, 3)


@pytest.mark.parametrize("kwargs", [{"X": None}, {"y": None}, {"X": np.zeros(40)},
                                    {"X": np.zeros((0, 4)), "y": np.zeros(0, int)},  # no examples: was a nan loss
                                    {"X": np.zeros((40, 4, 1))}])
def test_fit_of_no_data_names_it(kwargs):
    X, y = _data()  # was 'len() of unsized object'
    with pytest.raises(ValueError, match=r"fit: X must be \(n, features\) and y hold one label per example"):
        D.fit(_model(), kwargs.get("X", X), kwargs.get("y", y), 2, 0.1)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_accuracy_of_a_diverged_model_is_nan_not_a_coin_flip():
    from tinygrad_init.lab.training import accuracy
    model, X = nn.MLP([2, 4, 1], activation="tanh", rng=0), np.random.default_rng(0).standard_normal((10, 2))
    y = (X[:, 0] > 0).astype(int)
    assert accuracy(model, X, y) == np.mean((model(Tensor(X)).data[:, 0] > 0) == (y == 1))
    model.linears()[-1].weight.data[...] = np.nan  # every logit nan: it read 0.6, the share of label 0
    assert math.isnan(accuracy(model, X, y))
    with pytest.raises(ValueError, match=r"accuracy: y must .* per row of X \(n >= 1, features\).* X of shape \(\)"):
        accuracy(model, None, y)
    for other in ("mlp", Tensor(X), X):  # each raised Python's "'str' object is not callable" (a Tensor: "'Tensor'")
        with pytest.raises(TypeError, match="accuracy: model must be an nn.Module"):
            accuracy(other, X, y)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_a_layer_of_nan_activations_is_neither_dead_nor_saturated(act):
    model = _model(act=act)
    diag = D.Diagnostics(model)
    model(Tensor(np.full((8, 4), np.nan, np.float32)))  # a diverged run: every h is nan
    model(Tensor(np.ones((8, 4), np.float32)))
    first, second = ([r["layers"][n]["fraction"] for n in diag.layers] for r in diag.records)
    assert all(math.isnan(f) for f in first)  # relu read 100% dead, tanh 0% saturated
    assert not any(math.isnan(f) for f in second)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_the_time_plots_of_a_diverged_run_span_every_recorded_step():
    model = _model(act="relu")
    diag = D.Diagnostics(model, opt := SGD(model.parameters(), lr=1e6))
    X, y = _data()
    for _ in range(8):  # nan from step 3 on: the figures' x axes ended at step 2, as if nothing came after
        opt.zero_grad()
        cross_entropy(model(Tensor(X)), y).backward()
        opt.step()
    assert np.isnan(diag.series("fraction")[:, -1]).all()
    for kind in ("update", "fractions", "colorful"):
        lo, hi = diag.plot(kind).axes[0].get_xlim()
        assert lo <= 0 and hi >= 7


def test_an_update_of_exactly_zero_is_minus_infinity_on_the_log_scale_not_minus_300():
    c = D.compare_inits(0, depth=3, width=16, steps=30, every=2, lr=1e4)  # saturated tanh: float32 passes 0 gradient
    logs = c.table().column("update_data_log10_median")
    assert np.isneginf(logs).any() and -300 not in logs  # read as an update 1e-300 of the weights
    assert "poor init -inf to" in c.findings[3] and "-300" not in c.findings[3]


def test_the_time_plots_of_twenty_layers_keep_their_legend_off_the_axis():
    gen = np.random.default_rng(0)
    model = nn.Sequential(*[m for _ in range(20) for m in (nn.Linear(4, 4, rng=gen), nn.Tanh())], nn.Linear(4, 3))
    X, y = _data()
    _, diag = D.fit(model, X, y, 2, 0.1, every=1)
    for kind in ("update", "fractions"):  # 21 legend entries in 5 rows ran over the step axis and its label
        assert_slide_ready(diag.plot(kind))


def test_compare_inits_records_about_50_times_by_default():
    # the docstring: recorded every `every` steps, default about 50 times: 100 steps, every 2nd, steps 0, 2, ..., 98
    runs = D.compare_inits(0, depth=2, width=4, steps=100).runs
    assert list(runs) == ["poor init", "good init", "batch norm"]  # all() over no run would hold too
    assert all([r["step"] for r in d.records] == list(range(0, 100, 2)) for d in runs.values())
    quick = D.compare_inits(0, quick=True, depth=1, width=2)  # 60 steps, each recorded
    assert all([r["step"] for r in d.records] == list(range(60)) for d in quick.runs.values())


def test_fit_trains_a_model_with_frozen_parameters_and_leaves_them_alone():
    X, y = _data()  # SGD refused the frozen weight, telling the user to pass the trainable ones, which fit cannot take
    model, ref = _model(), _model()
    model[0].weight.requires_grad = ref[0].weight.requires_grad = False
    frozen = model[0].weight.data.copy()
    losses, diag = D.fit(model, X, y, 3, 0.1, batch=8, every=1)
    np.testing.assert_array_equal(model[0].weight.data, frozen)
    gen, opt, by_hand = np.random.default_rng(0), SGD([p for p in ref.parameters() if p.requires_grad], lr=0.1), []
    for _ in range(3):  # the same loop by hand, on the trainable parameters only
        idx = gen.integers(0, len(X), size=8)
        opt.zero_grad()
        loss = cross_entropy(ref(Tensor(X[idx])), y[idx])
        by_hand.append(loss.item())
        loss.backward()
        opt.step()
    assert losses == by_hand and "0.weight" not in diag.weights() and "2.weight" in diag.weights()
    for p in model.parameters():
        p.requires_grad = False  # SGD's 'pass model.parameters()', which fit takes no part in
    with pytest.raises(ValueError, match="fit: the model has no parameter with requires_grad=True to train"):
        D.fit(model, X, y, 3, 0.1)


def test_fit_trains_a_model_left_in_eval_mode_and_gives_it_back_so():
    X, y = _data()  # it recorded nothing and batch norm normalized by its running statistics (all zero): no training
    model, ref = _model(bn=True).eval(), _model(bn=True)
    losses, diag = D.fit(model, X, y, 2, 0.1, batch=8, every=1)
    assert (losses, len(diag.records)) == (D.fit(ref, X, y, 2, 0.1, batch=8)[0], 2) and not model.training
    np.testing.assert_array_equal(model[1].running_mean, ref[1].running_mean)
    assert np.abs(ref[1].running_mean).max() > 0 and not any(m.training for m in model.modules())


def test_the_gradient_sentence_does_not_call_a_shrinking_gradient_growing():
    c = D.compare_inits(rng=0, depth=2, width=3, steps=1, every=1)  # seed 0: the poor init's factor is 0.95
    factors = {k: d.records[0]["layers"][d.layers[0]]["grad_std"] / d.records[0]["layers"][d.layers[-1]]["grad_std"]
               for k, d in c.runs.items()}
    assert all(f"x{format_number(v, 2)} ({k})" in c.findings[1] for k, v in factors.items())
    assert min(factors.values()) < 1 < max(factors.values()) and "grows" not in c.findings[1]  # read 'grows by x0.95'


def test_a_subclass_of_an_activation_is_watched_as_its_base():
    # a student's class MyTanh(nn.Tanh) got no row (the layers were picked by exact type), silently
    class MyTanh(nn.Tanh):
        pass

    x = Tensor(np.array([[-5.0, -0.5, 0.0, 0.5, 5.0]]))
    diag = D.Diagnostics(nn.Sequential(MyTanh()))
    diag.model(x)
    assert diag.layers == ["0"] and diag.kinds == ["tanh"]
    assert diag.records[0]["layers"]["0"]["fraction"] == pytest.approx(0.4)  # |tanh(5)| = 0.99991 > 0.99: 2 of 5


def test_one_activation_module_for_two_layers_is_refused_not_read_as_one_layer():
    # a Tanh shared by two layers (as a custom Module's one self.act in a loop) was watched as one layer: the
    # second call overwrote the first, and the first layer's statistics were lost without a word
    act = nn.Tanh()
    model = nn.Sequential(nn.Linear(4, 8), act, nn.Linear(8, 8), act)
    diag = D.Diagnostics(model)
    with pytest.raises(ValueError, match="Diagnostics: the Tanh module '1' ran twice in one forward pass .one module "
                                         "for two layers.* give each its own module"):
        model(Tensor(np.ones((2, 4), np.float32)))
    diag.detach()


def test_update_data_of_every_step_with_momentum_is_the_measured_step():
    # each step's update is measured against a copy of the weights taken just before it, step after step
    model = _model()
    X, y = _data()
    opt = SGD(model.parameters(), lr=0.3, momentum=0.9)
    diag, expected = D.Diagnostics(model, opt), []
    for _ in range(4):
        opt.zero_grad()
        cross_entropy(model(Tensor(X)), y).backward()
        before = model[0].weight.data.astype(np.float64)
        opt.step()
        expected.append((model[0].weight.data - before).std() / before.std())
    np.testing.assert_allclose([r["params"]["0.weight"]["update_data"] for r in diag.records], expected, rtol=1e-4)


def test_each_plot_kind_is_one_panel_and_fit_names_a_bad_steps_or_batch():
    _, _, diag = _train(_model(), True)
    figures = {kind: diag.plot(kind) for kind in D.KINDS}
    assert {kind: len(fig.axes) for kind, fig in figures.items()} == {kind: 1 for kind in D.KINDS}  # no empty panel
    labels = {kind: (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) for kind, fig in figures.items()}
    assert all(x and y for x, y in labels.values()), labels  # a slide's axes say what they show
    assert labels["activations"][0] == "h" and labels["weight_gradients"][0] == "dL/dW"
    with pytest.raises(ValueError, match=r"fit: steps must be >= 0, got -1"):
        D.fit(_model(), *_data(), steps=-1, lr=0.1)
    with pytest.raises(ValueError, match=r"fit: batch must be >= 1, got 0"):
        D.fit(_model(), *_data(), steps=1, lr=0.1, batch=0)


def test_the_colorful_plot_labels_each_band_by_its_layer_number_at_its_middle():
    _, _, diag = _train(_model(), True)
    ax = diag.plot("colorful").axes[0]
    n = len(diag.layers)  # the image spans 0..n on y, one band per layer, layer 1 at the bottom
    np.testing.assert_allclose(ax.get_yticks(), np.arange(n) + 0.5)
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(i) for i in range(1, n + 1)]


@pytest.mark.parametrize("seed", range(5))
def test_fit_refuses_a_one_logit_model_instead_of_training_nothing(seed):
    # fit trains by cross-entropy over the model's outputs; a 2-4-1 model (one logit, as for
    # binary_cross_entropy_with_logits) has log_softmax 0: the loss read 0.0 at every step and no weight moved, for a
    # batch whose labels were all 0 (a label 1 got cross_entropy's "[0, 1) for 1 classes")
    from tinygrad_init.data import moons

    X, y = moons(32, rng=seed)
    one = nn.MLP([2, 4, 1], activation="tanh", rng=seed)
    for labels in (np.zeros_like(y), y):
        with pytest.raises(ValueError, match=r"fit: the model gives logits of shape \(\d+, 1\); the cross-entropy "
                                             r"needs \(n, classes\) with classes >= 2"):
            D.fit(one, X, labels, steps=3, lr=0.1, rng=seed)
    two = nn.MLP([2, 4, 2], activation="tanh", rng=seed)
    losses, _ = D.fit(two, X, y, steps=3, lr=0.1, rng=seed)
    assert len(losses) == 3 and all(v > 0.1 for v in losses)


def test_a_diagnostics_and_the_comparison_holding_it_print_what_they_watched_and_no_memory_address(comparison):
    # repr(compare_inits(...)), a notebook cell's output, showed each run as '<...Diagnostics object at 0x7f...>', an
    # address that changes with every run of the cell (a regenerated slide or notebook differs by it)
    model = _model()
    *_, diag = _train(model, True, steps=3, every=2)
    assert repr(diag) == "Diagnostics(Sequential, 2 layers watched (tanh), 3 steps, 2 records, every=2, attached)"
    diag.detach()
    assert repr(diag).endswith("every=2, detached)")
    assert repr(D.Diagnostics(nn.Sequential())) == (
        "Diagnostics(Sequential, 0 layers watched, 0 steps, 0 records, every=1, attached)")
    text = repr(comparison)
    assert "object at" not in text and "'poor init': Diagnostics(Sequential, 6 layers watched (tanh), 40 steps" in text
