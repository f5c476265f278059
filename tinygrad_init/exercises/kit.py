"""What an exercise is made of, and what its check is written with.

An exercise is one folder, `exNN_name/`:

- `__init__.py` defines `EXERCISE = Exercise(...)` (number, name, the function the student
  writes, title, tutorial, what it is about, and **one hint per known mistake**, the hint
  `timeout` added to a time-out's message; a hint `recursive` refuses threads, asyncio) and `check(run)`;
- `stub.py` is the student's starting file: the statement in its docstring, a body that raises
  `NotImplementedError`;
- `wrong.py` holds known-wrong answers, one section per mistake (`# wrong: KEY` starts a section,
  `KEY` a key of the hints); the tests grade each and expect exactly that hint.

`check(run)` runs in the grader's process. It calls the student's function through `run` -- `got = run(call, *args)`,
where `call` describes the call for messages -- and gets back plain data: numbers, arrays, tuples, lists, dicts, or an
`Opaque` description of anything else. It compares them with references it computes itself, and raises `fail(detail,
KEY)` for a wrong answer. When the student's code raises, `run` raises `Raised` (a check may catch it to name a
mistake). Before the generic "expected ..., got ..." message a check compares the answer with what each known mistake
would give, so that the message can name the mistake.
"""

from __future__ import annotations

import ast
import ctypes
import decimal
import importlib
import math
import numbers
import os
import re
import sys
import threading
import time
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import numpy as np

from .reading import mentions, never_run, recursive_functions  # the checks take them from the kit
from .worker import NodeRef, Opaque, encode

__all__ = ["INIT_HINTS", "SIGN_HINTS", "CheckFailure", "DType", "Exercise", "Fn", "Graph", "NodeRef", "Opaque",
           "Raised", "Rng", "Session", "check_randomness", "close", "describe", "diagnose", "draw", "expect_array",
           "expect_float", "expect_sequence", "fail", "finite", "fmt", "fmt_both", "kurtosis", "max_error", "mentions",
           "never_run", "recursive_functions", "same", "sections", "summary", "unseen"]

_HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Attributes:
        number: its position in the list (1, 2, ...), also in the file name (`ex01_...`).
        name: the short name used on the command line and in the file name.
        function: the function the student writes.
        title: one line saying what it is about.
        tutorial: the tutorial it belongs to (a key of `catalog.TUTORIALS`).
        about: what the student practises, for "write it yourself: this exercise is about ...".
        hints: mistake key -> what to tell a student whose answer shows that mistake.
        engine: names the student may import from `tinygrad_init` (e.g. `("Tensor",)`) when the
            exercise builds on the engine; empty when it asks for the computation itself.
    """

    number: int
    name: str
    function: str
    title: str
    tutorial: int
    about: str
    hints: Mapping[str, str] = field(default_factory=dict)
    engine: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """The module name of the student's file and of the exercise's folder, e.g. `ex01_mul_backward`."""
        return f"ex{self.number:02d}_{self.name}"

    @property
    def file(self) -> str:
        """The student's file name, e.g. `ex01_mul_backward.py`."""
        return self.stem + ".py"

    @property
    def label(self) -> str:
        """`ex01`: the short label in the grader's output."""
        return f"ex{self.number:02d}"

    @property
    def folder(self) -> str:
        """The exercise's folder in the package."""
        return os.path.join(_HERE, self.stem)

    @property
    def stub(self) -> str:
        """The student's starting file."""
        return os.path.join(self.folder, "stub.py")

    @property
    def check(self) -> Callable[[Session], None]:
        """The exercise's `check(run)`; a failure that names a mistake the hints lack (a misspelt key) is the check's
        own bug: a KeyError naming the known keys, which the grader reports as such, never the student's. With a
        session that has a deadline (a worker's), it runs within `_bounded`: a check that never ends cannot hold the
        grader."""
        check = importlib.import_module(f"{__package__}.{self.stem}").check

        def checked(run: Session) -> None:
            try:
                _bounded(check, run) if math.isfinite(run.deadline) else check(run)
            except CheckFailure as exc:
                if exc.mistake is not None:
                    self.hint(exc.mistake)
                raise

        return checked

    def wrong_answers(self) -> list[tuple[str, str]]:
        """The known-wrong answers of `wrong.py`: `(mistake key, source of a whole student file)`."""
        return sections(os.path.join(self.folder, "wrong.py"), "wrong")

    def hint(self, mistake: str) -> str:
        """The hint for `mistake` (KeyError naming the known ones, for lecturers writing checks)."""
        try:
            return self.hints[mistake]
        except KeyError:
            raise KeyError(f"exercise {self.name!r} has no hint {mistake!r}; known: {sorted(self.hints)}") from None


