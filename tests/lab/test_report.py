"""The lecture report, its figures and the `report` and `sweep` commands."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from tinygrad_init import cli, experiments, plots, report
from tinygrad_init.lab import spectra
from tinygrad_init.table import Table

from lab import _chromium, _runs

QUICK = ["--quick", "--no-progress"]


def test_importing_the_package_does_not_import_matplotlib() -> None:
    # the figures import matplotlib when they are drawn: `import tinygrad_init` stays light
    code = "import tinygrad_init, sys; assert 'matplotlib' not in sys.modules, 'matplotlib was imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


_DIGEST = """
import hashlib, json
from tinygrad_init import draw, experiments, plots
from tinygrad_init.lab import explorer
parts = [json.dumps(explorer.measure("tanh", "large", 2.0, 5, 500)),  # 500 saturated units: the sums' order shows
         json.dumps(experiments.run_one("he_normal", "relu", 3, 20, 30, rng=1).to_dict()),
         plots.figure_bytes(plots.curves({"p": {"small": [1.0, 0.5, 0.2]}}), "svg").decode(),
         draw.draw(draw.mlp_loss([2, 3, 1], engine="scalar", rng=2)[0]).source]
# the ledger's text, the player's page, a traced model's clusters, a probe's and the schemes' tables (no set or dict
# of ids or names may order them)
from tinygrad_init import init, ledger, nn, player, probe, Tensor
loss, tr = draw.mlp_loss([3, 4, 2], rng=5)
with ledger.record() as steps:
    loss.backward()
parts += [str(steps.explain()), player.player_html(steps), draw.draw(loss, module=tr.collapsed()).source, init.table(),
          str(probe.probe_model(nn.MLP([3, 4, 1], rng=1), Tensor([[1.0, 2.0, 3.0], [0.5, 0.0, -1.0]]), rng=4))]
print(hashlib.sha256("".join(parts).encode()).hexdigest())
"""


def test_the_same_seed_gives_the_same_bytes_in_another_process_and_setting(tmp_path: Path) -> None:
    # another hash seed, BLAS thread count, matplotlib backend, folder and matplotlibrc; both import this package (with
    # PYTHONPATH=. the second one, in another folder, imported the installed copy: a change to measure() failed here)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(report.__file__).parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    here = subprocess.run([sys.executable, "-c", _DIGEST], capture_output=True, text=True, timeout=120, env={
        **env, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "2"})
    (tmp_path / "matplotlibrc").write_text("font.size: 30\nfigure.facecolor: black\n")
    there = subprocess.run([sys.executable, "-c", _DIGEST + "import tinygrad_init; print(tinygrad_init.__file__)"],
                           capture_output=True, text=True, timeout=120, env={
        **env, "PYTHONHASHSEED": "12345", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MPLBACKEND": "pdf", "MATPLOTLIBRC": str(tmp_path)}, cwd=tmp_path)
    assert here.returncode == there.returncode == 0, here.stderr + there.stderr
    digest, _, package = there.stdout.partition("\n")
    assert here.stdout == digest + "\n" and Path(package.strip()) == Path(report.__file__).parents[1] / "__init__.py"


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The quick report built twice with the same seed, through the command line (`--seed 0` the second time; its
    tests are marked QUICK_REPORT: test_findings reads the first one's experiments)."""
    return _runs.quick_report(tmp_path_factory)[:2]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_slide_ready(fig: Any) -> None:
    """At most a 13.33 x 7.5 in slide; every text at least 11 pt, inside the figure and clear of the other texts;
    legends only below or beside the panels, none over the data."""
    w, h = fig.get_size_inches()
    assert w <= 13.34 and h <= 7.51, f"{w} x {h} in is larger than a slide"
    FigureCanvasAgg(fig).draw()
    box = fig.bbox.padded(2)
    undrawn = {label for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
               for lo, hi in [sorted(axis.get_view_interval())]
               for tick in axis.get_major_ticks() + axis.get_minor_ticks() if not lo <= tick.get_loc() <= hi
               for label in (tick.label1, tick.label2)}  # ticks outside the axis range are not drawn
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t not in undrawn]
    for t in texts:
        assert t.get_fontsize() >= 11, f"{t.get_text()!r} is {t.get_fontsize()} pt"
        e = t.get_window_extent()
        assert box.x0 <= e.x0 and e.x1 <= box.x1 and box.y0 <= e.y0 and e.y1 <= box.y1, f"{t.get_text()!r} is cut off"
    placed = [t for ax in fig.axes for t in [*ax.texts, ax.title] if t.get_visible() and t.get_text().strip()]
    for t in placed + [t for leg in fig.legends for t in leg.get_texts()]:
        for u in texts:
            if u is not t:
                assert not t.get_window_extent().shrunk(0.98, 0.9).overlaps(u.get_window_extent().shrunk(0.98, 0.9)), \
                    f"{t.get_text()!r} overlaps {u.get_text()!r}"
    assert not any(ax.get_legend() for ax in fig.axes), "a legend inside a panel"
    for leg in fig.legends:
        for ax in fig.axes:
            assert not leg.get_window_extent().overlaps(ax.get_window_extent()), "a legend over a panel"
        mine = set(leg.get_texts())  # a legend row over the axes' "step" label or their tick labels
        assert not [t.get_text() for t in texts if t not in mine and t.get_window_extent().shrunk(0.98, 0.9).overlaps(
            leg.get_window_extent())], "a legend over the labels of a panel"


