"""The command line's behaviour pinned against hand computations and its --help: demo's epoch loss, graph's
defaults and refusals, what graph prints."""

from __future__ import annotations

import re

import pytest

from tinygrad_init import cli
from tinygrad_init.cli.graph import ExpressionError, parse_bindings, parse_expression


def _losses(text: str) -> tuple[float, float]:
    epoch = re.search(r"^\s+1\s+([\d.]+)\s", text, flags=re.M)
    final = re.search(r"final: loss ([\d.]+),", text)
    assert epoch and final, text
    return float(epoch[1]), float(final[1])


def test_demo_epoch_loss_is_the_mean_over_the_training_points(capsys: pytest.CaptureFixture[str]) -> None:
    # lr 1e-300 leaves every weight as it was: the epoch's loss, batches of 7 (the last one shorter) weighted by
    # their sizes, is the loss of the whole training set, the one the final line prints.
    argv = ["demo", "--samples", "40", "--hidden", "4", "--epochs", "1", "--batch-size", "7", "--lr", "1e-300",
            "--momentum", "0"]
    assert cli.main(argv) == 0
    epoch, final = _losses(capsys.readouterr().out)
    assert epoch == pytest.approx(final, abs=1e-4) and final > 0.1


def test_graph_mlp_tensor_engine_default_batch_is_4(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    # --help: "--batch B  tensor engine (default: 4)"
    argv = ["graph", "--mlp", "2,3,1", "--engine", "tensor", "--no-player", "--out", str(tmp_path)]
    assert cli.main(argv) == 0
    assert "(tensor engine, batch 4)" in capsys.readouterr().out


def test_graph_mlp_default_seed_is_0(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    # --help: "--seed SEED  of weights and data (default: 0)"
    for name, extra in (("a", []), ("b", ["--seed", "0"]), ("c", ["--seed", "1"])):
        assert cli.main(["graph", "--mlp", "2,1", "--no-player", "--out", str(tmp_path / name), *extra]) == 0
    capsys.readouterr()
    dot = {name: (tmp_path / name / "graph.dot").read_text(encoding="utf-8") for name in "abc"}
    assert dot["a"] == dot["b"] != dot["c"]


def test_graph_refuses_an_expression_with_mlp_even_without_bindings(tmp_path, capsys) -> None:
    assert cli.main(["graph", "2*3", "--mlp", "2,1", "--out", str(tmp_path / "x")]) == 2
    assert "either an expression or --mlp" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_graph_prints_the_chain_rule_lines_of_a_small_scalar_graph_only(tmp_path, capsys) -> None:
    assert cli.main(["graph", "a*b", "a=2", "b=3", "--no-player", "--out", str(tmp_path / "e")]) == 0
    assert "dL/da = dL/dL × ∂L/∂a (local) = 1.0 × 3.0 = 3.0" in capsys.readouterr().out  # d(ab)/da = b
    for name, argv in (("s", ["--mlp", "2,4,1"]), ("t", ["--mlp", "2,1", "--engine", "tensor"])):
        assert cli.main(["graph", *argv, "--no-player", "--out", str(tmp_path / name)]) == 0
        out = capsys.readouterr().out
        assert "chain-rule step" in out and " × " not in out and "dL/d" not in out, argv


def test_demo_default_dataset_is_200_points_a_quarter_held_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--epochs", "1", "--hidden", "4"]) == 0  # --help: 200 points, a quarter held out
    assert "on moons (150 training + 50 test points, noise=0.1, seed=0)" in capsys.readouterr().out


def test_sweep_defaults_are_the_cs231n_experiment(capsys: pytest.CaptureFixture[str]) -> None:
    # docs: the classic experiment, tanh layers of 500 units, Xavier (CS231n) weights, a batch of 1000
    assert cli.main(["sweep", "--depth", "2"]) == 0
    assert capsys.readouterr().out.startswith(
        "Xavier (CS231n) randn/sqrt(fan_in), tanh: 2 layers x 500 units, batch 1000, seed 0\n")


def test_graph_writes_the_player_at_exactly_max_steps(tmp_path, capsys) -> None:
    # --help: "no player beyond N chain-rule steps"; a*b has two steps (one into a, one into b)
    assert cli.main(["graph", "a*b", "a=2", "b=3", "--max-steps", "2", "--out", str(tmp_path / "two")]) == 0
    assert cli.main(["graph", "a*b", "a=2", "b=3", "--max-steps", "1", "--out", str(tmp_path / "one")]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "two" / "player.html").exists() and not (tmp_path / "one" / "player.html").exists()
    assert out.count("no player.html: backward has 2 steps, more than --max-steps 1") == 1


@pytest.mark.parametrize("text, at", [("a * (b $ 2)", 7), ("a + 2 3", 6), ("a * b)", 5)])
def test_the_caret_of_a_syntax_error_is_under_the_offending_character(text, at) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, {"a": 1.0, "b": 2.0})
    assert str(info.value).endswith(f"\n    {text}\n    {' ' * at}^") and text[at] in "$3)"


def test_a_huge_number_is_shortened_alike_in_a_binding_and_in_the_expression() -> None:
    shown = "the number " + "1" * 20 + "..." + "1" * 12 + " (400 characters) is too large for a float"
    with pytest.raises(ExpressionError, match=re.escape(shown)):
        parse_bindings(["a=" + "1" * 400])
    with pytest.raises(ExpressionError, match=re.escape(shown)):
        parse_expression("1" * 400 + "*a", {"a": 1.0})


@pytest.mark.parametrize("text", [3, None, b"a*b"])
def test_parse_expression_refuses_what_is_not_text_as_a_type_error(text) -> None:
    with pytest.raises(TypeError, match=rf"^expression: expected text, got {type(text).__name__}$"):
        parse_expression(text, {"a": 1.0, "b": 2.0})


def test_graph_into_a_path_that_is_a_file_says_it_cannot_write_there(tmp_path, capsys) -> None:
    (out := tmp_path / "taken").write_text("")
    for where in (out, out / "sub"):
        assert cli.main(["graph", "a*b", "a=1", "b=2", "--no-player", "--out", str(where)]) == 1
        err = capsys.readouterr().err
        assert err == f"tinygrad-init graph: cannot write into {where}: {out} is a file, not a folder\n"
    assert out.read_text() == ""  # the file is left as it was


@pytest.mark.parametrize("argv", [["graph", "a", "a=1", "--out"], ["explore", "--quick", "--out"],
                                  ["report", "--quick", "--no-progress", "--out"], ["exercises", "start"],
                                  ["chaos", "--quick", "--figure", "f.png", "--json"]])
def test_a_file_where_a_folder_goes_is_named_as_such(argv, tmp_path, capsys) -> None:
    # the messages were "File exists (notes)" (as if a file were not replaced) and "Not a directory (notes/a/b)"
    (notes := tmp_path / "notes").write_text("mine")
    for where in (notes, notes / "a" / "b.json")[argv[0] in ("exercises", "chaos"):]:  # their notes: a file
        assert cli.main([*argv, str(where)]) == 1
        assert capsys.readouterr().err.endswith(f": {notes} is a file, not a folder\n")
    assert notes.read_text() == "mine"


def test_graph_names_the_file_it_cannot_write_when_a_folder_has_its_name(tmp_path, capsys) -> None:
    (tmp_path / "graph.svg").mkdir()  # the message was "cannot write into <out>: Is a directory", which one not said
    assert cli.main(["graph", "a", "a=1", "--no-player", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"tinygrad-init graph: cannot write into {tmp_path}: " \
        f"{tmp_path / 'graph.svg'} is a folder, not a file: move it away or write elsewhere\n"


def test_an_output_path_after_an_equals_sign_starting_with_a_tilde_is_in_the_home_folder(tmp_path, monkeypatch,
                                                                                         capsys) -> None:
    # the shell leaves "~" after "=" as it is: --out=~/pics made a folder named "~" in the current one
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (here := tmp_path / "here").mkdir()
    monkeypatch.chdir(here)
    assert cli.main(["graph", "a", "a=1", "--no-player", "--out=~/pics"]) == 0
    assert (tmp_path / "home" / "pics" / "graph.dot").is_file() and not (here / "~").exists()
    assert f"wrote {tmp_path / 'home' / 'pics' / 'graph.dot'}" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["graph", "a", "a=1", "--out"], ["report", "--out"], ["explore", "--out"],
                                  ["chaos", "--json"]])
def test_an_output_path_starting_with_the_tilde_of_an_unknown_user_is_a_usage_error(argv, capsys) -> None:
    # `--out=~nobody_here/x` (the shell leaves it as it is) ended in a RuntimeError traceback from pathlib
    with pytest.raises(SystemExit) as info:
        cli.main([*argv, "~no_such_user_tgi/x.json"])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith(f"error: argument {argv[-1]}: '~no_such_user_tgi/x.json' starts with "
                                            "~no_such_user_tgi, but there is no user no_such_user_tgi whose home "
                                            "folder it could name; write the path out (or ./~no_such_user_tgi/x.json"
                                            " for a folder of that name)\n")


def test_an_output_path_starting_with_a_tilde_without_a_home_folder_is_a_usage_error(monkeypatch, capsys) -> None:
    # no HOME and a user id without a passwd entry (a container run with --user 12345): pathlib's RuntimeError
    import pwd

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
    with pytest.raises(SystemExit) as info:
        cli.main(["graph", "a", "a=1", "--out", "~/pics"])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith("error: argument --out: '~/pics' starts with ~, but HOME is not set; "
                                            "write the path out (or ./~/pics for a folder of that name)\n")


@pytest.mark.parametrize("argv", [["demo", "--epochs"], ["demo", "--batch-size"], ["demo", "--every"],
                                  ["sweep", "--depth"], ["sweep", "--width"]])
def test_a_count_of_zero_is_refused_by_its_option(argv, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([*argv, "0"])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith(f"error: argument {argv[1]}: expected a whole number >= 1, got 0\n")


def test_sweep_takes_a_batch_of_two_the_smallest_with_a_spread(capsys) -> None:
    assert cli.main(["sweep", "--batch", "2", "--depth", "1", "--width", "3", "--format", "csv"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli.main(["sweep", "--batch", "1"])
    assert "argument --batch: expected a whole number >= 2, got 1" in capsys.readouterr().err


def test_demo_prints_every_epochs_over_10_epochs_by_default(capsys) -> None:
    # --help: K = max(1, epochs // 10): 25 epochs print epochs 1, 2, 4, ..., 24 and 25; 9 epochs every one
    for epochs, expected in ((25, [1, *range(2, 25, 2), 25]), (9, list(range(1, 10)))):
        assert cli.main(["demo", "--samples", "16", "--hidden", "2", "--epochs", str(epochs)]) == 0
        out = capsys.readouterr().out
        rows = re.findall(r"^\s+(\d+)\s+[\d.]+\s+[\d.]+%\s+[\d.]+%$", out, flags=re.M)
        assert [int(e) for e in rows] == expected
        assert re.search(r"^\s+epoch\s+loss\s+train acc\s+test acc$", out, flags=re.M)  # the columns named
        assert "(check = max |x.T @ dL/dy - dL/dW| / max |dL/dW|" in out  # and the check column explained


def test_report_passes_its_options_to_build_report_into_a_folder_it_makes(tmp_path, monkeypatch, capsys) -> None:
    # the command's part, without the minutes of experiments: the folder (nested, or there already) and the flags
    import types

    calls = []

    def build_report(out, **kwargs):
        calls.append((out, kwargs))
        return types.SimpleNamespace(stage_seconds={"verdict": 1.5}, seconds=2.0)

    monkeypatch.setattr(cli.report, "build_report", build_report)
    out = tmp_path / "a" / "b"
    assert cli.main(["report", "--out", str(out), "--seed", "3", "--quick", "--svg", "--no-progress"]) == 0
    assert cli.main(["report", "--out", str(out)]) == 0  # into the folder the first run made
    assert out.is_dir() and [c[0] for c in calls] == [out, out]
    assert [{k: v for k, v in c[1].items() if k != "log"} for c in calls] == [
        {"seed": 3, "quick": True, "progress": False, "svg": True},
        {"seed": 0, "quick": False, "progress": True, "svg": False}]
    assert capsys.readouterr().err == "tinygrad-init report: done in 2.0 s (verdict 1.5 s)\n" * 2


@pytest.mark.parametrize("name", ["report.html", "report.json"])
def test_report_names_the_file_it_cannot_write_before_any_work(tmp_path, monkeypatch, capsys, name) -> None:
    (tmp_path / name).mkdir()  # a folder where the page or its numbers go: said at once, not after minutes of work
    runs = []
    monkeypatch.setattr(cli.report, "build_report", lambda *args, **kwargs: runs.append(args))
    assert cli.main(["report", "--out", str(tmp_path)]) == 1 and runs == []
    assert capsys.readouterr().err == f"tinygrad-init report: cannot write into {tmp_path}: " \
        f"{tmp_path / name} is a folder, not a file: move it away or write elsewhere\n"


def test_graph_of_a_tensor_mlp_puts_each_layer_in_its_own_box(tmp_path, capsys) -> None:
    # --help: "tensor: a node per weight matrix"; the picture groups each module's nodes ("cluster_legend" is no layer)
    assert cli.main(["graph", "--mlp", "2,3,1", "--engine", "tensor", "--no-player", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    dot = (tmp_path / "graph.dot").read_text(encoding="utf-8")
    for label in ("layers.0 (Linear)", "layers.1 (Tanh)", "layers.2 (Linear)"):
        assert f'label="{label}"' in dot


def test_demo_refuses_a_hidden_width_of_zero(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["demo", "--hidden", "16", "0"])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith("error: argument --hidden: expected a whole number >= 1, got 0\n")


@pytest.mark.parametrize("name", ["heat.png/", "heat.png\\"])
def test_a_figure_path_ending_in_a_slash_is_refused_though_pathlib_drops_it(name, tmp_path, monkeypatch,
                                                                           capsys) -> None:
    # Path("heat.png/").suffix is ".png": the slash (a folder meant) is caught on the text
    monkeypatch.chdir(tmp_path)  # were it taken, the run would write here
    with pytest.raises(SystemExit):
        cli.main(["chaos", "--quick", "--figure", name])
    assert f"argument --figure: expected a file name ending in .png or .svg or .pdf, got {name!r}" in \
        capsys.readouterr().err


@pytest.mark.parametrize(("command", "sentence", "shown", "not_shown"), [
    ("demo", "Train a small tanh MLP and show its gradients layer by layer.", "(default: 100)", "(default: None)"),
    ("report", "Run the initialization experiments and write the lecture report (HTML, figures, data).",
     "(default: 0)", "(default: False)")])
def test_help_describes_the_command_as_a_sentence_and_shows_only_real_defaults(command, sentence, shown, not_shown,
                                                                               capsys) -> None:
    # the description is the command's help, capitalised, with a full stop; "(default: ...)" unless None or False
    with pytest.raises(SystemExit) as info:
        cli.main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal's width
    assert info.value.code == 0 and sentence in out and shown in out and not_shown not in out


def test_a_missing_dependency_is_one_line_with_the_install_command_and_another_missing_module_a_traceback(
        tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)

    def missing(name: str):
        def mpl():
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return mpl

    monkeypatch.setattr(cli, "mpl", missing("matplotlib"))
    assert cli.main(["chaos", "--quick"]) == 1
    assert capsys.readouterr().err == ("tinygrad-init chaos: tinygrad_init needs matplotlib, which is not installed; "
                                       "install it: pip install matplotlib\n")
    monkeypatch.setattr(cli, "mpl", missing("not_a_dependency"))
    with pytest.raises(ModuleNotFoundError, match="not_a_dependency"):  # a bug of ours: not hidden as an install hint
        cli.main(["chaos", "--quick"])
