"""lab.training: numbers a slide shows, checked by hand (behaviours no other test pinned)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tinygrad_init import data, experiments
from tinygrad_init.lab import training as T
from tinygrad_init.losses import binary_cross_entropy_with_logits
from tinygrad_init.optim import SGD
from tinygrad_init.utils import counted, format_number


def test_training_scores_each_network_on_300_train_and_100_test_points(monkeypatch) -> None:
    drawn, circles = [], T._data.circles  # the docstring: 300 training and 100 test points of two circles
    monkeypatch.setattr(T._data, "circles",
                        lambda n, **kw: drawn.append((n, kw["noise"], kw["factor"])) or circles(n, **kw))
    res = T.training(rng=0, seeds=2, steps=2)
    assert drawn == [(300, 0.05, 0.8), (100, 0.05, 0.8)]
    for k in ("zeros", "large10", "he_normal"):  # accuracies are counts over 300 and over 100 points
        train, test = (np.asarray(res.data[k][q], dtype=float) for q in ("train_accuracy", "test_accuracy"))
        np.testing.assert_allclose(train * 300, np.round(train * 300), atol=1e-9)
        np.testing.assert_allclose(test * 100, np.round(test * 100), atol=1e-9)


@pytest.mark.parametrize("scheme", [lambda shape, rng=None, dtype=np.float32: np.zeros(shape), 3])
def test_a_scheme_that_is_no_name_is_refused_by_the_experiment(scheme) -> None:
    with pytest.raises(TypeError, match="sigmoid_saturation: a scheme must be a name such as 'he_normal'"):
        T.sigmoid_saturation(rng=0, quick=True, scheme=scheme)


def test_sigmoid_saturation_reports_the_medians_over_seeds() -> None:
    res = T.sigmoid_saturation(rng=0, seeds=3, steps=30, width=8, samples=40)
    mean = np.median(np.asarray(res.data["hidden_mean"]), axis=0)  # (records, layers): the median network
    loss, steps = np.median(np.asarray(res.data["loss"]), axis=0), np.asarray(res.data["step"])
    assert len(res.table) == mean.shape[1] == 4  # one row per hidden layer (4 by default)
    for row, m in zip(res.table, mean.T):
        assert (row["mean_start"], row["mean_lowest"], row["mean_end"]) == (m[0], m.min(), m[-1])
        assert row["step_of_lowest"] == steps[m.argmin()]
    assert f"from {format_number(loss[0])} to {format_number(loss[-1])} (medians of 3 seeds)" in res.findings[0]
    assert " while layers 1-3 stay between " in res.findings[0]  # 4 hidden layers: the top one and three below
    two = T.sigmoid_saturation(rng=0, seeds=1, steps=5, width=4, samples=20, layers=2)
    assert " while layer 1 stays at " in two.findings[0]  # its lowest and highest mean read the same: one number


def test_the_lottery_sentence_gives_each_large_networks_train_accuracy_in_percent() -> None:
    res = T.training(rng=0, seeds=2, steps=2)
    shown = ", ".join(f"{round(100 * v)}%" for v in res.data["large10"]["train_accuracy"])  # 148/300 -> 49%
    assert f"over seeds [0, 1] it reaches {shown} train accuracy" in res.findings[-1]
    # 'a lottery' or 'not clearly more of a lottery' by thresholds the sentence did not give (10 points, twice He's)
    assert res.findings[-1].endswith(" (a lottery: a spread of more than 10 points and more than twice He's).")


@pytest.mark.parametrize("large", [0.6, 0.57])
def test_a_spread_of_10_points_or_fewer_is_not_called_a_lottery(monkeypatch, large) -> None:
    # the sentence says "more than 10 points": large10 at 50% and 60% (57%) train accuracy, He at 90% and 90%
    acc = np.array([0.5, 0.5, large, 0.9, 0.9])[:, None] * [1, 1]  # zeros, large10 x 2, he_normal x 2; (runs, records)
    monkeypatch.setattr(T, "fit", lambda *a, **k: {"step": np.array([0, 1]), "loss": acc * 0 + 0.5, "accuracy": acc})
    said = T.training(rng=0, seeds=2, steps=2).findings[-1]
    assert said.startswith("Large 10*randn is not clearly more of a lottery than He: "), said


def test_accuracy_of_no_points_is_refused_not_a_silent_nan() -> None:
    model = T.deep_mlp(2, 4, "relu", input_width=2, outputs=1, rng=0)  # was nan with numpy's 'Mean of empty slice'
    with pytest.raises(ValueError, match=r"accuracy: y must hold one label .* per row of X \(n >= 1"):
        T.accuracy(model, np.zeros((0, 2)), np.zeros(0))
    X = np.random.default_rng(0).standard_normal((9, 2))
    z = X @ model[0].weight.data  # by hand: Linear (no bias), ReLU, Linear, ReLU, Linear (bias)
    z = np.maximum(np.maximum(z, 0) @ model[2].weight.data, 0) @ model[4].weight.data + model[4].bias.data
    y = np.arange(9) % 2
    assert T.accuracy(model, X, y) == pytest.approx(np.mean((z[:, 0] > 0) == (y == 1)))
    with pytest.raises(ValueError, match=r"with labels \[0 1 2\] for X of shape \(3, 2\)"):  # 2 was read as label 0
        T.accuracy(model, X[:3], np.array([0, 1, 2]))


def test_a_logit_of_exactly_0_predicts_label_0() -> None:
    # sigmoid(0) = 0.5 is not above 0.5 (deeplearning.ai's predict); a zeros init gives logits of exactly 0
    X, y = np.ones((3, 2)), np.array([0, 0, 1])
    model = T.nn.MLP([2, 3, 1], init="zeros", rng=0)
    assert T.accuracy(model, X, y) == T.fit([model], X, y, steps=0, lr=0.1)["accuracy"][0, 0] == pytest.approx(2 / 3)


@pytest.mark.parametrize("depth, width, kw, said", [(2, 23000, {}, "depth 2 and width 2.3e+04 make 1.06e+09"),
                                                    (1, 40000, {"input_width": 30000}, "depth 1 and width 4e+04 make "
                                                                                      "1.2e+09"),
                                                    (10 ** 400, 4, {}, "depth and width make over 1e300")],
                         ids=["1.06e9", "input_width", "1e400"])
def test_deep_mlp_refuses_over_1e9_weights_and_counts_them(depth, width, kw, said) -> None:
    with pytest.raises(ValueError, match=rf"^deep_mlp: {re.escape(said)} weights, beyond 1e9 \(4 GB as float32\); "
                                         r"take fewer layers or units$"):
        T.deep_mlp(depth, width, "tanh", **kw)


@pytest.mark.parametrize("run", [  # a record every steps // 300 and // 150: each step here
    lambda: T.training(rng=0, seeds=1, steps=400).data["step"],
    lambda: T.sigmoid_saturation(rng=0, seeds=1, steps=200, width=4, samples=8).data["step"]],
    ids=["training", "saturation"])
def test_the_curves_are_recorded_about_300_and_150_times(run) -> None:
    assert list(run()[:3]) == [0, 1, 2]


def test_depth_trains_1200_steps_and_quick_500(monkeypatch) -> None:
    def stop(*args, **kwargs):  # the steps it trains, before any training
        raise StopIteration(kwargs["steps"])

    monkeypatch.setattr(T, "fit", stop)
    for quick, steps in ((False, 1200), (True, 500)):
        with pytest.raises(StopIteration, match=f"^{steps}$"):
            T.depth(quick=quick)


def test_depth_states_its_caveat_only_when_momentum_leaves_ln2_more_often() -> None:
    res = T.depth(seeds=1, layers=(2,), steps=1)  # one step: no net leaves ln 2, with momentum or without
    assert [r["left_ln2"] for r in res.table] == [0] * 4 and not any("caveat" in f for f in res.findings)


def test_the_saturation_sentence_follows_its_thresholds(monkeypatch) -> None:
    # the top layer 0.5 -> 0.43 -> 0.49: falls (by more than 0.05), recovers (by more than 0.05); the loss 0.7 -> 0.695
    # goes, not falls (by 1% at least); layer 1 over the steps until the top one's lowest: between 0.5 and 0.6
    mean = np.array([[[0.5, 0.5], [0.6, 0.43], [0.5, 0.49]]])  # (seeds, records, layers)
    monkeypatch.setattr(T, "fit", lambda *a, **k: {"step": np.arange(3), "hidden_mean": mean,
                                                   "loss": np.array([[0.7, 0.69, 0.695]] * len(mean))})
    assert T.sigmoid_saturation(rng=0, seeds=1, layers=2, steps=2, width=2).findings == [
        "The top hidden layer (layer 2) falls from a mean of 0.5 to 0.43 by step 1 while layer 1 stays between 0.5 and "
        "0.6; it recovers to 0.49 by step 2 as the loss goes from 0.7 to 0.695 (medians of 1 seed)."]
    mean = np.concatenate([mean, [[[0.5, 0.5], [0.5, 0.45], [0.5, 0.4]]]])  # a second seed, at its lowest at step 2
    assert T.sigmoid_saturation(rng=0, seeds=2, layers=2, steps=2, width=2).findings[0].endswith(
        " Seed by seed its lowest mean is 0.4-0.43, at steps 1-2.")


def test_depth_counts_an_infinite_final_loss_as_diverged(monkeypatch) -> None:
    # a float32 mean of losses near 1e38 overflows to inf: diverged as nan is (the table's note: "inf or nan")
    monkeypatch.setattr(T, "fit", lambda *a, **k: {"step": np.arange(2), "loss": np.array([[0.7, np.inf]] * 4)})
    assert [r["diverged"] for r in T.depth(seeds=1, layers=(2,), steps=1).table] == [1] * 4


def test_training_counts_a_network_of_nan_test_logits_as_diverged(monkeypatch) -> None:
    monkeypatch.setattr(T, "accuracy", lambda model, X, y: np.nan)  # finite on the training points, nan on the test
    assert T.training(rng=0, seeds=1, steps=1).findings[0].endswith(", 1 diverged: nan logits).")


def test_fit_starts_from_the_models_biases() -> None:
    X, y = np.array([[1.0, -2.0], [0.5, 1.5], [-1.0, 0.5]]), np.array([0, 1, 1])
    model = T.nn.MLP([2, 3, 1], rng=0, dtype=np.float64)
    for lin in model.linears():
        lin.bias.data[...] = 0.5  # (an MLP's biases start at 0: a run from them alone would not tell)
    z = model(T.Tensor(X)).data[:, 0]
    loss = np.mean(np.logaddexp(0.0, z) - y * z)  # the mean BCE of the logits, by hand
    assert T.fit([model], X, y, steps=0, lr=0.1)["loss"][0, 0] == pytest.approx(loss, rel=1e-12)


def test_sigmoid_saturation_refuses_one_layer_which_has_no_layer_below_the_top_one() -> None:
    with pytest.raises(ValueError, match="^sigmoid_saturation: layers must be >= 2, got 1"):
        T.sigmoid_saturation(quick=True, layers=1)


def test_accuracy_refuses_a_model_without_one_logit_per_point() -> None:
    # a model with a logit per class (what diagnostics.fit trains) was read by its first column, class 0's logit: a
    # perfect classifier of x[0] > 0 scored 0.005; a model giving shape (n,) failed in numpy ("too many indices")
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    two = T.deep_mlp(1, 2, "relu", input_width=2, outputs=2, rng=0)
    with pytest.raises(ValueError, match=r"accuracy: the model must give one logit per point, shape \(2, 1\), got "
                                         r"\(2, 2\); .*argmax"):
        T.accuracy(two, X, np.array([1, 0]))
    flat = T.deep_mlp(1, 1, "relu", input_width=2, outputs=1, rng=0)
    flat.forward = lambda x: type(flat).forward(flat, x).reshape(-1)
    with pytest.raises(ValueError, match=r"shape \(2, 1\), got \(2,\)"):
        T.accuracy(flat, X, np.array([1, 0]))


def test_accuracy_of_a_logit_per_class_as_its_message_writes_it_runs_and_counts_the_right_points() -> None:
    # the message wrote np.mean(logits.argmax(1) == y): logits = model(Tensor(X)) is a Tensor, which has no argmax
    from tinygrad_init import Tensor

    X, y = np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 1.0]]), np.array([1, 0, 1])
    two = T.deep_mlp(1, 2, "relu", input_width=2, outputs=2, rng=0)
    with pytest.raises(ValueError) as e:
        T.accuracy(two, X, y)
    code = re.search(r"the accuracy is (np\.mean\(.*\))$", str(e.value))[1]
    got = eval(code, {"np": np, "Tensor": Tensor, "model": two, "X": X, "y": y, "logits": two(Tensor(X))})
    assert got == np.mean(two(Tensor(X)).data.argmax(1) == y)


def test_fit_refuses_a_frozen_parameter_rather_than_train_it() -> None:
    from tinygrad_init import nn
    X, y = np.random.default_rng(0).standard_normal((8, 2)), np.arange(8) % 2
    model = nn.MLP([2, 4, 1], rng=0)
    model.linears()[0].weight.requires_grad = False  # fit wrote its trained value back, silently
    frozen = model.linears()[0].weight.data.copy()
    with pytest.raises(ValueError, match="fit: .* none frozen"):
        T.fit([model], X, y, steps=2, lr=0.5)
    with pytest.raises(ValueError, match="fit: .* one output unit"):  # two: trained against labels broadcast to both
        T.fit([nn.MLP([2, 4, 2], rng=0)], X, y, steps=2, lr=0.5)
    np.testing.assert_array_equal(model.linears()[0].weight.data, frozen)


def test_one_seed_is_counted_in_the_singular():
    # the findings and figure titles said "medians of 1 seeds" for seeds=1
    result = experiments.sigmoid_saturation(seeds=1, quick=True)
    assert "(medians of 1 seed)." in result.findings[0] and "1 seeds" not in " ".join(result.findings)
    assert [counted(n, "seed") for n in (0, 1, 2)] == ["0 seeds", "1 seed", "2 seeds"]
    # and "(1 network(s))" in symmetry's findings
    findings = " ".join(experiments.symmetry(seeds=1, quick=True).findings)
    assert "(1 network)" in findings and "network(s)" not in findings
    # and "for Xavier in 1 of 1 seeds" in depth's
    findings = " ".join(experiments.depth(seeds=1, layers=(3,), steps=40, lr=0.3, momentum=0.5).findings)
    assert "for Xavier in 1 of 1 seed (" in findings and "1 seeds" not in findings, findings


def test_one_network_is_not_given_a_median_or_called_a_lottery():
    # every report read "zeros: train accuracy 50.0%, test 50.0%, final loss 0.693 (median (lowest-highest) of 1
    # network)." (zeros trains one network: there is no median or range); with seeds=1 also "Large 10*randn is not
    # clearly more of a lottery than He: over seeds [0] it reaches 49% train accuracy, a spread of 0 points"
    one = experiments.training(rng=0, seeds=1, steps=5)
    assert all(f.endswith("(1 network).") for f in one.findings[:3]) and "median" not in " ".join(one.findings)
    assert one.findings[-1].startswith("Large 10*randn cannot be judged a lottery from one network: over seeds [0] ")
    many = experiments.training(rng=0, seeds=2, steps=5)
    assert many.findings[0].endswith("(1 network).") and many.findings[1].endswith("(median (lowest-highest) of 2 "
                                                                                   "networks).")


def test_findings_count_one_layer_and_one_step_in_the_singular() -> None:
    # "After 1 layers", "in 1 steps", "after 1 steps" were written with the plural whatever the number
    from tinygrad_init.lab import spectra, training

    assert spectra.finding("correlations", spectra.correlations(depth=1, width=20)).startswith("After 1 layer the")
    short = spectra.trainability(sigma_w2s=[1.0], depths=[2], steps=1, width=8)
    assert "in 1 step, against" in spectra.finding("trainability", short)
    symmetry = training.symmetry(rng=0, quick=True, steps=1)
    assert "after 1 step (1 network)" in symmetry.findings[0]
    # and depth's "the loss falls below ln 2 / 2 within 1 steps", training's "a spread of 1 points"
    assert "within 1 step for" in training.depth(seeds=1, layers=(2,), steps=1).findings[0]
    assert "a spread of 1 point, while" in training.training(rng=0, seeds=2, steps=1).findings[-1]
    # the titles too: "Hidden weights after 1 steps", "..., 1 steps, seeds [0]" (depth, sigmoid_saturation), and
    # trainability's "1 of the 1 networks within 6 xi_c"
    assert "Hidden weights after 1 step (seed" in symmetry.get_figure("weights")._suptitle.get_text()
    assert ", 1 step, seeds [0]" in training.depth(seeds=1, layers=(2,), steps=1).table.title
    assert ", 1 step, seeds [0]" in training.sigmoid_saturation(seeds=1, steps=1, width=4).table.title
    # the losses of its finding were printed two ways: "from 1.980 to 2.69" (with all-ones weights)
    ones = training.sigmoid_saturation(seeds=1, steps=1, width=4, scheme="ones").findings[0]
    first, last = re.search(r"the loss goes from (\S+) to (\S+) \(", ones).groups()
    assert [first, last] == [format_number(float(first)), format_number(float(last))] != [first, first], ones
    assert " of the 1 network within 6 xi_c" in spectra.finding("trainability", short)


def test_symmetry_table_holds_the_ranges_its_findings_give():
    # the findings gave "final loss 0.254 (0.235-0.274), accuracy 90.0% (89.5%-90.0%)" (xavier_uniform, quick report of
    # seed 0) beside a table of the medians alone
    res = experiments.symmetry(rng=0, quick=True)
    row = next(r for r in res.table if r["init"] == "xavier_uniform")
    lo, hi, alo, ahi = (row[k] for k in ("final_loss_min", "final_loss_max", "train_accuracy_min",
                                         "train_accuracy_max"))
    assert lo < row["final_loss"] < hi and alo < ahi
    assert f"final loss {row['final_loss']:.3g} ({lo:.3g}-{hi:.3g}), accuracy {row['train_accuracy']:.1%} " \
           f"({alo:.1%}-{ahi:.1%})." in res.findings[2], res.findings[2]


@pytest.mark.parametrize("kw, named", [({"init": "xavierr"}, "init"), ({"bias": 0}, "bias"), ({"dtype": "x"}, "dtype"),
                                       ({"bias": True, "bias_init": "zeross"}, "bias_init")])
def test_deep_mlp_names_itself_in_its_layers_errors(kw, named) -> None:
    with pytest.raises((TypeError, ValueError), match=rf"^deep_mlp: {named}\b"):  # read 'Linear: ...', never called
        T.deep_mlp(3, 8, "tanh", **kw)


@pytest.mark.parametrize("call, named", [
    (lambda: experiments.run_sweep(np.array(1.0), quick=True), "run_sweep: schemes must be a name or a list of names"),
    (lambda: experiments.run_sweep({"small", "large"}, quick=True), "run_sweep: schemes must be a name or a list"),
    (lambda: experiments.depth(quick=True, layers={3, 2}), "depth: layers must be a list of depths"),
    (lambda: experiments.depth(quick=True, layers=np.array(3)), "depth: layers must be a list of depths"),
])
def test_a_set_or_a_0d_array_where_a_list_goes_is_refused(call, named) -> None:
    # a 0-d array raised numpy's "iteration over a 0-d array"; layers={3, 2} ran in the set's order, not the caller's
    with pytest.raises(TypeError, match=f"^{named}"):
        call()


def test_distinct_units_of_tiny_weights_are_told_apart_relative_to_them() -> None:
    assert T.distinct_units(np.array([[1e-12, 3e-12]])) == 2  # rtol * 3e-12, not an absolute floor


def test_distinct_units_of_a_layer_without_inputs_is_one_not_a_numpy_error() -> None:
    # W of shape (0, 3), nothing else given: each unit's parameters are empty, so they all agree; numpy's
    # "zero-size array to reduction operation maximum which has no identity" came out instead
    assert T.distinct_units(np.zeros((0, 3))) == 1
    assert T.distinct_units(np.zeros((0, 3)), outgoing=np.eye(3)) == 3


def test_fit_refuses_a_batch_of_no_points_as_accuracy_does() -> None:
    # X (0, 2) and y (0,) passed the shape check, then the step's 1 / batch raised "float division by zero"
    with pytest.raises(ValueError, match=r"^fit: X must be \(batch, 2\) and y \(batch,\) labels in \{0, 1\}, batch "
                                         r">= 1, got \(0, 2\) and \(0,\)$"):
        T.fit([T.nn.MLP([2, 3, 1], rng=0)], np.zeros((0, 2)), np.zeros(0), steps=1, lr=0.1)
    with pytest.raises(ValueError, match=r"got \(4, 2\) and \(4,\) with labels \[0 1 2\]$"):  # the shapes were right
        T.fit([T.nn.MLP([2, 3, 1], rng=0)], np.zeros((4, 2)), np.array([0, 1, 2, 1]), steps=1, lr=0.1)


def test_fit_watches_a_net_without_hidden_layers_as_one_with_none_to_show() -> None:
    # logistic regression, MLP([2, 1]): watch=True ended in numpy's "need at least one array to stack"; it has L - 1 = 0
    # hidden layers, so hidden_mean and hidden_std are (S, R, 0), and the losses are those of watch=False
    X, y = np.array([[1.0, -2.0], [0.5, 1.5], [-1.0, 0.5]]), np.array([0, 1, 1])
    hist = T.fit([T.nn.MLP([2, 1], rng=s) for s in (0, 1)], X, y, steps=2, lr=0.1, watch=True)
    assert hist["hidden_mean"].shape == hist["hidden_std"].shape == (2, 3, 0)
    np.testing.assert_array_equal(hist["loss"], T.fit([T.nn.MLP([2, 1], rng=s) for s in (0, 1)], X, y, steps=2,
                                                      lr=0.1)["loss"])
    deep = T.fit([T.nn.MLP([2, 3, 3, 1], rng=0)], X, y, steps=2, lr=0.1, watch=True)  # (the shape of one with some)
    assert deep["hidden_mean"].shape == (1, 3, 2) and deep["hidden_mean"].dtype == np.float32


def test_fit_trains_a_model_whose_layers_differ_in_dtype_as_the_engine_does() -> None:
    """A model of one dtype has its weights stepped all at once; one whose middle layer was made float64 by hand is
    stepped layer by layer, each in its own dtype, with momentum as SGD's."""
    X, y = data.moons(30, rng=2)
    ours, engine = (T.nn.MLP([2, 5, 4, 1], activation="sigmoid", rng=4) for _ in range(2))
    for model in (ours, engine):
        lin = model.linears()[1]
        lin.weight.data, lin.bias.data = lin.weight.data.astype(np.float64), lin.bias.data.astype(np.float64)
    hist = T.fit([ours], X, y, steps=12, lr=0.5, momentum=0.9)
    opt, losses = SGD(engine.parameters(), lr=0.5, momentum=0.9), []
    for step in range(13):
        opt.zero_grad()
        loss = binary_cross_entropy_with_logits(engine(T.Tensor(X)), y.reshape(-1, 1).astype(np.float32))
        losses.append(loss.item())
        if step < 12:
            loss.backward()
            opt.step()
    np.testing.assert_allclose(hist["loss"][0], losses, rtol=2e-5)
    assert [p.data.dtype for p in ours.parameters()] == [np.float32] * 2 + [np.float64] * 2 + [np.float32] * 2
    for a, b in zip(ours.parameters(), engine.parameters()):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("X, y, fix", [
    (np.array([1.0, -1.0, 2.0]), np.array([1, 0, 0]), r"for one feature per point pass (np\.reshape\(X, \(-1, 1\)\))"),
    (np.array([[1.0], [-1.0], [2.0]]), [[1], [0], [0]], r"for a column of labels pass (np\.reshape\(y, -1\))"),
    (np.array([[1.0], [-1.0], [2.0]]), [1, -1, -1], r"for labels -1/\+1 pass (\(np\.asarray\(y\) \+ 1\) // 2)")])
