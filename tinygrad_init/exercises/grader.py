"""The exercises' command line: `list`, `start DIR` and `grade DIR [NAME ...]`.

Wired as `tinygrad-init exercises ...` and also runnable as `python -m tinygrad_init.exercises ...`.
`main` takes the arguments after `exercises` and returns the exit status:

- 0: everything asked for passed (or the command succeeded);
- 1: some exercise did not pass, or `start` refused to overwrite files;
- 2: the command line was wrong (an unknown exercise, a missing folder).

The Python functions behind it, `start` and `grade`, are public too.
"""

from __future__ import annotations

import argparse
import difflib
import io
import numbers
import os
import re
import shlex
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import TextIO

from ..utils import check_bool, check_real, check_type, cli_type, path_arg
from .catalog import EXERCISES, TUTORIALS, Exercise, get, resolve
from .runner import Result, check_file, grade_file, run_isolated

__all__ = ["DEFAULT_TIMEOUT", "build_parser", "format_report", "grade", "main", "start", "summary_line"]

DEFAULT_TIMEOUT = 10.0
_WIDTH = 100


def _select(where: str, names: Sequence[str] | str | None) -> list[Exercise]:
    names = names.item() if getattr(names, "ndim", None) == 0 else names  # np.array("ex01"): one name
    if isinstance(names, (str, numbers.Integral)) and not isinstance(names, bool):  # one name or number ("": all)
        names = [names] if names != "" else None
    what = "an exercise's name or number, or a list of them"
    if isinstance(check_type(where, "names", names, (type(None), Iterable), what), (bytes, bytearray)):  # (of ints)
        raise TypeError(f"{where}: names must be {what}, got bytes {names!r:.40}")
    try:
        chosen = {ex.number: ex for ex in map(resolve, () if names is None else names)}
    except ValueError as exc:
        raise ValueError(f"{where}: names: {exc}") from None
    return [chosen[n] for n in sorted(chosen)] if chosen else list(EXERCISES)


# ------------------------------------------------------------------ start


def start(directory: str, names: Sequence[str] | str | None = None, force: bool = False) -> list[str]:
    """Copy the stubs of `names` (default: all exercises) into `directory` (created if needed).

    Args:
        directory: the student's folder.
        names: exercises to copy (anything `resolve` accepts: a name or a number, or a list of them).
        force: replace files that exist already (the work in them is lost).

    Returns:
        The file names written, in catalog order.

    Raises:
        FileExistsError: when a file exists and `force` is False; nothing is written then (its `files` lists them).
        IsADirectoryError: when a folder has an exercise file's name (even with `force`).
        NotADirectoryError: when `directory` is a file (or "").
        TypeError: when `directory` is not a str or a path, or `names` not a name, a number or a list of them.
        ValueError: for an unknown exercise name.
    """
    directory = os.fspath(check_type("start", "directory", directory, (str, os.PathLike), "a folder's name"))
    if not directory or os.path.exists(directory) and not os.path.isdir(directory):
        raise NotADirectoryError(f"start: directory {directory!r} is not a folder: name one (made if it is not there)")
    force = check_bool("start", "force", force)
    exercises = _select("start", names)
    existing = [ex.file for ex in exercises if os.path.exists(os.path.join(directory, ex.file))]
    for folder in filter(os.path.isdir, (os.path.join(directory, f) for f in existing)):
        raise IsADirectoryError(f"start: {folder} is a folder, not a file: move it away, then start again")
    if existing and not force:
        error = FileExistsError(f"start: {', '.join(existing)} already in {directory}, and may hold your work: "
                                "nothing was copied. Name only the exercises you do not have yet, or pass force=True "
                                "to replace these files with blank stubs.")
        error.files = existing  # type: ignore[attr-defined]
        raise error
    os.makedirs(directory, exist_ok=True)
    for ex in exercises:
        shutil.copyfile(ex.stub, os.path.join(directory, ex.file))
    return [ex.file for ex in exercises]


# ------------------------------------------------------------------ grade


