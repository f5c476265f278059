"""Build the tutorial notebooks from the cell lists in this file.

Each notebook is written below as one string: cells separated by lines ``@@ markdown``
and ``@@ code``. Edit the text here, never the ``.ipynb`` files, then run::

    python tutorials/_build.py            # (re)write every tutorials/NN_name.ipynb
    python tutorials/_build.py --check    # exit 1 if a notebook differs from what this file builds
    python tutorials/_build.py 03         # only the notebooks whose name starts with 03

The notebooks are written without outputs (``execution_count`` null, no widget state),
with fixed cell ids, so the same text always gives the same bytes and a diff shows only
real changes. ``tests/test_tutorials.py`` checks that, and runs every notebook top to bottom.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

#: The kernel every notebook asks for: the ipykernel of the environment that runs it.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}

NOTEBOOKS: dict[str, str] = {}

# --------------------------------------------------------------------------------------------
NOTEBOOKS["01_scalar_autograd"] = r'''
@@ markdown
# 1. A scalar autograd engine from the ground up

Training a network means nudging its numbers (weights and biases) so that a loss gets
smaller. For that we need the derivative of the loss with respect to every one of them,
$\partial L / \partial \theta$. *Automatic differentiation* (autograd) gets all of them in a
single backward pass, and the idea fits in a few lines of code.

This notebook builds that idea on single numbers, with `tinygrad_init.Value`:

1. a `Value` remembers how it was made: its parents and its **local derivatives**;
2. following the parents gives the **computation graph**, which we draw;
3. **backward** applies the chain rule edge by edge, *upstream gradient × local gradient*;
4. we check the result by hand and numerically;
5. a value used twice collects the sum of its gradients;
6. every op knows its own local derivative;
7. a tiny network made of Values learns XOR.

@@ code
%matplotlib inline
import math

import matplotlib.pyplot as plt

from tinygrad_init import Value, autograd, draw, scalar_nn
from tinygrad_init.gradcheck import gradcheck

@@ markdown
## 1. A number that remembers how it was made

A `Value` wraps one float. Arithmetic on Values gives new Values, and each new one records

* `op`: the operation that made it (`"*"`, `"+"`, `"tanh"`, ...),
* `_parents`: the Values it was computed from,
* `_locals`: the **local derivative** of the result with respect to each parent, computed
  right away, in the forward pass.

Our running example is one neuron with a tanh and its squared error against a target $y$:

$$z = w x + b, \qquad h = \tanh z, \qquad L = (h - y)^2 .$$

@@ code
x = Value(1.5, label="x")
w = Value(-0.8, label="w")
b = Value(0.3, label="b")
y = 0.5                      # the target: a plain number, no gradient needed

z = w * x + b;    z.label = "z"
h = z.tanh();     h.label = "h"
L = (h - y) ** 2; L.label = "L"
print(z, h, L, sep="\n")

@@ markdown
Look inside `z = (w * x) + b`. Its parents are the product `w * x` and `b`; a sum passes
its gradient on unchanged, so both local derivatives are 1. The product's parents are `w`
and `x`, and its local derivatives are the *other* factor:
$\partial (wx)/\partial w = x = 1.5$ and $\partial (wx)/\partial x = w = -0.8$.

@@ code
print("z:  op", repr(z.op), " locals", z._locals)
m = z._parents[0]            # the product w * x
print("wx: op", repr(m.op), " locals", m._locals, " parents", [p.label for p in m._parents])
print("h:  op", repr(h.op), " local 1 - tanh(z)^2 =", h._locals[0])

@@ markdown
These stored numbers are everything the backward pass will need: no symbolic algebra,
no re-evaluation, just one multiplication per edge.

## 2. The computation graph

Following `_parents` from `L` back to the leaves `w`, `x`, `b` gives a graph.
`draw.draw` draws it with Graphviz: every number is a box `label | data | grad` and every
op is a small node between its inputs and its result. The gradients are still 0: nothing
has gone backwards yet.

@@ code
draw.draw(L, show_data=True, show_grad=True)

@@ markdown
## 3. Backward: the chain rule, one edge at a time

For every edge from a node $n$ to one of its parents $p$, the chain rule says

$$\frac{\partial L}{\partial p} \mathrel{+}= \underbrace{\frac{\partial L}{\partial n}}_{\text{upstream}}
\cdot \underbrace{\frac{\partial n}{\partial p}}_{\text{local}} .$$

The upstream gradient must be complete before it is passed on, so the nodes are visited
from the output back to the inputs, in reverse **topological order** (every node listed
after all of its parents). `autograd.topological_order` makes that list without recursion:

@@ code
order = autograd.topological_order(L)
print(" -> ".join(n.label or n.op for n in order))

@@ markdown
`L` comes last, the leaves early. Now the whole backward pass, written out: start from
$\partial L/\partial L = 1$ and walk the list backwards, adding *upstream × local* into
every parent.

@@ code
for node in order:
    node.grad = 0.0
L.grad = 1.0
for node in reversed(order):
    for parent, local in zip(node._parents, node._locals):
        parent.grad += node.grad * local        # upstream x local

by_hand_loop = {v.label: v.grad for v in (w, x, b)}
print(by_hand_loop)

@@ markdown
That loop *is* the algorithm. `L.backward()` runs the same walk
(`tinygrad_init.autograd.backward`, shared with the tensor engine of tutorial 3). The
leaves' gradients accumulate across calls, so we reset them first:

@@ code
for v in (w, x, b):
    v.zero_grad()
L.backward()
print({v.label: v.grad for v in (w, x, b)})
assert all(v.grad == by_hand_loop[v.label] for v in (w, x, b))   # the very same numbers

@@ markdown
With `show_local=True` each edge carries its local derivative (`×1.5` on the edge from `w`
into `*`). Read the picture from right to left: the gradient of an op's result times the
factor on one of its input edges is what that input receives. For `w` that is
$-1.184 \times 1.5 = -1.777$.

@@ code
draw.draw(L, show_data=True, show_grad=True, show_local=True)

@@ markdown
## 4. Check it: by hand, then numerically

By hand, the chain rule along the only path from $L$ to $w$ is

$$\frac{\partial L}{\partial w} = \underbrace{2(h - y)}_{\partial L/\partial h}
\cdot \underbrace{(1 - h^2)}_{\partial h/\partial z} \cdot \underbrace{x}_{\partial z/\partial w}.$$

@@ code
dL_dh = 2 * (h.data - y)
dh_dz = 1 - h.data ** 2
print(f"by hand: {dL_dh * dh_dz * x.data:.10f}")
print(f"engine:  {w.grad:.10f}")

@@ markdown
A numerical check needs no calculus at all. Nudge $w$ by a small $\varepsilon$ both ways and
watch the loss: the **central difference**

$$\frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}$$

has an error of order $\varepsilon^2$.

@@ code
def loss(w_, x_=1.5, b_=0.3):
    return (math.tanh(w_ * x_ + b_) - y) ** 2

eps = 1e-6
numeric = (loss(-0.8 + eps) - loss(-0.8 - eps)) / (2 * eps)
print(f"numeric: {numeric:.10f}   difference {abs(numeric - w.grad):.1e}")

@@ markdown
`gradcheck` does this for every input at once, and also multiplies the output by a random
upstream gradient, so that a backward rule that forgets the upstream factor is caught too:

@@ code
print(gradcheck(lambda w, x, b: ((w * x + b).tanh() - y) ** 2, -0.8, 1.5, 0.3))

@@ markdown
## 5. A value used twice collects both gradients

In $f = a \cdot a + a$ the leaf $a$ feeds the graph three times (twice into the product, once
into the sum). Each use is an edge, each edge adds its contribution, and the total is
$\partial f/\partial a = a + a + 1 = 2a + 1 = 7$ at $a = 3$. This is why backward uses `+=`.

@@ code
a = Value(3.0, label="a")
f = a * a + a; f.label = "f"
f.backward()
print("df/da =", a.grad)
draw.draw(f, show_data=True, show_grad=True, show_local=True)

@@ markdown
The same `+=` has a consequence you will meet in every training loop: a **second**
`backward()` adds to the leaf gradients again. Reset them (`zero_grad()`) before each step.

@@ code
f.backward()
print("after a second backward:", a.grad)   # 7 + 7
a.zero_grad()
f.backward()
print("after zero_grad and backward:", a.grad)

@@ markdown
## 6. Every op knows its local derivative

| op | result | local derivative(s) |
|---|---|---|
| `a + b` | $a + b$ | $1,\ 1$ |
| `a * b` | $ab$ | $b,\ a$ |
| `a / b` | $a/b$ | $1/b,\ -a/b^2$ |
| `x ** n` | $x^n$ | $n x^{n-1}$ |
| `x.exp()` | $e^x$ | $e^x$ |
| `x.log()` | $\ln x$ | $1/x$ |
| `x.tanh()` | $\tanh x$ | $1 - \tanh^2 x$ |
| `x.sigmoid()` | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)\,(1 - \sigma(x))$ |
| `x.relu()` | $\max(0, x)$ | $1$ if $x > 0$ else $0$ |

`gradcheck` confirms each rule against central differences:

@@ code
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

@@ markdown
## 7. From a neuron to a network

`tinygrad_init.scalar_nn` builds neurons from Values: a `Neuron` computes
$\mathrm{act}(\sum_i w_i x_i + b)$, a `Layer` is a list of neurons and an `MLP` a list of
layers. Every weight is its own Value, so the graph of one neuron shows, at every weight,
that the gradient of $w_i$ is the upstream gradient times its local derivative $x_i$.

@@ code
neuron = scalar_nn.Neuron(2, activation="tanh", rng=0, name="n")
out = neuron([1.0, -2.0]); out.label = "out"
out.backward()
draw.draw(out, show_data=True, show_grad=True, show_local=True)

@@ markdown
That is everything a network needs. A 2-4-1 tanh MLP learns XOR, which no single neuron can:
forward, loss, `zero_grad`, `backward`, and a step of gradient descent
$\theta \leftarrow \theta - \eta\, \partial L/\partial \theta$ on every parameter.

@@ code
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
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(losses)
ax.set(xlabel="step", ylabel="loss (sum of squares)", yscale="log", title="A scalar MLP learns XOR")
plt.show()

@@ markdown
## What to remember

* Each op stores its local derivatives when it runs forward.
* Backward visits the nodes in reverse topological order and does
  `parent.grad += node.grad * local`: the chain rule, one edge at a time.
* A node used several times sums its contributions; leaf gradients accumulate across
  `backward()` calls until you `zero_grad()`.
* Central differences check any gradient numerically.

Next, tutorial 2 records every one of these steps in a ledger and follows a gradient down a
deep chain.

## Exercises

Write the backward rules yourself. Copy the starting files into a folder, edit them, and let
the grader check them (it names the mistake when it recognises one):

```bash
tinygrad-init exercises start my_exercises
tinygrad-init exercises grade my_exercises mul_backward
tinygrad-init exercises grade my_exercises pow_backward
tinygrad-init exercises grade my_exercises tanh_backward
tinygrad-init exercises grade my_exercises sigmoid_backward
```

@@ code
from tinygrad_init.exercises import catalog

for name in ["mul_backward", "pow_backward", "tanh_backward", "sigmoid_backward"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:18s} {ex.title}")

@@ markdown
Try also, here in the notebook:

1. Use `b` twice, $z = wx + b + b$. Predict `b.grad` and `w.grad` before you run it (careful: $h$ changes too).
2. Compute $\partial L/\partial x$ by hand with the chain rule and compare with `x.grad`.
3. Make the XOR net learn with `activation="relu"`: what learning rate works?
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["02_backprop_chain"] = r'''
@@ markdown
# 2. The backprop chain: upstream × local

Tutorial 1 ended with a short loop: visit the nodes from the output back to the inputs
and, on every edge, add *upstream gradient × local derivative* into the parent. This
notebook watches that loop at work:

1. the **ledger** writes down every chain-rule step, with its numbers;
2. we **step through** a backward pass, one picture per step, and write a page that plays it;
3. a gradient is a **sum over paths** of products of local derivatives;
4. along a **deep chain** that product shrinks or grows geometrically;
5. the same happens, layer by layer, in a 10-layer network: with `0.01 * randn` weights each
   layer multiplies the gradient by about 0.22.

@@ code
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import IFrame, display

from tinygrad_init import Tensor, Value, autograd, draw, ledger, nn, player, scalar_nn
from tinygrad_init.ledger import count_paths, layer_gains, path_products

@@ markdown
## 1. A small graph with a shared input

$$L = \tanh(a b + a), \qquad a = 1.5,\ b = -0.5 .$$

The input $a$ is used twice: in the product and in the sum.

@@ code
a = Value(1.5, label="a")
b = Value(-0.5, label="b")
c = a * b;    c.label = "c"
d = c + a;    d.label = "d"
L = d.tanh(); L.label = "L"
draw.draw(L, show_data=True, show_local=True)

@@ markdown
## 2. The ledger: every step of the chain rule, written down

`ledger.record()` watches the backward passes run inside it. Each chain-rule step becomes
one line, in the order the engine performs it:

$$\underbrace{\frac{\partial L}{\partial p}}_{\text{parent}} = \underbrace{\frac{\partial L}{\partial n}}_{\text{upstream}}
\times \underbrace{\frac{\partial n}{\partial p}}_{\text{local}} .$$

@@ code
with ledger.record() as steps:
    L.backward()
steps.explain()

@@ markdown
How to read it:

* The first line is the **seed**, $\partial L/\partial L = 1$.
* `dL/dd = dL/dL × ∂L/∂d` is the local derivative of tanh, $1 - \tanh^2(0.75) = 0.5966$.
* A sum passes its upstream gradient on unchanged (local derivative 1), so `c` gets the same
  0.5966.
* The product `c = a * b` multiplies by the *other* factor: `b` gets $0.5966 \times 1.5$.
* `a` feeds two nodes, so it gets **two** contributions:
  $0.5966 \times 1 + 0.5966 \times (-0.5) = 0.2983$ (the second of its two lines says `+=`).

Every line is also a record with the numbers in it:

@@ code
s = steps[3]                  # the second contribution to a
print(f"step {s.index}: from {s.node_name} to {s.parent_name}: upstream {s.upstream:.6f} x local {s.local} "
      f"= {s.contribution:.6f}")
print(f"gradient of {s.parent_name} after this step: {s.grad_after:.6f}   (a.grad = {a.grad:.6f})")

@@ markdown
## 3. Step through the backward pass

`draw.draw_step(steps, k)` draws the graph after the first `k` steps: the gradients known
so far are filled in (`?` for the rest), the edge being used is red, and the caption is the
ledger's line for that step. Here are $k = 1, 3, 4$: the seed passing through tanh, the
first contribution to `a`, and the second one.

@@ code
for k in (1, 3, 4):
    display(draw.draw_step(steps, k))

@@ markdown
To go through all the steps, write the **player**: one self-contained HTML page with the
graph, previous/next buttons, a slider and the arrow keys. It works offline; open it in a
browser (or below, if your notebook shows local pages in a frame).

@@ code
page = player.write_player("backprop_player.html", steps, title="L = tanh(a*b + a), step by step")
print("wrote", page.resolve())
IFrame(str(page), width="100%", height=420)

@@ markdown
## 4. A gradient is a sum over paths

Unroll the `+=`: each contribution to $\partial L/\partial a$ comes from one **path** from
$L$ down to $a$, and it is the product of the local derivatives along that path:

$$\frac{\partial L}{\partial a} = \sum_{\text{paths } L \to a}\ \prod_{\text{edges on the path}} \text{local} .$$

`path_products` lists the paths, straight from the local derivatives stored at forward time:

@@ code
paths = path_products(L, a)
print(paths.explain())
print("a.grad from backward:", a.grad)

@@ markdown
Backpropagation never lists the paths. It adds up the shared tails once, at the node where
they meet, and that is what makes it fast. In a dense network the number of paths explodes
with depth, while the work of backward (one step per edge) grows only linearly. Here is
a scalar MLP with one input and hidden layers of 8 tanh units:

@@ code
for depth in range(1, 5):
    net = scalar_nn.MLP(1, [8] * depth + [1], activation="tanh", rng=0)
    x = Value(0.3, label="x")
    out = net([x])
    n_nodes = len(autograd.topological_order(out))
    print(f"{depth} hidden layers: {count_paths(out, x):5d} paths from the output to x, {n_nodes} nodes in the graph")

@@ markdown
## 5. A deep chain: a product of local derivatives

With a single path the sum has one term: the gradient is a product with one factor per op.
Take a chain of 30 steps $v_k = \tanh(w\, v_{k-1})$, $v_0 = x$. Then

$$\frac{\partial v_{30}}{\partial x} = \prod_{k=1}^{30} w \,\bigl(1 - v_k^2\bigr) .$$

Each factor is the local derivative of one `*` ($w$) times that of one `tanh`
($1 - v_k^2 \le 1$). Unless the factors are close to 1, the product vanishes (or explodes)
geometrically. `path_products` shows the factors for a short chain:

@@ code
x = Value(0.5, label="x")
v = x
for k in range(5):
    v = (v * 0.9).tanh()
v.label = "v5"
print(path_products(v, x).explain())

@@ code
def chain_grad(w, depth, x0=0.5, activation="tanh"):
    # dv_depth/dx for v_k = f(w * v_{k-1}), f = tanh or the identity
    x = Value(x0, label="x")
    v = x
    for _ in range(depth):
        v = v * w
        if activation == "tanh":
            v = v.tanh()
    v.backward()
    return abs(x.grad)

depths = np.arange(1, 31)
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for w in (0.9, 1.0, 1.1):
    axes[0].plot(depths, [chain_grad(w, d, activation="linear") for d in depths], label=f"w = {w}")
for w in (0.5, 1.0, 2.0, 4.0):
    axes[1].plot(depths, [chain_grad(w, d) for d in depths], label=f"w = {w}")
axes[0].set(title="linear chain: v = w v", xlabel="depth", ylabel="|dv/dx|", yscale="log")
axes[1].set(title="tanh chain: v = tanh(w v)", xlabel="depth", ylabel="|dv/dx|", yscale="log")
for ax in axes:
    ax.legend()
plt.show()

@@ markdown
On the left the gradient is exactly $w^{\text{depth}}$: $0.9^{30} = 0.042$ and
$1.1^{30} = 17.4$. On the right, tanh's local derivative is at most 1. A small $w$ shrinks
the signal and the gradient together; a large $w$ drives tanh into its flat tails, where
$1 - v^2$ is close to 0. Either way the gradient reaching $x$ vanishes geometrically; only
near $w = 1$ does it fade slowly.

## 6. The same product, layer by layer, in a deep network

A 10-layer tanh network with 500 units per layer and CS231n's "small" initialization,
`W = 0.01 * randn(500, 500)`, on a batch of 1000 unit-Gaussian inputs. On the way back
each layer computes $\partial L/\partial h_{l-1} = \bigl(f'(z_l) \odot \partial L/\partial h_l\bigr) W_l^\top$:
every entry sums 500 terms, each a gradient times a weight of std 0.01, so the std is
multiplied by about

$$0.01 \cdot \sqrt{500} \approx 0.2236$$

(tanh is almost linear at such small activations, $f' \approx 1$). `ledger.layer_gains`
reads these per-layer factors from a recorded Tensor backward pass:

@@ code
rng = np.random.default_rng(0)
modules = []
for _ in range(10):
    modules += [nn.Linear(500, 500, init="small", bias=False, rng=rng), nn.Tanh()]
model = nn.Sequential(*modules)              # parameters are named 0.weight, 2.weight, ...

X = Tensor(rng.standard_normal((1000, 500)).astype(np.float32))
out = model(X)
G = rng.standard_normal(out.shape).astype(np.float32)   # a non-uniform upstream gradient dL/d(out)
with ledger.record() as tensor_steps:
    out.backward(G)

gains = layer_gains(tensor_steps)
print(gains.explain())

@@ markdown
Column by column: `W gain` is $\lVert g W^\top \rVert / \lVert g \rVert$, the factor from the
weights alone (0.22); `f gain` is the factor from tanh's local derivative (almost exactly 1);
`product` is how much of the gradient at the output is left at that layer's input. Nine
factors of 0.2236 multiply to $0.2236^9 = 1.4 \times 10^{-6}$:

@@ code
per_layer = [g.gain for g in gains if g.gain is not None]
print(f"mean gain per layer {np.mean(per_layer):.4f}   (0.01 * sqrt(500) = {0.01 * np.sqrt(500):.4f})")
print(f"product {gains.product():.3g}   (0.2236 ** {len(per_layer)} = {0.2236 ** len(per_layer):.3g})")
assert abs(np.mean(per_layer) - 0.2236) < 0.005

@@ markdown
For tensors the ledger keeps shapes, norms and the rule of each step instead of single
numbers. The first lines of the same pass:

@@ code
tensor_steps.explain(max_lines=7)

@@ markdown
The weight gradients are not spared. The local derivative of `x @ W` with respect to $W$
is the layer's *input*, $\partial L/\partial W = x^\top g$, and with this init the inputs of
the upper layers are tiny too. Tutorial 5 measures both effects layer by layer, and
tutorial 6 picks the weight scale that makes every factor close to 1.

## What to remember

* The ledger writes each chain-rule step as *parent gradient = upstream × local*, in the
  order backward runs; a node that feeds several nodes collects several `+=` lines.
* A gradient is a sum over paths of products of local derivatives; backprop computes it
  without listing the paths.
* Along a deep chain the product has one factor per layer: about 0.22 per layer for a
  `0.01 * randn` tanh net of width 500, so after nine layers $10^{-6}$ of the gradient is left.

## Exercises

Write the two halves of `backward` yourself: the graph walk, and the accumulation of
gradients at a node that is used more than once.

```bash
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises topological_order
tinygrad-init exercises grade my_exercises accumulate_grads
```

@@ code
from tinygrad_init.exercises import catalog

for name in ["topological_order", "accumulate_grads"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:18s} {ex.title}")

@@ markdown
Try also:

1. In section 1 use `b` twice, `c = a * b * b`. How many paths lead from $L$ to $b$ now?
   Check with `path_products(L, b)`.
2. In section 6 replace `"small"` by `"cs231n"` (`randn / sqrt(500)`). What are the `W gain`
   and the `f gain` now, and which one is below 1?
3. Which constant `w` keeps `chain_grad(w, 30)` of the tanh chain largest? Why can it not
   stay at 1?
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["03_tensors_and_layers"] = r'''
@@ markdown
# 3. Tensors and layers

A network with thousands of weights needs arrays, not one `Value` per number.
`tinygrad_init.Tensor` wraps a numpy array and keeps the same idea: every op records its
parents, and backward walks the graph in reverse topological order (the very same walk,
`tinygrad_init.autograd`). What changes is the local derivative. For an array op it is a
Jacobian matrix, far too big to store, so each op implements the product of the upstream
gradient with it instead, a **vector-Jacobian product** (VJP): given $g = \partial L/\partial y$,
of $y$'s shape, it returns $\partial L/\partial x$, of $x$'s shape.

In this notebook:

1. tensors and their backward rules;
2. broadcasting in the forward pass, and **summing it back** in the backward pass;
3. the `Linear` layer, $y = xW + b$, and its backward $dW = x^\top g$, $dx = g W^\top$,
   checked by hand and by central differences;
4. `gradcheck` on a small network;
5. training an MLP on the two moons and drawing its decision boundary.

@@ code
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, draw, nn, no_grad, tensor
from tinygrad_init.data import moons
from tinygrad_init.gradcheck import gradcheck
from tinygrad_init.optim import SGD
from tinygrad_init.tensor import unbroadcast

rng = np.random.default_rng(0)

@@ markdown
## 1. Tensors remember their op, and each op knows its VJP

Every op is a small class with a forward and a backward written side by side. Its `rules`
say, in words, what the backward does with the upstream gradient `g`, one rule per input:

@@ code
for name, op in tensor.OPS.items():
    print(f"{name:12s} " + ";   ".join(op.rules))

@@ code
x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = (x * x).sum()          # y = sum of squares
y.backward()
print("y =", y.item(), "  op:", y.op)
print("dy/dx = 2x =\n", x.grad)

@@ markdown
## 2. Broadcasting forward, summing backward

Adding a bias of shape `(3,)` to a batch of shape `(4, 3)` uses the same bias in every
row: numpy *broadcasts* it, as if it had been copied four times. Each copy gets its own
gradient, and since they are all the same variable the gradients **add up**:

$$y_{nj} = x_{nj} + b_j \quad\Longrightarrow\quad \frac{\partial L}{\partial b_j} = \sum_n g_{nj} .$$

The engine does this in one place for every op, `tensor.unbroadcast(grad, shape)`: it sums
over the axes that broadcasting added or stretched.

@@ code
x = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
bias = Tensor(np.array([0.1, -0.2, 0.3]), requires_grad=True)
y = x + bias
G = rng.standard_normal((4, 3))          # a non-uniform upstream gradient dL/dy
y.backward(G)

print("bias.grad          ", bias.grad)
print("G.sum(axis=0)      ", G.sum(axis=0))
print("unbroadcast(G, (3,))", unbroadcast(G, (3,)))

@@ markdown
A size-1 axis is stretched the same way and summed with `keepdims`, so the gradient keeps
the shape `(4, 1)` of the column it belongs to:

@@ code
col = Tensor(np.full((4, 1), 2.0), requires_grad=True)
(x * col).backward(G)
print(col.grad.shape)
print(np.allclose(col.grad, (G * x.data).sum(axis=1, keepdims=True)))

@@ markdown
Why a *random* upstream gradient? With `G` all ones (what `y.sum().backward()` feeds in)
many wrong rules give the right answer by accident. Two classic slips for a bias on a
square `(3, 3)` batch, summing over the wrong axis and assuming every row is the same,
agree with the right rule under all-ones; only a non-uniform upstream tells them apart:

@@ code
for name, upstream in [("all ones", np.ones((3, 3))), ("random", rng.standard_normal((3, 3)))]:
    right = upstream.sum(axis=0)          # sum over the batch: correct
    wrong_axis = upstream.sum(axis=1)     # sum over the features
    first_row = 3 * upstream[0]           # "every row has the same gradient"
    print(f"{name:9s} right {np.round(right, 3)}   wrong axis {np.round(wrong_axis, 3)}   "
          f"first row x 3 {np.round(first_row, 3)}")

@@ markdown
## 3. The Linear layer: $y = xW + b$

`nn.Linear(fan_in, fan_out)` stores $W$ with shape `(fan_in, fan_out)`, the layout of the
lecture formula `W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)` (PyTorch stores the
transpose). For a batch $x$ of shape `(N, fan_in)` and upstream $g = \partial L/\partial y$
of shape `(N, fan_out)`:

$$\frac{\partial L}{\partial W_{ij}} = \sum_n x_{ni}\, g_{nj}
\;\Rightarrow\; dW = x^\top g, \qquad
\frac{\partial L}{\partial x_{ni}} = \sum_j g_{nj}\, W_{ij}
\;\Rightarrow\; dx = g\, W^\top, \qquad db = \sum_n g_{n\cdot} .$$

Each is *upstream × local*: the local derivative of $xW$ with respect to $W$ is $x$, and
with respect to $x$ it is $W$. The shapes fit only one way, which is a good way to remember
the formulas: $(\text{in}, N)(N, \text{out})$ and $(N, \text{out})(\text{out}, \text{in})$.

@@ code
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

@@ markdown
Now without any formula: nudge one weight, $W_{1,0}$, by $\pm\varepsilon$ and measure how
$S = \sum g \odot y$ changes (its gradient with respect to $y$ is exactly $g$):

@@ code
def S(W_):
    return float(np.sum(g * (xb.data @ W_ + layer.bias.data)))

eps = 1e-6
W_plus, W_minus = W.copy(), W.copy()
W_plus[1, 0] += eps
W_minus[1, 0] -= eps
numeric = (S(W_plus) - S(W_minus)) / (2 * eps)
print(f"numeric {numeric:.9f}   engine {layer.weight.grad[1, 0]:.9f}")

@@ markdown
`gradcheck` does that for every element of every input, in float64, with a random
non-uniform upstream gradient:

@@ code
print(gradcheck(lambda x, W, b: x @ W + b, xb.data, W, layer.bias.data))

@@ markdown
## 4. The graph of a layer

Drawing a tiny MLP with its loss: parameters are boxes named by their module path
(`layers.0.weight`), each op an ellipse with its output shape, and with `show_local=True`
every edge carries the backward rule for that input. Clusters group the ops of each module
(`draw.trace` notes which module produced what).

@@ code
small = nn.MLP([2, 3, 1], activation="tanh", rng=0)
Xs, ys = moons(8, noise=0.1, rng=0)
tr = draw.trace(small, Tensor(Xs))
loss = nn.mse_loss(tr.output, ys.reshape(-1, 1).astype(np.float32))
loss.backward(retain_grads=True)            # keep the intermediate gradients for the colours
draw.draw(loss, module=tr, show_local=True, color_by_grad=True)

@@ markdown
## 5. gradcheck a whole network

The same check works for any composition of ops. A two-layer network with a
log-softmax output, all inputs checked at once:

@@ code
x0, W1, W2 = rng.standard_normal((6, 3)), rng.standard_normal((3, 4)), rng.standard_normal((4, 3))
print(gradcheck(lambda x, W1, W2: ((x @ W1).tanh() @ W2).log_softmax(axis=1), x0, W1, W2))

@@ markdown
When a check fails, the message says where and why. ReLU has a kink at 0, where no
derivative exists, so no backward rule can match central differences *there*:

@@ code
print(gradcheck(lambda x: x.relu(), np.array([-1.0, 0.0, 2.0]), raise_on_fail=False))

@@ markdown
## 6. Train an MLP on the two moons

Everything together: a 2-16-16-1 tanh MLP (Xavier init, the default for tanh), the binary
cross-entropy of its logits, and SGD with momentum, full batch, 300 steps.

@@ code
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

@@ code
xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, 200), np.linspace(-1.3, 1.8, 200))
grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
with no_grad():
    logits = model(Tensor(grid)).data.reshape(xx.shape)

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
axes[0].plot(history)
axes[0].set(xlabel="step", ylabel="loss", yscale="log", title="training loss")
axes[1].contourf(xx, yy, logits > 0, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
axes[1].contour(xx, yy, logits, levels=[0.0], colors="k", linewidths=1)
axes[1].scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=18)
axes[1].set(title=f"decision boundary (accuracy {accuracy:.0%})", xlabel="$x_1$", ylabel="$x_2$")
plt.show()

@@ markdown
## What to remember

* A tensor op's backward is a vector-Jacobian product: upstream gradient in, one gradient
  per input out, each of its input's shape.
* Broadcasting copies; the backward of a copy is a **sum** (`unbroadcast`).
* `Linear`: $dW = x^\top g$, $dx = g W^\top$, $db = \sum_n g$. The shapes fit only one way.
* Check backward rules with central differences in float64 and a **non-uniform** upstream
  gradient (`gradcheck`).

## Exercises

```bash
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises unbroadcast
tinygrad-init exercises grade my_exercises linear_backward
tinygrad-init exercises grade my_exercises softmax_ce_backward
tinygrad-init exercises grade my_exercises central_difference
```

@@ code
from tinygrad_init.exercises import catalog

for name in ["unbroadcast", "linear_backward", "softmax_ce_backward", "central_difference"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:20s} {ex.title}")

@@ markdown
Try also:

1. What shape does `unbroadcast` return for a gradient of shape `(2, 4, 3)` and a target
   shape `(4, 1)`? Predict it, then run it.
2. Train the moons MLP with `activation="relu"`, or with the sizes `[2, 4, 1]`.
   How does the boundary change?
3. Use `gradcheck` on `lambda x: (x * x).sum() / x.shape[0]`; then break it on purpose, e.g.
   `x.max(axis=1)` on an input with a tie. What does the message say?
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["04_why_not_zeros"] = r'''
@@ markdown
# 4. Why not start from zeros? Symmetry

Before training, every weight needs a first value. Zero looks like the neutral choice, and
a constant looks harmless. Both are traps, for a reason that has nothing to do with the
size of the numbers: **symmetry**. If two hidden units start identical, they compute the
same output, receive the same gradient and take the same step, at every step, forever.
A layer of 8 identical units is worth one unit.

1. identical units give identical gradients (the algebra, then the numbers);
2. zeros are worse still: almost every gradient is exactly 0;
3. the symmetry experiment: train from zeros, from a constant and from random weights,
   and count the distinct units;
4. a tiny random nudge breaks the symmetry on paper but not in practice.

@@ code
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, experiments, init, nn
from tinygrad_init.data import moons
from tinygrad_init.experiments import distinct_units
from tinygrad_init.optim import SGD

X, y = moons(200, noise=0.1, rng=0)
targets = y.reshape(-1, 1).astype(np.float32)

@@ markdown
## 1. Identical units get identical gradients

Hidden unit $j$ of a layer computes $h_j = f(z_j)$ with $z_j = \sum_i x_i W_{ij} + b_j$ and
passes $h_j$ on through its outgoing weight $V_j$. Suppose every column $W_{:,j}$, every bias
$b_j$ and every $V_j$ is the same. Then all $z_j$ are equal, and so are the gradients:

$$\frac{\partial L}{\partial z_j} = \frac{\partial L}{\partial \text{out}}\; V_j\, f'(z_j),
\qquad \frac{\partial L}{\partial W_{ij}} = x_i\, \frac{\partial L}{\partial z_j} .$$

The right-hand sides do not depend on $j$. Every column of $\partial L/\partial W$ is the
same, the SGD step $W \leftarrow W - \eta\, \partial L/\partial W$ keeps the columns equal,
and the argument starts again at the next step.

Here it is with numbers: a 2-4-1 tanh net whose weights are all 0.5.

@@ code
constant = init.get("constant", value=0.5)
model = nn.MLP([2, 4, 1], activation="tanh", init=constant, rng=0)
first = model.layers[0]                              # Linear(2, 4)

xb = X[:5]
h = np.tanh(xb @ first.weight.data + first.bias.data)
print("hidden activations, 5 examples x 4 units:\n", h.round(4))

loss = nn.binary_cross_entropy_with_logits(model(Tensor(xb)), targets[:5])
loss.backward()
print("\ndL/dW of the first layer (2 inputs x 4 units):\n", first.weight.grad)
print("\ndL/dV, the outgoing weights:", model.layers[2].weight.grad.ravel())

@@ markdown
## 2. Zeros: the gradients are not just equal, they are 0

With every weight and bias 0, each hidden unit outputs $\tanh(0) = 0$. Then

* the output layer's weight gradient is $\partial L/\partial V = h^\top g = 0$, because $h = 0$;
* the gradient flowing back into the hidden layer is $g V^\top = 0$, because $V = 0$,
  so $\partial L/\partial W = x^\top (\dots) = 0$ as well.

Only the output bias can receive a gradient: the batch mean of
$\sigma(\text{logit}) - y = \tfrac12 - y$. It learns the class balance and nothing else, and
for our balanced moons (100 points of each class) even that gradient is 0: the logit stays
0 and the loss stays at $\ln 2 = 0.693$.

@@ code
zero_model = nn.MLP([2, 4, 1], activation="tanh", init="zeros", rng=0)
loss = nn.binary_cross_entropy_with_logits(zero_model(Tensor(X)), targets)
loss.backward()
for name, p in zero_model.named_parameters():
    print(f"{name:16s} grad {np.round(p.grad.ravel(), 4)}")
print(f"loss {loss.item():.4f}   ln 2 = {np.log(2):.4f}")

# the output bias, by the chain rule: mean over the batch of sigmoid(0) - y
by_hand = np.mean(0.5 - y)
print("output bias gradient by hand:", by_hand)
assert np.allclose(zero_model.layers[2].bias.grad, by_hand, atol=1e-6)

@@ markdown
(With a sigmoid, $h = \sigma(0) = 1/2$ is not 0, so the weights do move, but in lockstep,
exactly as in section 1.)

## 3. The experiment: train and count the distinct units

`experiments.symmetry` trains a 2-8-8-1 tanh net on the moons for 300 full-batch SGD steps
from three initializations of its weights (biases start at 0 in all three): all zeros, all
0.5, and Xavier's random uniform. Afterwards it counts the **distinct units** of each hidden
layer: groups of units whose incoming weights, bias and outgoing weights agree.

@@ code
sym = experiments.symmetry(rng=0)
print(sym.question)
for finding in sym.findings:
    print("-", finding)
sym.table

@@ markdown
Zeros never move (`max_weight_change` 0). The constant init does learn something, but as a
network with **one** unit per layer: its loss stops far above the random init's. The heat
maps of the trained hidden weights show it: identical units are identical columns.

@@ code
sym.figure

@@ markdown
## 4. Is any randomness enough?

On paper a tiny random nudge breaks the symmetry: add noise of size $10^{-4}$ to the
constant 0.5 and the units are no longer identical. In practice the units barely drift
apart. Below, three runs of the same 2-8-8-1 net, tracking the loss and the *spread* of the
units, the largest standard deviation across the units of one input's weights (0 means
identical units).

@@ code
def nudged_constant(shape, rng=None, dtype=np.float32):
    gen = np.random.default_rng(rng)
    return (0.5 + 1e-4 * gen.standard_normal(shape)).astype(dtype)

def train(scheme, steps=300, lr=0.5):
    net = nn.MLP([2, 8, 8, 1], activation="tanh", init=scheme, rng=0)
    opt = SGD(net.parameters(), lr=lr)
    losses, spreads = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.binary_cross_entropy_with_logits(net(Tensor(X)), targets)
        loss.backward()
        opt.step()
        W = net.layers[2].weight.data                       # (8 inputs, 8 units)
        losses.append(loss.item())
        spreads.append(float(W.std(axis=1).max()))
    lin = net.linears()
    units = distinct_units(lin[1].weight.data, lin[1].bias.data, lin[2].weight.data)
    return losses, spreads, units

runs = {"constant 0.5": train(constant), "0.5 + 1e-4 noise": train(nudged_constant),
        "Xavier uniform": train("xavier_uniform")}

fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for label, (losses, spreads, units) in runs.items():
    axes[0].plot(losses, label=label)
    axes[1].plot(np.maximum(spreads, 1e-12), label=f"{label}: {units} of 8 units distinct")
axes[0].set(xlabel="step", ylabel="loss", yscale="log", title="training loss")
axes[1].set(xlabel="step", ylabel="spread across units", yscale="log", ylim=(3e-13, 10),
            title="how different the units of layer 2 are")
for ax in axes:
    ax.legend()
plt.show()

@@ markdown
The nudged run has 8 distinct units by the letter of the definition, yet its loss curve lies
on top of the constant one, and its spread stays at $10^{-4}$: the units are still
practically one unit (the spread of the constant run is exactly 0, drawn at $10^{-12}$). Randomness breaks the symmetry only if the differences between units are large
enough to matter. *How large* is the subject of the next tutorials: large enough that the
units differ, small enough that nothing saturates or explodes.

## What to remember

* Identical units compute the same, get the same gradient and take the same step; zero and
  constant weights never become different.
* With zeros, every gradient except the output bias's is exactly 0.
* Biases may start at 0: the random weights already break the symmetry.
* The scale of the random weights matters as much as the randomness.

## Exercises

The symmetry argument is the Linear backward rule at work: identical columns of $W$ meet
identical columns of $g$ in $dW = x^\top g$. If you have not written it yet:

```bash
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises linear_backward
```

@@ code
from tinygrad_init.exercises import catalog

ex = catalog.get("linear_backward")
print(f"{ex.label}  {ex.name}  {ex.title}")

@@ markdown
Try also:

1. Run section 2 with `activation="sigmoid"`: which parameters get a gradient now, and are
   the columns of the first layer's gradient equal?
2. Keep the weights constant but draw the **biases** at random
   (`bias_init=init.get("normal", std=0.5)`). Is the symmetry broken? Count the distinct units.
3. Increase the noise of `nudged_constant` from `1e-4` to `1e-2` and `1e-1`. When does the
   loss curve leave the constant one?
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["05_small_and_large"] = r'''
@@ markdown
# 5. Too small, too large: collapse and saturation

Random weights break the symmetry (tutorial 4). How large should they be? This notebook runs
the classic experiment of Stanford's CS231n (lecture 6, "Training Neural Networks I"):

* a batch of 1000 inputs, each 500 numbers drawn from $\mathcal N(0, 1)$;
* 10 layers of 500 tanh units, no biases: $h_l = \tanh(h_{l-1} W_l)$;
* every $W_l$ drawn as `scale * randn(500, 500)`, with `scale = 0.01` ("small") and
  `scale = 1.0` ("large").

Then we look at every layer: its activations (histograms, std, saturation), and the
gradients that come back.

@@ code
%matplotlib inline
import numpy as np
from IPython.display import display

from tinygrad_init import Tensor, experiments
from tinygrad_init.probe import Probe

@@ markdown
## 1. First in plain numpy

The experiment needs nothing but numpy. One loop, ten matrix products:

@@ code
rng = np.random.default_rng(0)
D = rng.standard_normal((1000, 500))

for scale in (0.01, 1.0):
    h = D
    stds = []
    for layer in range(10):
        W = scale * rng.standard_normal((500, 500))
        h = np.tanh(h @ W)
        stds.append(h.std())
    print(f"scale {scale}: std by layer", " ".join(f"{s:.3g}" for s in stds))
    print(f"            fraction with |h| > 0.99 at layer 10: {np.mean(np.abs(h) > 0.99):.3f}")

@@ markdown
Two ways to fail:

* **small**: the std shrinks by a factor of about 0.22 per layer, from 0.21 down to about
  $3 \times 10^{-7}$ at layer 10. The activations **collapse** to zero: every input produces
  almost the same, almost-zero output.
* **large**: the std stays near 0.98, but that is because about 90% of all units sit at
  $-1$ or $+1$: tanh is **saturated**.

## 2. Why: count the variance

A pre-activation sums 500 products, $z_j = \sum_{i=1}^{500} h_i W_{ij}$, of independent
terms with mean 0. Variances of independent terms add, so

$$\operatorname{Var}(z) = 500 \cdot \operatorname{Var}(W) \cdot E[h^2],
\qquad \operatorname{std}(z) = \text{scale} \cdot \sqrt{500} \cdot \sqrt{E[h^2]} .$$

* scale 0.01: $0.01 \sqrt{500} = 0.2236$. The $z$ are small, tanh is almost the identity
  there, and each layer multiplies the std by 0.2236: $0.2236^{10} \approx 3 \times 10^{-7}$.
* scale 1.0: $\sqrt{500} \approx 22$. With $|z|$ typically near 20, $\tanh z$ is $\pm 1$
  for almost every unit.

## 3. The same with the lab: a table, histograms and the theory

`experiments.run_sweep` builds the same networks as `nn` modules (`experiments.deep_mlp`),
watches them with a `Probe` (forward hooks on every layer, gradient hooks on every output)
and runs one forward and one backward pass, from a seeded standard-normal upstream
gradient. Every scheme gets the same input batch, the same upstream gradient and the same
standard-normal draws for its weights, so the rows differ only by the scale. Beside each
measurement sits the prediction of `tinygrad_init.theory` (tutorial 6), computed from the
scale and the activation alone.

@@ code
sweep = experiments.run_sweep(("small", "large", "cs231n"), ("tanh",), rng=0)
acts = experiments.activation_statistics(sweep=sweep, schemes=("small", "large"), activations=("tanh",))
for finding in acts.findings:
    print("-", finding)
acts.tables["summary"]

@@ markdown
The histograms tell the story at a glance: a row per scheme, a column per layer, all on the
same axis from $-1$ to $1$. Small: a narrowing spike at 0. Large: two spikes at $\pm 1$.

@@ code
acts.get_figure("hist_tanh")

@@ code
acts.get_figure("std")

@@ markdown
The std falls on a straight line on the log axis: a constant factor per layer. The dashed
theory lines are there too, hidden under the measured ones.

Here is the full per-layer table of one run, measured and predicted side by side:

@@ code
sweep.run("small", "tanh").table(["layer", "pre_std", "pre_std_theory", "act_std", "act_std_theory"])

@@ markdown
## 4. Backward: what reaches the weights?

A network learns through $\partial L/\partial W_l$. Going back through layer $l$:

$$\frac{\partial L}{\partial z_l} = \underbrace{(1 - h_l^2)}_{\tanh'} \odot \frac{\partial L}{\partial h_l},
\qquad \frac{\partial L}{\partial h_{l-1}} = \frac{\partial L}{\partial z_l}\, W_l^\top,
\qquad \frac{\partial L}{\partial W_l} = h_{l-1}^\top\, \frac{\partial L}{\partial z_l} .$$

The first two multiply the gradient by a factor per layer, as in tutorial 2. The third is
*upstream × local*, and the local factor is the layer's **input** $h_{l-1}$.

@@ code
grads = experiments.gradient_statistics(sweep=sweep, schemes=("small", "large"), activations=("tanh",))
sweep.run("small", "tanh").table(["layer", "act_std", "grad_act_std", "grad_act_std_theory", "grad_w_std",
                                  "grad_w_std_theory"])

@@ markdown
**Small init.** Going down, $\partial L/\partial h$ shrinks by 0.22 per layer, from 1 at the
top to about $10^{-6}$ at layer 1: it **vanishes**. The weight gradient
$h_{l-1}^\top\, \partial L/\partial z_l$ pairs an input that shrinks going *up* with a
gradient that shrinks going *down*, so it comes out the same at every layer: about
$4 \times 10^{-5}$. How small that is shows beside the initialization of the next tutorial
(`cs231n`, $W = \text{randn}/\sqrt{500}$), given the very same input and upstream gradient:

@@ code
small_dw = sweep.run("small", "tanh").values("grad_w_std")
xavier_dw = sweep.run("cs231n", "tanh").values("grad_w_std")
print("std of dL/dW by layer, small :", " ".join(f"{v:.2g}" for v in small_dw))
print("std of dL/dW by layer, Xavier:", " ".join(f"{v:.2g}" for v in xavier_dw))
print(f"ratio about {np.median(xavier_dw / small_dw):.3g}")

@@ markdown
Relative to the weights themselves (std 0.01 versus 0.045) one SGD step with the same
learning rate moves the small-init weights tens of thousands of times less: the network
does not learn.

**Large init.** Here the picture is more subtle than "the gradient is zero":

@@ code
sweep.run("large", "tanh").table(["layer", "saturated", "grad_act_std", "grad_act_std_theory", "grad_pre_std",
                                  "grad_w_std"])

@@ markdown
* At the top, tanh's local derivative $1 - h^2$ is almost 0 for the 90% saturated units,
  so $\partial L/\partial z$ is only about 0.16 of $\partial L/\partial h$ (layer 10).
* But the weights are large: $W^\top$ multiplies the gradient by about
  $\sqrt{500} \approx 22$. Through the few unsaturated units it gets across, and the net
  effect is a factor of about 3.5 per layer: going down, the gradient **explodes** to nearly
  $10^5$ at layer 1.

This network cannot train either: each unit is nearly a step function of its input, a few
units get enormous gradients and most get none, and a learning rate small enough for the
first layer is far too small for the last. The measured numbers and the theory agree
again. Both failures in one picture (solid: measured, dashed: theory):

@@ code
grads.figure

@@ markdown
## 5. Watch it yourself with a Probe

`Probe` works on any model built from `nn` modules. Here is the small network once more,
with its own seed, and the probe's forward and backward tables:

@@ code
model = experiments.deep_mlp(10, 500, "tanh", init="small", rng=1)
X = np.random.default_rng(2).standard_normal((1000, 500)).astype(np.float32)
with Probe(model) as probe:
    out = model(Tensor(X))
    out.backward(np.random.default_rng(3).standard_normal(out.shape).astype(np.float32))
display(probe.stats("forward"))
probe.stats(["layer", "grad_act_std", "grad_act_ratio", "grad_w_std"])

@@ markdown
`grad_act_ratio` is each layer's gradient std divided by the one above: 0.22 all the way
down, exactly the factor `ledger.layer_gains` found in tutorial 2.

## What to remember

* While tanh is near-linear, each layer multiplies the activation std by about
  $\text{scale} \cdot \sqrt{n_\text{in}}$, with $n_\text{in}$ the fan-in: 0.22 for `0.01 * randn` on 500 units, so ten layers collapse
  the signal to $3 \times 10^{-7}$.
* With `1.0 * randn` the pre-activations have std about 22, and 90% of the tanh units saturate.
* Small init: $\partial L/\partial h$ vanishes going down, and every $\partial L/\partial W$ is
  tiny. Large init: most units pass no gradient, the rest pass it amplified.
* The right scale depends on the number of inputs of a unit, its **fan-in**.

## Exercises

Every initialization formula starts from the fans of the weight. Write the function that
reads them from a weight's shape:

```bash
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises fans
```

@@ code
from tinygrad_init.exercises import catalog

ex = catalog.get("fans")
print(f"{ex.label}  {ex.name}  {ex.title}")

@@ markdown
Try also:

1. Run the numpy loop of section 1 with `scale = 0.05` and `scale = 0.1`. Which scale keeps
   the std roughly constant? Compare with $1/\sqrt{500}$.
2. Repeat it with widths of 100 instead of 500 and `scale = 0.01`. What is the factor per
   layer now?
3. Replace tanh by the sigmoid in the numpy loop. Why does the std not collapse to 0?
   (Hint: what is $\sigma(0)$?)
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["06_xavier"] = r'''
@@ markdown
# 6. Xavier initialization: keep the variance

Tutorial 5 found that each tanh layer multiplies the activation std by about
$\text{scale} \cdot \sqrt{n_\text{in}}$. Choose the scale so that this factor is 1 and
the signal keeps its size through any number of layers. That is the idea of Glorot and
Bengio (2010), known as **Xavier initialization**. This notebook

1. derives $\operatorname{Var}(\text{out}) = n \operatorname{Var}(w) \operatorname{Var}(\text{in})$
   and checks it by simulation;
2. states the **forward** and the **backward** condition, and Glorot's compromise between them;
3. shows them at work in a funnel-shaped network, theory beside measurement;
4. runs the 10-layer tanh network with Xavier and compares every layer with the
   mean-field prediction of `tinygrad_init.theory`;
5. untangles the three different formulas that are all called "Xavier".

@@ code
%matplotlib inline
import numpy as np
from IPython.display import Markdown

from tinygrad_init import experiments, init, nn, plots, theory
from tinygrad_init.probe import probe_model
from tinygrad_init.table import Table

@@ markdown
## 1. The variance of a sum of products

Take one unit, $y = \sum_{i=1}^{n} w_i x_i$, with all $w_i$ and $x_i$ independent, mean 0.
Then each product has $\operatorname{Var}(w_i x_i) = E[w_i^2]\,E[x_i^2] = \operatorname{Var}(w)\operatorname{Var}(x)$,
and the variances of independent terms add:

$$\operatorname{Var}(y) = n \cdot \operatorname{Var}(w) \cdot \operatorname{Var}(x) .$$

The output keeps the input's variance exactly when $n \operatorname{Var}(w) = 1$, that is
$w \sim \mathcal N(0, 1/n)$: `randn(n, m) / sqrt(n)`. A quick simulation with inputs of
variance 4:

@@ code
rng = np.random.default_rng(0)
rows = []
for n in (10, 100, 1000):
    x = 2.0 * rng.standard_normal((2000, n))                   # Var(x) = 4
    for label, std_w in (("0.01", 0.01), ("1/sqrt(n)", 1 / np.sqrt(n))):
        W = std_w * rng.standard_normal((n, 500))
        y = x @ W
        rows.append([n, label, n * std_w ** 2 * 4.0, y.var()])
Table(["n", "std(w)", "predicted Var(y) = n Var(w) Var(x)", "measured Var(y)"], rows,
      title="Var(y) for y = x @ W, Var(x) = 4")

@@ markdown
## 2. Two conditions, one compromise

For a layer $y = xW$ with $W$ of shape $(n_\text{in}, n_\text{out})$:

* **Forward.** Each output sums $n_\text{in}$ terms, so
  $\operatorname{Var}(y) = n_\text{in} \operatorname{Var}(W) \operatorname{Var}(x)$.
  Keeping the activations' size needs $n_\text{in} \operatorname{Var}(W) = 1$.
* **Backward.** The gradient $\partial L/\partial x = g W^\top$ sums over the $n_\text{out}$
  outputs each input feeds, so
  $\operatorname{Var}(\partial L/\partial x) = n_\text{out} \operatorname{Var}(W) \operatorname{Var}(g)$.
  Keeping the gradients' size needs $n_\text{out} \operatorname{Var}(W) = 1$.

Both hold only when $n_\text{in} = n_\text{out}$. Glorot and Bengio compromise with the
harmonic mean of the two variances $1/n_\text{in}$ and $1/n_\text{out}$:

$$\operatorname{Var}(W) = \frac{2}{n_\text{in} + n_\text{out}},$$

and draw it from a uniform distribution. $U(-a, a)$ has variance $a^2/3$, so the bound is
$a = \sqrt{6/(n_\text{in} + n_\text{out})}$: that is `xavier_uniform` (PyTorch's
`xavier_uniform_`, Keras' `glorot_uniform`). Every scheme of `tinygrad_init.init` carries
its own formula:

@@ code
xu = init.get("xavier_uniform")
print(xu.formula, "   Var(W) =", xu.variance, "   source:", xu.source)
W = xu((784, 256), rng=0)
print(f"784 x 256: bound {np.sqrt(6 / (784 + 256)):.5f}, max |W| {np.abs(W).max():.5f}")
print(f"           std   {xu.std(784, 256):.5f}, measured std {W.std():.5f}")

@@ markdown
## 3. A funnel: forward or backward, pick one

In a network whose widths shrink, 1000-500-250-125-64 (linear layers, no activation, so
only the weights act), the two conditions pull apart. Three choices of the variance:
$1/n_\text{in}$ (LeCun), $1/n_\text{out}$, and Glorot's $2/(n_\text{in} + n_\text{out})$.
`probe_model` runs one forward and one backward pass (from a standard-normal upstream
gradient) and `theory.predict` gives the same numbers from the widths and the scheme alone.

@@ code
widths = [1000, 500, 250, 125, 64]
schemes = {"fan_in (LeCun)": "lecun_normal",
           "fan_out": init.get("variance_scaling", scale=1.0, mode="fan_out"),
           "fan_avg (Glorot)": "xavier_normal"}
X = np.random.default_rng(0).standard_normal((500, widths[0])).astype(np.float32)

forward, backward, forward_theory, backward_theory = {}, {}, {}, {}
for label, scheme in schemes.items():
    model = nn.Sequential(*[nn.Linear(a, b, bias=False, init=scheme, rng=1)
                            for a, b in zip(widths[:-1], widths[1:])])
    measured = probe_model(model, X, rng=2, columns=["layer", "pre_std", "grad_pre_std"])
    predicted = theory.predict(widths, "linear", scheme)
    forward[label], backward[label] = measured.column("pre_std"), measured.column("grad_pre_std")
    forward_theory[label], backward_theory[label] = predicted.pre_std, predicted.grad_pre_std

fwd, bwd = "forward: std of y = x W", "backward: std of dL/dy"
plots.layer_curves({fwd: forward, bwd: backward}, {fwd: forward_theory, bwd: backward_theory},
                   title="Funnel 1000-500-250-125-64, linear layers, input and upstream ~ N(0, 1)")

@@ markdown
* $1/n_\text{in}$ keeps the forward std at 1, and the backward std shrinks by
  $\sqrt{1/2}$ per layer (each layer has half the outputs of its inputs).
* $1/n_\text{out}$ keeps the backward std at 1, and the forward std grows by $\sqrt 2$ per layer.
* Glorot's average lets both drift, each by less.

For the square layers of most lecture examples, all three are the same, $1/n$.

## 4. Ten tanh layers with Xavier: theory beside measurement

Back to tutorial 5's network, 10 tanh layers of 500 units, now with Xavier's variance
$1/500$: `cs231n` (the lecture's `randn / sqrt(fan_in)`) and `xavier_uniform` (Glorot's
uniform; for square layers the same variance). The mean-field theory of
`tinygrad_init.theory.predict` follows the variance layer by layer:

$$q_l = n_{l-1} \operatorname{Var}(W_l)\, E[h_{l-1}^2], \qquad E[h_l^2] = E_{z \sim \mathcal N(0, q_l)}\bigl[\tanh^2 z\bigr],$$

and the same for the gradients with $E[\tanh'(z)^2]$. Here is the prediction for
`xavier_uniform`, and a measurement of one network (`probe_model`) beside it:

@@ code
predicted = theory.predict([500] * 11, "tanh", "xavier_uniform")
net = experiments.deep_mlp(10, 500, "tanh", init="xavier_uniform", rng=3)
X = np.random.default_rng(4).standard_normal((1000, 500)).astype(np.float32)
measured = probe_model(net, X, rng=5, columns=["layer", "act_std", "grad_act_std"])

Table(["layer", "std(h) measured", "std(h) theory", "std(dL/dh) measured", "std(dL/dh) theory"],
      [[l + 1, m, t, gm, gt] for l, (m, t, gm, gt) in enumerate(zip(
          measured.column("act_std"), predicted.act_std,
          measured.column("grad_act_std"), predicted.grad_act_std))],
      title="10 tanh layers x 500 units, xavier_uniform: one network vs the mean-field theory")

@@ markdown
Unlike the small and the large init, nothing collapses or explodes. The activation std
still falls, slowly, from 0.63 to 0.23, and the theory predicts it to two or three digits.
The reason is tanh itself: it is linear only near 0 and squashes larger inputs, so
$E[\tanh^2 z] < \operatorname{Var}(z)$:

@@ code
for q in (0.01, 0.1, 1.0, 4.0):
    m = theory.activation_moments("tanh", q)
    print(f"Var(z) = {q:5}:  E[tanh(z)^2] = {m.second:.4f}   E[tanh'(z)^2] = {m.deriv_second:.4f}")

@@ markdown
With unit-variance inputs the first layer gets $\operatorname{Var}(z) = 1$ and gives
$E[h^2] = 0.394$ (std 0.628); each later layer shrinks its input a little less. Meanwhile
$\partial L/\partial h$ shrinks going down, from 1 at the top to 0.39 at layer 1, a factor
of only about 0.9 per layer, because $E[\tanh'^2] < 1$. Both are gentle enough for ten
layers to train.

The lab's sweep puts all of this in one figure: the bad schemes of tutorial 5, the
two square-layer Xaviers (on top of each other), and Glorot's "standard" heuristic
(section 5), measured (solid) and predicted (dashed, mostly hidden under the measurements):

@@ code
sweep = experiments.run_sweep(("small", "large", "cs231n", "xavier_uniform", "glorot_standard"), ("tanh",), rng=0)
acts = experiments.activation_statistics(sweep=sweep, schemes=sweep.schemes, activations=("tanh",))
acts.get_figure("std")

@@ code
grads = experiments.gradient_statistics(sweep=sweep, schemes=sweep.schemes, activations=("tanh",))
grads.figure

@@ markdown
## 5. Which Xavier?

"Xavier initialization" names three different formulas in courses, papers and libraries,
so `init.get("xavier")` refuses to guess:

@@ code
try:
    init.get("xavier")
except ValueError as error:
    print(error)

@@ markdown
1. `xavier_uniform`: Glorot and Bengio's *normalized* initialization (their eq. 16),
   $U\bigl(\pm\sqrt{6/(n_\text{in} + n_\text{out})}\bigr)$, variance $2/(n_\text{in} + n_\text{out})$.
2. `glorot_standard`: the *standard* heuristic the same paper starts from,
   $U\bigl(\pm 1/\sqrt{n_\text{in}}\bigr)$, variance $1/(3 n_\text{in})$: three times too small
   for the forward condition, so each near-linear tanh layer multiplies the std by about
   $1/\sqrt 3 = 0.577$ (the curve in the figure above that falls steadily).
3. `cs231n`: the CS231n slides' "Xavier", `randn(fan_in, fan_out) / sqrt(fan_in)`:
   variance $1/n_\text{in}$, the forward condition alone, the same as LeCun's `lecun_normal`.

For square layers 1 and 3 have the same variance (their curves in the figure lie on top of
each other); 2 does not. The whole table of schemes, written by the code itself:

@@ code
Markdown(init.table("markdown"))

@@ markdown
## What to remember

* $\operatorname{Var}(xW) = n_\text{in} \operatorname{Var}(W) \operatorname{Var}(x)$ forward,
  $\operatorname{Var}(g W^\top) = n_\text{out} \operatorname{Var}(W) \operatorname{Var}(g)$ backward.
* Xavier/Glorot: $\operatorname{Var}(W) = 2/(n_\text{in} + n_\text{out})$, uniform bound
  $\sqrt{6/(n_\text{in} + n_\text{out})}$; for square layers $1/n$.
* With tanh it keeps ten layers healthy: the std decays gently, and the mean-field theory
  predicts every layer.
* Say which "Xavier" you mean.

Tutorial 7 shows why this is not enough for ReLU.

## Exercises

```bash
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises fans
tinygrad-init exercises grade my_exercises xavier_uniform
```

@@ code
from tinygrad_init.exercises import catalog

for name in ["fans", "xavier_uniform"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:15s} {ex.title}")

@@ markdown
Try also:

1. Use `init.calculate_gain("tanh")` (5/3) as Glorot's gain,
   `init.get("xavier_uniform", gain=5/3)`, in section 4. Does the activation std still decay?
   How many units saturate? (Use `theory.predict` first, then measure.)
2. Run the funnel of section 3 backwards, 64-125-250-500-1000. Which scheme keeps which
   direction now?
3. In section 1, give the inputs a mean of 1 instead of 0. Which assumption of the
   derivation breaks, and what does the simulation show?
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["07_relu_and_he"] = r'''
@@ markdown
# 7. ReLU and He initialization

Xavier's rule $n \operatorname{Var}(W) = 1$ keeps the variance through a unit that is
(nearly) linear around 0, like tanh. ReLU is not: it sets every negative input to 0. This
notebook shows

1. why a ReLU **halves** the second moment of its input;
2. why, as a consequence, Xavier's variance makes a ReLU network fade by $1/\sqrt 2$ per layer;
3. He et al.'s fix (2015): twice the variance, $\operatorname{Var}(W) = 2/n_\text{in}$;
4. the same factor in the backward pass;
5. a 30-layer ReLU network that does not learn from Xavier and does learn from He.

@@ code
%matplotlib inline
import numpy as np

from tinygrad_init import experiments, init, theory
from tinygrad_init.table import Table

@@ markdown
## 1. ReLU halves the second moment

If $z$ is symmetric around 0 (as a pre-activation with zero-mean weights is), then
$\operatorname{relu}(z)^2$ equals $z^2$ on the positive half and 0 on the negative half, so

$$E\bigl[\operatorname{relu}(z)^2\bigr] = \tfrac12\, E[z^2] .$$

(Its *variance* is smaller still, because the output's mean $E[\operatorname{relu}(z)] = \sqrt{q/(2\pi)}$
is not 0: for $z \sim \mathcal N(0, q)$ the std is $\sqrt{q}\,\sqrt{1/2 - 1/(2\pi)} = 0.584\sqrt q$.)

@@ code
z = np.random.default_rng(0).standard_normal(1_000_000)
h = np.maximum(z, 0.0)
m = theory.activation_moments("relu", 1.0)
print(f"E[z^2] = {np.mean(z**2):.4f}   E[relu(z)^2] = {np.mean(h**2):.4f}   (theory {m.second})")
print(f"mean of relu(z) = {h.mean():.4f} (theory {m.mean:.4f}),   std = {h.std():.4f} (theory {m.std:.4f})")
print(f"E[relu'(z)^2] = fraction of z > 0 = {np.mean(z > 0):.4f}   (theory {m.deriv_second})")

@@ markdown
## 2. What that does to a deep network

The forward recursion of tutorial 6 becomes, for layers after the first,

$$\operatorname{Var}(z_l) = n \operatorname{Var}(W_l)\, E[h_{l-1}^2] = \tfrac12\, n \operatorname{Var}(W_l) \operatorname{Var}(z_{l-1}) .$$

* Xavier, $n \operatorname{Var}(W) = 1$: the variance **halves** at every layer, the std
  shrinks by $1/\sqrt 2 = 0.707$. After 10 layers it is $2^{-5} \approx 0.03$ of the start,
  after 30 layers $2^{-15} \approx 3 \times 10^{-5}$.
* He, $\operatorname{Var}(W) = 2/n_\text{in}$, i.e. `randn(fan_in, fan_out) * sqrt(2 / fan_in)`:
  the factor 2 cancels the $\tfrac12$ and the variance stays constant.

The theory, for 10 layers of 500 units and unit-Gaussian inputs:

@@ code
xav = theory.predict([500] * 11, "relu", "cs231n")
he = theory.predict([500] * 11, "relu", "he_normal")
Table(["layer", "std(z) Xavier", "std(h) Xavier", "std(z) He", "std(h) He"],
      [[l + 1, xav.pre_std[l], xav.act_std[l], he.pre_std[l], he.act_std[l]] for l in range(10)],
      title="mean-field prediction, 10 ReLU layers x 500 units")

@@ markdown
With He the pre-activations keep std $\sqrt 2 = 1.41$ and the activations
$\sqrt 2 \cdot 0.584 = \sqrt{1 - 1/\pi} = 0.826$ at every layer.

## 3. Measured: the 10-layer ReLU network

The same sweep as in tutorials 5 and 6 (10 layers x 500 units, batch 1000, no biases), now
with ReLU. `cs231n` is the lecture's Xavier, `randn / sqrt(fan_in)`; `he_normal` is
`randn * sqrt(2 / fan_in)`.

@@ code
sweep = experiments.run_sweep(("cs231n", "he_normal"), ("relu",), rng=0)
acts = experiments.activation_statistics(sweep=sweep, schemes=sweep.schemes, activations=("relu",))
for finding in acts.findings:
    print("-", finding)
acts.get_figure("std")

@@ code
acts.get_figure("hist_relu")

@@ markdown
The histograms have their spike at exactly 0 (the inactive half of the units) and a
half-Gaussian tail. With Xavier the tail shrinks layer after layer (each panel has its
own x range, printed below it); with He it keeps its width.

`dead` counts units that are 0 for **every** example of the batch. It is the same for both
schemes. Without biases a ReLU network is *positively homogeneous*:
$\operatorname{relu}(s u) = s \operatorname{relu}(u)$ for $s > 0$, so multiplying every weight by
$\sqrt 2$ multiplies layer $l$'s activations by exactly $2^{l/2}$ and changes no sign. The
sweep draws both networks from the same standard-normal numbers, and indeed:

@@ code
xavier_run, he_run = sweep.run("cs231n", "relu"), sweep.run("he_normal", "relu")
ratio = xavier_run.values("act_std") / he_run.values("act_std")
for l, r in enumerate(ratio, start=1):
    print(f"layer {l:2d}: std Xavier / std He = {r:.6f}   2^(-{l}/2) = {2 ** (-l / 2):.6f}")
print("dead units, Xavier:", xavier_run.values("dead"))
print("dead units, He:    ", he_run.values("dead"))

@@ markdown
So for a bias-free ReLU network the choice between Xavier and He is a choice of the overall
scale, $2^{L/2}$ at the output, and that scale decides whether the signal survives.

## 4. Backward: the same factor $\tfrac12$

The local derivative of ReLU is 1 for $z > 0$ and 0 otherwise, so
$E[\operatorname{relu}'(z)^2] = \tfrac12$ and going back through a layer multiplies the gradient
variance by $\tfrac12\, n_\text{out} \operatorname{Var}(W)$:

@@ code
Table(["layer", "std(dL/dh) Xavier", "theory", "std(dL/dh) He", "theory "],
      [[l + 1, a, b, c, d] for l, (a, b, c, d) in enumerate(zip(
          xavier_run.values("grad_act_std"), xavier_run.values("grad_act_std_theory"),
          he_run.values("grad_act_std"), he_run.values("grad_act_std_theory")))],
      title="gradient std by layer (upstream ~ N(0, 1) at layer 10)")

@@ markdown
With Xavier the gradient halves its variance at every layer on the way down; with He it
keeps its size. For square layers $n_\text{in} = n_\text{out}$ and one choice satisfies both
directions. For other shapes He et al. offer `mode="fan_out"`,
$\operatorname{Var}(W) = 2/n_\text{out}$, which keeps the backward pass exact instead:

@@ code
for mode in ("fan_in", "fan_out"):
    scheme = init.get("he_normal", mode=mode)
    print(f"he_normal, mode={mode!r}: {scheme.formula}   std for a 784 x 256 weight: {scheme.std(784, 256):.4f}")
print("gain for ReLU, init.calculate_gain('relu') =", init.calculate_gain("relu"), "= sqrt(2)")

@@ markdown
## 5. Thirty layers: Xavier stalls, He trains

He et al. (2015, Fig. 3) trained a 30-layer ReLU network: with Xavier's variance it did not
learn at all, with theirs it did. `experiments.depth` repeats that in miniature on the two
moons: 30 hidden ReLU layers, a linear output, full-batch SGD with the same learning rate for
both inits.

@@ code
deep = experiments.depth(rng=0)
print(deep.question)
for finding in deep.findings:
    print("-", finding)
deep.table

@@ code
deep.figure

@@ markdown
With Xavier the activation std falls by about $\sqrt 2$ per layer, to a tiny fraction of its
layer-1 size at the output (`layer_1_over_output` in the table): the output hardly depends
on the input, the gradients reaching the first layers are just as small, and the loss stays at $\ln 2 = 0.693$, a coin toss. With He the activation std stays
within an order of magnitude of 1 across all 30 layers (dashed: the theory) and the network
learns, if erratically: the spikes in its loss are what a deep plain network does with one
fixed learning rate.

@@ code
for scheme, run in deep.data.items():
    loss = run["loss"]
    print(f"{scheme:15s} loss {loss[0]:.3f} -> {loss[-1]:.3f}")
xavier_loss, he_loss = deep.data["xavier_uniform"]["loss"], deep.data["he_normal"]["loss"]
assert xavier_loss[-1] > 0.95 * xavier_loss[0] and he_loss[-1] < 0.5 * he_loss[0]

@@ markdown
## What to remember

* $E[\operatorname{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$ and $E[\operatorname{relu}'(z)^2] = \tfrac12$:
  ReLU halves the signal's second moment, forward and backward.
* Xavier's $1/n$ therefore shrinks a ReLU network's std by $1/\sqrt 2$ per layer; He's
  $2/n_\text{in}$ keeps it constant (std of $h$: 0.826 for unit inputs).
* Without biases, Xavier and He differ only by the overall scale $2^{L/2}$: the activation
  pattern is the same, the size is not.
* At depth 30 that scale is the difference between a network that learns and one that does not.

## Exercises

```bash
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises he_normal
tinygrad-init exercises grade my_exercises relu_std
```

@@ code
from tinygrad_init.exercises import catalog

for name in ["he_normal", "relu_std"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:10s} {ex.title}")

@@ markdown
Try also:

1. Leaky ReLU with slope $a$ passes $a z$ for $z < 0$. Show that
   $E[f(z)^2] = \tfrac{1 + a^2}{2} \operatorname{Var}(z)$ and check it with
   `theory.activation_moments("leaky_relu", 1.0, negative_slope=0.1)`. Which variance keeps
   the signal? Compare with `init.calculate_gain("leaky_relu", 0.1)`.
2. Give the 10-layer ReLU network of section 3 a constant bias of 0.1
   (`experiments.deep_mlp(..., bias=True)` and set the biases). Is it still homogeneous?
3. Run `experiments.depth(schemes=("he_normal", "lecun_normal"), layers=20)`. Where does
   LeCun's init sit, and why?
'''


# --------------------------------------------------------------------------------------------
NOTEBOOKS["08_batchnorm"] = r'''
@@ markdown
# 8. Batch normalization frees the initialization

Tutorials 5 to 7 chose the weight scale so that every layer keeps the variance of its
input. Batch normalization (Ioffe and Szegedy, 2015) takes another road: it *measures* the
variance of each feature over the batch and divides it out, at every layer, at every step.
Then the scale of the weights hardly matters any more. This notebook

1. computes what `nn.BatchNorm1d` does, and sees any input scale come out as 1;
2. finds that it makes a layer **scale-invariant**, and what that does to the gradient;
3. checks its backward pass with `gradcheck`;
4. reruns the 10-layer sweep with batch norm after every Linear;
5. trains two networks that could not learn before: a 10-layer tanh net with `0.01 * randn`
   and the 30-layer ReLU net with Xavier.

@@ code
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, experiments, nn, no_grad
from tinygrad_init.data import moons
from tinygrad_init.gradcheck import gradcheck
from tinygrad_init.optim import SGD

rng = np.random.default_rng(0)

@@ markdown
## 1. What batch norm computes

For a batch $z$ of shape $(B, \text{features})$, in training mode, per feature $j$:

$$\mu_j = \frac1B \sum_{n} z_{nj}, \qquad \sigma_j^2 = \frac1B \sum_{n} (z_{nj} - \mu_j)^2, \qquad
\hat z_{nj} = \frac{z_{nj} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \qquad y_{nj} = \gamma_j \hat z_{nj} + \beta_j .$$

$\gamma$ (starts at 1) and $\beta$ (starts at 0) are learned, so the layer can still choose
any scale and offset; $\varepsilon = 10^{-5}$ keeps the division safe. The batch norm layer
goes between a Linear and its activation. Feed it $z = xW$ with weights of very different sizes:

@@ code
x = Tensor(rng.standard_normal((256, 100)).astype(np.float32))
for scale in (1e-3, 1.0, 100.0):
    W = Tensor((scale * rng.standard_normal((100, 50))).astype(np.float32))
    z = x @ W
    y = nn.BatchNorm1d(50)(z)
    print(f"W = {scale:g} * randn: std(z) = {z.data.std():9.4g}  ->  after batch norm: mean {y.data.mean():+.1e}, "
          f"std {y.data.std():.4f}")

@@ markdown
Whatever comes in leaves with mean 0 and std 1, except when the variance is as small as
$\varepsilon$ itself: with std(z) = 0.01 the variance is $10^{-4}$ and the output std is
$\sqrt{10^{-4}/(10^{-4} + 10^{-5})} = 0.953$.

## 2. Scale invariance, and what it does to the gradient

Multiply the weights by any $a > 0$: the mean and the std of $xW$ are multiplied by $a$ too,
and batch norm divides both out, so $\operatorname{BN}(x \cdot aW) = \operatorname{BN}(xW)$
(up to $\varepsilon$). The loss does not change along that direction, and the chain rule
then says

$$\frac{\partial L}{\partial W}\bigg|_{aW} = \frac1a\, \frac{\partial L}{\partial W}\bigg|_{W} .$$

Large weights get small gradients and small weights get large ones: a step of SGD is
automatically in proportion to the weight. Checked in float64:

@@ code
W0 = rng.standard_normal((100, 50))
G = rng.standard_normal((256, 50))                  # a non-uniform upstream gradient
x64 = Tensor(x.data.astype(np.float64))
grads = {}
for a in (1.0, 10.0):
    W = Tensor(a * W0, requires_grad=True)
    out = nn.BatchNorm1d(50, dtype=np.float64)(x64 @ W)
    out.backward(G)
    grads[a] = W.grad
    print(f"a = {a:4}: output[0, :3] = {np.round(out.data[0, :3], 6)}")
rel = np.abs(10 * grads[10.0] - grads[1.0]).max() / np.abs(grads[1.0]).max()
print(f"max |10 * dL/dW(10 W) - dL/dW(W)| relative to max |dL/dW(W)|: {rel:.1e}")

@@ markdown
## 3. Its backward pass, checked

`BatchNorm1d` is built from the engine's own ops (mean, subtract, multiply, power,
divide), so its backward is the chain rule through all of them, including the paths
through $\mu$ and $\sigma^2$, which depend on every row of the batch. Central differences agree:

@@ code
bn = nn.BatchNorm1d(4, dtype=np.float64)
print(gradcheck(lambda z: bn(z), rng.standard_normal((8, 4))))

@@ markdown
## 4. The 10-layer sweep with batch norm

The networks of tutorials 5 to 7, now `Linear -> BatchNorm1d -> activation` ten times, with
the two bad initializations, `0.01 * randn` and `1.0 * randn`. Batch norm runs in training
mode, on the batch of 1000.

@@ code
bnres = experiments.batch_norm(rng=0, activations=("tanh", "relu"))
for finding in bnres.findings:
    print("-", finding)
bnres.figure

@@ markdown
With batch norm (solid) the activation's input has std 1 at every layer, whatever the init:
the small init no longer collapses, the large one no longer saturates tanh (0.8% of
$\mathcal N(0, 1)$ lies beyond $\operatorname{atanh}(0.99) = 2.65$, which is the saturated
fraction left). The dotted lines are the same networks without it. The per-layer numbers:

@@ code
bnres.table

@@ markdown
## 5. Training what could not be trained

Two networks from the earlier tutorials that stay at the coin-toss loss $\ln 2$ without
batch norm: 10 tanh layers of 32 units with `0.01 * randn` (as in tutorial 5), and 30 ReLU
layers of 32 units with Xavier (as in tutorial 7). Each gets a linear output layer and is trained on the
moons with the same optimizer, with and without batch norm after every hidden Linear.

@@ code
X, y = moons(200, noise=0.1, rng=0)
targets = y.reshape(-1, 1).astype(np.float32)

def make(activation, init, depth, batchnorm, width=32):
    body = experiments.deep_mlp(depth, width, activation, init=init, rng=1, batchnorm=batchnorm,
                                input_width=2, bias=not batchnorm)   # batch norm's beta is the bias
    return nn.Sequential(body, nn.Linear(width, 1, rng=2))

def train(model, lr, steps=300):
    opt = SGD(model.parameters(), lr=lr, momentum=0.9)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.binary_cross_entropy_with_logits(model(Tensor(X)), targets)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses

cases = {"10 tanh layers, 0.01 * randn": ("tanh", "small", 10, 0.1),
         "30 ReLU layers, Xavier uniform": ("relu", "xavier_uniform", 30, 0.05)}
models, curves = {}, {}
for title, (activation, init_name, depth, lr) in cases.items():
    for batchnorm in (False, True):
        model = make(activation, init_name, depth, batchnorm)
        curves[title, batchnorm] = train(model, lr)
        models[title, batchnorm] = model

fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for ax, title in zip(axes, cases):
    for batchnorm, style in ((False, ":"), (True, "-")):
        ax.plot(curves[title, batchnorm], style, label="with batch norm" if batchnorm else "without")
    ax.axhline(np.log(2), color="gray", linewidth=0.8)
    ax.set(title=title, xlabel="step", ylabel="loss", yscale="log")
    ax.legend()
plt.show()

@@ markdown
Without batch norm both end where they started, on the grey line $\ln 2$ (the 30-layer
network wanders off for a while and comes back). With it both learn the moons.

## 6. Training mode and evaluation mode

During training, batch norm normalizes with the statistics of the current batch, so the
output for one example depends on the others in its batch. It also keeps running averages
of the batch means and variances (`running_mean`, `running_var`, updated with
`momentum=0.1`). `model.eval()` switches to those fixed estimates, so that a single example
gets a deterministic answer; `model.train()` switches back.

@@ code
model = models["30 ReLU layers, Xavier uniform", True]
first_bn = model[0][1]                               # the first BatchNorm1d of the body
print(first_bn, "\nrunning mean of its first 4 features:", np.round(first_bn.running_mean[:4], 3))

model.eval()
with no_grad():
    accuracy = ((model(Tensor(X)).data[:, 0] > 0) == y).mean()
    one = model(Tensor(X[:1])).data[0, 0]
    again = model(Tensor(X[:5])).data[0, 0]
model.train()
print(f"evaluation mode: accuracy {accuracy:.1%}; the first example alone {one:.4f}, in a batch of 5 {again:.4f}")

@@ markdown
In evaluation mode the first example gets the same logit alone and in a batch. (In training
mode a batch of one example cannot even be normalized: its variance is 0, and
`BatchNorm1d` says so.)

## The whole story, in eight lines

1. A `Value` stores its local derivatives; backward multiplies *upstream × local* along
   every edge, in reverse topological order.
2. A gradient is a sum over paths of products of local derivatives: deep chains multiply
   many factors.
3. Tensors do the same with vector-Jacobian products; broadcasting is undone by summing.
4. Equal initial weights give equal units forever: the weights must be random.
5. Too small and the signal collapses, too large and tanh saturates: the scale matters.
6. Xavier picks $\operatorname{Var}(W)$ so that each layer keeps the variance, forward and back.
7. ReLU halves the variance; He doubles $\operatorname{Var}(W)$ to make up for it.
8. Batch normalization measures and removes the scale at every layer, so the
   initialization no longer decides whether a deep network trains.

## Exercises

All fourteen exercises belong to this series. See what is left, grade everything at once:

```bash
tinygrad-init exercises list
tinygrad-init exercises start my_exercises       # once; it never overwrites your files
tinygrad-init exercises grade my_exercises       # every exercise
tinygrad-init exercises grade my_exercises relu_std
```

@@ code
from tinygrad_init.exercises import catalog

for ex in catalog.EXERCISES:
    print(f"{ex.label}  {ex.name:20s} {ex.title}")

@@ markdown
Try also:

1. Put batch norm *after* the activation instead of before it. Do the 30-layer ReLU
   network's losses change?
2. Train the 30-layer network with batch norm from `init="large"` (`1.0 * randn`). Is the
   learning rate still right? (Section 2 says what the gradients of large weights look like.)
3. Use `nn.BatchNorm1d(50, eps=1e-1)` in section 1. What is the output std for
   `W = 0.001 * randn` now?
'''


# --------------------------------------------------------------------------------------------
# the builder


def parse(text: str, name: str = "notebook") -> list[tuple[str, str]]:
    """Split a notebook's text into ``(kind, source)`` cells, kind ``"markdown"`` or ``"code"``.

    A line ``@@ markdown`` or ``@@ code`` starts a cell; blank lines around a cell's text are
    dropped. ``name`` is only used in the error messages.
    """
    cells: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("@@ "):
            kind = line[3:].strip()
            if kind not in ("markdown", "code"):
                raise ValueError(f"{name}, line {number}: unknown cell kind {kind!r}; use '@@ markdown' or '@@ code'")
            cells.append((kind, []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"{name}, line {number}: text before the first '@@ markdown' or '@@ code' line")
    out = []
    for i, (kind, lines) in enumerate(cells):
        source = "\n".join(lines).strip("\n")
        if not source.strip():
            raise ValueError(f"{name}: cell {i} ({kind}) is empty")
        out.append((kind, source))
    return out


def build(name: str) -> str:
    """The ``.ipynb`` text (JSON) of notebook ``name``, without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5  # fixed, so that another nbformat release writes the same bytes
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    for i, (kind, source) in enumerate(parse(NOTEBOOKS[name], name)):
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
        cell.id = f"c{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4) + "\n"


def path_of(name: str) -> Path:
    """Where notebook ``name`` lives: ``tutorials/<name>.ipynb``."""
    return HERE / f"{name}.ipynb"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` only compare) the notebooks; returns the exit code."""
    parser = argparse.ArgumentParser(description="Build the tutorial notebooks from tutorials/_build.py.")
    parser.add_argument("only", nargs="*", help="build only notebooks whose name starts with one of these")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if a notebook is out of date")
    args = parser.parse_args(argv)
    names = [n for n in NOTEBOOKS if not args.only or any(n.startswith(p) for p in args.only)]
    if not names:
        parser.error(f"no notebook matches {args.only}; the notebooks are {', '.join(NOTEBOOKS)}")
    stale = []
    for name in names:
        text = build(name)
        path = path_of(name)
        current = path.read_bytes() if path.exists() else None
        if current == text.encode("utf-8"):
            continue
        if args.check:
            stale.append(path.name)
        else:
            path.write_bytes(text.encode("utf-8"))  # bytes: the same file on every platform (no CRLF)
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run python tutorials/_build.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
