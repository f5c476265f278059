from .observe.player import *  # for type checkers: tinygrad_init.player is tinygrad_init.observe.player
