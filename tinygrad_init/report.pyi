from .lab.report import *  # for type checkers: tinygrad_init.report is tinygrad_init.lab.report
