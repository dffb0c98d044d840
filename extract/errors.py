"""A document that cannot be read at all: raised inside layout readers, turned into an error finding
by `extract.reader`. Its code must be an error code of `extract.findings.CATALOGUE`."""

from __future__ import annotations

from extract.findings import severity_of


class ExtractError(Exception):
    def __init__(self, code: str, message: str) -> None:
        if severity_of(code) != "error":
            raise ValueError(f"ExtractError needs an error code; {code!r} is not one")
        super().__init__(message)
        self.code = code
        self.message = message
