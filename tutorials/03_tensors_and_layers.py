# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. Tensors and layers
#
# A network with thousands of weights needs arrays, not one `Value` per number.
# `tinygrad_init.Tensor` wraps a numpy array and keeps the same idea: every op records its
# parents, and backward walks the graph in reverse topological order (the very same walk,
# `tinygrad_init.autograd`). What changes is the local derivative. For an array op it is a
# Jacobian matrix, the derivative of every entry of the output with respect to every entry of the
# input, far too big to store, so each op implements the product of the upstream
# gradient with it instead, a **vector-Jacobian product** (VJP): given $g = \partial L/\partial y$,
# of $y$'s shape, it returns $\partial L/\partial x$, of $x$'s shape.
#
# In this notebook:
#
# 1. tensors and their backward rules;
# 2. broadcasting in the forward pass, and **summing it back** in the backward pass;
# 3. the `Linear` layer, $y = xW + b$, and its backward $dW = x^\top g$, $dx = g W^\top$,
#    checked by hand and by central differences;
# 4. `gradcheck` on a small network;
# 5. training an MLP on the **two moons** (points in the plane on two interleaved half-circles,
#    a class each) and drawing its **decision boundary** (the line where its prediction changes class).

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, draw, nn, no_grad, tensor
from tinygrad_init.data import moons
from tinygrad_init.gradcheck import gradcheck
from tinygrad_init.optim import SGD
from tinygrad_init.tensor import unbroadcast

# %% [markdown]
# ## 1. Tensors remember their op, and each op knows its VJP
#
# Every op is a small class with a forward and a backward written side by side. Its `rules`
# say, in words, what the backward does with the upstream gradient `g`, one rule per input:

# %%
for name, op in tensor.OPS.items():
    print(f"{name:12s} " + ";   ".join(op.rules))

# %% [markdown]
# **Predict, then check.** $y = \sum_{ij} x_{ij}^2$ for $x = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}$.
# What is $y$, and what array is `x.grad`? (The `sum` passes the upstream 1 to every entry;
# the product `x * x` uses $x$ twice.)

# %%
x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = (x * x).sum()          # y = sum of squares
y.backward()
print("y =", y.item(), "  op:", y.op)
print("dy/dx = 2x =\n", x.grad)
assert y.item() == 30.0 and np.array_equal(x.grad, [[2.0, 4.0], [6.0, 8.0]])

# %% [markdown]
# ## 2. Broadcasting forward, summing backward
#
# Adding a bias of shape `(3,)` to a batch of shape `(4, 3)` uses the same bias in every
# row: numpy *broadcasts* it, as if it had been copied four times. Each copy gets its own
# gradient, *upstream gradient × local gradient* $g_{nj} \times 1$, and since they are all the
# same variable the gradients **add up**:
#
# $$y_{nj} = x_{nj} + b_j \quad\Longrightarrow\quad \frac{\partial L}{\partial b_j} = \sum_n g_{nj} .$$
#
# The engine does this in one place for every op, `tensor.unbroadcast(grad, shape)`: it sums
# over the axes that broadcasting added or stretched.

# %%
rng = np.random.default_rng(0)          # each cell that draws has its own seed: run it again, same numbers
batch = Tensor(rng.standard_normal((4, 3)), requires_grad=True)   # x in the formula above
bias = Tensor(np.array([0.1, -0.2, 0.3]), requires_grad=True)
y = batch + bias
G = rng.standard_normal((4, 3))          # a non-uniform upstream gradient dL/dy
y.backward(G)

print("bias.grad          ", bias.grad)
print("G.sum(axis=0)      ", G.sum(axis=0))
print("unbroadcast(G, (3,))", unbroadcast(G, (3,)))
assert np.allclose(bias.grad, G.sum(axis=0), rtol=0, atol=1e-12) and np.array_equal(unbroadcast(G, (3,)), bias.grad)
assert np.allclose(unbroadcast(G, (3,)), G.sum(axis=0), rtol=0, atol=1e-12)     # summed in another order (BLAS)

