"""Mutants of ex22_verdict: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is the reference solution with the lines
after `#- ` replaced by those after `#+ `; the tests grade it and expect the hint KEY.
"""


# mutant: first_layer_fraction
# the first layer's fraction.
#-     if fraction[-1] > 0.5:
#+     if fraction[0] > 0.5:


# mutant: mean_fraction
# the average fraction over the layers.
#-     if fraction[-1] > 0.5:
#+     if sum(fraction) / len(fraction) > 0.5:


# mutant: at_least_half
# half counts as over half.
#-     if fraction[-1] > 0.5:
#+     if fraction[-1] >= 0.5:


# mutant: ratios_first
# the stds are judged before the fraction.
#-     if fraction[-1] > 0.5:
#-         return "dies" if activation == "relu" else "saturates"
#-     a = act_std[-1] / max(act_std[0], 1e-300)
#-     g = grad_std[0] / max(grad_std[-1], 1e-300)
#-     if min(a, g) < 0.1:
#-         return "vanishes"
#-     if max(a, g) > 10:
#-         return "explodes"
#+     a = act_std[-1] / max(act_std[0], 1e-300)
#+     g = grad_std[0] / max(grad_std[-1], 1e-300)
#+     if min(a, g) < 0.1:
#+         return "vanishes"
#+     if max(a, g) > 10:
#+         return "explodes"
#+     if fraction[-1] > 0.5:
#+         return "dies" if activation == "relu" else "saturates"


# mutant: explodes_first
# explodes is tested before vanishes.
#-     if min(a, g) < 0.1:
#-         return "vanishes"
#-     if max(a, g) > 10:
#-         return "explodes"
#+     if max(a, g) > 10:
#+         return "explodes"
#+     if min(a, g) < 0.1:
#+         return "vanishes"


# mutant: activation_direction
# the activation ratio taken from the top down.
#-     a = act_std[-1] / max(act_std[0], 1e-300)
#+     a = act_std[0] / max(act_std[-1], 1e-300)


# mutant: activations_only
# the gradients are not looked at.
#-     if min(a, g) < 0.1:
#+     if a < 0.1:
#-     if max(a, g) > 10:
#+     if a > 10:


# mutant: gradients_only
# the activations are not looked at.
#-     if min(a, g) < 0.1:
#+     if g < 0.1:
#-     if max(a, g) > 10:
#+     if g > 10:


# mutant: variance_threshold
# the thresholds of a ratio of variances.
#-     if min(a, g) < 0.1:
#+     if min(a, g) < 0.01:
#-     if max(a, g) > 10:
#+     if max(a, g) > 100:


# mutant: no_symmetric
# no test for a layer whose units are all alike.
#-     if act_std[0] == 0:
#-         return "symmetric"


# mutant: layer_index
# layer 1 read as act_std[1], the lists' second entry.
#-     if act_std[0] == 0:
#+     if act_std[1] == 0:


# mutant: zero_gradient
# divides by grad_std[-1] as it is, 0 when no gradient reaches the top.
#-     g = grad_std[0] / max(grad_std[-1], 1e-300)
#+     g = grad_std[0] / grad_std[-1]


# mutant: every_layer
# tests every layer for a std of 0, not layer 1, and then divides by act_std[0] = 0.
#-     if act_std[0] == 0:
#-         return "symmetric"
#-     if fraction[-1] > 0.5:
#+     if not any(act_std):
#+         return "symmetric"
#+     if fraction[-1] > 0.5:
#-     a = act_std[-1] / max(act_std[0], 1e-300)
#+     a = act_std[-1] / act_std[0]


# mutant: every_layer
# tests every layer for a std of 0, not layer 1.
#-     if act_std[0] == 0:
#+     if max(act_std) == 0:


# mutant: max_fraction
# "saturates" when any layer is over half saturated, not the last one.
def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if max(fraction) > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / act_std[0]
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# mutant: one_ratio_at_a_time
# judges the activations' ratio fully (vanishes, then explodes) before looking at the gradients'.
#-     if min(a, g) < 0.1:
#-         return "vanishes"
#-     if max(a, g) > 10:
#-         return "explodes"
#+     if a < 0.1:
#+         return "vanishes"
#+     if a > 10:
#+         return "explodes"
#+     if g < 0.1:
#+         return "vanishes"
#+     if g > 10:
#+         return "explodes"


# mutant: one_ratio_at_a_time
# the same, the gradients' ratio first.
#-     if min(a, g) < 0.1:
#-         return "vanishes"
#-     if max(a, g) > 10:
#-         return "explodes"
#+     for r in (g, a):
#+         if r < 0.1:
#+             return "vanishes"
#+         if r > 10:
#+             return "explodes"
