"""Answers students write, graded as a student grades them (`exercises.grade`, in a worker): a right answer in
another style than the reference passes, a usual mistake fails with a message that leads to it, and a careless file
gets a plain verdict."""

from __future__ import annotations

import ast
import re
import warnings

import pytest

from tinygrad_init import exercises
from tinygrad_init.exercises import catalog, grader, kit

from tests.exercises.test_grader import solution, write


def grade(folder, name: str, source: str) -> exercises.Result:
    write(folder, name, source)
    (result,) = exercises.grade(str(folder), name, timeout=20)
    return result


def test_a_numpy_nan_or_inf_returned_is_a_wrong_number_not_tampering(tmp_path):
    # np.float64 is a float whose repr is "np.float64(nan)": the wire sent that, and the grader read it as forged data.
    for value in ("np.float64('nan')", "np.float64('-inf')", "[np.float64('inf'), 1.0]"):
        result = grade(tmp_path, "tanh_backward", f"import numpy as np\ndef tanh_backward(x, upstream):\n"
                                                  f"    return {value}\n")
        assert result.status == "fail", (value, result.message)
        assert "did not ask for" not in result.message, result.message



def test_an_int_too_long_to_print_is_a_wrong_number_not_tampering(tmp_path):
    # Python prints an int of more than 4300 digits only after sys.set_int_max_str_digits(0): the worker could not send
    # 10**5000 ("returned more data than the grader accepts (... use sys.set_int_max_str_digits() ...)"), and once the
    # student had lifted that limit, as the message said, the grader could not read it: "data it did not ask for".
    for lift in ("", "import sys\nsys.set_int_max_str_digits(0)\n"):
        result = grade(tmp_path, "fans", f"{lift}def fans(shape):\n    return -10**5000, 10**5000\n")
        assert result.status == "fail" and "did not ask for" not in result.message, (lift, result.message)
        assert result.message.startswith("fans((3, 5)) returned (-inf, inf); expected (3, 5)."), result.message

@pytest.mark.parametrize("body", [
    "t = Fraction(math.tanh(x))\n    return Fraction(upstream) * (1 - t * t)",
    "t = Decimal(math.tanh(x))\n    return Decimal(upstream) * (1 - t * t)",
    "return Fraction(upstream) * (1 - Fraction(math.tanh(x)) ** 2) if abs(x) < 50 else Fraction(0)"])
def test_a_right_answer_as_a_fraction_or_a_decimal_passes(tmp_path, body):
    # Exact numbers of the standard library are numbers: the wire sent them as objects ("expected a number, got a
    # Fraction").
    result = grade(tmp_path, "tanh_backward", "import math\nfrom fractions import Fraction\nfrom decimal import "
                                              f"Decimal\ndef tanh_backward(x, upstream):\n    {body}\n")
    assert result.status == "pass", result.message


def test_a_power_rule_by_repeated_multiplication_fails_at_n_minus_1_as_a_wrong_number(tmp_path):
    # Every answer wrong at n = -1 made the check divide by n + 1 = 0 (the antiderivative's candidate): "internal".
    result = grade(tmp_path, "pow_backward", "def pow_backward(x, n, upstream):\n    r = 1.0\n"
                                             "    for _ in range(int(n) - 1):\n        r *= x\n"
                                             "    return upstream * n * r\n")
    assert result.status == "fail", result.message
    assert result.message.startswith("pow_backward(x=2, n=-1, upstream=0.3) returned -0.3; expected -0.075."), \
        result.message


def test_numbers_returned_in_a_1d_array_unpack_as_the_tuple_asked_for(tmp_path):
    # `da, db = mul_backward(...)` unpacks an array as well as a tuple or a list: the grader refused it.
    mul = grade(tmp_path, "mul_backward", "import numpy as np\ndef mul_backward(a, b, upstream):\n"
                                          "    return np.array([upstream * b, upstream * a], dtype=np.float32)\n")
    fans = grade(tmp_path, "fans", "import numpy as np\ndef fans(shape):\n    if len(shape) < 2:\n"
                                   "        raise ValueError('no fans')\n"
                                   "    return np.array(shape[:2]) * int(np.prod(shape[2:]))\n")
    assert (mul.status, fans.status) == ("pass", "pass"), (mul.message, fans.message)
    three = grade(tmp_path, "mul_backward", "import numpy as np\ndef mul_backward(a, b, upstream):\n"
                                            "    return np.array([upstream * b, upstream * a, 0.0])\n")
    assert three.status == "fail" and "got an ndarray of shape (3,)" in three.message, three.message


