"""Formulas a plausible slip in the code would change unnoticed elsewhere (the eps of a batch normalization left out,
a zero fan checked for the wrong mode): each test here fails for one, checked against PyTorch or the formula."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import require_module
from tinygrad_init import Tensor, init, nn


@pytest.mark.torch
def test_batchnorm_training_output_uses_eps_inside_the_square_root_as_pytorch():
    torch = require_module("torch")
    x = np.random.default_rng(0).normal(0.0, 0.3, (6, 3))  # a small variance, so that eps = 0.5 shows
    theirs = torch.nn.BatchNorm1d(3, eps=0.5).double()(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(nn.BatchNorm1d(3, eps=0.5, dtype=np.float64)(x).data, theirs, rtol=1e-12)


def test_a_zero_fan_of_the_mode_asked_for_is_named_not_divided_by():
    with pytest.raises(ValueError, match=r"has fan_out = 0, so the variance scale/fan_out is undefined"):
        init.he_normal((3, 0), mode="fan_out")


@pytest.mark.parametrize("z, t, loss", [(np.inf, 1.0, 0.0), (-np.inf, 0.0, 0.0), (np.inf, 0.3, np.inf)])
def test_bce_with_logits_at_an_infinite_score_is_0_or_inf_not_nan(z, t, loss):
    assert nn.binary_cross_entropy_with_logits(Tensor([z]), [t]).item() == loss


def test_lsuv_warns_when_a_bias_keeps_the_variance_off_1_by_more_than_tol():
    lin = nn.Linear(4, 2, rng=0, dtype=np.float64)
    lin.bias.data[:] = [-1.15 ** 0.5, 1.15 ** 0.5]  # the output's variance is at least 1.15 whatever W
    with pytest.warns(RuntimeWarning, match=r"variance 1\.1\d* \(off 1 by 0\.1\d*\) after 10 rescalings"):
        init.lsuv(lin, np.random.default_rng(1).normal(size=(64, 4)), rng=0)

