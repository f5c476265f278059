"""Neurons, layers and MLPs on the scalar engine, as in micrograd: every weight is a visible `Value`.

A neuron computes `act(w_1 x_1 + ... + w_n x_n + b)`, each product `w_i * x_i` its own node (a picture shows
"upstream x local w" at every weight) and the sum one n-ary "+" (`Value.sum`); `act` is a registry name. A
`Layer` draws its `(nin, nout)` weights with a scheme of `init`, as `nn.Linear` does: column `j` is neuron `j`'s.
Unlike micrograd's, they come from `rng`, not from `random`: `random.seed(1337)` does not fix them, `rng=1337` does."""

from __future__ import annotations

from itertools import repeat
from numbers import Real
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from . import activations, init as _init
from ..core.value import Value, as_number
from ..utils import MAX_SIZE, Rng, as_rng, check_bool, check_int, check_real, check_type, counted, ordered

__all__ = ["Neuron", "Layer", "MLP", "tensor_code"]


def _inputs(where: str, x: Iterable[Value | float], n: int) -> list[Value | float]:
    """`x` as a list of `n` inputs, or an error naming `where` (not a set, whose order is not yours; not bytes)."""
    if not ordered(x):
        raise TypeError(f"{where}: x must be a list of {n} inputs (numbers or Values), got {type(x).__name__} "
                        f"{x!r:.60}")
    xs = list(x)
    if len(xs) != n:
        batch = xs and isinstance(xs[0], (list, tuple, np.ndarray)) and np.ndim(xs[0]) == 1 and len(xs[0]) == n  # X
        raise ValueError(f"{where}: expected {n} inputs, got " + (f"{counted(len(xs), 'row')} of {n}: a scalar net "
                         "takes one sample at a time, [model(x) for x in X]" if batch else str(len(xs))))
    return [v if isinstance(v, Value) else as_number(v, f"{where}: x[{i}]") for i, v in enumerate(xs)]  # not 'mul: ...'


def _activation(where: str, activation: str | bool | None, nonlin: bool | None) -> str:
    """The activation's registry name (None: "relu"); micrograd's `nonlin=True` (or False) is "relu" (or "linear"),
    also given by position as micrograd's `Neuron(nin, nonlin)`."""
    if isinstance(activation, bool) and nonlin is None:
        activation, nonlin = None, activation
    if nonlin is not None:
        if activation is not None:
            raise ValueError(f"{where}: give activation={activation!r} or micrograd's nonlin={nonlin!r}, not both")
        activation = "relu" if check_bool(where, "nonlin", nonlin) else "linear"
    return activations.get("relu" if activation is None else activation, where, engine_only=True).name


class Module:
    """The scalar counterpart of `nn.Module`: `parameters()` (each once, also one shared by two neurons) and
    `zero_grad()`."""

    def parameters(self) -> list[Value]: return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0.0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """`act(sum_i w_i x_i + b)` of `nin` inputs, `act` "relu" (the default), "tanh", "sigmoid" or "linear" (micrograd's
    `nonlin=False`, also by position, `Neuron(2, False)`: "linear"); the `weights` are drawn from U(-1, 1) with `rng`
    if not given; the labels read `w0, w1, ..., b` after `name`."""

    def __init__(self, nin: int, activation: str | bool | None = None,
                 weights: Sequence[float] | np.ndarray | None = None, bias: float = 0.0, rng: Rng = None,
                 name: str = "", *, nonlin: bool | None = None) -> None:
        nin = check_int("Neuron", "nin", nin, 1, maximum=MAX_SIZE)
        self.activation = _activation("Neuron", activation, nonlin)
        if weights is not None and not (isinstance(weights, (list, tuple)) or getattr(weights, "ndim", 0) == 1):
            raise TypeError(f"Neuron: weights must be a list of numbers, one per input ({nin}), got "
                            f"{type(weights).__name__} {weights!r:.40}")
        weights = [check_real("Neuron", f"weights[{i}]", w) for i, w in
                   enumerate(as_rng(rng, "Neuron").uniform(-1.0, 1.0, size=nin) if weights is None else weights)]
        if len(weights) != nin:
            raise ValueError(f"Neuron: weights must have one number per input ({nin}), got {len(weights)}")
        pre = f"{name}." if check_type("Neuron", "name", name, str, "a string (the labels' prefix)") else ""
        self.w = [Value(w, label=f"{pre}w{i}") for i, w in enumerate(weights)]
        self.b = Value(check_real("Neuron", "bias", bias), label=f"{pre}b")

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "activation":  # also after construction: a name the registry lacks (n.activation = "gelu") ended the
            value = _activation("Neuron", value, None)  # forward in "'Value' object has no attribute 'gelu'"
        elif name == "w" and not isinstance(value, (list, tuple)):  # (one Value, a number: "has no len()" at the call)
            raise TypeError(f"Neuron: w must be a list of Values, one weight per input, got {type(value).__name__} "
                            f"{value!r:.40}; to change one weight, n.w[0] = Value(0.5) or n.w[0].data = 0.5")
        object.__setattr__(self, name, value)

    def __call__(self, x: Iterable[Value | float]) -> Value:
        xs = _inputs("Neuron", x, len(self.w))
        act = Value.sum([wi * xi for wi, xi in zip(self.w, xs)], self.b)
        return act if self.activation == "linear" else getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        """The weights, then the bias, each once; a plain number assigned since (`n.w[0] = 0.5`) is named."""
        ps = [*self.w, self.b]
        if not all(map(isinstance, ps, repeat(Value))):  # (map, not a generator: each step reads them)
            i, p = next((i, p) for i, p in enumerate(ps) if not isinstance(p, Value))
            where, x = f"w[{i}]" if i < len(self.w) else "b", repr(float(p)) if isinstance(p, Real) else "x"
            raise TypeError(f"Neuron: {where} is {type(p).__name__} {p!r:.40}, not a Value, so it would get no "
                            f"gradient and no update; assign one, n.{where} = Value({x})" + (
                                f" (a Value's number is changed in place, n.{where}.data = {x})" if x != "x" else
                                " of its number x"))
        return list(dict.fromkeys(ps))

    def __repr__(self) -> str: return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """`nout` neurons of one `activation` reading the same `nin` inputs. `init` (a scheme's name or a function,
    as for `nn.Linear`) draws the `(nin, nout)` weights, by default U(-1, 1) each; `bias_init` the biases
    (default zeros); `rng` is a Generator, seed or None; `name` prefixes the labels; `nonlin` as for `Neuron`."""

    def __init__(self, nin: int, nout: int, activation: str | bool | None = None, init: str | Callable | None = None,
                 bias_init: str | Callable | None = None, rng: Rng = None,
                 name: str = "", *, nonlin: bool | None = None) -> None:
        shape = tuple(check_int("Layer", k, v, 1, maximum=MAX_SIZE) for k, v in (("nin", nin), ("nout", nout)))
        gen = as_rng(rng, "Layer")
        activation = _activation("Layer", activation, nonlin)  # checked before any draw
        W = gen.uniform(-1.0, 1.0, size=shape) if init is None else \
            _init._initialize("Layer", "weight", init, shape, gen, np.float64)[0]
        b = np.zeros(nout) if bias_init is None else \
            _init._initialize("Layer", "bias", bias_init, shape[1:], gen, np.float64)[0]
        pre = f"{name}." if check_type("Layer", "name", name, str, "a string (the labels' prefix)") else ""
        self.neurons = [Neuron(nin, activation, W[:, j], b[j], name=f"{pre}n{j}") for j in range(nout)]

    def __call__(self, x: Iterable[Value | float]) -> Value | Any:
        """The neurons' outputs: a Value for one neuron, else a list of them (hinted `Value | Any`: a count, not a
        type, decides which, so `layer(x) - 1.0` type-checks, and a list is narrowed with `isinstance`)."""
        xs = _inputs("Layer", x, len(self.neurons[0].w))
        out = [n(xs) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]: return list(dict.fromkeys(p for n in self.neurons for p in n.parameters()))

    def __repr__(self) -> str:
        return f"Layer({len(self.neurons[0].w)}, {len(self.neurons)}, activation={self.neurons[0].activation!r})"


