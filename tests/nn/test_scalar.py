"""The scalar nets as a student porting micrograd's README and demo meets them: the same parameters in the
same order, the same numbers, and a trained model that survives pickle and deepcopy."""

from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_module
from tinygrad_init import Value, scalar_nn
from tinygrad_init.data import moons


def _demo_steps(model, value, X, y, steps):
    """micrograd's demo.ipynb loop as written there: max-margin loss, L2 1e-4, lr 1 - 0.9 k / 100."""
    out = []
    for k in range(steps):
        scores = list(map(model, [list(map(value, row)) for row in X]))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        total = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        out.append(total.data)
    return out


def test_scalar_mlp_lists_micrograds_parameters_in_its_order_and_trains_to_the_same_numbers():
    mnn, engine = require_module("micrograd.nn"), require_module("micrograd.engine")
    X, y = moons(12, noise=0.1, rng=0)
    X, y = X.astype(np.float64), y * 2 - 1
    theirs, ours = mnn.MLP(2, [4, 4, 1]), scalar_nn.MLP(2, [4, 4, 1], rng=0)
    assert len(ours.parameters()) == len(theirs.parameters()) == 2 * 4 + 4 + 4 * 4 + 4 + 4 + 1
    for layer_m, layer_o in zip(theirs.layers, ours.layers):  # neuron by neuron: w0, w1, ..., b
        for n_m, n_o in zip(layer_m.neurons, layer_o.neurons):
            for p_m, p_o in zip(n_m.parameters(), n_o.parameters()):
                p_m.data = p_o.data  # ours are seeded; micrograd draws from the global `random`
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    np.testing.assert_allclose(_demo_steps(ours, Value, X, y, 3), _demo_steps(theirs, engine.Value, X, y, 3),
                               rtol=1e-13)  # the last bits differ with the order in which grads add up
    np.testing.assert_allclose([p.data for p in ours.parameters()], [p.data for p in theirs.parameters()],
                               rtol=1e-12, atol=1e-14)  # atol: a weight that ends at 0 in one is 1e-17 in the other


def test_micrograds_nonlin_is_the_activation_engines_md_names():
    # a port of micrograd's `Neuron(nin, nonlin=False)` stops at "unexpected keyword argument 'nonlin'", and the
    # page's list of differences did not say what to write: `activation="linear"` (`nonlin=True`: "relu", the defaults)
    mnn = require_module("micrograd.nn")
    with open(Path(__file__).resolve().parents[2] / "docs" / "concepts" / "engines.md", encoding="utf-8") as fh:
        page = " ".join(fh.read().split())
    assert 'where micrograd\'s take `nonlin=`: `nonlin=True` is `activation="relu"` (the default of both), ' \
           '`nonlin=False` is `activation="linear"`' in page
    x = [0.5, -2.0, 1.5]
    for nonlin, activation in ((True, "relu"), (False, "linear")):
        theirs = mnn.Neuron(3, nonlin=nonlin)
        ours = scalar_nn.Neuron(3, activation, weights=[w.data for w in theirs.w], bias=theirs.b.data)
        for w in (0.3, -0.7):  # a positive and a negative pre-activation
            theirs.b.data = ours.b.data = w - sum(wi.data * xi for wi, xi in zip(theirs.w, x))
            assert ours(x).data == pytest.approx(theirs(x).data, rel=1e-12, abs=1e-15), (nonlin, w)
    assert scalar_nn.Neuron(3).activation == "relu" and mnn.Neuron(3).nonlin


def test_micrograds_readme_expression_gives_its_printed_numbers():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == ("24.7041", "138.8338", "645.5773")


def test_a_trained_scalar_mlp_survives_pickle_and_deepcopy_and_the_copy_trains_on_its_own():
    model = scalar_nn.MLP(2, [3, 1], activation="tanh", rng=0)
    _demo_steps(model, Value, [[0.5, -1.0], [1.0, 0.25]], [1, -1], 2)
    for twin in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert [(p.data, p.grad, p.label) for p in twin.parameters()] == \
            [(p.data, p.grad, p.label) for p in model.parameters()]
        assert twin([0.3, 0.7]).data == model([0.3, 0.7]).data
        twin.parameters()[0].data += 1.0
        assert twin.parameters()[0].data != model.parameters()[0].data


