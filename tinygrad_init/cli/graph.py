"""The `tinygrad-init graph` command: the picture, DOT text and step-through player of an expression or
a small MLP; and `parse_expression`, which reads the expression safely (never `eval`)."""

from __future__ import annotations

import argparse
import ast
import inspect
import io
import keyword
import math
import operator
import re
import sys
import tokenize
import unicodedata
import warnings
from functools import partial
from numbers import Real
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..core.value import Value
from ..nn import activations
from ..observe import draw, ledger
from ..observe.player import DEFAULT_MAX_STEPS, write_player
from ..utils import check_int, check_type, cli_type, counted, did_you_mean, path_arg, quoted, text_width
from . import _cannot, _init_name, _widths, _writable

__all__ = ["parse_expression", "parse_bindings", "ExpressionError", "ALLOWED_METHODS", "add_graph_command", "run_graph"]

ALLOWED_METHODS = tuple(n for n in activations.names() if hasattr(Value, n)) + ("exp", "log")
"""The methods an expression may call, all without arguments: `(a*b).tanh()`."""


class ExpressionError(ValueError):
    """An expression that cannot be evaluated; the message names what is not allowed and where."""


_METHODS = " ".join(f".{m}()" for m in ALLOWED_METHODS)
_ALLOWED = f"allowed: numbers, the names you bind (a=2), + - * / **, unary -, and the methods {_METHODS}"
_APPLY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow}
_BINOPS = dict(zip((ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow), _APPLY.values()))
_OTHER_OPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
              ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.UAdd: "+", ast.Not: "not", ast.Invert: "~"}
_WHAT = {ast.Subscript: "indexing (x[...])", ast.Compare: "comparisons", ast.BoolOp: "'and'/'or'",
         ast.Lambda: "lambda", ast.IfExp: "'... if ... else ...'", ast.List: "lists", ast.Tuple: "tuples",
         ast.Set: "sets", ast.Dict: "dicts", ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
         ast.DictComp: "comprehensions", ast.GeneratorExp: "generator expressions", ast.JoinedStr: "f-strings",
         ast.NamedExpr: "':=' assignments"}
