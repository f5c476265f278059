"""The step-through player (tinygrad_init.player) and the `tinygrad-init graph` command.

The HTML is checked as text (structure, self-containment, the per-step data, determinism);
tests/test_player_browser.py runs it in a real headless Chromium.
"""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, cli, ledger, nn, player
from tinygrad_init.draw import GraphvizNotFoundError
from tinygrad_init.ledger import format_number
from tinygrad_init.player import ExpressionError, parse_bindings, parse_expression

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
    return [html.unescape(t) for t in re.findall(r'<li class="[a-z]+">(.*?)</li>', body, re.S)]


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
    assert re.search(r'<div id="line">(.*?)</div>', page).group(1) == "dL/dL = 1.0   (the seed: backward starts here)"
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
        assert st[3] == "|grad| " + format_number(s.grad_after_norm, 4)
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
    with pytest.raises(TypeError, match="known_grads= is set by the player"):
        player.player_html(steps, known_grads={})


def test_write_player_and_options(tmp_path):
    require_binary("dot")
    path = player.write_player(tmp_path / "p.html", neuron()[-1], title="A <tanh> neuron", rankdir="TB",
                               color_by_grad=False)
    page = path.read_text(encoding="utf-8")
    assert "<h1 id=\"title\">A &lt;tanh&gt; neuron</h1>" in page and "<title>A &lt;tanh&gt; neuron</title>" in page
    data = page_data(page)
    assert data["color"] is False and data["steps"][0][4] is None
    assert "fill=\"#7f0000\"" not in page  # no colours in the picture either


def test_a_tensor_output_must_be_a_scalar():
    with pytest.raises(ValueError, match=r"shape \(2, 2\).*out.sum\(\)"):
        player.player_html(Tensor(np.ones((2, 2)), requires_grad=True) * 2.0)


def test_missing_graphviz_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on the path
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz") as info:
        player.player_html(neuron()[-1])
    assert "brew install graphviz" in str(info.value)


# ------------------------------------------------------------------ the expression parser


@pytest.mark.parametrize("text, expected", [
    ("(a*b + c).tanh()", math.tanh(2.0 * -3.0 + 10.0)),
    ("a - b / c", 2.0 - (-3.0) / 10.0),
    ("-a ** 2", -(2.0 ** 2)),  # ** binds tighter than unary -, as in Python
    ("a ** c / 1000", 2.0 ** 10 / 1000),
    ("(a * b).exp() + c.log() - b.sigmoid() * a.relu() + b.relu()",
     math.exp(-6.0) + math.log(10.0) - 1 / (1 + math.exp(3.0)) * 2.0 + 0.0),
    ("2 * 3 * a + 0.5", 12.5),  # constants fold into one number
    ("1e-3 * c - (-a)", 0.01 + 2.0),
    ("(2).exp() * a", math.exp(2.0) * 2.0),
])
def test_expressions_compute_what_python_computes(text, expected):
    out = parse_expression(text, {"a": 2.0, "b": -3.0, "c": 10.0})
    assert isinstance(out, Value)
    assert out.data == pytest.approx(expected, rel=1e-15)


def test_variables_become_labelled_leaves_with_the_right_gradients():
    v = {"a": 2.0, "b": -3.0, "c": 10.0}
    out = parse_expression("(a*b + c).tanh()", v)
    out.backward()
    leaves = {n.label: n for n in __import__("tinygrad_init").autograd.topological_order(out) if not n._parents}
    assert set(leaves) == {"a", "b", "c"}
    t = 1.0 - math.tanh(4.0) ** 2
    assert leaves["a"].grad == pytest.approx(t * -3.0, rel=1e-14)
    assert leaves["b"].grad == pytest.approx(t * 2.0, rel=1e-14)
    assert leaves["c"].grad == pytest.approx(t, rel=1e-14)
    # a name used twice is one leaf, whose gradient sums both uses: d(x*x + x)/dx = 2x + 1
    y = parse_expression("x*x + x", {"x": 3.0})
    y.backward()
    (x,) = [n for n in __import__("tinygrad_init").autograd.topological_order(y) if not n._parents]
    assert x.label == "x" and x.grad == 7.0
    # Value ** Value: d(a^b)/db = a^b ln a
    z = parse_expression("a ** b", {"a": 2.0, "b": 3.0})
    z.backward()
    a_, b_ = z._parents
    assert (a_.grad, b_.grad) == (pytest.approx(12.0), pytest.approx(8.0 * math.log(2.0)))