def test_sgd_given_a_scalar_models_parameters_says_to_step_them_by_hand():
    from tinygrad_init.optim import SGD  # it used to say "pass model.parameters()", which is what was passed
    with pytest.raises(TypeError, match=r"SGD: parameter 0 .*\(got Value\); SGD steps Tensors: update a scalar_nn "
                                        r"model's Values by hand, p\.data -= lr \* p\.grad"):
        SGD(scalar_nn.MLP(2, [3, 1], rng=0).parameters(), lr=0.1)


@pytest.mark.parametrize("nin, nouts, message", [
    (0, [3, 1], "MLP: nin must be >= 1, got 0"),
    (2, [3, 0], r"MLP: nouts\[1\] must be >= 1, got 0"),  # it used to blame a Layer the student never wrote
    (2, [3.0, 1], r"MLP: nouts\[0\] must be a whole number, got float 3.0"),
])
def test_mlp_names_its_own_argument_when_a_width_is_wrong(nin, nouts, message):
    with pytest.raises((TypeError, ValueError), match=message):
        scalar_nn.MLP(nin, nouts)


@pytest.mark.parametrize("make, where", [(lambda g: scalar_nn.MLP(2, [3, 1], activation="gelu", rng=g), "MLP"),
                                         (lambda g: scalar_nn.MLP(2, [1], activation="gelu", rng=g), "MLP"),
                                         (lambda g: scalar_nn.Layer(2, 3, activation="gelu", rng=g), "Layer")])
def test_an_unknown_activation_is_named_by_its_caller_before_any_draw(make, where):
    gen = np.random.default_rng(0)  # it blamed a Neuron the student never wrote, after the weights were drawn
    with pytest.raises(ValueError, match=f"^{where}: activation must be one of 'tanh', 'sigmoid', 'relu', 'linear'"):
        make(gen)
    assert gen.random() == np.random.default_rng(0).random()  # a shared Generator is as it was before the call


def test_a_weight_shared_by_two_layers_is_one_parameter_and_steps_once():
    # as nn.Module.parameters() (and PyTorch's): tying a weight listed it twice, so the hand-written update
    # `p.data -= lr * p.grad` moved it by twice the step and an L2 term over parameters() counted it twice
    model = scalar_nn.MLP(2, [2, 1], activation="tanh", rng=0)
    tied = model.layers[0].neurons[0].w[0]
    model.layers[0].neurons[1].w[1] = tied  # inside one layer
    model.layers[1].neurons[0].w[0] = tied  # and across layers
    params = model.parameters()
    assert sum(p is tied for p in params) == 1 and len(params) == 9 - 2
    assert sum(p is tied for p in model.layers[0].parameters()) == 1
    before, out = tied.data, model([0.5, -1.0])
    model.zero_grad()
    out.backward()
    for p in params:
        p.data -= 0.1 * p.grad
    assert tied.data == before - 0.1 * tied.grad


def test_a_one_layer_scalar_mlp_is_one_linear_neuron():
    model = scalar_nn.MLP(2, [1], rng=0)  # one layer of one neuron: linear, w . x + b
    (w0, w1), b = (w.data for w in model.layers[0].neurons[0].w), model.layers[0].neurons[0].b.data
    assert model([1.0, 2.0]).data == pytest.approx(w0 + 2 * w1 + b)
    assert repr(model.layers[0]) == "Layer(2, 1, activation='linear')"
    with pytest.raises(ValueError, match="MLP: nouts must list at least one layer width"):
        scalar_nn.MLP(2, [])


def test_scalar_labels_and_default_weights():
    n = scalar_nn.Neuron(2, rng=0)  # no name: no leading dot
    assert [p.label for p in n.parameters()] == ["w0", "w1", "b"]
    assert [p.label for p in scalar_nn.Layer(2, 1, rng=0).parameters()] == ["n0.w0", "n0.w1", "n0.b"]
    w = np.array([p.data for p in scalar_nn.Layer(40, 50, rng=0).parameters() if p.label.split(".")[1] != "b"])
    assert w.size == 2000 and w.min() >= -1.0 and w.max() < 1.0 and w.min() < -0.99 and w.max() > 0.99  # U(-1, 1)
    assert scalar_nn.Module().parameters() == []  # the base: a module without parameters


