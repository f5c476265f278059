"""Mean-field theory: predict each layer's statistics from the init and the activation alone.

The recursions and the edge of chaos (Poole et al. 2016; Schoenholz et al. 2017) are derived in
docs/concepts/mean-field.md; each function states what it computes. The Gaussian integrals: the registry's closed forms
for the ReLU family (`tinygrad_init.nn.activations`; Cho & Saul's arc-cosine kernel for pairs), a quadrature exact at
any variance for tanh and sigmoid (`_nodes`; pairs through erf's closed form, `_pair`)."""

from __future__ import annotations

import math
import numbers
import sys
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss

from ..nn import activations as _acts, init as _init
from ..utils import MAX_SIZE, check_int, check_real, check_type, counted, equal_fields, ordered, quoted, renamed

__all__ = ["gaussian_expectation", "activation_moments", "Moments", "predict", "TheoryResult", "fixed_point",
           "FixedPoint", "chi1", "correlation_map", "correlation_fixed_point", "critical_sigma_w2", "depth_scales"]


def gaussian_expectation(f: Callable[[np.ndarray], np.ndarray], var: float, n: int = 101) -> float:
    """`E_{z ~ N(0, var)}[f(z)]` by `n`-point Gauss-Hermite quadrature, `sum_i w_i f(sqrt(var) x_i) / sqrt(2 pi)`
    (probabilists' nodes): exact for polynomials of degree below `2n`, accurate for an `f` smooth on the scale of
    `sqrt(var)` (`activation_moments` stays exact for large variances too). `f` maps a numpy array elementwise."""
    if check_int("gaussian_expectation", "n", n, 1) > 370:  # measured: 371 points sum E[z^2] to 0, from 372 to NaN
        raise ValueError(f"gaussian_expectation: n must be <= 370 (numpy's Gauss-Hermite weights overflow beyond), "
                         f"got {n if n < 10**6 else f'a number of {len(str(int(n)))} digits'}; 101 points are exact "
                         "for polynomials of degree below 202")
    x, w = hermegauss(int(n))
    check_type("gaussian_expectation", "f", f, Callable, "a function of a numpy array")
    values = np.asarray(f(math.sqrt(check_real("gaussian_expectation", "var", var, 0.0)) * x), dtype=np.float64)
    if values.shape != x.shape:
        raise ValueError(f"gaussian_expectation: f must map an array of shape {x.shape} to the same shape, got "
                         f"{values.shape}; write it with numpy operations (np.tanh, np.maximum, ...)")
    return float(w @ values) / math.sqrt(2.0 * math.pi)


_GL_X, _GL_W = leggauss(5)


