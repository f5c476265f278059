"""Figures of the initialization lab on a 16:9 lecture slide, from plain numbers (the experiments' or a student's own).

matplotlib's object API renders with Agg: nothing opens a window or touches pyplot, and matplotlib is imported by the
first figure (`mpl`). Every figure is at most a slide (13.33 x 7.5 in) at 100 dpi, text of 11 pt or more, legends
below the panels, each scheme in its own colour everywhere, Okabe-Ito's or Paul Tol's (`scheme_color`: readable by
colour-blind viewers); the same figure gives the same PNG, SVG and PDF bytes (`figure_bytes`: no dates, fixed SVG
ids)."""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import re
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from ..utils import (got, check_bool, check_choice, check_int, check_real, check_type, format_number, not_installed,
                     ordered, quoted, renamed, writable, write_whole)
from .table import band, label

if TYPE_CHECKING:
    from matplotlib.figure import Figure
else:  # at run time, for typing.get_type_hints: matplotlib is imported when a figure is drawn, not with the package
    Figure = Any

__all__ = ["SLIDE_STYLE", "slide_style", "slide_figure", "legend_below", "log_axis", "ridges",
           "scheme_color", "marker", "curves", "layer_curves", "loss_curves", "training_figure", "histogram_grid",
           "weight_heatmaps", "verdict_grid", "figure_bytes", "save_figure", "WORD_COLORS"]

#: matplotlib settings for slides: readable from the back of a lecture hall.
SLIDE_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans", "font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "xtick.labelsize": 12,
    "ytick.labelsize": 12, "legend.fontsize": 12, "figure.titlesize": 16, "lines.linewidth": 2.2, "lines.markersize": 7,
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False, "savefig.dpi": 100,
    "svg.hashsalt": "tinygrad-init", "svg.fonttype": "path", "text.parse_math": False}  # "$5" is text, not TeX
SLIDE = (13.33, 7.5)
_SLIDE_LABEL = "tinygrad-init slide"
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999933", "#882255")
_COLORS = {"zeros": "#555555", "constant": "#E69F00", "small": "#0072B2", "large": "#D55E00", "large10": "#D55E00",
           "cs231n": "#009E73", "xavier_uniform": "#009E73", "xavier_normal": "#56B4E9", "glorot_standard": "#999933",
           "lecun_normal": "#882255", "he_normal": "#CC79A7", "he_uniform": "#CC79A7", "orthogonal": "#332288"}
#: The colour of each verdict word (figures, the report's grid, the explorer).
WORD_COLORS = {"holds": "#009E73", "vanishes": "#56B4E9", "saturates": "#E69F00", "explodes": "#D55E00",
               "dies": "#999999", "symmetric": "#CCCCCC"}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None, "Type": None, "Format": None},
             "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}


def mpl() -> Any:
    """matplotlib with the submodules the figures use, imported on first use (`import tinygrad_init` does not)."""
    try:
        for sub in ("axes", "collections", "colors", "figure", "lines", "patches", "style", "ticker"):
            importlib.import_module(f"matplotlib.{sub}")  # a Figure made directly renders with Agg: no pyplot
    except ModuleNotFoundError as e:
        raise not_installed(e) from None
    return sys.modules["matplotlib"]


def slide_style() -> contextlib.AbstractContextManager:
    """Draw in `SLIDE_STYLE` over matplotlib's defaults inside this block (`with slide_style(): ...`): a user's
    matplotlibrc or rcParams change no figure."""
    return mpl().style.context(["default", SLIDE_STYLE])


def marker(index: int) -> str:
    """Series `index`'s marker: 7 of them beside the 8 palette colours, so 56 series all look different."""
    return "osD^vP*"[check_int("marker", "index", index) % 7]


def scheme_color(scheme: str, index: int | None = None) -> str:
    """The colour of a scheme (or its label); another name gets palette colour `index` (or one fixed by its letters)."""
    check_type("scheme_color", "scheme", scheme, str, "a name (a str)")
    key = next((k for k in _COLORS if scheme in (k, label(k))), None)
    i = sum(map(ord, scheme)) if index is None else check_int("scheme_color", "index", index)
    return _COLORS[key] if key else _PALETTE[i % len(_PALETTE)]


def _colors(names: Sequence[Any]) -> dict[Any, str]:
    """The colours of `names` drawn together, series `i` with `marker(i)`: a scheme its own, another name the next
    palette colour that no scheme among them has (nor a series of the same marker)."""
    own = {n: scheme_color(str(n)) for n in names if any(str(n) in (k, label(k)) for k in _COLORS)}
    free, out, looks, j = [c for c in _PALETTE if c not in own.values()] or list(_PALETTE), {}, set(), 0
    for i, n in enumerate(dict.fromkeys(names)):
        if n in own:
            tries = [own[n]]
        else:  # the free colours from the next one on
            tries, j = [free[(j + t) % len(free)] for t in range(len(free))], j + 1
        out[n] = next((c for c in tries if (c, marker(i)) not in looks), tries[0])
        looks.add((out[n], marker(i)))
    return out


