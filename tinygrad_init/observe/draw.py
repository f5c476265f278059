"""Pictures of computation graphs, fit for lecture slides (Graphviz).

:func:`draw` turns the graph behind a :class:`~tinygrad_init.Value` or a
:class:`~tinygrad_init.Tensor` into a :class:`graphviz.Digraph`, which a notebook
shows inline and :func:`render` writes as SVG, PNG, PDF or DOT text::

    from tinygrad_init import Value, draw

    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    o = (a * b + c).tanh(); o.label = "o"
    o.backward()
    g = draw.draw(o, show_data=True, show_grad=True, show_local=True)
    draw.render(g, "slide.svg")

What the shapes mean:

* **Value graphs** (micrograd style): every number is a record ``label | data | grad``
  (the label cell only when the Value has a label), and every op is a small
  circle (``*``, ``+``, ``tanh``) between its inputs and its result. With
  ``show_local=True`` each input edge carries the local derivative of the op
  with respect to that input, ``×-3.0``: the factor the upstream gradient is
  multiplied by on its way back ("upstream x local").
* **Tensor graphs**: ops are ellipses with the output shape and dtype;
  parameters are boxes named by their module path (``layers.2.weight``);
  inputs and constants are dashed boxes. With ``show_local=True`` the edges carry
  the op's backward rule for that input (``dW = x.T @ g``).

Colour legend (``color_by_grad=True``): the fill colour encodes the size of the
gradient on a **log scale**, one colour per decade from pale (small) to dark red
(large), with a legend in the picture giving the decades; for Value graphs the
size is ``|grad|``, for Tensor graphs the Frobenius norm of ``grad`` (or its
standard deviation with ``color_by_grad="std"``). In a deep net with a poor
initialization the colours fade layer by layer towards the input: the gradient
vanishes. Light grey means a gradient of exactly 0 (a dead ReLU, a zero weight),
white means no gradient is known (not computed yet, or dropped by the engine: use
``backward(retain_grads=True)`` or pass ``ledger=``), green means inf or nan. A
thick red outline marks ``highlight``-ed nodes and edges.

The DOT text is deterministic: node ids come from the walk order
(:func:`tinygrad_init.autograd.topological_order`), never from memory
addresses, and numbers are printed with a fixed number of significant digits,
so the same graph gives the same bytes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import graphviz
import numpy as np

from ..core import autograd
from .ledger import GradStats, Ledger, format_number, node_names

__all__ = [
    "draw", "draw_step", "frames", "trace", "Trace", "compare_inits", "render", "to_svg", "Picture",
    "GraphvizNotFoundError", "ColorScale", "grad_color",
]

# --------------------------------------------------------------------------- Graphviz binary

_INSTALL = (
    "Rendering a picture needs the Graphviz program `dot`, which was not found on PATH. Install it:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        winget install graphviz (then open a new terminal)\n"
    "The picture's DOT text is still available as `.source` (write it with render(g, 'graph.dot')).")


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """The Graphviz ``dot`` program is missing; the message says how to install it."""

    def __init__(self, detail: str = "") -> None:  # noqa: D107 - the message is the documentation
        RuntimeError.__init__(self, _INSTALL + (f"\n({detail})" if detail else ""))


class Picture(graphviz.Digraph):
    """A :class:`graphviz.Digraph` whose rendering errors say how to install Graphviz.

    In Jupyter it shows inline as SVG; without the ``dot`` program it shows the
    installation hint and the DOT text instead of a traceback.
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except GraphvizNotFoundError:
            raise
        except graphviz.ExecutableNotFound as e:
            raise GraphvizNotFoundError(str(e)) from None

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except GraphvizNotFoundError:
            raise
        except graphviz.ExecutableNotFound as e:
            raise GraphvizNotFoundError(str(e)) from None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotFoundError as e:
            return {"text/plain": f"{e}\n\n{self.source}"}


_FORMATS = {"svg", "png", "pdf", "dot", "gv", "jpg", "jpeg"}


def render(dot: graphviz.Digraph | graphviz.Source | str, path: str | os.PathLike, format: str | None = None) -> Path:
    """Write a picture to ``path`` as SVG, PNG, PDF, or DOT source.

    Args:
        dot: a picture from :func:`draw` (any ``graphviz`` graph), or DOT text.
        path: the file to write.
        format: ``"svg"``, ``"png"``, ``"pdf"``, ``"jpg"``, or ``"dot"``/``"gv"`` for the DOT
            text itself (no Graphviz program needed); default: from the file's suffix.

    Returns:
        The path written.

    Raises:
        GraphvizNotFoundError: the ``dot`` program is missing (the DOT text can still be written).
        ValueError: an unknown format.
    """
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".") or "svg").lower()
    if fmt not in _FORMATS:
        raise ValueError(f"render: unknown format {fmt!r}; use one of svg, png, pdf, jpg, dot "
                         f"(given by format= or by the suffix of {str(path)!r})")
    source = dot if isinstance(dot, str) else dot.source
    if fmt in ("dot", "gv"):
        path.write_text(source, encoding="utf-8")
        return path
    path.write_bytes(_pipe(source, fmt))
    return path


def _pipe(source: str, fmt: str) -> bytes:
    try:
        return graphviz.Source(source).pipe(format=fmt)
    except graphviz.ExecutableNotFound as e:
        raise GraphvizNotFoundError(str(e)) from None


