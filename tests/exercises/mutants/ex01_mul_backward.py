"""Mutants of ex01_mul_backward: plausible wrong answers written beyond the shipped ones.

Each section (`# mutant: KEY` and a line saying what is wrong) is a whole student file; the
tests grade it and expect the hint KEY.
"""
# ruff: noqa

# mutant: same_twice
# copied the first line: both gradients are upstream * b.
def mul_backward(a, b, upstream):
    return upstream * b, upstream * b


# mutant: product_as_local
# multiplies the upstream gradient by the output c = a * b.
def mul_backward(a, b, upstream):
    c = a * b
    return upstream * c, upstream * c


# mutant: added_upstream
# adds the upstream gradient instead of multiplying.
def mul_backward(a, b, upstream):
    return upstream + b, upstream + a


# mutant: divided
# divides by the local derivative.
def mul_backward(a, b, upstream):
    return upstream / b, upstream / a


# mutant: one_value
# returns only dL/da.
def mul_backward(a, b, upstream):
    return upstream * b


# mutant: undefined_at_zero
# dc/db written as c / b, which is a only when b != 0.
def mul_backward(a, b, upstream):
    c = a * b
    return upstream * b, upstream * c / b


# mutant: sign
# a minus sign crept in.
def mul_backward(a, b, upstream):
    return -upstream * b, -upstream * a


# mutant: add_rule
# the backward of addition.
def mul_backward(a, b, upstream):
    return upstream, upstream


# mutant: sign_some_inputs
# abs(upstream): right while upstream is positive, the wrong sign once it is negative.
def mul_backward(a, b, upstream):
    return abs(upstream) * b, abs(upstream) * a
