"""Graph pictures: DOT text compared as text, determinism, options, rendering, missing Graphviz."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import graphviz
import numpy as np
import pytest

from tinygrad_init import Tensor, Value, autograd, draw, ledger, nn
from tinygrad_init.draw import ColorScale, GraphvizNotFoundError, grad_color
from tinygrad_init.observe import colors
from observe._colors import wcag_luminance

try:
    from conftest import require_binary  # skips without `dot`, fails under CI=true
except ImportError:  # pragma: no cover - same semantics when the shared helper is absent
    import os
    import shutil

    def require_binary(name: str) -> str:
        path = shutil.which(name)
        if path is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"the program {name!r} is required under CI=true; apt-get install graphviz")
            pytest.skip(f"the program {name!r} is not installed (apt-get install graphviz)")
        return path


def tiny(backward: bool = True):
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    o = (a * b + c).tanh()
    o.label = "o"
    if backward:
        o.backward()
    return a, b, c, o


def _steps(o):
    with ledger.record() as steps:
        o.backward()
    return steps


GOLDEN = """digraph {
\tgraph [fontname=Helvetica rankdir=LR]
\tnode [fontname=Helvetica fontsize=11]
\tedge [fontname=Helvetica fontsize=9]
\tn0 [label="{ a | data 2.0 | grad -0.004023 }" shape=record]
\tn1 [label="{ b | data -3.0 | grad 0.002682 }" shape=record]
\tn2 [label="{ data -6.0 | grad 0.001341 }" shape=record]
\tn2op [label="*" fontsize=10 height=0.3 margin=0.02 shape=circle width=0.3]
\tn3 [label="{ c | data 10.0 | grad 0.001341 }" shape=record]
\tn4 [label="{ data 4.0 | grad 0.001341 }" shape=record]
\tn4op [label="+" fontsize=10 height=0.3 margin=0.02 shape=circle width=0.3]
\tn5 [label="{ o | data 0.9993 | grad 1.0 }" shape=record]
\tn5op [label=tanh fontsize=10 height=0.3 margin=0.02 shape=ellipse width=0.3]
\tn0 -> n2op [label="×-3.0"]
\tn1 -> n2op [label="×2.0"]
\tn2op -> n2
\tn2 -> n4op [label="×1.0"]
\tn3 -> n4op [label="×1.0"]
\tn4op -> n4
\tn4 -> n5op [label="×0.001341"]
\tn5op -> n5
}
"""


def test_golden_dot_of_tiny_expression():
    # a=2, b=-3, c=10: d = a*b = -6, e = d + c = 4, o = tanh(4) = 0.99933;
    # do/de = 1 - tanh(4)^2 = 0.0013410; do/da = do/dd * b = -0.0040229; do/db = do/dd * a = 0.0026819
    *_, o = tiny()
    g = draw.draw(o, show_data=True, show_grad=True, show_local=True)
    assert isinstance(g, graphviz.Digraph)
    assert g.source == GOLDEN


def test_defaults_show_label_data_and_grad_as_micrograd_does():
    *_, o = tiny()
    src = draw.draw(o).source
    assert 'n0 [label="{ a | data 2.0 | grad -0.004023 }" shape=record]' in src
    assert 'n2 [label="{ data -6.0 | grad 0.001341 }" shape=record]' in src
    assert "×" not in src and "fillcolor" not in src and "cluster" not in src
    bare = draw.draw(o, show_data=False, show_grad=False).source  # an empty record shows the ledger's name
    assert 'n0 [label="{ a }" shape=record]' in bare and 'n2 [label="{ mul#2 }" shape=record]' in bare


def test_plain_number_constants_are_nodes():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b + 2
    out.backward()
    src = draw.draw(out, show_local=True).source
    assert 'n3c [label=2.0 fontsize=10 height=0.3 margin=0.04 shape=box style=dashed]' in src
    assert "\tn3c -> n3op [style=dashed]\n" in src and "\tn2 -> n3op [label=\"×1.0\"]\n" in src
    assert draw.draw(2 - a).source.count("c [label=\"2.0 -\"") == 1 and "c [" not in draw.draw(a * b).source


def test_top_to_bottom_records_are_not_rotated():
    *_, o = tiny()
    src = draw.draw(o, rankdir="TB", show_grad=False).source
    assert "rankdir=TB" in src
    assert 'n0 [label="a | data 2.0" shape=record]' in src
    with pytest.raises(ValueError, match=r"^draw: rankdir \(LR: inputs left, TB: inputs on top\) must be one of"):
        draw.draw(o, rankdir="sideways")  # the meaning of LR and TB, lost when it became check_choice's message


def test_record_special_characters_are_escaped():
    x = Value(1.0, label="a|b{c}")
    src = draw.draw(x * 2.0, show_data=False, show_grad=False).source
    assert r'label="{ a\|b\{c\} }"' in src


def test_determinism_byte_identical_dot():
    def build():
        rng = np.random.default_rng(7)
        model = nn.MLP([3, 5, 2], activation="tanh", rng=rng)
        x = Tensor(rng.standard_normal((4, 3)))
        tr = draw.trace(model, x)
        loss = nn.mse_loss(tr.output, np.zeros((4, 2), dtype=np.float32))
        loss.backward(retain_grads=True)
        return draw.draw(loss, module=tr, color_by_grad=True, show_local=True).source

    first, second = build(), build()
    assert first == second
    assert "0x" not in first  # no memory addresses


def test_max_nodes_summarises_the_rest():
    xs = [Value(float(i), label=f"x{i}") for i in range(30)]
    h = [x * 2.0 for x in xs]
    out = Value.sum([v.tanh() for v in h])
    out.label = "L"
    g = draw.draw(out, max_nodes=5)
    src = g.source
    drawn = re.findall(r"^\tn(\d+) \[", src, flags=re.M)
    assert len(drawn) == 5
    order = autograd.topological_order(out)  # the 30 tanh are equally near L: the last ones the walk reached stay
    assert drawn == [str(i) for i, n in enumerate(order) if n.op == "tanh"][-4:] + [str(len(order) - 1)]
    # 91 nodes in all (30 leaves, 30 *, 30 tanh, 1 +): 86 are summarised
    assert '"... 86 more nodes: 30 *, 30 leaves, 26 tanh"' in src
    assert src.count("-> n") >= 4 and "more -> " in src and "style=dashed" in src
    with pytest.raises(ValueError, match="max_nodes"):
        draw.draw(out, max_nodes=0)


def test_large_graphs_are_cut_to_the_nodes_nearest_the_output_by_default():
    loss, tr = draw.mlp_loss([2, 16, 16, 1], engine="scalar", rng=0)
    assert tr is None and loss.label == "loss"
    loss.backward()
    src = draw.draw(loss).source
    records = re.findall(r"^\tn(\d+) \[label=\"\{", src, flags=re.M)
    assert len(records) == draw.MAX_NODES
    n = len(autograd.topological_order(loss))
    assert str(n - 1) in records  # the output is kept, the inputs are summarised
    assert re.search(rf'"\.\.\. {n - draw.MAX_NODES} more nodes: \d+ leaves, \d+ \*', src)
    assert draw.draw(loss, max_nodes=None).source.count("more nodes") == 0
    with pytest.raises(ValueError, match=r"max_nodes must be >= 1 \(or None to draw every node\)"):
        draw.draw(loss, max_nodes=0)
    with pytest.raises(TypeError, match="max_nodes must be a whole number"):
        draw.draw(loss, max_nodes=2.5)


def test_mlp_loss_same_data_for_every_scheme_and_named_errors():
    (a, ta), (b, tb) = (draw.mlp_loss([3, 4, 2], scheme, batch=5, rng=7) for scheme in ("small", "he_normal"))
    xa, xb = ta.calls[0][2][0], tb.calls[0][2][0]  # the input the first layer received
    np.testing.assert_array_equal(xa.data, xb.data)
    assert xa.shape == (5, 3) and a.name == "loss" and a.data != b.data
    again, _ = draw.mlp_loss([3, 4, 2], "small", batch=5, rng=7)
    assert again.data == a.data
    with pytest.raises(ValueError, match="mlp_loss: engine must be one of 'scalar', 'tensor'"):
        draw.mlp_loss([2, 1], engine="jax")
    for engine in ("tensor", "scalar"):  # named by mlp_loss, not by the MLP it builds ('nouts' is no argument here)
        with pytest.raises(ValueError, match=r"mlp_loss: sizes must list an input and an output width at least"):
            draw.mlp_loss([2], engine=engine)
    with pytest.raises(TypeError, match=r"mlp_loss: sizes must be the layer widths, e.g. \(2, 4, 1\), got int"):
        draw.mlp_loss(3)
    for engine in ("tensor", "scalar"):  # said as 'Linear: init, ...' and 'MLP: activation ...', which were not called
        with pytest.raises(ValueError, match=r"^mlp_loss: init, the weight initializer: unknown .* 'xavier_normal'"):
            draw.mlp_loss([2, 1], "xaviernormal", engine=engine)
        with pytest.raises(ValueError, match=r"^mlp_loss: activation must be one of .*got 'tahn'"):
            draw.mlp_loss([2, 1], activation="tahn", engine=engine)
    with pytest.raises(ValueError, match=r"^compare_inits: schemes\[1\]: unknown initialization scheme 'smal'"):
        draw.compare_inits((2, 1), ("small", "smal"))  # was 'init.get: ...'
    with pytest.raises(ValueError, match=r"^compare_inits: sizes must list an input and an output width"):
        draw.compare_inits((2,))  # was 'mlp_loss: ...'


def test_the_example_nets_picture_names_its_input_x_and_its_target_y():
    # the tensor net's target, handed to mse_loss as an array, was drawn as a dashed box titled 'data' beside one
    # titled 'x', in the picture and in `tinygrad-init graph --mlp ... --engine tensor`
    loss, _ = draw.mlp_loss([2, 4, 1], batch=3, rng=0)
    src = draw.draw(loss).source
    assert re.search(r'label="x\\n\(3, 2\) float64\\ndata \[', src) and re.search(r'label="y\\n\(3, 1\) float64', src)
    assert not re.search(r'label="data\\n', src)


def test_colours_monotone_in_gradient_size():
    lum = [wcag_luminance(grad_color(t)) for t in np.linspace(0, 1, 41)]
    assert all(a > b for a, b in zip(lum, lum[1:]))  # larger gradient: darker
    # in a drawn graph: |grad| of the leaves spans several decades
    ws = [Value(1.0, label=f"w{k}") for k in range(5)]
    out = Value.sum([w * (10.0 ** -k) for k, w in enumerate(ws)])
    out.backward()
    src = draw.draw(out, color_by_grad=True).source
    fills = [re.search(rf'n{2 * k} \[label="{{ w{k} \|[^"]*" fillcolor="(#[0-9a-f]{{6}})"', src).group(1)
             for k in range(5)]
    lums = [wcag_luminance(f) for f in fills]
    assert all(a < b for a, b in zip(lums, lums[1:]))  # grads 1, 0.1, ..., 1e-4 get paler
    assert 'label="|grad|, log scale"' in src and 'legend0 [label="1e-04"' in src


def test_colour_scale_special_values():
    s = ColorScale(-3, 0)
    assert s.color(None) == draw.UNKNOWN_COLOR
    assert s.color(0.0) == draw.ZERO_COLOR
    assert s.color(float("nan")) == draw.BAD_COLOR == s.color(float("inf"))
    assert s.color(1e-9) == grad_color(0.0) and s.color(1e3) == grad_color(1.0)
    assert ColorScale.fit([0.004, 0.3, None, 0.0]) == ColorScale(-3, 0)
    assert ColorScale(-12, 0).decades() == [-12, -10, -8, -6, -4, -2, 0]
    assert ColorScale(0, 7).decades() == [0, 2, 4, 6, 7]  # 8 decades are more than 7 entries: every other, and the last


def test_a_colour_scale_of_fractional_decades_is_refused_by_name():
    a, b, c, o = tiny()
    with pytest.raises(TypeError, match="ColorScale: lo must be a whole number"):
        draw.draw(o, color_by_grad=ColorScale(-2.5, 0))
    assert ColorScale(np.int64(-2), np.int64(0)).decades() == [-2, -1, 0]


def test_chosen_grads_and_the_outlined_step():
    a, b, c, o = tiny()
    src = draw.draw(o, show_data=False, grads={o}).source
    assert 'n5 [label="{ o | grad 1.0 }" shape=record]' in src and 'n0 [label="{ a | grad ? }" shape=record]' in src
    src2 = draw.draw(o, show_data=False, grads={a: 0.5, o: 1.0}).source
    assert "{ a | grad 0.5 }" in src2 and "{ b | grad ? }" in src2
    with ledger.record() as steps:
        o.backward()
    src3 = draw.draw(o, show_data=False, grads=steps.state(4)).source  # step 4: mul#2 -> a
    assert 'n0 [label="{ a | grad -0.008046 }" color="#d62728" penwidth=3 shape=record]' in src3
    assert 'n0 -> n2op [color="#d62728" fontcolor="#d62728" penwidth=2.5]' in src3
    with pytest.raises(TypeError, match="grads must be a Ledger"):
        draw.draw(o, grads=3.0)
    with pytest.raises(ValueError, match="color_by_grad must be"):
        draw.draw(o, color_by_grad="loud")


def test_grads_given_by_intermediate_tensors_are_shown():
    w = Tensor(np.ones((2, 2)), requires_grad=True, name="w")
    h = Tensor(np.ones((3, 2)), name="x") @ w
    h.name = "h"
    y = h.tanh().sum()
    y.backward(retain_grads=True)
    by_dict = draw.draw(y, grads={h: np.full((3, 2), 7.0), y: 1.0}).source  # keyed by the tensors, not their nodes
    assert "h = matmul\\n(3, 2) float64\\ngrad [7.0, 7.0, 7.0, 7.0, 7.0, 7.0]" in by_dict
    assert "sum\\n() float64\\n|grad| 1.0" in by_dict
    by_set = draw.draw(y, grads={h}).source  # a set of tensors: their own .grad
    assert "h = matmul\\n(3, 2) float64\\ngrad [0.07065" in by_set


def test_a_title_that_is_not_text_is_written_as_text():
    *_, o = tiny()
    assert "label=2024 labelloc=t" in draw.draw(o, title=2024).source
    assert "label=0 labelloc=t" in draw.draw(o, title=0).source  # a falsy number was left out
    assert "labelloc" not in draw.draw(o, title="").source


@pytest.mark.parametrize("name", [5, 2.5, np.int64(3), True])
def test_a_tensor_named_with_a_number_after_it_was_made_is_drawn_with_the_number_as_its_name(name):
    # Tensor(name=5) is refused, t.name = 5 is taken: draw (and the player) then failed with "unsupported operand
    # type(s) for +: 'int' and 'str'" (numpy's UFuncTypeError for np.int64), where a Value's label set so is drawn
    t = Tensor(np.ones(2), requires_grad=True)
    t.name = name
    assert f'label="{name}\\n(2,) float64\\n' in draw.draw((t * 2.0).sum()).source
    v = Value(1.0)
    v.label = name
    assert f'label="{{ {name} | data 1.0' in draw.draw(v * 2.0).source


def test_a_ledger_state_of_another_graph_is_refused():
    *_, o = tiny(backward=False)
    y = Value(3.0, label="y") * 2.0
    with ledger.record() as steps:
        o.backward()
        y.backward()
    assert "y | data 3.0 | grad 2.0" in draw.draw(y, grads=steps.state(len(steps))).source  # its own pass
    with pytest.raises(ValueError, match="draw: the ledger state given as grads= is from a backward pass from"):
        draw.draw(o, grads=steps.state(len(steps)))  # y's pass, not o's: every cell would read "grad ?"


def test_draw_step_shows_only_the_gradients_known_so_far():
    a, b, c, o = tiny(backward=False)
    with ledger.record() as steps:
        o.backward()
    first = draw.draw_step(steps, 0).source
    assert first.count("grad ?") == 5 and "grad 1.0" in first
    mid = draw.draw_step(steps, 4)  # the step that gives a its gradient
    assert steps[3].parent is a
    assert 'n0 [label="{ a | data 2.0 | grad -0.004023 }" color="#d62728"' in mid.source
    assert "grad ?" in mid.source and mid.source.count("grad ?") == 1  # b is still unknown
    assert "do/da = do/d(mul#2)" in mid.source  # caption: the ledger's line
    frames = draw.frames(steps)
    assert len(frames) == len(steps) + 1 and "grad ?" not in frames[-1]


def test_tensor_graph_labels_rules_and_param_names():
    model = nn.MLP([3, 4, 2], rng=0)
    list(model.named_parameters())
    x = Tensor(np.ones((5, 3), dtype=np.float32))
    loss = model(x).sum()
    loss.backward(retain_graph=True)
    src = draw.draw(loss, show_local=True, show_data=False).source
    assert 'label="layers.0.weight\\n(3, 4) float32\\n|grad| ' in src
    # the ledger's names (matmul#2, n0), so that its lines are found in the picture (they were "matmul" and "data")
    assert 'label="matmul#2\\n(5, 4) float32\\ngrad ?"' in src  # intermediate grads were dropped
    assert '[label="dW = x.T @ g"]' in src and '[label="dx = g @ W.T"]' in src
    assert 'label="data n0\\n(5, 3) float32" shape=box style=dashed' in src
    with ledger.record() as steps:
        loss.backward(retain_graph=True)
    assert {"matmul#2", "matmul#7", "n0", "layers.0.weight"} <= set(steps.get_pass().names.values())
    # with the ledger the intermediate gradients are known
    model.zero_grad()
    with ledger.record() as steps:
        loss.backward()
    src2 = draw.draw(loss, color_by_grad=True, grads=steps).source
    assert "grad ?" not in src2 and 'label="no grad"' in src2  # only the data has none


def test_module_clusters_trace_and_collapse():
    model = nn.MLP([3, 4, 4, 2], activation="tanh", rng=0)
    x = Tensor(np.random.default_rng(1).standard_normal((5, 3)))
    tr = draw.trace(model, x)
    assert [c[0] for c in tr.calls] == ["layers.0", "layers.1", "layers.2", "layers.3", "layers.4", "layers", ""]
    loss = nn.mse_loss(tr.output, np.zeros((5, 2)))
    loss.backward(retain_grads=True)
    src = draw.draw(loss, module=tr).source
    block = src[src.index("subgraph cluster_m2 {"):]
    block = block[: block.index("}")]
    assert 'label="layers.0 (Linear)"' in block
    assert "layers.0.weight" in block and "layers.0.bias" in block and "matmul" in block and "add" in block
    assert 'label="layers (Sequential)"' in src and src.index("cluster_m1") < src.index("cluster_m2")
    # parameters only, grouped by their path prefix, when the model itself is given
    src_p = draw.draw(loss, module=model).source
    blk = src_p[src_p.index("subgraph cluster_m6 {"):]
    assert "layers.4.weight" in blk[: blk.index("}")] and "matmul" not in blk[: blk.index("}")]
    # collapse: one box per layer, the chain data -> 0 -> 1 -> ... -> 4 -> loss ops
    col = draw.draw(loss, module=tr.collapsed()).source
    assert col.count("shape=box3d") == 5
    for a, b in [("n0", "m2"), ("m2", "m3"), ("m3", "m4"), ("m4", "m5"), ("m5", "m6")]:
        assert f"\t\t{a} -> {b}\n" in col or f"\t{a} -> {b}\n" in col
    one = draw.draw(loss, module=tr.collapsed(["layers.2"])).source
    assert one.count("shape=box3d") == 1 and "layers.0.weight" in one
    assert draw.draw(loss, module=tr.collapsed(p for p in ["layers.2"])).source == one  # any iterable, read once
    with pytest.raises(ValueError, match="no module named 'layers.9'"):
        draw.draw(loss, module=tr.collapsed(["layers.9"]))
    tr1 = draw.trace(nn.Linear(2, 2, rng=0), Tensor(np.ones((1, 2))))  # the message listed no module: "are: "
    with pytest.raises(ValueError, match=r"no module named '0'; Linear has no sub-modules to collapse$"):
        draw.draw(tr1.output.sum(), module=tr1.collapsed(["0"]))
    *_, o = tiny()
    with pytest.raises(TypeError, match="Value graph has no modules"):
        draw.draw(o, module=model)


def test_a_bare_layer_keeps_its_parameters_outside_any_cluster():
    layer = nn.Linear(2, 3, rng=0)
    loss = layer(Tensor(np.ones((1, 2)))).sum()
    src = draw.draw(loss, module=layer).source
    assert src == draw.draw(loss).source and 'n1 [label="weight' in src and "cluster" not in src


def test_compare_inits_three_panels_one_scale():
    g = draw.compare_inits((2, 4, 4, 1), ("small", "xavier_uniform", "he_normal"), rng=0)
    src = g.source
    assert src.count("subgraph cluster_init") == 3 and src.count("subgraph cluster_legend") == 1
    assert "small: 0.01*N(0, 1)" in src and "he_normal" in src

    def fill(panel: int, name: str) -> str:
        m = re.search(rf'i{panel}_n\d+ \[label="{re.escape(name)}\\n[^"]*" fillcolor="(#[0-9a-f]{{6}})"', src)
        return m.group(1)

    # the first layer's weight gradient: far smaller (paler) with small init than with He
    assert wcag_luminance(fill(0, "layers.0.weight")) > wcag_luminance(fill(2, "layers.0.weight"))
    gv = draw.compare_inits(engine="value", rng=0)
    assert gv.source.count("subgraph cluster_init") == 3 and "L0.n0.w0" in gv.source
    with pytest.raises(ValueError, match="engine"):
        draw.compare_inits(engine="jax")


def test_compare_inits_takes_one_scheme_by_name_refuses_none_and_any_case_of_rankdir():
    one = draw.compare_inits((2, 1), "small").source  # a name, not its letters
    assert one.count("subgraph cluster_init") == 1 and "small: 0.01*N(0, 1)" in one
    with pytest.raises(ValueError, match="compare_inits: schemes must name at least one scheme"):
        draw.compare_inits((2, 1), ())
    lower = draw.compare_inits((2, 1), ("small", "he_normal"), rankdir="lr").source
    assert "rankdir=LR" in lower and lower == draw.compare_inits((2, 1), ("small", "he_normal")).source


# ----------------------------------------------------------------------------- rendering


def test_render_svg_png_pdf(tmp_path):
    require_binary("dot")
    *_, o = tiny()
    g = draw.draw(o, show_data=True, show_grad=True, color_by_grad=True)
    svg = draw.to_svg(g)
    assert "<svg" in svg and "tanh" in svg
    png = draw.render(g, tmp_path / "g.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = draw.render(g, tmp_path / "g.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert draw.render(g, tmp_path / "g.out", format="svg").read_text().lstrip().startswith("<?xml")
    bundle = g._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_render_writes_the_same_pdf_a_second_later(tmp_path):
    # Graphviz's cairo stamps the time into a PDF (/CreationDate (D:20261206115702Z)): the command blanked it, but a
    # lecturer's draw.render(g, "slide.pdf") wrote other bytes on every run, where SVG and PNG are the same bytes
    import time

    require_binary("dot")
    g = draw.draw(tiny()[-1], show_local=True)
    pdfs = [draw.render(g, tmp_path / "a.pdf").read_bytes(), time.sleep(1.1)]
    pdfs[1] = draw.render(g, tmp_path / "b.pdf", format="PDF").read_bytes()
    assert pdfs[0] == pdfs[1] and pdfs[0].startswith(b"%PDF-") and b"/CreationDate" not in pdfs[0]


def test_a_picture_prints_what_it_holds_and_no_memory_address():
    # draw(o) at the prompt printed '<tinygrad_init.observe.draw.Picture object at 0x7f...>', and a notebook saved that
    # text beside the SVG: an address that changes with every run of the cell
    g = draw.draw(tiny()[-1])
    assert repr(g) == "Picture(22 lines of DOT text in .source)" and repr(draw.draw(Value(1.0))).startswith("Picture(")


def test_the_pictures_own_pipe_and_render_write_a_pdf_without_the_time(tmp_path):
    # draw(o, format="pdf").render("slide") (micrograd's draw_dot habit, which draw's docstring names) and .pipe() kept
    # cairo's /CreationDate (D:...): other bytes on every run, where draw.render(g, "slide.pdf") blanks it
    require_binary("dot")
    g = draw.draw(tiny()[-1], format="pdf")
    piped, written = g.pipe(), Path(g.render(tmp_path / "slide"))
    assert written.name == "slide.pdf" and written.read_bytes() == piped
    assert piped == draw.render(g, tmp_path / "g.pdf").read_bytes()
    assert piped.startswith(b"%PDF-") and b"/CreationDate" not in piped
    assert g.pipe(format="svg") == draw.draw(tiny()[-1]).pipe()  # another format: as Graphviz wrote it
    assert Path(g.render(tmp_path / "dot", format="png")).read_bytes()[:4] == b"\x89PNG"


def test_rendering_something_that_is_not_a_picture_is_refused_by_name(tmp_path):
    for bad in (3, None, tiny()[-1]):  # a number, nothing, a Value instead of draw(value)
        with pytest.raises(TypeError, match="render: expected a picture"):
            draw.render(bad, tmp_path / "g.dot")
        with pytest.raises(TypeError, match="to_svg: expected a picture"):
            draw.to_svg(bad)
    assert not (tmp_path / "g.dot").exists()


def test_rendering_into_a_missing_folder_or_onto_a_folder_is_refused_before_graphviz_runs(tmp_path, monkeypatch):
    # "[Errno 2] No such file or directory" from inside render, after Graphviz had laid the picture out
    g = draw.draw(tiny()[-1])
    monkeypatch.setattr(draw.graphviz.Source, "pipe", lambda *a, **k: pytest.fail("Graphviz ran"))
    for path in (tmp_path / "slides" / "g.svg", str(tmp_path / "slides" / "g.dot")):
        with pytest.raises(FileNotFoundError, match=r"render: the folder '.*slides' does not exist; create it first"):
            draw.render(g, path)
    with pytest.raises(IsADirectoryError, match=r"render: path '.*' is a folder; name the file: .*graph\.svg"):
        draw.render(g, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_render_refuses_a_format_the_file_name_contradicts(tmp_path):
    # render(g, "slide.png", format="svg") wrote SVG text into slide.png, which no image viewer opens (save_figure
    # refuses the same)
    require_binary("dot")
    g = draw.draw(tiny()[-1])
    for name, fmt in (("slide.png", "svg"), ("slide.svg", "dot"), ("slide.PDF", "png")):
        with pytest.raises(ValueError, match=rf"render: format='{fmt}' and the file name '.*{name}' say two formats"):
            draw.render(g, tmp_path / name, fmt)
    assert list(tmp_path.iterdir()) == []
    for name, fmt, head in (("g.gv", "dot", b"digraph"), ("g.jpeg", "JPG", b"\xff\xd8"), ("G.PNG", "png", b"\x89PNG"),
                            ("g.txt", "svg", b"<?xml"), ("g", "pdf", b"%PDF")):
        assert draw.render(g, tmp_path / name, fmt).read_bytes().startswith(head), name


def test_draw_takes_micrograds_format_and_a_picture_renders_as_svg_by_default(tmp_path, monkeypatch):
    # micrograd's draw_dot(root, format="svg", rankdir="LR") returns a Digraph whose .render("gout") writes gout.svg;
    # draw(root, format="png") was a TypeError, and draw(root).render("gout") wrote a PDF (graphviz's default)
    require_binary("dot")
    monkeypatch.chdir(tmp_path)
    o = tiny()[-1]
    assert draw.draw(o, rankdir="TB", format="png").render("gout") == "gout.png"
    assert draw.draw(o).format == "svg" and draw.draw(o).pipe().startswith(b"<?xml")
    assert draw.draw(o, format="PDF").format == "pdf" and draw.draw(o, format="pdf").source == \
        draw.draw(o).source  # the DOT text is the same
    with pytest.raises(ValueError, match=r"^draw: format must be one of 'svg', 'png', 'pdf', 'jpg', got 'bmp'"):
        draw.draw(o, format="bmp")


def test_missing_graphviz_binary_says_how_to_install(tmp_path, monkeypatch):
    *_, o = tiny()
    g = draw.draw(o)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    with pytest.raises(GraphvizNotFoundError) as err:
        draw.to_svg(g)
    msg = str(err.value)
    assert "apt-get install graphviz" in msg and "brew install graphviz" in msg and "conda" in msg
    assert isinstance(err.value, graphviz.ExecutableNotFound)
    with pytest.raises(GraphvizNotFoundError):
        draw.render(g, tmp_path / "g.png")
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz"):
        g.pipe(format="svg")
    # the DOT text stays available, and a notebook shows the hint instead of a traceback
    assert g.source.startswith("digraph {")
    assert draw.render(g, tmp_path / "g.dot").read_text() == g.source
    text = g._repr_mimebundle_()["text/plain"]
    assert "apt-get install graphviz" in text and "digraph {" in text
    with pytest.raises(ValueError, match=r"render: format \(or the suffix of .*g.bmp'\) must be one of 'svg', .*'bmp'"):
        draw.render(g, tmp_path / "g.bmp")


def test_missing_graphviz_message_writes_the_dot_text_with_code_that_runs_after_import_draw(tmp_path, monkeypatch):
    # it said render(g, 'graph.dot'); after `from tinygrad_init import draw`, the import the tutorials use, that is a
    # NameError: render is draw.render
    *_, o = tiny()
    g = draw.draw(o)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GraphvizNotFoundError) as err:
        draw.render(g, "g.svg")
    code = re.search(r"write it with (.*)\)\.$", str(err.value), re.M)[1]
    exec(code, {"draw": draw, "g": g})
    assert (tmp_path / "graph.dot").read_text() == g.source


def test_grad_color_of_nan_is_the_bad_color():
    assert grad_color(float("nan")) == draw.BAD_COLOR and grad_color(-1.0) == grad_color(0.0)


AWKWARD = ['say "hi"', "a<b", "a>b", "a&b", "{x}", "a|b", "back\\slash", "end\\", "\\n", "\\\"", "<b>",
           "<x> vs <y>", "ünïcødé ∂L/∂x 😀", "x" * 300, "two\nlines", "",
           "&lt;b&gt; &amp; &#65;", "α w", "σ (x) ", " lead"]  # Graphviz reads entities; a record dropped spaces


def _svg_texts(picture) -> list[str]:
    import html

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", draw.to_svg(picture))]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_labels_names_and_titles_render_as_written(text):
    require_binary("dot")
    a = Value(2.0, label=text)
    out = a * Value(-3.0, label="b")
    out.backward()
    t = Tensor(np.ones(2), requires_grad=True, name=text)
    y = (t * t).sum()
    y.backward()
    lines = [line for line in text.split("\n") if line]
    for picture in (draw.draw(out), draw.draw(out, rankdir="TB"), draw.draw(y)):
        texts = _svg_texts(picture)  # Graphviz reads the DOT text without complaint ...
        assert all(line in texts for line in lines), (text, texts)  # ... and shows each line as written
        assert "data 2.0" in texts or "(2,) float64" in texts
    titled = _svg_texts(draw.draw(Value(1.0, label="c") * 2.0, show_data=False, show_grad=False, title=text))
    assert titled == [*lines, "c", "*", "L", "2.0"], titled  # a title in <...> is text, not Graphviz's HTML


def _calls(fn) -> int:  # the Python and C function calls made by fn(): a measure of work that needs no clock
    count = [0]
    sys.setprofile(lambda frame, event, arg: count.__setitem__(0, count[0] + 1))
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count[0]


@pytest.mark.parametrize("collapse", [False, True])
def test_drawing_a_deeper_traced_mlp_takes_work_in_proportion_to_its_depth(collapse):
    # each module's ops were found by walking the whole graph below it, the collapsed modules by comparing every
    # node's module with every collapsed one, and clusters by scanning all items: a 400-layer MLP took 2 s
    def work(depth):
        tr = draw.trace(nn.MLP([3] * (depth + 1), rng=0), Tensor(np.ones((2, 3)), name="x"))
        loss = tr.output.sum()
        loss.backward()
        return _calls(lambda: draw.draw(loss, module=tr.collapsed() if collapse else tr, max_nodes=None))

    small, large = work(15), work(60)
    assert large < 5 * small, (small, large)  # four times the layers: about four times the work, not sixteen


def test_compare_inits_of_a_wide_scalar_mlp_draws_each_panel_within_max_nodes():
    # every Value of every panel was drawn: (2, 64, 64, 1) wrote 4.9 MB of DOT that Graphviz cannot lay out
    src = draw.compare_inits((2, 24, 24, 1), ("small", "he_normal"), engine="scalar").source
    for k in range(2):
        records = set(re.findall(rf"\bi{k}_n\d+\b(?!op|c)", src))
        assert 0 < len(records) <= draw.MAX_NODES and f"i{k}_more" in src, len(records)
    assert len(src) < 200_000


def test_the_note_for_the_rest_of_a_deep_chain_counts_one_leaf_in_the_singular():
    y = Value(0.5, label="x")
    for _ in range(1000):
        y = y.tanh()
    assert '"... 996 more nodes: 995 tanh, 1 leaf"' in draw.draw(y, max_nodes=5).source  # was "1 leaves"
    w = Tensor(np.ones((2, 2)), requires_grad=True)
    assert "1 parameter, " in draw.draw((w * 2.0).tanh().sum(), max_nodes=1).source


def test_draw_step_of_a_large_graph_keeps_the_step_it_outlines():
    # the last steps of a 2-16-16-1 scalar MLP reach nodes far from the output: the 150 nodes kept did not include
    # them, so the frame's caption named a step that the picture did not show (no red outline at all)
    loss, _ = draw.mlp_loss([2, 16, 16, 1], engine="scalar")
    with ledger.record() as steps:
        loss.backward()
    for k in (500, len(steps)):
        src, s = draw.draw_step(steps, k).source, steps[k - 1]
        topo = {n: i for i, n in enumerate(autograd.topological_order(loss))}
        assert len(re.findall(r"^\tn\d+ \[label=\"\{", src, flags=re.M)) == draw.MAX_NODES
        for n in (s.node, s.parent):
            assert re.search(rf"^\tn{topo[n]} \[.*color=\"#d62728\" penwidth=3", src, flags=re.M), (k, n)
        assert re.search(rf"^\tn{topo[s.parent]} -> n{topo[s.node]}op \[.*color=\"#d62728\"", src, flags=re.M)


def test_the_legend_names_the_quantity_the_fills_measure_whatever_the_scale_says():
    a = Value(2.0, label="a")
    (b := a * 3.0).backward()
    src = draw.draw(b, color_by_grad=ColorScale(-1, 1, "std(grad)")).source  # a Value's fill is |grad|
    assert 'label="|grad|, log scale"' in src
    w = Tensor(np.ones((2, 2)), requires_grad=True)
    (loss := (w * 2.0).sum()).backward()
    src = draw.draw(loss, color_by_grad=ColorScale(-1, 1)).source  # a Tensor's, with this scale: the norm
    assert 'label="|grad|_F, log scale"' in src


def test_the_caption_of_step_0_is_the_ledgers_seed_line():
    # it wrote 'dmy loss/dmy loss = seed' where every line of the ledger reads d(my loss)
    x = Value(2.0, label="x")
    out = x * x
    out.label = "my loss"
    with ledger.record() as steps:
        out.backward()
    assert 'label="step 0 of 2: d(my loss)/d(my loss) = 1.0   (the seed: backward starts here)"' in draw.draw_step(
        steps, 0).source
    assert steps.line(0).startswith("d(my loss)/dx ")


def test_every_name_the_picture_modules_export_is_defined():
    # `from tinygrad_init.draw import *` fails on a name of __all__ that the module does not define
    for module in (draw, colors):
        assert [name for name in module.__all__ if not hasattr(module, name)] == [], module.__name__


def test_a_drawn_graph_is_freed_without_a_gc_run():
    # the picture's recursive helper (a closure over the scene, and so over every node) made a cycle: each draw()
    # kept its graph, with the arrays its backward rules saved, until the cycle collector ran
    import gc
    import weakref

    gc.disable()
    try:
        for engine in ("scalar", "tensor"):
            loss, tr = draw.mlp_loss((2, 3, 1), engine=engine)
            ref = weakref.ref(loss)
            assert "digraph" in draw.draw(loss, module=tr).source
            del loss, tr
            assert ref() is None, engine
    finally:
        gc.enable()


@pytest.mark.parametrize("call, error, message", [
    (lambda o, p: draw.draw(o, grads=[1, 2]), TypeError, "draw: grads must be"),  # not nodes: was AttributeError
    (lambda o, p: draw.draw(o, grads=Tensor([1.0, 2.0])), TypeError, "draw: grads must be"),  # was all '?'
    (lambda o, p: draw.render(draw.draw(o), p / "g.svg", format=3), ValueError, "render: format .* got 3"),
    (lambda o, p: draw.render(draw.draw(o), p / "g.svg", format={}), ValueError, r"render: format .* got \{\}"),
    (lambda o, p: draw.render(draw.draw(o), None), TypeError, "render: path must be"),
    (lambda o, p: draw.to_svg("digraph { a -> }"), ValueError, "to_svg: Graphviz failed .*syntax error"),
    (lambda o, p: draw.render("not dot", p / "g.png"), ValueError, "render: Graphviz failed on the DOT text"),
    (lambda o, p: draw.Picture(body=["a -> }"]).pipe(), ValueError, "^pipe: Graphviz failed on the DOT text: .*syntax"),
    (lambda o, p: draw.mlp_loss((2, 4, 1), "lsuv", engine="scalar"), TypeError, "^mlp_loss: lsuv is data-dependent"),
    (lambda o, p: draw.compare_inits((2, 1), None), TypeError, r"^compare_inits: schemes\[0\]: expected a scheme name"),
    (lambda o, p: draw.compare_inits((2, 1), 3), TypeError, r"^compare_inits: schemes\[0\]: expected a scheme name"),
    (lambda o, p: ColorScale(-3, 0).decades(1), ValueError, "ColorScale.decades: max_entries must be"),
    (lambda o, p: draw.draw(o, show_data="no"), TypeError, "draw: show_data must be True or False"),  # was: shown
    (lambda o, p: draw.draw(o, show_grad=np.array([0, 1])), TypeError, "draw: show_grad must be True or False"),
    (lambda o, p: draw.compare_inits((2, 1), show_local="off"), TypeError, "^compare_inits: show_local must be Tr"),
    (lambda o, p: draw.compare_inits((2, 1), rankdir="XY"), ValueError, "^compare_inits: rankdir .* got 'XY'"),
    (lambda o, p: draw.trace(o), TypeError, r"trace: model must be an nn\.Module \(the lecture.s trace.*\), got Value"),
    (lambda o, p: draw.draw_step(_steps(o), 0, rankdir="XY"), ValueError, "^draw_step: rankdir .* got 'XY'"),  # draw:
    (lambda o, p: draw.frames(_steps(o), max_nodes=0), ValueError, "^frames: max_nodes must be >= 1"),
    (lambda o, p: draw.frames(_steps(o), colour=1), TypeError, "^frames: no option colour=; draw's are"),
    (lambda o, p: draw.draw(o, color_by_grad=ColorScale(0, 10**30)), ValueError, "ColorScale: .*hi=10*"),  # Overflow
    (lambda o, p: ColorScale(-10**8, 0), ValueError, "ColorScale: needs whole decades"),  # a 10**8-entry legend list
    (lambda o, p: draw.draw(o, grads={o: "1.5"}), TypeError, "draw: a gradient in grads must be a number, got str"),
    (lambda o, p: draw.draw(o, grads={o: [1.0]}), TypeError, "draw: a gradient in grads must be a number, got list"),
    (lambda o, p: draw.draw(w := Tensor([1.0], requires_grad=True), grads={w: [[1.0], []]}), TypeError,
     r"^draw: a gradient in grads must be an array of numbers, got list \[\[1.0\], \[\]\]"),  # was numpy's words
    (lambda o, p: draw.draw(w := Tensor([1.0], requires_grad=True), grads={w: "x"}), TypeError,
     "^draw: a gradient in grads must be an array of numbers, got str 'x'"),  # was GradStats.of's
    (lambda o, p: draw.mlp_loss((2, 1))[1].collapsed(None), TypeError, "Trace.collapsed: paths must be"),
    (lambda o, p: ColorScale(0, 0), ValueError, r"ColorScale: needs whole decades -323 <= lo < hi <= 308"),
])
def test_bad_arguments_of_the_picture_functions_are_named_errors(tmp_path, call, error, message):
    require_binary("dot")
    with pytest.raises(error, match=message):
        call(tiny()[-1], tmp_path)
    assert not list(tmp_path.iterdir())  # nothing written


def test_draw_step_dashes_a_partial_sum_until_its_last_contribution_as_the_player_does():
    # x in y = x * x * x read 'grad 9.0' (then 18.0) in frames 2 and 3 like a final gradient, with nothing to say that
    # two of its three contributions were still to come (torch: 27 = 3 x^2)
    x = Value(3.0, label="x")
    y = x * x * x
    with ledger.record() as steps:
        y.backward()
    shown = []
    for k in range(len(steps) + 1):
        cell = re.search(r'n0 \[label="\{ x \| data 3.0 \| grad (\S+) \}"([^\]]*)\]', draw.draw_step(steps, k).source)
        shown.append((cell.group(1), "dashed" in cell.group(2)))
    assert shown == [("?", False), ("?", False), ("9.0", True), ("18.0", True), ("27.0", False)]
    t = Tensor([1.0, 2.0], requires_grad=True)
    with ledger.record() as steps:
        (t * t).sum().backward()
    cell = 'n0 [label="n0\\n(2,) float32\\ndata [1.0, 2.0]\\n|grad| {}" color="#d62728" penwidth=3 shape=box{}]'
    assert cell.format("2.236", " style=dashed") in draw.draw_step(steps, 2).source  # |[1, 2]|, of 2 x [1, 2]
    assert cell.format("4.472", "") in draw.draw_step(steps, 3).source


def _contrast(a: str, b: str) -> float:  # WCAG 2.2's contrast ratio of two "#rrggbb" colours, 1 to 21
    def luminance(c: str) -> float:  # relative luminance, https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
        srgb = [int(c[k:k + 2], 16) / 255 for k in (1, 3, 5)]
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in srgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    la, lb = sorted(map(luminance, (a, b)))
    return (lb + 0.05) / (la + 0.05)


def test_text_on_every_fill_meets_wcag_aa_contrast():
    # white on the mid reds of the scale (#e65536 ... #de432b) had contrast 3.7 to 4.3 where black has 4.9 to 5.7
    assert _contrast("#000000", "#ffffff") == pytest.approx(21) and _contrast("#767676", "#ffffff") > 4.5
    fills = [grad_color(t) for t in np.linspace(0, 1, 401)] + [draw.ZERO_COLOR, draw.UNKNOWN_COLOR, draw.BAD_COLOR]
    worst = min(_contrast(f, {"white": "#ffffff", "black": "#000000"}[draw.font_color(f)]) for f in fills)
    assert worst >= 4.5


@pytest.mark.parametrize("text, shown", [("tab\there", "tab here"), ("cr\rthere", "cr there"), ("nul\0x", "nul\\0x"),
                                         ("esc\x1b[1mbold", "esc\\x1b[1mbold"), ("ff\x0c", "ff\\x0c"),
                                         ("not a char \ufffe", "not a char \\ufffe"), ("lone \ud800", "lone \\ud800")])
def test_a_tab_cr_nul_or_control_character_in_a_label_name_or_title_is_drawn_as_a_space_or_escape(text, shown):
    # Graphviz dropped a tab or CR ("tabhere"), and a NUL byte ended the DOT text: "syntax error in line 5 near '{'";
    # it wrote "\x1b" (a terminal's colour code) into the SVG, which XML forbids: graph.svg opened in a browser as
    # "XML Parsing Error: not well-formed"; a lone surrogate (a file name's undecodable byte) raised
    # UnicodeEncodeError from deep inside graphviz
    import xml.etree.ElementTree as ET

    require_binary("dot")
    out = Value(2.0, label=text) * Value(-3.0, label="b")
    out.backward()
    y = (Tensor(np.ones(2), requires_grad=True, name=text) * 2.0).sum()
    y.backward()
    for picture in (draw.draw(out), draw.draw(out, rankdir="TB"), draw.draw(y), draw.draw(out, title=text)):
        ET.fromstring(draw.to_svg(picture).encode())  # well-formed XML: no ParseError
        assert shown in _svg_texts(picture)


def test_an_op_that_looks_like_html_is_drawn_as_text():
    require_binary("dot")  # a text in <...> was passed to Graphviz as an HTML label: "syntax error in line 7"
    out = Value(2.0, label="a") * 3.0
    out.op = "<b>x</b>"
    assert "<b>x</b>" in _svg_texts(draw.draw(out))


def test_a_label_name_or_title_of_a_hundred_thousand_characters_is_drawn_cut_short():
    # Graphviz 2.43 refuses a quoted string of more than 16,384 characters, and stopped reading: BrokenPipeError
    require_binary("dot")
    long, spaced = "x" * 100_000, "x y " * 25_000  # a space is written as 5 characters in a record
    out = Value(2.0, label=long) * Value(-3.0, label=spaced)
    out.backward()
    y = (Tensor(np.ones(2), requires_grad=True, name=long) * 2.0).sum()
    y.backward()
    for picture, kept in ((draw.draw(out), long), (draw.draw(out, rankdir="TB"), spaced), (draw.draw(y), long),
                          (draw.draw(Value(1.0, label="c") * 2.0, title=long), long)):
        texts = _svg_texts(picture)
        assert f"{kept[:980]}... (100,000 characters)" in texts, texts[:3]
    assert "(2,) float64" in _svg_texts(draw.draw(y))  # a name cut short leaves the lines below it
    for n in (1000, 1001):  # a line of 1,000 characters is drawn whole, a longer one cut short
        assert (f"({n:,}&#32;characters)" in draw.draw(Value(1.0, label="x" * n) * 2.0).source) == (n > 1000)


def test_a_backward_rule_labels_only_the_edges_along_which_backward_passes_a_gradient():
    # show_local wrote "db = g * a" on the edge from a constant c and "dx = g @ W.T" from the data x, which need no
    # gradient: backward computes nothing there and the ledger has no such step
    x = Tensor(np.array([[1.0, 2.0]]), name="x")
    w = Tensor(np.array([[1.0, 2.0], [3.0, -4.0]]), requires_grad=True, name="W")
    loss = ((x @ w) @ w * Tensor(np.array([[0.5, 0.1]]), name="c")).sum()
    with ledger.record() as steps:
        loss.backward()
    src = draw.draw(loss, show_local=True).source
    labelled = re.findall(r"\t(n\d+) -> (n\d+) \[label=\"(d\w+ = [^\"]*)\"\]", src)
    ids = {node: f"n{i}" for i, node in enumerate(steps.get_pass().order)}
    assert sorted(labelled) == sorted((ids[s.parent], ids[s.node], s.rule) for s in steps)
    assert "\tn0 -> n2\n" in src  # the data's edge, without a rule


def test_a_gradient_changed_by_a_hook_says_so_in_the_picture_from_the_step_it_shows_it():
    # a picture from a ledger showed h's |grad| 350 (after a hook g * 10) beside the 35 the chain rule gives, and the
    # root's 5 (after g * 5) beside its seed 1, without a word; the ledger's lines say "its hooks make it"
    x = Tensor(np.array([[0.5, -1.0, 2.0]]), name="x")
    w = Tensor(np.array([[1.0], [2.0], [-1.0]]), requires_grad=True, name="w")
    h = x @ w
    h.name = "h"
    loss = (h * h).sum()
    loss.name = "L"
    for t, k in ((h, 10.0), (loss, 5.0)):
        t.register_hook(lambda g, k=k: g * k)
    with ledger.record() as steps:
        loss.backward()

    def label(src, name):
        return re.search(rf'label="{name} = [^"]*"', src).group(0)

    final = draw.draw(loss, grads=steps).source
    assert label(final, "h").endswith("|grad| 350.0 (after its hooks)\"")  # 2 * 3.5 * 5 * 10
    assert label(final, "L").endswith("|grad| 5.0 (after its hooks)\"")
    assert "(after its hooks)" not in label(draw.draw(loss, grads=steps.state(0)).source, "L")  # the seed: 1.0
    partial = draw.draw(loss, grads=steps.state(2)).source  # one of h's two contributions: the raw partial sum
    assert label(partial, "h").endswith("|grad| 17.5\"") and label(partial, "L").endswith("(after its hooks)\"")
    assert "after its hooks" not in draw.draw(loss).source  # from .grad alone nothing tells


def test_a_hook_that_only_watches_is_not_said_to_change_the_gradient():
    # a leaf's watching hook (returning None) made the picture read "(after its hooks)" on its unchanged gradient
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True, name="w")
    h = w * 3.0
    h.name = "h"
    for t in (w, h):
        t.register_hook(lambda g: None)
    loss = (h * w).sum()
    with ledger.record() as steps:
        loss.backward()
    assert "after its hooks" not in draw.draw(loss, grads=steps).source
    assert not steps.get_pass().hooked and "hooks" not in steps.explain()


def test_the_flat_name_draw_called_draws_as_the_lectures_draw_dot():
    # `from tinygrad_init import draw; draw(o)` was "'module' object is not callable"
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.8813735870195432, label="b")
    o = (x1 * w1 + b).tanh()
    o.label = "o"
    o.backward()
    picture = draw(o, show_local=True)
    assert picture.source == draw.draw(o, show_local=True).source
    assert re.search(r"\{ o \| data 0\.7071 \| grad 1\.0 \}", picture.source)
    assert re.search(r"\{ b \| data 6\.881 \| grad 0\.5 \}", picture.source)
    with pytest.raises(TypeError, match=r"draw: expected a Value or a Tensor"):
        draw("o")  # the function's own checks, as for draw.draw
    # the lecture's own name: `from tinygrad_init.draw import draw_dot` was "cannot import name 'draw_dot'", which
    # did not say that draw is its name here
    from tinygrad_init.draw import draw_dot
    assert draw_dot(o, show_local=True).source == picture.source and draw.draw_dot is draw.draw


def test_trace_given_a_value_names_what_gives_the_lectures_trace_of_nodes_and_edges():
    # the lecture's trace(root) returns a Value's nodes and edges; draw.trace(o), which traces a module's calls, said
    # only "model must be an nn.Module, got Value"
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    o = (a * b + a).tanh()
    with pytest.raises(TypeError, match=r"^trace: model must be an nn\.Module \(the lecture's trace\(root\), a Value's "
                                        r"nodes and edges, is autograd\.topological_order\(root\) with each node's "
                                        r"_prev\), got Value Value\(data="):
        draw.trace(o)
    nodes = autograd.topological_order(o)  # what the message writes
    edges = {(child, v) for v in nodes for child in v._prev}
    assert len(nodes) == len(edges) == 5 and nodes[-1] is o  # a and b into *, * and a into +, + into tanh
    with pytest.raises(TypeError, match=r"^trace: model must be an nn\.Module, got int 3$"):
        draw.trace(3)  # anything else: the message as it was


def test_a_tensor_box_states_the_mean_and_std_of_large_data_as_utils_moments_does() -> None:
    # entries 1e200 * (1..12): the std is 1e200 * sqrt((12^2 - 1) / 12) = 3.452e200, not inf (squares overflow)
    t = Tensor(np.arange(1.0, 13.0).reshape(3, 4) * 1e200, requires_grad=True, dtype=np.float64)
    with np.errstate(all="raise"):  # no numpy warning on the way either
        src = draw.draw((t * 1.0).sum()).source
    assert "data mean 6.5e+200, std 3.452e+200" in src
    small = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, dtype=np.float64)
    assert "data mean 5.5, std 3.452" in draw.draw((small * 1.0).sum()).source  # sqrt(143 / 12)


@pytest.mark.parametrize("where, call", [("mlp_loss", lambda rng: draw.mlp_loss((2, 1), rng=rng)),
                                         ("compare_inits", lambda rng: draw.compare_inits(rng=rng))])
def test_a_bad_rng_names_the_drawing_given_it(where, call):
    # as_rng was called without its caller's name: 'rng must be a np.random.Generator, ...' named no function
    with pytest.raises(TypeError, match=rf"^{where}: rng must be a np.random.Generator, an int seed or None, got str"):
        call("seed")


def test_the_colour_helpers_name_what_they_were_given():
    """draw's public colour helpers refuse what they cannot read by name, where int("ed", 16) or abs("x") spoke."""
    from tinygrad_init.ledger import GradStats
    for call, match in [(lambda: draw.grad_color("x"), "grad_color: t must be a number in"),
                        (lambda: draw.font_color("red"), 'font_color: fill must be a colour "#rrggbb"'),
                        (lambda: draw.font_color("#fff"), 'font_color: fill must be a colour "#rrggbb"'),
                        (lambda: draw.font_color(None), "font_color: fill must be"),
                        (lambda: draw.magnitude("x", True), "magnitude: info must be a Value's gradient"),
                        (lambda: draw.magnitude(0.5, False), "magnitude: info must be a tensor gradient's GradStats"),
                        (lambda: draw.magnitude(0.5, "yes"), "magnitude: scalar must be"),
                        (lambda: draw.magnitude(0.5, True, mode="max"), "magnitude: mode must be one of")]:
        with pytest.raises((TypeError, ValueError), match=re.escape(match)):
            call()
    assert draw.magnitude(-0.25, True) == 0.25 and draw.magnitude(None, False) is None
    assert draw.font_color("#FFFFFF") == "black" and draw.font_color("#7f0000") == "white"
    assert draw.grad_color(float("nan")) == colors.BAD_COLOR and draw.grad_color(True) == draw.grad_color(1.0)
    stats = GradStats.of(np.array([3.0, 4.0]))
    assert draw.magnitude(stats, False) == 5.0 and draw.magnitude(stats, False, "std") == 0.5


