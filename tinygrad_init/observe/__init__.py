"""Watching the chain rule: the ledger records it, draw pictures it, the player steps through it."""