def sections(path: str, word: str) -> list[tuple[str, str]]:
    """Split a file into sections that start with a line `# <word>: KEY`; returns `(KEY, text)` pairs."""
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    heads = list(re.finditer(rf"^# {word}: (\w+)[ \t]*$", text, flags=re.MULTILINE))
    return [(m.group(1), text[m.start(): heads[i + 1].start() if i + 1 < len(heads) else len(text)])
            for i, m in enumerate(heads)]


class Session:
    """What a check talks to: the student's loaded file, and a way to call its function.

    Attributes:
        tree: the student's file, parsed (for checks that look at the code itself).
        path: the student's file.
        changed: the first call that changed an argument (array or list) in place, or "": the grader fails
            an answer for it once the check has passed, so that a wrong answer keeps its usual message.
        deadline: when (`time.monotonic()`) the time limit of `timeout` seconds is up, or inf: no limit (the
            student's file loaded in the grader's own process).
    """

    tree: ast.Module
    path: str
    changed: str = ""
    deadline: float = math.inf
    timeout: float = math.inf

    def __call__(self, call: str, *args: Any, **kwargs: Any) -> Any:
        """Call the student's function on `args`; return its output as plain data (`call` describes it)."""
        keep = [i for i, a in enumerate(args) if isinstance(a, (np.ndarray, list, tuple))]
        out, after = self.call(call, args, kwargs, keep)
        for i, value in zip(keep, after):
            if not self.changed and not _unchanged(args[i], value):
                self.changed = (f"{call} changed its argument {i + 1} in place ({describe(args[i])}). A function must "
                                "leave what it is given as it was (the caller still needs it): work on a copy "
                                "(x = x.copy()), or write x = x - m rather than x -= m.")
        return out

    def call(self, call: str, args: Sequence = (), kwargs: Mapping[str, Any] | None = None,
             keep: Sequence[int] = (), calls: int = 1) -> tuple[Any, list]:
        """Like `__call__` (`calls` times on the same arguments: the last output), and the state of those at `keep`."""
        raise NotImplementedError


