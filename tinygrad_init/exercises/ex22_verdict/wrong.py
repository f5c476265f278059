"""Known-wrong answers to ex22_verdict: one section per mistake, each a whole student file that starts
with `# wrong: KEY` (KEY a key of the exercise's hints); the tests grade it and expect exactly that hint."""
# ruff: noqa

# wrong: gradient_direction
# the gradient ratio taken from layer 1 up, as for the activations.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[-1] / max(grad_std[0], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# wrong: ignores_activation
# every mostly-flat last layer called saturated, ReLU too.


def verdict(act_std, grad_std, fraction, activation):
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"


# wrong: sigmoid_dies
# only tanh saturates: a sigmoid's last layer over half saturated is called "dies".
def verdict(act_std: list, grad_std: list, fraction: list, activation: str) -> str:
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "saturates" if activation == "tanh" else "dies"
    a = act_std[-1] / act_std[0]
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"
