# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 11. Jacobian spectra and dynamical isometry
#
# Tutorial 10 followed the *mean* behaviour of a deep network: per layer a gradient's
# variance is multiplied by $\chi_1$, so at the edge of chaos, $\chi_1 = 1$, it neither vanishes
# nor explodes on average. Pennington, Schoenholz and Ganguli (2017, "Resurrecting the sigmoid
# in deep learning through dynamical isometry") showed that the average is not enough: what
# matters is the whole **spectrum** of the network's input-output Jacobian: its singular values,
# the factors by which it stretches a small change of the input, one per direction (section 2).
# If they all stay near 1 (**dynamical isometry**) every direction passes through the network
# undistorted, and very deep networks train fast. This notebook
#
# 1. builds the Jacobian of a tanh network by hand, and checks it against the engine;
# 2. relates the mean of its squared singular values to $\chi_1^L$;
# 3. measures that mean in ordered and chaotic networks of several depths;
# 4. looks at the whole spectrum at the edge of chaos: Gaussian against orthogonal weights
#    (an orthogonal matrix, $W^\top W = I$, turns a vector without changing its length);
# 5. and ReLU with He's init, where orthogonal weights do not help.
#
# Layers are numbered 1 to $L$: $y_l = h_{l-1} W_l + b_l$, $h_l = \tanh(y_l)$, $h_0 = x$.

# %%
# %matplotlib inline
import math

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, nn, spectra, theory

# %% [markdown]
# ## 1. The Jacobian, by hand
#
# One layer: $\partial h_l[j] / \partial h_{l-1}[i] = W_l[i, j]\, \tanh'(y_l[j])$. In the layout of
# the weights (inputs along the rows, outputs along the columns) that is the matrix
#
# $$J_l = W_l \operatorname{diag}\big(\tanh'(y_l)\big), \qquad \tanh'(y) = 1 - \tanh(y)^2 ,$$
#
# and by the chain rule the Jacobian of the whole network, $J[i, j] = \partial h_L[j] / \partial x[i]$,
# is the product from the input up, $J = J_1 J_2 \cdots J_L$. A network of 3 layers of 50 units,
# built with the engine (`spectra.network`: $\operatorname{Var}(W) = \sigma_w^2 / n$, biases of
# variance $\sigma_b^2$):

# %%
rng = np.random.default_rng(0)
net = spectra.network(3, 50, "tanh", 1.5, 0.05, rng=rng)
linears = [m for m in net if isinstance(m, nn.Linear)]
x0 = rng.standard_normal(50)

h, J = x0, np.eye(50)
for layer in linears:
    h = np.tanh(h @ layer.weight.data + layer.bias.data)
    J = J @ (layer.weight.data * (1 - h ** 2))  # W_l diag(tanh'(y_l)): column j times tanh'(y_l[j])
print("J:", J.shape)


# %% [markdown]
# Two checks. Central differences, one input coordinate at a time, give the rows of $J$. And
# the engine: backpropagating the gradient $e_k$ (the $k$-th unit vector) from the output gives
# the $k$-th column of $J$ as the input's gradient. With a batch of 50 copies of $x$ and the
# identity matrix as the upstream gradient, one backward pass gives them all: `x.grad` is
# $J^\top$.

# %%
def f(v):
    with_batch = Tensor(v[None, :])
    return net(with_batch).data[0]


numeric = np.array([(f(x0 + 1e-6 * e) - f(x0 - 1e-6 * e)) / 2e-6 for e in np.eye(50)])
x = Tensor(np.tile(x0, (50, 1)), requires_grad=True)
net(x).backward(np.eye(50))
print(f"largest difference: central differences {np.abs(numeric - J).max():.1e}, "
      f"engine {np.abs(x.grad - J.T).max():.1e}")
assert np.allclose(numeric, J, atol=1e-8) and np.allclose(x.grad, J.T, atol=1e-12)

