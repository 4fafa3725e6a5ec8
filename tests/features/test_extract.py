import numpy as np
import pyarrow.parquet as pq
import pytest

from dlrepro.data.dataset import load_dataset
from dlrepro.features.extract import build_extractor, extract_features
from dlrepro.features.store import read_features

SCATTERING = {"kind": "scattering", "J": 2, "L": 4, "max_order": 2}
RESNET = {"kind": "torchvision", "arch": "resnet18", "layer": "layer3", "weights": "random", "image_size": 32}


@pytest.mark.parametrize("settings", [{"kind": "pixels"}, SCATTERING, RESNET], ids=["pixels", "scattering", "resnet18"])
def test_writes_one_row_group_per_batch_equal_to_a_direct_computation(dataset_dir, tmp_path, settings):
    out = tmp_path / "features.parquet"
    assert extract_features(dataset_dir, settings, out, batch_size=4, device="cpu", seed=7) == 10
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    features, index = read_features(out)
    dataset = load_dataset(dataset_dir)
    for column in ("id", "split", "label", "group"):
        assert index[column].tolist() == dataset.index[column].tolist()
    direct = build_extractor(settings, dataset.images.shape[1:], "cpu", seed=7)(np.asarray(dataset.images))
    np.testing.assert_allclose(features, direct, rtol=1e-5, atol=1e-6)


def test_two_runs_are_identical(dataset_dir, tmp_path):
    runs = []
    for name in ("first", "second"):
        extract_features(dataset_dir, RESNET, tmp_path / f"{name}.parquet", batch_size=3, device="cpu", seed=1)
        runs.append(read_features(tmp_path / f"{name}.parquet")[0])
    np.testing.assert_array_equal(*runs)


def test_a_split_reads_back_its_own_rows(dataset_dir, tmp_path):
    out = tmp_path / "pixels.parquet"
    extract_features(dataset_dir, {"kind": "pixels"}, out, batch_size=4, device="cpu")
    test_images, test_index = load_dataset(dataset_dir).split("test")
    features, index = read_features(out, split="test")
    assert index["id"].tolist() == test_index["id"].tolist()
    np.testing.assert_array_equal(features, test_images.reshape(len(test_images), -1) / np.float32(255))


def test_bad_settings_leave_no_file(dataset_dir, tmp_path):
    out = tmp_path / "features.parquet"
    with pytest.raises(ValueError, match="unknown settings"):
        extract_features(dataset_dir, {"kind": "pixels", "J": 2}, out)
    assert list(tmp_path.iterdir()) == [dataset_dir]
