"""Shared helpers of the benchmark scripts: interleaved timing, peak memory, targets, output.

Every benchmark but bench_draw.py (absolute times) compares tinygrad_init against a baseline
(hand-written numpy, PyTorch, micrograd) **in the same process, interleaved**: repetition ``r``
times the engine and then the baseline, repetition ``r + 1`` the baseline and then the engine,
and so on. A shared machine slows down and speeds up over seconds; interleaving makes both
sides see the same conditions, and the ratio of two neighbouring measurements is far steadier
than either time alone.

What is reported for two cases ``a`` (the engine) and ``b`` (a baseline):

* ``paired``: the median over repetitions of ``time_a[r] / time_b[r]``: the headline
  figure, the one the targets are checked against;
* ``q1``, ``q3``: the quartiles of those paired ratios (the spread: half of the
  repetitions fall between them);
* ``best``: ``min(time_a) / min(time_b)`` and ``median``: ``median(time_a) / median(time_b)``,
  for comparison.

Nothing here changes a process-wide setting to look faster: malloc keeps its defaults and
the garbage collector its thresholds (the scalar benchmark times both with the collector
on and with it off, on both sides alike, and restores it).

Each of them prints a table, writes ``benchmarks/results/<name>.json`` and exits with

* 0 when every target is met (or ``--no-check`` / ``--quick`` was given),
* 1 when a speed or memory target is missed,
* 2 when the engine and its baseline computed different numbers (always checked:
  timing two different computations would be meaningless).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # measure this checkout, installed or not
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

RESULTS_DIR = ROOT / "benchmarks" / "results"

EXIT_OK, EXIT_TARGET_MISSED, EXIT_MISMATCH = 0, 1, 2


# ------------------------------------------------------------------------- timing


def autonumber(fn: Callable[[], Any], min_time: float, trials: int = 3) -> int:
    """How many calls of ``fn`` make one timed block of at least ``min_time`` seconds (1, 2, 5, 10, ...).

    Each candidate count is timed ``trials`` times and the fastest is used, so that one
    disturbed calibration run does not shrink every later block.
    """
    number = 1
    while True:
        elapsed = math.inf
        for _ in range(trials):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            elapsed = min(elapsed, time.perf_counter() - start)
            if elapsed >= min_time:
                break
        if elapsed >= min_time or number >= 10**7:
            return number
        # aim a little past min_time, rounded up to 1, 2 or 5 times a power of ten
        want = number * min_time / max(elapsed, 1e-9) * 1.2
        scale = 10 ** math.floor(math.log10(want))
        number = max(number + 1, int(next(m * scale for m in (1, 2, 5, 10) if m * scale >= want)))


def interleaved(cases: dict[str, Callable[[], Any]], repeats: int, number: int | dict[str, int] = 1,
                warmup: int = 1, gc_enabled: bool = True, setup: Callable[[str], None] | None = None,
                teardown: Callable[[str], None] | None = None, collect: bool = True) -> dict[str, list[float]]:
    """Time every case ``repeats`` times, alternating the order between repetitions.

    Args:
        cases: name -> a function of no arguments (the thing to time).
        repeats: timed blocks per case.
        number: calls per timed block (one number for all cases, or one per case).
        warmup: untimed calls of each case first.
        gc_enabled: run the timed blocks with Python's cyclic garbage collector on (as a
            program runs by default) or off; the previous state is restored after each block.
        setup, teardown: called with the case name before and after each block, untimed.
        collect: collect the previous block's garbage before each block (untimed), so that
            one case never pays for another's garbage.

    Returns:
        name -> list of seconds per call, one entry per repetition.
    """
    names = list(cases)
    numbers = number if isinstance(number, dict) else {n: number for n in names}
    for name in names:
        for _ in range(warmup):
            if setup is not None:
                setup(name)
            cases[name]()
            if teardown is not None:
                teardown(name)
    times: dict[str, list[float]] = {n: [] for n in names}
    was_enabled = gc.isenabled()
    try:
        for r in range(repeats):
            for name in (names if r % 2 == 0 else names[::-1]):
                if setup is not None:
                    setup(name)
                fn, k = cases[name], numbers[name]
                if collect:
                    gc.collect()
                (gc.enable if gc_enabled else gc.disable)()
                start = time.perf_counter()
                for _ in range(k):
                    fn()
                elapsed = time.perf_counter() - start
                (gc.enable if was_enabled else gc.disable)()
                times[name].append(elapsed / k)
                if teardown is not None:
                    teardown(name)
    finally:
        (gc.enable if was_enabled else gc.disable)()
    return times


def summary(times: Sequence[float]) -> dict[str, float]:
    """Median, best, mean and spread of a list of seconds."""
    return {
        "median_s": statistics.median(times),
        "best_s": min(times),
        "mean_s": statistics.fmean(times),
        "stdev_s": statistics.stdev(times) if len(times) > 1 else 0.0,
        "repeats": len(times),
    }


#: The ratio that targets are checked against (see the module docstring).
HEADLINE = "paired"


def ratios(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    """Time of ``a`` over time of ``b``: the paired median (headline) and its quartiles, the ratio of
    the bests and of the medians."""
    paired = [x / y for x, y in zip(a, b)]
    q1, _, q3 = statistics.quantiles(paired, n=4, method="inclusive") if len(paired) > 1 else paired * 3
    return {"paired": statistics.median(paired), "q1": q1, "q3": q3, "best": min(a) / min(b),
            "median": statistics.median(a) / statistics.median(b)}


# ------------------------------------------------------------------------- memory


def peak_memory(fn: Callable[[], Any]) -> tuple[int, Any]:
    """Peak bytes allocated while ``fn()`` runs (``tracemalloc``; numpy reports its buffers to it).

    Counts only what ``fn`` allocates (inputs and parameters made before are not counted),
    including whatever it returns, which is kept alive until the measurement ends.
    Returns ``(peak_bytes, result)``.
    """
    gc.collect()
    was_tracing = tracemalloc.is_tracing()
    if was_tracing:
        tracemalloc.stop()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        if was_tracing:
            tracemalloc.start()
    return peak, result


def page_faults(fn: Callable[[], Any], repeats: int = 3) -> float | None:
    """Minor page faults per call of ``fn`` (fresh memory the operating system had to map), or None.

    Large arrays come from ``malloc``, which may return freed memory to the system and map it
    again on the next call; each 4 KiB page then costs a fault (and zeroing). Counted with
    ``resource.getrusage`` (Unix only).
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    fn()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(repeats):
        fn()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / repeats


