"""The report page and folder pinned against what the docs say: files-only tables, long tables folded, the
section order, the command to reproduce it, and which folders it replaces."""

from __future__ import annotations

import base64
import concurrent.futures
import json
import os
import re
import types
from pathlib import Path

import numpy as np
import pytest

from tinygrad_init.lab import experiments, report
from tinygrad_init.lab.table import Table

from tests.lab.test_report import _section  # module level: the workers run it


def _result(name: str, tables: dict[str, Table], title: str = "T") -> experiments.ExperimentResult:
    return experiments.ExperimentResult(name, title, "q?", tables, {}, {}, ["found"], {})


def _rows(n: int, title: str = "") -> Table:
    return Table(["layer", "std"], [[i, 0.5 + i] for i in range(1, n + 1)], title=title)


def test_the_long_per_layer_tables_are_named_with_their_file_not_shown() -> None:
    res = _result("gradients", {"main": _rows(3, "Per layer"), "theory_vs_measurement": _rows(2, "Theory")})
    page = report.render_html([res], {}, seed=0, quick=True)
    assert "<p>Per layer: 3 rows in <code>data/gradients.csv</code>.</p>" in page
    assert "<p>Theory: 2 rows in <code>data/gradients_theory_vs_measurement.csv</code>.</p>" in page
    assert "<table" not in page.split('id="gradients"')[1].split("</section>")[0]


def test_a_table_of_16_rows_is_shown_and_one_of_17_folds_into_details() -> None:
    res = _result("training", {"main": _rows(16, "Sixteen"), "more": _rows(17, "Seventeen")})
    page = report.render_html([res], {}, seed=0, quick=True)
    assert page.count("<details>") == 1 and "<summary>Seventeen (17 rows)</summary>" in page
    assert "Sixteen" in page.split("<details>")[0]


def test_sections_come_in_the_order_given_then_the_explorer_and_the_schemes() -> None:
    results = [_result(n, {"main": _rows(1)}, title=t) for n, t in (("zeta", "Z first"), ("alpha", "A second"))]
    page = report.render_html(results, {}, seed=0, quick=True)
    ids = re.findall(r'<section id="([^"]+)">', page)
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert ids == links == ["zeta", "alpha", "explorer", "schemes"]


@pytest.mark.parametrize("seed, quick, svg, cmd", [
    (0, False, False, "tinygrad-init report --out DIR --seed 0</code>"),
    (7, True, False, "tinygrad-init report --out DIR --seed 7 --quick</code>"),
    (3, False, True, "tinygrad-init report --out DIR --seed 3 --svg</code>"),
])
def test_the_page_names_the_command_that_reproduces_it(seed, quick, svg, cmd) -> None:
    page = report.render_html([], {}, seed=seed, quick=quick, svg=svg)
    assert cmd in page and f"seed {seed}; {'quick' if quick else 'full'} sizes." in page


def test_an_empty_figures_or_data_folder_of_the_users_is_no_reason_to_refuse(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()  # empty: nothing of the user's can be lost
    files = report.build_report(tmp_path, sections=[_section], workers=1)
    assert files.data and sorted(p.name for p in (tmp_path / "data").iterdir()) == sorted(p.name for p in files.data)


@pytest.mark.parametrize("folder", ["figures", "data"])
def test_either_folder_holding_files_without_a_report_json_is_refused(tmp_path: Path, folder: str) -> None:
    mine = tmp_path / folder / "mine.txt"
    mine.parent.mkdir()
    mine.write_text("keep")
    with pytest.raises(FileExistsError, match="has no report.json, so no report wrote them"):
        report.build_report(tmp_path, sections=[_section], workers=1)
    assert mine.read_text() == "keep" and not (tmp_path / "report.html").exists()


def test_the_page_inlines_each_figure_as_the_png_it_wrote(tmp_path: Path) -> None:
    files = report.build_report(tmp_path, sections=[_section], workers=1)
    png = (tmp_path / "figures" / "activations_loss.png").read_bytes()
    page = files.html.read_text(encoding="utf-8")
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}"' in page
    assert "<figcaption>figures/activations_loss.png</figcaption>" in page


@pytest.mark.parametrize("cores, pool", [(4, 2), (2, 2), (1, None), (None, None)])
def test_the_default_workers_are_one_per_core_at_most_2(tmp_path, monkeypatch, cores, pool) -> None:
    # docstring: "default one per core, at most 2"; one worker runs everything in this process (no pool)
    made = []

    class Spy(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, workers, context, initializer):
            made.append(workers)
            super().__init__(workers, initializer=initializer)

    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    report.build_report(tmp_path, sections=[_section])
    assert made == ([] if pool is None else [pool])


