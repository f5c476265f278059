"""Every finding of the report (`run_all`, quick sizes, a few seeds) against its own tables: each number a sentence
gives for a table cell is that cell rounded at the precision shown, a precision that keeps the value (a mean of 0.0054
shown as 0.01 nearly doubles it), and the words follow the numbers. A lecturer quotes these sentences on slides."""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
import pytest

from tinygrad_init.lab import experiments as E
from tinygrad_init.lab.table import label

from lab import _runs

N = r"(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"  # a number as format_number writes it
SEEDS = (0, 1, 2)


def shows(text: str, value: Any, percent: bool = False) -> bool:
    """`text` is `value` (times 100: `percent`) rounded at the digits it shows, within 5% of it (a rounded 0 only for
    an exact 0)."""
    v, x = float(value) * (100 if percent else 1), float(text)
    mantissa, _, _ = text.partition("e")
    digits = len(mantissa.partition(".")[2])
    rounded = float(f"{v:.{digits}e}") if "e" in text else float(f"{v:.{digits}f}")
    return rounded == x and abs(x - v) <= 0.05 * abs(v)


def numbers(pattern: str, text: str) -> tuple[str, ...]:
    m = re.search(pattern, text)
    assert m, f"{pattern!r} not in {text!r}"
    return m.groups()


def rows(result: E.ExperimentResult, table: str = "main", **where: Any) -> list[dict[str, Any]]:
    return [r for r in result.tables[table] if all(r[k] == v for k, v in where.items())]


def check(pairs: list[tuple[str, Any]] | list[tuple[str, Any, bool]], finding: str) -> None:
    for text, value, *pct in pairs:
        assert shows(text, value, *pct), f"{text} shown for the table's {value!r}: {finding}"


def _verdict(r: E.ExperimentResult, by: dict[str, E.ExperimentResult]) -> None:
    grid, L = {row["activation"]: row for row in r.tables["main"]}, r.settings["depth"]
    rule, large, bn = r.findings
    for a, named in zip(E.ACTIVATIONS, numbers(r"tanh: (.+?); sigmoid: (.+?); relu: (.+?)\.", rule)):
        holding = [label(s).split(" ")[0] for s in ("cs231n", "he_normal") if grid[a][label(s)] == "holds"]
        assert named == (" and ".join(holding) or "none"), rule
    if "Hence Xavier" in rule:
        (v,) = numbers(rf"with Xavier the std falls to {N} of its size by layer {L};", rule)
        check([(v, rows(by["activations"], "summary", scheme="cs231n", activation="relu")[0]["last_over_first"])], rule)
    if "Sigmoid holds with none" in rule:
        g = [x["grad_act_std"] for x in rows(by["gradients"], scheme="cs231n", activation="sigmoid")]
        check(list(zip(numbers(rf"falls to {N} of its size a layer \(x{N} in all\)", rule),
                       ((g[0] / g[-1]) ** (1 / (L - 1)), g[0] / g[-1]))), rule)
    for a, s, words in re.findall(r"depends on the network: (\w+), (.+?) ((?:\w+ in \d, )+\w+ in \d) of the 5 networks "
                                  r"of seeds \d+-\d+ \(seed \d+: \w+\); the grid gives the most common\.", rule):
        counts = [int(w.split(" in ")[1]) for w in words.split(", ")]  # "saturates in 3, holds in 2"
        assert grid[a][s] == words.split(" ")[0] and sum(counts) == 5 and counts == sorted(counts)[::-1], rule
    sat = [x["saturated"] for x in rows(by["activations"], scheme="large", activation="tanh")]
    grad = rows(by["gradients"], scheme="large", activation="tanh")
    check(list(zip(numbers(rf"saturates tanh: {N}%-{N}% of the entries of every layer", large) + numbers(
        rf"the median \|dL/dz\| at layer 1 is {N} \(its std {N}\)", large) + numbers(
        rf"std\(dL/dh\) grows {N}x from layer {L} down to layer 1", large), (
        min(sat), max(sat), grad[0]["grad_pre_median"], grad[0]["grad_pre_std"],
        grad[0]["grad_act_std"] / grad[-1]["grad_act_std"]), (True, True, False, False, False))), large)
    pre = by["batchnorm"].tables["main"].column("bn_pre_std")
    check(list(zip(numbers(rf"give std\(z\) {N}-{N} at every layer", bn), (pre.min(), pre.max()))), bn)
    for s, words in re.findall(r"(small 0.01\*randn|large 1.0\*randn): ([^;)]+)", bn.partition("without it")[2]):
        for a, w in (x.split(" ") for x in words.split(", ")):
            assert grid[a][s] == w, bn
    for a, s, here, other, h, g in re.findall(rf"(\w+), (\w+ [\d.]+\*randn) \+ BN (\w+), but ([\w ]+?) by thresholds a "
                                              rf"little to either side \(std\(h\) layer {L} / layer 1: x{N}; "
                                              rf"std\(dL/dh\) layer 1 / layer {L}: x{N}\)", bn):
        net = rows(by["batchnorm"], scheme=next(k for k in E.SCHEMES if label(k) == s), activation=a)
        assert here not in other.split(" or "), bn  # its word, then the others of thresholds nearby
        check([(h, net[-1]["bn_act_std"] / net[0]["bn_act_std"]), (g, net[0]["bn_grad_act_std"] /
                                                                     net[-1]["bn_grad_act_std"])], bn)
    # README and the lecture-report page: the sentence names ReLU's growing dL/dh under batch norm as near a threshold
    assert re.search(r"Near a threshold: (.*; )?relu, \w+ [\d.]+\*randn \+ BN holds, but explodes", bn), bn


