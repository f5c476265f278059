"""Optimizers: what to do with the gradients once backward has computed them."""

from __future__ import annotations

from numbers import Real
from typing import Any, Iterable

import numpy as np

from ..core.inputs import TorchName
from ..core.tensor import Tensor, changed_in_place
from ..utils import Checked, check_bool, check_real, check_type, ordered, unexpected, unoffered

__all__ = ["SGD", "zero_grads"]
_TORCH = {"dampening": 0, "nesterov": False, "maximize": False, "foreach": None, "differentiable": False,
          "fused": None}  # PyTorch's SGD options and their defaults, which are this SGD
_COPY = "copy.deepcopy((model, optimizer)) copies both together, also mid-training"
_TORCH_SGD = {"param_groups": "one group here, its settings attributes: optimizer.lr = 0.01 (.momentum, .weight_decay)",
              "state_dict": _COPY, "load_state_dict": _COPY, "add_param_group": "make one SGD per group",
              "state": f"each parameter's momentum is kept inside the SGD, not shown; {_COPY}",
              "defaults": "the settings are attributes: optimizer.lr, .momentum, .weight_decay (print(optimizer) "
                          "shows them)"}


def __getattr__(name: str) -> Any:  # PyTorch's other optimizers and schedulers: say what there is
    if name in ("Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "LBFGS",
                "SparseAdam", "Adafactor", "Muon", "Optimizer", "lr_scheduler", "swa_utils"):  # torch.optim's others
        raise unoffered(name, f"optim.{name} is PyTorch's, not here: the optimizer is SGD (momentum, weight_decay); "
                        "a schedule sets optimizer.lr between steps")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}", name=name)


_SGD_TAKES, _SGD_IS = "params, lr, momentum, and weight_decay by keyword", \
    "this SGD is PyTorch's with dampening=0, nesterov=False, maximize=False"
_SGD_HAS = "an SGD has lr, momentum and weight_decay (optimizer.lr = 0.01 between steps) and params"
_IN_ORDER = "(the momentum is kept one per parameter, in their order)"
_IN_PLACE = {"__setitem__": "params[i] = p", "__delitem__": "del params[i]", "__iadd__": "params += ...",
             "__imul__": "params *= n"}  # and params.append(p), .extend(...), ...


def _refused(name: str) -> Any:
    def method(self: tuple, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"SGD: {_IN_PLACE.get(name, f'params.{name}()')}: an SGD's parameters are not changed in place "
                        f"{_IN_ORDER}; assign a new list, optimizer.params = [*optimizer.params, p] (each one kept "
                        "keeps its momentum)")
    return method


class _Params(tuple):
    """An SGD's parameters, a tuple: a list changed in place (`optimizer.params.append(p)`) would leave the momentum,
    one per parameter in their order, behind it. Assigning `optimizer.params` a new list is the way to change them."""

    __slots__ = ()
    locals().update({name: _refused(name) for name in ("append", "extend", "insert", "remove", "pop", "clear",
                                                       "sort", "reverse", *_IN_PLACE)})


