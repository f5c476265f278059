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
# the classic experiment of Stanford's CS231n (2017, lecture 6, "Training Neural Networks I"):
#
# * a batch of 1000 inputs, each 500 numbers drawn from $\mathcal N(0, 1)$;
# * 10 layers of 500 tanh units, no biases: $h_l = \tanh(h_{l-1} W_l)$, layers numbered 1 to 10;
# * every $W_l$ drawn as `scale * randn(500, 500)`, with `scale = 0.01` ("small") and
#   `scale = 1.0` ("large").
#
# We build it twice: first as a loop of numpy lines you can read at a glance, then with the
# lab's `experiments.run_sweep`, which the lecture report runs; with the same seed both give
# the same numbers. Then we look at every layer: its activations (histograms, std,
# saturation), and the gradients that come back.

# %%
# %matplotlib inline
import numpy as np
from threadpoolctl import threadpool_limits

from tinygrad_init import Tensor, experiments, theory
from tinygrad_init.probe import Probe

# %% [markdown]
# ## 1. First in plain numpy
#
# The experiment needs nothing but numpy: one loop, ten matrix products. The random numbers
# are drawn in the order the lab draws them (the inputs `X`, then an upstream gradient `G` for
# section 4, then one seed for the weights), so that section 3 can compare number by number.
# Both scales use the same standard-normal draws: their networks differ only by the factor.
# And like the lab, we let numpy's matrix products (BLAS) use one thread: a sum of 500 terms
# in float32 depends in its last bits on the order of the additions, which the threads decide.

# %%
gen = np.random.default_rng(0)
X = gen.standard_normal((1000, 500)).astype(np.float32)      # 1000 inputs of 500 numbers
G = gen.standard_normal((1000, 500)).astype(np.float32)      # dL/dh at the top (section 4)
weight_seed = int(gen.integers(0, 2**63 - 1))


def cs231n_net(scale):
    """The weights W_1..W_10 and the activations h_0 = X, h_1, ..., h_10."""
    wgen = np.random.default_rng(weight_seed)
    Ws = [(scale * wgen.standard_normal((500, 500))).astype(np.float32) for _ in range(10)]
    hs = [X]
    for W in Ws:
        hs.append(np.tanh(hs[-1] @ W))
    return Ws, hs


# %% [markdown]
# **Predict, then check.** With `scale = 0.01`, a pre-activation $z = \sum_{i=1}^{500} h_i W_{ij}$
# of layer 1 sums 500 products of an input of std 1 and a weight of std 0.01. What is the std
# of $z$, and (tanh is nearly the identity there) of $h_1$? What is the std of $h_2$, one
# layer later?

# %%
with threadpool_limits(1, user_api="blas"):          # one thread: the lab's order of the sums
    nets = {scale: cs231n_net(scale) for scale in (0.01, 1.0)}
stds = {scale: [h.std(dtype=np.float64) for h in hs[1:]] for scale, (Ws, hs) in nets.items()}
for scale in stds:
    print(f"scale {scale}: std by layer", " ".join(f"{s:.3g}" for s in stds[scale]))
small = stds[0.01]
assert abs(small[0] - 0.2236) < 0.015 and round(small[0], 3) == 0.214       # a little below 0.2236: tanh bends
assert abs(small[1] / 0.0476 - 1) < 0.01                                     # CS231n's table: 0.0476

# %% [markdown]
# The std of $z$ at layer 1 is $0.01 \sqrt{500} = 0.2236$; tanh bends a little even there,
# so $h_1$ has std 0.214, and $h_2$ has $0.2236 \times 0.214 = 0.048$ (CS231n's slide: 0.213,
# 0.0476, 0.0106, 0.00238, ...). Other seeds change little: over seeds 0 to 9, $h_1$ has std
# 0.213-0.214, $h_2$ is within 0.6% of 0.0476, and $h_1$ to $h_4$ are within 1.2% of the slide's.
#
# **Predict, then check.** With `scale = 1.0` the pre-activations have std about
# $\sqrt{500} \approx 22$. Which fraction of the units of layer 10 sits at $|h| > 0.99$, that
# is at $|z| > \operatorname{atanh}(0.99) = 2.65$?

