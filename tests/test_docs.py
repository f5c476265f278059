"""The documentation site: it builds with ``mkdocs build --strict`` and says what it should.

One strict build of the real site (tutorials rendered from their stored text, not run:
``tests/test_tutorials.py`` runs them) is shared by most tests; one more build renders two
notebooks made on the fly, one with stored outputs and one that the build runs. Without the
documentation tools the tests are skipped, except under ``CI=true``, where they fail with
the command that installs them.

The ``>>>`` examples of the guide pages are run here too (doctest), so every number they
show is the number the code gives.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import in_ci

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS = DOCS / "hooks"
TOOLS = {"mkdocs": "mkdocs", "material": "mkdocs-material", "mkdocstrings": "mkdocstrings",
         "mkdocstrings_handlers": "mkdocstrings-python", "latex2mathml": "latex2mathml"}
INSTALL = 'pip install -e ".[docs]" (bash scripts/test.sh installs them with the test extra)'

#: The guide pages whose ``>>>`` examples are checked (the pages of others are tested by their owners).
EXAMPLE_PAGES = ["index.md", "getting-started.md", "concepts/chain-rule.md", "concepts/engines.md",
                 "concepts/initialization.md", "concepts/mean-field.md", "howto/sweep.md", "howto/gradcheck.md"]


def _require_tools() -> None:
    missing = [pkg for mod, pkg in TOOLS.items() if importlib.util.find_spec(mod) is None]
    if missing:
        msg = f"the documentation tools are missing ({', '.join(missing)}); install them: {INSTALL}"
        if in_ci():
            pytest.fail(f"{msg}. They are required under CI=true.", pytrace=False)
        pytest.skip(msg)


def _hook(name: str):
    """Import one of the docs/hooks modules by file."""
    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}", HOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(out: Path, **env: str) -> subprocess.CompletedProcess:
    _require_tools()
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TINYGRAD_INIT_DOCS_EXECUTE": "0", **env}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=600)
    log = proc.stdout + proc.stderr
    problems = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert proc.returncode == 0 and not problems, (
        "mkdocs build --strict failed (exit code %d):\n%s\n--- full log, last 60 lines ---\n%s"
        % (proc.returncode, "\n".join(problems), "\n".join(log.splitlines()[-60:])))
    return proc


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    _build(out)
    return out


def page(site: Path, uri: str) -> str:
    """The HTML of the page built from ``docs/<uri>`` (``concepts/chain-rule.md``)."""
    stem = uri[:-3]
    path = site / (stem[:-len("index")] if stem.endswith("index") else stem + "/") / "index.html"
    assert path.is_file(), f"the page {uri} was not built (no {path.relative_to(site)})"
    return path.read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# ------------------------------------------------------------------ the real site

CONTENT_PAGES = ["index.md", "getting-started.md", "concepts/chain-rule.md", "concepts/engines.md",
                 "concepts/initialization.md", "concepts/mean-field.md", "init_schemes.md",
                 "visible_backprop.md", "exercises.md", "howto/lecture-report.md", "howto/sweep.md",
                 "howto/gradcheck.md", "tutorials/index.md", "api/index.md"]


@pytest.mark.parametrize("uri", CONTENT_PAGES)
def test_page_is_built(site: Path, uri: str) -> None:
    html = page(site, uri)
    assert "<h1" in html, f"{uri} has no title"


def test_every_module_has_an_api_page_with_its_docstrings(site: Path) -> None:
    api_pages = _hook("api_pages")
    modules = api_pages.public_modules(ROOT / "tinygrad_init")
    assert {"tinygrad_init.core.value", "tinygrad_init.core.tensor", "tinygrad_init.nn.init"} <= set(modules)
    pages = {m.group(1): p.name for p in (DOCS / "api").glob("*.md")
             for m in re.finditer(r"^:::\s+([\w.]+)", p.read_text(encoding="utf-8"), re.M)}
    for module in modules:
        html = page(site, f"api/{pages[module]}")
        # mkdocstrings gives every documented object an anchor named by its path
        assert f'id="{module}.' in html, f"api/{short}.md shows no member of {module}"


def test_api_pages_show_the_functions(site: Path) -> None:
    init = page(site, "api/init.md")
    for name in ("variance_scaling", "xavier_uniform", "he_normal", "lsuv", "calculate_gain"):
        assert f'id="tinygrad_init.nn.init.{name}"' in init, name
    assert 'id="tinygrad_init.core.autograd.topological_order"' in page(site, "api/autograd.md")
    assert 'id="tinygrad_init.core.value.Value"' in page(site, "api/value.md")
    # the reST roles of the docstrings became links between the pages
    assert re.search(r'<a class="autorefs autorefs-internal"[^>]*href="[^"]*#tinygrad_init\.nn\.init\.variance_scaling"',
                     init), "no cross-reference to variance_scaling on the init page"


def test_no_restructuredtext_is_left_in_the_api_pages(site: Path) -> None:
    leftovers = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj|math):`|\.\. math::|^=====+ +====", re.M)
    for path in sorted((site / "api").glob("*/index.html")):
        html = path.read_text(encoding="utf-8")
        # the source code shown under each object keeps its docstrings as written: leave it out
        html = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", html, flags=re.S)
        text = _text(html)
        found = leftovers.search(text)
        assert found is None, (f"{path.parent.name}: reST markup {found.group(0)!r} reached the page; teach "
                               "docs/hooks/griffe_rst.py to convert it")


def test_chain_rule_page_has_the_formula_and_the_code(site: Path) -> None:
    html = page(site, "concepts/chain-rule.md")
    # dL/dx = dL/dy . dy/dx, typeset as MathML at build time
    formula = re.search(r'<div class="arithmatex"><math[^>]*display="block">(.*?)</math></div>', html, re.S)
    assert formula, "the chain-rule formula is not typeset"
    assert formula.group(1).count("<mfrac>") == 3 and "&#x02202;" in formula.group(1)  # three fractions of partials
    assert "&#x000B7;" in formula.group(1)  # the product dot
    text = _text(html)
    assert "upstream gradient" in text and "local gradient" in text
    assert "parent.grad += upstream * local" in text  # the code of autograd.backward, embedded


def test_every_formula_is_typeset(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        raw = re.search(r'class="arithmatex">\\[(\[]', html)
        assert raw is None, f"{path.relative_to(site)}: a formula was left as LaTeX"


def test_nothing_is_fetched_from_the_network_at_view_time(site: Path) -> None:
    tag = re.compile(r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)=\"(?:https?:)?//", re.I)
    for uri in ("index.md", "concepts/mean-field.md", "api/init.md", "tutorials/index.md"):
        html = page(site, uri)
        found = tag.search(html)
        assert found is None, f"{uri} loads {found.group(0)!r} from the network"
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_how_to_pages_embed_the_command_line_help(site: Path) -> None:
    text = _text(page(site, "howto/lecture-report.md"))
    assert "$ tinygrad-init report --help" in text and "--out" in text
    assert "report.html" in text
    sweep = _text(page(site, "howto/sweep.md"))
    assert "tinygrad-init sweep" in sweep


def test_tutorials_are_listed(site: Path) -> None:
    html = page(site, "tutorials/index.md")
    text = _text(html)
    assert "<!--tutorial:" not in html
    assert html.count("<tr>") == 9, "the table should list the eight tutorials (and a header row)"
    notebooks = sorted((ROOT / "tutorials").glob("[0-9]*.ipynb"))
    assert text.count("(not added yet)") == 8 - len({nb.name[:2] for nb in notebooks})
    for nb in notebooks:
        assert f'href="../{nb.stem}/"' in html or f'href="{nb.stem}/"' in html, f"{nb.name} is not linked"
        built = page(site, f"tutorials/{nb.stem}.md")
        assert f"{nb.stem}.ipynb" in built  # the download link
        assert (site / "tutorials" / nb.name).is_file()


# ------------------------------------------------------------------ the examples of the guide pages


def _examples(markdown: str) -> str:
    """The ``pycon`` blocks of a page, as one doctest text."""
    blocks = re.findall(r"^```pycon\n(.*?)^```", markdown, re.S | re.M)
    return "\n".join(blocks)


@pytest.mark.parametrize("uri", EXAMPLE_PAGES)
def test_examples_of_the_page_run(uri: str) -> None:
    source = _examples((DOCS / uri).read_text(encoding="utf-8"))
    assert ">>>" in source, f"{uri} has no >>> examples"
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {"__name__": "docs"}, uri, str(DOCS / uri), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, f"examples of docs/{uri} give other output:\n" + "".join(failures)


# ------------------------------------------------------------------ notebooks


def _notebook(cells: list[dict]) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3",
            "display_name": "Python 3", "language": "python"}}, "cells": cells}


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str, outputs: list | None = None) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "source": text, "outputs": outputs or []}


# A 1x1 PNG.
PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_notebooks_are_rendered_into_the_site(tmp_path: Path) -> None:
    folder = tmp_path / "tutorials"
    folder.mkdir()
    stored = _notebook([
        _md("# 1. A dummy tutorial\n\nThe rule $\\frac{\\partial L}{\\partial x}$ and a link to "
            "[the next one](02_run_me.ipynb) and to [the schemes](../docs/init_schemes.md)."),
        _code("print(6 * 7)", [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]),
        _code("picture()", [{"output_type": "display_data", "metadata": {},
                             "data": {"image/png": PIXEL, "text/plain": "<Figure>"}}]),
        _code("1 / 0", [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                         "traceback": ["\x1b[31mZeroDivisionError\x1b[0m: division by zero"]}]),
    ])
    (folder / "01_dummy.ipynb").write_text(json.dumps(stored), encoding="utf-8")
    can_run = all(importlib.util.find_spec(m) is not None for m in ("nbclient", "ipykernel"))
    if can_run:
        source = "from pathlib import Path\nPath('made.txt').write_text('hi')\nprint(sum(range(10)))"
        run_me = _notebook([_md("# 2. Run me"), _code(source)])
        (folder / "02_run_me.ipynb").write_text(json.dumps(run_me), encoding="utf-8")
    elif in_ci():
        pytest.fail(f"nbclient and ipykernel are required under CI=true; install them: {INSTALL}", pytrace=False)
    out = tmp_path / "site"
    _build(out, TINYGRAD_INIT_TUTORIALS=str(folder), TINYGRAD_INIT_DOCS_EXECUTE="auto")

    html = page(out, "tutorials/01_dummy.md")
    text = _text(html)
    assert "A dummy tutorial" in text and "print(6 * 7)" in text and "42" in text
    assert "ZeroDivisionError: division by zero" in text and "\x1b" not in html  # colour codes stripped
    assert "<math" in html  # the notebook's LaTeX is typeset like the pages'
    img = re.search(r'<img[^>]*src="([^"]+\.png)"', html)
    assert img and (out / "tutorials" / "01_dummy" / img.group(1)).resolve().is_file()
    assert 'href="../../init_schemes/"' in html  # ../docs/init_schemes.md -> the site's page
    assert (out / "tutorials" / "01_dummy.ipynb").is_file()  # downloadable
    index = page(out, "tutorials/index.md")
    assert 'href="../01_dummy/"' in index or 'href="01_dummy/"' in index  # tutorial 1 now links to it
    assert "not added yet" in _text(index)  # tutorials 3..8 are still only planned
    assert "A dummy tutorial" in page(out, "index.md")  # listed in the navigation
    if can_run:
        assert 'href="../02_run_me/"' in html  # the link between notebooks points to the page
        ran = _text(page(out, "tutorials/02_run_me.md"))
        assert "45" in ran and "run when this site was built" in ran
        assert (out / "tutorials" / "02_run_me" / "made.txt").read_text() == "hi"  # published beside the page


def test_without_notebooks_the_tutorials_are_only_planned(tmp_path: Path) -> None:
    notebooks = _hook("notebooks")
    assert notebooks.find_notebooks(tmp_path) == []
    assert notebooks.find_notebooks(tmp_path / "missing") == []
    index = (DOCS / "tutorials" / "index.md").read_text(encoding="utf-8")
    rendered = notebooks.render_index(index, {})
    assert "<!--tutorial:" not in rendered
    assert rendered.count("*(not added yet)*") == 8
    assert "8. Batch normalization *(not added yet)*" in rendered
    linked = notebooks.render_index(index, {"03_tensors": ("03_tensors.md", "3. Tensors")})
    assert "[3. Tensors](03_tensors.md)" in linked and linked.count("*(not added yet)*") == 7
    extra = notebooks.render_index(index, {"09_more": ("09_more.md", "9. More")})
    assert "## More notebooks" in extra and "[9. More](09_more.md)" in extra


def test_a_page_for_a_missing_module_is_an_error_that_names_it() -> None:
    api_pages = _hook("api_pages")
    assert api_pages.missing_module(ROOT, "tinygrad_init.core.value") is None
    assert api_pages.missing_module(ROOT, "tinygrad_init.Value") is None  # re-exported by the package
    assert api_pages.missing_module(ROOT, "tinygrad_init.no_such_module") == "tinygrad_init/no_such_module.py"
    assert api_pages.missing_module(ROOT, "tinygrad_init.exercises.nothing") == "tinygrad_init/exercises/nothing.py"
    documented = {m.group(1) for p in (DOCS / "api").glob("*.md")
                  for m in re.finditer(r"^:::\s+(tinygrad_init[\w.]+)", p.read_text(encoding="utf-8"), re.M)}
    missing = sorted(set(api_pages.public_modules(ROOT / "tinygrad_init")) - documented)
    assert not missing, f"modules without an API page in docs/api/: {missing}"


# ------------------------------------------------------------------ the docstring translation


def test_restructuredtext_in_docstrings_becomes_markdown() -> None:
    _require_tools()
    import griffe

    rst = _hook("griffe_rst")
    pkg = griffe.load("tinygrad_init", search_paths=[str(ROOT)], docstring_parser="google")
    obj = pkg["core.autograd"]
    doc = "\n".join([
        "See :func:`backward` and :class:`~tinygrad_init.Value`, :math:`O(\\varepsilon^2)`.",
        "",
        ".. math::",
        "",
        "    \\frac{a}{b}",
        "",
        "Usage::",
        "",
        "    x = 1",
        "",
        "====  =====",
        "name  value",
        "====  =====",
        "a     1",
        "====  =====",
        "",
        "Args:",
        "    a, b: two numbers.",
    ])
    md = rst.convert(doc, obj, pkg)
    assert '<autoref identifier="tinygrad_init.core.autograd.backward" optional><code>backward()</code></autoref>' in md
    assert '<autoref identifier="tinygrad_init.core.value.Value" optional><code>Value</code></autoref>' in md
    assert "$O(\\varepsilon^2)$" in md
    assert "$$\n\\frac{a}{b}\n$$" in md
    assert "Usage:\n\n```python\nx = 1\n```" in md
    assert "| name | value |\n|---|---|\n| a | 1 |" in md
    assert "    a: two numbers.\n    b: two numbers." in md
    unknown = rst.convert(":func:`no_such_function`", obj, pkg)
    assert unknown == "<code>no_such_function()</code>"  # unresolved: code, not a broken link
