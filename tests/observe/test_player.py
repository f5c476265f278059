"""The step-through player (tinygrad_init.observe.player, also tinygrad_init.player).

The HTML is checked as text (structure, self-containment, the per-step data, determinism);
test_player_browser.py runs it in a real headless Chromium. The `graph` command that writes
such pages is tested in tests/cli/test_graph.py.
"""

from __future__ import annotations

import html
import json
import math
import re
import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, ledger, nn, player
from tinygrad_init.draw import GraphvizNotFoundError
from tinygrad_init.ledger import format_number

from conftest import require_binary


def neuron():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    return a, b, c, (a * b + c).tanh()


def recorded(root):
    with ledger.record() as steps:
        root.backward()
    return steps


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', page, re.S)
    assert m, "no player data in the page"
    return json.loads(m.group(1))


def list_items(page: str) -> list[str]:
    body = re.search(r'<ol id="lines" start="0">\n(.*?)\n</ol>', page, re.S).group(1)
    return [html.unescape(t) for t in re.findall(r'<li class="[a-z]+"[^>]*>(.*?)</li>', body, re.S)]


def svg_ids(page: str) -> set[str]:
    svg = re.search(r'<svg id="graph".*?</svg>', page, re.S).group(0)
    return set(re.findall(r'<g id="([^"]+)" class="(?:node|edge)"', svg))


# ------------------------------------------------------------------ the page


@pytest.fixture(scope="module")
def neuron_page() -> tuple[str, ledger.Ledger]:
    require_binary("dot")
    *_, o = neuron()
    steps = recorded(o)
    return player.player_html(steps), steps


def test_page_has_one_frame_per_step_and_every_ledger_line(neuron_page):
    page, steps = neuron_page
    assert len(steps) == 5  # o<-add, add<-mul, add<-c, mul<-a, mul<-b
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert 'data-steps="5"' in page
    assert '<input id="slider" type="range" min="0" max="5" value="0"' in page
    assert '<span id="counter" aria-live="polite">step 0 / 5</span>' in page
    for el in ("prev", "next", "home", "end", "line", "frame", "lines", "view"):
        assert f'id="{el}"' in page
    lines = list_items(page)
    assert lines == ["dL/dL = 1.0   (the seed: backward starts here)"] + [steps.line(k) for k in range(5)]
    assert lines[1] == "dL/d(add#4) = dL/dL × ∂L/∂(add#4) (local) = 1.0 × 0.00134095 = 0.00134095"
    # the current line starts as the seed line
    line = re.search(r'<div id="line"[^>]*>(.*?)</div>', page).group(1)
    assert line == "dL/dL = 1.0   (the seed: backward starts here)"
    data = page_data(page)
    assert data["n"] == 5 and len(data["steps"]) == 5


def test_page_is_self_contained(neuron_page):
    page, _ = neuron_page
    assert not re.search(r'\b(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', page, re.I)
    assert not re.search(r"xlink:href|<link\b|@import|url\(", page, re.I)
    assert "<script src" not in page and "<iframe" not in page
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page  # Graphviz's prolog is stripped
    # every http(s) text left is an XML namespace name, which nothing fetches
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg",
                                                              "http://www.w3.org/1999/xlink"}
    assert page.count("<svg") == 1  # one graph, not one per frame


def test_the_graph_scales_with_the_window_without_graphvizs_fixed_width_and_height(neuron_page):
    page, _ = neuron_page
    tag = re.search(r"<svg\b[^>]*>", page).group(0)
    assert 'id="graph"' in tag and 'preserveAspectRatio="xMidYMid meet"' in tag and "viewBox=" in tag
    assert not re.search(r"\s(?:width|height)=", tag), tag


ASSETS = resources.files("tinygrad_init.observe")


def test_page_inlines_the_packaged_style_and_script(neuron_page):
    page, _ = neuron_page
    css, js = (ASSETS.joinpath(name).read_text(encoding="utf-8").strip() for name in ("player.css", "player.js"))
    assert f"<style>\n{css}\n</style>" in page and f"<script>\n{js}\n</script>" in page
    assert "</script" not in js.lower() and "</style" not in css.lower()  # nothing ends its element early
    slots = set(re.findall(r"\$(\w+)", ASSETS.joinpath("player.html").read_text(encoding="utf-8")))
    assert slots == {"heading", "n", "css", "script", "svg", "first_line", "items", "colours", "engine", "data"}
    assert not [slot for slot in slots if f"${slot}" in page]  # every one filled in