# %% [markdown]
# ## 2. Singular values, and their mean square
#
# $J$ maps a small change of the input to a change of the output. Its singular values
# $s_1 \ge s_2 \ge \dots$ are the factors by which it stretches the directions of a basis: a
# small change along one of them comes out $s_k$ times as long. Their squares sum to the sum of
# the squared entries, so their mean square is $\sum_{ij} J_{ij}^2 / n$.
#
# Mean-field theory predicts that mean square. Each $J_l$ multiplies the expected squared
# length of a vector by $\sigma_w^2 E[\tanh'(y)^2] = \chi_1$ when the layer's $q_l$ is at its fixed
# point $q^*$ (tutorial 10), so
#
# $$\frac1n \sum_k s_k^2 \approx \chi_1^L .$$

# %%
s = np.linalg.svd(J, compute_uv=False)
print(f"mean s^2 = {np.mean(s ** 2):.4f} = sum of J^2 / n = {np.sum(J ** 2) / 50:.4f};  "
      f"largest s = {s[0]:.3f}, smallest s = {s[-1]:.2e}")
assert abs(np.mean(s ** 2) - np.sum(J ** 2) / 50) < 1e-12


# %% [markdown]
# ## 3. The mean square against $\chi_1^L$
#
# Now measure it through the engine for tanh networks of width 200 at $\sigma_b^2 = 0.05$, in
# the ordered phase ($\sigma_w^2 = 1.5$, $\chi_1 = 0.94$) and the chaotic phase
# ($\sigma_w^2 = 3$), at depths 2 to 12, averaged over four networks each, with the input
# scaled so that the first layer starts at $q^*$.
#
# **Predict.** In the chaotic network ($\chi_1 = 1.21$), does the mean square grow or shrink
# with depth? By roughly what factor from $L = 2$ to $L = 12$?

# %%
def mean_sq(depth, sw, sb, width, seed, orthogonal=False):
    """The mean squared singular value of the Jacobian of one network, at one input at q*."""
    gen = np.random.default_rng(seed)
    model = spectra.network(depth, width, "tanh", sw, sb, orthogonal=orthogonal, rng=gen)
    q = theory.fixed_point("tanh", sw, sb).q
    x = Tensor(np.tile(gen.standard_normal(width) * math.sqrt((q - sb) / sw), (width, 1)), requires_grad=True)
    model(x).backward(np.eye(width))
    return float(np.sum(x.grad ** 2) / width)


depths = [2, 4, 8, 12]
assert round(theory.fixed_point("tanh", 1.5, 0.05).chi, 2) == 0.94
fig, ax = plt.subplots(figsize=(8, 4))
measured = {}
for sw in (1.5, 3.0):
    chi = theory.fixed_point("tanh", sw, 0.05).chi
    measured[sw] = [np.mean([mean_sq(L, sw, 0.05, 200, [seed, L]) for seed in range(4)]) for L in depths]
    line, = ax.plot(depths, measured[sw], "o", label=f"engine, sigma_w^2 = {sw:g}")
    ax.plot(depths, [chi ** L for L in depths], "--", color=line.get_color(), label=f"chi_1^L = {chi:.3f}^L")
    print(f"sigma_w^2 = {sw}: measured / chi_1^L =", np.round(np.array(measured[sw]) / [chi ** L for L in depths], 2))
    assert all(0.75 < m / chi ** L < 1.33 for m, L in zip(measured[sw], depths))
ax.set(xlabel="depth L", ylabel="mean squared singular value", yscale="log", xticks=depths,
       title="mean square of J and chi_1^L: tanh, width 200, 4 networks")
ax.legend()
plt.show()
chi_chaotic = theory.fixed_point("tanh", 3.0, 0.05).chi
growth = measured[3.0][-1] / measured[3.0][0]
print(f"chaotic: chi_1 = {chi_chaotic:.3f}, chi_1^10 = {chi_chaotic ** 10:.1f}; from L = 2 to 12 the mean square "
      f"grows {growth:.1f}x")
