"""The target grammar against the hand-checked truth: every distinct target value of the sample, typed.

tests/dbt/target_typing_truth.csv types each distinct printed value (annual and period) of data/sample by
the conventions of DOMAIN.md ("Typing conventions"); bench/target_typing.py builds the sample warehouse
and compares. Before the label-unit, separated-comparator, scale and deadline rules: 94.3% (232 of 246).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.target_typing import (
    accuracy,
    build_sample_warehouse,
    describe,
    mismatches,
    read_truth,
    typed_values,
)

MINIMUM_ACCURACY = 0.995


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    return typed_values(build_sample_warehouse(Path(tmp_path_factory.mktemp("target_typing"))))


def test_truth_covers_every_distinct_value_of_the_sample(typed):
    assert sorted(typed) == sorted(read_truth())


def test_distinct_values_are_typed_as_the_truth_says(typed):
    truth = read_truth()
    wrong = {miss.value: f"typed {describe(miss.typed)}; truth {describe(miss.truth)}"
             for miss in mismatches(typed, truth)}
    assert accuracy(typed, truth) >= MINIMUM_ACCURACY, wrong
