"""The scalar engine against micrograd 0.1.0 on micrograd's own demo, written as the demo writes it.

The workload is the training loop of micrograd's ``demo.ipynb``: ``MLP(2, [16, 16, 1])`` of
plain scalar values with ReLU hidden layers, each neuron ``act = b; for w, x: act = act + w * x``
(binary adds, as micrograd's ``sum(..., self.b)`` builds them), 100 "moons" points, the
full-batch SVM hinge loss plus an L2 penalty, built with Python's ``sum``,

    L = mean_i relu(1 - y_i * score_i) + 1e-4 * sum_p p^2,       y_i in {-1, +1},

then ``zero_grad``, ``backward`` and an SGD update with the demo's learning rate
``1 - 0.9 k / 100`` at step ``k``; 5 steps per run. The same code runs on
``tinygrad_init.Value``; micrograd runs its own ``nn.MLP``. Both start from the same weights
(copied across) and must end with the same losses and weights (to 1e-9): it is the same
computation, node for node. Inputs are Python floats for both.

Timed twice, interleaved and paired: as a program runs by default (garbage collector on:
micrograd's per-node closures form reference cycles, so the collector dominates its run
time) and with ``gc.disable()`` on both sides (the pure cost of the ops and the graph walk).

Targets: micrograd time / engine time >= 10 with the collector on, >= 2.5 with it off.

Run: ``python benchmarks/scalar_vs_micrograd.py [--quick] [--no-check] [--repeats N]``.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

import _timing as T
import numpy as np

from tinygrad_init.value import Value

NAME = "scalar_vs_micrograd"
TITLE = "Scalar engine vs micrograd 0.1.0: MLP(2, [16, 16, 1]) on {n} moons, {steps} full-batch SGD steps"
TARGET_GC_ON = 10.0
TARGET_GC_OFF = 2.5
TOLERANCE = 1e-9
ALPHA = 1e-4
SIZES = [2, 16, 16, 1]


def moons(n: int, seed: int) -> tuple[list[list[float]], list[float]]:
    """``n`` moons points as Python floats and labels in {-1.0, +1.0}."""
    from tinygrad_init import data

    X, y = data.moons(n, noise=0.1, rng=seed)
    return np.asarray(X, dtype=np.float64).tolist(), (2.0 * np.asarray(y, dtype=np.float64) - 1.0).tolist()


class MLP:
    """micrograd's demo model on tinygrad_init's Value: a list of layers of (weights, bias, relu?) neurons."""

    def __init__(self, weights: list[float]) -> None:
        it = iter(weights)
        self.layers = [[([Value(next(it)) for _ in range(nin)], Value(next(it)), k < len(SIZES) - 2)
                        for _ in range(nout)] for k, (nin, nout) in enumerate(zip(SIZES, SIZES[1:]))]

    def __call__(self, x: list) -> Value:
        for layer in self.layers:
            out = []
            for w, b, nonlin in layer:
                act = b
                for wi, xi in zip(w, x):
                    act = act + wi * xi
                out.append(act.relu() if nonlin else act)
            x = out
        return x[0]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for w, b, _ in layer for p in w + [b]]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0


def train(model: Any, value: Callable[[float], Any], X: list, y: list, steps: int) -> list[float]:
    """The demo's loop (the same for both engines): returns the loss of each step."""
    losses = []
    for k in range(steps):
        inputs = [list(map(value, row)) for row in X]
        scores = list(map(model, inputs))
        margins = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(total.data)
    return losses


def run(quick: bool = False, repeats: int | None = None, seed: int = 0) -> T.Report:
    n, steps = (10, 2) if quick else (100, 5)
    repeats = repeats or (1 if quick else 9)
    X, y = moons(n, seed)
    rng = np.random.default_rng(seed)
    init = [float(w) for w in rng.uniform(-1, 1, size=sum((a + 1) * b for a, b in zip(SIZES, SIZES[1:])))]
    report = T.Report(NAME, TITLE.format(n=n, steps=steps), quick, config={
        "model": "MLP(2, [16, 16, 1]) of plain values, relu hidden, binary adds, U(-1, 1) weights",
        "samples": n, "steps": steps, "loss": "mean relu(1 - y*score) + 1e-4 * sum p^2", "repeats": repeats,
        "seed": seed})
    try:
        import micrograd.engine
        import micrograd.nn as mnn
        report.config["micrograd"] = "0.1.0"
    except ImportError:
        mnn = None
        report.notes.append("micrograd is not installed (pip install micrograd==0.1.0): only the engine is timed")

    def micrograd_model() -> Any:
        model = mnn.MLP(2, SIZES[1:])
        for p, w in zip(model.parameters(), init):  # the same order: each neuron's weights, then its bias
            p.data = w
        return model

    fresh = {"engine": lambda: MLP(init)}
    value = {"engine": Value}
    if mnn is not None:
        fresh["micrograd"], value["micrograd"] = micrograd_model, micrograd.engine.Value
    models: dict[str, Any] = {}
    trained = {name: (make(), []) for name, make in fresh.items()}  # same computation?
    for name, (model, out) in trained.items():
        out.extend(train(model, value[name], X, y, steps))
    report.config["engine_losses"] = trained["engine"][1]
    if mnn is not None:
        (ours, l_ours), (theirs, l_theirs) = trained["engine"], trained["micrograd"]
        report.agreements.append(T.compare_arrays("loss at every step", [l_ours], [l_theirs], TOLERANCE))
        report.agreements.append(T.compare_arrays(
            "weights after the last step", [[p.data for p in ours.parameters()]],
            [[p.data for p in theirs.parameters()]], TOLERANCE))
    del trained

    cases = {name: (lambda name=name: train(models[name], value[name], X, y, steps)) for name in fresh}

    def setup(name: str) -> None:
        models.clear()  # drop the last run's model and graph before building the next
        models[name] = fresh[name]()

    for label, gc_on, target in (("gc off", False, TARGET_GC_OFF), ("gc on", True, TARGET_GC_ON)):
        times = T.interleaved(cases, repeats, warmup=0 if (gc_on or quick) else 1, gc_enabled=gc_on, setup=setup)
        for case, ts in times.items():
            report.add_timing(f"{case} ({label}), {steps} steps", ts)
        if mnn is None:
            report.targets.append(T.Target(f"speedup over micrograd, {label}", None, target, ">="))
            continue
        r = T.ratios(times["micrograd"], times["engine"])
        report.add_row(f"speedup: micrograd time / engine time ({label})", r,
                       T.Target(f"speedup over micrograd, {label}", r[T.HEADLINE], target, ">="))
    return report


def main(argv: list[str] | None = None) -> int:
    return T.main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
