"""Griffe extension: a constant's `#:` comment is its docstring on the API pages.

The package documents its constants as Sphinx does, with `#:` lines right above the assignment
(`#: The choices of the page ...` over `GRID = ...`); griffe reads only a string after it, so without
this `GRID`, `OPS` or `EXERCISES` were left out of their pages. Loaded by mkdocs.yml
(`extensions:` of the Python handler).
"""

from __future__ import annotations

from typing import Any

from griffe import Attribute, Docstring, Extension


def comment_above(lines: list[str], lineno: int) -> str:
    """The `#:` lines right above line `lineno` (1-based) of `lines`, without their markers, or ``""``."""
    found: list[str] = []
    for line in reversed(lines[:lineno - 1]):
        if not line.strip().startswith("#:"):
            break
        found.insert(0, line.strip()[2:].strip())
    return "\n".join(found)


class CommentDocstrings(Extension):
    def on_attribute_instance(self, *, attr: Attribute, **kwargs: Any) -> None:
        if attr.docstring is None and attr.lineno and (text := comment_above(attr.lines_collection[attr.filepath],
                                                                                attr.lineno)):
            attr.docstring = Docstring(text, lineno=attr.lineno - 1, parent=attr)
