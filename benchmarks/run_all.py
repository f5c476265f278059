"""Run the four benchmarks of the engines (not the drawing or lab ones), each in its own process, and print one summary
table.

Each benchmark runs as a separate ``python benchmarks/<name>.py`` so that one cannot
disturb another (PyTorch's thread pool, leftover garbage, a warm cache). Their JSON
results land in ``--out`` (default ``benchmarks/results/``); the summary is read back
from them.

Exit code: 2 if any benchmark found the engine and its baseline computing different
numbers, else 1 if any target was missed (unless ``--no-check`` or ``--quick``), else 0.

Run: ``python benchmarks/run_all.py [--quick] [--no-check] [--repeats N] [--only NAME ...]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import _timing as T

BENCHMARKS = ["scalar_vs_micrograd", "deep_tanh", "tiny_mlp", "mnist_mlp"]
HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    p = T.parser(__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="+", choices=BENCHMARKS, metavar="NAME",
                   help=f"run only these ({', '.join(BENCHMARKS)})")
    args = p.parse_args(argv)
    if args.no_json:
        p.error("run_all reads the JSON results back; --no-json cannot be used here")
    names = args.only or BENCHMARKS
    flags = [f for f, on in (("--quick", args.quick), ("--no-check", args.no_check)) if on]
    if args.repeats is not None:
        flags += ["--repeats", str(args.repeats)]

    codes: dict[str, int] = {}
    for name in names:
        print(f"\n### {name}", flush=True)
        path = args.out / f"{name}.json"
        if path.exists():
            path.unlink()  # never summarize a stale result
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *flags, "--out", str(args.out)])
        codes[name] = proc.returncode
        print(f"[{name}: exit {proc.returncode}, {time.perf_counter() - start:.1f} s]", flush=True)

    rows = []
    for name in names:
        path = args.out / f"{name}.json"
        if not path.exists():
            rows.append([name, "(no result: the script failed, see above)", "-", "-", f"exit {codes[name]}"])
            continue
        result = json.loads(path.read_text())
        agree = all(a["ok"] for a in result["agreements"])
        for t in result["targets"]:
            measured = "-" if t["measured"] is None else f"{t['measured']:.3f}{t['unit']}"
            status = {True: "met", False: "MISSED", None: "skipped"}[t["ok"]]
            rows.append([name, t["name"], measured, f"{t['direction']} {t['limit']:g}{t['unit']}", status])
        if not agree:
            rows.append([name, "engine and baseline agree", "NO", "same numbers", "MISMATCH"])
    print("\n== Summary" + (" (--quick: timings meaningless, targets not enforced)" if args.quick else "") + " ==\n")
    print(T.table(["benchmark", "target", "measured", "goal", "status"], rows))

    if any(c == T.EXIT_MISMATCH for c in codes.values()) or any(r[-1] == "MISMATCH" for r in rows):
        return T.EXIT_MISMATCH
    if any(c != 0 for c in codes.values()):
        return max(codes.values())
    return T.EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
