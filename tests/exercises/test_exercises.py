"""The exercises and their grader.

- Every reference solution passes its check, every blank stub fails it ("not implemented yet"),
  and every known-wrong solution fails with the hint of exactly the mistake it makes.
- The checks agree with the library: tinygrad_init's own fans, xavier_uniform, he_normal,
  topological_order and unbroadcast pass them, and the reference solutions give the library's
  numbers (theory.predict for the ReLU stds).
- The grader survives what student code does: raising, endless loops, sys.exit, os._exit,
  wrong types and shapes, syntax errors, printing; `start` refuses to overwrite; exit codes.

The checks themselves run in this process (fast); the grader's process isolation is tested by a
few subprocess runs.
"""

from __future__ import annotations

import ast
import io
import math
import os
import re
import subprocess
import sys
import textwrap
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_init.exercises import catalog, grader, runner
from tinygrad_init.exercises.runner import check_file

EXERCISES = catalog.EXERCISES
WRONG = [(ex, key, path) for ex in EXERCISES for key, path in grader.wrong_paths(ex).items()]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKS_DIR = os.path.join(os.path.dirname(os.path.abspath(catalog.__file__)), "checks")


def _ids(ex: catalog.Exercise) -> str:
    return ex.label + "_" + ex.name


def _write(folder, ex: catalog.Exercise, source: str) -> str:
    path = os.path.join(str(folder), ex.file)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(source))
    return path


def _load(path: str, name: str = "_loaded") -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__file__ = path
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), mod.__dict__)
    return mod


# ------------------------------------------------------------------ the catalog and its files


def test_catalog_is_complete_and_consistent():
    assert len(EXERCISES) >= 12
    assert [ex.number for ex in EXERCISES] == list(range(1, len(EXERCISES) + 1))
    assert len({ex.name for ex in EXERCISES}) == len(EXERCISES)
    for ex in EXERCISES:
        assert ex.tutorial in catalog.TUTORIALS, ex.name
        assert os.path.isfile(grader.stub_path(ex)), ex.file
        assert os.path.isfile(grader.solution_path(ex)), ex.file
        assert os.path.isfile(os.path.join(CHECKS_DIR, ex.file)), ex.file
        wrong = grader.wrong_paths(ex)
        assert len(wrong) >= 2, f"{ex.name} needs at least two known-wrong solutions, has {sorted(wrong)}"
        assert set(wrong) <= set(ex.hints), f"{ex.name}: wrong solutions without a hint: {set(wrong) - set(ex.hints)}"


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_every_hint_is_used_by_its_check(ex):
    # A hint that no check can produce is dead text; a key the check uses must exist (ex.hint raises).
    with open(os.path.join(CHECKS_DIR, ex.file), encoding="utf-8") as fh:
        source = fh.read()
    with open(os.path.join(CHECKS_DIR, "_init_common.py"), encoding="utf-8") as fh:
        shared = fh.read() if "_init_common" in source else ""
    strings = {n.value for n in ast.walk(ast.parse(source + "\n" + shared))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    unused = [k for k in ex.hints if k not in strings]
    assert not unused, f"{ex.name}: hints never produced by the check: {unused}"


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_stub_states_task_math_hint_and_raises(ex):
    with open(grader.stub_path(ex), encoding="utf-8") as fh:
        source = fh.read()
    tree = ast.parse(source)
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == ex.function]
    assert funcs, f"stub of {ex.name} does not define {ex.function}"
    doc = ast.get_docstring(funcs[0]) or ""
    for section in ("The task:", "The math:", "Hint:"):
        assert section in doc, f"stub of {ex.name}: docstring lacks {section!r}"
    assert f'raise NotImplementedError("{ex.function}:' in source
    assert f"grade . {ex.label}" in source  # the file says how to grade it


