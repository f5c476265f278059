"""`python -m tinygrad_init.exercises ...`: the same as `tinygrad-init exercises ...`."""

import sys

from .grader import main

sys.exit(main(sys.argv[1:], prog="python -m tinygrad_init.exercises"))
