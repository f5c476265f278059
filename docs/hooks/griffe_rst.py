"""Griffe extension: read the reStructuredText inside the package's docstrings as Markdown.

The docstrings of ``tinygrad_init`` are Google style (``Args:``, ``Returns:`` ...), so that
``help()`` and an editor show them well, and they use a few reStructuredText constructs
that read naturally as plain text. mkdocstrings renders docstrings as Markdown, where those
constructs would show up literally (``:func:`backward```, ``.. math::``). Before the
docstrings are parsed, this extension rewrites, outside code blocks:

=============================  ===================================================
reStructuredText               Markdown
=============================  ===================================================
``:func:`~x.y.f```             a cross-reference to ``x.y.f`` showing ``f()``
                               (``:class:``, ``:meth:``, ``:mod:``, ``:attr:``,
                               ``:data:``, ``:exc:``, ``:obj:`` alike)
``:math:`...```                ``$...$``
``.. math::`` + indented body  a ``$$ ... $$`` block
``text::`` + indented block    ``text:`` + a fenced block (python, pycon or text)
an indented block              a fenced block
``====  ====`` simple tables   pipe tables
``Title`` + ``-----``          a bold line (headings belong to the page, not to a
                               docstring)
``term`` + indented lines      a definition list (``def_list``)
``a, b: description`` in Args  one entry per name (Google style wants one name)
=============================  ===================================================

Cross-references use autorefs' optional form, so a target that is not rendered on any page
becomes plain code instead of a broken link. References to names that do not exist in the
package are logged (``griffe_rst: unresolved reference``) and rendered as code.

Configured in ``mkdocs.yml`` under the python handler's ``extensions``.
"""

from __future__ import annotations

import ast
import html
import importlib.util
import logging
import re
import textwrap
from typing import Any

import griffe

_log = logging.getLogger("mkdocs.plugins.griffe_rst")

PACKAGE = "tinygrad_init"

_ROLE = re.compile(r":(?:py:)?(func|class|meth|mod|attr|data|exc|obj|const|math):`([^`]+)`")
_SECTION = re.compile(
    r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters|"
    r"Returns?|Yields?|Raises?|Exceptions|Warns|Warnings?|Attributes|Examples?|Notes?|"
    r"References|Receives|Methods|Functions|Classes|Modules|Todo|See Also|Deprecated)\s*:\s*$"
)
_PARAM_SECTIONS = {"Args", "Arguments", "Parameters", "Params", "Keyword Args", "Keyword Arguments",
                   "Other Parameters", "Attributes"}
