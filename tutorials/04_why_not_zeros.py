# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4. Why not start from zeros? Symmetry
#
# Before training, every weight needs a first value. Zero looks like the neutral choice, and
# a constant looks harmless. Both are traps, for a reason that has nothing to do with the
# size of the numbers: **symmetry**. If two hidden units start identical, they compute the
# same output, receive the same gradient and take the same step, at every step, forever.
# A layer of 8 identical units is worth one unit.
#
# 1. identical units give identical gradients (the algebra, then the numbers);
# 2. zeros are worse still: almost every gradient is exactly 0;
# 3. the symmetry experiment: train from zeros, from a constant and from random weights,
#    and count the distinct units;
# 4. a tiny random nudge breaks the symmetry on paper but not in practice.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, experiments, init, nn
from tinygrad_init.data import moons
from tinygrad_init.experiments import distinct_units
from tinygrad_init.optim import SGD

X, y = moons(200, noise=0.1, rng=0)
targets = y.reshape(-1, 1).astype(np.float32)

# %% [markdown]
# ## 1. Identical units get identical gradients
#
# Hidden unit $j$ of a layer computes $h_j = f(z_j)$ with $z_j = \sum_i x_i W_{ij} + b_j$ and
# passes $h_j$ on through its outgoing weight $V_j$. Suppose every column $W_{:,j}$, every bias
# $b_j$ and every $V_j$ is the same. Then all $z_j$ are equal, and so are the gradients:
#
# $$\frac{\partial L}{\partial z_j} = \frac{\partial L}{\partial \text{out}}\; V_j\, f'(z_j),
# \qquad \frac{\partial L}{\partial W_{ij}} = x_i\, \frac{\partial L}{\partial z_j} .$$
#
# Each is *upstream gradient × local gradient*: $z_j$'s upstream $\partial L/\partial \text{out}$
# times its local gradient $V_j f'(z_j)$ (the outgoing weight, then the activation), and the
# weight's upstream $\partial L/\partial z_j$ times its local gradient, the input $x_i$.
# The right-hand sides do not depend on $j$. Every column of $\partial L/\partial W$ is the
# same, the SGD step $W \leftarrow W - \eta\, \partial L/\partial W$ keeps the columns equal,
# and the argument starts again at the next step.
#
# Here it is with numbers: a 2-4-1 tanh net whose weights are all 0.5.
#
# **Predict, then check.** For 5 examples and 4 hidden units, how many *different* columns do
# you expect in the hidden activations, in $\partial L/\partial W$ and in $\partial L/\partial V$?

# %%
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
dW, dV = first.weight.grad, model.layers[2].weight.grad
assert np.all(h == h[:, :1]) and np.all(dW == dW[:, :1]) and np.all(dV == dV[0])     # one column each
assert np.abs(dW).min() > 0                                                       # equal, yet not zero

# %% [markdown]
# ## 2. Zeros: the gradients are not just equal, they are 0
#
# With every weight and bias 0, each hidden unit outputs $\tanh(0) = 0$. Then
#
# * the output layer's weight gradient is $\partial L/\partial V = h^\top g = 0$: the upstream
#   gradient $g$ times the local gradient of $V$, its input $h$, which is 0;
# * the gradient flowing back into the hidden layer is $g V^\top = 0$: upstream $g$ times the
#   local gradient $V$, which is 0, so $\partial L/\partial W = x^\top (\dots) = 0$ as well.
#
# Only the output bias can receive a gradient: the batch mean of
# $\sigma(\text{logit}) - y = \tfrac12 - y$. It learns the class balance and nothing else, and
# for balanced classes even that gradient is 0: exactly in this batch's order, within a few
# $10^{-9}$ in another, where float32 (numpy's single precision, about 7 significant digits, in
# which the network computes) rounds the running sum of the $\pm\tfrac12$ terms.
#
# **Predict, then check.** Our moons have 100 points of each class. What is the loss of the
# zero network, and what is the gradient of its output bias?

# %%
zero_model = nn.MLP([2, 4, 1], activation="tanh", init="zeros", rng=0)
loss = nn.binary_cross_entropy_with_logits(zero_model(Tensor(X)), targets)
loss.backward()
for name, p in zero_model.named_parameters():
    print(f"{name:16s} grad {np.round(p.grad.ravel(), 4)}")
print(f"loss {loss.item():.4f}   ln 2 = {np.log(2):.4f}")

