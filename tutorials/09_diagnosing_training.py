# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 9. Diagnosing a training run
#
# Tutorials 5 to 8 looked at a network at the moment it is initialized. Here we watch one
# **while it trains**, with the plots of Andrej Karpathy's lecture "Building makemore part 3:
# Activations & Gradients, BatchNorm" and the "colorful dimension" of fastai's course:
#
# first a small network, a training loop, and a forward pass that keeps every layer's output; then
#
# 1. the activations of every layer as histograms, and the **saturated** fraction, $|h| > 0.97$;
# 2. the gradients $\partial L / \partial h$ of every layer as histograms;
# 3. the weights' **grad:data** ratio;
# 4. the **update:data** ratio of every weight over training, against the line $10^{-3}$;
# 5. the helper that records all of this through hooks, `Diagnostics`;
# 6. a poor init, a good init and batch norm, side by side.
#
# Layers are numbered 1 to $L$, from the input up.

# %%
# %matplotlib inline
import math

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, diagnostics, init, nn
from tinygrad_init.data import spirals
from tinygrad_init.losses import cross_entropy
from tinygrad_init.optim import SGD

X, y = spirals(600, classes=3, rng=0)
X = X.astype(np.float32)
assert np.all(np.linalg.norm(X, axis=1) <= 1.0)  # every point inside the unit disc
GOOD = init.get("xavier_normal", gain=5 / 3)  # Xavier with tanh's gain, as PyTorch recommends


def make(scheme, rng=0, width=100, depth=5):
    """`depth` layers Linear + Tanh of `width` units, then a Linear to the 3 classes."""
    gen, mods = np.random.default_rng(rng), []
    for fan_in in [2] + [width] * (depth - 1):
        mods += [nn.Linear(fan_in, width, init=scheme, rng=gen), nn.Tanh()]
    return nn.Sequential(*mods, nn.Linear(width, 3, init=scheme, rng=gen))


def forward(model, xb):
    """Run `model` one module at a time and keep the output of every Tanh (its .grad survives backward)."""
    h, outs = Tensor(xb), []
    for module in model:
        h = module(h)
        if isinstance(module, nn.Tanh):
            outs.append(h.retain_grad())
    return h, outs


# %% [markdown]
# The task: 600 points on three spiral arms in the plane, three classes. The network: five
# layers of 100 tanh units (Karpathy's lecture uses the same depth and width) and a linear
# output layer with three logits. We start from a **poor** initialization, every weight drawn
# from $\mathcal N(0, 1)$ (`init="large"`), and look at one batch of 64 examples.

# %%
poor = make("large")
batch = np.random.default_rng(1).integers(0, len(X), size=64)
logits, hs = forward(poor, X[batch])
loss = cross_entropy(logits, y[batch])
loss.backward()
print(f"loss at the first step: {loss.item():.3f}  (a network that knows nothing: ln 3 = {math.log(3):.3f})")

# %% [markdown]
# ## 1. Activations: how many units are saturated?
#
# A tanh unit is **saturated** when $|h| > 0.97$: there its local derivative $1 - h^2$ is
# below $0.06$, so it passes almost no gradient back. Layer 1 sees only the two coordinates
# of a point inside the unit disc. Every later layer sums 100 inputs $h$ times weights of
# std 1, so its pre-activation has a variance of about $100\, E[h^2]$.
#
# **Predict.** Where $E[h^2]$ of the layer below is near 0.8, a pre-activation has a std near
# 9. What fraction of $z \sim \mathcal N(0, 81)$ lies beyond $\operatorname{atanh}(0.97) = 2.09$?
# Less than a tenth, about half, or most of them? And in layer 1?
#
# The next cell measures the saturated fraction of every layer and compares it with a
# prediction. For one example, unit $j$'s pre-activation $z_j = \sum_i h_i W_{ij}$ sums 100
# independent Gaussian terms, so over the units it is exactly $\mathcal N(0, \sum_i h_i^2)$,
# with the $h_i$ of that example in the layer below: the predicted fraction is
# $P(|z| > 2.09)$ for that variance, averaged over the examples.

