# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Too small, too large: collapse and saturation
#
# Random weights break the symmetry (tutorial 4). How large should they be? This notebook runs
# the classic experiment of Stanford's CS231n (lecture 6, "Training Neural Networks I"):
#
# * a batch of 1000 inputs, each 500 numbers drawn from $\mathcal N(0, 1)$;
# * 10 layers of 500 tanh units, no biases: $h_l = \tanh(h_{l-1} W_l)$;
# * every $W_l$ drawn as `scale * randn(500, 500)`, with `scale = 0.01` ("small") and
#   `scale = 1.0` ("large").
#
# Then we look at every layer: its activations (histograms, std, saturation), and the
# gradients that come back.

# %%
# %matplotlib inline
import numpy as np
from IPython.display import display

from tinygrad_init import Tensor, experiments
from tinygrad_init.probe import Probe

# %% [markdown]
# ## 1. First in plain numpy
#
# The experiment needs nothing but numpy. One loop, ten matrix products:

# %%
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

# %% [markdown]
# Two ways to fail:
#
# * **small**: the std shrinks by a factor of about 0.22 per layer, from 0.21 down to about
#   $3 \times 10^{-7}$ at layer 10. The activations **collapse** to zero: every input produces
#   almost the same, almost-zero output.
# * **large**: the std stays near 0.98, but that is because about 90% of all units sit at
#   $-1$ or $+1$: tanh is **saturated**.
#
# ## 2. Why: count the variance
#
# A pre-activation sums 500 products, $z_j = \sum_{i=1}^{500} h_i W_{ij}$, of independent
# terms with mean 0. Variances of independent terms add, so
#
# $$\operatorname{Var}(z) = 500 \cdot \operatorname{Var}(W) \cdot E[h^2],
# \qquad \operatorname{std}(z) = \text{scale} \cdot \sqrt{500} \cdot \sqrt{E[h^2]} .$$
#
# * scale 0.01: $0.01 \sqrt{500} = 0.2236$. The $z$ are small, tanh is almost the identity
#   there, and each layer multiplies the std by 0.2236: $0.2236^{10} \approx 3 \times 10^{-7}$.
# * scale 1.0: $\sqrt{500} \approx 22$. With $|z|$ typically near 20, $\tanh z$ is $\pm 1$
#   for almost every unit.
#
# ## 3. The same with the lab: a table, histograms and the theory
#
# `experiments.run_sweep` builds the same networks as `nn` modules (`experiments.deep_mlp`),
# watches them with a `Probe` (forward hooks on every layer, gradient hooks on every output)
# and runs one forward and one backward pass, from a seeded standard-normal upstream
# gradient. Every scheme gets the same input batch, the same upstream gradient and the same
# standard-normal draws for its weights, so the rows differ only by the scale. Beside each
# measurement sits the prediction of `tinygrad_init.theory` (tutorial 6), computed from the
# scale and the activation alone.

# %%
sweep = experiments.run_sweep(("small", "large", "cs231n"), ("tanh",), rng=0)
acts = experiments.activation_statistics(sweep=sweep, schemes=("small", "large"), activations=("tanh",))
for finding in acts.findings:
    print("-", finding)
acts.tables["summary"]

# %% [markdown]
# The histograms tell the story at a glance: a row per scheme, a column per layer, all on the
# same axis from $-1$ to $1$. Small: a narrowing spike at 0. Large: two spikes at $\pm 1$.

# %%
acts.get_figure("hist_tanh")

# %%
acts.get_figure("std")

# %% [markdown]
# The std falls on a straight line on the log axis: a constant factor per layer. The dashed
# theory lines are there too, hidden under the measured ones.
#
# Here is the full per-layer table of one run, measured and predicted side by side:

# %%
sweep.run("small", "tanh").table(["layer", "pre_std", "pre_std_theory", "act_std", "act_std_theory"])

# %% [markdown]
# ## 4. Backward: what reaches the weights?
#
# A network learns through $\partial L/\partial W_l$. Going back through layer $l$:
#
# $$\frac{\partial L}{\partial z_l} = \underbrace{(1 - h_l^2)}_{\tanh'} \odot \frac{\partial L}{\partial h_l},
# \qquad \frac{\partial L}{\partial h_{l-1}} = \frac{\partial L}{\partial z_l}\, W_l^\top,
# \qquad \frac{\partial L}{\partial W_l} = h_{l-1}^\top\, \frac{\partial L}{\partial z_l} .$$
#
# The first two multiply the gradient by a factor per layer, as in tutorial 2. The third is
# *upstream × local*, and the local factor is the layer's **input** $h_{l-1}$.

# %%
grads = experiments.gradient_statistics(sweep=sweep, schemes=("small", "large"), activations=("tanh",))
sweep.run("small", "tanh").table(["layer", "act_std", "grad_act_std", "grad_act_std_theory", "grad_w_std",
                                  "grad_w_std_theory"])

