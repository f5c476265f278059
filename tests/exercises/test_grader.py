"""The grader: the command line, and the boundary between the student's code and the verdict.

- `start` copies the stubs and never overwrites; `grade` exits 0 only when everything passed;
  the output is deterministic; `python -m tinygrad_init.exercises` works;
- every shortcut fails with a clear message: importing the library's implementation (also
  disguised), the reference solutions or the checks, patching numpy or the grader from the
  student's file, forging a "pass" on the inherited pipe or writing into the grader's channel;
- accidents are handled: fork and multiprocessing children, endless loops, os._exit, sys.exit,
  segfaults, KeyboardInterrupt, running out of memory, scratch files named like standard modules.

These run real worker processes (one per exercise, about 0.1-0.3 s each); several exercises are
graded per call where one call can show several things.
"""

from __future__ import annotations

import ast
import importlib
import graphlib
import io
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

import numpy as np
import pytest

from tinygrad_init.exercises import catalog, grader, runner
from tinygrad_init.exercises.runner import grade_file

EXERCISES = catalog.EXERCISES
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def solution(name: str) -> str:
    with open(os.path.join(HERE, "solutions", catalog.get(name).file), encoding="utf-8") as fh:
        return fh.read()


def write(folder, name: str, source: str) -> str:
    path = os.path.join(str(folder), catalog.get(name).file)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(source)
    return path


def run(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    code = grader.main(argv, out=buf)
    return code, buf.getvalue()


def verdicts(text: str) -> dict[str, str]:
    return {name: verdict for verdict, name in re.findall(r"^(PASS|FAIL)  ex\d\d  (\w+)", text, flags=re.MULTILINE)}


# ------------------------------------------------------------------ the command line


def test_start_copies_stubs_and_refuses_to_overwrite(tmp_path):
    work = str(tmp_path / "work")
    code, text = run(["start", work])
    assert code == 0
    assert f"Copied {len(EXERCISES)} exercise files into {work}" in text and f"grade {work} ex01" in text
    for ex in EXERCISES:
        with open(os.path.join(work, ex.file), encoding="utf-8") as a, open(ex.stub, encoding="utf-8") as b:
            assert a.read() == b.read()
    mine = os.path.join(work, "ex03_tanh_backward.py")
    with open(mine, "w", encoding="utf-8") as fh:
        fh.write("# my work\n")
    code, text = run(["start", work])
    assert code == 1 and "Refusing to overwrite" in text and "--force" in text and "Nothing was copied" in text
    with open(mine, encoding="utf-8") as fh:
        assert fh.read() == "# my work\n"
    code, text = run(["start", work, "ex03", "--force"])
    assert code == 0 and "Copied 1 exercise file into" in text
    other = str(tmp_path / "only")
    assert run(["start", other, "5", "unbroadcast"])[0] == 0
    assert sorted(os.listdir(other)) == ["ex05_topological_order.py", "ex07_unbroadcast.py"]


def test_a_folder_typed_with_a_tilde_is_the_home_folders_as_every_other_command_reads_it(tmp_path, monkeypatch,
                                                                                          capsys):
    # `exercises start '~/w'` (quoted, or from a script's variable) made a folder named ~ in the current one
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    code, text = run(["start", "~/w", "ex01"])
    assert code == 0 and os.listdir(tmp_path / "home" / "w") == ["ex01_mul_backward.py"]
    assert not (tmp_path / "~").exists() and run(["grade", "~/w", "ex01"])[0] == 1  # found: the blank stub fails
    with pytest.raises(SystemExit) as caught:
        run(["start", ""])  # refused before too, by start(); now by the one check of every command's paths
    assert caught.value.code == 2 and "argument DIR: expected a path, got ''" in capsys.readouterr().err


def test_an_option_may_stand_between_the_folder_and_the_names(tmp_path):
    # `start work --force ex05` and `grade work --timeout 30 ex03` were refused: "unrecognized arguments: ex05"
    work = str(tmp_path / "work")
    assert run(["start", work, "ex01"])[0] == 0
    code, text = run(["start", work, "--force", "ex01", "ex02"])
    assert code == 0 and "Copied 2 exercise files into" in text
    code, text = run(["grade", work, "--timeout", "30", "ex02", "ex01"])
    assert code == 1 and f"Grading 2 exercises in {work}, time limit 30 s each" in text
    assert set(verdicts(text)) == {"mul_backward", "pow_backward"}


@pytest.mark.parametrize("argv", [["grade", "{tmp}", "ex99"], ["grade", "{tmp}/missing"], ["start", "{tmp}/f.txt"]])
def test_usage_errors_go_to_stderr_as_argparses_do(argv, tmp_path, capsys):
    # `grade work ex99 > grades.txt`: the error went into the file, the terminal showed nothing, and a script's
    # `2> errors.txt` missed it, where argparse's own (a missing DIR) went to stderr
    (tmp_path / "f.txt").write_text("notes", encoding="utf-8")
    out = io.StringIO()
    assert grader.main([w.format(tmp=tmp_path) for w in argv], out=out) == 2
    err = capsys.readouterr().err
    assert out.getvalue() == "" and err.startswith("tinygrad-init exercises: error: ") and err.count("\n") == 1, err


def test_grade_a_file_grades_its_exercise(tmp_path):
    write(tmp_path, "fans", solution("fans"))
    code, text = run(["grade", str(tmp_path / "ex11_fans.py")])
    assert code == 0 and verdicts(text) == {"fans": "PASS"}, text  # any other file: see the test below


def test_usage_errors_exit_2(tmp_path, capsys):
    # as the help says (it said "0 when everything you asked for passed, 1 otherwise")
    for parser in (grader.build_parser(), grader.build_parser()._subparsers._group_actions[0].choices["grade"]):
        assert "2 for an unknown exercise or a missing folder" in " ".join(parser.format_help().split())
    code, text = run(["grade", str(tmp_path / "missing")])[0], capsys.readouterr().err
    assert code == 2 and "there is no folder" in text and "start" in text
    assert text.startswith("tinygrad-init exercises: error: there is no folder ")  # as every command names itself
    code, text = run(["grade", str(tmp_path), "nope"])[0], capsys.readouterr().err
    assert code == 2 and "unknown exercise 'nope'" in text and "names:" not in text, text  # no Python argument
    assert run(["start", str(tmp_path), "nope"])[0] == 2
    assert run([])[0] == 2
    for command in ("grade", "start"):  # NAME is optional: the message asked for it too
        with pytest.raises(SystemExit) as info:
            run([command])
        err = capsys.readouterr().err
        assert info.value.code == 2 and "required: DIR" in err and "NAME" not in err.splitlines()[-1], err
    with pytest.raises(SystemExit) as info:
        run(["grade", str(tmp_path), "--timeout", "-1"])
    assert info.value.code == 2



def test_python_api_takes_one_name_as_a_string_and_names_a_bad_argument(tmp_path):
    from tinygrad_init import exercises

    assert exercises.start(str(tmp_path), "ex01") == ["ex01_mul_backward.py"]
    assert [(r.name, r.status) for r in exercises.grade(str(tmp_path), "mul_backward")] == [("mul_backward", "todo")]
    (missing,) = exercises.grade(str(tmp_path), ["fans"])
    assert missing.status == "missing" and "ex11_fans.py does not exist" in missing.message
    for timeout, error in ((0, ValueError), (-1, ValueError), (float("nan"), ValueError), ("10", TypeError),
                           (None, TypeError), (True, TypeError)):
        with pytest.raises(error, match="grade: timeout must be"):
            exercises.grade(str(tmp_path), ["ex01"], timeout=timeout)
    assert exercises.grade(str(tmp_path), "ex01", timeout=1e12)[0].status == "todo"  # was an "internal" error
    with pytest.raises(TypeError, match="grade: isolate must be True or False"):
        exercises.grade(str(tmp_path), ["ex01"], isolate="no")
    with pytest.raises(TypeError, match="start: force must be True or False"):
        exercises.start(str(tmp_path), ["ex01"], force="yes")
    for nowhere in (tmp_path / "typo", tmp_path / "ex01_mul_backward.py"):  # read as 22 exercises "not started"
        with pytest.raises(FileNotFoundError, match=f"grade: there is no folder '{nowhere}'; make one with"):
            exercises.grade(str(nowhere))

def test_bad_arguments_of_start_and_grade_name_the_function_and_the_argument(tmp_path, capsys):
    # start(a file) raised "[Errno 17] File exists", start(None) and grade(None) Python's own "expected str, bytes or
    # os.PathLike" or "stat: path should be ...", names=2.5 or True "'float' object is not iterable", and an unknown
    # name said neither the call nor the argument.
    from tinygrad_init import exercises

    (tmp_path / "notes.txt").write_text("")
    for call, error, match in [
            (lambda: exercises.start(str(tmp_path / "notes.txt")), NotADirectoryError, "start: directory '.*' is no"),
            (lambda: exercises.start(""), NotADirectoryError, "start: directory '' is not a folder"),
            (lambda: exercises.start(None), TypeError, "start: directory must be a folder's name, got NoneType"),
            (lambda: exercises.grade(b"work"), TypeError, "grade: directory must be a folder's name, got bytes"),
            (lambda: exercises.start(str(tmp_path / "w"), 2.5), TypeError, "start: names must be .*, got float"),
            (lambda: exercises.grade(str(tmp_path), True), TypeError, "grade: names must be .*, got bool"),
            (lambda: exercises.grade(str(tmp_path), ["ex01", "nope"]), ValueError, "grade: names: unknown exercise")]:
        with pytest.raises(error, match=match):
            call()
    assert not (tmp_path / "w").exists()
    assert [r.name for r in exercises.grade(tmp_path, np.int64(3))] == ["tanh_backward"]  # a Path, a numpy int
    assert [r.name for r in exercises.grade(str(tmp_path), (n for n in ("ex02", 1, "ex02")))] == [
        "mul_backward", "pow_backward"]
    assert len(exercises.grade(str(tmp_path), "")) == len(EXERCISES)
    import collections  # any collection of names, as Sequence[str] promises (a UserList, dict keys, an array)
    for names in (collections.UserList(["ex01"]), {"ex01": 1}.keys(), np.array(["ex01"]), np.array("ex01")):
        assert [r.name for r in exercises.grade(str(tmp_path), names)] == ["mul_backward"]
    assert [r.name for r in exercises.grade(str(tmp_path), np.array(["ex02", "ex01"]))] == [
        "mul_backward", "pow_backward"]  # (the truth value of an array of two names was asked)
    with pytest.raises(ValueError, match="grade: names: .*0"):  # not every exercise: the array [0] is falsy
        exercises.grade(str(tmp_path), np.array([0]))
    with pytest.raises(TypeError, match="grade: names must be .*, got bytes b'ex01'"):  # not "unknown exercise 101"
        exercises.grade(str(tmp_path), b"ex01")
    assert run(["start", str(tmp_path / "notes.txt")])[0] == 2
    assert "is not a folder" in capsys.readouterr().err


def test_a_folder_named_like_an_exercise_file_is_called_a_folder(tmp_path, capsys):
    # It was reported as "does not exist; run start", and start then refused (or, with --force, crashed).
    (tmp_path / "ex01_mul_backward.py").mkdir()
    (result,) = grader.grade(str(tmp_path), "ex01", isolate=False)
    assert result.status == "missing" and "ex01_mul_backward.py is a folder, not a file" in result.message
    for argv, code in ((["grade", str(tmp_path), "ex01"], 1), (["start", str(tmp_path), "ex01"], 2),
                       (["start", str(tmp_path), "ex01", "--force"], 2)):
        out = io.StringIO()
        assert grader.main(argv, out=out) == code
        text = " ".join((out.getvalue() + capsys.readouterr().err).split())  # the report wraps long lines; start's
        assert "ex01_mul_backward.py is a folder, not a file" in text  # usage error is on stderr
        assert "does not exist" not in text and "Refusing" not in text


def test_grading_a_file_that_is_not_an_exercise_file_says_so(tmp_path, capsys):
    # "grade work/notes.py" said "unknown exercise 'notes.py'", and "grade work/mul_backward.py" graded another file.
    for name in ("notes.py", "mul_backward.py"):
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
        out = io.StringIO()
        assert grader.main(["grade", str(tmp_path / name)], out=out) == 2
        err = capsys.readouterr().err
        assert f"{tmp_path / name} is not an exercise file" in err
        assert "ex01_mul_backward.py" in err and "Grading" not in out.getvalue() + err


def test_help_teaches(capsys):
    with pytest.raises(SystemExit) as info:
        grader.main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for part in ("start DIR", "grade DIR", "NotImplementedError", "hint", "time limit"):
        assert part in text
    with pytest.raises(SystemExit):
        grader.main(["grade", "--help"])
    assert "--timeout SECONDS" in capsys.readouterr().out


def test_list_groups_by_tutorial():
    code, text = run(["list"])
    assert code == 0
    assert f"{len(EXERCISES)} exercises" in text
    for number, title in catalog.TUTORIALS.items():
        assert f"Tutorial {number}: {title}" in text
    for ex in EXERCISES:
        assert f"{ex.label}  {ex.name}" in text


def test_grade_all_references_passes_with_exit_0(tmp_path):
    for ex in EXERCISES:
        write(tmp_path, ex.name, solution(ex.name))
    code, text = run(["grade", str(tmp_path)])
    assert code == 0, text
    assert text.rstrip().endswith(f"{len(EXERCISES)} passed -- well done!")
    assert text.count("PASS  ") == len(EXERCISES)


def test_grade_output_is_deterministic_and_python_m_works(tmp_path):
    run(["start", str(tmp_path), "fans", "xavier_uniform", "relu_std"])
    write(tmp_path, "fans", solution("fans"))
    write(tmp_path, "relu_std", solution("relu_std"))
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "tinygrad_init.exercises", "grade", str(tmp_path)]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 1 and first.stderr == ""
    assert first.stdout == second.stdout
    # xavier_uniform is the stub as started: counted apart from the failures, as the others not started are.
    assert first.stdout.rstrip().endswith(f"2 passed, 1 not implemented yet, {len(EXERCISES) - 3} not started")


def test_docs_list_every_exercise():
    # a row per exercise, whose call names the stub's parameters in order (`numerical_gradient(f, x, h=1e-5)`)
    with open(os.path.join(REPO, "docs", "exercises.md"), encoding="utf-8") as fh:
        text = fh.read()
    for ex in EXERCISES:
        assert f"| {ex.label} | `{ex.name}` | `{ex.function}(" in text, ex.name
        shown = re.search(rf"\| {ex.label} \| `{ex.name}` \| `{ex.function}\(([^)]*)\)", text)[1]
        with open(ex.stub, encoding="utf-8") as fh:
            [stub] = [n for n in ast.parse(fh.read()).body if isinstance(n, ast.FunctionDef) and n.name == ex.function]
        assert re.findall(r"(\w+)(?:=[^,]*)?(?:, |$)", shown) == [a.arg for a in stub.args.args], (ex.name, shown)


def test_the_grading_docs_exercises_md_shows_is_the_graders(tmp_path, monkeypatch):
    # "Grade": a pass, then a FAIL with its hint for each of two known mistakes, line for line as the grader prints it
    with open(os.path.join(REPO, "docs", "exercises.md"), encoding="utf-8") as fh:
        [shown] = re.findall(r"^```text\n(Grading .*?)^```", fh.read(), re.S | re.M)
    monkeypatch.chdir(tmp_path)
    os.mkdir("work")
    write("work", "mul_backward", solution("mul_backward"))
    for name, mistake in (("unbroadcast", "no_keepdims"), ("central_difference", "forward_difference")):
        write("work", name, dict(catalog.get(name).wrong_answers())[mistake])
    code, text = run(["grade", "work", "ex01", "ex07", "ex10"])
    assert code == 1 and text == shown, text


#: A student file for each row of docs/exercises.md's table "What a FAIL message can say", in its order.
MESSAGES = {
    "mul_backward": None,  # the stub: not implemented yet
    "tanh_backward": dict(catalog.get("tanh_backward").wrong_answers())["no_square"],
    "unbroadcast": "def unbroadcast(grad, shape):\n    return grad.sum(axis=0, keepdims=True).tolist()\n",
    "softmax_ce_backward": "import numpy as np\ndef softmax_cross_entropy_backward(logits, targets):\n"
                           "    logits -= logits.max(axis=1, keepdims=True)\n    p = np.exp(logits)\n"
                           "    p /= p.sum(axis=1, keepdims=True)\n    p[np.arange(len(targets)), targets] -= 1\n"
                           "    return p / len(targets)\n",
    "linear_backward": "def linear_backward(x, W, g):\n    return 1 / 0\n",
    "sigmoid_backward": "def sigmoid_backward(x, upstream)\n    return 0.0\n",
    "pow_backward": "import sys\ndef pow_backward(x, n, upstream):\n    sys.exit(3)\n",
    "fans": "import torch\ndef fans(shape):\n    return 1, 1\n",
    "topological_order": "def topological_order(root):\n    while True:\n        pass\n",
    "accumulate_grads": "import os\ndef accumulate_grads(edges, root):\n    os._exit(7)\n",
    "central_difference": "import faulthandler\ndef numerical_gradient(f, x, h=1e-5):\n    faulthandler._sigsegv()\n",
    "symmetry": "import numpy as np\nnp.random.default_rng = None\ndef symmetry_gradients(x, y, hidden, c, rng):\n"
                "    return None\n",
    "xavier_uniform": "import numpy as np\ndef xavier_uniform(shape, rng=None, dtype=np.float32):\n"
                      "    return np.ones((50000, 50000))\n",
    "he_normal": None,  # no file: not started
}


