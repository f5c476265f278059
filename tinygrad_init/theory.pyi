from .lab.theory import *  # for type checkers: tinygrad_init.theory is tinygrad_init.lab.theory
