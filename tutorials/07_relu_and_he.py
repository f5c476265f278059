# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 7. ReLU and He initialization
#
# Xavier's rule $n \operatorname{Var}(W) = 1$ keeps the variance through a unit that is
# (nearly) linear around 0, like tanh. ReLU is not: it sets every negative input to 0. This
# notebook shows
#
# 1. why a ReLU **halves** the second moment of its input;
# 2. why, as a consequence, Xavier's variance makes a ReLU network fade by $1/\sqrt 2$ per layer;
# 3. He et al.'s fix (2015): twice the variance, $\operatorname{Var}(W) = 2/n_\text{in}$;
# 4. the same factor in the backward pass;
# 5. a 30-layer ReLU network that does not learn from Xavier and does learn from He.

# %%
# %matplotlib inline
import numpy as np

from tinygrad_init import experiments, init, theory
from tinygrad_init.table import Table

# %% [markdown]
# ## 1. ReLU halves the second moment
#
# If $z$ is symmetric around 0 (as a pre-activation with zero-mean weights is), then
# $\operatorname{relu}(z)^2$ equals $z^2$ on the positive half and 0 on the negative half, so
#
# $$E\bigl[\operatorname{relu}(z)^2\bigr] = \tfrac12\, E[z^2] .$$
#
# (Its *variance* is smaller still, because the output's mean $E[\operatorname{relu}(z)] = \sqrt{q/(2\pi)}$
# is not 0: for $z \sim \mathcal N(0, q)$ the std is $\sqrt{q}\,\sqrt{1/2 - 1/(2\pi)} = 0.584\sqrt q$.)

# %%
z = np.random.default_rng(0).standard_normal(1_000_000)
h = np.maximum(z, 0.0)
m = theory.activation_moments("relu", 1.0)
print(f"E[z^2] = {np.mean(z**2):.4f}   E[relu(z)^2] = {np.mean(h**2):.4f}   (theory {m.second})")
print(f"mean of relu(z) = {h.mean():.4f} (theory {m.mean:.4f}),   std = {h.std():.4f} (theory {m.std:.4f})")
print(f"E[relu'(z)^2] = fraction of z > 0 = {np.mean(z > 0):.4f}   (theory {m.deriv_second})")

# %% [markdown]
# ## 2. What that does to a deep network
#
# The forward recursion of tutorial 6 becomes, for layers after the first,
#
# $$\operatorname{Var}(z_l) = n \operatorname{Var}(W_l)\, E[h_{l-1}^2] = \tfrac12\, n \operatorname{Var}(W_l) \operatorname{Var}(z_{l-1}) .$$
#
# * Xavier, $n \operatorname{Var}(W) = 1$: the variance **halves** at every layer, the std
#   shrinks by $1/\sqrt 2 = 0.707$. After 10 layers it is $2^{-5} \approx 0.03$ of the start,
#   after 30 layers $2^{-15} \approx 3 \times 10^{-5}$.
# * He, $\operatorname{Var}(W) = 2/n_\text{in}$, i.e. `randn(fan_in, fan_out) * sqrt(2 / fan_in)`:
#   the factor 2 cancels the $\tfrac12$ and the variance stays constant.
#
# The theory, for 10 layers of 500 units and unit-Gaussian inputs:

# %%
xav = theory.predict([500] * 11, "relu", "cs231n")
he = theory.predict([500] * 11, "relu", "he_normal")
Table(["layer", "std(z) Xavier", "std(h) Xavier", "std(z) He", "std(h) He"],
      [[l + 1, xav.pre_std[l], xav.act_std[l], he.pre_std[l], he.act_std[l]] for l in range(10)],
      title="mean-field prediction, 10 ReLU layers x 500 units")

# %% [markdown]
# With He the pre-activations keep std $\sqrt 2 = 1.41$ and the activations
# $\sqrt 2 \cdot 0.584 = \sqrt{1 - 1/\pi} = 0.826$ at every layer.
#
# ## 3. Measured: the 10-layer ReLU network
#
# The same sweep as in tutorials 5 and 6 (10 layers x 500 units, batch 1000, no biases), now
# with ReLU. `cs231n` is the lecture's Xavier, `randn / sqrt(fan_in)`; `he_normal` is
# `randn * sqrt(2 / fan_in)`.

# %%
sweep = experiments.run_sweep(("cs231n", "he_normal"), ("relu",), rng=0)
acts = experiments.activation_statistics(sweep=sweep, schemes=sweep.schemes, activations=("relu",))
for finding in acts.findings:
    print("-", finding)
acts.get_figure("std")

# %%
acts.get_figure("hist_relu")

# %% [markdown]
# The histograms have their spike at exactly 0 (the inactive half of the units) and a
# half-Gaussian tail. With Xavier the tail shrinks layer after layer (each panel has its
# own x range, printed below it); with He it keeps its width.
#
# `dead` counts units that are 0 for **every** example of the batch. It is the same for both
# schemes. Without biases a ReLU network is *positively homogeneous*:
# $\operatorname{relu}(s u) = s \operatorname{relu}(u)$ for $s > 0$, so multiplying every weight by
# $\sqrt 2$ multiplies layer $l$'s activations by exactly $2^{l/2}$ and changes no sign. The
# sweep draws both networks from the same standard-normal numbers, and indeed:

# %%
xavier_run, he_run = sweep.run("cs231n", "relu"), sweep.run("he_normal", "relu")
ratio = xavier_run.values("act_std") / he_run.values("act_std")
for l, r in enumerate(ratio, start=1):
    print(f"layer {l:2d}: std Xavier / std He = {r:.6f}   2^(-{l}/2) = {2 ** (-l / 2):.6f}")
print("dead units, Xavier:", xavier_run.values("dead"))
print("dead units, He:    ", he_run.values("dead"))

# %% [markdown]
# So for a bias-free ReLU network the choice between Xavier and He is a choice of the overall
# scale, $2^{L/2}$ at the output, and that scale decides whether the signal survives.
#
# ## 4. Backward: the same factor $\tfrac12$
#
# The local derivative of ReLU is 1 for $z > 0$ and 0 otherwise, so
# $E[\operatorname{relu}'(z)^2] = \tfrac12$ and going back through a layer multiplies the gradient
# variance by $\tfrac12\, n_\text{out} \operatorname{Var}(W)$:

# %%
Table(["layer", "std(dL/dh) Xavier", "theory", "std(dL/dh) He", "theory "],
      [[l + 1, a, b, c, d] for l, (a, b, c, d) in enumerate(zip(
          xavier_run.values("grad_act_std"), xavier_run.values("grad_act_std_theory"),
          he_run.values("grad_act_std"), he_run.values("grad_act_std_theory")))],
      title="gradient std by layer (upstream ~ N(0, 1) at layer 10)")

# %% [markdown]
# With Xavier the gradient halves its variance at every layer on the way down; with He it
# keeps its size. For square layers $n_\text{in} = n_\text{out}$ and one choice satisfies both
# directions. For other shapes He et al. offer `mode="fan_out"`,
# $\operatorname{Var}(W) = 2/n_\text{out}$, which keeps the backward pass exact instead:

# %%
for mode in ("fan_in", "fan_out"):
    scheme = init.get("he_normal", mode=mode)
    print(f"he_normal, mode={mode!r}: {scheme.formula}   std for a 784 x 256 weight: {scheme.std(784, 256):.4f}")
print("gain for ReLU, init.calculate_gain('relu') =", init.calculate_gain("relu"), "= sqrt(2)")

# %% [markdown]
# ## 5. Thirty layers: Xavier stalls, He trains
#
# He et al. (2015, Fig. 3) trained a 30-layer ReLU network: with Xavier's variance it did not
# learn at all, with theirs it did. `experiments.depth` repeats that in miniature on the two
# moons: 30 hidden ReLU layers, a linear output, full-batch SGD with the same learning rate for
# both inits.

# %%
deep = experiments.depth(rng=0)
print(deep.question)
for finding in deep.findings:
    print("-", finding)
deep.table

# %%
deep.figure

# %% [markdown]
# With Xavier the activation std falls by about $\sqrt 2$ per layer, to a tiny fraction of its
# layer-1 size at the output (`layer_1_over_output` in the table): the output hardly depends
# on the input, the gradients reaching the first layers are just as small, and the loss stays at $\ln 2 = 0.693$, a coin toss. With He the activation std stays
# within an order of magnitude of 1 across all 30 layers (dashed: the theory) and the network
# learns, if erratically: the spikes in its loss are what a deep plain network does with one
# fixed learning rate.

# %%
for scheme, run in deep.data.items():
    loss = run["loss"]
    print(f"{scheme:15s} loss {loss[0]:.3f} -> {loss[-1]:.3f}")
xavier_loss, he_loss = deep.data["xavier_uniform"]["loss"], deep.data["he_normal"]["loss"]
assert xavier_loss[-1] > 0.95 * xavier_loss[0] and he_loss[-1] < 0.5 * he_loss[0]

# %% [markdown]
# ## What to remember
#
# * $E[\operatorname{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$ and $E[\operatorname{relu}'(z)^2] = \tfrac12$:
#   ReLU halves the signal's second moment, forward and backward.
# * Xavier's $1/n$ therefore shrinks a ReLU network's std by $1/\sqrt 2$ per layer; He's
#   $2/n_\text{in}$ keeps it constant (std of $h$: 0.826 for unit inputs).
# * Without biases, Xavier and He differ only by the overall scale $2^{L/2}$: the activation
#   pattern is the same, the size is not.
# * At depth 30 that scale is the difference between a network that learns and one that does not.
#
# ## Exercises
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises he_normal
# tinygrad-init exercises grade my_exercises relu_std
# ```

# %%
from tinygrad_init.exercises import catalog

for name in ["he_normal", "relu_std"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:10s} {ex.title}")

# %% [markdown]
# Try also:
#
# 1. Leaky ReLU with slope $a$ passes $a z$ for $z < 0$. Show that
#    $E[f(z)^2] = \tfrac{1 + a^2}{2} \operatorname{Var}(z)$ and check it with
#    `theory.activation_moments("leaky_relu", 1.0, negative_slope=0.1)`. Which variance keeps
#    the signal? Compare with `init.calculate_gain("leaky_relu", 0.1)`.
# 2. Give the 10-layer ReLU network of section 3 a constant bias of 0.1
#    (`experiments.deep_mlp(..., bias=True)` and set the biases). Is it still homogeneous?
# 3. Run `experiments.depth(schemes=("he_normal", "lecun_normal"), layers=20)`. Where does
#    LeCun's init sit, and why?
