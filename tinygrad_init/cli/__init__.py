"""The ``tinygrad-init`` command line (also ``python -m tinygrad_init``).

Subcommands:

- ``demo``: train a small tanh MLP on a toy dataset with the tensor engine, printing the
  loss and accuracy as it learns and, per Linear layer, the gradient statistics that
  backpropagation produced -- each checked against "upstream x local".
- ``report``: run the initialization experiments and write the lecture report -- one
  self-contained HTML page, the figures as PNG and SVG, the numbers as JSON and CSV
  (:mod:`tinygrad_init.report`).
- ``sweep``: print the per-layer statistics of one deep network, measured by the probe
  beside the theory's prediction.
- ``graph``: draw the computation graph of an expression or a small MLP with its
  gradients, and write a step-through player of backward (`tinygrad_init.cli.graph`).

Run ``tinygrad-init --help`` or ``tinygrad-init demo --help`` for the options.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from typing import Any, Sequence, TextIO

import numpy as np

from .. import __version__

from ..nn import data
from ..core.tensor import Tensor, no_grad
from ..utils import as_rng, check_int, cli_type

__all__ = ["main", "build_parser", "run_demo", "gradient_table"]

_TWO_CLASS = ("moons", "circles", "spirals")

_MAIN_EPILOG = """\
examples:
  tinygrad-init demo                      train 2-16-16-1 tanh on moons, show the gradients
  tinygrad-init demo --seed 3 --epochs 50 another seed, shorter training
  tinygrad-init demo --dataset circles    the same network on two concentric circles
  tinygrad-init report --out report       the lecture report (HTML, figures, data) in ./report
  tinygrad-init report --out r --quick    the same with smaller networks, in seconds
  tinygrad-init sweep --init small --activation tanh
                                          per-layer statistics of one deep net, with the theory
  tinygrad-init explore --out explorer     the init explorer: one offline page to play with
  tinygrad-init graph "(a*b + c).tanh()" a=2 b=-3 c=10 --out neuron
                                          the graph, its gradients and a step-through player
  python -m tinygrad_init demo --help     every option of a subcommand

Every run is seeded: the same --seed prints the same numbers.
"""

_DEMO_EPILOG = """\
what you see:
  1. the loss (binary cross-entropy on the logits) and the accuracy, every few epochs;
  2. per Linear layer y = x @ W + b, before and after training:
       std dL/dW     spread of the weight gradient (SGD moves W by -lr x dL/dW)
       |dL/dW|       its Frobenius norm, sqrt(sum of squares)
       std dL/dy     spread of the gradient arriving at the layer's output (upstream)
       check         max |x.T @ dL/dy - dL/dW| / max |dL/dW|: the weight gradient
                     recomputed by hand as local (x) times upstream (dL/dy); of the order
                     of 1e-7, the rounding error of float32

examples:
  tinygrad-init demo --epochs 200 --lr 0.05
  tinygrad-init demo --hidden 32 32 32 --dataset spirals --epochs 300
  tinygrad-init demo --momentum 0 --batch-size 150      plain full-batch gradient descent
