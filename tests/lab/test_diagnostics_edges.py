"""Diagnostics at the edges of use: before any step, after a stopped forward pass, copied, on a 0-d tensor."""

from __future__ import annotations

import copy
import math
import pickle

import re

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
    diag.optimizer.step()  # before any forward pass: no gradient to step by, no record to fill (was an IndexError)
    assert diag.records == [] and diag.series("mean").shape == (2, 0) and diag.series("fraction", "3").shape == (0,)
    assert diag.series("grad_data").shape == (6, 0) and diag.series("update_data", param="0.weight").shape == (0,)
    assert diag.weights() == []


def test_a_pass_in_eval_mode_is_no_step_and_is_not_recorded():
    model = _net()
    diag = D.Diagnostics(model)
    model.eval()(Tensor(np.ones((2, 4), np.float32)))  # gradients on, but in eval mode: no step (the docstring)
    assert diag.records == [] and diag.step == 0


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


class _Flaky(nn.Module):
    def __init__(self):
        super().__init__()
        self.net, self.broken = _net(), True

    def forward(self, x):
        h = self.net[1](self.net[0](x))
        if self.broken:
            raise KeyboardInterrupt  # a notebook's interrupt, or a bug after the first layer
        return self.net[4](self.net[3](self.net[2](h)))


def test_a_forward_pass_stopped_by_an_error_does_not_refuse_the_next_ones():
    # the stopped pass left its first layer in the record: every later pass was refused as "the Tanh module 'net.1'
    # ran twice in one forward pass", and the model could not be used until detach()
    model, twin = _Flaky(), _Flaky()
    twin.net = copy.deepcopy(model.net)
    opt, twin_opt = SGD(model.parameters(), lr=0.1), SGD(twin.parameters(), lr=0.1)
    diag, twin_diag = D.Diagnostics(model, opt), D.Diagnostics(twin, twin_opt)
    with pytest.raises(KeyboardInterrupt):
        model(Tensor(np.ones((6, 4), np.float32)))
    model.broken = twin.broken = False
    for _ in range(3):
        _step(model, opt)
        _step(twin, twin_opt)
    assert [r["step"] for r in diag.records] == [0, 1, 2] and diag.step == 3
    for a, b in zip(diag.records, twin_diag.records):  # the retried step records what an unbroken one does
        assert a["layers"]["net.1"]["mean"] == b["layers"]["net.1"]["mean"]
        assert a["layers"]["net.3"]["grad_std"] == b["layers"]["net.3"]["grad_std"]
        assert a["params"]["net.0.weight"]["update_data"] == b["params"]["net.0.weight"]["update_data"]


def test_a_module_shared_by_two_layers_is_still_refused_at_every_pass():
    act = nn.Tanh()
    model = nn.Sequential(nn.Linear(4, 8), act, nn.Linear(8, 8), act)
    diag = D.Diagnostics(model)  # (a Diagnostics let go stops watching)
    for _ in range(2):
        with pytest.raises(ValueError, match="the Tanh module '1' ran twice in one forward pass"):
            model(Tensor(np.ones((2, 4), np.float32)))
    assert diag.step == 0


def test_a_model_called_with_keywords_is_watched():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin, self.act = nn.Linear(3, 3), nn.Tanh()

        def forward(self, x, scale=1.0):
            return self.act(self.lin(x) * scale)

    diag = D.Diagnostics(model := Scaled())
    out = model(Tensor(np.ones((2, 3))), scale=2.0)
    assert diag.step == 1 and diag.records[0]["layers"]["act"]["mean"] == pytest.approx(out.data.mean())


@pytest.mark.parametrize("copier", [copy.deepcopy, lambda d: pickle.loads(pickle.dumps(d))])
def test_a_copied_diagnostics_files_the_copys_steps_under_the_names_it_lists(copier):
    # the copy looked its parameters up by the originals' ids: those of a model inside another ("enc") were filed as
    # "enc.0.weight" while weights() listed "0.weight", so series() read nan and the update plot lost them
    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = _net()

    model = Outer().enc
    opt = SGD(model.parameters(), lr=0.1)
    diag = D.Diagnostics(model, opt)
    _step(model, opt)
    twin = copier(diag)
    _step(twin.model, twin.optimizer)
    assert twin.weights() == ["0.weight", "2.weight", "4.weight"] and len(twin.records) == 2
    assert np.isfinite([twin.series("update_data", param=w) for w in twin.weights()]).all() and len(diag.records) == 1
    twin.detach()
    _step(twin.model, twin.optimizer)
    assert len(twin.records) == 2 and "forward" not in vars(twin.model) and "step" not in vars(twin.optimizer)


