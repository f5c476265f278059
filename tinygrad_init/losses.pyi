from .nn.losses import *  # for type checkers: tinygrad_init.losses is tinygrad_init.nn.losses