def to_svg(dot: graphviz.Digraph | graphviz.Source | str) -> str:
    """The picture as SVG text (needs the ``dot`` program)."""
    return _pipe(dot if isinstance(dot, str) else dot.source, "svg").decode("utf-8")


# --------------------------------------------------------------------------- colours

#: Colour stops from small to large gradients (pale yellow to dark red), sRGB.
_STOPS = ((255, 247, 236), (253, 212, 158), (252, 141, 89), (215, 48, 31), (127, 0, 0))
ZERO_COLOR = "#d9d9d9"      # exactly zero gradient
UNKNOWN_COLOR = "#ffffff"   # no gradient known
BAD_COLOR = "#74c476"       # inf or nan


def grad_color(t: float) -> str:
    """The fill colour at position ``t`` in [0, 1] of the gradient scale (0 small, 1 large)."""
    t = min(max(float(t), 0.0), 1.0) * (len(_STOPS) - 1)
    i = min(int(t), len(_STOPS) - 2)
    u = t - i
    rgb = [round(a + (b - a) * u) for a, b in zip(_STOPS[i], _STOPS[i + 1])]
    return "#%02x%02x%02x" % tuple(rgb)


def _luminance(color: str) -> float:
    r, g, b = (int(color[k:k + 2], 16) / 255 for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(frozen=True)
class ColorScale:
    """A log scale from ``10**lo`` (palest) to ``10**hi`` (darkest).

    Attributes:
        lo, hi: decades (integers) of the smallest and largest gradient drawn.
        what: what is measured ("|grad|", "|grad|_F", "std(grad)"), for the legend.
    """

    lo: int
    hi: int
    what: str = "|grad|"

    @classmethod
    def fit(cls, magnitudes: Iterable[float | None], what: str = "|grad|") -> "ColorScale":
        """The scale spanning whole decades around the positive finite magnitudes."""
        ms = [m for m in magnitudes if m is not None and m > 0 and math.isfinite(m)]
        if not ms:
            return cls(0, 1, what)
        lo = math.floor(math.log10(min(ms)))
        hi = math.ceil(math.log10(max(ms)))
        if hi <= lo:
            hi = lo + 1
        return cls(lo, hi, what)

    def color(self, m: float | None) -> str:
        """The fill colour of a gradient of size ``m`` (None: unknown)."""
        if m is None:
            return UNKNOWN_COLOR
        if not math.isfinite(m):
            return BAD_COLOR
        if m <= 0:
            return ZERO_COLOR
        return grad_color((math.log10(m) - self.lo) / (self.hi - self.lo))

    def decades(self, max_entries: int = 7) -> list[int]:
        """The decades shown in the legend (every one, or evenly thinned to ``max_entries``)."""
        ds = list(range(self.lo, self.hi + 1))
        if len(ds) <= max_entries:
            return ds
        step = math.ceil((len(ds) - 1) / (max_entries - 1))
        out = ds[::step]
        if out[-1] != ds[-1]:
            out.append(ds[-1])
        return out


def _fontcolor(fill: str) -> str:
    return "white" if _luminance(fill) < 0.45 else "black"


# --------------------------------------------------------------------------- module traces


@dataclass
class Trace:
    """Which tensors each module of a model received and produced in one forward pass.

    Made by :func:`trace`; pass it as ``draw(loss, module=tr)`` to group the ops of
    each module in a cluster (or collapse them into one node).

    Attributes:
        model: the traced module.
        output: what ``model(*inputs)`` returned.
        calls: ``(path, module, inputs, output)`` for every module call, in the order
            the calls finished (inner modules before outer ones).
    """

    model: Any
    output: Any
    calls: list = field(default_factory=list)


def trace(model: Any, *inputs: Any) -> Trace:
    """Run ``model(*inputs)`` with forward hooks that note what every sub-module produced.

    Nothing about the model changes (the hooks are removed again, also on error).
    Use the output to build the loss, then draw::

        tr = draw.trace(model, x)
        loss = nn.mse_loss(tr.output, y)
        loss.backward(retain_grads=True)
        draw.draw(loss, module=tr, color_by_grad=True)

    Args:
        model: an ``nn.Module``.
        *inputs: the forward's arguments.

    Returns:
        A :class:`Trace`.
    """
    if not hasattr(model, "named_modules") or not hasattr(model, "register_forward_hook"):
        raise TypeError(f"trace: expected an nn.Module, got {type(model).__name__}")
    list(model.named_parameters())  # gives every parameter its path as .name (layers.0.weight)
    tr = Trace(model, None)
    handles = []
    try:
        for path, m in model.named_modules():
            def hook(mod: Any, args: tuple, out: Any, _path: str = path) -> None:
                tr.calls.append((_path, mod, args, out))
            handles.append(m.register_forward_hook(hook))
        tr.output = model(*inputs)
    finally:
        for h in handles:
            h.remove()
    return tr


def _tensors(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return [t for item in x for t in _tensors(item)]
    return [getattr(x, "grad_fn", None) or x] if hasattr(x, "parents") and hasattr(x, "data") else []


# --------------------------------------------------------------------------- the scene


@dataclass
class _Item:
    id: str
    attrs: dict
    magnitude: float | None
    has_grad_info: bool
    cluster: str | None
    topo: int
    highlight: bool = False
    extra: list = field(default_factory=list)  # (id, attrs) drawn beside it (a Value's op bubble)


@dataclass
class _Scene:
    items: list
    edges: list  # (tail, head, attrs)
    clusters: dict  # path -> (order key, label)
    what: str

    @property
    def magnitudes(self) -> list:
        return [it.magnitude for it in self.items if it.has_grad_info]


def _esc_record(s: str) -> str:
    out = []
    for ch in s:
        if ch in "{}|<>\\\"":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _esc(s: str) -> str:
    """Text for a DOT string: backslashes and quotes escaped (so that user text stays literal)."""
    return s.replace("\\", "\\\\").replace('"', '\\"')


def _lines(lines: Iterable[str]) -> str:
    """Several lines of text as one DOT label (centred lines)."""
    return "\\n".join(_esc(str(line)) for line in lines)


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _values_text(a: np.ndarray, digits: int) -> str:
    flat = np.asarray(a, dtype=np.float64).reshape(-1)
    body = ", ".join(format_number(v, digits) for v in flat)
    return body if a.ndim == 0 else f"[{body}]"


def _info_from(value: Any, scalar: bool) -> Any:
    """Normalise a known-gradient entry: float for Value graphs, GradStats for Tensor graphs."""
    if value is None:
        return None
    if scalar:
        return float(value)
    if isinstance(value, GradStats):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return GradStats((), math.nan, math.nan, float(abs(value)))
    return GradStats.of(np.asarray(getattr(value, "data", value)))


def _array_of(value: Any) -> np.ndarray | None:
    if value is None or isinstance(value, (GradStats, int, float)):
        return None
    return np.asarray(getattr(value, "data", value))


def _grad_infos(root: Any, order: list, scalar: bool, known_grads: Any,
                ledger: Ledger | None) -> tuple[dict, dict]:
    """node -> gradient info (float for Value, GradStats for Tensor), and node -> array where known."""
    if known_grads is not None:
        if isinstance(known_grads, Mapping):
            src = {n: known_grads[n] for n in order if n in known_grads}
        else:
            keep = set(known_grads)
            src = {n: n.grad for n in order if n in keep}
    elif ledger is not None:
        idx = [ps.index for ps in ledger.passes if ps.root is root]
        if not idx:
            raise ValueError("draw: the ledger= given holds no backward pass from this root; record "
                             "`with ledger.record() as steps: root.backward()` and pass ledger=steps")
        final = ledger.final_grads(idx[-1])
        src = {n: final[n] for n in order if n in final}
    else:
        src = {n: n.grad for n in order}
    infos = {n: _info_from(v, scalar) for n, v in src.items()}
    arrays = {} if scalar else {n: a for n, v in src.items() if (a := _array_of(v)) is not None}
    return infos, arrays


def _magnitude(info: Any, scalar: bool, mode: str) -> float | None:
    """The size used for colouring: |grad| (Value), the norm or the std of the gradient (Tensor)."""
    if info is None:
        return None
    if scalar:
        return abs(info)
    if mode == "std" and math.prod(info.shape) > 1 and info.std == info.std:
        return info.std
    return info.norm


def _module_owner(module: Any, order: list) -> tuple[dict, dict, dict]:
    """node -> owning module path, path -> (index, module), path -> traced output node."""
    tr = module if isinstance(module, Trace) else None
    model = tr.model if tr is not None else module
    if not hasattr(model, "named_modules") or not hasattr(model, "named_parameters"):
        raise TypeError(f"draw: module= must be an nn.Module or a Trace from draw.trace(model, x), got "
                        f"{type(module).__name__}")
    modules = {path: (i, m) for i, (path, m) in enumerate(model.named_modules())}
    in_graph = set(order)
    owner: dict = {}
    outputs: dict = {}
    if tr is not None:
        calls = sorted(tr.calls, key=lambda c: (c[0].count(".") + 1 if c[0] else 0))
        for path, _m, args, out in calls:
            if not path:
                continue
            outs = [t for t in _tensors(out) if t in in_graph]
            if not outs:
                continue
            outputs[path] = outs[-1]
            before: set = set()
            for t in _tensors(list(args)):
                before.update(autograd.topological_order(t))
            for t in outs:
                for n in autograd.topological_order(t):
                    if n in before or n not in in_graph:
                        continue
                    if not n.parents and not n.requires_grad:
                        continue  # data and constants stay outside the clusters
                    owner[n] = path
    for full, p in model.named_parameters():
        if p in in_graph:
            owner[p] = full.rsplit(".", 1)[0] if "." in full else ""
    owner = {n: path for n, path in owner.items() if path}
    return owner, modules, outputs


def _build(root: Any, *, prefix: str = "", rankdir: str = "LR", show_data: bool = False, show_grad: bool = False,
           show_local: bool = False, show_stats: bool = False, show_names: bool = False,
           color_by_grad: bool | str = False, module: Any = None, collapse: Any = None,
           max_nodes: int | None = None, highlight: Any = None, highlight_edges: Any = None,
           known_grads: Any = None, ledger: Ledger | None = None, precision: int = 4) -> _Scene:
    if not hasattr(root, "parents"):
        raise TypeError(f"draw: expected a Value or a Tensor, got {type(root).__name__}")
    root = getattr(root, "grad_fn", None) or root  # a tensor's graph node
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw: rankdir must be 'LR' (left to right) or 'TB' (top to bottom), got {rankdir!r}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or int(max_nodes) < 1):
        raise ValueError(f"draw: max_nodes must be a positive integer, got {max_nodes!r}")
    scalar = bool(root.scalar)
    mode = "std" if color_by_grad == "std" else "norm"
    if color_by_grad not in (False, True, "norm", "std", None):
        raise ValueError(f"draw: color_by_grad must be True, 'norm' or 'std', got {color_by_grad!r}")
    what = "|grad|" if scalar else ("std(grad)" if mode == "std" else "|grad|_F")
    order = autograd.topological_order(root)
    topo = {n: i for i, n in enumerate(order)}
    names = node_names(order)
    need_grads = show_grad or show_stats or color_by_grad
    infos, arrays = _grad_infos(root, order, scalar, known_grads, ledger) if need_grads else ({}, {})
    fmt = lambda x: format_number(x, precision)  # noqa: E731

    # Modules: clusters and collapsed groups (Tensor graphs only).
    owner: dict = {}
    modules: dict = {}
    outputs: dict = {}
    if module is not None:
        if scalar:
            raise TypeError("draw: module= groups the ops of a Tensor graph by nn.Module; a Value graph has no "
                            "modules (its labels, such as L0.n3.w1, already name layer and neuron)")
        owner, modules, outputs = _module_owner(module, order)
    collapsed: list[str] = []
    if collapse:
        if module is None or not isinstance(module, Trace):
            raise ValueError("draw: collapse= needs to know which ops each module produced: pass "
                             "module=draw.trace(model, x) (and build the loss from its .output)")
        owned_paths = set(owner.values())
        if collapse is True:
            collapsed = [p for p, (_, m) in modules.items() if p and not list(m.children())
                         and any(o == p or o.startswith(p + ".") for o in owned_paths)]
        else:
            wanted = [collapse] if isinstance(collapse, str) else list(collapse)
            for p in wanted:
                if p not in modules or not p:
                    known = ", ".join(repr(q) for q in modules if q)
                    raise ValueError(f"draw: collapse: no module named {p!r}; the modules are: {known}")
            collapsed = wanted
    group_of: dict = {}
    for n, path in owner.items():
        for p in collapsed:
            if path == p or path.startswith(p + "."):
                group_of[n] = p
                break

    def unit(n: Any) -> Any:
        g = group_of.get(n)
        return ("m", g) if g is not None else ("n", topo[n])

    # Units in breadth-first order from the root (for max_nodes).
    units_order: list = []
    seen_units: set = set()
    members: dict = {}
    for n in order:
        members.setdefault(unit(n), []).append(n)
    queue = [root]
    qi = 0
    seen_nodes = {root}
    while qi < len(queue):
        n = queue[qi]
        qi += 1
        u = unit(n)
        if u not in seen_units:
            seen_units.add(u)
            units_order.append(u)
        for p in n.parents:
            if p not in seen_nodes:
                seen_nodes.add(p)
                queue.append(p)
    kept_units = units_order if max_nodes is None else units_order[: int(max_nodes)]
    kept = set(kept_units)
    first = {u: min(topo[n] for n in members[u]) for u in kept_units}
    kept_units = sorted(kept_units, key=first.__getitem__)  # draw inputs first, the root last

    hl_nodes: set = set()
    if highlight is not None:
        hl_nodes = set(highlight) if isinstance(highlight, (set, frozenset, list, tuple)) else {highlight}
    hl_edges: set = set()
    for e in highlight_edges or ():
        hl_edges.add(tuple(e[:2]) if len(e) == 2 else (e[0], e[1], e[2]))

    def edge_is_highlighted(node: Any, parent: Any, j: int) -> bool:
        return (node, parent) in hl_edges or (node, parent, j) in hl_edges

    items: list[_Item] = []
    ids: dict = {}  # unit -> DOT id of the head (the op bubble for Value nodes) and tail

    def tensor_lines(n: Any, info: Any) -> list[str]:
        lines = []
        if n.data is None:  # an op's result: the graph keeps its shape, not its buffer
            pass
        elif show_data:
            if n.data.size <= 8:
                lines.append("data " + _values_text(n.data, precision))
            elif not show_stats:
                d = np.asarray(n.data, dtype=np.float64)
                lines.append(f"data mean {fmt(d.mean())}, std {fmt(d.std())}")
        if show_stats and n.data is not None:
            d = np.asarray(n.data, dtype=np.float64)
            lines.append(f"data mean {fmt(d.mean())}, std {fmt(d.std())}")
        if not n.requires_grad:
            return lines  # data and constants never get a gradient
        if show_grad:
            arr = arrays.get(n)
            if info is None:
                lines.append("grad ?")
            elif arr is not None and arr.size <= 8:
                lines.append("grad " + _values_text(arr, precision))
            elif not show_stats:
                lines.append(f"|grad| {fmt(info.norm)}")
        if show_stats:
            if info is None:
                lines.append("grad ?")
            else:
                mean = "" if info.mean != info.mean else f"mean {fmt(info.mean)}, "
                std = "" if info.std != info.std else f"std {fmt(info.std)}, "
                lines.append(f"grad {mean}{std}|grad| {fmt(info.norm)}")
        return lines

    for u in kept_units:
        ns = members[u]
        if u[0] == "m":
            path = u[1]
            idx, m = modules[path]
            out = outputs.get(path)
            info = infos.get(out) if out is not None else None
            lines = [path, type(m).__name__]
            if out is not None:
                lines.append(f"-> {_shape_text(out.shape)} {out.dtype}")
                lines += [ln for ln in tensor_lines(out, info) if "grad" in ln]
            attrs = {"label": _lines(lines), "shape": "box3d"}
            mag = _magnitude(info, scalar, mode) if need_grads else None
            parent_cluster = path.rsplit(".", 1)[0] if "." in path else None
            item = _Item(f"{prefix}m{idx}", attrs, mag, info is not None, parent_cluster if parent_cluster in
                         modules else None, min(topo[n] for n in ns),
                         highlight=any(n in hl_nodes for n in ns))
            ids[u] = (item.id, item.id)
            items.append(item)
            continue
        (n,) = ns
        i = topo[n]
        nid = f"{prefix}n{i}"
        info = infos.get(n) if need_grads else None
        mag = _magnitude(info, scalar, mode) if need_grads else None
        if scalar:
            cells = []
            if n.label:
                cells.append(_esc_record(str(n.label)))
            elif show_names:
                cells.append(_esc_record(names[n]))
            if show_data:
                cells.append("data " + fmt(n.data))
            if show_grad:
                cells.append("grad " + ("?" if info is None else fmt(info)))
            if not cells:
                cells.append(_esc_record(names[n]))
            body = " | ".join(cells)
            label = "{ " + body + " }" if rankdir in ("LR", "RL") else body
            attrs = {"label": label, "shape": "record"}
            item = _Item(nid, attrs, mag, info is not None, None, i, highlight=n in hl_nodes)
            if n.parents:
                op = str(n.op) or "?"
                item.extra.append((nid + "op", {"label": _esc(op), "shape": "circle" if len(op) <= 2 else "ellipse",
                                                "fontsize": "10", "margin": "0.02", "width": "0.3",
                                                "height": "0.3"}))
                ids[u] = (nid + "op", nid)
            else:
                ids[u] = (nid, nid)
        else:
            is_param = not n.parents and n.requires_grad
            if n.parents:
                title = f"{n.name} = {n.op}" if n.name else n.op
                if show_names and not n.name:
                    title = f"{names[n]} = {n.op}"
                shape, style = "ellipse", ""
            elif is_param:
                title = n.name or names[n]
                shape, style = "box", ""
            else:
                title = n.name or ("constant" if n.data.size == 1 else "data")
                if show_names and not n.name:
                    title = f"{names[n]}: {title}"
                if n.op:
                    title += f" ({n.op}, no grad)"
                shape, style = "box", "dashed"
            lines = [title, f"{_shape_text(n.shape)} {n.dtype}"] + tensor_lines(n, info)
            attrs = {"label": _lines(lines), "shape": shape}
            if style:
                attrs["style"] = style
            item = _Item(nid, attrs, mag, info is not None, owner.get(n), i, highlight=n in hl_nodes)
            ids[u] = (nid, nid)
        items.append(item)

    # Edges between kept units; dropped parents are summarised in one node.
    edges: list = []
    seen_pairs: set = set()
    omitted = [n for n in order if unit(n) not in kept]
    hidden_targets: list = []
    for u in kept_units:
        for n in members[u]:
            if u[0] == "n" and not n.parents:
                continue
            head = ids[u][0]
            for j, p in enumerate(n.parents):
                pu = unit(p)
                if pu == u:
                    continue
                if pu not in kept:
                    if u not in hidden_targets:
                        hidden_targets.append(u)
                    continue
                tail = ids[pu][1]
                attrs: dict = {}
                if u[0] == "m" or pu[0] == "m":
                    if (tail, head) in seen_pairs:
                        continue
                    seen_pairs.add((tail, head))
                elif show_local:
                    if scalar:
                        attrs["label"] = _esc("×" + fmt(n.locals[j]))
                    else:
                        rules = getattr(n, "rules", ())
                        if j < len(rules):
                            attrs["label"] = _esc(rules[j])
                if edge_is_highlighted(n, p, j):
                    attrs.update({"color": "#d62728", "penwidth": "2.5", "fontcolor": "#d62728"})
                edges.append((tail, head, attrs))
        if u[0] == "n" and scalar and members[u][0].parents:
            edges.append((ids[u][0], ids[u][1], {}))
    if omitted:
        counts: dict = {}
        for n in omitted:
            if n.parents:
                k = str(n.op)
            elif scalar:
                k = "leaves"
            else:
                k = "parameters" if n.requires_grad else "data"
            counts[k] = counts.get(k, 0) + 1
        kinds = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        text = ", ".join(f"{c} {k}" for k, c in kinds[:5]) + (", ..." if len(kinds) > 5 else "")
        label = f"... {len(omitted)} more node{'s' if len(omitted) != 1 else ''}: {text}"
        sid = f"{prefix}more"
        items.append(_Item(sid, {"label": _esc(label), "shape": "note", "style": "dashed"}, None, False, None,
                           -1))
        for u in hidden_targets:
            edges.append((sid, ids[u][0], {"style": "dashed"}))

    clusters: dict = {}
    used = {it.cluster for it in items if it.cluster}
    for path in sorted(used):
        parts = path.split(".")
        for k in range(1, len(parts) + 1):
            sub = ".".join(parts[:k])
            if sub in modules and sub not in clusters:
                idx, m = modules[sub]
                clusters[sub] = (idx, f"{sub} ({type(m).__name__})")
    return _Scene(items, edges, clusters, what)


def _style_item(item: _Item, scale: ColorScale | None) -> dict:
    attrs = dict(item.attrs)
    styles = [s for s in attrs.pop("style", "").split(",") if s]
    if scale is not None:
        fill = scale.color(item.magnitude) if item.has_grad_info else UNKNOWN_COLOR
        styles.append("filled")
        attrs["fillcolor"] = fill
        if _fontcolor(fill) != "black":
            attrs["fontcolor"] = _fontcolor(fill)
    if item.highlight:
        attrs.update({"color": "#d62728", "penwidth": "3"})
    if styles:
        attrs["style"] = ",".join(styles)
    return attrs


def _emit(g: graphviz.Digraph, scene: _Scene, scale: ColorScale | None, prefix: str = "") -> None:
    by_cluster: dict = {}
    for it in scene.items:
        by_cluster.setdefault(it.cluster, []).append(it)

    def put(target: graphviz.Digraph, its: list) -> None:
        for it in its:
            target.node(it.id, **_style_item(it, scale))
            for xid, xattrs in it.extra:
                target.node(xid, **xattrs)

    put(g, by_cluster.get(None, []))
    children: dict = {}
    for path in scene.clusters:
        parent = path.rsplit(".", 1)[0] if "." in path else None
        while parent is not None and parent not in scene.clusters:
            parent = parent.rsplit(".", 1)[0] if "." in parent else None
        children.setdefault(parent, []).append(path)
    for v in children.values():
        v.sort(key=lambda p: scene.clusters[p][0])

    def open_cluster(target: graphviz.Digraph, path: str) -> None:
        # Recursion over the module tree (a few levels), not over the graph.
        idx, label = scene.clusters[path]
        sub = Picture(name=f"cluster_{prefix}m{idx}")
        sub.attr(label=_esc(label), style="rounded", color="#7f7f7f", fontsize="10")
        put(sub, by_cluster.get(path, []))
        for c in children.get(path, []):  # children go into `sub` before `sub` goes into `target`
            open_cluster(sub, c)
        target.subgraph(sub)

    for top in children.get(None, []):
        open_cluster(g, top)
    for tail, head, attrs in scene.edges:
        g.edge(tail, head, **attrs)


def _legend(g: graphviz.Digraph, scale: ColorScale, scenes: Sequence[_Scene], prefix: str = "") -> None:
    mags = [m for s in scenes for m in s.magnitudes]
    unknown = any(not it.has_grad_info and it.attrs.get("shape") != "note" for s in scenes for it in s.items)
    leg = Picture(name=f"cluster_{prefix}legend")
    leg.attr(label=_esc(f"{scale.what}, log scale"), style="rounded", color="#7f7f7f", fontsize="10")
    ids = []
    for k, d in enumerate(scale.decades()):
        fill = scale.color(10.0 ** d)
        lid = f"{prefix}legend{k}"
        attrs = {"label": f"1e{d:+03d}" if d else "1", "shape": "box", "style": "filled", "fillcolor": fill}
        if _fontcolor(fill) != "black":
            attrs["fontcolor"] = _fontcolor(fill)
        leg.node(lid, **attrs)
        ids.append(lid)
    if any(m == 0 for m in mags):
        leg.node(f"{prefix}legend_zero", label="0", shape="box", style="filled", fillcolor=ZERO_COLOR)
        ids.append(f"{prefix}legend_zero")
    if any(m is not None and not math.isfinite(m) for m in mags):
        leg.node(f"{prefix}legend_bad", label="inf/nan", shape="box", style="filled", fillcolor=BAD_COLOR)
        ids.append(f"{prefix}legend_bad")
    if unknown:
        leg.node(f"{prefix}legend_unknown", label="no grad", shape="box", style="filled", fillcolor=UNKNOWN_COLOR)
        ids.append(f"{prefix}legend_unknown")
    for a, b in zip(ids, ids[1:]):
        leg.edge(a, b, style="invis")
    g.subgraph(leg)


def _new_picture(rankdir: str, title: str | None) -> Picture:
    g = Picture(graph_attr={"rankdir": rankdir, "fontname": "Helvetica"},
                node_attr={"fontname": "Helvetica", "fontsize": "11"},
                edge_attr={"fontname": "Helvetica", "fontsize": "9"})
    if title:
        g.attr(label=_lines(title.split("\n")), labelloc="t")
    return g


def draw(root: Any, *, rankdir: str = "LR", show_data: bool = False, show_grad: bool = False,
         show_local: bool = False, show_stats: bool = False, show_names: bool = False,
         color_by_grad: bool | str = False, grad_range: tuple[int, int] | None = None, module: Any = None,
         collapse: bool | str | Sequence[str] | None = None, max_nodes: int | None = None,
         highlight: Any = None, highlight_edges: Iterable[tuple] | None = None, known_grads: Any = None,
         ledger: Ledger | None = None, precision: int = 4, title: str | None = None,
         legend: bool = True) -> Picture:
    """Draw the computation graph that produced ``root``.

    Every feature is a keyword flag and off by default.

    Colours (``color_by_grad``): fill = gradient size on a log scale, pale yellow (small)
    to dark red (large), one legend box per decade; light grey = exactly 0, white = no
    gradient known, green = inf/nan. Red outlines mark ``highlight``/``highlight_edges``.

    Args:
        root: a :class:`~tinygrad_init.Value` or :class:`~tinygrad_init.Tensor` (usually the loss).
        rankdir: ``"LR"`` (inputs left, output right) or ``"TB"`` (top to bottom).
        show_data: Value: a ``data`` cell. Tensor: the values of tensors with at most 8
            elements, mean and std of larger ones.
        show_grad: Value: a ``grad`` cell (``?`` where unknown). Tensor: the gradient's values
            (at most 8 elements) or its Frobenius norm ``|grad|``.
        show_local: label each edge with the local derivative: ``×-3.0`` (Value: the factor
            d(out)/d(input) the upstream gradient is multiplied by) or the op's backward rule
            for that input (Tensor: ``dW = x.T @ g``).
        show_stats: Tensor: mean and std of data and gradient (and the gradient's norm).
        show_names: show the names the ledger uses (``mul#3``) on unlabelled nodes.
        color_by_grad: fill nodes by gradient size on a log scale (see the module docstring
            for the legend): True/``"norm"`` (|grad|, Frobenius norm for tensors) or ``"std"``.
        grad_range: ``(lo, hi)`` decades of the colour scale (default: fitted to the graph);
            fix it to compare several pictures.
        module: Tensor graphs: an ``nn.Module`` (its parameters are grouped in one cluster per
            module, by their path) or a :class:`Trace` from :func:`trace` (the ops each module
            produced are grouped too).
        collapse: draw modules as single nodes: True (every module without sub-modules) or a
            list of paths such as ``["layers.0", "layers.2"]``. Needs ``module=trace(...)``.
        max_nodes: draw at most this many nodes (those nearest the root) and summarise the rest
            in one node ("... 1234 more nodes: 600 *, 600 +, ...").
        highlight: a node (or a collection of nodes) to outline in red.
        highlight_edges: ``(node, parent)`` or ``(node, parent, parent_index)`` edges to draw in red.
        known_grads: only show these gradients: a set of nodes (their current ``.grad``; the
            others read ``?``) or a dict node -> gradient (a float, an array or
            :class:`~tinygrad_init.ledger.GradStats`), as :meth:`Ledger.state` gives.
        ledger: take the gradients from a recorded backward pass (this includes intermediate
            tensors, whose ``.grad`` the engine drops).
        precision: significant digits of the numbers.
        title: a caption at the top.
        legend: draw the colour legend when colouring.

    Returns:
        A :class:`Picture` (a ``graphviz.Digraph``): ``.source`` is the DOT text; in Jupyter it
        shows inline; :func:`render` writes it to a file.
    """
    scene = _build(root, rankdir=rankdir, show_data=show_data, show_grad=show_grad, show_local=show_local,
                   show_stats=show_stats, show_names=show_names, color_by_grad=color_by_grad, module=module,
                   collapse=collapse, max_nodes=max_nodes, highlight=highlight, highlight_edges=highlight_edges,
                   known_grads=known_grads, ledger=ledger, precision=precision)
    g = _new_picture(rankdir, title)
    scale = None
    if color_by_grad:
        scale = (ColorScale(int(grad_range[0]), int(grad_range[1]), scene.what) if grad_range is not None
                 else ColorScale.fit(scene.magnitudes, scene.what))
        if scale.hi <= scale.lo:
            raise ValueError(f"draw: grad_range must be (lo, hi) decades with lo < hi, got {grad_range}")
    _emit(g, scene, scale)
    if scale is not None and legend:
        _legend(g, scale, [scene])
    return g


# --------------------------------------------------------------------------- stepping through backward


def draw_step(steps: Ledger, k: int, *, show_grad: bool = True, show_local: bool = True,
              show_data: bool = True, caption: bool = True, **kwargs: Any) -> Picture:
    """The graph after the first ``k`` chain-rule steps of a recorded backward pass.

    Only the gradients known after ``k`` steps are filled in (the others read ``?``);
    the node that passes its gradient on in step ``k`` (``steps[k-1]``), its parent
    and the edge between them are outlined in red, and the caption is the ledger's line
    for that step. ``k = 0`` shows the seed only; ``k = len(steps)`` the finished pass.

    Args:
        steps: a :class:`~tinygrad_init.ledger.Ledger`.
        k: how many steps have been performed, ``0 <= k <= len(steps)``.
        show_grad, show_local, show_data, caption: as in :func:`draw` (on by default here).
        **kwargs: any other option of :func:`draw`.
    """
    return _draw_state(steps, steps.state(k), show_grad=show_grad, show_local=show_local, show_data=show_data,
                       caption=caption, **kwargs)


def _draw_state(steps: Ledger, state: Any, *, caption: bool, **kwargs: Any) -> Picture:
    s = state.step
    hl = kwargs.pop("highlight", None)
    hl_edges = kwargs.pop("highlight_edges", None)
    if s is not None:
        hl = {s.node, s.parent} if hl is None else hl
        hl_edges = [(s.node, s.parent, s.parent_index)] if hl_edges is None else hl_edges
    title = kwargs.pop("title", None)
    if caption and title is None:
        root = state.pass_.root_symbol
        title = steps.line(state.k - 1) if s is not None else f"step 0 of {len(steps)}: d{root}/d{root} = seed"
    return draw(state.pass_.root, known_grads=state.grads, highlight=hl, highlight_edges=hl_edges, title=title,
                **kwargs)


def frames(steps: Ledger, *, show_grad: bool = True, show_local: bool = True, show_data: bool = True,
           caption: bool = True, **kwargs: Any) -> list[str]:
    """DOT text of :func:`draw_step` for ``k = 0, 1, ..., len(steps)`` (one frame per step)."""
    return [_draw_state(steps, st, show_grad=show_grad, show_local=show_local, show_data=show_data,
                        caption=caption, **dict(kwargs)).source for st in steps.states()]


# --------------------------------------------------------------------------- comparing initializations


def compare_inits(sizes: Sequence[int] = (2, 4, 4, 1), schemes: Sequence[str | Callable] = ("small", "xavier_uniform",
                  "he_normal"), *, activation: str = "tanh", engine: str = "tensor", batch: int = 16,
                  rng: np.random.Generator | int | None = 0, rankdir: str = "LR", show_grad: bool = False,
                  show_stats: bool = False, **kwargs: Any) -> Picture:
    """The same small MLP drawn once per initialization, coloured by gradient size on one scale.

    Each scheme gets a cluster; all clusters share one log colour scale and one legend,
    so a scheme whose gradients vanish towards the input looks visibly paler there.
    The data, the targets and the random stream of the weights are the same for every
    scheme (the loss is the mean squared error against random targets).

    Args:
        sizes: layer widths ``[n_in, ..., n_out]``.
        schemes: initialization schemes (names for :func:`tinygrad_init.init.get` or functions).
        activation: "tanh", "sigmoid", "relu" or "linear".
        engine: ``"tensor"`` (one node per weight matrix; ``batch`` samples) or ``"value"``
            (a scalar MLP, one node per weight; one sample).
        batch: number of samples (tensor engine).
        rng: a Generator, seed or None: the data and the weights.
        rankdir, show_grad, show_stats, **kwargs: as in :func:`draw`.

    Returns:
        A :class:`Picture` with one cluster per scheme and a legend.
    """
    from ..nn import init as init_mod
    from .. import nn
    from ..nn import scalar as scalar_nn
    from ..core.tensor import Tensor
    from ..utils import as_rng
    from ..core.value import Value

    if engine not in ("tensor", "value"):
        raise ValueError(f"compare_inits: engine must be 'tensor' or 'value', got {engine!r}")
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"compare_inits: sizes must list at least an input and an output width, got {sizes}")
    gen = as_rng(rng)
    seed = int(gen.integers(2**31))
    data = np.random.default_rng(seed)
    x = data.standard_normal((batch if engine == "tensor" else 1, sizes[0]))
    y = data.standard_normal((x.shape[0], sizes[-1]))
    scenes, titles = [], []
    for scheme in schemes:
        fn = init_mod.get(scheme)
        name = getattr(fn, "name", None) or getattr(fn, "__name__", str(scheme))
        formula = getattr(fn, "formula", "")
        if engine == "tensor":
            model = nn.MLP(sizes, activation=activation, init=fn, rng=seed + 1, dtype=np.float64)
            list(model.named_parameters())  # names the parameters (layers.0.weight, ...)
            loss = nn.mse_loss(model(Tensor(x)), Tensor(y))
            loss.backward(retain_grads=True)
        else:
            smodel = scalar_nn.MLP(sizes[0], sizes[1:], activation=activation, init=fn, rng=seed + 1)
            out = smodel([float(v) for v in x[0]])
            outs = out if isinstance(out, list) else [out]
            loss = Value.sum([(o - float(t)) ** 2 for o, t in zip(outs, y[0])])
            loss.label = "loss"
            loss.backward()
        scene = _build(loss, prefix=f"i{len(scenes)}_", rankdir=rankdir, show_grad=show_grad,
                       show_stats=show_stats, color_by_grad=True, **kwargs)
        scenes.append(scene)
        titles.append([f"{name}: {formula}" if formula else str(name),
                       f"loss {format_number(float(loss.data), 4)}"])
    scale = ColorScale.fit([m for s in scenes for m in s.magnitudes], scenes[0].what)
    g = _new_picture(rankdir, None)
    panels = list(enumerate(zip(scenes, titles)))
    if rankdir in ("LR", "RL"):
        panels.reverse()  # dot stacks side-by-side clusters bottom-up when the ranks run left to right
    for k, (scene, title) in panels:
        sub = Picture(name=f"cluster_init{k}")
        sub.attr(label=_lines(title), style="rounded", color="#4d4d4d", fontsize="12")
        _emit(sub, scene, scale, prefix=f"i{k}_")
        g.subgraph(sub)
    _legend(g, scale, scenes)
    return g
