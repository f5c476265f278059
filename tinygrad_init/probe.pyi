from .lab.probe import *  # for type checkers: tinygrad_init.probe is tinygrad_init.lab.probe
