from pathlib import Path

import numpy as np
import pytest

from dlrepro.data.dataset import load_dataset, subsample, write_dataset
from dlrepro.data.prepare import prepare_dataset
from dlrepro.data.sources import read_manifest


def test_round_trip_is_memory_mapped(tmp_path):
    images = np.arange(4 * 2 * 2 * 1, dtype=np.uint8).reshape(4, 2, 2, 1)
    write_dataset(tmp_path / "d", images, [0, 1, 0, 1], np.array(["train", "train", "test", "val"]), ["a", "b"])
    dataset = load_dataset(tmp_path / "d")
    assert isinstance(dataset.images, np.memmap)
    assert dataset.classes == ["a", "b"]
    test_images, test_index = dataset.split("test")
    np.testing.assert_array_equal(test_images, images[2:3])
    assert test_index["id"].tolist() == [2] and test_index["group"].tolist() == [2]


def test_write_refuses_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        write_dataset(tmp_path, np.zeros((1, 2, 2, 1), np.float32), [0], np.array(["train"]), ["a"])
    with pytest.raises(ValueError, match="unknown split"):
        write_dataset(tmp_path, np.zeros((1, 2, 2, 1), np.uint8), [0], np.array(["dev"]), ["a"])


def test_subsample_is_seeded_and_per_split():
    split = np.array(["train"] * 50 + ["test"] * 20)
    keep = subsample(split, {"train": 10, "test": None}, seed=3)
    assert (split[keep] == "train").sum() == 10 and (split[keep] == "test").sum() == 20
    np.testing.assert_array_equal(keep, subsample(split, {"train": 10, "test": None}, seed=3))
    assert not np.array_equal(keep, subsample(split, {"train": 10, "test": None}, seed=4))


def test_subsample_with_labels_keeps_each_class_share():
    split = np.array(["train"] * 100)
    labels = np.repeat([0, 1, 2], [50, 30, 20])
    keep = subsample(split, {"train": 11}, seed=0, labels=labels)
    # shares 5.5, 3.3, 2.2: floors 5, 3, 2 and the largest remainder (class 0) takes the eleventh
    assert np.bincount(labels[keep]).tolist() == [6, 3, 2] and len(set(keep)) == 11
    np.testing.assert_array_equal(keep, subsample(split, {"train": 11}, seed=0, labels=labels))


def test_prepare_digits_is_reproducible(tmp_path):
    n = prepare_dataset("digits", tmp_path, tmp_path / "a", {}, {"train": 100, "test": 50}, seed=0)
    prepare_dataset("digits", tmp_path, tmp_path / "b", {}, {"train": 100, "test": 50}, seed=0)
    a, b = load_dataset(tmp_path / "a"), load_dataset(tmp_path / "b")
    assert n == 150 and a.images.shape == (150, 8, 8, 1) and a.images.max() > 200
    np.testing.assert_array_equal(a.images, b.images)
    assert a.index.equals(b.index)


def test_prepare_idx_verifies_raw_files(idx_mirror, tmp_path):
    mirror, manifest = idx_mirror
    digests = {Path(name).name: digest for name, digest in read_manifest(manifest).items()}
    n = prepare_dataset("mnist", mirror / "mnist", tmp_path / "out", digests, {}, seed=0)
    assert n == 160
    digests["t10k-images-idx3-ubyte.gz"] = "0" * 64
    with pytest.raises(Exception, match="t10k-images-idx3-ubyte.gz: SHA-256 mismatch"):
        prepare_dataset("mnist", mirror / "mnist", tmp_path / "out2", digests, {}, seed=0)
    assert not (tmp_path / "out2").exists()