_TOO_LARGE = "the number {} is too large for a float (at most about 1.8e308); write a smaller one"
_ASCII = {"×": "*", "·": "*", "⋅": "*", "−": "-", "–": "-", "÷": "/", "²": "**2", "³": "**3"}
_SKIP = {tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else f"{text[:most - 20]}...{text[-12:]} ({len(text):,} characters)"


def _nfkc(name: str) -> str:  # a name as Python reads it: the italic x of a pasted formula is x
    return unicodedata.normalize("NFKC", name)


def _apply(f: Callable[..., Any], x: Any, *y: Any) -> Any:
    """`f(x, *y)` with Value semantics (IEEE: 1/0 is inf), also on numbers alone (folded into one)."""
    return f(x, *y) if any(isinstance(v, Value) for v in (x, *y)) else f(Value(x), *y).data


def _split(toks: list, ops: tuple[str, str]) -> list[tuple[str, list]]:
    """`[(op, tokens)]` cut at the top-level binary operators `ops` (the first op is "")."""
    parts: list[tuple[str, list]] = [("", [])]
    depth, prev = 0, None
    for t in toks:
        s = t.string if t.type == tokenize.OP else ""
        depth += (s in ("(", "[", "{")) - (s in (")", "]", "}"))
        # after a number, a name or a closing bracket, + - * / can only be binary operators
        if depth == 0 and s in ops and prev is not None and (prev.type in (tokenize.NUMBER, tokenize.STRING) or (
                prev.type == tokenize.NAME and not keyword.iskeyword(prev.string)) or prev.string in ")]}"):
            parts.append((s, []))
        else:
            parts[-1][1].append(t)
        prev = t
    return parts


def parse_expression(text: str, variables: Mapping[str, float | Value]) -> Value:
    """The Value graph of an arithmetic expression such as `"(a*b + c).tanh()"`, built safely (no `eval`).

    Grammar (Python's precedence): `expr := number | NAME | expr (+ - * / **) expr | -expr | (expr) |
    expr.METHOD()`, `NAME` a key of `variables` (one leaf `Value(x, label=NAME)` each), `METHOD` in
    `ALLOWED_METHODS`; numbers alone are folded; sums and products are read in a loop, not by recursion.
    An ExpressionError points at what is wrong."""
    if not isinstance(text, str):
        raise TypeError(f"expression: expected text, got {type(text).__name__}")
    if not isinstance(variables, Mapping) or not all(isinstance(v, (Real, Value)) for v in variables.values()):
        raise TypeError(f"parse_expression: variables must be a dict of numbers or Values, got {quoted(variables):.50}")
    source = " ".join(line.split("#", 1)[0] for line in text.replace("\t", " ").splitlines()).strip()  # a comment ends
    if not source:
        raise ExpressionError("expression: the expression is empty; write one such as \"(a*b + c).tanh()\"")
    leaves = {_nfkc(name): v if isinstance(v, Value) else Value(float(v), label=_nfkc(name))
              for name, v in variables.items()}
    offset, utf8 = 0, b""  # where the factor being read starts in `source`, and its bytes (ast counts bytes)

    def error(msg: str, start: int, end: int | None = None) -> ExpressionError:  # a caret under the place
        at, under = text_width(source[:start]), max(1, text_width(source[start:end or start + 1]))  # columns shown
        where = (f" (at character {start + 1:,} of {len(source):,})" if len(source) > 200 else
                 f"\n    {source}\n    {' ' * at}{'^' * under}")
        return ExpressionError(f"expression: {msg}{where}")

    def fail(msg: str, node: ast.AST) -> ExpressionError:
        at = lambda col: offset + len(utf8[:col].decode(errors="ignore"))  # noqa: E731 - characters, not bytes
        return error(msg, at(node.col_offset), at(node.end_col_offset or node.col_offset + 1))

    def expression(toks: list) -> Any:  # a - b*c + d is (a - (b*c)) + d
        total = None
        for op, term in _split(toks, ("+", "-")):
            product = None
            for op2, factor in _split(term, ("*", "/")):
                if not factor:  # only at the end: "a +"
                    raise error("this is not a valid expression: it ends with an operator", len(source) - 1)
                x = piece(factor[0].start[1], factor[-1].end[1])
                product = x if product is None else _apply(_APPLY[op2], product, x)
            total = product if total is None else _apply(_APPLY[op], total, product)
        return total

    def piece(start: int, end: int) -> Any:
        nonlocal offset, utf8
        offset, text = start, source[start:end]
        utf8 = text.encode()
        if text in leaves:
            return leaves[text]
        try:
            with warnings.catch_warnings():  # '\d': Python warns of the escape (3.12+: shown); strings are refused
                warnings.simplefilter("ignore")
                node = ast.parse(text, mode="eval").body
        except SyntaxError as e:  # a formula pasted from a slide: x×y, x−1, x²
            fix = "".join(f"; write {_ASCII.get(c) or _nfkc(c)} for {c}" for c in re.findall(r"character '(.)'", e.msg)
                          if c in _ASCII or _nfkc(c) != c and _nfkc(c).isascii())  # x₁: x1, as its binding reads
            end = ": it ends before the expression is complete" * (not e.offset)  # offset 0: at the end ("a**")
            raise error(f"this is not a valid expression ({e.msg}{end}){fix}",
                        start + (e.offset - 1 if e.offset else len(text.rstrip()) - 1)) from None
        return ev(node)

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):  # not bool
            return float(node.value)  # not too large: the tokens were checked
        if isinstance(node, ast.Name):
            if node.id not in leaves:
                name = _short(node.id)  # a pasted word of 100,000 letters: by its ends
                raise fail(f"the name '{name}' is not bound{did_you_mean(node.id, leaves)}; bind it on the command "
                           f"line, e.g. {name}=1.5 (bound: {', '.join(sorted(leaves)) or 'none'})", node)
            return leaves[node.id]
        if isinstance(node, (ast.BinOp, ast.UnaryOp)) and type(node.op) in _OTHER_OPS:
            unary = "unary " if isinstance(node, ast.UnaryOp) else ""
            raise fail(f"the {unary}operator '{_OTHER_OPS[type(node.op)]}' is not allowed; "
                       f"{'only unary - is' if unary else 'use + - * / **'} ({_ALLOWED})", node)
        if isinstance(node, ast.BinOp):
            return _apply(_BINOPS[type(node.op)], ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp):  # USub
            return -ev(node.operand)
        if isinstance(node, ast.Call):
            f = node.func
            if not isinstance(f, ast.Attribute):
                what = f"'{_short(f.id)}(...)'" if isinstance(f, ast.Name) else "this call"
                raise fail(f"calling functions is not allowed: {what}. Only the methods {_METHODS} can be "
                           "called, as in (a*b).tanh()", node)
            if f.attr not in ALLOWED_METHODS:
                near = did_you_mean(f.attr, ALLOWED_METHODS, ".{}()")
                raise fail(f"the method '.{_short(f.attr)}()' is not allowed{near}; the allowed methods are "
                           f"{_METHODS}", node)
            if node.args or node.keywords:
                raise fail(f"'.{f.attr}()' takes no arguments; write x.{f.attr}()", node)
            return _apply(operator.methodcaller(f.attr), ev(f.value))
        if isinstance(node, ast.Attribute):
            raise fail(f"'.{node.attr}' is a method: call it, as in x.{node.attr}()" if node.attr in ALLOWED_METHODS
                       else f"the attribute '.{_short(node.attr)}' is not allowed; the only attributes are the methods "
                       f"{_METHODS}", node)
        what = _WHAT.get(type(node), f"the construct '{type(node).__name__}'")
        if isinstance(node, ast.Constant):
            what = "strings" if isinstance(node.value, (str, bytes)) else f"the constant {node.value!r}"
        raise fail(f"{what}: not allowed ({_ALLOWED})", node)

    try:
        # without `.line`: Python 3.12.0-3.12.3 give every token its own copy of the line (CPython gh-119118),
        # gigabytes for a sum of 10,000 terms
        toks = [t._replace(line="") for t in tokenize.generate_tokens(io.StringIO(source).readline)
                if t.type not in _SKIP]
    except (tokenize.TokenError, SyntaxError):  # an unclosed bracket and the like: ast.parse says what
        toks = []
    for t in (t for t in toks if t.type == tokenize.NUMBER):  # ast.parse refuses more than 4,300 digits
        try:
            huge = math.isinf(float(int(t.string, 0) if t.string[:2].lower() in ("0x", "0o", "0b") else t.string))
        except (OverflowError, ValueError) as e:  # ValueError: 1j, refused later
            huge = isinstance(e, OverflowError)
        if huge:
            raise error(_TOO_LARGE.format(_short(t.string, 40)), t.start[1], t.end[1])
    try:
        out = expression(toks) if toks else piece(0, len(source))
    except (RecursionError, MemoryError):  # MemoryError: the parser's own stack ran out
        raise ExpressionError(f"expression: {_short(source)} is nested too deeply to read: a long sum or "
                              "product inside brackets, or brackets, powers, unary minus or method calls "
                              "(x.tanh().tanh()...) inside one another; take long sums out of brackets, or write "
                              "fewer levels") from None
    if not isinstance(out, Value):
        raise ExpressionError("expression: the expression uses no variable, so there is nothing to "
                              "differentiate; bind a name and use it, e.g. \"x*x + 1\" x=3")
    return out


