"""Weight initialization: one general rule, its presets, and one table that states every formula once.

A scheme is called as `f(shape, rng=None, dtype=np.float32, **params)`, `shape` `(fan_in, fan_out)` as in the
lecture, its parameters by keyword (`constant((3,), 5)` is seed 5, not PyTorch's `constant_(w, 5)`). The rule,
[variance_scaling][tinygrad_init.nn.init.variance_scaling], draws iid zero-mean entries of `Var(W) = scale / n`,
`n` = `fan_in`, `fan_out` or their mean. The table `SCHEMES` (its rows are the schemes, as `init.he_normal`) writes
each formula once: that text draws the weights, gives `Scheme.std` to the theory and prints `table()` and the docs
page. The same `rng` seed gives the same array, byte for byte (drawn in float64, rounded once).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import difflib
import functools
import math
import numbers
import operator
import re
import types
import warnings
from typing import Any, Callable, Mapping, Sequence, overload

import numpy as np

from .activations import calculate_gain, check_slope, key as _key
from ..core.inputs import real_dtype, sizes
from ..core.tensor import Tensor, changed_in_place, no_grad
from ..utils import (MAX_SIZE, Rng, Same, as_rng, check_bool, check_choice, check_int, check_real, is_torch, moments,
                     quoted, unoffered)

__all__ = ["Scheme", "SCHEMES", "fans", "variance_scaling", "zeros", "ones", "constant", "normal", "uniform", "small",
           "large", "cs231n", "glorot_standard", "xavier_uniform", "xavier_normal", "lecun_normal", "lecun_uniform",
           "he_normal", "he_uniform", "orthogonal", "sparse", "lsuv", "get", "names", "describe", "table",
           "calculate_gain", "TRUNCATED_NORMAL_STD"]

TRUNCATED_NORMAL_STD = 0.87962566103423978
"""The std of a standard normal cut to [-2, 2]: sqrt(1 - 4 phi(2) / (Phi(2) - Phi(-2)))."""

Shape = Sequence[int] | int
_FAN = {"fan_in": "fan_in", "fan_out": "fan_out", "fan_avg": "(fan_in+fan_out)/2"}
_LAW = {"normal": "N(0, {V})", "uniform": "U(-{sqrt(3*V)}, +{sqrt(3*V)})", "constant": "{M}",
        "truncated_normal": "N(0, {V}) truncated at 2 std, rescaled to that variance"}
_TORCH = {"a": "negative_slope", "nonlinearity": "relu's is he_*, another's variance_scaling(scale=gain**2)"}


_CALLS = {"sqrt": math.sqrt, "max": max, "ceil": lambda x: math.ceil(x * (1 - 1e-12))}  # 0.07*100 = 7.000000000000001
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_parse = functools.lru_cache(maxsize=None)(lambda text: ast.parse(text, mode="eval").body)


def _names(text: Any) -> set[str]:  # the names a formula reads (none for what is no formula)
    return {n.id for n in ast.walk(_parse(text)) if isinstance(n, ast.Name)} if isinstance(text, str) else set()


def _value(node: ast.expr, env: Mapping[str, Any]) -> float:
    """The number of a formula, its names taken from `env` (`x**2` is `x*x`, as the samplers square)."""
    if isinstance(node, (ast.Constant, ast.Name)):
        return node.value if isinstance(node, ast.Constant) else env[node.id]
    if isinstance(node, ast.Call):
        return _CALLS[node.func.id](*(_value(a, env) for a in node.args))
    if isinstance(node, ast.UnaryOp): return {ast.USub: -1, ast.UAdd: 1}[type(node.op)] * _value(node.operand, env)
    a, b = _value(node.left, env), _value(node.right, env)
    return (a * a if b == 2 else a ** b) if isinstance(node.op, ast.Pow) else _OPS[type(node.op)](a, b)


# Reading a formula: is `node` a `op` / a literal (of one of `values`); the tidy `a op b`.
def _is(node: ast.expr, op: type) -> bool: return isinstance(node, ast.BinOp) and isinstance(node.op, op)
def _num(n: ast.expr, *values: float) -> bool: return isinstance(n, ast.Constant) and (not values or n.value in values)
def _bin(a: ast.expr, op: type, b: ast.expr) -> ast.expr: return _tidy(ast.BinOp(a, op(), b), {})


def _tidy(node: ast.expr, env: Mapping[str, Any]) -> ast.expr:
    """A formula for reading, the numbers and sub-formulas of `env` put in: whole numbers become literals,
    0 and 1 go where they change nothing, literal factors fold and cancel, `sqrt(1/x)` is `1/sqrt(x)` and
    `sqrt(g^2 x)` is `g sqrt(x)`."""
    if isinstance(node, ast.Name):
        v = env.get(node.id)
        if isinstance(v, numbers.Real):
            whole = v >= 0 and float(v).is_integer()  # a negative number goes in parentheses: (-1)^2, 1-(-1)
            return ast.Constant(int(v)) if whole else ast.Name(f"({v:g})" if v < 0 else f"{v:g}")
        return v if isinstance(v, ast.AST) else node
    if isinstance(node, ast.Call):
        args, f = [_tidy(a, env) for a in node.args], node.func
        num, den = (args[0].left, args[0].right) if _is(args[0], ast.Div) else (args[0], None)
        if f.id == "sqrt" and _is(num, ast.Mult) and _is(num.left, ast.Pow) and _num(num.left.right, 2):
            rest = num.right if den is None else _bin(num.right, ast.Div, den)
            return _bin(num.left.left, ast.Mult, _tidy(ast.Call(f, [rest], []), {}))
        if f.id == "sqrt" and den is not None and _num(num, 1):
            return _bin(num, ast.Div, ast.Call(f, [den], []))
        return ast.Call(f, args, [])
    if not isinstance(node, ast.BinOp):
        return node
    a, b, op = _tidy(node.left, env), _tidy(node.right, env), type(node.op)
    if op in (ast.Add, ast.Sub) and _num(b, 0) or op is ast.Add and _num(a, 0):
        return b if _num(a, 0) and op is ast.Add else a
    if op is ast.Mult and (_num(a, 0, 1) or _num(b, 0, 1)):
        return b if _num(a, 1) or _num(b, 0) else a  # 0 * x: a (0), x * 0: b (0), 1 * x: b, x * 1: a
    if op is ast.Mult and _num(a) and _num(b):
        return ast.Constant(a.value * b.value)
    if op is ast.Mult and _num(a) and _is(b, ast.Div):
        return _bin(_bin(a, ast.Mult, b.left), ast.Div, b.right)
    if op is ast.Mult and _num(a) and _is(b, ast.Mult) and _num(b.right):
        return _bin(b.left, ast.Mult, ast.Constant(a.value * b.right.value))
    if op is ast.Div and (_num(b, 1) or _num(a, 0)):
        return a
    if op is ast.Div and (_is(a, ast.Div) or _is(b, ast.Div)):
        return _bin(_bin(a, ast.Mult, b.right), ast.Div, b.left) if _is(b, ast.Div) else \
            _bin(a.left, ast.Div, _bin(a.right, ast.Mult, b))
    if op is ast.Div and _num(a) and _is(b, ast.Mult) and _num(b.left) and a.value % b.left.value == 0:
        return _bin(ast.Constant(a.value // b.left.value), ast.Div, b.right)
    return a if op is ast.Pow and (_num(a, 0, 1) or _num(b, 1)) else ast.BinOp(a, node.op, b)


def _text(formula: str, env: Mapping[str, Any]) -> str:
    """`formula` as tidy text (`^` for powers); in a template, each `{formula}` piece so replaced."""
    if "{" in formula:
        return re.sub(r"\{([^{}]+)\}", lambda m: _text(m[1], env), formula)
    text = re.sub(r" ([-+*/]) ", r"\1", ast.unparse(_tidy(_parse(formula), env)).replace(" ** ", "^"))
    return text[1:-1] if re.fullmatch(r"\(-[^()]*\)", text) else text  # a negative number alone needs no ()


_CHECKS: dict[str, Callable[[str, str, Any], Any]] = {
    **dict.fromkeys(("scale", "gain", "std"), lambda fn, k, v: check_real(fn, k, v, 0.0)),
    **dict.fromkeys(("value", "a", "b"), check_real), "negative_slope": check_slope,
    "sparsity": lambda fn, k, v: check_real(fn, k, v, 0.0, 1.0, high_open=True),
    "mode": lambda fn, k, v: check_choice(fn, k, _key(v), tuple(_FAN)),
    "distribution": lambda fn, k, v: check_choice(fn, k, _key(v), ("normal", "truncated_normal", "uniform"))}


def _shape(fn: str, shape: Any, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    """`shape` as a tuple of sizes and `dtype` as a float dtype, or an error naming `fn`."""
    shape = (shape,) if isinstance(shape, numbers.Integral) and not isinstance(shape, bool) else shape
    if not (isinstance(shape, (tuple, list)) or isinstance(shape, np.ndarray) and shape.ndim == 1):
        fill = "fill a PyTorch weight (fan_out, fan_in) with torch.nn.init" if is_torch(shape) else (
            f"to fill a weight w, w{'.data' * (not isinstance(shape, np.ndarray))}[:] = init.{fn}(w.shape)")
        raise TypeError(f"{fn}: shape must be a tuple of sizes such as (fan_in, fan_out) for a weight or (fan_out,) "
                        f"for a bias, got {type(shape).__name__} " + (quoted(shape) if getattr(shape, "shape", ()) == ()
                        else f"of shape {tuple(shape.shape)}; {fill}"))
    return sizes(tuple(shape), fn, 0, f"shape {quoted(tuple(shape))}"), real_dtype(dtype, fn, floating=True)


def fans(shape: Sequence[int], where: str = "fans") -> tuple[int, int]:
    """`(fan_in, fan_out)` of a weight: its two axes, or for a kernel `(in_channels, out_channels,
    *receptive_field)` `(shape[0] * r, shape[1] * r)`, `r = prod(shape[2:])` (so a PyTorch kernel
    `(out, in, kh, kw)` is passed as `(in, out, kh, kw)`). 0-D and 1-D shapes raise a ValueError naming `where`."""
    shape = _shape(where, shape, np.float64)[0]
    if len(shape) < 2:
        raise ValueError(f"{where}: shape {shape} is {'1-D (a bias vector?)' if shape else 'a scalar'}; fan_in and "
                         "fan_out are undefined because it has no separate input and output axes. Initialize "
                         "biases with zeros, constant or normal, which need no fans, or pass (fan_in, fan_out).")
    return shape[0] * (r := math.prod(shape[2:])), shape[1] * r  # r: the receptive field


def _fans(fn: str, shape: tuple[int, ...], mode: str) -> dict[str, int]:
    env = dict(zip(("fan_in", "fan_out"), fans(shape, fn)))
    if mode and _value(_parse(_FAN[mode]), env) == 0:  # (mode "": a Scheme's own Var(W), which says where it divides)
        raise ValueError(f"{fn}: shape {shape} has {mode} = 0, so the variance scale/{mode} is undefined")
    return env


def _uniform(shape: tuple[int, ...], gen: np.random.Generator, dt: np.dtype, a: float, b: float) -> np.ndarray:
    """`U(a, b)`, clipped after the rounding to `dt` (a float64 just below `b` may round above it)."""
    arr = np.asarray(gen.uniform(a, b, shape), dt, order="C")
    lo = np.nextafter(dt.type(a), dt.type(np.inf)) if float(dt.type(a)) < a else dt.type(a)
    hi = np.nextafter(dt.type(b), dt.type(-np.inf)) if float(dt.type(b)) > b else dt.type(b)
    return np.clip(arr, lo, hi, out=arr)


def _truncated(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Standard normals conditioned on |z| <= 2, by rejection (about 95.4% are kept)."""
    size, filled, out = math.prod(shape), 0, np.empty(math.prod(shape))
    while filled < size:
        z = rng.standard_normal(int((size - filled) * 1.06) + 16)
        z = z[np.abs(z) <= 2.0][:size - filled]
        out[filled:filled + z.size], filled = z, filled + z.size
    return out.reshape(shape)


