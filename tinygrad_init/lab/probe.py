"""Layer-by-layer statistics of a model's forward and backward pass, without changing it.

A :class:`Probe` watches a :class:`~tinygrad_init.nn.Module` through hooks: a
forward hook on every ``Linear``, ``BatchNorm1d`` and activation module records
what comes out, and a gradient hook (``Tensor.register_hook``) on those outputs
and on the layer's weight and bias records what flows back. The hooks only
read; they never return a replacement, so outputs and gradients are exactly
what they are without the probe::

    probe = Probe(model, lr=0.1)          # attached from the start
    loss = cross_entropy(model(X), y)
    loss.backward()
    print(probe.stats())                  # or probe.stats("forward"), probe.stats("backward")
    probe.detach()

or, as a context manager that detaches at the end::

    with Probe(model) as probe:
        model(X).backward(G)
    probe.records["layers.0"].histogram("activation")

One row per layer
-----------------
A *layer* is a ``Linear`` (or a ``BatchNorm1d``), named by its module path
(``layers.0``). Its **pre-activation** ``z`` is the module's output; its
**activation** ``h`` is the output of the activation module (``Tanh``,
``Sigmoid``, ``ReLU``, ``Identity``) that takes ``z`` as its input, if there is
one -- the output layer of an MLP has none, and its activation columns show
``-``. In ``Linear -> BatchNorm1d -> Tanh`` the ``Linear`` row has no
activation and the ``BatchNorm1d`` row has the tanh. An activation module
whose input is not the output of a watched layer gets a row of its own, with
that input as its pre-activation. Activations written as ``x.tanh()`` inside
a ``forward`` are invisible to the probe: use the modules.

Rows are listed in the order the layers ran in the latest forward pass; "the
layer above" layer ``l`` is the next row, ``l + 1``, closer to the output. If
a module runs several times per pass, its last run is the one recorded.

The numbers (all over every element, batch x units; std is the population std, ddof=0)
------------------------------------------------------------------------------------------
``pre_mean, pre_std``
    of ``z``.
``act_mean, act_std, act_min, act_max``
    of ``h``; plus a histogram (``hist_bins`` bins over ``hist_range``, or over
    ``[min, max]`` of the layer when ``hist_range`` is None).
``saturated``
    tanh: the fraction of entries with ``|h| > 0.99``; sigmoid: within 0.01 of
    0 or 1. There the local derivative is below 0.02 and the gradient stops.
``dead``
    ReLU: the fraction of units (columns) that are 0 for every example of the batch.
``grad_act_std, grad_act_norm, grad_pre_std, grad_pre_norm``
    of ``dL/dh`` and ``dL/dz`` (norm: the Frobenius norm ``sqrt(sum g^2)``).
``grad_w_std, grad_w_norm, grad_b_std, grad_b_norm``
    of the weight's and bias's ``.grad`` when backward finished with them
    (the accumulated ``.grad``, which is what an optimizer uses).
``grad_act_ratio, grad_pre_ratio, grad_w_ratio, grad_b_ratio``
    this row's std divided by the next row's, e.g. ``std(dL/dh_l) / std(dL/dh_{l+1})``.
    Below 1 going down the table means gradients shrink towards the input (vanish).
``w_std, w_norm``
    of the weight used in the forward pass.
``update_ratio``
    ``lr * ||dW|| / ||W||`` (Frobenius norms): the relative size of one plain
    SGD step -- the "ratio of weights:updates" of the CS231n notes (Neural
    Networks Part 3), where about ``1e-3`` is healthy.
``update_std_ratio``
    ``std(lr * dW) / std(W)``: the same idea with standard deviations, as
    plotted on a log10 scale in Karpathy's "Building makemore Part 3" lecture
    (healthy near ``1e-3``, i.e. -3). For zero-mean ``W`` and ``dW`` the two
    agree closely.

Columns that do not apply or were not measured (no backward pass yet, no
activation module, no learning rate given) are ``None`` and print as ``-``.

Memory: every summary number and histogram is always kept; the raw arrays
(``record.activation``, ``record.grad_weight``, ...) only with ``keep_arrays=True``.
"""

from __future__ import annotations

