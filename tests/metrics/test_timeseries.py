import numpy as np
import pandas as pd
import pytest

from dlrepro.metrics.timeseries import block_correlations, date_blocks, mean_block_correlation, pearson, residualise


def days(n: int) -> pd.Series:
    return pd.Series(pd.bdate_range("2021-01-01", periods=n))


def test_mean_20_day_correlation_on_a_hand_computed_example():
    # block 1: y = 2x + 1, correlation 1; block 2: x = +-1 alternating, y = +1 +1 -1 -1 ..., so
    # sum(x y) = 0 and correlation 0; the last 5 dates (< 10) are too short a block to count
    x = np.concatenate([np.arange(20.0), np.tile([1.0, -1.0], 10), np.arange(5.0)])
    y = np.concatenate([2 * np.arange(20.0) + 1, np.tile([1.0, 1.0, -1.0, -1.0], 5), -np.arange(5.0)])
    blocks = block_correlations(days(45), x, y)
    assert blocks["rows"].tolist() == [20, 20]
    assert blocks["correlation"].tolist() == pytest.approx([1.0, 0.0])
    assert mean_block_correlation(days(45), x, y) == pytest.approx(0.5)


def test_blocks_hold_every_row_of_their_dates_in_a_panel():
    dates = pd.concat([days(30), days(30)], ignore_index=True)  # two assets, rows not sorted by date
    block = date_blocks(dates)
    assert (block[:20] == 0).all() and (block[20:30] == 1).all() and (block[30:50] == 0).all()


def test_a_constant_prediction_has_no_correlation():
    assert np.isnan(pearson(np.ones(5), np.arange(5.0)))


def test_residualised_prediction_is_uncorrelated_with_the_linear_prediction():
    rng = np.random.default_rng(0)
    dates = pd.concat([days(60)] * 5, ignore_index=True)
    linear = rng.normal(size=len(dates))
    prediction = 0.9 * linear + 0.3 * rng.normal(size=len(dates))
    assert mean_block_correlation(dates, prediction, linear) > 0.9
    for groups in (pd.factorize(dates)[0], date_blocks(dates)):
        kept = residualise(groups, prediction, linear)
        assert abs(mean_block_correlation(dates, kept, linear)) < 1e-9 < 0.3
        assert mean_block_correlation(dates, kept, prediction - 0.9 * linear) > 0.7  # the rest is kept
