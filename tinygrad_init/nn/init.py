"""Weight initialization schemes: one general rule and its named presets.

Every scheme is a function with the same signature::

    f(shape, rng=None, dtype=np.float32, **params) -> np.ndarray

where ``shape`` follows the lecture's layout ``(fan_in, fan_out)`` -- the layer
computes ``y = x @ W`` -- so that

    W = init.cs231n((fan_in, fan_out), rng=0)

is ``np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)`` with a seeded generator.

**One rule.** Almost every named scheme is :func:`variance_scaling`: draw the
entries iid with mean 0 and variance ``scale / n``, where ``n`` is ``fan_in``,
``fan_out`` or their average, from a normal, a normal truncated at two standard
deviations, or a uniform distribution. The presets are one-line calls of it:

    ===============  =====================  =========  ============
    preset           scale                  n          distribution
    ===============  =====================  =========  ============
    lecun_normal     1                      fan_in     normal
    xavier_normal    gain^2                 fan_avg    normal
    xavier_uniform   gain^2                 fan_avg    uniform
    he_normal        2 / (1 + a^2)          fan_in     normal
    glorot_standard  1/3                    fan_in     uniform
    ===============  =====================  =========  ============

**Which Xavier?** The name "Xavier" (or "Glorot") is used for three different
formulas; each has its own name here, and the bare names ``"xavier"`` and
``"glorot"`` are refused as ambiguous:

- :func:`xavier_uniform` -- Glorot & Bengio's *normalized* initialization
  (2010, eq. 16), ``U(-sqrt(6/(fan_in+fan_out)), +sqrt(6/(fan_in+fan_out)))``,
  variance ``2/(fan_in+fan_out)``; what PyTorch and Keras call Xavier/Glorot.
- :func:`glorot_standard` -- the *standard* heuristic the same paper starts
  from (eq. 1), ``U(-1/sqrt(fan_in), +1/sqrt(fan_in))``, variance ``1/(3 fan_in)``.
- :func:`cs231n` -- ``randn(fan_in, fan_out) / sqrt(fan_in)``, variance
  ``1/fan_in``, as the CS231n slides (lecture 6) label "Xavier initialization".

**Shapes of more than two axes** (convolution kernels) are read as
``(fan_in_channels, fan_out_channels, *receptive_field)`` -- the 2-D layout
with the kernel's spatial axes appended -- so that
``fan_in = shape[0] * prod(shape[2:])`` and ``fan_out = shape[1] * prod(shape[2:])``
(see :func:`fans`). A PyTorch conv weight ``(out, in, kh, kw)`` must be given
as ``(in, out, kh, kw)``.

**Parameters** are bound with :func:`get`: ``init.get("he_normal", mode="fan_out")``
returns a callable :class:`Scheme` that knows its own formula, source and the
standard deviation it produces (used by :mod:`tinygrad_init.theory`).
:func:`table` prints all of them for a lecture slide.

Randomness: every function takes ``rng`` (a ``np.random.Generator``, an int seed
or None); the same seed gives the same array, byte for byte. Samples are drawn
in float64 and rounded to ``dtype`` once, at the end.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import numbers
import types
import warnings
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..utils import as_rng

__all__ = [
    "Scheme", "fans", "variance_scaling",
    "zeros", "ones", "constant", "normal", "uniform", "small", "large",
    "cs231n", "glorot_standard", "xavier_uniform", "xavier_normal",
    "lecun_normal", "lecun_uniform", "he_normal", "he_uniform",
    "orthogonal", "sparse", "lsuv",
    "get", "names", "describe", "table", "calculate_gain",
    "TRUNCATED_NORMAL_STD",
]

#: Standard deviation of a standard normal truncated to [-2, 2]:
#: sqrt(1 - 4 phi(2) / (Phi(2) - Phi(-2))), phi and Phi the standard normal pdf and cdf.
TRUNCATED_NORMAL_STD = 0.87962566103423978

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")
_SHAPE_HINT = "such as (fan_in, fan_out) for a Linear weight or (fan_out,) for a bias"


# --------------------------------------------------------------------------- validation


def _check_shape(fn: str, shape: Any) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of non-negative Python ints, or raise naming ``fn``."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, np.ndarray) and shape.ndim == 1:
        shape = tuple(shape.tolist())
    if not isinstance(shape, (tuple, list)):
        raise TypeError(f"{fn}: shape must be a tuple of non-negative integers {_SHAPE_HINT}, "
                        f"got {type(shape).__name__} {shape!r}")
    out = []
    for i, n in enumerate(shape):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"{fn}: shape {tuple(shape)!r} has entry {i} = {n!r} of type "
                            f"{type(n).__name__}; every entry must be a non-negative integer")
        if n < 0:
            raise ValueError(f"{fn}: shape {tuple(shape)!r} has the negative entry {int(n)} at position {i}; "
                             "sizes must be >= 0")
        out.append(int(n))
    return tuple(out)


def _check_dtype(fn: str, dtype: Any) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"{fn}: dtype {dtype!r} is not a numpy dtype; use np.float32 or np.float64") from exc
    if dt.kind != "f":
        raise TypeError(f"{fn}: dtype {dt} is not a floating-point type; parameters need a float dtype "
                        "such as np.float32 or np.float64")
    return dt


def _real(fn: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{fn}: {name} must be finite, got {value}")
    return value


def _nonneg(fn: str, name: str, value: Any) -> float:
    value = _real(fn, name, value)
    if value < 0:
        raise ValueError(f"{fn}: {name} must be >= 0, got {value:g} (it scales a distribution symmetric "
                         "about 0, so use its absolute value)")
    return value


def _choice(fn: str, name: str, value: Any, options: Sequence[str]) -> str:
    key = str(value).lower().replace("-", "_") if isinstance(value, str) else value
    if key not in options:
        raise ValueError(f"{fn}: {name} must be one of {', '.join(repr(o) for o in options)}, got {value!r}")
    return key


def _sparsity(fn: str, name: str, value: Any) -> float:
    value = _real(fn, name, value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{fn}: {name} is the fraction of zeros in each column and must be in [0, 1), "
                         f"got {value:g}")
    return value


_VALIDATORS: dict[str, Callable[[str, str, Any], Any]] = {
    "scale": _nonneg, "gain": _nonneg, "std": _nonneg, "value": _real, "a": _real, "b": _real,
    "negative_slope": _real, "sparsity": _sparsity,
    "mode": lambda fn, n, v: _choice(fn, n, v, _MODES),
    "distribution": lambda fn, n, v: _choice(fn, n, v, _DISTRIBUTIONS),
}


def _check_params(fn: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the keyword parameters of scheme ``fn``; return them normalized."""
    out = {k: _VALIDATORS[k](fn, k, v) if k in _VALIDATORS else v for k, v in params.items()}
    if "a" in out and "b" in out and out["a"] > out["b"]:
        raise ValueError(f"{fn}: the lower bound a = {out['a']:g} is greater than the upper bound "
                         f"b = {out['b']:g}; U(a, b) needs a <= b")
    return out