def _draw_orthogonal(shape: tuple[int, ...], gen: np.random.Generator, dt: np.dtype, gain: float) -> np.ndarray:
    rows, cols = fans(shape, "orthogonal")[0], shape[1]  # with a 0 among them, q is empty
    q, r = np.linalg.qr(gen.standard_normal((max(rows, cols), min(rows, cols))))
    q = q * np.where(np.diag(r) == 0, 1.0, np.sign(np.diag(r)))  # Mezzadri's sign fix
    return np.moveaxis((gain * (q if rows >= cols else q.T)).reshape((shape[0], *shape[2:], cols)), -1, 1)


def _draw_cs231n(shape: tuple[int, ...], gen: np.random.Generator, dt: np.dtype) -> np.ndarray:
    return gen.standard_normal(shape) / math.sqrt(_fans("cs231n", shape, "fan_in")["fan_in"])


def _draw_sparse(shape: tuple, gen: np.random.Generator, dt: np.dtype, sparsity: float, std: float) -> np.ndarray:
    if len(shape) != 2:
        raise ValueError(f"sparse: needs a 2-D shape (fan_in, fan_out), got {shape}")
    w, n_zero = gen.standard_normal(shape) * std, min(shape[0], _CALLS["ceil"](sparsity * shape[0]))
    if n_zero:  # no zero to place: no draws taken from a shared Generator (a (k, 0) shape draws none anyway)
        np.put_along_axis(w, np.argsort(gen.random(shape), axis=0)[:n_zero], 0.0, axis=0)
    return w


