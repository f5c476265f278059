"""The lecture's initialization experiments: one call each, a table, a figure and the raw numbers.

=====================  ====================================================================
function               what it shows
=====================  ====================================================================
activation_statistics  CS231n's experiment: 10 layers of 500 units on a unit-gaussian batch
                       of 1000 x 500; per layer mean, std, saturated/dead fraction and
                       histogram, for every scheme x activation, beside the theory
gradient_statistics    the same networks backwards: std of dL/dh and dL/dW by layer from a
                       seeded standard-normal upstream gradient, beside the theory
symmetry               zero and constant init leave every hidden unit of a layer identical
                       after training; random init does not
training               a 2-10-5-1 ReLU net on ``circles`` from zeros, 10*randn and He
                       (deeplearning.ai's "Initialization" assignment, in miniature)
depth                  a 30-layer ReLU net: Xavier stalls, He trains (He et al. 2015, Fig. 3,
                       in miniature)
batch_norm             BatchNorm1d after every Linear keeps the bad schemes healthy
=====================  ====================================================================

Each returns an :class:`ExperimentResult`: ``.table`` (a :class:`~tinygrad_init.table.Table`),
``.figure`` (a matplotlib ``Figure``, drawn on first use with the Agg backend, no display
needed), ``.tables`` and ``.figures`` for the extra ones, ``.findings`` (the result in
words, computed from the numbers) and ``.to_dict()`` (every number, JSON-ready).

Every function takes ``rng`` (a ``np.random.Generator``, an int seed, or None; default 0 so
that a lecture shows the same numbers every time) and ``quick`` (smaller sizes, for tests
and a first look). The same seed gives the same numbers, bit for bit.

**Schemes.** The default sweep uses ``zeros``, ``small`` (0.01 randn), ``large``
(1.0 randn), ``cs231n`` -- the CS231n slides' "Xavier", ``randn(fan_in, fan_out) /
sqrt(fan_in)`` -- and ``he_normal``. For the square 500 x 500 layers, Glorot's normalized
"Xavier" (``xavier_uniform``, variance ``2/(fan_in + fan_out)``) has the same variance
``1/500``; add it with ``schemes=(..., "xavier_uniform")``.

**A controlled comparison.** In :func:`run_sweep` every network is built from one weight
seed, so the normal schemes (small, large, cs231n, he_normal) use the *same* standard
normal draws ``Z_l`` and differ only in their scale: ``W_l = s * Z_l``. All of them see
the same input batch and the same upstream gradient. Differences between rows are the
scale's doing, not the luck of the draw.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import sys
import time
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from ..nn import data as _data
from ..nn import init as _init
from .. import nn
from ..nn.losses import binary_cross_entropy_with_logits
from ..nn.optim import SGD
from .probe import Probe
from .table import Table, format_number
from ..core.tensor import Tensor, no_grad
from .theory import TheoryResult, predict
from ..utils import as_rng

__all__ = [
    "SCHEMES", "ACTIVATIONS", "SCHEME_LABELS", "ExperimentResult", "Run", "Sweep", "Progress",
    "deep_mlp", "run_one", "run_sweep", "sweep_table", "distinct_units", "theory_vs_measurement",
    "activation_statistics", "gradient_statistics", "symmetry", "training", "depth", "batch_norm",
    "EXPERIMENTS", "run_all",
]

#: The schemes of the default sweep, in the order the figures show them.
SCHEMES: tuple[str, ...] = ("zeros", "small", "large", "cs231n", "he_normal")
#: The activations of the default sweep.
ACTIVATIONS: tuple[str, ...] = ("tanh", "sigmoid", "relu")

#: How figures and tables name each scheme (the formula in a few characters).
SCHEME_LABELS: dict[str, str] = {
    "zeros": "zeros",
    "constant": "constant 0.5",
    "small": "small 0.01*randn",
    "large": "large 1.0*randn",
    "large10": "large 10*randn",
    "cs231n": "Xavier (CS231n) randn/sqrt(fan_in)",
    "xavier_uniform": "Xavier (Glorot) U(+-sqrt(6/(fan_in+fan_out)))",
    "xavier_normal": "Xavier (Glorot) N(0, 2/(fan_in+fan_out))",
    "lecun_normal": "LeCun N(0, 1/fan_in)",
    "he_normal": "He randn*sqrt(2/fan_in)",
    "he_uniform": "He U(+-sqrt(6/fan_in))",
    "orthogonal": "orthogonal",
}

#: Histogram ranges shared by all layers, for the bounded activations.
_HIST_RANGE: dict[str, tuple[float, float] | None] = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": None}

_QUICK_SIZES = {"depth": 10, "width": 100, "batch": 200}
_FULL_SIZES = {"depth": 10, "width": 500, "batch": 1000}


def _label(scheme: str) -> str:
    return SCHEME_LABELS.get(scheme, scheme)


# ------------------------------------------------------------------ argument checks


def _positive_int(fn: str, name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{fn}: {name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _positive_float(fn: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)) \
            or float(value) <= 0:
        raise ValueError(f"{fn}: {name} must be a positive number, got {value!r}")
    return float(value)


def _activation(fn: str, name: Any) -> str:
    key = str(name).strip().lower() if isinstance(name, str) else name
    if key not in ACTIVATIONS:
        raise ValueError(f"{fn}: unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return key


def _names(fn: str, what: str, values: Any, check: Callable[[str, Any], str]) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    try:
        out = tuple(check(fn, v) for v in values)
    except TypeError:
        raise TypeError(f"{fn}: {what} must be a list of names, got {values!r}") from None
    if not out:
        raise ValueError(f"{fn}: {what} is empty; give at least one name")
    if len(set(out)) != len(out):
        raise ValueError(f"{fn}: {what} lists a name twice: {list(out)}")
    return out


def _scheme(fn: str, name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{fn}: a scheme must be a name such as 'he_normal', got {name!r}")
    try:
        scheme = _init.get(name)
    except ValueError as e:
        raise ValueError(f"{fn}: {e}") from None
    if getattr(scheme, "data_dependent", False):
        raise ValueError(f"{fn}: {name!r} is data-dependent (it needs a built model and a batch); the sweep "
                         "draws weights from their shape alone. Use init.lsuv(model, batch) on a model instead.")
    return name


# ------------------------------------------------------------------ progress


class Progress:
    """A progress bar on stderr: tqdm when it is installed, else one line per step.

    Args:
        total: the number of steps.
        desc: what is being done (shown before the count).
        enabled: False makes every method a no-op (the library default: silent).
    """

    def __init__(self, total: int, desc: str, enabled: bool = True) -> None:
        self.total, self.desc, self.enabled = int(total), desc, bool(enabled)
        self.count = 0
        self._bar = None
        self._start = time.perf_counter()
        if not self.enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            print(f"{desc}: 0/{self.total}", file=sys.stderr, flush=True)
        else:
            self._bar = tqdm(total=self.total, desc=desc, file=sys.stderr, leave=True, dynamic_ncols=True,
                             bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| {elapsed} {postfix}")

    def step(self, label: str = "") -> None:
        """One step done; ``label`` says which."""
        self.count += 1
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.set_postfix_str(label, refresh=False)
            self._bar.update(1)
        else:
            print(f"{self.desc}: {self.count}/{self.total} {label}".rstrip(), file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled and self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _progress(progress: "bool | Progress", total: int, desc: str) -> Progress:
    if isinstance(progress, Progress):
        return progress
    return Progress(total, desc, enabled=bool(progress))


# ------------------------------------------------------------------ BLAS threads


@contextlib.contextmanager
def _blas_single_thread() -> Iterator[None]:
    """Run BLAS on one thread inside this block (the numbers do not change).

    The small networks of the training experiments multiply matrices of a few dozen rows
    and columns thousands of times; there BLAS threads cost more than they save, and on a
    machine whose cores are busy with other work far more (a 30-layer net took 60 s instead
    of 3 s). Uses ``threadpoolctl`` (a dependency of the package); if it cannot be imported
    the block runs with the threads BLAS already has.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with the package
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# ------------------------------------------------------------------ JSON helpers