def test_detach_gives_the_model_and_optimizer_back_as_they_were():
    model = _net()
    opt = SGD(model.parameters(), lr=0.1)
    before = (dict(vars(model)), dict(vars(opt)))
    diag = D.Diagnostics(model, opt)
    diag.detach()
    diag.detach()
    assert (vars(model), vars(opt)) == before and all(not m._forward_hooks for m in model.modules())


def test_fit_with_a_batch_larger_than_the_data_draws_as_many_examples_as_there_are():
    x, y = np.linspace(-2, 2, 20).reshape(5, 4), np.array([0, 1, 2, 0, 1])  # the docstring: min(batch, n) a step
    assert D.fit(_net(), x, y, 2, 0.1)[0] == D.fit(_net(), x, y, 2, 0.1, batch=5)[0]


def test_a_parameter_without_a_gradient_is_stepped_over_and_left_out_of_the_record():
    model = _net()
    diag = D.Diagnostics(model, opt := SGD(model.parameters(), lr=0.1))
    cross_entropy(model(Tensor(np.ones((6, 4), np.float32))), [0, 1, 2, 0, 1, 2]).backward()
    model[4].bias.grad = None  # as a layer the pass did not reach: SGD steps over it
    opt.step()
    assert "4.bias" not in diag.records[0]["params"] and "4.weight" in diag.records[0]["params"]


def test_a_notebook_cell_run_again_leaves_one_wrapper_on_the_model():
    # each Diagnostics let go is detached; the later one, above it, then calls the model's own forward directly
    model = _net()
    for _ in range(3):
        diag = D.Diagnostics(model)
    assert vars(model)["forward"].args == (type(model).forward.__get__(model),) and diag.step == 0


def test_section_names_itself_for_a_bad_seed():
    with pytest.raises(ValueError, match="^section: rng as a seed must be a non-negative integer"):
        D.section(rng=-1)


def test_fit_names_itself_for_a_bad_every():
    x, y = np.ones((4, 4), np.float32), np.zeros(4, int)
    with pytest.raises(ValueError, match="^fit: every must be >= 1, got 0"):  # was "Diagnostics: every ..."
        D.fit(_net(), x, y, 2, 0.1, every=0)
    with pytest.raises(TypeError, match="^fit: every must be a whole number"):
        D.fit(_net(), x, y, 2, 0.1, every=1.5)


def test_compare_inits_refuses_one_unit_whose_weights_have_no_std():
    # 1 x 1 hidden weights have std 0: grad:data and update:data read nan, and the findings said "nan to nan ...
    # closest together: poor init (within nan decades of each other), so one learning rate suits all its layers"
    with pytest.raises(ValueError, match=r"^compare_inits: width must be >= 2 \(a 1 x 1 weight matrix has no std\)"):
        D.compare_inits(quick=True, depth=2, width=1, steps=2)


def test_one_learning_rate_suits_all_layers_only_within_a_decade():
    # Two units wide, the evenest run's matrices lay 1.2 decades apart (a factor of 16), and the finding still said
    # "so one learning rate suits all its layers"
    text = D.compare_inits(quick=True, depth=2, width=2, steps=2).findings[3]
    spread = float(re.search(r"within ([\d.]+) decades of each other", text).group(1))
    assert spread > 1 and "so even there no one learning rate suits all its layers." in text \
        and "so one learning rate" not in text, text


def test_the_colorful_plot_of_a_pass_stopped_midway_shows_the_layers_it_reached():
    # KeyError 'net.3': the record of a pass stopped after its first layer has no later layer
    model = _Flaky()
    diag = D.Diagnostics(model, opt := SGD(model.parameters(), lr=0.1))
    model.broken = False
    _step(model, opt)
    model.broken = True
    with pytest.raises(KeyboardInterrupt):
        model(Tensor(np.ones((6, 4), np.float32)))
    image = diag.plot("colorful").axes[0].get_images()[0].get_array()
    assert image.shape == (2 * diag.bins, 2) and image[diag.bins:, 1].sum() == 0 < image[:diag.bins, 1].sum()
    np.testing.assert_allclose(image[:, 0], np.log1p(np.concatenate([diag.records[0]["layers"][n]["hist"][2]
                                                                     for n in diag.layers])))