def _unchanged(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        return isinstance(after, np.ndarray) and after.shape == before.shape and after.dtype == before.dtype \
            and np.array_equal(before, after, equal_nan=before.dtype.kind == "f")
    if isinstance(before, (list, tuple)):
        return isinstance(after, (list, tuple)) and len(after) == len(before) and all(map(_unchanged, before, after))
    return before == after or (before != before and after != after)


def _bounded(check: Callable[[Session], None], run: Session) -> None:
    """`check(run)` in a thread of its own, waited for until `run.timeout` s past `run.deadline`, where the session
    ends a student's call still running; the check's own computing is not bounded so, and one that never ends would
    hold the grader. Past the wait, the thread is stopped at its next line of Python (CPython's API; a C call, a
    sleep, ends in its own time: a daemon left behind) and TimeoutError raised here, with the check's frames as its
    traceback (where it was); what the check raised in time is raised here as it is."""
    outcome: list = []

    def target() -> None:
        try:
            check(run)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed as it is to the grader's thread
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        thread.join(min(max(0.0, run.deadline + run.timeout - time.monotonic()), threading.TIMEOUT_MAX))
    finally:  # (also when Ctrl+C ends the wait: no check runs on unseen)
        frame = stopped = None if outcome else sys._current_frames().get(thread.ident)  # stopped: what it hands
        if frame is not None and hasattr(ctypes, "pythonapi"):  # over now is this SystemExit (not CPython: runs on)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit))
    if stopped is None and outcome and outcome[0] is not None:
        raise outcome[0]
    tb = None  # the check's frames, innermost last, up to `target`'s
    while frame is not None and frame.f_code is not target.__code__:
        tb, frame = types.TracebackType(tb, frame, frame.f_lasti, frame.f_lineno), frame.f_back
    if stopped is not None or not outcome:
        raise TimeoutError(f"the check was still running {run.timeout:g} s past the time limit of {run.timeout:g} s, "
                           "at the line above: it never ends, or computes far too much").with_traceback(tb)


class CheckFailure(AssertionError):
    """A wrong answer. `mistake` is the key of the recognised mistake, or None."""

    def __init__(self, message: str, mistake: str | None = None) -> None:
        super().__init__(message)
        self.mistake = mistake


def fail(detail: str, mistake: str | None = None) -> NoReturn:
    """Raise a `CheckFailure`: `detail`, and the grader adds the hint for `mistake` when given."""
    raise CheckFailure(detail, mistake)


class Raised(Exception):
    """The student's code raised an exception (its type, message and where) during the call `call`; `kinds` names
    its type and the types it derives from."""

    def __init__(self, info: Mapping[str, Any], call: str) -> None:
        super().__init__(info.get("type"))
        self.type: str = str(info.get("type", ""))
        self.message: str = str(info.get("message", ""))
        self.file: str = str(info.get("file", ""))
        self.line: int = int(info.get("line") or 0)
        self.function: str = str(info.get("function", ""))
        self.text: str = str(info.get("text", ""))
        self.code: Any = info.get("code")
        self.kinds: list[str] = [str(k) for k in info.get("kinds") or ()][:50]
        self.call = call

    @property
    def where(self) -> str:
        """`at ex02_pow_backward.py, line 3, in pow_backward:  return ...` (empty when unknown)."""
        if not self.file:
            return ""
        where = f"at {self.file}, line {self.line}" + (f", in {self.function}" if self.function else "")
        return f"{where}:  {self.text}" if self.text else where


# ------------------------------------------------------------------ inputs that are not plain data


class Rng:
    """An input the worker turns into `np.random.default_rng(seed)`."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __wire__(self) -> dict:
        return {"t": "rng", "seed": self.seed}


class DType:
    """An input the worker turns into a numpy scalar type such as `np.float32`."""

    def __init__(self, dtype: Any) -> None:
        self.name = np.dtype(dtype).name

    def __wire__(self) -> dict:
        return {"t": "dtype", "name": self.name}


class Graph:
    """A graph of nodes, each `(label, parent indices)`, in an order where parents come first; the last is the root.

    It travels shuffled afresh at each grading (the root still last), so that the worker holds no order of it where
    parents come first, nor one that undoes a known shuffle: `index[i]` is the index here of the node the worker
    numbers `i`.
    """

    def __init__(self, nodes: Sequence[tuple[str, Sequence[int]]]) -> None:
        self.nodes = [(label, list(parents)) for label, parents in nodes]
        self.index = [*np.random.default_rng().permutation(len(nodes) - 1).tolist(), len(nodes) - 1]

    def __wire__(self) -> dict:
        at = {n: i for i, n in enumerate(self.index)}
        return {"t": "graph", "nodes": [(self.nodes[n][0], [at[p] for p in self.nodes[n][1]]) for n in self.index]}


class Fn:
    """A function handed to the student: `worker.FUNCTIONS[name](arg)`."""

    def __init__(self, name: str, arg: Any) -> None:
        self.name, self.arg = name, arg

    def __wire__(self) -> dict:
        return {"t": "fn", "name": self.name, "arg": encode(self.arg)}


# ------------------------------------------------------------------ describing values


def describe(value: Any) -> str:
    """A short description of a value's type (and shape): "a list of 3 items", "an ndarray of shape (3, 4)"."""
    if value is None:
        return "None (did you forget `return`?)"
    if isinstance(value, np.ndarray) or isinstance(value, Opaque) and value.dtype is not None:  # or non-numeric
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (bool, np.bool_)):
        return f"a bool ({value})"
    if isinstance(value, numbers.Real):
        return f"{'an int' if isinstance(value, numbers.Integral) else 'a float'} ({fmt(value)})"
    if isinstance(value, (list, tuple)) or isinstance(value, Opaque) and value.length is not None:  # or a set
        kind, n = (value.type, value.length) if isinstance(value, Opaque) else (type(value).__name__, len(value))
        return f"a {kind} of {n} item{'s' if n != 1 else ''}"
    if isinstance(value, dict):
        return f"a dict of {len(value)} entr{'ies' if len(value) != 1 else 'y'}"
    if isinstance(value, Opaque):
        article = "an" if value.type[:1].lower() in "aeiou" else "a"
        return f"{article} {value.type}"
    return f"a {type(value).__name__}"


