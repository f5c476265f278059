from .observe.draw import *  # for type checkers: tinygrad_init.draw is tinygrad_init.observe.draw
