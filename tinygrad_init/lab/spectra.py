"""Signal propagation measured with the tensor engine beside the edge-of-chaos theory (`theory`): `correlations`,
`trainability` (Schoenholz et al. 2017), `jacobian_spectra` (Pennington, Schoenholz & Ganguli 2017), `phase_diagram`.
Each returns plain numbers; `figure` (one slide each) and `finding` show them, `chaos_section` and `isometry_section`
are the report's sections."""

from __future__ import annotations

import itertools
import json
import math
from functools import partial
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from .. import nn
from ..core.tensor import Tensor, enable_grad, no_grad
from ..nn import activations as _acts, init
from ..utils import Rng, as_rng, as_seed, check_bool, check_choice, check_int, check_real, format_number, ratio, quoted
from ..utils import counted, ordered
from . import theory
from .diagnostics import fit
from .training import deep_mlp, seeds_of
from .plots import SLIDE, legend_below, log_axis, mpl, ridges, slide_figure, slide_style
from .table import ExperimentResult, Table, band, span

__all__ = ["network", "correlations", "trainability", "jacobian_spectra", "phase_diagram", "figure", "finding",
           "SHIPPED", "REGENERATE", "chaos_section", "isometry_section"]

#: The shipped result of `tinygrad-init chaos`.
SHIPPED = Path(__file__).with_name("data") / "chaos_heatmap.json"
#: tanh at sigma_b^2 = 0.05 (Schoenholz et al. 2017, Fig. 1): ordered, critical (~1.76) and chaotic.
PHASES = {"ordered": 1.0, "critical": theory.critical_sigma_w2("tanh", 0.05), "chaotic": 3.0}
#: Named schemes on the phase diagram: sigma_w^2 with zero biases.
SCHEMES = {"LeCun / Xavier": 1.0, "He": 2.0, "tanh gain 5/3 (PyTorch)": 25 / 9}


def network(depth: int, width: int, activation: str, sigma_w2: float, sigma_b2: float = 0.0, *,
            orthogonal: bool = False, inputs: int | None = None, outputs: int | None = None, rng: Rng = 0,
            dtype: Any = np.float64) -> nn.Sequential:
    """`depth` layers `Linear` + activation of `width` units (the first from `inputs`; a last `Linear` to `outputs`),
    `Var(W) = sigma_w^2 / fan_in` (Gaussian or scaled orthogonal), biases `N(0, sigma_b^2)`."""
    sigma_w2, sigma_b2 = (check_real("network", k, v, 0.0) for k, v in (("sigma_w2", sigma_w2), ("sigma_b2", sigma_b2)))
    def scaled(shape: tuple[int, int], rng: Any = None, dtype: Any = np.float64) -> np.ndarray:  # gain^2/max(fans)
        return init.orthogonal(shape, rng, dtype, gain=math.sqrt(sigma_w2 * max(shape[1] / shape[0], 1.0)))

    w = scaled if check_bool("network", "orthogonal", orthogonal) else partial(init.variance_scaling, scale=sigma_w2)
    return theory.renamed("network", deep_mlp, depth, width, activation, w, rng, bias=True, dtype=dtype,
                          input_width=inputs if inputs is None else check_int("network", "inputs", inputs, 1),
                          outputs=outputs, bias_init=init.get("normal", std=math.sqrt(sigma_b2)))


def _each(fn: str, name: str, values: Any, check: Callable[..., Any], *bounds: Any, **kw: Any) -> list:
    """`values` (one or more), each checked by `check(fn, name, value, *bounds, **kw)`."""
    why = f"{fn}: {name} must list one or more values, got {values!r:.60}"
    if not isinstance(values, (list, tuple, range, np.ndarray)) or not ordered(values):  # a 0-d array: no len()
        raise TypeError(why)
    if not len(values):
        raise ValueError(why)
    return [check(fn, name, v, *bounds, **kw) for v in values]


