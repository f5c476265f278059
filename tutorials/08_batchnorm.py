# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 8. Batch normalization frees the initialization
#
# Tutorials 5 to 7 chose the weight scale so that every layer keeps the variance of its
# input. Batch normalization (Ioffe and Szegedy, 2015) takes another road: it *measures* the
# variance of each feature over the batch and divides it out, at every layer, at every step.
# Then the scale of the weights hardly matters any more. This notebook
#
# 1. computes what `nn.BatchNorm1d` does, and sees any input scale come out as 1;
# 2. finds that it makes a layer **scale-invariant**, and what that does to the gradient;
# 3. checks its backward pass with `gradcheck`;
# 4. reruns the 10-layer sweep with batch norm after every Linear, first as a numpy loop;
# 5. trains two networks that stay at the coin-toss loss without it: a 10-layer tanh net with
#    `0.01 * randn`, and tutorial 7's 30-layer ReLU net with Xavier under plain SGD.

# %%
# %matplotlib inline
import copy

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from tinygrad_init import Tensor, experiments, nn, no_grad, theory
from tinygrad_init.data import moons
from tinygrad_init.gradcheck import gradcheck
from tinygrad_init.optim import SGD

# %% [markdown]
# ## 1. What batch norm computes
#
# For a batch $z$ of shape $(B, \text{features})$, in training mode, per feature $j$:
#
# $$\mu_j = \frac1B \sum_{n} z_{nj}, \qquad \sigma_j^2 = \frac1B \sum_{n} (z_{nj} - \mu_j)^2,$$
#
# $$\hat z_{nj} = \frac{z_{nj} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \qquad
# y_{nj} = \gamma_j \hat z_{nj} + \beta_j .$$
#
# $\gamma$ (starts at 1) and $\beta$ (starts at 0) are learned, so the layer can still choose
# any scale and offset; $\varepsilon = 10^{-5}$ keeps the division safe. The batch norm layer
# goes between a Linear and its activation. Feed it $z = xW$, 100 inputs of std 1, with weights
# of very different sizes.
#
# **Predict, then check.** With `W = 100 * randn`, $z$ has std about $100 \sqrt{100} = 1000$.
# What std does batch norm hand on? And with `W = 0.001 * randn`, where $z$ has std about
# $0.001 \sqrt{100} = 0.01$, a variance of $10^{-4}$, only ten times $\varepsilon$?

# %%
rng = np.random.default_rng(0)          # each cell that draws has its own seed: run it again, same numbers
x = Tensor(rng.standard_normal((256, 100)).astype(np.float32))
out_std = {}
for scale in (1e-3, 1.0, 100.0):
    W = Tensor((scale * rng.standard_normal((100, 50))).astype(np.float32))
    z = x @ W
    out = nn.BatchNorm1d(50)(z)
    out_std[scale] = out.data.std()
    print(f"W = {scale:g} * randn: std(z) = {z.data.std():9.4g}  ->  after batch norm: mean {out.data.mean():+.1e}, "
          f"std {out.data.std():.4f}")
    assert abs(out.data.mean()) < 1e-5
assert abs(out_std[1.0] - 1) < 1e-4 and abs(out_std[100.0] - 1) < 1e-4
assert abs(out_std[1e-3] - np.sqrt(1e-4 / (1e-4 + 1e-5))) < 0.01            # 0.953

# %% [markdown]
# Whatever comes in leaves with mean 0 and std 1, except when the variance is as small as
# $\varepsilon$ itself: with std(z) = 0.01 the variance is $10^{-4}$ and the output std is
# about $\sqrt{10^{-4}/(10^{-4} + 10^{-5})} = 0.953$ (each feature's own variance scatters
# around $10^{-4}$).
#
# ## 2. Scale invariance, and what it does to the gradient
#
# Multiply the weights by any $a > 0$: the mean and the std of $xW$ are multiplied by $a$ too,
# and batch norm divides both out, so $\operatorname{BN}(x \cdot aW) = \operatorname{BN}(xW)$
# (up to $\varepsilon$). The loss does not change along that direction, and the chain rule
# then says how the gradient changes: $L(aW) = L(W)$ for every $W$, and the gradient of the left
# side with respect to $W$, the upstream gradient at $aW$ times the local gradient of $aW$ (which
# is $a$), equals that of the right side, the gradient at $W$. So
#
# $$\frac{\partial L}{\partial W}\bigg|_{aW} = \frac1a\, \frac{\partial L}{\partial W}\bigg|_{W} .$$
#
# Large weights get small gradients and small weights get large ones. Relative to the weight
# the effect is squared: the weights are $a$ times larger and the step $a$ times smaller, so one
# step of SGD at learning rate $\eta$ moves $aW$ as a step at $\eta / a^2$ would move $W$. With batch
# norm the scale of the weights acts as a learning rate: large weights learn slowly, small
# ones fast.
#
# **Predict, then check.** Multiply the weights by 10. What happens to the output, and to
# $\partial L/\partial W$?