def test_a_tanh_table_summed_in_float32_is_told_its_dtype(tmp_path):
    # The stub's own grid, summed in float32, is off by ~4e-5 relative (1e-6 asked): the message blamed Monte Carlo
    # and Gauss-Hermite only, and pointed to the grid the student had used.
    result = grade(tmp_path, "tanh_std_table", """import numpy as np
def predict_tanh_stds(widths, weight_std, input_std=1.0):
    e2, out = np.float32(input_std ** 2), []
    for l in range(1, len(widths)):
        q = np.float32(widths[l - 1] * weight_std ** 2) * e2
        z = np.linspace(-12 * np.sqrt(q), 12 * np.sqrt(q), 2001, dtype=np.float32)
        e2 = np.sum(np.tanh(z) ** 2 * np.exp(-z ** 2 / (2 * q)) / np.sqrt(2 * np.pi * q)) * (z[1] - z[0])
        out.append(np.sqrt(e2))
    return np.array(out, dtype=np.float32)
""")
    assert (result.status, result.mistake) == ("fail", "imprecise"), result.message
    assert "Yours are float32: compute in float64" in result.message, result.message


def test_one_exercise_named_by_its_number_in_python(tmp_path):
    # grade("work", 3) and start("work", 3) raised "'int' object is not iterable", and grade("work", 0) graded every
    # exercise; the command line's `grade work 3` worked.
    assert exercises.start(str(tmp_path), 3) == ["ex03_tanh_backward.py"]
    assert [r.name for r in exercises.grade(str(tmp_path), 3, timeout=20)] == ["tanh_backward"]
    with pytest.raises(ValueError, match="unknown exercise 0"):
        exercises.grade(str(tmp_path), 0)


def test_a_jacobian_in_an_object_array_is_a_wrong_type_not_a_bug_of_the_check(tmp_path):
    # An object array travels as a description with a shape: the check took it for numbers (status "internal").
    result = grade(tmp_path, "jacobian", """import numpy as np
def input_output_jacobian(x, weights, biases):
    h, J = x, np.eye(len(x), dtype=object)
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
        J = J @ (W * (1 - h ** 2))
    return J, float(np.sum(J ** 2) / min(J.shape))
""")
    assert result.status == "fail", result.message
    assert "J: expected an ndarray of shape (6, 6) of real numbers, got an ndarray of shape (6, 6) and dtype object." \
        in result.message, result.message


@pytest.mark.parametrize("name", ["linear_backward", "softmax_ce_backward", "central_difference", "jacobian"])
def test_right_numbers_in_a_complex_array_are_told_their_dtype_with_no_warning_of_the_grader(tmp_path, name):
    # A complex128 array (the complex step's, or np.exp of a complex) of the right numbers: ex09 said "your gradient
    # contains nan or inf (rows [])" with the hint of a maximum taken over the whole array, and the grader itself
    # printed numpy's ComplexWarning on the terminal (max_error cast the answer to float64) in ex08, ex09, ex10, ex21.
    function = catalog.get(name).function
    source = solution(name) + f"\n\n_right = {function}\n\n\ndef {function}(*args):\n    out = _right(*args)\n" \
        "    as_complex = lambda o: np.asarray(o, complex)  # noqa: E731\n" \
        "    return tuple(map(as_complex, out)) if isinstance(out, tuple) else as_complex(out)\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = grade(tmp_path, name, source)
    assert result.status == "fail" and "of real numbers, got dtype complex128." in result.message, result.message
    assert "nan" not in result.message and result.mistake is None, result.message


def test_a_variance_map_iterated_five_times_is_told_to_iterate_until_q_settles(tmp_path):
    # Five steps of the map leave q* 3.6% off (0.4333 for 0.4180): the generic message restated the formula the
    # student had used, while the hint for imprecise numbers names the missing convergence.
    result = grade(tmp_path, "edge_of_chaos", """import numpy as np
t, w = np.polynomial.hermite_e.hermegauss(101)
w = w / np.sqrt(2 * np.pi)
def q_star(sw, sb):
    q = 1.0
    for _ in range(5):
        q = sw * np.sum(w * np.tanh(np.sqrt(q) * t) ** 2) + sb
    return q
def chi(sw, sb):
    return sw * np.sum(w * (1 - np.tanh(np.sqrt(q_star(sw, sb)) * t) ** 2) ** 2)
def edge_of_chaos(sigma_w2, sigma_b2):
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-11:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if chi(mid, sigma_b2) < 1 else (lo, mid)
    return q_star(sigma_w2, sigma_b2), chi(sigma_w2, sigma_b2), (lo + hi) / 2
""")
    assert (result.status, result.mistake) == ("fail", "imprecise"), result.message
    assert "iterate the map until q stops changing" in result.message, result.message


