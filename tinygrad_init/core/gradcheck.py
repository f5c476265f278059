"""Check a backward pass against central differences, in float64.

A backward rule can be wrong in ways a loss curve never shows (a sign, a missing
``1/n``, a gradient counted twice). :func:`gradcheck` compares the gradient the
engine computes (*analytic*) with the one obtained by nudging every input
element and watching the output change (*numeric*):

.. math::

    \\frac{\\partial S}{\\partial x_j} \\approx
    \\frac{S(x + \\varepsilon e_j) - S(x - \\varepsilon e_j)}{2\\varepsilon},
    \\qquad S(x) = \\sum_k u_k\\, f(x)_k ,

where ``u`` is the upstream gradient. For an output with more than one element
``u`` is random and **non-uniform**: with ``u = 1`` everywhere (what
``f(x).sum().backward()`` does) many wrong rules -- a ``+`` for a ``-``, a
transpose in the wrong place -- give the right answer by accident. Even for a
one-element output ``u`` is a random number rather than 1, so that a rule that
forgets to multiply by the upstream gradient is caught too.

Central differences have error :math:`O(\\varepsilon^2)` plus rounding error
:math:`O(\\text{eps}_{\\text{machine}} |S| / \\varepsilon)`; in float64 with
``eps = 1e-6`` both are around 1e-10, far below the default tolerances. In
float32 the rounding term alone is about 0.1, which is why inputs are always
checked as float64 copies.

Example::

    >>> import numpy as np
    >>> from tinygrad_init import Tensor
    >>> from tinygrad_init.gradcheck import gradcheck
    >>> x = np.random.default_rng(0).normal(size=(3, 4))
    >>> W = np.random.default_rng(1).normal(size=(4, 2))
    >>> print(gradcheck(lambda x, W: (x @ W).tanh(), x, W))   # doctest: +ELLIPSIS
    gradcheck passed: 2 inputs (20 elements), max absolute error ...

It works the same for the scalar engine: ``gradcheck(lambda a, b: a * b + b.exp(), 2.0, -1.0)``
calls ``f`` with two :class:`~tinygrad_init.Value` objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Callable, NamedTuple

import numpy as np

from .tensor import Tensor, no_grad
from ..utils import as_rng
from .value import Value

__all__ = ["gradcheck", "numerical_grad", "GradcheckError", "GradcheckResult", "InputCheck", "Worst"]


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when analytic and numeric gradients disagree.

    An ``AssertionError``, so that a failing check inside a test reads as a failed
    assertion. The full :class:`GradcheckResult` is in ``.result``.
    """

    def __init__(self, message: str, result: "GradcheckResult") -> None:
        super().__init__(message)
        self.result = result


class Worst(NamedTuple):
    """The element where analytic and numeric gradients disagree most.

    "Most" is measured against the tolerance: the element with the largest
    ``|analytic - numeric| / (atol + rtol * |numeric|)``.
    """

    input: int
    """Which input (0-based position after ``f``)."""
    index: tuple[int, ...] | None
    """The element's index in that input (``()`` for a scalar; ``None`` if the shapes did not match)."""
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float


@dataclass
class InputCheck:
    """The comparison for one input.

    Attributes:
        index: the input's position (0-based).
        shape: the input's shape (``()`` for a scalar or a ``Value``).
        analytic: the gradient computed by backward (float64 array of ``shape``).
        numeric: the central-difference gradient (float64 array of ``shape``).
        abs_error: ``|analytic - numeric|`` per element.
        rel_error: ``|analytic - numeric| / max(|analytic|, |numeric|, atol)`` per element.
        bad: boolean mask of the elements outside the tolerance (or not finite).
        ok: True when no element is bad (and the gradient had the right shape).
        note: a problem with the input as a whole (e.g. a gradient of the wrong shape), or "".
    """

    index: int
    shape: tuple[int, ...]
    analytic: np.ndarray
    numeric: np.ndarray
    abs_error: np.ndarray
    rel_error: np.ndarray
    bad: np.ndarray
    ok: bool
    note: str = ""

    @property
    def max_abs_error(self) -> float:
        return _nanmax(self.abs_error)

    @property
    def max_rel_error(self) -> float:
        return _nanmax(self.rel_error)


