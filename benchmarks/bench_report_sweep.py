"""The report's sweep (experiments 1 and 2) against the same arithmetic written by hand in numpy.

What ``tinygrad-init report`` spends most of its time on: ``experiments.run_sweep()`` with
its defaults -- 5 schemes (zeros, 0.01 randn, 1.0 randn, randn/sqrt(fan_in), He) x 3
activations (tanh, sigmoid, relu), each a network of 10 layers x 500 units without bias
on a batch of 1000 unit gaussians, float32: build the weights, one forward pass, one
backward pass from a seeded standard-normal upstream gradient, the probe's statistics
of every layer and the theory's prediction.

The baseline does exactly the same work in plain numpy, in the same order:

* the weights from the same seeded draws (``W = s * Z`` with the same ``Z``);
* one BLAS thread for the networks, as the sweep (``threadpool_limits``, for those calls only);
* forward ``z = h @ W``, ``h = f(z)`` (sigmoid with the engine's overflow-free formula);
* backward ``dz = g * f'(h)``, ``dW = h_prev.T @ dz``, ``g = dz @ W.T`` (not below layer 1);
* the probe's statistics: mean, std (float64, two passes) and norm of ``z``, ``h``,
  ``dL/dh``, ``dL/dz``, ``W`` and ``dL/dW``; min and max of ``z``, ``h``, ``dL/dh``,
  ``dL/dz``; a 50-bin histogram of ``h`` (the sweep's probe counts this one only,
  ``Probe(histograms=["activation"])``); the saturated fraction (tanh, sigmoid) or the
  dead-unit fraction (ReLU);
* ``theory.predict`` for every network (the same call on both sides).

Both must produce the same numbers (every per-layer statistic and histogram; they run
the same numpy operations, so they agree to the last bit or to float32 round-off).

Target: engine time <= 1.3 x numpy time (the median of the paired ratios of interleaved repetitions).

A second comparison times the report's training loop, ``training.fit``, which trains every seed's
network at once as stacked numpy arrays, against the same networks trained one after the other with
the engine (``nn.MLP``, ``SGD``, ``binary_cross_entropy_with_logits``), the loop a student writes:
deeplearning.ai's 2-10-5-1 ReLU net from 11 inits (zeros, five 10*randn, five He), full batch on 300
points. The zeros and He nets must end at the same losses (to 1e-4; the 10*randn ones, started from
logits of hundreds, let float32 round-off grow into other trajectories); target: fit <= 0.25 x the engine.

Run: ``python benchmarks/bench_report_sweep.py [--quick] [--no-check] [--repeats N] [--profile]``.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import _timing as T
import numpy as np
from threadpoolctl import threadpool_limits

from tinygrad_init import Tensor, data, experiments, init, nn, theory
from tinygrad_init.losses import binary_cross_entropy_with_logits
from tinygrad_init.optim import SGD

NAME = "bench_report_sweep"
TITLE = ("report sweep: {schemes} schemes x {acts} activations, {depth} x {width}, batch {batch}, float32, "
         "forward + backward + probe, engine vs numpy")
TARGET_TIME = 1.3
TARGET_FIT = 0.25
TOLERANCE = 1e-6  # max relative difference of any per-layer statistic
BINS = 50
SAT_TANH, SAT_SIGMOID = 0.99, 0.01


# ------------------------------------------------------------------ the hand-written sweep


def _weights(scheme: str, gen: np.random.Generator, n: int) -> np.ndarray:
    """One (n, n) float32 weight drawn as tinygrad_init.init draws it (float64 draws, one rounding)."""
    shape = (n, n)
    if scheme == "zeros":
        return np.zeros(shape, dtype=np.float32)
    if scheme == "small":
        return np.ascontiguousarray(0.01 * gen.standard_normal(shape), dtype=np.float32)
    if scheme == "large":
        return np.ascontiguousarray(1.0 * gen.standard_normal(shape), dtype=np.float32)
    if scheme == "cs231n":
        return np.ascontiguousarray(gen.standard_normal(shape) / math.sqrt(n), dtype=np.float32)
    if scheme == "he_normal":
        return np.ascontiguousarray(gen.standard_normal(shape) * math.sqrt(2.0 / n), dtype=np.float32)
    raise ValueError(f"no hand-written version of scheme {scheme!r}")


def _moments(a: np.ndarray) -> tuple[float, float, float]:
    """Mean, population std and Frobenius norm, in float64, two passes."""
    v = a.ravel()
    n = v.size
    mean = float(v.mean(dtype=np.float64))
    d = v - np.float64(mean)
    var = float(np.dot(d, d)) / n
    return mean, math.sqrt(var), math.sqrt(n * (var + mean * mean))


def _summary(a: np.ndarray, hist_range: tuple[float, float] | None = None) -> dict[str, Any]:
    """The statistics, and with `hist_range` the histogram (the sweep's probe counts the activations' only, over the
    activation's fixed range)."""
    mean, std, norm = _moments(a)
    lo, hi = float(a.min()), float(a.max())
    counts = None if hist_range is None else np.histogram(a.ravel(), bins=BINS, range=hist_range)[0]
    return {"mean": mean, "std": std, "norm": norm, "min": lo, "max": hi, "counts": counts}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def numpy_run(scheme: str, act: str, X: np.ndarray, G: np.ndarray, weight_seed: int, depth: int,
              batch: int) -> list[dict[str, Any]]:
    """One network by hand: per layer the statistics the probe records."""
    width = X.shape[1]
    gen = np.random.default_rng(weight_seed)
    Ws = [_weights(scheme, gen, width) for _ in range(depth)]
    f = {"tanh": np.tanh, "sigmoid": _sigmoid, "relu": lambda z: np.maximum(z, 0)}[act]
    hist_range = experiments.HIST_RANGE[act]  # one x range for every layer (ReLU: [0, 4])
    layers: list[dict[str, Any]] = []
    hs = [X]
    for W in Ws:  # forward, measuring as the probe's forward hooks do
        z = hs[-1] @ W
        row: dict[str, Any] = {"pre": _summary(z)}
        row["w_std"], row["w_norm"] = _moments(W)[1:]
        h = f(z)
        row["act"] = _summary(h, hist_range)
        if act == "tanh":
            row["saturated"] = np.count_nonzero(np.abs(h) > np.float64(SAT_TANH)) / h.size
        elif act == "sigmoid":
            sat = (h < np.float64(SAT_SIGMOID)) | (h > np.float64(1.0) - np.float64(SAT_SIGMOID))
            row["saturated"] = np.count_nonzero(sat) / h.size
        else:
            row["dead"] = float(np.mean(np.all(h == 0, axis=0)))
        layers.append(row)
        hs.append(h)
    g = G
    for l in range(depth - 1, -1, -1):  # backward, measuring as the gradient hooks do
        h = hs[l + 1]
        layers[l]["grad_act"] = _summary(g)
        if act == "tanh":
            dz = g * (1 - h * h)
        elif act == "sigmoid":
            dz = g * (h * (1 - h))
        else:
            dz = g * (h > 0)
        layers[l]["grad_pre"] = _summary(dz)
        dW = hs[l].T @ dz
        layers[l]["grad_w_std"], layers[l]["grad_w_norm"] = _moments(dW)[1:]
        if l > 0:
            g = dz @ Ws[l].T
    layers.append({"theory": theory.predict([width] * (depth + 1), act, scheme, input_std=1.0, grad_std_top=1.0,
                                            batch_size=batch)})
    return layers


def numpy_sweep(schemes: tuple[str, ...], acts: tuple[str, ...], depth: int, width: int, batch: int,
                seed: int) -> dict[tuple[str, str], list[dict[str, Any]]]:
    gen = np.random.default_rng(seed)
    X = gen.standard_normal((batch, width)).astype(np.float32)
    G = gen.standard_normal((batch, width)).astype(np.float32)
    weight_seed = int(gen.integers(0, 2**63 - 1))
    # one BLAS thread, as the sweep measures each network (a scoped limit, as there): with two, OpenBLAS sums the
    # products in another order, and tanh's saturated layers make those last bits differences of 2% and more
    with threadpool_limits(1, user_api="blas"):
        return {(s, a): numpy_run(s, a, X, G, weight_seed, depth, batch) for a in acts for s in schemes}


# ------------------------------------------------------------------ comparison


def _pairs(sweep: experiments.Sweep, hand: dict[tuple[str, str], list[dict[str, Any]]]) -> dict[str, tuple[list, list]]:
    """Every per-layer statistic of both sides, by name."""
    keys = {"pre_mean": ("pre", "mean"), "pre_std": ("pre", "std"), "act_mean": ("act", "mean"),
            "act_std": ("act", "std"), "act_min": ("act", "min"), "act_max": ("act", "max"),
            "grad_act_std": ("grad_act", "std"), "grad_pre_std": ("grad_pre", "std")}
    out: dict[str, tuple[list, list]] = {k: ([], []) for k in [*keys, "grad_w_std", "w_std", "saturated_or_dead",
                                                               "histogram", "act_std_theory"]}
    for key, run in sweep.runs.items():
        mine = hand[key]
        for l, row in enumerate(run.layers):
            h = mine[l]
            for name, (part, stat) in keys.items():
                out[name][0].append(row[name])
                out[name][1].append(h[part][stat])
            out["grad_w_std"][0].append(row["grad_w_std"])
            out["grad_w_std"][1].append(h["grad_w_std"])
            out["w_std"][0].append(row["w_std"])
            out["w_std"][1].append(h["w_std"])
            frac = row["dead"] if key[1] == "relu" else row["saturated"]
            out["saturated_or_dead"][0].append(frac)
            out["saturated_or_dead"][1].append(h.get("dead", h.get("saturated")))
            out["histogram"][0].append(run.histograms[l][0])
            out["histogram"][1].append(h["act"]["counts"])
            out["act_std_theory"][0].append(row["act_std_theory"])
            out["act_std_theory"][1].append(float(mine[-1]["theory"].act_std[l]))
    return out


def _fit_cases(steps: int) -> tuple[dict[str, Any], Any]:
    """The training comparison: `fit` on all networks at once, and the engine one network at a time."""
    X, y = data.circles(300, noise=0.05, factor=0.8, rng=0)
    inits = ([("zeros", 0)] + [(init.get("large", scale=10.0), s) for s in range(5)]
             + [("he_normal", s) for s in range(5)])

    def models() -> list:
        return [nn.MLP([2, 10, 5, 1], activation="relu", init=sc, rng=s) for sc, s in inits]

    def stacked() -> np.ndarray:
        return experiments.fit(models(), X, y, steps=steps, lr=0.01)["loss"][:, -1]

    def engine() -> np.ndarray:
        last = []
        t = Tensor(y.reshape(-1, 1).astype(np.float32))
        for model in models():
            opt = SGD(model.parameters(), lr=0.01)
            for step in range(steps + 1):
                opt.zero_grad()
                loss = binary_cross_entropy_with_logits(model(Tensor(X)), t)
                if step < steps:
                    loss.backward()
                    opt.step()
            last.append(loss.item())
        return np.array(last)

    return {"fit": stacked, "engine": engine}, (stacked(), engine())


def run(quick: bool = False, repeats: int | None = None, seed: int = 0, profile: bool = False) -> T.Report:
    if quick:
        schemes, acts, depth, width, batch = ("small", "he_normal"), ("tanh", "relu"), 3, 32, 64
    else:
        schemes, acts = experiments.SCHEMES, experiments.ACTIVATIONS
        depth, width, batch = 10, 500, 1000
    repeats = repeats or (1 if quick else 3)

    def engine() -> experiments.Sweep:
        return experiments.run_sweep(schemes, acts, depth=depth, width=width, batch=batch, rng=seed, bins=BINS)

    def hand() -> dict:
        return numpy_sweep(schemes, acts, depth, width, batch, seed)

    report = T.Report(NAME, TITLE.format(schemes=len(schemes), acts=len(acts), depth=depth, width=width, batch=batch),
                      quick, config={"schemes": list(schemes), "activations": list(acts), "depth": depth,
                                     "width": width, "batch": batch, "bins": BINS, "dtype": "float32",
                                     "repeats": repeats, "seed": seed})

    sw, mine = engine(), hand()
    bitwise = True
    for what, (ours, theirs) in _pairs(sw, mine).items():
        if what == "histogram":
            diff = max(float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float)))) for a, b in zip(ours, theirs))
            report.agreements.append(T.Agreement("activation histograms (counts)", diff, 0.0, "max abs diff"))
            bitwise &= diff == 0
            continue
        a = np.array(ours, dtype=np.float64)
        b = np.array(theirs, dtype=np.float64)
        scale = np.maximum(np.abs(b), 1e-30)
        diff = float(np.max(np.where(a == b, 0.0, np.abs(a - b) / scale)))
        report.agreements.append(T.Agreement(what, diff, TOLERANCE, "max rel diff"))
        bitwise &= bool(np.array_equal(a, b))
    report.config["bit_identical"] = bitwise
    del sw, mine

    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(engine)
        stats = pstats.Stats(prof).sort_stats("tottime")
        print("profile of one engine sweep (top 20 by own time):")
        stats.print_stats(20)


    times = T.interleaved({"engine": engine, "numpy": hand}, repeats, warmup=0 if not quick else 1)
    for case, ts in times.items():
        report.add_timing(case, ts)
    r = T.ratios(times["engine"], times["numpy"])
    report.add_row("time: engine sweep / numpy sweep", r,
                   T.Target("time vs numpy", r[T.HEADLINE], TARGET_TIME, "<="))
    report.notes.append("results bit-identical to numpy" if bitwise else
                        "results agree to float32 round-off but are not bit-identical")
    report.notes.append("the sweep is what `tinygrad-init report` runs for experiments 1 and 2; figures, "
                        "training runs and files come on top of it")

    cases, (ours, theirs) = _fit_cases(20 if quick else 300)
    # the zeros and He nets; the 10*randn nets are left out: from logits of hundreds, their float32 round-off
    # (the two sides order the loss's arithmetic differently) grows into different trajectories
    keep = [0, 6, 7, 8, 9, 10]
    diff = float(np.max(np.abs(ours[keep] - theirs[keep]) / np.abs(theirs[keep])))
    report.agreements.append(T.Agreement("fit vs engine: final losses (zeros, He)", diff, 1e-4, "max rel diff"))
    times = T.interleaved(cases, repeats, warmup=0 if not quick else 1)
    for case, ts in times.items():
        report.add_timing("training " + case, ts)
    r = T.ratios(times["fit"], times["engine"])
    report.add_row("time: fit (11 nets at once) / engine (one after the other)", r,
                   T.Target("fit vs engine", r[T.HEADLINE], TARGET_FIT, "<="))
    return report


def main(argv: list[str] | None = None) -> int:
    def options(p):
        p.add_argument("--profile", action="store_true", help="print a cProfile of one engine sweep before timing")

    return T.main(__doc__, run, argv, options=options, run_kwargs=lambda a: {"profile": a.profile})


if __name__ == "__main__":
    sys.exit(main())
