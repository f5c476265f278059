"""Training from each init over several seeds at once (`fit`): `symmetry`, `training` (deeplearning.ai, at its
settings), `depth` (He et al. 2015) and `sigmoid_saturation` (Glorot & Bengio 2010) in miniature. With `rng=s` the
data come from seed `s` and network `k` from seed `s + k`; results: the median over seeds with the lowest and highest
value."""

from __future__ import annotations

import math
import numbers
from functools import partial
from typing import Any, Callable, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from .. import nn
from ..core.tensor import Tensor, changed_in_place, no_grad
from ..nn import activations as _acts, data as _data, init as _init
from ..nn.layers import as_module
from ..utils import (Rng, as_rng, check_bool, check_choice, check_int, check_real, check_type, counted, format_number,
                     ordered, quoted)
from . import plots
from .table import ExperimentResult, Table, band, label, span
from .theory import check_scheme as _check_scheme, renamed

__all__ = ["deep_mlp", "fit", "accuracy", "distinct_units", "symmetry", "training", "depth", "sigmoid_saturation"]

LN2 = math.log(2.0)
#: The activations the lab studies: the registry's, but the identity.
ACTIVATIONS: tuple[str, ...] = tuple(a for a in _acts.names() if a != "linear")


def check_names(fn: str, what: str, values: Any, check: Callable[[str, Any], str]) -> tuple[str, ...]:
    """`values` (a name or several), each checked by `check(fn, name)`; none twice, not empty."""
    if not (isinstance(values, str) or ordered(values)):  # a set's order is not the caller's
        raise TypeError(f"{fn}: {what} must be a name or a list of names, got {quoted(values)}")
    out = tuple(check(fn, v) for v in ((values,) if isinstance(values, str) else values))
    if not out or len(set(out)) != len(out):
        raise ValueError(f"{fn}: {what} is empty; give at least one name" if not out else
                         f"{fn}: {what} lists a name twice: {list(out)}")
    return out


def check_activation(fn: str, name: Any) -> str:
    """One of `ACTIVATIONS`."""
    return check_choice(fn, "activation", name, ACTIVATIONS)


def check_scheme(fn: str, name: Any, zero_mean: bool = False) -> str:
    """A scheme name that draws weights from their shape alone (`theory.check_scheme`), as its table name."""
    check_type(fn, "a scheme", name, str, "a name such as 'he_normal' (the tables name each row by it)")
    return _check_scheme(fn, name, zero_mean, "the experiments draw weights from their shape alone (use "
                         "init.lsuv(model, batch) on a model instead)").name


def deep_mlp(depth: int, width: int, activation: str, init: str | Callable = "cs231n", rng: Rng = None,
             batchnorm: bool = False, bias: bool = False, input_width: int | None = None, dtype: Any = np.float32, *,
             bias_init: str | Callable | None = None, outputs: int | None = None,
             output_init: str | Callable | None = None) -> nn.Sequential:
    """The lab's deep networks: `depth` blocks `Linear -> [BatchNorm1d] -> activation` of `width` units (CS231n: no
    `bias`), the first from `input_width`; with `outputs` a last `Linear(width, outputs)` (a bias; `output_init`,
    default `init`). Linear `l` is module `str(2 l)` (`str(3 l)` with batch norm), its activation the block's last."""
    fn, gen, mods = "deep_mlp", as_rng(rng, "deep_mlp"), []
    act = nn.ACTIVATIONS[check_activation(fn, activation)]
    depth, width = check_int(fn, "depth", depth, 1), check_int(fn, "width", width, 1)
    n_in = width if input_width is None else check_int(fn, "input_width", input_width, 1)
    if (n := (depth - 1) * width * width + n_in * width) > 1e9:  # 4 GB of float32: a huge depth would build for ever
        many = f"depth {depth:.3g} and width {width:.3g} make {n:.3g}" if n < 1e300 else \
            "depth and width make over 1e300"
        raise ValueError(f"deep_mlp: {many} weights, beyond 1e9 (4 GB as float32); take fewer layers or units")
    for l in range(depth):
        mods.append(renamed(fn, nn.Linear, width if l else n_in, width, bias, init, bias_init, gen, dtype))
        mods += [nn.BatchNorm1d(width, dtype=dtype)] * check_bool("deep_mlp", "batchnorm", batchnorm) + [act()]
    if outputs is not None:  # outputs=0 once built no output layer, silently
        n_out = check_int(fn, "outputs", outputs, 1)
        mods.append(renamed(fn, nn.Linear, width, n_out, True, output_init or init, bias_init, gen, dtype))
    return nn.Sequential(*mods)