def variance_scaling(shape: Shape, scale: float = 1.0, mode: str = "fan_in", distribution: str = "normal",
                     rng: Rng = None, dtype: Any = np.float32) -> np.ndarray:
    """The general rule: iid zero-mean entries of `shape` with `Var(W) = scale / n` (`scale` 1 for LeCun, 2 for
    He, gain^2 for Xavier), `n` by `mode`: `"fan_in"` (keeps the forward variance), `"fan_out"` (the backward
    one) or `"fan_avg"`; `distribution` `"normal"`, `"truncated_normal"` (cut at two std, rescaled by
    `1 / TRUNCATED_NORMAL_STD` to the exact variance) or `"uniform"` (`U(-sqrt(3 Var), +sqrt(3 Var))`)."""
    return SCHEMES["variance_scaling"](shape, rng, dtype, scale=scale, mode=mode, distribution=distribution)


def lsuv(model: Same, batch: Any, tol: float = 0.1, max_iter: int = 10, rng: Rng = None) -> Same:
    """Layer-sequential unit-variance init (Mishkin & Matas 2015) of `model`, in place; returns `model`.

    Each weight matrix (a module's 2-D `weight`, as `nn.Linear`'s) is made `orthogonal`; then, layer by layer in the
    order `model(batch)` calls them, while the variance `v` of its output on `batch` `(batch, fan_in)` (no grad) is
    off 1 by more than `tol`, at most `max_iter` times, `W <- W / sqrt(v)`. A `RuntimeWarning` names a layer left
    off (a large bias can do that); an error leaves the weights as they were. The passes run in the model's mode (a
    training-mode `BatchNorm1d` normalizes by `batch`'s statistics, as in training) but are measurements: running
    statistics are restored."""
    tol, max_iter = check_real("lsuv", "tol", tol, 0.0), check_int("lsuv", "max_iter", max_iter, 1)
    if not callable(getattr(model, "named_modules", None)):
        raise TypeError(f"lsuv: model must be an nn.Module, got {type(model).__name__}")
    layers = [(name or "<model>", m) for name, m in model.named_modules()
              if isinstance(getattr(m, "weight", None), Tensor) and m.weight.ndim == 2]
    if not layers:
        raise ValueError("lsuv: the model has no nn.Linear layer (no module with a 2-D weight) to initialize")
    try:
        batch = batch if isinstance(batch, Tensor) else Tensor(batch, dtype=layers[0][1].weight.dtype)
    except (TypeError, ValueError) as e:  # named as lsuv's batch, not as a Tensor the user did not make
        raise type(e)(f"lsuv: batch must be numbers (batch, fan_in); {str(e).removeprefix('Tensor: ')}") from None
    saved, gen = [layer.weight.data.copy() for _, layer in layers], as_rng(rng, "lsuv")
    buffers = [(m, k, v.copy()) for _, m in model.named_modules() for k, v in vars(m).items()
               if isinstance(v, np.ndarray)]  # BatchNorm1d's running_mean, running_var
    changed_in_place(*(layer.weight for _, layer in layers))  # a graph built before now must not backward
    try:
        for _, layer in layers:
            layer.weight.data[...] = orthogonal(layer.weight.shape, rng=gen, dtype=layer.weight.dtype)
        calls: list[Any] = []  # the layers in the order model(batch) calls them, whatever their declaration order
        with contextlib.ExitStack() as hooks, no_grad():
            for _, layer in layers:
                hooks.enter_context(layer.register_forward_hook(lambda m, x, out: calls.append(m)))
            model(batch)
        for name, layer in sorted(layers, key=lambda nl: calls.index(nl[1]) if nl[1] in calls else len(calls)):
            _lsuv_layer(model, batch, name, layer, tol, max_iter)
    except BaseException:  # the model as it was, not half initialized
        for (_, layer), w in zip(layers, saved):
            layer.weight.data[...] = w
        raise
    finally:
        for m, k, v in buffers:
            setattr(m, k, v)
    return model