# ------------------------------------------------------------------ agreement checks


def max_abs_diff(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def max_rel_diff(a: Any, b: Any) -> float:
    """max |a - b| / max(|b|, tiny): the worst relative disagreement, elementwise."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
    if not a.size:
        return 0.0
    scale = np.maximum(np.abs(b), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b) / scale))


@dataclass
class Agreement:
    """Whether the engine and a baseline computed the same numbers (up to ``tolerance``)."""

    what: str
    diff: float
    tolerance: float
    measure: str = "max abs diff"

    @property
    def ok(self) -> bool:
        return bool(self.diff <= self.tolerance)  # nan fails


def compare_arrays(what: str, ours: Sequence[Any], theirs: Sequence[Any], tolerance: float,
                   relative: bool = False) -> Agreement:
    """The worst difference over pairs of arrays (absolute, or relative to ``theirs``)."""
    if len(ours) != len(theirs):
        raise ValueError(f"{what}: {len(ours)} arrays against {len(theirs)}")
    f = max_rel_diff if relative else max_abs_diff
    diff = max((f(a, b) for a, b in zip(ours, theirs)), default=0.0)
    return Agreement(what, diff, tolerance, "max rel diff" if relative else "max abs diff")


# ------------------------------------------------------------------------ targets


@dataclass
class Target:
    """A goal such as "engine time / numpy time <= 1.10"."""

    name: str
    measured: float | None  # None: not measured (baseline missing)
    limit: float
    direction: str = "<="  # "<=" (at most) or ">=" (at least)
    unit: str = "x"
    note: str = ""

    @property
    def ok(self) -> bool | None:
        if self.measured is None:
            return None
        if self.direction == "<=":
            return bool(self.measured <= self.limit)
        return bool(self.measured >= self.limit)


@dataclass
class Report:
    """Everything one benchmark measured; printed as a table and written as JSON."""

    name: str
    title: str
    quick: bool
    config: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_timing(self, case: str, times: Sequence[float], **extra: Any) -> None:
        self.timings[case] = {**summary(times), "times_s": list(times), **extra}

    def add_row(self, comparison: str, ratio: dict[str, float] | None, target: Target | None = None,
                **extra: Any) -> None:
        self.rows.append({"comparison": comparison, "ratio": ratio, **extra})
        if target is not None:
            self.targets.append(target)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "quick": self.quick,
            "environment": environment(),
            "config": self.config,
            "timings": self.timings,
            "rows": self.rows,
            "targets": [{**asdict(t), "ok": t.ok} for t in self.targets],
            "agreements": [{**asdict(a), "ok": a.ok} for a in self.agreements],
            "notes": self.notes,
        }


def environment() -> dict[str, Any]:
    """What the numbers depend on: interpreter, numpy and its BLAS, cores and thread settings."""
    env = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "numpy": np.__version__,
        "cpu_count": os.cpu_count(),
        "thread_env": {k: os.environ[k] for k in sorted(os.environ)
                       if k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                "OPENBLAS_CORETYPE", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")},
    }
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]  # type: ignore[index]
        env["blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # pragma: no cover - depends on the numpy build
        pass
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        env["torch"] = torch.__version__
    return env


# ------------------------------------------------------------------------- output


def fmt_time(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def fmt_bytes(n: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with right-aligned columns (the first left-aligned)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def render(report: Report) -> str:
    out = [f"== {report.title} ==", ""]
    if report.timings:
        out.append(table(["case", "median", "best", "repeats"],
                         [[case, fmt_time(t["median_s"]), fmt_time(t["best_s"]), t["repeats"]]
                          for case, t in report.timings.items()]))
        out.append("")
    if report.rows:
        body = []
        for row in report.rows:
            r = row["ratio"]
            spread = f"{r['q1']:.3f} - {r['q3']:.3f}" if r and "q1" in r else "-"
            body.append([row["comparison"], "-", "-", "-", "-"] if r is None else
                        [row["comparison"], f"{r['paired']:.3f}", spread, f"{r['best']:.3f}", f"{r['median']:.3f}"])
        out.append(table(["ratio", "paired median", "spread (q1 - q3)", "of bests", "of medians"], body))
        out.append("")
    if report.agreements:
        out.append(table(["same numbers?", "measure", "difference", "tolerance", "ok"],
                         [[a.what, a.measure, f"{a.diff:.3g}", f"{a.tolerance:.0e}", "yes" if a.ok else "NO"]
                          for a in report.agreements]))
        out.append("")
    if report.targets:
        body = []
        for t in report.targets:
            measured = "-" if t.measured is None else f"{t.measured:.3f}{t.unit}"
            status = {True: "met", False: "MISSED", None: "skipped"}[t.ok]
            body.append([t.name, measured, f"{t.direction} {t.limit:g}{t.unit}", status])
        out.append(table(["target", "measured", "goal", "status"], body))
        out.append("")
    for note in report.notes:
        out.append(f"note: {note}")
    return "\n".join(out).rstrip() + "\n"


def parser(description: str) -> argparse.ArgumentParser:
    """The command line every benchmark script shares."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes and one repetition: proves the script works and that the engine and the "
                        "baseline agree; timings are meaningless and targets are not enforced")
    p.add_argument("--no-check", action="store_true", help="report the targets but always exit 0 if they are missed")
    p.add_argument("--repeats", type=int, default=None, help="timed repetitions per case (default: per benchmark)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR,
                   help=f"directory for the JSON result (default {RESULTS_DIR})")
    p.add_argument("--no-json", action="store_true", help="do not write the JSON result")
    return p