import math
import weakref
from functools import partial
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from .. import nn
from .table import Table
from ..core.tensor import Tensor
from ..utils import as_rng

__all__ = ["Probe", "LayerRecord", "Histogram", "probe_model", "COLUMNS", "COLUMN_GROUPS",
           "TANH_SATURATION", "SIGMOID_SATURATION"]

#: tanh counts as saturated where |h| exceeds this (its derivative 1 - h^2 is then below 0.0199).
TANH_SATURATION = 0.99
#: sigmoid counts as saturated within this distance of 0 or 1 (its derivative s(1-s) is then below 0.0099).
SIGMOID_SATURATION = 0.01

COLUMNS: tuple[str, ...] = (
    "layer", "kind", "act",
    "pre_mean", "pre_std",
    "act_mean", "act_std", "act_min", "act_max", "saturated", "dead",
    "grad_act_std", "grad_act_norm", "grad_pre_std", "grad_pre_norm",
    "grad_w_std", "grad_w_norm", "grad_b_std", "grad_b_norm",
    "grad_act_ratio", "grad_pre_ratio", "grad_w_ratio", "grad_b_ratio",
    "w_std", "w_norm", "update_ratio", "update_std_ratio",
)

#: Named column selections for :meth:`Probe.stats`.
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {
    "all": COLUMNS,
    "forward": ("layer", "act", "pre_mean", "pre_std", "act_mean", "act_std", "act_min", "act_max",
                "saturated", "dead"),
    "backward": ("layer", "act", "grad_act_std", "grad_act_norm", "grad_pre_std", "grad_pre_norm",
                 "grad_w_std", "grad_w_norm", "grad_b_std", "grad_b_norm"),
    "ratios": ("layer", "act", "grad_act_ratio", "grad_pre_ratio", "grad_w_ratio", "grad_b_ratio"),
    "update": ("layer", "w_std", "w_norm", "grad_w_std", "grad_w_norm", "update_ratio", "update_std_ratio"),
}

_RATIO_OF = {"grad_act_ratio": "grad_act_std", "grad_pre_ratio": "grad_pre_std",
             "grad_w_ratio": "grad_w_std", "grad_b_ratio": "grad_b_std"}

_ACTIVATION_TYPES: tuple[tuple[type, str], ...] = (
    (nn.Tanh, "tanh"), (nn.Sigmoid, "sigmoid"), (nn.ReLU, "relu"), (nn.Identity, "linear"),
)
_LAYER_TYPES: tuple[tuple[type, str], ...] = ((nn.Linear, "linear"), (nn.BatchNorm1d, "batchnorm"))

# What each raw array of a record is, for the error messages.
_ARRAY_WHAT = {
    "pre_activation": "pre-activation (the layer's output)",
    "activation": "activation (the output of the activation module after the layer)",
    "grad_pre_activation": "gradient dL/dz with respect to the pre-activation",
    "grad_activation": "gradient dL/dh with respect to the activation",
    "weight": "weight",
    "bias": "bias",
    "grad_weight": "gradient dL/dW of the weight",
    "grad_bias": "gradient dL/db of the bias",
}


class Histogram(NamedTuple):
    """Counts per bin and the ``len(counts) + 1`` bin edges, as from ``np.histogram``.

    Only finite values are counted (see ``LayerRecord.numbers["*_nonfinite"]``).
    """

    counts: np.ndarray
    edges: np.ndarray