def test_a_comparison_figure_part_in_capitals_is_the_same_slide():
    # check_choice takes "First_Step" for "first_step", but the layout read the part as given: the first step's
    # histograms were drawn with the training run's shared axes and margins
    c = D.compare_inits(quick=True, depth=2, width=4, steps=2)
    same, upper = c.figure("first_step"), c.figure("First_Step")
    assert [ax.get_position().bounds for ax in upper.axes] == [ax.get_position().bounds for ax in same.axes]


def test_an_optimizer_whose_step_takes_arguments_still_gets_them():
    # a student's optimizer, step(scale=...): the wrapper took no argument, and the training loop raised TypeError
    class Scaled(SGD):
        def step(self, scale=1.0):
            for p in self.params:
                p.data -= scale * self.lr * p.grad

    model, twin = _net(), _net()
    opt, twin_opt = Scaled(model.parameters(), lr=0.1), Scaled(twin.parameters(), lr=0.1)
    diag = D.Diagnostics(model, opt)
    for m, o in ((model, opt), (twin, twin_opt)):
        o.zero_grad()
        cross_entropy(m(Tensor(np.ones((6, 4), np.float32))), [0, 1, 2, 0, 1, 2]).backward()
        o.step(scale=0.5)
    assert all(np.array_equal(a.data, b.data) for a, b in zip(model.parameters(), twin.parameters()))
    assert diag.records[0]["params"]["0.weight"]["update_data"] > 0
    w0 = _net()[0].weight.data.astype(np.float64)  # the weights before the step (the same seeds)
    assert diag.records[0]["params"]["0.weight"]["update_data"] == pytest.approx(  # the measured step: a subclass of
        (model[0].weight.data - w0).std() / w0.std(), rel=1e-4)  # SGD may step otherwise than lr * grad


@pytest.mark.parametrize("act, x_scale, loss_scale", [(nn.ReLU, 1e-322, 1.0), (nn.Tanh, 1.0, 1e-322)])
def test_numbers_of_a_few_subnormals_are_counted_not_a_numpy_error(act, x_scale, loss_scale):
    # a float64 net whose numbers fall to ~1e-322 (300 layers of 0.01 * randn): ReLU's 0 .. mean + 4 std, and +-4 std
    # of dL/dh and dL/dW, were ranges np.histogram cannot split into 50 bins; its ValueError "Too many bins for data
    # range" stopped the backward pass. Such values are counted as all-zero ones are, and their stds are numpy's
    model = nn.Sequential(nn.Linear(2, 4, rng=0, dtype=np.float64), act(), nn.Linear(4, 3, rng=1, dtype=np.float64))
    diag = D.Diagnostics(model, opt := SGD(model.parameters(), lr=0.1))
    x = Tensor(x_scale * np.array([[1.0, -2.0], [0.5, 1.5], [-1.0, 0.5]]))
    (cross_entropy(model(x), [0, 2, 1]) * loss_scale).backward()
    z, g = x.data @ model[0].weight.data + model[0].bias.data, model[0].weight.grad  # (numpy's, by hand)
    h = np.maximum(z, 0.0) if act is nn.ReLU else np.tanh(z)
    opt.step()
    layer, w = diag.records[0]["layers"]["1"], diag.records[0]["params"]["0.weight"]
    assert [layer["hist"][2].sum(), layer["grad_hist"][2].sum(), w["grad_hist"][2].sum()] == [12, 12, 8]
    sd = [m * np.std(a / m) for a in (h, g, model[0].weight.data) for m in [np.abs(a).max()]]  # (squares: 0 or inf)
    assert (layer["std"], w["grad_data"]) == pytest.approx((sd[0], sd[1] / sd[2]), rel=1e-12, abs=0.0)
    assert 0 < (layer["std"] if act is nn.ReLU else layer["grad_std"]) < 1e-300


