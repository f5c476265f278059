"""Layer-by-layer statistics of a model's forward and backward pass, read through hooks (they change no number).

    with Probe(model, lr=0.1) as probe:
        cross_entropy(model(X), y).backward()
    probe.stats()            # or a group of `COLUMN_GROUPS`, or a list of `COLUMNS`

A row is a `Linear` or `BatchNorm1d` in running order (a module called again on what was computed from the watched
modules' outputs since its last call, as in `Sequential(lin, tanh, lin, tanh)` or `h = h + tanh(lin(h))`, gets rows
`path`, `path (2)`, ...): its output `z` (pre) and the output `h` (act) of the activation module that takes `z` (`-`:
none). Statistics are over all batch x unit entries, in float64; `saturated`: entries within `SATURATION` of a limit of
tanh or sigmoid (`|tanh|>0.99`, `tanh'<0.02`); `dead`: ReLU units 0 for the whole batch; `grad_*_ratio`: a row's
gradient std over the next row's; `update_ratio = lr ||dW|| / ||W||` (CS231n notes, ~1e-3 healthy), `update_std_ratio =
std(lr dW) / std(W)` (Karpathy's makemore part 3)."""

from __future__ import annotations

import math
import numbers
import weakref
from functools import partial
from typing import Any, Callable, Literal, NamedTuple, Sequence, overload

import numpy as np

from .. import nn
from ..core.tensor import Tensor
from ..nn import activations as _acts
from ..nn.layers import as_module
from ..utils import (Rng, WeakHook, as_rng, bins_split, check_bool, check_choice, check_int, check_real, check_type,
                     moments, ordered, quoted, ratio, real_array)
from .table import Table
from .theory import renamed

__all__ = ["Probe", "LayerRecord", "Histogram", "probe_model", "fraction_key", "COLUMNS", "COLUMN_GROUPS",
           "SATURATION", "HISTOGRAMS"]

#: Saturated: within this distance of a limit of tanh (|h| > 0.99) or sigmoid (h < 0.01 or h > 0.99).
SATURATION = 0.01
_GROUPS = {"forward": "act pre_mean pre_std act_mean act_std act_min act_max saturated dead",
           "backward": "act grad_act_std grad_act_norm grad_pre_std grad_pre_norm grad_w_std grad_w_norm grad_b_std "
                       "grad_b_norm",
           "ratios": "act grad_act_ratio grad_pre_ratio grad_w_ratio grad_b_ratio",
           "update": "w_std w_norm grad_w_std grad_w_norm update_ratio update_std_ratio"}
#: Every column `Probe.stats` can show, in its order.
COLUMNS: tuple[str, ...] = ("layer", "module", "kind", *dict.fromkeys(c for v in _GROUPS.values() for c in v.split()))
#: Named column selections for `Probe.stats`.
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {"all": COLUMNS} | {k: ("layer", "module") + tuple(v.split())
                                                                 for k, v in _GROUPS.items()}
#: The arrays of a layer a probe histograms (`Probe(histograms=...)` picks some: the others cost no time).
HISTOGRAMS = ("pre_activation", "activation", "grad_pre_activation", "grad_activation")
_ARRAYS = ("pre_activation", "activation", "grad_pre_activation", "grad_activation", "weight", "bias", "grad_weight",
           "grad_bias")
_LAYERS = {nn.Linear: "linear", nn.BatchNorm1d: "batchnorm"} | {c: n for n, c in nn.ACTIVATIONS.items()}


def fraction_key(activation: str) -> str | None:
    """What can go wrong with `activation`, read off the registry's limits: `"saturated"` if bounded on both sides
    (tanh, sigmoid), `"dead"` if below only (ReLU), None if unbounded below (leaky ReLU, linear)."""
    lo, hi = _acts.get(activation, "fraction_key").limits
    return None if not math.isfinite(lo) else "saturated" if math.isfinite(hi) else "dead"


