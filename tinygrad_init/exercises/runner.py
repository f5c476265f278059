"""Grading one student file: the boundary between the student's code and the verdict.

`grade_file(exercise, path)` turns whatever happens into a `Result`: a pass, a wrong answer (with the hint of the
recognised mistake), a stub that still raises `NotImplementedError`, an exception raised by the student's code (its
type, message and line), a time-out or a crash. It never raises.

How a file is graded (against mistakes and shortcuts; no sandbox: the code runs with the student's rights):

1. **In the grader**, the file is parsed: a syntax error, or an import of what the exercise asks the student to write
   (`tinygrad_init`, `torch`, ...; also in the student's own modules that the file imports), ends it there.
2. A **worker process** (`worker.py`, one per exercise, in a session of its own) runs the file and calls the student's
   function on the inputs the check sends; it returns raw outputs only.
3. **The check runs in the grader**: it computes the references and compares. Patching numpy, the worker or anything
   else inside the worker cannot change a verdict; a reply that does not echo its request's random tag is rejected.
4. The time limit counts from loading the file; at the end, or at the time limit, the whole process group is killed
   (and, on Linux, any process the worker started that left the group), so a `fork` or `multiprocessing` child cannot
   hold the grader. Each worker has a memory limit, and a limit on what it prints or writes (`worker.MAX_WRITTEN`). An
   answer also fails when the function changed an array or list it was given (after the check's own messages).

With `isolate=False` the same checks run against the file loaded in this process: faster (the test suite uses it), but
no boundary (no time or memory limit, no import guard; the student's code can change the verdict): for code you trust.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import io
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import worker as wire
from .catalog import resolve
from .kit import CheckFailure, Exercise, Raised, Session, describe
from .reading import imports

__all__ = ["DENIED", "STATUSES", "Result", "check_file", "check_function", "grade_file", "run_isolated"]

#: Every status a result can have.
STATUSES = ("pass", "fail", "todo", "error", "timeout", "crash", "missing", "internal")

#: Libraries a student file may not import (unless the exercise builds on the engine: see `Exercise.engine`).
DENIED = ("tinygrad_init", "torch", "micrograd", "tinygrad", "jax", "tensorflow", "keras", "autograd", "mxnet", "sympy",
          "mpmath", "networkx", "graphlib", "pip", "asyncio")  # pip: distlib sorts graphs; asyncio: see _refused

_OUTPUT_LIMIT = 4000  # characters of the student's printed output that are kept
_LOADING = " while your file was being loaded (code at the top level of the file)"
_MAX_SOURCE = 1 << 20  # bytes of a student's file
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_WORKER = os.path.abspath(wire.__file__)


@dataclass(frozen=True)
class Result:
    """What grading one exercise found.

    Attributes:
        name: the exercise's name.
        status: one of `STATUSES`: `pass`; `fail` (a wrong answer, or a forbidden import); `todo` (the stub still raises
            NotImplementedError); `error` (the student's code raised or exited); `timeout`; `crash` (the process died);
            `missing` (no file); `internal` (a bug in the check itself).
        message: what to tell the student (several lines possible; empty for a pass).
        mistake: the key of the recognised mistake, or None.
        output: what the student's code printed (shortened), or "".
    """

    name: str
    status: str
    message: str = ""
    mistake: str | None = None
    output: str = ""

    passed = property(lambda self: self.status == "pass", doc="True when the exercise passed.")


class _Abort(BaseException):
    """Grading of this exercise ends here (time-out, crash, tampering); not catchable by `except Exception`."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


# ------------------------------------------------------------------ in the grader, before any student code


def _forbidden_message(ex: Exercise, name: str) -> str:
    return (f"write it yourself: this exercise builds on the engine only through `from tinygrad_init import "
            f"{', '.join(ex.engine)}`; your code imports {name}." if ex.engine else
            f"write it yourself: this exercise is about {ex.about}, so your code may not use {name}.")


def _parse(path: str) -> ast.Module:
    with open(path, "rb") as fh:
        source = fh.read(_MAX_SOURCE + 1)
    if len(source) > _MAX_SOURCE:  # parsing megabytes takes seconds and gigabytes here, outside any limit
        raise ValueError(f"it holds more than {_MAX_SOURCE >> 20} MB; a solution takes a few lines (and a table of "
                         "answers cannot pass: every grading draws new cases)")
    if sys.version_info < (3, 11):  # 3.10's ast.parse of 1+1+... 300,000 long overflows the C stack (a crash); its
        compile(source, path, "exec", dont_inherit=True)  # compile raises RecursionError (or the import's SyntaxError)
    return ast.parse(source, filename=path)


def _static(ex: Exercise, path: str) -> tuple[ast.Module | None, Result | None]:
    """Parse the student's file and look at its imports (and those of the student's modules it imports)."""
    try:
        tree = _parse(path)
    except SyntaxError as exc:
        if exc.lineno is None:  # not Python text at all (null bytes, a bad encoding)
            return None, Result(ex.name, "error", f"your file could not be read as Python: {exc.msg}")
        text = (exc.text or "").rstrip("\n").strip()
        msg = f"your file has a syntax error at line {exc.lineno}: {exc.msg}" + (f"\n  {text}" if text else "")
        return None, Result(ex.name, "error", msg)
    except (ValueError, OSError, UnicodeDecodeError, RecursionError, MemoryError) as exc:  # the last two: ast.parse's
        why = f"{type(exc).__name__}: {exc}" if not isinstance(exc, (RecursionError, MemoryError)) else \
            "an expression is nested too deeply for Python's parser (thousands of operators or calls in a row)"
        return None, Result(ex.name, "error", f"your file could not be read as Python: {why}")
    todo, seen = [(path, tree)], {path: 0}  # bytes parsed here, with no time limit: past 1 MB, the hook alone checks
    while todo:
        file, module = todo.pop()
        for name, names, line in imports(module):
            root = name.partition(".")[0]
            allowed = ex.engine and name == "tinygrad_init" and names and set(names) <= set(ex.engine) or not \
                _refused(ex, root)
            local = os.path.join(os.path.dirname(path), root + ".py")
            if root in DENIED and not allowed:
                shown = f"`{name}`" + (f" ({', '.join(names)})" if names else "")
                where = f" (line {line}" + ("" if file == path else f" of {os.path.basename(file)}") + ")"
                mine = os.path.exists(local) or os.path.isdir(local[:-3])  # the student's own module, named alike
                return None, Result(ex.name, "fail", f"your own module `{root}`{where} is named like a library the "
                                    f"grader refuses: rename it (e.g. my_{root}) and import it by its new name." if mine
                                    else _forbidden_message(ex, shown + where), "forbidden_import")
            if local not in seen and os.path.isfile(local) and sum(seen.values()) <= _MAX_SOURCE:
                with contextlib.suppress(SyntaxError, ValueError, OSError, RecursionError, MemoryError):  # loading
                    seen[local] = os.path.getsize(local)  # reports them
                    todo.append((local, _parse(local)))
    return tree, None


def _refused(ex: Exercise, library: str) -> bool:
    """Whether `ex` refuses a library of `DENIED`: asyncio only where recursion is (its hint `recursive`), as a task
    awaited starts at depth 0 (and `tqdm.auto`, for one, imports it)."""
    return library != "asyncio" or "recursive" in ex.hints


def _policy(ex: Exercise, path: str, memory_mb: float) -> dict:
    """What the worker refuses for good (`worker._install_policy`): libraries, and the folders the answers lie in."""
    repo = os.path.dirname(_PACKAGE_DIR)
    git = os.path.join(repo, ".git")  # every version of the solutions lies there (in a worktree, .git names a folder
    with contextlib.suppress(OSError), open(git, encoding="utf-8") as fh:  # whose commondir names the one it shares)
        git = os.path.join(repo, fh.read().partition("gitdir:")[2].strip() or ".git")
        with open(os.path.join(git, "commondir"), encoding="utf-8") as common:
            git = os.path.normpath(os.path.join(git, common.read().strip()))
    protect = [os.path.dirname(_WORKER), os.path.join(repo, "tests", "exercises"), git]
    protect += [] if ex.engine else [_PACKAGE_DIR]
    protect += [os.path.abspath(sys.pycache_prefix) + p for p in protect if sys.pycache_prefix]  # compiled there too
    return {"deny": [d for d in DENIED if _refused(ex, d) and not (ex.engine and d == "tinygrad_init")],
            "protect": [p for p in protect if os.path.isdir(p) and not path.startswith(p + os.sep)],
            "message": _forbidden_message(ex, "{name}"), "engine": bool(ex.engine), "memory_mb": memory_mb,
            "threads": "recursive" not in ex.hints, "package_root": repo,  # and where the grader imports from, or ran:
            "path": [os.path.abspath(p) for p in (*sys.path, *map(os.path.dirname, sys.argv[:1]),  # (its .pyc: -X
                                                  sys.pycache_prefix or sys.prefix)  # pycache_prefix; import skips
                     if isinstance(p, (str, os.PathLike))]}  # an entry of sys.path such as b"/opt/lib" or None)


# ------------------------------------------------------------------ the two kinds of session


def _reply(reply: Mapping, call: str) -> tuple[Any, list]:
    """A worker's reply to a call as (output, arguments after the call); raises Raised or _Abort."""
    if "too_large" in reply:
        raise _Abort("fail", f"while running {call}: your function returned more data than the grader "
                             f"accepts ({reply['too_large']}).")
    if "internal" in reply:  # the worker's own fault, or one of the student's code, which runs (and writes) there
        raise _Abort("error", f"the grader's worker failed beside your code (does it change numpy or the grader? If "
                              f"not, please tell your lecturer):\n{reply['internal']}")
    try:
        if "raised" not in reply:
            return wire.from_wire(reply["ok"]), [wire.from_wire(a) for a in reply.get("after", [])]
        raise Raised(reply["raised"], call)  # (held in a local, it and its traceback, holding this frame: a cycle)
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:  # WireError is a ValueError
        raise _Abort("error", _tampered(f"malformed output: {exc}")) from None


def _request(args: Sequence, kwargs: Mapping | None, keep: Sequence[int], calls: int) -> dict:
    return {"op": "call", "args": [wire.encode(a, inputs=True) for a in args], "calls": calls,
            "kwargs": {k: wire.encode(v, inputs=True) for k, v in (kwargs or {}).items()}, "keep": list(keep)}


def _tampered(what: str) -> str:
    return (f"the grader received data it did not ask for ({what}). Your code seems to write into the "
            "grader's private channel; a function gives its answer with `return`, and print() is fine.")


class _Capture(io.TextIOBase):
    """A text stream that keeps the first few thousand characters written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.parts, self.size = [], 0  # what was written (its first few thousand characters), and how much

    def writable(self) -> bool:  # print() asks nothing, but a library may
        return True

    def write(self, s: str) -> int:  # type: ignore[override]
        self.parts.append((s := str(s))[: max(0, _OUTPUT_LIMIT + 1 - self.size)])
        self.size += len(s)
        return len(s)


def _shorten(text: str, total: int) -> str:
    return text[:_OUTPUT_LIMIT] + f"\n... ({total - _OUTPUT_LIMIT} more characters not shown)" * (total > _OUTPUT_LIMIT)


class _Local(Session):
    """The student's file loaded into this process (no time limit): for tests and quick checks."""

    def __init__(self, ex: Exercise, path: str, tree: ast.Module) -> None:
        import numpy as np

        self.ex, self.path, self.tree, self.fn, self.folder = ex, path, tree, None, os.path.dirname(path)
        self.out = _Capture()
        self._saved = (list(sys.path), set(sys.modules), os.getcwd(), np.geterr(), sys.getrecursionlimit(),
                       sys.dont_write_bytecode, np.get_printoptions(), np.random.get_state())  # noqa: NPY002
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("default")  # as a worker shows them: among what the student's code printed
        warnings.showwarning = lambda message, category, file, line, *rest: self.out.write(
            warnings.formatwarning(message, category, file, line))

    def _run(self, thunk: Callable[[], dict]) -> dict:
        streams = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out
        try:
            return json.loads(json.dumps(thunk()))  # the same data a worker would send
        finally:
            sys.stdout, sys.stderr = streams

    def load(self) -> dict:
        sys.path.append(self.folder)
        sys.dont_write_bytecode = True
        return self._run(self._load)

    def _load(self) -> dict:  # in `_run`: what loading the file prints is the student's
        self.fn, reply = wire.load(self.path, self.ex.stem, self.ex.function)
        return reply

    def call(self, call: str, args: Sequence = (), kwargs: Mapping | None = None,
             keep: Sequence[int] = (), calls: int = 1) -> tuple[Any, list]:
        request = json.loads(json.dumps(_request(args, kwargs, keep, calls)))
        return _reply(self._run(lambda: wire.serve(self.fn, request, self.folder)), call)

    def close(self) -> str:
        import numpy as np
        path, modules, cwd, err, limit, dont_write, printing, global_rng = self._saved
        sys.path[:] = path
        sys.setrecursionlimit(limit)
        sys.dont_write_bytecode = dont_write
        np.seterr(**err)
        np.set_printoptions(**printing)
        np.random.set_state(global_rng)  # noqa: NPY002 - the legacy global state a student's seed() changes
        self._warnings.__exit__(None, None, None)
        new = set(sys.modules) - modules  # the student's: this file, and the modules and packages of its folder
        specs = [(name, getattr(sys.modules[name], "__spec__", None)) for name in new if "." not in name]
        mine = {name for name, spec in specs if spec and os.path.dirname(  # a package's folder, or a module's file
            [*(spec.submodule_search_locations or ()), spec.origin][0] or "") == self.folder}
        for name in new:
            if name == self.ex.stem or name.partition(".")[0] in mine:
                del sys.modules[name]
        with contextlib.suppress(OSError):
            os.chdir(cwd)
        return _shorten("".join(self.out.parts), self.out.size)


class _Worker(Session):
    """The student's file in a worker process, with a time limit and a memory limit."""

    def __init__(self, ex: Exercise, path: str, timeout: float, memory_mb: float, startup: float = 60.0) -> None:
        self.ex, self.path, self.timeout, self.startup, self.tree = ex, path, timeout, startup, None  # tree: later
        self.tmp = tempfile.TemporaryDirectory(prefix="tinygrad-init-", ignore_cleanup_errors=True)  # the worker's
        self.fd, self.capture = tempfile.mkstemp(suffix=".txt", dir=self.tmp.name)  # TMPDIR, no classmate's in it
        self.mark = f"TINYGRAD_INIT_WORKER={secrets.token_hex(8)}"  # in the environment of all it starts
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONBREAKPOINT="0", TMPDIR=self.tmp.name)  # breakpoint(): no debugger without a terminal
        env.update({v: os.pathsep.join(map(os.path.abspath, env[v].split(os.pathsep))) for v in (  # relative: "." or
            "PYTHONPATH", "PYTHONPYCACHEPREFIX", "PYTHONUSERBASE") if env.get(v)})  # "" is the grader's folder
        env.update([self.mark.split("=")])
        env.update({v: env.get(v, "1") for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
        self.proc = subprocess.Popen(
            [sys.executable, _WORKER, self.capture, json.dumps(_policy(ex, path, memory_mb))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.fd, cwd=os.path.dirname(path), env=env,
            start_new_session=os.name == "posix")
        self.frames, self.partial, self.deadline, self.own = queue.Queue(), False, float("inf"), 0.0  # own: see `call`
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout.fileno(),), daemon=True)
        self.reader.start()

    def _read(self, fd: int) -> None:
        """The reader thread: frames from the worker into the queue, then ("eof"|"garbled", detail)."""
        try:
            while (header := wire.read_exact(fd, 4)) is not None:
                self.partial = True  # a header without its payload yet: a time-out now means garbage
                if (data := wire.read_exact(fd, wire.parse_frame(header))) is None:
                    break
                self.partial = False
                self.frames.put(("frame", wire.parse_payload(data)))
        except (ValueError, RecursionError) as exc:  # bad JSON (or nested too deep), bad UTF-8
            self.frames.put(("garbled", str(exc)[:200]))
            return
        except OSError:
            pass
        self.frames.put(("eof", None))

    def _send(self, obj: dict, call: str) -> dict:
        """Send a request and wait (until the deadline) for the reply that echoes its tag (`call`: what it runs)."""
        obj["n"] = tag = secrets.token_hex(8)
        threading.Thread(target=self._write, args=(obj,), daemon=True).start()
        kind, frame = self._next(call)
        self.answered = time.monotonic()  # from the answer to the next call, the check computes (see `call`)
        if kind == "frame" and frame.get("n") == tag:
            return frame
        raise _Abort("error", _tampered("a message with the wrong tag" if kind == "frame" else frame))

    def _write(self, obj: dict) -> None:
        with contextlib.suppress(OSError):  # the worker is gone; the reader reports it
            wire.write_frame(self.proc.stdin.fileno(), obj)

    def _next(self, call: str | None = None) -> tuple[str, Any]:  # call: what runs ("" loading; None: no student code)
        try:
            wait = min(max(0.0, self.deadline - time.monotonic()), threading.TIMEOUT_MAX)  # a huge limit: none
            kind, frame = self.frames.get(timeout=wait)
        except queue.Empty:
            if self.partial:
                raise _Abort("error", _tampered("a frame that never ended")) from None
            raise _Abort(*_timed_out(self.ex, self.timeout, call, pending=bool(wait), own=self.own)) from None
        if kind == "eof":
            with contextlib.suppress(subprocess.TimeoutExpired):  # alive after all: its returncode stays None
                self.proc.wait(timeout=5)
            raise _Abort("crash", _crash_message(self.proc.returncode))
        return kind, frame

    def load(self) -> dict:
        self.deadline, kind = time.monotonic() + self.startup, ""
        with contextlib.suppress(_Abort):  # dead, or silent, before the student's file is read: no fault of theirs
            kind, frame = self._next()
        if kind != "frame" or not frame.get("ready"):  # (what it printed, a traceback, is shown as its output)
            code = self.proc.poll()
            why = f"no sign of life within {self.startup:g} s" if code is None else f"exit status {code}"
            raise _Abort("internal", f"the grading process did not start ({why}), before it read your file -- not a "
                                     "mistake of yours; please tell your lecturer (is numpy importable by "
                                     f"{sys.executable}, with this environment's PYTHONPATH?)")
        self.deadline = time.monotonic() + self.timeout
        return self._send({"op": "load", "path": self.path, "stem": self.ex.stem, "function": self.ex.function}, "")

    def call(self, call: str, args: Sequence = (), kwargs: Mapping | None = None,
             keep: Sequence[int] = (), calls: int = 1) -> tuple[Any, list]:
        self.own += time.monotonic() - self.answered  # the check's own computing since the last answer was read
        try:
            return _reply(self._send(_request(args, kwargs, keep, calls), call), call)
        finally:  # reading the answer (a large one takes seconds) is the student's time, as running the code is
            self.answered = time.monotonic()

    def close(self) -> str:
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL) if os.name == "posix" else self.proc.kill()
        _kill_marked(self.mark.encode())
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.reader.join(timeout=2)  # a process that left the group may still hold the pipe: then keep it open
        for stream in (self.proc.stdin,) + ((self.proc.stdout,) if not self.reader.is_alive() else ()):
            with contextlib.suppress(OSError):
                stream.close()
        os.lseek(self.fd, 0, os.SEEK_SET)  # by descriptor: the student's code may have replaced the file at the path
        text, total = os.read(self.fd, _OUTPUT_LIMIT + 1).decode("utf-8", errors="replace"), os.fstat(self.fd).st_size
        os.close(self.fd)
        self.tmp.cleanup()
        return _shorten(text, max(len(text), total))