def _activations(r: E.ExperimentResult, by: dict) -> None:
    L = r.settings["depth"]
    for f, row in zip(r.findings, r.tables["summary"]):
        assert f.startswith(f"{row['activation']}, {label(row['scheme'])}: "), f
        # a percentage of what the probe counts: ReLU's dead units, tanh's and sigmoid's saturated entries (batch x
        # units); it read "dead at layer 10: 1 of the units" (all 500 of them) and "saturated ...: 0.904 of the units"
        what = "dead at layer {L}: {N}% of the units" if row["activation"] == "relu" else \
            "saturated at layer {L}: {N}% of the entries"
        pattern = rf"std {N} at layer 1 -> {N} at layer {L} \(theory {N}\); " + what.format(L=L, N=N) + r"\.$"
        check(list(zip(numbers(pattern, f), [row[k] for k in ("std_first", "std_last", "std_last_theory",
                                                     "saturated_or_dead_last")], (False,) * 3 + (True,))), f)


def _gradients(r: E.ExperimentResult, by: dict) -> None:
    for f, (s, a) in zip(r.findings, [(s, a) for s in E.SCHEMES for a in E.ACTIVATIONS]):
        assert f.startswith(f"{a}, {label(s)}: "), f
        first, top = rows(r, scheme=s, activation=a)[::len(rows(r, scheme=s, activation=a)) - 1]
        got = numbers(rf"std dL/dh {N} at layer 1 vs {N} at the top; std dL/dW {N} vs {N} \(ratio (\S+), theory "
                      rf"(\S+)\)\.$", f)
        want = [first["grad_act_std"], top["grad_act_std"], first["grad_w_std"], top["grad_w_std"]]
        check(list(zip(got, want)), f)
        for text, a_, b_ in ((got[4], first["grad_w_std"], top["grad_w_std"]),
                             (got[5], first["grad_w_std_theory"], top["grad_w_std_theory"])):
            assert text == "0/0" if a_ == b_ == 0 else shows(text, a_ / b_) if b_ else True, f


def _theory(r: E.ExperimentResult, by: dict) -> None:
    for f, m in zip(r.findings, ("act", "grad_act", "grad_w")):
        one, med = (np.abs(r.tables["main"].column(f"{m}_{k}") - 1).max() for k in ("one", "median"))
        check(list(zip(numbers(rf"off by up to {N}% in one network, by at most {N}% in the median", f), (one, med),
                       (True, True))), f)


def _symmetry(r: E.ExperimentResult, by: dict) -> None:
    for f in r.findings:
        name = f.split(":")[0]
        layers = rows(r, init=name)
        for text, row in zip(numbers(r": (.+?) and (.+?) distinct units of", f), layers):
            lo_hi = [row["distinct_units_min"], row["distinct_units_max"]]
            assert text == (f"{lo_hi[0]}" if lo_hi[0] == lo_hi[1] else None) or re.fullmatch(
                rf"\d+ \({lo_hi[0]}-{lo_hi[1]}\)", text), f
        got = numbers(rf"final loss {N}(?: \({N}-{N}\))?, accuracy {N}%(?: \({N}%-{N}%\))?\.$", f)
        want = [layers[0][k + e] for k in ("final_loss", "train_accuracy") for e in ("", "_min", "_max")]
        check([(t, w, i > 2) for i, (t, w) in enumerate(zip(got, want)) if t is not None], f)
        assert [t is None for t in got] == [want[i - i % 3 + 1] == want[i - i % 3 + 2] and i % 3 > 0
                                            for i in range(6)], f  # a range where the networks differ


