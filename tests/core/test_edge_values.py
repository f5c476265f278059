"""The tensor engine at the edges of floating point, against PyTorch: overflow, poles, 0/0, nan, float16.

Skipped when torch is not installed -- except under CI=true, where torch must be present.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from conftest import torch_module

torch = torch_module()  # fails under CI=true where torch is missing, skips elsewhere

from tinygrad_init import Tensor, no_grad  # noqa: E402

pytestmark = pytest.mark.torch
INF, NAN = math.inf, math.nan


def _same(ours: np.ndarray, theirs, rtol: float = 1e-12) -> bool:
    """Equal values (inf and nan alike) within rtol, of the same dtype."""
    theirs = theirs.detach().numpy()
    with np.errstate(all="ignore"):
        close = np.isclose(ours.astype(np.float64), theirs.astype(np.float64), rtol=rtol, atol=0, equal_nan=True)
    return ours.dtype == theirs.dtype and ours.shape == theirs.shape and bool(close.all())


# Each: the op in both engines, its inputs. Every one makes inf or nan from finite numbers (or reads them).
QUIET = {
    "exp overflow": (lambda x: x.exp(), [[1000.0, 710.0, -1000.0]]),
    "exp of inf": (lambda x: x.exp(), [[INF, -INF, NAN]]),
    "log at 0 and below": (lambda x: x.log(), [[0.0, -0.0, -1.0, -INF, 1e-310]]),
    "x / 0 and 0 / 0": (lambda a, b: a / b, [[1.0, -1.0, 0.0, INF], [0.0, 0.0, 0.0, INF]]),
    "0 ** negative, negative ** fraction": (lambda a, b: a ** b, [[0.0, -0.0, -8.0, 10.0], [-1.0, -3.0, 0.5, 400.0]]),
    "softmax of a row of -inf": (lambda x: x.softmax(-1), [[[-INF, -INF], [1.0, -INF]]]),
    "log_softmax with inf": (lambda x: x.log_softmax(-1), [[[INF, 1.0], [-INF, -INF]]]),
}


@pytest.mark.parametrize("name", QUIET)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_ops_that_overflow_or_leave_their_domain_give_inf_and_nan_as_pytorch_does_without_numpys_warnings(name, dtype):
    # numpy said "RuntimeWarning: overflow encountered in exp" (and "divide by zero", "invalid value" for log, /, **,
    # softmax) from inside tinygrad_init/core/ops.py, forward and backward; PyTorch gives the same inf and nan silently
    f, args = QUIET[name]
    ours = [Tensor(np.array(a, dtype), requires_grad=True) for a in args]
    theirs = [torch.tensor(np.array(a, dtype), requires_grad=True) for a in args]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = f(*ours)
        g = np.full(y.shape, 1.5, dtype)
        y.backward(g)
    ty = f(*theirs)
    ty.backward(torch.from_numpy(g))
    rtol = 1e-3 if dtype == np.float16 else 1e-6 if dtype == np.float32 else 1e-12
    assert _same(y.data, ty, rtol), (y.data, ty)
    for a, t in zip(ours, theirs):
        assert _same(a.grad, t.grad, rtol), (a.grad, t.grad)


def test_a_float16_sum_or_product_beyond_65504_is_inf_without_a_warning_as_in_pytorch():
    # the float32 result rounded to float16 said "RuntimeWarning: overflow encountered in cast"
    h = np.ones(70000, np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = Tensor(h, requires_grad=True).sum()
        p = Tensor(h[:3]) * 1e5
    assert s.data == torch.from_numpy(h).sum().item() == INF
    np.testing.assert_array_equal(p.data, (torch.from_numpy(h[:3]) * 1e5).numpy())


def test_a_backward_pass_through_a_pole_gives_pytorchs_inf_without_a_warning():
    a = np.array([0.0, 1e-310, 2.0])
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x.log() * 2.0).sum().backward()  # 1/x overflows at 1e-310 and is a pole at 0
    (t.log() * 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())


@pytest.mark.parametrize("op", ["sigmoid", "softplus", "softmax", "log_softmax"])
def test_float16_activations_are_computed_in_float32_and_rounded_once_as_in_pytorch(op):
    # rounded to float16 step by step, softmax was up to 7.2 ulps from the exact result, sigmoid 2.1, softplus 1.3,
    # log_softmax 0.9; PyTorch computes float16 in float32 and rounds once (0.5 ulp), and so does the engine now
    a = (np.random.default_rng(0).standard_normal((4, 3000)) * 3).astype(np.float16)
    f = {"softplus": torch.nn.functional.softplus, "softmax": lambda t: t.softmax(-1),
         "log_softmax": lambda t: t.log_softmax(-1), "sigmoid": torch.sigmoid}[op]
    x = Tensor(a, requires_grad=True)
    y = getattr(x, op)()
    exact = f(torch.from_numpy(a.astype(np.float64))).numpy()
    with np.errstate(all="ignore"):
        ulps = np.abs(y.data.astype(np.float64) - exact) / np.spacing(np.abs(exact).astype(np.float16)).astype(float)
    assert y.dtype == np.float16 and ulps.max() <= 0.5 + 1e-3, ulps.max()
    g = np.random.default_rng(1).standard_normal(a.shape).astype(np.float16)
    y.backward(g)
    assert x.grad.dtype == np.float16


@pytest.mark.parametrize("op", ["sum", "mean"])
def test_a_sum_or_mean_of_inf_and_minus_inf_is_nan_without_a_warning_as_in_pytorch(op):
    # numpy said "RuntimeWarning: invalid value encountered in reduce"
    a = np.array([[INF, -INF, 1.0], [INF, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = [getattr(Tensor(a), op)(axis=axis).data for axis in (None, 1)]
    for got, axis in zip(ours, (None, 1)):
        want = getattr(torch.from_numpy(a), op)(*(() if axis is None else (axis,))).numpy()
        np.testing.assert_array_equal(got, want)


def test_a_float16_sigmoid_has_pytorchs_slope_0_where_it_rounds_to_1():
    # computed in float32, the slope came from the unrounded result: 4.5e-5 at x = 10, where the float16 result is 1
    # and PyTorch's slope, from the result it holds, is 0; softmax's backward likewise reads the rounded result
    x, t = Tensor(np.array([10.0, 12.0, -3.0], np.float16), requires_grad=True), torch.tensor(
        [10.0, 12.0, -3.0], dtype=torch.float16, requires_grad=True)
    x.sigmoid().backward(np.ones(3, np.float16))
    t.sigmoid().backward(torch.ones(3, dtype=torch.float16))
    assert x.grad[0] == x.grad[1] == 0 and _same(x.grad, t.grad, 1e-3)
    a = (np.random.default_rng(2).standard_normal((3, 500)) * 6).astype(np.float16)
    g = np.random.default_rng(3).standard_normal(a.shape).astype(np.float16)
    s, ts = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    s.softmax(-1).backward(g)
    ts.softmax(-1).backward(torch.from_numpy(g))
    np.testing.assert_array_equal(s.grad, ts.grad.numpy())


@pytest.mark.parametrize("exponent", [-1, [-1, 1, 2], -3])
def test_an_unsigned_tensor_to_a_negative_integer_power_is_refused_as_in_pytorch(exponent):
    # the exponent took the tensor's dtype first: uint8 ** -1 was uint8 ** 255, silently [1, 0, 0] for [1, 2, 3];
    # PyTorch (and numpy, for signed integers) refuses integers to negative integer powers
    a = np.array([1, 2, 3], np.uint8)
    if isinstance(exponent, int):  # (PyTorch takes no list)
        with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
            torch.from_numpy(a) ** exponent
    with pytest.raises(ValueError, match=r"^pow: Integers to negative integer powers are not allowed .* dtype uint8"):
        Tensor(a, dtype=np.uint8) ** exponent
    assert ((-2) ** Tensor(a, dtype=np.uint8)).data.tolist() == ((-2) ** torch.from_numpy(a)).tolist()  # a base: wraps


@pytest.mark.parametrize("dtype, exponent", [(np.uint8, 300), (np.int8, 200), (np.int32, 2**40), (np.int64, 2**63)])
def test_an_integer_exponent_beyond_the_tensors_dtype_is_refused_as_in_pytorch(dtype, exponent):
    # it took the tensor's dtype first: uint8 ** 300 was ** 44 (3 ** 300 silently 3 ** 44 mod 256), int32 ** 2**40 was
    # ** 0 (all ones), int8 ** 200 was ** -56 ("integers to negative integer powers are not allowed")
    a = np.array([1, 2, 3], dtype)
    with pytest.raises(RuntimeError, match="without overflow"):
        torch.from_numpy(a) ** exponent
    with pytest.raises(ValueError, match=rf"^pow: the exponent {exponent} does not fit the tensor's dtype "
                                         rf"{np.dtype(dtype).name} \(-?\d+ to \d+\); convert it first"):
        Tensor(a, dtype=dtype) ** exponent
    assert (Tensor(a, dtype=dtype) ** 2).data.tolist() == (torch.from_numpy(a) ** 2).tolist()
    if np.dtype(dtype).kind == "i":  # a negative exponent in the dtype's range or beyond it: said one way
        said = set()
        for negative in (-1, -exponent):
            with pytest.raises(ValueError) as info:
                Tensor(a, dtype=dtype) ** negative
            said.add(str(info.value))
        assert all(m.startswith("pow: Integers to negative integer powers are not allowed") and m.endswith(
            ". Convert to floats first: Tensor(t, dtype=np.float32)") for m in said), said


def test_a_number_beyond_a_float_dtype_is_inf_without_a_warning_as_in_pytorch():
    # numpy said "RuntimeWarning: overflow encountered in cast" (and "invalid value" before refusing nan as an int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big, half = Tensor([1e39, -1e39]), Tensor(np.array([1e5, 2.0]), dtype=np.float16)
        with pytest.raises(ValueError, match="does not fit dtype int64"):
            Tensor([NAN], dtype=np.int64)
    assert _same(big.data, torch.tensor([1e39, -1e39])) and _same(half.data, torch.tensor([1e5, 2.0], dtype=torch.half))


def test_dividing_a_parameter_in_place_by_zero_gives_inf_and_nan_without_a_warning_as_out_of_place():
    # p /= 0 said numpy's "RuntimeWarning: divide by zero encountered in divide" where p / 0 is quiet, as PyTorch's
    p, theirs = Tensor([1.0, 0.0, -2.0], requires_grad=True), torch.tensor([1.0, 0.0, -2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with no_grad():
            p /= 0.0
    theirs /= 0.0
    assert _same(p.data, theirs)


def test_a_seed_or_a_grad_beyond_the_tensors_dtype_is_inf_without_a_warning_as_in_pytorch():
    # y.backward(g) and t.grad = g cast a float64 g to a float16 or float32 tensor's dtype with numpy's "RuntimeWarning:
    # overflow encountered in cast" (PyTorch casts the seed quietly; the casts within backward were quiet already)
    x = Tensor(np.ones(2, np.float16), requires_grad=True)
    w = Tensor(np.ones(2, np.float32), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x * 2).backward(np.array([1e5, 1.0]))
        x.backward(np.array([-1e5, 1.0]))  # a leaf as the root: its seed copied
        w.grad = np.array([1e300, 1.0])
    assert x.grad.dtype == np.float16 and np.isnan(x.grad[0]) and x.grad[1] == 3.0  # inf + -inf
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [np.inf, 1.0]
    t = torch.ones(2, dtype=torch.half, requires_grad=True)
    (t * 2).backward(torch.tensor([1e5, 1.0], dtype=torch.float64))
    assert t.grad.tolist() == [np.inf, 2.0]


@pytest.mark.parametrize("exponent", [-1, np.array([-1, 3], np.int32), Tensor([-1, 3], dtype=np.int32)])
def test_a_signed_integer_tensor_to_a_negative_integer_power_says_what_to_do(exponent):
    # numpy's words alone, "pow: Integers to negative integer powers are not allowed.", said nothing of a way out
    with pytest.raises(ValueError, match=r"^pow: Integers to negative .*Tensor\(t, dtype=np.float32\)"):
        Tensor([2, 3], dtype=np.int32) ** exponent
    with pytest.raises(ValueError, match=r"^pow: Integers to negative .*Tensor\(t, dtype=np.float32\)"):
        2 ** Tensor([-1, 3], dtype=np.int64)


def test_a_float16_tanhs_gradient_is_computed_in_float32_and_rounded_once_as_in_pytorch():
    # 1 - tanh**2 in float16 arithmetic cancels where tanh is near +-1: the gradient was up to 16 ulps (1.7 on average)
    # from g * (1 - y**2) computed exactly from the float16 result y that both engines hold; PyTorch's is 0.5
    a = (np.random.default_rng(0).standard_normal(20000) * 2).astype(np.float16)
    g = np.random.default_rng(1).standard_normal(a.shape).astype(np.float16)
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y = x.tanh()
    y.backward(g)
    t.tanh().backward(torch.from_numpy(g))
    exact = g.astype(np.float64) * (1 - y.data.astype(np.float64) ** 2)
    ulps = np.abs(x.grad.astype(np.float64) - exact) / np.spacing(np.abs(exact).astype(np.float16)).astype(float)
    assert x.grad.dtype == np.float16 and ulps.max() <= 0.5 + 1e-3, ulps.max()
    assert _same(y.data, t.tanh()) and np.mean(x.grad != t.grad.numpy()) < 1e-3


def test_a_number_beyond_float16_with_a_float16_tensor_is_inf_without_a_warning_as_in_pytorch():
    # The number took the tensor's dtype with numpy's "RuntimeWarning: overflow encountered in cast"
    h, th = Tensor(np.float16(1.0)), torch.tensor(1.0, dtype=torch.half)  # each result beyond 65504: inf
    v = Tensor(np.ones(2, np.float16))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [h + 1e5, h * 1e5, 1e5 - h, v + [1e5, 1.0]]
    for g, want in zip(got, [th + 1e5, th * 1e5, 1e5 - th, torch.tensor([np.inf, 2.0], dtype=torch.half)]):
        assert _same(g.data, want)


@pytest.mark.parametrize("data", [10**20, [3, 2**64], [[-(2**70)]]])
def test_an_integer_beyond_int64_is_refused_with_what_to_write_as_an_operand_is(data):
    # Tensor(10**20) said numpy read it as "dtype object, but tensors hold real numbers; pass a number", which it is
    with pytest.raises((RuntimeError, ValueError), match="Overflow"):  # PyTorch refuses it too
        torch.tensor(data)
    with pytest.raises(TypeError, match=r"^Tensor: cannot make a tensor of .*: an integer beyond int64: write it as a "
                                        r"float, float\(x\)$"):
        Tensor(data)
    assert Tensor(np.asarray(data, dtype=float)).data.tolist() == np.asarray(data, dtype=float).tolist()


def test_binary_cross_entropy_of_infinite_logits_with_soft_targets_is_inf_not_nan():
    # softplus(u) - u t' was inf - inf = nan at u = inf, where the loss is inf (PyTorch's too); with hard targets in the
    # batch as well, at a wrong infinite logit (PyTorch gives nan at -inf, t > 0, where the loss is inf all the same)
    from tinygrad_init import losses
    z, t = np.array([INF, INF, -INF, -INF, 2.0]), np.array([0.0, 0.3, 0.7, 1.0, 0.4])
    zt = Tensor(z, requires_grad=True)
    loss = losses.binary_cross_entropy_with_logits(zt, t, reduction="none")
    loss.sum().backward()
    z_th = torch.tensor(z, requires_grad=True)
    want = torch.nn.functional.binary_cross_entropy_with_logits(z_th, torch.from_numpy(t), reduction="none")
    want.sum().backward()
    assert _same(loss.data[:2], want[:2]) and loss.data[:4].tolist() == [INF] * 4
    assert loss.data[4] == pytest.approx(want[4].item(), rel=1e-15)
    assert _same(zt.grad, z_th.grad) and zt.grad.tolist()[:4] == [1.0, 0.7, -0.7, -1.0]


@pytest.mark.parametrize("op", ["sum", "mean"])
def test_a_float32_sum_or_mean_over_many_rows_is_as_accurate_as_pytorchs(op):
    # numpy adds along an outer axis one row after another: over 100,000 rows a float32 sum or mean was 5.9e-6 off
    # (about 50 ulps), PyTorch's 7e-8; summed in float64 from 1024 numbers per result on and rounded once
    x = np.random.default_rng(0).random((100_000, 4)).astype(np.float32)
    exact = x.astype(np.float64).sum(axis=0) / (len(x) if op == "mean" else 1)
    ours = getattr(Tensor(x), op)(axis=0).data
    theirs = getattr(torch.from_numpy(x), op)(0).numpy()
    err = lambda got: float(np.max(np.abs(got - exact) / exact))  # noqa: E731
    assert ours.dtype == theirs.dtype == np.float32 and err(ours) <= max(err(theirs), float(np.finfo(np.float32).eps))
    t = Tensor(x, requires_grad=True)
    getattr(t, op)(axis=(0, -1), keepdims=True).backward(np.ones((1, 1), np.float32))
    assert t.grad.dtype == np.float32 and t.grad[0, 0] == np.float32(1 / x.size if op == "mean" else 1)


@pytest.mark.parametrize("bias_shape, x_shape", [((4,), (100_000, 4)), ((1, 4), (100_000, 4)), ((4,), (1000, 100, 4)),
                                                 ((1, 1, 4), (1000, 100, 4))])
def test_a_float32_bias_gradient_summed_over_many_rows_is_as_accurate_as_pytorchs(bias_shape, x_shape):
    # the gradient of a broadcast operand (a bias over a batch) is summed back in one place, unbroadcast; over 100,000
    # rows that sum (in BLAS, ones @ g, or along the outer axis) was 6.4e-6 off, PyTorch's 7e-8, as the forward sum was
    g = np.random.default_rng(0).random(x_shape).astype(np.float32)
    exact = g.astype(np.float64).sum(axis=tuple(range(len(x_shape) - 1)), keepdims=True).reshape(bias_shape)
    b = Tensor(np.zeros(bias_shape, np.float32), requires_grad=True)
    (Tensor(np.zeros(x_shape, np.float32)) + b).backward(g)
    b_th = torch.zeros(bias_shape, requires_grad=True)
    (torch.zeros(x_shape) + b_th).backward(torch.from_numpy(g))
    err = lambda got: float(np.max(np.abs(got - exact) / exact))  # noqa: E731
    assert b.grad.dtype == np.float32 and err(b.grad) <= max(err(b_th.grad.numpy()), float(np.finfo(np.float32).eps))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_relu_multiplies_by_its_mask_where_pytorch_selects_as_the_module_docstring_says(dtype):
    # relu's backward is g * (x > 0), 7-15x as fast as np.where at 256 x 512: an inf or nan upstream at a unit that is
    # off gives inf * 0 = nan there, where PyTorch's select gives 0 (tensor.py's docstring, the engines page); every
    # other entry, the relu of nan and of -0.0 among them, is PyTorch's
    x = np.array([0.0, -1.0, 2.0, -0.0, NAN, -3.0], dtype)
    g = np.array([INF, NAN, 3.0, -INF, 1.0, 2.0], dtype)
    t, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    t.relu().backward(g)
    tt.relu().backward(torch.tensor(g))
    off = np.array([True, True, False, True, False, False])  # an inf or nan g at an off unit
    assert np.isnan(t.grad[off]).all() and (tt.grad.numpy()[off] == 0).all()
    assert _same(t.grad[~off], tt.grad[~off], rtol=0), (t.grad, tt.grad)
