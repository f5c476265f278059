"""What the player puts into the page, pinned where no other test did: the max_steps bound itself, the
engine and colour-scale words of a tensor page, the state of a node backward has not reached yet, and
the tooltip of a Value's op-bubble edge."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, ledger, player

from conftest import require_binary


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def tensor_loss() -> Tensor:
    x = Tensor(np.array([[1.0, 2.0], [3.0, -4.0]]), requires_grad=True)
    return (x * x).sum()


def test_max_steps_admits_a_pass_of_exactly_that_many_steps():
    require_binary("dot")
    x = Value(3.0, label="x")
    with ledger.record() as steps:
        (x * x + 1.0).backward()  # add <- mul, mul <- x twice: 3 steps
    assert len(steps) == 3
    assert 'data-steps="3"' in player.player_html(steps, max_steps=3)  # "more than max_steps" refuses 4, not 3
    with pytest.raises(ValueError, match="3 chain-rule steps, more than max_steps=2"):
        player.player_html(steps, max_steps=2)
    with ledger.record() as one:
        (x * 2.0).backward()
    with pytest.raises(ValueError, match="has 1 chain-rule step, more than max_steps=0"):  # one step, not "1 steps"
        player.player_html(one, max_steps=0)


def test_a_tensor_page_names_its_engine_and_the_measure_its_fill_shows():
    require_binary("dot")
    page = player.player_html(tensor_loss())
    assert "Fill: |grad|_F on a log scale" in page and "std(grad)" not in page  # the default: the norm
    assert "Tensor" in page and "Value (scalar)" not in page
    page = player.player_html(tensor_loss(), color_by_grad="std")
    assert "Fill: std(grad) on a log scale" in page and "|grad|_F" not in page
    scalar = player.player_html(Value(2.0) * Value(3.0))
    assert "Value (scalar)" in scalar and "Fill: |grad| on a log scale" in scalar


def test_a_node_not_reached_yet_reads_grad_unknown_white_and_is_no_partial_sum():
    require_binary("dot")
    data = page_data(player.player_html(Value(2.0) * Value(3.0)))
    # player.js dashes a node whose 4th entry is 0 (a partial sum); a node backward has not reached holds none
    assert data["unknown"] == ["grad ?", "#ffffff", "black", 1]
    assert page_data(player.player_html(Value(2.0) * Value(3.0), color_by_grad=False))["unknown"] == [
        "grad ?", None, None, 1]


def test_the_edge_from_an_op_bubble_to_its_record_is_the_ops_result():
    require_binary("dot")
    a = Value(2.0, label="a")
    page = player.player_html(a * 3.0 + 1.0)
    titles = dict(re.findall(r'<g id="([^"]+)" class="edge"[^>]*>\s*<title>([^<]*)</title>', page))
    assert titles["edge_n1op_n1_0"] == "the op's result: mul#1"  # not "mul#1 -> mul#1"
    assert titles["edge_n0_n1op_0"] == "a -&gt; mul#1"