@pytest.mark.parametrize("text, fragment", [
    ("__import__('os')", "calling functions is not allowed: '__import__(...)'"),
    ("__import__('os').system('ls')", "the method '.system()' is not allowed"),
    ("open('/etc/passwd')", "calling functions is not allowed: 'open(...)'"),
    ("a.__class__", "the attribute '.__class__' is not allowed"),
    ("a.data + 1", "the attribute '.data' is not allowed"),
    ("a.grad", "the attribute '.grad' is not allowed"),
    ("a.backward()", "the method '.backward()' is not allowed"),
    ("a.tanh", "'.tanh' is a method: call it, as in x.tanh()"),
    ("a.tanh(2)", "'.tanh()' takes no arguments"),
    ("a.exp(base=2)", "'.exp()' takes no arguments"),
    ("a + d", "the name 'd' is not bound; bind it on the command line, e.g. d=1.5 (bound: a, b)"),
    ("a[0]", "indexing (x[...]): not allowed"),
    ("a if b else 1", "'... if ... else ...': not allowed"),
    ("(lambda: 1)()", "calling functions is not allowed: this call"),
    ("lambda: a", "lambda: not allowed"),
    ("'text' * a", "strings: not allowed"),
    ("True * a", "the constant True: not allowed"),
    ("1j * a", "the constant 1j: not allowed"),
    ("a // b", "the operator '//' is not allowed; use + - * / **"),
    ("a % b", "the operator '%' is not allowed"),
    ("a @ b", "the operator '@' is not allowed"),
    ("+a", "the unary operator '+' is not allowed; only unary - is"),
    ("not a", "the unary operator 'not' is not allowed"),
    ("a < b", "comparisons: not allowed"),
    ("a and b", "'and'/'or': not allowed"),
    ("[a, b]", "lists: not allowed"),
    ("(a, b)", "tuples: not allowed"),
    ("(y := a)", "':=' assignments: not allowed"),
    ("a +", "this is not a valid expression"),
    ("a = 2", "this is not a valid expression"),
    ("", "the expression is empty"),
    ("2 * 3", "uses no variable"),
])
def test_everything_else_is_refused_by_name(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, {"a": 1.0, "b": 2.0})
    assert fragment in str(info.value)


def test_refusals_point_at_the_offending_part():
    with pytest.raises(ExpressionError) as info:
        parse_expression("(a*b).tanh() + a.data", {"a": 1.0, "b": 2.0})
    msg = str(info.value)
    assert "\n    (a*b).tanh() + a.data\n                   ^^^^^^" in msg


def test_bindings():
    assert parse_bindings(["a=2", "b=-3", " c = 1e-2"]) == {"a": 2.0, "b": -3.0, "c": 0.01}
    assert parse_bindings([]) == {}
    for words, fragment in [(["a"], "expected NAME=VALUE"), (["1a=2"], "'1a' is not a valid name"),
                            (["if=2"], "'if' is not a valid name"), (["a=two"], "'two' is not a number"),
                            (["a=1", "a=2"], "a is bound twice"), (["--out"], "looks like an option")]:
        with pytest.raises(ExpressionError, match=re.escape(fragment)):
            parse_bindings(words)


# ------------------------------------------------------------------ the `graph` command


