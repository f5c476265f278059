"""The scalar engine against micrograd 0.1.0 on micrograd's own demo workload.

The workload is the training loop of micrograd's ``demo.ipynb``: ``MLP(2, [16, 16, 1])``
with ReLU hidden layers, 100 "moons" points, the full-batch SVM hinge loss plus an L2
penalty,

    L = mean_i relu(1 - y_i * score_i) + 1e-4 * sum_p p^2,       y_i in {-1, +1},

then ``zero_grad``, ``backward`` and an SGD update with the demo's learning rate
``1 - 0.9 k / 100`` at step ``k``; 5 steps per run. tinygrad_init runs it with
:class:`tinygrad_init.scalar_nn.MLP` (whose neurons sum with one n-ary
:meth:`Value.sum` node); micrograd with its own ``nn.MLP``. Both start from the same
weights (copied across) and must end with the same losses and weights (to 1e-9) --
it is the same computation, node for node up to the shape of the sums.

Inputs are Python floats for both engines. (The demo feeds numpy float64 scalars, which
makes every micrograd op slower; that is not counted in our favour.)

Timed twice: as a program runs by default (garbage collector on -- micrograd's
closures form reference cycles, so the collector dominates its run time) and with
``gc.disable()`` (the pure cost of the ops and the graph walk).

Targets: micrograd time / engine time >= 10 with the collector on, >= 1.5 with it off.

Run: ``python benchmarks/scalar_vs_micrograd.py [--quick] [--no-check] [--repeats N]``.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

import _timing as T
import numpy as np

from tinygrad_init.scalar_nn import MLP
from tinygrad_init.value import Value

NAME = "scalar_vs_micrograd"
TITLE = "Scalar engine vs micrograd 0.1.0: MLP(2, [16, 16, 1]) on {n} moons, {steps} full-batch SGD steps"
TARGET_GC_ON = 10.0
TARGET_GC_OFF = 1.5
TOLERANCE = 1e-9
ALPHA = 1e-4


def moons(n: int, seed: int) -> tuple[list[list[float]], list[float]]:
    """``n`` moons points as Python floats and labels in {-1.0, +1.0}."""
    try:
        from tinygrad_init import data

        X, y = data.moons(n, noise=0.1, rng=seed)
    except ImportError:  # the data module is optional here: the same construction by hand
        rng = np.random.default_rng(seed)
        y = np.repeat([0, 1], [n - n // 2, n // 2])
        t = rng.uniform(0.0, np.pi, size=n)
        X = np.where((y == 0)[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
        X = X + rng.normal(0.0, 0.1, size=X.shape)
    X = np.asarray(X, dtype=np.float64)
    labels = 2.0 * np.asarray(y, dtype=np.float64) - 1.0
    return X.tolist(), labels.tolist()


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def train_ours(model: MLP, X: list, y: list, steps: int) -> list[float]:
    """The demo's loop on tinygrad_init: returns the loss of each step."""
    losses = []
    for k in range(steps):
        inputs = [[Value(a) for a in row] for row in X]
        scores = [model(x) for x in inputs]
        margins = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = Value.sum(margins) * (1.0 / len(margins))
        reg_loss = ALPHA * Value.sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        lr = learning_rate(k)
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(total.data)
    return losses


def train_micrograd(model: Any, X: list, y: list, steps: int) -> list[float]:
    """The same loop, as micrograd's demo writes it (built-in ``sum`` of binary adds)."""
    from micrograd.engine import Value as MValue

    losses = []
    for k in range(steps):
        inputs = [list(map(MValue, row)) for row in X]
        scores = list(map(model, inputs))
        margins = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        lr = learning_rate(k)
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(total.data)
    return losses


def run(quick: bool = False, repeats: int | None = None, seed: int = 0) -> T.Report:
    n, steps = (10, 2) if quick else (100, 5)
    repeats = repeats or (1 if quick else 5)
    X, y = moons(n, seed)
    init = [p.data for p in MLP(2, [16, 16, 1], activation="relu", rng=seed).parameters()]

    report = T.Report(NAME, TITLE.format(n=n, steps=steps), quick, config={
        "model": "MLP(2, [16, 16, 1]), relu hidden, U(-1, 1) weights, zero biases",
        "samples": n, "steps": steps, "loss": "mean relu(1 - y*score) + 1e-4 * sum p^2",
        "repeats": repeats, "seed": seed})

    try:
        import micrograd
        import micrograd.nn as mnn
        report.config["micrograd"] = getattr(micrograd, "__version__", "0.1.0 (no __version__)")
    except ImportError:
        mnn = None
        report.notes.append("micrograd is not installed (pip install micrograd==0.1.0): the comparison is "
                            "skipped and only the engine is timed")

    def fresh_ours() -> MLP:
        model = MLP(2, [16, 16, 1], activation="relu", rng=seed)
        for p, w in zip(model.parameters(), init):
            p.data = w
        return model

    def fresh_micrograd() -> Any:
        model = mnn.MLP(2, [16, 16, 1])
        params = model.parameters()
        assert len(params) == len(init), "micrograd's MLP has a different parameter count"
        for p, w in zip(params, init):
            p.data = w
        return model

    # Same computation? Losses of every step and the final weights.
    ours_model = fresh_ours()
    ours_losses = train_ours(ours_model, X, y, steps)
    report.config["engine_losses"] = ours_losses
    if mnn is not None:
        mg_model = fresh_micrograd()
        mg_losses = train_micrograd(mg_model, X, y, steps)
        report.config["micrograd_losses"] = mg_losses
        report.agreements.append(T.compare_arrays("loss at every step", [ours_losses], [mg_losses], TOLERANCE))
        report.agreements.append(T.compare_arrays(
            "weights after the last step", [[p.data for p in ours_model.parameters()]],
            [[p.data for p in mg_model.parameters()]], TOLERANCE))
        del mg_model

    models: dict[str, Any] = {}
    cases: dict[str, Callable[[], Any]] = {"engine": lambda: train_ours(models["engine"], X, y, steps)}
    fresh: dict[str, Callable[[], Any]] = {"engine": fresh_ours}
    if mnn is not None:
        cases["micrograd"] = lambda: train_micrograd(models["micrograd"], X, y, steps)
        fresh["micrograd"] = fresh_micrograd

    def setup(name: str) -> None:
        models.clear()  # drop the last run's model and graph before building the next
        models[name] = fresh[name]()

    for label, gc_on, target in (("gc off", False, TARGET_GC_OFF), ("gc on", True, TARGET_GC_ON)):
        times = T.interleaved(cases, repeats, warmup=0 if (gc_on or quick) else 1, gc_enabled=gc_on, setup=setup)
        for case, ts in times.items():
            report.add_timing(f"{case} ({label}), {steps} steps", ts)
        if mnn is not None:
            r = T.ratios(times["micrograd"], times["engine"])
            report.add_row(f"speedup: micrograd time / engine time ({label})", r,
                           T.Target(f"speedup over micrograd, {label}", r[T.HEADLINE], target, ">="))
        else:
            report.targets.append(T.Target(f"speedup over micrograd, {label}", None, target, ">="))
    return report


def main(argv: list[str] | None = None) -> int:
    return T.main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