@dataclass
class GradcheckResult:
    """What :func:`gradcheck` found. ``bool(result)`` is ``result.ok``; ``print(result)`` explains it.

    Attributes:
        ok: True when every element of every input is within tolerance.
        max_abs_error: the largest ``|analytic - numeric|`` over all inputs.
        max_rel_error: the largest relative error over all inputs.
        inputs: one :class:`InputCheck` per input.
        where: the worst element (a :class:`Worst`), or None if there is no element at all.
        hint: a guess at the cause when the check failed, or "".
        notes: remarks about the setup (inputs promoted to float64, ...).
        upstream: the upstream gradient ``u`` that was used.
        eps, atol, rtol: the settings.
    """

    ok: bool
    max_abs_error: float
    max_rel_error: float
    inputs: list[InputCheck]
    where: Worst | None
    hint: str
    notes: list[str]
    upstream: np.ndarray
    eps: float
    atol: float
    rtol: float
    engine: str = field(default="Tensor")

    def __bool__(self) -> bool:
        return self.ok

    def _describe_input(self, i: int) -> str:
        shape = self.inputs[i].shape
        what = "a Value" if self.engine == "Value" else f"shape {shape}"
        return f"input {i} (the {_ordinal(i + 1)} input, {what})"

    def __str__(self) -> str:
        n_el = sum(c.analytic.size for c in self.inputs)
        tol = f"tolerance atol {_fmt(self.atol)} + rtol {_fmt(self.rtol)} x |numeric|"
        if self.ok:
            head = (f"gradcheck passed: {len(self.inputs)} input{'s' if len(self.inputs) != 1 else ''} "
                    f"({n_el} element{'s' if n_el != 1 else ''}), max absolute error {_fmt(self.max_abs_error)}, "
                    f"max relative error {_fmt(self.max_rel_error)} ({tol}).")
            lines = [head]
        else:
            w = self.where
            assert w is not None
            c = self.inputs[w.input]
            if w.index is None:
                head = f"gradcheck failed for {self._describe_input(w.input)}: {c.note}"
            else:
                at = "" if self.engine == "Value" else f" at {_fmt_index(w.index)}"
                head = (f"gradcheck failed for {self._describe_input(w.input)}{at}: "
                        f"analytic {_fmt(w.analytic)}, numeric {_fmt(w.numeric)} "
                        f"(absolute error {_fmt(w.abs_error)}, relative error {_fmt(w.rel_error)}; "
                        f"{tol}).")
            if self.hint:
                head += " " + self.hint
            lines = [head]
            for c in self.inputs:
                desc = self._describe_input(c.index)
                if c.ok:
                    lines.append(f"  {desc}: ok (max absolute error {_fmt(c.max_abs_error)}).")
                elif c.note and c.bad.size == 0:
                    lines.append(f"  {desc}: {c.note}")
                else:
                    nbad = int(c.bad.sum())
                    lines.append(f"  {desc}: {nbad} of {c.bad.size} element{'s' if c.bad.size != 1 else ''} "
                                 f"off (max absolute error {_fmt(c.max_abs_error)}, max relative error "
                                 f"{_fmt(c.max_rel_error)}).")
            lines.append("  Inspect result.inputs[i].analytic and .numeric element by element "
                         "(gradcheck(..., raise_on_fail=False) returns the result).")
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"GradcheckResult(ok={self.ok}, max_abs_error={self.max_abs_error:.3g}, "
                f"max_rel_error={self.max_rel_error:.3g}, where={self.where})")


# ---------------------------------------------------------------- helpers


def _nanmax(a: np.ndarray) -> float:
    if a.size == 0:
        return 0.0
    if np.isnan(a).any():
        return math.nan
    return float(a.max())


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fmt(x: float) -> str:
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"  # not "-0"
    return f"{x:.6g}"


def _fmt_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _check_settings(eps: float, atol: float, rtol: float, fn: str) -> None:
    for name, v in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if isinstance(v, bool) or not isinstance(v, Real):
            raise TypeError(f"{fn}: {name} must be a number, got {type(v).__name__} {v!r:.40}")
        if not math.isfinite(v):
            raise ValueError(f"{fn}: {name} must be finite, got {v}")
    if eps <= 0:
        raise ValueError(f"{fn}: eps must be positive (the step of the central difference), got {eps}; "
                         "1e-6 suits float64")
    if atol < 0 or rtol < 0:
        raise ValueError(f"{fn}: tolerances must be >= 0, got atol={atol}, rtol={rtol}")


