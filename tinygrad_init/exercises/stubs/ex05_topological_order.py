"""Exercise 05 -- topological order, without recursion (tutorial 2: backpropagation as a graph walk).

Check your answer (from the folder holding this file):  tinygrad-init exercises grade . ex05
"""


def topological_order(root) -> list:
    """Return every node that `root` depends on (and root itself), each after all of its parents.

    The task:
        Nodes are tinygrad_init Values: `node._parents` is the tuple of nodes it was
        computed from (empty for a leaf; a parent may appear twice, as in a * a).
        Return a list of nodes in which
          - every node reachable from root appears exactly once,
          - every node comes after all of its parents, so
          - root is the last entry.
        It must work on a chain of 5000 operations, deeper than Python's recursion
        limit, so do not use recursion.

    The math:
        Backward visits this list in reverse: when a node is reached, every node
        that uses it has already passed its gradient on, so its gradient is complete.

    Example:
        c = a * b;  d = c + a       ->   [a, b, c, d]   (or [b, a, c, d])

    Hint:
        Depth-first post-order with an explicit stack: push root; when you pop a
        node for the first time, push it back and then push its parents; when you
        pop it the second time, all its parents are done, so append it to the
        result. Keep sets of the nodes already expanded and already appended.
        Don't import tinygrad_init.autograd -- write it yourself.
    """
    raise NotImplementedError("topological_order: replace this line with your code (see the docstring)")