def _plain(x: Any) -> Any:
    """Numbers, arrays, tuples and dicts as plain JSON-ready Python (non-finite floats as strings)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_plain(v) for v in x.tolist()]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real):
        v = float(x)
        if math.isfinite(v):
            return v
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(x, Table):
        return _plain(x.to_dict())
    return x


# ------------------------------------------------------------------ the result


class ExperimentResult:
    """What one experiment found: tables, figures (drawn on first use), raw data and findings.

    Attributes:
        name: a short identifier (``"activations"``), used for file names.
        title: a heading for a slide or report.
        question: what the experiment asks, in one sentence.
        table: the main :class:`Table`.
        tables: all tables by name (``"main"`` is :attr:`table`).
        data: the raw numbers, JSON-ready (plain lists, floats, strings).
        settings: the sizes, seed and hyper-parameters that produced them.
        findings: the result in sentences, computed from the numbers.

    ``figure`` is the main figure; ``figures`` draws and returns all of them by name;
    ``figure_names`` lists the names without drawing. Figures are ``matplotlib.figure.Figure``
    objects (no pyplot, no display); save them with :func:`tinygrad_init.plots.save_figure`.
    """

    def __init__(self, name: str, title: str, question: str, tables: Mapping[str, Table],
                 data: Mapping[str, Any], settings: Mapping[str, Any], findings: Sequence[str],
                 figures: Mapping[str, Callable[[], Any]]) -> None:
        if "main" not in tables:
            raise ValueError("ExperimentResult: tables must include 'main'")
        self.name, self.title, self.question = name, title, question
        self.tables: dict[str, Table] = dict(tables)
        self.data: dict[str, Any] = _plain(dict(data))
        self.settings: dict[str, Any] = _plain(dict(settings))
        self.findings: list[str] = list(findings)
        self._makers: dict[str, Callable[[], Any]] = dict(figures)
        self._figures: dict[str, Any] = {}

    @property
    def table(self) -> Table:
        return self.tables["main"]

    @property
    def figure_names(self) -> list[str]:
        """The names of the figures, main figure first (nothing is drawn)."""
        return list(self._makers)

    def get_figure(self, name: str) -> Any:
        """The figure called ``name``, drawn on first use and kept."""
        if name not in self._makers:
            raise KeyError(f"{self.name}: no figure {name!r}; the figures are {', '.join(self._makers)}")
        if name not in self._figures:
            self._figures[name] = self._makers[name]()
        return self._figures[name]

    @property
    def figure(self) -> Any:
        """The main figure (a ``matplotlib.figure.Figure``)."""
        return self.get_figure(self.figure_names[0])

    @property
    def figures(self) -> dict[str, Any]:
        """Every figure by name (draws those not drawn yet)."""
        return {n: self.get_figure(n) for n in self._makers}

    def to_dict(self) -> dict[str, Any]:
        """Every number: ``name, title, question, settings, findings, tables, data`` (JSON-ready)."""
        return {"name": self.name, "title": self.title, "question": self.question, "settings": self.settings,
                "findings": list(self.findings),
                "tables": {k: _plain(t.to_dict()) for k, t in self.tables.items()}, "data": self.data}

    def __repr__(self) -> str:
        return (f"ExperimentResult({self.name!r}: {self.title}; tables {', '.join(self.tables)}; "
                f"figures {', '.join(self._makers)})")

    def __str__(self) -> str:
        lines = [self.title, "=" * len(self.title), self.question, ""]
        lines += [f"- {f}" for f in self.findings]
        return "\n".join(lines) + "\n\n" + str(self.table)

    def _repr_html_(self) -> str:
        import html as _html
        items = "".join(f"<li>{_html.escape(f)}</li>" for f in self.findings)
        return (f"<h3>{_html.escape(self.title)}</h3><p>{_html.escape(self.question)}</p><ul>{items}</ul>"
                + self.table.to_html())


# ------------------------------------------------------------------ deep networks and sweeps


def deep_mlp(depth: int, width: int, activation: str, init: str | Callable = "cs231n",
             rng: np.random.Generator | int | None = None, batchnorm: bool = False, bias: bool = False,
             input_width: int | None = None, dtype: Any = np.float32) -> nn.Sequential:
    """``depth`` blocks ``Linear(width, width) -> [BatchNorm1d] -> activation``, as in CS231n.

    Shapes: input ``(batch, input_width)`` (default ``width``), every block's output
    ``(batch, width)``. Module paths: without batch norm the ``l``-th Linear (0-based) is
    ``str(2 l)`` and its activation ``str(2 l + 1)``; with it ``str(3 l)``, ``str(3 l + 1)``
    (the BatchNorm1d) and ``str(3 l + 2)``.

    Args:
        depth: number of blocks (>= 1).
        width: units per layer.
        activation: "tanh", "sigmoid" or "relu".
        init: the weight scheme (a name for :func:`tinygrad_init.init.get` or a function).
        rng: a Generator, seed or None; the layers draw from it in order.
        batchnorm: put ``nn.BatchNorm1d(width)`` between each Linear and its activation.
        bias: give the Linear layers (zero) biases; CS231n's experiment has none.
        input_width: the input features (default ``width``).
        dtype: the parameters' dtype.
    """
    fn = "deep_mlp"
    depth = _positive_int(fn, "depth", depth)
    width = _positive_int(fn, "width", width)
    act = _activation(fn, activation)
    n_in = width if input_width is None else _positive_int(fn, "input_width", input_width)
    gen = as_rng(rng)
    mods: list[nn.Module] = []
    for l in range(depth):
        mods.append(nn.Linear(n_in if l == 0 else width, width, bias=bias, init=init, rng=gen, dtype=dtype))
        if batchnorm:
            mods.append(nn.BatchNorm1d(width, dtype=dtype))
        mods.append(nn.ACTIVATIONS[act]())
    return nn.Sequential(*mods)


#: The per-layer numbers a :class:`Run` keeps, with their meaning (for tables' notes).
LAYER_FIELDS: dict[str, str] = {
    "linear_std": "std of the Linear's output x @ W (before batch norm, if any)",
    "pre_mean": "mean of the activation's input z",
    "pre_std": "std of the activation's input z",
    "act_mean": "mean of the activation h = f(z)",
    "act_std": "std of h",
    "act_min": "min of h",
    "act_max": "max of h",
    "saturated": "fraction of entries with |tanh| > 0.99, or sigmoid within 0.01 of 0 or 1",
    "dead": "fraction of ReLU units that are 0 for the whole batch",
    "grad_act_std": "std of dL/dh",
    "grad_pre_std": "std of dL/dz",
    "grad_w_std": "std of dL/dW (summed over the batch)",
    "grad_w_norm": "Frobenius norm of dL/dW",
    "w_std": "std of W",
}

#: Measured field -> the theory's array of the same quantity.
_THEORY_OF = {"pre_std": "pre_std", "act_mean": "act_mean", "act_std": "act_std", "saturated": "saturated",
              "grad_act_std": "grad_act_std", "grad_pre_std": "grad_pre_std", "grad_w_std": "grad_weight_std"}


class Run:
    """One network of a sweep, measured layer by layer (and, without batch norm, predicted).

    Attributes:
        scheme, activation: what was run.
        batchnorm: whether BatchNorm1d followed each Linear.
        layers: one dict per layer (input to output) with the keys of :data:`LAYER_FIELDS`
            (``None`` where a number does not apply) and ``"<field>_theory"`` for the
            predicted ones (``None`` with batch norm, which the theory does not model).
        histograms: per layer ``(counts, edges)`` of the activation ``h``.
        theory: the :class:`~tinygrad_init.theory.TheoryResult`, or None.
    """

    def __init__(self, scheme: str, activation: str, batchnorm: bool, layers: list[dict[str, Any]],
                 histograms: list[tuple[np.ndarray, np.ndarray]], theory: TheoryResult | None,
                 settings: Mapping[str, Any]) -> None:
        self.scheme, self.activation, self.batchnorm = scheme, activation, batchnorm
        self.layers, self.histograms, self.theory = layers, histograms, theory
        self.settings = dict(settings)

    @property
    def depth(self) -> int:
        return len(self.layers)

    def values(self, key: str) -> np.ndarray:
        """One field for every layer, as a float array (``None`` -> NaN)."""
        return np.array([np.nan if r.get(key) is None else float(r[key]) for r in self.layers])

    def table(self, columns: Sequence[str] | None = None) -> Table:
        """The per-layer table: measured numbers with the theory's prediction beside them."""
        if columns is None:
            sat = "dead" if self.activation == "relu" else "saturated"
            columns = ["layer", "pre_std", "pre_std_theory", "act_mean", "act_mean_theory", "act_std",
                       "act_std_theory", sat] + ([] if sat == "dead" else ["saturated_theory"]) + \
                      ["grad_act_std", "grad_act_std_theory", "grad_w_std", "grad_w_std_theory"]
            if self.batchnorm:
                columns = [c for c in columns if not c.endswith("_theory")]
                columns.insert(1, "linear_std")
        rows = [[r.get(c) for c in columns] for r in self.layers]
        s = self.settings
        title = (f"{_label(self.scheme)}, {self.activation}{', batch norm' if self.batchnorm else ''}: "
                 f"{s['depth']} layers x {s['width']} units, batch {s['batch']}, seed {s['seed']}")
        notes = [f"{k}: {LAYER_FIELDS[k]}" for k in columns if k in LAYER_FIELDS]
        if any(c.endswith("_theory") for c in columns):
            notes.append("*_theory: the mean-field prediction from the init and the activation alone "
                         "(tinygrad_init.theory.predict); upstream dL/dh at the top ~ N(0, 1)")
        return Table(columns, rows, title=title, notes=notes)

    def to_dict(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "activation": self.activation, "batchnorm": self.batchnorm,
                "layers": _plain(self.layers),
                "histograms": [{"counts": c.tolist(), "edges": e.tolist()} for c, e in self.histograms]}


