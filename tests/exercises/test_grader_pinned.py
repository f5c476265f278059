"""The grader's defences and messages, pinned where no other test did.

Most tests here grade a file a student could write (through `exercises.grade` or `grade_file`, in a worker
process) and assert the verdict, its status and the message the student reads; the rest pin the helpers that write
those messages (`kit`, the report) and the catalog, against hand-written answers.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import io
import math
import os
import types

import numpy as np
import pytest

from tinygrad_init import exercises
from tinygrad_init.exercises import catalog, grader, kit, worker
from tinygrad_init.exercises.runner import Result, check_function, grade_file, run_isolated

from tests.exercises.test_grader import solution, write


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


WRITE_EVERY_FD = ("import os, struct\ndef mul_backward(a, b, upstream):\n    data = {data!r}\n"
                  "    for fd in range(3, 64):\n        try:\n"
                  "            os.write(fd, struct.pack('>I', len(data)) + data)\n"
                  "        except OSError:\n            pass\n    return upstream * b, upstream * a\n")


def test_a_frame_into_the_channel_is_named_for_what_it_is(tmp_path):
    # A well-formed reply that does not echo the request's tag, and a frame that is not JSON: both are tampering, and
    # the message says which (the tag, or what the frame's payload failed on).
    path = write(tmp_path, "mul_backward", WRITE_EVERY_FD.format(data=b'{"ok": [1.0, 2.0], "n": "0123"}'))
    result = grade_file("mul_backward", path)
    assert result.status == "error" and "(a message with the wrong tag)" in result.message, result.message
    write(tmp_path, "mul_backward", WRITE_EVERY_FD.format(data=b"{not json"))
    result = grade_file("mul_backward", path)
    assert result.status == "error" and "did not ask for" in result.message, result.message
    assert "wrong tag" not in result.message and "Expecting property name" in result.message, result.message


def test_json_constants_in_a_frame_are_garbage_not_numbers(tmp_path):
    # The worker never writes NaN or Infinity as JSON constants (it tags them): a frame that holds one was written by
    # someone else, and is named as garbage before its tag is even looked at.
    path = write(tmp_path, "mul_backward", WRITE_EVERY_FD.format(data=b'{"ok": NaN, "n": "0123"}'))
    result = grade_file("mul_backward", path)
    assert result.status == "error" and "(unexpected constant NaN)" in result.message, result.message


FORGE = ("import os, sys, json, struct\ndef forge(reply):\n    frame = sys._getframe()\n"
         "    while 'request' not in frame.f_locals:\n        frame = frame.f_back\n"
         "    data = json.dumps(dict(json.loads(reply), n=frame.f_locals['request']['n'])).encode()\n"
         "    for fd in range(3, 64):\n        try:\n            os.write(fd, struct.pack('>I', len(data)) + data)\n"
         "        except OSError:\n            pass\n")


def test_a_forged_reply_with_the_right_tag_and_a_readable_but_malformed_value_is_tampering(tmp_path):
    # Values the worker never sends, though Python could read them: a float tag holding an ordinary number (the
    # worker tags only nan and inf), an object dtype, an array whose bytes do not fill its shape. Each is refused.
    forged = ['{"ok": [{"t": "float", "v": "0.5"}, {"t": "float", "v": "0.5"}]}',
              '{"ok": {"t": "scalar", "dtype": "|O", "v": 1}}',
              '{"ok": {"t": "array", "dtype": "<f8", "shape": [2], "data": "AAAAAAAA4D8="}}',
              '{"ok": {"t": "array", "dtype": "<f8", "shape": [true, 1], "data": "AAAAAAAA4D8="}}',  # a bool is no size
              '{"ok": ' + '{"t": "tuple", "v": [' * 23 + '1.0' + ']}' * 23 + '}']  # deeper than the worker nests
    path = os.path.join(str(tmp_path), catalog.get("mul_backward").file)
    for reply in forged:
        write(tmp_path, "mul_backward", FORGE + f"def mul_backward(a, b, upstream):\n    forge({reply!r})\n"
                                                "    return upstream * b, upstream * a\n")
        result = grade_file("mul_backward", path)
        assert result.status == "error" and "did not ask for" in result.message, (reply, result.message)


def test_an_answer_too_large_for_a_frame_fails_with_a_message_not_a_garbled_channel(tmp_path):
    # 7e6 float64 (56 MB, more in base64) is more than a frame may hold: the worker says so in a frame of its own.
    path = write(tmp_path, "mul_backward", "import numpy as np\ndef mul_backward(a, b, upstream):\n"
                                           "    return np.zeros(7_000_000), 0.0\n")
    result = grade_file("mul_backward", path, timeout=30)
    assert result.status == "fail" and "returned more data than the grader accepts" in result.message, result.message


def test_every_kind_of_input_reaches_the_student_as_the_check_sent_it():
    # What a check may send (a new exercise is a new folder: any of these may be its input) arrives in the worker with
    # its type, dtype, shape and value: dicts (keys too), tuples and lists apart, numpy scalars, nan and inf.
    sent = ({"w": np.arange(6, dtype=np.int32).reshape(2, 3), ("a", 1): [1.5, (2, None)]}, np.float32(0.1),
            float("nan"), -math.inf, [True, "text"], np.zeros((0, 2)))
    got = worker.to_python([worker.encode(v, inputs=True) for v in sent], {})
    assert type(got[0]) is dict and list(got[0]) == ["w", ("a", 1)] and got[0][("a", 1)] == [1.5, (2, None)]
    w = got[0]["w"]
    assert w.dtype == np.int32 and w.shape == (2, 3) and w.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert type(got[1]) is np.float32 and got[1] == np.float32(0.1)
    assert math.isnan(got[2]) and got[3] == -math.inf and got[4] == [True, "text"]
    assert got[5].shape == (0, 2) and got[5].dtype == np.float64


def test_strings_and_bools_in_a_list_are_not_the_same_as_numbers():
    # `same` promises that anything that is not numbers is "not the same": a list of the right numbers written as
    # strings, or of bools for 1 and 0, matched (a bool alone did not); numbers of mixed types still match.
    assert not kit.same(["0.5", "1.0"], [0.5, 1.0]) and not kit.same((True, False), (1.0, 0.0))
    assert not kit.finite(["1.0"]) and not kit.same([[0.5], ["x"]], [[0.5], [1.0]])
    assert kit.same([np.float32(0.5), 1, np.int64(2)], (0.5, 1.0, 2.0)) and kit.finite([1, 2.5])


def test_only_an_object_holding_numbers_is_told_to_return_its_data(tmp_path):
    # A Value- or Tensor-like answer (numbers in .data) gets the hint to return its .data; an object whose .data is a
    # string or a bool holds no answer to hand back, and must not be told to return it.
    box = "class Box:\n    def __init__(self, data):\n        self.data = data\n"
    path = os.path.join(str(tmp_path), catalog.get("tanh_backward").file)
    for data, hinted in (("0.5", True), ("np.ones(2)", True), ("'0.5'", False), ("True", False)):
        write(tmp_path, "tanh_backward", f"import numpy as np\n{box}def tanh_backward(x, upstream):\n"
                                         f"    return Box({data})\n")
        result = grade_file("tanh_backward", path)
        assert result.status == "fail" and "expected a number (a float), got a Box." in result.message, result.message
        assert ("e.g. its .data" in result.message) == hinted, (data, result.message)


def test_every_file_operation_on_the_package_is_refused_whichever_argument_names_it(tmp_path):
    # Each audited operation is tried on a path inside the package (in the argument position that names it) where,
    # unguarded, it would fail for another reason (no such file, it exists) and change nothing: the grader's refusal
    # (PermissionError) must come first, for each of them.
    package = os.path.dirname(os.path.dirname(os.path.abspath(exercises.__file__)))
    nope, here = os.path.join(package, "no-such-file"), os.path.join(str(tmp_path), "no-such-file")
    ops = [f"open({nope!r})", f"os.link({nope!r}, {here!r})", f"os.link({here!r}, {nope!r})",
           f"os.rename({nope!r}, {here!r})", f"os.rename({here!r}, {nope!r})",
           f"os.symlink({here!r}, {os.path.join(package, '__init__.py')!r})", f"os.remove({nope!r})",
           f"os.rmdir({nope!r})", f"os.mkdir({package!r})", f"os.truncate({nope!r}, 0)", f"os.chmod({nope!r}, 0o644)",
           f"shutil.rmtree({nope!r})"]
    tries = "".join(f"try:\n    {op}\nexcept OSError as exc:\n    print({op!r}, type(exc).__name__)\n" for op in ops)
    write(tmp_path, "mul_backward", "import os, shutil\n" + tries + solution("mul_backward"))
    result = exercises.grade(str(tmp_path), "mul_backward")[0]
    assert result.passed, result.message
    assert result.output.splitlines() == [f"{op} PermissionError" for op in ops], result.output


def test_the_deepest_answer_the_worker_sends_is_an_answer_not_tampering(tmp_path):
    # 20 nested lists around an object holding a number: the deepest value the worker encodes (the grader reads 22
    # levels and no more: one more is forged, above).
    path = write(tmp_path, "mul_backward", "import numpy as np\nclass Box:\n    data = np.float64(1.0)\n"
                                           "def mul_backward(a, b, upstream):\n    out = Box()\n"
                                           "    for _ in range(20):\n        out = [out]\n    return out\n")
    result = grade_file("mul_backward", path)
    assert result.status == "fail" and "expected a tuple of 2 items (da, db), got a list of 1 item" in result.message, \
        result.message


def test_the_message_of_a_students_exception_is_cut_at_500_characters(tmp_path):
    path = write(tmp_path, "mul_backward", "def mul_backward(a, b, upstream):\n    raise ValueError('x' * 10_000)\n")
    result = grade_file("mul_backward", path)
    assert result.status == "error" and "ValueError: " + "x" * 500 + " while running" in result.message, \
        result.message[:600]


def test_an_array_of_strings_is_described_by_its_shape_and_dtype(tmp_path):
    path = write(tmp_path, "unbroadcast", "import numpy as np\ndef unbroadcast(grad, shape):\n"
                                          "    return np.full(shape, 'g')\n")
    result = grade_file("unbroadcast", path)
    assert result.status == "fail" and "got an ndarray of shape (" in result.message, result.message
    assert "and dtype <U1" in result.message, result.message


def test_a_wrong_initializer_is_shown_the_mean_std_and_largest_weight_it_drew():
    # He normal with twice the std: the message states what the student's weights are, computed here with numpy
    # from the same draw (the check calls he_normal((500, 200), rng=0, dtype=np.float64)).
    def he_normal(shape, rng=None, dtype=np.float32):
        return np.random.default_rng(rng).normal(0.0, 2 * math.sqrt(2.0 / shape[0]), shape).astype(dtype)

    w = he_normal((500, 200), 0, np.float64)
    result = check_function("he_normal", he_normal)
    assert result.status == "fail", result.message
    stats = f"mean {w.mean():.6g}, std {w.std():.6g}, max |w| {np.abs(w).max():.6g}; expected std sqrt(2 / fan_in)"
    assert stats in result.message, result.message


def test_a_wrong_answer_is_shown_with_six_digits_when_they_differ():
    # mul_backward(a=3, b=-2, upstream=0.5) is (-1, 1.5); -0.9 shows the difference at 6 digits (no 17-digit noise).
    result = check_function("mul_backward", lambda a, b, upstream: (upstream * b + 0.1, upstream * a))
    assert result.status == "fail" and "returned (-0.9, 1.5); expected (-1, 1.5)." in result.message, result.message


def test_grading_a_function_that_raises_leaves_nothing_for_the_cycle_collector():
    # the student's exception was kept in a local of the frame raising it, which its traceback holds: each exercise
    # graded with an error (a stub not yet done) left a cycle holding its session to the collector (39 objects here,
    # 119 with the worker that `grade` starts)
    import gc

    def mul_backward(a, b, upstream):
        raise NotImplementedError("not yet")

    check_function("mul_backward", mul_backward)
    gc.collect()
    gc.disable()
    try:
        result = check_function("mul_backward", mul_backward)
        assert result.status == "todo" and gc.collect() == 0
    finally:
        gc.enable()


def test_the_report_fits_100_columns():
    # A message of 95 characters does not fit after the 6-column indent: it wraps; a long printed line is cut to 100
    # with what is left counted.
    result = Result("mul_backward", "fail", "a" * 93 + " b", output="z" * 150)
    lines = grader.format_report([result], "work").splitlines()
    assert lines[3:7] == ["      " + "a" * 93, "      b", "      your code printed:",
                          "        | " + "z" * 74 + " ... (76 more characters)"], lines


def test_messages_show_just_the_digits_that_tell_two_numbers_apart():
    # 6 significant digits, then 9, 12, and 17 (enough for any two floats); written out by hand.
    assert kit.fmt_both(1.5, 1.25) == ("1.5", "1.25")
    assert kit.fmt_both(1.00000012345, 1.0) == ("1.00000012", "1")
    assert kit.fmt_both(1.0 + 1e-10, 1.0) == ("1.0000000001", "1")
    assert kit.fmt_both(1.0 + 1e-13, 1.0) == ("1.0000000000000999", "1")
    assert kit.fmt(np.full((2, 2), 1 / 3)) == "[[0.33333, 0.33333],\n [0.33333, 0.33333]]"  # 6 digits in a matrix
    assert kit.fmt(np.arange(12.0)) == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]"  # a vector: every number, up to 12
    assert kit.fmt(list(range(13))) == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...]" and kit.fmt((0.5,)) == "(0.5)"
    assert kit.fmt(np.arange(13.0)) == "[ 0.,  1., ..., 11., 12.]" and kit.fmt(np.arange(3.0)[:, None]) == \
        "[[0.],\n [1.],\n [2.]]"


def test_list_shows_each_exercise_once_under_its_own_tutorial():
    out = io.StringIO()
    assert grader.main(["list"], out=out) == 0
    tutorial, seen = None, []
    for line in out.getvalue().splitlines():
        if line.startswith("Tutorial "):
            tutorial = int(line.split()[1].rstrip(":"))
        elif line.startswith("  ex"):
            seen.append((line.split()[0], tutorial))
    assert sorted(seen) == [(ex.label, ex.tutorial) for ex in catalog.EXERCISES]


def test_a_set_answer_is_counted_in_items():
    for answer, words in (({1.0}, "a set of 1 item."), ({1.0, 2.0}, "a set of 2 items.")):
        result = check_function("mul_backward", lambda a, b, upstream, answer=answer: answer)
        assert result.status == "fail" and f"got {words}" in result.message, result.message


def test_the_report_shows_eight_printed_lines_and_counts_the_rest():
    result = Result("mul_backward", "fail", "wrong", output="\n".join(f"line {i}" for i in range(20)))
    lines = grader.format_report([result], "work").splitlines()
    start = lines.index("      your code printed:")
    assert lines[start + 1:start + 10] == [f"        | line {i}" for i in range(8)] + ["        | ... (12 more lines)"]


def test_a_printed_line_longer_than_the_report_is_cut_with_a_count_of_what_is_left():
    # cut without a mark, a printed list shows its last number cut short as another number (0.1234567 as 0.12)
    line = "x = [" + ", ".join(["0.1234567"] * 12) + "]"
    result = Result("mul_backward", "fail", "wrong", output=line)
    lines = grader.format_report([result], "work").splitlines()
    width = grader._WIDTH
    shown = lines[lines.index("      your code printed:") + 1]
    assert shown.startswith(f"        | {line[:60]}") and shown.endswith(" more characters)"), shown
    kept = shown.removeprefix("        | ").split(" ... (")[0]
    assert len(shown) <= width + 10 and shown.endswith(f" ... ({len(line) - len(kept)} more characters)"), shown


def test_only_folders_with_an_init_file_are_exercises(monkeypatch):
    # A folder left behind by another branch (only its __pycache__ in it) or a folder of helpers is no exercise.
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: [*listdir(path), "ex99_left_behind", "helpers"])
    assert catalog._discover() == catalog.EXERCISES


def test_max_error_names_the_entry_that_differs_most():
    assert kit.max_error([[1.0, 2.5], [0.0, 1.0]], np.array([[1.0, 2.0], [0.25, 1.0]])) == \
        "largest difference 0.5 at index (0, 1) (got 2.5, expected 2)"
    assert kit.max_error([1.0, np.nan], np.ones(2)) == "non-finite value (nan or inf) at index (1,)"
    assert kit.max_error(np.zeros((0, 3)), np.zeros((0, 3))) == "no elements"
    # an answer of complex numbers or text has no difference to show (a cast to float drops .imag with a warning);
    # it is described as given; bools are numbers 0 and 1
    assert kit.max_error(np.ones(2, complex), np.ones(2)) == "an ndarray of shape (2,) and dtype complex128, not " \
        "an array of real numbers" and kit.max_error("ab", np.ones(2)).startswith("a str")
    assert kit.max_error(np.array([True, False]), np.ones(2)).startswith("largest difference 1 at index (1,)")
    # numbers that agree to six digits are shown with as many as tell them apart
    assert kit.max_error([3.604972, 1.0], np.array([3.604971, 1.0])) == \
        "largest difference 1e-06 at index (0,) (got 3.604972, expected 3.604971)"


def test_an_exercise_folder_that_defines_another_exercise_is_refused(monkeypatch):
    # A lecturer's copy of a folder, renamed but not edited, would grade the student's file of one exercise with the
    # check of another: the catalog refuses to load.
    listdir, isfile, load = os.listdir, os.path.isfile, importlib.import_module
    monkeypatch.setattr(os, "listdir", lambda path: [*listdir(path), "ex98_copy"])
    monkeypatch.setattr(os.path, "isfile", lambda path: "ex98_copy" in path or isfile(path))
    monkeypatch.setattr(importlib, "import_module", lambda name: load(name.replace("ex98_copy", "ex01_mul_backward")))
    with pytest.raises(RuntimeError, match="the folder ex98_copy defines the exercise ex01_mul_backward: rename one"):
        catalog._discover()


def _with_folder(monkeypatch, folder: str, module=None) -> None:
    """The package as if it held one more exercise folder, `folder`, whose module is `module`."""
    listdir, isfile, load = os.listdir, os.path.isfile, importlib.import_module
    monkeypatch.setattr(os, "listdir", lambda path: [*listdir(path), folder])
    monkeypatch.setattr(os.path, "isfile", lambda path: folder in path or isfile(path))
    monkeypatch.setattr(importlib, "import_module", lambda name: module if name.endswith(folder) else load(name))


def test_an_exercise_folder_named_off_the_pattern_is_refused_not_left_out(monkeypatch):
    # A lecturer's ex23-softplus/ (a dash) or ex7_softplus/ (one digit) was left out of the list without a word.
    for folder in ("ex23-softplus", "ex7_softplus"):
        _with_folder(monkeypatch, folder)
        with pytest.raises(RuntimeError, match=f"the folder {folder} is not named as an exercise, exNN_name .*rename"):
            catalog._discover()
        monkeypatch.undo()


@pytest.mark.parametrize("defined,told", [({"chek": lambda run: None}, "defines no function check\\(run\\)"),
                                          ({"check": None}, "defines no function check\\(run\\)"),
                                          ({"EXERCISES": None}, "defines no EXERCISE = Exercise")],
                         ids=["misspelt_check", "check_not_a_function", "no_exercise"])
def test_an_exercise_folder_without_its_check_or_exercise_is_refused_by_name(monkeypatch, defined, told):
    # A misspelt `def chek(run)` loaded and listed, then every student's grading of it ended in a traceback from inside
    # the grader (AttributeError: no attribute 'check').
    ex = dataclasses.replace(catalog.get("mul_backward"), number=98, name="copy")
    module = types.SimpleNamespace(**{"EXERCISE": ex, **defined} if "EXERCISES" not in defined else defined)
    _with_folder(monkeypatch, "ex98_copy", module)
    with pytest.raises(RuntimeError, match=f"ex98_copy/__init__.py {told}.*Adding an exercise"):
        catalog._discover()


def test_an_exercise_of_a_tutorial_there_is_not_is_refused_not_left_out_of_the_list(monkeypatch):
    # Exercise(..., tutorial=13, ...) loaded, graded, and was missing from `exercises list`, which groups by tutorial.
    ex = dataclasses.replace(catalog.get("mul_backward"), number=98, name="copy", tutorial=13)
    _with_folder(monkeypatch, "ex98_copy", types.SimpleNamespace(EXERCISE=ex, check=lambda run: None))
    with pytest.raises(RuntimeError, match="ex98_copy belongs to tutorial 13, which TUTORIALS in catalog.py does not "
                                           "list: give one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"):
        catalog._discover()


@pytest.mark.parametrize("folder,number,name,told", [
    ("ex01_other", 1, "other", "the folders ex01_mul_backward and ex01_other both give the number 1"),
    ("ex98_mul_backward", 98, "mul_backward", "ex01_mul_backward and ex98_mul_backward both give the name "
                                              "'mul_backward'")], ids=["number", "name"])
def test_two_exercise_folders_with_one_number_or_name_are_refused(monkeypatch, folder, number, name, told):
    # Two ex23 folders were both listed, and `grade DIR ex23` graded the first alone.
    ex = dataclasses.replace(catalog.get("mul_backward"), number=number, name=name)
    _with_folder(monkeypatch, folder, types.SimpleNamespace(EXERCISE=ex, check=lambda run: None))
    with pytest.raises(RuntimeError, match=told + ": each exercise needs a number and a name of its own"):
        catalog._discover()


def test_get_names_the_known_exercises_for_an_unknown_name():
    with pytest.raises(KeyError, match="no exercise named 'mul'; known: mul_backward, pow_backward, "):
        catalog.get("mul")


def test_an_answer_that_changes_an_input_names_which_one(tmp_path):
    # The right numbers, but W (the second argument) zeroed afterwards: the caller's weights are gone.
    write(tmp_path, "linear_backward", solution("linear_backward") + "\n_right = linear_backward\n\n\n"
          "def linear_backward(x, W, g):\n    out = [a.copy() for a in _right(x, W, g)]\n    W[...] = 0\n"
          "    return tuple(out)\n")
    result = exercises.grade(str(tmp_path), "linear_backward")[0]
    assert result.status == "fail" and "changed its argument 2 in place (an ndarray of shape" in result.message, \
        result.message


def test_what_the_student_printed_before_a_time_out_is_shown(tmp_path):
    # The one clue to an endless loop is often the last line printed before it: it reaches the report (a line, as
    # on a terminal: stdout is line-buffered).
    path = write(tmp_path, "mul_backward", "import time\ndef mul_backward(a, b, upstream):\n"
                                           "    print('entering the loop')\n    while True:\n"
                                           "        time.sleep(0.05)\n")
    result = grade_file("mul_backward", path, timeout=2)
    assert result.status == "timeout" and "still running after 2 s" in result.message, result.message
    assert result.output.strip() == "entering the loop", result.output


def test_a_frame_header_without_its_payload_is_tampering_not_a_time_out(tmp_path):
    # A header announcing a megabyte that never comes: the grader waits for it until the time limit, then names it.
    path = write(tmp_path, "mul_backward", WRITE_EVERY_FD.format(data=b"").replace(
        "struct.pack('>I', len(data)) + data", "struct.pack('>I', 1 << 20)"))
    result = grade_file("mul_backward", path, timeout=2)
    assert result.status == "error" and "(a frame that never ended)" in result.message, result.message


def test_an_import_error_of_the_students_own_is_an_error_not_a_forbidden_import(tmp_path):
    # Only the grader's refusals (its "write it yourself" message) are forbidden imports; a name that numpy does not
    # have is the student's ImportError, reported with its line.
    path = write(tmp_path, "mul_backward", "from numpy import no_such_name\n" + solution("mul_backward"))
    result = grade_file("mul_backward", path)
    assert (result.status, result.mistake) == ("error", None), (result.status, result.message)
    assert result.message.startswith("your code raised ImportError: cannot import name 'no_such_name'"), result.message
    assert "at ex01_mul_backward.py, line 1" in result.message, result.message


def test_recursive_functions_finds_cycles_of_calls_and_nothing_else():
    tree = ast.parse("def a():\n    b()\ndef b():\n    pass\ndef c():\n    d()\ndef d():\n    e()\ndef e():\n    c()\n"
                     "def f():\n    f()\n")
    assert sorted(kit.recursive_functions(tree)) == ["c", "d", "e", "f"]
    # With a root, only the cycles it reaches: a recursive helper it never calls (one left for debugging) is no part.
    assert kit.recursive_functions(tree, "a") == [] and sorted(kit.recursive_functions(tree, "d")) == ["c", "d", "e"]
    assert kit.recursive_functions(tree, "f") == ["f"] and len(kit.recursive_functions(tree, "missing")) == 4
    # A generator that yields a new generator of itself to a loop over an explicit stack (a trampoline) nests no call:
    # it was refused as recursion ("your function `visit` calls itself"). Iterating one inside itself nests calls.
    tree = ast.parse("def g(v):\n    yield g(v)\ndef h(v):\n    yield from h(v)\ndef k(v):\n    for x in k(v):\n"
                     "        yield x\ndef m(v):\n    yield list(m(v))\n")
    assert kit.recursive_functions(tree) == ["h", "k", "m"]
    # the rule exempted any call a yield hands out, also of a plain function that recurses back (f hands out g's
    # list, g iterates f), and missed a trampoline's generator handed out with its index, `yield g(v), i`
    tree = ast.parse("def f(n):\n    yield g(n)\ndef g(n):\n    return [x for c in n for x in f(c)]\n"
                     "def t(v):\n    yield t(v), 0\n")
    assert sorted(kit.recursive_functions(tree)) == ["f", "g"]
    # methods: `self.f` is the caller's class's own, `x.f` another class's (a stack class's pop that pops its list, held
    # in an attribute or a name, is no recursion); a class's recursive printer the walk never calls is none either
    tree = ast.parse("class S:\n    def pop(self):\n        return self.items.pop()\n    def show(self, n):\n"
                     "        self.show(n)\nclass Q:\n    def pop(self):\n        items = self.items\n"
                     "        return items.pop()\ndef walk(r):\n    s, q = S(), Q()\n    return [s.pop(), q.pop()]\n")
    assert kit.recursive_functions(tree, "walk") == [] and kit.recursive_functions(tree) == ["show"]


_CORRECT_WALKS = {  # ex05 answers without recursion, which the look at the code refused as recursive
    "a callable class that asserts isinstance(self, ...)":
        "class Sorter:\n    def __call__(self, root):\n        assert isinstance(self, Sorter)\n        stack, out = "
        "[root], []\n        while stack:\n            out.append(stack.pop())\n        return out\n"
        "def topological_order(root):\n    return Sorter()(root)\n",
    "type(self) and a helper given self":
        "def _walk(s, root):\n    return [root]\nclass W:\n    def __call__(self, root):\n        t = type(self)\n"
        "        return _walk(self, root)\ndef topological_order(root):\n    return W()(root)\n",
    "two callable classes, print(*xs) and len(xs[0])":
        "class A:\n    def __call__(self, xs):\n        print(*xs)\nclass B:\n    def __call__(self, xs):\n"
        "        return len(xs[0])\ndef topological_order(root):\n    return B()([A()([root])])\n",
    "two subclasses calling super().__init__()":
        "class Base:\n    def __init__(self):\n        self.x = 1\nclass L(Base):\n    def __init__(self):\n"
        "        super().__init__()\nclass R(Base):\n    def __init__(self):\n        super().__init__()\n"
        "def topological_order(root):\n    L(), R()\n    return [root]\n",
}
_RECURSIVE_WALKS = {  # and recursive ones, through an instance: its method, its __call__, its class's __init__
    "c.visit with c = V()": "class V:\n    def visit(self, n):\n        return [x for p in n._parents for x in "
                            "self.visit(p)] + [n]\ndef topological_order(root):\n    c = V()\n"
                            "    return c.visit(root)\n",
    "V()(root), self(p)": "class V:\n    def __call__(self, n):\n        return [x for p in n._parents for x in "
                          "self(p)] + [n]\ndef topological_order(root):\n    return V()(root)\n",
    "V(p, out) in V's __init__": "class V:\n    def __init__(self, n, out):\n        for p in n._parents:\n"
                                 "            V(p, out)\n        out.append(n)\ndef topological_order(root):\n"
                                 "    out = []\n    V(root, out)\n    return out\n",
}


@pytest.mark.parametrize("name", list(_CORRECT_WALKS) + list(_RECURSIVE_WALKS))
def test_recursive_functions_tells_a_class_of_ones_own_from_a_recursion_through_it(name):
    source = _CORRECT_WALKS.get(name) or _RECURSIVE_WALKS[name]
    found = kit.recursive_functions(ast.parse(source), "topological_order")
    assert bool(found) == (name in _RECURSIVE_WALKS), found


class _Echo(kit.Session):
    """A session whose function returns 0 and leaves the arguments as `after` makes them."""

    def __init__(self, after):
        self.after, self.changed = after, ""

    def call(self, call, args=(), kwargs=None, keep=()):
        return 0, [self.after(args[i]) for i in keep]


def test_an_argument_holding_nan_left_as_it_was_is_unchanged():
    same = _Echo(lambda a: [float(v) for v in a] if isinstance(a, list) else np.array(a, copy=True))
    same("f(x, widths)", np.array([1.0, np.nan]), [np.nan, 2.0])
    assert same.changed == ""
    changed = _Echo(lambda a: [0.0, 2.0] if isinstance(a, list) else np.array(a, copy=True))
    changed("f(x, widths)", np.array([1.0, np.nan]), [np.nan, 2.0])
    assert changed.changed.startswith("f(x, widths) changed its argument 2 in place (a list of 2 items)")


def test_an_initializer_that_ignores_a_generators_state_is_named_for_it():
    def he_normal(shape, rng=None, dtype=np.float32):
        gen = np.random.default_rng() if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        return gen.normal(0.0, math.sqrt(2.0 / shape[0]), shape).astype(dtype)

    result = check_function("he_normal", he_normal)
    assert result.mistake == "ignores_rng" and "different numbers for two generators in the same state" in \
        result.message, result.message


def test_an_initializer_in_float64_is_told_the_default_dtype():
    result = check_function("he_normal", lambda shape, rng=None, dtype=None: np.random.default_rng(rng).normal(
        0.0, math.sqrt(2.0 / shape[0]), shape))
    assert result.mistake == "dtype" and "returned dtype float64; expected float32 (the default dtype is np.float32)." \
        in result.message, result.message


def test_any_positive_time_limit_is_accepted(tmp_path):
    assert exercises.grade(str(tmp_path), "mul_backward", timeout=0.25)[0].status == "missing"
    with pytest.raises(ValueError, match=r"^grade: timeout must be > 0, got 0$"):
        exercises.grade(str(tmp_path), "mul_backward", timeout=0.0)