# the output bias, by the chain rule: mean over the batch of sigmoid(0) - y
by_hand = np.mean(0.5 - y)
print("output bias gradient by hand:", by_hand)
assert (len(y), int(y.sum())) == (200, 100) and by_hand == 0.0
assert np.allclose(zero_model.layers[2].bias.grad, by_hand, atol=1e-6) and abs(loss.item() - np.log(2)) < 1e-6
assert all(np.all(p.grad == 0) for name, p in zero_model.named_parameters())   # every gradient, exactly
shuffled = np.random.default_rng(0).permutation(len(y))                         # the same points, another order
zero_model.zero_grad()
nn.binary_cross_entropy_with_logits(zero_model(Tensor(X[shuffled])), targets[shuffled]).backward()
print("output bias gradient, the batch shuffled:", zero_model.layers[2].bias.grad)     # float32 rounding: -9e-10
assert 0 < np.abs(zero_model.layers[2].bias.grad).max() < 1e-8 and np.all(zero_model.layers[0].weight.grad == 0)

# %% [markdown]
# The logit stays 0 and the loss stays at $\ln 2 = 0.693$, the loss of a coin toss. With a
# sigmoid, $h = \sigma(0) = 1/2$ is not 0, so the outgoing weights get a gradient, the same for
# every unit (lockstep again, as in section 1). On our balanced moons it is 0 as well; on the
# first five examples (three of class 1) it is not:

# %%
sig = nn.MLP([2, 4, 1], activation="sigmoid", init="zeros", rng=0)
nn.binary_cross_entropy_with_logits(sig(Tensor(xb)), targets[:5]).backward()
dV = sig.layers[2].weight.grad.ravel()
print("sigmoid, zeros: dL/dV =", dV, "  dL/dW of the first layer all 0:", bool(np.all(sig.layers[0].weight.grad == 0)))
assert np.all(dV == dV[0]) and dV[0] != 0 and np.all(sig.layers[0].weight.grad == 0)

# %% [markdown]
# ## 3. The experiment: train and count the distinct units
#
# `experiments.symmetry` trains a 2-8-8-1 tanh net on the moons (the 200 points above) for 300
# full-batch SGD steps at learning rate 0.5 from three initializations of its weights (biases
# start at 0 in all three): all zeros, all 0.5, and Xavier's random uniform (five networks,
# seeds 0 to 4). Afterwards it counts the **distinct units** of each hidden layer: groups of
# units whose incoming weights, bias and outgoing weights agree.
#
# **Predict, then check.** How many distinct units of 8 does each hidden layer have after
# training from the constant 0.5? And from Xavier?

# %%
sym = experiments.symmetry(rng=0)
print(sym.question)
for finding in sym.findings:
    print("-", finding)
rows = {(r["init"], r["layer"]): r for r in sym.table.rows}          # (init, layer) -> the row
assert sym.settings["steps"] == 300 and sym.settings["seeds"] == [0, 1, 2, 3, 4]
for layer in (1, 2):
    assert rows["constant", layer]["distinct_units_max"] == 1 and rows["zeros", layer]["distinct_units_max"] == 1
    assert rows["xavier_uniform", layer]["distinct_units_min"] == 8
sym.table

# %% [markdown]
# Zeros never move (`max_weight_change` 0). The constant init does learn something, but as a
# network with **one** unit per layer: its loss stops below $\ln 2 / 2$, but about ten times
# above the median of the random inits (the table's `final_loss`). How many times depends on the
# draw: over `rng` 0 to 9 (ten data sets, each with its five random networks) the constant net
# ends at 0.19-0.31, the median random net at 0.014-0.064, a factor of 3.4 to 17. (The
# constant net's loss on a data set where it jumps can differ in the second digit between
# machines: its training is chaotic, and a last-bit difference in a matrix product's sum, which
# the CPU's BLAS library computes in its own order, grows step by step.) The heat maps of the
# trained hidden weights show it: identical units are identical columns.

# %%
assert rows["zeros", 1]["max_weight_change"] == 0 and rows["zeros", 2]["max_weight_change"] == 0
constant_loss, xavier_loss = rows["constant", 1]["final_loss"], rows["xavier_uniform", 1]["final_loss"]
assert constant_loss < 0.5 * np.log(2) and 8 < constant_loss / xavier_loss < 12
sym.figure