def test_checks_never_use_the_reference_solutions():
    # A lecturer may withhold solutions/: no check, and not the runner, imports them or opens their files.
    files = [os.path.join(CHECKS_DIR, n) for n in os.listdir(CHECKS_DIR) if n.endswith(".py")]
    files.append(runner.__file__)
    for path in files:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "solutions" not in (node.module or ""), path
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value != "solutions" and "solution_path" not in node.value, path
            if isinstance(node, ast.Name):
                assert node.id not in ("solution_path",), path


def test_resolve_accepts_numbers_names_and_files():
    ex = catalog.get("unbroadcast")
    for token in ("unbroadcast", "ex07", "7", "07", "ex07_unbroadcast", "ex07_unbroadcast.py", "work/ex07_unbroadcast.py",
                  "EX07"):
        assert catalog.resolve(token) is ex, token
    assert catalog.resolve("numerical_gradient") is catalog.get("central_difference")  # the function name
    with pytest.raises(ValueError, match="unknown exercise 'nope'.*ex01 \\(mul_backward\\)"):
        catalog.resolve("nope")


# ------------------------------------------------------------------ solutions, stubs, wrong solutions


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_reference_solution_passes(ex):
    result = check_file(ex, grader.solution_path(ex))
    assert result.passed, result.message


@pytest.mark.parametrize("ex", EXERCISES, ids=_ids)
def test_blank_stub_fails_as_not_implemented(ex):
    result = check_file(ex, grader.stub_path(ex))
    assert result.status == "todo"
    assert f"`{ex.function}` still raises NotImplementedError" in result.message


@pytest.mark.parametrize("ex,key,path", WRONG, ids=[f"{e.label}_{k}" for e, k, _ in WRONG])
def test_known_wrong_solution_is_caught_with_its_hint(ex, key, path):
    result = check_file(ex, path)
    assert result.status == "fail", result
    assert result.mistake == key, f"expected mistake {key!r}, got {result.mistake!r}:\n{result.message}"
    assert "hint: " + ex.hints[key] in result.message


# ------------------------------------------------------------------ the checks agree with the library


def test_library_functions_pass_the_checks():
    from tinygrad_init import autograd, init, tensor

    for name, fn in (("fans", init.fans), ("xavier_uniform", init.xavier_uniform), ("he_normal", init.he_normal),
                     ("topological_order", autograd.topological_order), ("unbroadcast", tensor.unbroadcast)):
        ex = catalog.get(name)
        module = types.ModuleType("library")
        module.__file__ = "<library>"
        setattr(module, ex.function, fn)
        __import__(f"tinygrad_init.exercises.checks.{ex.stem}", fromlist=["check"]).check(module)


def test_reference_solutions_give_the_library_numbers():
    from tinygrad_init import init, theory

    xavier = _load(grader.solution_path(catalog.get("xavier_uniform"))).xavier_uniform
    he = _load(grader.solution_path(catalog.get("he_normal"))).he_normal
    fans = _load(grader.solution_path(catalog.get("fans"))).fans
    relu_std = _load(grader.solution_path(catalog.get("relu_std"))).predict_relu_std
    for shape in ((400, 100), (8, 4, 3, 3), (3, 5, 2)):
        assert fans(shape) == init.fans(shape)
        for dtype in (np.float32, np.float64):
            # Same seed, same numbers, byte for byte.
            np.testing.assert_array_equal(xavier(shape, rng=5, dtype=dtype), init.xavier_uniform(shape, rng=5, dtype=dtype))
            np.testing.assert_array_equal(he(shape, rng=5, dtype=dtype), init.he_normal(shape, rng=5, dtype=dtype))
    widths, stds = [100, 50, 50, 20, 10], [0.1, math.sqrt(2 / 50), 0.3, 0.05]
    np.testing.assert_allclose(relu_std(widths, stds, 1.5),
                               theory.predict(widths, "relu", init=stds, input_std=1.5).pre_std, rtol=1e-12)


