"""tinygrad_init: see backpropagation and weight initialization happen.

Two autograd engines -- the scalar `Value` and the numpy `Tensor` -- share one graph walk
(`tinygrad_init.core.autograd`). The package is layered; a layer imports only the layers below it
(`pyproject.toml` holds the import-linter contracts that check it):

    cli/        the tinygrad-init command: demo, report, sweep, graph, explore, chaos, exercises
    exercises/  graded exercises and their grader
    lab/        probe, theory, experiments, training, diagnostics, spectra, explorer, plots, table, report
    observe/    ledger, draw (with colors), player
    nn/         layers, activations, init, losses, optim, scalar nets, toy data
    core/       autograd, value, tensor (with ops, inputs), copying, gradcheck
    utils       small helpers shared by all

The public modules also keep short flat names: `tinygrad_init.init` is `tinygrad_init.nn.init`,
`tinygrad_init.draw` is `tinygrad_init.observe.draw` (called, its function `draw`), and so on (see `_FLAT` below)."""

import importlib as _importlib
import sys as _sys
import typing as _typing

from .core.tensor import Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .core.value import Value

__all__ = ["Value", "Tensor", "nn", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]
__version__ = "0.1.0"

# Flat name -> the module's home. Imported bottom-up, so importing any of them imports only what lies below it.
_FLAT = {
    "autograd": "core.autograd", "value": "core.value", "tensor": "core.tensor", "gradcheck": "core.gradcheck",
    "init": "nn.init", "losses": "nn.losses", "optim": "nn.optim", "data": "nn.data", "scalar_nn": "nn.scalar",
    "ledger": "observe.ledger", "draw": "observe.draw", "player": "observe.player",
    "table": "lab.table", "theory": "lab.theory", "probe": "lab.probe", "plots": "lab.plots",
    "experiments": "lab.experiments", "report": "lab.report", "diagnostics": "lab.diagnostics",
    "spectra": "lab.spectra", "explorer": "lab.explorer",
}
from . import nn, utils  # noqa: E402

if _typing.TYPE_CHECKING:  # the same names, spelled out for type checkers and IDEs, which cannot run the loop
    from .core import autograd, gradcheck, tensor, value  # noqa: F401
    from .lab import diagnostics, experiments, explorer, plots, probe, report, spectra, table, theory  # noqa: F401
    from .nn import data, init, losses, optim, scalar as scalar_nn  # noqa: F401
    from .observe import draw, ledger, player  # noqa: F401
try:
    for _name, _home in _FLAT.items():
        _sys.modules[f"{__name__}.{_name}"] = globals()[_name] = _importlib.import_module(f".{_home}", __name__)
except ModuleNotFoundError as _e:  # graphviz or threadpoolctl: say which, and how to install it
    raise utils.not_installed(_e) from None
del _name, _home


class _Called(type(_sys)):  # a module called as its function: `draw(o)` as the lecture's `draw_dot(o)`,
    def __call__(self, *args: _typing.Any, **kwargs: _typing.Any) -> _typing.Any:  # `tensor([1.0])` as PyTorch's
        # `torch.tensor([1.0])`, and `gradcheck(f, x)` as `torch.autograd.gradcheck(f, x)`
        return {draw: draw.draw, tensor: tensor.Tensor, gradcheck: gradcheck.gradcheck}[self](*args, **kwargs)


draw.__class__ = tensor.__class__ = gradcheck.__class__ = _Called