class LayerRecord:
    """What the probe saw of one layer in the latest forward and backward pass.

    Attributes:
        name: the module path (``"layers.0"``).
        kind: ``"linear"``, ``"batchnorm"`` or ``"activation"`` (an activation with a row of its own).
        activation_name: ``"tanh"``, ``"sigmoid"``, ``"relu"``, ``"linear"`` (Identity) or None.
        order: position in the latest forward pass (0 first).
        numbers: the summary numbers, keyed like the table's columns (``"act_std"``,
            ``"grad_w_norm"``, ...), plus ``"*_nonfinite"`` counts; a missing key
            means not measured.
        histograms: :class:`Histogram` per array name (``"activation"``,
            ``"pre_activation"``, ``"grad_activation"``, ``"grad_pre_activation"``).
        shapes: the shape of each array seen.

    The raw arrays are properties (``activation``, ``pre_activation``,
    ``grad_activation``, ``grad_pre_activation``, ``weight``, ``bias``,
    ``grad_weight``, ``grad_bias``); they exist only when the probe was made
    with ``keep_arrays=True``. They are copies, safe from later in-place updates.
    """

    def __init__(self, name: str, kind: str, keep_arrays: bool) -> None:
        self.name = name
        self.kind = kind
        self.activation_name: str | None = None
        self.order = -1
        self.numbers: dict[str, float] = {}
        self.histograms: dict[str, Histogram] = {}
        self.shapes: dict[str, tuple[int, ...]] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._keep = keep_arrays
        self._handles: list[Any] = []  # gradient hooks of the latest pass

    def _reset(self) -> None:
        self.activation_name = None
        self.numbers = {}
        self.histograms = {}
        self.shapes = {}
        self._arrays = {}

    def _array(self, key: str) -> np.ndarray:
        if not self._keep:
            raise AttributeError(f"{self.name}: the raw {_ARRAY_WHAT[key]} was not kept. The probe keeps only "
                                 "summary numbers and histograms by default; make it with "
                                 "Probe(model, keep_arrays=True) to keep the arrays.")
        if key not in self._arrays:
            if key in ("activation", "grad_activation") and self.activation_name is None:
                why = "no activation module took this layer's output as its input"
            elif key.startswith("grad"):
                why = ("no gradient reached it: run loss.backward() after the forward pass (and not under "
                       "no_grad()), with the probe attached")
            else:
                why = "this layer has none (or no forward pass ran while the probe was attached)"
            raise AttributeError(f"{self.name}: there is no {_ARRAY_WHAT[key]}: {why}.")
        return self._arrays[key]

    activation = property(lambda self: self._array("activation"), doc="h, the activation (batch, units).")
    pre_activation = property(lambda self: self._array("pre_activation"),
                              doc="z, the layer's output before the activation (batch, units).")
    grad_activation = property(lambda self: self._array("grad_activation"), doc="dL/dh, same shape as h.")
    grad_pre_activation = property(lambda self: self._array("grad_pre_activation"), doc="dL/dz, same shape as z.")
    weight = property(lambda self: self._array("weight"), doc="W as used in the forward pass (fan_in, fan_out).")
    bias = property(lambda self: self._array("bias"), doc="b as used in the forward pass (fan_out,).")
    grad_weight = property(lambda self: self._array("grad_weight"), doc="dL/dW, the weight's .grad.")
    grad_bias = property(lambda self: self._array("grad_bias"), doc="dL/db, the bias's .grad.")

    def histogram(self, which: str = "activation") -> Histogram:
        """The histogram of ``which``: ``"activation"``, ``"pre_activation"``, ``"grad_activation"``
        or ``"grad_pre_activation"``."""
        if which not in self.histograms:
            known = ", ".join(self.histograms) or "none yet"
            raise KeyError(f"{self.name}: no histogram of {which!r}; recorded: {known}")
        return self.histograms[which]

    def __repr__(self) -> str:
        act = f", activation={self.activation_name!r}" if self.activation_name else ""
        return f"LayerRecord({self.name!r}, kind={self.kind!r}{act}, {len(self.numbers)} numbers)"


# ------------------------------------------------------------------ numbers


def _moments(a: np.ndarray) -> tuple[float, float, float]:
    """Mean, population std and Frobenius norm of all entries, accumulated in float64.

    With ``n`` entries: ``mean = sum(a) / n``, ``std = sqrt(sum((a - mean)^2) / n)``
    (two passes, no cancellation) and ``norm = sqrt(sum(a^2)) = sqrt(n (std^2 + mean^2))``.
    """
    v = np.asarray(a).ravel()
    n = v.size
    if n == 0:
        return math.nan, math.nan, 0.0
    mean = float(v.mean(dtype=np.float64))
    d = v - np.float64(mean)  # a float64 array whatever v's dtype
    var = float(np.dot(d, d)) / n
    return mean, math.sqrt(var), math.sqrt(n * (var + mean * mean))


