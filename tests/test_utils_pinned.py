"""The shared helpers of tinygrad_init.utils, pinned at their boundaries against hand-written answers."""

from __future__ import annotations

import math

import pytest

from tinygrad_init import utils


def test_moments_of_no_entries_are_nan_mean_and_std_and_a_zero_norm() -> None:
    m = utils.moments([])  # the docstring: an empty array has mean and std nan and norm 0 (not a ZeroDivisionError)
    assert math.isnan(m.mean) and math.isnan(m.std) and m.norm == 0.0


def test_check_choice_refuses_a_string_that_is_no_option_and_a_non_string() -> None:
    assert utils.check_choice("f", "mode", "Fan_In", ("fan_in", "fan_out")) == "fan_in"  # compared without case
    with pytest.raises(ValueError, match=r"^f: mode must be one of 'fan_in', 'fan_out', got 'fan_inn' \(did you mean "
                                         r"'fan_in'\?\)$"):
        utils.check_choice("f", "mode", "fan_inn", ("fan_in", "fan_out"))
    with pytest.raises(ValueError, match=r"^f: mode must be one of 'fan_in', 'fan_out', got 3$"):
        utils.check_choice("f", "mode", 3, ("fan_in", "fan_out"))
