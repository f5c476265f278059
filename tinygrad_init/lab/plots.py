"""Figures of the initialization lab, sized for lecture slides.

Drawn with matplotlib's object API (``matplotlib.figure.Figure``, rendered by Agg):
nothing here opens a window or needs a display, and nothing touches pyplot's global
state. The figure functions take plain numbers (dicts of per-layer lists), so they work
with the experiments' results and with a student's own measurements alike.

======================  ============================================================
``histogram_grid``      activation histograms: a row per scheme, a column per layer
``layer_curves``        a per-layer quantity (std, gradient std), measured as solid
                        lines with markers, the theory's prediction dashed beside it
``loss_curves``         training loss against step
``weight_heatmaps``     weight matrices as heat maps (identical units = identical columns)
``save_figure``         write PNG / SVG / PDF with reproducible bytes
``figure_bytes``        the same, into memory
======================  ============================================================

**Reproducible files.** The same figure gives the same bytes every time: SVG ids come
from a fixed ``svg.hashsalt`` and no date or software version is written into the files
(``metadata``), so a report can be checked into version control and compared.

**Style.** :data:`SLIDE_STYLE` (large fonts, thick lines, light grid) is applied while a
figure is drawn; use ``with plots.slide_style(): ...`` to draw your own in the same style.
Each scheme keeps its colour in every figure (:func:`scheme_color`, the Okabe-Ito
palette, which colour-blind readers can tell apart).
"""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

import matplotlib
from matplotlib.figure import Figure  # a Figure made directly renders with Agg; pyplot is never needed
from matplotlib.lines import Line2D

from .table import format_number

__all__ = ["SLIDE_STYLE", "HASH_SALT", "slide_style", "scheme_color", "new_figure", "plot_layer_curves",
           "plot_loss_curves", "layer_curves", "histogram_grid", "loss_curves", "weight_heatmaps",
           "figure_bytes", "save_figure"]

#: The salt of the SVG element ids: fixed, so that the same figure gives the same SVG bytes.
HASH_SALT = "tinygrad-init"

#: matplotlib settings for slides: readable from the back of a lecture hall.
SLIDE_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "figure.titlesize": 18,
    "lines.linewidth": 2.2,
    "lines.markersize": 6,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "svg.hashsalt": HASH_SALT,
    "svg.fonttype": "path",  # glyphs as paths: the SVG needs no font
}

_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999933", "#882255")
_COLORS = {
    "zeros": "#555555", "constant": "#E69F00", "small": "#0072B2", "large": "#D55E00", "large10": "#D55E00",
    "cs231n": "#009E73", "xavier_uniform": "#56B4E9", "xavier_normal": "#56B4E9", "glorot_standard": "#999933",
    "lecun_normal": "#882255", "he_normal": "#CC79A7", "he_uniform": "#CC79A7", "orthogonal": "#E69F00",
}

# Metadata that keeps dates and versions out of the files (None removes a key).
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None, "Type": None, "Format": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@contextlib.contextmanager
def slide_style() -> Iterator[None]:
    """Draw in :data:`SLIDE_STYLE` inside this block (matplotlib reads fonts when text is created)."""
    with matplotlib.rc_context(SLIDE_STYLE):
        yield


def scheme_color(scheme: str) -> str:
    """The colour of an init scheme in every figure (unknown names get a fixed palette colour)."""
    if scheme in _COLORS:
        return _COLORS[scheme]
    return _PALETTE[sum(map(ord, str(scheme))) % len(_PALETTE)]


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 8.0, height: float = 5.0,
               layout: str | None = "constrained", **subplot_kw: Any) -> Figure:
    """A ``Figure`` with an ``nrows x ncols`` grid of axes, row by row in ``fig.axes``.

    ``layout="constrained"`` (the default) lets matplotlib place everything; ``None`` leaves
    the placement to ``fig.subplots_adjust`` (much faster to draw for grids of many axes).
    Call it inside :func:`slide_style` so that the axes get the slide fonts.
    """
    if ncols < 1 or nrows < 1:
        raise ValueError(f"new_figure: need at least one row and one column of axes, got {nrows} x {ncols}")
    fig = Figure(figsize=(width, height), layout=layout)
    fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return fig


