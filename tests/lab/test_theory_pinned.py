"""Pins of mean-field theory branches and of the experiments' seeds that no other test reaches."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init.lab import theory, training


@pytest.mark.parametrize("activation, c", [("tanh", 0.5), ("sigmoid", -0.3)])
def test_correlation_map_at_zero_variance_with_biases_is_one(activation, c):
    # q = 0: every pre-activation is 0, so both units output f(0) and then get the same bias: the new correlation is
    # (sigma_w^2 f(0)^2 + sigma_b^2) / (sigma_w^2 f(0)^2 + sigma_b^2) = 1, whatever c was
    assert theory.correlation_map(activation, c, 2.0, 0.1, q=0.0) == pytest.approx(1.0, abs=1e-15)


def test_critical_sigma_w2_beyond_its_search_says_to_take_a_smaller_bias_variance():
    # sigmoid has a critical point for every sigma_b^2 (E[f^2] / E[f'^2] grows like sqrt(q)), but the search for q*
    # stops at 1e300: the message said "it has no critical point", which is false
    with pytest.raises(ValueError, match=r"^critical_sigma_w2: no q\* up to 1e300 puts sigmoid on the critical line; "
                                         r"take sigma_b2 below 1e300$"):
        theory.critical_sigma_w2("sigmoid", 1e301)
    # below it there is one: at large q*, E[sigmoid'(u)^2] = int sigmoid'^2 / sqrt(2 pi q*) = (1/6) / sqrt(2 pi q*)
    # and q* ~ sigma_b^2, so sigma_w^2 = 1 / E[f'^2] ~ 6 sqrt(2 pi 1e300)
    assert theory.critical_sigma_w2("sigmoid", 1e300) == pytest.approx(6 * np.sqrt(2 * np.pi * 1e300), rel=1e-9)


def test_seeds_from_a_generator_are_drawn_from_it_and_repeat_with_it():
    gen = np.random.default_rng(3)
    data, seeds = training.seeds_of(gen, 4, False)
    assert data is gen and len(seeds) == 4 == len(set(seeds)) and all(type(s) is int and 0 <= s < 2**31 for s in seeds)
    assert training.seeds_of(np.random.default_rng(3), 4, True)[1] == seeds  # the same draws from the same seed
    assert seeds != list(range(seeds[0], seeds[0] + 4))  # drawn, not s, s + 1, ... as for an integer seed