assert round(chi_chaotic, 2) == 1.21 and round(chi_chaotic ** 10, 1) == 6.7 and round(growth, 1) == 8.2
assert measured[1.5][-1] < measured[1.5][0]

# %% [markdown]
# It grows, 8.2 times from $L = 2$ to $L = 12$, near $\chi_1^{10} = 6.7$;
# in the ordered phase it shrinks. Measurement and theory agree to within a third at every depth
# (single networks of width 200 scatter by tens of percent; the theory is about the mean). That
# is this draw: over ten sets of four networks (seeds 0 to 39, this set the first) the growth
# ranges from 4.8 to 10.4 and the worst depth is off by a factor of 1.16 to 1.48; the ordered
# phase shrinks in all ten.
#
# ## 4. At the edge of chaos: the whole spectrum
#
# At $\chi_1 = 1$ the theory's mean square is 1 at every depth. Does that make $J$ an isometry?
# `spectra.jacobian_spectra` measures the singular values of $J$ for tanh at the critical point
# with tiny biases ($\sigma_b^2 = 10^{-4}$, so $q^*$ is small and tanh works near its linear
# part) and for ReLU with He's init ($\sigma_w^2 = 2$, $\chi_1 = 1$), each with Gaussian and with
# orthogonal weights (`init.orthogonal` scaled by $\sigma_w$). The spread of the spectrum is
# $\operatorname{Var}(s^2) / \operatorname{mean}(s^2)^2$: 0 for an isometry.
#
# **Predict.** At depth 32, which tanh network keeps its singular values near 1: Gaussian
# weights, orthogonal weights, both or neither?

# %%
spec = spectra.jacobian_spectra(depths=(2, 8, 32), width=100, networks=2, rng=0)
for key, r in spec.items():
    print(f"{key:18s} sigma_w^2 = {r['sigma_w2']:.3f}  chi_1 = {r['chi_1']:.3f}  spread by depth "
          f"{np.round(r['spread'], 2)}  largest s at L = {r['depths'][-1]}: {max(r['singular_values'][-1]):.2f}")
gauss, ortho = spec["tanh, Gaussian"], spec["tanh, orthogonal"]
assert all(abs(r["chi_1"] - 1) < 1e-6 for r in spec.values())
assert max(ortho["spread"]) < 1 and max(ortho["singular_values"][-1]) < 2
assert gauss["spread"][-1] > 10 and list(gauss["spread"]) == sorted(gauss["spread"])

# %% [markdown]
# Only the orthogonal one. With Gaussian weights the spread grows with depth, past 10 at
# $L = 32$, with singular values both far above and far below 1, although in theory their mean
# square is 1. With orthogonal weights the spread stays below 1 and the largest singular value
# below 2: an orthogonal $W_l$ has all its singular values equal, and $\tanh'(y) \approx 1$ for
# small $q^*$ leaves them nearly so. None of this is the luck of one draw: it holds for each of
# `rng` 0 to 9 (the Gaussian spread at $L = 32$ about 30 to 60, the orthogonal one at most 0.41).
#
# ## 5. ReLU with He: orthogonal weights do not help
#
# ReLU with He's init also has $\chi_1 = 1$. But $\operatorname{relu}'(y)$ is 0 for about half
# the units and 1 for the rest: every $J_l = W_l \operatorname{diag}(\operatorname{relu}'(y_l))$
# throws away half of the directions, whatever $W_l$ is.
#
# **Predict.** At depth 32, will orthogonal weights keep the ReLU network's spread below 1?

# %%
he = spectra.network(8, 100, "relu", 2.0, rng=1)
h, off = Tensor(np.random.default_rng(2).standard_normal((64, 100))), []
for linear, act in zip(he[::2], he[1::2]):
    y = linear(h)
    off.append(float(np.mean(y.data < 0)))
    h = act(y)