# %%
edge = math.atanh(0.97)
assert round(edge, 2) == 2.09 and 1 - 0.97 ** 2 < 0.06
saturated = [float(np.mean(np.abs(h.data) > 0.97)) for h in hs]
for l, h in enumerate(hs, 1):
    print(f"layer {l}: mean {h.data.mean():+.3f}  std {h.data.std():.3f}  saturated {100 * saturated[l - 1]:5.1f}%")
var = [np.sum(h.data.astype(np.float64) ** 2, axis=1) for h in hs[:-1]]  # per example, from layer l - 1
predicted = [float(np.mean([math.erfc(edge / math.sqrt(2 * v)) for v in vs])) for vs in var]
print("predicted for layers 2-5:", " ".join(f"{100 * p:.1f}%" for p in predicted))
second = [float(np.mean(h.data.astype(np.float64) ** 2)) for h in hs]
print("E[h^2] by layer:", np.round(second, 3))
assert round(second[0], 2) == 0.17
assert all(8 < math.sqrt(100 * q) < 10 for q in second[1:4])  # std(z) near 9 in layers 3-5
assert saturated[0] < 0.01  # layer 1: almost none
assert 0.45 < saturated[1] < 0.55 and all(0.7 < s < 0.9 for s in saturated[2:])  # half, then about 4 in 5
assert np.allclose(saturated[1:], predicted, atol=0.02)  # the Gaussian prediction, to 2 points

# %% [markdown]
# Half of layer 2's units and about 80% of those of layers 3 to 5 sit at $\pm 1$ (layer 2's
# input, layer 1, is itself small: $E[h_1^2] = 0.17$), and the Gaussian prediction agrees to
# within 2 percentage points. Other seeds of the weights and the batch (0 to 9) give 48-57% in
# layer 2, 75-85% in layers 3 to 5, $E[h_1^2]$ from 0.15 to 0.21, and the prediction within 5
# points: one batch of 64 examples through one set of 100 units scatters. Karpathy draws this
# as one histogram per layer, lines rather than bars, so that the layers can share an axis:

# %%
fig, ax = plt.subplots(figsize=(9, 4))
for l, h in enumerate(hs, 1):
    density, edges = np.histogram(h.data, bins=50, range=(-1, 1), density=True)
    ax.plot((edges[:-1] + edges[1:]) / 2, density, label=f"layer {l}: saturated {100 * saturated[l - 1]:.0f}%")
ax.set(xlabel="h", ylabel="density", title="activations, poor init (N(0, 1) weights)")
ax.legend(loc="upper center")
plt.show()

# %% [markdown]
# ## 2. Gradients: what reaches each layer?
#
# After `loss.backward()` each kept output holds $\partial L/\partial h_l$ in `.grad`. Going
# down through layer $l$, *upstream gradient × local gradient*, the gradient is multiplied by
# tanh's local gradient $1 - h^2$ (nearly 0 at a saturated unit) and then by $W_l^\top$ (large:
# weights of std 1 over 100 units).
#
# **Predict.** From layer 5 down to layer 1, does the std of $\partial L/\partial h$ shrink,
# because the saturated units block it, or grow?

# %%
grad_std = [float(h.grad.std()) for h in hs]
for l, g in enumerate(grad_std, 1):
    print(f"layer {l}: std of dL/dh = {g:.3g}")
assert all(a > b for a, b in zip(grad_std, grad_std[1:]))  # larger at every step down
assert grad_std[0] > 50 * grad_std[-1]