def _rows_of_run(probe: Probe, depth: int, batchnorm: bool, activation: str) -> tuple[list[dict], list]:
    recs = probe.records
    layers, hists = [], []
    step = 3 if batchnorm else 2
    for l in range(depth):
        lin = recs[str(step * l)]
        act_rec = recs[str(step * l + 1)] if batchnorm else lin
        n, a = lin.numbers, act_rec.numbers
        row: dict[str, Any] = {"layer": l + 1, "linear_std": n.get("pre_std")}
        for key in ("pre_mean", "pre_std", "act_mean", "act_std", "act_min", "act_max", "grad_act_std",
                    "grad_pre_std"):
            row[key] = a.get(key)
        row["saturated"] = a.get("saturated") if activation != "relu" else None
        row["dead"] = a.get("dead") if activation == "relu" else None
        row["grad_w_std"], row["grad_w_norm"], row["w_std"] = n.get("grad_w_std"), n.get("grad_w_norm"), n.get("w_std")
        layers.append(row)
        h = act_rec.histogram("activation")
        hists.append((np.asarray(h.counts), np.asarray(h.edges)))
    return layers, hists


def _add_theory(layers: list[dict[str, Any]], theory: TheoryResult | None) -> None:
    for i, row in enumerate(layers):
        for key, attr in _THEORY_OF.items():
            if theory is None:
                row[key + "_theory"] = None
            elif key == "saturated" and row["saturated"] is None:
                row[key + "_theory"] = None
            else:
                row[key + "_theory"] = float(getattr(theory, attr)[i])


def _sizes(fn: str, quick: bool, depth: int | None, width: int | None, batch: int | None) -> dict[str, int]:
    base = _QUICK_SIZES if quick else _FULL_SIZES
    return {"depth": _positive_int(fn, "depth", base["depth"] if depth is None else depth),
            "width": _positive_int(fn, "width", base["width"] if width is None else width),
            "batch": _positive_int(fn, "batch", base["batch"] if batch is None else batch,
                                   minimum=2)}


def _measure(scheme: str, activation: str, X: np.ndarray, G: np.ndarray, weight_seed: int, depth: int,
             bins: int, batchnorm: bool) -> tuple[list[dict], list]:
    width = X.shape[1]
    model = deep_mlp(depth, width, activation, init=scheme, rng=np.random.default_rng(weight_seed),
                     batchnorm=batchnorm)
    with Probe(model, hist_bins=bins, hist_range=_HIST_RANGE[activation]) as probe:
        out = model(Tensor(X))
        out.backward(G)
    return _rows_of_run(probe, depth, batchnorm, activation)


def _theory(scheme: str, activation: str, sizes: Mapping[str, int]) -> TheoryResult:
    return predict([sizes["width"]] * (sizes["depth"] + 1), activation, scheme, input_std=1.0,
                   grad_std_top=1.0, batch_size=sizes["batch"])


class Sweep:
    """Every scheme x activation of :func:`run_sweep`.

    Attributes:
        settings: depth, width, batch, seed, bins, batchnorm, schemes, activations.
        runs: ``{(scheme, activation): Run}``, in sweep order.
    """

    def __init__(self, settings: Mapping[str, Any], runs: Mapping[tuple[str, str], Run]) -> None:
        self.settings = dict(settings)
        self.runs = dict(runs)

    def run(self, scheme: str, activation: str) -> Run:
        """The run of one scheme and activation."""
        key = (scheme, activation)
        if key not in self.runs:
            have = ", ".join(f"{s}/{a}" for s, a in self.runs)
            raise KeyError(f"Sweep: no run of scheme {scheme!r} with activation {activation!r}; it holds {have}")
        return self.runs[key]

    @property
    def schemes(self) -> list[str]:
        return list(dict.fromkeys(s for s, _ in self.runs))

    @property
    def activations(self) -> list[str]:
        return list(dict.fromkeys(a for _, a in self.runs))

    def table(self, columns: Sequence[str], title: str, notes: Sequence[str] = (),
              schemes: Sequence[str] | None = None, activations: Sequence[str] | None = None) -> Table:
        """One row per (scheme, activation, layer) with the given per-layer columns."""
        rows = []
        for (s, a), run in self.runs.items():
            if (schemes is not None and s not in schemes) or (activations is not None and a not in activations):
                continue
            for r in run.layers:
                rows.append([s, a] + [r.get(c) for c in columns])
        return Table(["scheme", "activation"] + list(columns), rows, title=title, notes=list(notes))

    def covers(self, schemes: Sequence[str], activations: Sequence[str], batchnorm: bool = False) -> bool:
        return bool(self.settings.get("batchnorm", False)) == batchnorm and \
            all((s, a) in self.runs for s in schemes for a in activations)

    def to_dict(self) -> dict[str, Any]:
        return {"settings": _plain(self.settings), "runs": [r.to_dict() for r in self.runs.values()]}


def run_sweep(schemes: Sequence[str] = SCHEMES, activations: Sequence[str] = ACTIVATIONS, *,
              depth: int | None = None, width: int | None = None, batch: int | None = None,
              rng: np.random.Generator | int | None = 0, quick: bool = False, bins: int = 50,
              batchnorm: bool = False, progress: "bool | Progress" = False) -> Sweep:
    """Forward, backward and probe every scheme x activation on one deep network shape.

    The CS231n set-up (lecture 6, "Training Neural Networks I"): ``depth`` layers
    ``h_l = f(h_{l-1} @ W_l)`` of ``width`` units without biases, an input batch
    ``X ~ N(0, 1)`` of shape ``(batch, width)``; then one backward pass from a seeded
    standard-normal upstream gradient ``G = dL/dh_depth`` of the same shape (non-uniform,
    so that every unit gets a different gradient).

    Draws, in this order from ``rng``: ``X``, ``G``, then one weight seed. Every network
    is built from that weight seed (see the module docstring), so runs are comparable and
    a run's numbers do not depend on which other runs are in the sweep.

    Args:
        schemes: weight schemes (names for :func:`tinygrad_init.init.get`).
        activations: "tanh", "sigmoid", "relu".
        depth, width, batch: sizes (default 10 x 500, batch 1000; ``quick``: 10 x 100, batch 200).
        rng: a Generator, seed or None.
        quick: smaller default sizes.
        bins: histogram bins per layer (tanh over [-1, 1], sigmoid over [0, 1], relu over
            each layer's own [min, max]).
        batchnorm: a BatchNorm1d (training mode, batch statistics) after each Linear.
        progress: show a progress bar on stderr (or pass a :class:`Progress`).

    Returns:
        A :class:`Sweep`; each run carries the theory's prediction unless ``batchnorm``.
    """
    fn = "run_sweep"
    schemes = _names(fn, "schemes", schemes, _scheme)
    activations = _names(fn, "activations", activations, _activation)
    sizes = _sizes(fn, quick, depth, width, batch)
    bins = _positive_int(fn, "bins", bins)
    gen = as_rng(rng)
    seed_text = rng if isinstance(rng, numbers.Integral) else None
    X = gen.standard_normal((sizes["batch"], sizes["width"])).astype(np.float32)
    G = gen.standard_normal((sizes["batch"], sizes["width"])).astype(np.float32)
    weight_seed = int(gen.integers(0, 2**63 - 1))
    settings = {**sizes, "seed": seed_text, "bins": bins, "batchnorm": bool(batchnorm),
                "schemes": list(schemes), "activations": list(activations), "dtype": "float32",
                "input": "X ~ N(0, 1), shape (batch, width)", "upstream": "dL/dh_top ~ N(0, 1), seeded"}
    runs: dict[tuple[str, str], Run] = {}
    bar = _progress(progress, len(schemes) * len(activations), "sweep" + (" (batch norm)" if batchnorm else ""))
    try:
        for a in activations:
            for s in schemes:
                layers, hists = _measure(s, a, X, G, weight_seed, sizes["depth"], bins, batchnorm)
                theory = None if batchnorm else _theory(s, a, sizes)
                _add_theory(layers, theory)
                runs[(s, a)] = Run(s, a, bool(batchnorm), layers, hists, theory, settings)
                bar.step(f"{s}/{a}")
    finally:
        if not isinstance(progress, Progress):
            bar.close()
    ordered = {(s, a): runs[(s, a)] for s in schemes for a in activations}
    return Sweep(settings, ordered)