def _std_norm(a: np.ndarray) -> tuple[float, float]:
    """Population std and Frobenius norm (see :func:`_moments`)."""
    _, std, norm = _moments(a)
    return std, norm


def _histogram(v: np.ndarray, bins: int, value_range: tuple[float, float] | None,
               lo_hi: tuple[float, float] | None = None) -> tuple[Histogram, int]:
    """Histogram of the finite entries of ``v``; also the count of the others.

    ``lo_hi``: the min and max of ``v`` if already known (when both are finite,
    every entry is, and no extra pass over the data is needed).
    """
    v = v.ravel()
    if lo_hi is not None and math.isfinite(lo_hi[0]) and math.isfinite(lo_hi[1]):
        n_bad, w = 0, v
    else:
        finite = np.isfinite(v)
        n_bad = int(v.size - np.count_nonzero(finite))
        w = v[finite] if n_bad else v
        lo_hi = None
    if value_range is None:
        if lo_hi is not None:
            value_range = lo_hi
        else:
            value_range = (float(w.min()), float(w.max())) if w.size else (0.0, 1.0)
        if value_range[0] == value_range[1]:  # all equal: one value, give the bins a width
            c = value_range[0]
            half = 0.5 * max(abs(c), 1.0) * 1e-3
            value_range = (c - half, c + half)
    counts, edges = np.histogram(w, bins=bins, range=value_range)
    return Histogram(counts, edges), n_bad