def test_relu_std_prediction_matches_a_simulation():
    # The exercise's theory against a measured network (4096 samples; a loose statistical tolerance).
    relu_std = _load(grader.solution_path(catalog.get("relu_std"))).predict_relu_std
    rng = np.random.default_rng(0)
    widths, stds = [200, 300, 300, 100], [0.07, math.sqrt(2 / 300), 0.05]
    h = rng.normal(0.0, 1.5, size=(4096, widths[0]))
    measured = []
    for n_in, n_out, s in zip(widths[:-1], widths[1:], stds):
        z = h @ rng.normal(0.0, s, size=(n_in, n_out))
        measured.append(z.std())
        h = np.maximum(z, 0.0)
    np.testing.assert_allclose(measured, relu_std(widths, stds, 1.5), rtol=0.05)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=0, max_size=3), st.integers(0, 2), st.data())
def test_reference_unbroadcast_agrees_with_the_engine(shape, extra, data):
    from tinygrad_init.tensor import unbroadcast

    solution = _load(grader.solution_path(catalog.get("unbroadcast"))).unbroadcast
    shape = tuple(shape)
    # The broadcast shape: leading axes added, size-1 axes stretched.
    stretched = tuple(data.draw(st.integers(1, 3)) if n == 1 else n for n in shape)
    big = tuple(data.draw(st.lists(st.integers(1, 3), min_size=extra, max_size=extra))) + stretched
    grad = np.random.default_rng(len(big)).normal(size=big)
    want = unbroadcast(grad, shape)
    got = solution(grad, shape)
    assert np.shape(got) == shape
    np.testing.assert_allclose(got, want, rtol=1e-12)


# ------------------------------------------------------------------ clear messages for student code (in process)


@pytest.mark.parametrize("name,source,expected", [
    ("unbroadcast", "def unbroadcast(grad, shape):\n    return grad.tolist()\n",
     "expected an ndarray of shape (4,), got a list of 4 items"),
    ("linear_backward", "def linear_backward(x, W, g):\n    return g @ W.T, x.T @ g\n",
     "expected a tuple of 3 items (dx, dW, db), got a tuple of 2 items"),
    ("mul_backward", "def mul_backward(a, b, upstream):\n    upstream * b\n",
     "expected a tuple of 2 items (da, db), got None (did you forget `return`?)"),
    ("tanh_backward", "from tinygrad_init import Value\ndef tanh_backward(x, upstream):\n"
                      "    return Value(x).tanh()\n",
     "expected a number (a float), got a Value. Return a plain number, e.g. its .data."),
    ("xavier_uniform", "import numpy as np\ndef xavier_uniform(shape, rng=None, dtype=np.float32):\n"
                       "    return np.zeros((3, 4))\n",
     "xavier_uniform((4, 3), rng=0): expected an ndarray of shape (4, 3), got shape (3, 4)"),
    ("relu_std", "def predict_relu_std(widths, weight_stds, input_std=1.0):\n    return [1.0]\n",
     "expected an ndarray of shape (4,), got a list of 1 item"),
    ("topological_order", "def topological_order(root):\n    return {root}\n",
     "expected a list of nodes, got a set"),
    ("accumulate_grads", "def accumulate_grads(edges, root):\n    return [1.0]\n",
     "expected a dict mapping node names to gradients, got a list of 1 item"),
])
def test_wrong_types_and_shapes_get_plain_messages(tmp_path, name, source, expected):
    ex = catalog.get(name)
    result = check_file(ex, _write(tmp_path, ex, source))
    assert result.status == "fail"
    assert expected in result.message


def test_student_exception_names_type_message_line_and_call(tmp_path):
    ex = catalog.get("pow_backward")
    path = _write(tmp_path, ex, """\
        def pow_backward(x, n, upstream):
            scale = 0.0
            return upstream / scale
        """)
    result = check_file(ex, path)
    assert result.status == "error"
    assert "your code raised ZeroDivisionError: float division by zero" in result.message
    assert "while running pow_backward(x=1.5, n=3, upstream=-0.7)" in result.message
    assert "at ex02_pow_backward.py, line 3, in pow_backward:  return upstream / scale" in result.message