@pytest.mark.parametrize("weights", [5.0, np.float64(2.0), np.array(3.0), "ab", np.ones((1, 1))])
def test_weights_that_are_not_a_list_of_numbers_are_named(weights):
    with pytest.raises(TypeError, match=r"Neuron: weights must be a list of numbers, one per input \(1\), got "):
        scalar_nn.Neuron(1, weights=weights)  # a float said "'float' object is not iterable", naming neither


def test_weights_as_a_list_a_tuple_or_a_1d_array_are_taken():
    for weights in ([0.5], (0.5,), np.array([0.5])):
        assert scalar_nn.Neuron(1, weights=weights, activation="linear")([2.0]).data == 1.0


def test_the_weights_come_from_rng_not_from_pythons_random_as_the_module_says():
    import random  # micrograd draws from `random`, so its demo fixes the weights with random.seed(1337)

    def weights(**kw):
        random.seed(1337)
        return [p.data for p in scalar_nn.MLP(2, [3, 1], **kw).parameters()]

    state = random.getstate()
    assert "random.seed(1337)` does not fix them" in scalar_nn.__doc__.replace("\n", " ")
    assert weights() != weights()  # fresh from the operating system on every call
    assert weights(rng=1337) == weights(rng=1337) == [p.data for p in scalar_nn.MLP(2, [3, 1], rng=1337).parameters()]
    random.setstate(state)


def test_a_weight_tied_inside_one_neuron_is_listed_once_as_module_promises():
    n = scalar_nn.Neuron(2, "linear", weights=[0.5, -1.0], bias=0.25)
    n.w[1] = n.w[0]  # out = w x0 + w x1 + b, so d out/dw = x0 + x1; it was listed (and stepped) twice
    assert n.parameters() == [n.w[0], n.b]
    out = n([2.0, 3.0])
    out.backward()
    for p in n.parameters():
        p.data -= 0.1 * p.grad
    assert n.w[0].data == 0.5 - 0.1 * (2.0 + 3.0) and n.b.data == 0.25 - 0.1


def test_a_neuron_refuses_no_inputs_and_an_activation_the_scalar_engine_lacks() -> None:
    with pytest.raises(ValueError, match=r"^Neuron: nin must be >= 1, got 0$"):
        scalar_nn.Neuron(0)
    with pytest.raises(ValueError, match=r"^Neuron: activation must be one of 'tanh', 'sigmoid', 'relu', 'linear', "
                                         r"got 'leaky_relu'"):
        scalar_nn.Neuron(2, activation="leaky_relu")  # Value has no leaky_relu: refused when built, not when called


@pytest.mark.parametrize("name", ["gelu", "leaky_relu", "exp", "backward", 5])
def test_a_neurons_activation_changed_after_it_was_made_is_checked_against_the_registry(name) -> None:
    # n.activation = "gelu" ended the forward in "'Value' object has no attribute 'gelu'"; "exp" computed e^z and
    # "backward" ran a backward pass and gave None, silently (any method of Value was called by that name)
    n = scalar_nn.Neuron(2, "tanh", weights=[0.5, -0.25], bias=0.1)
    with pytest.raises(ValueError, match=r"^Neuron: activation must be one of 'tanh', 'sigmoid', 'relu', 'linear', "
                                         rf"got {name!r}"):
        n.activation = name
    assert n.activation == "tanh" and n([1.0, 2.0]).data == pytest.approx(np.tanh(0.1))
    for given, kept in (("Sigmoid", "sigmoid"), ("identity", "linear"), (False, "linear"), ("relu", "relu")):
        n.activation = given  # as the constructor takes them
        assert n.activation == kept and repr(n) == f"Neuron(2, activation={kept!r})"
    assert n([1.0, 2.0]).data == pytest.approx(0.1)
    layer = copy.deepcopy(scalar_nn.Layer(2, 3, rng=0))
    with pytest.raises(ValueError, match="^Neuron: activation must be one of"):
        layer.neurons[1].activation = "softplus"
    assert pickle.loads(pickle.dumps(n)).activation == "relu"


