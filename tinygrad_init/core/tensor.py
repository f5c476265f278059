"""The tensor engine: numpy arrays that remember how they were made.

A `Tensor` holds its data; the op that made it leaves a graph record beside it, its `grad_fn` (a `Node`, as in
PyTorch): the op, the parents' graph nodes and only what the op's backward rule saved (`tinygrad_init.core.ops` is
the table of forward and vector-Jacobian rules). So the graph keeps no intermediate result that no backward rule
reads (a product saves both operands, also when one needs no gradient), and backward frees what was saved as it goes
(pass `retain_graph=True` to walk a graph twice); pictures drawn afterwards keep every op, shape and dtype. The walk
and the chain rule live in `tinygrad_init.autograd`; broadcasting is undone in one place, `unbroadcast`. As in
PyTorch, leaves accumulate `.grad` across backward calls, intermediate tensors only if retained, and an
in-place change (`add_`, or an optimizer's step) of a tensor that a backward rule saved and reads, or of a view of
its memory (a slice, a transpose, `detach()`), makes that backward raise; writes into `.data` are not tracked. As in
`Value`, relu's backward multiplies by its 0/1 mask (than np.where, as fast at 32 x 16, 7 to 15 times as fast at
256 x 512, float64 and float32), so an inf or nan upstream gradient at a unit off gives nan where PyTorch's gives 0;
pow's da selects, as PyTorch's."""

from __future__ import annotations

import numbers
import weakref
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ..utils import Rng, as_rng, check_bool, check_type, is_torch, shape_text
from . import autograd
from .autograd import _HookHandle, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .copying import node_state, reduce_node, set_node_state
from .inputs import FLOAT_OPS, NOT_ELEMENTWISE, AmbiguousTruth, axes_of, constant, floats, GRAD, index_of
from .inputs import Size, TorchSpellings, matmul_error, real_dtype, scalar_warning, seed_value, sizes, to_array
from .inputs import add_alpha, held_grad, index_error, not_floating, torch_keywords, update_error
from .ops import OPS, Op, quiet, round_once, unbroadcast
from .value import _BINARY, Value

__all__ = ["Tensor", "Node", "changed_in_place", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "unbroadcast", "OPS"]

_MODE, _OFF, _new, _backward = autograd._MODE, autograd._OFF, object.__new__, quiet(autograd.backward)  # no warnings


class _Freed:
    """What a node saved, once backward has used it: one object, also after pickling (as `tensor._FREED`)."""

    __reduce__, __repr__ = (lambda self: "_FREED"), (lambda self: "freed")  # noqa: E731


_FREED = _Freed()
_BOOL_MINUS = ("the `-` operator is not defined on bool tensors (as in numpy and PyTorch); convert first, e.g. "
               "Tensor(t, dtype=np.int64), or for masks use numpy's operators on the data: ~t.data, a.data ^ b.data")
_ADD, _SUB, _MUL, _DIV, _POW, _MATMUL, _NEG, _EXP, _LOG, _TANH, _SIGMOID, _RELU, _SOFTPLUS = (OPS[n] for n in (
    "add", "sub", "mul", "div", "pow", "matmul", "neg", "exp", "log", "tanh", "sigmoid", "relu", "softplus"))
_CLOCK = [0]  # stamps in-place changes: a node made at `clock` sees a saved tensor changed if its `_version` is later


