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
# 5. He et al.'s 30-layer experiment in miniature, first as a loop of numpy lines, then with
#    the lab's `experiments.depth`, over five seeds: plain SGD stalls from Xavier and trains
#    from He; with momentum the picture is less clear-cut.

# %%
# %matplotlib inline
import numpy as np

from tinygrad_init import experiments, init, nn, theory
from tinygrad_init.data import moons
from tinygrad_init.table import Table

# %% [markdown]
# ## 1. ReLU halves the second moment
#
# If $z$ is symmetric around 0 (as a pre-activation with zero-mean weights is), then
# $\operatorname{relu}(z)^2$ equals $z^2$ on the positive half and 0 on the negative half.
#
# **Predict, then check.** For $z \sim \mathcal N(0, q)$, what is $E[\operatorname{relu}(z)^2]$?
# And the fraction of units that pass a gradient, $E[\operatorname{relu}'(z)^2]$?

# %%
z = np.random.default_rng(0).standard_normal(1_000_000)
for q in (1.0, 4.0):
    h = np.maximum(np.sqrt(q) * z, 0.0)
    m = theory.activation_moments("relu", q)
    print(f"q = {q}: E[z^2] = {q * np.mean(z ** 2):.4f}   E[relu(z)^2] = {np.mean(h ** 2):.4f}   (theory {m.second})")
    assert m.second == q / 2 and abs(np.mean(h ** 2) / (q / 2) - 1) < 0.01      # a million samples: ~0.2% scatter
m, h = theory.activation_moments("relu", 1.0), np.maximum(z, 0.0)           # q = 1
print(f"mean of relu(z) = {h.mean():.4f} (theory {m.mean:.4f}),   std = {h.std():.4f} (theory {m.std:.4f})")
print(f"E[relu'(z)^2] = fraction of z > 0 = {np.mean(z > 0):.4f}   (theory {m.deriv_second})")
assert m.deriv_second == 0.5 and abs(np.mean(z > 0) - 0.5) < 0.002
assert abs(m.mean - np.sqrt(1 / (2 * np.pi))) < 1e-12 and round(m.std, 3) == 0.584
assert abs(h.mean() - m.mean) < 0.005 and abs(h.std() - m.std) < 0.005

# %% [markdown]
# $$E\bigl[\operatorname{relu}(z)^2\bigr] = \tfrac12\, E[z^2], \qquad E[\operatorname{relu}'(z)^2] = \tfrac12 .$$
#
# (Its *variance* is smaller still, because the output's mean $E[\operatorname{relu}(z)] = \sqrt{q/(2\pi)}$
# is not 0: the std is $\sqrt{q}\,\sqrt{1/2 - 1/(2\pi)} = 0.584\sqrt q$.)
#
# ## 2. What that does to a deep network
#
# The forward recursion of tutorial 6 becomes, for layers after the first,
#
# $$\operatorname{Var}(z_l) = n \operatorname{Var}(W_l)\, E[h_{l-1}^2]
# = \tfrac12\, n \operatorname{Var}(W_l) \operatorname{Var}(z_{l-1}) .$$
#
# * Xavier, $n \operatorname{Var}(W) = 1$: the variance **halves** at every layer, the std
#   shrinks by $1/\sqrt 2 = 0.707$.
# * He, $\operatorname{Var}(W) = 2/n_\text{in}$, i.e. `randn(fan_in, fan_out) * sqrt(2 / fan_in)`:
#   the factor 2 cancels the $\tfrac12$ and the variance stays constant.
#
# **Predict, then check.** Ten ReLU layers of 500 units, unit-Gaussian inputs. With Xavier,
# what is std($h_{10}$) / std($h_1$)? With He, what is std($h_l$) at every layer?

# %%
xav = theory.predict([500] * 11, "relu", "cs231n")
he = theory.predict([500] * 11, "relu", "he_normal")
print(f"Xavier: std(h_10) / std(h_1) = {xav.act_std[9] / xav.act_std[0]:.4f}   2^(-9/2) = {2 ** -4.5:.4f}")
print(f"He: std(z) = {he.pre_std[0]:.4f}, std(h) = {he.act_std[0]:.4f} at every layer")
assert abs(xav.act_std[9] / xav.act_std[0] - 2 ** -4.5) < 1e-12
assert np.allclose(he.pre_std, np.sqrt(2)) and np.allclose(he.act_std, np.sqrt(1 - 1 / np.pi))
Table(["layer", "std(z) Xavier", "std(h) Xavier", "std(z) He", "std(h) He"],
      [[l + 1, xav.pre_std[l], xav.act_std[l], he.pre_std[l], he.act_std[l]] for l in range(10)],
      title="mean-field prediction, 10 ReLU layers x 500 units")

