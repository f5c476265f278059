"""Signal propagation measured with the tensor engine beside the edge-of-chaos theory (`theory`).

`correlations`: two inputs' correlation layer by layer in the ordered, critical and chaotic phases. `trainability`:
training accuracy over depth x `sigma_w^2` (Schoenholz et al. 2017: trainable up to about `6 xi_c`); `tinygrad-init
chaos` regenerates the shipped result, `SHIPPED` (JSON). `jacobian_spectra`: singular values of the input-output
Jacobian `J = d h_L / d h_0` at one input, from backpropagating the identity's rows through a batch of copies of the
input (row `i` of the input's gradient is row `i` of `J`). Pennington, Schoenholz & Ganguli (2017): at criticality
the mean squared singular value is `chi_1^L = 1`, but only orthogonal weights with tanh near `q* = 0` keep the whole
spectrum near 1 (dynamical isometry). Each returns plain numbers; `figure` and `finding` show them."""

from __future__ import annotations

import itertools
import math
from functools import partial
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .. import nn
from ..core.tensor import Tensor, no_grad
from ..nn import init
from ..utils import as_rng, format_number
from . import theory
from .diagnostics import fit
from .plots import new_figure, slide_style

__all__ = ["network", "correlations", "trainability", "jacobian_spectra", "phase_diagram",
           "figure", "finding", "SHIPPED"]

#: The shipped result of `tinygrad-init chaos`.
SHIPPED = Path(__file__).with_name("data") / "chaos_heatmap.json"
#: tanh at sigma_b^2 = 0.05 (Schoenholz et al. 2017, Fig. 1): ordered, critical (~1.76) and chaotic.
PHASES = {"ordered": 1.0, "critical": theory.critical_sigma_w2("tanh", 0.05), "chaotic": 3.0}
#: Named schemes on the phase diagram: sigma_w^2 with zero biases.
SCHEMES = {"LeCun / Xavier": 1.0, "He": 2.0, "tanh gain 5/3 (PyTorch)": 25 / 9}


def network(depth: int, width: int, activation: str, sigma_w2: float, sigma_b2: float = 0.0, *,
            orthogonal: bool = False, inputs: int | None = None, outputs: int | None = None, rng: Any = 0,
            dtype: Any = np.float64) -> nn.Sequential:
    """`depth` layers `Linear` + activation of `width` units (the first from `inputs`; a last `Linear` to `outputs`),
    `Var(W) = sigma_w^2 / fan_in` (Gaussian or scaled orthogonal), biases `N(0, sigma_b^2)`."""
    gen, sizes = as_rng(rng), [inputs or width] + [width] * depth + ([outputs] if outputs else [])
    w = init.get("orthogonal", gain=math.sqrt(sigma_w2)) if orthogonal else partial(init.variance_scaling,
                                                                                      scale=sigma_w2)
    b = init.get("normal", std=math.sqrt(sigma_b2))
    mods = [nn.Linear(a, c, init=w, bias_init=b, rng=gen, dtype=dtype) for a, c in zip(sizes[:-1], sizes[1:])]
    return nn.Sequential(*[m for i, lin in enumerate(mods) for m in (lin, nn.ACTIVATIONS[activation]())
                           if m is lin or i < depth])