def test_plotting_a_run_fit_stopped_at_a_non_finite_loss_says_why_there_is_nothing_to_draw():
    # inputs of 3e38 overflow float32 at the first step: fit stops before its backward pass and step, as documented;
    # the plots said "give Diagnostics the optimizer, then run optimizer.step()" (fit gave it) and "run loss.backward()"
    model = nn.Sequential(nn.Linear(2, 4, rng=0), nn.ReLU(), nn.Linear(4, 3, rng=1))
    with np.errstate(over="ignore", invalid="ignore"):
        losses, diag = D.fit(model, np.array([[3e38, -3e38], [3e38, 3e38]], np.float32), [0, 2], 3, 0.1, every=1)
    assert losses == [math.inf] and len(diag.records) == 1
    why = "; diagnostics.fit stops at a non-finite loss, before its backward pass and step"
    for kind, said in (("update", "nothing to draw for 'update': no optimizer.step() was recorded" + why),
                       ("gradients", "at step 0: no gradient was recorded there (run loss.backward(), then for the "
                                     "weights optimizer.step()" + why + ")")):
        with pytest.raises(ValueError, match=re.escape(said) + "$"):
            diag.plot(kind)
    bare = D.Diagnostics(model)  # no optimizer given: as before
    model(Tensor(np.ones((2, 2), np.float32)))
    said = "nothing to draw for 'update': give Diagnostics the optimizer, then run optimizer.step()"
    with pytest.raises(ValueError, match=re.escape(said) + "$"):
        bare.plot("update")


@pytest.mark.parametrize("act", [nn.Tanh, nn.Sigmoid])
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_the_saturated_fraction_of_a_float16_or_float32_layer_counts_every_value_beyond_the_limit(act, dtype):
    # the limits were compared in h's dtype, 0.97 rounded to float16's 0.9702 (float32's 0.97000003): a tanh output
    # of 0.9702 (x = 2.094; float32: 0.97000003 at x = 2.0922961) is beyond 0.97 but was not counted, and in a float16
    # layer 2.4% saturated read 2.2%; numpy's count of the same outputs in float64
    x = np.concatenate([np.linspace(-4, 4, 4001), [2.094, -2.094, 3.484, 2.0922961, -2.092297, 3.4760988]])
    model = nn.Sequential(act())
    diag = D.Diagnostics(model)
    h = model(Tensor(x.astype(dtype), requires_grad=True)).data.astype(np.float64)
    lo = -1.0 if act is nn.Tanh else 0.0
    assert diag.records[0]["layers"]["0"]["fraction"] == np.mean((h > 1 - 0.03) | (h < lo + 0.03))


def test_the_statistics_of_a_float16_layer_are_numpys_in_float64():
    # they were summed in float16: the sum of 131072 ReLU outputs passed 65504 (mean 0 and std 0.706 for numpy's 0.3995
    # and 0.5823), and that of a tanh layer's 32768 kept a few digits (mean 0.0021038 for 0.0021042)
    x = np.random.default_rng(1).standard_normal((512, 256)).astype(np.float16)
    model = nn.Sequential(nn.ReLU(), nn.Tanh())
    diag = D.Diagnostics(model)
    g = np.random.default_rng(2).standard_normal((512, 256)).astype(np.float16)
    model(Tensor(x, requires_grad=True)).backward(g)
    relu, tanh = (np.maximum(x, 0).astype(np.float64), np.tanh(np.maximum(x, 0)).astype(np.float64))
    rec = diag.records[0]["layers"]
    assert (rec["0"]["mean"], rec["0"]["std"]) == pytest.approx((relu.mean(), relu.std()), rel=1e-12, abs=0.0)
    assert (rec["1"]["mean"], rec["1"]["std"]) == pytest.approx((tanh.mean(), tanh.std()), rel=1e-12, abs=0.0)
    assert rec["1"]["grad_std"] == pytest.approx(g.astype(np.float64).std(), rel=1e-12, abs=0.0)


