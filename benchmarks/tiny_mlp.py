"""One SGD step of a tiny MLP: the tensor engine against PyTorch (CPU) and hand-written numpy.

MLP 2-16-16-1 with tanh hidden layers, a batch of 100, float32, mean squared error on
random targets, SGD (lr 0.01). One step is what a training loop does::

    out = model(X); loss = mse_loss(out, Y); opt.zero_grad(); loss.backward(); opt.step()

At this size every array op takes about a microsecond, so the benchmark measures the
per-op overhead of each framework: the engine's Python bookkeeping against PyTorch's
dispatcher and autograd engine, and against numpy calls with no bookkeeping at all.
PyTorch runs ``torch.nn.Sequential`` of ``Linear``/``Tanh``, ``F.mse_loss`` and
``torch.optim.SGD`` on one thread: ``torch.set_num_threads(1)`` is set just before each of
its timed blocks and the previous count restored just after (no op here is large enough
for PyTorch to split it over threads, and idle worker threads spinning between blocks would
slow the other side down). The hand-written numpy version writes the forward pass, the
backward pass (``dW = h.T @ g``, ``db = g.sum(0)``, ``g = g @ W.T``, ``g *= 1 - h^2``) and the
update out in full.

All three start from the same weights; after 5 steps their losses and weights must
agree (float64: to 1e-12; float32: to 1e-5).

Targets: engine time <= 0.4 x PyTorch's and <= 1.8 x numpy's.

Run: ``python benchmarks/tiny_mlp.py [--quick] [--no-check] [--repeats N]``.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

import _timing as T
import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.losses import mse_loss
from tinygrad_init.optim import SGD

NAME = "tiny_mlp"
TITLE = "One SGD step, MLP {sizes} (tanh), batch {batch}, MSE: engine vs PyTorch CPU and numpy"
TARGET_TORCH = 0.4
TARGET_NUMPY = 1.8
LR = 0.01
CHECK_STEPS = 5
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-5}  # max abs diff / max abs value


def make_data(batch: int, sizes: list[int], seed: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    Y = rng.standard_normal((batch, sizes[-1])).astype(dtype)
    return X, Y


def engine_trainer(sizes: list[int], X: np.ndarray, Y: np.ndarray, seed: int
                   ) -> tuple[Callable[[], Any], list[Tensor]]:
    model = nn.MLP(sizes, activation="tanh", rng=seed, dtype=X.dtype)
    opt = SGD(model.parameters(), lr=LR)
    Xt, Yt = Tensor(X), Tensor(Y)

    def step() -> Any:
        out = model(Xt)
        loss = mse_loss(out, Yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step, model.parameters()


def numpy_trainer(params: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Callable[[], Any]:
    """params: [W1, b1, W2, b2, ...] in the engine's layout (W is fan_in x fan_out); updated in place."""
    Ws, bs = params[0::2], params[1::2]
    n_layers = len(Ws)

    def step() -> Any:
        hs = [X]
        for i in range(n_layers - 1):
            hs.append(np.tanh(hs[-1] @ Ws[i] + bs[i]))
        out = hs[-1] @ Ws[-1] + bs[-1]
        diff = out - Y
        loss = (diff * diff).mean()
        g = 2 * diff / diff.size  # dL/d out
        grads: list[Any] = [None] * (2 * n_layers)
        for i in range(n_layers - 1, -1, -1):
            grads[2 * i] = hs[i].T @ g
            grads[2 * i + 1] = g.sum(axis=0)
            if i > 0:
                h = hs[i]
                g = (g @ Ws[i].T) * (1 - h * h)
        for p, dp in zip(params, grads):
            p -= LR * dp
        return loss

    return step


def torch_trainer(torch: Any, params: list[np.ndarray], X: np.ndarray, Y: np.ndarray
                  ) -> tuple[Callable[[], Any], list[Any]]:
    Ws, bs = params[0::2], params[1::2]
    layers: list[Any] = []
    for i, (W, b) in enumerate(zip(Ws, bs)):
        lin = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))  # PyTorch stores (fan_out, fan_in)
            lin.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(lin)
        if i < len(Ws) - 1:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xq, Yq = torch.from_numpy(X), torch.from_numpy(Y)
    mse = torch.nn.functional.mse_loss

    def step() -> Any:
        out = model(Xq)
        loss = mse(out, Yq)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    def weights() -> list[np.ndarray]:
        out = []
        for lin in layers[0::2]:
            out += [lin.weight.detach().numpy().T, lin.bias.detach().numpy()]
        return out

    return step, weights


