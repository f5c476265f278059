from .nn.init import *  # for type checkers: tinygrad_init.init is tinygrad_init.nn.init
