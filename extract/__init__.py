"""Extraction of 项目支出绩效目标表 documents (PDF and text exports) into typed records."""

from extract.model import ExtractedDocument
from extract.reader import extract_bytes, extract_path

__all__ = ["ExtractedDocument", "extract_bytes", "extract_path"]
