from .observe.ledger import *  # for type checkers: tinygrad_init.ledger is tinygrad_init.observe.ledger