# %% [markdown]
# With Xavier nine halvings of the variance leave $2^{-9/2} = 0.044$ of layer 1's std at layer
# 10 (and $2^{-29/2} = 4 \times 10^{-5}$ at layer 30). With He the pre-activations keep std
# $\sqrt 2 = 1.41$ and the activations $\sqrt 2 \cdot 0.584 = \sqrt{1 - 1/\pi} = 0.826$ at every
# layer.
#
# ## 3. Measured: the 10-layer ReLU network
#
# The lab's sweep of tutorials 5 and 6 (10 layers x 500 units, batch 1000, no biases, the same
# draws, so the report's numbers), now with ReLU. `cs231n` is the lecture's Xavier,
# `randn / sqrt(fan_in)`; `he_normal` is `randn * sqrt(2 / fan_in)`.

# %%
sweep = experiments.run_sweep(("cs231n", "he_normal"), ("relu",), rng=0)
xavier_run, he_run = sweep.run("cs231n", "relu"), sweep.run("he_normal", "relu")
acts = experiments.activation_statistics(sweep=sweep, schemes=sweep.schemes, activations=("relu",))
for finding in acts.findings:
    print("-", finding)
x_std, h_std = xavier_run.values("act_std"), he_run.values("act_std")
assert round(x_std[-1] / x_std[0], 3) == 0.042 and np.all(np.abs(h_std / 0.826 - 1) < 0.11)
acts.get_figure("std")

# %% [markdown]
# Xavier's std falls to 0.042 of its layer-1 size by layer 10 (the theory: 0.044); He's stays
# within 11% of 0.826. One network scatters around the theory: over seeds 0 to 9 Xavier's
# ratio is 0.041-0.053, and He's worst layer is 5% to 19% off 0.826. The average over networks
# follows the theory more closely. The lab's `theory_average` measures five networks (here at
# the report's quick size, 100 units) and compares the worst layer of one with that of the
# median. At 100 units both scatter more: over `rng` 0 to 9 the first network's worst layer is
# 9% to 50% off, the median's 9% to 30%, and the median is the closer in 7 of the 10:

# %%
average = experiments.theory_average(rng=0, quick=True)
for finding in average.findings:
    print("-", finding)
ratios = np.array(average.data["ratios"]["act_std"])         # measured / theory, (network, layer)
one, median = np.abs(np.log(ratios[0])).max(), np.abs(np.log(np.median(ratios, axis=0))).max()
assert median < one and np.expm1(median) < 0.1
average.figure

# %% [markdown]
# The histograms: the spike at 0 (the inactive half of the units) is cut so that the rest
# shows, a half-Gaussian tail; all panels share the x axis from 0 to 4. With Xavier the tail
# shrinks layer after layer; with He it keeps its width.

# %%
counts, edges = he_run.histograms[0]
assert experiments.HIST_RANGE["relu"] == (0.0, 4.0) and 0.5 < counts[0] / 500_000 < 0.55    # the spike: h = 0
acts.get_figure("hist_relu")

# %% [markdown]
# `dead` counts units that are 0 for **every** example of the batch. Without biases a ReLU
# network is *positively homogeneous*: $\operatorname{relu}(s u) = s \operatorname{relu}(u)$ for
# $s > 0$. The sweep draws both networks from the same standard-normal numbers, He's weights
# being Xavier's times $\sqrt 2$.
#
# **Predict, then check.** What is std($h_l$) with Xavier divided by std($h_l$) with He, at
# layer 1 and at layer 10? Which of the two networks has more dead units?

# %%
ratio = xavier_run.values("act_std") / he_run.values("act_std")
for l, r in enumerate(ratio, start=1):
    print(f"layer {l:2d}: std Xavier / std He = {r:.6f}   2^(-{l}/2) = {2 ** (-l / 2):.6f}")
print("dead units, Xavier:", xavier_run.values("dead"))
print("dead units, He:    ", he_run.values("dead"))
assert np.allclose(ratio, 2.0 ** (-np.arange(1, 11) / 2), rtol=1e-5)
assert np.array_equal(xavier_run.values("dead"), he_run.values("dead"))

