"""Graded exercises on backpropagation and weight initialization, and their grader.

Students:

    tinygrad-init exercises list              # what there is to do
    tinygrad-init exercises start work        # copy the starting files into ./work
    tinygrad-init exercises grade work        # check them (PASS / FAIL with hints)

(`python -m tinygrad_init.exercises ...` does the same.) In Python:

```python
from tinygrad_init import exercises
exercises.start("work")
for result in exercises.grade("work"):
    print(result.name, result.status)
```

Layout of this package (see `docs/exercises.md` for how to add an exercise):

- `exNN_name/`: one folder per exercise: `__init__.py` (what it asks, the hint for each known
  mistake, and the check), `stub.py` (the student's starting file), `wrong.py` (known-wrong answers);
- `kit.py`: what an exercise is made of, and the helpers its check uses;
- `catalog.py`: the list of exercises (every `exNN_name/` folder) and the tutorials;
- `worker.py`: the process that runs the student's code, and the wire format;
- `runner.py`: grading one file: parse, run in a worker, judge here;
- `grader.py`: the command line (`main`), `start` and `grade`.
"""

from .catalog import EXERCISES, TUTORIALS, get
from .grader import grade, main, start
from .kit import Exercise
from .runner import Result, check_file

__all__ = ["EXERCISES", "TUTORIALS", "Exercise", "Result", "check_file", "get", "grade", "main", "start"]
