"""The feature store's streaming writer: row groups written by a second thread, atomically."""

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from dlrepro.features.store import read_features, write_features


def batch(start, rows, dim=6):
    index = pd.DataFrame({"id": np.arange(start, start + rows), "split": "train", "label": 1, "group": 0})
    return index, np.full((rows, dim), start, dtype=np.float32)


def test_batches_become_row_groups_in_order(tmp_path):
    path = tmp_path / "features.parquet"
    assert write_features(path, (batch(start, 3) for start in (0, 3, 6))) == 9
    features, index = read_features(path)
    assert index["id"].tolist() == list(range(9)) and features[:, 0].tolist() == [0] * 3 + [3] * 3 + [6] * 3
    assert pq.ParquetFile(path).num_row_groups == 3


def failing_after_one_batch():
    yield batch(0, 3)
    raise RuntimeError("extractor failed")


@pytest.mark.parametrize("batches, error", [
    (failing_after_one_batch, "extractor failed"),
    (lambda: iter([batch(0, 3), batch(3, 3, dim=7)]), ""),  # the second batch's write fails in the thread
])
def test_a_failure_leaves_no_file_behind(tmp_path, batches, error):
    path = tmp_path / "features.parquet"
    with pytest.raises(Exception, match=error):
        write_features(path, batches())
    assert list(tmp_path.iterdir()) == []
