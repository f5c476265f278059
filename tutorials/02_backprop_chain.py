# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. The backprop chain: upstream × local
#
# Tutorial 1 ended with a short loop: visit the nodes from the output back to the inputs
# and, on every edge, add *upstream gradient × local gradient* into the parent. This
# notebook watches that loop at work:
#
# 1. the **ledger** writes down every chain-rule step, with its numbers;
# 2. we **step through** a backward pass, one picture per step, and write a page that plays it;
# 3. a gradient is a **sum over paths** of products of local derivatives;
# 4. along a **deep chain** that product shrinks or grows geometrically;
# 5. the same happens, layer by layer, in a 10-layer network: with `0.01 * randn` weights each
#    layer multiplies the gradient by about 0.22.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import IFrame, display

from tinygrad_init import Tensor, Value, autograd, draw, ledger, nn, player, scalar_nn
from tinygrad_init.ledger import count_paths, layer_gains, path_products
from tinygrad_init.table import Table

# %% [markdown]
# ## 1. A small graph with a shared input
#
# $$L = \tanh(a b + a), \qquad a = 1.5,\ b = -0.5 .$$
#
# The input $a$ is used twice: in the product and in the sum.

# %%
a = Value(1.5, label="a")
b = Value(-0.5, label="b")
c = a * b;    c.label = "c"
d = c + a;    d.label = "d"
L = d.tanh(); L.label = "L"
draw.draw(L, show_data=True, show_local=True)

# %% [markdown]
# ## 2. The ledger: every step of the chain rule, written down
#
# `ledger.record()` watches the backward passes run inside it. Each chain-rule step becomes
# one line, in the order the engine performs it:
#
# $$\underbrace{\frac{\partial L}{\partial p}}_{\text{parent}}
# = \underbrace{\frac{\partial L}{\partial n}}_{\text{upstream}}
# \times \underbrace{\frac{\partial n}{\partial p}}_{\text{local}} .$$
#
# **Predict, then check.** Here $d = ab + a = 0.75$, so the first local derivative is
# $\tanh'(0.75) = 1 - \tanh^2(0.75) \approx 0.597$. The input $a$ feeds two nodes: the sum
# (local derivative 1) and the product (local derivative $b = -0.5$). What will `a.grad` be?
# And `b.grad`?

# %%
a.grad = b.grad = 0.0    # backward adds into .grad: start from 0, so running this cell again prints the same
with ledger.record() as steps:
    L.backward()
print(f"a.grad = {a.grad:.4f}   b.grad = {b.grad:.4f}")
assert abs(a.grad - 0.597 * (1 - 0.5)) < 1e-3 and abs(b.grad - 0.597 * 1.5) < 2e-3
steps.explain()

# %% [markdown]
# How to read it:
#
# * The first line is the **seed**, $\partial L/\partial L = 1$.
# * `dL/dd = dL/dL × ∂L/∂d` is the local derivative of tanh, $1 - \tanh^2(0.75) = 0.5966$.
# * A sum passes its upstream gradient on unchanged (local derivative 1), so `c` gets the same
#   0.5966.
# * The product `c = a * b` multiplies by the *other* factor: `b` gets $0.5966 \times 1.5$.
# * `a` feeds two nodes, so it gets **two** contributions:
#   $0.5966 \times 1 + 0.5966 \times (-0.5) = 0.2983$ (the second of its two lines says `+=`).
#
# Every line is also a record with the numbers in it:

# %%
s = steps[3]                  # the second contribution to a
print(f"step {s.index}: from {s.node_name} to {s.parent_name}: upstream {s.upstream:.6f} x local {s.local} "
      f"= {s.contribution:.6f}")
print(f"gradient of {s.parent_name} after this step: {s.grad_after:.6f}   (a.grad = {a.grad:.6f})")
# the lines above, number by number
assert (steps[0].parent_name, round(steps[0].local, 4)) == ("d", 0.5966) and steps[0].local == 1 - np.tanh(0.75) ** 2
assert (steps[1].parent_name, steps[1].contribution) == ("c", steps[0].contribution)
assert steps[4].parent_name == "b" and steps[4].contribution == steps[0].contribution * 1.5
assert [(st.index, st.contribution_number) for st in steps if st.parent_name == "a"] == [(2, 1), (3, 2)]
assert s.grad_after == a.grad and round(a.grad, 4) == 0.2983, (
    f"a.grad is {a.grad:.4f}: if a backward ran since, it added to it; run the cell with the ledger again")