def test_every_fail_message_docs_exercises_md_lists_is_how_a_message_starts(tmp_path):
    # two rows quoted a message's middle as its start: "expected an ndarray ..." comes after the call, and a crash is
    # "the grading process was killed by SIGSEGV ...". Each row's patterns (`f(...)` a call, `...` and numbers anything)
    # start the messages of the files above, in the table's order.
    with open(os.path.join(REPO, "docs", "exercises.md"), encoding="utf-8") as fh:
        table = fh.read().split("What a `FAIL` message can say")[1].split("\n\n")[1]
    rows = [re.findall(r"`([^`]+)`", row) for row in re.findall(r"^\| (`.*?`(?: / `.*?`)?) \|", table, re.M)]
    grader.start(str(tmp_path), "mul_backward")
    for name, source in MESSAGES.items():
        if source is not None:
            write(tmp_path, name, source)
    found = {r.name: r.message for r in grader.grade(str(tmp_path), list(MESSAGES), timeout=2)}  # catalog order
    messages = [found[name] for name in MESSAGES]
    patterns = [re.sub(r"\\d\+|N", r"\\d+", re.sub(r"\d+", r"\\d+", re.escape(p))).replace(
        re.escape("f(...)"), r"\w+\(.*?\)").replace(re.escape("..."), ".*") for row in rows for p in row]
    assert len(rows) == 13 and len(patterns) == len(messages) == 14, (rows, len(messages))
    for pattern, message in zip(patterns, messages):
        assert re.match(pattern, message, re.S), (pattern, message)


def test_the_reference_solutions_are_not_in_the_package():
    package = os.path.dirname(os.path.abspath(catalog.__file__))
    shipped = {name for _, _, files in os.walk(package) for name in files}
    assert not any("solution" in name for name in shipped)
    for ex in EXERCISES:  # no shipped file holds a reference: the stub raises, the wrong answers are wrong
        assert ex.file not in shipped


# ------------------------------------------------------------------ shortcuts fail with a clear message

SHORTCUTS = {
    "topological_order": "from tinygrad_init.autograd import topological_order\n",
    "unbroadcast": "from tinygrad_init.tensor import unbroadcast\n",
    "fans": "from tinygrad_init import init\nfans = init.fans\n",
    "xavier_uniform": "import tinygrad_init\nxavier_uniform = tinygrad_init.init.get('xavier_uniform')\n",
    "central_difference": "from tinygrad_init.gradcheck import numerical_grad as numerical_gradient\n",
    "tanh_backward": ("def tanh_backward(x, upstream):\n    m = __import__('tinygrad' + '_init')\n"
                      "    v = m.Value(x)\n    v.tanh().backward()\n    return upstream * v.grad\n"),
    "linear_backward": ("import importlib\nT = importlib.import_module('tinygrad_init'[:8] + '_init').Tensor\n"
                        "def linear_backward(x, W, g):\n    return 0\n"),
    "mul_backward": "from tinygrad_init.exercises.solutions.ex01_mul_backward import mul_backward\n",
    "pow_backward": "from tinygrad_init.exercises.ex02_pow_backward import check\npow_backward = check\n",
    "sigmoid_backward": "import torch\ndef sigmoid_backward(x, upstream):\n    return 0.0\n",
    # A `__main__` block is not checked before the file runs (the grader never runs it), but made to run, it is refused.
    "softmax_ce_backward": "__name__ = '__main__'\nif __name__ == '__main__':\n    import torch\n",
}


def test_shortcuts_to_the_answer_fail_with_write_it_yourself(tmp_path):
    for name, source in SHORTCUTS.items():
        write(tmp_path, name, source)
    # The reference solutions, read from the repository's own folder at run time.
    write(tmp_path, "accumulate_grads",
          "import importlib.util\n"
          "spec = importlib.util.spec_from_file_location('s', "
          f"{os.path.join(HERE, 'solutions', 'ex06_accumulate_grads.py')!r})\n"
          "module = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(module)\n"
          "accumulate_grads = module.accumulate_grads\n")
    names = [*SHORTCUTS, "accumulate_grads"]
    results = grader.grade(str(tmp_path), names, timeout=20)
    for r in results:
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message)
        assert r.message.startswith("write it yourself: this exercise is about "), r.message
    by_name = {r.name: r for r in results}
    assert "the backward rule of tanh" in by_name["tanh_backward"].message
    assert "line 2" in by_name["tanh_backward"].message  # the disguised import is caught where it runs


# Rules found in a frame of the audit hook, emptied in place (numpy writes any address: a tuple's length is the third
# word of it), and then the engine imported: the hook's state must be out of reach.
EMPTY_THE_RULES = """import numpy as np


class Words:
    def __init__(self, obj):
        self.__array_interface__ = {"data": (id(obj), False), "shape": (3,), "typestr": "<i8", "version": 3}


def empty(state):
    for key in ("deny", "protected", "above", "guarded"):
        np.asarray(Words(state[key]))[2] = 0
    return __import__("tinygrad" + "_init").Value


"""


def test_the_hooks_rules_are_out_of_reach_of_a_refusals_traceback_and_of_other_threads(tmp_path):
    # A refusal's traceback ended in the hook's frame, whose locals held its rules; a thread saw that frame in
    # sys._current_frames() while the hook ran. Either way the rules were emptied and ex01 passed with the engine.
    answer = "\n\ndef mul_backward(a, b, upstream):\n    a, b = Value(a), Value(b)\n    (a * b).backward()\n" \
             "    return upstream * a.grad, upstream * b.grad\n"
    write(tmp_path, "mul_backward", EMPTY_THE_RULES + "try:\n    __import__('tinygrad' + '_init')\n"
          "except ImportError as exc:\n    tb = exc.__traceback__\n    while tb.tb_next:\n        tb = tb.tb_next\n"
          "    Value = empty(tb.tb_frame.f_locals)\n" + answer)
    write(tmp_path, "tanh_backward", EMPTY_THE_RULES + "import sys, threading\nfound = []\n\n\ndef spy():\n"
          "    while not found:\n        for f in sys._current_frames().values():\n            while f is not None:\n"
          "                if 'deny' in f.f_locals:\n                    found.append(f.f_locals)\n"
          "                f = f.f_back\n\n\nthreading.Thread(target=spy, daemon=True).start()\nfor _ in range(9999):\n"
          "    try:\n        open('/nonexistent')\n    except OSError:\n        pass\nValue = empty(found[0])\n"
          + answer.replace("mul_backward(a, b, upstream)", "tanh_backward(x, upstream)").replace(
              "a, b = Value(a), Value(b)\n    (a * b).backward()\n    return upstream * a.grad, upstream * b.grad",
              "v = Value(x)\n    v.tanh().backward()\n    return upstream * v.grad"))
    for r in grader.grade(str(tmp_path), ["mul_backward", "tanh_backward"], timeout=10):
        assert not r.passed and r.status in ("error", "fail"), (r.name, r.status, r.message)
    assert "`sys._current_frames`" in r.output, r.output  # the spy thread's refusal


def test_the_hook_runs_no_code_of_an_object_the_student_passes_in_an_event(tmp_path):
    # The hook asked an event's path isinstance(path, str), which reads the student's __class__, and ran `flags &
    # writing` and `pid == 0` with the student's operators: from there sys._getframe(1) reached the rules (an event
    # the student raises, sys.audit("open", obj, "r", 0), or io.FileIO(obj), hands the object itself to the hook).
    answer = "\n\ndef mul_backward(a, b, upstream):\n    a, b = Value(a), Value(b)\n    (a * b).backward()\n" \
             "    return upstream * a.grad, upstream * b.grad\n"
    spy = ("import io, sys\nfound = []\n\n\nclass Evil(int):\n    def __fspath__(self):\n        return 'nothing'\n\n"
           "    @property\n    def __class__(self):\n        f = sys._getframe(1)\n        while f is not None:\n"
           "            if 'deny' in f.f_locals:\n                found.append(f.f_locals)\n            f = f.f_back\n"
           "        return Evil\n\n    def __and__(self, other):\n        self.__class__\n        return 0\n\n"
           "    __eq__ = __gt__ = __rand__ = __and__\n    __hash__ = int.__hash__\n\n\n")
    for n, event in enumerate(("sys.audit('open', Evil(), 'r', 0)", "io.FileIO(Evil())",
                               "sys.audit('open', 'x.txt', 'r', Evil())", "sys.audit('os.kill', Evil(), 9)")):
        write(tmp_path, "mul_backward", EMPTY_THE_RULES + spy + f"try:\n    {event}\nexcept Exception:\n    pass\n"
              "Value = empty(found[0])\n" + answer)
        (r,) = grader.grade(str(tmp_path), ["mul_backward"], timeout=10)
        assert not r.passed and r.status in ("error", "fail"), (n, r.status, r.message)


def test_a_students_own_module_named_like_a_refused_library_is_told_to_rename_it_not_to_write_it(tmp_path):
    # A helper of the student's own, autograd.py (or a micrograd/ package), is no library doing the exercise: the
    # message must not say "write it yourself" to a student who did, but name the clash and what to change.
    (tmp_path / "autograd.py").write_text("import math\n\ndef sigmoid(x):\n    return 0.5 * (1 + math.tanh(x / 2))\n")
    (tmp_path / "micrograd").mkdir()
    (tmp_path / "micrograd" / "__init__.py").write_text("def square(t):\n    return t * t\n")
    write(tmp_path, "sigmoid_backward", "from autograd import sigmoid\n\ndef sigmoid_backward(x, upstream):\n"
                                        "    s = sigmoid(x)\n    return upstream * s * (1 - s)\n")
    write(tmp_path, "tanh_backward", "import math\nfrom micrograd import square\n\ndef tanh_backward(x, upstream):\n"
                                     "    return upstream * (1 - square(math.tanh(x)))\n")
    results = {r.name: r for r in grader.grade(str(tmp_path), ["sigmoid_backward", "tanh_backward"])}
    for name, module in (("sigmoid_backward", "`autograd` (line 1)"), ("tanh_backward", "`micrograd` (line 2)")):
        r = results[name]
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message)
        assert "write it yourself" not in r.message and f"your own module {module}" in r.message, r.message
        assert "rename it" in r.message, r.message


def test_the_grader_parses_a_megabyte_or_so_of_the_students_modules_and_leaves_the_rest_to_the_worker(tmp_path,
                                                                                                       monkeypatch):
    # Each module was parsed in the grader, with no time limit, up to 1 MB apiece but with no limit on how many: a
    # chain of 40 modules of 1 MB held the grader 140 s (and 700 MB) before any time limit began.

    for i in range(10):  # 600 kB apiece; the last one imports torch, which the worker refuses
        (tmp_path / f"m{i}.py").write_text(("import torch\n" if i == 9 else f"import m{i + 1}\n") + "#" * 600_000)
    path = write(tmp_path, "tanh_backward", "import m0\nimport math\n\ndef tanh_backward(x, upstream):\n"
                                            "    return upstream * (1 - math.tanh(x) ** 2)\n")
    parsed = []
    monkeypatch.setattr(runner, "_parse", lambda file, parse=runner._parse: parsed.append(file) or parse(file))
    assert runner._static(catalog.get("tanh_backward"), path)[1] is None
    assert len(parsed) <= 3, parsed
    monkeypatch.undo()
    result = grade_file("tanh_backward", path, timeout=30)
    assert result.mistake == "forbidden_import" and "torch" in result.message, result.message


def test_a_file_nested_too_deeply_for_the_parser_is_an_error_of_that_file_not_a_crash_of_the_grader(tmp_path):
    # ast.parse of an expression nested thousands deep raises RecursionError (or MemoryError) in the grader's process:
    # a 600 kB `X = 1+1+...` (or `-----1`) in the file or in a module of the student's that it imports ended the whole
    # run with a traceback, every other exercise ungraded.
    body = "def mul_backward(a, b, upstream):\n    return upstream * b, upstream * a\n"
    (tmp_path / "deep.py").write_text("Y = 1" + "+1" * 300_000 + "\n")
    write(tmp_path, "mul_backward", "X = 1" + "+1" * 300_000 + "\n" + body)
    write(tmp_path, "tanh_backward", "import deep\nimport math\n\ndef tanh_backward(x, upstream):\n"
                                     "    return upstream * (1 - math.tanh(x) ** 2)\n")
    mul, pow_, tanh = grader.grade(str(tmp_path), ["mul_backward", "tanh_backward", "pow_backward"], timeout=30)
    assert mul.status == "error" and "could not be read as Python" in mul.message, mul.message
    assert "nested too deeply" in mul.message, mul.message
    assert tanh.status == "error" and "RecursionError" in tanh.message, tanh.message  # as the worker loads deep.py
    assert pow_.status == "missing"


def test_the_recursion_limit_cannot_be_raised_under_a_name_the_grader_does_not_read(tmp_path):
    # ex05's statement says the grader refuses sys.setrecursionlimit; it looked for the name only.
    write(tmp_path, "topological_order", "import sys\ngetattr(sys, 'setrecursion' + 'limit')(100_000)\n\n\n"
                                         "class Walk:\n    def __init__(self):\n"
                                         "        self.order, self.seen = [], set()\n\n"
                                         "    def visit(self, node):\n        if id(node) not in self.seen:\n"
                                         "            self.seen.add(id(node))\n            for p in node._parents:\n"
                                         "                self.visit(p)\n            self.order.append(node)\n\n\n"
                                         "def topological_order(root):\n    w = Walk()\n    w.visit(root)\n"
                                         "    return w.order\n")
    result = grader.grade(str(tmp_path), "topological_order")[0]
    assert result.mistake == "recursive", result.message



# A walk by a method calling itself (through getattr in the thread's: the look at the code misses it), going on where
# the depth starts again at 0: in a new thread every 400 calls (each thread has a depth of its own), or in a new asyncio
# task per parent (a task runs from the event loop, not inside the call that awaits it). Both walked ex05's deep graphs
# past the recursion limit and passed ("without recursion").
WALK_ON = {
    "threading": "    def visit(self, node, depth=0):\n        self.seen.add(node)\n        for p in node._parents:\n"
                 "            if p in self.seen:\n                continue\n            if depth > 400:\n"
                 "                t = threading.Thread(target=self.visit, args=(p,))\n"
                 "                t.start()\n                t.join()\n            else:\n"
                 "                getattr(self, 'visit')(p, depth + 1)\n        self.order.append(node)\n",
    "asyncio": "    async def visit(self, node):\n        self.seen.add(node)\n        for p in node._parents:\n"
               "            if p not in self.seen:\n                await asyncio.ensure_future(self.visit(p))\n"
               "        self.order.append(node)\n",
}


@pytest.mark.parametrize("imported, refused", [("import threading", "`threads` (it gets around the rules)"),
                                               ("import asyncio", "`asyncio` (line 1)"),
                                               ("import importlib\nasyncio = importlib.import_module('asyn' + 'cio')",
                                                f"asyncio{os.sep}__init__.py")])
def test_a_recursion_that_goes_on_where_the_depth_starts_again_is_refused(tmp_path, imported, refused):
    run = "asyncio.run(w.visit(root))" if "asyncio" in imported else "w.visit(root)"
    write(tmp_path, "topological_order", f"{imported}\n\n\nclass Walk:\n    def __init__(self):\n"
                                         "        self.order, self.seen = [], set()\n\n"
                                         f"{WALK_ON[imported.replace('importlib', 'asyncio').split()[1]]}\n\n"
                                         f"def topological_order(root):\n    w = Walk()\n    {run}\n"
                                         "    return w.order\n")
    result = grader.grade(str(tmp_path), "topological_order")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.status, result.message)
    assert refused in result.message, result.message


def test_a_walk_that_hands_itself_to_map_is_recursion(tmp_path):
    # walk(node) = chain(chain.from_iterable(map(walk, node._parents)), (node,)) nests lazy iterators, which count no
    # depth: past the recursion limit, on every Python, and it passed ex05 ("without recursion"); the look at the code
    # read only `walk(...)` calls. A function handed on (to map) is called by what it is handed to.
    write(tmp_path, "topological_order", "from itertools import chain\n\n\ndef topological_order(root):\n"
                                         "    seen = set()\n\n    def walk(node):\n        if node in seen:\n"
                                         "            return ()\n        seen.add(node)\n"
                                         "        return chain(chain.from_iterable(map(walk, node._parents)), (node,))"
                                         "\n\n    return list(walk(root))\n")
    result = grader.grade(str(tmp_path), "topological_order")[0]
    assert (result.status, result.mistake) == ("fail", "recursive"), result.message
    assert "your function `walk` calls itself" in result.message, result.message