# ---------------------------------------------------------------- the report


FIGURES = {"verdict_grid", "activations_std", "activations_hist_tanh", "activations_hist_sigmoid",
           "activations_hist_relu", "gradients_gradients", "theory_ratios", "symmetry_weights", "training_loss",
           "depth_depth", "saturation_saturation", "batchnorm_batchnorm", "diagnosis_first_step", "diagnosis_training",
           "chaos_phase_diagram", "chaos_correlations", "chaos_trainability", "spectra_spectra"}
SECTIONS = ["verdict", "activations", "gradients", "theory", "symmetry", "training", "depth", "saturation",
            "batchnorm", "diagnosis", "chaos", "spectra"]


@_runs.QUICK_REPORT
def test_same_seed_writes_the_same_bytes(two_reports: tuple[Path, Path]) -> None:
    a, b = two_reports
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:  # the HTML, every figure and every data file
        assert fa[name] == fb[name], f"{name} differs between two runs with the same seed"


@_runs.QUICK_REPORT
def test_the_report_writes_every_file(two_reports: tuple[Path, Path]) -> None:
    files = _files(two_reports[0])
    figs = sorted(n for n in files if n.startswith("figures/"))
    assert {Path(n).stem for n in figs} == FIGURES and all(n.endswith(".png") for n in figs)  # SVG only with --svg
    assert all(files[n][:8] == b"\x89PNG\r\n\x1a\n" for n in figs)
    for name in SECTIONS:
        assert f"data/{name}.json" in files and f"data/{name}.csv" in files
    rows = list(csv.DictReader(io.StringIO(files["data/activations.csv"].decode())))
    assert len(rows) == 150 and rows[0]["scheme"] == "zeros" and rows[0]["layer"] == "1"
    every = json.loads(files["report.json"])
    assert [e["name"] for e in every["experiments"]] == SECTIONS and every["seed"] == 0 and every["quick"] is True
    # the report calls the experiments as a tutorial would: the same seed, the same numbers
    assert every["experiments"][5]["tables"]["main"] == experiments.training(rng=0, quick=True).table.to_dict()


@_runs.QUICK_REPORT
def test_the_lecture_report_page_lists_the_sections_in_the_reports_order(two_reports: tuple[Path, Path]) -> None:
    # docs/howto/lecture-report.md, "What it contains": a row per section, numbered in the page's order, each named
    # as the section's title begins ("gradient statistics": "Gradient magnitude layer by layer", ...)
    text = (Path(__file__).resolve().parents[2] / "docs" / "howto" / "lecture-report.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (\w+)", text.split("## What it contains")[1], re.M)
    titles = [e["title"] for e in json.loads((two_reports[0] / "report.json").read_text())["experiments"]]
    assert [int(n) for n, _ in rows] == list(range(1, len(SECTIONS) + 1)) and len(titles) == len(SECTIONS)
    assert [word.lower() for _, word in rows] == [re.match(r"\w+", t)[0].lower() for t in titles], (rows, titles)


@_runs.QUICK_REPORT
def test_the_page_opens_with_the_verdict_and_is_self_contained(two_reports: tuple[Path, Path]) -> None:
    page = (two_reports[0] / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r"<link\b", page, re.I) and not re.search(r"<script\b", page, re.I)
    srcs = re.findall(r'<img src="([^"]*)"', page)
    assert len(srcs) == len(FIGURES) and all(s.startswith("data:image/png;base64,") for s in srcs)
    positions = [page.index(f'<section id="{name}">') for name in SECTIONS]
    assert positions == sorted(positions)  # the verdict first
    verdict = page[positions[0]:positions[1]]
    assert '<td class="holds">holds</td>' in verdict and "Rule of thumb" in verdict and "Batch norm frees" in verdict
    # the sigmoid's 4x rule is the Theano tutorials' (deeplearning.net, mlp), not in Glorot & Bengio (2010)
    assert "the Theano tutorials after Glorot &amp; Bengio scale its weights by 4" in " ".join(verdict.split())
    assert verdict.count("it can never learn") == 1  # each rule once: in its table, not again as the grid's notes
    for key in ("Which Xavier?", "Glorot &amp; Bengio (2010)", "lottery", "He et al.", "median"):
        assert key in page, key
    assert "tinygrad-init report --out DIR --seed 0 --quick" in page
    # the shipped heatmap is shown with the command that makes it again; the explorer is pointed to
    chaos = page[page.index('<section id="chaos">'):page.index('<section id="spectra">')]
    assert f"<code>{spectra.REGENERATE}</code>" in chaos and "6 xi_c" in chaos
    assert spectra.REGENERATE == "tinygrad-init chaos --json tinygrad_init/lab/data/chaos_heatmap.json"
    assert page.index('<section id="spectra">') < page.index('<section id="explorer">') < page.index('id="schemes"')
    assert "<code>tinygrad-init explore --out DIR</code> writes one offline page" in page


