"""The scalar engine: every op's local derivatives, the numerics, accumulation, deep graphs."""

from __future__ import annotations

import math
import re
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_init import Tensor, Value, autograd
from tinygrad_init.gradcheck import gradcheck

FAST = settings(max_examples=30, deadline=None, derandomize=True)

anywhere = st.floats(-3.0, 3.0, allow_nan=False)
positive = st.floats(0.2, 3.0)
away_from_zero = st.tuples(st.sampled_from([-1.0, 1.0]), st.floats(0.2, 3.0)).map(lambda t: t[0] * t[1])


# ------------------------------------------------------- every op vs central differences

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


@FAST
@given(op=st.sampled_from(sorted(BINARY)), a=anywhere, b=away_from_zero)
def test_binary_value_value(op, a, b):
    gradcheck(BINARY[op], a, b)


@FAST
@given(op=st.sampled_from(sorted(BINARY)), a=anywhere, k=away_from_zero)
def test_binary_with_a_number_on_either_side(op, a, k):
    f = BINARY[op]
    gradcheck(lambda x: f(x, k), a)      # Value op number
    if op == "div":
        gradcheck(lambda x: k / x, k)    # number / Value (rtruediv), away from 0
    else:
        gradcheck(lambda x: f(k, x), a)  # number op Value (radd, rsub, rmul)


@FAST
@given(base=positive, exponent=anywhere)
def test_pow_value_value_positive_base(base, exponent):
    gradcheck(lambda x, y: x ** y, base, exponent)


@FAST
@given(x=away_from_zero, n=st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]))
def test_pow_value_integer_number(x, n):
    # integer exponents are defined for negative bases too
    gradcheck(lambda v: v ** n, x)


@FAST
@given(x=positive, p=st.floats(-2.5, 2.5))
def test_pow_value_fractional_number(x, p):
    gradcheck(lambda v: v ** p, x)


@FAST
@given(base=positive, y=anywhere)
def test_rpow_number_to_value(base, y):
    gradcheck(lambda v: base ** v, y)


UNARY = {
    "neg": (lambda v: -v, anywhere),
    "exp": (lambda v: v.exp(), anywhere),
    "log": (lambda v: v.log(), positive),
    "tanh": (lambda v: v.tanh(), anywhere),
    "sigmoid": (lambda v: v.sigmoid(), st.floats(-8.0, 8.0)),
    "relu": (lambda v: v.relu(), away_from_zero),
}


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary(op):
    f, strategy = UNARY[op]

    @FAST
    @given(strategy)
    def check(x):
        gradcheck(f, x)

    check()


def test_local_derivatives_are_stored_beside_the_parents():
    a, b = Value(3.0), Value(-2.0)
    c = a * b
    assert c.parents == (a, b) and c.locals == (-2.0, 3.0) and c.op == "*"
    d = a / b
    assert d.locals == (1 / -2.0, -3.0 / 4.0)
    e = a ** b
    assert e.locals[0] == pytest.approx(-2.0 * 3.0 ** -3.0)
    assert e.locals[1] == pytest.approx(3.0 ** -2.0 * math.log(3.0))
    t = b.tanh()
    assert t.locals == (1 - math.tanh(-2.0) ** 2,)
    assert (a - 1.0).locals == (1.0,)
    assert (1.0 - a).locals == (-1.0,)
    assert (2.0 / a).locals == (pytest.approx(-2.0 / 9.0),)


def test_relu_at_zero_has_local_derivative_zero():
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert y.data == 0.0 and x.grad == 0.0


def test_relu_values():
    assert Value(-2.0).relu().data == 0.0
    assert Value(2.5).relu().data == 2.5


def test_numpy_scalars_on_the_left_defer_to_value():
    x = Value(3.0)
    for y in (np.float64(2.0) * x, np.float32(2.0) * x, np.int64(2) * x):
        assert isinstance(y, Value) and y.data == 6.0
    z = np.float64(1.0) - x
    assert isinstance(z, Value) and z.data == -2.0


def test_numpy_arrays_of_values_sum_and_dot_with_the_right_gradients_and_meet_a_value_as_the_message_says():
    a, b, c, d = (Value(x) for x in (1.0, 2.0, 3.0, 4.0))
    values, others = np.array([a, b]), np.array([c, d])
    total = np.dot(values, others) + values.sum()  # numpy's object loops call Value's ops: a graph like any other
    total.backward()
    assert total.data == 14.0 and [v.grad for v in (a, b, c, d)] == [4.0, 5.0, 1.0, 2.0]
    # values * v (a Value): numpy hands it to Value's op, which said "Use tinygrad_init.Tensor for arrays" (a Tensor
    # holds numbers, not Values)
    for product in (lambda: values * c, lambda: c * values, lambda: values + c):
        with pytest.raises(TypeError, match=r"a Value and a numpy array \(of Values\).*np.array\(v\) in place of v"):
            product()
    for v in (a, b, c):
        v.grad = 0.0
    (values * np.array(c)).sum().backward()  # as the message says
    assert [v.grad for v in (a, b, c)] == [3.0, 3.0, 3.0]


# ------------------------------------------------------------- random expressions

# A small program language: each step applies an op to earlier registers.
SAFE_UNARY = {
    "tanh": lambda v: v.tanh(),
    "sigmoid": lambda v: v.sigmoid(),
    "exp_tanh": lambda v: v.tanh().exp(),
    "log1p_sq": lambda v: (v * v + 1.0).log(),
    "neg": lambda v: -v,
    "square": lambda v: v ** 2,
}
SAFE_BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "pow": lambda a, b: (a * a + 0.5) ** b.tanh(),
    "rsub": lambda a, b: 2.0 - a * b,
    "rdiv": lambda a, b: 1.0 / (1.0 + a * a) + b,
    "rpow": lambda a, b: 1.5 ** a.tanh() * b,
}