# %% [markdown]
# Exactly $2^{-l/2}$, and the same dead units: multiplying every weight by $\sqrt 2$
# multiplies layer $l$'s activations by exactly $2^{l/2}$ and changes no sign. So for a
# bias-free ReLU network the choice between Xavier and He is a choice of the overall scale,
# $2^{L/2}$ at the output, and that scale decides whether the signal survives.
#
# ## 4. Backward: the same factor $\tfrac12$
#
# The local derivative of ReLU is 1 for $z > 0$ and 0 otherwise, so
# $E[\operatorname{relu}'(z)^2] = \tfrac12$. Going back through a layer multiplies the upstream
# gradient by that local gradient and then by the weights' local gradient $W^\top$, so it
# multiplies the gradient variance by $\tfrac12\, n_\text{out} \operatorname{Var}(W)$:

# %%
xg, hg = xavier_run.values("grad_act_std"), he_run.values("grad_act_std")
print(f"per layer, going down: Xavier {(xg[0] / xg[-1]) ** (1 / 9):.4f}, He {(hg[0] / hg[-1]) ** (1 / 9):.4f}")
assert abs((xg[0] / xg[-1]) ** (1 / 9) - 2 ** -0.5) < 0.01 and np.all(np.abs(hg - 1) < 0.03)
Table(["layer", "std(dL/dh) Xavier", "theory", "std(dL/dh) He", "theory "],
      [[l + 1, a, b, c, d] for l, (a, b, c, d) in enumerate(zip(
          xg, xavier_run.values("grad_act_std_theory"), hg, he_run.values("grad_act_std_theory")))],
      title="gradient std by layer (upstream ~ N(0, 1) at layer 10)")

# %% [markdown]
# With Xavier the gradient's std shrinks by $1/\sqrt 2$ at every layer on the way down (0.705 to
# 0.714 per layer over seeds 0 to 9); with He it keeps its size (within 3% here, within 2% to 10%
# over seeds 0 to 9). For square layers $n_\text{in} = n_\text{out}$ and one
# choice satisfies both directions. For other shapes He et al. offer `mode="fan_out"`,
# $\operatorname{Var}(W) = 2/n_\text{out}$, which keeps the backward pass exact instead:

# %%
for mode in ("fan_in", "fan_out"):
    scheme = init.get("he_normal", mode=mode)
    print(f"he_normal, mode={mode!r}: {scheme.formula}   std for a 784 x 256 weight: {scheme.std(784, 256):.4f}")
print(f"gain for ReLU, init.calculate_gain('relu') = {init.calculate_gain('relu'):.6f} = sqrt(2)")
assert init.get("he_normal", mode="fan_out").std(784, 256) == np.sqrt(2 / 256)
assert init.get("he_normal").std(784, 256) == np.sqrt(2 / 784) and init.calculate_gain("relu") == np.sqrt(2)

# %% [markdown]
# ## 5. Thirty layers: Xavier stalls, He trains
#
# He et al. (2015) trained deep ReLU networks from Xavier's variance and from theirs,
# convolutional nets on ImageNet with momentum 0.9: at 22 layers both converged, theirs sooner
# (their Fig. 2); at 30 layers Xavier's did not learn at all (their Fig. 3). In miniature:
# MLPs of 30 hidden ReLU layers of 16 units and a linear output learn 64 points of the two
# moons by full-batch gradient descent, the loss the binary cross-entropy of the logits. A
# network "leaves ln 2" when its loss falls below $\ln 2 / 2$.
#
# First one network as plain numpy: every weight and bias as an array, the forward pass, the
# loss, the backward pass (*upstream × local*, layer by layer) and a step of SGD. The
# arithmetic is written in the order the lab's `experiments.fit` does it (the learning rate
# goes into the gradient first, the sigmoid is written with tanh), so the numbers will match
# it to the last bit.

# %%
X, y = moons(64, noise=0.1, rng=0)
x, t = np.ascontiguousarray(X.T, dtype=np.float32), y.astype(np.float32)[None]   # (2, 64), (1, 64)


