"""Running a check against a student's file: in this process, or in a worker process with a time limit.

:func:`check_file` loads the student's file as a fresh module, runs the exercise's check on it and
turns whatever happens into a :class:`Result`: a pass, a wrong answer (with the hint of the
recognised mistake), a stub that still raises ``NotImplementedError``, or an exception raised by
the student's code (its type, message and the line of the student's file). It never raises.

:func:`run_isolated` does the same for several exercises in a child process (``python -m
tinygrad_init.exercises._worker DIR NAME ...``) that reports one JSON line per exercise.
The parent waits at most ``timeout`` seconds for each result; on an endless loop it kills the
child, records a time-out and starts a new child for the exercises left, and likewise when the
student's code ends the process (``os._exit``, a segmentation fault). So one exercise cannot take
the grader, or the other exercises, down with it.

This is protection against mistakes, not a security sandbox: the student's code runs with the
student's own rights.
"""

from __future__ import annotations

import importlib
import io
import json
import linecache
import os
import queue
import signal
import subprocess
import sys
import threading
import traceback
import types
import warnings
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from .catalog import Exercise, resolve

__all__ = ["Result", "check_file", "run_isolated", "STATUSES"]

#: Every status a result can have, in the order the summary counts them.
STATUSES = ("pass", "fail", "todo", "error", "timeout", "crash", "missing", "internal")

_CHECKS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checks")
_OUTPUT_LIMIT = 4000  # characters of the student's printed output that are kept


@dataclass(frozen=True)
class Result:
    """What grading one exercise found.

    Attributes:
        name: the exercise's name (see :mod:`.catalog`).
        status: one of :data:`STATUSES` -- ``pass``; ``fail`` (a wrong answer); ``todo`` (the stub
            still raises NotImplementedError); ``error`` (the student's code raised or exited);
            ``timeout``; ``crash`` (the process died); ``missing`` (no file); ``internal`` (a bug
            in the check itself).
        message: what to tell the student (several lines possible; empty for a pass).
        mistake: the catalog key of the recognised mistake, or None.
        output: what the student's code printed (shortened), or "".
    """

    name: str
    status: str
    message: str = ""
    mistake: str | None = None
    output: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "pass"


class _CappedWriter(io.TextIOBase):
    """A text stream that keeps the first few thousand characters written to it."""

    def __init__(self, limit: int = _OUTPUT_LIMIT) -> None:
        super().__init__()
        self._parts: list[str] = []
        self._kept = 0
        self._dropped = 0
        self._limit = limit

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:  # type: ignore[override]
        s = str(s)
        room = self._limit - self._kept
        if room > 0:
            self._parts.append(s[:room])
            self._kept += min(room, len(s))
        self._dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def text(self) -> str:
        out = "".join(self._parts)
        if self._dropped:
            out += f"\n... ({self._dropped} more characters not shown)"
        return out


# ------------------------------------------------------------------ in-process


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _student_frame(exc: BaseException, path: str) -> traceback.FrameSummary | None:
    """The innermost frame of ``exc``'s traceback that lies in the student's file."""
    target = _norm(path)
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if _norm(frame.filename) == target:
            found = frame
    return found


def _check_call(exc: BaseException) -> str | None:
    """The description of the call the check was making (its local ``call`` or ``what``), if any."""
    tb = exc.__traceback__
    text = None
    while tb is not None:
        frame = tb.tb_frame
        if _norm(frame.f_code.co_filename).startswith(_norm(_CHECKS_DIR)):
            for key in ("call", "what"):
                value = frame.f_locals.get(key)
                if isinstance(value, str):
                    text = value
                    break
        tb = tb.tb_next
    return text


def _exception_text(exc: BaseException) -> str:
    message = str(exc)
    if len(message) > 500:
        message = message[:497] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _where(frame: traceback.FrameSummary | None, path: str) -> str:
    if frame is None:
        return ""
    line = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    where = f"at {os.path.basename(path)}, line {frame.lineno}"
    if frame.name and frame.name != "<module>":
        where += f", in {frame.name}"
    return f"{where}:  {line}" if line else where


def _load(ex: Exercise, path: str) -> types.ModuleType:
    """Execute the student's file as a fresh module (no bytecode cache is written)."""
    with open(path, "rb") as fh:
        raw = fh.read()
    code = compile(raw, path, "exec", dont_inherit=True)
    module = types.ModuleType(ex.stem)
    module.__file__ = path
    sys.modules[ex.stem] = module
    exec(code, module.__dict__)
    return module


