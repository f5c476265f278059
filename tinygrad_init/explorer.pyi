from .lab.explorer import *  # for type checkers: tinygrad_init.explorer is tinygrad_init.lab.explorer
