"""The quality gates' stages and the limits they check against (locations: `extract.locations`)."""

from __future__ import annotations

from typing import Literal

Stage = Literal["raw", "staging", "marts"]
STAGES: tuple[Stage, ...] = ("raw", "staging", "marts")
Severity = Literal["error", "warning"]

RESULTS_TABLE = "quality.validation_results"

# Amounts are 万元. One project or unit above 1,000,000 万元 (100 亿元) is a misread number, not a budget.
MAX_AMOUNT = 1_000_000
# Printed amounts have two decimals; sums may differ by rounding in the last place.
AMOUNT_TOLERANCE = 0.005
# A unit whose projects miss its printed total by more than this many 万元 is reported (warning).
UNIT_TOTAL_TOLERANCE = 0.01
FISCAL_YEARS = (2000, 2100)

LEVEL1_CATEGORIES = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL1_CODES = {"1": "产出指标", "2": "效益指标", "3": "满意度指标", "4": "成本指标"}
LEVEL2_CATEGORIES = (
    "数量指标", "质量指标", "时效指标", "成本指标",
    "经济效益", "社会效益", "生态效益", "可持续影响",
    "服务对象满意度",
    "经济成本指标", "社会成本指标", "生态环境成本指标",
)

# How many offending rows each failed expectation keeps (its unexpected_count says how many there were).
FAILING_ROWS_LIMIT = 20