# The same nesting of lazy iterators, the walk handed to map as a lambda, as a method (`self.visit`) or as the object
# itself (`self`, its __call__): the look at the code knew defs by their bare names alone, and each passed ex05.
LAZY_WALKS = {
    "lambda": "def topological_order(root):\n    seen = set()\n"
              "    walk = lambda node: () if node in seen or seen.add(node) else chain(  # noqa: E731\n"
              "        chain.from_iterable(map(walk, node._parents)), (node,))\n    return list(walk(root))\n",
    "method": "class Walk:\n    def __init__(self):\n        self.seen = set()\n\n    def visit(self, node):\n"
              "        if node in self.seen:\n            return ()\n        self.seen.add(node)\n"
              "        return chain(chain.from_iterable(map(self.visit, node._parents)), (node,))\n\n\n"
              "def topological_order(root):\n    return list(Walk().visit(root))\n",
    "__call__": "class Walk:\n    def __init__(self):\n        self.seen = set()\n\n    def __call__(self, node):\n"
                "        if node in self.seen:\n            return ()\n        self.seen.add(node)\n"
                "        return chain(chain.from_iterable(map(self, node._parents)), (node,))\n\n\n"
                "def topological_order(root):\n    return list(Walk()(root))\n",
}


@pytest.mark.parametrize("walk, name", [("lambda", "walk"), ("method", "visit"), ("__call__", "__call__")])
def test_a_walk_handed_to_map_as_a_lambda_a_method_or_itself_is_recursion(tmp_path, walk, name):
    write(tmp_path, "topological_order", "from itertools import chain\n\n\n" + LAZY_WALKS[walk])
    result = grader.grade(str(tmp_path), "topological_order")[0]
    assert (result.status, result.mistake) == ("fail", "recursive"), result.message
    assert f"your function `{name}` calls itself: that is recursion." in result.message, result.message


def test_threads_are_refused_only_where_the_exercise_forbids_recursion(tmp_path):
    # Threads were refused in every exercise ("may not use `threads` (it gets around the rules)"): a right ex01 that
    # ran its two products in a ThreadPoolExecutor failed, though only ex05's rule (no recursion) needs the refusal.
    write(tmp_path, "mul_backward", "from concurrent.futures import ThreadPoolExecutor\n\n\n"
                                    "def mul_backward(a, b, upstream):\n    with ThreadPoolExecutor(2) as pool:\n"
                                    "        return tuple(pool.map(lambda x: upstream * x, (b, a)))\n")
    write(tmp_path, "topological_order", "import threading\n" + solution("topological_order").replace(
        "def topological_order(", "threading.Thread(target=print).start()\n\n\ndef topological_order(", 1))
    passed, refused = grader.grade(str(tmp_path), ["mul_backward", "topological_order"])
    assert passed.status == "pass", (passed.message, passed.output)
    assert refused.mistake == "forbidden_import" and "`threads`" in refused.message, refused.message


@pytest.mark.parametrize("flipper", [
    "thread = threading.Thread(target=lambda: [flip() for _ in iter(lambda: bool(stop), True)])\nthread.start()\n",
    "signal.signal(signal.SIGALRM, lambda *a: flip())\nsignal.setitimer(signal.ITIMER_REAL, 3e-4, 3e-4)\n",
    "gc.callbacks.append(lambda *a: flip())\ngc.set_threshold(1, 1, 1)\n"])
def test_nothing_moves_the_current_folder_under_a_relative_path_the_rules_checked(tmp_path, flipper):
    # A thread, a signal handler or a gc callback went back and forth between bob's folder and the one two levels up
    # while bob's code opened the relative path naming tmp_path from there: the rules read it from bob's folder (where
    # it names nothing), the system from the other, and the descriptor of tmp_path got alice's ex05 into bob's folder
    # (22, 2 and 104 tries); the rules' own work on a path runs Python, where a handler or a callback can run. The
    # current folder does not change in a worker.
    for name in ("alice", "bob"):
        (tmp_path / name).mkdir()
    write(tmp_path / "alice", "topological_order", solution("topological_order"))
    write(tmp_path / "bob", "mul_backward", "import gc, os, signal, threading, time\nhere = os.getcwd()\n"
          "there, name = os.path.dirname(os.path.dirname(here)), os.path.basename(os.path.dirname(here))\n"
          "stop, at = [], [here, there]\n\n\n"
          "def flip():\n    at.reverse()\n    os.chdir(at[0])\n\n\n" + flipper +
          "fd, end = None, time.time() + 1\n"
          "while fd is None and time.time() < end:\n    try:\n        fd = os.open(name, os.O_RDONLY)\n"
          "    except OSError:\n        pass\nstop.append(1)\n"
          "src = os.read(os.open('alice/ex05_topological_order.py', os.O_RDONLY, dir_fd=fd), 10**6).decode()\n"
          "open('ex05_topological_order.py', 'w').write(src)\n" + solution("mul_backward"))
    mul, topo = grader.grade(str(tmp_path / "bob"), ["mul_backward", "topological_order"], timeout=30)
    assert not mul.passed and "may not use `os.chdir`" in mul.output + mul.message, (mul.message, mul.output)
    assert topo.status == "missing", topo.message


def test_asyncio_is_refused_only_where_the_exercise_forbids_recursion(tmp_path):
    # asyncio was refused in every exercise, with "write it yourself: ... may not use asyncio": also a right ex01 that
    # imported `from tqdm.auto import tqdm` (which imports asyncio) for a progress bar. ex05 refuses it as before
    # (test_a_recursion_that_goes_on_where_the_depth_starts_again_is_refused).
    write(tmp_path, "mul_backward", "import asyncio\n\n\nasync def product(x, y):\n    return x * y\n\n\n"
                                    "def mul_backward(a, b, upstream):\n"
                                    "    return asyncio.run(product(upstream, b)), asyncio.run(product(upstream, a))\n")
    result = grader.grade(str(tmp_path), "mul_backward")[0]
    assert result.status == "pass", (result.message, result.output)


def test_a_library_that_differentiates_for_the_student_is_refused(tmp_path):
    # sympy (installed with torch) and mpmath (with sympy) give the derivative a backward exercise asks for.
    write(tmp_path, "pow_backward", "import sympy\nx, n = sympy.symbols('x n')\ndef pow_backward(a, k, upstream):\n"
                                    "    return upstream * float(sympy.diff(x**n, x).subs({x: a, n: k}))\n")
    write(tmp_path, "tanh_backward", "def tanh_backward(x, upstream):\n    m = __import__('mp' + 'math')\n"
                                     "    return upstream * float(m.diff(m.tanh, x))\n")
    for r in grader.grade(str(tmp_path), ["pow_backward", "tanh_backward"]):
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message)


def test_a_library_that_sorts_the_graph_for_the_student_is_refused(tmp_path):
    # networkx (installed with torch) and the standard library's graphlib sort a graph topologically: ex05 itself.
    collect = ("def topological_order(root):\n    graph, stack = {root: ()}, [root]\n    while stack:\n"
               "        node = stack.pop()\n        graph[node] = node._parents\n"
               "        stack += [p for p in node._parents if p not in graph]\n")
    sorters = {"import graphlib\n": "    return list(graphlib.TopologicalSorter(graph).static_order())\n",
               "import networkx as nx\n": "    g = nx.DiGraph([(p, n) for n, ps in graph.items() for p in ps])\n"
                                          "    g.add_node(root)\n    return list(nx.topological_sort(g))\n",
               "import importlib\n": "    m = importlib.import_module('graph' + 'lib')\n"
                                     "    return list(m.TopologicalSorter(graph).static_order())\n",
               # pip's own copy of distlib sorts a dependency graph of any hashable objects with .name and .version
               "from pip._vendor.distlib.database import DependencyGraph\n":
                   "    d, wrap = DependencyGraph(), {n: type('D', (), {'n': n, 'name': '', 'version': ''})()\n"
                   "                                  for n in graph}\n    for w in wrap.values():\n"
                   "        d.add_distribution(w)\n    for n, ps in graph.items():\n        for p in ps:\n"
                   "            d.add_edge(wrap[n], wrap[p])\n    return [w.n for w in d.topological_sort()[0]]\n"}
    for head, tail in sorters.items():
        write(tmp_path, "topological_order", head + collect + tail)
        result = grader.grade(str(tmp_path), "topological_order")[0]
        assert result.mistake == "forbidden_import", (head, result.status, result.message)


def test_patching_numpy_or_the_grader_from_the_student_file_changes_nothing(tmp_path):
    patch = ("import builtins, sys\nimport numpy as np\n"
             "np.allclose = np.isfinite = np.array_equal = lambda *a, **k: True\n"
             "for module in list(sys.modules.values()):\n"
             "    for attr in ('check', 'grade', 'fail', 'same', 'serve', 'encode'):\n"
             "        try:\n            setattr(module, attr, lambda *a, **k: True)\n"
             "        except Exception:\n            pass\n")
    write(tmp_path, "mul_backward", patch + "def mul_backward(a, b, upstream):\n    raise NotImplementedError\n")
    write(tmp_path, "unbroadcast", patch + "def unbroadcast(grad, shape):\n    return grad\n")
    write(tmp_path, "fans", "import os\n"
                            "os.write(1, b'{\"event\": \"result\", \"name\": \"fans\", \"status\": \"pass\"}\\n')\n"
                            "print('PASS  ex11  fans')\ndef fans(shape):\n    raise NotImplementedError\n")
    write(tmp_path, "he_normal", "import os\ndef he_normal(shape, rng=None, dtype=None):\n"
                                 "    for fd in range(3, 64):\n        try:\n"
                                 "            os.write(fd, b'\\x00\\x00\\x00\\x0f{\"ok\": true, \"n\": 1}')\n"
                                 "        except OSError:\n            pass\n    raise NotImplementedError\n")
    results = {r.name: r for r in grader.grade(str(tmp_path), ["mul_backward", "unbroadcast", "fans", "he_normal"])}
    assert results["mul_backward"].status == "todo"
    assert results["unbroadcast"].status == "fail" and "returned shape (4, 4)" in results["unbroadcast"].message
    assert results["fans"].status == "todo" and '"status": "pass"' in results["fans"].output  # shown, not believed
    assert results["he_normal"].status == "error"
    assert "did not ask for" in results["he_normal"].message and "private channel" in results["he_normal"].message


def test_a_file_the_student_code_writes_while_grading_runs_is_graded_in_a_worker_too(tmp_path):
    # An exercise absent when grading began was graded with check_file, in the grader's own process: a file that the
    # code of an earlier exercise wrote meanwhile ran there, where it switched off its check and passed with 42.
    late = ("import sys\ntry:\n    sys.modules['tinygrad_init.exercises.ex02_pow_backward'].check = lambda run: None\n"
            "except KeyError:  # in a worker\n    pass\ndef pow_backward(x, n, upstream):\n    return 42.0\n")
    write(tmp_path, "mul_backward", f"import os\nwith open(os.path.join(os.path.dirname(__file__), "
                                    f"'ex02_pow_backward.py'), 'w') as fh:\n    fh.write({late!r})\n"
                                    "def mul_backward(a, b, upstream):\n    return upstream * b, upstream * a\n")
    checks = importlib.import_module(f"tinygrad_init.exercises.{catalog.get('pow_backward').stem}")
    saved = checks.check
    try:
        results = grader.grade(str(tmp_path), ["mul_backward", "pow_backward"], timeout=20)
    finally:
        checks.check = saved
    assert [r.status for r in results] == ["pass", "fail"], [r.message for r in results]
    assert "returned 42" in results[1].message



# What subprocess.Popen calls to start a program (Python 3.11's arguments), with no audit event of its own: here it
# would run `python -c "import tinygrad_init"`.
FORK_EXEC = ("errors = os.pipe()\n{fn}([sys.executable, '-c', 'import tinygrad_init'], [os.fsencode(sys.executable)], "
             "True, tuple(sorted(errors)), None, None, -1, -1, -1, -1, -1, -1, *errors, True, False, -1, None, None, "
             "None, -1, None, False)\n")


def test_grading_in_process_is_no_boundary_and_its_docs_say_so(tmp_path):
    # isolate=False runs the student's code beside the check: a patched numpy passes a wrong answer there (and stays
    # patched in the caller), as the docs now say; the worker is the boundary.
    path = write(tmp_path, "mul_backward", "import numpy as np\nnp.all = lambda *a, **k: True\n"
                                           "def mul_backward(a, b, upstream):\n    return 0.0, 0.0\n")
    saved = np.all
    try:
        assert grader.grade(str(tmp_path), "mul_backward", isolate=False)[0].passed
    finally:
        np.all = saved
    assert grade_file("mul_backward", path).status == "fail"
    with open(os.path.join(REPO, "docs", "exercises.md"), encoding="utf-8") as fh:
        assert "no boundary" in fh.read()
    assert "can change the verdict" in grader.grade.__doc__


def test_other_programs_links_and_folder_descriptors_do_not_reach_the_library_or_the_checks(tmp_path):
    check = os.path.join(REPO, "tinygrad_init", "exercises", "ex11_fans", "__init__.py")
    library = ("import subprocess, sys\nimport numpy as np\ndef unbroadcast(grad, shape):\n"
               "    code = 'from tinygrad_init.core.tensor import unbroadcast; import numpy as np; import sys; '\\\n"
               "           'print(unbroadcast(np.array(eval(sys.argv[1])), eval(sys.argv[2])).tolist())'\n"
               "    out = subprocess.run([sys.executable, '-c', code, repr(grad.tolist()), repr(shape)],\n"
               "                         capture_output=True, text=True, check=True).stdout\n"
               "    return np.array(eval(out))\n")
    sources = {
        "unbroadcast": library,
        "fans": f"import os\nos.system('cat {check}')\n",
        "mul_backward": "import ctypes\nctypes.CDLL(None).system(b'true')\n",
        "pow_backward": "import multiprocessing as mp\np = mp.get_context('spawn').Process(target=print)\np.start()\n",
        "tanh_backward": f"import os\nos.link({check!r}, 'copy.py')\n",
        "sigmoid_backward": f"import os\nd = os.open({REPO!r}, os.O_RDONLY)\n"
                            "os.open('tinygrad_init/exercises/ex11_fans/__init__.py', os.O_RDONLY, dir_fd=d)\n",
        "topological_order": f"import os\nos.rename({check!r}, {check!r})  # a no-op, but a replace all the same\n",
        "linear_backward": f"import _posixsubprocess, os, sys\n{FORK_EXEC.format(fn='_posixsubprocess.fork_exec')}",
        "softmax_ce_backward": f"import subprocess, os, sys\n{FORK_EXEC.format(fn='subprocess._fork_exec')}",
        # The grader's memory, where the references are (and its threads': /proc/TID is the same process).
        "accumulate_grads": "import os\nopen(f'/proc/{os.getppid()}/mem', 'rb')\n",
        "central_difference": "import os\nd = os.open('/proc', os.O_RDONLY)\n"
                              "os.open(f'{os.getppid()}/task/{os.getppid()}/mem', os.O_RDONLY, dir_fd=d)\n",
    }
    for name, source in sources.items():
        write(tmp_path, name, source)
    # The student's own files, by relative paths, are fine.
    write(tmp_path, "relu_std", "open('notes.txt', 'w').write('x')\nopen('notes.txt').read()\n" + solution("relu_std"))
    results = grader.grade(str(tmp_path), [*sources, "relu_std"], timeout=20)
    assert results.pop().passed
    for r in results:
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message, r.output)
        assert r.message.startswith("write it yourself: this exercise is about "), r.message
    by_name = {r.name: r.message for r in results}
    assert "`subprocess.Popen` (it gets around the grader's rules)" in by_name["unbroadcast"]
    assert "`os.system`" in by_name["fans"] and "`ctypes.dlopen`" in by_name["mul_backward"]
    # the check's file; or the repository itself, opened as a folder, where it is on sys.path (PYTHONPATH)
    assert "exercises/ex11_fans/__init__.py" in by_name["sigmoid_backward"] or \
        f"may not use {REPO}." in by_name["sigmoid_backward"]
    assert "`_posixsubprocess.fork_exec`" in by_name["linear_backward"] and by_name["softmax_ce_backward"]
    assert not os.path.exists(tmp_path / "copy.py")


