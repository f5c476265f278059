"""The documentation site: it builds with ``mkdocs build --strict`` and says what it should.

One strict build of the real site (tutorials shown as stored, not run: ``tests/tutorials``
runs them) is shared by most tests; the hooks of ``docs/hooks`` are also tested alone, on
notebooks made on the fly and on a nav naming a module that does not exist. Without the
documentation tools the tests are skipped, except under ``CI=true``, where they fail with
the command that installs them.

The ``>>>`` examples of the guide pages are run here too (doctest), so every number they
show is the number the code gives; so are the ``python`` blocks of every page and docstring, with
the output they show. Every command line the pages show is parsed by the command, every dotted name they
give exists, and every ``python`` block binds the names it uses.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import doctest
import io
import importlib.util
import inspect
import json
import os
import re
import shlex
import subprocess
import sys
import types
from pathlib import Path

import pytest

from conftest import in_ci
from shared_runs import DEPTH, SWEEP, depth_run, sweep_run

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS = DOCS / "hooks"
TOOLS = {"mkdocs": "mkdocs", "material": "mkdocs-material", "mkdocstrings": "mkdocstrings",
         "mkdocstrings_handlers": "mkdocstrings-python", "latex2mathml": "latex2mathml", "nbconvert": "nbconvert"}
INSTALL = 'pip install -e ".[docs]" (bash scripts/test.sh installs them with the test extra)'



def _pages_with(block: str) -> list[str]:
    """The pages (the README and every page of the site, from the repository root) with a block of that language."""
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(DOCS.rglob("*.md"))]
    return [p.relative_to(ROOT).as_posix() for p in pages if f"```{block}\n" in p.read_text(encoding="utf-8")]


#: The pages whose ``>>>`` examples are checked: every page with a ``pycon`` block.
EXAMPLE_PAGES = _pages_with("pycon")


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


#: The xdist group of the tests that read the built site: one worker builds it (15 s of CPU), not each.
SITE = "docs_site"


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


@pytest.mark.xdist_group(SITE)
@pytest.mark.parametrize("uri", CONTENT_PAGES)
def test_page_is_built(site: Path, uri: str) -> None:
    html = page(site, uri)
    assert "<h1" in html, f"{uri} has no title"


def api_modules() -> dict[str, str]:
    """The modules that need an API page -> the page (``api/PATH.md``, PATH the module's path).

    A module needs one if it defines a public function or class: every ``.py`` file of the
    package (an ``__init__.py`` standing for its package) but those under ``exercises/``,
    whose package is one page. A package that only re-exports (``core/__init__.py``) needs none.
    """
    out = {}
    package = ROOT / "tinygrad_init"
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        if not parts or any(p.startswith("_") for p in parts) or (parts[0] == "exercises" and len(parts) > 1):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_") for n in tree.body):
            out[".".join(("tinygrad_init", *parts))] = f"api/{'/'.join(parts)}.md"
    return out


def test_every_module_has_an_api_page() -> None:
    _require_tools()
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    listed = set(_hook("api_pages").nav_pages(config.nav))
    modules = api_modules()
    assert {"tinygrad_init.core.value", "tinygrad_init.nn.init", "tinygrad_init.cli"} <= set(modules)
    missing = [f"{m}: add the line `- {uri.rsplit('/', 1)[1][:-3]}: {uri}` to the API reference in mkdocs.yml"
               for m, uri in modules.items() if uri not in listed]
    assert not missing, "modules without an API page:\n" + "\n".join(missing)


@pytest.mark.xdist_group(SITE)
def test_api_pages_document_their_modules(site: Path) -> None:
    for module, uri in api_modules().items():
        # mkdocstrings gives every documented object an anchor named by its path
        assert f'id="{module}.' in page(site, uri), f"{uri} shows no member of {module}"


@pytest.mark.xdist_group(SITE)
def test_api_pages_show_the_modules_all_and_nothing_else(site: Path) -> None:
    # the pages showed helpers outside __all__ (cli.path_arg, training.check_scheme, the scalar nets' base class
    # Module) and left out 32 names of __all__: the constants documented by `#:` comments (GRID, OPS, EXERCISES,
    # explorer.verdict); and of its classes every method without a docstring (Tensor.exp, Tensor.shape, Module.eval)
    wrong, members = [], 0
    for module, uri in api_modules().items():
        public, html = importlib.import_module(module).__all__, page(site, uri)
        shown = set(re.findall(rf'id="{re.escape(module)}\.(\w+)"', html))
        wrong += [f"{uri}: shows {sorted(shown - set(public))}, leaves out {sorted(set(public) - shown)}"] * (
            shown != set(public))
        tree = ast.parse(Path(importlib.import_module(module).__file__).read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name in public):
            names = [n.name if isinstance(n, ast.FunctionDef) else n.target.id if isinstance(n, ast.AnnAssign) else
                     n.targets[0].id for n in cls.body if isinstance(n, ast.FunctionDef) or isinstance(
                         n, ast.AnnAssign) and isinstance(n.target, ast.Name) or isinstance(n, ast.Assign) and
                     isinstance(n.targets[0], ast.Name)]
            left = [f"{cls.name}.{n}" for n in names if n[0] != "_" and f'id="{module}.{cls.name}.{n}"' not in html]
            members += len(names)
            wrong += [f"{uri}: leaves out {left}"] * bool(left)
    assert not wrong and members > 300, "API pages that are not their module's __all__:\n" + "\n".join(wrong)
    assert _hook("comments").comment_above(["#: the first", "#: and second line", "X = 1"], 3) == \
        "the first\nand second line"

@pytest.mark.xdist_group(SITE)
def test_api_pages_show_the_functions(site: Path) -> None:
    init = page(site, "api/nn/init.md")
    for name in ("variance_scaling", "xavier_uniform", "he_normal", "lsuv", "calculate_gain"):
        assert f'id="tinygrad_init.nn.init.{name}"' in init, name
    assert 'id="tinygrad_init.core.autograd.topological_order"' in page(site, "api/core/autograd.md")
    assert 'id="tinygrad_init.core.value.Value"' in page(site, "api/core/value.md")
    # the reST roles of the docstrings became links between the pages
    assert re.search(r'<a class="autorefs autorefs-internal"[^>]*href="[^"]*#tinygrad_init\.nn\.init\.'
                     r'variance_scaling"', init), "no cross-reference to variance_scaling on the init page"


@pytest.mark.xdist_group(SITE)
def test_no_restructuredtext_is_left_in_the_api_pages(site: Path) -> None:
    leftovers = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj|math):`|\.\. math::|^=====+ +====", re.M)
    for path in sorted((site / "api").glob("*/index.html")):
        html = path.read_text(encoding="utf-8")
        # the source code shown under each object keeps its docstrings as written: leave it out
        html = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", html, flags=re.S)
        text = _text(html)
        found = leftovers.search(text)
        assert found is None, (f"{path.relative_to(site).parent}: reST markup {found.group(0)!r} reached the page; "
                               "write that docstring in Markdown (`name` for code, $...$ for math)")


@pytest.mark.xdist_group(SITE)
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


@pytest.mark.xdist_group(SITE)
def test_every_formula_is_typeset(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        raw = re.search(r'class="arithmatex">\\[(\[]', html)
        assert raw is None, f"{path.relative_to(site)}: a formula was left as LaTeX"
        # a heading's formula also stands in the tables of contents: tutorial 10's read "\(\chi_1\): what happens"
        left = re.findall(r"\\\((.{0,40})", re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S))
        assert not left, f"{path.relative_to(site)}: formulas left as LaTeX outside the page's text: {left}"
        # latex2mathml kept TeX's escapes in text: `\text{fan\_in}` read "fan\_in" on init_schemes.md
        escaped = [t for t in re.findall(r"<mtext>([^<]*)</mtext>", html) if "\\" in t]
        assert not escaped, f"{path.relative_to(site)}: formulas show TeX's backslashes: {escaped}"
        # an <mo> holds text only: tutorial 1's \mathrel{+}= nested an <mrow> in one and read "+ =" in the browser
        assert "<mo><mrow>" not in html, f"{path.relative_to(site)}: an operator holds a formula, not text"
        # a bar that neither opens nor closes is spaced as an infix operator: "|analytic - numeric |  <= ..."
        bare = re.findall(r'<mo(?: stretchy="false")?>(?:&#x0007C;|&#x02016;)</mo>', html)
        assert not bare, f"{path.relative_to(site)}: {len(bare)} bars of |x| or ||x|| neither open nor close"
        # a prime as a superscript floats above its base: the mean-field page's E[f'(y)^2] read "E[f ʹ (y)^2]"
        assert not re.search(r"<mi>&#x0203[234];</mi></msup>", html), f"{path.relative_to(site)}: a raised prime"
    mathml = _hook("mathml").to_mathml(r"\text{fan\_in} + \text{50\%}", display=False)
    assert "<mtext>fan_in</mtext>" in mathml and "<mtext>50%</mtext>" in mathml, mathml
    mathml = _hook("mathml").to_mathml(r"g \mathrel{+}= u,\ a \mathrel{-} -b", display=False)
    assert "<mo>&#x0002B;&#x0003D;</mo>" in mathml and "<mo>&#x02212;</mo><mo>&#x02212;</mo>" in mathml, mathml
    mathml = _hook("mathml").to_mathml(r"\lvert a - b \rvert \le \text{rtol}\, |b|", display=False)
    assert re.findall(r'<mo form="(\w+)" stretchy="false">&#x0007C;</mo>', mathml) == ["prefix", "postfix"] * 2, mathml
    mathml = _hook("mathml").to_mathml(r"\text{relu}'(z) + f'(z) + S'''", display=False)
    assert mathml.count('<mo lspace="0" rspace="0">&#x0203') == 3 and "msup" not in mathml, mathml


@pytest.mark.xdist_group(SITE)
@pytest.mark.browser
def test_no_formula_scrolls_in_its_box(site: Path) -> None:
    # the theme's `.md-typeset div.arithmatex {overflow: auto}` outranked extra.css's `div.arithmatex` rule: every
    # display formula was 2 to 5 px taller than its box and stood beside a vertical scroll bar of its own. And four
    # were wider than the text column (757 px at most) on any screen, cut at its edge: tutorial 3's dW, dx, db by 178
    # px, tutorial 8's batch norm by 103, mean-field.md's moments by 5 and tutorial 6's recursion by 4
    from conftest import require_binary
    spec = importlib.util.spec_from_file_location("pb", ROOT / "tests" / "observe" / "test_player_browser.py")
    spec.loader.exec_module(module := importlib.util.module_from_spec(spec))
    browser = module.Chromium(require_binary("chromium"))
    pages = sorted(p for p in site.rglob("index.html") if '<div class="arithmatex"><math' in p.read_text("utf-8"))
    assert len(pages) >= 5, pages
    try:
        for path in pages:
            browser.open(path)
            scrolled = browser.js("[...document.querySelectorAll('div.arithmatex')].filter(d => d.scrollHeight > "
                                  "d.clientHeight && getComputedStyle(d).overflowY != 'hidden').length")
            assert scrolled == 0, f"{path.relative_to(site)}: {scrolled} formulas scroll up and down in their box"
            cut = browser.js("[...document.querySelectorAll('div.arithmatex')].filter(d => d.scrollWidth > "
                             "d.clientWidth + 1).map(d => d.textContent.slice(0, 40))")
            assert cut == [], f"{path.relative_to(site)}: formulas wider than the text column at 1280 px: {cut}"
    finally:
        browser.close()


@pytest.mark.xdist_group(SITE)
def test_nothing_is_fetched_from_the_network_at_view_time(site: Path) -> None:
    tag = re.compile(r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)=\"(?:https?:)?//", re.I)
    for uri in ("index.md", "concepts/mean-field.md", "api/nn/init.md", "tutorials/index.md",
                "tutorials/01_scalar_autograd.md"):
        html = page(site, uri)
        found = tag.search(html)
        assert found is None, f"{uri} loads {found.group(0)!r} from the network"
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


@pytest.mark.xdist_group(SITE)
def test_the_page_that_builds_the_site_says_to_browse_it_through_a_server(site: Path) -> None:
    # the site's links name folders (`getting-started/`): opened as files, site/index.html led each click to a folder
    # listing ("Index of .../getting-started/") and search did not start (search_index.js: not found), in Chromium;
    # the page said only "The site needs nothing from the network to be viewed"
    assert 'href="getting-started/"' in page(site, "index.md")
    text = " ".join((DOCS / "getting-started.md").read_text(encoding="utf-8").split())
    assert "mkdocs build --strict" in text and "python -m http.server -d site" in text, "say how to browse ./site"


@pytest.mark.xdist_group(SITE)
def test_how_to_pages_embed_the_command_line_help(site: Path) -> None:
    text = _text(page(site, "howto/lecture-report.md"))
    assert "$ tinygrad-init report --help" in text and "--out" in text
    assert "report.html" in text
    sweep = _text(page(site, "howto/sweep.md"))
    assert "tinygrad-init sweep" in sweep


@pytest.mark.xdist_group(SITE)
def test_tutorials_are_pages_linked_from_the_index(site: Path) -> None:
    index = page(site, "tutorials/index.md")
    home = page(site, "index.md")
    notebooks = sorted((ROOT / "tutorials").glob("[0-9]*.ipynb"))
    assert len(notebooks) >= 8
    for nb in notebooks:
        assert f'href="{nb.stem}/"' in index, f"docs/tutorials/index.md does not link {nb.stem}.md"
        assert f'href="tutorials/{nb.stem}/"' in home, f"{nb.stem} is not in the navigation"
        built = page(site, f"tutorials/{nb.stem}.md")
        assert f'href="../{nb.name}"' in built and (site / "tutorials" / nb.name).is_file()  # downloadable
        assert "<h1" in built and '<span class="kn">import</span>' in built  # the code cells, as Python
    assert "<math" in page(site, "tutorials/01_scalar_autograd.md")  # the notebooks' LaTeX, as MathML


# ------------------------------------------------------------------ the examples of the guide pages


def _examples(markdown: str) -> str:
    """The ``pycon`` blocks of a page, as one doctest text."""
    blocks = re.findall(r"^```pycon\n(.*?)^```", markdown, re.S | re.M)
    return "\n".join(blocks)


@pytest.mark.parametrize("uri", EXAMPLE_PAGES)
def test_examples_of_the_page_run(uri: str) -> None:
    source = _examples((ROOT / uri).read_text(encoding="utf-8"))
    assert ">>>" in source, f"{uri} has no >>> examples"
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {"__name__": "docs"}, uri, str(ROOT / uri), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, f"examples of {uri} give other output:\n" + "".join(failures)


def test_every_code_block_of_the_pages_is_of_a_language_the_tests_read() -> None:
    # python and pycon blocks are run, the command lines of bash and console blocks parsed, text blocks show output:
    # a block spelled otherwise (```py, ```python3) would be shown on the site and checked by nothing
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(DOCS.rglob("*.md"))]
    spelled = {f"{p.relative_to(ROOT)}: {lang}" for p in pages
               for lang in re.findall(r"^ *```(\S*)", p.read_text(encoding="utf-8"), re.M)
               if lang not in ("", "python", "pycon", "bash", "console", "text")}
    assert not spelled, "code blocks no test reads:\n" + "\n".join(sorted(spelled))
    assert {"README.md", "docs/visible_backprop.md", "docs/exercises.md", "docs/howto/sweep.md"} <= set(CODE_PAGES)
    assert {"docs/index.md", "docs/concepts/engines.md", "docs/howto/gradcheck.md"} <= set(EXAMPLE_PAGES)


#: Every page with ``python`` blocks: they are run as written, in order, in one namespace; the output a
#: block shows (a ``text`` block right after it, or a ``# comment`` after a ``print``) must be what it prints,
#: up to the spaces between words.
CODE_PAGES = _pages_with("python")
#: What a page's blocks take as given, made as the page says: the grader's example grades a student's folder.
GIVEN = {"docs/exercises.md": "from tinygrad_init.exercises import start\nstart('submissions/alice')\n"}


def _shows(printed: str, shown: str) -> bool:
    """Whether `printed` is the text `shown`, up to the spaces between words (the README's first block printed
    `-1.179671599448891 0.3932238664829637 0.7864477329659274` where it showed `-1.1797  0.3932  0.7864`)."""
    return printed.split() == shown.split()


@pytest.mark.graphviz
@pytest.mark.parametrize("name", CODE_PAGES)
def test_python_blocks_run_and_print_what_the_page_shows(name: str, tmp_path: Path, monkeypatch) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```\n(?:\n```text\n(.*?)^```)?", text, re.S | re.M)
    assert blocks, f"{name} has no python blocks"
    monkeypatch.chdir(tmp_path)                   # the examples write their files here
    namespace: dict = {"__name__": "docs"}
    exec(GIVEN.get(name, ""), {})
    for code, shown in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, name, "exec"), namespace)
            for test in re.findall(r"^def (test_\w+)\(\)", code, re.M):  # a test the page writes: run as pytest would
                namespace[test]()
        printed = out.getvalue()
        if shown:
            assert printed.strip() == shown.strip(), f"{name}: the block\n{code}prints\n{printed}"
        comments = [line.split("#", 1)[1] for line in code.splitlines() if line.startswith("print(") and "#" in line]
        if comments:
            lines = printed.splitlines()
            assert len(lines) == len(comments) and all(map(_shows, lines, comments)), (
                f"{name}: the block\n{code}prints\n{printed}where the page shows {comments}")


def test_the_sweep_prints_the_columns_its_page_explains(capsys: pytest.CaptureFixture[str]) -> None:
    # sweep.md's table "column | meaning" names every measured column of tanh, sigmoid and ReLU sweeps; with
    # --batchnorm "a linear_std column ... comes before pre_std, and there are no *_theory columns"
    from tinygrad_init import cli

    page = (DOCS / "howto" / "sweep.md").read_text(encoding="utf-8")
    explained = {name for row in re.findall(r"^\| (`.*?`) \|", page, re.M) for name in re.findall(r"`(\w+)`", row)}
    printed = {}
    for args in (["--activation", "tanh"], ["--activation", "sigmoid"], ["--activation", "relu"], ["--batchnorm"]):
        assert cli.main(["sweep", *args, "--depth", "2", "--width", "8", "--batch", "16", "--format", "csv"]) == 0
        printed[args[-1]] = capsys.readouterr().out.splitlines()[0].split(",")
    measured = {c for cols in printed.values() for c in cols if not c.endswith("_theory")} - {"layer", "linear_std"}
    assert explained == measured, (explained, measured)
    bn = printed["--batchnorm"]
    assert bn.index("linear_std") + 1 == bn.index("pre_std") and not any(c.endswith("_theory") for c in bn)
    assert "With `--batchnorm` a `linear_std` column" in page and "there are no `*_theory` columns" in page


def test_the_sweep_refuses_the_schemes_its_page_names(capsys: pytest.CaptureFixture[str]) -> None:
    from tinygrad_init import cli
    text = " ".join((DOCS / "howto" / "sweep.md").read_text(encoding="utf-8").split())
    assert "non-zero mean (`ones`, and `uniform` with its default `U(0, 1)`)" in text and "same all-zero" in text
    for name, why in [("ones", "non-zero mean"), ("uniform", "non-zero mean"), ("lsuv", "data-dependent")]:
        with pytest.raises(SystemExit):
            cli.main(["sweep", "--init", name])
        assert why in capsys.readouterr().err
    small = ["--depth", "2", "--width", "8", "--batch", "16", "--format", "csv"]
    outputs = []
    for name in ("constant", "zeros"):
        assert cli.main(["sweep", "--init", name, *small]) == 0
        outputs.append(capsys.readouterr().out.splitlines()[1:])
    assert outputs[0] == outputs[1] and float(outputs[0][0].split(",")[1]) == 0      # layer 1: pre_std 0
    # "Any scheme name of the table works with --init, except" those three
    from tinygrad_init import init
    for name in sorted(set(init.SCHEMES) - {"ones", "uniform", "lsuv"}):
        assert cli.main(["sweep", "--init", name, *small]) == 0, name
    capsys.readouterr()


# ------------------------------------------------------------------ notebooks


def _notebook(cells: list[dict]) -> dict:
    return {"nbformat": 4, "nbformat_minor": 4, "metadata": {"kernelspec": {"name": "python3",
            "display_name": "Python 3", "language": "python"}}, "cells": cells}


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str, outputs: list | None = None) -> dict:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "source": text, "outputs": outputs or []}


# A 1x1 PNG.
PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_a_notebook_becomes_a_page_with_its_outputs(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    _require_tools()
    notebooks = _hook("notebooks")
    stored = tmp_path / "01_stored.ipynb"
    stored.write_text(json.dumps(_notebook([
        _md("# 1. Stored\n\nThe rule $\\frac{\\partial L}{\\partial x}$, [the next one](02_run_me.ipynb) and "
            "[the schemes](../docs/init_schemes.md)."),
        _code("print(6 * 7)", [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]),
        _code("picture()", [{"output_type": "display_data", "metadata": {},
                             "data": {"image/png": PIXEL, "text/plain": "<Figure>"}}]),
        _code("1 / 0", [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                         "traceback": ["\x1b[31mZeroDivisionError\x1b[0m: division by zero"]}]),
    ])), encoding="utf-8")
    markdown, files = notebooks.render(stored, execute=False, root=ROOT)
    assert (markdown.startswith("# 1. Stored\n") and "as stored" in markdown
            and "[Download it](01_stored.ipynb)" in markdown)
    # the notebooks extra has a kernel but no front end: the command installs one (it said `.[notebooks]` alone)
    assert 'run it with Jupyter (`pip install -e ".[notebooks]" jupyterlab`)' in markdown
    assert "$\\frac{\\partial L}{\\partial x}$" in markdown and "```python\nprint(6 * 7)\n```" in markdown
    assert "    42" in markdown and "ZeroDivisionError: division by zero" in markdown and "\x1b" not in markdown
    assert "](02_run_me.md)" in markdown and "](../init_schemes.md)" in markdown  # links point to pages
    [image] = [uri for uri in files if uri.endswith(".png")]
    assert f"]({image})" in markdown and image.startswith("01_stored_files/")

    if importlib.util.find_spec("ipykernel") is None and not in_ci():
        pytest.skip("ipykernel is needed to run a notebook")
    run_me = tmp_path / "02_run_me.ipynb"
    source = "from pathlib import Path\nPath('made.txt').write_text('hi')\nprint(sum(range(10)))"
    run_me.write_text(json.dumps(_notebook([_md("# 2. Run me"), _code(source)])), encoding="utf-8")
    markdown, files = notebooks.render(run_me, execute=True, root=ROOT)
    assert "    45" in markdown and "run when this site was built" in markdown
    # each kernel's start printed "[IPKernelApp] WARNING | Kernel is running over TCP without encryption ... susceptible
    # to eavesdropping" on the terminal of `mkdocs build`: twelve alarming lines about a local channel
    assert "IPKernelApp" not in capfd.readouterr().err
    assert files["02_run_me/made.txt"] == b"hi"  # published beside the page, where an <iframe> finds it
    broken = tmp_path / "03_broken.ipynb"
    broken.write_text(json.dumps(_notebook([_md("# 3. Broken"), _code("1 / 0")])), encoding="utf-8")
    failure = notebooks._render(broken, True, ROOT)
    assert isinstance(failure, Exception) and "ZeroDivisionError" in str(failure)  # a warning: strict fails


def test_a_failing_notebook_is_named_with_its_error_and_the_whole_message(tmp_path: Path) -> None:
    # without `dot`, tutorial 2's player raises a message of several lines: the warning showed only its last one
    _require_tools()
    if importlib.util.find_spec("ipykernel") is None and not in_ci():
        pytest.skip("ipykernel is needed to run a notebook")
    broken = tmp_path / "04_broken.ipynb"
    broken.write_text(json.dumps(_notebook([_md("# 4. Broken"), _code(
        "class GraphvizNotFoundError(RuntimeError): pass\n"
        "raise GraphvizNotFoundError('needs the program dot. Install it:\\n  apt-get install graphviz\\n(failed)')")])),
        encoding="utf-8")
    failure = str(_hook("notebooks")._render(broken, True, ROOT))
    assert failure.startswith("GraphvizNotFoundError: needs the program dot") and "apt-get install graphviz" in failure


def test_an_api_page_for_a_missing_module_is_an_error_that_names_it() -> None:
    _require_tools()
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import Files

    api_pages = _hook("api_pages")
    assert api_pages.module_of("api/lab/probe.md") == "tinygrad_init.lab.probe"
    assert api_pages.module_of("api/cli.md") == "tinygrad_init.cli"
    config = types.SimpleNamespace(nav=[{"API": ["api/index.md", {"ghost": "api/lab/ghost.md"}]}],
                                   config_file_path=str(ROOT / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"api/lab/ghost\.md, but there is no module tinygrad_init\.lab\.ghost"):
        api_pages.on_files(Files([]), config)


# ------------------------------------------------------------------ docstrings are Markdown

_REST = re.compile(r":(?:func|class|meth|mod|attr|math|data|obj|exc):`|^\s*\.\. [a-z]+::|(?<!`)``(?!`)", re.M)


def test_docstrings_are_markdown_without_restructuredtext() -> None:
    """The API pages render docstrings as Google-style Markdown: no reST role, directive or double backtick."""
    import ast

    found = []
    for path in sorted((ROOT / "tinygrad_init").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=False) or ""
                found += [f"{path.relative_to(ROOT)}: {getattr(node, 'name', 'module')}: {m.group(0)!r}"
                          for m in _REST.finditer(doc)]
    assert not found, "reStructuredText in docstrings (write Markdown: `name`, $math$):\n" + "\n".join(found)


#: An assignment whose comment states the shape and dtype of each name it binds: `X, y = ...  # (200, 2) float32, (200,)
#: int64`, as the data module's block writes.
_STATED = re.compile(r"^(\w+(?:, \w+)*) = [^#\n]*#\s*(\([\d, ]*\) \w+(?:, \([\d, ]*\) \w+)*)\s*$", re.M)


def _stated_shapes(code: str, namespace: dict) -> list[str]:
    """The assignments of `code` whose comment states other shapes or dtypes than the names hold in `namespace`."""
    wrong = []
    for names, comment in _STATED.findall(code):
        held = [f"{tuple(namespace[n].shape)} {namespace[n].dtype}" for n in names.split(", ")]
        if held != re.findall(r"\([\d, ]*\) \w+", comment):
            wrong.append(f"{names} = ...  # {comment}: they hold {', '.join(held)}")
    return wrong


def test_the_python_blocks_of_the_docstrings_run(tmp_path: Path, monkeypatch) -> None:
    # an API page shows a docstring's python block as code to copy: it runs in a fresh namespace as written
    # (the data module's ran `data.moons(...)` without importing `data`: a NameError), the shapes and dtypes its
    # comments state are those it makes; `>>>` examples give their output
    monkeypatch.chdir(tmp_path)
    blocks, examples = [], []
    for path in sorted((ROOT / "tinygrad_init").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)):
                doc = ast.get_docstring(node) or ""
                where = f"{path.relative_to(ROOT)}: {getattr(node, 'name', 'module')}"
                blocks += [(where, code) for code in re.findall(r"^ *```python\n(.*?)^ *```", doc, re.S | re.M)]
                examples += [doctest.DocTestParser().get_doctest(doc, {"__name__": "docs"}, where, None, 0)] * (
                    ">>>" in doc)
    assert len(blocks) >= 2
    wrong, stated = [], 0
    for where, code in blocks:
        namespace = {"__name__": "docs"}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(inspect.cleandoc(code), where, "exec"), namespace)
        stated += len(_STATED.findall(code))
        wrong += [f"{where}: {w}" for w in _stated_shapes(code, namespace)]
    assert stated >= 1 and not wrong, "docstring blocks whose comments state other shapes:\n" + "\n".join(wrong)
    runner, failures = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE), []
    for test in examples:
        runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)


# ------------------------------------------------------------------ the README says what the repository holds


def _readme_layout() -> str:
    """The code block of the README's "Layout" section."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Layout", 1)[1]
    return re.search(r"^```\n(.*?)^```", section, re.S | re.M).group(1)


def test_readme_layout_names_every_module_and_no_other() -> None:
    layout = _readme_layout()
    package = ROOT / "tinygrad_init"
    in_exercise = re.compile(r"(^|/)ex\d\d_\w+/")
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
             and not in_exercise.search(p.relative_to(package).as_posix())]
    named = set(re.findall(r"[\w.]+\.(?:py|js|css|html)\b", layout))
    missing = sorted({p.relative_to(package).as_posix() for p in files
                      if p.suffix in (".py", ".js", ".css", ".html") and p.name not in named})
    assert not missing, f"README.md, Layout, does not name: {', '.join(missing)}"
    folders = sorted({p.parent.relative_to(package).as_posix() for p in files} - {"."})
    unnamed = [f for f in folders if f"{f.rsplit('/', 1)[-1]}/" not in layout]
    assert not unnamed, f"README.md, Layout, does not name the folders: {', '.join(unnamed)}"
    exists = {p.name for p in ROOT.glob("tinygrad_init/**/*") if p.is_file()} | {
        p.name for p in ROOT.glob("tests/**/*.py")}
    stale = sorted(n for n in named if n not in exists and not n.startswith("NN_"))
    assert not stale, f"README.md, Layout, names files that do not exist: {', '.join(stale)}"


