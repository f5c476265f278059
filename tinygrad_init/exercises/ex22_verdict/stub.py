"""Exercise 22 -- a verdict from per-layer stds: symmetric, dies, saturates, vanishes, explodes or holds (tutorial 12: The init explorer).

Use plain Python and numpy: the grader refuses imports of tinygrad_init (or torch) here,
because this exercise is about reading per-layer statistics.

Do not change the arguments in place (write x = x - m, not x -= m): the caller still needs them.

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex22
"""


def verdict(act_std: list, grad_std: list, fraction: list, activation: str) -> str:
    """Return one word for a freshly initialized network, from its per-layer statistics.

    The task:
        A network of L layers, numbered 1..L, was run forward on a batch and a gradient was
        sent back from the top. For each layer l (index l - 1 in the lists):
        - act_std[l-1]: the std of its activations h_l;
        - grad_std[l-1]: the std of dL/dh_l, the gradient arriving at its output;
        - fraction[l-1]: for tanh and sigmoid, the fraction of its entries (examples x units)
          saturated, near a limit of the activation (the explorer: within 0.03, |tanh| > 0.97;
          the report's grid: |tanh| > 0.99); for ReLU, the fraction of its units dead, 0 for
          every example of the batch;
        - activation: "tanh", "sigmoid" or "relu".
        Return exactly one of "symmetric", "dies", "saturates", "vanishes", "explodes",
        "holds", by the rule of the report's verdict grid and the init explorer (tutorial 12),
        in this order:
        1. act_std[0] == 0 (every unit of layer 1 computes the same value): "symmetric";
        2. fraction[-1] > 0.5 (over half of the LAST layer's entries or units): "dies" for
           ReLU, else "saturates";
        3. with a = act_std[-1] / act_std[0] (the activations, from layer 1 up to layer L) and
           g = grad_std[0] / grad_std[-1] (the gradients, from layer L down to layer 1):
           the smaller of a, g below 0.1 (shrinks more than tenfold): "vanishes";
        4. else the larger of a, g above 10 (grows more than tenfold): "explodes";
        5. else "holds".
        (A grad_std[-1] of 0 counts as 1e-300, so that nothing divides by zero.)

    The math:
        These thresholds are the lab's (experiments.THRESHOLDS); they are a rule of thumb,
        not a law. A tenfold change over the depth of the network is where a plot of the stds
        per layer stops looking flat; a layer whose units are mostly saturated or dead passes little gradient
        (tanh'(z) < 0.06 where |tanh(z)| > 0.97; relu'(z) = 0 for z < 0).

    Example:
        CS231n's 0.01 * randn tanh network: the stds shrink by about 0.22 per layer.
        verdict([0.213, 0.0476, 0.0106, 0.00238], [3e-4, 1.3e-3, 6e-3, 0.027],
                [0.0, 0.0, 0.0, 0.0], "tanh")  ->  "vanishes"

    Hint:
        Follow the order of the rule: symmetric, the fraction, then vanishes, then explodes.
        Gradients travel from the top down, so their "first" layer is layer L.
    """
    raise NotImplementedError("verdict: replace this line with your code (see the docstring)")