# %% [markdown]
# ## 3. Step through the backward pass
#
# `draw.draw_step(steps, k)` draws the graph after the first `k` steps: the gradients known
# so far are filled in (`?` for the rest), the edge being used is red, and the caption is the
# ledger's line for that step. Here are $k = 1, 3, 4$: the seed passing through tanh, the
# first contribution to `a`, and the second one.

# %%
assert (steps[0].op, steps[2].parent_name, steps[3].parent_name) == ("tanh", "a", "a")
for k in (1, 3, 4):
    display(draw.draw_step(steps, k))

# %% [markdown]
# To go through all the steps, write the **player**: one self-contained HTML page with the
# graph, previous/next buttons, a slider and the arrow keys. It works offline; open it in a
# browser (or below, if your notebook shows local pages in a frame).

# %%
page = player.write_player("backprop_player.html", steps, title="L = tanh(a*b + a), step by step")
print("wrote", page)
IFrame(str(page), width="100%", height=420)

# %% [markdown]
# ## 4. A gradient is a sum over paths
#
# Unroll the `+=`: each contribution to $\partial L/\partial a$ comes from one **path** from
# $L$ down to $a$, and it is the product of the local derivatives along that path (each
# *upstream gradient × local gradient* of the path's edges, multiplied out):
#
# $$\frac{\partial L}{\partial a} = \sum_{\text{paths } L \to a}\ \prod_{\text{edges on the path}} \text{local} .$$
#
# `path_products` lists the paths, straight from the local derivatives stored at forward time:

# %%
paths = path_products(L, a)
print(paths.explain())
print(f"a.grad from backward: {a.grad:.4f}")
assert len(paths) == 2 and abs(paths.total - a.grad) < 1e-15, (
    f"a.grad is {a.grad:.4f}: if a backward ran since, it added to it; run the cell with the ledger again")

# %% [markdown]
# Backpropagation never lists the paths. It adds up the shared tails once, at the node where
# they meet, and that is what makes it fast. In a dense network the number of paths explodes
# with depth, while the work of backward (one step per edge) grows only linearly. Here is
# a scalar MLP with one input and hidden layers of 8 tanh units (a unit is one neuron).
#
# **Predict, then check.** With one hidden layer there are 8 paths from the output to $x$,
# one through each unit. How many are there with 4 hidden layers?

# %%
paths_by_depth, nodes_by_depth = [], []
for depth in range(1, 5):
    net = scalar_nn.MLP(1, [8] * depth + [1], activation="tanh", rng=0)
    x = Value(0.3, label="x")
    top = net([x])
    paths_by_depth.append(count_paths(top, x))
    nodes_by_depth.append(len(autograd.topological_order(top)))
    print(f"{depth} hidden layers: {paths_by_depth[-1]:5d} paths from the output to x, "
          f"{nodes_by_depth[-1]} nodes in the graph")
assert paths_by_depth == [8, 64, 512, 4096]                       # 8 ** depth: a choice of unit per layer
assert len(set(np.diff(nodes_by_depth))) == 1                      # the graph grows by the same amount per layer

# %% [markdown]
# ## 5. A deep chain: a product of local derivatives
#
# With a single path the sum has one term: the gradient is a product with one factor per op.
# Take a chain of 30 steps $v_k = \tanh(w\, v_{k-1})$, $v_0 = x$. Then
#
# $$\frac{\partial v_{30}}{\partial x} = \prod_{k=1}^{30} w \,\bigl(1 - v_k^2\bigr) .$$
#
# Each factor is the local derivative of one `*` ($w$) times that of one `tanh`
# ($1 - v_k^2 \le 1$). Unless the factors are close to 1, the product vanishes (or explodes)
# geometrically. `path_products` shows the factors for a short chain:

# %%
x = Value(0.5, label="x")
v = x
for k in range(5):
    v = (v * 0.9).tanh()