def grade(directory: str, names: Sequence[str] | str | None = None, timeout: float = DEFAULT_TIMEOUT,
          isolate: bool = True) -> list[Result]:
    """Grade the student's files in `directory`.

    Args:
        directory: the student's folder (as made by `start`).
        names: exercises to grade (default: all; a name or a number, or a list of them).
        timeout: seconds allowed per exercise, > 0 (only with `isolate`).
        isolate: run the student's code in a child process with a time limit (the default). With
            False the checks run in this process: faster, but an endless loop hangs the caller, and the
            student's code runs beside the check, where patching numpy can change the verdict: only for
            code you trust.

    Returns:
        One `Result` per exercise, in catalog order; a missing file gives status `missing`.

    Raises:
        ValueError: for an unknown exercise name, or a timeout that is not > 0.
        TypeError: for a timeout that is not a number, an `isolate` that is not a bool, a `directory` that is not a
            str or a path, or `names` that are not a name, a number or a list of them.
        FileNotFoundError: when `directory` is not a folder (a typo must not read as "nothing started").
    """
    directory = os.fspath(check_type("grade", "directory", directory, (str, os.PathLike), "a folder's name"))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"grade: there is no folder {directory!r}; make one with exercises.start("
                                f"{directory!r}), or give as directory the folder that holds your files")
    timeout = check_real("grade", "timeout", timeout, 0.0, low_open=True)
    isolate = check_bool("grade", "isolate", isolate)
    exercises = _select("grade", names)
    present = [ex for ex in exercises if os.path.isfile(os.path.join(directory, ex.file))]
    if isolate:
        found = run_isolated(directory, present, timeout=timeout) if present else {}
    else:
        found = {ex.name: check_file(ex, os.path.join(directory, ex.file)) for ex in present}
    # absent when grading began: missing, or (written meanwhile by the student's code) graded as the others are
    return [found.get(ex.name) or grade_file(ex, os.path.join(directory, ex.file), isolate, timeout)
            for ex in exercises]


def summary_line(results: Sequence[Result]) -> str:
    """"9 passed, 3 failed, 4 not implemented yet, 2 not started" (only the non-zero parts, except "passed")."""
    passed = sum(r.passed for r in results)
    todo, missing = (sum(r.status == status for r in results) for status in ("todo", "missing"))
    counts = (len(results) - passed - todo - missing, "failed"), (todo, "not implemented yet"), (missing, "not started")
    return ", ".join([f"{passed} passed", *(f"{n} {what}" for n, what in counts if n)])


def _wrap(text: str, indent: str) -> list[str]:
    lines = []
    for raw in text.splitlines() or [""]:
        body = raw.strip()
        if not body:
            continue
        if raw[0].isspace():  # an indented line quotes code or a location: never re-flow it
            lines.append(indent + raw.rstrip())
            continue
        extra = "      " if body.startswith("hint: ") else ""  # continue a hint under its text
        wrapped = textwrap.wrap(body, width=max(40, _WIDTH - len(indent)), break_long_words=False,
                                break_on_hyphens=False, subsequent_indent=extra)
        lines.extend(indent + w for w in wrapped)
    return lines


def _visible(text: str) -> str:
    """`text` with its control characters but newlines and tabs written out (`\\x1b`): a student's message or
    output cannot move the terminal's cursor or clear what the report printed."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m[0]):02x}", text)


def format_report(results: Sequence[Result], directory: str, timeout: float | None = DEFAULT_TIMEOUT,
                  prog: str = "tinygrad-init exercises") -> str:
    """The text `grade` prints: one block per exercise, then the summary line."""
    name_width = max(len(r.name) for r in results) if results else 0
    limit = f", time limit {timeout:g} s each" if timeout is not None else ""
    out = [f"Grading {len(results)} exercise{'s' if len(results) != 1 else ''} in {directory}{limit}", ""]
    none_started = not any(os.path.isfile(os.path.join(directory, e.file)) for e in EXERCISES)
    for r in results:
        ex = get(r.name)
        out.append(f"{'PASS' if r.passed else 'FAIL'}  {ex.label}  {ex.name:<{name_width}}  {ex.title}")
        if r.passed:
            continue
        message = _visible(r.message)
        if r.status == "missing":
            command = f"{prog} start {shlex.quote(directory)}" + ("" if none_started else f" {ex.label}")
            path = os.path.join(directory, ex.file)
            what = "is a folder, not a file: move it away, then start" if os.path.isdir(path) else \
                "does not exist. Start"
            message = f"not started: {path} {what} it with:\n  {command}"
            near = [f for f in (f"{ex.label}.py", f"{ex.name}.py", f"{ex.function}.py", f"{ex.file}.txt")
                    if os.path.isfile(os.path.join(directory, f))]
            if near and not os.path.isdir(path):  # the student's work under another name
                message = f"not started: {path} does not exist, but {near[0]} does: the grader reads {ex.file} only, " \
                          "so rename yours to that."
        out.extend(_wrap(message, "      "))
        if r.output.strip():
            shown = _visible(r.output.strip()).splitlines()
            out.append("      your code printed:")
            for line in shown[:8]:  # a line cut short says so, within the width: a number cut at the edge is no other
                if len(line) > _WIDTH:
                    keep = _WIDTH - len(f" ... ({len(line)} more characters)")
                    line = f"{line[:keep]} ... ({len(line) - keep} more characters)"
                out.append(f"        | {line}")
            if len(shown) > 8:
                out.append(f"        | ... ({len(shown) - 8} more lines)")
    out.append("")
    line = summary_line(results)
    if results and all(r.passed for r in results):
        line += " -- well done!"
    out.append(line)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ command line

_DESCRIPTION = """\
Unit-tested exercises: write small pieces of backpropagation and weight initialization
yourself, and let the grader check them.

  1. `start DIR` copies one file per exercise into DIR. Each file holds one function
     whose docstring states the task, the math and a hint; its body only raises
     NotImplementedError.
  2. Replace that line with your code.
  3. `grade DIR` runs the checks: PASS, or FAIL with what went wrong and, when your
     answer matches a common mistake, a hint about that mistake.
