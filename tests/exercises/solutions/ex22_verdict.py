"""Reference solution of ex22_verdict (kept out of the package: the tests grade it)."""


def verdict(act_std, grad_std, fraction, activation):
    """Alike units first, then the last layer's fraction; then the activations' and the gradients' change over
    the depth."""
    if act_std[0] == 0:
        return "symmetric"
    if fraction[-1] > 0.5:
        return "dies" if activation == "relu" else "saturates"
    a = act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[0] / max(grad_std[-1], 1e-300)
    if min(a, g) < 0.1:
        return "vanishes"
    if max(a, g) > 10:
        return "explodes"
    return "holds"
