"""The chain-rule ledger: each edge `node -> parent` of a backward pass is one step
`dL/d(parent) += dL/d(node) * d(node)/d(parent)` (upstream x local), recorded inside `record()` in the engine's
order; `path_products` writes dL/dx as a sum over paths, `layer_gains` reads a Tensor MLP's gradient gains."""

from __future__ import annotations

import contextlib
import math
import re
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field, fields
from typing import Any, Iterator, NamedTuple, Sequence

import numpy as np

from ..core import autograd, ops
from ..utils import (check_bool, check_int, check_type, counted, format_number as _format, moments, ratio, real_array,
                     shape_text)

__all__ = ["record", "format_number", "as_ledger", "Ledger", "Step", "ScalarStep", "TensorStep", "Pass", "GradStats",
           "LedgerState", "node_names", "path_products", "count_paths", "PathProducts", "Path", "layer_gains",
           "LayerGain", "LayerGains", "Text"]

_OP_WORDS = {"+": "add", "*": "mul", "-": "sub", "/": "div"}  # "mul#3" for an unlabelled a * b; any power is "pow"


class Text(str):
    """A string that shows itself as text (not as a quoted repr) in a REPL or notebook."""

    __repr__ = str.__str__  # IPython's pretty printer uses it too


def format_number(x: float | None, digits: int | None = 6, where: str = "format_number") -> str:
    """A number as the ledger and the pictures write it: `utils.format_number`, `digits` significant digits (at least
    1, else an error naming `where`; None: `repr`); a float keeps its point (`-3.0`) unless its digits end before it."""
    return _format(x, digits if digits is None else check_int(where, "digits", digits, 1), point=True)


def node_names(order: Sequence[Any], root_name: str = "L") -> dict[Any, str]:
    """Deterministic node names: a node's label (`Value.label`, `Tensor.name`) if set, else from its position
    `i` in `order` (root last): `"mul#3"` for an op's result, `"n0"` for a leaf, `root_name` for the root
    (unless a node is labelled so: then as any op). A label used by several nodes gets `#i`; a line break or tab in
    one reads as a space."""
    raw, last = [], len(check_type("node_names", "order", order, (list, tuple), "a list of nodes (root last)")) - 1
    for i, node in enumerate(order):
        if not hasattr(type(node), "parents"):  # not node.parents: a Value builds a tuple for it
            raise TypeError(f"node_names: order[{i}] must be a Value or a Tensor's node, got {type(node).__name__} "
                            f"{node!r:.60}")
        raw.append(" ".join(str(getattr(node, "label", None) or getattr(node, "name", "") or "").split()))  # one line
    root_name = "" if root_name in raw else root_name  # a user's own L keeps its name
    for i, (node, label) in enumerate(zip(order, raw)):
        if not label:
            op = getattr(node, "op", "") or "op"
            word = _OP_WORDS.get(op, "pow" if op.startswith("**") else op)
            raw[i] = root_name if i == last and root_name else f"{word}#{i}" if node.parents else f"n{i}"
    counts = Counter(raw)
    return {node: (s if counts[s] == 1 else f"{s}#{i}") for i, (node, s) in enumerate(zip(order, raw))}


def _d(name: str) -> str:  # the name after a `d` of `dL/d`: in parentheses unless it is one identifier
    return name if name.isidentifier() else f"({name})"


def _equals(f: Any, factors: Sequence[str], product: str) -> str:
    """"=" where the factors as shown, multiplied and shown the same way (`f`), give the product shown; else "≈"."""
    return "=" if (q := f(math.prod(map(float, factors)))) == product or float(q) == float(product) else "≈"


# --------------------------------------------------------------------------- records
class GradStats(NamedTuple):
    """A tensor gradient summarised: its shape and `utils.moments` of its entries (in float64)."""

    shape: tuple
    mean: float
    std: float
    norm: float

    @classmethod
    def of(cls, a: Any) -> "GradStats":
        """The statistics of the array `a`."""
        if (arr := real_array(a)) is None:  # not str, None (nan as a float), objects or ragged rows
            raise TypeError(f"GradStats.of: a must be an array of numbers, got {type(a).__name__} {a!r:.60}")
        return cls(arr.shape, *moments(arr))


def _node(key: Any) -> Any:
    return getattr(key, "grad_fn", None) or key  # a tensor stands for its graph node