# %%
h10 = nets[1.0][1][10]
saturated = np.mean(np.abs(h10) > 0.99)
p = theory.activation_moments("tanh", 22.0 ** 2).saturated      # P(|z| > 2.65) for z ~ N(0, 22^2)
print(f"fraction with |h| > 0.99 at layer 10: {saturated:.3f}   (Gaussian prediction {p:.3f})")
assert abs(saturated - p) < 0.01 and round(saturated, 2) == 0.90

# %% [markdown]
# Two ways to fail:
#
# * **small**: the std shrinks by a factor of about 0.22 per layer, from 0.21 down to
#   $3 \times 10^{-7}$ at layer 10. The activations **collapse** to zero: every input produces
#   almost the same, almost-zero output.
# * **large**: the std stays near 0.98, but that is because 90% of all units sit at $-1$ or
#   $+1$: tanh is **saturated**.

# %%
factors = np.array(small[1:]) / np.array(small[:-1])
print("factor per layer, small:", np.round(factors, 4))
assert np.all(np.abs(factors[1:] - 0.2236) < 0.002) and round(small[-1], 7) == 3e-7
assert all(abs(s - 0.98) < 0.005 for s in stds[1.0])

# %% [markdown]
# ## 2. Why: count the variance
#
# A pre-activation sums 500 products, $z_j = \sum_{i=1}^{500} h_i W_{ij}$, of independent
# terms with mean 0. Variances of independent terms add, so
#
# $$\operatorname{Var}(z) = 500 \cdot \operatorname{Var}(W) \cdot E[h^2],
# \qquad \operatorname{std}(z) = \text{scale} \cdot \sqrt{500} \cdot \sqrt{E[h^2]} .$$
#
# * scale 0.01: $0.01 \sqrt{500} = 0.2236$. The $z$ are small, tanh is almost the identity
#   there, and each layer multiplies the std by 0.2236 (the factors printed above, from
#   layer 2 on): $0.214 \times 0.2236^9 = 3 \times 10^{-7}$.
# * scale 1.0: $\sqrt{500} \approx 22$. Half of the $|z|$ lie beyond $0.674 \times 22 = 15$
#   (the median of $|z|$ for a Gaussian of std 22), and $\tanh z$ is $\pm 1$ for almost every unit.
#
# ## 3. The same with the lab: a table, histograms and the theory
#
# `experiments.run_sweep` builds the same networks as `nn` modules (`experiments.deep_mlp`) and
# runs one forward and one backward pass, from the seeded upstream gradient `G`, watched by a
# `Probe`. A probe measures through **hooks**: a hook is a function that a module calls after
# each forward pass, or a tensor when its gradient arrives, with the numbers that pass through
# (here, on every layer and on every layer's output), so the model's code stays as it is. It draws
# `X`, `G` and the weight seed as we did, so its numbers are ours; the lecture report
# (`tinygrad-init report`, seed 0) runs this very sweep, so they are the report's too. Beside
# each measurement sits the prediction of `tinygrad_init.theory` (tutorial 6), computed from
# the scale and the activation alone. We add `cs231n`, the initialization of the next
# tutorial, for section 4.

# %%
sweep = experiments.run_sweep(("small", "large", "cs231n"), ("tanh",), rng=0)
for scale, scheme in ((0.01, "small"), (1.0, "large")):
    lab = sweep.run(scheme, "tanh")
    assert np.allclose(lab.values("act_std"), stds[scale], rtol=1e-9)            # the loop's numbers
    assert abs(lab.values("saturated")[-1] - np.mean(np.abs(nets[scale][1][10]) > 0.99)) < 1e-3
acts = experiments.activation_statistics(sweep=sweep, schemes=("small", "large"), activations=("tanh",))
for finding in acts.findings:
    print("-", finding)