class SGD:
    """Stochastic gradient descent with momentum and weight decay, as PyTorch's SGD.

    With `g = p.grad + weight_decay * p`: `v <- momentum * v + g` (`v = g` at the first step), `p <- p - lr * v`;
    parameters whose `.grad` is None are skipped. The update is in place (as `p.add_`), so it bumps each parameter's
    version counter: a backward pass through a graph built before the step raises instead of using the new weights.
    PyTorch rounds `p - lr v` and `g + weight_decay p` once each (fused multiply-adds), numpy twice: the weights agree
    with its to rounding, not bit for bit. Not offered: dampening, nesterov, maximize, param groups, step's closure
    (PyTorch's options at their defaults, dampening=0, nesterov=False..., are taken: they are this SGD).

    `optimizer.params` is a tuple; assigning it a new list changes them (a parameter kept keeps its momentum, as
    PyTorch keeps its state by parameter). Another attribute than the settings and params is refused, as a typo.

    Args:
        params: the leaf tensors with requires_grad=True to update, each once, for example `model.parameters()`.
        lr: the learning rate, >= 0 (0, as PyTorch takes it, at the ends of a schedule).
        momentum: in [0, 1).
        weight_decay: the L2 penalty coefficient, >= 0, by keyword (PyTorch's fourth positional is `dampening`).
    """

    locals().update({name: TorchName(name, write) for name, write in _TORCH_SGD.items()})
    lr = Checked(lambda v: check_real("SGD", "lr", v, 0.0))  # also when a schedule sets it (0 at a warm-up's start)
    momentum = Checked(lambda v: check_real("SGD", "momentum", v, 0.0, 1.0, high_open=True))
    weight_decay = Checked(lambda v: check_real("SGD", "weight_decay", v, 0.0))

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0, *dampening: Any,
                 weight_decay: float = 0.0, **options: Any) -> None:
        options = {k: v for k, v in options.items()  # those off, as each default is (nesterov=0, fused=False)
                   if not (k in _TORCH and (v is None or isinstance(v, (Real, np.bool_)) and not v))}
        if dampening:  # PyTorch's SGD(params, lr, momentum, dampening, weight_decay, nesterov, ...)
            raise TypeError(f"SGD: a fourth positional argument (PyTorch's dampening) is not offered here: {_SGD_IS}; "
                            f"it takes {_SGD_TAKES}")
        if options:
            k = next(iter(options))
            raise unexpected("SGD", k, _SGD_TAKES, k in _TORCH and f"PyTorch's, not offered here but at its default, "
                             f"{k}={_TORCH[k]!r}: {_SGD_IS}")
        self.params = params  # checked (see __setattr__), each with no momentum yet
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay  # checked (see Checked)

    def __setattr__(self, name: str, value: Any) -> None:
        """An SGD's settings and params are checked as they are assigned; another name is refused (`optimizer.
        learning_rate = 0.1` would do nothing), but in a subclass, whose attributes are its own."""
        if name == "params":  # a new list: the momentum of each parameter kept stays with it (PyTorch keys its state
            value, old = _parameters(value), vars(self).get("params", ())  # by parameter), a new one has none yet
            kept = dict(zip(map(id, old), vars(self).get("_velocity", ())))
            object.__setattr__(self, "_velocity", [kept.get(id(p)) for p in value])
        elif type(self) is SGD and name != "_velocity" and (not hasattr(SGD, name) or
                                                            isinstance(vars(SGD).get(name), TorchName)):
            known = name in _TORCH and f"PyTorch's {name}, not offered here: {_SGD_IS}"
            write = isinstance(vars(SGD).get(name), TorchName) and f"PyTorch's {name}: {vars(SGD)[name].write}"
            raise AttributeError(f"SGD: cannot set {name!r}: " + (known or write or f"no such setting; {_SGD_HAS}"),
                                 name=name)
        object.__setattr__(self, name, value)

    def step(self, closure: None = None) -> None:
        """Update every parameter in place from its `.grad` (PyTorch's `closure` is not taken: call it before)."""
        if closure is not None:  # (run in step, it would make gradients after Diagnostics, wrapping step, reads them)
            raise TypeError("SGD.step: PyTorch's closure is not taken here; call it before the step, loss = closure(), "
                            "then optimizer.step()")
        lr, mu, wd, stepped = self.lr, self.momentum, self.weight_decay, []
        if lr > 65504.0 or wd > 65504.0:  # beyond float16's largest number: is it one in each parameter's dtype?
            _in_range(self.params, lr, wd)
        for i, p in enumerate(self.params):
            if (g := p._grad) is None:  # g: an array of the parameter's shape and dtype (the .grad setter checks it)
                continue
            if type(data := p.data) is not np.ndarray:  # numpy's scalar (`p.data = p.data - x` of a 0-d p): an array
                data = p.numpy()  # to write into, or `data -= ...` below would only rebind the name
            try:
                if data.shape != g.shape:  # (numpy would broadcast g into a larger .data)
                    raise ValueError
                g = g + wd * data if wd else g
                if mu:
                    if (v := self._velocity[i]) is not None and v.shape != g.shape:  # (a (1,) one would broadcast)
                        raise ValueError
                    g = g.copy() if v is None else mu * v + g
                data -= lr * g  # in place, outside the graph (as `p.add_(g, alpha=-lr)` inside `no_grad()`)
            except (TypeError, ValueError):  # numpy's casting or read-only error, another shape: .data written by hand
                changed_in_place(*stepped)  # (those before it did step; the momentum of this one is as it was)
                raise _step_error(i, p, data, self._velocity[i], bool(stepped)) from None
            if mu:
                self._velocity[i] = g
            stepped.append(p)
        changed_in_place(*stepped)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (set them to None) before the next backward pass (see `zero_grads`)."""
        _zero(self.params, not check_bool("SGD.zero_grad", "set_to_none", set_to_none))

    def __repr__(self) -> str:
        n = len(self.params)
        return (f"{type(self).__name__}({n} parameter{'s' * (n != 1)}, lr={self.lr!r}, momentum={self.momentum!r}, "
                f"weight_decay={self.weight_decay!r})")


def _parameters(params: Any) -> _Params:
    """`params` as an SGD's: a tuple of leaf tensors that require grad, each once; else an error naming the one."""
    params = _Params(_listed("SGD", params))
    if not params:
        raise ValueError("SGD: got an empty parameter list: a model with no parameters, or a generator read "
                         "before (it yields its items once)? Pass the tensors to train, model.parameters()")
    first: dict[int, int] = {}  # id -> the first index of each parameter
    for i, p in enumerate(params):
        if not isinstance(p, Tensor) or not p.requires_grad or not p.is_leaf:
            if isinstance(p, Tensor) and p.is_leaf:  # frozen, as PyTorch users do
                raise TypeError(f"SGD: parameter {i} ({p.name or 'unnamed'}) has requires_grad=False; pass "
                                "the trainable ones, [p for p in model.parameters() if p.requires_grad]")
            if isinstance(p, dict):
                raise TypeError(f"SGD: parameter {i} is a dict: PyTorch's param groups are not offered here; "
                                "make one SGD per group, SGD(group['params'], lr=...)")
            fix = "SGD steps Tensors: update a scalar_nn model's Values by hand, p.data -= lr * p.grad" if \
                getattr(p, "scalar", False) else "pass model.parameters()"
            raise TypeError(f"SGD: parameter {i} is not a leaf Tensor with requires_grad=True (got "
                            f"{type(p).__name__}); {fix}")
        if first.setdefault(id(p), i) != i:
            raise ValueError(f"SGD: parameter {i} ({p.name or 'unnamed'}) is also parameter {first[id(p)]}; "
                             "list each once (it would be updated twice per step)")
    return params


