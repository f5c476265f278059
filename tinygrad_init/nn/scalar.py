"""Neurons, layers and MLPs on the scalar engine: every weight is a visible :class:`Value`.

A neuron computes ``act(w_1 x_1 + ... + w_n x_n + b)``. Each product
``w_i * x_i`` is its own node, so a graph picture shows the lecture's
"upstream x local w" at every weight; the sum is one n-ary "+" node
(:meth:`Value.sum`).

Initialization uses the same schemes as the tensor layers
(:mod:`tinygrad_init.init`): a :class:`Layer` draws its ``(nin, nout)`` weight
matrix with the scheme and gives column ``j`` to neuron ``j``.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import numpy as np

from ..utils import as_rng
from ..core.value import Value

__all__ = ["Neuron", "Layer", "MLP"]

_ACTS = ("relu", "tanh", "sigmoid", "linear")


def _check_activation(activation: str) -> str:
    act = str(activation).lower()
    if act not in _ACTS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(_ACTS)}")
    return act


def _inputs(x: Iterable[Value | float], nin: int, who: str) -> list:
    xs = list(x)
    if len(xs) != nin:
        raise ValueError(f"{who}: expected {nin} inputs, got {len(xs)}")
    return xs


class Module:
    """The scalar counterpart of ``nn.Module``: ``parameters()`` and ``zero_grad()``."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0.0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """``act(sum_i w_i x_i + b)`` with ``nin`` weights.

    Args:
        nin: number of inputs.
        activation: "relu", "tanh", "sigmoid" or "linear".
        weights: the initial weights (``nin`` numbers); drawn U(-1, 1) if None.
        bias: the initial bias.
        rng: used when drawing the weights.
        name: a prefix for the labels of the parameters (``w0``, ``w1``, ..., ``b``).
    """

    def __init__(self, nin: int, activation: str = "relu", weights: Sequence[float] | None = None,
                 bias: float = 0.0, rng: np.random.Generator | int | None = None, name: str = "") -> None:
        if isinstance(nin, bool) or not isinstance(nin, (int, np.integer)) or nin < 1:
            raise ValueError(f"Neuron: nin must be a positive integer, got {nin!r}")
        self.activation = _check_activation(activation)
        if weights is None:
            weights = as_rng(rng).uniform(-1.0, 1.0, size=nin)
        weights = [float(w) for w in weights]
        if len(weights) != nin:
            raise ValueError(f"Neuron: got {len(weights)} weights for {nin} inputs")
        pre = f"{name}." if name else ""
        self.w = [Value(w, label=f"{pre}w{i}") for i, w in enumerate(weights)]
        self.b = Value(float(bias), label=f"{pre}b")

    def __call__(self, x: Iterable[Value | float]) -> Value:
        xs = _inputs(x, len(self.w), "Neuron")
        act = Value.sum([wi * xi for wi, xi in zip(self.w, xs)], self.b)
        if self.activation == "linear":
            return act
        return getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs.

    Args:
        nin, nout: input and output widths.
        activation: the neurons' activation.
        init: a weight scheme (name or function, as for ``nn.Linear``) drawn as one
            ``(nin, nout)`` matrix; ``None`` draws U(-1, 1) per weight.
        bias_init: the bias scheme (zeros if None).
        rng: a Generator, seed or None.
        name: a prefix for parameter labels.
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu", init: str | Callable | None = None,
                 bias_init: str | Callable | None = None, rng: np.random.Generator | int | None = None,
                 name: str = "") -> None:
        if isinstance(nout, bool) or not isinstance(nout, (int, np.integer)) or nout < 1:
            raise ValueError(f"Layer: nout must be a positive integer, got {nout!r}")
        gen = as_rng(rng)
        from . import init as init_mod
        if init is None:
            W = gen.uniform(-1.0, 1.0, size=(nin, nout))
        else:
            W = np.asarray(init_mod.get(init)((nin, nout), rng=gen, dtype=np.float64))
        b = np.zeros(nout) if bias_init is None else np.asarray(init_mod.get(bias_init)((nout,), rng=gen,
                                                                                      dtype=np.float64))
        pre = f"{name}." if name else ""
        self.neurons = [Neuron(nin, activation, W[:, j], b[j], name=f"{pre}n{j}") for j in range(nout)]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        xs = list(x)
        out = [n(xs) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        n = self.neurons[0]
        return f"Layer({len(n.w)}, {len(self.neurons)}, activation={n.activation!r})"


class MLP(Module):
    """A scalar multilayer perceptron, as in micrograd: ``MLP(2, [16, 16, 1])``.

    Hidden layers use ``activation``; the last layer is linear. Parameters are
    labelled ``L0.n3.w1`` (layer 0, neuron 3, weight 1).

    Args:
        nin: number of inputs.
        nouts: the widths of the layers, the last being the output width.
        activation: hidden activation ("relu", "tanh", "sigmoid", "linear").
        init, bias_init: as for :class:`Layer`.
        rng: a Generator, seed or None.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 init: str | Callable | None = None, bias_init: str | Callable | None = None,
                 rng: np.random.Generator | int | None = None) -> None:
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP: nouts must list at least one layer width")
        gen = as_rng(rng)
        sizes = [nin] + nouts
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else "linear", init=init,
                  bias_init=bias_init, rng=gen, name=f"L{i}")
            for i in range(len(nouts))
        ]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        out: object = list(x)
        for layer in self.layers:
            out = layer(out if isinstance(out, list) else [out])
        return out  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return "MLP(" + ", ".join(repr(layer) for layer in self.layers) + ")"