def test_accuracy_says_how_to_pass_one_feature_a_column_of_labels_or_labels_minus_1_plus_1(X, y, fix) -> None:
    # each was told only "y must hold one label in {0, 1} per row of X (n >= 1, features)"; what it says to pass, as
    # written, is scored
    from tinygrad_init import nn
    model = nn.Linear(1, 1, rng=0)
    model.weight.data[...], model.bias.data[...] = 1.0, 0.0  # the logit is x
    with pytest.raises(ValueError, match=rf"^accuracy: y must hold one label in \{{0, 1\}} per row of X .*; {fix}$") \
            as e:
        T.accuracy(model, X, y)
    passed = eval(re.search(fix, str(e.value))[1], {"np": np, "X": X, "y": y})  # noqa: S307 (the message's own text)
    X, y = (passed, y) if "one feature" in fix else (X, passed)
    assert T.accuracy(model, X, y) == pytest.approx(2 / 3)
    assert "pass" not in str(pytest.raises(ValueError, T.accuracy, model, None, None).value)  # no hint that misleads


def test_accuracy_of_a_model_giving_a_vector_of_logits_is_told_the_code_for_that_shape_not_argmax() -> None:
    # shape (n,) was told "with a logit per class the accuracy is np.mean(....argmax(1) == y)", which fails on a vector
    from tinygrad_init import Tensor
    X, y = np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 1.0]]), np.array([1, 0, 0])
    flat = T.deep_mlp(1, 1, "relu", input_width=2, outputs=1, rng=0)
    flat.forward = lambda x: type(flat).forward(flat, x).reshape(-1)
    with pytest.raises(ValueError, match=r"got \(3,\); for one logit per point in that shape it is ") as e:
        T.accuracy(flat, X, y)
    code = re.search(r"it is (np\.mean\(.*\))$", str(e.value))[1]
    got = eval(code, {"np": np, "Tensor": Tensor, "model": flat, "X": X, "y": y})  # noqa: S307 (the message's)
    assert got == np.mean((flat(Tensor(X)).data > 0) == (y == 1))