def _training(r: E.ExperimentResult, by: dict) -> None:
    *each, last = r.findings
    for f, row in zip(each, r.tables["main"]):
        assert f.startswith(label(row["init"]) + ": "), f
        for what, pct in (("train_accuracy", True), ("test_accuracy", True), ("final_loss", False)):
            p = {"train_accuracy": "train accuracy ", "test_accuracy": "test ", "final_loss": "final loss "}[what]
            got = numbers(p + rf"{N}%?(?: \({N}%?-{N}%?\))?", f)
            want = [row[f"{what}_{k}"] for k in ("median", "min", "max")]
            check([(t, w, pct) for t, w in zip(got, want) if t is not None], f)
            assert (got[1] is None) == (want[1] == want[2]), f
    seeds = r.tables["seeds"]
    big = [x["train_accuracy"] for x in seeds if x["init"] == "large10"]
    he = [x["train_accuracy"] for x in seeds if x["init"] == "he_normal"]
    shown = re.search(r"it reaches (.+?) train accuracy", last)[1].split(", ")
    check([(t.rstrip("%"), v, True) for t, v in zip(shown, big)], last)
    zeros = r.tables["main"].rows[0]
    check(list(zip(numbers(rf"zeros stays at {N}%, loss {N}", last),
                   (zeros["train_accuracy_median"], zeros["final_loss_median"]), (True, False))), last)
    spread, he_spread = numbers(rf"a spread of {N} points, while He varies by {N} ", last)
    assert float(spread) == np.ptp(np.round(100 * np.array(big))), last  # the spread of the numbers shown
    assert float(he_spread) == round(100 * np.ptp(he)), last
    lottery = np.ptp(np.round(100 * np.array(big))) > max(10, 2 * 100 * np.ptp(he))
    assert ("is a lottery" in last) == lottery and ("not clearly" in last) == (not lottery), last


def _depth(r: E.ExperimentResult, by: dict) -> None:
    table = r.tables["main"]
    for f in r.findings:
        if f.startswith("The caveat"):
            continue
        n, mu = int(f.split(" ")[0]), float(m[1]) if (m := re.search(r"momentum ([\d.]+)", f)) else 0.0
        for s in r.settings["schemes"]:
            row = next(x for x in table if (x["layers"], x["momentum"], x["init"]) == (n, mu, s))
            got = numbers(rf"{label(s).split(' ')[0]} in (\d+) of (\d+) seeds(?: \(the median seed by step (\d+))?", f)
            assert (int(got[0]), int(got[1])) == (row["left_ln2"], row["networks"]), f
            assert got[2] is None if row["median_step_below_half_ln2"] == np.inf else shows(
                got[2], row["median_step_below_half_ln2"]), f


def _saturation(r: E.ExperimentResult, by: dict) -> None:
    (f,), top = r.findings, r.tables["main"].rows[-1]
    fell, rose = top["mean_lowest"] < top["mean_start"] - 0.05, top["mean_end"] > top["mean_lowest"] + 0.05
    start, low, step = numbers(rf"(?:falls from a mean of|stays near its starting mean of) {N}"
                               rf"(?: to | \(lowest ){N},? (?:by|at) step (\d+)", f)
    end = numbers(rf"(?:recovers to|is still at) {N} by step", f)[0]
    check(list(zip((start, low, step, end), (top["mean_start"], top["mean_lowest"], top["step_of_lowest"],
                                             top["mean_end"]))), f)
    assert ("falls from" in f) == fell and ("recovers to" in f) == rose, f