def _kill_marked(mark: bytes) -> None:
    """Kill the processes whose environment holds `mark` (Linux): what a worker forked that left its process
    group (`os.setsid`), which the group's kill misses."""
    for _ in range(5):  # again, for a child forked meanwhile
        found = False
        for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else ()):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/environ", "rb") as fh:  # OSError: gone, not ours
                if mark in fh.read().split(b"\0"):
                    os.kill(int(pid), signal.SIGKILL)
                    found = True
        if not found:
            return


# ------------------------------------------------------------------ messages


def _timed_out(ex: Exercise, timeout: float, call: str | None, pending: bool, own: float) -> tuple[str, str]:
    during, more = {None: "", "": _LOADING}.get(call, f" while running {call}"), max(30, int(timeout * 3))
    if own * 2 > timeout:  # the check's own computing between its calls (`own` s) took most of it (and CALL the rest)
        return "internal", (f"the check for {ex.name} itself {f'took {own:.1f} s of' if pending else 'ran past'} the "
                            f"time limit of {timeout:g} s before calling {call}{', which then ran past it' * pending} "
                            f"-- not a mistake of yours; please tell your lecturer (or try --timeout {more}).")
    ran = (f"was still running after {timeout:g} s{during}. Look for a loop that never ends (a `while` whose condition "
           "never changes, a stack or queue that never empties) or a function that keeps calling itself. " + "Tests of "
           "your own belong under `if __name__ == '__main__':`, which the grader does not run. " * (call == "")) if \
        pending else f"used up the time limit of {timeout:g} s in its calls before {call}, which was not made. "
    return "timeout", (f"timed out: your code {ran}If it is only slow, raise the limit: --timeout {more} (in Python, "
                       f"grade(..., timeout={more}))." + f"\nhint: {ex.hints.get('timeout')}" * ("timeout" in ex.hints))