def _nodes(q: float, width: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Standard-normal nodes `z` and weights `w` with `E[g(sqrt(q) z)] ~= w @ g(sqrt(q) z)`, about 1e-14 at any `q`: a
    composite 5-point Gauss-Legendre rule over `+-12 sqrt(q)` (at most `+-40`, the tail mass beyond put there, where
    tanh and sigmoid are constant), panels no wider than `sqrt(q)/2` or `width` (0.5 leaves 1e-9 for tanh)."""
    if q == 0.0:
        return np.zeros(1), np.ones(1)
    s = math.sqrt(q)
    big = min(12.0 * s, 40.0)
    panels = max(2, math.ceil(2.0 * big / min(width, s / 2.0)))
    edges = np.linspace(-big, big, panels + 1)
    mid, half = (edges[:-1] + edges[1:]) / 2.0, (edges[1:] - edges[:-1]) / 2.0
    u = (mid[:, None] + half[:, None] * _GL_X).ravel()
    w = (half[:, None] * _GL_W).ravel() * np.exp(-u * u / (2.0 * q)) / (math.sqrt(2.0 * math.pi) * s)  # 2 pi q: inf
    tail = 0.5 * math.erfc(big / (s * math.sqrt(2.0)))  # the mass beyond +-big, put at +-big
    return np.concatenate([[-big], u, [big]]) / s, np.concatenate([[tail], w, [tail]])


def _activation(fn: str, name: Any, negative_slope: float = _acts.NEGATIVE_SLOPE, **variances: float) -> tuple:
    """The registry's activation (leaky_relu of `negative_slope`, `|a| <= 1e150`: `(1 + a^2) / 2` is in its moments),
    the slope `a` of the ReLU family (0 relu, 1 linear, else nan), `variances` (>= 0)."""
    act = _acts.get(name, where=fn)
    slopes = {"relu": 0.0, "linear": 1.0, "leaky_relu": _acts.check_slope(fn, "negative_slope", negative_slope)}
    a = slopes.get(act.name, math.nan)
    act = _acts.leaky_relu(a) if act.name == "leaky_relu" else act
    return (act, a, *(check_real(fn, k, v, 0.0) for k, v in variances.items()))


def _integrals(act: _acts.Activation, q: float) -> tuple[float, float, float, float]:
    """`(E f, E f^2, E f'^2, dE[f^2]/dq)` of `u ~ N(0, q)`; the last is `E[u f f'] / q`."""
    if act.moments:  # the ReLU family: the registry's closed forms, homogeneous: E[f^2] = q E[f^2](q=1)
        return (*act.moments(q), act.moments(1.0)[1])
    mean = sum(act.limits) / 2.0  # tanh and sigmoid are odd about (0, their middle): exact by symmetry
    if q < 1e-300:  # to first order in q, exact in float64 (f''(0) = 0); a subnormal q leaves the weights no digits
        return mean, mean * mean + q * (d0 := float(act.derivative(np.zeros(1))[0]) ** 2), d0, d0
    z, w = _nodes(q)
    u = math.sqrt(q) * z
    f, d = act.fn(u), np.where(np.abs(u) < 39.0, act.derivative(u), 0.0)  # 0 at the tail's +-40 (sigmoid' 4e-18)
    # dE[f^2]/dq -> f'(0)^2 as q -> 0; sigmoid's f(0) E[u f'] = 0 cancels in rounding, 1e-16 / sqrt(q) off, below 1e-10
    slope = _integrals(act, 0.0)[3] if mean and q <= 1e-10 else float(w @ (u * f * d)) / q
    return mean, float(w @ (f * f)), float(w @ (d * d)), slope


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """A root of `f` in `[lo, hi]`, where `f(lo) < 0 <= f(hi)`, to a relative 1e-13."""
    while hi - lo > 1e-13 * max(1.0, abs(lo)):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Moments:
    """Gaussian moments of an activation at one pre-activation variance `q`: `mean` `E[f(z)]`, `second` `E[f(z)^2]`,
    `deriv_second` `E[f'(z)^2]` (the backward gain), `saturated` (tanh, sigmoid: `P(f(z)` within `1 - t` of a limit),
    `t` the threshold: `|tanh z| > 0.99` by default), `zero` (ReLU: `P(f(z) = 0)`, its inactive units) and `std`
    `sqrt(E[f^2] - E[f]^2)`."""

    mean: float
    second: float
    deriv_second: float
    saturated: float
    zero: float
    std: float


def activation_moments(name: str, var: float, negative_slope: float = _acts.NEGATIVE_SLOPE,
                       threshold: float = 0.99) -> Moments:
    """The `Moments` of `f(z)`, `z ~ N(0, var)`, for `name` in the activation registry (leaky_relu of `negative_slope`),
    saturated meaning within `1 - threshold` of a limit of `f`; at `q = 0` the derivative is the engine's."""
    fn = "activation_moments"
    act, a, q = _activation(fn, name, negative_slope, var=var)
    t = check_real(fn, "threshold", threshold, 0.0, 1.0, low_open=True, high_open=True)
    mean, second, deriv, _ = _integrals(act, q)
    if not math.isfinite(second):  # leaky_relu's (1 + a^2) var / 2 (the others' E[f^2] is at most var)
        raise ValueError(f"{fn}: E[f(z)^2] of leaky_relu (negative_slope {a:g}) at var {q:g} overflows float64; take "
                         f"var below {sys.float_info.max / (1.0 + a * a) * 2.0:.2g}")
    hi, saturated = act.limits[1], 0.0
    if math.isfinite(hi):  # f is odd about its middle: P(|z| > edge), f(edge) = hi - (1 - t); edge 0 where the middle
        # is that close to a limit already (sigmoid at t <= 1/2: every output is, at q = 0 the middle itself if t < 1/2)
        edge = _bisect(lambda z: float(act.fn(np.float64(z))) - (hi - (1.0 - t)), 0.0, 40.0) if (
            mean < hi - (1.0 - t)) else 0.0
        saturated = math.erfc(edge / math.sqrt(2.0 * q)) if q > 0 else float(mean > hi - (1.0 - t))
    zero = (0.5 if q > 0 else 1.0) if a == 0.0 else 0.0
    # sigmoid(z) = (1 + tanh(z / 2)) / 2 has variance E[tanh(z / 2)^2] / 4; E[f^2] - 1/4 rounds q/16 away (q < 1e-9)
    var = _integrals(_acts.get("tanh"), q / 4.0)[1] / 4.0 if act.name == "sigmoid" else second - mean * mean
    return Moments(mean, second, deriv, saturated, zero, math.sqrt(max(var, 0.0)))