def _positive(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """The values as floats with non-positive and non-finite ones masked (NaN), for a log axis."""
    v = np.array([np.nan if x is None else float(x) for x in values], dtype=np.float64)
    v[~np.isfinite(v) | (v <= 0)] = np.nan
    return v


def _floats(values: Sequence[float] | np.ndarray) -> np.ndarray:
    v = np.array([np.nan if x is None else float(x) for x in values], dtype=np.float64)
    v[~np.isfinite(v)] = np.nan
    return v


def plot_layer_curves(ax: Any, measured: Mapping[str, Sequence[float]],
                      predicted: Mapping[str, Sequence[float]] | None = None, *, log: bool = True,
                      colors: Mapping[str, str] | None = None) -> None:
    """Draw per-layer curves on ``ax``: measured solid with markers, predicted dashed.

    Args:
        ax: a matplotlib Axes.
        measured: series label -> one value per layer (layer 1 first).
        predicted: series label -> the theory's values (same labels; missing ones are skipped).
        log: a log y axis (non-positive values are left out).
        colors: series label -> colour (default: the palette in order).
    """
    colors = dict(colors or {})
    prep = _positive if log else _floats
    for i, (label, values) in enumerate(measured.items()):
        c = colors.get(label, _PALETTE[i % len(_PALETTE)])
        v = prep(values)
        layers = np.arange(1, len(v) + 1)
        ax.plot(layers, v, "-o", color=c, label=label)
        if predicted is not None and label in predicted:
            p = prep(predicted[label])
            ax.plot(np.arange(1, len(p) + 1), p, "--", color=c, linewidth=1.6, alpha=0.9)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer")
    n = max((len(v) for v in measured.values()), default=1)
    ax.set_xticks(_layer_ticks(n))


def _layer_ticks(n: int) -> list[int]:
    if n <= 12:
        return list(range(1, n + 1))
    step = int(math.ceil(n / 10))
    return list(range(1, n + 1, step))


def plot_loss_curves(ax: Any, curves: Mapping[str, Sequence[float]], *, log: bool = True,
                     colors: Mapping[str, str] | None = None, hlines: Mapping[str, float] | None = None) -> None:
    """Draw loss-against-step curves on ``ax`` (step 0 = before training); ``hlines`` adds labelled
    dotted reference levels such as ``{"ln 2": 0.693}``."""
    colors = dict(colors or {})
    prep = _positive if log else _floats
    for i, (label, values) in enumerate(curves.items()):
        v = prep(values)
        ax.plot(np.arange(len(v)), v, "-", color=colors.get(label, _PALETTE[i % len(_PALETTE)]), label=label)
    for label, y in (hlines or {}).items():
        ax.axhline(y, color="#333333", linestyle=":", linewidth=1.4)
        ax.annotate(label, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(-4, 4),
                    textcoords="offset points", ha="right", va="bottom", fontsize="small", color="#333333")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend(loc="best")


def _legend_below(fig: Figure, labels: Sequence[str], colors: Mapping[str, str], theory: bool) -> None:
    handles = [Line2D([], [], color=colors.get(l, _PALETTE[i % len(_PALETTE)]), marker="o", label=l)
               for i, l in enumerate(labels)]
    if theory:
        handles += [Line2D([], [], color="#333333", marker="o", label="measured"),
                    Line2D([], [], color="#333333", linestyle="--", label="theory")]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), frameon=False)


def layer_curves(panels: Mapping[str, Mapping[str, Sequence[float]]],
                 predicted: Mapping[str, Mapping[str, Sequence[float]]] | None = None, *, ylabel: str = "std",
                 title: str = "", log: bool = True, ncols: int | None = None, note: str | None = None,
                 colors: Mapping[str, str] | None = None) -> Figure:
    """A figure of per-layer curves, one panel per key of ``panels``.

    Args:
        panels: panel title -> {series label -> one value per layer}.
        predicted: the theory's values, same keys (dashed lines of the same colour).
        ylabel: the y label of the first panel of each row.
        title: the figure's title.
        log: log y axes (the usual choice: stds shrink or grow geometrically with depth).
        ncols: panels per row (default: all in one row).
        note: a line of small text under the title (for example what is not drawn).
        colors: series label -> colour.

    Returns:
        The Figure.
    """
    if not panels:
        raise ValueError("layer_curves: no panels to draw")
    n = len(panels)
    ncols = n if ncols is None else max(1, min(int(ncols), n))
    nrows = int(math.ceil(n / ncols))
    with slide_style():
        fig = new_figure(ncols, nrows, width=5.2 * ncols, height=4.3 * nrows + 1.2)
        axes = fig.axes
        labels: list[str] = []
        for k, (ax, (name, series)) in enumerate(zip(axes, panels.items())):
            plot_layer_curves(ax, series, None if predicted is None else predicted.get(name), log=log, colors=colors)
            ax.set_title(name)
            if k % ncols == 0:
                ax.set_ylabel(ylabel)
            for l in series:
                if l not in labels:
                    labels.append(l)
        for ax in axes[n:]:
            ax.set_visible(False)
        _legend_below(fig, labels, dict(colors or {}), theory=predicted is not None)
        if title:
            fig.suptitle(title if not note else f"{title}\n{note}", fontsize="x-large" if not note else "large")
    return fig


