"""Known-wrong answers to ex09_softmax_ce_backward: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: no_mean
# forgets the 1/N of the mean over the batch.
import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p - np.eye(logits.shape[1])[targets]


# wrong: sign
# onehot - softmax, a sign error.
import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (np.eye(logits.shape[1])[targets] - p) / logits.shape[0]


# wrong: unstable
# exp of the raw logits, which overflows to inf (and inf / inf = nan) for large logits.
import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(logits.shape[1])[targets]) / logits.shape[0]


# wrong: wrong_axis
# normalizes over the batch (axis 0) instead of over the classes.
import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    return (p - np.eye(logits.shape[1])[targets]) / logits.shape[0]


# wrong: loss
# returns the forward value, the mean loss, where its gradient belongs.
import numpy as np


def softmax_cross_entropy_backward(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(z)), targets].mean()