def _lsuv_layer(model: Any, batch: Tensor, name: str, layer: Any, tol: float, max_iter: int) -> None:
    """LSUV's rescaling of one layer: `W <- W / sqrt(v)` while its output variance `v` on `batch` is off 1."""
    for i in range(max_iter + 1):
        seen: list[Any] = []  # the layer's output on `batch`
        with layer.register_forward_hook(lambda m, x, out: seen.append(getattr(out, "data", out))), no_grad():
            model(batch)
        if not seen:
            raise RuntimeError(f"lsuv: layer {name!r} was not called by model(batch); every Linear layer must be used")
        var, w = (s := moments(seen[0]).std) * s, layer.weight.data  # float64; nan for no values, without a warning
        if abs(var - 1.0) <= tol or i == max_iter: break
        if not 0 < var < math.inf:
            raise ValueError(f"lsuv: layer {name!r} output has variance {var} over its {seen[0].size} value(s): it "
                             "cannot be rescaled to 1 (is the batch one example, or its input zeros, e.g. dead ReLUs?)")
        w[...] = (w / math.sqrt(var)).astype(w.dtype)
    if abs(var - 1.0) > tol:  # within 100 eps of 1 the weights' rounding keeps it off (the tol is too small)
        why = f"{w.dtype} rounding" if abs(var - 1.0) < 100 * np.finfo(w.dtype).eps else "a large bias or a tiny batch"
        warnings.warn(f"lsuv: layer {name!r} has output variance {var:.4g} (off 1 by {abs(var - 1.0):.2g}) after "
                      f"{max_iter} rescalings (target 1 +- {tol:g}); {why} can prevent it", RuntimeWarning, 3)


