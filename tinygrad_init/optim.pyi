from .nn.optim import *  # for type checkers: tinygrad_init.optim is tinygrad_init.nn.optim
