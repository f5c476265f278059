"""Memory over long runs: what a training loop, its watchers and its ledgers keep, and what they let go."""

from __future__ import annotations

import numpy as np

from tinygrad_init import Tensor, nn
from tinygrad_init.lab.diagnostics import Diagnostics
from tinygrad_init.nn.optim import SGD


def test_a_diagnostics_made_again_and_again_on_one_model_leaves_no_wrapper_behind():
    # `diag = Diagnostics(model, opt)` run again (a notebook cell, or once per epoch) makes the new one before the old
    # goes: the old one's pass-through wrappers of model.forward and optimizer.step stayed under the new one's, one
    # more per run, so every forward went through all of them and after ~490 runs raised RecursionError
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh())
    opt = SGD(model.parameters(), lr=0.1)
    for _ in range(1200):  # 30 ms
        diag = Diagnostics(model, opt)
    model(Tensor(np.ones((1, 2), np.float32))).sum().backward()
    opt.step()
    assert [r["step"] for r in diag.records] == [0] and set(diag.records[0]["params"]) == {"0.weight", "0.bias"}


def test_a_watched_training_loop_frees_each_graph_at_once_and_keeps_only_the_records_it_documents():
    # 60 steps with a Probe, a Diagnostics recording every 10th step, a ledger per step, a forward hook putting a
    # gradient hook on each output and an evaluation in no_grad(): each step's graph goes when the next step drops its
    # loss (no cycle left for the collector), the Diagnostics keeps one record per 10 steps, and nothing of the
    # package keeps the model once the user lets it go
    import gc
    import weakref

    from tinygrad_init import ledger, no_grad
    from tinygrad_init.lab.probe import Probe

    X = np.random.default_rng(0).standard_normal((16, 2)).astype(np.float32)
    model = nn.MLP([2, 8, 8, 1], activation="tanh", rng=0)
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    probe, diag = Probe(model, lr=0.1), Diagnostics(model, opt, every=10)
    model.register_forward_hook(lambda m, i, out: out.register_hook(lambda g: None) and None)
    gc.collect()
    gc.disable()
    try:
        graphs, cycles = [], 0
        for _ in range(60):
            opt.zero_grad()
            with ledger.record() as steps:
                (loss := (model(Tensor(X)) ** 2).mean()).backward()
            opt.step()
            with no_grad():
                model(Tensor(X))
            graphs.append(weakref.ref(loss.grad_fn))
            cycles += gc.collect(0)  # (the gc is off: all the step made is in generation 0)
        assert cycles == 0 and sum(g() is not None for g in graphs) == 1 and len(steps) > 0
        assert [r["step"] for r in diag.records] == list(range(0, 60, 10)) and probe.records
        refs = [weakref.ref(x) for x in (model, opt, probe, diag)]
        del model, opt, probe, diag, loss, steps
        assert [r() for r in refs] == [None] * 4 and gc.collect() == 0
    finally:
        gc.enable()