def test_error_deep_inside_numpy_points_at_the_students_line(tmp_path):
    ex = catalog.get("linear_backward")
    path = _write(tmp_path, ex, """\
        import numpy as np
        def linear_backward(x, W, g):
            return g @ W, x.T @ g, g.sum(0)
        """)
    result = check_file(ex, path)
    # The square case is recognised by its numbers; with the shapes of case 2 numpy would raise.
    assert result.mistake == "dx_no_transpose"
    path = _write(tmp_path, ex, """\
        import numpy as np
        def linear_backward(x, W, g):
            return x @ g, x.T @ g, g.sum(0)
        """)
    result = check_file(ex, path)
    assert result.status == "error"
    assert result.message.startswith("your code raised ValueError: matmul")
    assert "line 3, in linear_backward:  return x @ g, x.T @ g, g.sum(0)" in result.message


def test_syntax_error_import_error_missing_function_and_exit(tmp_path):
    ex = catalog.get("fans")
    r = check_file(ex, _write(tmp_path, ex, "def fans(shape)\n    return 1, 2\n"))
    assert r.status == "error" and "your file has a syntax error at line 1" in r.message
    r = check_file(ex, _write(tmp_path, ex, "import math\nraise RuntimeError('boom')\n"))
    assert r.status == "error"
    assert "RuntimeError: boom while your file was being loaded" in r.message and "line 2" in r.message
    r = check_file(ex, _write(tmp_path, ex, "def fan(shape):\n    return 1, 2\n"))
    assert r.status == "fail" and "your file defines no function `fans`" in r.message
    r = check_file(ex, _write(tmp_path, ex, "import sys\ndef fans(shape):\n    sys.exit(4)\n"))
    assert r.status == "error" and "your code called sys.exit(4)" in r.message
    r = check_file(ex, str(tmp_path / "nothing_here.py"))
    assert r.status == "missing"


def test_printing_is_captured_and_interpreter_state_restored(tmp_path):
    ex = catalog.get("mul_backward")
    path = _write(tmp_path, ex, """\
        import os, sys
        import numpy as np
        def mul_backward(a, b, upstream):
            print("debug", a, b)
            os.chdir("/")
            sys.path.append("/nowhere")
            np.seterr(all="raise")
            return upstream * b, upstream * a
        """)
    cwd, path_before, err = os.getcwd(), list(sys.path), np.geterr()
    result = check_file(ex, path)
    assert result.passed
    assert result.output.startswith("debug 3.0 -2.0\n")
    assert (os.getcwd(), sys.path, np.geterr()) == (cwd, path_before, err)
    assert ex.stem not in sys.modules


def test_later_exercise_may_import_an_earlier_one(tmp_path):
    fans_ex, he_ex = catalog.get("fans"), catalog.get("he_normal")
    with open(grader.solution_path(fans_ex), encoding="utf-8") as fh:
        _write(tmp_path, fans_ex, fh.read())
    path = _write(tmp_path, he_ex, """\
        import math
        import numpy as np
        from ex11_fans import fans
        def he_normal(shape, rng=None, dtype=np.float32):
            fan_in, _ = fans(shape)
            return np.random.default_rng(rng).normal(0.0, math.sqrt(2 / fan_in), size=shape).astype(dtype)
        """)
    assert check_file(he_ex, path).passed
    assert "ex11_fans" not in sys.modules


# ------------------------------------------------------------------ the command line and process isolation