def test_graph_command_writes_picture_dot_and_player(tmp_path, capsys):
    require_binary("dot")
    out = tmp_path / "neuron"
    assert cli.main(["graph", "(a*b + c).tanh()", "a=2", "b=-3", "c=10", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "6 nodes, 5 chain-rule steps" in text and "dL/da = dL/d(mul#2) × d(mul#2)/da" in text
    svg = (out / "graph.svg").read_text(encoding="utf-8")
    dot = (out / "graph.dot").read_text(encoding="utf-8")
    page = (out / "player.html").read_text(encoding="utf-8")
    assert "<svg" in svg and "grad &#45;0.004023" in svg
    assert "rankdir=LR" in dot and "fillcolor=" in dot and "grad -0.004023" in dot and "×-3.0" in dot
    assert 'data-steps="5"' in page
    for name in ("graph.svg", "graph.dot", "player.html"):
        assert f"wrote {out / name}" in text


def test_graph_command_options(tmp_path, capsys):
    require_binary("dot")
    out = tmp_path / "o"
    assert cli.main(["graph", "x*x + x", "x=3", "--out", str(out), "--rankdir", "TB", "--format", "png",
                     "--no-player"]) == 0
    assert (out / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "rankdir=TB" in (out / "graph.dot").read_text(encoding="utf-8")
    assert not (out / "player.html").exists() and not (out / "graph.svg").exists()
    out2 = tmp_path / "pdf"
    assert cli.main(["graph", "--out", str(out2), "--format", "pdf", "--", "-a*b", "a=1", "b=2"]) == 0
    assert (out2 / "graph.pdf").read_bytes()[:5] == b"%PDF-"
    capsys.readouterr()


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_graph_command_mlp(tmp_path, capsys, engine):
    require_binary("dot")
    out = tmp_path / engine
    args = ["graph", "--mlp", "2,3,1", "--engine", engine, "--init", "xavier_uniform", "--seed", "1",
            "--out", str(out)]
    assert cli.main(args) == 0
    text = capsys.readouterr().out
    m = re.search(r"(\d+) nodes, (\d+) chain-rule steps", text)
    assert m
    page = (out / "player.html").read_text(encoding="utf-8")
    assert f'data-steps="{m.group(2)}"' in page
    dot = (out / "graph.dot").read_text(encoding="utf-8")
    if engine == "scalar":
        # 2 inputs, 3x2 + 3 + 1x3 + 1 parameters, labelled by layer and neuron
        assert "L0.n2.w1" in dot and "L1.n0.b" in dot and "x1" in dot and "loss" in dot
    else:
        assert "layers.0.weight" in dot and "cluster_" in dot and "dW = x.T @ g" in dot
    # the same seed writes the same files
    again = tmp_path / (engine + "2")
    assert cli.main(args[:-1] + [str(again)]) == 0
    capsys.readouterr()
    for name in ("graph.dot", "player.html"):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_graph_command_skips_the_player_beyond_max_steps(tmp_path, capsys):
    require_binary("dot")
    assert cli.main(["graph", "--mlp", "2,3,1", "--out", str(tmp_path), "--max-steps", "10"]) == 0
    assert "no player.html" in capsys.readouterr().out and not (tmp_path / "player.html").exists()


@pytest.mark.parametrize("argv, fragment", [
    (["graph"], "give an expression"),
    (["graph", "a.data", "a=1"], "the attribute '.data' is not allowed"),
    (["graph", "__import__('os')"], "calling functions is not allowed"),
    (["graph", "a + b", "a=1"], "the name 'b' is not bound"),
    (["graph", "a", "a=x"], "'x' is not a number"),
    (["graph", "a*2", "a=1", "--mlp", "2,1"], "either an expression or --mlp"),
    (["graph", "a*2", "a=1", "--engine", "tensor"], "--engine applies to --mlp only"),
    (["graph", "--mlp", "2,4,1", "--init", "nonsense"], "unknown initialization scheme 'nonsense'"),
])
def test_graph_command_usage_errors_exit_2(argv, fragment, capsys, tmp_path):
    assert cli.main(argv + ["--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "usage: tinygrad-init graph" in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("argv, fragment", [
    (["graph", "--mlp", "2"], "at least two positive widths"),
    (["graph", "--mlp", "2,x,1"], "layer widths separated by commas"),
    (["graph", "--rankdir", "RL", "a", "a=1"], "invalid choice"),
    (["graph", "--format", "gif", "a", "a=1"], "invalid choice"),
])
def test_graph_command_bad_options(argv, fragment, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2 and fragment in capsys.readouterr().err


def test_graph_command_without_graphviz_writes_the_dot_and_says_how_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "g"
    assert cli.main(["graph", "a*b", "a=2", "b=3", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "apt-get install graphviz" in captured.err and f"wrote {out / 'graph.dot'}" in captured.out
    assert "a*b" not in (out / "graph.dot").read_text(encoding="utf-8")  # the graph, not the text
    assert "data 6.0" in (out / "graph.dot").read_text(encoding="utf-8")
    assert not (out / "graph.svg").exists()


def test_graph_help_teaches(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["graph", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for fragment in ("upstream x local", "player.html", "examples:", '"(a*b + c).tanh()" a=2 b=-3 c=10',
                     "--mlp 2,4,1", ".tanh() .exp() .log() .sigmoid() .relu()", "no eval"):
        assert fragment in text
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "tinygrad-init graph" in capsys.readouterr().out