class Scheme:
    """A row of the table and a scheme: `scheme(shape, rng=None, dtype=np.float32, **params)` draws a weight.

    The formula, written once: `var`, `Var(W)` in the parameters and `fan_in`, `fan_out`, drawn by `law` ("normal",
    "uniform", "truncated_normal" or "constant" of value `mean`), or a preset's `rule`, the `(scale, mode,
    distribution)` it gives `variance_scaling`; `draw(shape, gen, dtype, **params)` samples what they cannot, `text`
    shows `W ~` as the source writes it. `params` are bound (read-only); `data_dependent` is True for LSUV."""

    def __init__(self, name: str, var: str | None = None, law: str = "normal", *, rule: Sequence[str] = (),
                 text: str = "", draw: Callable[..., np.ndarray] | None = None,
                 params: Mapping[str, Any] | Sequence[tuple[str, Any]] = (), mean: str = "0",
                 aliases: Sequence[str] = (), source: str = "-", reference: str = "", note: str = "") -> None:
        self.name, self.var_formula, self.law, self.rule, self.text, self.draw = name, var, law, rule, text, draw
        self.mean_formula, self.aliases, self.source, self.reference = mean, tuple(aliases), source, reference or source
        self.note, self.data_dependent, self.defaults = note, var is None and not rule, dict(params)
        self._params, self.__name__ = self.defaults, name
        for arg, text, fans in (("var", var, ("fan_in", "fan_out")), ("mean", mean, ())):  # the names each reads:
            if unknown := sorted(_names(text) - {*self.defaults, *_CALLS, *fans}):  # the params, and Var(W) the fans
                given = ", ".join(self.defaults) or "none given"  # (the mean is read with no shape: mean(), a constant)
                raise ValueError(f"Scheme {name!r}: {arg}={text!r} names {', '.join(unknown)}, " + (
                    f"neither one of its params ({given}) nor fan_in, fan_out" if fans else f"not one of its params "
                    f"({given}): a mean is of its params alone, drawn for any shape"))

    params = property(lambda self: types.MappingProxyType(self._params), doc="The bound parameters (read-only).")

    def spec(self, params: Mapping[str, Any]) -> tuple[str | None, str, str]:
        """`(Var(W), law, mode)` for `params`: a preset's `Var(W)` is `scale / n` (its mode's fan), LSUV's None."""
        if not self.rule:
            return self.var_formula, self.law, ""
        mode, law = (params[x] if x in self.defaults else x for x in self.rule[1:])
        return f"({self.rule[0]})/({_FAN[mode]})", law, mode

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The bound parameters with `params` over them, checked (a TypeError names the accepted ones)."""
        if unknown := sorted(set(params) - set(self.defaults)):
            raise TypeError(f"{self.name}: unknown parameter(s) {', '.join(unknown)}; it takes rng (a seed or a np."
                            f"random.Generator, PyTorch's generator), {', '.join(['dtype', *self.defaults])}" +
                            "".join(f" (PyTorch's {k}: {_TORCH[k]})" for k in unknown if k in _TORCH))
        out = {**self.params, **{k: _CHECKS[k](self.name, k, v) if k in _CHECKS else v for k, v in params.items()}}
        if out.get("a", 0) > out.get("b", math.inf):
            raise ValueError(f"{self.name}: the lower bound a = {out['a']:g} is greater than the upper bound "
                             f"b = {out['b']:g}")
        return out

    def configure(self, **params: Any) -> Scheme:
        """A copy with `params` bound (checked now, not at the first call), its `__name__` showing those that changed
        (`"he_normal(mode='fan_out')"`, what a layer's repr shows)."""
        s = copy.copy(self)
        s._params = self.bind(params)
        s.__name__ = f"{s.name}({s._changed()[2:]})" if s._changed() else s.name
        return s

    def _changed(self) -> str:
        return "".join(f", {k}={v!r}" for k, v in self.params.items() if self.defaults[k] != v)

    def __call__(self, shape: Shape, rng: Rng = None, dtype: Any = np.float32, **params: Any) -> np.ndarray:
        if self.data_dependent:
            raise TypeError(f"{self.name} is data-dependent and cannot draw a weight from a shape alone: build the "
                            "model (e.g. with init='orthogonal'), then call init.lsuv(model, batch)")
        if isinstance(dtype, numbers.Number) or isinstance(rng, numbers.Real) and not isinstance(rng, numbers.Integral):
            arg, v, what = ("dtype", dtype, "a numpy floating dtype") if isinstance(dtype, numbers.Number) else (
                "rng", rng, "a np.random.Generator, an int seed or None")  # as from PyTorch's normal_(w, 0, 1)
            kw = "".join(f", {k}=..." for k in self.defaults)
            raise TypeError(f"{self.name}: {arg} must be {what}, got {type(v).__name__} {quoted(v)}; after the shape "
                            "come rng and dtype" + f", the parameters by keyword: {self.name}(shape{kw}, rng=0) "
                            "(PyTorch's initializers take them by position)" * bool(kw))
        p, (shape, dt) = self.bind(params), _shape(self.name, shape, dtype)
        (var, law, mode), gen = self.spec(p), as_rng(rng, self.name)
        try:
            with np.errstate(over="raise"):  # a weight beyond the dtype's range is an error, not inf
                if law == "constant":
                    return np.full(shape, _value(_parse(self.mean_formula), p), dtype=dt)
                if self.draw:
                    return np.asarray(self.draw(shape, gen, dt, **p), dt, order="C")
                env = {**p, **(_fans(self.name, shape, mode) if mode or {"fan_in", "fan_out"} & _names(var) else {})}
                try:
                    var = _value(_parse(var), env)
                except ZeroDivisionError:  # a formula of one's own (1/fan_out at (4, 0)); a preset's: _fans checks
                    raise ValueError(f"{self.name}: Var(W) = {var} divides by zero at shape {shape}" + " (fan_in "
                                     f"{env['fan_in']}, fan_out {env['fan_out']})" * ("fan_in" in env)) from None
                if var == math.inf: raise OverflowError  # std**2 > 1.8e308: inf in Python's floats, without a flag
                if law == "uniform":
                    return _uniform(shape, gen, dt, -math.sqrt(3.0 * var), math.sqrt(3.0 * var))  # Var: b^2/3
                if law == "truncated_normal":
                    return np.asarray(_truncated(shape, gen) * (math.sqrt(var) / TRUNCATED_NORMAL_STD), dt, order="C")
                return np.asarray(gen.standard_normal(shape) * math.sqrt(var), dt, order="C")
        except (FloatingPointError, OverflowError):
            raise ValueError(f"{self.name}: {quoted(p)} draws weights beyond {dt.name}'s range "
                             f"+-{np.finfo(dt).max:.4g}") from None

    @property
    def formula(self) -> str:
        """How `W` is drawn, e.g. `"N(0, 2/fan_in)"`."""
        if self.data_dependent:
            return self.text
        (var, law, _), p = self.spec(self.params), self.params
        given = {"V": _tidy(_parse(var), p), "M": _tidy(_parse(self.mean_formula), p)}
        return _text(self.text or _LAW[law], {**p, **given})

    @property
    def variance(self) -> str:
        """`Var(W)` as text, e.g. `"2/fan_in"`."""
        return "set by the data" if self.data_dependent else _text(self.spec(self.params)[0], self.params)

    def std(self, fan_in: int, fan_out: int) -> float:
        """The std of one entry of a `(fan_in, fan_out)` weight, `sqrt(Var(W))`: what the theory uses."""
        if self.data_dependent:
            raise ValueError(f"{self.name}: the std is not determined by the shape ({self.name} is data-dependent); "
                             "measure it on the initialized model instead")
        env = {**self.params, "fan_in": check_int(f"{self.name}.std", "fan_in", fan_in, 1, maximum=MAX_SIZE),
               "fan_out": check_int(f"{self.name}.std", "fan_out", fan_out, 1, maximum=MAX_SIZE)}
        return math.sqrt(_value(_parse(self.spec(env)[0]), env))

    def mean(self) -> float:
        """The mean of one entry (0 but for ones, constant and uniform(a, b))."""
        return float(_value(_parse(self.mean_formula), self.params))

    def row(self) -> dict[str, Any]:
        """The row as a dict: name, aliases, formula, variance, rule (a preset's call), source, reference, note..."""
        rule = f"variance_scaling({_text(self.rule[0], {})}, {', '.join(self.rule[1:])})" if self.rule else ""
        return {"name": self.name, "aliases": ", ".join(self.aliases), "formula": self.formula,
                "variance": self.variance, "rule": rule, "source": self.source, "reference": self.reference,
                "note": self.note, "data_dependent": self.data_dependent}

    def __repr__(self) -> str:
        return f"Scheme({self.name!r}{self._changed()}: {self.formula})"

    def __str__(self) -> str:
        r = {**self.row(), "params": ", ".join(f"{k}={v!r}" for k, v in self.params.items())}
        r[""] = r["reference"] if r["reference"] != r["source"] else ""
        lines = [f"{self.name}: {r['formula']}", f"  Var(W)  {r['variance']}"]
        lines += [f"  {k:<7} {r[k]}" for k in ("aliases", "params", "rule", "source", "", "note") if r[k]]
        return "\n".join(lines + ["  data-dependent: call it on a model and a batch"] * self.data_dependent)


_CS231N = "Stanford CS231n (2017), lecture 6, Training Neural Networks I (Li, Johnson & Yeung)"
_GLOROT = "Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS"
_LECUN = "LeCun, Bottou, Orr & Müller (1998), Efficient BackProp, in Neural Networks: Tricks of the Trade"
_HE = "He, Zhang, Ren & Sun (2015), Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet " \
      "Classification, ICCV"
_HE_SCALE, _HE_PARAMS = "2/(1+negative_slope**2)", {"mode": "fan_in", "negative_slope": 0.0}
_CS = "CS231n (2017), lecture 6"

zeros = Scheme("zeros", "0", "constant", aliases=("zero",),
               note="biases; as weights every unit stays identical (symmetry is never broken)")
"""All zeros, the usual bias (PyTorch's `zeros_`)."""
ones = Scheme("ones", "0", "constant", mean="1", aliases=("one",))
"""All ones (PyTorch's `ones_`)."""
constant = Scheme("constant", "0", "constant", mean="value", params={"value": 0.0})
"""Every entry `value` (PyTorch's `constant_`)."""
normal = Scheme("normal", "std**2", params={"std": 1.0}, aliases=("gaussian",), source="PyTorch nn.init.normal_",
                note="a fixed std, whatever the fan")
"""Gaussian entries of a fixed `std` (PyTorch's `normal_`)."""
uniform = Scheme("uniform", "(b-a)**2/12", text="U({a}, {b})", mean="(a+b)/2", params={"a": 0.0, "b": 1.0},
                 draw=_uniform, source="PyTorch nn.init.uniform_", note="mean (a+b)/2, not 0, unless a = -b")
"""Uniform entries between `a` and `b` (PyTorch's `uniform_`)."""
small = Scheme("small", "scale**2", text="{scale}*N(0, 1)", params={"scale": 0.01}, aliases=("small_random",),
               source=_CS, reference=_CS231N, note="activations shrink by ~0.01*sqrt(fan_in) per tanh layer")
"""CS231n's small random numbers: a deep tanh net's signal vanishes."""
large = Scheme("large", "scale**2", text="{scale}*N(0, 1)", params={"scale": 1.0}, aliases=("large_random",),
               source=_CS, reference=_CS231N, note="pre-activation std ~sqrt(fan_in): tanh/sigmoid saturate")
"""CS231n's large random numbers: a deep tanh net saturates."""
cs231n = Scheme("cs231n", "1/fan_in", text="randn(fan_in, fan_out)/sqrt(fan_in) = N(0, {V})", reference=_CS231N,
                draw=_draw_cs231n,
                aliases=("xavier_cs231n", "cs231n_xavier"), source=f"{_CS}, slide 'Xavier initialization'",
                note='"Xavier" #3: what the CS231n slides call Xavier; same variance as lecun_normal')
"""The CS231n slides' "Xavier", drawn as their one-liner."""
glorot_standard = Scheme("glorot_standard", rule=("1/3", "fan_in", "uniform"), aliases=("xavier_standard",),
                         reference=_GLOROT, source="Glorot & Bengio (2010), eq. 1 ('standard')",
                         note='"Xavier" #2: the common heuristic the paper starts from')
"""Glorot & Bengio's "standard" heuristic, which the paper argues against."""
xavier_uniform = Scheme("xavier_uniform", rule=("gain**2", "fan_avg", "uniform"), params={"gain": 1.0},
                        reference=_GLOROT, aliases=("glorot_uniform", "glorot_normalized", "xavier_normalized"),
                        source="Glorot & Bengio (2010), eq. 16 ('normalized')",
                        note='"Xavier" #1: PyTorch xavier_uniform_, Keras glorot_uniform')
"""Glorot & Bengio's normalized init (PyTorch's `xavier_uniform_`, Keras' `glorot_uniform`)."""
xavier_normal = Scheme("xavier_normal", rule=("gain**2", "fan_avg", "normal"), params={"gain": 1.0},
                       source="Glorot & Bengio (2010), eq. 12 variance; PyTorch xavier_normal_", reference=_GLOROT,
                       aliases=("glorot_normal",), note="the normalized init's variance, Gaussian; Keras' "
                       "glorot_normal draws it from a truncated normal")
"""The normalized init's variance, Gaussian (PyTorch's `xavier_normal_`; Keras' `glorot_normal` truncates it)."""
lecun_normal = Scheme("lecun_normal", rule=("1", "fan_in", "normal"), aliases=("lecun",), reference=_LECUN,
                      source="LeCun et al. (1998), sec. 4.6", note="Keras/JAX draw it from a truncated normal")
"""LeCun et al.'s init, Gaussian: the variance kept through (near-)linear units."""
lecun_uniform = Scheme("lecun_uniform", rule=("1", "fan_in", "uniform"), source="LeCun et al. (1998), sec. 4.6",
                       reference=_LECUN)
"""LeCun et al.'s init, uniform."""
he_normal = Scheme("he_normal", rule=(_HE_SCALE, "mode", "normal"), params=_HE_PARAMS, reference=_HE,
                   aliases=("kaiming_normal", "he", "kaiming", "msra"), source="He et al. (2015), eq. 10 / 14 / 15",
                   note="keeps the ReLU pre-activation variance constant; Keras draws it from a truncated normal")
"""He et al.'s init for (leaky) ReLU nets, Gaussian (PyTorch's `kaiming_normal_`, its `a` our `negative_slope`; its
`nonlinearity="tanh"` is `get("variance_scaling", scale=calculate_gain("tanh")**2, mode=...)` here)."""
he_uniform = Scheme("he_uniform", rule=(_HE_SCALE, "mode", "uniform"), params=_HE_PARAMS, aliases=("kaiming_uniform",),
                    source="He et al. (2015); PyTorch kaiming_uniform_", reference=_HE)
"""He et al.'s init for (leaky) ReLU nets, uniform (PyTorch's `kaiming_uniform_`, `a` as for `he_normal`)."""
_VARIANCE_SCALING = Scheme("variance_scaling", rule=("scale", "mode", "distribution"), source="Keras "
                           "VarianceScaling, JAX variance_scaling", note="the general rule; every fan-based preset but "
                           "cs231n is a call of it", params={"scale": 1.0, "mode": "fan_in", "distribution": "normal"})
orthogonal = Scheme("orthogonal", "gain**2/max(fan_in, fan_out)", draw=_draw_orthogonal, params={"gain": 1.0},
                    text="{gain}*Q, Q from QR of a Gaussian, sign-fixed", note="W.T @ W = gain^2 I when fan_in >= "
                    "fan_out; a kernel (in, out, *r) is the (fan_in, out) matrix, Var(W) = gain^2/max(fan_in, out)",
                    source="Saxe et al. (2014); sign fix Mezzadri (2007)",
                    reference="Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning"
                              " in deep linear neural networks, ICLR 2014 (arXiv:1312.6120, 2013); Mezzadri (2007), How"
                              " to generate random matrices from the classical compact groups, Notices of the AMS")
"""A random (semi-)orthogonal matrix times `gain` (PyTorch's `orthogonal_`)."""
sparse = Scheme("sparse", "std**2*(fan_in-ceil(sparsity*fan_in))/fan_in", draw=_draw_sparse, source="Martens (2010)",
                params={"sparsity": 0.9, "std": 0.01}, text="N(0, {std**2}) with {ceil(sparsity*fan_in)} zeros per "
                "column", reference="Martens (2010), Deep learning via Hessian-free optimization, ICML",
                note="each unit gets the same number of non-zero incoming weights (Martens: 15); the fraction "
                "and std=0.01 are PyTorch's sparse_, which on its (out, in) weight thins input units instead")
"""Martens' sparse init: a fixed number of zeros in each column, i.e. in each unit's incoming weights."""
_LSUV = Scheme("lsuv", None, text="orthogonal, then per layer W <- W/sqrt(Var(x W + b)) until ~1",
               aliases=("layer_sequential_unit_variance",), source="Mishkin & Matas (2015)",
               reference="Mishkin & Matas (2015), All you need is a good init, arXiv:1511.06422 (ICLR 2016)",
               note="call init.lsuv(model, batch) on a built model")
SCHEMES: dict[str, Scheme] = {s.name: s for s in list(globals().values()) if isinstance(s, Scheme)}
"""The table, name -> `Scheme`: the rows above in their order, every scheme's formula written there once."""
_BY_NAME = {key: s for s in SCHEMES.values() for key in (s.name, *s.aliases)}
_XAVIERS = (xavier_uniform, glorot_standard, cs231n)  # "Xavier" #1, #2, #3


@overload
def get(scheme: str | Scheme, **params: Any) -> Scheme: ...  # for type checkers and IDEs: a name gives a Scheme
@overload
def get(scheme: Callable[..., np.ndarray], **params: Any) -> Callable[..., np.ndarray]: ...
def get(scheme: str | Callable[..., np.ndarray], **params: Any) -> Callable[..., np.ndarray]:
    """The `Scheme` of a name (or a `Scheme`, or a function `f(shape, rng=None, dtype=np.float32)`, then a
    `functools.partial`) with `params` bound: `init.get("kaiming-normal", mode="fan_out")((256, 128), rng=0)`.
    Names ignore case and `-`/`_`, with the literature's aliases (`glorot_*` is `xavier_*`, `kaiming_*` is
    `he_*`); an unknown name lists the valid ones, and the bare "xavier" and "glorot" are ambiguous."""
    if isinstance(scheme, str):
        key = _key(scheme)
        if key in ("xavier", "glorot", "xavier_glorot", "glorot_xavier"):
            raise ValueError(f"init.get: {scheme!r} is ambiguous: the literature uses it for three formulas. Choose "
                             "one: " + "; ".join(f"{s.name!r}: {s.formula}, {s.source}" for s in _XAVIERS))
        if key not in _BY_NAME:
            close = difflib.get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.6)
            raise ValueError(f"init.get: unknown initialization scheme {scheme!r}."
                             f"{f' Did you mean {close[0]!r}?' if close else ''} Valid names: {', '.join(names())} "
                             f"(aliases: {', '.join(names(aliases=True)[len(SCHEMES):])})")
        scheme = _BY_NAME[key]
    if isinstance(scheme, Scheme):
        return scheme.configure(**params) if params else scheme
    if not callable(scheme):
        raise TypeError(f"init.get: expected a scheme name or a function f(shape, rng=None, dtype=np.float32), "
                        f"got {type(scheme).__name__} {scheme!r}")
    return functools.partial(scheme, **params) if params else scheme


