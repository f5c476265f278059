"""Shared test helpers: tests that need an outside program or package.

Locally a missing Graphviz ``dot``, Chromium or torch skips the tests that need it. Under
continuous integration (``CI=true``, set by ``.ci/run``) those tools are installed, so a
missing one is an error and the test fails with a message saying what to install.

Two ways to use this:

- mark the test: ``@pytest.mark.graphviz`` (needs ``dot``), ``@pytest.mark.browser``
  (needs Chromium), ``@pytest.mark.torch`` (needs the torch package); or
- call a helper inside the test: ``dot = require_binary("dot")`` returns the path;
  ``torch = require_module("torch")`` returns the module. Import them with
  ``from conftest import require_binary, require_module`` (pytest puts this folder on
  ``sys.path``), or use the fixtures ``dot_binary`` and ``chromium_binary``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import shutil
from types import ModuleType

# One BLAS thread per test process: the suite's matrices are small enough that a second
# thread buys little, and on a loaded two-core machine it can make numpy several times slower.
# Set before numpy is first imported (by the tests or the package).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest

#: Names under which each tool may be installed, tried in order.
BINARY_ALIASES: dict[str, tuple[str, ...]] = {
    "dot": ("dot",),
    "chromium": ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
}

#: How to install each tool, for the messages.
INSTALL_HINTS: dict[str, str] = {
    "dot": "apt-get install graphviz (Debian/Ubuntu) or brew install graphviz (macOS)",
    "chromium": "apt-get install chromium (Debian) or install Google Chrome",
    "node": "apt-get install nodejs (Debian/Ubuntu) or brew install node (macOS)",
    "torch": "pip install torch==2.13.0, or run TINYGRAD_INIT_TORCH=1 bash scripts/test.sh",
}


def in_ci() -> bool:
    """True when running under continuous integration (environment variable ``CI=true``)."""
    return os.environ.get("CI") == "true"


def _missing(what: str, hint: str) -> None:
    if in_ci():
        pytest.fail(f"{what} is required under CI=true but is missing; install it: {hint}", pytrace=False)
    pytest.skip(f"{what} is not installed ({hint})")


def find_binary(name: str) -> str | None:
    """The full path of program ``name`` (or one of its known aliases), or None."""
    for candidate in BINARY_ALIASES.get(name, (name,)):
        path = shutil.which(candidate)
        if path:
            return path
    return None


def require_binary(name: str) -> str:
    """Return the path of program ``name``; skip the test if it is missing (fail under CI=true).

    Args:
        name: a program such as ``"dot"`` or ``"chromium"`` (which also accepts
            ``chromium-browser`` and ``google-chrome``).
    """
    path = find_binary(name)
    if path is None:
        _missing(f"the program '{name}'", INSTALL_HINTS.get(name, f"install '{name}'"))
    return path  # type: ignore[return-value]


def require_module(name: str) -> ModuleType:
    """Import and return module ``name``; skip the test if it is missing (fail under CI=true)."""
    try:
        return importlib.import_module(name)
    except ImportError as e:
        error = str(e)
    _missing(f"the Python package '{name}' ({error})", INSTALL_HINTS.get(name, f"pip install {name}"))
    raise AssertionError("not reached: _missing skips or fails")


def torch_module() -> ModuleType:
    """torch, for the top of a test module that compares with it: under CI=true it must import (else the module
    fails); elsewhere a missing torch skips the module. (``pytest.importorskip`` alone would skip under CI too.)"""
    if in_ci():
        try:
            return importlib.import_module("torch")
        except ImportError as e:  # pragma: no cover - only on a broken CI machine
            pytest.fail(f"CI=true but torch cannot be imported ({e}); {INSTALL_HINTS['torch']}", pytrace=False)
    return pytest.importorskip("torch")


@pytest.fixture
def dot_binary() -> str:
    """Path of the Graphviz ``dot`` program (skips or fails as :func:`require_binary`)."""
    return require_binary("dot")


@pytest.fixture
def chromium_binary() -> str:
    """Path of a Chromium or Chrome program (skips or fails as :func:`require_binary`)."""
    return require_binary("chromium")


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


#: marker -> (is the tool there?, what to require)
_MARKED = {
    "graphviz": (lambda: find_binary("dot") is not None, lambda: require_binary("dot")),
    "browser": (lambda: find_binary("chromium") is not None, lambda: require_binary("chromium")),
    "torch": (lambda: _module_available("torch"), lambda: require_module("torch")),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tutorials' tests first; outside CI, skip marked tests whose tool is missing (reported at the test's own
    line)."""
    # tests/tutorials holds the longest single tests (each notebook run, the claims over seeds: up to 20 s), collected
    # last: under pytest-xdist a worker that drew one of them at the end ran it while the other had nothing left.
    # First, they are spread while the many short tests fill in behind them (each file keeps its order).
    items[:] = sorted(items, key=lambda item: item.path.parent.name != "tutorials")
    if in_ci():
        return  # under CI they fail in pytest_runtest_setup instead
    present: dict[str, bool] = {}
    for item in items:
        for marker, (available, _) in _MARKED.items():
            if item.get_closest_marker(marker) is None:
                continue
            if marker not in present:
                present[marker] = available()
            if not present[marker]:
                tool = {"graphviz": "dot", "browser": "chromium", "torch": "torch"}[marker]
                item.add_marker(pytest.mark.skip(
                    reason=f"needs {tool}, which is not installed ({INSTALL_HINTS[tool]})"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Enforce the ``graphviz``, ``browser`` and ``torch`` markers (fail under CI=true)."""
    for marker, (_, require) in _MARKED.items():
        if item.get_closest_marker(marker) is not None:
            require()


def pytest_report_header(config: pytest.Config) -> list[str]:
    tools = []
    for name in ("dot", "chromium"):
        tools.append(f"{name}={find_binary(name) or 'missing'}")
    try:  # the installed version, without the cost of importing torch
        tools.append(f"torch={importlib.metadata.version('torch')}")
    except importlib.metadata.PackageNotFoundError:
        tools.append("torch=missing")
    return [f"tinygrad_init tools: {', '.join(tools)}; CI={'true' if in_ci() else 'no'}"]
