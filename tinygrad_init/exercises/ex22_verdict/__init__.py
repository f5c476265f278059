"""ex22: one word for a network from its per-layer statistics, as the report's grid and the init explorer give it."""

from __future__ import annotations

import numpy as np

from ..kit import Exercise, Raised, Session, fail, fmt

EXERCISE = Exercise(
    22, "verdict", "verdict", "A verdict from per-layer stds: symmetric, dies, saturates, vanishes, explodes or holds",
    12, "reading per-layer statistics",
    {
        "no_symmetric": "a std of exactly 0 at layer 1 means every unit computes the same value, whatever the "
                        "input: \"symmetric\", tested before anything else (no ratio means anything then).",
        "layer_index": "layer l is entry l - 1 of the lists: the test for \"symmetric\" is on layer 1, act_std[0]. "
                       "Stds of 0 from layer 2 up, under a layer 1 whose units differ, are not symmetry.",
        "every_layer": "the rule tests layer 1 alone, act_std[0] == 0: a layer 1 whose units are all alike makes the "
                       "network symmetric even when the layers above it, of random weights, have stds above 0.",
        "first_layer_fraction": "saturation and dead units are judged at the LAST layer, fraction[-1], where "
                                "they have built up; you looked at the first layer.",
        "mean_fraction": "the rule looks at the last layer's fraction, fraction[-1], not at the average over "
                         "the layers.",
        "max_fraction": "the rule looks at the last layer's fraction, fraction[-1], not at the largest over the "
                        "layers: a layer below the top that saturates passes the verdict on to the ratios.",
        "at_least_half": "over half means more than 0.5: a last layer with exactly half its units "
                         "saturated (or dead) does not count.",
        "ignores_activation": "a ReLU unit cannot saturate, it dies: the word for ReLU is \"dies\", for tanh "
                              "and sigmoid \"saturates\".",
        "sigmoid_dies": "a sigmoid saturates, as tanh does: near 0 and near 1 its slope s(1 - s) nearly vanishes, "
                        "but it never stays 0. Only a ReLU unit dies.",
        "ratios_first": "look at the fraction first: a network whose last layer is mostly saturated (or dead) "
                        "gets that word even if its stds also change tenfold.",
        "explodes_first": "when one std shrinks tenfold and another grows tenfold, the rule says "
                          "\"vanishes\": test for vanishes before explodes.",
        "one_ratio_at_a_time": "the rule judges both ratios together: first the smaller of a and g below 0.1 gives "
                               "\"vanishes\", only then the larger above 10 \"explodes\". Judging one ratio fully "
                               "before the other calls activations that grow tenfold over gradients that shrink "
                               "tenfold (or the other way round) \"explodes\"; the rule says \"vanishes\".",
        "gradient_direction": "gradients flow from the top down: compare the gradient at layer 1 with the one "
                              "at layer L, grad_std[0] / grad_std[-1]. Vanishing gradients are small at layer 1.",
        "activation_direction": "activations flow from the bottom up: compare the last layer with the first, "
                                "act_std[-1] / act_std[0].",
        "activations_only": "the gradients count too: a network whose gradients vanish (or explode) on the way "
                            "down does not train, however healthy its activations look.",
        "gradients_only": "the activations count too: activations that shrink or grow tenfold from layer 1 to "
                          "layer L are a verdict of their own.",
        "zero_gradient": "a gradient of std 0 at the top leaves nothing to divide by: the rule counts grad_std[-1] = 0 "
                         "as 1e-300, max(grad_std[-1], 1e-300).",
        "variance_threshold": "the thresholds are on the ratios of STDS, below 0.1 or above 10; you used 0.01 "
                              "and 100 (as if they were ratios of variances).",
    },
)

WORDS = ("symmetric", "dies", "saturates", "vanishes", "explodes", "holds")
MISTAKES = [*EXERCISE.hints, "one_ratio_at_a_time:gradients"]  # mode:variant, told the hint of mode


