"""The `tinygrad-init graph` command (tinygrad_init.cli.graph) and its safe expression parser."""

from __future__ import annotations

import math
import re
import warnings

import pytest

from tinygrad_init import Value, autograd, cli, draw
from tinygrad_init.cli.graph import ALLOWED_METHODS, ExpressionError, parse_bindings, parse_expression

from conftest import require_binary


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


def test_every_name_the_graph_command_exports_is_defined():
    from tinygrad_init.cli import graph
    assert [name for name in graph.__all__ if not hasattr(graph, name)] == []


def test_variables_become_labelled_leaves_with_the_right_gradients():
    v = {"a": 2.0, "b": -3.0, "c": 10.0}
    out = parse_expression("(a*b + c).tanh()", v)
    out.backward()
    leaves = {n.label: n for n in autograd.topological_order(out) if not n._parents}
    assert set(leaves) == {"a", "b", "c"}
    t = 1.0 - math.tanh(4.0) ** 2
    assert leaves["a"].grad == pytest.approx(t * -3.0, rel=1e-14)
    assert leaves["b"].grad == pytest.approx(t * 2.0, rel=1e-14)
    assert leaves["c"].grad == pytest.approx(t, rel=1e-14)
    # a name used twice is one leaf, whose gradient sums both uses: d(x*x + x)/dx = 2x + 1
    y = parse_expression("x*x + x", {"x": 3.0})
    y.backward()
    (x,) = [n for n in autograd.topological_order(y) if not n._parents]
    assert x.label == "x" and x.grad == 7.0
    # Value ** Value: d(a^b)/db = a^b ln a
    z = parse_expression("a ** b", {"a": 2.0, "b": 3.0})
    z.backward()
    a_, b_ = z._parents
    assert (a_.grad, b_.grad) == (pytest.approx(12.0), pytest.approx(8.0 * math.log(2.0)))
    assert parse_expression("-a", v).op == "neg"  # unary minus is a neg node, not a product with -1.0


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
    ("[a + b]", "lists: not allowed"),  # not cut at the + inside the brackets
    ("{a - b}", "sets: not allowed"),
    ("(a, b)", "tuples: not allowed"),
    ("(y := a)", "':=' assignments: not allowed"),
    ("{a: b}", "dicts: not allowed"),
    ("[a for _ in b]", "comprehensions: not allowed"),
    ("{a for _ in b}", "comprehensions: not allowed"),
    ("{a: a for _ in b}", "comprehensions: not allowed"),
    ("(a for _ in b)", "generator expressions: not allowed"),
    ("f'{a}'", "f-strings: not allowed"),
    ("a << b", "the operator '<<' is not allowed"),
    ("a >> b", "the operator '>>' is not allowed"),
    ("a | b", "the operator '|' is not allowed"),
    ("a ^ b", "the operator '^' is not allowed"),
    ("a & b", "the operator '&' is not allowed"),
    ("~a", "the unary operator '~' is not allowed"),
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

    for text in ("a +", "a * b -", "a*"):  # under the operator the expression ends with, not a column past it
        with pytest.raises(ExpressionError) as info:
            parse_expression(text, {"a": 1.0, "b": 2.0})
        assert str(info.value).endswith(f"ends with an operator\n    {text}\n    {' ' * (len(text) - 1)}^"), text


def test_bindings():
    assert parse_bindings(["a=2", "b=-3", " c = 1e-2"]) == {"a": 2.0, "b": -3.0, "c": 0.01}
    assert parse_bindings([]) == {}
    for words, fragment in [(["a"], "expected NAME=VALUE"), (["1a=2"], "'1a' is not a valid name"),
                            (["if=2"], "'if' is not a valid name"), (["a=two"], "'two' is not a number"),
                            (["a=1", "a=2"], "a is bound twice"), (["--out"], "looks like an option"),
                            # a regularisation strength: letters only, refused for a reason the message did not say
                            (["lambda=0.5"], "'lambda' is not a valid name: it is a Python keyword; write lambda_ ")]:
        with pytest.raises(ExpressionError, match=re.escape(fragment)):
            parse_bindings(words)


def test_names_are_read_as_python_reads_them_whatever_their_unicode_form():
    # Python folds identifiers to NFKC: the italic x of a pasted formula and a full-width x are the x.
    for binding, expression in [("\U0001d465=3", "(\U0001d465)*2"), ("x=3", "(\uff58)*2"), ("\uff58=3", "x*2")]:
        out = parse_expression(expression, parse_bindings([binding]))
        assert out.data == 6.0 and out._a.label == "x"
    with pytest.raises(ExpressionError, match="x is bound twice"):
        parse_bindings(["x=1", "\uff58=2"])
    # Python refuses a subscript digit in a name, which the binding x₁=3 reads as x1: the refusal says so
    with pytest.raises(ExpressionError, match=r"invalid character '₁' \(U\+2081\)\); write 1 for ₁\n"):
        parse_expression("x₁*2", parse_bindings(["x₁=3"]))


def test_the_caret_points_at_the_offending_part_after_non_ascii_names():
    for text, bad in [("(\u03b1\u03b2 + a.foo())", "a.foo()"), ("a*(\u03b1\u03b2 // 2)", "\u03b1\u03b2 // 2"),
                      ("(\u00e9 + a[0])", "a[0]")]:
        with pytest.raises(ExpressionError) as e:
            parse_expression(text, {"\u03b1\u03b2": 1.0, "\u00e9": 1.0, "a": 2.0})
        line, caret = str(e.value).splitlines()[-2:]
        assert caret.strip() == "^" * len(bad) and line[caret.index("^"):].startswith(bad)


