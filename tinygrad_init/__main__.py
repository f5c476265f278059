"""`python -m tinygrad_init` runs the command line (see `tinygrad_init.cli`)."""

import sys

from .cli import main

sys.exit(main())
