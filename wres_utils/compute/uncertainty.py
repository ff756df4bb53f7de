"""Uncertainty and the four-fifths rule for relative likelihoods (docs/methodology.md).

The confidence intervals are NOT NHS England methodology; reports label them as such.
"""

from __future__ import annotations

import numpy as np

from wres_utils.core.rounding import rounded

#: The 97.5th percentile of the standard normal distribution (a two-sided 95% interval).
Z95: float = 1.959963984540054

#: Method strings returned by :func:`katz_ci`.
METHOD_KATZ = "Katz log method"
METHOD_HALDANE = (
    "Katz log method with the Haldane-Anscombe correction "
    "(0.5 added to each event count and 1 to each group size, because an event count is 0)"
)

#: The three four-fifths classes, in order.
CLASSES: tuple[str, str, str] = ("below 0.80", "0.80-1.25", "above 1.25")


def katz_ci_arrays(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`katz_ci`: ``(low, high, valid, corrected)`` arrays.

    ``valid`` is False where no interval exists (a group size is 0, or an event count exceeds
    its group size so the variance is negative); ``low`` and ``high`` are NaN there.
    ``corrected`` is True where the Haldane-Anscombe correction was used.
    """
    a = np.asarray(a, dtype=float)
    n1 = np.asarray(n1, dtype=float)
    c = np.asarray(c, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    corrected = (a == 0) | (c == 0)
    aa = np.where(corrected, a + 0.5, a)
    cc = np.where(corrected, c + 0.5, c)
    nn1 = np.where(corrected, n1 + 1.0, n1)
    nn2 = np.where(corrected, n2 + 1.0, n2)
    valid = (n1 > 0) & (n2 > 0) & (a <= n1) & (c <= n2) & (a >= 0) & (c >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = 1 / aa - 1 / nn1 + 1 / cc - 1 / nn2
        valid &= np.isfinite(var) & (var >= 0)
        log_rr = np.log((aa / nn1) / (cc / nn2))
        se = np.sqrt(np.where(valid, var, 0.0))
        low = np.exp(log_rr - z * se)
        high = np.exp(log_rr + z * se)
    # A zero numerator rate gives a relative likelihood of exactly 0: the interval starts there.
    low = np.where(a == 0, 0.0, low)
    low = np.where(valid, low, np.nan)
    high = np.where(valid, high, np.nan)
    return low, high, valid, corrected


def katz_ci(a: int, n1: int, c: int, n2: int, z: float = Z95) -> tuple[float, float, str]:
    """95% confidence interval of RR = (a/n1) / (c/n2) by the Katz log method.

    SE(ln RR) = sqrt(1/a - 1/n1 + 1/c - 1/n2); the interval is exp(ln RR +/- z * SE).
    When ``a`` or ``c`` is 0 the Haldane-Anscombe correction is used instead: 0.5 is added to
    ``a`` and ``c`` and 1 to ``n1`` and ``n2`` (0.5 to every cell of the 2x2 table), and both
    the log RR and its SE are computed from the corrected counts. When ``a`` is 0 the point
    estimate is exactly 0, so ``low`` is set to 0. Returns ``(low, high, method)``.

    Raises ValueError when a group size is 0 or an event count exceeds its group size.
    """
    low, high, valid, corrected = katz_ci_arrays(
        np.array([a]), np.array([n1]), np.array([c]), np.array([n2]), z
    )
    if not valid[0]:
        raise ValueError(
            f"no interval for a={a}, n1={n1}, c={c}, n2={n2}: group sizes must be > 0 "
            "and event counts at most the group size"
        )
    return float(low[0]), float(high[0]), METHOD_HALDANE if corrected[0] else METHOD_KATZ


def four_fifths(rr: float) -> str:
    """The four-fifths class of a relative likelihood: 'below 0.80', '0.80-1.25' or 'above 1.25'.

    The value is classified as displayed (rounded half up to 2 dp), so that the words in a report
    always agree with the number shown next to them (1.2504 shows as 1.25 and is inside).
    """
    r = rounded(rr, 2)
    if r < 0.80:
        return CLASSES[0]
    if r > 1.25:
        return CLASSES[2]
    return CLASSES[1]


def favoured_words(
    rr: float,
    numerator_group: str,
    comparator_group: str,
    outcome_good: bool,
    population: str = "staff",
    indicator: str | None = None,
) -> str:
    """Who a relative likelihood favours, in words.

    ``numerator_group`` is the group whose rate is on top of the ratio; ``outcome_good`` says
    whether the outcome (appointment, training) is an advantage or (disciplinary) a
    disadvantage. Inside 0.80-1.25 the answer says whose range it is: NHS England's
    non-adverse range for ``indicator`` "3", a four-fifths guide used here otherwise.
    E.g. ``favoured_words(1.52, "White", "BME", True, "applicants")`` ->
    ``"White applicants favoured"``; ``favoured_words(1.4, "BME", "White", False)`` ->
    ``"White staff favoured (BME staff more likely to have this outcome)"``.
    """
    cls = four_fifths(rr)
    if cls == CLASSES[1]:
        if indicator == "3":
            return "within the range NHS England treats as non-adverse for indicator 3"
        return "within 0.80-1.25 (a four-fifths guide used here, not NHS England's range)"
    more, less = (
        (numerator_group, comparator_group)
        if cls == CLASSES[2]
        else (comparator_group, numerator_group)
    )
    if outcome_good:
        return f"{more} {population} favoured"
    return f"{less} {population} favoured ({more} {population} more likely to have this outcome)"


def small_numbers(a: int, c: int, threshold: int = 10) -> bool:
    """True when either group has fewer than ``threshold`` events (interpret with care)."""
    return bool(a < threshold or c < threshold)