def fmt(x: Any, digits: int = 6) -> str:
    """Numbers with `digits` significant digits, arrays and lists compactly (12 items at most), everything else
    with repr (shortened)."""
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    if isinstance(x, numbers.Integral) and abs(int(x)) > 2**1000:  # beyond float's range
        return f"{decimal.Decimal(int(x)):.{digits}g}"
    if isinstance(x, numbers.Real):
        return f"{float(x):.{digits}g}"
    if isinstance(x, np.ndarray):
        if x.ndim == 1 and x.size <= 12 and x.dtype.kind in "fiu":
            return "[" + ", ".join(f"{float(v):.{digits}g}" for v in x) + "]"
        with np.printoptions(precision=digits - 1, threshold=12, edgeitems=2, linewidth=100):
            return np.array2string(x, separator=", ")
    if isinstance(x, (tuple, list)):
        inner = ", ".join([fmt(v, digits) for v in x[:12]] + ["..."] * (len(x) > 12))
        return f"({inner})" if isinstance(x, tuple) else f"[{inner}]"
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def fmt_both(got: Any, expected: Any) -> tuple[str, str]:
    """`fmt` of an answer and of the expected value, with more digits where 6 show no difference."""
    for digits in (6, 9, 12, 17):
        shown = fmt(got, digits), fmt(expected, digits)
        if shown[0] != shown[1]:
            break
    return shown


def _engine_hint(value: Any) -> str:
    return " Return a plain number or array, e.g. its .data." * (isinstance(value, Opaque) and value.data is not None)


# ------------------------------------------------------------------ type checks


