"""The init explorer: one offline HTML page to play with initializations, layer by layer (docs/howto/explorer.md).

Building the page runs every combination of `GRID` with the engine (`N(0, 1)` inputs forward, an `N(0, 1)` gradient at
the top backward, watched by `Diagnostics`) beside `theory.predict` and the report's verdict (`experiments.judge`);
the page only looks them up. Its script and style (`explorer.js`, `explorer.css`) are inlined: nothing is fetched."""

from __future__ import annotations

import html
import itertools
import json
import os
import zlib
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from ..core.tensor import Tensor, enable_grad
from ..nn import init
from ..utils import (Rng, as_rng, check_bool, check_choice, check_int, check_real, check_type, counted,
                     writable, write_whole)
from . import theory
from .diagnostics import SATURATION, Diagnostics
from .experiments import THRESHOLDS, WORDS, judge, nearby
from .plots import WORD_COLORS
from .probe import fraction_key
from .spectra import network

__all__ = ["GRID", "QUICK_GRID", "measure", "verdict", "Explorer", "explore", "key"]

#: The choices of the page (every combination is computed when the page is built).
GRID: dict[str, tuple] = {"activation": ("tanh", "sigmoid", "relu"),
                          "scheme": ("small", "xavier_normal", "he_normal", "large"),
                          "gain": (0.5, 1.0, 5 / 3, 2.0), "depth": (5, 10, 20), "width": (50, 200, 500)}
#: A grid small enough for a test.
QUICK_GRID: dict[str, tuple] = {"activation": ("tanh", "relu"), "scheme": ("small", "xavier_normal"),
                                "gain": (1.0, 2.0), "depth": (3, 6), "width": (32,)}


#: The verdict word of a network from its per-layer stds and fractions: the report's rule (`experiments.judge`).
verdict = judge


def _checked(fn: str, activation: str, scheme: Any, gain: float, depth: int, width: int) -> tuple:
    """A network's choices as `measure` takes them, checked, with its weights' std (within float32's range)."""
    gain, depth, width = check_real(fn, "gain", gain, 0.0), check_int(fn, "depth", depth, 1), check_int(
        fn, "width", width, 1)
    activation = check_choice(fn, "activation", activation, GRID["activation"])  # the engine's (deep_mlp's)
    sc = theory.check_scheme(fn, scheme, zero_mean=True, user="the page draws weights from their shape alone")
    if not (std := gain * sc.std(width, width)) < 1e37:  # N(0, std^2) draws reach 5 std: past float32's 3.4e38
        raise ValueError(f"{fn}: gain {gain:g} x {sc.name}'s std gives weights of std {std:.3g}, beyond float32 "
                         "(the engine's dtype, up to 3.4e38); take a smaller gain")
    return activation, sc, gain, depth, width, std


@threadpool_limits.wrap(1, "blas")  # one BLAS thread: the sums' order does not depend on the core count
@enable_grad()  # it measures gradients, also when called inside no_grad()
def measure(activation: str, scheme: str, gain: float, depth: int, width: int, *, batch: int = 128,
            bins: int = 30, rng: Rng = 0) -> dict[str, Any]:
    """One network of the page: `depth` layers of `width` units, Gaussian weights of `gain` times the scheme's std
    (zero biases), measured on one forward and backward pass of `batch` examples (ReLU: at least 2, for its dead
    units), and predicted."""
    activation, sc, gain, depth, width, std = _checked("measure", activation, scheme, gain, depth, width)
    batch = check_int("measure", "batch", batch, 1)
    if width * batch < 2:  # the std of one number is 0, which the verdict would read as "symmetric"
        raise ValueError("measure: width x batch must be at least 2 (a std of one number is always 0); got 1 x 1")
    if batch < 2 and fraction_key(activation) == "dead":  # over one example, every unit that is off
        raise ValueError("measure: a ReLU network needs batch >= 2: its dead units are 0 for the whole batch, and in a "
                         "batch of one example that is every unit off for it, about half, which the verdict reads "
                         "as 'dies'")
    gen = as_rng(rng, "measure")
    model = network(depth, width, activation, width * std ** 2, rng=gen, dtype=np.float32)
    x, top = gen.standard_normal((batch, width)).astype(np.float32), gen.standard_normal((batch, width))
    d = Diagnostics(model, bins=bins)
    model(Tensor(x)).backward(top)
    d.detach()
    layers, pred = list(d.records[0]["layers"].values()), theory.predict([width] * (depth + 1), activation, std)
    short = lambda v: float(f"{v:.4g}")  # noqa: E731 -- four digits draw a picture and keep the page small
    out = {k: [short(r[k]) for r in layers] for k in ("std", "grad_std", "fraction")}
    out.update({k: [[short(r[k][0]), short(r[k][1]), r[k][2].tolist()] for r in layers] for k in ("hist", "grad_hist")})
    word, near = nearby(partial(verdict, out["std"], out["grad_std"], out["fraction"], activation))
    out.update(theory_std=[short(v) for v in pred.act_std], theory_grad_std=[short(v) for v in pred.grad_act_std],
               verdict=word, near=near)  # near: the words of thresholds nearby, which another seed's network may get
    return out


