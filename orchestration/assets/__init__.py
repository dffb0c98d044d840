"""Assets by layer: document files and their extraction into `raw`, then the dbt models."""