def _wrap(label: str, width: int = 18) -> str:
    lines = []
    for part in label.split("\n"):
        lines += textwrap.wrap(part, width=width, break_long_words=False, break_on_hyphens=False) or [part]
    return "\n".join(lines)


def histogram_grid(hists: Mapping[str, Sequence[tuple[Sequence[float], Sequence[float]]]], *, title: str = "",
                   col_labels: Sequence[str] | None = None, annotations: Mapping[str, Sequence[str]] | None = None,
                   shared_x: bool = True, colors: Sequence[str] | None = None) -> Figure:
    """Histograms in a grid: a row per key of ``hists`` (a scheme), a column per layer.

    Args:
        hists: row label -> per layer ``(counts, edges)`` (``len(edges) == len(counts) + 1``),
            e.g. from :meth:`tinygrad_init.probe.LayerRecord.histogram`.
        title: the figure's title.
        col_labels: one heading per column (default ``layer 1``, ``layer 2``, ...).
        annotations: row label -> one short text per panel (such as the std), shown in its corner.
        shared_x: all panels share the x range of their edges (tick labels on the bottom row only);
            otherwise each panel's range is printed under it.
        colors: one colour per row.

    Each panel's y axis is scaled to its own tallest bar: the shape is what counts.
    """
    rows = list(hists.items())
    if not rows:
        raise ValueError("histogram_grid: no rows to draw")
    ncols = max(len(v) for _, v in rows)
    if ncols == 0:
        raise ValueError("histogram_grid: the rows hold no histograms")
    nrows = len(rows)
    col_labels = list(col_labels) if col_labels is not None else [f"layer {j + 1}" for j in range(ncols)]
    with slide_style():
        # Placed by hand: constrained layout costs more than the drawing itself for ~50 axes.
        width, height, left, top, bottom = 1.75 * ncols + 2.0, 1.55 * nrows + 1.3, 2.0, 0.9, 0.45
        fig = new_figure(ncols, nrows, width=width, height=height, layout=None)
        fig.subplots_adjust(left=left / width, right=1 - 0.1 / width, top=1 - top / height, bottom=bottom / height,
                            wspace=0.18, hspace=0.3)
        axes = np.array(fig.axes).reshape(nrows, ncols)
        for i, (label, layers) in enumerate(rows):
            color = colors[i] if colors is not None and i < len(colors) else _PALETTE[i % len(_PALETTE)]
            notes = (annotations or {}).get(label, [])
            for j in range(ncols):
                ax = axes[i, j]
                ax.grid(False)
                ax.set_yticks([])
                ax.spines["left"].set_visible(False)
                if j >= len(layers):
                    ax.set_visible(False)
                    continue
                counts, edges = np.asarray(layers[j][0], dtype=np.float64), np.asarray(layers[j][1], dtype=np.float64)
                if len(edges) != len(counts) + 1:
                    raise ValueError(f"histogram_grid: row {label!r}, column {j}: {len(counts)} counts need "
                                     f"{len(counts) + 1} edges, got {len(edges)}")
                ax.stairs(counts, edges, fill=True, color=color, alpha=0.85)
                ax.set_xlim(edges[0], edges[-1])
                top = float(counts.max()) if counts.size else 1.0
                ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
                if shared_x:
                    ticks = [edges[0], (edges[0] + edges[-1]) / 2, edges[-1]]
                    ax.set_xticks(ticks)
                    ax.set_xticklabels([format_number(t, 2) for t in ticks] if i == nrows - 1 else [],
                                       fontsize="x-small")
                else:
                    ax.set_xticks([edges[0], edges[-1]])
                    ax.set_xticklabels([format_number(edges[0], 2), format_number(edges[-1], 2)], fontsize="x-small")
                labels = ax.get_xticklabels()
                if labels:  # keep the end labels inside the panel, clear of the neighbours'
                    labels[0].set_horizontalalignment("left")
                    labels[-1].set_horizontalalignment("right")
                if j < len(notes):
                    ax.text(0.97, 0.95, notes[j], transform=ax.transAxes, ha="right", va="top", fontsize="x-small")
                if i == 0 and j < len(col_labels):
                    ax.set_title(col_labels[j], fontsize="medium")
            axes[i, 0].set_ylabel(_wrap(label), fontsize="small", rotation=0, ha="right", va="center")
        if title:
            fig.suptitle(title, y=1 - 0.12 / height, va="top")
    return fig


