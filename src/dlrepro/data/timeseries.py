"""S14's dated table (features, target, an existing linear prediction) and its rolling-origin folds.

The CSV has one row per date (a single series) or several (a panel of assets); every column that is
not the date, the target, the linear prediction or listed in ``exclude`` is a feature.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dlrepro.io import InputError


def read_series(path: str | Path, date: str, target: str, linear: str,
                exclude: list[str] = ()) -> tuple[pd.DataFrame, list[str]]:
    """The table sorted by date (stable) and its feature columns; :class:`InputError` naming the CSV
    and the missing column, an unparsable date or a non-numeric feature."""
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as err:
        raise InputError(f"{path}: not a readable CSV table ({err}); give a CSV with a header row") from None
    missing = [column for column in (date, target, linear) if column not in table]
    if missing:
        raise InputError(f"{path}: no column {', '.join(missing)} (has {', '.join(map(str, table.columns[:8]))}"
                         f"{', ...' if len(table.columns) > 8 else ''}); name the date, target and linear "
                         "prediction columns in s14.timeseries")
    try:
        table[date] = pd.to_datetime(table[date])
    except (ValueError, TypeError) as err:
        raise InputError(f"{path}: column {date} holds values that are not dates ({err})") from None
    features = [c for c in table.columns if c not in (date, target, linear) and c not in set(exclude)]
    text = [c for c in features + [target, linear] if not pd.api.types.is_numeric_dtype(table[c])]
    if text:
        raise InputError(f"{path}: column {', '.join(text[:3])} is not numeric; list it in s14.timeseries.exclude")
    if not features:
        raise InputError(f"{path}: no feature columns besides {date}, {target} and {linear}")
    table = table.dropna(subset=[target, linear]).sort_values(date, kind="stable").reset_index(drop=True)
    table[features] = table[features].fillna(0.0)
    return table, features


def rolling_origin_folds(dates: pd.Series, min_train_days: int, test_days: int,
                         gap_days: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) per fold: test blocks of ``test_days`` consecutive dates after the first
    ``min_train_days``; each fold trains on every date more than ``gap_days`` before its first test
    date (an expanding window), so no fit sees its test dates or any later one."""
    days = np.sort(dates.unique())
    if len(days) < min_train_days + gap_days + test_days:
        raise ValueError(f"{len(days)} dates: too few for min_train_days {min_train_days} + gap_days {gap_days} "
                         f"+ one test block of {test_days}")
    position = np.searchsorted(days, dates.to_numpy())
    folds = []
    for start in range(min_train_days + gap_days, len(days), test_days):
        train = np.flatnonzero(position < start - gap_days)
        test = np.flatnonzero((position >= start) & (position < start + test_days))
        folds.append((train, test))
    return folds
