"""How long drawing a graph takes: DOT text, Graphviz layout to SVG, and the step-through page.

Two lecture-sized graphs, each from a finished backward pass:

* a 2-16-16-1 tanh MLP on the **scalar** engine, one sample (about 700 Values -- every
  weight, product and sum is one -- and about 980 chain-rule steps; ``draw.draw`` draws the
  ``draw.MAX_NODES`` = 150 nearest the loss, as by default: some 290 Graphviz nodes with their
  op bubbles), with data, grads, local derivatives and colours;
* a 10-layer tanh MLP on the **tensor** engine, 500 units per layer and a batch of 256 (the
  initialization lecture's network), drawn with one cluster per layer and colours.

For each, the best of ``--repeats`` runs of ``draw.draw`` (the DOT text) and ``draw.to_svg``
(the ``dot`` layout) is printed, plus the time to build the player page of the scalar MLP.
Unlike the other scripts in this folder this is an absolute time, not a ratio: the target
is that each graph goes from Value/Tensor to SVG in **under a second** on a laptop-class
core. Exit status 1 when a target is missed (not with ``--no-check``), 0 otherwise.

Run: ``python benchmarks/bench_draw.py [--repeats N] [--no-check]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # measure this checkout, installed or not
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from tinygrad_init import Tensor, Value, autograd, draw, ledger, nn, player, scalar_nn  # noqa: E402

TARGET_SECONDS = 1.0


def scalar_mlp() -> Value:
    """2-16-16-1 tanh MLP on one sample, squared error, after backward."""
    rng = np.random.default_rng(0)
    model = scalar_nn.MLP(2, [16, 16, 1], activation="tanh", rng=rng)
    x = [Value(float(v), label=f"x{i}") for i, v in enumerate(rng.standard_normal(2))]
    loss = (model(x) - 0.5) ** 2
    loss.label = "loss"
    return loss


def tensor_mlp() -> tuple[Tensor, draw.Trace]:
    """10 Linear layers of 500 tanh units, batch 256, after backward (intermediate grads kept)."""
    rng = np.random.default_rng(0)
    model = nn.MLP([500] * 11, activation="tanh", rng=rng)
    x = Tensor(rng.standard_normal((256, 500)).astype(np.float32), name="x")
    tr = draw.trace(model, x)
    loss = nn.mse_loss(tr.output, np.zeros((256, 500), dtype=np.float32))
    loss.backward(retain_grads=True)
    return loss, tr


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=3, help="timed runs per case; the best is reported (default 3)")
    p.add_argument("--no-check", action="store_true", help="print the targets but exit 0 when one is missed")
    args = p.parse_args(argv)
    repeats = max(1, args.repeats)

    rows = []
    loss = scalar_mlp()
    with ledger.record() as steps:
        loss.backward()
    n_nodes = len(autograd.topological_order(loss))
    opts = dict(show_data=True, show_grad=True, show_local=True, color_by_grad=True)
    t_dot, g = best_of(lambda: draw.draw(loss, **opts), repeats)
    t_svg, svg = best_of(lambda: draw.to_svg(g), repeats)
    rows.append((f"scalar 2-16-16-1, one sample ({n_nodes} nodes)", t_dot, t_svg, len(svg)))
    t_page, page = best_of(lambda: player.player_html(steps), repeats)

    tloss, tr = tensor_mlp()
    n_tensor = len(autograd.topological_order(tloss))
    t_dot2, g2 = best_of(lambda: draw.draw(tloss, module=tr, show_data=True, show_grad=True, show_local=True,
                                           color_by_grad=True), repeats)
    t_svg2, svg2 = best_of(lambda: draw.to_svg(g2), repeats)
    rows.append((f"tensor 10 x 500 tanh, batch 256 ({n_tensor} nodes)", t_dot2, t_svg2, len(svg2)))

    print(f"drawing to SVG, best of {repeats} (cores: {os.cpu_count()}); target: under {TARGET_SECONDS:.1f} s each")
    print(f"  {'graph':<46} {'draw (DOT)':>10} {'dot -> SVG':>10} {'total':>8} {'SVG size':>10}")
    missed = []
    for name, a, b, size in rows:
        total = a + b
        flag = "" if total < TARGET_SECONDS else "   <- over the target"
        print(f"  {name:<46} {a:>9.3f}s {b:>9.3f}s {total:>7.3f}s {size / 1024:>8.0f} KiB{flag}")
        if total >= TARGET_SECONDS:
            missed.append(name)
    print(f"  player page of the scalar MLP ({len(steps)} steps): {t_page:.3f} s, "
          f"{len(page.encode()) / 1024:.0f} KiB")
    if missed and not args.no_check:
        print(f"target missed: {', '.join(missed)} (a busy machine? run again, or pass --no-check)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