acts.tables["summary"]

# %% [markdown]
# The histograms tell the story at a glance: a row per scheme, a column per layer, all on the
# same axis from $-1$ to $1$. Small: a narrowing spike at 0. Large: two spikes at $\pm 1$.

# %%
counts, edges = sweep.run("large", "tanh").histograms[-1]                        # layer 10, 50 bins over [-1, 1]
assert (edges[0], edges[-1]) == (-1, 1) and (counts[0] + counts[-1]) / counts.sum() > 0.8       # the two spikes
acts.get_figure("hist_tanh")

# %%
acts.get_figure("std")

# %% [markdown]
# The std falls on a straight line on the log axis: a constant factor per layer. The dashed
# theory lines are there too, hidden under the measured ones: they agree within 2% at every
# layer. The pre-activations of the large init have std 22, as counted in section 2.

# %%
for scheme in ("small", "large"):
    run = sweep.run(scheme, "tanh")
    assert np.allclose(run.values("act_std"), run.values("act_std_theory"), rtol=0.02)
assert np.all(np.abs(sweep.run("large", "tanh").values("pre_std") - 22) < 0.5)
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
# *upstream × local*, and the local factor is the layer's **input** $h_{l-1}$. In numpy, from
# the top down, starting from `G`:

# %%
def backward(Ws, hs):
    """std of dL/dh_l, dL/dz_l and dL/dW_l for l = 1..10, from dL/dh_10 = G."""
    g, grad_h, grad_z, grad_W = G, [], [], []
    for l in reversed(range(10)):                    # layer l + 1, the top one first
        gz = g * (1 - hs[l + 1] ** 2)                # upstream x local: through tanh
        grad_h.insert(0, g.std(dtype=np.float64))
        grad_z.insert(0, gz.std(dtype=np.float64))
        grad_W.insert(0, (hs[l].T @ gz).std(dtype=np.float64))     # upstream x local: the input
        g = gz @ Ws[l].T                             # to the layer below
    return np.array(grad_h), np.array(grad_z), np.array(grad_W)


with threadpool_limits(1, user_api="blas"):
    grads = {scale: backward(*nets[scale]) for scale in nets}
for scale, scheme in ((0.01, "small"), (1.0, "large")):
    lab = sweep.run(scheme, "tanh")
    for mine, key in zip(grads[scale], ("grad_act_std", "grad_pre_std", "grad_w_std")):
        assert np.allclose(mine, lab.values(key), rtol=1e-9), (scheme, key)          # the lab's numbers

# %% [markdown]
# **Predict, then check.** With the small init, how large is $\partial L/\partial h_1$ (its std)
# when $\partial L/\partial h_{10}$ has std 1? And the weight gradient
# $\partial L/\partial W_l = h_{l-1}^\top\, \partial L/\partial z_l$ (upstream gradient
# $\partial L/\partial z_l$ × local gradient $h_{l-1}$): is it larger at the top or at the bottom?

# %%
grad_h, grad_z, grad_W = grads[0.01]
print("std of dL/dh by layer:", " ".join(f"{v:.2g}" for v in grad_h))
print("std of dL/dW by layer:", " ".join(f"{v:.2g}" for v in grad_W))
assert abs(grad_h[-1] - 1) < 0.01 and abs(grad_h[0] / 0.2236 ** 9 - 1) < 0.1             # 1.4e-6
assert np.all(np.abs(grad_W / 4.2e-5 - 1) < 0.05)                                     # the same at every layer
assert (round(grad_W.min() * 1e5, 1), round(grad_W.max() * 1e5, 1)) == (4.2, 4.3)      # the prose's figures