def test_the_caret_stands_under_the_offending_part_in_the_columns_a_terminal_shows():
    # the caret counted characters: after a wide name (变量: 2 characters, 4 columns) it stood 2 columns to the left,
    # and after a tab (up to 8 columns) up to 7
    for text, before, carets in [("\u53d8\u91cf*b.foo()", 5, 7), ("a\t+ b.foo()", 4, 7),
                                 ("\u53d8\u91cf + \u53d8\u91cf @ b", 7, 8)]:  # 变量 @ b: 4 + 4 columns
        with pytest.raises(ExpressionError) as e:
            parse_expression(text, {"\u53d8\u91cf": 1.0, "a": 1.0, "b": 2.0})
        line, caret = str(e.value).splitlines()[-2:]
        assert caret == " " * (4 + before) + "^" * carets and "\t" not in line, (line, caret)


def test_a_comment_ends_at_the_end_of_its_line_as_in_python():
    values = {"a": 2.0, "b": 3.0, "c": 100.0}
    for text in ("a*b  # the product\n + c", "(a*b  # the product\n + c)", "a*b + c  # all of it"):
        assert parse_expression(text, values).data == 106.0


def test_the_allowed_methods_are_the_engines_activations_plus_exp_and_log():
    from tinygrad_init.nn import activations

    assert set(ALLOWED_METHODS) == {n for n in activations.names() if n != "linear"} | {"exp", "log"}
    x = Value(0.3)
    for m in ALLOWED_METHODS:
        assert parse_expression(f"a.{m}()", {"a": x}).data == getattr(x, m)().data


@pytest.mark.parametrize("text", [
    "a - b*c + d", "a - b - c - d", "a / b / c * d", "2 ** -1 + a", "-a ** 2 * b", "a * -b", "a - -b + -c",
    "(a + b) * c - d / e", "a ** c ** d", "2 * 3 - a", "a * (b - c) / (d + e) - (a)", "1e-3 * a - 2.5e2",
])
def test_cutting_at_top_level_operators_keeps_pythons_precedence(text):
    values = {"a": 1.5, "b": -2.0, "c": 0.75, "d": 3.0, "e": -1.25}
    assert parse_expression(text, values).data == eval(text, {"__builtins__": {}}, dict(values))


