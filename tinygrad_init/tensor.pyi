from .core.tensor import *  # for type checkers: tinygrad_init.tensor is tinygrad_init.core.tensor