def run_one(init: str, activation: str, depth: int = 10, width: int = 500, batch: int = 1000,
            rng: np.random.Generator | int | None = 0, bins: int = 50, batchnorm: bool = False) -> Run:
    """One network of the sweep (the same numbers as in :func:`run_sweep` for the same seed and sizes)."""
    return run_sweep((init,), (activation,), depth=depth, width=width, batch=batch, rng=rng, bins=bins,
                     batchnorm=batchnorm).run(init, activation)


def sweep_table(init: str, activation: str, depth: int = 10, width: int = 500, batch: int = 1000,
                rng: np.random.Generator | int | None = 0, batchnorm: bool = False) -> Table:
    """The per-layer table of one network (probe and theory columns side by side); what
    ``tinygrad-init sweep`` prints."""
    return run_one(init, activation, depth, width, batch, rng=rng, batchnorm=batchnorm).table()


def _get_sweep(fn: str, sweep: Sweep | None, schemes: Sequence[str], activations: Sequence[str], rng: Any,
               quick: bool, progress: Any, batchnorm: bool = False, **sizes: Any) -> Sweep:
    unknown = sorted(set(sizes) - {"depth", "width", "batch", "bins"})
    if unknown:
        raise TypeError(f"{fn}: unknown keyword argument(s) {', '.join(unknown)}; the sizes it accepts are "
                        "depth, width, batch and bins")
    if sweep is not None:
        if sizes:
            raise ValueError(f"{fn}: pass either sweep= (already computed) or sizes ({', '.join(sorted(sizes))}), "
                             "not both: a given sweep has its own sizes")
        if not isinstance(sweep, Sweep):
            raise TypeError(f"{fn}: sweep must be a Sweep from run_sweep(), got {type(sweep).__name__}")
        if not sweep.covers(schemes, activations, batchnorm):
            raise ValueError(f"{fn}: the given sweep does not hold every run asked for (schemes "
                             f"{list(schemes)}, activations {list(activations)}, batchnorm={batchnorm}); it has "
                             f"{[f'{s}/{a}' for s, a in sweep.runs]} with batchnorm={sweep.settings.get('batchnorm')}")
        return sweep
    return run_sweep(schemes, activations, rng=rng, quick=quick, progress=progress, batchnorm=batchnorm, **sizes)


def _ratio_text(a: float, b: float) -> str:
    if b == 0 or not math.isfinite(a) or not math.isfinite(b):
        return "-"
    return format_number(a / b)


# ------------------------------------------------------------------ 1. activation statistics


def activation_statistics(rng: np.random.Generator | int | None = 0, quick: bool = False, *,
                          schemes: Sequence[str] = SCHEMES, activations: Sequence[str] = ACTIVATIONS,
                          sweep: Sweep | None = None, progress: "bool | Progress" = False,
                          **sizes: Any) -> ExperimentResult:
    """Per-layer activation statistics for every scheme x activation (CS231n, lecture 6).

    Ten layers of 500 units, no biases, an input of 1000 x 500 unit gaussians
    (``quick``: 100 units, batch 200). Per layer: mean and std of ``h_l``, the saturated
    fraction (tanh, sigmoid), the dead-unit fraction (ReLU), a histogram, and the
    mean-field prediction of the std and the saturation (:func:`tinygrad_init.theory.predict`).

    What to expect (CS231n): with ``0.01 randn`` and tanh the std shrinks by about
    ``0.01 sqrt(500) = 0.224`` per layer (0.213, 0.0476, 0.0106, ...) and the activations
    collapse to 0; with ``1.0 randn`` almost every tanh unit saturates at -1 or +1;
    Xavier keeps tanh healthy; He keeps ReLU's std constant (``sqrt(1 - 1/pi) = 0.826``).

    Args:
        rng: a Generator, seed or None.
        quick: smaller sizes.
        schemes, activations: what to sweep.
        sweep: a :class:`Sweep` already computed (for example shared with
            :func:`gradient_statistics`); it must hold every requested run.
        progress: a progress bar on stderr.
        **sizes: ``depth``, ``width``, ``batch`` overrides.

    Returns:
        An :class:`ExperimentResult` with tables ``main`` (every layer) and ``summary``
        (first and last layer), figures ``std`` (measured beside predicted) and
        ``hist_<activation>`` (a row per scheme, a column per layer).
    """
    fn = "activation_statistics"
    schemes = _names(fn, "schemes", schemes, _scheme)
    activations = _names(fn, "activations", activations, _activation)
    sw = _get_sweep(fn, sweep, schemes, activations, rng, quick, progress, **sizes)
    s = sw.settings
    cols = ["layer", "act_mean", "act_mean_theory", "act_std", "act_std_theory", "saturated", "saturated_theory",
            "dead", "pre_std", "pre_std_theory"]
    notes = [f"{k}: {LAYER_FIELDS[k]}" for k in ("act_mean", "act_std", "saturated", "dead", "pre_std")]
    notes.append("*_theory: mean-field prediction from the init and the activation alone (theory.predict)")
    main = sw.table(cols, f"Activation statistics: {s['depth']} layers x {s['width']} units, batch {s['batch']}, "
                    "no bias, X ~ N(0, 1)", notes, schemes, activations)
    summary_rows, findings = [], []
    L = s["depth"]
    for a in activations:
        for sc in schemes:
            run = sw.run(sc, a)
            first, last = run.layers[0], run.layers[-1]
            frac = last["dead"] if a == "relu" else last["saturated"]
            summary_rows.append([sc, a, first["act_std"], last["act_std"], last["act_std_theory"],
                                 last["act_std"] / first["act_std"] if first["act_std"] else None, frac])
    summary = Table(["scheme", "activation", "std_layer_1", f"std_layer_{L}", f"std_layer_{L}_theory",
                     "last_over_first", "saturated_or_dead_last"], summary_rows,
                    title=f"Activation std at the first and the last of {L} layers",
                    notes=["saturated_or_dead_last: saturated fraction (tanh, sigmoid) or dead-unit fraction "
                           f"(ReLU) at layer {L}"])
    findings += _activation_findings(sw, schemes, activations)

    def std_figure():
        from . import plots
        measured = {a: {_label(sc): sw.run(sc, a).values("act_std") for sc in schemes if sc != "zeros"}
                    for a in activations}
        theory = {a: {_label(sc): sw.run(sc, a).values("act_std_theory") for sc in schemes if sc != "zeros"}
                  for a in activations}
        note = "zeros: std 0 at every layer (not drawn on the log axis)" if "zeros" in schemes else None
        return plots.layer_curves(measured, theory, ylabel="std of activations h", log=True,
                                  title="Activation std by layer: measured (solid) vs theory (dashed)",
                                  note=note, colors=_colors(schemes))

    def hist_figure(a: str):
        def make():
            from . import plots
            hists = {_label(sc): sw.run(sc, a).histograms for sc in schemes}
            notes_ = {_label(sc): [f"std {format_number(v)}" for v in sw.run(sc, a).values("act_std")]
                      for sc in schemes}
            shared = _HIST_RANGE[a] is not None
            sub = "" if shared else " (each panel its own x range, shown below it)"
            return plots.histogram_grid(hists, title=f"{a}: activation histograms by layer{sub}",
                                        col_labels=[f"layer {l + 1}" for l in range(s["depth"])],
                                        annotations=notes_, shared_x=shared,
                                        colors=[_colors(schemes)[_label(sc)] for sc in schemes])
        return make

    figs: dict[str, Callable[[], Any]] = {"std": std_figure}
    for a in activations:
        figs[f"hist_{a}"] = hist_figure(a)
    return ExperimentResult(
        "activations", "1. Activation statistics layer by layer",
        f"How do the activations of a {L}-layer, {s['width']}-unit network look at initialization, for each "
        "scheme and activation, and does the mean-field theory predict them?",
        {"main": main, "summary": summary}, {"sweep": sw.to_dict()}, s, findings, figs)


def _colors(schemes: Sequence[str]) -> dict[str, str]:
    from . import plots
    return {_label(sc): plots.scheme_color(sc) for sc in schemes}


