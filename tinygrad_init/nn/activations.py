"""The activation registry: everything the package knows about each activation, in one place.

Layers (`nn.Tanh`...), the scalar nets, the init schemes, the theory, the probe, the experiments and the
command line read it through `get(name, where)`, `names()` and the fields of `Activation`; none keeps a list of
its own. `leaky_relu(a)` builds the leaky ReLU of another slope; `calculate_gain` (also `init.calculate_gain`)
gives the gains by PyTorch's names.

For each activation `f` of a pre-activation `z`:

| name | f(z) | f'(z) | gain | f(-inf), f(+inf) | Gaussian moments in closed form (z ~ N(0, q)) |
|---|---|---|---|---|---|
| tanh | tanh z | 1 - tanh^2 z | 5/3 | -1, 1 | - (numerical) |
| sigmoid | 1 / (1 + e^-z) | s (1 - s) | 1 | 0, 1 | - (numerical) |
| relu | max(z, 0) | [z > 0] | sqrt 2 | 0, inf | E f = sqrt(q / 2 pi), E f^2 = q / 2, E f'^2 = 1/2 |
| leaky_relu | z if z > 0 else a z | 1 or a | sqrt(2 / (1 + a^2)) | -inf, inf | E f = (1-a) sqrt(q / 2 pi), E f^2 = (1+a^2) q / 2, E f'^2 = (1+a^2) / 2 |
| linear | z | 1 | 1 | -inf, inf | E f = 0, E f^2 = q, E f'^2 = 1 |

The gains are PyTorch's `calculate_gain` (leaky_relu with its default slope `a = 0.01`).
"""  # noqa: E501 (a row of the table is one line, however long)

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from ..core.ops import stable_sigmoid
from ..utils import check_bool, check_choice, check_real

__all__ = ["Activation", "ACTIVATIONS", "get", "names", "key", "leaky_relu", "check_slope", "calculate_gain",
           "NEGATIVE_SLOPE"]

NEGATIVE_SLOPE = 0.01
"""leaky_relu's slope for z < 0 (PyTorch's default)."""


@dataclass(frozen=True)
class Activation:
    """One activation, a row of the table above: `name` (also the op `x.tanh()` of `Value` and `Tensor`, but for
    linear, no op), `fn` and `derivative` on float64 arrays (stable for any z; `relu'(0) = 0`, `relu'(nan) = 1` as in
    the engines and PyTorch), `gain`, `limits` (`f(-inf)`, `f(+inf)`), `moments` (`q -> (E f, E f^2, E f'^2)` for
    `z ~ N(0, q)`, if closed) and `engine` (whether the engines compute it; not leaky_relu)."""

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    gain: float
    limits: tuple[float, float]
    moments: Callable[[float], tuple[float, float, float]] | None = None
    engine: bool = True

    def __reduce_ex__(self, protocol: Any) -> Any:  # the registry's functions are lambdas: pickled as its row's name,
        mine, row = (self.fn, self.derivative, self.moments), ACTIVATIONS.get(self.name)  # a leaky ReLU's slope
        leaky = self.name == "leaky_relu" and all(str(getattr(f, "__qualname__", "")).startswith("leaky_relu.")
                                                  for f in mine)
        if not leaky and (row is None or mine != (row.fn, row.derivative, row.moments)):
            return super().__reduce_ex__(protocol)  # one of the user's own: its functions pickled (if they can be)
        return _row, (self.name, float(self.derivative(-1.0)) if leaky else None, self.gain, self.limits, self.engine)


def _row(name: str, slope: float | None, gain: float, limits: tuple, engine: bool) -> Activation:  # an unpickled one
    row = ACTIVATIONS[name] if slope in (None, NEGATIVE_SLOPE) else leaky_relu(slope)  # the registry's, or with the
    return row if (gain, limits, engine) == (row.gain, row.limits, row.engine) else replace(  # gain (limits) it had
        row, gain=gain, limits=limits, engine=engine)


def check_slope(fn: str, arg: str, slope: Any) -> float:
    """A leaky ReLU's slope, a real number of size at most 1e150, so that `1 + a^2` (its gain, its moments) is a
    float64; else an error naming `fn` and `arg`."""
    return check_real(fn, arg, slope, -1e150, 1e150)