# %% [markdown]
# It **grows**, by a factor of more than 50 from layer 5 to layer 1 (46 to 207 over seeds 0
# to 9, growing at every layer in each). The saturated units do block it: what goes on down
# from layer $l$ is $\partial L/\partial y_l = (1 - h_l^2)\, \partial L/\partial h_l$ (the
# upstream gradient times tanh's local gradient $1 - h_l^2$), and the units that are not
# saturated carry nearly all of it. But they pass it on through large weights (std 1, summed
# over 100 units), so what survives is large, and carried by few units:

# %%
for l, h in enumerate(hs, 1):
    g_y = (1 - h.data.astype(np.float64) ** 2) * h.grad
    free = np.abs(h.data) <= 0.97
    share = np.sum(g_y[free] ** 2) / np.sum(g_y ** 2)
    print(f"layer {l}: units not saturated {100 * free.mean():5.1f}%, their share of the squared dL/dy "
          f"{100 * share:.2f}%")
    assert share > 0.99
assert round(100 * np.mean(np.abs(hs[-1].data) <= 0.97)) == 18

# %% [markdown]
# In layer 5, the 18% of units that are not saturated (15% to 18% over seeds 0 to 9) carry
# more than 99% of it (as the unsaturated units of every layer do, in each of those seeds).
# The histograms of $\partial L/\partial h$, each in units of its own layer's std so that their
# shapes compare (the legend gives the std), beside a Gaussian's (dashed), show what that does:
# tails far heavier than a Gaussian's, longest towards the input. About 1% of layer 1's
# gradients lie beyond 4 std, out to 14 std here, where a Gaussian puts 0.006% (1.0% to 1.3%
# over seeds 0 to 9, out to 8 to 18 std; layer 5's at most 0.2%, none beyond 4.5 std). The
# kurtosis $E[g^4] / E[g^2]^2$ (3 for a Gaussian) says it in one number per layer (above 4 at
# every layer over seeds 0 to 9; it rises at every step towards the input in 9 of those 10
# seeds, here too):

# %%
fig, ax = plt.subplots(figsize=(9, 4))
kurtosis, beyond = [], []
for l, h in enumerate(hs, 1):
    g = ((h.grad - h.grad.mean()) / grad_std[l - 1]).astype(np.float64)
    kurtosis.append(float(np.mean(g ** 4)))
    beyond.append(float(np.mean(np.abs(g) > 4)))
    counts, edges = np.histogram(g, bins=80, range=(-20, 20))         # 0.5 std per bin, every entry inside
    density = np.where(counts > 0, counts / (g.size * 0.5), np.nan)    # an empty bin is a gap, not a plunge
    ax.plot((edges[:-1] + edges[1:]) / 2, density, ".-", label=f"layer {l}: std {grad_std[l - 1]:.2g}")
u = np.linspace(-4.5, 4.5, 91)
ax.plot(u, np.exp(-u ** 2 / 2) / np.sqrt(2 * np.pi), "--", color="gray", label="a Gaussian")
ax.set(xlabel="dL/dh / std", ylabel="density", yscale="log", ylim=(1e-4, 3), title="gradients, poor init")
ax.legend()
plt.show()
print("kurtosis by layer:", np.round(kurtosis, 1))
print("beyond 4 std, by layer:", " ".join(f"{100 * b:.2f}%" for b in beyond))
assert all(k > 4 for k in kurtosis) and all(a > b for a, b in zip(kurtosis, kurtosis[1:]))
assert 0.01 < beyond[0] < 0.013 and beyond[-1] < 0.002 and round(float(np.abs(g).max()), 1) < 4.5
assert 13 < float(np.max(np.abs(hs[0].grad - hs[0].grad.mean())) / grad_std[0]) < 15  # "out to 14 std here"

# %% [markdown]
# ## 3. Weights: the grad:data ratio
#
# What a weight matrix receives is $\partial L/\partial W_l = h_{l-1}^\top\, \partial L/\partial z_l$,
# the upstream gradient $\partial L/\partial z_l$ times the weights' local gradient, the layer's
# input $h_{l-1}$.
# Compared with the weights themselves, $\operatorname{std}(\partial L/\partial W) /
# \operatorname{std}(W)$, the **grad:data** ratio, says how large a step of plain SGD is
# relative to the weights, before the learning rate.