@_runs.QUICK_REPORT
def test_the_new_sections_state_their_findings_from_the_numbers(two_reports: tuple[Path, Path]) -> None:
    every = {e["name"]: e for e in json.loads((two_reports[0] / "report.json").read_text())["experiments"]}
    diag = every["diagnosis"]
    rows = {(r["run"], r["layer"]): r for r in diag["tables"]["main"]["rows"]}
    poor = [rows[("poor init", str(l))]["saturated_first_%"] for l in range(1, 7)]
    assert np.mean(poor) > 50 and max(rows[("good init", str(l))]["saturated_first_%"] for l in range(1, 7)) < 5
    assert len(diag["findings"]) == 5 and "poor init" in diag["findings"][0]
    chaos = {r["phase"]: r for r in every["chaos"]["tables"]["main"]["rows"]}
    assert chaos["ordered"]["c_20_from_0.2"] > 0.99 and chaos["chaotic"]["c_star"] < 0.5  # order and chaos
    assert {r["scheme"]: r["phase"] for r in every["chaos"]["tables"]["schemes"]["rows"]} == {
        "LeCun / Xavier": "critical", "He": "chaotic", "tanh gain 5/3 (PyTorch)": "chaotic"}
    spread = {(r["weights"], r["depth"]): r["spread"] for r in every["spectra"]["tables"]["main"]["rows"]}
    assert spread[("tanh, orthogonal", 64)] < 1 < 10 < min(spread[(k, 64)] for k in (
        "tanh, Gaussian", "relu, Gaussian", "relu, orthogonal"))
    assert "Only tanh, orthogonal keeps the whole spectrum near 1" in every["spectra"]["findings"][0]
    # seed 0: 10*randn spread 19 points, He 12, and the finding said 10*randn was "no more of a lottery than He"
    last = every["training"]["findings"][-1]
    big, he = map(int, re.search(r"a spread of (\d+) points, while He varies by (\d+)", last).groups())
    assert "no more of a lottery" not in last and ("is a lottery" in last) == (big > max(10, 2 * he)), last


def test_piped_progress_writes_no_carriage_returns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report.build_report(tmp_path, progress=True, sections=[_section], workers=1)
    err = capsys.readouterr().err
    assert "\r" not in err and "experiments" not in err  # stderr is not a terminal here: no bars at all


def test_progress_with_stderr_closed_still_writes_the_report(tmp_path: Path, monkeypatch) -> None:
    # `tinygrad-init report 2>&-` (sys.stderr is None): tqdm drew its bars on None, and the report ended in an
    # AttributeError, unseen (stderr is closed), with exit 1 and no report
    monkeypatch.setattr(sys, "stderr", None)
    assert report.build_report(tmp_path, progress=True, sections=[_section], workers=1).html.is_file()


def test_render_html_escapes_text() -> None:
    res = experiments.ExperimentResult("x", "<b>title</b>", "q & a", {"main": Table(["a"], [["<i>"]])}, {}, {},
                                       ["1 < 2"], {})
    page = report.render_html([res], {}, seed=3, quick=False)
    assert "&lt;b&gt;title&lt;/b&gt;" in page and "1 &lt; 2" in page and "<i>" not in page


def _section(rng: int, quick: bool) -> experiments.ExperimentResult:
    """A stand-in for an experiment (module-level, so that the report's workers can run it)."""
    return experiments.ExperimentResult("activations", "1. A", "q?", {"main": Table(["layer", "std"], [[1, 0.5]])},
                                        {"n": [1, rng]}, {"depth": 2}, ["it works"],
                                        {"loss": partial(plots.loss_curves, {"a": [1.0, 0.5, 0.25]})})


def _interrupted(rng: int, quick: bool) -> experiments.ExperimentResult:
    raise KeyboardInterrupt  # Ctrl-C while the experiments run


