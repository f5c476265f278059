"""The lecture's initialization experiments (`EXPERIMENTS`, and the sweep-based ones), each returning an
`ExperimentResult` from `rng` (default 0) and `quick` (smaller sizes), as the report calls them.

CS231n's set-up (2017, lecture 6): `depth` layers `h_l = f(h_{l-1} @ W_l)` of `width` units, no biases (10 x 500),
an input `X ~ N(0, 1)` `(batch, width)` (1000), one backward pass from a seeded standard-normal `dL/dh_top`,
measured by the `Probe` and predicted by `theory.predict`. The networks of a sweep share one weight seed: the
normal schemes draw the same `Z_l` and differ only in scale, `W_l = s Z_l`."""

from __future__ import annotations

import copy
import math
import numbers
from concurrent.futures import Future
from functools import partial
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from ..core.tensor import Tensor, enable_grad
from ..nn import activations as _acts, init as _init
from ..utils import Rng, as_rng, as_seed, check_bool, check_choice, check_int, check_real, check_type, counted, ratio
from ..utils import format_number as _num
from . import diagnostics, plots, spectra
from .probe import Probe, fraction_key
from .table import SCHEME_LABELS, ExperimentResult, Table, band, label, network_sizes, plain
from .theory import predict, renamed
from .training import (ACTIVATIONS, accuracy, check_activation, check_names, check_scheme, deep_mlp, depth,
                       distinct_units, fit, seeds_of, sigmoid_saturation, symmetry, training)

__all__ = ["SCHEMES", "ACTIVATIONS", "SCHEME_LABELS", "HIST_RANGE", "LAYER_FIELDS", "ExperimentResult", "Run", "Sweep",
           "band", "label", "deep_mlp", "run_one", "run_sweep", "sweep_table", "theory_vs_measurement", "fit",
           "accuracy", "distinct_units", "WORDS", "THRESHOLDS", "NEARBY", "judge", "word", "nearby", "verdict",
           "activation_statistics", "gradient_statistics", "theory_average", "batch_norm", "symmetry", "training",
           "depth", "sigmoid_saturation", "EXPERIMENTS", "BEYOND", "run_all"]

#: The schemes of the report's sweeps, the verdict's columns: zeros, `0.01 randn`, `1.0 randn`, CS231n's "Xavier", He.
SCHEMES: tuple[str, ...] = ("zeros", "small", "large", "cs231n", "he_normal")
#: The histograms' x range, every panel's: a bounded activation's limits; ReLU [0, 4] (He's relu(N(0, 2)): 99.8% < 4).
HIST_RANGE: dict[str, tuple[float, float]] = {a: (lo, hi if math.isfinite(hi) else 4.0) for a in ACTIVATIONS
                                              for lo, hi in [_acts.get(a).limits]}
_SIZES = {False: {"depth": 10, "width": 500, "batch": 1000}, True: {"depth": 10, "width": 100, "batch": 200}}
_DEPTH, _WIDTH, _BATCH = _SIZES[False].values()  # CS231n's: the defaults of run_one and sweep_table
#: What a `Run` keeps of each layer (for the tables' notes).
LAYER_FIELDS: dict[str, str] = {
    "linear_std": "std of x @ W (before batch norm, if any)", "pre_mean": "mean of the activation's input z",
    "pre_std": "std of the activation's input z", "act_mean": "mean of h = f(z)", "act_std": "std of h",
    "saturated": "fraction of entries with |tanh| > 0.99, or sigmoid within 0.01 of 0 or 1", "dead": "fraction of "
    "ReLU units that are 0 for the whole batch", "outside": "fraction of h outside the histogram", "grad_act_std":
    "std of dL/dh", "grad_pre_std": "std of dL/dz", "grad_pre_median": "median |dL/dz| (the typical unit; layer 1)",
    "grad_w_std": "std of dL/dW (summed over the batch; - for a 1 x 1 W, one number has no spread)"}
#: The `TheoryResult` field of each predicted layer field.
_THEORY_OF = {k: k for k in ("pre_std", "act_mean", "act_std", "saturated", "grad_act_std", "grad_pre_std")} | {
    "grad_w_std": "grad_weight_std"}
_PAIRS = (("act_std", "h"), ("grad_act_std", "dL/dh"), ("grad_w_std", "dL/dW"))
_THEORY = ("*_theory: the mean-field prediction from the init and the activation alone (tinygrad_init.theory."
           "predict), the average over networks of infinite width: one network scatters around it, a deep and narrow "
           "ReLU one most")


