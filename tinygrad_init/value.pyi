from .core.value import *  # for type checkers: tinygrad_init.value is tinygrad_init.core.value