def _float64_array(x: Any, i: int, notes: list[str], fn: str) -> np.ndarray:
    """A fresh, C-contiguous float64 copy of one tensor input (Tensor, ndarray, list or number)."""
    what = f"{fn}: input {i}"
    if isinstance(x, Tensor):
        arr = x.data
    elif isinstance(x, np.ndarray):
        arr = x
    elif isinstance(x, (np.generic, Real)) and not isinstance(x, (bool, np.bool_)):
        arr = np.asarray(x)
        if arr.dtype.kind in "iu":
            arr = arr.astype(np.float64)
    elif isinstance(x, (list, tuple)):
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{what}: cannot read {type(x).__name__} {x!r:.60} as an array of numbers ({e})") from None
    else:
        raise TypeError(f"{what}: expected a Tensor, a numpy array or a number, got {type(x).__name__} {x!r:.60}")
    if arr.dtype.kind != "f":
        raise TypeError(f"{what} has dtype {arr.dtype}; gradients exist only for floating inputs. "
                        "Pass x.astype(np.float64), or keep integer data (labels, indices) inside f as a constant.")
    if arr.dtype != np.float64:
        notes.append(f"input {i} is {arr.dtype}; it was checked as a float64 copy "
                     "(central differences in lower precision are too coarse)")
    out = np.array(arr, dtype=np.float64, copy=True, order="C")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} contains nan or inf; choose a finite point to check the gradient at")
    return out


def _value_float(x: Any, i: int, fn: str) -> float:
    if isinstance(x, Value):
        v = x.data
    elif isinstance(x, (Real, np.generic)) and not isinstance(x, (bool, np.bool_)):
        if isinstance(x, np.generic) and x.dtype.kind not in "fiu":
            raise TypeError(f"{fn}: input {i} has dtype {x.dtype}; expected a real number")
        v = float(x)
    else:
        raise TypeError(f"{fn}: input {i} is {type(x).__name__} {x!r:.60}; with Values, every input must be a "
                        "Value or a plain number")
    if not math.isfinite(v):
        raise ValueError(f"{fn}: input {i} is {v}; choose a finite point to check the gradient at")
    return float(v)


def _as_output(out: Any, fn: str) -> np.ndarray:
    """f's output as a float64 array (for the numeric pass)."""
    if isinstance(out, Tensor):
        return np.asarray(out.data, dtype=np.float64)
    if isinstance(out, Value):
        return np.asarray(out.data, dtype=np.float64)
    if isinstance(out, (list, tuple)):
        return np.asarray([o.data if isinstance(o, Value) else float(o) for o in out], dtype=np.float64)
    try:
        arr = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{fn}: f returned {type(out).__name__} {out!r:.60}; it must return a Tensor (or a "
                        "Value for the scalar engine)") from None
    return arr