def expect_float(value: Any, what: str) -> float:
    """`value` as a float (Python and numpy numbers and 0-d arrays), or a failure naming what it is instead; a float32
    (or float16) number stays one, so that `same` judges it to float32's precision."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
        value = value[()]
    if isinstance(value, np.floating) and value.dtype.itemsize < 8:
        return value  # type: ignore[return-value]
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        try:
            return float(value)
        except OverflowError:
            fail(f"{what}: expected a number (a float), got an int too large for a float ({fmt(value)}).")
    fail(f"{what}: expected a number (a float), got {describe(value)}.{_engine_hint(value)}")


def expect_sequence(value: Any, n: int, what: str, names: str) -> Sequence:
    """`value` as a tuple or list of `n` items (`names` says which, e.g. "(da, db)"); a 1-D array of numbers unpacks
    as one (`da, db = np.array([...])`)."""
    if isinstance(value, np.ndarray) and value.shape == (n,) and value.dtype.kind in "fiu":
        value = tuple(value)
    if not isinstance(value, (tuple, list)) or len(value) != n:
        fail(f"{what}: expected a tuple of {n} items {names}, got {describe(value)}.")
    return value


def expect_array(value: Any, shape: tuple[int, ...], what: str, dtype: Any = None) -> np.ndarray:
    """`value` as a numeric ndarray of `shape` (and `dtype` when given), or a plain-words failure."""
    numbers = isinstance(value, Opaque) and value.dtype is not None  # an array of objects or strings
    wanted = f"an ndarray of shape {tuple(shape)}" + " of real numbers" * numbers
    if not isinstance(value, np.ndarray):
        extra = " Convert it with np.array(...)." if isinstance(value, (list, tuple)) else _engine_hint(value)
        fail(f"{what}: expected {wanted}, got {describe(value)}.{extra}")
    if value.dtype.kind not in "fiu":
        fail(f"{what}: expected {wanted} of real numbers, got dtype {value.dtype}.")
    if value.shape != tuple(shape):
        fail(f"{what}: expected {wanted}, got shape {value.shape}.")
    if dtype is not None and value.dtype != np.dtype(dtype):
        fail(f"{what}: expected dtype {np.dtype(dtype)}, got {value.dtype}.", "dtype")
    return value


# ------------------------------------------------------------------ comparisons


def _as_numbers(value: Any) -> np.ndarray | None:
    if isinstance(value, (bool, np.bool_)) or value is None:
        return None
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.dtype.kind in "fiu" else None
    try:
        if isinstance(value, numbers.Real):
            return np.asarray(float(value))
        if isinstance(value, (tuple, list)):
            value = np.asarray(value)  # strings, bools and objects inside are not numbers
            return value.astype(np.float64) if value.dtype.kind in "fiu" else None
    except (TypeError, ValueError, OverflowError):  # not numbers, a ragged list, an int beyond float's range
        return None
    return None


_EPS64 = float(np.finfo(np.float64).eps)


def _eps(value: Any) -> float:
    """The machine epsilon of the least precise floats in `value` (float64's for Python numbers), at most float32's:
    100 eps of float16 would be a 10% slack."""
    if isinstance(value, (np.ndarray, np.floating)) and value.dtype.kind == "f":
        return float(np.finfo(np.result_type(value.dtype, np.float32)).eps)
    if isinstance(value, (tuple, list)):
        return max((_eps(v) for v in value), default=_EPS64)
    return _EPS64


def same(value: Any, expected: Any, rtol: float = 1e-7, atol: float = 1e-10) -> bool:
    """True when `value` has `expected`'s shape and the same numbers (within tolerance); NaN never equals.

    Numbers in float32 are judged to their own precision (float16 ones to float32's): `rtol` grows to at least
    `100 eps` (`eps` that type's machine epsilon) and a non-zero `atol` to `100 eps max|expected|`; `atol=0`
    keeps the comparison relative, entry by entry.
    Never raises: anything that is not numbers of the right shape is simply "not the same".
    """
    a, b = _as_numbers(value), _as_numbers(expected)
    if a is None or b is None or a.shape != b.shape:
        return False
    eps = max(_eps(value), _eps(expected))
    if eps > _EPS64:
        with np.errstate(all="ignore"):
            scale = float(np.max(np.abs(b), initial=0.0))
        rtol = max(rtol, 100 * eps)
        atol = max(atol, 100 * eps * scale) if atol > 0 and math.isfinite(scale) else atol
    with np.errstate(all="ignore"):
        return bool(np.all(np.isfinite(a)) and np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def optional(name: str, value: Any, default: Any, text: Callable[[Any], str] = fmt) -> tuple[tuple, Any, str]:
    """A case's optional argument `name`: None leaves it out of the call (the stub's `default` is checked), else it is
    given. Returns the arguments to pass, the value the answer should use, and its text in the call shown."""
    return ((), default, "") if value is None else ((value,), value, f", {name}={text(value)}")


def unseen(cases: Sequence, make: Callable[[np.random.Generator], Any]) -> list:
    """`cases`, then one more that `make` draws afresh at each grading: an answer that looks the published
    cases up in a table fails it (it comes last, so that the message for a usual mistake stays the same). A draw
    that is a published case (ex11's (4, 6, 5): once in 18,000) is drawn again: a table would answer it."""
    gen, published = np.random.default_rng(), {repr(case) for case in cases}
    while repr(fresh := make(gen)) in published:
        pass
    return [*cases, fresh]


def diagnose(got: Any, detail: str, candidates: Sequence[tuple[str, Any]], rtol: float = 1e-7,
             atol: float = 1e-10) -> None:
    """Fail with the first mistake whose answer `got` equals: `candidates` are `(key, wrong answer)` pairs.

    A wrong answer of None is skipped (a mistake that gives no number on this input).
    """
    for key, wrong in candidates:
        if wrong is not None and same(got, wrong, rtol, atol):
            fail(detail, key)


def max_error(value: Any, expected: np.ndarray) -> str:
    """"largest difference 0.25 at index (1, 2) (got ..., expected ...)" for messages."""
    if (arr := np.asarray(value)).dtype.kind not in "biuf":  # complex (a cast drops .imag, and warns), text, objects
        return f"{describe(value)}, not an array of real numbers"
    with np.errstate(all="ignore"):
        diff = np.abs((value := arr.astype(np.float64)) - expected)
    if diff.size == 0:
        return "no elements"
    if not np.all(np.isfinite(diff)):
        return f"non-finite value (nan or inf) at index {tuple(int(i) for i in np.argwhere(~np.isfinite(diff))[0])}"
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
    got, want = fmt_both(float(value[idx]), float(expected[idx]))
    return (f"largest difference {fmt(float(diff[idx]))} at index {tuple(int(i) for i in idx)} "
            f"(got {got}, expected {want})")


def finite(value: Any) -> bool:
    """True when `value` is numbers, all of them finite."""
    a = _as_numbers(value)
    return a is not None and bool(np.all(np.isfinite(a)))


def close(x: float, y: float, rel: float) -> bool:
    """`|x - y| <= rel * |y|`."""
    return math.isfinite(x) and abs(x - y) <= rel * abs(y)


#: The hint of a backward rule whose sign is wrong on one input after it was right on an earlier one (ex01, ex03,
#: ex04): a global sign error ("sign") fails the first input already.
SIGN_HINTS = {
    "sign_some_inputs": "your answer has the right size but the wrong sign on this input, and had the right sign on an "
                        "earlier one: its sign depends on the signs of the inputs (an abs(), or a test such as "
                        "`if x < 0`). The chain rule needs neither: upstream times the local derivative has the "
                        "right sign for every input.",
}


# ------------------------------------------------------------------ initialization schemes (ex12, ex13, ...)

#: The hints every initialization exercise shares (merged into its own).
INIT_HINTS = {
    "ignores_rng": "the same seed gave different numbers: draw from the generator made from `rng` "
                   "(np.random.default_rng(rng)), not from np.random.* or a generator of your own.",
    "fixed_seed": "different seeds gave the same numbers: use the `rng` argument instead of a seed of your own.",
    "global_seed": "np.random.seed(rng) reseeds numpy's global generator, and fails when rng is a Generator. "
                   "Make a generator from the argument, gen = np.random.default_rng(rng), and draw from it.",
    "rng_not_converted": "rng may be an int seed, None or a Generator: turn it into a Generator first, "
                         "gen = np.random.default_rng(rng), then call gen.uniform(...) or gen.normal(...).",
    "integer_division": "every number is 0: the scale came out as 0, as integer division does "
                        "(6 // 500 == 0). Divide with /.",
    "dtype": "return the dtype asked for: .astype(dtype) (np.float32 by default).",
}


def draw(run: Session, function: str, shape: tuple[int, ...], rng: Any, dtype: Any = None) -> np.ndarray:
    """Call an initialization scheme `function(shape, rng=..., dtype=...)` and check shape, dtype, finiteness."""
    seed = f"np.random.default_rng({rng.seed})" if isinstance(rng, Rng) else repr(rng)
    kwargs = {"rng": rng} if dtype is None else {"rng": rng, "dtype": DType(dtype)}
    call = f"{function}({shape}, rng={seed}" + ("" if dtype is None else f", dtype=np.{np.dtype(dtype).name}") + ")"
    try:
        got = run(call, shape, **kwargs)
    except Raised as exc:
        if exc.type == "TypeError" and re.search(r"\bseed\(", exc.text):  # np.random.seed(rng), not seed.uniform(...)
            fail(f"{call} raised TypeError: {exc.message}.", "global_seed")
        if (exc.type == "AttributeError" and ("'int'" in exc.message or "'NoneType'" in exc.message)
                or exc.type in ("TypeError", "ValueError") and isinstance(rng, Rng)):  # RandomState(a Generator)
            fail(f"{call} raised {exc.type}: {exc.message}.", "rng_not_converted")
        raise
    arr = expect_array(got, shape, call)
    want = np.dtype(np.float32 if dtype is None else dtype)
    if arr.dtype != want:
        fail(f"{call} returned dtype {arr.dtype}; expected {want.name}"
             + (" (the default dtype is np.float32)." if dtype is None else "."), "dtype")
    if not np.all(np.isfinite(arr)):
        fail(f"{call} returned nan or inf.")
    if not np.any(arr):
        fail(f"{call} returned only zeros.", "integer_division")
    return arr


def check_randomness(run: Session, function: str, shape: tuple[int, ...]) -> None:
    """Same seed, same numbers; different seeds, different numbers; a Generator drawn from, None a fresh seed."""
    a, b = draw(run, function, shape, 0), draw(run, function, shape, 0)
    if not np.array_equal(a, b):
        fail(f"{function}({shape}, rng=0) returned different numbers on two calls.", "ignores_rng")
    if np.array_equal(a, draw(run, function, shape, 1)):
        fail(f"{function}({shape}, rng=0) and rng=1 returned the same numbers.", "fixed_seed")
    c = draw(run, function, shape, Rng(123))
    if not np.array_equal(c, draw(run, function, shape, Rng(123))):
        fail(f"{function}({shape}, rng=np.random.default_rng(123)) returned different numbers for two "
             "generators in the same state.", "ignores_rng")
    if not np.array_equal(c, draw(run, function, shape, 123)):  # np.random.default_rng(gen) is gen itself
        fail(f"{function}({shape}, rng=np.random.default_rng(123)) and rng=123 returned different numbers.",
             "ignores_rng")
    if np.array_equal(draw(run, function, shape, None), draw(run, function, shape, None)):
        fail(f"{function}({shape}, rng=None) returned the same numbers on two calls: None asks for a fresh seed "
             "from the operating system.", "fixed_seed")


def kurtosis(w: np.ndarray) -> float:
    """E[w^4] / E[w^2]^2 around the sample mean: 3 for a normal, 1.8 for a uniform, ~2.37 truncated at 2 sigma."""
    d = w.astype(np.float64) - w.mean()
    return float(np.mean(d**4) / np.mean(d**2) ** 2)


def summary(w: np.ndarray) -> str:
    """"mean ..., std ..., max |w| ..." of an array, for messages."""
    w = w.astype(np.float64)
    return f"mean {fmt(w.mean())}, std {fmt(w.std())}, max |w| {fmt(np.abs(w).max())}"
