"""Pictures: the smaller promises (a collapsed box, captions, the colour of a gradient, shapes, numbers)."""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, ledger, nn
from tinygrad_init.ledger import GradStats, format_number
from tinygrad_init.observe import draw

from observe._colors import wcag_luminance


def test_a_collapsed_module_box_shows_its_output_shape_and_gradient():
    lin = nn.Linear(3, 2, rng=0, dtype=np.float64)
    X = np.random.default_rng(1).standard_normal((4, 3))
    tr = draw.trace(nn.Sequential(lin, nn.Tanh()), Tensor(X))
    loss = tr.output.sum()
    loss.backward(retain_grads=True)
    src = draw.draw(loss, module=tr.collapsed()).source
    boxes = dict(re.findall(r'label="(\d)\\n\w+\\n([^"]*)" shape=box3d', src))
    z = X @ lin.weight.data + lin.bias.data
    assert sorted(boxes) == ["0", "1"]
    for path, grad in (("0", 1 - np.tanh(z) ** 2), ("1", np.ones_like(z))):  # dL/dz, dL/dh of L = sum(tanh(z))
        shape, values = boxes[path].split("\\n")
        assert shape == "-> (4, 2) float64"
        shown = [float(v) for v in values.removeprefix("grad [").removesuffix("]").split(", ")]
        assert shown == pytest.approx(grad.ravel(), rel=5e-4)


def test_a_collapsed_module_called_twice_shows_the_gradient_of_each_call():
    # a Linear used twice (tied weights) showed only its last call's output gradient, as if it had one output
    lin = nn.Linear(3, 3, rng=0, dtype=np.float64)
    tr = draw.trace(nn.Sequential(lin, nn.Tanh(), lin), Tensor(np.random.default_rng(1).standard_normal((4, 3))))
    loss = (tr.output * tr.output).sum()
    with ledger.record() as steps:
        loss.backward()
    calls = [out for path, _, _, out in tr.calls if path == "0"]
    norms = [format_number(steps.final_grads()[out].norm, 4) for out in calls]
    box = re.search(r'label="(0\\nLinear[^"]*)" shape=box3d', draw.draw(loss, module=tr.collapsed(), grads=steps)
                    .source).group(1)
    assert box.split("\\n") == ["0", "Linear (2 calls)", "-> (4, 3) float64", f"|grad| {norms[0]}",
                                  "-> (4, 3) float64", f"|grad| {norms[1]}"] and norms[0] != norms[1]
    scale = draw.ColorScale(-2, 2, "|grad|_F")  # the box is filled by the last call's gradient, 6.132 (5.171 is paler)
    fill = re.search(r'fillcolor="(#\w+)" shape=box3d', draw.draw(loss, module=tr.collapsed(), grads=steps,
                                                                 color_by_grad=scale).source)[1]
    assert fill == scale.color(steps.final_grads()[calls[-1]].norm) != scale.color(steps.final_grads()[calls[0]].norm)


def test_draw_step_keeps_a_title_given_and_caption_false_leaves_it_out():
    x = Value(0.5, label="x")
    y = x * x
    y.label = "y"
    with ledger.record() as steps:
        y.backward()
    # step 1: dy/dx = 1 * 0.5 from the first of x's two uses in x * x
    assert 'label="Slide 3" labelloc=t' in draw.draw_step(steps, 1, title="Slide 3").source
    assert "labelloc" not in draw.draw_step(steps, 1, caption=False).source
    # by default each edge reads its local derivative, d(x * x)/dx = x = 0.5 along both uses; the step's in red
    edges = [line.strip() for line in draw.draw_step(steps, 1).source.splitlines() if "-> n1op" in line]
    assert edges == ['n0 -> n1op [label="×0.5" color="#d62728" fontcolor="#d62728" penwidth=2.5]',
                     'n0 -> n1op [label="×0.5"]']
    assert 'label="dy/dx = dy/dy × ∂y/∂x (local) = 1.0 × 0.5 = 0.5   (contribution 1 of 2: ' in draw.draw_step(
        steps, 1).source