class Histogram(NamedTuple):
    """Counts per bin and the `len(counts) + 1` edges, as from `np.histogram` (finite values only)."""

    counts: np.ndarray
    edges: np.ndarray


class LayerRecord:
    """What the probe saw of one layer (`name`, its module path; `kind` "linear", "batchnorm" or "activation") in
    the latest pass: `numbers` keyed like the columns (and `"*_nonfinite"` counts), a `Histogram` and the shape of
    each array in `histograms` and `shapes`; with `keep_arrays=True`, copies of the arrays as attributes."""

    def __init__(self, name: str, kind: str, keep_arrays: bool) -> None:
        self.name, self.kind, self._keep, self._handles = name, kind, keep_arrays, []
        self._reset()

    def _reset(self) -> None:
        for h in self._handles:
            h.remove()
        self.activation_name, self._handles, self._arrays = None, [], {}
        self.numbers, self.histograms, self.shapes = {}, {}, {}  # keyed as the docstring says

    def __getattr__(self, key: str) -> np.ndarray:
        if key not in _ARRAYS or key not in self.__dict__.get("_arrays", {}):
            why = ("make the probe with Probe(model, keep_arrays=True) to keep the arrays" if not self._keep else
                   "no activation module took this layer's output" if key in ("activation", "grad_activation") and
                   not vars(self).get("activation_name") else
                   "run loss.backward() with the probe attached") if key in _ARRAYS else ""
            raise AttributeError(f"{vars(self).get('name')}: there is no {key}" + (f": {why}" if why else ""))
        return self._arrays[key]

    def histogram(self, which: str = "activation") -> Histogram:
        """The histogram of `"activation"`, `"pre_activation"`, `"grad_activation"` or `"grad_pre_activation"`."""
        if which not in self.histograms:
            raise KeyError(f"{self.name}: no histogram of {which!r}; recorded: {', '.join(self.histograms) or 'none'}"
                           " (Probe(histograms=...) names those to count)")
        return self.histograms[which]

    def _store(self, key: str, prefix: str, bins: int | None, value_range: Any, a: np.ndarray) -> None:
        """Record std and norm of `a` under `prefix` (and mean, min, max and, if `bins` is positive, a histogram, given
        `bins`); returns nothing, so that as a gradient hook it never replaces the gradient."""
        v = np.asarray(a)
        self.shapes[key], m = v.shape, moments(v)
        self.numbers.update({prefix + "_std": m.std if v.size != 1 else None, prefix + "_norm": m.norm})  # 1: none
        if bins is not None and v.size:
            lo, hi = float(v.min()), float(v.max())
            w = v if math.isfinite(lo + hi) else v[np.isfinite(v)]
            self.numbers.update({prefix + "_mean": m.mean, prefix + "_min": lo, prefix + "_max": hi,
                                 prefix + "_nonfinite": v.size - w.size})
        if bins and v.size:
            r = value_range or ((float(w.min()), float(w.max())) if w.size else (0.0, 1.0))
            # values closer than the bins can split in w's dtype (or its arithmetic would overflow): counted in float64;
            # one value, or closer than float64 splits them: the bins given a width
            close = [not bins_split(*r, bins, d) for d in (w.dtype, np.float64)]
            pad = 5e-4 * max(abs(r[0]), 1.0) * close[1]
            wide = r[1] - r[0] > float(np.finfo(w.dtype).max) / 2
            self.histograms[key] = Histogram(*np.histogram(w.astype(np.float64) if wide or close[0] else w, bins=bins,
                                                           range=(r[0] - pad, r[1] + pad)))
        if self._keep:
            self._arrays[key] = np.array(v, copy=True)

    def __repr__(self) -> str:
        return f"LayerRecord({self.name!r}, kind={self.kind!r}, activation={self.activation_name!r})"