# %% [markdown]
# **Small init.** Going down, $\partial L/\partial h$ shrinks by 0.22 per layer, from 1 at the
# top to $1.4 \times 10^{-6}$ at layer 1: it **vanishes**. The weight gradient
# $h_{l-1}^\top\, \partial L/\partial z_l$ pairs an input that shrinks going *up* with a
# gradient that shrinks going *down*, so it comes out the same at every layer:
# $4.2$ to $4.3 \times 10^{-5}$ (4.1 to 4.3 over seeds 0 to 9). How small that is shows beside
# the initialization of the next tutorial (`cs231n`, $W = \text{randn}/\sqrt{500}$), given the
# very same input and upstream gradient:

# %%
small_dw = sweep.run("small", "tanh").values("grad_w_std")
xavier_dw = sweep.run("cs231n", "tanh").values("grad_w_std")
print("std of dL/dW by layer, small :", " ".join(f"{v:.2g}" for v in small_dw))
print("std of dL/dW by layer, Xavier:", " ".join(f"{v:.2g}" for v in xavier_dw))
step_ratio = np.median((xavier_dw / (1 / np.sqrt(500))) / (small_dw / 0.01))    # step / weight, Xavier over small
print(f"ratio about {np.median(xavier_dw / small_dw):.3g}; relative to the weights' own std, {step_ratio:.3g}")
assert 1e4 < step_ratio < 1e5

# %% [markdown]
# Relative to the weights themselves (std 0.01 versus $1/\sqrt{500} = 0.045$) one SGD step
# with the same learning rate moves the small-init weights tens of thousands of times less:
# the network does not learn.
#
# **Large init.** CS231n's slide says that with `1.0 * randn` the gradients "will be all zero".
#
# **Predict, then check.** Most units are saturated, where $\tanh' = 1 - h^2$ is almost 0.
# But the weights are large: going back through them multiplies the upstream gradient by their
# local gradient $W^\top$, which makes it about $\sqrt{500} \approx 22$ times larger. Does
# $\partial L/\partial h$ vanish or explode going down? And what does the *typical* unit of
# layer 1 receive, the median $|\partial L/\partial z_1|$?

# %%
large = sweep.run("large", "tanh")
grad_h, grad_z, grad_W = grads[1.0]
growth = grad_h[0] / grad_h[-1]
print(f"std of dL/dh: {grad_h[-1]:.3g} at layer 10 -> {grad_h[0]:.3g} at layer 1 (x{growth:.3g}, "
      f"{growth ** (1 / 9):.2f} per layer)")
print(f"median |dL/dz| at layer 1: {large.layers[0]['grad_pre_median']:.3g}   (its std {grad_z[0]:.3g})")
assert 5e4 < growth < 1e5 and 3.3 < growth ** (1 / 9) < 3.7
assert abs(grad_z[-1] / grad_h[-1] - 0.16) < 0.01
assert large.layers[0]["grad_pre_median"] == 0.0 and grad_z[0] > 1e3
exactly_one = np.mean(np.abs(nets[1.0][1][1]) == 1)                           # h_1 = +-1 to the last bit
print(f"entries of h_1 that are exactly -1 or +1 in float32: {exactly_one:.0%}")
assert np.tanh(np.float32(10.0)) == 1 and exactly_one > 0.5

# %% [markdown]
# Both. At the top, tanh's local derivative is almost 0 for the 90% saturated units, so
# $\partial L/\partial z$ is only about 0.16 of $\partial L/\partial h$ (layer 10). Through
# the few unsaturated units it gets across the large weights, and the net effect is a factor
# of about 3.5 per layer: going down, the std of the gradient **explodes** to $8 \times 10^4$
# at layer 1 ($7.2$ to $7.9 \times 10^4$ over seeds 0 to 9). Yet the median unit of layer 1
# receives exactly 0: in float32, numpy's $\tanh z$ *is* $\pm 1$ for $|z| \ge 10$, which is
# most of the entries here, and $\tanh' = 1 - h^2$ is 0 there. The slide's "all zero"
# describes the typical unit; the std describes the few that are not saturated.
#
# This network cannot train either: each unit is nearly a step function of its input, a few
# units get enormous gradients and most get none, and a learning rate small enough for the
# first layer is far too small for the last. The theory predicts the explosion too, within
# 5% at every layer. Both failures in one picture (solid: measured, dashed: theory):

