"""A property-based campaign: random programs over both engines, compared with PyTorch.

Tensor programs mix elementwise ops, broadcasting (with size-0 and size-1 axes), 1-D and
batched ``@``, reductions with negative axes and keepdims, repeated and empty integer indices,
softmax and log-softmax, reshapes and transposes, and end in a loss (mean squared error,
cross-entropy, binary cross-entropy) or a non-uniform upstream gradient; in float32 and
float64. Value programs chain the scalar ops, sometimes from 0, -0, +-inf, nan or huge inputs.
Every output and every input's gradient must agree with PyTorch.

The suite runs a few dozen programs of each kind (a few seconds). A large campaign:

    python tests/core/test_campaign.py --programs 20000
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

if os.environ.get("CI") == "true":
    import torch
else:  # pragma: no cover - without torch locally
    torch = pytest.importorskip("torch")

from tinygrad_init import Tensor, Value, losses  # noqa: E402

pytestmark = pytest.mark.torch
SUITE = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
TOL = {np.float32: dict(rtol=2e-4, atol=2e-5), np.float64: dict(rtol=1e-9, atol=1e-11)}


class Ours:
    """The tensor engine's spelling of each op."""

    leaf = staticmethod(lambda a: Tensor(a.copy(), requires_grad=True))
    sum = staticmethod(lambda x, axis, keep: x.sum(axis=axis, keepdims=keep))
    mean = staticmethod(lambda x, axis, keep: x.mean(axis=axis, keepdims=keep))
    max = staticmethod(lambda x, axis, keep: x.max(axis=axis, keepdims=keep))
    softmax = staticmethod(lambda x, axis: x.softmax(axis=axis))
    log_softmax = staticmethod(lambda x, axis: x.log_softmax(axis=axis))
    softplus = staticmethod(lambda x: x.softplus())
    transpose = staticmethod(lambda x: x.T)
    swap = staticmethod(lambda x: x.transpose(tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)))
    index = staticmethod(lambda x, idx: x[idx])
    mse = staticmethod(lambda x, t: losses.mse_loss(x, t))
    ce = staticmethod(lambda x, y: losses.cross_entropy(x, y))
    bce = staticmethod(lambda x, t: losses.binary_cross_entropy_with_logits(x, t))


class Torch:
    """The same ops in PyTorch."""

    leaf = staticmethod(lambda a: torch.tensor(a, requires_grad=True))
    sum = staticmethod(lambda x, axis, keep: x.sum(dim=Torch.dims(x, axis), keepdim=keep))
    mean = staticmethod(lambda x, axis, keep: x.mean(dim=Torch.dims(x, axis), keepdim=keep))
    max = staticmethod(lambda x, axis, keep: x.amax(dim=Torch.dims(x, axis), keepdim=keep))
    softmax = staticmethod(lambda x, axis: torch.softmax(x, dim=axis))
    log_softmax = staticmethod(lambda x, axis: torch.log_softmax(x, dim=axis))
    softplus = staticmethod(torch.nn.functional.softplus)
    transpose = staticmethod(lambda x: x.permute(*reversed(range(x.ndim))) if x.ndim else x)
    swap = staticmethod(lambda x: x.transpose(-1, -2))
    index = staticmethod(lambda x, idx: x[torch.from_numpy(idx)])
    mse = staticmethod(lambda x, t: torch.nn.functional.mse_loss(x, torch.from_numpy(t)))
    ce = staticmethod(lambda x, y: torch.nn.functional.cross_entropy(x, torch.from_numpy(y)))
    bce = staticmethod(lambda x, t: torch.nn.functional.binary_cross_entropy_with_logits(x, torch.from_numpy(t)))

    @staticmethod
    def dims(x, axis):
        return tuple(range(x.ndim)) if axis is None else axis


def _axis(shape: tuple, k: int, tuple_axis: bool):
    """An axis argument for `shape` from the number k: None, a negative or positive int, or a pair."""
    n = len(shape)
    if n == 0 or k % 4 == 0:
        return None
    if tuple_axis and n >= 2:
        return (k % n, -1 if k % n != n - 1 else 0)
    return k % n - (n if k % 2 else 0)


def _reduced(shape: tuple, axis) -> tuple:
    axes = range(len(shape)) if axis is None else [a % len(shape) for a in (axis if isinstance(axis, tuple) else
                                                                             (axis,))]
    return tuple(shape[a] for a in axes)


STATS: dict = {}  # op -> times applied (the large campaign reports it)


