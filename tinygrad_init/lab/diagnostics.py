"""Training-time diagnostics: watch every layer of a model while it trains, through hooks alone.

    diag = Diagnostics(model, optimizer)    # attach; then train as usual; every=k records every k-th step
    diag.plot("update")                     # a figure; or another of KINDS. diag.detach(): hooks off

A *step* is a forward pass of `model` with gradients on, in training mode. At each recorded step, for every `Tanh`,
`Sigmoid` and `ReLU` module and its output `h` (`(batch, units)`): the mean and std of all entries; the **saturated**
fraction (entries within 0.03 of a limit: `|h| > 0.97` for tanh as in Karpathy's "Activations & Gradients, BatchNorm"
lecture, sigmoid below 0.03 or above 0.97, where the local gradient is below 0.06) or, for ReLU, the **dead**
fraction (units 0 for the whole batch); a histogram of `h` over fixed edges (the activation's range; ReLU: up to 4
std above the mean of the first record: over time, fastai's "colorful dimension" plot); the std and a histogram (+-4
std) of `dL/dh`. At `optimizer.step()`, for every parameter `p`: **grad:data** `std(p.grad) / std(p)` (with a
histogram of the gradient) and **update:data** `std(p_after - p_before) / std(p_before)`, the change the optimizer
made (near 1e-3 is the lecture's rule of thumb).

**It changes no number**: module forward hooks and tensor hooks (`register_hook`) only read, and `optimizer.step` is
wrapped on the instance by a function that reads the parameters around the original. Stds are two-pass sums in the
array's dtype, in buffers kept from step to step (fresh float64 temporaries, as `utils.moments` makes, would double
the cost: see benchmarks/). Histograms count the first `sample` entries (the first examples of the batch); the rest
uses all entries."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from .. import nn
from ..core.tensor import Tensor, is_grad_enabled
from ..nn import activations, data, init
from ..nn.losses import cross_entropy
from ..nn.optim import SGD
from ..utils import as_rng, check_choice, check_int, format_number, moments, ratio
from .plots import new_figure, slide_style

__all__ = ["Diagnostics", "SATURATION", "KINDS", "fit", "Comparison", "compare_inits"]

#: Saturated: within this distance of a limit of tanh (|h| > 0.97) or sigmoid (h < 0.03 or h > 0.97).
SATURATION = 0.03
#: The figures of `Diagnostics.plot`.
KINDS = ("activations", "gradients", "weight_gradients", "update", "colorful", "fractions")
_WATCHED = {cls: name for name, cls in nn.ACTIVATIONS.items() if name != "linear"}


def _hist(v: np.ndarray, lo: float, hi: float, bins: int, sample: int) -> tuple[float, float, np.ndarray]:
    v = v.reshape(-1)[:sample]
    lo, hi = (float(lo), float(hi)) if math.isfinite(hi - lo) and hi > lo else (-1.0, 1.0)  # all 0, or overflowed
    return lo, hi, np.histogram(np.clip(v, lo, hi), bins, (lo, hi))[0]


class Diagnostics:
    """Per-layer statistics of a training run, recorded through hooks (see the module docstring).

    Args:
        model: any `nn.Module`; its `Tanh`, `Sigmoid` and `ReLU` modules are watched.
        optimizer: with `params` and `step()` (as `nn.optim.SGD`), or None (no parameter statistics).
        every: record every `every`-th step; bins: histogram bins; sample: the most entries counted.

    Attributes:
        step: the steps seen. layers, kinds: the watched modules' paths and activations, in order.
        records: one per recorded step, `{"step": k, "layers": {path: ...}, "params": {path: ...}}`, layer
            keys `kind, mean, std, fraction, hist, grad_std, grad_hist`, parameter keys `shape, grad_data,
            update_data, grad_hist`; a histogram is `(lo, hi, counts)` over equal bins.
    """

    def __init__(self, model: nn.Module, optimizer: Any = None, *, every: int = 1, bins: int = 50,
                 sample: int = 1 << 13) -> None:
        fn = "Diagnostics"
        if not isinstance(model, nn.Module):
            raise TypeError(f"{fn}: model must be an nn.Module, got {type(model).__name__}")
        if optimizer is not None and not (callable(getattr(optimizer, "step", None)) and hasattr(optimizer, "params")):
            raise TypeError(f"{fn}: optimizer must have params and step(), like nn.optim.SGD")
        self.every, self.bins = check_int(fn, "every", every, 1), check_int(fn, "bins", bins, 2)
        self.sample, self.model, self.optimizer = check_int(fn, "sample", sample, 1), model, optimizer
        self.step, self.records, self._ranges, self._buffers, self._scratch = 0, [], {}, {}, np.empty(0)
        watched = [(n, m) for n, m in model.named_modules() if type(m) in _WATCHED]
        self.layers, self.kinds = [n for n, _ in watched], [_WATCHED[type(m)] for _, m in watched]
        self._handles = [m.register_forward_hook(partial(self._on_activation, n)) for n, m in watched]
        self._handles.append(model.register_forward_hook(self._on_model))
        self._names = {id(p): n for n, p in model.named_parameters()}
        if optimizer is not None:
            self._own_step = vars(optimizer).get("step")  # an instance attribute to restore, if any
            optimizer.step = partial(self._on_step, optimizer.step)

    def detach(self) -> None:
        """Remove every hook and restore `optimizer.step`; the records stay."""
        for h in self._handles:
            h.remove()
        self._handles = []
        if self.optimizer is not None and "step" in vars(self.optimizer):
            del self.optimizer.step  # back to the class's step, or to the one the instance had
            if self._own_step is not None:
                self.optimizer.step = self._own_step

    def _record(self) -> dict | None:
        if not (is_grad_enabled() and self.model.training and self.step % self.every == 0):
            return None
        if not self.records or self.records[-1]["step"] != self.step:
            self.records.append({"step": self.step, "layers": {}, "params": {}})
        return self.records[-1]

    def _on_activation(self, name: str, module: Any, inputs: tuple, out: Tensor) -> None:
        rec = self._record()
        if rec is None:
            return
        h, kind = out.data, _WATCHED[type(module)]
        (mean, std), (lo, hi) = (float(h.mean()), self._std(h)), activations.get(kind).limits
        fraction = (float(np.mean(~(h > 0).reshape(-1, h.shape[-1]).any(axis=0))) if kind == "relu" else
                    np.count_nonzero((h > hi - SATURATION) | (h < lo + SATURATION)) / max(h.size, 1))
        edges = self._ranges.setdefault(name, (lo, hi) if np.isfinite(hi) else (lo, mean + 4.0 * std))
        rec["layers"][name] = r = {"kind": kind, "mean": mean, "std": std, "fraction": fraction, "grad_std": None,
                                   "hist": _hist(h, *edges, self.bins, self.sample), "grad_hist": None}
        if out.requires_grad:
            out.register_hook(partial(self._on_grad, r))

    def _on_grad(self, r: dict, g: np.ndarray) -> None:
        s = self._std(g)
        r["grad_std"], r["grad_hist"] = s, _hist(g, -4.0 * s, 4.0 * s, self.bins, self.sample)

    def _on_model(self, module: Any, inputs: tuple, out: Any) -> None:
        self._record()  # a record even for a model without activation modules
        self.step += is_grad_enabled() and self.model.training

    def _on_step(self, original: Any) -> Any:
        rec = self.records[-1] if self.records and self.records[-1]["step"] == self.step - 1 else None
        if rec is None or rec["params"]:
            return original()
        before = [(p, self._buffers.setdefault(id(p), np.empty_like(p.data)), p.grad, self._std(p.data),
                   self._std(p.grad)) for p in self.optimizer.params if p.grad is not None]
        for p, old, *_ in before:
            np.copyto(old, p.data)  # into a buffer kept for p: no fresh memory at every step
        result = original()
        for p, old, g, data_std, grad_std in before:
            rec["params"][self._names.get(id(p), p.name)] = {
                "shape": old.shape, "grad_data": ratio(grad_std, data_std),
                "update_data": ratio(self._std(np.subtract(p.data, old, out=old)), data_std),
                "grad_hist": None if old.ndim != 2 else _hist(g, -4 * grad_std, 4 * grad_std, self.bins, self.sample)}
        return result

    def _std(self, a: np.ndarray) -> float:
        """The population std of all entries of a float array, two-pass in its dtype, in a scratch buffer kept."""
        if self._scratch.size < a.size or self._scratch.dtype != a.dtype:
            self._scratch = np.empty(a.size, dtype=a.dtype)
        with np.errstate(over="ignore", invalid="ignore"):
            d = np.subtract(a.reshape(-1), a.mean(), out=self._scratch[:a.size])
            var = float(np.dot(d, d)) / max(a.size, 1)
        return math.sqrt(var) if math.isfinite(var) else moments(a).std  # too large to square in a's dtype

    def series(self, key: str, layer: str | None = None, param: str | None = None) -> np.ndarray:
        """A layer's `key` (`mean`, `std`, `fraction`, `grad_std`) or a parameter's (`grad_data`, `update_data`) over
        the recorded steps, nan where it is missing."""
        where, name = ("layers", layer) if param is None else ("params", param)
        values = [(r[where].get(name) or {}).get(key) for r in self.records]
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    def weights(self) -> list[str]:
        """The weight matrices (2-D parameters) seen at the optimizer's steps, in the model's order."""
        seen = {n for r in self.records for n, p in r["params"].items() if len(p["shape"]) == 2}
        return [n for n in self._names.values() if n in seen]

    def plot(self, kind: str, ax: Any = None, step: int = -1) -> Any:
        """Draw `kind` (one of `KINDS`) on the matplotlib axes `ax` (None: on a slide-sized figure of its own, which
        is returned); `step` indexes `records` (for the histograms)."""
        if ax is None:
            with slide_style():
                fig = new_figure(width=10, height=5)
                self.plot(kind, fig.axes[0], step)
            return fig
        kind = check_choice("Diagnostics.plot", "kind", kind, KINDS)
        if not self.records:
            raise ValueError("Diagnostics.plot: nothing recorded yet; run a training step with the model first")
        rec, steps = self.records[step], [r["step"] for r in self.records]
        names = [f"layer {i + 1} ({k})" for i, k in enumerate(self.kinds)]
        if kind == "weight_gradients":
            items = [(f"layer {i + 1} ({n}) {p['shape']}: grad:data {format_number(p['grad_data'])}", p["grad_hist"])
                     for i, (n, p) in enumerate((n, p) for n, p in rec["params"].items() if p["grad_hist"] is not None)]
        elif kind in ("activations", "gradients"):
            got = [(label, rec["layers"].get(n)) for label, n in zip(names, self.layers)]
            items = [(f"{label}: std {format_number(r['grad_std'])}", r["grad_hist"]) if kind == "gradients" else
                     (f"{label}: mean {format_number(r['mean'], 2)}, std {format_number(r['std'], 2)}, "
                      f"{'dead' if r['kind'] == 'relu' else 'saturated'} {100 * r['fraction']:.1f}%", r["hist"])
                     for label, r in got if r and r["grad_hist" if kind == "gradients" else "hist"] is not None]
        if kind in ("activations", "gradients", "weight_gradients"):
            for label, (lo, hi, counts) in items:
                ax.plot(lo + (hi - lo) * (np.arange(len(counts)) + 0.5) / len(counts),
                        counts * len(counts) / max(counts.sum() * (hi - lo), 1e-300), label=label)
            ax.set(title=f"{kind.replace('_', ' ')} at step {rec['step']}", ylabel="density",
                   xlabel={"activations": "h", "gradients": "dL/dh"}.get(kind, "dL/dW"))
        elif kind == "update":
            for i, n in enumerate(self.weights()):
                ratios = self.series("update_data", param=n)
                ax.plot(steps, np.log10(np.where(ratios > 0, ratios, np.nan)), label=f"layer {i + 1} ({n})")
            ax.axhline(-3.0, color="black", linestyle="--", label="1e-3")
            ax.set(title="update:data ratio", xlabel="step", ylabel="log10 std(update) / std(data)")
        elif kind == "fractions":
            for label, n in zip(names, self.layers):
                ax.plot(steps, 100 * self.series("fraction", n), label=label)
            ax.set(title="saturated (tanh, sigmoid) / dead (ReLU) units", xlabel="step", ylabel="%")
        else:  # colorful: every layer's activation histogram over time, stacked, log counts
            ax.imshow(np.vstack([np.log1p(np.array([r["layers"][n]["hist"][2] for r in self.records]).T)
                                 for n in self.layers]), aspect="auto", origin="lower", interpolation="nearest",
                      extent=(steps[0] - 0.5, steps[-1] + 0.5, 0, len(self.layers)))
            ax.set_yticks(np.arange(len(self.layers)) + 0.5, names)
            ax.set(title="activation histograms over time (log counts)", xlabel="step")
            return ax.grid(False)
        ax.legend(fontsize=8, loc="best")

def fit(model: nn.Module, X: np.ndarray, y: np.ndarray, steps: int, lr: float, *, batch: int = 64,
        rng: np.random.Generator | int | None = 0, every: int | None = None) -> tuple[list[float], Any]:
    """Train `model` (inputs `(n, features)` -> logits `(n, classes)`) with plain SGD on the cross-entropy with
    integer labels `y`, `steps` times on `batch` examples drawn with `rng`; with `every`, watched by
    `Diagnostics(model, optimizer, every=every)`. Returns the loss of every step (a run whose loss becomes nan or inf
    stops there) and the diagnostics (or None)."""
    gen, opt = as_rng(rng), SGD(model.parameters(), lr=lr)
    diag, losses = None if every is None else Diagnostics(model, opt, every=every), []
    for _ in range(check_int("fit", "steps", steps, 0)):
        idx = gen.integers(0, len(X), size=min(batch, len(X)))
        opt.zero_grad()
        loss = cross_entropy(model(Tensor(X[idx])), y[idx])
        losses.append(loss.item())
        if not np.isfinite(losses[-1]):
            break
        loss.backward()
        opt.step()
    if diag is not None:
        diag.detach()
    return losses, diag


@dataclass
class Comparison:
    """The same network trained three ways and watched (`compare_inits`): `runs` label -> `Diagnostics`, `losses`
    label -> the loss per step, `findings`: what the numbers show, in words."""

    runs: dict[str, Diagnostics]
    losses: dict[str, list[float]]
    findings: list[str]

    def figure(self) -> Any:
        """A row per run: activation histograms at the first step, update:data and saturation over time."""
        with slide_style():
            fig = new_figure(3, len(self.runs), width=18, height=4.5 * len(self.runs))
            for row, (label, d) in enumerate(self.runs.items()):
                for ax, kind in zip(fig.axes[3 * row:], ("activations", "update", "fractions")):
                    d.plot(kind, ax, step=0)
                    ax.set_title(f"{label}: {ax.get_title()}", fontsize=12)
        return fig


def compare_inits(rng: np.random.Generator | int | None = 0, quick: bool = False, *, depth: int = 8,
                  width: int = 100, steps: int | None = None, lr: float = 0.05) -> Comparison:
    """Train one tanh MLP (`depth` hidden layers of `width`) on 3-class spirals three ways, diagnosed: **poor init**
    (every weight `N(0, 1)`, `init.large`: pre-activations of std about `sqrt(width)`, huge logits), **good init**
    (Xavier normal with tanh's gain 5/3) and **batch norm** (the poor init with a `BatchNorm1d` before each `Tanh`,
    the good init's output layer). Data, weights and batches come from `rng`, alike for all three; SGD with `lr` for
    `steps` (400; `quick`: 60), batches of 64."""
    seed = int(as_rng(rng).integers(2 ** 31))
    X, y = data.spirals(600, classes=3, rng=seed)
    X, steps = X.astype(np.float32), (60 if quick else 400) if steps is None else steps
    good = init.get("xavier_normal", gain=activations.get("tanh").gain)
    runs, losses = {}, {}
    for label, hidden, bn, last in (("poor init", "large", False, "large"), ("good init", good, False, good),
                                    ("batch norm", "large", True, good)):
        gen, mods = np.random.default_rng(seed), []
        for n_in in [2] + [width] * (depth - 1):
            mods += [nn.Linear(n_in, width, bias=not bn, init=hidden, rng=gen)] + [nn.BatchNorm1d(width)] * bn
            mods.append(nn.Tanh())
        model = nn.Sequential(*mods, nn.Linear(width, 3, init=last, rng=gen))
        losses[label], runs[label] = fit(model, X, y, steps, lr, rng=seed, every=max(1, steps // 50))
    findings = []
    for label, d in runs.items():
        sat, f = np.array([d.series("fraction", n) for n in d.layers]) * 100, format_number  # (layers, records)
        ud = np.log10(np.maximum([np.nanmedian(d.series("update_data", param=n)) for n in d.weights()], 1e-300))
        findings.append(f"{label}: {f(sat[:, 0].mean(), 2)}% of the tanh units saturated (|h| > 0.97) at the first "
                        f"step (up to {f(sat[:, 0].max(), 2)}% in one layer), {f(sat[:, -1].mean(), 2)}% at the last; "
                        f"median update:data per weight matrix 10^{f(ud.min(), 2)} to 10^{f(ud.max(), 2)} (healthy "
                        f"near 10^-3); loss {f(losses[label][0])} -> {f(np.mean(losses[label][-10:]))} (last 10).")
    return Comparison(runs, losses, findings)
