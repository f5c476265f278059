"""Step through a backward pass in the browser, one chain-rule step at a time.

:func:`player_html` turns a recorded backward pass (a :class:`~tinygrad_init.ledger.Ledger`)
into **one self-contained HTML page**: the computation graph (an SVG drawn by Graphviz,
inline), previous/next buttons, a slider, the keys ``←``/``→`` (and ``Home``/``End``), the
counter "step 3 / 12", the ledger's line for the current step in large type and the list
of the lines so far. Step ``k`` shows what backpropagation knows after ``k`` steps of

.. math:: \\frac{\\partial L}{\\partial p} \\mathrel{+}= \\frac{\\partial L}{\\partial n}
          \\cdot \\frac{\\partial n}{\\partial p}
          \\qquad (\\text{upstream} \\times \\text{local})

the gradients reached so far are filled in (``grad ?`` elsewhere) and coloured by size,
the node ``n`` passing its gradient on is outlined in red, the parent ``p`` receiving it
in blue, and the edge between them is drawn in red. Step 0 is the forward graph with only
the seed ``dL/dL = 1``. A node whose gradient is still a partial sum (it feeds several
nodes and not all of their contributions have arrived) has a dashed outline.

::

    from tinygrad_init import Value, player

    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    o = (a * b + c).tanh()
    player.write_player("neuron.html", o)      # records o.backward() and writes the page

The page works offline (nothing is fetched: the SVG, the CSS and the script are inside
it) and stays small even for a scalar MLP with a thousand steps, because the graph is
drawn **once**: the page carries, per step, only which nodes to outline and the one
gradient that changed, and a few lines of JavaScript update the picture. The same graph
gives the same bytes.

The module also holds the ``tinygrad-init graph`` command (:func:`add_graph_command`,
:func:`run_graph`) and its safe expression parser (:func:`parse_expression`): the
expression is read with Python's :mod:`ast` and only numbers, the names bound on the
command line, ``+ - * / **``, unary ``-`` and the methods ``.tanh() .exp() .log()
.sigmoid() .relu()`` are evaluated -- never ``eval``.
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import keyword
import os
import re
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence, TextIO

from ..core import autograd
from . import draw as draw_mod
from . import ledger as ledger_mod
from .draw import ColorScale, GraphvizNotFoundError
from .ledger import GradStats, Ledger, format_number
from ..core.value import Value
from ..utils import check_int, cli_type

__all__ = [
    "player_html", "write_player", "parse_expression", "parse_bindings", "ExpressionError",
    "ALLOWED_METHODS", "add_graph_command", "run_graph", "DEFAULT_MAX_STEPS",
]

#: A page with more steps than this is refused unless ``max_steps`` is raised.
DEFAULT_MAX_STEPS = 5000

#: The methods an expression may call (all without arguments).
ALLOWED_METHODS = ("tanh", "exp", "log", "sigmoid", "relu")


# =========================================================================== the player


def _record(root: Any) -> Ledger:
    """Run ``root.backward()`` inside a ledger and return the ledger."""
    if not hasattr(root, "parents") or not hasattr(root, "backward"):
        raise TypeError(f"player: expected a Ledger, a Value or a Tensor, got {type(root).__name__}")
    if not root.scalar and getattr(root, "data", None) is not None and root.data.size != 1:
        raise ValueError(f"player: the output has shape {root.shape}; the player starts backward from a "
                         "scalar (dL/dL = 1). Reduce it first, e.g. out.sum() or a loss, or record the pass "
                         "yourself with `with ledger.record() as steps: out.backward(grad)` and pass steps")
    with ledger_mod.record() as steps:
        root.backward()
    return steps


def _grad_text(info: Any, scalar: bool, precision: int) -> str:
    """The grad cell exactly as :func:`tinygrad_init.draw.draw` writes it."""
    if scalar:
        return "grad " + format_number(info, precision)
    return "|grad| " + format_number(info.norm, precision)


def _edge_ids(source: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """Give every top-level edge of DOT text a stable ``id``: ``edge_<tail>_<head>_<k>``.

    ``k`` counts earlier edges between the same two nodes (``a * a`` has two edges from
    ``a`` into the same ``*``). Returns the new text and id -> (tail, head).
    """
    seen: dict[tuple[str, str], int] = {}
    ends: dict[str, tuple[str, str]] = {}
    out = []
    pattern = re.compile(r"\t([A-Za-z0-9_]+) -> ([A-Za-z0-9_]+)(?: \[(.*)\])?\n?\Z")
    for line in source.splitlines(keepends=True):
        m = pattern.match(line)
        if m is None:
            out.append(line)
            continue
        tail, head, attrs = m.group(1), m.group(2), m.group(3)
        k = seen.get((tail, head), 0)
        seen[(tail, head)] = k + 1
        eid = f"edge_{tail}_{head}_{k}"
        ends[eid] = (tail, head)
        inner = f'id="{eid}"' + (f" {attrs}" if attrs else "")
        out.append(f"\t{tail} -> {head} [{inner}]\n")
    return "".join(out), ends


_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_TITLED = re.compile(r'(<g id="([^"]+)" class="(?:node|edge|graph)">\s*<title>)[^<]*(</title>)')


def _inline_svg(svg: str, titles: Mapping[str, str]) -> str:
    """Graphviz's SVG made fit for inlining: no prolog or comments, scalable, readable tooltips."""
    start = svg.find("<svg")
    if start < 0:  # pragma: no cover - dot always writes an <svg> element
        raise RuntimeError("player: Graphviz returned no SVG")
    svg = re.sub(r"<!--.*?-->\n?", "", svg[start:], flags=re.S)
    svg = svg.replace(' font-family="Helvetica,sans-Serif"', "")  # set once, in the page's CSS
    m = _SVG_TAG.match(svg)
    assert m is not None
    tag = re.sub(r'\s(?:width|height)="[^"]*"', "", m.group(0))
    tag = tag.replace("<svg", '<svg id="graph" preserveAspectRatio="xMidYMid meet"', 1)
    svg = tag + svg[m.end():]

    def title(mt: re.Match) -> str:
        text = titles.get(mt.group(2))
        if text is None:
            return mt.group(0)
        return mt.group(1) + html.escape(text, quote=False) + mt.group(3)

    return _TITLED.sub(title, svg).strip() + "\n"


