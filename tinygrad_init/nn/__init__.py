"""Model building on the engines, with PyTorch's names (`Module`, `Linear`, `Tanh`, `Sequential`, `parameters()`,
`zero_grad()`) so that what students learn transfers. The modules: `layers` (Module, Linear, the activations,
Sequential, MLP, BatchNorm1d), `activations` (the activation registry), `init` (the schemes, also
`tinygrad_init.init`), `losses`, `optim` (SGD), `scalar` (Neuron, Layer, MLP on the scalar engine, also
`tinygrad_init.scalar_nn`) and `data` (seeded toy datasets)."""

from .layers import *  # noqa: F403
from .layers import __all__ as __all__
from ..utils import unoffered as _unoffered

_LOSS_CLASSES = {"MSELoss": "mse_loss", "CrossEntropyLoss": "cross_entropy",
                 "BCEWithLogitsLoss": "binary_cross_entropy_with_logits"}  # PyTorch's loss modules -> the functions


_OTHER = {"Parameter": "a parameter is a leaf Tensor(data, requires_grad=True) assigned as a module's attribute",
          "ModuleList": "nn.Sequential(*modules) registers them (indexing and iteration as a ModuleList); a plain list "
                        "does not, and parameters() would miss their weights",
          "functional": "the losses are nn.mse_loss, nn.cross_entropy and nn.binary_cross_entropy_with_logits, the "
                        "activations Tensor methods (x.relu(), x.softmax(axis=1))",
          **dict.fromkeys(("ParameterList", "ParameterDict", "ModuleDict"), "assign each as its own attribute, "
                          "setattr(self, name, value); a plain list or dict is not registered, and parameters() would "
                          "miss what it holds"),
          "Embedding": "a leaf Tensor C, (vocabulary, dim) with requires_grad=True, indexed by the ids: C[ids] "
                       "(repeated ids add their gradients)", "Flatten": "x.reshape(len(x), -1) in a forward",
          **dict.fromkeys(("Softmax", "LogSoftmax"), "x.softmax(axis=1), x.log_softmax(axis=1) (nn.cross_entropy "
                          "takes the logits)"),
          **dict.fromkeys(("Dropout", "LayerNorm", "LeakyReLU", "GELU", "ELU"), "not offered: the layers are " +
                          ", ".join(__all__[1:9]))}  # PyTorch's names -> what to write


def __getattr__(name: str) -> object:
    if name in _LOSS_CLASSES:
        raise _unoffered(name, f"nn.{name}: the losses are functions here, as PyTorch's torch.nn.functional: loss = "
                         f"nn.{_LOSS_CLASSES[name]}(output, target), reduction='mean' (or 'sum', 'none')")
    if name in _OTHER:
        raise _unoffered(name, f"nn.{name} is PyTorch's, not here: {_OTHER[name]}")
    if name in ("Neuron", "Layer"):  # micrograd.nn's, whose scalar nets are scalar_nn here
        raise _unoffered(name, f"nn.{name} is micrograd's (micrograd.nn), whose scalar nets are "
                         "tinygrad_init.scalar_nn here: from tinygrad_init.scalar_nn import Neuron, Layer, MLP (nn.MLP "
                         "is the Tensor one, MLP([nin, *nouts]))")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
