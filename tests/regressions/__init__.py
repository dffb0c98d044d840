"""One test per bug fixed so far, each named after its bug (the commit that fixed it is in the docstring)."""
