"""Bug (fixed in 2dca5cf): a row whose 总计 cell was empty skipped the check of its funding amounts, so
amounts it did print were never compared with anything."""

from extract.checks.reconcile import reconcile
from extract.document import rows_to_units
from extract.model import ExtractedDocument
from extract.table import TableHeader
from tests.regressions.rows import row


def test_a_project_row_without_a_total_is_reported():
    rows = [row("unit", "甲单位", "10.00", "10.00"), row("project", "项目一", None, "7.00", "3.00")]
    contents = rows_to_units(rows, TableHeader())
    doc = ExtractedDocument("x.pdf", "id", "pdf", units=contents.units)
    found = [f for f in reconcile(doc) if f.code == "row_components_mismatch"]
    assert [(f.severity, f.unit, f.project_seq) for f in found] == [("warning", "甲单位", 1)]
    assert found[0].message == ("In project 1 of 甲单位 the funding amounts 7.00, 3.00 sum to 10.00, "
                                "but the row prints no total.")