def test_every_name_the_player_exports_is_defined():
    assert [name for name in player.__all__ if not hasattr(player, name)] == []


def test_page_files_are_package_data():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["setuptools"]["package-data"]["tinygrad_init.observe"]
    assets = sorted(p.name for p in (root / "tinygrad_init" / "observe").iterdir() if p.suffix != ".py" and p.is_file())
    assert sorted(shipped) == assets == ["player.css", "player.html", "player.js"]


def test_player_script_is_valid_javascript():
    node = require_binary("node")  # (skipped without it but under CI: test_player_browser.py runs it in Chromium)
    proc = subprocess.run([node, "--check", str(ASSETS.joinpath("player.js"))], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_step_data_points_at_existing_nodes_and_edges(neuron_page):
    page, steps = neuron_page
    data, ids = page_data(page), svg_ids(page)
    # topological order: a=n0, b=n1, mul=n2, c=n3, add=n4, o=n5; ops have their own bubble nXop
    assert data["root"] == "node_n5" and data["rootIds"] == ["node_n5", "node_n5op"]
    assert data["seed"] == ["grad 1.0", "#7f0000", "white", 1]
    parents = [s[1] for s in data["steps"]]
    assert parents == ["node_n4", "node_n2", "node_n3", "node_n0", "node_n1"]
    edges = [s[2] for s in data["steps"]]
    assert edges == ["edge_n4_n5op_0", "edge_n2_n4op_0", "edge_n3_n4op_0", "edge_n0_n2op_0", "edge_n1_n2op_0"]
    for st in data["steps"]:
        assert set(st[0]) | {st[1], st[2]} <= ids
    # the parent's gradient text after each step, as the picture prints it (4 digits)
    assert [s[3] for s in data["steps"]] == ["grad 0.001341", "grad 0.001341", "grad 0.001341",
                                             "grad -0.004023", "grad 0.002682"]
    for s, st in zip(steps, data["steps"]):
        assert st[3] == "grad " + format_number(s.grad_after, 4)
        assert re.fullmatch(r"#[0-9a-f]{6}", st[4]) and st[5] in ("black", "white") and st[6] == 1
    # tooltips carry the ledger's names instead of DOT ids
    assert "<title>mul#2</title>" in page and "<title>a -&gt; mul#2</title>" in page


def test_every_cell_is_laid_out_for_its_widest_number():
    require_binary("dot")
    # x feeds three nodes; its gradient grows 0.0234567 -> 0.5234567 -> 1.5234567, and the first
    # text ("grad 0.02346") is longer than the last ("grad 1.523")
    x = Value(1.0, label="x")
    y = x * 1.0 + x * 0.5 + x * 0.0234567
    steps = recorded(y)
    page = player.player_html(steps)
    svg = re.search(r"<svg.*</svg>", page, re.S).group(0)
    # the static SVG shows the widest of x's texts; the script starts it at "grad ?"
    texts = [s[3] for s in page_data(page)["steps"] if s[1] == "node_n0"]
    assert len(texts) == 3 and texts[-1] == "grad " + format_number(x.grad, 4)
    widest = max(texts, key=len)
    assert widest == "grad 0.02346" != texts[-1]
    node_x = re.search(r'<g id="node_n0" class="node">.*?</g>', svg, re.S).group(0)
    assert f">{widest}<" in node_x


def test_partial_sums_are_marked_until_the_last_contribution():
    require_binary("dot")
    x = Value(3.0, label="x")
    y = x * x + x  # x receives three contributions (twice from *, once from +)
    steps = recorded(y)
    data = page_data(player.player_html(steps))
    into_x = [s for s in data["steps"] if s[1] == "node_n0"]
    assert [s[6] for s in into_x] == [0, 0, 1]
    assert [s[3] for s in into_x][-1] == "grad 7.0"  # dy/dx = 2x + 1
    # the two edges of x * x get different ids (parent index 0 and 1)
    assert sorted(s[2] for s in into_x) == ["edge_n0_n1op_0", "edge_n0_n1op_1", "edge_n0_n2op_0"]


def test_tooltips_are_the_ledgers_names_never_graphvizs_internal_ones():
    require_binary("dot")
    a = Value(2.0, label="a")
    page = player.player_html((a * 3.0 + 1.0).tanh(), title="My neuron")  # constants and a legend cluster
    svg = re.search(r'<svg id="graph".*?</svg>', page, re.S).group(0)
    titles = dict(re.findall(r'<g id="([^"]+)" class="[a-z]+"[^>]*>\s*<title>([^<]*)</title>', svg))
    assert titles["graph0"] == "My neuron"  # hovering the background names the page, not Graphviz's "%3"
    assert titles["node_n0"] == "a" and titles["edge_n0_n1op_0"] == "a -&gt; mul#1"
    internal = [t for t in titles.values() if re.fullmatch(r"%\d+|cluster_\w+|legend\d+|n\d+\w*(&#45;&gt;\w+)?", t)]
    assert internal == []


def test_same_graph_gives_the_same_bytes():
    require_binary("dot")
    first = player.player_html(neuron()[-1])
    second = player.player_html(neuron()[-1])
    assert first == second
    assert not re.search(r"0x[0-9a-f]{6,}", first)  # no memory addresses

    def tensor_page() -> str:
        rng = np.random.default_rng(3)
        model = nn.MLP([2, 3, 1], activation="tanh", rng=rng, dtype=np.float64)
        loss = nn.mse_loss(model(Tensor(rng.standard_normal((4, 2)))), np.zeros((4, 1)))
        return player.player_html(loss)

    assert tensor_page() == tensor_page()


def test_tensor_pass_shows_gradient_norms():
    require_binary("dot")
    rng = np.random.default_rng(0)
    model = nn.MLP([3, 4, 1], activation="tanh", rng=rng, dtype=np.float64)
    x = Tensor(rng.standard_normal((5, 3)))
    loss = nn.mse_loss(model(x), rng.standard_normal((5, 1)))
    steps = recorded(loss)
    page = player.player_html(steps)
    data, ids = page_data(page), svg_ids(page)
    assert data["n"] == len(steps) and data["seed"][0] == "|grad| 1.0"
    final = steps.final_grads()
    w = model.layers[0].weight
    for s, st in zip(steps, data["steps"]):
        assert st[1] in ids and st[2] in ids
        assert st[3] == "|grad| " + format_number(s.grad_after.norm, 4)
    last_into_w = [st for s, st in zip(steps, data["steps"]) if s.parent is w][-1]
    assert last_into_w[3] == "|grad| " + format_number(final[w].norm, 4)
    assert math.isclose(final[w].norm, float(np.linalg.norm(w.grad)), rel_tol=1e-12)
    assert list_items(page)[1:] == [steps.line(k) for k in range(len(steps))]


def test_player_picks_a_pass_and_refuses_too_many_steps():
    require_binary("dot")
    *_, o = neuron()
    x = Value(3.0, label="x")
    y = x * x
    with ledger.record() as steps:
        o.backward()
        y.backward()
    page = player.player_html(steps, pass_index=1)
    assert 'data-steps="2"' in page and list_items(page)[0].startswith("dL/dL = 1.0")
    assert list_items(player.player_html(steps, pass_index=0))[1:] == [steps.line(k) for k in range(5)]
    with pytest.raises(ValueError, match="5 chain-rule steps, more than max_steps=4"):
        player.player_html(steps, pass_index=0, max_steps=4)
    with pytest.raises(ValueError, match="no backward pass"):
        player.player_html(ledger.Ledger())
    with pytest.raises(TypeError, match="expected a Ledger, a Value or a Tensor"):
        player.player_html([1, 2])
    with pytest.raises(TypeError, match="grads= is set by the player"):
        player.player_html(steps, grads={})
    with pytest.raises(ValueError, match="color_by_grad must be True, False, 'norm' or 'std'"):
        player.player_html(steps, color_by_grad="loud")
    with pytest.raises(ValueError, match="player: max_steps must be >= 0"):
        player.player_html(steps, max_steps=-1)
    with pytest.raises(TypeError, match="player: max_steps must be a whole number"):
        player.player_html(steps, max_steps=4.5)


def test_a_pass_graphviz_would_lay_out_for_minutes_is_refused_by_default_with_max_nodes_named():
    # a 2,500-op chain (5,000 steps, within the old default of 5,000) kept Graphviz busy for 6 minutes, a 2-40-40-1
    # scalar MLP (5,324 steps) for 50 s, a 2,000-step pass for about 10 s; max_nodes=150 drew 50,000 steps in 4.5 s
    require_binary("dot")
    y = x = Value(1.0, label="x")
    for _ in range(1100):
        y = (y * 1.0001).tanh()
    with pytest.raises(ValueError, match="2,200 chain-rule steps, more than max_steps=2,000.*max_nodes=150"):
        player.player_html(y)
    assert x.grad == 0.0  # counted before the pass: the refused call ran no backward (it had added 4.2e-05 to x.grad)
    steps = recorded(y)
    with pytest.raises(ValueError, match="2,200 chain-rule steps, more than max_steps=2,000.*max_nodes=150"):
        player.player_html(steps)
    page = player.player_html(steps, max_steps=None, max_nodes=150)
    assert page_data(page)["n"] == len(steps) == 2200


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_the_steps_counted_before_the_pass_are_the_steps_it_records(engine):
    from tinygrad_init import draw

    n = len(recorded(draw.mlp_loss([3, 4, 2], engine=engine)[0]))  # the tensor loss has a constant target
    with pytest.raises(ValueError, match=f"has {n} chain-rule steps, more than max_steps={n - 1}"):
        player.player_html(draw.mlp_loss([3, 4, 2], engine=engine)[0], max_steps=n - 1)
    require_binary("dot")
    assert page_data(player.player_html(draw.mlp_loss([3, 4, 2], engine=engine)[0], max_steps=n))["n"] == n


def test_a_title_that_is_not_text_is_written_as_text():
    require_binary("dot")
    *_, o = neuron()
    assert "<h1 id=\"title\">2024</h1>" in player.player_html(o, title=2024)


def test_write_player_and_options(tmp_path):
    require_binary("dot")
    path = player.write_player(tmp_path / "p.html", neuron()[-1], title="A <tanh> neuron", rankdir="TB",
                               color_by_grad=False)
    page = path.read_text(encoding="utf-8")
    assert "<h1 id=\"title\">A &lt;tanh&gt; neuron</h1>" in page and "<title>A &lt;tanh&gt; neuron</title>" in page
    data = page_data(page)
    assert data["color"] is False and data["steps"][0][4] is None
    assert "fill=\"#7f0000\"" not in page  # no colours in the picture either
    for bad in (None, 3):  # was pathlib's "expected str, bytes or os.PathLike object", after rendering the page
        with pytest.raises(TypeError, match="write_player: path must be a file name"):
            player.write_player(bad, neuron()[-1])


def test_a_name_with_a_lone_surrogate_is_written_out_as_its_escape_as_the_picture_draws_it(tmp_path):
    # a label made from an undecodable file name ("\udcff") raised UnicodeEncodeError from write_text, after the
    # picture (which draws it as \udcff) was rendered and backward run
    require_binary("dot")
    a = Value(2.0, label="run_\udcff")
    page = player.write_player(tmp_path / "p.html", a * a).read_text(encoding="utf-8")
    assert page.count("run_\\udcff") >= 4  # the picture's cell, the tooltip, the ledger's lines
    assert page_data(page)["n"] == 2


def test_a_collapsed_trace_is_refused_as_its_boxes_would_show_a_gradient_before_backward_reaches_them():
    require_binary("dot")  # the last line draws the player's picture
    from tinygrad_init import draw

    loss, tr = draw.mlp_loss([2, 3, 1])
    with pytest.raises(ValueError, match=r"collapsed.*module=tr"):
        player.player_html(loss, module=tr.collapsed())
    assert "layers.0.weight" in player.player_html(loss, module=tr)  # the trace itself: one cluster per module


def test_a_tensor_output_must_be_a_scalar():
    with pytest.raises(ValueError, match=r"shape \(2, 2\).*out.sum\(\)"):
        player.player_html(Tensor(np.ones((2, 2)), requires_grad=True) * 2.0)


def test_missing_graphviz_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on the path
    a, *_, out = neuron()
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz") as info:
        player.player_html(out)
    assert "brew install graphviz" in str(info.value)
    assert a.grad == 0.0  # it ran backward first: the call put right, once Graphviz was installed, doubled dL/da


def test_a_wide_sum_reads_each_nodes_parents_and_locals_a_bounded_number_of_times(monkeypatch):
    # a Value builds its parents and locals tuples on each read; the player read the parents per step and draw's
    # edge labels the locals per edge, so a page of Value.sum of n leaves built n tuples of n (2,000: 4 s of it)
    require_binary("dot")
    n, built = 200, [0]
    for name in ("parents", "locals"):
        read = getattr(Value, name).fget
        monkeypatch.setattr(Value, name, property(lambda v, read=read: built.__setitem__(0, built[0] + len(
            t := read(v))) or t))
    xs = [Value(float(i)) for i in range(n)]
    s = Value.sum([*xs, xs[0]])  # x0 twice: the two edges get their own ids
    steps = recorded(s)
    built[0] = 0
    data = page_data(player.player_html(steps))
    assert built[0] <= 10 * (n + 2), built[0]
    edges = [st[2] for st in data["steps"]]
    assert edges[0] == "edge_n0_n200op_0" and edges[-1] == "edge_n0_n200op_1" and len(set(edges)) == n + 1


def test_the_step_count_the_docstring_gives_for_max_steps_is_what_the_mlp_takes():
    from tinygrad_init import draw
    claimed = int(re.search(r"a 2-16-16-1 scalar MLP has about (\d+) steps", player.player_html.__doc__).group(1))
    loss, _ = draw.mlp_loss([2, 16, 16, 1], engine="scalar")
    steps = recorded(loss)
    assert abs(len(steps) - claimed) <= 0.01 * claimed, (len(steps), claimed)  # was "about 950" for 980 steps


def test_the_page_says_what_the_colour_of_an_inf_or_nan_gradient_means():
    require_binary("dot")
    from tinygrad_init.draw import BAD_COLOR

    x = Value(0.0, label="x")  # x's gradient: 1.234567 first, then inf (d sqrt(x)/dx at 0), a shorter text
    page = player.player_html(x ** 0.5 + x * 1.234567)
    assert [s[4] for s in page_data(page)["steps"] if s[1] == "node_n0"][-1] == BAD_COLOR
    shown = re.sub(r"<[^>]+>", " ", page.split('<script type="application/json"')[0])  # what the reader sees
    assert "inf/nan" in shown or "inf or nan" in shown


def test_the_last_frame_shows_each_gradient_as_its_hooks_leave_it_as_torch_does():
    # the page painted h with its sum before the hook (|grad| 7.0) to the end, where h.grad and torch's are 70
    require_binary("dot")
    from conftest import require_module
    torch = require_module("torch")
    xd, wd = np.array([[0.5, -1.0, 2.0]]), np.array([[1.0], [2.0], [-1.0]])
    w, tw = Tensor(wd, requires_grad=True, name="w"), torch.tensor(wd, requires_grad=True)
    h, th = Tensor(xd, name="x") @ w, torch.tensor(xd) @ tw
    for t in (h, th):
        t.register_hook(lambda g: g * 10)
    th.retain_grad()
    (th * th).sum().backward()
    data = page_data(player.player_html((h * h).sum()))
    into = {st[1]: st[3] for st in data["steps"]}  # node id -> its text after its last step
    assert into["node_n2"] == "|grad| " + format_number(float(th.grad.norm()), 4) == "|grad| 70.0"  # n2: h
    assert into["node_n1"] == "|grad| " + format_number(float(tw.grad.norm()), 4)  # n1: w


def test_a_pass_that_backward_left_by_an_error_says_so_on_its_page():
    # the page of a pass a RuntimeError cut short (a tensor changed in place after the forward) read like a whole
    # pass: one step, then nothing, where explain() says the gradients are incomplete
    require_binary("dot")
    from tinygrad_init import no_grad
    w = Tensor(np.array([[1.0, -2.0], [0.5, 1.0]]), requires_grad=True, name="w")
    loss = ((Tensor(np.array([[2.0, 1.0]])) @ w).tanh() @ w).sum()
    with no_grad():
        w -= 0.1
    with pytest.raises(RuntimeError, match="changed in place"), ledger.record() as steps:
        loss.backward()
    assert len(steps) == 1 and "interrupted by an error" in steps.explain()
    page = player.player_html(steps)
    assert re.search(r'<h1 id="title">[^<]*interrupted by an error[^<]*</h1>', page)
    assert "interrupted" not in player.player_html(recorded((w * 2.0).sum()))  # a whole pass: no such words


def test_given_an_output_already_backpropagated_the_player_runs_a_second_pass_and_its_lines_say_so():
    # docs/visible_backprop.md: the player runs backward() itself; the leaves accumulate (torch: 2 x the gradient)
    require_binary("dot")
    a, b, c, o = neuron()
    o.backward()
    once = a.grad
    lines = list_items(player.player_html(o))
    assert a.grad == 2 * once and any("left from an earlier backward()" in line for line in lines)