@threadpool_limits.wrap(1, "blas")  # one BLAS thread: the sums' order does not depend on the core count
def correlations(depth: int = 30, width: int = 500, starts: Sequence[float] = (0.2, 0.9), sigma_b2: float = 0.05,
                 networks: int = 8, pairs: int = 8, rng: Rng = 0) -> dict[str, Any]:
    """Correlation `c_l = y_1 . y_2 / (|y_1| |y_2|)` of two inputs' pre-activations at each layer of tanh networks in
    each phase (`PHASES`, the critical `sigma_w^2` that of `sigma_b2`), averaged over `pairs` input pairs per start
    `c_0` and over `networks` networks; the inputs are scaled so that `q_1 = q*`. The theory iterates the correlation
    map from the measured `c_1`."""
    fn, starts = "correlations", _each("correlations", "starts", starts, check_real, -1.0, 1.0)
    depth, width, networks, pairs = (check_int(fn, k, v, 1) for k, v in (("depth", depth), ("width", width), (
        "networks", networks), ("pairs", pairs)))
    sigma_b2 = check_real(fn, "sigma_b2", sigma_b2, 0.0)
    gen, out, c0 = as_rng(rng, fn), {}, np.array(starts)[:, None, None]
    if not 1.0 < (critical := theory.critical_sigma_w2("tanh", sigma_b2)) < 3.0:
        raise ValueError(f"{fn}: sigma_b2 = {sigma_b2:g} puts the critical sigma_w^2 at {critical:.3g}, not between "
                         "the ordered 1 and the chaotic 3; take a sigma_b2 in (0, 0.5]")
    for phase, sw in {**PHASES, "critical": critical}.items():
        q = theory.fixed_point("tanh", sw, sigma_b2).q
        measured = np.zeros((len(starts), depth))
        for _ in range(networks):
            z = gen.standard_normal((2, len(starts), pairs, width))
            h = np.stack([z[0], c0 * z[0] + np.sqrt(1 - c0 * c0) * z[1]]) * math.sqrt((q - sigma_b2) / sw)
            h, net = Tensor(h.reshape(-1, width)), theory.renamed(fn, network, depth, width, "tanh", sw, sigma_b2,
                                                                  rng=gen)
            with no_grad():
                for l, (lin, act) in enumerate(zip(net[::2], net[1::2])):
                    y = lin(h)
                    a, b = y.data.reshape(2, len(starts), pairs, width)
                    measured[:, l] += ((a * b).sum(-1) / np.sqrt((a * a).sum(-1) * (b * b).sum(-1))).mean(1) / networks
                    h = act(y)
        for start, m in zip(starts, measured):
            pred = list(itertools.accumulate(range(depth - 1), lambda c, _: theory.correlation_map(
                "tanh", c, sw, sigma_b2, q=q), initial=min(max(float(m[0]), -1.0), 1.0)))  # (a cosine's rounding)
            out[f"{phase}, c0 = {start:g}"] = dict(sigma_w2=sw, sigma_b2=sigma_b2, measured=m.tolist(), theory=pred,
                                                   width=width, networks=networks)
    return out


@threadpool_limits.wrap(1, "blas")  # one BLAS thread: the sums' order does not depend on the core count
def trainability(quick: bool = False, *, sigma_w2s: Sequence[float] | None = None, depths: Sequence[int] | None = None,
                 sigma_b2: float = 0.05, width: int = 64, steps: int | None = None, lr: float = 0.01,
                 rng: Rng = 0) -> dict[str, Any]:
    """Training accuracy of tanh `network`s over depth x `sigma_w^2` after `steps` of SGD (batch 64) on 512 points `x
    ~ N(0, I_16)` labelled by the largest of 4 random linear functions: trainable up to about `6 xi_c` (Schoenholz et
    al. 2017). Defaults: `sigma_w2s` 0.5 to 4 (11 values), `depths` 2 to 96 (9), `steps` 300; `quick`: 0.5, 1.76, 4 x
    4, 16, 64 and 100 steps; explicit arguments win. `tinygrad-init chaos` regenerates the shipped result, `SHIPPED`;
    the result's `command` is what makes it again (that command at its settings and an int seed, else this call)."""
    fn, quick = "trainability", check_bool("trainability", "quick", quick)
    given = {k: v for k, v, by in (("sigma_w2s", sigma_w2s, None), ("depths", depths, None), ("steps", steps, None),
                                   ("sigma_b2", sigma_b2, 0.05), ("width", width, 64), ("lr", lr, 0.01))
             if v is not by and (by is None or v != by)}  # what the command does not set
    grid = ((0.5, 1.76, 4.0), (4, 16, 64), 100) if quick else (
        (0.5, 0.75, 1.0, 1.25, 1.5, 1.76, 2.0, 2.5, 3.0, 3.5, 4.0), (2, 4, 8, 16, 24, 32, 48, 64, 96), 300)
    sws, depths, steps = (d if v is None else v for v, d in zip((sigma_w2s, depths, steps), grid))
    sws, depths = _each(fn, "sigma_w2s", sws, check_real, 0.0, low_open=True), _each(fn, "depths", depths, check_int, 1)
    steps, width, gen = check_int(fn, "steps", steps, 1), check_int(fn, "width", width, 1), as_rng(rng, fn)
    sigma_b2 = check_real(fn, "sigma_b2", sigma_b2, 0.0)  # as network checks it, in the name of the function called
    lr = check_real(fn, "lr", lr, 0.0, float(np.finfo(np.float32).max), low_open=True)  # SGD's bound for float32
    teacher, X = gen.standard_normal((16, 4)), gen.standard_normal((512, 16)).astype(np.float32)
    y, acc = (X @ teacher).argmax(axis=1), []
    for sw in sws:
        acc.append([])
        for depth in depths:
            seed = int(gen.integers(2 ** 31))
            model = theory.renamed(fn, network, depth, width, "tanh", sw, sigma_b2, inputs=16, outputs=4, rng=seed,
                                   dtype=np.float32)
            theory.renamed(fn, fit, model, X, y, steps, lr, rng=seed)
            with no_grad():
                z = model(Tensor(X)).data  # nan logits (diverged): no prediction, nan, not argmax's class 0
                acc[-1].append(float(np.mean(np.where(np.isnan(z).any(axis=1), np.nan, z.argmax(axis=1) == y))))
    return {"sigma_w2": sws, "depth": depths, "accuracy": acc, "sigma_b2": sigma_b2, "width": width,
            "steps": steps, "lr": lr, "chance": float(np.max(np.bincount(y)) / len(y)),
            "command": _made_by(quick, given, rng)}