class Run:
    """One network of a sweep: `layers`, a dict per layer (layer 1 first) with the keys of `LAYER_FIELDS`
    and `"<field>_theory"` (`None` where they do not apply; no theory with batch norm), `histograms` (per
    layer `(counts, edges)` of `h` over `HIST_RANGE`), `theory` (the `TheoryResult`) and the sweep's `settings`."""

    def __init__(self, scheme: str, activation: str, batchnorm: bool, layers: list[dict[str, Any]],
                 histograms: list[tuple[np.ndarray, np.ndarray]], theory: Any, settings: Mapping[str, Any]) -> None:
        self.scheme, self.activation, self.batchnorm, self.layers = scheme, activation, batchnorm, layers
        self.histograms, self.theory, self.settings, self.depth = histograms, theory, dict(settings), len(layers)

    def values(self, key: str) -> np.ndarray:
        """One field for every layer, as floats (`None` -> NaN)."""
        self._check("Run.values", [key])
        return np.array([np.nan if r.get(key) is None else float(r[key]) for r in self.layers])

    def table(self, columns: Sequence[str] | None = None) -> Table:
        """The per-layer table: measured numbers with the theory's prediction beside them."""
        if columns is None:
            sat = ["dead"] if fraction_key(self.activation) == "dead" else ["saturated", "saturated_theory"]
            bn = self.batchnorm
            columns = ["pre_std", "pre_std_theory", "act_mean", "act_mean_theory", "act_std", "act_std_theory", *sat,
                       "grad_act_std", "grad_act_std_theory", "grad_w_std", "grad_w_std_theory"]
            columns = ["layer"] + ["linear_std"] * bn + [c for c in columns if not (bn and "theory" in c)]
        columns = self._check("Run.table", columns)
        notes = [f"{k}: {LAYER_FIELDS[k]}" for k in columns if k in LAYER_FIELDS] + [
            _THEORY + "; upstream dL/dh at the top ~ N(0, 1)"] * any(c.endswith("_theory") for c in columns)
        if bad := [r["layer"] for r in self.layers if not np.isfinite(r.get("act_std") or 0.0)]:
            notes.append(f"from layer {bad[0]} the activations overflow float32 (max 3.4e38): nan, not a measurement; "
                         "nor is any gradient below the top layer, which backward reaches through them")
        for k in [] if bad else [c for c in columns if c.startswith("grad") and not c.endswith("_theory")]:
            if at := [r["layer"] for r in self.layers if not np.isfinite(r[k] if r.get(k) is not None else 0.0)]:
                notes.append(f"{k}: the gradient overflows float32 (max 3.4e38) in {counted(len(at), 'layer')}, from "
                             f"layer {at[0]}: nan or inf, not a measurement")
        if low := [r["layer"] for r in self.layers for k in _THEORY_OF if k != "saturated"  # a fraction, not a value
                   and 0 < (r.get(k + "_theory") or 0) < 1.18e-38]:
            notes.append(f"from layer {low[0]} the theory has numbers below 1.2e-38, float32's smallest normal number: "
                         "measured, they are rounding or 0, and a layer of zeros passes no gradient back")
        return Table(columns, [[r.get(c) for c in columns] for r in self.layers], notes=notes,
                     title=f"{label(self.scheme)}, {self.activation}{', batch norm' * self.batchnorm}: "
                           f"{network_sizes(self.settings)}")

    def _check(self, where: str, columns: str | Sequence[str]) -> list[str]:
        """`columns` (a name or a list) as a list if this run has every one; a KeyError naming `where` otherwise."""
        columns = [columns] if isinstance(columns, str) else list(
            check_type(where, "columns", columns, Iterable, "a column name or a list of them"))
        if unknown := [c for c in columns if c not in self.layers[0]]:
            raise KeyError(f"{where}: unknown column(s) {unknown}; the columns are {', '.join(self.layers[0])}")
        return columns

    def __repr__(self) -> str:  # a notebook cell shows it: the network, not a memory address
        return f"Run({self.scheme}, {self.activation}{', batch norm' * self.batchnorm}: {network_sizes(self.settings)})"

    def to_dict(self) -> dict[str, Any]:
        return plain({"scheme": self.scheme, "activation": self.activation, "batchnorm": self.batchnorm,
                      "layers": self.layers, "histograms": [{"counts": c, "edges": e} for c, e in self.histograms]})


class Sweep:
    """Every scheme x activation of `run_sweep`: `runs = {(scheme, activation): Run}`, `schemes`, `activations`."""

    def __init__(self, settings: Mapping[str, Any], runs: Mapping[tuple[str, str], Run]) -> None:
        self.settings, self.runs = dict(settings), dict(runs)
        self.schemes, self.activations = (list(dict.fromkeys(k[i] for k in self.runs)) for i in (0, 1))

    def run(self, scheme: str, activation: str) -> Run:
        """The run of one scheme and activation (any spelling or alias `init.get` and the sweeps take)."""
        if (scheme, activation) not in self.runs and isinstance(scheme, str) and isinstance(activation, str):
            scheme, activation = check_scheme("Sweep.run", scheme), check_activation("Sweep.run", activation)
        if (scheme, activation) not in self.runs:
            raise KeyError(f"Sweep: no run of scheme {scheme!r} with activation {activation!r}; it holds "
                           f"{', '.join(f'{s}/{a}' for s, a in self.runs)}")
        return self.runs[(scheme, activation)]

    def table(self, columns: str | Sequence[str], title: str, notes: str | Sequence[str] | None = None) -> Table:
        """One row per (scheme, activation, layer) with the given per-layer columns."""
        columns = next(iter(self.runs.values()))._check("Sweep.table", columns)
        return renamed("Sweep.table", Table, ["scheme", "activation", *columns], [[s, a] + [r.get(c) for c in columns]
                       for (s, a), run in self.runs.items() for r in run.layers], title, notes)

    def __repr__(self) -> str:  # a notebook cell shows it: what it holds, not a memory address
        return f"Sweep({', '.join(self.schemes)} x {', '.join(self.activations)}: {network_sizes(self.settings)})"

    def to_dict(self) -> dict[str, Any]:
        return {"settings": plain(self.settings), "runs": [r.to_dict() for r in self.runs.values()]}


@enable_grad()  # it measures gradients, also when the sweep is called inside no_grad()
def _measure(scheme: str, act: str, X: np.ndarray, G: np.ndarray, seed: int, settings: dict[str, Any]) -> Run:
    """One network of a sweep, forward (X) and backward (G) under a probe, and its theory (none with batch norm)."""
    depth, bn = settings["depth"], settings["batchnorm"]
    model = deep_mlp(depth, X.shape[1], act, init=scheme, rng=as_rng(seed), batchnorm=bn)
    first: list[float] = []

    def watch(module: Any, inputs: Any, out: Tensor) -> None:  # median |dL/dz| at layer 1, by a gradient hook
        out.register_hook(lambda g: first.append(float(np.median(np.abs(g)))))

    # One BLAS thread, as in the report's workers: the sums' order, and so the last bits, do not depend on
    # where it runs (a saturated tanh turns them into visible differences of its gradients).
    # The activations' histograms only: the sweep reads no other (counting all four took as long as the pass).
    with (model[0].register_forward_hook(watch), threadpool_limits(1, user_api="blas"), np.errstate(over="ignore",
          invalid="ignore"), Probe(model, hist_bins=settings["bins"], hist_range=HIST_RANGE[act],
                                   histograms=["activation"]) as probe):
        model(Tensor(X)).backward(G)
    th = None if bn else predict([settings["width"]] * (depth + 1), act, scheme, batch_size=settings["batch"])
    rows, hists, step = [], [], 2 + bn
    for l in range(depth):
        lin, a = probe.records[str(step * l)].numbers, probe.records[str(step * l + bn)]
        hists.append(h := a.histogram("activation"))
        rows.append({"layer": l + 1, "linear_std": lin.get("pre_std"), **{k: a.numbers.get(k) for k in (
            "pre_mean", "pre_std", "act_mean", "act_std", "act_min", "act_max", "saturated", "dead", "grad_act_std",
            "grad_pre_std")}, "outside": 1 - h.counts.sum() / X.size, "grad_pre_median": first[0] if l == 0 else None,
            **{k: lin.get(k) for k in ("grad_w_std", "grad_w_norm", "w_std")}})  # a 1 x 1 W: no std (None), not 0
        rows[-1].update({k + "_theory": None if th is None or rows[-1][k] is None else float(getattr(th, v)[l])
                         for k, v in _THEORY_OF.items()})
    return Run(scheme, act, bn, rows, hists, th, settings)