@pytest.mark.parametrize("values, std_shown", [([1.0, 3.0], True), ([4.0], False)])
def test_std_colouring_reads_the_std_of_two_entries_and_the_norm_of_one(values, std_shown):
    g = np.array(values)
    info = GradStats.of(g)
    expected = g.std() if std_shown else np.linalg.norm(g)  # one entry: its std (0) says nothing, its size does
    assert draw.magnitude(info, False, "std") == pytest.approx(expected, rel=1e-15)
    assert draw.magnitude(info, False, "norm") == pytest.approx(np.linalg.norm(g), rel=1e-15)


def test_compare_inits_fills_every_op_by_its_gradient_none_is_left_unknown():
    # the panels' op nodes are intermediate tensors: their gradients are known only if backward kept them
    src = draw.compare_inits().source
    ops = re.findall(r'\[label="(?:matmul|add|tanh|sub|pow|mean)[^\]]*shape=ellipse[^\]]*\]', src)
    assert len(ops) >= 3 * 8
    assert all("fillcolor=" in op and 'fillcolor="#ffffff"' not in op for op in ops), ops


def test_a_bad_layer_width_names_mlp_loss():
    with pytest.raises(ValueError, match="^mlp_loss: a layer width must be >= 1, got 0"):
        draw.mlp_loss((2, 0, 1))


def test_an_operator_sits_in_a_circle_a_function_name_in_an_ellipse():
    x = Value(0.5, label="x")
    src = draw.draw((x.exp() * x + x ** 2).tanh()).source
    shapes = dict(re.findall(r'\[label=(\S+) fontsize=10 height=0.3 margin=0.02 shape=(\w+)', src))
    assert shapes == {"exp": "ellipse", '"*"': "circle", '"**"': "circle", '"+"': "circle", "tanh": "ellipse"}


def test_a_zero_dimensional_tensor_shows_its_number_without_brackets():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True, name="w")
    loss = (w * 3.0).sum()
    loss.backward(retain_grads=True)
    src = draw.draw(loss).source
    assert 'label="constant n1\\n() float64\\ndata 3.0"' in src  # the 3.0 the op took, named as the ledger names it
    assert 'label="L = sum\\n() float64\\ngrad 1.0"' in src  # dL/dL = 1
    assert 'label="w\\n(2,) float64\\ndata [1.0, 2.0]\\ngrad [3.0, 3.0]"' in src


def test_the_gradient_scale_runs_through_colorbrewers_orrd_colours():
    # ColorBrewer (Brewer, colorbrewer2.org) OrRd, 9 classes: classes 1, 3, 5, 7 and 9, evenly spaced
    assert [draw.grad_color(t) for t in (0.0, 0.25, 0.5, 0.75, 1.0)] == [
        "#fff7ec", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"]


def test_a_part_of_a_traced_model_draws_with_the_modules_that_made_it():
    # the loss of the first layer only: the later modules' outputs are not in its graph, they get no cluster
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
    tr = draw.trace(model, Tensor(np.ones((2, 3))))
    hidden = tr.calls[0][3]  # what layer "0" produced
    src = draw.draw(hidden.sum(), module=tr).source
    assert re.findall(r'label="([^"]*)" style=rounded', src) == ["0 (Linear)"]
    assert "0.weight" in src and "2.weight" not in src


def test_a_trace_of_another_forward_pass_is_refused_not_drawn_as_modules_without_their_ops():
    # the loss of a second call model(x): the trace's clusters (collapsed: its boxes) would hold no op of this graph
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh())
    x = Tensor(np.ones((2, 3)))
    tr = draw.trace(model, x)
    for module in (tr, tr.collapsed()):
        with pytest.raises(ValueError, match=r"^draw: module= is the trace of another forward pass.*tr\.output"):
            draw.draw(model(x).sum(), module=module)
    bare = draw.trace(nn.Linear(3, 2, rng=0), x)  # the model itself is the one module: its output is in the graph
    assert draw.draw(bare.output.sum(), module=bare).source == draw.draw(bare.output.sum()).source
    assert "cluster" not in draw.draw(x.sum() * 2.0, module=tr).source  # no parameter of the model: nothing to say


