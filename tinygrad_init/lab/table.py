"""A small table of results that reads well in a terminal, in Jupyter and in files.

:class:`Table` is what the probe, the experiments and the theory module return:
named columns, one row per layer (or per run), an optional title and notes. It

* prints with aligned columns and numbers to 3 significant digits
  (``0.213``, ``0.0476``, ``5.30e-4``), wrapping wide tables to the terminal;
* shows itself as HTML or Markdown in Jupyter (``_repr_html_``, ``_repr_markdown_``);
* exports ``to_dict()``, ``to_json()``, ``to_csv()``, ``to_markdown()``, ``to_html()``;
* gives a column by name (``table["act_std"]`` -> a float numpy array) and a
  sub-table of some columns (``table[["layer", "act_std"]]`` or ``table.select(...)``).

Raw values and missing values
-----------------------------
The table keeps the numbers exactly as given (float64 at most); only the
*display* (text, Markdown, HTML) rounds them. ``to_dict``, ``to_json`` and
``to_csv`` keep every digit.

A cell may be ``None``: the quantity does not apply (for example the dead-unit
fraction of a tanh layer) or was not measured (no backward pass yet). Displays
show it as ``-``. This is different from a float NaN, which is a *computed*
result (for example the std of an array holding NaN) and is displayed as ``nan``.

In JSON, which has no NaN or infinity, missing cells are ``null`` and the
non-finite floats are the **strings** ``"nan"``, ``"inf"`` and ``"-inf"``;
:meth:`Table.from_json` turns them back into floats. In CSV, missing cells are
empty and non-finite floats are written ``nan``, ``inf``, ``-inf`` (which
``float()`` and pandas read back).
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import numbers
import shutil
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

__all__ = ["Table", "format_number"]


def format_number(x: Any, digits: int = 3) -> str:
    """A number as short, readable text: ``digits`` significant digits.

    * ``None`` -> ``"-"`` (not applicable / not measured); NaN -> ``"nan"``; infinities -> ``"inf"``/``"-inf"``.
    * integers and booleans are printed in full (``500``, ``True``).
    * floats with ``1e-3 <= |x| < 1e4`` in positional notation (``0.213``,
      ``0.00238``, ``12.3``, ``1235``), others in scientific notation with
      a short exponent (``5.30e-4``, ``1.20e+5``); zero is ``"0"``.

    Args:
        x: the value (anything else is shown with ``str``).
        digits: significant digits for floats (at least 1).

    Returns:
        The text.
    """
    if x is None:
        return "-"
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if not isinstance(x, numbers.Real):
        return str(x)
    v = float(x)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0.0:
        return "0"
    digits = max(int(digits), 1)
    a = abs(v)
    if 1e-3 <= a < 1e4:
        exponent = math.floor(math.log10(a))
        decimals = max(digits - 1 - exponent, 0)
        text = f"{v:.{decimals}f}"
        # Rounding may carry into a new digit (0.99951 -> "1.000"): drop the now-extra decimal.
        if decimals > 0 and abs(float(text)) >= 10 ** (exponent + 1):
            text = f"{v:.{decimals - 1}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    mantissa, exp = f"{v:.{digits - 1}e}".split("e")
    return f"{mantissa}e{exp[0]}{int(exp[1:])}"


def _plain(value: Any) -> Any:
    """numpy scalars -> the equivalent Python scalar (float64/int/bool); other values unchanged."""
    if isinstance(value, np.generic):
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
        return value.item()
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Table:
    """Named columns and rows of values, with readable displays and lossless exports.

    Args:
        columns: the column names (distinct strings).
        rows: each row either a sequence of values aligned with ``columns`` or a
            mapping from column name to value (missing names become ``None``).
        title: shown above the table.
        notes: lines shown below the table (definitions, sources, warnings).

    Example::

        t = Table(["layer", "std"], [["layers.0", 0.213], ["layers.2", 0.0476]], title="tanh, 0.01*randn")
        print(t)            # aligned, 3 significant digits
        t["std"]            # array([0.213 , 0.0476])
        t.to_json()         # every digit kept
    """

    def __init__(self, columns: Sequence[str], rows: Iterable[Sequence[Any] | Mapping[str, Any]] = (),
                 title: str | None = None, notes: str | Sequence[str] | None = None) -> None:
        if isinstance(columns, str):
            raise TypeError(f"Table: columns must be a list of names, got the string {columns!r}; "
                            f"write [{columns!r}] for a single column")
        cols = [str(c) for c in columns]
        dupes = sorted({c for c in cols if cols.count(c) > 1})
        if dupes:
            raise ValueError(f"Table: column names must be distinct; repeated: {', '.join(dupes)}")
        self._columns: tuple[str, ...] = tuple(cols)
        self._rows: list[list[Any]] = []
        for i, row in enumerate(rows):
            if isinstance(row, Mapping):
                unknown = [k for k in row if k not in self._columns]
                if unknown:
                    raise ValueError(f"Table: row {i} has unknown column(s) {unknown}; the columns are "
                                     f"{list(self._columns)}")
                self._rows.append([_plain(row.get(c)) for c in self._columns])
            else:
                values = list(row)
                if len(values) != len(self._columns):
                    raise ValueError(f"Table: row {i} has {len(values)} values but there are "
                                     f"{len(self._columns)} columns {list(self._columns)}")
                self._rows.append([_plain(v) for v in values])
        self.title = title
        if notes is None:
            self.notes: list[str] = []
        elif isinstance(notes, str):
            self.notes = [notes]
        else:
            self.notes = [str(n) for n in notes]

    # ------------------------------------------------------------ access

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in order."""
        return self._columns

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dictionaries (copies), in order."""
        return [dict(zip(self._columns, r)) for r in self._rows]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def _check_column(self, name: str) -> None:
        if name not in self._columns:
            raise KeyError(f"Table: no column {name!r}; the columns are {', '.join(self._columns)}")

    def column(self, name: str) -> np.ndarray | list:
        """The values of one column.

        Returns a float64 numpy array when every value is a number or ``None``
        (``None`` becomes NaN there), otherwise a list of the raw values.
        """
        self._check_column(name)
        j = self._columns.index(name)
        values = [r[j] for r in self._rows]
        if values and all(v is None or _is_number(v) for v in values) and any(v is not None for v in values):
            return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        return values

    def select(self, *names: str) -> "Table":
        """A new table with only the named columns (in the order given); title and notes are kept."""
        if len(names) == 1 and not isinstance(names[0], str):
            names = tuple(names[0])
        for n in names:
            self._check_column(n)
        idx = [self._columns.index(n) for n in names]
        return Table(list(names), [[r[j] for j in idx] for r in self._rows], title=self.title, notes=self.notes)

    def __getitem__(self, key: str | int | Sequence[str]) -> Any:
        """``t["col"]`` -> the column (see :meth:`column`); ``t[i]`` -> row ``i`` as a dict;
        ``t[["a", "b"]]`` -> a table of those columns."""
        if isinstance(key, str):
            return self.column(key)
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            n = len(self._rows)
            if not -n <= key < n:
                raise IndexError(f"Table: row {key} is out of range for a table of {n} rows")
            return dict(zip(self._columns, self._rows[key]))
        if isinstance(key, (list, tuple)) and all(isinstance(k, str) for k in key):
            return self.select(*key)
        raise TypeError(f"Table: index with a column name, a list of column names or a row number, "
                        f"not {type(key).__name__} {key!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        if self._columns != other._columns or len(self) != len(other) or self.title != other.title \
                or self.notes != other.notes:
            return False
        for a, b in zip(self._rows, other._rows):
            for x, y in zip(a, b):
                if _is_number(x) and _is_number(y) and math.isnan(x) and math.isnan(y):
                    continue
                if x != y:
                    return False
        return True

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------ exports

    def to_dict(self) -> dict[str, Any]:
        """``{"title", "columns", "rows", "notes"}`` with ``rows`` a list of ``{column: value}`` dicts.

        Values are the raw Python values (floats keep NaN and infinities as floats).
        """
        return {"title": self.title, "columns": list(self._columns), "rows": self.rows, "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Table":
        """The inverse of :meth:`to_dict` (also accepts the parsed output of :meth:`to_json`)."""
        if "columns" not in d or "rows" not in d:
            raise ValueError("Table.from_dict: expected a mapping with 'columns' and 'rows' (as made by to_dict)")
        columns = list(d["columns"])
        rows = [dict(r) if isinstance(r, Mapping) else dict(zip(columns, r)) for r in d["rows"]]
        return cls(columns, rows, title=d.get("title"), notes=d.get("notes"))

    def to_json(self, indent: int | None = None) -> str:
        """The :meth:`to_dict` form as strict JSON text.

        Missing cells are ``null``; NaN and infinities become the strings
        ``"nan"``, ``"inf"``, ``"-inf"`` (JSON has no such numbers).
        """
        def enc(v: Any) -> Any:
            if isinstance(v, float) and not math.isfinite(v):
                return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
            return v

        d = self.to_dict()
        d["rows"] = [{k: enc(v) for k, v in r.items()} for r in d["rows"]]
        return json.dumps(d, indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> "Table":
        """The inverse of :meth:`to_json`.

        In a column whose other values are numbers, the strings ``"nan"``,
        ``"inf"`` and ``"-inf"`` are turned back into floats.
        """
        d = json.loads(text)
        columns = list(d["columns"])
        rows = [dict(r) for r in d["rows"]]
        special = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
        for c in columns:
            vals = [r.get(c) for r in rows]
            numeric = [v for v in vals if _is_number(v)]
            others = [v for v in vals if v is not None and not _is_number(v)]
            if all(isinstance(v, str) and v in special for v in others) and (numeric or others):
                for r in rows:
                    v = r.get(c)
                    if isinstance(v, str):
                        r[c] = special[v]
        return cls(columns, rows, title=d.get("title"), notes=d.get("notes"))

    def to_csv(self, path: str | None = None) -> str:
        """Comma-separated values: a header line, then one line per row, every digit kept.

        Floats are written with ``repr`` (``float(text)`` gives the same number
        back); missing cells are empty. If ``path`` is given the text is also
        written to that file. Title and notes are not part of CSV.
        """
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self._columns)
        for r in self._rows:
            w.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in r])
        text = buf.getvalue()
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    def _cells(self, digits: int | None) -> list[list[str]]:
        def fmt(v: Any) -> str:
            if digits is None:
                if v is None:
                    return "-"
                return repr(v) if isinstance(v, float) else str(v)
            return format_number(v, digits)
        return [[fmt(v) for v in r] for r in self._rows]

    def _numeric_columns(self) -> list[bool]:
        return [all(r[j] is None or _is_number(r[j]) for r in self._rows) for j in range(len(self._columns))]

    def to_markdown(self, digits: int | None = 3) -> str:
        """A GitHub-flavoured Markdown table (numbers right-aligned), title in bold, notes below.

        Args:
            digits: significant digits shown; ``None`` writes every digit.
        """
        def esc(s: str) -> str:
            # Characters Markdown would read as table borders, emphasis or code.
            for ch in "\\|*`":
                s = s.replace(ch, "\\" + ch)
            return s.replace("\n", " ")

        numeric = self._numeric_columns()
        lines = []
        if self.title:
            lines += [f"**{esc(self.title)}**", ""]
        lines.append("| " + " | ".join(esc(c) for c in self._columns) + " |")
        lines.append("|" + "|".join("---:" if num else ":---" for num in numeric) + "|")
        for cells in self._cells(digits):
            lines.append("| " + " | ".join(esc(c) for c in cells) + " |")
        if self.notes:
            lines.append("")
            lines += [f"- {esc(n)}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def to_html(self, digits: int | None = 3) -> str:
        """An HTML ``<table>`` (title as caption, numbers right-aligned), notes in a list below."""
        numeric = self._numeric_columns()
        out = ['<div class="tinygrad-init-table">', "<table>"]
        if self.title:
            out.append(f"<caption>{html.escape(self.title)}</caption>")
        out.append("<thead><tr>" + "".join(
            f'<th style="text-align: {"right" if num else "left"}">{html.escape(c)}</th>'
            for c, num in zip(self._columns, numeric)) + "</tr></thead>")
        out.append("<tbody>")
        for cells in self._cells(digits):
            out.append("<tr>" + "".join(
                f'<td style="text-align: {"right" if num else "left"}">{html.escape(c)}</td>'
                for c, num in zip(cells, numeric)) + "</tr>")
        out += ["</tbody>", "</table>"]
        if self.notes:
            out.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in self.notes) + "</ul>")
        out.append("</div>")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_text(self, digits: int | None = 3, max_width: int | None = None) -> str:
        """Aligned plain text: numbers right-aligned, text left-aligned, title above, notes below.

        Args:
            digits: significant digits shown; ``None`` writes every digit.
            max_width: if given, a table wider than this many characters is cut
                into blocks of columns, each repeating the first column.
        """
        cells = self._cells(digits)
        numeric = self._numeric_columns()
        widths = [max([len(c)] + [len(r[j]) for r in cells]) for j, c in enumerate(self._columns)]

        def render(idx: list[int]) -> list[str]:
            def line(values: list[str]) -> str:
                parts = [values[j].rjust(widths[j]) if numeric[j] else values[j].ljust(widths[j]) for j in idx]
                return "  ".join(parts).rstrip()
            header = line(list(self._columns))
            rule = "  ".join("-" * widths[j] for j in idx)
            return [header, rule] + [line(r) for r in cells]

        blocks: list[list[int]] = []
        all_idx = list(range(len(self._columns)))
        if max_width is None or not all_idx:
            blocks = [all_idx]
        else:
            current: list[int] = []
            used = 0
            for j in all_idx:
                need = widths[j] + (2 if current else 0)
                if current and used + need > max_width:
                    blocks.append(current)
                    current = [0] if j != 0 else []
                    used = widths[0] if current else 0
                    need = widths[j] + (2 if current else 0)
                current.append(j)
                used += need
            blocks.append(current)

        lines: list[str] = []
        if self.title:
            lines.append(self.title)
        for b, idx in enumerate(blocks):
            if b:
                lines.append("")
            lines += render(idx)
        if not self._rows:
            lines.append("(no rows)")
        for n in self.notes:
            lines.append(n)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text(max_width=shutil.get_terminal_size((100, 24)).columns)

    def __repr__(self) -> str:
        return self.__str__()
