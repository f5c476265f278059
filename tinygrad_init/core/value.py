"""The scalar engine: a :class:`Value` is one number that remembers how it was made.

Every op computes its result **and its local derivatives** at forward time and
stores them beside its parents::

    c = a * b        # c.data = a.data * b.data
                     # c._parents = (a, b)
                     # c._locals  = (b.data, a.data)    # dc/da, dc/db

Backward (:func:`tinygrad_init.autograd.backward`) then visits the nodes in
reverse topological order and does, at each edge, exactly the lecture's formula::

    parent.grad += node.grad * local      # upstream gradient x local gradient

There are no per-node closures: a closure that refers to its own output forms a
reference cycle, and Python's cycle collector then dominates the run time of a
scalar engine.

Numerics follow PyTorch's float semantics rather than Python's exceptions:
``Value(1000.).exp()`` is ``inf``, ``Value(0.).log()`` is ``-inf``, ``log`` of a
negative number and ``(-8) ** 0.5`` are ``nan``, and dividing by zero gives
``inf`` or ``nan``.
"""

from __future__ import annotations

import itertools
import math
from numbers import Real
from typing import Iterable, Union

from . import autograd
__all__ = ["Value"]

Number = Union[int, float]
_INF = math.inf
_NAN = math.nan


def _as_float(x: object, what: str = "Value") -> float:
    """Convert a plain number (or a 0-d / size-1 numpy array) to float, or raise a clear TypeError."""
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, Real):
        return float(x)
    size = getattr(x, "size", None)
    if size == 1 and hasattr(x, "item"):
        return float(x.item())  # type: ignore[union-attr]
    raise TypeError(
        f"{what}: expected a plain number, got {type(x).__name__} {x!r:.60}. "
        "Use tinygrad_init.Tensor for arrays."
    )


