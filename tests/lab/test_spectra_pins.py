"""Numbers and figure contents of `lab.spectra` that the other tests leave free: each pinned against a hand
computation, the literature, the docstrings or the shipped heatmap."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tinygrad_init import theory
from tinygrad_init.lab import spectra as S
from tinygrad_init.utils import format_number


def test_the_first_layer_correlation_is_the_inputs_mixed_with_the_bias():
    # y = h W + b with Var(h) = (q* - sigma_b^2) / sigma_w^2 per entry: Cov(y_1, y_2) = c_0 (q* - sigma_b^2) +
    # sigma_b^2 and Var(y) = q*, so c_1 = (c_0 (q* - sigma_b^2) + sigma_b^2) / q* (Poole et al. 2016, eq. 5 at l = 1)
    res = S.correlations(depth=1, width=400, starts=(0.2, 0.9), networks=4, pairs=8, rng=1)
    assert len(res) == 6  # 3 phases x 2 starting correlations
    res |= S.correlations(depth=1, width=400, starts=(-0.9,), networks=2, pairs=8, rng=1)  # from -0.9 the
    # mix sqrt(1 - c_0^2) of the second input's own noise and the inputs' scale show: sqrt(1 - c_0) read -0.30 to -0.51
    for key, r in res.items():
        q, c0 = theory.fixed_point("tanh", r["sigma_w2"], 0.05).q, float(key.split("= ")[1])
        assert r["measured"][0] == pytest.approx((c0 * (q - 0.05) + 0.05) / q, abs=0.06), key  # seeds 1-3: within 0.031


def test_trainability_defaults_are_the_shipped_heatmaps_settings():
    # `tinygrad-init chaos` (REGENERATE) passes only quick and the seed: the defaults must be the shipped ones
    shipped, r = json.loads(S.SHIPPED.read_text()), S.trainability(sigma_w2s=(1.0,), depths=(2,), steps=1)
    assert {k: r[k] for k in ("sigma_b2", "width", "lr")} == {k: shipped[k] for k in ("sigma_b2", "width", "lr")}


def test_the_chaos_section_has_the_sizes_its_docstring_gives(monkeypatch):
    calls, real = [], S.correlations
    monkeypatch.setattr(S, "correlations", lambda *a, **kw: calls.append((a, kw["networks"], kw["pairs"])) or real(
        *a, **kw))
    for quick, (n, depth, width) in ((False, (41, 30, 200)), (True, (21, 20, 100))):
        r = S.chaos_section(0, quick=quick)
        pd = r.data["phase_diagram"]
        assert (len(pd["sigma_w2"]), len(pd["sigma_b2"])) == (n, n // 2 + 1)
        assert (r.settings["correlations"]["depth"], r.settings["correlations"]["width"]) == (depth, width)
        assert [row[f"c_{depth}_from_0.9"] for row in r.table.rows] == [  # the last layer's
            r.data["correlations"][f"{p}, c0 = 0.9"]["measured"][-1] for p in S.PHASES]
    assert calls == [((30, 200), 2, 8), ((20, 100), 1, 4)]  # networks x pairs: 2 x 8, quick 1 x 4


def test_the_spectra_figure_draws_each_panels_own_reference():
    # mean of s^2 beside chi_1^L; the spread beside L, the spread of a product of L Gaussian matrices (the
    # normalized second moment of a product of L Wishart matrices is L + 1, a Fuss-Catalan number)
    r = S.jacobian_spectra(depths=(2, 16), width=32, networks=1)
    fig = S.figure("jacobian_spectra", r)
    refs = {ax.get_title(): {ln.get_label(): list(ln.get_ydata()) for ln in ax.get_lines()} for ax in fig.axes[2::3]}
    assert refs["mean of s^2"]["theory chi_1^L (every case)"] == r["tanh, Gaussian"]["theory"]
    assert r["tanh, Gaussian"]["theory"] == pytest.approx([1.0, 1.0], abs=1e-12)  # at criticality chi_1 = 1
    assert refs["spread Var(s^2) / mean(s^2)^2"]["L: a product of L Gaussian matrices"] == [2, 16]


def test_the_phase_diagram_marks_the_schemes_at_zero_bias_and_the_measured_phases():
    fig = S.figure("phase_diagram", S.phase_diagram(n=5))
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    for label, w in S.SCHEMES.items():  # sigma_w^2 with zero biases (SCHEMES)
        mark = lines[f"{label}: sigma_w^2 = {format_number(w, 3)}"]
        assert list(mark.get_xdata()) == [w] and list(mark.get_ydata()) == [0.0]
    measured = lines["correlations measured (sigma_b^2 = 0.05)"]
    assert list(measured.get_xdata()) == list(S.PHASES.values()) and list(measured.get_ydata()) == [0.05] * 3


def test_the_isometry_section_quotes_the_deepest_orthogonal_tanh_spectrum(monkeypatch):
    runs, real = [], S.jacobian_spectra  # each seed's run, as the section makes it
    monkeypatch.setattr(S, "jacobian_spectra", lambda *a, **kw: runs.append(real(*a, **kw)) or runs[-1])
    iso = S.isometry_section(0, quick=True)
    sv = np.array(iso.data["spectra"]["tanh, orthogonal"]["singular_values"][-1])  # depth 64, the seeds' pooled
    lo, hi = (format_number(np.percentile(sv, p), 2) for p in (5, 95))
    assert f"the singular values at depth 64 stay between {lo} and {hi} (pooled over 3 seeds; seed by seed " in \
        iso.findings[1]
    deepest = [run["tanh, orthogonal"]["singular_values"][-1] for run in runs]  # each seed's 5th and 95th percentile
    ends = [[format_number(f(np.percentile(deepest, p, axis=1)), 2) for f in (min, max)] for p in (5, 95)]
    assert f"seed by seed {'-'.join(ends[0])} and {'-'.join(ends[1])})" in iso.findings[1]
    low = [format_number(100 * np.median([np.mean(np.array(run["relu, Gaussian"]["singular_values"][i]) < 1e-4)
                                          for run in runs]), 2) for i in (0, -1)]  # the medians at depths 2 and 64
    assert f"{low[0]}% at depth 2 and {low[1]}% at depth 64 (relu, Gaussian)" in iso.findings[1]
    seeds = [[format_number(100 * f(np.mean(np.array(run["relu, Gaussian"]["singular_values"][i]) < 1e-4)
                                    for run in runs), 2) for f in (min, max)] for i in (0, -1)]
    assert f"(relu, Gaussian) [seeds {'-'.join(dict.fromkeys(seeds[0]))}% and {'-'.join(dict.fromkeys(seeds[1]))}%]" \
        in iso.findings[1]  # one value where the lowest and highest read the same
    assert "Below 1e-4, where a direction passes nothing, fall" in iso.findings[1]
    assert "(tanh, orthogonal)" not in iso.findings[1]  # its spectrum is quoted before; the others fall below 1e-4
