"""Bug (fixed in 81e6579): header labels were told apart by a gap of half a font size; the office
suite's narrow amount columns print 财政拨 / 款 and 财政专 / 户拨款 3 pt apart at 8 pt, so the labels
ran together and no table was found (office ``narrow`` documents)."""

from extract.layouts.pdf.column_header import label_extents
from tests.extract.pdf.test_pdf_cells import Run, run_chars, width


def test_labels_3pt_apart_are_seven_labels():
    runs, x = [], 36.0
    for label in ("项目名称", "总计", "财政拨", "财政专", "其他资", "绩效目标", "绩效指标"):
        runs.append(Run(label, x, 100))
        x += width(label) + 3
    after = {"财政拨": "款", "财政专": "户拨款", "其他资": "金"}
    runs += [Run(after[r.text], r.x, 111) for r in list(runs) if r.text in after]
    extents = label_extents([c for run in runs for c in run_chars(run)])
    assert extents is not None and [round(x0) for x0, _ in extents] == [round(r.x) for r in runs[:7]]
