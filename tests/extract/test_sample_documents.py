"""Each real sample document: counts, exact first and last project, and whole-document rules."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

EXPECTED = {
    # doc: (units, projects, indicators, indicator_format, header_label, header_name)
    "000": (1, 23, 163, "three_level", "单位名称", "广州开放大学"),
    "001": (1, 28, 212, "one_level", "单位名称", "广州市广播电视大学"),
    "002": (1, 23, 179, "one_level", "部门名称", "广州市电化教育馆"),
    "004": (1, 16, 106, "three_level", "部门名称", "广州市人力资源和社会保障局"),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_counts_and_header(sample_docs, key):
    doc = sample_docs[key]
    units, projects, indicators, fmt, label, name = EXPECTED[key]
    assert len(doc.units) == units
    assert len(doc.projects()) == projects
    assert sum(len(p.indicators) for _, p in doc.projects()) == indicators
    assert (doc.indicator_format, doc.header_label, doc.header_name, doc.currency_unit) == (fmt, label, name, "万元")
    assert doc.title == "项目支出绩效目标表（含转移支付项目）"
    assert not doc.failed
    assert not [f for f in doc.findings if f.code == "unparsed_text"]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_whole_document_rules(sample_docs, key):
    doc = sample_docs[key]
    for _, project in doc.projects():
        # every project has a goal and indicators numbered 1..N with a target value
        assert project.goal
        assert [i.seq for i in project.indicators] == list(range(1, len(project.indicators) + 1))
        assert all(i.annual_value for i in project.indicators)
        assert all(i.level1 in ("产出指标", "效益指标", "满意度指标", "成本指标") for i in project.indicators)
        # each project's funding amounts add up to its total (they all do in the seeds)
        assert sum(project.components, D(0)) == project.amounts.total


def test_000_first_and_last(sample_docs):
    doc = sample_docs["000"]
    unit = doc.units[0]
    assert (unit.name, unit.amounts.total, unit.components) == (
        "广州开放大学", D("13994.71"), [D("1695.36"), D("6576.55"), D("5722.80")])
    assert unit.attribution == "unknown" and unit.amounts.fiscal is None
    first, last = unit.projects[0], unit.projects[-1]
    assert (first.name, first.amounts.total, first.components) == ("业务用房物业管理费", D("130.67"), [D("130.67")])
    assert first.goal.startswith("通过公开招标的方式，聘请专业的物业管理公司，对校园业务用房")
    i = first.indicators[0]
    assert (i.name, i.period_value, i.annual_value) == ("日常保洁频率", "每天2次", "2次/天")
    i = first.indicators[-1]
    assert (i.seq, i.level1, i.level2, i.name, i.annual_value) == (9, "满意度指标", "服务对象满意度", "在校师生满意度", "90%以上")
    assert (last.name, last.amounts.total) == ("广州开放大学麓湖校区校园改造工程", D("4800.00"))
    i = last.indicators[-1]
    assert (i.seq, i.level1_code, i.level2_code, i.name, i.annual_value) == (7, "4", "41", "在预期成本内完成工程", "在预期成本内")
    # the blank 二级 name (24-；) stays blank
    blank = [i for _, p in doc.projects() for i in p.indicators if i.level2_code == "24"]
    assert blank and all(i.level2 == "" for i in blank)


def test_000_interleaved_stretch_resolved(sample_docs):
    """Lines 770-951 interleave three rows split by a page break; they come back as three clean rows."""
    doc = sample_docs["000"]
    projects = {p.name: p for _, p in doc.projects()}
    a = projects["细岗校区1号楼局部装修改造和校区安防改造维护维修项目"]
    b = projects["广州开放大学2025年信息化基础设施及业务系统建设项目"]
    c = projects["广州开放大学2025年-2026年信息化运维项目"]
    assert [p.seq for p in (a, b, c)] == [19, 20, 21]
    assert (a.amounts.total, a.components) == (D("75.56"), [D("75.56")])
    assert (b.amounts.total, b.components) == (D("1384.29"), [D("1384.29")])
    # "372.6" / "5 175.26": the total is broken across lines
    assert (c.amounts.total, c.components) == (D("372.65"), [D("175.26"), D("197.39")])
    assert a.goal == ("通过对细岗1号楼部分改造，完善必要的办公设施，达到必要的办公条件，满足日常办公需要。通过对安"
                      "防工程的改造，对整个校区的安防监控进行部署安装，确保能够监控整个校区的安全问题，满足校区安"
                      "全监控基本要求。")
    assert b.goal.startswith("通过本项目的实施，一方面积极打造广州终身学习网") and b.goal.endswith("奠定坚实的基础。")
    assert c.goal.startswith("本单位运维建设的总体目标是调整现行维护模式") and c.goal.endswith("确保信息系统的稳定运行。")
    assert [len(p.indicators) for p in (a, b, c)] == [7, 6, 6]
    assert a.indicators[1].name == "成本控制指标"
    assert b.indicators[-1].annual_value == "≥95%"
    assert b.indicators[4].annual_value == "≥20万人次"
    assert c.indicators[1].annual_value == "1028台"
    assert c.indicators[3].annual_value == "重大故障＜4小时 严重故障＜8小时 一般故障＜24小时"
    assert (a.lineage.line_start, c.lineage.line_end) == (770, 951)
    recovered = [f for f in doc.findings if f.code == "interleaved_rows_recovered"]
    assert len(recovered) == 1 and (recovered[0].lineage.line_start, recovered[0].lineage.line_end) == (770, 951)


def test_001_tab_separated_columns_are_explicit(sample_docs):
    doc = sample_docs["001"]
    unit = doc.units[0]
    assert unit.attribution == "explicit"
    assert (unit.amounts.total, unit.amounts.fiscal, unit.amounts.special_account, unit.amounts.other) == (
        D("11469.28"), D("4189.07"), D("6850.56"), D("429.66"))
    first, last = unit.projects[0], unit.projects[-1]
    assert (first.name, first.amounts.total, first.amounts.fiscal, first.amounts.special_account, first.amounts.other) == (
        "业务用房物业管理费", D("152.49"), None, D("152.49"), None)
    assert first.indicators[0].name == "校园应急情况配合处理及时性" and first.indicators[0].annual_value == "及时"
    assert first.indicators[-1].name == "日常保洁频率" and first.indicators[-1].annual_value == "2次/天"
    assert last.name == "广州市开放大学2023-2024年广州市中小学教师继续教育网运维服务项目(2023)"
    assert (last.amounts.total, last.amounts.special_account) == (D("106.14"), D("106.14"))
    assert (last.indicators[0].name, last.indicators[0].annual_value) == ("信息系统年度业务量（件）", ">1000万件")
    assert (last.indicators[-1].seq, last.indicators[-1].name, last.indicators[-1].annual_value) == (10, "按合同金额执行", "不超支")
    assert all(p.attribution == "explicit" for p in unit.projects)


def test_002_and_004_first_and_last(sample_docs):
    doc = sample_docs["002"]
    first, last = doc.units[0].projects[0], doc.units[0].projects[-1]
    assert (first.name, first.amounts.total) == ("专项工作经费", D("32.00"))
    assert (first.indicators[0].level1, first.indicators[0].name, first.indicators[0].annual_value) == ("满意度指标", "用户满意度", "100%")
    assert last.name == "广州市电化教育馆2022年-2024年运维项目之广州市科教城教科网网络传输服务项目(2023)"
    assert (last.amounts.total, last.indicators[-1].name, last.indicators[-1].annual_value) == (D("210.00"), "满意率", "满意度大于95%")
    doc = sample_docs["004"]
    assert doc.department_total is not None and doc.department_total.total == D("12721.29")
    first, last = doc.units[0].projects[0], doc.units[0].projects[-1]
    assert (first.name, first.amounts.total) == ("广州市技师学院2023年校园基础信息服务平台建设项目", D("47.66"))
    assert (last.name, last.amounts.total) == ("广州市技师学院2024年-2025年信息化运维项目", D("18.37"))
    assert (last.indicators[-1].name, last.indicators[-1].annual_value) == ("服务对象满意度调查", "90%或以上")


def codes(doc, severity="warning"):
    return sorted((f.code, f.message) for f in doc.findings if f.severity == severity)


def test_reconciliation_findings(sample_docs):
    """The real documents do not all reconcile; every gap is a warning with the amounts, nothing is altered."""
    gaps = {k: codes(doc) for k, doc in sample_docs.items()}
    assert [c for c, _ in gaps["000"]] == ["unit_total_mismatch"]
    assert "13994.71" in gaps["000"][0][1] and "13994.72" in gaps["000"][0][1]
    assert [c for c, _ in gaps["002"]] == ["unit_total_mismatch"]
    assert "gap 150.01" in gaps["002"][0][1]
    assert gaps["004"] == []
    codes_001 = [c for c, _ in gaps["001"]]
    assert codes_001.count("unit_column_mismatch") == 3
    assert "unit_total_mismatch" in codes_001 and "row_components_mismatch" in codes_001
    total = next(m for c, m in gaps["001"] if c == "unit_total_mismatch")
    assert "11469.28" in total and "11469.29" in total
    assert sample_docs["001"].units[0].amounts.total == D("11469.28")  # the printed number is kept


def test_fiscal_year_from_manifest_and_inferred(sample_docs, tmp_path):
    assert {k: (d.fiscal_year, d.year_source) for k, d in sample_docs.items()} == {
        "000": (2025, "manifest"), "001": (2023, "manifest"), "002": (2023, "manifest"), "004": (2024, "manifest")}
    assert sample_docs["000"].department == "广州市教育局"
    from extract import extract_path
    from tests.extract.conftest import DOC_000

    copy = tmp_path / DOC_000.name
    copy.write_bytes(DOC_000.read_bytes())
    doc = extract_path(copy)  # no manifest beside it: inferred from the project names
    assert (doc.fiscal_year, doc.year_source) == (2025, "inferred")
    named = tmp_path / "广州开放大学_2026.txt"
    named.write_bytes(DOC_000.read_bytes())
    assert (extract_path(named).fiscal_year, extract_path(named).year_source) == (2026, "filename")
