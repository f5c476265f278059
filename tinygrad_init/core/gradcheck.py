"""Check a backward pass against central differences, in float64.

With `S(x) = sum_k u_k f(x)_k`, the analytic gradient (backward's) is compared with the numeric one
`dS/dx_j ~ (S(x + eps e_j) - S(x - eps e_j)) / (2 eps)`. The upstream gradient `u` is random and
**non-uniform**, even for one output element: with `u = 1` a sign error or a misplaced transpose can
pass by accident, and a rule that forgets to multiply by the upstream gradient is never caught. In
float64 the error of central differences (O(eps^2) plus rounding O(1e-16 |S| / eps)) is about 1e-10.
"""

from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass
from numbers import Complex, Real
from typing import Any, Callable, NamedTuple, overload

import numpy as np

from ..utils import (Rng, as_rng, check_bool, check_real, check_type, counted, equal_fields, format_number,
                     got, is_torch, real_array)
from .autograd import topological_order
from .ops import quiet
from .tensor import Tensor, no_grad
from .value import Value, as_number

__all__ = ["gradcheck", "numerical_grad", "GradcheckError", "GradcheckResult", "InputCheck", "Worst"]
_fmt = functools.partial(format_number, digits=6)
_TORCH = {**dict.fromkeys(("nondet_tol", "check_undefined_grad", "check_grad_dtypes", "check_batched_grad", "masked",
                           "check_batched_forward_grad", "check_forward_ad", "check_backward_ad", "fast_mode"),
                          "not offered here"), "raise_exception": "raise_on_fail= here",  # torch's gradcheck's keywords
          "inputs": "given by position here, gradcheck(f, x, w) or gradcheck(f, (x, w))"}  # (its func, inputs)


class Worst(NamedTuple):
    """The element where analytic and numeric gradients disagree most, relative to the tolerance."""

    input: int
    index: tuple[int, ...] | None  # None when the gradient had the wrong shape
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float


@dataclass(repr=False)
class InputCheck:
    """The comparison for one input: float64 arrays of its shape, and which elements are off (`bad`);
    `note` explains a gradient of the wrong shape (then `analytic` is all nan). `rel_error` is |analytic - numeric| /
    max(|analytic|, |numeric|, atol): gradients smaller than atol are measured against atol, so theirs reads small."""

    index: int
    analytic: np.ndarray
    numeric: np.ndarray
    abs_error: np.ndarray
    rel_error: np.ndarray
    bad: np.ndarray
    note: str = ""
    __eq__ = equal_fields

    shape = property(lambda self: self.numeric.shape)
    ok = property(lambda self: not self.note and not self.bad.any(), doc="No element off, the shape right.")
    max_abs_error = property(lambda self: _nanmax(self.abs_error), doc="The largest absolute error (nan if any).")
    max_rel_error = property(lambda self: _nanmax(self.rel_error), doc="The largest relative error (nan if any).")

    def __repr__(self) -> str:  # the arrays' thousands of digits are the attributes', not the repr's
        return f"InputCheck(index={self.index}, shape={self.shape}, ok={self.ok}, max_abs_error=" \
            f"{_fmt(self.max_abs_error)}, max_rel_error={_fmt(self.max_rel_error)})"


@dataclass(repr=False)
class GradcheckResult:
    """What `gradcheck` found (`bool(result)` is `result.ok`; `print(result)` explains it): one `InputCheck`
    per input, the worst element, a guess at the cause of a failure, remarks on the setup, the `u` used."""

    inputs: list[InputCheck]
    where: Worst | None
    hint: str
    notes: list[str]
    upstream: np.ndarray
    eps: float
    atol: float
    rtol: float
    engine: str = "Tensor"
    __eq__ = equal_fields

    ok = property(lambda self: all(c.ok for c in self.inputs), doc="Every input passed.")
    max_abs_error = property(lambda self: _nanmax(np.array([c.max_abs_error for c in self.inputs])))
    max_rel_error = property(lambda self: _nanmax(np.array([c.max_rel_error for c in self.inputs])))

    def __bool__(self) -> bool:
        return self.ok

    def _name(self, i: int) -> str:
        suffix = "th" if 10 <= (i + 1) % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get((i + 1) % 10, "th")
        what = "a Value" if self.engine == "Value" else f"shape {self.inputs[i].shape}"
        return f"input {i} (the {i + 1}{suffix} input, {what})"

    def __str__(self) -> str:
        tol = f"tolerance atol {_fmt(self.atol)} + rtol {_fmt(self.rtol)} x |numeric|"
        if self.ok:
            n = sum(c.numeric.size for c in self.inputs)
            lines = [f"gradcheck passed: {counted(len(self.inputs), 'input')} ({counted(n, 'element')}), "
                     f"{_errors(self)} ({tol})."]
        else:
            w = self.where
            head = self.inputs[w.input].note if w.index is None else (
                f"analytic {_fmt(w.analytic)}, numeric {_fmt(w.numeric)} (absolute error {_fmt(w.abs_error)}, "
                f"relative error {_fmt(w.rel_error)}; {tol}).")
            head += (" " + self.hint) * bool(self.hint)
            lines = [f"gradcheck failed for {self._name(w.input)}{_at(w.index)}: {head}"]
            lines += [f"  {self._name(c.index)}: " + (
                f"ok (max absolute error {_fmt(c.max_abs_error)})." if c.ok else c.note or
                f"{int(c.bad.sum())} of {counted(c.bad.size, 'element')} off ({_errors(c)}).")
                for c in self.inputs[:10]]
            lines += [f"  ... {counted(len(self.inputs) - 10, 'more input')}, "
                      f"{sum(not c.ok for c in self.inputs[10:])} of them off."] * (len(self.inputs) > 10)
            lines.append("  Inspect result.inputs[i].analytic and .numeric element by element "
                         "(gradcheck(..., raise_on_fail=False) returns the result).")
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])

    __repr__ = __str__  # a notebook cell ending in gradcheck(...) shows the verdict, not every array in full