def _run(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    code = grader.main(argv, out=buf)
    return code, buf.getvalue()


def test_start_copies_stubs_and_refuses_to_overwrite(tmp_path):
    work = str(tmp_path / "work")
    code, text = _run(["start", work])
    assert code == 0
    assert f"Copied {len(EXERCISES)} exercise files into {work}" in text
    assert f"grade {work} ex01" in text
    for ex in EXERCISES:
        with open(os.path.join(work, ex.file), encoding="utf-8") as a, open(grader.stub_path(ex), encoding="utf-8") as b:
            assert a.read() == b.read()
    mine = os.path.join(work, "ex03_tanh_backward.py")
    with open(mine, "w", encoding="utf-8") as fh:
        fh.write("# my work\n")
    code, text = _run(["start", work])
    assert code == 1
    assert "Refusing to overwrite" in text and "--force" in text and "Nothing was copied" in text
    with open(mine, encoding="utf-8") as fh:
        assert fh.read() == "# my work\n"
    code, text = _run(["start", work, "ex03", "--force"])
    assert code == 0 and "Copied 1 exercise file into" in text
    with open(mine, encoding="utf-8") as fh:
        assert "NotImplementedError" in fh.read()
    other = str(tmp_path / "only")
    assert _run(["start", other, "5", "unbroadcast"])[0] == 0
    assert sorted(os.listdir(other)) == ["ex05_topological_order.py", "ex07_unbroadcast.py"]


def test_usage_errors_exit_2(tmp_path):
    code, text = _run(["grade", str(tmp_path / "missing")])
    assert code == 2 and "there is no folder" in text and "start" in text
    code, text = _run(["grade", str(tmp_path), "nope"])
    assert code == 2 and "unknown exercise 'nope'" in text
    code, text = _run(["start", str(tmp_path), "nope"])
    assert code == 2
    assert _run([])[0] == 2
    with pytest.raises(SystemExit) as info:
        _run(["grade", str(tmp_path), "--timeout", "-1"])
    assert info.value.code == 2


def test_help_teaches(capsys):
    with pytest.raises(SystemExit) as info:
        grader.main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for part in ("start DIR", "grade DIR", "NotImplementedError", "hint", "time limit"):
        assert part in text
    with pytest.raises(SystemExit):
        grader.main(["grade", "--help"])
    text = capsys.readouterr().out
    assert "--timeout SECONDS" in text and "default 10" in text


def test_list_groups_by_tutorial():
    code, text = _run(["list"])
    assert code == 0
    assert "Tutorial 1: A scalar autograd engine from the ground up" in text
    assert "Tutorial 7: ReLU and He" in text
    for ex in EXERCISES:
        assert f"{ex.label}  {ex.name}" in text


def test_grade_all_solutions_passes_with_exit_0(tmp_path):
    for ex in EXERCISES:
        with open(grader.solution_path(ex), encoding="utf-8") as fh:
            _write(tmp_path, ex, fh.read())
    code, text = _run(["grade", str(tmp_path)])
    assert code == 0, text
    assert text.rstrip().endswith(f"{len(EXERCISES)} passed -- well done!")
    assert text.count("PASS  ") == len(EXERCISES)


def test_grader_survives_bad_student_code_in_a_subprocess(tmp_path):
    folder = str(tmp_path)
    sources = {
        "mul_backward": open(grader.solution_path(catalog.get("mul_backward")), encoding="utf-8").read(),
        "tanh_backward": "def tanh_backward(x, upstream):\n    return 1 / 0\n",
        "sigmoid_backward": "def sigmoid_backward(x, upstream):\n    while True:\n        pass\n",
        "topological_order": "import sys\ndef topological_order(root):\n    print('bye')\n    sys.exit(3)\n",
        "accumulate_grads": "import os\ndef accumulate_grads(edges, root):\n    os._exit(7)\n",
        "unbroadcast": "def unbroadcast(grad, shape):\n    return grad.tolist()\n",
        "linear_backward": "def linear_backward(x, W, g)\n    return 1\n",
        "softmax_ce_backward": "import sys\nprint('x' * 10, file=sys.stderr)\nimport os\nos.write(1, b'garbage\\n')\n"
                               "def softmax_cross_entropy_backward(logits, targets):\n    return None\n",
    }
    for name, source in sources.items():
        _write(folder, catalog.get(name), source)
    names = ["mul_backward", "pow_backward", *list(sources)[1:]]
    code, text = _run(["grade", folder, *names, "--timeout", "2"])
    assert code == 1
    verdicts = {name: verdict for verdict, name in re.findall(r"^(PASS|FAIL)  ex\d\d  (\w+)", text, flags=re.M)}
    assert verdicts == {
        "mul_backward": "PASS", "pow_backward": "FAIL", "tanh_backward": "FAIL", "sigmoid_backward": "FAIL",
        "topological_order": "FAIL", "accumulate_grads": "FAIL", "unbroadcast": "FAIL",
        "linear_backward": "FAIL", "softmax_ce_backward": "FAIL"}, text
    flat = " ".join(text.split())  # messages are wrapped to 100 columns
    assert "not started: " in flat and "ex02_pow_backward.py does not exist" in flat
    assert "your code raised ZeroDivisionError: division by zero" in flat
    assert "timed out: your code was still running after 2 s" in flat
    assert "your code called sys.exit(3)" in flat and "| bye" in text
    assert "your code ended the grading process (exit status 7)" in flat
    assert "expected an ndarray of shape (4,), got a list of 4 items" in flat
    assert "your file has a syntax error at line 1" in flat
    assert "got None (did you forget `return`?)" in flat  # after os.write(1, ...): the protocol survived
    assert text.rstrip().endswith("1 passed, 7 failed, 1 not started")


def test_grade_output_is_deterministic_and_python_m_works(tmp_path):
    _run(["start", str(tmp_path)])
    for name in ("fans", "relu_std"):
        ex = catalog.get(name)
        with open(grader.solution_path(ex), encoding="utf-8") as fh:
            _write(tmp_path, ex, fh.read())
    with open(grader.wrong_paths(catalog.get("xavier_uniform"))["normal"], encoding="utf-8") as fh:
        _write(tmp_path, catalog.get("xavier_uniform"), fh.read())
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "tinygrad_init.exercises", "grade", str(tmp_path)]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 1 and first.stderr == ""
    assert first.stdout == second.stdout
    assert first.stdout.rstrip().endswith(f"2 passed, {len(EXERCISES) - 2} failed")
    assert "hint: " + catalog.get("xavier_uniform").hints["normal"][:40] in first.stdout