class MLP(Module):
    """A scalar multilayer perceptron, as in micrograd: `MLP(2, [16, 16, 1])`, `activation` between the layers,
    the last linear; `init`, `bias_init` and `rng` as for `Layer`; labels `L0.n3.w1` (layer 0, neuron 3, weight 1)."""

    def __init__(self, nin: int, nouts: Sequence[int] | np.ndarray, activation: str = "relu",
                 init: str | Callable | None = None, bias_init: str | Callable | None = None, rng: Rng = None) -> None:
        if not ordered(nouts):
            raise TypeError(f"MLP: nouts must be a list of widths such as [16, 16, 1], got {nouts!r:.60}")
        named = [("nin", nin), *((f"nouts[{i}]", w) for i, w in enumerate(nouts))]
        sizes = [check_int("MLP", name, w, 1, maximum=MAX_SIZE) for name, w in named]
        gen, activation = as_rng(rng, "MLP"), activations.get(activation, "MLP", engine_only=True).name
        if len(sizes) < 2:
            raise ValueError("MLP: nouts must list at least one layer width")
        try:  # init and bias_init are checked as each layer draws: named as the MLP's
            self.layers = [Layer(sizes[i], sizes[i + 1], activation if i < len(sizes) - 2 else "linear", init=init,
                                 bias_init=bias_init, rng=gen, name=f"L{i}") for i in range(len(sizes) - 1)]
        except (TypeError, ValueError) as e:
            raise type(e)(f"MLP: {str(e).removeprefix('Layer: ')}") from e.__cause__  # (the student's own error)

    def __call__(self, x: Iterable[Value | float]) -> Value | Any:
        """The last layer's output: a Value for one output (`MLP(2, [16, 16, 1])`), else a list (as `Layer`)."""
        out: Any = _inputs("MLP", x, len(self.layers[0].neurons[0].w))
        for layer in self.layers:
            out = layer(out if isinstance(out, list) else [out])
        return out

    def parameters(self) -> list[Value]: return list(dict.fromkeys(p for m in self.layers for p in m.parameters()))
    def __repr__(self) -> str: return "MLP(" + ", ".join(repr(layer) for layer in self.layers) + ")"


def tensor_code(model: Module) -> str:
    """The `nn` call that builds the network of a scalar `MLP`, `Layer` or `Neuron` on Tensors (its weights drawn
    anew), for the messages of what takes the Tensor engine's models; for a Module of one's own, an example."""
    try:
        layers = [getattr(layer, "neurons", [layer]) for layer in getattr(model, "layers", [model])]
        sizes, acts = [len(layers[0][0].w)] + [len(ns) for ns in layers], [ns[0].activation for ns in layers]
    except (AttributeError, IndexError, TypeError):
        return "nn layers, e.g. nn.MLP([2, 16, 1], activation='relu')"
    return f"nn.MLP({sizes}" + f", activation={acts[0]!r}" * (len(acts) > 1) + (
        f", final_activation={acts[-1]!r}" if acts[-1] != "linear" else "") + ")"
