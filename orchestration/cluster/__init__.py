"""The pipeline on several processes or machines: Dagster on PostgreSQL, its steps on a Dask cluster.

`make cluster` starts, on 127.0.0.1, a PostgreSQL server for the Dagster instance, a Dask scheduler, two
Dask workers, the Dagster daemon and the Dagster webserver, each its own process with its PID in a file
(`services`); `make cluster-run` sends the pipeline's runs to it (`run`); `make cluster-stop` stops them.
The steps of every run go to the Dask workers (`executor`); the single-machine default is untouched.
"""
