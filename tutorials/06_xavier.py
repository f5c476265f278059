# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 6. Xavier initialization: keep the variance
#
# Tutorial 5 found that each tanh layer multiplies the activation std by about
# $\text{scale} \cdot \sqrt{n_\text{in}}$. Choose the scale so that this factor is 1 and
# the signal keeps its size through any number of layers. That is the idea of Glorot and
# Bengio (2010), known as **Xavier initialization**. This notebook
#
# 1. derives $\operatorname{Var}(\text{out}) = n \operatorname{Var}(w) \operatorname{Var}(\text{in})$
#    and checks it by simulation;
# 2. states the **forward** and the **backward** condition, and Glorot's compromise between them;
# 3. shows them at work in a funnel-shaped network, theory beside measurement;
# 4. runs the 10-layer tanh network with Xavier and compares every layer with the
#    mean-field prediction of `tinygrad_init.theory`;
# 5. untangles the three different formulas that are all called "Xavier".

# %%
# %matplotlib inline
import numpy as np
from IPython.display import Markdown

from tinygrad_init import experiments, init, nn, plots, theory
from tinygrad_init.probe import probe_model
from tinygrad_init.table import Table

# %% [markdown]
# ## 1. The variance of a sum of products
#
# Take one unit, $y = \sum_{i=1}^{n} w_i x_i$, with all $w_i$ and $x_i$ independent, mean 0.
# Then each product has $\operatorname{Var}(w_i x_i) = E[w_i^2]\,E[x_i^2] = \operatorname{Var}(w)\operatorname{Var}(x)$,
# and the variances of independent terms add:
#
# $$\operatorname{Var}(y) = n \cdot \operatorname{Var}(w) \cdot \operatorname{Var}(x) .$$
#
# The output keeps the input's variance exactly when $n \operatorname{Var}(w) = 1$, that is
# $w \sim \mathcal N(0, 1/n)$: `randn(n, m) / sqrt(n)`. A quick simulation with inputs of
# variance 4:

# %%
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

# %% [markdown]
# ## 2. Two conditions, one compromise
#
# For a layer $y = xW$ with $W$ of shape $(n_\text{in}, n_\text{out})$:
#
# * **Forward.** Each output sums $n_\text{in}$ terms, so
#   $\operatorname{Var}(y) = n_\text{in} \operatorname{Var}(W) \operatorname{Var}(x)$.
#   Keeping the activations' size needs $n_\text{in} \operatorname{Var}(W) = 1$.
# * **Backward.** The gradient $\partial L/\partial x = g W^\top$ sums over the $n_\text{out}$
#   outputs each input feeds, so
#   $\operatorname{Var}(\partial L/\partial x) = n_\text{out} \operatorname{Var}(W) \operatorname{Var}(g)$.
#   Keeping the gradients' size needs $n_\text{out} \operatorname{Var}(W) = 1$.
#
# Both hold only when $n_\text{in} = n_\text{out}$. Glorot and Bengio compromise with the
# harmonic mean of the two variances $1/n_\text{in}$ and $1/n_\text{out}$:
#
# $$\operatorname{Var}(W) = \frac{2}{n_\text{in} + n_\text{out}},$$
#
# and draw it from a uniform distribution. $U(-a, a)$ has variance $a^2/3$, so the bound is
# $a = \sqrt{6/(n_\text{in} + n_\text{out})}$: that is `xavier_uniform` (PyTorch's
# `xavier_uniform_`, Keras' `glorot_uniform`). Every scheme of `tinygrad_init.init` carries
# its own formula:

# %%
xu = init.get("xavier_uniform")
print(xu.formula, "   Var(W) =", xu.variance, "   source:", xu.source)
W = xu((784, 256), rng=0)
print(f"784 x 256: bound {np.sqrt(6 / (784 + 256)):.5f}, max |W| {np.abs(W).max():.5f}")
print(f"           std   {xu.std(784, 256):.5f}, measured std {W.std():.5f}")

# %% [markdown]
# ## 3. A funnel: forward or backward, pick one
#
# In a network whose widths shrink, 1000-500-250-125-64 (linear layers, no activation, so
# only the weights act), the two conditions pull apart. Three choices of the variance:
# $1/n_\text{in}$ (LeCun), $1/n_\text{out}$, and Glorot's $2/(n_\text{in} + n_\text{out})$.
# `probe_model` runs one forward and one backward pass (from a standard-normal upstream
# gradient) and `theory.predict` gives the same numbers from the widths and the scheme alone.

# %%
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

# %% [markdown]
# * $1/n_\text{in}$ keeps the forward std at 1, and the backward std shrinks by
#   $\sqrt{1/2}$ per layer (each layer has half the outputs of its inputs).
# * $1/n_\text{out}$ keeps the backward std at 1, and the forward std grows by $\sqrt 2$ per layer.
# * Glorot's average lets both drift, each by less.
#
# For the square layers of most lecture examples, all three are the same, $1/n$.
#
# ## 4. Ten tanh layers with Xavier: theory beside measurement
#
# Back to tutorial 5's network, 10 tanh layers of 500 units, now with Xavier's variance
# $1/500$: `cs231n` (the lecture's `randn / sqrt(fan_in)`) and `xavier_uniform` (Glorot's
# uniform; for square layers the same variance). The mean-field theory of
# `tinygrad_init.theory.predict` follows the variance layer by layer:
#
# $$q_l = n_{l-1} \operatorname{Var}(W_l)\, E[h_{l-1}^2], \qquad E[h_l^2] = E_{z \sim \mathcal N(0, q_l)}\bigl[\tanh^2 z\bigr],$$
#
# and the same for the gradients with $E[\tanh'(z)^2]$. Here is the prediction for
# `xavier_uniform`, and a measurement of one network (`probe_model`) beside it:

# %%
predicted = theory.predict([500] * 11, "tanh", "xavier_uniform")
net = experiments.deep_mlp(10, 500, "tanh", init="xavier_uniform", rng=3)
X = np.random.default_rng(4).standard_normal((1000, 500)).astype(np.float32)
measured = probe_model(net, X, rng=5, columns=["layer", "act_std", "grad_act_std"])

Table(["layer", "std(h) measured", "std(h) theory", "std(dL/dh) measured", "std(dL/dh) theory"],
      [[l + 1, m, t, gm, gt] for l, (m, t, gm, gt) in enumerate(zip(
          measured.column("act_std"), predicted.act_std,
          measured.column("grad_act_std"), predicted.grad_act_std))],
      title="10 tanh layers x 500 units, xavier_uniform: one network vs the mean-field theory")

# %% [markdown]
# Unlike the small and the large init, nothing collapses or explodes. The activation std
# still falls, slowly, from 0.63 to 0.23, and the theory predicts it to two or three digits.
# The reason is tanh itself: it is linear only near 0 and squashes larger inputs, so
# $E[\tanh^2 z] < \operatorname{Var}(z)$:

# %%
for q in (0.01, 0.1, 1.0, 4.0):
    m = theory.activation_moments("tanh", q)
    print(f"Var(z) = {q:5}:  E[tanh(z)^2] = {m.second:.4f}   E[tanh'(z)^2] = {m.deriv_second:.4f}")

# %% [markdown]
# With unit-variance inputs the first layer gets $\operatorname{Var}(z) = 1$ and gives
# $E[h^2] = 0.394$ (std 0.628); each later layer shrinks its input a little less. Meanwhile
# $\partial L/\partial h$ shrinks going down, from 1 at the top to 0.39 at layer 1, a factor
# of only about 0.9 per layer, because $E[\tanh'^2] < 1$. Both are gentle enough for ten
# layers to train.
#
# The lab's sweep puts all of this in one figure: the bad schemes of tutorial 5, the
# two square-layer Xaviers (on top of each other), and Glorot's "standard" heuristic
# (section 5), measured (solid) and predicted (dashed, mostly hidden under the measurements):

# %%
sweep = experiments.run_sweep(("small", "large", "cs231n", "xavier_uniform", "glorot_standard"), ("tanh",), rng=0)
acts = experiments.activation_statistics(sweep=sweep, schemes=sweep.schemes, activations=("tanh",))
acts.get_figure("std")

# %%
grads = experiments.gradient_statistics(sweep=sweep, schemes=sweep.schemes, activations=("tanh",))
grads.figure

# %% [markdown]
# ## 5. Which Xavier?
#
# "Xavier initialization" names three different formulas in courses, papers and libraries,
# so `init.get("xavier")` refuses to guess:

# %%
try:
    init.get("xavier")
except ValueError as error:
    print(error)

# %% [markdown]
# 1. `xavier_uniform`: Glorot and Bengio's *normalized* initialization (their eq. 16),
#    $U\bigl(\pm\sqrt{6/(n_\text{in} + n_\text{out})}\bigr)$, variance $2/(n_\text{in} + n_\text{out})$.
# 2. `glorot_standard`: the *standard* heuristic the same paper starts from,
#    $U\bigl(\pm 1/\sqrt{n_\text{in}}\bigr)$, variance $1/(3 n_\text{in})$: three times too small
#    for the forward condition, so each near-linear tanh layer multiplies the std by about
#    $1/\sqrt 3 = 0.577$ (the curve in the figure above that falls steadily).
# 3. `cs231n`: the CS231n slides' "Xavier", `randn(fan_in, fan_out) / sqrt(fan_in)`:
#    variance $1/n_\text{in}$, the forward condition alone, the same as LeCun's `lecun_normal`.
#
# For square layers 1 and 3 have the same variance (their curves in the figure lie on top of
# each other); 2 does not. The whole table of schemes, written by the code itself:

# %%
Markdown(init.table("markdown"))

# %% [markdown]
# ## What to remember
#
# * $\operatorname{Var}(xW) = n_\text{in} \operatorname{Var}(W) \operatorname{Var}(x)$ forward,
#   $\operatorname{Var}(g W^\top) = n_\text{out} \operatorname{Var}(W) \operatorname{Var}(g)$ backward.
# * Xavier/Glorot: $\operatorname{Var}(W) = 2/(n_\text{in} + n_\text{out})$, uniform bound
#   $\sqrt{6/(n_\text{in} + n_\text{out})}$; for square layers $1/n$.
# * With tanh it keeps ten layers healthy: the std decays gently, and the mean-field theory
#   predicts every layer.
# * Say which "Xavier" you mean.
#
# Tutorial 7 shows why this is not enough for ReLU.
#
# ## Exercises
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises fans
# tinygrad-init exercises grade my_exercises xavier_uniform
# tinygrad-init exercises grade my_exercises sigmoid_gradients
# ```

# %%
from tinygrad_init.exercises import catalog

for name in ["fans", "xavier_uniform", "sigmoid_gradients"]:
    ex = catalog.get(name)
    print(f"{ex.label}  {ex.name:15s} {ex.title}")

# %% [markdown]
# Try also:
#
# 1. Use `init.calculate_gain("tanh")` (5/3) as Glorot's gain,
#    `init.get("xavier_uniform", gain=5/3)`, in section 4. Does the activation std still decay?
#    How many units saturate? (Use `theory.predict` first, then measure.)
# 2. Run the funnel of section 3 backwards, 64-125-250-500-1000. Which scheme keeps which
#    direction now?
# 3. In section 1, give the inputs a mean of 1 instead of 0. Which assumption of the
#    derivation breaks, and what does the simulation show?