def test_a_scheme_without_a_formula_is_titled_by_its_name_alone():
    def tiny_normal(shape, rng=None, dtype=np.float32):
        return (0.1 * np.random.default_rng(0).standard_normal(shape)).astype(dtype)

    src = draw.compare_inits(schemes=[tiny_normal]).source
    (title,) = re.findall(r'label="([^"]*)" style=rounded', src)[:1]
    name, loss = title.split("\\n")
    assert name == "tiny_normal" and re.fullmatch(r"loss \d+\.\d+", loss)


@pytest.mark.parametrize("size, shown", [(8, "data [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]"),
                                         (9, "data mean 4.0, std 2.582")])  # std of 0..8: sqrt(60 / 9)
def test_a_tensor_shows_up_to_8_values_and_beyond_its_mean_and_std(size, shown):
    w = Tensor(np.arange(float(size)), requires_grad=True, name="w")
    (w * 2.0).sum().backward()
    src = draw.draw(w).source
    grads = "grad [" + ", ".join(["2.0"] * 8) + "]" if size == 8 else "|grad| 6.0"  # sqrt(9 * 2^2)
    assert f'label="w\\n({size},) float64\\n{shown}\\n{grads}"' in src


@pytest.mark.parametrize("fill", ["#757575", "#767676", "#008900", "#008a00", "#7f0000", "#fc8d59", "#d7301f",
                                  "#000000", "#ffffff", "#0a0a0a"])
def test_font_color_picks_the_text_of_the_higher_wcag_contrast(fill):
    # greys 0x75 and 0x76 and greens 0x89 and 0x8a lie on either side of the crossing (L near 0.179)
    lum = wcag_luminance(fill)
    white, black = 1.05 / (lum + 0.05), (lum + 0.05) / 0.05
    assert draw.font_color(fill) == ("white" if white > black else "black")


def test_a_pictures_render_and_pipe_show_graphvizs_parameters_in_help():
    for method in (draw.Picture.render, draw.Picture.pipe):
        assert "format" in inspect.signature(method).parameters


def test_a_colour_scale_is_a_fixed_value():
    # one scale shared by several pictures (to compare them) cannot be changed under them, nor around its checks
    scale = draw.ColorScale(-6, 0)
    with pytest.raises(AttributeError):
        scale.lo = 3
    assert scale == draw.ColorScale(-6, 0) and len({scale, draw.ColorScale(-6, 0)}) == 1


@pytest.mark.parametrize("grads, given", [([1, 2], "list [1, 2]"), (3.0, "float 3.0"), ("ab", "str 'ab'"),
                                          (Tensor([1.0, 2.0]), "Tensor"), ({"a": 1.0}, "dict {'a': 1.0}")])
def test_grads_of_the_wrong_kind_are_named_as_given(grads, given):
    # a list, a number or a tensor was turned into a dict before the check, whose message then said 'got dict'
    with pytest.raises(TypeError, match=r"draw: grads must be a Ledger, .*, got " + re.escape(given)):
        draw.draw(Value(1.0) * 2.0, grads=grads)


def test_a_filled_node_is_drawn_filled_between_the_scales_stops_with_white_text_only_on_dark_fills():
    # Graphviz ignores fillcolor without style=filled; a dashed node (data) keeps its dashes. |grad w|_F = |(3, 4)| = 5
    # on the scale 1..10 sits at log10(5) = 0.699 of it, 0.796 of the way from OrRd's (252, 141, 89) to (215, 48, 31):
    # (222.5, 67.0, 42.8) -> "#df432b", whose WCAG luminance 0.199 >= 0.179 keeps black text; "#7f0000" (0.044) is white
    w, x = Tensor(np.array([[1.0, 2.0]]), requires_grad=True, name="w"), Tensor(np.array([[3.0], [4.0]]), name="x")
    loss = (w @ x).sum()
    loss.backward()
    src = draw.draw(loss, color_by_grad=True).source
    nodes = dict(re.findall(r"\t(\w+) \[label=[^\n]*? (fillcolor=[^\n]*)\]", src))
    assert nodes["n0"] == 'fillcolor="#df432b" shape=box style=filled'
    assert nodes["n1"] == 'fillcolor="#ffffff" shape=box style="dashed,filled"'
    assert nodes["legend1"] == 'fillcolor="#7f0000" fontcolor=white shape=box style=filled'
    assert [k for k, v in nodes.items() if "fontcolor" in v] == ["legend1"]
    assert all(v.endswith('filled"') or v.endswith("style=filled") for v in nodes.values())
    assert "\tlegend0 -> legend1 [style=invis]" in src  # the legend's boxes kept in order