def _shared_layer_mlp() -> T.nn.MLP:
    model = T.nn.MLP([2, 4, 4, 4, 1], rng=0, dtype=np.float64)
    model.layers[4] = model.layers[2]  # one Linear as layers 2 and 3: its gradient is the sum of both uses
    return model


@pytest.mark.parametrize("models, said", [
    (lambda: [T.nn.MLP([2, 4, 1], rng=0)] * 2, r"models\[0\] and models\[1\] are one model"),
    (lambda: [_shared_layer_mlp()], r"layers 2 and 3 of models\[0\] share a parameter"),
    (lambda: [T.nn.MLP([2, 4, 1], rng=0), T.nn.MLP([2, 4, 1], rng=1)], r"layers 1 and 1 of models\[0\] and \[1\]")])
def test_fit_refuses_a_parameter_in_two_places_rather_than_train_each_place_apart(models, said) -> None:
    # [nn.MLP(...)] * 2 trained two networks and wrote the last one's weights into the one model; a shared layer was
    # stepped as two untied layers (a loss curve SGD's summed gradient does not give) and left as the last of them, so
    # the model gave neither curve's final loss
    X, y = data.moons(20, rng=0)
    models = models()
    if len(models) == 2 and models[0] is not models[1]:
        models[1].layers[0] = models[0].layers[0]  # (2, 4) in both: a layer shared across networks
    with pytest.raises(ValueError, match=f"^fit: {said}"):
        T.fit(models, X, y, steps=2, lr=0.1)


