"""The one idea both engines share: walk the graph backwards and apply the chain rule.

Every node of a computation graph knows its `parents`, the nodes it was computed from. Backpropagation is two steps:

1. `topological_order` lists the nodes so that each comes after all of its parents (an
   iterative depth-first search: a chain of a million ops needs no recursion);
2. `backward` visits that list in reverse, so that a node's gradient is complete before it
   is passed on, and at every edge `node -> parent` adds the upstream gradient times the
   local derivative, dL/dp += dL/dn * dn/dp: `parent.grad += upstream * local`. A parent
   used by several nodes receives one contribution from each; they add up.

The engines differ only in what "times the local derivative" is. A scalar node (`Value`)
stores its local derivatives as numbers, so the product is the multiplication itself. A tensor
node computes a vector-Jacobian product (the backward of `x @ W` is `g @ W.T` and `x.T @ g`),
so the loop hands a node its gradient and the node adds each parent's share. The node protocol:

- every node: `parents` (a tuple, empty for a leaf), `grad`, and `scalar` (which loop);
- a scalar node (`Value`): `edges()`, its `(parent, local derivative)` pairs, kept in the slots
  `_a`, `_da`, `_b`, `_db` (n-ary: tuples in `_a`, `_da`), which the walk and the loop read
  directly (one node per op: every call and tuple saved per node shows in the run time);
- a tensor node: `_grad` (its running gradient) and `_hooks`, `gradient()` (its finished gradient,
  after hooks, or None), `accumulate(contribution)`, and `vjp(upstream, retain_graph,
  recorder)`, which adds upstream x local (a vector-Jacobian product) into each parent's gradient,
  reports every step to the recorder, then frees what the node's backward rule saved.

A recorder (the ledger's, or one of your own) observes the same walk: once installed with `set_recorder`,
both loops report every step of the installing thread's backward passes to it.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import threading
from numbers import Real
from typing import Any, Callable, Iterable, TypeVar, overload

from ..utils import check_bool, got

__all__ = ["topological_order", "backward", "set_recorder", "get_recorder", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled"]


def topological_order(root: Any, parents: Callable[[Any], Iterable[Any]] | None = None) -> list:
    """The nodes reachable from `root`, each after all of its parents (root last).

    The depth-first post-order of a recursive search (visit a node: mark it, visit each unmarked parent in the order
    the op lists them, emit the node), kept on an explicit stack; the first unmarked parent is visited straight away,
    without a trip through the stack. The order depends only on the order of each op's parents, so anything numbered
    by it (node ids in DOT text, ledger lines) is reproducible. A tensor is walked from its graph node (`grad_fn`).

    Args:
        root: the output node.
        parents: how to get a node's parents; default `node.parents`.
    """
    root = getattr(root, "grad_fn", None) or root
    order: list = []
    emit = order.append
    visited: set = set()
    mark = visited.add
    if parents is not None or not getattr(root, "scalar", False):  # tensor nodes (or any, by `parents`): the node
        node, it, stack = root, iter(root.parents if parents is None else tuple(parents(root))), []  # visited and the
        push, pop = stack.append, stack.pop  # iterator over its parents; the stack holds those of the path below it
        mark(root)
        while True:
            for p in it:  # go on to the next unmarked parent
                if p not in visited:
                    mark(p)
                    ps = p.parents if parents is None else tuple(parents(p))
                    if ps:
                        push(node)
                        push(it)
                        node, it = p, iter(ps)
                        break
                    emit(p)  # a leaf: done at once
            else:  # every parent done
                emit(node)
                if not stack:
                    return order
                it, node = pop(), pop()
    stack = [root]  # a Value graph: read the slots directly
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        if node is None:  # the marker: every parent of the node under it is done
            emit(pop())
            continue
        if node in visited:
            continue
        while True:  # visit the node; then go straight on to its first unvisited parent, if any
            mark(node)
            p, q = node._a, node._b
            if q is not None:  # two parents, the common case: no tuple, no iterator
                if p in visited:
                    if q in visited:
                        emit(node)  # nothing to wait for
                        break
                    push(node)
                    push(None)
                    node = q
                    continue
                push(node)
                push(None)
                push(q)  # checked when it is popped: the walk from p may reach it first
                node = p
            elif p is not None and type(p) is not tuple:  # one parent
                if p in visited:
                    emit(node)
                    break
                push(node)
                push(None)
                node = p
            elif p:  # n-ary: a tuple of parents
                push(node)
                push(None)
                for parent in reversed(p):
                    if parent not in visited:
                        push(parent)
                break
            else:
                emit(node)  # a leaf
                break
    return order


# ------------------------------------------------------------------ grad mode, per thread


class _Mode(threading.local):
    enabled, recorder = True, None  # this thread's grad mode and recorder

    def __init__(self) -> None:
        self.saved: list[tuple] = []  # (a block's object, the mode it restores), innermost block last


_MODE = _Mode()
_PASSES = threading.RLock()  # one backward pass at a time: passes in two threads may share nodes (a hook's runs within)
if hasattr(os, "register_at_fork"):  # a fork waits for the pass under way: its child would inherit the lock held, by a
    os.register_at_fork(before=_PASSES.acquire, after_in_parent=_PASSES.release,  # thread that it does not have
                        after_in_child=_PASSES.release)
_F = TypeVar("_F", bound=Callable[..., Any])  # a decorated function keeps its signature for type checkers
_OFF: set = set()  # the ids of threads whose grad mode is off: while there are none, an op records without reading
# its thread's mode (a thread-local read, 0.5k instructions an op); a thread that ends in no_grad() leaves its id


def _set_mode(enabled: bool) -> None:
    _MODE.enabled = enabled
    (_OFF.discard if enabled else _OFF.add)(threading.get_ident())  # a thread adds and takes away only its own id


class _GradMode(contextlib.ContextDecorator):
    """Sets this thread's grad mode for a block (or a decorated function) and restores the mode it found.
    What to restore lives on the thread's own stack, beside the object, so one object may be entered again, nested or
    in another thread, and blocks that end out of order (one open across a generator's yield) restore theirs."""
    name = property(lambda self: "enable_grad" if self.enabled else "no_grad")  # the function that made it
    found = None  # set_grad_enabled's: the mode before its call, which its first block (or a decorator) restores

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __enter__(self) -> None:
        found, self.found = self.found, None
        _MODE.saved.append((self, _MODE.enabled if found is None else found))
        _set_mode(self.enabled)

    def __exit__(self, *exc: object) -> None:  # the mode this object's latest block found (above it: a block open
        saved, i = _MODE.saved, -1  # across a generator's yield, which restores its own when it ends)
        while saved[i][0] is not self:
            i -= 1
        _set_mode(saved.pop(i)[1])

    def __call__(self, fn: _F) -> _F:  # a decorator changes the mode only while the function runs
        if self.found is not None:
            _set_mode(self.found)
            self.found = None
        if not callable(fn):
            raise TypeError(f"{self.name}: expected a function to decorate, got {type(fn).__name__} {fn!r:.40}")
        if isinstance(fn, type) or inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn):
            raise TypeError(f"{self.name}: cannot decorate " + (
                f"the class {fn.__name__}: decorate its methods" if isinstance(fn, type) else f"the async function "
                f"{fn.__name__}: its body runs after the call has returned, outside the mode; write the with block "
                "inside it"))
        if not inspect.isgeneratorfunction(fn):
            return super().__call__(fn)

        @functools.wraps(fn)
        def generator(*args: Any, **kwargs: Any) -> Any:  # as torch's: the body runs in the mode each time it
            body = fn(*args, **kwargs)  # resumes (next, send, throw, close), the caller in its own between yields;
            resume, sent, mode, blocks = body.send, None, self.enabled, []  # the body's blocks open across a yield
            while True:  # are its own, on a stack of its own, and the mode they set lasts until they end
                caller, _MODE.saved = (_MODE.enabled, _MODE.saved), blocks
                _set_mode(mode)
                try:
                    item = resume(sent)
                except StopIteration as stop:
                    return stop.value
                finally:  # an exception thrown in, kept here, and its traceback (holding this frame): a cycle
                    sent, mode, _MODE.saved = None, _MODE.enabled, caller[1]
                    _set_mode(caller[0])
                try:
                    sent, resume = (yield item), body.send
                except BaseException as e:  # thrown in by the caller (close: GeneratorExit): thrown on into the body
                    sent, resume = e, body.throw
        return generator  # type: ignore[return-value]


