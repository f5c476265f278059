from .lab.experiments import *  # for type checkers: tinygrad_init.experiments is tinygrad_init.lab.experiments