@pytest.mark.parametrize("call", [lambda m: T.accuracy(m, np.zeros((2, 3)), [0, 1]),
                                  lambda m: T.fit([m], np.zeros((2, 3)), [0, 1], steps=1, lr=0.1)])
def test_a_scalar_engine_net_is_told_the_tensor_mlp_to_build(call) -> None:
    # accuracy said "model must be an nn.Module, got MLP MLP(Layer(3, 5, ...", fit "models must be a non-empty list of
    # nn.MLP": about the MLP just built, on the other engine
    said = r"(model|models\[0\]) " + re.escape("is the scalar engine's MLP (scalar_nn, on Values); ")
    with pytest.raises(TypeError, match=said + ".*" + re.escape("nn.MLP([3, 5, 1], activation='tanh')")):
        call(T.nn.scalar.MLP(3, [5, 1], activation="tanh", rng=0))


@pytest.mark.parametrize("final", ["sigmoid", "tanh", "relu"])
def test_fit_refuses_an_mlp_with_a_final_activation_whose_output_it_would_not_train(final) -> None:
    # fit trained the last Linear's output as the logit whatever came after it, and recorded its accuracy (0.9 on
    # moons(100, rng=0) after 200 steps) where accuracy scored the model's own output, sigmoid(z), 0.5 (relu(z)
    # is no logit either)
    X, y = data.moons(20, rng=0)
    with pytest.raises(ValueError, match=f"^fit: models\\[1\\] ends in final_activation='{final}'"):
        T.fit([T.nn.MLP([2, 4, 1], rng=0), T.nn.MLP([2, 4, 1], rng=1, final_activation=final)], X, y, steps=1, lr=0.1)
    identity = T.fit([T.nn.MLP([2, 4, 1], rng=0, final_activation="linear")], X, y, steps=1, lr=0.1)  # the same
    np.testing.assert_array_equal(identity["loss"], T.fit([T.nn.MLP([2, 4, 1], rng=0)], X, y, steps=1, lr=0.1)["loss"])