def slide_figure(nrows: int, ncols: int, size: tuple[float, float] = SLIDE, *, left: float = 1.1, right: float = 0.2,
                 top: float = 0.75, bottom: float = 0.65, wgap: float = 0.6, hgap: float = 0.7,
                 **subplot_kw: Any) -> Figure:
    """`nrows x ncols` axes (row by row in `fig.axes`) on at most a slide, inside `slide_style`: margins and gaps in
    inches, laid out by hand (constrained layout takes several times longer to draw)."""
    nrows, ncols = (check_int("slide_figure", k, v, 1) for k, v in (("nrows", nrows), ("ncols", ncols)))
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise TypeError(f"slide_figure: size must be (width, height) in inches, e.g. (6, 4), got {got(size)}")
    w, h = (min(check_real("slide_figure", f"size's {k}", v, 0, low_open=True), most)
            for k, v, most in zip(("width", "height"), size, SLIDE))
    left, right, top, bottom, wgap, hgap = (check_real("slide_figure", k, v, 0) for k, v in zip(
        ("left", "right", "top", "bottom", "wgap", "hgap"), (left, right, top, bottom, wgap, hgap)))
    aw, ah = (w - left - right - (ncols - 1) * wgap) / ncols, (h - top - bottom - (nrows - 1) * hgap) / nrows
    if min(aw, ah) <= 0:  # else matplotlib's 'bottom cannot be >= top'
        raise ValueError(f"slide_figure: {nrows} x {ncols} panels do not fit on {w:g} x {h:g} in beside the margins "
                         "(a legend of many series?); draw fewer series or panels")
    fig = mpl().figure.Figure(figsize=(w, h), label=_SLIDE_LABEL)  # figure_bytes draws it in matplotlib's defaults
    fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h, wspace=wgap / aw,
                        hspace=hgap / ah)
    return fig


def _room_for_ticks(fig: Figure, axes: Sequence[Any], left: float) -> None:
    """Widen the left margin (`left` inches) to the y tick labels of `axes` (12 pt: about 0.11 in a letter) and the
    y label beside them (0.25 in a line): '0.00045' or '1e-304' pushed the label off the slide."""
    texts = [t for ax in axes for t in ax.yaxis.get_major_formatter().format_ticks(ax.yaxis.get_major_locator()())]
    lines = max([ax.get_ylabel().count("\n") for ax in axes], default=0)
    if (need := 0.4 + 0.11 * max(map(len, texts), default=0) + 0.25 * lines) > left:
        fig.subplots_adjust(left=fig.subplotpars.left + (need - left) / fig.get_figwidth())


def _per_row(labels: Sequence[str], width: float, most: int = 4) -> int:
    """How many legend entries fit side by side on `width` inches (at 12 pt: about 0.09 in a letter, 0.75 a line)."""
    n, longest = min(len(labels), most), sorted(map(len, labels), reverse=True)
    while n > 1 and 0.09 * sum(longest[:n]) + 0.75 * n > width:
        n -= 1
    return max(n, 1)


def legend_below(fig: Figure, handles: Sequence[Any], ncols: int = 4) -> int:
    """One legend for the whole figure, below the panels (a label seen twice kept once, "_..." labels left out), in
    at most `ncols` columns, fewer where long labels would leave the figure; returns its number of rows."""
    check_type("legend_below", "fig", fig, mpl().figure.FigureBase, "a matplotlib Figure")
    ncols = check_int("legend_below", "ncols", ncols, 1)
    items = check_type("legend_below", "handles", handles, (list, tuple), "a list of artists (ax.plot(...)'s lines)")
    if handles := list({h.get_label(): h for h in items if not h.get_label().startswith("_")}.values()):
        ncols = _per_row([h.get_label() for h in handles], fig.get_figwidth(), ncols)
        fig.legend(handles=handles, loc="lower center", ncols=ncols, frameon=False,
                   bbox_to_anchor=(0.5, 0.0), columnspacing=1.0, handlelength=2.5)
    return math.ceil(len(handles) / ncols)


def log_axis(ax: Any, subs: Sequence[float] | None = None) -> None:
    """A log y axis with plain-text ticks (`1e-3`: far faster to draw than mathtext), no minor ticks."""
    check_type("log_axis", "ax", ax, mpl().axes.Axes, "a matplotlib Axes")
    ticker, view = mpl().ticker, None  # matplotlib's 5 % margins took the view past 1e308 (it showed 1 to 10) or below
    if 0 < (lo := ax.dataLim.y0) <= (hi := ax.dataLim.y1) < math.inf and not 1e-290 < lo <= hi < 1e290:  # 1e-307
        a, b, m = math.log10(lo), math.log10(hi), max(1, (math.log10(hi) - math.log10(lo)) / 20)  # two powers of ten
        view = min(lo, 10.0 ** max(a - m, -307)), max(hi, 10.0 ** min(b + m, 308))  # in view at least (they tick)
        ax.set_ylim(view)  # on the linear axis (its autoscale overflows), and again on the log one, as the linear
    elif 0 < lo <= hi < math.inf and hi - lo <= lo * 1e-11:  # equal in a tick's 12 digits: numbered as one value
        view = 10.0 ** (math.ceil(math.log10(lo)) - 1), 10.0 ** (math.floor(math.log10(hi)) + 1)  # the decade
        # around them, as matplotlib gives one value (ln 2 +- a rounding error: six ticks read 0.69314718056)
    ax.set_yscale("log")  # axis took limits both below 1e-287 for 0 (the view was -0.05 to 0.05)
    if view:
        ax.set_ylim(view)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda t, _: format_number(t, max(1, int(math.log10(t / 5e-324)))
        if 0 < t < 2.2e-308 else 12)))  # 1.75 not '1.8'; a subnormal (below 2.2e-308) in the digits it holds, about
    # log10(t / 5e-324) (5e-324: the smallest float): 1e-320, not 9.99988867e-321
    ax.yaxis.set_minor_locator(ticker.NullLocator())
    ax.yaxis.set_major_locator(loc := ticker.LogLocator(subs=subs or (1.0,)))
    if subs is None:  # less than three decades in view: 1, 2, 5 times them, or plain ticks (a decade alone shows no
        decades, plain = loc.tick_values, ticker.MaxNLocator(5).tick_values  # number; 0.03-0.5 showed 0.15, 0.3, 0.45)

        def inside(t: np.ndarray, lo: float, hi: float) -> int:  # how many of the ticks `t` lie in view
            return int(np.sum((t >= min(lo, hi)) & (t <= max(lo, hi))))

        def ticks(lo: float, hi: float) -> np.ndarray:
            with np.errstate(all="ignore"):  # a decade past 1e308, out of view, is inf
                e = 10.0 ** np.arange(*np.clip(np.floor(np.log10([min(lo, hi), max(lo, hi)])) + [0, 2], -330, 310))
                options = [decades(lo, hi), np.outer(e, [1.0, 2.0, 5.0]).ravel(), np.outer(e, [1.0, 2.0, 3.0]).ravel()]
            for t in options:  # 1, 2, 3 for 0.92 to 4.3: plain ticks (0.8, 1.6, 2.4) had no 1 to read a line at 1 by
                if inside(t, lo, hi) > 2:
                    return t
            return (p := plain(lo, hi))[p > 0]

        loc.tick_values = ticks


