"""MkDocs hook: put the package's own text into the pages, so that they cannot drift from it.

``<!-- source: tinygrad_init.autograd.backward -->``
    is replaced by the source code of that function (or class, or module), headed by its
    file and line numbers; with ``nodoc`` after the name the docstring is left out. A
    name that does not exist is a warning (so ``mkdocs build --strict`` fails).

``<!-- cli-help: report -->``
    is replaced by the output of ``tinygrad-init report --help``, taken from
    ``tinygrad_init.cli.build_parser()`` at build time, so the options shown are always
    those of the command. ``<!-- cli-help: -->`` is the top level,
    ``<!-- cli-help: exercises grade -->`` a nested subcommand. A subcommand this version
    of the command line does not have becomes a note saying so (and an info line in the
    log), not an error.

Each marker stands alone on its line.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import logging
import os
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

_log = logging.getLogger("mkdocs.hooks.embed")

PROG = "tinygrad-init"
WIDTH = "88"
_MARK = re.compile(r"^<!--\s*cli-help:\s*([\w -]*?)\s*-->\s*$", re.M)
_SOURCE = re.compile(r"^<!--\s*source:\s*([\w.]+)(\s+nodoc)?\s*-->\s*$", re.M)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps subcommands in a private action
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def help_text(words: list[str], parser: argparse.ArgumentParser) -> str | None:
    """``--help`` of the command ``words`` (e.g. ``["report"]``), or None if there is none."""
    for w in words:
        parser = _subparsers(parser).get(w)
        if parser is None:
            return None
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        return parser.format_help()
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def find_object(name: str) -> Any:
    """The object called ``name`` (``package.module.attr.attr``), or a LookupError."""
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attr in parts[k:]:
            if not hasattr(obj, attr):
                raise LookupError(f"{'.'.join(parts[:k])} has no attribute {attr!r} (looking for {name})")
            obj = getattr(obj, attr)
        return obj
    raise LookupError(f"no module of {name} can be imported")


def source_block(name: str, nodoc: bool, root: Path) -> str:
    """A fenced block with the source of ``name``, headed by its file and lines."""
    obj = find_object(name)
    obj = inspect.unwrap(obj)
    lines, first = inspect.getsourcelines(obj)
    first = max(first, 1)
    text = "".join(lines)
    if nodoc:
        tree = ast.parse(textwrap.dedent(text))
        node = tree.body[0] if tree.body else None
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            drop = set(range(body[0].lineno - 1, body[0].end_lineno))
            lines = [line for i, line in enumerate(lines) if i not in drop]
            text = "".join(lines)
    path = Path(inspect.getsourcefile(obj)).resolve()
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.name
    last = first + len("".join(inspect.getsourcelines(obj)[0]).splitlines()) - 1
    what = "without its docstring, " if nodoc else ""
    caption = f"`{name}` ({what}`{shown}`, lines {first}-{last}):"
    return f"{caption}\n\n```python\n{textwrap.dedent(text).rstrip()}\n```\n"


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    if "<!--" not in markdown:
        return markdown
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))

    def source(m: re.Match) -> str:
        try:
            return source_block(m.group(1), bool(m.group(2)), root)
        except (LookupError, OSError, TypeError) as exc:
            _log.warning("embed: %s: cannot show the source of %s: %s", page.file.src_uri, m.group(1), exc)
            return m.group(0)

    markdown = _SOURCE.sub(source, markdown)
    if "cli-help" in markdown:
        markdown = _cli_help(markdown, page)
    return markdown


def _cli_help(markdown: str, page: Any) -> str:
    from tinygrad_init.cli import build_parser

    parser = build_parser()

    def replace(m: re.Match) -> str:
        words = m.group(1).split()
        command = " ".join([PROG, *words])
        text = help_text(words, parser)
        if text is None:
            have = ", ".join(_subparsers(parser)) or "none"
            _log.info("embed: %s: `%s` is not in this version of the command line", page.file.src_uri, command)
            return (f'!!! note "Not in this version"\n    `{command}` is not part of the command line of this '
                    f"version yet (its subcommands: {have}). The Python functions below do the same.\n")
        return f"```text\n$ {command} --help\n{text.rstrip()}\n```\n"

    return _MARK.sub(replace, markdown)