def test_readme_states_what_the_two_scripts_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    report = (ROOT / "scripts" / "report.sh").read_text(encoding="utf-8")
    tests = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    report_cmd = re.search(r'tinygrad-init" (report .*?) *"\$@"', report).group(1).replace('"$TGI_ROOT/', "") \
        .replace('"', "")  # --out "$TGI_ROOT/report": report in the repository
    pytest_cmd = re.search(r'-m (pytest [^"$]*?) *"\$@"', tests).group(1)
    assert f"runs `tinygrad-init {report_cmd}`" in readme, f"the README should say report.sh runs {report_cmd!r}"
    assert f"runs `python -m {pytest_cmd}`" in readme, f"the README should say test.sh runs {pytest_cmd!r}"
    assert "bash scripts/report.sh" in readme and "bash scripts/test.sh" in readme


@pytest.mark.parametrize("args, cores, expected", [((), 2, "-n 2 --dist loadgroup"), ((), 1, ""), (("-x",), 4, "-x"),
                                                     ((), 8, "-n 2 --dist loadgroup")])
def test_test_sh_runs_the_whole_suite_in_two_processes_only_without_arguments(tmp_path, args, cores, expected):
    line = next(x for x in (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8").splitlines()
                if x.endswith("set -- -n 2 --dist loadgroup"))
    getconf = tmp_path / "getconf"  # the number of cores, as the line asks for them
    getconf.write_text(f"#!/bin/sh\necho {cores}\n")
    getconf.chmod(0o755)
    script = f'{line}\nprintf "%s " "$@"'
    out = subprocess.run(["bash", "-c", script, "test.sh", *args], capture_output=True, text=True, check=True,
                         env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}).stdout
    assert out.strip() == expected
    assert "`-n 2`" in (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("README.md", "docs/getting-started.md"):  # more processes are the user's choice, not the script's
        assert "pass `-n 4 --dist loadgroup` yourself" in " ".join((ROOT / page).read_text(encoding="utf-8").split())


def test_paths_named_by_the_readme_and_the_guides_exist() -> None:
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(p for p in DOCS.rglob("*.md")
                                                                        if HOOKS not in p.parents),
             *sorted((ROOT / "scripts").glob("*.sh")), ROOT / ".ci" / "run"]  # their usage comments too
    # a path from the repository root, in prose or code (a link's target is relative to its page: not these)
    path = re.compile(r"(?<=[`\s])((?:tests|scripts|tutorials|benchmarks|tinygrad_init)/[\w./-]*\w)")
    missing = [f"{page.relative_to(ROOT)}: {m}" for page in pages
               for m in sorted(set(path.findall(page.read_text(encoding="utf-8"))))
               if "NN" not in m and not (ROOT / m).exists()]
    assert not missing, "paths that do not exist:\n" + "\n".join(missing)