@dataclass
class TheoryResult:
    """Predicted per-layer statistics of an MLP (index `l - 1` holds layer `l`): arrays of the stds of `W_l`, `y_l`,
    `h_l` (and its mean), the saturated (tanh, sigmoid) and zero (ReLU) fractions, the stds of `dL/dh_l` (the last one
    `grad_std_top`), `dL/dy_l`, `dL/dW_l` and `dL/db_l`; `grad_input_std` is that of `dL/dx`."""

    widths: tuple[int, ...]
    activations: tuple[str, ...]
    init: str
    weight_std: np.ndarray
    pre_std: np.ndarray
    act_mean: np.ndarray
    act_std: np.ndarray
    saturated: np.ndarray
    zero_fraction: np.ndarray
    grad_act_std: np.ndarray
    grad_pre_std: np.ndarray
    grad_weight_std: np.ndarray
    grad_bias_std: np.ndarray
    grad_input_std: float
    settings: dict[str, Any] = field(default_factory=dict)
    __eq__ = equal_fields

    @property
    def num_layers(self) -> int:
        return len(self.widths) - 1

    def to_dict(self) -> dict[str, Any]:
        """Plain Python types (lists of floats), ready for JSON."""
        return {k: v.tolist() if isinstance(v, np.ndarray) else list(v) if isinstance(v, tuple) else
                dict(v) if isinstance(v, dict) else v for k, v in vars(self).items()}

    def __repr__(self) -> str:
        cols = {"std(W)": self.weight_std, "std(y)": self.pre_std, "mean(h)": self.act_mean, "std(h)": self.act_std,
                "saturated": self.saturated, "std(dh)": self.grad_act_std, "std(dy)": self.grad_pre_std,
                "std(dW)": self.grad_weight_std}
        rows = [f"{i:>10}{self.widths[i]:>10}" + "".join(f"{v[i - 1]:>10.4g}" for v in cols.values())
                for i in range(1, len(self.widths))]
        head = (f"TheoryResult(widths={list(self.widths)}, init={self.init}, "
                f"activation={'/'.join(dict.fromkeys(self.activations))})")
        return "\n".join([head, "".join(f"{n:>10}" for n in ["layer", "width", *cols]), *rows,
                          f"std(dL/dx) = {self.grad_input_std:.3g}"])


def check_scheme(fn: str, scheme: Any, zero_mean: bool = False, user: str = "predict needs a weight std known from "
                 "the scheme alone (for LSUV: apply it, then pass the measured stds per layer)") -> _init.Scheme:
    """The `init.Scheme` of a name (or a Scheme) that draws weights from their shape alone (not LSUV) and, with
    `zero_mean`, of mean 0 (the mean-field theory's); errors name `fn`; `user` tells LSUV why it does not fit."""
    check_type(fn, "a scheme", scheme, (str, _init.Scheme), "a name such as 'he_normal' or an init.Scheme")
    sc = _init.describe(scheme, fn)
    if sc.data_dependent or zero_mean and sc.mean() != 0.0:
        why = f"is data-dependent (it needs a model and a batch); {user}" if sc.data_dependent else \
            f"has a non-zero mean ({sc.mean():g}) but the mean-field theory assumes zero-mean weights"
        raise ValueError(f"{fn}: {sc.name!r} ({sc.formula}) {why}: pick another scheme")
    return sc


def _overflow(message: str, layer: int, gradient: bool) -> ValueError:
    """`predict`'s error for a variance past float64, carrying where: its `layer`, and whether in the `gradient` pass
    (from the top down) or the forward one (the command line says which options to change from these)."""
    error = ValueError(message)
    error.layer, error.gradient = layer, gradient  # type: ignore[attr-defined]
    return error


def _weight_std(spec: Any, fan_in: int, fan_out: int, l: int) -> tuple[float, str]:
    """Layer `l`'s weight std and label from a scheme (name or `init.Scheme`) or a std."""
    if isinstance(spec, (str, _init.Scheme)):
        sc = check_scheme("predict", spec, zero_mean=True)
        return sc.std(fan_in, fan_out), sc.name
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        std = check_real("predict", f"the weight std of layer {l}", spec, 0.0)
        return std, f"std={std:g}"
    raise TypeError(f"predict: init must be a scheme name, an init.Scheme, a std (float) or a list of those per "
                    f"layer, got {type(spec).__name__} {quoted(spec)} for layer {l}")