def test_work_saved_under_another_name_is_named_in_the_report(tmp_path):
    # A solution saved as ex01.py or ex02_pow_backward.py.txt was reported "not started ... Start it with", as if there
    # were nothing, and starting again gives a blank file beside it.
    (tmp_path / "ex01.py").write_text("def mul_backward(a, b, upstream):\n    return upstream * b, upstream * a\n")
    (tmp_path / "ex02_pow_backward.py.txt").write_text("")
    report = " ".join(grader.format_report(exercises.grade(str(tmp_path), ["ex01", "ex02", "ex03"]),
                                           str(tmp_path)).split())  # the lines joined
    assert "does not exist, but ex01.py does: the grader reads ex01_mul_backward.py only" in report, report
    assert "but ex02_pow_backward.py.txt does" in report, report
    assert "ex03_tanh_backward.py does not exist. Start it with" in report, report


def test_starting_again_in_python_says_what_exists_and_what_to_do(tmp_path):
    # exercises.start on a folder that has the files raised FileExistsError(['ex01_mul_backward.py']): a list, no words.
    exercises.start(str(tmp_path), "ex01")
    refused = r"ex01_mul_backward.py already in .*nothing was copied.*force=True"
    with pytest.raises(FileExistsError, match=refused) as exc:
        exercises.start(str(tmp_path), ["ex01", "ex02"])
    assert exc.value.files == ["ex01_mul_backward.py"]
    assert not (tmp_path / "ex02_pow_backward.py").exists()


IN_PLACE = {"softmax_ce_backward": "import numpy as np\ndef softmax_cross_entropy_backward(logits, targets):\n"
                                   "    logits -= logits.max(axis=1, keepdims=True)\n    p = np.exp(logits)\n"
                                   "    p /= p.sum(axis=1, keepdims=True)\n    p[np.arange(len(p)), targets] -= 1\n"
                                   "    return p / len(p)\n",
            "batchnorm": "import numpy as np\ndef batchnorm(x, gamma, beta, g, eps=1e-5):\n    x -= x.mean(axis=0)\n"
                         "    std = np.sqrt((x * x).mean(axis=0) + eps)\n    x /= std\n    dxh = g * gamma\n"
                         "    dx = (dxh - dxh.mean(0) - x * (dxh * x).mean(0)) / std\n"
                         "    return gamma * x + beta, dx, (g * x).sum(0), g.sum(0)\n"}


@pytest.mark.parametrize("name", ["accumulate_grads", "unbroadcast", "linear_backward", "softmax_ce_backward",
                                  "relu_std", "symmetry", "tanh_std_table", "sigmoid_gradients", "batchnorm",
                                  "update_data", "jacobian", "verdict"])
def test_a_statement_whose_function_takes_arrays_or_lists_says_not_to_change_them(tmp_path, name):
    # The grader fails a right answer that changes an argument in place, as `logits -= logits.max(...)` does (ex09's
    # hint: "subtract each row's max first"); no statement said so, and the answer, right to 1e-16, failed.
    with open(catalog.get(name).stub, encoding="utf-8") as fh:
        assert "Do not change the arguments in place (write x = x - m, not x -= m)" in fh.read()
    if name in IN_PLACE:
        result = grade(tmp_path, name, IN_PLACE[name])
        assert result.status == "fail" and "changed its argument 1 in place" in result.message, result.message


def test_a_wrong_answer_that_changed_an_argument_in_place_is_told_so_too(tmp_path):
    # `g *= gamma` in ex18 changed the caller's g, so dgamma and dbeta came out wrong; the message said "dgamma and
    # dbeta wrong ... dgamma = (g * x_hat).sum(axis=0)", what the code says, and never that g had been changed
    result = grade(tmp_path, "batchnorm", "import numpy as np\ndef batchnorm(x, gamma, beta, g, eps=1e-5):\n"
                   "    mu, std = x.mean(axis=0), np.sqrt(x.var(axis=0) + eps)\n    xhat = (x - mu) / std\n"
                   "    g *= gamma\n    dxh = g\n    dx = (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0)) / std\n"
                   "    return gamma * xhat + beta, dx, (g * xhat).sum(0), g.sum(0)\n")
    assert result.status == "fail" and "\nand: batchnorm(" in result.message, result.message
    assert "changed its argument 4 in place" in result.message, result.message