def _typed(word: str) -> str:
    """A word of argv as a UTF-8 terminal sent it: in an ASCII locale (LC_ALL=C, PYTHONUTF8=0) Python gets each of its
    non-ASCII bytes as a lone surrogate, "x\\udcc3\\udc97y" for x×y, which no parser reads."""
    try:
        return word.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte: not from argv
        return word


def parse_bindings(words: Sequence[str]) -> dict[str, float]:
    """`["a=2", "b=-3"]` -> `{"a": 2.0, "b": -3.0}`; an ExpressionError says what is wrong with a word."""
    out: dict[str, float] = {}
    for w in check_type("parse_bindings", "words", words, (list, tuple), "a list of NAME=VALUE words, e.g. ['a=2']"):
        name, _, value = (part.strip() for part in _nfkc(w).partition("="))
        if "=" not in w:
            raise ExpressionError(f"binding {w!r}: " + (
                "this looks like an option, but after `--` every word is read as the expression or a NAME=VALUE "
                "binding; put the options before `--`" if w.startswith("-") else
                "expected NAME=VALUE, e.g. a=2 (the expression goes first, in quotes: \"(a*b + c).tanh()\")"))
        if not name.isidentifier() or keyword.iskeyword(name):
            why = (f": it is a Python keyword; write {name}_ (in the expression too)" if keyword.iskeyword(name) else
                   "; use letters, digits and _, starting with a letter (a, x1, w_0)")
            raise ExpressionError(f"binding {w!r}: {name!r} is not a valid name{why}")
        try:
            number = float(value)
        except ValueError:
            signs = "".join(f"; write {_ASCII[c]} for {c}" for c in dict.fromkeys(value) if c in _ASCII)  # a=−3
            raise ExpressionError(f"binding {w!r}: {value!r} is not a number (write e.g. {name}=-3 or "
                                  f"{name}=0.5){signs}") from None
        if math.isinf(number) and "inf" not in value.lower():
            raise ExpressionError(f"binding {_short(w)!r}: " + _TOO_LARGE.format(_short(value, 40)))
        if name in out:
            raise ExpressionError(f"binding {w!r}: {name} is bound twice")
        out[name] = number
    return out


