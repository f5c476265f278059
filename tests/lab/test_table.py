"""`Table` as the docs describe it: text, markdown, CSV, HTML and JSON views of the same cells."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tinygrad_init.lab.table import ExperimentResult, band
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
    with pytest.raises(error, match="^Table: digits must be a whole number"):
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


def test_band_is_median_lowest_highest_over_seeds_with_a_diverged_run_as_inf() -> None:
    from tinygrad_init.table import band

    # 3 seeds x 2 points; seed 1 diverged at point 1 (nan): it counts as +inf, above every finite run
    med, lo, hi = band([[0.5, 2.0], [0.25, float("nan")], [1.0, 1.0]])
    assert med.tolist() == [0.5, 2.0] and lo.tolist() == [0.25, 1.0] and hi.tolist() == [1.0, float("inf")]
    med, lo, hi = band([[1.0, 3.0, 2.0]], axis=1)  # one seed's row, over its points
    assert (med.tolist(), lo.tolist(), hi.tolist()) == ([2.0], [1.0], [3.0])
    for bad in ([], 2.0):
        with pytest.raises(ValueError, match="band: values must be a non-empty array"):
            band(bad)


def test_a_row_mapping_an_unknown_column_is_refused() -> None:
    with pytest.raises(ValueError, match=r"Table: row 0 has unknown column\(s\) \['stf'\]; the columns are"):
        Table(["layer", "std"], [{"layer": 1, "stf": 0.5}])


def test_csv_keeps_every_digit_writes_missing_cells_empty_and_writes_the_file(tmp_path) -> None:
    t = Table(["layer", "std"], [[1, 0.1 + 0.2], [2, None]])
    text = t.to_csv(tmp_path / "t.csv")
    assert text == "layer,std\n1,0.30000000000000004\n2,\n"
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == text


def test_markdown_lists_the_notes_below_the_table() -> None:
    md = Table(["std"], [[0.5]], notes=["std over 6 x 5 entries", "a*b"]).to_markdown()
    assert md.endswith("| 0.5 |\n\n- std over 6 x 5 entries\n- a\\*b\n")


def test_text_fits_a_line_of_exactly_max_width_in_one_block() -> None:
    t = Table(["layer", "std", "mean"], [[1, 0.5, 0.25], [2, 1.5, 0.75]])
    assert t.to_text(max_width=16).splitlines()[0] == "layer  std  mean"  # 16 characters: it fits
    assert "\n\n" in t.to_text(max_width=15)  # one character less: two blocks


def test_experiment_result_names_draws_and_shows_its_figures_and_findings() -> None:
    from tinygrad_init.table import ExperimentResult

    drawn = []
    res = ExperimentResult("x", "A < B", "why?", {"main": Table(["a"], [[1]])}, {}, {}, ["f & g"],
                           {"main": lambda: drawn.append("main") or "M", "other": lambda: "O"})
    assert res.figure_names == ["main", "other"] and drawn == []  # nothing drawn yet
    assert res.figure == "M" and res.figure == "M" and drawn == ["main"]  # drawn once, kept
    assert res._repr_html_().startswith("<h3>A &lt; B</h3><p>why?</p><ul><li>f &amp; g</li></ul>")


def test_numpy_scalars_in_a_row_are_stored_as_python_numbers() -> None:
    import numpy as np

    t = Table(["layer", "std"], [[np.int64(1), np.float32(0.5)]])
    assert type(t[0]["layer"]) is int and type(t[0]["std"]) is float
    assert t.to_csv() == "layer,std\n1,0.5\n" and '"rows": [{"layer": 1, "std": 0.5}]' in t.to_json()


def test_a_row_number_out_of_range_is_named() -> None:
    t = Table(["layer"], [[1], [2]])
    assert t[-2] == {"layer": 1}
    for i in (2, -3):
        with pytest.raises(IndexError, match=f"Table: row {i} is out of range for a table of 2 rows"):
            t[i]


@pytest.mark.parametrize("key", [1.5, None, ["layer", 2]])
def test_a_key_that_is_neither_a_name_nor_a_row_is_a_type_error_that_lists_the_ways(key) -> None:
    with pytest.raises(TypeError, match=r"^Table: index with a column name, a list of names or a row number, not "):
        Table(["layer"], [[1]])[key]


def test_from_dict_names_what_is_missing_and_refuses_the_json_text_itself() -> None:
    import json

    t = Table(["layer", "std"], [[1, float("nan")]], title="T")
    assert Table.from_dict(json.loads(t.to_json())) == t  # the way the message shows
    with pytest.raises(ValueError, match=r"^Table.from_dict: expected a mapping with 'columns' and 'rows'"):
        Table.from_dict({"columns": ["layer"]})
    for d in (t.to_json(), None, [["layer"]]):  # the text said "string indices must be integers, not 'str'"
        with pytest.raises(TypeError, match=r"^Table.from_dict: d must be a mapping \(for the text of to_json: "
                                            r"Table.from_dict\(json.loads\(text\)\)\), got "):
            Table.from_dict(d)


def test_an_experiment_result_needs_a_main_table_and_draws_every_figure_once() -> None:
    from tinygrad_init.table import ExperimentResult

    with pytest.raises(ValueError, match=r"^ExperimentResult: tables must include 'main'$"):
        ExperimentResult("x", "X", "q", {"other": Table(["a"], [[1]])}, {}, {}, [], {})
    drawn: list[str] = []
    res = ExperimentResult("x", "X", "why?", {"main": Table(["a"], [[1]]), "more": Table(["b"], [[2]])}, {}, {}, [],
                           {"f": lambda: drawn.append("f") or 1, "g": lambda: drawn.append("g") or 2})
    assert repr(res) == "ExperimentResult('x': X; tables main, more; figures f, g)"
    assert res.figures == {"f": 1, "g": 2} and res.figures == {"f": 1, "g": 2} and drawn == ["f", "g"]


def test_markdown_shows_text_in_angle_brackets_as_written_never_as_html() -> None:
    # "<b>x</b>" in a cell was bold in the rendered table, "<script>...</script>" vanished (or ran), "<http://a>" a link
    t = Table(["name <i>", "v"], [["<b>x</b>", 0.5], ["</script><script>alert(1)</script>", 0.25], ["<http://a>", 2.5]],
              title="<h1>t</h1>", notes=["<!-- n -->"])
    md = t.to_markdown()
    assert "<" not in md.replace("\\<", "")
    assert md.splitlines()[2:] == ["| name \\<i> | v |", "|:---|---:|", "| \\<b>x\\</b> | 0.5 |",
                                   "| \\</script>\\<script>alert(1)\\</script> | 0.25 |", "| \\<http://a> | 2.5 |",
                                   "", "- \\<!-- n -->"]
    assert md.startswith("**\\<h1>t\\</h1>**")


def test_text_aligns_names_with_wide_and_combining_characters_as_a_terminal_shows_them() -> None:
    # len() counted 层一 as 2 columns (a terminal shows 4) and e + U+0301 as 2 (it shows 1): their numbers stood 2
    # columns right and 1 column left of the others
    t = Table(["name", "std"], [["层一", 0.5], ["layer_two", 0.25], ["e\u0301", 2.0]])
    assert t.to_text().splitlines() == ["name        std", "---------  ----", "层一        0.5", "layer_two  0.25",
                                        "e\u0301             2"]


def test_markdown_escapes_an_underscore_that_could_start_or_end_emphasis_and_no_other() -> None:
    # "__init__" rendered as a bold "init", "_hidden_" and a note "_n_" in italics; grad_w_std must stay as written
    t = Table(["name", "grad_w_std"], [["__init__", 0.5], ["_hidden_", 0.25], ["a _b_ c", 1.5]], notes=["_n_"])
    assert t.to_markdown().splitlines() == ["| name | grad_w_std |", "|:---|---:|", "| \\_\\_init\\_\\_ | 0.5 |",
                                            "| \\_hidden\\_ | 0.25 |", "| a \\_b\\_ c | 1.5 |", "", "- \\_n\\_"]


def test_text_shows_three_significant_digits_by_default_like_markdown_and_html() -> None:
    t = Table(["x"], [[0.123456], [98.7654]])
    for text in (t.to_text(), t.to_markdown(), t.to_html()):
        assert f"{0.123456:.3g}" in text and f"{98.7654:.3g}" in text and "0.1235" not in text


def test_a_column_of_numbers_and_gaps_is_a_float_array_with_nan_for_the_gaps() -> None:
    t = Table(["layer", "std", "scheme"], [[1, 0.5, "he"], [2, None, "xavier"]])
    std = t.column("std")
    assert isinstance(std, np.ndarray) and std.dtype == np.float64
    np.testing.assert_array_equal(std, [0.5, np.nan])
    np.testing.assert_array_equal(t.column("layer"), [1.0, 2.0])
    assert t.column("scheme") == ["he", "xavier"]


def test_html_cells_hold_the_names_and_values_in_order_aligned_by_kind() -> None:
    html = Table(["scheme", "std"], [["he", 0.5], ["xavier", 0.25]]).to_html()
    head, body = html.split("</thead>")
    assert re.findall(r"<th style=\"text-align: (\w+)\">([^<]*)</th>", head) == [("left", "scheme"), ("right", "std")]
    assert re.findall(r"<td style=\"text-align: (\w+)\">([^<]*)</td>", body) == [
        ("left", "he"), ("right", "0.5"), ("left", "xavier"), ("right", "0.25")]


@pytest.mark.parametrize("row", ["ab", 3, None])
def test_a_row_that_is_text_or_a_single_value_gets_a_type_error_naming_it(row) -> None:
    with pytest.raises(TypeError, match="Table: row 0 must be a sequence of values or a mapping"):
        Table(["a", "b"], [row])


def test_a_result_prints_title_underline_question_findings_then_its_table() -> None:
    table = Table(["scheme", "std"], [["he", 0.5]])
    result = ExperimentResult("demo", "He keeps the std", "Does the std survive depth?", {"main": table}, {}, {},
                              ["the std stays near 0.5"], {})
    lines = str(result).splitlines()
    assert lines[:6] == ["He keeps the std", "=" * len("He keeps the std"), "Does the std survive depth?", "",
                         "- the std stays near 0.5", ""]
    assert lines[6:] == table.to_text().splitlines()


def test_an_unknown_column_gets_a_key_error_listing_the_columns() -> None:
    with pytest.raises(KeyError, match=r"Table: no column 'sdt'; the columns are layer, std"):
        Table(["layer", "std"], [[1, 0.5]]).column("sdt")


@pytest.mark.parametrize("name, kwargs", [("rows", {"rows": None}), ("rows", {"rows": 3}), ("rows", {"rows": {(1, 2)}}),
                                          ("notes", {"notes": 3}), ("notes", {"notes": True}),
                                          ("columns", {"columns": np.array("a")}),
                                          ("columns", {"columns": {"a", "b"}})])
def test_rows_notes_or_columns_that_are_no_list_get_a_type_error_naming_them(name, kwargs) -> None:
    # rows=None and notes=3 raised Python's "'NoneType' object is not iterable", a 0-d array numpy's "iteration over a
    # 0-d array"; a set of columns or rows was read in hash order
    with pytest.raises(TypeError, match=f"Table: {name} must be a list of"):
        Table(**{"columns": ["a", "b"], **kwargs})


@pytest.mark.parametrize("values, axis, match", [(["a", "b"], 0, "band: values must be an array of numbers"),
                                                 ([[1.0, 2.0]], 2, r"band: axis must be in \[-2, 1\]"),
                                                 ([[1.0, 2.0]], "0", "band: axis must be a whole number"),
                                                 ([[1.0, 2.0]], True, "band: axis must be a whole number")])
def test_band_names_values_that_are_no_numbers_and_an_axis_out_of_range(values, axis, match) -> None:
    # numpy's "could not convert string to float", AxisError and "an integer is required" from inside np.median
    with pytest.raises((TypeError, ValueError), match=match):
        band(values, axis)


def test_a_result_without_figures_or_with_tables_not_a_dict_and_a_csv_path_not_a_path_say_so(tmp_path) -> None:
    table = Table(["a"], [[1.0]], title="t")
    # was IndexError "list index out of range": the main figure of a result that has none
    with pytest.raises(KeyError, match="n: no figure None; the figures are none"):
        _ = ExperimentResult("n", "t", "q", {"main": table}, {}, {}, [], {}).figure
    # was TypeError "argument of type 'int' is not iterable"
    with pytest.raises(TypeError, match="^ExperimentResult: tables must be a dict of Tables by name, got int 3$"):
        ExperimentResult("n", "t", "q", 3, {}, {}, [], {})
    # was pathlib's "expected str, bytes or os.PathLike object, not int", and a missing folder's FileNotFoundError
    with pytest.raises(TypeError, match="^Table.to_csv: path must be a file name or a pathlib.Path, got int 3$"):
        table.to_csv(3)
    with pytest.raises(FileNotFoundError, match="^Table.to_csv: the folder .* does not exist"):
        table.to_csv(tmp_path / "missing" / "t.csv")
    assert table.to_csv(str(tmp_path / "t.csv")) == (tmp_path / "t.csv").read_text() == "a\n1.0\n"


def test_digits_and_max_width_are_checked_in_the_table_s_name() -> None:
    table = Table(["a", "b", "c"], [[1, 2.5, "x"]])
    # max_width="a" was taken silently with two columns and a TypeError "'>' not supported between instances of 'int'
    # and 'str'" with three; digits=0 was refused as "format_number: digits ...", a function the caller never called
    with pytest.raises(TypeError, match=r"^Table.to_text: max_width must be a whole number, got str 'a'$"):
        table.to_text(max_width="a")
    with pytest.raises(ValueError, match=r"^Table.to_text: max_width must be >= 1, got 0$"):
        table.to_text(max_width=0)
    for export in (table.to_text, table.to_markdown, table.to_html):
        with pytest.raises(ValueError, match=r"^Table: digits must be >= 1, got 0$"):
            export(digits=0)
    assert len(table.to_text(digits=None, max_width=1).split("\n\n")) == 2  # the first column, one more a block


@pytest.mark.parametrize("lo, hi, fmt, text", [(1, 2, "{}", "1-2"), (20, 20, "{}", "20"),
                                               (0.123, 0.1234, "{:.2f}", "0.12"),
                                               (0.5, 0.25, lambda v: f"{v:g}%", "0.5%-0.25%")])
def test_span_writes_low_then_high_or_one_value_where_they_read_the_same(lo, hi, fmt, text) -> None:
    from tinygrad_init.lab.table import span

    assert span(lo, hi, fmt) == text


def test_a_row_of_the_wrong_length_is_named_with_its_count_and_infinities_survive_json() -> None:
    with pytest.raises(ValueError, match=r"^Table: row 1 has 1 values but there are 2 columns \['a', 'b'\]$"):
        Table(["a", "b"], [[1, 2], [3]])
    t = Table(["a", "ok"], [[float("-inf"), True], [float("inf"), False]], notes="one note")
    assert '"rows": [{"a": "-inf", "ok": true}, {"a": "inf", "ok": false}]' in t.to_json()
    assert Table.from_dict(json.loads(t.to_json())) == t and t.notes == ["one note"]
    assert t.column("ok") == [True, False] and t.to_text().splitlines()[2:4] == ["-inf  True", " inf  False"]


def test_a_pickled_result_leaves_its_drawn_figures_behind_and_labels_are_text() -> None:
    import pickle
    import threading
    from functools import partial

    from tinygrad_init.lab.table import label

    res = ExperimentResult("x", "X", "q", {"main": Table(["a"], [[1]])}, {}, {}, [], {"f": partial(threading.Lock)})
    assert res.figure is res.figure  # drawn, kept; a lock pickles not, the maker does
    assert pickle.loads(pickle.dumps(res)).figure_names == ["f"]
    assert (label("he_normal"), label(200)) == ("He randn*sqrt(2/fan_in)", "200")


def test_an_experiments_data_and_settings_are_hinted_as_the_dicts_they_are():
    # set through plain(), which returns Any, they were Any to type checkers: res.data's completions (keys(), items())
    # were missing and a function hinted to return res.data was an error under mypy --strict
    import typing
    hints = typing.get_type_hints(ExperimentResult)
    assert hints["data"] == hints["settings"] == dict[str, typing.Any]
    res = ExperimentResult("x", "t", "q?", {"main": Table(["a"], [[1]])}, {"a": np.arange(2)}, {"n": 1}, [], {})
    assert type(res.data) is dict and type(res.settings) is dict and res.data == {"a": [0, 1]}


def test_a_numeric_column_needs_no_narrowing_to_be_used_as_an_array():
    # hinted np.ndarray | list, table.column("pre_std").max() or .mean() was a type error (a list has neither),
    # though a column of numbers, what the lab's tables hold, is an array; `np.ndarray | Any` keeps the array's hints
    import typing
    hint = typing.get_type_hints(Table.column)["return"]
    assert set(typing.get_args(hint)) == {np.ndarray, typing.Any}
    t = Table(["a", "b"], [[1, "x"], [2.5, "y"]])
    assert t.column("a").max() == 2.5 and t.column("b") == ["x", "y"]


def test_a_zero_dimensional_array_and_a_long_double_are_stored_as_python_numbers() -> None:
    # a 0-d array (PyTorch's loss.detach().numpy(), np.array(x)) was kept as an array: text, its digits in full
    # (0.123456789), left-aligned, and column() a list; a long double stayed numpy's, which to_json could not write
    t = Table(["epoch", "loss", "wide"], [[1, np.array(0.123456789), np.longdouble(0.25)],
                                          [2, np.array(3, dtype=np.int8), np.array(True)]])
    assert [type(v) for v in t._rows[0]] == [int, float, float] and [type(v) for v in t._rows[1]] == [int, int, bool]
    assert t.to_text().splitlines()[2] == "    1  0.123  0.25" and t.column("loss").dtype == np.float64
    assert json.loads(t.to_json())["rows"][0] == {"epoch": 1, "loss": 0.123456789, "wide": 0.25}


def test_a_column_holding_an_integer_past_float64_is_given_as_its_values_not_an_overflow() -> None:
    # float(10 ** 400) raised Python's "int too large to convert to float"
    t = Table(["paths", "std"], [[10 ** 400, 0.5], [3, None]])
    assert t.column("paths") == [10 ** 400, 3] and np.array_equal(t.column("std"), [0.5, np.nan], equal_nan=True)


@pytest.mark.parametrize("value", [1 + 2j, b"raw", np.datetime64("2020-01-02")])
def test_json_names_the_cell_it_cannot_write_and_says_what_to_store(value) -> None:
    # json's own "Object of type complex is not JSON serializable" named no table, row or column
    t = Table(["a", "b"], [[1, 2], [3, value]])
    with pytest.raises(TypeError, match=r"^Table.to_json: row 1, column 'b' holds .+, which JSON cannot write; store "
                                        r"an int or float, text \(str\(value\)\) or None"):
        t.to_json()
    assert t.to_csv().splitlines()[0] == "a,b" and len(t.to_text().splitlines()) == 4  # the other views show it


def test_a_table_of_no_columns_is_refused() -> None:
    # it printed a blank and wrote "|  |\n||\n" as its markdown, which is no table
    with pytest.raises(ValueError, match=r"^Table: name one or more columns"):
        Table([], [[]])
    with pytest.raises(ValueError, match=r"^Table: name one or more columns"):
        Table.from_dict({"columns": [], "rows": []})


@pytest.mark.parametrize("args", [({"layer": [1, 2], "std": [0.5, 0.25]},),
                                  (["layer", "std"], {"layer": [1, 2], "std": [0.5, 0.25]})])
def test_a_dict_of_columns_is_told_the_call_that_makes_its_table_and_refuses_columns_of_two_lengths(args) -> None:
    # it was told only "columns (or rows) must be a list of ..., got dict", with no way to pass columns
    with pytest.raises(TypeError, match=r"must be a list of .*; for a dict of columns d = \{name: values\}, write "
                                        r"Table\(list\(d\), zip\(\*d\.values\(\), strict=True\)\)"):
        Table(*args)
    d = args[-1]
    assert Table(list(d), zip(*d.values(), strict=True)).rows == [{"layer": 1, "std": 0.5}, {"layer": 2, "std": 0.25}]
    with pytest.raises(ValueError):  # columns of different lengths
        Table(list(d), zip(*{**d, "std": [0.5]}.values(), strict=True))


@pytest.mark.parametrize("args", [({"layer": 1, "std": 0.5},), (["layer", "std"], {"layer": 1, "std": 0.5})])
def test_a_dict_of_one_row_is_told_the_call_that_makes_its_table(args) -> None:
    # it was told the dict-of-columns call, Table(list(d), zip(*d.values(), strict=True)), which for a row of
    # numbers ends in "'int' object is not iterable"
    with pytest.raises(TypeError, match=r"must be a list of .*; for one row d = \{name: value\}, write "
                                        r"Table\(list\(d\), \[d\]\)$"):
        Table(*args)
    d = args[-1]
    assert Table(list(d), [d]).rows == [{"layer": 1, "std": 0.5}]