# %%
rng = np.random.default_rng(1)
W0 = rng.standard_normal((100, 50))
G = rng.standard_normal((256, 50))                  # a non-uniform upstream gradient
x64 = Tensor(x.data.astype(np.float64))
grads, outs = {}, {}
for a in (1.0, 10.0):
    W = Tensor(a * W0, requires_grad=True)
    out = nn.BatchNorm1d(50, dtype=np.float64)(x64 @ W)
    out.backward(G)
    grads[a], outs[a] = W.grad, out.data
    print(f"a = {a:4}: output[0, :3] = {np.round(out.data[0, :3], 6)}")
assert np.allclose(outs[1.0], outs[10.0], rtol=0, atol=1e-6)
rel = np.abs(10 * grads[10.0] - grads[1.0]).max() / np.abs(grads[1.0]).max()
print(f"max |10 * dL/dW(10 W) - dL/dW(W)| relative to max |dL/dW(W)|: {rel:.1e}")
assert rel < 1e-5                  # only eps = 1e-5 against Var(z) = 100 breaks the invariance
step_per_weight = {a: np.abs(grads[a]).max() / np.abs(a * W0).max() for a in grads}    # a step at one lr, per weight
assert abs(step_per_weight[1.0] / step_per_weight[10.0] / 100 - 1) < 1e-4                  # 1 / a^2

# %% [markdown]
# ## 3. Its backward pass, checked
#
# `BatchNorm1d` is built from the engine's own ops (mean, subtract, multiply, power,
# divide), so its backward is the chain rule through all of them, including the paths
# through $\mu$ and $\sigma^2$, which depend on every row of the batch. Central differences agree:

# %%
rng = np.random.default_rng(2)
bn = nn.BatchNorm1d(4, dtype=np.float64)
check = gradcheck(lambda z: bn(z), rng.standard_normal((8, 4)))
print(check)
assert check.ok

# %% [markdown]
# ## 4. The 10-layer sweep with batch norm
#
# The networks of tutorials 5 to 7, now `Linear -> BatchNorm1d -> activation` ten times, with
# the two bad initializations, `0.01 * randn` and `1.0 * randn`. Batch norm runs in training
# mode. We take the sizes of the report's quick run (`tinygrad-init report --quick`): 100 units,
# a batch of 200. First the tanh network in numpy, with the lab's draws and its single BLAS
# thread (tutorial 5, section 1):
#
# **Predict, then check.** Batch norm hands tanh inputs of mean 0 and std 1 at every layer,
# whatever the scale of $W$. Which fraction of them is then saturated, $|\tanh z| > 0.99$, that
# is $|z| > \operatorname{atanh}(0.99) = 2.65$?

# %%
gen = np.random.default_rng(0)
X0 = gen.standard_normal((200, 100)).astype(np.float32)
gen.standard_normal((200, 100))                              # the upstream gradient (not needed here)
weight_seed = int(gen.integers(0, 2**63 - 1))
saturated, pre_std = {}, {}
for scale in (0.01, 1.0):
    wgen, h, saturated[scale], pre_std[scale] = np.random.default_rng(weight_seed), X0, [], []
    for layer in range(10):
        with threadpool_limits(1, user_api="blas"):          # one BLAS thread, as the lab (tutorial 5)
            z = h @ (scale * wgen.standard_normal((100, 100))).astype(np.float32)
        centered = z - z.mean(axis=0)
        zhat = centered / ((centered * centered).mean(axis=0) + np.float32(1e-5)) ** 0.5    # batch norm
        h = np.tanh(zhat)
        saturated[scale].append(np.mean(np.abs(h) > 0.99))
        pre_std[scale].append(zhat.std(dtype=np.float64))
    print(f"scale {scale}: std of tanh's input {min(pre_std[scale]):.3f}..{max(pre_std[scale]):.3f}, "
          f"saturated {min(saturated[scale]):.4f}..{max(saturated[scale]):.4f}")