steps = st.lists(
    st.one_of(
        st.tuples(st.just(1), st.sampled_from(sorted(SAFE_UNARY)), st.integers(0, 100), st.just(0)),
        st.tuples(st.just(2), st.sampled_from(sorted(SAFE_BINARY)), st.integers(0, 100), st.integers(0, 100)),
    ),
    min_size=1, max_size=12,
)


def run_program(program, inputs):
    regs = list(inputs)
    for arity, name, i, j in program:
        a, b = regs[i % len(regs)], regs[j % len(regs)]
        regs.append(SAFE_UNARY[name](a) if arity == 1 else SAFE_BINARY[name](a, b))
    return regs[-1]


@FAST
@given(program=steps, xs=st.lists(anywhere, min_size=1, max_size=3))
def test_random_expressions(program, xs):
    gradcheck(lambda *vs: run_program(program, vs), *xs)


# ------------------------------------------------------------------------ numerics


def test_numerics_follow_ieee_not_python_exceptions():
    assert Value(1000.0).exp().data == math.inf
    assert Value(-1000.0).exp().data == 0.0
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-1.0).log().data)
    assert (Value(1.0) / Value(0.0)).data == math.inf
    assert (Value(-1.0) / 0.0).data == -math.inf
    assert math.isnan((Value(0.0) / 0.0).data)
    assert (1.0 / Value(0.0)).data == math.inf
    assert (Value(0.0) ** -1.0).data == math.inf
    assert math.isnan((Value(-8.0) ** 0.5).data)
    assert (Value(10.0) ** 400.0).data == math.inf
    assert (Value(-10.0) ** 401.0).data == -math.inf
    assert math.isnan(((-8.0) ** Value(0.5)).data)


def test_exp_overflow_backward_gives_inf_not_an_exception():
    x = Value(1000.0)
    y = x.exp()
    y.backward()
    assert x.grad == math.inf


def test_log_at_zero_and_below_backward():
    x = Value(0.0)
    x.log().backward()
    assert x.grad == math.inf
    z = Value(-2.0)
    out = z.log()
    out.backward()
    assert math.isnan(out.data)
    assert z.grad == -0.5  # 1/x, as PyTorch (and Tensor.log) give, even where log itself is nan


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_tanh_and_sigmoid_are_exact_and_flat_far_out(x):
    t = Value(x).tanh()
    assert t.data == math.copysign(1.0, x)
    assert t.locals == (0.0,)
    s = Value(x).sigmoid()
    assert s.data == (1.0 if x > 0 else 0.0)
    assert s.locals == (0.0,)
    v = Value(x)
    (v.tanh() + v.sigmoid()).backward()
    assert v.grad == 0.0


def test_sigmoid_is_accurate_on_both_sides():
    for x in (-30.0, -5.0, -0.5, 0.0, 0.5, 5.0, 30.0):
        assert Value(x).sigmoid().data == pytest.approx(1.0 / (1.0 + math.exp(-x)), rel=1e-15)


def test_division_by_zero_gradients():
    a, b = Value(1.0), Value(0.0)
    (a / b).backward()
    assert a.grad == math.inf and b.grad == -math.inf


def test_pow_conventions_at_zero():
    # d(x**y)/dy at x = 0, y >= 0 is taken as 0 (as PyTorch does); d/dx of x**0 is 0
    x, y = Value(0.0), Value(2.0)
    (x ** y).backward()
    assert x.grad == 0.0 and y.grad == 0.0
    x, y = Value(0.0), Value(0.0)
    out = x ** y
    out.backward()
    assert out.data == 1.0 and x.grad == 0.0 and y.grad == 0.0
    z = Value(0.0)
    (z ** 0.5).backward()
    assert z.grad == math.inf


# --------------------------------------------------------------- graph mechanics


def test_100000_op_chain_backpropagates():
    x = Value(0.5)
    y = x
    for _ in range(50_000):
        y = y * 1.00001
        y = y + 0.25
    y.backward()
    assert x.grad == pytest.approx(1.00001 ** 50_000, rel=1e-9)
    assert y.data == pytest.approx(0.5 * 1.00001 ** 50_000 + 0.25 * sum(1.00001 ** k for k in range(50_000)),
                                   rel=1e-9)


def test_node_used_twice_accumulates():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0
    b = Value(3.0)
    (b * b).backward()
    assert b.grad == 6.0
    c = Value(-2.0)
    (c * c * c).backward()
    assert c.grad == 12.0
    d = Value(0.5)
    (d.tanh() * d).backward()
    assert d.grad == pytest.approx(math.tanh(0.5) + 0.5 * (1 - math.tanh(0.5) ** 2))


def _graph_with_intermediate():
    a, b = Value(0.8, "a"), Value(-1.7, "b")
    h = a * b                 # intermediate node, used twice
    out = h.tanh() + h * a    # a is also used twice
    return a, b, h, out


def test_two_backward_calls_double_the_leaves_only():
    a, b, h, out = _graph_with_intermediate()
    out.backward()
    ga, gb, gh = a.grad, b.grad, h.grad
    assert ga != 0.0 and gb != 0.0
    out.backward()
    assert a.grad == pytest.approx(2 * ga, rel=1e-15)
    assert b.grad == pytest.approx(2 * gb, rel=1e-15)
    # the intermediate node holds this pass's gradient, not a running total
    assert h.grad == pytest.approx(gh, rel=1e-15)
    # analytic: d out / d a = (1 - tanh(h)^2) b + h + a b
    av, bv = 0.8, -1.7
    hv = av * bv
    assert ga == pytest.approx((1 - math.tanh(hv) ** 2) * bv + hv + av * bv, rel=1e-14)


