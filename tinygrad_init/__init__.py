"""tinygrad_init: see backpropagation and weight initialization happen.

Two autograd engines -- the scalar :class:`Value` and the numpy :class:`Tensor` --
share one graph walk (:mod:`tinygrad_init.autograd`).
"""

from .tensor import Tensor, enable_grad, is_grad_enabled, no_grad
from .value import Value

__all__ = ["Value", "Tensor", "no_grad", "enable_grad", "is_grad_enabled"]
__version__ = "0.1.0"