def _right(z: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """1 where the logit `z` has the sign of its label (`positive`: label 1), else 0; nan where `z` is nan: a
    diverged network makes no prediction (reading it as wrong would score it as a coin flip)."""
    return np.where(np.isnan(z), np.nan, (z > 0) == positive)


def accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of points whose logit `model(X)[:, 0]` (one per point, `(n, 1)`) has the sign of the label (1:
    positive); nan if a logit is nan (a diverged model: no prediction, not a coin flip). A model ending in a Sigmoid
    gives probabilities, not logits: it is refused."""
    if np.ndim(X) != 2 or np.shape(y) != np.shape(X)[:1] or not np.isin(y, (0, 1)).all() or not np.size(y):
        fix = "; for one feature per point pass np.reshape(X, (-1, 1))" * (np.ndim(X) == 1 == np.ndim(y)) + (
            "; for a column of labels pass np.reshape(y, -1)" if np.shape(y)[1:] == (1,) else "; for labels -1/+1 pass"
            " (np.asarray(y) + 1) // 2" if np.isin(y, (-1, 1)).all() and np.isin(-1, y) else "")
        raise ValueError(f"accuracy: y must hold one label in {{0, 1}} per row of X (n >= 1, features), got shape "
                         f"{np.shape(y)} with labels {np.unique(y)[:6]} for X of shape {np.shape(X)}{fix}")
    as_module("accuracy", model, "an nn.Module (a model to call on X)")  # not "not callable"
    last = [model]  # back from the module that gives the output: into Sequentials and MLPs, past an Identity
    while last and isinstance(last[-1], (nn.Sequential, nn.MLP, nn.Identity)):
        last[-1:] = [] if isinstance(last[-1], nn.Identity) else list(getattr(last[-1], "layers", last[-1]))
    if last and isinstance(last[-1], nn.Sigmoid):  # each output positive: read as a logit, a prediction of 1
        raise ValueError("accuracy: the model ends in a Sigmoid, whose outputs, probabilities in (0, 1), are no "
                         "logits; their accuracy is "
                         "np.mean((model(Tensor(X)).data[:, 0] > 0.5) == (np.asarray(y) == 1))")
    with no_grad():
        z = model(Tensor(X)).data
    if z.shape != (len(X), 1):  # a logit per class: its first column is class 0's, not a binary logit
        raise ValueError(f"accuracy: the model must give one logit per point, shape ({len(X)}, 1), got {z.shape}" + (
            "; with a logit per class the accuracy is np.mean(model(Tensor(X)).data.argmax(1) == y)" if z.ndim == 2 else
            "; for one logit per point in that shape it is np.mean((model(Tensor(X)).data.reshape(-1) > 0) == "
            "(np.asarray(y) == 1))" if z.size == len(X) else ""))
    return float(np.mean(_right(z[:, 0], np.asarray(y) == 1)))


# f'(z) from z, h = f(z) and e, what f and f' share, bit for bit the registry's derivative with one f fewer (tanh:
# 1 - tanh(z)^2; sigmoid: sigmoid(z) sigmoid(-z), both from e = e^-|z|; ReLU: its 0/1 as a mask), for an activation
# with the registry's f and f'; then e from z (None: nothing shared)
_SLOPES = ((_acts.ACTIVATIONS["tanh"], lambda z, h, e: 1.0 - h ** 2, None),
           (_acts.ACTIVATIONS["sigmoid"], lambda z, h, e: h * _acts.stable_sigmoid(-z, e),
            lambda z: np.exp(-np.abs(z))),
           (_acts.ACTIVATIONS["relu"], lambda z, h, e: ~(z <= 0), None))


def _packed(arrays: list[np.ndarray], copy: bool = True) -> tuple[np.ndarray, list[np.ndarray]]:
    """Copies of `arrays` (of one dtype, each filling its memory as `np.stack` makes it; `copy=False`: the room for
    them, unfilled) in one flat array, and views of it with each one's shape and strides: a product reads its operands
    in the same order, to the last bit."""
    flat, ends = np.empty(sum(a.size for a in arrays), arrays[0].dtype), np.cumsum([a.size for a in arrays])
    views = [np.lib.stride_tricks.as_strided(flat[e - a.size:e], a.shape, a.strides) for a, e in zip(arrays, ends)]
    for v, a in zip(views, arrays * copy):
        v[...] = a
    return flat, views


def fit(models: Sequence[nn.MLP], X: np.ndarray, y: np.ndarray, *, steps: int, lr: float | Sequence[float],
        momentum: float | Sequence[float] = 0.0, every: int = 1, watch: bool = False) -> dict[str, np.ndarray]:
    """Train `nn.MLP`s of one shape together (biases, one output unit) by full-batch gradient descent, one numpy
    call serving every network: with `W_l` stacked to `(S, n_l, n_{l-1})`, `x = X.T` `(n_0, B)`, labels `t` `(1, B)`
    and the mean BCE of the logits, each step does

        z_l = W_l h_{l-1} + b_l, h_l = f(z_l); g = (sigmoid(z_L) - t) / B;  dW_l = g h_{l-1}^T,
        db_l = sum_B g, g <- f'(z_{l-1}) * (W_l^T g);  v <- momentum v + dW, W <- W - lr v (PyTorch's SGD)

    `lr`, `momentum`: one value or one per network. Records every `every` steps (step 0: before training) `step`
    `(R,)`, `loss` and `accuracy` `(S, R)`, and with `watch` `hidden_mean`, `hidden_std` `(S, R, L - 1)`. The trained
    weights are written back into the models (so none may share a layer with itself or another)."""
    models, X, y = list(models) if hasattr(models, "__iter__") else None, np.asarray(X), np.asarray(y)
    for k, m in enumerate(models or ()):
        as_module("fit", m, "an nn.MLP", f"models[{k}]")
    if not models or not all(isinstance(m, nn.MLP) for m in models):
        raise TypeError("fit: models must be a non-empty list of nn.MLP")
    if len({(tuple(m.sizes), m.activation) for m in models}) > 1 or models[0].sizes[-1] != 1 or \
            any(lin.bias is None for m in models for lin in m.linears()) or \
            not all(p.requires_grad for m in models for p in m.parameters()):
        raise ValueError("fit: the models must share sizes and activation, have biases and one output unit, and "
                         "none frozen (requires_grad=False): fit trains every parameter")
    for k, m in enumerate(models):  # the logit is the last Linear's output: a final activation's would be another
        if not isinstance(m.layers[-1], (nn.Linear, nn.Identity)):
            raise ValueError(f"fit: models[{k}] ends in final_activation={m.layers[-1].name!r}, which fit would leave "
                             "out: it trains the last Linear's outputs as logits (the BCE of the logits holds the "
                             "sigmoid); make it without final_activation")
    places: dict[int, tuple[int, int]] = {}  # each parameter's first (network, layer): fit steps every place apart
    for k, m in enumerate(models):
        for i, p in ((i, p) for i, lin in enumerate(m.linears()) for p in (lin.weight, lin.bias)):
            if (first := places.setdefault(id(p), (k, i))) != (k, i):
                j, l = first
                raise ValueError(f"fit: models[{j}] and models[{k}] are one model ([nn.MLP(...)] * n repeats one), "
                                 "which fit would train as two and write back as one; make each with its own "
                                 "nn.MLP(...)" if j != k and models[j] is m else f"fit: layers {l + 1} and {i + 1} of "
                                 f"models[{j}]" + f" and [{k}]" * (j != k) + " share a parameter, which fit would step "
                                 "as two and write back as one; train a shared layer by nn.optim.SGD")
    shapes = y.ndim == 1 and len(y) > 0 and X.shape == (len(y), models[0].sizes[0])  # right: then the labels are not
    if not shapes or not np.isin(y, (0, 1)).all():
        raise ValueError(f"fit: X must be (batch, {models[0].sizes[0]}) and y (batch,) labels in {{0, 1}}, batch >= 1, "
                         f"got {X.shape} and {y.shape}" + f" with labels {np.unique(y)[:6]}" * shapes)
    steps, every = check_int("fit", "steps", steps, 0), check_int("fit", "every", every, 1)
    for name, v, high in (("lr", lr, None), ("momentum", momentum, 1.0)):
        values = [v] if np.ndim(v) == 0 else list(v)
        if len(values) not in (1, len(models)):
            raise ValueError(f"fit: {name} must be one value or one per network ({len(models)}), got {len(values)}")
        for value in values:
            check_real("fit", name, value, 0.0, high, low_open=name == "lr", high_open=True)
    act, lins = _acts.get(models[0].activation), [m.linears() for m in models]
    slope, shared = next(((s, e) for r, s, e in _SLOPES if (r.fn, r.derivative) == (act.fn, act.derivative)),
                         (lambda z, h, e: act.derivative(z), None))
    W = [np.stack([lin.weight.data.T for lin in layer]) for layer in zip(*lins)]  # layer i of every network
    b = [np.stack([lin.bias.data for lin in layer])[:, :, None] for layer in zip(*lins)]
    L, dt = len(W), W[0].dtype
    x, t = np.ascontiguousarray(X.T, dtype=dt), y.astype(dt).reshape(1, -1)
    lr, mu = (np.broadcast_to(np.asarray(v, dt), (len(models),)).reshape(-1, 1, 1) for v in (lr, momentum))
    # with one dtype (all but a hand-mixed model) W and b are views of one array P, their steps D of Ds, as are mu
    # (mus) and the velocities V laid out alike, so that one call a step updates every layer
    flat, D = len({p.dtype for p in W + b}) == 1, [None] * (2 * L)
    vel = [np.zeros_like(p) for p in W + b] if mu.any() and not flat else None
    if flat:
        (P, views), (Ds, D), (mus, M) = _packed(W + b), _packed(W + b, False), _packed(W + b, False)
        (W, b), V = (views[:L], views[L:]), np.zeros_like(P) if mu.any() else None
        for m in M:
            m[...] = mu
    watch = check_bool("fit", "watch", watch)
    rec: dict[str, list] = {k: [] for k in ["step", "loss", "accuracy"] + ["hidden_mean", "hidden_std"] * watch}
    with np.errstate(all="ignore"), threadpool_limits(1, user_api="blas"):  # small products: one thread is faster
        for step in range(steps + 1):
            hs, zs, es = [x], [], []
            for i in range(L):
                zs.append(W[i] @ hs[-1])
                zs[-1] += b[i]
                es.append(shared(zs[-1]) if shared and i < L - 1 else None)  # computed once for f and f'
                hs.append(zs[-1] if i == L - 1 else act.fn(zs[-1]) if es[-1] is None else act.fn(zs[-1], es[-1]))
            out = hs[-1]
            if step % every == 0 or step == steps:
                loss = np.mean(np.maximum(out, 0) - out * t + np.log1p(np.exp(-np.abs(out))), axis=(1, 2))
                hidden = (np.reshape([stat(h, axis=(1, 2)) for h in hs[1:-1]], (L - 1, len(models))).T  # (S, L - 1)
                          for stat in (np.mean, np.std) if watch)
                for k, v in zip(rec, (step, loss, np.mean(_right(out, t > 0.5), axis=(1, 2)), *hidden)):
                    rec[k].append(v)
            if step == steps:
                break
            g = (np.tanh(0.5 * out) + 1) * 0.5 - t  # sigmoid(out) - t, without overflow
            g *= dt.type(1.0 / x.shape[1])
            for i in range(L - 1, -1, -1):
                lr_g = g * lr  # lr dL/dz: the steps of W and b follow from it (and v is kept scaled by lr)
                steps_ = (lr_g @ hs[i].swapaxes(-1, -2), np.add.reduce(lr_g, axis=-1, keepdims=True, out=D[L + i]))
                if i:
                    g = W[i].swapaxes(-1, -2) @ g
                    g *= slope(zs[i - 1], hs[i], es[i - 1])
                if flat:  # (b's step is in place already; W is read no more this step)
                    D[i][...] = steps_[0]
                    continue
                for k, (p, d) in enumerate(zip((W[i], b[i]), steps_)):
                    if vel is not None:
                        d = vel[k * L + i]
                        d *= mu
                        d += steps_[k]
                    p -= d
            if flat:  # every layer's steps (and velocities) at once
                if V is not None:
                    V *= mus
                    V += Ds
                P -= Ds if V is None else V
    for s, ls in enumerate(lins):
        for i, lin in enumerate(ls):
            lin.weight.data[...], lin.bias.data[...] = W[i][s].T, b[i][s, :, 0]
    changed_in_place(*(p for ls in lins for lin in ls for p in (lin.weight, lin.bias)))  # no backward of an older graph
    return {k: np.stack(v, axis=0 if k == "step" else 1) for k, v in rec.items()}


def distinct_units(weight: np.ndarray, bias: np.ndarray | None = None, outgoing: np.ndarray | None = None,
                   rtol: float = 1e-5) -> int:
    """How many different units (1 to `fan_out`) a layer `y = x @ W + b` has, `W` `(fan_in, fan_out)`: unit `j` is
    `W[:, j]`, `b[j]` and, if given, `outgoing[j, :]` (the next weight, `(fan_out, k)`); units agreeing within `rtol *
    max |parameter|` (rounding) compute the same and get the same gradient forever."""
    try:  # text or a set: numpy's "could not convert" or float()'s TypeError, named here
        W, bias, outgoing = (v if v is None else np.asarray(v, dtype=np.float64) for v in (weight, bias, outgoing))
    except (TypeError, ValueError, OverflowError) as e:
        raise TypeError(f"distinct_units: weight, bias and outgoing must be arrays of numbers ({e})") from None
    if W.ndim != 2:
        raise ValueError(f"distinct_units: weight must be 2-D (fan_in, fan_out), got shape {W.shape}")
    parts = [W.T]
    for what, v, ok in (("bias", bias, lambda a: a.shape == W.shape[1:]),
                        ("outgoing", outgoing, lambda a: a.ndim == 2 and a.shape[0] == W.shape[1])):
        if v is not None and not ok(v):  # (arrays of float64 already)
            raise ValueError(f"distinct_units: {what} must have shape ({W.shape[1]},{' k' * (what != 'bias')}), "
                             f"got {v.shape}")
        parts += [] if v is None else [v.reshape(W.shape[1], -1)]
    units = np.concatenate(parts, axis=1)
    tol = check_real("distinct_units", "rtol", rtol, 0.0) * max(1e-12, float(np.abs(units).max(initial=0.0)))
    reps, k = np.empty_like(units), 0  # the representatives: reps[:k]
    for u in units:  # a new unit if no representative so far is within tol ((0, n) weights: nothing to differ)
        if not (np.abs(reps[:k] - u).max(axis=1, initial=0.0) <= tol).any():
            reps[k], k = u, k + 1
    return k


def seeds_of(rng: Rng, n: int | None, quick: bool, fn: str = "seeds") -> tuple[np.random.Generator, list[int]]:
    """The data's generator and the network seeds: `n` (default 5, quick 3), `s, s + 1, ...` for a seed `s`; `fn` (the
    function given `rng`) starts the messages."""
    n, gen = check_int(fn, "seeds", (3 if quick else 5) if n is None else n, 1), as_rng(rng, fn)  # no bool here
    seeds = range(int(rng), int(rng) + n) if isinstance(rng, numbers.Integral) else gen.integers(0, 2**31 - 1, n)
    return gen, [int(s) for s in seeds]


def _plan(fn: str, rng: Rng, quick: bool, seeds: int | None, steps: int | None, default: tuple[int, int],
          lr: float) -> tuple[int, float, np.random.Generator, list[int]]:
    """The checked `steps` (`default`: quick, full) and `lr`, the data's generator and the seeds (`seeds_of`)."""
    quick = check_bool(fn, "quick", quick)
    steps = check_int(fn, "steps", default[not quick] if steps is None else steps, 1)  # seeds: checked by seeds_of
    return (steps, check_real(fn, "lr", lr, 0.0, low_open=True), *seeds_of(rng, seeds, quick, fn))