@pytest.mark.parametrize("layers, every", [(6, 1), (12, 1), (50, 5), (300, 25)])
def test_the_colorful_plot_of_a_deep_net_names_at_most_12_layers(layers, every):
    # a tick a layer: at 50 layers (compare_inits(depth=50)) the labels of a slide's panel ran into one black smear
    model = nn.Sequential(*[nn.Tanh() for _ in range(layers)])
    diag = D.Diagnostics(model)
    model(Tensor(np.linspace(-2, 2, 8), requires_grad=True))
    ax = D.mpl().figure.Figure().add_subplot()
    diag.plot("colorful", ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(k) for k in range(1, layers + 1, every)]
    assert ax.get_yticks().tolist() == [k - 0.5 for k in range(1, layers + 1, every)]  # (row k - 1 of the image)


def test_a_legend_too_long_for_a_slide_says_to_draw_on_axes_of_ones_own():
    # 70 weight matrices: slide_figure's "panels do not fit ... draw fewer series", which plot(kind) cannot do
    model = nn.MLP([2] + [2] * 69 + [2], rng=0)
    _, diag = D.fit(model, np.zeros((4, 2)), np.zeros(4, dtype=int), steps=1, lr=0.1, every=1)
    with pytest.raises(ValueError, match=r"^Diagnostics.plot: a legend of 71 lines leaves no room on a slide for the "
                                         r"plot; draw 'update' on axes of your own, which get no legend: "
                                         r"d.plot\('update', ax\)$"):
        diag.plot("update")
    from matplotlib.figure import Figure
    assert len(diag.plot("update", Figure().add_subplot())) == 71  # its handles, for a legend of the user's own



def test_a_model_copied_while_watched_copies_the_watch_and_after_detach_does_not():
    # as the docstring says: deepcopy copies a watching Diagnostics (PyTorch copies hooks); detach() keeps it out
    import gc

    model = nn.MLP([2, 4, 2], rng=0)
    opt = SGD(model.parameters(), lr=0.1)
    diag = D.Diagnostics(model, opt)
    for _ in range(3):
        opt.zero_grad()
        cross_entropy(model(Tensor(np.ones((4, 2)))), np.zeros(4, dtype=int)).backward()
        opt.step()

    def copies() -> int:  # the Diagnostics a deepcopy of the model adds
        gc.collect()
        before = sum(type(o) is D.Diagnostics for o in gc.get_objects())
        _kept = copy.deepcopy(model)  # alive while counted
        return sum(type(o) is D.Diagnostics for o in gc.get_objects()) - before

    assert copies() == 1 and len(diag.records) == 3
    diag.detach()
    assert copies() == 0


@pytest.mark.parametrize("call", [lambda m: D.Diagnostics(m),
                                  lambda m: D.fit(m, np.zeros((4, 2)), [0, 1, 0, 1], 1, 0.1)])
def test_a_scalar_engine_net_is_told_the_tensor_mlp_to_build_not_only_that_it_is_no_module(call):
    # it was told "model must be an nn.Module, got MLP MLP(Layer(2, 4, activation='relu'), ..." about the MLP it built
    from tinygrad_init import scalar_nn

    with pytest.raises(TypeError, match=re.escape("model is the scalar engine's MLP (scalar_nn, on Values); ") + ".*"
                       + re.escape("nn.MLP([2, 4, 3], activation='relu')")):
        call(scalar_nn.MLP(2, [4, 3], rng=0))


def test_the_update_plot_of_gradients_accumulated_over_two_passes_draws_a_line_through_every_update():
    # two forward passes a step (two steps to Diagnostics) filed the update under every other record; nan in between
    # left no two points side by side, so the figure showed no line at all, only the rule of thumb
    model = _net()
    diag = D.Diagnostics(model, opt := SGD(model.parameters(), lr=0.1))
    x = np.linspace(-2, 2, 48, dtype=np.float32).reshape(12, 4)
    for _ in range(10):
        opt.zero_grad()
        for half in (x[:6], x[6:]):
            cross_entropy(model(Tensor(half)), [0, 1, 2, 0, 1, 2]).backward()
        opt.step()
    lines = diag.plot("update").axes[0].get_lines()[:3]
    for line, w in zip(lines, diag.weights()):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 20, 2))  # the second pass of each step
        np.testing.assert_allclose(line.get_ydata(), np.log10(diag.series("update_data", param=w)[1::2]))
        assert np.isfinite(line.get_ydata()).all()
