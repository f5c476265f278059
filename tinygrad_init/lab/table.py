"""Results: a `Table` of numbers, and an `ExperimentResult` (the tables, figures and findings of an experiment).

A `Table` prints with 3 significant digits (`utils.format_number`); its exports keep every digit. `None` (does not
apply, shown `-`) differs from a computed NaN; JSON writes non-finite floats as "nan", "inf", "-inf"."""

from __future__ import annotations

import csv
import html
import io
import json
import math
import numbers
import re
import shutil
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..utils import (check_int, check_type, counted, format_number, got, ordered, quoted, text_width, writable,
                     write_whole)

__all__ = ["Table", "format_number", "ExperimentResult", "SCHEME_LABELS", "label", "band", "span", "plain"]

#: How figures and tables name each scheme (the formula in a few characters).
SCHEME_LABELS: dict[str, str] = {
    "zeros": "zeros", "small": "small 0.01*randn", "large": "large 1.0*randn",
    "large10": "large 10*randn", "cs231n": "Xavier (CS231n) randn/sqrt(fan_in)", "glorot_standard":
    "Glorot standard U(+-1/sqrt(fan_in))", "xavier_uniform": "Xavier (Glorot) U(+-sqrt(6/(fan_in+fan_out)))",
    "xavier_normal": "Xavier (Glorot) N(0, 2/(fan_in+fan_out))", "lecun_normal": "LeCun N(0, 1/fan_in)",
    "he_normal": "He randn*sqrt(2/fan_in)", "he_uniform": "He U(+-sqrt(6/fan_in))", "orthogonal": "orthogonal"}


def label(scheme: str) -> str:
    """The label of a scheme in figures and tables (its name if it has none; another key, a width, as its text)."""
    return SCHEME_LABELS.get(scheme, scheme) if isinstance(scheme, str) else str(scheme)