def _activation_findings(sw: Sweep, schemes: Sequence[str], activations: Sequence[str]) -> list[str]:
    out = []
    L = sw.settings["depth"]
    for a in activations:
        for sc in schemes:
            run = sw.run(sc, a)
            std = run.values("act_std")
            th = run.values("act_std_theory")
            if sc == "zeros":
                const = {"tanh": "0", "sigmoid": "0.5", "relu": "0"}[a]
                out.append(f"{a}, zeros: every unit outputs {const}; std {format_number(std[-1])} at every layer.")
                continue
            text = (f"{a}, {_label(sc)}: std {format_number(std[0])} at layer 1 -> {format_number(std[-1])} at "
                    f"layer {L} (theory {format_number(th[-1])})")
            if a == "relu":
                dead = run.values("dead")
                text += f"; dead units at layer {L}: {format_number(dead[-1])}"
            else:
                sat = run.values("saturated")
                text += f"; saturated at layer {L}: {format_number(sat[-1])}"
            out.append(text + ".")
    return out


# ------------------------------------------------------------------ 2. gradient statistics


def gradient_statistics(rng: np.random.Generator | int | None = 0, quick: bool = False, *,
                        schemes: Sequence[str] = SCHEMES, activations: Sequence[str] = ACTIVATIONS,
                        sweep: Sweep | None = None, progress: "bool | Progress" = False,
                        **sizes: Any) -> ExperimentResult:
    """Gradient magnitude by layer on the grid of :func:`activation_statistics`.

    One backward pass from a seeded standard-normal ``dL/dh_L`` (shape ``(batch, width)``).
    Per layer: std of ``dL/dh_l`` and of ``dL/dW_l = h_{l-1}.T @ (f'(z_l) * dL/dh_l)``
    (summed over the batch), each beside the theory's prediction

        Var(dL/dz_l)     = E[f'(z_l)^2] Var(dL/dh_l)
        Var(dL/dh_{l-1}) = fan_out Var(W) Var(dL/dz_l)
        Var(dL/dW_l)     = batch E[h_{l-1}^2] Var(dL/dz_l).

    Args: as :func:`activation_statistics`.

    Returns:
        An :class:`ExperimentResult`: table ``main`` (every layer, measured / theory
        ratios), figure ``gradients`` (two rows: dL/dh and dL/dW, log axis).
    """
    fn = "gradient_statistics"
    schemes = _names(fn, "schemes", schemes, _scheme)
    activations = _names(fn, "activations", activations, _activation)
    sw = _get_sweep(fn, sweep, schemes, activations, rng, quick, progress, **sizes)
    s = sw.settings
    rows = []
    for (sc, a), run in sw.runs.items():
        if sc not in schemes or a not in activations:
            continue
        for r in run.layers:
            rows.append([sc, a, r["layer"], r["grad_act_std"], r["grad_act_std_theory"],
                         _safe_ratio(r["grad_act_std"], r["grad_act_std_theory"]), r["grad_pre_std"],
                         r["grad_pre_std_theory"], r["grad_w_std"], r["grad_w_std_theory"],
                         _safe_ratio(r["grad_w_std"], r["grad_w_std_theory"])])
    main = Table(["scheme", "activation", "layer", "grad_act_std", "grad_act_std_theory", "grad_act_ratio",
                  "grad_pre_std", "grad_pre_std_theory", "grad_w_std", "grad_w_std_theory", "grad_w_ratio"], rows,
                 title=f"Gradient statistics: {s['depth']} layers x {s['width']} units, batch {s['batch']}, "
                       "upstream dL/dh_top ~ N(0, 1)",
                 notes=["grad_act_std: std of dL/dh_l; grad_pre_std: std of dL/dz_l; grad_w_std: std of dL/dW_l "
                        "(summed over the batch)",
                        "*_theory: mean-field prediction; *_ratio = measured / theory (1 = the theory is right; "
                        "'-' where the theory predicts 0)"])
    findings = []
    for a in activations:
        for sc in schemes:
            run = sw.run(sc, a)
            g = run.values("grad_w_std")
            if sc == "zeros":
                findings.append(f"{a}, zeros: dL/dW has std {format_number(g[0])} at layer 1 and "
                                f"{format_number(g[-1])} at layer {s['depth']}.")
                continue
            gh = run.values("grad_act_std")
            findings.append(f"{a}, {_label(sc)}: std dL/dh {format_number(gh[0])} at layer 1 vs "
                            f"{format_number(gh[-1])} at the top; std dL/dW {format_number(g[0])} at layer 1 vs "
                            f"{format_number(g[-1])} at layer {s['depth']} (layer 1 / top: "
                            f"{_ratio_text(g[0], g[-1])}; theory {_ratio_text(*run.values('grad_w_std_theory')[[0, -1]])}).")

    def figure():
        from . import plots
        shown = [sc for sc in schemes if sc != "zeros"]
        measured, theory = {}, {}
        for a in activations:
            measured[f"{a}: std dL/dh"] = {_label(sc): sw.run(sc, a).values("grad_act_std") for sc in shown}
            theory[f"{a}: std dL/dh"] = {_label(sc): sw.run(sc, a).values("grad_act_std_theory") for sc in shown}
        for a in activations:
            measured[f"{a}: std dL/dW"] = {_label(sc): sw.run(sc, a).values("grad_w_std") for sc in shown}
            theory[f"{a}: std dL/dW"] = {_label(sc): sw.run(sc, a).values("grad_w_std_theory") for sc in shown}
        note = ("zeros: not drawn: below the top layer its gradients are exactly 0 (no log)"
                if "zeros" in schemes else None)
        return plots.layer_curves(measured, theory, ylabel="gradient std", log=True, ncols=len(activations),
                                  title="Gradient std by layer: measured (solid) vs theory (dashed)", note=note,
                                  colors=_colors(schemes))

    per_layer, worst = theory_vs_measurement(
        Sweep(sw.settings, {k: v for k, v in sw.runs.items() if k[0] in schemes and k[1] in activations}))
    return ExperimentResult(
        "gradients", "2. Gradient magnitude layer by layer",
        "How large are dL/dh and dL/dW in each layer at initialization, and does the theory predict them?",
        {"main": main, "theory_vs_measurement": per_layer, "theory_summary": worst},
        {}, s, findings, {"gradients": figure})


def theory_vs_measurement(sweep: Sweep) -> tuple[Table, Table]:
    """The theory's predictions beside the measurements of a sweep: per layer, and summarized.

    Returns:
        ``(per_layer, summary)``. ``per_layer`` has one row per scheme, activation and layer
        with the measured and predicted std of ``h``, ``dL/dh`` and ``dL/dW`` and their ratios;
        ``summary`` one row per scheme and activation with the ratio furthest from 1 over the
        layers (as measured / theory) for each quantity. Ratios are missing where the theory
        predicts 0 (zero init).
    """
    if not isinstance(sweep, Sweep):
        raise TypeError(f"theory_vs_measurement: expected a Sweep from run_sweep(), got {type(sweep).__name__}")
    if sweep.settings.get("batchnorm"):
        raise ValueError("theory_vs_measurement: the theory does not model batch norm; pass a sweep made "
                         "with batchnorm=False")
    pairs = (("act_std", "act_std_theory"), ("grad_act_std", "grad_act_std_theory"), ("grad_w_std", "grad_w_std_theory"))
    rows, summary = [], []
    for (sc, a), run in sweep.runs.items():
        worst: dict[str, float | None] = {m: None for m, _ in pairs}
        for r in run.layers:
            row = [sc, a, r["layer"]]
            for m, t in pairs:
                q = _safe_ratio(r[m], r[t])
                row += [r[m], r[t], q]
                if q is not None and q > 0 and (worst[m] is None or abs(math.log(q)) > abs(math.log(worst[m]))):
                    worst[m] = q
            rows.append(row)
        summary.append([sc, a] + [worst[m] for m, _ in pairs])
    cols = ["scheme", "activation", "layer"]
    for m, t in pairs:
        cols += [m, t, m.replace("_std", "") + "_ratio"]
    s = sweep.settings
    where = f"{s['depth']} layers x {s['width']} units, batch {s['batch']}"
    per_layer = Table(cols, rows, title=f"Theory vs measurement, layer by layer ({where})",
                      notes=["act = h, the activation; grad_act = dL/dh; grad_w = dL/dW (summed over the batch)",
                             "*_ratio = measured / theory; '-' where the theory predicts exactly 0"])
    worst_table = Table(["scheme", "activation", "act_ratio_worst", "grad_act_ratio_worst", "grad_w_ratio_worst"],
                        summary, title=f"Theory vs measurement: the worst layer of each network ({where})",
                        notes=["*_worst: the ratio measured / theory furthest from 1 over the layers (1 = exact)",
                               "the theory is the infinite-width limit: finite widths scatter around it, more "
                               "for ReLU and with depth"])
    return per_layer, worst_table