@pytest.mark.parametrize("w", [Value(0.5), 0.5, np.array([0.5, -0.25])])
def test_a_neurons_weights_replaced_by_other_than_a_list_are_named(w) -> None:
    # n.w = Value(0.5) (meant for n.w[0]) ended the forward in "object of type 'Value' has no len()" and parameters()
    # in "Value after * must be an iterable"; an array of numbers computed the forward without gradients
    n = scalar_nn.Neuron(2, weights=[0.5, -0.25], rng=0)
    with pytest.raises(TypeError, match=r"^Neuron: w must be a list of Values, one weight per input, got .*; to change "
                                        r"one weight, n\.w\[0\] = Value\(0\.5\) or n\.w\[0\]\.data = 0\.5$"):
        n.w = w
    assert [v.data for v in n.w] == [0.5, -0.25]
    n.w = [Value(1.0), n.w[1]]  # a list (or tuple) of Values, as the constructor makes
    assert n([1.0, 2.0]).data == pytest.approx(0.5) and len(n.parameters()) == 3


def test_a_neurons_own_weights_are_uniform_on_minus_1_1() -> None:
    # the docstring: drawn from U(-1, 1) with rng if not given, as micrograd's random.uniform(-1, 1)
    w = np.array([p.data for p in scalar_nn.Neuron(4000, rng=0).w])
    assert w.min() >= -1.0 and w.max() < 1.0 and w.min() < -0.99 and w.max() > 0.99
    assert abs(w.mean()) < 0.03 and w.var() == pytest.approx(1 / 3, rel=0.05)  # mean 0, Var U(-1, 1) = 1/3


@pytest.mark.parametrize(("sizes", "name"), [((0, 3), "nin"), ((3, 0), "nout")])
def test_a_layer_refuses_no_inputs_or_no_neurons_by_name(sizes, name) -> None:
    with pytest.raises(ValueError, match=rf"^Layer: {name} must be >= 1, got 0$"):
        scalar_nn.Layer(*sizes)


def test_a_scalar_mlps_repr_lists_its_layers() -> None:
    mlp = scalar_nn.MLP(2, [3, 1], activation="tanh", rng=0)
    assert repr(mlp) == "MLP(Layer(2, 3, activation='tanh'), Layer(3, 1, activation='linear'))"  # the last linear


def test_micrograds_nonlin_spelling_is_understood():
    """micrograd writes Neuron(2, nonlin=False) and Layer(2, 3, nonlin=True): Python's bare 'unexpected keyword
    argument' before; nonlin=True is relu, False linear, and with activation= too it is refused by name."""
    from tinygrad_init.scalar_nn import Layer, Neuron
    assert Neuron(2, nonlin=False, rng=0).activation == "linear" and Neuron(2, nonlin=True, rng=0).activation == "relu"
    assert Layer(2, 3, nonlin=False, rng=0).neurons[2].activation == "linear"
    n = Neuron(2, nonlin=False, weights=[2.0, -3.0], bias=-1.0)
    assert n([1.0, 1.0]).data == -2.0  # linear: no relu cut to 0
    with pytest.raises(ValueError, match=r"Neuron: give activation='tanh' or micrograd's nonlin=True, not both"):
        Neuron(2, activation="tanh", nonlin=True)
    with pytest.raises(TypeError, match=r"Layer: nonlin must be"):
        Layer(2, 3, nonlin="yes")
    with pytest.raises(ValueError, match=r"Layer: give activation='relu' or micrograd's nonlin=False, not both"):
        Layer(2, 3, activation="relu", nonlin=False)  # an explicit relu is not taken for the default
    assert Neuron(2, rng=0).activation == "relu" == Layer(2, 3, rng=0).neurons[0].activation


def test_micrograds_nonlin_given_by_position_is_understood_not_taken_for_the_default():
    """micrograd's signature is Neuron(nin, nonlin=True): Neuron(2, False) there is linear, and here it was a relu
    neuron in silence (False, like '' and 0, read as "no activation given")."""
    from tinygrad_init.scalar_nn import Layer, Neuron
    n = Neuron(2, False, weights=[2.0, -3.0], bias=-1.0)
    assert n.activation == "linear" and n([1.0, 1.0]).data == -2.0  # no relu cut to 0
    assert Neuron(2, True, rng=0).activation == "relu" and Layer(2, 3, False, rng=0).neurons[0].activation == "linear"
    with pytest.raises(ValueError, match=r"Neuron: give activation=False or micrograd's nonlin=True, not both"):
        Neuron(2, False, nonlin=True)
    for activation in ("", 0):
        with pytest.raises(ValueError, match=r"Neuron: activation must be one of"):
            Neuron(2, activation)