def verdict(act_std: list, grad_std: list, fraction: list, activation: str, mode: str = "right") -> str:
    """The lab's verdict (`lab.experiments.judge`), right (`mode="right"`) or as a known mistake gives it."""
    if (not any(act_std) if mode == "every_layer" else act_std[mode == "layer_index"] == 0) and mode != "no_symmetric":
        return "symmetric"
    frac = {"first_layer_fraction": fraction[0], "mean_fraction": sum(fraction) / len(fraction),
            "max_fraction": max(fraction)}.get(mode, fraction[-1])
    over = frac >= 0.5 if mode == "at_least_half" else frac > 0.5
    saturates = mode == "ignores_activation" or activation == "tanh" or (
        activation != "relu" and mode != "sigmoid_dies")
    word = ("saturates" if saturates else "dies") if over else None
    a = act_std[0] / max(act_std[-1], 1e-300) if mode == "activation_direction" else \
        act_std[-1] / max(act_std[0], 1e-300)
    g = grad_std[-1] / max(grad_std[0], 1e-300) if mode == "gradient_direction" else \
        grad_std[0] / max(grad_std[-1], 1e-300)
    ratios = {"activations_only": (a,), "gradients_only": (g,)}.get(mode, (a, g))
    low, high = (0.01, 100.0) if mode == "variance_threshold" else (0.1, 10.0)
    order = (("explodes", max(ratios) > high), ("vanishes", min(ratios) < low))
    if mode.startswith("one_ratio_at_a_time"):  # the activations' vanishes and explodes, then the gradients' (or not)
        first, second = (g, a) if mode.endswith("gradients") else (a, g)
        order = (("explodes", second > high), ("vanishes", second < low), ("explodes", first > high),
                 ("vanishes", first < low))
    for name, hit in order if mode == "explodes_first" else order[::-1]:
        if hit and (word is None or mode == "ratios_first"):
            return name
    return word or "holds"


# (act_std, grad_std, fraction, activation), layers 1..L; what each case tells apart is said beside it.
CASES = [
    ([0.213, 0.0476, 0.0106, 0.00238], [3e-4, 1.3e-3, 6e-3, 0.027], [0.0, 0.0, 0.0, 0.0], "tanh"),  # 0.01 randn
    ([0.98, 0.98, 0.98, 0.98], [60.0, 8.0, 1.1, 0.15], [0.9, 0.9, 0.9, 0.9], "tanh"),  # 1.0 randn: saturates
    ([1.4, 1.38, 1.43, 1.41], [1.0, 1.02, 0.97, 1.0], [0.01, 0.03, 0.02, 0.04], "relu"),  # He: holds
    ([1.2, 0.9, 1.1], [1.0, 0.8, 1.0], [0.2, 0.4, 0.6], "relu"),  # dies at the top
    ([0.6, 0.55, 0.5], [1.0, 1.1, 0.9], [0.2, 0.3, 0.5], "sigmoid"),  # exactly half: not over half
    ([1.0, 0.3, 0.04], [50.0, 8.0, 2.0], [0.0, 0.0, 0.0], "tanh"),  # both: the activations vanish first
    ([0.7, 0.6, 0.65, 0.62], [20.0, 6.0, 2.5, 0.5], [0.01, 0.0, 0.0, 0.02], "tanh"),  # gradients grow downwards
    ([0.3, 0.25, 0.3], [1.0, 1.0, 1.0], [0.7, 0.1, 0.2], "sigmoid"),  # saturated only at layer 1
    ([0.5, 0.52, 0.5], [1.0, 0.95, 1.0], [0.9, 0.8, 0.3], "tanh"),  # mostly saturated, but not the last layer
    ([1.0, 1.1, 1.05], [0.02, 0.2, 1.0], [0.0, 0.0, 0.0], "relu"),  # the gradients vanish, not the activations
    ([0.1, 0.8, 3.0], [1.0, 1.0, 1.1], [0.0, 0.01, 0.0], "relu"),  # the activations explode
    ([0.5, 0.04], [1.0, 1.2], [0.0, 0.0], "tanh"),  # a ratio of 0.08: vanishes
    ([0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0], "tanh"),  # zeros: symmetric
    ([0.0, 0.0], [0.0, 1.0], [1.0, 1.0], "relu"),  # zeros with ReLU: symmetric before dies
    ([0.0, 0.3, 0.5], [0.0, 0.2, 1.0], [0.0, 0.0, 0.0], "tanh"),  # a zero layer 1 under random layers: symmetric
    ([1.0, 0.5, 0.0], [1.0, 1.0, 1.0], [0.1, 0.6, 1.0], "relu"),  # the last layer all dead (std 0): dies
    ([1.0, 0.5, 0.1], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], "tanh"),  # a ratio of exactly 0.1: not below it, holds
    ([1.0, 1.0], [10.0, 1.0], [0.0, 0.0], "relu"),  # a ratio of exactly 10: not above it, holds
    ([1.0, 0.5, 0.2], [1.0, 0.5, 0.0], [0.0, 0.0, 0.0], "tanh"),  # no gradient at the top, 0 as 1e-300: explodes
    ([0.45, 0.47, 0.48], [1.0, 0.7, 0.5], [0.3, 0.6, 0.8], "sigmoid"),  # a sigmoid saturates (it does not die)
    ([0.8, 0.0, 0.0], [0.0, 0.0, 1.0], [0.1, 1.0, 1.0], "relu"),  # all dead from layer 2 up (layer 1 is act_std[0])
    ([0.4, 1.0, 4.2], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], "relu"),  # a ratio of 10.5: just above 10, explodes
    ([0.4, 2.0, 6.0], [0.05, 0.3, 1.0], [0.0, 0.0, 0.0], "relu"),  # activations explode, gradients vanish: vanishes
]


