"""Constants of the published table layout, shared by the readers."""

from __future__ import annotations

import re

TITLE_MARK = "绩效目标表"
HEADER_LABEL = re.compile(r"(?P<label>单位名称|部门名称)\s*[：:]\s*(?P<name>.+?)(?=\s+单位\s*[：:]|\s*$)")
CURRENCY = re.compile(r"(?<![名称])单位\s*[：:]\s*(?P<unit>[^\s\t]+)\s*$")
COLUMN_HEADER_MARKS = ("项目名称", "总计")
COLUMNS = ("name", "total", "fiscal", "special_account", "other", "goal", "indicators")
FUNDING_COLUMNS = ("fiscal", "special_account", "other")
DEPARTMENT_TOTAL_NAMES = ("合计", "总计")

# An amount as printed: 万元 with thousands separators and two decimals.
AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
AMOUNT_FRAGMENT = re.compile(r"^[\d,]+(?:\.\d*)?$")

# Display widths (a CJK character counts 2) at which the wrapped text export breaks each column.
# A line at least this wide was broken by the column edge, so its paragraph goes on.
GOAL_FULL_WIDTH = 40
INDICATOR_FULL_WIDTH = 54
NAME_MAX_WIDTH = 32

# How a project name ends; used only to regroup name fragments of interleaved rows.
PROJECT_NAME_ENDING = re.compile(r"(项目|经费|费|工程|建设|购置|服务|更新|\)|）)$")

BINARY_CONTROL_RATIO = 0.05
TOLERANCE = "0.005"
