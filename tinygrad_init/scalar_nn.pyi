from .nn.scalar import *  # for type checkers: tinygrad_init.scalar_nn is tinygrad_init.nn.scalar
