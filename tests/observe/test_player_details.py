"""The player's page as text: the smaller promises (its legend, the ids its script looks up)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, nn, player

pytestmark = pytest.mark.graphviz


def _data(page):
    return json.loads(re.search(r'<script type="application/json" id="player-data">(.*?)</script>', page,
                                re.S).group(1))


def _legend(page):  # the decade boxes of the picture's legend, as they read
    return re.findall(r'<g id="node_legend\d+" class="node">\s*<polygon[^>]*/>\s*<text[^>]*>([^<]*)</text>', page)


def test_the_coloured_picture_has_a_legend_from_the_smallest_to_the_largest_gradient():
    # L = 100 x: gradients 1 (the seed) and 100, the decades 1e0 to 1e2
    assert _legend(player.player_html(Value(0.5, label="x") * 100.0)) == ["1", "1e+01", "1e+02"]
    assert _legend(player.player_html(Value(0.5, label="x") * 100.0, color_by_grad=False)) == []


def _mlp_loss():
    net = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
    return nn.mse_loss(net(Tensor(np.random.default_rng(2).standard_normal((5, 3)))), np.zeros((5, 1)))


@pytest.mark.parametrize("make", [lambda: (Value(2.0, label="a") * Value(-3.0, label="b") + 1.0).tanh(), _mlp_loss],
                         ids=["value", "tensor"])
def test_every_id_the_script_looks_up_is_an_element_of_the_page(make):
    page = player.player_html(make())
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    d = _data(page)
    wanted = {d["root"], *d["rootIds"]} | {i for s in d["steps"] for i in (*s[0], s[1], s[2])}
    assert wanted - ids == set()


def test_a_values_op_bubble_is_titled_by_its_op_and_the_node_it_computes_and_a_graph_node_is_refused():
    a = Value(2.0, label="a")
    out = (a * a).tanh()
    out.label = "L"
    page = player.player_html(out)
    assert re.findall(r'<g id="node_n\d+op" class="node">\s*<title>([^<]*)</title>', page) == [
        "*: computes mul#1", "tanh: computes L"]  # the op of each result, named as the ledger names it
    t = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(TypeError, match="^player: expected a Ledger, a Value or a Tensor, got Node$"):
        player.player_html((t * 2).sum().grad_fn)  # a graph node has parents but no backward()


def test_the_roots_cell_is_laid_out_for_the_wider_of_its_seed_and_its_hooks_gradient():
    # the seed |grad| 1.0 and, from step 1 on, the hook's 1 * 0.123456: the box is drawn for the wider "0.1235"
    w = Tensor(np.array([2.0]), requires_grad=True, name="w")
    loss = (w * 3.0).sum()
    loss.register_hook(lambda g: g * 0.123456)
    page = player.player_html(loss)
    root = re.search(r'<g id="node_n3" class="node">.*?</g>', page, re.S).group(0)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", root) == ["L = sum", "() float64", "|grad| 0.1235"]
    assert _data(page)["seed"][0] == "|grad| 1.0" and _data(page)["hooked"][::3] == ["|grad| 0.1235", 1]  # complete
    assert "Fill: |grad|_F on a log scale, from pale (1e-01) to dark red (1);" in page  # 0.1235 to 1: decades -1, 0


def test_the_player_labels_each_edge_with_its_local_derivative_unless_told_not_to():
    def edge_texts(page):  # the texts on the edge a -> the op bubble of 3a
        return re.findall(r"<text[^>]*>([^<]*)</text>", re.search(r'<g id="edge_n0_n1op_0".*?</g>', page, re.S)[0])

    a = Value(2.0, label="a")
    out = (a * 3.0).tanh()
    assert edge_texts(player.player_html(out)) == ["×3.0"]  # d(3a)/da
    assert edge_texts(player.player_html(out, show_local=False)) == []
