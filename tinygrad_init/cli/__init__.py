"""The `tinygrad-init` command line (also `python -m tinygrad_init`): `demo` (train a small tanh MLP with the
tensor engine, showing each layer's gradients checked as upstream x local), `report`, `sweep`, `explore`, `chaos`,
`graph`, `exercises`."""

from __future__ import annotations

import argparse
import difflib
import errno
import inspect
import io
import json
import multiprocessing
import os
import re
import shlex
import shutil
import sys
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any, Sequence, TextIO

import numpy as np
from threadpoolctl import threadpool_limits

from .. import __version__
from ..core.tensor import Tensor, no_grad
from ..lab import report, spectra
from ..lab.experiments import ACTIVATIONS, sweep_table
from ..lab.explorer import Explorer, explore
from ..lab.plots import mpl, save_figure
from ..lab.probe import Probe
from ..lab.theory import check_scheme
from ..lab.training import accuracy
from ..nn import MLP, data
from ..nn.losses import binary_cross_entropy_with_logits
from ..nn.optim import SGD
from ..utils import as_rng, check_int, check_real, cli_type, counted, not_installed, path_arg, write_whole

__all__ = ["main", "build_parser", "add_commands", "run_demo", "gradient_table"]

# Measured on two cores (see the README): keep in step with the README.
_TIMES = "the report takes about 12 s on two idle cores (22-75 s when busy), --quick 5 s (6-20 s)"

_MAIN_EPILOG = f"""\
examples:
  tinygrad-init demo                     train 2-16-16-1 tanh on moons, show the gradients
  tinygrad-init report --out report      the lecture report (HTML, figures, data) in ./report
  tinygrad-init sweep --init small --activation tanh     one deep net, layer by layer, with theory
  tinygrad-init explore --out explorer   the init explorer: one offline page to play with
  tinygrad-init graph "(a*b + c).tanh()" a=2 b=-3 c=10 --out neuron    graph and step-through player

Every run is seeded: the same --seed prints the same numbers.
Timing: {_TIMES}.
"""
_DEMO_EPILOG = """\
per Linear layer y = x @ W + b (layer 1 nearest the input), before and after training: std and norm
of dL/dW, std of the upstream dL/dy, and check = max |x.T @ dL/dy - dL/dW| / max |dL/dW|, the weight
gradient recomputed as local (x) times upstream (dL/dy): about 1e-7, float32 rounding.

examples:
  tinygrad-init demo --epochs 200 --lr 0.05
  tinygrad-init demo --hidden 32 32 32 --dataset spirals --epochs 300
"""
_REPORT_EPILOG = f"""\
writes report.html (one page, opens offline: the verdict, then each experiment's findings, figures
and tables), report.json (every number), figures/*.png (slide-sized; .svg with --svg), data/*.csv
and data/*.json. It runs: the verdict; CS231n's 10 x 500 nets, activations and gradients with
theory; theory averaged over 5 ReLU nets; symmetry; deeplearning.ai (2-10-5-1 ReLU on circles,
lr 0.01, 15,000 steps); He et al. (22 and 30 ReLU layers: Xavier slower at 22, stalled at 30,
He trains both; and with momentum); Glorot & Bengio (sigmoid saturation); batch norm; a training
run diagnosed (poor init, good init, batch norm); the edge of chaos (phase diagram, correlations,
the shipped trainability heatmap); Jacobian spectra. Results over seeds: the median, the lowest
and the highest.
Timing: {_TIMES}.

examples:
  tinygrad-init report --out /tmp/r --quick    smaller nets, shorter training: a first look
  tinygrad-init report --out report --seed 1   another seed: other numbers, the same lessons
"""
_SWEEP_EPILOG = """\
one row per layer l = 1..L of h_l = f(h_{l-1} @ W_l) (no bias, X ~ N(0, 1)): pre_std (std of z_l),
act_mean/std (of h_l), saturated (tanh, sigmoid: |f'| ~ 0) or dead (relu), grad_act_std (std of
dL/dh_l from a seeded N(0, 1) gradient at the top), grad_w_std (std of dL/dW_l, summed over the
batch), and *_theory, the mean-field prediction (tinygrad_init.theory.predict); --batchnorm:
linear_std (std of h_{l-1} @ W_l, before the norm) before pre_std, and no theory.

examples:
  tinygrad-init sweep --init large --activation tanh       90% of the units saturate
  tinygrad-init sweep --init he_normal --activation relu   He: the std stays put
  tinygrad-init sweep --init large --activation tanh --batchnorm --format csv > bn.csv
"""