def run_sweep(schemes: Sequence[str] = SCHEMES, activations: Sequence[str] = ACTIVATIONS, *, depth: int | None = None,
              width: int | None = None, batch: int | None = None, rng: Rng = 0, quick: bool = False, bins: int = 50,
              batchnorm: bool = False, progress: Callable[[str], Any] | None = None) -> Sweep:
    """Forward, backward and probe every scheme x activation on one deep network shape (CS231n's set-up).

    Sizes: 10 x 500, batch 1000 (`quick`: 100 units, batch 200); `batchnorm`: BatchNorm1d after each Linear (no
    theory then); `progress`: called with "scheme/activation" after each network. A run's numbers do not depend
    on the rest of the sweep (`rng` draws `X`, `G = dL/dh_top`, then one weight seed for every network)."""
    quick, batchnorm = check_bool("run_sweep", "quick", quick), check_bool("run_sweep", "batchnorm", batchnorm)
    schemes = check_names("run_sweep", "schemes", schemes, partial(check_scheme, zero_mean=not batchnorm))
    activations = check_names("run_sweep", "activations", activations, check_activation)
    sizes = {k: check_int("run_sweep", k, _SIZES[quick][k] if v is None else v, 1 + (k == "batch"))
             for k, v in (("depth", depth), ("width", width), ("batch", batch))}
    bins, gen = check_int("run_sweep", "bins", bins, 1), as_rng(rng, "run_sweep")
    if sizes["width"] * (sizes["width"] + sizes["batch"]) * sizes["depth"] > 1e9:  # before X: 1e5 x 1e5 is 75 GB
        raise ValueError(f"run_sweep: depth, width and batch {list(sizes.values())} keep width (width + batch) depth, "
                         "over 1e9 weights and activations, for backward (4 GB as float32); take smaller sizes")
    if progress is not None:  # else an error after the first network
        check_type("run_sweep", "progress", progress, Callable, "a function of one str or None")
    X, G = (gen.standard_normal((sizes["batch"], sizes["width"])).astype(np.float32) for _ in range(2))
    seed = int(gen.integers(0, 2**63 - 1))
    settings = {**sizes, "seed": as_seed(rng), "bins": bins,
                "batchnorm": bool(batchnorm), "schemes": list(schemes), "activations": list(activations),
                "input": "X ~ N(0, 1), shape (batch, width)", "upstream": "dL/dh_top ~ N(0, 1), seeded"}
    runs = {}
    for s in schemes:
        for a in activations:
            runs[(s, a)] = _measure(s, a, X, G, seed, settings)
            (progress or (lambda _: None))(f"{s}/{a}")
    return Sweep(settings, runs)


def run_one(init: str, activation: str, depth: int = _DEPTH, width: int = _WIDTH, batch: int = _BATCH,
            rng: Rng = 0, bins: int = 50, batchnorm: bool = False) -> Run:
    """One network of the sweep (the same numbers as in `run_sweep` for the same seed and sizes)."""
    return renamed("run_one", run_sweep, (init,), (activation,), depth=depth, width=width, batch=batch, rng=rng,
                   bins=bins, batchnorm=batchnorm).run(init, activation)


def sweep_table(init: str, activation: str, depth: int = _DEPTH, width: int = _WIDTH, batch: int = _BATCH,
                rng: Rng = 0, batchnorm: bool = False) -> Table:
    """The per-layer table of one network, probe and theory side by side (`tinygrad-init sweep`)."""
    return renamed("sweep_table", run_one, init, activation, depth, width, batch, rng, batchnorm=batchnorm).table()


def _check_sizes(fn: str, sizes: Mapping[str, Any]) -> None:
    if unknown := sorted(set(sizes) - {"depth", "width", "batch", "bins"}):
        raise TypeError(f"{fn}: unknown keyword argument(s) {', '.join(unknown)}; the sizes it accepts are depth, "
                        "width, batch and bins")


def _get_sweep(fn: str, sweep: Sweep | None, schemes: Any, activations: Any, rng: Any, quick: bool,
               batchnorm: bool = False, arg: str = "sweep", /, **sizes: Any) -> Sweep:
    """The sweep an experiment works on: the one given as `arg` (checked), or a new one."""
    schemes, activations = check_names(fn, "schemes", schemes, check_scheme), check_names(
        fn, "activations", activations, check_activation)
    _check_sizes(fn, sizes)
    if sweep is None:
        return renamed(fn, run_sweep, schemes, activations, rng=rng, quick=quick, batchnorm=batchnorm, **sizes)
    if check_type(fn, arg, sweep, Sweep, "a Sweep from run_sweep") and sizes:
        raise ValueError(f"{fn}: pass either {arg}= (a Sweep from run_sweep) or sizes ({', '.join(sorted(sizes))}), "
                         "not both: a given sweep has its own sizes")
    if (sweep.settings.get("batchnorm") != batchnorm
            or any((s, a) not in sweep.runs for s in schemes for a in activations)):
        raise ValueError(f"{fn}: {arg}= does not hold every run asked for (schemes {list(schemes)}, "
                         f"activations {list(activations)}, batchnorm={batchnorm}); it has "
                         f"{[f'{s}/{a}' for s, a in sweep.runs]} with batchnorm={sweep.settings.get('batchnorm')}")
    return Sweep(sweep.settings, {(s, a): sweep.run(s, a) for s in schemes for a in activations})