# %% [markdown]
# A size-1 axis is stretched the same way and summed with `keepdims`.
#
# **Predict, then check.** `col` has shape `(4, 1)` and multiplies `batch` ($x$) of shape
# `(4, 3)`. What shape is `col.grad`, and which sum of `G * batch` is it?

# %%
col = Tensor(np.full((4, 1), 2.0), requires_grad=True)
(batch * col).backward(G)
by_hand = (G * batch.data).sum(axis=1, keepdims=True)
print("col.grad.shape:", col.grad.shape, "  equal to (G * x).sum(axis=1, keepdims=True):",
      np.allclose(col.grad, by_hand))
assert col.grad.shape == (4, 1) and np.allclose(col.grad, by_hand)

# %% [markdown]
# Why a *random* upstream gradient? With `G` all ones (what `y.sum().backward()` feeds in)
# many wrong rules give the right answer by accident. Two classic slips for a bias on a
# square `(3, 3)` batch, summing over the wrong axis and assuming every row is the same,
# agree with the right rule under all-ones; only a non-uniform upstream tells them apart:

# %%
rng = np.random.default_rng(1)
for name, upstream in [("all ones", np.ones((3, 3))), ("random", rng.standard_normal((3, 3)))]:
    right = upstream.sum(axis=0)          # sum over the batch: correct
    wrong_axis = upstream.sum(axis=1)     # sum over the features
    first_row = 3 * upstream[0]           # "every row has the same gradient"
    print(f"{name:9s} right {np.round(right, 3)}   wrong axis {np.round(wrong_axis, 3)}   "
          f"first row x 3 {np.round(first_row, 3)}")
    agree = np.allclose(right, wrong_axis) and np.allclose(right, first_row)
    assert agree == (name == "all ones")        # all three agree under all-ones, and only there

# %% [markdown]
# ## 3. The Linear layer: $y = xW + b$
#
# `nn.Linear(fan_in, fan_out)` stores $W$ with shape `(fan_in, fan_out)`, the layout of the
# lecture formula `W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)` (PyTorch stores the
# transpose). For a batch $x$ of shape `(N, fan_in)` and upstream $g = \partial L/\partial y$
# of shape `(N, fan_out)`:
#
# $$\frac{\partial L}{\partial W_{ij}} = \sum_n x_{ni}\, g_{nj}
# \;\Rightarrow\; dW = x^\top g, \qquad db = \sum_n g_{n\cdot},$$
#
# $$\frac{\partial L}{\partial x_{ni}} = \sum_j g_{nj}\, W_{ij}
# \;\Rightarrow\; dx = g\, W^\top .$$
#
# Each is *upstream × local*: the local derivative of $xW$ with respect to $W$ is $x$, and
# with respect to $x$ it is $W$. The shapes fit only one way, which is a good way to remember
# the formulas: $(\text{in}, N)(N, \text{out})$ and $(N, \text{out})(\text{out}, \text{in})$.
#
# **Predict, then check.** A `Linear(3, 2)` gets a batch of 5. What are the shapes of
# `layer.weight.grad`, `xb.grad` and `layer.bias.grad`?

# %%
rng = np.random.default_rng(2)
layer = nn.Linear(3, 2, rng=0, dtype=np.float64)
xb = Tensor(rng.standard_normal((5, 3)), requires_grad=True)
yb = layer(xb)
g = rng.standard_normal((5, 2))
yb.backward(g)

W = layer.weight.data
print("weight", W.shape, " x", xb.shape, " y", yb.shape)
print("max |dW - x.T @ g|   =", np.abs(layer.weight.grad - xb.data.T @ g).max())
print("max |dx - g @ W.T|   =", np.abs(xb.grad - g @ W.T).max())
print("max |db - g.sum(0)|  =", np.abs(layer.bias.grad - g.sum(axis=0)).max())
assert (layer.weight.grad.shape, xb.grad.shape, layer.bias.grad.shape) == ((3, 2), (5, 3), (2,))
assert np.allclose(layer.weight.grad, xb.data.T @ g, rtol=0, atol=1e-12)
assert (np.allclose(xb.grad, g @ W.T, rtol=0, atol=1e-12)
        and np.allclose(layer.bias.grad, g.sum(axis=0), rtol=0, atol=1e-12))