def train(scheme, seed, steps=500, lr=0.03):
    """The loss of a 2-16x30-1 ReLU net at each step 0..steps (full batch, plain SGD)."""
    net = nn.MLP([2] + [16] * 30 + [1], activation="relu", init=scheme, rng=seed)
    Ws = [lin.weight.data.T.copy() for lin in net.linears()]           # (fan_out, fan_in)
    bs = [lin.bias.data[:, None].copy() for lin in net.linears()]
    lr, losses = np.float32(lr), []
    for step in range(steps + 1):
        hs, zs = [x], []                                                # forward
        for i, (W, b) in enumerate(zip(Ws, bs)):
            zs.append(W @ hs[-1] + b)
            hs.append(np.maximum(zs[-1], 0) if i < len(Ws) - 1 else zs[-1])
        out = hs[-1]
        losses.append(np.mean(np.maximum(out, 0) - out * t + np.log1p(np.exp(-np.abs(out)))))
        g = ((np.tanh(0.5 * out) + 1) * 0.5 - t) * np.float32(1 / x.shape[1])   # dL/dout = sigmoid(out) - t
        for i in reversed(range(len(Ws))):                              # backward, with a step of SGD
            step_W, step_b = (lr * g) @ hs[i].T, (lr * g).sum(axis=1, keepdims=True)
            if i:
                g = (Ws[i].T @ g) * (zs[i - 1] > 0)                     # upstream x local: W, then relu'
            Ws[i] -= step_W
            bs[i] -= step_b
    return np.array(losses)


mine = {scheme: train(scheme, seed=0) for scheme in ("xavier_uniform", "he_normal")}
for scheme, loss in mine.items():
    print(f"{scheme:15s} seed 0: loss {loss[0]:.4f} -> {loss[-1]:.4f}, lowest {loss.min():.4f}")

# %% [markdown]
# `experiments.depth` trains every seed of a panel at once (their weights stacked into one
# array) for 22 and for 30 layers; with `quick=True` for 500 steps, and we ask for five seeds.
# Its seed 0 is our loop.
#
# **Predict, then check.** With plain SGD, in how many of the five seeds does the 30-layer
# Xavier network leave ln 2 within 500 steps? And the He network?

# %%
deep = experiments.depth(rng=0, quick=True, seeds=5)
plain = "30 layers, plain SGD, lr 0.03"
steps = np.array(deep.data["he_normal"]["step"])                        # the recorded steps
for scheme in mine:                                                     # same seed, same numbers
    assert np.array_equal(mine[scheme][steps], deep.data[scheme]["panels"][plain]["loss"][0])
for finding in deep.findings:
    print("-", finding)
left = {(r["layers"], r["momentum"], r["init"]): r["left_ln2"] for r in deep.table.rows}
assert deep.settings["seeds"] == [0, 1, 2, 3, 4] and deep.settings["steps"] == 500
assert left[30, 0.0, "xavier_uniform"] == 0 and left[30, 0.0, "he_normal"] == 5
assert left[22, 0.0, "xavier_uniform"] == 1 and left[22, 0.0, "he_normal"] == 5
deep.table

# %% [markdown]
# Fig. 3 in miniature: with plain SGD none of the five Xavier nets of 30 layers leaves ln 2,
# and all five He nets do. At 22 layers (Fig. 2) every He net leaves ln 2 too, but only one
# Xavier net does within 500 steps: in miniature Xavier is far slower, not merely a little.
# Other draws tell the same story, though not without exception: over ten data sets (`rng` 0
# to 9, five networks each, 50 runs per cell) 1 or 2 of the 50 Xavier nets of 30 layers leave
# ln 2 (on one data set) and 48 to 50 of the 50 He nets do; at 22 layers 13 or 14 of 50 Xavier
# nets (0 to 3 of 5 per data set) and all 50 He nets. The counts can differ by a run or two
# between machines: a run near the threshold is chaotic, and a last-bit difference in a matrix
# product's sum (each CPU's BLAS library sums in its own order) grows over the steps until it
# tips the run one way or the other.
#
# With Xavier the signal that reaches the output is about $2^{-16}$ of He's: section 3's
# $1/\sqrt 2$ for each of the 29 square layers, and $1/3$ at the input layer, where Xavier's
# $2/(2 + 16)$ is a ninth of He's $2/2$ (one network of 16 units scatters widely around that:
# $2^{-27}$ to $2^{-10}$ over seeds 0 to 19). The output hardly depends on the input, and the
# loss stays at $\ln 2 = 0.693$, a coin toss. He's nets
# learn, if erratically: the loss jumps back up now and then, as a deep plain network does with
# one fixed learning rate.

