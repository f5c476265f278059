"""Mean-field theory: predict each layer's statistics from the init and the activation alone.

The network is an MLP with ``L`` layers, widths ``n_0, n_1, ..., n_L``:

    y_l = h_{l-1} @ W_l + b_l        W_l: (n_{l-1}, n_l), entries iid, mean 0, Var(W_l) = s_l^2
    h_l = f(y_l)                     h_0 = x, entries with mean mu_x and std sigma_x

with ``s_l = scheme.std(n_{l-1}, n_l)`` and biases iid with variance ``sigma_b^2``.

**Forward.** A pre-activation is a sum of ``n_{l-1}`` independent terms, so it
is close to Gaussian with mean 0 and variance

    q_l = n_{l-1} s_l^2 E[h_{l-1}^2] + sigma_b^2,        E[h_0^2] = sigma_x^2 + mu_x^2,

and the activation's moments are Gaussian integrals,
``E[h_l] = E_{z~N(0,q_l)}[f(z)]``, ``E[h_l^2] = E_{z~N(0,q_l)}[f(z)^2]``, so the
activation std is ``sqrt(E[h^2] - E[h]^2)`` (tanh: mean 0; ReLU, sigmoid: not).

**Backward.** With ``g_l = dL/dh_l`` (the top one, ``g_L``, given) and the usual
mean-field assumption that the backward signal is independent of the forward one:

    dL/dy_l     = f'(y_l) * g_l                  Var = E[f'(y_l)^2] Var(g_l)
    g_{l-1}     = dL/dy_l @ W_l.T                Var = n_l s_l^2 Var(dL/dy_l)   (a sum over n_l = fan_out terms)
    dL/dW_l     = h_{l-1}.T @ dL/dy_l            Var = B E[h_{l-1}^2] Var(dL/dy_l)
    dL/db_l     = sum over the batch of dL/dy_l  Var = B Var(dL/dy_l)

``B`` is the number of examples summed into the weight gradient (``batch_size``,
1 = per example), assuming the upstream gradients of different examples are
uncorrelated with mean 0 (for a mean-reduced loss put the 1/B into ``grad_std_top``).

The stds are "over all entries of the layer" -- ``np.std`` of the whole
``(batch, width)`` array -- which is what the recursion describes.

Gaussian integrals are computed by Gauss-Hermite quadrature
(:func:`gaussian_expectation`) for a general ``f``; :func:`activation_moments`
uses closed forms for ReLU and linear units and, for tanh and sigmoid, a
composite Gauss-Legendre rule on the real line that stays exact when ``q`` is
large (101-point Gauss-Hermite overestimates E[tanh'(z)^2] by a factor 5 at
q = 500, the "large init" regime, because the integrand becomes a spike narrower
than the node spacing).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss

from ..nn import init as _init
__all__ = ["gaussian_expectation", "activation_moments", "Moments", "predict", "TheoryResult",
           "fixed_point", "FixedPoint", "ACTIVATIONS"]

ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear")


# --------------------------------------------------------------------------- Gaussian integrals


def _check_var(fn: str, var: Any) -> float:
    if isinstance(var, bool) or not isinstance(var, numbers.Real):
        raise TypeError(f"{fn}: var must be a real number, got {type(var).__name__} {var!r}")
    var = float(var)
    if not math.isfinite(var) or var < 0:
        raise ValueError(f"{fn}: var must be finite and >= 0, got {var}")
    return var


def gaussian_expectation(f: Callable[[np.ndarray], np.ndarray], var: float, n: int = 101) -> float:
    """``E_{z ~ N(0, var)}[f(z)]`` by ``n``-point Gauss-Hermite quadrature.

    With the probabilists' nodes ``x_i`` and weights ``w_i`` (weight function
    ``exp(-x^2/2)``, ``sum w_i = sqrt(2 pi)``):

        E[f(z)] ~= sum_i w_i f(sqrt(var) x_i) / sqrt(2 pi),

    exact for polynomials of degree up to ``2n - 1``. Accurate when ``f`` is smooth
    on the scale of ``sqrt(var)``; see :func:`activation_moments` for large variances.

    Args:
        f: a vectorized function of a numpy array.
        var: the variance ``q >= 0`` (0 gives ``f(0)``).
        n: number of nodes (>= 1).

    Returns:
        The expectation, a float.
    """
    var = _check_var("gaussian_expectation", var)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"gaussian_expectation: n must be a positive integer, got {n!r}")
    x, w = _hermite(int(n))
    values = np.asarray(f(math.sqrt(var) * x), dtype=np.float64)
    if values.shape != x.shape:
        raise ValueError(f"gaussian_expectation: f must map an array of shape {x.shape} to the same shape, "
                         f"got {values.shape}; write it with numpy operations (np.tanh, np.maximum, ...)")
    return float(np.dot(w, values) / math.sqrt(2.0 * math.pi))


_HERMITE_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _hermite(n: int) -> tuple[np.ndarray, np.ndarray]:
    if n not in _HERMITE_CACHE:
        _HERMITE_CACHE[n] = hermegauss(n)
    return _HERMITE_CACHE[n]


_GL_X, _GL_W = leggauss(10)


def _expect_bounded(g: Callable[[np.ndarray], np.ndarray], q: float, g_minus: float, g_plus: float,
                    cut: float = 40.0) -> float:
    """``E_{z~N(0,q)}[g(z)]`` for a ``g`` that equals ``g_minus`` / ``g_plus`` (to double precision)
    for ``z < -cut`` / ``z > cut``: composite 10-point Gauss-Legendre on ``[-Z, Z]``,
    ``Z = min(12 sqrt(q), cut)``, with panels no wider than 0.5 or ``sqrt(q)/2``, plus, when
    ``Z = cut``, the exact Gaussian tail masses beyond it times the constant values there."""
    if q == 0.0:
        return float(g(np.zeros(1))[0])
    s = math.sqrt(q)
    big = min(12.0 * s, cut)
    width = min(0.5, s / 2.0)
    panels = max(2, math.ceil(2.0 * big / width))
    edges = np.linspace(-big, big, panels + 1)
    mid, half = (edges[:-1] + edges[1:]) / 2.0, (edges[1:] - edges[:-1]) / 2.0
    z = (mid[:, None] + half[:, None] * _GL_X[None, :]).ravel()
    wz = (half[:, None] * _GL_W[None, :]).ravel()
    density = np.exp(-z * z / (2.0 * q)) / math.sqrt(2.0 * math.pi * q)
    core = float(np.dot(wz * density, g(z)))
    if big < cut:  # [-12 s, 12 s] holds all but 2e-33 of the mass; g is not yet constant beyond
        return core
    tail = 0.5 * math.erfc(cut / (s * math.sqrt(2.0)))  # mass beyond +-cut, where g is constant
    return core + tail * (g_minus + g_plus)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # exact identity, no overflow


@dataclass(frozen=True)
class Moments:
    """Gaussian moments of an activation at one pre-activation variance ``q``.

    Attributes:
        mean: ``E[f(z)]``.
        second: ``E[f(z)^2]``.
        deriv_second: ``E[f'(z)^2]`` (the backward gain factor).
        saturated: tanh: ``P(|tanh z| > t)``; sigmoid: ``P(s(z) > t or s(z) < 1 - t)``
            (``t`` the threshold, 0.99 by default); 0 for activations without saturation.
        zero: ``P(f(z) = 0)``, i.e. ``P(z <= 0)`` for ReLU (its inactive units); 0 otherwise.
    """

    mean: float
    second: float
    deriv_second: float
    saturated: float
    zero: float

    @property
    def std(self) -> float:
        """``sqrt(E[f^2] - E[f]^2)``."""
        return math.sqrt(max(self.second - self.mean ** 2, 0.0))


def _activation_key(fn: str, name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{fn}: activation must be a name ({', '.join(ACTIVATIONS)}), got {name!r}")
    key = name.strip().lower().replace("-", "_")
    key = {"identity": "linear", "none": "linear", "leakyrelu": "leaky_relu"}.get(key, key)
    if key not in ACTIVATIONS:
        raise ValueError(f"{fn}: unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return key


def activation_moments(name: str, var: float, negative_slope: float = 0.01, threshold: float = 0.99) -> Moments:
    """The moments ``E[f]``, ``E[f^2]``, ``E[f'^2]`` (and saturation) of ``f(z)``, ``z ~ N(0, var)``.

    Closed forms, with ``q = var``:

    - linear: ``0, q, 1``;
    - relu: ``sqrt(q/(2 pi)), q/2, 1/2`` (He et al. 2015: half the units pass);
    - leaky_relu (slope ``a``): ``(1-a) sqrt(q/(2 pi)), (1+a^2) q/2, (1+a^2)/2``;
    - tanh, sigmoid: numerical integration (see the module docstring); the mean of
      tanh is 0 and that of sigmoid 1/2 by symmetry.

    At ``q = 0`` the derivative is taken as the engine does: ``relu'(0) = 0``.

    Args:
        name: "tanh", "sigmoid", "relu", "leaky_relu" or "linear".
        var: the pre-activation variance ``q >= 0``.
        negative_slope: the slope of leaky_relu for ``z < 0``.
        threshold: ``t`` in the saturation probability, in (0.5, 1) for sigmoid, (0, 1) for tanh.

    Returns:
        A :class:`Moments`.
    """
    fn = "activation_moments"
    key = _activation_key(fn, name)
    q = _check_var(fn, var)
    if not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"{fn}: threshold must be in (0, 1), got {threshold}")
    if key == "linear":
        return Moments(0.0, q, 1.0, 0.0, 0.0)
    if key in ("relu", "leaky_relu"):
        a = 0.0 if key == "relu" else float(negative_slope)
        if q == 0.0:
            return Moments(0.0, 0.0, a * a, 0.0, 1.0 if a == 0 else 0.0)
        return Moments((1.0 - a) * math.sqrt(q / (2.0 * math.pi)), (1.0 + a * a) * q / 2.0, (1.0 + a * a) / 2.0,
                       0.0, 0.5 if a == 0 else 0.0)
    if key == "tanh":
        second = _expect_bounded(lambda z: np.tanh(z) ** 2, q, 1.0, 1.0)
        deriv = _expect_bounded(lambda z: (1.0 - np.tanh(z) ** 2) ** 2, q, 0.0, 0.0)
        edge = math.atanh(threshold)
        sat = math.erfc(edge / math.sqrt(2.0 * q)) if q > 0 else 0.0
        return Moments(0.0, second, deriv, sat, 0.0)
    # sigmoid
    second = _expect_bounded(lambda z: _sigmoid(z) ** 2, q, 0.0, 1.0)
    deriv = _expect_bounded(lambda z: (_sigmoid(z) * (1.0 - _sigmoid(z))) ** 2, q, 0.0, 0.0)
    t = max(threshold, 1.0 - threshold)
    edge = math.log(t / (1.0 - t))
    sat = math.erfc(edge / math.sqrt(2.0 * q)) if q > 0 else 0.0
    return Moments(0.5, second, deriv, sat, 0.0)


# --------------------------------------------------------------------------- prediction


@dataclass
class TheoryResult:
    """Predicted per-layer statistics of an MLP (index ``l - 1`` holds layer ``l``).

    Attributes:
        widths: ``(n_0, ..., n_L)``.
        activations: the activation of each layer.
        init: a label of the weight init.
        weight_std: std of the entries of ``W_l``.
        pre_std: std of the pre-activations ``y_l``.
        act_mean, act_std: mean and std of the activations ``h_l = f(y_l)``.
        saturated: predicted fraction of saturated units (tanh, sigmoid).
        zero_fraction: predicted fraction of exact zeros (ReLU).
        grad_act_std: std of ``dL/dh_l`` (the last one is ``grad_std_top``).
        grad_pre_std: std of ``dL/dy_l``.
        grad_weight_std: std of ``dL/dW_l`` (summed over ``batch_size`` examples).
        grad_bias_std: std of ``dL/db_l`` (summed over ``batch_size`` examples).
        grad_input_std: std of ``dL/dx``.
    """

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

    _ARRAYS = ("weight_std", "pre_std", "act_mean", "act_std", "saturated", "zero_fraction", "grad_act_std",
               "grad_pre_std", "grad_weight_std", "grad_bias_std")

    @property
    def num_layers(self) -> int:
        return len(self.widths) - 1

    def to_dict(self) -> dict[str, Any]:
        """Plain Python types (lists of floats), ready for JSON."""
        out: dict[str, Any] = {"widths": list(self.widths), "activations": list(self.activations),
                               "init": self.init}
        for name in self._ARRAYS:
            out[name] = [float(v) for v in getattr(self, name)]
        out["grad_input_std"] = float(self.grad_input_std)
        out["settings"] = dict(self.settings)
        return out

    def __repr__(self) -> str:
        head = (f"TheoryResult(widths={list(self.widths)}, init={self.init}, "
                f"activation={'/'.join(dict.fromkeys(self.activations))})")
        names = ("layer", "width", "std(W)", "std(y)", "mean(h)", "std(h)", "saturated", "std(dh)", "std(dy)",
                 "std(dW)")
        lines = [head, "".join(f"{n:>10}" for n in names)]
        for i in range(self.num_layers):
            vals = (self.weight_std[i], self.pre_std[i], self.act_mean[i], self.act_std[i], self.saturated[i],
                    self.grad_act_std[i], self.grad_pre_std[i], self.grad_weight_std[i])
            cells = [f"{v:>10.4f}" if k == 4 else f"{v:>10.4g}" for k, v in enumerate(vals)]
            lines.append(f"{i + 1:>10}{self.widths[i + 1]:>10}" + "".join(cells))
        lines.append(f"std(dL/dx) = {self.grad_input_std:.3g}")
        return "\n".join(lines)


def _check_widths(widths: Any) -> tuple[int, ...]:
    try:
        ws = tuple(widths)
    except TypeError:
        raise TypeError(f"predict: widths must be a list [n_0, n_1, ..., n_L], got {widths!r}") from None
    if len(ws) < 2:
        raise ValueError(f"predict: widths must list the input width and at least one layer width, got {list(ws)}")
    for i, n in enumerate(ws):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"predict: widths[{i}] = {n!r}; every width must be a positive integer")
    return tuple(int(n) for n in ws)


def _weight_stds(init: Any, widths: tuple[int, ...]) -> tuple[np.ndarray, str]:
    """Per-layer weight std from a scheme name/record, a float, or a per-layer sequence."""
    layers = len(widths) - 1

    def one(spec: Any, l: int) -> tuple[float, str]:
        fan_in, fan_out = widths[l - 1], widths[l]
        if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
            std = float(spec)
            if not math.isfinite(std) or std < 0:
                raise ValueError(f"predict: the weight std of layer {l} must be finite and >= 0, got {std}")
            return std, f"std={std:g}"
        if isinstance(spec, (str, _init.Scheme)):
            scheme = _init.get(spec)
            if scheme.data_dependent:
                raise ValueError(f"predict: {scheme.name} is data-dependent, so its weight std is not known "
                                 "in advance; apply it to a model and pass the measured stds per layer")
            if scheme.mean() != 0.0:
                raise ValueError(f"predict: {scheme.name} ({scheme.formula}) has mean {scheme.mean():g}; the "
                                 "mean-field recursion assumes zero-mean weights")
            return scheme.std(fan_in, fan_out), scheme.name
        raise TypeError(f"predict: init must be a scheme name, an init.Scheme, a std (float) or a list of "
                        f"those per layer, got {type(spec).__name__} {spec!r} for layer {l}")

    if isinstance(init, (str, _init.Scheme, numbers.Real)) and not isinstance(init, bool):
        pairs = [one(init, l) for l in range(1, layers + 1)]
        label = pairs[0][1] if not isinstance(init, numbers.Real) else f"std={float(init):g}"
    else:
        try:
            specs = list(init)
        except TypeError:
            raise TypeError(f"predict: init must be a scheme name, a Scheme, a std or a list per layer, "
                            f"got {init!r}") from None
        if len(specs) != layers:
            raise ValueError(f"predict: init lists {len(specs)} entries but widths {list(widths)} define "
                             f"{layers} layers")
        pairs = [one(s, l) for l, s in enumerate(specs, 1)]
        label = "[" + ", ".join(p[1] for p in pairs) + "]"
    return np.array([p[0] for p in pairs]), label


def _real_arg(name: str, value: Any, nonneg: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise ValueError(f"predict: {name} must be a finite real number, got {value!r}")
    if nonneg and value < 0:
        raise ValueError(f"predict: {name} must be >= 0, got {value}")
    return float(value)


def predict(widths: Sequence[int], activation: str | Sequence[str] = "tanh", init: Any = "xavier_normal",
            input_std: float = 1.0, bias_std: float = 0.0, grad_std_top: float = 1.0, *,
            input_mean: float = 0.0, batch_size: int = 1, negative_slope: float = 0.01,
            saturation_threshold: float = 0.99) -> TheoryResult:
    """Predict per-layer forward and backward statistics of a freshly initialized MLP.

    See the module docstring for the recursion. Example -- the CS231n experiment,
    ten tanh layers of 500 units with ``0.01 * randn``::

        r = predict([500] * 11, "tanh", "small")
        print(r)                               # one row per layer
        r.act_std[1:] / r.act_std[:-1]         # ~0.2236 = 0.01 * sqrt(500) per layer

    Args:
        widths: ``[n_0, n_1, ..., n_L]``: input width, then each layer's width.
        activation: one name for every layer or a list of ``L`` names
            (e.g. ``["tanh"] * (L - 1) + ["linear"]`` for an ``nn.MLP`` with a linear output).
        init: a scheme name or :class:`tinygrad_init.init.Scheme` (its ``std(fan_in, fan_out)``
            is used), a weight std, or a list of either, one per layer.
        input_std: std of the input entries.
        bias_std: std of the bias entries (0 for zero biases).
        grad_std_top: std of ``dL/dh_L``, the gradient arriving at the network's output.
        input_mean: mean of the input entries (enters through ``E[x^2] = std^2 + mean^2``).
        batch_size: number of examples summed in ``dL/dW`` and ``dL/db``.
        negative_slope: slope of leaky_relu.
        saturation_threshold: ``t`` in the saturation fraction ``P(|tanh y| > t)``.

    Returns:
        A :class:`TheoryResult` with arrays of length ``L``.
    """
    ws = _check_widths(widths)
    layers = len(ws) - 1
    if isinstance(activation, str):
        acts = (_activation_key("predict", activation),) * layers
    else:
        acts = tuple(_activation_key("predict", a) for a in activation)
        if len(acts) != layers:
            raise ValueError(f"predict: {len(acts)} activations given but widths {list(ws)} define {layers} layers")
    w_std, label = _weight_stds(init, ws)
    input_std = _real_arg("input_std", input_std)
    input_mean = _real_arg("input_mean", input_mean, nonneg=False)
    bias_std = _real_arg("bias_std", bias_std)
    grad_std_top = _real_arg("grad_std_top", grad_std_top)
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"predict: batch_size must be a positive integer, got {batch_size!r}")
    slope = _real_arg("negative_slope", negative_slope, nonneg=False)

    w_var = w_std ** 2
    q = np.empty(layers)
    second = np.empty(layers + 1)  # E[h_l^2], l = 0..L
    second[0] = input_std ** 2 + input_mean ** 2
    mean, std, sat, zero, dsecond = (np.empty(layers) for _ in range(5))
    for i in range(layers):  # layer l = i + 1
        q[i] = ws[i] * w_var[i] * second[i] + bias_std ** 2
        m = activation_moments(acts[i], q[i], negative_slope=slope, threshold=saturation_threshold)
        mean[i], second[i + 1], dsecond[i], sat[i], zero[i] = m.mean, m.second, m.deriv_second, m.saturated, m.zero
        std[i] = m.std

    var_gh = np.empty(layers + 1)  # Var(dL/dh_l), l = 0..L
    var_gy = np.empty(layers)
    var_gh[layers] = grad_std_top ** 2
    for i in reversed(range(layers)):
        var_gy[i] = dsecond[i] * var_gh[i + 1]
        var_gh[i] = ws[i + 1] * w_var[i] * var_gy[i]
    var_gw = batch_size * second[:layers] * var_gy

    settings = {"input_std": input_std, "input_mean": input_mean, "bias_std": bias_std,
                "grad_std_top": grad_std_top, "batch_size": int(batch_size), "negative_slope": slope,
                "saturation_threshold": float(saturation_threshold)}
    return TheoryResult(widths=ws, activations=acts, init=label, weight_std=w_std, pre_std=np.sqrt(q),
                        act_mean=mean, act_std=std, saturated=sat, zero_fraction=zero,
                        grad_act_std=np.sqrt(var_gh[1:]), grad_pre_std=np.sqrt(var_gy),
                        grad_weight_std=np.sqrt(var_gw), grad_bias_std=np.sqrt(batch_size * var_gy),
                        grad_input_std=float(math.sqrt(var_gh[0])), settings=settings)


# --------------------------------------------------------------------------- fixed point


@dataclass(frozen=True)
class FixedPoint:
    """The fixed point ``q*`` of the variance map and the gradient gain ``chi`` there.

    ``chi = sigma_w^2 E[f'(z)^2]``, z ~ N(0, q*): per layer the gradient variance is
    multiplied by ``chi`` (for equal widths), so ``chi < 1`` means vanishing and
    ``chi > 1`` exploding gradients in a deep net (Poole et al. 2016; Schoenholz et al. 2017).
    """

    q: float
    chi: float
    iterations: int


def fixed_point(activation: str, weight_var: float, bias_var: float = 0.0, q0: float = 1.0, *,
                negative_slope: float = 0.01, tol: float = 1e-12, max_iter: int = 10000) -> FixedPoint:
    """Iterate ``q <- sigma_w^2 E[f(z)^2] + sigma_b^2`` (z ~ N(0, q)) to its fixed point.

    Args:
        activation: an activation name.
        weight_var: ``sigma_w^2 = fan_in * Var(W)`` (1 for LeCun, 2 for He).
        bias_var: ``sigma_b^2``.
        q0: the starting variance.
        negative_slope: slope of leaky_relu.
        tol: relative tolerance on ``q``.
        max_iter: iteration limit.

    Returns:
        A :class:`FixedPoint`.

    Raises:
        ValueError: if ``q`` grows without bound (e.g. ReLU with ``sigma_w^2 > 2``).
        RuntimeError: if it has not converged after ``max_iter`` steps (near the critical
            point the approach is only like 1/depth).
    """
    wv = _check_var("fixed_point", weight_var)
    bv = _check_var("fixed_point", bias_var)
    q = _check_var("fixed_point", q0)
    for it in range(1, max_iter + 1):
        new = wv * activation_moments(activation, q, negative_slope=negative_slope).second + bv
        if not math.isfinite(new) or new > 1e200:
            raise ValueError(f"fixed_point: the variance grows without bound ({activation}, sigma_w^2 = {wv:g}); "
                             "there is no finite fixed point")
        if abs(new - q) <= tol * max(new, q) or new == q:
            chi = wv * activation_moments(activation, new, negative_slope=negative_slope).deriv_second
            return FixedPoint(new, chi, it)
        q = new
    raise RuntimeError(f"fixed_point: no convergence after {max_iter} iterations (q = {q:.6g}); near the "
                       "critical point the variance approaches its fixed point only slowly")
