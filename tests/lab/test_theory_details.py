"""Mean-field theory: the smaller promises (errors that name the call and the argument, ...)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_init.lab import theory


@pytest.mark.parametrize("name, call", [
    ("activation_moments", lambda s: theory.activation_moments("leaky_relu", 1.0, negative_slope=s)),
    ("fixed_point", lambda s: theory.fixed_point("leaky_relu", 1.0, negative_slope=s)),
    ("predict", lambda s: theory.predict([3, 3], "leaky_relu", "he_normal", negative_slope=s)),
    ("chi1", lambda s: theory.chi1("leaky_relu", 1.0, negative_slope=s)),
    ("correlation_map", lambda s: theory.correlation_map("leaky_relu", 0.5, 1.0, negative_slope=s)),
    ("correlation_fixed_point", lambda s: theory.correlation_fixed_point("leaky_relu", 1.0, negative_slope=s)),
    ("critical_sigma_w2", lambda s: theory.critical_sigma_w2("leaky_relu", negative_slope=s)),
    ("depth_scales", lambda s: theory.depth_scales("leaky_relu", 1.0, negative_slope=s))])
def test_a_bad_negative_slope_is_refused_naming_the_function_and_the_argument(name, call):
    with pytest.raises(ValueError, match=rf"^{name}: negative_slope must be a finite number, got nan"):
        call(math.nan)
    with pytest.raises(TypeError, match=rf"^{name}: negative_slope must be a number"):
        call("0.1")
    # its square is in every moment, (1 + a^2) / 2: past 1e154 that was inf (E[f^2], chi_1) or nan (std(f))
    for slope in (1e300, -1e160):
        with pytest.raises(ValueError, match=rf"^{name}: negative_slope must be in \[-1e\+150, 1e\+150\], got"):
            call(slope)


def test_a_leaky_relus_second_moment_past_float64_is_an_error_not_inf_or_nan():
    # (1 + a^2) var / 2 = 5e309: activation_moments gave second inf and std nan; predict an activation std of nan
    with pytest.raises(ValueError, match=r"^activation_moments: E\[f\(z\)\^2\] of leaky_relu \(negative_slope 1e\+10\)"
                                         r" at var 1e\+300 overflows float64; take var below 3\.6e\+288"):
        theory.activation_moments("leaky_relu", 1e300, negative_slope=1e10)
    with pytest.raises(ValueError, match=r"^predict: the variance of layer 2 overflows \(weight std 1, negative_slope "
                                         r"1e\+10\); use smaller weight stds, fewer layers or a smaller negative_slope"
                       ) as e:
        theory.predict([1, 1, 1], "leaky_relu", [1e-10, 1.0], input_std=1e150, negative_slope=1e10)
    assert (e.value.layer, e.value.gradient) == (2, False)
    assert theory.activation_moments("leaky_relu", 3e288, negative_slope=1e10).second == pytest.approx(1.5e308)


def _tanh_q_star(sigma_w2, sigma_b2):  # q = sigma_w^2 E[tanh(sqrt(q) z)^2] + sigma_b^2, iterated (numpy's Hermite rule)
    z, w = np.polynomial.hermite_e.hermegauss(200)
    q = 1.0
    for _ in range(500):
        q = sigma_w2 * float(w @ np.tanh(math.sqrt(q) * z) ** 2) / math.sqrt(2 * math.pi) + sigma_b2
    return q


@pytest.mark.parametrize("c", [1.05, -1.05, 1.0 + 1e-9, math.nan])
def test_correlation_map_refuses_a_correlation_outside_minus_1_to_1(c):
    with pytest.raises(ValueError, match="^correlation_map: c must be"):
        theory.correlation_map("tanh", c, 1.5, 0.05)


def test_correlation_map_at_the_ends_of_its_range():
    # c = 1: u_2 = u_1, the map's value is 1; c = -1: u_2 = -u_1 and tanh is odd, so E[f(u_1) f(u_2)] = -E[f^2] and
    # c' = (sigma_b^2 - (q* - sigma_b^2)) / q* = 2 sigma_b^2 / q* - 1
    q = _tanh_q_star(1.5, 0.05)
    assert theory.correlation_map("tanh", 1.0, 1.5, 0.05) == pytest.approx(1.0, abs=1e-9)
    assert theory.correlation_map("tanh", -1.0, 1.5, 0.05) == pytest.approx(2 * 0.05 / q - 1, abs=1e-9)


def test_the_printed_table_of_a_linear_net_reads_the_hand_computed_stds():
    # inputs of std 2 through 4 -> 9 -> 1 linear units, weight stds 1/2 and 1/3: Var(y_1) = 4 (1/4) 4 = 4,
    # Var(y_2) = 9 (1/9) 4 = 4; from dL/dh_2 of std 1: Var(dh_1) = 1 (1/9) 1, Var(dx) = 9 (1/4) (1/9) = 1/4;
    # Var(dW_l) = E[h_{l-1}^2] Var(dy_l): 4 (1/9) and 4 (1)
    r = theory.predict([4, 9, 1], "linear", init=[0.5, 1 / 3], input_std=2.0)
    head, columns, *rows, last = repr(r).splitlines()
    assert head == "TheoryResult(widths=[4, 9, 1], init=[std=0.5, std=0.333333], activation=linear)"
    assert columns.split() == ["layer", "width", "std(W)", "std(y)", "mean(h)", "std(h)", "saturated", "std(dh)",
                               "std(dy)", "std(dW)"]
    assert [row.split() for row in rows] == [["1", "9", "0.5", "2", "0", "2", "0", "0.3333", "0.3333", "0.6667"],
                                             ["2", "1", "0.3333", "2", "0", "2", "0", "1", "1", "2"]]
    assert last == "std(dL/dx) = 0.5"


def test_gaussian_expectation_with_one_node_is_the_value_at_the_mean():
    # the 1-point rule (node 0, exact below degree 2): E[3 + 2 z] = 3 at any variance; n = 0 is refused
    assert theory.gaussian_expectation(lambda z: 3.0 + 2.0 * z, 4.0, n=1) == 3.0
    assert theory.gaussian_expectation(np.cosh, 9.0, n=1) == 1.0
    with pytest.raises(ValueError, match="^gaussian_expectation: n must be"):
        theory.gaussian_expectation(np.cosh, 9.0, n=0)


def test_depth_scales_cites_the_equations_of_the_depth_scales():
    # Schoenholz, Gilmer, Ganguli & Sohl-Dickstein (2017), "Deep Information Propagation", ICLR, sec. 3: xi_q is
    # their eq. 7 and xi_c their eq. 9, each -log of the slope of its map at the fixed point; help(theory.depth_scales)
    # said "eqs. 5 and 9".
    doc = " ".join(theory.depth_scales.__doc__.split())
    assert "(Schoenholz et al. 2017, eqs. 7 and 9;" in doc and "eqs. 5" not in doc


@pytest.mark.parametrize("kwargs, match", [({"widths": np.array(3)}, "predict: widths must list"),
                                           ({"activation": np.array("tanh")}, "predict: activation must be one of"),
                                           ({"init": np.array(2.0)}, "predict: init must be a scheme name")])
def test_predict_names_a_0d_array_given_for_widths_activation_or_init(kwargs, match) -> None:
    # each raised Python's "len() of unsized object" or numpy's "iteration over a 0-d array"
    with pytest.raises((TypeError, ValueError), match=match):
        theory.predict(**{"widths": [3, 3], **kwargs})


@pytest.mark.parametrize("n", [371, 500, 10 ** 400])
def test_gaussian_expectation_refuses_more_points_than_numpy_weighs(n) -> None:
    # measured: E[z^2] over 371 points read 0.0, over 372 to 3000 NaN (numpy's hermegauss overflows, with warnings);
    # 10**400 raised OverflowError from inside numpy
    said = str(n) if n < 10**6 else "a number of 401 digits"  # (its first 20 characters read as 10**19)
    with pytest.raises(ValueError, match=f"gaussian_expectation: n must be <= 370 .*, got {said};"):
        theory.gaussian_expectation(lambda z: z * z, 1.0, n)
    assert theory.gaussian_expectation(lambda z: z * z, 1.0, 370) == pytest.approx(1.0, rel=1e-12)
