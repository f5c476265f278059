from .nn.data import *  # for type checkers: tinygrad_init.data is tinygrad_init.nn.data
