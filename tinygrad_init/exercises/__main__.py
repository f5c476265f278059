"""`python -m tinygrad_init.exercises ...`: the same as `tinygrad-init exercises ...`."""

import os
import sys

from .grader import main

if sys.stdout is not None:  # a title's × into an ASCII output: \xd7, as tinygrad-init does
    sys.stdout.reconfigure(errors="backslashreplace")
try:
    code = main(sys.argv[1:], prog="python -m tinygrad_init.exercises")
    sys.stdout and sys.stdout.flush()
except BrokenPipeError:  # `... list | head -1`: the reader stopped; no traceback, as tinygrad-init
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python exits
    code = 1
except KeyboardInterrupt:  # Ctrl-C while grading: the shell's code for SIGINT, no traceback, as tinygrad-init
    code = print("python -m tinygrad_init.exercises: interrupted", file=sys.stderr) or 130
except OSError as e:  # a folder that cannot be made or written into, or the output (a full disk): one line, as
    if e.filename is None and sys.stdout:  # tinygrad-init says it; no second error of stdout when Python exits
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    what = f": {e.strerror} ({e.filename})" if e.filename else f" the output: {e.strerror}"
    code = print(f"python -m tinygrad_init.exercises: cannot write{what}", file=sys.stderr) or 1
sys.exit(code)
