import gzip

import numpy as np
import pytest

from dlrepro.data.readers import read_cifar10, read_idx, read_idx_split
from tests.conftest import write_cifar10_tar, write_idx_gz


def test_idx_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7).astype(np.uint8)
    write_idx_gz(tmp_path / "img.gz", images)
    write_idx_gz(tmp_path / "lab.gz", labels)
    x, y = read_idx_split(tmp_path / "img.gz", tmp_path / "lab.gz")
    assert x.shape == (7, 28, 28, 1) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[..., 0], images)
    np.testing.assert_array_equal(y, labels)


def test_truncated_idx_is_refused_with_its_name(tmp_path):
    write_idx_gz(tmp_path / "img.gz", np.zeros((3, 4, 4), np.uint8))
    data = gzip.decompress((tmp_path / "img.gz").read_bytes())[:-5]
    (tmp_path / "img.gz").write_bytes(gzip.compress(data))
    with pytest.raises(ValueError, match="img.gz: truncated"):
        read_idx(tmp_path / "img.gz")


def test_not_idx_is_refused(tmp_path):
    (tmp_path / "x.gz").write_bytes(gzip.compress(b"<html>not found</html>"))
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "x.gz")


def test_cifar10_pickle_archive(tmp_path):
    content = write_cifar10_tar(tmp_path / "cifar.tar.gz", 4, np.random.default_rng(2))
    splits = read_cifar10(tmp_path / "cifar.tar.gz")
    x, y = splits["train"]
    assert x.shape == (20, 32, 32, 3) and y.shape == (20,)
    first = content["data_batch_1"][0][0]
    np.testing.assert_array_equal(x[0, :, :, 0].ravel(), first[:1024])  # red plane first
    np.testing.assert_array_equal(x[0, 0, 0], first[[0, 1024, 2048]])
    assert splits["test"][1].tolist() == content["test_batch"][1]
