"""CSV outputs that a spreadsheet never runs as formulas (OWASP "CSV injection").

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading apostrophe (``'``), the same rule as :mod:`wres_utils.report.workbook`. The rule,
decided for this project:

- Numbers stay numbers: a cell holding an int, float or numpy number (e.g. ``-3.4`` in the
  ``value`` column) is written as is; a spreadsheet reads a number as a number, never as a
  formula, and analysts' scripts keep reading it as numeric.
- Every *text* cell beginning with one of those characters is escaped, whatever follows,
  as OWASP advises: ``"-3.4 pp"`` is written ``'-3.4 pp`` (Excel would read ``-3.4 pp`` as a
  formula and show ``#NAME?``), and so is a text cell ``"-3.4"``. Text that is not a number
  has no safe reading, so no exception is made for "harmless-looking" text.
- Column names (and the index, when written) are text and follow the same rule.

:func:`unescape_cell` and :func:`read_csv` give the text back for this project's own readers
(audit, views) of a CSV written here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Characters that make a spreadsheet treat a text cell as a formula.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that makes a spreadsheet read the cell as text.
ESCAPE = "'"


def escape_cell(value: object) -> object:
    """``value`` with a leading apostrophe when it is text that begins like a formula.

    Numbers (int, float, numpy numbers, bool), None and missing values are returned unchanged.
    """
    if isinstance(value, str):
        return ESCAPE + value if value.startswith(FORMULA_STARTS) else value
    return value


def unescape_cell(value: object) -> object:
    """The inverse of :func:`escape_cell` for a cell read back as text."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell, column name and index label escaped.

    Numeric and boolean columns are left untouched (numbers stay numeric); text and
    mixed (object) columns are escaped cell by cell, so a number inside an object column
    also stays a number.
    """
    out = df.copy()
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        if not _is_numeric(s):
            out.iloc[:, i] = s.map(escape_cell, na_action="ignore").astype(s.dtype)
    out.columns = pd.Index([escape_cell(c) for c in df.columns])
    if not _is_numeric(df.index.to_series()):
        out.index = pd.Index([escape_cell(v) for v in df.index], name=escape_cell(df.index.name))
    return out


def write_csv(df: pd.DataFrame, path: Path | str, index: bool = False, **kwargs: object) -> Path:
    """Write ``df`` to ``path`` as UTF-8 CSV with formula-like text escaped; returns the path.

    Extra keyword arguments go to :meth:`pandas.DataFrame.to_csv`.
    """
    path = Path(path)
    escape_frame(df).to_csv(path, index=index, **kwargs)
    return path


def read_csv(path: Path | str, **kwargs: object) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` as text (``dtype=str``, blanks as ""), with the
    escaping undone in cells and column names."""
    kwargs = {"dtype": str, "keep_default_na": False, **kwargs}
    df = pd.read_csv(path, **kwargs)
    df.columns = [unescape_cell(c) for c in df.columns]
    for col in df.columns:
        if not _is_numeric(df[col]):
            df[col] = df[col].map(unescape_cell, na_action="ignore").astype(df[col].dtype)
    return df
