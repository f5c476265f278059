"""Pickle and `copy.deepcopy` of a graph (a `Value`'s or a tensor's), without recursion: a node hands Python the
nodes it was computed from first, in topological order, so that copying one never recurses into another."""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .autograd import topological_order

__all__ = ["reduce_node", "node_state", "set_node_state"]


class _Order(list):
    """The nodes a node was computed from, in topological order, which pickle or deepcopy copies before the node."""

    __slots__ = ("__weakref__",)

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return list, (), None, iter(self)  # a plain list in the copy


class _Copying(threading.local):
    def __init__(self) -> None:
        self.order_of: dict[int, weakref.ref] = {}  # id(node) -> the order it is in, while a copy holds that order


_COPYING = _Copying()


def reduce_node(node: Any, protocol: Any = None) -> tuple:
    """A node's `__reduce_ex__`, for pickle and `copy.deepcopy`: the nodes it was computed from come first, in
    topological order, so that copying a graph recurses one node deep however long its chains are (a recursive
    copy of a 1,000-op chain exceeds Python's recursion limit); they and a leaf are copied as Python does."""
    default, order_of = object.__reduce_ex__(node, 2), _COPYING.order_of

    def copying(n: Any) -> bool:  # in an order that a copy under way holds: copied before (or with) its nodes
        return (ref := order_of.get(id(n))) is not None and ref() is not None

    if copying(node) or node.scalar and node._a is None:
        return default  # its parents are copied already, or it has none (a leaf Value)
    order = _Order(topological_order(node, lambda n: () if copying(n) else n.parents)[:-1])  # not below those
    ids = [id(n) for n in order]

    def forget(ref: weakref.ref) -> None:  # the copy is done: its memo let the order go
        for i in ids:
            if order_of.get(i) is ref:
                del order_of[i]

    order_of.update(dict.fromkeys(ids, weakref.ref(order, forget)))
    return blank_node, (type(node), order), default[2]


def blank_node(cls: type, ancestors: list) -> Any:
    """A node of class `cls`, its state not yet set, in a copy that holds its `ancestors` already."""
    return object.__new__(cls)


def node_state(node: Any, now: int) -> tuple:
    """A tensor's or a graph node's state for pickle and deepcopy: no view (its arrays are copied one by one: `_base`
    stays behind, a view's version is its memory's), its times (`_version`, a node's `clock`) relative to `now`."""
    attrs = {k: v for k, v in vars(node).items() if k != "_base"} | {"_version": node._memory._version - now}
    return attrs, {k: getattr(node, k) - now if k == "clock" else getattr(node, k) for k in type(node).__slots__
                   if k[:2] != "__"}


def set_node_state(node: Any, state: tuple, now: int) -> None:
    """`node_state`'s state, its times on the loading process's clock (at `now`) as far before now as they were:
    what was stale stays stale, and a later in-place change is later than all of them (also in a new process)."""
    for part in state:
        for k, v in part.items():
            object.__setattr__(node, k, v + now if k in ("_version", "clock") else v)