def activation_statistics(rng: Rng = 0, quick: bool = False, *,
                          schemes: Sequence[str] = SCHEMES, activations: Sequence[str] = ACTIVATIONS,
                          sweep: Sweep | None = None, **sizes: Any) -> ExperimentResult:
    """Per-layer activation statistics of every scheme x activation (CS231n 2017, lecture 6), of `sweep` or a new one:
    `0.01 randn` with tanh shrinks the std by `0.01 sqrt(500) = 0.224` a layer, `1.0 randn` saturates tanh, He keeps
    ReLU's std at `sqrt(1 - 1/pi) = 0.826`. Tables `main`, `summary`; figures `std`, `hist_<activation>`."""
    sw = _get_sweep("activation_statistics", sweep, schemes, activations, rng, quick, **sizes)
    s, L = sw.settings, sw.settings["depth"]
    main = sw.table(["layer", "act_mean", "act_mean_theory", "act_std", "act_std_theory", "saturated",
                     "saturated_theory", "dead", "pre_std", "pre_std_theory"], f"Activation statistics: "
                    f"{network_sizes(s, seed=False)}, no bias, X ~ N(0, 1)",
                    [f"{k}: {LAYER_FIELDS[k]}" for k in ("act_std", "saturated", "dead", "pre_std")] + [_THEORY])
    rows, findings = [], []
    for (sc, a), run in sw.runs.items():
        key = fraction_key(a)
        std, th, frac = (run.values(k) for k in ("act_std", "act_std_theory", key))
        rows.append([sc, a, std[0], std[-1], th[-1], ratio(std[-1], std[0]) if std[0] else None, frac[-1]])
        findings.append(f"{a}, {label(sc)}: std {_num(std[0])} at layer 1 -> {_num(std[-1])} at layer {L} (theory "
                        f"{_num(th[-1])}); {key} at layer {L}: {_num(100 * frac[-1], 2)}% of the "
                        + ("units." if key == "dead" else "entries."))  # the probe's counts: units; batch x units
    summary = Table(["scheme", "activation", "std_first", "std_last", "std_last_theory", "last_over_first",
                     "saturated_or_dead_last"], rows,
                    title=f"Activation std at the first and the last of {counted(L, 'layer')}")
    shown = [sc for sc in sw.schemes if sc != "zeros"] or sw.schemes  # zeros: std 0, nothing to draw on a log axis
    figures = {"std": partial(plots.layer_curves, *({a: {sc: sw.run(sc, a).values(k) for sc in shown}
                                                     for a in sw.activations} for k in ("act_std", "act_std_theory")),
                              ylabel="std of activations h", note="zeros: std 0, not drawn" * ("zeros" in sw.schemes),
                              title="Activation std by layer: measured (solid) vs theory (dashed)")}
    for a in sw.activations:
        runs, dead = {sc: sw.run(sc, a) for sc in sw.schemes}, fraction_key(a) == "dead"
        figures[f"hist_{a}"] = partial(
            plots.histogram_grid, {sc: r.histograms for sc, r in runs.items()}, skip_spike=dead,
            annotations={sc: [f"std {_num(v, 2)}" + f"\n{o:.0%} > {HIST_RANGE[a][1]:g}" * bool(o > 0.005)
                              for v, o in zip(r.values("act_std"), r.values("outside"))] for sc, r in runs.items()},
            title=f"{a}: activation histograms by layer, all over [{HIST_RANGE[a][0]:g}, {HIST_RANGE[a][1]:g}]"
            + "; the bar at 0 (the units ReLU zeroes) is cut" * dead)
    return ExperimentResult("activations", "Activation statistics layer by layer",
                            f"How do the activations of a {L}-layer, {s['width']}-unit network look at initialization, "
                            "and does the mean-field theory predict them?", {"main": main, "summary": summary},
                            {"sweep": sw.to_dict()}, s, findings, figures)


def gradient_statistics(rng: Rng = 0, quick: bool = False, *,
                        schemes: Sequence[str] = SCHEMES, activations: Sequence[str] = ACTIVATIONS,
                        sweep: Sweep | None = None, **sizes: Any) -> ExperimentResult:
    """Gradient std by layer on the networks of `activation_statistics`, beside `theory.predict`. Tables `main`,
    `theory_vs_measurement`, `theory_summary`; figure `gradients`."""
    sw = _get_sweep("gradient_statistics", sweep, schemes, activations, rng, quick, **sizes)
    s = sw.settings
    main = sw.table(["layer", "grad_act_std", "grad_act_std_theory", "grad_pre_std", "grad_pre_std_theory",
                     "grad_pre_median", "grad_w_std", "grad_w_std_theory"], f"Gradient statistics: "
                    f"{network_sizes(s, seed=False)}, upstream dL/dh_top ~ N(0, 1)",
                    ["grad_act_std: std of dL/dh_l; grad_pre_std: of dL/dz_l; grad_pre_median: median |dL/dz_1| "
                     "(layer 1); grad_w_std: of dL/dW_l (summed over the batch)", _THEORY])
    findings, q = [], lambda v: "0/0" if v[0] == v[-1] == 0 else _num(ratio(v[0], v[-1]))
    for (sc, a), run in sw.runs.items():
        gh, gw, th = run.values("grad_act_std"), run.values("grad_w_std"), run.values("grad_w_std_theory")
        findings.append(f"{a}, {label(sc)}: std dL/dh {_num(gh[0])} at layer 1 vs {_num(gh[-1])} at the top; std dL/dW "
                        f"{_num(gw[0])} vs {_num(gw[-1])} (ratio {q(gw)}, theory {q(th)}).")
    shown = [sc for sc in sw.schemes if sc != "zeros"] or sw.schemes  # zeros alone: its legend says not drawn
    panels, theory = ({f"{a}: std {what}": {sc: sw.run(sc, a).values(key + end) for sc in shown}
                       for key, what in _PAIRS[1:] for a in sw.activations} for end in ("", "_theory"))
    figure = partial(plots.layer_curves, panels, theory, ylabel="gradient std", ncols=len(sw.activations),
                     note="zeros: exactly 0 below the top layer, not drawn" * ("zeros" in sw.schemes),
                     title="Gradient std by layer: measured (solid) vs theory (dashed)")
    tables = dict(zip(("main", "theory_vs_measurement", "theory_summary"), (main, *theory_vs_measurement(sw))))
    return ExperimentResult("gradients", "Gradient magnitude layer by layer", "How large are dL/dh and dL/dW in each "
                            "layer at initialization, and does the theory predict them?", tables, {}, s, findings,
                            {"gradients": figure})


