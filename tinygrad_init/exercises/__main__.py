"""`python -m tinygrad_init.exercises ...`: the same as `tinygrad-init exercises ...`."""

import sys

from .grader import main

sys.stdout.reconfigure(errors="backslashreplace")  # a title's × into an ASCII output: \xd7, as tinygrad-init does
sys.exit(main(sys.argv[1:], prog="python -m tinygrad_init.exercises"))