v.label = "v5"
chain = path_products(v, x)
print(chain.explain())
v.backward()
assert len(chain) == 1 and abs(chain.total - x.grad) < 1e-12


# %%
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

# %% [markdown]
# **Predict, then check.** On the left every factor is $w$. What is $|dv/dx|$ at depth 30 for
# $w = 0.9$, and for $w = 1.1$?

# %%
print(f"w = 0.9: {chain_grad(0.9, 30, activation='linear'):.4f}   "
      f"w = 1.1: {chain_grad(1.1, 30, activation='linear'):.2f}")
assert (round(chain_grad(0.9, 30, activation="linear"), 3) == 0.042
        and round(chain_grad(1.1, 30, activation="linear"), 1) == 17.4)
tanh_at_30 = {w: chain_grad(w, 30) for w in (0.5, 1.0, 2.0, 4.0)}
print("tanh chain, depth 30:", {w: f"{g:.2g}" for w, g in tanh_at_30.items()})
assert max(tanh_at_30, key=tanh_at_30.get) == 1.0 and max(tanh_at_30[w] for w in (0.5, 2.0, 4.0)) < 1e-8

# %% [markdown]
# On the left the gradient is exactly $w^{\text{depth}}$: $0.9^{30} = 0.042$ and
# $1.1^{30} = 17.4$. On the right, tanh's local derivative is at most 1. A small $w$ shrinks
# the signal and the gradient together; a large $w$ drives tanh into its flat tails, where
# $1 - v^2$ is close to 0. Either way the gradient reaching $x$ vanishes geometrically (below
# $10^{-8}$ after 30 steps for $w = 0.5$, 2 and 4); of these four, $w = 1$ keeps the most of it.
#
# ## 6. The same product, layer by layer, in a deep network
#
# A 10-layer tanh network with 500 units per layer and the "small" initialization of CS231n
# (Stanford's course on neural networks for vision, whose experiment tutorial 5 runs),
# `W = 0.01 * randn(500, 500)`, on a batch of 1000 unit-Gaussian inputs. It is built with the
# tensor engine, which tutorial 3 takes apart: a `Tensor` is a numpy array that records its ops
# as a `Value` does, and `nn.Linear` computes $z = hW$ for a batch $h$ of rows, one input per
# row; $z$, the input of the activation $f = \tanh$, is the layer's **pre-activation**, and
# $f(z)$ the next layer's $h$. On the way back
# each layer computes $\partial L/\partial h_{l-1} = \bigl(f'(z_l) \odot \partial L/\partial h_l\bigr) W_l^\top$:
# every entry sums 500 terms, each a gradient times a weight of std (standard deviation) 0.01,
# so the std is multiplied by about
#
# $$0.01 \cdot \sqrt{500} \approx 0.2236$$
#
# (tanh is almost linear at such small activations, $f' \approx 1$). `ledger.layer_gains`
# reads these per-layer factors from a recorded Tensor backward pass.
#
# **Predict, then check.** Before running it: what factor do you expect from the weights of
# each layer, to three digits? And how much of the gradient at the output is left at the
# input of layer 2, after the nine layers above it?

# %%
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

gains = layer_gains(tensor_steps)        # one entry per Linear layer, layer 1 (the input side) first
left = np.cumprod([g.gain or 1.0 for g in gains][::-1])[::-1]      # the product of this gain and those above
assert all(abs(g.linear_gain - 0.2236) < 0.005 for g in gains[1:]) and abs(left[1] / 0.2236 ** 9 - 1) < 0.05
Table(["layer", "|dL/dz|", "|dL/dh_in|", "W gain", "f gain", "gain", "product"],
      [[l, g.grad_out, g.grad_in, g.linear_gain, g.activation_gain, g.gain, p if g.gain else None]
       for l, (g, p) in enumerate(zip(gains, left), start=1)],
      title=f"Gradient gains of 10 tanh layers x 500 units, init={model[0].init_name!r} (layer 1: the input side)")