def _safe_ratio(a: Any, b: Any) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return float(a) / float(b)


# ------------------------------------------------------------------ 3. symmetry


def distinct_units(weight: np.ndarray, bias: np.ndarray | None = None, outgoing: np.ndarray | None = None,
                   rtol: float = 1e-5) -> int:
    """How many different units a layer has, comparing each unit's parameters.

    Unit ``j`` of a layer ``y = x @ W + b`` is described by its incoming weights
    ``W[:, j]``, its bias ``b[j]`` and, if given, its outgoing weights ``outgoing[j, :]``
    (row ``j`` of the next layer's weight). Two units are the same when all of these
    agree to within ``rtol * max(1e-12, max |parameter|)`` (absolute): identical units
    compute identical outputs and receive identical gradients (up to float rounding, which
    is why a tolerance is needed), so they can never become different.

    Args:
        weight: ``(fan_in, fan_out)``.
        bias: ``(fan_out,)`` or None.
        outgoing: ``(fan_out, next_fan_out)`` or None.
        rtol: the relative tolerance.

    Returns:
        The number of groups of identical units, from 1 to ``fan_out``.
    """
    W = np.asarray(weight, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"distinct_units: weight must be 2-D (fan_in, fan_out), got shape {W.shape}")
    parts = [W.T]
    if bias is not None:
        b = np.asarray(bias, dtype=np.float64)
        if b.shape != (W.shape[1],):
            raise ValueError(f"distinct_units: bias must have shape ({W.shape[1]},), got {b.shape}")
        parts.append(b[:, None])
    if outgoing is not None:
        O = np.asarray(outgoing, dtype=np.float64)
        if O.ndim != 2 or O.shape[0] != W.shape[1]:
            raise ValueError(f"distinct_units: outgoing must have shape ({W.shape[1]}, k), got {O.shape}")
        parts.append(O)
    units = np.concatenate(parts, axis=1)  # (fan_out, features of a unit)
    tol = rtol * max(1e-12, float(np.max(np.abs(units))) if units.size else 0.0)
    reps: list[np.ndarray] = []
    for u in units:
        if not any(np.max(np.abs(u - r)) <= tol for r in reps):
            reps.append(u)
    return len(reps)


def _train_binary(model: nn.Module, X: np.ndarray, y: np.ndarray, steps: int, lr: float,
                  momentum: float) -> dict[str, Any]:
    """Full-batch SGD on the binary cross-entropy of the logits; loss and accuracy every step
    (step 0 = at initialization). Stops early if the loss stops being finite."""
    with _blas_single_thread():
        return _train_loop(model, X, y, steps, lr, momentum)


def _train_loop(model: nn.Module, X: np.ndarray, y: np.ndarray, steps: int, lr: float,
                momentum: float) -> dict[str, Any]:
    opt = SGD(model.parameters(), lr=lr, momentum=momentum)
    Xt, t = Tensor(X), y.reshape(-1, 1).astype(np.float32)
    losses, accs = [], []
    stopped = None
    for step in range(steps + 1):
        opt.zero_grad()
        logits = model(Xt)
        loss = binary_cross_entropy_with_logits(logits, t)
        value = loss.item()
        losses.append(value)
        accs.append(float(np.mean((logits.data[:, 0] > 0) == (y == 1))))
        if not math.isfinite(value):
            stopped = step
            break
        if step == steps:
            break
        loss.backward()
        opt.step()
    return {"loss": losses, "accuracy": accs, "stopped_at": stopped}


def _accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    with no_grad():
        logits = model(Tensor(X)).data[:, 0]
    return float(np.mean((logits > 0) == (y == 1)))


def symmetry(rng: np.random.Generator | int | None = 0, quick: bool = False, *, width: int = 8,
             steps: int | None = None, lr: float = 0.5, constant: float = 0.5,
             random_scheme: str = "xavier_uniform") -> ExperimentResult:
    """Symmetry breaking: zero and constant init leave the hidden units of a layer identical.

    A ``2 - width - width - 1`` tanh MLP (biases too) is trained on ``moons`` with
    full-batch SGD from three inits of its weights: all zeros, all ``constant``, and
    ``random_scheme``. Biases start at 0 in all three. If the units of a layer start
    identical they compute the same output, receive the same gradient and take the same
    step, forever: the layer is worth one unit. With zeros nothing moves at all (every
    hidden gradient is ``0 @ ... = 0``); with a constant the weights do move, but together.

    Args:
        rng: a Generator, seed or None (data and the random init).
        quick: fewer steps.
        width: hidden units per layer.
        steps: SGD steps (default 300; quick 100).
        lr: learning rate.
        constant: the value of the constant init.
        random_scheme: the random init it is compared with.

    Returns:
        An :class:`ExperimentResult`: table ``main`` (distinct units per hidden layer, how
        far the weights moved, final loss and accuracy), figure ``weights`` (heat maps of
        the trained hidden weights: identical units are identical columns).
    """
    fn = "symmetry"
    width = _positive_int(fn, "width", width, minimum=2)
    steps = _positive_int(fn, "steps", (100 if quick else 300) if steps is None else steps)
    lr = _positive_float(fn, "lr", lr)
    _scheme(fn, random_scheme)
    gen = as_rng(rng)
    X, y = _data.moons(200, noise=0.1, rng=gen)
    weight_seed = int(gen.integers(0, 2**63 - 1))
    inits: dict[str, Any] = {"zeros": "zeros", "constant": _init.get("constant", value=float(constant)),
                             random_scheme: random_scheme}
    rows, data, mats = [], {}, {}
    findings = []
    for name, scheme in inits.items():
        model = nn.MLP([2, width, width, 1], activation="tanh", init=scheme, rng=np.random.default_rng(weight_seed))
        before = [m.weight.data.copy() for m in model.linears()]
        hist = _train_binary(model, X, y, steps, lr, momentum=0.0)
        lin = model.linears()
        counts = []
        for i in range(2):  # the two hidden layers
            W, b, out = lin[i].weight.data, lin[i].bias.data, lin[i + 1].weight.data
            k = distinct_units(W, b, out)
            counts.append(k)
            moved = float(np.max(np.abs(W - before[i])))
            rows.append([name, f"layers.{2 * i}", width, k, moved, hist["loss"][-1], hist["accuracy"][-1]])
        data[name] = {"loss": hist["loss"], "accuracy": hist["accuracy"], "distinct_units": counts}
        mats[name] = [(f"layer 1 weights (2 x {width})", lin[0].weight.data.copy()),
                      (f"layer 2 weights ({width} x {width})", lin[1].weight.data.copy())]
        findings.append(f"{name}: {counts[0]} and {counts[1]} distinct units of {width} in the two hidden layers "
                        f"after {steps} steps; final loss {format_number(hist['loss'][-1])}, accuracy "
                        f"{format_number(hist['accuracy'][-1])}.")
    main = Table(["init", "layer", "width", "distinct_units", "max_weight_change", "final_loss", "train_accuracy"],
                 rows, title=f"Symmetry: 2-{width}-{width}-1 tanh MLP on moons, {steps} full-batch SGD steps, lr {lr:g}",
                 notes=["distinct_units: groups of units whose incoming weights, bias and outgoing weights agree "
                        "to 1e-5 relative (identical units stay identical)",
                        "max_weight_change: max |W_after - W_before|: zeros never move, constant moves in lockstep"])
    settings = {"seed": rng if isinstance(rng, numbers.Integral) else None, "width": width, "steps": steps, "lr": lr,
                "constant": constant, "random_scheme": random_scheme, "data": "moons(200, noise=0.1)"}

    def figure():
        from . import plots
        labels = {"zeros": "zeros", "constant": f"constant {constant:g}"}
        rows_ = {f"{labels.get(k, k)}\n{data[k]['distinct_units'][0]} and {data[k]['distinct_units'][1]} "
                 f"distinct units": v for k, v in mats.items()}
        return plots.weight_heatmaps(rows_, title=f"Hidden weights after {steps} training steps: identical units "
                                                  "= identical columns")

    return ExperimentResult(
        "symmetry", "3. Symmetry: why the weights must be random",
        "If all weights start equal, do the hidden units ever become different?",
        {"main": main}, data, settings, findings, {"weights": figure})


# ------------------------------------------------------------------ 4. training