# %%
weights = [m.weight for m in poor if isinstance(m, nn.Linear)]
grad_data = [float(W.grad.std() / W.data.std()) for W in weights]
for l, r in enumerate(grad_data, 1):
    print(f"layer {l} {weights[l - 1].shape}: grad:data {r:.3g}")
assert np.argmax(grad_data) == 0 and grad_data[0] > 10 * grad_data[4]
assert all(abs(W.data.std() - 1) < 0.1 for W in weights)  # every weight matrix has std near 1


# %% [markdown]
# Layer 1's ratio is the largest, more than ten times layer 5's (41 to 73 times over seeds 0 to 9
# of the weights and the batch): one learning rate cannot suit them all. (With 2 inputs, layer
# 1's weights are as large as the others', std 1, but its gradient is the large one of section 2.)
#
# ## 4. The update:data ratio over training
#
# The number Karpathy watches during training is the **update:data** ratio of every weight
# matrix: how much one step changes the weights relative to their size,
#
# $$\frac{\operatorname{std}(W_\text{after} - W_\text{before})}{\operatorname{std}(W_\text{before})}
# \qquad \text{(for plain SGD: } \operatorname{std}(\eta\, \partial L/\partial W) / \operatorname{std}(W)\text{)},$$
#
# on a log scale. His rule of thumb: about $10^{-3}$, that is $-3$ on the $\log_{10}$ axis.
# Far above, the weights are thrown around; far below, a layer hardly learns.
#
# **Predict.** At the first step of plain SGD the update is $\eta\, \partial L/\partial W$.
# If the learning rate is ten times larger, how does $\log_{10}$ update:data change?

# %%
def first_step_ratios(lr):
    model = make(GOOD)
    logits, _ = forward(model, X[batch])
    cross_entropy(logits, y[batch]).backward()
    linears = [m for m in model if isinstance(m, nn.Linear)]
    before = [m.weight.data.astype(np.float64) for m in linears]
    SGD(model.parameters(), lr=lr).step()
    return np.array([np.log10(np.std(m.weight.data - b) / np.std(b)) for m, b in zip(linears, before)])


lr_low, lr_high = 0.003, 0.03                                   # ten times larger
low, high = first_step_ratios(lr_low), first_step_ratios(lr_high)
print(f"log10 update:data, lr {lr_low:g}:".ljust(28), low.round(3))
print(f"log10 update:data, lr {lr_high:g}:".ljust(28), high.round(3))
assert np.allclose(high - low, 1.0, atol=1e-3)


# %% [markdown]
# Exactly 1 higher (to float32 rounding): the ratio is proportional to the learning rate. So
# the plot tells you by how much to change it. Now train, from the good init (Xavier with
# tanh's gain 5/3), and record the ratio of every weight matrix at every step:

# %%
def train(model, steps, lr, seed=1):
    """Plain SGD on batches of 64, recording the loss and log10 update:data of every weight per step."""
    gen, opt = np.random.default_rng(seed), SGD(model.parameters(), lr=lr)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    losses, ratios = [], []
    for _ in range(steps):
        idx = gen.integers(0, len(X), size=64)
        opt.zero_grad()
        logits, _ = forward(model, X[idx])
        loss = cross_entropy(logits, y[idx])
        losses.append(loss.item())
        loss.backward()
        before = [m.weight.data.copy() for m in linears]
        opt.step()
        ratios.append([np.std(m.weight.data - b) / np.std(b) for m, b in zip(linears, before)])
    return np.array(losses), np.log10(np.array(ratios))