def _batchnorm(r: E.ExperimentResult, by: dict) -> None:
    for f in r.findings:
        a, s = numbers(r"^(\w+), (.+?) with batch norm:", f)
        s = next(k for k in E.SCHEMES if label(k) == s)
        sel = rows(r, scheme=s, activation=a)
        pre, gh = [x["bn_pre_std"] for x in sel], [x["bn_grad_act_std"] for x in sel]
        # a range written as the verdict writes it (it read "0.998..1"), the fractions in percent of what the probe
        # counts (it read "saturated at most 4e-6 (without: up to 0.837)")
        of = "units" if a == "relu" else "entries"
        got = numbers(rf"input {N}(?:-{N})?, \w+ at most {N}% of the {of} \(without: up to {N}%\); std dL/dh layer 1 "
                      rf"/ top {N}\.", f)
        want = (min(pre), max(pre), max(x["bn_saturated_or_dead"] for x in sel),
                max(x["plain_saturated_or_dead"] for x in sel), gh[0] / gh[-1])
        assert got[1] != got[0], f  # "1-1": a range of one number
        check([(t, w, i in (2, 3)) for i, (t, w) in enumerate(zip(got, want)) if t is not None]
              + [(got[0], want[1])] * (got[1] is None), f)


def _diagnosis(r: E.ExperimentResult, by: dict) -> None:
    acts, grads, weights, updates, time = r.findings
    for run in ("poor init", "good init", "batch norm"):
        layers = [x for x in rows(r, run=run) if x["layer"] != "out"]
        first = np.array([x["saturated_first_%"] for x in layers])
        got = numbers(rf"{run} {N}% of the tanh outputs saturated \(\|h\| > 0.97; layer (\d+): {N}%\)", acts)
        check(list(zip(got, (first.mean(), layers[int(first.argmax())]["layer"], first.max()))), acts)
        g = [x["grad_h_std_first"] for x in layers]
        check([(numbers(rf"x{N} \({run}\)", grads)[0], g[0] / g[-1])], grads)
        gd = np.array([x["grad_data_first"] for x in rows(r, run=run)])
        check(list(zip(numbers(rf"{N} \({run}: {N} to {N}\)", weights), (gd.max() / gd.min(), gd.min(), gd.max()))),
              weights)
        ud = np.array([x["update_data_log10_median"] for x in rows(r, run=run)])
        check(list(zip(numbers(rf"{run} {N} to {N}", updates), (ud.min(), ud.max()))), updates)
        last = np.array([x["saturated_last_%"] for x in layers])
        check(list(zip(numbers(rf"{run} {N}% at the first step, {N}% at step", time), (first.mean(), last.mean()))),
              time)
    means = {run: np.mean([x["saturated_first_%"] for x in rows(r, run=run) if x["layer"] != "out"])
             for run in ("poor init", "good init", "batch norm")}
    assert ("piles them up" in acts) == (max(means.values()) > 50), acts


def _chaos(r: E.ExperimentResult, by: dict) -> None:
    phases, corr = r.findings[:2]
    for row in r.tables["schemes"]:
        got = numbers(rf"\(sigma_w\^2 = {N}\) has chi_1 = {N}, (\w+)", phases.split(row["scheme"] + " ", 1)[1])
        check(list(zip(got[:2], (row["sigma_w2"], row["chi_1"]))), phases)
        assert got[2] == row["phase"], phases
    L, critical = r.settings["correlations"]["depth"], rows(r, phase="critical")[0]
    check([(numbers(rf"With sigma_b\^2 = {N} the line moves to sigma_w\^2 = {N}\.", phases)[1], critical["sigma_w2"]),
           (numbers(rf"With sigma_b\^2 = {N}", phases)[0], critical["sigma_b2"])], phases)
    for row in r.tables["main"]:
        for c0 in ("0.2", "0.9"):
            check([(numbers(rf"{row['phase']}, c0 = {c0}: {N} \(theory", corr)[0], row[f"c_{L}_from_{c0}"])], corr)
        check([(numbers(rf"{N} \({row['phase']}\)", corr.partition("fixed point")[2])[0], row["c_star"])], corr)


def _spectra(r: E.ExperimentResult, by: dict) -> None:
    spread, see = r.findings
    table, depths = r.tables["main"], r.settings["depths"]
    deepest = [x for x in table if x["depth"] == depths[-1]]
    got = [numbers(rf"{N} for {x['weights']}", spread)[0] for x in deepest]
    check(list(zip(got, [x["spread"] for x in deepest])), spread)
    th, ms = (numbers(r"\(theory chi_1\^L = (.+?)\) measures (.+?)(?: \(|\. )", spread)[i].split(", ") for i in (0, 1))
    check(list(zip(th + ms, [x["chi_1^L"] for x in deepest] + [x["mean_sq"] for x in deepest])), spread)
    for k in {x["weights"] for x in table} - {"tanh, orthogonal"}:
        low, high = (next(x["below_1e-4"] for x in table if x["weights"] == k and x["depth"] == d)
                     for d in (depths[0], depths[-1]))
        got = numbers(rf"{N}% at depth {depths[0]} and {N}% at depth {depths[-1]} \({k}\)", see)
        check(list(zip(got, (low, high), (True, True))), see)
        assert high > low, see  # "more directions fall below 1e-4 with depth"


