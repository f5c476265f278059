"""Pictures of computation graphs for lecture slides (Graphviz): `draw(o)` turns the graph behind a `Value`
(records `label | data | grad`, ops as small circles) or a `Tensor` (ops as ellipses, parameters as boxes) into
a `graphviz.Digraph`, `render` writes it as SVG, PNG, PDF or DOT. Fills can show the gradient's size on a log
scale, so that a vanishing gradient fades towards the input. The same graph gives the same DOT bytes."""

from __future__ import annotations

import inspect
import math
import os
import re
from collections import Counter
from itertools import accumulate
from numbers import Real
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import graphviz
import numpy as np

from .. import nn
from ..core import autograd, ops
from ..core.tensor import Tensor, enable_grad
from ..core.value import Value
from ..utils import (Rng, got, as_rng, check_bool, check_choice, check_int, check_type, counted, moments, ordered,
                     quoted, real_array, renamed, shape_text, undated, writable, write_whole)
from .colors import BAD_COLOR, WHAT, ZERO_COLOR, UNKNOWN_COLOR, ColorScale, filled, font_color, grad_color, magnitude
from .ledger import GradStats, Ledger, LedgerState, as_ledger, format_number, node_names

__all__ = ["draw", "draw_step", "frames", "trace", "Trace", "mlp_loss", "compare_inits", "render", "to_svg", "Picture",
           "GraphvizNotFoundError", "ColorScale", "grad_color", "font_color", "magnitude", "MAX_NODES", "PRECISION"]