class GradcheckError(AssertionError):
    """Raised by `gradcheck` when the gradients disagree (a failed assertion in a test); `.result` explains it."""

    def __init__(self, message: str, result: GradcheckResult) -> None:
        super().__init__(message)
        self.result = result

    def __reduce__(self) -> tuple:  # pickle and copy with both arguments (a process pool sends a failure back)
        return type(self), (*self.args, self.result)


def _errors(c: InputCheck | GradcheckResult) -> str:
    return f"max absolute error {_fmt(c.max_abs_error)}, max relative error {_fmt(c.max_rel_error)}"


def _at(j: tuple[int, ...] | None) -> str:  # an element's place in its input, " at [1, 2]" ("" for a number)
    return f" at [{', '.join(map(str, j))}]" if j else ""


def _nanmax(a: np.ndarray) -> float:  # the largest entry, nan if any is nan (as np.max), 0 if there is none
    return float(a.max()) if a.size else 0.0


def _point(x: Any, i: int, fn: str, notes: list[str]) -> np.ndarray:
    """Input `i` as a fresh C-contiguous float64 array (0-d for a Value or a number)."""
    raw = x.data if isinstance(x, (Tensor, Value)) else x
    items = raw if isinstance(raw, (list, tuple)) else raw.ravel() if isinstance(raw, np.ndarray) and \
        raw.dtype == object else ()
    if any(isinstance(e, (Tensor, Value)) for e in items):
        what = "a numpy array" if isinstance(raw, np.ndarray) else f"a {type(raw).__name__}"
        raise TypeError(f"{fn}: input {i} is {what} of Values or Tensors: " + (
            "pass each as an input of its own, gradcheck(f, a, b) (or as torch's, gradcheck(f, (a, b))), and f is "
            "called as f(a, b)" if fn == "gradcheck" else "numerical_grad takes one: call it for each, "
            "numerical_grad(lambda a: f(a, b), a)"))
    if not isinstance(raw, (np.ndarray, np.generic, Complex, list, tuple)):
        raise TypeError(f"{fn}: input {i} is {got(x)}; expected a Tensor, a numpy array or a "
                        "number (or a Value, for the scalar engine)" + ("; for a PyTorch tensor pass its numbers, "
                        "x.detach().numpy()" if is_torch(x) else ""))
    if isinstance(raw, Real) and type(raw) not in (bool, float) and not isinstance(raw, np.generic):
        raw = as_number(raw, f"{fn}: input {i}")  # a Fraction, or an int beyond a float, as a Value reads it
    try:
        arr = np.asarray(raw)
    except ValueError as e:
        raise TypeError(f"{fn}: input {i}: cannot read {type(x).__name__} as an array of numbers ({e})") from None
    if arr.dtype.kind in "iu" and not isinstance(raw, np.ndarray):
        arr = arr.astype(np.float64)  # a plain number, or a list of them (as Tensor([1, 2]) holds floats)
    if arr.dtype.kind == "c":
        raise TypeError(f"{fn}: input {i} is complex ({arr.dtype}); the engines differentiate real inputs only: pass "
                        "the real and imaginary parts as two inputs, x.real and x.imag")
    if arr.dtype.kind != "f":
        raise TypeError(f"{fn}: input {i} has dtype {arr.dtype}; gradients exist only for floating inputs. Pass " +
                        ("Tensor(x.data, dtype=np.float64)" if isinstance(x, Tensor) else "x.astype(np.float64)") +
                        ", or keep integer data (labels, indices) inside f as a constant.")
    if arr.dtype != np.float64:
        notes.append(f"input {i} is {arr.dtype}; it was checked as a float64 copy (central differences in lower "
                     "precision are too coarse)")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{fn}: input {i} is {arr}: it contains nan or inf; choose a finite point to check the "
                         "gradient at")
    return np.array(arr, dtype=np.float64, order="C")


def _upstream(upstream: Any, fn: str) -> np.ndarray:
    """The upstream gradient `u` (an array, a list, a number or a Tensor) as a float64 array, finite."""
    try:
        u = np.asarray(upstream, dtype=np.float64)  # (a Tensor's numbers through its __array__)
    except (TypeError, ValueError):
        u = None
    if u is None or isinstance(upstream, (str, bytes)):
        raise TypeError(f"{fn}: upstream must be an array of numbers of f's output shape, got "
                        f"{type(upstream).__name__} {upstream!r:.40}")
    if not np.all(np.isfinite(u)):
        raise ValueError(f"{fn}: upstream contains nan or inf")
    return u


