"""The installed package on another machine: text files read and written in UTF-8 whatever the platform's default
encoding (cp1252 on Windows), whatever folder it runs from."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import require_module
from tinygrad_init.utils import DEPENDENCIES

PACKAGE = Path(__file__).resolve().parents[1] / "tinygrad_init"


def _text_calls_without_encoding(source: str) -> list[int]:
    """Lines of `open(...)`, `.read_text(...)`, `.write_text(...)` calls in text mode that name no encoding."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        fn, kw = node.func, {k.arg for k in node.keywords}
        name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
        on_os = isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name) and fn.value.id == "os"
        if name == "open" and not on_os:
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"),
                                                                 None)
            binary = isinstance(mode, ast.Constant) and "b" in str(mode.value)
            if not binary and "encoding" not in kw and len(node.args) < 4:
                lines.append(node.lineno)
        elif name in ("read_text", "write_text"):
            if "encoding" not in kw and len(node.args) < (1 if name == "read_text" else 2):
                lines.append(node.lineno)
    return lines


def test_every_text_file_the_package_opens_names_its_encoding() -> None:
    # explorer.css/.js and the shipped chaos heatmap were read, the chaos result written, in the locale's encoding
    # (cp1252 on Windows: a non-ASCII character in them would be garbled or fail to decode)
    found = [f"{p.relative_to(PACKAGE.parent)}:{line}" for p in sorted(PACKAGE.rglob("*.py"))
             for line in _text_calls_without_encoding(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_scan_finds_a_text_call_without_encoding() -> None:
    source = ("open(p)\nopen(p, 'rb')\nopen(p, 'w', encoding='utf-8')\nos.open(p, 0)\nP.read_text()\n"
              "P.read_text('utf-8')\nP.write_text(s, newline='')\nP.write_text(s, encoding='utf-8')\n")
    assert _text_calls_without_encoding(source) == [1, 5, 7]


def test_the_explorer_page_is_built_without_the_default_encoding(tmp_path: Path) -> None:
    # what Python 3.10+ warns about under -X warn_default_encoding (EncodingWarning), made an error here
    code = "from tinygrad_init.lab import explorer\nassert 'EXPLORER' in explorer.Explorer({'x': [1]}, {}).html\n"
    done = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-W", "error::EncodingWarning", "-c", code],
                          cwd=tmp_path, env={"PYTHONPATH": str(PACKAGE.parent), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr


def test_every_file_of_the_package_that_is_not_python_ships_in_the_wheel() -> None:
    # a wheel holds a package's .py files and only the data files pyproject.toml's package-data names: a page's
    # script, style or the shipped heatmap left out works in the repository and fails once installed
    tomllib = pytest.importorskip("tomllib")
    data = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = {f for pkg, patterns in data["tool"]["setuptools"]["package-data"].items() for pattern in patterns
               for f in (PACKAGE.parent / pkg.replace(".", "/")).glob(pattern)}
    files = {f for f in PACKAGE.rglob("*") if f.is_file() and f.suffix not in (".py", ".pyc") and f.name[0] != "."}
    assert files and files <= shipped, sorted(str(f.relative_to(PACKAGE)) for f in files - shipped)


def test_the_report_is_built_in_one_process_where_no_pool_can_be_made(tmp_path: Path, monkeypatch) -> None:
    # without POSIX semaphores (AWS Lambda, Android, some containers) ProcessPoolExecutor raises OSError (ENOSYS), and
    # `tinygrad-init report` stopped with "cannot write into DIR: Function not implemented", though one process works
    import concurrent.futures
    import errno

    from tinygrad_init.lab import report

    from tests.lab.test_report import _section

    def no_pool(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    files = report.build_report(tmp_path, sections=[_section], workers=2)
    assert files.html.is_file() and {p.name for p in files.data} == {"activations.json", "activations.csv",
                                                                     "schemes.csv"}


def test_every_dependency_has_a_lower_bound_and_the_installed_version_meets_it() -> None:
    # the dependencies had no bounds, so pip kept a numpy 1.26, a graphviz 0.18 or a threadpoolctl 2.2 that the
    # package fails with (pyproject.toml says how each bound was found)
    import importlib.metadata

    from packaging.requirements import Requirement
    from packaging.version import Version

    tomllib = pytest.importorskip("tomllib")
    data = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [Requirement(d) for d in data["project"]["dependencies"]]
    assert {r.name for r in requirements} == {"numpy", *DEPENDENCIES}  # those whose absence is named on import
    for r in requirements:
        assert [s.operator for s in r.specifier] == [">="], r
        assert Version(importlib.metadata.version(r.name)) in r.specifier, r


def test_the_documentation_tools_installed_together_highlight_code() -> None:
    # on Python 3.10 pip paired mkdocstrings 1.0.6 with pymdown-extensions 12, and its highlighter failed to start
    # ("missing 1 required positional argument: 'md'"): mkdocs build stopped on every API page
    markdown = require_module("markdown")
    mkdocstrings = require_module("mkdocstrings")
    md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"])
    assert "highlight" in mkdocstrings.Highlighter(md).highlight("x = 1", "python")


def test_under_numpy_1_the_import_says_to_upgrade_numpy(tmp_path: Path) -> None:
    # numpy 1.26 (kept by `pip install --no-deps`, or a conda environment) gave float64 means of integer tensors and
    # graded a right float32 answer wrong, silently
    code = "import numpy\nnumpy.__version__ = '1.26.4'\nimport tinygrad_init\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(PACKAGE.parent)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.strip().splitlines()[-1] == (
        "ImportError: tinygrad_init needs numpy 2.0 or later, found numpy 1.26.4; upgrade it: "
        "pip install --upgrade 'numpy>=2'")


def test_the_sdist_holds_the_package_and_no_part_of_the_tests(tmp_path: Path) -> None:
    # setuptools puts tests/test*.py into an sdist by default: 5 of the suite's files shipped without conftest.py and
    # the folders they import from, and failed at collection ("No module named 'conftest'") in the unpacked sdist
    import shutil
    import tarfile

    require_module("setuptools")
    src = tmp_path / "src"
    skip = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "site", "report")
    shutil.copytree(PACKAGE.parent, src, ignore=skip)
    code = "import sys\nfrom setuptools import build_meta\nprint(build_meta.build_sdist(sys.argv[1]))\n"
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=src, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    with tarfile.open(tmp_path / done.stdout.split()[-1]) as sdist:
        names = {n.partition("/")[2] for n in sdist.getnames()}
    package = {str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*") if p.is_file() and p.suffix != ".pyc"}
    assert package <= names and {"pyproject.toml", "README.md", "LICENSE"} <= names  # a packager may redistribute
    assert not [n for n in names if n.startswith("tests")]


def _without(module: str, code: str, cwd: Path) -> subprocess.CompletedProcess:
    """`code` run where `module` cannot be imported, as after `pip install --no-deps` or in a conda environment."""
    return subprocess.run([sys.executable, "-c", f"import sys\nsys.modules[{module!r}] = None\n{code}"], cwd=cwd,
                          env={"PYTHONPATH": str(PACKAGE.parent), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("module", ["graphviz", "threadpoolctl"])
def test_without_a_dependency_the_import_says_what_to_install(module: str, tmp_path: Path) -> None:
    # `import tinygrad_init` (and so every command) ended in "ModuleNotFoundError: No module named 'graphviz'" from
    # deep inside observe/draw.py, without a word of what to do
    done = _without(module, "import tinygrad_init", tmp_path)
    assert done.returncode == 1 and done.stderr.strip().splitlines()[-1] == (
        f"ModuleNotFoundError: tinygrad_init needs {module}, which is not installed; install it: pip install {module}")


@pytest.mark.parametrize("command, module", [("report", "matplotlib"), ("report", "tqdm"), ("chaos", "matplotlib")])
def test_without_matplotlib_or_tqdm_a_command_says_what_to_install_before_it_computes(command: str, module: str,
                                                                                        tmp_path: Path) -> None:
    # `tinygrad-init report` ran its experiments, then stopped on the first figure with a traceback of 30 lines ending
    # in "ModuleNotFoundError: No module named 'matplotlib'"; `chaos` trained for minutes, then did the same
    args = ["report", "--quick", "--out", "r"] if command == "report" else ["chaos", "--json", "c.json", "--figure",
                                                                            "c.png"]
    done = _without(module, f"from tinygrad_init.cli import main\nsys.exit(main({args!r}))", tmp_path)
    assert (done.returncode, done.stderr) == (1, f"tinygrad-init {command}: tinygrad_init needs {module}, which is "
                                                 f"not installed; install it: pip install {module}\n")
    assert not (tmp_path / "c.json").exists() and not (tmp_path / "r" / "figures").exists()


def test_without_matplotlib_the_engines_work_and_a_figure_says_what_to_install(tmp_path: Path) -> None:
    code = ("import tinygrad_init as t\nfrom tinygrad_init.lab import plots\nv = t.Value(3.0)\n(v * v).backward()\n"
            "assert v.grad == 6.0\nplots.slide_figure(1, 1)\n")
    done = _without("matplotlib", code, tmp_path)
    assert done.returncode == 1 and done.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: tinygrad_init needs matplotlib, which is not installed; install it: "
        "pip install matplotlib")


def test_a_name_missing_from_an_installed_dependency_is_not_said_to_be_not_installed() -> None:
    from tinygrad_init.utils import not_installed

    old = ImportError("cannot import name 'threadpool_limits' from 'threadpoolctl'", name="threadpoolctl")
    other = ModuleNotFoundError("No module named 'kiwisolver'", name="kiwisolver")
    assert not_installed(old) is old and not_installed(other) is other


def test_chi_1_at_a_zero_fixed_point_is_exact_whatever_the_blas_rounds(monkeypatch) -> None:
    # Python 3.10 gets numpy 2.2 at most, whose BLAS summed the quadrature's weights at q = 1e-300 to 1 + 2.2e-16:
    # fixed_point('tanh', 1.0).chi (LeCun on tanh, the critical line's end) was 1.0000000000000002, not 1, and three
    # tests of tests/lab/test_theory.py failed there; here the weights are made one ulp heavy, as that BLAS rounds
    from tinygrad_init.lab import theory

    nodes = theory._nodes
    monkeypatch.setattr(theory, "_nodes", lambda *args: (lambda z, w: (z, w * 1.0000000000000002))(*nodes(*args)))
    assert theory.fixed_point("tanh", 1.0).chi == 1.0 and theory.chi1("tanh", 0.5) == 0.5
    assert theory.fixed_point("relu", 1.0).chi == 0.5  # the ReLU family's limit q -> 0+ as before


def _make_venv(venv: Path, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, Path]:
    """scripts/bootstrap.sh's tgi_make_venv as root, with an apt-get that only notes that it was called."""
    import shutil

    bin_dir, called = tmp_path / "fake bin", tmp_path / "apt-get was called"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$*" >> "{called}"\nexit 1\n')
    (bin_dir / "apt-get").chmod(0o755)
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = (f'source "{PACKAGE.parent}/scripts/bootstrap.sh"; tgi_can_be_root() {{ return 0; }}; '
              'tgi_as_root() { "$@"; }; tgi_make_venv; echo went on')
    return subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "TINYGRAD_INIT_VENV": str(venv), **env}), called


def test_a_venv_whose_python_is_gone_is_named_with_what_to_do_and_nothing_is_installed(tmp_path: Path) -> None:
    # the Python a .venv was made with removed (brew upgrade, pyenv uninstall) leaves bin/python a dangling link: the
    # set-up ran `python -m venv` over it, which failed ("No such file or directory: .venv/bin/python3"), took that
    # for Debian's missing venv module, apt-get installed python3.11-venv as root, and said to install it
    venv = tmp_path / "old env"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "python3"):
        (venv / "bin" / name).symlink_to(tmp_path / "gone" / "python3.12")
    done, called = _make_venv(venv, tmp_path, PYTHON=sys.executable)
    assert done.returncode == 1 and "went on" not in done.stdout and not called.exists(), done.stderr
    assert f"the virtual environment {venv} has a Python that does not run" in " ".join(done.stderr.split())
    assert f"rm -rf '{venv}'" in done.stderr


@pytest.mark.parametrize("said, debian", [
    ("Error: [Errno 13] Permission denied: '$3'", False),
    ("The virtual environment was not created successfully because ensurepip is not available.", True)])
def test_only_debians_missing_venv_module_is_installed_with_apt_get(said: str, debian: bool, tmp_path: Path) -> None:
    # any failure of `python -m venv` (a folder it may not write, a full disk) was taken for Debian's missing venv
    # module: apt-get installed python3.12-venv as root (upgrading the system's Python with it), and the set-up then
    # said "install the venv module" under venv's own "Permission denied"
    fake = tmp_path / "python3.12"
    fake.write_text(f'#!/bin/sh\ncase "$*" in *"-m venv"*) echo "{said}" >&2; exit 1;;\n'
                    '*platform*) echo 3.12.0;; *%d*) echo 3.12;; esac\nexit 0\n')
    fake.chmod(0o755)
    done, called = _make_venv(tmp_path / "env", tmp_path, PYTHON=str(fake))
    assert done.returncode == 1 and "went on" not in done.stdout and said.split(":")[0] in done.stderr, done.stderr
    assert called.exists() == debian and ("install the venv module: apt-get install python3.12-venv" in
                                          " ".join(done.stderr.split())) == debian, done.stderr
    if debian:
        assert called.read_text().split("\n")[0] == "install -y -q python3.12-venv"


def test_a_python_named_by_a_path_with_a_space_is_found(tmp_path: Path) -> None:
    # PYTHON="/opt/my tools/python3" was split at the space: "Python >= 3.10 is required, but none was found (tried:
    # /opt/my tools/python3)", though it was there
    import shutil

    python = tmp_path / "my tools" / "python3"
    python.parent.mkdir()
    python.symlink_to(sys.executable)
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{PACKAGE.parent}/scripts/bootstrap.sh"; tgi_find_python'],
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "PYTHON": str(python)}, capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, f"{python}\n"), done.stderr