# Each undoes the worker's rules from the student's file before using what they refuse: the rules' own names in the
# worker's module (the worker runs as __main__), the os.path, os and builtins functions the rules call, the rules'
# state reached through a refusal's traceback or through gc, a path given as a bytearray, raw memory through ctypes, a
# symbolic link in a folder opened as a descriptor (the events do not show it), a folder of the Python installation
# opened as one, a protected folder made the current one (a thread moving to it between the check and the open), the
# worker's own memory opened for writing (/proc/self/mem: the rules' tuples, found by id(), emptied there), and a
# compiled module (C code, which calls anything) loaded from the student's folder, here a copy of the standard
# library's own; a path that climbs out of the student's folder by '..' and back down into the library, and a path as a
# str subclass whose methods answer for it; the rules' tuple found through gc's referrers of a function it holds.
EMPTY_THE_WORKERS_NAMES = ("import __main__\nfor key, value in list(vars(__main__).items()):\n"
                           "    if isinstance(value, tuple):\n        setattr(__main__, key, ())\n"
                           "    elif isinstance(value, dict) and not key.startswith('__'):\n        value.clear()\n")
UNDO_THE_RULES = {
    "mul_backward": f"{EMPTY_THE_WORKERS_NAMES}import os\nos.system('true')\n",
    "pow_backward": f"{EMPTY_THE_WORKERS_NAMES}open(CHECK)\n",
    "tanh_backward": "import os\nos.path.realpath = lambda path, *args, **kwargs: '/nowhere'\nopen(CHECK)\n",
    "sigmoid_backward": "import builtins\nbuiltins.isinstance = lambda obj, kind, real=isinstance: "
                        "kind != (str, bytes) and real(obj, kind)\nopen(CHECK)\n",
    "unbroadcast": "import os\ndef hide(real):\n    def fake(path, *args, **kwargs):\n"
                   "        if str(path).startswith('/proc/self'):\n            raise OSError(path)\n"
                   "        return real(path, *args, **kwargs)\n    return fake\n"
                   "os.lstat, os.readlink = hide(os.lstat), hide(os.readlink)\nopen('/proc/self/root' + CHECK)\n",
    # a bytearray path: Python 3.12 and later refuse one themselves (TypeError: the code errs and opens nothing)
    **({"linear_backward": "import os\nos.open(bytearray(CHECK.encode()), os.O_RDONLY)\n"} if sys.version_info < (3, 12)
       else {}),
    "softmax_ce_backward": "import types\ntry:\n    open(CHECK)\nexcept PermissionError as exc:\n"
                           "    tb = exc.__traceback__.tb_next  # past this file's own frame\n    while tb:\n"
                           "        for value in tb.tb_frame.f_locals.values():\n"
                           "            if isinstance(value, types.FunctionType):\n"
                           "                for cell in value.__closure__ or ():\n"
                           "                    cell.cell_contents = ()\n"
                           "            elif isinstance(value, (list, dict)):\n"
                           "                value.clear()\n"
                           "        tb = tb.tb_next\nopen(CHECK)\n",
    "accumulate_grads": "import gc\nfor hook in [f for f in gc.get_objects() if getattr(f, '__name__', '') == "
                        "'hook']:\n"
                        "    for cell in hook.__closure__ or ():\n        cell.cell_contents = ()\n    "
                        "hook.__defaults__ = tuple(() for _ in hook.__defaults__ or ())\nopen(CHECK)\n",
    "fans": "import ctypes\nctypes.memmove(ctypes.create_string_buffer(1), b'x', 1)\n",
    "xavier_uniform": "import os\nos.mkdir('B')\nos.symlink(os.path.dirname(CHECK), 'B/link')\n"
                      "os.open('link/__init__.py', os.O_RDONLY, dir_fd=os.open('B', os.O_RDONLY))\n",
    "he_normal": "import os\nimport numpy as np\nfolder = os.open(os.path.dirname(np.__file__), os.O_RDONLY)\n"
                 "os.open('__init__.py', os.O_WRONLY, dir_fd=folder)\n",
    "relu_std": "import os\nos.chdir(os.path.dirname(CHECK))\n",
    "tanh_std_table": "open('/proc/self/mem', 'r+b').close()\n",
    "symmetry": "import os\nopen(os.getcwd() + '/..' * 40 + CHECK)\n",  # up from the student's folder by '..'
    "jacobian": "import gc, os\ntuples = lambda of: [t for t in gc.get_referrers(of) if type(t) is tuple]\n"
                "for rules in tuples(os.getcwd):\n    for d in tuples(rules):\n"
                "        for hook in [f for f in gc.get_referrers(d) if getattr(f, '__defaults__', 0) is d]:\n"
                "            hook.__defaults__ = (((), (), rules[2], ()) + rules[4:],)\nopen(CHECK)\n",
    "update_data": "class Path(str):\n    def startswith(self, *args):\n        return True\n\n"  # a str answering
                   "    def split(self, *args):\n        return ['', 'tmp']\n\nopen(Path(CHECK))\n",  # for itself
    "sigmoid_gradients": "import importlib.machinery as machinery, importlib.util as util, os, shutil\n"
                         "name = next(n for n in ('_bz2', '_json', '_lzma', '_csv') if (util.find_spec(n).origin or '')"
                         ".endswith(tuple(machinery.EXTENSION_SUFFIXES)))\n"
                         "mine = os.path.abspath('mine' + machinery.EXTENSION_SUFFIXES[0])\n"
                         "shutil.copy(util.find_spec(name).origin, mine)\n"
                         "loader = machinery.ExtensionFileLoader(name, mine)\n"
                         "util.module_from_spec(util.spec_from_loader(name, loader))\n",
    # the rules' read-only view of a dict, found through a refusal's traceback, compares itself by the dict, which
    # an object of the student's receives (and empties) in its __eq__: the paths of no event were checked
    "batchnorm": "try:\n    open(CHECK)\nexcept PermissionError as exc:\n    tb = exc.__traceback__\n"
                 "    while tb.tb_next:\n        tb = tb.tb_next\n\n\nclass Grab:\n    def __eq__(self, other):\n"
                 "        getattr(other, 'clear', print)()\n        return True\n\n\n"
                 "for value in tb.tb_frame.f_locals.values():\n    value == Grab()\nopen(CHECK)\n",
}


def test_the_student_code_cannot_undo_the_rules_of_the_worker(tmp_path):
    check = os.path.join(REPO, "tinygrad_init", "exercises", "ex11_fans", "__init__.py")
    for name, source in UNDO_THE_RULES.items():
        write(tmp_path, name, f"CHECK = {check!r}\n{source}")
    # Files and folders of the student's own, by relative paths, are fine (and reading the Python installation).
    # (a script's idiom, a no-op here: the current folder is the student's)
    write(tmp_path, "verdict", "import os\nimport numpy as np\nos.chdir(os.path.dirname(os.path.abspath(__file__)))\n"
                               "os.chdir('.')\nos.makedirs('scratch/deeper')\n"
                               "open('scratch/deeper/notes.txt', 'w').write('x')\nopen(np.__file__).close()\n"
                               "os.kill(0, 0)\nos.kill(os.getpid(), 0)\n"  # its own process group, itself
                               + solution("verdict"))
    results = grader.grade(str(tmp_path), [*UNDO_THE_RULES, "verdict"], timeout=20)
    assert results.pop().passed
    for r in results:
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message, r.output)


def test_a_table_of_the_published_cases_does_not_pass(tmp_path):
    # The right answer to every case in the checks' source, looked up: a fresh case at each grading fails it.

    def cases(name: str) -> list:
        return importlib.import_module(f"tinygrad_init.exercises.{catalog.get(name).stem}").CASES

    mul = {case: (case[2] * case[1], case[2] * case[0]) for case in cases("mul_backward")}
    tanh = {case: case[1] * (1 - math.tanh(case[0]) ** 2) for case in cases("tanh_backward")}
    fans = {shape: (shape[0] * math.prod(shape[2:]), shape[1] * math.prod(shape[2:])) for shape in cases("fans")}
    write(tmp_path, "mul_backward", f"def mul_backward(*args):\n    return {mul!r}[args]\n")
    write(tmp_path, "tanh_backward", f"def tanh_backward(*args):\n    return {tanh!r}[args]\n")
    write(tmp_path, "fans", f"def fans(shape):\n    return {fans!r}[shape]\n")
    # Array inputs from a seeded generator: looked up by their bytes.
    rng = np.random.default_rng(11)
    linear = {}
    for n, fan_in, fan_out in cases("linear_backward"):
        x, W, g = rng.normal(size=(n, fan_in)), rng.normal(size=(fan_in, fan_out)), rng.normal(size=(n, fan_out))
        linear[x.tobytes()] = ((g @ W.T).tolist(), (x.T @ g).tolist(), g.sum(axis=0).tolist())
    write(tmp_path, "linear_backward", f"import numpy as np\nTABLE = {linear!r}\ndef linear_backward(x, W, g):\n"
                                       "    return tuple(map(np.array, TABLE[x.tobytes()]))\n")
    predict = importlib.import_module(f"tinygrad_init.exercises.{catalog.get('relu_std').stem}")._predict
    relu = {repr(tuple(a for a in case if a is not None)): predict(*case[:2], case[2] or 1.0, "right").tolist()
            for case in cases("relu_std")}  # None: the case leaves input_std to its default
    write(tmp_path, "relu_std", f"import numpy as np\ndef predict_relu_std(*args):\n"
                                f"    return np.array({relu!r}[repr(args)])\n")
    module = importlib.import_module(f"tinygrad_init.exercises.{catalog.get('verdict').stem}")
    words = {repr(tuple(case)): module.verdict(*case) for case in module.CASES}
    write(tmp_path, "verdict", f"def verdict(*args):\n    return {words!r}[repr(args)]\n")
    module = importlib.import_module(f"tinygrad_init.exercises.{catalog.get('edge_of_chaos').stem}")
    chaos = {case: module.solve(*case) for case in module.CASES}
    write(tmp_path, "edge_of_chaos", f"def edge_of_chaos(*args):\n    return {chaos!r}[args]\n")
    module = importlib.import_module(f"tinygrad_init.exercises.{catalog.get('accumulate_grads').stem}")
    grads = {repr((edges, root)): module._backprop(edges, root, "right") for _, edges, root in module.CASES}
    write(tmp_path, "accumulate_grads", f"def accumulate_grads(edges, root):\n"
                                        f"    return {grads!r}[repr(([tuple(e) for e in edges], root))]\n")
    names = ["mul_backward", "accumulate_grads", "tanh_backward", "linear_backward", "fans", "relu_std",
             "edge_of_chaos", "verdict"]
    for r in grader.grade(str(tmp_path), names):
        assert not r.passed and "KeyError" in r.message, (r.name, r.status, r.message)  # ex06 names the error


def test_the_order_of_a_nodes_parents_in_the_fresh_graph_tells_nothing_of_the_order_it_was_made_in(tmp_path):
    # ex05's fresh graph listed first, for every node that is no leaf, the one made before it, and gave the root the
    # unused nodes in the order they were made: following first parents back from the root's last listed it in an order
    # where parents come first, so that a table of the published graphs (by their labels, the chain by its numbers) and
    # that rule passed with no topological sort.
    table = [["x", "k", "a = exp(x)", "m = tanh(a)", "y"], ["x", "2", "m = x*2", "y"], ["x"],
             ["b", "s = b*b", "c", "g"], ["x", "2", "m = x*2", "z", "n = z*2", "y"],
             ["a", "b", "c = a*b", "d = c+a", "e = d*c", "t = tanh(e)", "s = a*a", "f = t+s"]]
    write(tmp_path, "topological_order", f"TABLE = {table!r}\n\n\ndef topological_order(root):\n"
          "    nodes, stack = {root}, [root]\n    while stack:\n        for p in stack.pop()._parents:\n"
          "            if p not in nodes:\n                nodes.add(p)\n                stack.append(p)\n"
          "    known = [t for t in TABLE if set(t) == {n.label for n in nodes}]\n    if known:\n"
          "        return sorted(nodes, key=lambda n: known[0].index(n.label))\n"
          "    if root.label[0] == 'x':  # the chain x0 ... x5000\n"
          "        return sorted(nodes, key=lambda n: int(n.label[1:]))\n"
          "    last, chain = next(p for p in reversed(root._parents) if p._parents), []\n"
          "    while last._parents:\n        chain.append(last)\n        last = last._parents[0]\n"
          "    return [n for n in nodes if not n._parents] + chain[::-1] + [root]\n")
    result = grader.grade(str(tmp_path), "topological_order")[0]
    assert result.status == "fail" and "a random graph of 4000 nodes" in result.message, result.message


def test_the_worker_holds_no_order_of_the_graph_that_answers_the_topological_order(tmp_path):
    # The worker numbers the nodes it sends back; were those numbers (or its allocation order) an order where parents
    # come first, sorting the nodes by them would answer ex05 without a topological sort.
    collect = ("def _nodes(root):\n    seen, stack = {id(root): root}, [root]\n    while stack:\n"
               "        for p in stack.pop()._parents:\n            if id(p) not in seen:\n"
               "                seen[id(p)] = p\n                stack.append(p)\n    return list(seen.values())\n")
    # ... nor may the grader's shuffle be undone: it was seeded by the graph's size (np.random.default_rng(n)).
    undo = "[*np.random.default_rng(len(index)).permutation(len(index) - 1).tolist(), len(index) - 1][index[id(n)]]"
    for key in ("index[id(n)]", "id(n)", undo):
        write(tmp_path, "topological_order", f"import sys\nimport numpy as np\n{collect}\n"
                                             "def topological_order(root):\n"
                                             "    index = sys._getframe(1).f_locals['nodes']  # the worker's\n"
                                             f"    return sorted(_nodes(root), key=lambda n: {key})\n")
        result = grade_file("topological_order", os.path.join(tmp_path, catalog.get("topological_order").file))
        assert result.status == "fail", (key, result.message)


# ------------------------------------------------------------------ accidents


