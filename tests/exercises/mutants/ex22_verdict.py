"""Mutants of ex22_verdict: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa


# mutant: first_layer_fraction
# the first layer's fraction.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[0] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# mutant: mean_fraction
# the average fraction over the layers.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if sum(fraction) / len(fraction) > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# mutant: at_least_half
# half counts as over half.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] >= 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# mutant: ratios_first
# the stds are judged before the fraction.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    return "holds"


# mutant: explodes_first
# explodes is tested before vanishes.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if max(a, g) > 10:
        return "explodes"
    if min(a, g) < 0.1:
        return "vanishes"
    return "holds"


# mutant: activation_direction
# the activation ratio taken from the top down.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[0] / max(act_std[-1], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# mutant: activations_only
# the gradients are not looked at.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if a < 0.1:
        return "vanishes"
    if a > 10:
        return "explodes"
    return "holds"


# mutant: gradients_only
# the activations are not looked at.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if g < 0.1:
        return "vanishes"
    if g > 10:
        return "explodes"
    return "holds"


# mutant: variance_threshold
# the thresholds of a ratio of variances.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.01:
        return "vanishes"
    if max(a, g) > 100:
        return "explodes"
    return "holds"


# mutant: no_symmetric
# no test for a layer whose units are all alike.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"