def test_a_colour_scale_of_a_fractional_upper_decade_is_refused_by_its_name():
    with pytest.raises(TypeError, match="ColorScale: hi must be a whole number, got float 1.5"):
        draw.ColorScale(0, 1.5)


def test_a_legend_thinned_to_two_entries_keeps_both_ends_and_no_size_gives_the_decade_from_1_to_10():
    assert draw.ColorScale(0, 7).decades(2) == [0, 7] and draw.ColorScale(-3, -2).decades(2) == [-3, -2]
    assert draw.ColorScale.fit([None, 0.0, float("inf"), float("nan")]) == draw.ColorScale(0, 1)  # nothing to span
    assert draw.ColorScale.fit([0.01, 0.01]) == draw.ColorScale(-2, -1)  # one size, a whole power of 10: one decade


def test_the_legend_has_a_box_per_decade_up_to_seven_as_visible_backprop_md_says():
    # the page said "one legend box per decade", but a scale of 9 decades shows every second one
    text = " ".join((Path(__file__).parents[2] / "docs" / "visible_backprop.md").read_text(encoding="utf-8").split())
    assert "one legend box per decade (at most 7: a wider scale shows every second decade or fewer)" in text
    for n, shown in ((6, "1e-06 1e-05 1e-04 1e-03 1e-02 1e-01 1"), (8, "1e-08 1e-06 1e-04 1e-02 1")):
        y = Value(1.0)
        for _ in range(n):
            y = y * 0.1
        y.backward()
        assert " ".join(re.findall(r"legend\d+ \[label=\"?([^\" ]+)", draw.draw(y, color_by_grad=True).source)) == shown


def test_a_traced_models_replaced_weight_is_drawn_by_its_path():
    # a weight assigned to a layer already in the model is named "weight" by the layer; the trace names it "0.weight"
    model = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Tanh())
    model[0].weight = Tensor(np.ones((2, 2)), requires_grad=True)
    tr = draw.trace(model, Tensor(np.ones((1, 2))))
    for src in (draw.draw(tr.output.sum()).source, draw.draw(tr.output.sum(), module=tr).source):
        assert re.findall(r'label="(\w+\.weight|weight)\\n', src) == ["0.weight"]


def test_mlp_loss_is_seeded_0_and_compare_inits_labels_no_edge_unless_asked():
    (default, _), (zero, _), (one, _) = (draw.mlp_loss((2, 2, 1), **kw) for kw in ({}, {"rng": 0}, {"rng": 1}))
    assert float(default.data) == float(zero.data) != float(one.data)
    plain, local = (draw.compare_inits((2, 2, 1), ("small",), **kw).source for kw in ({}, {"show_local": True}))
    assert "label=\"dW = x.T @ g\"" not in plain and "label=\"dW = x.T @ g\"" in local


def test_a_model_traced_on_a_numpy_batch_draws_its_modules_and_the_scalar_example_takes_its_activation():
    model = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Tanh())
    tr = draw.trace(model, np.ones((1, 2)))  # an array, not a Tensor: no graph node of its own
    src = draw.draw(tr.output.sum(), module=tr).source
    assert re.findall(r'label="(\d \(\w+\))"', src) == ["0 (Linear)", "1 (Tanh)"]
    for activation in ("relu", "tanh"):  # the hidden layer's two units
        loss, _ = draw.mlp_loss((2, 2, 1), activation=activation, engine="scalar")
        assert re.findall(r"label=(relu|tanh)\b", draw.draw(loss).source) == [activation] * 2