def _output(out: Any, scalar: bool, fn: str) -> np.ndarray:
    """f's output as a float64 array: a Value (or a list of Values) for the scalar engine, else a Tensor (or a tuple
    of Tensors: their elements one after another)."""
    outs = out if isinstance(out, (list, tuple)) else [out]
    if scalar and outs and all(isinstance(o, (Value, Real)) for o in outs):
        return np.array([o.data if isinstance(o, Value) else float(o) for o in outs]).reshape(-1 if outs is out else ())
    if not scalar and outs and all(isinstance(o, Tensor) for o in outs):
        y = np.concatenate([np.ravel(o.data) for o in outs], dtype=np.float64)
        return y if outs is out else y.reshape(out.shape)
    kind, many = ("Value", "list") if scalar else ("Tensor", "tuple")  # a list of something else, or of nothing
    bad = [type(o).__name__ for o in outs if not isinstance(o, (Value, Real) if scalar else Tensor)][:1]
    what = f"a {type(out).__name__} holding {bad[0]}" if bad and outs is out else f"an empty {type(out).__name__}" \
        if outs is out else type(out).__name__
    raise TypeError(f"{fn}: f returned {what}; with {kind} inputs it must return a {kind} (or a {many} of {kind}s"
                    f"{', at least one' * (not outs)})")


def _central(total: Callable[[], float], arr: np.ndarray, eps: float, where: str) -> tuple[np.ndarray, ...]:
    """dS/d(arr) by central differences, divided by the step actually taken (not 2 eps rounded); and the one-sided
    slopes, from the left and from the right, which differ at a kink."""
    grad, left, right, s = np.empty(arr.shape), np.empty(arr.shape), np.empty(arr.shape), total()
    for j in np.ndindex(arr.shape):
        x = arr[j]
        step = (x + eps) - (x - eps)
        if step == 0:
            raise ValueError(f"{where}: eps={eps:g} is too small for the element {x:g}{_at(j)}: x + eps == x "
                             "in float64, so no step is taken. Use an eps of about 1e-6 * |x|.")
        arr[j] = x + eps  # S with arr[j] moved (in place) up, then down, then restored
        up = total()
        arr[j] = x - eps
        down = total()
        arr[j] = x
        grad[j], left[j], right[j] = (up - down) / step, (s - down) / eps, (up - s) / eps
    return grad, left, right


@quiet
def _kinks(left: np.ndarray, right: np.ndarray, noise: float, rel: float = 1e-2, least: float = 0.0) -> np.ndarray:
    """Where the slopes from the left and from the right differ by more than rounding (twice `noise`, each slope's) and
    curvature explain (by more than `rel` of the steeper: the slopes of relu, abs or a tie differ by all of it, 1/x at
    1e-4 by 2%), and by more than `least`."""
    return np.abs(right - left) > np.maximum(max(least, 2 * noise), rel * np.maximum(np.abs(left), np.abs(right)))


def _settings(fn: str, f: Any, eps: Any, atol: Any = 0.0, rtol: Any = 0.0) -> tuple[float, float, float]:
    check_type(fn, "f", f, Callable, "a function")
    return (check_real(fn, "eps, the central-difference step (1e-6 suits float64),", eps, 0.0, low_open=True),
            check_real(fn, "atol", atol, 0.0),
            check_real(fn, "rtol", rtol, 0.0))


def _takes(fn: str, f: Callable, args: tuple, hint: str) -> None:
    """Refuse an `f` that cannot be called with `args`, saying how the inputs were read (not Python's "missing 1
    required positional argument" from inside the call)."""
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # none to read (some builtins): the call itself tells
        return
    try:
        signature.bind(*args)
    except TypeError as e:
        raise TypeError(f"{fn}: f cannot be called with {counted(len(args), 'input')} ({e}); {hint}") from None


@overload  # for type checkers and IDEs: a float for a Python number or a Value, else an array (numpy's float64 too)
def numerical_grad(f: Callable[[Any], Any], x: np.generic, eps: float = 1e-6, upstream: Any = None) -> np.ndarray: ...
@overload
def numerical_grad(f: Callable[[Any], Any], x: Value | float | Real, eps: float = 1e-6,
                   upstream: Any = None) -> float: ...
