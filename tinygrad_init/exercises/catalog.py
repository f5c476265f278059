"""The list of exercises: every folder `exNN_name/` of this package is one (see `kit.py`).

Adding an exercise is adding a folder; nothing here names one.
"""

from __future__ import annotations

import difflib
import importlib
import os
import re

from .kit import Exercise

__all__ = ["EXERCISES", "TUTORIALS", "Exercise", "get", "resolve"]

#: Tutorial number -> title (the notebooks in `tutorials/` the exercises belong to).
TUTORIALS: dict[int, str] = {
    1: "A scalar autograd engine from the ground up",
    2: "The backprop chain: upstream × local",
    3: "Tensors and layers",
    4: "Why not start from zeros? Symmetry",
    5: "Too small, too large: collapse and saturation",
    6: "Xavier initialization: keep the variance",
    7: "ReLU and He initialization",
    8: "Batch normalization frees the initialization",
    9: "Diagnosing a training run",
    10: "The edge of chaos",
    11: "Jacobian spectra and dynamical isometry",
    12: "The init explorer",
}


def _discover() -> tuple[Exercise, ...]:
    """Every exercise folder, in order; a RuntimeError naming the folder and what to change for one that is not
    `exNN_name/` with an `EXERCISE` and a `check(run)` of its own (a lecturer's slip must not drop it silently)."""
    here = os.path.dirname(os.path.abspath(__file__))
    found: list[Exercise] = []
    for name in sorted(os.listdir(here)):
        if not (re.match(r"ex\d", name) and os.path.isfile(os.path.join(here, name, "__init__.py"))):
            continue  # not an exercise, or one left behind by another branch (only its __pycache__ in it)
        if not re.fullmatch(r"ex\d\d_\w+", name):
            raise RuntimeError(f"the folder {name} is not named as an exercise, exNN_name (two digits, an underscore, "
                               "then letters, digits or underscores, e.g. ex23_exp_backward): rename it")
        module = importlib.import_module(f"{__package__}.{name}")
        ex, check = getattr(module, "EXERCISE", None), getattr(module, "check", None)
        if not isinstance(ex, Exercise) or not callable(check):
            raise RuntimeError(f"{name}/__init__.py defines no " + ("EXERCISE = Exercise(...)" if not isinstance(
                ex, Exercise) else "function check(run)") + ": see 'Adding an exercise' in docs/exercises.md")
        if ex.stem != name:
            raise RuntimeError(f"the folder {name} defines the exercise {ex.stem}: rename one of them")
        if ex.tutorial not in TUTORIALS:  # `list` groups by tutorial: it would leave the exercise out
            raise RuntimeError(f"{name} belongs to tutorial {ex.tutorial!r}, which TUTORIALS in catalog.py does not "
                               f"list: give one of {', '.join(map(str, TUTORIALS))}")
        for other in found:
            if ex.number == other.number or ex.name == other.name:
                what = f"number {ex.number}" if ex.number == other.number else f"name {ex.name!r}"
                raise RuntimeError(f"the folders {other.stem} and {name} both give the {what}: each exercise "
                                   "needs a number and a name of its own (the next free number for a new one)")
        found.append(ex)
    return tuple(found)


#: Every exercise, in order.
EXERCISES: tuple[Exercise, ...] = _discover()
_BY_NAME = {ex.name: ex for ex in EXERCISES}


def get(name: str) -> Exercise:
    """The exercise called `name` (exactly its name)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no exercise named {name!r}; known: {', '.join(_BY_NAME)}") from None


def resolve(token: str) -> Exercise:
    """The exercise a student means by `token`: `mul_backward`, `ex01`, `1`, `01`, `ex01_mul_backward`,
    `ex01_mul_backward.py` (also with a folder in front), or the function's name.

    Raises:
        ValueError: naming the known exercises when nothing matches.
    """
    text = str(token).strip().replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".py")
    digits = text.removeprefix("ex")
    for ex in EXERCISES:
        if text in (ex.name, ex.stem, ex.label, ex.function) or (digits.isdigit() and int(digits) == ex.number):
            return ex
    near = [f"{ex.label} ({ex.name})" for ex in EXERCISES if len(text) > 2 and (text in ex.stem or difflib.
            get_close_matches(text, [ex.name, ex.function, ex.stem], 1, 0.8))]
    known = ", ".join(f"{ex.label} ({ex.name})" for ex in EXERCISES)
    raise ValueError(f"unknown exercise {token!r}." + (f" Did you mean {' or '.join(near)}?" if near else "") +
                     f" Known exercises: {known}")