def ridges(ax: Any, labels: Sequence[Any], hists: Sequence[tuple[float, float, Any]], notes: Sequence[str] = (),
           color: str | None = None) -> None:
    """Histograms `(lo, hi, counts)` as lines on `ax`, each scaled to its peak and a row above the one before (the
    first at the bottom); `labels` on the y axis, `notes` right of each row, in `color` (or one per row); rows too
    close for a label each are labelled about every second (third...) row, the first and the last always."""
    check_type("ridges", "ax", ax, mpl().axes.Axes, "a matplotlib Axes (such as fig.axes[0])")
    for k, v in (("labels", labels), ("hists", hists), ("notes", notes)):  # not a str: a label a letter
        check_type("ridges", k, v, (list, tuple, np.ndarray), "a list, an item a row")
    if (empty := [i for i, h in enumerate(hists) if not len(h[2])]) or len(labels) != len(hists):
        raise ValueError(f"ridges: give a label and a histogram (lo, hi, counts) per row, got {len(labels)} labels and "
                         f"{len(hists)} histograms" + "".join(f"; row {i} has no counts" for i in empty[:1]))
    shades, colors, n = [], [], len(hists)  # labels `step` rows apart at least (14 pt, or they overlap), both ends
    step = max(1, math.ceil(n * 14 / (ax.get_position().height * ax.figure.get_figheight() * 72)))
    shown = sorted({int(k) for k in np.linspace(0, n - 1, (n - 1) // step + 1).round()})
    for i, (lo, hi, counts) in enumerate(hists):
        x = lo + (hi - lo) * (np.arange(len(counts)) + 0.5) / len(counts)
        y, c = i + 0.85 * np.asarray(counts) / (np.max(counts) or 1), color or scheme_color(str(labels[i]), i)
        ax.plot(x, y, color=c, linewidth=2)
        shades.append(np.column_stack([np.r_[x[0], x, x[-1]], np.r_[i, y, i]]))
        colors.append(c)
        if i < len(notes) and i in shown:
            ax.text(1.02, i + 0.1, notes[i], transform=ax.get_yaxis_transform(), fontsize=11, color=c)
    ax.add_collection(mpl().collections.PolyCollection(shades, facecolors=colors, alpha=0.2, linewidths=0),
                      autolim=False)
    ax.set_yticks(shown, [str(labels[i]) for i in shown])
    ax.set_ylim(-0.15, n)
    ax.grid(False)  # the rows are the guide; a grid would cost a line per tick


def _values(v: Any, log: bool, where: str = "curves") -> np.ndarray:
    """Floats (one row per series), None and non-finite values (and, on a log axis, the non-positive) as NaN."""
    try:
        a = np.array(np.atleast_2d(np.asarray(v, dtype=object)).tolist(), dtype=np.float64)
    except (TypeError, ValueError):  # numpy's "inhomogeneous shape" or "could not convert string to float"
        rows = sorted({np.size(r) for r in v}) if isinstance(v, (list, tuple)) and v and np.ndim(v[0]) else []
        raise ValueError(f"{where}: values must be numbers, one per point or a row per seed" + (
            f"; the rows have {rows} values: pad a run that stopped early with nan" if len(rows) > 1 else
            f", got {quoted(v) if len(repr(v)) < 80 else type(v).__name__}")) from None
    a[~np.isfinite(a) | ((a <= 0) if log else False)] = np.nan
    return a


def _unseen(values: Any, log: bool) -> str:
    """The legend's note on a series a panel cannot draw: values <= 0 on a log axis, or not one finite median."""
    mid = band(v)[0] if len(v := _values(values, False)) > 1 else v[0]
    return " (<= 0: not drawn)" if log and (v <= 0).any() else "" if np.isfinite(mid).any() else " (nan/inf: not drawn)"


class _Wrapper(textwrap.TextWrapper):
    """textwrap's, a word longer than a line broken just after its last operator that fits (randn* | sqrt(2/fan_in)),
    on the next line if one fits only there (not U( | +-sqrt(6/), else where the line ends."""

    def _handle_long_word(self, chunks: list[str], line: list[str], length: int, width: int) -> None:
        ops = [m.end() for m in re.finditer(r"(?<=[\w)])[*/+](?=[\w(])", chunks[-1]) if m.end() <= width]
        if not (ends := [e for e in ops if e <= width - length] * self.break_long_words):  # one on the next line
            return None if ops and self.break_long_words else super()._handle_long_word(chunks, line, length, width)
        line.append(chunks[-1][:ends[-1]])
        chunks[-1] = chunks[-1][ends[-1]:]


def _wrap(*parts: str | None, width: int = 16, breaking: bool = False) -> str:
    """The non-empty `parts` on lines of at most `width` characters (a longer word broken only if `breaking`)."""
    return "\n".join(_Wrapper(width, break_long_words=breaking).fill(line) for q in parts  # an array as its text
                      if q is not None and (p := str(q)) for line in p.split("\n"))


def _fit(text: str, inches: float, points: float = 15, keep: bool = False) -> str:
    """`text` on lines as wide as `inches` at `points` (a letter of DejaVu Sans: about 0.6 em), long words broken;
    `keep`: a number stays on the line of the word before it ('lr 0.03', not 'lr' and '0.03' on the next)."""
    text = re.sub(r" (?=-?\d)", "\u00a0", text) if keep else text  # textwrap breaks no non-breaking space
    return _wrap(text, width=max(4, int(inches * 120 / points)), breaking=True).replace("\u00a0", " ")


def _title(*parts: str | None, inches: float = SLIDE[0]) -> str:
    """`parts` wrapped as a figure's title: 105 letters a line across a slide, fewer on a figure `inches` wide."""
    return _wrap(*parts, width=round(105 * inches / SLIDE[0]))


def _panel(ax: Any, series: Mapping[str, Any], x: Any = None, predicted: Mapping[str, Any] | None = None, *,
           log: bool = True, styles: Mapping[str, dict] | None = None, dodge: float = 0.0, hlines: Mapping[str,
           float] | None = None, order: Sequence[str] = (), hidden: Mapping[str, str] | None = None) -> list[Any]:
    """Draw `series` (label -> values, or seeds x values: the median and a lowest-highest band, a diverged seed
    leaving a gap) on `ax`, colours and markers by the place of each in `order` (default: in `series`); returns the
    legend handles, those of `hidden` (series: note; default: `_unseen`'s) marked not drawn."""
    handles, longest, order = [], 0, [*order, *(n for n in series if n not in order)]
    colors = _colors(order)
    if x is not None and (not ordered(x) or np.ndim(x) != 1):  # a number, a set, a table of steps: no x axis
        raise TypeError(f"curves: x (the steps) must be a list of numbers, one a point, got {quoted(x):.60}")
    for i, (name, values) in enumerate(series.items()):
        st = {"color": colors[name], "marker": marker(order.index(name)), "label": label(name),
              **(styles or {}).get(name, {})}
        mid, lo, hi = band(v) if len(v := _values(values, False)) > 1 else (v[0],) * 3
        longest = max(longest, len(mid))
        if x is not None and len(x) < len(mid) or _values((predicted or {}).get(name, mid), False, "curves: predicted "
                                                          f"series {name!r}").shape[-1] != len(mid):
            raise ValueError(f"curves: series {name!r} has {len(mid)} values: give as many x and predicted values")
        xs = (np.arange(1, len(mid) + 1) if x is None else np.asarray(x, dtype=np.float64)[:len(mid)]) + dodge * (
            i - (len(series) - 1) / 2)
        ax.plot(xs, _values(mid, log)[0], markevery=1 if x is None else max(1, len(mid) // 10), **st)
        wide = (xs + [-0.2, 0.2], 2) if len(xs) == 1 else (xs, 1)  # a band or dashed line at one x draws nothing
        if lo is not hi and np.isfinite(edges := _values([lo, hi], log)).all(axis=0).any():  # none: matplotlib fails
            ax.fill_between(wide[0], *np.repeat(edges, wide[1], -1), color=st["color"], alpha=0.18, linewidth=0)
        if name in (predicted or {}):
            ax.plot(wide[0], np.repeat(_values(predicted[name], log)[0], wide[1]), "--", color=st["color"],
                    linewidth=1.6)
        note = hidden.get(name, "") if hidden is not None else _unseen(values, log)
        handles.append(mpl().lines.Line2D([], [], **{**st, "label": st["label"] + note}))
    for text, y in (hlines or {}).items():  # named in the legend: a name on the line sat on the curves at its level
        y = check_real("curves", f"hlines[{text!r}]" + " on a log axis" * log, y, 0.0 if log else None, low_open=True)
        ax.axhline(y, **(dotted := {"color": "#333333", "linestyle": ":", "linewidth": 1.5}))
        handles.append(mpl().lines.Line2D([], [], label=text, **dotted))
    if log:
        log_axis(ax)
    if x is None:
        ax.set_xticks(range(1, longest + 1, max(1, math.ceil(longest / 10))))
    elif np.all(np.mod(np.asarray(x, dtype=np.float64), 1) == 0):  # steps: no tick at step 0.25
        ax.xaxis.set_major_locator(mpl().ticker.MaxNLocator(integer=True))
    return handles


def curves(panels: Mapping[str, Any], predicted: Mapping[str, Mapping[str, Any]] | None = None, *,
           xlabel: str = "layer", ylabel: str = "", title: str = "", note: str | None = None,
           log: bool | Sequence[str] = True, ncols: int | None = None, hlines: Mapping[str, float] | None = None,
           styles: Mapping[str, dict] | None = None, dodge: float = 0.0, sharey: bool = False) -> Figure:
    """Panels of curves: `{panel: {series: values}}` (x: layers 1, 2, ...) or `{panel: (x, {series: values}[,
    xlabel])}`, values one per point or seeds x points (the median and a band from the lowest to the highest seed).

    `predicted` (same keys) adds dashed lines; `hlines` dotted levels `{label: y}` in every panel, named in the
    legend; `log`: log y axes, all or the panels named; `styles`: matplotlib keywords per series; `dodge`: shift the
    series sideways so that none hides another. A series named by a scheme keeps its label and colour; the legend
    marks one it cannot draw: "(<= 0: not drawn)" on a log axis, "(nan/inf: not drawn)" with no finite median."""
    if not (n := len(check_type("curves", "panels", panels, Mapping, "a mapping {panel: {series: values}}"))):
        raise ValueError("curves: no panels to draw")
    for k, v in (("predicted", predicted), ("hlines", hlines), ("styles", styles)):
        check_type("curves", k, {} if v is None else v, Mapping, "a mapping (a dict) or None")
    for name, st in (styles or {}).items():
        check_type("curves", f"styles[{name!r}]", st, Mapping, "a dict of matplotlib keywords, e.g. {'linestyle': ':'}")
    ncols = n if ncols is None else min(check_int("curves", "ncols", ncols, 1), n)
    width, dodge = SLIDE[0] if ncols > 1 else 10, check_real("curves", "dodge", dodge)
    nrows, head = math.ceil(n / ncols), _title(title, note, inches=width)
    if not isinstance(log, bool) and (isinstance(log, str) or not isinstance(log, Sequence) or  # else: all linear
                                      not set(log) <= set(panels)):
        raise ValueError(f"curves: log must be True, False or a list of panel names of {list(panels)}, got {log!r}")
    logs, held = [log if isinstance(log, bool) else name in log for name in panels], {name: check_type(
        "curves", f"panel {name!r}", s[1] if isinstance(s, tuple) else s, Mapping, "a mapping {series: values}")
        for name, s in panels.items()}
    if check_bool("curves", "sharey", sharey) and len(set(logs)) > 1:  # one y scale: matplotlib made every panel log
        raise ValueError(f"curves: sharey=True puts every panel on one y scale; log={log!r} names only some of them")
    if miss := [(p, k) for p, d in (predicted or {}).items() for k in d or {} if k not in held.get(p, {})]:
        raise ValueError(f"curves: predicted names {miss[0][0]!r} / {miss[0][1]!r}, which panels does not hold; give "
                         "each theory the name of its panel and series")
    if empty := [k for d in held.values() for k, v in d.items() if not _values(v, False).shape[-1]]:
        raise ValueError(f"curves: series {empty[0]!r} has no values; give it a number per point (nan: not drawn)")
    series = list(dict.fromkeys(k for data in held.values() for k in data))
    hidden = {k: why for d, lg in zip(held.values(), logs) for k, v in d.items() if (why := _unseen(v, lg))}
    names = [(styles or {}).get(k, {}).get("label", label(k)) + hidden.get(k, "") for k in series]
    names += ["measured", "theory"] * bool(predicted) + list(hlines or {})
    bottom, breaks = 0.85 + 0.34 * math.ceil(len(names) / _per_row(names, width)), head.count("\n")
    tops = {name: _fit(str(name), (width - 1.2 - 0.9 * (ncols - 1)) / ncols, keep=True) for name in panels}  # a panel
    more = 0.25 * max(t.count("\n") for t in tops.values())  # inches for the panel titles' further lines
    with slide_style():
        fig = slide_figure(nrows, ncols, (width, (2.9 + more) * nrows + bottom + 0.5 + 0.3 * breaks),
                           top=0.55 + more + 0.32 * (breaks + bool(head)), bottom=bottom, left=1.0, wgap=0.9,
                           hgap=1.1 + more, sharey=sharey)
        handles = []
        for k, (ax, lg, (name, spec)) in enumerate(zip(fig.axes, logs, panels.items())):
            x, data, xlab = (spec + (xlabel,))[:3] if isinstance(spec, tuple) else (None, spec, xlabel)
            if not data:
                raise ValueError(f"curves: panel {name!r} has no series; give it {{series: values}}")
            handles += _panel(ax, data, x, (predicted or {}).get(name), styles=styles, dodge=dodge, hlines=hlines,
                              log=lg, order=series, hidden=hidden)
            ax.set(title=tops[name], xlabel=xlab, ylabel=ylabel if k % ncols == 0 else "")
        for ax in fig.axes[n:]:
            ax.set_visible(False)
        _room_for_ticks(fig, fig.axes[:n:ncols], 1.0)
        line = mpl().lines.Line2D
        legend_below(fig, handles + ([line([], [], color="#333", marker="o", label="measured"), line(
            [], [], color="#333", linestyle="--", label="theory")] if predicted else []))
        fig.suptitle(head, fontsize="large")
    return fig


def layer_curves(panels: Mapping[str, Mapping[str, Sequence[float] | np.ndarray]],
                 predicted: Mapping[str, Mapping[str, Sequence[float] | np.ndarray]] | None = None, *,
                 ylabel: str = "std", title: str = "", log: bool = True, ncols: int | None = None,
                 note: str | None = None) -> Figure:
    """Per-layer curves, a panel per key: measured solid with markers, `predicted` dashed (same keys)."""
    return curves(panels, predicted, ylabel=ylabel, title=title, log=log, ncols=ncols, note=note)


def loss_curves(curves_: Mapping[str, Any], *, title: str = "", log: bool = True,
                hlines: Mapping[str, float] | None = None, steps: Sequence[float] | np.ndarray | None = None) -> Figure:
    """Training loss against step (step 0 = before training), a curve (or median and band) per key."""
    if not check_type("loss_curves", "curves", curves_, Mapping, "a mapping {name: losses}"):
        raise ValueError("loss_curves: no curves to draw")
    n = {k: _values(v, False, "loss_curves").shape[-1] for k, v in curves_.items()}  # points per curve
    if empty := [k for k in n if not n[k]]:
        raise ValueError(f"loss_curves: curve {empty[0]!r} has no values; give it a loss per step (nan: not drawn)")
    x = np.arange(max(n.values())) if steps is None else _steps("loss_curves", steps, max(n.values()))
    return curves({"": (x, curves_)}, xlabel="step", ylabel="loss", title=title, log=log, hlines=hlines)


def _steps(fn: str, steps: Any, n: int) -> Any:
    """`steps` of a loss figure, a number for each of the `n` losses of its longest curve (errors name `fn`)."""
    if not ordered(steps) or np.ndim(steps) != 1:
        raise TypeError(f"{fn}: steps must be a list of numbers, one a loss, got {quoted(steps):.60}")
    if len(steps) < n:
        raise ValueError(f"{fn}: steps has {len(steps)} values, but a curve has {n} losses: give a step per loss")
    return steps


def training_figure(steps: Sequence[float] | np.ndarray, losses: Mapping[str, np.ndarray],
                    accuracies: Mapping[str, tuple[np.ndarray, np.ndarray]], *, title: str = "") -> Figure:
    """The loss against step (median and band over seeds, log axis) beside a dot per network for its final train (o)
    and test (^) accuracy: where the seeds disagree, the dots spread."""
    if not any([check_type("training_figure", k, v, Mapping, "a mapping {name: values}") for k, v in (
            ("losses", losses), ("accuracies", accuracies))]):
        raise ValueError("training_figure: nothing to draw: losses and accuracies are both empty")
    if empty := [k for k, v in losses.items() if not _values(v, False, "training_figure").shape[-1]]:  # numbers
        raise ValueError(f"training_figure: losses[{empty[0]!r}] has no values; give it a loss per step (nan: not "
                         "drawn)")
    steps = _steps("training_figure", steps, max((_values(v, False).shape[-1] for v in losses.values()), default=0))
    if bad := [k for k, p in accuracies.items() if not (isinstance(p, (tuple, list)) and len(p) == 2 and all(
            isinstance(v, (tuple, list, np.ndarray)) for v in p))]:
        raise TypeError(f"training_figure: accuracies[{bad[0]!r}] must be a pair (train, test), each a list of "
                        f"accuracies (one per network), got {quoted(accuracies[bad[0]])}")
    lost = [sum(int(np.isnan(_values(v, False, "training_figure")).sum()) for v in p) for p in accuracies.values()]
    wide = max(1.0, len(accuracies) / 3)  # the strip's share of the width: a column of 1.3 in or more a network
    names = [_fit(label(k), (SLIDE[0] - 3.3) * wide / (1.6 + wide) / len(accuracies), 12) + f"\n({n} nan)" * bool(n)
             for k, n in zip(accuracies, lost)]  # each as wide as its column, a count of the dots not drawn
    rows = math.ceil((len(losses) + 1) / _per_row([label(k) for k in losses] + ["ln 2"], SLIDE[0]))  # of the legend
    bottom = max(1.2, 0.3 + 0.2 * max([t.count("\n") + 1 for t in names], default=1) + 0.34 * rows)
    with slide_style():
        fig = slide_figure(1, 2, (SLIDE[0], 5.0 + bottom), top=0.95, bottom=bottom, left=1.0, right=0.9, wgap=1.4,
                           width_ratios=(1.6, wide))
        ax, strip = fig.axes
        keys = list(dict.fromkeys([*losses, *accuracies]))  # one colour a name, in both panels
        colors = _colors(keys)
        handles = _panel(ax, losses, steps, hlines={"ln 2": math.log(2.0)}, order=keys)
        for i, (name, parts) in enumerate(accuracies.items()):
            for k, (v, symbol) in enumerate(zip(parts, "o^")):
                strip.plot(i + 0.22 * (k - 0.5) + np.linspace(-0.06, 0.06, len(v)) * (len(v) > 1), v, symbol,
                           color=colors[name], markersize=10, alpha=0.85)
        ax.set(xlabel="step", ylabel="loss")
        strip.set(xticks=range(len(accuracies)), ylabel="final accuracy", title="each network: train (o), test (^)")
        strip.set_xticklabels(names, fontsize=12)
        _room_for_ticks(fig, [ax], 1.0)
        legend_below(fig, handles)
        fig.suptitle(_title(title), fontsize="large")
    return fig


def histogram_grid(hists: Mapping[str, Sequence[tuple[np.ndarray, np.ndarray]]], *, title: str = "",
                   annotations: Mapping[str, Sequence[str]] | None = None, skip_spike: bool = False) -> Figure:
    """Histograms: a row per key (a scheme), a column per layer, all on the x range of the first panel.

    `hists`: row -> per layer `(counts, edges)`, `len(edges) == len(counts) + 1`; `annotations`: row -> a short text
    per panel (past 10 layers, as the layer numbers and ranges, of every 2nd, 3rd... panel). Each panel is scaled to
    its tallest bar, or with `skip_spike` to its tallest but the first (ReLU: the half of the units at 0), cut."""
    rows = list(check_type("histogram_grid", "hists", hists, Mapping, "a mapping {row: [(counts, edges)]}").items())
    annotations = check_type("histogram_grid", "annotations", annotations or {}, Mapping, "a mapping {row: [texts]}")
    if not rows or (empty := [k for k, v in rows if not len(check_type("histogram_grid", f"row {k!r}", v, Sequence,
                                                                       "a list of (counts, edges)"))]):
        raise ValueError("histogram_grid: " + (f"row {empty[0]!r} has no histograms" if rows else "no rows to draw"))
    ncols, nrows, edges0 = max(len(v) for _, v in rows), len(rows), np.asarray(rows[0][1][0][1], dtype=np.float64)
    every = math.ceil(ncols / 10)  # the texts of every layer (every other of 20, ...): more would run together
    lo, span = edges0[0], edges0[-1] - edges0[0]
    step, gap, names = 1.18 * span, 0.09 * span, {name: _wrap(label(name)) for name, _ in rows}
    left = max(2.0, 0.2 + 0.09 * max(len(line) for text in names.values() for line in text.split("\n")))
    with slide_style():
        fig = slide_figure(nrows, 1, (SLIDE[0], 1.15 * nrows + 1.3), top=0.95, bottom=0.45, left=left, hgap=0.13)
        colors = _colors(hists)
        for i, (ax, (name, layers)) in enumerate(zip(fig.axes, rows)):
            heights, xs = [], [np.array([-gap])]  # one StepPatch a row: far faster to draw than one a panel
            for j, (counts, edges) in enumerate(layers):
                counts, edges = np.asarray(counts, dtype=np.float64), np.asarray(edges, dtype=np.float64)
                if not counts.size or (bad := int((~np.isfinite(edges)).sum())):
                    raise ValueError(f"histogram_grid: row {name!r}, column {j}: " + (
                        f"{bad} of its {len(edges)} edges are nan or inf" if counts.size else "no counts"))
                if len(edges) != len(counts) + 1 or not np.allclose(edges[[0, -1]], edges0[[0, -1]]):
                    raise ValueError(f"histogram_grid: row {name!r}, column {j}: {len(counts)} counts need "
                                     f"{len(counts) + 1} edges over the first panel's range {edges0[[0, -1]].tolist()},"
                                     f" got {len(edges)} over {edges[[0, -1]].tolist() if len(edges) else []}")
                top = (counts[1:] if skip_spike and len(counts) > 1 else counts).max(initial=0) or 1.0
                heights += [[0.0], np.minimum(counts / top, 1.06)]
                xs.append(edges - lo + j * step)
                ax.axvline(j * step - gap, color="#bbbbbb", linewidth=0.8)
                if j < len(notes := annotations.get(name, [])) and j % every == 0:
                    ax.text(j * step + span * (every == 1), 1.45, notes[j], ha="right" if every == 1 else "left",
                            va="top", fontsize=11, linespacing=1.0)  # past 10 panels: over those to its right
            ax.add_artist(mpl().patches.StepPatch(np.concatenate(heights), np.concatenate(xs), fill=True, linewidth=0,
                                                  facecolor=colors[name], alpha=0.85))  # ax.stairs' drawing, but
            ax.set(xlim=(-gap, ncols * step - gap), ylim=(0, 1.5), xticks=[], yticks=[])  # no data limits: 2.5x faster
            ends = [format_number(lo + f * span, 2) for f in (0, 1)]  # 11 pt: about 0.085 in a letter
            fits = 0.085 * len("".join(ends)) + 0.08 <= ax.get_position().width * fig.get_figwidth() / ncols / 1.18
            for j in range(0, ncols * (i == nrows - 1) * fits, every):  # the range under a panel of the last row
                for f, ha in ((0, "left"), (1, "right")):  # (text: cheaper to draw than ticks), inside its panel
                    ax.text(j * step + f * span, -0.06, ends[f], ha=ha, va="top", fontsize=11)
            if i == nrows - 1 and not fits:  # panels too narrow for both ends: the range once, left of them
                ax.text(-0.01, -0.06, "each panel:\n" + " .. ".join(ends), transform=ax.get_yaxis_transform(),
                        ha="right", va="top", fontsize=11)
            ax.grid(False)
            ax.spines["left"].set_visible(False)
            ax.set_ylabel(names[name], rotation=0, ha="right", va="center", fontsize=12)
        for j in range(0, ncols, every):
            fig.axes[0].text(j * step + span / 2, 1.55, f"layer {j + 1}", ha="center", va="bottom", fontsize=13)
        fig.suptitle(_title(title), y=1 - 0.1 / fig.get_figheight(), va="top")
    return fig


def weight_heatmaps(matrices: Mapping[str, Sequence[tuple[str, np.ndarray]]], *, title: str = "") -> Figure:
    """Weight matrices `(fan_in, fan_out)` as heat maps, a row per key, a column per matrix: identical units are
    identical columns (colours symmetric about 0, the range in each panel's title)."""
    rows = list(check_type("weight_heatmaps", "matrices", matrices, Mapping, "a mapping {row: [(name, M)]}").items())
    if not rows or not (ncols := max(len(v) for _, v in rows)):
        raise ValueError("weight_heatmaps: nothing to draw")
    width = min(4.6 * ncols + 2.4, SLIDE[0])
    panels = {}  # (row, column) -> the matrix, its largest finite |entry| and its title, wrapped to the panel width
    for i, (name, mats) in enumerate(rows):
        for j, pair in enumerate(mats):
            matrix, M = check_type("weight_heatmaps", f"{name!r}[{j}]", pair, (tuple, list), "a pair (name, matrix)")
            if (M := np.asarray(M, dtype=np.float64)).ndim != 2 or not M.size:
                what = "has no entries" if M.ndim == 2 else "is not a matrix"
                raise ValueError(f"weight_heatmaps: {name!r} / {matrix!r} {what} (shape {M.shape})")
            finite = M[np.isfinite(M)]  # a nan or inf entry keeps the others' colours
            lim, bad = float(np.abs(finite).max(initial=0)), M.size - finite.size
            span = f"-{format_number(lim, 2)} (blue) .. +{format_number(lim, 2)} (red)" if lim else "all 0" if (
                finite.size) else "no finite entry"
            span, inches = span + f", {bad} nan/inf" * bool(bad), (width - 2.4 - 1.1 * (ncols - 1)) / ncols
            one = _fit(f"{matrix}: {span}", inches)  # on one line, or the range under the name
            panels[i, j] = (M, lim, one if "\n" not in one else _fit(f"{matrix}:\n{span}", inches))
    more = 0.25 * max(t.count("\n") for *_, t in panels.values())  # inches for the titles' further lines
    with slide_style():
        fig = slide_figure(len(rows), ncols, (width, (2.1 + more) * len(rows) + 1.2 + more), top=1.0 + more,
                           bottom=0.6, left=2.2, wgap=1.1, hgap=0.8 + more)
        for i, (name, mats) in enumerate(rows):
            axes = fig.axes[i * ncols:(i + 1) * ncols]
            for ax in axes[len(mats):]:
                ax.set_visible(False)
            for j, ax in enumerate(axes[:len(mats)]):
                M, lim, head = panels[i, j]
                ax.grid(False)
                ax.imshow(M, cmap="RdBu_r", vmin=-(lim or 1), vmax=lim or 1, aspect="auto", interpolation="nearest")
                n = M.shape[1]  # numbered every unit, or every k-th: 12 pt, about 0.09 in a digit and 0.08 between
                ticks = range(0, n, math.ceil(n * (0.09 * len(str(n)) + 0.08) / inches)) if n <= 16 else []
                ax.set(title=head, yticks=[], xticks=ticks, xticklabels=[t + 1 for t in ticks],
                       xlabel="unit" * (i == len(rows) - 1), ylabel=_fit(str(name), 1.9, 14) * (j == 0))
                ax.yaxis.label.set(rotation=0, ha="right", va="center")
        fig.suptitle(_title(title, inches=fig.get_figwidth()))
    return fig


def verdict_grid(rows: Sequence[str], cols: Sequence[str], words: Sequence[Sequence[str]], *,
                 title: str = "", note: str | None = None) -> Figure:
    """The verdict as a slide: a coloured cell with its word per row (activation) and column (scheme); `note` (the
    rules that gave the words) below the grid, at 11 pt."""
    if not (all(ordered(v) for v in (rows, cols, words)) and all(map(ordered, words))):
        raise TypeError(f"verdict_grid: rows and cols must be lists of names, words a list of rows of words, got "
                        f"{quoted(rows):.40}, {quoted(cols):.40}, {quoted(words):.60}")
    if not len(rows) or not len(cols):
        raise ValueError(f"verdict_grid: nothing to draw: {len(rows)} rows and {len(cols)} columns")
    if (lengths := [len(r) for r in words]) != [len(cols)] * len(rows):
        raise ValueError(f"verdict_grid: words must be {len(rows)} x {len(cols)} (rows x cols), got rows of {lengths}")
    names = [_fit(str(r), 2.0, 15) for r in rows]  # 16 letters a line, the margin as wide as the longest
    left = max([1.4] + [0.3 + 0.125 * len(line) for n in names for line in n.split("\n")])
    foot = _fit(note, SLIDE[0] - 0.2, 11, keep=True) if note else ""  # a number on the line of its "<"
    lines = foot.count("\n") + 1 if foot else 0
    with slide_style():
        fig = slide_figure(1, 1, (SLIDE[0], 1.0 * len(rows) + 1.5 + 0.21 * lines), top=1.2, bottom=0.15 + 0.21 * lines,
                           left=left)
        fig.text(0.1 / SLIDE[0], 0.08 / fig.get_figheight(), foot, fontsize=11, va="bottom") if foot else None
        ax = fig.axes[0]
        for i, row in enumerate(words):
            for j, w in enumerate(row):
                ax.add_patch(mpl().patches.Rectangle((j, -i - 1), 0.96, 0.92, color=WORD_COLORS.get(w, "#eeeeee")))
                ax.text(j + 0.48, -i - 0.54, w, ha="center", va="center", fontsize=16, weight="bold")
        ax.set(xlim=(-0.05, len(cols)), ylim=(-len(rows) - 0.05, 0), frame_on=False)
        fit = int((fig.get_figwidth() - left - 0.2) / max(len(cols), 1) / 0.09)  # letters a column holds at 12 pt
        ax.set_xticks([j + 0.48 for j in range(len(cols))], ["\n".join(textwrap.fill(t, fit) for t in _wrap(
            c, width=18).split("\n")) for c in cols], fontsize=12)  # a word longer than a column is broken
        ax.set_yticks([-i - 0.54 for i in range(len(rows))], names, fontsize=15)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.grid(False)
        fig.suptitle(_title(title))
    return fig


def figure_bytes(fig: Figure, fmt: str = "png", dpi: float | None = None) -> bytes:
    """The figure as `"png"`, `"svg"` or `"pdf"` bytes, the same for the same figure (PNG at `dpi`, default 100)."""
    check_type("figure_bytes", "fig", fig, mpl().figure.Figure, "a matplotlib Figure")
    key = check_choice("figure_bytes", "fmt", fmt, tuple(_METADATA))
    buf = io.BytesIO()  # a slide drawn with matplotlib's defaults, whatever the user's rcParams; a user's own figure
    with mpl().style.context(["default"] * (fig.get_label() == _SLIDE_LABEL) + [  # with them, as its savefig would
            {k: SLIDE_STYLE[k] for k in ("svg.hashsalt", "svg.fonttype")}]):
        fig.savefig(buf, format=key, metadata=_METADATA[key], dpi=SLIDE_STYLE["savefig.dpi"] if dpi is None else
                    check_real("figure_bytes", "dpi", dpi, 10),  # FreeType fails below 4
                    **{"pil_kwargs": {"compress_level": 1}} if key == "png" else {})  # a quarter faster, 10% larger
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, fmt: str | None = None, dpi: float | None = None) -> Path:
    """Write the figure to `path` (format from the suffix unless `fmt`); returns the path."""
    suffix = (p := writable("save_figure", path, "figure.png")).suffix[1:].lower()  # before the figure is drawn
    if not (fmt := fmt or suffix):
        raise ValueError("save_figure: give a file name ending in .png, .svg or .pdf, or pass fmt=")
    if suffix in _METADATA and suffix != str(fmt).lower():  # an SVG in a .png: no viewer opens it
        raise ValueError(f"save_figure: fmt={fmt!r} and the file name {str(path)!r} say two formats; give one")
    return write_whole(p, renamed("save_figure", figure_bytes, fig, fmt, dpi=dpi))  # its fig, fmt or dpi: the user's