"""


# ---------------------------------------------------------------- argument types


_positive_int = cli_type(check_int, 1)


def _float_in(low: float, high: float | None, *, low_open: bool, high_open: bool = True):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        too_low = value <= low if low_open else value < low
        too_high = high is not None and (value >= high if high_open else value > high)
        if not np.isfinite(value) or too_low or too_high:
            lo = "(" if low_open else "["
            hi = "inf)" if high is None else (f"{high})" if high_open else f"{high}]")
            raise argparse.ArgumentTypeError(f"expected a number in {lo}{low}, {hi}, got {text}")
        return value
    return parse


# ---------------------------------------------------------------- parser


def _add_training_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("data and training")
    g.add_argument("--dataset", choices=_TWO_CLASS, default="moons",
                   help="the toy dataset (two classes; default: %(default)s)")
    g.add_argument("--samples", type=cli_type(check_int, 8, " (a quarter is held out for testing)"),
                   default=200, metavar="N",
                   help="points in the dataset, a quarter held out for testing (default: %(default)s)")
    g.add_argument("--noise", type=_float_in(0.0, None, low_open=False), default=None,
                   help="dataset noise (default: the dataset's own, 0.1 for moons)")
    g.add_argument("--hidden", type=_positive_int, nargs="+", default=[16, 16], metavar="W",
                   help="hidden layer widths (default: 16 16, i.e. the network 2-16-16-1)")
    g.add_argument("--epochs", type=_positive_int, default=100, help="passes over the training set "
                   "(default: %(default)s)")
    g.add_argument("--batch-size", type=_positive_int, default=32, metavar="B",
                   help="mini-batch size (default: %(default)s)")
    g.add_argument("--lr", type=_float_in(0.0, None, low_open=True), default=0.1,
                   help="SGD learning rate (default: %(default)s)")
    g.add_argument("--momentum", type=_float_in(0.0, 1.0, low_open=False), default=0.9,
                   help="SGD momentum, in [0, 1) (default: %(default)s)")
    g.add_argument("--every", type=_positive_int, default=None, metavar="K",
                   help="print the loss every K epochs (default: 10 lines in all)")
    g.add_argument("--seed", type=cli_type(check_int, 0), default=0,
                   help="random seed for data, initialization and batches (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``tinygrad-init`` (exposed for the docs and the tests)."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="tinygrad-init",
        description="See backpropagation and weight initialization happen: small autograd engines, "
                    "layer-by-layer gradient statistics, and pictures for lectures.",
        epilog=_MAIN_EPILOG, formatter_class=fmt)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo", help="train a small tanh MLP and show its gradients layer by layer",
        description="Train a tanh MLP (default 2-16-16-1) on a toy dataset with the tensor engine and "
                    "SGD, then show, per Linear layer, the gradients backpropagation computed and "
                    "check each one as upstream gradient x local gradient.",
        epilog=_DEMO_EPILOG, formatter_class=fmt)
    _add_training_options(demo)

    from ..lab.report import add_commands as add_report_commands

    add_report_commands(sub, fmt)  # `report` and `sweep`

    from .graph import add_graph_command

    add_graph_command(sub, fmt)

    from .lab_commands import add_commands as add_lab_commands

    add_lab_commands(sub, fmt)  # `explore` and `chaos`

    # The exercises have their own parser (tinygrad_init.exercises.grader); main() hands the
    # rest of the command line to it. Listed here so that --help shows it.
    sub.add_parser("exercises", help="list, start and grade the exercises (see: tinygrad-init exercises --help)",
                   add_help=False)
    return parser


# ---------------------------------------------------------------- the demo


def _accuracy(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    with no_grad():
        logits = model(Tensor(X)).data[:, 0]
    return float(np.mean((logits > 0) == (y == 1)))


def _loss(model: Any, X: np.ndarray, y: np.ndarray) -> Tensor:
    from ..nn.losses import binary_cross_entropy_with_logits

    logits = model(Tensor(X))
    return binary_cross_entropy_with_logits(logits, y.reshape(-1, 1).astype(np.float32))


def gradient_table(model: Any, X: np.ndarray, y: np.ndarray) -> list[dict[str, Any]]:
    """Run one forward and backward pass and measure, per Linear layer, the gradients.

    For a layer ``y = x @ W + b`` with upstream gradient ``g = dL/dy`` (shape
    ``(batch, fan_out)``), backpropagation computes ``dL/dW = x.T @ g`` (local x upstream).
    The gradient ``g`` is captured with a tensor hook on the layer's output, the input
    ``x`` with a forward hook, and ``x.T @ g`` is recomputed here to check ``W.grad``.

    The model's parameter gradients are cleared again afterwards.

    Args:
        model: an ``nn.MLP`` (or any module whose Linear sub-modules are found by
            ``named_modules()``) mapping ``(batch, 2)`` inputs to ``(batch, 1)`` logits.
        X: inputs of shape ``(batch, 2)``.
        y: labels in {0, 1} of shape ``(batch,)``.

    Returns:
        One dict per Linear layer, input to output, with keys ``name``, ``shape``,
        ``grad_w_std``, ``grad_w_norm``, ``grad_out_std`` and ``check``
        (``max |x.T @ g - dL/dW| / max |dL/dW|``; float32 rounding gives about 1e-7).
    """
    from ..nn import Linear

    linears = [(name, m) for name, m in model.named_modules() if isinstance(m, Linear)]
    seen: dict[str, dict[str, np.ndarray]] = {name: {} for name, _ in linears}

    def forward_hook(name: str):
        def hook(module: Any, inputs: tuple, output: Tensor) -> None:
            x = inputs[0]
            seen[name]["x"] = np.asarray(x.data if isinstance(x, Tensor) else x)

            def grad_hook(g: np.ndarray) -> None:
                seen[name]["g"] = np.array(g, copy=True)
            output.register_hook(grad_hook)
        return hook

    handles = [m.register_forward_hook(forward_hook(name)) for name, m in linears]
    try:
        model.zero_grad()
        _loss(model, X, y).backward()
    finally:
        for h in handles:
            h.remove()
    rows = []
    for name, m in linears:
        gw = m.weight.grad.astype(np.float64)
        x, g = seen[name]["x"].astype(np.float64), seen[name]["g"].astype(np.float64)
        rows.append({
            "name": name,
            "shape": m.weight.shape,
            "grad_w_std": float(gw.std()),
            "grad_w_norm": float(np.linalg.norm(gw)),
            "grad_out_std": float(g.std()),
            "check": float(np.max(np.abs(x.T @ g - gw)) / max(float(np.max(np.abs(gw))), 1e-300)),
        })
    model.zero_grad()
    return rows


def _print_table(rows: list[dict[str, Any]], title: str, out: TextIO) -> None:
    print(f"\n{title}", file=out)
    head = f"  {'layer':<10} {'W shape':<9} {'std dL/dW':>10} {'|dL/dW|':>10} {'std dL/dy':>10} {'check':>9}"
    print(head, file=out)
    print("  " + "-" * (len(head) - 2), file=out)
    for r in rows:
        shape = "x".join(str(s) for s in r["shape"])
        print(f"  {r['name']:<10} {shape:<9} {r['grad_w_std']:>10.3e} {r['grad_w_norm']:>10.3e} "
              f"{r['grad_out_std']:>10.3e} {r['check']:>9.1e}", file=out)


def run_demo(args: argparse.Namespace, out: TextIO | None = None) -> dict[str, Any]:
    """Train the demo network and print its progress and gradient tables to ``out``.

    Args:
        args: the parsed options of ``demo`` (see :func:`build_parser`).
        out: where to print (default ``sys.stdout``).

    Returns:
        A summary: ``final_loss``, ``train_accuracy``, ``test_accuracy``, ``history``
        (a list of ``(epoch, loss, train_acc, test_acc)``) and ``tables``
        (``{"init": rows, "trained": rows}`` from :func:`gradient_table`).
    """
    from ..nn import MLP
    from ..nn.optim import SGD

    out = sys.stdout if out is None else out
    gen = as_rng(args.seed)
    make = data.DATASETS[args.dataset]
    kwargs = {} if args.noise is None else {"noise": args.noise}
    X, y = make(args.samples, rng=gen, **kwargs)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.25, rng=gen)
    sizes = [2, *args.hidden, 1]
    model = MLP(sizes, activation="tanh", rng=gen)
    opt = SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    every = args.every or max(1, args.epochs // 10)
    batch = min(args.batch_size, len(y_train))

    noise = kwargs.get("noise", inspect.signature(make).parameters["noise"].default)
    print(f"tinygrad-init demo: a {'-'.join(map(str, sizes))} tanh MLP on {args.dataset} "
          f"({len(y_train)} training + {len(y_test)} test points, noise={noise}, seed={args.seed})", file=out)
    print(f"SGD lr={args.lr} momentum={args.momentum}, batch size {batch}, {args.epochs} epochs; "
          f"loss = binary cross-entropy on the logits", file=out)

    tables = {"init": gradient_table(model, X_train, y_train)}
    print(f"\n  {'epoch':>5}  {'loss':>8}  {'train acc':>9}  {'test acc':>8}", file=out)
    history = []
    for epoch in range(1, args.epochs + 1):
        order = gen.permutation(len(y_train))
        total, count = 0.0, 0
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            loss = _loss(model, X_train[idx], y_train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            count += len(idx)
        if epoch % every == 0 or epoch == 1 or epoch == args.epochs:
            row = (epoch, total / count, _accuracy(model, X_train, y_train), _accuracy(model, X_test, y_test))
            history.append(row)
            print(f"  {row[0]:>5}  {row[1]:>8.4f}  {row[2]:>9.1%}  {row[3]:>8.1%}", file=out)
    tables["trained"] = gradient_table(model, X_train, y_train)

    print("\nEach gradient = upstream x local. At a Linear layer y = x @ W + b, with upstream g = dL/dy:\n"
          "  dL/dW = x.T @ g (local x upstream), dL/db = g summed over the batch,\n"
          "  dL/dx = g @ W.T (upstream x local W), which is the upstream of the layer below.", file=out)
    _print_table(tables["init"], "Gradients at initialization (whole training set):", out)
    _print_table(tables["trained"], "Gradients after training:", out)
    print("  (check = max |x.T @ dL/dy - dL/dW| / max |dL/dW|: the engine's weight gradient against\n"
          "   local x upstream recomputed by hand; float32 rounding is of the order of 1e-7)", file=out)

    with no_grad():
        final_loss = _loss(model, X_train, y_train).item()
    summary = {
        "final_loss": final_loss,
        "train_accuracy": _accuracy(model, X_train, y_train),
        "test_accuracy": _accuracy(model, X_test, y_test),
        "history": history,
        "tables": tables,
    }
    print(f"\nfinal: loss {final_loss:.4f}, train accuracy {summary['train_accuracy']:.1%}, "
          f"test accuracy {summary['test_accuracy']:.1%}", file=out)
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "exercises":
        from ..exercises import grader

        return grader.main(argv[1:], prog="tinygrad-init exercises")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if hasattr(args, "run"):
            return args.run(args)
        if args.command == "demo":
            run_demo(args)
            return 0
        if args.command == "graph":
            from .graph import run_graph

            return run_graph(args)
        from ..lab.report import run_report_command, run_sweep_command

        if args.command == "sweep":
            return run_sweep_command(args)
        return run_report_command(args)
    except BrokenPipeError:  # output piped into `head` or similar, which stopped reading
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