class _ByNode(dict):
    """node -> value; a tensor may be looked up by itself, for its graph node (`grad_fn`)."""

    def __getitem__(self, key: Any) -> Any: return dict.__getitem__(self, _node(key))
    def __contains__(self, key: Any) -> bool: return dict.__contains__(self, _node(key))
    def get(self, key: Any, default: Any = None) -> Any: return dict.get(self, _node(key), default)


class _NodeSet(frozenset):
    """A set of nodes; a tensor is in it when its graph node (`grad_fn`) is."""

    def __contains__(self, key: Any) -> bool: return frozenset.__contains__(self, _node(key))


@dataclass(frozen=True, eq=False)
class Step:
    """One chain-rule step `dL/d(parent) += dL/d(node) * d(node)/d(parent)`, in either engine: contribution
    `contribution_number` of `contributions_expected` to `parent`, which is `node.parents[parent_index]` (as in
    `a * a`); `earlier_grad`: on a first one, the nonzero gradient (a tensor's norm) left by an earlier backward."""

    index: int
    pass_index: int
    node: Any = field(repr=False)
    parent: Any = field(repr=False)
    parent_index: int
    node_name: str
    parent_name: str
    op: str
    contribution_number: int
    contributions_expected: int
    earlier_grad: float | None

    def to_dict(self) -> dict[str, Any]:
        """The step as plain data (names instead of nodes, statistics as dicts), one row of a table."""
        row = {"step": self.index, "pass": self.pass_index, "node": self.node_name, "parent": self.parent_name}
        row.update((f.name, v._asdict() if isinstance(v := getattr(self, f.name), GradStats) else v)
                   for f in fields(self)[4:] if f.name not in ("node_name", "parent_name", "arrays"))
        return row | {"gain": self.gain}


@dataclass(frozen=True, eq=False)
class ScalarStep(Step):
    """A step of the `Value` engine with the exact numbers it used: `contribution = upstream * local`
    (bit for bit) and `grad_after`, the parent's gradient after adding the contribution."""

    upstream: float
    local: float
    contribution: float
    grad_after: float

    @property
    def gain(self) -> float:
        """|local|: how much the step scales the gradient."""
        return abs(self.local)


@dataclass(frozen=True, eq=False)
class TensorStep(Step):
    """A step of the `Tensor` engine: `rule`, the op's vector-Jacobian product in words (`"dW = x.T @ g"`, `g` the
    upstream gradient), and the `GradStats` of `upstream`, `contribution` and `grad_after` (the parent's gradient
    after adding it); `arrays`: copies of those three arrays, kept with `record(arrays=True)`."""

    rule: str
    upstream: GradStats
    contribution: GradStats
    grad_after: GradStats
    arrays: tuple | None = field(default=None, repr=False)

    @property
    def gain(self) -> float:
        """|contribution|_F / |upstream|_F: how much the step scales the gradient (nan for 0/0)."""
        return ratio(self.contribution.norm, self.upstream.norm)


@dataclass(eq=False)
class Pass:
    """One recorded backward pass from `root`: `order` (root last), `names`, `seed` (dL/d(root), a float or
    `GradStats`), its steps `ledger[first_step:stop_step]` (stop_step -1 while it runs), `complete` (False when
    backward raised); `uses`/`consumers` (node -> edges into it / distinct nodes using it), `earlier` (node ->
    nonzero gradient held before the pass), `hooked` (node -> its gradient as hooks changed it, tensors)."""

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
    hooked: dict = field(default_factory=dict, repr=False)
    root_symbol = property(lambda self: self.names[self.root])  # the L of dL/dx


@dataclass(frozen=True)
class LedgerState:
    """What is known after the first `k` steps: the last `step` (None for k = 0) and its `pass_`, `grads` (node ->
    gradient known so far, the root holding the seed; a complete one, and the root from step 1, as its hooks leave it)
    and `complete` (the nodes whose every contribution arrived); a tensor is looked up in both by itself."""

    k: int
    step: Step | None
    pass_: Pass = field(repr=False)
    grads: dict = field(repr=False)
    complete: frozenset = field(repr=False)