class _GraphNode:
    """What a leaf tensor and an op's `Node` share as graph nodes: a gradient (`_grad`) with hooks."""

    __slots__ = ()
    # whose version counter this memory has: a view's or an alias's base (a weak reference) while it lives, or its own
    _memory = property(lambda self: self if self._base is None or (b := self._base()) is None else b)

    def register_hook(self, fn: Callable[[np.ndarray], np.ndarray | None]) -> _HookHandle:
        """Call `fn(grad)` when this gradient is complete during backward; if it returns an array
        of the gradient's shape, that flows on instead. `fn` must not modify its argument in place
        (the same array may be another tensor's gradient). Returns a handle with `remove()`."""
        check_type("register_hook", "fn", fn, Callable, "a function of the gradient")
        node = getattr(self, "grad_fn", None) or self._in_graph("register_hook")  # made by an op: its graph node
        node._hooks = node._hooks or []  # a new list where none is, or all were removed (no handle holds a hook of it)
        node._hooks.append(fn)
        return _HookHandle(node._hooks, fn)

    def _in_graph(self, where: str) -> Any:  # refused as in PyTorch, but a hook or retain_grad inside no_grad() is
        if not self._requires_grad and (_MODE.enabled or where == "backward"):  # let be (one forward for both modes)
            raise RuntimeError(f"{where}: this tensor does not require grad, so backward never reaches it. Create the "
                               "parameters with requires_grad=True (nn layers do), and do not build it in no_grad().")
        return self

    def __getstate__(self) -> tuple:  # pickle, deepcopy: no view, its times as far before now as they were (stale
        return node_state(self, _CLOCK[0])  # stays stale, a later in-place change is later, in any process)
    def __setstate__(self, state: tuple) -> None: set_node_state(self, state, _CLOCK[0])

    def gradient(self) -> np.ndarray | None:  # this and what follows: the tensor-node protocol of autograd
        g = self._grad
        if g is None or not self._hooks:
            return g
        for fn in list(self._hooks):
            if (new := fn(g)) is None:
                continue
            arr = new.data if isinstance(new, Tensor) else new
            if not isinstance(arr, (np.ndarray, numbers.Real, list, tuple)) or isinstance(arr, (bool, Value)) \
                    or np.asarray(arr).dtype.kind not in "biuf":
                raise TypeError(f"hook {fn!r}: returned {type(new).__name__}; a gradient hook returns None (keep "
                                f"the gradient) or an array of shape {g.shape} (replace it)")
            if np.shape(arr) != g.shape:
                raise ValueError(f"hook {fn!r} returned a gradient of shape {np.shape(arr)}; expected {g.shape}")
            g = self._grad = np.array(arr, dtype=self.dtype)  # its own (the caller may keep and change it)
        return g

    def accumulate(self, contribution: np.ndarray) -> None:
        # the root receives its seed here (owning its memory); Node.vjp adds every other contribution
        self._grad = contribution if self._grad is None else np.asarray(self._grad + contribution)


class Node(_GraphNode):
    """The graph record of one op's result (PyTorch's `grad_fn`): `fn` the op (an entry of `OPS`,
    whose name and VJP rules are `op` and `rules`), `parents` the inputs' graph nodes, `saved`
    what the backward rule needs, `shape` and `dtype` of the result, `grad` dL/d(result) during
    backward (kept afterwards only if retained), `name` the tensor's name if it has one."""

    __slots__ = ("fn", "parents", "saved", "clock", "shape", "dtype", "_grad", "retain", "_hooks", "_requires_grad",
                 "__dict__", "__weakref__")  # (those read in backward: a slot in a tenth of a class default's time)
    requires_grad = True
    is_leaf, data, _base, scalar, _name, _version = False, None, None, False, "", 0  # the last two set when needed
    op, rules = property(lambda self: self.fn.name), property(lambda self: self.fn.rules)
    __reduce_ex__ = reduce_node  # pickle and deepcopy without recursion
    grad = property(lambda self: self._grad, lambda self, value: setattr(self, "_grad", value))
    name = property(lambda self: self._name, lambda self, value: setattr(self, "_name", value))

    def __repr__(self) -> str:
        return f"Node({self.fn.name}, {shape_text(self.shape)} {self.dtype})"

    def vjp(self, upstream: np.ndarray, retain_graph: bool = False, recorder: Any = None) -> None:
        """Add `upstream` x local (the op's VJP rule) into each parent's gradient, if it needs one, telling `recorder`;
        then free what the backward rule saved (unless `retain_graph`) and this node's gradient (unless retained:
        then copied: it may be a view, the caller's seed, or the very array of the next op's gradient, as after +)."""
        saved, parents, fn = self.saved, self.parents, self.fn
        if saved is _FREED:
            raise RuntimeError(f"backward: the graph through this {self.op} was already used by a backward pass, "
                               "which freed what its backward rule saved. To run backward through the same graph "
                               "again, call the first backward with retain_graph=True (or recompute the forward).")
        if _CLOCK[0] != self.clock:  # something changed in place since: one of the tensors this node saved?
            self._check_saved()
        a = parents[0]._requires_grad  # read now: a leaf frozen since the forward gets no gradient, as in PyTorch
        needs = (a,) if len(parents) == 1 else (a, parents[1]._requires_grad)
        first = None
        grads = fn.backward(saved, upstream, needs)
        for i, parent in enumerate(parents):
            if not needs[i]:
                continue
            grad, leaf = grads[i], type(parent) is Tensor
            like = parent.data if leaf else parent
            if grad.shape != like.shape:  # broadcast in the forward: sum it back
                try:
                    grad = unbroadcast(grad, like.shape)
                except ValueError:  # a rule of one's own op, or an input whose .data got another shape
                    raise ValueError(f"backward: the rule of {self.op} gave its input {i} a gradient of shape "
                                     f"{shape_text(grad.shape)}; the input has shape {shape_text(like.shape)}, of "
                                     "which that is no broadcast (was the input's .data replaced?)") from None
            if grad.dtype is not like.dtype and grad.dtype != like.dtype:  # promoted in the forward
                grad = grad.astype(like.dtype) if like.dtype.kind == "f" else not_floating(parent)  # (.data of ints)
            old = parent._grad
            if old is None and leaf and (grad is upstream or grad.base is not None or grad is first):
                grad = grad.copy()  # a leaf's first gradient becomes its .grad, the user's: not shared, not a view
            total = grad if old is None else old + grad
            parent._grad = first = total if total.ndim else np.array(total)  # numpy's 0-d arithmetic gives scalars
            if recorder is not None:
                recorder.step(self, parent, upstream, fn.rules[i], grad)
        if not retain_graph and saved is not None:
            self.saved = _FREED
        self._grad = self._grad.copy() if self.retain else None

    def _check_saved(self) -> None:
        """Raise if a tensor this node saved, which a rule run now reads, was changed in place after the forward."""
        for i, j in ((s, None) if type(s) is int else s for s in self.fn.saves):  # j: only input j's rule reads it
            holder = self if i < 0 else self.parents[i]._memory
            if holder._version > self.clock and (j is None or self.parents[j]._requires_grad):
                who = ("its own result" if holder is self else f"the tensor {holder.name!r}" if holder.name
                       else f"the result of {holder.op}" if type(holder) is Node else "an input tensor")
                raise RuntimeError(
                    f"backward: {self.op} saved {who} (shape {shape_text(holder.shape)}) for its backward rule, but it "
                    "was changed in place after that, for example by optimizer.step(). Call backward() before the "
                    "in-place change, or recompute the forward pass after it. (Writes into .data are not tracked.)")