def check_file(exercise: Exercise | str, path: str) -> Result:
    """Run ``exercise``'s check on the student's file at ``path`` in this process.

    The student's printed output is captured, and the interpreter state the file could change
    (``sys.path``, the student's modules in ``sys.modules``, the working directory, the recursion
    limit, numpy's error settings, warning filters) is restored afterwards. An endless loop in
    the student's code hangs this call: use :func:`run_isolated` to grade untrusted work.

    Args:
        exercise: an :class:`~.catalog.Exercise` or anything :func:`~.catalog.resolve` accepts.
        path: the student's file.

    Returns:
        A :class:`Result`; this function does not raise (except KeyboardInterrupt).
    """
    ex = exercise if isinstance(exercise, Exercise) else resolve(exercise)
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        return Result(ex.name, "missing", f"not started: {path} does not exist")
    import numpy as np

    from .checks._common import CheckFailure

    capture = _CappedWriter()
    saved_streams = (sys.stdout, sys.stderr)
    saved_path = list(sys.path)
    saved_modules = set(sys.modules)
    saved_cwd = os.getcwd()
    saved_err = np.geterr()
    saved_dont_write = sys.dont_write_bytecode
    saved_limit = sys.getrecursionlimit()
    folder = _norm(os.path.dirname(path))
    stage = "setup"
    try:
        check_module = importlib.import_module(f"{__package__}.checks.{ex.stem}")
        stage = "load"
        sys.path.insert(0, os.path.dirname(path))
        sys.dont_write_bytecode = True
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            sys.stdout = sys.stderr = capture
            try:
                module = _load(ex, path)
                stage = "check"
                check_module.check(module)
            finally:
                sys.stdout, sys.stderr = saved_streams
        return Result(ex.name, "pass", output=capture.text())
    except KeyboardInterrupt:
        raise
    except CheckFailure as exc:
        return Result(ex.name, "fail", str(exc), exc.mistake, capture.text())
    except SyntaxError as exc:
        if exc.filename and _norm(exc.filename) == _norm(path) and stage == "load":
            text = (exc.text or "").rstrip("\n").strip()
            msg = f"your file has a syntax error at line {exc.lineno}: {exc.msg}"
            if text:
                msg += f"\n  {text}"
            return Result(ex.name, "error", msg, output=capture.text())
        return _from_exception(ex, path, exc, stage, capture)
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything, even SystemExit
        return _from_exception(ex, path, exc, stage, capture)
    finally:
        sys.stdout, sys.stderr = saved_streams
        sys.path[:] = saved_path
        sys.dont_write_bytecode = saved_dont_write
        sys.setrecursionlimit(saved_limit)
        # Forget the student's own modules (this file, and files of the same folder it imported),
        # so that the next exercise sees their current contents.
        for name in set(sys.modules) - saved_modules:
            file = getattr(sys.modules.get(name), "__file__", None) or ""
            if name == ex.stem or ("." not in name and file and _norm(os.path.dirname(file)) == folder):
                del sys.modules[name]
        try:
            os.chdir(saved_cwd)
        except OSError:
            pass
        np.seterr(**saved_err)


def _from_exception(ex: Exercise, path: str, exc: BaseException, stage: str, capture: _CappedWriter) -> Result:
    frame = _student_frame(exc, path)
    output = capture.text()
    if frame is None and stage == "load" and isinstance(exc, (OSError, ValueError, SyntaxError)):
        return Result(ex.name, "error", f"your file could not be read as Python: {_exception_text(exc)}",
                      output=output)
    if frame is None and not isinstance(exc, SystemExit):
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:]).rstrip()
        return Result(ex.name, "internal",
                      f"the check for {ex.name} itself failed -- not a mistake of yours; please tell "
                      f"your lecturer:\n{detail}", output=output)
    call = _check_call(exc)
    during = f" while running {call}" if call and stage == "check" else (
        " while your file was being loaded (code at the top level of the file)" if stage == "load" else "")
    where = _where(frame, path)
    if isinstance(exc, NotImplementedError):
        msg = (f"not implemented yet: `{ex.function}` still raises NotImplementedError; replace that line "
               "with your code.")
        return Result(ex.name, "todo", msg, output=output)
    if isinstance(exc, SystemExit):
        msg = (f"your code called sys.exit({'' if exc.code is None else repr(exc.code)}){during}. A function "
               "must `return` its answer instead of exiting.")
        if where:
            msg += f"\n  {where}"
        return Result(ex.name, "error", msg, output=output)
    msg = f"your code raised {_exception_text(exc)}{during}"
    if where:
        msg += f"\n  {where}"
    return Result(ex.name, "error", msg, output=output)


