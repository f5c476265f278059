"""Optimizers: what to do with the gradients once backward has computed them."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ..core.tensor import Tensor

__all__ = ["SGD"]


class SGD:
    """Stochastic gradient descent with optional momentum and weight decay.

    With ``g = p.grad + weight_decay * p``::

        v <- momentum * v + g          (v = g when momentum = 0)
        p <- p - lr * v

    as in PyTorch's SGD. Parameters whose ``.grad`` is None are skipped.

    Args:
        params: the tensors to update (for example ``model.parameters()``).
        lr: the learning rate (> 0).
        momentum: in [0, 1).
        weight_decay: L2 penalty coefficient (>= 0).
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("SGD: got an empty parameter list; pass model.parameters()")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise TypeError(f"SGD: parameter {i} is not a Tensor with requires_grad=True")
        if not lr > 0:
            raise ValueError(f"SGD: lr must be positive, got {lr}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum}")
        if weight_decay < 0:
            raise ValueError(f"SGD: weight_decay must be >= 0, got {weight_decay}")
        self.lr, self.momentum, self.weight_decay = float(lr), float(momentum), float(weight_decay)
        self._velocity: list[np.ndarray | None] = [None] * len(self.params)

    def step(self) -> None:
        """Update every parameter in place from its ``.grad``."""
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            if wd:
                g = g + wd * p.data
            if mu:
                v = self._velocity[i]
                v = g.copy() if v is None else mu * v + g
                self._velocity[i] = v
                g = v
            update = lr * g
            if update.dtype != p.data.dtype:
                update = update.astype(p.data.dtype)
            p.data -= update

    def zero_grad(self) -> None:
        """Forget the gradients (set them to None) before the next backward pass."""
        for p in self.params:
            p.grad = None