#: A file's suffix -> what Graphviz writes for it (`render`): a picture, or the DOT text ("dot").
FORMATS = {"svg": "svg", "png": "png", "pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "dot": "dot", "gv": "dot"}
_PICTURES = tuple(dict.fromkeys(f for f in FORMATS.values() if f != "dot"))  # svg, png, pdf, jpg: draw's format=
MAX_NODES = 150
"""`draw`'s default `max_nodes`: a larger graph is cut to the nodes nearest the output."""
PRECISION = 4
"""Significant digits of the numbers in a picture."""
_num = partial(format_number, digits=PRECISION)

# --------------------------------------------------------------------------- Graphviz
_INSTALL = ("Rendering a picture needs the Graphviz program `dot`, which was not found on PATH. Install it:\n"
            "  Debian/Ubuntu:  sudo apt-get install graphviz\n  macOS:          brew install graphviz\n"
            "  conda:          conda install -c conda-forge graphviz\n"
            "  Windows:        winget install graphviz (then open a new terminal)\n"
            "The picture's DOT text is still available as `.source` (write it with draw.render(g, 'graph.dot')).")


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """The Graphviz `dot` program is missing; the message says how to install it."""

    def __init__(self, detail: str = "") -> None:  # noqa: D107 - the message is the documentation
        RuntimeError.__init__(self, _INSTALL + (f"\n({detail})" if detail else ""))


def _friendly(who: str, run: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # the errors say what to do
    try:
        return run(*args, **kwargs)
    except graphviz.ExecutableNotFound as e:
        raise e if isinstance(e, GraphvizNotFoundError) else GraphvizNotFoundError(str(e)) from None
    except graphviz.CalledProcessError as e:  # DOT text with a syntax error, or a graph too large for its memory
        raise ValueError(f"{who}: Graphviz failed on the DOT text: {e.stderr.decode().strip()}") from None


class Picture(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering errors say how to install Graphviz (Jupyter shows it as SVG, or
    without `dot` the hint and the DOT text)."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any: return undated(_friendly("pipe", super().pipe, *args, **kwargs))
    def render(self, *args: Any, **kwargs: Any) -> Any:  # its PDF file without the time cairo stamps in, as pipe's
        return undated(_friendly("render", super().render, *args, **kwargs), file=True)
    # help(): graphviz's parameters, as a __signature__ (a __wrapped__ sent typing.get_type_hints to graphviz's names)
    pipe.__signature__, render.__signature__ = map(inspect.signature, (graphviz.Digraph.pipe, graphviz.Digraph.render))

    def save(self, filename: Any = None, *args: Any, **kwargs: Any) -> str:  # graphviz's: the DOT text, any suffix
        if FORMATS.get(Path(str(filename)).suffix.lower()[1:], "dot") != "dot":
            raise ValueError(f"Picture.save: filename {str(filename)!r} names a picture, but save (and render's "
                             "filename) writes the DOT text; write the picture with draw.render(picture, filename)")
        return super().save(filename, *args, **kwargs)

    def __repr__(self) -> str:  # at the prompt, and beside the SVG in a notebook: no memory address
        return f"Picture({counted(len(self.source.splitlines()), 'line')} of DOT text in .source)"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotFoundError as e:
            return {"text/plain": f"{e}\n\n{self.source}"}


def render(dot: graphviz.Digraph | graphviz.Source | str, path: str | os.PathLike, format: str | None = None) -> Path:
    """Write a picture (from `draw`, any graphviz graph, or DOT text) to `path` as `format` (`"svg"`, `"png"`,
    `"pdf"`, `"jpg"`, or `"dot"`/`"gv"`: the DOT text, no Graphviz needed; default: the file's suffix)."""
    path = writable("render", path, "graph.svg")  # these checks before Graphviz lays it out
    fmt = check_choice("render", f"format (or the suffix of {str(path)!r})", path.suffix[1:] or "svg" if format is None
                       else format, tuple(FORMATS))
    if FORMATS.get(path.suffix[1:].lower(), FORMATS[fmt]) != FORMATS[fmt]:  # an SVG in a .png: no viewer opens it
        raise ValueError(f"render: format={format!r} and the file name {str(path)!r} say two formats; give one")
    source = _source(dot, "render")  # DOT text is written as is: the same bytes everywhere
    out = source.encode() if fmt in ("dot", "gv") else _friendly("render", graphviz.Source(source).pipe, format=fmt)
    return write_whole(path, undated(out) if fmt == "pdf" else out)  # no time in a PDF: the same graph, the same bytes


def to_svg(dot: graphviz.Digraph | graphviz.Source | str) -> str:
    """The picture as SVG text (needs the `dot` program)."""
    return _friendly("to_svg", graphviz.Source(_source(dot, "to_svg")).pipe, format="svg").decode()


def _source(dot: Any, who: str) -> str:  # the DOT text of a picture
    source = dot if isinstance(dot, str) else getattr(dot, "source", None)
    if not isinstance(source, str):
        raise TypeError(f"{who}: expected a picture (from draw), a graphviz graph or DOT text, got "
                        f"{type(dot).__name__}; draw a Value or Tensor first: {who}(draw.draw(loss), ...)")
    return source


_RED, _FRAME = "#d62728", {"style": "rounded", "color": "#7f7f7f", "fontsize": "10"}  # the step's outline; a frame


# --------------------------------------------------------------------------- module traces and the example net
@dataclass(eq=False)  # a record of one pass, as the ledger's steps: == is identity (a Tensor refuses ==)
class Trace:
    """What each module received and produced in one forward pass (made by `trace`): `model`, `output`,
    `calls` (`(path, module, inputs, output)`, inner modules first) and `collapse` (see `collapsed`)."""

    model: Any
    output: Any
    calls: list = field(default_factory=list)
    collapse: Any = None

    def collapsed(self, paths: bool | str | Sequence[str] = True) -> "Trace":
        """The same trace, drawn with single boxes for every module without sub-modules (True) or the
        modules named by `paths` (`["layers.0", "layers.2"]`)."""
        paths = [paths] if isinstance(paths, str) else paths if isinstance(paths, bool) else list(check_type(
            "Trace.collapsed", "paths", paths, Iterable, "True, a module path or a list of them"))
        return Trace(self.model, self.output, self.calls, paths)


def trace(model: Any, *inputs: Any) -> Trace:
    """Run `model(*inputs)` noting what every sub-module produced (hooks removed again, also on error);
    `draw(loss, module=trace)` then groups each module's ops in a cluster."""
    check_type("trace", "model", model, nn.Module, "an nn.Module" + " (the lecture's trace(root), a Value's nodes and "
               "edges, is autograd.topological_order(root) with each node's _prev)" * (type(model) is Value))
    list(model.named_parameters())  # gives every parameter its path as .name (layers.0.weight)
    tr = Trace(model, None)
    handles = [m.register_forward_hook(lambda mod, args, out, p=path: tr.calls.append((p, mod, args, out)))
               for path, m in model.named_modules()]
    try:
        tr.output = model(*inputs)
    finally:
        for h in handles:
            h.remove()
    return tr


def mlp_loss(sizes: Sequence[int], init: Any = None, *, activation: str = "tanh", engine: str = "tensor",
             batch: int = 4, rng: Rng = 0) -> tuple[Any, Trace | None]:
    """The example net, `(loss, trace)`: the squared-error `loss` of an MLP of widths `sizes` (`nn.mse_loss`, a mean;
    `engine="scalar"`: one sample, a `Value` per weight, summed over the outputs) and its `Trace` (None for scalar).
    `x` (`batch x sizes[0]`), then `y`, then the weights come from `rng`: the same seed gives the same data whatever
    the scheme `init`."""
    engine = check_choice("mlp_loss", "engine", engine, ("scalar", "tensor", "value")).replace("value", "scalar")
    if not ordered(sizes):  # a set's order is not the caller's; a 0-d array has no items
        raise TypeError(f"mlp_loss: sizes must be the layer widths, e.g. (2, 4, 1), got {got(sizes)}")
    sizes = [check_int("mlp_loss", "a layer width", s, 1) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"mlp_loss: sizes must list an input and an output width at least, e.g. (2, 4, 1): {sizes}")
    gen, n = as_rng(rng, "mlp_loss"), check_int("mlp_loss", "batch", batch, 1) if engine == "tensor" else 1
    x, y = gen.standard_normal((n, sizes[0])), gen.standard_normal((n, sizes[-1]))
    if engine == "tensor":
        model = _said_by("mlp_loss", nn.MLP, sizes, activation=activation, init=init, rng=gen, dtype=np.float64)
        tr = trace(model, Tensor(x, name="x"))
        loss = nn.mse_loss(tr.output, Tensor(y, name="y"))
        loss.name = "loss"
        return loss, tr
    out = _said_by("mlp_loss", nn.scalar.MLP, sizes[0], sizes[1:], activation=activation, init=init, rng=gen)(
        [Value(float(v), label=f"x{i}") for i, v in enumerate(x[0])])
    loss = Value.sum([(o - float(t)) ** 2 for o, t in zip(out if isinstance(out, list) else [out], y[0])])
    loss.label = "loss"
    return loss, None


def _said_by(where: str, f: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`renamed`: an error of a function the user did not call, given the user's arguments, names `where` instead."""
    return renamed(where, f, *args, said=("MLP", "Linear", "init.get", "mlp_loss", "draw", "draw_step"), **kwargs)


def _tensors(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return [t for item in x for t in _tensors(item)]
    return [getattr(x, "grad_fn", None) or x] if hasattr(x, "parents") and hasattr(x, "data") else []


# --------------------------------------------------------------------------- the scene: what to draw
_XML_BAD = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not in an SVG (XML 1.0)
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "&": "&amp;", "\0": "\\\\0", **dict.fromkeys("\t\r", " ")}  # Graphviz:
_CELL = str.maketrans({**_ESC, **{c: "\\" + c for c in "{}|<>"}, **dict.fromkeys(" \t\r", "&#32;")})  # "&lt;" is "<";


def _esc(s: str, record: bool = False) -> str:  # it drops \t, \r; NUL, or 16,384 characters (2.43), end DOT
    s = "\n".join(t if len(t) <= 1000 else f"{t[:980]}... ({len(t):,} characters)" for t in s.split("\n"))
    s = _XML_BAD.sub(lambda m: "\\" + ascii(m[0])[2:-1], s)  # written out as "\x1b" (the backslash escaped below)
    return graphviz.nohtml(s.translate(_CELL if record else str.maketrans(_ESC)))  # label text, never HTML


def _values(a: np.ndarray) -> str:  # float16(0.1) is 0.0999756: written from its shortest decimal, 0.1, as numpy does
    a = np.asarray(a)
    body = ", ".join(_num(float(str(v)) if a.dtype.kind == "f" else float(v)) for v in a.reshape(-1))
    return body if a.ndim == 0 else f"[{body}]"


@dataclass
class _Item:  # a node to draw, and the nodes drawn beside it (a Value's op bubble, where edges arrive, and constant)
    id: str
    attrs: dict
    magnitude: float | None = None  # what colours it; None: no gradient known
    cluster: str | None = None
    highlight: bool = False
    extra: list = field(default_factory=list)


class _Scene:
    """One graph to draw, from `draw`'s (checked) options: `items` (nodes, collapsed modules), `edges`, module
    `clusters` (a module's path, None at the top -> its inner modules), and `what` the colours measure."""

    def __init__(self, root: Any, show_data: bool, show_grad: bool, show_local: bool, color_by_grad: Any,
                 grads: Any, module: Any, max_nodes: int | None, rankdir: str, prefix: str = "") -> None:
        if not hasattr(root, "parents"):
            raise TypeError(f"draw: expected a Value or a Tensor (a computation's result), got {type(root).__name__}")
        self.rankdir = check_choice("draw", "rankdir (LR: inputs left, TB: inputs on top)", rankdir,
                                    ("lr", "tb", "rl", "bt")).upper()
        if max_nodes is not None:
            max_nodes = check_int("draw", "max_nodes", max_nodes, 1, " (or None to draw every node)")
        if not (isinstance(color_by_grad, (ColorScale, bool, np.bool_, type(None))) or (  # not ==: a Tensor's raises
                isinstance(color_by_grad, str) and color_by_grad in ("norm", "std"))):
            raise ValueError(f"draw: color_by_grad must be True, False, 'norm', 'std' or a ColorScale (to fix the "
                             f"decades, e.g. ColorScale(-6, 0)), got {quoted(color_by_grad)}")
        self.root = getattr(root, "grad_fn", None) or root
        self.show_data, self.show_grad, show_local = (check_bool("draw", k, v) for k, v in zip(
            ("show_data", "show_grad", "show_local"), (show_data, show_grad, show_local)))
        self.scalar, self.prefix = bool(self.root.scalar), prefix
        self.mode = "std" if color_by_grad == "std" or getattr(color_by_grad, "what", "") == WHAT["std"] else "norm"
        self.what = WHAT["scalar" if self.scalar else self.mode]
        self.order = autograd.topological_order(self.root)
        self.topo, self.names = {n: i for i, n in enumerate(self.order)}, None  # a ledger's pass names them
        self.infos, self.arrays, self.marked, self.marked_edges, self.hooked = self._grads(grads)
        if self.names is None:  # else named here ("L": a loss's, as a ledger's pass names any root)
            self.names = node_names(self.order, "L" if math.prod(getattr(self.root, "shape", ())) == 1 else "")
        self.owner, self.modules, self.outputs, collapse = self._owners(module)
        rank = {p: i for i, p in enumerate(collapse or ())}  # a node's collapsed module: the last listed around it
        self.group = {n: max(hits, key=rank.__getitem__) for n, path in self.owner.items()
                      if (hits := [q for q in accumulate(path.split("."), "{}.{}".format) if q in rank])}
        self._build(self._units(max_nodes), show_local)

    def _grads(self, grads: Any) -> tuple[dict, dict, set, set, set]:
        """node -> gradient info (a float, or `GradStats`), node -> array, the outlined nodes and edges, hooked ones."""
        marked, edges, self.partial, hooked = set(), set(), set(), {}  # partial: the state's partial sums (dashed)
        if isinstance(grads, Ledger):
            index = [ps for ps in grads.passes if ps.root is self.root]
            if not index:
                raise ValueError("draw: the ledger given as grads= holds no backward pass from this root; record "
                                 "`with ledger.record() as steps: root.backward()` and pass grads=steps")
            grads, hooked, self.names = grads.final_grads(index[-1].index), index[-1].hooked, index[-1].names
        elif isinstance(grads, LedgerState):
            if grads.pass_.root is not self.root:
                raise ValueError(f"draw: the ledger state given as grads= is from a backward pass from "
                                 f"{grads.pass_.root_symbol}, not from this root; draw that pass's root, or use "
                                 "draw.draw_step(steps, k), which does")
            if (s := grads.step) is not None:
                marked, edges = {s.node, s.parent}, {(s.node, s.parent, s.parent_index)}
            self.partial, hooked, self.names = set(grads.grads) - grads.complete, grads.pass_.hooked, grads.pass_.names
            grads = grads.grads
        nodes = grads if isinstance(grads, Mapping) else self.order if grads is None else [*grads] if isinstance(
            grads, (Sequence, set, frozenset)) else [0]  # None: every node's own .grad
        if not all(hasattr(n, "parents") for n in nodes):  # named as given, not as the dict made of it
            raise TypeError(f"draw: grads must be a Ledger, a ledger state (steps.state(k)), a dict node -> gradient "
                            f"or a set of nodes (Values or Tensors), got {got(grads)}")
        grads = grads if isinstance(grads, Mapping) else {n: getattr(n, "grad", None) for n in nodes}
        grads = {getattr(n, "grad_fn", None) or n: v for n, v in grads.items()}  # a tensor stands for its node
        infos, arrays = {}, {}
        for n in self.order:
            if n not in grads or (v := grads[n]) is None:
                continue
            if self.scalar or isinstance(v, GradStats):
                infos[n] = float(check_type("draw", "a gradient in grads", v, Real, "a number")) if self.scalar else v
            elif isinstance(v, (int, float)):
                infos[n] = GradStats((), math.nan, math.nan, abs(float(v)))
            elif (a := real_array(getattr(v, "data", v))) is None:  # str, None, objects or ragged rows
                raise TypeError(f"draw: a gradient in grads must be an array of numbers, got {got(v)}")
            else:
                arrays[n], infos[n] = a, GradStats.of(a)
        return infos, arrays, marked, edges, {n for n, h in hooked.items() if grads.get(n) is h}  # as the ledger

    def _owners(self, module: Any) -> tuple[dict, dict, dict, Any]:
        """node -> owning module path, path -> (index, module), path -> traced output, the collapsed paths."""
        if module is None:
            return {}, {}, {}, None
        if self.scalar:
            raise TypeError("draw: module= groups the ops of a Tensor graph by nn.Module; a Value graph has no "
                            "modules (its labels, such as L0.n3.w1, already name layer and neuron)")
        tr = module if isinstance(module, Trace) else Trace(module, None)
        check_type("draw", "module", tr.model, nn.Module, "an nn.Module or a Trace from draw.trace(model, x)")
        modules = {path: (i, m) for i, (path, m) in enumerate(tr.model.named_modules())}
        in_graph, owner, outputs = set(self.order), {}, {}
        for path, _m, args, out in sorted(tr.calls, key=lambda c: c[0].count(".")):  # outer modules first
            outs = [t for t in _tensors(out) if t in in_graph]
            if not path or not outs:
                continue
            outputs.setdefault(path, []).append(outs[-1])  # each call's: a module used twice (tied) has two
            stop = set(_tensors(list(args)))  # its ops lie between its inputs and its outputs: walk down to the inputs
            for n in (n for t in outs for n in autograd.topological_order(t, lambda n: () if n in stop else n.parents)):
                if n not in stop and n in in_graph and (n.parents or n.requires_grad):  # data and constants stay out
                    owner[n] = path
        owner.update({p: full.rpartition(".")[0] for full, p in tr.model.named_parameters() if p in in_graph})
        owner = {n: path for n, path in owner.items() if path}
        if owner and (noted := [t for c in tr.calls for t in _tensors(c[3])]) and in_graph.isdisjoint(noted):
            raise ValueError("draw: module= is the trace of another forward pass: the model's parameters are in this "
                             "graph, but no tensor the trace noted is (a second model(x) builds new ones; a graph of "
                             "the parameters alone, as a weight-decay term, has none). Compute the loss from "
                             "tr.output: tr = draw.trace(model, x); loss = loss_fn(tr.output, y); or pass "
                             "module=model, which groups the parameters only")
        collapse = tr.collapse
        if collapse is True:
            used = {q for o in set(owner.values()) for q in accumulate(o.split("."), "{}.{}".format)}  # and outer
            collapse = [p for p, (_, m) in modules.items() if p in used and not list(m.children())]
        for p in collapse or ():
            if p not in modules or not p:
                names = ", ".join(repr(q) for q in modules if q)
                raise ValueError(f"draw: collapse: no module named {p!r}; " + (f"the modules are: {names}" if names else
                                 f"{type(tr.model).__name__} has no sub-modules to collapse"))
        return owner, modules, outputs, collapse

    def _units(self, max_nodes: int | None) -> dict:
        """unit -> its nodes, for the units to draw (a node, or a collapsed module's path), inputs first: all,
        or the `max_nodes` nearest the root (fewest edges away; the outlined step first), read off `self.order`."""
        members: dict = {}  # in order of their first node
        for n in self.order:
            members.setdefault(self.group.get(n, n), []).append(n)
        if max_nodes is None or len(members) <= max_nodes:
            return members
        depth = {self.root: 0}
        for n in reversed(self.order):  # each node after every node that uses it
            for p in n.parents:
                depth[p] = min(depth.get(p, math.inf), depth[n] + 1)
        near = {u: (self.marked.isdisjoint(m), min(map(depth.get, m)), -self.topo[m[0]]) for u, m in members.items()}
        kept = set(sorted(members, key=near.__getitem__)[:max_nodes])
        return {u: ns for u, ns in members.items() if u in kept}

    def _build(self, units: dict, show_local: bool) -> None:
        items = {u: self._module_item(u) if isinstance(u, str) else self._node_item(u) for u in units}
        for u in self.partial.intersection(items):  # a partial sum, dashed as in the player
            items[u].attrs["style"] = "dashed"
        ids = {u: (it.extra[0][0] if it.extra else it.id, it.id) for u, it in items.items()}  # (head, tail)
        edges, hidden, seen = [], {}, set()
        for u, members in units.items():
            for n in members:
                rules = (n.locals if self.scalar else getattr(n, "rules", ())) if show_local else ()  # read once
                for j, p in enumerate(n.parents):
                    pu = self.group.get(p, p)
                    if pu == u or pu not in ids:
                        hidden.update({} if pu == u else {u: None})
                        continue
                    tail, head, attrs = ids[pu][1], ids[u][0], {}
                    if isinstance(u, str) or isinstance(pu, str):  # one edge between a module and another unit
                        if (tail, head) in seen:
                            continue
                        seen.add((tail, head))
                    elif j < len(rules) and (self.scalar or p.requires_grad):  # a gradient flows back
                        attrs["label"] = _esc("×" + _num(rules[j]) if self.scalar else rules[j] + ops.summed_note(n, j))
                    if (n, p, j) in self.marked_edges:
                        attrs.update(color=_RED, penwidth="2.5", fontcolor=_RED)
                    edges.append((tail, head, attrs))
            extra = items[u].extra  # a Value's op bubble (-> its record) and constant (-> the op bubble)
            edges += [(xid, ids[u][0], {"style": "dashed"}) for xid, _ in extra[1:]] + [(*ids[u], {})] * bool(extra)
        self.items, self.edges, self.clusters = list(items.values()), edges, {}
        self.magnitudes = [it.magnitude for it in self.items if it.magnitude is not None]
        omitted = [n for n in self.order if self.group.get(n, n) not in ids]
        if omitted:
            self.items.append(self._summary(omitted))
            edges += [(self.items[-1].id, ids[u][0], {"style": "dashed"}) for u in hidden]
        for path in sorted({it.cluster for it in self.items if it.cluster}):  # and the modules around them
            outer = None
            for sub in accumulate(path.split("."), "{}.{}".format):  # "layers", "layers.0", ...
                if sub in self.modules:
                    idx, m = self.modules[sub]
                    self.clusters.setdefault(outer, set()).add((idx, f"{sub} ({type(m).__name__})", sub))
                    outer = sub

    def _node_item(self, n: Any) -> _Item:
        nid, info = f"{self.prefix}n{self.topo[n]}", self.infos.get(n)
        item = _Item(nid, {}, magnitude(info, self.scalar, self.mode), self.owner.get(n), n in self.marked)
        if not self.scalar:  # an op (ellipse), a parameter (box), data or a constant (dashed box)
            data, own = not n.parents and not n.requires_grad, str(n.name or "")  # a name set as t.name = 5: "5"
            name = self.names[n]  # the ledger's: "matmul#2", "n0", "L" (the root), or the tensor's own name
            title = (name if name.startswith(n.op + "#") else f"{name} = {n.op}") if n.parents else own or (
                f"{'constant' if n.data.size == 1 else 'data'} {name}" if data else name)
            lines = [title + f" ({n.op}, no grad)" * bool(data and n.op), f"{shape_text(n.shape)} {n.dtype}"]
            item.attrs = {"label": _esc("\n".join(lines + self._tensor_lines(n, info))),
                          "shape": "ellipse" if n.parents else "box", **({"style": "dashed"} if data else {})}
            return item
        cells = [_esc(str(n.label), True)] if n.label else []
        cells += ["data " + _num(n.data)] if self.show_data else []
        cells += ["grad " + ("?" if info is None else _num(info))] if self.show_grad else []
        body = " | ".join(cells or [_esc(self.names[n], True)])
        item.attrs = {"label": "{ " + body + " }" if self.rankdir in ("LR", "RL") else body, "shape": "record"}
        if n.parents:
            op, small = str(n.op) or "?", {"fontsize": "10", "height": "0.3"}
            power = op.startswith("**") and n.constant is not None  # x ** k (op "**2") or k ** x (op "**")
            op = "**" if power else op
            item.extra.append((nid + "op", {"label": _esc(op), "shape": "circle" if len(op) <= 2 else "ellipse",
                                            "margin": "0.02", "width": "0.3", **small}))
            if n.constant is not None:  # the plain number the op took (a node without gradient), on its side:
                k = _num(n.constant)  # "1.0 -" is 1 - x, "- 1.0" x - 1; "2.0 **" 2 ** x, "** 2.0" x ** 2
                label = (f"{k} {op}" if n.constant_first else f"{op} {k}") if op in ("-", "/", "**") else k
                item.extra.append((nid + "c", {"label": label, "shape": "box", "style": "dashed", "margin": "0.04",
                                               **small}))
        return item

    def _tensor_lines(self, n: Any, info: GradStats | None) -> list[str]:
        lines = []
        if self.show_data and n.data is not None:  # an op's result keeps its shape, not its buffer
            d = np.asarray(n.data)
            lines.append("data " + _values(d) if d.size <= 8 else "data mean {}, std {}".format(*map(_num, moments(d))))
        if self.show_grad and n.requires_grad:
            a, hooked = self.arrays.get(n), " (after its hooks)" * (n in self.hooked)
            lines.append("grad ?" if info is None else "grad " + _values(a) if a is not None and a.size <= 8
                         else f"|grad| {_num(info.norm)}{hooked}")
        return lines

    def _module_item(self, path: str) -> _Item:
        (idx, m), outs = self.modules[path], self.outputs.get(path, [])
        info = self.infos.get(outs[-1]) if outs else None  # the colour: the last call's
        lines = [path, type(m).__name__ + f" ({counted(len(outs), 'call')})" * (len(outs) > 1)]
        for out in outs:
            lines += [f"-> {shape_text(out.shape)} {out.dtype}", *(
                line for line in self._tensor_lines(out, self.infos.get(out)) if "grad" in line)]
        parent = path.rsplit(".", 1)[0] if "." in path else None
        return _Item(f"{self.prefix}m{idx}", {"label": _esc("\n".join(lines)), "shape": "box3d"}, magnitude(
            info, self.scalar, self.mode), parent if parent in self.modules else None,
            any(self.group.get(n) == path for n in self.marked))

    def _summary(self, omitted: list) -> _Item:
        kinds = sorted(Counter(str(n.op) if n.parents else "leaves" if self.scalar else "parameters" if n.requires_grad
                               else "data" for n in omitted).items(), key=lambda kv: (-kv[1], kv[0]))
        one = {"leaves": "leaf", "parameters": "parameter"}  # the words for a count of 1
        text = ", ".join(f"{c} {one.get(k, k) if c == 1 else k}" for k, c in kinds[:5]) + ", ..." * (len(kinds) > 5)
        return _Item(f"{self.prefix}more", {"label": _esc(f"... {counted(len(omitted), 'more node')}: "
                                                          f"{text}"), "shape": "note", "style": "dashed"})


# --------------------------------------------------------------------------- DOT
def _emit(g: graphviz.Digraph, scene: _Scene, scale: ColorScale | None) -> None:
    """The scene's nodes (in module clusters, nested as the modules are) and edges into `g`."""
    items: dict = {}  # cluster path -> its items
    for it in scene.items:
        items.setdefault(it.cluster, []).append(it)

    def fill(target: graphviz.Digraph, path: str | None) -> None:  # recursion over the module tree, not the graph
        for it in items.get(path, ()):
            color = scale and scale.color(it.magnitude)
            attrs = filled(dict(it.attrs), color) if color else it.attrs
            target.node(it.id, **attrs, **({"color": _RED, "penwidth": "3"} if it.highlight else {}))
            for xid, xattrs in it.extra:
                target.node(xid, **xattrs)
        for idx, label, sub_path in sorted(scene.clusters.get(path, ())):
            sub = Picture(name=f"cluster_{scene.prefix}m{idx}")
            sub.attr(label=_esc(label), **_FRAME)
            fill(sub, sub_path)
            target.subgraph(sub)

    fill(g, None)
    fill = None  # it calls itself: a cycle through the scene that would keep the whole graph until a gc run
    for tail, head, attrs in scene.edges:
        g.edge(tail, head, **attrs)


def _legend(g: graphviz.Digraph, scale: ColorScale, scenes: Sequence[_Scene]) -> None:
    """A box per decade of `scale.decades()` (7 at most), and for 0, inf/nan and unknown where the scenes have them."""
    leg = Picture(name="cluster_legend")
    leg.attr(label=_esc(f"{scenes[0].what}, log scale"), **_FRAME)
    worn = {scale.color(it.magnitude) for s in scenes for it in s.items if it.attrs.get("shape") != "note"}
    on_scale = worn - {ZERO_COLOR, BAD_COLOR, UNKNOWN_COLOR}  # no decade boxes when no gradient lies on the scale
    logs = [math.log10(m) for s in scenes for m in s.magnitudes if 0 < m < math.inf]  # beyond a fixed scale's ends:
    mark = {scale.lo: "≤" * any(v < scale.lo for v in logs), scale.hi: "≥" * any(v > scale.hi for v in logs)}  # ≤, ≥
    boxes = [(f"legend{k}", mark.get(d, "") + (f"1e{d:+03d}" if d else "1"), scale.color(10.0 ** d))
             for k, d in enumerate(scale.decades() if on_scale else [])]
    boxes += [box for box in (("legend_zero", "0", ZERO_COLOR), ("legend_bad", "inf/nan", BAD_COLOR),
                              ("legend_unknown", "no grad", UNKNOWN_COLOR)) if box[2] in worn]  # off the scale
    for lid, label, fill in boxes:
        leg.node(lid, **filled({"label": label, "shape": "box"}, fill))
    for (a, *_), (b, *_) in zip(boxes, boxes[1:]):
        leg.edge(a, b, style="invis")
    g.subgraph(leg)


def _picture(rankdir: str, title: str | None, format: str = "svg") -> Picture:
    f = {"fontname": "Helvetica"}  # every text, 11 points in the nodes and 9 on the edges
    g = Picture(graph_attr={"rankdir": rankdir, **f}, node_attr=dict(f, fontsize="11"), edge_attr=dict(f, fontsize="9"),
                format=check_choice("draw", "format", format, _PICTURES))  # of .render(), .pipe()
    title = check_type("draw", "title", title, (str, Real, type(None)), "a caption (a str) or None")
    if title is not None and str(title):  # 0 too
        g.attr(label=_esc(str(title)), labelloc="t")
    return g


def draw(root: Any, *, show_data: bool = True, show_grad: bool = True, show_local: bool = False,
         color_by_grad: bool | str | ColorScale = False, grads: Any = None, module: Any = None,
         max_nodes: int | None = MAX_NODES, rankdir: str = "LR", format: str = "svg",
         title: str | None = None) -> Picture:
    """The picture of the graph that produced `root`, a `Picture` (`.source`: the DOT text).

    Args:
        root: a `Value` or a `Tensor`, usually the loss.
        show_data: Value: a `data` cell. Tensor: a leaf's values (at most 8 elements), else mean and std (an op's
            node keeps its shape and dtype, not its values).
        show_grad: Value: a `grad` cell (`?` where unknown). Tensor: its values (at most 8) or `|grad|` (for an op's
            result after `backward(retain_grads=True)`, else `?`).
        show_local: label each edge with the local derivative, `×-3.0` (Value: d(out)/d(input), the factor
            the upstream gradient is multiplied by) or the op's backward rule (Tensor: `dW = x.T @ g`).
        color_by_grad: fill by gradient size on a log scale, with a legend: True (`|grad|`; tensors: the
            Frobenius norm), `"std"` (tensors), or a `ColorScale` that fixes the decades (to compare pictures).
        grads: None (each node's `.grad`), a `Ledger` (its last pass from `root`), `steps.state(k)` (known
            after `k` steps; the step in red), a dict node -> float, array or `GradStats`, or a set of nodes.
        module: Tensor graphs: an `nn.Module` (one cluster per module of parameters) or a `Trace` from
            `trace` (the ops each module produced too; `trace(...).collapsed()`: one box per module).
        max_nodes: draw the nodes nearest the output (and a state's step), the rest as one note; None: all.
        rankdir: `"LR"` (inputs left) or `"TB"` (inputs on top).
        format: what the picture's own `.render(name)` and `.pipe()` write, as in micrograd's `draw_dot`: `"svg"`,
            `"png"`, `"pdf"` or `"jpg"` (`draw.render(g, "slide.png")` takes it from the file name).
        title: a caption at the top.
    """
    scene = _Scene(root, show_data, show_grad, show_local, color_by_grad, grads, module, max_nodes, rankdir)
    scale = color_by_grad if isinstance(color_by_grad, ColorScale) else (
        ColorScale.fit(scene.magnitudes, scene.what) if color_by_grad else None)
    _emit(g := _picture(scene.rankdir, title, format), scene, scale)
    if scale is not None:
        _legend(g, scale, [scene])
    return g


draw_dot = draw  # the lecture's name: `from tinygrad_init.draw import draw_dot` (or draw(o)), then draw_dot(o)


def draw_step(steps: Ledger, k: int | LedgerState, *, caption: bool = True, show_local: bool = True,
              **options: Any) -> Picture:
    """The graph after the first `k` steps of a recorded pass (`0 <= k <= len(steps)`, or `steps.state(k)`):
    the gradients known so far (others read `?`; a partial sum dashed), step `k`'s node, parent and edge outlined
    in red, and the ledger's line as caption. `options` are `draw`'s."""
    steps = as_ledger("draw_step", steps)
    state = k if isinstance(k, LedgerState) else steps.state(k, "draw_step")
    if state.pass_ not in steps.passes:  # its caption would be this ledger's line k - 1
        raise ValueError("draw_step: k is a state of another ledger's pass; pass steps.state(k) of this ledger, or k")
    own = [o for o in draw.__kwdefaults__ if o != "grads"]  # (the state gives the grads)
    for key in sorted(options.keys() - own):
        raise TypeError(f"draw_step: no option {key}=; draw's are {', '.join(own)}")
    if check_bool("draw_step", "caption", caption) and options.get("title") is None:
        options["title"] = (steps.line(state.k - 1) if state.step is not None else
                            f"step 0 of {len(steps)}: {steps.seed_line(state.pass_.index)}")
    return _said_by("draw_step", draw, state.pass_.root, grads=state, show_local=show_local, **options)


def frames(steps: Ledger, **options: Any) -> list[str]:
    """The DOT text of `draw_step` for `k = 0, 1, ..., len(steps)` (one frame per step), in one sweep."""
    as_ledger("frames", steps).get_pass(None, "frames")  # a ValueError for a ledger without a pass, as draw_step
    return [_said_by("frames", draw_step, steps, state, **options).source for state in steps.states()]


@enable_grad()  # it draws gradients, also when called inside no_grad()
def compare_inits(sizes: Sequence[int] = (2, 4, 4, 1), schemes: Sequence[str | Callable] = (
        "small", "xavier_uniform", "he_normal"), *, activation: str = "tanh", engine: str = "tensor",
        batch: int = 16, rng: Rng = 0, rankdir: str = "LR", show_local: bool = False) -> Picture:
    """The same small MLP (`mlp_loss`) drawn once per initialization scheme (`init.get` names or functions) on one
    log colour scale: a scheme whose gradients vanish looks paler towards the input. Each panel shows the scheme's
    formula, the loss and at most `MAX_NODES` nodes; data, targets, the weights' random draws are the same in all."""
    schemes = [schemes] if isinstance(schemes, str) or not isinstance(schemes, Iterable) else list(schemes)
    if not schemes:
        raise ValueError("compare_inits: schemes must name at least one scheme, e.g. ('small', 'he_normal')")
    seed, scenes, titles = int(as_rng(rng, "compare_inits").integers(2**31)), [], []
    for k, scheme in enumerate(schemes):
        fn = _said_by(f"compare_inits: schemes[{k}]", nn.init.get, scheme)
        loss, _ = _said_by("compare_inits", mlp_loss, sizes, fn, activation=activation, engine=engine, batch=batch,
                           rng=seed)
        loss.backward(**({} if loss.scalar else {"retain_grads": True}))
        scenes.append(_said_by("compare_inits", _Scene, loss, False, False, show_local, True, None, None, MAX_NODES,
                               rankdir, f"i{k}_"))
        name, formula = getattr(fn, "name", None) or getattr(fn, "__name__", str(scheme)), getattr(fn, "formula", "")
        titles.append([f"{name}: {formula}" if formula else str(name), f"loss {_num(float(loss.data))}"])
    rankdir = scenes[0].rankdir  # checked, in capitals as Graphviz wants it
    scale, g = ColorScale.fit([m for s in scenes for m in s.magnitudes], scenes[0].what), _picture(rankdir, None)
    panels = list(enumerate(zip(scenes, titles)))
    for k, (scene, title) in reversed(panels) if rankdir in ("LR", "RL") else panels:  # dot stacks LR upwards
        sub = Picture(name=f"cluster_init{k}")
        sub.attr(label=_esc("\n".join(title)), style="rounded", color="#4d4d4d", fontsize="12")
        _emit(sub, scene, scale)
        g.subgraph(sub)
    _legend(g, scale, scenes)
    return g