def _accuracies(v: Any) -> tuple[float, float, float]:
    """`band` of accuracies leaving out the diverged networks' (nan: no prediction); nan if all diverged."""
    return band(v[~np.isnan(v)]) if (v := np.ravel(v)).size > np.isnan(v).sum() else (math.nan,) * 3


def _spread(v: Any, fmt: str = "{:.1%}", summary: Callable = band) -> str:
    m, lo, hi = (float(a) for a in summary(np.ravel(v)))
    return fmt.format(m) if not lo < hi else f"{fmt.format(m)} ({fmt.format(lo)}-{fmt.format(hi)})"


def symmetry(rng: Rng = 0, quick: bool = False, *, seeds: int | None = None, width: int = 8, steps: int | None = None,
             lr: float = 0.5, constant: float = 0.5, random_scheme: str = "xavier_uniform") -> ExperimentResult:
    """Zero and constant init leave the hidden units of a layer identical: a `2 - width - width - 1` tanh MLP learns
    `moons` (full batch, `steps` 300, quick 100) from zeros (nothing moves: each hidden gradient is a product with a
    zero weight), `constant` (the weights move, together) and `random_scheme` (a net per seed). Table `main`: distinct
    units per hidden layer, weight change, loss, accuracy; figure `weights`."""
    width, constant = check_int("symmetry", "width", width, 2), check_real("symmetry", "constant", constant)
    steps, lr, gen, seeds = _plan("symmetry", rng, quick, seeds, steps, (100, 300), lr)
    if _init.get(rs := check_scheme("symmetry", random_scheme)).law == "constant":  # its rows joined the zeros row
        raise ValueError(f"symmetry: random_scheme must draw random weights, got {random_scheme!r}")
    X, y = _data.moons(200, noise=0.1, rng=gen)
    inits = [("zeros", "zeros", 0), ("constant", _init.get("constant", value=constant), 0)] + [
        (random_scheme, rs, s) for s in seeds]
    models = [nn.MLP([2, width, width, 1], activation="tanh", init=sc, rng=s) for _, sc, s in inits]
    before = [[lin.weight.data.copy() for lin in m.linears()] for m in models]
    hist = fit(models, X, y, steps=steps, lr=lr)
    rows, findings, data = [], [], {}
    for name in dict.fromkeys(n for n, _, _ in inits):
        idx = [k for k, q in enumerate(inits) if q[0] == name]
        count = [[distinct_units(ls[i].weight.data, ls[i].bias.data, ls[i + 1].weight.data)
                  for ls in (models[k].linears() for k in idx)] for i in range(2)]
        moved = [max(float(np.abs(models[k].linears()[i].weight.data - before[k][i]).max()) for k in idx)
                 for i in range(2)]
        loss, acc = hist["loss"][idx, -1], hist["accuracy"][idx, -1]
        rows += [[name, i + 1, width, min(count[i]), max(count[i]), moved[i], *band(loss), *band(acc)]
                 for i in range(2)]
        data[name] = {"loss": hist["loss"][idx[0]], "distinct_units": count, "networks": len(idx), "first": idx[0]}
        findings.append(f"{name}: {_spread(count[0], '{:.0f}')} and {_spread(count[1], '{:.0f}')} distinct units of "
                        f"{width} in the two hidden layers after {counted(steps, 'step')} "
                        f"({counted(len(idx), 'network')}); final loss {_spread(loss, '{:.3g}')}, "
                        f"accuracy {_spread(acc)}.")
    main = Table(["init", "layer", "width", "distinct_units_min", "distinct_units_max", "max_weight_change",
                  "final_loss", "final_loss_min", "final_loss_max", "train_accuracy", "train_accuracy_min",
                  "train_accuracy_max"], rows,
                 title=f"Symmetry: 2-{width}-{width}-1 tanh MLP on moons, {steps} full-batch steps, lr {lr:g}",
                 notes=["distinct_units: groups of units whose incoming weights, bias and outgoing weights agree to "
                        "1e-5 relative; min and max over the seeds", "max_weight_change: max |W_after - W_before|",
                        f"final_loss, train_accuracy: the median over the networks (seeds {seeds}), and the lowest "
                        "and highest"])
    figure = partial(plots.weight_heatmaps, {
        f"{n}\n{d['distinct_units'][0][0]} and {d['distinct_units'][1][0]} distinct units":
            [(f"layer {i + 1} weights", models[d["first"]].linears()[i].weight.data) for i in range(2)]
        for n, d in data.items()}, title=f"Hidden weights after {counted(steps, 'step')} (seed {seeds[0]}): "
                                         "identical units = identical columns")
    settings = {"seeds": seeds, "width": width, "steps": steps, "lr": lr, "constant": constant,
                "random_scheme": random_scheme, "data": "moons(200, noise=0.1)"}
    return ExperimentResult("symmetry", "Symmetry: why the weights must be random", "If all weights start equal, do "
                            "the hidden units ever become different?", {"main": main}, data, settings, findings,
                            {"weights": figure})


