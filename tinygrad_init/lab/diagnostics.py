"""Training-time diagnostics: watch every layer of a model while it trains, through hooks that change no number.

    diag = Diagnostics(model, optimizer)    # then train as usual; diag.plot("update"): one of KINDS

A *step* is a forward pass with gradients on, in training mode. At each recorded step, for the output `h`
`(batch, units)` of every `Tanh`, `Sigmoid` and `ReLU` module: mean, std, the **saturated** fraction (within
`SATURATION` of a limit: `|tanh| > 0.97`, f' < 0.06, as in Karpathy's "Activations & Gradients, BatchNorm") or the
ReLU **dead** fraction (units 0 for the whole batch), a histogram of `h` over fixed edges (over time: fastai's
"colorful dimension" plot), and the std and a histogram (+-4 std) of `dL/dh`. At `optimizer.step()` (wrapped on the
instance), for every parameter `p`: **grad:data** `std(p.grad) / std(p)` and **update:data** `std(p_after -
p_before) / std(p_before)` (near 1e-3: the lecture's rule of thumb; for `SGD` without momentum and weight decay,
whose update is `-lr * p.grad`: `lr * std(p.grad) / std(p)`, the step before its rounding into `p`); histograms
count the first `sample` entries. `compare_inits` trains one network three ways; `section` is the report's section."""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from functools import partial
from typing import Any, Sequence

import numpy as np

from .. import nn
from ..core.tensor import Tensor, enable_grad, is_grad_enabled
from ..nn import activations, data, init
from ..nn.losses import cross_entropy
from ..nn.layers import as_module
from ..nn.optim import SGD
from ..utils import Rng, WeakHook, as_rng, check_bool, check_choice, check_int, check_type, format_number, moments
from ..utils import as_seed, bins_split, check_real, counted, ratio
from .probe import fraction_key
from .plots import Figure, legend_below, marker, mpl, ridges, scheme_color, slide_figure, slide_style
from .table import ExperimentResult, Table
from .training import ACTIVATIONS, deep_mlp

__all__ = ["Diagnostics", "SATURATION", "KINDS", "PARTS", "fit", "Comparison", "compare_inits", "section"]

#: Saturated: within this distance of a limit of tanh (|h| > 0.97) or sigmoid (h < 0.03 or h > 0.97).
SATURATION = 0.03
#: The figures of `Diagnostics.plot`.
KINDS = ("activations", "gradients", "weight_gradients", "update", "colorful", "fractions")
#: The figures of `Comparison.figure`, a row of panels per kind: the first step's histograms, and the run over time.
PARTS = {"first_step": ("activations", "gradients", "weight_gradients"),
         "training": ("update", "fractions", "colorful")}
#: Each kind's title, and its row label in a `Comparison`.
_LABELS = {"activations": ("activations h", "h\nlayer"), "gradients": ("gradients dL/dh", "dL/dh\nlayer"),
           "weight_gradients": ("weight gradients dL/dW", "dL/dW\nlayer"), "update": ("update:data (log10)",
           "log10\nupdate:data"), "fractions": (f"saturated (tanh, sigmoid: within {SATURATION:g} of a limit) or dead "
                                                "(ReLU) %", "saturated %"),
           "colorful": ("h over time (log counts)", "h over time\nlayer")}
_WATCHED = tuple(nn.ACTIVATIONS[a] for a in ACTIVATIONS)  # each knows its registry name (`name`), a subclass too
_STOPPED = "; diagnostics.fit stops at a non-finite loss, before its backward pass and step"  # why a run has none
#: The numbers `Diagnostics.series` reads, per layer and per parameter.
_SERIES = {"layers": ("mean", "std", "fraction", "grad_std"), "params": ("grad_data", "update_data")}


def _hist(v: np.ndarray, lo: float, hi: float, bins: int, sample: int) -> tuple[float, float, np.ndarray]:
    v = v.reshape(-1)[:sample].astype(np.float64)  # in float32, +-4 std of values near 1e38 overflow np.histogram
    v = v[np.isfinite(v)]  # finite values only, as the Probe's: an inf clipped into an edge bin would read as a number
    if not math.isfinite(hi - lo) and v.size and 0 < (s := float(v.std())) < math.inf:  # overflowed: the range of the
        lo, hi = float(v.mean()) - 4 * s, float(v.mean()) + 4 * s  # finite values (+-4 std, as a gradient's)
    split = math.isfinite(hi - lo) and bins_split(lo, hi, bins)
    lo, hi = (float(lo), float(hi)) if split else (-1.0, 1.0)  # all 0 (or all inf, or a std below 1e-307)
    return lo, hi, np.histogram(np.clip(v, lo, hi), bins, (lo, hi))[0]