def predict(widths: Sequence[int], activation: str | Sequence[str] = "tanh", init: Any = "xavier_normal",
            input_std: float = 1.0, bias_std: float = 0.0, grad_std_top: float = 1.0, *,
            input_mean: float = 0.0, batch_size: int = 1, negative_slope: float = _acts.NEGATIVE_SLOPE,
            saturation_threshold: float = 0.99) -> TheoryResult:
    """Predict per-layer forward and backward statistics of a freshly initialized MLP `h_l = f(h_{l-1} @ W_l + b_l)`,
    weights of std `s_l`, `g_l = dL/dh_l` taken independent of the forward pass (stds over all entries):

        q_l = Var(y_l) = n_{l-1} s_l^2 E[h_{l-1}^2] + sigma_b^2,    E[h_l^k] = E_{z~N(0,q_l)}[f(z)^k]
        Var(dL/dy_l) = E[f'(y_l)^2] Var(g_l),    Var(g_{l-1}) = n_l s_l^2 Var(dL/dy_l)   (n_l = fan_out)
        Var(dL/dW_l) = B E[h_{l-1}^2] Var(dL/dy_l),    Var(dL/db_l) = B Var(dL/dy_l)   (B = batch_size examples summed)

    Args:
        widths: `[n_0, n_1, ..., n_L]`: the input width, then each layer's.
        activation: a name for every layer, or a list of `L` (`[..., "linear"]` for a linear output).
        init: a scheme name or `init.Scheme` (its `std(fan_in, fan_out)`), a weight std, or a list of either per layer.
        input_std: std of the inputs' entries.
        bias_std: std of the biases' entries.
        grad_std_top: std of `dL/dh_L`'s entries.
        input_mean: mean of the inputs' entries (this and the rest by keyword only).
        batch_size: `B`, the examples whose weight and bias gradients are summed.
        negative_slope: of leaky_relu.
        saturation_threshold: `t` in the fraction `P(|tanh y| > t)`."""
    fn = "predict"
    if not isinstance(widths, (list, tuple, range, np.ndarray)) or not ordered(widths) or len(widths) < 2:
        raise ValueError(f"predict: widths must list the input width and at least one layer width "
                         f"[n_0, n_1, ..., n_L], got {quoted(widths)}")
    ws = tuple(check_int(fn, f"widths[{i}]", n, 1, maximum=MAX_SIZE) for i, n in enumerate(widths))
    layers = len(ws) - 1
    names = list(activation) if ordered(activation) else [activation] * layers
    specs = list(init) if (many := ordered(init)) else [init] * layers
    for what, given in (("activations", names), ("init entries", specs)):
        if len(given) != layers:
            raise ValueError(f"predict: {len(given)} {what} given but widths {list(ws)} define "
                             f"{counted(layers, 'layer')}")
    acts = tuple(_acts.get(a, where=fn).name for a in names)
    pairs = [_weight_std(spec, ws[l], ws[l + 1], l + 1) for l, spec in enumerate(specs)]
    w_std, label = np.array([p[0] for p in pairs]), f"[{', '.join(p[1] for p in pairs)}]" if many else pairs[0][1]
    input_std, bias_std, grad_std_top = (check_real(fn, k, v, 0.0, 1e150) for k, v in (  # squares below 1e300
        ("input_std", input_std), ("bias_std", bias_std), ("grad_std_top", grad_std_top)))
    input_mean = check_real(fn, "input_mean", input_mean, -1e150, 1e150)
    slope = _acts.check_slope(fn, "negative_slope", negative_slope)  # squared in leaky_relu's moments
    batch_size = check_int(fn, "batch_size", batch_size, 1, maximum=MAX_SIZE)  # sqrt(B) of an int beyond a float
    sat = check_real(fn, "saturation_threshold", saturation_threshold, 0.0, 1.0, low_open=True, high_open=True)

    # stds, not variances: a variance leaves float64 where its std is in it (below 1e-154), so does a product of
    # variances (1e200 * 1e200). Below q = 1e-200 each activation is linear about 0 or homogeneous (ReLU): its moments
    # at q = 1e-200, their spread scaled by std(y) / 1e-100 (else the theory read 0, and ReLU's zero fraction 1)
    rms, pre, ms = [math.hypot(input_std, input_mean)], [], []  # sqrt(E[h_l^2]), std(y_l) and the moments, l = 1..L
    alive = input_std > 0 or input_mean != 0  # E[h^2] > 0, also where it underflows (ReLU's f'(0) = 0 stopped there)
    for i in range(layers):
        pre.append(math.hypot(math.sqrt(ws[i]) * float(w_std[i]) * rms[-1], bias_std))
        k = (1.0 + slope * slope) / 2.0 if acts[i] == "leaky_relu" else 1.0  # E[f(y)^2] / Var(y), at most (leaky ReLU)
        if not math.isfinite(pre[-1] * pre[-1] * max(k, 1.0)):
            more = (f", negative_slope {slope:g}", ", fewer layers or a smaller negative_slope") if k > 1.0 else (
                "", " or fewer layers")
            raise _overflow(f"predict: the variance of layer {i + 1} overflows (weight std {w_std[i]:g}{more[0]}); use "
                            f"smaller weight stds{more[1]}", i + 1, gradient=False)
        alive, f0 = alive and w_std[i] > 0 or bias_std > 0, float(_acts.get(acts[i]).fn(np.zeros(1))[0])
        m = activation_moments(acts[i], 1e-200 if (tiny := alive and pre[-1] < 1e-100) else pre[-1] * pre[-1],
                               negative_slope=slope, threshold=sat)
        if tiny:
            r = pre[-1] * 1e100
            m = replace(m, mean=f0 + (m.mean - f0) * r, std=m.std * r)
        ms.append(m)
        rms.append(math.hypot(m.mean, m.std) if tiny else math.sqrt(m.second))
        alive = alive or f0 != 0.0
    grad, grad_pre = [grad_std_top], []  # std(dL/dh_l), std(dL/dy_l), from the top down
    for i in reversed(range(layers)):
        grad_pre.insert(0, math.sqrt(ms[i].deriv_second) * grad[0])
        grad.insert(0, math.sqrt(ws[i + 1]) * float(w_std[i]) * grad_pre[0])
        if not math.isfinite(grad[0] * grad[0]):
            raise _overflow(f"predict: the gradient variance overflows below layer {i + 1} (weight std {w_std[i]:g}); "
                            "use smaller weight stds, fewer layers or a smaller grad_std_top", i + 1, gradient=True)
    grad_pre, col = np.array(grad_pre), lambda k: np.array([getattr(m, k) for m in ms])  # noqa: E731
    settings = {"input_std": input_std, "input_mean": input_mean, "bias_std": bias_std, "grad_std_top": grad_std_top,
                "batch_size": batch_size, "negative_slope": slope, "saturation_threshold": sat}
    return TheoryResult(widths=ws, activations=acts, init=label, weight_std=w_std, pre_std=np.array(pre),
                        act_mean=col("mean"), act_std=col("std"), saturated=col("saturated"),
                        zero_fraction=col("zero"), grad_act_std=np.array(grad[1:]), grad_pre_std=grad_pre,
                        grad_weight_std=math.sqrt(batch_size) * np.array(rms[:-1]) * grad_pre,
                        grad_bias_std=math.sqrt(batch_size) * grad_pre, grad_input_std=grad[0],
                        settings=settings)


