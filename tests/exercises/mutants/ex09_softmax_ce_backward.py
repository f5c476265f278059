"""Mutants of ex09_softmax_ce_backward: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: global_max
# subtracts the maximum of the whole array.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max())
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


# mutant: divided_by_classes
# divides by the number of classes.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(targets)), targets] -= 1
    return p / logits.shape[1]


# mutant: normalized_all
# divides by the sum of the whole array.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max())
    p = e / e.sum()
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


# mutant: no_onehot
# forgets to subtract the target.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) / len(targets)


# mutant: wrt_probabilities
# the gradient with respect to the probabilities.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    onehot = np.eye(logits.shape[1])[targets]
    return -onehot / p / len(targets)


# mutant: column_index
# p[:, targets] hits whole columns.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[:, targets] -= 1
    return p / len(targets)


# mutant: row_index
# p[targets] hits whole rows.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[targets] -= 1
    return p / len(targets)


# mutant: no_keepdims
# divides by e.sum(axis=1) without keepdims: runs only for a square batch.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


# mutant: eye_of_rows
# the one-hot matrix as np.eye(N)[targets], (N, N): runs only when N = C.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(len(logits))[targets]) / len(logits)


# mutant: eye_of_rows
# the same, the one-hot matrix first.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    z = logits - logits.max(axis=1, keepdims=True)
    return -(np.eye(logits.shape[0])[targets] - np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)) / logits.shape[0]


# mutant: normalized_all
# each row shifted by its own maximum, but divided by the sum of the whole array.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum() - np.eye(logits.shape[1])[targets]) / len(logits)


# mutant: no_keepdims
# each row shifted by the maxima of the rows lined up with its columns (z.max(axis=1) without keepdims).
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


# mutant: classes_from_targets
# counts the classes from the targets: targets.max() + 1 is 2 for a batch with targets [1, 1] and 3 classes.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(targets.max() + 1)[targets]) / len(targets)


# mutant: classes_from_targets
# the same with a one-hot matrix filled by hand, subtracted first.
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    onehot = np.zeros((len(targets), targets.max() + 1))
    onehot[np.arange(len(targets)), targets] = 1.0
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return -(onehot - e / e.sum(axis=1, keepdims=True)) / len(targets)


# mutant: wrong_axis
# shifts each row by its maximum, then divides by the column sums.
#-     p = e / e.sum(axis=1, keepdims=True)
#+     p = e / e.sum(axis=0, keepdims=True)


# mutant: wrong_axis
# shifts by each column's maximum, then divides by the row sums.
#-     e = np.exp(logits - logits.max(axis=1, keepdims=True))
#+     e = np.exp(logits - logits.max(axis=0, keepdims=True))
