from .lab.plots import *  # for type checkers: tinygrad_init.plots is tinygrad_init.lab.plots
