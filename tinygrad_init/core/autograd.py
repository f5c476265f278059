"""The one idea both engines share: walk the graph backwards and apply the chain rule.

Every node of a computation graph knows its `parents` (the nodes it was computed from).
Backpropagation is two steps:

1. `topological_order` lists the nodes so that each comes after all of its parents
   (an iterative depth-first search: a chain of a million ops needs no recursion);
2. `backward` visits that list in reverse, so that a node's gradient is complete before
   it is passed on, and at every edge `node -> parent` adds the upstream gradient times
   the local derivative: dL/dp += dL/dn * dn/dp, that is `parent.grad += upstream * local`.
   A parent used by several nodes receives one contribution from each; they add up.

The two engines differ only in what "times the local derivative" is. A scalar node
(`Value`) stores its local derivatives as numbers, so the product is the multiplication
itself. A tensor node computes a vector-Jacobian product (the backward of `x @ W` is
`g @ W.T` and `x.T @ g`), so its loop asks the node for each parent's contribution.

The node protocol:

- every node: `parents` (a tuple; empty for a leaf) and `grad`;
- a scalar node: `edges()`, its `(parent, local derivative)` pairs;
- a tensor node: `gradient()` (its finished gradient after hooks, or None),
  `vjp(upstream)` (`(parent, rule, contribution)` triples), `accumulate(contribution)`
  and `release(retain_graph)` (free what the backward rule saved).

A recorder (the ledger, the probe, a picture being drawn) observes the same walk: when
one is installed with `set_recorder`, each loop reports every step to it.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterable, Iterator

__all__ = ["topological_order", "backward", "set_recorder", "get_recorder",
           "no_grad", "enable_grad", "is_grad_enabled"]


def topological_order(root: Any, parents: Callable[[Any], Iterable[Any]] | None = None) -> list:
    """The nodes reachable from `root`, each listed after all of its parents (root last).

    An iterative depth-first post-order. The order depends only on the order in which
    each op lists its parents, so anything numbered by it (node ids in DOT text, ledger
    lines) is reproducible. A tensor is walked from its graph node (`grad_fn`).

    Args:
        root: the output node.
        parents: how to get a node's parents; default `node.parents`.
    """
    root = getattr(root, "grad_fn", None) or root
    get = (lambda n: n.parents) if parents is None else (lambda n: tuple(parents(n)))
    order: list = []
    emit = order.append
    visited = {root}
    mark = visited.add
    stack = [(root, iter(get(root)))]  # the path of a recursive search, kept by hand
    push, pop = stack.append, stack.pop
    while stack:
        node, todo = stack[-1]
        for p in todo:
            if p not in visited:
                mark(p)
                ps = get(p)
                if ps:
                    push((p, iter(ps)))  # descend; come back to `node` later
                    break
                emit(p)  # a leaf
        else:  # every parent of `node` is done
            pop()
            emit(node)
    return order


# ------------------------------------------------------------------ grad mode (per thread)


class _GradMode(threading.local):
    enabled = True


_MODE = _GradMode()


@contextlib.contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    previous, _MODE.enabled = _MODE.enabled, enabled
    try:
        yield
    finally:
        _MODE.enabled = previous


def no_grad() -> contextlib.AbstractContextManager:
    """Within this block (or decorated function) tensor ops build no graph.

    Use it for evaluation and for parameter updates. Grad mode belongs to the thread:
    a `no_grad` block in one thread does not stop another thread from recording.
    """
    return _grad_mode(False)


def enable_grad() -> contextlib.AbstractContextManager:
    """Turn graph building back on inside a `no_grad` block (this thread only)."""
    return _grad_mode(True)


def is_grad_enabled() -> bool:
    """True unless this thread is inside `no_grad`."""
    return _MODE.enabled


# ------------------------------------------------------------------ the recorder

_RECORDER: Any = None


def set_recorder(recorder: Any) -> Any:
    """Install `recorder` (with `begin(root, order)`, `step(node, parent, upstream, local,
    contribution)` and `end(root)`), or None; returns the previous one. Process-wide: do not
    record backward passes running in several threads at once."""
    global _RECORDER
    previous, _RECORDER = _RECORDER, recorder
    return previous


def get_recorder() -> Any:
    """The recorder observing backward passes now, or None."""
    return _RECORDER


# ------------------------------------------------------------------ backward


def backward(root: Any, seed: Any, order: list | None = None, retain_graph: bool = False) -> list:
    """Backpropagate from `root`, whose gradient is `seed`; returns the order walked (root last).

    Args:
        root: the output node (a `Value`, or a tensor's graph node).
        seed: dL/d(root): 1.0 for a scalar loss, or the upstream gradient.
        order: a precomputed `topological_order(root)`.
        retain_graph: tensor graphs only: keep what the backward rules saved, so that
            backward can run through the graph again.
    """
    if order is None:
        order = topological_order(root)
    recorder = _RECORDER
    scalar = hasattr(root, "edges")
    if scalar:
        root.grad += seed
    else:
        root.accumulate(seed)
    if recorder is not None:
        recorder.begin(root, order)
    if scalar:
        _chain_numbers(order, recorder)
    else:
        _chain_tensors(order, recorder, retain_graph)
    if recorder is not None:
        recorder.end(root)
    return order


def _chain_numbers(order: list, recorder: Any) -> None:
    """The scalar engine: the chain rule, literally."""
    for node in reversed(order):
        upstream = node.grad
        for parent, local in node.edges():
            parent.grad += upstream * local
            if recorder is not None:
                recorder.step(node, parent, upstream, local, upstream * local)


def _chain_tensors(order: list, recorder: Any, retain_graph: bool) -> None:
    """The tensor engine: `upstream x local` is a vector-Jacobian product per parent."""
    for node in reversed(order):
        upstream = node.gradient()
        if upstream is None or not node.parents:
            continue
        for parent, rule, contribution in node.vjp(upstream):
            parent.accumulate(contribution)
            if recorder is not None:
                recorder.step(node, parent, upstream, rule, contribution)
        node.release(retain_graph)