class Probe:
    """Records per-layer activation and gradient statistics of `model` in `records` (`{module path: LayerRecord}`).

    `lr`: the learning rate of the update ratios (or give it to `stats`); `hist_range`: `(low, high)` of every
    activation histogram (e.g. `(-1, 1)` for tanh), or None for each layer's own range; `keep_arrays`: also keep
    copies of the raw arrays (memory of the order of the activations); `attach=False`: call `attach` or use `with`;
    `histograms`: the names of `HISTOGRAMS` that get one (counting every layer's costs about as much as its forward
    and backward pass on wide layers; the others keep their mean, min and max). A probe let go (`del probe`)
    detaches itself: the model holds it weakly."""

    def __init__(self, model: nn.Module, lr: float | None = None, hist_bins: int = 50,
                 hist_range: tuple[float, float] | None = None, keep_arrays: bool = False, attach: bool = True,
                 histograms: Sequence[str] = HISTOGRAMS) -> None:
        self.model = as_module("Probe", model, "an nn.Module (a Linear, Sequential, MLP, ...)")
        self.lr = None if lr is None else check_real("Probe", "lr", lr, 0.0, low_open=True)
        self.keep_arrays = check_bool("Probe", "keep_arrays", keep_arrays)
        self.hist_bins = check_int("Probe", "hist_bins", hist_bins, 1)
        self.histograms = tuple(check_choice("Probe", "histograms", h, HISTOGRAMS) for h in (
            [histograms] if isinstance(histograms, str) else check_type("Probe", "histograms", histograms, Sequence,
                                                                          "a sequence of array names")))
        r = hist_range
        if r is not None and not (isinstance(r, (tuple, list, np.ndarray)) and np.shape(r) == (2,) and all(
                isinstance(v, numbers.Real) and math.isfinite(v) for v in r) and r[0] < r[1]):
            raise ValueError(f"Probe: hist_range must be finite (low, high) with low < high, or None, got {quoted(r)}")
        self.hist_range = None if r is None else (float(r[0]), float(r[1]))
        self.records: dict[str, LayerRecord] = {}
        self._module_handles: list[Any] = []
        # row of a Linear or BatchNorm1d -> its latest output (weakly), to find the row of an activation's input
        self._produced: dict[str, weakref.ref] = {}
        # this pass: calls per module path, the watched outputs' graph nodes (weakly), where each path's last call began
        self._calls, self._outputs, self._since, self._over = {}, [], {}, False
        weakref.finalize(self, _detach, vars(self))  # a probe let go detaches itself (its hooks hold it weakly)
        if check_bool("Probe", "attach", attach):
            self.attach()

    @property
    def attached(self) -> bool:
        """Whether the hooks are on the model now."""
        return bool(self._module_handles)

    def attach(self) -> "Probe":
        """Put the forward hooks on the model (nothing happens if attached already); returns the probe."""
        if self.attached:
            return self
        for path, module in self.model.named_modules():  # a subclass (a student's MyLinear) is watched as its base
            if kind := next((k for c, k in _LAYERS.items() if isinstance(module, c)), None):
                hook = self._on_layer if isinstance(module, (nn.Linear, nn.BatchNorm1d)) else self._on_act
                self._module_handles.append(module.register_forward_hook(
                    WeakHook(hook, path or type(self.model).__name__, kind)))
        if not self._module_handles:
            raise ValueError(f"Probe: {type(self.model).__name__} has no Linear, BatchNorm1d or activation module "
                             "(Tanh, Sigmoid, ReLU) to watch; build the model from nn layers, e.g. "
                             "nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).")
        self._module_handles.append(self.model.register_forward_hook(WeakHook(self._on_model)))  # after the layers'
        self._on_model()  # the next watched call begins a pass
        return self

    def detach(self) -> None:
        """Remove every hook of this probe from the model and its tensors; the records stay readable."""
        _detach(vars(self))

    def __getstate__(self) -> dict:  # a copy (pickle, deepcopy) begins a pass of its own, without weak references
        return {**vars(self), "_produced": {}, "_outputs": [], "_over": True}

    def __enter__(self) -> "Probe":
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.detach()

    def _start(self, name: str, kind: str, x: Any) -> LayerRecord:
        """A cleared record for a call of module `name` on input `x`, moved to the end of `records` (the running
        order): row `name`, or `name (k)` for its k-th call in one pass, when `x` was computed from what a watched
        module made after its previous call (`h + tanh(lin(h))` too); any other call again, or a call after the
        model's output, begins a new pass: the earlier pass's rows go."""
        k = self._calls.get(name, 0)
        if self._over or k and not self._made_since(x, self._since[name]):
            for rec in self.records.values():
                rec._reset()  # its gradient hooks
            self._on_model()
            self.records, self._calls, self._outputs, self._since, self._over, k = {}, {}, [], {}, False, 0
        self._calls[name], self._since[name], row = k + 1, len(self._outputs), f"{name} ({k + 1})" if k else name
        rec = self.records[row] = LayerRecord(row, kind, self.keep_arrays)
        return rec

    def _made_since(self, x: Any, since: int) -> bool:
        """Whether `x` is, or was computed from (a walk back through its graph), a watched output from `since` on."""
        outs, stack, seen = {id(r()) for r in self._outputs[since:]} - {id(None)}, [getattr(x, "grad_fn", 0) or x], {0}
        while stack and id(n := stack.pop()) not in outs:
            if not (id(n) in seen or seen.add(id(n))):
                stack.extend(getattr(n, "parents", ()))
        return id(n) in outs

    def _on_model(self, *_: Any) -> None:  # the model's output: its pass is over, the next watched call begins one
        self._over = True
        self._produced.clear()

    def _take(self, rec: LayerRecord, t: Tensor, key: str, prefix: str, bins: int | None, span: Any = None) -> Any:
        """Record `t.data` (`rec._store`) and, when backward reaches `t`, its gradient under `"grad_" + key`."""
        def counted(k: str) -> int | None:  # 0: the numbers of a histogram's arrays, but no histogram
            return bins and (bins if k in self.histograms else 0)
        if t.requires_grad:
            rec._handles.append(t.register_hook(partial(rec._store, "grad_" + key, "grad_" + prefix,
                                                        counted("grad_" + key), None)))
        rec._store(key, prefix, counted(key), span, t.data)
        return t.data

    def _on_layer(self, name: str, kind: str, module: nn.Module, inputs: tuple, output: Tensor) -> None:
        rec = self._start(name, kind, inputs[0] if inputs else None)  # a Linear or BatchNorm1d: its output is a Tensor
        self._take(rec, output, "pre_activation", "pre", self.hist_bins)
        self._produced[rec.name] = weakref.ref(output)
        self._outputs.append(weakref.ref(output.grad_fn or output))  # the graph keeps the node, not the tensor
        for what, key in (("weight", "w"), ("bias", "b")):
            if isinstance(p := getattr(module, what, None), Tensor):
                self._take(rec, p, what, key, None)

    def _on_act(self, name: str, act: str, module: nn.Module, inputs: tuple, output: Any) -> None:
        if not isinstance(output, Tensor):  # the identity passes anything on
            return
        x = inputs[0]
        rec = next((self.records[row] for row, out in reversed(self._produced.items()) if out() is x), None)
        if rec is None or rec.activation_name is not None:  # not after a watched layer: a row of its own
            rec = self._start(name, "activation", x)
            if isinstance(x, Tensor):
                self._take(rec, x, "pre_activation", "pre", self.hist_bins)
        rec.activation_name = act
        self._outputs.append(weakref.ref(output.grad_fn or output))
        h = self._take(rec, output, "activation", "act", self.hist_bins, self.hist_range)
        lo, hi = _acts.get(act).limits
        if not h.size or (key := fraction_key(act)) is None:
            return  # below: nan where the activations overflowed (neither is known); counted in float64, exact
        rec.numbers[key] = math.nan if rec.numbers.get("act_nonfinite") else np.count_nonzero(
            (h < np.float64(lo + SATURATION)) | (h > np.float64(hi - SATURATION))) / h.size if key == "saturated" \
            else float(np.mean(np.all(h.reshape(-1, h.shape[-1] if h.ndim else 1) == lo, axis=0)))

    def stats(self, columns: str | Sequence[str] | None = None, lr: float | None = None) -> Table:
        """The statistics as a `Table`, a row per layer (float64, `None` where a value does not apply or was not
        measured): the `columns` of a group of `COLUMN_GROUPS` (None: all) or a list of `COLUMNS`."""
        if not self.records:
            state = "attached" if self.attached else "NOT attached (call probe.attach() or use `with`)"
            raise RuntimeError(f"Probe: nothing recorded yet. The probe is {state}; run a forward pass model(x), then "
                               "loss.backward() for the gradient columns, and ask again.")
        lr = self.lr if lr is None else check_real("Probe.stats", "lr", lr, 0.0, low_open=True)
        if isinstance(columns, (set, frozenset)):  # a set of names: in the table's order, not the set's (hash order)
            columns = [c for c in COLUMNS if c in columns] + sorted(str(c) for c in columns if c not in COLUMNS)
        group = "all" if columns is None else str(columns)  # a name of COLUMN_GROUPS
        cols = list(columns) if ordered(columns) else list(COLUMN_GROUPS.get(group, ()))
        if ordered(columns) and not cols:
            raise ValueError(f"Probe.stats: columns is empty; name one or more of {', '.join(COLUMNS)}, or a group: "
                             f"{', '.join(COLUMN_GROUPS)}")
        bad = [c for c in cols if c not in COLUMNS] if cols else [columns]
        if bad:
            raise ValueError(f"Probe.stats: unknown column group {columns!r}; choose one of {', '.join(COLUMN_GROUPS)} "
                             "or pass a list of columns" if isinstance(columns, str) else
                             f"Probe.stats: unknown column(s) {bad}; the columns are {', '.join(COLUMNS)}")
        if twice := list(dict.fromkeys(c for c in cols if cols.count(c) > 1)):
            raise ValueError(f"Probe.stats: columns names {', '.join(twice)} twice; name each column once")
        recs = list(self.records.values())  # in running order
        rows = [{"layer": i + 1, "module": r.name, "kind": r.kind, "act": r.activation_name,
                 **{c: r.numbers.get(c) for c in COLUMNS[4:]}} for i, r in enumerate(recs)]
        for row, above in zip(rows, rows[1:] + [{}]):
            for q in ("act", "pre", "w", "b"):
                a, b = row[f"grad_{q}_std"], above.get(f"grad_{q}_std")
                row[f"grad_{q}_ratio"] = None if a is None or b is None else ratio(a, b)
            for key, q in (("update_ratio", "norm"), ("update_std_ratio", "std")):  # (no std of a 1 x 1 weight)
                ok = lr is not None and None not in (row[f"grad_w_{q}"], row[f"w_{q}"])
                row[key] = ratio(lr * row[f"grad_w_{q}"], row[f"w_{q}"]) if ok else None
        shape = recs[0].shapes.get("pre_activation", ())
        title = f"Probe of {type(self.model).__name__}: {len(rows)} layer(s)" + (
            f", batch {int(np.prod(shape[:-1]))}" if len(shape) >= 2 else "")
        return Table(cols, [[r[c] for c in cols] for r in rows], title=title, notes=self._notes(lr, rows, cols))

    def _notes(self, lr: float | None, rows: list[dict[str, Any]], cols: list[str]) -> list[str]:
        notes = ["layer: 1, 2, ... in the order the layers ran (module: its path); pre = the layer's output z; act = "
                 "the output h of the activation that takes z ('-': none); statistics over all batch x unit entries."]
        if "saturated" in cols or "dead" in cols:
            notes.append(f"saturated: entries within {SATURATION} of a limit of tanh or sigmoid; dead: ReLU units that "
                         "are 0 for the whole batch.")
        if any(c.startswith("grad") for c in cols):
            notes.append("grad_*: std and Frobenius norm of dL/dh (act), dL/dz (pre), dL/dW (w), dL/db (b); "
                         "grad_*_ratio = this row's grad std / the next row's (the layer above).")
        if {"update_ratio", "update_std_ratio"} & set(cols):
            notes.append("update ratios need a learning rate: Probe(model, lr=...) or probe.stats(lr=...)."
                         if lr is None else
                         f"lr = {lr:g}; update_ratio = lr*||dW||/||W|| (CS231n notes, ~1e-3 healthy); "
                         "update_std_ratio = std(lr*dW)/std(W) (Karpathy, makemore part 3, ~1e-3).")
        if any(isinstance(v := r[c], float) and not math.isfinite(v) for r in rows for c in cols if "ratio" in c):
            notes.append("*_ratio: nan is 0/0 (or a nan value), inf a number over 0, as all-zero weights (zeros init) "
                         "give: they pass no gradient back, and ||W|| = 0 has no size to compare an update with.")
        missing = [r["module"] for r in rows if r["grad_pre_norm"] is None]  # (a std of one number is None too)
        if missing and any(c.startswith(("grad", "update")) for c in cols):
            notes.append(f"no gradient recorded for {', '.join(missing)}: run loss.backward() with the probe attached.")
        for rec in self.records.values():
            h, n = rec.histograms.get("activation"), rec.numbers
            if self.hist_range is not None and h is not None and (out := int(np.prod(rec.shapes["activation"]) - n.get(
                    "act_nonfinite", 0) - h.counts.sum())):
                notes.append(f"{rec.name}: {out} activation value(s) outside hist_range {self.hist_range} are not in "
                             "its histogram.")
            if bad := ", ".join(f"{int(v)} in {k[:-10]}" for k, v in n.items() if k.endswith("_nonfinite") and v):
                notes.append(f"WARNING {rec.name}: non-finite values (NaN/inf): {bad}; histograms count the finite "
                             "ones only.")
        return notes

    def __repr__(self) -> str:
        return f"Probe({type(self.model).__name__}, {'attached' if self.attached else 'detached'}, " \
               f"{len(self.records)} record(s), lr={self.lr})"


