"""MkDocs hook: the API reference pages, one line each in the nav of mkdocs.yml.

A nav entry ``api/lab/probe.md`` with no file behind it becomes the page of the module
``tinygrad_init.lab.probe`` (``api/cli.md``: the package ``tinygrad_init.cli``); a page written
by hand (``docs/api/exercises.md``) is used as it is. A missing module stops the build.
``tests/test_docs.py`` checks that every module has its line.
"""

from __future__ import annotations

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
        files.append(File.generated(config, uri, content=f"# `{module}`\n\n::: {module}\n"))
    return files
