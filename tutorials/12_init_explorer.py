# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 12. The init explorer
#
# deeplearning.ai's interactive page "Initializing neural networks" lets a student pick an
# initialization and watch a network's layers change at once. The **init explorer** does that
# for this project's engine: one offline HTML page where you pick the activation, the scheme
# (and its gain), the depth and the width, and see every layer's activation and gradient
# histograms, the std per layer beside the theory, and a one-word **verdict**. Every number in
# it was measured by the engine when the page was built; the page only looks them up. This
# notebook
#
# 1. builds a small explorer and shows it inline;
# 2. measures one of its networks by hand with the engine, and checks the page's numbers;
# 3. asks you to predict the verdict of a few settings, then checks.
#
# Layers are numbered 1 to $L$.

# %%
# %matplotlib inline
import inspect
import itertools

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_init import Tensor, experiments, explorer, init, spectra, theory

# %% [markdown]
# ## 1. A small explorer, inline
#
# `explorer.explore(grid=...)` builds one network for every combination of the grid's values
# (here 3 activations x 4 schemes x 2 depths, width 100, gain 1: 24 networks), each with its
# own seed; `.write(path)` saves the page, and a notebook shows it inline. Click the controls:

# %%
grid = {"activation": ("tanh", "sigmoid", "relu"), "scheme": ("small", "xavier_normal", "he_normal", "large"),
        "gain": (1.0,), "depth": (4, 12), "width": (100,)}
page = explorer.explore(grid=grid, rng=0)
assert len(page.data) == len(list(itertools.product(*grid.values())))   # a network per setting: 24 here
page

# %% [markdown]
# The schemes: `small` is CS231n's `0.01 * randn`, `large` is `randn`, `xavier_normal` has
# $\operatorname{Var}(W) = 2 / (n_\text{in} + n_\text{out})$ and `he_normal` $2 / n_\text{in}$. Each
# network gets a batch of 128 inputs from $\mathcal N(0, 1)$ forward and a gradient from
# $\mathcal N(0, 1)$ at the top backward, with zero biases.

# %%
stds = {name: init.describe(name).std(100, 100) for name in grid["scheme"]}
print("weight std for 100 -> 100 units:", "   ".join(f"{name} {std:.4g}" for name, std in stds.items()))
assert np.allclose([init.describe(n).std(100, 100) for n in ("small", "xavier_normal", "he_normal", "large")],
                   [0.01, np.sqrt(2 / 200), np.sqrt(2 / 100), 1.0])  # whatever the grid holds now
assert inspect.signature(explorer.measure).parameters["batch"].default == 128

# %% [markdown]
# ## 2. One network, by hand
#
# Here is what the page does for one setting, written out: build the network with the engine,
# run the batch forward keeping every layer's output, send the gradient back, and measure per
# layer the std of the activations, the std of the gradient $\partial L/\partial h_l$, and the
# saturated fraction (tanh, sigmoid: within 0.03 of a limit) or dead fraction (ReLU: units
# that are 0 for the whole batch).

# %%
FLAT = {"tanh": lambda h: np.abs(h) > 0.97, "sigmoid": lambda h: (h < 0.03) | (h > 0.97)}


def measure(activation, scheme, depth, width=100, seed=0, batch=128):
    """Per-layer stds and fractions of one freshly initialized network, as the explorer measures them."""
    std = init.describe(scheme).std(width, width)  # the scheme's weight std for this layer size
    gen = np.random.default_rng(seed)
    model = spectra.network(depth, width, activation, width * std ** 2, rng=gen, dtype=np.float32)
    h = Tensor(gen.standard_normal((batch, width)).astype(np.float32))
    outs = []
    for linear, act in zip(model[::2], model[1::2]):
        h = act(linear(h))
        outs.append(h.retain_grad())
    h.backward(gen.standard_normal((batch, width)))
    act_std = [float(o.data.std()) for o in outs]
    grad_std = [float(o.grad.std()) for o in outs]
    if activation == "relu":
        fraction = [float(np.mean(~(o.data > 0).any(axis=0))) for o in outs]
    else:
        fraction = [float(np.mean(FLAT[activation](o.data))) for o in outs]
    return act_std, grad_std, fraction