def loss_curves(curves: Mapping[str, Sequence[float]], *, title: str = "", log: bool = True,
                hlines: Mapping[str, float] | None = None, colors: Mapping[str, str] | None = None) -> Figure:
    """Training loss against step, one curve per key (step 0 = the loss at initialization).

    Args:
        curves: label -> loss per step.
        title: the figure's title.
        log: a log y axis (non-positive values are left out).
        hlines: reference levels, label -> value (dotted), e.g. ``{"ln 2": math.log(2)}``.
        colors: label -> colour.
    """
    if not curves:
        raise ValueError("loss_curves: no curves to draw")
    with slide_style():
        fig = new_figure(1, 1, width=9, height=5.5)
        plot_loss_curves(fig.axes[0], curves, log=log, colors=colors, hlines=hlines)
        if title:
            fig.suptitle(title)
    return fig


def weight_heatmaps(matrices: Mapping[str, Sequence[tuple[str, np.ndarray]]], *, title: str = "") -> Figure:
    """Weight matrices as heat maps: a row per key (an init), a column per matrix.

    A weight ``W`` of shape ``(fan_in, fan_out)`` is drawn as it is stored: column ``j``
    holds the incoming weights of unit ``j``, so identical units show as identical columns.
    The colour scale is symmetric about 0 (blue negative, red positive), per panel.

    Args:
        matrices: row label -> list of ``(panel title, 2-D array)``.
        title: the figure's title.
    """
    rows = list(matrices.items())
    if not rows:
        raise ValueError("weight_heatmaps: nothing to draw")
    ncols = max(len(v) for _, v in rows)
    with slide_style():
        fig = new_figure(ncols, len(rows), width=5.5 * ncols + 1.5, height=3.2 * len(rows) + 1.0)
        axes = np.array(fig.axes).reshape(len(rows), ncols)
        for i, (label, mats) in enumerate(rows):
            for j in range(ncols):
                ax = axes[i, j]
                ax.grid(False)
                if j >= len(mats):
                    ax.set_visible(False)
                    continue
                name, M = mats[j]
                M = np.asarray(M, dtype=np.float64)
                if M.ndim != 2:
                    raise ValueError(f"weight_heatmaps: {label!r} / {name!r} is not a matrix (shape {M.shape})")
                lim = float(np.max(np.abs(M))) if M.size else 0.0
                lim = lim if lim > 0 else 1.0
                im = ax.imshow(M, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
                fig.colorbar(im, ax=ax, shrink=0.9)
                ax.set_title(name if i == 0 else "", fontsize="medium")
                ax.set_xlabel("unit (column)" if i == len(rows) - 1 else "")
                ax.set_xticks(range(M.shape[1]) if M.shape[1] <= 16 else [])
                ax.set_yticks([])
            axes[i, 0].set_ylabel(_wrap(label, 16), rotation=0, ha="right", va="center")
        if title:
            fig.suptitle(title)
    return fig


# ------------------------------------------------------------------ files


def _format(fmt: str | None, path: Path | None = None) -> str:
    if fmt is None:
        if path is None or not path.suffix:
            raise ValueError("save_figure: give a file name ending in .png, .svg or .pdf, or pass fmt=")
        fmt = path.suffix[1:]
    key = fmt.lower()
    if key not in _METADATA:
        raise ValueError(f"figure format {fmt!r} is not supported; use one of {', '.join(_METADATA)}")
    return key


def figure_bytes(fig: Figure, fmt: str = "png", dpi: float | None = None) -> bytes:
    """The figure rendered as ``"png"``, ``"svg"`` or ``"pdf"`` bytes, the same for the same figure.

    Args:
        fig: a matplotlib Figure.
        fmt: the format.
        dpi: pixels per inch for PNG (default :data:`SLIDE_STYLE`'s 100).
    """
    key = _format(fmt)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, "svg.fonttype": "path"}):
        fig.savefig(buf, format=key, metadata=_METADATA[key], dpi=dpi or SLIDE_STYLE["savefig.dpi"])
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, fmt: str | None = None, dpi: float | None = None) -> Path:
    """Write the figure to ``path`` (format from the suffix unless ``fmt``); returns the path."""
    p = Path(path)
    data = figure_bytes(fig, _format(fmt, p), dpi=dpi)
    p.write_bytes(data)
    return p