gaussian = theory.activation_moments("tanh", 1.0).saturated                 # P(|z| > 2.65), z ~ N(0, 1)
print(f"for z ~ N(0, 1): {gaussian:.4f}")
assert round(gaussian, 3) == 0.008 and abs(max(max(v) for v in saturated.values()) - 0.00765) < 1e-9
assert all(abs(v - 1) < 0.002 for vs in pre_std.values() for v in vs)

# %% [markdown]
# 0.8% of $\mathcal N(0, 1)$ lies beyond 2.65, and that is about what is left: at most 0.765%
# at any layer, with either scale (0.70% to 0.83% over `rng` 0 to 9 of the lab's draws; the
# large init saturated 90% of the units without batch norm, tutorial 5). The lab's
# `experiments.batch_norm` builds the same networks from `nn` modules, here for tanh and ReLU
# (the report adds the sigmoid), measures them with the probe and runs the same networks
# without batch norm beside them; its tanh numbers are our loop's:

# %%
bnres = experiments.batch_norm(rng=0, quick=True, activations=("tanh", "relu"))
for scale, scheme in ((0.01, "small"), (1.0, "large")):
    run = bnres.data["batchnorm"]["runs"][bnres.settings["schemes"].index(scheme) * 2]       # the tanh network
    assert (run["scheme"], run["activation"]) == (scheme, "tanh")
    assert np.allclose([r["pre_std"] for r in run["layers"]], pre_std[scale], rtol=1e-9)
    assert np.allclose([r["saturated"] for r in run["layers"]], saturated[scale], rtol=0, atol=1e-12)
for finding in bnres.findings:
    print("-", finding)
rows = bnres.table.rows
assert all(abs(r["bn_pre_std"] - 1) < 0.02 for r in rows)                 # std 1 into every activation
assert max(r["bn_saturated_or_dead"] for r in rows) < 0.012
assert all(r["bn_saturated_or_dead"] == 0 for r in rows if r["activation"] == "relu")       # no dead unit
assert max(r["plain_saturated_or_dead"] for r in rows if r["scheme"] == "large" and r["activation"] == "tanh") > 0.75
bnres.figure

# %% [markdown]
# With batch norm (solid) the activation's input has std 1 (within 2%) at every layer,
# whatever the init: the small init no longer collapses, the large one no longer saturates
# tanh, and no ReLU unit is dead. The dotted lines are the same networks without it. The
# per-layer numbers:

# %%
bnres.table

# %% [markdown]
# ## 5. Training what could not be trained
#
# Two networks that stay at the coin-toss loss $\ln 2$ without batch norm, on the 64 moons of
# tutorial 7 with its optimizer, plain full-batch SGD at learning rate 0.03:
#
# * 10 tanh layers of 16 units with `0.01 * randn`, as in tutorial 5;
# * 30 ReLU layers of 16 units with Xavier, tutorial 7's network.
#
# What tutorial 7's `experiments.depth` found for the second one, over five seeds:

# %%
deep = experiments.depth(rng=0, quick=True, seeds=5, layers=(30,))
left = {(r["momentum"], r["init"]): r["left_ln2"] for r in deep.table.rows}
momentum = np.array(deep.data["xavier_uniform"]["panels"]["30 layers, momentum 0.9, lr 0.003"]["loss"])
for finding in deep.findings:
    print("-", finding)
assert left[0.0, "xavier_uniform"] == 0 and left[0.0, "he_normal"] == 5 and left[0.9, "xavier_uniform"] == 1
assert 0.02 < momentum[4].min() < 0.2

# %% [markdown]
# With plain SGD none of the five Xavier nets leaves ln 2 within 500 steps (and every He net
# does; over ten data sets, tutorial 7 counts 1 or 2 of 50 Xavier nets that leave and 48 to 50
# of 50 He nets). With momentum 0.9 at the same effective step, one of them (seed 4) gets down
# to a loss of 0.03 to 0.15 (the figure depends on the machine, as tutorial 7 explains): "Xavier
# cannot train 30 ReLU layers" holds for plain SGD at this budget, not for every optimizer.
#
# Now both networks with batch norm after every hidden Linear, and the tanh network without
# it, three seeds each, 300 steps, in the training loop of tutorial 3.
#
# **Predict, then check.** With batch norm, do the two networks leave ln 2 (a loss below
# $\ln 2 / 2$, as `depth` counts it) within 300 steps of plain SGD? And the tanh network
# without it?

# %%
X, y = moons(64, noise=0.1, rng=0)
targets = y.reshape(-1, 1).astype(np.float32)