scheme, lr = GOOD, 0.03
losses, ud = train(make(scheme), steps=150, lr=lr)
fig, ax = plt.subplots(figsize=(9, 4))
for l in range(ud.shape[1]):
    ax.plot(ud[:, l], label=f"layer {l + 1}" + (" (output)" if l == 5 else ""))
ax.axhline(-3, color="gray", linestyle="--", label="1e-3")
ax.set(xlabel="step", ylabel="log10 update:data",
       title=f"update:data, {'good init' if scheme is GOOD else f'init {scheme!r}'}, lr {lr:g}")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
plt.show()
median = np.median(ud, axis=0)
print("median log10 update:data by layer:", median.round(2))
print(f"loss: {losses[:10].mean():.3f} (first 10 steps) -> {losses[-10:].mean():.3f} (last 10)")
assert np.all(np.abs(median[1:5] + 3) < 0.25)  # the hidden layers sit on the line
assert median[0] > median[1:5].max() and median[5] > median[1:5].max()  # layer 1 and the output above it
assert losses[-10:].mean() < 0.6 * losses[:10].mean()

# %% [markdown]
# With this learning rate the four hidden weight matrices sit on the line, within a quarter
# of a **decade** of $10^{-3}$ (a decade: a factor of 10, one unit on the $\log_{10}$ axis);
# layer 1 (two inputs) and the output layer lie above all of them: the layers whose learning
# rate you would lower first. The loss falls by more than 40%. So it
# goes with seeds 0 to 9 of the weights and the batches (`make(GOOD, rng=s)`, `seed=s + 1`): the
# hidden matrices within 0.17 of a decade of $10^{-3}$, layer 1 and the output above them, the
# loss down by 54% to 69%.
#
# ## 5. The helper: `Diagnostics`
#
# All of this, recorded through hooks, for any model and optimizer, in one line:
#
# ```python
# diag = diagnostics.Diagnostics(model, optimizer, every=k)   # then train as usual
# ```
#
# Forward hooks on every `Tanh`, `Sigmoid` and `ReLU` module read its output (mean, std,
# saturated or dead fraction, a histogram); a tensor hook reads its gradient; and
# `optimizer.step` is wrapped to read every parameter before and after. It **changes no
# number of the run**. `diagnostics.fit` is a training loop like ours (same batches from the
# same seed) that attaches one. Run it on the same network and compare with our loop:

# %%
losses2, diag = diagnostics.fit(make(GOOD), X, y, steps=150, lr=0.03, rng=1, every=5)  # record every 5th step
names = diag.weights()  # the weight matrices by their paths in the model: "0.weight" is layer 1's
print("weight matrices of layers 1-6:", names)
recorded = np.log10(np.array([diag.series("update_data", param=n) for n in names])).T
assert np.array_equal(np.array(losses2), losses)  # the hooks changed nothing
assert np.allclose(recorded, ud[::5], atol=1e-4)  # and they measured what we did, at steps 0, 5, 10, ...

# %% [markdown]
# The same losses to the last bit, and the same ratios. Its plots (`diagnostics.KINDS`)
# are the ones we drew by hand, for any recorded step:

# %%
print(diagnostics.KINDS)
diag.plot("update")

# %%
diag.plot("activations", step=0)

# %% [markdown]
# fastai's **colorful dimension**: every layer's activation histogram over time, stacked,
# one row of pixels per bin, brighter where more activations fall. And the saturated
# fraction of every layer over time:

# %%
diag.plot("colorful")

# %%
diag.plot("fractions")

# %% [markdown]
# ## 6. Poor init, good init, batch norm
#
# `diagnostics.compare_inits` trains one tanh network three ways on three-class spirals and
# watches each: the **poor init** of section 1 ($\mathcal N(0, 1)$ weights), the **good init**
# (Xavier with gain 5/3), and **batch norm** (the poor init's hidden weights with a `BatchNorm1d`
# before every `Tanh`; the output layer, which no batch norm follows, keeps the good init).
#
# **Predict.** Batch norm hands every tanh a pre-activation of mean 0 and std 1, whatever the
# weights. If it were Gaussian, what fraction would lie beyond $2.09$: under 5%, about 20%, or
# half? How many units will batch norm leave saturated, from the same weights that saturate
# more than half of them without it?

