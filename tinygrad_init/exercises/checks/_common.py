"""What every check uses: the failure type, type and shape checks with plain-words messages,
safe comparisons, and number formatting.

A check is a function ``check(module)`` that calls the student's function on fixed inputs and
raises :class:`CheckFailure` when an answer is wrong. Before the generic "expected ..., got ..."
message it compares the answer with what each known mistake would give, so that the message can
name the mistake (the hint text lives in :mod:`tinygrad_init.exercises.catalog`).

Exceptions raised by the student's own code are not caught here: the grader reports them with the
line of the student's file where they happened, and with the description of the call the check
was making -- a check keeps it in a local variable named ``call`` (or ``what``), a string such as
``"mul_backward(a=3, b=-2, upstream=0.5)"``.
"""

from __future__ import annotations

import numbers
from types import ModuleType
from typing import Any, Callable, Sequence

import numpy as np

from ..catalog import Exercise

__all__ = [
    "CheckFailure", "fail", "student_function", "describe", "fmt", "expect_float", "expect_array",
    "expect_sequence", "same", "raised_in", "call_repr", "max_error",
]


class CheckFailure(AssertionError):
    """A wrong answer. ``mistake`` is the catalog's key of the recognised mistake, or None."""

    def __init__(self, message: str, mistake: str | None = None) -> None:
        super().__init__(message)
        self.mistake = mistake


def fail(ex: Exercise, detail: str, mistake: str | None = None) -> None:
    """Raise a :class:`CheckFailure`: ``detail``, then the hint for ``mistake`` when given."""
    message = detail if mistake is None else f"{detail}\nhint: {ex.hint(mistake)}"
    raise CheckFailure(message, mistake)


def student_function(module: ModuleType, ex: Exercise) -> Callable:
    """The function the exercise asks for, or a failure saying it is missing."""
    fn = getattr(module, ex.function, None)
    if fn is None:
        fail(ex, f"your file defines no function `{ex.function}`. Keep the name and the arguments of the "
                 f"stub (start again from it with `tinygrad-init exercises start DIR {ex.name} --force`, "
                 "which replaces the file).")
    if not callable(fn):
        fail(ex, f"`{ex.function}` in your file is {describe(fn)}, not a function.")
    return fn


# ------------------------------------------------------------------ describing values


def describe(value: Any) -> str:
    """A short description of a value's type (and shape): "a list of 3 items", "an ndarray of shape (3, 4)"."""
    if value is None:
        return "None (did you forget `return`?)"
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, bool):
        return f"a bool ({value})"
    if isinstance(value, (numbers.Integral, numbers.Real)):
        kind = "an int" if isinstance(value, numbers.Integral) else "a float"
        return f"{kind} ({fmt(value)})"
    if isinstance(value, (list, tuple)):
        kind = type(value).__name__
        n = len(value)
        return f"a {kind} of {n} item{'s' if n != 1 else ''}"
    if isinstance(value, dict):
        n = len(value)
        return f"a dict of {n} entr{'ies' if n != 1 else 'y'}"
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def fmt(x: Any) -> str:
    """Numbers with 6 significant digits, arrays compactly, everything else with repr (shortened)."""
    if isinstance(x, bool):
        return repr(x)
    if isinstance(x, numbers.Real):
        return f"{float(x):.6g}"
    if isinstance(x, np.ndarray):
        if x.ndim == 1 and x.size <= 12 and x.dtype.kind in "fiu":
            return "[" + ", ".join(f"{float(v):.6g}" for v in x) + "]"
        with np.printoptions(precision=5, suppress=False, threshold=12, edgeitems=2, linewidth=100):
            return np.array2string(x, separator=", ")
    if isinstance(x, (tuple, list)):
        inner = ", ".join(fmt(v) for v in x)
        return f"({inner})" if isinstance(x, tuple) else f"[{inner}]"
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def call_repr(fn_name: str, **kwargs: Any) -> str:
    """``name(a=3, b=-2)`` for messages."""
    args = ", ".join(f"{k}={fmt(v) if not isinstance(v, np.ndarray) else f'<array {v.shape}>'}"
                     for k, v in kwargs.items())
    return f"{fn_name}({args})"


