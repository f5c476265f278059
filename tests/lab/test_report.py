"""The lecture report, its figures and the `report` and `sweep` commands."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from tinygrad_init import cli, experiments, plots, report
from tinygrad_init.table import Table

QUICK = ["--quick", "--no-progress"]


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The quick report built twice with the same seed, through the command line."""
    a, b = tmp_path_factory.mktemp("report_a") / "out", tmp_path_factory.mktemp("report_b") / "out"
    assert cli.main(["report", "--out", str(a), *QUICK]) == 0
    assert cli.main(["report", "--out", str(b), "--seed", "0", *QUICK]) == 0
    return a, b


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- the report


def test_same_seed_writes_the_same_bytes(two_reports: tuple[Path, Path]) -> None:
    a, b = two_reports
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    assert json.loads(fa["report.json"]) == json.loads(fb["report.json"])
    assert fa["report.json"] == fb["report.json"]
    for name in fa:  # the HTML, every figure (PNG and SVG) and every data file
        assert fa[name] == fb[name], f"{name} differs between two runs with the same seed"


def test_the_report_writes_every_file(two_reports: tuple[Path, Path]) -> None:
    out = two_reports[0]
    files = _files(out)
    assert {"report.html", "report.json"} <= set(files)
    figs = sorted(n for n in files if n.startswith("figures/"))
    names = {Path(n).stem for n in figs}
    assert {"activations_std", "activations_hist_tanh", "activations_hist_sigmoid", "activations_hist_relu",
            "gradients_gradients", "symmetry_weights", "training_loss", "depth_depth", "batchnorm_batchnorm"} == names
    for n in figs:
        if n.endswith(".png"):
            assert files[n][:8] == b"\x89PNG\r\n\x1a\n"
        else:
            assert n.endswith(".svg") and files[n].startswith(b"<?xml")
            assert b"<dc:date>" not in files[n]  # no date: the same figure gives the same file
    for name in ("activations", "gradients", "symmetry", "training", "depth", "batchnorm"):
        assert f"data/{name}.json" in files and f"data/{name}.csv" in files
    rows = list(csv.DictReader(io.StringIO(files["data/activations.csv"].decode())))
    assert len(rows) == 150 and rows[0]["scheme"] == "zeros" and rows[0]["layer"] == "1"
    header = files["data/gradients_theory_vs_measurement.csv"].decode().splitlines()[0]
    assert "act_std_theory" in header and "grad_w_ratio" in header
    every = json.loads(files["report.json"])
    assert [e["name"] for e in every["experiments"]] == ["activations", "gradients", "symmetry", "training",
                                                          "depth", "batchnorm"]
    assert every["seed"] == 0 and every["quick"] is True


def test_the_html_page_is_self_contained(two_reports: tuple[Path, Path]) -> None:
    page = (two_reports[0] / "report.html").read_text(encoding="utf-8")
    # nothing is fetched from the network: no remote src/href, no external stylesheet or script
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<link\b", page, re.I) and not re.search(r"<script\b", page, re.I)
    assert "@import" not in page and "url(" not in page
    srcs = re.findall(r'<img src="([^"]*)"', page)
    assert len(srcs) == 9 and all(s.startswith("data:image/png;base64,") for s in srcs)
    for key in ("1. Activation statistics", "2. Gradient magnitude", "3. Symmetry", "4. Training", "5. Depth",
                "6. Batch normalization", "Theory vs measurement", "Which Xavier?"):
        assert key in page
    # the scheme table printed from init.table() and the theory-vs-measurement tables
    assert "he_normal" in page and "N(0, 2/fan_in)" in page and "Glorot &amp; Bengio (2010)" in page
    assert "Theory vs measurement: the worst layer of each network" in page
    assert "tinygrad-init report --out DIR --seed 0 --quick" in page


def test_render_html_escapes_text() -> None:
    res = experiments.ExperimentResult(
        "x", "<b>title</b>", "q & a", {"main": Table(["a"], [["<i>"]])}, {}, {}, ["1 < 2"], {})
    page = report.render_html([res], {}, seed=3, quick=False)
    assert "&lt;b&gt;title&lt;/b&gt;" in page and "1 &lt; 2" in page and "<i>" not in page