def correlations(depth: int = 30, width: int = 500, starts: Sequence[float] = (0.2, 0.9), sigma_b2: float = 0.05,
                 networks: int = 8, pairs: int = 8, rng: Any = 0) -> dict[str, Any]:
    """Correlation `c_l = y_1 . y_2 / (|y_1| |y_2|)` of two inputs' pre-activations at each layer of tanh networks in
    each phase (`PHASES`), averaged over `pairs` input pairs per start `c_0` and over `networks` networks; the inputs
    are scaled so that `q_1 = q*`. The theory iterates the correlation map from the measured `c_1`."""
    gen, out = as_rng(rng), {}
    for phase, sw in PHASES.items():
        q = theory.fixed_point("tanh", sw, sigma_b2).q
        measured = np.zeros((len(starts), depth))
        for _ in range(networks):
            z = gen.standard_normal((2, len(starts), pairs, width))
            c0 = np.array(starts)[:, None, None]
            h = np.stack([z[0], c0 * z[0] + np.sqrt(1 - c0 * c0) * z[1]]) * math.sqrt((q - sigma_b2) / sw)
            h, net = Tensor(h.reshape(-1, width)), network(depth, width, "tanh", sw, sigma_b2, rng=gen)
            with no_grad():
                for l, (lin, act) in enumerate(zip(net[::2], net[1::2])):
                    y = lin(h)
                    a, b = y.data.reshape(2, len(starts), pairs, width)
                    measured[:, l] += ((a * b).sum(-1) / np.sqrt((a * a).sum(-1) * (b * b).sum(-1))).mean(1) / networks
                    h = act(y)
        for c0, m in zip(starts, measured):
            pred = list(itertools.accumulate(range(depth - 1), lambda c, _: theory.correlation_map(
                "tanh", min(c, 1.0), sw, sigma_b2, q=q), initial=float(m[0])))
            out[f"{phase}, c0 = {c0:g}"] = {"sigma_w2": sw, "measured": m.tolist(), "theory": pred}
    return out


def trainability(quick: bool = False, *, sigma_w2s: Sequence[float] = (0.5, 0.75, 1.0, 1.25, 1.5, 1.76, 2.0, 2.5,
                 3.0, 3.5, 4.0), depths: Sequence[int] = (2, 4, 8, 16, 24, 32, 48, 64, 96), sigma_b2: float = 0.05,
                 width: int = 64, steps: int = 300, lr: float = 0.01, rng: Any = 0) -> dict[str, Any]:
    """Training accuracy of tanh `network`s over depth x `sigma_w^2` after `steps` of SGD (batch 64) on 512 points `x
    ~ N(0, I_16)` labelled by the largest of 4 random linear functions (`quick`: a 3 x 3 grid, 100 steps). Returns
    the grid, the accuracies (a row per `sigma_w^2`) and the settings."""
    sws, depths = ([0.5, 1.76, 4.0], [4, 16, 64]) if quick else (list(sigma_w2s), list(depths))
    steps, gen = 100 if quick else steps, as_rng(rng)
    teacher, X = gen.standard_normal((16, 4)), gen.standard_normal((512, 16)).astype(np.float32)
    y, acc = (X @ teacher).argmax(axis=1), []
    for sw in sws:
        acc.append([])
        for depth in depths:
            seed = int(gen.integers(2 ** 31))
            model = network(depth, width, "tanh", sw, sigma_b2, inputs=16, outputs=4, rng=seed, dtype=np.float32)
            fit(model, X, y, steps, lr, rng=seed)
            with no_grad():
                acc[-1].append(float(np.mean(model(Tensor(X)).data.argmax(axis=1) == y)))
    return {"sigma_w2": sws, "depth": depths, "accuracy": acc, "sigma_b2": sigma_b2, "width": width,
            "steps": steps, "lr": lr, "chance": float(np.max(np.bincount(y)) / len(y)),
            "command": "tinygrad-init chaos" + (" --quick" if quick else "")}


def jacobian_spectra(depths: Sequence[int] = (2, 4, 8, 16, 32, 64), width: int = 200, networks: int = 3,
                     sigma_b2: float = 1e-4, rng: Any = 0) -> dict[str, Any]:
    """Singular values of `J` at one input (pooled over `networks` per depth) for tanh at criticality (`q*` small:
    `sigma_b^2` small, `sigma_w^2 = critical_sigma_w2`) and ReLU with He (`sigma_w^2 = 2`), each with Gaussian and
    orthogonal weights; with the mean squared singular value beside the theory's `chi_1^L` and the spread `Var(s^2) /
    mean(s^2)^2` (0 for an isometry)."""
    gen, out = as_rng(rng), {}
    for act, sw, sb in (("tanh", theory.critical_sigma_w2("tanh", sigma_b2), sigma_b2), ("relu", 2.0, 0.0)):
        fp = theory.fixed_point(act, sw, sb)
        for ortho in (False, True):
            res = {"sigma_w2": sw, "sigma_b2": sb, "q_star": fp.q, "chi_1": fp.chi, "depths": list(depths),
                   "singular_values": [], "mean_sq": [], "spread": [], "theory": [fp.chi ** d for d in depths]}
            for depth in depths:
                s = []
                for _ in range(networks):
                    x = Tensor(np.tile(gen.standard_normal(width) * math.sqrt(max(fp.q - sb, 0.0) / sw), (width, 1)),
                               requires_grad=True)
                    network(depth, width, act, sw, sb, orthogonal=ortho, rng=gen)(x).backward(np.eye(width))
                    s.append(np.linalg.svd(x.grad, compute_uv=False))
                lam = np.concatenate(s) ** 2
                res["singular_values"].append(np.sqrt(lam).tolist())
                res["mean_sq"].append(float(lam.mean()))
                res["spread"].append(float(lam.var() / lam.mean() ** 2))
            out[f"{act}, {'orthogonal' if ortho else 'Gaussian'}"] = res
    return out