def test_a_picture_calls_its_root_l_only_for_a_loss_or_as_the_ledger_given_names_it():
    # the names became the ledger's, whose root is always "L": draw(model(x)) read "L = matmul", as if a loss
    x, W = Tensor(np.ones((2, 3))), Tensor(np.full((3, 2), 0.5), requires_grad=True)
    h = (x @ W).tanh()
    assert 'n3 [label="tanh#3\\n(2, 2) float64' in draw.draw(h).source
    assert 'n4 [label="L = sum\\n() float64' in draw.draw(h.sum()).source
    with ledger.record() as steps:
        h.backward(np.ones((2, 2)))  # a ledger's pass from any root calls it L, its lines dL/d...: so does its picture
    assert 'n3 [label="L = tanh\\n(2, 2) float64' in draw.draw(h, grads=steps).source
    assert 'n3 [label="L = tanh\\n(2, 2) float64' in draw.draw(h, grads=steps.state(1)).source


def test_a_trace_is_equal_to_itself_alone() -> None:
    # its generated == compared the output Tensors, which refuse == with a message about tensors
    model, x = nn.MLP([2, 3, 1]), Tensor(np.ones((4, 2)))
    first = draw.trace(model, x)
    assert first == first and first != draw.trace(model, x) and len({first, draw.trace(model, x)}) == 2