@dataclass(frozen=True)
class FixedPoint:
    """The fixed point `q*` of the variance map, `chi = chi_1 = sigma_w^2 E[f'(z)^2]` (the gradient variance's factor
    per layer: `< 1` vanishing, `> 1` exploding) and the map's slope there."""

    q: float
    chi: float
    iterations: int
    slope: float = math.nan


def fixed_point(activation: str, sigma_w2: float, sigma_b2: float = 0.0, q0: float = 1.0, *,
                negative_slope: float = _acts.NEGATIVE_SLOPE, tol: float = 1e-10, max_iter: int = 10000) -> FixedPoint:
    """Solve `q = sigma_w^2 E[f(z)^2] + sigma_b^2` (z ~ N(0, q)) for the stable fixed point `q*` reached from `q0`
    (`sigma_w2 = fan_in Var(W)`: 1 for LeCun, 2 for He; `sigma_b2 = Var(b)`): Newton steps on `F(q) - q` where the
    map's slope `F'(q)` is below 1, `q <- F(q)` elsewhere (at least doubling `q` below `q*`), until `q` is within a
    relative `tol` (at least 1e-15, float64's rounding) of `q*` (the residual over `|1 - F'|`, floored at 1e-5 for
    rounding). Raises a ValueError if `q` grows without bound (ReLU with `sigma_w^2 > 2`, or 2 and a bias) or, for
    tanh and sigmoid, passes 1e200, a RuntimeError if not converged after `max_iter` steps."""
    fn = "fixed_point"
    act, a, wv, bv, q = _activation(fn, activation, negative_slope, sigma_w2=sigma_w2, sigma_b2=sigma_b2, q0=q0)
    # relative: 1 or more accepts any q; below 1e-15 float64's rounding of the map leaves no step to take (tol 0 ran
    # out of iterations, blamed on the critical point)
    try:
        tol = check_real(fn, "tol", tol, 1e-15, 1.0, high_open=True)
    except ValueError as e:  # (say why 1e-15: a tol of 0 was taken and ran out of iterations)
        raise ValueError(f"{e}" + ": below 1e-15, float64's rounding of the variance map leaves q* unreached" * (
            bool(0 <= tol < 1e-15))) from None
    # the ReLU family maps q to k q + sigma_b^2 (k = sigma_w^2 E[f^2] at q = 1): unbounded if k > 1, or k = 1 and b
    grows = act.moments and wv * act.moments(1.0)[1] >= 1.0 + (bv == 0.0) * 1e-15
    # tanh without biases: tanh(u)^2 < u^2 makes F(q) < q for sigma_w^2 <= 1, so q* = 0, also at 1 (a double root there)
    q = 0.0 if bv == 0.0 and not act.moments and float(act.fn(np.zeros(1))[0]) == 0.0 and wv <= 1.0 else q
    for it in range(1, check_int(fn, "max_iter", max_iter, 1) + 1):
        _, second, deriv, slope = _integrals(act, q)
        value, slope = wv * second + bv, wv * slope
        if grows or not math.isfinite(value) and act.moments:
            raise ValueError(f"fixed_point: the variance grows without bound ({act.name}, sigma_w^2 = {wv:g}); "
                             "there is no finite fixed point")
        if not value <= 1e200 and not act.moments:  # tanh, sigmoid: q* ~ sigma_w^2 + sigma_b^2, bounded
            raise ValueError(f"fixed_point: q passes 1e200 ({act.name}, sigma_w^2 = {wv:g}, sigma_b^2 = {bv:g}), where "
                             "the map's slope underflows; take sigma_w2 and sigma_b2 below 1e200")
        if abs(value - q) <= tol * max(value, q) * min(1.0, abs(1.0 - slope) + 1e-5) or value == q:  # q* = 0: q -> 0+
            return FixedPoint(q, wv * (deriv if q else _integrals(act, 5e-324)[2]), it, slope)
        # Newton's step, written so that it keeps F(q) at q0 = 1e300; where F'(q) >= 1 and F(q) > q, q* is above
        newton = (value - slope * q) / (1.0 - slope) if slope < 1.0 else -1.0
        q = newton if newton >= 0.0 else max(value, 2.0 * q) if value > q else value
    raise RuntimeError(f"fixed_point: no convergence after {max_iter} iterations (q = {q:.6g}); near the "
                       "critical point the variance approaches its fixed point only slowly")