def test_a_backward_cut_short_by_ctrl_c_leaves_the_leaves_as_they_were():
    # Ctrl-C at the fifth step left a with one of its shares (h = -1.36 of -3.11), which the pass run again added to
    class Interrupt:  # a recorder that raises as Ctrl-C would, in the middle of the walk
        begin = end = staticmethod(lambda *args: None)

        def __init__(self):
            self.n = 0

        def step(self, *args):
            self.n += 1
            if self.n == 5:
                raise KeyboardInterrupt

    a, b, h, out = _graph_with_intermediate()
    a.grad = 0.25  # left from an earlier pass
    previous = autograd.set_recorder(Interrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            out.backward()
    finally:
        autograd.set_recorder(previous)
    assert (a.grad, b.grad) == (0.25, 0.0)
    out.backward()
    a2, b2, h2, out2 = _graph_with_intermediate()
    out2.backward()
    assert (a.grad, b.grad) == (0.25 + a2.grad, b2.grad)


def test_backward_of_an_intermediate_then_of_the_output():
    a, b, h, out = _graph_with_intermediate()
    h.backward()             # dh/da = b
    assert a.grad == -1.7
    a.zero_grad()
    b.zero_grad()
    out.backward()           # must not start from h's stale gradient
    a2, b2, h2, out2 = _graph_with_intermediate()
    out2.backward()
    assert a.grad == a2.grad and b.grad == b2.grad


def test_zero_grad():
    a = Value(2.0)
    (a * 3.0).backward()
    assert a.grad == 3.0
    a.zero_grad()
    assert a.grad == 0.0


def test_backward_of_a_leaf():
    a = Value(2.0)
    a.backward()
    assert a.grad == 1.0


def test_backward_of_a_leaf_twice_accumulates_and_the_ledger_reads_the_seed_one():
    from tinygrad_init import ledger

    a = Value(2.0, label="a")
    with ledger.record() as steps:
        a.backward()
        a.backward()
    assert a.grad == 2.0  # accumulates, as in PyTorch
    assert [ps.seed for ps in steps.passes] == [1.0, 1.0]
    assert steps.seed_line(1).startswith("da/da = 1.0 ")


def test_value_sum_is_one_node():
    a, b, c = Value(1.0), Value(2.0), Value(-4.0)
    s = Value.sum([a, b, 3.0, c], start=0.5)
    assert s.data == 2.5
    assert s.parents == (a, b, c) and s.locals == (1.0, 1.0, 1.0) and s.op == "+"
    s2 = (s * s)
    s2.backward()
    for v in (a, b, c):
        assert v.grad == 2 * 2.5


def test_value_sum_with_a_value_start_and_repeats():
    a, b = Value(1.5), Value(-0.5)
    s = Value.sum([a, a, b], start=b)
    assert s.data == 2.0
    s.backward()
    assert a.grad == 2.0 and b.grad == 2.0


def test_value_sum_matches_builtin_sum():
    rng = np.random.default_rng(0)
    xs = [Value(float(v)) for v in rng.normal(size=10)]
    ys = [Value(x.data) for x in xs]
    s1 = Value.sum(w * w for w in xs)
    s2 = sum(w * w for w in ys)
    assert s1.data == pytest.approx(s2.data, rel=1e-15)
    s1.backward()
    s2.backward()
    assert [x.grad for x in xs] == pytest.approx([y.grad for y in ys], rel=1e-15)


@pytest.mark.parametrize("start", [-0.0, Value(-0.0), 0.0, 0])
def test_value_sum_of_negative_zeros_keeps_the_sign_that_start_plus_each_value_gives(start):
    # Value.sum([z, z], start=z) of z = -0.0 was 0.0, where z + z + z, Python's sum and PyTorch's add give -0.0
    # (its total began at +0.0, and -0.0 + 0.0 is +0.0); the sign is what 1 / x and copysign read
    z = Value(-0.0)
    plain = start.data if isinstance(start, Value) else start
    for values in ([z, z], [z], [-0.0, z]):
        total = sum((v.data if isinstance(v, Value) else v for v in values), plain)
        got = Value.sum(values, start=start).data
        assert math.copysign(1.0, got) == math.copysign(1.0, total) and got == total == 0.0


def test_value_sum_gradcheck():
    gradcheck(lambda a, b, c: Value.sum([a * b, b.tanh(), c, 2.0], start=a), 0.3, -1.2, 2.0)


def test_value_of_a_string_is_a_clear_type_error():
    with pytest.raises(TypeError, match=r"Value: expected a plain number, got str 'x'"):
        Value("x")
    with pytest.raises(TypeError, match="Tensor for arrays"):
        Value([1.0, 2.0])
    with pytest.raises(TypeError, match="add"):
        Value(1.0) + "x"
    with pytest.raises(TypeError, match="mul"):
        Value(1.0) * [2.0]


@pytest.mark.parametrize("make,says", [
    (lambda: Value("3"), r"got str '3'; a Value holds a real number: float\(x\) reads one written as text$"),
    (lambda: Value(1.0) + b"3", r"^add: expected a plain number, got bytes b'3'; a Value holds a real number: float"),
    (lambda: Value(1 + 2j), r"got complex \(1\+2j\); a Value holds a real number, not a complex one$"),
    (lambda: np.complex128(1) * Value(1.0), r"^mul: .*got complex128 .*; a Value holds a real number, not a complex"),
    (lambda: Value(None), r"^Value: expected a plain number, got NoneType None$"),
    (lambda: Value(1.0) ** None, r"^pow: expected a plain number, got NoneType None$"),
    (lambda: Value(range(3)), r"got range range\(0, 3\)\. Use tinygrad_init\.Tensor for arrays\.$"),
    # [1.0, 2.0] * v was told to use Tensors, which do not mix with a Value
    (lambda: [1.0, 2.0] * Value(2.0), r"^mul: expected a plain number, got list \[1\.0, 2\.0\]; a Value's op takes "
                                      r"one number: loop over them, \[v \* x for x in xs\] \(a Tensor and a Value "
                                      r"do not mix\)$")])
def test_what_a_value_cannot_hold_is_named_with_what_to_write_for_it(make, says):
    # Value("3"), Value(1+2j) and Value(None) were told "Use tinygrad_init.Tensor for arrays.": none is an array, and a
    # Tensor holds neither text nor complex numbers
    with pytest.raises(TypeError, match=says):
        make()
    assert Value(float("3")).data == 3.0 and Value((1 + 2j).real).data == 1.0  # what the messages write


def test_a_value_of_a_value_says_to_use_it_as_it_is():
    a = Value(2.0)  # micrograd's Value(Value(2.0)) nests silently; here it said "Use tinygrad_init.Tensor for arrays"
    with pytest.raises(TypeError, match=r"Value: expected a plain number, got Value Value\(data=2, grad=0\); a Value "
                                        r"is a node already: use it as it is, or Value\(v\.data\) for a new leaf$"):
        Value(a)
    assert Value(a.data).data == 2.0


def test_a_value_of_micrograd_or_of_a_class_of_ones_own_is_named_as_another_engines_node():
    # the lecture's notebook defines its own `class Value`, and micrograd's is named Value too: a student mixing one
    # with this engine's read "expected a plain number, got Value Value(data=2.0, grad=0)", which they had given
    from tests.conftest import require_module
    mg = require_module("micrograd.engine")
    from tinygrad_init.scalar_nn import Neuron

    class Lectures:  # the lecture's Value, as far as these messages see it
        def __init__(self, data):
            self.data, self.grad = data, 0.0

    a = Value(2.0)
    for theirs, name in ((mg.Value(3.0), r"micrograd\.engine\.Value"), (Lectures(3.0), r"tests\.core\.test_value\.test_"
                         r"a_value_of_micrograd_or_of_a_class_of_ones_own_is_named_as_another_engines_node\.<locals>"
                         r"\.Lectures")):
        for op, make in (("add", lambda: a + theirs), ("mul", lambda: a * theirs), ("Value", lambda: Value(theirs)),
                         ("sum", lambda: Value.sum([a, theirs])), ("Neuron: x\\[0\\]", lambda: Neuron(1)([theirs]))):
            with pytest.raises(TypeError, match=rf"^{op}: expected a plain number, got .*; a {name} is another "
                                                r"engine's node \(micrograd's, or a Value class of your own\), whose "
                                                r"graph is not this one: build it from tinygrad_init's Value "
                                                r"throughout, or take its number as a new leaf, Value\(x\.data\)$"):
                make()
        assert (a * Value(theirs.data)).data == 6.0  # what the message writes


def test_a_subclass_of_value_is_told_to_write_its_op_as_a_function_of_values():
    # the ops check for Value itself (`type(x) is Value`: isinstance cost the scalar MLP step 6%); a subclass (a
    # student's Value with a sqrt) was told "a Value is a node already: use it as it is", which it had done
    class Root(Value):
        __slots__ = ()

    a, b = Root(4.0), Value(3.0)
    for op, make in [("add", lambda: b + a), ("mul", lambda: b * a), ("pow", lambda: b ** a), ("div", lambda: b / a),
                     ("sub", lambda: b - a), ("sum", lambda: Value.sum([b, a]))]:
        with pytest.raises(TypeError, match=rf"^{op}: expected a plain number, got Root .*the ops take Value itself, "
                                            r"not a subclass .*a function of Values, such as def sqrt"):
            make()

    def sqrt(v: Value) -> Value:  # what the message says to write: a function of Values
        return v ** 0.5

    x = Value(4.0)
    y = sqrt(x) * b
    y.backward()
    assert (y.data, x.grad, b.grad) == (6.0, 0.75, 2.0)  # d(3 sqrt x)/dx = 3 / (2 sqrt 4)
    with pytest.raises(TypeError, match=r"^Value: expected a plain number, got Value Value\(data=4.*node already"):
        Value(x)


@pytest.mark.parametrize("make,op", [(lambda: Value(10**400), "Value"), (lambda: Value(1.0) + 10**400, "add"),
                                     (lambda: 10**400 * Value(1.0), "mul"), (lambda: Value(2.0) ** 10**400, "pow"),
                                     (lambda: Value(10**5000), "Value"),  # (a repr past Python's 4,300 digits)
                                     (lambda: Value(Fraction(-10**400, 3)), "Value"),  # was an AttributeError
                                     (lambda: Value(1.0) * Fraction(10**500), "mul")])
def test_a_number_too_large_for_a_float_is_a_named_value_error(make, op):
    with pytest.raises(ValueError, match=rf"{op}: a number of about 10\^[345][09]+ is too large for a float"):
        make()  # 'int too large to convert to float', naming neither the op nor the number
    assert Value(10**300).data == 1e300


def test_every_kind_of_number_a_value_takes_is_admitted_by_its_hint():
    # Value(Fraction(1, 4)) and Value(np.bool_(True)) are taken (any Real, as the ops take them) but the hint
    # int | float | np.integer | np.floating made them type errors
    import typing
    hint = typing.get_type_hints(Value.__init__)["data"]
    for x in (2, 2.5, True, np.float32(2.5), np.int64(2), np.bool_(True), Fraction(1, 4)):
        assert Value(x).data == float(x) and (Value(1.0) * x).data == float(x)
        assert any(isinstance(x, h) for h in typing.get_args(hint)), x
    assert typing.get_type_hints(Value.__mul__)["other"] == typing.Union[Value, hint]


def test_conversions():
    assert Value(np.float64(2.5)).data == 2.5
    assert Value(np.array([1.5])).data == 1.5
    assert Value(True).data == 1.0
    assert type(Value(3).data) is float
    with pytest.warns(UserWarning, match="outside the graph"):
        assert float(Value(-1.25)) == -1.25
    assert repr(Value(2.0, label="w")) == "Value(data=2, grad=0, label='w')"
    assert f"{Value(2.0) / 3:.4f}" == "0.6667" and f"{Value(2.0)}" == "Value(data=2, grad=0)"


def test_numpy_booleans_count_as_numbers_like_python_booleans():
    v = Value(2.0)
    for b in (True, np.bool_(True), np.array(True)):
        assert (v + b).data == 3.0 and (b * v).data == 2.0 and (b - v).data == -1.0
        assert Value(b).data == 1.0


def test_a_label_that_is_not_a_string_is_refused_with_the_lecture_signature_named():
    a = Value(2.0)
    with pytest.raises(TypeError, match=r"Value: label must be a string \(unlike micrograd's .*records its parents "
                                        r"itself .*\), got tuple"):
        Value(1.0, (a,))  # micrograd's Value(data, _children, _op): the children became the label, silently
    for lecture in (lambda: Value(1.0, (a,), "tanh"), lambda: Value(1.0, (a, a), "+"), lambda: Value(1.0, "a", "+")):
        with pytest.raises(TypeError, match=r"Value: label must be a string \(unlike micrograd's Value\(data, "
                                            r"_children, _op\)"):
            lecture()  # the lecture's `out = Value(t, (self,), 'tanh')`: 'takes from 2 to 3 positional arguments'
    assert Value(1.0, "a").label == "a" and Value(1.0).label == ""


def test_value_sum_of_a_single_value_or_number_names_the_argument():
    a, b = Value(1.0), Value(2.0)
    for bad in (a, 5):  # Value.sum(a, b) reads b as start; Python said "Value after * must be an iterable"
        with pytest.raises(TypeError, match=r"Value\.sum: values must be a list of Values or numbers such as "
                                            r"\[a, b\], got (Value|int)"):
            Value.sum(bad, b)


def test_a_gradient_set_to_none_as_in_pytorch_starts_the_next_pass_from_zero():
    # `p.grad = None` made the next backward fail inside the chain-rule loop and repr(p) raise
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    loss = a * b
    loss.backward()
    a.grad = None
    assert repr(a) == "Value(data=2, grad=None, label='a')"
    loss.backward()
    assert (a.grad, b.grad) == (3.0, 4.0)  # a from zero, b accumulated


def test_a_gradient_set_to_none_starts_the_lectures_backward_by_hand_from_zero_as_backward_does():
    # PyTorch's `p.grad = None`, then the lecture's node-by-node o._backward(), stopped inside the step with
    # "unsupported operand type(s) for +=: 'NoneType' and 'float'", where backward() starts such a leaf from 0
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    e = a * b
    o = e + a
    o.backward()
    a.grad, e.grad, o.grad = None, None, 1.0
    o._backward()  # e gets 1.0, a (from its own +) 1.0
    e._backward()
    assert (e.grad, a.grad, b.grad) == (1.0, 4.0, 4.0)  # a: 1 + 3; b: 2 from the pass before, + 2
    e.grad = None  # a node whose grad is None passes nothing on: it has received nothing
    e._backward()
    assert (a.grad, b.grad) == (4.0, 4.0)


def test_the_differences_from_micrograd_that_the_engines_page_lists():
    from tests.conftest import require_module
    mg, torch = require_module("micrograd.engine"), require_module("torch")
    ours, theirs, t = Value(3.0), mg.Value(3.0), torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    for a in (ours, theirs):
        out = (a * 2.0) ** 2
        out.backward()
        out.backward()
    (t * 2.0).pow(2).backward(retain_graph=True)
    (t * 2.0).pow(2).backward()
    assert (ours.grad, theirs.grad, t.grad.item()) == (48.0, 72.0, 48.0)  # micrograd's h keeps its gradient
    with pytest.raises(ZeroDivisionError):
        mg.Value(1.0) / 0
    assert isinstance((mg.Value(-8.0) ** 0.5).data, complex)
    assert (Value(1.0) / 0).data == torch.tensor(1.0, dtype=torch.float64).div(0).item() == math.inf
    assert math.isnan((Value(-8.0) ** 0.5).data) and math.isnan(torch.tensor(-8.0).pow(0.5).item())
    with pytest.raises(AssertionError, match="only supporting int/float powers"):
        mg.Value(2.0) ** mg.Value(3.0)
    assert type(Value(3).data) is float and type(mg.Value(3).data) is int
    # a leaf's .data changed after the forward, before backward: the local derivatives were taken in the forward (the
    # old point), where micrograd's closures and PyTorch's `y.data = ...` read the new value (PyTorch raises nothing)
    ys = Value(3.0), mg.Value(3.0), torch.tensor(3.0, dtype=torch.float64)
    xs = Value(2.0), mg.Value(2.0), torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    outs = [x * y for x, y in zip(xs, ys)]
    for y, new in zip(ys, (10.0, 10.0, torch.tensor(10.0, dtype=torch.float64))):
        y.data = new
    for out in outs:
        out.backward()
    assert (xs[0].grad, xs[1].grad, xs[2].grad.item()) == (3.0, 10.0, 10.0)
    # an upstream of inf into a relu that is off: inf x 0 = nan here and in micrograd (upstream x local, as the ledger
    # prints it), 0 in PyTorch's relu, which selects
    xs = Value(0.0), mg.Value(0.0), torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    for x in xs:
        (x.relu() * math.inf).backward()
    assert math.isnan(xs[0].grad) and math.isnan(xs[1].grad) and xs[2].grad.item() == 0.0


def _lecture_neuron():
    """The neuron of the micrograd lecture: o = tanh(x1 w1 + x2 w2 + b), its gradients 0.5 style numbers."""
    x1, x2, w1, w2 = Value(2.0, label="x1"), Value(0.0, label="x2"), Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    return (x1, x2, w1, w2, b), n, n.tanh()


def test_the_lectures_names_prev_op_and_backward_by_hand_run_unchanged():
    # v._prev, v._op and o._backward() were errors that said what to write instead: the lecture's code, its trace for
    # draw_dot, its topological sort and its backward node by node, stopped at the first of them
    def trace(root):  # the lecture's, as written there
        nodes, edges = set(), set()

        def build(v):
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    build(child)
        build(root)
        return nodes, edges

    leaves, n, o = _lecture_neuron()
    nodes, edges = trace(o)
    assert nodes == set(autograd.topological_order(o)) and len(edges) == 9
    assert o._op == "tanh" and n._op == "+" and leaves[0]._op == "" and o._prev == {n}
    o.grad = 1.0  # the lecture's backward by hand, node after node
    topo, visited = [], set()

    def build_topo(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)
    build_topo(o)
    for node in reversed(topo):
        node._backward()
    by_hand = [v.grad for v in leaves]
    assert [round(g, 12) for g in by_hand] == [-1.5, 0.5, 1.0, 0.0, 0.5]  # the lecture's numbers
    for v in leaves:
        v.grad = 0.0
    o.backward()
    assert [v.grad for v in leaves] == by_hand
    with pytest.raises(AttributeError) as caught:
        o.gard  # any other name: Python's own error, with its suggestions
    assert str(caught.value) == "'Value' object has no attribute 'gard'" and caught.value.obj is o


def test_the_operators_that_always_raise_are_hinted_as_never_returning():
    # abs(v) and a < b (<=, >, >=) raise with what to write instead, but were hinted `-> Value` and `-> bool`: a type
    # checker passed `d = abs(v)` and `if a < b:` and went on with a Value or a bool that never comes
    import typing
    for name in ("__abs__", "__lt__", "__le__", "__gt__", "__ge__", "__round__"):
        assert typing.get_type_hints(getattr(Value, name))["return"] is typing.NoReturn, name


def test_comparing_values_says_to_compare_their_numbers():
    # a < b, max(a, b), sorted(values) said "'<' not supported between instances of 'Value' and 'Value'", as in
    # micrograd, without what to write; 3 < a and numpy's float64(3) < a reach the same reflected method
    a, b = Value(2.0, label="a"), Value(4.0, label="b")
    for compare in (lambda: a < b, lambda: a <= b, lambda: a > 3, lambda: a >= 2.0, lambda: 3 < a,
                    lambda: np.float64(3.0) < a, lambda: max(a, b), lambda: min([a, b]), lambda: sorted([b, a])):
        with pytest.raises(TypeError, match=r"Value: <, <=, >, >= .*do not compare Values: .*a\.data < b\.data.*"
                                            r"max\(values, key=lambda v: v\.data\)"):
            compare()
    assert max([a, b], key=lambda v: v.data) is b and a.data < b.data  # what the message writes
    c, d = Value(3.0), Value(3.0)  # at a tie it picks the first, which gets all of the gradient; Tensor.max shares it
    (max([c, d], key=lambda v: v.data) * 2.0).backward()
    t = Tensor([3.0, 3.0], requires_grad=True)
    (t.max() * 2.0).backward()
    assert (c.grad, d.grad) == (2.0, 0.0) and t.grad.tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match=r"v\.data\) \(at a tie the first, which gets all of the gradient, as "
                                        r"PyTorch's max\(dim\); Tensor\.max shares it among the tied\)$"):
        max(c, d)
    assert a != Value(2.0) and a == a  # equality stays identity: a Value is a graph node, kept in sets and dicts


