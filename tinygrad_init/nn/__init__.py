"""Model building on the engines: layers, initialization, losses, optimizers, toy data.

``nn`` keeps PyTorch's names so that what students learn transfers: ``Module``,
``Linear``, ``Tanh``, ``Sigmoid``, ``ReLU``, ``Sequential``, ``parameters()``,
``zero_grad()``. The modules of this package:

- :mod:`.layers`  Module, Linear, the activations, Sequential, MLP, BatchNorm1d;
- :mod:`.init`    weight initialization schemes (also ``tinygrad_init.init``);
- :mod:`.losses`  mse_loss, cross_entropy, binary_cross_entropy_with_logits;
- :mod:`.optim`   SGD;
- :mod:`.scalar`  Neuron, Layer, MLP on the scalar engine (also ``tinygrad_init.scalar_nn``);
- :mod:`.data`    seeded toy datasets.
"""

from .layers import *  # noqa: F401,F403
from .layers import __all__
