"""The engines mixed with Python's and numpy's numbers, arrays and functions, on either side of an operator: each mix
is either computed in the graph (the gradient flows) or refused with a message naming the op and what to write --
never numpy's own error from inside a ufunc, an object array, or numbers silently cut off from the graph."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from tinygrad_init import Tensor, Value


def _in_place_add(x, t):
    x += t


@pytest.mark.parametrize("call, says", [
    (np.exp, r"^np\.exp: numpy's functions take arrays of numbers, not a Tensor: write the tensor's own op \("
             r".*t\.exp\(\).*or pass t\.data"),
    (lambda t: np.maximum(t, 0.0), r"^np\.maximum: numpy's functions take arrays of numbers, not a Tensor: .*t\.relu"),
    (lambda t: np.add(t, 1.0), r"^np\.add: write the operator \(t \+ x, x \+ t\): a Tensor is a node of the graph"),
    (lambda t: _in_place_add(np.zeros(2), t), r"^np\.add: x \+= t writes into the numpy array x, which holds numbers, "
                                              r"not the graph: write x = x \+ t, a new Tensor in the graph"),
    (lambda t: _in_place_add(np.array([t, t], dtype=object), t), r"^np\.add: x \+= t writes into the numpy array x"),
    (lambda t: np.multiply.outer(np.ones(2), t), r"^np\.multiply\.outer: numpy's reductions and outer products take"),
    (np.min, r"^np\.minimum\.reduce: numpy's reductions .*np\.min, np\.prod, np\.any.*-\(-t\)\.max\(\) for a minimum"),
    (np.prod, r"^np\.multiply\.reduce: numpy's reductions"), (np.any, r"^np\.logical_or\.reduce: numpy's reductions")])
def test_a_numpy_function_of_a_tensor_or_an_in_place_op_into_an_array_says_what_to_write(call, says):
    # np.exp(t), np.maximum(t, 0) and x += t for a numpy array x failed inside numpy with "operand 'Tensor' does not
    # support ufuncs (__array_ufunc__=None)", which says neither what is wrong nor what to write (a Value's says both)
    with pytest.raises(TypeError, match=says):
        call(Tensor([0.5, -1.0], requires_grad=True))


def test_a_numpy_array_or_number_on_the_left_of_an_operator_is_the_tensors_op_in_the_graph():
    t = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    x = np.array([3.0, 1.5, 0.25])
    g = np.array([1.0, -2.0, 0.5])
    for y, want in ((x + t, np.ones(3)), (x - t, -np.ones(3)), (x * t, x), (x / t, -x / t.data ** 2),
                    (x ** t, x ** t.data * np.log(x)), (np.float16(2.0) * t, np.full(3, 2.0)),
                    (np.ones((2, 3)) @ t, np.full(3, -1.0))):
        t.grad = None
        assert type(y) is Tensor and y.requires_grad
        y.backward(g if y.shape == (3,) else g[:2])
        np.testing.assert_allclose(t.grad, g * want if y.shape == (3,) else want, rtol=1e-6)
    assert (np.float16(2.0) * t).dtype == np.float32 and (np.ones(3) * t).dtype == np.float64  # PyTorch's promotion
    for compare in (lambda: x < t, lambda: x <= t, lambda: x > t, lambda: x >= t):
        with pytest.raises(TypeError, match=r"^Tensor: <, <=, >, >= are not ops"):
            compare()
    for compare in (lambda: x == t, lambda: x != t):
        with pytest.raises(TypeError, match=r"^== and != of a Tensor ask whether two tensors are one and the same"):
            compare()


@pytest.mark.parametrize("x", [np.array(3.0), np.array([3.0]), np.array([Value(1.0), Value(2.0)])])
def test_an_in_place_op_of_a_value_into_a_numpy_array_says_to_write_a_new_one(x):
    # x += v for a numpy array x (or an object array of Values) said "np.add: write the operator (v + x, x * v, ...)",
    # the operator the student had written
    with pytest.raises(TypeError, match=r"^np\.add: x \+= v \(in place\) writes into the numpy array x, which holds "
                                        r"numbers, not the graph: write x = x \+ (v|np\.array\(v\))"):
        x += Value(0.5)
    for name, op, symbol in (("subtract", np.subtract, "-"), ("multiply", np.multiply, r"\*"),
                             ("divide", np.divide, "/"), ("power", np.power, r"\*\*")):
        with pytest.raises(TypeError, match=rf"^np\.{name}: x {symbol}= v \(in place\) .*write x = x {symbol} "
                                            r"(v|np\.array\(v\))"):
            op(x, Value(0.5), out=x)  # x -= v, x *= v, x /= v, x **= v
    y = np.array(3.0) + Value(0.5)  # which is a Value, in the graph
    assert type(y) is Value and y.data == 3.5


def test_numpys_variance_of_values_is_a_value_in_the_graph():
    # np.var(outputs), the lecture's statistic, of a layer's Values failed inside numpy with "loop of ufunc does not
    # support argument 0 of type Value which has no callable conjugate method" (numpy's var of objects conjugates them)
    xs = np.array([0.3, -1.2, 2.0, 0.7])
    for ddof in (0, 1):
        values = [Value(x) for x in xs]
        out = np.var(values, ddof=ddof)
        assert type(out) is Value and out.data == pytest.approx(np.var(xs, ddof=ddof))
        (out * 1.7).backward()
        np.testing.assert_allclose([v.grad for v in values], 1.7 * 2 * (xs - xs.mean()) / (len(xs) - ddof))
    with pytest.raises(TypeError, match=r"^np\.sqrt: numpy's functions take arrays of numbers, not a Value: .*v \*\* "):
        np.std([Value(x) for x in xs])  # and a standard deviation names v ** 0.5


@pytest.mark.parametrize("number", [1 + 0j, np.complex128(1.0), Decimal(1), np.bool_(True)])
def test_a_value_compared_with_any_number_is_refused_on_either_side_not_false(number):
    # v == 1j, v == np.complex128(1) and v == Decimal(1) were False (np.complex128(1) == v raised): a silent False
    # reads as "the numbers differ"
    v = Value(1.0)
    for compare in (lambda: v == number, lambda: v != number, lambda: number == v):
        with pytest.raises(TypeError, match=r"^Value: == and != of a Value ask whether two Values are one"):
            compare()


def test_an_engines_number_compared_with_pytest_approx_is_compared_by_approx():
    # assert loss == pytest.approx(0.5) was False for a Value or Tensor loss of 0.5 (their == said False to anything
    # not a number, so approx was never asked); approx compares a tensor's numbers, and a Value's says what to write
    t = Tensor(0.5, requires_grad=True)
    assert t == pytest.approx(0.5) and not t != pytest.approx(0.5) and t != pytest.approx(0.7)
    assert Tensor([0.5, 1.0]) == pytest.approx([0.5, 1.0])
    with pytest.raises(TypeError, match=r"^Value: == and != of a Value .*compare the numbers, v\.data == x"):
        Value(0.5) == pytest.approx(0.5)
    v = Value(0.5)
    assert v == v and not v != v and v != Value(0.5) and v != "v" and v != None and {v: 1}[v] == 1  # noqa: E711


@pytest.mark.parametrize("check", [lambda v: np.isclose(v, 0.5), lambda v: np.allclose([v], [0.5]),
                                   lambda v: np.testing.assert_allclose(v, 0.5)])
def test_numpys_closeness_checks_of_a_value_say_to_give_them_its_number(check):
    # np.testing.assert_allclose(loss, 0.5) of a Value said only "abs(v) is not an op of this engine; write v.relu() +
    # (-v).relu()", an abs the student had not written (numpy's isclose takes |actual - expected|)
    with pytest.raises(TypeError, match=r"^Value: abs\(v\) is not an op of this engine.*numpy's isclose, allclose and "
                                        r"assert_allclose take \|a - b\|: give them the number, v\.data"):
        check(Value(0.5))
    check(Value(0.5).data)


@pytest.mark.parametrize("operand", [1j, np.complex64(1j), np.array([1j, 2.0]), np.array(["a", "b"]), "a"])
def test_an_operand_of_a_tensor_that_holds_no_real_numbers_is_told_which_arrays_are_taken(operand):
    # a complex or text numpy array was told "use numbers, numpy arrays or Tensors": it was a numpy array
    for combine in (lambda t: t * operand, lambda t: operand + t):
        with pytest.raises(TypeError, match=r"^(mul|add): cannot combine a Tensor with .*; use real numbers, numpy "
                                            r"arrays of booleans, integers or floats, or Tensors$"):
            combine(Tensor([1.0, 2.0], requires_grad=True))


def test_a_numpy_array_of_numbers_with_a_value_says_how_to_apply_the_value_elementwise():
    # x * v for a numpy array x of numbers said "Use tinygrad_init.Tensor for arrays", but a Tensor and a Value do not
    # mix: an array of Values, x * np.array(v), or a loop is what works (as for an array of Values)
    x, v = np.array([1.0, -2.0, 0.5]), Value(3.0)
    for combine in (lambda: x * v, lambda: v * x, lambda: x + v, lambda: v - x, lambda: x / v, lambda: v ** x):
        with pytest.raises(TypeError, match=r"^(mul|add|sub|div|pow): a Value and a numpy array: Value's op takes one "
                                            r"number\. Make the Value an array too, np\.array\(v\) in place of v"):
            combine()
    out = x * np.array(v)  # as the message says: numpy applies it elementwise, an array of Values in the graph
    (out * np.array([1.0, 2.0, -1.0])).sum().backward()
    assert v.grad == 1.0 * 1.0 + -2.0 * 2.0 + 0.5 * -1.0
    with pytest.raises(TypeError, match=r"^Value: expected a plain number, got ndarray .*Use tinygrad_init\.Tensor"):
        Value(x)  # making one Value of an array still names the tensor engine
