"""The tensor engine: numpy arrays that remember how they were made.

Each op is a small class holding two functions side by side -- the forward
computation and its vector-Jacobian product (VJP). For ``y = x @ W``::

    forward:   y  = x @ W
    backward:  dx = g @ W.T        # upstream x local w
               dW = x.T @ g

where ``g = dL/dy`` is the upstream gradient. The graph walk and the chain rule
live in :mod:`tinygrad_init.autograd`, shared with the scalar engine; this module
only says, per op, what the local rule is.

Broadcasting is undone in one place (:func:`unbroadcast`): an op's backward
returns gradients in the broadcast shape, and the engine sums them back to
each parent's shape.

Gradients kept after ``backward()`` follow PyTorch: leaves created with
``requires_grad=True`` keep ``.grad`` (and accumulate it across calls);
intermediate tensors drop theirs once passed on, unless :meth:`Tensor.retain_grad`
was called or ``backward(retain_grads=True)`` is used.
"""

from __future__ import annotations

import contextlib
import operator
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from . import autograd
__all__ = ["Tensor", "no_grad", "enable_grad", "is_grad_enabled", "unbroadcast", "OPS"]

_GRAD_ENABLED = True
_requires_grad = operator.attrgetter("requires_grad")


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Within this block no op builds a graph: results have ``requires_grad=False``.

    Use it for evaluation and for parameter updates::

        with no_grad():
            accuracy = (model(X).data.argmax(1) == y).mean()
    """
    global _GRAD_ENABLED
    previous, _GRAD_ENABLED = _GRAD_ENABLED, False
    try:
        yield
    finally:
        _GRAD_ENABLED = previous


@contextlib.contextmanager
def enable_grad() -> Iterator[None]:
    """Turn graph building back on inside a :func:`no_grad` block."""
    global _GRAD_ENABLED
    previous, _GRAD_ENABLED = _GRAD_ENABLED, True
    try:
        yield
    finally:
        _GRAD_ENABLED = previous


def is_grad_enabled() -> bool:
    """True unless inside :func:`no_grad`."""
    return _GRAD_ENABLED


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the backward of numpy broadcasting.

    If ``x`` of shape ``shape`` was broadcast to ``grad.shape`` in the forward
    pass, every copy of an element received a gradient; dL/dx is their sum.
    Leading axes that broadcasting added are summed away; axes where ``shape``
    has size 1 are summed with ``keepdims``.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
        if grad.shape == shape:  # the common case: a bias added to every row
            return grad
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


class _HookHandle:
    """Returned by ``register_hook``: call :meth:`remove` to take the hook off."""

    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks: list, fn: Callable) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __enter__(self) -> "_HookHandle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


# --------------------------------------------------------------------------
# Ops: forward and vector-Jacobian product side by side.
#
#   forward(*arrays, **params) -> (out, saved)
#   backward(saved, g, needs)  -> one gradient (or None) per input
#
# ``g`` is dL/d(out); ``needs[i]`` says whether input i wants a gradient, so
# that work nobody asked for is skipped. ``rules`` states each VJP in words;
# the ledger prints it.
# --------------------------------------------------------------------------


class Op:
    """Base of all tensor ops (a namespace: ops are never instantiated)."""

    name = "op"
    rules: tuple[str, ...] = ()

    @staticmethod
    def forward(*arrays: np.ndarray, **params: Any) -> tuple[np.ndarray, Any]:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def backward(saved: Any, g: np.ndarray, needs: Sequence[bool]) -> tuple:  # pragma: no cover
        raise NotImplementedError


class Add(Op):
    name, rules = "add", ("da = g", "db = g")

    @staticmethod
    def forward(a, b):
        return a + b, None

    @staticmethod
    def backward(saved, g, needs):
        return g, g


class Sub(Op):
    name, rules = "sub", ("da = g", "db = -g")

    @staticmethod
    def forward(a, b):
        return a - b, None

    @staticmethod
    def backward(saved, g, needs):
        return g, (-g if needs[1] else None)


class Mul(Op):
    name, rules = "mul", ("da = g * b", "db = g * a")

    @staticmethod
    def forward(a, b):
        return a * b, (a, b)

    @staticmethod
    def backward(saved, g, needs):
        a, b = saved
        if a is b and needs[0]:  # x * x: both local derivatives are x, so g * x is computed once
            ga = g * b
            return ga, ga
        return (g * b if needs[0] else None), (g * a if needs[1] else None)


class Div(Op):
    name, rules = "div", ("da = g / b", "db = -g * a / b**2")

    @staticmethod
    def forward(a, b):
        return a / b, (a, b)

    @staticmethod
    def backward(saved, g, needs):
        a, b = saved
        ga = g / b if needs[0] else None
        gb = -g * a / (b * b) if needs[1] else None
        return ga, gb


class Pow(Op):
    name, rules = "pow", ("da = g * b * a**(b-1)", "db = g * a**b * ln a")

    @staticmethod
    def forward(a, b):
        out = a**b
        return out, (a, b, out)

    @staticmethod
    def backward(saved, g, needs):
        a, b, out = saved
        ga = gb = None
        if needs[0]:
            # b * a**(b-1); where b == 0 the derivative is 0 (PyTorch's convention).
            with np.errstate(divide="ignore", invalid="ignore"):
                ga = g * np.where(b == 0, 0.0, b * a ** (b - 1)).astype(out.dtype, copy=False)
        if needs[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                ln_a = np.log(a)
                gb = g * np.where((a == 0) & (b >= 0), 0.0, out * ln_a).astype(out.dtype, copy=False)
        return ga, gb


class MatMul(Op):
    name, rules = "matmul", ("dx = g @ W.T", "dW = x.T @ g")

    @staticmethod
    def forward(a, b):
        return a @ b, (a, b)

    @staticmethod
    def backward(saved, g, needs):
        a, b = saved
        if a.ndim == 2 and b.ndim == 2:  # the common case: (batch, in) @ (in, out)
            return (g @ b.T if needs[0] else None), (a.T @ g if needs[1] else None)
        # Vectors: promote to matrices as numpy's matmul does, then drop the axis again.
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = g
        if b.ndim == 1:  # first: for vector . vector, g is 0-d and gains (1,) then (1, 1)
            g2 = np.expand_dims(g2, -1)
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        ga = gb = None
        if needs[0]:
            ga = g2 @ np.swapaxes(b2, -1, -2)
            if a.ndim == 1:
                ga = ga.reshape(ga.shape[:-2] + ga.shape[-1:])
        if needs[1]:
            gb = np.swapaxes(a2, -1, -2) @ g2
            if b.ndim == 1:
                gb = gb.reshape(gb.shape[:-1])
        return ga, gb


class Neg(Op):
    name, rules = "neg", ("dx = -g",)

    @staticmethod
    def forward(x):
        return -x, None

    @staticmethod
    def backward(saved, g, needs):
        return (-g,)


class Exp(Op):
    name, rules = "exp", ("dx = g * exp(x)",)

    @staticmethod
    def forward(x):
        out = np.exp(x)
        return out, out

    @staticmethod
    def backward(out, g, needs):
        return (g * out,)


class Log(Op):
    name, rules = "log", ("dx = g / x",)

    @staticmethod
    def forward(x):
        return np.log(x), x

    @staticmethod
    def backward(x, g, needs):
        return (g / x,)


class Tanh(Op):
    name, rules = "tanh", ("dx = g * (1 - tanh(x)**2)",)

    @staticmethod
    def forward(x):
        out = np.tanh(x)
        return out, out

    @staticmethod
    def backward(out, g, needs):
        dx = np.multiply(out, out, out=np.empty_like(out))  # one temporary for the whole rule:
        np.subtract(1, dx, out=dx)                          # 1 - tanh^2
        return (np.multiply(g, dx, out=dx),)                # g * (1 - tanh^2)


class Sigmoid(Op):
    name, rules = "sigmoid", ("dx = g * s * (1 - s)",)

    @staticmethod
    def forward(x):
        # Stable on both sides: exp only ever sees -|x|.
        e = np.exp(-np.abs(x))
        r = 1 / (1 + e)
        out = np.where(x >= 0, r, e * r)
        return out, out

    @staticmethod
    def backward(out, g, needs):
        dx = np.subtract(1, out, out=np.empty_like(out))  # one temporary for the whole rule:
        np.multiply(dx, out, out=dx)                      # s (1 - s)
        return (np.multiply(g, dx, out=dx),)              # g * s (1 - s)


class ReLU(Op):
    name, rules = "relu", ("dx = g * (x > 0)",)

    @staticmethod
    def forward(x):
        out = np.maximum(x, 0)
        return out, out

    @staticmethod
    def backward(out, g, needs):
        return (g * (out > 0),)


class Softplus(Op):
    name, rules = "softplus", ("dx = g * sigmoid(x)",)

    @staticmethod
    def forward(x):
        # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): no overflow for any x.
        e = np.exp(-np.abs(x))
        out = np.maximum(x, 0) + np.log1p(e)
        r = 1 / (1 + e)
        return out, np.where(x >= 0, r, e * r)  # sigmoid(x), the local derivative

    @staticmethod
    def backward(s, g, needs):
        return (g * s,)


def _norm_axis(axis: int | Sequence[int] | None, ndim: int, op: str) -> tuple[int, ...] | None:
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} dimension(s)")
        out.append(int(a) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: axis {axis} names the same axis twice; list each axis once")
    if ndim == 0:
        return None  # a 0-d tensor: axis 0 (or -1) is its one element, as in PyTorch
    return tuple(out)


def _one_axis(axis: int, ndim: int, op: str) -> int | None:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"{op}: axis must be a single int, got {axis!r}")
    axes = _norm_axis(axis, ndim, op)
    return None if axes is None else axes[0]


def _broadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """``np.broadcast_to(g, shape)``: a read-only view. A one-element ``g`` (the gradient of a
    full reduction such as a loss) is viewed with zero strides directly, which takes a tenth
    of the time of ``np.broadcast_to``."""
    if g.size == 1:
        g = np.ascontiguousarray(g)
        out = np.ndarray(shape, g.dtype, buffer=g, strides=(0,) * len(shape))
        out.flags.writeable = False
        return out
    return np.broadcast_to(g, shape)


def _expand_reduced(g: np.ndarray, shape: tuple, axes: tuple | None, keepdims: bool) -> np.ndarray:
    """Reshape a reduced gradient so that it broadcasts against the input of shape ``shape``."""
    if keepdims or axes is None and g.ndim == 0:
        return g
    if axes is None:
        return g.reshape((1,) * len(shape))
    return np.expand_dims(g, axes)


class Sum(Op):
    name, rules = "sum", ("dx = broadcast(g)",)

    @staticmethod
    def forward(x, axis=None, keepdims=False):
        return x.sum(axis=axis, keepdims=keepdims), (x.shape, axis, keepdims)

    @staticmethod
    def backward(saved, g, needs):
        shape, axis, keepdims = saved
        return (_broadcast(_expand_reduced(g, shape, axis, keepdims), shape),)


class Mean(Op):
    name, rules = "mean", ("dx = broadcast(g) / n",)

    @staticmethod
    def forward(x, axis=None, keepdims=False):
        if x.size and (x.dtype == np.float32 or x.dtype == np.float64):
            # What np.mean computes for these dtypes (the same sum, then / n), without its overhead.
            out = x.sum(axis=axis, keepdims=keepdims)
            n = x.size // max(out.size, 1)
            if n <= 2**24:  # n is exact in float32
                return out / n, (x.shape, axis, keepdims, n)
        out = x.mean(axis=axis, keepdims=keepdims)
        n = x.size // max(out.size, 1) if x.size else 1
        return out, (x.shape, axis, keepdims, n)

    @staticmethod
    def backward(saved, g, needs):
        shape, axis, keepdims, n = saved
        return (_broadcast(_expand_reduced(g / n, shape, axis, keepdims), shape),)


class Max(Op):
    name, rules = "max", ("dx = g at the maximum (shared equally among ties)",)

    @staticmethod
    def forward(x, axis=None, keepdims=False):
        out = x.max(axis=axis, keepdims=True)
        result = out if keepdims else (out.reshape(()) if axis is None else np.squeeze(out, axis))
        return result, (x, out, axis, keepdims)

    @staticmethod
    def backward(saved, g, needs):
        x, out, axis, keepdims = saved
        mask = x == out
        count = mask.sum(axis=axis, keepdims=True)
        return (_expand_reduced(g, x.shape, axis, keepdims) * mask / count,)


class Reshape(Op):
    name, rules = "reshape", ("dx = g.reshape(x.shape)",)

    @staticmethod
    def forward(x, shape):
        return x.reshape(shape), x.shape

    @staticmethod
    def backward(shape, g, needs):
        return (g.reshape(shape),)


class Transpose(Op):
    name, rules = "transpose", ("dx = g.transpose(inverse axes)",)

    @staticmethod
    def forward(x, axes=None):
        return np.transpose(x, axes), axes

    @staticmethod
    def backward(axes, g, needs):
        return (np.transpose(g, None if axes is None else np.argsort(axes)),)


class GetItem(Op):
    name, rules = "getitem", ("dx = zeros, with g added at x[index]",)

    @staticmethod
    def forward(x, index):
        return x[index], (x.shape, x.dtype, index)

    @staticmethod
    def backward(saved, g, needs):
        shape, dtype, index = saved
        out = np.zeros(shape, dtype=g.dtype)
        if _is_advanced(index):
            np.add.at(out, index, g)  # repeated indices accumulate
        else:
            out[index] = g
        return (out,)


def _is_advanced(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, (list, np.ndarray)) for i in items)


class LogSoftmax(Op):
    name, rules = "log_softmax", ("dx = g - softmax(x) * sum(g)",)

    @staticmethod
    def forward(x, axis=-1):
        shifted = x - x.max(axis=axis, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=axis, keepdims=True)
        out = shifted - np.log(s)
        return out, (e / s, axis)

    @staticmethod
    def backward(saved, g, needs):
        p, axis = saved
        return (g - p * g.sum(axis=axis, keepdims=True),)


class Softmax(Op):
    name, rules = "softmax", ("dx = s * (g - sum(g * s))",)

    @staticmethod
    def forward(x, axis=-1):
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        out = e / e.sum(axis=axis, keepdims=True)
        return out, (out, axis)

    @staticmethod
    def backward(saved, g, needs):
        s, axis = saved
        return (s * (g - (g * s).sum(axis=axis, keepdims=True)),)


#: Every op class by name, for the ledger and the renderer.
OPS: dict[str, type[Op]] = {
    op.name: op
    for op in (Add, Sub, Mul, Div, Pow, MatMul, Neg, Exp, Log, Tanh, Sigmoid, ReLU, Softplus, Sum, Mean, Max,
               Reshape, Transpose, GetItem, LogSoftmax, Softmax)
}

_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, np.ndarray):
        if data.dtype.kind == "f":
            return data
        if data.dtype.kind in "biu":
            return data.astype(np.float32)
        raise TypeError(f"Tensor: cannot make a tensor of an array of dtype {data.dtype}; use numbers")
    if isinstance(data, np.generic) and data.dtype.kind == "f":
        return np.asarray(data)
    try:
        return np.asarray(data, dtype=np.float32)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"Tensor: cannot make a float tensor of {type(data).__name__} {data!r:.60} ({e}). "
            "Pass a number, a (nested) list of numbers or a numpy array of equal-length rows."
        ) from None


class Tensor:
    """An n-dimensional array with reverse-mode autograd.

    Args:
        data: a number, a nested list, or a numpy array. A floating ndarray keeps
            its dtype; numbers, lists and integer arrays become float32.
        requires_grad: whether ``backward()`` should compute ``.grad`` for it.
        dtype: a numpy dtype to convert to, overriding the rule above.

    Attributes:
        data: the numpy array.
        grad: dL/d(self) as an array of the same shape, or None.
        requires_grad: whether gradients flow to it.
        name: an optional label (``Module`` sets it to the parameter's path, such
            as ``layers.2.weight``); shown by the ledger and the renderer.
    """

    __slots__ = ("data", "grad", "requires_grad", "name", "_parents", "_op", "_saved", "_hooks",
                 "_retain", "__weakref__")
    __array_ufunc__ = None  # numpy defers to Tensor's reflected operators
    __array_priority__ = 1000
    _SCALAR = False

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str = "") -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = _to_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating tensors can require grad, got dtype {self.data.dtype}")
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._parents: tuple[Tensor, ...] = ()
        self._op: type[Op] | None = None
        self._saved: Any = None
        self._hooks: list | None = None
        self._retain = False

    # ----------------------------------------------------------- creation

    @classmethod
    def _result(cls, out: np.ndarray, op: type[Op], parents: tuple, saved: Any) -> "Tensor":
        """Wrap an op's output; record the graph only if some parent needs a gradient."""
        t = cls.__new__(cls)
        t.data = out
        t.grad = None
        t.name = ""
        t._hooks = None
        t._retain = False
        if _GRAD_ENABLED and any(map(_requires_grad, parents)):
            t.requires_grad = True
            t._parents = parents
            t._op = op
            t._saved = saved
        else:
            t.requires_grad = False
            t._parents = ()
            t._op = op  # kept so that a picture can still name the op
            t._saved = None
        return t

    @classmethod
    def zeros(cls, *shape: int, requires_grad: bool = False, dtype: Any = np.float32) -> "Tensor":
        return cls(np.zeros(shape, dtype=dtype), requires_grad=requires_grad)

    @classmethod
    def ones(cls, *shape: int, requires_grad: bool = False, dtype: Any = np.float32) -> "Tensor":
        return cls(np.ones(shape, dtype=dtype), requires_grad=requires_grad)

    @classmethod
    def randn(cls, *shape: int, rng: np.random.Generator | int | None = None, requires_grad: bool = False,
              dtype: Any = np.float32) -> "Tensor":
        """Standard normal entries from ``rng`` (a Generator, a seed, or None)."""
        gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        return cls(gen.standard_normal(shape).astype(dtype), requires_grad=requires_grad)

    # --------------------------------------------------------- properties

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def T(self) -> "Tensor":
        """The transpose (all axes reversed)."""
        return self.transpose()

    @property
    def op(self) -> str:
        """The name of the op that made this tensor ("" for a leaf)."""
        return self._op.name if self._op is not None else ""

    @property
    def is_leaf(self) -> bool:
        return not self._parents

    def numpy(self) -> np.ndarray:
        """The data as a numpy array (shared, not copied)."""
        return self.data

    def item(self) -> float:
        """The single element as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item: the tensor has shape {self.shape} ({self.data.size} elements); "
                             "item() needs exactly one. Reduce it first, e.g. t.sum().item()")
        return float(self.data.reshape(()))

    def detach(self) -> "Tensor":
        """The same data, cut off from the graph (requires_grad=False)."""
        return Tensor(self.data)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ", threshold=20, edgeitems=2,
                               prefix="Tensor(")
        extra = []
        if self.data.dtype != np.float32:
            extra.append(f"dtype={self.data.dtype}")
        if self._op is not None and self._parents:
            extra.append(f"op={self._op.name}")
        elif self.requires_grad:
            extra.append("requires_grad=True")
        if self.name:
            extra.append(f"name={self.name!r}")
        return f"Tensor({body}{', ' if extra else ''}{', '.join(extra)})"

    # ---------------------------------------------------------------- ops

    def _binary(self, op: type[Op], other: Any, reverse: bool = False) -> "Tensor":
        if type(other) is not Tensor:
            if not isinstance(other, Tensor):
                other = _constant(other, self.data.dtype, op.name)
        a, b = (other, self) if reverse else (self, other)
        try:
            out, saved = op.forward(a.data, b.data)
        except ValueError as e:
            if "broadcast" in str(e):
                raise ValueError(
                    f"{op.name}: shapes {a.shape} {_SYMBOL.get(op.name, op.name)} {b.shape} cannot be "
                    "broadcast together: from the right, each pair of sizes must be equal or one of them 1. "
                    "Reshape one operand (for example x.reshape(-1, 1)) or check which axes you meant."
                ) from None
            raise
        return Tensor._result(out, op, (a, b), saved)

    def __add__(self, other): return self._binary(Add, other)
    def __radd__(self, other): return self._binary(Add, other, reverse=True)
    def __sub__(self, other): return self._binary(Sub, other)
    def __rsub__(self, other): return self._binary(Sub, other, reverse=True)
    def __mul__(self, other): return self._binary(Mul, other)
    def __rmul__(self, other): return self._binary(Mul, other, reverse=True)
    def __truediv__(self, other): return self._binary(Div, other)
    def __rtruediv__(self, other): return self._binary(Div, other, reverse=True)
    def __pow__(self, other): return self._binary(Pow, other)
    def __rpow__(self, other): return self._binary(Pow, other, reverse=True)

    def __matmul__(self, other: Any) -> "Tensor":
        if not isinstance(other, Tensor):
            other = _constant(other, self.data.dtype, "matmul")
        return _matmul(self, other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        return _matmul(_constant(other, self.data.dtype, "matmul"), self)

    def __neg__(self) -> "Tensor":
        out, saved = Neg.forward(self.data)
        return Tensor._result(out, Neg, (self,), saved)

    def _unary(self, op: type[Op], **params: Any) -> "Tensor":
        out, saved = op.forward(self.data, **params)
        return Tensor._result(out, op, (self,), saved)

    def exp(self) -> "Tensor":
        """e^x elementwise; dx = g * e^x."""
        return self._unary(Exp)

    def log(self) -> "Tensor":
        """ln x elementwise; dx = g / x."""
        return self._unary(Log)

    def tanh(self) -> "Tensor":
        """tanh x elementwise; dx = g * (1 - tanh^2 x)."""
        return self._unary(Tanh)

    def sigmoid(self) -> "Tensor":
        """1 / (1 + e^-x) elementwise (stable for large |x|); dx = g * s(1 - s)."""
        return self._unary(Sigmoid)

    def relu(self) -> "Tensor":
        """max(x, 0) elementwise; dx = g * [x > 0]."""
        return self._unary(ReLU)

    def softplus(self) -> "Tensor":
        """log(1 + e^x) elementwise (stable for large |x|); dx = g * sigmoid(x)."""
        return self._unary(Softplus)

    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> "Tensor":
        """Sum over ``axis`` (all axes if None); each input element gets the upstream gradient."""
        return self._unary(Sum, axis=_norm_axis(axis, self.ndim, "sum"), keepdims=keepdims)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> "Tensor":
        """Mean over ``axis`` (all axes if None); each input element gets g / n."""
        return self._unary(Mean, axis=_norm_axis(axis, self.ndim, "mean"), keepdims=keepdims)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> "Tensor":
        """Maximum over ``axis``; the gradient goes to the maximal elements (split among ties)."""
        if self.data.size == 0:
            raise ValueError("max: the tensor is empty; there is no maximum")
        return self._unary(Max, axis=_norm_axis(axis, self.ndim, "max"), keepdims=keepdims)

    def reshape(self, *shape: int | Sequence[int]) -> "Tensor":
        """The same elements in a new shape (one size may be -1)."""
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = tuple(shape[0])  # type: ignore[assignment]
        try:
            return self._unary(Reshape, shape=tuple(int(s) for s in shape))
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {self.shape} ({self.data.size} "
                             f"elements) into {tuple(shape)}") from None

    def transpose(self, *axes: int) -> "Tensor":
        """Permute the axes (reverse them if none are given)."""
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = tuple(axes[0])  # type: ignore[assignment]
        if axes and sorted(int(a) % max(self.ndim, 1) for a in axes) != list(range(self.ndim)):
            raise ValueError(f"transpose: axes {axes} are not a permutation of the {self.ndim} axes of "
                             f"a tensor of shape {self.shape}")
        return self._unary(Transpose, axes=tuple(int(a) % self.ndim for a in axes) if axes else None)

    def __getitem__(self, index: Any) -> "Tensor":
        index = _clean_index(index)
        try:
            out, saved = GetItem.forward(self.data, index)
        except IndexError as e:
            raise IndexError(f"getitem: index {index!r:.80} does not fit a tensor of shape {self.shape}: {e}") from None
        return Tensor._result(out, GetItem, (self,), saved)

    def log_softmax(self, axis: int = -1) -> "Tensor":
        """log softmax along ``axis``, computed stably as x - max - log(sum(exp(x - max)))."""
        return self._unary(LogSoftmax, axis=_one_axis(axis, self.ndim, "log_softmax"))

    def softmax(self, axis: int = -1) -> "Tensor":
        """softmax along ``axis`` (stable: the maximum is subtracted first)."""
        return self._unary(Softmax, axis=_one_axis(axis, self.ndim, "softmax"))

    # ----------------------------------------------------------- backward

    def backward(self, grad: Any = None, retain_grads: bool = False) -> None:
        """Backpropagate from this tensor.

        Args:
            grad: dL/d(self), of this tensor's shape. May be omitted only when
                the tensor has one element (then it is 1).
            retain_grads: keep ``.grad`` on every intermediate tensor too
                (useful to inspect or draw a graph; costs memory).

        Leaves with ``requires_grad=True`` accumulate into ``.grad`` across
        calls; call ``zero_grad()`` (or the optimizer's) between steps.
        """
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor does not require grad, so there is nothing to "
                               "differentiate. Create the parameters with requires_grad=True "
                               "(nn layers do) and do not build it inside no_grad().")
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward: the output has shape {self.shape}; pass grad= (dL/d(output), an array of "
                    f"shape {self.shape}), or reduce it to a scalar first, for example out.sum().backward()")
            seed = np.empty_like(self.data)  # dL/dL = 1 (empty_like + fill: twice as fast as ones_like)
            seed.fill(1)
        else:
            seed = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=self.data.dtype)
            if seed.shape != self.shape:
                raise ValueError(f"backward: grad has shape {seed.shape} but the output has shape {self.shape}; "
                                 "they must be equal")
        order = autograd.topological_order(self)
        held = []  # leaves with hooks: their hooks must see this pass's gradient, not the running total
        for node in order:
            if node._parents:
                node.grad = None
                if retain_grads:
                    node._retain = True
            elif node._hooks and node.grad is not None:
                held.append((node, node.grad))
                node.grad = None
        try:
            autograd.backward(self, seed, order)
        finally:
            for node, previous in held:
                node.grad = previous if node.grad is None else previous + node.grad

    def retain_grad(self) -> "Tensor":
        """Keep this intermediate tensor's ``.grad`` after backward (leaves always keep theirs)."""
        self._retain = True
        return self

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (set ``.grad`` to None)."""
        self.grad = None

    def register_hook(self, fn: Callable[[np.ndarray], np.ndarray | None]) -> _HookHandle:
        """Call ``fn(grad)`` when this tensor's gradient is complete during backward.

        If ``fn`` returns an array, it replaces the gradient that flows on.
        ``fn`` must not modify its argument in place: the same array may also
        be another tensor's gradient (``a + b`` hands one ``g`` to both).
        Returns a handle; ``handle.remove()`` takes the hook off.
        """
        if not callable(fn):
            raise TypeError(f"register_hook: expected a function of the gradient, got {fn!r}")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _HookHandle(self._hooks, fn)

    # The node protocol of tinygrad_init.autograd.

    def _chain(self, upstream: np.ndarray) -> list:
        parents = self._parents
        needs = [p.requires_grad for p in parents]
        grads = self._op.backward(self._saved, upstream, needs)
        out = []
        for parent, need, grad, rule in zip(parents, needs, grads, self._op.rules):
            if not need:
                continue
            pdata = parent.data
            if grad.shape != pdata.shape:
                grad = unbroadcast(grad, pdata.shape)
            if grad.dtype is not pdata.dtype and grad.dtype != pdata.dtype:
                grad = grad.astype(pdata.dtype)
            if not parent._parents and parent.grad is None and _shared(grad, upstream, out):
                # A leaf's .grad is the user's to modify in place, so it must own its memory: a
                # gradient passed on as it came (``a + b`` gives the same g to both) or a view is
                # copied. Arrays the op's backward just computed are handed over as they are.
                grad = grad.copy()
            out.append((parent, rule, grad))
        return out

    def _accumulate(self, contribution: np.ndarray) -> None:
        if self.grad is None:
            self.grad = contribution  # a leaf's first contribution owns its memory (see _chain)
        else:
            self.grad = self.grad + contribution

    def _upstream(self) -> np.ndarray | None:
        if self._hooks and self.grad is not None:
            for fn in list(self._hooks):
                new = fn(self.grad)
                if new is not None:
                    new = np.asarray(new.data if isinstance(new, Tensor) else new, dtype=self.data.dtype)
                    if new.shape != self.grad.shape:
                        raise ValueError(f"hook {fn!r} returned a gradient of shape {new.shape}; "
                                         f"expected {self.grad.shape}")
                    self.grad = new
        return self.grad

    def _release(self) -> None:
        if not self._retain:
            self.grad = None


def _shared(grad: np.ndarray, upstream: np.ndarray, given: list) -> bool:
    """Whether ``grad`` may be seen by someone else: it is the upstream gradient itself, a view,
    read-only, or already given to another parent of the same op. Otherwise an op's backward
    has just computed it (ops never return arrays saved in the graph)."""
    if grad is upstream or grad.base is not None or not grad.flags.writeable:
        return True
    for _, _, c in given:  # a loop, not any(...): this runs for every leaf gradient
        if c is grad:
            return True
    return False


def _constant(x: Any, dtype: np.dtype, op: str) -> Tensor:
    """A plain number or array operand, as a constant tensor of the other operand's dtype."""
    if isinstance(x, (int, float, np.number)) and not isinstance(x, bool):
        return Tensor(np.asarray(x, dtype=dtype))
    if isinstance(x, (list, tuple, np.ndarray, bool)):
        arr = np.asarray(x)
        if arr.dtype.kind in "biuf":
            return Tensor(arr.astype(dtype) if arr.dtype.kind != "f" else arr)
    raise TypeError(f"{op}: cannot combine a Tensor with {type(x).__name__} {x!r:.60}; "
                    "use numbers, numpy arrays or Tensors")


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    sa, sb = a.data.shape, b.data.shape
    if a.data.ndim == 0 or b.data.ndim == 0:
        raise ValueError(f"matmul: {sa} @ {sb}: both operands need at least one dimension; "
                         "use * to multiply by a scalar")
    inner_a = sa[-1]
    inner_b = sb[-2] if len(sb) >= 2 else sb[0]
    if inner_a != inner_b:
        raise ValueError(f"matmul: {sa} @ {sb}: inner dimensions {inner_a} and {inner_b} differ. "
                         f"x @ W needs x.shape[-1] == W.shape[0]; did you mean to transpose one of them?")
    try:
        out, saved = MatMul.forward(a.data, b.data)
    except ValueError as e:
        raise ValueError(f"matmul: {sa} @ {sb}: the batch dimensions cannot be broadcast ({e})") from None
    return Tensor._result(out, MatMul, (a, b), saved)


def _clean_index(index: Any) -> Any:
    """Check an index and turn lists inside it into numpy arrays.

    Index arrays must hold integers or booleans. Float arrays and Tensors are
    refused rather than guessed at: a float 0/1 mask read as integer positions
    would silently pick the wrong elements.
    """
    def one(i: Any) -> Any:
        if isinstance(i, Tensor):
            raise IndexError("getitem: a Tensor cannot be an index (its values are floats); pass a numpy array "
                             "or list of integers or booleans instead, e.g. x[t.data.astype(int)] or x[t.data > 0]")
        if isinstance(i, list):
            i = np.asarray(i)
        if isinstance(i, np.ndarray) and i.dtype.kind not in "biu":
            raise IndexError(f"getitem: index arrays must hold integers or booleans, got dtype {i.dtype}; "
                             "convert with .astype(int) (positions) or build a boolean mask")
        return i
    if isinstance(index, tuple):
        return tuple(one(i) for i in index)
    return one(index)
