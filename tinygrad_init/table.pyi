from .lab.table import *  # for type checkers: tinygrad_init.table is tinygrad_init.lab.table