def _upstream_for(upstream: Any, shape: tuple[int, ...], rng: Any, fn: str) -> np.ndarray:
    if upstream is None:
        gen = as_rng(rng)
        # Magnitudes in [0.5, 1.5] with random signs: non-uniform, and never so small that
        # an output element stops mattering.
        mag = gen.uniform(0.5, 1.5, size=shape)
        sign = np.where(gen.random(size=shape) < 0.5, -1.0, 1.0)
        return np.asarray(mag * sign, dtype=np.float64)
    u = upstream.data if isinstance(upstream, Tensor) else upstream
    try:
        u = np.asarray(u, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{fn}: upstream must be an array of numbers, got {type(upstream).__name__}") from None
    if u.shape != shape:
        if u.size == 1 and int(np.prod(shape)) == 1:
            u = u.reshape(shape)
        else:
            raise ValueError(f"{fn}: upstream has shape {u.shape} but f's output has shape {shape}; they must be equal")
    if not np.all(np.isfinite(u)):
        raise ValueError(f"{fn}: upstream contains nan or inf")
    return u


def _central(total: Callable[[], float], arr: np.ndarray, eps: float) -> np.ndarray:
    """dS/d(arr) by central differences, nudging ``arr`` in place (and restoring it)."""
    grad = np.empty(arr.shape, dtype=np.float64)
    flat, g = arr.reshape(-1), grad.reshape(-1)
    for j in range(flat.size):
        orig = flat[j]
        xp, xm = orig + eps, orig - eps
        flat[j] = xp
        fp = total()
        flat[j] = xm
        fm = total()
        flat[j] = orig
        g[j] = (fp - fm) / (xp - xm)  # the step actually taken, not 2*eps rounded
    return grad


def _one_sided(total: Callable[[], float], arr: np.ndarray, j: int, eps: float) -> tuple[float, float]:
    """Left and right difference quotients at element j (to spot a kink)."""
    flat = arr.reshape(-1)
    orig = flat[j]
    f0 = total()
    flat[j] = orig + eps
    fp = total()
    flat[j] = orig - eps
    fm = total()
    flat[j] = orig
    return (f0 - fm) / eps, (fp - f0) / eps


# ------------------------------------------------------------ numerical_grad


def numerical_grad(f: Callable[[Any], Any], x: Any, eps: float = 1e-6, upstream: Any = None) -> np.ndarray | float:
    """The gradient of ``sum(upstream * f(x))`` with respect to ``x``, by central differences.

    .. math:: g_j = \\frac{S(x + \\varepsilon e_j) - S(x - \\varepsilon e_j)}{2\\varepsilon},
              \\quad S(x) = \\sum_k u_k f(x)_k

    ``f`` is called with the same kind of object as ``x``: a float64 ``Tensor``
    (without gradient tracking) if ``x`` is a Tensor, a float64 numpy array if it
    is an array or a list, a ``Value`` if it is a Value, and a float if it is a
    number. The output may be a Tensor, a Value, a list of Values, an array or a
    number.

    Args:
        f: the function.
        x: the point.
        eps: the step (> 0); 1e-6 suits float64.
        upstream: ``u``, of ``f(x)``'s shape; may be omitted when ``f(x)`` has one element.

    Returns:
        An array of ``x``'s shape (float64), or a float when ``x`` is a number or a Value.

    Raises:
        ValueError: eps <= 0; ``f(x)`` has several elements and no upstream was given.
        TypeError: ``x`` is not a floating number/array.
    """
    if not callable(f):
        raise TypeError(f"numerical_grad: f must be a function, got {type(f).__name__}")
    _check_settings(eps, 0.0, 0.0, "numerical_grad")
    notes: list[str] = []
    wrap: Callable[[np.ndarray], Any]
    scalar = isinstance(x, Value) or (isinstance(x, Real) and not isinstance(x, (bool, np.generic)))
    if scalar:
        arr = np.array(_value_float(x, 0, "numerical_grad"), dtype=np.float64)
        wrap = (lambda a: Value(float(a))) if isinstance(x, Value) else (lambda a: float(a))
    else:
        arr = _float64_array(x, 0, notes, "numerical_grad")
        # a copy each time, so that an f that writes into its argument cannot move the point
        wrap = (lambda a: Tensor(a.copy())) if isinstance(x, Tensor) else (lambda a: a.copy())
    u = None if upstream is None else np.asarray(upstream.data if isinstance(upstream, Tensor) else upstream,
                                                 dtype=np.float64)

    def total() -> float:
        with no_grad(), np.errstate(all="ignore"):
            out = _as_output(f(wrap(arr)), "numerical_grad")
        if u is None:
            if out.size != 1:
                raise ValueError(f"numerical_grad: f returned shape {out.shape}; pass upstream= (dL/d(output), "
                                 f"an array of shape {out.shape}) or make f return a scalar")
            return float(out.reshape(()))
        if u.shape != out.shape and not (u.size == 1 and out.size == 1):
            raise ValueError(f"numerical_grad: upstream has shape {u.shape} but f returned shape {out.shape}; "
                             "they must be equal")
        return float(np.dot(u.reshape(-1), out.reshape(-1)))

    g = _central(total, arr, float(eps))
    return float(g) if scalar else g


# ----------------------------------------------------------------- gradcheck


def gradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    upstream: Any = None,
    rng: np.random.Generator | int | None = 0,
    raise_on_fail: bool = True,
) -> GradcheckResult:
    """Compare the gradients of ``f`` computed by backward with central differences.

    With ``S(x) = sum(u * f(x))`` for an upstream gradient ``u`` of ``f``'s output
    shape, the analytic gradient is what ``f(x).backward(u)`` leaves in each
    input's ``.grad``; the numeric one is, per element,
    ``(S(x + eps e_j) - S(x - eps e_j)) / (2 eps)``. An element passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|`` and both are finite.

    Tensor engine: the inputs are Tensors, numpy arrays, lists or numbers; ``f``
    receives float64 Tensors (fresh copies, ``requires_grad=True``) and returns a
    Tensor of any shape. Scalar engine: the inputs are Values or plain numbers;
    ``f`` receives fresh Values and returns a Value (or a list of Values).

    Args:
        f: the function to check.
        *inputs: the point at which to check, one argument of ``f`` each.
        eps: the central-difference step (> 0).
        atol: absolute tolerance.
        rtol: relative tolerance (relative to the numeric gradient).
        upstream: ``u``; by default random, non-uniform (entries of size 0.5..1.5 with
            random signs), drawn from ``rng``.
        rng: seed or Generator for the default upstream gradient.
        raise_on_fail: raise :class:`GradcheckError` (with the explanation) on failure;
            otherwise return the failing result.

    Returns:
        A :class:`GradcheckResult`; ``print`` it for a readable verdict.

    Raises:
        GradcheckError: the gradients disagree and ``raise_on_fail`` is True.
        TypeError: ``f`` is not callable, or an input is not floating (integer or
            boolean arrays are refused), or Values and Tensors are mixed.
        ValueError: no inputs, eps <= 0, negative tolerances, non-finite inputs,
            or an upstream of the wrong shape.
    """
    fn = "gradcheck"
    if not callable(f):
        raise TypeError(f"{fn}: f must be a function, got {type(f).__name__} {f!r:.40}")
    _check_settings(eps, atol, rtol, fn)
    eps, atol, rtol = float(eps), float(atol), float(rtol)
    if not inputs:
        raise ValueError(f"{fn}: no inputs given; call gradcheck(f, x1, x2, ...) with the point to check at")
    has_value = any(isinstance(x, Value) for x in inputs)
    has_array = any(isinstance(x, (Tensor, np.ndarray, list, tuple)) for x in inputs)
    if has_value and has_array:
        raise TypeError(f"{fn}: inputs mix Values and Tensors/arrays; check the scalar engine (Values and numbers) "
                        "and the tensor engine (Tensors and arrays) separately")
    engine = "Tensor" if has_array else "Value"
    notes: list[str] = []

    if engine == "Value":
        arrays = [np.array(_value_float(x, i, fn), dtype=np.float64) for i, x in enumerate(inputs)]
        analytic, _output, u = _analytic_value(f, arrays, upstream, rng, notes)

        def call() -> np.ndarray:
            return _as_output(f(*[Value(float(a)) for a in arrays]), fn)
    else:
        arrays = [_float64_array(x, i, notes, fn) for i, x in enumerate(inputs)]
        analytic, _output, u = _analytic_tensor(f, arrays, upstream, rng, notes)

        def call() -> np.ndarray:
            with no_grad():  # copies, so that an f that writes into its arguments cannot move the point
                return _as_output(f(*[Tensor(a.copy()) for a in arrays]), fn)

    u_flat = u.reshape(-1)

    def total() -> float:
        with np.errstate(all="ignore"):  # nudged points may leave f's domain; the comparison reports it
            out = call()
        if out.shape != u.shape:
            raise ValueError(f"{fn}: f returned shape {out.shape} at a nudged point but {u.shape} at the start")
        return float(np.dot(u_flat, out.reshape(-1)))

    checks: list[InputCheck] = []
    for i, (arr, ga) in enumerate(zip(arrays, analytic)):
        gn = _central(total, arr, eps)
        checks.append(_compare(i, arr.shape, ga, gn, atol, rtol))

    ok = all(c.ok for c in checks)
    where = _worst(checks, atol, rtol)
    hint = "" if ok else _hint(checks, where, arrays, total, eps, atol, rtol, engine)
    result = GradcheckResult(
        ok=ok,
        max_abs_error=_nanmax(np.array([c.max_abs_error for c in checks])),
        max_rel_error=_nanmax(np.array([c.max_rel_error for c in checks])),
        inputs=checks, where=where, hint=hint, notes=notes, upstream=u,
        eps=eps, atol=atol, rtol=rtol, engine=engine,
    )
    if not ok and raise_on_fail:
        raise GradcheckError(str(result), result)
    return result


