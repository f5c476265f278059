"""Reference solution of ex22_verdict (kept out of the package: the tests grade it)."""


def verdict(act_std, grad_std, fraction, activation):
    """The last layer's fraction first; then the activations' and the gradients' change over the depth."""
    if fraction[-1] > 0.5:
        return "dead" if activation == "relu" else "saturated"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishing"
    if max(a, g) > 10:
        return "exploding"
    return "healthy"