@pytest.mark.xdist_group(SITE)
def test_the_explorer_page_embeds_the_help_of_explore_and_chaos(site: Path) -> None:
    text = _text(page(site, "howto/explorer.md"))
    assert "$ tinygrad-init explore --help" in text and "$ tinygrad-init chaos --help" in text
    assert "tinygrad-init chaos --json tinygrad_init/lab/data/chaos_heatmap.json" in text


def test_the_readme_and_the_api_index_name_every_layer_class() -> None:
    # both listed nn.layers' classes without Identity, which nn.MLP(..., activation="linear") puts between layers
    import tinygrad_init.nn.layers as layers

    classes = [n for n in layers.__all__ if isinstance(getattr(layers, n), type)]
    readme = " ".join(_readme_layout().split("layers.py", 1)[1].split("activations.py", 1)[0].split())
    rows = (DOCS / "api" / "index.md").read_text(encoding="utf-8").splitlines()
    row = next(line for line in rows if "(nn/layers.md)" in line)
    for where, text in (("README.md, Layout", readme), ("docs/api/index.md", row)):
        assert [c for c in classes if not re.search(rf"\b{c}\b", text)] == [], where


def test_the_api_index_links_every_api_page() -> None:
    index = (DOCS / "api" / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w/]+\.md)\)", index))
    missing = sorted(uri[len("api/"):] for uri in api_modules().values() if uri[len("api/"):] not in linked)
    assert not missing, f"docs/api/index.md has no row for: {', '.join(missing)}"
    # the third column, "imported as", names the page's module (or the package that holds it)
    for uri, name in re.findall(r"\]\(([\w/]+)\.md\) \| `([\w.]+)`", index):
        module, page_module = importlib.import_module(name).__name__, f"tinygrad_init.{uri.replace('/', '.')}"
        assert module in (page_module, page_module.rsplit(".", 1)[0]), f"api/index.md: {name} is {module}"