# %%
print(f"P(|z| > {edge:.3f}) = {math.erfc(edge / math.sqrt(2)):.4f} for z ~ N(0, 1)")
cmp = diagnostics.compare_inits(rng=0, depth=5, width=100, steps=100, lr=0.03)
first = {label: np.mean([d.series("fraction", n)[0] for n in d.layers]) for label, d in cmp.runs.items()}
for label, f in first.items():
    print(f"{label}: {100 * f:.2g}% of the tanh outputs saturated at the first step")   # as the findings round
for finding in cmp.findings:
    print("-", finding)
by_layer = [d.series("fraction", n)[0] for d in [cmp.runs["batch norm"]] for n in d.layers]
assert max(by_layer) < 0.027 < math.erfc(edge / math.sqrt(2)) < 0.05  # every layer below the Gaussian's 3.6%
assert first["poor init"] > 0.5 and first["good init"] < 0.01

# %% [markdown]
# A Gaussian puts 3.6% beyond 2.09. Batch norm brings every layer of the poor init below
# that here (at most 2.7%), where the same weights without it saturate more than half of all
# units; the good init saturates under 1% (0.04% to 0.23% over `rng` 0 to 9). Over those
# seeds the worst layer with batch norm scatters around the Gaussian's figure, from 1.1% to
# 5.1%, while without it 57% to 61% of all units saturate.
# (Batch norm's pre-activations have unit variance but are not Gaussian: layer 1's are a
# linear function of two bounded coordinates, with thin tails.) The findings
# above are computed from the recorded numbers. The figures have a column per run. The first
# shows the first step, a row per kind, each with every layer's histogram: the activations $h$,
# the gradients $\partial L/\partial h$ and the weight gradients $\partial L/\partial W$ (with
# their grad:data):

# %%
cmp.figure()

# %% [markdown]
# The second is the training: update:data, the saturated fraction and the colorful dimension
# of every layer over the steps.

# %%
cmp.figure("training")

# %% [markdown]
# ## What to remember
#
# * Watch a training run layer by layer: the activations (saturated or dead fraction), the
#   gradients $\partial L/\partial h$, the weights' grad:data and, over time, update:data.
# * With $\mathcal N(0, 1)$ weights about half of layer 2's tanh outputs saturate, and about 80% above it,
#   and the gradient grows going down: a few units pass a large gradient, most pass none.
# * update:data is proportional to the learning rate; near $10^{-3}$ is the rule of thumb:
#   with one learning rate for all layers, the layer farthest from $10^{-3}$ (on the log scale)
#   is the one whose rate is most off; when most layers are off together, the odd one out may be
#   the one that is right.
# * `diagnostics.Diagnostics(model, optimizer)` records all of it through hooks without
#   changing a number; `plot(kind)` draws it.
#
# ## Exercises
#
# Compute the update:data ratios of a step yourself, and find the layer whose learning rate
# is off:
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises update_data
# ```
#
# Try also:
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Train the poor init: `scheme, lr = "large", 0.03` in the training cell of section 4. Where
#    does each layer's update:data sit, and which layer is off?
# 2. Replace `nn.Tanh()` by `nn.ReLU()` in `make` (the first cell) and train with He's init:
#    section 5's `diag` was made from `make(GOOD)`, tanh's gain, so make another,
#    `losses_relu, diag_relu = diagnostics.fit(make("he_normal"), X, y, steps=150, lr=0.03, rng=1, every=5)`.
#    What does `diag_relu.plot("fractions")` show now (the dead fraction: units that are 0 for
#    every example of the batch)?
