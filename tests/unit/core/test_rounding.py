"""Rounding for display: half up on the exact value, as the WRES template's Excel rounds."""

from __future__ import annotations

from fractions import Fraction

import pytest

from wres_utils.compute import uncertainty
from wres_utils.core import rounding
from wres_utils.disclosure import gate as disclosure


@pytest.mark.parametrize(
    ("statistic", "value", "shown"),
    [
        ("percent", 1 / 16 * 100, "6.3%"),  # 6.25: Python's f"{6.25:.1f}" gives 6.2
        ("percent", Fraction(1, 16) * 100, "6.3%"),
        ("relative_likelihood", 1.125, "1.13"),  # f"{1.125:.2f}" gives 1.12
        ("relative_likelihood", (9 / 8) / 1, "1.13"),
        ("relative_likelihood", 57 / 200 * 10, "2.85"),
        ("rate", 57 / 200, "0.285"),
        ("relative_likelihood", 0.285, "0.29"),  # the float is 0.28499999999999998
        ("ci_low", 0.995, "1.00"),
        ("percent", 12.45, "12.5%"),
        ("percent", 249 / 2000 * 100, "12.5%"),
        ("percentage_points", -3.45, "-3.5 pp"),  # halves away from zero
        ("percentage_points", 2.25, "+2.3 pp"),
        ("percentage_points", -0.04, "0.0 pp"),
        ("percent", 0.0, "0.0%"),
        ("count", 1234, "1,234"),
        ("declaration_rate", 87.55, "87.6%"),
    ],
)
def test_format_figure_half_up(statistic: str, value: object, shown: str) -> None:
    assert rounding.format_figure(statistic, value) == shown
    assert disclosure.format_value(statistic, value) == shown


def test_python_round_would_have_got_these_wrong() -> None:
    # The reason for the module: the built-ins round halves to even on the binary float.
    assert f"{6.25:.1f}" == "6.2" and f"{1.125:.2f}" == "1.12"
    assert rounding.format_percent(6.25) == "6.3%" and rounding.format_ratio(1.125) == "1.13"


def test_round_half_up_exact_fraction() -> None:
    assert str(rounding.round_half_up(Fraction(1, 8), 2)) == "0.13"
    assert str(rounding.round_half_up(Fraction(-1, 8), 2)) == "-0.13"
    assert str(rounding.round_half_up(Fraction(1, 3), 2)) == "0.33"
    assert rounding.rounded(1.245, 2) == 1.25


def test_counts_rounded_to_nearest() -> None:
    assert rounding.format_count(12, 5) == "10"
    assert rounding.format_count(12.5, 5) == "15"
    assert rounding.format_count(1502, None) == "1,502"


def test_nan_refused() -> None:
    with pytest.raises(ValueError):
        rounding.to_decimal(float("nan"))


def test_four_fifths_classes_the_displayed_value() -> None:
    # 1.245 shows 1.25 (half up), so it is inside the range; 0.795 shows 0.80, inside too.
    assert uncertainty.four_fifths(1.245) == "0.80-1.25"
    assert uncertainty.four_fifths(1.2551) == "above 1.25"
    assert uncertainty.four_fifths(0.795) == "0.80-1.25"
    assert uncertainty.four_fifths(0.7949) == "below 0.80"