@pytest.mark.parametrize("model", [lambda: T.nn.MLP([2, 4, 1], rng=0, final_activation="sigmoid"),
                                   lambda: T.nn.Sequential(T.nn.Linear(2, 1, rng=0), T.nn.Sigmoid())])
def test_accuracy_of_a_model_ending_in_a_sigmoid_is_refused_with_the_code_for_probabilities(model) -> None:
    # its outputs, probabilities in (0, 1), are all positive: accuracy read each as a logit predicting 1 and gave the
    # fraction of 1s in y (0.5 here), silently
    X, y = data.moons(20, rng=0)
    model = model()
    with pytest.raises(ValueError, match=r"^accuracy: the model ends in a Sigmoid.*np\.mean\((.*)\)$") as e:
        T.accuracy(model, X, y)
    code = "np.mean(" + re.search(r"np\.mean\((.*)\)$", str(e.value)).group(1) + ")"
    p = model(T.Tensor(X)).data[:, 0]
    assert eval(code, {"np": np, "model": model, "Tensor": T.Tensor, "X": X, "y": y}) == np.mean((p > 0.5) == y)


@pytest.mark.parametrize("model", [lambda: T.nn.Sequential(T.nn.Linear(2, 1, rng=0), T.nn.Sigmoid(), T.nn.Identity()),
                                   lambda: T.nn.Sequential(T.nn.Linear(2, 1, rng=0), T.nn.Sigmoid(), T.nn.Sequential()),
                                   lambda: T.nn.Sequential(T.nn.MLP([2, 4, 1], rng=0, final_activation="sigmoid"))])
def test_accuracy_sees_a_sigmoid_behind_an_identity_an_empty_sequential_or_inside_an_mlp(model) -> None:
    # the walk stopped at the Identity, the empty Sequential or the MLP, and accuracy read the probabilities as
    # logits: the fraction of 1s in y, silently
    X, y = data.moons(20, rng=0)
    with pytest.raises(ValueError, match=r"^accuracy: the model ends in a Sigmoid"):
        T.accuracy(model(), X, y)


def test_fit_names_the_entry_of_models_that_is_no_model() -> None:
    # it said "fit: model must be an nn.MLP, got str 'abc'", of an argument fit does not have
    X, y = data.moons(20, rng=0)
    with pytest.raises(TypeError, match=r"^fit: models\[1\] must be an nn\.MLP, got str 'abc'"):
        T.fit([T.nn.MLP([2, 4, 1], rng=0), "abc"], X, y, steps=1, lr=0.1)
