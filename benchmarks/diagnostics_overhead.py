"""What watching a training run costs: a training step with `Diagnostics` attached against the same step without.

The network is the lecture's: ten tanh layers of 500 units (Xavier normal, gain 5/3) and a linear readout
to 10 classes, trained by SGD on the cross-entropy of random inputs and labels. Two copies start from the
same weights; one is watched by `tinygrad_init.lab.diagnostics.Diagnostics`, which records, at every
recorded step, each layer's activation mean, std, saturated fraction and histogram, the gradient's std
and histogram, and each parameter's grad:data and update:data ratios. Both are timed interleaved in this
process, one step per timed block:

- batch 1000, recording every step (the classic experiment's batch);
- batch 100, recording every 10th step (a typical mini-batch; the cost is that of the recorded steps
  spread over ten).

Before timing, both copies train a few steps and must give bit-identical losses and weights: the
diagnostics only read. Target: a watched step costs at most 1.15 x an unwatched one (every-step case).

Run: ``python benchmarks/diagnostics_overhead.py [--quick] [--no-check] [--repeats N]``.
"""

from __future__ import annotations

import sys

import _timing as T
import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.diagnostics import Diagnostics
from tinygrad_init.nn import init
from tinygrad_init.nn.losses import cross_entropy
from tinygrad_init.nn.optim import SGD

NAME = "diagnostics_overhead"
TARGET = 1.15


def _setup(layers: int, width: int, batch: int, every: int | None, seed: int = 0):
    """A model, its optimizer and a step function; watched by Diagnostics when `every` is given."""
    gen = np.random.default_rng(seed)
    good = init.get("xavier_normal", gain=5 / 3)
    mods = [m for _ in range(layers) for m in (nn.Linear(width, width, init=good, rng=gen), nn.Tanh())]
    model = nn.Sequential(*mods, nn.Linear(width, 10, init=good, rng=gen))
    opt = SGD(model.parameters(), lr=0.01)
    diag = None if every is None else Diagnostics(model, opt, every=every)
    data = np.random.default_rng(seed + 1)
    X, y = Tensor(data.standard_normal((batch, width)).astype(np.float32)), data.integers(0, 10, batch)

    def step() -> float:
        opt.zero_grad()
        loss = cross_entropy(model(X), y)
        loss.backward()
        opt.step()
        return float(loss.data)

    return model, step, diag


def run(quick: bool = False, repeats: int | None = None) -> T.Report:
    layers, width = (3, 64) if quick else (10, 500)
    repeats = repeats or (1 if quick else 15)
    report = T.Report(NAME, f"Diagnostics overhead: {layers} tanh layers x {width} units, SGD steps", quick,
                      config={"layers": layers, "width": width, "repeats": repeats})
    for batch, every in ((1000, 1), (100, 10)):
        batch = 32 if quick else batch
        (m0, plain, _), (m1, watched, diag) = _setup(layers, width, batch, None), _setup(layers, width, batch, every)
        same = [plain() == watched() for _ in range(3)]
        same.append(all(np.array_equal(a.data, b.data) for a, b in zip(m0.parameters(), m1.parameters())))
        report.agreements.append(T.Agreement(f"losses and weights after 3 steps (batch {batch})",
                                             float(not all(same)), 0.0, "1 if not bit-identical"))
        # one timed step per block; `every` steps per block for the sparse case, so each block holds one record
        times = T.interleaved({"plain": lambda: [plain() for _ in range(every)],
                               "watched": lambda: [watched() for _ in range(every)]}, repeats)
        for case, ts in times.items():
            report.add_timing(f"{case}, batch {batch}, every {every}", [t / every for t in ts])
        r = T.ratios(times["watched"], times["plain"])
        target = T.Target(f"watched / plain, batch {batch}, every step", r[T.HEADLINE], TARGET) if every == 1 else None
        report.add_row(f"time: watched / plain (batch {batch}, every {every})", r, target,
                       records=len(diag.records))
    report.notes.append("ratios: paired median (headline), of bests, of medians; per-repetition ratios in the JSON")
    return report


def main(argv: list[str] | None = None) -> int:
    return T.main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
