"""The grader's child process: ``python -m tinygrad_init.exercises._worker DIR NAME ...``.

Not meant to be run by hand; see :func:`tinygrad_init.exercises.runner.run_isolated`.
"""

import sys

from .runner import worker

if len(sys.argv) < 2:
    sys.stderr.write("this is the grader's worker process; run `tinygrad-init exercises --help` instead\n")
    sys.exit(2)
sys.exit(worker(sys.argv[1], sys.argv[2:]))