@pytest.mark.parametrize("test", ["not any(act_std)", "max(act_std) < 1e-12", "all(s == 0 for s in act_std)"])
def test_symmetric_tested_on_every_layer_instead_of_layer_1_fails(tmp_path, test):
    # Every "symmetric" case zeroed all of act_std, so a rule that asked for every layer at 0 passed; the statement's
    # rule is act_std[0] == 0 (a zero layer 1 under random layers above it has stds of 0 at layer 1 only).
    result = grade(tmp_path, "verdict", f"""def verdict(act_std, grad_std, fraction, activation):
    if {test}:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    return "vanishes" if min(a, g) < 0.1 else "explodes" if max(a, g) > 10 else "holds"
""")
    assert result.status == "fail", result.message
    assert "act_std=[0, " in result.message and "expected 'symmetric'" in result.message, result.message


@pytest.mark.parametrize("ret", ["y, dx, dbeta, dgamma", "y, dx, (g * xh).mean(0), g.mean(0)"])
def test_a_batchnorm_wrong_only_in_dgamma_and_dbeta_is_told_their_formulas(tmp_path, ret):
    # The message's formulas were those of y and dx only, whatever was wrong: dgamma and dbeta returned in the wrong
    # order got "dgamma and dbeta wrong ... dx = gamma / std * (...)".
    result = grade(tmp_path, "batchnorm", f"""import numpy as np
def batchnorm(x, gamma, beta, g, eps=1e-5):
    std = np.sqrt(x.var(0) + eps)
    xh = (x - x.mean(0)) / std
    y, dxh = gamma * xh + beta, g * gamma
    dx = (dxh - dxh.mean(0) - xh * (dxh * xh).mean(0)) / std
    dgamma, dbeta = (g * xh).sum(0), g.sum(0)
    return {ret}
""")
    assert result.status == "fail", result.message
    assert "dgamma and dbeta wrong" in result.message, result.message
    assert "dgamma = (g * x_hat).sum(axis=0); dbeta = g.sum(axis=0)" in result.message, result.message
    assert "dx = gamma / std" not in result.message, result.message