def _crash_message(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in set(signal.Signals) else f"signal {-code}"
        return (f"the grading process was killed by {name} while running your code: a crash (in a C "
                "extension, or out of memory?).")
    if code is None:  # alive, but its end of the channel is gone
        return ("the grading process stopped answering while your code ran: did it close or replace file "
                "descriptors it did not open (os.close, os.dup2)?")
    return (f"your code ended the grading process (exit status {code}), e.g. with os._exit(). A function must "
            "`return` its answer.")


def _raised_result(ex: Exercise, exc: Raised, loading: bool, folder: str) -> Result:
    during = _LOADING if loading else f" while running {exc.call}" if exc.call else ""
    where = f"\n  {exc.where}" if exc.where else ""
    if exc.type in ("ImportError", "PermissionError") and exc.message.startswith("write it yourself"):
        return Result(ex.name, "fail", exc.message + where, "forbidden_import")
    if exc.type == "NotImplementedError" and exc.message.startswith(f"{ex.function}: replace this line"):
        return Result(ex.name, "todo", f"not implemented yet: `{ex.function}` still raises NotImplementedError; "
                                       "replace that line with your code.")
    if exc.type == "NotImplementedError":  # the student's own: say where, and for which input
        return Result(ex.name, "todo", f"not implemented yet: your code raised NotImplementedError"
                                       f"{': ' + exc.message if exc.message else ''}{during}.{where}")
    if exc.type == "SystemExit":
        return Result(ex.name, "error", f"your code called sys.exit({'' if exc.code is None else repr(exc.code)})"
                                        f"{during}. A function must `return` its answer instead of exiting.{where}")
    if exc.type == "KeyboardInterrupt":
        return Result(ex.name, "error", f"your code raised KeyboardInterrupt{during}. It is what Ctrl+C raises; "
                                        f"raise it only to stop a program by hand.{where}")
    if exc.type == "MemoryError":
        return Result(ex.name, "error", f"your code ran out of memory{during} (each exercise may use about 1 GB): "
                                        f"look for an array far larger than the inputs.{where}")
    if exc.type == "OSError" and "File too large" in exc.message:  # the worker's RLIMIT_FSIZE
        return Result(ex.name, "error", f"your code printed (or wrote to a file) more than {wire.MAX_WRITTEN >> 20} "
                                        f"MB{during}: look for a print() in a loop that never ends.{where}")
    message = f"{exc.type}: {exc.message}" if exc.message else exc.type
    if exc.type == "TypeError" and not exc.file and exc.message.startswith(f"{ex.function}() "):
        return Result(ex.name, "error", f"the grader could not call your function: {message}{during}. Keep the "
                                        f"arguments of the stub: def {_signature(ex)}.")
    name = exc.message.partition({"ImportError": " from '", "AttributeError": "module '"}.get(exc.type, "\0"))[
        2].partition("'")[0]  # a module imported in place of the student's, named alike (`import test`, `import code`)
    own = (f"\nYour {name}.py is not what `import {name}` gives: the grader puts your folder last on the path, after "
           f"Python's and the installed modules, lest a scratch file break them. Rename it (e.g. my_{name}).") \
        if os.path.isfile(os.path.join(folder, f"{name}.py")) and (name in sys.stdlib_module_names or
                                                                   f"{os.sep}{name}{os.sep}" in exc.message) else ""
    return Result(ex.name, "error", f"your code raised {message}{during}{where}{own}")


def _signature(ex: Exercise) -> str:
    """`mul_backward(a, b, upstream)`: the function's name and arguments in the stub (without annotations)."""
    with open(ex.stub, encoding="utf-8") as fh:
        fn = next(n for n in ast.parse(fh.read()).body if isinstance(n, ast.FunctionDef) and n.name == ex.function)
    for arg in fn.args.args + fn.args.kwonlyargs:
        arg.annotation = None
    return f"{ex.function}({ast.unparse(fn.args)})"


# ------------------------------------------------------------------ grading


def grade_file(exercise: Exercise | str, path: str, isolate: bool = True, timeout: float = 10.0,
               memory_mb: float = 1024, session: Session | None = None) -> Result:
    """Grade the student's file at `path` for `exercise`; never raises (except KeyboardInterrupt).

    Args:
        exercise: an `Exercise` or anything `catalog.resolve` accepts.
        path: the student's file.
        isolate: run the student's code in a worker process (see the module's docstring).
        timeout: seconds allowed for loading the file and running the check (with `isolate`).
        memory_mb: memory the worker may use beyond what it maps at start (with `isolate`).
        session: a worker started beforehand for this exercise and file (used by `run_isolated`).
    """
    ex = exercise if isinstance(exercise, Exercise) else resolve(exercise)
    if isinstance(session, _Direct):
        tree, verdict = session.tree, None
    elif not os.path.isfile(path):
        return Result(ex.name, "missing", f"not started: {os.path.abspath(path)} " + (
            "is a folder, not a file: move it away" if os.path.isdir(path) else "does not exist"))
    else:
        path = os.path.abspath(path)
        tree, verdict = _static(ex, path)
    if verdict is not None:
        if session is not None:
            session.close()  # type: ignore[attr-defined]
        return verdict
    if session is None:
        session = _Worker(ex, path, timeout, memory_mb) if isolate else _Local(ex, path, tree)
    session.tree = tree
    loading = True
    try:
        reply = session.load()  # type: ignore[attr-defined]
        if "raised" in reply or "internal" in reply:
            _reply(reply, "")
        if "missing" in reply:  # a misspelt name, or a def in a class, a def or a block the import did not run
            near = difflib.get_close_matches(ex.function, [getattr(d, "name", "") for d in ast.walk(tree)])
            raise CheckFailure(f"your file defines no function `{ex.function}`" + (" at its top level (yours is in a "
                               "class, a def or a block the grader does not run, such as if __name__ == '__main__':)"
                               if ex.function in near else f" (it has `{near[0]}`)" if near else "") + f". Keep the "
                               f"stub's name and arguments (`tinygrad-init exercises start DIR {ex.label} --force` "
                               "gives you the stub again, in place of your file).")
        if "not_callable" in reply:  # (its description decoded as an answer is: forged, it is tampering)
            what = describe(_reply({"ok": reply["not_callable"]}, "")[0])
            raise CheckFailure(f"`{ex.function}` in your file is {what}, not a function.")
        loading = False
        ex.check(session)
        if session.changed: raise CheckFailure(session.changed)  # noqa: E701 (a right answer that changed one)
        result = Result(ex.name, "pass")
    except CheckFailure as exc:  # a wrong answer that changed an argument in place: often why it is wrong, said too
        message = str(exc) + (f"\nhint: {ex.hint(exc.mistake)}" if exc.mistake else "") + (
            f"\nand: {session.changed}" if session.changed not in ("", str(exc)) else "")
        result = Result(ex.name, "fail", message, exc.mistake)
    except Raised as exc:
        result = _raised_result(ex, exc, loading, os.path.dirname(path))
    except _Abort as exc:
        result = Result(ex.name, exc.status, exc.message)
    except Exception as exc:  # noqa: BLE001 - a bug in a check must not be blamed on the student
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:]).rstrip()
        result = Result(ex.name, "internal", f"the check for {ex.name} itself failed -- not a mistake of yours; "
                                             f"please tell your lecturer:\n{detail}")
    finally:
        output = session.close()  # type: ignore[attr-defined]
    return replace(result, output=output)