CHECKS: dict[str, Callable[[E.ExperimentResult, dict], None]] = {
    "verdict": _verdict, "activations": _activations, "gradients": _gradients, "theory": _theory,
    "symmetry": _symmetry, "training": _training, "depth": _depth, "saturation": _saturation,
    "batchnorm": _batchnorm, "diagnosis": _diagnosis, "chaos": _chaos, "spectra": _spectra}


# seed 0: the experiments of the quick report that test_report builds (through the command line, its workers running
# them): run_all(0, quick=True)'s results to the bit, and read in the process that builds it
@pytest.mark.parametrize("seed", [pytest.param(s, marks=_runs.QUICK_REPORT) if s == 0 else s for s in SEEDS])
def test_every_finding_gives_its_tables_numbers(seed: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    results = _runs.quick_report(tmp_path_factory).results if seed == 0 else E.run_all(seed, quick=True)
    by = {r.name: r for r in results}
    assert set(by) == set(CHECKS), "a section without a check of its findings"
    for name, walk in CHECKS.items():
        walk(by[name], by)


def test_a_verdict_word_near_its_threshold_is_the_most_common_of_the_networks_it_judges() -> None:
    # quick sizes, seed 0: sigmoid with 1.0*randn puts about half of the last layer at a limit, at the 'saturates'
    # threshold 0.5; of the networks of seeds 0-4, three saturate and two hold. The grid (and its slide, and the
    # batch-norm sentence's 'without it') showed seed 0's 'holds' as the fact, flipping with the seed, and the rule
    # of thumb's caveat below it counted three saturating networks
    sw = E.run_sweep(("large",), ("sigmoid",), rng=0, quick=True)
    got = [E.word(E.run_one("large", "sigmoid", 10, 100, 200, rng=s)) for s in range(5)]
    r = E.verdict(sw, E.run_sweep(("large",), ("sigmoid",), rng=0, quick=True, batchnorm=True))
    assert got[0] == "holds" and got.count("saturates") == 3
    assert r.tables["main"].column(label("large"))[0] == "saturates" == r.data["words"]["sigmoid/large"]
    assert "saturates in 3, holds in 2 of the 5 networks of seeds 0-4 (seed 0: holds)" in r.findings[0]
    assert "(without it: large 1.0*randn: sigmoid saturates)" in r.findings[-1]
    assert "near a threshold: the most common word of the networks of seeds 0-4" in r.tables["main"].notes
    # a sweep of no integer seed (rng None or a Generator) has no next seeds to judge on: its own word, no such note
    # (the note's text was made, and raised a TypeError on None + 4, whether it was shown or not)
    for rng in (None, np.random.default_rng(1)):
        r = E.verdict(E.run_sweep(("large",), ("sigmoid",), rng=rng, quick=True))
        assert not any(note.startswith("near a threshold") for note in r.tables["main"].notes)


def test_shows_reads_the_precision_of_the_text() -> None:
    assert shows("0.0148", 0.01483) and shows("0.015", 0.01483) and shows("1.5e-4", 1.46e-4)
    assert not shows("0.01", 0.0148)  # rounded right at 2 decimals, but a third of the value lost
    assert not shows("0.02", 0.0148) and not shows("0", 0.003) and shows("0", 0.0) and shows("56", 0.561, True)


def test_the_saturation_check_reads_a_top_layer_that_stays() -> None:
    # its pattern had two spaces before "(lowest", so a finding where the top layer stays could not be read
    top = {"mean_start": 0.5, "mean_lowest": 0.48, "step_of_lowest": 40, "mean_end": 0.49}
    table = type("T", (), {"rows": [top]})()
    f = ("The top hidden layer (layer 4) stays near its starting mean of 0.5 (lowest 0.48, at step 40) while layers "
         "1-3 stay between 0.5 and 0.52; it is still at 0.49 by step 200 as the loss goes from 0.693 to 0.69 (medians "
         "of 3 seeds).")
    _saturation(type("R", (), {"findings": [f], "tables": {"main": table}})(), {})
    with pytest.raises(AssertionError):
        _saturation(type("R", (), {"findings": [f.replace("0.48", "0.4")], "tables": {"main": table}})(), {})