def phase_diagram(activation: str = "tanh", sigma_w2: tuple[float, float] = (0.5, 4.0),
                  sigma_b2: tuple[float, float] = (0.0, 0.5), n: int = 41) -> dict[str, Any]:
    """`log chi_1` over a grid of `(sigma_w^2, sigma_b^2)` and the critical line `chi_1 = 1`."""
    ws, bs = np.linspace(*sigma_w2, n), np.linspace(*sigma_b2, n // 2 + 1)
    chi = [[math.log(theory.fixed_point(activation, w, b).chi) for w in ws] for b in bs]
    line = np.linspace(*sigma_b2, 21)
    return {"sigma_w2": ws.tolist(), "sigma_b2": bs.tolist(), "log_chi1": chi, "critical_b2": line.tolist(),
            "critical_w2": [theory.critical_sigma_w2(activation, b) for b in line]}


def finding(name: str, result: dict[str, Any]) -> str:
    """What `figure(name, result)` shows, in one sentence computed from `result`."""
    f = format_number
    if name == "phase_diagram":
        he, gain = (f(theory.fixed_point("tanh", w).chi) for w in list(SCHEMES.values())[1:])
        return (f"Without biases the critical line of tanh starts at sigma_w^2 = 1 (LeCun / Xavier); He (2) and "
                f"PyTorch's gain 5/3 (25/9) lie in the chaotic phase with chi_1 = {he} and {gain}; with sigma_b^2 = "
                f"0.05 the line is at sigma_w^2 = {f(theory.critical_sigma_w2('tanh', 0.05), 4)}.")
    if name == "correlations":
        ends = "; ".join(f"{k}: {f(r['measured'][-1], 2)} (theory {f(r['theory'][-1], 2)})" for k, r in result.items())
        worst = max(abs(m - t) for r in result.values() for m, t in zip(r["measured"], r["theory"]))
        return (f"After {len(next(iter(result.values()))['measured'])} layers the two inputs' correlation is {ends}; "
                f"engine and theory differ by at most {f(worst, 2)} at any layer.")
    if name == "trainability":
        acc, ok = np.array(result["accuracy"]), (result["chance"] + 1) / 2
        deep = np.array([[d > 6 * theory.depth_scales("tanh", w, result["sigma_b2"])[1] for d in result["depth"]]
                         for w in result["sigma_w2"]])
        return (f"{np.sum(acc[~deep] >= ok)} of the {np.sum(~deep)} networks within 6 xi_c reach a training "
                f"accuracy of {f(ok, 2)} (halfway from chance to 1) in {result['steps']} steps, against "
                f"{np.sum(acc[deep] >= ok)} of the {np.sum(deep)} deeper ones.")
    at = {k: (r["spread"][-1], r["mean_sq"][-1]) for k, r in result.items()}
    return (f"At depth {next(iter(result.values()))['depths'][-1]} the spread Var(s^2) / mean(s^2)^2 of the "
            f"Jacobian's singular values is " + ", ".join(f"{f(v[0], 2)} for {k}" for k, v in at.items()) +
            "; the mean squared singular value, chi_1^L = 1 in theory, measures " + ", ".join(f(v[1], 2) for v in
            at.values()) + ": only orthogonal tanh near q* = 0 keeps the spectrum near 1 (dynamical isometry).")


def figure(name: str, result: dict[str, Any]) -> Any:
    """Draw `result` of `correlations`, `trainability`, `jacobian_spectra` or `phase_diagram` (`name`)."""
    with slide_style():
        cols, rows, width, height = {"correlations": (3, 1, 16, 5), "jacobian_spectra": (3, 2, 18, 10)}.get(
            name, (1, 1, 10, 5.5))
        fig = new_figure(cols, rows, width=width, height=height)
        ax = fig.axes[0]
        if name == "phase_diagram":
            m = ax.pcolormesh(result["sigma_w2"], result["sigma_b2"], result["log_chi1"], shading="nearest",
                              cmap="RdBu_r", vmin=-1.5, vmax=1.5)
            fig.colorbar(m, ax=ax, label="log chi_1  (< 0 ordered, > 0 chaotic)")
            ax.plot(result["critical_w2"], result["critical_b2"], "k-", label="critical line chi_1 = 1")
            for label, w in SCHEMES.items():
                ax.plot([w], [0.0], "o", ms=11, clip_on=False, label=f"{label}: sigma_w^2 = {format_number(w)}")
            ax.set(xlabel="sigma_w^2 = fan_in Var(W)", ylabel="sigma_b^2 = Var(b)", title="tanh: order and chaos")
            ax.legend(loc="upper left", fontsize=10)
        elif name == "trainability":
            m = ax.pcolormesh(result["sigma_w2"], result["depth"], np.array(result["accuracy"]).T, shading="nearest",
                              cmap="magma", vmin=result["chance"], vmax=1)
            fig.colorbar(m, ax=ax, label="training accuracy")
            fine = np.linspace(result["sigma_w2"][0], result["sigma_w2"][-1], 60)
            ax.plot(fine, [6 * theory.depth_scales("tanh", w, result["sigma_b2"])[1] for w in fine], "c-", lw=3,
                    label="6 xi_c")
            ax.set(xlabel="sigma_w^2", ylabel="depth", yscale="log", ylim=(min(result["depth"]) / 1.2,
                   max(result["depth"]) * 1.2), title=f"trainability after {result['steps']} SGD steps")
            ax.set_yticks(result["depth"], result["depth"], minor=False)
            ax.minorticks_off()
            ax.legend(loc="upper right", title=result["command"])
        for ax, phase in zip(fig.axes, PHASES) if name == "correlations" else ():
            for key, r in ((k, r) for k, r in result.items() if k.startswith(phase)):
                line, = ax.plot(range(1, len(r["theory"]) + 1), r["theory"], "--", label=key.split(", ")[1])
                ax.plot(range(1, len(r["measured"]) + 1), r["measured"], "o", color=line.get_color(), ms=4)
            ax.set(title=f"{phase}: sigma_w^2 = {format_number(PHASES[phase])}", xlabel="layer", ylim=(0, 1.02),
                   ylabel="correlation (dots: engine, dashes: theory)")
            ax.legend(fontsize=10)
        for ax, (key, r) in zip(fig.axes, result.items()) if name == "jacobian_spectra" else ():
            for depth, sv in zip(r["depths"], r["singular_values"]):
                ax.hist(np.log10(np.maximum(sv, 1e-4)), bins=60, range=(-4, 2), histtype="step", density=True,
                        label=f"L = {depth}")
            ax.set(title=f"{key}: sigma_w^2 = {format_number(r['sigma_w2'])}", yscale="log",
                   xlabel="log10 singular value (below 1e-4 at -4)")
            ax.legend(fontsize=8)
        for ax, what in zip(fig.axes[4:], ("mean_sq", "spread")) if name == "jacobian_spectra" else ():
            for key, r in result.items():
                ax.plot(r["depths"], r[what], "o-", label=key)
            if what == "mean_sq":
                ax.plot(r["depths"], r["theory"], "k--", label="theory: chi_1^L")
            ax.set(xscale="log", yscale="log", xlabel="depth L", title="mean squared singular value" if what ==
                   "mean_sq" else "spread: Var(s^2) / mean(s^2)^2")
            ax.set_xticks(r["depths"], r["depths"])
            ax.xaxis.set_minor_formatter("")
            ax.legend(fontsize=9)
    return fig
