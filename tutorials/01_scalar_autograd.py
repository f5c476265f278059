# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. A scalar autograd engine from the ground up
#
# Training a network means nudging its numbers (weights and biases) so that a loss gets
# smaller. For that we need the derivative of the loss with respect to every one of them,
# $\partial L / \partial \theta$. *Automatic differentiation* (autograd) gets all of them in a
# single backward pass, and the idea fits in a few lines of code.
#
# This notebook builds that idea on single numbers, with `tinygrad_init.Value`:
#
# 1. a `Value` remembers how it was made: its parents and its **local derivatives**;
# 2. following the parents gives the **computation graph**, which we draw;
# 3. **backward** applies the chain rule edge by edge, *upstream gradient × local gradient*;
# 4. we check the result by hand and numerically;
# 5. a value used twice collects the sum of its gradients;
# 6. every op knows its own local derivative;
# 7. a tiny network made of Values learns XOR.

# %%
# %matplotlib inline
import math

import matplotlib.pyplot as plt

from tinygrad_init import Value, autograd, draw, scalar_nn
from tinygrad_init.gradcheck import gradcheck

# %% [markdown]
# ## 1. A number that remembers how it was made
#
# A `Value` wraps one float. Arithmetic on Values gives new Values, and each new one records
#
# * `op`: the operation that made it (`"*"`, `"+"`, `"tanh"`, ...),
# * `parents`: the Values it was computed from,
# * `locals`: the **local derivative** of the result with respect to each parent (the *local
#   gradient* of *upstream gradient × local gradient*), computed right away, in the forward pass.
#
# (The nodes of exercise 5, `topological_order`, name theirs `_parents`.)
#
# Our running example is one neuron with a tanh and its squared error against a target $y$:
#
# $$z = w x + b, \qquad h = \tanh z, \qquad L = (h - y)^2 .$$

# %%
x = Value(1.5, label="x")
w = Value(-0.8, label="w")
b = Value(0.3, label="b")
y = 0.5                      # the target: a plain number, no gradient needed

z = w * x + b;    z.label = "z"
h = z.tanh();     h.label = "h"
L = (h - y) ** 2; L.label = "L"
print(z, h, L, sep="\n")
assert math.isclose(z.data, -0.8 * 1.5 + 0.3) and math.isclose(h.data, math.tanh(z.data))

# %% [markdown]
# Look inside `z = (w * x) + b`. Its parents are the product `w * x` and `b`; a sum passes
# its gradient on unchanged, so both local derivatives are 1. The product's parents are `w`
# and `x`, and its local derivatives are the *other* factor:
# $\partial (wx)/\partial w = x = 1.5$ and $\partial (wx)/\partial x = w = -0.8$.

# %%
print("z:  op", repr(z.op), " locals", z.locals)
m = z.parents[0]            # the product w * x
print("wx: op", repr(m.op), " locals", m.locals, " parents", [p.label for p in m.parents])
print("h:  op", repr(h.op), f" local 1 - tanh(z)^2 = {h.locals[0]:.4f}")
assert z.locals == (1.0, 1.0) and m.locals == (1.5, -0.8)

# %% [markdown]
# These stored numbers are everything the backward pass will need: no symbolic algebra,
# no re-evaluation, just one multiplication per edge.
#
# ## 2. The computation graph
#
# Following `parents` from `L` back to the leaves `w`, `x`, `b` gives a graph.
# `draw.draw` draws it with Graphviz: every number is a box `label | data | grad` and every
# op is a small node between its inputs and its result. The gradients are still 0: nothing
# has gone backwards yet.

# %%
assert all(v.grad == 0.0 for v in (w, x, b, z, h, L)), "backward ran since: run the cell that builds L first"
draw.draw(L, show_data=True, show_grad=True)

# %% [markdown]
# ## 3. Backward: the chain rule, one edge at a time
#
# For every edge from a node $n$ to one of its parents $p$, the chain rule says
#
# $$\frac{\partial L}{\partial p} \mathrel{+}= \underbrace{\frac{\partial L}{\partial n}}_{\text{upstream}}
# \cdot \underbrace{\frac{\partial n}{\partial p}}_{\text{local}} .$$
#
# The upstream gradient must be complete before it is passed on, so the nodes are visited
# from the output back to the inputs, in reverse **topological order** (every node listed
# after all of its parents). `autograd.topological_order` makes that list without recursion:

# %%
order = autograd.topological_order(L)
print(" -> ".join(n.label or n.op for n in order))
assert order[-1] is L and all(order.index(p) < order.index(n) for n in order for p in n.parents)

# %% [markdown]
# `L` comes last, and every node comes after its parents. Now the whole backward pass,
# written out: start from $\partial L/\partial L = 1$ and walk the list backwards, adding
# *upstream × local* into every parent.
#
# **Predict, then check.** `b` enters `z` through a sum (local derivative 1), so
# $\partial L/\partial b = \partial L/\partial z = 2(h - y)\,(1 - h^2)$. Here
# $h = \tanh(-0.9) \approx -0.716$ and $y = 0.5$. Work out `b.grad` on paper, to two digits.
# Then `w.grad`: one more factor along the path, $\partial z/\partial w = x = 1.5$. Write both
# down before you run the cell.

# %%
for node in order:
    node.grad = 0.0
L.grad = 1.0
for node in reversed(order):
    for parent, local in zip(node.parents, node.locals):
        parent.grad += node.grad * local        # upstream x local

by_hand_loop = {v.label: v.grad for v in (w, x, b)}
print("   ".join(f"{name}.grad = {g:.4f}" for name, g in by_hand_loop.items()))
assert math.isclose(b.grad, -1.1845, abs_tol=5e-5)          # 2 (-0.7163 - 0.5) (1 - 0.7163^2)
assert math.isclose(w.grad, -1.1845 * 1.5, abs_tol=1e-4)    # times dz/dw = x

# %% [markdown]
# That loop *is* the algorithm. `L.backward()` runs the same walk
# (`tinygrad_init.autograd.backward`, shared with the tensor engine of tutorial 3). The
# leaves' gradients accumulate across calls, so we reset them first:

# %%
for v in (w, x, b):
    v.zero_grad()
L.backward()
print("   ".join(f"{v.label}.grad = {v.grad:.4f}" for v in (w, x, b)))
assert all(v.grad == by_hand_loop[v.label] for v in (w, x, b))   # the very same numbers

# %% [markdown]
# With `show_local=True` each edge carries its local derivative (`×1.5` on the edge from `w`
# into `*`). Read the picture from right to left: the gradient of an op's result times the
# factor on one of its input edges is what that input receives. For `w` that is
# $-1.1845 \times 1.5 = -1.777$, the value you predicted.

# %%
assert math.isclose(w.grad, -1.777, abs_tol=5e-4), (
    f"w.grad is {w.grad:.4g}: if a backward ran since, it added to it; run the cell with L.backward() again")
picture = draw.draw(L, show_data=True, show_grad=True, show_local=True)
assert 'n0 [label="{ w |' in picture.source and 'n0 -> n2op [label="×1.5"]' in picture.source   # w's edge into *
picture

# %% [markdown]
# ## 4. Check it: by hand, then numerically
#
# By hand, the chain rule along the only path from $L$ to $w$ is
# *upstream gradient × local gradient*, edge after edge: each factor is the local gradient of one
# edge, and the product of those to its left is its upstream gradient,
#
# $$\frac{\partial L}{\partial w} = \underbrace{2(h - y)}_{\partial L/\partial h}
# \cdot \underbrace{(1 - h^2)}_{\partial h/\partial z} \cdot \underbrace{x}_{\partial z/\partial w}.$$

# %%
dL_dh = 2 * (h.data - y)
dh_dz = 1 - h.data ** 2
print(f"by hand: {dL_dh * dh_dz * x.data:.10f}")
print(f"engine:  {w.grad:.10f}")
assert math.isclose(dL_dh * dh_dz * x.data, w.grad, rel_tol=1e-12), (
    f"w.grad is {w.grad:.4g}: if a backward ran since, it added to it; run the cell with L.backward() again")


# %% [markdown]
# A numerical check needs no calculus at all. Nudge $w$ by a small $\varepsilon$ both ways and
# watch the loss: the **central difference**
#
# $$\frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}$$
#
# has an error of order $\varepsilon^2$.

# %%
def loss(w_, x_=1.5, b_=0.3):
    return (math.tanh(w_ * x_ + b_) - y) ** 2