# ------------------------------------------------------------------ the command lines the pages show

#: A command line in a bash or console block (after `$ ` or in a comment) or in backticks in the prose, or in the
#: examples of a --help (up to the two spaces before what it does).
COMMAND = re.compile(r"(?:^[#$ ]*|`)(?:tinygrad-init|python -m tinygrad_init)((?: [^`#\n>]*?)?)(?=\s{2,}|[`#\n>]|$)",
                     re.M)


def _help_texts(parser: argparse.ArgumentParser, name: str) -> dict[str, str]:
    """The --help of a command and of each of its subcommands, by the command line that prints it."""
    texts = {f"{name} --help": parser.format_help()}
    for action in parser._actions:  # argparse keeps the subcommands in a private action
        if isinstance(action, argparse._SubParsersAction):
            for word, sub in action.choices.items():
                texts.update(_help_texts(sub, f"{name} {word}"))
    return texts


def test_every_command_line_the_pages_show_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    # the pages, and the --help texts whose examples the pages embed (<!-- cli-help -->) and the terminal shows
    from tinygrad_init import cli
    from tinygrad_init.exercises import catalog, grader

    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(p for p in DOCS.rglob("*.md")),
             *sorted((ROOT / "tutorials").glob("[0-9]*.py"))]
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in pages}
    helps = {**_help_texts(cli.build_parser(), "tinygrad-init"),
             **_help_texts(grader.build_parser(), "tinygrad-init exercises")}
    assert len(helps) >= 10 and sum(h.count("examples:") for h in helps.values()) >= 5, sorted(helps)
    refused, count = [], 0
    for where, text in {**texts, **helps}.items():
        for line in COMMAND.findall(text):
            argv = shlex.split(line)
            if "..." in line or "[" in line or "--help" in argv:  # a pattern, not a command; --help is embedded
                continue
            count += 1
            try:
                if argv[:1] == ["exercises"]:
                    [catalog.resolve(name) for name in getattr(grader.build_parser().parse_args(argv[1:]), "names", [])]
                else:
                    rest = cli.build_parser().parse_known_args(argv)[1]
                    assert all("=" in word for word in rest), f"unrecognized arguments: {rest}"
            except (SystemExit, Exception) as e:
                refused.append(f"{where}: tinygrad-init{line}: {e} {capsys.readouterr().err.strip()}")
    assert count > 70 and not refused, "command lines the command refuses:\n" + "\n".join(refused)


@pytest.mark.xdist_group(SWEEP)
def test_the_saturated_share_of_the_large_init_is_what_the_pages_say() -> None:
    # CS231n's 10 x 500 tanh net with N(0, 1) weights: 90% of the units saturate, not all of them
    from tinygrad_init import cli

    saturated = sweep_run("large", "tanh", 0).values("saturated")  # experiments.run_one("large", "tanh"), shared
    assert all(abs(float(s) - 0.90) < 0.01 for s in saturated), saturated
    sweep_help = cli.build_parser()._subparsers._group_actions[0].choices["sweep"].format_help()
    for name, text in [("sweep --help", sweep_help), *((uri, (DOCS / uri).read_text(encoding="utf-8")) for uri in
                       ("howto/sweep.md", "concepts/initialization.md", "init_schemes.md"))]:
        text = " ".join(text.split())
        assert re.search(r"90% of the (tanh )?units saturate", text) and "every unit saturates" not in text, name


@pytest.mark.xdist_group(SWEEP)
def test_the_sweep_pages_small_tanh_comment_is_what_the_sweep_measures_over_seeds() -> None:
    # docs/howto/sweep.md said "the std shrinks to 0" beside `sweep --init small --activation tanh`: over seeds 0-4 it
    # shrinks by 0.01 sqrt(500) = 0.224 a layer (0.2224-0.2252 from layer 2 on) to 2.9e-7-3.0e-7 at layer 10, not 0
    import numpy as np


    page = " ".join((DOCS / "howto/sweep.md").read_text(encoding="utf-8").split())
    assert "--activation tanh # the std shrinks 0.22x a layer, to 3e-7 at layer 10" in page
    last = []
    for seed in range(5):
        std = sweep_run("small", "tanh", seed).values("act_std")  # experiments.run_one(..., rng=seed), shared
        np.testing.assert_allclose(std[2:] / std[1:-1], 0.01 * np.sqrt(500), rtol=0.01)
        last.append(std[-1])
    assert all(f"{v:.0e}" == "3e-07" for v in last) and np.ptp(last) > 0, last


@pytest.mark.xdist_group(SWEEP)
def test_the_sweep_page_says_how_many_relu_units_die_with_he() -> None:
    # docs/howto/sweep.md said that with He and ReLU "a few units die": over seeds 0-4 none at layers 1-2, then more
    # with depth (not in every layer), 7.2%-10.4% of layer 10's 500 units (0 for the whole batch of 1000)
    import numpy as np


    page = " ".join((DOCS / "howto/sweep.md").read_text(encoding="utf-8").split())
    assert "while the deeper layers have dead units: none in layers 1 and 2, 7%-10% of layer 10's" in page
    # experiments.run_one("he_normal", "relu", rng=seed), shared
    dead = np.array([sweep_run("he_normal", "relu", seed).values("dead") for seed in range(5)])
    assert np.all(dead[:, :2] == 0) and np.all((0.07 <= dead[:, -1]) & (dead[:, -1] <= 0.105)), dead
    assert np.all(dead[:, -1] > dead[:, 4]) and np.ptp(dead[:, -1]) > 0.01


def test_the_quickstart_mlp_gives_what_the_pages_say_over_seeds() -> None:
    # the README's block run with seeds 0 to 9 (of the data and the weights): the spread the pages state
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [code] = [b for b in re.findall(r"^```python\n(.*?)^```", readme, re.S | re.M) if "moons(200" in b]
    said = "with seeds 0 to 9 every run classifies all 200 points, and the final loss is 0.003 to 0.013"
    for page in (readme, (DOCS / "getting-started.md").read_text(encoding="utf-8")):
        assert said in " ".join(page.split())
    losses = []
    for seed in range(10):
        namespace: dict = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code.replace("rng=0", f"rng={seed}"), "README.md", "exec"), namespace)
        assert namespace["accuracy"] == 1.0, seed
        losses.append(round(namespace["loss"].item(), 3))
    assert (min(losses), max(losses)) == (0.003, 0.013), losses


def test_every_name_the_pages_give_in_code_exists() -> None:
    # `init.describe`, `experiments.THRESHOLDS`, `tinygrad_init.draw.ColorScale`: each dotted name of a public module
    import tinygrad_init

    modules = {n: m for n, m in vars(tinygrad_init).items() if isinstance(m, types.ModuleType) and n[0] != "_"}
    dotted = re.compile(r"(?<![\w./-])(?:tinygrad_init\.)?(%s)((?:\.[A-Za-z_]\w*)+)(?!\w)" % "|".join(modules))
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(DOCS.rglob("*.md")),
             *sorted((ROOT / "tutorials").glob("[0-9]*.py"))]
    missing, count = set(), 0
    for path in pages:
        for code in re.findall(r"`([^`\n]+)`", path.read_text(encoding="utf-8")):
            for module, attrs in dotted.findall(code):
                obj, count = modules[module], count + 1
                for attr in attrs[1:].split("."):
                    if attr in ("py", "sh"):  # a file name: autograd.py, report.sh
                        break
                    if not hasattr(obj, attr):
                        missing.add(f"{path.relative_to(ROOT)}: {module}{attrs}")
                        break
                    obj = getattr(obj, attr)
    assert count > 100 and not missing, "names the pages give that do not exist:\n" + "\n".join(sorted(missing))


def test_every_python_block_of_the_pages_binds_the_names_it_uses() -> None:
    # a block copied into a fresh script (with the page's blocks above it) must not stop at a NameError
    import builtins

    unbound = []
    for path in [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]:
        bound = set(dir(builtins))
        for code in re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M):
            tree = ast.parse(code)
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
                elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.arg)):
                    bound.add(getattr(node, "name", None) or node.arg)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    bound.add(node.id)
            unbound += [f"{path.relative_to(ROOT)}: {n.id}" for n in ast.walk(tree)
                        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in bound]
    assert not unbound, "python blocks use names that no block above binds:\n" + "\n".join(sorted(set(unbound)))