def _result(out: np.ndarray, fn: Op, saved: Any, a: "Tensor", b: "Tensor | None" = None) -> "Tensor":
    """Wrap an op's result; record a graph node only if an input (`a`, or `b` for a binary op) needs a gradient."""
    t = _new(Tensor)
    t.data = out
    t._op = fn
    if (a._requires_grad or b is not None and b._requires_grad) and (not _OFF or _MODE.enabled):
        t.grad_fn = node = Node()  # (no __init__: faster than _new)
        node.fn = fn
        node.saved = saved
        node.shape = out.shape
        node.dtype = out.dtype
        node.clock = _CLOCK[0]
        node._grad, node._hooks, node.retain, node._requires_grad = None, None, False, True
        node.parents = (a.grad_fn or a,) if b is None else (a.grad_fn or a, b.grad_fn or b)
        t._requires_grad = True
    else:
        t._requires_grad = False
        t.grad_fn = None
    return t


class Tensor(_GraphNode, TorchSpellings):
    """An n-dimensional array with reverse-mode autograd: `data` (the numpy array), `grad` (dL/d(self) or None),
    `requires_grad`, `grad_fn` (the graph node of the op that made it; None for a leaf). `t == t` is True (a graph
    node, kept in sets and dicts); `t == u`, `t == 0`, `t > 0` are a TypeError, not PyTorch's elementwise comparison.

    Args:
        data: a number, a nested list, a numpy array of numbers or a Tensor (whose dtype is kept). A floating
            array (numpy's, or PyTorch's) or numpy float keeps its dtype; Python numbers, lists, integer or boolean
            arrays and scalars become float32. None, strings, Values, complex and object arrays are refused. Integer
            tensors follow PyTorch's type promotion (`int tensor * 2.5`, `int tensor / 2`: float32), never require grad.
        requires_grad: whether `backward()` should compute `.grad` for it (floats only).
        dtype: a numpy dtype to convert to, overriding the rule above.
        name: a label (`Module` sets it to the parameter's path, such as `layers.2.weight`)."""

    __slots__ = ("data", "_requires_grad", "grad_fn", "_op", "__dict__", "__weakref__")
    grad_fn: Node | None  # (for type checkers: __init__ sets None, an op its Node)
    _grad = _hooks = _base = None  # rarely changed: class defaults, set per tensor when needed
    _name, _version = "", 0
    scalar, parents = False, ()  # a tensor node (see autograd), a leaf: an op's result is walked from its grad_fn

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str = "") -> None:
        source, raw = (data, data.numpy()) if isinstance(data, Tensor) else (None, data)
        self.data = to_array(raw, dtype if dtype is not None or source is None else data.dtype)  # a Tensor's kept
        self.grad_fn, self._op = None, None
        if requires_grad is False:  # the common case (constants, data): no check needed
            self._requires_grad = False
        else:
            self.requires_grad = requires_grad  # checked by the setter
            if self.data is raw or self.data.base is not None:  # a parameter owns its numbers (as torch.tensor's),
                self.data = np.array(self.data, order="C")  # C-ordered: training changes no memory of the caller's
        if type(name) is not str or name:  # "" (the default): no label
            self._name = check_type("Tensor", "name", name, str, "a string")  # as Value's label
        if source is not None and self.data is source.data:  # the same memory: an in-place change of one is one of
            source._view(self)  # both

    @classmethod
    def zeros(cls, *shape: int | Sequence[int], requires_grad: bool = False, dtype: Any = np.float32) -> "Tensor":
        """A tensor of zeros (`ones` likewise); `shape` as separate ints or one tuple."""
        return cls(np.zeros(sizes(shape, "zeros")), requires_grad=requires_grad, dtype=real_dtype(dtype, "zeros"))

    @classmethod
    def ones(cls, *shape: int | Sequence[int], requires_grad: bool = False, dtype: Any = np.float32) -> "Tensor":
        return cls(np.ones(sizes(shape, "ones")), requires_grad=requires_grad, dtype=real_dtype(dtype, "ones"))

    @classmethod
    def randn(cls, *shape: int | Sequence[int], rng: Rng = None,
              requires_grad: bool = False, dtype: Any = np.float32) -> "Tensor":
        """Standard normal entries from `rng` (a Generator, a seed, or None), of a floating `dtype`."""
        dt = real_dtype(dtype, "randn", floating=True)  # normal samples are real numbers (None: float32)
        return cls(as_rng(rng, "randn").standard_normal(sizes(shape, "randn")), requires_grad=requires_grad, dtype=dt)

    # ------------------------------------------------------------------ properties

    shape = property(lambda self: self.data.shape, doc="The array's shape, a tuple of ints (as numpy's).")
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self.data.dtype, doc="The numpy dtype of `data` (float32 by default).")
    size = property(lambda self: Size(self.data.size), doc="The number of elements (numpy's; `t.size()` says why).")
    is_leaf = property(lambda self: self.grad_fn is None, doc="True unless an op recorded in the graph made it.")
    T = property(lambda self: self.transpose(), doc="The transpose (all axes reversed).")
    op = property(lambda self: self._op.name if self._op is not None else "",
                  doc='The name of the op that made this tensor ("" for data made by hand).')

    grad = GRAD
    name = property(lambda self: (self.grad_fn or self)._name, lambda self, value: setattr(self.grad_fn or self,
                    "_name", value), doc="A label (`Module` sets a parameter's path, `layers.2.weight`).")

    @property
    def requires_grad(self) -> bool:
        """Whether backward computes `.grad` for this tensor; settable on a floating leaf (as in PyTorch)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        value = check_bool("Tensor", "requires_grad", value)
        if value and self.data.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating tensors can require grad, got dtype {self.data.dtype}")
        if not value and self.grad_fn is not None:
            raise RuntimeError("requires_grad: only a leaf tensor's requires_grad can be changed; use t.detach() "
                               "for the same data outside the graph")
        self._requires_grad = value

    def gradient(self) -> np.ndarray | None:  # a leaf's, after its hooks: plus what it held before this pass
        g = _GraphNode.gradient(self) if self._hooks else self._grad
        if (held := self.__dict__.pop("_held", None)) is not None:
            self._grad = g = held if g is None else np.asarray(held + g)
        return g

    def numpy(self) -> np.ndarray:
        """The data as a numpy array (shared, not copied)."""
        self.data = np.asarray(self.data)  # an op's 0-d result may hold numpy's scalar, which is no array to share
        return self.data

    def item(self) -> float:
        """The single element as a Python number."""
        return self._one("item").item()

    def __float__(self) -> float:  # also what lets numpy read a list of one-element tensors
        return float(self._one("float"))

    def __int__(self) -> int: return int(self._one("int"))  # toward 0, as PyTorch's int(t)

    def __format__(self, spec: str) -> str:  # f"{loss:.4f}": a 0-d tensor formats as its number, as in PyTorch
        return format(self.data.item(), spec) if spec and self.data.ndim == 0 else super().__format__(spec)

    def _one(self, where: str) -> np.ndarray:
        if self.data.size != 1:
            raise ValueError(f"{where}: the tensor has shape {self.shape} ({self.data.size} elements); {where}() "
                             "needs exactly one. Reduce it first, e.g. t.sum().item()")
        if where != "item" and self._requires_grad:  # float(t), int(t): a number off the graph (PyTorch warns at float)
            scalar_warning(where)
        return self.data.reshape(())

    def detach(self) -> "Tensor":
        """The same data (and version counter), cut off from the graph (requires_grad=False)."""
        return Tensor(self)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() or iteration over a 0-d tensor: it has no rows; use t.item() for its number (to "
                            "give a Tensor to PyTorch, which reads it row by row, pass torch.tensor(t.data))")
        return len(self.data)

    def __iter__(self) -> Iterator["Tensor"]:
        """The rows `self[0], self[1], ...` (each in the graph, as `getitem`)."""
        return (self[i] for i in range(len(self)))  # (len: a 0-d tensor has none)

    def __contains__(self, element: Any) -> bool:  # `x in t`: by value (iterating would compare rows by identity)
        try:
            other = element.data if isinstance(element, Tensor) else constant(element, self.data, "`in`")
        except TypeError:  # None, a Value, text: never an element; a PyTorch tensor: said (its numbers may be)
            if is_torch(element):
                raise
            return False
        if other.ndim > self.ndim or any(o not in (1, s) for o, s in zip(other.shape[::-1], self.shape[::-1])):
            raise ValueError(f"`x in t`: x of shape {other.shape} is not an element or a row of a tensor of shape "
                             f"{self.shape}")
        return bool(np.any(self.data == other))

    def __eq__(self, other: Any) -> bool:  # whether they are one tensor (a graph node, kept in sets and dicts)
        if self is not other and (isinstance(other, (numbers.Number, list, tuple)) or hasattr(other, "__array__")):
            raise TypeError(NOT_ELEMENTWISE)  # not False: PyTorch's and numpy's == compare element by element
        return True if self is other else NotImplemented  # the other's == decides (pytest.approx), else identity

    def __ne__(self, other: Any) -> bool: return not self == other
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise AmbiguousTruth(f"bool: the truth value of a tensor with {self.data.size} elements is ambiguous; "
                                 "use (t.data != 0).any() or .all(), or t.item() for one element")
        return bool(self.data.reshape(()))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self.numpy(), dtype, copy=copy)  # np.array(t) copies, np.asarray(t) shares (as an array's)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ", threshold=20, edgeitems=2, prefix="Tensor(")
        extra = [f"dtype={self.data.dtype}"] * (self.data.dtype != np.float32)
        extra += [f"shape={self.shape}"] * (self.data.size == 0 and self.shape != (0,))  # "[]" alone hides it
        extra += [f"op={self.op}"] if self.grad_fn is not None else ["requires_grad=True"] * self.requires_grad
        extra += [f"name={self.name!r}"] * bool(self.name)
        return f"Tensor({', '.join([body] + extra)})"

    # ------------------------------------------------------------------ ops

    def _binary(self, fn: Op, other: Any, reverse: bool = False) -> "Tensor":
        number = False  # a Python or numpy number (not an array): promoted with a 0-d tensor too
        if type(other) is not Tensor:  # a number or an array (copied: a later change is not backward's), typed as
            arr = constant(other, self.data, fn.name, not reverse)  # PyTorch promotes it
            if self._requires_grad and _MODE.enabled and isinstance(other, np.ndarray) and np.may_share_memory(
                    arr, other):  # or a view of it (np.ma, np.memmap); no graph, no copy
                arr = arr.copy()
            number, other = not isinstance(other, np.ndarray), Tensor(arr, dtype=arr.dtype)
        a, b = (other, self) if reverse else (self, other)
        x, y, rounded = a.data, b.data, False
        if (dtype := x.dtype) is not y.dtype or dtype.kind != "f":
            x, y, rounded = floats(x, y, fn.name, number)  # computed in float32, for a float16 result
        try:
            out, saved = fn.forward(x, y)
        except TypeError:  # numpy refuses to subtract booleans
            raise TypeError(f"{fn.name}: {_BOOL_MINUS}") from None
        except ValueError as e:
            if fn.name == "matmul":
                raise matmul_error(x.shape, y.shape, e) from None
            if "broadcast" not in str(e):
                raise ValueError(f"{fn.name}: {e} Convert to floats first: Tensor(t, dtype=np.float32)") from None
            raise ValueError(f"{fn.name}: shapes {a.shape} {_BINARY[fn.name]} {b.shape} cannot be broadcast together: "
                             "from the right, each pair of sizes must be equal or one of them 1. Reshape one operand "
                             "(for example x.reshape(-1, 1)) or check which axes you meant.") from None
        return _result(round_once(out) if rounded else out, fn, saved, a, b)

    def __add__(self, other: Any) -> Tensor: return self._binary(_ADD, other)
    def __radd__(self, other: Any) -> Tensor: return self._binary(_ADD, other, True)
    def __sub__(self, other: Any) -> Tensor: return self._binary(_SUB, other)
    def __rsub__(self, other: Any) -> Tensor: return self._binary(_SUB, other, True)
    def __mul__(self, other: Any) -> Tensor: return self._binary(_MUL, other)
    def __rmul__(self, other: Any) -> Tensor: return self._binary(_MUL, other, True)
    def __truediv__(self, other: Any) -> Tensor: return self._binary(_DIV, other)
    def __rtruediv__(self, other: Any) -> Tensor: return self._binary(_DIV, other, True)
    def __pow__(self, other: Any) -> Tensor: return self._binary(_POW, other)
    def __rpow__(self, other: Any) -> Tensor: return self._binary(_POW, other, True)
    def __matmul__(self, other: Any) -> Tensor: return self._binary(_MATMUL, other)  # dx = g @ W.T, dW = x.T @ g
    def __rmatmul__(self, other: Any) -> Tensor: return self._binary(_MATMUL, other, True)

    # `p -= lr * p.grad`, `p *= 0.5` change a parameter in place (in no_grad(), as in PyTorch); others get a new tensor
    def __iadd__(self, other): return self.add_(other) if self.requires_grad and self.is_leaf else NotImplemented
    def __isub__(self, other): return self.add_(other, -1) if self.requires_grad and self.is_leaf else NotImplemented
    def __imul__(self, other): return self.mul_(other) if self.requires_grad and self.is_leaf else NotImplemented
    def __itruediv__(self, other): return self._update("/=", other, quiet(np.divide)) if self.requires_grad and \
        self.is_leaf else NotImplemented  # (quiet: x / 0 is inf, as out of place)

    def _unary(self, fn: Op, **params: Any) -> "Tensor":
        x = self.data
        if x.dtype.kind != "f":  # integers, typed as PyTorch types them: floats for FLOAT_OPS; unsigned sums in int64
            x = x.astype(np.float32) if fn.name in FLOAT_OPS else x.astype(np.int64) if fn.name == "sum" and \
                x.dtype.kind == "u" else x  # (numpy's uint64 wraps below 0)
        try:
            out, saved = fn.forward(x, **params) if params else fn.forward(x)  # a plain call when it can: twice as fast
        except TypeError as e:  # numpy refuses to negate booleans (and a slice of floats: getitem names it)
            raise (TypeError(f"{fn.name}: {_BOOL_MINUS}") if fn is _NEG else e) from None
        return _result(out, fn, saved, self)

    def __neg__(self) -> "Tensor": return self._unary(_NEG)
    def exp(self) -> "Tensor": return self._unary(_EXP)
    def log(self) -> "Tensor": return self._unary(_LOG)
    def tanh(self) -> "Tensor": return self._unary(_TANH)
    def sigmoid(self) -> "Tensor": return self._unary(_SIGMOID)  # stable for large |x|
    def relu(self) -> "Tensor": return self._unary(_RELU)
    def softplus(self) -> "Tensor": return self._unary(_SOFTPLUS)  # log(1 + e^x), stable for large |x|

    def _reduce(self, name: str, axis: Any, keepdims: bool, torch: dict | None = None) -> "Tensor":
        if torch and any(v is not None for v in torch.values()):  # dim=, keepdim=: PyTorch's names (numpy's np.sum(t)
            raise torch_keywords(name, torch)  # calls t.sum(axis=None, dtype=None, out=None): the method, in the graph)
        keepdims = keepdims if type(keepdims) is bool else check_bool(name, "keepdims", keepdims)
        return self._unary(OPS[name], axis=axes_of(axis, self.data.ndim, name), keepdims=keepdims)

    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False, **torch: Any) -> "Tensor":
        """Sum over `axis` (all axes if None; the sum of nothing is 0); each element gets the upstream gradient."""
        return self._reduce("sum", axis, keepdims, torch)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False, **torch: Any) -> "Tensor":
        """Mean over `axis` (all axes if None; the mean of nothing is nan); each element gets g / n."""
        return self._reduce("mean", axis, keepdims, torch)

    def max(self, *dim: Any, axis: int | Sequence[int] | None = None, keepdims: bool = False, **torch: Any) -> "Tensor":
        """Maximum over `axis`, numpy's max and PyTorch's amax; the gradient goes to the maximal elements (split among
        ties). The axis is a keyword: PyTorch's `x.max(1)` gives the values and their indices, and is refused."""
        if dim or "dim" in torch:
            raise TypeError("max: PyTorch's x.max(dim) returns (values, indices); here x.max(axis=1) gives the values "
                            "(PyTorch's amax) and x.data.argmax(axis=1) the indices")
        axes = axes_of(axis, self.ndim, "max")
        if any(self.shape[a] == 0 for a in (range(self.ndim) if axes is None else axes)):
            raise ValueError(f"max: cannot take the maximum over an axis of length 0 (a tensor of shape {self.shape}, "
                             f"axis {axis}): the maximum of nothing is undefined")
        return self._reduce("max", axis, keepdims, torch)

    def reshape(self, *shape: int | Sequence[int]) -> "Tensor":
        """The same elements in a new shape (one size may be -1)."""
        new = sizes(shape, "reshape", -1)
        try:
            return self._view(self._unary(OPS["reshape"], shape=new))
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {self.shape} ({self.data.size} elements) "
                             f"into {new}") from None

    def transpose(self, *axes: int | Sequence[int]) -> "Tensor":
        """Permute the axes as numpy does (reverse them if none are given): `m.transpose(1, 0)` swaps a matrix's axes.
        `m.transpose(0, 1)`, which numpy reads as no change and PyTorch as a swap, is refused: write `m.T`."""
        swap, axes = len(axes) == 2, tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        perm = axes_of(axes, self.ndim, "transpose") if axes else None  # two separate ints: PyTorch swaps them
        if perm is not None and (len(perm) != self.ndim or swap and perm == (0, 1)):
            raise ValueError(f"transpose: axes {axes} " + ("are numpy's permutation that keeps a matrix as it is, not "
                             "PyTorch's swap; write t.T or t.transpose(1, 0)" if len(perm) == 2 == self.ndim else
                             f"are not a permutation of the {self.ndim} axes of a tensor of shape {self.shape}" +
                             "; PyTorch's transpose(dim0, dim1) swaps two, here list all in their new order" * swap))
        return self._view(self._unary(OPS["transpose"], axes=perm))

    def __getitem__(self, index: Any) -> "Tensor":
        index = index_of(index, self.ndim)
        try:
            return self._view(self._unary(OPS["getitem"], index=index))
        except (IndexError, ValueError, TypeError, OverflowError) as e:  # (a slice step of 0, of floats; 2 ** 63)
            raise index_error(e, index, self.shape) from None

    def _view(self, out: "Tensor") -> "Tensor":
        """`out`, made from `self` by a shape op or `Tensor(self)`: if numpy made it a view of `self`'s memory (a
        slice, a transpose), an in-place change of either is one of both (one version counter, as in PyTorch), also
        for its graph node."""
        if np.may_share_memory(out.data, self.data):  # (weakly: a node holds its graph)
            out._base = base = self._base or weakref.ref(self.grad_fn or self)
            (out.grad_fn or out)._base = base
        return out

    def log_softmax(self, axis: int | None = -1, **torch: Any) -> "Tensor":
        """log softmax along `axis` (None: all entries), computed stably as x - max - log(sum(exp(x - max)))."""
        return self._unary(OPS["log_softmax"], axis=self._one_axis(axis, "log_softmax", torch))

    def softmax(self, axis: int | None = -1, **torch: Any) -> "Tensor":
        """softmax along `axis` (None: over all entries; stable: the maximum is subtracted first)."""
        return self._unary(OPS["softmax"], axis=self._one_axis(axis, "softmax", torch))

    def _one_axis(self, axis: Any, op: str, torch: dict) -> int | None:
        if torch:
            raise torch_keywords(op, torch)
        if isinstance(axis, (tuple, list)):
            raise ValueError(f"{op}: axis must be a single int, got {axis!r}")
        return (axes_of(axis, self.ndim, op) or (None,))[0]  # None: all axes (also those of a 0-d tensor)

    def add_(self, other: Any, alpha: float = 1.0) -> "Tensor":
        """In place: `self.data += alpha * other`; bumps the version counter. Not recorded in the graph,
        so a tensor that requires grad changes in place only inside `no_grad()`, as an optimizer does."""
        if type(alpha) is not float or alpha != 1.0 and self.data.dtype.kind != "f":  # an int stays one (integers)
            alpha = add_alpha(alpha, self.data)
        return self._update("add_", other, np.add, alpha)

    def mul_(self, other: Any) -> "Tensor":
        """In place: `self.data *= other`, as `add_` (`p /= k` divides in place the same way)."""
        return self._update("mul_", other, np.multiply)

    def _update(self, name: str, other: Any, ufunc: np.ufunc, alpha: float = 1.0) -> "Tensor":
        by = type(other) is Tensor and other._requires_grad  # (its gradient would be lost: PyTorch records it)
        if (self._requires_grad or by) and _MODE.enabled:
            op = {"add_": "-" if alpha == -1 else "+", "mul_": "*"}.get(name, name[0])  # or -=, /=
            raise RuntimeError(f"{name}: an in-place change {'of' if self._requires_grad else 'by'} a tensor that "
                               "requires grad is not recorded in the graph; do it inside no_grad() (as optimizers "
                               f"do), or write {f'y = x {op} other' if self._requires_grad else f'acc = acc {op} t'}")
        data = self.numpy()  # an array to write into (out=), also for a 0-d result
        o = other.data if type(other) is Tensor else other if type(other) is np.ndarray else \
            constant(other, data, name)
        try:  # numpy refuses an operand whose broadcast shape is not the tensor's (it cannot write into `out`)
            ufunc(data, o * alpha if alpha != 1 else o, out=data)
        except ValueError:
            raise update_error(name, o, data) from None
        except TypeError:  # numpy's casting error: a float into an integer tensor
            what = np.result_type(o, alpha) if o.dtype.kind in "biuf" else "non-number"  # (text: no result type)
            raise TypeError(f"{name}: cannot combine {what} values in place into a tensor of dtype {self.dtype}") \
                from None
        changed_in_place(self)
        return self

    # ------------------------------------------------------------------ backward

    def backward(self, grad: Any = None, *, retain_grads: bool = False, retain_graph: bool = False, **torch: Any
                 ) -> None:
        """Backpropagate from this tensor (PyTorch's second positional argument is `retain_graph`: here a keyword).

        Args:
            grad: dL/d(self), of this tensor's shape; may be omitted only for one element (then 1).
            retain_grads: keep `.grad` on every intermediate tensor too (to inspect or draw it).
            retain_graph: keep what the backward rules saved, to run backward through this graph again.
            **torch: PyTorch's keywords (`gradient=`, `create_graph=`): refused, with a message naming what to write.
        """
        seed = seed_value(grad, self._in_graph("backward"), torch)
        if type(retain_graph) is not bool:  # "abc" would read as True
            retain_graph = check_bool("backward", "retain_graph", retain_graph)
        if type(retain_grads) is not bool:
            retain_grads = check_bool("backward", "retain_grads", retain_grads)
        with autograd._PASSES:  # passes in two threads, which may share leaves, one after the other
            order, held, outer, kept = autograd.topological_order(self), [], {}, []
            try:  # (a leaf's .grad of another shape than its .data, held_grad's error, leaves all as they were)
                for node in order:
                    if type(node) is Node:
                        if retain_grads:
                            node.retain = True
                        if node._grad is not None:  # retained: it adds up over passes (as PyTorch's); else an error's
                            if node.retain:
                                kept.append((node, node._grad))
                            node._grad = None
                    elif node._requires_grad:  # a leaf's hooks see this pass's gradient: the pass's sum, to which
                        if "_held" in node.__dict__:  # (a pass holding it runs this one from a hook: its state waits)
                            outer[node], node._grad = (node._held, node._grad), None
                        node._held, node._grad = None if node._grad is None else held_grad(node), None  # added by
                        held.append(node)  # `gradient()` as the walk reaches it (as in PyTorch: an error before, kept)
                _backward(self.grad_fn or self, seed, order, retain_graph)
            except BaseException:  # an error (a hook raised, Ctrl-C): leaves not yet done keep what they held (as in
                for node in held:  # PyTorch); after a whole pass every leaf is done, and has added what it held
                    node._grad = vars(node).pop("_held", node._grad)
                raise
            finally:
                for node, g in kept:
                    node._grad = g if node._grad is None else np.asarray(g + node._grad)
                for node, (h, g) in outer.items():  # the caller's pass goes on, holding this one's gradient too
                    node._held, node._grad = h if node._grad is None else node._grad if h is None else h + node._grad, g

    def retain_grad(self) -> "Tensor":
        """Keep this intermediate tensor's `.grad` after backward (leaves always keep theirs)."""
        if self._in_graph("retain_grad").grad_fn is not None:
            self.grad_fn.retain = True
        return self

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (set `.grad` to None)."""
        self.grad = None


def changed_in_place(*tensors: Tensor) -> None:
    """Bump the tensors' version counters (one tick for all): graph nodes that saved one of them (or its memory)
    before now raise in backward."""
    now = _CLOCK[0] = _CLOCK[0] + 1
    for t in tensors:  # and the base of a view's or an alias's memory (if it is gone, no node saved it)
        (t.grad_fn or t)._version = now
        if t._base is not None:  # (a property call per parameter costs an optimizer step 3%)
            t._memory._version = now