def test_a_50000_term_sum_is_read_in_a_loop_and_differentiated():
    # ast.parse alone stops near 3,000 terms ("maximum recursion depth exceeded during ast construction")
    n = 50_000
    out = parse_expression(" + ".join(["a", "b*b", "-a"] * (n // 3) + ["b"] * (n % 3)), {"a": 1.5, "b": 2.0})
    out.backward()
    a, b = sorted((v for v in autograd.topological_order(out) if not v._parents and v.label), key=lambda v: v.label)
    assert (out.data, a.grad, b.grad) == ((n // 3) * 4.0 + (n % 3) * 2.0, 0.0, (n // 3) * 4.0 + n % 3)
    assert parse_expression(" - ".join(["a"] * 5000), {"a": 1.0}).data == 2.0 - 5000  # ((a - a) - a) - ...
    assert parse_expression("a" + " * a / a" * 2500, {"a": 3.0}).data == 3.0


def test_a_long_sum_is_read_in_memory_proportional_to_its_length():
    # Python 3.12.0-3.12.3's tokenize gives every token its own copy of the line: the tokens of a 5,000-term sum held
    # 382 MB (a 50,000-term one, 37 GB: the process was killed); 6 MB once the tokens keep no line
    import tracemalloc

    tracemalloc.start()
    try:
        parse_expression(" + ".join(["a", "b*b", "-a"] * 1667), {"a": 1.5, "b": 2.0})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50e6


@pytest.mark.parametrize("text, fragment", [
    ("1" * 400 + " * a", "the number 11111111111111111111...111111111111 (400 characters) is too large for a float"),
    ("a + " + "9" * 5000, "(5,000 characters) is too large for a float (at most about 1.8e308)"),
    ("1e400 * a", "the number 1e400 is too large for a float"),
    ("0x" + "f" * 300 + " * a", "(302 characters) is too large for a float"),
    ("a + " * 300 + "2e999", "(at character 1,201 of 1,205)"),  # a long text: a position, not a caret line
    ("a + " * 60 + "2e999", "(at character 241 of 245)"),  # longer than 200 characters
    ("-" * 50_000 + "a", "is nested too deeply to read"),
    ("a ** " * 3000 + "a", "is nested too deeply to read"),
    ("a" + ".tanh()" * 2000, "unary minus or method calls (x.tanh().tanh()...) inside one another"),
    ("(" + " + ".join(["a"] * 5000) + ")", "take long sums out of brackets"),
    ("(" * 250 + "a" + ")" * 250, "too many nested parentheses"),
    ("a * b -", "it ends with an operator"),
])
def test_huge_numbers_and_deep_nesting_are_named_errors(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, {"a": 1.0, "b": 2.0})
    message = str(info.value)
    assert message.startswith("expression: ") and fragment in message
    assert len(message) < 700 and "sys.set_int_max_str_digits" not in message


def test_a_huge_binding_is_refused_but_inf_and_nan_are_taken_as_written():
    with pytest.raises(ExpressionError, match="is too large for a float"):
        parse_bindings(["a=" + "1" * 400])
    values = parse_bindings(["a=inf", "b=-inf", "c=nan", "d=1e308"])
    assert values["a"] == math.inf and values["b"] == -math.inf and math.isnan(values["c"]) and values["d"] == 1e308


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
    assert text.endswith(f"open {out / 'player.html'} in a browser to step through backward (keys <- ->)\n")


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


def test_graph_command_takes_bindings_after_an_option(tmp_path, capsys):
    require_binary("dot")  # the command renders the picture: exit 1 without Graphviz
    out = tmp_path / "o"
    assert cli.main(["graph", "a*b", "--out", str(out), "a=2", "--no-player", "b=-3"]) == 0
    assert "dL/da = dL/dL × ∂L/∂a (local) = 1.0 × -3.0 = -3.0" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:  # a misspelt option is still refused
        cli.main(["graph", "a*b", "a=2", "--outt", str(out)])
    assert e.value.code == 2 and "unrecognized arguments: --outt" in capsys.readouterr().err


def test_an_expression_starting_with_a_minus_is_pointed_after_the_double_dash(tmp_path, capsys):
    require_binary("dot")  # the command renders the picture: exit 1 without Graphviz
    with pytest.raises(SystemExit) as e:  # argparse reads "-a*b" as an unknown option
        cli.main(["graph", "-a*b", "a=2", "b=3", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "unrecognized arguments: -a*b" in err
    assert 'put it after --: tinygrad-init graph [options] -- "-a*b" NAME=VALUE ...' in err
    assert cli.main(["graph", "--out", str(tmp_path), "--no-player", "--", "-a*b", "a=2", "b=3"]) == 0
    with pytest.raises(SystemExit):  # a misspelt option gets no such hint
        cli.main(["graph", "a*b", "a=2", "--outt", str(tmp_path)])
    assert "after --" not in capsys.readouterr().err


def test_graph_command_counts_one_node_and_one_step_in_the_singular(tmp_path, capsys):
    require_binary("dot")  # the command renders the picture: exit 1 without Graphviz
    assert cli.main(["graph", "x*2", "x=1", "--out", str(tmp_path), "--no-player"]) == 0
    text = capsys.readouterr().out
    assert "the expression x*2: 2 nodes, 1 chain-rule step in backward" in text
    assert "\ndL/dx = dL/dL × ∂L/∂x (local) = 1.0 × 2.0 = 2.0\n" in text  # and its ledger
    assert cli.main(["graph", "x", "x=1", "--out", str(tmp_path), "--no-player"]) == 0
    assert "the expression x: 1 node, 0 chain-rule steps in backward" in capsys.readouterr().out
    # the ledger is printed for a short expression only: 40 steps are printed, 41 left to the player
    for n in (40, 41):
        expression = "x" + "*1.5" * n
        assert cli.main(["graph", expression, "x=1", "--out", str(tmp_path), "--no-player"]) == 0
        text = capsys.readouterr().out  # a long expression is named by its first 40 and last 12 characters
        assert text.startswith(f"tinygrad-init graph: the expression {expression[:40]}...{expression[-12:]} "
                               f"({len(expression)} characters): {n + 1} nodes, {n} chain-rule steps in backward\n")
        assert ("backward starts here" in text) == (n == 40)


def test_graph_command_names_an_expression_of_60_characters_whole_and_one_of_61_by_its_ends(tmp_path, capsys):
    require_binary("dot")
    for tail, shown in [("+10", "x" + "*1.5" * 14 + "+10"), ("+100", "x*1.5*1.5*1.5*1.5*1.5*1.5*1.5*1.5*1.5*1."
                                                            "...*1.5*1.5+100 (61 characters)")]:
        assert cli.main(["graph", "x" + "*1.5" * 14 + tail, "x=1", "--out", str(tmp_path), "--no-player"]) == 0
        assert capsys.readouterr().out.startswith(f"tinygrad-init graph: the expression {shown}: 16 nodes, ")


def test_graph_command_names_an_expression_written_over_several_lines_on_one_line(tmp_path, capsys):
    require_binary("dot")  # the summary printed the expression's line breaks: three lines for one
    assert cli.main(["graph", "a\n*b\t+ 1", "a=1", "b=2", "--out", str(tmp_path), "--no-player"]) == 0
    assert "tinygrad-init graph: the expression a *b + 1: 4 nodes, 3 chain-rule steps in backward\n" in \
        capsys.readouterr().out


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_graph_command_names_a_net_without_hidden_layer_a_linear_layer(tmp_path, capsys, engine):
    require_binary("dot")  # --mlp 1,1 was called "a 1-1 tanh MLP": no tanh is in its graph
    assert cli.main(["graph", "--mlp", "1,1", "--engine", engine, "--out", str(tmp_path), "--no-player"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("tinygrad-init graph: a 1-1 linear layer (no hidden layer, no activation) (")
    assert "tanh" not in (tmp_path / "graph.dot").read_text(encoding="utf-8")


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


def test_a_rerun_into_the_same_folder_leaves_no_file_of_the_earlier_graph(tmp_path, capsys, monkeypatch):
    # `graph "x*x" x=3 --out g`, then `graph "(a*b).tanh()" a=1 b=2 --out g --no-player`: g/player.html stepped
    # through x*x beside the picture of tanh; a run that stops midway left the earlier picture beside the new DOT
    require_binary("dot")
    assert cli.main(["graph", "x*x", "x=3", "--out", str(tmp_path)]) == 0
    assert cli.main(["graph", "(a*b).tanh()", "a=1", "b=2", "--out", str(tmp_path), "--no-player"]) == 0
    assert not (tmp_path / "player.html").exists()
    assert cli.main(["graph", "--mlp", "2,3,1", "--out", str(tmp_path), "--max-steps", "10"]) == 0
    assert not (tmp_path / "player.html").exists() and "no player.html" in capsys.readouterr().out
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no Graphviz: the DOT text alone
    assert cli.main(["graph", "y+y", "y=1", "--out", str(tmp_path)]) == 1
    assert "data 2.0" in (tmp_path / "graph.dot").read_text(encoding="utf-8") and not (tmp_path / "graph.svg").exists()
    # a picture in another --format: graph.png of the 2-8-8-1 MLP stayed beside graph.svg and graph.dot of x*x
    monkeypatch.undo()
    for fmt in ("png", "pdf", "svg"):
        assert cli.main(["graph", "--mlp", "2,8,1", "--out", str(tmp_path), "--format", fmt]) == 0
        assert cli.main(["graph", "x*x", "x=3", "--out", str(tmp_path), "--format", "png" if fmt == "svg" else "svg"]) \
            == 0
        assert sorted(p.name for p in tmp_path.glob("graph.*")) == ["graph.dot", "graph.png" if fmt == "svg" else
                                                                     "graph.svg"]


def test_graph_command_writes_the_same_pdf_on_every_run(tmp_path, capsys):
    # Graphviz's cairo stamped the time into the PDF (/CreationDate (D:20261206043812Z)): two runs a second apart
    # differed, where the SVG and the PNG are the same bytes
    import time

    require_binary("dot")
    pdfs = []
    for run in ("a", "b"):
        assert cli.main(["graph", "(a*b).tanh()", "a=1", "b=2", "--format", "pdf", "--out", str(tmp_path / run)]) == 0
        pdfs.append((tmp_path / run / "graph.pdf").read_bytes())
        time.sleep(1.1 * (run == "a"))  # the stamp counts seconds
    assert pdfs[0] == pdfs[1] and pdfs[0].startswith(b"%PDF-") and b"/CreationDate" not in pdfs[0]
    capsys.readouterr()


def test_graph_command_draws_a_2_64_64_1_mlp_cut_to_the_nodes_nearest_the_output(tmp_path, capsys):
    require_binary("dot")  # issue 8: this took six minutes and wrote a 16 MB picture of all 8,967 nodes
    assert cli.main(["graph", "--mlp", "2,64,64,1", "--out", str(tmp_path)]) == 0
    out, dot = capsys.readouterr().out, (tmp_path / "graph.dot").read_text(encoding="utf-8")
    assert "8967 nodes, 13124 chain-rule steps" in out and "no player.html" in out
    assert len(re.findall(r'^\tn\d+ \[label="\{', dot, flags=re.M)) == draw.MAX_NODES
    assert f"... {8967 - draw.MAX_NODES} more nodes" in dot and (tmp_path / "graph.svg").stat().st_size < 10**6


@pytest.mark.parametrize("argv, fragment", [
    (["graph"], "give an expression"),
    (["graph", "a.data", "a=1"], "the attribute '.data' is not allowed"),
    (["graph", "__import__('os')"], "calling functions is not allowed"),
    (["graph", "a + b", "a=1"], "the name 'b' is not bound"),
    (["graph", "a", "a=x"], "'x' is not a number"),
    (["graph", "a*2", "a=1", "--mlp", "2,1"], "either an expression or --mlp"),
    (["graph", "a*2", "a=1", "--engine", "tensor"], "--engine applies to --mlp only"),
    (["graph", "a*2", "a=1", "--init", "he_normal", "--seed", "3"], "--init --seed apply to --mlp only"),
    (["graph", "a*2", "a=1", "--activation", "relu"], "--activation applies to --mlp only"),
    (["graph", "--mlp", "2,1", "--batch", "8"], "--batch applies to --engine tensor only"),
    (["graph", "--mlp", "2,1", "--batch", "4"], "--batch applies to --engine tensor only"),  # the default value too
    (["graph", "a*2", "a=1", "--engine", "scalar", "--seed", "0"], "--engine --seed apply to --mlp only"),
])
def test_graph_command_usage_errors_exit_2(argv, fragment, capsys, tmp_path):
    assert cli.main(argv + ["--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "usage: tinygrad-init graph" in err
    assert not (tmp_path / "x").exists()


def test_graph_command_reads_a_long_sum_and_refuses_a_huge_number_without_a_traceback(tmp_path, capsys):
    require_binary("dot")
    expr = " + ".join(["a*b"] * 2000 + ["a"] * 2000)  # too deep for ast.parse in one piece
    assert cli.main(["graph", expr, "a=1.5", "b=2", "--no-player", "--max-nodes", "20", "--out", str(tmp_path)]) == 0
    assert "6001 nodes, 11998 chain-rule steps" in capsys.readouterr().out
    assert cli.main(["graph", "1" * 400 + "*a", "a=2", "--out", str(tmp_path / "no")]) == 2
    err = capsys.readouterr().err
    assert "is too large for a float" in err and "Traceback" not in err and not (tmp_path / "no").exists()


@pytest.mark.parametrize("argv, fragment", [
    (["graph", "--mlp", "2"], "expected at least two widths (input and output), e.g. 2,4,1; got '2'"),
    (["graph", "--mlp", "2,x,1"], "argument --mlp: expected a whole number, got 'x'"),
    (["graph", "--mlp", "2,0,1"], "argument --mlp: expected a whole number >= 1, got 0"),
    # was "argument --mlp: expected a whole number, got ''": which width, and how to write them?
    (["graph", "--mlp", "2,,3"], "argument --mlp: expected a whole number, got '' (in '2,,3'; layer widths >= 1 "
                                 "separated by commas, e.g. 2,4,1)"),
    (["graph", "--mlp", "2,3,"], "got '' (in '2,3,'; layer widths"),
    (["graph", "--mlp", "2;3"], "got '2;3' (in '2;3'; layer widths >= 1 separated by commas"),
    (["graph", "--rankdir", "RL", "a", "a=1"], "invalid choice"),
    (["graph", "--format", "gif", "a", "a=1"], "invalid choice"),
    # was "error: Layer: init, the weight initializer: unknown ...", the flag unnamed
    (["graph", "--mlp", "2,4,1", "--init", "nonsense"], "argument --init: unknown initialization scheme 'nonsense'"),
    # was "error: lsuv is data-dependent ...: build the model ..., then call init.lsuv(model, batch)", the flag unnamed
    (["graph", "--mlp", "2,4,1", "--init", "lsuv"], "argument --init: 'lsuv' (orthogonal, then per layer"),
    (["graph", "--mlp", "2,4,1", "--init", "lsuv"], "is data-dependent (it needs a model and a batch); the graph "
                                                    "draws its weights from a shape: pick another scheme"),
])
def test_graph_command_bad_options(argv, fragment, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2 and fragment in capsys.readouterr().err


def test_a_scalar_mlp_too_large_for_memory_is_refused_before_it_is_built(capsys, monkeypatch, tmp_path):
    # `graph --mlp 5000,5000,1` would build a Value per weight, about 3 KB each with its backward steps (measured:
    # 160,000 weights, 500 MB and 28 s): 75 GB, more than the machine has (extrapolated, not run)
    monkeypatch.setattr(draw, "mlp_loss", lambda *a, **k: pytest.fail("the network was built"))
    assert cli.main(["graph", "--mlp", "5000,5000,1", "--out", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err
    assert "--mlp 5000,5000,1 has 25,010,001 weights, biases (a Value each with the scalar engine, 3 KB apiece: " \
        "about 75 GB); at most 1,000,000: use --engine tensor (a node per weight matrix) or smaller widths" in err, err
    assert not (tmp_path / "g").exists()
    # the tensor engine: float64 arrays, about 25 bytes a weight with the gradients (25 million: 630 MB, 7 s)
    assert cli.main(["graph", "--mlp", "2,50000,50000,1", "--engine", "tensor", "--out", str(tmp_path / "g")]) == 2
    assert "--mlp 2,50000,50000,1 --batch 4 has 2,500,650,013 weights, biases and activations (arrays, with their " \
        "gradients: about 63 GB); at most 100,000,000: use smaller widths or --batch" in capsys.readouterr().err
    assert cli.main(["graph", "--mlp", "2,1", "--engine", "tensor", "--batch", "1000000000"]) == 2
    assert "--mlp 2,1 --batch 1000000000 has 3,000,000,003 weights, biases and activations" in capsys.readouterr().err
    # a width of 400 digits (argparse reads up to 4,300) ended in OverflowError's traceback: its GB, a float, overflowed
    for engine in ("scalar", "tensor"):
        assert cli.main(["graph", "--mlp", f"2,{'9' * 400},1", "--engine", engine]) == 2
        assert f" GB); at most {'1,000,000' if engine == 'scalar' else '100,000,000'}: use " in capsys.readouterr().err


def test_graph_command_without_graphviz_writes_the_dot_and_says_how_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "g"
    assert cli.main(["graph", "a*b", "a=2", "b=3", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "apt-get install graphviz" in captured.err and f"wrote {out / 'graph.dot'}" in captured.out
    # it was eight lines ending in the library's hint "write it with render(g, 'graph.dot')" and graphviz's "(failed
    # to execute PosixPath('dot'), ...)": one line now, what was written, what was not and how to install dot
    assert captured.err == "tinygrad-init graph: only graph.dot was written: graph.svg and player.html need the " \
        "Graphviz program `dot`, which is not on PATH; install it (Debian/Ubuntu: sudo apt-get install graphviz; " \
        "macOS: brew install graphviz; conda: conda install -c conda-forge graphviz; Windows: winget install " \
        "graphviz (then open a new terminal))\n"
    assert cli.main(["graph", "a*b", "a=2", "b=3", "--out", str(out), "--no-player", "--format", "png"]) == 1
    assert ": graph.png needs the Graphviz program `dot`" in capsys.readouterr().err
    assert "a*b" not in (out / "graph.dot").read_text(encoding="utf-8")  # the graph, not the text
    assert "data 6.0" in (out / "graph.dot").read_text(encoding="utf-8")
    assert not (out / "graph.svg").exists()


def test_graph_command_when_graphviz_fails_on_a_huge_picture_says_so_without_a_traceback(tmp_path, monkeypatch,
                                                                                          capsys):
    # `graph --mlp 300,300,1 --max-nodes 0` runs dot on 180,000 nodes, which dies out of memory after minutes; the
    # command ended in graphviz's CalledProcessError traceback
    import graphviz

    def dies(self, *args, **kwargs):
        raise graphviz.CalledProcessError(-11, ["dot", "-Tsvg"], stderr=b"out of memory\n")

    monkeypatch.setattr(graphviz.Source, "pipe", dies)
    out = tmp_path / "g"
    assert cli.main(["graph", "--mlp", "2,3,1", "--max-nodes", "0", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"wrote {out / 'graph.dot'}" in captured.out and "Traceback" not in captured.err
    assert re.search(r"tinygrad-init graph: Graphviz failed on the \d+ nodes drawn \(.*out of memory.*\); "
                     r"draw fewer: --max-nodes N", captured.err), captured.err


@pytest.mark.parametrize("edges, drawn, fix", [(0, 150, ["--max-nodes", "149"]), (400, 231, ["--max-nodes", "200"])])
def test_graph_command_when_graphviz_fails_names_the_nodes_it_drew_and_fewer_of_them_draw(tmp_path, monkeypatch, capsys,
                                                                                         edges, drawn, fix):
    # the count was the whole graph's (231 nodes) also when the picture held the 150 nearest the output, so an
    # --max-nodes 200 below it drew more than the picture that failed; dot here fails above `edges` arrows
    import graphviz

    pipe = graphviz.Source.pipe

    def fails_on_many(self, *args, **kwargs):
        if self.source.count("->") > edges:
            raise graphviz.CalledProcessError(-11, ["dot", "-Tsvg"], stderr=b"out of memory\n")
        return pipe(self, *args, **kwargs)

    monkeypatch.setattr(graphviz.Source, "pipe", fails_on_many)
    out = tmp_path / "g"
    assert cli.main(["graph", "--mlp", "2,8,8,1", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"Graphviz failed on the {drawn} nodes drawn (" in err and f"--max-nodes N below {drawn}" in err, err
    if edges:  # the picture's 150 passed, the player's every node did not: fewer than those, and both are written
        assert cli.main(["graph", "--mlp", "2,8,8,1", "--out", str(out), *fix]) == 0
        assert (out / "graph.svg").is_file() and (out / "player.html").is_file()


def test_graph_help_teaches(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["graph", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for fragment in ("upstream x local", "player.html", "examples:", '"(a*b + c).tanh()" a=2 b=-3 c=10',
                     "--mlp 2,4,1", " ".join(f".{m}()" for m in ALLOWED_METHODS), "no eval"):
        assert fragment in text
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "tinygrad-init graph" in capsys.readouterr().out


@pytest.mark.parametrize("argv, fewer", [(["x*x + x", "x=3"], "a shorter expression, or"),
                                         (["--mlp", "2,3,1"], "a smaller network, --engine tensor, or"),
                                         (["--mlp", "2,3,1", "--engine", "tensor"], "a smaller network, or")])
def test_the_note_on_a_missing_player_offers_only_what_applies(argv, fewer, tmp_path, capsys) -> None:
    # it offered "the tensor engine" to an expression (which --engine refuses) and to --engine tensor itself
    assert cli.main(["graph", *argv, "--out", str(tmp_path), "--max-steps", "1"]) == 0
    note = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("note: no player.html"))
    assert f"(use {fewer} raise --max-steps with --max-nodes 150)" in note, note



@pytest.mark.parametrize("argv, first", [(["a=1", "b=2"], "a=1"), (["x = -3"], "x = -3"),
                                         (["--out", "g", "w=.5"], "w=.5")])
def test_a_binding_given_in_place_of_the_expression_is_named_as_such(argv, first, tmp_path, monkeypatch,
                                                                     capsys) -> None:
    # `tinygrad-init graph a=1 b=2` answered "this is not a valid expression (invalid syntax)" with a caret under '='
    monkeypatch.chdir(tmp_path)
    assert cli.main(["graph", *argv]) == 2
    line = capsys.readouterr().err.splitlines()[-1]
    assert line == f"tinygrad-init graph: error: {first!r} is a NAME=VALUE " \
        "binding, not an expression; the expression goes first, in quotes: tinygrad-init graph \"(a*b + c).tanh()\" " \
        "a=2 b=-3 c=10", line
    assert not any(tmp_path.iterdir())
    assert cli.main(["graph", "y = x*x", "x=1"]) == 2  # an equation is not taken for a binding
    assert "not a valid expression" in capsys.readouterr().err


@pytest.mark.parametrize("text, fix", [("x×2", "write * for ×"), ("x − 2", "write - for −"), ("x²", "write **2 for ²"),
                                       ("2·x", "write * for ·"), ("x÷2", "write / for ÷"), ("x＋2", "write + for ＋")])
def test_a_formula_pasted_with_math_signs_is_told_the_ascii_sign(text, fix) -> None:
    # "invalid character '×' (U+00D7)" and a caret: right, but not what to type instead
    with pytest.raises(ExpressionError) as e:
        parse_expression(text, {"x": 1.0})
    assert str(e.value).splitlines()[0].endswith(f"(U+{ord(fix[-1]):04X})); {fix}"), str(e.value)
    assert parse_expression(text.replace(fix[-1], fix.split()[1]), {"x": 1.0}).data is not None  # as told, it reads



@pytest.mark.parametrize("argv, message", [(["x\udcc3\udc97y", "x=2", "y=3"], "write * for \u00d7\n    x\u00d7y\n"),
                                           (["\udcce\udcb1*2", "\udcce\udcb1=3"], "the expression \u03b1*2: 2 nodes")])
def test_utf8_words_in_an_ascii_locale_are_read_as_typed(argv: list[str], message: str, tmp_path, capsys) -> None:
    # in an ASCII locale (LC_ALL=C, PYTHONUTF8=0) Python gets each byte of a UTF-8 terminal's "x\u00d7y" as a lone
    # surrogate: "error: 'utf-8' codec can't encode characters in position 1-2: surrogates not allowed", and the
    # binding \u03b1=3 was "'\udcce\udcb1' is not a valid name"
    cli.main(["graph", *argv, "--no-player", "--max-nodes", "0", "--format", "svg", "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert message in out + err, out + err


@pytest.mark.parametrize("text", ["'\\d' * x", "x * b'\\q'", "2(x)", "x is 2"])
def test_an_expression_python_would_warn_about_is_refused_without_a_stray_warning(text) -> None:
    # "'\d' * x" printed "<unknown>:1: DeprecationWarning: invalid escape sequence '\d'" (a SyntaxWarning, shown
    # by default, from Python 3.12 on) above the message that refuses strings
    with warnings.catch_warnings(record=True) as caught, pytest.raises(ExpressionError, match="not allowed"):
        warnings.simplefilter("always")
        parse_expression(text, {"x": 1.0})
    assert [str(w.message) for w in caught] == []


def test_an_mlp_graph_into_a_folder_it_cannot_write_is_refused_before_it_is_built(tmp_path, monkeypatch, capsys):
    # `graph --mlp 2,300,300,1 --out <read-only>` built and differentiated 90,000 Values (5 s; a minute at the
    # 1,000,000 weights allowed) before it found it could not write, where report, explore and chaos check first
    monkeypatch.setattr(draw, "mlp_loss", lambda *a, **k: pytest.fail("the MLP was built"))
    (blocker := tmp_path / "notes").write_text("mine")
    assert cli.main(["graph", "--mlp", "2,300,300,1", "--out", str(blocker / "g")]) == 1
    assert capsys.readouterr().err == f"tinygrad-init graph: cannot write into {blocker / 'g'}: {blocker} is a file, " \
        "not a folder\n"
    monkeypatch.setattr("os.access", lambda *a, **k: False)  # a folder this user may not write into
    assert cli.main(["graph", "--mlp", "2,3,1", "--out", str(tmp_path / "ro")]) == 1
    assert capsys.readouterr().err.startswith(f"tinygrad-init graph: cannot write into {tmp_path / 'ro'}: ")


def test_a_folder_named_as_a_file_the_graph_writes_is_named_without_advice_to_write_into_it(tmp_path, capsys):
    # "name the file: out/graph.svg/graph.svg": advice to write into the folder that stands where the file goes
    require_binary("dot")
    for name in ("graph.svg", "player.html"):
        (tmp_path / name / "keep").mkdir(parents=True)
        assert cli.main(["graph", "x*x", "x=3", "--out", str(tmp_path)]) == 1
        err = capsys.readouterr().err
        assert f"{tmp_path / name} is a folder, not a file: move it away or write elsewhere" in err, err
        assert "name the" not in err and "render" not in err  # (a function the command calls)
        (tmp_path / name / "keep").rmdir()
        (tmp_path / name).rmdir()


def test_a_name_bound_but_not_used_by_the_expression_is_noted(tmp_path, capsys):
    # `graph "a*2" a=1 b=2` (a typo for a*b) drew a*2 and said nothing of b
    assert cli.main(["graph", "a*2", "a=1", "b=2", "c=3", "--out", str(tmp_path), "--no-player"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "note: the expression does not use b, c, bound on the command line (a typo?)", out
    assert cli.main(["graph", "𝑥*x", "x=1", "--out", str(tmp_path), "--no-player"]) == 0  # 𝑥 is x
    assert "note" not in capsys.readouterr().out


def test_a_name_l_bound_on_the_command_line_keeps_its_name(tmp_path, capsys):
    # `graph "L*2 + L" L=3` renamed the user's L "L#0" and called the output "L#2"; the help said the output is L
    require_binary("dot")  # the command renders the picture: exit 1 without Graphviz
    assert cli.main(["graph", "L*2 + L", "L=3", "--out", str(tmp_path), "--no-player"]) == 0
    text = capsys.readouterr().out
    assert "d(add#2)/dL += d(add#2)/d(mul#1) × d(mul#1)/dL = 1.0 × 2.0 = 2.0   (now 3.0: L feeds 2 nodes)" in text
    assert "L#" not in text
    with pytest.raises(SystemExit):
        cli.main(["graph", "--help"])
    assert "the output is called L\n(unless you bind a name L yourself" in capsys.readouterr().out


def test_the_help_says_which_engine_sums_and_which_averages_the_squared_error(capsys):
    # both were "squared error"; the same 2-3-2 net on one sample gave the scalar engine twice the tensor's loss
    scalar, tensor = (draw.mlp_loss([2, 3, 2], "xavier_uniform", engine=e, batch=1)[0] for e in ("scalar", "tensor"))
    assert scalar.data == pytest.approx(2 * tensor.item(), rel=1e-12)
    with pytest.raises(SystemExit):
        cli.main(["graph", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "summed over the outputs of its one sample (scalar engine), averaged over batch and outputs (tensor" in text


@pytest.mark.parametrize("out, hint", [("neuron.png", "--out neuron --format png"), ("slide.SVG", "--out slide"),
                                       ("g.dot", "--out g"), ("steps.html", "--out steps")])
def test_an_out_named_as_a_picture_is_refused_as_the_folder_it_would_become(tmp_path, capsys, out, hint):
    # `graph "x*x" x=1 --out neuron.png` made a folder neuron.png/ holding graph.svg, graph.dot and player.html
    assert cli.main(["graph", "x*x", "x=1", "--out", str(tmp_path / out)]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith(f"tinygrad-init graph: error: argument --out: {tmp_path / out} names a file, but --out is "
                          "the folder that graph.dot, graph.svg and player.html go into; ") and err.endswith(
        f"e.g. {hint.replace('--out ', f'--out {tmp_path}/')}"), err
    assert list(tmp_path.iterdir()) == []
    if out == "g.dot":  # a folder of that name that is there already is a folder
        (tmp_path / out).mkdir()
        assert cli.main(["graph", "x*x", "x=1", "--out", str(tmp_path / out), "--no-player"]) == 0


@pytest.mark.parametrize("text, bound, said", [
    ("a*bb", {"a": 1.0, "b": 2.0}, "the name 'bb' is not bound (did you mean 'b'?); bind it"),
    ("alpha*2", {"alpa": 1.0}, "the name 'alpha' is not bound (did you mean 'alpa'?); bind it"),
    ("(a*b).tanhh()", {"a": 1.0, "b": 2.0}, "the method '.tanhh()' is not allowed (did you mean .tanh()?); the"),
    ("x.sigmod()", {"x": 1.0}, "the method '.sigmod()' is not allowed (did you mean .sigmoid()?); the"),
    ("y*2", {"x": 1.0}, "the name 'y' is not bound; bind it"),  # nothing near: no guess
    ("x.foo()", {"x": 1.0}, "the method '.foo()' is not allowed; the")])
def test_a_misspelt_name_or_method_in_an_expression_is_answered_with_the_nearest(text, bound, said) -> None:
    # "the name 'bb' is not bound ... (bound: a, b)": the typo was left to the student to spot
    with pytest.raises(ExpressionError) as e:
        parse_expression(text, bound)
    assert said in str(e.value), str(e.value)


@pytest.mark.parametrize("variables", [None, ["a"], {"a": "x"}, {"a": [1.0]}])
def test_parse_expression_names_variables_that_are_no_dict_of_numbers(variables):
    # None and a list raised "'NoneType' object has no attribute 'items'", {"a": "x"} float()'s "could not convert
    # string to float"
    with pytest.raises(TypeError, match=r"^parse_expression: variables must be a dict of numbers or Values"):
        parse_expression("a * 2", variables)



@pytest.mark.parametrize("words", [None, "a=2"])
def test_bindings_that_are_no_list_of_words_are_named(words):
    with pytest.raises(TypeError, match=r"^parse_bindings: words must be a list of NAME=VALUE words"):
        parse_bindings(words)  # None was "'NoneType' object is not iterable"; "a=2" read letter by letter


def test_the_help_says_which_ops_are_circles_and_which_ellipses(capsys):
    # the help said "every op as a circle"; a word such as tanh is drawn in an ellipse
    dot = draw.draw(parse_expression("(a*b).tanh().exp()", {"a": 2.0, "b": -1.0})).source
    shapes = dict(re.findall(r'label="?(\*|tanh|exp)"? [^]]*shape=(\w+)', dot))
    assert shapes == {"*": "circle", "tanh": "ellipse", "exp": "ellipse"}, dot
    with pytest.raises(SystemExit):
        cli.main(["graph", "--help"])
    assert "every op as a circle (tanh, exp: an ellipse)" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("text", ["a**", "(a*b) **", "a ** -", "a.tanh() if", "b / a."])
def test_an_expression_cut_short_is_pointed_at_its_end_not_its_start(text):
    # Python reports no column for these ("a**": offset 0); the caret stood under the first character, the a
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, {"a": 1.0, "b": 2.0})
    assert str(info.value).endswith(f"it ends before the expression is complete)\n    {text}\n"
                                    f"    {' ' * (len(text) - 1)}^"), str(info.value)


@pytest.mark.parametrize("text, said", [("q" * 100_000 + " * a", "(100,000 characters)' is not bound"),
                                        ("a." + "q" * 100_000 + "()", "(100,000 characters)()' is not allowed"),
                                        ("a." + "q" * 100_000, "(100,000 characters)' is not allowed"),
                                        ("q" * 100_000 + "(a)", "(100,000 characters)(...)'")],
                         ids=["name", "method", "attribute", "function"])
def test_a_name_of_100000_letters_is_named_by_its_ends(text, said):
    # the message held the name in full (an unbound one twice): 200,000 characters for one pasted word
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, {"a": 1.0})
    msg = str(info.value)
    assert len(msg) < 600 and said in msg and "(at character " in msg


def test_a_binding_pasted_with_a_math_minus_is_told_the_ascii_sign():
    # the expression x−1 was told "write - for −", the binding a=−3 only that −3 is not a number
    with pytest.raises(ExpressionError, match="'−3' is not a number .*; write - for −$"):
        parse_bindings(["a=−3"])
