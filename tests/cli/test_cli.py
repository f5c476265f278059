"""Tests of the command line (tinygrad_init.cli), run in-process."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
import time

import numpy as np
import pytest

from tinygrad_init import __version__, cli, data
from tinygrad_init.nn import MLP

FAST = ["--epochs", "60"]


def _final(text: str) -> tuple[float, float, float]:
    m = re.search(r"final: loss ([\d.]+), train accuracy ([\d.]+)%, test accuracy ([\d.]+)%", text)
    assert m, f"no final line in:\n{text}"
    return float(m[1]), float(m[2]) / 100, float(m[3]) / 100


def test_every_name_the_command_line_exports_is_defined() -> None:
    assert [name for name in cli.__all__ if not hasattr(cli, name)] == []


def test_demo_learns_moons_and_prints_the_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", *FAST]) == 0
    text = capsys.readouterr().out
    loss, train_acc, test_acc = _final(text)
    assert train_acc > 0.9 and test_acc > 0.9
    assert loss < 0.2
    assert "2-16-16-1 tanh MLP on moons" in text
    assert "Each gradient = upstream x local" in text
    assert "Gradients at initialization" in text and "Gradients after training" in text
    rows = re.findall(r"^\s+(\d)\s+(layers\.\d)\s+(\d+x\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", text, re.M)
    assert [r[:3] for r in rows] == [("1", "layers.0", "2x16"), ("2", "layers.2", "16x16"),
                                     ("3", "layers.4", "16x1")] * 2  # layers numbered 1..L
    for r in rows:
        stats = [float(v) for v in r[3:]]
        assert all(np.isfinite(stats)) and all(v > 0 for v in stats[:3])
        assert stats[3] < 1e-5  # x.T @ dL/dy reproduces dL/dW up to float32 rounding


def test_demo_loss_goes_down_and_is_printed_every_few_epochs(capsys: pytest.CaptureFixture[str]) -> None:
    summary = cli.run_demo(cli.build_parser().parse_args(["demo", "--epochs", "30", "--every", "10"]))
    out = capsys.readouterr().out
    epochs = [h[0] for h in summary["history"]]
    assert epochs == [1, 10, 20, 30]
    losses = [h[1] for h in summary["history"]]
    assert losses[-1] < losses[0]
    for epoch, loss, train_acc, test_acc in summary["history"]:
        assert re.search(rf"^\s+{epoch}\s+{loss:.4f}\s+{train_acc:.1%}\s+{test_acc:.1%}$", out, re.M)


def test_demo_says_its_epoch_loss_is_the_mean_over_the_epochs_batches() -> None:
    # epoch 1 printed "loss 0.5650, train acc 84.0%": the loss the mean of the batch losses while the weights moved
    # (from ~0.69), the accuracy that of the weights after the epoch; the header said only "loss", and the last line's
    # "final: loss 0.0025" (the whole set, after training) differed from epoch 100's 0.0024 without a word
    out = io.StringIO()
    summary = cli.run_demo(cli.build_parser().parse_args(["demo", "--epochs", "2", "--batch-size", "200"]), out=out)
    assert "(an epoch's loss: the mean over its batches as they trained; its accuracies: after it)" in out.getvalue()
    assert summary["history"][-1][1] != summary["final_loss"]  # one batch a step: the loss before it, not after


def test_demo_is_deterministic_and_depends_on_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["demo", "--epochs", "5"])
    first = capsys.readouterr().out
    cli.main(["demo", "--epochs", "5"])
    assert capsys.readouterr().out == first
    cli.main(["demo", "--epochs", "5", "--seed", "1"])
    assert capsys.readouterr().out != first


def test_demo_other_dataset_and_widths(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--dataset", "circles", "--hidden", "8", "--epochs", "3", "--noise", "0"]) == 0
    text = capsys.readouterr().out
    assert "2-8-1 tanh MLP on circles" in text and "noise=0.0" in text
    assert re.search(r"2\s+layers\.2\s+8x1", text)


def test_gradient_table_matches_an_independent_computation() -> None:
    X, y = data.moons(64, rng=0)
    model = MLP([2, 5, 3, 1], activation="tanh", rng=1)
    before = [p.data.copy() for p in model.parameters()]
    rows = cli.gradient_table(model, X, y)
    # nothing was updated and the gradients were cleared again
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, b)
        assert p.grad is None
    assert [r["name"] for r in rows] == ["layers.0", "layers.2", "layers.4"] and [r["layer"] for r in rows] == [1, 2, 3]
    assert [r["shape"] for r in rows] == [(2, 5), (5, 3), (3, 1)]

    # Redo the forward pass by hand in float64. For the mean binary cross-entropy on logits
    # z, dL/dz = (sigmoid(z) - t) / n; backpropagate through tanh by hand.
    W = [m.weight.data.astype(np.float64) for m in model.linears()]
    b = [m.bias.data.astype(np.float64) for m in model.linears()]
    x0 = X.astype(np.float64)
    z1 = x0 @ W[0] + b[0]; h1 = np.tanh(z1)
    z2 = h1 @ W[1] + b[1]; h2 = np.tanh(z2)
    z3 = h2 @ W[2] + b[2]
    g3 = (1 / (1 + np.exp(-z3)) - y.reshape(-1, 1)) / len(y)
    g2 = (g3 @ W[2].T) * (1 - h2**2)
    g1 = (g2 @ W[1].T) * (1 - h1**2)
    for row, x, g in zip(rows, (x0, h1, h2), (g1, g2, g3)):
        gw = x.T @ g
        assert row["grad_out_std"] == pytest.approx(g.std(), rel=1e-4)
        assert row["grad_w_std"] == pytest.approx(gw.std(), rel=1e-4)
        assert row["grad_w_norm"] == pytest.approx(np.linalg.norm(gw), rel=1e-4)
        assert 0 <= row["check"] < 1e-5


@pytest.mark.parametrize("argv", [["--help"], ["demo", "--help"], ["report", "--help"]])
def test_help_teaches_with_examples(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text
    assert "tinygrad-init" in text
    if argv[0] == "demo":
        assert "upstream" in text and "--seed" in text


def test_every_help_fits_a_terminal_100_columns_wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # the descriptions of explore and chaos were single lines of 288 and 303 characters, and tinygrad-init's own of
    # 130 and 158: a terminal breaks them mid-word
    import argparse

    from tinygrad_init.exercises import grader

    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps the options to it; descriptions and epilogs are as written
    parsers, long = [("tinygrad-init", cli.build_parser()), ("tinygrad-init exercises", grader.build_parser())], []
    for name, parser in parsers:
        parsers += [(f"{name} {word}", sub) for action in parser._actions if isinstance(action,
                    argparse._SubParsersAction) for word, sub in action.choices.items() if sub.add_help]
        long += [f"{name} --help: {line}" for line in parser.format_help().splitlines() if len(line) > 100]
    assert len(parsers) == 11 and not long, "\n".join(long)


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


@pytest.mark.parametrize("argv,fragment", [
    (["demo", "--lr", "0"], "--lr: expected a number > 0, got 0"),
    (["demo", "--momentum", "1"], "--momentum: expected a number in [0, 1), got 1"),
    (["demo", "--samples", "4"], "--samples: expected a whole number >= 8"),
    (["demo", "--epochs", "two"], "--epochs: expected a whole number"),
    (["demo", "--seed", "-2"], "--seed: expected a whole number >= 0"),
    (["demo", "--dataset", "blobs"], "invalid choice: 'blobs'"),
    (["demo", "--noise", "-0.1"], "--noise: expected a number >= 0, got -0.1"),
    (["train"], "invalid choice: 'train'"),
])
def test_bad_options_exit_2_with_a_message(argv, fragment, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert fragment in capsys.readouterr().err


def test_python_dash_m_and_version() -> None:
    done = subprocess.run([sys.executable, "-m", "tinygrad_init", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"tinygrad-init {__version__}"


def test_exercises_subcommand_hands_over_to_the_grader(capsys, tmp_path):
    from tinygrad_init.cli import main

    assert main(["exercises", "list"]) == 0
    assert "ex01" in capsys.readouterr().out
    assert main(["exercises", "start", str(tmp_path / "mine")]) == 0
    assert (tmp_path / "mine").is_dir() and any((tmp_path / "mine").iterdir())
    assert main(["exercises", "grade", str(tmp_path / "mine"), "ex01"]) == 1  # the blank stub fails


def test_explore_states_a_small_page_size_in_kib(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explore", "--quick", "--out", str(tmp_path)]) == 0
    size = (tmp_path / "explorer.html").stat().st_size
    assert size < 1e5 and f"({size / 1024:.0f} KiB)" in capsys.readouterr().out  # not "(0.0 MB)"


@pytest.mark.parametrize("argv, numbers", [  # 2-H-H-1: 2H + H + H^2 + H + H + 1 weights and biases, samples x (4 + 2H)
    (["--hidden", "60000", "60000"], "--hidden 60000 60000 --samples 200 makes 3,624,300,601"),
    (["--samples", "100000000"], "--hidden 16 16 --samples 100000000 makes 3,500,000,337"),
    (["--samples", "2857143"], "--hidden 16 16 --samples 2857143 makes 100,000,342")])  # just past the limit
def test_a_demo_too_large_for_memory_is_refused_before_it_is_built(argv, numbers, monkeypatch, capsys) -> None:
    # `demo --hidden 60000 60000` would draw 14 GB of weights, which overcommit lets through, then their gradients and
    # momentum; `--samples 100000000` would keep every point's activations for the gradient table (2 million points:
    # 930 MB, 38 s an epoch): more than the machine has (extrapolated, not run)
    monkeypatch.setattr(cli, "run_demo", lambda *a, **k: pytest.fail("the demo ran"))
    assert cli.main(["demo", *argv]) == 2
    err = capsys.readouterr().err
    assert err == f"tinygrad-init demo: {numbers} weights and activations; at most 100,000,000 (about 5 GB): use " \
        "smaller widths or fewer samples\n", err


def test_a_sweep_too_large_for_memory_is_refused_before_it_runs(monkeypatch, capsys) -> None:
    # `sweep --width 40000` would draw a 40,000 x 40,000 float64 matrix, 12.8 GB, which overcommit lets through, then
    # the next layer's (extrapolated, not run: a layer 3,000 wide with a batch of 1,000 took 590 MB)
    monkeypatch.setattr(cli, "sweep_table", lambda *a, **k: pytest.fail("the sweep ran"))
    assert cli.main(["sweep", "--width", "40000"]) == 2
    assert capsys.readouterr().err == "tinygrad-init sweep: --width 40000 --batch 1000 makes 1,640,000,000 weights " \
        "and activations a layer; at most 100,000,000 (about 5 GB): use a smaller --width or --batch\n"


@pytest.mark.parametrize("argv, numbers", [(["--depth", "100000"], "75,000,000,000"),
                                           (["--depth", "1000", "--batchnorm"], "1,500,000,000")])
def test_a_sweep_too_deep_for_memory_is_refused_before_it_runs(argv, numbers, monkeypatch, capsys) -> None:
    # only a layer was counted: `sweep --depth 100000` (500 wide, batch 1,000) set out to keep 100,000 layers for
    # backward, about 3 MB each (measured: 100 layers 1,000 wide, batch 1,000, 0.9 GB; 1.6 GB with --batchnorm)
    monkeypatch.setattr(cli, "sweep_table", lambda *a, **k: pytest.fail("the sweep ran"))
    assert cli.main(["sweep", *argv]) == 2
    assert capsys.readouterr().err == f"tinygrad-init sweep: --depth {argv[1]} --width 500 --batch 1000" + \
        " --batchnorm" * ("--batchnorm" in argv) + f" makes {numbers} weights and activations kept for backward" + \
        " (twice: the norm's too)" * ("--batchnorm" in argv) + "; at most 1,000,000,000 (about 5 GB): use a smaller " \
        "--depth, --width or --batch\n"
    monkeypatch.setattr(cli, "sweep_table", lambda *a, **k: (_ for _ in ()).throw(LookupError(f"ran {k['depth']}")))
    with pytest.raises(LookupError, match="ran 1333"):  # just under the limit: it runs
        cli.main(["sweep", "--depth", "1333"])


def test_a_sweep_whose_theory_overflows_is_one_line_not_a_traceback(capsys) -> None:
    # `sweep --init large --activation relu --depth 300 --width 50`: the predicted variance grows 25x a layer, past
    # float64's 1.8e308 at layer 221, and theory.predict's ValueError ended in a traceback
    argv = ["sweep", "--init", "large", "--activation", "relu", "--depth", "300", "--width", "50", "--batch", "2"]
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert not out and err.startswith("tinygrad-init sweep: the predicted variance of layer 221 overflows") and \
        err.count("\n") == 1, err


def test_a_sweep_whose_theory_overflows_says_which_options_to_change_and_the_depth_it_names_runs(capsys) -> None:
    # it said "predict: ... use smaller weight stds or fewer layers": a function and words the command line has not
    argv = ["sweep", "--init", "large", "--activation", "relu", "--width", "50", "--batch", "2"]
    assert cli.main([*argv, "--depth", "300"]) == 2
    err = capsys.readouterr().err
    assert "predict:" not in err and "--init large" in err, err
    depth = re.search(r"take --depth (\d+) or less, or an --init of smaller weights\n$", err)[1]
    assert cli.main([*argv, "--depth", depth]) == 0 and int(depth) == 220


def test_a_sweep_whose_predicted_gradient_overflows_names_the_options_and_a_depth_that_runs(capsys) -> None:
    # tanh with large weights keeps its forward variance but its gradient grows a layer down: predict's words
    # ("use ... fewer layers or a smaller grad_std_top") named a keyword the command line has not
    argv = ["sweep", "--init", "large", "--activation", "tanh", "--width", "50", "--batch", "2"]
    assert cli.main([*argv, "--depth", "600"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tinygrad-init sweep: the predicted gradient variance below layer 88 overflows float64 "
                          "with --init large;") and "grad_std_top" not in err, err
    depth = re.search(r"take --depth (\d+) or less, or an --init of smaller weights\n$", err)[1]
    assert cli.main([*argv, "--depth", depth]) == 0 and int(depth) == 512


def test_running_out_of_memory_is_one_line_not_a_traceback(monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    def too_big(*args, **kwargs):
        raise MemoryError("Unable to allocate 149. GiB for an array with shape (100000, 200000)")

    monkeypatch.setattr(cli, "sweep_table", too_big)
    assert cli.main(["sweep", "--width", "5000", "--batch", "10000"]) == 1  # under the sizes refused before the run
    err = capsys.readouterr().err
    assert err.startswith("tinygrad-init sweep: out of memory") and "149. GiB" in err and err.count("\n") == 1


#: The environment of a user's shell: stdout to a pipe or a file is buffered (PYTHONUNBUFFERED hides what its last
#: flush at exit does).
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize("argv", [["tinygrad_init", "exercises", "list"], ["tinygrad_init", "demo", "--epochs", "1"],
                                  ["tinygrad_init", "sweep", "--depth", "2"], ["tinygrad_init.exercises", "list"]])
def test_output_piped_into_a_reader_that_stops_is_no_traceback(argv: list[str]) -> None:
    # `tinygrad-init exercises list | head -1`: the reader is gone before the first line is written
    proc = subprocess.Popen([sys.executable, "-m", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=BUFFERED)
    proc.stdout.close()
    err = proc.communicate(timeout=120)[1]
    assert "Traceback" not in err and proc.returncode == 1, err


@pytest.mark.parametrize("argv", [["tinygrad_init", "sweep", "--depth", "2"], ["tinygrad_init", "exercises", "list"],
                                  ["tinygrad_init.exercises", "list"]])
def test_a_closed_stdout_is_no_traceback(argv: list[str]) -> None:  # `tinygrad-init sweep >&-`: sys.stdout is None
    done = subprocess.run([sys.executable, "-m", *argv], stderr=subprocess.PIPE,
                          preexec_fn=lambda: os.close(1), text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr


@pytest.mark.parametrize("argv", [["report", "--out", "-"], ["explore", "--out", "-"], ["chaos", "--json", "-"],
                                  ["graph", "a*b", "a=1", "b=2", "--out", "-"], ["exercises", "start", "-"]])
def test_a_dash_for_standard_output_is_refused_not_made_a_folder(argv: list[str], tmp_path, monkeypatch,
                                                                  capsys) -> None:
    # `graph "x*x" x=3 --out -`, as other commands write to stdout, made a folder named - and wrote into it
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    line = capsys.readouterr().err.splitlines()[-1]
    assert exc.value.code == 2 and line.endswith("'-' (standard input or output) is not offered: name a file or "
                                                 "folder (./- for one named -)"), line
    assert list(tmp_path.iterdir()) == []


def test_the_help_gives_the_report_timings_the_readme_measured() -> None:
    # the README: 11.9-12.4 s idle, 22-75 s shared; --quick 4.6-5.0 s idle, 6-20 s shared
    from pathlib import Path

    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    idle, quick_idle, busy, quick_busy = re.search(
        r"took ([\d.]+-[\d.]+) s of wall time and `--quick` .*? ([\d.]+-[\d.]+) s; while other jobs shared the "
        r"machine \(load average [^)]*\) (\d+-\d+) s and (\d+-\d+) s", readme).group(1, 2, 3, 4)
    text = cli._TIMES
    top = [round(float(r.split("-")[1])) for r in (idle, quick_idle)]  # the idle ranges, rounded up
    assert f"about {top[0]} s on two idle cores ({busy} s when busy), --quick {top[1]} s ({quick_busy} s)" in text


def test_the_explore_help_gives_the_time_its_docs_page_measured(capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    page = " ".join((Path(__file__).resolve().parents[2] / "docs/howto/explorer.md").read_text("utf-8").split())
    cpu = re.search(r"\((\d+) s of CPU time", page)[1]  # the full grid; "a minute" was what the help said
    with pytest.raises(SystemExit):
        cli.main(["explore", "--help"])
    assert f"about {cpu} s of CPU time" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("argv", [["report", "--out", ""], ["explore", "--out", ""], ["chaos", "--json", ""],
                                  ["graph", "a*b", "a=1", "b=2", "--out", ""]])
def test_an_empty_output_path_is_refused(argv: list[str], tmp_path, monkeypatch, capsys) -> None:
    # `report --out "$UNSET"` wrote into the current folder, replacing its figures/ and data/ folders
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.csv").write_text("keep me")
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2 and f"{argv[-2]}: expected a path, got ''" in capsys.readouterr().err
    assert (tmp_path / "data" / "mine.csv").read_text() == "keep me"


@pytest.mark.parametrize("name", ["r.html", "r.HTM"])
def test_a_report_out_that_names_a_file_is_refused(name: str, tmp_path, monkeypatch, capsys) -> None:
    # `report --out r.html` (as `explore --out e.html` takes a file) made a folder r.html/ with report.html in it
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli.report, "build_report", lambda *a, **k: pytest.fail("the report ran"))
    with pytest.raises(SystemExit) as exc:
        cli.main(["report", "--out", name])
    assert exc.value.code == 2 and capsys.readouterr().err.splitlines()[-1] == "tinygrad-init report: error: " \
        f"argument --out: {name} names a file, but --out is the folder that report.html, report.json, figures/ and " \
        "data/ go into; write e.g. --out r"
    assert not (tmp_path / name).exists()


def test_the_help_of_every_says_how_many_loss_lines_the_default_prints() -> None:
    # the help said "10 lines in all" where the 100 epochs of the default print 11 (epochs 1, 10, 20, ..., 100)
    parser = cli.build_parser()
    demo = parser._subparsers._group_actions[0].choices["demo"]
    text = next(a.help for a in demo._actions if a.dest == "every")
    claimed = int(re.search(r"(\d+) lines", text).group(1))
    summary = cli.run_demo(parser.parse_args(["demo"]), out=io.StringIO())
    assert len(summary["history"]) == claimed, text


def test_ctrl_c_is_one_line_and_exit_130_not_a_traceback() -> None:
    import signal

    # Ctrl-C in a terminal interrupts the whole process group, mid-training. SIGINT as a terminal leaves it: a job
    # started in the background of a non-interactive shell (a CI runner, nohup) inherits it ignored
    proc = subprocess.Popen([sys.executable, "-m", "tinygrad_init", "demo", "--epochs", "100000", "--every", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while "      1  " not in proc.stdout.readline():  # training has started
        pass
    os.killpg(proc.pid, signal.SIGINT)
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130 and err == "tinygrad-init demo: interrupted\n", err


def test_ctrl_c_leaves_no_worker_process_behind(tmp_path, monkeypatch, capsys) -> None:
    import multiprocessing

    # Ctrl-C reaches the report's worker processes too; now and then one was left waiting on a lock of its queue,
    # and after "interrupted" the command never ended: Python's exit waits for every child process. A child that
    # sleeps plays that worker here
    def build_report(*args, **kwargs):
        multiprocessing.get_context("fork").Process(target=time.sleep, args=(600,)).start()
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.report, "build_report", build_report)
    try:
        assert cli.main(["report", "--out", str(tmp_path)]) == 130
        assert capsys.readouterr().err == "tinygrad-init report: interrupted\n"
        deadline = time.monotonic() + 10
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not multiprocessing.active_children()
    finally:
        for child in multiprocessing.active_children():
            child.kill()


def test_a_report_worker_killed_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    from concurrent.futures.process import BrokenProcessPool

    # Ctrl-C as the report's workers start (Python 3.13: 2 of 8 runs interrupted in their first 2 s) killed one, and
    # the command's own KeyboardInterrupt was lost in a callback ("Exception ignored in: ..."): the command ended in
    # BrokenProcessPool's traceback, 30 lines; so would a worker the system killed for memory
    def build_report(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly while the future was running "
                                "or pending.")

    monkeypatch.setattr(cli.report, "build_report", build_report)
    assert cli.main(["report", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "tinygrad-init report: a worker process was killed (by Ctrl-C, or by the " \
        "system for want of memory)\n"


def test_a_report_piped_into_a_reader_that_stops_is_not_said_to_be_unwritable(tmp_path, monkeypatch, capsys) -> None:
    import types

    # `tinygrad-init report --quick | head -1`: the list of the files written met the closed pipe, and the command
    # said "cannot write into DIR: Broken pipe" of the folder it had just written
    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return spare.fileno()

    def build_report(out, log, **kwargs):
        print(f"wrote {out / 'report.html'}", file=log)
        return types.SimpleNamespace(stage_seconds={}, seconds=1.0)

    monkeypatch.setattr(cli.report, "build_report", build_report)
    with open(tmp_path / "spare", "w") as spare:
        monkeypatch.setattr(sys, "stdout", Gone())
        assert cli.main(["report", "--out", str(tmp_path / "r")]) == 1
    assert "cannot write" not in capsys.readouterr().err


@pytest.mark.parametrize("module", ["tinygrad_init", "tinygrad_init.exercises"])
def test_ctrl_c_while_grading_is_one_line_and_exit_130_not_a_traceback(module: str, tmp_path) -> None:
    import signal

    # under `python -m tinygrad_init.exercises` it was KeyboardInterrupt's traceback, 25 lines deep in the runner
    started = tmp_path / "started"
    (tmp_path / "ex01_mul_backward.py").write_text(f"def mul_backward(a, b, upstream):\n    open({str(started)!r}, "
                                                   "'w').close()\n    while True:\n        pass\n")
    argv = ["exercises"] * (module == "tinygrad_init") + ["grade", str(tmp_path), "ex01", "--timeout", "100"]
    proc = subprocess.Popen([sys.executable, "-m", module, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:  # the student's loop is running
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    err = proc.communicate(timeout=120)[1]
    prog = "tinygrad-init exercises" if module == "tinygrad_init" else "python -m tinygrad_init.exercises"
    assert proc.returncode == 130 and err == f"{prog}: interrupted\n", err


@pytest.mark.parametrize("argv", [["sweep", "--depth", "2", "--width", "4"], ["exercises", "list"]])
def test_output_onto_a_full_disk_is_one_line_and_exit_1_not_a_traceback(argv: list[str]) -> None:

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full (a device that is always full) on this system")
    with open("/dev/full", "w") as full:  # `tinygrad-init sweep --format csv > bn.csv` with no space left
        done = subprocess.run([sys.executable, "-m", "tinygrad_init", *argv], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120, env=BUFFERED)
    assert done.returncode == 1 and done.stderr == f"tinygrad-init {argv[0]}: cannot write the output: No space " \
        "left on device\n", done.stderr


@pytest.mark.parametrize("argv, fails", [(["--version"], "write"), (["--help"], "flush"), (["demo", "--help"], "write"),
                                         (["graph", "--help"], "flush")])
def test_help_onto_a_full_disk_is_one_line_and_exit_1(argv: list[str], fails: str, tmp_path, monkeypatch,
                                                      capsys) -> None:
    # `tinygrad-init --help > help.txt` with no space left: argparse drops an error of its write (an unbuffered
    # stdout: an empty file and exit 0), and Python's exit met the one of the flush ("Exception ignored in:
    # <_io.TextIOWrapper name='<stdout>'...>", exit 120)
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            return self.flush() if fails == "write" else super().write(text)

        def flush(self) -> None:
            raise OSError(28, "No space left on device")

        def fileno(self) -> int:
            return spare.fileno()

    with open(tmp_path / "spare", "w") as spare:
        monkeypatch.setattr(sys, "stdout", Full())
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
    name = "tinygrad-init" + f" {argv[0]}" * (argv[0][0] != "-")
    assert exc.value.code == 1 and capsys.readouterr().err == f"{name}: cannot write the output: No space left " \
        "on device\n"


@pytest.mark.parametrize("argv, fails", [(["exercises", "--help"], "write"), (["exercises", "--help"], "flush"),
                                         (["exercises", "grade", "--help"], "write")])
def test_exercises_help_onto_a_full_disk_is_one_line_and_exit_1(argv: list[str], fails: str, tmp_path, monkeypatch,
                                                                capsys) -> None:
    # `tinygrad-init exercises --help > help.txt` with no space left: where the write itself failed (its text went
    # out at once), argparse dropped the error, and the command left an empty file with exit 0
    class Full(io.StringIO):  # "write": the write fails and leaves nothing to flush, as a file's buffer does
        def write(self, text: str) -> int:
            if fails == "write":
                raise OSError(28, "No space left on device")
            return super().write(text)

        def flush(self) -> None:
            if fails == "flush":
                raise OSError(28, "No space left on device")

        def fileno(self) -> int:
            return spare.fileno()

    with open(tmp_path / "spare", "w") as spare:
        monkeypatch.setattr(sys, "stdout", Full())
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # the exit code, whether returned or raised
            code = exc.code
    assert code == 1 and capsys.readouterr().err == "tinygrad-init exercises: cannot write the output: No space " \
        "left on device\n"


@pytest.mark.parametrize("argv", [["--help"], ["list"]])
def test_python_m_exercises_onto_a_full_disk_is_one_line_and_exit_1(argv: list[str]) -> None:
    # `python -m tinygrad_init.exercises --help > /dev/full` ended with exit 0 and no word; `list` said
    # "cannot write: No space left on device (None)"
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full (a device that is always full) on this system")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "tinygrad_init.exercises", *argv], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=BUFFERED)
    assert done.returncode == 1 and done.stderr == "python -m tinygrad_init.exercises: cannot write the output: No " \
        "space left on device\n", done.stderr


def test_exercises_start_into_a_path_under_a_file_is_a_message_not_a_traceback(tmp_path, capsys) -> None:
    (tmp_path / "notes").write_text("mine")
    assert cli.main(["exercises", "start", str(tmp_path / "notes" / "work")]) == 1
    err = capsys.readouterr().err
    assert err == f"tinygrad-init exercises: cannot write: {tmp_path / 'notes'} is a file, not a folder\n"


def test_demo_hidden_widths_written_as_graph_mlp_takes_them_say_how_to_write_them(capsys) -> None:
    # `graph --mlp 2,16,1` takes commas, `demo --hidden 16 16` spaces: `--hidden 16,16` said only "expected a whole
    # number, got '16,16'"
    with pytest.raises(SystemExit) as exc:
        cli.main(["demo", "--hidden", "16,16"])
    assert exc.value.code == 2 and "argument --hidden: expected a whole number, got '16,16' (widths are separated " \
        "by spaces: --hidden 16 16)" in capsys.readouterr().err


@pytest.mark.parametrize("argv, unknown", [(["demo", "--epocs", "5"], "--epocs 5"), (["sweep", "--depht", "3"],
                                            "--depht 3"), (["report", "--out", "r", "-q"], "-q"),
                                           (["graph", "a*b", "a=1", "b=2", "--outt", "g"], "--outt g")])
def test_a_misspelt_option_is_refused_with_the_usage_of_its_command(argv: list[str], unknown: str, capsys) -> None:
    # it was "usage: tinygrad-init [-h] [--version] COMMAND ...\ntinygrad-init: error: ...": not the command's options
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.startswith(f"usage: tinygrad-init {argv[0]} [-h]"), err
    assert f"\ntinygrad-init {argv[0]}: error: unrecognized arguments: {unknown}" in err, err


@pytest.mark.parametrize("argv, hint", [
    (["sweepp"], "invalid choice: 'sweepp' (choose from 'demo', "), (["demo", "--dataset", "moon"], "'moons'"),
    (["sweep", "--activation", "tahn"], "'tanh'"), (["sweep", "--format", "jsn"], "'json'"),
    (["graph", "x", "x=1", "--rankdir", "LRR"], "'LR'"), (["demo", "--datset", "moons"], "--dataset"),
    (["demo", "--epocs=5", "--btch", "3"], "--epochs, --batch-size"), (["--verison"], "--version")])
def test_a_misspelt_name_is_answered_with_the_nearest_one(argv: list[str], hint: str, capsys) -> None:
    # Python 3.10-3.13's argparse listed the choices, or said "unrecognized arguments", but named no near miss
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    line = capsys.readouterr().err.splitlines()[-1]
    assert exc.value.code == 2 and hint in line and "did you mean" in line, line
    assert line.endswith("(did you mean 'sweep'?)" if argv == ["sweepp"] else f"(did you mean {hint}?)"), line


def test_python_m_exercises_start_into_a_path_under_a_file_is_a_message_not_a_traceback(tmp_path) -> None:
    # the same under `python -m tinygrad_init.exercises` (docs/exercises.md) ended in NotADirectoryError's traceback
    (tmp_path / "notes").write_text("mine")
    done = subprocess.run([sys.executable, "-m", "tinygrad_init.exercises", "start", str(tmp_path / "notes" / "w")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stderr == "python -m tinygrad_init.exercises: cannot write: Not a " \
        f"directory ({tmp_path / 'notes' / 'w'})\n", done.stderr


def test_the_exercises_commands_they_suggest_run_as_pasted_for_a_folder_with_a_space(tmp_path, capsys) -> None:
    import shlex

    work = str(tmp_path / "my work")
    assert cli.main(["exercises", "start", work, "5"]) == 0
    suggested = [line.split(": ", 1)[1].strip() for line in capsys.readouterr().out.splitlines()
                 if "tinygrad-init exercises grade" in line]  # "3. Check it: ..." and "or all of them: ..."
    assert suggested == [f"tinygrad-init exercises grade {shlex.quote(work)} ex05",
                         f"tinygrad-init exercises grade {shlex.quote(work)}"]
    assert cli.main(shlex.split(suggested[0])[1:]) == 1  # it grades (the blank stub fails) instead of a usage error
    assert "FAIL  ex05" in capsys.readouterr().out
    assert cli.main(["exercises", "grade", work, "6"]) == 1  # not started: the command to start it
    assert f"tinygrad-init exercises start {shlex.quote(work)} ex06" in capsys.readouterr().out


def test_output_in_an_encoding_without_the_math_signs_is_no_traceback(tmp_path) -> None:
    # `tinygrad-init graph ... > out.txt` on Windows writes cp1252, which has no ∂: a UnicodeEncodeError traceback

    done = subprocess.run([sys.executable, "-m", "tinygrad_init", "graph", "a*b", "a=2", "b=3", "--no-player",
                           "--max-nodes", "0", "--out", str(tmp_path)], capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert "Traceback" not in done.stderr.decode(), done.stderr.decode()
    assert "dL/da = dL/dL \\xd7 \\u2202L/\\u2202a (local) = 1.0 \\xd7 3.0 = 3.0" in done.stdout.decode("ascii")


def test_the_help_of_every_gives_the_default_for_fewer_than_ten_epochs() -> None:
    # "K = epochs // 10" is 0 for --epochs 5, where every epoch is printed (K = 1)
    demo = cli.build_parser()._subparsers._group_actions[0].choices["demo"]
    text = next(a.help for a in demo._actions if a.dest == "every")
    summary = cli.run_demo(cli.build_parser().parse_args(["demo", "--epochs", "5"]), out=io.StringIO())
    assert [h[0] for h in summary["history"]] == [1, 2, 3, 4, 5] and "K = max(1, epochs // 10)" in text, text


@pytest.mark.parametrize("argv", [["--activation", "relu"], ["--batchnorm"]])
def test_sweep_help_names_every_column_the_sweep_prints(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sweep", "--depth", "2", "--width", "4", "--batch", "3", "--format", "csv", *argv]) == 0
    columns = capsys.readouterr().out.splitlines()[0].split(",")
    epilog = " ".join(cli._SWEEP_EPILOG.split()).replace("act_mean/std", "act_mean act_std")
    named = {c for c in columns if c.endswith("_theory") or re.search(rf"\b{c}\b", epilog)}
    assert "*_theory" in epilog and named == set(columns), set(columns) - named


def test_sweep_output_reads_back_as_run_ones_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import json

    from tinygrad_init import experiments
    from tinygrad_init.utils import format_number

    argv = ["--init", "large", "--activation", "relu", "--depth", "70", "--width", "30", "--batch", "20", "--seed", "5"]
    rows = experiments.run_one("large", "relu", 70, 30, 20, rng=5).table().rows  # nan from layer 68 (overflow)
    outputs = {}
    for fmt in ("csv", "json", "markdown"):
        assert cli.main(["sweep", *argv, "--format", fmt]) == 0
        outputs[fmt] = capsys.readouterr().out
    as_csv = list(csv.DictReader(io.StringIO(outputs["csv"])))
    as_json = json.loads(outputs["json"], parse_constant=lambda c: pytest.fail(f"{c} is not strict JSON"))["rows"]
    as_md = [[c.strip() for c in line.strip("|").split("|")] for line in outputs["markdown"].splitlines()
             if line.startswith("| ")][1:]
    assert np.isnan(rows[-1]["act_std"]) and len(as_csv) == len(as_json) == len(as_md) == len(rows) == 70
    for want, c, j, m in zip(rows, as_csv, as_json, as_md):
        assert list(c) == list(j) == list(want)  # the columns, in order
        assert c == {k: repr(v) if isinstance(v, float) else str(v) for k, v in want.items()}  # every digit
        assert j == {k: v if not isinstance(v, float) or np.isfinite(v) else str(v) for k, v in want.items()}
        assert m == [format_number(v) for v in want.values()]


def test_demo_prints_the_same_digits_whatever_the_number_of_blas_threads(capsys: pytest.CaptureFixture[str]) -> None:
    from threadpoolctl import threadpool_limits

    outs = []  # a machine with more cores sums a 1500 x 64 matmul in another order: other float32 roundings
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            assert cli.main(["demo", "--hidden", "64", "64", "--samples", "2000", "--epochs", "1"]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]


def test_a_diverged_demo_says_so_instead_of_numpys_warnings(capfd: pytest.CaptureFixture[str]) -> None:
    # --lr 1e300 printed "optim.py:68: RuntimeWarning: overflow encountered in cast" and the like, then nan everywhere
    # (beyond float32, the weights' dtype, it is refused now: the next test); 3e38 still overflows as it trains
    import warnings

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert cli.main(["demo", "--lr", "3e38", "--epochs", "2", "--hidden", "4"]) == 0
    out, err = capfd.readouterr()
    assert not seen and err == "" and out.endswith(
        "final: loss nan, train accuracy nan%, test accuracy nan%\n"
        "note: the loss is nan: the training diverged; try a smaller --lr (or --noise)\n")
    assert cli.main(["demo", "--epochs", "2", "--hidden", "4"]) == 0
    assert "note:" not in capfd.readouterr().out


def test_a_demo_lr_beyond_float32_is_refused_as_the_option_not_in_a_traceback(capsys: pytest.CaptureFixture) -> None:
    # SGD.step refuses an lr beyond the largest number of its parameters' dtype (float32 here), as PyTorch's step does:
    # --lr 1e300 ended the demo in that ValueError's traceback, after its header was printed
    with pytest.raises(SystemExit) as exc:
        cli.main(["demo", "--lr", "1e300", "--epochs", "2", "--hidden", "4"])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == "" and err.splitlines()[-1] == (
        "tinygrad-init demo: error: argument --lr: expected a number in (0, 3.40282e+38], got 1e+300 (the largest "
        "float32 number: the demo's weights are float32)")


def test_the_sweep_help_says_which_init_names_it_takes(capsys: pytest.CaptureFixture[str]) -> None:
    # it said "a name of init.get", and 'ones' and 'lsuv' (names of init.get) were then refused
    with pytest.raises(SystemExit):
        cli.main(["sweep", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    given = re.search(r"with zero mean, e\.g\. ([\w, ]+) \(not ([\w, ]+)\)", text)
    assert given, text
    parser = cli.build_parser()
    for name in given[1].split(", "):
        assert parser.parse_args(["sweep", "--init", name]).init == name
    for name in given[2].split(", "):
        with pytest.raises(SystemExit):
            parser.parse_args(["sweep", "--init", name])


class _FirstLine(io.StringIO):
    """An output that stops the writer once a whole line is written."""

    class Written(Exception):
        pass

    def write(self, text: str) -> int:
        n = super().write(text)
        if "\n" in self.getvalue():
            raise self.Written
        return n


def test_a_deep_net_is_named_on_one_short_line(capsys: pytest.CaptureFixture[str]) -> None:
    # `demo --hidden 1 1 1 ...` (3,000 layers) opened with a line of 6,003 characters, "a 2-1-1-1-1-...-1 tanh MLP"
    # (only the opening line is read: the demo is stopped once it is written, before it trains the 3,000 layers)
    args = cli.build_parser().parse_args(["demo", "--hidden", *["1"] * 3000, "--epochs", "1", "--samples", "8"])
    opening = _FirstLine()
    with pytest.raises(_FirstLine.Written):
        cli.run_demo(args, out=opening)
    first = opening.getvalue().splitlines()[0]
    assert first.startswith("tinygrad-init demo: a 2-1-1-1-1-1-...-1-1-1 (3,002 widths) tanh MLP on moons"), first
    assert len(first) < 130  # it was 6,091
    assert cli.main(["graph", "--mlp", ",".join(["2", *["3000"] * 300]), "--engine", "tensor"]) == 2
    assert "--mlp 2,3000,3000,3000,3000,3000,...,3000,3000,3000 (301 widths) --batch 4 has " in capsys.readouterr().err
    assert cli.main(["demo", "--hidden", *["16"] * 10, "--epochs", "1"]) == 0  # twelve widths and less: all of them
    assert "a 2-16-16-16-16-16-16-16-16-16-16-1 tanh MLP" in capsys.readouterr().out


@pytest.mark.parametrize("argv, hint", [(["x", "x=1", "-out", "g"], "(did you mean --out?)"),
                                        (["x", "x=1", "-mlp", "2,1"], "(did you mean --mlp?)"),
                                        (["-a*b", "a=1", "b=2"], "put it after --: tinygrad-init graph [options] -- "
                                                                 "\"-a*b\" NAME=VALUE ...)")])
def test_a_single_dash_option_is_not_taken_for_an_expression(argv: list[str], hint: str, capsys) -> None:
    # `graph x x=1 -out g` was told that "an expression that starts with '-' reads as an option; put it after --"
    with pytest.raises(SystemExit):
        cli.main(["graph", *argv])
    line = capsys.readouterr().err.splitlines()[-1]
    assert line.endswith(hint) and ("expression that starts with '-'" in line) == ("-a*b" in argv), line


@pytest.mark.parametrize("argv, error", [
    (["graph", "--mlp", "-1,2"], "argument --mlp: expected a whole number >= 1, got -1 (in '-1,2'; "),
    (["demo", "--lr", "-1e-3"], "argument --lr: expected a number > 0, got -0.001"),
    (["sweep", "--depth", "-2e1"], "argument --depth: expected a whole number, got '-2e1'")])
def test_a_negative_value_that_is_no_plain_integer_is_read_as_the_options_value(argv: list[str], error: str,
                                                                                 capsys) -> None:
    # `--mlp -1,2` and `--lr -1e-3` were told "argument --mlp: expected one argument": argparse (< 3.13) took any
    # word starting with '-' but -1 or -1.5 for an option, so the value given was reported missing
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    line = capsys.readouterr().err.splitlines()[-1]
    assert exc.value.code == 2 and error in line, line
    assert cli.build_parser().parse_args(["graph", "-2*x", "x=1"]).expression == "-2*x"  # no `--` needed


@pytest.mark.parametrize("epochs, words", [("1", "1 epoch;"), ("2", "2 epochs;")])
def test_demo_counts_its_epochs_in_the_number_they_take(epochs: str, words: str, capsys) -> None:
    # `demo --epochs 1` printed "batch size 32, 1 epochs"
    assert cli.main(["demo", "--epochs", epochs, "--hidden", "4", "--samples", "40"]) == 0
    assert f"batch size 30, {words} loss = binary cross-entropy" in capsys.readouterr().out


def test_the_demo_gives_a_1_x_1_weight_no_std() -> None:
    # `demo --hidden 1`: the output layer's 1 x 1 weight printed "std dL/dW 0.000e+00", the std of one number, as the
    # sweep printed 0 beside a theory of 1 until it wrote '-' there; its norm is its one gradient
    out = io.StringIO()
    summary = cli.run_demo(cli.build_parser().parse_args(["demo", "--hidden", "1", "--epochs", "1"]), out=out)
    last = summary["tables"]["init"][-1]
    assert last["shape"] == (1, 1) and last["grad_w_std"] is None and last["grad_w_norm"] > 0
    assert re.search(r"\n +2  layers\.2  1x1 +- +\d\.\d{3}e[+-]\d\d ", out.getvalue()), out.getvalue()


@pytest.mark.parametrize("argv, fixed", [
    (["--seed", "1", "demo"], ": tinygrad-init demo --seed 1"),
    (["--quick", "report", "--out", "r"], ": tinygrad-init report --out r --quick"),
    (["--out", "report", "report", "--quick"], ": tinygrad-init report --quick --out report"),
    (["--out", "demo", "graph", "a*b", "a=1"], ": tinygrad-init graph 'a*b' a=1 --out demo"),  # demo: --out's value
    (["--seed", "1", "exercises", "list"], " (`tinygrad-init exercises --help` lists them)"),  # not `list --seed 1`
    (["--timeout", "5", "exercises", "grade", "w"], ": tinygrad-init exercises grade w --timeout 5"),
    (["--force", "exercises", "start", "w"], ": tinygrad-init exercises start w --force"),
    (["--timeout", "5", "exercises", "start", "w"], " (`tinygrad-init exercises --help` lists them)"),  # grade's
    (["--out", "g", "graph", "--", "-a*b", "a=1", "b=2"], ": tinygrad-init graph --out g -- '-a*b' a=1 b=2")])
def test_an_option_before_the_command_is_told_to_go_after_it(argv: list[str], fixed: str, capsys) -> None:
    # `--seed 1 demo` was "invalid choice: '1' (choose from 'demo', ...)", `--quick report` was "unrecognized
    # arguments: --quick (did you mean --quick?)": neither said that the option belongs after the command; nor did
    # `--timeout 5 exercises grade w` ("invalid choice: '5'") or `--force exercises start w` ("unrecognized
    # arguments: --force start w"), options of the exercises' own parser
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    line = capsys.readouterr().err.splitlines()[-1]
    assert exc.value.code == 2 and line.startswith(f"tinygrad-init: error: {argv[0]} ") and line.endswith(
        f"options go after the command{fixed}"), line


@pytest.mark.parametrize("argv", [["--timeout", "5", "exercises", "grade", "w", "mul_backward"],
                                  ["--force", "exercises", "start", "w", "mul_backward"],
                                  ["--timeout=5", "exercises", "grade", "w"]])
def test_an_exercises_option_before_the_command_is_given_a_line_that_takes_it(argv: list[str], capsys) -> None:
    # "options go after the command (`tinygrad-init exercises --help` lists them)": after `exercises`, as written,
    # `tinygrad-init exercises --timeout 5 grade w` is "invalid choice: '5'"; they go after its own command
    from tinygrad_init.exercises import grader

    with pytest.raises(SystemExit):
        cli.main(argv)
    said = capsys.readouterr().err.splitlines()[-1]
    assert ": tinygrad-init exercises " in said, said
    words = shlex.split(said.split(": tinygrad-init ", 1)[1])
    args = grader.build_parser().parse_args(words[1:])  # as the line runs
    assert (args.timeout == 5 if "grade" in words else args.force) and str(args.dir) == "w", vars(args)
