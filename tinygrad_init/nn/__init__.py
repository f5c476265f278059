"""Model building on the engines, with PyTorch's names (`Module`, `Linear`, `Tanh`, `Sequential`, `parameters()`,
`zero_grad()`) so that what students learn transfers. The modules: `layers` (Module, Linear, the activations,
Sequential, MLP, BatchNorm1d), `activations` (the activation registry), `init` (the schemes, also
`tinygrad_init.init`), `losses`, `optim` (SGD), `scalar` (Neuron, Layer, MLP on the scalar engine, also
`tinygrad_init.scalar_nn`) and `data` (seeded toy datasets)."""

from .layers import *  # noqa: F403
from .layers import __all__ as __all__