# %% [markdown]
# Now without any formula: nudge one weight, $W_{1,0}$, by $\pm\varepsilon$ and measure how
# $S = \sum g \odot y$ changes (its gradient with respect to $y$ is exactly $g$):

# %%
def S(W_):
    return float(np.sum(g * (xb.data @ W_ + layer.bias.data)))

eps = 1e-6
W_plus, W_minus = W.copy(), W.copy()
W_plus[1, 0] += eps
W_minus[1, 0] -= eps
numeric = (S(W_plus) - S(W_minus)) / (2 * eps)
print(f"numeric {numeric:.9f}   engine {layer.weight.grad[1, 0]:.9f}")
assert abs(numeric - layer.weight.grad[1, 0]) < 1e-8

# %% [markdown]
# `gradcheck` does that for every element of every input, in float64 (numpy's double precision,
# about 16 significant digits, enough to survive the subtraction of two nearly equal losses),
# with a random non-uniform upstream gradient:

# %%
check = gradcheck(lambda x, W, b: x @ W + b, xb.data, W, layer.bias.data)
print(check)
assert check.ok

# %% [markdown]
# ## 4. The graph of a layer
#
# Drawing a tiny MLP with its loss: parameters are boxes named by their module path
# (`layers.0.weight`), each op an ellipse with its output shape, and with `show_local=True`
# every edge carries the backward rule for that input. Clusters group the ops of each module
# (`draw.trace` notes which module produced what).

# %%
small = nn.MLP([2, 3, 1], activation="tanh", rng=0)
Xs, ys = moons(8, noise=0.1, rng=0)
tr = draw.trace(small, Tensor(Xs))
loss = nn.mse_loss(tr.output, ys.reshape(-1, 1).astype(np.float32))
loss.backward(retain_grads=True)            # keep the intermediate gradients for the colours
draw.draw(loss, module=tr, show_local=True, color_by_grad=True)

# %% [markdown]
# ## 5. gradcheck a whole network
#
# The same check works for any composition of ops. A two-layer network with a
# log-softmax output (the logarithm of the softmax, which turns each row of scores into
# probabilities, $e^{s_k} / \sum_j e^{s_j}$), all inputs checked at once:

# %%
rng = np.random.default_rng(3)
x0, W1, W2 = rng.standard_normal((6, 3)), rng.standard_normal((3, 4)), rng.standard_normal((4, 3))
check = gradcheck(lambda x, W1, W2: ((x @ W1).tanh() @ W2).log_softmax(axis=1), x0, W1, W2)
print(check)
assert check.ok

# %% [markdown]
# When a check fails, the message says where and why. ReLU has a kink at 0, where no
# derivative exists.
#
# **Predict, then check.** `gradcheck` of `x.relu()` at $x = (-1, 0, 2)$: does it pass? If
# not, at which element does it fail?

# %%
kink = gradcheck(lambda x: x.relu(), np.array([-1.0, 0.0, 2.0]), raise_on_fail=False)
print(kink)
assert not kink.ok and "at [1]" in str(kink)       # only the middle element, x = 0, is off
u = kink.upstream[1]                                # S = sum(u * relu(x)): slopes 0 and u at x = 0, their mean
assert round(u, 2) == 0.77 and abs(kink.inputs[0].numeric[1] - u / 2) < 1e-6 and round(u / 2, 2) == 0.38

# %% [markdown]
# No backward rule can match central differences *at* a kink: the difference quotient
# straddles it and sees both slopes, the engine's rule only one. The slopes in the message are
# those of $S = \sum u f$, the sum gradcheck differentiates with its random upstream $u$ (0.77
# at that element), not ReLU's own 0 and 1; the central difference, 0.38, is their mean.

