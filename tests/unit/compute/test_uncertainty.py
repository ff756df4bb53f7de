"""Katz intervals, the four-fifths rule and small-number flags, checked against hand arithmetic."""

import math

import pytest

from wres_utils.compute import uncertainty as u
from wres_utils.core import catalogue


def test_katz_ci_by_hand():
    # a=30 of n1=100 vs c=10 of n2=50: RR = 0.30 / 0.20 = 1.5
    # SE = sqrt(1/30 - 1/100 + 1/10 - 1/50) = sqrt(0.103333) = 0.321455
    # ln 1.5 = 0.405465; +/- 1.959964 * 0.321455 = 0.630042
    # low = exp(-0.224577) = 0.798856; high = exp(1.035507) = 2.816529
    low, high, method = u.katz_ci(30, 100, 10, 50)
    assert low == pytest.approx(0.798856, abs=1e-6)
    assert high == pytest.approx(2.816529, abs=1e-6)
    assert method == u.METHOD_KATZ


def test_katz_ci_zero_cell_uses_haldane_and_starts_at_zero():
    # a=0: add 0.5 to a, c and 1 to n1, n2: a'=0.5, n1'=21, c'=5.5, n2'=26
    # RR' = (0.5/21)/(5.5/26) = 0.112554; SE = sqrt(2 - 1/21 + 1/5.5 - 1/26) = 1.447666
    # high = exp(-2.184320 + 1.959964 * 1.447666) = exp(0.653053) = 1.921397; low = 0
    low, high, method = u.katz_ci(0, 20, 5, 25)
    assert low == 0.0
    assert high == pytest.approx(1.921397, rel=1e-6)
    assert "Haldane" in method


def test_katz_ci_rejects_impossible_counts():
    with pytest.raises(ValueError):
        u.katz_ci(3, 0, 2, 10)
    with pytest.raises(ValueError):
        u.katz_ci(30, 10, 2, 10)  # more events than people


def test_katz_arrays_never_inf():
    low, high, valid, _ = u.katz_ci_arrays([0, 5, 3], [0, 10, 10], [0, 0, 3], [5, 10, 0])
    assert list(valid) == [False, True, False]
    assert all(math.isnan(x) or math.isfinite(x) for x in [*low, *high])


@pytest.mark.parametrize(
    "rr, cls",
    [
        (0.0, "below 0.80"),
        (0.794, "below 0.80"),
        (0.795, "0.80-1.25"),
        (1.0, "0.80-1.25"),
        (1.2504, "0.80-1.25"),
        (1.256, "above 1.25"),
        (3.0, "above 1.25"),
    ],
)
def test_four_fifths_classifies_as_displayed(rr, cls):
    assert u.four_fifths(rr) == cls


def test_favoured_words():
    assert u.favoured_words(1.52, "White", "BME", True, "applicants") == "White applicants favoured"
    assert u.favoured_words(0.5, "White", "BME", True) == "BME staff favoured"
    # indicator 3: BME/White disciplinary; above 1.25 the BME staff are disadvantaged
    assert u.favoured_words(1.4, "BME", "White", False).startswith("White staff favoured")
    # the range is NHS England's for indicator 3 only; a four-fifths guide for 2 and 4
    assert "NHS England treats as non-adverse" in u.favoured_words(
        1.1, "BME", "White", False, "staff", "3"
    )
    assert "four-fifths guide" in u.favoured_words(1.1, "White", "BME", True, "staff", "2")
    assert "NHS England" not in u.favoured_words(1.1, "White", "BME", True, "staff", "4").replace(
        "not NHS England's", ""
    )


def test_distance_from_equal_is_symmetric_on_the_log_scale():
    distance = catalogue.distance_from_equal
    assert distance(0.80) == pytest.approx(distance(1.25))
    assert distance(0.79) > distance(1.25)  # |ln 0.79| = 0.236
    assert distance(0.0) == float("inf")


def test_small_numbers():
    assert u.small_numbers(9, 100) and u.small_numbers(100, 0)
    assert not u.small_numbers(10, 10)