# --------------------------------------------------------------------------- fans


def fans(shape: Sequence[int]) -> tuple[int, int]:
    """The fan-in and fan-out of a weight of this shape.

    Layout: ``(fan_in, fan_out)`` for a matrix used as ``y = x @ W``; for more
    axes, ``(in_channels, out_channels, *receptive_field)``, where each input
    (output) channel is connected through every position of the receptive field:

        fan_in  = shape[0] * prod(shape[2:])
        fan_out = shape[1] * prod(shape[2:])

    Args:
        shape: the weight's shape, at least two axes.

    Returns:
        ``(fan_in, fan_out)`` as ints.

    Raises:
        ValueError: for 0-D or 1-D shapes, which have no input/output axis pair.
    """
    shape = _check_shape("fans", shape)
    if len(shape) == 0:
        raise ValueError("fans: shape () is a scalar; fan_in and fan_out are undefined because a scalar "
                         "has no input axis and no output axis. Pass a weight shape (fan_in, fan_out).")
    if len(shape) == 1:
        raise ValueError(f"fans: shape {shape} is 1-D (a bias vector?); fan_in and fan_out are undefined "
                         "because a 1-D array has no separate input and output axes. Initialize biases "
                         "with zeros, constant or normal, which need no fans, or pass a weight shape "
                         "(fan_in, fan_out).")
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


def _fan(fn: str, shape: tuple[int, ...], mode: str) -> float:
    fan_in, fan_out = fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    if n == 0:
        raise ValueError(f"{fn}: shape {shape} has {mode} = 0, so the variance scale/{mode} is undefined; "
                         "every axis of a weight must be at least 1")
    return n


# --------------------------------------------------------------------------- sampling