mine = measure("relu", "he_normal", 6, seed=5)
theirs = explorer.measure("relu", "he_normal", 1.0, 6, 100, rng=5)
print("act std by layer: ", np.round(mine[0], 4), "\n  the explorer's: ", theirs["std"])
print("grad std by layer:", np.round(mine[1], 4), "\n  the explorer's: ", theirs["grad_std"])
assert np.allclose(mine[0], theirs["std"], rtol=1e-3) and np.allclose(mine[1], theirs["grad_std"], rtol=1e-3)
assert np.allclose(mine[2], theirs["fraction"], atol=1e-3)

# %% [markdown]
# The same numbers (the page keeps four significant digits). The verdict turns them into one
# word, the same rule of thumb as the verdict grid at the top of the report
# (`experiments.judge`, thresholds in `experiments.THRESHOLDS`), checked in this order:
#
# 1. layer 1's activations all one number, std exactly 0 (as with zero init): "symmetric";
# 2. over half of the **last** layer's entries (examples x units) saturated: "saturates" (tanh,
#    sigmoid), or over half of its units dead, 0 for every example: "dies" (ReLU);
# 3. the activations' std from layer 1 to layer $L$, or the gradient's std from layer $L$ down to
#    layer 1, shrinks more than tenfold: "vanishes";
# 4. either grows more than tenfold: "explodes";
# 5. otherwise "holds".
#
# `explorer.verdict(act_std, grad_std, fraction, activation)` applies it. (Exercise 22 asks you
# to write it.) It reads stds only, so rule 1 sees units that are alike only when the examples
# are alike too: a constant init (tutorial 4) makes the units alike but not the examples, and
# gets its word from the rules below (tanh with every weight 0.5: "saturates").

# %%
print("relu + he_normal, 6 layers:", explorer.verdict(*mine, "relu"))
assert explorer.verdict(*mine, "relu") == "holds"
assert explorer.verdict is experiments.judge  # one rule for the page, the report and exercise 22


# %% [markdown]
# ## 3. Predict, then check
#
# For each setting below, predict the verdict before you run the cell. The cell checks the
# page's verdict and measures three more networks of its own (seeds 1, 2, 3) with `measure`
# above, so the answer does not rest on one draw.

# %%
def check(activation, scheme, depth, expected):
    if expected not in experiments.WORDS:  # a word of your own, "vanish" say, could never match
        raise ValueError(f"check: {expected!r} is not a verdict; predict one of {', '.join(experiments.WORDS)}")
    key = explorer.key(activation, scheme, 1.0, depth, 100)
    if key not in page.data:  # a setting of your own: add its values to `grid` in section 1 and run that cell again
        raise KeyError(f"check: {key} is not on the page of section 1, whose grid is {page.grid}; add the values to "
                       "`grid` there and run that cell again")
    words = [explorer.verdict(*measure(activation, scheme, depth, seed=s), activation) for s in (1, 2, 3)]
    print(f"{key}: page says {page.data[key]['verdict']!r}, three more networks say {words}")
    assert page.data[key]["verdict"] == expected and words == [expected] * 3, (
        f"you predicted {expected!r}: the page says {page.data[key]['verdict']!r}, three more networks {words}")


# %% [markdown]
# **Predict (1).** tanh with `0.01 * randn`, 12 layers of 100 units. Each layer multiplies the
# std by about $0.01 \sqrt{100} = 0.1$ (tutorial 5).

# %%
check("tanh", "small", 12, "vanishes")
stds = page.data[explorer.key("tanh", "small", 1.0, 12, 100)]["std"]
factors = np.array(stds[1:]) / np.array(stds[:-1])
print("per-layer factor:", np.round(factors, 4))
assert np.allclose(factors, 0.1, rtol=0.05)

# %% [markdown]
# Vanishes, by a factor of 0.1 per layer to within 5% (within 3% to 6% for ten networks drawn
# from other seeds).
#
# **Predict (2).** ReLU with Xavier's init. Xavier keeps the variance of a linear unit; ReLU
# halves the second moment (tutorial 7), so the std shrinks by about $1/\sqrt 2$ per layer.
# What is the verdict at 4 layers, and at 12?

