from .core.autograd import *  # for type checkers: tinygrad_init.autograd is tinygrad_init.core.autograd
