"""Layers on the tensor engine, named as in PyTorch so that what you learn transfers.

Weight layout follows the lecture math, **not** PyTorch: ``Linear.weight`` has
shape ``(fan_in, fan_out)`` and the layer computes ``y = x @ W + b``, exactly as in

    W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)
    h = np.tanh(x @ W)

(PyTorch stores the transpose, ``(out_features, in_features)``, and computes
``x @ W.T + b``.) The backward of the layer is the lecture's chain rule:

    dL/dx = dL/dy @ W.T        (upstream x local w)
    dL/dW = x.T @ dL/dy
    dL/db = sum over the batch of dL/dy
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from .losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss
from ..core.tensor import Tensor, _HookHandle
from ..utils import as_rng

__all__ = [
    "Module", "Linear", "Tanh", "Sigmoid", "ReLU", "Identity", "Sequential", "MLP", "BatchNorm1d",
    "ACTIVATIONS", "mse_loss", "cross_entropy", "binary_cross_entropy_with_logits",
]


class Module:
    """Base class of layers and models.

    A module holds parameters (``Tensor(requires_grad=True)``) and sub-modules as
    attributes; both are found automatically, in the order they were assigned.
    Subclasses implement :meth:`forward`; call the module itself (``model(x)``),
    which also runs the forward hooks.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_params", OrderedDict())
        object.__setattr__(self, "_forward_hooks", [])
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_modules" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: call super().__init__() before assigning attributes")
        self._modules.pop(name, None)
        self._params.pop(name, None)
        if isinstance(value, Module):
            self._modules[name] = value
            # Name the parameters by their path from here, so a picture or a ledger of a model
            # shows ``layers.2.weight`` without anyone calling named_parameters() first.
            for path, p in value.named_parameters():
                p.name = f"{name}.{path}"
        elif isinstance(value, Tensor) and value.requires_grad:
            self._params[name] = value
            value.name = name
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._modules.pop(name, None)
        self._params.pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def __call__(self, *args: Any) -> Any:
        out = self.forward(*args)
        if not self._forward_hooks:
            return out
        for hook in list(self._forward_hooks):
            replaced = hook(self, args, out)
            if replaced is not None:
                out = replaced
        return out

    def register_forward_hook(self, fn: Callable[["Module", tuple, Any], Any]) -> _HookHandle:
        """Call ``fn(module, inputs, output)`` after every forward; a returned value replaces the output.

        Returns a handle whose ``remove()`` takes the hook off (also usable as a
        context manager).
        """
        if not callable(fn):
            raise TypeError(f"register_forward_hook: expected a function, got {fn!r}")
        self._forward_hooks.append(fn)
        return _HookHandle(self._forward_hooks, fn)

    # -------------------------------------------------------------- tree

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        yield from self._modules.items()

    def children(self) -> Iterator["Module"]:
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, "Module"]]:
        """This module (named ``prefix``, "" at the top) and all below it, depth first."""
        stack = [(prefix, self)]
        seen: set[int] = set()
        while stack:
            name, m = stack.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            yield name, m
            kids = [(f"{name}.{k}" if name else k, c) for k, c in m._modules.items()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator["Module"]:
        for _, m in self.named_modules():
            yield m

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """``(path, parameter)`` pairs, paths dotted from this module: ``layers.2.weight``.

        Each parameter's ``.name`` is set to its path, so the ledger and the
        renderer can show it.
        """
        seen: set[int] = set()
        for mname, m in self.named_modules():
            for pname, p in m._params.items():
                if id(p) in seen:
                    continue
                seen.add(id(p))
                path = f"{mname}.{pname}" if mname else pname
                p.name = path
                yield path, p

    def parameters(self) -> list[Tensor]:
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to None (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = None

    def num_parameters(self) -> int:
        return sum(p.data.size for p in self.parameters())

    def train(self, mode: bool = True) -> "Module":
        """Put this module and all below it in training mode (``eval()`` is ``train(False)``)."""
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        return self

    def eval(self) -> "Module":
        return self.train(False)

    # ------------------------------------------------------------- repr

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not self._modules:
            return head + ")"
        lines = [head]
        for name, m in self._modules.items():
            sub = repr(m).replace("\n", "\n  ")
            lines.append(f"  ({name}): {sub}")
        return "\n".join(lines) + "\n)"


def _resolve_init(init: str | Callable | None, default: str) -> tuple[Callable, str]:
    from . import init as init_mod

    if init is None:
        init = default
    fn = init_mod.get(init)
    name = init if isinstance(init, str) else getattr(init, "__name__", type(init).__name__)
    return fn, name


class Linear(Module):
    """A fully connected layer, ``y = x @ W + b``.

    Shapes: ``x`` (batch, fan_in) -> ``y`` (batch, fan_out); ``weight`` is
    ``(fan_in, fan_out)`` (the lecture's layout, the transpose of PyTorch's) and
    ``bias`` is ``(fan_out,)``.

    Args:
        fan_in: input features.
        fan_out: output features.
        bias: whether to add a bias.
        init: the weight scheme: a name known to :func:`tinygrad_init.init.get`
            (for example ``"he_normal"``, ``"xavier_uniform"``, ``"small"``) or a
            function ``f(shape, rng=None, dtype=np.float32) -> ndarray``.
            Default ``"xavier_uniform"`` (Glorot & Bengio's normalized init).
        bias_init: the bias scheme (default zeros).
        rng: a Generator, seed or None.
        dtype: the parameters' dtype.
    """

    def __init__(self, fan_in: int, fan_out: int, bias: bool = True, init: str | Callable | None = None,
                 bias_init: str | Callable | None = None, rng: np.random.Generator | int | None = None,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        for what, n in (("fan_in", fan_in), ("fan_out", fan_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Linear: {what} must be a positive integer, got {n!r}")
        gen = as_rng(rng)
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        w_fn, self.init_name = _resolve_init(init, "xavier_uniform")
        self.weight = Tensor(_checked(w_fn((self.fan_in, self.fan_out), rng=gen, dtype=dtype),
                                      (self.fan_in, self.fan_out), "weight"), requires_grad=True)
        if bias:
            b_fn, self.bias_init_name = _resolve_init(bias_init, "zeros")
            self.bias = Tensor(_checked(b_fn((self.fan_out,), rng=gen, dtype=dtype), (self.fan_out,), "bias"),
                               requires_grad=True)
        else:
            self.bias = None
            self.bias_init_name = ""

    def forward(self, x: Tensor) -> Tensor:
        if not isinstance(x, Tensor):
            x = Tensor(x, dtype=self.weight.dtype)
        shape = x.data.shape
        if not shape or shape[-1] != self.fan_in:
            raise ValueError(f"Linear({self.fan_in}, {self.fan_out}): input of shape {x.shape} has "
                             f"{x.shape[-1] if x.ndim else 'no'} features in its last dimension, expected "
                             f"{self.fan_in}. Inputs are (batch, fan_in).")
        y = x @ self.weight
        return y + self.bias if self.bias is not None else y

    def extra_repr(self) -> str:
        return f"{self.fan_in}, {self.fan_out}, bias={self.bias is not None}, init={self.init_name!r}"


def _checked(arr: Any, shape: tuple, what: str) -> np.ndarray:
    arr = np.asarray(arr)
    if arr.shape != shape:
        raise ValueError(f"Linear: the {what} initializer returned shape {arr.shape}, expected {shape}")
    return arr


class _Activation(Module):
    name = ""

    def forward(self, x: Tensor) -> Tensor:
        if not isinstance(x, Tensor):
            x = Tensor(x)
        return getattr(x, self.name)()


class Tanh(_Activation):
    """tanh(x) elementwise; local derivative 1 - tanh^2(x) (at most 1, 0 when saturated)."""

    name = "tanh"


class Sigmoid(_Activation):
    """1/(1+e^-x) elementwise; local derivative s(1-s), at most 1/4."""

    name = "sigmoid"


class ReLU(_Activation):
    """max(0, x) elementwise; local derivative 1 where x > 0, else 0."""

    name = "relu"


class Identity(Module):
    """Returns its input."""

    name = "linear"

    def forward(self, x: Tensor) -> Tensor:
        return x


ACTIVATIONS: dict[str, type[Module]] = {"tanh": Tanh, "sigmoid": Sigmoid, "relu": ReLU, "linear": Identity}


def activation(name: str) -> Module:
    """A fresh activation module by name ("tanh", "sigmoid", "relu" or "linear")."""
    key = str(name).lower()
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[key]()


class Sequential(Module):
    """Modules applied in order; children are named "0", "1", ... (so parameters are ``2.weight``)."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], (list, tuple)):
            modules = tuple(modules[0])
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: item {i} is a {type(m).__name__}, not a Module")
            setattr(self, str(i), m)

    def forward(self, x: Any) -> Any:
        for m in self._modules.values():
            x = m(x)
        return x

    def __getitem__(self, i: int | slice) -> Any:
        mods = list(self._modules.values())
        if isinstance(i, slice):
            return Sequential(*mods[i])
        return mods[i]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))


_DEFAULT_INIT = {"tanh": "xavier_uniform", "sigmoid": "xavier_uniform", "linear": "xavier_uniform",
                 "relu": "he_normal"}


class MLP(Module):
    """A multilayer perceptron: Linear, activation, Linear, activation, ..., Linear.

    Args:
        sizes: widths ``[n_in, n_1, ..., n_out]`` (at least two numbers).
        activation: "tanh", "sigmoid", "relu" or "linear", between the layers.
        init: weight scheme for every Linear (name or function). Default by
            activation: Xavier/Glorot for tanh and sigmoid, He/Kaiming for ReLU.
        bias_init: bias scheme (default zeros).
        bias: whether the Linear layers have biases.
        rng: a Generator, seed or None.
        final_activation: an activation after the last Linear (default none).

    The layers live in ``self.layers`` (a :class:`Sequential`), so parameter
    paths read ``layers.0.weight``, ``layers.2.bias``, ...
    """

    def __init__(self, sizes: Sequence[int], activation: str = "tanh", init: str | Callable | None = None,
                 bias_init: str | Callable | None = None, bias: bool = True,
                 rng: np.random.Generator | int | None = None, final_activation: str | None = None,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes must list at least an input and an output width, got {sizes}")
        act = str(activation).lower()
        if act not in ACTIVATIONS:
            raise ValueError(f"MLP: unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        gen = as_rng(rng)
        self.sizes = sizes
        self.activation = act
        init = _DEFAULT_INIT[act] if init is None else init
        mods: list[Module] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            mods.append(Linear(n_in, n_out, bias=bias, init=init, bias_init=bias_init, rng=gen, dtype=dtype))
            if i < len(sizes) - 2:
                mods.append(ACTIVATIONS[act]())
        if final_activation is not None:
            mods.append(globals()["activation"](final_activation))
        self.layers = Sequential(*mods)

    def forward(self, x: Any) -> Tensor:
        return self.layers(x)

    def linears(self) -> list[Linear]:
        """The Linear layers, input to output."""
        return [m for m in self.layers if isinstance(m, Linear)]

    def extra_repr(self) -> str:
        return f"{self.sizes}, activation={self.activation!r}"


class BatchNorm1d(Module):
    """Batch normalization over the batch axis (Ioffe & Szegedy 2015).

    Training: ``y = gamma * (x - mean_B) / sqrt(var_B + eps) + beta`` with the
    batch's mean and (biased) variance per feature, and running estimates
    updated as ``running = (1 - momentum) * running + momentum * batch``
    (the running variance uses the unbiased batch variance, as PyTorch does).
    Evaluation (``eval()``): the running estimates are used instead.

    Shapes: ``x`` (batch, num_features) -> same.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)) or num_features < 1:
            raise ValueError(f"BatchNorm1d: num_features must be a positive integer, got {num_features!r}")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"BatchNorm1d: momentum must be in [0, 1], got {momentum}")
        if eps <= 0:
            raise ValueError(f"BatchNorm1d: eps must be positive, got {eps}")
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), float(momentum)
        if affine:
            self.weight = Tensor(np.ones(num_features, dtype=dtype), requires_grad=True)
            self.bias = Tensor(np.zeros(num_features, dtype=dtype), requires_grad=True)
        else:
            self.weight = self.bias = None
        self.running_mean = np.zeros(num_features, dtype=dtype)
        self.running_var = np.ones(num_features, dtype=dtype)

    def forward(self, x: Tensor) -> Tensor:
        if not isinstance(x, Tensor):
            x = Tensor(x)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d({self.num_features}): expected input (batch, {self.num_features}), "
                             f"got {x.shape}")
        if self.training:
            n = x.shape[0]
            if n < 2:
                raise ValueError("BatchNorm1d: training needs a batch of at least 2 samples to estimate a "
                                 "variance; call eval() to use the running estimates")
            mean = x.mean(axis=0, keepdims=True)
            centered = x - mean
            var = (centered * centered).mean(axis=0, keepdims=True)
            m = self.momentum
            self.running_mean = ((1 - m) * self.running_mean + m * mean.data[0]).astype(self.running_mean.dtype)
            unbiased = var.data[0] * (n / (n - 1))
            self.running_var = ((1 - m) * self.running_var + m * unbiased).astype(self.running_var.dtype)
            y = centered / (var + self.eps) ** 0.5
        else:
            y = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        if self.weight is not None:
            y = y * self.weight + self.bias
        return y

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps:g}, momentum={self.momentum:g}"