def test_children_of_the_student_code_never_hold_grading(tmp_path):
    # A forked child that sleeps or spins, and a multiprocessing child: the exercise passes at once
    # and the whole process group goes when the exercise is graded.
    body = solution("mul_backward")
    write(tmp_path, "mul_backward", "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n" + body)
    write(tmp_path, "pow_backward",
          "import os\nif os.fork() == 0:\n    while True:\n        pass\n" + solution("pow_backward"))
    write(tmp_path, "tanh_backward", "import multiprocessing, time\n"
                                     "multiprocessing.Process(target=time.sleep, args=(60,)).start()\n"
                                     + solution("tanh_backward"))
    write(tmp_path, "sigmoid_backward", "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n"
                                        "def sigmoid_backward(x, upstream):\n    while True:\n        pass\n")
    # A child that leaves the process group (a session of its own) goes too.
    write(tmp_path, "relu_std", "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                                "        time.sleep(60)\n    os._exit(0)\n" + solution("relu_std"))
    start = time.monotonic()
    results = grader.grade(str(tmp_path), ["mul_backward", "pow_backward", "tanh_backward", "sigmoid_backward",
                                           "relu_std"], timeout=2)
    elapsed = time.monotonic() - start
    assert [r.status for r in results] == ["pass", "pass", "pass", "timeout", "pass"], [r.message for r in results]
    assert elapsed < 30, elapsed  # not a timing assertion: 60 s sleepers would hold a pipe-based grader
    assert _survivors(str(tmp_path)) == []


def test_a_slow_answer_is_told_which_call_ran_out_of_time_and_how_to_allow_more(tmp_path):
    # A right answer, slow on one input (or a file whose top-level code is slow), was told "timed out: your code was
    # still running after 1 s" and only the command line's --timeout: neither which call it was on nor, from Python,
    # grade(..., timeout=...).
    write(tmp_path, "mul_backward", "import time\ndef mul_backward(a, b, upstream):\n    if a == 0:\n"
                                    "        time.sleep(30)\n    return upstream * b, upstream * a\n")
    write(tmp_path, "pow_backward", f"import time\ntime.sleep(30)\n{solution('pow_backward')}")
    mul, pow_ = grader.grade(str(tmp_path), ["mul_backward", "pow_backward"], timeout=1)
    assert mul.status == pow_.status == "timeout", (mul.message, pow_.message)
    assert "while running mul_backward(a=0, b=2.5, upstream=1.5)" in mul.message, mul.message
    assert "while your file was being loaded" in pow_.message, pow_.message
    assert "--timeout 30" in mul.message and "timeout=30" in mul.message, mul.message
    # Slow code at the top level of the file is mostly the student's own test: it was only told to raise the limit.
    assert "under `if __name__ == '__main__':`, which the grader does not run" in pow_.message, pow_.message
    assert "__main__" not in mul.message, mul.message


def _check_that_pauses(monkeypatch, seconds: float) -> None:
    """mul_backward's check made to compute `seconds` (the check's own time) between two calls of the student's code."""
    def check(run):
        run("mul_backward(a=1, b=2, upstream=3)", 1.0, 2.0, 3.0)
        time.sleep(seconds)
        run("mul_backward(a=4, b=5, upstream=6)", 4.0, 5.0, 6.0)

    monkeypatch.setattr(importlib.import_module(f"tinygrad_init.exercises.{catalog.get('mul_backward').stem}"),
                        "check", check)


def test_a_check_that_runs_past_the_limit_itself_is_not_blamed_on_the_students_code(tmp_path, monkeypatch):
    # A lecturer's check that computed past the limit between two calls (in the grader) told the student "your code
    # was still running after 1 s while running mul_backward(a=4, ...)" and to look for an endless loop, where the
    # student's code had returned and the next call was not even sent.
    _check_that_pauses(monkeypatch, 1.5)  # more than the limit, however fast the machine
    write(tmp_path, "mul_backward", solution("mul_backward"))
    (result,) = grader.grade(str(tmp_path), ["mul_backward"], timeout=1)
    assert result.status == "internal", (result.status, result.message)
    assert result.message.startswith("the check for mul_backward itself ran past the time limit of 1 s before calling "
                                     "mul_backward(a=4, b=5, upstream=6) -- not a mistake of yours; please tell your "
                                     "lecturer"), result.message


def test_a_slow_answer_that_spent_the_limit_between_two_calls_is_a_time_out_not_the_checks_fault(tmp_path,
                                                                                                 monkeypatch):
    # The student's code took most of the limit and returned just in time, and the check's brief computing after it
    # crossed the limit before the next call: the grade was "internal", "the check for mul_backward itself ran past the
    # time limit ... not a mistake of yours". A file that sleeps until just before the deadline got it every few runs.
    _check_that_pauses(monkeypatch, 1.0)  # the check's own share: less than half of the limit, the student's the rest
    write(tmp_path, "mul_backward", "import time\ndef mul_backward(a, b, upstream):\n    if a == 1:\n"
                                    "        time.sleep(2.2)\n    return upstream * b, upstream * a\n")
    (result,) = grader.grade(str(tmp_path), ["mul_backward"], timeout=3)
    assert result.status == "timeout", (result.status, result.message)
    assert result.message.startswith("timed out: your code used up the time limit of 3 s in its calls before "
                                     "mul_backward(a=4, b=5, upstream=6)"), result.message
    assert "--timeout 30" in result.message and "not a mistake of yours" not in result.message, result.message


def test_a_call_still_running_at_the_limit_after_the_check_took_most_of_it_is_the_checks_time_out(tmp_path,
                                                                                                    monkeypatch):
    # The check computed 1.5 s of the 2 s limit between two calls and the student's quick code (0.4 s a call) was
    # still running at the limit: the student was told to look for a loop that never ends, with half the limit used.
    _check_that_pauses(monkeypatch, 1.5)  # the check's own share: most of the limit
    write(tmp_path, "mul_backward", "import time\ndef mul_backward(a, b, upstream):\n    time.sleep(0.4)\n"
                                    "    return upstream * b, upstream * a\n")
    (result,) = grader.grade(str(tmp_path), ["mul_backward"], timeout=2)
    assert result.status == "internal", (result.status, result.message)
    assert result.message.startswith("the check for mul_backward itself "), result.message
    assert "mul_backward(a=4, b=5, upstream=6)" in result.message and "--timeout 30" in result.message, result.message
    assert "loop that never ends" not in result.message, result.message


def test_a_check_that_never_ends_is_given_up_past_the_limit_and_blamed_on_itself(tmp_path, monkeypatch):
    # A lecturer's check that kept computing after the student's answer came back (a loop whose condition never
    # changes) held exercises.grade and the command line for good: the limit reached the student's calls only, and the
    # check runs in the grader. One that spins, and one that waits in a C call (no Python to stop there).
    spinning = []

    def spin(run):
        run("mul_backward(a=1, b=2, upstream=3)", 1.0, 2.0, 3.0)
        spinning.append(threading.current_thread())
        end = time.monotonic() + 60  # "forever": a grader that waits for it passes the answer after a minute
        while time.monotonic() < end:
            pass

    def wait(run):
        run("pow_backward(x=2, n=3, upstream=1)", 2.0, 3.0, 1.0)
        time.sleep(60)

    for name, check in (("mul_backward", spin), ("pow_backward", wait)):
        module = importlib.import_module(f"tinygrad_init.exercises.{catalog.get(name).stem}")
        monkeypatch.setattr(module, "check", check)
        write(tmp_path, name, solution(name))
    mul, pow_ = grader.grade(str(tmp_path), ["mul_backward", "pow_backward"], timeout=0.5)
    for result, line in ((mul, "while time.monotonic() < end"), (pow_, "time.sleep(60)")):
        assert result.status == "internal", (result.status, result.message)
        assert result.message.startswith(f"the check for {result.name} itself "), result.message
        assert "not a mistake of yours; please tell your lecturer" in result.message, result.message
        assert "was still running 0.5 s past the time limit of 0.5 s" in result.message, result.message
        assert line in result.message, result.message  # where the check was, for the lecturer
    spinning[0].join(timeout=60)
    assert not spinning[0].is_alive()  # stopped, not left spinning beside the exercises graded next


def test_a_grading_process_that_dies_or_hangs_before_reading_the_file_is_not_blamed_on_the_student(tmp_path,
                                                                                                      monkeypatch):
    # A worker that could not start (numpy not importable by the Python it runs, a sitecustomize on its PYTHONPATH that
    # exits or hangs) was graded "crash", "your code ended the grading process (exit status 1), e.g. with os._exit()",
    # or "timeout", "your code was still running after 2 s", before a line of the student's file had run.
    write(tmp_path, "mul_backward", solution("mul_backward"))
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(site))
    for source, why in (("raise ImportError('numpy is broken here')\n", "exit status 1"),
                        ("import os\nos._exit(3)\n", "exit status 3"),
                        ("import time\ntime.sleep(60)\n", "no sign of life within 1 s")):
        (site / ("numpy.py" if "ImportError" in source else "sitecustomize.py")).write_text(source)
        ex = catalog.get("mul_backward")
        path = os.path.join(tmp_path, ex.file)
        result = grade_file(ex, path, timeout=2, session=runner._Worker(ex, path, 2, 1024, startup=1))
        for stale in site.iterdir():
            stale.unlink()
        assert result.status == "internal", (why, result.status, result.message)
        assert result.message.startswith(f"the grading process did not start ({why})"), result.message
        assert "not a mistake of yours" in result.message and sys.executable in result.message, result.message
        assert "numpy is broken here" in result.output or "ImportError" not in source, result.output  # its traceback


def test_entries_of_sys_path_that_import_ignores_do_not_stop_the_grader(tmp_path, monkeypatch):
    # Python's import skips what is not a str in sys.path (b"/opt/lib", None, a number, left there by a notebook or a
    # tool); grade() raised "TypeError: Object of type bytes is not JSON serializable" (or "expected str, bytes or
    # os.PathLike object, not NoneType") from the worker's policy, before any file was graded.
    write(tmp_path, "mul_backward", solution("mul_backward"))
    monkeypatch.setattr(sys, "path", [*sys.path, os.fsencode(str(tmp_path)), None, 5])
    (result,) = grader.grade(str(tmp_path), ["mul_backward"], timeout=5)
    assert result.status == "pass", (result.status, result.message)


def test_a_check_stopped_past_the_limit_is_a_timeout_also_when_its_thread_stops_before_the_grader_looks(monkeypatch):
    # The check's thread is stopped by a SystemExit raised in it, which the thread hands over as what the check raised:
    # when the thread got there before the grader's thread read the outcome, _bounded raised that SystemExit in the
    # grader, which ended grade() and the command line (exit status 0) with no result for any exercise
    import ctypes
    import traceback
    import types

    from tinygrad_init.exercises import kit

    if not hasattr(ctypes, "pythonapi"):
        pytest.skip("stopping a thread needs CPython's API")
    stop = ctypes.pythonapi.PyThreadState_SetAsyncExc

    def stop_then_let_it_run(ident, exc):  # the thread's turn comes before the grader's next line
        done = stop(ident, exc)
        next(t for t in threading.enumerate() if t.ident == ident.value).join(timeout=60)
        return done

    def spin(run):
        end = time.monotonic() + 60
        while time.monotonic() < end:
            pass

    monkeypatch.setattr(ctypes.pythonapi, "PyThreadState_SetAsyncExc", stop_then_let_it_run)
    run = types.SimpleNamespace(deadline=time.monotonic(), timeout=0.05)  # a worker's session, as _bounded reads it
    with pytest.raises(TimeoutError, match=r"^the check was still running 0\.05 s past the time limit") as e:
        kit._bounded(spin, run)
    assert "while time.monotonic() < end" in "".join(traceback.format_tb(e.value.__traceback__))  # where it was


def test_a_walk_without_a_visited_set_that_times_out_is_told_why(tmp_path):
    # A topological order that remembers only what it emitted ("if n not in out") expands a shared node once per path
    # to it: on the fresh 4000-node graph it ran out of time with the generic advice (a loop that never ends, or a
    # higher limit), neither of which is the mistake. An exercise without such a hint gets the generic advice alone
    # (ex05's hint is worded for the walk it names: "if your walk keeps no set...").
    write(tmp_path, "topological_order",
          "def topological_order(root):\n    out, stack = [], [(root, False)]\n    while stack:\n"
          "        n, expanded = stack.pop()\n        if expanded:\n            if n not in out:\n"
          "                out.append(n)\n            continue\n        stack.append((n, True))\n"
          "        stack.extend((p, False) for p in n._parents)\n    return out\n")
    write(tmp_path, "mul_backward", "def mul_backward(a, b, upstream):\n    while True:\n        pass\n")
    loop, walk = grader.grade(str(tmp_path), ["mul_backward", "topological_order"], timeout=1)
    assert walk.status == loop.status == "timeout", (walk.message, loop.message)
    assert "hint: if your walk keeps no set" in walk.message and "once for every path" in walk.message, walk.message
    assert "hint: " not in loop.message, loop.message


def test_a_fork_bomb_is_stopped_at_a_few_processes(tmp_path):
    # Every child forking again would fill the machine's process table within the time limit (for everyone on it):
    # the worker may start 16 processes, which may start none. Here: 40 forks in a row, each child leaving at once
    # (the 17th refused);
    # and a child that forks again (it is ended; the exercise is graded).
    write(tmp_path, "mul_backward", "import os\nfor n in range(40):\n    try:\n        child = os.fork()\n"
                                    "    except BlockingIOError:\n        print('forked', n)\n        raise\n"
                                    "    if child == 0:\n        os._exit(0)\n    os.wait()\n"
                                    + solution("mul_backward"))
    write(tmp_path, "pow_backward", "import os, time\nif os.fork() == 0:\n    os.fork()\n    time.sleep(60)\n"
                                    "    os._exit(0)\ntime.sleep(0.5)\n" + solution("pow_backward"))
    fork, again = grader.grade(str(tmp_path), ["mul_backward", "pow_backward"])
    assert fork.status == "error" and "16 processes" in fork.message and "forked 16\n" in fork.output, fork.message
    assert again.passed and "tried to start another one" in again.output, (again.message, again.output)
    assert _survivors(str(tmp_path)) == []


def test_a_forked_child_that_returns_from_the_student_code_does_not_answer_for_it(tmp_path):
    # os.fork() without os._exit in the child: both processes returned into the worker and answered, and a right
    # answer failed with "data the grader did not ask for ... your code seems to write into the private channel".
    write(tmp_path, "mul_backward", "import os\nos.fork()\n" + solution("mul_backward"))
    write(tmp_path, "pow_backward", solution("pow_backward") + "\n_f = pow_backward\ndef pow_backward(*args):\n"
                                    "    import os\n    os.fork()\n    return _f(*args)\n")
    for r in grader.grade(str(tmp_path), ["mul_backward", "pow_backward"]):
        assert r.passed, r.message
    assert _survivors(str(tmp_path)) == []


def _survivors(folder: str) -> list[int]:
    """Processes still running in `folder` (Linux: /proc/PID/cwd), after a short grace for the kill to land."""
    if not os.path.isdir("/proc/self"):
        return []
    for _ in range(20):
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if os.readlink(f"/proc/{pid}/cwd") == os.path.realpath(folder):
                    found.append(int(pid))
            except OSError:
                pass
        if not found:
            return []
        time.sleep(0.1)
    return found


def test_crashes_exits_and_interrupts_are_reported_and_the_next_exercise_still_graded(tmp_path):
    sources = {
        "mul_backward": "import os\ndef mul_backward(a, b, upstream):\n    os._exit(7)\n",
        "pow_backward": "import sys\ndef pow_backward(x, n, upstream):\n    print('bye')\n    sys.exit(3)\n",
        "tanh_backward": "import faulthandler\ndef tanh_backward(x, upstream):\n    faulthandler._sigsegv()\n",
        "sigmoid_backward": "def sigmoid_backward(x, upstream):\n    raise KeyboardInterrupt\n",
        "topological_order": "import numpy as np\ndef topological_order(root):\n    return np.ones((50000, 50000))\n",
        "accumulate_grads": "import sys\nsys.setrecursionlimit(100)\ndef accumulate_grads(edges, root):\n"
                            "    return accumulate_grads(edges, root)\n",
        "linear_backward": "def linear_backward(x, W, g):\n    while True:\n        print('x' * 100_000)\n",
        "softmax_ce_backward": "import fcntl, os\nfor fd in range(3, 64):  # the worker's end of the reply pipe\n"
                               "    if os.path.exists(f'/proc/self/fd/{fd}') and os.readlink(f'/proc/self/fd/{fd}')"
                               ".startswith('pipe') and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_WRONLY:\n"
                               "        os.dup2(os.open(os.devnull, os.O_WRONLY), fd)\n",
        "unbroadcast": solution("unbroadcast"),
    }
    for name, source in sources.items():
        write(tmp_path, name, source)
    code, text = run(["grade", str(tmp_path), *sources, "--timeout", "5"])
    assert code == 1
    assert verdicts(text) == {**{name: "FAIL" for name in sources}, "unbroadcast": "PASS"}, text
    flat = " ".join(text.split())
    assert "your code ended the grading process (exit status 7)" in flat
    assert "your code called sys.exit(3)" in flat and "| bye" in text
    assert "killed by SIGSEGV" in flat
    assert "your code raised KeyboardInterrupt while running sigmoid_backward" in flat
    assert "your code ran out of memory" in flat
    assert "your code raised RecursionError" in flat
    assert "your code printed (or wrote to a file) more than 64 MB" in flat  # not gigabytes in the temp folder
    assert "stopped answering while your code ran: did it close or replace file descriptors" in flat


def test_a_capture_file_replaced_by_the_student_never_holds_the_grader(tmp_path):
    # The worker's capture file (its argv[1]) replaced by a named pipe: reading it back blocked the grader forever. (A
    # named pipe is refused now; a file put in its place is read as the capture file was, by its descriptor.)
    write(tmp_path, "mul_backward", "import os, sys\nos.remove(sys.argv[1])\nopen(sys.argv[1], 'w').close()\n"
                                    "print('hi')\n" + solution("mul_backward"))
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "tinygrad_init.exercises", "grade", str(tmp_path), "mul_backward"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stdout


def test_the_report_shows_control_characters_of_the_student_instead_of_sending_them_to_the_terminal(tmp_path):
    # Escape sequences (cursor up, clear line) and carriage returns could repaint a FAIL as a PASS on a terminal.
    write(tmp_path, "mul_backward", "print('\\x1b[3A\\x1b[2K\\rPASS  ex01  forged')\n"
                                    "def mul_backward(a, b, upstream):\n"
                                    "    raise ValueError('\\x1b[2K\\rPASS  ex01  mul_backward\\x07')\n")
    code, text = run(["grade", str(tmp_path), "mul_backward"])
    assert code == 1 and verdicts(text) == {"mul_backward": "FAIL"}
    assert not set(text) & {"\x1b", "\r", "\x07"}, repr(text)
    assert "your code raised ValueError: \\x1b[2K\\x0dPASS" in text and "| \\x1b[3A\\x1b[2K" in text


