"""The chain-rule ledger: every step of a backward pass, written down in order.

Backpropagation (:func:`tinygrad_init.autograd.backward`) visits the nodes of a
graph from the output back to the inputs and, at every edge ``node -> parent``,
performs one step of the chain rule:

.. math::

    \\frac{\\partial L}{\\partial p} \\mathrel{+}=
    \\underbrace{\\frac{\\partial L}{\\partial n}}_{\\text{upstream}} \\cdot
    \\underbrace{\\frac{\\partial n}{\\partial p}}_{\\text{local}}

A :class:`Ledger` records each of these steps as a :class:`Step`: the node,
the parent, the upstream gradient, the local derivative, their product (the
*contribution*) and the parent's gradient after adding it. For the scalar
engine (:class:`~tinygrad_init.Value`) these are the exact numbers; for the
tensor engine (:class:`~tinygrad_init.Tensor`) the local derivative is the
op's rule in words (``"dW = x.T @ g"``) and the ledger keeps shapes, Frobenius
norms and standard deviations, and the *gain*
``|contribution| / |upstream|`` of every step.

Usage::

    from tinygrad_init import Value, ledger

    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    o = (a * b + c).tanh(); o.label = "o"
    with ledger.record() as steps:
        o.backward()
    print(steps.explain())
    # do/do = 1.0   (the seed: backward starts here)
    # do/d(add#3) = do/do × do/d(add#3) = 1.0 × 0.00134095 = 0.00134095
    # ...

Recording costs nothing when no ledger is open: the engine looks for a
recorder once per backward pass. While one is open every step calls into the
ledger, which for tensors also computes norms (a pass over each gradient).

Two more tools read the same chain rule differently:

* :func:`path_products` writes dL/dx of a scalar graph as the sum, over all
  paths from L down to x, of the product of the local derivatives on the path;
* :func:`layer_gains` reads, from a recorded Tensor backward pass through an
  MLP, how much each layer shrinks or grows the gradient. A product of
  per-layer gains of about 0.22 (``0.01 * randn`` weights, 500 units) is why the
  gradient of the first layers of a deep net all but vanishes.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np

from ..core import autograd
__all__ = [
    "record", "Ledger", "Step", "Pass", "GradStats", "LedgerState", "node_names", "format_number",
    "path_products", "count_paths", "PathProducts", "Path", "layer_gains", "LayerGain", "LayerGains", "Text",
]

#: Words for the scalar engine's op symbols, used in generated node names ("mul#3").
_OP_WORDS = {"+": "add", "*": "mul", "-": "sub", "/": "div", "**": "pow", "neg": "neg"}

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Text(str):
    """A string that shows itself as text (not as a quoted repr) in a REPL or notebook."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython
        p.text(str(self))

    @property
    def lines(self) -> list[str]:
        return self.splitlines()


# --------------------------------------------------------------------------- names and numbers


def format_number(x: float, digits: int | None = 6) -> str:
    """A float as text with ``digits`` significant digits, always readable as a float.

    ``-3`` becomes ``"-3.0"``, ``0.0013409506830258655`` becomes ``"0.00134095"``,
    ``-0.0`` becomes ``"0.0"``; ``inf``/``nan`` stay ``"inf"``/``"nan"``. With
    ``digits=None`` the shortest text that reads back to the same float (``repr``).
    """
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0.0"
    s = repr(x) if digits is None else f"{x:.{int(digits)}g}"
    if "e" not in s and "." not in s:
        s += ".0"
    return s


def _op_word(node: Any) -> str:
    op = getattr(node, "op", "") or ""
    if op in _OP_WORDS:
        return _OP_WORDS[op]
    if op.startswith("**"):
        return "pow"
    return op or "op"


def node_names(order: Sequence[Any], root_name: str = "L") -> dict[Any, str]:
    """Readable, deterministic names for the nodes of a graph.

    A node's label (``Value.label``, ``Tensor.name``) is its name when set. Otherwise the
    name comes from its position ``i`` in ``order`` (a :func:`~tinygrad_init.autograd.topological_order`):
    ``"mul#3"`` for the output of an op, ``"n0"`` for a leaf, and ``root_name`` for the
    root (the last node; the L of dL/dx). A label used by several nodes gets ``#i``
    appended to each use, so that names stay unique. The ledger and the pictures of
    :mod:`tinygrad_init.draw` use the same names.

    Args:
        order: the nodes, parents before children, root last.
        root_name: the name of an unlabelled root.

    Returns:
        A dict from node to name.
    """
    raw: list[str] = []
    last = len(order) - 1
    for i, node in enumerate(order):
        label = getattr(node, "label", None)
        if label is None:
            label = getattr(node, "name", "")
        label = str(label) if label else ""
        if not label:
            if i == last and root_name:
                label = root_name
            elif node.parents:
                label = f"{_op_word(node)}#{i}"
            else:
                label = f"n{i}"
        raw.append(label)
    counts: dict[str, int] = {}
    for s in raw:
        counts[s] = counts.get(s, 0) + 1
    return {node: (s if counts[s] == 1 else f"{s}#{i}") for i, (node, s) in enumerate(zip(order, raw))}


def _d(name: str) -> str:
    """``dL/d`` + name, with parentheses around names that are not one identifier."""
    return name if _IDENT.match(name) else f"({name})"