def chi1(activation: str, sigma_w2: float, sigma_b2: float = 0.0, *,
         negative_slope: float = _acts.NEGATIVE_SLOPE) -> float:
    """`chi_1 = sigma_w^2 E[f'(z)^2]` at the fixed point `q*` (leaky_relu of `negative_slope`); the ReLU family's is
    the same at every `q`, so it has one also where `q` grows without bound (`fixed_point` raises there)."""
    act, a, wv, bv = _activation("chi1", activation, negative_slope, sigma_w2=sigma_w2, sigma_b2=sigma_b2)
    return renamed("chi1", fixed_point, act.name, wv, bv).chi if math.isnan(a) else wv * _integrals(act, 1.0)[2]


def _pair(act: _acts.Activation, a: float, q: float, c: float) -> tuple[float, float]:
    """`(E[f(u_1) f(u_2)], E[f'(u_1) f'(u_2)])`, `u_1, u_2 ~ N(0, q)` of correlation `c` (ReLU family: second nan)."""
    if not math.isnan(a):  # the arc-cosine kernel (Cho & Saul 2009); c* = 1 wherever q* is finite: no slope needed
        angle = math.pi - math.acos(c)
        return (a * q * c + (1 - a) ** 2 * q * (math.sqrt(1 - c * c) + angle * c) / (2 * math.pi), math.nan)
    # f = m + h erf(u) + g: E[erf erf] in closed form (Williams 1997), g and f' local (|u| < 40); each pair by u_1 and
    # the conditional u_2 ~ N(c u_1, v): Gauss-Hermite where v < 1/2, else the grid on +-40 (`_cond`); 1e-9
    m, h, v = sum(act.limits) / 2.0, (act.limits[1] - act.limits[0]) / 2.0, q * max(1.0 - c * c, 0.0)
    g, d = (lambda x: act.fn(x) - m - h * _erf(x)), (lambda x: np.where(np.abs(x) < 39.0, act.derivative(x), 0.0))
    z, w = _nodes(q, width=0.5)
    u, ff = math.sqrt(q) * z, m * m + h * h * 2.0 / math.pi * math.asin(c * q / (q + 0.5))
    ff += 2.0 * h * float(w @ (g(u) * _erf(c * u / math.sqrt(1.0 + 2.0 * v)))) + float(w @ (g(u) * _cond(g, c * u, v)))
    return ff, float(w @ (d(u) * _cond(d, c * u, v)))


_erf = np.vectorize(math.erf, otypes=[np.float64])
_GH_T, _GH_W = hermegauss(60)
_X, _XW = (np.linspace(-39.75, 39.75, 160)[:, None] + 0.25 * _GL_X).ravel(), np.tile(0.25 * _GL_W, 160)  # +-40


