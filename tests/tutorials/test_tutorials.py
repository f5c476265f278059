"""The tutorial notebooks in tutorials/.

- Every notebook runs top to bottom in a fresh kernel of the interpreter running the tests,
  in a temporary folder (so the files the notebooks write stay out of the repository),
  without a single cell error, and shows its figures.
- The committed ``.ipynb`` files are exactly what ``tutorials/_build.py`` builds from its
  text: no outputs, no execution counts, no widget state (``python tutorials/_build.py``
  rewrites them after an edit).
- Every grader command in a notebook names an exercise of the catalog, and the README lists
  every notebook.

Running a notebook takes a few seconds to a quarter of a minute; each is its own test (marked
``slow``, and ``graphviz`` when it draws graphs), so they can run in parallel. Locally they
are skipped when nbclient, ipykernel or the Graphviz ``dot`` program is missing; under
CI=true that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import sys
import types
from pathlib import Path

import pytest

from conftest import require_module

REPO = Path(__file__).resolve().parents[2]
TUTORIALS = REPO / "tutorials"

#: How long one cell may run before the test fails (the slowest cell takes about 20 s here).
CELL_TIMEOUT = 240


def _load_builder() -> types.ModuleType:
    """tutorials/_build.py as a module (executed from source: no __pycache__ in tutorials/)."""
    path = TUTORIALS / "_build.py"
    module = types.ModuleType("tutorials_build")
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


def _notebook_names() -> list[str]:
    # Read the names without importing nbformat, so that collection works without it.
    text = (TUTORIALS / "_build.py").read_text(encoding="utf-8")
    return re.findall(r'^NOTEBOOKS\["([^"]+)"\]', text, flags=re.MULTILINE)


NAMES = _notebook_names()


def _needs_graphviz(name: str) -> bool:
    """Whether the notebook renders graphs (draw.*, player.*), which needs the `dot` program."""
    text = (TUTORIALS / f"{name}.ipynb").read_text(encoding="utf-8")
    return bool(re.search(r"\b(draw|player)\.\w+\(", text))


RUNS = [pytest.param(n, marks=[pytest.mark.graphviz] if _needs_graphviz(n) else [], id=n) for n in NAMES]


def test_there_are_eight_notebooks_in_order():
    assert NAMES == sorted(NAMES)
    assert [n[:3] for n in NAMES] == [f"{i:02d}_" for i in range(1, 9)]
    on_disk = sorted(p.stem for p in TUTORIALS.glob("*.ipynb"))
    assert on_disk == NAMES, "tutorials/ holds notebooks the builder does not know, or misses some"


def test_readme_lists_every_notebook():
    readme = (TUTORIALS / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"{name}.ipynb" in readme, f"tutorials/README.md does not mention {name}.ipynb"


def test_builder_reproduces_the_committed_notebooks():
    require_module("nbformat")
    build = _load_builder()
    for name in NAMES:
        committed = (TUTORIALS / f"{name}.ipynb").read_bytes()
        assert build.build(name).encode("utf-8") == committed, (
            f"tutorials/{name}.ipynb differs from what tutorials/_build.py builds; "
            "edit the text in _build.py and run `python tutorials/_build.py`")


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_stripped(name):
    nb = json.loads((TUTORIALS / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    assert set(nb["metadata"]) == {"kernelspec", "language_info"}, "no widget state or other metadata"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds[0] == "markdown" and "code" in kinds
    ids = [c["id"] for c in nb["cells"]]
    assert len(set(ids)) == len(ids)
    for cell in nb["cells"]:
        assert cell["metadata"] == {}
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"cell {cell['id']} has outputs"
        else:
            assert "outputs" not in cell and "attachments" not in cell


def test_source_cells_are_well_formed():
    require_module("nbformat")
    build = _load_builder()
    for name in NAMES:
        cells = build.parse(build.NOTEBOOKS[name], name)
        for kind, source in cells:
            assert source == source.strip("\n") and source.strip()
            if kind == "code":
                compile("\n".join(l for l in source.splitlines() if not l.startswith("%")), name, "exec")
        markdown = "\n".join(src for kind, src in cells if kind == "markdown")
        assert markdown.count("$") % 2 == 0, f"{name}: an unbalanced $ in the markdown"
        assert "## Exercises" in markdown, f"{name} has no exercises section"
        assert "tinygrad-init exercises start my_exercises" in markdown


def test_grader_commands_name_real_exercises():
    from tinygrad_init.exercises import catalog

    require_module("nbformat")
    build = _load_builder()
    named = set()
    for name in NAMES:
        for match in re.finditer(r"tinygrad-init exercises grade my_exercises(?: (\w+))?", build.NOTEBOOKS[name]):
            if match.group(1):
                catalog.get(match.group(1))  # KeyError names the known exercises
                named.add(match.group(1))
        assert "tinygrad-init exercises grade my_exercises" in build.NOTEBOOKS[name]
    assert named == {ex.name for ex in catalog.EXERCISES}, "every exercise belongs to some tutorial"


def _kernel_dir(tmp_path: Path) -> Path:
    """A Jupyter data folder whose ``python3`` kernel is exactly this interpreter."""
    from ipykernel.kernelspec import write_kernel_spec

    share = tmp_path / "jupyter"
    write_kernel_spec(share / "kernels" / "python3")
    spec = json.loads((share / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    return share


@pytest.mark.slow
@pytest.mark.parametrize("name", RUNS)
def test_notebook_runs_top_to_bottom(name, tmp_path, monkeypatch):
    nbformat = require_module("nbformat")
    nbclient = require_module("nbclient")
    require_module("ipykernel")
    from nbclient.exceptions import CellExecutionError

    # JUPYTER_PATH is searched first, so the kernel "python3" is this interpreter even when
    # the user has a kernel of that name of their own.
    monkeypatch.setenv("JUPYTER_PATH", str(_kernel_dir(tmp_path)))
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p.name for p in TUTORIALS.iterdir())
    nb = nbformat.read(TUTORIALS / f"{name}.ipynb", as_version=4)
    # One extra cell, in memory only: which interpreter runs the kernel.
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in [env.get("PYTHONPATH", "")] if p])
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(work)}})
    failure = None
    try:
        client.execute(env=env)
    except CellExecutionError as e:
        failure = re.sub(r"\x1b\[[0-9;]*m", "", str(e))  # the cell, its output, the traceback; no colours
    if failure is not None:
        pytest.fail(f"tutorials/{name}.ipynb: a cell failed:\n{failure}", pytrace=False)

    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", f"{name}: cell {cell.get('id')} raised {out.get('ename')}"
    printed = "".join(o.get("text", "") for o in code[-1].outputs if o.output_type == "stream").strip()
    assert os.path.realpath(printed) == os.path.realpath(sys.executable), \
        f"the kernel ran {printed!r}, not the interpreter of the tests {sys.executable!r}"
    images = [o for c in code for o in c.outputs
              if o.output_type in ("display_data", "execute_result")
              and any(k in o.get("data", {}) for k in ("image/png", "image/svg+xml"))]
    assert images, f"{name}: no figure or graph was shown"
    assert sorted(p.name for p in TUTORIALS.iterdir()) == before, "the notebook wrote a file into tutorials/"
