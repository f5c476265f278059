"""The tensor ops, one table: each a forward computation and its vector-Jacobian product side by side.

For `y = x @ W` the forward is `y = x @ W` and the backward, with `g = dL/dy` the upstream gradient, is `dx = g @ W.T`
and `dW = x.T @ g` (upstream x local w). Every entry has `forward(*arrays, **params) -> (out, saved)` (the result and
what the backward rule needs), `backward(saved, g, needs) -> one gradient or None per input` (in the broadcast shape;
the engine sums broadcasting back in one place; `needs[i]` says whether input i wants a gradient), `rules` (each input's
rule in words, for the ledger and the pictures) and `saves` (which inputs, 0 or 1, or the output, -1, were saved:
backward checks that none was changed in place since; `(i, j)`: input i, which only input j's rule reads, checked only
if input j wants a gradient, as PyTorch saves `W` of `x @ W` only if `x` requires grad).

Numbers follow IEEE 754 as PyTorch's do: `exp(1000)` is inf, `log(0)` -inf, `0/0` nan. The ops that make them from
ordinary numbers (exp, log, /, **), the reductions and softmaxes (inf + -inf) and every backward pass run `quiet`:
without numpy's RuntimeWarning, which PyTorch does not give either. +, -, * and @, a network's hot path, leave numpy's
warning on for an overflow and for inf - inf or 0 * inf: numpy's errstate around each (0.4 us) would cost a small
network's training step 4%."""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, NamedTuple

import numpy as np

__all__ = ["Op", "OPS", "add_reduce", "unbroadcast", "ones", "broadcast_to", "stable_sigmoid", "quiet", "round_once",
           "summed_note"]

#: Runs a function with numpy's floating-point warnings off: overflow, x/0, log 0 and 0 * inf give inf and nan as
#: IEEE 754 says and PyTorch gives them, without numpy's RuntimeWarning from inside an op (a decorator, reentrant).
quiet = np.errstate(all="ignore")
_HALF, _SINGLE = np.dtype(np.float16), np.dtype(np.float32)


class Op(NamedTuple):
    """An entry of `OPS`: `name`, `forward`, `backward` (the vector-Jacobian product), `rules` and `saves`, as the
    module docstring says."""

    name: str
    forward: Callable[..., tuple[np.ndarray, Any]]
    backward: Callable[[Any, np.ndarray, tuple], tuple]
    rules: tuple[str, ...]
    saves: tuple[int | tuple[int, int], ...] = ()

    def __reduce__(self) -> tuple:  # pickled by name: its forward and backward may be lambdas, which pickle cannot hold
        return _op_named, (self.name,)


def _op_named(name: str) -> Op:
    return OPS[name]


def broadcast_to(g: np.ndarray, shape: tuple) -> np.ndarray:
    """`np.broadcast_to(g, shape)`, a view; a one-element `g` (the gradient of a loss) is viewed with
    zero strides directly, in a third of the time of `np.broadcast_to` (by position: keywords take twice as long)."""
    if g.size == 1:
        g = np.ascontiguousarray(g)
        return np.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))  # (shape, dtype, buffer, offset, strides)
    return np.broadcast_to(g, shape)


def _wide(x: np.ndarray, n: int = 0) -> Any:
    """The dtype to sum `x` in: float32 for float16 (whose sums stall: 2048 + 1 == 2048), float64 for float32 where `n`,
    the count summed into each result, is 1024 or more (numpy adds along an outer axis one row after another: a float32
    sum over 100,000 rows was 5.9e-6 off, PyTorch's 7e-8), else None (`x`'s own)."""
    return np.float32 if x.dtype == _HALF else np.float64 if n >= 1024 and x.dtype == _SINGLE else None


@quiet
def round_once(x: np.ndarray, dtype: Any = np.float16, copy: bool = False) -> np.ndarray:
    """`x` in `dtype` without numpy's RuntimeWarning, a number beyond it inf, as in PyTorch: a result computed wider,
    rounded once (float16: from 65520 on inf; 65519 is 65504), or the tensor engine's data, operands and gradients cast
    (1e39 in float32 is inf). An array already of `dtype` is itself unless `copy`."""
    return x.astype(dtype, copy=copy)