def _json_for_script(data: Any) -> str:
    """JSON that cannot end a <script> element early (``<``, ``>`` and ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def player_html(source: Any, *, title: str | None = None, rankdir: str = "LR", pass_index: int | None = None,
                digits: int | None = 6, precision: int = 4, show_data: bool = True, show_local: bool = True,
                show_names: bool = True, color_by_grad: bool | str = True,
                max_steps: int | None = DEFAULT_MAX_STEPS, **draw_kwargs: Any) -> str:
    """One self-contained HTML page that steps through a backward pass.

    Frame ``k`` (``0 <= k <= n`` for a pass of ``n`` chain-rule steps) shows the state
    after ``k`` steps of ``dL/dp += dL/dn * dn/dp``: the gradients known so far, the node
    ``n`` (red outline), its parent ``p`` (blue outline), the edge between them (red), and
    the ledger's line for the step (:meth:`Ledger.line`). Frame 0 shows the seed
    ``dL/dL`` only. Controls: the buttons ``#prev``/``#next``, the slider ``#slider``, the
    keys ``←``/``→``, ``Home``/``End``, ``PageUp``/``PageDown`` (10 steps), ``f`` (whole
    graph / follow the step), ``+``/``-`` (zoom); ``#line`` holds the current line,
    ``#lines`` the list, ``#counter`` reads "step k / n", ``#frame`` holds the SVG.
    Graph nodes have the ids ``node_n<i>`` (``<i>`` = position in the topological order;
    ``node_n<i>op`` for the op bubble of a Value) and edges ``edge_<tail>_<head>_<k>``.

    The graph is rendered once (by Graphviz ``dot``) with every cell wide enough for
    the widest number it will show; the page stores, per step, which elements to
    outline and the parent's new gradient text and colour. Nothing is fetched, so the
    page works offline; the same pass gives the same bytes.

    Args:
        source: a :class:`~tinygrad_init.ledger.Ledger` holding the pass, or the output
            node (a :class:`~tinygrad_init.Value`, or a one-element
            :class:`~tinygrad_init.Tensor`) on which ``backward()`` is then run once inside
            a ledger. (Leaves accumulate gradients: a second backward on the same graph
            adds to them, and the ledger lines say so.)
        title: the page's heading (default: "Backpropagation through <root>, step by step").
        rankdir: ``"LR"`` (inputs left) or ``"TB"`` (inputs on top).
        pass_index: which pass of the ledger (default: the last one).
        digits: significant digits of the ledger lines (None: all, as ``repr``).
        precision: significant digits of the numbers in the graph.
        show_data, show_local, show_names: as in :func:`tinygrad_init.draw.draw` (on here:
            the data cells, the local derivative on every edge, and the ledger's names on
            unlabelled nodes, so that a line can be found in the picture).
        color_by_grad: fill nodes by gradient size (log scale), as in ``draw``; False for
            no colours; ``"std"`` colours tensors by the standard deviation of the gradient.
        max_steps: refuse passes with more steps than this (None: no limit). A 2-16-16-1
            scalar MLP on one sample has about 950.
        **draw_kwargs: other options of :func:`tinygrad_init.draw.draw`, e.g. ``module=``
            (Tensor graphs: one cluster per layer) or ``max_nodes=`` (steps into nodes
            that are not drawn are still listed; they just outline nothing).

    Returns:
        The HTML text.

    Raises:
        GraphvizNotFoundError: the ``dot`` program is missing (the message says how to
            install it).
        ValueError: an empty ledger, or more steps than ``max_steps``.
    """
    steps = source if isinstance(source, Ledger) else _record(source)
    if not steps.passes:
        raise ValueError("player: the ledger holds no backward pass; record one with "
                         "`with ledger.record() as steps: loss.backward()`")
    for key in ("show_grad", "known_grads", "ledger", "highlight", "highlight_edges", "grad_range"):
        if key in draw_kwargs:
            raise TypeError(f"player: {key}= is set by the player itself (it shows the gradients step by step)")
    ps = steps._pass(pass_index)
    pass_steps = steps.pass_steps(ps.index)
    n = len(pass_steps)
    if max_steps is not None and n > max_steps:
        raise ValueError(f"player: this backward pass has {n:,} chain-rule steps, more than max_steps="
                         f"{max_steps:,}. Step through a smaller graph (fewer or narrower layers, or the tensor "
                         "engine, whose steps are whole matrices), or raise max_steps (the page and the "
                         "Graphviz layout grow with the graph).")
    root, scalar = ps.root, ps.scalar
    order = autograd.topological_order(root)  # the walk draw() numbers its nodes by
    topo = {node: i for i, node in enumerate(order)}
    names = ps.names
    mode = "std" if color_by_grad == "std" else "norm"

    def info_of(s: Any) -> Any:
        if scalar:
            return s.grad_after
        return GradStats(s.parent_shape, s.grad_after_norm, s.grad_after_std, s.grad_after_mean)

    # Every value a node's grad cell will show, to lay the cells out wide enough for the widest.
    infos = [info_of(s) for s in pass_steps]
    widest: dict = {root: ps.seed}
    for s, info in zip(pass_steps, infos):
        old = widest.get(s.parent)
        if old is None or len(_grad_text(info, scalar, precision)) > len(_grad_text(old, scalar, precision)):
            widest[s.parent] = info
    scale = None
    if color_by_grad:
        mags = [draw_mod._magnitude(ps.seed, scalar, mode)] + [draw_mod._magnitude(i, scalar, mode) for i in infos]
        scale = ColorScale.fit(mags, "|grad|" if scalar else ("std(grad)" if mode == "std" else "|grad|_F"))

    g = draw_mod.draw(root, rankdir=rankdir, show_data=show_data, show_grad=True, show_local=show_local,
                      show_names=show_names, color_by_grad=color_by_grad, known_grads=widest,
                      grad_range=(scale.lo, scale.hi) if scale is not None else None, precision=precision,
                      **draw_kwargs)
    g.node_attr["id"] = "node_\\N"
    dot_source, edge_ends = _edge_ids(g.source)

    def nid(node: Any) -> str:
        return f"node_n{topo[node]}"

    def state(info: Any, complete: bool) -> list:
        text = _grad_text(info, scalar, precision)
        if scale is None:
            return [text, None, None, 1 if complete else 0]
        fill = scale.color(draw_mod._magnitude(info, scalar, mode))
        return [text, fill, draw_mod._fontcolor(fill), 1 if complete else 0]

    def own_ids(node: Any) -> list[str]:  # a Value's record and its op bubble; a Tensor's node
        return [nid(node), nid(node) + "op"] if scalar and node.parents else [nid(node)]

    data_steps = []
    for s, info in zip(pass_steps, infos):
        j = s.parent_index
        k = sum(1 for p in s.node.parents[:j] if p is s.parent)
        head = nid(s.node) + ("op" if scalar else "")
        edge = f"edge_{nid(s.parent)[5:]}_{head[5:]}_{k}"
        data_steps.append([own_ids(s.node), nid(s.parent), edge]
                          + state(info, s.contribution_number >= s.contributions_expected))
    unknown = ["grad ?", None, None, 1] if scale is None else ["grad ?", draw_mod.UNKNOWN_COLOR, "black", 1]
    data = {"n": n, "root": nid(root), "rootIds": own_ids(root), "seed": state(ps.seed, True),
            "unknown": unknown, "steps": data_steps, "color": scale is not None}

    titles: dict[str, str] = {}
    for node, i in topo.items():
        name = names.get(node, f"n{i}")
        titles[f"node_n{i}"] = name
        if scalar and node.parents:
            titles[f"node_n{i}op"] = f"{node.op or '?'}: computes {name}"
    for eid, (tail, head) in edge_ends.items():
        t, h = (re.fullmatch(r"n(\d+)(op)?", x) for x in (tail, head))
        if t and h and int(t.group(1)) < len(order) and int(h.group(1)) < len(order):
            a, b = names.get(order[int(t.group(1))], tail), names.get(order[int(h.group(1))], head)
            titles[eid] = f"{a} -> {b}" if a != b else f"the op's result: {a}"
    root_name = ps.root_symbol
    heading = title if title is not None else f"Backpropagation through {root_name}, step by step"
    titles["graph0"] = heading
    svg = _inline_svg(draw_mod.to_svg(dot_source), titles)

    seed_line = ledger_mod._seed_line(ps, digits)
    lines = [seed_line] + [steps.line(s.index, digits) for s in pass_steps]
    engine = "Value (scalar)" if scalar else "Tensor"
    return _page(heading, svg, lines, data, engine, scale)


def write_player(path: str | os.PathLike, source: Any, **kwargs: Any) -> Path:
    """Write :func:`player_html` of ``source`` to ``path`` (UTF-8); returns the path.

    Args:
        path: the ``.html`` file to write (its folder must exist).
        source: a Ledger, or the output node of a graph (see :func:`player_html`).
        **kwargs: options of :func:`player_html`.
    """
    path = Path(path)
    text = player_html(source, **kwargs)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


# --------------------------------------------------------------------------- the page

_CSS = """
:root { --red: #d62728; --blue: #1f77b4; --ink: #1a1a1a; --muted: #666; --panel: #f6f6f4; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: #fff; }
#player { height: 100vh; display: grid; grid-template-rows: auto auto minmax(0, 1fr) auto; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
         padding: 0.5rem 1rem; background: var(--panel); border-bottom: 1px solid #ddd; }
h1 { font-size: 1.35rem; margin: 0; font-weight: 600; }
#controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; flex: 1 1 36rem; }
button { font: inherit; font-size: 1.1rem; padding: 0.3rem 0.8rem; border: 1px solid #bbb;
         border-radius: 0.4rem; background: #fff; cursor: pointer; white-space: nowrap; }
button:hover { background: #eef3fb; }
button:focus-visible, input:focus-visible { outline: 3px solid var(--blue); outline-offset: 1px; }
button:disabled { opacity: 0.4; cursor: default; }
#slider { flex: 1 1 auto; min-width: 8rem; accent-color: var(--red); }
#counter { font-size: 1.25rem; font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 9rem;
           text-align: right; }
#line { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
        font-size: clamp(1.05rem, 1.55vw, 1.9rem); line-height: 1.35; padding: 0.55rem 1rem;
        border-bottom: 1px solid #ddd; white-space: pre-wrap; overflow-wrap: anywhere; min-height: 2.6em;
        background: #fffdf3; }
#frame { position: relative; overflow: hidden; min-height: 8rem; }
#frame svg { display: block; position: absolute; left: 0; top: 0; transform-origin: 0 0; }
#frame svg text { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; }
#frame text { pointer-events: none; }
#frame g.hl-node > polygon:first-of-type, #frame g.hl-node > ellipse:first-of-type,
#frame g.hl-node > path:first-of-type { stroke: var(--red); stroke-width: 4px; }
#frame g.hl-parent > polygon:first-of-type, #frame g.hl-parent > ellipse:first-of-type,
#frame g.hl-parent > path:first-of-type { stroke: var(--blue); stroke-width: 4px; }
#frame g.partial > polygon:first-of-type, #frame g.partial > ellipse:first-of-type { stroke-dasharray: 6 3; }
#frame g.hl-edge > path { stroke: var(--red); stroke-width: 3.5px; }
#frame g.hl-edge > polygon { stroke: var(--red); fill: var(--red); }
#frame g.hl-edge > text { fill: var(--red); font-weight: bold; }
footer { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 0 1rem; border-top: 1px solid #ddd;
         background: var(--panel); }
#lines { margin: 0; padding: 0.3rem 0.5rem 0.3rem 3.8rem; max-height: 22vh; overflow-y: auto; position: relative;
         font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.95rem; }
#lines li { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0.05rem 0.3rem; cursor: pointer;
            color: var(--muted); }
