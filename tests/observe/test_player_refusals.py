"""The player refuses a wrong argument before it runs backward: a refused call leaves every gradient as it was."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, ledger, player


@pytest.mark.parametrize("kwargs, error, message", [
    ({"color_by_grad": "yes"}, ValueError, r"player: color_by_grad must be True, False, 'norm' or 'std'"),
    ({"show_grad": True}, TypeError, r"player: show_grad= is set by the player itself"),
    ({"grads": {}}, TypeError, r"player: grads= is set by the player itself"),
    ({"digits": 0}, ValueError, r"player: digits must be >= 1, got 0"),
    ({"digits": "3"}, TypeError, r"player: digits must be a whole number"),
    ({"rankdir": "XX"}, ValueError, r"^player: rankdir \(LR: inputs left, TB: inputs on top\) must be one of "
                                         "'lr', 'tb', 'rl', 'bt', got 'XX'"),  # was 'draw: ...', not called
    ({"max_nodes": 0}, ValueError, r"^player: max_nodes must be >= 1"),
    ({"show_data": "no"}, TypeError, r"^player: show_data must be True or False"),
    ({"colour_by_grad": True}, TypeError, r"player: no option colour_by_grad=; .*rankdir, show_data, show_local, "
                                          r"module and max_nodes"),
    ({"pass_index": 1}, TypeError, r"player: pass_index picks a pass of a Ledger"),
])
@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_a_refused_call_runs_no_backward(kwargs, error, message, engine):
    # each of these was refused after the player had run backward: the leaves kept the gradient of a pass no page
    # showed, and the call put right doubled it (a = 2, L = a * a: dL/da read 8.0, not 4.0)
    if engine == "scalar":
        a = Value(2.0, label="a")
        out = a * a
    else:
        a = Tensor(np.array([2.0]), requires_grad=True, name="a")
        out = (a * a).sum()
    with pytest.raises(error, match=message):
        player.player_html(out, **kwargs)
    assert a.grad in (0.0, None)


def test_write_player_into_a_missing_folder_runs_no_backward(tmp_path):
    # the page was made (backward run, dL/da = 4.0 added to a) before the write failed; the call put right read 8.0
    a = Value(2.0, label="a")
    with pytest.raises(FileNotFoundError, match=r"write_player: the folder .*missing.* does not exist"):
        player.write_player(tmp_path / "missing" / "page.html", a * a)
    assert a.grad == 0.0


@pytest.mark.parametrize("name", ["backprop.svg", "backprop.PNG", "backprop.dot"])
def test_write_player_into_a_picture_file_name_is_refused_and_runs_no_backward(tmp_path, name):
    # write_player("backprop.svg", out) wrote the HTML page into backprop.svg, which no viewer opens as a picture
    # (render refuses an SVG in a .png the same way)
    a = Value(2.0, label="a")
    with pytest.raises(ValueError, match=rf"^write_player: path '.*{name}' names a picture, but the page is HTML; "
                                         r"name it .*backprop\.html, or write the picture with draw\.render\("):
        player.write_player(tmp_path / name, a * a)
    assert a.grad == 0.0 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag", [Tensor([1.0]), Value(1.0), np.array([])])
def test_color_by_grad_that_is_a_tensor_or_an_array_is_named(flag) -> None:
    # was Tensor's and Value's "== and != ask whether two ... are one and the same", numpy's "truth value ... ambiguous"
    a = Value(2.0)
    loss = a * a
    with pytest.raises(ValueError, match="player: color_by_grad must be True, False"):
        player.player_html(loss, color_by_grad=flag)


def test_a_pass_index_beyond_the_ledger_is_named_by_the_player():
    a = Value(2.0, label="a")
    with ledger.record() as steps:
        (a * a).backward()
    with pytest.raises(IndexError, match=r"^player: there is no pass 3; 1 was recorded"):  # was "Ledger: ..."
        player.player_html(steps, pass_index=3)
    with pytest.raises(TypeError, match=r"^player: pass_index must be a whole number"):
        player.player_html(steps, pass_index="0")
    with pytest.raises(ValueError, match=r"^player: rankdir .* got 'XX'"):  # a ledger's picture: was 'draw: ...'
        player.player_html(steps, rankdir="XX")