def _initialize(where: str, what: str, scheme: str | Callable[..., np.ndarray], shape: tuple[int, ...],
                rng: np.random.Generator, dtype: Any) -> tuple[np.ndarray, str]:
    """A layer's `what` ("weight", "bias") drawn by `scheme` (as for `get`) and the scheme's name; `where` (the
    layer) and its argument (`init`, `bias_init`) are named when the scheme is unknown, a function has the wrong
    signature or returns the wrong shape."""
    try:
        fn = get(scheme)
    except (TypeError, ValueError) as e:
        arg = "init" if what == "weight" else f"{what}_init"
        raise type(e)(f"{where}: {arg}, the {what} initializer: {str(e).removeprefix('init.get: ')}") from None
    name = scheme if isinstance(scheme, str) else getattr(getattr(fn, "func", fn), "__name__", type(fn).__name__)
    try:
        arr = np.asarray(fn(shape, rng=rng, dtype=dtype))
    except TypeError as e:
        if isinstance(fn, Scheme): raise TypeError(f"{where}: {e}") from None  # its message names the scheme
        raise TypeError(f"{where}: the {what} initializer {name!r} failed ({e}); it must be a function "
                        "f(shape, rng=None, dtype=np.float32)") from e
    except ValueError as e:  # e.g. a fan-based scheme given a bias: say which layer and which argument
        raise ValueError(f"{where}: the {what} initializer {name!r}: {str(e).removeprefix(f'{name}: ')}") from None
    if arr.shape != shape or arr.dtype.kind in "fiu" and not (abs(arr) <= np.finfo(dtype).max).all():  # nan out
        raise ValueError(f"{where}: the {what} initializer " + (f"returned shape {arr.shape}, expected {shape}" if
                         arr.shape != shape else f"{name!r} returned nan, inf or values beyond {np.dtype(dtype)}'s "
                         "range; check its formula (a zero fan?)"))
    return arr, name


