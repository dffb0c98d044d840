"""Bug (fixed in 887b871): the 合计 row's own funding amounts were dropped, so they were neither loaded nor
checked against its total."""

from decimal import Decimal

from extract import extract_path
from extract.checks.reconcile import reconcile
from extract.document import rows_to_units
from extract.model import ExtractedDocument
from extract.table import TableHeader
from tests.extract.conftest import DOC_004
from tests.regressions.rows import row


def test_the_department_total_keeps_its_components():
    assert extract_path(DOC_004).department_components == [Decimal("12721.29")]


def test_the_department_total_components_are_checked():
    contents = rows_to_units([row("total", "合计", "10.00", "6.00", "3.00"), row("unit", "甲单位", "10.00"),
                              row("project", "项目一", "10.00")], TableHeader())
    assert contents.department_components == [Decimal("6.00"), Decimal("3.00")]
    doc = ExtractedDocument("x.pdf", "id", "pdf", units=contents.units, department_total=contents.department_total,
                            department_components=contents.department_components)
    assert [f.message for f in reconcile(doc) if f.code == "row_components_mismatch"] == [
        "In the unit row of 合计 the funding amounts 6.00, 3.00 sum to 9.00, not the printed total 10.00 "
        "(gap 1.00)."]