# ------------------------------------------------------------------ the command
_DESCRIPTION = f"""\
Draw the computation graph of an expression (or of a small MLP), run backward, and write:
  graph.svg    every number as label | data | grad, every op as a circle (tanh, exp: an ellipse),
               every edge labelled with its local derivative (x-3.0: upstream is multiplied by
               it); fill: |grad|, log scale
  graph.dot    the same picture as Graphviz DOT text (for slides and version control)
  player.html  backward one chain-rule step at a time, in a browser (offline; keys <- -> Home End):
               dL/d(parent) += dL/d(node) x d(node)/d(parent) = upstream x local
The expression is read safely (no eval): numbers, the names you bind (a=2), + - * / **, unary -,
and the methods {_METHODS}; the output is called L
(unless you bind a name L yourself: it keeps it, and the output is named by its op, e.g. add#2).
Rendering needs the Graphviz program `dot` (apt-get install graphviz, brew install graphviz);
without it only graph.dot is written.
"""
_EPILOG = """\
examples:
  tinygrad-init graph "(a*b + c).tanh()" a=2 b=-3 c=10 --out neuron
  tinygrad-init graph "x*x + x" x=3 --out sum        x feeds two nodes: its gradient is a sum
  tinygrad-init graph --mlp 2,4,1 --out mlp          a scalar MLP, one sample, loss = squared error
  tinygrad-init graph --mlp 2,8,8,1 --engine tensor --init small --rankdir TB --format png
  tinygrad-init graph --out neg -- "-a*b" a=1 b=2    an expression starting with '-' (options first)
"""


def _sizes(text: str) -> list[int]:  # "2,4,1" -> [2, 4, 1]: two layer widths or more, each a whole number >= 1
    try:
        sizes = [cli_type(check_int, 1)(width) for width in text.split(",")]
    except argparse.ArgumentTypeError as e:  # "got ''" alone: of '2,,3'
        raise argparse.ArgumentTypeError(f"{e} (in {text!r}; layer widths >= 1 separated by commas, e.g. 2,4,1)") \
            from None
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError(f"expected at least two widths (input and output), e.g. 2,4,1; got {text!r}")
    return sizes


_MLP = inspect.signature(draw.mlp_loss).parameters  # --mlp's defaults: mlp_loss's, but the scalar engine
_MLP_DEFAULTS = {"engine": "scalar", "init": _MLP["init"].default, "activation": _MLP["activation"].default,
                 "seed": _MLP["rng"].default, "batch": _MLP["batch"].default}


