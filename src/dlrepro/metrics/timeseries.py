"""The score of S14's time series: Pearson correlation on every block of 20 consecutive dates, averaged.

A block holds every row of its dates (one per date for a single series, several for a panel); the
blocks start at the first date and the last, shorter block counts when it has at least half the days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BLOCK_DAYS = 20


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation; NaN when either side is constant."""
    x, y = np.asarray(x, float) - np.mean(x), np.asarray(y, float) - np.mean(y)
    scale = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / scale) if scale > 0 else float("nan")


def date_blocks(dates: pd.Series, days: int = BLOCK_DAYS) -> np.ndarray:
    """Block number of each row (-1 for a last block shorter than ``days // 2`` dates)."""
    unique = np.sort(pd.unique(dates))
    block = np.searchsorted(unique, dates.to_numpy()) // days
    last_length = len(unique) - (len(unique) - 1) // days * days
    if last_length < max(2, days // 2):
        block = np.where(block == block.max(), -1, block)
    return block


def block_correlations(dates: pd.Series, x: np.ndarray, y: np.ndarray, days: int = BLOCK_DAYS) -> pd.DataFrame:
    """One row per block: its first and last date, rows and corr(x, y)."""
    frame = pd.DataFrame({"date": dates.to_numpy(), "x": np.asarray(x), "y": np.asarray(y),
                          "block": date_blocks(dates, days)})
    rows = [{"start": group["date"].min(), "end": group["date"].max(), "rows": len(group),
             "correlation": pearson(group["x"], group["y"])}
            for block, group in frame.groupby("block", sort=True) if block >= 0]
    return pd.DataFrame(rows)


def mean_block_correlation(dates: pd.Series, x: np.ndarray, y: np.ndarray, days: int = BLOCK_DAYS) -> float:
    """The score: the mean of :func:`block_correlations` (constant blocks left out)."""
    return float(block_correlations(dates, x, y, days)["correlation"].mean())


def residualise(groups: np.ndarray, x: np.ndarray, linear: np.ndarray) -> np.ndarray:
    """``x`` minus its least-squares fit on ``linear`` (with intercept) within each group, so within
    every group, and pooled over any union of whole groups, its correlation with ``linear`` is zero."""
    x, linear, groups = np.asarray(x, float), np.asarray(linear, float), np.asarray(groups)
    out = np.empty_like(x)
    for group in np.unique(groups):
        rows = groups == group
        centred = linear[rows] - linear[rows].mean()
        denominator = (centred * centred).sum()
        slope = (centred * (x[rows] - x[rows].mean())).sum() / denominator if denominator > 0 else 0.0
        out[rows] = x[rows] - x[rows].mean() - slope * centred
    return out