def _init_name(text: str, sweep: bool = True) -> str:
    """An argparse type: the name of a scheme that draws from a shape (not LSUV); with `sweep`, with zero mean (the
    sweep's theory)."""
    try:
        check_scheme("", text, sweep, f"the {'sweep' if sweep else 'graph'} draws its weights from a shape")
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e).partition(": ")[2].removeprefix("init.get: ")) from None
    return text


def _width(text: str) -> int:
    """An argparse type: a width of `--hidden 16 16`; `16,16`, as `graph --mlp 2,16,1` takes them, is told how."""
    try:
        return cli_type(check_int, 1)(text)
    except argparse.ArgumentTypeError as e:
        hint = f" (widths are separated by spaces: --hidden {' '.join(text.replace(',', ' ').split())})" * ("," in text)
        raise argparse.ArgumentTypeError(f"{e}{hint}") from None


def _lr(text: str) -> float:
    """An argparse type: the demo's --lr, a positive number that float32 holds (its weights' dtype: SGD.step refuses
    a larger lr, as PyTorch's does)."""
    value, top = cli_type(check_real, 0.0, low_open=True)(text), float(np.finfo(np.float32).max)
    if value > top:
        raise argparse.ArgumentTypeError(f"expected a number in (0, {top:g}], got {value:g} (the largest float32 "
                                         "number: the demo's weights are float32)")
    return value


def _widths(sizes: Sequence[int], sep: str = "-") -> str:
    """Layer widths on one line: `2-16-16-1`; of a deep net the first and the last few, `2-1-1-1-1-1-...-1-1-1 (3,002
    widths)`."""
    return sep.join(map(str, sizes)) if len(sizes) <= 12 else \
        f"{sep.join(map(str, sizes[:6]))}{sep}...{sep}{sep.join(map(str, sizes[-3:]))} ({len(sizes):,} widths)"


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # -1,2 and -1e-3 are values, as Python 3.14 reads them (< 3.14: only -1 and
        self._negative_number_matcher = re.compile(r"^-\.?\d")  # -1.5; `--mlp -1,2` was "expected one argument")

    def error(self, message: str) -> Any:  # a misspelt command, choice or option: argparse (< 3.15) names no near miss
        choice = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)", message)
        words, options = ([choice[1]], [repr(o.strip("'")) for o in choice[2].split(", ")]) if choice else (
            [w for w in message.partition("unrecognized arguments: ")[2].split(" (")[0].split() if w[:1] == "-"],
            list(self._option_string_actions))
        known = {o.strip("'").lower(): o for o in options}  # --rankdir lr: 'LR'
        close = [known[m[0]] for w in words if (m := difflib.get_close_matches(w.split("=")[0].lower(), known, 1))]
        if close and "did you mean" not in message and "maybe you meant" not in message:
            message += f" (did you mean {', '.join(close)}?)"
        return super().error(message)

    # argparse drops an error of writing --help or --version: onto a full disk, no text and exit 0 (or Python's
    # "Exception ignored" at exit, 120); written and flushed here, its failure is reported as a command's output's
    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file := file or sys.stderr):
            try:
                file.write(message)
                file.flush() if file is sys.stdout else None
            except OSError as e:
                if file is sys.stdout:
                    self.exit(_unwritten(self.prog.partition(" ")[2], e))


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):  # epilogs as written
    def _get_help_string(self, action: argparse.Action) -> str | None:  # "(default: ...)" unless None or False
        return action.help if action.default is None or action.default is False else super()._get_help_string(action)


