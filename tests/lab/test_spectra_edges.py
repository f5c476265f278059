"""Jacobian spectra against an independent computation, and their arguments checked by name."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_init import theory
from tinygrad_init.lab import spectra as S


@pytest.mark.parametrize("sigma_b2,error", [(-1.0, ValueError), (math.nan, ValueError), ("0.1", TypeError)])
def test_jacobian_spectra_names_itself_for_a_bad_bias_variance(sigma_b2, error):
    # the message began "critical_sigma_w2: sigma_b2 must be ...", a function the caller did not call
    with pytest.raises(error, match="^jacobian_spectra: sigma_b2 must be"):
        S.jacobian_spectra((2,), 8, 1, sigma_b2=sigma_b2)