# %%
xavier_final = np.array(deep.data["xavier_uniform"]["panels"][plain]["loss"])[:, -1]
assert np.all(np.abs(xavier_final - np.log(2)) < 1e-3)
assert np.max(np.diff(mine["he_normal"][steps])) > 0.05                  # seed 0 jumps back up at least once
sizes = [2] + [16] * 30 + [1]                        # the output's std, Xavier over He: the weights' stds multiply
shrink = np.prod([init.get("xavier_uniform").std(a, b) / init.get("he_normal").std(a, b)
                  for a, b in zip(sizes[:-1], sizes[1:])])
assert round(np.log2(shrink)) == -16 and abs(np.log2(shrink) - (np.log2(1 / 3) - 14.5 + np.log2(16 / 17) / 2)) < 1e-9
deep.figure

# %% [markdown]
# **The momentum caveat.** He et al. trained with momentum 0.9; the runs above, and those of
# tutorial 8, use plain SGD. The third panel runs the 30-layer nets with momentum 0.9 at the same
# effective step ($\text{lr} = 0.03 \times (1 - 0.9)$). There one of the five Xavier nets (seed 4) does fall
# below $\ln 2 / 2$ within the 500 steps, down to 0.03-0.15: the stall depends on the optimizer
# as well as on the init. That run is as chaotic as they come: whether it climbs back towards
# ln 2 before step 500 or stays down differs between machines (we measured both, under
# different BLAS kernels). How many leave for good after the full report's 1,200 steps? Run
# `experiments.depth(rng=0)` (it takes some seconds) and see.

# %%
momentum = np.array(deep.data["xavier_uniform"]["panels"]["30 layers, momentum 0.9, lr 0.003"]["loss"])
print("Xavier with momentum, lowest loss per seed:", np.round(momentum.min(axis=1), 3),
      "  final:", np.round(momentum[:, -1], 3))
assert left[30, 0.9, "xavier_uniform"] == 1 and left[30, 0.9, "he_normal"] == 5
assert np.argmin(momentum.min(axis=1)) == 4 and 0.02 < momentum[4].min() < 0.2

# %% [markdown]
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Leaky ReLU with slope $a$ passes $a z$ for $z < 0$. Show that
#    $E[f(z)^2] = \tfrac{1 + a^2}{2} \operatorname{Var}(z)$ and check it with
#    `theory.activation_moments("leaky_relu", 1.0, negative_slope=0.1)`. Which variance keeps
#    the signal? Compare with `init.calculate_gain("leaky_relu", 0.1)`.
# 2. Give the 10-layer ReLU network of section 3 a constant bias of 0.1 and measure it with
#    `probe_model` (tutorial 6), for `scheme = "cs231n"` and for `scheme = "he_normal"`:
#
#    ```python
#    from tinygrad_init.probe import probe_model
#    net = experiments.deep_mlp(10, 500, "relu", init=scheme, rng=0, bias=True,
#                               bias_init=init.get("constant", value=0.1))
#    stats = probe_model(net, np.random.default_rng(0).standard_normal((1000, 500)), columns=["layer", "act_std"])
#    ```
#
#    Is it still homogeneous: is std Xavier / std He (`stats.column("act_std")`) still
#    $2^{-l/2}$ at layer $l$?
# 3. Run `experiments.depth(schemes=("he_normal", "lecun_normal"), layers=(20,))`. Where does
#    LeCun's init sit, and why?
#
# ## What to remember
#
# * $E[\operatorname{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$ and $E[\operatorname{relu}'(z)^2] = \tfrac12$:
#   ReLU halves the signal's second moment, forward and backward.
# * Xavier's $1/n$ therefore shrinks a ReLU network's std by $1/\sqrt 2$ per layer; He's
#   $2/n_\text{in}$ keeps it constant (std of $h$: 0.826 for unit inputs).
# * Without biases, Xavier and He differ only by the overall scale $2^{L/2}$: the activation
#   pattern is the same, the size is not.
# * At depth 30, with plain SGD, that scale is the difference between a network that learns
#   and one that does not: in five seeds of five here, in 48-50 of 50 He runs against 1-2 of 50
#   Xavier runs over ten data sets; momentum blurs the line.
#
# ## Exercises
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises he_normal
# tinygrad-init exercises grade my_exercises relu_std
# ```

# %%
from tinygrad_init import exercises

for name in ["he_normal", "relu_std"]:
    ex = exercises.get(name)
    print(f"{ex.label}  {ex.name:10s} {ex.title}")