# %% [markdown]
# ## 6. Train an MLP on the two moons
#
# Everything together: a 2-16-16-1 tanh MLP, its weights drawn by the Xavier init (the default
# for tanh, which tutorial 6 derives). Its one output per point is a **logit**: a score whose
# sigmoid is the predicted probability of class 1. The loss is the **binary cross-entropy** of
# the logits, the mean over the points of $-\ln$ (the probability given to the right class). The
# optimizer is SGD, gradient descent, with **momentum** 0.9: each step moves along the gradient
# plus 0.9 times the previous step, $v \leftarrow 0.9\, v + \partial L/\partial \theta$,
# $\theta \leftarrow \theta - \eta\, v$. Every step sees the full batch of 200 points; 300 steps.
#
# **Predict, then check.** Will this net classify every one of the 200 training points
# correctly after 300 steps?

# %%
X, y = moons(200, noise=0.1, rng=0)
targets = y.reshape(-1, 1).astype(np.float32)
model = nn.MLP([2, 16, 16, 1], activation="tanh", rng=0)
opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
print(model)

history = []
for step in range(300):
    opt.zero_grad()
    loss = nn.binary_cross_entropy_with_logits(model(Tensor(X)), targets)
    loss.backward()
    opt.step()
    history.append(loss.item())

with no_grad():
    accuracy = ((model(Tensor(X)).data[:, 0] > 0) == y).mean()
print(f"final loss {history[-1]:.4f}, accuracy {accuracy:.1%}")
assert len(y) == 200 and accuracy == 1.0 and history[-1] < 0.02   # every training point on its side

# %% [markdown]
# Yes, every one, and not by the luck of this draw: so it goes for each of the moons `rng` 0 to
# 9 with each of the networks `rng` 0 to 9 (100 runs, every final loss below 0.02). The loss
# and the decision boundary:

# %%
xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, 200), np.linspace(-1.3, 1.8, 200))
grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
with no_grad():
    logits = model(Tensor(grid)).data.reshape(xx.shape)

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
axes[0].plot(history)
axes[0].set(xlabel="step", ylabel="loss", yscale="log", title="training loss")
axes[1].contourf(xx, yy, logits > 0, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
axes[1].contour(xx, yy, logits, levels=[0.0], colors="k", linewidths=1)
axes[1].scatter(X[:, 0], X[:, 1], c=targets[:, 0], cmap="coolwarm", edgecolors="k", s=18)
axes[1].set(title=f"decision boundary (accuracy {accuracy:.0%})", xlabel="$x_1$", ylabel="$x_2$")
plt.show()

# %% [markdown]
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. What shape does `unbroadcast` return for a gradient of shape `(2, 4, 3)` and a target
#    shape `(4, 1)`? Predict it, then run it.
# 2. Train the moons MLP with `activation="relu"`, or with the sizes `[2, 4, 1]`.
#    How does the boundary change?
# 3. Use `gradcheck` on `lambda x: (x * x).sum() / x.shape[0]`; then break it on purpose, e.g.
#    `x.max(axis=1)` on the row `[[1.0, 1.0, 1.0]]`, a three-way tie. What does the message say?
#    (A two-way tie passes: the engine gives each tied entry half, and so does the central
#    difference. Why not with three?)
#
# ## What to remember
#
# * A tensor op's backward is a vector-Jacobian product: upstream gradient in, one gradient
#   per input out, each of its input's shape.
# * Broadcasting copies; the backward of a copy is a **sum** (`unbroadcast`).
# * `Linear`: $dW = x^\top g$, $dx = g W^\top$, $db = \sum_n g$. The shapes fit only one way.
# * Check backward rules with central differences in float64 and a **non-uniform** upstream
#   gradient (`gradcheck`).
#
# ## Exercises
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises unbroadcast
# tinygrad-init exercises grade my_exercises linear_backward
# tinygrad-init exercises grade my_exercises softmax_ce_backward
# tinygrad-init exercises grade my_exercises central_difference
# ```

# %%
from tinygrad_init import exercises

for name in ["unbroadcast", "linear_backward", "softmax_ce_backward", "central_difference"]:
    ex = exercises.get(name)
    print(f"{ex.label}  {ex.name:20s} {ex.title}")
