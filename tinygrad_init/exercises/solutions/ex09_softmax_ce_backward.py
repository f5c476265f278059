"""Reference solution for exercise 09."""

import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(softmax(logits) - onehot(targets)) / N, with a softmax that cannot overflow."""
    n, c = logits.shape
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(n), targets] -= 1.0
    return p / n