def test_a_value_equal_to_a_number_is_refused_not_false_and_its_truth_is_its_numbers_as_in_pytorch():
    # Value(2.0) * 3 == 6 was False and `if Value(0.0):` was taken, silently, where PyTorch (and a one-element Tensor
    # here) compares and tests the number; a Tensor's == refuses a number, as a Value's does now; a one-element numpy
    # array, which the ops take as a number, was still a silent False (six == np.array(6.0))
    from tests.conftest import require_module
    torch = require_module("torch")
    six, zero, t = Value(2.0) * 3, Value(0.0), torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    assert bool(t * 3 + 6 == 6) and not t
    for compare in (lambda: six == 6, lambda: 6.0 == six, lambda: six != np.float64(6.0), lambda: 6 in [six],
                    lambda: six == True, lambda: six == np.array(6.0), lambda: np.array([6.0]) != six):  # noqa: E712
        with pytest.raises(TypeError, match=r"^Value: == and != of a Value ask whether two Values are one and the same "
                                            r"\(a graph node\), not whether their numbers are equal: compare the "
                                            r"numbers, v\.data == x$"):
            compare()
    assert six.data == 6.0 and six == six and six != Value(6.0) and six != None and six != "6"  # noqa: E711
    assert six in {six} and {six: 1}[six] == 1 and [six].index(six) == 0
    assert (bool(zero), bool(six), bool(Value(math.nan))) == (bool(t), True, True) == (False, True, True)


