"""The lecture report: every experiment, in one self-contained HTML page plus its files.

``tinygrad-init report --out DIR`` (or :func:`build_report`) runs the experiments of
:mod:`tinygrad_init.experiments` and writes::

    DIR/report.html               one page: text, tables and the figures inlined (base64 PNG);
                                  no external CSS, JavaScript, fonts or images: it opens offline
    DIR/report.json               every number of every experiment (settings, tables, raw data)
    DIR/figures/<name>.png|.svg   each figure, for slides
    DIR/data/<name>.json|.csv     each experiment's main table (CSV) and all its numbers (JSON),
                                  plus the other tables as <name>_<table>.csv

The same seed writes the same bytes: the numbers are seeded, the figures carry no dates
(see :mod:`tinygrad_init.plots`), and nothing time-dependent goes into the files (the
running time is printed to stderr only).
"""

from __future__ import annotations

import base64
import html
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO

from .. import __version__
from ..nn import init as _init
from .experiments import SCHEME_LABELS, ExperimentResult, Progress, run_all
from .table import Table
from ..utils import check_int, cli_type

__all__ = ["build_report", "render_html", "schemes_table", "ReportFiles", "add_commands", "run_report_command",
           "run_sweep_command"]

#: Tables shown in full on the page; other tables are folded into a <details> element.
_SHOWN = {("activations", "summary"), ("gradients", "theory_summary"), ("symmetry", "main"), ("training", "main"),
          ("depth", "main")}
#: Tables that are only written as files (too long for the page).
_FILES_ONLY = {("batchnorm", "main")}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; max-width: 1200px;
       margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 2em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