# ------------------------------------------------------------------ type checks


def expect_float(ex: Exercise, value: Any, what: str) -> float:
    """``value`` as a float, or a failure naming what was returned instead.

    Accepts Python and numpy numbers and 0-d arrays.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
        return float(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    extra = " Return a plain number, e.g. its .data." if type(value).__name__ == "Value" else ""
    fail(ex, f"{what}: expected a number (a float), got {describe(value)}.{extra}")
    raise AssertionError  # not reached


def expect_sequence(ex: Exercise, value: Any, n: int, what: str, names: str) -> Sequence:
    """``value`` as a tuple or list of ``n`` items (``names`` says which, e.g. "(da, db)")."""
    if not isinstance(value, (tuple, list)):
        fail(ex, f"{what}: expected a tuple of {n} items {names}, got {describe(value)}.")
    if len(value) != n:
        fail(ex, f"{what}: expected a tuple of {n} items {names}, got {describe(value)}.")
    return value


def expect_array(ex: Exercise, value: Any, shape: tuple[int, ...], what: str,
                 dtype: Any = None) -> np.ndarray:
    """``value`` as a float ndarray of ``shape`` (and ``dtype`` when given), or a plain-words failure."""
    wanted = f"an ndarray of shape {shape}"
    if not isinstance(value, np.ndarray):
        extra = ""
        if isinstance(value, (list, tuple)):
            extra = " Convert it with np.array(...)."
        elif type(value).__name__ == "Tensor" and isinstance(getattr(value, "data", None), np.ndarray):
            extra = " Return a numpy array, e.g. its .data."
        fail(ex, f"{what}: expected {wanted}, got {describe(value)}.{extra}")
    if value.dtype.kind not in "fiu":
        fail(ex, f"{what}: expected {wanted} of numbers, got dtype {value.dtype}.")
    if value.shape != tuple(shape):
        fail(ex, f"{what}: expected {wanted}, got shape {value.shape}.")
    if dtype is not None and value.dtype != np.dtype(dtype):
        fail(ex, f"{what}: expected dtype {np.dtype(dtype)}, got {value.dtype}.", "dtype"
             if "dtype" in ex.hints else None)
    return value


# ------------------------------------------------------------------ comparisons


def _as_numbers(value: Any) -> np.ndarray | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.dtype.kind in "fiu" else None
    if isinstance(value, numbers.Real):
        return np.asarray(float(value))
    if isinstance(value, (tuple, list)):
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        return arr
    return None


def same(value: Any, expected: Any, rtol: float = 1e-7, atol: float = 1e-10) -> bool:
    """True when ``value`` has ``expected``'s shape and the same numbers (within tolerance).

    Never raises: anything that is not numbers of the right shape is simply "not the same".
    NaN never equals anything.
    """
    a = _as_numbers(value)
    b = _as_numbers(expected)
    if a is None or b is None or a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.isfinite(a)) and np.allclose(a, b, rtol=rtol, atol=atol))


def raised_in(exc: BaseException, path: str | None) -> bool:
    """True when the traceback of ``exc`` passes through the file ``path`` (the student's file)."""
    if not path:
        return False
    import os

    target = os.path.normcase(os.path.abspath(path))
    tb = exc.__traceback__
    while tb is not None:
        if os.path.normcase(os.path.abspath(tb.tb_frame.f_code.co_filename)) == target:
            return True
        tb = tb.tb_next
    return False


def max_error(value: np.ndarray, expected: np.ndarray) -> str:
    """"largest difference 0.25 at index (1, 2)" for messages."""
    diff = np.abs(np.asarray(value, dtype=np.float64) - expected)
    if diff.size == 0:
        return "no elements"
    if not np.all(np.isfinite(diff)):
        bad = np.argwhere(~np.isfinite(np.asarray(value, dtype=np.float64)))
        where = tuple(int(i) for i in bad[0]) if bad.size else ()
        return f"non-finite value (nan or inf) at index {where}"
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
    idx_t = tuple(int(i) for i in idx)
    return (f"largest difference {fmt(float(diff[idx]))} at index {idx_t} "
            f"(got {fmt(float(value[idx]))}, expected {fmt(float(expected[idx]))})")