"""

_EXAMPLES = (
    ("list", "what there is to do"),
    ("start work", "copy all the exercises into ./work"),
    ("grade work", "grade everything in ./work"),
    ("grade work ex03 unbroadcast", "grade two exercises (by number or name)"),
    ("grade work --timeout 30", "allow 30 s per exercise instead of {timeout:g}"),
)

_EPILOG_TAIL = """
Your code runs in a separate process with a time limit per exercise, so an endless
loop or a crash in it is reported, not fatal. The exit status is 0 when everything you
asked for passed, 1 when something did not, 2 for an unknown exercise or a missing folder.
"""


def _examples(prog: str, rows: Sequence[tuple[str, str]]) -> str:
    cmds = [f"{prog} {cmd}" for cmd, _ in rows]
    width = max(len(c) for c in cmds)
    lines = [f"  {c:<{width}}  {desc}".rstrip() for c, (_, desc) in zip(cmds, rows)]
    return "examples:\n" + "\n".join(lines) + "\n"


def _para(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=88)


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        """Write `message` as argparse does, but let an error of writing --help to stdout through: argparse drops it
        (onto a full disk: no text and exit 0); raised, it is said as the output's of a command is."""
        if message and (file := file or sys.stderr):
            try:
                file.write(message)
                file.flush()
            except OSError:
                if file is sys.stdout:
                    raise


