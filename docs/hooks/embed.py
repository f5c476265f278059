"""MkDocs hook: put the package's own text into the pages, so that they cannot drift from it.

A line ``<!-- source: tinygrad_init.autograd.backward -->`` becomes the source code of that
object, headed by its file and lines (``nodoc`` after the name leaves the docstring out); a
name that does not exist is a warning, so a strict build fails. A line
``<!-- cli-help: report -->`` becomes ``tinygrad-init report --help`` as the command line
of this version prints it (``<!-- cli-help: -->`` is the top level).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import logging
import os
import pkgutil
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

_log = logging.getLogger("mkdocs.hooks.embed")
_SOURCE = re.compile(r"^<!--\s*source:\s*([\w.]+)(\s+nodoc)?\s*-->\s*$", re.M)
_HELP = re.compile(r"^<!--\s*cli-help:\s*([\w -]*?)\s*-->\s*$", re.M)


def source_block(name: str, nodoc: bool, root: Path) -> str:
    obj = inspect.unwrap(pkgutil.resolve_name(name))
    lines, first = inspect.getsourcelines(obj)
    text = textwrap.dedent("".join(lines))
    body = getattr(ast.parse(text).body[0], "body", [None])
    doc = body[0] if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else None
    if nodoc and doc is not None and isinstance(doc.value.value, str):
        lines = text.splitlines(True)
        text = "".join(line for i, line in enumerate(lines) if not doc.lineno <= i + 1 <= doc.end_lineno)
    path = Path(inspect.getsourcefile(obj)).resolve()
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    what = "without its docstring, " if nodoc else ""
    return (f"`{name}` ({what}`{shown}`, lines {max(first, 1)}-{max(first, 1) + len(lines) - 1}):\n\n"
            f"```python\n{text.rstrip()}\n```\n")


def help_text(words: list[str]) -> str | None:
    """``--help`` of the subcommand ``words`` (``[]``: the top level), 88 columns wide, or None."""
    from tinygrad_init.cli import build_parser

    parser = build_parser()
    for word in words:  # argparse keeps the subcommands in a private action
        choices = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})
        if word not in choices:
            return None
        parser = choices[word]
    old, os.environ["COLUMNS"] = os.environ.get("COLUMNS"), "88"
    try:
        return parser.format_help()
    finally:
        os.environ.pop("COLUMNS") if old is None else os.environ.update(COLUMNS=old)


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))

    def source(m: re.Match) -> str:
        try:
            return source_block(m.group(1), bool(m.group(2)), root)
        except (ImportError, AttributeError, ValueError, OSError, TypeError) as exc:
            _log.warning("embed: %s: cannot show the source of %s: %s", page.file.src_uri, m.group(1), exc)
            return m.group(0)

    def cli_help(m: re.Match) -> str:
        command = " ".join(["tinygrad-init", *m.group(1).split()])
        text = help_text(m.group(1).split())
        if text is None:
            _log.warning("embed: %s: the command line has no `%s`", page.file.src_uri, command)
            return m.group(0)
        return f"```text\n$ {command} --help\n{text.rstrip()}\n```\n"

    return _HELP.sub(cli_help, _SOURCE.sub(source, markdown))
