"""The one idea both engines share: walk the graph backwards and apply the chain rule.

Every node of a computation graph (a :class:`~tinygrad_init.Value` or a
:class:`~tinygrad_init.Tensor`) knows its parents -- the nodes it was computed
from -- and, for each parent, how to turn its own gradient into that parent's
share of the gradient. Backpropagation is then two steps:

1. :func:`topological_order` lists the nodes so that every node comes after all
   of its parents (an iterative depth-first search; a chain of a million ops
   does not hit Python's recursion limit).
2. :func:`backward` visits that list in reverse, so that a node's gradient is
   complete before it is passed on, and at every edge ``node -> parent`` adds

   .. math:: \\frac{\\partial L}{\\partial p} \\mathrel{+}= \\frac{\\partial L}{\\partial n}
             \\cdot \\frac{\\partial n}{\\partial p}

   i.e. ``parent.grad += upstream * local`` -- the upstream gradient times the
   local derivative. A parent that feeds several nodes receives one such
   contribution from each of them; they add up.

The node protocol (what a class needs to take part):

``_parents``
    a tuple of parent nodes (empty for leaves).
``_chain(upstream)``
    returns a sequence of ``(parent, local, contribution)`` triples, one per
    parent that needs a gradient. ``local`` describes the local derivative (a
    number for ``Value``; the op's rule for ``Tensor``) and ``contribution``
    is what gets added to the parent's gradient.
``_accumulate(contribution)``
    adds a contribution to the node's gradient.
``_upstream()``
    returns the node's finished gradient (after any hooks), or ``None`` when
    no gradient reached it.
``_release()``
    called once the node's gradient has been passed on (an engine may drop
    gradients it does not need to keep).
``_SCALAR``
    a class attribute: True for nodes whose ``_locals`` are plain numbers, so
    that the walk can do ``parent.grad += upstream * local`` inline.

The ledger (:mod:`tinygrad_init.ledger`), the probe and the renderer observe
this same walk; none of them has a second topological sort.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Protocol

__all__ = ["topological_order", "backward", "set_recorder", "get_recorder"]


class Node(Protocol):  # pragma: no cover - typing only
    _parents: tuple

    def _chain(self, upstream: Any) -> Iterable[tuple[Any, Any, Any]]: ...

    def _accumulate(self, contribution: Any) -> None: ...

    def _upstream(self) -> Any: ...

    def _release(self) -> None: ...


def topological_order(root: Any, parents: Callable[[Any], Iterable[Any]] | None = None) -> list:
    """Nodes reachable from ``root``, each listed after all of its parents.

    An iterative depth-first post-order: a node is emitted once every one of
    its parents has been emitted, so a chain of a million ops needs no
    recursion. The order is deterministic -- it depends only on the order in
    which each op lists its parents -- so anything numbered by it (node ids in
    DOT text, ledger lines) is reproducible.

    Args:
        root: the output node.
        parents: how to get a node's parents; defaults to ``node._parents``.

    Returns:
        A list whose last element is ``root``.
    """
    # The stack holds (node, iterator over its parents): the path of a recursive
    # depth-first search, kept by hand. A node is emitted when its iterator runs out,
    # that is once all of its parents have been emitted.
    order: list = []
    emit = order.append
    visited = {root}
    mark = visited.add
    ps = root._parents if parents is None else tuple(parents(root))
    stack = [(root, iter(ps))]
    push, pop = stack.append, stack.pop
    while stack:
        node, todo = stack[-1]
        for p in todo:
            if p not in visited:
                mark(p)
                ps = p._parents if parents is None else tuple(parents(p))
                if ps:
                    push((p, iter(ps)))  # descend; come back to ``node`` later
                    break
                emit(p)  # a leaf: nothing above it
        else:  # every parent of ``node`` is done
            pop()
            emit(node)
    return order


# The active recorder (a ledger), or None. Checked once per backward pass, so a
# backward pass with no ledger recording costs nothing extra.
_RECORDER: Any = None


def set_recorder(recorder: Any) -> Any:
    """Install ``recorder`` (or ``None``) to observe chain-rule steps; returns the previous one."""
    global _RECORDER
    previous, _RECORDER = _RECORDER, recorder
    return previous


def get_recorder() -> Any:
    """The recorder observing backward passes now, or ``None``."""
    return _RECORDER


def backward(root: Any, seed: Any, order: list | None = None) -> list:
    """Backpropagate from ``root``, whose gradient is ``seed``.

    Visits the nodes in reverse topological order and, at each edge
    ``node -> parent``, performs

        parent.grad += upstream * local

    For scalar nodes (which store their local derivatives as numbers in
    ``_locals``) that line is the code itself; tensor nodes compute the
    product as a vector-Jacobian product in ``_chain``.

    Args:
        root: the output node.
        seed: dL/d(root): 1.0 for a scalar loss, or the upstream gradient.
        order: a precomputed :func:`topological_order` of ``root``.

    Returns:
        The topological order that was walked (root last).
    """
    if order is None:
        order = topological_order(root)
    recorder = _RECORDER
    if recorder is None and root._SCALAR:
        # The scalar engine: the chain rule, literally.
        root.grad += seed
        for node in reversed(order):
            upstream = node.grad
            for parent, local in zip(node._parents, node._locals):
                parent.grad += upstream * local
        return order

    root._accumulate(seed)
    if recorder is not None:
        recorder.begin(root, order)
    for node in reversed(order):
        upstream = node._upstream()
        if upstream is None or not node._parents:
            continue
        if recorder is None:
            for parent, _local, contribution in node._chain(upstream):
                parent._accumulate(contribution)
        else:
            for parent, local, contribution in node._chain(upstream):
                parent._accumulate(contribution)
                recorder.step(node, parent, upstream, local, contribution)
        node._release()
    if recorder is not None:
        recorder.end(root)
    return order