def main(doc: str, run: Callable[..., "Report"], argv: list[str] | None = None, *,
         options: Callable[[argparse.ArgumentParser], None] | None = None,
         run_kwargs: Callable[[argparse.Namespace], dict] | None = None) -> int:
    """The ``main()`` of a benchmark script: parse the shared flags, run, print and save.

    Args:
        doc: the script's docstring (its first paragraph is the ``--help`` description).
        run: the script's ``run(quick=..., repeats=..., **extra)`` returning a Report.
        argv: the command line (default ``sys.argv[1:]``).
        options: adds the script's own flags to the parser.
        run_kwargs: maps the parsed flags to extra keyword arguments of ``run``.
    """
    p = parser(doc.split("\n\n")[0])
    if options is not None:
        options(p)
    args = p.parse_args(argv)
    report = run(quick=args.quick, repeats=args.repeats, **(run_kwargs(args) if run_kwargs else {}))
    return finish(report, args)


def finish(report: Report, args: argparse.Namespace) -> int:
    """Print the report, write its JSON and return the exit code (see the module docstring)."""
    print(render(report), end="")
    if not args.no_json:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"{report.name}.json"
        path.write_text(json.dumps(report.to_json(), indent=2, default=float) + "\n")
        print(f"wrote {path}")
    bad = [a for a in report.agreements if not a.ok]
    if bad:
        for a in bad:
            print(f"ERROR: {report.name}: the engine and the baseline disagree on {a.what}: "
                  f"{a.measure} {a.diff:.3g} > tolerance {a.tolerance:.0e}. The timings compare different "
                  "computations; fix the engine (or the baseline) first.", file=sys.stderr)
        return EXIT_MISMATCH
    missed = [t for t in report.targets if t.ok is False]
    if missed and not (args.no_check or report.quick):
        for t in missed:
            print(f"TARGET MISSED: {report.name}: {t.name}: measured {t.measured:.3f}{t.unit}, goal "
                  f"{t.direction} {t.limit:g}{t.unit}. Profile it (python -m cProfile -s tottime "
                  f"benchmarks/{report.name}.py) or rerun on a quieter machine; --no-check reports without failing.",
                  file=sys.stderr)
        return EXIT_TARGET_MISSED
    if missed:
        print(f"({len(missed)} target(s) missed; not enforced because of "
              f"{'--quick' if report.quick else '--no-check'})")
    return EXIT_OK