def run_tensor_program(F, program, leaves):
    """Apply the program's steps to a register file; a step that does not fit the shapes is skipped
    (the same steps on both sides, since both see the same shapes)."""
    regs = list(leaves)
    for op, i, j, k in program:
        a, b = regs[i % len(regs)], regs[j % len(regs)]
        sa, sb = tuple(a.shape), tuple(b.shape)
        try:
            broadcastable = np.broadcast_shapes(sa, sb) is not None
        except ValueError:
            broadcastable = False
        if op in ("add", "sub", "mul", "div", "pow") and not broadcastable:
            continue
        if op == "add":
            y = a + b
        elif op == "sub":
            y = a - b * 0.5
        elif op == "mul":
            y = a * b
        elif op == "div":
            y = a / (b * b + 1.0)
        elif op == "pow":
            y = (a * a + 0.5) ** b.tanh()
        elif op == "tanh":
            y = a.tanh()
        elif op == "sigmoid":
            y = a.sigmoid() * 2.0
        elif op == "relu":
            y = (a - 0.25).relu()
        elif op == "exp":
            y = a.tanh().exp()
        elif op == "log":
            y = (a * a + 1.0).log()
        elif op == "softplus":
            y = F.softplus(a)
        elif op == "neg":
            y = -a + (k % 3)
        elif op in ("sum", "mean", "max"):
            axis = _axis(sa, k, tuple_axis=k % 3 == 0)
            if op == "max" and 0 in _reduced(sa, axis):
                continue  # the maximum of nothing: both refuse
            y = getattr(F, op)(a, axis, k % 2 == 1)
        elif op in ("softmax", "log_softmax"):
            if not sa:
                continue
            y = getattr(F, op)(a, k % len(sa) - len(sa))
        elif op == "matmul":  # 1-D . 1-D, batched (..., n, m) @ (..., m, n), or a @ b when they fit
            if len(sa) == 1:
                y = a @ a
            elif len(sa) >= 2 and len(sb) >= 1 and sb[-2 if len(sb) >= 2 else 0] == sa[-1] and (
                    len(sb) < 3 or len(sa) < 3 or broadcastable_batch(sa, sb)):
                y = a @ b
            elif len(sa) >= 2:
                y = a @ F.swap(a) * 0.5
            else:
                continue
        elif op == "index":
            if not sa:
                continue
            idx = (np.array([], dtype=np.int64) if sa[0] == 0 or k % 5 == 0
                   else np.array([0, sa[0] - 1, 0, 0][:1 + k % 4]))
            y = F.index(a, idx)
        elif op == "reshape":
            y = a.reshape(-1) if k % 2 else F.transpose(a)
        else:  # pragma: no cover
            raise ValueError(op)
        regs.append(y)
        if F is Ours:
            STATS[op] = STATS.get(op, 0) + 1
    return regs[-1]


def broadcastable_batch(sa: tuple, sb: tuple) -> bool:
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
        return True
    except ValueError:
        return False


TENSOR_OPS = ["add", "sub", "mul", "div", "pow", "tanh", "sigmoid", "relu", "exp", "log", "softplus", "neg", "sum",
              "mean", "max", "softmax", "log_softmax", "matmul", "index", "reshape"]


@st.composite
def tensor_cases(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=draw(st.integers(1, 3)), min_dims=0, max_dims=3,
                                                    min_side=0, max_side=4)).input_shapes
    steps = draw(st.lists(st.tuples(st.sampled_from(TENSOR_OPS), st.integers(0, 50), st.integers(0, 50),
                                    st.integers(0, 50)), min_size=1, max_size=8))
    end = draw(st.sampled_from(["upstream", "mse", "ce", "bce"]))
    seed = draw(st.integers(0, 2**31))
    return dtype, shapes, steps, end, seed


def check_tensor_case(case) -> None:
    dtype, shapes, steps, end, seed = case
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    ours = [Ours.leaf(a) for a in arrays]
    theirs = [Torch.leaf(a) for a in arrays]
    out_o = run_tensor_program(Ours, steps, ours)
    out_t = run_tensor_program(Torch, steps, theirs)
    shape = tuple(out_o.shape)
    assert shape == tuple(out_t.shape)
    if end == "mse":
        target = rng.standard_normal(shape).astype(dtype)
        out_o, out_t = Ours.mse(out_o, target), Torch.mse(out_t, target)
    elif end == "ce" and len(shape) == 2 and shape[1] > 0:
        y = rng.integers(0, shape[1], size=shape[0])
        out_o, out_t = Ours.ce(out_o, y), Torch.ce(out_t, y)
    elif end == "bce" and out_o.size:
        t = rng.uniform(0, 1, size=shape).astype(dtype)
        out_o, out_t = Ours.bce(out_o, t), Torch.bce(out_t, t)
    STATS["nonempty outputs"] = STATS.get("nonempty outputs", 0) + (out_o.size > 0)
    STATS[f"{np.dtype(dtype).name} programs"] = STATS.get(f"{np.dtype(dtype).name} programs", 0) + 1
    tol = TOL[dtype]
    assert out_o.dtype == dtype and str(out_t.dtype) == f"torch.{np.dtype(dtype).name}"
    np.testing.assert_allclose(out_o.data, out_t.detach().numpy(), equal_nan=True, **tol)
    if not out_o.requires_grad:
        return
    g = np.asarray(rng.uniform(0.5, 1.5, size=out_o.shape) * rng.choice([-1.0, 1.0], size=out_o.shape), dtype)
    out_o.backward(g)
    out_t.backward(torch.from_numpy(g))
    for i, (a, b) in enumerate(zip(ours, theirs)):
        want = np.zeros(a.shape, dtype) if b.grad is None else b.grad.numpy()
        got = np.zeros(a.shape, dtype) if a.grad is None else a.grad
        assert got.shape == want.shape and got.dtype == want.dtype, f"input {i}"
        np.testing.assert_allclose(got, want, equal_nan=True, err_msg=f"gradient of input {i}", **tol)


