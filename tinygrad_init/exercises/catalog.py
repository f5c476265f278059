"""The list of exercises: what each one asks, where its files live, and the hint for each known mistake.

This table is the one place that names an exercise. Everything else follows from it:

- ``stubs/<file>``      the student's starting file (a function that raises NotImplementedError);
- ``solutions/<file>``  the reference solution (may be withheld: the checks do not use it);
- ``wrong/<stem>__<mistake>.py``  known-wrong solutions, one per realistic mistake; ``<mistake>``
  is a key of :attr:`Exercise.hints`, and the test suite asserts that the check names it;
- ``checks/<stem>.py``  ``check(module)``: raises :class:`~.checks._common.CheckFailure` (an
  ``AssertionError``) whose message says what went wrong and, when the answer matches a known
  mistake, that mistake's hint from this table.

To add an exercise, see ``docs/exercises.md`` ("Adding an exercise").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["Exercise", "EXERCISES", "TUTORIALS", "get", "resolve"]

#: Tutorial number -> title (the notebooks the exercises belong to).
TUTORIALS: dict[int, str] = {
    1: "A scalar autograd engine from the ground up",
    2: "The backprop chain: upstream x local",
    3: "Tensors and layers",
    4: "Why not zeros? Symmetry",
    5: "Small and large weights",
    6: "Xavier/Glorot: keep the variance",
    7: "ReLU and He",
    8: "Batch normalization frees the initialization",
}


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Attributes:
        number: its position in the list (01, 02, ...), also in the file name.
        name: the short name used on the command line and in the file name.
        function: the function the student writes (the stub defines it).
        title: one line saying what it is about.
        tutorial: the tutorial it belongs to (a key of :data:`TUTORIALS`).
        hints: mistake key -> what to tell a student whose answer shows that mistake.
    """

    number: int
    name: str
    function: str
    title: str
    tutorial: int
    hints: Mapping[str, str] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """The module name of the student's file, e.g. ``ex01_mul_backward``."""
        return f"ex{self.number:02d}_{self.name}"

    @property
    def file(self) -> str:
        """The student's file name, e.g. ``ex01_mul_backward.py``."""
        return self.stem + ".py"

    @property
    def label(self) -> str:
        """``ex01`` -- the short label in the grader's output."""
        return f"ex{self.number:02d}"

    def hint(self, mistake: str) -> str:
        """The hint for ``mistake`` (a KeyError names the known ones, for lecturers adding checks)."""
        try:
            return self.hints[mistake]
        except KeyError:
            raise KeyError(f"exercise {self.name!r} has no hint {mistake!r}; known: {sorted(self.hints)}") from None


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        1, "mul_backward", "mul_backward", "Backward of a product c = a * b", 1,
        {
            "swapped": "the local derivative of a product with respect to one input is the OTHER input: "
                       "dc/da = b and dc/db = a. You returned them the wrong way round.",
            "no_upstream": "you returned the local derivatives dc/da, dc/db alone. The chain rule multiplies "
                           "them by the upstream gradient: dL/da = upstream * b, dL/db = upstream * a.",
            "add_rule": "that is the backward of addition (both inputs get the upstream gradient). For a "
                        "product each input gets upstream times the other input.",
        },
    ),
    Exercise(
        2, "pow_backward", "pow_backward", "Backward of a power y = x ** n", 1,
        {
            "exponent_not_lowered": "the power rule lowers the exponent by one: d(x^n)/dx = n * x^(n-1), "
                                    "not n * x^n.",
            "forgot_factor_n": "the exponent comes down as a factor: d(x^n)/dx = n * x^(n-1); you left out the n.",
            "no_upstream": "you returned the local derivative n * x^(n-1) alone; multiply it by the upstream "
                           "gradient (chain rule).",
            "exponent_rule": "that is the derivative with respect to the exponent, x^n * ln(x). Here n is a "
                             "constant: differentiate with respect to x, n * x^(n-1).",
        },
    ),
    Exercise(
        3, "tanh_backward", "tanh_backward", "Backward of tanh", 1,
        {
            "used_input": "the derivative is 1 - tanh(x)^2, written with the OUTPUT t = tanh(x); you used the "
                          "input x in its place (1 - x^2).",
            "no_square": "the derivative is 1 - tanh(x)^2: square the tanh before subtracting it from 1.",
            "no_upstream": "you returned the local derivative 1 - tanh(x)^2 alone; multiply it by the upstream "
                           "gradient (chain rule).",
            "sigmoid_rule": "s * (1 - s) is the derivative of the sigmoid. For t = tanh(x) it is 1 - t^2.",
        },
    ),
    Exercise(
        4, "sigmoid_backward", "sigmoid_backward", "Backward of the sigmoid", 1,
        {
            "used_input": "the derivative is s * (1 - s) with s = sigmoid(x), the OUTPUT; you used the input x "
                          "in its place (x * (1 - x)).",
            "no_upstream": "you returned the local derivative s * (1 - s) alone; multiply it by the upstream "
                           "gradient (chain rule).",
            "tanh_rule": "1 - s^2 is the rule for tanh. For s = sigmoid(x) the derivative is s * (1 - s).",
            "overflow": "math.exp(-x) overflows for x = -800. Compute the sigmoid so that exp never sees a large "
                        "positive number: 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0.",
        },
    ),
    Exercise(
        5, "topological_order", "topological_order", "Topological order of a graph, without recursion", 2,
        {
            "recursive": "a chain of 5000 operations goes deeper than Python's recursion limit (about 1000 "
                         "calls). Replace the recursion with an explicit stack (a list you push to and pop from).",
            "duplicates": "a node reached along two paths is listed twice. Keep a set of the nodes already "
                          "emitted and skip them.",
            "reversed": "the root came first. Every node must come AFTER all of its parents, so the root is "
                        "last (backward then walks the list in reverse).",
            "parent_after_child": "a node was listed before one of its parents. Emit a node only once all of "
                                  "its parents are emitted (post-order).",
            "missing_nodes": "some nodes that the root depends on are missing. Visit every parent, and the "
                             "parents of parents, down to the leaves.",
        },
    ),
    Exercise(
        6, "accumulate_grads", "accumulate_grads", "Accumulate gradients of a reused node", 2,
        {
            "overwrite": "a node that is used several times (x in x*y + x) gets one contribution per use, and "
                         "they ADD: grads[parent] += ... . You overwrote it with the last contribution.",
            "no_upstream": "each contribution is upstream * local, where upstream = grads[node] is the "
                           "gradient of the node the edge leaves; you added the local derivative alone.",
            "no_root": "the root's own gradient dL/dL = 1.0 must be in the dictionary (backward starts from it).",
        },
    ),
    Exercise(
        7, "unbroadcast", "unbroadcast", "Undo broadcasting in a gradient", 3,
        {
            "leading_only": "you summed only the leading axes that broadcasting added. Also sum every axis where "
                            "`shape` has size 1 but the gradient does not, with keepdims=True.",
            "no_keepdims": "size-1 axes must stay: sum them with keepdims=True, so that the result has exactly "
                           "the shape asked for, e.g. (3, 1) rather than (3,).",
            "mean": "every broadcast copy of an element sends its own gradient back, and they add up: use sum, "
                    "not mean.",
            "left_aligned": "numpy aligns shapes from the RIGHT: a (4,) array broadcast to (3, 4) gained the "
                            "LEADING axis. Sum the first grad.ndim - len(shape) axes, not the last ones.",
        },
    ),
    Exercise(
        8, "linear_backward", "linear_backward", "Backward of a Linear layer y = x @ W + b", 3,
        {
            "dx_no_transpose": "dx = g @ W.T: the gradient flows back through W transposed, (N, fan_out) @ "
                               "(fan_out, fan_in). You used W without the transpose.",
            "dW_transposed": "dW must have W's shape (fan_in, fan_out): dW = x.T @ g. You computed its "
                             "transpose, g.T @ x.",
            "db_mean": "the bias is added to every row of the batch, so its gradient is the SUM over the "
                       "batch, g.sum(axis=0), not the mean.",
            "db_not_summed": "db must have the bias's shape (fan_out,): sum g over the batch axis, g.sum(axis=0).",
        },
    ),
    Exercise(
        9, "softmax_ce_backward", "softmax_cross_entropy_backward",
        "Backward of softmax cross-entropy: (softmax - onehot) / N", 3,
        {
            "no_mean": "the loss is the MEAN over the N rows, so every row's gradient is divided by N: "
                       "(softmax - onehot) / N.",
            "sign": "sign error: the gradient is softmax - onehot (the probability of the correct class must "
                    "go up, so its gradient is negative), not onehot - softmax.",
            "unstable": "exp overflowed for logits of about 1000 (inf / inf = nan). Subtract each row's maximum "
                        "before exp: softmax(z) = softmax(z - max(z)).",
            "wrong_axis": "softmax normalizes each ROW over the classes (axis=1), not each column over the batch.",
        },
    ),
    Exercise(
        10, "central_difference", "numerical_gradient", "A numerical gradient by central differences", 3,
        {
            "forward_difference": "this looks like a forward difference, (f(x+h) - f(x)) / h, whose error is "
                                  "O(h). Use the central difference (f(x+h) - f(x-h)) / (2h), error O(h^2).",
            "backward_difference": "this looks like a backward difference, (f(x) - f(x-h)) / h. Use the central "
                                   "difference (f(x+h) - f(x-h)) / (2h).",
            "divided_by_h": "the two points x+h and x-h are 2h apart: divide by 2h, not h.",
            "not_restored": "x was left changed after the call. Put every element back (x[i] = old) after "
                            "evaluating f at x+h and x-h, or work on a copy.",
        },
    ),
    Exercise(
        11, "fans", "fans", "fan_in and fan_out of a weight shape", 5,
        {
            "swapped": "this project stores weights as (fan_in, fan_out), because a layer computes y = x @ W "
                       "(PyTorch stores the transpose, (out, in)): fan_in is shape[0] and fan_out is shape[1].",
            "no_receptive_field": "a kernel (in, out, kh, kw) connects every input channel through kh*kw "
                                  "positions: multiply both fans by the receptive field size prod(shape[2:]).",
            "receptive_field_in_only": "the receptive field multiplies BOTH fans: fan_in = shape[0] * "
                                       "prod(shape[2:]) and fan_out = shape[1] * prod(shape[2:]).",
            "last_two_axes": "this project reads a kernel shape as (in, out, *receptive_field) -- the 2-D layout "
                             "(fan_in, fan_out) with the kernel's axes appended -- so the channels are "
                             "shape[0] and shape[1], not the last two axes (the Keras/JAX layout).",
            "no_error_1d": "a 1-D shape (a bias vector) or a 0-D one has no separate input and output axes: "
                           "raise ValueError with a message saying so.",
        },
    ),
    Exercise(
        12, "xavier_uniform", "xavier_uniform", "Xavier/Glorot uniform initialization", 6,
        {
            "lecun_bound": "the bound sqrt(3 / fan_in) is LeCun's uniform init. Glorot's uses both fans: "
                           "U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).",
            "std_as_bound": "sqrt(2 / (fan_in + fan_out)) is the target STD. A uniform U(-a, a) has std "
                            "a / sqrt(3), so the bound is a = sqrt(3) * std = sqrt(6 / (fan_in + fan_out)).",
            "normal": "these numbers are not uniform (some lie far beyond the rest). Draw from "
                      "rng.uniform(-a, a, size=shape), not a normal distribution.",
            "ignores_rng": "the same seed gave different numbers: draw from the generator made from `rng` "
                           "(np.random.default_rng(rng)), not from np.random.* or a generator of your own.",
            "fixed_seed": "different seeds gave the same numbers: use the `rng` argument instead of a seed of "
                          "your own.",
            "no_receptive_field": "for a convolution kernel (in, out, kh, kw) the fans include the receptive "
                                  "field: use fans(shape) from exercise 11, fan_in = in * kh * kw and "
                                  "fan_out = out * kh * kw.",
            "dtype": "return the dtype asked for: .astype(dtype).",
        },
    ),
    Exercise(
        13, "he_normal", "he_normal", "He/Kaiming normal initialization", 7,
        {
            "fan_out": "He init for a ReLU net keeps the FORWARD variance: std = sqrt(2 / fan_in). You used "
                       "fan_out.",
            "variance_as_std": "2 / fan_in is the variance; the std is its square root, sqrt(2 / fan_in).",
            "lecun": "sqrt(1 / fan_in) is LeCun's init. ReLU zeroes half of its inputs, which halves "
                     "E[h^2]; He doubles the variance to make up for it: std = sqrt(2 / fan_in).",
            "uniform": "these numbers are uniform, not normal: use rng.normal(0.0, std, size=shape).",
            "truncated": "these numbers look like a normal truncated at two standard deviations (what Keras "
                         "calls he_normal). This project's he_normal is the plain normal of He et al.: "
                         "rng.normal(0.0, std, size=shape).",
            "no_receptive_field": "for a convolution kernel (in, out, kh, kw) the fan-in includes the receptive "
                                  "field: use fans(shape) from exercise 11, fan_in = in * kh * kw.",
            "ignores_rng": "the same seed gave different numbers: draw from the generator made from `rng` "
                           "(np.random.default_rng(rng)), not from np.random.* or a generator of your own.",
            "fixed_seed": "different seeds gave the same numbers: use the `rng` argument instead of a seed of "
                          "your own.",
            "dtype": "return the dtype asked for: .astype(dtype).",
        },
    ),
    Exercise(
        14, "relu_std", "predict_relu_std", "Predict the std of every layer of a ReLU network", 7,
        {
            "no_half": "ReLU zeroes the negative half of a symmetric z, so E[relu(z)^2] = Var(z) / 2. You "
                       "treated the ReLU as if it passed z through unchanged.",
            "halved_std": "ReLU halves the second MOMENT, not the std: E[relu(z)^2] = Var(z) / 2, so "
                          "sqrt(E[h^2]) = std(z) / sqrt(2), not std(z) / 2.",
            "variance_returned": "these are the variances; return the standard deviations (their square roots).",
            "half_on_input": "the input x does not pass through a ReLU: the first layer uses E[x^2] itself, "
                             "Var(z_1) = n_0 * sigma_1^2 * E[x^2]. The 1/2 applies from layer 2 on.",
            "fan_out": "a pre-activation of layer l is a sum over its n_{l-1} = widths[l-1] inputs (its "
                       "fan_in); you multiplied by the layer's own width widths[l].",
        },
    ),
)

_BY_NAME = {ex.name: ex for ex in EXERCISES}


def get(name: str) -> Exercise:
    """The exercise called ``name`` (exactly as in the catalog)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no exercise named {name!r}; known: {', '.join(_BY_NAME)}") from None


def resolve(token: str) -> Exercise:
    """The exercise a student means by ``token``: ``mul_backward``, ``ex01``, ``1``, ``01``,
    ``ex01_mul_backward`` or ``ex01_mul_backward.py`` (also with a folder in front).

    Raises:
        ValueError: naming the known exercises when nothing matches.
    """
    text = str(token).strip().replace("\\", "/").rsplit("/", 1)[-1]
    if text.endswith(".py"):
        text = text[:-3]
    lowered = text.lower()
    for ex in EXERCISES:
        if lowered in (ex.name, ex.stem, ex.label, ex.function):
            return ex
    digits = lowered[2:] if lowered.startswith("ex") else lowered
    if digits.isdigit():
        for ex in EXERCISES:
            if ex.number == int(digits):
                return ex
    known = ", ".join(f"{ex.label} ({ex.name})" for ex in EXERCISES)
    raise ValueError(f"unknown exercise {token!r}. Known exercises: {known}")