def scaled_diff(a: Any, b: Any) -> float:
    b = np.asarray(b, dtype=np.float64)
    scale = float(np.max(np.abs(b))) or 1.0
    return T.max_abs_diff(a, b) / scale


def agreement(sizes: list[int], batch: int, seed: int, dtype: Any, torch: Any) -> list[T.Agreement]:
    """Run CHECK_STEPS steps on every framework from the same start; compare losses and weights."""
    X, Y = make_data(batch, sizes, seed, dtype)
    e_step, e_params = engine_trainer(sizes, X, Y, seed)
    n_params = [p.data.copy() for p in e_params]
    n_step = numpy_trainer(n_params, X, Y)
    t_step = t_weights = None
    if torch is not None:
        t_step, t_weights = torch_trainer(torch, [p.data.copy() for p in e_params], X, Y)
    losses: dict[str, list[float]] = {"engine": [], "numpy": [], "torch": []}
    for _ in range(CHECK_STEPS):
        losses["engine"].append(e_step().item())
        losses["numpy"].append(float(n_step()))
        if t_step is not None:
            losses["torch"].append(t_step().item())
    tol = TOLERANCE[dtype]
    name = np.dtype(dtype).name
    e_final = [p.data for p in e_params]
    out = [
        T.Agreement(f"{name}: losses, engine vs numpy", scaled_diff(losses["engine"], losses["numpy"]), tol,
                    "max abs diff / max"),
        T.Agreement(f"{name}: weights after {CHECK_STEPS} steps, engine vs numpy",
                    max(scaled_diff(a, b) for a, b in zip(e_final, n_params)), tol, "max abs diff / max"),
    ]
    if t_weights is not None:
        out += [
            T.Agreement(f"{name}: losses, engine vs torch", scaled_diff(losses["engine"], losses["torch"]), tol,
                        "max abs diff / max"),
            T.Agreement(f"{name}: weights after {CHECK_STEPS} steps, engine vs torch",
                        max(scaled_diff(a, b) for a, b in zip(e_final, t_weights())), tol, "max abs diff / max"),
        ]
    return out


def import_torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


def run(quick: bool = False, repeats: int | None = None, seed: int = 0) -> T.Report:
    sizes, batch = [2, 16, 16, 1], 100
    repeats = repeats or (1 if quick else 21)
    block = 0.002 if quick else 0.1  # seconds per timed block
    torch = import_torch()
    report = T.Report(NAME, TITLE.format(sizes="-".join(map(str, sizes)), batch=batch), quick, config={
        "sizes": sizes, "batch": batch, "dtype": "float32", "lr": LR, "repeats": repeats, "seed": seed,
        "block_seconds": block})

    report.agreements += agreement(sizes, batch, seed, np.float64, torch)
    report.agreements += agreement(sizes, batch, seed, np.float32, torch)

    X, Y = make_data(batch, sizes, seed, np.float32)
    e_step, e_params = engine_trainer(sizes, X, Y, seed)
    cases: dict[str, Callable[[], Any]] = {
        "engine": e_step, "numpy": numpy_trainer([p.data.copy() for p in e_params], X, Y)}
    if torch is not None:
        report.config["torch"] = torch.__version__
        cases["torch"] = torch_trainer(torch, [p.data.copy() for p in e_params], X, Y)[0]
    else:
        report.notes.append("torch is not installed: the PyTorch comparison is skipped "
                            "(pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu)")
    threads: list[int] = []

    def setup(case: str) -> None:  # one thread for PyTorch's own blocks only
        if case == "torch":
            threads.append(torch.get_num_threads())
            torch.set_num_threads(1)

    def teardown(case: str) -> None:
        if case == "torch":
            torch.set_num_threads(threads.pop())

    numbers = {}
    for case, fn in cases.items():
        setup(case)
        numbers[case] = T.autonumber(fn, block)
        teardown(case)
    times = T.interleaved(cases, repeats, number=numbers, warmup=3, setup=setup, teardown=teardown)
    for case, ts in times.items():
        report.add_timing(case, ts, calls_per_block=numbers[case])

    if torch is not None:
        r = T.ratios(times["engine"], times["torch"])
        report.add_row("time: engine / torch (1 thread)", r, T.Target("time vs torch", r[T.HEADLINE], TARGET_TORCH))
    else:
        report.targets.append(T.Target("time vs torch", None, TARGET_TORCH))
    r = T.ratios(times["engine"], times["numpy"])
    report.add_row("time: engine / numpy", r, T.Target("time vs numpy", r[T.HEADLINE], TARGET_NUMPY))
    return report


def main(argv: list[str] | None = None) -> int:
    return T.main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
