"""Step through a backward pass in the browser, one chain-rule step at a time: `player_html` turns a
recorded pass (a `Ledger`) into one self-contained HTML page (the package data `player.html`, `.css`, `.js`
inlined; it fetches nothing). The same graph gives the same bytes."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import string
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..core.autograd import topological_order
from ..utils import check_int, quoted, writable, write_whole
from .colors import WHAT, ColorScale, font_color, magnitude
from .draw import FORMATS, MAX_NODES, GraphvizNotFoundError, _num, _said_by, draw, to_svg
from .ledger import Ledger, record

__all__ = ["player_html", "write_player", "DEFAULT_MAX_STEPS"]

DEFAULT_MAX_STEPS = 2000
"""A page with more steps than this is refused unless `max_steps` is raised: Graphviz lays out a whole graph of
2,000 steps in about 10 s, of 5,000 in one to six minutes (`max_nodes` draws only the nodes nearest the output)."""


def _check_steps(n: int, max_steps: int | None) -> None:
    if max_steps is not None and n > check_int("player", "max_steps", max_steps, 0):
        raise ValueError(f"player: this backward pass has {n:,} chain-rule step{'s' * (n != 1)}, more than "
                         f"max_steps={max_steps:,}. Step through a smaller graph (fewer or narrower layers, or the "
                         "tensor engine, whose steps are whole matrices), or raise max_steps and pass "
                         f"max_nodes={MAX_NODES} to draw only the nodes nearest the output (Graphviz takes minutes "
                         "over thousands of nodes).")


def _record(root: Any, max_steps: int | None, options: Mapping) -> Ledger:
    """`root.backward()`, recorded, if the pass is not too long and the picture's `options` are right (checked
    first: a refused call adds no gradient)."""
    if not hasattr(root, "parents") or not hasattr(root, "backward"):
        raise TypeError(f"player: expected a Ledger, a Value or a Tensor, got {type(root).__name__}")
    if not root.scalar and getattr(root, "data", None) is not None and root.data.size != 1:
        raise ValueError(f"player: the output has shape {root.shape}; backward starts from a scalar (dL/dL = 1). "
                         "Reduce it first (out.sum() or a loss), or record `with ledger.record() as steps: "
                         "out.backward(grad)` and pass steps")
    _check_steps(sum(getattr(p, "_requires_grad", True) for n in topological_order(root) for p in n.parents), max_steps)
    _said_by("player", draw, root, **options)  # its errors name the option (a graph within max_steps: milliseconds)
    if shutil.which("dot") is None:  # the page needs Graphviz: without it, no backward whose call put right repeats
        raise GraphvizNotFoundError()
    with record() as steps:
        root.backward()
    return steps


def _inline_svg(svg: str, titles: Mapping[str, str], label: Mapping[str, str]) -> str:
    """Graphviz's SVG made fit for inlining: no prolog or comments, scalable; parallel edges numbered
    (`edge_<tail>_<head>_<k>`, `k` counting the earlier ones, as in `a * a`); tooltips with the ledger's
    names: `titles` by element id, edges by `label` of their ends (DOT name -> name), none for the rest."""
    svg = re.sub(r"<!--.*?-->\n?", "", svg[svg.index("<svg"):], flags=re.S)
    svg = svg.replace(' font-family="Helvetica,sans-Serif"', "")  # set once, in player.css
    tag = re.match(r"<svg\b[^>]*>", svg).group(0)  # type: ignore[union-attr]
    svg = re.sub(r'\s(?:width|height)="[^"]*"', "", tag).replace(
        "<svg", '<svg id="graph" preserveAspectRatio="xMidYMid meet"', 1) + svg[len(tag):]
    seen: dict[str, int] = {}

    def element(m: re.Match) -> str:  # Graphviz's own names (%3, n1c, cluster_legend) are no tooltips
        gid, kind, attrs, space, raw = m.groups()
        text = titles.get(gid)
        if kind == "edge":  # Graphviz's id edge_<tail>_<head> and title <tail>-><head>
            k = seen[gid] = seen.get(gid, -1) + 1
            gid, ends = f"{gid}_{k}", [label.get(x.removesuffix("op")) for x in html.unescape(raw).split("->")]
            if all(ends):  # DOT ids (n0, legend1) hold no "->": two ends
                text = f"{ends[0]} -> {ends[1]}" if ends[0] != ends[1] else f"the op's result: {ends[0]}"
        tip = f"{space}<title>{html.escape(text, False)}</title>" if text else ""
        return f'<g id="{gid}" class="{kind}"{attrs}>{tip}'

    return re.sub(r'<g id="([^"]+)" class="(\w+)"([^>]*)>(\s*)<title>([^<]*)</title>', element, svg).strip()


def _asset(name: str) -> str:  # the text of player.html, .css or .js, shipped beside this module as package data
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8").strip()


def player_html(source: Any, *, title: str | None = None, pass_index: int | None = None, digits: int | None = 6,
                color_by_grad: bool | str = True, max_steps: int | None = DEFAULT_MAX_STEPS, **options: Any) -> str:
    r"""The text of one self-contained HTML page that steps through a backward pass.

    Frame `k` (`0 <= k <= n`) shows what is known after `k` steps of
    $\frac{\partial L}{\partial p} \mathrel{+}= \frac{\partial L}{\partial n} \cdot \frac{\partial n}{\partial p}$
    and the step's `Ledger.line` (the controls: docs/visible_backprop.md). Node ids `node_n<i>` (`i`: topological
    position; `node_n<i>op`: a Value's op bubble), edge ids `edge_<tail>_<head>_<k>`, buttons `#prev`/`#next`.

    Args:
        source: a `Ledger`, or the output (a `Value` or one-element `Tensor`) whose `backward()` the player runs
            and records (leaf gradients accumulate, as with any `backward()`).
        title: the heading (default: `"Backpropagation through <root>, step by step"`; a pass cut short by an
            error says so after it).
        pass_index: which pass of the ledger (default: the last).
        digits: significant digits of the ledger lines (None: `repr`).
        color_by_grad: fill by |grad| (True), by std (`"std"`, tensors) or not (False), as in `draw.draw`.
        max_steps: refuse longer passes (None: no limit); a 2-16-16-1 scalar MLP has about 980 steps.
        **options: `draw.draw`'s `rankdir`, `show_data`, `show_local` (default on), `module`, `max_nodes`.

    Raises:
        GraphvizNotFoundError: the `dot` program is missing (the message says how to install it).
        ValueError: an empty ledger, more steps than `max_steps`, a non-scalar output, or a collapsed trace.
        TypeError: not a Ledger, Value or Tensor, or an option the player sets itself.
    """
    if getattr(options.get("module"), "collapse", None):  # a box would show its output's gradient from step 0 on
        raise ValueError("player: a collapsed trace draws a module as one box, which cannot follow the steps inside "
                         "it; pass the trace itself (module=tr), one cluster per module")
    for key in sorted(options.keys() - {"rankdir", "show_data", "show_local", "module", "max_nodes"}):
        raise TypeError(f"player: {key}= is set by the player itself (it shows the gradients step by step)" if key in (
            "show_grad", "grads") else f"player: no option {key}=; the picture's are rankdir, show_data, show_local, "
                            "module and max_nodes")
    if not (isinstance(color_by_grad, (bool, np.bool_)) or isinstance(color_by_grad, str) and color_by_grad in (
            "norm", "std")):  # not `in (True, ...)`: a Tensor's == raises, an empty array's truth is ambiguous
        raise ValueError(f"player: color_by_grad must be True, False, 'norm' or 'std', got {quoted(color_by_grad)}")
    if pass_index is not None and not isinstance(source, Ledger):
        raise TypeError("player: pass_index picks a pass of a Ledger; the pass recorded from an output is its only one")
    digits = digits if digits is None else check_int("player", "digits", digits, 1)
    steps = source if isinstance(source, Ledger) else _record(source, max_steps, options)
    ps = steps.get_pass(pass_index, "player")  # a ValueError if the ledger holds no pass
    pass_steps = steps.pass_steps(ps.index)
    _check_steps(len(pass_steps), max_steps)
    root, scalar, names = ps.root, ps.scalar, ps.names
    topo = {node: i for i, node in enumerate(ps.order)}  # the engine's walk, as draw() numbers the nodes
    mode = "std" if color_by_grad == "std" else "norm"

    def text(info: Any) -> str:  # the grad cell exactly as draw() writes it
        return "grad " + _num(info) if scalar else "|grad| " + _num(info.norm)

    shown = [grads[s.parent] for _, s, grads, _ in steps._sweep(ps) if s]  # as state(k): complete, after hooks
    hooked = [ps.hooked[root]] if root in ps.hooked else []  # the root's hooks change it before step 1
    widest: dict = {root: max([ps.seed, *hooked], key=lambda i: len(text(i)))}  # lay every cell out for the widest
    for s, info in zip(pass_steps, shown):  # text it will show (the first of equals)
        widest[s.parent] = max(widest.get(s.parent, info), info, key=lambda i: len(text(i)))
    scale = ColorScale.fit([magnitude(i, scalar, mode) for i in (ps.seed, *hooked, *shown)], WHAT[
        "scalar" if scalar else mode]) if color_by_grad else None  # what the colours measure, as draw() names it
    g = _said_by("player", draw, root, **{"show_local": True, "max_nodes": None, **options},
                 color_by_grad=scale or False, grads=widest)
    g.node_attr["id"], g.edge_attr["id"] = "node_\\N", "edge_\\T_\\H"
    nid = {node: f"node_n{i}" for node, i in topo.items()}  # and each node's own ids: a Value's record and op bubble
    own_ids = {node: [nid[node], nid[node] + "op"] if scalar and node.parents else [nid[node]] for node in topo}

    def state(info: Any, complete: bool) -> list:  # [grad text, fill, font colour, complete]; info None: unknown
        fill = None if scale is None else scale.color(magnitude(info, scalar, mode))
        return ["grad ?" if info is None else text(info), fill, fill and font_color(fill), int(complete)]

    data_steps, seen = [], {}
    for s, info in zip(pass_steps, shown):
        k = seen[s.node, s.parent] = seen.get((s.node, s.parent), -1) + 1  # earlier edges from the parent (a * a)
        edge = f"edge_n{topo[s.parent]}_n{topo[s.node]}{'op' if scalar else ''}_{k}"
        done = s.contribution_number >= s.contributions_expected
        data_steps.append([own_ids[s.node], nid[s.parent], edge, *state(info, done)])
    data = {"n": len(pass_steps), "root": nid[root], "rootIds": own_ids[root], "seed": state(ps.seed, True),
            "unknown": state(None, True), "steps": data_steps, "color": scale is not None}
    if hooked:  # shown from step 1 on
        data["hooked"] = state(hooked[0], True)

    heading = (str(title) if title is not None else f"Backpropagation through {ps.root_symbol}, step by step") + (
        " (interrupted by an error: the gradients are incomplete)" * (not ps.complete))
    label = {f"n{i}": names.get(node, f"n{i}") for node, i in topo.items()}  # tooltips: the ledger's names
    titles = {"graph0": heading, **{f"node_{k}": v for k, v in label.items()}}
    titles.update({f"node_n{i}op": f"{node.op or '?'}: computes {label[f'n{i}']}" for node, i in topo.items()})
    svg = _inline_svg(to_svg(g), titles, label)
    lines = [steps.seed_line(ps.index, digits)] + [steps.line(s.index, digits) for s in pass_steps]
    return _page(heading, svg, lines, data, "Value (scalar)" if scalar else "Tensor", scale)


def write_player(path: str | os.PathLike, source: Any, **kwargs: Any) -> Path:
    """Write `player_html(source, **kwargs)` to `path` (UTF-8, its folder must exist); returns the path."""
    path = writable("write_player", path, "player.html")  # before the page runs backward
    if path.suffix.lower()[1:] in FORMATS:  # as render refuses SVG in a .png
        raise ValueError(f"write_player: path {str(path)!r} names a picture, but the page is HTML; name it "
                         f"{path.with_suffix('.html')}, or write the picture with draw.render(draw.draw(out), path)")
    return write_whole(path, player_html(source, **kwargs).encode("utf-8", "backslashreplace"))  # a lone surrogate in
    # a name: \udcff, as the picture draws it; written beside and renamed over: a browser reloading never reads half


def _page(heading: str, svg: str, lines: Sequence[str], data: dict, engine: str, scale: ColorScale | None) -> str:
    """The page: `player.html` with `player.css`, `player.js`, the SVG, the lines and the data filled in."""
    e, decade = html.escape, lambda d: f"1e{d:+03d}" if d else "1"  # decades as in the picture's legend
    colours = "Gradients not reached yet read <b>grad ?</b>." if scale is None else (
        f"Fill: {e(scale.what)} on a log scale, from pale ({decade(scale.lo)}) to dark red ({decade(scale.hi)}); "
        "white: not reached yet; grey: exactly 0; green: inf or nan.")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)  # escaped so that it
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # cannot end <script>
    return string.Template(_asset("player.html")).substitute(
        heading=e(heading), n=len(lines) - 1, css=_asset("player.css"), script=_asset("player.js"), svg=svg,
        first_line=e(lines[0]), colours=colours, engine=e(engine), data=text,
        items="\n".join(f'<li class="{"later" if k else "current"}" data-k="{k}">{e(line)}</li>'
                         for k, line in enumerate(lines))
    ) + "\n"