def leaky_relu(negative_slope: float = NEGATIVE_SLOPE) -> Activation:
    """The leaky ReLU `f(z) = z if z > 0 else a z` of slope `a = negative_slope`, gain `sqrt(2 / (1 + a^2))`; `|a|`
    at most 1e150, so that `1 + a^2` is a float64 (`check_slope`)."""
    a = check_slope("leaky_relu", "negative_slope", negative_slope)
    return Activation("leaky_relu", lambda z: np.where(z > 0, z, a * z), lambda z: np.where(z > 0, 1.0, a),
                      math.sqrt(2.0 / (1.0 + a * a)), (-math.copysign(math.inf, a) if a else 0.0, math.inf),
                      lambda q: ((1.0 - a) * math.sqrt(q / (2.0 * math.pi)), (1.0 + a * a) / 2.0 * q,
                                 (1.0 + a * a) / 2.0 if q > 0 else a * a), engine=False)


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, 5.0 / 3.0, (-1.0, 1.0)),
    "sigmoid": Activation("sigmoid", stable_sigmoid, lambda z: stable_sigmoid(z) * stable_sigmoid(-z), 1.0, (0.0, 1.0)),
    "relu": Activation("relu", lambda z: np.maximum(0.0, z), lambda z: (~(z <= 0)).astype(np.float64),
                       math.sqrt(2.0), (0.0, math.inf),
                       lambda q: (math.sqrt(q / (2.0 * math.pi)), q / 2.0, 0.5 if q > 0 else 0.0)),
    "leaky_relu": leaky_relu(),
    "linear": Activation("linear", lambda z: z, np.ones_like, 1.0, (-math.inf, math.inf), lambda q: (0.0, q, 1.0)),
}
"""name -> `Activation`, in the order the lab shows them."""

_ALIASES = {"identity": "linear", "none": "linear", "leakyrelu": "leaky_relu"}


def names(engine_only: bool = True) -> tuple[str, ...]:
    """The registered names (by default those the engines compute: tanh, sigmoid, relu, linear)."""
    engine_only = check_bool("activations.names", "engine_only", engine_only)
    return tuple(k for k, a in ACTIVATIONS.items() if a.engine or not engine_only)


def get(name: str, where: str = "activation", engine_only: bool = False, *, what: str = "activation") -> Activation:
    """The `Activation` called `name` (as `key` reads it; "identity" and "none" are "linear"), with
    `engine_only` one the engines compute (not leaky_relu); an unknown name raises a ValueError that starts
    with `where` (the function or option asking), names the argument `what`, the known names and the closest."""
    k, known = key(name), names(engine_only)
    k = _ALIASES.get(k, k) if isinstance(k, str) else k  # an unknown name is quoted as typed, not as its key:
    return ACTIVATIONS[k if isinstance(k, str) and k in known else check_choice(where, what, name, known)]


def key(name: Any) -> Any:
    """The key a name is looked up by, here and in the init schemes: case, spaces, `-` and `_` alike ("Leaky-ReLU" is
    "leaky_relu"); what is no str is returned as it is."""
    return name.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else name


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """PyTorch's `calculate_gain`, also `init.calculate_gain`: the `gain` of the registry (leaky_relu's slope is
    `param`, default 0.01), 1 for `identity`/`none` and convolutions, 3/4 for `selu` (PyTorch's; the engines have no
    SELU). A `param` for another nonlinearity is an error (PyTorch ignores it). Use:
    `init.get("xavier_uniform", gain=init.calculate_gain("tanh"))`."""
    one = ("identity", "none", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
    name, known = key(nonlinearity), (*names(engine_only=False), *one, "selu")
    name = name if isinstance(name, str) and name in known else check_choice("calculate_gain", "nonlinearity",
                                                                             nonlinearity, known)  # (as get)
    if param is not None and name != "leaky_relu":
        raise ValueError(f"calculate_gain: {name!r} takes no param (only 'leaky_relu' does, its slope); got {param!r}")
    slope = None if param is None else check_slope("calculate_gain", "param", param)
    return 0.75 if name == "selu" else (leaky_relu(slope) if slope is not None else
                                        get("linear" if name in one else name)).gain
