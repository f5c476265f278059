"""The benchmark scripts (benchmarks/) run, and each times the same computation on both sides.

Every benchmark is run in its tiny ``--quick`` mode; the tests assert that the engine and
its baseline (micrograd, hand-written numpy, PyTorch) computed equal losses and gradients,
and that the exit codes report mismatches and missed targets. No test asserts a time.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
NAMES = ["scalar_vs_micrograd", "deep_tanh", "tiny_mlp", "mnist_mlp"]


def load(name: str) -> ModuleType:
    """Import benchmarks/<name>.py as a module (the scripts import their helper as ``_timing``)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timing() -> ModuleType:
    """The shared helper module benchmarks/_timing.py."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import _timing

    return _timing


# ------------------------------------------------------------------ each benchmark


#: The xdist group of the tests that read `quick_run`: one worker runs the benchmarks, not each.
QUICK = "benchmarks_quick"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> dict:
    """``benchmarks/run_all.py --quick`` once, as a user runs it: each script in its own process."""
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--quick", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    results = {}
    for name in NAMES:
        path = out / f"{name}.json"
        results[name] = json.loads(path.read_text()) if path.exists() else None
    return {"proc": proc, "results": results}


def result(quick_run: dict, name: str) -> dict:
    res = quick_run["results"][name]
    assert res is not None, (f"{name} wrote no JSON:\n" + quick_run["proc"].stdout[-3000:]
                             + quick_run["proc"].stderr[-3000:])
    return res


def assert_agree(res: dict, expected: list[str]) -> None:
    found = {a["what"]: a for a in res["agreements"]}
    for what in expected:
        assert what in found, f"{res['name']}: no agreement check named {what!r}; have {sorted(found)}"
    for a in res["agreements"]:
        assert a["diff"] is not None and math.isfinite(a["diff"]), f"{res['name']}: {a['what']}: {a['diff']}"
        assert a["ok"] and a["diff"] <= a["tolerance"], f"{res['name']}: {a['what']}: {a['diff']:.3g}"


@pytest.mark.xdist_group(QUICK)
def test_run_all_quick_runs_every_script_and_writes_json(quick_run):
    proc = quick_run["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "== Summary" in proc.stdout
    for name in NAMES:
        res = result(quick_run, name)
        assert res["name"] == name and res["quick"] is True
        assert res["targets"], f"{name}: no targets reported"
        assert res["timings"], f"{name}: nothing was timed"


@pytest.mark.xdist_group(QUICK)
def test_scalar_engine_and_micrograd_compute_the_same_training_run(quick_run):
    pytest.importorskip("micrograd", reason="micrograd is the optional baseline (pip install micrograd==0.1.0)")
    res = result(quick_run, "scalar_vs_micrograd")
    assert_agree(res, ["loss at every step", "weights after the last step"])
    ours = res["config"]["engine_losses"]
    assert len(ours) == 2 and ours[0] != ours[1], "the loss did not change: no training step happened"
    targets = {t["name"]: t for t in res["targets"]}
    assert set(targets) == {"speedup over micrograd, gc off", "speedup over micrograd, gc on"}
    assert all(t["measured"] is not None and t["measured"] > 0 for t in targets.values())


def test_scalar_benchmark_model_is_micrograds_demo():
    """The engine's side: neurons built with binary adds (act = b + w0*x0 + w1*x1 ...), the loss
    mean relu(1 - y*score) + 1e-4 * sum p^2, recomputed here in plain floats."""
    bench = load("scalar_vs_micrograd")
    X, y = bench.moons(6, seed=3)
    init = list(np.random.default_rng(3).uniform(-1, 1, size=337))
    model = bench.MLP(init)
    ps = [p.data for p in model.parameters()]
    assert len(ps) == 337 and ps == init
    score = model([bench.Value(v) for v in X[0]])
    assert score.op == "+" and len(score.parents) == 2  # a binary add, not one n-ary node

    def plain(x):
        it = iter(init)
        for k, (nin, nout) in enumerate(zip(bench.SIZES, bench.SIZES[1:])):
            out = []
            for _ in range(nout):
                w = [next(it) for _ in range(nin)]
                act = next(it)
                for wi, xi in zip(w, x):
                    act = act + wi * xi
                out.append(max(act, 0.0) if k < 2 else act)
            x = out
        return x[0]

    scores = [plain(row) for row in X]
    expected = sum(max(0.0, 1 - yi * si) for yi, si in zip(y, scores)) / len(y) + 1e-4 * sum(p * p for p in init)
    (loss,) = bench.train(bench.MLP(init), bench.Value, X, y, steps=1)
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert set(y) <= {-1.0, 1.0}


@pytest.mark.xdist_group(QUICK)
def test_deep_tanh_engine_matches_hand_written_numpy(quick_run):
    res = result(quick_run, "deep_tanh")
    assert_agree(res, ["output h_L", "dL/dW of every layer"])
    assert {t["name"] for t in res["targets"]} == {"time vs numpy", "peak memory vs numpy"}
    mem = [r for r in res["rows"] if r["comparison"].startswith("peak memory")][0]
    assert mem["engine_peak_bytes"] > 0 and mem["numpy_peak_bytes"] > 0


def test_deep_tanh_engine_matches_numpy_in_process():
    bench = load("deep_tanh")
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    Ws = [rng.standard_normal((4, 4)).astype(np.float32) for _ in range(3)]
    G = rng.standard_normal((5, 4)).astype(np.float32)
    from tinygrad_init import Tensor, nn

    lins = []
    for W in Ws:
        lin = nn.Linear(4, 4, bias=False)
        lin.weight.data = W.copy()
        lins += [lin, nn.Tanh()]
    out = nn.Sequential(*lins)(Tensor(x))
    out.backward(G)
    ref_out, ref_dWs = bench.numpy_step(x, Ws, G)
    np.testing.assert_allclose(out.data, ref_out, rtol=1e-6, atol=1e-7)
    for lin, dW in zip(lins[0::2], ref_dWs):
        np.testing.assert_allclose(lin.weight.grad, dW, rtol=1e-5, atol=1e-6)


def test_deep_tanh_hand_written_gradients_are_right():
    """The baseline itself is correct: its dL/dW match central differences (float64, non-uniform G)."""
    bench = load("deep_tanh")
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 3))
    Ws = [rng.standard_normal((3, 3)) for _ in range(2)]
    G = rng.standard_normal((4, 3))  # L = sum(G * h_L)
    _, dWs = bench.numpy_step(x, Ws, G)
    eps = 1e-6
    for layer, W in enumerate(Ws):
        numeric = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            old = W[idx]
            W[idx] = old + eps
            up = float(np.sum(G * bench.numpy_step(x, Ws, G)[0]))
            W[idx] = old - eps
            down = float(np.sum(G * bench.numpy_step(x, Ws, G)[0]))
            W[idx] = old
            numeric[idx] = (up - down) / (2 * eps)
        np.testing.assert_allclose(dWs[layer], numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.xdist_group(QUICK)
def test_tiny_mlp_engine_matches_hand_written_numpy(quick_run):
    res = result(quick_run, "tiny_mlp")
    assert_agree(res, [
        "float64: losses, engine vs numpy", "float64: weights after 5 steps, engine vs numpy",
        "float32: losses, engine vs numpy", "float32: weights after 5 steps, engine vs numpy"])
    assert {t["name"] for t in res["targets"]} == {"time vs numpy", "time vs torch"}


@pytest.mark.xdist_group(QUICK)
@pytest.mark.torch
def test_tiny_mlp_engine_matches_pytorch(quick_run):
    res = result(quick_run, "tiny_mlp")
    assert_agree(res, [
        "float64: losses, engine vs torch", "float64: weights after 5 steps, engine vs torch",
        "float32: losses, engine vs torch", "float32: weights after 5 steps, engine vs torch"])
    torch_rows = [r for r in res["rows"] if "torch" in r["comparison"]]
    assert torch_rows and all(r["ratio"]["paired"] > 0 for r in torch_rows)


@pytest.mark.xdist_group(QUICK)
def test_mnist_mlp_engine_matches_hand_written_numpy(quick_run):
    res = result(quick_run, "mnist_mlp")
    assert_agree(res, [
        "float64: losses, engine vs numpy", "float64: weights after 3 steps, engine vs numpy",
        "float32: losses, engine vs numpy", "float32: weights after 3 steps, engine vs numpy"])
    assert [t["name"] for t in res["targets"]] == ["time vs numpy"]


def test_mnist_hand_written_loss_gradient_is_softmax_minus_onehot():
    """One step of the baseline moves the weights by -lr * dW, with dW from (softmax - onehot) / n."""
    bench = load("mnist_mlp")
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 4))
    y = np.array([0, 2, 1, 2, 0])
    W, b = rng.standard_normal((4, 3)), np.zeros(3)
    params = [W.copy(), b.copy()]
    loss = bench.numpy_trainer(params, X, y)()
    logits = X @ W + b
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), y])), rel=1e-12)
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(params[0], W - bench.LR * X.T @ (p - onehot) / 5, rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------- exit codes, scripts


def _finish(report, *flags: str) -> int:
    T = timing()
    return T.finish(report, T.parser("test").parse_args(["--no-json", *flags]))


def test_exit_codes_for_missed_targets_and_mismatches(capsys):
    T = timing()
    report = T.Report("demo", "demo", quick=False)
    report.targets.append(T.Target("time vs numpy", 1.5, 1.1, "<="))
    assert _finish(report) == T.EXIT_TARGET_MISSED
    assert "TARGET MISSED: demo: time vs numpy" in capsys.readouterr().err
    assert _finish(report, "--no-check") == T.EXIT_OK
    report.targets[0] = T.Target("time vs numpy", 1.05, 1.1, "<=")
    assert _finish(report) == T.EXIT_OK
    report.targets.append(T.Target("speedup", 9.0, 10.0, ">="))
    assert _finish(report) == T.EXIT_TARGET_MISSED
    report.agreements.append(T.Agreement("loss", 1e-3, 1e-9))
    assert _finish(report, "--no-check") == T.EXIT_MISMATCH  # a mismatch is never waived
    assert "disagree on loss" in capsys.readouterr().err
    report.agreements[0] = T.Agreement("loss", float("nan"), 1e-9)
    assert _finish(report, "--no-check") == T.EXIT_MISMATCH


def test_ratios_are_engine_over_baseline():
    T = timing()
    r = T.ratios([2.0, 4.0, 3.0], [1.0, 1.0, 2.0])
    assert r["paired"] == 2.0 and r["median"] == 3.0 and r["best"] == 2.0
    assert r["q1"] == 1.75 and r["q3"] == 3.0 and T.HEADLINE == "paired"  # quartiles of 1.5, 2, 4
    calls = []
    times = T.interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeats=3, warmup=0,
                          collect=False)
    assert calls == ["a", "b", "b", "a", "a", "b"]  # alternating order
    assert all(len(v) == 3 and min(v) >= 0 for v in times.values())


def test_no_benchmark_changes_process_wide_settings():
    """No malloc tuning, no gc.freeze: the scripts measure the process as a user's program runs it."""
    import gc

    for path in BENCH.glob("*.py"):
        text = path.read_text()
        for banned in ("mallopt", "M_TRIM_THRESHOLD", "gc.freeze(", "set_threshold("):
            assert banned not in text, f"{path.name} uses {banned}"
    T = timing()
    was = gc.isenabled()
    T.interleaved({"a": lambda: None}, repeats=2, warmup=0, gc_enabled=not was)
    assert gc.isenabled() == was  # the collector's state is restored