def test_build_report_returns_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for the experiments keeps this test fast; the real ones run in two_reports.
    table = Table(["layer", "std"], [[1, 0.5], [2, 0.25]], title="t")

    def figure():
        return plots.loss_curves({"a": [1.0, 0.5, 0.25]}, title="loss")

    fake = [experiments.ExperimentResult("activations", "1. A", "q?", {"main": table}, {"n": [1, 2]},
                                         {"depth": 2, "width": 3, "batch": 4}, ["it works"], {"loss": figure})]
    monkeypatch.setattr(report, "run_all", lambda rng, quick, progress: fake)
    stale = tmp_path / "figures" / "old.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"x")
    out = io.StringIO()
    files = report.build_report(tmp_path, seed=4, log=out)
    assert not stale.exists()  # figures/ and data/ are rebuilt
    assert files.html.exists() and files.json.exists()
    assert sorted(p.name for p in files.figures) == ["activations_loss.png", "activations_loss.svg"]
    assert sorted(p.name for p in files.data) == ["activations.csv", "activations.json", "schemes.csv"]
    assert f"wrote {files.html}" in out.getvalue()
    assert json.loads(files.json.read_text())["seed"] == 4
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        report.build_report(tmp_path, seed=-1)


# ---------------------------------------------------------------- figures


def _hist_data(seed: int) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    gen = np.random.default_rng(seed)
    rows = {}
    for name in ("small", "large"):
        rows[name] = [np.histogram(np.tanh(gen.standard_normal(500) * s), bins=20, range=(-1, 1))
                      for s in (0.5, 1.0, 3.0)]
    return rows


def test_figures_are_byte_for_byte_reproducible() -> None:
    first = plots.histogram_grid(_hist_data(1), title="h", annotations={"small": ["a", "b", "c"]})
    second = plots.histogram_grid(_hist_data(1), title="h", annotations={"small": ["a", "b", "c"]})
    for fmt in ("svg", "png"):
        assert plots.figure_bytes(first, fmt) == plots.figure_bytes(second, fmt)
    assert plots.figure_bytes(first, "svg") == plots.figure_bytes(first, "svg")  # and saving twice
    other = plots.histogram_grid(_hist_data(2), title="h")
    assert plots.figure_bytes(other, "svg") != plots.figure_bytes(first, "svg")


def test_experiment_figures_are_reproducible_for_a_seed() -> None:
    def svg(seed: int) -> bytes:
        res = experiments.activation_statistics(rng=seed, quick=True, schemes=("small", "he_normal"),
                                                activations=("tanh",), depth=3)
        return plots.figure_bytes(res.figure, "svg")

    assert svg(9) == svg(9)


def test_layer_curves_draws_measured_and_dashed_theory() -> None:
    fig = plots.layer_curves({"tanh": {"a": [1.0, 0.5, 0.25]}}, {"tanh": {"a": [1.0, 0.5, 0.3]}},
                             title="t", note="n")
    ax = fig.axes[0]
    styles = [line.get_linestyle() for line in ax.get_lines()]
    assert styles == ["-", "--"] and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    # zeros on a log axis are left out, not drawn at -inf
    fig = plots.layer_curves({"p": {"z": [0.0, 1.0]}})
    assert np.isnan(fig.axes[0].get_lines()[0].get_ydata()[0])


def test_save_figure_and_errors(tmp_path: Path) -> None:
    fig = plots.loss_curves({"a": [3.0, 2.0, 1.0]}, hlines={"ln 2": 0.69})
    for suffix in (".png", ".svg", ".pdf"):
        p = plots.save_figure(fig, tmp_path / f"f{suffix}")
        assert p.stat().st_size > 500
    assert plots.figure_bytes(fig, "pdf") == plots.figure_bytes(fig, "pdf")  # no creation date
    with pytest.raises(ValueError, match="not supported"):
        plots.save_figure(fig, tmp_path / "f.gif")
    with pytest.raises(ValueError, match="ending in .png"):
        plots.save_figure(fig, tmp_path / "noext")
    with pytest.raises(ValueError, match="3 counts need 4 edges"):
        plots.histogram_grid({"r": [(np.ones(3), np.arange(3))]})
    with pytest.raises(ValueError, match="no rows"):
        plots.histogram_grid({})
    with pytest.raises(ValueError, match="not a matrix"):
        plots.weight_heatmaps({"r": [("w", np.zeros(3))]})