eps = 1e-6
numeric = (loss(-0.8 + eps) - loss(-0.8 - eps)) / (2 * eps)
print(f"numeric: {numeric:.10f}   difference {abs(numeric - w.grad):.1e}")
assert abs(numeric - w.grad) < 1e-8, (     # eps^2 = 1e-12, plus rounding of about 1e-16 / eps
    f"w.grad is {w.grad:.4g}: if a backward ran since, it added to it; run the cell with L.backward() again")

# %% [markdown]
# `gradcheck` does this for every input at once, and also multiplies the output by a random
# upstream gradient, so that a backward rule that forgets the upstream factor is caught too:

# %%
check = gradcheck(lambda w, x, b: ((w * x + b).tanh() - y) ** 2, -0.8, 1.5, 0.3)
print(check)
assert check.ok

# %% [markdown]
# ## 5. A value used twice collects both gradients
#
# In $f = a \cdot a + a$ the leaf $a$ feeds the graph three times (twice into the product, once
# into the sum). Each use is an edge, and each edge adds its contribution: the product passes
# the *other* factor to each of its two inputs, the sum passes 1.
#
# **Predict, then check.** What is `a.grad` at $a = 3$?

# %%
a = Value(3.0, label="a")
f = a * a + a; f.label = "f"
f.backward()
print("df/da =", a.grad)
assert a.grad == 2 * 3.0 + 1          # a + a + 1: three edges, three contributions
draw.draw(f, show_data=True, show_grad=True, show_local=True)

# %% [markdown]
# That is $2a + 1 = 7$, and it is why backward uses `+=`. The same `+=` has a consequence you
# will meet in every training loop.
#
# **Predict, then check.** Call `f.backward()` a second time, without resetting anything. What
# does `a.grad` show? And after `a.zero_grad()` and one more `backward()`?

# %%
f.backward()
print("after a second backward:", a.grad)
assert a.grad == 7 + 7, (                   # the second pass adds to the first
    f"a.grad is {a.grad}: f.backward() ran since the cell above, which makes f; run that cell again")
a.zero_grad()
f.backward()
print("after zero_grad and backward:", a.grad)
assert a.grad == 7

# %% [markdown]
# A second `backward()` adds to the leaf gradients again: reset them (`zero_grad()`) before
# each step.

# %% [markdown]
# ## 6. Every op knows its local derivative
#
# | op | result | local derivative(s) |
# |---|---|---|
# | `a + b` | $a + b$ | $1,\ 1$ |
# | `a * b` | $ab$ | $b,\ a$ |
# | `a / b` | $a/b$ | $1/b,\ -a/b^2$ |
# | `x ** n` | $x^n$ | $n x^{n-1}$ |
# | `x.exp()` | $e^x$ | $e^x$ |
# | `x.log()` | $\ln x$ | $1/x$ |
# | `x.tanh()` | $\tanh x$ | $1 - \tanh^2 x$ |
# | `x.sigmoid()` | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)\,(1 - \sigma(x))$ |
# | `x.relu()` | $\max(0, x)$ | $1$ if $x > 0$ else $0$ |
#
# `gradcheck` confirms each rule against central differences:

# %%
ops = {
    "x ** 3": lambda x: x ** 3,
    "1 / x": lambda x: 1 / x,
    "exp": lambda x: x.exp(),
    "log": lambda x: x.log(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "x * exp(-x)": lambda x: x * (-x).exp(),
}
for name, fn in ops.items():
    result = gradcheck(fn, 0.7)
    print(f"{name:12s} ok={result.ok}   max abs error {result.max_abs_error:.1e}")
    assert result.ok, name

# %% [markdown]
# **Predict, then check.** The sigmoid's local derivative is $\sigma(x)(1 - \sigma(x))$. What
# is it at $x = 0$, where $\sigma(0) = 1/2$? Is it larger or smaller anywhere else? (Tutorial 6
# builds on this number.)

# %%
s0 = Value(0.0, label="x")
s0.sigmoid().backward()
print("sigmoid'(0) =", s0.grad)
assert s0.grad == 0.25                       # 1/2 * (1 - 1/2)
grid = [Value(v / 10) for v in range(-60, 61)]
slopes = []
for v in grid:
    v.sigmoid().backward()
    slopes.append(v.grad)
print(f"largest sigmoid' on [-6, 6]: {max(slopes)} at x = {grid[slopes.index(max(slopes))].data}")
assert max(slopes) == 0.25 and grid[slopes.index(0.25)].data == 0.0

# %% [markdown]
# A quarter, and never more: every sigmoid a gradient passes through multiplies it by at
# most $1/4$.

# %% [markdown]
# ## 7. From a neuron to a network
#
# `tinygrad_init.scalar_nn` builds neurons from Values: a `Neuron` computes
# $\mathrm{act}(\sum_i w_i x_i + b)$, a `Layer` is a list of neurons and an `MLP` (a multi-layer
# perceptron) a list of layers. Every weight is its own Value, so the graph of one neuron shows,
# at every weight, that the gradient of $w_i$ is the upstream gradient times its local gradient $x_i$.

# %%
neuron = scalar_nn.Neuron(2, activation="tanh", rng=0, name="n")
out = neuron([1.0, -2.0]); out.label = "out"
out.backward()
upstream = 1 - out.data ** 2                  # d out / d(sum) for tanh
assert all(math.isclose(wi.grad, upstream * xi) for wi, xi in zip(neuron.w, [1.0, -2.0]))
draw.draw(out, show_data=True, show_grad=True, show_local=True)

# %% [markdown]
# That is everything a network needs. A 2-4-1 tanh MLP learns XOR, which no single neuron can:
# forward, loss, `zero_grad`, `backward`, and a step of gradient descent
# $\theta \leftarrow \theta - \eta\, \partial L/\partial \theta$ on every parameter, where the
# **learning rate** $\eta$ (here 0.05) sets the size of the step. The **seed**, `rng=1` here, is
# the number that fixes the random draw of the initial weights. (XOR is learned within these 150
# steps from 9 of the seeds 0 to 9; from seed 4 the loss stays stuck at 7.8: gradient descent finds
# a solution from most starting points, not from all.)

# %%
model = scalar_nn.MLP(2, [4, 1], activation="tanh", rng=1)
X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
T = [-1.0, 1.0, 1.0, -1.0]

losses = []
for step in range(150):
    preds = [model(xi) for xi in X]
    loss_value = Value.sum([(p - t) ** 2 for p, t in zip(preds, T)])
    model.zero_grad()
    loss_value.backward()
    for p in model.parameters():
        p.data -= 0.05 * p.grad
    losses.append(loss_value.data)

print("parameters:", len(model.parameters()))
print("predictions:", [round(model(xi).data, 3) for xi in X], " targets:", T)
assert len(model.parameters()) == 2 * 4 + 4 + 4 + 1       # weights and biases of both layers
assert all((model(xi).data > 0) == (t > 0) for xi, t in zip(X, T)) and losses[-1] < 0.1 * losses[0]
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(losses)
ax.set(xlabel="step", ylabel="loss (sum of squares)", yscale="log", title="A scalar MLP learns XOR")
plt.show()

# %% [markdown]
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Use `b` twice, $z = wx + b + b$. Predict `b.grad` and `w.grad` before you run it (careful: $h$ changes too).
# 2. Compute $\partial L/\partial x$ by hand with the chain rule and compare with `x.grad`.
# 3. Make the XOR net learn with `activation="relu"`: what learning rate works?
#
# ## What to remember
#
# * Each op stores its local derivatives when it runs forward.
# * Backward visits the nodes in reverse topological order and does
#   `parent.grad += node.grad * local`: the chain rule, one edge at a time.
# * A node used several times sums its contributions; leaf gradients accumulate across
#   `backward()` calls until you `zero_grad()`.
# * Central differences check any gradient numerically.
#
# Next, tutorial 2 records every one of these steps in a ledger and follows a gradient down a
# deep chain.
#
# ## Exercises
#
# Write the backward rules yourself. Copy the starting files into a folder, edit them, and let
# the grader check them (it names the mistake when it recognises one):
#
# ```bash
# tinygrad-init exercises start my_exercises
# tinygrad-init exercises grade my_exercises mul_backward
# tinygrad-init exercises grade my_exercises pow_backward
# tinygrad-init exercises grade my_exercises tanh_backward
# tinygrad-init exercises grade my_exercises sigmoid_backward
# ```

# %%
from tinygrad_init import exercises

for name in ["mul_backward", "pow_backward", "tanh_backward", "sigmoid_backward"]:
    ex = exercises.get(name)
    print(f"{ex.label}  {ex.name:18s} {ex.title}")