print("fraction of units with relu'(y) = 0, layers 1-8:", np.round(off, 3))
assert all(abs(f - 0.5) < 0.1 for f in off)
relu_g, relu_o = spec["relu, Gaussian"], spec["relu, orthogonal"]
print(f"spread at L = {relu_g['depths'][-1]}: ReLU Gaussian {relu_g['spread'][-1]:.1f}, ReLU orthogonal "
      f"{relu_o['spread'][-1]:.1f}, tanh orthogonal {ortho['spread'][-1]:.2f}")
assert relu_o["spread"][-1] > 10 and relu_g["spread"][-1] > 10
assert relu_o["spread"][-1] > 20 * ortho["spread"][-1]

# %% [markdown]
# No: both ReLU networks spread past 10 at $L = 32$, more than 20 times the orthogonal tanh
# network (70 to 120 times over `rng` 0 to 9). The figure shows every spectrum by depth
# (histograms of $\log_{10} s$), the mean square beside the theory's $\chi_1^L = 1$, and the
# spread:

# %%
print(spectra.finding("jacobian_spectra", spec))
spectra.figure("jacobian_spectra", spec)

# %% [markdown]
# What to look for: at depth 32 the tanh-orthogonal histogram is a peak around
# $s = 1$ ($\log_{10} s = 0$), with 80% or more of its singular values between 0.5 and 2 (88%
# here, 88% to 97% over `rng` 0 to 9); the other three are wide, with under 10% there and most
# singular values below 0.01, many decades down (over those seeds at most 6.5% between 0.5 and 2,
# at least 71% below 0.01). Yet their mean squares, 1 in theory, all measure between 0.4 and 0.9 here
# (a few networks of width 100 scatter, and a wide spectrum's mean rests on its few large
# values: over `rng` 0 to 9 they range from 0.14 to 1.8, the orthogonal tanh one's from 0.88 to
# 1.25): the mean alone, $\chi_1$, does not tell them apart.

# %%
near_one = {k: float(np.mean([0.5 < v < 2 for v in r["singular_values"][-1]])) for k, r in spec.items()}
tiny = {k: float(np.mean([v < 0.01 for v in r["singular_values"][-1]])) for k, r in spec.items()}
print("between 0.5 and 2:", near_one)
print("below 0.01:", tiny)
assert near_one["tanh, orthogonal"] >= 0.8 and tiny["tanh, orthogonal"] == 0
assert all(near_one[k] < 0.1 and tiny[k] > 0.5 for k in spec if k != "tanh, orthogonal")
assert all(0.4 < r["mean_sq"][-1] < 0.9 for r in spec.values())

# %% [markdown]
# ## What to remember
#
# * The input-output Jacobian is $J = J_1 \cdots J_L$ with $J_l = W_l \operatorname{diag}(f'(y_l))$;
#   the engine gives it by backpropagating the identity.
# * The mean of its squared singular values is $\chi_1^L$: it vanishes or explodes with depth
#   unless $\chi_1 = 1$.
# * At $\chi_1 = 1$ the spread still grows with depth for Gaussian weights and for ReLU.
#   Orthogonal weights with tanh near $q^* = 0$ keep most singular values near 1 (here 80% or
#   more between 0.5 and 2 at depth 32): dynamical isometry.
#
# ## Exercises
#
# Write the Jacobian of a small tanh network from its weights, and its mean squared singular
# value:
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises jacobian
# ```
#
# Try also:
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. Raise `sigma_b2` in `spectra.jacobian_spectra` to 0.05 (the critical $\sigma_w^2$ becomes
#    1.76): does orthogonal tanh still stay near 1? (Hint: $\tanh'$ at a larger $q^*$ varies from
#    unit to unit.)
# 2. Repeat section 3 with `orthogonal=True`: does the mean square change?
