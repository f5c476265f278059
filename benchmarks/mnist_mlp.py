"""One SGD step of an MNIST-sized MLP: the tensor engine against hand-written numpy.

MLP 784-256-256-10 with ReLU hidden layers (He-normal weights, zero biases), a batch of
128 random float32 "images" with random labels (no dataset download: the data only has
to have MNIST's shape), softmax cross-entropy, SGD (lr 0.01)::

    logits = model(X); loss = cross_entropy(logits, y); opt.zero_grad(); loss.backward(); opt.step()

The hand-written numpy version computes the same forward pass, the stable log-softmax
loss, its gradient ``(softmax - onehot) / batch``, the backward pass through the ReLUs
(``g * (h > 0)``) and the update. At this size the matrix products dominate; the
benchmark shows what the engine's graph bookkeeping costs on a realistic step.

Both start from the same weights; after 3 steps their losses and weights must agree
(float64: to 1e-12; float32: to 1e-5).

Target: engine time <= 1.2 x numpy's.

Run: ``python benchmarks/mnist_mlp.py [--quick] [--no-check] [--repeats N]``.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

import _timing as T
import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.losses import cross_entropy
from tinygrad_init.optim import SGD

NAME = "mnist_mlp"
TITLE = "One SGD step, MLP {sizes} (relu), batch {batch}, cross-entropy: engine vs numpy"
TARGET_NUMPY = 1.2
LR = 0.01
CHECK_STEPS = 3
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-5}  # max abs diff / max abs value


def make_data(batch: int, sizes: list[int], seed: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], size=batch)
    return X, y


def engine_trainer(sizes: list[int], X: np.ndarray, y: np.ndarray, seed: int
                   ) -> tuple[Callable[[], Any], list[Tensor]]:
    model = nn.MLP(sizes, activation="relu", rng=seed, dtype=X.dtype)
    opt = SGD(model.parameters(), lr=LR)
    Xt = Tensor(X)

    def step() -> Any:
        logits = model(Xt)
        loss = cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step, model.parameters()


def numpy_trainer(params: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> Callable[[], Any]:
    """params: [W1, b1, W2, b2, ...] in the engine's layout (W is fan_in x fan_out); updated in place."""
    Ws, bs = params[0::2], params[1::2]
    n_layers = len(Ws)
    n = len(y)
    rows = np.arange(n)

    def step() -> Any:
        hs = [X]
        for i in range(n_layers - 1):
            hs.append(np.maximum(hs[-1] @ Ws[i] + bs[i], 0))
        logits = hs[-1] @ Ws[-1] + bs[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        logp = shifted - np.log(s)
        loss = -logp[rows, y].mean()
        g = e / s  # softmax
        g[rows, y] -= 1
        g /= n  # dL/d logits
        grads: list[Any] = [None] * (2 * n_layers)
        for i in range(n_layers - 1, -1, -1):
            grads[2 * i] = hs[i].T @ g
            grads[2 * i + 1] = g.sum(axis=0)
            if i > 0:
                g = (g @ Ws[i].T) * (hs[i] > 0)
        for p, dp in zip(params, grads):
            p -= LR * dp
        return loss

    return step


def scaled_diff(a: Any, b: Any) -> float:
    b = np.asarray(b, dtype=np.float64)
    scale = float(np.max(np.abs(b))) or 1.0
    return T.max_abs_diff(a, b) / scale


def agreement(sizes: list[int], batch: int, seed: int, dtype: Any) -> list[T.Agreement]:
    X, y = make_data(batch, sizes, seed, dtype)
    e_step, e_params = engine_trainer(sizes, X, y, seed)
    n_params = [p.data.copy() for p in e_params]
    n_step = numpy_trainer(n_params, X, y)
    e_losses, n_losses = [], []
    for _ in range(CHECK_STEPS):
        e_losses.append(e_step().item())
        n_losses.append(float(n_step()))
    tol = TOLERANCE[dtype]
    name = np.dtype(dtype).name
    return [
        T.Agreement(f"{name}: losses, engine vs numpy", scaled_diff(e_losses, n_losses), tol, "max abs diff / max"),
        T.Agreement(f"{name}: weights after {CHECK_STEPS} steps, engine vs numpy",
                    max(scaled_diff(p.data, q) for p, q in zip(e_params, n_params)), tol, "max abs diff / max"),
    ]


def run(quick: bool = False, repeats: int | None = None, seed: int = 0) -> T.Report:
    sizes, batch = ([784, 32, 32, 10], 16) if quick else ([784, 256, 256, 10], 128)
    repeats = repeats or (1 if quick else 21)
    block = 0.002 if quick else 0.1
    report = T.Report(NAME, TITLE.format(sizes="-".join(map(str, sizes)), batch=batch), quick, config={
        "sizes": sizes, "batch": batch, "dtype": "float32", "init": "he_normal", "lr": LR, "repeats": repeats,
        "seed": seed, "block_seconds": block})
    report.agreements += agreement(sizes, batch, seed, np.float64)
    report.agreements += agreement(sizes, batch, seed, np.float32)

    X, y = make_data(batch, sizes, seed, np.float32)
    e_step, e_params = engine_trainer(sizes, X, y, seed)
    cases = {"engine": e_step, "numpy": numpy_trainer([p.data.copy() for p in e_params], X, y)}
    numbers = {case: T.autonumber(fn, block) for case, fn in cases.items()}
    times = T.interleaved(cases, repeats, number=numbers, warmup=3)
    for case, ts in times.items():
        report.add_timing(case, ts, calls_per_block=numbers[case])
    r = T.ratios(times["engine"], times["numpy"])
    report.add_row("time: engine / numpy", r, T.Target("time vs numpy", r[T.HEADLINE], TARGET_NUMPY))
    return report


def main(argv: list[str] | None = None) -> int:
    return T.main(__doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