def _below(x: float, dtype: Any) -> np.generic:
    """The largest number of `dtype` <= `x`: `h > _below(x, h.dtype)` is `h > x`, compared in h's dtype (float64 took
    4x the time); the limit rounded to float16 or float32 (0.97 to 0.9702) left out the values between."""
    t = np.dtype(dtype).type(x)
    return np.nextafter(t, np.dtype(dtype).type(-np.inf)) if float(t) > x else t


class Diagnostics:
    """Per-layer statistics of a training run (the module docstring says which), recorded every `every`-th step.

    `optimizer`: with `params` and `step()` (as `nn.optim.SGD`), or None (no parameter statistics). `step`: the
    steps seen; `layers`, `kinds`: the watched modules' paths and activations; `records`: per recorded step
    `{"step": k, "layers": {path: {kind, mean, std, fraction, hist, grad_std, grad_hist}}, "params": {path: {shape,
    grad_data, update_data, grad_hist}}}`, a histogram `(lo, hi, counts)` over equal bins. `detach()` ends the
    watch; so does letting the Diagnostics go (`del diag`, or a notebook cell run again): the model holds it weakly.
    `copy.deepcopy(model)` copies a watching Diagnostics with its records (as PyTorch copies hooks): `detach()` it
    first to keep checkpoints of the model alone."""

    def __init__(self, model: nn.Module, optimizer: Any = None, *, every: int = 1, bins: int = 50,
                 sample: int = 1 << 13) -> None:
        fn = "Diagnostics"
        as_module(fn, model)
        if optimizer is not None and not (callable(getattr(optimizer, "step", None)) and hasattr(optimizer, "params")):
            raise TypeError(f"{fn}: optimizer must have params and step(), like nn.optim.SGD")
        self.every, self.bins = check_int(fn, "every", every, 1), check_int(fn, "bins", bins, 2)
        self.sample, self.model, self.optimizer = check_int(fn, "sample", sample, 1), model, optimizer
        self.step, self.records, self._ranges, self._buffers = 0, [], {}, {}
        watched = [(n, m) for n, m in model.named_modules() if isinstance(m, _WATCHED)]  # a subclass of Tanh: tanh
        self.layers, self.kinds = [n for n, _ in watched], [m.name for _, m in watched]
        self._handles = [m.register_forward_hook(WeakHook(self._on_activation, n)) for n, m in watched]
        self._wrapped = []  # (object, attribute, its wrapper, the instance's own attribute to put back or None)
        for obj, attr, method in ((model, "forward", self._on_forward), (optimizer, "step", self._on_step)):
            if obj is not None:  # a pass and a step, each seen from its start to its end
                wrapper = WeakHook(method, getattr(obj, attr), through=True)
                self._wrapped.append((obj, attr, wrapper, vars(obj).get(attr)))
                setattr(obj, attr, wrapper)
        weakref.finalize(self, _detach, self._handles, self._wrapped)

    def detach(self) -> None:
        """Remove every hook and restore `model.forward` and `optimizer.step`; the records stay."""
        _detach(self._handles, self._wrapped)

    def __repr__(self) -> str:  # what it watched and holds (a notebook shows it), no memory address
        kinds = f" ({', '.join(dict.fromkeys(self.kinds))})" if self.kinds else ""  # each kind once
        return (f"Diagnostics({type(self.model).__name__}, {counted(len(self.layers), 'layer')} watched{kinds}, "
                f"{counted(self.step, 'step')}, {counted(len(self.records), 'record')}, every={self.every}, "
                f"{'attached' if self._wrapped else 'detached'})")

    def _record(self) -> dict | None:
        if is_grad_enabled() and self.model.training and self.step % self.every == 0:  # else None: not recorded
            if not self.records or self.records[-1]["step"] != self.step:
                self.records.append({"step": self.step, "layers": {}, "params": {}})
            return self.records[-1]

    def _on_activation(self, name: str, module: Any, inputs: tuple, out: Tensor) -> None:
        if (rec := self._record()) is None:
            return
        if name in rec["layers"]:  # the second call would overwrite the first: two layers read as one
            raise ValueError(f"Diagnostics: the {type(module).__name__} module {name!r} ran twice in one forward pass "
                             "(one module for two layers), which would record one layer; give each its own module")
        h, kind = out.data, module.name
        (mean, std), (lo, hi), dead = self._moments(h), activations.get(kind).limits, fraction_key(kind) == "dead"
        mask = self._buffer("mask", h.shape, bool)
        fraction = math.nan if not h.size or math.isnan(mean) else float(  # no samples, or nan ones: neither
            np.mean(~np.greater(h, 0, out=mask).reshape(-1, *h.shape[-1:]).any(axis=0))) if dead else (
            np.count_nonzero(np.greater(h, _below(hi - SATURATION, h.dtype), out=mask)) +
            np.count_nonzero(np.less(h, -_below(-(lo + SATURATION), h.dtype), out=mask))) / h.size
        edges = self._ranges.setdefault(name, (lo, hi) if np.isfinite(hi) else (lo, mean + 4.0 * std))
        rec["layers"][name] = r = {"kind": kind, "mean": mean, "std": std, "fraction": fraction, "grad_std": None,
                                   "hist": _hist(h, *edges, self.bins, self.sample), "grad_hist": None}
        if out.requires_grad:
            out.register_hook(WeakHook(self._on_grad, r))  # (a loss kept, its graph: not a Diagnostics let go)

    def _on_grad(self, r: dict, g: np.ndarray) -> None:
        s = self._moments(g)[1]
        r["grad_std"], r["grad_hist"] = s, _hist(g, -4.0 * s, 4.0 * s, self.bins, self.sample)

    def _on_forward(self, original: Any, *args: Any, **kwargs: Any) -> Any:
        if self._wrapped and self.records and self.records[-1]["step"] == self.step:  # a pass stopped by an error
            self.records[-1]["layers"].clear()  # left a part of this step's record: measured again
        out = original(*args, **kwargs)
        if self._wrapped:
            self._record()  # a record even for a model without activation modules
            self.step += is_grad_enabled() and self.model.training
        return out

    def _on_step(self, original: Any, *args: Any, **kwargs: Any) -> Any:
        rec = self.records[-1] if self._wrapped and self.records and self.records[-1]["step"] == self.step - 1 else None
        if rec is None or rec["params"]:
            return original(*args, **kwargs)
        opt, names = self.optimizer, {id(p): n for n, p in self.model.named_parameters()}  # (a copy's own ids)
        lr = opt.lr if type(opt) is SGD and not (opt.momentum or opt.weight_decay) else None  # p -= lr * grad: no copy
        before = [(p, None if lr else self._buffer(id(p), p.shape, p.dtype), p.grad, self._moments(p.data)[1],
                   self._moments(p.grad)[1]) for p in opt.params if p.grad is not None]
        for p, old, *_ in before:
            if old is not None:
                np.copyto(old, p.data)
        result = original(*args, **kwargs)
        for p, old, g, data_std, grad_std in before:
            update = lr * grad_std if lr else self._moments(np.subtract(p.data, old, out=old))[1]
            rec["params"][names.get(id(p), p.name)] = {
                "shape": g.shape, "grad_data": ratio(grad_std, data_std), "update_data": ratio(update, data_std),
                "grad_hist": None if g.ndim != 2 else _hist(g, -4 * grad_std, 4 * grad_std, self.bins, self.sample)}
        return result

    def _buffer(self, key: Any, shape: tuple, dtype: Any) -> np.ndarray:
        """Uninitialized memory kept under `key`: a fresh megabyte costs page faults each step, more than its work."""
        n, b = math.prod(shape), self._buffers.get(key)
        if b is None or b.size < n or b.dtype != dtype:
            b = self._buffers[key] = np.empty(n, dtype)
        return b[:n].reshape(shape)

    def _moments(self, a: np.ndarray) -> tuple[float, float]:
        """Mean and population std of an array's entries, summed in its dtype (float64: twice the time, benchmarks/)."""
        v, n = a.reshape(-1), a.size
        with np.errstate(over="ignore", invalid="ignore"):
            mean = np.einsum("i->", v) / n  # a vectorized sum: 2-3x the speed of `v.mean()`, within a rounding of it
            d = np.subtract(v, mean, out=self._buffer("d", v.shape, a.dtype))
            var, fi = float(np.dot(d, d)) / max(n, 1), np.finfo(a.dtype)
        # too large for a's dtype, too small (squares under fi.tiny lose digits: float32 std < 3e-16), no entries, or
        # float16, whose sums of a few thousand entries round to a few digits (or pass 65504: a mean 0 or inf)
        return (float(mean), math.sqrt(var)) if fi.tiny / fi.eps <= var < math.inf and fi.bits > 16 else moments(a)[:2]

    def series(self, key: str, layer: str | None = None, param: str | None = None) -> np.ndarray:
        """A layer's or a parameter's `key` over the recorded steps `(steps,)`, nan where it is missing; naming neither,
        every layer's (a parameter's key: every parameter's) as rows `(layers, steps)`."""
        where, name = ("layers", layer) if param is None else ("params", param)
        where = "params" if layer is None and key in _SERIES["params"] else where
        names = self.layers if where == "layers" else [n for n, _ in self.model.named_parameters()]
        if name not in names + [None] or key not in _SERIES[where]:
            raise KeyError(f"Diagnostics.series: no {where[:-1]} {name!r}; the {where} are {', '.join(names) or 'none'}"
                           if name not in names + [None] else f"Diagnostics.series: no key {key!r} of a {where[:-1]}; "
                           f"choose one of {', '.join(_SERIES[where])}")
        rows = names if name is None else [name]  # a None (no gradient there) reads nan
        v = np.array([[(r[where].get(n) or {}).get(key) for r in self.records] for n in rows], dtype=np.float64)
        return v.reshape(len(rows), len(self.records)) if name is None else v.reshape(-1)

    def weights(self) -> list[str]:
        """The weight matrices (2-D parameters) seen at the optimizer's steps, in the model's order."""
        seen = {n for r in self.records for n, p in r["params"].items() if len(p["shape"]) == 2}
        return [n for n, _ in self.model.named_parameters() if n in seen]

    def plot(self, kind: str, ax: Any = None, step: int = -1) -> Any:
        """Draw `kind` (one of `KINDS`) on `ax` and return its legend's handles, or (`ax` None) return a slide of its
        own. `step` indexes `records` (the histograms' step); a histogram is a line per layer (`plots.ridges`)."""
        kind = check_choice("Diagnostics.plot", "kind", kind, KINDS)
        if not self.records:
            raise ValueError("Diagnostics.plot: nothing recorded yet; run a training step with the model first")
        if not (self.weights() if (params := kind in ("weight_gradients", "update")) else self.layers):
            raise ValueError(f"Diagnostics.plot: nothing to draw for {kind!r}: " + (
                "give Diagnostics the optimizer, then run optimizer.step()" if params and self.optimizer is None else
                f"no optimizer.step() was recorded{_STOPPED}" if params else
                "the model has no Tanh, Sigmoid or ReLU module"))
        if not -len(self.records) <= check_int("Diagnostics.plot", "step", step) < len(self.records):
            raise IndexError(f"Diagnostics.plot: step {step} is out of range for "
                             f"{counted(len(self.records), 'recorded step')}")
        if ax is None:  # a legend of 5 entries a row below the axis: more than two rows need more room
            n = {"update": len(self.weights()) + 1, "fractions": len(self.layers)}.get(kind, 0)
            extra = 0.35 * max(0, math.ceil(n / 5) - 2)
            if extra > 4.1:  # on a 7.5 in slide the plot would be under 1.5 in high
                raise ValueError(f"Diagnostics.plot: a legend of {n} lines leaves no room on a slide for the plot; "
                                 f"draw {kind!r} on axes of your own, which get no legend: d.plot({kind!r}, ax)")
            with slide_style():
                fig = slide_figure(1, 1, (10, 5.6 + extra), top=0.5, right=0.2 + 1.5 * (kind in PARTS["first_step"]),
                                   bottom=0.7 + 0.7 * bool(n) + extra)
                legend_below(fig, self.plot(kind, fig.axes[0], step), 5)
            return fig
        check_type("Diagnostics.plot", "ax", ax, mpl().axes.Axes, "a matplotlib Axes (such as fig.axes[0]) or None")
        rec, steps = self.records[step], [r["step"] for r in self.records]
        if kind in PARTS["first_step"]:
            if kind == "weight_gradients":
                rows = [(k, p["grad_hist"], f"grad:data {format_number(p['grad_data'], 2)}")
                        for k, w in self._weight_labels().items() if (p := rec["params"].get(w))]
            else:
                got = [(str(i + 1), rec["layers"].get(n)) for i, n in enumerate(self.layers)]
                rows = [(i, r["grad_hist"], f"std {format_number(r['grad_std'], 2)}") if kind == "gradients" else
                        (i, r["hist"], f"{100 * r['fraction']:.0f}% " + ("dead" if fraction_key(r["kind"]) == "dead"
                                                                        else "sat."))
                        for i, r in got if r and r["grad_hist" if kind == "gradients" else "hist"] is not None]
            if not rows:
                raise ValueError(f"Diagnostics.plot: nothing to draw for {kind!r} at step {rec['step']}: no gradient "
                                 "was recorded there (run loss.backward(), then for the weights optimizer.step()"
                                 f"{_STOPPED})")
            ridges(ax, *zip(*rows))
            ax.set(title=f"{_LABELS[kind][0]}, step {rec['step']}", xlabel=_LABELS[kind][1].split("\n")[0],
                   ylabel="layer")
            return []
        if kind == "colorful":  # every layer's activation histogram over time, stacked, log counts
            none = {"hist": (0.0, 0.0, np.zeros(self.bins))}  # a layer its pass did not reach: no counts
            ax.imshow(np.vstack([np.log1p(np.array([r["layers"].get(n, none)["hist"][2] for r in self.records]).T)
                                 for n in self.layers]), aspect="auto", origin="lower", interpolation="nearest",
                      extent=(steps[0] - 0.5, steps[-1] + 0.5, 0, len(self.layers)))
            shown = range(0, len(self.layers), math.ceil(len(self.layers) / 12))  # a tick a layer overlapped from ~20
            ax.set_yticks(np.array(shown) + 0.5, [str(i + 1) for i in shown])
            ax.set(title=_LABELS[kind][0], xlabel="step", ylabel="layer")
            ax.grid(False)
            return []
        if kind == "update":  # log10, at the steps that updated the weight (not a gap at each pass of a step of two)
            lines = [(f"layer {k}" if k != "out" else "output", [w in r["params"] for r in self.records],
                      _log10(self.series("update_data", param=w))) for k, w in self._weight_labels().items()]
        else:
            lines = [(f"layer {i + 1}", ..., 100 * self.series("fraction", n)) for i, n in enumerate(self.layers)]
        every, x = max(1, len(steps) // 6), np.array(steps)
        handles = [ax.plot(x[at], v[at], color=scheme_color(k, i), marker=marker(i), label=k, markersize=6,
                           markevery=(i * every // len(lines), every))[0] for i, (k, at, v) in enumerate(lines)]
        if kind == "update":
            handles.append(ax.axhline(-3.0, color=mpl().rcParams["text.color"], linestyle="--", linewidth=1.5,
                                      label="1e-3: rule of thumb"))  # the text's colour: seen on a dark style too
        ax.set(title=_LABELS[kind][0], xlabel="step", ylabel="log10 std(update) / std(W)" if kind == "update" else "%",
               xlim=(steps[0] - 0.5, steps[-1] + 0.5))  # every recorded step, also those of nan (a diverged run)
        return handles

    def _weight_labels(self) -> dict[str, str]:
        """`weights()` keyed by layer: "1", "2", ..., the last "out" when it follows the last watched layer."""
        w, n = self.weights(), len(self.layers)
        return {str(i + 1) if i < n or len(w) != n + 1 else "out": name for i, name in enumerate(w)}


def _detach(handles: list, wrapped: list) -> None:
    for h in handles:
        h.remove()
    for obj, attr, wrapper, own in wrapped:
        top = vars(obj).get(attr)
        if top is wrapper:
            delattr(obj, attr)  # back to the class's method, or to the one the instance had
            if own is not None:
                setattr(obj, attr, own)
        while isinstance(top, WeakHook) and top.through:  # a later Diagnostics wrapped ours: the one above ours calls
            if top.args[0] is wrapper:  # what ours wrapped (else each cell run left one more wrapper in every call)
                top.args = wrapper.args
            top = top.args[0]
    wrapped.clear()  # detached: `_on_forward` and `_on_step` pass calls through (a handle removes its hook once)


@enable_grad()  # it trains, also when called inside no_grad() (as an optimizer's closure does in PyTorch)
def fit(model: nn.Module, X: np.ndarray | Sequence, y: np.ndarray | Sequence, steps: int, lr: float, *, batch: int = 64,
        rng: Rng = 0, every: int | None = None) -> tuple[list[float], Any]:
    """Train `model` (`(n, features)` -> logits `(n, classes)`) by SGD on the cross-entropy with labels `y` (its
    parameters with `requires_grad`, in training mode), on `min(batch, n)` examples drawn with `rng`, watched by
    `Diagnostics` if `every`. Returns the loss of every step (a non-finite loss stops the run) and the diagnostics
    (or None)."""
    as_module("fit", model)  # one model (training.fit takes a list)
    if not (params := [p for p in model.parameters() if p.requires_grad]):  # frozen ones stay
        raise ValueError("fit: the model has no parameter with requires_grad=True to train")
    gen, opt = as_rng(rng, "fit"), SGD(params, lr=check_real("fit", "lr", lr, 0.0, low_open=True))
    steps, batch, losses = check_int("fit", "steps", steps, 0), check_int("fit", "batch", batch, 1), []
    every = None if every is None else check_int("fit", "every", every, 1)
    X, y = np.asarray(X), np.asarray(y)  # lists too (X[idx] below)
    if X.ndim != 2 or y.shape != X.shape[:1] or not len(X):
        raise ValueError(f"fit: X must be (n, features) and y hold one label per example, n >= 1, got shapes {X.shape}"
                         f" and {y.shape}")
    diag, evaluating = None if every is None else Diagnostics(model, opt, every=every), not model.training
    if evaluating:  # a model left in eval mode: trained (and watched) in training mode
        model.train()
    try:
        for _ in range(steps):
            idx = gen.integers(0, len(X), size=min(batch, len(X)))
            opt.zero_grad()
            if (out := model(Tensor(X[idx]))).ndim != 2 or out.shape[1] < 2:  # one logit: log_softmax is 0, no loss
                raise ValueError(f"fit: the model gives logits of shape {out.shape}; the cross-entropy needs (n, "
                                 "classes) with classes >= 2 (a model with 2 outputs for labels 0 and 1)")
            loss = cross_entropy(out, y[idx])
            losses.append(loss.item())
            if not np.isfinite(losses[-1]):
                break
            loss.backward()
            opt.step()
    finally:  # also when the model raises: no hook stays on it, and it is given back in its mode
        if evaluating:
            model.eval()
        if diag is not None:
            diag.detach()
    return losses, diag


@dataclass
class Comparison:
    """The same network trained three ways and watched (`compare_inits`): `runs` label -> `Diagnostics`, `losses`
    label -> the loss per step, `findings`: what each figure shows, in words computed from the numbers."""

    runs: dict[str, Diagnostics]
    losses: dict[str, list[float]]
    findings: list[str]

    def figure(self, part: str = "first_step") -> Figure:
        """One slide, a column per run and a row per kind of `PARTS[part]` (`"first_step"` or `"training"`)."""
        part = check_choice("Comparison.figure", "part", part, tuple(PARTS))  # "First_Step" too: read as checked
        kinds, first = PARTS[part], part == "first_step"
        with slide_style():
            fig = slide_figure(len(kinds), len(self.runs), left=1.3, right=1.4 if first else 0.2, top=0.45,
                               bottom=0.4 if first else 1.1, wgap=1.6 if first else 0.3, hgap=0.35 if first else 0.2,
                               sharex=False if first else "col", sharey=False if first else "row")
            handles = []
            for col, (label, d) in enumerate(self.runs.items()):
                for row, kind in enumerate(kinds):
                    ax = fig.axes[row * len(self.runs) + col]
                    ax.locator_params(axis="x", nbins=4, steps=[1, 2, 5, 10])  # fewer ticks: each costs a line
                    handles += d.plot(kind, ax, step=0)
                    ax.set(title=label if row == 0 else "", ylabel=_LABELS[kind][1] if col == 0 else "",
                           xlabel="step" if row == len(kinds) - 1 and not first else "")
                    if first and col:
                        ax.set_yticks([])  # the rows are the layers of the first column
            if (rows := legend_below(fig, handles, 8)) > 1:  # a row per layer and 8 a row: from depth 7 on, more rows
                h = fig.get_figheight()  # below the "step" labels, the panels made shorter
                if 0.75 + 0.34 * rows > h - 0.45 - len(kinds) * 0.7:
                    raise ValueError(f"Comparison.figure: a legend of {rows} rows (a line per layer) leaves no room "
                                     f"for the panels; draw a network of fewer layers, or each run's own d.plot(kind)")
                fig.subplots_adjust(bottom=(0.75 + 0.34 * rows) / h)
        return fig

    def table(self) -> Table:
        """A row per run and weight matrix `W_l` (feeding layer `l`; "out" the output layer)."""
        rows = []
        for label, d in self.runs.items():
            first = d.records[0]
            for i, (name, w) in enumerate(d._weight_labels().items()):
                frac = 100 * d.series("fraction", d.layers[i]) if name != "out" else [None]
                rows.append([label, name, frac[0], frac[-1], first["layers"][d.layers[i]]["grad_std"] if name != "out"
                             else None, first["params"][w]["grad_data"],
                             _log10(np.nanmedian(d.series("update_data", param=w)))])
        return Table(["run", "layer", "saturated_first_%", "saturated_last_%", "grad_h_std_first", "grad_data_first",
                      "update_data_log10_median"], rows, title="Per layer: the first step and the run",
                     notes=["saturated: |h| > 0.97 (tanh); grad_data: std(dL/dW) / std(W); update_data: std of the "
                            "SGD step / std(W), the median over the recorded steps"])


def compare_inits(rng: Rng = 0, quick: bool = False, *, depth: int = 8,
                  width: int = 100, steps: int | None = None, lr: float = 0.05, every: int | None = None) -> Comparison:
    """Train one tanh MLP (`depth` hidden layers of `width`, then 3 logits) on 3-class spirals three ways: **poor
    init** (`N(0, 1)` weights: pre-activations of std about `sqrt(width)`), **good init** (Xavier normal, gain 5/3) and
    **batch norm** (the poor init's hidden weights, without biases, a `BatchNorm1d` before each `Tanh`; the output
    layer, which no batch norm follows, the good init's); alike data, weights and batches from `rng`; SGD for `steps`
    (400; `quick`: 60), recorded every `every` steps (default: about 50 times)."""
    seed, quick = int(as_rng(rng, "compare_inits").integers(2 ** 31)), check_bool("compare_inits", "quick", quick)
    X, y = data.spirals(600, classes=3, rng=seed)
    steps = check_int("compare_inits", "steps", (60 if quick else 400) if steps is None else steps, 1)
    every = max(1, steps // 50) if every is None else check_int("compare_inits", "every", every, 1)
    depth, width = check_int("compare_inits", "depth", depth, 1), check_int(
        "compare_inits", "width", width, 2, " (a 1 x 1 weight matrix has no std)")
    lr, X = check_real("compare_inits", "lr", lr, 0.0, low_open=True), X.astype(np.float32)
    good = init.get("xavier_normal", gain=activations.get("tanh").gain)
    runs, losses = {}, {}
    for label, hidden, bn, last in (("poor init", "large", False, "large"), ("good init", good, False, good),
                                    ("batch norm", "large", True, good)):
        model = deep_mlp(depth, width, "tanh", hidden, seed, bn, not bn, 2, outputs=3, output_init=last)
        losses[label], runs[label] = fit(model, X, y, steps, lr, rng=seed, every=every)
    return Comparison(runs, losses, _findings(runs, losses))


def _log10(x: Any) -> Any:
    """`log10(x)` in float64, an update of exactly 0 (a saturated tanh passes no gradient) -inf, not an error."""
    with np.errstate(divide="ignore"):
        return np.log10(np.asarray(x, dtype=np.float64))


def _findings(runs: dict[str, Diagnostics], losses: dict[str, list[float]]) -> list[str]:
    """A sentence per plot of a `Comparison`: its numbers, and what they show."""
    f, each = format_number, lambda text: "; ".join(text(k) for k in runs)
    sat = {k: 100 * d.series("fraction") for k, d in runs.items()}  # (layers, records)
    s0 = {k: v[:, 0] for k, v in sat.items()}  # the first step's, by layer
    grad = {k: [d.records[0]["layers"][n]["grad_std"] for n in d.layers] for k, d in runs.items()}
    gd = {k: np.array([d.records[0]["params"][w]["grad_data"] for w in d.weights()]) for k, d in runs.items()}
    ud = {k: _log10([np.nanmedian(d.series("update_data", param=w)) for w in d.weights()]).round(2)
          for k, d in runs.items()}  # as shown: the rule below reads the numbers the sentence gives
    most, tight = max(sat, key=lambda k: s0[k].mean()), min(runs, key=lambda k: np.ptp(ud[k]))
    spread = f(np.ptp(ud[tight]), 2)  # as printed, also for the rule: 1.004 reads "1", within a decade
    return [
        "Activations at the first step: " + each(lambda k: f"{k} {f(s0[k].mean(), 2)}% of the tanh outputs saturated "
                                                f"(|h| > 0.97; layer {s0[k].argmax() + 1}: {f(s0[k].max(), 2)}%)") +
        (f": the {most} piles them up at -1 and +1, where tanh passes almost no gradient." if s0[most].mean() > 50
         else "."),
        "Their gradients: std(dL/dh) changes from the last layer to layer 1 by " + each(
            lambda k: f"x{f(ratio(grad[k][0], grad[k][-1]), 2)} ({k})") + "; how unevenly the weights learn depends "
        "on each layer's input too (dL/dW = x.T @ dL/dz): grad:data, next, measures it.",
        "Weight gradients: grad:data = std(dL/dW) / std(W) at the first step ranges over a factor of " + each(
            lambda k: f"{f(gd[k].max() / gd[k].min(), 2)} ({k}: {f(gd[k].min(), 2)} to {f(gd[k].max(), 2)})") +
        ": with one learning rate for all, the larger that factor, the more some matrices outpace the others.",
        "update:data over training (median per weight matrix, log10; the rule of thumb is -3): " + each(
            lambda k: f"{k} {f(ud[k].min())} to {f(ud[k].max())}") + f"; closest together: {tight} (within "
        f"{counted(spread, 'decade')} of each other), " + ("so one learning rate suits all its layers." if
            float(spread) <= 1 else "over a factor of 10, so even there no one learning rate suits all its layers."),
        "Saturated fraction over time (the colorful-dimension plot shows the same mass at the edges): " + each(
            lambda k: f"{k} {f(s0[k].mean(), 2)}% at the first step, {f(sat[k][:, -1].mean(), 2)}% at step "
                      f"{runs[k].records[-1]['step']}") + "; loss (the first step -> the mean of the last 10 steps) "
        + each(lambda k: f"{k} {f(losses[k][0], 3)} -> {f(np.mean(losses[k][-10:]), 3)}") + "."]


def section(rng: Rng = 0, quick: bool = False) -> ExperimentResult:
    """The report's section "Diagnosing a training run": `compare_inits` of 6 x 64 tanh layers, 300 steps."""
    steps, every = (40, 2) if check_bool("section", "quick", quick) else (300, 6)
    settings = {"depth": 6, "width": 64, "steps": steps, "lr": 0.05, "batch": 64, "every": every,
                "data": "spirals, 600 points, 3 classes", "seed": as_seed(rng, "section")}
    c = compare_inits(rng, quick, depth=6, width=64, steps=steps, every=every)
    return ExperimentResult("diagnosis", "Diagnosing a training run", "The same network trained with a poor init, a "
                            "good init and with batch norm: what do its activations, gradients and updates show?",
                            {"main": c.table()}, {"losses": c.losses}, settings, c.findings,
                            {part: partial(c.figure, part) for part in PARTS})
