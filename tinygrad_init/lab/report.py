"""The lecture report (`tinygrad-init report --out DIR`): `report.html`, one self-contained page of every
experiment's findings, figures and tables, `report.json` (every number), `figures/` (PNG, SVG on request) and
`data/` (JSON, CSV). The same seed writes the same bytes on one machine (another BLAS kernel changes the last digits,
and a training run near a threshold may come out otherwise); timings go to stderr only."""

from __future__ import annotations

import base64
import contextlib
import errno
import html
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import count
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from threadpoolctl import threadpool_limits

from .. import __version__
from ..nn import init as _init
from ..utils import check_bool, check_int, check_type, not_installed, ordered, quoted, write_whole
from .plots import WORD_COLORS, figure_bytes, mpl
from .experiments import ACTIVATIONS, EXPERIMENTS, SCHEME_LABELS, ExperimentResult, _now, run_all
from .table import Table

__all__ = ["build_report", "render_html", "schemes_table", "ReportFiles"]

_CSS = "\n" + files(__package__).joinpath("report.css").read_text(encoding="utf-8")  # the page's style
_CSS += " ".join(f".{w} {{ background: {c}55; }}" for w, c in WORD_COLORS.items()) + "\n"  # the figure's colours

#: The pointer to `tinygrad-init explore` at the end of the page.
EXPLORER = ("`tinygrad-init explore --out DIR` writes one offline page where you pick an activation, a scheme and "
            "its gain, a depth and a width, and at once see every layer's activation and gradient histograms, the "
            "std per layer beside the theory, and the verdict word.")
#: Tables only written as files: their rows are in data/ (too long for the page).
_FILES_ONLY = {("batchnorm", "main"), ("gradients", "theory_vs_measurement"), ("activations", "main"),
               ("gradients", "main")}


@dataclass
class ReportFiles:
    """What `build_report` wrote, the results, and how long it took (in no file)."""

    out_dir: Path
    html: Path
    json: Path
    figures: list[Path] = field(default_factory=list)
    data: list[Path] = field(default_factory=list)
    results: list[ExperimentResult] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)


def schemes_table() -> Table:
    """The scheme/formula table of `init.table()` as a `Table`."""
    cols = ["name", "aliases", "formula", "variance", "source", "note"]
    return Table(cols, [[r[c] for c in cols] for r in _init.table("rows")],
                 title="Initialization schemes: W ~ formula, Var(W)",
                 notes=["shapes follow the lecture layout: W is (fan_in, fan_out) and y = x @ W",
                        "in this report: " + "; ".join(f"{k} = {v}" for k, v in SCHEME_LABELS.items())])


def _esc(text: Any) -> str:
    return html.escape(str(text))