def theory_vs_measurement(sweep: Sweep) -> tuple[Table, Table]:
    """The theory beside a sweep: per layer the measured and predicted std of `h`, `dL/dh`, `dL/dW` and
    their ratio (none where the theory predicts 0), and per network the ratio furthest from 1."""
    if check_type("theory_vs_measurement", "sweep", sweep, Sweep, "a Sweep from run_sweep").settings.get("batchnorm"):
        raise ValueError("theory_vs_measurement: the theory does not model batch norm; "
                         "pass a sweep with batchnorm=False")
    rows, summary = [], []
    for (sc, a), run in sweep.runs.items():
        q = {m: [ratio(r[m], r[m + "_theory"]) if r[m + "_theory"] else None for r in run.layers] for m, _ in _PAIRS}
        rows += [[sc, a, r["layer"]] + [x for m, _ in _PAIRS for x in (r[m], r[m + "_theory"], q[m][i])]
                 for i, r in enumerate(run.layers)]
        summary.append([sc, a] + [max((v for v in q[m] if v is not None), default=None,  # 0, nan: furthest
                                      key=lambda v: abs(math.log(v)) if v > 0 else math.inf) for m, _ in _PAIRS])
    s = sweep.settings
    where = network_sizes(s, seed=False)
    return (Table(["scheme", "activation", "layer"] + [c for m, _ in _PAIRS
                                                       for c in (m, m + "_theory", m[:-4] + "_ratio")],
                  rows, title=f"Theory vs measurement, layer by layer ({where})",
                  notes=["*_ratio = measured / theory; '-' where the theory predicts exactly 0"]),
            Table(["scheme", "activation", "act_ratio_worst", "grad_act_ratio_worst", "grad_w_ratio_worst"], summary,
                  title=f"Theory vs measurement: the worst layer of each network ({where})",
                  notes=["the ratio measured / theory furthest from 1 (0 or nan: float32 underflowed or overflowed; "
                         "'-': the theory predicts exactly 0 at every layer, as for all-zero weights); the theory is "
                         "the infinite-width limit, one finite network scatters around it (see the average over "
                         "networks)"]))


def theory_average(rng: Rng = 0, quick: bool = False, *, scheme: str = "he_normal",
                   activation: str = "relu", networks: int = 5, batch: int = 200, **sizes: Any) -> ExperimentResult:
    """Measured / predicted std by layer over `networks` networks (seeds `rng`, `rng + 1`, ...): one network
    scatters around the mean field, their median follows it. Table `main`, figure `ratios`."""
    fn, sizes = "theory_average", {**_SIZES[check_bool("theory_average", "quick", quick)], "batch": batch, **sizes}
    scheme, activation = check_scheme(fn, scheme), check_activation(fn, activation)
    if _init.get(scheme).std(2, 2) == 0.0:
        raise ValueError(f"{fn}: {scheme} draws all-zero weights, whose stds the theory predicts to be 0: there is no "
                         "ratio measured / theory; take a scheme of random weights")
    _check_sizes(fn, sizes)
    seeds = seeds_of(rng, check_int(fn, "networks", networks, 1), quick, fn)[1]
    runs = [renamed(fn, run_sweep, (scheme,), (activation,), **sizes, rng=s).run(scheme, activation) for s in seeds]
    q = {m: np.array([[ratio(r[m], r[m + "_theory"]) for r in run.layers] for run in runs]) for m, _ in _PAIRS}
    bands, s, median = {m: band(v) for m, v in q.items()}, {**runs[0].settings, "seeds": seeds}, \
        f"median of {counted(networks, 'network')}"
    rows = [[l + 1] + [x for m, _ in _PAIRS for x in (q[m][0, l], *(b[l] for b in bands[m]))]
            for l in range(runs[0].depth)]
    findings = [f"{activation}, {label(scheme)}: measured / theory of std({w}) is off by up to "  # 6.4%, not 6%
                f"{_num(100 * np.abs(q[m][0] - 1).max(), 2)}% in one network, by at most "
                f"{_num(100 * np.abs(bands[m][0] - 1).max(), 2)}% in the {median}." for m, w in _PAIRS]
    figure = partial(plots.curves, {f"std({w}): measured / theory": {median: q[m], "network 1": q[m][0]}
                                    for m, w in _PAIRS}, log=False, hlines={"theory": 1.0}, title=f"{activation}, "
                     f"{label(scheme)}, {s['depth']} x {s['width']}: {median}, band = lowest to highest")
    main = Table(["layer"] + [f"{m[:-4]}_{k}" for m, _ in _PAIRS for k in ("one", "median", "min", "max")], rows,
                 title=f"measured / theory by layer, {counted(networks, 'network')}")
    return ExperimentResult("theory", "Theory vs measurement, averaged over networks", "Does the mean-field theory "
                            "predict the average network, where one network strays from it?", {"main": main},
                            {"ratios": q}, s, findings, {"ratios": figure})