def test_the_student_code_cannot_stop_or_kill_the_grader(tmp_path):
    # Signals to processes outside the worker's group (the grader, or every process of the user with -1) are
    # refused; the worker's own group (itself, a forked child) may still be signalled.
    # (Signal 0 only asks whether the process exists: the test stops nothing if the refusal is missing.)
    sources = {"mul_backward": "import os\nos.kill(os.getppid(), 0)\n",
               "pow_backward": "import os\nos.killpg(os.getpgid(os.getppid()), 0)\n",
               "tanh_backward": "import os\nos.kill(-1, 0)\n",
               "sigmoid_backward": "import os, signal, time\npid = os.fork()\nif pid == 0:\n    time.sleep(60)\n"
                                   "os.kill(pid, signal.SIGKILL)\nos.waitpid(pid, 0)\n" + solution("sigmoid_backward")}
    for name, source in sources.items():
        write(tmp_path, name, source)
    results = grader.grade(str(tmp_path), list(sources), timeout=20)
    assert [r.status for r in results] == ["fail", "fail", "fail", "pass"], [r.message for r in results]
    assert all("`os.kill`" in r.message or "`os.killpg`" in r.message for r in results[:3]), results


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="a process's descriptor: Linux only")
def test_the_student_code_cannot_signal_the_grader_by_a_process_descriptor_nor_set_its_limits(tmp_path):
    # os.kill is refused on the grader, but a pidfd's signal raises no audit event: pidfd_send_signal(SIGSTOP) stops the
    # grader (here signal 0, which stops nothing), and resource.prlimit lowered its limits (here it only reads them).
    sources = {"mul_backward": "import os, signal\nsignal.pidfd_send_signal(os.pidfd_open(os.getppid()), 0)\n",
               "pow_backward": "import posix, signal\nsignal.pidfd_send_signal(posix.pidfd_open(posix.getppid()), 0)\n",
               "tanh_backward": "import os, resource\nresource.prlimit(os.getppid(), resource.RLIMIT_NOFILE)\n",
               "sigmoid_backward": "import os, resource\nresource.prlimit(0, resource.RLIMIT_NOFILE)\n"
                                   + solution("sigmoid_backward")}
    for name, source in sources.items():
        write(tmp_path, name, source)
    results = grader.grade(str(tmp_path), list(sources))
    assert [(r.status, r.mistake) for r in results] == [("fail", "forbidden_import")] * 3 + [("pass", None)], results
    assert "`os.pidfd_open`" in results[0].message and "`resource.prlimit` on another process" in results[2].message


def test_scratch_files_named_like_standard_modules_do_not_break_grading(tmp_path):
    for scratch in ("numbers", "json", "copy", "numpy", "math", "base64", "struct"):
        (tmp_path / f"{scratch}.py").write_text("raise RuntimeError('a scratch file')\n", encoding="utf-8")
    write(tmp_path, "fans", solution("fans"))
    write(tmp_path, "he_normal", "import math\nimport numpy as np\nfrom ex11_fans import fans  # an earlier exercise\n"
                                 "def he_normal(shape, rng=None, dtype=np.float32):\n    fan_in, _ = fans(shape)\n"
                                 "    std = math.sqrt(2 / fan_in)\n"
                                 "    return np.random.default_rng(rng).normal(0.0, std, size=shape).astype(dtype)\n")
    results = grader.grade(str(tmp_path), ["fans", "he_normal"])
    assert [r.status for r in results] == ["pass", "pass"], [r.message for r in results]


def test_a_garbled_worker_never_crashes_the_grader(tmp_path):
    # Replies that are not frames at all, and a frame that is valid JSON but not the reply asked for.
    write(tmp_path, "mul_backward", "import os\ndef mul_backward(a, b, upstream):\n"
                                    "    for fd in range(3, 64):\n        try:\n"
                                    "            os.write(fd, b'\\xff\\xff\\xff\\xff garbage')\n"
                                    "        except OSError:\n            pass\n    return 1.0, 2.0\n")
    result = grade_file(catalog.get("mul_backward"), os.path.join(str(tmp_path), "ex01_mul_backward.py"))
    assert result.status == "error" and "did not ask for" in result.message


def test_a_frame_of_deeply_nested_json_is_garbage_not_a_time_out(tmp_path):
    # json.loads raises RecursionError on it: the grader's reader died with a traceback on the grader's stderr,
    # and the exercise waited out its time limit to be told 'your code was still running'.
    write(tmp_path, "mul_backward", "import os, struct\ndef mul_backward(a, b, upstream):\n"
                                    "    data = b'[' * 100_000 + b']' * 100_000\n"
                                    "    for fd in range(3, 64):\n        try:\n"
                                    "            os.write(fd, struct.pack('>I', len(data)) + data)\n"
                                    "        except OSError:\n            pass\n    return 1.0, 2.0\n")
    result = grade_file(catalog.get("mul_backward"), os.path.join(str(tmp_path), "ex01_mul_backward.py"), timeout=30)
    assert result.status == "error" and "did not ask for" in result.message, result.message


# A reply forged with the tag of the request it answers (read from the worker's frame): malformed inside.
FORGED = ['{"raised": "x"}', '{"raised": {"line": "abc"}}', '{"raised": {"kinds": 5}}',
          '{"ok": {"t": "scalar", "dtype": "<f8", "v": "x"}}', '{"ok": {"t": "scalar", "dtype": "<i8", "v": 1e300}}']


@pytest.mark.parametrize("when", ["load", "call"])
def test_a_forged_reply_with_the_right_tag_is_tampering_not_a_bug_of_the_check(tmp_path, when):
    # Such replies were reported as 'the check for mul_backward itself failed -- please tell your lecturer'.
    forge = ("import os, sys, json, struct\ndef forge(reply):\n    frame = sys._getframe()\n"
             "    while 'request' not in frame.f_locals:\n        frame = frame.f_back\n"
             "    n = frame.f_locals['request']['n']\n"
             "    data = json.dumps(dict(json.loads(reply), n=n)).encode()\n    for fd in range(3, 64):\n"
             "        try:\n            os.write(fd, struct.pack('>I', len(data)) + data)\n"
             "        except OSError:\n            pass\n")
    for reply in FORGED:
        call = f"forge({reply!r})"
        write(tmp_path, "mul_backward", forge + (f"def _load():\n    {call}\n_load()\n" if when == "load" else "")
              + "def mul_backward(a, b, upstream):\n" + (f"    {call}\n" if when == "call" else "")
              + "    return upstream * b, upstream * a\n")
        result = grade_file(catalog.get("mul_backward"), os.path.join(str(tmp_path), "ex01_mul_backward.py"))
        assert result.status == "error" and "did not ask for" in result.message, (reply, result.message)


def test_the_engine_exercise_runs_with_the_engine_in_a_worker(tmp_path):
    shutil.copy(os.path.join(HERE, "solutions", "ex15_symmetry_engine.py"), tmp_path / "ex15_symmetry.py")
    result = grade_file(catalog.get("symmetry"), str(tmp_path / "ex15_symmetry.py"), timeout=60)
    assert result.passed, result.message


@pytest.mark.parametrize("change", ["open(os.path.join(PACKAGE, 'utils.py'), 'a').close()",
                                    "os.link(os.path.join(PACKAGE, 'utils.py'), 'mine.py')",
                                    "os.open('utils.py', os.O_WRONLY, dir_fd=os.open(PACKAGE, os.O_RDONLY))",
                                    "os.open(np.__file__, os.O_WRONLY)"])
def test_the_engine_exercise_may_read_the_package_but_never_change_it(tmp_path, change):
    # The grader imports the package and numpy the next time it runs, and runs the .pth files of site-packages: a file
    # there changed from the student's code (opened for appending or writing, here nothing; linked into the student's
    # folder to be written there) would change the checks.
    source = ("import os, sys\nimport numpy as np\nfrom tinygrad_init import Tensor\n"
              "PACKAGE = os.path.dirname(os.path.dirname(sys.modules[Tensor.__module__].__file__))\n"
              f"open(os.path.join(PACKAGE, 'utils.py')).close()  # reading it is fine\n{change}\n")
    path = write(tmp_path, "symmetry", source + solution("symmetry"))
    result = grade_file(catalog.get("symmetry"), path, timeout=60)
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)
    assert ("utils.py" in result.message or "numpy" in result.message) and not os.path.exists(tmp_path / "mine.py")


def test_another_interpreter_in_the_worker_is_refused(tmp_path):
    # A sub-interpreter has none of the worker's audit hooks: there, os.system ran `python -c "import tinygrad_init"`
    # and the library's answer passed ex01. _testcapi starts one without an audit event; _xxsubinterpreters with one.
    program = "import os, sys\nos.system(sys.executable + ' -c pass')\n"
    sources = {"mul_backward": f"import _testcapi\n_testcapi.run_in_subinterp({program!r})\n",
               "pow_backward": f"import _xxsubinterpreters as subs\nsubs.run_string(subs.create(), {program!r})\n"}
    for name, source in sources.items():
        write(tmp_path, name, source)
    for r in grader.grade(str(tmp_path), list(sources), timeout=20):
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message, r.output)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals")
def test_the_student_code_cannot_write_to_the_terminal_the_report_is_read_on(tmp_path):
    # What the student's code prints goes to the capture file, and the report shows it quoted; the terminal itself,
    # opened by its name, took a forged report (with control characters that move the cursor) around the real one.
    main, terminal = os.openpty()
    try:
        write(tmp_path, "mul_backward", f"open({os.ttyname(terminal)!r}, 'w').write('PASS  ex01  mul_backward\\n')\n"
                                        f"{solution('mul_backward')}")
        result = grader.grade(str(tmp_path), "mul_backward")[0]
        os.set_blocking(main, False)
        with pytest.raises(BlockingIOError):  # nothing arrived on the terminal
            os.read(main, 1000)
    finally:
        os.close(main)
        os.close(terminal)
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)


@pytest.mark.parametrize("forged", ["99999", "len(seen)"])  # far beyond the graph's nodes, and the first past them
def test_a_forged_node_outside_the_graph_is_not_a_bug_of_the_check(tmp_path, forged):
    # A reply forged with the request's tag naming node 99999 of a smaller graph: the check indexed its node list with
    # it and reported 'the check for topological_order itself failed -- please tell your lecturer'.
    path = write(tmp_path, "topological_order",
                 "import os, sys, json, struct\ndef topological_order(root):\n    frame = sys._getframe()\n"
                 "    while 'request' not in frame.f_locals:\n        frame = frame.f_back\n"
                 "    seen, todo = set(), [root]\n    while todo:\n        n = todo.pop()\n"
                 "        if id(n) not in seen:\n            seen.add(id(n))\n            todo.extend(n._parents)\n"
                 f"    node = {{'t': 'node', 'i': {forged}}}\n"
                 "    reply = {'ok': {'t': 'list', 'v': [node]}, 'n': frame.f_locals['request']['n']}\n"
                 "    data = json.dumps(reply).encode()\n    for fd in range(3, 64):\n        try:\n"
                 "            os.write(fd, struct.pack('>I', len(data)) + data)\n"
                 "        except OSError:\n            pass\n"
                 "    return []\n")
    result = grade_file(catalog.get("topological_order"), path)
    assert result.status == "fail" and "not a node of the graph" in result.message, result.message


def test_a_relative_write_is_refused_only_into_an_installation_the_student_may_write_to(tmp_path):
    # A relative path is also tried against the folders above the installation (a folder descriptor the event does not
    # show could be its base). With a system Python (sys.base_prefix /usr, /lib a link to usr/lib), the student's own
    # open('lib/notes.txt', 'w') was taken for a write into /usr/lib and refused. Here: an installation in tmp/usr,
    # read-only (os.access says so: the tests may run as root), and the student's folder tmp/work writing usr/notes.txt.
    (tmp_path / "usr").mkdir()
    (tmp_path / "work" / "usr").mkdir(parents=True)
    worker = os.path.join(REPO, "tinygrad_init", "exercises", "worker.py")
    harness = ("import importlib.util, os, sys\n"
               f"spec = importlib.util.spec_from_file_location('w', {worker!r})\n"
               "worker = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(worker)\n"
               f"sys.base_prefix = {str(tmp_path / 'usr')!r}\naccess = os.access\n"
               "os.access = lambda path, mode: not path.startswith(sys.base_prefix) and access(path, mode)\n"
               "worker._install_policy({'deny': [], 'protect': []})\n"
               "open('usr/notes.txt', 'w').write('mine')\nprint(open('usr/notes.txt').read())\n")
    out = subprocess.run([sys.executable, "-c", harness], cwd=tmp_path / "work", capture_output=True, text=True,
                         timeout=60)
    assert out.stdout == "mine\n", out.stderr


def test_a_builtin_module_that_warns_on_import_prints_nothing_of_the_graders(tmp_path):
    # The worker imports every built-in module before the student's code runs. Debian's Python 3.11 builds `spwd` in,
    # whose import warns (DeprecationWarning): every failed answer showed "your code printed: ...worker.py:448:
    # DeprecationWarning", and under PYTHONWARNINGS=error a right answer failed. Here a built-in stand-in that warns.
    (tmp_path / "warns_on_import.py").write_text("import warnings\nwarnings.warn('old', DeprecationWarning)\n")
    worker = os.path.join(REPO, "tinygrad_init", "exercises", "worker.py")
    harness = ("import importlib.util, sys\n"
               f"spec = importlib.util.spec_from_file_location('w', {worker!r})\n"
               "worker = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(worker)\n"
               "sys.builtin_module_names += ('warns_on_import',)\n"
               "worker._install_policy({'deny': [], 'protect': []})\nprint('set up')\n")
    out = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", harness], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert (out.stdout, out.stderr) == ("set up\n", "")


def test_the_student_code_cannot_plant_modules_where_the_grader_imports_from_next_time(tmp_path, monkeypatch):
    # `python -m tinygrad_init.exercises grade alice`, run from the folder above alice, imports from that folder first:
    # alice's code wrote a tinygrad_init package there, and the next run printed its '22 passed -- well done!'. A user
    # site that did not exist yet, made and given a .pth file, would run at every start of a Python with user sites.
    monkeypatch.syspath_prepend(str(tmp_path))  # as `python -m` from tmp_path puts it first
    monkeypatch.setenv("PYTHONUSERBASE", str(tmp_path / "userbase"))
    (tmp_path / "alice").mkdir()
    plants = {"mul_backward": "os.makedirs(os.path.join(os.path.dirname(os.getcwd()), 'tinygrad_init'))",
              "pow_backward": "open('../json.py', 'w').write('print(1)')",
              "tanh_backward": "os.makedirs(site.getusersitepackages())",
              "sigmoid_backward": "os.rename('notes.txt', os.path.join(os.path.dirname(os.getcwd()), 'secrets.py'))",
              "linear_backward": "os.makedirs('a/b')\nos.write(os.open('../../../json.py', os.O_WRONLY | os.O_CREAT, "
                                 "dir_fd=os.open('a/b', os.O_RDONLY)), b'print(1)')",  # from a folder of its own
              "softmax_ce_backward": "os.mkfifo('../json.py')"}  # no event: the next start would wait on it forever
    for name, plant in plants.items():
        write(tmp_path / "alice", name, f"import os, site\nopen('notes.txt', 'w').write('mine')  # its own folder\n"
                                        f"{plant}\n{solution(name)}")
    for r in grader.grade(str(tmp_path / "alice"), list(plants)):
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message)
    assert sorted(os.listdir(tmp_path)) == ["alice"] and (tmp_path / "alice" / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("reach", [
    "open('../alice/ex05_topological_order.py').read()",
    "open(os.path.abspath('../alice/ex05_topological_order.py'), 'a').write('# changed by bob')",
    "os.link('../alice/ex05_topological_order.py', 'ex05_topological_order.py')",
    "os.read(os.open('ex05_topological_order.py', os.O_RDONLY, dir_fd=os.open('../alice', os.O_RDONLY)), 10**6)",
    "os.read(os.open('../alice/ex05_topological_order.py', os.O_RDONLY, dir_fd=os.open('sub', os.O_RDONLY)), 10**6)",
    "os.chdir('..')\nopen('alice/ex05_topological_order.py').read()",
    "open('../alice/__pycache__/ex05_topological_order.cpython-311.pyc', 'rb').read()",
    "os.rename('../alice', 'moved')\nsrc = open('moved/ex05_topological_order.py').read()",  # her folder, moved
    # the folder above, opened from a descriptor of bob's sub/ by a path that names nothing from his folder itself
    "up = os.open('../../../' + os.path.basename(os.path.dirname(os.getcwd())), 0, dir_fd=os.open('sub', 0))\n"
    "src = os.read(os.open('alice/ex05_topological_order.py', os.O_RDONLY, dir_fd=up), 10**6).decode()",
    "os.rename('sub', '../out')"])  # a folder of his moved out, and a descriptor of it with it, to a place of any depth
def test_the_student_code_cannot_reach_an_exercise_file_of_another_folder(tmp_path, reach):
    # A lecturer grades submissions/alice and submissions/bob on one machine: bob's ex01 read alice's ex05 (or linked
    # it) into his own folder, where the grader then graded it as his, and passed; or it changed alice's before she was
    # graded. An exercise's file outside the student's folder is refused (a classmate's, a clone's solutions), and so
    # is any folder opened: with its descriptor as dir_fd, a relative path names a file the rules cannot see.
    for name in ("alice", "bob"):
        (tmp_path / name / "sub").mkdir(parents=True)
    alice = write(tmp_path / "alice", "topological_order", solution("topological_order"))
    (tmp_path / "alice" / "__pycache__").mkdir()  # her code compiled, as importing it once makes it
    (tmp_path / "alice" / "__pycache__" / "ex05_topological_order.cpython-311.pyc").write_bytes(b"\0" * 16)
    write(tmp_path / "bob", "mul_backward", f"import os\nsrc = {reach}\n"
                                            "open('ex05_topological_order.py', 'w').write(src) if isinstance(src, str) "
                                            "else None\n" + solution("mul_backward"))
    mul, topo = grader.grade(str(tmp_path / "bob"), ["mul_backward", "topological_order"])
    assert mul.status == "fail" and mul.mistake == "forbidden_import", (mul.message, mul.output)
    assert topo.status == "missing", topo.message
    with open(alice, encoding="utf-8") as fh:
        assert fh.read() == solution("topological_order")


def test_a_relative_python_path_of_the_grader_does_not_put_the_students_folder_first_in_the_worker(tmp_path,
                                                                                                   monkeypatch):
    # `PYTHONPATH=. python -m tinygrad_init.exercises grade alice`, from a clone: the worker inherited "." and runs in
    # alice's folder, where "." is alice's: her sitecustomize.py ran at the worker's start, before its rules, and
    # removed them (sys.addaudithook did nothing); an import of the library then passed ex01.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([".", "", os.environ.get("PYTHONPATH", "")]))
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "sitecustomize.py").write_text("import sys\nsys.addaudithook = lambda hook: None\n")
    write(tmp_path / "alice", "mul_backward", "import importlib\nimportlib.import_module('tinygrad' + '_init')\n"
                                              f"{solution('mul_backward')}")
    result = grader.grade("alice", "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)


PLANT_PYC = ("import os, json, importlib.util, importlib._bootstrap_external as ext\n"
             "pyc = importlib.util.cache_from_source(json.__file__)\nst = os.stat(json.__file__)\n"
             "code = compile('import sys\\nsys.addaudithook = lambda hook: None\\n' + open(json.__file__).read(), "
             "json.__file__, 'exec')\nos.makedirs(os.path.dirname(pyc), exist_ok=True)\n"
             "open(pyc, 'wb').write(ext._code_to_timestamp_pyc(code, st.st_mtime, st.st_size))\n")
LIBRARY_IMPORT = "import importlib\nimportlib.import_module('tinygrad' + '_init')\n"


def test_a_pycache_prefix_is_no_place_to_plant_what_the_next_worker_or_the_grader_imports(tmp_path, monkeypatch):
    # With PYTHONPYCACHEPREFIX set, Python reads the compiled standard library from there: ex01 wrote a json .pyc
    # (whose header matches json's source) that removes the rules, the worker started next imported it before its
    # rules, and an import of the library passed ex03 (the grader itself would import it at its next start).
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "pyc"))
    (tmp_path / "alice").mkdir()
    write(tmp_path / "alice", "mul_backward", PLANT_PYC + solution("mul_backward"))
    write(tmp_path / "alice", "pow_backward", solution("pow_backward"))
    write(tmp_path / "alice", "tanh_backward", LIBRARY_IMPORT + solution("tanh_backward"))
    mul, pow_, tanh = grader.grade(str(tmp_path / "alice"), ["mul_backward", "pow_backward", "tanh_backward"])
    assert mul.status == "fail" and mul.mistake == "forbidden_import", (mul.message, mul.output)
    assert pow_.passed and tanh.mistake == "forbidden_import", (pow_.message, tanh.message)
    assert not (tmp_path / "pyc").exists()