def _analytic_tensor(f: Callable[..., Any], arrays: list[np.ndarray], upstream: Any, rng: Any,
                     notes: list[str]) -> tuple[list[np.ndarray | str], np.ndarray, np.ndarray]:
    """Run f on float64 leaves, backward with u; return (grads, output, u)."""
    leaves = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = f(*leaves)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: f returned {type(out).__name__}; with Tensor inputs it must return a Tensor")
    if out.dtype != np.float64:
        notes.append(f"f's output is {out.dtype} although its inputs were float64: something inside f computes "
                     "in lower precision")
    u = _upstream_for(upstream, out.shape, rng, "gradcheck")
    if out.requires_grad:
        out.backward(u.astype(out.dtype, copy=False))
    else:
        notes.append("f's output does not require grad: it is not connected to any input through the graph")
    grads: list[np.ndarray | str] = []
    for leaf in leaves:
        g = leaf.grad
        if g is None:
            grads.append(np.zeros(leaf.shape))
        elif np.shape(g) != leaf.shape:
            grads.append(f"backward gave it a gradient of shape {np.shape(g)}, but the input has shape "
                         f"{leaf.shape}. Gradients must have their input's shape: was broadcasting undone "
                         "(unbroadcast)?")
        else:
            grads.append(np.asarray(g, dtype=np.float64))
    return grads, np.asarray(out.data, dtype=np.float64), u


