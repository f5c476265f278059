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
# 4. reruns the 10-layer sweep with batch norm after every Linear;
# 5. trains two networks that could not learn before: a 10-layer tanh net with `0.01 * randn`
#    and the 30-layer ReLU net with Xavier.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, experiments, nn, no_grad
from tinygrad_init.data import moons
from tinygrad_init.gradcheck import gradcheck
from tinygrad_init.optim import SGD

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. What batch norm computes
#
# For a batch $z$ of shape $(B, \text{features})$, in training mode, per feature $j$:
#
# $$\mu_j = \frac1B \sum_{n} z_{nj}, \qquad \sigma_j^2 = \frac1B \sum_{n} (z_{nj} - \mu_j)^2, \qquad
# \hat z_{nj} = \frac{z_{nj} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \qquad y_{nj} = \gamma_j \hat z_{nj} + \beta_j .$$
#
# $\gamma$ (starts at 1) and $\beta$ (starts at 0) are learned, so the layer can still choose
# any scale and offset; $\varepsilon = 10^{-5}$ keeps the division safe. The batch norm layer
# goes between a Linear and its activation. Feed it $z = xW$ with weights of very different sizes:

# %%
x = Tensor(rng.standard_normal((256, 100)).astype(np.float32))
for scale in (1e-3, 1.0, 100.0):
    W = Tensor((scale * rng.standard_normal((100, 50))).astype(np.float32))
    z = x @ W
    y = nn.BatchNorm1d(50)(z)
    print(f"W = {scale:g} * randn: std(z) = {z.data.std():9.4g}  ->  after batch norm: mean {y.data.mean():+.1e}, "
          f"std {y.data.std():.4f}")

# %% [markdown]
# Whatever comes in leaves with mean 0 and std 1, except when the variance is as small as
# $\varepsilon$ itself: with std(z) = 0.01 the variance is $10^{-4}$ and the output std is
# $\sqrt{10^{-4}/(10^{-4} + 10^{-5})} = 0.953$.
#
# ## 2. Scale invariance, and what it does to the gradient
#
# Multiply the weights by any $a > 0$: the mean and the std of $xW$ are multiplied by $a$ too,
# and batch norm divides both out, so $\operatorname{BN}(x \cdot aW) = \operatorname{BN}(xW)$
# (up to $\varepsilon$). The loss does not change along that direction, and the chain rule
# then says
#
# $$\frac{\partial L}{\partial W}\bigg|_{aW} = \frac1a\, \frac{\partial L}{\partial W}\bigg|_{W} .$$
#
# Large weights get small gradients and small weights get large ones: a step of SGD is
# automatically in proportion to the weight. Checked in float64:

# %%
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

# %% [markdown]
# ## 3. Its backward pass, checked
#
# `BatchNorm1d` is built from the engine's own ops (mean, subtract, multiply, power,
# divide), so its backward is the chain rule through all of them, including the paths
# through $\mu$ and $\sigma^2$, which depend on every row of the batch. Central differences agree:

# %%
bn = nn.BatchNorm1d(4, dtype=np.float64)
print(gradcheck(lambda z: bn(z), rng.standard_normal((8, 4))))

# %% [markdown]
# ## 4. The 10-layer sweep with batch norm
#
# The networks of tutorials 5 to 7, now `Linear -> BatchNorm1d -> activation` ten times, with
# the two bad initializations, `0.01 * randn` and `1.0 * randn`. Batch norm runs in training
# mode, on the batch of 1000.

# %%
bnres = experiments.batch_norm(rng=0, activations=("tanh", "relu"))
for finding in bnres.findings:
    print("-", finding)
bnres.figure

# %% [markdown]
# With batch norm (solid) the activation's input has std 1 at every layer, whatever the init:
# the small init no longer collapses, the large one no longer saturates tanh (0.8% of
# $\mathcal N(0, 1)$ lies beyond $\operatorname{atanh}(0.99) = 2.65$, which is the saturated
# fraction left). The dotted lines are the same networks without it. The per-layer numbers:

# %%
bnres.table

# %% [markdown]
# ## 5. Training what could not be trained
#
# Two networks from the earlier tutorials that stay at the coin-toss loss $\ln 2$ without
# batch norm: 10 tanh layers of 32 units with `0.01 * randn` (as in tutorial 5), and 30 ReLU
# layers of 32 units with Xavier (as in tutorial 7). Each gets a linear output layer and is trained on the
# moons with the same optimizer, with and without batch norm after every hidden Linear.

# %%
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

# %% [markdown]
# Without batch norm both end where they started, on the grey line $\ln 2$ (the 30-layer
# network wanders off for a while and comes back). With it both learn the moons.
#
# ## 6. Training mode and evaluation mode
#
# During training, batch norm normalizes with the statistics of the current batch, so the
# output for one example depends on the others in its batch. It also keeps running averages
# of the batch means and variances (`running_mean`, `running_var`, updated with
# `momentum=0.1`). `model.eval()` switches to those fixed estimates, so that a single example
# gets a deterministic answer; `model.train()` switches back.

# %%
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

# %% [markdown]
# In evaluation mode the first example gets the same logit alone and in a batch. (In training
# mode a batch of one example cannot even be normalized: its variance is 0, and
# `BatchNorm1d` says so.)
#
# ## The whole story, in eight lines
#
# 1. A `Value` stores its local derivatives; backward multiplies *upstream × local* along
#    every edge, in reverse topological order.
# 2. A gradient is a sum over paths of products of local derivatives: deep chains multiply
#    many factors.
# 3. Tensors do the same with vector-Jacobian products; broadcasting is undone by summing.
# 4. Equal initial weights give equal units forever: the weights must be random.
# 5. Too small and the signal collapses, too large and tanh saturates: the scale matters.
# 6. Xavier picks $\operatorname{Var}(W)$ so that each layer keeps the variance, forward and back.
# 7. ReLU halves the variance; He doubles $\operatorname{Var}(W)$ to make up for it.
# 8. Batch normalization measures and removes the scale at every layer, so the
#    initialization no longer decides whether a deep network trains.
#
# ## Exercises
#
# All twenty-two exercises belong to this series. See what is left, grade everything at once:
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
    print(f"{ex.label}  {ex.name:20s} {ex.title}")

# %% [markdown]
# Try also:
#
# 1. Put batch norm *after* the activation instead of before it. Do the 30-layer ReLU
#    network's losses change?
# 2. Train the 30-layer network with batch norm from `init="large"` (`1.0 * randn`). Is the
#    learning rate still right? (Section 2 says what the gradients of large weights look like.)
# 3. Use `nn.BatchNorm1d(50, eps=1e-1)` in section 1. What is the output std for
#    `W = 0.001 * randn` now?
