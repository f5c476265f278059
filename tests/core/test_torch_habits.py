"""PyTorch habits on the tensor engine: a call spelled as in PyTorch gives PyTorch's result or a message saying
what to write here, never a different number or shape.

Skipped when torch is not installed -- except under CI=true, where torch must be present
and a missing torch fails this file.
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

if os.environ.get("CI") == "true":
    try:
        import torch
    except ImportError as e:  # pragma: no cover - only on a broken CI machine
        pytest.fail(f"CI=true but torch cannot be imported ({e}); install torch==2.13.0", pytrace=False)
else:
    torch = pytest.importorskip("torch")

from tinygrad_init import Tensor  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4)])
def test_transpose_of_two_axes_is_pytorchs_swap_or_refused(shape):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    n, done = len(shape), 0
    for i, j in itertools.product(range(-n, n), repeat=2):
        try:
            ours = Tensor(x).transpose(i, j)
        except ValueError as e:
            assert "transpose" in str(e) and ("t.T" in str(e) or "list all" in str(e) or "twice" in str(e)), str(e)
            continue
        np.testing.assert_array_equal(ours.data, torch.from_numpy(x).transpose(i, j).numpy())
        done += 1
    assert done == (4 if n == 2 else 0)  # a matrix's (1, 0), (-1, 0), (1, -2), (-1, -2); no 3-d pair is a permutation


def test_transpose_0_1_of_a_matrix_is_refused_not_left_as_it_is():
    m = Tensor(np.ones((2, 3)))
    for axes in [(0, 1), (-2, -1), (0, -1)]:
        with pytest.raises(ValueError, match=r"transpose: axes .* PyTorch's swap; write t\.T or t\.transpose\(1, 0\)"):
            m.transpose(*axes)
    assert m.transpose((0, 1)).shape == (2, 3)  # a permutation as one tuple is numpy's, never PyTorch's spelling