def _made_by(quick: bool, given: dict[str, Any], rng: Rng) -> str:
    """What makes a trainability result again: `tinygrad-init chaos` at the command's settings, else the call."""
    seed = as_seed(rng)  # None for a Generator: no seed to name
    if not given and seed is not None:
        return "tinygrad-init chaos" + " --quick" * quick + f" --seed {seed}" * bool(seed)
    args = ["quick=True"] * quick + [f"{k}={np.asarray(v).tolist()!r}" for k, v in given.items()]
    unseeded = "rng=<a Generator>" if rng is not None else "rng=None (unseeded: no call makes it again)"
    return f"spectra.trainability({', '.join([*args, unseeded if seed is None else f'rng={seed}'])})"


@threadpool_limits.wrap(1, "blas")  # one BLAS thread: the sums' order does not depend on the core count
@enable_grad()  # it measures gradients, also when called inside no_grad()
def jacobian_spectra(depths: Sequence[int] = (2, 4, 8, 16, 32, 64), width: int = 200, networks: int = 3,
                     sigma_b2: float = 1e-4, rng: Rng = 0) -> dict[str, Any]:
    """Singular values of the input-output Jacobian `J = d h_L / d h_0` at one input (row `i` of `J` is the input's
    gradient from the identity's row `i`), pooled over `networks` per depth, for tanh at criticality (`q*` small) and
    ReLU with He, Gaussian and orthogonal weights; the mean of `s^2` beside the theory's `chi_1^L` and the spread
    `Var(s^2) / mean(s^2)^2` (0 for an isometry: only orthogonal tanh near `q* = 0` keeps the spectrum near 1).
    The time grows as `networks x sum(depths) x width^3` (about 10 s at the defaults, minutes at 1000 units); a
    network whose weights and `width` copies of the input kept for backward pass 5e8 numbers is refused."""
    fn, gen, out = "jacobian_spectra", as_rng(rng, "jacobian_spectra"), {}
    depths, width = _each(fn, "depths", depths, check_int, 1), check_int(fn, "width", width, 1)
    networks, sigma_b2 = check_int(fn, "networks", networks, 1), check_real(fn, "sigma_b2", sigma_b2, 0.0)
    if (n := 2 * max(depths) * width * width) > 5e8:  # before any network: the deepest's, measured 2.3-2.8 x this
        raise ValueError(f"jacobian_spectra: depth {max(depths):.3g} and width {width:.3g} keep {n:.3g} weights and "
                         "activations for backward, beyond 5e8 (4 GB as float64); take fewer layers or units")
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
                    theory.renamed(fn, network, depth, width, act, sw, sb, orthogonal=ortho, rng=gen)(x).backward(
                        np.eye(width))
                    s.append(np.linalg.svd(x.grad, compute_uv=False))
                lam = np.concatenate(s) ** 2
                res["singular_values"].append(np.sqrt(lam).tolist())
                res["mean_sq"].append(float(lam.mean()))
                res["spread"].append(ratio(lam.var(), lam.mean() ** 2))
            out[f"{act}, {'orthogonal' if ortho else 'Gaussian'}"] = res
    return out