# %% [markdown]
# ## 4. Is any randomness enough?
#
# On paper a tiny random nudge breaks the symmetry: add noise of size $10^{-4}$ to the
# constant 0.5 and the units are no longer identical. In practice the units barely drift
# apart. Below, three runs of the same 2-8-8-1 net, tracking the loss and the *spread* of the
# units, the largest standard deviation across the units of one input's weights (0 means
# identical units). The loop is the one of tutorial 3; for the constant and the Xavier net
# (seed 0) it gives the very losses the lab's `symmetry` recorded above.
#
# **Predict, then check.** With noise $10^{-4}$, will the loss curve leave the constant one
# within 300 steps?

# %%
def nudged_constant(shape, rng=None, dtype=np.float32):
    gen = np.random.default_rng(rng)
    return (0.5 + NOISE * gen.standard_normal(shape)).astype(dtype)

NOISE = 1e-4                                  # the nudge's std
NUDGED = f"0.5 + {NOISE:g} noise"             # the label of its runs

def train(scheme, steps=300, lr=0.5, seed=0):
    net = nn.MLP([2, 8, 8, 1], activation="tanh", init=scheme, rng=seed)
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

runs = {"constant 0.5": train(constant), NUDGED: train(nudged_constant),
        "Xavier uniform": train("xavier_uniform")}

# this loop and the lab's experiment (its own stacked loop, `experiments.fit`): same seed, same numbers
assert np.allclose(runs["constant 0.5"][0], sym.data["constant"]["loss"][:300], rtol=0, atol=1e-6)
assert np.allclose(runs["Xavier uniform"][0], sym.data["xavier_uniform"]["loss"][:300], rtol=0, atol=1e-6)

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

# %% [markdown]
# The nudged run has 8 distinct units by the letter of the definition, yet its loss curve lies
# on top of the constant one (they never differ by more than 0.001), and its spread stays
# near $10^{-4}$: the units are still practically one unit (the spread of the constant run is
# exactly 0, drawn at $10^{-12}$).
#
# The spread is the half of this that holds on any draw: over `rng` 0 to 9 of the moons, with
# seeds 0 to 4 of the noise (`train(..., seed=s)`), it stays below $1.6 \times 10^{-4}$ in all 50
# runs. The loss curves agree within 0.001 on the five data sets where the constant net's loss
# falls at every step; on the other five it starts to jump late in training (a learning rate
# of 0.5 is too large for a one-unit net there), the nudged copy jumps a few steps earlier or
# later, and the curves drift apart: by 0.03 to 0.14 at most on each of those data sets (over
# its five seeds; a single run, from 0.001 up), units still as one.

# %%
(c_loss, c_spread, c_units), (n_loss, n_spread, n_units) = runs["constant 0.5"], runs[NUDGED]
print(f"largest loss difference {np.abs(np.subtract(c_loss, n_loss)).max():.2g}, "
      f"largest spread of the nudged run {max(n_spread):.2g}")
assert (c_units, n_units, runs["Xavier uniform"][2]) == (1, 8, 8) and max(c_spread) == 0
assert np.abs(np.subtract(c_loss, n_loss)).max() < 1e-3 and 5e-5 < max(n_spread) < 2e-4

# %% [markdown]
# Randomness breaks the symmetry only if the differences between units are large
# enough to matter. *How large* is the subject of the next tutorials: large enough that the
# units differ, small enough that nothing saturates (a tanh pushed into its flat tails, where
# it passes almost no gradient: tutorial 5) or explodes.
#
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Train the sigmoid zero net of section 2 on the first five examples for a few steps. When
#    does the first layer's weight start to move, and do its columns stay equal?
# 2. Keep the weights constant but draw the **biases** at random
#    (`bias_init=init.get("normal", std=0.5)`). Is the symmetry broken? Count the distinct units.
# 3. Increase the noise of `nudged_constant`, `NOISE`, from `1e-4` to `1e-2`, `1e-1` and `0.3`.
#    At which noise does the final loss leave the constant one's 0.277? At `1e-1`, try `seed=0`
#    to `4`.
#
# ## What to remember
#
# * Identical units compute the same, get the same gradient and take the same step; zero and
#   constant weights never become different.
# * With zeros, every gradient except the output bias's is exactly 0.
# * Biases may start at 0: the random weights already break the symmetry.
# * The scale of the random weights matters as much as the randomness.
#
# ## Exercises
#
# The symmetry argument is the Linear backward rule at work: identical columns of $W$ meet
# identical columns of $g$ in $dW = x^\top g$. If you have not written it yet:
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises symmetry
# tinygrad-init exercises grade my_exercises linear_backward
# ```

# %%
from tinygrad_init import exercises

for name in ["symmetry", "linear_backward"]:
    ex = exercises.get(name)
    print(f"{ex.label}  {ex.name:15s} {ex.title}")