def _prose(text: str) -> str:
    """A finding as HTML: escaped, its `commands` in code spans."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _esc(text))


def _table_file(result: ExperimentResult, key: str) -> str:
    return f"{result.name}.csv" if key == "main" else f"{result.name}_{key}.csv"


def _table_html(result: ExperimentResult, key: str, table: Table) -> str:
    if (result.name, key) in _FILES_ONLY:
        return f"<p>{_esc(table.title)}: {len(table)} rows in <code>data/{_esc(_table_file(result, key))}</code>.</p>"
    if result.name == "verdict" and key == "main":  # each word in its colour; its notes are the rules table's rows
        head = "".join(f"<th>{_esc(c)}</th>" for c in table.columns)
        rows = "".join(f"<tr><th>{_esc(a)}</th>" + "".join(f'<td class="{_esc(w)}">{_esc(w)}</td>' for w in words)
                       + "</tr>" for a, *words in (r.values() for r in table))
        return f'<table class="verdict"><caption>{_esc(table.title)}</caption><tr>{head}</tr>{rows}</table>'
    if len(table) <= 16:  # shown in full; a longer table folds into <details>
        return table.to_html()
    return f"<details><summary>{_esc(table.title or key)} ({len(table)} rows)</summary>{table.to_html()}</details>"


def render_html(results: Sequence[ExperimentResult], pngs: dict[tuple[str, str], bytes], *, seed: int,
                quick: bool, svg: bool = False, alts: dict[tuple[str, str], str] | None = None) -> str:
    """The report page: `results` in order, `pngs[(experiment, figure)]` inlined as base64, `alts[...]` (default:
    the figure's name) what each shows."""
    seed, quick, svg = check_int("render_html", "seed", seed, 0), *(check_bool("render_html", k, v) for k, v in (
        ("quick", quick), ("svg", svg)))  # the page's seed and sizes, to rerun it by
    if not ordered(results) or not all(isinstance(r, ExperimentResult) for r in results):
        raise TypeError(f"render_html: results must be a list of ExperimentResult (run_all's), got "
                        f"{quoted(results):.60}")
    cmd = f"tinygrad-init report --out DIR --seed {seed}" + " --quick" * quick + " --svg" * svg
    out = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Weight initialization, layer by layer</title>\n<style>{_CSS}</style>\n</head>\n<body>",
           "<h1>Weight initialization, layer by layer</h1>",
           f'<p class="settings">tinygrad_init {_esc(__version__)}; seed {seed}; {"quick" if quick else "full"} sizes. '
           f"Reproduce every number and figure with <code>{_esc(cmd)}</code> on this machine (another BLAS kernel "
           "changes the last digits, and a training run near a threshold may come out otherwise); every number is in "
           "<code>report.json</code> and <code>data/</code>, each figure in <code>figures/</code>. Results over "
           "several seeds are given as the median with the lowest and highest value (figures: a line and a band)."
           "</p>", "<nav><h2>Contents</h2><ol>"]
    out += [f'<li><a href="#{_esc(r.name)}">{_esc(r.title)}</a></li>' for r in results] + [
        '<li><a href="#explorer">The init explorer</a></li><li><a href="#schemes">The schemes</a></li></ol></nav>']
    for r in results:
        out += [f'<section id="{_esc(r.name)}"><h2>{_esc(r.title)}</h2>', f'<p class="question">{_esc(r.question)}</p>']
        out.append('<ul class="findings">' + "".join(f"<li>{_prose(f)}</li>" for f in r.findings) + "</ul>")
        for name in r.figure_names:
            if (key := (r.name, name)) in pngs:
                data, alt = base64.b64encode(pngs[key]).decode("ascii"), (alts or {}).get(key, name)
                out.append(f'<figure><img src="data:image/png;base64,{data}" alt="{_esc(r.title)}: {_esc(alt)}">'
                           f"<figcaption>figures/{_esc(r.name)}_{_esc(name)}.png</figcaption></figure>")
        out += [_table_html(r, key, t) for key, t in r.tables.items()] + ["</section>"]
    xavier = "".join(_init.table("text").partition("Which Xavier?")[1:])  # the notes below the table
    out += ['<section id="explorer"><h2>The init explorer</h2>', f"<p>{_prose(EXPLORER)}</p></section>",
            '<section id="schemes"><h2>The schemes</h2>', "<p>Most schemes are <code>variance_scaling(scale, mode, "
            "distribution)</code>: Var(W) = scale / n with n = fan_in, fan_out or their mean; this table is printed "
            "from the code (<code>init.table()</code>).</p>", schemes_table().to_html(), f"<pre>{_esc(xavier)}</pre>",
            "</section>", '<footer><p class="settings">Sources: CS231n (2017), lecture 6, Training Neural Networks I; '
            "Glorot &amp; Bengio (2010), Understanding the difficulty of training deep feedforward neural networks; "
            "He, Zhang, Ren &amp; Sun (2015), Delving Deep into Rectifiers; deeplearning.ai, Improving Deep Neural "
            "Networks, week 1, Initialization; Ioffe &amp; Szegedy (2015), Batch Normalization; Karpathy, Neural "
            "Networks: Zero to Hero, Activations &amp; Gradients, BatchNorm; Poole et al. (2016), Exponential "
            "expressivity in deep neural networks through transient chaos; Schoenholz et al. (2017), Deep "
            "Information Propagation; Pennington, Schoenholz &amp; Ganguli (2017), Resurrecting the sigmoid in deep "
            "learning through dynamical isometry.</p></footer>",
            "</body>\n</html>"]
    return "\n".join(out) + "\n"


