"""MkDocs hook: keep the API reference and the package in step.

Every page ``docs/api/*.md`` documents modules with mkdocstrings lines such as
``::: tinygrad_init.value``. This hook checks, before anything is rendered, that

- every module named on a page exists -- otherwise the build stops with an error that
  names the page and the missing file (rather than a collection error from deep inside
  mkdocstrings);
- every public module of the package (``tinygrad_init/<name>.py`` or a subpackage) has
  a page -- otherwise a warning says which page to add, and ``mkdocs build --strict``
  fails;
- every API page is listed in the ``nav`` of ``mkdocs.yml`` (a warning otherwise).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

_log = logging.getLogger("mkdocs.hooks.api_pages")

PACKAGE = "tinygrad_init"
API_DIR = "api/"
LAYERS = ("core", "nn", "observe", "lab")
_DIRECTIVE = re.compile(r"^:::\s+([\w.]+)", re.M)


def public_modules(package_dir: Path) -> list[str]:
    """The dotted names of the package's public top-level modules and subpackages."""
    names = []
    for p in sorted(package_dir.iterdir()):
        if p.name.startswith("_"):
            continue
        if p.suffix == ".py":
            names.append(f"{PACKAGE}.{p.stem}")
        elif p.name in LAYERS:  # a layer folder: each of its modules has a page
            names += [f"{PACKAGE}.{p.name}.{q.stem}" for q in sorted(p.glob("*.py")) if not q.name.startswith("_")]
        elif (p / "__init__.py").exists():
            names.append(f"{PACKAGE}.{p.name}")
    return names


def missing_module(root: Path, identifier: str) -> str | None:
    """The file a page's ``identifier`` needs but the package lacks, or None if all is there.

    ``tinygrad_init.report`` needs ``tinygrad_init/report.py`` (or a ``report/``
    subpackage); ``tinygrad_init.nn.Linear`` needs ``tinygrad_init/nn.py``. A capitalised
    name right under the package (``tinygrad_init.Value``) is an object the package
    re-exports, not a module.
    """
    parts = identifier.split(".")
    base = root / parts[0]
    for name in parts[1:]:
        if (base / name / "__init__.py").exists():
            base = base / name
            continue
        if (base / f"{name}.py").exists():
            return None
        if name[:1].isupper():
            return None  # an object the package above re-exports
        rel = base.relative_to(root) / f"{name}.py"
        return rel.as_posix()
    return None


def _documented(files: Files) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in files.documentation_pages():
        if f.src_uri.startswith(API_DIR) and f.abs_src_path:
            text = Path(f.abs_src_path).read_text(encoding="utf-8")
            for m in _DIRECTIVE.finditer(text):
                out.setdefault(m.group(1), f.src_uri)
    return out


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    root = Path(config.config_file_path).resolve().parent
    documented = _documented(files)
    for identifier, uri in documented.items():
        if not identifier.startswith(PACKAGE):
            continue
        missing = missing_module(root, identifier)
        if missing is not None:
            raise PluginError(
                f"docs/{uri} documents {identifier}, but the package has no module {missing}: "
                f"add the module, or delete docs/{uri} and its entry in the nav of mkdocs.yml")
    for name in public_modules(root / PACKAGE):
        if name not in documented:
            short = name.rsplit(".", 1)[1]
            _log.warning(
                "api_pages: %s/%s has no API page: create docs/api/%s.md containing the line "
                "'::: %s' and add 'api/%s.md' to the API reference section of the nav in mkdocs.yml",
                PACKAGE, name.split(".", 1)[1].replace(".", "/"), short, name,
                short)
    return files


def _nav_pages(nav: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(nav, str):
        out.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            out |= _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            out |= _nav_pages(value)
    return out


def on_nav(nav: Any, config: Any, files: Files, **kwargs: Any) -> Any:
    if config.nav is None:
        return nav
    listed = _nav_pages(config.nav)
    for f in files.documentation_pages():
        if f.src_uri.startswith(API_DIR) and f.src_uri not in listed:
            _log.warning("api_pages: docs/%s is not in the nav of mkdocs.yml; add it to the API reference section",
                         f.src_uri)
    return nav
