import numpy as np
import pandas as pd
import pytest

from dlrepro.data.timeseries import read_series, rolling_origin_folds
from dlrepro.io import InputError


@pytest.mark.parametrize("gap", [0, 3])
def test_rolling_folds_never_train_on_a_test_date_or_later(gap):
    dates = pd.Series(np.repeat(pd.bdate_range("2021-01-01", periods=90), 3))
    folds = rolling_origin_folds(dates, min_train_days=30, test_days=20, gap_days=gap)
    tested = np.concatenate([test for _, test in folds])
    assert len(np.unique(tested)) == len(tested) and dates[tested].min() == dates.unique()[30 + gap]
    for train, test in folds:
        assert dates[train].max() < dates[test].min()
        assert dates[train].nunique() == np.searchsorted(dates.unique(), dates[test].min()) - gap
    assert [len(test) // 3 for _, test in folds] == ([20, 20, 20] if gap == 0 else [20, 20, 17])


def test_too_few_dates_for_one_test_block_is_an_error():
    with pytest.raises(ValueError, match="too few"):
        rolling_origin_folds(pd.Series(pd.bdate_range("2021-01-01", periods=25)), 20, 10)


def test_missing_column_names_the_csv_and_the_column(tmp_path):
    path = tmp_path / "series.csv"
    pd.DataFrame({"date": ["2021-01-04", "2021-01-05"], "x": [1, 2], "target": [0.1, 0.2]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"series\.csv: no column linear_prediction"):
        read_series(path, "date", "target", "linear_prediction")


def test_features_are_the_other_columns_sorted_by_date(tmp_path):
    path = tmp_path / "series.csv"
    pd.DataFrame({"date": ["2021-01-05", "2021-01-04"], "id": [7, 8], "a": [1.0, None], "target": [0.2, 0.1],
                  "lin": [0.0, 1.0]}).to_csv(path, index=False)
    table, features = read_series(path, "date", "target", "lin", exclude=["id"])
    assert features == ["a"] and table["target"].tolist() == [0.1, 0.2] and table["a"].tolist() == [0.0, 1.0]
