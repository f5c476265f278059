"""Mutants of ex22_verdict: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa


# mutant: first_layer_fraction
# the first layer's fraction.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[0] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishing"
    if max(a, g) > 10:
        return "exploding"
    return "healthy"


# mutant: mean_fraction
# the average fraction over the layers.


def verdict(act_std, grad_std, fraction, activation):
    if sum(fraction) / len(fraction) > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishing"
    if max(a, g) > 10:
        return "exploding"
    return "healthy"


# mutant: at_least_half
# half counts as over half.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] >= 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishing"
    if max(a, g) > 10:
        return "exploding"
    return "healthy"


# mutant: ratios_first
# the stds are judged before the fraction.


def verdict(act_std, grad_std, fraction, activation):
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishing"
    if max(a, g) > 10:
        return "exploding"
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    return "healthy"


# mutant: exploding_first
# exploding is tested before vanishing.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if max(a, g) > 10:
        return "exploding"
    if min(a, g) < 0.1:
        return "vanishing"
    return "healthy"


# mutant: activation_direction
# the activation ratio taken from the top down.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[0] / max(act_std[-1], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishing"
    if max(a, g) > 10:
        return "exploding"
    return "healthy"


# mutant: activations_only
# the gradients are not looked at.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if a < 0.1:
        return "vanishing"
    if a > 10:
        return "exploding"
    return "healthy"


# mutant: gradients_only
# the activations are not looked at.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if g < 0.1:
        return "vanishing"
    if g > 10:
        return "exploding"
    return "healthy"


# mutant: variance_threshold
# the thresholds of a ratio of variances.


def verdict(act_std, grad_std, fraction, activation):
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.01:
        return "vanishing"
    if max(a, g) > 100:
        return "exploding"
    return "healthy"