# %%
check("relu", "xavier_normal", 4, "holds")
check("relu", "xavier_normal", 12, "vanishes")
print(f"(1/sqrt 2)^3 = {2 ** -1.5:.3f},  (1/sqrt 2)^11 = {2 ** -5.5:.4f}")
assert 2 ** -1.5 > 0.1 > 2 ** -5.5
kept = {depth: page.data[explorer.key("relu", "xavier_normal", 1.0, depth, 100)]["std"] for depth in (4, 12)}
kept = {depth: s[-1] / s[0] for depth, s in kept.items()}  # std(h_L) / std(h_1), measured on the page's networks
print(f"measured: {kept[4]:.3f} at 4 layers, {kept[12]:.4f} at 12")
assert kept[4] > 0.1 > kept[12] and (round(kept[4], 3), round(kept[12], 3)) == (0.354, 0.013)

# %% [markdown]
# Holds at 4 layers, vanishes at 12: the same init gets different verdicts at different
# depths, because a constant factor per layer compounds. $(1/\sqrt 2)^3 = 0.35$ is within the
# tenfold threshold; $(1/\sqrt 2)^{11} = 0.022$ is not. The page's networks measure 0.354 and
# 0.013: one network of 100 ReLU units scatters around the theory, the more the deeper it is
# (0.57 times it here at 12 layers; over ten networks from other seeds 0.90 to 1.16 times it at
# 4 layers and 0.66 to 1.49 times at 12), but not across the threshold.
#
# **Predict (3).** Sigmoid with Xavier, 4 layers. The activations hold up well enough; look at
# the gradients: $\sigma'(z) = \sigma(z)(1 - \sigma(z)) \le 1/4$ (exercise 17).

# %%
check("sigmoid", "xavier_normal", 4, "vanishes")
entry = page.data[explorer.key("sigmoid", "xavier_normal", 1.0, 4, 100)]
act_ratio, grad_ratio = entry["std"][-1] / entry["std"][0], entry["grad_std"][0] / entry["grad_std"][-1]
print(f"activations: last / first = {act_ratio:.3f};  gradients: layer 1 / layer 4 = {grad_ratio:.4f}")
assert act_ratio > 0.5 and grad_ratio < 0.02
assert 3.5 < grad_ratio ** (-1 / 3) < 5  # about 4 per layer, over 3 layers

# %% [markdown]
# The activations keep more than half their std, but the gradient at layer 1 is less than 2%
# of the one at layer 4: the gradients vanish, about a factor 4 per layer (ten networks from
# other seeds: 1.2% to 1.4%, the activations keeping 52% to 66% of their std).
#
# **Predict (4).** tanh with `randn` (`large`), 4 layers. Tutorial 9 showed the gradient
# *growing* on its way down through such a network. Explodes, or something else?

# %%
check("tanh", "large", 4, "saturates")
entry = page.data[explorer.key("tanh", "large", 1.0, 4, 100)]
print(f"last layer saturated: {entry['fraction'][-1]:.1%};  gradient layer 1 / layer 4: "
      f"{entry['grad_std'][0] / entry['grad_std'][-1]:.1f}")
assert entry["fraction"][-1] > 0.8 and entry["grad_std"][0] / entry["grad_std"][-1] > 10

# %% [markdown]
# Saturates: more than 80% of the last layer's units sit at $\pm 1$, and that comes first in the
# rule, although the gradient does grow more than tenfold going down (over ten other seeds 82%
# to 83% saturated, the gradient growing 12 to 14 times).
#
# ## 4. Measured beside the theory
#
# The page draws each layer's std beside `theory.predict`. The same for three tanh settings
# here, from the page's data (dots: engine; lines: theory):

# %%
fig, ax = plt.subplots(figsize=(9.5, 4))
worst = {}
for scheme in ("xavier_normal", "he_normal", "large"):
    entry = page.data[explorer.key("tanh", scheme, 1.0, 12, 100)]
    line, = ax.plot(range(1, 13), entry["theory_std"], "-", label=f"tanh + {scheme}")
    ax.plot(range(1, 13), entry["std"], "o", color=line.get_color())
    predicted = theory.predict([100] * 13, "tanh", init.describe(scheme).std(100, 100)).act_std
    assert np.allclose(entry["theory_std"], predicted, rtol=1e-3)
    worst[scheme] = float(np.max(np.abs(np.array(entry["std"]) / np.array(entry["theory_std"]) - 1)))
