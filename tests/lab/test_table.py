"""`Table` as the docs describe it: text, markdown, CSV, HTML and JSON views of the same cells."""

from __future__ import annotations

import pytest

from tinygrad_init.table import Table


def test_narrow_text_never_prints_a_block_of_only_the_repeated_first_column() -> None:
    t = Table(["layer", "std", "mean"], [[1, 0.5, 0.25], [2, 1.5, 0.75]])
    blocks = t.to_text(max_width=5).split("\n\n")
    assert [b.splitlines()[0].split() for b in blocks] == [["layer", "std"], ["layer", "mean"]]


def test_text_keeps_a_row_on_one_line_when_a_cell_holds_a_newline() -> None:
    t = Table(["scheme", "std"], [["He\nnormal", 0.5], ["small", 0.25]])
    assert t.to_text().splitlines() == ["scheme      std", "---------  ----", "He normal   0.5", "small      0.25"]


@pytest.mark.parametrize("digits,error", [(2.5, TypeError), (float("nan"), TypeError), (float("inf"), TypeError)])
def test_digits_must_be_a_whole_number(digits, error) -> None:
    # 2.5 was read as 2, nan gave 'cannot convert float NaN to integer', inf an OverflowError
    with pytest.raises(error, match="format_number: digits must be a whole number"):
        Table(["x"], [[0.123456]]).to_text(digits=digits)


@pytest.mark.parametrize("columns", [None, 3, "std"])
def test_columns_that_are_not_a_list_of_names_get_a_type_error_naming_them(columns) -> None:
    with pytest.raises(TypeError, match=r"Table: columns must be a list of names, got"):  # None: 'not iterable'
        Table(columns)


def test_every_view_keeps_a_row_on_one_line_whatever_line_break_a_cell_or_name_holds() -> None:
    t = Table(["std\n(theory)", "scheme"], [[0.5, "He\r\nnormal"], [0.25, "small\rinit"]], title="a\rb")
    assert t.to_text().splitlines()[2:] == ["std (theory)  scheme", "------------  ----------",  # the name: 2 lines
                                            "         0.5  He normal", "        0.25  small init"]  # \r: a break too
    assert t.to_markdown().splitlines() == ["**a b**", "", "| std (theory) | scheme |", "|---:|:---|",
                                            "| 0.5 | He normal |", "| 0.25 | small init |"]
