"""What a figure of an experiment draws is the experiment's table: each line's points, read back from matplotlib, are
the numbers of its rows (a log axis leaves out those <= 0), each verdict cell the word and colour of the grid."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_hex

from tinygrad_init import experiments as E
from tinygrad_init import plots
from tinygrad_init.table import label


@pytest.fixture(scope="module")
def sweep() -> E.Sweep:
    return E.run_sweep(rng=1, quick=True)


def _drawn(ax) -> list[tuple[str, str, np.ndarray]]:  # noqa: ANN001 - (series label, "measured"/"theory", y values)
    out, name = [], None
    for line in ax.get_lines():
        if not line.get_label().startswith("_"):
            name, kind = line.get_label(), "measured"
        elif line.get_linestyle() == "--":
            kind = "theory"
        else:
            continue
        out.append((name, kind, np.asarray(line.get_ydata(), dtype=float)))
    return out


def _column(table, column: str, log: bool, **where: str) -> np.ndarray:  # noqa: ANN001
    v = np.array([r[column] for r in table.rows if all(r[k] == w for k, w in where.items())], dtype=float)
    return np.where(v > 0, v, np.nan) if log else v


def _scheme(name: str) -> str:
    return next(s for s in E.SCHEMES if label(s) == name)


@pytest.mark.parametrize("experiment", ["activation_statistics", "gradient_statistics"])
def test_the_layer_curves_draw_the_measured_and_the_predicted_std_of_the_main_table(sweep, experiment):
    res = getattr(E, experiment)(sweep=sweep)
    keys = {"std of activations h": "act_std", "dL/dh": "grad_act_std", "dL/dW": "grad_w_std"}
    fig, checked = res.figure, 0
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        title, ylabel = ax.get_title().replace("\n", " "), fig.axes[0].get_ylabel()
        act, _, what = title.partition(": std ")
        key = keys[what or ylabel]
        for name, kind, y in _drawn(ax):
            column = key + "_theory" * (kind == "theory")
            np.testing.assert_array_equal(y, _column(res.table, column, True, scheme=_scheme(name), activation=act))
            checked += 1
    assert checked == 2 * (len(E.SCHEMES) - 1) * len(fig.axes)  # zeros, std 0, is not drawn on a log axis


def test_the_ratio_figure_draws_the_median_band_and_first_network_of_the_table():
    res = E.theory_average(rng=2, quick=True)
    for ax, m in zip(res.figure.axes, ("act", "grad_act", "grad_w")):
        (median, _, y_median), (one, _, y_one) = _drawn(ax)
        assert (median, one) == ("median of 5 networks", "network 1")
        np.testing.assert_array_equal(y_median, res.table.column(f"{m}_median"))
        np.testing.assert_array_equal(y_one, res.table.column(f"{m}_one"))
        band = ax.collections[0].get_paths()[0].vertices[:, 1]  # fill_between: down the lows, up the highs
        assert set(band) == set(res.table.column(f"{m}_min")) | set(res.table.column(f"{m}_max"))


def test_the_batch_norm_figure_draws_both_networks_of_each_row():
    res = E.batch_norm(rng=3, quick=True)
    checked = 0
    for ax in (ax for ax in res.figure.axes if ax.get_visible()):
        act, _, what = ax.get_title().replace("\n", " ").partition(": ")
        for name, _, y in _drawn(ax):
            scheme = next(s for s in ("small", "large") if name.startswith(label(s)))
            column = ("bn_" if name.endswith("+ BN") else "plain_") + ("pre_std" if "std" in what else
                                                                        "saturated_or_dead")
            np.testing.assert_array_equal(y, _column(res.table, column, "std" in what, scheme=scheme, activation=act))
            checked += 1
    assert checked == 4 * len(res.figure.axes)


def test_each_verdict_cell_shows_the_grids_word_in_its_colour(sweep):
    res = E.verdict(sweep)
    ax = res.figure.axes[0]
    words = {(round(t.get_position()[0] - 0.48), round(-t.get_position()[1] - 0.54)): t.get_text() for t in ax.texts}
    fills = {(round(p.get_x()), round(-p.get_y() - 1)): to_hex(p.get_facecolor()) for p in ax.patches}
    grid = {(j, i): row[c] for i, row in enumerate(res.table.rows) for j, c in enumerate(res.table.columns[1:])}
    assert words == grid and fills == {k: plots.WORD_COLORS[w].lower() for k, w in grid.items()}
    assert [t.get_text() for t in ax.get_yticklabels()] == [r["activation"] for r in res.table.rows]


def test_the_training_figure_draws_each_networks_losses_and_accuracies():
    from tinygrad_init.lab import training

    res = training.training(rng=0, quick=True, steps=60)
    ax, strip = res.figure.axes
    drawn = {name: (kind, y) for name, kind, y in _drawn(ax)}
    (ln2,) = [line for line in ax.get_lines() if line.get_linestyle() == ":"]  # the loss of a guess, ln 2
    assert list(ln2.get_ydata()) == [np.log(2.0)] * 2
    for column, k in enumerate(("zeros", "large10", "he_normal")):
        loss = np.asarray(res.data[k]["loss"], dtype=float)  # seeds x logged steps
        assert drawn[label(k)][0] == "measured"
        np.testing.assert_array_equal(drawn[label(k)][1], np.median(loss, axis=0))
        row = next(r for r in res.table.rows if r["init"] == k)
        assert drawn[label(k)][1][-1] == row["final_loss_median"]
        train, test = (line for line in strip.get_lines() if round(np.mean(line.get_xdata())) == column)
        assert (train.get_marker(), test.get_marker()) == ("o", "^")
        # each spread evenly about its place beside the column's tick; the one zeros network's train dot sat 0.17
        # left of its tick and its test dot 0.05 right (linspace(-0.06, 0.06, 1) is -0.06)
        assert [np.mean(train.get_xdata()), np.mean(test.get_xdata())] == pytest.approx([column - 0.11, column + 0.11])
        np.testing.assert_array_equal(train.get_ydata(), res.data[k]["train_accuracy"])
        np.testing.assert_array_equal(test.get_ydata(), res.data[k]["test_accuracy"])


def test_the_saturation_figure_draws_the_loss_falling_through_decades_on_a_log_axis():
    # the loss fell from 0.69 to 3e-4 over 3,000 steps (the finding says so) on a linear axis: after step 1,000 a flat
    # line at 0, while the top layer desaturated and the loss fell by another decade
    from tinygrad_init.lab import training

    res = training.sigmoid_saturation(rng=0, quick=True, seeds=2, steps=200)
    ax = res.figure.axes[1]
    assert ax.get_title() == "training loss" and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), np.median(res.data["loss"], axis=0))
    assert res.figure.axes[0].get_yscale() == "linear"  # the mean activations, between 0 and 1