print("worst layer, |measured / theory - 1|:", {k: f"{v:.1%}" for k, v in worst.items()})
assert np.allclose(list(worst.values()), [0.036, 0.029, 0.003], atol=0.001)
ax.set(xlabel="layer", ylabel="std of h_l", title="tanh, 12 layers of 100 units: engine (dots), theory (lines)")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))       # beside the plot, not over its points
plt.show()

# %% [markdown]
# Within a few percent at every layer, for one network of width 100 each: the worst layer is
# 3.6% off for Xavier, 2.9% for He, 0.3% for large. Over ten networks from other seeds the
# worst layer of tanh + Xavier is 2% to 8% off (He 1% to 4%, large 0.3%). For ReLU a single
# network of that width wanders further from the theory the deeper it goes, though not at every
# layer: in the page's ReLU + He network the gap is 0% at layer 2, 16% at layer 12 and 36% at
# layer 8 in between (over those ten other seeds, 0% to 14% at layer 2 and 7% to 48% at layer
# 12; their median gap rises from 1% at layer 1 to 21% at layer 12):

# %%
entry = page.data[explorer.key("relu", "he_normal", 1.0, 12, 100)]
gap = np.abs(np.array(entry["std"]) / np.array(entry["theory_std"]) - 1)
print("relu + he_normal, |measured / theory - 1| by layer:", np.round(gap, 3))
assert gap[1] < 0.005 and 0.15 < gap[-1] < 0.17 and np.argmax(gap) == 7 and round(gap.max(), 2) == 0.36

# %% [markdown]
# ## 5. The whole explorer
#
# The command writes the full page, one file that needs nothing from the network:
#
# ```bash
# tinygrad-init explore --out explorer      # explorer/explorer.html
# ```
#
# Its grid, `explorer.GRID`, has 3 activations, 4 schemes, 4 gains, 3 depths and 3 widths:
# 432 networks, all measured when the page is built.

# %%
for name, values in explorer.GRID.items():
    print(f"{name:10s}", ", ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in values))
assert [len(v) for v in explorer.GRID.values()] == [3, 4, 4, 3, 3]
assert len(list(itertools.product(*explorer.GRID.values()))) == 432

# %% [markdown]
# ## What to remember
#
# * The verdict is a rule of thumb on measured numbers: the last layer's saturated or dead
#   fraction first (after "symmetric"), then a more than tenfold change of the activations (upwards) or the
#   gradients (downwards).
# * A constant factor per layer compounds: ReLU with Xavier holds at 4 layers and
#   vanishes at 12.
# * Sigmoid's activations can look fine while its gradients vanish; tanh with `randn`
#   saturates although its gradients grow.
#
# ## Exercises
#
# Write the verdict yourself, from the per-layer stds and fractions:
#
# ```bash
# tinygrad-init exercises start my_exercises       # once; it never overwrites your files
# tinygrad-init exercises grade my_exercises verdict
# ```
#
# Try also:
#
# Work on a copy of a cell (copy it, paste it below) and delete its `assert` lines there: they
# check the numbers of the settings shown, so after a change they stop the cell with an
# `AssertionError`, sometimes before its table or figure. The copy sets the same names as the
# original: run the original again before you go on with the cells below it.
#
# 1. In the whole explorer of section 5 (the page above has gain 1 and 4 or 12 layers only),
#    find the gains that make tanh + `xavier_normal` hold at 20 layers, and those that make it
#    vanish or explode. Can a gain make it saturate? (Tutorial 10's $q^*$ tells.) The part of
#    its grid you need is built in seconds, and `explorer.key` looks a verdict up; take the
#    gains from `explorer.GRID` (a key made from the printed 1.667 is not the page's 5/3):
#
#    ```python
#    tanh20 = explorer.explore(grid=dict(explorer.GRID, activation=("tanh",), scheme=("xavier_normal",),
#                                        depth=(20,)), rng=0)
#    verdicts = {(gain, width): tanh20.data[explorer.key("tanh", "xavier_normal", gain, 20, width)]["verdict"]
#                for gain in explorer.GRID["gain"] for width in explorer.GRID["width"]}
#    ```
# 2. Which settings does the verdict call "explodes"? Check one against `theory.predict`.