def test_scheme_colors_are_fixed() -> None:
    assert plots.scheme_color("he_normal") == plots.scheme_color("he_normal")
    assert plots.scheme_color("small") != plots.scheme_color("large")
    assert plots.scheme_color("some_new_scheme") == plots.scheme_color("some_new_scheme")


# ---------------------------------------------------------------- the commands


def test_sweep_command_prints_probe_and_theory(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["sweep", "--init", "small", "--activation", "tanh", "--depth", "3", "--width", "50", "--batch", "80"]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    assert "small 0.01*randn, tanh: 3 layers x 50 units, batch 80, seed 0" in text
    assert re.search(r"^\s+3\s", text, re.M)  # a row for layer 3
    assert "act_std_theory" in text and "*_theory: the mean-field prediction" in text
    assert cli.main(argv + ["--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert [r["layer"] for r in table["rows"]] == [1, 2, 3]
    # the same numbers as the library call
    expected = experiments.sweep_table("small", "tanh", depth=3, width=50, batch=80, rng=0)
    assert table["rows"][2]["act_std"] == expected[2]["act_std"]
    assert cli.main(argv + ["--format", "csv", "--seed", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("layer,pre_std,pre_std_theory") and len(lines) == 4
    assert cli.main(argv + ["--format", "markdown", "--batchnorm"]) == 0
    assert "linear_std" in capsys.readouterr().out


@pytest.mark.parametrize("argv,fragment", [
    (["sweep", "--init", "he_nromal"], "Did you mean 'he_normal'"),
    (["sweep", "--init", "xavier"], "ambiguous"),
    (["sweep", "--init", "lsuv"], "data-dependent"),
    (["sweep", "--init", "ones"], "non-zero mean"),
    (["sweep", "--activation", "elu"], "invalid choice: 'elu'"),
    (["sweep", "--depth", "0"], "--depth: expected a number >= 1"),
    (["sweep", "--batch", "1"], "--batch: expected a number >= 2"),
    (["report", "--seed", "x"], "--seed: expected a whole number"),
    (["report", "--epochs", "3"], "unrecognized arguments: --epochs 3"),
])
def test_bad_options_exit_2_with_a_message(argv, fragment, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert fragment in capsys.readouterr().err


@pytest.mark.parametrize("command,words", [
    ("report", ["report.html", "--quick", "--seed", "examples:", "Xavier stalls, He trains", "offline"]),
    ("sweep", ["--init", "--activation", "--depth", "--width", "--batch", "--seed", "examples:", "*_theory",
               "grad_w_std"]),
])
def test_help_teaches(command: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for w in words:
        assert w in text, w


def test_main_help_lists_report_sweep_and_demo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for command in ("demo", "report", "sweep"):
        assert command in text


def test_report_cannot_create_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["report", "--out", str(blocker / "sub"), *QUICK]) == 1
    assert "cannot create the folder" in capsys.readouterr().err


def test_report_prints_where_it_wrote_and_the_time_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    files = report.ReportFiles(out_dir=tmp_path, html=tmp_path / "report.html", json=tmp_path / "report.json",
                               seconds=1.25)
    seen = {}

    def stub(folder, seed, quick, progress, log):
        seen.update(folder=folder, seed=seed, quick=quick, progress=progress)
        print(f"wrote {files.html}", file=log)
        return files

    monkeypatch.setattr(report, "build_report", stub)
    assert cli.main(["report", "--out", str(tmp_path), "--seed", "5"]) == 0
    assert seen == {"folder": tmp_path, "seed": 5, "quick": False, "progress": True}
    captured = capsys.readouterr()
    assert f"wrote {files.html}" in captured.out
    assert "tinygrad-init report: done in 1.2 s" in captured.err