def _cond(G: Callable[[np.ndarray], np.ndarray], mu: np.ndarray, v: float) -> np.ndarray:
    """`E[G(x)]`, `x ~ N(mu_i, v)` for each `mu_i`, for a `G` smooth on the scale 1 and 0 beyond +-40."""
    if v < 0.5:
        return G(mu[:, None] + math.sqrt(v) * _GH_T) @ _GH_W / math.sqrt(2.0 * math.pi)
    return np.exp(-(_X - mu[:, None]) ** 2 / (2.0 * v)) @ (_XW * G(_X)) / math.sqrt(2.0 * math.pi * v)


def correlation_map(activation: str, c: float, sigma_w2: float, sigma_b2: float = 0.0, q: float | None = None, *,
                    negative_slope: float = _acts.NEGATIVE_SLOPE) -> float:
    """One layer of the correlation map: `c' = (sigma_w^2 E[f(u_1) f(u_2)] + sigma_b^2) / (sigma_w^2 E[f(u)^2] +
    sigma_b^2)` for two inputs' pre-activations `u_1, u_2 ~ N(0, q)` of correlation `c` in [-1, 1], with `sigma_w2 =
    fan_in Var(W)`, `sigma_b2 = Var(b)`, `q` by default the fixed point `q*` (leaky_relu of `negative_slope`). Where
    both signals are 0 or subnormal (`q = 0` without biases, as at `q* = 0` in the ordered phase), the limit `q -> 0`:
    `c` for a smooth `f` with `f(0) = 0` (it is linear there), the ReLU family's own map (it does not depend on `q`); 1
    with `sigma_w^2 = 0`."""
    act, a, wv, bv = _activation("correlation_map", activation, negative_slope, sigma_w2=sigma_w2, sigma_b2=sigma_b2)
    c = check_real("correlation_map", "c", c, -1.0, 1.0)
    q = renamed("correlation_map", fixed_point, act.name, wv, bv, negative_slope=negative_slope).q if q is None else (
        check_real("correlation_map", "q", q, 0.0))
    if wv == 0:  # both outputs are their biases (or 0)
        return 1.0
    new_q, pair = wv * _integrals(act, q)[1] + bv, wv * _pair(act, a, q, c)[0] + bv
    if sys.float_info.min <= new_q < math.inf and math.isfinite(pair):  # digits to divide, nothing past float64
        # in [-1, 1] by Cauchy-Schwarz, |E[f f]| <= E[f^2]; the two quadratures passed 1 by up to 4e-11 (tanh, q ~ 1)
        return min(max(pair / new_q, -1.0), 1.0)
    if not math.isnan(a):  # the ReLU family's moments are q times those at q = 1: the map in r = sigma_b^2 /
        r = 0.0 if bv == 0 else bv / wv / q if q > 0 else math.inf  # (sigma_w^2 q), of any size (it recursed at q = 1)
        return 1.0 if r == math.inf else min(max((_pair(act, a, 1.0, c)[0] + r) / (_integrals(act, 1.0)[1] + r),
                                                 -1.0), 1.0)
    if max(wv, bv) != 1.0:  # the same map for sigma_w^2 and sigma_b^2 scaled alike, the larger to 1 (a subnormal one
        return correlation_map(act.name, c, wv / max(wv, bv), bv / max(wv, bv), q=q)  # gave c, an overflow nan)
    # sigma_w^2 = 1, E[f^2] subnormal: tanh at a q that small is f'(0) u, its map (c + r) / (1 + r) in r = sigma_b^2 /
    r = bv / (_integrals(act, 0.0)[2] * q) if q > 0 else math.inf if bv else 0.0  # (f'(0)^2 q) (c with no bias)
    return (c + r) / (1.0 + r) if r < math.inf else 1.0


def correlation_fixed_point(activation: str, sigma_w2: float, sigma_b2: float = 0.0, *,
                            negative_slope: float = _acts.NEGATIVE_SLOPE) -> float:
    """The stable fixed point `c*` of the correlation map (leaky_relu of `negative_slope`): 1 in the ordered phase
    (`chi_1 <= 1`), below 1 in the chaotic phase (0 for an odd activation without biases), by Newton steps on the
    convex map from `c = 0`."""
    fn = "correlation_fixed_point"
    act, a, wv, bv = _activation(fn, activation, negative_slope, sigma_w2=sigma_w2, sigma_b2=sigma_b2)
    fp, c = renamed(fn, fixed_point, act.name, wv, bv, negative_slope=negative_slope), 0.0
    if fp.chi <= 1.0 or fp.q == 0.0:
        return 1.0
    norm = wv * _pair(act, a, fp.q, 1.0)[0] + bv  # q*, in the pairs' quadrature: the map at c = 1 is exactly 1
    for _ in range(100):
        pair, dpair = _pair(act, a, fp.q, c)
        value = (wv * pair + bv) / norm  # the map at c; its slope is chi_c = sigma_w^2 dpair (Price's theorem)
        if abs(value - c) <= 1e-13:
            return c
        c = min(c - (value - c) / (wv * dpair - 1.0), 1.0)
    raise RuntimeError(f"correlation_fixed_point: no convergence ({act.name}, sigma_w^2 = {wv:g}, sigma_b^2 = {bv:g})")