# ------------------------------------------------------------------ isolated


def _emit(stream: Any, obj: dict) -> None:
    stream.write(json.dumps(obj) + "\n")
    stream.flush()


def worker(directory: str, names: Sequence[str]) -> int:
    """The child process: grade ``names`` in ``directory``, one JSON line per event on stdout.

    The real standard output is kept for the protocol; file descriptors 1 and 2 are pointed at
    the null device so that nothing the student's code writes can corrupt it.
    """
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")
    _emit(protocol, {"event": "ready"})
    for name in names:
        ex = resolve(name)
        _emit(protocol, {"event": "start", "name": ex.name})
        result = check_file(ex, os.path.join(directory, ex.file))
        _emit(protocol, {"event": "result", **asdict(result)})
    protocol.close()
    return 0


def _package_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = _package_root()
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONHASHSEED"] = "0"  # the same set/dict order of strings on every run
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def _timeout_message(timeout: float) -> str:
    return (f"timed out: your code was still running after {timeout:g} s. Look for a loop that never ends "
            "(a `while` whose condition never changes, a stack or queue that never empties). If it is only "
            f"slow, raise the limit: --timeout {max(30, int(timeout * 3))}.")


def _crash_message(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return (f"the grading process was killed by {name} while running your code: a crash (too deep a "
                "recursion after sys.setrecursionlimit, or out of memory?).")
    return (f"your code ended the grading process (exit status {code}), e.g. with os._exit(). A function must "
            "`return` its answer.")


def run_isolated(directory: str, exercises: Sequence[Exercise], timeout: float = 10.0,
                 startup_timeout: float = 60.0) -> dict[str, Result]:
    """Grade ``exercises`` (whose files exist in ``directory``) in child processes.

    Args:
        directory: the student's folder.
        exercises: the exercises to grade, in order.
        timeout: seconds allowed per exercise (loading the file plus the check).
        startup_timeout: seconds allowed for a child to start (importing numpy).

    Returns:
        ``{name: Result}`` for every exercise given.
    """
    directory = os.path.abspath(directory)
    results: dict[str, Result] = {}
    pending = list(exercises)
    while pending:
        cmd = [sys.executable, "-m", f"{__package__}._worker", directory, *[e.name for e in pending]]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, cwd=directory, env=_child_env())
        lines: queue.Queue = queue.Queue()

        def pump(stream: Any = proc.stdout, sink: queue.Queue = lines) -> None:
            for raw in iter(stream.readline, b""):
                sink.put(raw)
            sink.put(None)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()

        def next_event(wait: float) -> dict | None | str:
            """The next JSON event, None at end of output, or "timeout"."""
            try:
                raw = lines.get(timeout=wait)
            except queue.Empty:
                return "timeout"
            if raw is None:
                return None
            try:
                return json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return next_event(wait)

        try:
            ready = next_event(startup_timeout)
            if not isinstance(ready, dict) or ready.get("event") != "ready":
                for ex in pending:
                    results[ex.name] = Result(ex.name, "internal",
                                              "the grading process did not start (is tinygrad_init importable "
                                              f"by {sys.executable}?)")
                return results
            while pending:
                ex = pending[0]
                event = next_event(startup_timeout)
                if isinstance(event, dict) and event.get("event") == "start":
                    event = next_event(timeout)
                if isinstance(event, dict) and event.get("event") == "result":
                    fields = {k: event.get(k) for k in ("name", "status", "message", "mistake", "output")}
                    fields["message"] = fields["message"] or ""
                    fields["output"] = fields["output"] or ""
                    results[ex.name] = Result(**fields)
                    pending.pop(0)
                    continue
                if event == "timeout":
                    proc.kill()
                    results[ex.name] = Result(ex.name, "timeout", _timeout_message(timeout))
                else:
                    code = proc.wait()
                    results[ex.name] = Result(ex.name, "crash", _crash_message(code))
                pending.pop(0)
                break  # start a fresh process for the rest
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            reader.join(timeout=5)
            if proc.stdout is not None:
                proc.stdout.close()
    return results

