"""MkDocs hook: each tutorial notebook ``tutorials/NN_name.ipynb`` becomes the page ``tutorials/NN_name/``.

nbconvert's ``MarkdownExporter`` turns a notebook into Markdown (its images into files beside
the page), which the site then renders like any page: formulas as MathML, links checked.
The pages are added to the nav section "Tutorials", after ``docs/tutorials/index.md``; the
notebook itself is published beside its page, for download.

The notebooks are committed without outputs, so each is run for the site (nbclient, kernel
``python3``, the repository on ``PYTHONPATH``) in an empty folder whose new files are published
beside the page, where the HTML player's ``<iframe>`` looks. A cell error is a warning, so a
strict build fails. ``TINYGRAD_INIT_DOCS_EXECUTE=0`` shows them unrun (what the tests do).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import os
import re
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

_log = logging.getLogger("mkdocs.hooks.notebooks")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Executed notebooks by content, for `mkdocs serve`, which loads this hook afresh on every rebuild.
_CACHE: dict[str, tuple[str, dict[str, bytes]]] = sys.modules.setdefault(
    "_tinygrad_init_notebook_pages", types.ModuleType("cache")).__dict__.setdefault("pages", {})


def notebooks(config: Any) -> list[Path]:
    return sorted((Path(config.config_file_path).resolve().parent / "tutorials").glob("[0-9]*.ipynb"))


def run(nb: Any, root: Path) -> dict[str, bytes]:
    """Execute ``nb`` in place in an empty folder; return the files it wrote there (name -> bytes)."""
    import nbclient

    with tempfile.TemporaryDirectory(prefix="tinygrad-init-docs-") as work:
        env = {**os.environ, "MPLBACKEND": "Agg",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        # ipykernel 7 warns on every start that its local TCP channel is unencrypted: not the build's news
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": work}},
                                extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute(env=env)
        return {p.relative_to(work).as_posix(): p.read_bytes() for p in sorted(Path(work).rglob("*")) if p.is_file()}


def render(path: Path, execute: bool, root: Path) -> tuple[str, dict[str, bytes]]:
    """The page of one notebook (Markdown) and the files beside it (uri relative to the page's folder -> bytes)."""
    import nbformat
    from nbconvert import MarkdownExporter

    nb = nbformat.read(path, as_version=4)
    nb.metadata.setdefault("language_info", {"name": "python"})  # the code blocks' language
    written = run(nb, root) if execute else {}
    markdown, resources = MarkdownExporter().from_notebook_node(
        nb, resources={"output_files_dir": f"{path.stem}_files"})
    # links into the repository's docs/ point to the site's pages, links to a notebook to its page
    markdown = re.sub(r"\]\(\.\./docs/", "](../", markdown)
    markdown = re.sub(r"\]\((\d\d_\w+)\.ipynb([#)])", r"](\1.md\2", markdown)
    state = "run when this site was built" if execute else "as stored, without outputs"
    note = (f'!!! note "A notebook"\n    This page is the notebook `tutorials/{path.name}`, {state}. '
            f'[Download it]({path.name}) and run it with Jupyter (`pip install -e ".[notebooks]" jupyterlab`).\n')
    title, _, rest = markdown.partition("\n")
    files = dict(resources.get("outputs", {}))
    files.update({f"{path.stem}/{name}": data for name, data in written.items()})  # beside the page's URL
    return f"{title}\n\n{note}\n{_ANSI.sub('', rest)}", files


def _render(path: Path, execute: bool, root: Path) -> tuple[str, dict[str, bytes]] | Exception:
    key = f"{hashlib.sha256(path.read_bytes()).hexdigest()} {execute}"
    if key not in _CACHE:
        try:
            _CACHE[key] = render(path, execute, root)
        except Exception as exc:  # a cell error (CellExecutionError: its ename, evalue) or an unreadable notebook
            last = (str(exc).strip().splitlines() or [""])[-1]
            text = f"{exc.ename}: {exc.evalue}" if hasattr(exc, "ename") else last
            return RuntimeError(_ANSI.sub("", text) or type(exc).__name__)
    return _CACHE[key]


def on_config(config: Any, **kwargs: Any) -> Any:
    nav = config.nav or []
    section = next((item["Tutorials"] for item in nav if isinstance(item, dict) and "Tutorials" in item), None)
    if section is not None:
        section += [f"tutorials/{p.stem}.md" for p in notebooks(config) if f"tutorials/{p.stem}.md" not in section]
    return config


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    root = Path(config.config_file_path).resolve().parent
    execute = os.environ.get("TINYGRAD_INIT_DOCS_EXECUTE", "1") != "0"
    paths = notebooks(config)
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        pages = dict(zip(paths, pool.map(lambda p: _render(p, execute, root), paths)))
    for path, page in pages.items():
        if isinstance(page, Exception):
            _log.warning("notebooks: %s cannot be shown: %s", path.name, page)
            continue
        markdown, extra = page
        files.append(File.generated(config, f"tutorials/{path.stem}.md", content=markdown))
        files.append(File.generated(config, f"tutorials/{path.name}", content=path.read_bytes()))
        for uri, data in extra.items():
            files.append(File.generated(config, f"tutorials/{uri}", content=data))
    return files