def test_a_scalar_mlp_has_as_many_nodes_as_visible_backprop_md_says() -> None:
    # "a scalar MLP on one sample has thousands of nodes": the demo's 2-16-16-1 has 708; and path_products writes
    # 4 digits where the ledger writes 6 ("does the same" read as the same digits)
    from tinygrad_init import Value, autograd, ledger, scalar_nn

    text = _prose("visible_backprop.md")
    for sizes, said in (([16, 16, 1], "708 for the demo's 2-16-16-1"), ([32, 32, 1], "2,436 for 2-32-32-1")):
        out = scalar_nn.MLP(2, sizes, activation="tanh", rng=0)([Value(0.5), Value(-0.3)])
        assert f"{len(autograd.topological_order(out)):,} for" in said and said in text, (sizes, said)
    assert "hundreds of nodes" in text and "thousands of nodes" not in text
    digits = inspect.signature(ledger.PathProducts.explain).parameters["digits"].default
    assert f"`path_products(...).explain()` does the same, with `digits={digits}` by default" in text
    assert f"Numbers have `digits={inspect.signature(ledger.Ledger.explain).parameters['digits'].default}`" in text


def test_the_chain_rule_lines_engines_md_quotes_are_the_engines_code() -> None:
    # the table's row "the chain rule in code" quoted `parent.grad = parent.grad + contribution` for the tensor engine,
    # a line Node.vjp does not have: each engine's quoted line is a line of the function the row names
    from tinygrad_init.core import autograd, tensor

    [row] = re.findall(r"^\| the chain rule in code \|(.*)$", (DOCS / "concepts" / "engines.md").read_text(
        encoding="utf-8"), re.M)
    scalar, vector = (re.findall(r"`([^`]+)`", cell)[0] for cell in row.split("|")[:2])
    walk, vjp = (inspect.getsource(fn).splitlines() for fn in (autograd.backward, tensor.Node.vjp))
    assert scalar in {line.strip() for line in walk} and any(vector in line for line in vjp), (scalar, vector)


def test_a_tensor_shares_the_array_it_is_made_from_as_engines_md_says() -> None:
    import numpy as np
    from tinygrad_init import Tensor

    text = " ".join((DOCS / "concepts" / "engines.md").read_text(encoding="utf-8").split())
    assert "shares the array's memory instead, unless it converts it: an integer or bool array becomes float32" in text
    W0, ints = np.ones(3), np.ones(3, dtype=np.int64)
    assert np.shares_memory(Tensor(W0).data, W0) and not np.shares_memory(Tensor(W0, requires_grad=True).data, W0)
    assert Tensor(ints).dtype == Tensor(ints > 0).dtype == np.float32 and not np.shares_memory(Tensor(ints).data, ints)


@pytest.mark.xdist_group(SWEEP)
def test_the_large_inits_backward_factor_is_what_the_schemes_page_says() -> None:
    # init_schemes.md: with N(0, 1) weights on CS231n's 10 x 500 tanh net, fan_out Var(W) E[tanh'(y)^2] is about 12,
    # so theory and measurement show dL/dh growing about 3.5x per layer towards the input (theory 3.48, seed 0 3.49)
    import numpy as np

    from tinygrad_init import theory

    page = " ".join((DOCS / "init_schemes.md").read_text(encoding="utf-8").split())
    assert "is about 12" in page and "`dL/dh` growing about 3.5x per layer" in page
    g = np.array(theory.predict([500] * 11, "tanh", "large").grad_act_std)
    assert np.all(np.round((g[:-1] / g[1:]) ** 2) == 12) and np.all(np.round(g[:-1] / g[1:], 1) == 3.5)
    measured = sweep_run("large", "tanh", 0).values("grad_act_std")  # experiments.run_one("large", "tanh"), shared
    assert round((measured[0] / measured[-1]) ** (1 / 9), 1) == 3.5


def test_the_pages_count_the_exercises_and_the_tutorials_there_are() -> None:
    # "22 graded exercises", "Twenty-two short exercises", "twelve notebooks", "Twelve step-through notebooks": each
    # page that counts them says how many the catalog and tutorials/ hold (an added exercise left them all behind)
    from tinygrad_init.exercises import EXERCISES

    units = "one two three four five six seven eight nine ten eleven twelve".split()
    words = {**{w: i + 1 for i, w in enumerate(units)}, "twenty": 20,
             **{f"twenty-{w}": 21 + i for i, w in enumerate(units[:9])}}
    there = {"exercises": len(EXERCISES), "notebooks": len(list((ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")))}
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(DOCS.rglob("*.md")),
             *sorted((ROOT / "tutorials").glob("[0-9]*.py"))]
    said = [(page.relative_to(ROOT).as_posix(), number, what) for page in pages
            for number, what in re.findall(r"(?<!Grading )\b(\d+|[a-z]+(?:-[a-z]+)?) (?:graded |short |step-through )?"
                                           r"(exercises|notebooks)\b", page.read_text(encoding="utf-8"), re.I)
            if number.isdigit() or number.lower() in words]
    assert len(said) >= 7, said  # 7 since tutorial 8 no longer says "All twenty-two exercises belong to this series"
    wrong = [f"{page}: {number} {what}, where there are {there[what.lower()]}" for page, number, what in said
             if int(words.get(number.lower(), number)) != there[what.lower()]]
    assert not wrong, "\n".join(wrong)


def _collected_the_whole_suite(session: pytest.Session) -> bool:
    """Whether this session collected every test of the suite: every test file under tests/ (an xdist worker collects
    them all, whichever it runs), no test picked by name (file.py::test), none deselected (-k, -m, --deselect, --lf,
    --sw)."""
    option, files = session.config.option, {item.path for item in session.items}
    every = {p for p in (ROOT / "tests").rglob("*.py") if p.name.startswith("test_") or p.name.endswith("_test.py")}
    return (every <= files and not any("::" in str(a) for a in session.config.args)
            and not (option.keyword or option.markexpr or option.deselect or getattr(option, "lf", False)
                     or getattr(option, "stepwise", False)))


def test_the_readme_gives_the_suites_size(request: pytest.FixtureRequest) -> None:
    # "about 2,100 tests": within 10% of what pytest collects (it said 1,900 when there were 2,087). A run of the whole
    # suite has collected it already; a run of part of it collects it anew (pytest --collect-only, as a user counts)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = int(re.search(r"whole suite has about ([\d,]+) tests", readme)[1].replace(",", ""))
    if _collected_the_whole_suite(request.session):
        collected = len(request.session.items)
    else:
        out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
        collected = int(re.search(r"(\d+) tests? collected", out)[1])
    assert abs(said / collected - 1) < 0.1, (said, collected)


def test_type_checkers_and_ides_see_every_flat_name() -> None:
    """The flat names are bound by a loop no static tool runs; the `TYPE_CHECKING` block spells each for them."""
    import tinygrad_init
    tree = ast.parse((ROOT / "tinygrad_init" / "__init__.py").read_text())
    block = next(n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test))
    seen = {a.asname or a.name: f"{i.module}.{a.name}" for i in block.body for a in i.names}
    assert seen == tinygrad_init._FLAT
    # `from tinygrad_init.optim import SGD`, as the docs write it: a stub per flat name (else "cannot find module")
    stubs = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "tinygrad_init").glob("*.pyi")}
    assert {n: s.split()[:4] for n, s in stubs.items()} == {
        n: ["from", f".{home}", "import", "*"] for n, home in tinygrad_init._FLAT.items()}


def _admits(hint: object, value: object) -> bool:
    """Whether `value` fits a resolved type hint (unions, `Any` and the origin of generics: enough for the cases)."""
    import typing
    if hint is typing.Any:
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_admits(h, value) for h in typing.get_args(hint))
    return isinstance(value, typing.get_origin(hint) or hint)


def test_the_type_hints_admit_what_the_functions_take_and_name_what_they_return() -> None:
    """A type checker on the user's code reads the hints: a value the docs offer and the code takes must fit them."""
    import typing
    import numpy as np
    from tinygrad_init import Tensor, Value, diagnostics, experiments, init, nn, no_grad, plots, scalar_nn
    x = Tensor(np.ones((2, 3)))
    cases = [(Value.__init__, "data", np.float32(1.5), lambda v: Value(v)),
             (Value.__init__, "data", np.int64(2), lambda v: Value(v)),
             (Tensor.zeros, "shape", (2, 3), lambda v: Tensor.zeros(v)),  # "separate ints or one tuple"
             (Tensor.randn, "shape", (2, 3), lambda v: Tensor.randn(v, rng=0)),
             (Tensor.transpose, "axes", (1, 0), x.transpose),
             (Tensor.softmax, "axis", None, x.softmax),
             (nn.Linear.forward, "x", np.ones((2, 3)), nn.Linear(3, 2, rng=0)),
             (nn.BatchNorm1d.forward, "x", np.ones((2, 3)), nn.BatchNorm1d(3)),
             (scalar_nn.Neuron.__init__, "weights", np.ones(3), lambda v: scalar_nn.Neuron(3, weights=v)),
             (init.Scheme.__init__, "params", (), lambda v: init.Scheme("s", "1", params=v)),
             (experiments.judge, "act_std", np.ones(3), lambda v: experiments.judge(v, v, 0 * v, "tanh")),
             (experiments.training, "sizes", np.array([2, 3, 1]), lambda v: None),  # (its test runs it)
             (plots.layer_curves, "panels", {"a": {"b": np.ones(3)}}, lambda v: plots.layer_curves(v).clear()),
             (diagnostics.fit, "X", [[0.0, 1.0]], lambda v: diagnostics.fit(nn.Linear(2, 2), v, [1], 1, 0.1)),
             (nn.MLP.__init__, "sizes", np.array([2, 3, 1]), lambda v: nn.MLP(v, rng=0)),
             (scalar_nn.MLP.__init__, "nouts", np.array([3, 1]), lambda v: scalar_nn.MLP(2, v, rng=0)),
             (nn.Sequential.__getitem__, "i", np.int64(1), nn.Sequential(nn.Tanh(), nn.ReLU()).__getitem__),
             (nn.Sequential.__setitem__, "i", np.int64(1), lambda v: nn.Sequential(nn.Tanh(), nn.ReLU()).__setitem__(
                 v, nn.Tanh()))]
    for fn, name, value, call in cases:
        call(value)  # taken
        # eval in the function's own module (a decorated one's too): plots' Figure is for type checkers only
        hint = eval(fn.__annotations__[name], inspect.unwrap(fn).__globals__)
        assert _admits(hint, value), f"{fn.__qualname__}: {name}={value!r}"
    for op in ("add", "sub", "mul", "truediv", "pow", "matmul"):
        for side in ("", "r"):
            assert typing.get_type_hints(getattr(Tensor, f"__{side}{op}__"))["return"] is Tensor, op
    lsuv = init.get("lsuv")  # a name gives a Scheme, whose std, formula... the tutorials read
    assert isinstance(lsuv, init.Scheme) and (sys.version_info < (3, 11) or  # typing.get_overloads: Python 3.11
                                              typing.get_overloads(init.get)[0].__annotations__["return"] == "Scheme")
    assert _admits(typing.get_args(typing.get_type_hints(init.Scheme.spec)["return"])[0], lsuv.spec(lsuv.params)[0])
    decorate = typing.get_type_hints(type(no_grad()).__call__)  # @no_grad() keeps the function's own signature
    assert isinstance(decorate["return"], typing.TypeVar) and decorate["fn"] is decorate["return"]