def names(aliases: bool = False) -> list[str]:
    """The canonical scheme names in table order; with `aliases=True` the aliases follow."""
    more = check_bool("init.names", "aliases", aliases)
    return [*SCHEMES, *(a for s in SCHEMES.values() for a in s.aliases)] if more else list(SCHEMES)


def describe(name: str | Scheme, where: str = "describe") -> Scheme:
    """The `Scheme` row of `name` (`print` it for a description card); an error names `where`, the function called."""
    try:
        if isinstance(s := get(name), Scheme):
            return s
    except (TypeError, ValueError) as e:
        raise type(e)(str(e).replace("init.get:", f"{where}:", 1)) from None
    raise TypeError(f"{where}: {getattr(name, '__name__', name)!r} is a plain function, not a named scheme")


def table(fmt: str = "text") -> str | list[dict[str, Any]]:
    """Every row of the table (`Scheme.row`): `"rows"` (dicts), `"markdown"` (what the docs page of the schemes
    holds) or `"text"` (aligned columns for a terminal or a slide), the texts ending with "Which Xavier?"."""
    rows, fmt = [s.row() for s in SCHEMES.values()], check_choice("table", "fmt", fmt, ("text", "markdown", "rows"))
    if fmt == "rows":
        return rows
    if fmt == "markdown":
        def code(text: str) -> str: return f"`{text}`".replace("|", "\\|") if text else ""
        star = str.maketrans({"*": "\\*"})  # a plain * would start emphasis
        lines = ["| name | aliases | W ~ | Var(W) | as variance_scaling | source | note |", "|---" * 7 + "|"]
        lines += [f"| `{r['name']}` | {', '.join(code(a) for a in r['aliases'].split(', ') if a)} | "
                  f"{code(r['formula'])} | {code(r['variance'])} | {code(r['rule'])} | {r['source']} | "
                  f"{r['note'].translate(star)} |" for r in rows]
        lines += ["", "**Which Xavier?** Three formulas go by that name:", ""]
        lines += [f"{i}. `{s.name}`: `{s.formula}`; Var(W) = `{s.variance}`. {s.source}."
                  for i, s in enumerate(_XAVIERS, 1)]
        return "\n".join(lines) + "\n"
    width = {c: max(len(c), *(len(r[c]) for r in rows)) for c in ("name", "formula", "variance")}
    lines = ["  ".join(c.ljust(w) for c, w in width.items()) + "  source"]
    lines += ["-" * len(lines[0]), *("  ".join(r[c].ljust(w) for c, w in width.items()) + "  " + r["source"]
                                     for r in rows), "", "Which Xavier? Three formulas go by that name:"]
    lines += [f"  {i}. {s.name}: {s.formula}  (Var {s.variance})\n     {s.source}" for i, s in enumerate(_XAVIERS, 1)]
    return "\n".join(lines) + "\n"


def __getattr__(name: str) -> Any:  # PyTorch's in-place spellings, xavier_uniform_(w): say what to write here
    if name.endswith("_") and (s := _BY_NAME.get(_key(name[:-1]))):
        raise unoffered(name, f"init.{name}: PyTorch's in-place initializers are not here; each scheme draws an "
                               f"array: w.data[:] = init.{s.name}(w.shape{''.join(f', {k}=...' for k in s.params)}, "
                               f"rng=0), or build the layer with it, nn.Linear(fan_in, fan_out, init={name[:-1]!r})")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

