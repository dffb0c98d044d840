"""A document that cannot be read at all: raised inside readers, turned into an error finding."""

from __future__ import annotations


class ExtractError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
