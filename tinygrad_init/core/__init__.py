"""The engines and the one graph walk they share: `autograd` (topological order and the chain
rule, written once), `value` (the scalar engine), `tensor` (the numpy engine, with `ops`, its
table of forward and vector-Jacobian rules, and `inputs`, what it accepts), `copying`
(pickle and deepcopy of a graph without recursion), `gradcheck`."""
