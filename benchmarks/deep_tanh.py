"""The tensor engine on the classic deep-tanh experiment, against the same thing in plain numpy.

Ten layers ``h_l = tanh(h_{l-1} @ W_l)`` of 500 units (no biases), a batch of 1000,
float32, weights ``W ~ N(0, 1) / sqrt(500)`` -- the network of the initialization
lecture. One forward and one backward pass from a fixed, non-uniform upstream gradient
``G = dL/dh_10`` (random normal), giving ``dL/dW_l`` for every layer.

The engine runs it as a user would: ``nn.Sequential`` of ``nn.Linear(500, 500,
bias=False)`` and ``nn.Tanh()``, then ``out.backward(G)``. The baseline is what a careful
student writes by hand: keep the activation of each layer, then walk back with

    dz_l = g * (1 - h_l^2),   dW_l = h_{l-1}.T @ dz_l,   g = dz_l @ W_l.T  (not for the input)

Both must give the same output and weight gradients (the same numpy operations in the
same order: equal to float32 round-off, usually bit for bit). Both run in this process
with the same BLAS thread settings.

Targets: engine time <= 1.05 x numpy time, engine peak memory (tracemalloc, which numpy
reports its buffers to) <= 1.0 x numpy's, with malloc's defaults (nothing is tuned). The
engine's graph keeps only what each backward rule saved (tanh keeps its output, matmul its
inputs, which are the same arrays), not every intermediate result, and backward frees those
as it goes, so it needs no more memory than the hand version. The page faults per step of
each side (memory the system had to map afresh) are reported.

Run: ``python benchmarks/deep_tanh.py [--quick] [--no-check] [--repeats N]``.
"""

from __future__ import annotations

import sys
from typing import Any

import _timing as T
import numpy as np

from tinygrad_init import Tensor, nn

NAME = "deep_tanh"
TITLE = "Tensor engine vs numpy: {layers} tanh layers x {width} units, batch {batch}, {dtype}, forward + backward"
TARGET_TIME = 1.05
TARGET_MEMORY = 1.0
TOLERANCE = 1e-6  # max |ours - numpy| / max |numpy|, per array (float32)


def numpy_step(x: np.ndarray, Ws: list[np.ndarray], G: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Forward and backward by hand: returns the output and dL/dW for every layer."""
    hs = [x]
    for W in Ws:
        hs.append(np.tanh(hs[-1] @ W))
    dWs: list[Any] = [None] * len(Ws)
    g = G
    for l in range(len(Ws) - 1, -1, -1):
        h = hs[l + 1]
        dz = g * (1 - h * h)
        dWs[l] = hs[l].T @ dz
        if l > 0:
            g = dz @ Ws[l].T
    return hs[-1], dWs


def scaled_diff(a: np.ndarray, b: np.ndarray) -> float:
    scale = float(np.max(np.abs(b))) or 1.0
    return T.max_abs_diff(a, b) / scale


def run(quick: bool = False, repeats: int | None = None, seed: int = 0) -> T.Report:
    layers, width, batch = (3, 32, 16) if quick else (10, 500, 1000)
    dtype = np.float32
    repeats = repeats or (1 if quick else 20)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, width)).astype(dtype)
    Ws = [(rng.standard_normal((width, width)) / np.sqrt(width)).astype(dtype) for _ in range(layers)]
    G = rng.standard_normal((batch, width)).astype(dtype)

    mods: list[nn.Module] = []
    for W in Ws:
        lin = nn.Linear(width, width, bias=False, rng=seed)
        lin.weight.data = W.copy()
        mods += [lin, nn.Tanh()]
    model = nn.Sequential(*mods)
    linears = [m for m in mods if isinstance(m, nn.Linear)]
    xt = Tensor(x)

    def engine_step() -> tuple[np.ndarray, list[np.ndarray]]:
        model.zero_grad()
        out = model(xt)
        out.backward(G)
        return out.data, [lin.weight.grad for lin in linears]

    report = T.Report(NAME, TITLE.format(layers=layers, width=width, batch=batch, dtype=np.dtype(dtype).name),
                      quick, config={"layers": layers, "width": width, "batch": batch,
                                     "dtype": np.dtype(dtype).name, "init": "N(0,1)/sqrt(width)",
                                     "upstream": "fixed N(0,1) array", "repeats": repeats, "seed": seed})

    # Same numbers?
    out_e, dW_e = engine_step()
    out_n, dW_n = numpy_step(x, Ws, G)
    report.agreements.append(T.Agreement("output h_L", scaled_diff(out_e, out_n), TOLERANCE, "max abs diff / max"))
    report.agreements.append(T.Agreement("dL/dW of every layer", max(scaled_diff(a, b) for a, b in zip(dW_e, dW_n)),
                                         TOLERANCE, "max abs diff / max"))
    bitwise = bool(np.array_equal(out_e, out_n) and all(np.array_equal(a, b) for a, b in zip(dW_e, dW_n)))
    report.config["bit_identical"] = bitwise
    del out_e, dW_e, out_n, dW_n
    model.zero_grad()

    times = T.interleaved({"engine": engine_step, "numpy": lambda: numpy_step(x, Ws, G)}, repeats, warmup=1)
    for case, ts in times.items():
        report.add_timing(case, ts)
    r = T.ratios(times["engine"], times["numpy"])
    report.add_row("time: engine / numpy", r, T.Target("time vs numpy", r[T.HEADLINE], TARGET_TIME, "<="))

    # Page faults: fresh memory mapped by the operating system during a step (see the README).
    faults = {"engine": T.page_faults(engine_step), "numpy": T.page_faults(lambda: numpy_step(x, Ws, G))}
    report.config["minor_page_faults_per_step"] = faults
    if faults["engine"] is not None:
        report.notes.append(f"minor page faults per step: engine {faults['engine']:.0f}, numpy {faults['numpy']:.0f} "
                            "(4 KiB each; memory malloc gave back to the system and mapped again)")

    # Peak memory of one step each, nothing left over from the previous one.
    model.zero_grad()
    peak_e, _ = T.peak_memory(engine_step)
    model.zero_grad()
    peak_n, _ = T.peak_memory(lambda: numpy_step(x, Ws, G))
    model.zero_grad()
    mem = peak_e / peak_n
    report.rows.append({"comparison": "peak memory: engine / numpy", "ratio": {"paired": mem, "median": mem,
                                                                                "best": mem},
                        "engine_peak_bytes": peak_e, "numpy_peak_bytes": peak_n})  # deterministic: no spread
    report.targets.append(T.Target("peak memory vs numpy", mem, TARGET_MEMORY, "<="))
    report.notes.append(f"peak memory: engine {T.fmt_bytes(peak_e)}, numpy {T.fmt_bytes(peak_n)} "
                        f"(one activation is {T.fmt_bytes(batch * width * np.dtype(dtype).itemsize)})")
    report.notes.append("results bit-identical to numpy" if bitwise else
                        "results agree to float32 round-off but are not bit-identical")
    return report


def main(argv: list[str] | None = None) -> int:
    return T.main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
