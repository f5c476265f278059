"""One check per exercise: ``checks/<stem>.py`` defines ``check(module)``.

A check calls the student's function on fixed inputs (seeded, so every run is the same) and
raises :class:`~._common.CheckFailure` (an ``AssertionError``) when an answer is wrong, naming
the known mistake the answer matches when it matches one. The checks hold their own reference
answers; they never import the reference solutions, which a lecturer may withhold.
"""