def test_each_figure_is_drawn_once_when_the_pool_calls_back_late(tmp_path, monkeypatch) -> None:
    # Future.set_result wakes the waiting main thread before it runs the callbacks: the main thread queued a figure
    # that the pool's thread, calling back, queued again (3 of 18 drawn twice in 2 of 5 quick reports)
    import time

    class Late(concurrent.futures.Future):
        def _invoke_callbacks(self) -> None:
            time.sleep(0.05)  # the main thread, woken, queues the figure meanwhile
            super()._invoke_callbacks()

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, workers, context, initializer):
            super().__init__(workers, initializer=initializer)

        def submit(self, fn, *args, **kwargs):
            late = Late()
            super().submit(fn, *args, **kwargs).add_done_callback(lambda f: late.set_result(f.result()))
            return late

    def run_all(seed, quick, submit, done):  # one experiment, its figures drawn as it comes
        job = submit(_section, rng=seed, quick=quick)
        job.add_done_callback(lambda j: done(j.result()))
        return [job.result()]

    drawn, render = [], report._render
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(report, "run_all", run_all)
    monkeypatch.setattr(report, "_render", lambda *a: drawn.append(time.sleep(0.2)) or render(*a))  # still drawing
    report.build_report(tmp_path, workers=2)
    assert len(drawn) == 1


def test_one_worker_draws_the_figures_after_the_experiments(tmp_path, monkeypatch) -> None:
    # without a pool, drawing each section as it came overlapped nothing: the figures' time was counted as the
    # experiments' ("figures 0.0 s"), and an error drawing one was logged from a future's callback, then raised again
    seen = []
    monkeypatch.setattr(report, "run_all", lambda seed, quick, submit, done: seen.append(done) or [_section(0, 0)])
    assert report.build_report(tmp_path, workers=1).stage_seconds["figures"] > 0 and seen == [None]


def test_the_default_seed_is_0(tmp_path: Path) -> None:
    files = report.build_report(tmp_path, sections=[_section], workers=1)  # --help: "--seed (default: 0)"
    assert json.loads(files.json.read_text(encoding="utf-8"))["seed"] == 0
    assert "--seed 0</code>" in files.html.read_text(encoding="utf-8")


def test_each_stage_time_is_the_time_between_its_bounds(tmp_path: Path, monkeypatch) -> None:
    ticks = iter(range(100))  # a clock that moves one second per reading: start 0, experiments 1, figures 2, end 3
    monkeypatch.setattr(report, "time", types.SimpleNamespace(perf_counter=lambda: float(next(ticks))))
    files = report.build_report(tmp_path, sections=[_section], workers=1)
    assert files.seconds == 3.0 and files.stage_seconds == {"experiments": 1.0, "figures": 1.0, "files": 1.0}
    assert list(files.stage_seconds) == ["experiments", "figures", "files"]  # in the order they run


@pytest.mark.parametrize("platform, method", [("linux", "fork"), ("darwin", None), ("win32", None)])
def test_the_workers_fork_on_linux_only(tmp_path, monkeypatch, platform, method) -> None:
    # elsewhere they start as Python starts processes there (spawn): a forked child can crash on macOS
    import multiprocessing
    asked = []
    monkeypatch.setattr(multiprocessing, "get_context", lambda m=None: asked.append(m))
    threads = lambda n, context, init: concurrent.futures.ThreadPoolExecutor(n, initializer=init)  # noqa: E731
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", threads)
    monkeypatch.setattr(report.sys, "platform", platform)
    report.build_report(tmp_path, sections=[_section], workers=2)
    assert asked == [method]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"results": None}, TypeError, "render_html: results must be a list of ExperimentResult"),  # 'not iterable'
    ({"results": "abc"}, TypeError, "render_html: results must be a list"),  # "'str' object has no attribute 'name'"
    ({"quick": np.array([])}, TypeError, "render_html: quick must be True or False"),  # numpy's "truth value"
    ({"svg": "no"}, TypeError, "render_html: svg must be True or False"),  # 'no' read as True: " --svg" on the page
    ({"seed": float("nan")}, TypeError, "render_html: seed must be a whole number"),  # "seed nan" on the page
])
def test_render_html_names_results_flags_or_seed_of_the_wrong_type(kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        report.render_html(**{"results": [], "pngs": {}, "seed": 0, "quick": True, **kwargs})
