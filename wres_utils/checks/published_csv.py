"""The published indicators.csv files: every row checked against the disclosed analyst copy
(nothing withheld shown, no small count, no helper column), and the cells a reader could
work out from what is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.checks.findings import HELPER_COLUMNS, KEYS
from wres_utils.core.catalogue import MARKER

# ------------------------------------------------------------------------------ indicators CSV


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    k = frame[[c for c in KEYS if c in frame.columns]].copy()
    for c in KEYS:
        if c not in k:
            k[c] = ""
    k = k.astype(str).replace({"nan": "", "<NA>": ""})
    k["year"] = k["year"].str.replace(r"\.0$", "", regex=True)
    return k[KEYS]


def read_published_csv(path: Path) -> pd.DataFrame:
    """A published indicators CSV as text (value as a number)."""
    from wres_utils.report import safe_csv

    d = safe_csv.read_csv(path)  # undoes the CSV-injection escaping of text cells
    if "value" in d:
        # The printed text of each value too: its precision is what the reader knows.
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["value"])
        d["value_text"] = raw["value"].to_numpy()
        d["value"] = pd.to_numeric(d["value"], errors="coerce")
    return d


def is_indicators_table(frame: pd.DataFrame) -> bool:
    """Whether a CSV is (a copy of) the indicators table."""
    return {"unit", "indicator", "statistic", "display"} <= set(frame.columns)


def check_indicators_csv(
    published: pd.DataFrame, analyst: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Row-by-row check of a published indicators table against the disclosed analyst copy.

    Returns (location, kind, detail): a row that disclosure control suppresses must have no
    value and display ``[c]`` (``suppressed_shown`` otherwise); helper columns must be absent.
    """
    out: list[tuple[str, str, str]] = []
    helpers = sorted(set(published.columns) & HELPER_COLUMNS)
    if helpers:
        out.append(("columns", "records", f"analyst-only columns published: {helpers}"))
    pk = _key_frame(published)
    ak = _key_frame(analyst)
    ak["_a"] = np.arange(len(analyst))
    pk["_p"] = np.arange(len(published))
    m = pk.merge(ak, on=KEYS, how="left")
    a_status = analyst["status"].astype(str).to_numpy()
    a_display = analyst["display"].astype(str).to_numpy()
    a_note = analyst["note"].astype(str).to_numpy()
    raw_value = analyst["value"].to_numpy(dtype=float, na_value=np.nan)
    p_value = (
        pd.to_numeric(published["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if "value" in published
        else np.full(len(published), np.nan)
    )
    p_display = (
        published["display"].astype(str).to_numpy()
        if "display" in published
        else np.full(len(published), "")
    )
    unmatched = 0
    mismatched = []
    for pi, ai in zip(m["_p"].to_numpy(), m["_a"].to_numpy(), strict=True):
        if ai != ai:  # NaN: no such row in the analyst copy
            unmatched += 1
            continue
        ai, pi = int(ai), int(pi)
        label = ", ".join(
            f"{c} {v}" for c, v in zip(KEYS, pk.iloc[pi][KEYS].tolist(), strict=True) if v
        )
        where = f"row {pi + 2} ({label})"
        if a_status[ai] == "suppressed":
            shown = p_display[pi] != MARKER or p_value[pi] == p_value[pi]
            if shown:
                raw = "" if raw_value[ai] != raw_value[ai] else f", raw value {raw_value[ai]:g}"
                out.append(
                    (
                        where,
                        "suppressed_shown",
                        f"published display {p_display[pi]!r}, value "
                        f"{'' if p_value[pi] != p_value[pi] else f'{p_value[pi]:g}'!r}, where "
                        f"disclosure control gives [c] ({a_note[ai]}{raw})",
                    )
                )
        elif p_display[pi] != a_display[ai]:
            mismatched.append(where)
    if unmatched:
        out.append(("", "mismatch", f"{unmatched} row(s) not in the analyst copy of the inputs"))
    if mismatched:
        out.append(
            (
                mismatched[0],
                "mismatch",
                f"{len(mismatched)} row(s) display another figure than the disclosed copy "
                f"(first: {mismatched[0]})",
            )
        )
    return out


def published_frames(paths: Iterable[str]) -> pd.DataFrame:
    """Published indicators CSVs read as the reader reads them: numbers, and their printed
    text (``value_text``) so that the precision of each figure is known."""
    from wres_utils.report import safe_csv

    frames = []
    for p in paths:
        d = safe_csv.read_csv(p)
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, usecols=["value"])
        d["value_text"] = raw["value"].to_numpy()
        d["value"] = pd.to_numeric(d["value"], errors="coerce")
        frames.append(d)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
