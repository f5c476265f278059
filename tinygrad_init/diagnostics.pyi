from .lab.diagnostics import *  # for type checkers: tinygrad_init.diagnostics is tinygrad_init.lab.diagnostics