def training(rng: np.random.Generator | int | None = 0, quick: bool = False, *, steps: int | None = None,
             lr: float = 0.5, momentum: float = 0.0, sizes: Sequence[int] = (2, 10, 5, 1),
             progress: "bool | Progress" = False) -> ExperimentResult:
    """Train one ReLU net on ``circles`` from zeros, large (10 randn) and He init.

    As in deeplearning.ai's "Initialization" assignment (Improving Deep Neural Networks,
    week 1): the network ``2 - 10 - 5 - 1`` (ReLU, sigmoid output through the binary
    cross-entropy on the logits), 300 training points of two noisy concentric circles,
    full-batch gradient descent -- here with a learning rate of 0.5 instead of 0.01, so that
    a few hundred steps do what took 15000 there.

    - zeros: the logits stay 0, the loss stays exactly ``ln 2 = 0.6931`` and the accuracy
      50% (every hidden gradient is a product with a zero weight or a zero activation);
    - ``10 * randn``: huge logits, a huge initial loss, slow and erratic progress;
    - He (``randn * sqrt(2 / fan_in)``): learns the circles.

    Args:
        rng: a Generator, seed or None.
        quick: fewer steps.
        steps: SGD steps (default 600; quick 300).
        lr, momentum: the optimizer (the same for every init; plain gradient descent by
            default, as in the assignment: with momentum, He init failed for some seeds).
        sizes: the layer widths.
        progress: a progress bar on stderr.

    Returns:
        An :class:`ExperimentResult`: table ``main`` (initial and final loss, train and test
        accuracy), figure ``loss`` (loss curves, log axis).
    """
    fn = "training"
    steps = _positive_int(fn, "steps", (300 if quick else 600) if steps is None else steps)
    lr = _positive_float(fn, "lr", lr)
    gen = as_rng(rng)
    X, y = _data.circles(400, noise=0.05, rng=gen)
    X_train, X_test, y_train, y_test = _data.train_test_split(X, y, 0.25, rng=gen)
    weight_seed = int(gen.integers(0, 2**63 - 1))
    inits = {"zeros": "zeros", "large10": _init.get("large", scale=10.0), "he_normal": "he_normal"}
    rows, data, findings = [], {}, []
    bar = _progress(progress, len(inits), "training")
    try:
        for name, scheme in inits.items():
            model = nn.MLP(list(sizes), activation="relu", init=scheme, rng=np.random.default_rng(weight_seed))
            hist = _train_binary(model, X_train, y_train, steps, lr, momentum)
            test_acc = _accuracy(model, X_test, y_test)
            rows.append([name, _init.get(scheme).formula, hist["loss"][0], hist["loss"][-1], hist["accuracy"][-1], test_acc])
            data[name] = {"loss": hist["loss"], "accuracy": hist["accuracy"], "test_accuracy": test_acc,
                          "stopped_at": hist["stopped_at"]}
            findings.append(f"{_label(name)}: loss {format_number(hist['loss'][0])} -> "
                            f"{format_number(hist['loss'][-1])}, train accuracy {hist['accuracy'][-1]:.1%}, "
                            f"test accuracy {test_acc:.1%}.")
            bar.step(name)
    finally:
        if not isinstance(progress, Progress):
            bar.close()
    net = "-".join(str(n) for n in sizes)
    main = Table(["init", "formula", "initial_loss", "final_loss", "train_accuracy", "test_accuracy"], rows,
                 title=f"Training a {net} ReLU net on circles: {steps} full-batch steps, lr {lr:g}, momentum {momentum:g}",
                 notes=["loss: binary cross-entropy of the logits (ln 2 = 0.6931 for a constant 50/50 guess)",
                        "deeplearning.ai, Improving Deep Neural Networks, week 1, 'Initialization'"])
    settings = {"seed": rng if isinstance(rng, numbers.Integral) else None, "steps": steps, "lr": lr,
                "momentum": momentum, "sizes": list(sizes), "data": "circles(400, noise=0.05), 300 train / 100 test"}

    def figure():
        from . import plots
        return plots.loss_curves({_label(k): v["loss"] for k, v in data.items()},
                                 title=f"{net} ReLU net on circles: training loss", log=True,
                                 hlines={"ln 2": math.log(2.0)},
                                 colors={_label(k): plots.scheme_color(k) for k in data})

    return ExperimentResult(
        "training", "4. Training from different inits",
        "Does the same network learn the circles from zeros, from 10*randn and from He init?",
        {"main": main}, data, settings, findings, {"loss": figure})


# ------------------------------------------------------------------ 5. depth


def depth(rng: np.random.Generator | int | None = 0, quick: bool = False, *, layers: int = 30,
          width: int = 64, steps: int | None = None, lr: float = 0.04, momentum: float = 0.0,
          schemes: Sequence[str] = ("xavier_uniform", "he_normal"),
          progress: "bool | Progress" = False) -> ExperimentResult:
    """A 30-layer ReLU net on ``moons``: Xavier stalls, He trains (He et al. 2015, Fig. 3, in miniature).

    With ``Var(W) = 1/fan_in`` (Xavier for equal widths) each ReLU layer halves the
    variance of the signal -- ``E[relu(z)^2] = Var(z) / 2`` -- so after 30 layers it is
    ``2^-30`` of the input's (std ``2^-15 = 3e-5``) and the backward signal shrinks alike:
    the output hardly depends on the input and the loss stays at its start. He's
    ``Var(W) = 2/fan_in`` exactly undoes the halving.

    Args:
        rng: a Generator, seed or None.
        quick: fewer steps.
        layers: hidden layers (ReLU), each ``width`` wide; then a Linear output.
        width: hidden width.
        steps: full-batch SGD steps (default 400; quick 250).
        lr, momentum: the optimizer, the same for both (plain gradient descent by default:
            with momentum a 30-layer ReLU net at this learning rate can diverge).
        schemes: the inits to compare.
        progress: a progress bar on stderr.

    Returns:
        An :class:`ExperimentResult`: table ``main`` (loss at the start and the end,
        accuracy, gradient std at the first layer at init), figure ``depth`` (loss curves;
        gradient std by layer at init with the theory, log axis).
    """
    fn = "depth"
    layers = _positive_int(fn, "layers", layers)
    width = _positive_int(fn, "width", width)
    steps = _positive_int(fn, "steps", (250 if quick else 400) if steps is None else steps)
    lr = _positive_float(fn, "lr", lr)
    schemes = _names(fn, "schemes", schemes, _scheme)
    gen = as_rng(rng)
    X, y = _data.moons(200, noise=0.1, rng=gen)
    weight_seed = int(gen.integers(0, 2**63 - 1))
    sizes = [2] + [width] * layers + [1]
    rows, data, findings = [], {}, []
    bar = _progress(progress, len(schemes), "depth")
    try:
        for sc in schemes:
            model = nn.MLP(sizes, activation="relu", init=sc, rng=np.random.default_rng(weight_seed))
            grads = _layer_grad_stds(model, X, y)
            hist = _train_binary(model, X, y, steps, lr, momentum)
            th = predict(sizes, ["relu"] * layers + ["linear"], sc, input_std=float(np.std(X)),
                         input_mean=float(np.mean(X)), batch_size=len(y))
            loss0, loss1 = hist["loss"][0], hist["loss"][-1]
            rows.append([sc, loss0, loss1, loss1 / loss0, hist["accuracy"][-1], grads["act"][0],
                         grads["act"][layers - 1], grads["w"][0], grads["w"][-1]])
            data[sc] = {"loss": hist["loss"], "accuracy": hist["accuracy"], "stopped_at": hist["stopped_at"],
                        "act_std_init": grads["act"], "grad_w_std_init": grads["w"],
                        "act_std_theory": th.act_std.tolist()}
            findings.append(f"{_label(sc)}: loss {format_number(loss0)} -> {format_number(loss1)} in {steps} steps "
                            f"(x{format_number(loss1 / loss0)}), accuracy {hist['accuracy'][-1]:.1%}; at init the "
                            f"activation std goes from {format_number(grads['act'][0])} (layer 1) to "
                            f"{format_number(grads['act'][-2])} (layer {layers}).")
            bar.step(sc)
    finally:
        if not isinstance(progress, Progress):
            bar.close()
    main = Table(["init", "initial_loss", "final_loss", "final_over_initial", "train_accuracy",
                  "act_std_layer_1", f"act_std_layer_{layers}", "grad_w_std_layer_1", "grad_w_std_output"], rows,
                 title=f"Depth: a {layers}-layer ReLU net of width {width} on moons, {steps} full-batch steps, "
                       f"lr {lr:g}, momentum {momentum:g}",
                 notes=["act_std_layer_*: std of the hidden layer's output h at initialization; grad_w_std_*: std of "
                        "dL/dW at initialization (the first layer and the output layer)",
                        "a loss that stays at ln 2 = 0.693 means logits near 0; their signs may still sort many "
                        "points right, so the accuracy can be above 50% while nothing is learned",
                        "He et al. (2015), Delving Deep into Rectifiers, Fig. 3: a 30-layer net with 'Xavier' "
                        "init does not learn, with theirs it does"])
    settings = {"seed": rng if isinstance(rng, numbers.Integral) else None, "layers": layers, "width": width,
                "steps": steps, "lr": lr, "momentum": momentum, "schemes": list(schemes),
                "data": "moons(200, noise=0.1)"}

    def figure():
        from . import plots
        with plots.slide_style():
            fig = plots.new_figure(2, 1, width=14, height=5.5)
            ax_loss, ax_std = fig.axes
            colors = {_label(sc): plots.scheme_color(sc) for sc in schemes}
            plots.plot_loss_curves(ax_loss, {_label(sc): data[sc]["loss"] for sc in schemes}, colors=colors,
                                   hlines={"ln 2": math.log(2.0)})
            ax_loss.set_title("training loss")
            plots.plot_layer_curves(ax_std, {_label(sc): data[sc]["act_std_init"] for sc in schemes},
                                    {_label(sc): data[sc]["act_std_theory"] for sc in schemes}, log=True,
                                    colors=colors)
            ax_std.set_title("activation std at init (dashed: theory)")
            ax_std.set_ylabel("std")
            fig.suptitle(f"{layers}-layer ReLU net: Xavier vs He")
        return fig

    return ExperimentResult(
        "depth", "5. Depth: Xavier vs He on a 30-layer ReLU net",
        f"Can a {layers}-layer ReLU network learn from Xavier init, and from He init?",
        {"main": main}, data, settings, findings, {"depth": figure})


