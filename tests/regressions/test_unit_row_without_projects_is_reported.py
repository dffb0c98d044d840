"""Bug (fixed in 2dca5cf): a unit row that no project row follows passed reconciliation unchecked, so a
misread row (a 合计 row whose label was lost, a file cut off after a unit row) counted its amounts twice."""

from extract.checks.reconcile import reconcile
from extract.document import rows_to_units
from extract.model import ExtractedDocument
from extract.table import TableHeader
from tests.regressions.rows import row


def test_a_unit_row_without_projects_is_reported():
    rows = [row("unit", "甲单位", "10.00", "10.00"), row("project", "项目一", "10.00", "10.00"),
            row("unit", "乙单位", "5.00", "5.00")]
    contents = rows_to_units(rows, TableHeader())
    doc = ExtractedDocument("x.pdf", "id", "pdf", units=contents.units)
    found = [f for f in reconcile(doc) if f.code == "unit_without_projects"]
    assert [(f.severity, f.unit) for f in found] == [("warning", "乙单位")]
    assert "总计 5.00, 财政拨款 5.00" in found[0].message


def test_a_unit_row_without_amounts_or_projects_is_not():
    contents = rows_to_units([row("unit", "甲单位", None)], TableHeader())
    doc = ExtractedDocument("x.pdf", "id", "pdf", units=contents.units)
    assert not [f for f in reconcile(doc) if f.code == "unit_without_projects"]
