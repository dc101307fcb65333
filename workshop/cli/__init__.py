"""The `workshop` command line: the click group and its commands."""