def _layer_grad_stds(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> dict[str, list[float]]:
    """Std of each Linear's output and of each weight gradient, at the current weights (one pass)."""
    with Probe(model) as probe:
        logits = model(Tensor(X))
        binary_cross_entropy_with_logits(logits, y.reshape(-1, 1).astype(np.float32)).backward()
    recs = [r for r in probe.records.values() if r.kind == "linear"]
    act = [r.numbers.get("act_std", r.numbers.get("pre_std")) for r in recs]
    gw = [r.numbers.get("grad_w_std") for r in recs]
    model.zero_grad()
    return {"act": [float(v) for v in act], "w": [float(v) for v in gw]}


# ------------------------------------------------------------------ 6. batch norm


def batch_norm(rng: np.random.Generator | int | None = 0, quick: bool = False, *,
               schemes: Sequence[str] = ("small", "large"), activations: Sequence[str] = ACTIVATIONS,
               sweep: Sweep | None = None, plain: Sweep | None = None, progress: "bool | Progress" = False,
               **sizes: Any) -> ExperimentResult:
    """Batch normalization rescues the bad schemes of :func:`activation_statistics`.

    The same networks with ``nn.BatchNorm1d`` (training mode: each feature normalized
    with the batch's mean and variance, gamma = 1, beta = 0) between every Linear and its
    activation: ``z = (x W - mean) / sqrt(var + eps)``. Whatever the scale of ``W``, the
    activation's input has mean 0 and std ``sqrt(var / (var + eps))`` -- 1 unless
    ``var`` is of the order of ``eps = 1e-5`` -- so tanh does not saturate (about 0.8% of
    ``N(0, 1)`` lies beyond ``atanh(0.99) = 2.65``) and nothing vanishes.

    Args:
        rng, quick, schemes, activations, progress, **sizes: as :func:`activation_statistics`.
        sweep: a batch-norm :class:`Sweep` (``run_sweep(..., batchnorm=True)``) already computed.
        plain: the sweep without batch norm, for the comparison columns (computed if missing).

    Returns:
        An :class:`ExperimentResult`: table ``main`` (per layer with and without batch
        norm), figure ``batchnorm`` (std of the activation's input, and saturation, by layer).
    """
    fn = "batch_norm"
    schemes = _names(fn, "schemes", schemes, _scheme)
    activations = _names(fn, "activations", activations, _activation)
    bn = _get_sweep(fn, sweep, schemes, activations, rng, quick, progress, batchnorm=True, **sizes)
    base = _get_sweep(fn, plain, schemes, activations, rng, quick, progress, **sizes)
    s = bn.settings
    rows, findings = [], []
    for a in activations:
        for sc in schemes:
            run, ref = bn.run(sc, a), base.run(sc, a)
            for r, q in zip(run.layers, ref.layers):
                frac_key = "dead" if a == "relu" else "saturated"
                rows.append([sc, a, r["layer"], r["linear_std"], r["pre_std"], r["act_std"], r[frac_key],
                             q["pre_std"], q["act_std"], q[frac_key]])
            pre = run.values("pre_std")
            frac = run.values("dead" if a == "relu" else "saturated")
            ref_frac = ref.values("dead" if a == "relu" else "saturated")
            what = "dead" if a == "relu" else "saturated"
            findings.append(f"{a}, {_label(sc)} with batch norm: std of the activation's input "
                            f"{format_number(pre.min())}..{format_number(pre.max())} over the {len(pre)} layers; "
                            f"{what} at most {format_number(np.nanmax(frac))} (without: up to "
                            f"{format_number(np.nanmax(ref_frac))}).")
    main = Table(["scheme", "activation", "layer", "linear_std", "bn_pre_std", "bn_act_std", "bn_saturated_or_dead",
                  "plain_pre_std", "plain_act_std", "plain_saturated_or_dead"], rows,
                 title=f"Batch norm: {s['depth']} x (Linear -> BatchNorm1d -> f), {s['width']} units, batch {s['batch']}",
                 notes=["linear_std: std of x @ W (what batch norm receives); bn_pre_std: std of the activation's "
                        "input after batch norm; plain_*: the same network without batch norm",
                        "saturated_or_dead: saturated fraction (tanh, sigmoid) or dead-unit fraction (ReLU)"])

    def figure():
        from . import plots
        with plots.slide_style():
            fig = plots.new_figure(len(activations), 2, width=5.2 * len(activations), height=9)
            axes = fig.axes
            for j, a in enumerate(activations):
                ax_s, ax_f = axes[j], axes[len(activations) + j]
                for sc in schemes:
                    c = plots.scheme_color(sc)
                    run, ref = bn.run(sc, a), base.run(sc, a)
                    layer = np.arange(1, run.depth + 1)
                    ax_s.plot(layer, run.values("pre_std"), "-o", color=c, label=f"{_label(sc)} + BN")
                    ax_s.plot(layer, ref.values("pre_std"), ":", marker="x", color=c, label=f"{_label(sc)}, no BN")
                    key = "dead" if a == "relu" else "saturated"
                    ax_f.plot(layer, run.values(key), "-o", color=c)
                    ax_f.plot(layer, ref.values(key), ":", marker="x", color=c)
                ax_s.set_yscale("log")
                ax_s.set_title(f"{a}: std of f's input")
                ax_f.set_title(f"{a}: {'dead units' if a == 'relu' else 'saturated'}")
                ax_f.set_ylim(-0.05, 1.05)
                ax_f.set_xlabel("layer")
            axes[0].legend(loc="best", fontsize="small")
            fig.suptitle("BatchNorm1d after every Linear (solid) vs none (dotted)")
        return fig

    return ExperimentResult(
        "batchnorm", "6. Batch normalization", "Does BatchNorm1d after each Linear rescue the bad inits?",
        {"main": main}, {"batchnorm": bn.to_dict(), "plain_schemes": list(schemes)}, s, findings,
        {"batchnorm": figure})


# ------------------------------------------------------------------ all of them

#: The experiments in report order.
EXPERIMENTS: dict[str, Callable[..., ExperimentResult]] = {
    "activations": activation_statistics, "gradients": gradient_statistics, "symmetry": symmetry,
    "training": training, "depth": depth, "batchnorm": batch_norm,
}


def run_all(rng: np.random.Generator | int | None = 0, quick: bool = False,
            progress: bool = False) -> list[ExperimentResult]:
    """Every experiment, sharing one sweep between experiments 1, 2 and 6 (what the report runs).

    Each experiment gets its own seed derived from ``rng`` (one draw each, in report
    order), so the results do not depend on which other experiments ran.
    """
    gen = as_rng(rng)
    seeds = [int(v) for v in gen.integers(0, 2**31 - 1, size=5)]
    sw = run_sweep(rng=seeds[0], quick=quick, progress=progress)
    bn = run_sweep(("small", "large"), rng=seeds[0], quick=quick, batchnorm=True, progress=progress)
    out = [activation_statistics(sweep=sw), gradient_statistics(sweep=sw)]
    out.append(symmetry(rng=seeds[1], quick=quick))
    out.append(training(rng=seeds[2], quick=quick, progress=progress))
    out.append(depth(rng=seeds[3], quick=quick, progress=progress))
    out.append(batch_norm(sweep=bn, plain=sw))
    return out