def _public_callables() -> list[tuple[str, object]]:
    """Every public function, class and method of the flat modules and of `nn`, each once, by a dotted name."""
    import tinygrad_init
    found: dict[int, tuple[str, object]] = {}
    homes = [(n, getattr(tinygrad_init, n)) for n in [*tinygrad_init._FLAT, "nn"]] + [("", tinygrad_init)]
    for home, module in homes:
        for name in getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]:
            obj = getattr(module, name)
            if callable(obj) and getattr(obj, "__module__", "").startswith("tinygrad_init"):
                found.setdefault(id(obj), (f"{home}.{name}", obj))
                for attr, member in vars(obj).items() if isinstance(obj, type) else ():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        found.setdefault(id(member), (f"{home}.{name}.{attr}", member))
    return list(found.values())


def test_the_type_hints_of_every_public_callable_resolve_at_run_time() -> None:
    """`typing.get_type_hints` (which typeguard, pydantic and docs builders call) evaluates the hints in the function's
    module: plots' matplotlib `Figure`, imported for type checkers only, and draw's `Any`, looked up in graphviz's
    module through a `__wrapped__`, were NameErrors."""
    import typing
    from tinygrad_init import exercises
    found = _public_callables() + [(f"exercises.{n}", f) for n in exercises.__all__
                                   if callable(f := getattr(exercises, n))]
    failed = {}
    for name, obj in found:
        fn = obj if isinstance(obj, type) or inspect.isroutine(obj) else type(obj).__call__  # a Scheme: its __call__
        try:
            typing.get_type_hints(fn)
        except Exception as e:  # noqa: BLE001 (any error is the finding)
            failed[name] = f"{type(e).__name__}: {e}"
    assert len(found) > 300 and failed == {}


def test_help_shows_the_parameters_of_every_public_callable() -> None:
    """No public signature is a bare `(*args, **kwargs)` that hides what it takes (a wrapper keeps `__wrapped__`)."""
    kinds = {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}
    sigs = {name: inspect.signature(obj).parameters for name, obj in _public_callables() if not isinstance(obj, type)}
    assert not [name for name, ps in sigs.items() if {p.kind for p in ps.values()} >= kinds and len(ps) <= 3]


def test_the_args_sections_name_the_parameters_in_the_signatures_order() -> None:
    """An `Args:` entry is a parameter, listed where the signature has it: a reader who passes arguments in the
    documented order (predict's keyword-only `input_mean` was listed fifth, where `bias_std` stands) gets them."""
    checked = 0
    for name, obj in _public_callables():
        docs = [obj.__doc__, vars(obj)["__init__"].__doc__ if "__init__" in vars(obj) else None]
        for doc in filter(None, docs):
            lines = inspect.cleandoc(doc).split("Args:\n", 1)[1:]
            section = re.split(r"\n(?! {4}|\n)", lines[0])[0] if lines else ""
            listed = re.findall(r"^ {4}\**(\w+):", section, re.M)
            params = [p for p in inspect.signature(obj).parameters if p in listed] if listed else []
            assert listed == params, f"{name}: the Args section lists {listed}, the signature has {params}"
            checked += bool(listed)
    assert checked >= 8


def test_the_package_tells_type_checkers_to_read_its_hints() -> None:
    """PEP 561: without `py.typed` in the wheel, a type checker skips an installed package's hints altogether."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert (ROOT / "tinygrad_init" / "py.typed").is_file() and "py.typed" in data["tinygrad_init"]


def test_every_rng_is_hinted_as_a_generator_a_seed_or_none() -> None:
    """The project's rule for random functions, as the hover text and the API pages show it; a seed is any integer
    that `as_rng` takes, numpy's too (`rng=seed` over `np.arange(5)` was a type error)."""
    import typing
    import numpy as np
    from tinygrad_init import init
    rng = typing.Union[np.random.Generator, int, np.integer, None]
    hinted = {}
    for name, obj in _public_callables():
        fn = obj.__init__ if isinstance(obj, type) else type(obj).__call__ if isinstance(obj, init.Scheme) else obj
        if "rng" in inspect.signature(fn).parameters:
            hinted[name] = typing.get_type_hints(fn)["rng"]
    assert len(hinted) > 20 and {name: h for name, h in hinted.items() if h != rng} == {}


# ------------------------------------------------------------------ numbers the prose states, computed


def _prose(uri: str) -> str:
    return " ".join((DOCS / uri).read_text(encoding="utf-8").split())


def test_the_setup_table_names_every_package_the_scripts_install() -> None:
    # getting-started's table of what each script installs: the package's dependencies and the test extra's
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    rows = {row.split("|")[1]: row for row in (DOCS / "getting-started.md").read_text(encoding="utf-8").splitlines()
            if row.startswith("| `bash scripts/")}
    for script, needs in (("report", project["dependencies"]), ("test", project["optional-dependencies"]["test"])):
        [row] = [r for cmd, r in rows.items() if f"scripts/{script}.sh" in cmd]
        names = {re.match(r"[\w-]+", need)[0] for need in needs}
        assert not {n for n in names if not re.search(rf"(?<![\w-]){n}(?![\w-])", row)}, (script, row)


def test_every_pip_install_of_an_extra_names_one_in_quotes() -> None:
    # `pip install -e .[docs]` unquoted stops zsh (macOS's shell) at "no matches found: .[docs]"; the README wrote
    # two so. Where a comment lists what an extra brings (tutorials/README.md), it is the extra's list.
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", ROOT / "mkdocs.yml", *sorted(DOCS.rglob("*.md")),
             *sorted(DOCS.rglob("*.py")), *sorted((ROOT / "tutorials").glob("[0-9]*.py"))]
    found = [(p.relative_to(ROOT).as_posix(), *m) for p in pages for m in re.findall(
        r"pip install -e ([^\s`]*\[[^\]]*\][^\s`]*)(?:[^#`\n]*# ([\w, -]+)$)?", p.read_text(encoding="utf-8"), re.M)]
    assert len(found) >= 10, found
    for page, spec, brings in found:
        assert re.fullmatch(r'"\.\[\w+\]"', spec), f"{page}: pip install -e {spec}: write it in quotes, \".[extra]\""
        assert spec[3:-2] in extras, f"{page}: there is no extra {spec[3:-2]!r}"
        if brings and "," in brings:
            assert set(brings.split(", ")) == {re.match(r"[\w-]+", d)[0] for d in extras[spec[3:-2]]}, (page, brings)


def test_a_page_that_installs_the_notebooks_extra_to_open_the_tutorials_installs_a_front_end_too() -> None:
    # the extra runs notebooks (a kernel, nbclient) but opens none: "pip install -e ".[notebooks]", then open them in
    # any notebook front end" (the tutorials' index) and "+ Jupyter's runner, for the tutorials" (getting started) left
    # a reader without the `jupyter` command; the README and the tutorial pages add `jupyterlab`
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert not any(re.match(r"(jupyterlab|notebook|jupyter)\b", need) for need in extra["notebooks"])
    pages = [ROOT / "README.md", ROOT / "tutorials" / "README.md", *sorted(DOCS.rglob("*.md"))]
    texts = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in pages}
    lacking = [p for p, text in texts.items() if 'pip install -e ".[notebooks]"' in text and "jupyterlab" not in text]
    assert not lacking, f"pages that install the notebooks extra and no front end: {lacking}"


@pytest.mark.xdist_group(SWEEP)
def test_the_small_and_the_standard_init_shrink_the_signal_as_initialization_md_says() -> None:
    # 0.01 randn on 500 tanh units: 0.2236 a layer, about 3e-7 of the input's std after ten layers (theory and the
    # networks of seeds 0-2); N(0, 1): pre-activations of std sqrt(500) ~ 22; U(+-1/sqrt(n)): 1/sqrt(3) = 0.577 a layer
    import numpy as np

    from tinygrad_init import theory

    page = _prose("concepts/initialization.md")
    assert "$0.01 \\sqrt{500} = 0.2236$ per layer, and after ten tanh layers the activations' standard deviation is " \
           "about $3 \\times 10^{-7}$ of the input's" in page
    assert "standard deviation $\\sqrt{500} \\approx 22$" in page and "by $1/\\sqrt{3} = 0.577$ per layer" in page
    small = theory.predict([500] * 11, "tanh", "small")
    assert round(float(small.act_std[-1]), 7) == 3e-7
    assert round(float(small.act_std[-1] / small.act_std[-2]), 4) == 0.2236
    assert all(round(float(sweep_run("small", "tanh", s).values("act_std")[-1]), 7) == 3e-7  # run_one, shared
               for s in range(3))
    assert round(float(theory.predict([500] * 2, "tanh", "large").pre_std[0])) == 22
    standard = theory.predict([500] * 4, "linear", "glorot_standard").act_std
    assert np.allclose(standard[1:] / standard[:-1], 0.577, atol=5e-4)


