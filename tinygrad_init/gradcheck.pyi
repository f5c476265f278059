from .core.gradcheck import *  # for type checkers: tinygrad_init.gradcheck is tinygrad_init.core.gradcheck
