"""The shared helpers of tinygrad_init.utils, pinned at their boundaries against hand-written answers."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from conftest import require_module

from tinygrad_init import Value, experiments, init, spectra, theory, utils
from tinygrad_init.lab.probe import Probe
from tinygrad_init.nn import MLP
from tinygrad_init.observe.draw import draw
from tinygrad_init.observe.player import player_html


def test_moments_of_no_entries_are_nan_mean_and_std_and_a_zero_norm() -> None:
    m = utils.moments([])  # the docstring: an empty array has mean and std nan and norm 0 (not a ZeroDivisionError)
    assert math.isnan(m.mean) and math.isnan(m.std) and m.norm == 0.0


def test_check_choice_refuses_a_string_that_is_no_option_and_a_non_string() -> None:
    assert utils.check_choice("f", "mode", "Fan_In", ("fan_in", "fan_out")) == "fan_in"  # compared without case
    with pytest.raises(ValueError, match=r"^f: mode must be one of 'fan_in', 'fan_out', got 'fan_inn' \(did you mean "
                                         r"'fan_in'\?\)$"):
        utils.check_choice("f", "mode", "fan_inn", ("fan_in", "fan_out"))
    with pytest.raises(ValueError, match=r"^f: mode must be one of 'fan_in', 'fan_out', got 3$"):
        utils.check_choice("f", "mode", 3, ("fan_in", "fan_out"))


def test_check_real_bounds_are_inclusive_unless_open() -> None:
    assert utils.check_real("f", "p", 1, 0.0, 1.0) == 1.0 and utils.check_real("f", "p", 0, 0.0, 1.0) == 0.0
    with pytest.raises(ValueError, match=r"^f: p must be in \[0, 1\), got 1$"):
        utils.check_real("f", "p", 1.0, 0.0, 1.0, high_open=True)
    with pytest.raises(ValueError, match=r"^f: p must be in \(0, 1\], got 0$"):
        utils.check_real("f", "p", 0.0, 0.0, 1.0, low_open=True)
    assert utils.check_real("f", "lr", 2.5, high=2.5) == 2.5
    with pytest.raises(ValueError, match=r"^f: lr must be < 2.5, got 2.5$"):
        utils.check_real("f", "lr", 2.5, high=2.5, high_open=True)


def test_cli_type_gives_the_checked_number_and_refuses_with_argparses_error() -> None:
    import argparse

    assert utils.cli_type(utils.check_int, minimum=1)("3") == 3
    assert utils.cli_type(utils.check_real, 0.0, 1.0)("0.25") == 0.25
    whole, unit = utils.cli_type(utils.check_int, minimum=1), utils.cli_type(utils.check_real, 0.0, 1.0)
    for check, text, message in ((whole, "0", "expected a whole number >= 1, got 0"),
                                 (whole, "1.5", "expected a whole number, got '1.5'"),
                                 (unit, "2", r"expected a number in \[0, 1\], got 2"),
                                 (unit, "nan", "expected a finite number, got nan")):
        with pytest.raises(argparse.ArgumentTypeError, match=f"^{message}$"):  # the docstring: argparse's error
            check(text)


@pytest.mark.parametrize("x, digits, point, want", [
    (0.99951, 3, True, "1.0"), (-0.99951, 3, False, "-1"), (9.9996, 4, False, "10"), (9.9996, 4, True, "10.0"),
    (999.96, 3, True, "1000"), (0.0099996, 2, False, "0.01"), (1234.5, 4, True, "1234"), (2.5, 3, True, "2.5"),
])
def test_format_number_where_rounding_carries_into_a_new_digit(x, digits, point, want) -> None:
    # by hand: 0.99951 to 3 significant digits is 1.00, written without trailing zeros "1" (point: "1.0")
    assert utils.format_number(x, digits, point) == want


@pytest.mark.parametrize("x", [0.123456, 5, None, float("nan")])
def test_format_number_refuses_digits_below_one_as_the_ledger_does(x) -> None:
    # 0 and -3 digits were read as 1 ("0.1"), where ledger.format_number refused them: one rule, one message
    from tinygrad_init.lab.table import Table
    from tinygrad_init.observe import ledger

    for write in (lambda d: utils.format_number(x, d), lambda d: ledger.format_number(x, d),
                  lambda d: Table(["a"], [[x]]).to_text(digits=d)):
        for digits in (0, -3):
            with pytest.raises(ValueError, match=f"^(format_number|Table): digits must be >= 1, got {digits}$"):
                write(digits)  # (Table's own name since it checks its digits itself)
    assert utils.format_number(0.123456, 1) == "0.1" and utils.format_number(0.123456, None) == "0.123456"


def test_check_real_gives_the_refused_value_to_six_significant_digits() -> None:
    with pytest.raises(ValueError, match=r"^f: p must be <= 1, got 1.23457$"):
        utils.check_real("f", "p", 1.23456789, high=1)


def test_moments_of_integers_and_booleans_are_taken_in_float64_without_overflow() -> None:
    import numpy as np

    # Python ints past int64 (an object array) whose squares overflow float64: scaled as floats, not refused
    assert utils.moments([2 ** 600, 2 ** 600]) == (2.0 ** 600, 0.0, math.sqrt(2.0) * 2.0 ** 600)
    # int8 squares overflow (100^2 > 127); 2^62 + 2^62 overflows int64
    assert utils.moments(np.array([100, -100], np.int8)) == (0.0, 100.0, math.sqrt(2e4))
    big = float(2 ** 62)
    assert utils.moments(np.array([2 ** 62, 2 ** 62], np.int64)) == (big, 0.0, math.sqrt(2.0) * big)
    assert utils.moments(np.array([True, False, True, True])) == (0.75, math.sqrt(3) / 4, math.sqrt(3.0))


def test_quoted_writes_numpy_scalars_as_python_numbers_in_tuples_and_lists() -> None:
    # numpy 2 writes np.float64(0.5) where numpy 1 and the user's own code wrote 0.5
    assert utils.quoted((np.float64(0.5), [np.int64(2), np.bool_(True)], "a")) == "(0.5, [2, True], 'a')"
    assert utils.quoted((np.float32(1.5),)) == "(1.5,)" and utils.quoted(np.str_("x")) == "'x'"


def test_quoted_and_building_a_model_leave_nothing_for_the_cycle_collector() -> None:
    # quoted's recursive inner function was a cycle (function -> closure cell -> function) per call, and the shape
    # checks of every weight drawn call it: MLP([4, 6, 6, 3]) left 15 such cycles (45 objects) to the collector
    import gc

    gc.collect()
    gc.disable()
    try:
        utils.quoted((np.float64(0.5), [1, 2]))
        MLP([4, 6, 6, 3], rng=0)
        init.he_normal((3, 4), rng=0)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_message_shows_the_start_of_a_long_value_only() -> None:
    with pytest.raises(TypeError) as info:
        utils.check_int("f", "n", "7" * 10_000)
    assert str(info.value) == "f: n must be a whole number, got str '" + "7" * 59  # 60 characters of its repr


@pytest.mark.parametrize("call, message", [
    (lambda: utils.check_int("f", "n", np.float64(1.5)), "f: n must be a whole number, got float64 1.5"),
    (lambda: utils.check_choice("f", "mode", np.int64(3), ("fan_in",)), "f: mode must be one of 'fan_in', got 3"),
    (lambda: Probe(MLP([2, 1]), hist_range=(np.float32(1.0), np.float32(0.0))), "got (1.0, 0.0)"),
    (lambda: spectra.phase_diagram(sigma_w2=(np.float64(3.0), np.float64(1.0))), "low < high, got (3.0, 1.0)"),
    (lambda: experiments.training(sizes=(np.int64(3), np.int64(1))), "(2, 10, 5, 1), got (3, 1)"),
    (lambda: theory.predict([np.int64(3)]), "[n_0, n_1, ..., n_L], got [3]"),
    (lambda: init.he_normal((np.int64(3), np.float64(2.5))), "shape (3, 2.5) entry 1 must be a whole number"),
    (lambda: init.he_normal(np.float64(3.0)), "for a bias, got float64 3.0"),
    (lambda: theory.predict([2, 3], init=[(np.float64(1.0), np.int64(2))]), "got tuple (1.0, 2) for layer 1"),
    (lambda: experiments.depth(schemes=np.int64(3)), "depth: schemes must be a name or a list of names, got 3"),
    (lambda: experiments.depth(schemes=[np.int64(3)]), "a scheme must be a name such as 'he_normal' (the tables name each row by it), got int64 3"),  # noqa: E501
    (lambda: experiments.depth(layers=np.int64(22)), "a list of depths such as (22, 30), got 22"),
    (lambda: draw(Value(1.0), color_by_grad=np.float64(0.5)), "ColorScale(-6, 0)), got 0.5"),
    (lambda: player_html(Value(1.0) * 2, color_by_grad=np.float64(0.5)), "'norm' or 'std', got 0.5"),
])
def test_messages_quote_numpy_values_as_the_user_wrote_them(call, message) -> None:
    # a range taken from an array, hist_range=(a.min(), a.max()), read "got (np.float32(1.0), np.float32(0.0))"
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert message in str(info.value) and "np." not in str(info.value)


def test_as_seed_gives_the_int_seed_for_a_result_and_checks_it_as_as_rng_does():
    gen = np.random.default_rng(0)
    assert utils.as_seed(3) == 3 and utils.as_seed(np.int64(3)) == 3 and utils.as_seed(None) is None
    assert utils.as_seed(0) == 0  # seed 0 is a seed: a result made with it keeps it
    assert utils.as_seed(gen) is None and gen.integers(10**9) == np.random.default_rng(0).integers(10**9)  # no draw
    with pytest.raises(ValueError, match="^f: rng as a seed must be a non-negative integer, got -1$"):
        utils.as_seed(-1, "f")
    with pytest.raises(TypeError, match="^f: rng must be a np.random.Generator, an int seed or None, got bool True$"):
        utils.as_seed(True, "f")


def test_as_seed_gives_a_python_int_that_json_writes():
    assert type(utils.as_seed(np.int64(3))) is int  # an np.int64 in a sweep's settings stopped json.dumps
    settings = experiments.run_sweep(("he_normal",), ("relu",), depth=2, width=4, batch=4, rng=np.int64(3)).settings
    assert json.loads(json.dumps(settings))["seed"] == 3


@pytest.mark.parametrize(("x", "want"), [(0.001, "0.001"), (-0.001, "-0.001"), (1e4, "1e+4"), (-1e4, "-1e+4"),
                                         (9999.0, "9999"), (0.00099, "9.9e-4")])
def test_format_number_writes_1e_minus_3_to_under_1e4_positionally_as_its_docstring_says(x, want) -> None:
    assert utils.format_number(x) == want


@pytest.mark.parametrize(("x", "want"), [(True, "True"), (np.bool_(False), "False"), ("abc", "abc"), (None, "-")])
def test_format_number_writes_bools_as_words_and_other_things_as_str(x, want) -> None:
    assert utils.format_number(x) == want  # True is an int to Python: it was not to be written "1"


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_check_real_refuses_infinity_unless_asked_to_admit_it(value) -> None:
    with pytest.raises(ValueError, match=rf"^f: x must be a finite number, got {value}$"):
        utils.check_real("f", "x", value)
    assert utils.check_real("f", "x", value, finite=False) == value


@pytest.mark.parametrize(("x", "digits", "want"), [(12.04, 3, "12.0"), (-3.0, 3, "-3.0"), (0.0, 3, "0.0"),
                                                   (1234.5, 4, "1234")])
def test_format_number_with_point_keeps_a_digit_after_the_point_only_if_it_is_significant(x, digits, want) -> None:
    # the docstring: a float keeps its point (-3.0, 0.0) unless its digits end before it (1234.5 at 4 digits)
    assert utils.format_number(x, digits, point=True) == want


@pytest.mark.parametrize(("x", "want"), [(123456, "123456"), (np.int64(-98765432), "-98765432")])
def test_format_number_writes_an_int_in_full(x, want) -> None:
    assert utils.format_number(x) == want  # the docstring: ints in full, not 1.23e+5


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_moments_of_zeros_are_zeros_not_nan(dtype) -> None:
    assert tuple(utils.moments(np.zeros(5, dtype))) == (0.0, 0.0, 0.0)  # the scaling path would divide 0 by 0


def test_moments_of_entries_whose_squares_underflow_are_scaled_not_lost() -> None:
    m = utils.moments([1e-200, -1e-200])  # (1e-200)^2 underflows to 0 in float64
    assert m.mean == 0.0 and m.std == pytest.approx(1e-200, rel=1e-15)
    assert m.norm == pytest.approx(math.sqrt(2) * 1e-200, rel=1e-15)


def test_ratio_is_float_division_that_never_raises() -> None:
    assert utils.ratio(1, 4) == 0.25 and utils.ratio(3.0, -2) == -1.5
    assert utils.ratio(1, 0) == math.inf and utils.ratio(-1, 0) == -math.inf and math.isnan(utils.ratio(0, 0))


def test_check_type_names_what_the_value_must_be() -> None:
    assert utils.check_type("f", "x", "s", str, "a string") == "s"
    with pytest.raises(TypeError, match=r"^f: x must be a string, got int 3$"):
        utils.check_type("f", "x", 3, str, "a string")


class _Watcher:
    def __init__(self) -> None:
        self.seen: list = []

    def on(self, tag: str, x: int) -> tuple:
        self.seen.append(x)
        return tag, x


def test_a_weak_hook_copies_with_its_watchers_copy_and_once_the_watcher_is_gone_as_what_it_wrapped() -> None:
    import copy
    import gc
    import pickle

    w = _Watcher()
    hook, passing = utils.WeakHook(w.on, "a"), utils.WeakHook(w.on, abs, through=True)
    twin = copy.deepcopy(hook)
    assert twin(3) == ("a", 3) and hook(4) == ("a", 4) and w.seen == [4]  # the copy calls the watcher's copy
    assert pickle.loads(pickle.dumps(hook))(5) == ("a", 5) and w.seen == [4]
    assert copy.deepcopy(utils.WeakHook(w.on))("b", 1) == ("b", 1) and w.seen == [4]  # no arguments bound
    del w, twin
    gc.collect()
    assert hook(6) is None and passing(-7) == 7  # the watcher is gone: nothing, or the wrapped function
    assert copy.deepcopy(passing)(-8) == 8 and pickle.loads(pickle.dumps(passing))(-9) == 9


def test_a_missing_dependencys_submodule_is_reported_as_the_dependency_with_its_name() -> None:
    # `import matplotlib.pyplot` without matplotlib: the error names the package to install, and keeps `.name`
    e = utils.not_installed(ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib.pyplot"))
    assert type(e) is ModuleNotFoundError and e.name == "matplotlib"
    assert str(e) == "tinygrad_init needs matplotlib, which is not installed; install it: pip install matplotlib"


def test_moments_and_ratio_of_overflowing_infinite_or_zero_arguments_warn_nothing() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's RuntimeWarnings (overflow, invalid, divide by zero) as errors
        big, infs = utils.moments([1e308, 1e308]), utils.moments([np.inf, -np.inf])
        assert (big.mean, big.std) == (1e308, 0.0) and big.norm == pytest.approx(math.sqrt(2) * 1e308, rel=1e-15)
        assert math.isnan(infs.mean) and math.isnan(infs.std) and infs.norm == math.inf  # inf - inf: nan mean
        assert all(map(math.isnan, utils.moments([1.0, np.nan])))
        inf_and_one = utils.moments([np.inf, 1.0])
        assert (inf_and_one.mean, inf_and_one.norm) == (math.inf, math.inf) and math.isnan(inf_and_one.std)
        assert utils.ratio(1, 0) == math.inf and math.isnan(utils.ratio(0, 0))
        assert utils.ratio(1.0, 1e-320) == math.inf and utils.ratio(-1e300, 1e-10) == -math.inf  # warned "overflow"


def test_a_misspelt_name_gets_one_hint_the_closest_even_when_two_options_are_close() -> None:
    assert utils.did_you_mean("fan_ot", ["fan_in", "fan_out"]) == " (did you mean 'fan_out'?)"
    assert utils.did_you_mean("zzz", ["fan_in", "fan_out"]) == ""


def test_check_real_reads_an_int_beyond_floats_as_an_infinity_not_an_overflow_error() -> None:
    with pytest.raises(ValueError, match=r"^f: lr must be a finite number, got inf \(beyond a float's 1\.8e308\)$"):
        utils.check_real("f", "lr", 10 ** 400)  # (was Python's OverflowError: int too large to convert to float)
    assert utils.check_real("f", "x", -(10 ** 400), finite=False) == -math.inf
    with pytest.raises(ValueError, match=r"^f: p must be <= 1, got inf$"):
        utils.check_real("f", "p", 10 ** 400, high=1.0, finite=False)


def test_check_int_refuses_a_whole_number_beyond_its_maximum_saying_its_size_not_its_digits() -> None:
    assert utils.check_int("f", "n", 2**60 - 1, 1, maximum=utils.MAX_SIZE) == 2**60 - 1
    for big, said in ((2**60, "2^60"), (10**400, "2^1328"), (10**5000, "2^16609")):  # (repr: past 4,300 digits)
        with pytest.raises(ValueError, match=r"^f: n must be <= 2\^60 - 1, .*, got about " + re.escape(said)):
            utils.check_int("f", "n", big, 1, maximum=utils.MAX_SIZE)


def test_check_int_gives_a_short_number_beyond_its_maximum_as_it_is() -> None:
    # phase_diagram's n of at most 1001: 1002 read 'got about 2^9', which is 512
    for n in (1002, 10**14):
        with pytest.raises(ValueError, match=rf"^f: n must be <= 1001, got {n}$"):
            utils.check_int("f", "n", n, 2, maximum=1001)
    with pytest.raises(ValueError, match=r"^f: n must be <= 1001, got about 2\^49$"):
        utils.check_int("f", "n", 10**15, 2, maximum=1001)


@pytest.mark.parametrize(("n", "want"), [(np.int64(1), "1 seed"), (np.int64(3), "3 seeds"), (np.intp(0), "0 seeds")])
def test_counted_takes_numpys_integers_as_pythons(n, want) -> None:
    assert utils.counted(n, "seed") == want  # (was "can't multiply sequence by non-int of type 'numpy.bool'")


@pytest.mark.parametrize("point", [None, "yes", np.array([])])
def test_format_number_refuses_a_point_that_is_not_true_or_false(point) -> None:
    # (None was Python's "can't multiply sequence by non-int of type 'NoneType'", an empty array numpy's "truth value
    # of an empty array is ambiguous", and "yes" read as True)
    with pytest.raises(TypeError, match=r"^format_number: point must be True or False, got "):
        utils.format_number(1.5, 3, point)
    assert utils.format_number(2.0, 3, np.bool_(True)) == "2.0"


def test_writable_says_a_file_stands_where_the_folder_goes(tmp_path) -> None:
    (tmp_path / "afile").write_text("")  # was "the folder ... does not exist; create it first", but it exists
    with pytest.raises(NotADirectoryError, match=r"^draw.render: '.*afile' is a file, not a folder; write elsewhere$"):
        utils.writable("draw.render", tmp_path / "afile" / "x.svg", "graph.svg")
    with pytest.raises(NotADirectoryError, match=r"^draw.render: '.*afile' is a file, not a folder"):  # also above it
        utils.writable("draw.render", tmp_path / "afile" / "sub" / "x.svg", "graph.svg")


@pytest.mark.torch
def test_as_rng_says_what_to_pass_for_pytorchs_generator() -> None:
    torch = require_module("torch")
    with pytest.raises(TypeError, match=r"^init: rng must be .* \(PyTorch's generator: pass its seed, rng=g\."
                                        r"initial_seed\(\), or np\.random\.default_rng\(seed\)\)$"):
        utils.as_rng(torch.Generator(), "init")


def test_write_whole_from_two_threads_at_once_leaves_one_whole_file(tmp_path) -> None:
    # the file written beside the target was named by the process alone: two threads writing one page (a notebook's
    # Explorer.write in a thread pool) wrote into one temporary file, and the second rename found it gone
    import threading

    target, errors = tmp_path / "page.html", []

    def write(text: str) -> None:
        try:
            for _ in range(300):
                utils.write_whole(target, text)
        except OSError as e:
            errors.append(e)

    threads = [threading.Thread(target=write, args=(c * 5000,)) for c in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and target.read_text() in ("a" * 5000, "b" * 5000)
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


@pytest.mark.parametrize("writer", ["write_player", "render", "save_figure", "to_csv", "Explorer.write"])
def test_the_writers_of_files_a_browser_or_a_viewer_shows_never_write_the_file_in_place(writer, tmp_path,
                                                                                        monkeypatch) -> None:
    # a player page, a picture, a figure or a table rewritten in place was read half-written by a browser reloading
    # it (494 of 187,293 reads of player.html and graph.svg over a loop of `graph` runs): each is written beside and
    # renamed over (utils.write_whole), the earlier file whole until then
    from pathlib import Path

    from matplotlib.figure import Figure

    from tinygrad_init import explorer, plots
    from tinygrad_init.lab.table import Table
    from tinygrad_init.observe import draw as draw_module, player

    target, opened = tmp_path / {"render": "g.dot", "save_figure": "f.png", "to_csv": "t.csv"}.get(writer, "p.html"), []
    target.write_text("the earlier file")
    for name in ("write_bytes", "write_text"):
        monkeypatch.setattr(Path, name, lambda self, *a, _f=getattr(Path, name), **k: opened.append(self) or _f(
            self, *a, **k))
    x = Value(2.0, "x")
    y = (x * x).tanh()
    y.backward()
    fig = Figure()
    fig.subplots().plot([0, 1])
    {"write_player": lambda: player.write_player(target, y), "render": lambda: draw_module.render(draw(y), target),
     "save_figure": lambda: plots.save_figure(fig, target), "to_csv": lambda: Table(["a"], [[1.0]]).to_csv(target),
     "Explorer.write": lambda: explorer.Explorer({}, {}).write(target)}[writer]()
    assert target.read_bytes() != b"the earlier file" and opened and target not in opened


def test_write_whole_writes_in_place_where_the_folder_takes_no_new_file(tmp_path, monkeypatch) -> None:
    # a file the user may write in a folder they may not: no file beside it can be made, the file itself is written
    # (as before write_whole); with no file there, the refusal is the folder's
    from pathlib import Path

    target, real = tmp_path / "page.html", Path.write_bytes

    def write(self, data):
        if self.name.endswith(".part"):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write)
    with pytest.raises(PermissionError, match="Permission denied"):
        utils.write_whole(target, "new")
    target.write_text("old")
    assert utils.write_whole(target, "new") == target and target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_the_path_suggested_for_the_tilde_of_an_unknown_user_is_read_as_a_folder_of_that_name() -> None:
    # '~nobody/x.json' was told "or ./~nobody/x.json for a folder of that name", but pathlib drops the ./ and expanded
    # the ~ again: the same error, now suggesting ././~nobody/x.json
    import argparse
    from pathlib import Path

    for text in ("~no_such_user_tgi/x.json", "~no_such_user_tgi"):
        with pytest.raises(argparse.ArgumentTypeError) as e:
            utils.path_arg(text)
        suggested = re.search(r"\(or (\S+) for a folder of that name\)$", str(e.value)).group(1)
        assert utils.path_arg(suggested) == Path(text) and not utils.path_arg(suggested).is_absolute()


@pytest.mark.torch
def test_real_array_reads_the_numbers_of_a_pytorch_tensor_that_requires_grad():
    # numpy's asarray let PyTorch's "Can't call numpy() on Tensor that requires grad" through, to numerical_grad of an f
    # returning one, and to the ledger, draw and the probe, which read numbers with real_array
    torch = require_module("torch")
    np.testing.assert_array_equal(utils.real_array(torch.tensor([1.5, -2.0], requires_grad=True)), [1.5, -2.0])
    from tinygrad_init.gradcheck import numerical_grad
    np.testing.assert_allclose(numerical_grad(lambda x: torch.tensor((x ** 2).sum(), requires_grad=True),
                                              np.array([1.0, -3.0])), [2.0, -6.0], rtol=1e-6)


@pytest.mark.torch
def test_real_array_reads_a_pytorch_tensor_of_a_dtype_numpy_has_not_or_with_a_negative_bit():
    # a bfloat16 tensor (one that requires grad too) let PyTorch's 'Got unsupported ScalarType BFloat16' through, to
    # numerical_grad of an f returning one; a tensor viewed with a negative bit its "Can't call numpy()"
    torch = require_module("torch")
    for t in (torch.tensor([1.5, -2.0], dtype=torch.bfloat16),
              torch.tensor([1.5, -2.0], dtype=torch.bfloat16, requires_grad=True),
              torch.tensor([1 - 1.5j, 3 + 2j]).conj().imag):  # (the imaginary parts of a conjugate: a negative bit)
        arr = utils.real_array(t)
        np.testing.assert_array_equal(arr, [1.5, -2.0])
        assert arr.dtype == np.float32
    assert utils.real_array(torch.tensor([1 + 2j])) is None  # complex: no real numbers, as numpy's complex arrays
    from tinygrad_init.gradcheck import numerical_grad
    f = lambda x: torch.tensor(float((x ** 2).sum()), dtype=torch.bfloat16)  # noqa: E731 (9^2, 7^2 in bfloat16)
    np.testing.assert_array_equal(numerical_grad(f, np.array([8.0]), eps=1.0), [16.0])  # (81 - 49) / 2
