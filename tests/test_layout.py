"""The package's layers (README, "Layout") hold: import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import require_module

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    proc = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_the_flat_public_names_are_the_layered_modules() -> None:
    import tinygrad_init
    from tinygrad_init import draw, experiments, init, nn
    from tinygrad_init.lab import experiments as lab_experiments
    from tinygrad_init.nn import init as nn_init
    from tinygrad_init.observe import draw as observe_draw

    assert init is nn_init and draw is observe_draw and experiments is lab_experiments
    assert nn.Linear.__module__ == "tinygrad_init.nn.layers"
    for name in tinygrad_init._FLAT:
        assert sys.modules[f"tinygrad_init.{name}"] is getattr(tinygrad_init, name)


def test_no_module_is_over_600_lines() -> None:
    """One idea per module, small enough to read whole (the exercises' folders included)."""
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "tinygrad_init").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, f"modules over 600 lines: {long}"


def test_the_code_passes_ruff() -> None:
    """The package, its tests, benchmarks, tutorials, the docs' hooks and the scripts are linted with one
    configuration (pyproject.toml)."""
    require_module("ruff")  # under CI=true a missing tool fails
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "tinygrad_init", "tests", "benchmarks",
                           "tutorials", "docs", "scripts"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_public_names_issue_8_keeps_import_in_a_fresh_interpreter() -> None:
    """`from tinygrad_init import Value, ...` and `import tinygrad_init.<module>` for the public modules, each alone."""
    names = ["init", "data", "draw", "ledger", "losses", "optim", "probe", "theory", "gradcheck", "experiments",
             "exercises", "autograd", "value", "tensor", "scalar_nn", "player", "table", "plots", "report"]
    code = ("import importlib\nfrom tinygrad_init import Value, Tensor, nn, no_grad, enable_grad, is_grad_enabled\n"
            f"for n in {names!r}:\n    importlib.import_module('tinygrad_init.' + n)\n"
            "from tinygrad_init.exercises import start, grade, Result\n"
            "r = Result('ex01', 'pass')\n"
            "assert (r.status, r.passed, r.mistake, r.message) == ('pass', True, None, '')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_an_args_section_documents_exactly_the_parameters():
    # Google style: where a public function lists its Args, it lists each parameter once, and no other name
    import importlib
    import inspect
    import pkgutil
    import re

    import tinygrad_init
    wrong = []
    for info in pkgutil.walk_packages(tinygrad_init.__path__, "tinygrad_init."):
        if ".exercises" in info.name or info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            members = vars(obj).items() if inspect.isclass(obj) else ()
            funcs = [(name, obj)] if inspect.isfunction(obj) else [(f"{name}.{k}", v) for k, v in members
                                                                   if inspect.isfunction(v)]
            for qualname, f in funcs:
                found = re.search(r"\n\s*Args:\n(.*?)(?:\n\s*\n|$)", "\n" + (f.__doc__ or ""), re.S)
                params = [p for p in inspect.signature(f).parameters if p not in ("self", "cls", "args", "kwargs")]
                if found and f.__module__.startswith("tinygrad_init"):
                    listed = [d.lstrip("*") for d in re.findall(r"^\s+(\*{0,2}\w+)(?: \([^)]*\))?:", found[1], re.M)]
                    if sorted(listed) != sorted(params):
                        wrong.append(f"{info.name}.{qualname}: Args {listed}, parameters {params}")
    assert not wrong, "\n".join(wrong)


def test_a_test_that_imports_torch_is_marked_torch() -> None:
    # without torch (it is no dependency) the mark skips such a test; an unmarked `import torch` failed it, and one at
    # the top of a module stopped the collection of all of that module's tests
    import ast

    def imports_torch(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Import) and any(a.name.split(".")[0] == "torch" for a in n.names) or
                   isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "torch" for n in ast.walk(node))

    def skips_without_torch(node: ast.AST) -> bool:  # importorskip("torch") skips under CI=true too: use conftest's
        return any(isinstance(n, ast.Call) and ast.unparse(n.func).endswith("importorskip") and n.args and
                   ast.unparse(n.args[0]) in ("'torch'", '"torch"') for n in ast.walk(node))

    wrong = []
    for path in sorted(p for p in (ROOT / "tests").rglob("*.py") if p.name != "conftest.py"):  # its torch_module
        tree = ast.parse(path.read_text(encoding="utf-8"))
        marked = "mark.torch" in "".join(ast.unparse(s) for s in tree.body if isinstance(s, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in s.targets))
        wrong += [f"{path.relative_to(ROOT)}:{s.lineno}" for s in tree.body
                  if isinstance(s, (ast.Import, ast.ImportFrom)) and imports_torch(s) or
                  not isinstance(s, ast.If) and skips_without_torch(s)]
        wrong += [f"{path.relative_to(ROOT)}:{f.lineno} {f.name} skips" for f in tree.body
                  if isinstance(f, ast.FunctionDef) and skips_without_torch(f)]  # use conftest's require_module
        wrong += [f"{path.relative_to(ROOT)}:{f.lineno} {f.name}" for f in tree.body
                  if isinstance(f, ast.FunctionDef) and f.name.startswith("test_") and imports_torch(f) and not marked
                  and not any("mark.torch" in ast.unparse(d) for d in f.decorator_list)]
    assert not wrong, wrong