VALUE_UNARY = {"tanh": lambda v: v.tanh(), "sigmoid": lambda v: v.sigmoid(), "relu": lambda v: v.relu(),
               "exp": lambda v: (v * 0.1).exp(), "log": lambda v: (v * v + 1.0).log(), "neg": lambda v: -v,
               "square": lambda v: v ** 2, "cube": lambda v: v ** 3.0, "recip": lambda v: 1.0 / (v * v + 0.5)}
VALUE_BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
                "div": lambda a, b: a / (b * b + 1.0), "pow": lambda a, b: (a * a + 0.5) ** b.tanh(),
                "rsub": lambda a, b: 2.0 - a * b, "rpow": lambda a, b: 1.5 ** a.tanh() * b}
SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e308, -1e308, 1e-310]


@st.composite
def value_cases(draw):
    xs = draw(st.lists(st.one_of(st.floats(-3, 3), st.sampled_from(SPECIAL)), min_size=1, max_size=3))
    # The chain rule multiplies: an inf or nan gradient reaching a relu that is off, or a power's local
    # derivative that is 0 by convention, gives nan * 0 = nan where PyTorch's backward selects 0. So programs
    # from special values leave relu and pow out.
    special = any(x in SPECIAL or x != x for x in xs)
    unary = sorted(set(VALUE_UNARY) - ({"relu"} if special else set()))
    binary = sorted(set(VALUE_BINARY) - ({"pow"} if special else set()))
    steps = draw(st.lists(st.one_of(
        st.tuples(st.just(1), st.sampled_from(unary), st.integers(0, 50), st.just(0)),
        st.tuples(st.just(2), st.sampled_from(binary), st.integers(0, 50), st.integers(0, 50))),
        min_size=1, max_size=12))
    return xs, steps, draw(st.floats(0.5, 2.0))


def _close(ours: float, theirs: float) -> bool:
    """Equal up to rounding: relative 1e-12, or absolute 1e-12 (contributions that cancel, such as
    x - x, may be added in another order than PyTorch adds them: 1 + 1e-200 - 1 is 0)."""
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    return ours == theirs or abs(ours - theirs) <= 1e-12 * max(abs(ours), abs(theirs), 1.0)


def check_value_case(case) -> None:
    xs, steps, u = case

    def run(inputs):
        regs = list(inputs)
        for arity, name, i, j in steps:
            a, b = regs[i % len(regs)], regs[j % len(regs)]
            regs.append(VALUE_UNARY[name](a) if arity == 1 else VALUE_BINARY[name](a, b))
        return regs[-1] * u, regs  # a non-unit upstream gradient for the program

    vs = [Value(x) for x in xs]
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    (out_v, regs), (out_t, _) = run(vs), run(ts)
    assert _close(out_v.data, out_t.item()), (out_v.data, out_t.item())
    out_v.backward()
    out_t.backward()
    # Once a value has overflowed, a gradient can gather +inf and -inf contributions, and their sum
    # depends on the order of accumulation (inf + 1e308 + -inf is nan, 1e308 + -inf + inf too, but
    # -inf + 1e308 + 1e308 is -inf). PyTorch accumulates in reverse creation order, this engine in
    # reverse depth-first order, so there (and only there) inf against nan is the same answer.
    overflowed = any(math.isinf(r.data) for r in regs)
    for i, (v, t) in enumerate(zip(vs, ts)):
        want = 0.0 if t.grad is None else t.grad.item()
        order_only = overflowed and {math.isnan(v.grad), math.isnan(want)} == {True, False} and \
            math.isinf(v.grad if not math.isnan(v.grad) else want)
        assert _close(v.grad, want) or order_only, (i, v.grad, want)


@SUITE
@given(tensor_cases())
def test_random_tensor_programs_match_pytorch(case):
    check_tensor_case(case)


@SUITE
@given(value_cases())
def test_random_value_programs_match_pytorch(case):
    check_value_case(case)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - the large campaign, run by hand
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--programs", type=int, default=20000, help="programs of each kind (tensor, value)")
    p.add_argument("--only", choices=["tensor", "value"], help="run one kind only")
    args = p.parse_args(argv)
    big = settings(max_examples=args.programs, deadline=None, derandomize=False, database=None,
                   suppress_health_check=list(HealthCheck))
    for name, strategy, check in (("tensor", tensor_cases(), check_tensor_case),
                                  ("value", value_cases(), check_value_case)):
        if args.only and name != args.only:
            continue
        count = [0]

        @big
        @given(strategy)
        def campaign(case):
            count[0] += 1
            check(case)

        start = time.perf_counter()
        campaign()
        print(f"{name} programs: {count[0]} run, all agree with PyTorch ({time.perf_counter() - start:.0f} s)")
    print("tensor ops applied:", ", ".join(f"{k} {v}" for k, v in sorted(STATS.items())))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