def band(values: Any, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, lowest and highest over `axis` (the seeds), a NaN (a diverged run) as +inf: what results over
    seeds report, and what the figures draw as a line and a band."""
    try:
        v = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as e:
        raise TypeError(f"band: values must be an array of numbers (seeds x points), got {quoted(values):.60}") from e
    if v.size == 0 or v.ndim == 0:
        raise ValueError(f"band: values must be a non-empty array (seeds x points), got shape {v.shape}")
    if not -v.ndim <= check_int("band", "axis", axis) < v.ndim:
        raise ValueError(f"band: axis must be in [{-v.ndim}, {v.ndim - 1}] for values of shape {v.shape}, got {axis}")
    v = np.where(np.isnan(v), np.inf, v)
    return np.median(v, axis=axis), v.min(axis=axis), v.max(axis=axis)


def span(lo: Any, hi: Any, fmt: Any, both: str = "{}-{}", one: str = "{}") -> str:
    """`lo` and `hi` formatted (`fmt`, a format string or a function) into `both`, or into `one` where they read the
    same: "at step 20", not "at steps 20-20"."""
    a, b = (fmt.format(v) if isinstance(fmt, str) else fmt(v) for v in (lo, hi))
    return one.format(a) if a == b else both.format(a, b)


def network_sizes(settings: Mapping[str, Any], seed: bool = True) -> str:
    """A sweep's network as titles and reprs name it, from its `settings`: `10 layers x 500 units, batch 1000, seed 0`
    (no seed for a Generator's: there is none to name; nor without `seed`, for the experiments' tables)."""
    s = settings
    return (f"{counted(s['depth'], 'layer')} x {counted(s['width'], 'unit')}, batch {s['batch']}"
            + f", seed {s['seed']}" * (seed and s.get("seed") is not None))


def plain(x: Any) -> Any:
    """Numbers, arrays, tuples, dicts and tables as JSON-ready Python (non-finite floats as strings)."""
    x = x.to_dict() if isinstance(x, Table) else x.tolist() if isinstance(x, (np.ndarray, np.generic)) else x
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return str(x) if isinstance(x, float) and not math.isfinite(x) else x


#: Markdown's special characters, escaped (a line break becomes a space; "<" could start HTML or a link).
_MD = str.maketrans({**{ch: "\\" + ch for ch in "\\|*`<"}, "\n": " ", "\r": " "})


def _md(text: str) -> str:  # and "_" where it could start or end emphasis (__init__), not inside a word (grad_w_std)
    return re.sub(r"(?<![^\W_])_|_(?![^\W_])", r"\\_", text.translate(_MD))


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _cell(v: Any) -> Any:
    """A numpy scalar or 0-d array (PyTorch's `loss.detach().numpy()`) as the Python value it holds; a long double,
    which `.item()` leaves numpy's, as a float (complex)."""
    v = v.item() if isinstance(v, np.generic) or isinstance(v, np.ndarray) and v.ndim == 0 else v
    return float(v) if isinstance(v, np.floating) else complex(v) if isinstance(v, np.complexfloating) else v


def _jsonable(v: Any) -> bool:
    try:
        json.dumps(v, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


class Table:
    """Named `columns` (distinct) and `rows` (sequences aligned with the columns, or mappings column ->
    value, missing ones `None`), a `title` shown above and `notes` below."""

    def __init__(self, columns: Sequence[str], rows: Iterable[Sequence[Any] | Mapping[str, Any]] = (),
                 title: str | None = None, notes: str | Sequence[str] | None = None) -> None:
        for name, v, what in (("columns", columns, "names"), ("rows", rows, "rows"), ("notes", notes, "lines")):
            if not ordered(v) and (name != "notes" or not (v is None or isinstance(v, str))):
                hint = f"; write [{v!r}] for a single column" if name == "columns" and isinstance(v, str) else ""
                if name != "notes" and isinstance(v, Mapping):  # a dict of columns, or of one row's values
                    hint = "; for a dict of columns d = {name: values}, write Table(list(d), zip(*d.values(), " \
                        "strict=True))" if all(map(ordered, v.values())) else "; for one row d = {name: value}, " \
                        "write Table(list(d), [d])"
                raise TypeError(f"Table: {name} must be a list of {what}, got {type(v).__name__} {quoted(v):.60}{hint}")
        self.columns, self._rows = tuple(str(c) for c in columns), []
        if not self.columns:  # (its markdown would be "|  |", no table)
            raise ValueError("Table: name one or more columns, e.g. Table([\"layer\", \"std\"], rows)")
        if dupes := sorted({c for c in self.columns if self.columns.count(c) > 1}):
            raise ValueError(f"Table: column names must be distinct; repeated: {', '.join(dupes)}")
        for i, row in enumerate(rows):
            if isinstance(row, str) or not isinstance(row, (Mapping, Sequence, np.ndarray)):
                raise TypeError(f"Table: row {i} must be a sequence of values or a mapping column -> value, got "
                                f"{row!r:.60}")
            if isinstance(row, Mapping) and (unknown := [k for k in row if k not in self.columns]):
                raise ValueError(f"Table: row {i} has unknown column(s) {unknown}; the columns are "
                                 f"{list(self.columns)}")
            row = [row.get(c) for c in self.columns] if isinstance(row, Mapping) else row
            if len(row := [_cell(v) for v in row]) != len(self.columns):
                raise ValueError(f"Table: row {i} has {len(row)} values but there are {len(self.columns)} "
                                 f"columns {list(self.columns)}")
            self._rows.append(row)
        self.title = None if title is None else str(title)
        self.notes: list[str] = [] if notes is None else [notes] if isinstance(notes, str) else [str(n) for n in notes]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dictionaries (copies), in order."""
        return [dict(zip(self.columns, r)) for r in self._rows]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def _index(self, name: str) -> int:
        if name not in self.columns:
            raise KeyError(f"Table: no column {name!r}; the columns are {', '.join(self.columns)}")
        return self.columns.index(name)

    def column(self, name: str) -> np.ndarray | Any:
        """One column: a float64 array if its values are numbers and `None`s (as NaN), one at least a number; else a
        list (text, only `None`s: a column that applies to no row, as `update_ratio` without a learning rate, or a
        whole number past float64, 10 ** 400). Hinted `np.ndarray | Any`: the values, not a type, decide, so
        `column("pre_std").max()` type-checks."""
        j = self._index(name)
        values = [r[j] for r in self._rows]
        if any(v is not None for v in values) and all(v is None or _is_number(v) for v in values):
            try:
                return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
            except OverflowError:  # an int no float64 holds
                pass
        return values

    def select(self, *names: str) -> "Table":
        """A table of the named columns (one or more, in that order), with the same title and notes."""
        if not names:
            raise ValueError(f"Table.select: name one or more columns; the columns are {', '.join(self.columns)}")
        idx = [self._index(n) for n in names]
        return Table(names, [[r[j] for j in idx] for r in self._rows], title=self.title, notes=self.notes)

    def __getitem__(self, key: str | int | Sequence[str]) -> Any:
        """`t["col"]` the column; `t[i]` row `i` as a dict; `t[["a", "b"]]` a table of those columns."""
        if isinstance(key, str):
            return self.column(key)
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if not -len(self) <= key < len(self):
                raise IndexError(f"Table: row {key} is out of range for a table of {len(self)} rows")
            return dict(zip(self.columns, self._rows[key]))
        if isinstance(key, (list, tuple)) and all(isinstance(k, str) for k in key):
            return self.select(*key)
        raise TypeError(f"Table: index with a column name, a list of names or a row number, not {key!r}")

    def __eq__(self, other: object) -> bool:
        """The same columns, title, notes and cells (as `to_json` writes them: NaN equals NaN)."""
        return self.to_json() == other.to_json() if isinstance(other, Table) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """`{"title", "columns", "rows", "notes"}`, rows as `{column: value}` dicts of the raw values."""
        return {"title": self.title, "columns": list(self.columns), "rows": self.rows, "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Table":
        """The inverse of `to_dict` and of the parsed `to_json` text (its strings "nan", "inf", "-inf" are floats)."""
        if "columns" not in check_type("Table.from_dict", "d", d, Mapping, "a mapping (for the text of to_json: "
                                       "Table.from_dict(json.loads(text)))") or "rows" not in d:
            raise ValueError("Table.from_dict: expected a mapping with 'columns' and 'rows' (as made by to_dict)")
        back = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
        rows = [{k: back.get(v, v) if isinstance(v, str) else v for k, v in r.items()} if isinstance(r, Mapping) else
                [back.get(v, v) if isinstance(v, str) else v for v in r] for r in d["rows"]]
        return cls(d["columns"], rows, title=d.get("title"), notes=d.get("notes"))

    def to_json(self, indent: int | None = None) -> str:
        """Strict JSON of `to_dict`: missing cells `null`, non-finite floats as strings; a cell JSON has no type for (a
        complex number, bytes, a date) is a TypeError naming it."""
        rows = [plain(r) for r in self.rows]
        try:
            return json.dumps({**self.to_dict(), "rows": rows}, indent=indent, allow_nan=False)
        except TypeError:  # the cells are read one by one only then
            i, c = next((i, c) for i, r in enumerate(rows) for c, v in r.items() if not _jsonable(v))
            raise TypeError(f"Table.to_json: row {i}, column {c!r} holds {got(self._rows[i][self._index(c)])}, "
                            "which JSON cannot write; store an int or float, text (str(value)) or None in its "
                            "place") from None

    def to_csv(self, path: str | None = None) -> str:
        """A header and a line per row (floats with every digit, missing cells empty); also written to `path`."""
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([self.columns, *self._rows])  # floats by repr, None empty
        if path is not None:
            write_whole(writable("Table.to_csv", path, "table.csv"), buf.getvalue())
        return buf.getvalue()

    def _cells(self, digits: int | None) -> list[list[str]]:
        digits = None if digits is None else check_int("Table", "digits", digits, 1)  # not format_number's error
        return [[format_number(v, digits) if _is_number(v) or v is None else " ".join(str(v).splitlines()) for v in r]
                for r in [self.columns, *self._rows]]  # one line a row, the names' first

    def _numeric(self) -> list[bool]:
        return [all(r[j] is None or _is_number(r[j]) for r in self._rows) for j in range(len(self.columns))]

    def to_markdown(self, digits: int | None = 3) -> str:
        """A GitHub Markdown table (numbers right-aligned), the title in bold, the notes below."""
        lines = ([f"**{_md(self.title)}**", ""] if self.title else []) + [
            "| " + " | ".join(_md(c) for c in row) + " |" for row in self._cells(digits)]
        lines.insert(len(lines) - len(self), "|" + "|".join("---:" if num else ":---" for num in self._numeric()) + "|")
        return "\n".join(lines + ([""] + [f"- {_md(n)}" for n in self.notes] if self.notes else [])) + "\n"

    def to_html(self, digits: int | None = 3) -> str:
        """An HTML `<table>` (the title as caption, numbers right-aligned), the notes in a list below."""
        align = [f'style="text-align: {"right" if num else "left"}"' for num in self._numeric()]

        def row(tag: str, cells: Sequence[str]) -> str:
            return "<tr>" + "".join(f"<{tag} {a}>{html.escape(c)}</{tag}>" for a, c in zip(align, cells)) + "</tr>"

        caption = [f"<caption>{html.escape(self.title)}</caption>"] if self.title else []
        notes = ["<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in self.notes) + "</ul>"] if self.notes else []
        head, *body = self._cells(digits)
        head, body = "<thead>" + row("th", head) + "</thead>", [row("td", c) for c in body]
        return "\n".join(['<div class="tinygrad-init-table">', "<table>", *caption, head, "<tbody>", *body, "</tbody>",
                          "</table>", *notes, "</div>"])

    _repr_html_ = to_html
    _repr_markdown_ = to_markdown

    def to_text(self, digits: int | None = 3, max_width: int | None = None) -> str:
        """Aligned text (numbers right, text left), the title above and the notes below; a table wider
        than `max_width` is cut into blocks of columns, each repeating the first column."""
        (head, *cells), numeric = self._cells(digits), self._numeric()
        max_width = None if max_width is None else check_int("Table.to_text", "max_width", max_width, 1)
        widths = [max(text_width(r[j]) for r in [head, *cells]) for j in range(len(head))]
        blocks: list[list[int]] = [[]]
        for j in range(len(self.columns)):
            if max_width is not None and blocks[-1][1:] and sum(widths[k] + 2 for k in blocks[-1]) + widths[j] > \
                    max_width:  # a block holds more than the repeated first column
                blocks.append([0])
            blocks[-1].append(j)

        def line(values: Sequence[str], idx: list[int]) -> str:
            pad = [" " * (widths[j] - text_width(values[j])) for j in range(len(values))]
            return "  ".join(pad[j] + values[j] if numeric[j] else values[j] + pad[j] for j in idx).rstrip()

        lines = [self.title] if self.title else []
        for b, idx in enumerate(blocks):
            lines += [""] * bool(b) + [line(head, idx), "  ".join("-" * widths[j] for j in idx)]
            lines += [line(r, idx) for r in cells]
        return "\n".join(lines + ([] if self._rows else ["(no rows)"]) + self.notes)

    def __repr__(self) -> str:
        return self.to_text(max_width=shutil.get_terminal_size((100, 24)).columns)


class ExperimentResult:
    """What an experiment found: `tables` (`"main"` is `table`), `data` and `settings` (JSON-ready), `findings`
    (sentences computed from the numbers) and figures, drawn on first use by picklable makers such as
    `functools.partial(plots.curves, ...)`."""

    data: dict[str, Any]  # (for type checkers, which read plain(...) as Any)
    settings: dict[str, Any]

    def __init__(self, name: str, title: str, question: str, tables: Mapping[str, Table], data: Mapping[str, Any],
                 settings: Mapping[str, Any], findings: Sequence[str],
                 figures: Mapping[str, Callable[[], Any]]) -> None:
        if "main" not in check_type("ExperimentResult", "tables", tables, Mapping, "a dict of Tables by name"):
            raise ValueError("ExperimentResult: tables must include 'main'")
        self.name, self.title, self.question, self.tables = name, title, question, dict(tables)
        self.data, self.settings, self.findings = plain(dict(data)), plain(dict(settings)), list(findings)
        self._makers, self._figures = dict(figures), {}

    def __getstate__(self) -> dict[str, Any]:  # pickled without the figures drawn so far
        return {**self.__dict__, "_figures": {}}

    @property
    def table(self) -> Table:
        return self.tables["main"]

    @property
    def figure_names(self) -> list[str]:
        """The figures' names, the main one first (nothing is drawn)."""
        return list(self._makers)

    def get_figure(self, name: str) -> Any:
        """The figure called `name`, drawn on first use and kept."""
        if name not in self._makers:
            raise KeyError(f"{self.name}: no figure {name!r}; the figures are {', '.join(self._makers) or 'none'}")
        if name not in self._figures:
            self._figures[name] = self._makers[name]()
        return self._figures[name]

    @property
    def figure(self) -> Any:
        """The main figure."""
        return self.get_figure(next(iter(self._makers), None))

    @property
    def figures(self) -> dict[str, Any]:
        """Every figure by name (draws those not drawn yet)."""
        return {n: self.get_figure(n) for n in self._makers}

    def to_dict(self) -> dict[str, Any]:
        """Every number: `name, title, question, settings, findings, tables, data` (JSON-ready)."""
        return {"name": self.name, "title": self.title, "question": self.question, "settings": self.settings,
                "findings": self.findings, "tables": {k: plain(t) for k, t in self.tables.items()}, "data": self.data}

    def __repr__(self) -> str:
        return f"ExperimentResult({self.name!r}: {self.title}; tables {', '.join(self.tables)}; figures " \
               f"{', '.join(self._makers)})"

    def __str__(self) -> str:
        return "\n".join([self.title, "=" * len(self.title), self.question, ""] + [f"- {f}" for f in self.findings]) \
            + "\n\n" + str(self.table)

    def _repr_html_(self) -> str:
        return f"<h3>{html.escape(self.title)}</h3><p>{html.escape(self.question)}</p><ul>" + "".join(
            f"<li>{html.escape(f)}</li>" for f in self.findings) + "</ul>" + self.table.to_html()
