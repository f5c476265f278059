"""The initialization lab: measure (probe), predict (theory), experiment, plot and report."""