# --------------------------------------------------------------------------- records


class _ByNode(dict):
    """node -> value; a tensor may be looked up by itself, for its graph node (``grad_fn``)."""

    def __missing__(self, key: Any) -> Any:
        node = getattr(key, "grad_fn", None)
        if node is None:
            raise KeyError(key)
        return self[node]

    def __contains__(self, key: Any) -> bool:
        return dict.__contains__(self, getattr(key, "grad_fn", None) or key)


@dataclass(frozen=True)
class GradStats:
    """Summary of a tensor gradient: its shape, Frobenius norm, standard deviation and mean."""

    shape: tuple
    norm: float
    std: float
    mean: float

    @classmethod
    def of(cls, a: Any) -> "GradStats":
        """The statistics of array ``a``, accumulated in float64 (without a float64 copy when possible)."""
        arr = np.asarray(a)
        if arr.dtype.kind not in "f":
            arr = arr.astype(np.float64)
        n = arr.size
        if n == 0:
            return cls(tuple(arr.shape), 0.0, math.nan, math.nan)
        flat = arr.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):
            mean = float(np.add.reduce(flat, dtype=np.float64)) / n
            ss = float(np.einsum("i,i->", flat, flat, dtype=np.float64))  # products in float64
            if math.isfinite(ss):
                norm = math.sqrt(ss)
                var = ss / n - mean * mean
                if not var > 1e-3 * (ss / n):
                    # E[x^2] - mean^2 would cancel: subtract the mean first.
                    d = flat.astype(np.float64) - mean
                    var = float(np.dot(d, d)) / n
                std = math.sqrt(max(var, 0.0))
            elif bool(np.isfinite(flat).all()):
                # The squares overflow float64: scale by the largest magnitude first.
                big = float(np.max(np.abs(flat)))
                scaled = flat.astype(np.float64) / big
                norm = big * math.sqrt(float(np.dot(scaled, scaled)))
                std = big * float(scaled.std())
            else:
                norm, std = (math.nan, math.nan) if bool(np.isnan(flat).any()) else (math.inf, math.nan)
        return cls(tuple(arr.shape), norm, std, mean)


def _ratio(num: float, den: float) -> float:
    if den == 0.0:
        return math.nan if num == 0.0 else math.inf
    return num / den


@dataclass(frozen=True)
class Step:
    """One chain-rule step: ``dL/d(parent) += dL/d(node) * d(node)/d(parent)``.

    Attributes:
        index: position in the ledger (0-based, over all passes).
        pass_index: which recorded backward pass (0-based).
        node: the node passing its gradient on (the child).
        parent: the node receiving a contribution.
        parent_index: which of ``node.parents`` the parent is (matters for ``a * a``).
        node_name, parent_name: names from :func:`node_names`.
        op: the node's op ("*", "tanh" for Value; "matmul", "tanh" for Tensor).
        local: Value: the number d(node)/d(parent). Tensor: the op's rule for this
            input, e.g. ``"dW = x.T @ g"`` (``g`` is the upstream gradient).
        upstream: Value: dL/d(node). Tensor: None (see the norms).
        contribution: Value: ``upstream * local``. Tensor: None.
        grad_after: Value: dL/d(parent) after adding the contribution. Tensor: None.
        contribution_number: this is the k-th contribution the parent receives in the pass.
        contributions_expected: how many edges lead from nodes of the graph into the
            parent, i.e. how many contributions it will receive in all.
        consumers: how many distinct nodes use the parent (``a * a``: 1 node, 2 edges).
        node_shape, parent_shape: array shapes (``()`` for Value).
        upstream_norm, contribution_norm, grad_after_norm: Frobenius norms (|x| for Value).
        upstream_std, contribution_std, grad_after_std: standard deviations (None for Value).
        grad_after_mean: the mean of the accumulated gradient (None for Value).
        gain: ``contribution_norm / upstream_norm`` (``|local|`` for Value; nan for 0/0).
        earlier_grad: Value: the parent's gradient before this pass began when it
            was not 0 (left over from an earlier ``backward()``); Tensor: its norm. Else None.
        upstream_array, contribution_array, grad_after_array: copies of the arrays,
            kept only when recording with ``record(arrays=True)``.
    """

    index: int
    pass_index: int
    node: Any = field(repr=False)
    parent: Any = field(repr=False)
    parent_index: int
    node_name: str
    parent_name: str
    op: str
    local: float | str
    upstream: float | None
    contribution: float | None
    grad_after: float | None
    contribution_number: int
    contributions_expected: int
    consumers: int
    node_shape: tuple
    parent_shape: tuple
    upstream_norm: float
    contribution_norm: float
    grad_after_norm: float
    gain: float
    upstream_std: float | None = None
    contribution_std: float | None = None
    grad_after_std: float | None = None
    grad_after_mean: float | None = None
    earlier_grad: float | None = None
    upstream_array: Any = field(default=None, repr=False, compare=False)
    contribution_array: Any = field(default=None, repr=False, compare=False)
    grad_after_array: Any = field(default=None, repr=False, compare=False)

    @property
    def scalar(self) -> bool:
        """True for a step of the scalar (Value) engine."""
        return self.upstream is not None

    @property
    def rule(self) -> str:
        """The local rule in words (Tensor) or the local derivative as text (Value)."""
        return self.local if isinstance(self.local, str) else format_number(self.local, None)

    def to_dict(self) -> dict[str, Any]:
        """The step as plain data (names instead of node objects), one row of a table."""
        return {
            "step": self.index, "pass": self.pass_index, "node": self.node_name, "parent": self.parent_name,
            "op": self.op, "local": self.local, "upstream": self.upstream, "contribution": self.contribution,
            "grad_after": self.grad_after, "contribution_number": self.contribution_number,
            "contributions_expected": self.contributions_expected, "consumers": self.consumers,
            "node_shape": self.node_shape, "parent_shape": self.parent_shape,
            "upstream_norm": self.upstream_norm, "contribution_norm": self.contribution_norm,
            "grad_after_norm": self.grad_after_norm, "gain": self.gain, "upstream_std": self.upstream_std,
            "contribution_std": self.contribution_std, "grad_after_std": self.grad_after_std,
            "grad_after_mean": self.grad_after_mean,
            "earlier_grad": self.earlier_grad,
        }