def _detach(probe: dict) -> None:
    for h in probe["_module_handles"] + [h for rec in probe["records"].values() for h in rec._handles]:
        h.remove()
    probe["_module_handles"] = []
    for rec in probe["records"].values():  # the records keep their numbers; only their gradient hooks go
        rec._handles = []


@overload  # for type checkers and IDEs: return_probe=True gives the table and the probe, else the table alone
def probe_model(model: nn.Module, x: Any, loss_fn: Callable[[Tensor], Tensor] | None = None, upstream: Any = None,
                rng: Rng = None, columns: str | Sequence[str] | None = None, return_probe: Literal[False] = False,
                **probe_kwargs: Any) -> Table: ...
@overload
def probe_model(model: nn.Module, x: Any, loss_fn: Callable[[Tensor], Tensor] | None = None, upstream: Any = None,
                rng: Rng = None, columns: str | Sequence[str] | None = None, *, return_probe: Literal[True],
                **probe_kwargs: Any) -> tuple[Table, Probe]: ...
@overload
def probe_model(model: nn.Module, x: Any, loss_fn: Callable[[Tensor], Tensor] | None = None, upstream: Any = None,
                rng: Rng = None, columns: str | Sequence[str] | None = None, return_probe: bool = False,
                **probe_kwargs: Any) -> Table | tuple[Table, Probe]: ...