def test_micrograds_nonlin_by_position_is_admitted_by_the_activations_hint() -> None:
    """Neuron(2, False) and Layer(2, 3, False) are taken (above), but `activation` was hinted `str | None`: a type
    checker marked micrograd's spelling as an error."""
    import typing
    from tinygrad_init.scalar_nn import Layer, Neuron
    for cls in (Neuron, Layer):
        assert bool in typing.get_args(typing.get_type_hints(cls.__init__)["activation"]), cls.__name__


@pytest.mark.parametrize("kwargs, says", [({"init": "nope"}, "init, the weight initializer: unknown"),
                                          ({"init": "xavier"}, "init, the weight initializer: 'xavier' is ambiguous"),
                                          ({"bias_init": "he"}, "the bias initializer 'he'")])
def test_an_mlps_bad_initializer_is_named_as_the_mlps_argument(kwargs, says):
    # the message began "Layer: init, ...", a Layer the student never wrote, as an unknown activation once did
    with pytest.raises(ValueError, match=f"^MLP: {says}"):
        scalar_nn.MLP(2, [3, 1], rng=0, **kwargs)


def test_an_mlps_initializer_that_fails_keeps_the_students_own_error_and_line_as_a_layers_does():
    # renaming the Layer's message as the MLP's dropped its cause (from None): the error raised inside the student's
    # initializer, and the traceback to its line, were gone, where Layer keeps them
    def mine(shape, rng=None, dtype=np.float32):
        return np.zeros(shape, dtype) + "0"  # the student's mistake: a string

    for build in (lambda: scalar_nn.Layer(2, 3, init=mine, rng=0), lambda: scalar_nn.MLP(2, [3, 1], init=mine, rng=0)):
        with pytest.raises(TypeError, match=r"^(Layer|MLP): the weight initializer 'mine' failed") as caught:
            build()
        cause = caught.value.__cause__
        tb = cause.__traceback__ if cause is not None else None
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        assert isinstance(cause, TypeError) and tb.tb_frame.f_code.co_name == "mine"  # the student's line


def test_a_batch_given_to_a_scalar_net_is_told_to_go_one_sample_at_a_time():
    # model(X), PyTorch's habit, said only 'MLP: expected 2 inputs, got 100': the rows were read as 100 inputs
    X = np.zeros((100, 2))
    for model, where in ((scalar_nn.MLP(2, [3, 1], rng=0), "MLP"), (scalar_nn.Layer(2, 3, rng=0), "Layer"),
                         (scalar_nn.Neuron(2, rng=0), "Neuron")):
        with pytest.raises(ValueError, match=rf"^{where}: expected 2 inputs, got 100 rows of 2: a scalar net takes one "
                                             r"sample at a time, \[model\(x\) for x in X\]$"):
            model(X)
        with pytest.raises(ValueError, match=rf"^{where}: expected 2 inputs, got 3$"):
            model([1.0, 2.0, 3.0])
        with pytest.raises(ValueError, match=rf"^{where}: expected 2 inputs, got 3$"):  # 0-d arrays: was a TypeError
            model([np.array(1.0), np.array(2.0), np.array(3.0)])
        with pytest.raises(TypeError, match=rf"^{where}: x\[1\]: expected a plain number, got str '2'"):  # was 'mul: '
            model([1.0, "2"])  # a row read from a CSV file as text
        assert {type(model(X[0])), type(model(list(X[0])))} <= {Value, list}


