"""The engines and the one graph walk they share.

- :mod:`.autograd`  topological order and the chain rule, written once;
- :mod:`.value`     the scalar engine, ``Value``;
- :mod:`.tensor`    the numpy engine, ``Tensor``;
- :mod:`.gradcheck` backward passes checked against central differences.
"""