.question { font-style: italic; color: #444; }
.settings, .reproduce { color: #555; font-size: 0.95em; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f4f4f4; padding: 0 0.2em; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; }
th { background: #f4f4f4; }
.tinygrad-init-table ul { font-size: 0.85em; color: #555; }
details { margin: 0.6em 0; }
summary { cursor: pointer; color: #0b5394; }
nav ul { columns: 2; }
"""


@dataclass
class ReportFiles:
    """What :func:`build_report` wrote.

    Attributes:
        out_dir: the folder.
        html: the page.
        json: the combined numbers.
        figures: every figure file (PNG and SVG).
        data: every data file (JSON and CSV).
        results: the experiments' results.
        seconds: how long it took (not written to any file).
        stage_seconds: the time of each stage (``experiments``, ``figures``, ``files``).
    """

    out_dir: Path
    html: Path
    json: Path
    figures: list[Path] = field(default_factory=list)
    data: list[Path] = field(default_factory=list)
    results: list[ExperimentResult] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        return [self.html, self.json, *self.figures, *self.data]


def schemes_table() -> Table:
    """The scheme/formula table of :func:`tinygrad_init.init.table` as a :class:`Table`."""
    rows = _init.table("rows")
    cols = ["name", "aliases", "formula", "variance", "source", "note"]
    return Table(cols, [[r[c] for c in cols] for r in rows], title="Initialization schemes: W ~ formula, Var(W)",
                 notes=["shapes follow the lecture layout: W is (fan_in, fan_out) and y = x @ W",
                        "in this report: " + "; ".join(f"{k} = {v}" for k, v in SCHEME_LABELS.items()
                                                       if k in ("small", "large", "large10", "cs231n",
                                                                "xavier_uniform", "he_normal"))])


def _which_xavier() -> str:
    text = _init.table("text")
    part = text.split("Which Xavier?", 1)[1] if "Which Xavier?" in text else ""
    return "Which Xavier?" + part


def _esc(text: Any) -> str:
    return html.escape(str(text))


def _figure_html(png: bytes, alt: str, caption: str, svg_name: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_esc(alt)}">'
            f'<figcaption>{_esc(caption)} (vector version: <code>figures/{_esc(svg_name)}</code>)</figcaption></figure>')


def _table_html(result: ExperimentResult, key: str, table: Table) -> str:
    if (result.name, key) in _FILES_ONLY:
        return (f"<p>The full table ({len(table)} rows) is in <code>data/{_esc(_table_file(result, key))}"
                f"</code>.</p>")
    body = table.to_html()
    if (result.name, key) in _SHOWN or len(table) <= 12:
        return body
    title = table.title or key
    return f"<details><summary>{_esc(title)} ({len(table)} rows)</summary>{body}</details>"


def _table_file(result: ExperimentResult, key: str) -> str:
    return f"{result.name}.csv" if key == "main" else f"{result.name}_{key}.csv"


_FIGURE_CAPTIONS = {
    "std": "Std of the activations by layer, measured (solid, markers) and predicted by the mean-field theory "
           "(dashed). Log axis.",
    "gradients": "Std of dL/dh (top) and dL/dW (bottom) by layer, measured (solid) and predicted (dashed). Log axis.",
    "weights": "The hidden weight matrices after training; column j holds unit j's incoming weights.",
    "loss": "Training loss (log axis); the dotted line is ln 2, the loss of a constant 50/50 guess.",
    "depth": "Left: training loss. Right: activation std by layer at initialization with the theory (dashed).",
    "batchnorm": "Top: std of the activation's input by layer, with batch norm (solid) and without (dotted). "
                 "Bottom: saturated (tanh, sigmoid) or dead (ReLU) fraction.",
}


def _caption(result: ExperimentResult, fig_name: str) -> str:
    if fig_name.startswith("hist_"):
        act = fig_name[5:]
        shared = "over [-1, 1]" if act == "tanh" else ("over [0, 1]" if act == "sigmoid" else
                                                       "each over its own range [min, max]")
        return (f"{act}: histograms of the activations, a row per scheme and a column per layer, {shared}; "
                "each panel scaled to its tallest bar.")
    return _FIGURE_CAPTIONS.get(fig_name, fig_name)


def render_html(results: Sequence[ExperimentResult], pngs: dict[tuple[str, str], bytes], *, seed: int,
                quick: bool) -> str:
    """The report page as a string.

    Args:
        results: the experiments' results, in order.
        pngs: ``(experiment name, figure name) -> PNG bytes`` (inlined as base64).
        seed: the seed, for the reproduction line.
        quick: whether the quick sizes were used.
    """
    act = next((r for r in results if r.name == "activations"), None)
    s = act.settings if act is not None else {}
    size = (f"{s.get('depth')} layers x {s.get('width')} units, batch {s.get('batch')}" if s else "")
    cmd = f"tinygrad-init report --out DIR --seed {seed}" + (" --quick" if quick else "")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Weight initialization, layer by layer</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           "<h1>Weight initialization, layer by layer</h1>",
           f'<p class="settings">tinygrad_init {_esc(__version__)}; seed {seed}; '
           f'{"quick sizes" if quick else "full sizes"}{"; deep nets: " + _esc(size) if size else ""}.</p>',
           f'<p class="reproduce">Reproduce every number and figure with <code>{_esc(cmd)}</code>. '
           "Each figure is also in <code>figures/</code> as PNG and SVG; every number is in "
           "<code>report.json</code> and <code>data/</code>.</p>"]
    out.append("<nav><h2>Contents</h2><ul>")
    out.append('<li><a href="#schemes">The schemes</a></li>')
    for r in results:
        out.append(f'<li><a href="#{_esc(r.name)}">{_esc(r.title)}</a></li>')
    out.append('<li><a href="#theory">Theory vs measurement</a></li>')
    out.append("</ul></nav>")

    out.append('<section id="schemes"><h2>The schemes</h2>')
    out.append("<p>Every scheme draws the entries of W iid; most are <code>variance_scaling(scale, mode, "
               "distribution)</code>: Var(W) = scale / n with n = fan_in, fan_out or their mean. This table is "
               "printed from the code (<code>tinygrad_init.init.table()</code>).</p>")
    out.append(schemes_table().to_html())
    out.append(f"<pre>{_esc(_which_xavier())}</pre>")
    out.append("<p>For the square 500 x 500 layers of experiments 1, 2 and 6, Glorot's variance 2/(fan_in + fan_out) "
               "equals CS231n's 1/fan_in = 1/500: the two Xaviers differ only in the distribution "
               "(uniform vs normal). The sweep uses CS231n's <code>randn(fan_in, fan_out) / sqrt(fan_in)</code>.</p>")
    out.append("</section>")

    for r in results:
        out.append(f'<section id="{_esc(r.name)}"><h2>{_esc(r.title)}</h2>')
        out.append(f'<p class="question">{_esc(r.question)}</p>')
        if r.findings:
            out.append("<h3>What it shows</h3><ul>" + "".join(f"<li>{_esc(f)}</li>" for f in r.findings) + "</ul>")
        for fig_name in r.figure_names:
            png = pngs.get((r.name, fig_name))
            if png is not None:
                out.append(_figure_html(png, f"{r.title}: {fig_name}", _caption(r, fig_name),
                                        f"{r.name}_{fig_name}.svg"))
        for key, table in r.tables.items():
            if (r.name, key) in (("gradients", "theory_vs_measurement"), ("gradients", "theory_summary")):
                continue  # shown in the theory section
            out.append(_table_html(r, key, table))
        out.append("</section>")

    grad = next((r for r in results if r.name == "gradients"), None)
    out.append('<section id="theory"><h2>Theory vs measurement</h2>')
    out.append("<p>The mean-field recursion (<code>tinygrad_init.theory.predict</code>) predicts every std from the "
               "init and the activation alone: <code>q_l = fan_in Var(W) E[h_{l-1}^2]</code>, "
               "<code>E[h_l^2] = E[f(z)^2]</code> with z ~ N(0, q_l), and backwards "
               "<code>Var(dL/dh_{l-1}) = fan_out Var(W) E[f'(z)^2] Var(dL/dh_l)</code>. It is exact for infinitely "
               "wide layers; a finite width scatters around it.</p>")
    if grad is not None:
        for key in ("theory_summary", "theory_vs_measurement"):
            if key in grad.tables:
                out.append(_table_html(grad, key, grad.tables[key]))
    out.append("</section>")
    out.append('<footer><p class="settings">Written by <code>tinygrad_init.report</code>. Sources: CS231n (2017), '
               "lecture 6, Training Neural Networks I; Glorot &amp; Bengio (2010); He, Zhang, Ren &amp; Sun (2015), "
               "Delving Deep into Rectifiers; deeplearning.ai, Improving Deep Neural Networks, week 1, "
               "Initialization; Ioffe &amp; Szegedy (2015), Batch Normalization.</p></footer>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)
    return path


def build_report(out_dir: str | Path, seed: int = 0, quick: bool = False, progress: bool = False,
                 log: TextIO | None = None) -> ReportFiles:
    """Run every experiment and write the report into ``out_dir`` (created if missing).

    Args:
        out_dir: the folder. Its ``figures/`` and ``data/`` sub-folders are replaced.
        seed: the seed of everything (the same seed writes the same files).
        quick: the experiments' quick sizes (seconds instead of tens of seconds).
        progress: progress bars on stderr (tqdm if installed, else plain lines).
        log: where to print what was written (default: nowhere).

    Returns:
        A :class:`ReportFiles` listing the files.

    Raises:
        OSError: when the folder cannot be created or written (the message names it).
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"build_report: seed must be a non-negative integer, got {seed!r}")
    start = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig_dir, data_dir = out / "figures", out / "data"
    for d in (fig_dir, data_dir):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir()
    results = run_all(rng=seed, quick=quick, progress=progress)
    files = ReportFiles(out_dir=out, html=out / "report.html", json=out / "report.json", results=results)
    files.stage_seconds["experiments"] = time.perf_counter() - start

    from . import plots

    n_figs = sum(len(r.figure_names) for r in results)
    pngs: dict[tuple[str, str], bytes] = {}
    with Progress(n_figs, "figures", enabled=progress) as bar:
        for r in results:
            for name in r.figure_names:
                fig = r.get_figure(name)
                png = plots.figure_bytes(fig, "png")
                pngs[(r.name, name)] = png
                files.figures.append(_write(fig_dir / f"{r.name}_{name}.png", png))
                files.figures.append(_write(fig_dir / f"{r.name}_{name}.svg", plots.figure_bytes(fig, "svg")))
                bar.step(f"{r.name}/{name}")
    files.stage_seconds["figures"] = time.perf_counter() - start - files.stage_seconds["experiments"]

    everything = {"tinygrad_init": __version__, "seed": seed, "quick": bool(quick),
                  "schemes": schemes_table().to_dict(), "experiments": [r.to_dict() for r in results]}
    for r in results:
        files.data.append(_write(data_dir / f"{r.name}.json", json.dumps(r.to_dict(), indent=1, allow_nan=False)))
        for key, table in r.tables.items():
            files.data.append(_write(data_dir / _table_file(r, key), table.to_csv()))
    files.data.append(_write(data_dir / "schemes.csv", schemes_table().to_csv()))
    _write(files.json, json.dumps(everything, indent=1, allow_nan=False))
    _write(files.html, render_html(results, pngs, seed=seed, quick=quick))
    files.seconds = time.perf_counter() - start
    files.stage_seconds["files"] = files.seconds - sum(files.stage_seconds.values())
    if log is not None:
        print(f"wrote {files.html}", file=log)
        print(f"      {files.json}", file=log)
        print(f"      {len(files.figures)} figures in {fig_dir}", file=log)
        print(f"      {len(files.data)} data files in {data_dir}", file=log)
    return files


# ---------------------------------------------------------------- command line (wired in tinygrad_init.cli)

_REPORT_EPILOG = """\
what it writes into --out:
  report.html              one self-contained page: findings, figures and tables; it loads
                           nothing from the network (open it offline, mail it, put it on a USB stick)
  report.json              every number of every experiment
  figures/<name>.png|.svg  each figure, for slides (the same bytes for the same seed)
  data/<name>.csv|.json    each table, every digit

the experiments:
  1. activation statistics  10 layers x 500 units, no bias, batch 1000 of unit gaussians;
                            zeros, 0.01*randn, 1.0*randn, Xavier (CS231n), He  x  tanh, sigmoid,
                            relu: per layer mean, std, saturated/dead fraction, histogram, theory
  2. gradient statistics    the same networks backwards: std of dL/dh and dL/dW by layer, theory
  3. symmetry               zero and constant init: all hidden units stay identical
  4. training               a 2-10-5-1 ReLU net on circles from zeros, 10*randn and He
  5. depth                  a 30-layer ReLU net: Xavier stalls, He trains
  6. batch norm             BatchNorm1d after each Linear rescues 0.01*randn and 1.0*randn

examples:
  tinygrad-init report --out report            the full report (under a minute on two cores)
  tinygrad-init report --out /tmp/r --quick    smaller networks: a few seconds, for a first look
  tinygrad-init report --out report --seed 1   another seed: other numbers, the same lessons
"""

_SWEEP_EPILOG = """\
what you see, one row per layer l (h_l = f(h_{l-1} @ W_l), no bias, X ~ N(0, 1)):
  pre_std        std of z_l = h_{l-1} @ W_l, the activation's input
  act_mean/std   mean and std of h_l
  saturated      tanh, sigmoid: fraction of entries with |f'| ~ 0 (|tanh| > 0.99, sigmoid
                 within 0.01 of 0 or 1); dead (relu): units that are 0 for the whole batch
  grad_act_std   std of dL/dh_l, backpropagated from a seeded N(0, 1) gradient at the top
  grad_w_std     std of dL/dW_l = h_{l-1}.T @ (f'(z_l) * dL/dh_l), summed over the batch
  *_theory       the mean-field prediction from the init and the activation alone
                 (tinygrad_init.theory.predict); measured / theory near 1 = the theory holds

examples:
  tinygrad-init sweep --init small --activation tanh       CS231n: the std shrinks to 0
  tinygrad-init sweep --init large --activation tanh       ... or every unit saturates
  tinygrad-init sweep --init he_normal --activation relu   He: the std stays put
  tinygrad-init sweep --init cs231n --activation relu --depth 30 --width 256
  tinygrad-init sweep --init large --activation tanh --batchnorm   batch norm rescues it
  tinygrad-init sweep --init xavier_uniform --activation tanh --format csv > tanh.csv

init names: zeros, small, large, cs231n, glorot_standard, xavier_uniform, xavier_normal,
lecun_normal, lecun_uniform, he_normal, he_uniform, orthogonal, ... (print them all with
python -c "from tinygrad_init import init; print(init.table())")
"""


def _init_name(text: str) -> str:
    import argparse

    try:
        scheme = _init.get(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e).replace("init.get: ", "")) from None
    if getattr(scheme, "data_dependent", False):
        raise argparse.ArgumentTypeError(f"{text!r} is data-dependent (it needs a model and a batch), so the "
                                         "sweep cannot draw it from a shape; pick another scheme")
    if scheme.mean() != 0.0:
        raise argparse.ArgumentTypeError(f"{text!r} ({scheme.formula}) has a non-zero mean; the sweep and its "
                                         "theory need zero-mean weights")
    return text




def add_commands(sub: Any, formatter_class: Any) -> None:
    """Add the ``report`` and ``sweep`` subcommands to the ``tinygrad-init`` parser's subparsers."""
    from .experiments import ACTIVATIONS

    report = sub.add_parser(
        "report", help="run the initialization experiments and write the lecture report (HTML, figures, data)",
        description="Run the six initialization experiments (activation and gradient statistics of deep "
                    "networks for every scheme and activation, with the theory beside them; symmetry; "
                    "training; depth; batch norm) and write one self-contained HTML page with the "
                    "figures, tables and findings, plus the figures as PNG and SVG and the numbers as "
                    "JSON and CSV.",
        epilog=_REPORT_EPILOG, formatter_class=formatter_class)
    report.add_argument("--out", type=Path, default=Path("report"), metavar="DIR",
                        help="the folder to write into, created if missing; its figures/ and data/ are "
                             "replaced (default: %(default)s)")
    report.add_argument("--seed", type=cli_type(check_int, 0), default=0, metavar="N",
                        help="random seed of every experiment: the same seed writes the same files "
                             "(default: %(default)s)")
    report.add_argument("--quick", action="store_true",
                        help="smaller networks and fewer training steps (seconds instead of tens of seconds)")
    report.add_argument("--no-progress", action="store_true", help="no progress bars on stderr")

    sweep = sub.add_parser(
        "sweep", help="per-layer statistics of one deep network, measured and predicted",
        description="Build a deep network h_l = f(h_{l-1} @ W_l) (no bias) with one init scheme and one "
                    "activation, run a unit-gaussian batch forward and a seeded random gradient backward, "
                    "and print per layer what the probe measured beside what the mean-field theory "
                    "predicts.",
        epilog=_SWEEP_EPILOG, formatter_class=formatter_class)
    sweep.add_argument("--init", type=_init_name, default="cs231n", metavar="NAME",
                       help="the weight scheme, a name of tinygrad_init.init (default: %(default)s, "
                            "randn(fan_in, fan_out) / sqrt(fan_in))")
    sweep.add_argument("--activation", choices=ACTIVATIONS, default="tanh",
                       help="the nonlinearity after every layer (default: %(default)s)")
    sweep.add_argument("--depth", type=cli_type(check_int, 1), default=10, metavar="N",
                       help="number of layers (default: %(default)s)")
    sweep.add_argument("--width", type=cli_type(check_int, 1), default=500, metavar="N",
                       help="units per layer, also the input width (default: %(default)s)")
    sweep.add_argument("--batch", type=cli_type(check_int, 2), default=1000, metavar="N",
                       help="examples in the input batch (default: %(default)s)")
    sweep.add_argument("--seed", type=cli_type(check_int, 0), default=0, metavar="N",
                       help="random seed for the input, the weights and the upstream gradient "
                            "(default: %(default)s)")
    sweep.add_argument("--batchnorm", action="store_true",
                       help="put BatchNorm1d between every Linear and its activation (no theory columns then)")
    sweep.add_argument("--format", choices=("text", "markdown", "csv", "json"), default="text",
                       help="output format: aligned text, Markdown, CSV or JSON, the last two with every digit "
                            "(default: %(default)s)")


def run_report_command(args: Any, out: TextIO | None = None) -> int:
    """``tinygrad-init report``: build the report; returns the exit code."""
    out = sys.stdout if out is None else out
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"tinygrad-init report: cannot create the folder {folder}: {e.strerror or e}", file=sys.stderr)
        return 1
    try:
        files = build_report(folder, seed=args.seed, quick=args.quick, progress=not args.no_progress, log=out)
    except OSError as e:
        print(f"tinygrad-init report: cannot write into {folder}: {e.strerror or e}"
              f"{f' ({e.filename})' if getattr(e, 'filename', None) else ''}", file=sys.stderr)
        return 1
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in files.stage_seconds.items())
    print(f"tinygrad-init report: done in {files.seconds:.1f} s" + (f" ({stages})" if stages else ""),
          file=sys.stderr)
    return 0


def run_sweep_command(args: Any, out: TextIO | None = None) -> int:
    """``tinygrad-init sweep``: print the per-layer table; returns the exit code."""
    from .experiments import sweep_table

    out = sys.stdout if out is None else out
    table = sweep_table(args.init, args.activation, depth=args.depth, width=args.width, batch=args.batch,
                        rng=args.seed, batchnorm=args.batchnorm)
    if args.format == "text":
        width = shutil.get_terminal_size((120, 24)).columns
        print(table.to_text(max_width=width), file=out)
    elif args.format == "markdown":
        print(table.to_markdown(), file=out, end="")
    elif args.format == "csv":
        print(table.to_csv(), file=out, end="")
    else:
        print(table.to_json(indent=1), file=out)
    return 0