def test_item_of_a_value_is_its_number_without_a_warning_as_a_tensors_item():
    # loss.item(), as the tutorials write it for a Tensor (and PyTorch for any loss), was "'Value' object has no
    # attribute 'item'" on the scalar engine
    from tests.conftest import require_module
    torch = require_module("torch")
    loss, t = (Value(0.5) * 3).tanh(), (torch.tensor(0.5, dtype=torch.float64, requires_grad=True) * 3).tanh()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert loss.item() == loss.data == t.item() and type(loss.item()) is float


def test_math_tanh_of_a_value_warns_that_its_float_is_outside_the_graph_as_pytorch_does():
    # math.tanh(w) took float(w) without a word: `w * math.tanh(w)` gave w.grad = tanh(0.5) = 0.462 where the graph's
    # tanh gives 0.855, silently; micrograd raises, PyTorch warns (for a tensor that requires grad)
    from tests.conftest import require_module
    mg, torch = require_module("micrograd.engine"), require_module("torch")
    w, t = Value(0.5), torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    with pytest.warns(UserWarning, match=r"Value: float\(v\), which math\.tanh\(v\).*outside the graph.*v\.data.*"
                                         r"v\.tanh\(\)") as caught:
        out = w * math.tanh(w)
    assert caught[0].filename == __file__  # the warning points at the line that called math.tanh
    with pytest.warns(UserWarning, match="requires_grad"):
        assert math.tanh(t) == out.data / w.data == math.tanh(0.5)
    out.backward()
    assert w.grad == math.tanh(0.5) != (w * w.tanh()).data / w.data + w.data * (1 - math.tanh(0.5) ** 2)
    with pytest.raises(TypeError):
        math.tanh(mg.Value(0.5))  # micrograd's Value has no __float__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert w.data == 0.5 and f"{w:.2f}" == "0.50"  # the number, without a warning


