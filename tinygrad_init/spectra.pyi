from .lab.spectra import *  # for type checkers: tinygrad_init.spectra is tinygrad_init.lab.spectra