def test_a_rerun_stopped_in_its_experiments_leaves_the_earlier_report_whole_and_in_its_writing_no_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report.build_report(tmp_path, seed=4, sections=[_section], workers=1)
    files = lambda: {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}  # noqa: E731
    before = files()
    assert len(before) == 6  # the page, report.json, a figure and three data files
    with pytest.raises(KeyboardInterrupt):
        report.build_report(tmp_path, seed=5, sections=[_interrupted], workers=1)
    assert files() == before  # it emptied figures/ and data/ before running: the page showed missing pictures
    calls = []
    monkeypatch.setattr(report, "write_whole", lambda *a: calls.append(a) or (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):  # stopped while writing its first file
        report.build_report(tmp_path, seed=5, sections=[_section], workers=1)
    assert len(calls) == 1 and not (tmp_path / "report.html").exists()  # no page beside half-written figures
    monkeypatch.undo()
    with (tmp_path / "report.json").open("rb") as reader:  # a browser reading a file as the rerun replaces it
        assert report.build_report(tmp_path, seed=5, sections=[_section], workers=1).html.is_file()  # may run again
        assert reader.read() == before[tmp_path / "report.json"]  # was the new file, truncated and half-written
    assert len(files()) == 6  # no file it wrote into before renaming is left


def test_a_figure_the_rerun_cannot_delete_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a figure open in a viewer (Windows) was left by rmtree(ignore_errors), then mkdir said "File exists: figures"
    report.build_report(tmp_path, seed=4, sections=[_section], workers=1)
    real = os.unlink

    def held(path: Any, **kwargs: Any) -> None:
        if str(path).endswith(".png"):
            raise PermissionError(13, "Permission denied", path)
        real(path, **kwargs)
    monkeypatch.setattr(os, "unlink", held)
    with pytest.raises(PermissionError, match=r"activations_loss\.png"):
        report.build_report(tmp_path, seed=5, sections=[_section], workers=1)


def test_a_report_worker_ends_at_once_and_quietly_on_ctrl_c() -> None:
    # a terminal sends Ctrl-C to each process of the command: a worker waiting for work printed KeyboardInterrupt's
    # 20-line traceback of its own before the command's "interrupted"
    code = ("import os, signal, time; from tinygrad_init.lab import report; report._worker(); "
            "os.kill(os.getpid(), signal.SIGINT); time.sleep(30)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (130, "")


def test_build_report_returns_the_files_and_svg_on_request(tmp_path: Path) -> None:
    stale = tmp_path / "figures" / "old.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"x")
    (tmp_path / "report.json").write_text("{}")  # an earlier report's folder
    out = io.StringIO()
    files = report.build_report(tmp_path, seed=4, log=out, svg=True, sections=[_section], workers=2)
    assert not stale.exists()  # figures/ and data/ are rebuilt
    assert sorted(p.name for p in files.figures) == ["activations_loss.png", "activations_loss.svg"]
    assert sorted(p.name for p in files.data) == ["activations.csv", "activations.json", "schemes.csv"]
    assert f"wrote {files.html}" in out.getvalue() and json.loads(files.json.read_text())["seed"] == 4
    assert "2 figure files in" in out.getvalue()  # one figure as PNG and SVG (it said "2 figures")
    one = report.build_report(tmp_path / "one", seed=4, svg=True, sections=[_section], workers=1)
    assert one.figures[1].read_bytes() == files.figures[1].read_bytes()  # a worker draws what this process draws
    with pytest.raises(ValueError, match="seed must be >= 0"):
        report.build_report(tmp_path, seed=-1)
    for option in ("quick", "svg"):  # svg="no" wrote the SVGs, quick="no" ran and labelled quick sizes
        with pytest.raises(TypeError, match=f"build_report: {option} must be True or False, got str 'no'"):
            report.build_report(tmp_path / option, sections=[_section], workers=1, **{option: "no"})
        assert not (tmp_path / option).exists()
    with pytest.raises(TypeError, match="build_report: sections must be a list of experiment functions, got"):
        report.build_report(tmp_path / "f", sections=_section, workers=1)  # 'function' has no len()
    with pytest.raises(TypeError, match=r"build_report: sections must be a list of experiment functions, got \[3\]"):
        report.build_report(tmp_path / "g", sections=[3], workers=1)  # was "'int' object is not callable", in run_all
    assert "--seed 4 --svg</code>" in files.html.read_text()  # the command to reproduce it writes the SVGs too


# ---------------------------------------------------------------- figures


def _hist_data(seed: int) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    gen = np.random.default_rng(seed)
    rows = {}
    for name in ("small", "large"):
        rows[name] = [np.histogram(np.tanh(gen.standard_normal(500) * s), bins=20, range=(-1, 1))
                      for s in (0.5, 1.0, 3.0)]
    return rows


def test_figures_are_byte_for_byte_reproducible_and_share_the_x_range() -> None:
    first = plots.histogram_grid(_hist_data(1), title="h", annotations={"small": ["a", "b", "c"]})
    second = plots.histogram_grid(_hist_data(1), title="h", annotations={"small": ["a", "b", "c"]})
    for fmt in ("svg", "png"):
        assert plots.figure_bytes(first, fmt) == plots.figure_bytes(second, fmt)
    assert plots.figure_bytes(plots.histogram_grid(_hist_data(2), title="h"), "svg") != plots.figure_bytes(first, "svg")
    limits = {ax.get_xlim() for ax in first.axes}
    assert len(limits) == 1  # every row on the same x range
    assert first.get_size_inches()[0] <= 13.34  # a 16:9 slide


def test_curves_draw_median_band_markers_and_the_legend_outside() -> None:
    seeds = np.array([[1.0, 0.5, 0.25], [1.0, 0.6, 0.3], [1.0, 0.4, 0.2]])
    fig = plots.curves({"p": {"small": seeds, "large": [2.0, 1.0, 0.5]}}, {"p": {"large": [2.0, 1.1, 0.6]}},
                       hlines={"ln 2": 0.69}, title="t")
    ax = fig.axes[0]
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), [1.0, 0.5, 0.25])  # the median over the seeds
    assert lines[0].get_marker() != lines[1].get_marker()  # no line hides another
    assert [l.get_linestyle() for l in lines[:3]] == ["-", "-", "--"] and ax.get_yscale() == "log"
    assert len(ax.collections) == 1  # the band of the three seeds
    legend = fig.legends[0]
    assert legend.get_bbox_to_anchor().y0 == 0.0  # below the panels, clear of the data and of the ln 2 label
    fig = plots.layer_curves({"p": {"z": [0.0, 1.0]}})
    assert np.isnan(fig.axes[0].get_lines()[0].get_ydata()[0])  # zeros on a log axis are left out


