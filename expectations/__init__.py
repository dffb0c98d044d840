"""Great Expectations quality gates between the warehouse stages (raw → staging → marts).

One suite per guarded table (`expectations.suites`), each expectation with a severity: ``error`` blocks
the downstream stage, ``warning`` only reports. Run a gate with ``python -m expectations validate``,
or one suite from a Dagster asset check with `expectations.checks.run_suite`.
"""
