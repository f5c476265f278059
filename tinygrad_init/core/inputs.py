"""What the tensor engine accepts (data, sizes, axes, indices, operands), typed as PyTorch types them; each
function says what to do with an argument it cannot use."""

from __future__ import annotations

import math
import numbers
import warnings
from decimal import Decimal
from typing import Any

import numpy as np

from ..utils import MAX_SIZE, check_int, check_real, is_torch, shape_text
from .autograd import _MODE
from .ops import round_once as _cast  # (a quiet astype: beyond the dtype, inf)
from .value import UFUNCS, Value

__all__ = ["to_array", "real_dtype", "sizes", "axes_of", "constant", "floats", "index_of", "index_error",
           "matmul_error", "grad_value", "GRAD", "scalar_warning", "seed_value", "FLOAT_OPS", "torch_keywords",
           "AmbiguousTruth", "NOT_ELEMENTWISE", "Size", "TorchSpellings", "TorchName", "update_error", "not_floating",
           "add_alpha", "torch_numbers", "held_grad"]

#: Ops whose result is floating even for integer inputs: float32, as PyTorch's div, exp, log, tanh and sigmoid (its
#: softplus, mean and softmaxes refuse integers).
FLOAT_OPS = {"div", "exp", "log", "tanh", "sigmoid", "softplus", "mean", "log_softmax", "softmax"}
_KIND = {"b": 0, "i": 1, "u": 1, "f": 2}  # PyTorch's categories: bool < integer < floating
_DEFAULT = (np.dtype(np.bool_), np.dtype(np.int64), np.dtype(np.float32))
_HALF = np.dtype(np.float16)
#: What `==` and `!=` between tensors say: they compare graph nodes, and how to compare the numbers.
NOT_ELEMENTWISE = ("== and != of a Tensor ask whether two tensors are one and the same (a graph node), not element "
                   "by element as in PyTorch and numpy: compare the arrays, t.data == other (or t.data == u.data)")
#: PyTorch's keywords -> the tensor engine's (numpy's axis=, keepdims=), or None for one not offered (create_graph: no
#: graph of the backward pass, so no higher derivatives)
_TORCH_NAMES = {"dim": "axis", "keepdim": "keepdims", "gradient": "grad", "create_graph": None}
_BACKWARD_DEFAULTS = {"gradient": None, "create_graph": False, "inputs": None}  # PyTorch's, asking what backward does


class AmbiguousTruth(RuntimeError, ValueError):
    """The truth value of a tensor with other than one element (PyTorch: RuntimeError, numpy: ValueError)."""


class Size(int):
    """A tensor's number of elements (numpy's `size`), an int that, called as PyTorch's `t.size(0)`, says what to
    write instead of Python's "'int' object is not callable"."""

    def __call__(self, dim: Any = None) -> Any:
        raise TypeError(f"size: t.size is the number of elements here ({int(self)}), numpy's size; PyTorch's t.size() "
                        "is t.shape and t.size(0) is t.shape[0]")


def to_array(data: Any, dtype: Any) -> np.ndarray:
    """`data` as an array of numbers: floating arrays (also array-likes, a PyTorch tensor) and numpy floats keep their
    dtype; Python numbers, lists, integer or boolean arrays and scalars become float32 (unless `dtype` is given)."""
    if type(data) in (list, tuple) and data and hasattr(type(data[0]), "_requires_grad") and any(  # (from a tensor on:
            getattr(e, "_requires_grad", 0) is True and e.data.size > 1 for e in data):  # numbers and rows not read)
        raise TypeError("Tensor: a list of Tensors that require grad would be read as plain numbers, a new tensor "
                        "outside the graph: no gradient would reach them (PyTorch refuses it too). For the numbers "
                        "write Tensor([t.data for t in ts]); to keep the gradient, compute on one tensor with a batch "
                        "axis (t[i] picks a row in the graph)")
    try:
        arr = np.asarray(data)
    except (RuntimeError, TypeError) as e:  # a Parameter, or a PyTorch tensor numpy cannot read (bfloat16, sparse)
        arr = torch_numbers(data, e, "Tensor", "data")  # its numbers, or a TypeError naming it and the conversion
    except ValueError as e:
        raise TypeError(f"Tensor: cannot make a tensor of {type(data).__name__} {data!r:.60} ({e}). Pass a number, "
                        "a (nested) list of numbers or a numpy array of equal-length rows.") from None
    if arr.dtype.kind not in "biuf":
        mixed = arr.dtype.kind == "O" and any(isinstance(v, Value) for v in arr.flat)
        raise TypeError(f"Tensor: cannot make a tensor of {type(data).__name__} {data!r:.40}: " + (
            "the scalar engine (Value) and the tensor engine (Tensor) do not mix; use Tensor(value.data) or "
            "Tensor([v.data for v in values])" if mixed else "an integer beyond int64: write it as a float, float(x)"
            if arr.dtype.kind == "O" and any(type(v) is int for v in arr.flat) else f"numpy reads it as dtype "
            f"{arr.dtype}, but tensors hold real numbers; pass a number, a (nested) list of numbers or a numpy array "
            "of booleans, integers or floats"))
    if dtype is not None:
        try:
            out = arr if arr.dtype == dtype else _cast(arr, dtype)
        except TypeError:  # not a dtype
            out = None
        if out is None or out.dtype.kind not in "bf":  # (floats, the common case, and bools need no check)
            if out is None or out.dtype.kind not in "iu":
                real_dtype(dtype, "Tensor")  # raises, naming the dtype
            if arr.dtype.kind in "iuf" and not isinstance(data, np.ndarray) and not (
                    (arr >= (info := np.iinfo(out.dtype)).min) & (arr <= info.max)).all():  # numbers wrap (nan: any)
                raise ValueError(f"Tensor: {data!r:.60} does not fit dtype {out.dtype} ({info.min} to {info.max})")
        return out
    return arr if arr.dtype.kind == "f" and hasattr(data, "__array__") else _cast(arr, np.float32)  # numpy's, torch's