def build_parser(prog: str = "tinygrad-init exercises") -> argparse.ArgumentParser:
    """The argument parser (`prog` is how the command is spelled in help and messages)."""
    parser = _Parser(
        prog=prog, description=_DESCRIPTION,
        epilog=_examples(prog, [(c, d.format(timeout=DEFAULT_TIMEOUT)) for c, d in _EXAMPLES]) + _EPILOG_TAIL,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="{list,start,grade}")

    p_list = sub.add_parser("list", help="list the exercises, grouped by tutorial",
                            description="List the exercises (label, name, title), grouped by tutorial.")
    p_list.set_defaults(func=_cmd_list)

    p_start = sub.add_parser(
        "start", help="copy the exercise files into a folder",
        description=_para("Copy the starting file of each exercise into DIR (created if needed). Existing "
                          "files are never replaced unless you pass --force."),
        epilog=_examples(prog, [("start work", "all exercises"), ("start work ex05", "only exercise 5"),
                                ("start work ex05 --force", "exercise 5 again, from a blank file")]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p_start.add_argument("dir", metavar="DIR", type=path_arg, help="the folder to put the exercises in")
    p_start.add_argument("names", nargs="*", default=[], metavar="NAME",
                         help="only these exercises (a number such as 5 or ex05, or a name such as unbroadcast)")
    p_start.add_argument("--force", action="store_true",
                         help="replace existing files with blank stubs (your work in them is lost)")
    p_start.set_defaults(func=_cmd_start)

    p_grade = sub.add_parser(
        "grade", help="check your solutions",
        description=_para("Run the checks on your files in DIR and print PASS or FAIL per exercise, with a "
                          "hint when your answer matches a known mistake. Exit status 0 when all of them "
                          "pass, 1 when one does not, 2 for an unknown exercise or a missing folder."),
        epilog=_examples(prog, [("grade work", "every exercise"), ("grade work 3 4 5", "exercises 3, 4 and 5"),
                                ("grade . ex07", "exercise 7, from inside the folder"),
                                ("grade work --timeout 30", "allow 30 s per exercise")]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p_grade.add_argument("dir", metavar="DIR", type=path_arg, help="the folder with your exercise files")
    p_grade.add_argument("names", nargs="*", default=[], metavar="NAME",
                         help="only these exercises (default: all); a number such as 3 or ex03, or a name")
    p_grade.add_argument("--timeout", type=cli_type(check_real, 0.0, low_open=True), default=DEFAULT_TIMEOUT,
                         metavar="SECONDS", help=f"time allowed per exercise before it counts as an endless loop "
                                                 f"(default {DEFAULT_TIMEOUT:g})")
    p_grade.set_defaults(func=_cmd_grade)
    return parser


def _cmd_list(args: argparse.Namespace, out: TextIO, prog: str) -> int:
    width = max(len(ex.name) for ex in EXERCISES)
    out.write(f"{len(EXERCISES)} exercises. Start them with `{prog} start DIR`.\n")
    for number, title in TUTORIALS.items():
        group = [ex for ex in EXERCISES if ex.tutorial == number]
        if not group:
            continue
        out.write(f"\nTutorial {number}: {title}\n")
        for ex in group:
            out.write(f"  {ex.label}  {ex.name:<{width}}  {ex.title}\n")
    return 0


def _cmd_start(args: argparse.Namespace, out: TextIO, prog: str) -> int:
    directory = str(args.dir)
    try:
        written = start(directory, args.names, force=args.force)
    except FileExistsError as exc:
        files = exc.files  # type: ignore[attr-defined]
        out.write(f"Refusing to overwrite {len(files)} file{'s' if len(files) != 1 else ''} in {directory}, "
                  "which may hold your work:\n")
        for f in files:
            out.write(f"  {os.path.join(directory, f)}\n")
        out.write(f"Nothing was copied. To start only the exercises you do not have yet, name them: "
                  f"`{prog} start {shlex.quote(directory)} NAME ...`.\nTo replace a file with a blank stub (losing "
                  f"what is in it), add --force.\n")
        return 1
    except (IsADirectoryError, NotADirectoryError) as exc:
        if exc.errno:  # the system's (a path under a file): said as every command says it
            raise
        raise ValueError(str(exc)) from None  # a usage error, said by main
    out.write(f"Copied {len(written)} exercise file{'s' if len(written) != 1 else ''} into {directory}:\n")
    width = max(len(f) for f in written)
    for f in written:
        ex = resolve(f)
        out.write(f"  {f:<{width}}  {ex.title} (tutorial {ex.tutorial})\n")
    first = resolve(written[0])
    out.write(
        "\nNext:\n"
        f"  1. Open {os.path.join(directory, first.file)} and read the docstring: the task, the math and a hint.\n"
        "  2. Replace the line `raise NotImplementedError(...)` with your code.\n"
        f"  3. Check it:       {prog} grade {shlex.quote(directory)} {first.label}\n"
        f"     or all of them: {prog} grade {shlex.quote(directory)}\n"
    )
    return 0


def _cmd_grade(args: argparse.Namespace, out: TextIO, prog: str) -> int:
    directory, names = str(args.dir), list(args.names)
    if os.path.isfile(directory):  # a student's file: grade its exercise, in its folder
        if os.path.basename(directory) not in {ex.file for ex in EXERCISES}:
            raise ValueError(f"{directory} is not an exercise file. Grade a folder made by `{prog} start`, or one of "
                             f"its files ({EXERCISES[0].file} ... {EXERCISES[-1].file})")
        directory, names = os.path.dirname(directory) or os.curdir, [os.path.basename(directory), *names]
    if not os.path.isdir(directory):
        parent, name = os.path.split(os.path.normpath(directory))
        try:  # a typo of a folder that is there
            near = difflib.get_close_matches(name, [d.name for d in os.scandir(parent or os.curdir) if d.is_dir()], 1)
        except OSError:
            near = []
        raise ValueError(f"there is no folder {directory}" + (f" (did you mean {os.path.join(parent, near[0])}?)"
                         if near else "") + f". Create it with the exercises in it: `{prog} start "
                         f"{shlex.quote(directory)}`")
    results = grade(directory, names, timeout=args.timeout)
    out.write(format_report(results, directory, args.timeout, prog))
    return 0 if all(r.passed for r in results) else 1


def main(argv: Sequence[str] | None = None, prog: str = "tinygrad-init exercises", out: TextIO | None = None) -> int:
    """Run the exercises command line on `argv` (the arguments after `exercises`); return the exit status (0, 1 or 2,
    as the module's docstring says).

    Args:
        argv: e.g. `["grade", "work", "ex03"]`; default `sys.argv[1:]`.
        prog: the command's name in help and messages.
        out: where to write (default standard output); usage errors go to standard error, as argparse's do.
    """
    out = out or sys.stdout or io.StringIO()  # stdout closed (`... >&-`): the output goes nowhere, as print's does
    parser = build_parser(prog)
    args, rest = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if hasattr(args, "names"):  # `grade DIR --timeout 30 ex03`: the names after an option
        args.names += [w for w in rest if w[:1] != "-"]
        rest = [w for w in rest if w[:1] == "-"]
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if not getattr(args, "command", None):
        parser.print_help(out)
        return 2
    try:
        return args.func(args, out, prog)
    except ValueError as exc:  # a usage error (an unknown exercise name, no such folder, not an exercise file), said
        text = str(exc).replace(": names: ", ": ", 1)  # (names: the Python argument) on stderr, as argparse's are
        print(f"{prog}: error: {text}", file=sys.stderr)
        return 2