@dataclass
class Pass:
    """One recorded backward pass.

    Attributes:
        index: 0-based pass number in the ledger.
        root: the output node backward started from.
        order: its topological order (root last), as walked.
        names: node -> name (:func:`node_names`).
        scalar: True for the Value engine.
        seed: dL/d(root): a float (Value) or :class:`GradStats` (Tensor).
        first_step, stop_step: the steps of this pass are ``ledger[first_step:stop_step]``.
        complete: False when the backward pass raised before it ended.
        uses: node -> number of edges into it from nodes of the graph.
        consumers: node -> number of distinct nodes using it.
        earlier: node -> gradient held before the pass began (only where not zero/None).
        upstream: node -> the (finished) gradient it passed on: float or GradStats.
    """

    index: int
    root: Any = field(repr=False)
    order: list = field(repr=False)
    names: dict = field(repr=False)
    scalar: bool
    seed: Any
    first_step: int
    stop_step: int = -1
    complete: bool = False
    uses: dict = field(default_factory=dict, repr=False)
    consumers: dict = field(default_factory=dict, repr=False)
    earlier: dict = field(default_factory=dict, repr=False)
    upstream: dict = field(default_factory=dict, repr=False)

    @property
    def root_symbol(self) -> str:
        """The L of dL/dx: the root's name."""
        return self.names[self.root]


@dataclass(frozen=True)
class LedgerState:
    """What is known after the first ``k`` steps of a ledger (for stepping through backward).

    Attributes:
        k: the number of steps performed.
        step: the last step performed (``ledger[k-1]``), or None for ``k == 0``.
        pass_: the pass it belongs to.
        grads: node -> gradient known so far (a float for Value, :class:`GradStats` for
            Tensor); the root holds the seed, nodes not reached yet are absent.
        complete: the nodes whose gradient is final (all their contributions arrived).
    """

    k: int
    step: Step | None
    pass_: Pass = field(repr=False)
    grads: dict = field(repr=False)
    complete: frozenset = field(repr=False)