def add_commands(sub: Any, commands: dict[str, tuple]) -> None:
    """Add each `name: (help, description, epilog, [(flag, add_argument kwargs)...], run)` to `sub` (from
    `parser.add_subparsers()`); the description defaults to the help as a sentence; `args.run(args)` runs it."""
    for name, (text, description, epilog, options, run) in commands.items():
        p = sub.add_parser(name, help=text, description=description or text[0].upper() + text[1:] + ".",
                           epilog=epilog, formatter_class=_Formatter)
        for flag, kwargs in options:
            p.add_argument(flag, **kwargs)
        p.set_defaults(run=run, command_parser=p)


SEED = ("--seed", {"type": cli_type(check_int, 0), "default": 0, "help": "random seed: same seed, same numbers"})
QUICK = ("--quick", {"action": "store_true", "help": "a small grid, in seconds"})
_SWEEP = inspect.signature(sweep_table).parameters  # the sweep's sizes default to the experiment's


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `tinygrad-init` (exposed for the docs and the tests)."""
    from .graph import add_graph_command, run_graph

    parser = _Parser(prog="tinygrad-init", epilog=_MAIN_EPILOG, formatter_class=_Formatter,
                     description="See backpropagation and weight initialization happen: small autograd engines, "
                                 "layer-by-layer\ngradient statistics, pictures for lectures.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.set_defaults(run=lambda args: parser.print_help() or 2)  # no command
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    count, real = cli_type(check_int, 1), partial(cli_type, check_real)
    add_commands(sub, {
        "demo": ("train a small tanh MLP and show its gradients layer by layer", None, _DEMO_EPILOG, [
            ("--dataset", {"choices": ("moons", "circles", "spirals"), "type": str.lower, "default": "moons",
                         "help": "the toy dataset"}),
            ("--samples", {"type": cli_type(check_int, 8, " (a quarter is held out for testing)"), "default": 200,
                           "help": "points in the dataset, a quarter held out for testing"}),
            ("--noise", {"type": real(0.0), "help": "dataset noise (default: the dataset's own, 0.1 for moons)"}),
            ("--hidden", {"type": _width, "nargs": "+", "default": [16, 16], "help": "hidden layer widths"}),
            ("--epochs", {"type": count, "default": 100, "help": "passes over the training set"}),
            ("--batch-size", {"type": count, "default": 32, "help": "mini-batch size"}),
            ("--lr", {"type": _lr, "default": 0.1, "help": "SGD learning rate"}),
            ("--momentum", {"type": real(0.0, 1.0, high_open=True), "default": 0.9, "help": "SGD momentum, in [0, 1)"}),
            ("--every", {"type": count, "help": "print the loss every K epochs, and at the first and the last "
                                                "(default: K = max(1, epochs // 10): 11 lines for 100 epochs)"}), SEED],
            _demo),
        "report": ("run the initialization experiments and write the lecture report (HTML, figures, data)", None,
                   _REPORT_EPILOG, [
            ("--out", {"type": path_arg, "default": Path("report"), "help": "the folder, created if missing; its "
                                                                         "figures/ and data/ are replaced"}), SEED,
            ("--quick", {"action": "store_true", "help": "smaller networks, shorter training over 3 seeds, not 5 "
                                                          "(a first look)"}),
            ("--svg", {"action": "store_true", "help": "also write every figure as SVG"}),
            ("--no-progress", {"action": "store_true", "help": "no progress bars (they show only on a terminal)"})],
            _run_report),
        "sweep": ("per-layer statistics of one deep network, measured and predicted", None, _SWEEP_EPILOG, [
            ("--init", {"type": _init_name, "default": "cs231n", "help": "the weight scheme: a name of init.get "
                        "with zero mean, e.g. small, large, xavier_normal, he_normal (not ones, lsuv)"}),
            ("--activation", {"choices": ACTIVATIONS, "type": str.lower, "default": "tanh",  # ReLU, as --init HE
                              "help": "the nonlinearity of every layer"}),
            ("--depth", {"type": count, "default": _SWEEP["depth"].default, "help": "number of layers"}),
            ("--width", {"type": count, "default": _SWEEP["width"].default,
                         "help": "units per layer, also the input width"}),
            ("--batch", {"type": cli_type(check_int, 2), "default": _SWEEP["batch"].default,
                         "help": "examples in the input batch"}), SEED,
            ("--batchnorm", {"action": "store_true", "help": "BatchNorm1d between every Linear and its activation"}),
            ("--format", {"choices": ("text", "markdown", "csv", "json"), "type": str.lower, "default": "text",
                          "help": "aligned text, Markdown, or CSV / JSON with every digit"})], _run_sweep),
        "explore": ("write the init explorer page", "Write explorer.html, one offline page: pick an activation, a "
                    "scheme and its gain, a depth and a\nwidth, and see every layer's histograms and std beside the "
                    "theory. Every choice is measured with the\nengine while the page is built (about 15 s of CPU "
                    "time; --quick: a small grid in a second).", None, [("--out", {"type": path_arg, "required": True,
                                                        "help": "directory (or .html file) to write"}), QUICK, SEED],
                    _explore),
        "chaos": ("trainability over depth x sigma_w^2", "Train tanh networks over a grid of depths and weight "
                  "variances and write their training\naccuracies (JSON) and the heatmap with 6 xi_c over it (PNG): "
                  "a minute (--quick: seconds).\nThe shipped result the report shows is regenerated by\n"
                  "`tinygrad-init chaos --json tinygrad_init/lab/data/chaos_heatmap.json`.", None, [
                      ("--json", {"type": partial(path_arg, suffixes=(".json",)), "default": Path("chaos_heatmap.json"),
                                  "help": "the result (.json)"}),
                      ("--figure", {"type": partial(path_arg, suffixes=(".png", ".svg", ".pdf")),
                                    "default": Path("chaos_heatmap.png"), "help": "the heatmap (.png, .svg or .pdf)"}),
                      QUICK, SEED], _chaos)})
    add_graph_command(sub).set_defaults(run=run_graph)
    # The exercises have their own parser (exercises.grader), which main() hands the rest to; listed for --help.
    sub.add_parser("exercises", help="list, start and grade the exercises (see: tinygrad-init exercises --help)",
                   add_help=False)
    return parser


def _loss(model: Any, X: np.ndarray, y: np.ndarray) -> Tensor:
    return binary_cross_entropy_with_logits(model(Tensor(X)), y.reshape(-1, 1).astype(np.float32))


def gradient_table(model: Any, X: np.ndarray, y: np.ndarray) -> list[dict[str, Any]]:
    """One forward and backward pass of `model` on `X` `(batch, 2)`, `y` `(batch,)`, measured by the probe: per
    Linear `y = x @ W + b` with upstream `g = dL/dy`, input to output, `layer` (1, 2...), `name`, `shape`, `grad_w_std`,
    `grad_w_norm`, `grad_out_std` and `check = max |x.T @ g - dL/dW| / max |dL/dW|` (about 1e-7 in float32)."""
    model.zero_grad()
    with Probe(model, keep_arrays=True) as probe:
        _loss(model, X, y).backward()
    rows, x = [], np.asarray(X, dtype=np.float64)
    for rec in probe.records.values():  # in running order
        if rec.kind == "linear":
            g, gw = rec.grad_pre_activation.astype(np.float64), rec.grad_weight.astype(np.float64)
            rows.append({"layer": len(rows) + 1, "name": rec.name, "shape": rec.shapes["weight"],
                         "grad_w_std": rec.numbers["grad_w_std"], "grad_w_norm": rec.numbers["grad_w_norm"],
                         "grad_out_std": rec.numbers["grad_pre_std"],
                         "check": float(np.abs(x.T @ g - gw).max() / max(float(np.abs(gw).max()), 1e-300))})
        if rec.activation_name is not None:
            x = rec.activation.astype(np.float64)
    model.zero_grad()
    return rows


@threadpool_limits.wrap(1, "blas")  # one BLAS thread: the sums' order, and so the digits, do not depend on the cores
@np.errstate(all="ignore")  # a diverged run: nan in the tables and a note below them, not numpy's warnings
def run_demo(args: argparse.Namespace, out: TextIO | None = None) -> dict[str, Any]:
    """Train the demo network, printing its progress and gradient tables to `out` (default stdout); returns
    `final_loss`, `train_accuracy`, `test_accuracy`, `history` (`(epoch, loss, train_acc, test_acc)` tuples)
    and `tables` (`{"init": rows, "trained": rows}` of `gradient_table`)."""
    say = partial(print, file=sys.stdout if out is None else out)
    gen, make = as_rng(args.seed), data.DATASETS[args.dataset]
    noise = inspect.signature(make).parameters["noise"].default if args.noise is None else args.noise
    X_train, X_test, y_train, y_test = data.train_test_split(*make(args.samples, noise=noise, rng=gen), 0.25, rng=gen)
    train, test = (X_train, y_train), (X_test, y_test)
    model = MLP([2, *args.hidden, 1], activation="tanh", rng=gen)
    opt = SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    every, batch = args.every or max(1, args.epochs // 10), min(args.batch_size, len(y_train))
    say(f"tinygrad-init demo: a {_widths(model.sizes)} tanh MLP on {args.dataset} ({len(y_train)} training"
        f" + {len(y_test)} test points, noise={noise}, seed={args.seed})\nSGD lr={args.lr} momentum={args.momentum}, "
        f"batch size {batch}, {counted(args.epochs, 'epoch')}; loss = binary cross-entropy on the logits\n(an epoch's "
        "loss: the mean over its batches as they trained; its accuracies: after it)")
    tables, history = {"init": gradient_table(model, X_train, y_train)}, []
    say(f"\n  {'epoch':>5}  {'loss':>8}  {'train acc':>9}  {'test acc':>8}")
    for epoch in range(1, args.epochs + 1):
        order, total = gen.permutation(len(y_train)), 0.0
        for idx in (order[start:start + batch] for start in range(0, len(order), batch)):
            opt.zero_grad()
            loss = _loss(model, X_train[idx], y_train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        if epoch % every == 0 or epoch in (1, args.epochs):
            history.append((epoch, total / len(order), *(accuracy(model, *xy) for xy in (train, test))))
            say("  {:>5}  {:>8.4f}  {:>9.1%}  {:>8.1%}".format(*history[-1]))
    tables["trained"] = gradient_table(model, X_train, y_train)
    say("\nEach gradient = upstream x local. At a Linear layer y = x @ W + b, with upstream g = dL/dy:\n"
        "  dL/dW = x.T @ g (local x upstream), dL/db = g summed over the batch,\n"
        "  dL/dx = g @ W.T (upstream x local W), which is the upstream of the layer below.")
    head = (f"  {'layer':>5}  {'module':<9} {'W shape':<9} {'std dL/dW':>10} {'|dL/dW|':>10} {'std dL/dy':>10} "
            f"{'check':>9}")
    for key, when in (("init", "at initialization (whole training set)"), ("trained", "after training")):
        say(f"\nGradients {when}:\n{head}\n  {'-' * (len(head) - 2)}")
        for r in tables[key]:
            std = "-" if r["grad_w_std"] is None else f"{r['grad_w_std']:.3e}"  # a 1 x 1 W: one number, no std
            say(f"  {r['layer']:>5}  {r['name']:<9} {'x'.join(map(str, r['shape'])):<9} {std:>10} "
                f"{r['grad_w_norm']:>10.3e} {r['grad_out_std']:>10.3e} {r['check']:>9.1e}")
    say("  (check = max |x.T @ dL/dy - dL/dW| / max |dL/dW|: the engine's weight gradient against\n"
        "   local x upstream recomputed by hand; float32 rounding is of the order of 1e-7)")
    with no_grad():
        final = _loss(model, X_train, y_train).item()
    train_acc, test_acc = history[-1][2:]  # the last epoch is always in the history
    say(f"\nfinal: loss {final:.4f}, train accuracy {train_acc:.1%}, test accuracy {test_acc:.1%}")
    if not np.isfinite(final):
        say(f"note: the loss is {final}: the training diverged; try a smaller --lr (or --noise)")
    return {"final_loss": final, "train_accuracy": train_acc, "test_accuracy": test_acc, "history": history,
            "tables": tables}


def _demo(args: argparse.Namespace) -> int:
    sizes = [2, *args.hidden, 1]
    numbers = sum(a * b + b for a, b in zip(sizes, sizes[1:])) + args.samples * sum(sizes)  # the table keeps them all
    if numbers > 1e8:  # measured: 9 million weights 460 MB; 2 million points x 19 units 930 MB (38 s an epoch)
        return _too_large("demo", f"--hidden {_widths(args.hidden, ' ')} --samples {args.samples}", numbers, "",
                          "smaller widths or fewer samples")
    return run_demo(args) and 0


def _too_large(command: str, given: str, numbers: int, per: str, fix: str, most: float = 1e8) -> int:
    print(f"tinygrad-init {command}: {given} makes {numbers:,} weights and activations{per}; at most {most:,.0f} "
          f"(about 5 GB): use {fix}", file=sys.stderr)
    return 2


def _run_report(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() in (".html", ".htm") and not args.out.is_dir():  # made a folder r.html/
        args.command_parser.error(f"argument --out: {args.out} names a file, but --out is the folder that "
                                  "report.html, report.json, figures/ and data/ go into; write e.g. --out "
                                  f"{args.out.with_suffix('')}")
    try:
        what = "create the folder"
        args.out.mkdir(parents=True, exist_ok=True)
        what = "write into"
        for name in ("report.html", "report.json"):  # a folder or a read-only file of that name: before the work
            _writable(args.out / name)
        files = report.build_report(args.out, seed=args.seed, quick=args.quick, progress=not args.no_progress,
                                    log=(log := io.StringIO()), svg=args.svg)
    except OSError as e:
        return _cannot("report", f"{what} {args.out}", e)
    print(log.getvalue(), end="")  # out here: stdout's error (`| head`, a full disk) is not the folder's
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in files.stage_seconds.items())
    print(f"tinygrad-init report: done in {files.seconds:.1f} s" + f" ({stages})" * bool(stages), file=sys.stderr)
    return 0


def _run_sweep(args: argparse.Namespace) -> int:
    numbers = args.width * (args.width + args.batch)  # a layer's weights and activations, drawn at once
    if numbers > 1e8:  # measured: 3,000 wide with a batch of 1,000 took 590 MB, about 50 bytes a number
        return _too_large("sweep", f"--width {args.width} --batch {args.batch}", numbers, " a layer",
                          "a smaller --width or --batch")
    kept = numbers * args.depth * (1 + args.batchnorm)  # every layer's, for backward (measured: 100 layers 1,000
    if kept > 1e9:                                      # wide, batch 1,000, 0.9 GB; with --batchnorm 1.6 GB)
        bn = " --batchnorm" * args.batchnorm
        return _too_large("sweep", f"--depth {args.depth} --width {args.width} --batch {args.batch}{bn}", kept,
                          " kept for backward" + " (twice: the norm's too)" * args.batchnorm,
                          "a smaller --depth, --width or --batch", 1e9)
    try:
        table = sweep_table(args.init, args.activation, depth=args.depth, width=args.width, batch=args.batch,
                            rng=args.seed, batchnorm=args.batchnorm)
    except ValueError as e:  # the theory of a deep ReLU net with large weights overflows float64: in the options' words
        if (layer := getattr(e, "layer", None)) is None:
            return print(f"tinygrad-init sweep: {e}", file=sys.stderr) or 2
        fits = args.depth - layer if e.gradient else layer - 1  # the gradient's from the top down: depth - layer stay
        return print(f"tinygrad-init sweep: the predicted {'gradient variance below' if e.gradient else 'variance of'} "
                     f"layer {layer} overflows float64 with --init {args.init}; take --depth {fits} or less, or an "
                     "--init of smaller weights", file=sys.stderr) or 2
    text = {"text": lambda: table.to_text(max_width=shutil.get_terminal_size((120, 24)).columns) + "\n",
            "markdown": table.to_markdown, "csv": table.to_csv, "json": lambda: table.to_json(indent=1) + "\n"}
    print(text[args.format](), end="")
    return 0


def _cannot(command: str, what: str, e: OSError) -> int:
    """Exit code 1 with the message that `command` cannot do `what` (a file not writable, a folder missing, a file
    where a folder must be: which one, not "File exists" or "Not a directory")."""
    path = Path(e.filename) if e.filename and e.errno in (errno.EEXIST, errno.ENOTDIR) else None
    file = next((p for p in (*reversed(path.parents), path) if p.exists() and not p.is_dir()), None) if path else None
    if file or (e.errno == errno.EISDIR and e.filename):
        why = f"{file} is a file, not a folder" if file else f"{e.filename} is a folder, not a file: move it away or " \
            "write elsewhere"
    else:
        why = f"{e.strerror or e}".removeprefix("build_report: ") + f" ({e.filename})" * bool(e.filename)
    print(f"{f'tinygrad-init {command}'.rstrip()}: cannot {what}: {why}", file=sys.stderr)
    return 1


def _unwritten(command: str, e: OSError) -> int:
    """Exit code 1 for output that could not be written: onto a full disk said, to a reader gone (`| head`) not."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python exits
    return 1 if isinstance(e, BrokenPipeError) else _cannot(command, "write the output", e)