def _analytic_value(f: Callable[..., Any], arrays: list[np.ndarray], upstream: Any, rng: Any,
                    notes: list[str]) -> tuple[list[np.ndarray | str], np.ndarray, np.ndarray]:
    leaves = [Value(float(a)) for a in arrays]
    out = f(*leaves)
    if isinstance(out, Value):
        outs: list[Any] = [out]
        shape: tuple[int, ...] = ()
    elif isinstance(out, (list, tuple)) and all(isinstance(o, (Value, Real)) for o in out):
        outs, shape = list(out), (len(out),)
    elif isinstance(out, Real):
        outs, shape = [out], ()
    else:
        raise TypeError(f"gradcheck: f returned {type(out).__name__}; with Value inputs it must return a Value "
                        "(or a list of Values)")
    u = _upstream_for(upstream, shape, rng, "gradcheck")
    terms = [o * float(w) for o, w in zip(outs, u.reshape(-1)) if isinstance(o, Value)]
    if terms:
        Value.sum(terms).backward()
    else:
        notes.append("f's output is a plain number: it is not connected to any input through the graph")
    grads: list[np.ndarray | str] = [np.array(leaf.grad, dtype=np.float64) for leaf in leaves]
    return grads, _as_output(out, "gradcheck"), u


def _compare(i: int, shape: tuple[int, ...], ga: np.ndarray | str, gn: np.ndarray, atol: float,
             rtol: float) -> InputCheck:
    if isinstance(ga, str):  # a gradient of the wrong shape
        empty = np.zeros((0,))
        return InputCheck(i, shape, np.full(shape, np.nan), gn, empty, empty, np.zeros((0,), bool), False, ga)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(ga - gn)
        scale = np.maximum(np.maximum(np.abs(ga), np.abs(gn)), atol if atol > 0 else np.finfo(np.float64).tiny)
        rel = np.where(diff == 0, 0.0, diff / scale)
        finite = np.isfinite(ga) & np.isfinite(gn)
        bad = ~finite | (diff > atol + rtol * np.abs(gn))
    diff = np.where(finite, diff, np.nan)
    rel = np.where(finite, rel, np.nan)
    return InputCheck(i, shape, ga, gn, diff, rel, bad, not bad.any())