def test_micrograds_neuron_and_layer_looked_for_in_nn_name_scalar_nn():
    # `from micrograd.nn import Neuron, Layer, MLP`, ported as `from tinygrad_init.nn import ...`, said only "cannot
    # import name 'Neuron' from 'tinygrad_init.nn'" (nn.MLP, the Tensor one, already names scalar_nn for MLP(3, [4, 1]))
    from tinygrad_init import nn
    for name in ("Neuron", "Layer"):
        says = rf"^nn\.{name} is micrograd's \(micrograd\.nn\), whose scalar nets are tinygrad_init\.scalar_nn here: " \
               r"from tinygrad_init\.scalar_nn import Neuron, Layer, MLP \(nn\.MLP is the Tensor one, MLP\(\[nin, " \
               r"\*nouts\]\)\)$"
        with pytest.raises(AttributeError, match=says):
            getattr(nn, name)
        with pytest.raises(ImportError, match=says):
            exec(f"from tinygrad_init.nn import {name}", {})
    with pytest.raises(ImportError, match=r"^cannot import name 'Neuronn' from 'tinygrad_init\.nn'"):
        from tinygrad_init.nn import Neuronn  # noqa: F401 (another name: Python's own message)
    from tinygrad_init.scalar_nn import Layer, MLP, Neuron  # what the message writes
    assert Neuron(3, rng=0)([1.0, 2.0, 3.0]).data >= 0.0 and len(Layer(3, 2, rng=0).parameters()) == 8
    assert len(MLP(3, [4, 4, 1], rng=0).parameters()) == 41  # as micrograd's


def test_a_layers_and_an_mlps_output_is_hinted_so_that_a_value_needs_no_narrowing() -> None:
    """Hinted `Value | list[Value]`, tutorial 1's `(p - t) ** 2` and `model(x).data` were type errors, though the
    MLPs of the docs end in one neuron; `Value | Any` keeps the Value's hints and lets a list be narrowed."""
    import typing
    from tinygrad_init.scalar_nn import Layer, MLP
    for cls in (Layer, MLP):
        assert set(typing.get_args(typing.get_type_hints(cls.__call__)["return"])) == {Value, typing.Any}
    assert isinstance(MLP(2, [3, 1], rng=0)([1.0, 2.0]), Value) and len(MLP(2, [3, 2], rng=0)([1.0, 2.0])) == 2


@pytest.mark.parametrize("where, set_it", [("w[1]", lambda n: n.w.__setitem__(1, 0.5)),
                                           ("b", lambda n: setattr(n, "b", 0.5))])
def test_a_weight_set_to_a_plain_number_is_named_when_the_parameters_are_read(where, set_it):
    # parameters() listed the float beside the Values: the net still computed, and the training loop met
    # "'float' object has no attribute 'grad'" in zero_grad (or 'data' in the update), naming no weight
    model = scalar_nn.MLP(2, [2, 1], rng=0)
    set_it(model.layers[0].neurons[1])
    assert isinstance(model([1.0, 2.0]), Value)  # the forward still runs
    says = (rf"^Neuron: {re.escape(where)} is float 0\.5, not a Value, so it would get no gradient and no update; "
            rf"assign one, n\.{re.escape(where)} = Value\(0\.5\) \(a Value's number is changed in place, "
            rf"n\.{re.escape(where)}\.data = 0\.5\)$")
    for read in (model.parameters, model.zero_grad, model.layers[0].parameters, model.layers[0].neurons[1].parameters):
        with pytest.raises(TypeError, match=says):
            read()


@pytest.mark.parametrize("value", [0.5, np.float32(0.25), 2, None, "0.5"])
def test_the_code_named_for_a_weight_that_is_no_value_runs_as_written(value):
    # it said "or change its number in place, w[1].data = 0.5", which meets "'float' object has no attribute 'data'"
    # as written (the Value is gone), and for None "assign Value(None)", which is no weight either
    n = scalar_nn.Neuron(2, rng=0)
    n.w[1] = value
    with pytest.raises(TypeError, match=r"^Neuron: w\[1\] is ") as e:
        n.parameters()
    code = re.search(r"assign one, (n\.w\[1\] = Value\(.*?\))(?: \(| of its number x$|$)", str(e.value))
    assert code, str(e.value)
    exec(code[1], {"n": n, "Value": Value, "x": 1.5})  # noqa: S102 (the message's own text)
    assert [type(p) for p in n.parameters()] == [Value] * 3
    assert n.w[1].data == (float(value) if isinstance(value, (int, float, np.floating)) else 1.5)
