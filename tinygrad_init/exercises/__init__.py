"""Unit-tested exercises on backpropagation and weight initialization, with a grader.

Students::

    tinygrad-init exercises list              # what there is to do
    tinygrad-init exercises start work        # copy the starting files into ./work
    tinygrad-init exercises grade work        # check them (PASS / FAIL with hints)

(``python -m tinygrad_init.exercises ...`` does the same.) In Python::

    from tinygrad_init import exercises
    exercises.start("work")
    for result in exercises.grade("work"):
        print(result.name, result.status)

Layout of this package (see ``docs/exercises.md`` for how to add an exercise):

- :mod:`.catalog` -- the list of exercises and the hint for each known mistake;
- ``stubs/``, ``solutions/``, ``wrong/`` -- starting files, reference solutions, known-wrong ones;
- ``checks/`` -- one ``check(module)`` per exercise;
- :mod:`.runner` -- runs a check on a file, in this process or in a child with a time limit;
- :mod:`.grader` -- the command line (:func:`main`), :func:`start` and :func:`grade`.
"""

from .catalog import EXERCISES, TUTORIALS, Exercise
from .grader import grade, main, start
from .runner import Result, check_file

__all__ = ["EXERCISES", "TUTORIALS", "Exercise", "Result", "check_file", "grade", "main", "start"]