# %%
assert np.allclose(large.values("grad_act_std"), large.values("grad_act_std_theory"), rtol=0.05)
experiments.gradient_statistics(sweep=sweep, schemes=("small", "large"), activations=("tanh",)).figure

# %% [markdown]
# ## 5. Watch it yourself with a Probe
#
# `Probe` works on any model built from `nn` modules. Here is a narrower network, 10 layers of
# 100 units (batch 200), with the small init.
#
# **Predict, then check.** The probe's `grad_act_ratio` is each layer's gradient std divided by
# the one above. What will it be with 100 units instead of 500?

# %%
model = experiments.deep_mlp(10, 100, "tanh", init="small", rng=1)
X100 = np.random.default_rng(2).standard_normal((200, 100)).astype(np.float32)
with Probe(model) as probe:
    out = model(Tensor(X100))
    out.backward(np.random.default_rng(3).standard_normal(out.shape).astype(np.float32))
table = probe.stats(["layer", "act_std", "grad_act_std", "grad_act_ratio", "grad_w_std"])
ratios = np.array([r for r in table.column("grad_act_ratio") if r is not None and np.isfinite(r)])
print("grad_act_ratio, layers 1-9:", np.round(ratios, 4))
assert len(ratios) == 9 and np.all(np.abs(ratios - 0.1) < 0.005)                 # 0.01 * sqrt(100)
table

# %% [markdown]
# $0.01 \sqrt{100} = 0.1$ per layer, within 5% at every layer of this network (the top one has
# no layer above it to compare with). One network of 100 units scatters: over seeds 0 to 9 its
# worst layer is 2% to 5.1% off. The factor depends on the number of inputs of each unit, its
# fan-in.
#
# ## Try it yourself
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Run `cs231n_net` of section 1 with `scale = 0.05` and `scale = 0.1`. Which scale keeps
#    the std roughly constant from layer 2 on, and what fraction of layer 10 does it saturate?
#    Compare both scales with $1/\sqrt{500} = 0.045$ (tutorial 6 takes this up).
# 2. Replace tanh by the sigmoid in `cs231n_net`. Why does the std not collapse to 0?
#    (Hint: what is $\sigma(0)$?)
# 3. Which entries of layer 1 of the large init (an example at a unit) pass the most gradient,
#    the largest $|\partial L/\partial z_1|$: those with the smallest $|z_1|$? (The last `gz` of
#    `backward`'s loop is $\partial L/\partial z_1$: return it too. $z_1$ is `X @ Ws[0]`, with
#    `Ws, hs = nets[1.0]`.) What share of the squared gradient do the entries with $|z_1| < 2$
#    carry, and how many are they?
#
# ## What to remember
#
# * While tanh is near-linear, each layer multiplies the activation std by about
#   $\text{scale} \cdot \sqrt{n_\text{in}}$, with $n_\text{in}$ the fan-in: 0.2236 for
#   `0.01 * randn` on 500 units, so ten layers collapse the signal to $3 \times 10^{-7}$.
# * With `1.0 * randn` the pre-activations have std about 22, and 90% of the tanh units saturate.
# * Small init: $\partial L/\partial h$ vanishes going down, and every $\partial L/\partial W$ is
#   tiny. Large init: most units pass no gradient, the rest pass it amplified.
# * The right scale depends on the number of inputs of a unit, its **fan-in**.
#
# ## Exercises
#
# Every initialization formula starts from the fans of the weight. Write the function that
# reads them from a weight's shape (a convolution kernel's too: its file says how), then predict
# CS231n's table from the theory: the mean-field recursion, which the exercise's file states
# and tutorial 6 takes up:
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises fans
# tinygrad-init exercises grade my_exercises tanh_std_table
# ```

# %%
from tinygrad_init import exercises

for name in ["fans", "tanh_std_table"]:
    ex = exercises.get(name)
    print(f"{ex.label}  {ex.name:15s} {ex.title}")