def probe_model(model: nn.Module, x: Any, loss_fn: Callable[[Tensor], Tensor] | None = None, upstream: Any = None,
                rng: Rng = None, columns: str | Sequence[str] | None = None,
                return_probe: bool = False, **probe_kwargs: Any) -> Table | tuple[Table, Probe]:
    """One forward and one backward pass of `model` on `x` `(batch, features)`, measured layer by layer.

    Backward starts from `loss_fn(model(x))` (one element; the output may be a tuple), else `upstream` (the output's
    shape), else a standard-normal upstream from `rng`. The model is left as it was (`.grad`, BatchNorm running
    statistics), and so is the `.grad` of an `x` that requires grad; `columns`: as `Probe.stats`; `**probe_kwargs`:
    for `Probe`."""
    as_module("probe_model", model)
    if loss_fn is not None:
        check_type("probe_model", "loss_fn", loss_fn, Callable, "a function of the model's output")
    if loss_fn is not None and upstream is not None:
        raise ValueError("probe_model: pass either loss_fn or upstream, not both (loss_fn: a function of the output)")
    if np.shape(x.data if isinstance(x, Tensor) else x)[:1] == (0,):  # every statistic would be nan
        raise ValueError("probe_model: x has no rows (a batch of 0 examples); pass at least one, (batch, features)")
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]
    saved = [(p, "grad", p.grad) for p in model.parameters()] + [
        (m, k, getattr(m, k)) for m in bns for k in ("running_mean", "running_var")]
    if isinstance(x, Tensor) and (x.is_leaf or x.grad_fn.retain):  # a .grad backward adds to (no other is kept)
        saved.append((x, "grad", x.grad))
    try:
        if not check_bool("probe_model", "return_probe", return_probe):  # a table only: the histograms it reads
            # (hist_range's note on the activations), no more
            probe_kwargs.setdefault("histograms", ["activation"] if probe_kwargs.get("hist_range") is not None else [])
        with renamed("probe_model", Probe, model, **probe_kwargs) as probe:
            out = model(x)
            if loss_fn is None and not isinstance(out, Tensor):  # (a function of it may make a loss: loss_fn)
                raise TypeError(f"probe_model: the model returned {type(out).__name__}, not a Tensor: " + (
                    "its forward must return the Tensor (not its .data), whose graph backward walks" if isinstance(
                        out, np.ndarray) else "pass loss_fn=, a function of it giving a one-element Tensor"))
            if loss_fn is not None and (not isinstance(loss := loss_fn(out), Tensor) or loss.data.size != 1):
                raise ValueError(f"probe_model: loss_fn must return a one-element Tensor (a mean, a sum), got "
                                 f"{type(loss).__name__} {getattr(loss, 'shape', loss)!r:.60}")
            root, what, hint = (out, "the model's output", "") if loss_fn is None else (
                loss, "loss_fn's loss", " Does loss_fn compute on Tensors (not their .data)?")
            if not root.requires_grad:
                raise RuntimeError(f"probe_model: {what} does not require grad, so there is no backward pass to "
                                   "measure; are the model's parameters requires_grad=True, and is this call outside "
                                   f"no_grad()?{hint}")
            if loss_fn is not None:
                loss.backward()
            else:
                if upstream is None:
                    g = as_rng(rng, "probe_model").standard_normal(out.shape).astype(out.dtype)
                else:
                    g = real_array(upstream.data if isinstance(upstream, Tensor) else upstream)
                if g is None:  # text, None, ragged rows: backward named its own `grad`, or numpy
                    raise TypeError(f"probe_model: upstream must be an array of numbers of the output's shape "
                                    f"{out.shape}, got {type(upstream).__name__} {upstream!r:.60}")
                if g.shape != out.shape:
                    raise ValueError(f"probe_model: upstream has shape {g.shape} but the model's output has shape "
                                     f"{out.shape}; they must be equal")
                out.backward(g)
        table = renamed("probe_model", probe.stats, columns)
    finally:
        for obj, key, value in saved:
            setattr(obj, key, value)
    return (table, probe) if return_probe else table