def _writable(path: Path) -> None:
    """Make `path`'s folder; raise the OSError that writing `path` would (a folder there, a file or folder this user
    may not write into: a file is written beside and renamed over) now, before minutes of work."""
    path.parent.mkdir(parents=True, exist_ok=True)
    where = next((p for p in (path, path.parent) if p.exists() and not os.access(p, os.W_OK)), None)
    code = errno.EISDIR if path.is_dir() else 0 if where is None else errno.EROFS if hasattr(
        os, "statvfs") and os.statvfs(where).f_flag & os.ST_RDONLY else errno.EACCES  # a read-only disk: say so
    if code:
        raise OSError(code, os.strerror(code), str(path))


def _explore(args: argparse.Namespace) -> int:
    try:
        _writable(Explorer.file(args.out))  # before the measuring, not after
        path = explore(quick=args.quick, rng=args.seed).write(args.out)
    except OSError as e:
        return _cannot("explore", f"write {args.out}", e)
    print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KiB); open it in a browser")
    return 0


def _chaos(args: argparse.Namespace) -> int:
    try:
        for path in (args.json, args.figure):  # before minutes of training
            _writable(path)
        mpl()  # the figure's matplotlib, also before
        result = spectra.trainability(args.quick, rng=args.seed)
        save_figure(spectra.figure("trainability", result), args.figure)  # first: Ctrl-C while it is drawn leaves no
        write_whole(args.json, json.dumps(result, indent=1) + "\n")  # new JSON by an old one
    except OSError as e:
        return _cannot("chaos", f"write {args.json} and {args.figure}", e)
    print(f"{spectra.finding('trainability', result)}\nwrote {args.json} and {args.figure}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv[1:]`); returns the exit code."""
    argv, children = list(sys.argv[1:] if argv is None else argv), set(multiprocessing.active_children())
    if hasattr(sys.stdout, "reconfigure"):  # × and ∂ into an ASCII or cp1252 output: written as \xd7, no traceback
        sys.stdout.reconfigure(errors="backslashreplace")
    if argv and argv[0] == "exercises":
        from ..exercises import grader

        args = argparse.Namespace(command="exercises",
                                  run=lambda _: grader.main(argv[1:], prog="tinygrad-init exercises"))
    else:
        parser = build_parser()
        commands = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        # options before the command (`--seed 1 demo` was "invalid choice: '1'"): the first word that names a command
        # and is no option's value (`--out demo graph`), and the line with the options after it. known: does a
        # command's option of that name take a value (an option of none: argparse's own error); the exercises' too,
        parsers, subs = [*commands.values()], {}  # whose own parser is read only for them (its import takes 0.1 s)
        if "exercises" in argv and argv[0][:1] == "-":
            from ..exercises import grader

            parsers += (subs := grader.build_parser()._subparsers._group_actions[0].choices).values()
        known = {o: a.nargs != 0 for p in parsers for o, a in p._option_string_actions.items()}
        at = next((i for i, w in enumerate(argv) if w in commands and (not i or not known.get(argv[i - 1]))), 0)
        if at and argv[0].split("=")[0] in known and argv[0] not in ("-h", "--help"):
            cmd, cut = argv[at:], argv[at:].index("--") if "--" in argv[at:] else len(argv) - at
            owner = subs.get(argv[at + 1] if argv[at] == "exercises" and at + 1 < len(argv) else "", commands[argv[
                at]])  # the parser whose options they are: `exercises grade`'s, its own command's, or the command's
            its = all(w.split("=")[0] in owner._option_string_actions for w in argv[:at] if w[:1] == "-")
            parser.error(f"{' '.join(argv[:at])} stands before the command {argv[at]}; options go after the command" + (
                f": tinygrad-init {shlex.join(cmd[:cut] + argv[:at] + cmd[cut:])}" if its else
                f" (`tinygrad-init {argv[at]} --help` lists them)"))
        args, rest = parser.parse_known_args(argv)
        if rest and isinstance(getattr(args, "bindings", None), list) and not any(w.startswith("-") for w in rest):
            args.bindings += rest  # graph: NAME=VALUE words after an option (argparse leaves them over)
        elif rest:  # graph: an expression such as "-a*b" reads as an unknown option
            minus = [w for w in rest if w[:1] == "-" and w[1:2] != "-" and not difflib.get_close_matches(  # not -out
                w, args.command_parser._option_string_actions, 1)] if hasattr(args, "bindings") else []
            getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(rest)}" + (
                f" (an expression that starts with '-' reads as an option; put it after --: tinygrad-init graph "
                f"[options] -- \"{minus[0]}\" NAME=VALUE ...)" if minus else ""))
    try:
        code = args.run(args)
        return (sys.stdout and sys.stdout.flush()) or code  # buffered output (a full disk, a reader gone) fails here
    except MemoryError as e:  # sizes too large for this machine: say so, no traceback
        return print(f"tinygrad-init {args.command}: out of memory ({e}); try smaller sizes", file=sys.stderr) or 1
    except ModuleNotFoundError as e:  # a dependency not installed (utils.not_installed): which, and how to install it
        if (error := not_installed(e)) is e:
            raise
        return print(f"tinygrad-init {args.command}: {error}", file=sys.stderr) or 1
    except (KeyboardInterrupt, BrokenProcessPool) as e:  # Ctrl-C: the shell's code for SIGINT, no traceback
        for child in set(multiprocessing.active_children()) - children:  # the report's workers: one left waiting on
            child.terminate()  # a lock of its queue kept the command from ending, as Python's exit waits for it
        if isinstance(e, BrokenProcessPool):  # Ctrl-C as they start, the command's own KeyboardInterrupt lost
            return print(f"tinygrad-init {args.command}: a worker process was killed (by Ctrl-C, or by the system for "
                         "want of memory)", file=sys.stderr) or 1
        return print(f"tinygrad-init {args.command}: interrupted", file=sys.stderr) or 130
    except OSError as e:  # a file; or stdout piped into `head` or similar, which stopped reading, or onto a full disk
        if e.filename is not None:
            return _cannot(args.command, "write", e)
        return _unwritten(args.command, e)
    except SystemExit:  # `exercises --help` (the grader's parser) ends here: its text is flushed as a command's is
        try:
            sys.stdout and sys.stdout.flush()
        except OSError as e:
            raise SystemExit(_unwritten(args.command, e)) from None
        raise