def _finish(arr: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return np.ascontiguousarray(arr, dtype=dtype)


def _clip_into(arr: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Clip ``arr`` (already in its final dtype) into the real interval [lo, hi].

    Rounding a float64 sample just below ``hi`` to float32 can land above ``hi``;
    this keeps the documented bounds exact in every dtype.
    """
    dt = arr.dtype.type
    lo_d, hi_d = dt(lo), dt(hi)
    if float(lo_d) < lo:
        lo_d = np.nextafter(lo_d, dt(np.inf))
    if float(hi_d) > hi:
        hi_d = np.nextafter(hi_d, dt(-np.inf))
    np.clip(arr, lo_d, hi_d, out=arr)
    return arr


def _truncated_standard_normal(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Standard normals conditioned on |z| <= 2, by rejection (about 95.4% accepted)."""
    size = math.prod(shape)
    out = np.empty(size)
    filled = 0
    while filled < size:
        need = size - filled
        z = rng.standard_normal(int(need * 1.06) + 16)
        z = z[np.abs(z) <= 2.0][:need]
        out[filled:filled + z.size] = z
        filled += z.size
    return out.reshape(shape)


def _draw(shape: tuple[int, ...], var: float, distribution: str, rng: np.random.Generator,
          dtype: np.dtype) -> np.ndarray:
    """Zero-mean iid entries of variance ``var`` from ``distribution``."""
    if distribution == "normal":
        return _finish(rng.standard_normal(shape) * math.sqrt(var), dtype)
    if distribution == "truncated_normal":
        return _finish(_truncated_standard_normal(shape, rng) * (math.sqrt(var) / TRUNCATED_NORMAL_STD), dtype)
    bound = math.sqrt(3.0 * var)  # Var U(-b, b) = b^2 / 3
    return _clip_into(_finish(rng.uniform(-bound, bound, shape), dtype), -bound, bound)


# --------------------------------------------------------------------------- the general rule


def variance_scaling(shape: Sequence[int], scale: float = 1.0, mode: str = "fan_in",
                     distribution: str = "normal", rng: np.random.Generator | int | None = None,
                     dtype: Any = np.float32) -> np.ndarray:
    """The general rule: iid zero-mean entries with ``Var(W) = scale / n``.

    ``n`` is ``fan_in``, ``fan_out`` or ``fan_avg = (fan_in + fan_out) / 2`` (see
    :func:`fans`). With ``var = scale / n``:

    - ``"normal"``: ``N(0, var)``;
    - ``"truncated_normal"``: a normal cut at two standard deviations and
      rescaled by 1/0.87962566103423978 so that the variance is exactly ``var``;
    - ``"uniform"``: ``U(-sqrt(3 var), +sqrt(3 var))``.

    Args:
        shape: ``(fan_in, fan_out)`` or ``(in, out, *receptive_field)``.
        scale: the numerator, >= 0 (1 for LeCun, 2 for He, gain^2 for Xavier).
        mode: which fan divides: ``"fan_in"`` (keeps the forward variance),
            ``"fan_out"`` (keeps the backward variance) or ``"fan_avg"``.
        distribution: ``"normal"``, ``"truncated_normal"`` or ``"uniform"``.
        rng: a Generator, an int seed or None.
        dtype: a floating dtype.

    Returns:
        An array of ``shape`` and ``dtype``.
    """
    fn = "variance_scaling"
    shape = _check_shape(fn, shape)
    dt = _check_dtype(fn, dtype)
    p = _check_params(fn, {"scale": scale, "mode": mode, "distribution": distribution})
    n = _fan(fn, shape, p["mode"])
    return _draw(shape, p["scale"] / n, p["distribution"], as_rng(rng), dt)


# --------------------------------------------------------------------------- presets


def zeros(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32) -> np.ndarray:
    """All zeros (the default for biases). With weights, every unit of a layer computes the
    same function and receives the same gradient, so they never become different."""
    return np.zeros(_check_shape("zeros", shape), dtype=_check_dtype("zeros", dtype))


def ones(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32) -> np.ndarray:
    """All ones."""
    return np.ones(_check_shape("ones", shape), dtype=_check_dtype("ones", dtype))


def constant(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
             value: float = 0.0) -> np.ndarray:
    """Every entry equal to ``value``."""
    p = _check_params("constant", {"value": value})
    return np.full(_check_shape("constant", shape), p["value"], dtype=_check_dtype("constant", dtype))


def normal(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
           std: float = 1.0) -> np.ndarray:
    """``N(0, std^2)`` entries, a fixed std whatever the layer's size (PyTorch's default std 1)."""
    p = _check_params("normal", {"std": std})
    shape = _check_shape("normal", shape)
    return _finish(as_rng(rng).standard_normal(shape) * p["std"], _check_dtype("normal", dtype))


def uniform(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
            a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """``U(a, b)`` entries (PyTorch's defaults a=0, b=1; note the mean (a+b)/2 is not 0 then)."""
    p = _check_params("uniform", {"a": a, "b": b})
    shape = _check_shape("uniform", shape)
    arr = _finish(as_rng(rng).uniform(p["a"], p["b"], shape), _check_dtype("uniform", dtype))
    return _clip_into(arr, p["a"], p["b"])


def small(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
          scale: float = 0.01) -> np.ndarray:
    """``0.01 * N(0, 1)``: CS231n's "small random numbers" (``W = 0.01 * np.random.randn(D, H)``).

    Fine for a shallow net; in a deep tanh net each layer multiplies the activation
    std by about ``0.01 * sqrt(fan_in)``, so the activations and the weight gradients
    shrink towards zero layer after layer.
    """
    p = _check_params("small", {"scale": scale})
    shape = _check_shape("small", shape)
    return _finish(p["scale"] * as_rng(rng).standard_normal(shape), _check_dtype("small", dtype))


def large(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
          scale: float = 1.0) -> np.ndarray:
    """``1.0 * N(0, 1)``: too large for a wide layer -- the pre-activations have std about
    ``sqrt(fan_in)``, so tanh and sigmoid units saturate and their local gradients vanish.

    (In a deep tanh net the large weights more than make up for the small local gradients:
    ``fan_out * Var(W) * E[tanh'(y)^2]`` is about 12 at width 500, so dL/dh *grows* layer
    after layer towards the input -- see :func:`tinygrad_init.theory.predict`.)
    """
    p = _check_params("large", {"scale": scale})
    shape = _check_shape("large", shape)
    return _finish(p["scale"] * as_rng(rng).standard_normal(shape), _check_dtype("large", dtype))


def cs231n(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32) -> np.ndarray:
    """``randn(fan_in, fan_out) / sqrt(fan_in)``, the CS231n slides' "Xavier": ``N(0, 1/fan_in)``.

    The same distribution as :func:`lecun_normal`; computed exactly as the slides'
    one-liner (a division by ``sqrt(fan_in)``).
    """
    shape = _check_shape("cs231n", shape)
    dt = _check_dtype("cs231n", dtype)
    n = _fan("cs231n", shape, "fan_in")
    return _finish(as_rng(rng).standard_normal(shape) / math.sqrt(n), dt)


def glorot_standard(shape: Sequence[int], rng: np.random.Generator | int | None = None,
                    dtype: Any = np.float32) -> np.ndarray:
    """Glorot & Bengio's "standard" heuristic ``U(-1/sqrt(fan_in), +1/sqrt(fan_in))``; Var = 1/(3 fan_in)."""
    return variance_scaling(shape, 1.0 / 3.0, "fan_in", "uniform", rng=rng, dtype=dtype)


def xavier_uniform(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
                   gain: float = 1.0) -> np.ndarray:
    """Glorot's normalized init ``U(-g sqrt(6/(fan_in+fan_out)), +g sqrt(6/(fan_in+fan_out)))``; Var = 2 g^2/(fan_in+fan_out)."""
    g = _check_params("xavier_uniform", {"gain": gain})["gain"]
    return variance_scaling(shape, g * g, "fan_avg", "uniform", rng=rng, dtype=dtype)


def xavier_normal(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
                  gain: float = 1.0) -> np.ndarray:
    """``N(0, 2 g^2 / (fan_in + fan_out))``: the normalized init's variance with a normal distribution."""
    g = _check_params("xavier_normal", {"gain": gain})["gain"]
    return variance_scaling(shape, g * g, "fan_avg", "normal", rng=rng, dtype=dtype)


def lecun_normal(shape: Sequence[int], rng: np.random.Generator | int | None = None,
                 dtype: Any = np.float32) -> np.ndarray:
    """``N(0, 1/fan_in)`` (LeCun et al. 1998: std = fan_in^(-1/2))."""
    return variance_scaling(shape, 1.0, "fan_in", "normal", rng=rng, dtype=dtype)


def lecun_uniform(shape: Sequence[int], rng: np.random.Generator | int | None = None,
                  dtype: Any = np.float32) -> np.ndarray:
    """``U(-sqrt(3/fan_in), +sqrt(3/fan_in))``; Var = 1/fan_in."""
    return variance_scaling(shape, 1.0, "fan_in", "uniform", rng=rng, dtype=dtype)


def _he_scale(fn: str, negative_slope: float) -> float:
    a = _check_params(fn, {"negative_slope": negative_slope})["negative_slope"]
    return 2.0 / (1.0 + a * a)


def he_normal(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
              mode: str = "fan_in", negative_slope: float = 0.0) -> np.ndarray:
    """``N(0, 2 / ((1 + a^2) n))``, n = fan_in (forward, He et al. 2015 eq. 10) or fan_out (backward, eq. 14).

    ``a`` is the negative slope of a leaky ReLU (0 for ReLU).
    """
    return variance_scaling(shape, _he_scale("he_normal", negative_slope), mode, "normal", rng=rng, dtype=dtype)


def he_uniform(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
               mode: str = "fan_in", negative_slope: float = 0.0) -> np.ndarray:
    """``U(-sqrt(6 / ((1 + a^2) n)), +sqrt(6 / ((1 + a^2) n)))``: He's variance with a uniform distribution."""
    return variance_scaling(shape, _he_scale("he_uniform", negative_slope), mode, "uniform", rng=rng, dtype=dtype)


def orthogonal(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
               gain: float = 1.0) -> np.ndarray:
    """A (semi-)orthogonal matrix times ``gain``, uniformly (Haar) distributed.

    A Gaussian matrix ``A = QR`` is factored and ``Q`` multiplied column-wise by
    ``sign(diag(R))``; without that sign fix ``Q`` is not uniformly distributed
    (Mezzadri 2007). For ``W`` of shape ``(fan_in, fan_out)``:

    - ``fan_in >= fan_out``: orthonormal columns, ``W.T @ W = gain^2 I``;
    - ``fan_in < fan_out``: orthonormal rows, ``W @ W.T = gain^2 I``.

    A kernel ``(in, out, *receptive_field)`` is treated as the matrix
    ``(in * prod(receptive_field), out)`` mapping an input patch to the outputs.
    """
    fn = "orthogonal"
    g = _check_params(fn, {"gain": gain})["gain"]
    shape = _check_shape(fn, shape)
    dt = _check_dtype(fn, dtype)
    if len(shape) < 2:
        fans(shape)  # raises, explaining why
    gen = as_rng(rng)
    rows, cols = shape[0] * math.prod(shape[2:]), shape[1]
    if rows == 0 or cols == 0:
        return np.zeros(shape, dtype=dt)
    tall = rows >= cols
    a = gen.standard_normal((rows, cols) if tall else (cols, rows))
    q, r = np.linalg.qr(a)
    d = np.sign(np.diag(r))
    d[d == 0] = 1.0
    q = q * d
    m = q if tall else q.T  # (rows, cols)
    w = (g * m).reshape((shape[0], *shape[2:], cols))
    w = np.moveaxis(w, -1, 1)
    return _finish(w, dt)


def sparse(shape: Sequence[int], rng: np.random.Generator | int | None = None, dtype: Any = np.float32, *,
           sparsity: float = 0.9, std: float = 0.01) -> np.ndarray:
    """Sparse init (Martens 2010): in each column, ``ceil(sparsity * fan_in)`` entries are 0.

    A column of ``W`` (shape ``(fan_in, fan_out)``) holds one unit's incoming
    weights, so every unit gets the same number of non-zero inputs, as in
    Martens' scheme. The other entries are ``N(0, std^2)``; the positions of the
    zeros are drawn uniformly, independently per column.
    """
    fn = "sparse"
    p = _check_params(fn, {"sparsity": sparsity, "std": std})
    shape = _check_shape(fn, shape)
    dt = _check_dtype(fn, dtype)
    if len(shape) != 2:
        raise ValueError(f"{fn}: needs a 2-D shape (fan_in, fan_out), got {shape}")
    gen = as_rng(rng)
    fan_in, fan_out = shape
    w = gen.standard_normal(shape) * p["std"]
    n_zero = _num_zeros(p["sparsity"], fan_in)
    if n_zero and fan_out:
        rows = np.argsort(gen.random(shape), axis=0)[:n_zero]
        np.put_along_axis(w, rows, 0.0, axis=0)
    return _finish(w, dt)


def _num_zeros(sparsity: float, fan_in: int) -> int:
    # ceil, tolerant of 0.7 * 10 = 7.000000000000001
    return min(fan_in, math.ceil(sparsity * fan_in - 1e-9))


class _StopForward(Exception):
    """Raised by the LSUV hook once the layer of interest has produced its output."""


def lsuv(model: Any, batch: Any, tol: float = 0.1, max_iter: int = 10,
         rng: np.random.Generator | int | None = None) -> Any:
    """Layer-sequential unit-variance init (Mishkin & Matas 2015), in place.

    1. Every ``nn.Linear`` weight is replaced by :func:`orthogonal` (gain 1).
    2. For each Linear layer ``l``, input to output: run ``batch`` through the
       model, measure the variance ``v`` of that layer's output ``x_l @ W_l + b_l``
       over all its entries; while ``|v - 1| > tol`` and fewer than ``max_iter``
       rescalings were done, set ``W_l <- W_l / sqrt(v)`` and measure again.

    Biases are left as they are. The forward passes run under
    :func:`tinygrad_init.no_grad` and stop at the layer being measured.

    Args:
        model: an ``nn.Module`` containing ``nn.Linear`` layers (found with
            ``model.modules()``, in order).
        batch: a representative input batch, ``(batch, fan_in)`` (Tensor or array).
        tol: tolerance on the output variance.
        max_iter: maximum rescalings per layer.
        rng: a Generator, seed or None (for the orthogonal pre-initialization).

    Returns:
        ``model``, with its weights modified in place.

    Warns:
        RuntimeWarning: naming a layer whose variance is still off by more than
            ``tol`` after ``max_iter`` rescalings (for example because of a large bias).
    """
    from . import layers as nn
    from ..core.tensor import Tensor, no_grad

    fn = "lsuv"
    tol = _nonneg(fn, "tol", tol)
    if isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral) or max_iter < 1:
        raise ValueError(f"{fn}: max_iter must be a positive integer, got {max_iter!r}")
    if not isinstance(model, nn.Module):
        raise TypeError(f"{fn}: model must be an nn.Module, got {type(model).__name__}")
    layers = [(name or "<model>", m) for name, m in model.named_modules() if isinstance(m, nn.Linear)]
    if not layers:
        raise ValueError(f"{fn}: the model has no nn.Linear layer to initialize")
    gen = as_rng(rng)
    for _, layer in layers:
        w = layer.weight.data
        w[...] = orthogonal(w.shape, rng=gen, dtype=w.dtype)
    if not isinstance(batch, Tensor):
        batch = Tensor(np.asarray(batch), dtype=layers[0][1].weight.data.dtype)

    def output_variance(layer: Any) -> float:
        captured: list[np.ndarray] = []

        def hook(module: Any, inputs: tuple, output: Any) -> None:
            captured.append(output.data if isinstance(output, Tensor) else np.asarray(output))
            raise _StopForward

        handle = layer.register_forward_hook(hook)
        try:
            with no_grad():
                model(batch)
        except _StopForward:
            pass
        finally:
            handle.remove()
        if not captured:
            raise RuntimeError(f"{fn}: the layer was not called by model(batch); LSUV needs every Linear "
                               "layer to be used in the forward pass")
        return float(np.var(captured[0], dtype=np.float64))

    for name, layer in layers:
        var = output_variance(layer)
        for _ in range(max_iter):
            if abs(var - 1.0) <= tol:
                break
            if not var > 0 or not math.isfinite(var):
                raise ValueError(f"{fn}: the output of layer {name!r} has variance {var}; it cannot be "
                                 "rescaled to 1 (is its input all zeros, e.g. dead ReLUs?)")
            w = layer.weight.data
            w[...] = (w / math.sqrt(var)).astype(w.dtype)
            var = output_variance(layer)
        if abs(var - 1.0) > tol:
            warnings.warn(f"{fn}: layer {name!r} has output variance {var:.4g} after {max_iter} rescalings "
                          f"(target 1 +- {tol:g}); a large bias or a tiny batch can prevent convergence",
                          RuntimeWarning, stacklevel=2)
    return model


def _lsuv_stub(shape: Sequence[int], rng: np.random.Generator | int | None = None,
               dtype: Any = np.float32) -> np.ndarray:
    raise TypeError("lsuv is data-dependent and cannot draw a weight from a shape alone: build the model "
                    "(e.g. with init='orthogonal'), then call init.lsuv(model, batch)")


# --------------------------------------------------------------------------- scheme records


def _num(x: float) -> str:
    return f"{x:g}"


def _gain_prefix(p: Mapping[str, Any]) -> str:
    return "" if p["gain"] == 1 else f"{_num(p['gain'])}^2*"


def _he_num(p: Mapping[str, Any]) -> str:
    a = p["negative_slope"]
    return "2" if a == 0 else f"2/(1+{_num(a)}^2)"


def _he_var(p: Mapping[str, Any]) -> str:
    a, n = p["negative_slope"], p["mode"]
    return f"2/{n}" if a == 0 else f"2/((1+{_num(a)}^2)*{n})"


def _he_uniform_formula(p: Mapping[str, Any]) -> str:
    a, n = p["negative_slope"], p["mode"]
    b = f"sqrt(6/{n})" if a == 0 else f"sqrt(6/((1+{_num(a)}^2)*{n}))"
    return f"U(-{b}, +{b})"


def _fan_text(mode: str) -> str:
    return {"fan_in": "fan_in", "fan_out": "fan_out", "fan_avg": "((fan_in+fan_out)/2)"}[mode]


def _fan_value(fan_in: int, fan_out: int, mode: str) -> float:
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


def _vs_formula(p: Mapping[str, Any]) -> str:
    v = f"{_num(p['scale'])}/{_fan_text(p['mode'])}"
    if p["distribution"] == "normal":
        return f"N(0, {v})"
    if p["distribution"] == "truncated_normal":
        return f"N(0, {v}) truncated at 2 std, rescaled to that variance"
    return f"U(-sqrt(3*{v}), +sqrt(3*{v}))"


class Scheme:
    """A named initialization scheme with bound parameters, callable like the function it wraps.

    ``scheme(shape, rng=None, dtype=np.float32, **params)`` draws a weight.
    Besides, it describes itself:

    Attributes:
        name: canonical name, e.g. ``"he_normal"``.
        aliases: other names :func:`get` accepts.
        params: the bound keyword parameters (defaults filled in).
        source: paper or course, with year and equation (short, for a table).
        reference: the full citation (title, venue).
        note: a remark shown in the table (which "Xavier" it is, pitfalls).
        data_dependent: True for schemes that need data (LSUV).

    Properties ``formula`` and ``variance`` give the distribution and ``Var(W)``
    as text for the bound parameters; :meth:`std` gives the number.
    """

    def __init__(self, name: str, fn: Callable[..., np.ndarray], *, formula: Callable[[Mapping], str],
                 variance: Callable[[Mapping], str], std: Callable[[int, int, Mapping], float] | None,
                 source: str, reference: str = "", aliases: Sequence[str] = (), note: str = "",
                 data_dependent: bool = False,
                 needs_fans: bool = True, mean: Callable[[Mapping], float] | None = None,
                 params: Mapping[str, Any] | None = None) -> None:
        self.name = name
        self.__name__ = name
        self.fn = fn
        self.aliases = tuple(aliases)
        self.source = source
        self.reference = reference or source
        self.note = note
        self.data_dependent = data_dependent
        self.needs_fans = needs_fans
        self._formula, self._variance, self._std, self._mean = formula, variance, std, mean
        sig = inspect.signature(fn)
        self.defaults = {k: v.default for k, v in sig.parameters.items() if k not in ("shape", "rng", "dtype")}
        bound = dict(self.defaults)
        if params:
            bound.update(_check_params(name, params))
        self.params: Mapping[str, Any] = types.MappingProxyType(bound)  # read-only: configure() copies
        self.__doc__ = fn.__doc__

    # ------------------------------------------------------------ binding

    def _merged(self, params: Mapping[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            accepted = ", ".join(self.defaults) if self.defaults else "no parameters"
            raise TypeError(f"{self.name}: unknown parameter(s) {', '.join(unknown)}; "
                            f"{self.name} accepts {accepted}")
        return {**self.params, **_check_params(self.name, params)}

    def configure(self, **params: Any) -> "Scheme":
        """A copy with ``params`` bound (validated now, not at the first call)."""
        return Scheme(self.name, self.fn, formula=self._formula, variance=self._variance, std=self._std,
                      source=self.source, reference=self.reference, aliases=self.aliases, note=self.note,
                      data_dependent=self.data_dependent, needs_fans=self.needs_fans, mean=self._mean,
                      params=self._merged(params))

    def __call__(self, shape: Sequence[int], rng: np.random.Generator | int | None = None,
                 dtype: Any = np.float32, **params: Any) -> np.ndarray:
        return self.fn(shape, rng=rng, dtype=dtype, **self._merged(params))

    # ------------------------------------------------------------ description

    @property
    def formula(self) -> str:
        """The distribution as text, e.g. ``"N(0, 2/fan_in)"``."""
        return self._formula(self.params)

    @property
    def variance(self) -> str:
        """``Var(W)`` as text, e.g. ``"2/fan_in"``."""
        return self._variance(self.params)

    def std(self, fan_in: int, fan_out: int) -> float:
        """The standard deviation of one entry for a ``(fan_in, fan_out)`` weight."""
        if self._std is None:
            raise ValueError(f"{self.name}: the std is not determined by the shape ({self.name} is "
                             "data-dependent); measure it on the initialized model instead")
        for what, n in (("fan_in", fan_in), ("fan_out", fan_out)):
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
                raise ValueError(f"{self.name}.std: {what} must be a positive integer, got {n!r}")
        return float(self._std(int(fan_in), int(fan_out), self.params))

    def mean(self) -> float:
        """The mean of one entry (0 for every scheme but ones, constant and uniform(a, b))."""
        return 0.0 if self._mean is None else float(self._mean(self.params))

    def row(self) -> dict[str, Any]:
        """The scheme as a table row (a dict of strings and a bool)."""
        return {"name": self.name, "aliases": ", ".join(self.aliases), "formula": self.formula,
                "variance": self.variance, "source": self.source, "reference": self.reference, "note": self.note,
                "data_dependent": self.data_dependent}

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.params.items() if self.defaults.get(k, object()) != v}
        args = "".join(f", {k}={v!r}" for k, v in changed.items())
        return f"Scheme({self.name!r}{args}: {self.formula})"

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.formula}", f"  Var(W)  {self.variance}"]
        if self.aliases:
            lines.append(f"  aliases {', '.join(self.aliases)}")
        if self.params:
            lines.append("  params  " + ", ".join(f"{k}={v!r}" for k, v in self.params.items()))
        lines.append(f"  source  {self.source}")
        if self.reference != self.source:
            lines.append(f"          {self.reference}")
        if self.note:
            lines.append(f"  note    {self.note}")
        if self.data_dependent:
            lines.append("  data-dependent: call it on a model and a batch")
        return "\n".join(lines)


_GLOROT = "Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS"
_HE = ("He, Zhang, Ren & Sun (2015), Delving Deep into Rectifiers: Surpassing Human-Level Performance on "
       "ImageNet Classification, ICCV")
_LECUN = "LeCun, Bottou, Orr & Mueller (1998), Efficient BackProp, in Neural Networks: Tricks of the Trade"
_CS231N = "Stanford CS231n (2017), lecture 6, Training Neural Networks I (Li, Johnson & Yeung)"

_REGISTRY: list[Scheme] = [
    Scheme("zeros", zeros, formula=lambda p: "0", variance=lambda p: "0", std=lambda fi, fo, p: 0.0,
           aliases=("zero",), needs_fans=False, source="-",
           note="biases; as weights every unit stays identical (symmetry is never broken)"),
    Scheme("ones", ones, formula=lambda p: "1", variance=lambda p: "0", std=lambda fi, fo, p: 0.0,
           aliases=("one",), needs_fans=False, mean=lambda p: 1.0, source="-"),
    Scheme("constant", constant, formula=lambda p: f"{_num(p['value'])}", variance=lambda p: "0",
           std=lambda fi, fo, p: 0.0, needs_fans=False, mean=lambda p: p["value"], source="-"),
    Scheme("normal", normal, formula=lambda p: f"N(0, {_num(p['std'])}^2)",
           variance=lambda p: f"{_num(p['std'] ** 2)}", std=lambda fi, fo, p: p["std"], aliases=("gaussian",),
           needs_fans=False, source="PyTorch nn.init.normal_",
           note="a fixed std, whatever the fan"),
    Scheme("uniform", uniform, formula=lambda p: f"U({_num(p['a'])}, {_num(p['b'])})",
           variance=lambda p: f"{_num((p['b'] - p['a']) ** 2 / 12)}",
           std=lambda fi, fo, p: (p["b"] - p["a"]) / math.sqrt(12.0), mean=lambda p: (p["a"] + p["b"]) / 2,
           needs_fans=False, source="PyTorch nn.init.uniform_",
           note="mean (a+b)/2, not 0, unless a = -b"),
    Scheme("small", small, formula=lambda p: f"{_num(p['scale'])}*N(0, 1)",
           variance=lambda p: f"{_num(p['scale'] ** 2)}", std=lambda fi, fo, p: p["scale"],
           aliases=("small_random",), needs_fans=False,
           source="CS231n (2017), lecture 6", reference=_CS231N,
           note="activations shrink by ~0.01*sqrt(fan_in) per tanh layer"),
    Scheme("large", large, formula=lambda p: f"{_num(p['scale'])}*N(0, 1)",
           variance=lambda p: f"{_num(p['scale'] ** 2)}", std=lambda fi, fo, p: p["scale"],
           aliases=("large_random",), needs_fans=False, source="CS231n (2017), lecture 6", reference=_CS231N,
           note="pre-activation std ~sqrt(fan_in): tanh/sigmoid saturate"),
    Scheme("cs231n", cs231n, formula=lambda p: "randn(fan_in, fan_out)/sqrt(fan_in) = N(0, 1/fan_in)",
           variance=lambda p: "1/fan_in", std=lambda fi, fo, p: 1.0 / math.sqrt(fi),
           aliases=("xavier_cs231n", "cs231n_xavier"),
           source="CS231n (2017), lecture 6, slide 'Xavier initialization'", reference=_CS231N,
           note='"Xavier" #3: what the CS231n slides call Xavier; same variance as lecun_normal'),
    Scheme("glorot_standard", glorot_standard, formula=lambda p: "U(-1/sqrt(fan_in), +1/sqrt(fan_in))",
           variance=lambda p: "1/(3*fan_in)", std=lambda fi, fo, p: 1.0 / math.sqrt(3.0 * fi),
           aliases=("xavier_standard",), source="Glorot & Bengio (2010), eq. 1 ('standard')", reference=_GLOROT,
           note='"Xavier" #2: the common heuristic the paper starts from'),
    Scheme("xavier_uniform", xavier_uniform,
           formula=lambda p: f"U(-{_gain_prefix(p).replace('^2*', '*')}sqrt(6/(fan_in+fan_out)), "
                             f"+{_gain_prefix(p).replace('^2*', '*')}sqrt(6/(fan_in+fan_out)))",
           variance=lambda p: f"{_gain_prefix(p)}2/(fan_in+fan_out)",
           std=lambda fi, fo, p: p["gain"] * math.sqrt(2.0 / (fi + fo)),
           aliases=("glorot_uniform", "glorot_normalized", "xavier_normalized"),
           source="Glorot & Bengio (2010), eq. 16 ('normalized')", reference=_GLOROT,
           note='"Xavier" #1: PyTorch xavier_uniform_, Keras glorot_uniform'),
    Scheme("xavier_normal", xavier_normal, formula=lambda p: f"N(0, {_gain_prefix(p)}2/(fan_in+fan_out))",
           variance=lambda p: f"{_gain_prefix(p)}2/(fan_in+fan_out)",
           std=lambda fi, fo, p: p["gain"] * math.sqrt(2.0 / (fi + fo)), aliases=("glorot_normal",),
           source="Glorot & Bengio (2010), eq. 12 variance; PyTorch xavier_normal_", reference=_GLOROT,
           note="the normalized init's variance, Gaussian"),
    Scheme("lecun_normal", lecun_normal, formula=lambda p: "N(0, 1/fan_in)", variance=lambda p: "1/fan_in",
           std=lambda fi, fo, p: 1.0 / math.sqrt(fi), aliases=("lecun",),
           source="LeCun et al. (1998), sec. 4.6", reference=_LECUN,
           note="Keras/JAX draw it from a truncated normal"),
    Scheme("lecun_uniform", lecun_uniform, formula=lambda p: "U(-sqrt(3/fan_in), +sqrt(3/fan_in))",
           variance=lambda p: "1/fan_in", std=lambda fi, fo, p: 1.0 / math.sqrt(fi),
           source="LeCun et al. (1998), sec. 4.6", reference=_LECUN),
    Scheme("he_normal", he_normal, formula=lambda p: f"N(0, {_he_var(p)})", variance=_he_var,
           std=lambda fi, fo, p: math.sqrt(2.0 / ((1 + p["negative_slope"] ** 2) * _fan_value(fi, fo, p["mode"]))),
           aliases=("kaiming_normal", "he", "kaiming", "msra"),
           source="He et al. (2015), eq. 10 / 14 / 15", reference=_HE,
           note="keeps the ReLU pre-activation variance constant"),
    Scheme("he_uniform", he_uniform,
           formula=_he_uniform_formula,
           variance=_he_var,
           std=lambda fi, fo, p: math.sqrt(2.0 / ((1 + p["negative_slope"] ** 2) * _fan_value(fi, fo, p["mode"]))),
           aliases=("kaiming_uniform",), source="He et al. (2015); PyTorch kaiming_uniform_", reference=_HE),
    Scheme("variance_scaling", variance_scaling, formula=_vs_formula,
           variance=lambda p: f"{_num(p['scale'])}/{_fan_text(p['mode'])}",
           std=lambda fi, fo, p: math.sqrt(p["scale"] / _fan_value(fi, fo, p["mode"])),
           source="Keras VarianceScaling, JAX variance_scaling",
           note="the general rule; all fan-based presets are calls of it"),
    Scheme("orthogonal", orthogonal, formula=lambda p: f"{_num(p['gain'])}*Q, Q from QR of a Gaussian, sign-fixed",
           variance=lambda p: f"{_gain_prefix(p)}1/max(fan_in, fan_out)",
           std=lambda fi, fo, p: p["gain"] / math.sqrt(max(fi, fo)),
           source="Saxe et al. (2014); sign fix Mezzadri (2007)",
           reference="Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning in "
                     "deep linear neural networks, ICLR; Mezzadri (2007), How to generate random matrices from "
                     "the classical compact groups, Notices of the AMS",
           note="W.T @ W = gain^2 I when fan_in >= fan_out"),
    Scheme("sparse", sparse,
           formula=lambda p: f"N(0, {_num(p['std'])}^2) with ceil({_num(p['sparsity'])}*fan_in) zeros per column",
           variance=lambda p: f"{_num(p['std'])}^2*(fan_in-ceil({_num(p['sparsity'])}*fan_in))/fan_in",
           std=lambda fi, fo, p: p["std"] * math.sqrt((fi - _num_zeros(p["sparsity"], fi)) / fi),
           source="Martens (2010)", reference="Martens (2010), Deep learning via Hessian-free optimization, ICML",
           note="each unit gets the same number of non-zero incoming weights"),
    Scheme("lsuv", _lsuv_stub, formula=lambda p: "orthogonal, then per layer W <- W/sqrt(Var(x W + b)) until ~1",
           variance=lambda p: "set by the data", std=None, aliases=("layer_sequential_unit_variance",),
           data_dependent=True, source="Mishkin & Matas (2015)",
           reference="Mishkin & Matas (2015), All you need is a good init, arXiv:1511.06422 (ICLR 2016)",
           note="call init.lsuv(model, batch) on a built model"),
]

_BY_NAME: dict[str, Scheme] = {}
for _s in _REGISTRY:
    for _key in (_s.name, *_s.aliases):
        _BY_NAME[_key] = _s
del _s, _key

_AMBIGUOUS = {"xavier", "glorot", "xavier_glorot", "glorot_xavier"}


def _normalize(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


# --------------------------------------------------------------------------- lookup


def get(scheme: str | Callable[..., np.ndarray], **params: Any) -> Callable[..., np.ndarray]:
    """Look up a scheme by name (or pass a callable through), with parameters bound.

    Names are case-insensitive and ``-`` equals ``_``; aliases follow the
    literature: ``glorot_*`` = ``xavier_*``, ``kaiming_*`` = ``he_*``. The bare
    ``"xavier"``/``"glorot"`` are refused because they name three different formulas.

    Examples::

        init.get("kaiming-normal", mode="fan_out")((256, 128), rng=0)
        init.get("xavier_uniform", gain=init.calculate_gain("tanh"))

    Args:
        scheme: a name, a :class:`Scheme`, or any callable ``f(shape, rng=None, dtype=np.float32)``.
        **params: parameters to bind, such as ``gain``, ``mode``, ``std``.

    Returns:
        A :class:`Scheme` (for names and schemes), the callable itself (no params), or a
        ``functools.partial`` of it (params).

    Raises:
        ValueError: an unknown or ambiguous name (the message lists the valid ones and the
            closest match), or an invalid parameter value.
        TypeError: a parameter the scheme does not accept, or a non-callable non-string.
    """
    if isinstance(scheme, Scheme):
        return scheme.configure(**params) if params else scheme
    if isinstance(scheme, str):
        key = _normalize(scheme)
        if key in _AMBIGUOUS:
            raise ValueError(
                f"init.get: {scheme!r} is ambiguous: the literature uses it for three formulas. Choose one: "
                "'xavier_uniform' (Glorot & Bengio 2010 normalized init, U(+-sqrt(6/(fan_in+fan_out))), as in "
                "PyTorch/Keras), 'glorot_standard' (U(+-1/sqrt(fan_in)), the paper's standard heuristic) or "
                "'cs231n' (randn/sqrt(fan_in), CS231n's 'Xavier'); 'xavier_normal' is N(0, 2/(fan_in+fan_out)).")
        if key not in _BY_NAME:
            close = difflib.get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"init.get: unknown initialization scheme {scheme!r}.{hint} Valid names: "
                             f"{', '.join(names())} (aliases: {', '.join(names(aliases=True)[len(names()):])})")
        s = _BY_NAME[key]
        return s.configure(**params) if params else s
    if callable(scheme):
        if not params:
            return scheme
        return functools.partial(scheme, **params)
    raise TypeError(f"init.get: expected a scheme name or a function f(shape, rng=None, dtype=np.float32), "
                    f"got {type(scheme).__name__} {scheme!r}")


def names(aliases: bool = False) -> list[str]:
    """The canonical scheme names, in table order; with ``aliases=True`` the aliases follow."""
    out = [s.name for s in _REGISTRY]
    if aliases:
        out += [a for s in _REGISTRY for a in s.aliases]
    return out


def describe(name: str | Scheme) -> Scheme:
    """The :class:`Scheme` record of ``name`` (``print`` it for a description card)."""
    s = get(name)
    if not isinstance(s, Scheme):
        raise TypeError(f"describe: {name!r} is a plain function, not a named scheme")
    return s


def table(fmt: str = "text") -> str | list[dict[str, Any]]:
    """All schemes with their names, aliases, formulas, variances and sources.

    Args:
        fmt: ``"text"`` (aligned columns, for a terminal or slide), ``"markdown"``,
            or ``"rows"`` (a list of dicts, one per scheme, see :meth:`Scheme.row`).

    Returns:
        The table as a string ending with a "Which Xavier?" section (text and
        markdown) or the list of rows. ``print(init.table())`` shows it.
    """
    fmt = _choice("table", "fmt", fmt, ("text", "markdown", "rows"))
    rows = [s.row() for s in _REGISTRY]
    if fmt == "rows":
        return rows
    xav = [_BY_NAME["xavier_uniform"], _BY_NAME["glorot_standard"], _BY_NAME["cs231n"]]
    if fmt == "markdown":
        def cell(text: str) -> str:
            return text.replace("|", "\\|")

        head = "| name | aliases | W ~ | Var(W) | source | note |\n|---|---|---|---|---|---|"
        body = "\n".join(f"| `{r['name']}` | {', '.join(f'`{a}`' for a in r['aliases'].split(', ') if a)} | "
                         f"{cell(r['formula'])} | {cell(r['variance'])} | {cell(r['source'])} | "
                         f"{cell(r['note'])} |" for r in rows)
        which = "\n".join(f"{i}. `{s.name}`: {s.formula}; Var(W) = {s.variance}. {s.source}."
                          for i, s in enumerate(xav, 1))
        return f"{head}\n{body}\n\n**Which Xavier?** Three formulas go by that name:\n\n{which}\n"
    cols = ("name", "formula", "variance")
    width = {c: max(len(c), *(len(r[c]) for r in rows)) for c in cols}
    header = "  ".join(c.ljust(width[c]) for c in cols) + "  source"
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append("  ".join(r[c].ljust(width[c]) for c in cols) + "  " + r["source"])
    lines += ["", 'Which Xavier? Three formulas go by that name:']
    for i, s in enumerate(xav, 1):
        lines.append(f"  {i}. {s.name}: {s.formula}  (Var {s.variance})")
        lines.append(f"     {s.source}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- gains

_GAIN_ONE = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
             "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for an activation, PyTorch's table.

    ======================  ==========================
    nonlinearity            gain
    ======================  ==========================
    linear, identity, conv  1
    sigmoid                 1
    tanh                    5/3
    relu                    sqrt(2)
    leaky_relu              sqrt(2 / (1 + slope^2)), slope = ``param`` (default 0.01)
    selu                    3/4
    ======================  ==========================

    Use it as ``init.get("xavier_uniform", gain=init.calculate_gain("tanh"))``.

    Raises:
        ValueError: unknown nonlinearity, or ``param`` given for one that takes none.
    """
    if not isinstance(nonlinearity, str):
        raise TypeError(f"calculate_gain: nonlinearity must be a name such as 'tanh', got {nonlinearity!r}")
    key = _normalize(nonlinearity)
    valid = (*_GAIN_ONE, "tanh", "relu", "leaky_relu", "selu")
    if key not in valid:
        close = difflib.get_close_matches(key, valid, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}.{hint} "
                         f"Valid: {', '.join(valid)}")
    if key == "leaky_relu":
        slope = 0.01 if param is None else _real("calculate_gain", "param (the negative slope)", param)
        return math.sqrt(2.0 / (1.0 + slope * slope))
    if param is not None:
        raise ValueError(f"calculate_gain: {key!r} takes no param (only 'leaky_relu' does, its slope); got {param!r}")
    if key in _GAIN_ONE:
        return 1.0
    return {"tanh": 5.0 / 3.0, "relu": math.sqrt(2.0), "selu": 0.75}[key]
