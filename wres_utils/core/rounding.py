"""Rounding for display: half-up on the exact value, as the WRES reporting template rounds.

Every figure the project prints (chapter tables, sentences, charts and their labels, the
return workbook, the commissioner's view, national figures) is formatted here, and only
here. The arithmetic stays unrounded; only the display string is rounded.

Why not Python's ``round`` or ``f"{x:.1f}"``: both round a half to the *even* neighbour and
work on the binary float, so 1/16 = 6.25% shows as "6.2%" and 1.125 as "1.12", where NHS
England's reporting template (Excel) shows 6.3% and 1.13. Excel keeps 15 significant digits
and rounds halves away from zero. :func:`to_decimal` therefore reads a float as the decimal
it was meant to be (its 15 significant digits: 57/200 = 0.285 is the float
0.28499999999999998 but the decimal 0.285), and :func:`round_half_up` rounds that decimal
half away from zero (ROUND_HALF_UP in :mod:`decimal`). A :class:`fractions.Fraction` (an
exact ratio of counts) is rounded exactly, without a detour through floats.

Precision (docs/methodology.md, "Rounding"): percentages and percentage points 1 decimal,
relative likelihoods and their confidence limits 2 decimals, rates (proportions 0-1) 3
decimals, counts whole numbers (optionally to the nearest N for publication).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Rational, Real

#: Statistics shown as a percentage with 1 decimal ("12.3%").
PERCENT_STATISTICS: frozenset[str] = frozenset(
    {"percent", "declaration_rate", "workforce_percent", "board_percent"}
)
#: Statistics shown as a ratio with 2 decimals ("1.52").
RATIO_STATISTICS: frozenset[str] = frozenset(
    {
        "relative_likelihood",
        "ci_low",
        "ci_high",
        "relative_likelihood_2yr",
        "ci_low_2yr",
        "ci_high_2yr",
    }
)
#: Statistics shown as whole numbers ("1,234").
COUNT_STATISTICS: frozenset[str] = frozenset({"count", "denominator"})
#: Decimal places by kind of figure.
DECIMALS: dict[str, int] = {"percent": 1, "ratio": 2, "rate": 3, "percentage_points": 1}

#: Significant digits a float is read to (as Excel stores numbers).
SIGNIFICANT_DIGITS = 15

Number = Real | Decimal | Fraction


def to_decimal(value: Number) -> Decimal:
    """``value`` as the decimal it stands for.

    A float is read to 15 significant digits (``0.1 + 0.2`` -> ``Decimal("0.3")``); an int,
    :class:`~decimal.Decimal` or exactly-representable rational is taken as is. A
    :class:`~fractions.Fraction` is better passed to :func:`round_half_up` directly, which
    rounds it exactly.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    f = float(value)
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"cannot round {value!r}")
    return Decimal(format(f, f".{SIGNIFICANT_DIGITS}g"))


def round_half_up(value: Number, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero, on the exact value.

    >>> str(round_half_up(6.25, 1)), str(round_half_up(1.125, 2)), str(round_half_up(-0.05, 1))
    ('6.3', '1.13', '-0.1')
    >>> str(round_half_up(Fraction(1, 16) * 100, 1))
    '6.3'
    """
    quantum = Decimal(1).scaleb(-decimals)
    if isinstance(value, Fraction) or (
        isinstance(value, Rational) and not isinstance(value, int | bool)
    ):
        q = Fraction(value)
        scaled = abs(q) * 10**decimals
        whole = int(scaled + Fraction(1, 2))  # floor(x + 1/2) for x >= 0: half up
        out = Decimal(whole).scaleb(-decimals)
        return (-out if q < 0 else out).quantize(quantum)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def rounded(value: Number, decimals: int) -> float:
    """:func:`round_half_up` as a float, for comparing figures as they are displayed."""
    return float(round_half_up(value, decimals))


def _fixed(value: Number, decimals: int) -> str:
    d = round_half_up(value, decimals)
    if d == 0:
        d = abs(d)  # never "-0.0"
    return f"{d:.{decimals}f}"


def format_percent(value: Number) -> str:
    """A percentage (0-100) with 1 decimal: ``format_percent(6.25)`` -> ``"6.3%"``."""
    return f"{_fixed(value, DECIMALS['percent'])}%"


def format_ratio(value: Number) -> str:
    """A relative likelihood (or confidence limit) with 2 decimals: 1.125 -> ``"1.13"``."""
    return _fixed(value, DECIMALS["ratio"])


def format_rate(value: Number) -> str:
    """A proportion 0-1 with 3 decimals: 0.0625 -> ``"0.063"``."""
    return _fixed(value, DECIMALS["rate"])


def format_points(value: Number) -> str:
    """Percentage points, signed, 1 decimal: -3.45 -> ``"-3.5 pp"``; 0.04 -> ``"0.0 pp"``."""
    d = round_half_up(value, DECIMALS["percentage_points"])
    if d == 0:
        return "0.0 pp"
    return f"{d:+.1f} pp"


def format_count(value: Number, round_to: int | None = None) -> str:
    """A count with thousands separators, optionally rounded half up to the nearest N."""
    d = to_decimal(value) if not isinstance(value, Fraction) else Decimal(round(value))
    if round_to:
        d = (d / round_to).quantize(Decimal(1), rounding=ROUND_HALF_UP) * round_to
    return f"{int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


def format_figure(statistic: str, value: Number, round_to: int | None = None) -> str:
    """The display string of a figure, by its statistic (the one formatter of the project).

    ``count``/``denominator`` -> ``"1,234"`` (rounded to the nearest ``round_to`` if given);
    percentages (``percent``, ``declaration_rate``, ``workforce_percent``,
    ``board_percent``) -> ``"12.3%"``; ``rate`` -> ``"0.152"``; relative likelihoods and
    confidence limits -> ``"1.52"``; ``percentage_points`` -> ``"+2.5 pp"``.
    """
    if statistic in COUNT_STATISTICS:
        return format_count(value, round_to)
    if statistic in PERCENT_STATISTICS:
        return format_percent(value)
    if statistic == "rate":
        return format_rate(value)
    if statistic in RATIO_STATISTICS:
        return format_ratio(value)
    if statistic == "percentage_points":
        return format_points(value)
    return f"{to_decimal(value).normalize():f}"


def decimals_of(statistic: str) -> int:
    """How many decimals a statistic is displayed with (0 for counts)."""
    if statistic in PERCENT_STATISTICS or statistic == "percentage_points":
        return 1
    if statistic in RATIO_STATISTICS:
        return 2
    if statistic == "rate":
        return 3
    return 0


__all__ = [
    "DECIMALS",
    "decimals_of",
    "format_count",
    "format_figure",
    "format_percent",
    "format_points",
    "format_rate",
    "format_ratio",
    "round_half_up",
    "rounded",
    "to_decimal",
]