@pytest.mark.slow
@pytest.mark.xdist_group(DEPTH)
def test_the_30_layer_counts_over_ten_data_sets_are_what_initialization_md_says(monkeypatch) -> None:
    # He et al. 2015, Fig. 3 in miniature: experiments.depth(rng, quick=True, seeds=5) for rng 0-9, plain SGD at 30
    # layers (the momentum panel left out: momentum=0 repeats the plain one), networks whose loss leaves ln 2. Over
    # the BLAS kernels measured (OpenBLAS's Haswell/Zen, SkylakeX/Cooperlake, Sandybridge, Prescott; numpy without
    # AVX-512) 1-2 Xavier and 48-50 He networks: the page says so; asserted with two networks of slack
    import numpy as np

    from tinygrad_init import experiments
    from tinygrad_init.lab import training

    page = _prose("concepts/initialization.md")
    assert ("over ten data sets of five networks each, `rng` 0 to 9 with `quick=True, seeds=5` (`quick=True` alone "
            "trains three), 1 or 2 of the 50 Xavier networks leave ln 2 and 48 to 50 of the 50 He networks") in page
    assert "Those counts differ by a network or two from one machine to another." in page
    # quick=True alone trains three: its settings (the steps given, as the seeds do not depend on them; no curve of it
    # is read, and its 500 steps at 22 and 30 layers cost more than a data set of the ten below)
    assert experiments.depth(quick=True, steps=1).settings["seeds"] == [0, 1, 2]
    left, runs = {"xavier_uniform": 0, "he_normal": 0}, {}
    for rng in range(10):
        # experiments.depth(rng=rng, quick=True, seeds=5, layers=(22, 30), momentum=0.0), shared with tutorial 7's
        # test: its 30-layer panels and rows are those of layers=(30,), number for number (the data are drawn before
        # any net, and each depth's nets train on their own)
        runs[rng] = depth_run(rng)
        for row in runs[rng].table.rows:
            left[row["init"]] += int(row["left_ln2"]) if row["layers"] == 30 else 0
    assert left["xavier_uniform"] <= 2 + 2 and left["he_normal"] >= 48 - 2, left
    # why the counts move: the data of rng 4 (where the Xavier networks that leave ln 2 are) moved by one ulp, as
    # another kernel's sums would move it, moves the first loss by about an ulp and a later one of some network by
    # more than 0.1 (0.42 to 21 over four of the kernels above)
    moons = training._data.moons
    monkeypatch.setattr(training._data, "moons", lambda *a, **k: (lambda X, y: (np.nextafter(X, np.inf), y))(
        *moons(*a, **k)))
    nudged = experiments.depth(rng=4, quick=True, seeds=5, layers=(30,), momentum=0.0)
    moved = np.abs(np.subtract(*(np.array([r.data[sc]["panels"]["30 layers, plain SGD, lr 0.03"]["loss"] for sc in (
        "xavier_uniform", "he_normal")], float) for r in (runs[4], nudged))))
    assert moved[..., 0].max() < 1e-5 and moved.max() > 0.1, moved.max(axis=(0, 1))


def test_the_gauss_hermite_nodes_lie_as_far_apart_as_mean_field_md_says() -> None:
    # at q = 500 the 101 nodes (gaussian_expectation's default), scaled by sqrt(q) ~ 22, lie about 7 apart near 0
    import numpy as np
    from numpy.polynomial.hermite_e import hermegauss

    from tinygrad_init import theory

    assert "while the 101 nodes, scaled by $\\sqrt{q} \\approx 22$, lie about 7 apart there" in _prose(
        "concepts/mean-field.md")
    n = inspect.signature(theory.gaussian_expectation).parameters["n"].default
    x = np.sort(hermegauss(n)[0])
    assert n == 101 and round(float(np.min(np.diff(x))) * 500 ** 0.5) == 7 and round(500 ** 0.5) == 22


def test_the_explorers_grid_is_what_its_page_says() -> None:
    # the choices named on the page, and "The full grid is 432 networks"
    import math

    from tinygrad_init import explorer

    page = _prose("howto/explorer.md")
    assert f"The full grid is {math.prod(len(v) for v in explorer.GRID.values())} networks" in page
    schemes = ", ".join(f"`{s}`" for s in explorer.GRID["scheme"])
    assert f"Pick the activation (tanh, sigmoid, ReLU), the scheme ({schemes})" in page
    assert explorer.GRID["activation"] == ("tanh", "sigmoid", "relu")


def _diagrams() -> dict[str, dict[str, str]]:
    """The layer diagrams, row by row: docs/index.md's "How the package is built" and the package's docstring."""
    import tinygrad_init

    [diagram] = re.findall(r"```text\n(.*?)```", (DOCS / "index.md").read_text(encoding="utf-8"), re.S)
    rows, name = {}, None
    for line in diagram.splitlines():
        if m := re.match(r" (\w+) +(.*)", line):
            name, rows[m[1]] = m[1], m[2]
        elif name and (m := re.match(r" *│ +(\S.*)", line)):
            rows[name] += " " + m[1]
    return {"docs/index.md": rows,
            "the docstring of tinygrad_init": dict(re.findall(r"^ {4}(\w+)/? +(\S.*)$", tinygrad_init.__doc__, re.M))}


@pytest.mark.parametrize("where", ["docs/index.md", "the docstring of tinygrad_init"])
def test_the_layer_diagrams_name_every_module_and_subcommand(where: str) -> None:
    # each folder's row names its modules; the cli row its subcommands (the docstring's, which help(tinygrad_init)
    # shows, named neither training, diagnostics, spectra, explorer nor ops, inputs, copying, activations)
    from tinygrad_init import cli

    rows = _diagrams()[where]
    package = ROOT / "tinygrad_init"
    expected = {d.name: {p.stem for p in d.glob("*.py") if p.stem != "__init__"} for d in package.iterdir()
                if (d / "__init__.py").is_file() and d.name not in ("exercises", "cli")}
    expected["cli"] = set(cli.build_parser()._subparsers._group_actions[0].choices)
    assert set(rows) == {*expected, "exercises", "utils"}, rows
    missing = {folder: names - set(re.findall(r"\w+", rows[folder])) for folder, names in expected.items()}
    assert not any(missing.values()), missing


def test_the_ledger_lines_visible_backprop_md_quotes_are_the_ledgers() -> None:
    # "Sums" and "Leftovers": the quoted parts of a line, made by a graph where a feeds two nodes and a leaf is reused
    from tinygrad_init import Value, ledger

    quoted = re.findall(r"`([^`]*(?:now 14\.0|including 3\.0)[^`]*)`", _prose("visible_backprop.md"))
    assert len(quoted) == 2, quoted
    a, b, c = Value(2.0, label="a"), Value(6.0, label="b"), Value(8.0, label="c")
    loss = a * b + a * c  # dL/da = 8 (via a * c), then += 6 (via a * b): now 14
    with ledger.record() as sums:
        loss.backward()
    x = Value(2.0, label="a")
    reused = x * 3.0
    reused.backward()  # a.grad = 3.0 left over
    with ledger.record() as leftover:
        reused.backward()
    lines = [" ".join(line.split()) for line in (str(sums.explain()) + "\n" + str(leftover.explain())).splitlines()]
    for quote in quoted:
        pattern = re.escape(quote).replace(re.escape("..."), ".*")
        assert any(re.search(pattern, line) for line in lines), (quote, lines)


def test_the_named_schemes_are_the_variance_scaling_calls_initialization_md_says() -> None:
    # "LeCun is scale 1 on `fan_in`; Glorot is scale 1 on `fan_avg`; He is scale 2 on `fan_in`.", and cs231n is
    # LeCun's normal: the same draws as the general rule's, for the normal and the uniform presets
    import numpy as np

    from tinygrad_init import init

    said = re.findall(r"(LeCun|Glorot|He) is scale (\d) on `(\w+)`", _prose("concepts/initialization.md"))
    assert len(said) == 3
    names = {"LeCun": ("lecun", "cs231n"), "Glorot": ("xavier",), "He": ("he",)}
    for who, scale, mode in said:
        for name in names[who]:
            for dist in ("normal", "uniform") if name != "cs231n" else ("normal",):
                drawn = init.get(name if name == "cs231n" else f"{name}_{dist}")((30, 20), rng=0)
                expected = init.variance_scaling((30, 20), scale=float(scale), mode=mode, distribution=dist, rng=0)
                assert np.array_equal(drawn, expected), (name, dist)


def test_the_readme_says_how_many_relu_networks_the_theory_is_set_against() -> None:
    from tinygrad_init import experiments

    defaults = {k: p.default for k, p in inspect.signature(experiments.theory_average).parameters.items()}
    said = f"the theory against the median of {defaults['networks']} {defaults['activation'].replace('relu', 'ReLU')}"
    assert said in " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


def test_a_sweeps_normal_schemes_differ_only_in_scale_as_sweep_md_says() -> None:
    # "every network of a sweep is built from one weight seed, so the normal schemes differ only in their scale, and
    # all of them see the same input and the same upstream gradient": layer 1's pre-activations scale by the std ratio
    import numpy as np

    from tinygrad_init import experiments

    assert "so the normal schemes differ only in their scale, and all of them see the same input and the same " \
           "upstream gradient" in _prose("howto/sweep.md")
    runs = experiments.run_sweep(("small", "cs231n", "he_normal"), ("tanh", "relu"), depth=3, width=50, batch=64,
                                 rng=3).runs
    for act in ("tanh", "relu"):
        base = runs["cs231n", act]
        for scheme, factor in (("small", 0.01 * 50 ** 0.5), ("he_normal", 2 ** 0.5)):
            run = runs[scheme, act]
            np.testing.assert_allclose(run.values("pre_std")[0] / base.values("pre_std")[0], factor, rtol=1e-6)
            assert run.values("grad_act_std")[-1] == base.values("grad_act_std")[-1]


def test_the_shipped_chaos_result_is_what_the_command_regenerates_as_explorer_md_says() -> None:
    # "To regenerate that result": the grid's cells are seeded in order from one generator, so the first cells of the
    # first row (ordered phase, shallow), trained again at the shipped settings, give the shipped accuracies exactly on
    # every BLAS kernel; the whole file only with the SkylakeX kernels that made it (the others move 27-30 deep cells)
    import json

    from tinygrad_init import spectra

    page = _prose("howto/explorer.md")
    assert "To regenerate that result:" in page and "byte for byte:" not in page
    assert "It comes back byte for byte on a machine whose BLAS kernel adds up as the one that made it (OpenBLAS's " \
           "SkylakeX kernels). With other kernels the cells of the ordered phase and the shallow networks come back " \
           "the same, but 27 to 30 of the 99 cells" in page
    shipped = json.loads((ROOT / "tinygrad_init" / "lab" / "data" / "chaos_heatmap.json").read_text(encoding="utf-8"))
    again = spectra.trainability(sigma_w2s=shipped["sigma_w2"][:1], depths=shipped["depth"][:3], steps=shipped["steps"],
                                 sigma_b2=shipped["sigma_b2"], width=shipped["width"], lr=shipped["lr"])
    assert again["accuracy"] == [shipped["accuracy"][0][:3]] and again["chance"] == shipped["chance"]


