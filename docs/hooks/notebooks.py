"""MkDocs hook: render the tutorial notebooks (``tutorials/*.ipynb``) as pages of the site.

Every notebook in the repository's ``tutorials/`` folder becomes the page
``tutorials/<name>/`` of the site, listed under "Tutorials" in the navigation after
``docs/tutorials/index.md``; nothing has to be added to ``mkdocs.yml``. With no notebook
present the section holds the index alone.

What a page shows:

- markdown cells as they are (``$...$`` math included);
- code cells as Python code blocks, followed by their outputs (see below): text (streams,
  ``text/plain``), HTML (tables), images (PNG, JPEG, SVG, written next to the page) and
  errors (tracebacks, without colour codes). Cells tagged ``remove-cell``,
  ``remove-input`` or ``remove-output`` lose what the tag says;
- a note with a link to download the notebook itself.

Links from one notebook to another (``02_backprop_chain.ipynb``) point to its page, and links
into ``../docs/`` point to the page of the site.

Outputs. The notebooks are kept without outputs (``tutorials/_build.py`` writes them so),
so by default a notebook without any stored output is run top to bottom during the build:
with ``nbclient`` and the ``python3`` kernel, in a temporary copy of its folder, with the
repository on ``PYTHONPATH``, as many at a time as there are cores (up to 4). Files it
writes there (an HTML player, a picture) are published beside its page. A notebook that
fails is a warning naming the cell's error, and is shown without outputs.
``TINYGRAD_INIT_DOCS_EXECUTE`` chooses: ``auto`` (the default, as just said), ``1`` (run
every notebook, ignoring stored outputs) or ``0`` (never run; show what is stored).
Results are cached per notebook content, so ``mkdocs serve`` runs a notebook again only
when it changes. ``TINYGRAD_INIT_TUTORIALS=DIR`` reads the notebooks from ``DIR`` instead
of ``tutorials/`` (the docs tests use it to build with notebooks made on the fly).

The tutorials index (``docs/tutorials/index.md``) marks each planned tutorial with
``<!--tutorial:NN-->Title``; the hook turns it into a link to the notebook whose name
starts with ``NN_`` once there is one, and adds any other notebook at the end.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

_log = logging.getLogger("mkdocs.hooks.notebooks")

SECTION = "Tutorials"  # the nav section the pages are added to
PAGE_DIR = "tutorials"  # where the pages go, inside the site
INDEX = f"{PAGE_DIR}/index.md"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_MARKER = re.compile(r"<!--tutorial:(\d+)-->([^|\n]*?)(?=\s*(\||$))", re.M)
_IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}

# Filled by on_config: notebook path -> (page uri, title).
_NOTEBOOKS: dict[Path, tuple[str, str]] = {}


# ------------------------------------------------------------------ finding notebooks


def notebook_dir(config: Any) -> Path:
    override = os.environ.get("TINYGRAD_INIT_TUTORIALS")
    if override:
        return Path(override).resolve()
    return Path(config.config_file_path).resolve().parent / "tutorials"


def find_notebooks(folder: Path) -> list[Path]:
    """The notebooks of ``folder`` in name order (checkpoints and hidden files left out)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith((".", "_")))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def read_notebook(path: Path) -> dict:
    """The notebook as a dict (nbformat 4), or a ValueError naming the file."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable notebook: {exc}") from exc
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat", 0) < 4:
        raise ValueError(f"{path}: not a notebook in nbformat 4 (open and save it with Jupyter to upgrade)")
    return nb


def title_of(nb: dict, path: Path) -> str:
    """The first level-1 heading of the notebook, or a title made from the file name."""
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                m = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
                if m:
                    return m.group(1).strip()
    stem = re.sub(r"^\d+[_-]", "", path.stem)
    return stem.replace("_", " ").replace("-", " ").capitalize()


# Executed notebooks by content hash. mkdocs serve loads this hook afresh on every rebuild,
# so the cache lives in a module of its own that stays in sys.modules.
_CACHE: dict[str, tuple[dict, dict[str, bytes]]] = sys.modules.setdefault(
    "_tinygrad_init_docs_notebook_cache", types.ModuleType("_tinygrad_init_docs_notebook_cache")
).__dict__.setdefault("results", {})


def has_outputs(nb: dict) -> bool:
    return any(cell.get("outputs") for cell in nb["cells"] if cell.get("cell_type") == "code")


def execute(nb: dict, path: Path, root: Path) -> tuple[dict, dict[str, bytes]]:
    """Run ``nb`` top to bottom in a temporary copy of its folder.

    Returns the executed notebook and the files it created there (path relative to the
    folder -> bytes). Raises RuntimeError naming the failing cell's error.
    """
    key = hashlib.sha256(json.dumps(nb, sort_keys=True).encode()).hexdigest()
    if key in _CACHE:
        return _CACHE[key]
    import nbclient
    import nbformat
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix="tinygrad-init-docs-") as tmp:
        work = Path(tmp) / path.parent.name
        shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        before = {p: p.stat().st_mtime_ns for p in work.rglob("*") if p.is_file()}
        node = nbformat.reads(json.dumps(nb), as_version=4)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(root), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
        try:
            nbclient.NotebookClient(node, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(work)}}).execute(env=env)
        except CellExecutionError as exc:
            name = getattr(exc, "ename", "") or "error"
            value = getattr(exc, "evalue", "") or str(exc).strip().splitlines()[-1]
            raise RuntimeError(f"a cell raised {_ANSI.sub('', name)}: {_ANSI.sub('', value)}") from None
        created = {p.relative_to(work).as_posix(): p.read_bytes()  # new, or written again
                   for p in sorted(work.rglob("*")) if p.is_file() and before.get(p) != p.stat().st_mtime_ns}
    result = (json.loads(nbformat.writes(node)), created)
    _CACHE[key] = result
    return result


# ------------------------------------------------------------------ notebook -> markdown


def _fence(text: str, lang: str = "text") -> list[str]:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return [f"{ticks}{lang}", text.rstrip("\n"), ticks, ""]


def _rewrite_links(md: str, stems: set[str]) -> str:
    def link(m: re.Match) -> str:
        target, anchor = m.group(2), m.group(3) or ""
        if target.startswith("../docs/"):
            return f"{m.group(1)}(../{target[len('../docs/'):]}{anchor})"
        if target.endswith(".ipynb") and target[:-6] in stems:
            return f"{m.group(1)}({target[:-6]}.md{anchor})"
        return m.group(0)

    return re.sub(r"(\]\s*)\(([^)#\s]+)(#[^)\s]*)?\)", link, md)


def convert(nb: dict, stem: str, stems: set[str] = frozenset(), executed: bool = False
            ) -> tuple[str, dict[str, bytes]]:
    """Markdown for one notebook, and the files its outputs need (relative uri -> bytes).

    The images go to ``<stem>_files/`` beside the page. ``executed`` says whether the
    outputs were computed by this build (the note at the top says so).
    """
    lines: list[str] = []
    files: dict[str, bytes] = {}
    outputs = "run when this site was built" if executed else "with the outputs stored in it"
    download = (f'!!! note "A notebook"\n    This page is the notebook `tutorials/{stem}.ipynb`, {outputs}. '
                f"[Download it]({stem}.ipynb) and run it yourself with Jupyter "
                "(`pip install -e \".[notebooks]\"` installs what it needs).\n")
    noted = False

    def add_note() -> None:
        nonlocal noted
        if not noted:
            lines.extend(["", download])
            noted = True

    for number, cell in enumerate(nb["cells"]):
        kind = cell.get("cell_type")
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        if kind == "markdown":
            md = _rewrite_links(_source(cell), stems)
            for name, data in (cell.get("attachments") or {}).items():
                for mime in _IMAGE_TYPES:
                    if mime in data:
                        safe = re.sub(r"[^\w.-]", "_", name)
                        uri = f"{stem}_files/attachment_{number}_{safe}"
                        files[uri] = _decode(data[mime], mime)
                        md = md.replace(f"attachment:{name}", uri)
                        break
            lines += [md.rstrip("\n"), ""]
            if not noted and re.match(r"^\s*#\s", md):
                add_note()
            continue
        add_note()
        if kind != "code":
            continue  # raw cells are not shown
        if "remove-input" not in tags and _source(cell).strip():
            lines += _fence(_source(cell), "python")
        if "remove-output" in tags:
            continue
        lines += _outputs(cell.get("outputs", []), stem, number, files)
    add_note()
    return "\n".join(lines).rstrip("\n") + "\n", files


def _decode(data: Any, mime: str) -> bytes:
    text = _text(data)
    if mime == "image/svg+xml":
        return text.encode("utf-8")
    return base64.b64decode(text)


def _outputs(outputs: list, stem: str, number: int, files: dict[str, bytes]) -> list[str]:
    lines: list[str] = []
    streams: list[str] = []

    def flush() -> None:
        if streams:
            lines.extend(_fence(_ANSI.sub("", "".join(streams))))
            streams.clear()

    for k, out in enumerate(outputs):
        kind = out.get("output_type")
        if kind == "stream":
            streams.append(_text(out.get("text", "")))
            continue
        flush()
        if kind == "error":
            lines += _fence(_ANSI.sub("", "\n".join(out.get("traceback", [])))
                            or f"{out.get('ename')}: {out.get('evalue')}")
            continue
        data = out.get("data", {})
        image = next((m for m in _IMAGE_TYPES if m in data), None)
        if image:
            uri = f"{stem}_files/cell{number}_output{k}.{_IMAGE_TYPES[image]}"
            files[uri] = _decode(data[image], image)
            lines += [f"![output of cell {number}]({uri})", ""]
        elif "text/html" in data:
            lines += ['<div class="nb-output" markdown="0">', _text(data["text/html"]).strip(), "</div>", ""]
        elif "text/markdown" in data:
            lines += [_text(data["text/markdown"]).strip(), ""]
        elif "text/plain" in data:
            lines += _fence(_ANSI.sub("", _text(data["text/plain"])))
    flush()
    return lines


# ------------------------------------------------------------------ the tutorials index


def render_index(markdown: str, pages: dict[str, tuple[str, str]]) -> str:
    """Link the planned tutorials that exist; list the other notebooks at the end.

    ``pages`` maps a notebook's stem to (page uri relative to the index, title).
    """
    by_number = {}
    for stem, page in pages.items():
        m = re.match(r"^(\d+)", stem)
        if m:
            by_number.setdefault(int(m.group(1)), (stem, page))
    used = set()

    def mark(m: re.Match) -> str:
        number, planned = int(m.group(1)), m.group(2).strip()
        if number in by_number:
            stem, (uri, title) = by_number[number]
            used.add(stem)
            return f"[{title}]({uri})"
        return f"{number}. {planned} *(not added yet)*"

    out = _MARKER.sub(mark, markdown)
    others = [(stem, page) for stem, page in pages.items() if stem not in used]
    if others:
        out = out.rstrip("\n") + "\n\n## More notebooks\n\n" + "\n".join(
            f"- [{title}]({uri}) (`tutorials/{stem}.ipynb`)" for stem, (uri, title) in others) + "\n"
    return out


# ------------------------------------------------------------------ mkdocs events


def _section(nav: list) -> list | None:
    for item in nav:
        if isinstance(item, dict) and SECTION in item and isinstance(item[SECTION], list):
            return item[SECTION]
    return None


def on_config(config: Any, **kwargs: Any) -> Any:
    _NOTEBOOKS.clear()
    found = find_notebooks(notebook_dir(config))
    docs = Path(config.docs_dir)
    for path in found:
        uri = f"{PAGE_DIR}/{path.stem}.md"
        if (docs / uri).exists():
            _log.warning("notebooks: docs/%s exists and would hide the notebook %s; rename one of them", uri, path)
            continue
        try:
            title = title_of(read_notebook(path), path)
        except ValueError as exc:
            _log.warning("notebooks: %s", exc)
            continue
        _NOTEBOOKS[path] = (uri, title)
    if _NOTEBOOKS and config.nav is not None:
        section = _section(config.nav)
        if section is None:
            _log.warning("notebooks: mkdocs.yml has no nav section %r to list the tutorials in", SECTION)
        else:
            listed = {v for item in section for v in (item.values() if isinstance(item, dict) else [item])}
            section += [{title: uri} for uri, title in _NOTEBOOKS.values() if uri not in listed]
    return config


def _mode() -> str:
    mode = os.environ.get("TINYGRAD_INIT_DOCS_EXECUTE", "auto").strip().lower() or "auto"
    if mode not in ("auto", "0", "1"):
        _log.warning("notebooks: TINYGRAD_INIT_DOCS_EXECUTE=%r is not one of auto, 0, 1; using auto", mode)
        mode = "auto"
    return mode


def _run_all(jobs: dict[Path, dict], root: Path) -> dict[Path, tuple[dict, dict[str, bytes]] | Exception]:
    """Execute the notebooks of ``jobs`` (path -> notebook), one per core (at most 4 at a time)."""
    workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))
    results: dict[Path, Any] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(execute, nb, path, root): path for path, nb in jobs.items()}
        for future in concurrent.futures.as_completed(futures):
            path = futures[future]
            try:
                results[path] = future.result()
            except Exception as exc:  # the kernel's errors come in many types; reported by the caller
                results[path] = exc
    return results


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    stems = {p.stem for p in _NOTEBOOKS}
    mode = _mode()
    root = Path(config.config_file_path).resolve().parent
    notebooks: dict[Path, dict] = {}
    for path in _NOTEBOOKS:
        try:
            notebooks[path] = read_notebook(path)
        except ValueError as exc:
            _log.warning("notebooks: %s", exc)
    jobs = {p: nb for p, nb in notebooks.items() if mode == "1" or (mode == "auto" and not has_outputs(nb))}
    ran: dict[Path, Any] = {}
    if jobs:
        try:
            import nbclient  # noqa: F401  (only to know whether notebooks can run here)
        except ImportError as exc:
            _log.info("notebooks: shown without outputs, since notebooks cannot run here (%s; "
                      "pip install -e \".[notebooks]\")", exc)
        else:
            ran = _run_all(jobs, root)
    for path, nb in notebooks.items():
        uri = _NOTEBOOKS[path][0]
        created: dict[str, bytes] = {}
        executed = False
        outcome = ran.get(path)
        if isinstance(outcome, Exception):
            _log.warning("notebooks: running %s failed, so it is shown without outputs: %s", path.name, outcome)
        elif outcome is not None:
            (nb, created), executed = outcome, True
        try:
            markdown, extra = convert(nb, path.stem, stems, executed)
        except Exception as exc:  # a malformed notebook names itself; the build goes on
            _log.warning("notebooks: cannot render %s: %s", path, exc)
            continue
        files.append(File.generated(config, uri, content=markdown))
        files.append(File.generated(config, f"{PAGE_DIR}/{path.name}", content=path.read_bytes()))
        for rel, data in extra.items():
            files.append(File.generated(config, f"{PAGE_DIR}/{rel}", content=data))
        # Files the notebook wrote go where its HTML outputs (an iframe's src) look for them:
        # beside the page's URL.
        base = f"{PAGE_DIR}/{path.stem}/" if config.use_directory_urls else f"{PAGE_DIR}/"
        taken = {f.src_uri for f in files}
        for rel, data in created.items():
            if rel.endswith(".ipynb") or base + rel in taken:
                continue
            files.append(File.generated(config, base + rel, content=data))
    return files


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri != INDEX:
        return markdown
    pages = {p.stem: (f"{p.stem}.md", title) for p, (_uri, title) in _NOTEBOOKS.items()}
    return render_index(markdown, pages)


def on_serve(server: Any, config: Any, builder: Any, **kwargs: Any) -> Any:
    folder = notebook_dir(config)
    if folder.is_dir():
        server.watch(str(folder))
    return server