def make(activation, init, depth, batchnorm, seed, width=16):
    body = experiments.deep_mlp(depth, width, activation, init=init, rng=seed, batchnorm=batchnorm,
                                input_width=2, bias=not batchnorm)   # batch norm's beta is the bias
    return nn.Sequential(body, nn.Linear(width, 1, rng=seed + 100))


def train(model, steps=300, lr=0.03):
    opt = SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps + 1):
        loss = nn.binary_cross_entropy_with_logits(model(Tensor(X)), targets)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return np.array(losses)


cases = {"10 tanh layers, 0.01 * randn": ("tanh", "small", 10),
         "30 ReLU layers, Xavier uniform": ("relu", "xavier_uniform", 30)}
curves, models = {}, {}
for title, (activation, init_name, depth) in cases.items():
    for batchnorm in ([False, True] if activation == "tanh" else [True]):
        for seed in range(3):
            models[title, batchnorm, seed] = make(activation, init_name, depth, batchnorm, seed)
            curves[title, batchnorm, seed] = train(models[title, batchnorm, seed])

tanh_plain = np.array([curves["10 tanh layers, 0.01 * randn", False, s] for s in range(3)])
print(f"tanh without batch norm: the loss stays within {np.abs(tanh_plain - np.log(2)).max():.1g} of ln 2")
first = {}
for title in cases:
    first[title] = [int(np.argmax(c < np.log(2) / 2)) if c.min() < np.log(2) / 2 else "never"
                    for c in (curves[title, True, s] for s in range(3))]
    print(f"{title} with batch norm: below ln 2 / 2 from step", first[title], " lowest loss",
          [round(float(curves[title, True, s].min()), 3) for s in range(3)])
    assert all(curves[title, True, s].min() < np.log(2) / 2 for s in range(3))
assert max(first["10 tanh layers, 0.01 * randn"]) <= 10 and 20 < min(first["30 ReLU layers, Xavier uniform"])
assert np.abs(tanh_plain - np.log(2)).max() < 1e-6

without = {"10 tanh layers, 0.01 * randn": (np.arange(301), tanh_plain),
           "30 ReLU layers, Xavier uniform": (np.array(deep.data["xavier_uniform"]["step"]), np.array(
               deep.data["xavier_uniform"]["panels"]["30 layers, plain SGD, lr 0.03"]["loss"]))}
assert np.abs(without["30 ReLU layers, Xavier uniform"][1] - np.log(2)).max() < 2e-3   # 1e-3 on most CPUs
fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), constrained_layout=True)
for ax, title in zip(axes, cases):
    at, runs = without[title]
    for k, run in enumerate(runs):        # thick and grey, under the coloured runs: they all sit on ln 2
        ax.plot(at, run, color="0.6", linewidth=4, label="without batch norm: every seed on ln 2" if k == 0 else None)
    for seed in range(3):
        ax.plot(curves[title, True, seed], color=f"C{seed}", label=f"with batch norm, seed {seed}")
    ax.set(title=title + (" (without: experiments.depth)" if title.startswith("30") else ""), xlabel="step",
           ylabel="loss", yscale="log", xlim=(0, 300))
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=4)
plt.show()

# %% [markdown]
# Without batch norm (grey) the tanh network stays on $\ln 2$ to six digits in all three
# seeds (and in seeds 0 to 9); the ReLU network with plain SGD stays within 0.001 of it in all
# five seeds of `experiments.depth` (0.0011 on a CPU without AVX2; with other data, `rng` 0 to
# 9, in 5 to 7 of the 10 data sets, depending on the machine's arithmetic as tutorial 7
# explains; on the others a net ends 0.001 to 0.02 from it, or, on one, one or two nets of five
# leave it). With batch norm all six runs leave it: the tanh networks within ten steps, the
# ReLU networks after 25 steps or more, within the 300 (with spikes on the way, as tutorial 7's
# He networks had). Over seeds 0 to 9 of this loop the tanh networks take 4 to 8 steps, but
# for seed 4 (12 to 14), and the ReLU networks 25 to 190 (25 to about 260 over other machines'
# arithmetic). Those two figures are chaotic: the step
# at which such a run leaves moves by steps, or tens of steps, between machines (tutorial 7
# says why).
#
# ## 6. Training mode and evaluation mode
#
# During training, batch norm normalizes with the statistics of the current batch, so the
# output for one example depends on the others in its batch. It also keeps running averages
# of the batch means and variances (`running_mean`, `running_var`, updated with
# `momentum=0.1`). `model.eval()` switches to those fixed estimates, so that a single example
# gets a deterministic answer; `model.train()` switches back.
#
# **Predict, then check.** In evaluation mode, does the first example get the same logit alone
# as in a batch of five? In training mode?

