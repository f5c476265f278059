"""The grader's defences, each pinned by the student's file that would get through without it.

Every test here grades a file a student could write (through `exercises.grade` or `grade_file`, in a
worker process) and asserts the verdict, its status and the message the student reads.
"""

from __future__ import annotations

import inspect
import os

from tinygrad_init import exercises
from tinygrad_init.exercises import catalog, grader
from tinygrad_init.exercises.runner import grade_file, run_isolated

HERE = os.path.dirname(os.path.abspath(__file__))


def solution(name: str) -> str:
    with open(os.path.join(HERE, "solutions", catalog.get(name).file), encoding="utf-8") as fh:
        return fh.read()


def write(folder, name: str, source: str) -> str:
    path = os.path.join(str(folder), catalog.get(name).file)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(source)
    return path


def test_a_forbidden_import_is_refused_before_any_student_code_runs_and_names_its_line(tmp_path):
    # The runner promises the refusal "ends it there, before any student code runs": a guarded import that swallows
    # the worker's ImportError must not let a file that prints first, and may compute anything after, through.
    write(tmp_path, "mul_backward", "print('ran')\ntry:\n    import torch\nexcept ImportError:\n    torch = None\n"
          + solution("mul_backward"))
    write(tmp_path, "pow_backward", "print('ran')\nimport helper\n" + solution("pow_backward"))
    with open(tmp_path / "helper.py", "w", encoding="utf-8") as fh:
        fh.write("x = 1\nfrom torch import autograd\n")
    mul, pow_ = exercises.grade(str(tmp_path), ["mul_backward", "pow_backward"], timeout=20)
    assert (mul.status, mul.mistake, mul.output) == ("fail", "forbidden_import", ""), (mul.status, mul.output)
    assert "`torch` (line 3)" in mul.message, mul.message
    assert (pow_.status, pow_.mistake, pow_.output) == ("fail", "forbidden_import", ""), (pow_.status, pow_.output)
    assert "`torch` (autograd) (line 2 of helper.py)" in pow_.message, pow_.message


def test_an_exit_with_status_0_is_an_exit_not_a_signal(tmp_path):
    # os._exit(0) ends the worker with status 0: no signal killed it, and a function must return its answer.
    path = write(tmp_path, "mul_backward", "import os\ndef mul_backward(a, b, upstream):\n    os._exit(0)\n")
    result = grade_file("mul_backward", path)
    assert result.status == "crash", result.message
    assert result.message.startswith("your code ended the grading process (exit status 0)"), result.message


def test_the_python_functions_default_to_the_time_limit_the_command_line_documents():
    # `grade_file` and `run_isolated` are public: called without a limit they allow what `grade` and the command line
    # state (10 s per exercise in docs/exercises.md), not a limit of their own.
    assert grader.DEFAULT_TIMEOUT == 10.0
    for fn in (grade_file, run_isolated, grader.grade):
        assert inspect.signature(fn).parameters["timeout"].default == grader.DEFAULT_TIMEOUT, fn.__name__