class Ledger(Sequence):
    """The chain-rule steps of the backward passes run inside :func:`record`, in order.

    A sequence of :class:`Step` (``len(ledger)``, ``ledger[3]``, ``for s in ledger``).
    It is also a recorder in the sense of :func:`tinygrad_init.autograd.set_recorder`
    (methods ``begin``, ``step``, ``end``), so it can be installed by hand.

    Args:
        arrays: also keep copies of the tensor arrays of every step (memory!).
    """

    def __init__(self, arrays: bool = False) -> None:
        self.arrays = bool(arrays)
        self.steps: list[Step] = []
        self.passes: list[Pass] = []
        self._open: Pass | None = None
        self._count: dict = {}
        self._cursor: dict = {}

    # ----------------------------------------------------------- Sequence

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i: Any) -> Any:
        return self.steps[i]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __repr__(self) -> str:
        n = len(self.passes)
        roots = ", ".join(p.root_symbol for p in self.passes[:3]) + (", ..." if n > 3 else "")
        return f"Ledger({len(self.steps)} steps in {n} backward pass{'es' if n != 1 else ''}" + (
            f" from {roots})" if n else ")")

    # ----------------------------------------------------------- recorder protocol

    def begin(self, root: Any, order: list) -> None:
        """Called by the engine before the walk (the root already holds the seed)."""
        scalar = bool(root.scalar)
        names = node_names(order)
        uses: dict = {}
        users: dict = {}
        for node in order:
            for p in node.parents:
                uses[p] = uses.get(p, 0) + 1
                users.setdefault(p, set()).add(node)
        consumers = {p: len(s) for p, s in users.items()}
        earlier: dict = {}
        if scalar:
            seed: Any = root.grad
            for node in order:
                if not node.parents and node is not root and node.grad != 0.0:
                    earlier[node] = node.grad
        else:
            seed = GradStats.of(root.grad)
            for node in order:
                if not node.parents and node is not root and node.grad is not None:
                    earlier[node] = GradStats.of(node.grad).norm
        self._open = Pass(len(self.passes), root, list(order), names, scalar, seed, len(self.steps),
                          uses=uses, consumers=consumers, earlier=earlier)
        self.passes.append(self._open)
        self._count = {}
        self._cursor = {}

    def step(self, node: Any, parent: Any, upstream: Any, local: Any, contribution: Any) -> None:
        """Called by the engine after ``parent`` has accumulated ``contribution``."""
        ps = self._open
        if ps is None:  # opened in the middle of a pass: nothing to attach the step to
            return
        parents = node.parents
        j = self._cursor.get(node, -1) + 1
        while j < len(parents) and parents[j] is not parent:
            j += 1
        if j == len(parents):  # not found after the cursor: take the first match
            j = next(i for i, p in enumerate(parents) if p is parent)
        self._cursor[node] = j
        k = self._count.get(parent, 0) + 1
        self._count[parent] = k
        names = ps.names
        common = dict(
            index=len(self.steps), pass_index=ps.index, node=node, parent=parent, parent_index=j,
            node_name=names.get(node, "?"), parent_name=names.get(parent, "?"),
            contribution_number=k, contributions_expected=ps.uses.get(parent, k),
            consumers=ps.consumers.get(parent, 1),
        )
        if ps.scalar:
            up, loc, con, after = float(upstream), float(local), float(contribution), float(parent.grad)
            ps.upstream[node] = up
            self.steps.append(Step(
                op=node.op, local=loc, upstream=up, contribution=con, grad_after=after,
                node_shape=(), parent_shape=(), upstream_norm=abs(up), contribution_norm=abs(con),
                grad_after_norm=abs(after), gain=_ratio(abs(con), abs(up)),
                earlier_grad=ps.earlier.get(parent) if k == 1 else None, **common))
            return
        up_stats = ps.upstream.get(node)
        if up_stats is None:
            up_stats = ps.upstream[node] = GradStats.of(upstream)
        c_stats = GradStats.of(contribution)
        # The first contribution usually becomes the gradient itself: no second pass over it.
        a_stats = c_stats if parent.grad is contribution else GradStats.of(parent.grad)
        keep = self.arrays
        self.steps.append(Step(
            op=node.op, local=str(local), upstream=None, contribution=None, grad_after=None,
            node_shape=tuple(np.shape(upstream)), parent_shape=tuple(parent.shape),
            upstream_norm=up_stats.norm, contribution_norm=c_stats.norm, grad_after_norm=a_stats.norm,
            gain=_ratio(c_stats.norm, up_stats.norm), upstream_std=up_stats.std,
            contribution_std=c_stats.std, grad_after_std=a_stats.std, grad_after_mean=a_stats.mean,
            earlier_grad=ps.earlier.get(parent) if k == 1 else None,
            upstream_array=np.array(upstream, copy=True) if keep else None,
            contribution_array=np.array(contribution, copy=True) if keep else None,
            grad_after_array=np.array(parent.grad, copy=True) if keep else None, **common))

    def end(self, root: Any) -> None:
        """Called by the engine when the walk is finished."""
        if self._open is not None:
            self._open.stop_step = len(self.steps)
            self._open.complete = True
        self._open = None

    def _abort(self) -> None:
        """Close a pass interrupted by an exception (it stays marked incomplete)."""
        if self._open is not None:
            self._open.stop_step = len(self.steps)
            self._open = None

    # ----------------------------------------------------------- reading

    def pass_of(self, k: int) -> Pass:
        """The pass that step ``k`` belongs to."""
        for ps in self.passes:
            stop = ps.stop_step if ps.stop_step >= 0 else len(self.steps)
            if ps.first_step <= k < stop:
                return ps
        raise IndexError(f"Ledger: there is no step {k}; the ledger has {len(self.steps)} steps")

    def _pass(self, pass_index: int | None) -> Pass:
        if not self.passes:
            raise ValueError("Ledger: no backward pass was recorded. Call backward() inside "
                             "`with ledger.record() as steps:`")
        try:
            return self.passes[-1 if pass_index is None else pass_index]
        except IndexError:
            raise IndexError(f"Ledger: there is no pass {pass_index}; {len(self.passes)} were recorded") from None

    def pass_steps(self, pass_index: int | None = None) -> list[Step]:
        """The steps of one pass (default: the last)."""
        ps = self._pass(pass_index)
        stop = ps.stop_step if ps.stop_step >= 0 else len(self.steps)
        return self.steps[ps.first_step:stop]

    def name(self, node: Any, pass_index: int | None = None) -> str:
        """The name of ``node`` (or of a tensor's graph node) in a pass (default: the last)."""
        return self._pass(pass_index).names[getattr(node, "grad_fn", None) or node]

    def state(self, k: int) -> LedgerState:
        """What is known after ``k`` steps (``0 <= k <= len(self)``), within the pass of step ``k-1``.

        After 0 steps only the seed (the root's gradient) is known.
        """
        if not 0 <= k <= len(self.steps):
            raise IndexError(f"Ledger.state: k must be between 0 and {len(self.steps)}, got {k}")
        ps = self.pass_of(k - 1) if k > 0 else self._pass(0)
        grads: dict = {ps.root: ps.seed}
        counts: dict = {}
        for s in self.steps[ps.first_step:k]:
            grads[s.parent] = s.grad_after if ps.scalar else GradStats(
                s.parent_shape, s.grad_after_norm, s.grad_after_std, s.grad_after_mean)
            counts[s.parent] = s.contribution_number
        complete = {ps.root} | {n for n, c in counts.items() if c >= ps.uses.get(n, 0)}
        return LedgerState(k, self.steps[k - 1] if k else None, ps, grads, frozenset(complete))

    def states(self) -> Iterator[LedgerState]:
        """``state(0)``, ``state(1)``, ..., ``state(len(self))``, computed in one sweep (not k sweeps)."""
        if not self.passes:
            return
        ps = self.passes[0]
        grads: dict = {ps.root: ps.seed}
        counts: dict = {}
        yield LedgerState(0, None, ps, dict(grads), frozenset({ps.root}))
        for k, s in enumerate(self.steps, start=1):
            if self.passes[s.pass_index] is not ps:
                ps = self.passes[s.pass_index]
                grads, counts = {ps.root: ps.seed}, {}
            grads[s.parent] = s.grad_after if ps.scalar else GradStats(
                s.parent_shape, s.grad_after_norm, s.grad_after_std, s.grad_after_mean)
            counts[s.parent] = s.contribution_number
            complete = {ps.root} | {n for n, c in counts.items() if c >= ps.uses.get(n, 0)}
            yield LedgerState(k, s, ps, dict(grads), frozenset(complete))

    def final_grads(self, pass_index: int | None = None) -> dict:
        """node -> its gradient at the end of a pass (float for Value, :class:`GradStats` for Tensor).

        Unlike ``Tensor.grad`` this includes intermediate tensors, whose ``.grad``
        the engine drops after backward.
        """
        ps = self._pass(pass_index)
        stop = ps.stop_step if ps.stop_step >= 0 else len(self.steps)
        return _ByNode(self.state(stop).grads if stop > ps.first_step else {ps.root: ps.seed})

    # ----------------------------------------------------------- output

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per step (see :meth:`Step.to_dict`), e.g. for ``pandas.DataFrame(rows)``."""
        return [s.to_dict() for s in self.steps]

    def to_dict(self) -> dict[str, Any]:
        """The whole ledger as plain data: the passes (root, seed, size) and the step rows."""
        passes = []
        for ps in self.passes:
            seed = ps.seed if ps.scalar else {"shape": ps.seed.shape, "norm": ps.seed.norm}
            passes.append({"pass": ps.index, "root": ps.root_symbol, "engine": "value" if ps.scalar else "tensor",
                           "nodes": len(ps.order), "seed": seed, "complete": ps.complete,
                           "first_step": ps.first_step, "stop_step": ps.stop_step})
        return {"passes": passes, "steps": self.to_rows()}

    def line(self, k: int, digits: int | None = 6) -> str:
        """Step ``k`` as one line of arithmetic a student can follow."""
        s = self.steps[k]
        return _step_line(s, self.passes[s.pass_index], digits)

    def explain(self, digits: int | None = 6, max_lines: int | None = None, file: Any = None) -> Text:
        """The ledger as lines of arithmetic, one per chain-rule step.

        Value: ``dL/db = dL/dc × dc/db = 0.5 × -3.0 = -1.5``; where a node feeds several
        others its gradient is a sum: ``dL/da += ... (now 2.0: a feeds 2 nodes)``.
        Tensor: the rule, the shapes, the norms and the gain of each step.

        Args:
            digits: significant digits (None: every digit, as ``repr``).
            max_lines: stop after this many lines (a note says how many were left out).
            file: also write the text to this file object (e.g. ``sys.stdout``).

        Returns:
            The text (a ``str`` that displays itself as plain text in a notebook).
        """
        out: list[str] = []
        multi = len(self.passes) > 1
        for ps in self.passes:
            if multi:
                out.append(f"backward pass {ps.index + 1} from {ps.root_symbol}"
                           + ("" if ps.complete else " (interrupted by an error)") + ":")
            out.append(_seed_line(ps, digits))
            stop = ps.stop_step if ps.stop_step >= 0 else len(self.steps)
            for s in self.steps[ps.first_step:stop]:
                out.append(_step_line(s, ps, digits))
            if not ps.complete and ps is not self._open:
                out.append("(backward was interrupted by an error here: the gradients above are incomplete)")
        if not self.passes:
            out.append("(no backward pass was recorded)")
        if max_lines is not None and len(out) > max_lines:
            left = len(out) - max_lines
            out = out[:max_lines] + [f"... {left} more line{'s' if left != 1 else ''}"]
        text = Text("\n".join(out))
        if file is not None:
            print(text, file=file)
        return text


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _seed_line(ps: Pass, digits: int | None) -> str:
    r = _d(ps.root_symbol)
    if ps.scalar:
        return f"d{r}/d{r} = {format_number(ps.seed, digits)}   (the seed: backward starts here)"
    st = ps.seed
    return (f"d{r}/d{r} = seed of shape {_shape(st.shape)}, |seed| = {format_number(st.norm, digits)}"
            "   (backward starts here)")


def _feeds(name: str, uses: int, consumers: int) -> str:
    if uses == consumers:
        return f"{name} feeds {uses} nodes"
    return f"{name} is used {uses} times by {consumers} node{'s' if consumers != 1 else ''}"


def _step_line(s: Step, ps: Pass, digits: int | None) -> str:
    f = lambda x: format_number(x, digits)  # noqa: E731
    r, n, p = _d(ps.root_symbol), _d(s.node_name), _d(s.parent_name)
    accumulate = s.contribution_number > 1 or s.earlier_grad is not None
    eq = "+=" if accumulate else "="
    if s.scalar:
        # At the root the local factor would read like the gradient itself (dL/dx): mark it as local.
        local = f"∂{r}/∂{p} (local)" if s.node is ps.root else f"d{n}/d{p}"
        text = (f"d{r}/d{p} {eq} d{r}/d{n} × {local} = {f(s.upstream)} × {f(s.local)} "
                f"= {f(s.contribution)}")
        now = f(s.grad_after)
    else:
        rule = s.local if isinstance(s.local, str) else str(s.local)
        rhs = rule.split(" = ", 1)[1] if " = " in rule else rule
        text = (f"d{r}/d{p} {eq} {rhs}   [{s.op}: {rule}, g = d{r}/d{n}]   "
                f"{_shape(s.node_shape)} -> {_shape(s.parent_shape)}, |g| = {f(s.upstream_norm)}, "
                f"|contribution| = {f(s.contribution_norm)}, gain {f(s.gain)}")
        now = f"|d{r}/d{p}| = {f(s.grad_after_norm)}"
    notes = []
    if s.earlier_grad is not None:
        notes.append(f"now {now}, including {f(s.earlier_grad)} left from an earlier backward(); "
                     "call zero_grad() first to start from 0" if s.scalar else
                     f"now {now}, including a gradient of norm {f(s.earlier_grad)} left from an earlier "
                     "backward(); call zero_grad() first to start from 0")
    total = s.contributions_expected
    if total > 1:
        who = _feeds(s.parent_name, total, s.consumers)
        if s.contribution_number >= total:
            notes.append(f"now {now}: {who}")
        elif s.contribution_number > 1:
            notes.append(f"now {now}; contribution {s.contribution_number} of {total}: {who}")
        else:
            notes.append(f"contribution 1 of {total}: {who}")
    return text + (f"   ({'; '.join(notes)})" if notes else "")


# --------------------------------------------------------------------------- recording

_ACTIVE: list[Ledger] = []


class _Dispatcher:
    """The recorder installed while ledgers are open: passes every event to all of them.

    It also forwards to the recorder that was installed before the first ledger
    opened (for example a probe), so that opening a ledger takes nothing away.
    """

    outer: Any = None

    def begin(self, root: Any, order: list) -> None:
        for led in list(_ACTIVE):
            led.begin(root, order)
        if self.outer is not None:
            self.outer.begin(root, order)

    def step(self, node: Any, parent: Any, upstream: Any, local: Any, contribution: Any) -> None:
        for led in _ACTIVE:
            led.step(node, parent, upstream, local, contribution)
        if self.outer is not None:
            self.outer.step(node, parent, upstream, local, contribution)

    def end(self, root: Any) -> None:
        for led in list(_ACTIVE):
            led.end(root)
        if self.outer is not None:
            self.outer.end(root)


_DISPATCHER = _Dispatcher()


@contextlib.contextmanager
def record(arrays: bool = False) -> Iterator[Ledger]:
    """Record every chain-rule step of the backward passes run inside the block.

    ::

        with ledger.record() as steps:
            loss.backward()
        steps.explain(file=sys.stdout)

    Blocks may be nested or overlap: every open ledger records every pass, and the
    recorder that was installed before (if any) keeps receiving the steps. On exit,
    also after an error, the ledger stops recording; when the last one closes, the
    previous recorder is restored. (The recorder is global: do not record backward
    passes running in several threads at once.)

    Args:
        arrays: for tensors, also keep copies of the upstream, contribution and
            accumulated gradient arrays of each step (``Step.upstream_array``, ...).

    Yields:
        The :class:`Ledger`, filled as backward runs.
    """
    led = Ledger(arrays=arrays)
    if not _ACTIVE:
        previous = autograd.set_recorder(_DISPATCHER)
        _DISPATCHER.outer = None if previous is _DISPATCHER else previous  # never forward to itself
    _ACTIVE.append(led)
    try:
        yield led
    finally:
        led._abort()
        if led in _ACTIVE:
            _ACTIVE.remove(led)
        if not _ACTIVE:
            if autograd.get_recorder() is _DISPATCHER:
                autograd.set_recorder(_DISPATCHER.outer)
            _DISPATCHER.outer = None


# --------------------------------------------------------------------------- path products


@dataclass(frozen=True)
class Path:
    """One path from the root down to a node, with the local derivative of each edge."""

    names: tuple[str, ...]
    locals: tuple[float, ...]
    product: float


class PathProducts:
    """dL/dx as a sum over paths of products of local derivatives (see :func:`path_products`).

    Attributes:
        root_name, node_name: the names of L and x.
        paths: the paths, in depth-first order from the root.
        total: the sum of the products (equals x.grad after ``L.backward()``, up to rounding).
    """

    def __init__(self, root_name: str, node_name: str, paths: list[Path]) -> None:
        self.root_name, self.node_name, self.paths = root_name, node_name, paths
        self.total = math.fsum(p.product for p in paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __repr__(self) -> str:
        total = format_number(self.total)
        return f"PathProducts(d{self.root_name}/d{self.node_name} = {total} over {len(self.paths)} paths)"

    def explain(self, digits: int | None = 4, max_factors: int = 12, max_paths: int = 20) -> Text:
        """The sum written out, one line per path.

        A long path (a deep chain) shows its first and last factors and the
        count, so that a product of many factors below 1 visibly vanishes.
        """
        f = lambda x: format_number(x, digits)  # noqa: E731
        r, x = _d(self.root_name), _d(self.node_name)
        n = len(self.paths)
        if n == 0:
            return Text(f"d{r}/d{x} = 0.0: no path leads from {self.root_name} to {self.node_name}")
        out = [f"d{r}/d{x} = sum over {n} path{'s' if n != 1 else ''} of the product of the local "
               "derivatives along the path:"]
        for p in self.paths[:max_paths]:
            route = " <- ".join(p.names) if len(p.names) <= max_factors + 1 else (
                " <- ".join(p.names[:3]) + f" <- ... <- " + " <- ".join(p.names[-2:]))
            if len(p.locals) <= max_factors:
                factors = " × ".join(f(v) for v in p.locals)
            else:
                head = " × ".join(f(v) for v in p.locals[:4])
                tail = " × ".join(f(v) for v in p.locals[-2:])
                factors = f"{head} × ... × {tail}   ({len(p.locals)} factors)"
            out.append(f"  {route}:  {factors} = {f(p.product)}")
        if n > max_paths:
            out.append(f"  ... {n - max_paths} more paths")
        out.append(f"  total = {f(self.total)}")
        return Text("\n".join(out))


def _check_scalar(root: Any, who: str) -> None:
    if not getattr(root, "scalar", False):
        raise TypeError(
            f"{who} works on Value (scalar) graphs, where every local derivative is one number. "
            f"Got a {type(root).__name__}: in a Tensor graph the local derivatives are Jacobian matrices. "
            "Record a backward pass with ledger.record() and read layer_gains(steps) instead.")


def _reach_and_count(root: Any, node: Any) -> tuple[list, dict, dict]:
    order = autograd.topological_order(root)
    reaches: dict = {}
    count: dict = {}
    for n in order:  # parents come first
        if n is node:
            reaches[n], count[n] = True, 1
        else:
            ps = [p for p in n.parents if reaches.get(p)]
            reaches[n] = bool(ps)
            count[n] = sum(count[p] for p in ps)
    return order, reaches, count


def count_paths(root: Any, node: Any) -> int:
    """How many paths lead from ``root`` down to ``node`` (edges counted with multiplicity).

    Computed without listing them (by dynamic programming over the topological
    order), so it works for graphs with astronomically many paths.
    """
    _check_scalar(root, "count_paths")
    _, _, count = _reach_and_count(root, node)
    return count.get(root, 0)


def path_products(root: Any, node: Any, max_paths: int = 10_000) -> PathProducts:
    """dL/dx as the sum over all paths from L to x of the product of the local derivatives.

    .. math::

        \\frac{\\partial L}{\\partial x} = \\sum_{\\text{paths } L = v_0 \\to v_1 \\to \\dots \\to v_m = x}
        \\;\\prod_{i=1}^{m} \\frac{\\partial v_{i-1}}{\\partial v_i}

    Backpropagation computes the same sum without listing the paths: it adds up
    the shared tails once (that is what makes it fast). This function lists them
    to show what the sum is. Uses the local derivatives stored at forward time, so
    no backward pass is needed.

    Args:
        root: the output L (a Value).
        node: the x whose gradient is wanted.
        max_paths: refuse to list more paths than this.

    Returns:
        A :class:`PathProducts` (``.paths``, ``.total``, ``.explain()``).

    Raises:
        TypeError: for a Tensor graph.
        ValueError: when more than ``max_paths`` paths exist (their number grows
            exponentially with depth in a dense graph).
    """
    _check_scalar(root, "path_products")
    order, reaches, count = _reach_and_count(root, node)
    total = count.get(root, 0)
    names = node_names(order)
    if total > max_paths:
        raise ValueError(
            f"path_products: {total:,} paths lead from {names[root]} to {names.get(node, 'the node')}, more than "
            f"max_paths={max_paths:,}. Their number grows exponentially with the depth of a dense net, so "
            "listing them is hopeless; backpropagation adds up the same products without listing them, by "
            "sharing the common parts of the paths. Use count_paths() to see the number, pick a node closer "
            "to the output or a smaller graph, or raise max_paths.")
    paths: list[Path] = []
    if total == 0:
        return PathProducts(names[root], names.get(node, "x"), paths)
    # Iterative depth-first search along edges that can reach `node`.
    stack: list[tuple[Any, tuple, tuple]] = [(root, (root,), ())]
    while stack:
        n, route, locs = stack.pop()
        if n is node:
            prod = 1.0
            for v in locs:
                prod *= v
            paths.append(Path(tuple(names[v] for v in route), locs, prod))
            continue
        nxt = [(p, route + (p,), locs + (loc,)) for p, loc in zip(n.parents, n.locals) if reaches.get(p)]
        stack.extend(reversed(nxt))
    return PathProducts(names[root], names[node], paths)


# --------------------------------------------------------------------------- layer gains


@dataclass(frozen=True)
class LayerGain:
    """How one Linear layer (and the activation after it) scales the gradient on its way back.

    Layer ``l`` computes ``z_l = h_{l-1} @ W_l (+ b_l)`` and ``h_l = f(z_l)``.

    Attributes:
        index: 0-based layer number, input side first.
        name: the layer's module path (from the weight's name ``layers.2.weight``),
            else the name of its matmul node.
        weight: the weight's name.
        grad_out: |dL/dz_l|, the gradient at the layer's pre-activation (its matmul output).
        grad_in: |dL/dh_{l-1}|, the gradient of the layer's input; None when the input
            needs no gradient (the data).
        linear_gain: ``|g @ W.T| / |g|`` with ``g = dL/dz_l``: the gain through the weights
            alone. For i.i.d. weights of std ``s`` and fan_out ``n`` it is about ``s * sqrt(n)``.
        activation_gain: ``|dL/dz_l| / |dL/dh_l|``, the gain through f (at most 1 for tanh);
            None for the last layer.
        gain: ``|dL/dh_{l-1}| / |dL/dh_l|``, the whole layer (for the last layer
            ``|dL/dh_{L-1}| / |dL/dz_L|``); None where ``grad_in`` is None.
    """

    index: int
    name: str
    weight: str
    grad_out: float
    grad_in: float | None
    linear_gain: float | None
    activation_gain: float | None
    gain: float | None


class LayerGains(list):
    """A list of :class:`LayerGain` (input side first) with a printable summary."""

    def product(self) -> float:
        """The product of the known per-layer gains: how much the gradient shrinks end to end."""
        out = 1.0
        for g in self:
            if g.gain is not None:
                out *= g.gain
        return out

    def explain(self, digits: int | None = 4) -> Text:
        """A table: per layer the gradient norms, the gains and their running product from the output."""
        f = lambda x: "-" if x is None else format_number(x, digits)  # noqa: E731
        head = (f"{'layer':<14} {'|dL/dz|':>11} {'|dL/dh_in|':>11} {'W gain':>9} {'f gain':>9} {'gain':>9} "
                f"{'product':>11}")
        rows = [head]
        running = 1.0
        products: list[float | None] = []
        for g in reversed(self):
            if g.gain is not None:
                running *= g.gain
                products.append(running)
            else:
                products.append(None)
        for g, prod in zip(self, reversed(products)):
            rows.append(f"{g.name:<14} {f(g.grad_out):>11} {f(g.grad_in):>11} {f(g.linear_gain):>9} "
                        f"{f(g.activation_gain):>9} {f(g.gain):>9} {f(prod):>11}")
        rows.append("gain = |dL/dh_in| / |dL/dh_out| per layer; product = gain of this layer and all after it "
                    "(how much of the output gradient reaches the layer's input)")
        return Text("\n".join(rows))


def layer_gains(ledger: Ledger, pass_index: int | None = None) -> LayerGains:
    """Per-layer gradient gains of a Tensor MLP, read from a recorded backward pass.

    Every matmul node of the pass is taken as one Linear layer ``z_l = h_{l-1} @ W_l``
    (ordered input side first). The gain of layer ``l`` is

    .. math:: \\text{gain}_l = \\frac{\\lVert \\partial L/\\partial h_{l-1} \\rVert_F}
                                   {\\lVert \\partial L/\\partial h_l \\rVert_F}

    where ``h_l`` is the input of the next layer. With ``0.01 * randn`` weights on
    500 units and tanh (CS231n's "small" init) tanh is nearly linear at such small
    activations and each layer multiplies the gradient by about ``0.01 * sqrt(500)
    ≈ 0.224``: after 10 layers about ``0.224^10 ≈ 3e-7`` of it is left.

    Args:
        ledger: a ledger holding a Tensor backward pass.
        pass_index: which pass (default: the last).

    Returns:
        A :class:`LayerGains` list (``.explain()``, ``.product()``).
    """
    ps = ledger._pass(pass_index)
    if ps.scalar:
        raise TypeError("layer_gains reads a Tensor backward pass (matmul layers); this ledger holds a Value pass. "
                        "For a scalar graph use path_products(root, node).")
    final = ledger.final_grads(ps.index)

    def norm(node: Any) -> float | None:
        g = final.get(node)
        return None if g is None else g.norm

    steps = ledger.pass_steps(ps.index)
    dx_norm: dict = {}
    for s in steps:
        if s.op == "matmul" and s.parent_index == 0:
            dx_norm[s.node] = s.contribution_norm
    matmuls = [n for n in ps.order if getattr(n, "op", "") == "matmul" and n in final]
    if not matmuls:
        raise ValueError("layer_gains: the recorded pass has no matmul node with a gradient, so there are no "
                         "Linear layers to measure. Record a backward pass through an MLP.")
    out = LayerGains()
    for i, m in enumerate(matmuls):
        x, w = m.parents[0], m.parents[1]
        wname = getattr(w, "name", "") or ps.names.get(w, "")
        lname = wname[: -len(".weight")] if wname.endswith(".weight") else ps.names[m]
        g_out = norm(m)
        g_in = norm(x)
        lin = _ratio(dx_norm[m], g_out) if m in dx_norm else None
        if i + 1 < len(matmuls):
            nxt = norm(matmuls[i + 1].parents[0])
            act = _ratio(g_out, nxt) if nxt is not None else None
            gain = _ratio(g_in, nxt) if (g_in is not None and nxt is not None) else None
        else:
            act = None
            gain = _ratio(g_in, g_out) if g_in is not None else None
        out.append(LayerGain(i, lname, wname, g_out, g_in, lin, act, gain))
    return out