class Ledger(Sequence):
    """The chain-rule steps (`ScalarStep`, `TensorStep`) of the passes run inside `record`, as a sequence; as a
    recorder (`autograd.set_recorder`) it passes every event on to the one it replaced (`outer`): ledgers nest, a
    recorder installed before keeps receiving. `arrays`: also keep copies of every tensor step's arrays (memory!)."""

    def __init__(self, arrays: bool = False) -> None:
        self.arrays, self.closed, self.outer = check_bool("Ledger", "arrays", arrays), False, None
        self.steps, self.passes, self._open = [], [], None  # the Steps, the Passes, the one being recorded

    def __len__(self) -> int: return len(self.steps)
    def __getitem__(self, k: Any, where: str = "Ledger") -> Any:  # a Step (a list of them for a slice)
        if not isinstance(k, slice) and not -len(self.steps) <= check_int(where, "k", k) < len(self.steps):
            raise IndexError(f"{where}: there is no step {k}; {len(self.steps)} were recorded")
        return self.steps[k]

    def __repr__(self) -> str:
        n, roots = len(self.passes), ", ".join(p.root_symbol for p in self.passes[:3])
        return f"Ledger({counted(len(self), 'step')} in {counted(n, 'backward pass')}" + (
            f" from {roots}{', ...' * (n > 3)})" if n else ")")

    # ----------------------------------------------------------- the recorder protocol
    def begin(self, root: Any, order: list) -> None:
        """Called by the engine before the walk (the root already holds the seed)."""
        if self.outer is not None:
            self.outer.begin(root, order)
        if self.closed:
            return
        self._close()  # a pass still open was interrupted by an error: its steps end here
        uses = Counter(p for node in order for p in node.parents)
        consumers = Counter(p for node in order for p in set(node.parents))
        leaves = [n for n in order if not n.parents and n is not root]
        if root.scalar:
            seed, earlier = root.grad, {n: n.grad for n in leaves if n.grad != 0.0}
        else:  # Tensor.backward sets a leaf's earlier gradient aside (`_held`) until the walk reaches it
            seed, self._held = GradStats.of(root.grad), {n: vars(n)["_held"] for n in leaves if "_held" in vars(n)}
            earlier = {n: g for n in leaves if (a := self._held.get(n, n.grad)) is not None
                       and (g := GradStats.of(a).norm) != 0.0}
        self._open = Pass(len(self.passes), root, list(order), node_names(order), bool(root.scalar), seed,
                          len(self.steps), uses=uses, consumers=consumers, earlier=earlier)
        self.passes.append(self._open)
        self._count, self._cursor, self._upstream, self._after = {}, {}, {}, {root: seed}

    def step(self, node: Any, parent: Any, upstream: Any, local: Any, contribution: Any) -> None:
        """Called by the engine after `parent` has accumulated `contribution`."""
        if self.outer is not None:
            self.outer.step(node, parent, upstream, local, contribution)
        if (ps := self._open) is None:  # closed, or opened in the middle of a pass
            return
        # the node's parents (read once: a Value builds the tuple anew on each read) and the last edge used (a * a)
        parents, last = self._cursor.get(node) or (node.parents, -1)
        j = next(i for i in chain(range(last + 1, len(parents)), range(last + 1)) if parents[i] is parent)
        self._cursor[node] = (parents, j)
        k = self._count[parent] = self._count.get(parent, 0) + 1
        common = dict(index=len(self.steps), pass_index=ps.index, node=node, parent=parent, parent_index=j,
                      node_name=ps.names.get(node, "?"), parent_name=ps.names.get(parent, "?"), op=node.op,
                      contribution_number=k, contributions_expected=ps.uses.get(parent, k),
                      earlier_grad=ps.earlier.get(parent) if k == 1 else None)
        if ps.scalar:
            self.steps.append(ScalarStep(**common, upstream=float(upstream), local=float(local),
                                         contribution=float(contribution), grad_after=float(parent.grad)))
            return
        if node not in self._upstream:  # one node passes the same upstream gradient to each parent
            self._upstream[node] = GradStats.of(upstream)
            if node._hooks and self._upstream[node] != self._after.get(node):  # its gradient, as its hooks changed it
                ps.hooked[node] = self._upstream[node]
        up, con, held = self._upstream[node], GradStats.of(contribution), self._held.get(parent)
        grad = parent.grad if held is None else held + parent.grad  # with what a hooked leaf held before the pass
        after = self._after[parent] = con if grad is contribution else GradStats.of(grad)  # the first is the gradient
        arrays = tuple(np.array(a, copy=True) for a in (upstream, contribution, grad)) if self.arrays else None
        self.steps.append(TensorStep(**common, rule=str(local), upstream=up, contribution=con, grad_after=after,
                                     arrays=arrays))

    def end(self, root: Any) -> None:
        """Called by the engine when the walk is finished."""
        if self.outer is not None:
            self.outer.end(root)
        if (ps := self._open) is not None and not ps.scalar:  # a leaf's hooks ran after its last step (if they
            ps.hooked.update((n, g) for n in ps.order if not n.parents and n._hooks and n.grad is not None  # changed
                             and str(g := GradStats.of(n.grad)) != str(self._after.get(n)))  # it; nan == nan)
        self._close(complete=True)

    def _close(self, complete: bool = False) -> None:  # the open pass stays incomplete when backward raised; the
        if (ps := self._open) is not None:  # gradients leaves held before it (arrays of theirs) are let go
            ps.complete, ps.stop_step, self._open, self._held = complete, len(self.steps), None, {}

    # ----------------------------------------------------------- reading
    def get_pass(self, pass_index: int | None = None, where: str = "Ledger") -> Pass:
        """A recorded pass (default: the last); a ValueError if none was recorded (its message naming `where`)."""
        if not self.passes:
            raise ValueError(f"{where}: no backward pass was recorded. Call backward() inside "
                             "`with ledger.record() as steps:`")
        n = len(self.passes)
        if pass_index is not None and not -n <= check_int(where, "pass_index", pass_index) < n:
            raise IndexError(f"{where}: there is no pass {pass_index}; " + ("1 was recorded (pass 0 or -1)" if n == 1
                             else f"{n} were recorded (passes 0 to {n - 1}, or -{n} to -1)"))
        return self.passes[-1 if pass_index is None else pass_index]

    def pass_steps(self, pass_index: int | None = None) -> list[Step]:
        """The steps of one pass (default: the last)."""
        return self.steps[(ps := self.get_pass(pass_index)).first_step:ps.stop_step if ps.stop_step >= 0 else None]

    def _sweep(self, ps: Pass) -> Iterator[tuple[int, Step | None, dict, set]]:
        """`(k, step, grads, complete)` before the first step of `ps` and after each one: the one replay of
        the pass that `state`, `states` and `final_grads` read (the dicts are updated in place)."""
        grads, complete = {ps.root: ps.seed}, {ps.root}
        yield ps.first_step, None, grads, complete
        for k, s in enumerate(self.pass_steps(ps.index), ps.first_step + 1):  # the root's hooks ran before step 1
            grads[s.parent], grads[ps.root] = s.grad_after, ps.hooked.get(ps.root, ps.seed)
            if s.contribution_number >= ps.uses[s.parent]:  # complete: as its hooks leave it
                complete.add(s.parent)
                grads[s.parent] = ps.hooked.get(s.parent, s.grad_after)
            yield k, s, grads, complete
        grads.update(ps.hooked)  # what final_grads reads: the hooks' results (and the root's)

    def state(self, k: int, where: str = "Ledger.state") -> LedgerState:
        """What is known after `k` steps (`0 <= k <= len(self)`), within the pass of step `k - 1`
        (after 0 steps: the seed of the first pass); `where` names the caller in an error."""
        if not 0 <= check_int(where, "k", k) <= len(self.steps):
            raise IndexError(f"{where}: k must be between 0 and {len(self.steps)}, got {k}")
        ps = self.passes[self.steps[k - 1].pass_index] if k > 0 else self.get_pass(0, where)
        return next(LedgerState(j, s, ps, _ByNode(g), _NodeSet(c)) for j, s, g, c in self._sweep(ps) if j == k)

    def states(self) -> Iterator[LedgerState]:
        """`state(0)`, `state(1)`, ..., `state(len(self))`, in one sweep."""
        for ps in self.passes:
            for j, s, grads, complete in self._sweep(ps):
                if s is not None or ps.index == 0:
                    yield LedgerState(j, s, ps, _ByNode(grads), _NodeSet(complete))

    def final_grads(self, pass_index: int | None = None) -> dict:
        """node -> its gradient at the end of a pass (a float, or `GradStats`), intermediate tensors included
        (the engine drops their `.grad` after backward)."""
        *_, (_, _, grads, _) = self._sweep(self.get_pass(pass_index))
        return _ByNode(grads)

    # ----------------------------------------------------------- output
    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per step (`Step.to_dict`), e.g. for `pandas.DataFrame(rows)`."""
        return [s.to_dict() for s in self.steps]

    def to_dict(self) -> dict[str, Any]:
        """The whole ledger as plain data: the passes (root, seed, size, the gradients hooks changed) and the rows."""
        passes = [{"pass": ps.index, "root": ps.root_symbol, "engine": "value" if ps.scalar else "tensor",
                   "nodes": len(ps.order), "seed": ps.seed if ps.scalar else ps.seed._asdict(),
                   "complete": ps.complete, "first_step": ps.first_step, "stop_step": ps.stop_step,
                   "hooked": {ps.names.get(n, "?"): g._asdict() for n, g in ps.hooked.items()}} for ps in self.passes]
        return {"passes": passes, "steps": self.to_rows()}

    def seed_line(self, pass_index: int | None = None, digits: int | None = 6) -> str:
        """The seed dL/dL, the first line of a pass (default: the last)."""
        ps, f = self.get_pass(pass_index), lambda x: format_number(x, digits, "Ledger.seed_line")  # noqa: E731
        r, seed, h = _d(ps.root_symbol), ps.seed, ps.hooked.get(ps.root)
        h = h and f"; its hooks make it |d{r}/d{r}| = {f(h.norm)}" or ""
        return (f"d{r}/d{r} = {f(seed)}   (the seed: backward starts here)" if ps.scalar else
                f"d{r}/d{r} = seed of shape {shape_text(seed.shape)}, |seed| = {f(seed.norm)}"
                f"   (backward starts here{h})")

    def line(self, k: int, digits: int | None = 6) -> str:
        """Step `k` as one line of arithmetic a student can follow."""
        s, f = self.__getitem__(k, "Ledger.line"), lambda x: format_number(x, digits, "Ledger.line")  # noqa: E731
        ps = self.passes[s.pass_index]
        r, n, p = _d(ps.root_symbol), _d(s.node_name), _d(s.parent_name)
        eq = "+=" if s.contribution_number > 1 or s.earlier_grad is not None else "="
        if isinstance(s, ScalarStep):
            u, lo, c, now, earlier = map(f, (s.upstream, s.local, s.contribution, s.grad_after, s.earlier_grad))
            local = f"∂{r}/∂{p} (local)" if s.node is ps.root else f"d{n}/d{p}"  # at the root: not read as dL/dx
            text = f"d{r}/d{p} {eq} d{r}/d{n} × {local} = {u} × {lo} {_equals(f, (u, lo), c)} {c}"
        else:
            rhs = s.rule.split(" = ", 1)[-1]  # the rule's names of the node's inputs (x; a, b; x, W), bound to ours
            bound = "".join(f", {c} = {ps.names.get(t, '?')}" for c, t in zip((u.split()[0][1:] for u in s.node.rules),
                            s.node.parents) if re.search(rf"\b{c}\b", rhs))
            text = (f"d{r}/d{p} {eq} {rhs}{ops.summed_note(s.node, s.parent_index)}   "
                    f"[{s.op}: {s.rule}, g = d{r}/d{n}{' after its hooks' * (s.node in ps.hooked)}{bound}]   "
                    f"{shape_text(s.upstream.shape)} -> {shape_text(s.grad_after.shape)}, |g| = {f(s.upstream.norm)}, "
                    f"|contribution| = {f(s.contribution.norm)}, gain {f(s.gain)}")
            now, earlier = f"|d{r}/d{p}| = {f(s.grad_after.norm)}", f"a gradient of norm {f(s.earlier_grad)}"
        notes = []
        if s.earlier_grad is not None:
            notes.append(f"now {now}, including {earlier} left from an earlier backward(); call zero_grad() first to "
                         "start from 0")
        total, k = s.contributions_expected, s.contribution_number
        if total > 1:
            users = ps.consumers[s.parent]
            who = (f"{s.parent_name} feeds {total} nodes" if users == total else
                   f"{s.parent_name} is used {total} times by {counted(users, 'node')}")
            notes.append(f"now {now}: {who}" if k >= total else f"now {now}; contribution {k} of {total}: {who}"
                         if k > 1 else f"contribution 1 of {total}: {who}")
        if k >= total and str(hooked := ps.hooked.get(s.parent, s.grad_after)) != str(s.grad_after):  # nan == nan
            notes.append(f"its hooks make it |d{r}/d{p}| = {f(hooked.norm)}")
        return text + (f"   ({'; '.join(notes)})" if notes else "")

    def explain(self, digits: int | None = 6, max_lines: int | None = None, file: Any = None) -> Text:
        """The ledger as lines of arithmetic, one per step (`dL/db = dL/dc × dc/db = 0.5 × -3.0 = -1.5`, `≈` where the
        rounded factors give another product; a tensor step: rule, shapes, norms, gain), `digits` significant digits
        (None: `repr`), cut to `max_lines` and one counting the rest, also printed to a given `file` (`sys.stdout`)."""
        if file is not None and not callable(getattr(file, "write", None)):
            raise TypeError(f"Ledger.explain: file must be an open text file, such as sys.stdout, got {file!r:.40}")
        digits = digits if digits is None else check_int("Ledger.explain", "digits", digits, 1)  # also with no pass
        out: list[str | int] = [] if self.passes else ["(no backward pass was recorded)"]  # int: a step, if shown
        for ps in self.passes:
            if len(self.passes) > 1:
                out.append(f"backward pass {ps.index + 1} from {ps.root_symbol} (pass_index={ps.index}"
                           + ("" if ps.complete else "; interrupted by an error") + "):")
            out += [self.seed_line(ps.index, digits), *(s.index for s in self.pass_steps(ps.index))]
            if not ps.complete and ps is not self._open:
                out.append("(backward was interrupted by an error here: the gradients above are incomplete)")
        if max_lines is not None and (left := len(out) - check_int("Ledger.explain", "max_lines", max_lines, 0)) > 0:
            out = out[:max_lines] + [f"... {counted(left, 'more line')}"]
        text = Text("\n".join(line if isinstance(line, str) else self.line(line, digits) for line in out))
        if file is not None:
            print(text, file=file)
        return text


def as_ledger(fn: str, steps: Any, name: str = "steps") -> Ledger:
    """`steps` if it is a Ledger, else a TypeError that names `fn`, its argument `name` and how to make one."""
    return check_type(fn, name, steps, Ledger, "a Ledger (`with ledger.record() as steps: loss.backward()`)")


# --------------------------------------------------------------------------- recording
@contextlib.contextmanager
def record(arrays: bool = False) -> Iterator[Ledger]:
    """Record the backward passes run in the block into the `Ledger` it yields, each kept (a block per step in a long
    loop): `with ledger.record() as steps: loss.backward()`. Blocks may nest or overlap; on exit, also after an error,
    it stops recording. It records the passes of the thread that runs the block, not a backward that a hook runs
    during one (a ledger opened in the hook records that). `arrays`: see `Ledger`."""
    led = Ledger(arrays=arrays)
    led.outer = autograd.set_recorder(led)
    try:
        yield led
    finally:
        led._close()
        led.closed = True
        top = autograd.get_recorder()
        while isinstance(top, Ledger) and top.closed:  # closed ledgers on top of the chain leave it
            top = top.outer
        autograd.set_recorder(top)


# --------------------------------------------------------------------------- path products
@dataclass(frozen=True)
class Path:
    """One path from the root down to a node, with the local derivative of each edge."""

    names: tuple[str, ...]
    locals: tuple[float, ...]
    product: float


class PathProducts(list):
    """dL/dx as a sum over paths of products of local derivatives (see `path_products`): a list of `Path`
    (depth-first from the root, also as `.paths`), `root_name`, `node_name` and `total` (= x.grad after
    `L.backward()`, up to rounding)."""

    def __init__(self, root_name: str, node_name: str, paths: list[Path]) -> None:
        super().__init__(paths)
        products = [p.product for p in paths]  # fsum raises on an overflow and on inf - inf (backprop: inf, nan)
        self.root_name, self.node_name, self.paths = root_name, node_name, paths
        self.total = math.fsum(products) if math.isfinite(naive := sum(products)) else naive

    def __repr__(self) -> str:
        return (f"PathProducts(d{self.root_name}/d{self.node_name} = {format_number(self.total, 6)} over "
                f"{counted(len(self), 'path')})")

    def explain(self, digits: int | None = 4, max_factors: int = 12, max_paths: int = 20) -> Text:
        """The sum written out, one line per path; a long path (a deep chain) shows its first and last
        factors and their count, so that a product of many factors below 1 visibly vanishes."""
        f = lambda x: format_number(x, digits, "PathProducts.explain")  # noqa: E731
        m = check_int("PathProducts.explain", "max_factors", max_factors, 1)
        max_paths = check_int("PathProducts.explain", "max_paths", max_paths, 0)
        head, tail = (4, 2) if m >= 6 else ((m + 1) // 2, m // 2)  # the factors shown first and last
        cut = lambda s, h, t: (*s[:h], "...", *s[len(s) - t:])  # noqa: E731
        r, x, n = _d(self.root_name), _d(self.node_name), len(self.paths)
        if n == 0:
            return Text(f"d{r}/d{x} = 0.0: no path leads from {self.root_name} to {self.node_name}")
        out = [f"d{r}/d{x} = sum over {counted(n, 'path')} of the product of the local derivatives along the path:"]
        for p in self.paths[:max_paths]:
            short, fs, product = len(p.locals) <= m, [*map(f, p.locals or [1.0])], f(p.product)  # fs: as shown
            route = " <- ".join(p.names if short else cut(p.names, min(head, 3), tail))
            factors = " × ".join(fs if short else cut(fs, head, tail)) + f"   ({len(p.locals)} factors)" * (not short)
            out.append(f"  {route}:  {factors} {_equals(f, fs, product) if short else '='} {product}")
        out += [f"  ... {counted(n - max_paths, 'more path')}"] * (n > max_paths) + [f"  total = {f(self.total)}"]
        return Text("\n".join(out))


def _reach_and_count(root: Any, node: Any, who: str) -> tuple[list, dict]:
    """The topological order from `root` and, per node, the number of paths from it down to `node`."""
    if not getattr(root, "scalar", False):
        raise TypeError(f"{who} works on Value (scalar) graphs, where every local derivative is one number. Got "
                        f"a {type(root).__name__}: in a Tensor graph the local derivatives are Jacobian matrices. "
                        "Record a backward pass with ledger.record() and read layer_gains(steps) instead.")
    check_type(who, "node", node, type(root), "a Value (the x of dL/dx)")
    order, count = autograd.topological_order(root), {}
    for n in order:  # parents come first
        count[n] = 1 if n is node else sum(count[p] for p in n.parents)
    if node not in count and root in autograd.topological_order(node):  # no path down, but one up: swapped?
        raise ValueError(f"{who}: the first argument is computed from the second, not the second from the first: "
                         f"pass the output first, {who}(L, x) for dL/dx")
    return order, count


def count_paths(root: Any, node: Any) -> int:
    """How many paths lead from `root` down to `node` (edges counted with multiplicity), by dynamic
    programming over the topological order: it works for astronomically many paths."""
    return _reach_and_count(root, node, "count_paths")[1][root]


def path_products(root: Any, node: Any, max_paths: int = 10_000) -> PathProducts:
    """dL/dx (`root` L, `node` x, Values) as a sum over the paths `L = v_0 -> ... -> v_m = x` of the products
    `prod_i d(v_{i-1})/d(v_i)` of stored local derivatives (backprop adds the same without listing paths).
    A TypeError for a Tensor graph; a ValueError beyond `max_paths` paths (exponential in the depth)."""
    order, count = _reach_and_count(root, node, "path_products")
    total, names = count[root], node_names(order)
    if total > check_int("path_products", "max_paths", max_paths, 0):
        many = f"{total:,}" if total < 10**15 else f"about 10^{math.log10(total):.1f}"  # not thousands of digits
        raise ValueError(f"path_products: {many} {'path leads' if total == 1 else 'paths lead'} from {names[root]} to "
                         f"{names.get(node, 'the node')}, more than max_paths={max_paths:,}. Their number grows "
                         "exponentially with the depth of a dense net; backpropagation adds up the same products "
                         "without listing them, by sharing the common parts of the paths. Pick a node closer to the "
                         "output (count_paths(root, node) counts its paths), a smaller graph, or raise max_paths.")
    paths, route, locs = [], [], []  # the paths; the current one's nodes and locals, cut to a popped node's depth
    stack: list[tuple[Any, int, Any]] = [(root, 0, None)] if total else []
    while stack:  # depth first, along the edges that reach `node`
        n, depth, loc = stack.pop()
        del route[depth:], locs[max(depth - 1, 0):]
        route.append(n)
        locs += [loc] * (depth > 0)
        if n is node:
            paths.append(Path(tuple(names[v] for v in route), tuple(locs), math.prod(locs, start=1.0)))
            continue
        stack += reversed([(p, depth + 1, loc) for p, loc in n.edges() if count[p]])
    return PathProducts(names[root], names.get(node) or node_names([node], "x")[node], paths)  # or its label, x


# --------------------------------------------------------------------------- layer gains
@dataclass(frozen=True)
class LayerGain:
    """How one Linear layer `z_l = h_{l-1} @ W_l (+ b_l)`, `h_l = f(z_l)` scales the gradient on its way back:
    `layer` (1 at the input side, as the probe counts), the module path `name` and the `weight`'s name;
    `grad_out` = |dL/dz_l|_F and `grad_in` = |dL/dh_{l-1}|_F (None for the data); `linear_gain` =
    `|g @ W.T| / |g|` with `g = dL/dz_l` (about `s * sqrt(n)` for i.i.d. weights of std `s`, fan_in `n`);
    `activation_gain` = |dL/dz_l| / |dL/dh_l| (None for the last layer); `gain` = |dL/dh_{l-1}| / |dL/dh_l|
    (the last layer: over |dL/dz_L|). The gains are None where a norm is unknown."""

    layer: int
    name: str
    weight: str
    grad_out: float
    grad_in: float | None
    linear_gain: float | None
    activation_gain: float | None
    gain: float | None


class LayerGains(list):
    """A list of `LayerGain` (layer 1, the input side, first) with a printable summary."""

    def product(self) -> float:
        """The product of the known per-layer gains: how much the gradient shrinks end to end."""
        return math.prod(g.gain for g in self if g.gain is not None)

    def explain(self, digits: int | None = 4) -> Text:
        """A table: per layer the gradient norms, the gains and their running product from the output."""
        f, w = (lambda x: format_number(x, digits, "LayerGains.explain")), max([14, *(len(g.name) for g in self)])
        products = [None if g.gain is None else LayerGains(self[i:]).product() for i, g in enumerate(self)]
        rows = [f"{'layer':>5}  {'module':<{w}} {'|dL/dz|':>11} {'|dL/dh_in|':>11} {'W gain':>9} {'f gain':>9} "
                f"{'gain':>9} {'product':>11}"]
        rows += [f"{g.layer:>5}  {g.name:<{w}} {f(g.grad_out):>11} {f(g.grad_in):>11} {f(g.linear_gain):>9} "
                 f"{f(g.activation_gain):>9} {f(g.gain):>9} {f(prod):>11}" for g, prod in zip(self, products)]
        rows.append("gain = |dL/dh_in| / |dL/dh_out| per layer; product = gain of this layer and all after it "
                    "(how much of the output gradient reaches the layer's input)")
        return Text("\n".join(rows))


def layer_gains(ledger: Ledger, pass_index: int | None = None) -> LayerGains:
    """Per-layer gradient gains `|dL/dh_{l-1}|_F / |dL/dh_l|_F` of a Tensor MLP, read from a recorded pass
    (default: the last); every matmul is a Linear layer `z_l = h_{l-1} @ W_l`, numbered from the input side.
    With `0.01 * randn` weights on 500 tanh units each layer scales the gradient by about `0.224`."""
    ps = as_ledger("layer_gains", ledger, "ledger").get_pass(pass_index, "layer_gains")
    if ps.scalar:
        raise TypeError("layer_gains reads a Tensor backward pass (matmul layers); this ledger holds a Value pass. "
                        "For a scalar graph use path_products(root, node).")
    once = {s.parent: s.contribution for s in ledger.pass_steps(ps.index) if ps.uses.get(s.parent) == 1}
    final = {n: once.get(n) if n in ps.earlier else g for n, g in ledger.final_grads(ps.index).items()}  # this pass's:
    norm = lambda node: None if final.get(node) is None else final[node].norm  # noqa: E731  (not what a leaf held)
    dx = {s.node: s.contribution.norm for s in ledger.pass_steps(ps.index) if s.op == "matmul" and s.parent_index == 0}
    matmuls = [n for n in ps.order if getattr(n, "op", "") == "matmul" and n in final]
    if not matmuls:
        raise ValueError("layer_gains: the recorded pass has no matmul node with a gradient, so there are no "
                         "Linear layers to measure. Record a backward pass through an MLP.")
    out = LayerGains()
    for i, m in enumerate(matmuls):
        wname = str(getattr(m.parents[1], "name", "") or ps.names.get(m.parents[1], ""))  # w.name = 5: "5"
        g_out, g_in = norm(m), norm(m.parents[0])
        after = norm(matmuls[i + 1].parents[0]) if i + 1 < len(matmuls) else g_out
        out.append(LayerGain(i + 1, wname.removesuffix(".weight") if wname.endswith(".weight") else ps.names[m],
                             wname, g_out, g_in, ratio(dx[m], g_out) if m in dx else None,
                             ratio(g_out, after) if i + 1 < len(matmuls) and after is not None else None,
                             ratio(g_in, after) if None not in (g_in, after) else None))
    return out
