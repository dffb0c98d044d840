"""pdfminer's recovery of a damaged Flate stream, in linear time instead of quadratic.

When a Flate stream fails to inflate (a bad checksum, a damaged or padded tail), pdfminer.six
retries with ``pdfminer.pdftypes.decompress_corrupted``, which feeds zlib one byte at a time and
grows its result by bytes concatenation: quadratic in the stream's size. A damaged stream of a
couple of megabytes (an embedded CJK font, a long content stream) then takes minutes, a hang in
all but name: https://github.com/pdfminer/pdfminer.six/issues/1163 (open). `install` swaps in
`decompress_corrupted` below, which gives the same result: blocks go to zlib whole, and only a
block that fails is fed again byte by byte from a copy of the decompressor taken before it.
"""

from __future__ import annotations

import logging
import zlib

import pdfminer.pdftypes

BLOCK = 1 << 16
CHECKSUM_BYTES = 3  # as pdfminer: an error this close to the end is in the checksum, and tolerated

logger = logging.getLogger(__name__)
PDFMINER_DECOMPRESS_CORRUPTED = pdfminer.pdftypes.decompress_corrupted  # the original, kept for the tests


def decompress_corrupted(data: bytes) -> bytes:
    """Everything zlib inflates before the first error; the error is raised unless it comes in the
    last bytes (the checksum). Same contract as pdfminer's function of that name."""
    inflater, out = zlib.decompressobj(), bytearray()
    for start in range(0, len(data), BLOCK):
        block = data[start : start + BLOCK]
        saved = inflater.copy()
        try:
            out += inflater.decompress(block)
            continue
        except zlib.error:
            inflater = saved
        for offset in range(len(block)):
            try:
                out += inflater.decompress(block[offset : offset + 1])
            except zlib.error:
                if start + offset < len(data) - CHECKSUM_BYTES:
                    raise
                logger.warning("Data-loss while decompressing corrupted data")
                return bytes(out)
    return bytes(out)


def install() -> None:
    """Idempotent: assigning the same function again changes nothing."""
    pdfminer.pdftypes.decompress_corrupted = decompress_corrupted


def installed() -> bool:
    return pdfminer.pdftypes.decompress_corrupted is decompress_corrupted
