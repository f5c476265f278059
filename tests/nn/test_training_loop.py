"""A user's whole training loop (data, model, loss, SGD) against the same loop in PyTorch, step by step."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, data, losses, nn, optim, scalar_nn

pytestmark = pytest.mark.torch


def twins(dtype, n_out, act, batchnorm, torch):
    """Linear(2, 5) [-> BatchNorm1d] -> act -> Linear(5, n_out) here and in torch, with the same weights."""
    lins = [nn.Linear(2, 5, rng=0, dtype=dtype, bias_init="normal"),
            nn.Linear(5, n_out, rng=1, dtype=dtype, bias_init="normal")]
    tdt = torch.float32 if dtype == np.float32 else torch.float64
    tlins = [torch.nn.Linear(*lin.weight.shape).to(tdt) for lin in lins]
    with torch.no_grad():
        for lin, t in zip(lins, tlins):
            t.weight[:], t.bias[:] = torch.tensor(lin.weight.data.T), torch.tensor(lin.bias.data)
    bn = [nn.BatchNorm1d(5, momentum=0.3, dtype=dtype)] if batchnorm else []
    tbn = [torch.nn.BatchNorm1d(5, momentum=0.3).to(tdt)] if batchnorm else []
    tact = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[act]
    return (nn.Sequential(lins[0], *bn, nn.ACTIVATIONS[act](), lins[1]),
            torch.nn.Sequential(tlins[0], *tbn, tact(), tlins[1]))


def assert_same_state(model, tmodel, tol):
    for p, q in zip(model.parameters(), tmodel.parameters(), strict=True):  # ours (fan_in, fan_out), torch's .T
        for ours, theirs in ((p.data, q.detach().numpy()), (p.grad, q.grad.numpy())):
            np.testing.assert_allclose(ours, theirs.T if theirs.ndim == 2 else theirs, rtol=tol, atol=tol)
            assert ours.dtype == p.dtype
    for m, t in zip([m for m in model.modules() if isinstance(m, nn.BatchNorm1d)],
                    [t for t in tmodel.modules() if isinstance(t, type(tmodel[1]))]):
        np.testing.assert_allclose(m.running_mean, t.running_mean.numpy(), rtol=tol, atol=tol)
        np.testing.assert_allclose(m.running_var, t.running_var.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype, loss, batch, act, batchnorm, momentum, weight_decay", [
    (np.float64, "mse", 1, "tanh", False, 0.0, 0.0),  # batches of one
    (np.float64, "bce", 7, "relu", True, 0.9, 0.01),  # 23 = 3 x 7 + a last batch of 2
    (np.float64, "ce", 4, "sigmoid", True, 0.5, 0.0),  # 3 classes, uint8 labels, a last batch of 3
    (np.float64, "ce", 23, "tanh", False, 0.0, 0.1),  # full batch, float labels
    (np.float32, "bce", 5, "tanh", True, 0.9, 0.0),
    (np.float32, "ce", 6, "relu", False, 0.9, 0.01),
])
def test_a_minibatch_training_loop_matches_torch_step_by_step(dtype, loss, batch, act, batchnorm, momentum,
                                                              weight_decay):
    import torch

    X, y = data.spirals(23, classes=3, rng=1) if loss == "ce" else data.moons(23, noise=0.2, rng=1)
    n_out = 3 if loss == "ce" else 1
    model, tmodel = twins(dtype, n_out, act, batchnorm, torch)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=momentum, weight_decay=weight_decay)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.1, momentum=momentum, weight_decay=weight_decay)
    labels = y.astype(np.uint8 if batch == 4 else np.float64 if batch == 23 else np.int64)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    F = torch.nn.functional
    for _ in range(3):  # epochs
        for i in range(0, len(X), batch):
            xb, yb = X[i:i + batch].astype(dtype), labels[i:i + batch]
            out, tout = model(Tensor(xb)), tmodel(torch.tensor(xb))
            tb = torch.tensor(yb.reshape(-1, 1).astype(dtype))
            L, tL = {"mse": lambda: (losses.mse_loss(out, yb.reshape(-1, 1)), F.mse_loss(tout, tb)),
                     "bce": lambda: (losses.binary_cross_entropy_with_logits(out, yb.reshape(-1, 1)),
                                     F.binary_cross_entropy_with_logits(tout, tb)),
                     "ce": lambda: (losses.cross_entropy(out, yb), F.cross_entropy(tout, torch.tensor(y[i:i + batch])))
                     }[loss]()
            opt.zero_grad()
            topt.zero_grad()
            L.backward()
            tL.backward()
            assert L.dtype == dtype and L.item() == pytest.approx(tL.item(), rel=tol, abs=tol)
            opt.step()
            topt.step()
            assert_same_state(model, tmodel, tol)
    model.eval()
    tmodel.eval()
    np.testing.assert_allclose(model(Tensor(X.astype(dtype))).data, tmodel(torch.tensor(X.astype(dtype))).detach(),
                               rtol=tol, atol=tol)


def test_gradients_accumulated_over_two_batches_and_an_error_in_between_match_torch():
    import torch

    X, y = data.blobs(12, centers=3, rng=2)
    model, tmodel = twins(np.float64, 3, "tanh", True, torch)
    opt = optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.2, momentum=0.9)
    for step in range(3):
        opt.zero_grad(set_to_none=False)
        topt.zero_grad(set_to_none=False)
        for half in (slice(0, 5), slice(5, 12)):  # two batches, one step: the gradients add up
            losses.cross_entropy(model(Tensor(X[half].astype(np.float64))), y[half]).backward()
            F = torch.nn.functional
            F.cross_entropy(tmodel(torch.tensor(X[half].astype(np.float64))), torch.tensor(y[half])).backward()
        with pytest.raises(ValueError):  # a batch of one in training mode: refused by both, nothing changed
            model(Tensor(X[:1].astype(np.float64)))
        with pytest.raises(ValueError):
            tmodel(torch.tensor(X[:1].astype(np.float64)))
        with pytest.raises(ValueError, match="cross_entropy"):
            losses.cross_entropy(model(Tensor(X[:4].astype(np.float64))), y[:3])  # the wrong labels: no backward
        with torch.no_grad():
            tmodel(torch.tensor(X[:4].astype(np.float64)))  # whose forward pass moved the running statistics too
        opt.step()
        topt.step()
        assert_same_state(model, tmodel, 1e-12)


def test_a_scalar_mlp_trained_by_hand_matches_torch():
    import torch

    X, y = data.moons(9, noise=0.1, rng=0)
    X, signs = X.astype(np.float64), 2.0 * y - 1
    for act, tact in [("tanh", torch.tanh), ("relu", torch.relu), ("sigmoid", torch.sigmoid)]:
        model = scalar_nn.MLP(2, [4, 3, 1], activation=act, rng=2, bias_init="normal")
        tlins = [torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons)).double() for layer in model.layers]
        with torch.no_grad():
            for layer, t in zip(model.layers, tlins):
                t.weight[:] = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64)
                t.bias[:] = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64)
        params = [p for t in tlins for p in t.parameters()]
        for step, batch in enumerate([1, 3, 1, 4, 2]):  # micrograd's hinge loss with L2, mini-batches of odd sizes
            idx = np.arange(step, step + batch) % len(X)
            scores = [model(list(X[i])) for i in idx]
            L = Value.sum([(1 - s * o).relu() for s, o in zip(signs[idx], scores)]) * (1 / batch) + \
                1e-3 * Value.sum([p * p for p in model.parameters()])
            h = torch.tensor(X[idx])
            for k, t in enumerate(tlins):
                h = t(h) if k == len(tlins) - 1 else tact(t(h))
            tL = torch.relu(1 - torch.tensor(signs[idx]) * h[:, 0]).mean() + 1e-3 * sum((p * p).sum() for p in params)
            model.zero_grad()
            L.backward()
            tL.backward()
            assert L.data == pytest.approx(tL.item(), rel=1e-13, abs=1e-15)
            for layer, t in zip(model.layers, tlins):
                np.testing.assert_allclose([[w.grad for w in n.w] for n in layer.neurons], t.weight.grad, atol=1e-14)
                np.testing.assert_allclose([n.b.grad for n in layer.neurons], t.bias.grad, atol=1e-14)
            for p in model.parameters():
                p.data -= 0.05 * p.grad
            with torch.no_grad():
                for p in params:
                    p -= 0.05 * p.grad
                    p.grad = None