def check_file(exercise: Exercise | str, path: str) -> Result:
    """Grade `path` in this process: the same checks, no time or memory limit (for tests and quick runs)."""
    return grade_file(exercise, path, isolate=False)


class _Direct(_Local):
    """A Python function checked in this process, as if a student's file defined it (for tests)."""

    def __init__(self, ex: Exercise, fn: Callable) -> None:
        super().__init__(ex, "<function>", ast.parse(""))
        self.fn = fn

    def load(self) -> dict:
        return {"ok": True}


def check_function(exercise: Exercise | str, fn: Callable) -> Result:
    """Run `exercise`'s check on a Python function (e.g. the library's own version) in this process."""
    ex = exercise if isinstance(exercise, Exercise) else resolve(exercise)
    return grade_file(ex, "<function>", session=_Direct(ex, fn))


def run_isolated(directory: str, exercises: Sequence[Exercise], timeout: float = 10.0,
                 memory_mb: float = 1024) -> dict[str, Result]:
    """Grade `exercises` (whose files exist in `directory`) each in its own worker; `{name: Result}`.

    The next worker starts (and imports numpy) while the current exercise is graded.
    """
    directory = os.path.abspath(directory)
    paths = [os.path.join(directory, ex.file) for ex in exercises]
    results: dict[str, Result] = {}
    started: dict[int, _Worker] = {}
    try:
        for i, ex in enumerate(exercises):
            session = started.pop(i, None) or _Worker(ex, paths[i], timeout, memory_mb)
            if i + 1 < len(exercises):
                started[i + 1] = _Worker(exercises[i + 1], paths[i + 1], timeout, memory_mb)
            results[ex.name] = grade_file(ex, paths[i], timeout=timeout, memory_mb=memory_mb, session=session)
    finally:
        for spare in started.values():
            spare.close()
    return results