def _render(result: ExperimentResult, name: str, svg: bool) -> tuple[dict[str, bytes], str]:
    """The figure's files, and what it shows (its title, its panels' titles and y labels) for the page's alt text."""
    fig = result.get_figure(name)
    texts = [fig.get_suptitle(), *(t for ax in fig.axes for t in (ax.get_title(), ax.get_ylabel()))]
    return ({fmt: figure_bytes(fig, fmt) for fmt in ("png", "svg")[:1 + bool(svg)]},
            " ".join("; ".join(dict.fromkeys(t for t in texts if t.strip())).split()))


def _worker() -> None:
    """A report worker: one BLAS thread; Ctrl-C, which a terminal sends to each process of the command, ends it at once
    and without a traceback of its own (the command says "interrupted")."""
    threadpool_limits(1, user_api="blas")
    with contextlib.suppress(ValueError):  # a pool of threads (the tests' stand-in): Ctrl-C stays the main thread's
        signal.signal(signal.SIGINT, lambda *_: os._exit(130))


def build_report(out_dir: str | Path, seed: int = 0, quick: bool = False, progress: bool = False,
                 log: TextIO | None = None, svg: bool = False, workers: int | None = None,
                 sections: Sequence[Callable[..., ExperimentResult]] | None = None) -> ReportFiles:
    """Run the experiments with `seed` (`quick`: their small sizes) and write the report into `out_dir` (its
    `figures/` and `data/` replaced); `log`: where to say what was written; `progress`: bars on stderr.

    `workers`: processes that run the experiments and draw the figures (default one per core, at most 2), each
    with one BLAS thread (on a busy machine, threads waiting for each other cost several times the work).
    `sections`: module-level functions `f(rng=seed, quick=quick) -> ExperimentResult` instead of `run_all`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        from tqdm import tqdm
    except ModuleNotFoundError as e:
        raise not_installed(e) from None
    mpl()  # before minutes of experiments: the figures need matplotlib

    seed = check_int("build_report", "seed", seed, 0)
    quick, svg = check_bool("build_report", "quick", quick), check_bool("build_report", "svg", svg)
    if sections is not None and not (isinstance(sections, (list, tuple)) and all(map(callable, sections))):
        raise TypeError(f"build_report: sections must be a list of experiment functions, got {quoted(sections):.60}")
    workers = check_int("build_report", "workers", min(2, os.cpu_count() or 1) if workers is None else workers, 1)
    start = time.perf_counter()
    out = Path(check_type("build_report", "out_dir", out_dir, (str, os.PathLike), "a folder (a str or a Path)"))
    fig_dir, data_dir = out / "figures", out / "data"
    for d in (fig_dir, data_dir):  # replaced only where a report wrote them: never a folder of the user's
        if d.is_symlink():  # emptying it would delete the files of the folder it links to (a lecturer's slides)
            raise FileExistsError(f"build_report: {d} is a link to {os.readlink(d)}, whose files the report would "
                                  "delete; remove the link (copy the figures over after the run), or write elsewhere")
        if not (there := next(p for p in (d, *d.parents) if p.exists())).is_dir():  # a file where the report puts a
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(there))  # folder (out, figures)
        if (page := out / f"report.{'html' if d == fig_dir else 'json'}").is_dir():  # a folder where a file goes
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(page))
        if d.is_dir() and any(d.iterdir()) and not (out / "report.json").is_file():
            raise FileExistsError(f"build_report: {d} holds files and {out} has no report.json, so no report wrote "
                                  "them; choose another output folder, or empty that one")
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)  # macOS: fork is unsafe
    bars, pool = {"file": sys.stderr, "disable": None if progress and sys.stderr else True, "leave": False}, None
    with contextlib.suppress(OSError):  # no semaphores for a pool (some containers, Android): everything runs here
        pool = ProcessPoolExecutor(workers, context, _worker) if workers > 1 else None
    with threadpool_limits(1, user_api="blas"), pool or contextlib.nullcontext():
        run, renders, lock = pool.submit if pool else _now, {}, threading.Lock()

        def job(result: ExperimentResult, name: str) -> Any:  # a figure's drawing, submitted once
            with lock:
                if (key := (id(result), name)) not in renders:
                    renders[key] = run(_render, result, name, svg)
                return renders[key]

        def draw(result: ExperimentResult) -> None:  # its figures, queued from the pool's thread as soon as it exists
            with contextlib.suppress(RuntimeError):  # a pool shut down or broken: raised below instead
                for name in result.figure_names:
                    job(result, name)
        # its total: run_all's parts (every experiment, a sweep per activation with and without batch norm), known
        # from the start, as one worker runs each as it is submitted; never below the parts submitted
        parts, sent = len(sections) if sections is not None else len(EXPERIMENTS) + 2 * len(ACTIVATIONS), count(1)
        with tqdm(desc="experiments", total=parts, **bars) as bar:
            def tracked(f: Callable[..., Any], *a: Any, **k: Any) -> Any:
                bar.total, future = max(bar.total, next(sent)), run(f, *a, **k)
                future.add_done_callback(lambda _: bar.update())
                return future
            results = run_all(seed, quick, tracked, draw if pool else None) if sections is None else \
                [j.result() for j in [tracked(f, rng=seed, quick=quick) for f in sections]]
        files = ReportFiles(out_dir=out, html=out / "report.html", json=out / "report.json", results=results)
        files.stage_seconds["experiments"] = time.perf_counter() - start
        names = [(r, n) for r in results for n in r.figure_names]
        drawn = [j.result() for j in tqdm([job(r, n) for r, n in names], desc="figures", **bars)]
    (out / "report.html").unlink(missing_ok=True)  # the earlier report stays whole until now (Ctrl-C in the
    for d in (fig_dir, data_dir):  # experiments leaves it), then no page stands beside half-written figures
        d.mkdir(parents=True, exist_ok=True)
        for f in d.iterdir():  # one by one: a file it cannot delete (open in a viewer) is named, not left (Python
            if f.is_dir() and not f.is_symlink():  # 3.13's rmtree names the folder)
                shutil.rmtree(f)
            else:
                f.unlink()
    pngs = {(r.name, name): formats["png"] for (r, name), (formats, _) in zip(names, drawn)}
    alts = {(r.name, name): alt for (r, name), (_, alt) in zip(names, drawn)}
    for (r, name), (formats, _) in zip(names, drawn):
        files.figures += [write_whole(fig_dir / f"{r.name}_{name}.{fmt}", data) for fmt, data in formats.items()]
    files.stage_seconds["figures"] = time.perf_counter() - start - files.stage_seconds["experiments"]
    for r in results:
        files.data.append(write_whole(data_dir / f"{r.name}.json", json.dumps(r.to_dict(), indent=1, allow_nan=False)))
        files.data += [write_whole(data_dir / _table_file(r, k), t.to_csv()) for k, t in r.tables.items()]
    files.data.append(write_whole(data_dir / "schemes.csv", schemes_table().to_csv()))
    everything = {"tinygrad_init": __version__, "seed": seed, "quick": bool(quick),
                  "schemes": schemes_table().to_dict(), "experiments": [r.to_dict() for r in results]}
    write_whole(files.json, json.dumps(everything, indent=1, allow_nan=False))
    write_whole(files.html, render_html(results, pngs, seed=seed, quick=quick, svg=svg, alts=alts))
    files.seconds = time.perf_counter() - start
    files.stage_seconds["files"] = files.seconds - sum(files.stage_seconds.values())
    if log is not None:
        print(f"wrote {files.html}\n      {files.json}\n      {len(files.figures)} figure files in {fig_dir}\n      "
              f"{len(files.data)} data files in {data_dir}", file=log)
    return files