def test_int_of_a_value_warns_as_float_does_and_round_says_to_round_its_number():
    # int(v) said "int() argument must be a string, a bytes-like object or a real number, not 'Value'" where float(v)
    # (and a Tensor's int(t), and PyTorch's) gives the number with a warning; round(v, 4), to print a loss, said only
    # "type Value doesn't define __round__ method" (as micrograd's), not what to write
    v = Value(-2.7)
    with pytest.warns(UserWarning, match=r"^Value: int\(v\) is a plain number outside the graph: no gradient flows "
                                         r"back through it\. Write v\.data for the number") as caught:
        assert int(v) == int(-2.7) == -2 and type(int(v)) is int
    assert caught[0].filename == __file__  # the line that called int
    for args, shown, write in (((), r"round\(v\)", r"round\(v\.data\)"),
                               ((4,), r"round\(v, 4\)", r"round\(v\.data, 4\)")):
        with pytest.raises(TypeError, match=rf"^Value: {shown} is not an op of this engine \(its gradient would be 0 "
                                            rf"wherever it is defined\): round the number, {write}$"):
            round(v, *args)
    assert round(v.data, 4) == -2.7 and round(v.data) == -3  # what the message writes


def test_attaching_a_closure_as_micrograds_ops_do_says_what_a_value_keeps_instead():
    # micrograd's ops end with `out._backward = _backward`; since o._backward() became the node's step by hand, that
    # assignment said only "'Value' object attribute '_backward' is read-only", and a student writing an op the
    # micrograd way did not learn that backward would never call the closure
    a = Value(2.0)
    out = Value(a.data ** 0.5)

    def _backward():
        a.grad += 0.5 * a.data ** -0.5 * out.grad

    with pytest.raises(AttributeError, match=r"_backward.*no closure.*def sqrt\(v\): return v \*\* 0.5"):
        out._backward = _backward
    o = a * 3.0
    o.grad = 2.0
    o._backward()  # reading it is still the node's step by hand
    assert a.grad == 6.0


