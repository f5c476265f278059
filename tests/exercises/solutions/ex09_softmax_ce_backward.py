"""Reference solution of ex09_softmax_ce_backward (kept out of the package: the tests grade it)."""

import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(softmax(logits) - onehot(targets)) / N, with a softmax that cannot overflow."""
    n = logits.shape[0]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(n), targets] -= 1.0
    return p / n