# %% [markdown]
# **Small init.** Going down, $\partial L/\partial h$ shrinks by 0.22 per layer, from 1 at the
# top to about $10^{-6}$ at layer 1: it **vanishes**. The weight gradient
# $h_{l-1}^\top\, \partial L/\partial z_l$ pairs an input that shrinks going *up* with a
# gradient that shrinks going *down*, so it comes out the same at every layer: about
# $4 \times 10^{-5}$. How small that is shows beside the initialization of the next tutorial
# (`cs231n`, $W = \text{randn}/\sqrt{500}$), given the very same input and upstream gradient:

# %%
small_dw = sweep.run("small", "tanh").values("grad_w_std")
xavier_dw = sweep.run("cs231n", "tanh").values("grad_w_std")
print("std of dL/dW by layer, small :", " ".join(f"{v:.2g}" for v in small_dw))
print("std of dL/dW by layer, Xavier:", " ".join(f"{v:.2g}" for v in xavier_dw))
print(f"ratio about {np.median(xavier_dw / small_dw):.3g}")

# %% [markdown]
# Relative to the weights themselves (std 0.01 versus 0.045) one SGD step with the same
# learning rate moves the small-init weights tens of thousands of times less: the network
# does not learn.
#
# **Large init.** Here the picture is more subtle than "the gradient is zero":

# %%
sweep.run("large", "tanh").table(["layer", "saturated", "grad_act_std", "grad_act_std_theory", "grad_pre_std",
                                  "grad_w_std"])

# %% [markdown]
# * At the top, tanh's local derivative $1 - h^2$ is almost 0 for the 90% saturated units,
#   so $\partial L/\partial z$ is only about 0.16 of $\partial L/\partial h$ (layer 10).
# * But the weights are large: $W^\top$ multiplies the gradient by about
#   $\sqrt{500} \approx 22$. Through the few unsaturated units it gets across, and the net
#   effect is a factor of about 3.5 per layer: going down, the gradient **explodes** to nearly
#   $10^5$ at layer 1.
#
# This network cannot train either: each unit is nearly a step function of its input, a few
# units get enormous gradients and most get none, and a learning rate small enough for the
# first layer is far too small for the last. The measured numbers and the theory agree
# again. Both failures in one picture (solid: measured, dashed: theory):

# %%
grads.figure

# %% [markdown]
# ## 5. Watch it yourself with a Probe
#
# `Probe` works on any model built from `nn` modules. Here is the small network once more,
# with its own seed, and the probe's forward and backward tables:

# %%
model = experiments.deep_mlp(10, 500, "tanh", init="small", rng=1)
X = np.random.default_rng(2).standard_normal((1000, 500)).astype(np.float32)
with Probe(model) as probe:
    out = model(Tensor(X))
    out.backward(np.random.default_rng(3).standard_normal(out.shape).astype(np.float32))
display(probe.stats("forward"))
probe.stats(["layer", "grad_act_std", "grad_act_ratio", "grad_w_std"])

# %% [markdown]
# `grad_act_ratio` is each layer's gradient std divided by the one above: 0.22 all the way
# down, exactly the factor `ledger.layer_gains` found in tutorial 2.
#
# ## What to remember
#
# * While tanh is near-linear, each layer multiplies the activation std by about
#   $\text{scale} \cdot \sqrt{n_\text{in}}$, with $n_\text{in}$ the fan-in: 0.22 for `0.01 * randn` on 500 units, so ten layers collapse
#   the signal to $3 \times 10^{-7}$.
# * With `1.0 * randn` the pre-activations have std about 22, and 90% of the tanh units saturate.
# * Small init: $\partial L/\partial h$ vanishes going down, and every $\partial L/\partial W$ is
#   tiny. Large init: most units pass no gradient, the rest pass it amplified.
# * The right scale depends on the number of inputs of a unit, its **fan-in**.
#
# ## Exercises
#
# Every initialization formula starts from the fans of the weight. Write the function that
# reads them from a weight's shape:
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises fans
# tinygrad-init exercises grade my_exercises tanh_std_table
# ```

# %%
from tinygrad_init.exercises import catalog

for name in ["fans", "tanh_std_table"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:15s} {ex.title}")

# %% [markdown]
# Try also:
#
# 1. Run the numpy loop of section 1 with `scale = 0.05` and `scale = 0.1`. Which scale keeps
#    the std roughly constant? Compare with $1/\sqrt{500}$.
# 2. Repeat it with widths of 100 instead of 500 and `scale = 0.01`. What is the factor per
#    layer now?
# 3. Replace tanh by the sigmoid in the numpy loop. Why does the std not collapse to 0?
#    (Hint: what is $\sigma(0)$?)