def batch_norm(rng: Rng = 0, quick: bool = False, *,
               schemes: Sequence[str] = ("small", "large"), activations: Sequence[str] = ACTIVATIONS,
               sweep: Sweep | None = None, plain: Sweep | None = None, **sizes: Any) -> ExperimentResult:
    """BatchNorm1d after every Linear hands the activation `z = (x W - mean) / sqrt(var + eps)`, of std 1 whatever
    the scale of `W`. `sweep`, `plain`: precomputed sweeps with and without it. Table `main`, figure `batchnorm`."""
    rng = rng if as_seed(rng, "batch_norm") is not None else as_rng(rng)  # a Generator or None: one stream for both
    bn = _get_sweep("batch_norm", sweep, schemes, activations, copy.deepcopy(rng), quick, True, **sizes)
    base = _get_sweep("batch_norm", plain, bn.schemes, bn.activations, rng, quick, False, "plain", **sizes)
    rows, findings, panels, styles = [], [], {}, {}
    for (sc, a), run in bn.runs.items():
        key, ref = fraction_key(a), base.run(sc, a)
        rows += [[sc, a, r["layer"], r["linear_std"], r["pre_std"], r["act_std"], r[key], r["grad_act_std"],
                  q["pre_std"], q["act_std"], q[key]] for r, q in zip(run.layers, ref.layers)]
        pre, gh = run.values("pre_std"), run.values("grad_act_std")
        span = dict.fromkeys((_num(pre.min()), _num(pre.max())))  # "1", not "1-1"
        with_bn, without = (_num(100 * np.nanmax(r.values(key)), 2) for r in (run, ref))
        findings.append(f"{a}, {label(sc)} with batch norm: std of the activation's input {'-'.join(span)}, {key} "
                        f"at most {with_bn}% of the {'units' if key == 'dead' else 'entries'} (without: up to "
                        f"{without}%); std dL/dh layer 1 / top {_num(ratio(gh[0], gh[-1]))}.")
        for what, k in (("std of f's input", "pre_std"), ("saturated or dead", key)):
            panels.setdefault(f"{a}: {what}", {}).update({f"{sc} + BN": run.values(k), f"{sc}, no BN": ref.values(k)})
        styles.update({f"{sc} + BN": {"color": plots.scheme_color(sc), "label": f"{label(sc)} + BN"}, f"{sc}, no BN":
                       {"color": plots.scheme_color(sc), "linestyle": ":", "label": f"{label(sc)}, no BN"}})
    s = bn.settings
    main = Table(["scheme", "activation", "layer", "linear_std", "bn_pre_std", "bn_act_std", "bn_saturated_or_dead",
                  "bn_grad_act_std", "plain_pre_std", "plain_act_std", "plain_saturated_or_dead"], rows,
                 title=f"Batch norm: {s['depth']} x (Linear -> BatchNorm1d -> f), {counted(s['width'], 'unit')}, "
                       f"batch {s['batch']}",
                 notes=["linear_std: std of x @ W (what batch norm receives); bn_pre_std: std of the activation's "
                        "input after batch norm; bn_grad_act_std: std of dL/dh; plain_*: the same network without "
                        "batch norm"])
    panels = dict(sorted(panels.items(), key=lambda kv: "saturated" in kv[0]))  # the stds on top
    figure = partial(plots.curves, panels, ncols=len(bn.activations), log=[p for p in panels if "std" in p],
                     styles=styles, dodge=0.15, title="BatchNorm1d after every Linear (solid) vs none (dotted)")
    return ExperimentResult("batchnorm", "Batch normalization", "Does BatchNorm1d after each Linear rescue the bad "
                            "inits?", {"main": main}, {"batchnorm": bn.to_dict()}, s, findings, {"batchnorm": figure})


# ------------------------------------------------------------------ the verdict
#: The words of the verdict, in the order they are tried (the first that applies), and their rules: the one
#: rule of thumb of the report's grid, the explorer and exercise 22.
WORDS: dict[str, str] = {
    "symmetric": "every unit of a layer computes the same value (std of h at layer 1 exactly 0; of a measured network "
                 "also: a layer's weights all equal): it can never learn",
    "dies": "ReLU: over {dead:.0%} of the last layer's units are 0 for every example",
    "saturates": "tanh, sigmoid: over {saturated:.0%} of the last layer's entries sit at a limit, where f' is near 0 "
                 "(this report counts |tanh| > 0.99, tanh' < 0.02; the explorer |tanh| > 0.97, tanh' < 0.06)",
    "vanishes": "std of h (layer L over layer 1) or std of dL/dh (layer 1 over layer L) below {shrink:g}",
    "explodes": "either of those ratios above {grow:g}",
    "holds": "none of the above: signal and gradient keep their size within a factor of {grow:g}"}
#: The thresholds of the rules of `WORDS` (`judge` and `word` take others).
THRESHOLDS: dict[str, float] = {"dead": 0.5, "saturated": 0.5, "shrink": 0.1, "grow": 10.0}
#: Thresholds on either side of those: a word they change is near a threshold, where another network of the same
#: settings may get another word (the report then judges the next seeds' networks, the explorer says so).
NEARBY: tuple[dict[str, float], ...] = tuple({"dead": v, "saturated": v, "shrink": s, "grow": g}
                                             for v, s, g in ((0.4, 0.2, 5.0), (0.6, 0.05, 20.0)))


def judge(act_std: Sequence[float] | np.ndarray, grad_std: Sequence[float] | np.ndarray,
          fraction: Sequence[float] | np.ndarray, activation: str, thresholds: Mapping[str, float] = THRESHOLDS) -> str:
    """The verdict word of `WORDS` for a network of `L` layers from its per-layer statistics (index `l - 1`: layer
    `l`): `act_std` the std of `h_l`, `grad_std` that of `dL/dh_l`, `fraction` the saturated (tanh, sigmoid) or dead
    (ReLU) fraction; the rules tried in order with `thresholds` over `THRESHOLDS` (a gradient std of 0 at the top
    counts as 1e-300, a NaN std, overflowed, explodes)."""
    check_type("judge", "thresholds", thresholds, Mapping, "a dict of the thresholds to change ({'dead': 0.3})")
    given = {check_choice("judge", "a threshold's name", k, tuple(THRESHOLDS)): v for k, v in thresholds.items()}
    thresholds = {k: check_real("judge", f"thresholds[{k!r}]", v, 0.0, finite=False)
                  for k, v in {**THRESHOLDS, **given}.items()}
    activation = check_activation("judge", activation)
    try:
        act_std, grad_std, fraction = (np.array(v, dtype=np.float64, ndmin=1) for v in (act_std, grad_std, fraction))
    except (TypeError, ValueError, OverflowError) as e:
        raise TypeError(f"judge: act_std, grad_std and fraction must be lists of numbers, one per layer ({e})") from e
    if not len(act_std) or not act_std.shape == grad_std.shape == fraction.shape == (len(act_std),):
        raise ValueError("judge: act_std, grad_std and fraction must hold one value per layer (layer 1 first), got "
                         f"shapes {act_std.shape}, {grad_std.shape} and {fraction.shape}")
    if bad := [k for k, v, high in (("act_std", act_std, np.inf), ("grad_std", grad_std, np.inf),
                                     ("fraction", fraction, 1.0)) if ((v < 0) | (v > high)).any()]:
        raise ValueError(f"judge: {' and '.join(bad)} out of range: the stds must be >= 0 and the fractions in [0, 1] "
                         "(NaN: overflowed)")
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > thresholds[key := fraction_key(activation)]:
        return "dies" if key == "dead" else "saturates"
    change = (act_std[-1] / act_std[0], grad_std[0] / max(grad_std[-1], 1e-300))
    if any(math.isnan(c) for c in change):  # an std overflowed
        return "explodes"
    return "vanishes" if min(change) < thresholds["shrink"] else "explodes" if max(change) > thresholds["grow"] \
        else "holds"