def test_a_batchnorm_that_gives_inf_at_eps_0_is_told_so_without_the_scale_invariance_hint_or_a_grader_warning(tmp_path):
    # eps multiplied where it is added: at eps = 0 (the scale test) every std is 0 and y is inf. The message named the
    # inf, then gave the hint "batch norm divides by the batch's own std ... Yours does not", and the grader's own
    # h.T @ dx printed numpy's "invalid value encountered in matmul" on the terminal.
    source = solution("batchnorm").replace("np.sqrt(x.var(axis=0) + eps)", "np.sqrt(x.var(axis=0) * eps)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = grade(tmp_path, "batchnorm", source)
    assert (result.status, result.mistake) == ("fail", None), result.message
    assert "y changed, non-finite value (nan or inf) at index" in result.message, result.message


def test_the_summary_counts_stubs_still_to_write_apart_from_failures(tmp_path):
    # A student who had written ex01 right and ex03 wrong, the 20 other stubs as started, read "1 passed, 21 failed".
    exercises.start(str(tmp_path))
    write(tmp_path, "mul_backward", "def mul_backward(a, b, upstream):\n    return upstream * b, upstream * a\n")
    write(tmp_path, "tanh_backward", "import math\ndef tanh_backward(x, upstream):\n"
                                     "    return upstream * (1 - math.tanh(x))\n")
    (tmp_path / "ex22_verdict.py").unlink()
    results = exercises.grade(str(tmp_path), timeout=20)
    assert grader.summary_line(results) == f"1 passed, 1 failed, {len(catalog.EXERCISES) - 3} not implemented yet, " \
                                           "1 not started"


@pytest.mark.parametrize("typo,meant", [("tanh_backwrd", "ex03 (tanh_backward)"), ("verdcit", "ex22 (verdict)"),
                                        ("sigmoid", "ex04 (sigmoid_backward) or ex17 (sigmoid_gradients)"),
                                        ("batch_norm", "ex18 (batchnorm)")])
def test_a_misspelt_exercise_name_is_answered_with_the_names_it_is_close_to(tmp_path, typo, meant, capsys):
    # `grade work tanh_backwrd` listed all 22 exercises on one line, and left the student to find the one meant.
    with pytest.raises(ValueError, match=f"unknown exercise '{typo}'. Did you mean {re.escape(meant)}\\? Known"):
        exercises.grade(str(tmp_path), typo)
    assert grader.main(["grade", str(tmp_path), typo]) == 2
    assert f"Did you mean {meant}?" in capsys.readouterr().err


def test_a_misspelt_folder_is_answered_with_the_folder_it_is_close_to(tmp_path, capsys):
    # `grade wrk` beside a folder work said only "Create it with ... start wrk": a second, empty folder of the typo.
    exercises.start(str(tmp_path / "work"), "ex01")
    assert grader.main(["grade", str(tmp_path / "wrk"), "ex01"]) == 2
    assert f"there is no folder {tmp_path / 'wrk'} (did you mean {tmp_path / 'work'}?)" in capsys.readouterr().err
    assert grader.main(["grade", str(tmp_path / "elsewhere")]) == 2
    assert "did you mean" not in capsys.readouterr().err


def test_a_numerical_gradient_kept_in_an_int_array_is_told_its_dtype(tmp_path):
    # g = np.zeros(x.shape, dtype=int) cut 2.85 to 2: the message compared with the exact gradient and restated the
    # formula, with no word on the dtype (float32 had one).
    result = grade(tmp_path, "central_difference", """import numpy as np
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape, dtype=int)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        a = f(x)
        x[i] = old - h
        b = f(x)
        x[i] = old
        g[i] = (a - b) / (2 * h)
    return g
""")
    assert result.status == "fail" and "Your gradient is int64, which cuts every entry" in result.message, \
        result.message


def test_a_tanh_table_on_a_grid_that_does_not_scale_with_q_is_told_so(tmp_path):
    # z = np.linspace(-12, 12, 2001) for every q: the deep layers' tiny q fall between the points (0, then nan), and
    # the message restated the recursion, which was right.
    result = grade(tmp_path, "tanh_std_table", """import numpy as np
def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, stds = input_std ** 2, []
    z = np.linspace(-12, 12, 2001)
    for fan_in in widths[:-1]:
        q = fan_in * weight_std ** 2 * second
        second = np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q)) / np.sqrt(2 * np.pi * q)) * (z[1] - z[0])
        stds.append(np.sqrt(second))
    return np.array(stds)
""")
    assert result.status == "fail" and "a grid that does not scale with s = sqrt(q)" in result.message, result.message


@pytest.mark.parametrize("last", ["return -np.array(stds)", "return np.full(len(stds), np.inf)"])
def test_a_tanh_table_of_negative_or_infinite_stds_is_not_told_of_zeros_or_nan(tmp_path, last):
    # Stds below 0 (a sign) or inf (an overflow) were told 'Some of yours are 0 or nan' and blamed on the grid.
    result = grade(tmp_path, "tanh_std_table", f"""import numpy as np
def predict_tanh_stds(widths, weight_std, input_std=1.0):
    second, stds = input_std ** 2, []
    for fan_in in widths[:-1]:
        q = fan_in * weight_std ** 2 * second
        s = np.sqrt(q)
        z = np.linspace(-12 * s, 12 * s, 2001)
        second = np.sum(np.tanh(z) ** 2 * np.exp(-z * z / (2 * q)) / np.sqrt(2 * np.pi * q)) * (z[1] - z[0])
        stds.append(np.sqrt(second))
    {last}
""")
    assert result.status == "fail" and "0 or nan" not in result.message and "grid" not in result.message, \
        result.message


def test_a_recursive_helper_the_walk_never_calls_is_not_refused_as_recursion(tmp_path):
    # A file with a recursive print of the graph, left from debugging and never called by topological_order, was
    # refused ("your function `show` calls itself"), though the walk itself uses an explicit stack.
    helper = "def show(node, depth=0):\n    print('  ' * depth + node.label)\n    for p in node._parents:\n" \
             "        show(p, depth + 1)\n\n\n"
    walk = """def topological_order(root):
    order, expanded, done, stack = [], set(), set(), [root]
    while stack:
        node = stack.pop()
        if node in done:
            continue
        if node in expanded:
            done.add(node)
            order.append(node)
            continue
        expanded.add(node)
        stack.append(node)
        stack.extend(p for p in node._parents if p not in done)
    return order
"""
    assert grade(tmp_path, "topological_order", helper + walk).status == "pass"
    called = grade(tmp_path, "topological_order", helper + walk.replace("    order, expanded", "    show(root)\n"
                                                                        "    order, expanded"))
    assert (called.status, called.mistake) == ("fail", "recursive"), called.message
    assert "your function `show` calls itself" in called.message, called.message


_NOT_RUN = ("at its top level (yours is in a class, a def or a block the grader does not run, such as "
            "if __name__ == '__main__':)")


@pytest.mark.parametrize("source,said", [
    ("import math\ndef tanh_backwards(x, upstream):\n    return upstream * (1 - math.tanh(x) ** 2)\n",
     "(it has `tanh_backwards`)"),
    ("import math\nclass Tanh:\n    def tanh_backward(self, x, upstream):\n"
     "        return upstream * (1 - math.tanh(x) ** 2)\n", _NOT_RUN),
    ("import math\nif __name__ == '__main__':\n    def tanh_backward(x, upstream):\n"
     "        return upstream * (1 - math.tanh(x) ** 2)\n", _NOT_RUN)])
def test_a_function_misnamed_or_written_as_a_method_is_told_where_it_is(tmp_path, source, said):
    # Each got "your file defines no function `tanh_backward`", with no word on the def the student had written; a
    # def under if __name__ == '__main__': was then told it was 'in a class or a def'.
    result = grade(tmp_path, "tanh_backward", source)
    assert result.status == "fail" and f"your file defines no function `tanh_backward` {said}." in result.message, \
        result.message
    assert "start DIR ex03 --force" in result.message, result.message


def test_a_verdict_that_returns_nothing_is_asked_whether_return_was_forgotten(tmp_path):
    # Every other exercise asks "did you forget `return`?" of a None; the verdict only listed the six words.
    result = grade(tmp_path, "verdict", "def verdict(act_std, grad_std, fraction, activation):\n"
                                        "    word = 'holds'\n")
    assert result.status == "fail" and result.message.endswith("(did you forget `return`?)."), result.message


def test_a_breakpoint_left_in_the_code_does_not_stop_the_grading(tmp_path):
    # The worker has no terminal: a breakpoint() left in a right answer started pdb on the null device, which quit at
    # once, and the result was "your code raised BdbQuit".
    result = grade(tmp_path, "pow_backward", "def pow_backward(x, n, upstream):\n    breakpoint()\n"
                                             "    return upstream * n * x ** (n - 1)\n")
    assert result.passed, result.message


@pytest.mark.parametrize("module, source", [("code", "import code\nmul_backward = code.mb\n"),
                                            ("test", "from test import mb as mul_backward\n")])
def test_a_module_of_ones_own_named_like_pythons_is_told_it_is_not_the_one_imported(tmp_path, module, source):
    # code.py or test.py beside the file works when the student runs it (their folder first on the path); the grader
    # puts the folder last and imports Python's: "module 'code' has no attribute 'mb'" alone left the student puzzled.
    (tmp_path / f"{module}.py").write_text("def mb(a, b, upstream):\n    return upstream * b, upstream * a\n")
    result = grade(tmp_path, "mul_backward", source)
    assert result.status == "error" and f"Your {module}.py is not what `import {module}` gives" in result.message, \
        result.message
    assert f"Rename it (e.g. my_{module})." in result.message


def test_a_typo_in_ones_own_module_is_not_blamed_on_a_module_named_alike(tmp_path):
    (tmp_path / "helpers.py").write_text("def mb(a, b, upstream):\n    return upstream * b, upstream * a\n")
    for source in ("import helpers\nmul_backward = helpers.mbb\n", "from helpers import mbb as mul_backward\n"):
        result = grade(tmp_path, "mul_backward", source)
        assert result.status == "error" and "helpers" in result.message and "Rename" not in result.message, \
            result.message


def test_a_right_answer_checked_against_torch_or_the_engine_under_a_main_guard_passes(tmp_path):
    # The block a student runs by hand (`python ex01_mul_backward.py`) never runs under the grader, yet an import of
    # torch or tinygrad_init there failed a right answer with "write it yourself: ... may not use `torch` (line 9)".
    check = ("\n\nif __name__ == \"__main__\":\n    import torch\n    from tinygrad_init import Value\n"
             "    a = torch.tensor(3.0, requires_grad=True)\n    (a * 2.0).backward()\n"
             "    print(a.grad, mul_backward(3.0, 2.0, 1.0), Value(3.0))\n")
    result = grade(tmp_path, "mul_backward", solution("mul_backward") + check)
    assert result.passed, result.message


def test_an_import_for_type_hints_alone_does_not_fail_a_right_answer(tmp_path):
    # `if TYPE_CHECKING:` never runs either: an import of the engine's Value there, for an annotation, failed a right
    # answer with "write it yourself: ... may not use `tinygrad_init` (Value) (line 3)". Made to run, it is refused.
    hints = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from tinygrad_init import Value\n\n\n"
    for spelt in (hints, hints.replace("from typing import TYPE_CHECKING", "import typing").replace(
            "if TYPE_CHECKING", "if typing.TYPE_CHECKING")):
        result = grade(tmp_path, "mul_backward", spelt + solution("mul_backward").replace("b: float", "b: 'Value'"))
        assert result.passed, result.message
    result = grade(tmp_path, "mul_backward", hints.replace("from typing import TYPE_CHECKING", "TYPE_CHECKING = True")
                   + solution("mul_backward"))
    assert result.mistake == "forbidden_import" and "may not use tinygrad_init" in result.message, result.message


def test_an_import_in_a_default_argument_of_a_function_nothing_calls_is_refused(tmp_path):
    # a default argument runs when the def does: `def unused(nn=__import__("tinygrad_init").nn)` loaded the engine in
    # ex15 (whose run-time hook allows tinygrad_init) while a static check skipped functions nothing names
    for name, head in (("symmetry", 'def unused(nn=__import__("tinygrad_init").nn):\n    pass\n\n\n'),
                       ("mul_backward", 'def unused(x: __import__("torch").Tensor = 0):\n    pass\n\n\n')):
        result = grade(tmp_path, name, head + solution(name))
        assert result.mistake == "forbidden_import", result.message


def test_a_parents_read_off_a_tuple_in_ex05_is_not_told_it_changed_the_graph(tmp_path):
    # the hint for a walk that sets node._parents matched any AttributeError naming '_parents', also the slip of
    # reading it off the (node, index) pair the hint itself recommends: "'tuple' object has no attribute '_parents'"
    r = grade(tmp_path, "topological_order", """
def topological_order(root):
    order, stack, seen = [], [(root, 0)], {root}
    while stack:
        top = stack[-1]
        node, i = top
        if i < len(top._parents):
            stack[-1] = (node, i + 1)
            if node._parents[i] not in seen:
                seen.add(node._parents[i])
                stack.append((node._parents[i], 0))
        else:
            order.append(stack.pop()[0])
    return order
""")
    assert not r.passed and r.mistake != "changed_graph" and "'tuple' object has no attribute '_parents'" in r.message


def test_a_recursion_limit_raised_only_under_a_main_guard_does_not_fail_an_iterative_walk(tmp_path):
    # A student compares the iterative walk with micrograd's recursive build_topo on a deep chain, by hand, under
    # `if __name__ == '__main__':` (which the grader never runs): "your file uses sys.setrecursionlimit", though the
    # walk graded had no recursion and the limit was never raised. Raised where the grader runs it, it is refused.
    guard = "\n\nif __name__ == '__main__':\n    import sys\n    sys.setrecursionlimit(20000)\n"
    assert kit.mentions(ast.parse(solution("topological_order") + guard), "setrecursionlimit") is None  # what failed it
    path = write(tmp_path, "topological_order", solution("topological_order") + guard.replace("if __name__ == '__main_"
                                                                                              "_'", "if True"))
    assert exercises.check_file("topological_order", path).mistake == "recursion_limit"


@pytest.mark.parametrize("name,draw", [("xavier_uniform", "uniform(-a, a"), ("he_normal", "normal(0.0, a")])
def test_a_type_error_on_a_line_with_a_variable_named_seed_is_not_blamed_on_np_random_seed(tmp_path, name, draw):
    # `seed = np.random.default_rng(rng)` is the right way to seed; `seed.uniform(..., dtype=dtype)` then raised
    # TypeError (no dtype argument), and any TypeError on a line holding the word seed was told "np.random.seed(rng)
    # reseeds numpy's global generator": the student's seeding, which was right, not the call, which was not.
    fn = catalog.get(name).function
    path = write(tmp_path, name, f"import math\nimport numpy as np\n\ndef {fn}(shape, rng=None, dtype=np.float32):\n"
                                 "    a = math.sqrt(2.0 / (shape[0] + shape[1]))\n    seed = np.random.default_rng(rng)"
                                 f"\n    return seed.{draw}, size=shape, dtype=dtype)\n")
    result = exercises.check_file(name, path)
    assert result.mistake is None and "unexpected keyword argument 'dtype'" in result.message, result.message


def test_a_sigmoid_derivative_written_with_cosh_is_told_that_cosh_overflows_too(tmp_path):
    # sigmoid'(x) = 1 / (4 cosh(x/2)^2) is right, and overflows at x = -800 like e^-x does; the hint said only that
    # "math.exp overflows above about 709", which the student's file never calls.
    path = write(tmp_path, "sigmoid_backward", "import math\n\ndef sigmoid_backward(x, upstream):\n"
                                               "    return upstream / (4 * math.cosh(x / 2) ** 2)\n")
    result = exercises.check_file("sigmoid_backward", path)
    assert result.mistake == "overflow" and "cosh" in result.message, result.message


@pytest.mark.parametrize("name,source", [
    ("fans", "import math\nimport numpy as np\n\ndef fans(shape):\n    if len(shape) < 2:\n"
             "        raise ValueError('no fans')\n    r = math.prod(shape[2:])\n"
             "    return np.array(shape[0] * r), np.array(shape[1] * r)\n"),
    ("pow_backward", "import numpy as np\n\ndef pow_backward(x, n, upstream):\n"
                     "    return np.array(upstream * n * x ** (n - 1))\n")])
def test_a_right_answer_returned_in_zero_d_arrays_passes(tmp_path, name, source):
    # np.array(shape[0] * r) holds an int, as the items of np.array([fan_in, fan_out]) (which passes) are; it was told
    # "return the fans as ints: / gives a float (144.0) ... np.prod(()) is the float 1.0", of a file with no float.
    result = exercises.check_file(name, write(tmp_path, name, source))
    assert result.passed, result.message


WALK = """def topological_order(root):
    order, done, expanded, stack = [], set(), set(), [root]

    def visit(node):
        expanded.add(node)
        stack.append(node)
        stack.extend(p for p in node._parents if p not in done)

    while stack:
        node = stack.pop()
        if node in done:
            continue
        if node in expanded:
            done.add(node)
            order.append(node)
        else:
            visit(node)
    return order
"""


def test_a_walk_returning_wrappers_of_its_own_class_node_is_told_to_return_the_nodes_not_of_state_kept(tmp_path):
    # Any object of a type named Node that is not one of the graph's was taken for a node of an earlier call's graph:
    # a walk that returned its own `class Node` wrappers was told, at the first call, of a set kept between calls.
    result = grade(tmp_path, "topological_order", """class Node:
    def __init__(self, node):
        self.node = node


def topological_order(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        n, done = stack.pop()
        if done:
            order.append(Node(n))
        elif id(n) not in seen:
            seen.add(id(n))
            stack += [(n, True)] + [(p, False) for p in n._parents]
    return order
""")
    assert (result.status, result.mistake) == ("fail", None), result.message
    assert "your list contains a Node, which is not a node of the graph. Return the node objects themselves." \
        in result.message and "hint" not in result.message, result.message


def test_an_iterative_walk_is_not_refused_for_a_recursive_function_elsewhere_of_the_same_name(tmp_path):
    # The look at the code knew functions by name alone: the walk's own helper `visit`, which pushes onto a stack, was
    # taken for the recursive `visit` nested in a debugging printer after it, and a right answer was refused: "your
    # function `visit` calls itself". The printer's own recursion is still seen where the walk calls it.
    show = ("\n\ndef show(root):\n    def visit(node, depth):\n        print('  ' * depth + node.label)\n"
            "        for p in node._parents:\n            visit(p, depth + 1)\n    visit(root, 0)\n")
    assert kit.recursive_functions(ast.parse(WALK + show), "topological_order") == []  # what failed it
    called = WALK.replace("    return order", "    show(root)\n    return order")
    result = exercises.check_file("topological_order", write(tmp_path, "topological_order", called + show))
    assert result.mistake == "recursive" and "your function `visit` calls itself" in result.message, result.message