def _div(a: float, b: float) -> float:
    """a / b with IEEE semantics: x/0 is +-inf, 0/0 is nan (Python would raise)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or a != a:
            return _NAN
        return math.copysign(_INF, a) * math.copysign(1.0, b)


def _pow(x: float, y: float) -> float:
    """x ** y with IEEE semantics (nan for a negative base and fractional exponent, inf on overflow)."""
    if x < 0.0 and y != math.floor(y) and not math.isinf(y):
        return _NAN
    try:
        r = x ** y
    except ZeroDivisionError:  # 0.0 ** negative
        odd = y == math.floor(y) and int(y) % 2 == 1
        return math.copysign(_INF, x) if odd else _INF
    except OverflowError:
        odd = y == math.floor(y) and not math.isinf(y) and int(y) % 2 == 1
        return -_INF if (x < 0.0 and odd) else _INF
    return r


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def _log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -_INF
    return _NAN  # negative or nan


def _sigmoid(x: float) -> float:
    # Two branches so that exp never overflows: exact 1.0 / 0.0 at |x| = 1000.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class Value:
    """A scalar that records the op that produced it and its local derivatives.

    Args:
        data: the number (stored as float).
        label: an optional name, shown in ledgers and graph pictures.

    Attributes:
        data: the value computed in the forward pass.
        grad: dL/d(self), 0.0 until a backward pass reaches it.
        label: the name given, or "".
        op: the op that made it ("" for a leaf), for example "*" or "tanh".

    Gradients **accumulate**: every call of :meth:`backward` adds into the
    ``grad`` of the leaves it reaches, as in PyTorch, so that a loss summed
    over several backward calls gets the summed gradient. Reset them with
    :meth:`zero_grad` (or ``Module.zero_grad()``) before the next step.
    Intermediate (non-leaf) nodes hold the gradient of the latest backward pass.
    """

    __slots__ = ("data", "grad", "label", "op", "_parents", "_locals", "__weakref__")
    __array_ufunc__ = None  # so numpy scalars defer to Value's reflected ops
    _SCALAR = True  # local derivatives are plain numbers (see tinygrad_init.autograd)

    def __init__(self, data: Number, label: str = "", _parents: tuple = (), _locals: tuple = (), _op: str = ""):
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = _op
        self._parents = _parents
        self._locals = _locals

    # ------------------------------------------------------------------ ops
    # Each op: the result, then (parents, local derivatives d out / d parent).

    def __add__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            return Value(self.data + _as_float(other, "add"), "", (self,), (1.0,), "+")
        return Value(self.data + other.data, "", (self, other), (1.0, 1.0), "+")

    def __mul__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            k = _as_float(other, "mul")
            return Value(self.data * k, "", (self,), (k,), "*")
        return Value(self.data * other.data, "", (self, other), (other.data, self.data), "*")

    def __sub__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            return Value(self.data - _as_float(other, "sub"), "", (self,), (1.0,), "-")
        return Value(self.data - other.data, "", (self, other), (1.0, -1.0), "-")

    def __rsub__(self, other: Number) -> Value:  # other - self
        return Value(_as_float(other, "sub") - self.data, "", (self,), (-1.0,), "-")

    def __truediv__(self, other: Value | Number) -> Value:
        # d(a/b)/da = 1/b,  d(a/b)/db = -a/b^2
        if type(other) is not Value:
            b = _as_float(other, "div")
            return Value(_div(self.data, b), "", (self,), (_div(1.0, b),), "/")
        a, b = self.data, other.data
        return Value(_div(a, b), "", (self, other), (_div(1.0, b), -_div(a, b * b)), "/")

    def __rtruediv__(self, other: Number) -> Value:  # other / self
        a, b = _as_float(other, "div"), self.data
        return Value(_div(a, b), "", (self,), (-_div(a, b * b),), "/")

    def __pow__(self, other: Value | Number) -> Value:
        # d(x^y)/dx = y * x^(y-1),  d(x^y)/dy = x^y * ln x
        x = self.data
        if type(other) is not Value:
            y = _as_float(other, "pow")
            dx = 0.0 if y == 0.0 else y * _pow(x, y - 1.0)
            return Value(_pow(x, y), "", (self,), (dx,), f"**{y:g}")
        y = other.data
        out = _pow(x, y)
        dy = 0.0 if (x == 0.0 and y >= 0.0) else out * _log(x)  # PyTorch's convention at x = 0
        dx = 0.0 if y == 0.0 else y * _pow(x, y - 1.0)
        return Value(out, "", (self, other), (dx, dy), "**")

    def __rpow__(self, other: Number) -> Value:  # other ** self
        x, y = _as_float(other, "pow"), self.data
        out = _pow(x, y)
        dy = 0.0 if (x == 0.0 and y >= 0.0) else out * _log(x)
        return Value(out, "", (self,), (dy,), "**")

    def __neg__(self) -> Value:
        return Value(-self.data, "", (self,), (-1.0,), "neg")

    __radd__ = __add__
    __rmul__ = __mul__

    @staticmethod
    def sum(values: Iterable[Value | Number], start: Value | Number = 0.0) -> Value:
        """One n-ary "+" node: ``start + v1 + ... + vn``, every local derivative 1.

        Python's built-in ``sum`` builds a chain of n binary adds; this builds a
        single node with n parents -- the same gradient, a flatter graph, and far
        fewer nodes to walk.
        """
        parents = []
        total = 0.0
        for v in itertools.chain((start,), values):
            if type(v) is Value:
                parents.append(v)
                total += v.data
            else:
                total += _as_float(v, "sum")
        return Value(total, "", tuple(parents), (1.0,) * len(parents), "+")

    def exp(self) -> Value:
        """e^x; local derivative e^x."""
        out = _exp(self.data)
        return Value(out, "", (self,), (out,), "exp")

    def log(self) -> Value:
        """ln x; local derivative 1/x (as in PyTorch, also where ln is nan: x < 0)."""
        x = self.data
        return Value(_log(x), "", (self,), (_div(1.0, x),), "log")

    def tanh(self) -> Value:
        """tanh x; local derivative 1 - tanh^2 x."""
        t = math.tanh(self.data)
        return Value(t, "", (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """sigma(x) = 1/(1+e^-x); local derivative sigma(x)(1 - sigma(x))."""
        s = _sigmoid(self.data)
        return Value(s, "", (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x); local derivative 1 if x > 0 else 0."""
        x = self.data
        return Value(x if x > 0.0 else 0.0, "", (self,), (1.0 if x > 0.0 else 0.0,), "relu")

    # ------------------------------------------------------------ backward

    def backward(self) -> None:
        """Backpropagate from this node: dL/dL = 1, then ``parent.grad += node.grad * local``.

        Leaves accumulate across calls (see the class docstring); the
        gradients of intermediate nodes are recomputed by each call.
        """
        order = autograd.topological_order(self)
        for node in order:
            if node._parents:
                node.grad = 0.0
        autograd.backward(self, 1.0, order)

    def zero_grad(self) -> None:
        """Set this node's gradient to 0.0."""
        self.grad = 0.0

    # The node protocol of tinygrad_init.autograd.

    def _chain(self, upstream: float) -> Iterable[tuple[Value, float, float]]:
        return [(p, local, upstream * local) for p, local in zip(self._parents, self._locals)]

    def _accumulate(self, contribution: float) -> None:
        self.grad += contribution

    def _upstream(self) -> float:
        return self.grad

    def _release(self) -> None:
        pass

    # --------------------------------------------------------------- misc

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"
