"""The scalar engine: a `Value` is one number that remembers how it was made.

Every op computes its result **and its local derivatives** at forward time and stores them beside its parents:

    c = a * b        # c.data = a.data * b.data,  c.parents = (a, b),  c.locals = (b.data, a.data)

Backward (`tinygrad_init.autograd.backward`) then visits the nodes in reverse topological order
and does, at each edge, exactly the lecture's formula: `parent.grad += node.grad * local`.

A node is one object: up to two parents and their local derivatives live in its own slots (only
an n-ary sum keeps a tuple). No per-node closures or containers, so Python's cycle collector has
little to scan: the collector, not the arithmetic, dominates the run time of a scalar engine.

Numerics follow IEEE 754 and PyTorch rather than Python's exceptions: `Value(1000.).exp()` is
inf, `Value(0.).log()` is -inf, `log` of a negative number, `(-8) ** 0.5` and `relu(nan)` are
nan, dividing by zero gives inf or nan; local derivatives follow PyTorch at 0, inf and nan. One
difference remains by design: the chain rule multiplies, so an inf or nan upstream gradient times
a local derivative of 0 (a relu that is off, `x ** 0`) is nan, where PyTorch's backward selects 0.
And `x ** 0.5` is C's pow(x, 0.5): inf at -inf and 0.0 at -0.0, where the Tensor engine and PyTorch
take the square root, nan and -0.0.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal
from numbers import Complex, Real
from typing import Callable, Iterable, NoReturn, Union

import numpy as np

from ..utils import check_type, is_torch
from . import autograd
from .copying import reduce_node

__all__ = ["Value"]

Number = Union[int, float, Real, np.integer, np.floating, np.bool_]  # what `Value` reads as a number (Fraction too)
_INF, _NAN = math.inf, math.nan
_BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}  # the ops of two operands, their symbols
#: numpy's ufuncs of Python's operators -> the method for `x op v` (a Value or a Tensor v on the right: its reflected
#: op) and the operator ("" for a comparison); a Value has no @
UFUNCS = {np.add: ("__radd__", "+"), np.subtract: ("__rsub__", "-"), np.multiply: ("__rmul__", "*"),
          np.divide: ("__rtruediv__", "/"), np.power: ("__rpow__", "**"), np.matmul: ("__rmatmul__", "@"),
          np.less: ("__gt__", ""), np.less_equal: ("__ge__", ""), np.greater: ("__lt__", ""),
          np.greater_equal: ("__le__", ""), np.equal: ("__eq__", ""), np.not_equal: ("__ne__", "")}


def as_number(x: object, op: str, first: bool = False) -> float:
    """A plain number (or a one-element numpy array) as a float; anything else is a TypeError (`first`: `x` stands
    first in the op, `x - v`, which the error's code writes in that order)."""
    if isinstance(x, (float, int, Real, np.bool_)):  # float and int first: they are checked without the ABC
        try:
            return float(x)
        except OverflowError:  # an int (or a Fraction) beyond 1.8e308
            raise ValueError(f"{op}: a number of about 10^{int(int(x).bit_length() * 0.30103)} is too large for a "
                             "float (at most about 1.8e308)") from None  # (its repr may exceed Python's 4,300 digits)
    if isinstance(x, np.ndarray) and x.size == 1 and x.dtype.kind in "biuf":
        return float(x.reshape(()))
    if hasattr(x, "grad_fn"):
        raise TypeError(f"{op}: cannot combine a Value with a " + ("PyTorch tensor, whose graph is not this one: a "
                        "Value takes a number, Value(t.item())" if is_torch(x) else "Tensor: the "
                        "scalar engine (Value) and the tensor engine (Tensor) do not mix. Use Tensors throughout, or "
                        "Values throughout (Value(t.item()) for a one-element tensor)."))
    if isinstance(x, np.ndarray) and (x.dtype == object or x.dtype.kind in "biuf" and op in _BINARY):  # x * v
        s, arrays, loop = _BINARY[op], ("values", "np.array(v)"), ("x", "v")
        (a, b), (c, d) = (arrays, loop) if first else (arrays[::-1], loop[::-1])  # in the order of the op
        raise TypeError(f"{op}: a Value and a numpy array{' (of Values)' * (x.dtype == object)}: Value's op takes one "
                        f"number. Make the Value an array too, np.array(v) in place of v, {a} {s} {b}, which numpy "
                        f"applies elementwise, or loop: [{c} {s} {d} for x in values]")
    raise TypeError(f"{op}: expected a plain number, got {type(x).__name__} {x!r:.60}{_instead(x, op, first)}")


def _instead(x: object, op: str, first: bool = False) -> str:
    """What to write instead, added to `as_number`'s message about `x` (nothing where there is no advice)."""
    if type(x) is Value:
        return "; a Value is a node already: use it as it is, or Value(v.data) for a new leaf"
    if isinstance(x, Value):
        return ("; the ops take Value itself, not a subclass (an exact type check keeps them fast): write a new op "
                "as a function of Values, such as def sqrt(v): return v ** 0.5")
    if hasattr(x, "grad") and hasattr(x, "data"):
        return (f"; a {type(x).__module__}.{type(x).__qualname__} is another engine's node (micrograd's, or a Value "
                "class of your own), whose graph is not this one: build it from tinygrad_init's Value throughout, or "
                "take its number as a new leaf, Value(x.data)")
    if isinstance(x, Decimal):
        return "; a Value holds a float, and Python's floats do not mix with Decimals: write float(x)"
    if isinstance(x, (str, bytes)):
        return "; a Value holds a real number: float(x) reads one written as text"
    if isinstance(x, Complex):
        return "; a Value holds a real number, not a complex one"
    if not hasattr(x, "__iter__"):
        return ""
    if op not in _BINARY:  # Value(xs), Value.sum, a scalar net's input: no op of two operands to loop
        return ". Use tinygrad_init.Tensor for arrays." if op == "Value" else f"; one number, not a {type(x).__name__}"
    return (f"; a Value's op takes one number: loop over them, [{'x' if first else 'v'} {_BINARY[op]} "
            f"{'v' if first else 'x'} for x in xs] (a Tensor and a Value do not mix)")


def _div(a: float, b: float) -> float:
    """a / b as IEEE 754 divides: x/0 is +-inf, 0/0 is nan (Python would raise)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or a != a:
            return _NAN
        return math.copysign(_INF, a) * math.copysign(1.0, b)


def _odd(y: float) -> bool:
    return y % 2.0 == 1.0  # false for non-integers, infinities and nan


def _pow(x: float, y: float) -> float:
    """x ** y as C's pow: inf on overflow and at the pole 0 ** -y, nan for (-8) ** 0.5."""
    try:
        return math.pow(x, y)
    except OverflowError:
        return -_INF if x < 0.0 and _odd(y) else _INF
    except ValueError:
        if x == 0.0:
            return math.copysign(_INF, x) if _odd(y) else _INF
        return _NAN


def _log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    return -_INF if x == 0.0 else _NAN  # negative or nan


class _First(float):
    """A plain number that stands first in its op (`1 - x`, `3 / x`, `2 ** x`): `Value.constant_first`."""

    __slots__ = ()


class Value:
    """A scalar that records the op that produced it and its local derivatives.

    Args:
        data: the number (stored as a float).
        label: an optional name, shown in ledgers and graph pictures.

    Attributes: `data` (the forward value), `grad` (dL/d(self), 0.0 until a backward pass reaches it), `label`, `op`
    (the op that made it, "" for a leaf).

    Gradients **accumulate**: every `backward()` adds into the `grad` of the leaves it reaches, as in PyTorch; reset
    them with `zero_grad()`. Intermediate nodes hold the latest pass's gradient."""

    __slots__ = ("data", "grad", "label", "op", "_a", "_da", "_b", "_db", "__weakref__")
    label: str  # (for type checkers, which read __init__'s check_type as Any)
    scalar = True  # a scalar node (see tinygrad_init.autograd)
    __reduce_ex__ = reduce_node  # pickle and deepcopy without recursion

    def __init__(self, data: Number, label: str = "", *_op: object) -> None:  # (_op: micrograd's, refused below)
        self.data = data if type(data) is float else as_number(data, "Value")
        self.grad, self.op = 0.0, ""
        self.label = check_type("Value", "label", (label, *_op) if _op else label, str, "a string (unlike micrograd's "
                                "Value(data, _children, _op): a Value records its parents itself when an op makes it)")
        self._a = self._b = self._da = self._db = None  # a leaf: no parents, no local derivatives, no constant

    # ------------------------------------------------------------------ the graph

    @property
    def parents(self) -> tuple[Value, ...]:
        """The nodes this one was computed from (empty for a leaf)."""
        return tuple(parent for parent, _ in self.edges())

    @property
    def locals(self) -> tuple[float, ...]:
        """The local derivatives d(self)/d(parent), one per parent."""
        return tuple(local for _, local in self.edges())

    _parents, _locals = parents, locals  # the names the exercises use
    # micrograd's names, for the lecture's code: its parents (a set there too), its op, one node's chain-rule step
    _prev, _op = property(lambda self: set(self.parents)), property(lambda self: self.op)

    @property
    def _backward(self) -> Callable[[], None]:
        """This node's step of backward by hand, as micrograd's `o._backward()`: `parent.grad += self.grad * local`
        (a grad set to None, PyTorch's habit, counts as 0.0 there, as in `backward()`)."""
        def step() -> None:
            upstream = 0.0 if self.grad is None else self.grad
            for parent, local in self.edges():
                parent.grad = (0.0 if parent.grad is None else parent.grad) + upstream * local
        return step

    @_backward.setter
    def _backward(self, fn: object) -> None:  # micrograd's ops attach `out._backward = _backward`
        raise AttributeError("Value: _backward cannot be set: a Value keeps no closure but its local derivatives, "
                             "which backward() multiplies; write a new op as a function of Values, such as "
                             "def sqrt(v): return v ** 0.5", name="_backward")

    @property
    def constant(self) -> float | None:
        """The plain number the op took besides its Value inputs (`a * 2`: 2.0; for `Value.sum`, the total of
        its numbers unless 0), or None. It gets no gradient; pictures draw it as a node."""
        return self._db if self._b is None else None

    @property
    def constant_first(self) -> bool:
        """Whether `constant` stands before the op's Value (`1 - x`, `3 / x`, `2 ** x`), not after it (`x - 1`)."""
        return self._b is None and type(self._db) is _First

    def edges(self) -> Iterable[tuple[Value, float]]:
        """The `(parent, local derivative)` pairs along which the gradient flows back."""
        a, b = self._a, self._b
        if b is not None:
            return ((a, self._da), (b, self._db))
        if a is None:
            return ()
        return zip(a, self._da) if type(a) is tuple else ((a, self._da),)

    # ------------------------------------------------------------------ ops
    # Each op: the result, the op, then each parent with its local derivative.

    def __add__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            return _node(self.data + (k := as_number(other, "add")), "+", self, 1.0, None, k)
        return _node(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __mul__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            return _node(self.data * (k := as_number(other, "mul")), "*", self, k, None, k)
        return _node(self.data * other.data, "*", self, other.data, other, self.data)

    def __sub__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            return _node(self.data - (k := as_number(other, "sub")), "-", self, 1.0, None, k)
        return _node(self.data - other.data, "-", self, 1.0, other, -1.0)

    def __rsub__(self, other: Number) -> Value:  # other - self
        return _node((k := as_number(other, "sub", True)) - self.data, "-", self, -1.0, None, _First(k))

    def __truediv__(self, other: Value | Number) -> Value:
        # d(a/b)/da = 1/b,  d(a/b)/db = -(a/b)/b
        a = self.data
        if type(other) is not Value:
            b = as_number(other, "div")
            return _node(_div(a, b), "/", self, _div(1.0, b), None, b)
        b = other.data
        out = _div(a, b)
        return _node(out, "/", self, _div(1.0, b), other, -_div(out, b))

    def __rtruediv__(self, other: Number) -> Value:  # other / self
        a, b = as_number(other, "div", True), self.data
        out = _div(a, b)
        return _node(out, "/", self, -_div(out, b), None, _First(a))

    def __pow__(self, other: Value | Number) -> Value:
        # d(x^y)/dx = y x^(y-1) (0 where y = 0),  d(x^y)/dy = x^y ln x (0 where x = 0 and y >= 0)
        x = self.data
        y = other.data if type(other) is Value else as_number(other, "pow")
        out = _pow(x, y)
        dx = 0.0 if y == 0.0 else y * _pow(x, y - 1.0)
        if type(other) is not Value:
            return _node(out, f"**{y:g}", self, dx, None, y)
        dy = 0.0 if x == 0.0 and y >= 0.0 else out * _log(x)
        return _node(out, "**", self, dx, other, dy)

    def __rpow__(self, other: Number) -> Value:  # other ** self
        x, y = as_number(other, "pow", True), self.data
        out = _pow(x, y)
        return _node(out, "**", self, 0.0 if x == 0.0 and y >= 0.0 else out * _log(x), None, _First(x))

    def __neg__(self) -> Value:
        return _node(-self.data, "neg", self, -1.0)

    __radd__, __rmul__ = __add__, __mul__  # addition and multiplication commute

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: object, **kwargs: object) -> object:
        """numpy meets a Value: a numpy number (or array) on the left of an operator gets the Value's reflected op, as
        a Python number does; a numpy function of a Value (np.tanh(v)) is refused, naming the Value's own ops."""
        if (op := _REFLECTED.get(ufunc)) is not None and inputs[-1] is self and not kwargs and method == "__call__":
            return op(self, inputs[0])
        if (op := _SYMBOL.get(ufunc)) and kwargs.get("out", (None,))[0] is inputs[0]:  # x += v, for a numpy array x
            raise TypeError(f"np.{ufunc.__name__}: x {op}= v (in place) writes into the numpy array x, which holds "
                            f"numbers, not the graph: write x = x {op} " + ("v, a new Value" if inputs[0].size == 1
                                                                             else "np.array(v), an array of Values"))
        if ufunc in _REFLECTED or ufunc in _NO_OP:  # np.add(v, 1.0); np.float64(3) // v
            raise TypeError(f"np.{ufunc.__name__}: " + ("write the operator (v + x, x * v, ...): a Value is a node of "
                            "the graph, not an array" if ufunc in _REFLECTED else "a Value has no such op; its "
                            "operators are +, -, *, /, ** and the comparisons"))
        raise TypeError(f"np.{ufunc.__name__}: numpy's functions take arrays of numbers, not a Value: write the "
                        "Value's own op, v.tanh(), v.exp(), v.log(), v.sigmoid(), v.relu(), v ** 0.5, which stay in "
                        "the graph (v.data is the number, outside it)")

    @staticmethod
    def sum(values: Iterable[Value | Number], start: Value | Number = 0.0) -> Value:
        """One n-ary "+" node: `start + v1 + ... + vn`, every local derivative 1.

        Python's built-in `sum` builds a chain of n binary adds; this builds a single node with n parents: the same
        gradient, a flatter graph, fewer nodes to walk."""
        if not hasattr(values, "__iter__") or not getattr(values, "ndim", 1):  # (a 0-d array has __iter__, which fails)
            raise TypeError(f"Value.sum: values must be a list of Values or numbers such as [a, b], got "
                            f"{type(values).__name__}")
        parents, total, k = [], -0.0, 0.0  # -0.0: the identity of +, which keeps the sign of start + v1 + ...
        for v in (start, *values):
            if type(v) is Value:
                parents.append(v)
                total += v.data
            else:
                total += (n := as_number(v, "sum"))
                k += n
        return _node(total, "+", tuple(parents), (1.0,) * len(parents), None, k or None) if parents else Value(total)

    def exp(self) -> Value:
        """e^x; local derivative e^x."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            out = _INF
        return _node(out, "exp", self, out)

    def log(self) -> Value:
        """ln x; local derivative 1/x (as in PyTorch, also where ln x is nan: x < 0)."""
        x = self.data
        return _node(_log(x), "log", self, _div(1.0, x))

    def tanh(self) -> Value:
        """tanh x; local derivative 1 - tanh^2 x, computed as (1 - t)(1 + t): no cancellation near +-1."""
        t = math.tanh(self.data)
        return _node(t, "tanh", self, (1.0 - t) * (1.0 + t))

    def sigmoid(self) -> Value:
        """s(x) = 1/(1+e^-x); local derivative s(x)(1 - s(x))."""
        x = self.data
        e = math.exp(-abs(x))  # exp only ever sees -|x|: exactly 1.0 and 0.0 far out, never an overflow
        s = 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)
        return _node(s, "sigmoid", self, s * (1.0 - s))

    def relu(self) -> Value:
        """max(0, x); local derivative 1 where the result is > 0 (or nan), else 0, as in PyTorch."""
        x = self.data
        out = 0.0 if x < 0.0 else x  # keeps -0.0 and nan
        return _node(out, "relu", self, 0.0 if out <= 0.0 else 1.0)

    # ------------------------------------------------------------------ backward

    def backward(self) -> None:
        """Backpropagate from this node: dL/dL = 1, then `parent.grad += node.grad * local`; leaves accumulate
        across calls, intermediate nodes are reset first; a pass cut short (Ctrl-C) leaves the leaves as they were."""
        with autograd._PASSES:  # passes in two threads, which may share nodes, one after the other
            autograd.backward(self, 1.0)

    def zero_grad(self) -> None:
        """Set this node's gradient to 0.0."""
        self.grad = 0.0

    def item(self) -> float:
        """The number, `v.data`, as PyTorch's `loss.item()` (and a Tensor's): without `float(v)`'s warning."""
        return self.data

    # a real number is its own real part and conjugate, as Python's floats are: numpy's var of Values reads both
    real, conjugate = property(lambda self: self), lambda self: self

    def __float__(self) -> float:  # warns, as PyTorch does for a tensor that requires grad
        return self._number("float(v), which math.tanh(v), math.exp(v) and the like call,")

    def __int__(self) -> int:  # toward 0, as int(x) of a float, with float(v)'s warning (as a Tensor's int(t))
        return int(self._number("int(v)"))

    def _number(self, what: str) -> float:
        warnings.warn(f"Value: {what} is a plain number outside the graph: no gradient flows back through it. "
                      "Write v.data for the number, v.tanh(), v.exp() to stay in the graph.", stacklevel=3)
        return self.data

    def __round__(self, ndigits: int | None = None) -> NoReturn:  # an error that says what to write
        n = "" if ndigits is None else f", {ndigits!r}"
        raise TypeError(f"Value: round(v{n}) is not an op of this engine (its gradient would be 0 wherever it is "
                        f"defined): round the number, round(v.data{n})")

    def __lt__(self, other: object) -> NoReturn:  # and <=, >, >=: what max, min and sorted call
        raise TypeError("Value: <, <=, >, >= (and so max, min, sorted) do not compare Values: compare their numbers, "
                        "a.data < b.data, or pick a Value by its number, max(values, key=lambda v: v.data) (at a tie "
                        "the first, which gets all of the gradient, as PyTorch's max(dim); Tensor.max shares it among "
                        "the tied)")

    __le__ = __gt__ = __ge__ = __lt__

    def __abs__(self) -> NoReturn:  # micrograd has no abs either
        raise TypeError("Value: abs(v) is not an op of this engine; write v.relu() + (-v).relu() (its gradient is "
                        "sign(v)). numpy's isclose, allclose and assert_allclose take |a - b|: give them the number, "
                        "v.data")

    def __eq__(self, other: object) -> bool:  # whether they are one node (kept in sets and dicts), as a Tensor's ==
        if self is not other and isinstance(other, (Complex, Decimal, np.bool_, np.ndarray)):  # not a silent False
            raise TypeError("Value: == and != of a Value ask whether two Values are one and the same (a graph node), "
                            "not whether their numbers are equal: compare the numbers, v.data == x")
        return True if self is other else NotImplemented  # the other's == decides (pytest.approx), else identity

    __hash__ = object.__hash__
    __bool__ = lambda self: bool(self.data)  # noqa: E731  `if v:` tests the number, as PyTorch's and a Tensor's

    def __format__(self, spec: str) -> str:  # f"{loss:.4f}" formats the number
        return format(self.data, spec) if spec else repr(self)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={'None' if self.grad is None else format(self.grad, '.6g')}{label})"


_new = object.__new__
_REFLECTED = {u: getattr(Value, name) for u, (name, _) in UFUNCS.items() if u is not np.matmul}  # x op v: v's op
_SYMBOL = {u: symbol for u, (_, symbol) in UFUNCS.items() if symbol and u is not np.matmul}  # in place: x += v
_NO_OP = {np.floor_divide, np.remainder, np.divmod, np.matmul, np.fmod}  # //, %, divmod, @, fmod: no ops of a Value


def _node(data: float, op: str, a: Value | tuple, da: float | tuple, b: Value | None = None,
          db: float | None = None) -> Value:
    """An op's result: `data`, made by `op` from parent `a` (local derivative `da`) and optionally `b`
    (`db`); an n-ary node takes a tuple of parents and one of local derivatives (a custom op can use it too).
    Without `b`, `db` holds the plain number the op took (`a * 2`: 2.0), or None."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.op = op
    v._a = a
    v._da = da
    v._b = b
    v._db = db
    return v