# %% [markdown]
# Column by column: `|dL/dz|` is the size of the gradient at the layer's output $z = hW$, the
# norm over the whole batch (the square root of the sum of its 500,000 squares: 707 at the top,
# where it is the seed `G` of std 1, $\sqrt{1000 \cdot 500} = 707$), and `|dL/dh_in|` the size of
# the gradient at the layer's input; `W gain` is $\lVert g W^\top \rVert / \lVert g \rVert$, the
# factor from the weights alone; `f gain` is the factor from tanh's local derivative (0.956 at layer 1, where
# the pre-activations are largest, and within 1% of 1 above it, where they are tiny); `gain` is
# both (layer 1 has none: its input is the data, which needs no gradient; layer 10 has no
# `f gain` and its `gain` is the weights' alone: the seed comes in above its tanh, which passes
# it on with a factor of 1.0, the ledger's line after the seed below); `product` is how much of the
# gradient at the output is left at that layer's input:

# %%
per_layer = [g.gain for g in gains if g.gain is not None]
assert round(gains[-1].grad_out) == round(np.sqrt(G.size)) == 707 and gains[0].grad_in is None     # the norms
print(f"mean gain per layer {np.mean(per_layer):.4f}   (0.01 * sqrt(500) = {0.01 * np.sqrt(500):.4f})")
print(f"product {gains.product():.3g}   (0.2236 ** {len(per_layer)} = {0.2236 ** len(per_layer):.3g})")
print(f"std of the output h_10: {out.data.std():.2g}")
assert gains[0].linear_gain is None and gains[-1].activation_gain is None and gains[-1].gain == gains[-1].linear_gain
assert tensor_steps[0].op == "tanh" and round(tensor_steps[0].gain, 3) == 1.0   # the top tanh, on the seed
assert round(gains[0].activation_gain, 3) == 0.956 and all(abs(g.activation_gain - 1) < 0.01 for g in gains[1:-1])
assert len(per_layer) == 9 and abs(np.mean(per_layer) - 0.2236) < 0.005
assert abs(gains.product() / 0.2236 ** 9 - 1) < 0.05 and round(gains.product(), 7) == 1.4e-6
assert out.data.std() < 1e-6                     # the forward signal has collapsed as well

# %% [markdown]
# Nine factors of 0.2236 multiply to $0.2236^9 = 1.4 \times 10^{-6}$, and the output of the
# network has a std below $10^{-6}$.

# %% [markdown]
# For tensors the ledger keeps shapes, norms and the rule of each step instead of single
# numbers. The first lines of the same pass:

# %%
tensor_steps.explain(max_lines=7)

# %% [markdown]
# The weight gradients are not spared. The local derivative of `x @ W` with respect to $W$
# is the layer's *input*, $\partial L/\partial W = x^\top g$, and with this init the inputs of
# the upper layers are tiny too (the output's std, just above). Tutorial 5 measures both effects layer by layer, and
# tutorial 6 picks the weight scale that makes every factor close to 1.
#
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. In section 1 use `b` twice, `c = a * b * b`. How many paths lead from $L$ to $b$ now?
#    Check with `path_products(L, b)`.
# 2. In section 6 replace `"small"` by `"cs231n"` (`randn / sqrt(500)`). What are the `W gain`
#    and the `f gain` now? Which one stays within 1% of 1 (on either side), and which one now
#    shrinks the gradient?
# 3. Which constant `w` keeps `chain_grad(w, 30)` of the tanh chain largest? Scan `w` in steps
#    of 0.01: is the best one exactly 1? Why can the gradient not stay at 1 for any `w`?
#
# ## What to remember
#
# * The ledger writes each chain-rule step as *parent gradient = upstream × local*, in the
#   order backward runs; a node that feeds several nodes collects several `+=` lines.
# * A gradient is a sum over paths of products of local derivatives; backprop computes it
#   without listing the paths.
# * Along a deep chain the product has one factor per layer: about 0.22 per layer for a
#   `0.01 * randn` tanh net of width 500, so after nine layers about $10^{-6}$ of the gradient
#   is left.
#
# ## Exercises
#
# Write the two halves of `backward` yourself: the graph walk, and the accumulation of
# gradients at a node that is used more than once.
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises topological_order
# tinygrad-init exercises grade my_exercises accumulate_grads
# ```

# %%
from tinygrad_init import exercises

for name in ["topological_order", "accumulate_grads"]:
    ex = exercises.get(name)
    print(f"{ex.label}  {ex.name:18s} {ex.title}")