class Probe:
    """Records per-layer activation and gradient statistics of ``model`` through hooks.

    Args:
        model: the :class:`~tinygrad_init.nn.Module` to watch.
        lr: learning rate for the update-to-weight ratios (``update_ratio``,
            ``update_std_ratio``); None leaves them out (or pass ``lr`` to :meth:`stats`).
        hist_bins: bins per histogram.
        hist_range: ``(low, high)`` for the activation histograms (for example
            ``(-1, 1)`` for tanh, so that all layers share the bins); None uses each
            layer's own ``[min, max]``. Pre-activation and gradient histograms
            always use their own range.
        keep_arrays: also keep copies of the raw arrays (activations, gradients,
            weights) in :attr:`records` -- memory of the order of the model's
            activations; off by default.
        attach: attach at once (default). Otherwise call :meth:`attach` or use ``with``.

    Attributes:
        records: ``{module path: LayerRecord}``, in the order the layers ran.

    The probe never changes the model: its hooks return nothing, so outputs and
    gradients are exactly those without it. :meth:`detach` removes every hook.
    """

    def __init__(self, model: nn.Module, lr: float | None = None, hist_bins: int = 50,
                 hist_range: tuple[float, float] | None = None, keep_arrays: bool = False,
                 attach: bool = True) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"Probe: expected an nn.Module (a Linear, Sequential, MLP, ...), got "
                            f"{type(model).__name__}")
        self.model = model
        self.lr = self._check_lr(lr, "Probe")
        if isinstance(hist_bins, bool) or not isinstance(hist_bins, (int, np.integer)) or hist_bins < 1:
            raise ValueError(f"Probe: hist_bins must be a positive integer, got {hist_bins!r}")
        self.hist_bins = int(hist_bins)
        if hist_range is not None:
            try:
                lo, hi = (float(v) for v in hist_range)
            except (TypeError, ValueError):
                raise ValueError(f"Probe: hist_range must be a pair (low, high) of numbers or None, "
                                 f"got {hist_range!r}") from None
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"Probe: hist_range must be finite with low < high, got {hist_range!r}")
            hist_range = (lo, hi)
        self.hist_range = hist_range
        self.keep_arrays = bool(keep_arrays)
        self.records: dict[str, LayerRecord] = {}
        self._module_handles: list[Any] = []
        # id(latest output of a watched layer) -> (weak reference to it, row name), so that an
        # activation module can tell whose output it consumes. Weak: the probe keeps no graph alive.
        self._produced: dict[int, tuple[weakref.ref, str]] = {}
        self._counter = 0
        if attach:
            self.attach()

    @staticmethod
    def _check_lr(lr: Any, where: str) -> float | None:
        if lr is None:
            return None
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)) \
                or not math.isfinite(float(lr)) or float(lr) <= 0:
            raise ValueError(f"{where}: lr must be a positive number (the SGD learning rate) or None, got {lr!r}")
        return float(lr)

    # ----------------------------------------------------------- hooks

    @property
    def attached(self) -> bool:
        """Whether the hooks are on the model now."""
        return bool(self._module_handles)

    def attach(self) -> "Probe":
        """Put the forward hooks on the model (does nothing if already attached). Returns the probe."""
        if self.attached:
            return self
        handles = []
        for path, module in self.model.named_modules():
            name = path or type(self.model).__name__
            for cls, kind in _LAYER_TYPES:
                if isinstance(module, cls):
                    handles.append(module.register_forward_hook(partial(self._on_layer, name, kind)))
                    break
            else:
                for cls, act in _ACTIVATION_TYPES:
                    if isinstance(module, cls):
                        handles.append(module.register_forward_hook(partial(self._on_activation, name, act)))
                        break
        if not handles:
            raise ValueError(
                f"Probe: {type(self.model).__name__} has no Linear, BatchNorm1d or activation module "
                "(Tanh, Sigmoid, ReLU) to watch. The probe sees modules only: build the model from nn "
                "layers, e.g. nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).")
        self._module_handles = handles
        return self

    def detach(self) -> None:
        """Remove every hook this probe put on the model and on its tensors. The records stay readable."""
        for h in self._module_handles:
            h.remove()
        self._module_handles = []
        for rec in self.records.values():
            for h in rec._handles:
                h.remove()
            rec._handles = []

    def __enter__(self) -> "Probe":
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.detach()

    def reset(self) -> None:
        """Forget all records (the hooks stay as they are)."""
        for rec in self.records.values():
            for h in rec._handles:
                h.remove()
        self.records = {}
        self._produced = {}
        self._counter = 0

    def _start(self, name: str, kind: str) -> LayerRecord:
        """The record for a new forward run of layer ``name``: old gradient hooks off, numbers cleared."""
        rec = self.records.get(name)
        if rec is None or rec.kind != kind:
            rec = LayerRecord(name, kind, self.keep_arrays)
        else:
            for h in rec._handles:
                h.remove()
            rec._handles = []
            rec._reset()
        # Re-insert so that the dict lists the layers in the order they ran.
        self.records.pop(name, None)
        self.records[name] = rec
        rec.order = self._counter
        self._counter += 1
        return rec

    def _forward_numbers(self, rec: LayerRecord, key: str, t: Tensor, prefix: str,
                         hist_range: tuple[float, float] | None) -> np.ndarray:
        v = np.asarray(t.data)
        rec.shapes[key] = t.shape
        if v.size:
            # Sums accumulate in float64 whatever the array's dtype.
            rec.numbers[prefix + "_mean"], rec.numbers[prefix + "_std"], _ = _moments(v)
            lo, hi = float(v.min()), float(v.max())
            rec.numbers[prefix + "_min"], rec.numbers[prefix + "_max"] = lo, hi
            rec.histograms[key], rec.numbers[prefix + "_nonfinite"] = _histogram(v, self.hist_bins, hist_range,
                                                                                  (lo, hi))
        if self.keep_arrays:
            rec._arrays[key] = np.array(t.data, copy=True)
        return v

    def _watch_grad(self, rec: LayerRecord, t: Tensor, key: str, prefix: str, histogram: bool = True) -> None:
        if t.requires_grad:
            rec._handles.append(t.register_hook(partial(self._on_grad, rec, key, prefix, histogram)))

    def _on_layer(self, name: str, kind: str, module: nn.Module, inputs: tuple, output: Any) -> None:
        if not isinstance(output, Tensor):
            return None
        rec = self._start(name, kind)
        self._forward_numbers(rec, "pre_activation", output, "pre", None)
        self._watch_grad(rec, output, "grad_pre_activation", "grad_pre")
        if len(self._produced) > 2 * len(self.records) + 16:  # forget outputs that no longer exist
            self._produced = {k: v for k, v in self._produced.items() if v[0]() is not None}
        self._produced[id(output)] = (weakref.ref(output), name)
        for what, key in (("weight", "w"), ("bias", "b")):
            p = getattr(module, what, None)
            if not isinstance(p, Tensor):
                continue
            std, norm = _std_norm(p.data)
            rec.numbers[key + "_std"], rec.numbers[key + "_norm"] = std, norm
            if self.keep_arrays:
                rec._arrays[what] = np.array(p.data, copy=True)
            self._watch_grad(rec, p, "grad_" + what, "grad_" + key, histogram=False)
        return None

    def _on_activation(self, name: str, act: str, module: nn.Module, inputs: tuple, output: Any) -> None:
        if not isinstance(output, Tensor):
            return None
        x = inputs[0] if inputs else None
        owner = None
        if isinstance(x, Tensor):
            entry = self._produced.get(id(x))
            if entry is not None and entry[0]() is x:
                owner = entry[1]
        if owner is not None and owner in self.records and self.records[owner].activation_name is None:
            rec = self.records[owner]
        else:
            # Not after a watched layer (or a second activation of the same output): a row of its own.
            rec = self._start(name, "activation")
            if isinstance(x, Tensor):
                self._forward_numbers(rec, "pre_activation", x, "pre", None)
                self._watch_grad(rec, x, "grad_pre_activation", "grad_pre")
        rec.activation_name = act
        h = self._forward_numbers(rec, "activation", output, "act", self.hist_range)
        if h.size:
            # Thresholds as float64 numbers, so that the comparison is exact in any dtype.
            if act == "tanh":
                sat = np.abs(h) > np.float64(TANH_SATURATION)
                rec.numbers["saturated"] = np.count_nonzero(sat) / h.size
            elif act == "sigmoid":
                sat = (h < np.float64(SIGMOID_SATURATION)) | (h > np.float64(1.0) - np.float64(SIGMOID_SATURATION))
                rec.numbers["saturated"] = np.count_nonzero(sat) / h.size
            elif act == "relu":
                units = h.reshape(-1, h.shape[-1]) if h.ndim else h.reshape(1, 1)
                rec.numbers["dead"] = float(np.mean(np.all(units == 0, axis=0)))
        self._watch_grad(rec, output, "grad_activation", "grad_act")
        return None

    def _on_grad(self, rec: LayerRecord, key: str, prefix: str, histogram: bool, grad: np.ndarray) -> None:
        g = np.asarray(grad)
        rec.shapes[key] = g.shape
        std, norm = _std_norm(g)
        rec.numbers[prefix + "_std"], rec.numbers[prefix + "_norm"] = std, norm
        if histogram and g.size:
            lo, hi = float(g.min()), float(g.max())
            rec.histograms[key], rec.numbers[prefix + "_nonfinite"] = _histogram(g, self.hist_bins, None, (lo, hi))
        if self.keep_arrays:
            rec._arrays[key] = np.array(g, copy=True)
        return None  # never replace the gradient

    # ----------------------------------------------------------- results

    def stats(self, columns: str | Sequence[str] | None = None, lr: float | None = None) -> Table:
        """The per-layer statistics as a :class:`~tinygrad_init.table.Table`, one row per layer.

        Args:
            columns: None or ``"all"`` for every column, a group name
                (``"forward"``, ``"backward"``, ``"ratios"``, ``"update"``; see
                :data:`COLUMN_GROUPS`), or a list of column names (see :data:`COLUMNS`).
            lr: learning rate for the update ratios, overriding the probe's ``lr``.

        Returns:
            The table; raw float64 numbers, ``None`` where a value does not
            apply or was not measured. The notes state every definition.
        """
        if not self.records:
            state = "attached" if self.attached else "NOT attached (call probe.attach() or use `with`)"
            raise RuntimeError(f"Probe: nothing recorded yet. The probe is {state}; run a forward pass "
                               "model(x), then loss.backward() for the gradient columns, and ask again.")
        lr = self.lr if lr is None else self._check_lr(lr, "Probe.stats")
        cols = self._columns(columns)
        rows = self._rows(lr)
        notes = self._notes(lr, rows, cols)
        layers = [r for r in rows if r["kind"] != "activation"]
        title = f"Probe of {type(self.model).__name__}: {len(layers)} layer(s)"
        first = next(iter(self.records.values()))
        shape = first.shapes.get("pre_activation")
        if shape and len(shape) >= 2:
            title += f", batch {int(np.prod(shape[:-1]))}"
        return Table(cols, [[r.get(c) for c in cols] for r in rows], title=title, notes=notes)

    @property
    def table(self) -> Table:
        """``stats()`` with every column."""
        return self.stats()

    @staticmethod
    def _columns(columns: str | Sequence[str] | None) -> list[str]:
        if columns is None:
            return list(COLUMNS)
        if isinstance(columns, str):
            if columns not in COLUMN_GROUPS:
                raise ValueError(f"Probe.stats: unknown column group {columns!r}; choose one of "
                                 f"{', '.join(COLUMN_GROUPS)} or pass a list of columns")
            return list(COLUMN_GROUPS[columns])
        cols = list(columns)
        unknown = [c for c in cols if c not in COLUMNS]
        if unknown:
            raise ValueError(f"Probe.stats: unknown column(s) {unknown}; the columns are {', '.join(COLUMNS)}")
        return cols

    def _rows(self, lr: float | None) -> list[dict[str, Any]]:
        recs = sorted(self.records.values(), key=lambda r: r.order)
        rows = []
        for rec in recs:
            n = rec.numbers
            row: dict[str, Any] = {"layer": rec.name, "kind": rec.kind, "act": rec.activation_name}
            for c in COLUMNS[3:]:
                row[c] = n.get(c)
            if lr is not None and n.get("grad_w_norm") is not None and n.get("w_norm") is not None:
                row["update_ratio"] = _ratio(lr * n["grad_w_norm"], n["w_norm"])
                row["update_std_ratio"] = _ratio(lr * n["grad_w_std"], n["w_std"])
            else:
                row["update_ratio"] = row["update_std_ratio"] = None
            rows.append(row)
        for ratio, std in _RATIO_OF.items():
            for i, row in enumerate(rows):
                above = rows[i + 1][std] if i + 1 < len(rows) else None
                row[ratio] = None if row[std] is None or above is None else _ratio(row[std], above)
        return rows

    def _notes(self, lr: float | None, rows: list[dict[str, Any]], cols: list[str]) -> list[str]:
        notes = ["pre = the layer's output z; act = the output h of the activation module that takes z "
                 "('-': none). Means and stds over all batch x unit entries (population std)."]
        if "saturated" in cols or "dead" in cols:
            notes.append(f"saturated: fraction of entries with |tanh| > {TANH_SATURATION} or sigmoid within "
                         f"{SIGMOID_SATURATION} of 0 or 1; dead: fraction of ReLU units that are 0 for the "
                         "whole batch.")
        if any(c.startswith("grad") for c in cols):
            notes.append("grad_*: std and Frobenius norm of dL/dh (act), dL/dz (pre), dL/dW (w), dL/db (b); "
                         "grad_*_ratio = this row's grad std / the next row's (the layer above).")
        if "update_ratio" in cols or "update_std_ratio" in cols:
            if lr is None:
                notes.append("update ratios need a learning rate: Probe(model, lr=...) or probe.stats(lr=...).")
            else:
                notes.append(f"lr = {lr:g}; update_ratio = lr*||dW||/||W|| (CS231n notes, weights:updates, "
                             "~1e-3 healthy); update_std_ratio = std(lr*dW)/std(W) (Karpathy, makemore "
                             "part 3, ~1e-3).")
        missing_grad = [r["layer"] for r in rows if r["grad_pre_std"] is None]
        if missing_grad and any(c.startswith("grad") or c.startswith("update") for c in cols):
            notes.append("no gradient recorded for " + ", ".join(missing_grad)
                         + ": run loss.backward() with the probe attached.")
        if self.hist_range is not None:
            for rec in self.records.values():
                h = rec.histograms.get("activation")
                if h is None:
                    continue
                seen = int(np.prod(rec.shapes["activation"])) - int(rec.numbers.get("act_nonfinite", 0))
                outside = seen - int(h.counts.sum())
                if outside:
                    notes.append(f"{rec.name}: {outside} activation value(s) outside hist_range "
                                 f"{self.hist_range} are not in its histogram.")
        for rec in self.records.values():
            bad = {k[:-len("_nonfinite")]: int(v) for k, v in rec.numbers.items() if k.endswith("_nonfinite") and v}
            if bad:
                what = ", ".join(f"{v} in {k}" for k, v in bad.items())
                notes.append(f"WARNING {rec.name}: non-finite values (NaN/inf): {what}; histograms count the "
                             "finite ones only.")
        return notes

    def __repr__(self) -> str:
        state = "attached" if self.attached else "detached"
        return f"Probe({type(self.model).__name__}, {state}, {len(self.records)} record(s), lr={self.lr})"