def test_in_panel_text_is_readable_on_a_slide() -> None:
    fig = plots.histogram_grid(_hist_data(1), annotations={"small": ["std 0.5"] * 3})
    sizes = [t.get_fontsize() for ax in fig.axes for t in ax.texts]
    assert sizes and min(sizes) >= 11  # at 13.33 inches wide, the size of the slide


def test_save_figure_and_errors(tmp_path: Path) -> None:
    fig = plots.loss_curves({"a": [3.0, 2.0, 1.0]}, hlines={"ln 2": 0.69})
    for suffix in (".png", ".svg", ".pdf"):
        assert plots.save_figure(fig, tmp_path / f"f{suffix}").stat().st_size > 500
    assert plots.figure_bytes(fig, "pdf") == plots.figure_bytes(fig, "pdf")  # no creation date
    assert plots.save_figure(fig, tmp_path / "g.PDF", "Pdf").read_bytes()[:5] == b"%PDF-"  # one format, in capitals
    with pytest.raises(ValueError, match="^save_figure: fmt must be one of"):
        plots.save_figure(fig, tmp_path / "f.gif")
    with pytest.raises(ValueError, match="ending in .png"):
        plots.save_figure(fig, tmp_path / "noext")
    with pytest.raises(ValueError, match="3 counts need 4 edges"):
        plots.histogram_grid({"r": [(np.ones(3), np.arange(3))]})
    with pytest.raises(ValueError, match="no rows"):
        plots.histogram_grid({})
    with pytest.raises(ValueError, match="not a matrix"):
        plots.weight_heatmaps({"r": [("w", np.zeros(3))]})


def test_the_slide_check_catches_what_it_should() -> None:
    from matplotlib.figure import Figure

    def fig(width=10.0, **kw):
        with plots.slide_style():
            f = Figure(figsize=(width, 5))
            ax = f.add_subplot()
            ax.plot([0, 1], [0, 1], label="a")
            for what in kw:
                {"legend": lambda: ax.legend(), "small": lambda: ax.text(0.5, 0.5, "tiny", fontsize=8),
                 "clash": lambda: [ax.text(0.5, 0.5, "one", fontsize=12), ax.text(0.5, 0.5, "two", fontsize=12)],
                 "cut": lambda: ax.text(1.2, 0.5, "outside the figure", fontsize=12, transform=f.transFigure)}[what]()
        return f

    assert_slide_ready(fig())
    for bad, match in ((fig(18.0), "larger than a slide"), (fig(legend=1), "legend inside"), (fig(small=1), "8"),
                       (fig(clash=1), "overlaps"), (fig(cut=1), "cut off")):
        with pytest.raises(AssertionError, match=match):
            assert_slide_ready(bad)


