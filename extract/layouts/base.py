"""What every layout reader offers: a cheap test of whether a file is in its layout, and the read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extract.table import TableRead


@dataclass(frozen=True)
class Layout:
    """A layout of the published table: `sniff` looks at a file's name and bytes, `read` turns the
    bytes into a `TableRead` or raises `ExtractError` when the file cannot be read at all."""

    name: str
    sniff: Callable[[str, bytes], bool]
    read: Callable[[str, bytes], TableRead]


PDF_MAGIC = b"%PDF"


def is_pdf(name: str, data: bytes) -> bool:
    """A PDF by its magic bytes, or by its name (a damaged PDF is still reported as a PDF)."""
    return data.startswith(PDF_MAGIC) or name.lower().endswith(".pdf")