def add_reduce(x: np.ndarray, axis: int | tuple | None = None, keepdims: bool = False, n: int = 0) -> np.ndarray:
    """`np.add.reduce(x, axis)`, summed in `_wide(x, n)` and rounded once to `x`'s dtype, as in PyTorch."""
    if (wide := _wide(x, n)) is None:
        return np.add.reduce(x, axis, None, None, keepdims)
    return round_once(np.add.reduce(x, axis, wide, None, keepdims), x.dtype)


def _count(x: np.ndarray, axis: tuple | None) -> int:
    """How many elements of `x` a reduction over `axis` (all if None) sums into each result."""
    return x.size if axis is None else math.prod(x.shape[i] for i in axis)


@functools.lru_cache(maxsize=4)  # a training loop uses one or two batch sizes
def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only vector of `n` ones of `dtype`, made once per size and dtype: `ones @ grad` sums a bias's rows."""
    out = np.ones(n, dtype)
    out.flags.writeable = False
    return out


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`, the backward of broadcasting: every copy of a broadcast element
    got a gradient and dL/dx is their sum (over added leading axes, and axes of size 1)."""
    if (given := grad.shape) == shape:  # (read once: each read makes a new tuple)
        return grad
    extra = len(given) - len(shape)
    if grad.dtype == _HALF and extra >= 0:  # float16: over every broadcast axis in one sum, rounded once (as PyTorch)
        axes = tuple(range(extra)) + tuple(i + extra for i, n in enumerate(shape) if n == 1 != given[i + extra])
        grad = add_reduce(grad, axes, True)
        grad = grad.reshape(grad.shape[extra:])  # (the added axes, kept as 1, dropped)
    elif extra == 1 and len(given) == 2 and given[1] > 1:  # a bias added to every row: the rows' sum, ones @ grad, in
        if given[0] < 1024 or grad.dtype != _SINGLE:  # BLAS, 5x np.add.reduce's speed (one column is as fast, and
            grad = ones(given[0], grad.dtype).dot(grad)  # np.add.reduce sums it pairwise)
        else:  # float32 from 1024 rows: blocks of 1024 rows in BLAS, their sums added in float64 (BLAS over all the
            k = given[0] // 1024 * 1024  # rows was 6.4e-6 off over 100,000, PyTorch 7e-8; add_reduce wide, 30x slower)
            total = np.add.reduce(np.matmul(ones(1024, _SINGLE), grad[:k].reshape(-1, 1024, given[1])), 0, np.float64)
            grad = round_once(total + ones(given[0] - k, _SINGLE).dot(grad[k:]) if k < given[0] else total, _SINGLE)
    elif extra > 0:  # float32 summed wide over 1024 or more (numpy adds along an outer axis one row after another)
        grad = add_reduce(grad, 0 if extra == 1 else tuple(range(extra)), n=math.prod(given[:extra]))
    if grad.shape == shape:
        return grad
    if extra >= 0 and (axes := tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)):
        grad = add_reduce(grad, axes, True, _count(grad, axes))
    if grad.shape != shape:  # (4, 3) to (4,) summed the rows to (3,): no broadcast of `shape` gives `given`
        raise ValueError(f"unbroadcast: shape {shape} does not broadcast to the gradient's shape {given}: "
                         "matched from the right, each of its sizes must equal the gradient's or be 1")
    return grad


def _expand(g: np.ndarray, axis: tuple | None, keepdims: bool) -> np.ndarray:
    """A reduced gradient with the reduced axes put back, of size 1, to broadcast against the input (0-d: as it is)."""
    return g if keepdims or axis is None else np.expand_dims(g, axis)


# ------------------------------------------------------------------ elementwise, and matmul


def _keeping_output(f: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], tuple]:
    """The forward of an op whose backward rule needs only its output (exp, tanh, sigmoid, relu)."""
    def forward(x: np.ndarray) -> tuple:
        out = f(x)
        return out, out
    return forward


def _in_float32(forward: Callable[..., tuple]) -> Callable[..., tuple]:
    """`forward` of a float16 input computed in float32 and rounded once, as PyTorch computes float16 (a softmax
    rounded to float16 step by step was up to 7 ulps off). What it saves stays float32, so that its backward rule
    computes in float32 too, the result saved as rounded (PyTorch's sigmoid has slope 0 where it rounds to 1)."""
    def run(x: np.ndarray, **params: Any) -> tuple:
        if x.dtype != _HALF:
            return forward(x, **params)
        out, saved = forward(x.astype(np.float32), **params)
        rounded = round_once(out)
        if saved is out or type(saved) is tuple and saved[0] is out:  # sigmoid's output, softmax's (output, axis)
            saved = rounded.astype(np.float32) if saved is out else (rounded.astype(np.float32), *saved[1:])
        return rounded, saved
    return run


@quiet
def _pow(a: np.ndarray, b: np.ndarray) -> tuple:
    out = a ** b
    if a.dtype.kind == "b":  # numpy: bool ** bool is int8 (PyTorch: t ** True is bool), and in numpy 2 bool ** 2 too
        out = out.astype(np.result_type(a, b), copy=False)
    return out, (a, b, out)


def _pow_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    a, b, out = saved
    with np.errstate(all="ignore"):  # PyTorch's conventions: da is 0 where b == 0 (selected: also for an inf or nan
        # g), the local db 0 where a == 0 <= b (a factor: an inf or nan g gives nan there, as PyTorch's)
        ga = None
        if needs[0]:
            da = a ** (b - 1)  # g * (b * da), in place where it fits: one array of a's size, not three
            if type(da) is np.ndarray and da.shape == g.shape and da.dtype == np.result_type(g, b, da):
                np.multiply(g, np.multiply(b, da, out=da), out=da)
            else:
                da = g * (b * da)
            # a number b other than 0 (x ** 2) selects nothing: da as it is, without np.where's copy (half the backward)
            ga = (np.where(b == 0, 0, da) if b.ndim or b == 0 else da).astype(out.dtype, copy=False)
        gb = (g * np.where((a == 0) & (b >= 0), 0, out * np.log(a, dtype=np.result_type(a, out)))).astype(
            out.dtype, copy=False) if needs[1] else None  # (ln a in the result's precision, not a float16 base's)
    return ga, gb


def _mul_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    a, b = saved
    if a is b and needs[0]:  # x * x: both local derivatives are x; compute g * x once
        ga = g * b
        return ga, ga
    return (g * b if needs[0] else None), (g * a if needs[1] else None)


def _tanh_backward(out: np.ndarray, g: np.ndarray, needs: tuple) -> tuple:
    dx = 1 - out * out  # g * (1 - tanh^2), in three ufunc calls
    dx *= g
    return (dx,)


def stable_sigmoid(x: np.ndarray, e: np.ndarray | None = None) -> np.ndarray:
    """`1 / (1 + e^-x)` to within 3.5 ulps for any x (measured: 3.2 in float32, 2.6 in float64, at x < 0, where
    e^x / (1 + e^x) rounds three times; also the activation registry's); `e`: `e^-|x|`, if already computed."""
    e = np.exp(-np.abs(x)) if e is None else e  # stable on both sides: exp only ever sees -|x|
    r = 1 / (1 + e)  # r where x >= 0, else e r: r times max(e, x >= 0), which is 1 or e (e <= 1); the numbers of
    return np.asarray(r * np.maximum(e, x >= 0))  # np.where(x >= 0, r, e * r), whose select took 3x as long


def _sigmoid_backward(s: np.ndarray, g: np.ndarray, needs: tuple) -> tuple:
    dx = 1 - s  # g (1 - s) s, in three ufunc calls (in PyTorch's order: the same rounding)
    dx *= g
    dx *= s
    return (dx,)


def _softplus(x: np.ndarray) -> tuple:
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): no overflow for any x; sigmoid(x) is its slope
    e = np.exp(-np.abs(x))  # (once, for both)
    return np.maximum(x, 0) + np.log1p(e), stable_sigmoid(x, e)


def _matmul(a: np.ndarray, b: np.ndarray) -> tuple:
    # two matrices, the common case (batch, in) @ (in, out): ndarray.dot, np.dot's product (one BLAS call) without its
    # dispatch, a fraction of @'s overhead (0.25 us of 1 for a small layer; g @ W.T for one output unit 0.75, not 2.2)
    return (a.dot(b) if a.ndim == 2 and b.ndim == 2 else a @ b), (a, b)


def _matmul_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    a, b = saved
    if a.ndim == 2 and b.ndim == 2:  # the common case: (batch, in) @ (in, out), in ndarray.dot as the forward
        return (g.dot(b.T) if needs[0] else None), (a.T.dot(g) if needs[1] else None)
    ga = gb = None  # an operand without batch axes (W of x (batch, time, in) @ W): its gradient in one product
    if b.ndim <= 2 < a.ndim and needs[1]:  # over all the batches, as PyTorch folds them (in float16 rounded once,
        rows = math.prod(a.shape[:-1])  # not per batch and again in their sum)
        gb = a.reshape(rows, a.shape[-1]).T.dot(g.reshape(rows, *b.shape[1:]))
    elif a.ndim <= 2 < b.ndim and needs[0]:
        batch = list(range(b.ndim - 2))
        ga = np.tensordot(g, b, (batch + [g.ndim - 1], batch + [b.ndim - 1]))
    # vectors: promote to matrices as matmul does, then drop the added axis again
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    g2 = np.expand_dims(g, -1) if b.ndim == 1 else g
    g2 = np.expand_dims(g2, -2) if a.ndim == 1 else g2
    if needs[0] and ga is None:
        ga = g2 @ np.swapaxes(b2, -1, -2)
        ga = ga.reshape(ga.shape[:-2] + ga.shape[-1:]) if a.ndim == 1 else ga
    if needs[1] and gb is None:
        gb = np.swapaxes(a2, -1, -2) @ g2
        gb = gb.reshape(gb.shape[:-1]) if b.ndim == 1 else gb
    return ga, gb


# ------------------------------------------------------------------ reductions and shapes


@quiet  # inf + -inf: nan
def _mean(x: np.ndarray, axis: tuple | None = None, keepdims: bool = False) -> tuple:
    wide = _wide(x, n := _count(x, axis))  # divided before rounding (n may exceed float16's 65504), as in PyTorch
    total = np.add.reduce(x, axis, wide, None, keepdims)
    mean = total / n if n else total * np.nan  # the mean of nothing is nan
    return (mean if wide is None else mean.astype(x.dtype)), (x.shape, axis, keepdims, np.float32(n) if wide else n)


def _mean_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    shape, axis, keepdims, n = saved
    if n:  # n = 0: nothing to fill; a loss's 0-d gradient is divided as a number (a seventh of the time of a ufunc)
        g = (g[()] if g.ndim == 0 else g) / n
    return (broadcast_to(_expand(g, axis, keepdims), shape),)


def _max(x: np.ndarray, axis: tuple | None = None, keepdims: bool = False) -> tuple:
    out = x.max(axis=axis, keepdims=True)
    result = out if keepdims else (out.reshape(()) if axis is None else np.squeeze(out, axis))
    return result, (x, out, axis, keepdims)


def _max_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    x, out, axis, keepdims = saved
    mask = x == out  # ties share the gradient equally: g / their count each, rounded once (as PyTorch's amax)
    with np.errstate(invalid="ignore", divide="ignore"):  # no element equals a nan maximum: g / 0, times 0 (nan)
        share = (_expand(g, axis, keepdims) / mask.sum(axis=axis, keepdims=True)).astype(g.dtype, copy=False)
    return (share * mask,)


def _getitem_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    shape, index = saved
    out = np.zeros(shape, dtype=g.dtype)
    items = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, np.ndarray) for i in items):
        np.add.at(out, index, g)  # repeated indices accumulate
    else:
        out[index] = g
    return (out,)


@quiet  # inf - inf along a row of infinities: nan, as in PyTorch
def _log_softmax(x: np.ndarray, axis: int | None = -1) -> tuple:
    if x.size == 0:  # softmax of nothing (along any axis, or all): an empty result
        return x.copy(), (x.copy(), axis)
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    s = add_reduce(e, axis, True)  # float16 in float32: numpy's float16 sum of 5000 ones along axis 0 stalls at 2048
    shifted -= np.log(s)  # in place, as `e /= s`: the same numbers without two more arrays of x's size
    e /= s
    return shifted, (e, axis)


def _log_softmax_backward(saved: tuple, g: np.ndarray, needs: tuple) -> tuple:
    t = saved[0] * add_reduce(g, saved[1], True)  # g - softmax * sum(g), into t: one array of x's size, not two
    return (np.subtract(g, t, out=t) if type(t) is np.ndarray else g - t,)


@quiet
def _softmax(x: np.ndarray, axis: int | None = -1) -> tuple:
    if x.size == 0:
        return x.copy(), (x.copy(), axis)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    e /= add_reduce(e, axis, True)  # (in place: one array of x's size less)
    return e, (e, axis)


# ------------------------------------------------------------------ the table

_TABLE = [
    Op("add", lambda a, b: (a + b, None), lambda s, g, n: (g, g), ("da = g", "db = g")),
    Op("sub", lambda a, b: (a - b, None), lambda s, g, n: (g, -g if n[1] else None), ("da = g", "db = -g")),
    Op("mul", lambda a, b: (a * b, (a, b)), _mul_backward, ("da = g * b", "db = g * a"), ((0, 1), (1, 0))),
    Op("div", quiet(lambda a, b: (a / b, (a, b))),
       lambda s, g, n: (g / s[1] if n[0] else None, -g * (s[0] / s[1] / s[1]) if n[1] else None),
       ("da = g / b", "db = -g * a / b**2"), ((0, 1), 1)),
    Op("pow", _pow, _pow_backward, ("da = g * b * a**(b-1)", "db = g * a**b * ln a"), (0, 1, (-1, 1))),  # db reads b
    Op("matmul", _matmul, _matmul_backward, ("dx = g @ W.T", "dW = x.T @ g"), ((0, 1), (1, 0))),
    Op("neg", lambda x: (-x, None), lambda s, g, n: (-g,), ("dx = -g",)),
    Op("exp", quiet(_keeping_output(np.exp)), lambda out, g, n: (g * out,), ("dx = g * exp(x)",), (-1,)),
    Op("log", quiet(lambda x: (np.log(x), x)), lambda x, g, n: (g / x,), ("dx = g / x",), (0,)),
    Op("tanh", _in_float32(_keeping_output(np.tanh)), _tanh_backward, ("dx = g * (1 - tanh(x)**2)",), (-1,)),
    Op("sigmoid", _in_float32(_keeping_output(stable_sigmoid)), _sigmoid_backward,
       ("dx = g * s * (1 - s), s = sigmoid(x)",), (-1,)),
    Op("relu", _keeping_output(lambda x: np.maximum(0, x)), lambda out, g, n: (g * ~(out <= 0),),  # relu(-0.0) = -0.0
       ("dx = g * (x > 0)",), (-1,)),  # a mask, not np.where: 7-15x as fast at 256 x 512 (tensor.py's docstring)
    Op("softplus", _in_float32(_softplus), lambda s, g, n: (g * s,), ("dx = g * sigmoid(x)",)),
    Op("sum", quiet(lambda x, axis=None, keepdims=False: (add_reduce(x, axis, keepdims, _count(x, axis)),
                                                          (x.shape, axis, keepdims))),
       lambda s, g, n: (broadcast_to(_expand(g, *s[1:]), s[0]),), ("dx = broadcast(g)",)),
    Op("mean", _mean, _mean_backward, ("dx = broadcast(g) / n, n = the count averaged",)),
    Op("max", _max, _max_backward, ("dx = g at the maximum (shared equally among ties)",), (0, -1)),
    Op("reshape", lambda x, shape: (x.reshape(shape), x.shape), lambda shape, g, n: (g.reshape(shape),),
       ("dx = g.reshape(x.shape)",)),
    Op("transpose", lambda x, axes=None: (np.transpose(x, axes), axes),
       lambda axes, g, n: (np.transpose(g, None if axes is None else np.argsort(axes)),),
       ("dx = g.transpose(inverse axes)",)),
    Op("getitem", lambda x, index: (x[index], (x.shape, index)), _getitem_backward,
       ("dx = zeros, with g added at x[index]",)),
    Op("log_softmax", _in_float32(_log_softmax), _log_softmax_backward,
       ("dx = g - softmax(x) * sum(g)",)),
    Op("softmax", _in_float32(_softmax), lambda s, g, n: (s[0] * (g - add_reduce(g * s[0], s[1], True)),),
       ("dx = s * (g - sum(g * s)), s = softmax(x)",), (-1,)),
]

#: Every op by name (the ledger and the pictures look rules up here).
OPS: dict[str, Op] = {op.name: op for op in _TABLE}


def summed_note(node: Any, j: int) -> str:
    """`", summed over the broadcast axes"` where the rule of a node's input `j` gives a larger array than that input,
    which the engine sums back to its shape (a bias's gradient over the batch, a matmul's over its batch axes), else
    `""`: the words after the rule in the ledger's lines and on the pictures' edges."""
    s = [tuple(t.shape) for t in node.parents]
    return ", summed over the broadcast axes" * (len(s) == 2 and (
        s[j][:-2] != np.broadcast_shapes(s[0][:-2], s[1][:-2]) if node.op == "matmul" else tuple(node.shape) != s[j]))