def test_compare_inits_by_default_draws_the_2_4_4_1_net_on_16_points_once_per_scheme():
    src = draw.compare_inits().source  # small, xavier_uniform, he_normal
    assert re.findall(r'label="x\\n\(([^)]*)\)', src) == ["16, 2"] * 3
    assert re.findall(r'label="[\w.]*weight\\n\(([^)]*)\)', src) == ["2, 4", "4, 4", "4, 1"] * 3


def test_compare_inits_takes_its_activation_and_seed_and_orders_panels_to_read_top_down():
    relu = draw.compare_inits((2, 2, 1), ("small",), activation="relu").source
    assert "relu" in relu and "tanh" not in relu
    one, again, two = (draw.compare_inits((2, 2, 1), ("small",), rng=s).source for s in (1, 1, 2))
    assert one == again != two
    for rankdir, order in (("LR", ["he_normal", "small"]), ("TB", ["small", "he_normal"])):  # dot stacks LR upwards
        src = draw.compare_inits((2, 2, 1), ("small", "he_normal"), rankdir=rankdir).source
        assert re.findall(r'label="(small|he_normal)[^"]*"', src) == order


def test_a_picture_shown_in_a_notebook_honours_include_and_exclude():
    picture = draw.draw(Value(1.0) * 2.0)
    assert list(picture._repr_mimebundle_(include={"image/svg+xml"})) == ["image/svg+xml"]
    assert picture._repr_mimebundle_(exclude={"image/svg+xml"}) == {}


def test_a_nested_modules_cluster_sits_inside_its_parents_and_mlp_loss_checks_its_batch():
    model = nn.Sequential(nn.Sequential(nn.Linear(2, 2, rng=0), nn.Tanh()), nn.Linear(2, 1, rng=1))
    tr = draw.trace(model, Tensor(np.ones((1, 2))))
    src = draw.draw(tr.output.sum(), module=tr).source
    depth = dict((label, len(tabs)) for tabs, label in re.findall(r'\n(\t+)color="#7f7f7f" fontsize=10 label="([^"]+)"',
                                                                  src))
    assert depth == {"0 (Sequential)": 2, "0.0 (Linear)": 3, "0.1 (Tanh)": 3, "1 (Linear)": 2}  # a tab per level
    with pytest.raises(ValueError, match="^mlp_loss: batch must be >= 1, got 0$"):
        draw.mlp_loss((2, 1), batch=0)


def test_the_scalar_example_loss_is_the_squared_error_summed_over_the_outputs():
    loss, _ = draw.mlp_loss((2, 3, 2), engine="scalar")  # x, then y, then the weights from rng=0
    gen = np.random.default_rng(0)
    x, y = gen.standard_normal((1, 2)), gen.standard_normal((1, 2))
    out = nn.scalar.MLP(2, [3, 2], activation="tanh", rng=gen)([Value(float(v)) for v in x[0]])
    assert loss.data == pytest.approx(sum((o.data - t) ** 2 for o, t in zip(out, y[0])), rel=1e-12)


def test_a_cut_graphs_note_lists_up_to_five_kinds_and_says_when_there_are_more():
    x = Value(0.5, label="x")
    five = (((x + 1.0) * 2.0).tanh().exp()).relu()  # cut to the root: +, *, tanh, exp and a leaf left out
    six = ((((x + 1.0) * 2.0).tanh().exp()) ** 2).relu()
    note = lambda o: re.search(r'more \[label="([^"]*)"', draw.draw(o, max_nodes=1).source)[1]  # noqa: E731
    assert note(five) == "... 5 more nodes: 1 *, 1 +, 1 exp, 1 leaf, 1 tanh"
    assert note(six).startswith("... 6 more nodes: ") and note(six).endswith(", ...")
    assert "data " not in draw.compare_inits((2, 2, 1), ("small",)).source  # its panels show no data