def test_scheme_colors_are_fixed() -> None:
    assert plots.scheme_color("he_normal") == plots.scheme_color(experiments.label("he_normal"))
    assert plots.scheme_color("small") != plots.scheme_color("large")
    # constant and orthogonal shared an orange, in one training figure of eight networks
    named = ["zeros", "constant", "small", "large", "xavier_uniform", "xavier_normal", "glorot_standard",
             "lecun_normal", "he_normal", "orthogonal"]
    assert len({plots.scheme_color(k) for k in named}) == len(named)
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
    (["sweep", "--depth", "0"], "--depth: expected a whole number >= 1"),
    (["sweep", "--batch", "1"], "--batch: expected a whole number >= 2"),
    (["report", "--seed", "x"], "--seed: expected a whole number"),
    (["report", "--seed", "-1"], "--seed: expected a whole number >= 0"),
    (["report", "--epochs", "3"], "unrecognized arguments: --epochs 3"),
])
def test_bad_options_exit_2_with_a_message(argv, fragment, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert fragment in capsys.readouterr().err


@pytest.mark.parametrize("command,words", [
    ("report", ["report.html", "--quick", "--seed", "--svg", "examples:", "Xavier slower at 22, stalled at 30",
                "offline", "the report takes about", "--quick 5 s", "the edge of chaos", "lr 0.01, 15,000 steps"]),
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


@pytest.mark.parametrize("name", ["report.html", "report.json"])
def test_report_refuses_a_folder_where_its_page_goes_before_running(name, tmp_path, capsys, monkeypatch) -> None:
    # a folder report.html in --out was found only after the experiments (15 s, a minute on a busy machine)
    monkeypatch.setattr(report, "build_report", lambda *a, **k: pytest.fail("ran, then failed to write"))
    (tmp_path / name).mkdir()
    assert cli.main(["report", "--out", str(tmp_path), *QUICK]) == 1
    assert capsys.readouterr().err == f"tinygrad-init report: cannot write into {tmp_path}: {tmp_path / name} is a " \
        "folder, not a file: move it away or write elsewhere\n"


def test_report_never_deletes_a_data_folder_it_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # `report --out .` in a project folder used to delete its data/ and figures/
    mine = tmp_path / "data" / "measurements.csv"
    mine.parent.mkdir()
    mine.write_text("1,2\n")
    assert cli.main(["report", "--out", str(tmp_path), *QUICK]) == 1
    err = capsys.readouterr().err  # the Python function's name is not what the user typed
    assert "has no report.json, so no report wrote them" in err and "build_report" not in err, err
    assert mine.read_text() == "1,2\n" and not (tmp_path / "figures").exists()


def test_report_prints_where_it_wrote_and_the_time_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    files = report.ReportFiles(out_dir=tmp_path, html=tmp_path / "report.html", json=tmp_path / "report.json",
                               seconds=1.25)
    seen = {}

    def stub(folder, seed, quick, progress, log, svg):
        seen.update(folder=folder, seed=seed, quick=quick, progress=progress, svg=svg)
        print(f"wrote {files.html}", file=log)
        return files

    monkeypatch.setattr(report, "build_report", stub)
    assert cli.main(["report", "--out", str(tmp_path), "--seed", "5"]) == 0
    assert seen == {"folder": tmp_path, "seed": 5, "quick": False, "progress": True, "svg": False}
    captured = capsys.readouterr()
    assert f"wrote {files.html}" in captured.out
    assert "tinygrad-init report: done in 1.2 s" in captured.err


@_runs.QUICK_REPORT
def test_every_number_on_the_page_is_the_one_in_its_csv_and_every_figure_its_file(two_reports) -> None:
    # a lecturer copies from the page, the CSV or report.json: the three agree (the page at 3 digits)
    from tinygrad_init.utils import format_number
    root = two_reports[0]
    page = (root / "report.html").read_text(encoding="utf-8")
    csvs = {p.name: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8")))) for p in root.glob("data/*.csv")}
    for e in json.loads((root / "report.json").read_text())["experiments"]:  # report.json's tables are the CSVs
        for key, t in e["tables"].items():
            name = f"{e['name']}.csv" if key == "main" else f"{e['name']}_{key}.csv"
            assert Table.from_dict(t).to_csv() == (root / "data" / name).read_text(encoding="utf-8"), name
    tables = re.findall(r"<table.*?</table>", page, re.S)
    assert len(tables) >= 12
    for t in tables:
        cells = [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
                 for row in re.findall(r"<tr>(.*?)</tr>", t)]
        match = [rows for rows in csvs.values() if rows[0] == cells[0] and len(rows) == len(cells)]
        assert match, f"no CSV has the page's table {cells[0]}"
        for csv_row, page_row in zip(match[0][1:], cells[1:]):
            for v, shown in zip(csv_row, page_row, strict=True):
                number = re.fullmatch(r"-?(\d[\d.e+-]*|inf)|nan", v)
                assert shown == (format_number(float(v)) if number else v) or v == "" and shown == "-", (v, shown)
    for data, name in re.findall(r'base64,([^"]*)"[^>]*><figcaption>(figures/[^<]*)</figcaption>', page):
        assert base64.b64decode(data) == (root / name).read_bytes(), name


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium, driven as the player's browser tests drive it, for the module's browser tests."""
    browser = _chromium.start()
    yield browser
    browser.close()


@pytest.mark.browser
@_runs.QUICK_REPORT
def test_the_page_in_chromium_fits_the_width_and_loads_offline(two_reports, chromium) -> None:
    # wide tables (measured / theory by layer, deeplearning.ai's 13 columns) pushed the page to 1,900 px
    with _chromium.tab(chromium) as browser:
        browser.call("Network.enable", session=True)
        for width, height in ((1280, 720), (800, 720)):
            browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                                 "deviceScaleFactor": 1, "mobile": False}, session=True)
            browser.open(two_reports[0] / "report.html")
            browser.js("document.querySelectorAll('details').forEach(d => d.open = true)")  # the long tables too
            assert browser.js("document.documentElement.scrollWidth") <= width, f"wider than {width} px"
            assert browser.js("Array.prototype.every.call(document.images, i => i.complete && i.naturalWidth > 0)")
            assert browser.js("Array.prototype.every.call(document.querySelectorAll('a'), "
                              "a => document.getElementById(a.getAttribute('href').slice(1)))")  # every link an anchor
        assert browser.errors() == []
        fetched = [e["params"]["request"]["url"] for e in browser.events
                   if e.get("method") == "Network.requestWillBeSent"]
        assert fetched and all(url.startswith(("file:", "data:")) for url in fetched), fetched  # nothing from the net


@pytest.mark.browser
@_runs.QUICK_REPORT
def test_the_page_prints_without_cutting_a_table(two_reports, chromium) -> None:
    # a wide table scrolled in its box on screen and was cut at that box's edge on paper: printed on Letter (7.7 in,
    # 739 px, between Chromium's margins) the deeplearning.ai table lost 7 of its 13 columns, 1,872 px in 762
    with _chromium.tab(chromium) as browser:
        browser.open(two_reports[0] / "report.html")
        browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 739, "height": 1000, "deviceScaleFactor": 1,
                                                             "mobile": False}, session=True)
        # a table over 16 rows folds into <details> on screen; on paper it was left out (diagnosis; full: spectra too)
        assert browser.js("[...document.querySelectorAll('table')].filter(t => !t.checkVisibility()).length") == 0
        browser.js("document.querySelectorAll('details').forEach(d => d.open = true)")
        cut = browser.js("[...document.querySelectorAll('.tinygrad-init-table, table, pre')].filter(e => e.scrollWidth"
                         " > e.clientWidth + 1 || e.getBoundingClientRect().right > 739).map(e => e.textContent"
                         ".slice(0, 60))")
        assert cut == [] and browser.js("document.documentElement.scrollWidth") <= 739, cut
        pdf = browser.call("Page.printToPDF", {"paperWidth": 8.5, "paperHeight": 11}, session=True)["data"]
        assert base64.b64decode(pdf).startswith(b"%PDF")


@_runs.QUICK_REPORT
def test_every_figure_on_the_page_says_what_it_shows(two_reports) -> None:
    # the alt text was the section's title and the file's name ("Batch normalization: batchnorm"), which a screen
    # reader reads out and a slide copied from the page keeps: now the figure's own title, panels and axes
    page = html.unescape((two_reports[0] / "report.html").read_text(encoding="utf-8"))
    titles = {e["name"]: e["title"] for e in json.loads((two_reports[0] / "report.json").read_text())["experiments"]}
    alts = dict(zip(re.findall(r"<figcaption>figures/(\w+)\.png</figcaption>", page),
                    re.findall(r'alt="([^"]*)"', page)))
    assert sorted(alts) == sorted(FIGURES)
    for name, alt in alts.items():
        section = name.split("_")[0]
        shown = alt.removeprefix(f"{titles[section]}: ")
        assert len(shown.split()) >= 5 and shown != name.removeprefix(f"{section}_"), (name, alt)
    assert len(set(alts.values())) == len(alts)
    assert "Gradient std by layer: measured (solid) vs theory (dashed)" in alts["gradients_gradients"]
    assert "relu: activation histograms by layer" in alts["activations_hist_relu"]
    assert "dL/dW" in alts["diagnosis_first_step"] and "update:data" in alts["diagnosis_training"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("progress", [False, True])
def test_progress_bars_on_a_terminal_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     progress: bool) -> None:
    monkeypatch.setattr(sys, "stderr", err := _Terminal())
    report.build_report(tmp_path, sections=[_section], workers=1, **({"progress": True} if progress else {}))
    assert ("experiments" in err.getvalue()) == progress  # the library's default is silent, even on a terminal


def test_the_experiments_bar_ends_full_whatever_the_number_of_parts_run_all_submits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # run_all submits every experiment and one sweep per activation and batch-norm setting (14 parts): the bar's
    # total said 10 and its count ran past it; the total is the number of parts submitted
    import tqdm
    bars = []

    class Bar(tqdm.tqdm):
        def close(self) -> None:
            bars.append((self.desc, self.n, self.total))
            super().close()

    def run_all(seed: int, quick: bool, submit, done) -> list:  # parts as the real one submits them: 2, 6, then 6
        parts = [submit(_section, rng=k, quick=quick) for k in range(14)]
        return [p.result() for p in parts[:2]]

    monkeypatch.setattr(tqdm, "tqdm", Bar)
    monkeypatch.setattr(report, "run_all", run_all)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    report.build_report(tmp_path, progress=True, workers=1)
    assert ("experiments", 14, 14) in bars, bars


def test_the_experiments_bar_shows_its_whole_total_from_the_start_when_the_parts_run_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With one worker (one core, or no pool) each part ran as it was submitted: a total counted from the submissions
    # read 1/1, 2/2, ... 14/14, full all along. The bar knows run_all's 14 parts (or the sections given) from its start.
    import tqdm
    seen = []

    class Bar(tqdm.tqdm):
        def update(self, n: int = 1) -> None:
            super().update(n)
            seen.append((self.desc, self.n, self.total))

    monkeypatch.setattr(tqdm, "tqdm", Bar)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.setattr(report, "run_all", lambda seed, quick, submit, done: [  # 14 parts, each read as it is made
        submit(_section, rng=k, quick=quick).result() for k in range(14)][:1])
    report.build_report(tmp_path, progress=True, workers=1)
    experiments = [(n, total) for desc, n, total in seen if desc == "experiments"]
    assert experiments == [(n, 14) for n in range(1, 15)], experiments
    seen.clear()
    report.build_report(tmp_path, progress=True, workers=1, sections=[_section, _section, _section])
    assert [(n, t) for desc, n, t in seen if desc == "experiments"] == [(1, 3), (2, 3), (3, 3)], seen


def test_run_all_submits_every_experiment_and_a_sweep_per_activation_with_and_without_batch_norm() -> None:
    # the experiments bar's total is this count, known before any part runs
    from concurrent.futures import Future
    calls = []

    def submit(f, *a, **k):  # every part is submitted before any result is read: a failed future stops it there
        calls.append(f)
        (future := Future()).set_exception(LookupError("counted"))
        return future

    with pytest.raises(LookupError, match="counted"):
        experiments.run_all(0, True, submit)
    assert len(calls) == len(experiments.EXPERIMENTS) + 2 * len(experiments.ACTIVATIONS) == 14, calls


def test_stage_times_are_parts_of_the_measured_wall_time(tmp_path: Path) -> None:
    import time
    start = time.perf_counter()
    files = report.build_report(tmp_path, sections=[_section], workers=1)
    wall = time.perf_counter() - start
    stages = files.stage_seconds
    assert sorted(stages) == ["experiments", "figures", "files"] and all(v >= 0 for v in stages.values())
    assert sum(stages.values()) == pytest.approx(files.seconds) and 0 < files.seconds <= wall


def test_a_file_where_the_report_puts_a_folder_is_refused_before_the_experiments(tmp_path) -> None:
    # build_report found a file named figures or data only after the experiments, the earlier report.html deleted
    # by then; only the command line checked first. Now the library does, for every caller
    from tinygrad_init.lab import report as R
    (tmp_path / "report.html").write_text("the earlier report")
    (tmp_path / "data").write_text("a file of the user's")

    def never_run(**kwargs):
        raise AssertionError("an experiment ran before the output folder was checked")
    with pytest.raises(NotADirectoryError, match="data"):
        R.build_report(tmp_path, sections=[never_run], workers=1, progress=False)
    assert (tmp_path / "report.html").read_text() == "the earlier report"
    # out_dir itself a file (or under one), a folder named report.html or report.json: found after the experiments
    # and figures, as pathlib's error on report.html; out_dir=None: pathlib's "expected str, bytes or os.PathLike"
    (tmp_path / "data").unlink()
    for out, error, name in ((tmp_path / "report.html", NotADirectoryError, "report.html"),
                             (tmp_path / "report.html" / "sub", NotADirectoryError, "report.html"),
                             (tmp_path / "new", IsADirectoryError, "new/report.json")):
        (tmp_path / "new" / "report.json").mkdir(parents=True, exist_ok=True)
        with pytest.raises(error, match=f"{name}'$"):
            R.build_report(out, sections=[never_run], workers=1, progress=False)
    with pytest.raises(TypeError, match=r"^build_report: out_dir must be a folder \(a str or a Path\), got NoneType"):
        R.build_report(None, sections=[never_run], workers=1)
    # figures/ a link to a folder of the lecturer's slides: "File exists" after the experiments, report.html deleted
    (tmp_path / "figures").symlink_to((tmp_path / "slides").resolve())
    (tmp_path / "slides").mkdir()
    with pytest.raises(FileExistsError, match=r"^build_report: .*figures is a link to .*slides, whose .*; remove"):
        R.build_report(tmp_path, sections=[never_run], workers=1, progress=False)
    assert (tmp_path / "report.html").read_text() == "the earlier report"