class Explorer:
    """The page: `html` (a whole offline document), `write(path)`, inline display in Jupyter; `grid` the values of
    each axis as the page names them, `data[key(activation, scheme, gain, depth, width)]` what `measure` gave."""

    def __init__(self, grid: Mapping[str, Sequence], data: Mapping[str, Any]) -> None:
        self.grid = {k: [key(v) for v in check_type("Explorer", f"grid's {k!r}", vs, (list, tuple), "a list of values")]
                     for k, vs in check_type("Explorer", "grid", grid, Mapping, "a dict of the page's axes").items()}
        self.data = dict(check_type("Explorer", "data", data, Mapping, "a dict of key(...) -> measure(...)"))
        words = {w: {"rule": r.format(**THRESHOLDS), "color": WORD_COLORS[w]} for w, r in WORDS.items()}
        blob = json.dumps({"grid": self.grid, "data": self.data, "words": words, "saturation": SATURATION},
                          separators=(",", ":")).replace("<", "\\u003c")  # no "<!--<script>" moves the script's end
        here = files(__package__)
        self.html = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>init explorer</title>'
                     '<meta name="viewport" content="width=device-width, initial-scale=1">'
                     f'<style>{(here / "explorer.css").read_text("utf-8")}</style></head><body>'
                     f'<div id="explorer"></div><script>const EXPLORER = {blob};</script>'
                     f'<script>{(here / "explorer.js").read_text("utf-8")}</script></body></html>\n')

    @staticmethod
    def file(path: str | Path) -> Path:
        """The file `write(path)` writes: `path` if it ends in .html or .htm, else `path/explorer.html` (a folder)."""
        path = Path(check_type("Explorer.file", "path", path, (str, os.PathLike),
                               "a file name ending in .html or a folder"))
        return path if path.suffix.lower() in (".html", ".htm") and not path.is_dir() else path / "explorer.html"

    def write(self, path: str | Path) -> Path:
        """Write the page to `Explorer.file(path)` (a folder gets `explorer.html`); returns the file."""
        return write_whole(_page_file("Explorer.write", "path", path), self.html)  # LF on every platform

    def __repr__(self) -> str:  # its text at the prompt (and beside the page in a notebook), not a memory address
        axes = "; ".join(f"{k} {', '.join(v) or '-'}" for k, v in self.grid.items())
        return f"Explorer({counted(len(self.data), 'combination')} of {axes}: .write(path) saves the page)"

    def _repr_html_(self) -> str:
        return (f'<iframe title="init explorer" srcdoc="{html.escape(self.html, quote=True)}" style="width: 100%; '
                'height: 760px; border: 0"></iframe>')


def _page_file(who: str, name: str, path: Any) -> Path:  # Explorer.file(path), its folder made; errors name `name`
    path = Explorer.file(check_type(who, name, path, (str, os.PathLike), "a file name ending in .html or a folder"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # notes.txt/explorer.html, notes.txt a file
        raise FileExistsError(f"{who}: cannot make the folder {str(path.parent)!r}, a file is in its way; give {name} "
                              "a file name ending in .html, or a folder") from None
    return writable(who, path, "explorer.html", name)  # not a folder explorer.html


def key(*choice: Any) -> str:
    """A combination's name on the page, `data[key(activation, scheme, gain, depth, width)]`: `"tanh|small|1|5|50"`
    (an `init.Scheme` by its `__name__`, `"normal(std=0.05)"`)."""
    return "|".join(f"{float(v):g}" if isinstance(v, (float, np.floating)) else v.__name__ if isinstance(
        v, init.Scheme) else str(v).lower() for v in choice)  # a scheme as a layer's repr names it; "Tanh" as
    # check_choice reads it; a numpy number as the Python number (np.float32(2.0): "2", as 2.0)


def explore(out: str | Path | None = None, *, quick: bool = False, grid: Mapping[str, Sequence] | None = None,
            rng: Rng = 0) -> Explorer:
    """Build the explorer over `grid` (`GRID`; `QUICK_GRID` with `quick`; a list for each of its keys); write it to
    `out` if given (`tinygrad-init explore --out out`). The network of the combination named `k` (`key`) is seeded
    with `[s, crc32(k)]`, `s` the first draw from `rng`: its numbers do not depend on the rest of the grid."""
    quick, gen = check_bool("explore", "quick", quick), as_rng(rng, "explore")
    grid = (QUICK_GRID if quick else GRID) if grid is None else grid
    if not isinstance(grid, Mapping) or set(grid) != set(GRID) or not all(isinstance(v, (list, tuple)) and v
                                                                          for v in grid.values()):
        raise ValueError(f"explore: grid must give a non-empty list for each of {', '.join(GRID)}, got {grid!r:.200}")
    for choice in itertools.product(*(grid[k] for k in GRID)):  # each network checked before minutes of measuring
        _checked("explore", *choice)
    cards: dict[str, str] = {}  # a scheme's name on the page -> the scheme
    for card, name in ((repr(init.describe(v)), key(v)) for v in grid["scheme"]):
        if cards.setdefault(name, card) != card:  # one entry of the menu, one of the two never measured
            raise ValueError(f"explore: two schemes are named {name!r} on the page, {cards[name]} and {card}; tell "
                             "them apart by their names (init.Scheme(name, ...))")
    # by name, in the page's order, a value once (1 and 1.0, "Tanh" and "tanh" are one key, one entry of a menu)
    grid = {k: list({key(v): v for v in grid[k]}.values()) for k in GRID}
    out = out if out is None else _page_file("explore", "out", out)  # before minutes of measuring, after the checks
    s = int(gen.integers(2 ** 31))
    data = {k: measure(*c, rng=np.random.default_rng([s, zlib.crc32(k.encode())]))
            for c in itertools.product(*grid.values()) for k in [key(*c)]}
    page = Explorer(grid, data)
    if out is not None:
        page.write(out)
    return page
