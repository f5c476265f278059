"""MkDocs hook: the API reference pages, one line each in the nav of mkdocs.yml.

A nav entry ``api/lab/probe.md`` with no file behind it becomes the page of the module
``tinygrad_init.lab.probe`` (``api/cli.md``: the package ``tinygrad_init.cli``); a page written
by hand (``docs/api/exercises.md``) is used as it is. A missing module stops the build.
``tests/test_docs.py`` checks that every module has its line.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

PACKAGE = "tinygrad_init"


def nav_pages(nav: Any) -> list[str]:
    """Every page path of a nav (nested lists and dicts), in order."""
    if isinstance(nav, str):
        return [nav]
    items = nav.values() if isinstance(nav, dict) else nav or []
    return [page for item in items for page in nav_pages(item)]


def module_of(uri: str) -> str:
    """``api/lab/probe.md`` -> ``tinygrad_init.lab.probe``."""
    return ".".join([PACKAGE, *uri[len("api/"):-len(".md")].split("/")])


def members_option(path: Path) -> str:
    """The `members` option of a module's page, the names of its `__all__` (read from its source, in that order), or
    nothing for a module without one: the page shows what the module exports and nothing else, a constant without a
    docstring too (the `filters` of mkdocs.yml go on hiding a class's `_` names)."""
    source = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and "__all__" in ast.unparse(node).split("=")[0]:
            return f"    options:\n      members: {json.dumps(ast.literal_eval(node.value))}\n"
    return ""


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    root = Path(config.config_file_path).parent
    for uri in nav_pages(config.nav):
        if not uri.startswith("api/") or uri == "api/index.md" or files.get_file_from_path(uri):
            continue
        module = module_of(uri)
        path = root / module.replace(".", "/")
        if not (path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()):
            raise PluginError(f"mkdocs.yml lists the API page {uri}, but there is no module {module}: "
                              f"remove the entry, or add the module")
        files.append(File.generated(config, uri, content=f"# `{module}`\n\n::: {module}\n{members_option(path)}"))
    return files
