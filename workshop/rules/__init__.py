"""Pure rules with no I/O: outcome checks, plan entries, comparisons, diffs, file names."""