def training(rng: Rng = 0, quick: bool = False, *, seeds: int | None = None, steps: int | None = None,
             lr: float = 0.01, sizes: Sequence[int] | np.ndarray = (2, 10, 5, 1)) -> ExperimentResult:
    """deeplearning.ai's "Initialization" assignment (Improving Deep Neural Networks, week 1) at its settings: the
    ReLU net 2-10-5-1 with a sigmoid output (the BCE of the logits), 300 training and 100 test points of two circles
    (sklearn's `make_circles(noise=0.05, factor=0.8)` but angles drawn at random), 15,000 full-batch steps (quick
    3,000) at lr 0.01 from zeros, `10 * randn` and He. Tables `main` (median and range over seeds) and `seeds` (every
    network), figure `loss`."""
    steps, lr, gen, seeds = _plan("training", rng, quick, seeds, steps, (3000, 15000), lr)
    widths = [check_int("training", f"sizes[{i}]", n, 1) for i, n in enumerate(sizes if ordered(sizes) else [sizes])]
    if len(widths) < 2 or widths[0] != 2 or widths[-1] != 1:
        raise ValueError("training: sizes must run from 2 inputs to 1 output, e.g. (2, 10, 5, 1), got "
                         + quoted(tuple(widths) if ordered(sizes) else sizes))
    sizes = widths
    (X, y), (Xt, yt) = (_data.circles(n, noise=0.05, factor=0.8, rng=gen) for n in (300, 100))
    inits = {"zeros": "zeros", "large10": _init.get("large", scale=10.0), "he_normal": "he_normal"}
    runs = [("zeros", 0)] + [(k, s) for k in ("large10", "he_normal") for s in seeds]
    models = [nn.MLP(list(sizes), activation="relu", init=inits[k], rng=s) for k, s in runs]
    hist = fit(models, X, y, steps=steps, lr=lr, every=max(1, steps // 300))
    test = np.array([accuracy(m, Xt, yt) for m in models])
    rows, per_seed, findings, data = [], [], [], {"step": hist["step"]}
    for k in inits:
        idx = [i for i, (q, _) in enumerate(runs) if q == k]
        loss, train, tst = hist["loss"][idx], hist["accuracy"][idx, -1], test[idx]
        data[k] = {"loss": loss, "train_accuracy": train, "test_accuracy": tst, "seeds": [runs[i][1] for i in idx]}
        rows.append([k, _init.get(inits[k]).formula, len(idx), float(np.median(loss[:, 0])), *band(loss[:, -1]),
                     *_accuracies(train), *_accuracies(tst)])
        per_seed += [[k, runs[i][1], hist["loss"][i, -1], hist["accuracy"][i, -1], test[i]] for i in idx]
        lost = int((np.isnan(train) | np.isnan(tst)).sum())
        findings.append(f"{label(k)}: train accuracy {_spread(train, summary=_accuracies)}, test "
                        f"{_spread(tst, summary=_accuracies)}, final loss {_spread(loss[:, -1], '{:.3g}')} ("
                        f"{'median (lowest-highest) of ' * (len(idx) > 1)}{counted(len(idx), 'network')}"
                        + f", {lost} diverged: nan logits" * bool(lost) + ").")
    big, he = np.round(100 * data["large10"]["train_accuracy"]), 100 * data["he_normal"]["train_accuracy"]  # as shown
    what = "cannot be judged a lottery from one network" if len(seeds) < 2 else "is a lottery" if np.ptp(big) > max(
        10, 2 * np.ptp(he)) else "is not clearly more of a lottery than He" if np.isfinite([*big, *he]).all() else \
        "cannot be compared with He (a network diverged)"
    zero, spread = format_number(data["zeros"]["loss"][0, -1], 4), f"{np.ptp(big):.0f}"  # (nan if one diverged)
    findings.append(f"Large 10*randn {what}: over seeds {seeds} it reaches {', '.join(f'{v:.0f}%' for v in big)} "
                    f"train accuracy, a spread of {counted(spread, 'point')}, while He varies by "
                    f"{np.ptp(he):.0f} and "
                    f"zeros stays at {data['zeros']['train_accuracy'][0]:.0%}, loss "
                    f"{zero}{' = ln 2' if zero == format_number(LN2, 4) else ''}"
                    + " (a lottery: a spread of more than 10 points and more than twice He's)" * what.startswith("is")
                    + ".")
    net, lost = "-".join(map(str, sizes)), int((np.isnan(test) | np.isnan(hist["accuracy"][:, -1])).sum())
    main = Table(["init", "formula", "networks", "initial_loss"] + [f"{q}_{k}" for q in ("final_loss", "train_accuracy",
                 "test_accuracy") for k in ("median", "min", "max")], rows,
                 title=f"deeplearning.ai 'Initialization': a {net} ReLU net on circles, {steps} full-batch steps, "
                       f"lr {lr:g}, seeds {seeds}",
                 notes=["loss: binary cross-entropy of the logits (ln 2 = 0.6931 for a constant 50/50 guess)",
                        "the assignment reports train/test 50%/50% (zeros), 83%/86% (random*10), 99%/96% (He) for "
                        "its one draw after 15,000 steps", "data: circles with noise 0.05 and inner radius 0.8 as "
                        "sklearn's make_circles, but angles drawn at random (sklearn spaces them evenly) and our own "
                        "seeds"] + [
                           f"accuracy: of the networks that did not diverge ({lost} did: nan logits)"] * bool(lost))
    figure = partial(plots.training_figure, hist["step"], {k: data[k]["loss"] for k in inits},
                     {k: (data[k]["train_accuracy"], data[k]["test_accuracy"]) for k in inits},
                     title=f"deeplearning.ai 'Initialization': {net} ReLU net on circles, lr {lr:g}, full batch: "
                           f"median of {counted(len(seeds), 'seed')}, band = lowest to highest")
    every = Table(["init", "seed", "final_loss", "train_accuracy", "test_accuracy"], per_seed, title="Every network")
    return ExperimentResult(
        "training", "Training from zeros, 10*randn and He (deeplearning.ai)", "Does the same network learn the circles "
        "from zeros, from 10*randn and from He init?", {"main": main, "seeds": every}, data,
        {"seeds": seeds, "steps": steps, "lr": lr, "sizes": list(sizes), "data": "circles(noise=0.05, factor=0.8): "
         "300 train, 100 test"}, findings, {"loss": figure})


def depth(rng: Rng = 0, quick: bool = False, *, seeds: int | None = None, layers: Sequence[int] = (22, 30),
          width: int = 16, samples: int = 64, steps: int | None = None, lr: float = 0.03, momentum: float = 0.9,
          schemes: Sequence[str] = ("xavier_uniform", "he_normal")) -> ExperimentResult:
    """He et al. (2015), Figs. 2 and 3 in miniature: MLPs of `layers` x `width` ReLU units from Xavier (`Var(W) = 1/n`
    halves the variance a layer, as `E[relu(z)^2] = Var(z) / 2`) and from He (`2/n`) learn `moons(samples)` by
    full-batch gradient descent at `lr` for `steps` (1,200, quick 500); the caveat repeats the deeper net with momentum
    0.9 at the same effective step (lr (1 - momentum)). Table `main` (per panel and init: seeds that left ln 2, when,
    the final loss), figure `depth`; `data[scheme]["loss"]` the deeper net's median curve under plain SGD, `["panels"]`
    every seed's."""
    fn = "depth"
    if not ordered(layers):
        raise TypeError(f"{fn}: layers must be a list of depths such as (22, 30), got {quoted(layers)}")
    layers, schemes = [check_int(fn, "layers", v, 1) for v in layers], check_names(fn, "schemes", schemes, check_scheme)
    if not 0 < len(layers) == len(set(layers)) <= 2:
        raise ValueError(f"{fn}: layers must be one depth or two different ones (the shallow net, then the deep one), "
                         f"got {layers}")
    width, samples = check_int(fn, "width", width, 1), check_int(fn, "samples", samples, 2)
    steps, lr, gen, seeds = _plan(fn, rng, quick, seeds, steps, (500, 1200), lr)
    momentum = check_real(fn, "momentum", momentum, 0.0, 1.0, high_open=True)
    X, y = _data.moons(samples, noise=0.1, rng=gen)
    panels = [(layers[0], 0.0), (layers[-1], 0.0), (layers[-1], momentum)]
    rows, findings, curves, data = [], [], {}, {sc: {"panels": {}} for sc in schemes}
    for n_layers in dict.fromkeys(p[0] for p in panels):
        mus = [mu for d, mu in dict.fromkeys(panels) if d == n_layers]
        runs = [(mu, sc, s) for mu in mus for sc in schemes for s in seeds]
        models = [nn.MLP([2] + [width] * n_layers + [1], activation="relu", init=sc, rng=s) for _, sc, s in runs]
        hist = fit(models, X, y, steps=steps, lr=[lr * (1 - mu) for mu, _, _ in runs], momentum=[r[0] for r in runs],
                   every=max(1, steps // 100))
        for mu, losses in zip(mus, hist["loss"].reshape(len(mus), len(schemes), len(seeds), -1)):
            key = counted(n_layers, "layer") + (f", momentum {mu:g}, lr {lr * (1 - mu):g}" if mu else
                                                 f", plain SGD, lr {lr:g}")
            curves[key], back, spans = (hist["step"], {}), [], []
            for sc, loss in zip(schemes, losses):  # (seeds, records)
                hit = np.where(np.isfinite(loss), loss, np.inf) < LN2 / 2
                first = np.where(hit.any(axis=1), hist["step"][hit.argmax(axis=1)], np.inf)
                back.append(int((hit.any(axis=1) & ~hit[:, -1]).sum()))  # fell below, and ended above it again
                spans.append(first[np.isfinite(first)])
                rows.append([n_layers, mu, lr * (1 - mu), sc, len(seeds), int(hit.any(axis=1).sum()),
                             float(np.median(first)), *band(loss[:, -1]), int((~np.isfinite(loss[:, -1])).sum())])
                data[sc]["panels"][key], curves[key][1][sc] = {"loss": loss, "first_below_half_ln2": first}, loss
                if (n_layers, mu) == panels[1]:  # the headline: the deeper net, plain SGD
                    data[sc].update(step=hist["step"], loss=band(loss)[0])
            found = []
            for r, b, t in zip(rows[-len(schemes):], back, spans):  # the median seed's step, the seeds', how many
                each = f", the seeds that got there at steps {t.min():.0f}-{t.max():.0f}" if len(set(t)) > 1 else ""
                notes = [f"the median seed by step {r[6]:.0f}{each}"] * math.isfinite(r[6]) + [
                    f"{b} of them above it again at the end"] * bool(b)
                found.append(f"{label(r[3]).split(' ')[0]} in {r[5]} of {counted(r[4], 'seed')}"
                             + f" ({'; '.join(notes)})" * bool(notes) + f", {r[-1]} diverged" * bool(r[-1]))
            findings.append(f"{key}: the loss falls below ln 2 / 2 within {counted(steps, 'step')} for "
                            f"{' and for '.join(found)}.")
    left = {(r[0], r[1]): r[5] for r in rows if r[3] == schemes[0]}
    if left[(layers[-1], momentum)] > left[(layers[-1], 0.0)]:
        nets = counted(len(seeds), label(schemes[0]).split(" ")[0] + " net")  # "1 Xavier net", not "nets"
        findings.append(f"The caveat: with He et al.'s momentum {momentum:g} at the same effective step, "
                        f"{left[(layers[-1], momentum)]} of {nets} of {layers[-1]} layers leave ln 2, against "
                        f"{left[(layers[-1], 0.0)]} with plain SGD: in miniature the stall depends on the optimizer "
                        "too, not on the init alone.")
    main = Table(["layers", "momentum", "lr", "init", "networks", "left_ln2", "median_step_below_half_ln2",
                  "final_loss_median", "final_loss_min", "final_loss_max", "diverged"], rows,
                 title=f"He et al. (2015) in miniature: {width}-unit ReLU layers on moons({samples}), full batch, "
                       f"{counted(steps, 'step')}, seeds {seeds}",
                 notes=["left_ln2: seeds whose loss fell below ln 2 / 2 = 0.347 (step inf: never); diverged: inf or "
                        "nan", f"momentum runs take lr (1 - momentum) = {lr * (1 - momentum):g}: the same effective "
                        f"step as plain SGD at lr {lr:g}", "He et al. trained convolutional nets on ImageNet with "
                        "momentum 0.9: Fig. 2 (22 layers): both converge, theirs sooner; Fig. 3 (30 layers): 'Xavier' "
                        "stalls, theirs converges"])
    words = [label(sc).split(" ")[0] for sc in schemes]  # the schemes run: "Xavier vs He" by default (their names
    names = " vs ".join(words if len(set(words)) == len(words) else schemes)  # where two would read alike)
    figure = partial(plots.curves, curves, xlabel="step", ylabel="loss", log=False, sharey=True, hlines={"ln 2": LN2},
                     title=f"{names} in deep ReLU nets: median of {counted(len(seeds), 'seed')}, band = lowest to "
                           "highest")
    settings = {"seeds": seeds, "layers": layers, "width": width, "steps": steps, "lr": lr, "momentum": momentum,
                "schemes": list(schemes), "data": f"moons({samples}, noise=0.1)"}
    return ExperimentResult(
        "depth", f"Depth: {names} in {'- and '.join(map(str, layers))}-layer ReLU nets (He et al. 2015)", "Can deep "
        f"ReLU networks learn from {' init, and from '.join(names.split(' vs '))} init?", {"main": main}, data,
        settings, findings, {"depth": figure})


def sigmoid_saturation(rng: Rng = 0, quick: bool = False, *, seeds: int | None = None, layers: int = 4,
                       width: int = 32, samples: int = 200, steps: int | None = None, lr: float = 4.0,
                       scheme: str = "glorot_standard") -> ExperimentResult:
    """Glorot & Bengio (2010), Fig. 2 in miniature: a sigmoid MLP from Glorot's "standard" `U(+-1/sqrt(fan_in))`
    learns `moons` (full batch, `steps` 3,000, quick 1,000) and its top hidden layer saturates at 0: the loss falls
    fastest by pushing the top layer's 0.5s to 0, where they no longer disturb the logits, and there `sigma' ~ 0` slows
    all learning until it desaturates. Table `main` (per layer the mean activation at the start, lowest, and end),
    figure `saturation`."""
    fn = "sigmoid_saturation"
    layers, width = check_int(fn, "layers", layers, 2), check_int(fn, "width", width, 1)
    steps, lr, gen, seeds = _plan(fn, rng, quick, seeds, steps, (1000, 3000), lr)
    X, y = _data.moons(check_int(fn, "samples", samples, 2), noise=0.1, rng=gen)
    models = [nn.MLP([2] + [width] * layers + [1], activation="sigmoid", init=check_scheme(fn, scheme), rng=s)
              for s in seeds]
    hist = fit(models, X, y, steps=steps, lr=lr, every=max(1, steps // 150), watch=True)
    mean, loss = band(hist["hidden_mean"])[0], band(hist["loss"])[0]  # medians over the seeds
    low = mean.argmin(axis=0)
    rows = [[l + 1, mean[0, l], mean[low[l], l], int(hist["step"][low[l]]), mean[-1, l]] for l in range(layers)]
    top, below = rows[-1], mean[:low[-1] + 1, :-1]  # the lower layers until the top one is at its lowest
    fell, rose = top[2] < top[1] - 0.05, top[4] > top[2] + 0.05  # the words follow the means (0.05: visibly)
    two = partial(format_number, digits=2)  # a mean near 0 keeps its digits: 0.015, not 0.01
    findings = [f"The top hidden layer (layer {layers}) " + ("falls from a mean of {} to {} by step {}" if fell
                else "stays near its starting mean of {} (lowest {}, at step {})").format(two(top[1]), two(top[2]),
                                                                                          top[3]) +
                f" while {f'layers 1-{layers - 1} stay' if layers > 2 else 'layer 1 stays'} " + span(
                    below.min(), below.max(), two, "between {} and {}", "at {}") +
                f"; it {'recovers to' if rose else 'is still at'} {two(top[4])} "
                f"by step {steps} as the loss {'falls' if loss[-1] < 0.99 * loss[0] else 'goes'} from "
                f"{format_number(loss[0])} to {format_number(loss[-1])} (medians of {counted(len(seeds), 'seed')})."]
    each = hist["hidden_mean"][:, :, -1]  # (seeds, records): each seed's own lowest top-layer mean, and when
    lows, when = each.min(axis=1), hist["step"][each.argmin(axis=1)]
    findings[0] += (" Seed by seed its lowest mean is " + span(lows.min(), lows.max(), two)
                    + ", at " + span(when.min(), when.max(), "{}", "steps {}-{}", "step {}") + ".") * (len(seeds) > 1)
    main = Table(["layer", "mean_start", "mean_lowest", "step_of_lowest", "mean_end"], rows,
                 title=f"Glorot & Bengio (2010) in miniature: {layers} x {width} sigmoid layers, {label(scheme)}, "
                       f"moons({samples}), full batch, lr {lr:g}, {counted(steps, 'step')}, seeds {seeds}",
                 notes=["mean: the layer's mean activation over the data and its units; median over the seeds",
                        "Glorot & Bengio, Fig. 2 (hidden layers of 1,000 sigmoid units on Shapeset-3x2, mini-"
                        "batches of 10): the top hidden layer saturates at 0 early and slowly desaturates"])
    panels = {"mean activation of each hidden layer": (hist["step"], {f"layer {l + 1}": hist["hidden_mean"][:, :, l]
                                                                      for l in range(layers)}),
              "training loss": (hist["step"], {"_loss": hist["loss"]})}
    figure = partial(plots.curves, panels, xlabel="step", log=["training loss"], title=f"{layers} sigmoid layers of "
                     f"{width}, {label(scheme)}: median of {counted(len(seeds), 'seed')}, band = lowest to highest")
    return ExperimentResult(
        "saturation", "Sigmoid: the top hidden layer saturates (Glorot & Bengio 2010)", "Where do the hidden layers of "
        "a deep sigmoid network sit while it learns?", {"main": main}, {k: hist[k] for k in ("step", "hidden_mean",
        "loss")}, {"seeds": seeds, "layers": layers, "width": width, "steps": steps, "lr": lr, "scheme": scheme,
        "data": f"moons({samples}, noise=0.1)"}, findings, {"saturation": figure})