def _in_range(params: tuple, lr: float, weight_decay: float) -> None:
    """Raise, before any update, if `lr` or `weight_decay` is beyond the largest number of the dtype of a parameter
    with a gradient: numpy would round it to inf there, and every weight to inf or nan (PyTorch refuses it too)."""
    for i, p in enumerate(params):
        if p._grad is not None and (dtype := np.result_type(p.data)).kind == "f":
            top = float(np.finfo(dtype).max)
            for name, value in (("lr", lr), ("weight_decay", weight_decay)):
                if value > top:
                    raise ValueError(f"SGD.step: {name}={value:g} is beyond the largest {dtype} number, {top:g}, "
                                     f"the dtype of parameter {i} ({p.name or 'unnamed'!r}), where it would be inf "
                                     f"and so would its weights: use a smaller {name} (or float64 parameters)")


def _step_error(i: int, p: Tensor, data: np.ndarray, v: np.ndarray | None, updated: bool) -> Exception:
    """The error for parameter `i`, whose `.data` numpy could not update in place by its gradient and momentum `v`
    (`updated`: some parameters before it were)."""
    what = (f"dtype {data.dtype}" if data.dtype.kind != "f" else "read-only memory" if not data.flags.writeable else
            f"shape {data.shape} where its gradient has shape {p._grad.shape}" if data.shape != p._grad.shape else
            f"shape {data.shape} where its momentum from the steps before has shape {np.shape(v)}")
    fix = ("For parameters of new shapes, make a new SGD (their momentum starts again)" if "momentum" in what else
           "A parameter holds a writable float array of its gradient's shape; write new numbers into it, p.data[...] "
           "= new")
    return (TypeError if data.dtype.kind != "f" else ValueError)(
        f"SGD.step: parameter {i} ({p.name or 'unnamed'!r}) holds {what}: was its .data replaced by hand? {fix}" +
        " (the parameters before it were updated)" * updated)


def zero_grads(params: Iterable[Tensor], set_to_none: bool = True, fn: str = "zero_grads") -> None:
    """Set each parameter's `.grad` to None or, with `set_to_none=False`, to zeros in place (as PyTorch's)."""
    keep, params = not check_bool(fn, "set_to_none", set_to_none), _listed(fn, params)
    for i, p in enumerate(params):
        check_type(fn, f"params[{i}]", p, Tensor, "a Tensor (a scalar_nn model's Values: set v.grad = 0)")
    _zero(params, keep)


def _zero(params: list[Tensor], keep: bool) -> None:
    """Each gradient None, or filled with zeros in place (`keep`): the step of a training loop, over checked params."""
    for p in params:
        if keep and p._grad is not None:
            try:
                p._grad.fill(0)
            except ValueError:  # read-only, as assigned by hand (np.broadcast_to): zeros in an array of its own
                p._grad = np.zeros(p._grad.shape, p._grad.dtype)
        else:
            p._grad = None


def _listed(where: str, params: Any) -> list:
    """`params` as a list if it is an iterable (not a single Tensor, whose rows are new tensors); else a TypeError."""
    if isinstance(params, Tensor) or not ordered(params):
        if isinstance(params, Tensor):
            what = "a single Tensor; pass a list, [t]"
        elif isinstance(params, (set, frozenset)):
            what = f"{type(params).__name__}, whose order changes from run to run; pass a list"
        else:
            what = f"{type(params).__name__}; pass " + ("" if hasattr(params, "parameters") else
                                                        "an iterable of Tensors such as ") + "model.parameters()"
        raise TypeError(f"{where}: params must be an iterable of Tensors, got {what}")
    return list(params)