def test_a_constant_shows_its_side_of_a_subtraction_or_division():
    # 1 - x and x - 1 (3 / x and x / 3) drew the same constant box: the picture lost which operand the number is
    x = Value(5.0, label="x")
    labels = {e: re.search(r'n1c \[label=("[^"]*"|\S+)', draw.draw(f(x)).source)[1].strip('"') for e, f in (
        ("1 - x", lambda v: 1 - v), ("x - 1", lambda v: v - 1), ("3 / x", lambda v: 3 / v), ("x / 3", lambda v: v / 3),
        ("-3 / x", lambda v: -3 / v), ("x / -3", lambda v: v / -3), ("0 / x", lambda v: 0 / v),
        ("x / 0", lambda v: v / 0),
        ("x + 2", lambda v: v + 2), ("x * 2", lambda v: v * 2))}
    assert labels == {"1 - x": "1.0 -", "x - 1": "- 1.0", "3 / x": "3.0 /", "x / 3": "/ 3.0", "-3 / x": "-3.0 /",
                      "x / -3": "/ -3.0", "0 / x": "0.0 /", "x / 0": "/ 0.0", "x + 2": "2.0", "x * 2": "2.0"}
    neg = Value(-2.0, label="x")  # the side does not hang on the sign of x
    assert 'label="1.0 -"' in draw.draw(1 - neg).source and 'label="/ 3.0"' in draw.draw(neg / 3).source
    nan = Value(math.nan, label="x")  # nor on the sign bit of a nan: -3 / nan was drawn as "/ -3.0", x / -3
    assert 'label="-3.0 /"' in draw.draw(-3 / nan).source and 'label="/ -3.0"' in draw.draw(nan / -3).source
    # nor a nan constant on either side (nan / x was drawn as "/ nan", x / nan, as both local derivatives are nan)
    for k in (math.nan, -math.nan):
        assert 'label="nan /"' in draw.draw(k / x).source and 'label="/ nan"' in draw.draw(x / k).source
    zero = Value(0.0, label="x")  # nor a sign a 0/0 gives: -nan / 0 was drawn "/ nan" (the side is now recorded)
    assert 'label="nan /"' in draw.draw(-math.nan / zero).source and (-math.nan / zero).constant_first


def test_a_title_that_is_no_text_is_refused_not_drawn_as_a_list():
    a = Value(2.0, label="a")
    with pytest.raises(TypeError, match=r"^draw: title must be a caption \(a str\) or None, got list \['a'\]"):
        draw.draw(a, title=["a"])  # was drawn as "['a']"
    assert 'label=0 labelloc=t' in draw.draw(a, title=0).source and "labelloc" not in draw.draw(a, title="").source


def test_draw_step_names_an_option_draw_does_not_have():
    a = Value(2.0, label="a")
    with ledger.record() as steps:
        (a * a).backward()
    with pytest.raises(TypeError, match=r"^draw_step: no option colour=; draw's are show_data, show_grad, "):
        draw.draw_step(steps, 1, colour=1)  # was Python's "draw() got an unexpected keyword argument"
    with pytest.raises(TypeError, match=r"^frames: no option grads=; draw's are .*, title$"):
        draw.frames(steps, grads=None)  # draw_step sets them: the state after k steps


def test_a_power_by_a_number_shows_the_number_once_on_the_side_it_stands():
    # the op bubble said "**0.333333" beside the constant's box "0.3333": two texts of one number; x ** k and k ** x
    # now read as 1 - x and x - 1 do, the bubble "**" and the box "** 0.3333" (the exponent) or "2.0 **" (the base)
    a = Value(2.0, label="a")
    for out, box in ((a ** (1 / 3), "** 0.3333"), (a ** 2, "** 2.0"), (2 ** a, "2.0 **")):
        src = draw.draw(out).source
        assert 'n1op [label="**" ' in src and f'n1c [label="{box}" ' in src, src


def test_a_tensor_computed_under_no_grad_is_drawn_as_a_constant_with_the_op_that_made_it():
    from tinygrad_init.core.tensor import no_grad
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    with no_grad():
        m = w.mean()  # a leaf of the graph below: no gradient flows into it, or through it into w
    loss = ((w - m) * (w - m)).sum()
    loss.backward()
    assert '\tn1 [label="constant n1 (mean, no grad)\\n() float32\\ndata 1.5" shape=box style=dashed]\n' in \
        draw.draw(loss).source