#lines li::marker { color: #999; }
#lines li.later { display: none; }
#lines li.current { color: var(--ink); background: #ffe9a8; font-weight: 600; }
#legend { font-size: 0.9rem; padding: 0.4rem 1rem; color: #333; max-width: 30rem; line-height: 1.5; }
.swatch { display: inline-block; width: 1.6em; height: 0.9em; vertical-align: middle; border: 2px solid #333;
          margin-right: 0.3em; border-radius: 2px; }
.keys { color: var(--muted); }
@media (max-width: 60rem) { footer { grid-template-columns: 1fr; } #legend { max-width: none; } }
"""

_JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("player-data").textContent);
  var N = D.n;
  var frame = document.getElementById("frame");
  var svg = frame.querySelector("svg");
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var lineBox = document.getElementById("line");
  var list = document.getElementById("lines");
  var items = list.children;
  var prevBtn = document.getElementById("prev"), nextBtn = document.getElementById("next");
  var viewBtn = document.getElementById("view");
  var GRAD = /^(grad|\|grad\|) /;
  var cache = {};
  function el(id) {
    if (!(id in cache)) cache[id] = document.getElementById(id);
    return cache[id];
  }
  function gradText(g) {
    if (!("_grad" in g)) {
      var texts = g.getElementsByTagName("text"), found = null;
      for (var i = 0; i < texts.length; i++) if (GRAD.test(texts[i].textContent)) found = texts[i];
      g._grad = found;
    }
    return g._grad;
  }
  function shape(g) {
    for (var c = g.firstElementChild; c; c = c.nextElementSibling) {
      var t = c.tagName.toLowerCase();
      if (t === "polygon" || t === "ellipse" || t === "path") return c;
    }
    return null;
  }
  // prev[s]: the previous step whose parent is the same node (-1: none).
  var prev = [], seen = {};
  D.steps.forEach(function (st, s) {
    prev.push(st[1] in seen ? seen[st[1]] : -1);
    seen[st[1]] = s;
  });
  var last = {};  // node id -> the last step applied to it (-1: none)
  function paint(id, s) {
    var g = el(id);
    if (!g) return;
    var st = s >= 0 ? D.steps[s].slice(3) : (id === D.root ? D.seed : D.unknown);
    var t = gradText(g);
    if (t) t.textContent = st[0];
    if (D.color) {
      var sh = shape(g);
      if (sh) sh.style.fill = st[1];
      var texts = g.getElementsByTagName("text");
      for (var i = 0; i < texts.length; i++) texts[i].style.fill = st[2];
    }
    g.classList.toggle("partial", !st[3]);
    g.classList.toggle("reached", s >= 0 || id === D.root);
  }
  var marked = [];
  function mark(id, cls) {
    var g = el(id);
    if (g) { g.classList.add(cls); marked.push([g, cls]); }
  }
  function highlight(k) {
    marked.forEach(function (m) { m[0].classList.remove(m[1]); });
    marked = [];
    if (k === 0) { D.rootIds.forEach(function (id) { mark(id, "hl-node"); }); return; }
    var st = D.steps[k - 1];
    st[0].forEach(function (id) { mark(id, "hl-node"); });
    mark(st[1], "hl-parent");
    mark(st[2], "hl-edge");
  }
  // ------------------------------------------------------------ view: the whole graph or around the step
  // The SVG keeps its viewBox and its natural size (1 unit = 1 px); panning and zooming
  // move it with a CSS transform, which needs no new layout of a big graph.
  var vb = svg.viewBox.baseVal, full = [vb.x, vb.y, vb.width, vb.height];
  svg.style.width = full[2] + "px";
  svg.style.height = full[3] + "px";
  var g0 = svg.querySelector("g.graph"), M = null;
  if (g0 && g0.transform.baseVal.numberOfItems) M = g0.transform.baseVal.consolidate().matrix;
  var zoom = 1.5, mode = "fit";
  function box(e) {
    var b = e.getBBox(), a = M ? M.a : 1, d = M ? M.d : 1, ex = M ? M.e : 0, fy = M ? M.f : 0;
    return [a * b.x + ex, d * b.y + fy, a * b.width, d * b.height];
  }
  function place(z, cx, cy) {  // show the point (cx, cy) of the graph at the centre, z px per unit
    var tx = frame.clientWidth / 2 - (cx - full[0]) * z, ty = frame.clientHeight / 2 - (cy - full[1]) * z;
    svg.style.transform = "translate(" + tx.toFixed(1) + "px," + ty.toFixed(1) + "px) scale(" + z.toFixed(4) + ")";
  }
  function fitScale() {
    return Math.min(frame.clientWidth / full[2], frame.clientHeight / full[3]);
  }
  function setView() {
    viewBtn.textContent = mode === "fit" ? "follow the step" : "whole graph";
    if (mode === "fit" || !marked.length) {
      place(fitScale(), full[0] + full[2] / 2, full[1] + full[3] / 2);
      return;
    }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    marked.forEach(function (m) {
      var b = box(m[0]);
      x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]);
      x1 = Math.max(x1, b[0] + b[2]); y1 = Math.max(y1, b[1] + b[3]);
    });
    var z = Math.min(zoom, frame.clientWidth / (1.25 * (x1 - x0) + 1), frame.clientHeight / (1.25 * (y1 - y0) + 1));
    place(z, (x0 + x1) / 2, (y0 + y1) / 2);
  }
  // ------------------------------------------------------------ moving
  var cur = 0;
  function go(k) {
    k = Math.max(0, Math.min(N, Math.round(k)));
    var changed = {}, s;
    if (k > cur) for (s = cur; s < k; s++) { changed[D.steps[s][1]] = 1; last[D.steps[s][1]] = s; }
    else for (s = cur - 1; s >= k; s--) { changed[D.steps[s][1]] = 1; last[D.steps[s][1]] = prev[s]; }
    Object.keys(changed).forEach(function (id) { paint(id, last[id]); });
    var lo = Math.min(cur, k), hi = Math.max(cur, k);
    for (var i = lo; i <= hi; i++) items[i].className = i < k ? "done" : (i === k ? "current" : "later");
    cur = k;
    highlight(k);
    lineBox.textContent = items[k].textContent;
    counter.textContent = "step " + k + " / " + N;
    slider.value = String(k);
    prevBtn.disabled = k === 0;
    nextBtn.disabled = k === N;
    var li = items[k];
    list.scrollTop = Math.max(0, li.offsetTop - list.clientHeight + li.offsetHeight + 8);
    setView();
    try { history.replaceState(null, "", "#" + k); } catch (e) { /* not allowed here: fine */ }
  }
  Object.keys(seen).forEach(function (id) { paint(id, -1); last[id] = -1; });
  paint(D.root, -1);
  prevBtn.addEventListener("click", function () { go(cur - 1); });
  nextBtn.addEventListener("click", function () { go(cur + 1); });
  document.getElementById("home").addEventListener("click", function () { go(0); });
  document.getElementById("end").addEventListener("click", function () { go(N); });
  slider.addEventListener("input", function () { go(+slider.value); });
  function toggleView() { mode = mode === "fit" ? "follow" : "fit"; setView(); }
  function zoomBy(f) { zoom *= f; mode = "follow"; setView(); }
  viewBtn.addEventListener("click", toggleView);
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(0.8); });
  list.addEventListener("click", function (e) {
    var li = e.target.closest ? e.target.closest("li") : null;
    if (li && li.parentNode === list) go(Array.prototype.indexOf.call(items, li));
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    var k = {ArrowRight: cur + 1, ArrowLeft: cur - 1, Home: 0, End: N, PageDown: cur + 10, PageUp: cur - 10}[e.key];
    if (k !== undefined) { e.preventDefault(); go(k); return; }
    if (e.key === "f") toggleView();
    else if (e.key === "+" || e.key === "=") zoomBy(1.25);
    else if (e.key === "-") zoomBy(0.8);
  });
  window.addEventListener("resize", setView);
  mode = fitScale() >= 0.45 ? "fit" : "follow";
  var start = parseInt((location.hash || "").slice(1), 10);
  go(isNaN(start) ? 0 : start);
  document.getElementById("player").setAttribute("data-ready", "1");
})();
"""


def _page(heading: str, svg: str, lines: Sequence[str], data: dict, engine: str, scale: ColorScale | None) -> str:
    n = len(lines) - 1
    e = lambda s: html.escape(s, quote=True)  # noqa: E731
    items = "\n".join(f'<li class="{"current" if k == 0 else "later"}">{e(line)}</li>'
                      for k, line in enumerate(lines))
    if scale is not None:
        decade = lambda d: f"1e{d:+03d}" if d else "1"  # noqa: E731 - as in the picture's legend
        colours = (f"Fill: {e(scale.what)} on a log scale, from pale ({decade(scale.lo)}) to dark red "
                   f"({decade(scale.hi)}); white: not reached yet; grey: exactly 0.")
    else:
        colours = "Gradients not reached yet read <b>grad ?</b>."
    legend = (
        f'<span class="swatch" style="border-color:#d62728"></span>the node passing its gradient on (upstream) '
        f'&nbsp; <span class="swatch" style="border-color:#1f77b4"></span>the node receiving '
        f"upstream &times; local &nbsp; <b style=\"color:#d62728\">red edge</b>: the step &nbsp; "
        f'<span class="swatch" style="border-style:dashed"></span>a partial sum (more contributions to come). '
        f"{colours}<br><span class=\"keys\">Keys: &larr; &rarr; step, Home / End, PageUp / PageDown: 10 steps, "
        f"f: whole graph / follow the step, + / &minus;: zoom. {e(engine)} engine.</span>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<div id="player" data-steps="{n}">\n'
        f'<header>\n<h1 id="title">{e(heading)}</h1>\n<div id="controls">\n'
        '<button id="home" type="button" title="first step (Home)">first</button>\n'
        '<button id="prev" type="button" title="previous step (&larr;)">&#x25C0; prev</button>\n'
        f'<input id="slider" type="range" min="0" max="{n}" value="0" step="1" aria-label="step">\n'
        '<button id="next" type="button" title="next step (&rarr;)">next &#x25B6;</button>\n'
        '<button id="end" type="button" title="last step (End)">last</button>\n'
        f'<span id="counter" aria-live="polite">step 0 / {n}</span>\n'
        '<button id="view" type="button" title="whole graph or follow the step (f)">follow the step</button>\n'
        '<button id="zoom-out" type="button" title="zoom out (-)" aria-label="zoom out">&minus;</button>\n'
        '<button id="zoom-in" type="button" title="zoom in (+)" aria-label="zoom in">+</button>\n'
        "</div>\n</header>\n"
        f'<div id="line">{e(lines[0])}</div>\n'
        f'<div id="frame">\n{svg}</div>\n'
        f'<footer>\n<ol id="lines" start="0">\n{items}\n</ol>\n<div id="legend">{legend}</div>\n</footer>\n'
        "</div>\n"
        f'<script type="application/json" id="player-data">{_json_for_script(data)}</script>\n'
        f"<script>{_JS}</script>\n</body>\n</html>\n")


# =========================================================================== safe expressions


class ExpressionError(ValueError):
    """An expression that cannot be evaluated; the message names what is not allowed and where."""


def _where(text: str, node: ast.AST | None) -> str:
    """The expression with a caret line under ``node`` (when its position is known)."""
    col = getattr(node, "col_offset", None)
    if col is None or "\n" in text:
        return ""
    end = getattr(node, "end_col_offset", None) or col + 1
    return f"\n    {text}\n    {' ' * col}{'^' * max(1, end - col)}"


_ALLOWED_TEXT = ("allowed: numbers, the names you bind (a=2), + - * / **, unary -, and the methods "
                 + " ".join(f".{m}()" for m in ALLOWED_METHODS))

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_BINOPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
                 ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
_WHAT = {
    ast.Subscript: "indexing (x[...])", ast.Compare: "comparisons", ast.BoolOp: "'and'/'or'",
    ast.Lambda: "lambda", ast.IfExp: "'... if ... else ...'", ast.List: "lists", ast.Tuple: "tuples",
    ast.Set: "sets", ast.Dict: "dicts", ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "generator expressions", ast.JoinedStr: "f-strings",
    ast.Starred: "'*' unpacking", ast.NamedExpr: "':=' assignments", ast.Await: "'await'",
    ast.Yield: "'yield'", ast.YieldFrom: "'yield'", ast.Slice: "slices",
}


def _apply(op: str, x: Any, y: Any) -> Any:
    """x op y with Value semantics (IEEE: 1/0 is inf, no exception), also for two numbers."""
    if not isinstance(x, Value) and not isinstance(y, Value):
        return _apply(op, Value(x), y).data  # constants fold to a plain number
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        return x / y
    return x ** y


def parse_expression(text: str, variables: Mapping[str, float | Value]) -> Value:
    """Build the Value graph of an arithmetic expression, safely (no ``eval``).

    The text is parsed with :func:`ast.parse` and only this grammar is evaluated::

        expr := number | NAME | expr (+ | - | * | / | **) expr | -expr | (expr)
              | expr.tanh() | expr.exp() | expr.log() | expr.sigmoid() | expr.relu()

    where ``NAME`` is a key of ``variables``. Each variable becomes a leaf
    ``Value(x, label=NAME)`` (or is used as is when it already is a Value); operations
    between numbers alone are folded into one number.

    Args:
        text: the expression, e.g. ``"(a*b + c).tanh()"``.
        variables: name -> number (or Value).

    Returns:
        The output Value (its graph holds every operation).

    Raises:
        ExpressionError: a syntax error, a name that is not bound, or anything outside the
            grammar (function calls such as ``__import__('os')``, attributes other than the
            methods, strings, indexing, ...); the message names it and points at it.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expression: expected text, got {type(text).__name__}")
    source = text.strip()
    if not source:
        raise ExpressionError("expression: the expression is empty; write one such as \"(a*b + c).tanh()\"")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as e:
        col = (e.offset or 1) - 1
        caret = f"\n    {source}\n    {' ' * max(col, 0)}^" if "\n" not in source else ""
        raise ExpressionError(f"expression: this is not a valid expression ({e.msg}){caret}") from None
    leaves: dict[str, Value] = {}
    for name, v in variables.items():
        leaves[name] = v if isinstance(v, Value) else Value(float(v), label=name)
    used: set[str] = set()

    def fail(msg: str, node: ast.AST) -> ExpressionError:
        return ExpressionError(f"expression: {msg}{_where(source, node)}")

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                what = "strings" if isinstance(v, (str, bytes)) else f"the constant {v!r}"
                raise fail(f"{what}: not allowed ({_ALLOWED_TEXT})", node)
            return float(v)
        if isinstance(node, ast.Name):
            if node.id not in leaves:
                bound = ", ".join(sorted(leaves)) or "none"
                raise fail(f"the name '{node.id}' is not bound; bind it on the command line, e.g. {node.id}=1.5 "
                           f"(bound: {bound})", node)
            used.add(node.id)
            return leaves[node.id]
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                sym = _OTHER_BINOPS.get(type(node.op), type(node.op).__name__)
                raise fail(f"the operator '{sym}' is not allowed; use + - * / ** ({_ALLOWED_TEXT})", node)
            return _apply(op, ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                sym = {ast.UAdd: "+", ast.Not: "not", ast.Invert: "~"}.get(type(node.op), "?")
                raise fail(f"the unary operator '{sym}' is not allowed; only unary - is ({_ALLOWED_TEXT})", node)
            x = ev(node.operand)
            return -x
        if isinstance(node, ast.Call):
            f = node.func
            if not isinstance(f, ast.Attribute):
                what = f"'{f.id}(...)'" if isinstance(f, ast.Name) else "this call"
                raise fail(f"calling functions is not allowed: {what}. Only the methods "
                           + " ".join(f".{m}()" for m in ALLOWED_METHODS)
                           + " can be called, as in (a*b).tanh()", node)
            if f.attr not in ALLOWED_METHODS:
                raise fail(f"the method '.{f.attr}()' is not allowed; the allowed methods are "
                           + " ".join(f".{m}()" for m in ALLOWED_METHODS), node)
            if node.args or node.keywords:
                raise fail(f"'.{f.attr}()' takes no arguments; write x.{f.attr}()", node)
            x = ev(f.value)
            if isinstance(x, Value):
                return getattr(x, f.attr)()
            return getattr(Value(x), f.attr)().data
        if isinstance(node, ast.Attribute):
            if node.attr in ALLOWED_METHODS:
                raise fail(f"'.{node.attr}' is a method: call it, as in x.{node.attr}()", node)
            raise fail(f"the attribute '.{node.attr}' is not allowed; the only attributes are the methods "
                       + " ".join(f".{m}()" for m in ALLOWED_METHODS), node)
        what = _WHAT.get(type(node), f"the construct '{type(node).__name__}'")
        raise fail(f"{what}: not allowed ({_ALLOWED_TEXT})", node)

    try:
        out = ev(tree.body)
    except RecursionError:
        raise ExpressionError("expression: the expression is nested too deeply to evaluate") from None
    if not isinstance(out, Value):
        raise ExpressionError("expression: the expression uses no variable, so there is nothing to "
                              "differentiate; bind a name and use it, e.g. \"x*x + 1\" x=3")
    return out


def parse_bindings(words: Sequence[str]) -> dict[str, float]:
    """``["a=2", "b=-3"]`` -> ``{"a": 2.0, "b": -3.0}``, with clear errors.

    Raises:
        ExpressionError: a word without ``=``, a name that is not an identifier (or is a
            Python keyword), a value that is not a number, or a name bound twice.
    """
    out: dict[str, float] = {}
    for w in words:
        if w.startswith("-") and "=" not in w:
            raise ExpressionError(f"binding {w!r}: this looks like an option, but after `--` every word is read "
                                  "as the expression or a NAME=VALUE binding; put the options before `--`")
        if "=" not in w:
            raise ExpressionError(f"binding {w!r}: expected NAME=VALUE, e.g. a=2 (the expression goes first, "
                                  "in quotes: \"(a*b + c).tanh()\")")
        name, _, value = w.partition("=")
        name = name.strip()
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ExpressionError(f"binding {w!r}: {name!r} is not a valid name; use letters, digits and _, "
                                  "starting with a letter (a, x1, w_0)")
        try:
            number = float(value)
        except ValueError:
            raise ExpressionError(f"binding {w!r}: {value.strip()!r} is not a number (write e.g. {name}=-3 or "
                                  f"{name}=0.5)") from None
        if name in out:
            raise ExpressionError(f"binding {w!r}: {name} is bound twice")
        out[name] = number
    return out


# =========================================================================== the `graph` command

_GRAPH_DESCRIPTION = """\
Draw the computation graph of an expression (or of a small MLP), run backward, and write:

  graph.svg    the graph: every number as  label | data | grad, every op as a small
               circle, every edge labelled with its local derivative (x-3.0: on the way
               back the upstream gradient is multiplied by it); fill colour = |grad| on a
               log scale, pale (small) to dark red (large)
  graph.dot    the same picture as Graphviz DOT text (for slides and version control)
  player.html  backward one chain-rule step at a time: open it in a browser (works
               offline); buttons, slider, keys <- -> Home End. Each step shows
               dL/d(parent) += dL/d(node) x d(node)/d(parent)  =  upstream x local

The expression is read safely (no eval): numbers, the names you bind (a=2), + - * / **,
unary -, and the methods .tanh() .exp() .log() .sigmoid() .relu(). The output is called L.
"""

_GRAPH_EPILOG = """\
examples:
  tinygrad-init graph "(a*b + c).tanh()" a=2 b=-3 c=10 --out neuron
  tinygrad-init graph "x*x + x" x=3 --out sum        x feeds two nodes: its gradient is a sum
  tinygrad-init graph "(w*x + b).sigmoid()" w=0.5 x=2 b=-1 --rankdir TB --format png
  tinygrad-init graph --mlp 2,4,1 --out mlp          a scalar MLP, one sample, loss = squared error
  tinygrad-init graph --mlp 2,8,8,1 --engine tensor --init small --out small
  tinygrad-init graph --out neg -- "-a*b" a=1 b=2    an expression starting with '-' (options before --)

Put the NAME=VALUE bindings right after the expression (options may come before or after
both). Rendering needs the Graphviz program `dot` (apt-get install graphviz,
brew install graphviz); without it only graph.dot is written.
"""


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.replace(" ", "").split(",") if s]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected layer widths separated by commas, e.g. 2,4,1; got {text!r}") \
            from None
    if len(sizes) < 2 or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"expected at least two positive widths (input and output), e.g. 2,4,1; "
                                         f"got {text!r}")
    return sizes


_positive = cli_type(check_int, 1)
_seed = cli_type(check_int, 0)


def add_graph_command(subparsers: Any, formatter_class: Any = argparse.RawDescriptionHelpFormatter
                      ) -> argparse.ArgumentParser:
    """Add the ``graph`` subcommand to ``subparsers`` (from ``parser.add_subparsers()``)."""
    p = subparsers.add_parser(
        "graph", help="draw the graph of an expression or a small MLP, and a step-through player of backward",
        description=_GRAPH_DESCRIPTION, epilog=_GRAPH_EPILOG, formatter_class=formatter_class)
    p.add_argument("expression", nargs="?", help='the expression, in quotes, e.g. "(a*b + c).tanh()"')
    p.add_argument("bindings", nargs="*", metavar="NAME=VALUE", help="the value of each name, e.g. a=2 b=-3")
    m = p.add_argument_group("a small MLP instead of an expression")
    m.add_argument("--mlp", type=_sizes, metavar="SIZES",
                   help="layer widths, e.g. 2,4,1: an MLP on one sample (scalar) or a batch (tensor), "
                        "loss = squared error against random targets")
    m.add_argument("--engine", choices=("scalar", "tensor"), default="scalar",
                   help="scalar: one Value per weight (every multiply visible); tensor: one node per weight "
                        "matrix (default: %(default)s)")
    m.add_argument("--activation", choices=("tanh", "sigmoid", "relu", "linear"), default="tanh",
                   help="hidden activation (default: %(default)s)")
    m.add_argument("--init", metavar="NAME", default=None,
                   help="weight initialization, e.g. xavier_uniform, he_normal, small (default: the engine's: "
                        "U(-1, 1) for scalar, by activation for tensor)")
    m.add_argument("--seed", type=_seed, default=0, help="random seed of weights and data (default: %(default)s)")
    m.add_argument("--batch", type=_positive, default=4, metavar="B",
                   help="samples in the batch, tensor engine (default: %(default)s)")
    o = p.add_argument_group("output")
    o.add_argument("--out", type=Path, default=Path("graph"), metavar="DIR",
                   help="the folder to write into, created if missing (default: %(default)s)")
    o.add_argument("--rankdir", choices=("LR", "TB"), default="LR",
                   help="LR: inputs on the left; TB: inputs on top (default: %(default)s)")
    o.add_argument("--format", choices=("svg", "png", "pdf"), default="svg",
                   help="format of the static picture graph.<format> (default: %(default)s)")
    o.add_argument("--no-player", action="store_true", help="do not write player.html")
    o.add_argument("--max-nodes", type=_positive, default=None, metavar="N",
                   help="draw only the N nodes nearest the output (one note summarises the rest)")
    o.add_argument("--max-steps", type=_positive, default=DEFAULT_MAX_STEPS, metavar="N",
                   help="skip the player when backward has more steps than this (default: %(default)s)")
    p.set_defaults(graph_parser=p)
    return p


def _expression_graph(args: argparse.Namespace) -> tuple[Any, Ledger, dict]:
    variables = parse_bindings(args.bindings)
    root = parse_expression(args.expression, variables)
    with ledger_mod.record() as steps:
        root.backward()
    return root, steps, {}


def _mlp_graph(args: argparse.Namespace) -> tuple[Any, Ledger, dict]:
    import numpy as np

    from ..nn import init as init_mod
    from ..utils import as_rng

    sizes = args.mlp
    init = None
    if args.init is not None:
        init = init_mod.get(args.init)  # ValueError with the valid names when unknown
    gen = as_rng(args.seed)
    if args.engine == "scalar":
        from ..nn import scalar as scalar_nn
        model = scalar_nn.MLP(sizes[0], sizes[1:], activation=args.activation, init=init, rng=gen)
        x = gen.standard_normal(sizes[0])
        y = gen.standard_normal(sizes[-1])
        xs = [Value(float(v), label=f"x{i}") for i, v in enumerate(x)]
        out = model(xs)
        outs = out if isinstance(out, list) else [out]
        errs = [(o - float(t)) ** 2 for o, t in zip(outs, y)]
        loss = errs[0] if len(errs) == 1 else Value.sum(errs)
        loss.label = "loss"
        with ledger_mod.record() as steps:
            loss.backward()
        return loss, steps, {}
    from .. import nn
    from ..core.tensor import Tensor

    model = nn.MLP(sizes, activation=args.activation, init=init, rng=gen, dtype=np.float64)
    x = Tensor(gen.standard_normal((args.batch, sizes[0])), name="x")
    y = gen.standard_normal((args.batch, sizes[-1]))
    tr = draw_mod.trace(model, x)
    loss = nn.mse_loss(tr.output, y)
    loss.name = "loss"
    with ledger_mod.record() as steps:
        loss.backward()
    return loss, steps, {"module": tr}


def run_graph(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``tinygrad-init graph`` with parsed ``args``; returns the exit code.

    Writes ``graph.<format>``, ``graph.dot`` and (unless ``--no-player``) ``player.html``
    into ``args.out``. Exit codes: 0 done; 1 the Graphviz program is missing (graph.dot is
    still written) or a file cannot be written; 2 a usage error (the message says what).
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = getattr(args, "graph_parser", None)

    def usage(msg: str) -> int:
        if parser is not None:
            parser.print_usage(err)
        print(f"tinygrad-init graph: error: {msg}", file=err)
        return 2

    if args.mlp is None and args.expression is None:
        return usage("give an expression (e.g. \"(a*b + c).tanh()\" a=2 b=-3 c=10) or --mlp SIZES (e.g. 2,4,1)")
    if args.mlp is not None and (args.expression is not None or args.bindings):
        return usage("give either an expression or --mlp, not both")
    if args.mlp is None and args.engine != "scalar":
        return usage("--engine applies to --mlp only; an expression is always drawn with the scalar engine")
    try:
        if args.mlp is None:
            root, steps, extra = _expression_graph(args)
            what = f"the expression {args.expression.strip()}"
        else:
            root, steps, extra = _mlp_graph(args)
            what = (f"a {'-'.join(map(str, args.mlp))} {args.activation} MLP ({args.engine} engine"
                    + (f", batch {args.batch}" if args.engine == "tensor" else ", one sample") + ")")
    except ExpressionError as e:
        return usage(str(e))
    except (ValueError, TypeError) as e:  # an unknown --init name, and the like
        return usage(str(e))

    order = autograd.topological_order(root)
    n_steps = len(steps)
    print(f"tinygrad-init graph: {what}: {len(order)} nodes, {n_steps} chain-rule steps in backward", file=out)
    if root.scalar and n_steps <= 40:
        print(steps.explain(), file=out)
    if len(order) > 1500 and args.max_nodes is None:
        print(f"note: Graphviz lays out {len(order):,} nodes" + ("" if args.no_player else " twice (picture and "
              "player)") + "; this can take a while. --max-nodes N draws fewer, --no-player skips the player.",
              file=out, flush=True)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"tinygrad-init graph: cannot create the folder {args.out}: {e.strerror}", file=err)
        return 1
    g = draw_mod.draw(root, rankdir=args.rankdir, show_data=True, show_grad=True, show_local=True,
                      show_names=True, color_by_grad=True, ledger=steps, max_nodes=args.max_nodes, **extra)
    written = []
    try:
        written.append(draw_mod.render(g, args.out / "graph.dot"))
        written.append(draw_mod.render(g, args.out / f"graph.{args.format}"))
        if not args.no_player:
            if n_steps > args.max_steps:
                print(f"note: no player.html: backward has {n_steps:,} steps, more than --max-steps "
                      f"{args.max_steps:,} (use a smaller network, the tensor engine, or raise --max-steps)",
                      file=out)
            else:
                written.append(write_player(args.out / "player.html", steps, rankdir=args.rankdir,
                                            max_nodes=args.max_nodes, max_steps=None, **extra))
    except GraphvizNotFoundError as e:
        for p in written:
            print(f"wrote {p}", file=out)
        print(f"tinygrad-init graph: {e}", file=err)
        return 1
    except OSError as e:
        print(f"tinygrad-init graph: cannot write into {args.out}: {e}", file=err)
        return 1
    for p in written:
        size = p.stat().st_size
        print(f"wrote {p} ({size / 1024:.0f} KiB)" if size >= 10240 else f"wrote {p} ({size} bytes)", file=out)
    if not args.no_player and n_steps <= args.max_steps:
        print(f"open {args.out / 'player.html'} in a browser to step through backward (keys <- ->)", file=out)
    return 0