def _worst(checks: list[InputCheck], atol: float, rtol: float) -> Worst | None:
    """The element with the largest |analytic - numeric| / (atol + rtol |numeric|); non-finite ones first."""
    best: tuple[float, Worst] | None = None
    for c in checks:
        if c.note and c.abs_error.size == 0:  # a gradient of the wrong shape: the worst possible
            return Worst(c.index, None, math.nan, math.nan, math.nan, math.nan)
        if c.analytic.size == 0:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            err = c.abs_error.reshape(-1)
            tol = atol + rtol * np.abs(c.numeric.reshape(-1))
            ratio = np.where(tol > 0, err / np.where(tol > 0, tol, 1.0), np.where(err > 0, np.inf, 0.0))
            score = np.where(np.isfinite(err), ratio, np.inf)
        j = int(np.argmax(score))
        s = float(score[j])
        idx = tuple(int(k) for k in np.unravel_index(j, c.shape)) if c.shape else ()
        w = Worst(c.index, idx, float(c.analytic.reshape(-1)[j]), float(c.numeric.reshape(-1)[j]),
                  float(err[j]), float(c.rel_error.reshape(-1)[j]))
        if best is None or s > best[0]:
            best = (s, w)
    return None if best is None else best[1]


def _hint(checks: list[InputCheck], where: Worst | None, arrays: list[np.ndarray], total: Callable[[], float],
          eps: float, atol: float, rtol: float, engine: str) -> str:
    """A guess at what is wrong, for the student reading the message."""
    if where is None or where.index is None:
        return ""
    c = checks[where.input]
    a, n = where.analytic, where.numeric
    if not math.isfinite(n):
        return ("The numeric gradient is not finite: f overflows or leaves its domain within eps of this point "
                "(log of a non-positive number, division by zero); check at a point inside the domain.")
    if not math.isfinite(a):
        return ("The analytic gradient is not finite although f is smooth here: a backward rule divides by zero "
                "or takes the log of a non-positive number?")
    tol_n = atol + rtol * abs(n)
    good_numeric = c.numeric[np.isfinite(c.numeric)]
    if np.all(c.analytic == 0) and np.any(np.abs(good_numeric) > atol):
        return ("No gradient reached this input (the analytic gradient is 0 everywhere): was it detached "
                "(.data, .detach(), a new Tensor/Value made from its number), used inside no_grad(), "
                "or does a backward rule return zeros?")
    # A kink: the one-sided slopes at the worst element differ.
    j = int(np.ravel_multi_index(where.index, c.shape)) if c.shape else 0
    left, right = _one_sided(total, arrays[where.input], j, eps)
    if abs(right - left) > max(1e-3, 1e-2 * max(abs(left), abs(right))):
        return (f"f has a kink here (slope {_fmt(left)} from the left, {_fmt(right)} from the right): relu at 0, "
                "max with ties or abs at 0 have no derivative there, so no backward rule can match; "
                "check at a point away from it.")
    if n != 0 and abs(a + n) <= tol_n:
        return "A sign error in a backward rule?"
    mask = np.abs(c.numeric) > 10 * atol
    mask &= np.isfinite(c.numeric) & np.isfinite(c.analytic)
    if mask.sum() >= 1:
        ratios = c.analytic[mask] / c.numeric[mask]
        r = float(np.median(ratios))
        if r != 0 and np.all(np.abs(ratios - r) <= 1e-5 * abs(r)) and abs(r - 1) > 1e-5:
            every = "at every element" if mask.sum() > 1 else "here"
            if abs(r - 2) < 1e-3 or abs(r - 0.5) < 1e-3:
                what = "twice" if r > 1 else "half"
                return (f"The analytic gradient is {what} the numeric one {every}: a contribution counted twice "
                        "(or once instead of twice: a node used twice must accumulate with +=), or a missing "
                        "factor 2 (the derivative of x**2 is 2x)?")
            if abs(r + 1) < 1e-3:
                return "A sign error in a backward rule?"
            return (f"The analytic gradient is {r:.4g} x the numeric one {every}: a constant factor is missing or "
                    "extra in a backward rule (the 1/n of a mean? the exponent of a power? the upstream "
                    "gradient not multiplied in?)")
    if where.rel_error < 1e-2:
        return ("The error is small but above the tolerance: a float32 computation inside f, or an eps that does "
                "not suit the scale of the inputs? Try eps=1e-5 or 1e-7.")
    if engine == "Tensor" and c.bad.size > 1 and 0 < int(c.bad.sum()) < c.bad.size:
        return ("Only some elements are wrong: check how the backward rule handles axes, indices or broadcasting "
                "(gradients of a broadcast operand must be summed back to its shape).")
    return ""
