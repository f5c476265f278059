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


@pytest.mark.parametrize("width", [500, 100])
def test_predicted_stds_of_a_deep_relu_net_stay_where_their_variances_leave_float64(width):
    # CS231n's ReLU units at 0.01 * randn, 300 layers: by hand (n s^2 = n 1e-4) std(y_l) = sqrt(n s^2) sqrt(n s^2 /
    # 2)^(l - 1), std(dL/dh_l) = sqrt(n s^2 / 2)^(L - l), std(h) = std(y) sqrt(1/2 - 1/(2 pi)), half the units 0. At
    # width 500 Var(y) falls below float64 (1e-308) from layer 193: the theory read 0 there and a zero fraction of 1,
    # and as relu'(0) = 0 passed no gradient, std(dL/dh) 0 in every layer below the top (0.158 at layer 299); at width
    # 100 std(y) itself falls below float64's 5e-324 from layer 229: 0, but std(dL/dh) there is not
    L, g = 300, width * 1e-4
    r = theory.predict([width] * (L + 1), "relu", "small")
    l = np.arange(1, L + 1)
    pre, grad = 0.5 * np.log10(g) + 0.5 * (l - 1) * np.log10(g / 2), 0.5 * (L - l) * np.log10(g / 2)  # log10
    for got, want in ((r.pre_std, pre), (r.grad_act_std, grad)):
        np.testing.assert_allclose(np.log10(got[want > -300]), want[want > -300], rtol=1e-12, atol=1e-12)
        assert (got[want < -324] == 0).all()
    ok = pre > -300
    np.testing.assert_allclose(np.log2(r.act_std[ok] / r.pre_std[ok]), 0.5 * math.log2(0.5 - 0.5 / math.pi), rtol=1e-12)
    assert r.zero_fraction.tolist() == [0.5] * L


def test_predicted_stds_below_1e_100_follow_the_activation_linear_about_0():
    # tanh at 0.01 * randn, 300 layers of 500: from layer 30 on tanh is linear (q < 1e-38), each layer multiplies
    # std(y) and, from the top down, std(dL/dh) by sqrt(500) 0.01 = sqrt(0.05), to 1e-194 (variance 1e-388; the theory
    # read 0 from layer 249 and below layer 52). A sigmoid layer of y ~ 1e-160: mean 1/2, std(y) sigma'(0) = std(y) / 4
    r = theory.predict([500] * 301, "tanh", "small")
    np.testing.assert_allclose(r.pre_std[30:] / r.pre_std[29:-1], math.sqrt(0.05), rtol=1e-12)
    np.testing.assert_allclose(r.grad_act_std[29:-1] / r.grad_act_std[30:], math.sqrt(0.05), rtol=1e-12)
    s = theory.predict([10, 10, 10], "sigmoid", 1e-160)
    assert s.act_mean.tolist() == [0.5, 0.5] and s.pre_std[0] == pytest.approx(math.sqrt(10) * 1e-160, rel=1e-14, abs=0)
    np.testing.assert_allclose(s.act_std, s.pre_std / 4, rtol=1e-12)
    assert s.pre_std[1] == pytest.approx(math.sqrt(10) * 1e-160 * 0.5, rel=1e-14, abs=0.0)
    z = theory.predict([4, 4, 4], "sigmoid", [0.0, 1e-160])  # also after a layer of q = 0: sigmoid's h = 1/2 there
    assert (z.pre_std[1], z.act_std[1]) == pytest.approx((1e-160, 2.5e-161), rel=1e-12, abs=0.0)