@overload
def no_grad(fn: None = None) -> _GradMode: ...
@overload
def no_grad(fn: _F) -> _F: ...
def no_grad(fn: _F | None = None) -> Any:
    """Within this block (or decorated function) tensor ops build no graph: for evaluation and parameter updates.
    Grad mode belongs to the thread; other threads keep recording. `@no_grad()` and `@no_grad` both decorate; a
    generator function's body runs without grad each time it resumes (inside a block of its own that is open across a
    yield: in that block's mode), its caller in its own mode in between."""
    return _GradMode(False) if fn is None else _GradMode(False)(fn)


@overload
def enable_grad(fn: None = None) -> _GradMode: ...
@overload
def enable_grad(fn: _F) -> _F: ...
def enable_grad(fn: _F | None = None) -> Any:
    """Turn graph building back on inside a `no_grad` block (this thread only); decorates as `no_grad` does."""
    return _GradMode(True) if fn is None else _GradMode(True)(fn)


class set_grad_enabled(_GradMode):  # noqa: N801 (PyTorch's name, for its habit `with set_grad_enabled(train):`)
    """Set this thread's grad mode to `mode` at once, as PyTorch's `torch.set_grad_enabled(mode)`; used in a `with`
    (or as a decorator), the block (or the function) runs in `mode` and the mode found before is restored after."""
    name = "set_grad_enabled"

    def __init__(self, mode: bool) -> None:
        super().__init__(check_bool("set_grad_enabled", "mode", mode))  # (a number or a string: refused)
        self.found = _MODE.enabled  # the mode before the call, restored by a block
        _set_mode(self.enabled)


