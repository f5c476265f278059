"""The lab at the sizes and precisions a lecturer tries on a slide: depths of hundreds, widths of one, numbers near the
ends of float64's range."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tinygrad_init.lab import theory


@pytest.mark.parametrize("input_std, grad_std_top", [(1e150, 1e100), (1e-150, 1e-100)])
def test_predicted_weight_gradient_std_keeps_a_product_float64_cannot(input_std, grad_std_top):
    # std(dL/dW) = sqrt(B E[x^2] Var(dL/dy)): for y = x @ W with W = 0.1 (10 inputs) and a batch of 4, by hand
    # 2 * input_std * grad_std_top, 1e250 or 1e-250; the variances' product 1e500 (1e-500) was inf with numpy's
    # RuntimeWarning (0), though each std is a float64
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = theory.predict([10, 10], "linear", 0.1, input_std=input_std, grad_std_top=grad_std_top, batch_size=4)
    assert r.grad_weight_std[0] == pytest.approx(2 * input_std * grad_std_top, rel=1e-14, abs=0.0)
    assert r.grad_bias_std[0] == pytest.approx(2 * grad_std_top, rel=1e-14, abs=0.0)


def test_predicted_weight_gradient_std_of_a_deep_relu_net_is_finite_where_its_factors_are():
    # 128 ReLU layers of 500 units at 1.0 * randn, a batch of 10^6: q_l = 500 q_{l-1} / 2 stays below float64's max
    # (2 250^128 = 1.6e307 at the top), as does Var(dL/dh) = 250^(L - l) from the top down, but their product with B,
    # B 250^127 / 2 = 1.7e310, overflowed: every layer's std(dL/dW) read inf. By hand: sqrt(B / 2) 250^63.5 = 1.3e155
    r = theory.predict([500] * 129, "relu", "large", batch_size=10**6)
    log10 = 0.5 * math.log10(10**6 / 2) + 63.5 * math.log10(250)
    np.testing.assert_allclose(np.log10(r.grad_weight_std), log10, rtol=1e-12)