def _fresh(g: np.random.Generator, word: str | None = None) -> tuple:
    """A case of random numbers (whose verdict is `word` when given), none of them near a threshold (a ratio within a
    factor 1.25 of 10 or 100, a fraction within 0.05 of a half), so that no rounding decides it, for the rule or a known
    mistake; a published case rescaled would keep its fractions and the ratios of its stds, which name it in a table of
    the published ones."""
    while True:
        n = int(g.integers(2, 6))
        act, grad = (10.0 ** g.uniform(-1.5, 1.5, size=(2, n))).tolist()
        frac = g.uniform(0.0, 0.8, size=n).tolist()
        logs = np.abs(np.log10([act[-1] / act[0], grad[0] / grad[-1]]))
        case = act, grad, frac, str(g.choice(["tanh", "sigmoid", "relu"]))
        if np.all(np.abs(logs[:, None] - [1.0, 2.0]) > 0.1) and min(abs(f - 0.5) for f in frac) > 0.05 and \
                word in (None, verdict(*case)):
            return case


def _call(case: tuple) -> str:
    act, grad, frac, activation = case
    return f"verdict(act_std={fmt(act)}, grad_std={fmt(grad)}, fraction={fmt(frac)}, activation={activation!r})"


def check(run: Session) -> None:
    # The published cases, then a fresh case of each verdict in a fresh order ("symmetric": act_std[0] zeroed, the rest
    # not, so that a test of every layer, not any(act_std), fails): a table of the published cases that guesses one
    # word, or leaves a rule out, for any other fails (with one fresh case, "saturates" passed one grading in four).
    g = np.random.default_rng()
    fresh = [_fresh(g, word) for word in WORDS[1:]]
    fresh.append(([0.0, *fresh[0][0][1:]], *fresh[0][1:]))
    cases, answers = [*CASES, *(fresh[i] for i in g.permutation(len(fresh)).tolist())], []
    for case in cases:
        try:
            got = run(_call(case), *[list(v) if isinstance(v, list) else v for v in case])
        except Raised as exc:  # a ratio divided by a std of 0: no test (or a wrong one) for symmetry, or no 1e-300
            if "ZeroDivisionError" in exc.kinds and 0 in (case[0][0], case[1][-1]):
                fail(f"{_call(case)} raised ZeroDivisionError ({exc.message}), {exc.where}.", "zero_gradient"
                     if case[0][0] else "every_layer" if any(case[0]) else "no_symmetric")
            raise
        if not isinstance(got, str) or got not in WORDS:
            fail(f"{_call(case)} returned {fmt(got)}; return exactly one of the words {', '.join(WORDS)}" +
                 (" (did you forget `return`?)." if got is None else "."))
        answers.append(got)
    expected = [verdict(*case) for case in cases]
    if answers == expected:
        return
    i = next(k for k in range(len(cases)) if answers[k] != expected[k])
    detail = f"{_call(cases[i])} returned {answers[i]!r}; expected {expected[i]!r}."
    for mode in MISTAKES:  # the mistake that gives every one of the answers
        if answers == [verdict(*case, mode=mode) for case in cases]:
            fail(detail, mode.split(":")[0])
    fail(detail + " The rule: act_std[0] == 0 gives \"symmetric\"; else the last layer's fraction over 0.5 gives "
                  "\"dies\" (ReLU) or \"saturates\"; else act_std[-1] / act_std[0] or grad_std[0] / grad_std[-1] "
                  "below 0.1 gives \"vanishes\", above 10 \"explodes\"; else \"holds\".")