def _ratio(a: float, b: float) -> float:
    """``a / b`` with float semantics (x/0 = inf, 0/0 = nan), never an exception."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / np.float64(b))


def probe_model(model: nn.Module, x: Any, loss_fn: Callable[[Tensor], Tensor] | None = None,
                upstream: Any = None, rng: np.random.Generator | int | None = None,
                columns: str | Sequence[str] | None = None, return_probe: bool = False,
                **probe_kwargs: Any) -> Table | tuple[Table, Probe]:
    """One forward and one backward pass of ``model`` on ``x``, measured layer by layer.

    The backward pass starts from ``loss_fn(model(x))`` if ``loss_fn`` is given,
    else from ``output.backward(upstream)`` with the given ``upstream`` gradient
    (shape of the output), else from a standard-normal upstream gradient drawn
    from ``rng`` -- non-uniform, so that every output unit gets a different
    gradient (a gradient of all ones hides mistakes).

    The model is left as it was: the parameters' ``.grad`` (and BatchNorm
    running statistics) are restored afterwards.

    Args:
        model: the module.
        x: the input batch (batch, features), a Tensor or an array.
        loss_fn: ``f(output) -> scalar Tensor``, e.g. ``lambda out: cross_entropy(out, y)``.
        upstream: dL/d(output) when there is no ``loss_fn``.
        rng: a Generator, seed or None, for the random upstream gradient.
        columns: which columns to return (see :meth:`Probe.stats`).
        return_probe: also return the :class:`Probe` (for its ``records``).
        **probe_kwargs: passed to :class:`Probe` (``lr``, ``hist_bins``, ``hist_range``, ``keep_arrays``).

    Returns:
        The statistics table (and the probe, if ``return_probe``).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"probe_model: expected an nn.Module, got {type(model).__name__}")
    if loss_fn is not None and upstream is not None:
        raise ValueError("probe_model: pass either loss_fn or upstream, not both")
    if loss_fn is not None and not callable(loss_fn):
        raise TypeError(f"probe_model: loss_fn must be a function of the model's output, got {loss_fn!r}")
    params = model.parameters()
    saved_grads = [p.grad for p in params]
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]
    saved_bn = [(m.running_mean, m.running_var) for m in bns]
    try:
        for p in params:
            p.grad = None
        with Probe(model, **probe_kwargs) as probe:
            out = model(x)
            if not isinstance(out, Tensor):
                raise TypeError(f"probe_model: the model returned {type(out).__name__}, expected a Tensor")
            if not out.requires_grad:
                raise RuntimeError("probe_model: the model's output does not require grad, so there is no "
                                   "backward pass to measure; are its parameters requires_grad=True, and is "
                                   "this call outside no_grad()?")
            if loss_fn is not None:
                loss = loss_fn(out)
                if not isinstance(loss, Tensor) or loss.data.size != 1:
                    shape = loss.shape if isinstance(loss, Tensor) else type(loss).__name__
                    raise ValueError(f"probe_model: loss_fn must return a one-element Tensor, got {shape}")
                loss.backward()
            else:
                if upstream is None:
                    g = as_rng(rng).standard_normal(out.shape).astype(out.dtype)
                else:
                    g = np.asarray(upstream.data if isinstance(upstream, Tensor) else upstream)
                    if g.shape != out.shape:
                        raise ValueError(f"probe_model: upstream has shape {g.shape} but the model's output "
                                         f"has shape {out.shape}; they must be equal")
                out.backward(g)
        table = probe.stats(columns)
    finally:
        for p, g in zip(params, saved_grads):
            p.grad = g
        for m, (mean, var) in zip(bns, saved_bn):
            m.running_mean, m.running_var = mean, var
    return (table, probe) if return_probe else table
