"""Bad input to public functions: an error that names the function and the argument, never Python's or numpy's
own message from deep inside, never a silent nan. One row per call a student or lecturer plausibly gets wrong."""

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, data, nn, scalar_nn
from tinygrad_init.lab.probe import probe_model
from tinygrad_init.nn import losses
from tinygrad_init.nn.optim import zero_grads
from tinygrad_init.observe.draw import draw
from tinygrad_init.observe.ledger import record
from tinygrad_init.observe.player import write_player


def _model():
    return nn.MLP([4, 8, 2])


def _out(n=0):
    return _model()(np.ones((n, 4)))


def _ledger():
    with record() as steps:
        (Value(2.0) * 3).tanh().backward()
    return steps


CASES = {
    # core.tensor: numpy's comparisons, which give masks, are not ops with a gradient
    "t > 0": (lambda: Tensor(np.ones(3)) > 0, TypeError, r"Tensor: <, <=, >, >= .* t\.data > 0"),
    "0 < t": (lambda: 0 < Tensor(np.ones(3)), TypeError, r"Tensor: <, <=, >, >= "),
    "t <= t": (lambda: Tensor(np.ones(3)) <= Tensor(np.ones(3)), TypeError, r"Tensor: <, <=, >, >= "),
    "max(tensors)": (lambda: max([Tensor(1.0), Tensor(2.0)]), TypeError, r"Tensor: <, <=, >, >= "),
    "abs(t)": (lambda: abs(Tensor(np.ones(3)) - 2), TypeError, r"Tensor: abs\(t\) is not an op .* t\.relu\(\)"),
    "abs(v)": (lambda: abs(Value(1.0) - 2), TypeError, r"Value: abs\(v\) is not an op .* v\.relu\(\)"),
    # core.tensor: a slice bound computed with / (a float), and an int no axis is that long (was Python's OverflowError)
    "t[:n / 2]": (lambda: Tensor(np.ones(4))[:4 / 2], TypeError, r"getitem: .* must be ints or None, got 2\.0; n // 2"),
    "t[2**63]": (lambda: Tensor(np.ones(4))[2 ** 63], IndexError, r"getitem: .* out of bounds for every axis"),
    # nn.optim: a model or a single tensor where the list of parameters goes (named zero_grads, the function
    # called, not zero_grad, the method)
    "zero_grads(model)": (lambda: zero_grads(_model()), TypeError,
                          r"^zero_grads: params must be .*model\.parameters\(\)"),
    "zero_grads(tensor)": (lambda: zero_grads(Tensor(np.ones(3), requires_grad=True)), TypeError,
                           r"^zero_grads: params must be .*a single Tensor; pass a list, \[t\]"),
    "zero_grads(None)": (lambda: zero_grads(None), TypeError, r"^zero_grads: params must be an iterable of Tensors"),
    "zero_grads([Value])": (lambda: zero_grads([Value(1.0)]), TypeError, r"^zero_grads: params\[0\] must be a Tensor"),
    # nn.layers: a scheme name where PyTorch's apply takes a function
    "model.apply(str)": (lambda: _model().apply("xavier_uniform"), TypeError,
                         r"Module\.apply: fn must be a function .*init=name.*got str 'xavier_uniform'"),
    "model.apply(None)": (lambda: _model().apply(None), TypeError, r"Module\.apply: fn must be a function"),
    # nn.init: a hand-written initializer that returns nan (a zero fan, the square root of a negative variance)
    "Linear(init=nan)": (lambda: nn.Linear(4, 3, init=lambda shape, rng=None, dtype=None: np.full(shape, np.nan)),
                         ValueError, r"Linear: the weight initializer '<lambda>' returned nan, inf or values beyond"),
    "MLP(init=inf)": (lambda: nn.MLP([4, 3], init=lambda shape, rng=None, dtype=None: np.full(shape, np.inf)),
                      ValueError, r"the weight initializer '<lambda>' returned nan, inf or values beyond"),
    "Linear(float16, init=1e5)": (lambda: nn.Linear(4, 3, init=lambda shape, rng=None, dtype=None: np.full(shape, 1e5),
                                                dtype=np.float16), ValueError,
                                  r"the weight initializer '<lambda>' returned nan, inf or values beyond float16"),
    "Linear(init=objects)": (lambda: nn.Linear(4, 3, init=lambda shape, rng=None, dtype=None: np.full(shape, None)),
                             TypeError, r"Tensor: cannot make a tensor of ndarray"),
    # utils.check_real: an int beyond a float's range, where a real number goes (was Python's OverflowError)
    "SGD(lr=10**400)": (lambda: nn.optim.SGD(_model().parameters(), lr=10 ** 400), ValueError,
                        r"SGD: lr must be a finite number, got inf \(beyond a float's 1\.8e308\)"),
    "moons(noise=-10**400)": (lambda: data.moons(10, noise=-10 ** 400), ValueError, r"moons: noise must be a finite"),
    # utils.check_int: a count beyond what an array holds (was Python's 'int too large to convert to C long' or
    # numpy's 'Maximum allowed dimension exceeded')
    "moons(10**400)": (lambda: data.moons(10**400), ValueError, r"moons: n must be <= 2\^60 - 1, .*, got about"),
    "blobs(centers=10**400)": (lambda: data.blobs(10, centers=10**400), ValueError, r"blobs: centers must be <= 2\^60"),
    "Neuron(10**400)": (lambda: scalar_nn.Neuron(10**400), ValueError, r"Neuron: nin must be <= 2\^60 - 1, .*"),
    "scalar Layer(2, 2**64)": (lambda: scalar_nn.Layer(2, 2**64), ValueError, r"Layer: nout must be <= 2\^60 - 1"),
    "scalar MLP(2, [2**64])": (lambda: scalar_nn.MLP(2, [2**64]), ValueError, r"MLP: nouts\[0\] must be <= 2\^60 - 1"),
    # core.value, nn.scalar: a 0-d array (or a 0-d PyTorch tensor) where a list goes (was "iteration over a 0-d array")
    "Value.sum(0-d)": (lambda: Value.sum(np.array(2.0)), TypeError, r"Value\.sum: values must be a list of Values"),
    "Neuron()(0-d)": (lambda: scalar_nn.Neuron(2)(np.array(2.0)), TypeError,
                      r"Neuron: x must be a list of 2 inputs \(numbers or Values\), got ndarray"),
    "Neuron()(bytes)": (lambda: scalar_nn.Neuron(2)(b"ab"), TypeError, r"Neuron: x must be a list of 2 inputs"),
    "scalar MLP(2, 0-d)": (lambda: scalar_nn.MLP(2, np.array(3)), TypeError, r"MLP: nouts must be a list of widths"),
    # nn.scalar: a name that is not a string (was a label "{'a': 1}.w0", or numpy's truth-value error for an array)
    "Neuron(name=dict)": (lambda: scalar_nn.Neuron(2, name={"a": 1}), TypeError,
                          r"Neuron: name must be a string \(the labels' prefix\), got dict"),
    "Layer(name=array)": (lambda: scalar_nn.Layer(2, 2, name=np.array([])), TypeError, r"Layer: name must be a string"),
    # observe.ledger: a step past the end
    "steps[99]": (lambda: _ledger()[99], IndexError, r"Ledger: there is no step 99; 2 were recorded"),
    "steps['a']": (lambda: _ledger()["a"], TypeError, r"Ledger: k must be a whole number"),
    # observe.player: a folder where the page's file name goes
    "write_player(folder)": (lambda: write_player(".", Value(2.0) * 3), IsADirectoryError,
                             r"write_player: path '\.' is a folder; name the file: player\.html"),
    # observe.draw: graphviz's save writes the DOT text whatever the suffix
    "draw(...).save('g.svg')": (lambda: draw(Value(2.0) * 3).save("g.svg"), ValueError,
                                r"Picture\.save: filename 'g\.svg' names a picture, .*draw\.render\(picture"),
    "draw(...).render('g.svg')": (lambda: draw(Value(2.0) * 3).render("g.svg"), ValueError,  # g.svg.pdf beside
                                  r"'g\.svg' names a picture, but save \(and render's filename\) writes the DOT"),
    # lab.probe: an empty batch, every statistic nan
    "probe_model(x[:0])": (lambda: probe_model(_model(), np.ones((0, 4))), ValueError, r"probe_model: x has no rows"),
    "probe_model(Tensor[:0])": (lambda: probe_model(_model(), Tensor(np.ones((0, 4)))), ValueError,
                                r"probe_model: x has no rows"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_named(name):
    call, error, message = CASES[name]
    with pytest.raises(error, match=message):
        call()


def test_zero_grads_still_clears_a_list_and_a_generator():
    model = _model()
    model(np.ones((3, 4))).sum().backward()
    zero_grads(p for p in model.parameters())
    assert all(p.grad is None for p in model.parameters())
    t = Tensor(np.ones(3), requires_grad=True)
    t.sum().backward()
    zero_grads([t], set_to_none=False)
    assert np.array_equal(t.grad, np.zeros(3))


def test_losses_of_an_empty_batch_are_pytorchs():
    # an empty batch is a size, not an error: the mean over no rows is nan (0/0), as PyTorch 2.13's mse_loss,
    # cross_entropy and binary_cross_entropy_with_logits give it; by sum 0, with "none" an empty tensor
    for mean in (losses.mse_loss(_out(), np.zeros((0, 2))), losses.cross_entropy(_out(), np.zeros(0, int)),
                 losses.binary_cross_entropy_with_logits(_out(), np.zeros((0, 2)))):
        assert np.isnan(mean.item())
    assert losses.mse_loss(_out(), np.zeros((0, 2)), reduction="sum").item() == 0.0
    assert losses.cross_entropy(_out(), np.zeros(0, int), reduction="none").shape == (0,)


def test_picture_save_still_writes_dot_text(tmp_path):
    path = draw(Value(2.0) * 3).save("g.dot", directory=tmp_path)
    assert open(path).read().startswith("digraph")


def test_ledger_indexing_still_reads_steps_and_slices():
    steps = _ledger()
    assert steps[-1] is steps.steps[-1] and steps[np.int64(0)] is steps.steps[0] and steps[:] == steps.steps


def test_a_pytorch_tensor_where_a_tensor_is_expected_is_named_as_pytorchs():
    # "mse_loss: pred must be a Tensor, got Tensor tensor([1., 1.])" refused a Tensor for being a Tensor: the type's
    # bare name did not say it is PyTorch's
    from tests.conftest import require_module
    from tinygrad_init.gradcheck import gradcheck
    torch = require_module("torch")
    for call, says in ((lambda: nn.mse_loss(torch.ones(2), np.zeros(2)), r"^mse_loss: pred must be a Tensor, got "),
                       (lambda: nn.cross_entropy(torch.ones(2, 3), [0, 1]), r"^cross_entropy: logits must be a Tensor, "
                        r"got "),
                       (lambda: gradcheck(lambda x: (x * x).sum(), torch.ones(2)), r"^gradcheck: input 0 is ")):
        with pytest.raises(TypeError, match=says + r"torch\.Tensor tensor\("):
            call()