_GROUPED_PARAM = re.compile(r"^(\s+)(\**\w+(?:\s*,\s*\**\w+)+)(\s*\([^)]*\))?\s*:(.*)$")
_TABLE_BORDER = re.compile(r"^\s*=+(?: +=+)+\s*$")
_UNDERLINE = re.compile(r"^([-=~^\"'`#*+])\1{2,}\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


# ------------------------------------------------------------------ cross-references


def _lookup(pkg: griffe.Module, path: str) -> Any:
    """The object at the dotted ``path`` inside ``pkg`` (aliases followed), or None."""
    for _ in range(8):
        if path == PACKAGE:
            return pkg
        if not path.startswith(PACKAGE + "."):
            return None
        try:
            obj = pkg[path[len(PACKAGE) + 1:]]
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
        if getattr(obj, "is_alias", False):
            path = obj.target_path
            continue
        return obj
    return None


def _resolve(target: str, obj: Any, pkg: griffe.Module) -> tuple[str | None, bool]:
    """(canonical path or None, whether the name looked like one of the package's)."""
    name = target.lstrip("~.")
    candidates = []
    scope = obj
    while scope is not None:
        candidates.append(f"{scope.path}.{name}")
        scope = scope.parent
    candidates += [name, f"{PACKAGE}.{name}"]
    for path in candidates:
        found = _lookup(pkg, path)
        if found is not None:
            return found.path, True
    if name.startswith(PACKAGE + ".") or name == PACKAGE:
        return None, True
    if "." in name:
        return None, False  # another package's object (numpy, graphviz, ...)
    try:  # a bare module name such as ``ast`` or ``numpy``
        external = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        external = False
    return None, not external


def _public(path: str) -> bool:
    return all(not part.startswith("_") for part in path.split("."))


def _inline(text: str, obj: Any, pkg: griffe.Module) -> str:
    """Rewrite the roles of one line (outside inline code written with double backticks)."""

    def role(m: re.Match) -> str:
        kind, target = m.group(1), m.group(2).strip()
        if kind == "math":
            return f"${target}$"
        shown = target.lstrip("~")
        if target.startswith("~"):
            shown = shown.rsplit(".", 1)[-1]
        shown = shown.lstrip(".")
        if kind in ("func", "meth") and not shown.endswith(")"):
            shown += "()"
        code = f"<code>{html.escape(shown)}</code>"
        path, ours = _resolve(target, obj, pkg)
        if path is None:
            if ours:
                _log.info("griffe_rst: unresolved reference :%s:`%s` in %s", kind, target, obj.path)
            return code
        if not _public(path):
            return code
        return f'<autoref identifier="{html.escape(path)}" optional>{code}</autoref>'

    # Leave ``literal`` spans alone: split on them and only touch the text between.
    parts = re.split(r"(``.+?``)", text)
    return "".join(p if p.startswith("``") else _ROLE.sub(role, p) for p in parts)


# ------------------------------------------------------------------ blocks


def _language(lines: list[str]) -> str:
    body = textwrap.dedent("\n".join(lines))
    if any(line.lstrip().startswith(">>>") for line in lines):
        return "pycon"
    try:
        ast.parse(body)
    except SyntaxError:
        return "text"
    return "python"


def _fenced(lines: list[str], indent: int) -> list[str]:
    while lines and _blank(lines[-1]):
        lines = lines[:-1]
    body = textwrap.dedent("\n".join(lines)).split("\n")
    pad = " " * indent
    return [f"{pad}```{_language(lines)}", *(pad + b if b else "" for b in body), f"{pad}```"]


def _table(lines: list[str], obj: Any, pkg: griffe.Module, header: bool = True) -> list[str]:
    """A reST simple table as a pipe table (a two-column one without a header: a list)."""
    border = lines[0].rstrip()
    spans = [(m.start(), m.end()) for m in re.finditer(r"=+", border)]

    def cells(line: str) -> list[str]:
        out = []
        for k, (a, _b) in enumerate(spans):
            end = spans[k + 1][0] if k + 1 < len(spans) else len(line)
            out.append(_inline(line[a:end].strip(), obj, pkg))
        return out

    rows: list[list[str]] = []
    head: list[str] | None = None
    borders = 0
    for line in lines:
        if _TABLE_BORDER.match(line):
            borders += 1
            continue
        if _blank(line):
            continue
        c = cells(line)
        if header and borders == 1:  # header rows (continued lines join)
            head = c if head is None else [f"{h} {x}".strip() for h, x in zip(head, c)]
        elif rows and not c[0]:  # a continuation line: first column empty
            rows[-1] = [f"{r} {x}".strip() for r, x in zip(rows[-1], c)]
        else:
            rows.append(c)
    if head is None and len(spans) == 2:
        return [f"- {r[0]}: {r[1]}" if r[1] else f"- {r[0]}" for r in rows]
    if head is None:
        head = [""] * len(spans)

    def fmt(c: list[str]) -> str:
        return "| " + " | ".join(x.replace("|", "\\|") for x in c) + " |"

    return [fmt(head), "|" + "---|" * len(spans), *(fmt(r) for r in rows)]


_LIST_MARKER = re.compile(r"^((?:[-*+]|\d+[.)])\s+)\S")


def _indent_lists(lines: list[str]) -> list[str]:
    """Indent the continuation lines of top-level list items to four spaces.

    reStructuredText (and CommonMark) continue a list item at the width of its marker
    (three spaces after ``1. ``, two after ``- ``); Python-Markdown needs four for anything
    after a blank line, such as a second paragraph or a formula.
    """
    out: list[str] = []
    extra = 0
    section = False
    for line in lines:
        if _SECTION.match(line):
            section, extra = True, 0
        elif line.strip() and _indent(line) == 0:
            section = False
            m = _LIST_MARKER.match(line)
            extra = max(0, 4 - len(m.group(1))) if m else 0
            out.append(line)
            continue
        if extra and not section and line.strip():
            line = " " * extra + line
        out.append(line)
    return out


def convert(text: str, obj: Any, pkg: griffe.Module) -> str:
    """The Markdown reading of one docstring."""
    lines = _indent_lists(text.split("\n"))
    out: list[str] = []
    i, n = 0, len(lines)
    section: str | None = None
    item_indent = 4
    deflist_end = -1

    def block_end(start: int, deeper_than: int) -> int:
        """Index after the block of lines indented more than ``deeper_than`` (blank lines inside)."""
        j = start
        while j < n and (_blank(lines[j]) or _indent(lines[j]) > deeper_than):
            j += 1
        while j > start and _blank(lines[j - 1]):
            j -= 1
        return j

    while i < n:
        line = lines[i]
        stripped = line.strip()
        ind = _indent(line)

        # A fenced block written in Markdown already: copy it.
        if _FENCE.match(line):
            fence = _FENCE.match(line).group(1)
            out.append(line)
            i += 1
            while i < n and not lines[i].strip().startswith(fence):
                out.append(lines[i])
                i += 1
            if i < n:
                out.append(lines[i])
                i += 1
            continue

        # Google sections: inline rewrites only, plus one entry per parameter name.
        if ind == 0 and _SECTION.match(line):
            section = _SECTION.match(line).group(1)
            item_indent = next((_indent(x) for x in lines[i + 1:] if x.strip()), 4)
            out.append(line)
            i += 1
            continue
        if section is not None and ind == 0 and stripped:
            section = None
        if section is not None:
            if stripped == ".. math::" or stripped.startswith(".. math:: "):
                j = block_end(i + 1, ind)
                body = [x for x in textwrap.dedent("\n".join(lines[i + 1:j])).split("\n")]
                pad = " " * ind
                first = stripped[len(".. math::"):].strip()
                out += [f"{pad}$$", *([pad + first] if first else []), *(pad + b for b in body if b.strip()),
                        f"{pad}$$"]
                i = j
                continue
            m = _GROUPED_PARAM.match(line) if section in _PARAM_SECTIONS and ind == item_indent else None
            if m:
                j = block_end(i + 1, _indent(line))
                rest = [_inline(x, obj, pkg) for x in lines[i + 1:j]]
                for name in re.split(r"\s*,\s*", m.group(2)):
                    out.append(f"{m.group(1)}{name}{m.group(3) or ''}:{_inline(m.group(4), obj, pkg)}")
                    out += rest
                i = j
                continue
            out.append(_inline(line, obj, pkg))
            i += 1
            continue

        # .. math:: directive
        if stripped == ".. math::" or stripped.startswith(".. math:: "):
            first = stripped[len(".. math::"):].strip()
            j = block_end(i + 1, ind)
            body = textwrap.dedent("\n".join(lines[i + 1:j])).split("\n")
            pad = " " * ind
            if out and out[-1].strip():
                out.append("")
            out += [f"{pad}$$", *([pad + first] if first else []), *(pad + b for b in body if b.strip()),
                    f"{pad}$$", ""]
            i = j
            continue

        # A simple table: border, header, border, rows, border.
        if _TABLE_BORDER.match(line):
            # border, header, border, rows, border -- or, without a header, border, rows, border
            j, borders = i, []
            while j < n and not _blank(lines[j]) and len(borders) < 3:
                if _TABLE_BORDER.match(lines[j]):
                    borders.append(j)
                j += 1
            if len(borders) == 2 and j - i > 2:
                j = borders[1] + 1
            if len(borders) >= 2:
                if out and not _blank(out[-1]):
                    out.append("")
                out += _table([x[ind:] if len(x) >= ind else x for x in lines[i:j]], obj, pkg,
                              header=len(borders) == 3)
                out.append("")
                i = j
                continue

        # A heading: title, then an underline at least as long.
        if (stripped and i + 1 < n and _UNDERLINE.match(lines[i + 1])
                and len(lines[i + 1].strip()) >= len(stripped) and not _TABLE_BORDER.match(line)):
            out += [f"**{_inline(stripped, obj, pkg)}**", ""]
            i += 2
            deflist_end = i  # a definition list may start right below a heading
            continue

        # A literal block announced with "::".
        if stripped.endswith("::") and not stripped.startswith(".."):
            text_part = line.rstrip()[:-2].rstrip()
            if text_part.strip():
                out.append(_inline(text_part + ":", obj, pkg))
            j = i + 1
            while j < n and _blank(lines[j]):
                j += 1
            if j < n and _indent(lines[j]) > ind:
                k = block_end(j, ind)
                out.append("")
                out += _fenced(lines[j:k], ind)
                i = k
                continue
            i += 1
            continue

        # An indented block after a blank line, below a top-level paragraph: code.
        if (stripped and ind >= 4 and i > 0 and _blank(lines[i - 1])):
            prev = next((x for x in reversed(lines[:i]) if x.strip()), "")
            if _indent(prev) == 0 and not _LIST_ITEM.match(prev):
                k = block_end(i, 3)
                out += _fenced(lines[i:k], 0)
                i = k
                continue

        # A definition list: a term at indent 0, its definition indented right below.
        if (ind == 0 and stripped and i + 1 < n and _indent(lines[i + 1]) >= 4 and lines[i + 1].strip()
                and not _LIST_ITEM.match(line) and not stripped.endswith(":")
                and (i == 0 or _blank(lines[i - 1]) or i == deflist_end)):
            k = block_end(i + 1, 3)
            if out and not _blank(out[-1]):
                out.append("")
            out.append(_inline(line, obj, pkg))
            body = textwrap.dedent("\n".join(lines[i + 1:k])).split("\n")
            out.append(":   " + _inline(body[0], obj, pkg))
            out += [("    " + _inline(b, obj, pkg)) if b.strip() else "" for b in body[1:]]
            out.append("")
            i = deflist_end = k
            continue

        out.append(_inline(line, obj, pkg))
        i += 1
    return "\n".join(out)


def _objects(obj: Any):
    yield obj
    for member in obj.members.values():
        if getattr(member, "is_alias", False):
            continue
        yield from _objects(member)


class RstToMarkdown(griffe.Extension):
    """Rewrite the docstrings of the package once it is loaded (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = convert(obj.docstring.value, obj, pkg)