def word(run: Any, thresholds: Mapping[str, float] = THRESHOLDS) -> str:
    """`judge` of one `Run` (its `act_std`, `grad_act_std` and `dead` or `saturated` per layer); "symmetric" also where
    a layer's weights are all equal (`w_std` 0), whose units compute one value even when batch norm spreads it."""
    if not hasattr(run, "values") or not hasattr(run, "activation"):
        raise TypeError(f"word: run must be a Run of run_sweep, got {type(run).__name__}")
    said = renamed("word", judge, run.values("act_std"), run.values("grad_act_std"),
                   run.values(fraction_key(run.activation)), run.activation, thresholds)
    return "symmetric" if any(r.get("w_std") == 0.0 for r in getattr(run, "layers", ())) else said


def nearby(say: Callable[[Mapping[str, float]], str]) -> tuple[str, list[str]]:
    """The word `say(thresholds)` gives with `THRESHOLDS`, and the other words the thresholds of `NEARBY` give: a word
    near its threshold, where another network of the same settings may get one of them."""
    return (said := say(THRESHOLDS)), sorted({say(t) for t in NEARBY} - {said})


def verdict(sweep: Sweep, bn: Sweep | None = None) -> ExperimentResult:
    """The grid activation x scheme, a word of `WORDS` each, and findings computed from the numbers (with `bn`, a
    batch-norm sweep, one on batch norm; a word that thresholds nearby would change: the most common word of this
    network and those of the next 4 seeds). Tables `main`, `rules`; figure `grid`."""
    check_type("verdict", "sweep", sweep, Sweep, "a Sweep from run_sweep")
    if bn is not None and not check_type("verdict", "bn", bn, Sweep, "a Sweep from run_sweep").settings["batchnorm"]:
        raise ValueError("verdict: bn must be a sweep made with batchnorm=True (run_sweep(..., batchnorm=True))")
    acts, schemes, L, n = sweep.activations, sweep.schemes, sweep.settings["depth"], sweep.settings["width"]
    words, st, mixed = {(a, s): word(sweep.run(s, a)) for a in acts for s in schemes}, sweep.settings, ""
    for (s, a), r in sweep.runs.items():  # a word that thresholds nearby would change: judged on 4 more networks,
        if isinstance(seed := st.get("seed"), numbers.Integral) and nearby(partial(word, r))[1]:  # the grid's word
            got = [word(run_one(s, a, st["depth"], st["width"], st["batch"], rng=seed + k, batchnorm=st["batchnorm"]))
                   if k else words[(a, s)] for k in range(5)]  # the most common of theirs (a tie: the first met)
            words[(a, s)] = (order := sorted(dict.fromkeys(got), key=lambda w: -got.count(w)))[0]
            mixed += (f" Near a threshold the word depends on the network: {a}, {label(s)} " + ", ".join(
                f"{w} in {got.count(w)}" for w in order) + f" of the 5 networks of seeds {seed}-{seed + 4} (seed "
                f"{seed}: {got[0]}); the grid gives the most common.") * (len(order) > 1)
    short = {s: label(s).split(" ")[0] for s in schemes}
    scaled = [s for s in schemes if _init.get(s).std(100, 100) != _init.get(s).std(400, 400)]  # Xavier, He, ...
    good = {a: [s for s in scaled if words[(a, s)] == "holds"] for a in acts}
    rule = (f"Rule of thumb, read off the grid (the fan-in-scaled schemes that hold over {counted(L, 'layer')}): "
            + "; ".join(f"{a}: {' and '.join(short[s] for s in good[a]) or 'none'}" for a in acts) + ".")
    x, he = (next((s for s in scaled if short[s] == k), None) for k in ("Xavier", "He"))
    if x in good.get("tanh", []) and he in good.get("relu", []) and x not in good["relu"]:
        std = sweep.run(x, "relu").values("act_std")
        rule += (f" Hence Xavier for tanh, He for ReLU: ReLU zeroes half of its input, so with Xavier the std falls "
                 f"to {_num(std[-1] / std[0], 2)} of its size by layer {L}; He's factor 2 makes up for it.")
    if "sigmoid" in acts and not good["sigmoid"] and x is not None:
        g = ratio(*sweep.run(x, "sigmoid").values("grad_act_std")[[0, -1]])
        rule += (f" Sigmoid holds with none: sigma'(z) <= 1/4, so even with Xavier std(dL/dh) falls to "
                 f"{_num(g ** (1 / max(L - 1, 1)), 2)} of its size a layer (x{_num(g)} in all): the Theano "
                 "tutorials after Glorot & Bengio scale its weights by 4, and hidden layers avoid it.")
    findings = [rule + mixed]
    if words.get(("tanh", "large")) == "saturates":  # the CS231n slide's case, as the grid judges it
        r = sweep.run("large", "tanh")
        g, sat = r.values("grad_act_std"), r.values("saturated")
        findings.append(
            f"Large init (1.0*randn) saturates tanh: {sat.min():.0%}-{sat.max():.0%} of the entries of every layer sit "
            f"at -1 or +1, where tanh' < 0.02, so the typical unit passes nothing back: the median |dL/dz| at layer 1 "
            f"is {_num(r.layers[0]['grad_pre_median'])} (its std {_num(r.layers[0]['grad_pre_std'])}), the 'gradients "
            f"all zero' of the CS231n slide. Yet std(dL/dh) grows {_num(ratio(g[0], g[-1]))}x from layer {L} down to "
            f"layer 1: the few units that are not saturated pass the gradient on through weights of std 1 over {n} "
            f"inputs, {_num(math.sqrt(n), 2)} times Xavier's.")
    if bn is not None:
        pre = np.array([r.values("pre_std") for r in bn.runs.values()])
        def listed(w: Mapping[tuple[str, str], str]) -> str:  # "scheme: activation word, ...; scheme: ..."
            return "; ".join(f"{label(s)}: " + ", ".join(f"{a} {v}" for (t, a), v in w.items() if t == s)
                             for s in dict.fromkeys(s for s, _ in w))
        before = listed({(s, a): words[(a, s)] for s, a in bn.runs if (a, s) in words})
        odd = listed({k: v for k, r in bn.runs.items() if (v := word(r)) != "holds"})
        free, B = "frees the choice" if not odd else "does not free the choice here", bn.settings["depth"]
        near = [f"{a}, {label(s)} + BN {w}, but {' or '.join(o)} by thresholds a little to either side "
                f"(std(h) layer {B} / layer 1: x{_num(ratio(*r.values('act_std')[[-1, 0]]))}; std(dL/dh) layer 1 / "
                f"layer {B}: x{_num(ratio(*r.values('grad_act_std')[[0, -1]]))})"
                for (s, a), r in bn.runs.items() for w, o in [nearby(partial(word, r))] if o]
        findings.append(f"Batch norm {free}: with BatchNorm1d after every Linear the same networks give std(z) "
                        f"{_num(pre.min())}-{_num(pre.max())} at every layer, and the verdict is 'holds' "
                        + (f"for all but {odd}" if odd else "for all") + f" (without it: {before})."
                        + f" Near a threshold: {'; '.join(near)}." * bool(near))
    labels, cells, rules = [label(s) for s in schemes], [[words[(a, s)] for s in schemes] for a in acts], \
        [[w, r.format(**THRESHOLDS)] for w, r in WORDS.items()]
    near = [f"near a threshold: the most common word of the networks of seeds {seed}-{seed + 4}"] if mixed else []
    stated = [f"{w}: {r}" for w, r in rules] + near  # in the table's notes and on the figure
    grid = Table(["activation"] + labels, [[a] + c for a, c in zip(acts, cells)], notes=stated,
                 title=f"Verdict at initialization: {network_sizes(sweep.settings, seed=False)}")
    figure = partial(plots.verdict_grid, acts, labels, cells, note="The rules, the first that applies: " + "; ".join(
        stated), title=f"{grid.title}, computed from the measured statistics")  # (the network, as the table names it)
    return ExperimentResult("verdict", "Verdict: which init suits which activation", f"Over {counted(L, 'layer')}, "
                            "does each scheme keep the signal and the gradient, for each activation?",
                            {"main": grid, "rules": Table(["word", "rule"], rules, title="The rules, in order")},
                            {"words": {f"{a}/{s}": w for (a, s), w in words.items()}, "thresholds": THRESHOLDS},
                            sweep.settings, findings, {"grid": figure})