def add_graph_command(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `graph` subcommand to `subparsers` (from `parser.add_subparsers()`)."""
    p = subparsers.add_parser(
        "graph", help="draw the graph of an expression or a small MLP, and a step-through player of backward",
        description=_DESCRIPTION, epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expression", nargs="?", help='the expression, in quotes, e.g. "(a*b + c).tanh()"')
    p.add_argument("bindings", nargs="*", metavar="NAME=VALUE", help="the value of each name, e.g. a=2 b=-3")
    m = p.add_argument_group("a small MLP instead of an expression", "loss: the squared error against random "
                             "targets, summed over the outputs of its one sample\n(scalar engine), averaged over batch "
                             "and outputs (tensor engine, mse_loss)")
    m.add_argument("--mlp", type=_sizes, metavar="SIZES", help="layer widths, e.g. 2,4,1")
    m.add_argument("--engine", choices=("scalar", "tensor"), type=str.lower, help="scalar (default): a Value "
                   "per weight, one sample; tensor: a node per weight matrix, a batch")
    m.add_argument("--activation", choices=activations.names(), type=str.lower,  # ReLU, as --init HE_normal
                   help=f"hidden (default: {_MLP_DEFAULTS['activation']})")
    m.add_argument("--init", type=partial(_init_name, sweep=False), metavar="NAME",
                   help="e.g. xavier_uniform, he_normal, small (default: the engine's)")
    m.add_argument("--seed", type=cli_type(check_int, 0), help=f"of weights and data (default: {_MLP['rng'].default})")
    m.add_argument("--batch", type=cli_type(check_int, 1), metavar="B",
                   help=f"tensor engine (default: {_MLP_DEFAULTS['batch']})")
    o = p.add_argument_group("output")
    o.add_argument("--out", type=path_arg, default=Path("graph"), metavar="DIR",
                   help="the folder (default: graph); an earlier run's graph.dot, graph.svg/png/pdf and player.html "
                   "in it are replaced: one graph per folder (for a second format of it, another --out)")
    o.add_argument("--rankdir", choices=("LR", "TB"), type=str.upper, default="LR",  # any case, as --activation
                   help="inputs on the left (LR, default) or on top")
    o.add_argument("--format", choices=("svg", "png", "pdf"), type=str.lower, default="svg",
                   help="of the picture (default: svg)")
    o.add_argument("--no-player", action="store_true", help="do not write player.html")
    o.add_argument("--max-nodes", type=cli_type(check_int, 0), metavar="N", help="draw the N nodes nearest the "
                   f"output (default: {draw.MAX_NODES} in the picture, all in the player; 0: all)")
    o.add_argument("--max-steps", type=cli_type(check_int, 1), default=DEFAULT_MAX_STEPS, metavar="N",
                   help=f"no player beyond N chain-rule steps (default: {DEFAULT_MAX_STEPS})")
    p.set_defaults(command_parser=p)  # the --mlp options stay None unless given: refused with an expression
    return p


def run_graph(args: argparse.Namespace) -> int:
    """Write `graph.<format>`, `graph.dot` and `player.html` into `args.out`; returns the exit code:
    0 done, 1 Graphviz missing (graph.dot is still written) or a file not writable, 2 a usage error."""

    def fail(msg: str, code: int = 2) -> int:
        if code == 2 and getattr(args, "command_parser", None) is not None:
            args.command_parser.print_usage(sys.stderr)
        print(f"tinygrad-init graph: {'error: ' if code == 2 else ''}{msg}", file=sys.stderr)
        return code

    if args.mlp is None and args.expression is None:
        return fail("give an expression (e.g. \"(a*b + c).tanh()\" a=2 b=-3 c=10) or --mlp SIZES (e.g. 2,4,1)")
    if args.mlp is not None and (args.expression is not None or args.bindings):
        return fail("give either an expression or --mlp, not both")
    if args.expression is not None:
        args.expression, args.bindings = _typed(args.expression), [_typed(w) for w in args.bindings]
    given = [f"--{k}" for k in _MLP_DEFAULTS if getattr(args, k) is not None]
    vars(args).update({k: v for k, v in _MLP_DEFAULTS.items() if getattr(args, k) is None})
    if args.mlp is None and given:
        return fail(f"{' '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to --mlp only; an expression is "
                    "always drawn with the scalar engine, from the numbers you bind")
    if args.mlp is not None and args.engine == "scalar" and "--batch" in given:
        return fail("--batch applies to --engine tensor only; the scalar MLP is drawn for one sample")
    kind = args.out.suffix.lower()[1:]  # --out neuron.png made a folder neuron.png/ with graph.svg in it
    if (kind in draw.FORMATS or kind == "html") and not args.out.is_dir():
        return fail(f"argument --out: {args.out} names a file, but --out is the folder that graph.dot, graph."
                    f"{args.format} and player.html go into; write e.g. --out {args.out.with_suffix('')}"
                    + f" --format {kind}" * (kind in ("png", "pdf") and kind != args.format))
    scalar, batch = args.engine == "scalar", f" --batch {args.batch}" * (args.engine == "tensor")
    numbers = sum(a * b + b for a, b in zip(args.mlp, args.mlp[1:])) + (not scalar) * args.batch * sum(args.mlp) \
        if args.mlp else 0  # weights and biases; the tensor engine's activations too
    most, (k, per) = (1e6, (3, 10**6)) if scalar else (1e8, (25, 10**9))  # k/per GB a number (whole numbers: a
    if numbers > most:  # float overflows at 400 digits), measured: 160,000 Values 500 MB, 28 s; 25 million 630 MB, 7 s
        return fail(f"--mlp {_widths(args.mlp, ',')}{batch} has {numbers:,} weights, biases" + (
            " (a Value each with the scalar engine, 3 KB apiece" if scalar else " and activations (arrays, with their "
            "gradients") + f": about {(numbers * k + per // 2) // per:,} GB); at most {most:,.0f}: use " + (
            "--engine tensor (a node per weight matrix) or smaller widths" if scalar else "smaller widths or --batch"))
    try:
        if args.mlp is None:
            root, extra = parse_expression(args.expression, bound := parse_bindings(args.bindings)), {}
            what = f"the expression {_short(' '.join(args.expression.split()))}"  # on one line
        for name in ["graph.dot", f"graph.{args.format}"] + ["player.html"] * (not args.no_player):
            _writable(args.out / name)  # before building: a scalar MLP of 1,000,000 weights takes a minute
        if args.mlp is not None:
            root, tr = draw.mlp_loss(args.mlp, args.init, activation=args.activation, engine=args.engine,
                                     batch=args.batch, rng=args.seed)
            extra = {} if tr is None else {"module": tr}  # one cluster per layer
            kind = f"{args.activation} MLP" if len(args.mlp) > 2 else "linear layer (no hidden layer, no activation)"
            what = (f"a {_widths(args.mlp)} {kind} ({args.engine} engine, "
                    + (f"batch {args.batch})" if args.engine == "tensor" else "one sample)"))
    except OSError as e:
        return _cannot("graph", f"write into {args.out}", e)
    except (ValueError, TypeError) as e:  # ExpressionError, an unknown --init name, and the like
        binding = args.mlp is None and re.fullmatch(r"\s*[^\W\d]\w*\s*=\s*[-+.\d]\S*\s*", args.expression)
        return fail(f"{args.expression!r} is a NAME=VALUE binding, not an expression; the expression goes first, in "
                    "quotes: tinygrad-init graph \"(a*b + c).tanh()\" a=2 b=-3 c=10" if binding else str(e))
    with ledger.record() as steps:
        root.backward()
    n_nodes, n_steps = len(steps.get_pass().order), len(steps)
    print(f"tinygrad-init graph: {what}: {counted(n_nodes, 'node')}, {counted(n_steps, 'chain-rule step')} in backward")
    if args.mlp is None and (unused := sorted(bound.keys() - {n.label for n in steps.get_pass().order})):
        print(f"note: the expression does not use {', '.join(unused)}, bound on the command line (a typo?)")
    if root.scalar and n_steps <= 40:
        print(steps.explain())
    player = not args.no_player and n_steps <= args.max_steps
    if not args.no_player and not player:
        fewer = "a shorter expression" if args.mlp is None else "a smaller network" + ", --engine tensor" * scalar
        print(f"note: no player.html: backward has {n_steps:,} steps, more than --max-steps {args.max_steps:,} "
              f"(use {fewer}, or raise --max-steps with --max-nodes {draw.MAX_NODES})")
    written: list[Path] = []
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for old in (args.out / n for n in ("graph.dot", "graph.svg", "graph.png", "graph.pdf", "player.html")):
            if old.is_file():  # no file of an earlier graph is left beside this one's
                old.unlink()
        cut = draw.MAX_NODES if args.max_nodes is None else args.max_nodes or None  # the picture's (the player: all)
        g = draw.draw(root, rankdir=args.rankdir, show_local=True, color_by_grad=True, grads=steps, max_nodes=cut,
                      **extra)
        for name in ("graph.dot", f"graph.{args.format}"):  # the DOT text first: it needs no Graphviz
            written.append(draw.render(g, args.out / name))
        if player:
            written.append(write_player(args.out / "player.html", steps, rankdir=args.rankdir,
                                        max_nodes=args.max_nodes or None, max_steps=None, **extra))
    except (draw.GraphvizNotFoundError, ValueError) as e:  # the latter: dot failed, e.g. out of memory
        print("".join(f"wrote {p}\n" for p in written), end="")
        drawn = min(n_nodes, (cut if len(written) < 2 else args.max_nodes) or n_nodes)  # the picture's or player's
        how = "; ".join(" ".join(line.split()) for line in str(e).splitlines() if line.startswith("  "))  # install
        return fail(f"only graph.dot was written: graph.{args.format} {'and player.html need' if player else 'needs'}"
                    f" the Graphviz program `dot`, which is not on PATH; install it ({how})" if isinstance(
                        e, draw.GraphvizNotFoundError) else f"Graphviz failed on the {drawn:,} nodes drawn ({e}); "
                    f"draw fewer: --max-nodes N below {drawn}", 1)
    except OSError as e:
        return _cannot("graph", f"write into {args.out}", e)
    for p in written:
        size = p.stat().st_size
        print(f"wrote {p} ({f'{size / 1024:.0f} KiB' if size >= 10240 else f'{size} bytes'})")
    if player:
        print(f"open {args.out / 'player.html'} in a browser to step through backward (keys <- ->)")
    return 0