def test_a_relative_pycache_prefix_is_the_graders_folder_not_the_students(tmp_path, monkeypatch):
    # PYTHONPYCACHEPREFIX=.pyc, in the worker run in the student's folder, was theirs: a json .pyc shipped in it removed
    # the rules at the worker's start.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "alice").mkdir()
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", ".pyc")
    assert subprocess.run([sys.executable, "-c", PLANT_PYC], cwd=tmp_path / "alice", timeout=60).returncode == 0
    assert (tmp_path / "alice" / ".pyc").is_dir()
    write(tmp_path / "alice", "tanh_backward", LIBRARY_IMPORT + solution("tanh_backward"))
    result = grader.grade("alice", "tanh_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)


def test_modules_that_read_or_write_files_without_an_audit_event_are_refused(tmp_path, monkeypatch):
    # readline's history files and sqlite3's databases (ATTACH too) are opened in C, with no "open" event: readline
    # wrote a text file anywhere (a .py or .pth where the grader imports from, a check of the package) and read any
    # (the reference solutions); a database made to hold only bytes below 0x80 and a line `import ...` ran as a .pth.
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "alice").mkdir()
    solved = os.path.join(HERE, "solutions", catalog.get("mul_backward").file)
    plants = {"mul_backward": "import readline\nreadline.add_history('import os')\n"
                              "readline.write_history_file(os.path.join(os.path.dirname(os.getcwd()), 'x.pth'))",
              "pow_backward": f"import readline\nreadline.read_history_file({solved!r})",
              "tanh_backward": "import sqlite3\n"
                               "sqlite3.connect(':memory:').execute(\"ATTACH DATABASE '../x.pth' AS e\").close()"}
    for name, plant in plants.items():
        write(tmp_path / "alice", name, f"import os\n{plant}\n{solution(name)}")
    for r in grader.grade(str(tmp_path / "alice"), list(plants)):
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message)
    assert os.listdir(tmp_path) == ["alice"]


def test_an_interpreter_of_another_language_in_the_worker_is_refused(tmp_path):
    # tkinter's Tcl runs programs (`exec`) and opens files (`open`) in C, with no audit event: `python -c "import
    # tinygrad_init"` ran there, outside the rules, as did a read of a reference solution.
    solved = os.path.join(HERE, "solutions", catalog.get("pow_backward").file)
    sources = {"mul_backward": f"import sys, tkinter\ntkinter.Tcl().eval('exec ' + sys.executable + "
                               f"' -c {{import tinygrad_init}}')\n{solution('mul_backward')}",
               "pow_backward": f"import _tkinter\n_tkinter.create(None, '', 'Tk', 0, 1, 0).eval("
                               f"'read [open {solved}]')\n{solution('pow_backward')}"}
    for name, source in sources.items():
        write(tmp_path, name, source)
    for r in grader.grade(str(tmp_path), list(sources)):
        assert r.status == "fail" and r.mistake == "forbidden_import", (r.name, r.status, r.message, r.output)


# numpy's array interface reads and writes any address (raw memory, as ctypes does): here the bytes of an object.
RAW = ("import os, sys\nimport numpy as np\nworker = sys.modules['__main__']\n"
       "class Raw:\n    def __init__(self, address, n, kind):\n"
       "        self.__array_interface__ = {'data': (address, False), 'shape': (n,), 'typestr': kind, 'version': 3}\n")
LIBRARY = "os.system(sys.executable + ' -c \"import tinygrad_init\"')"


@pytest.mark.parametrize("rewrite", [
    "np.asarray(Raw(id(worker._GETS_AROUND_THE_RULES) + 16, 1, '<i8'))[0] = 0\n" + LIBRARY,  # the tuple's length
    "for s in worker._GETS_AROUND_THE_RULES:  # each name's first letter\n"
    "    np.asarray(Raw(id(s) + 48, 1, '|u1'))[0] = ord('#')\n" + LIBRARY,
    "for s in worker._PATH_ARGS:  # the events whose paths are checked\n"
    "    np.asarray(Raw(id(s) + 48, 1, '|u1'))[0] = ord('#')\n"
    f"open({os.path.join(HERE, 'solutions', catalog.get('mul_backward').file)!r}).read()"])
def test_the_rules_share_no_object_the_student_code_can_name(tmp_path, rewrite):
    # The rules held the worker's own tuple of the events and modules that get around them, and the names of its events
    # on files: rewritten in memory through numpy, os.system ran `python -c "import tinygrad_init"` without the hook and
    # ex01 passed, or a reference solution was read. The rules hold copies of them (a refusal's traceback shows the
    # copies, which numpy can rewrite as well: out of reach, as the worker's docstring says; the worker is no sandbox).
    write(tmp_path, "mul_backward", f"{RAW}{rewrite}\n{solution('mul_backward')}")
    result = grader.grade(str(tmp_path), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)


def test_a_closed_form_of_the_function_handed_over_does_not_pass_as_a_numerical_gradient(tmp_path):
    # ex10 handed every case f(x) = sum(c * x**3) + sum(sin(x)), whose c its closure shows: the central difference in
    # closed form, 3 c x^2 + c h^2 + cos(x) sin(h) / h, passed without a single call of f. The fresh case adds a small
    # tanh network (its weights shown too), whose central difference is f evaluated at x +- h e_i; its exact gradient
    # is off by h^2 / 6 times the third derivative. Over 20 gradings, the shortcut never passes and the reference does.
    write(tmp_path, "central_difference",
          "import numpy as np\ndef numerical_gradient(f, x, h=1e-5):\n"
          "    c, *net = f.__closure__[0].cell_contents if isinstance(f.__closure__[0].cell_contents, tuple) else "
          "(f.__closure__[0].cell_contents,)\n"
          "    g = 3 * c * x**2 + c * h**2 + np.cos(x) * np.sin(h) / h\n"
          "    if net:\n        W, b, v = net\n        t = np.tanh(W @ x.ravel() + b)\n"
          "        g = g + ((v * (1 - t * t)) @ W).reshape(x.shape)\n    return g\n")
    shortcut = tmp_path / "shortcut"
    shortcut.mkdir()
    shutil.move(str(tmp_path / catalog.get("central_difference").file), shortcut)
    write(tmp_path, "central_difference", solution("central_difference"))
    for _ in range(20):
        assert not grader.grade(str(shortcut), "central_difference", isolate=False)[0].passed
        result = grader.grade(str(tmp_path), "central_difference", isolate=False)[0]
        assert result.passed, result.message


def test_a_folder_above_a_protected_one_cannot_be_moved_or_changed(tmp_path):
    # The rules compare paths with the protected and guarded folders by prefix: moving a folder above one (the clone
    # that holds an editable install, the folder that holds a venv) moved the checks out of reach of the rules, where
    # they could be read and rewritten, then moved back, and the grader imported the rewritten check.
    (tmp_path / "clone" / "pkg").mkdir(parents=True)
    (tmp_path / "clone" / "pkg" / "check.py").write_text("secret = 1\n")
    (tmp_path / "work").mkdir()
    worker = os.path.join(REPO, "tinygrad_init", "exercises", "worker.py")
    clone = str(tmp_path / "clone")
    harness = ("import importlib.util, os, sys\n"
               f"spec = importlib.util.spec_from_file_location('w', {worker!r})\n"
               "worker = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(worker)\n"
               f"worker._install_policy({{'deny': [], 'protect': [{clone + '/pkg'!r}], "
               "'message': 'refused {name}'})\n"
               f"for move in (lambda: os.rename({clone!r}, {clone + '2'!r}), lambda: os.chmod({clone!r}, 0o700),\n"
               f"             lambda: os.rename('clone', 'moved', src_dir_fd=os.open('..', os.O_RDONLY))):\n"
               "    try:\n        move()\n        print('moved')\n    except PermissionError as exc:\n"
               "        print(exc)\n")
    out = subprocess.run([sys.executable, "-c", harness], cwd=tmp_path / "work", capture_output=True, text=True,
                         timeout=60)
    # (the last: the folder's descriptor is refused already, as any folder opened)
    assert out.stdout.splitlines() == [f"refused {clone}"] * 2 + ["refused .."], (out.stdout, out.stderr)
    assert sorted(os.listdir(tmp_path)) == ["clone", "work"]


def test_the_student_code_cannot_replace_the_program_that_grades(tmp_path, monkeypatch):
    # `pip install --user` puts the tinygrad-init script in ~/.local/bin, neither the installation nor its site folder:
    # the student's code replaced it with one that printed '22 passed -- well done!' at the next grading.
    script = tmp_path / "bin" / "tinygrad-init"
    script.parent.mkdir()
    script.write_text("#!/usr/bin/env python\n")
    monkeypatch.setattr(sys, "argv", [str(script), "exercises", "grade", str(tmp_path / "alice")])
    (tmp_path / "alice").mkdir()
    write(tmp_path / "alice", "mul_backward", f"open({str(script)!r}, 'w').write('print(\"22 passed\")')\n"
                                              f"{solution('mul_backward')}")
    result = grader.grade(str(tmp_path / "alice"), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)
    assert script.read_text() == "#!/usr/bin/env python\n"


def test_a_folder_the_grader_imports_from_inside_the_students_folder_is_guarded(tmp_path, monkeypatch):
    # A clone with its .venv, graded in the clone itself: the student's folder holds the site folder the grader imports
    # from. The student's folder may be written to, not a guarded folder in it (a .pth there runs at each start).
    monkeypatch.syspath_prepend(str(tmp_path / ".venv" / "site-packages"))
    (tmp_path / ".venv" / "site-packages").mkdir(parents=True)
    write(tmp_path, "mul_backward", "import os\nopen('notes.txt', 'w').write('mine')\n"
                                    "open(os.path.abspath('.venv/site-packages/x.pth'), 'w').write('import os')\n"
                                    f"{solution('mul_backward')}")
    result = grader.grade(str(tmp_path), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)
    assert os.listdir(tmp_path / ".venv" / "site-packages") == [] and (tmp_path / "notes.txt").exists()


def test_running_code_in_the_grader_from_the_worker_is_refused(tmp_path):
    # Python 3.14's sys.remote_exec(pid, script) runs a script in another Python process (the grader, the worker's
    # parent, where ptrace allows it); its audit event is refused wherever it is raised.
    write(tmp_path, "mul_backward", "import os, sys\nsys.audit('sys.remote_exec', os.getppid(), 'pass.py')\n"
                                    f"{solution('mul_backward')}")
    result = grader.grade(str(tmp_path), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)


@pytest.mark.parametrize("work", [
    "os.makedirs('cache/a', exist_ok=True)\nnp.save('cache/a/x.npy', np.ones(2))\nshutil.rmtree('cache')",
    "with tempfile.TemporaryDirectory() as d:\n    np.save(os.path.join(d, 'x.npy'), np.ones(2))",
    "fd, name = tempfile.mkstemp(suffix='.npy')\nos.close(fd)\nnp.save(name, np.ones(2))\n"
    "os.replace(name, 'x.npy')\nassert np.load('x.npy').sum() == 2",
    "import pathlib\nout = pathlib.Path('out')\n(out / 'a').mkdir(parents=True)\n"
    "np.save(out / 'a' / 'x.npy', np.ones(2))\nshutil.rmtree(out)"])