# ------------------------------------------------------------------ all of them
#: The experiments that take only `rng` and `quick`, in report order: a function added here is a new section.
EXPERIMENTS: dict[str, Callable[..., ExperimentResult]] = {"theory": theory_average, "symmetry": symmetry,
    "training": training, "depth": depth, "saturation": sigmoid_saturation, "diagnosis": diagnostics.section,
    "chaos": spectra.chaos_section, "spectra": spectra.isometry_section}
#: The sections beyond the classic lecture: training-time diagnostics, the edge of chaos, Jacobian spectra.
BEYOND = ("diagnosis", "chaos", "spectra")


def _now(f: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
    """`f` run here and now, as a finished future (what a pool's `submit` returns)."""
    (done := Future()).set_result(f(*args, **kwargs))
    return done


def run_all(rng: Rng = 0, quick: bool = False, submit: Callable[..., Any] | None = None,
            done: Callable[[ExperimentResult], Any] | None = None) -> list[ExperimentResult]:
    """Every experiment in report order, each with the seed `rng` (a Generator or None: a seed drawn from it) as if
    called on its own (the sweep-based ones share two sweeps). `submit(f, *args, **kwargs)` (a pool's; default: each
    here in turn) runs the parts, longest first; `done(result)` gets each result as soon as it exists."""
    call, quick = submit or _now, check_bool("run_all", "quick", quick)  # (not 'depth: quick ...', called first)
    rng = rng if as_seed(rng, "run_all") is not None else int(as_rng(rng).integers(2**63 - 1))
    names = sorted(EXPERIMENTS, key=lambda k: -_SECONDS.get(k, 0))
    jobs = {k: call(EXPERIMENTS[k], rng=rng, quick=quick) for k in names[:2]}
    sweeps = [[call(run_sweep, schemes, (a,), rng=rng, quick=quick, batchnorm=bn) for a in ACTIVATIONS]
              for schemes, bn in ((SCHEMES, False), (("small", "large"), True))]
    jobs.update({k: call(EXPERIMENTS[k], rng=rng, quick=quick) for k in names[2:]})
    for job in jobs.values() if done else ():  # a part that failed raises below, from its result()
        job.add_done_callback(lambda j: j.cancelled() or j.exception() or done(j.result()))
    sw, bn = (Sweep({**parts[0].result().settings, "activations": list(ACTIVATIONS)},
                    {(s, a): p.result().run(s, a) for s in parts[0].result().schemes
                     for a, p in zip(ACTIVATIONS, parts)})
              for parts in sweeps)
    here = [verdict(sw, bn), activation_statistics(sweep=sw), gradient_statistics(sweep=sw),
            batch_norm(sweep=bn, plain=sw)]  # the sweeps' sections, made here (0.1 s) while the pool runs the rest
    for result in here if done else ():
        done(result)
    return here[:3] + [jobs[k].result() for k in EXPERIMENTS if k not in BEYOND] + [
        here[3], *(jobs[k].result() for k in BEYOND if k in EXPERIMENTS)]


#: Seconds on two cores, only to start the longest experiments first.
_SECONDS = {"depth": 9, "training": 3, "saturation": 2, "spectra": 1.5, "diagnosis": 1, "chaos": 0.6}
