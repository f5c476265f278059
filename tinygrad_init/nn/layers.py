"""Layers on the tensor engine, with PyTorch's names so that what you learn transfers.

`Linear.weight` has the lecture's layout `(fan_in, fan_out)`, not PyTorch's transpose: `y = x @ W + b`, as in
`W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)` and `h = np.tanh(x @ W)`. Its backward is the chain rule:
`dL/dx = dL/dy @ W.T` (upstream x local w), `dL/dW = x.T @ dL/dy`, `dL/db` = `dL/dy` summed over the batch."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Sequence, SupportsIndex, overload

import numpy as np

from . import activations, init as _init, scalar as _scalar
from .losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss
from .optim import zero_grads
from ..core.inputs import TorchName, real_dtype
from ..core.tensor import OPS, Tensor, _HookHandle
from ..utils import (Checked, Rng, as_rng, check_bool, check_int, check_real, check_type, counted, ordered, quoted,
                     renamed)

__all__ = ["Module", "Linear", "Tanh", "Sigmoid", "ReLU", "Identity", "Sequential", "MLP", "BatchNorm1d",
           "ACTIVATIONS", "mse_loss", "cross_entropy", "binary_cross_entropy_with_logits"]
_TORCH_MODULE = {  # PyTorch's Module methods -> what to write here
    "state_dict": "copy.deepcopy(model) keeps a copy; the arrays are {n: p.data.copy() for n, p in model."
                  "named_parameters()} (and BatchNorm1d's running_mean, running_var)",
    "load_state_dict": "write the arrays back, p.data[...] = saved[n] for n, p in model.named_parameters()",
    "requires_grad_": "for p in model.parameters(): p.requires_grad = False (and give the optimizer the others)",
    **dict.fromkeys(("to", "cpu", "cuda", "float", "double"), "not needed: numpy, on the CPU; for float64 build the "
                    "model with dtype=np.float64"),
    **dict.fromkeys(("buffers", "named_buffers", "register_buffer"), "a plain attribute (BatchNorm1d's running_mean)"),
    **dict.fromkeys(("add_module", "register_module", "register_parameter"), "setattr(model, name, value) registers a "
                    "Module or a leaf Tensor(..., requires_grad=True)"),
    **dict.fromkeys(("append", "extend", "insert"), "build a list of layers, then nn.Sequential(*layers)"),
    **dict.fromkeys(("register_full_backward_hook", "register_backward_hook"), "a forward hook that calls "
                    "output.register_hook(fn): fn(grad) gets dL/d(output)")}


class Module:
    """The base of layers and models: parameters (leaf `Tensor(requires_grad=True)`, not a computed one) and
    sub-modules assigned as attributes are found by themselves, in order. A subclass writes `forward`; `model(x)`
    runs it, then the hooks."""

    locals().update({name: TorchName(name, write) for name, write in _TORCH_MODULE.items()})

    def __init__(self) -> None:
        self.__dict__.update(_modules={}, _params={}, _forward_hooks=[], training=True)  # dicts keep their order

    def __setattr__(self, name: str, value: Any) -> None:
        if "_modules" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: call super().__init__() before assigning attributes")
        is_param = isinstance(value, Tensor) and (value.requires_grad and value.is_leaf  # not a computed tensor
                                                  or value is self._params.get(name))  # or a frozen one put back
        if value is not None and not is_param and (name in self._params or name in self._modules
                                                   and not isinstance(value, Module)):  # as PyTorch refuses it
            raise TypeError(f"{type(self).__name__}: {name!r} is a " + (
                "parameter; assign a leaf Tensor(..., requires_grad=True) or None, or change its values in place (p -= "
                "... inside no_grad(), or p.data[...] = ...)" if name in self._params else
                "sub-module; assign a Module or None, or del it first") + f", got {type(value).__name__}")
        home = self._params if is_param or value is None and name in self._params else \
            self._modules if isinstance(value, Module) or name in self._modules else None  # None keeps the place
        for d in (self._params, self._modules):  # a name assigned again keeps its place (the order of parameters())
            if d is not home:
                d.pop(name, None)
        if isinstance(value, Module):
            for path, p in value.named_parameters():  # named from here, so a picture shows layers.2.weight
                p.name = f"{name}.{path}"
        elif is_param and self._params.get(name) is not value:  # not `w -= ...` assigning w back: it keeps its path
            value.name = name
        if home is not None:
            home[name] = value
        object.__setattr__(self, name, value)

    def __copy__(self) -> Module:  # copy.copy: the same layers and tensors, registered in dicts of its own
        new = object.__new__(type(self))
        new.__dict__.update(vars(self), _modules=dict(self._modules), _params=dict(self._params),
                            _forward_hooks=list(self._forward_hooks))
        return new

    def __delattr__(self, name: str) -> None:
        self._modules.pop(name, None)
        self._params.pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = self.forward(*args, **kwargs) if kwargs else self.forward(*args)  # (no empty dict to unpack)
        if self._forward_hooks:
            for hook in list(self._forward_hooks):  # its result, unless None, is the output
                out = out if (replaced := hook(self, args, out)) is None else replaced
        return out

    def register_forward_hook(self, fn: Callable[[Module, tuple, Any], Any]) -> _HookHandle:
        """Call `fn(module, inputs, output)` after each forward (a returned value replaces the output); the
        handle's `remove()` (or the end of a `with` block) takes the hook off."""
        if not callable(fn):
            raise TypeError(f"register_forward_hook: expected a function, got {fn!r}")
        self._forward_hooks.append(fn)
        return _HookHandle(self._forward_hooks, fn)

    def children(self) -> Iterator[Module]: return (m for _, m in self.named_children())
    def modules(self) -> Iterator[Module]: return (m for _, m in self.named_modules())
    def parameters(self) -> list[Tensor]: return [p for _, p in self.named_parameters()]
    def num_parameters(self) -> int: return sum(p.data.size for p in self.parameters())
    def eval(self) -> Module: return self.train(False)
    def extra_repr(self) -> str: return ""

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """`(name, module)` of the direct sub-modules, a module assigned under two names once (the first)."""
        seen = {id(None)}  # a None placeholder (self.fc = None) is no module
        return ((k, m) for k, m in self._modules.items() if not (id(m) in seen or seen.add(id(m))))

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module (named `prefix`, "" at the top) and every one below it, depth first."""
        stack, seen = [(prefix, self)], {id(None)}
        while stack:
            name, m = stack.pop()
            if id(m) not in seen:
                seen.add(id(m))
                yield name, m
                stack.extend(reversed([(f"{name}.{k}" if name else k, c) for k, c in m._modules.items()]))

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """`(path, parameter)` pairs with dotted paths from here (`layers.2.weight`), which also become
        each parameter's `.name`, as the ledger and the pictures show it (unless it has a longer one ending
        in this path: a sub-module's `parameters()` leaves `layers.2.weight` as it is)."""
        seen = {id(None)}  # a None placeholder (self.bias = None) is no parameter
        for mname, m in self.named_modules():
            for pname, p in m._params.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    path = f"{mname}.{pname}" if mname else pname
                    if not (p.name or "").endswith("." + path):
                        p.name = path
                    yield path, p

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's `.grad` to None, or to zeros (`set_to_none=False`): they accumulate otherwise."""
        zero_grads(self.parameters(), set_to_none, "Module.zero_grad")

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call `fn(m)` on every sub-module, then on this one (PyTorch's order), as in `model.apply(init_weights)`."""
        check_type("Module.apply", "fn", fn, Callable,
                   "a function fn(module) (a scheme goes by name: MLP(sizes, init=name))")
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def train(self, mode: bool = True) -> Module:
        """Put this module and all below it in training mode (`eval()` is `train(False)`)."""
        mode = check_bool("train", "mode", mode)
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def __repr__(self) -> str:
        lines = [f"  ({name}): " + repr(m).replace("\n", "\n  ") for name, m in self._modules.items()]
        return f"{type(self).__name__}({self.extra_repr()}" + ("\n" + "\n".join(lines) + "\n)" if lines else ")")


def as_module(fn: str, model: Any, what: str = "an nn.Module", name: str = "model") -> Module:
    """`model` if it is an nn.Module, else a TypeError naming `fn`, the argument (`name`) and `what`: a net of the
    scalar engine is told the nn model of its network, a torch.nn.Module (one's own class too) how to build it here."""
    if isinstance(model, _scalar.Module):
        raise TypeError(f"{fn}: {name} is the scalar engine's {type(model).__name__} (scalar_nn, on Values); {fn} "
                        f"takes the Tensor engine's nn models: build the network as {_scalar.tensor_code(model)} (its "
                        "weights drawn anew)")
    if any(f"{c.__module__}.{c.__qualname__}" == "torch.nn.modules.module.Module" for c in type(model).__mro__):
        raise TypeError(f"{fn}: {name} is PyTorch's {type(model).__name__} (torch.nn); {fn} takes this package's nn "
                        "models: build it from its nn layers, of the same names (to copy a Linear t's weight, "
                        "lin.weight.data[:] = t.weight.detach().numpy().T)")
    return check_type(fn, name, model, Module, what)


def _row(shape: tuple[int, ...], n: int) -> bool:
    """Whether numbers of `shape` act as a row of `n` (one per feature or output) on a `(batch, n)` array: `(n,)`,
    `(1, n)`, or one for all, `()`, `(1,)`, `(1, 1)`."""
    return len(shape) <= 2 and shape[:-1] in ((), (1,)) and shape[-1:] in ((), (1,), (n,))


def _drawn(scheme: str | Callable | None, default: str, shape: tuple[int, ...], rng: np.random.Generator,
           dtype: Any, what: str) -> tuple[Tensor, str]:
    """A parameter drawn by `scheme` (a name for `init.get` or a function), and the scheme's name."""
    arr, name = _init._initialize("Linear", what, default if scheme is None else scheme, shape, rng, dtype)
    return Tensor(arr, requires_grad=True, dtype=dtype), name


class Linear(Module):
    """A fully connected layer `y = x @ W + b`, `x` (batch, fan_in) -> `y` (batch, fan_out); `weight` `(fan_in,
    fan_out)` and `bias` `(fan_out,)` of `dtype` are drawn with `rng` by the schemes `init` (`"xavier_uniform"`) and
    `bias_init` (zeros): names for `init.get` or functions `f(shape, rng=None, dtype=np.float32)`. PyTorch's
    `nn.Linear` draws both from `U(-1/sqrt(fan_in), +1/sqrt(fan_in))` instead: here `init="glorot_standard"` with
    `bias_init=init.get("uniform", a=-1/sqrt(fan_in), b=1/sqrt(fan_in))`. PyTorch's weight is `(fan_out, fan_in)`, the
    transpose: to copy a PyTorch layer `t`, `lin.weight.data[:] = t.weight.detach().numpy().T` and `lin.bias.data[:] =
    t.bias.detach().numpy()` (a square weight copied without `.T` raises nothing; it computes another function)."""

    def __init__(self, fan_in: int, fan_out: int, bias: bool = True, init: str | Callable | None = None,
                 bias_init: str | Callable | None = None, rng: Rng = None,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        self.fan_in, self.fan_out = check_int("Linear", "fan_in", fan_in, 1), check_int("Linear", "fan_out", fan_out, 1)
        shape, gen, dtype = (self.fan_in, self.fan_out), as_rng(rng, "Linear"), real_dtype(dtype, "Linear", True)
        bias = check_bool("Linear", "bias", bias)  # before any draw: a refused call leaves a shared rng as it was
        self.weight, self.init_name = _drawn(init, "xavier_uniform", shape, gen, dtype, "weight")
        self.bias, self.bias_init_name = (_drawn(bias_init, "zeros", shape[1:], gen, dtype, "bias") if bias
                                          else (None, ""))

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        if self.weight is None:  # (before its dtype is read, for x)
            raise TypeError(f"Linear({self.fan_in}, {self.fan_out}): its weight is None; assign a leaf Tensor(..., "
                            f"requires_grad=True) of shape (fan_in, fan_out) = {(self.fan_in, self.fan_out)}")
        if not isinstance(x, Tensor):  # an array copied (once: another dtype is a new array), as an op's operand: a
            same = isinstance(x, np.ndarray) and x.dtype == self.weight.dtype  # later change of it is not backward's
            x = Tensor(x.copy() if same else x, dtype=self.weight.dtype)
        # a weight assigned since, checked before the product: a (fan_in, k) one or a stack of weights multiplies,
        # into numbers of another shape; PyTorch's layout, (fan_out, fan_in), is told its transpose
        if self.weight.data.shape != (self.fan_in, self.fan_out):
            raise ValueError(f"Linear({self.fan_in}, {self.fan_out}): its weight has shape {self.weight.shape}, not "
                             f"(fan_in, fan_out) = {(self.fan_in, self.fan_out)}; " + (
                                 "a PyTorch weight is the transpose (fan_out, fan_in): assign w.T" if
                                 self.weight.shape == (self.fan_out, self.fan_in) else "assign one of that shape"))
        try:
            y = x @ self.weight
        except ValueError:
            has = counted(x.shape[-1], "feature") if x.ndim else "no features"
            raise ValueError(f"Linear({self.fan_in}, {self.fan_out}): input of shape {x.shape} has {has} in its last "
                             f"dimension, expected {self.fan_in}. Inputs are (batch, fan_in).") from None
        if (b := self.bias) is not None and b.data.shape != (self.fan_out,) and not (  # a (1, fan_out) row or one
                _row(b.data.shape, self.fan_out) and b.data.ndim <= y.ndim):  # number is added, unless it adds an axis
            raise ValueError(f"Linear({self.fan_in}, {self.fan_out}): its bias has shape {b.shape}, not (fan_out,) = "
                             f"({self.fan_out},); assign one of that shape" + (
                                 f" (a {b.shape} one adds an axis to a {x.shape} input)" if _row(b.shape, self.fan_out)
                                 else ""))
        return y if b is None else y + b

    def extra_repr(self) -> str:
        return f"{self.fan_in}, {self.fan_out}, bias={self.bias is not None}, init={self.init_name!r}"


class _Activation(Module):
    """An activation of the registry (`nn.activations`, where its f, f' and gain live), as the engine's op."""
    name = "linear"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:  # PyTorch's nn.ReLU(inplace=True), its first positional; its nn.Identity ignores any
            given = ", ".join([*map(quoted, args), *(f"{k}={quoted(v)}" for k, v in kwargs.items())])
            note = {"relu": "nn.ReLU(inplace=True) only saves memory", "linear": "nn.Identity ignores its arguments"}
            raise TypeError(f"{type(self).__name__}: takes no arguments, got {given}; write nn.{type(self).__name__}()"
                            f" (PyTorch's {note.get(self.name, f'nn.{self.name.capitalize()} takes none either')})")
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        return x if self.name == "linear" else (x if isinstance(x, Tensor) else Tensor(x))._unary(OPS[self.name])


class Tanh(_Activation):
    """`tanh(x)` elementwise; local derivative `1 - tanh^2(x)`, at most 1 and 0 when saturated."""
    name = "tanh"


class Sigmoid(_Activation):
    """`1 / (1 + e^-x)` elementwise; local derivative `s (1 - s)`, at most 1/4."""
    name = "sigmoid"


class ReLU(_Activation):
    """`max(0, x)` elementwise; local derivative 1 where `x > 0`, else 0."""
    name = "relu"


class Identity(_Activation):
    """Returns its input (the registry's "linear")."""


ACTIVATIONS: dict[str, type[Module]] = {m.name: m for m in (Tanh, Sigmoid, ReLU, Identity)}
"""The registry's engine activations (`nn.activations.names()`) -> their module classes."""


class Sequential(Module):
    """Modules applied in order, as children "0", "1", ... (so parameters read `2.weight`)."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, m in enumerate(modules[0] if len(modules) == 1 and isinstance(modules[0], (list, tuple)) else modules):
            if isinstance(m, dict) and len(modules) == 1:  # PyTorch's Sequential(OrderedDict(fc=..., act=...))
                raise TypeError("Sequential: PyTorch's Sequential(OrderedDict(...)) is not offered here; write nn."
                                "Sequential(*modules.values()) (named 0, 1, ...), or a Module that assigns each by "
                                f"name, self.{next(iter(m), 'name')} = ...")
            if not isinstance(m, Module):
                t = type(m)  # a class given for its instance (nn.ReLU), or another library's module (torch's ReLU)
                where = "" if t.__module__ == "builtins" else t.__module__ + "."
                raise TypeError(f"Sequential: item {i} is the class {m.__name__}, not a Module; write {m.__name__}()"
                                if isinstance(m, type) and issubclass(m, Module) else
                                f"Sequential: item {i} is a {where}{t.__qualname__}, not a Module")
            setattr(self, str(i), m)

    def forward(self, x: Any) -> Any:
        for m in self._modules.values():
            x = m(x)
        return x

    @overload  # for type checkers and IDEs: a slice is a Sequential; a module is Any (its attributes are its own)
    def __getitem__(self, i: slice) -> Sequential: ...
    @overload
    def __getitem__(self, i: SupportsIndex) -> Any: ...
    def __getitem__(self, i: SupportsIndex | slice) -> Any:
        if not isinstance(i, slice):
            try:
                return list(self._modules.values())[i]
            except (TypeError, IndexError):  # a float, a str, an array; or past the end
                raise IndexError(f"Sequential: index {check_int('Sequential', 'index', i)} is out of range for "
                                 f"{len(self)} modules") from None
        part = Sequential()  # the modules keep their names, as in PyTorch: seq[1:] holds "1", "2", ...
        part._modules.update(kept := dict(list(self._modules.items())[i]))  # (not setattr, which would rename the
        part.__dict__.update(kept)  # model's parameters `2.weight` in its later ledgers and pictures)
        return part

    def __setitem__(self, i: SupportsIndex, module: Module) -> None:  # keeps the name, as PyTorch's seq[0] = Linear()
        self[check_int("Sequential", "index", i)]  # not a slice; an index out of range is named as for seq[i]
        setattr(self, list(self._modules)[i], module)

    def __delitem__(self, i: SupportsIndex | slice) -> None:  # as PyTorch's: those left are renumbered "0", "1", ...
        if not isinstance(i, slice):
            self[check_int("Sequential", "index", i)]  # an index out of range is named as for seq[i]
        names = list(self._modules)
        gone = set(names[i] if isinstance(i, slice) else [names[i]])
        kept = [m for k, m in self._modules.items() if k not in gone]
        for k in names:
            delattr(self, k)
        for k, m in enumerate(kept):
            setattr(self, str(k), m)

    def __len__(self) -> int: return len(self._modules)
    def __iter__(self) -> Iterator[Module]: return iter(list(self._modules.values()))


class MLP(Module):
    """A multilayer perceptron `Linear, activation, ..., Linear` of widths `sizes = [n_in, n_1, ..., n_out]`, its
    layers in `self.layers` (parameters `layers.0.weight`...): `activation` (tanh, sigmoid, relu or linear) between
    them, `final_activation` after the last; `init` every weight's scheme (`xavier_uniform`, `he_normal` for ReLU)."""

    def __init__(self, sizes: Sequence[int] | np.ndarray, activation: str = "tanh", init: str | Callable | None = None,
                 bias_init: str | Callable | None = None, bias: bool = True,
                 rng: Rng = None, final_activation: str | None = None,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        if not ordered(sizes):
            raise TypeError(f"MLP: sizes must be a list of widths [n_in, n_1, ..., n_out], got {sizes!r:.60}; "
                            "micrograd's MLP(nin, nouts) is MLP([nin, *nouts]), or scalar_nn.MLP(nin, nouts) on Values")
        self.sizes = [check_int("MLP", f"sizes[{i}]", n, 1) for i, n in enumerate(sizes)]
        if len(self.sizes) < 2:
            raise ValueError(f"MLP: sizes must list at least an input and an output width, got {self.sizes}")
        self.activation = activations.get(activation, "MLP", engine_only=True).name
        init = ("he_normal" if self.activation == "relu" else "xavier_uniform") if init is None else init
        final = [] if final_activation is None else [ACTIVATIONS[activations.get(  # checked before any draw
            final_activation, "MLP", engine_only=True, what="final_activation").name]()]
        gen, mods = as_rng(rng, "MLP"), []
        for i, (n_in, n_out) in enumerate(zip(self.sizes, self.sizes[1:])):  # Linear's errors: MLP's arguments
            mods += [renamed("MLP", Linear, n_in, n_out, bias, init, bias_init, gen, dtype)]
            mods += [ACTIVATIONS[self.activation]()] if i < len(self.sizes) - 2 else []
        self.layers = Sequential(*mods, *final)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("activation", "sizes") and "layers" in self.__dict__.get("_modules", ()):  # (lab.fit reads them)
            raise AttributeError(f"MLP: {name} says how the layers were built, and assigning it would change none of "
                                 f"them (the forward would not follow it); make a new MLP(sizes, activation=...)",
                                 name=name)
        super().__setattr__(name, value)

    def forward(self, x: Any) -> Tensor: return self.layers(x)
    def extra_repr(self) -> str: return f"{self.sizes}, activation={self.activation!r}"

    def linears(self) -> list[Linear]:
        """The Linear layers, input to output."""
        return [m for m in self.layers if isinstance(m, Linear)]


def _momentum(value: Any) -> float:
    if value is None:
        raise TypeError("BatchNorm1d: momentum must be a number in [0, 1]; PyTorch's momentum=None (a cumulative "
                        "average) is not offered here")
    return check_real("BatchNorm1d", "momentum", value, 0.0, 1.0)


class BatchNorm1d(Module):
    """Batch normalization over the batch axis (Ioffe & Szegedy 2015), `x` (batch, num_features) -> same: in training
    `y = gamma (x - mean_B) / sqrt(var_B + eps) + beta` with the batch's mean and biased variance per feature, and
    `running = (1 - momentum) running + momentum batch` (the variance unbiased, as PyTorch); after `eval()` the
    running estimates replace the batch's. Unlike PyTorch's: no `(batch, C, L)` input, no `momentum=None` (its
    cumulative average) and `eps > 0`."""

    eps = Checked(lambda v: check_real("BatchNorm1d", "eps", v, 0.0, low_open=True))
    momentum = Checked(_momentum)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        self.num_features = check_int("BatchNorm1d", "num_features", num_features, 1)
        self.eps, self.momentum = eps, momentum  # checked (see Checked), also when assigned later
        dtype = real_dtype(dtype, "BatchNorm1d", floating=True)  # integer running statistics would be truncated
        affine = check_bool("BatchNorm1d", "affine", affine)
        self.weight = Tensor(np.ones(num_features, dtype=dtype), requires_grad=True) if affine else None
        self.bias = Tensor(np.zeros(num_features, dtype=dtype), requires_grad=True) if affine else None
        self.running_mean, self.running_var = np.zeros(num_features, dtype=dtype), np.ones(num_features, dtype=dtype)

    def forward(self, x: Tensor | np.ndarray) -> Tensor:
        self._check_state()  # before running_mean's dtype is read
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.running_mean.dtype)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d({self.num_features}): expected input (batch, {self.num_features}), "
                             f"got {x.shape}")
        if self.training:
            n, m = x.shape[0], self.momentum
            if n < 2:
                raise ValueError("BatchNorm1d: training needs a batch of at least 2 samples to estimate a variance; "
                                 "call eval() to use the running estimates")
            mean = x.mean(axis=0, keepdims=True)
            centered = x - mean
            var = (centered * centered).mean(axis=0, keepdims=True)
            self.running_mean = ((1 - m) * self.running_mean + m * mean.data[0]).astype(self.running_mean.dtype)
            unbiased = var.data[0] * (n / (n - 1))
            self.running_var = ((1 - m) * self.running_var + m * unbiased).astype(self.running_var.dtype)
            y = centered / (var + self.eps) ** 0.5
        else:
            y = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        y = y if self.weight is None else y * self.weight  # either may be None, as PyTorch's F.batch_norm takes them
        return y if self.bias is None else y + self.bias

    def _check_state(self) -> None:
        """The parameters and running statistics as assigned since: rows of num_features numbers (or one for all), the
        statistics numpy arrays of floats, which the update rounds to their dtype."""
        n, where = self.num_features, f"BatchNorm1d({self.num_features})"
        for name in ("weight", "bias", "running_mean", "running_var"):
            a = getattr(self, name)
            if name.startswith("running") and not (isinstance(a, np.ndarray) and a.dtype.kind == "f"):
                got = f"an array of {a.dtype}" if isinstance(a, np.ndarray) else f"{type(a).__name__} {a!r:.40}"
                raise TypeError(f"{where}: {name} must be a numpy array of floats, got {got}; " + (
                    "PyTorch's None (track_running_stats=False) is not offered here" if a is None else
                    "assign its numbers, t.data" if isinstance(a, Tensor) else
                    "assign np.asarray(values, dtype=np.float32) (or float64, the layer's dtype)"))
            if a is not None and not _row(a.shape, n):
                raise ValueError(f"{where}: its {name} has shape {a.shape}, not (num_features,) = ({n},); assign one "
                                 "of that shape")

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps:g}, momentum={self.momentum:g}, affine={self.weight is not None}"