def test_the_pages_promise_the_same_bytes_on_one_machine_only() -> None:
    # "The same seed writes the same bytes" (the report's and the explorer's pages, the report's docstring) and
    # "Reproduce every number and figure with ..." (the report) held on one machine only: another BLAS kernel of the
    # same machine changed the last digits of every data file, the quick report's 10*randn median train accuracy
    # (82.0% or 80.0%) and 162 of the explorer's 432 networks; the pages now say so, and what did not change
    from tinygrad_init.lab import report

    lecture = _prose("howto/lecture-report.md")
    assert "The same seed writes the same bytes on the same machine" in lecture
    assert "median train accuracy of 82.0% or 80.0%" in lecture and "No verdict word changed." in lecture
    explorer = _prose("howto/explorer.md")
    assert "On one machine the same seed writes the same bytes" in explorer and "No verdict word changed." in explorer
    # the pages named the BLAS kernel alone; numpy's exp, log and tanh differ between its AVX-512, AVX2 and SSE4.2
    # loops too (its sums did not), and with only those changed (NPY_DISABLE_CPU_FEATURES, the same OpenBLAS kernel)
    # the quick report's page showed other digits in its training and gradient sentences
    for page in (lecture, explorer, _prose("concepts/initialization.md")):
        assert "numpy" in page and re.search(r"exp,? (log|and log)[^.]*AVX-512, AVX2 (or|and) older", page)
    assert "The same seed writes the same bytes on one machine (another BLAS kernel" in " ".join(report.__doc__.split())
    page = report.render_html([], {}, seed=0, quick=True)
    assert "</code> on this machine (another BLAS kernel changes the last digits, and a training run near a " \
           "threshold may come out otherwise)" in page


def test_the_pages_say_which_literature_runs_are_miniatures() -> None:
    # the README put He et al. (2015) and Glorot & Bengio (2010) under "the literature at its own settings", and the
    # lecture report's row 8 gave the sigmoid saturation without its size: both run on toy moons with 16- and 32-unit
    # layers, where the papers trained convolutional nets on ImageNet and 1,000-unit layers on Shapeset-3x2
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "own settings" not in readme and "in miniature, on toy moons where the papers trained on ImageNet and " \
        "Shapeset-3x2" in readme
    lecture = _prose("howto/lecture-report.md")
    assert "in miniature (4 sigmoid layers of 32 units on toy moons; the paper: 1,000 units on Shapeset-3x2)" in lecture
    assert "in miniature (16 units on toy moons; the paper: convolutional nets on ImageNet)" in lecture
    six, seven = (" ".join((ROOT / "tutorials" / f"{n}.py").read_text(encoding="utf-8").replace("#", "").split())
                  for n in ("06_xavier", "07_relu_and_he"))
    assert "In miniature (they trained hidden layers of 1,000 units on Shapeset-3x2 images, in mini-batches" in six
    assert "convolutional nets on ImageNet with momentum 0.9: at 22 layers both converged" in seven
    ten = " ".join((ROOT / "tutorials" / "10_edge_of_chaos.py").read_text(encoding="utf-8").replace("#", "").split())
    assert "on a small task (Schoenholz et al. trained on MNIST and CIFAR-10)" in ten
    # concepts/initialization.md gave Fig. 3 ("a 30-layer ReLU network") and its miniature without either's settings
    from tinygrad_init import experiments

    p = {k: v.default for k, v in inspect.signature(experiments.depth).parameters.items()}
    assert "a 30-layer convolutional ReLU network, trained on ImageNet with momentum 0.9" in _prose(
        "concepts/initialization.md")
    assert (f"in miniature (30 ReLU layers of {p['width']} units learning {p['samples']} points of toy moons by "
            f"full-batch SGD at lr {p['lr']:g}, for 1,200 steps, 500 with `quick=True`)") in _prose(
        "concepts/initialization.md")


def test_the_pages_say_that_the_quick_report_trains_three_seeds() -> None:
    # the README and the lecture-report page said the training rows run "over 5 seeds", and --quick only "smaller
    # networks, shorter training"; its findings read "for Xavier in 1 of 3 seeds": quick=True trains 3 seeds
    from tinygrad_init.lab import training

    assert [len(training.seeds_of(0, None, quick)[1]) for quick in (False, True)] == [5, 3]
    lecture = _prose("howto/lecture-report.md")
    assert "# smaller networks, shorter training, 3 seeds" in lecture
    assert "The full report trains 5 seeds for rows 5 to 8; `--quick` trains 3" in lecture
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "over 5 seeds (3 with `--quick`;" in readme and "(smaller networks, shorter training, 3 seeds)" in readme


# Each paper has one year wherever it is cited (package, docstrings, pages, README, tutorials, tests' comments): a
# lecturer copies the citation onto a slide. Saxe, McClelland & Ganguli is the ICLR 2014 paper (arXiv:1312.6120,
# 2013): docs/concepts/initialization.md dated it 2013 in its heading and its sources, init.py and init_schemes.md 2014.
CITED_YEAR = {"Saxe": 2014, "Glorot": 2010, "He": 2015, "LeCun": 1998, "Mishkin": 2015, "Martens": 2010, "Poole": 2016,
              "Schoenholz": 2017, "Pennington": 2017, "Hanin": 2018, "Ioffe": 2015, "Mezzadri": 2007, "Cho": 2009,
              "Hayou": 2019}
_CITATION = re.compile(r"\b(%s)\b(?:, [A-Z]\.| et al\.| &(?:amp;)? [A-Z][\w-]+| and [A-Z][\w-]+|, [A-Z][\w-]+"
                       r"|,? [A-Z]\. ?[A-Z][\w-]+)*(?:'s(?: fix)?)?,?\s*\(?((?:19|20)\d\d)\b" % "|".join(CITED_YEAR))


def test_every_paper_is_cited_with_one_year():
    files = [*ROOT.glob("tinygrad_init/**/*.py"), *DOCS.glob("**/*.md"), ROOT / "README.md",
             *ROOT.glob("tutorials/*.py"), *ROOT.glob("tutorials/*.md"), *ROOT.glob("tests/**/*.py")]
    found = [(f.relative_to(ROOT).as_posix(), m) for f in files
             for m in _CITATION.finditer(f.read_text(encoding="utf-8"))]
    assert {m.group(1) for _, m in found} == set(CITED_YEAR)  # the pattern finds every paper's citations
    wrong = [(path, m.group(0)) for path, m in found if int(m.group(2)) != CITED_YEAR[m.group(1)]]
    assert not wrong, f"cited with another year: {wrong}"
    # CS231n numbered its lectures by the year (the initialization lecture is 5 in 2016, 6 in 2017): tutorial 5
    # quoted the slide's stds from "CS231n (lecture 6, ...)" without the year
    readers = [*DOCS.glob("**/*.md"), ROOT / "README.md", *ROOT.glob("tutorials/*.py"), *ROOT.glob("tutorials/*.md")]
    undated = [(f.name, m.group(0)) for f in readers for text in [" ".join(f.read_text(encoding="utf-8").split())]
               for m in re.finditer(r"CS231n\b[^.]{0,60}?[Ll]ecture (\d+)[^.]{0,60}", text)
               if {"5": "2016", "6": "2017"}.get(m.group(1), "?") not in m.group(0)]
    assert not undated, f"a CS231n lecture named without its year: {undated}"
    page = _prose("concepts/initialization.md")
    assert "## Orthogonal (Saxe et al. 2014)" in (DOCS / "concepts/initialization.md").read_text(encoding="utf-8")
    assert "(2014). Exact solutions to the nonlinear dynamics of learning in deep linear neural networks. ICLR 2014 " \
           "(arXiv:1312.6120, 2013)" in page.replace("*", "")


@pytest.mark.xdist_group(SWEEP)
@pytest.mark.parametrize("seed", range(5))
def test_visible_backprop_md_says_the_small_init_weight_gradients_keep_their_size_in_every_layer(seed) -> None:
    # the page said that with 0.01*randn, dL/dh reaching layer 1 being 1.4e-6 of the output's, "the first layers
    # hardly learn" (init_schemes.md: "the activations and the weight gradients vanish", where the verdict's
    # "vanishes" is a shrinking through depth); but dL/dW = h_in^T dL/dz, and h_in shrinks forward by the same 0.224
    # a layer: over seeds 0-4 (10 tanh layers of 500, batch 1000) std(dL/dW) at layer 1 and at layer 10 agree within
    # 1%, 4.2e-5 to 4.3e-5, against about 8.5 with randn/sqrt(fan_in) (CS231n's Xavier)

    text = _prose("visible_backprop.md")
    assert "the first layers hardly learn" not in text
    # and with Xavier's weights it is not the same in every layer: 8.37-8.51 at layer 1, 7.20-7.30 at layer 10 (the
    # page said "about 8.5" there)
    assert ("`dL/dW` has about the same std in every layer (`4.3e-5` at layer 1 and at layer 10 in the lecture "
            "report, `0.01 * randn` with tanh; with Xavier's weights it is `8.5` at layer 1 and `7.2` at "
            "layer 10)") in text
    assert ("so the activations vanish, and `dL/dh` on the way back; the weight gradients (a layer's input times "
            "`dL/dz`) are tiny but about equally so in every layer, `4e-5`") in _prose("init_schemes.md")
    g = sweep_run("small", "tanh", seed).values("grad_w_std")  # experiments.run_one(..., rng=seed), shared
    assert g[0] / g[-1] == pytest.approx(1.0, abs=0.05) and 4.1e-5 < g[0] < 4.4e-5, g
    x = sweep_run("cs231n", "tanh", seed).values("grad_w_std")
    assert 8.3 < x[0] < 8.6 and 7.1 < x[-1] < 7.4 and 1e5 < x[0] / g[0], x


@pytest.mark.xdist_group(SWEEP)
@pytest.mark.parametrize("seed", range(5))
def test_the_tutorials_index_says_the_large_init_gradient_grows_while_most_units_pass_none(seed) -> None:
    # tutorial 5's line said that with 0.01*randn and randn "activations collapse, or saturate, and the gradients
    # with them"; with randn (10 tanh layers of 500, batch 1000, seeds 0-4) 90% of the units saturate and the median
    # |dL/dz| at layer 1 is 0, yet std(dL/dh) grows 3.47-3.49 times a layer from layer 10 to 1 (the tutorial asserts
    # 3.3-3.7), as CS231n's "gradients all zero" slide leaves out

    text = _prose("tutorials/index.md")
    assert "and the gradients with them" not in text
    assert "or they saturate, most units pass no gradient, and yet the std of `dL/dh` grows about 3.5 times a layer" \
        in text
    run = sweep_run("large", "tanh", seed)  # experiments.run_one("large", "tanh", rng=seed), shared
    g = run.values("grad_act_std")
    assert 3.3 < (g[0] / g[-1]) ** (1 / 9) < 3.7 and (run.values("saturated") > 0.85).all()
    assert run.layers[0]["grad_pre_median"] < 1e-3 * run.layers[0]["grad_pre_std"]
    small = sweep_run("small", "tanh", seed).values("grad_act_std")
    assert small[0] / small[-1] < 1e-5