@overload
def numerical_grad(f: Callable[[Any], Any], x: Any, eps: float = 1e-6, upstream: Any = None) -> np.ndarray: ...
def numerical_grad(f: Callable[[Any], Any], x: Any, eps: float = 1e-6, upstream: Any = None) -> np.ndarray | float:
    """The gradient of `sum(upstream * f(x))` with respect to `x`, by central differences.

    `f` gets the same kind of object as `x` (a float64 Tensor without gradient tracking, a float64 array, a Value or a
    float); without `upstream`, `f` must return one number. Returns an array of `x`'s shape (a float for a scalar
    `x`)."""
    eps = _settings("numerical_grad", f, eps)[0]
    scalar = isinstance(x, (Value, Real)) and not isinstance(x, (bool, np.generic))
    arr = _point(x, 0, "numerical_grad", [])
    kind = Tensor if isinstance(x, Tensor) else Value if isinstance(x, Value) else float if scalar else np.array
    u = 1.0 if upstream is None else _upstream(upstream, "numerical_grad")
    _takes("numerical_grad", f, (x,), "numerical_grad calls f with one input: for a function of several, call it "
           "for each, numerical_grad(lambda a: f(a, b), a)")

    def total() -> float:
        with no_grad(), np.errstate(all="ignore"):
            out = got = f(kind(arr.copy()))
        if isinstance(out, (list, tuple)):  # Values' numbers; arrays or Tensors one after another, as gradcheck's
            out = [o.data if isinstance(o, (Tensor, Value)) else o for o in out]
            out = np.concatenate(list(map(np.ravel, out))) if any(isinstance(o, np.ndarray) for o in out) else out
        out = real_array(out.data if isinstance(out, (Tensor, Value)) else out)  # (None is not nan, "1.5" not 1.5)
        if out is None:
            raise TypeError("numerical_grad: f must return numbers, an array or a Tensor (or a list or tuple of them), "
                            f"got {type(got).__name__} {got!r:.60}")
        if upstream is None and out.size != 1:
            raise ValueError(f"numerical_grad: f returned shape {out.shape}; pass upstream= (dL/d(output), an array "
                             f"of shape {out.shape}) or make f return a scalar")
        if upstream is not None and u.shape != out.shape and not u.size == 1 == out.size:
            raise ValueError(f"numerical_grad: upstream has shape {u.shape} but f's output has shape {out.shape}; "
                             "they must be equal")
        return float(np.dot(np.ravel(u), out.reshape(-1)))  # (in float64, whatever f's dtype)

    g = _central(total, arr, eps, "numerical_grad: input 0")[0]
    return float(g) if scalar else g


def gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4,
              upstream: Any = None, rng: Rng = 0, raise_on_fail: bool = True, **torch: Any) -> GradcheckResult:
    """Compare the gradients of `f` at `inputs` computed by backward with central differences of step `eps`.

    With `S(x) = sum(u * f(x))`, the analytic gradient is what `f(x).backward(u)` leaves in each input's
    `.grad`; an element passes when `|analytic - numeric| <= atol + rtol |numeric|` and both are finite.
    Tensor engine: inputs are Tensors, arrays, lists or numbers, `f` gets fresh float64 Tensors and returns a
    Tensor (or a tuple of Tensors, `u` running over their elements one after another); scalar
    engine: inputs are Values or numbers and `f` gets fresh Values and returns a Value (or a list of
    Values), as in `gradcheck(lambda a, b: a * b + b.exp(), 2.0, -1.0)`.

    Args:
        f: the function to check, called with one argument per input.
        *inputs: the point to check at (or, as torch's, one tuple of them).
        eps: the step of the central differences (in float64).
        atol: the absolute tolerance.
        rtol: the relative tolerance, a fraction of `|numeric|`.
        upstream: `u`; by default random and non-uniform (entries of size 0.5 to 1.5, random signs).
        rng: seed or Generator for the default upstream gradient.
        raise_on_fail: raise `GradcheckError` on failure (else return the failing result).
        **torch: PyTorch's keywords (`raise_exception=`, `fast_mode=`, ...): refused, naming what to write here.

    Raises:
        GradcheckError: the gradients disagree and `raise_on_fail` is True.
        TypeError: `f` is not callable, cannot take the inputs or runs backward itself, an input is not floating,
            or Values and Tensors are mixed.
        ValueError: no inputs, a bad setting, non-finite inputs, or an upstream of the wrong shape.
    """
    fn = "gradcheck"
    if torch:  # Python's bare "unexpected keyword argument" says neither what PyTorch's is here nor what is taken
        hints = [f"PyTorch's {k}= is {_TORCH[k]}" for k in torch if k in _TORCH]
        raise TypeError(f"{fn}: unexpected keyword {'argument' if len(torch) == 1 else 'arguments'} "
                        f"{', '.join(map(repr, torch))}" + f" ({', '.join(hints)})"
                        * bool(hints) + "; it takes eps, atol, rtol, upstream, rng and raise_on_fail")
    eps, atol, rtol = _settings(fn, f, eps, atol, rtol)
    raise_on_fail, gen = check_bool(fn, "raise_on_fail", raise_on_fail), as_rng(rng, fn)  # rng checked, drawn or not
    if len(inputs) == 1 and type(inputs[0]) is tuple and any(isinstance(x, (Tensor, Value, np.ndarray))
                                                             for x in inputs[0]):
        inputs = inputs[0]  # torch's gradcheck(f, (x, w)): the inputs in one tuple (a tuple of numbers: one vector)
    if not inputs:
        raise ValueError(f"{fn}: no inputs given; call gradcheck(f, x1, x2, ...) with the point to check at")
    scalar, notes = not any(isinstance(x, (Tensor, np.ndarray, list, tuple)) for x in inputs), []
    if not scalar and any(isinstance(x, Value) for x in inputs):
        raise TypeError(f"{fn}: inputs mix Values and Tensors/arrays; check the scalar engine (Values and numbers) "
                        "and the tensor engine (Tensors and arrays) separately")
    arrays = [_point(x, i, fn, notes) for i, x in enumerate(inputs)]
    make = (lambda a, grad: Value(float(a))) if scalar else (lambda a, grad: Tensor(a.copy(), requires_grad=grad))
    leaves = [make(a, True) for a in arrays]  # the analytic pass
    seq = inputs[0] if len(inputs) == 1 and isinstance(inputs[0], (tuple, list)) and len(inputs[0]) > 1 else ()
    given = ", ".join(map(repr, seq[:3])) + ", ..." * (len(seq) > 3) if all(isinstance(e, Real) for e in seq) else \
        "a, b"
    _takes(fn, f, leaves, f"the {type(seq).__name__} of {len(seq)} is one input, an array of its elements: pass them "
           f"one by one, gradcheck(f, {given})" if seq else "gradcheck(f, x1, x2, ...) calls f(x1, x2, ...), one "
           "argument per input")  # (torch's one tuple of the inputs, given numbers)
    out = quiet(f)(*leaves)  # an inf or nan in f is reported below, not warned about by numpy on the way
    if ran := [i for i, leaf in enumerate(leaves) if (leaf.grad != 0 if scalar else leaf.grad is not None)]:
        raise TypeError(f"{fn}: f ran a backward pass itself (input {ran[0]} had a gradient when f returned): f must "
                        "only compute and return its output, from which gradcheck runs backward with its own upstream "
                        "gradient; return the loss where a training step calls loss.backward()")
    y = _output(out, scalar, fn)
    shape = y.shape
    if upstream is None:
        u = gen.uniform(0.5, 1.5, size=shape) * np.where(gen.random(size=shape) < 0.5, -1.0, 1.0)
    else:
        u = _upstream(upstream, fn)
        if u.shape != shape and not u.size == 1 == math.prod(shape):
            raise ValueError(f"{fn}: upstream has shape {u.shape} but f's output has shape {shape}; they must be equal")
        u = u.reshape(shape)
        if zeros := u.size - np.count_nonzero(u):
            notes.append(f"upstream is 0 at {zeros} of {counted(u.size, 'output element')}: S = sum(u * f) does not "
                         "depend on them, so their gradients are not checked (the default upstream is never 0)")
    if not u.size:  # (as PyTorch's gradcheck, which returns True)
        notes.append("f's output has no elements: S = sum(u * f) is 0 whatever the inputs, so nothing was checked")
    outs = out if isinstance(out, (list, tuple)) else [out]
    # what rounding alone can make of a one-sided slope: f's output rounded in its dtype, then divided by eps
    noise = 4 * max([np.finfo(o.dtype).eps for o in outs if not scalar and o.dtype.kind == "f"],
                    default=np.finfo(np.float64).eps) * np.abs(u * y).sum() / eps
    terms = [o * float(w) for o, w in zip(outs, u.reshape(-1)) if isinstance(o, Value)] if scalar else []
    roots, mine = [Value.sum(terms)] if terms else [o for o in outs if isinstance(o, Tensor)], set(map(id, leaves))
    kept = [(n, n.grad) for n in {id(n): n for r in roots for n in topological_order(r)}.values() if id(n) not in mine]
    # (the other nodes f used, such as a weight it closes over, keep their gradients, as torch's gradcheck leaves
    # them; a pass adds a tensor's gradient into a new array, and the old one stays as it is)
    connected = bool(terms) or not scalar and any(o.requires_grad for o in outs)
    if connected and not terms and any(o.dtype != np.float64 for o in outs):
        notes.append(f"f's output is {outs[0].dtype if len(outs) == 1 else 'not all float64'} although its inputs "
                     "were float64: something inside f computes in lower precision")
    try:
        if terms:
            roots[0].backward()
        elif connected:
            for o, w in zip(outs, np.split(u.reshape(-1), np.cumsum([o.data.size for o in outs])[:-1])):
                if o.requires_grad:  # several outputs: one pass each, their gradients adding up in the inputs
                    o.backward(w.reshape(o.shape).astype(o.dtype), retain_graph=len(outs) > 1)
        else:
            notes.append(("f's output is a plain number" if scalar else "f's output does not require grad") +
                         ": it is not connected to any input through the graph")
    finally:  # also when a hook or f's backward raises
        for n, g in kept:
            n.grad = g

    def total() -> float:
        with no_grad(), np.errstate(all="ignore"):  # nudged points may leave f's domain; the comparison reports it
            y = _output(f(*[make(a, False) for a in arrays]), scalar, fn)
        if y.shape != u.shape:
            raise ValueError(f"{fn}: f returned shape {y.shape} at a nudged point but {u.shape} at the start")
        return float(np.dot(u.reshape(-1), y.reshape(-1)))

    def finer(i: int, j: tuple[int, ...], left: float, right: float) -> tuple[float, bool, bool]:
        """Input i's element j at a tenth of the step: the central difference, whether the one-sided slopes
        (`left`, `right` at eps) close in by half or more, as a curve's do and a kink's do not, and whether they grow
        (5 times and beyond rounding), as they do across a jump or a pole and a kink's do not."""
        try:
            g, lf, rf = (a.item() for a in _central(total, arrays[i][(..., *(slice(k, k + 1) for k in j))], eps / 10,
                                                    fn))
        except ValueError:  # eps / 10 is no step at all for an element this large: the slopes at eps stand
            return math.nan, False, False
        grown = not max(abs(lf), abs(rf)) <= 5 * max(abs(left), abs(right)) + 20 * noise  # (an inf or nan: grown)
        return g, abs(rf - lf) < abs(right - left) / 2, grown

    sides = [_central(total, arr, eps, f"{fn}: input {i}") for i, arr in enumerate(arrays)]
    checks = [_compare(i, leaf.grad, g, atol, rtol) for i, (leaf, (g, _, _)) in enumerate(zip(leaves, sides))]
    kinks = [(c.index, j, left[j], right[j]) for c, (_, left, right) in zip(checks, sides)
             for j in np.ndindex(c.shape) if _kinks(left[j], right[j], noise, 0.5, 1e-3) and not c.bad[j]]
    kinks = [k for k in kinks if not finer(*k)[1]]  # not a curve, such as a smooth minimum, whose one-sided slopes
    # have opposite signs (2 more evaluations of f per element flagged: at most as many again as the check's own)
    if kinks:
        i, j, left, right = kinks[0]
        notes.append(f"f has a kink at {counted(len(kinks), 'element')} that passed (the first: input {i}{_at(j)}, "
                     f"slope {_fmt(left)} from the left, {_fmt(right)} from the right, of S = sum(u * f)): there the "
                     "central difference is their mean, and the backward rule's convention (relu'(0) = 0, ties sharing "
                     "the gradient) gave the same number. Check away from a kink to test the rule itself.")
    if loose := [(c.index, j, c.analytic[j], c.numeric[j]) for c in checks for j in np.ndindex(c.shape) if not c.bad[j]
                 and c.abs_error[j] > max(rtol * abs(c.numeric[j]), 0.01 * max(abs(c.analytic[j]), abs(c.numeric[j])),
                                          100 * noise)]:  # off by more than 1% and far more than rounding, within atol
        i, j, a, n = loose[0]
        notes.append(f"{counted(len(loose), 'element')} passed by atol alone (the first: input {i}{_at(j)}, analytic "
                     f"{_fmt(a)}, numeric {_fmt(n)}, {abs(a - n) / max(abs(a), abs(n)):.0%} apart): gradients this "
                     f"small beside atol={_fmt(atol)} are not checked by their digits, and a wrong one passes (as in "
                     "torch.autograd.gradcheck); pass a smaller atol, about 1e-3 x their size, to check them.")
    if connected and u.any() and (flat := [c.index for c, (_, left, right) in zip(checks, sides) if c.numeric.size
                                           and not left.any() and not right.any() and not c.analytic.any()]):
        notes.append(f"f does not depend on {'input' if len(flat) == 1 else 'inputs'} {', '.join(map(str, flat))} here "
                     "(the gradient is 0 everywhere, numeric and analytic), so it checked nothing there: does f use "
                     "something from outside in place of its argument (x @ W where f takes w)? A relu off everywhere "
                     "is as flat: check at another point.")
    where = _worst(checks, atol, rtol)
    hint = "" if where is None else _hint(checks[where.input], where, *sides[where.input][1:], total, atol,
                                          rtol, noise, eps, lambda: finer(where.input, where.index, *(
                                              side[where.index] for side in sides[where.input][1:])), upstream is None)
    if hint.startswith("No gradient reached") and isinstance(inputs[where.input], Tensor) and not \
            inputs[where.input].requires_grad:  # (PyTorch's habit: such an input is a constant, not checked)
        c = [isinstance(x, Tensor) and not x.requires_grad for x in inputs]  # f's arguments in order: t constants
        args = [f"{'tx'[not k]}{i}" * (c.count(k) > 1) or "tx"[not k] for i, k in enumerate(c)]  # (t, x: one of it)
        free = ", ".join(a for a, k in zip(args, c) if not k)
        hint += (" Every input is checked here, whatever its requires_grad (PyTorch's gradcheck skips those without "
                 "it): keep what f does not differentiate inside f" + f", gradcheck(lambda {free}: f("
                 f"{', '.join(args)}), {free})" * bool(free) + ".")
    if hint.startswith("f has a kink here"):  # elements off where no kink explains it: a rule wrong at this point
        off = [(c, j) for c, (_, left, right) in zip(checks, sides) for j in np.ndindex(c.shape)
               if c.bad[j] and c.abs_error[j] > noise and not (
                   _kinks(left[j], right[j], noise) and not finer(c.index, j, left[j], right[j])[1])]
        if off:
            c, j = off[0]
            hint += (f" Yet {counted(len(off), 'element')} elsewhere {'is' if len(off) == 1 else 'are'} off with no "
                     f"kink to explain it (the first: input {c.index}{_at(j)}, analytic {_fmt(c.analytic[j])}, "
                     f"numeric {_fmt(c.numeric[j])}): check there first.")
    if upstream is None and (not hint or hint.startswith("Only some")) and not all(c.ok or c.note for c in checks) \
            and (ones := gradcheck(f, *inputs, eps=eps, atol=atol, rtol=rtol, upstream=np.ones(shape),
                                   raise_on_fail=False)) and abs(ones.inputs[where.input].numeric[where.index]) > max(
                10 * atol, 100 * noise):  # it checked the element (not f summing to a constant, as softmax: S flat)
        hint = ("With an upstream gradient of ones the check passes: a backward rule uses its upstream gradient g "
                "wrongly, ignoring it (the local derivative alone) or averaging or summing it (g.mean(), g.sum()) "
                "where each element needs its own; u = 1, as out.sum().backward() gives, hides that.")
    result = GradcheckResult(checks, where, hint, notes, u, eps, atol, rtol, "Value" if scalar else "Tensor")
    if not result.ok and raise_on_fail:
        raise GradcheckError(str(result), result)
    return result