def test_run_isolated_reports_every_exercise(tmp_path):
    # The Python API behind `grade`: one Result per exercise, in catalog order.
    ex = catalog.get("fans")
    with open(grader.solution_path(ex), encoding="utf-8") as fh:
        _write(tmp_path, ex, fh.read())
    results = grader.grade(str(tmp_path), ["fans", "he_normal"])
    assert [(r.name, r.status) for r in results] == [("fans", "pass"), ("he_normal", "missing")]
    assert runner.STATUSES[0] == "pass"


def test_docs_list_every_exercise():
    with open(os.path.join(REPO, "docs", "exercises.md"), encoding="utf-8") as fh:
        text = fh.read()
    for ex in EXERCISES:
        assert f"| {ex.label} | `{ex.name}` | `{ex.function}(" in text, ex.name


def test_a_bug_in_a_check_is_reported_as_internal_not_blamed_on_the_student(tmp_path, monkeypatch):
    import importlib

    ex = catalog.get("mul_backward")
    check_module = importlib.import_module(f"tinygrad_init.exercises.checks.{ex.stem}")

    def broken(module):
        return {}["missing key"]

    monkeypatch.setattr(check_module, "check", broken)
    result = check_file(ex, grader.solution_path(ex))
    assert result.status == "internal"
    assert "not a mistake of yours" in result.message and "KeyError" in result.message
    path = tmp_path / ex.file
    path.write_bytes(b"def mul_backward(a, b, upstream):\n    return 1\x00\n")
    monkeypatch.undo()
    result = check_file(ex, str(path))
    assert result.status == "error" and "could not be read as Python" in result.message