def real_dtype(dtype: Any, where: str, floating: bool = False) -> np.dtype:
    """`dtype` as a numpy dtype of the numbers a tensor holds: booleans, integers or floats (only floats if
    `floating`, as for weights, statistics and random normals); None is float32, as PyTorch's dtype=None."""
    try:
        dt = np.dtype(np.float32 if dtype is None else dtype)  # (numpy's np.dtype(None) is float64)
    except TypeError:
        dt = None
    if dt is None or dt.kind not in ("f" if floating else "biuf"):
        raise TypeError(f"{where}: dtype must be a numpy {'' if floating else 'bool, integer or '}floating dtype "
                        f"(such as np.float32 or np.float64), got {dtype!r}")
    return dt


def sizes(shape: tuple, where: str, minimum: int = 0, entry: str = "") -> tuple[int, ...]:
    """Sizes given as separate ints or as one tuple or list, each at least `minimum` (named "each size", or
    "<entry> entry <i>"), no more elements than a numpy array holds."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    out = tuple(check_int(where, f"{entry} entry {i}" if entry else "each size", n, minimum, maximum=MAX_SIZE)
                for i, n in enumerate(shape))
    if math.prod(out) > MAX_SIZE:
        raise ValueError(f"{where}: shape {shape_text(out)} has more elements than a numpy array holds (2^60)")
    return out


def axes_of(axis: Any, ndim: int, op: str) -> tuple[int, ...] | None:
    """`axis` (None, an int or a sequence of ints) as non-negative ints; None for all axes."""
    if axis is None:
        return None
    n, out = max(ndim, 1), []
    for a in tuple(axis) if isinstance(axis, (tuple, list)) else (axis,):
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {type(a).__name__} {a!r}")
        if not -n <= a < n:
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} dimension(s)")
        out.append(int(a) % n)
    if len(set(out)) != len(out) or not out and ndim:
        raise ValueError(f"{op}: axis {axis} names the same axis twice; list each axis once" if out else f"{op}: "
                         f"axis={axis!r} reduces no axis in numpy, every axis in PyTorch; write axis=None for all")
    return None if ndim == 0 else tuple(out)  # a 0-d tensor: axis 0 (or -1) is its one element


def constant(x: Any, data: np.ndarray, op: str, right: bool = True) -> np.ndarray:
    """A number or array operand of a tensor holding `data`, as an array typed as PyTorch promotes: a Python number
    (or list) takes the tensor's dtype unless its kind is higher (an int with a bool tensor: int64,
    a float with an integer tensor: float32); an array keeps its dtype unless its kind is lower. A division's
    operand is floating with any tensor. A number with a float16 tensor stays float32 (1e5, which float16 cannot
    hold, stays 1e5, as in PyTorch's * and /): `floats` computes in float32 and rounds once.
    `right`: `x` is the right operand (the exponent of a power)."""
    like = data.dtype
    weak = isinstance(x, (numbers.Real, np.generic, list, tuple))
    try:
        arr = np.asarray(x) if weak or isinstance(x, np.ndarray) else None
    except ValueError:  # a ragged list
        arr = None
    kind = None if arr is None else _KIND.get(arr.dtype.kind)
    if kind is None:
        raise TypeError(f"{op}: cannot combine a Tensor with " + (
            "a Value: the tensor engine (Tensor) and the scalar engine (Value) do not mix. Use Tensor(value.data), "
            "or Values throughout." if isinstance(x, Value) else
            f"{type(x).__name__} {x!r:.60}; " + ("an integer beyond int64: write it as float(x)" if isinstance(x, int)
                                                 else "tensors hold floats (PyTorch's refuse it too): write float(x)"
                                                 if isinstance(x, (numbers.Real, Decimal))  # a Fraction, a Decimal
                                                 else "a PyTorch tensor, whose graph is not this one: read its numbers "
                                                 "into a Tensor, Tensor(x.detach())" if is_torch(x)
                                                 else "use real numbers, numpy arrays of booleans, integers "
                                                 "or floats, or Tensors")))
    if like.kind != "f" and op in FLOAT_OPS or weak and like is _HALF and not arr.ndim:
        like = _DEFAULT[2]  # a division is done in floats (uint8 / 256 must not wrap 256 to 0); a number with float16
    if weak and op == "pow" and right and like.kind in "iu" and kind == 1 and not (
            (arr >= (info := np.iinfo(like)).min) & (arr <= info.max)).all():  # (uint8: ** 255 for -1, ** 44 for 300)
        raise ValueError(  # the first as numpy's own, which a negative exponent within the dtype's range meets
            f"pow: Integers to negative integer powers are not allowed (a tensor of dtype {like}). Convert to floats "
            "first: Tensor(t, dtype=np.float32)" if np.any(arr < 0) else f"pow: the exponent {x!r:.40} does not fit "
            f"the tensor's dtype {like} ({info.min} to {info.max}); convert it first, e.g. Tensor(t, dtype=np.float32)")
    if weak:  # a Python number or list: the tensor's dtype, or the default one of its higher kind
        like = _DEFAULT[kind] if kind > _KIND[like.kind] else like
    elif kind >= _KIND[like.kind]:  # an array of a kind at least the tensor's keeps its dtype
        like = arr.dtype
    return _cast(arr, like) if like is _HALF else arr.astype(like, copy=False)  # float16: beyond 65504 inf, quietly


def floats(x: np.ndarray, y: np.ndarray, op: str, number: bool = False) -> tuple[np.ndarray, np.ndarray, bool]:
    """Integer or boolean operands promoted as PyTorch does: to the other operand's float dtype,
    and both to float32 for a division; a 0-d operand of the other's category (or a `number`, `constant`'s of a
    Python number, also with a 0-d tensor) takes the other's dtype, but with float16 both become float32 and the
    third result, True, says to round the result to float16 once. (Integers of a division become floats first: a 0-d
    -3 cast to uint8 would be 253.)"""
    if ((x.ndim == 0) != (y.ndim == 0) or number) and _KIND[x.dtype.kind] == _KIND[y.dtype.kind] and not (
            x.dtype.kind != "f" and op in FLOAT_OPS):
        if _HALF in (x.dtype, y.dtype) if number else (y if x.ndim == 0 else x).dtype is _HALF:
            return x.astype(np.float32), y.astype(np.float32), True
        x, y = (x.astype(y.dtype), y) if x.ndim == 0 else (x, y.astype(x.dtype))
    fx, fy = x.dtype.kind == "f", y.dtype.kind == "f"
    if fx != fy:
        return (x, y.astype(x.dtype), False) if fx else (x.astype(y.dtype), y, False)
    return (x.astype(np.float32), y.astype(np.float32), False) if not fx and op in FLOAT_OPS else (x, y, False)


def index_of(index: Any, ndim: int) -> Any:
    """Check an index; lists, ranges (and tuples inside a tuple index) become integer or boolean arrays (an empty list:
    no positions), arrays, Tensors and array-likes (a PyTorch tensor) copies of their arrays (a later change of the
    index moves no gradient). Float arrays and tensors are refused rather than guessed at, as are an int and an index
    array that numpy and PyTorch order differently (of a tensor with `ndim` axes) and a PyTorch uint8 tensor (a mask to
    PyTorch, positions to numpy)."""
    def one(i: Any) -> Any:
        tensor, i = (True, i.data) if hasattr(i, "grad_fn") else (False, i)  # a Tensor: its integers or booleans, as
        # in PyTorch (not floats: Tensor([0, 2]) holds float32, where torch.tensor([0, 2]) holds int64)
        if isinstance(i, (list, tuple, range)):  # as numpy reads x[:, (0, 0)]: repeated positions, which add.at adds
            try:
                i = np.asarray(i) if i else np.zeros(0, dtype=np.intp)
            except ValueError:  # ragged
                raise IndexError(f"getitem: the index list {i!r:.60} is ragged; nested lists of positions need rows "
                                 "of equal length (one list per indexed axis: x[[0, 1], [2, 0]])") from None
        elif isinstance(i, np.ndarray) or hasattr(i, "__array__") and not isinstance(i, np.generic):  # PyTorch's too:
            if type(i) is not np.ndarray and is_torch(i) and str(i.dtype) == "torch.uint8":
                raise IndexError("getitem: a PyTorch uint8 index tensor is a mask to PyTorch and positions to numpy, "
                                 "whose indexing this engine follows; convert it: idx.bool() for a mask, idx.long() "
                                 "for positions")
            try:  # the positions as they are now, which backward reads (an array: add.at adds)
                i = np.asarray(i).copy()
            except (RuntimeError, TypeError) as e:
                i = torch_numbers(i, e, "getitem", "the index").copy()
        if isinstance(i, float) or isinstance(i, np.ndarray) and i.dtype.kind not in "biu":
            raise IndexError("getitem: an index must be an int, a slice, or an array of integers or booleans, got "
                             f"{'dtype ' + str(i.dtype) if isinstance(i, np.ndarray) else 'float'}; convert with "
                             f"{'Tensor(idx, dtype=np.int64)' if tensor else '.astype(int)'} (positions) or build a "
                             "boolean mask")
        if isinstance(i, np.ndarray) and i.dtype == np.uint64 and i.size and i.max() >= 2 ** 63:  # numpy: 2**64-1 is -1
            raise IndexError(f"getitem: index {i.max()} is out of bounds for every axis (beyond int64, which numpy "
                             "would wrap round to a position from the end)")
        return i
    if not isinstance(index, tuple):
        return one(index)
    if _orders_differ(items := tuple(one(i) for i in index), ndim):
        raise IndexError(f"getitem: index {index!r:.80} has an int and an index array apart (a slice between): numpy, "
                         "whose indexing this engine follows, puts the indexed axes first, PyTorch (which takes the "
                         "ints first) keeps them in place, so the two differ. Index in two steps, the ints first, for "
                         "PyTorch's order: t[1][:, idx] for t[1, :, idx]")
    return items


def _orders_differ(items: tuple, ndim: int) -> bool:
    """Whether numpy and PyTorch order the axes of x[items] differently: numpy reads ints as index arrays and puts the
    indexed axes first when these are apart; PyTorch takes the ints first, and keeps the axes of the index arrays in
    place when those alone are together (they differ unless that place is the first)."""
    kinds = ["a" if isinstance(e, np.ndarray) and e.ndim else "i" if isinstance(e, (int, np.integer, np.ndarray)) and
             not isinstance(e, bool) and np.asarray(e).dtype.kind in "iu" else "s" for e in items]
    advanced = [i for i, k in enumerate(kinds) if k != "s"]
    if "a" not in kinds or "i" not in kinds or advanced[-1] - advanced[0] + 1 == len(advanced):
        return False  # numpy keeps them in place too
    rest = [(e, k) for e, k in zip(items, kinds) if k != "i"]
    arrays = [i for i, (_, k) in enumerate(rest) if k == "a"]
    if arrays[-1] - arrays[0] + 1 != len(arrays):
        return False  # both put them first
    used = sum(e.ndim if k == "a" and e.dtype.kind == "b" else e is not None and e is not Ellipsis
               for e, k in zip(items, kinds))
    return sum(max(ndim - used, 0) if e is Ellipsis else 1 for e, _ in rest[:arrays[0]]) > 0


def index_error(e: Exception, index: Any, shape: tuple) -> Exception:
    """The error for an index (as `index_of` returned it) that numpy refused, `e`, for a tensor of `shape`: numpy's
    reason, except for an int beyond int64 (Python's OverflowError, or numpy's "only integers ... are valid") and a
    slice bound that is no int (numpy's TypeError), which are named as what they are."""
    items, head = index if isinstance(index, tuple) else (index,), f"getitem: index {index!r:.80} does not fit a " \
        f"tensor of shape {shape}: "
    for i in items:
        if isinstance(i, (int, np.integer)) and not -2 ** 63 <= int(i) < 2 ** 63:
            return IndexError(f"{head}{i} is out of bounds for every axis (beyond int64)")
        for v in (i.start, i.stop, i.step) if isinstance(i, slice) else ():
            if v is not None and not hasattr(v, "__index__"):  # (a float, a string: ints of any kind have one)
                count = hasattr(v, "grad_fn") and np.asarray(v.data).dtype.kind in "iu" and np.size(v.data) == 1
                return TypeError(f"{head}a slice's start, stop and step must be ints or None, got {v!r}" +
                                 "; n // 2, not n / 2, is an int" * isinstance(v, (float, np.floating)) +
                                 "; int(n) gives a Tensor's integer" * count)  # (PyTorch takes its own tensor)
    return type(e)(head + str(e))


def matmul_error(sa: tuple, sb: tuple, e: Exception | None) -> ValueError:
    """The error for operands of shapes `sa` @ `sb` that numpy refused to multiply (`e`), saying why and what to do."""
    if not sa or not sb:
        return ValueError(f"matmul: {sa} @ {sb}: both operands need at least one dimension; use * to multiply by a "
                          "scalar")
    inner_a, inner_b = sa[-1], (sb[-2] if len(sb) >= 2 else sb[0])
    if inner_a != inner_b:
        return ValueError(f"matmul: {sa} @ {sb}: inner dimensions {inner_a} and {inner_b} differ. x @ W needs "
                          "x.shape[-1] == W.shape[0]; did you mean to transpose one of them?")
    return ValueError(f"matmul: {sa} @ {sb}: the batch dimensions cannot be broadcast ({e})")


def update_error(op: str, operand: np.ndarray, data: np.ndarray) -> ValueError:
    """The error for an in-place `op` into `data` that numpy refused: read-only memory, or an operand not fitting."""
    return ValueError(f"{op}: an operand of shape {operand.shape} does not fit the tensor of shape {data.shape}"
                      if data.flags.writeable else f"{op}: the tensor's memory is read-only (it shares a read-only "
                      "numpy array, such as np.broadcast_to's); make the tensor of a copy, Tensor(a.copy())")


def add_alpha(alpha: Any, data: np.ndarray) -> Any:
    """`add_`'s `alpha` for a tensor holding `data`: for an integer tensor an int stays one, of the tensor's dtype (as
    in PyTorch, which refuses one beyond the dtype, but takes -1 for an unsigned tensor); otherwise a float (an int
    beyond a float's range is refused, not multiplied in)."""
    if data.dtype.kind not in "iu" or isinstance(alpha, bool):
        return check_real("add_", "alpha", alpha)
    if not isinstance(alpha, (int, np.integer)):  # a float: the sum could not stay integers
        raise TypeError(f"add_: alpha must be an int for a tensor of dtype {data.dtype}, as in PyTorch, got "
                        f"{alpha!r:.40}; make the tensor floating first, Tensor(t, dtype=np.float32)")
    info, alpha = np.iinfo(data.dtype), int(alpha)
    if not (low := info.min or -info.max) <= alpha <= info.max:
        raise ValueError(f"add_: alpha {alpha} does not fit the tensor's dtype {data.dtype} ({low} to {info.max})")
    return np.array(alpha % (info.max + 1) if info.min == 0 else alpha, data.dtype)[()]


def not_floating(t: Any) -> np.ndarray:
    """Raise for a tensor that requires grad but holds no floats (a leaf's `.data` replaced by integers or booleans),
    whose gradient backward would otherwise cast to that dtype, truncated."""
    raise TypeError(f"backward: {f'the tensor {t.name!r}' if t.name else 'a tensor'} requires grad but holds dtype "
                    f"{t.dtype} (was a leaf's .data replaced by integers?), to which its gradient would be cast and "
                    "truncate; only floating tensors can require grad: t.data = t.data.astype(np.float32)")


def torch_numbers(x: Any, e: Exception, where: str, what: str) -> np.ndarray:
    """The numbers of `x`, of which numpy's asarray raised `e`: a PyTorch tensor that requires grad (a Parameter, whose
    numpy() PyTorch refuses) gives its own; one of a dtype numpy has not (bfloat16, float8, complex32) is a TypeError
    naming `where` and `what` it is given as, and the conversion, as is a sparse one or one on a GPU (PyTorch's reason,
    which names theirs); anything else raises `e` as it was."""
    if not is_torch(x):
        raise e
    try:
        return np.asarray(x.detach())
    except TypeError as err:
        if x.device.type == "meta":  # (PyTorch's x.cpu() raises "Cannot copy out of meta tensor; no data!")
            raise TypeError(f"{where}: {what} is a PyTorch tensor on the meta device, which has a shape and a dtype "
                            "but no numbers: make it with its numbers on the CPU") from None
        if str(x.layout) != "torch.strided" or x.device.type != "cpu":  # x.float() would keep it sparse, or on the GPU
            raise TypeError(f"{where}: {what} is a PyTorch tensor numpy cannot read: {err}") from None
        how = "x.dequantize()" if x.is_quantized else "x.float() (or x.long() for integers)"  # (qint8: float() fails)
        if where == "getitem":  # an index of floats is refused next: positions (or a mask)
            of = "x.dequantize()." if x.is_quantized else "x."
            how = f"{of}long() for positions (or {of}bool() for a mask)"
        raise TypeError(f"{where}: {what} is a PyTorch tensor of dtype {x.dtype}, which numpy cannot hold; convert it "
                        f"first, {how}") from None


def _array(value: Any, where: str) -> np.ndarray | None:
    """`value` read by numpy (a Tensor's data too, not copied; a PyTorch tensor's numbers), or None for a ragged
    list."""
    try:
        return np.asarray(value)
    except ValueError:
        return None
    except (RuntimeError, TypeError) as e:
        return torch_numbers(value, e, where, "grad")


def grad_value(value: Any, t: Any) -> np.ndarray | None:
    """What `t.grad = value` stores: None, or real numbers of `t`'s shape, in `t`'s dtype (PyTorch refuses others)."""
    if value is None:
        return None
    arr = _array(value, "grad")
    if arr is None or arr.dtype.kind not in "biuf" or arr.shape != t.shape:
        got = f"of shape {arr.shape}, dtype {arr.dtype}" if arr is not None and arr.dtype.kind in "biufc" else \
            f"{value!r:.60}"
        raise ValueError(f"grad: a tensor of shape {t.shape} takes None or real numbers of that shape as its .grad, "
                         f"got {type(value).__name__} {got}; to clear it, set None or call zero_grad()")
    return arr if arr.dtype == t.dtype else _cast(arr, t.dtype)  # a cast, quietly, only where one is needed


def held_grad(t: Any) -> np.ndarray:
    """The `.grad` that leaf `t` holds from before a backward pass, to which the pass adds: in `t`'s dtype if that is
    floating (its `.data` replaced by another float dtype: cast, as `t.grad = g` is); a ValueError naming `t` if its
    `.data` got another shape since (numpy would raise deep inside, or broadcast a (4, 3) one onto 0-d data)."""
    g, data = t._grad, t.data
    if type(data) is np.ndarray and g.shape == data.shape and g.dtype == data.dtype:  # as it nearly always is
        return g
    shape, dtype = np.shape(data), np.result_type(data)
    if g.shape != shape:
        raise ValueError(f"backward: {f'the tensor {t.name!r}' if t.name else 'a leaf tensor'} has shape {shape} but "
                         f"holds a .grad of shape {g.shape}, from before its .data was replaced; clear it before "
                         "backward, p.grad = None (optimizer.zero_grad() or model.zero_grad() for all)")
    return g if g.dtype == dtype or dtype.kind != "f" else _cast(g, dtype)


def _read_grad(t: Any) -> np.ndarray | None:
    if (node := t.grad_fn) is None:
        return t._grad
    if node._grad is None and not node.retain:  # (as PyTorch warns)
        warnings.warn("grad: this tensor was made by an op (it is not a leaf), and backward keeps such a tensor's "
                      "gradient only if asked: call t.retain_grad() before backward, or backward(retain_grads=True). "
                      "Leaves, such as the parameters, keep theirs.", UserWarning, stacklevel=2)
    return node._grad


#: A tensor's `.grad`: reading it on a tensor made by an op that did not retain it warns, as in PyTorch.
GRAD = property(_read_grad, lambda t, value: setattr(t.grad_fn or t, "_grad", grad_value(value, t)),
                doc="dL/d(self): an array of its shape once backward reached it, or None (settable to either).")


def scalar_warning(where: str) -> None:
    """`float(t)` or `int(t)` of a tensor that requires grad (as `math.tanh(t)` calls it) leaves the graph: warn (as
    PyTorch's float(t) does, and `float(v)` of a Value)."""
    warnings.warn(f"Tensor: {where}(t) of a tensor that requires grad, which math.tanh(t), math.exp(t) and the like "
                  "call, is a plain number outside the graph: no gradient flows back through it. Write t.item() for "
                  "the number, t.tanh(), t.exp() to stay in the graph.", UserWarning, stacklevel=4)


def seed_value(grad: Any, t: Any, torch: dict) -> np.ndarray:
    """What `t.backward(grad)` starts from: real numbers of `t`'s shape, in `t`'s dtype (1 for one element if `grad` is
    None); a copy for a leaf (whose .grad must own its memory), else read in place (an op's result only reads its
    seed: no copy of a big G). `torch`: keywords given that backward does not take."""
    if torch:  # (no comprehension run for backward()'s empty keywords)
        given = {k: v for k, v in torch.items() if k not in _BACKWARD_DEFAULTS or v is not _BACKWARD_DEFAULTS[k]}
        if given:
            raise torch_keywords("backward", given)
    if t.data.dtype.kind != "f":  # (a graph of integers: the seed itself would be truncated)
        not_floating(t)
    if grad is None:
        if t.data.size != 1:
            raise RuntimeError(f"backward: the output has shape {t.shape}; pass grad= (dL/d(output), an array "
                               f"of shape {t.shape}), or reduce it to a scalar first, e.g. out.sum().backward()")
        seed = np.empty(t.data.shape, t.data.dtype)  # dL/dL = 1 (twice as fast as ones_like)
        seed.fill(1)
        return seed
    arr = _array(grad, "backward")
    if arr is None or arr.dtype.kind not in "biuf":  # (str, bytes, Values: numpy reads no numbers in them)
        raise TypeError(f"backward: grad must be an array of numbers of shape {t.shape} (a numpy array, a "
                        f"Tensor or a nested list of equal-length rows), got {type(grad).__name__} {grad!r:.40}")
    seed = _cast(arr, t.data.dtype, t.grad_fn is None)  # beyond the dtype: inf, quietly (as PyTorch's)
    if seed.shape != t.shape:
        raise ValueError(f"backward: grad has shape {seed.shape} but the output has shape {t.shape}; "
                         "they must be equal")
    return seed


def torch_keywords(op: str, given: dict) -> TypeError:
    """The error for keywords that `op` does not take, naming the spelling here of PyTorch's `dim=`, `keepdim=` (numpy's
    names) and `gradient=`; those given as None (numpy's np.sum(t) passes out=None) go unnamed if others are given."""
    given = {k: v for k, v in given.items() if v is not None} or given
    hints = [f"PyTorch's {k}= is " + (f"{_TORCH_NAMES[k]}= here" if _TORCH_NAMES[k] else "not offered here")
             for k in given if k in _TORCH_NAMES]
    return TypeError(f"{op}: unexpected keyword argument {', '.join(map(repr, given))}" +
                     (f" ({', '.join(hints)})" if hints else ""))


_OUT = "Tensor(t.data, dtype=np.{}), a new tensor outside the graph"


def _spelled(name: str, write: str) -> property:
    def fail(self: Any, *_: Any) -> None:  # (name= without obj= keeps Python from adding "Did you mean ...?")
        raise AttributeError(f"'Tensor' object has no attribute {name!r}; for PyTorch's t.{name}(...) write {write}",
                             name=name)
    return property(fail, fail)


class TorchName:
    """PyTorch's method `name` of a Module or an optimizer, written otherwise here: reading it says what to write (a
    class attribute, where a __getattr__ would slow every attribute read of the class; unlike a Tensor's `_spelled`,
    an instance's own attribute of that name wins)."""

    def __init__(self, name: str, write: str) -> None:
        self.name, self.write = name, write

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:  # the class's (help(), inspect)
            return self
        for k in type(obj).__mro__:  # a class after this one in the order (a mixin's own state_dict) wins
            if not isinstance(found := vars(k).get(self.name, self), TorchName):
                return found.__get__(obj, type(obj)) if hasattr(found, "__get__") else found
        raise AttributeError(f"{type(obj).__name__!r} object has no attribute {self.name!r}; PyTorch's {self.name}: "
                             f"{self.write}", name=self.name)


def _flat(x: Any) -> Any:
    """The items of nested tuples, lists and dicts (a numpy function's arguments)."""
    for v in x.values() if isinstance(x, dict) else x:
        yield from _flat(v) if isinstance(v, (tuple, list, dict)) else (v,)


class TorchSpellings:
    """PyTorch's tensor methods that the tensor engine spells otherwise: reading one is an AttributeError that says
    what to write; `t[i] = v` and `t > 0` are TypeErrors that say why there are none."""

    __slots__ = ()
    locals().update({name: _spelled(name, write) for names, write in [
        (("view", "flatten", "squeeze"), "t.reshape(...) (t.reshape(-1) flattens)"), (("dim",), "t.ndim"),
        (("unsqueeze",), "an index with None where the new axis goes, t[:, None]"), (("tolist",), "t.data.tolist()"),
        (("numel",), "t.size, numpy's number of elements"), (("permute",), "t.transpose(*axes)"),
        (("amax",), "t.max(axis=...)"), (("min", "amin"), "-(-t).max(axis=...) (PyTorch's amin: tied minima share "
                                                          "the gradient, where its min(dim) gives it to one of them)"),
        (("argmax", "argmin"), "t.data.argmax(axis=...) (or argmin)"), (("requires_grad_",), "t.requires_grad = True"),
        (("clone",), "t * 1 (in the graph) or Tensor(t.data.copy())"), (("sqrt",), "t ** 0.5"),
        (("abs",), "t.relu() + (-t).relu()"), (("mm", "matmul"), "t @ u"), (("float",), _OUT.format("float32")),
        (("add", "sub", "mul", "div"), "the operator (t + u, t - u, t * u, t / u)"),
        (("double",), _OUT.format("float64")), (("half",), _OUT.format("float16")), (("long",), _OUT.format("int64")),
        (("to", "cpu", "cuda"), "t itself (numpy, on the CPU); for another dtype Tensor(t.data, dtype=...)"),
        (("zero_", "fill_", "copy_"), "t.data[...] = 0, a write into the array that backward does not track"),
        (("sub_", "div_"), "t.add_(u, alpha=-1) or t.mul_(1 / u)"), (("pow", "square"), "t ** p (t * t squares)"),
        (("t",), "t.T"), (("clamp", "clip"), "t - (t - hi).relu() + (lo - t).relu() (clamp(min=0): t.relu(), whose "
                                             "gradient at 0 is relu'(0) = 0, clamp's g)"),
        (("var", "std"), "((t - t.mean(axis, keepdims=True)) ** 2).sum(axis) / (n - 1) (PyTorch's, unbiased), ** 0.5 "
                         "for std"), (("norm",), "(t * t).sum() ** 0.5, whose gradient at t = 0 is nan, PyTorch's "
                                                 "norm's 0")] for name in names})

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy meets a tensor: an array or a numpy number on the left of an operator gets the tensor's reflected op
        (`x * t` is a node of the graph as `t * x` is; `x < t` is refused as `t > x` is); a numpy function of a tensor
        (`np.exp(t)`) or an in-place `x += t` into a numpy array is refused, saying what to write."""
        call = method == "__call__"  # an operator or a function of its own; else np.min(t)'s reduce, an outer, ...
        name, symbol = UFUNCS.get(ufunc, ("", "")) if call else ("", "")
        if name and inputs[1] is self and not kwargs:
            return getattr(self, name)(inputs[0])
        raise TypeError(f"np.{ufunc.__name__}{'' if call else '.' + method}: " + (
            f"x {symbol}= t writes into the numpy array x, which holds numbers, not the graph: write x = x {symbol} t, "
            f"a new Tensor in the graph (or x {symbol}= t.data for the numbers)" if symbol and "out" in kwargs else
            f"write the operator (t {symbol} x, x {symbol} t): a Tensor is a node of the graph, not an array" if symbol
            else "numpy's functions take arrays of numbers, not a Tensor: write the tensor's own op (+, -, *, /, **, "
            "@, t.exp(), t.log(), t.tanh(), t.sigmoid(), t.relu(), t ** 0.5), which stay in the graph, or pass t.data "
            "for the numbers" if call else "numpy's reductions and outer products take arrays of "
            "numbers, not a Tensor; np.sum, np.mean and np.max call the tensor's own t.sum(), t.mean(), t.max(), but "
            "np.min, np.prod, np.any and the like cannot: write the tensor's ops (-(-t).max() for a minimum), or pass "
            "t.data for the numbers"))

    def __array_function__(self, func: Any, types: tuple, args: tuple, kwargs: dict) -> Any:
        """numpy's functions compute on a tensor's array (np.sum, np.mean, np.max call its method, in the graph); one
        that makes floating numbers from a tensor that requires grad, in grad mode, warns: no gradient reaches it."""
        out = func._implementation(*args, **kwargs)  # numpy's own code, as without this method (numpy >= 2.0 has it)
        if (isinstance(out, (np.ndarray, np.floating)) and out.dtype.kind == "f" and _MODE.enabled
                and any(getattr(a, "_requires_grad", False) is True for a in _flat((args, kwargs)))):
            name = func.__module__.replace("numpy", "np", 1) + "." + func.__name__  # np.linalg.norm, not np.norm
            use = "x @ W, the tensor's op" if func.__name__ in ("dot", "matmul") else \
                "it with the tensor's ops where it needs a gradient"
            warnings.warn(f"Tensor: {name} of a tensor that requires grad computes on its array, outside the graph: no "
                          f"gradient reaches it (PyTorch refuses it). Write {use}, or pass t.data for the numbers.",
                          UserWarning, stacklevel=2)
        return out

    def __lt__(self, other: Any) -> bool:  # and <=, >, >=: numpy's comparisons give masks, not ops with a gradient
        raise TypeError("Tensor: <, <=, >, >= are not ops of this engine (a comparison has no gradient): compare the "
                        "arrays, t.data > 0, for a numpy mask; t * (t.data > 0) keeps t in the graph")

    __le__ = __gt__ = __ge__ = __lt__

    def __abs__(self) -> Any:  # abs(pred - y), an L1 loss
        raise TypeError("Tensor: abs(t) is not an op of this engine; write t.relu() + (-t).relu() (its gradient is "
                        "sign(t))")

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError("'Tensor' object does not support item assignment: an op writing into a tensor (PyTorch's "
                        "t[i] = v) is not in this engine's graph. Build the result from pieces (a mask: t * mask), or "
                        "write into the array, t.data[i] = v, which backward does not track")