# %%
# a copy: a forward pass in training mode, even under no_grad, moves the running estimates (as in PyTorch),
# so the trained model stays as it was and a re-run of this cell prints the same numbers
model = copy.deepcopy(models["30 ReLU layers, Xavier uniform", True, 0])
first_bn = model[0][1]                               # the first BatchNorm1d of the body
print(first_bn, "\nrunning mean of its first 4 features:", np.round(first_bn.running_mean[:4], 3))

model.eval()
with no_grad():
    accuracy = ((model(Tensor(X)).data[:, 0] > 0) == y).mean()
    one = model(Tensor(X[:1])).data[0, 0]
    again = model(Tensor(X[:5])).data[0, 0]
model.train()
with no_grad():
    in_five, in_all = model(Tensor(X[:5])).data[0, 0], model(Tensor(X)).data[0, 0]
print(f"evaluation mode: accuracy {accuracy:.1%}; the first example alone {one:.4f}, in a batch of 5 {again:.4f}")
print(f"training mode: the first example in a batch of 5 {in_five:.4f}, in the batch of 64 {in_all:.4f}")
assert first_bn.momentum == 0.1 and abs(one - again) < 1e-5 and abs(in_five - in_all) > 1e-3
try:
    model(Tensor(X[:1]))
    raise AssertionError("a batch of one should not be normalized in training mode")
except ValueError as error:
    print("training mode, a batch of one:", error)

# %% [markdown]
# In evaluation mode the first example gets the same logit alone and in a batch; in training
# mode its logit depends on the batch, and a batch of one example cannot even be normalized:
# its variance is 0, and `BatchNorm1d` says so.
#
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Put batch norm *after* the activation instead of before it. Do the 30-layer ReLU
#    network's losses change? Swap each block's `BatchNorm1d` and `ReLU` in a body of section 5,
#    `body = make("relu", "xavier_uniform", 30, True, seed=0)[0]`, with
#    `after = nn.Sequential(*[m for i in range(0, len(body), 3) for m in (body[i], body[i + 2], body[i + 1])])`,
#    and train `nn.Sequential(after, nn.Linear(16, 1, rng=100))`.
# 2. Train the 30-layer network with batch norm from `init="large"` (`1.0 * randn`): add a case
#    below the `cases` of section 5, `cases["30 ReLU layers, 1.0 * randn"] = ("relu", "large", 30)`
#    (its line prints below the others; the figure keeps its two panels). Is the learning rate
#    still right? (Section 2 says what the gradients of large weights look like.)
# 3. Use `nn.BatchNorm1d(50, eps=1e-1)` in section 1. What is the output std for
#    `W = 0.001 * randn` now?
#
# ## The story so far, in eight lines
#
# 1. A `Value` stores its local derivatives; backward multiplies *upstream × local* along
#    every edge, in reverse topological order.
# 2. A gradient is a sum over paths of products of local derivatives: deep chains multiply
#    many factors.
# 3. Tensors do the same with vector-Jacobian products; broadcasting is undone by summing.
# 4. Equal initial weights give equal units forever: the weights must be random.
# 5. Too small and the signal collapses, too large and tanh saturates: the scale matters.
# 6. Xavier picks $\operatorname{Var}(W)$ so that each layer keeps the variance, forward and back.
# 7. ReLU halves the second moment; He doubles $\operatorname{Var}(W)$ to make up for it.
# 8. Batch normalization measures and removes the scale at every layer, so the
#    initialization no longer decides whether a deep network trains.
#
# Tutorials 9 to 12 go on: a training run watched layer by layer, the edge of chaos, the
# spectrum of a network's Jacobian, and the init explorer.
#
# ## Exercises
#
# Exercises 1 to 18 belong to tutorials 1 to 8; tutorials 9 to 12 add the last four. Grade
# yours all at once and see what is left (the list below gives each exercise's tutorial):
#
# ```bash
# tinygrad-init exercises list
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises       # every exercise
# tinygrad-init exercises grade my_exercises batchnorm
# ```

# %%
from tinygrad_init.exercises import catalog

for ex in catalog.EXERCISES:
    print(f"{ex.label}  {ex.name:20s} tutorial {ex.tutorial:2d}  {ex.title}")
assert len(catalog.EXERCISES) == 22 and [ex.number for ex in catalog.EXERCISES if ex.tutorial <= 8] == [*range(1, 19)]