def critical_sigma_w2(activation: str, sigma_b2: float = 0.0, *,
                      negative_slope: float = _acts.NEGATIVE_SLOPE) -> float:
    """The `sigma_w^2` where `chi_1 = 1`, the edge of chaos at bias variance `sigma_b^2`. ReLU: 2 (He et al. 2015),
    as `chi_1 = sigma_w^2 / 2` whatever `q*` (with `sigma_b^2 > 0`, `q*` diverges there), leaky_relu of slope `a =
    negative_slope` `2 / (1 + a^2)`; tanh without biases: 1 (`q* = 0`, where tanh is linear), with `sigma_b^2 = 0.05`
    about 1.761 (Schoenholz et al. 2017, Fig. 1). Else by bisection on the line's `q*`: `sigma_w^2 = 1 / E[f'^2]` and
    `sigma_b^2 = q* - sigma_w^2 E[f^2]` there."""
    fn = "critical_sigma_w2"
    act, a, bv = _activation(fn, activation, negative_slope, sigma_b2=sigma_b2)
    if not math.isnan(a):
        return 1.0 / _integrals(act, 1.0)[2]
    if bv < 1e-13 and float(act.fn(np.zeros(1))[0]) == 0.0:  # tanh: the excess below is 4q^3/3 - 8q^4 + O(q^5)
        q = (0.75 * bv) ** (1.0 / 3.0)  # (mpmath), which rounding hides for small q: q* from those two terms
        return 1.0 / _integrals(act, q * (1.0 + 2.0 * q))[2]
    excess = lambda q: q - (m := _integrals(act, q))[1] / m[2] - bv  # noqa: E731 (the line's sigma_b^2 at q*, - bv)
    if (hi := next((q for q in 4.0 ** np.arange(-20, 500) if excess(q) >= 0.0), None)) is None:
        raise ValueError(f"{fn}: no q* up to 1e300 puts {act.name} on the critical line; take sigma_b2 below 1e300")
    return 1.0 / _integrals(act, _bisect(excess, 0.0, hi))[2]


def depth_scales(activation: str, sigma_w2: float, sigma_b2: float = 0.0, *,
                 negative_slope: float = _acts.NEGATIVE_SLOPE) -> tuple[float, float]:
    """`(xi_q, xi_c)`: the depths over which the variance and the correlation forget their input (Schoenholz et al.
    2017, eqs. 7 and 9; `inf` at slope 1; leaky_relu of `negative_slope`); tanh at `sigma_w^2 = 1.5`, `sigma_b^2 =
    0.05`: `chi_1 ~= 0.939`, `xi_c ~= 15.8`. Where `q* = 0` the correlation map, normalized by the dying variance, has
    slope 1 at `c = 1`: `xi_c = inf` (ReLU's correlations then approach 1 as a power of depth; tanh's and linear ones
    stay where they were).

        1/xi_q = -log(sigma_w^2 dE[f(u)^2]/dq)    at q*, u ~ N(0, q*)
        1/xi_c = -log(chi_c),  chi_c = sigma_w^2 E[f'(u_1) f'(u_2)] at c*   (= chi_1 when c* = 1)
    """
    act, a, wv, bv = _activation("depth_scales", activation, negative_slope, sigma_w2=sigma_w2, sigma_b2=sigma_b2)
    fp = renamed("depth_scales", fixed_point, act.name, wv, bv, negative_slope=negative_slope)
    c = correlation_fixed_point(act.name, wv, bv, negative_slope=negative_slope)
    if fp.q == 0.0 < wv:  # the variance dies out: the normalized correlation map has slope 1 at c = 1
        chi_c = 1.0
    elif c == 1.0 or abs(fp.chi - 1.0) < 1e-9:  # ordered or critical: c* = 1, where chi_c = chi_1
        chi_c = fp.chi
    else:
        chi_c = wv * _pair(act, a, fp.q, c)[1]
    # q* is found to a relative 1e-10 (`fixed_point`), so a slope within 1e-9 of 1 is 1 (q* = 0 at sigma_b^2 = 0)
    xi = [-1.0 / math.log(v) if 0.0 < v < 1.0 - 1e-9 else (math.inf if v > 0.0 else 0.0) for v in (fp.slope, chi_c)]
    return xi[0], xi[1]