def _compare(i: int, g: Any, gn: np.ndarray, atol: float, rtol: float) -> InputCheck:
    note = ""
    if g is None:  # nothing reached the input
        g = np.zeros(gn.shape)
    elif np.shape(g) != gn.shape:
        note = (f"backward gave it a gradient of shape {np.shape(g)}, but the input has shape {gn.shape}. Gradients "
                "must have their input's shape: was broadcasting undone (unbroadcast)?")
        g = np.full(gn.shape, np.nan)
    ga = np.array(g, dtype=np.float64)
    with np.errstate(all="ignore"):
        diff = np.abs(ga - gn)
        finite = np.isfinite(ga) & np.isfinite(gn)
        bad = ~finite | (diff > atol + rtol * np.abs(gn))
        rel = np.where(diff == 0, 0.0, diff / np.maximum(np.maximum(np.abs(ga), np.abs(gn)), max(atol, 1e-300)))
    return InputCheck(i, ga, gn, np.where(finite, diff, np.nan), np.where(finite, rel, np.nan), bad, note)


def _worst(checks: list[InputCheck], atol: float, rtol: float) -> Worst | None:
    """The element with the largest |analytic - numeric| / (atol + rtol |numeric|); non-finite ones first."""
    if wrong := [c for c in checks if c.note]:  # a gradient of the wrong shape: the worst possible
        return Worst(wrong[0].index, None, math.nan, math.nan, math.nan, math.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        scored = [(np.where(np.isfinite(c.abs_error), c.abs_error / (atol + rtol * np.abs(c.numeric)), np.inf), c)
                  for c in checks if c.numeric.size]
    if not scored:
        return None
    score, c = max(((np.nan_to_num(s), c) for s, c in scored), key=lambda sc: sc[0].max())  # the first of equals
    j = np.unravel_index(int(np.argmax(score)), c.shape)
    values = (float(a[j]) for a in (c.analytic, c.numeric, c.abs_error, c.rel_error))
    return Worst(c.index, tuple(int(k) for k in j), *values)


def _hint(c: InputCheck, w: Worst, left: np.ndarray, right: np.ndarray, total: Callable[[], float], atol: float,
          rtol: float, noise: float, eps: float, finer: Callable[[], tuple[float, bool, bool]], drawn: bool) -> str:
    """A guess at what is wrong, for the student reading the message (`total()`: S at the point, a call of f, made
    twice here; `left`, `right`: the one-sided slopes; `noise`: how far rounding alone can move a one-sided slope;
    `finer()`: the worst element's central difference at a step of eps / 10, and whether its slopes close in there,
    as a curve's, or grow, as across a jump (a central difference that moves there is rounding inside f); `drawn`:
    whether u is gradcheck's random one). Nothing is computed for an input that passed."""
    if c.ok or c.note:
        return ""
    s, again = total(), total()
    if not math.isfinite(s):
        return ("f itself is not finite at this point (inf or nan in its output: log or 1/x at 0, log of a negative "
                "number, an overflow), so S = sum(u * f) is not either: no central difference is a slope, for any "
                "element; check at a point where f is finite.")
    if abs(again - s) > noise * eps:  # beyond f's rounding (`noise` is a slope's): no difference of f is a slope
        return (f"f gives two different outputs at the same point (S = sum(u * f) {_fmt(s)} then {_fmt(again)}): a "
                "random draw inside f (dropout, np.random, a layer or weights made inside f, which get new random "
                "values at every call), or state that f changes. Make the random parts once, outside f, or seed them "
                "inside it.")
    if not math.isfinite(w.numeric):
        return ("The numeric gradient is not finite: f overflows or leaves its domain within eps of this point "
                "(log of a non-positive number, division by zero); check at a point inside the domain.")
    g, curve, jump = finer()  # moved: the central difference at eps/10 is another, not closer to the analytic one
    moved = abs(g - w.numeric) > w.abs_error / 2 and not abs(w.analytic - g) < w.abs_error / 10  # (nan: not moved)
    if _kinks(left[w.index], right[w.index], noise):  # first: at relu's kink the analytic gradient may be 0 everywhere
        if jump:
            return (f"f is not continuous within eps of this point: its one-sided slopes (of S = sum(u * f), "
                    f"{_fmt(left[w.index])} from the left, {_fmt(right[w.index])} from the right) grow as the step "
                    "shrinks, as across a pole (1/x, x ** -2 near 0) or a jump (a step made from t.data), where no "
                    "difference quotient is a slope; check at a point further from it.")
        if not curve and not moved:  # (a kink's central difference, the mean of its two slopes, stays)
            return (f"f has a kink here (slope {_fmt(left[w.index])} from the left, {_fmt(right[w.index])} from the "
                    f"right, of S = sum(u * f){', u the random upstream' * drawn}): relu at 0, max with ties or abs "
                    "at 0 have no derivative there, so no backward rule can match; check at a point away from it.")
        if abs(w.analytic - g) < w.abs_error / (2 if curve else 10):  # the central difference closes in on the
            # analytic gradient (by half, its slopes too: a kink within eps/10 as well, not rounding, which grows)
            passes = abs(w.analytic - g) <= atol + rtol * abs(g)
            return (f"eps={_fmt(eps)} is too large for f at this point: f's slope changes within eps (from "
                    f"{_fmt(left[w.index])} on the left to {_fmt(right[w.index])} on the right, of S = sum(u * f)), so "
                    f"the central difference is off; at eps/10 the error falls from {_fmt(w.abs_error)} to "
                    f"{_fmt(abs(w.analytic - g))} and this element {'passes' if passes else 'still fails'}. Use a "
                    "smaller eps, such as 1e-6 x |x|.")
    if not math.isfinite(w.analytic):
        return (f"The analytic gradient is {_fmt(w.analytic)} where f and the numeric one are finite: a backward rule "
                "met a pole inside f (the infinite local derivative of x ** 0.5, 1/x or log at 0, then times 0 or "
                "minus another inf), though f is smooth here; PyTorch's backward gives the same. Rewrite f without "
                "the pole, or check at another point.")
    if np.all(c.analytic == 0) and np.any(np.abs(c.numeric[np.isfinite(c.numeric)]) > atol):
        return ("No gradient reached this input (the analytic gradient is 0 everywhere): was it detached (.data, "
                ".detach(), a new Tensor/Value made from its number), used inside no_grad(), or does a backward rule "
                "return zeros?")
    if w.abs_error <= noise:
        return (f"The error is within what rounding alone gives the central differences here (about {_fmt(noise)}: "
                "f's output rounded, divided by the step eps): does f compute in float32, or is eps too small for the "
                f"scale of f? Compute f in float64, or take a larger eps than {_fmt(eps)}: the rounding shrinks as "
                "1/eps (1e-6 x |x| suits a large x: 100 at x = 1e8).")
    if moved:
        return (f"The numeric gradient moves with the step, {_fmt(w.numeric)} at eps={_fmt(eps)} and {_fmt(g)} at "
                "eps/10, by more than its distance to the analytic one: rounding inside f, not a backward rule (an "
                "intermediate far larger than f's output that cancels, as (x + 1e8) - 1e8, or mean(x**2) - mean(x)**2 "
                f"at a large mean, or float32 inside f). Rewrite f without it, or take a larger eps than {_fmt(eps)}.")
    mask = (np.abs(c.numeric) > 10 * atol) & np.isfinite(c.numeric) & np.isfinite(c.analytic)
    ratios = c.analytic[mask] / c.numeric[mask]
    r = float(np.median(ratios)) if ratios.size else math.nan
    if (w.numeric != 0 and abs(w.analytic + w.numeric) <= atol + rtol * abs(w.numeric)) or abs(r + 1) < 1e-3:
        return "A sign error in a backward rule?"
    if ratios.size and r != 0 and np.all(np.abs(ratios - r) <= 1e-5 * abs(r)) and abs(r - 1) > 1e-5:
        times = "twice" if abs(r - 2) < 1e-3 else "half" if abs(r - 0.5) < 1e-3 else f"{_fmt(r)} x"
        where = "at every element" if ratios.size > 1 else "here"
        return (f"The analytic gradient is {times} the numeric one {where}: a constant factor is missing or extra in "
                "a backward rule (a contribution counted twice, or once where a node used twice must accumulate with "
                "+=? the 1/n of a mean? the exponent of a power, as in the 2x of x**2? the upstream gradient not "
                "multiplied in?)")
    square = len(c.shape) == 2 and c.shape[0] == c.shape[1]  # (a transposed gradient of another shape is named)
    if square and np.all(np.abs(c.analytic - c.numeric.T) <= atol + rtol * np.abs(c.numeric.T)):
        return ("The analytic gradient is the numeric one transposed: a backward rule transposes what it should not, "
                "or leaves untransposed what it should (x.T @ g, not g.T @ x?)")
    return ("Only some elements are wrong: check how the backward rule handles axes, indices or broadcasting (the "
            "gradient of a broadcast operand is summed back to its shape)." if 0 < c.bad.sum() < c.bad.size else
            "The error is small but above the tolerance: a float32 computation inside f, or an eps that does not suit "
            "the scale of the inputs? Try eps=1e-5 or 1e-7." if w.rel_error < 1e-2 else "")