@pytest.mark.parametrize("call, says", [
    (lambda v: np.add(1.0, v, out=np.empty(())), r"^np\.add: write the operator \(v \+ x, x \* v, \.\.\.\)"),
    (lambda v: np.multiply(v, 2.0), r"^np\.multiply: write the operator"),
    (lambda v: np.float64(3.0) // v, r"^np\.floor_divide: a Value has no such op; its operators are \+, -, \*, /"),
    (lambda v: np.float64(3.0) % v, r"^np\.remainder: a Value has no such op")])
def test_a_numpy_operator_function_of_a_value_says_to_write_the_operator_or_that_there_is_none(call, says):
    # np.float64(3) // v was Python's "unsupported operand type(s) for //" before numpy asked the Value, then a hint to
    # write v.tanh(); np.add(v, 1.0) got that hint too, where v + 1.0 is what to write
    with pytest.raises(TypeError, match=says):
        call(Value(0.5))


@pytest.mark.parametrize("call", [np.tanh, np.exp, np.sqrt, np.abs, lambda v: np.maximum(v, 0.0)])
def test_a_numpy_function_of_a_value_names_the_ops_of_the_value_to_write_instead(call):
    # np.tanh(v), a numpy habit, failed with numpy's "operand 'Value' does not support ufuncs (__array_ufunc__=None)",
    # which says neither what is wrong nor what to write (math.tanh(v) warns and names v.tanh())
    with pytest.raises(TypeError, match=r"^np\.\w+: numpy's functions take arrays of numbers, not a Value: write the "
                                        r"Value's own op, .*v\.tanh\(\)"):
        call(Value(0.5))
    x = Value(3.0)  # while a numpy number on the left of an operator still gets the Value's reflected op
    for y, want in ((np.float64(2.0) + x, 5.0), (np.float64(2.0) - x, -1.0), (np.float32(2.0) * x, 6.0),
                    (np.float64(6.0) / x, 2.0), (np.int64(2) ** x, 8.0)):
        assert type(y) is Value and y.data == want


def test_a_values_label_parents_and_locals_are_hinted_as_what_they_hold():
    # a property of a lambda, and a label set through a checker that returns Any, were Any to type checkers: a
    # function hinted to return v.parents, v.locals or v.label was an error under mypy --strict (no-any-return)
    import typing
    assert typing.get_type_hints(Value)["label"] is str
    assert typing.get_type_hints(Value.parents.fget)["return"] == tuple[Value, ...]
    assert typing.get_type_hints(Value.locals.fget)["return"] == tuple[float, ...]
    a, b = Value(2.0, label="a"), Value(3.0)
    c = a * b
    assert c.parents == (a, b) == c._parents and c.locals == (3.0, 2.0) == c._locals and a.label == "a"


def test_the_elementwise_code_suggested_for_a_numpy_array_and_a_value_gives_the_op_that_was_written():
    # xs + v, v - xs and the like were all told "values * np.array(v)" and "[x * v for x in values]": written as
    # suggested, they multiplied; and v - xs would have been told the order of xs - v
    xs, v = np.array([1.0, -2.0, 0.5]), Value(3.0)
    cases = ((lambda: xs + v, xs + 3.0), (lambda: v + xs, xs + 3.0), (lambda: xs - v, xs - 3.0),
             (lambda: v - xs, 3.0 - xs), (lambda: xs * v, xs * 3.0), (lambda: v / xs, 3.0 / xs),
             (lambda: xs / v, xs / 3.0), (lambda: v ** xs, 3.0 ** xs), (lambda: xs ** v, xs ** 3.0))
    for combine, want in cases:
        with pytest.raises(TypeError) as info:
            combine()
        array_form, loop = re.search(r"in place of v, (.+?), which numpy applies elementwise, or loop: (\[.+\])$",
                                     str(info.value)).groups()
        for code in (array_form, loop):
            got = eval(code, {"np": np, "values": xs, "v": v})  # the suggestion, written as it stands
            assert [w.data for w in got] == pytest.approx(list(want)), (str(info.value), code)


@pytest.mark.parametrize("x", [np.array(3.0), np.array([3.0]), np.array([3.0, -1.0]),
                               np.array([Value(3.0), Value(-1.0)])])
def test_the_code_suggested_for_an_in_place_op_of_a_value_into_a_numpy_array_runs(x):
    # x += v for an array x of two or more numbers was told "write x = x + v, a new Value": written so, it met the next
    # error (a Value's op takes one number); such an x takes np.array(v), which makes an array of Values
    v, before = Value(0.5), [e.data if type(e) is Value else float(e) for e in x.ravel()]
    for name, op, symbol in (("add", np.add, "+"), ("subtract", np.subtract, "-"), ("multiply", np.multiply, "*")):
        with pytest.raises(TypeError) as info:
            op(x, v, out=x)  # x += v, x -= v, x *= v
        code = re.search(r"write (x = .+?), (a new Value|an array of Values)$", str(info.value)).group(1)
        scope = {"np": np, "x": x, "v": v}
        exec(code, scope)  # the suggestion, written as it stands
        got = [scope["x"].data] if type(scope["x"]) is Value else [e.data for e in scope["x"].ravel()]
        assert got == [eval(f"a {symbol} 0.5") for a in before], str(info.value)


def test_the_loop_suggested_for_a_list_and_a_value_gives_the_op_that_was_written():
    # v + [1, 2], [1, 2] - v and the like were all told "loop over them, [x * v for x in xs]", a product; and
    # Value.sum([v, [1.0]]) or a Neuron's input x[0] = [1.0], which are no op of two operands, got that loop too
    xs, v = [1.0, -2.0, 0.5], Value(3.0)
    cases = ((lambda: v + xs, [x + 3.0 for x in xs]), (lambda: xs - v, [x - 3.0 for x in xs]),
             (lambda: v - tuple(xs), [3.0 - x for x in xs]), (lambda: xs / v, [x / 3.0 for x in xs]),
             (lambda: v ** xs, [3.0 ** x for x in xs]), (lambda: v * xs, [3.0 * x for x in xs]))
    for combine, want in cases:
        with pytest.raises(TypeError) as info:
            combine()
        loop = re.search(r"loop over them, (\[.+? for x in xs\])", str(info.value)).group(1)
        got = eval(loop, {"xs": xs, "v": v})  # the suggestion, written as it stands
        assert [w.data for w in got] == pytest.approx(want), str(info.value)
    from tinygrad_init import scalar_nn
    for call in (lambda: Value.sum([v, [1.0]]), lambda: scalar_nn.Neuron(2)([[1.0], 2.0])):
        with pytest.raises(TypeError, match=r"expected a plain number, got list \[1\.0\]") as info:
            call()
        assert "for x in xs" not in str(info.value)