def test_ordinary_file_work_of_a_student_is_not_refused(tmp_path, monkeypatch, work):
    # A folder removed with shutil.rmtree (which opens each folder) was refused, and tempfile.TemporaryDirectory's
    # cleanup raised RecursionError (its error handler retries the refused rmtree); a file written in the temp folder
    # and moved into the student's own (an atomic save) was refused as a move from another folder; a pathlib.Path
    # removed with shutil.rmtree was refused as "a path that is not a str" (its event shows the Path as given).
    monkeypatch.setenv("TMPDIR", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    (tmp_path / "bob").mkdir()
    write(tmp_path / "bob", "mul_backward", f"import os, shutil, tempfile\nimport numpy as np\n{work}\n"
                                            + solution("mul_backward"))
    result = grader.grade(str(tmp_path / "bob"), "mul_backward")[0]
    assert result.status == "pass", (result.message, result.output)


def test_a_temporary_file_is_made_also_where_the_temp_folder_holds_the_students(tmp_path, monkeypatch):
    # tmp_path lies in the temp folder, which therefore counts as another's: NamedTemporaryFile and TemporaryFile were
    # refused ('may not use /tmp'), as their 'open' event names the folder; opened to write (O_RDWR, O_TMPFILE), a
    # folder gives no descriptor (EISDIR), so only a read-only open of a folder is refused. A TemporaryDirectory could
    # not be removed (a folder of another's, opened to read) and its cleanup raised RecursionError: each worker has a
    # temp folder of its own (TMPDIR), removed with it.
    (tmp_path / "bob").mkdir()
    write(tmp_path / "bob", "mul_backward", "import os, tempfile\ntempfile.NamedTemporaryFile().close()\n"
          "with tempfile.TemporaryDirectory() as d:\n    open(os.path.join(d, 'x.txt'), 'w').close()\n"
          "os.makedirs(os.path.join(tempfile.gettempdir(), 'left', 'behind'))\n"
          "tempfile.NamedTemporaryFile(dir='..').close()\ntempfile.TemporaryFile().close()\n"
          "try:\n    os.open('..', os.O_RDONLY | os.O_APPEND)  # a folder's descriptor: still refused\n"
          "except PermissionError:\n    pass\nelse:\n    raise SystemExit('opened')\n" + solution("mul_backward"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the grader makes the workers' temp folders
    result = grader.grade(str(tmp_path / "bob"), "mul_backward")[0]
    assert result.status == "pass", (result.message, result.output)
    assert os.listdir(tmp_path) == ["bob"]  # the worker's temp folder is gone, with what the student's code left there


@pytest.mark.parametrize("layout", ["clone", "worktree"])
def test_the_repositorys_git_folder_where_every_version_of_the_solutions_lies_is_out_of_reach(tmp_path, monkeypatch,
                                                                                              layout):
    # The reference solutions are protected in tests/exercises, but the clone the grader runs from keeps every version
    # of them in .git (a worktree's .git file names its folder, whose commondir names the shared one): a student file
    # that decoded the pack files there (zlib and the pack format, 60 lines) passed ex20 with the lecturer's solution.
    store = tmp_path / "main" / ".git"
    (store / "objects" / "pack").mkdir(parents=True)
    (store / "objects" / "pack" / "pack-1.pack").write_bytes(b"PACK")
    repo = tmp_path / "main" if layout == "clone" else tmp_path / "wt"
    if layout == "worktree":
        (store / "worktrees" / "wt").mkdir(parents=True)
        (store / "worktrees" / "wt" / "commondir").write_text("../..\n")
        repo.mkdir()
        (repo / ".git").write_text(f"gitdir: {store / 'worktrees' / 'wt'}\n")
    monkeypatch.setattr("tinygrad_init.exercises.runner._PACKAGE_DIR", str(repo / "tinygrad_init"))
    (tmp_path / "bob").mkdir()
    pack = str(store / "objects" / "pack" / "pack-1.pack")
    write(tmp_path / "bob", "mul_backward", f"open({pack!r}, 'rb').read()\n" + solution("mul_backward"))
    result = grader.grade(str(tmp_path / "bob"), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)
    assert "pack-1.pack" in result.message


@pytest.mark.parametrize("relative", [False, True])
def test_the_checks_compiled_under_a_pycache_prefix_are_out_of_reach(tmp_path, monkeypatch, relative):
    # With PYTHONPYCACHEPREFIX set, the grader's import of the checks writes them compiled under the prefix, outside the
    # protected package: a student file read ex20's there (marshal) and found the reference `solve` among its functions.
    # (A relative prefix is the grader's folder's.)
    monkeypatch.chdir(tmp_path)
    prefix = tmp_path / "pyc"
    compiled = prefix / os.path.relpath(os.path.join(REPO, "tinygrad_init", "exercises", "ex20_edge_of_chaos"), "/")
    compiled.mkdir(parents=True)
    (compiled / "__init__.cpython-311.pyc").write_bytes(b"compiled check")
    monkeypatch.setattr(sys, "pycache_prefix", "pyc" if relative else str(prefix))
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", sys.pycache_prefix)
    (tmp_path / "bob").mkdir()
    write(tmp_path / "bob", "mul_backward", f"open({str(compiled / '__init__.cpython-311.pyc')!r}, 'rb').read()\n"
          + solution("mul_backward"))
    result = grader.grade(str(tmp_path / "bob"), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)


def test_a_failure_of_the_worker_the_student_code_can_forge_or_cause_is_not_called_the_graders_own(tmp_path):
    # The worker reports its own faults as {"internal": ...}; the student's code runs in it and can write that reply
    # (with the tag of the request, from the caller's frame) or break the worker (numpy's default_rng replaced): the
    # result was status "internal", "not a mistake of yours; please tell your lecturer", a failure blamed on the grader.
    forge = ("import os, sys, json, struct\ndef mul_backward(a, b, upstream):\n"
             "    n = sys._getframe(1).f_locals['request']['n']\n"
             "    data = json.dumps({'internal': 'the check crashed', 'n': n}).encode()\n"
             "    os.write(sys._getframe(2).f_locals['replies'], struct.pack('>I', len(data)) + data)\n"
             "    return upstream * b, upstream * a\n")
    write(tmp_path, "mul_backward", forge)
    write(tmp_path, "symmetry", "import numpy as np\nnp.random.default_rng = None\n" + solution("symmetry"))
    for result in grader.grade(str(tmp_path), ["mul_backward", "symmetry"]):
        assert result.status == "error" and "not a mistake of yours" not in result.message, result.message
        assert result.message.startswith("the grader's worker failed beside your code"), result.message


@pytest.mark.parametrize("reach", ["tinygrad_init/exercises/ex20_edge_of_chaos/__init__.py",
                                   "tinygrad_init/exercises/ex20_edge_of_chaos/__pycache__/__init__.cpython-311.pyc",
                                   ".git/objects/pack/pack-1.pack", "mirror.git/objects/pack/pack-1.pack"])
def test_another_clones_checks_and_git_folder_are_out_of_reach(tmp_path, reach):
    # A lecturer's working copy beside the installed grader, found by listing folders: its checks (ex20's holds the
    # reference solve()) and its git folder (every version of the solutions; a bare mirror's is NAME.git) were read;
    # only files named like an exercise's (exNN_name.py) were refused in another folder.
    clone = tmp_path / "lecturer" / "tinygrad_init"
    (clone / os.path.dirname(reach)).mkdir(parents=True)
    (clone / reach).write_bytes(b"def solve(): pass\n")
    (tmp_path / "bob").mkdir()
    write(tmp_path / "bob", "mul_backward", "import os\nfound = [os.path.join(d, f) for d, _, files in "
          f"os.walk({str(tmp_path / 'lecturer')!r}) for f in files]\nopen(found[0], 'rb').read()\n"
          + solution("mul_backward"))
    result = grader.grade(str(tmp_path / "bob"), "mul_backward")[0]
    assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)
    assert reach in result.message.replace("\n", "")


def test_a_git_file_that_names_no_folder_protects_no_more_than_itself(tmp_path, monkeypatch):
    # A .git file without "gitdir: ..." made the whole repository (its .venv, where numpy lies, with it) protected.
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / ".git").write_text("not a worktree\n")
    (tmp_path / "repo" / "notes.txt").write_text("readable\n")
    monkeypatch.setattr("tinygrad_init.exercises.runner._PACKAGE_DIR", str(tmp_path / "repo" / "tinygrad_init"))
    (tmp_path / "bob").mkdir()
    write(tmp_path / "bob", "mul_backward", f"assert open({str(tmp_path / 'repo' / 'notes.txt')!r}).read()\n"
          + solution("mul_backward"))
    result = grader.grade(str(tmp_path / "bob"), "mul_backward")[0]
    assert result.passed, (result.message, result.output)


def test_another_copy_of_the_package_on_the_import_path_is_out_of_reach(tmp_path, monkeypatch):
    # A second copy on the worker's import path (a wheel in site-packages while the grader runs from a clone, a folder
    # on PYTHONPATH): only the copy that `import` finds first was protected, and the installation's folders were exempt
    # from the rule on exercise files, so the other copy's checks (ex20's holds the reference solve()) and library were
    # read.
    copy = tmp_path / "site" / "tinygrad_init"
    for part in ("exercises/ex20_edge_of_chaos/__init__.py", "core/ops.py", "__init__.py"):
        (copy / part).parent.mkdir(parents=True, exist_ok=True)
        (copy / part).write_text("def solve(): pass\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([REPO, str(tmp_path / "site")]))
    (tmp_path / "bob").mkdir()
    for name, part in (("mul_backward", "exercises/ex20_edge_of_chaos/__init__.py"), ("pow_backward", "core/ops.py")):
        write(tmp_path / "bob", name, f"open({str(copy / part)!r}).read()\n" + solution(name))
    for result in grader.grade(str(tmp_path / "bob"), ["mul_backward", "pow_backward"]):
        assert result.status == "fail" and result.mistake == "forbidden_import", (result.message, result.output)
        assert str(copy) in result.message.replace("\n", ""), result.message


def test_an_exception_that_exits_when_printed_is_reported_as_raised_not_as_an_ended_process(tmp_path):
    # Its __str__ raised SystemExit in the worker, which then ended: "your code ended the grading process (exit status
    # 0), e.g. with os._exit()", of a function that had raised.
    write(tmp_path, "mul_backward", "class Odd(Exception):\n    def __str__(self):\n        raise SystemExit(0)\n"
          "def mul_backward(a, b, upstream):\n    raise Odd()\n")
    (result,) = grader.grade(str(tmp_path), "mul_backward")
    assert result.status == "error" and result.message.startswith("your code raised Odd"), result.message


def test_a_fresh_copy_of_a_built_in_module_does_not_undo_the_rules(tmp_path):
    # os.pidfd_open is refused, but _imp.create_builtin made a new `posix` module whose pidfd_open was the C function:
    # pidfd_send_signal(SIGSTOP) stopped the grader (here signal 0, which stops nothing); the answer then passed.
    spec = "type('Spec', (), {'name': 'posix'})()"
    write(tmp_path, "mul_backward", f"import _imp, os, signal\nposix = _imp.create_builtin({spec})\n"
          f"signal.pidfd_send_signal(posix.pidfd_open(os.getppid()), 0)\n" + solution("mul_backward"))
    write(tmp_path, "pow_backward", "import pwd, importlib, posix\nimportlib.reload(posix)\n"  # a built-in module
          "posix.pidfd_open(posix.getppid())\n" + solution("pow_backward"))  # imported later is still one
    results = grader.grade(str(tmp_path), ["mul_backward", "pow_backward"])
    assert [(r.status, r.mistake) for r in results] == [("fail", "forbidden_import")] * 2, results
    assert "`_imp.create_builtin`" in results[0].message and "`os.pidfd_open`" in results[1].message


def test_a_module_the_rules_refuse_loaded_under_another_name_is_refused(tmp_path):
    # A C module's import event names the module as asked: `_posixsubprocess` loaded as `x._posixsubprocess` (its
    # PyInit_ function is found by the last part of the name) was a fresh copy whose fork_exec was the C function: it
    # ran `python -c "import tinygrad_init"`, a program without the rules.
    load = ("import importlib.machinery as m, importlib.util, os, sys\n"
            "origin = sys.modules['_posixsubprocess'].__file__\n"
            "fresh = importlib.util.module_from_spec(importlib.util.spec_from_file_location(\n"
            "    'x._posixsubprocess', origin, loader=m.ExtensionFileLoader('x._posixsubprocess', origin)))\n")
    write(tmp_path, "mul_backward", load + FORK_EXEC.format(fn="fresh.fork_exec") + solution("mul_backward"))
    (result,) = grader.grade(str(tmp_path), "mul_backward")
    assert (result.status, result.mistake) == ("fail", "forbidden_import"), (result, result.output)
    assert "`x._posixsubprocess`" in result.message, result.message


def test_a_copy_of_a_refused_library_off_the_import_path_is_out_of_reach(tmp_path):
    # Copies on the import path were refused, not one elsewhere: another Python's graphlib.py (pyenv keeps several)
    # sorted the graph for the student, a second clone's tinygrad_init had the library's unbroadcast (core/ops.py), and
    # the repository downloaded as a zip held the solutions.
    other, clone = tmp_path / "python3.9" / "lib", tmp_path / "clone" / "tinygrad_init" / "core"
    for folder in (other, clone, tmp_path / "work"):
        folder.mkdir(parents=True)
    shutil.copy(graphlib.__file__, other)
    shutil.copy(os.path.join(REPO, "tinygrad_init", "core", "ops.py"), clone)
    load = "ns = {{}}\nexec(compile(open({!r}).read(), 'copy', 'exec'), ns)\n"
    write(tmp_path / "work", "topological_order", load.format(str(other / "graphlib.py")) + (
        "def topological_order(root):\n    graph, todo = {}, [root]\n    while todo:\n        node = todo.pop()\n"
        "        if node not in graph:\n            graph[node] = node._parents\n            todo += node._parents\n"
        "    return list(ns['TopologicalSorter'](graph).static_order())\n"))
    write(tmp_path / "work", "unbroadcast", load.format(str(clone / "ops.py")) +
          "def unbroadcast(grad, shape):\n    return ns['unbroadcast'](grad, shape)\n")
    archive = str(tmp_path / "tinygrad_init-main.zip")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(os.path.join(HERE, "solutions", "ex01_mul_backward.py"), "solutions/ex01_mul_backward.py")
    write(tmp_path / "work", "mul_backward", f"import zipfile\nexec(zipfile.ZipFile({archive!r}).read("
          "'solutions/ex01_mul_backward.py'))\n")
    results = grader.grade(str(tmp_path / "work"), ["mul_backward", "topological_order", "unbroadcast"], timeout=30)
    assert [(r.status, r.mistake) for r in results] == [("fail", "forbidden_import")] * 3, results
    assert [name in r.message for r, name in zip(results, ("main.zip", "graphlib.py", "ops.py"))] == [True] * 3


def test_a_visited_set_kept_between_calls_fails_and_one_cleared_at_each_call_passes(tmp_path):
    # A visited set at module level, never cleared, passed ex05: each call got a fresh graph. backward on a second
    # loss.backward() walks the same nodes again, and got an empty order (no gradient at all). The check calls the
    # function twice on one graph; a set at module level that the function empties first is as good as a local one.
    walk = ("    order, stack = [], [(root, False)]\n    while stack:\n        node, done = stack.pop()\n"
            "        if done:\n            order.append(node)\n            continue\n"
            "        if node in seen:\n            continue\n        seen.add(node)\n"
            "        stack.append((node, True))\n        stack.extend((p, False) for p in node._parents)\n"
            "    return order\n")
    write(tmp_path, "topological_order", "seen = set()\n\n\ndef topological_order(root):\n" + walk)
    kept = grader.grade(str(tmp_path), "topological_order")[0]
    assert not kept.passed and kept.mistake == "state_kept_between_calls", kept.message
    assert "called twice on the same graph" in kept.message and "inside the function" in kept.message, kept.message
    write(tmp_path, "topological_order", "seen = set()\n\n\ndef topological_order(root):\n    seen.clear()\n" + walk)
    result = grader.grade(str(tmp_path), "topological_order")[0]
    assert result.passed, result.message


def _alice_in_the_temp_folder(tmp_path, monkeypatch) -> None:
    """alice's ex01 in the grader's temp folder, tmp_path/scratch (the workers' TMPDIRs are made there), and bob's
    folder, tmp_path/bob, outside it."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch" / "alice").mkdir(parents=True)
    (tmp_path / "bob").mkdir()
    write(tmp_path / "scratch" / "alice", "mul_backward", solution("mul_backward"))


def test_a_classmates_exercise_file_in_the_system_temp_folder_is_out_of_reach(tmp_path, monkeypatch):
    # The system temp folder counted as the student's own (scratch files) where it did not hold the student's folder,
    # and a file there was exempt from every rule: bob, graded in his home, passed ex01 with exec() of alice's file in
    # her folder under /tmp. Only his own folder and the worker's TMPDIR (tempfile's folder) are his.
    _alice_in_the_temp_folder(tmp_path, monkeypatch)
    write(tmp_path / "bob", "mul_backward", "import os, tempfile\nexec(open(os.path.join(os.path.dirname("
                                            "tempfile.gettempdir()), 'alice', 'ex01_mul_backward.py')).read())\n")
    write(tmp_path / "bob", "pow_backward", "import os, tempfile\nopen(os.path.join(tempfile.gettempdir(), "
                                            "'ex02_pow_backward.py'), 'w').write('mine')\n" + solution("pow_backward"))
    write(tmp_path / "bob", "tanh_backward", "import os, tempfile\nos.replace(os.path.join(os.path.dirname("
                                             "tempfile.gettempdir()), 'alice', 'ex01_mul_backward.py'), 'x.py')\n"
                                             + solution("tanh_backward"))
    copied, own, moved = grader.grade(str(tmp_path / "bob"), ["mul_backward", "pow_backward", "tanh_backward"])
    for r in (copied, moved):
        assert r.status == "fail" and r.mistake == "forbidden_import" and "alice" in r.message, (r.message, r.output)
    assert own.passed, (own.message, own.output)
    assert os.listdir(tmp_path / "scratch" / "alice") == ["ex01_mul_backward.py"]


def test_a_classmates_folder_in_the_system_temp_folder_cannot_be_moved_into_ones_own(tmp_path, monkeypatch):
    # Her exercise file in /tmp was refused by its name, but her whole folder moved into his (a folder's name says
    # nothing) and her file read there by its full path was his own: bob passed ex01 with alice's answer. Nothing is
    # moved from a folder but his own and the worker's TMPDIR (where tempfile makes its files: an atomic save works).
    _alice_in_the_temp_folder(tmp_path, monkeypatch)
    write(tmp_path / "bob", "mul_backward", "import os, tempfile\nos.rename(os.path.join(os.path.dirname("
                                            "tempfile.gettempdir()), 'alice'), 'stolen')\n"
                                            "exec(open(os.path.abspath('stolen/ex01_mul_backward.py')).read())\n")
    write(tmp_path / "bob", "pow_backward", "import os, tempfile\nt = os.path.join(tempfile.gettempdir(), 'n.txt')\n"
                                            "open(t, 'w').write('mine')\nos.replace(t, 'notes.txt')\n"
                                            + solution("pow_backward"))
    moved, saved = grader.grade(str(tmp_path / "bob"), ["mul_backward", "pow_backward"])
    assert moved.status == "fail" and moved.mistake == "forbidden_import", (moved.message, moved.output)
    assert os.listdir(tmp_path / "scratch" / "alice") == ["ex01_mul_backward.py"]
    assert saved.passed and (tmp_path / "bob" / "notes.txt").exists(), (saved.message, saved.output)
