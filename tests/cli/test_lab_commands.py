"""The lab's subcommands (`explore`, `chaos`), run through the command line's parser."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from tinygrad_init import cli
from tinygrad_init.cli import build_parser as _parser


def test_explore_writes_one_offline_page(tmp_path, capsys):
    args = _parser().parse_args(["explore", "--out", str(tmp_path / "page"), "--quick", "--seed", "2"])
    assert args.run(args) == 0
    page = tmp_path / "page" / "explorer.html"
    assert page.exists() and "const EXPLORER = " in page.read_text()
    assert f"wrote {page}" in capsys.readouterr().out


def test_chaos_writes_the_result_and_its_heatmap(tmp_path, capsys, monkeypatch):
    from tinygrad_init.lab import spectra

    small = spectra.trainability  # a smaller grid than --quick's, to keep the test fast
    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: small(sigma_w2s=(1.0, 3.0), depths=(2, 3),
                                                                          steps=5, rng=rng))
    write = type(tmp_path).write_text  # as on Windows: text written without newline= gets CRLF line ends
    monkeypatch.setattr(type(tmp_path), "write_text", lambda self, data, encoding=None, errors=None, newline=None:
                        write(self, data if newline else data.replace("\n", "\r\n"), encoding, errors, newline))
    args = _parser().parse_args(["chaos", "--json", str(tmp_path / "r.json"), "--figure", str(tmp_path / "r.png"),
                                 "--seed", "4"])
    assert args.run(args) == 0
    assert b"\r" not in (tmp_path / "r.json").read_bytes()  # the shipped file is the same bytes everywhere
    result = json.loads((tmp_path / "r.json").read_text())
    # the smaller grid's own call, with the seed given (the full grid's is `tinygrad-init chaos --seed 4`)
    made = "spectra.trainability(sigma_w2s=[1.0, 3.0], depths=[2, 3], steps=5, rng=4)"
    assert result["command"] == made and len(result["accuracy"]) == 2
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    assert "networks within 6 xi_c" in capsys.readouterr().out


def test_bad_arguments_are_refused(capsys):
    with pytest.raises(SystemExit) as e:
        _parser().parse_args(["explore"])
    assert e.value.code == 2 and "--out" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _parser().parse_args(["chaos", "--seed", "-1"])
    assert "expected a whole number >= 0" in capsys.readouterr().err


def test_an_unwritable_output_is_a_message_and_exit_1_not_a_traceback(tmp_path, capsys, monkeypatch):
    from tinygrad_init.lab import spectra

    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: pytest.fail("computed before the folder was made"))
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    (tmp_path / "d.json").mkdir()
    for argv in (["explore", "--out", str(blocker / "page.html"), "--quick"],
                 ["chaos", "--json", str(blocker / "r.json"), "--figure", str(tmp_path / "r.png")],
                 ["chaos", "--json", str(tmp_path / "d.json"), "--figure", str(tmp_path / "r.png")]):  # a folder
        args = _parser().parse_args(argv)
        assert args.run(args) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"tinygrad-init {argv[0]}: cannot write") and str(blocker.parent) in err


@pytest.mark.parametrize("figure", ["heatmap", "heatmap.jpg", "figures/"])
def test_chaos_refuses_a_figure_name_it_cannot_save_before_training(figure, capsys):
    # the name was checked only after minutes of training, ending in save_figure's ValueError traceback
    with pytest.raises(SystemExit) as e:
        _parser().parse_args(["chaos", "--quick", "--figure", figure])
    assert e.value.code == 2 and f"--figure: expected a file name ending in .png or .svg or .pdf, got {figure!r}" \
        in capsys.readouterr().err


@pytest.mark.parametrize("name", ["results/", "r.json/", "results"])
def test_chaos_refuses_a_json_name_that_is_no_json_file_before_training(name, tmp_path, monkeypatch, capsys):
    # `chaos --json results/` trained for a minute, then wrote a file named "results" (pathlib drops the slash)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        cli.main(["chaos", "--quick", "--json", name])
    assert e.value.code == 2 and f"--json: expected a file name ending in .json, got {name!r}" \
        in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_chaos_refuses_a_read_only_folder_before_training(tmp_path, capsys, monkeypatch):
    import os

    from tinygrad_init.lab import spectra

    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: pytest.fail("trained, then failed to write"))
    shared = tmp_path / "shared"
    shared.mkdir()
    real = os.access  # a folder this user may not write into (root may write anywhere, so it is simulated)
    monkeypatch.setattr(os, "access", lambda p, mode, **k: Path(p) != shared and real(p, mode, **k))
    args = _parser().parse_args(["chaos", "--json", str(shared / "r.json"), "--figure", str(tmp_path / "r.png")])
    assert args.run(args) == 1
    json_file = shared / "r.json"
    assert capsys.readouterr().err == f"tinygrad-init chaos: cannot write {json_file} and {tmp_path / 'r.png'}: " \
        f"Permission denied ({json_file})\n"


@pytest.mark.parametrize("out", ["a_file", "a_file/page"])
def test_explore_refuses_a_file_where_its_folder_goes_before_measuring(out, tmp_path, capsys, monkeypatch):
    # `explore --out notes` (a file) measured the whole grid (a minute and more) before failing to make the folder
    from tinygrad_init import cli

    monkeypatch.setattr(cli, "explore", lambda **k: pytest.fail("measured, then failed to write"))
    (tmp_path / "a_file").write_text("mine")
    args = _parser().parse_args(["explore", "--out", str(tmp_path / out)])
    assert args.run(args) == 1
    assert capsys.readouterr().err.startswith(f"tinygrad-init explore: cannot write {tmp_path / out}: ")
    assert (tmp_path / "a_file").read_text() == "mine"


def test_chaos_finding_counts_the_networks_at_the_threshold_it_prints(tmp_path, capsys, monkeypatch):
    from tinygrad_init.lab import spectra

    # chance 137/512, so halfway to 1 is 0.63379...: 0.6309 (the quick run's sigma_w^2 = 4, depth 4, seed 0) is below
    # it, but at or above the threshold as printed to two digits (0.63)
    result = {"sigma_w2": [1.76], "depth": [2, 3], "accuracy": [[0.630859375, 0.978515625]], "sigma_b2": 0.05,
              "width": 64, "steps": 100, "lr": 0.01, "chance": 137 / 512, "command": "tinygrad-init chaos --quick"}
    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: result)
    args = _parser().parse_args(["chaos", "--json", str(tmp_path / "r.json"), "--figure", str(tmp_path / "r.png")])
    assert args.run(args) == 0
    m = re.search(r"(\d+) of the 2 networks within 6 xi_c reach a training accuracy of ([\d.]+)",
                  capsys.readouterr().out)
    assert m and int(m[1]) == 1  # both are within 6 xi_c (xi_c is in the thousands at sigma_w^2 = 1.76)
    assert sum(a >= float(m[2]) for a in result["accuracy"][0]) == 1  # the count a reader makes from the JSON


def test_chaos_interrupted_while_drawing_leaves_the_earlier_pair_of_files(tmp_path, monkeypatch):
    from tinygrad_init.lab import spectra

    # the JSON was written before the heatmap was drawn: Ctrl-C during the drawing left the new result beside the
    # earlier run's picture, a pair that looks complete but disagrees
    result = {"sigma_w2": [1.76], "depth": [2, 3], "accuracy": [[0.6, 0.9]], "sigma_b2": 0.05, "width": 64,
              "steps": 100, "lr": 0.01, "chance": 0.25, "command": "tinygrad-init chaos"}
    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: result)
    monkeypatch.setattr(spectra, "figure", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    for name in ("r.json", "r.png"):
        (tmp_path / name).write_text("the earlier run")
    args = _parser().parse_args(["chaos", "--json", str(tmp_path / "r.json"), "--figure", str(tmp_path / "r.png")])
    with pytest.raises(KeyboardInterrupt):
        args.run(args)
    assert [(tmp_path / name).read_text() for name in ("r.json", "r.png")] == ["the earlier run"] * 2


def test_chaos_refuses_a_read_only_file_before_training(tmp_path, capsys, monkeypatch):
    import os

    from tinygrad_init.lab import spectra

    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: pytest.fail("trained, then failed to write"))
    kept = tmp_path / "r.json"  # a read-only file in a folder this user may write into
    kept.write_text("{}")
    real = os.access  # root may write anywhere, so it is simulated
    monkeypatch.setattr(os, "access", lambda p, mode, **k: Path(p) != kept and real(p, mode, **k))
    args = _parser().parse_args(["chaos", "--json", str(kept), "--figure", str(tmp_path / "r.png")])
    assert args.run(args) == 1
    assert capsys.readouterr().err.endswith(f": Permission denied ({kept})\n") and kept.read_text() == "{}"


def test_explore_refuses_a_read_only_folder_before_measuring(tmp_path, capsys, monkeypatch):
    import os

    from tinygrad_init import cli

    monkeypatch.setattr(cli, "explore", lambda **k: pytest.fail("measured, then failed to write"))
    shared = tmp_path / "shared"
    shared.mkdir()
    real = os.access  # root may write anywhere, so it is simulated
    monkeypatch.setattr(os, "access", lambda p, mode, **k: Path(p) != shared and real(p, mode, **k))
    args = _parser().parse_args(["explore", "--out", str(shared)])
    assert args.run(args) == 1
    assert capsys.readouterr().err == f"tinygrad-init explore: cannot write {shared}: Permission denied " \
        f"({shared / 'explorer.html'})\n"
    (shared / "explorer.html").write_text("last week's")  # a page of one's own there: renamed over, so the folder
    assert args.run(args) == 1 and capsys.readouterr().err.endswith(f"Permission denied ({shared / 'explorer.html'})\n")


def test_chaos_heatmap_draws_the_accuracies_it_writes_and_calls_them_made_now(tmp_path, monkeypatch):
    from tinygrad_init import cli
    from tinygrad_init.lab import spectra

    small, drawn = spectra.trainability, []
    monkeypatch.setattr(spectra, "trainability", lambda quick, rng: small(sigma_w2s=(1.0, 3.0), depths=(2, 3),
                                                                          steps=5, rng=rng))
    monkeypatch.setattr(cli, "save_figure", lambda fig, path: drawn.append(fig))
    args = _parser().parse_args(["chaos", "--json", str(tmp_path / "r.json"), "--quick", "--seed", "2"])
    assert args.run(args) == 0
    result, ax = json.loads((tmp_path / "r.json").read_text()), drawn[0].axes[0]
    assert np.array_equal(ax.collections[0].get_array().reshape(2, 2), np.array(result["accuracy"]).T)
    # the title said "a shipped result of tinygrad-init chaos --seed 2" of the run just made
    made = "spectra.trainability(sigma_w2s=[1.0, 3.0], depths=[2, 3], steps=5, rng=2)"  # the smaller grid's call
    assert ax.get_title().endswith(f"(made by {made})") and "shipped" not in ax.get_title()


@pytest.mark.skipif(not hasattr(os, "statvfs"), reason="no statvfs (Windows)")
@pytest.mark.parametrize("read_only", [True, False])
def test_a_read_only_disk_is_named_as_such_not_as_permission_denied(read_only, tmp_path, monkeypatch, capsys):
    # `explore --out /mnt/ro/e.html` on a read-only mount said "Permission denied", sending the user to chmod
    import types

    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    monkeypatch.setattr(os, "statvfs", lambda p: types.SimpleNamespace(f_flag=os.ST_RDONLY if read_only else 0))
    page = tmp_path / "e.html"
    assert cli.main(["explore", "--quick", "--out", str(page)]) == 1
    why = "Read-only file system" if read_only else "Permission denied"
    assert capsys.readouterr().err == f"tinygrad-init explore: cannot write {page}: {why} ({page})\n"


@pytest.mark.parametrize("name", ["figures", "data"])
def test_report_refuses_a_file_where_it_puts_a_folder_before_the_experiments(name, tmp_path, monkeypatch, capsys):
    # a file `figures` in the output folder: the report ran all its experiments (10 s with --quick, up to a minute
    # without), then failed on mkdir, with the earlier report.html already deleted (build_report checks first)
    from tinygrad_init.lab import report

    monkeypatch.setattr(report, "run_all", lambda *a, **k: pytest.fail("the experiments ran"))
    (tmp_path / name).write_text("mine")
    assert cli.main(["report", "--quick", "--no-progress", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"tinygrad-init report: cannot write into {tmp_path}: {tmp_path / name} is a " \
        "file, not a folder\n"
    assert (tmp_path / name).read_text() == "mine"


@pytest.mark.parametrize("command, given, key, taken", [
    (["sweep", "--depth", "2", "--width", "4"], ["--activation", "ReLU"], "activation", "relu"),
    (["sweep", "--depth", "2", "--width", "4"], ["--activation", "TANH"], "activation", "tanh"),
    (["graph", "--mlp", "2,3,1"], ["--activation", "Sigmoid"], "activation", "sigmoid"),
    (["demo"], ["--dataset", "Moons"], "dataset", "moons"),
    (["sweep"], ["--format", "Markdown"], "format", "markdown"), (["sweep"], ["--format", "CSV"], "format", "csv"),
    (["graph", "x", "x=1"], ["--format", "SVG"], "format", "svg"), (["graph", "x", "x=1"], ["--rankdir", "tb"],
                                                                     "rankdir", "TB"),
    (["graph", "--mlp", "2,3,1"], ["--engine", "Tensor"], "engine", "tensor")])
def test_an_activation_or_dataset_name_is_taken_in_any_case_as_init_names_are(command, given, key, taken):
    # `sweep --init HE_normal` was taken (init.get reads any case, as do theory.predict("ReLU") and run_one), while
    # `sweep --activation ReLU` was refused "invalid choice: 'ReLU'"; a name that is none of them still is. So was
    # `sweep --format CSV` ("invalid choice: 'CSV' ... did you mean 'csv'?"), and graph's --format SVG, --rankdir tb,
    # --engine Tensor
    args = _parser().parse_args(command + given)
    assert getattr(args, key) == taken
    with pytest.raises(SystemExit):
        _parser().parse_args(command + [given[0], "softplus"])