def phase_diagram(activation: str = "tanh", sigma_w2: tuple[float, float] = (0.5, 4.0),
                  sigma_b2: tuple[float, float] = (0.0, 0.5), n: int = 41, *,
                  negative_slope: float = _acts.NEGATIVE_SLOPE) -> dict[str, Any]:
    """`log chi_1` over a grid of `(sigma_w^2, sigma_b^2)`, `n x (n // 2 + 1)` points (`log_chi1[i][j]` at
    `sigma_b2[i]`, `sigma_w2[j]`; `n` at most 1001, whose grid takes minutes for tanh), and the critical line `chi_1 =
    1` at `n // 2 + 1` values of `sigma_b^2`; leaky_relu of `negative_slope`, as in `theory` (the result keeps it)."""
    fn, activation = "phase_diagram", _acts.get(activation, where="phase_diagram").name
    slope = _acts.check_slope(fn, "negative_slope", negative_slope)
    for k, v in (("sigma_w2", sigma_w2), ("sigma_b2", sigma_b2)):
        if len(_each(fn, k, v, check_real, 0.0, low_open=k == "sigma_w2")) != 2 or v[0] >= v[1]:
            raise ValueError(f"{fn}: {k} must be a (low, high) pair, low < high, got {quoted(v)}")
    ws, bs = np.linspace(*sigma_w2, n := check_int(fn, "n", n, 2, maximum=1001)), np.linspace(*sigma_b2, n // 2 + 1)
    chi = [[math.log(theory.renamed(fn, theory.chi1, activation, w, b, negative_slope=slope)) for w in ws] for b in bs]
    line = sigma_b2[0] + (sigma_b2[1] - sigma_b2[0]) * np.linspace(0, 1, n // 2 + 1) ** 2  # dense where it is steep
    return {"sigma_w2": ws.tolist(), "sigma_b2": bs.tolist(), "log_chi1": chi, "critical_b2": line.tolist(),
            "critical_w2": [theory.critical_sigma_w2(activation, b, negative_slope=slope) for b in line],
            "activation": activation, **({"negative_slope": slope} if activation == "leaky_relu" else {})}


def _named(result: dict[str, Any]) -> tuple[str, float, str]:
    """A phase diagram's activation, its slope (leaky_relu's) and its name on a slide: with a slope not PyTorch's."""
    act, slope = result.get("activation", "tanh"), result.get("negative_slope", _acts.NEGATIVE_SLOPE)
    return act, slope, act + f" (negative_slope {format_number(slope)})" * (slope != _acts.NEGATIVE_SLOPE)


def _check_result(fn: str, name: Any, result: Any) -> str:
    """`name` (a function whose result `figure` and `finding` show) if `result` has the shape of what it returns."""
    shapes = {"correlations": ("measured", True), "trainability": ("accuracy", False),  # a key of it (of each part)
              "jacobian_spectra": ("spread", True), "phase_diagram": ("log_chi1", False)}
    name = check_choice(fn, "name", name, tuple(shapes))
    key, nested = shapes[name]
    parts = list(result.values()) if nested and isinstance(result, dict) else [result]
    if not isinstance(result, dict) or not result or not all(isinstance(r, dict) and key in r for r in parts):
        raise TypeError(f"{fn}: result must be what {name}() returns (a dict{' of dicts' * nested} with {key!r}), "
                        f"got {type(result).__name__} {result!r:.60}")
    return name


def _phase(chi: float, act: str = "tanh") -> str:
    """The phase of `chi_1`; the ReLU family (`f(a u) = a f(u)`: its correlations reach 1 at every `sigma_w^2`) has no
    chaos, its `chi_1 > 1` is a gradient growing layer by layer, "exploding"."""
    big = "exploding" if _acts.get(act).moments else "chaotic"
    return "ordered" if chi < 1 - 1e-9 else big if chi > 1 + 1e-9 else "critical"


def _seeds(result: dict[str, Any]) -> int:
    """How many seeds a `jacobian_spectra` result gives the medians of (`isometry_section`'s), or 0 (one run's)."""
    first = next(iter(result.values()))
    return len(first.get("seeds", [])) if "spread_min" in first and "mean_sq_min" in first else 0


def finding(name: str, result: dict[str, Any]) -> str:
    """What `figure(name, result)` shows, in one or two sentences computed from `result`."""
    f, name = format_number, _check_result("finding", name, result)
    if name == "phase_diagram":
        act, slope, label = _named(result)
        chi, (start, moved) = {k: theory.chi1(act, w, negative_slope=slope) for k, w in SCHEMES.items()}, (
            theory.critical_sigma_w2(act, b, negative_slope=slope) for b in (0.0, 0.05))
        # 3 digits, more (up to 6) where x would read as a different `ref`: leaky ReLU's line at 1.9998 is not He's 2
        near = lambda x, *ref: next(f(x, d) for d in range(3, 7) if d == 6 or all(  # noqa: E731
            x == r or f(x, d) != f(r, d) for r in ref))
        return (f"Without biases the critical line of {label} starts at sigma_w^2 = " + near(start, *SCHEMES.values()) +
                "; on the axis sigma_b^2 = 0: " + "; ".join(f"{k} (sigma_w^2 = {f(SCHEMES[k], 3)}) has chi_1 = "
                                                           f"{near(c, 1)}, {_phase(c, act)}" for k, c in chi.items()) +
                (f". With sigma_b^2 = 0.05 the line moves to sigma_w^2 = {f(moved, 4)}." if moved != start else "."))
    if name == "correlations":
        first = next(iter(result.values()))
        ends = "; ".join(f"{k}: {f(r['measured'][-1], 2)} (theory {f(r['theory'][-1], 2)})" for k, r in result.items())
        worst = max(abs(m - t) for r in result.values() for m, t in zip(r["measured"], r["theory"]))
        cstar = {k.split(",")[0]: theory.correlation_fixed_point("tanh", r["sigma_w2"], r.get("sigma_b2", 0.05))
                 for k, r in result.items()}
        size = (f" ({counted(first['width'], 'unit')}, {counted(first['networks'], 'network')})" if "width" in first
                else "")
        layers = counted(len(first["measured"]), "layer")
        return (f"After {layers} the two inputs' correlation is {ends}; engine{size} and theory differ by at most "
                f"{f(worst, 2)} at any layer" + ": the theory is the limit of infinite width, and a finite network "
                "scatters around it, the less the wider it is" * bool(size) + ". The fixed point c* is " + ", ".join(
                    f"{f(c, 2)} ({p})" for p, c in cstar.items()) + ": ordered networks map every pair of inputs "
                "to the same output, chaotic ones decorrelate even close inputs.")
    if name == "trainability":
        acc, ok = np.array(result["accuracy"]), (result["chance"] + 1) / 2
        deep = np.array([[d > 6 * xi for d in result["depth"]] for w in result["sigma_w2"]
                         for xi in [theory.depth_scales("tanh", w, result["sigma_b2"])[1]]])
        return (f"{np.sum(acc[~deep] >= ok)} of the {counted(np.sum(~deep), 'network')} within 6 xi_c reach a training "
                f"accuracy of {f(ok, 3)} (halfway from chance to 1) in {counted(result['steps'], 'step')}, against "
                f"{np.sum(acc[deep] >= ok)} of the {np.sum(deep)} deeper ones.")
    deepest = {k: (r["spread"][-1], r["mean_sq"][-1], r["theory"][-1]) for k, r in result.items()}
    narrow = [k for k, v in deepest.items() if v[0] < 1 and 0.5 < v[1] < 2]  # narrow, and about 1
    scatters = any(not 0.5 < m / t < 2 for _, m, t in deepest.values())
    seeds = _seeds(result)  # over seeds (isometry_section): the seeds' lowest-highest follow

    def seen(k: str, key: str, brackets: str = "{}") -> str:  # the seeds' lowest-highest at the deepest
        return brackets.format(span(result[k][f"{key}_min"][-1], result[k][f"{key}_max"][-1], partial(f, digits=2)))

    notes = ([f"medians of {counted(seeds, 'seed')}; seed by seed " + ", ".join(seen(k, "mean_sq") for k in result)]
             if seeds > 1 else []) + ["the networks' means are skewed around chi_1^L, their average: most fall "
                                      "below it and a few far above, the more so the deeper and narrower the "
                                      "network"] * scatters + [
        "a spread of nan is 0/0: every singular value 0, a Jacobian that passes no gradient back"] * any(
        math.isnan(v[0]) for v in deepest.values())
    return (f"At depth {next(iter(result.values()))['depths'][-1]} the spread Var(s^2) / mean(s^2)^2 of the Jacobian's "
            "squared singular values is " + ", ".join(f"{f(v[0], 2)} for {k}" + (
                seen(k, "spread", " [{}]") if seeds > 1 else "") for k, v in deepest.items())
            + "; the mean squared singular value (theory chi_1^L = " + ", ".join(f(v[2], 2) for v in deepest.values())
            + ") measures " + ", ".join(f(v[1], 2) for v in deepest.values()) + f" ({'; '.join(notes)})" * bool(notes)
            + ". " + (
                f"Only {' and '.join(narrow)} keep{'s' * (len(narrow) == 1)} the whole spectrum near 1 (dynamical "
                "isometry; here: a spread below 1 and a mean of s^2 between 0.5 and 2): the same mean, a different "
                "shape." if narrow else
                "No configuration keeps the spectrum near 1."))


def figure(name: str, result: dict[str, Any]) -> Any:
    """Draw `result` of `correlations`, `trainability`, `jacobian_spectra` or `phase_diagram` (`name`) on one slide."""
    name = _check_result("figure", name, result)
    rows, cols, size, bottom = {"correlations": (1, 3, (SLIDE[0], 5.4), 1.45), "jacobian_spectra": (
        2, 3, SLIDE, 1.55)}.get(name, (1, 1, (10, 6.2), 1.6 if name == "phase_diagram" else 1.2))
    with slide_style():  # a colour bar beside a single panel
        fig = slide_figure(rows, cols, size, top=0.8 if name in ("correlations", "trainability") else 0.5,
                           bottom=bottom, left=1.0 if rows == 1 else 0.9, right=0.3,
                           wgap=0.55 if name == "correlations" else 1.8, hgap=0.9, sharey=name == "correlations")
        ax, handles = fig.axes[0], []
        if name == "phase_diagram":
            chi, big = np.array(result["log_chi1"]), _phase(2.0, result.get("activation", "tanh"))  # chaotic/exploding
            m = ax.pcolormesh(result["sigma_w2"], result["sigma_b2"], chi, shading="nearest", cmap="RdBu_r",
                              norm=mpl().colors.TwoSlopeNorm(0.0, min(chi.min(), -1e-3), max(chi.max(), 1e-3)))
            fig.colorbar(m, ax=ax, label=f"log chi_1  (< 0 ordered, > 0 {big})", pad=0.02)
            handles += ax.plot(result["critical_w2"], result["critical_b2"], "k-", lw=3,
                               label="critical line chi_1 = 1")
            ws, bs = np.array(result["sigma_w2"]), np.array(result["sigma_b2"])
            inside = lambda w, b: ws[0] <= w <= ws[-1] and bs[0] <= b <= bs[-1]  # noqa: E731 (a mark outside: none)
            for (label, w), marker, color in zip(SCHEMES.items(), "osD", ("#009E73", "#CC79A7", "#E69F00")):
                if inside(w, 0.0):
                    handles += ax.plot([w], [0.0], marker, ms=13, mec="black", color=color, clip_on=False,
                                       label=f"{label}: sigma_w^2 = {format_number(w, 3)}")
            if result.get("activation", "tanh") == "tanh" and (at := [w for w in PHASES.values() if inside(w, 0.05)]):
                handles += ax.plot(at, [0.05] * len(at), "X", ms=11, color="white", mec="black",  # where
                                   label="correlations measured (sigma_b^2 = 0.05)")  # `correlations` measures them
            for text, x, y, sign in (("ordered", 0.12, 0.8, -1), (big, 0.85, 0.25, 1)):  # each phase of the grid named
                x, y, cells = ws[0] + x * np.ptp(ws), bs[0] + y * np.ptp(bs), np.argwhere(sign * chi > 0)  # at a spot,
                if len(cells) and sign * chi[np.abs(bs - y).argmin(), np.abs(ws - x).argmin()] <= 0:  # or if the other
                    i, j = cells[np.abs(cells - cells.mean(axis=0)).sum(axis=1).argmin()]  # phase is there, its cell
                    x, y = ws[j], bs[i]  # nearest the middle of its cells
                if len(cells):
                    ax.text(x, y, text, fontsize=16, ha="center", weight="bold")
            box = m.get_datalim(ax.transData)  # the grid's cells: the critical line stops at their edge
            ax.set(xlim=box.intervalx, ylim=box.intervaly)
            ax.set(xlabel="sigma_w^2 = fan_in Var(W)", ylabel="sigma_b^2 = Var(b)",
                   title=f"{_named(result)[2]}: order and {'chaos' * (big == 'chaotic') or 'explosion'}")
            ax.grid(False)
        elif name == "trainability":
            acc, nan = np.array(result["accuracy"], dtype=np.float64).T, "#1E90FF"  # no colour of magma's; left blank,
            m = ax.pcolormesh(*map(_edges, (result["sigma_w2"], result["depth"])), acc, vmin=result["chance"],
                              vmax=1, cmap=mpl().colormaps["magma"].with_extremes(bad=nan))  # a diverged net looked ~1
            fig.colorbar(m, ax=ax, label="training accuracy", pad=0.02)
            critical = theory.critical_sigma_w2("tanh", result["sigma_b2"])  # the curve diverges there: points near it
            fine = np.concatenate([np.linspace(result["sigma_w2"][0], critical, 10)[:-1], critical * (1 + np.array(
                [-0.04, -0.015, 0.015, 0.04, 0.1])), np.linspace(critical * 1.25, result["sigma_w2"][-1], 6)])
            handles += ax.plot(fine, [6 * theory.depth_scales("tanh", w, result["sigma_b2"])[1] for w in fine], "c-",
                               lw=3, label="6 xi_c: the depth scale of Schoenholz et al. x 6")
            ax.axvline(critical, color="white", ls=":", lw=2.5)
            handles.append(mpl().lines.Line2D([], [], color="#555555", ls=":", lw=2.5, label=f"critical sigma_w^2 = "
                                  f"{format_number(critical, 3)} (sigma_b^2 = {format_number(result['sigma_b2'])})"))
            handles += [mpl().patches.Patch(color=nan, label="nan: diverged")] * bool(np.isnan(acc).any())
            # x: the cells, not the 6 xi_c curve's or the critical line's points beyond them (a blank strip)
            ax.set(xlabel="sigma_w^2", ylabel="depth", yscale="log", xlim=m.get_datalim(ax.transData).intervalx,
                   ylim=(min(result["depth"]) / 1.2, max(result["depth"]) * 1.2), title=f"tanh, width "
                   f"{result['width']}: training accuracy after {result['steps']} SGD steps\n(made by "
                   f"{result['command']})")
            ax.set_yticks(result["depth"], result["depth"], minor=False)  # the grid measured, as on the x axis:
            ax.set_xticks(result["sigma_w2"], [format_number(w, 3) for w in result["sigma_w2"]])  # not 0, 1, ... 5
            ax.minorticks_off()
            ax.grid(False)
        elif name == "correlations":
            phases = {k.split(",")[0]: (r["sigma_w2"], r.get("sigma_b2", 0.05)) for k, r in result.items()}
            low = min(0.0, *(min(r["measured"] + r["theory"]) for r in result.values()))  # a start below 0: shown
            for ax, (phase, (sw, sb)) in zip(fig.axes, phases.items()):
                for i, (key, r) in enumerate((k, r) for k, r in result.items() if k.startswith(phase)):
                    color, x = ("#0072B2", "#D55E00")[i % 2], np.arange(1, len(r["theory"]) + 1)
                    ax.plot(x, r["theory"], "--", color=color, lw=2)
                    ax.plot(x, r["measured"], "o", color=color, ms=5, label=key.split(", ")[1])
                ax.axhline(theory.correlation_fixed_point("tanh", sw, sb), color="#333333", ls=":", lw=1.5)
                ax.set(title=f"{phase}: sigma_w^2 = {format_number(sw, 3)}\nchi_1 = "
                       f"{format_number(theory.fixed_point('tanh', sw, sb).chi, 3)}", xlabel="layer",
                       ylim=(low - 0.04 * (low < 0), 1.04))
            fig.axes[0].set_ylabel("correlation of two inputs")
            handles += fig.axes[0].get_lines()[1::2] + [
                mpl().lines.Line2D([], [], color="#555555", marker="o", ls="", label="measured with the engine"),
                mpl().lines.Line2D([], [], color="#555555", ls="--", label="theory (the correlation map)"),
                mpl().lines.Line2D([], [], color="#333333", ls=":", label="its fixed point c*")]
        else:
            _spectra(fig, result, handles)
        legend_below(fig, handles, {"phase_diagram": 2, "trainability": 2, "correlations": 5}.get(name, 3))
    return fig


def _edges(v: Sequence[float]) -> np.ndarray:
    """The edges of cells centred on `v`, as `shading="nearest"` draws them (midway, the ends half a gap out); one
    value's from `v / 1.2` to `v * 1.2` (nearest gives it no width: a heatmap of one sigma_w^2 drew nothing)."""
    v = np.asarray(v, dtype=np.float64)
    if len(v) == 1:
        return np.array([v[0] / 1.2, v[0] * 1.2])
    mid = (v[1:] + v[:-1]) / 2.0
    return np.concatenate([[2.0 * v[0] - mid[0]], mid, [2.0 * v[-1] - mid[-1]]])


def _spectra(fig: Any, result: dict[str, Any], handles: list) -> None:
    """The Jacobian figure: ridges of log10 singular values by depth per configuration, beside the mean of `s^2`
    against `chi_1^L` and the spread against the depth."""
    keys, colors = list(result), ("#0072B2", "#009E73", "#D55E00", "#CC79A7")
    for ax, key, color in zip([fig.axes[i] for i in (0, 1, 3, 4)], keys, colors):
        r = result[key]
        logs = [np.log10(np.maximum(sv, 1e-300)) for sv in r["singular_values"]]
        outside = [((np.mean(v > 1), "> 10"), (np.mean(v < -4), "< 1e-4")) for v in logs]  # not in the histogram
        ridges(ax, r["depths"], [(-4.0, 1.0, np.histogram(v, 25, (-4.0, 1.0))[0]) for v in logs],
               ["\n".join(f"{format_number(100 * p, 2)}% {t}" for p, t in o if p) for o in outside], color)
        ax.axvline(0.0, color="#333333", ls=":", lw=1.5)
        ax.set(title=f"{key}, sigma_w^2 = {format_number(r['sigma_w2'], 3)}", ylabel="depth L",
               xlabel="log10 singular value")
    for ax, what in ((fig.axes[2], "mean_sq"), (fig.axes[5], "spread")):
        for i, (key, color) in enumerate(zip(keys, colors)):
            r = result[key]
            x = np.array(r["depths"]) * 1.06 ** (i - 1.5)
            handles += ax.plot(x, r[what], "osD^"[i], ls="-", color=color, label=key)
            if f"{what}_min" in r:  # over seeds: the median, and a band from the lowest to the highest
                ax.fill_between(x, r[f"{what}_min"], r[f"{what}_max"], color=color, alpha=0.15, lw=0)
        depths = result[keys[0]]["depths"]
        ref = (result[keys[0]]["theory"], "--", "theory chi_1^L (every case)") if what == "mean_sq" else (
            depths, "-.", "L: a product of L Gaussian matrices")
        handles += ax.plot(depths, ref[0], ref[1], color="#333333", lw=1.5, label=ref[2], ms=24,  # one depth: a
                           marker="_" if len(depths) == 1 else "None")  # line through one point draws nothing
        ax.set(xscale="log", xlabel="depth L", title="mean of s^2" if what == "mean_sq" else
               "spread Var(s^2) / mean(s^2)^2")
        ax.set_xticks(depths, depths)
        ax.xaxis.set_minor_formatter("")
        log_axis(ax, (1.0, 2.0, 5.0) if what == "mean_sq" else (1.0,))
    if seeds := _seeds(result):
        handles.append(mpl().patches.Patch(color="#bbbbbb", label=f"median of {counted(seeds, 'seed')}, band: "
                                           "lowest-highest (ridges: pooled)"))


#: How `tinygrad_init/lab/data/chaos_heatmap.json` (`SHIPPED`) is made again, from the repository's root.
REGENERATE = "tinygrad-init chaos --json tinygrad_init/lab/data/chaos_heatmap.json"


def chaos_section(rng: Rng = 0, quick: bool = False) -> ExperimentResult:
    """The report's section "The edge of chaos": `phase_diagram` (41 x 21 points; `quick`: 21 x 11), `correlations`
    (30 layers of 200 units, 2 networks x 8 pairs; `quick`: 20 layers of 100, 1 x 4) and the `SHIPPED` heatmap (not
    recomputed: `REGENERATE` makes it again)."""
    L, width, networks, pairs = (20, 100, 1, 4) if check_bool("chaos_section", "quick", quick) else (30, 200, 2, 8)
    seed = as_seed(rng, "chaos_section")
    corr = correlations(L, width, networks=networks, pairs=pairs, rng=rng)
    heat = json.loads(SHIPPED.read_text("utf-8"))
    res = {"phase_diagram": phase_diagram(n=21 if quick else 41), "correlations": corr, "trainability": heat}
    rows = [[p, w, 0.05, theory.fixed_point("tanh", w, 0.05).chi, theory.depth_scales("tanh", w, 0.05)[1],
             theory.correlation_fixed_point("tanh", w, 0.05)] + [corr[f"{p}, c0 = {c:g}"]["measured"][-1]
                                                                  for c in (0.2, 0.9)] for p, w in PHASES.items()]
    main = Table(["phase", "sigma_w2", "sigma_b2", "chi_1", "xi_c", "c_star", f"c_{L}_from_0.2", f"c_{L}_from_0.9"],
                 rows, title="tanh in each phase: theory and the correlation measured at the last layer",
                 notes=["xi_c diverges on the critical line (inf): there the correlation approaches c* more "
                        "slowly than any exp(-depth / xi)"])
    schemes = Table(["scheme", "sigma_w2", "chi_1", "phase"], [[k, w, c, _phase(c)] for k, w in SCHEMES.items()
                    for c in [theory.fixed_point("tanh", w).chi]], title="The named schemes with tanh, no biases")
    return ExperimentResult(
        "chaos", "The edge of chaos", "Where do the schemes sit between order and chaos, and how deep can a network "
        "be and still train?", {"main": main, "schemes": schemes}, res,
        {"correlations": {"depth": L, "width": width, "sigma_b2": 0.05}, "seed": seed, "heatmap": str(SHIPPED.name)},
        [finding(n, r) for n, r in res.items()] + [
            f"The heatmap is a shipped result ({heat['width']} units, {heat['steps']} steps, {len(heat['sigma_w2'])} x "
            f"{len(heat['depth'])} networks on a 16-input toy task: about a minute; Schoenholz et al. trained on MNIST "
            f"and CIFAR-10), not recomputed here; `{REGENERATE}` makes it again (byte for "
            "byte with the BLAS kernel that made it; with another, deep networks near the edge of chaos may train "
            "otherwise)."],
        {n: partial(figure, n, r) for n, r in res.items()})


def isometry_section(rng: Rng = 0, quick: bool = False) -> ExperimentResult:
    """The report's section "Jacobian spectra": `jacobian_spectra` at depths 2 to 64, 100 units (`quick`: 48), one
    network at each of 5 seeds (`quick`: 3; `rng = s`: seeds s, s + 1, ..., as `training.seeds_of`), with what a
    student should see in words. Table and findings: the median over the seeds with the lowest and highest; the
    figure: the seeds' singular values pooled, and the medians with their band."""
    depths, width = ((2, 8, 32, 64), 48) if check_bool("isometry_section", "quick", quick) else (
        (2, 4, 8, 16, 32, 64), 100)
    seeds = seeds_of(rng, None, quick, "isometry_section")[1]
    runs = [jacobian_spectra(depths, width, 1, rng=s) for s in seeds]
    per = {k: {"mean_sq": [run[k]["mean_sq"] for run in runs], "spread": [run[k]["spread"] for run in runs],
               "below_1e-4": [[np.mean(np.array(sv) < 1e-4) for sv in run[k]["singular_values"]] for run in runs]}
           for k in runs[0]}  # each seed's, by depth
    bands = {k: {q: np.array(band(v)) for q, v in p.items()} for k, p in per.items()}  # (median, min, max) x depths
    r = {k: {**v, "seeds": seeds, "singular_values": [sum(sv, []) for sv in zip(*(run[k]["singular_values"]
                                                                                  for run in runs))],
             **{q + e: b.tolist() for q in ("mean_sq", "spread") for e, b in zip(("", "_min", "_max"), bands[k][q])}}
         for k, v in runs[0].items()}  # the seeds' singular values pooled by depth, their statistics banded
    iso, f, n = np.array(r["tanh, orthogonal"]["singular_values"][-1]), partial(format_number, digits=2), len(seeds)
    ends = np.percentile([run["tanh, orthogonal"]["singular_values"][-1] for run in runs], (5, 95), axis=1)
    rows = [[k, d, *b["mean_sq"][:, i], t, *b["spread"][:, i], *b["below_1e-4"][:, i]] for k, b in bands.items()
            for i, (d, t) in enumerate(zip(r[k]["depths"], r[k]["theory"]))]
    low = {k: 100 * b["below_1e-4"] for k, b in bands.items()}  # in %
    see = (f"What to see: read each ridge plot upwards. With orthogonal tanh the middle 90% of the singular values at "
           f"depth {depths[-1]} stay between {f(np.percentile(iso, 5))} and {f(np.percentile(iso, 95))}" + (
               f" (pooled over {counted(n, 'seed')}; seed by seed {span(min(ends[0]), max(ends[0]), f)} and "
               f"{span(min(ends[1]), max(ends[1]), f)})") * (n > 1) + ": a gradient keeps its size in every "
           "direction. Below 1e-4, where a direction passes nothing, fall " + ", ".join(  # 1%, not 0%: one of 100
               f"{f(low[k][0, 0])}% at depth {depths[0]} and {f(low[k][0, -1])}% at depth {depths[-1]} ({k})"
               + f" [seeds {span(*low[k][1:, 0], f)}% and {span(*low[k][1:, -1], f)}%]" * (n > 1)
               for k in r if k != "tanh, orthogonal") + (f" (medians of {counted(n, 'seed')})" if n > 1 else "")
           + ": with ReLU a unit that is off at this input passes nothing back, and every layer that is not an "
           "isometry (Gaussian weights, ReLU's zeros) spreads the spectrum further, so more directions fall below "
           "1e-4 with depth.")
    main = Table(["weights", "depth", "mean_sq", "mean_sq_min", "mean_sq_max", "chi_1^L", "spread", "spread_min",
                  "spread_max", "below_1e-4", "below_1e-4_min", "below_1e-4_max"], rows,
                 title=f"Singular values s of the input-output Jacobian: medians of {counted(len(seeds), 'seed')} "
                       f"{seeds}",
                 notes=["mean_sq: mean of s^2; spread: Var(s^2) / mean(s^2)^2; below_1e-4: fraction of s below 1e-4",
                        "each: the median over the seeds, one network each; _min, _max: the lowest and highest"])
    return ExperimentResult(
        "spectra", "Jacobian spectra", "Beyond the average gradient: do all directions through a deep network keep "
        "their size?", {"main": main}, {"spectra": r}, {"depths": list(depths), "width": width, "networks": 1,
        "seed": as_seed(rng, "isometry_section"), "seeds": seeds}, [finding("jacobian_spectra", r), see],
        {"spectra": partial(figure, "jacobian_spectra", r)})