def is_grad_enabled() -> bool:
    """True unless this thread is inside `no_grad`."""
    return _MODE.enabled


class _HookHandle:
    """Returned by `register_hook` and `register_forward_hook`: `remove()` takes the hook off (also in a `with`)."""

    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks: list, fn: Callable) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)
        self._hooks = []  # removed once: the same function registered again stays

    __enter__, __exit__ = (lambda self: self), (lambda self, *exc: self.remove())  # noqa: E731


# ------------------------------------------------------------------ the recorder and the walk

def set_recorder(recorder: Any) -> Any:
    """Install `recorder` (with `begin(root, order)`, `step(node, parent, upstream, local, contribution)`
    and `end(root)`), or None, for this thread's backward passes (as grad mode, it belongs to the thread);
    returns the previous one."""
    previous, _MODE.recorder = _MODE.recorder, recorder
    return previous


def get_recorder() -> Any:
    """The recorder observing this thread's backward passes, or None."""
    return _MODE.recorder


def backward(root: Any, seed: Any, order: list | None = None, retain_graph: bool = False) -> list:
    """Backpropagate from `root`, whose gradient is `seed`; returns the order walked (root last).

    Args:
        root: the output node (a `Value`, or a tensor's graph node).
        seed: dL/d(root): 1.0 for a scalar loss, or the upstream gradient.
        order: a precomputed `topological_order(root)`.
        retain_graph: tensor graphs: keep what the backward rules saved, to walk the graph again.
    """
    if order is None:
        order = topological_order(root)
    recorder = _MODE.recorder
    leaves = []  # a scalar pass's leaves and their gradients before it, put back if it is cut short (Ctrl-C)
    if root.scalar:  # a pass of its own: the nodes above the leaves start from 0, the leaves add up (as in PyTorch)
        if type(seed) is not float:  # a float, as every gradient of a Value (np.float32 would make them all float32)
            if not isinstance(seed, Real):
                raise TypeError(f"backward: the seed of a Value (dL/d(root)) must be a number, got {got(seed)}")
            seed = float(seed)
        for node in order:
            if node._a is not None:
                node.grad = 0.0
            else:  # `p.grad = None` (PyTorch's habit) starts at 0
                node.grad = grad = 0.0 if node.grad is None else node.grad
                leaves.append((node, grad))
        held, root.grad = (root.grad if root._a is None else 0.0), seed  # the pass (and a ledger) starts from the seed
    else:
        root.accumulate(seed)
    if recorder is not None:
        recorder.begin(root, order)
    if root.scalar:  # the scalar engine: the chain rule, literally
        try:
            for node in reversed(order):
                b = node._b
                if b is not None and recorder is None:  # two parents, in the node's slots
                    upstream = node.grad
                    node._a.grad += upstream * node._da
                    b.grad += upstream * node._db
                    continue
                a = node._a
                if a is None:  # a leaf: nothing to pass on
                    continue
                upstream = node.grad
                if type(a) is not tuple and recorder is None:  # one parent, in the node's slots
                    a.grad += upstream * node._da
                    continue
                for parent, local in node.edges():
                    parent.grad += upstream * local
                    if recorder is not None:
                        recorder.step(node, parent, upstream, local, upstream * local)
        except BaseException:
            for node, grad in leaves:
                node.grad = grad
            raise
        root.grad += held  # a leaf root's earlier gradient, set aside
    else:  # the tensor engine: `upstream x local` is a vector-Jacobian product for each parent
        if recorder is not None:  # a backward that a hook runs meanwhile is a pass of its own, not steps of this one
            _MODE.recorder = None  # (a ledger opened in the hook records it)
        try:
            for node in reversed(order):
                if node.parents:
                    upstream = node.gradient() if node._hooks else node._grad
                    if upstream is not None:
                        node.vjp(upstream, retain_graph, recorder)
                elif node._requires_grad:  # a leaf: its gradient is finished (its hooks see it); data has none
                    node.gradient()
        finally:
            if recorder is not None:
                _MODE.recorder = recorder
    if recorder is not None:
        recorder.end(root)
    return order
