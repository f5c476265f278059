"""Runs that tests in several files of tests/lab read, made once per process.

The tests that read one carry the xdist_group mark named beside it, so that pytest-xdist (scripts/test.sh runs the
suite with --dist loadgroup) runs them in one process. What these return is shared: a test reads it and changes
nothing in it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from tinygrad_init import cli, report
from tinygrad_init.lab.experiments import ExperimentResult

#: The tests that read quick_report.
QUICK_REPORT = pytest.mark.xdist_group("quick_report")


class QuickReport(NamedTuple):
    a: Path  # `report --out A --quick --no-progress`: the default seed
    b: Path  # the same with `--seed 0`
    results: tuple[ExperimentResult, ...]  # the experiments of `a`, as build_report returned them to the command


_made: list[QuickReport] = []


def quick_report(tmp_path_factory: pytest.TempPathFactory) -> QuickReport:
    """The quick report built twice with the same seed, through the command line, and the results of the first
    (built on the first call, in folders of pytest's temporary directory).

    The results are `run_all(0, quick=True)`'s to the bit (every table, finding, setting and data array compared),
    though the report's workers computed them."""
    if _made:
        return _made[0]
    a, b = tmp_path_factory.mktemp("report_a") / "out", tmp_path_factory.mktemp("report_b") / "out"
    built, build = [], report.build_report

    def kept(*args, **kwargs):
        built.append(files := build(*args, **kwargs))
        return files

    report.build_report = kept  # the command calls it as report.build_report
    try:
        assert cli.main(["report", "--out", str(a), "--quick", "--no-progress"]) == 0
    finally:
        report.build_report = build
    assert cli.main(["report", "--out", str(b), "--seed", "0", "--quick", "--no-progress"]) == 0
    _made.append(QuickReport(a, b, tuple(built[0].results)))
    return _made[0]
