"""S4's generated stand-in paintings: the same bytes from the same seed, and a valid image-folder
archive whose own manifest vouches for it."""

import numpy as np

from dlrepro.data.dataset import load_dataset
from dlrepro.data.folders import FolderSettings, prepare_image_folder
from dlrepro.data.paintings import write_standin_paintings
from dlrepro.io import sha256_file


def test_same_seed_same_archive_other_seed_other_paintings(tmp_path):
    for name, seed in (("a", 0), ("b", 0), ("c", 1)):
        write_standin_paintings(tmp_path / f"{name}.tar", tmp_path / f"{name}.sums", painters=2, paintings=5,
                                size=16, seed=seed)
    assert sha256_file(tmp_path / "a.tar") == sha256_file(tmp_path / "b.tar")
    assert (tmp_path / "a.sums").read_text() != (tmp_path / "c.sums").read_text()


def test_the_image_folder_source_reads_the_archive_against_its_manifest(tmp_path):
    counts = write_standin_paintings(tmp_path / "art.tar", tmp_path / "SUMS", painters=3, paintings=10, size=40)
    assert counts == {"painter no. 1": 10, "painter no. 2": 10, "painter no. 3": 10}
    settings = FolderSettings(size=50, fit="pad", val_fraction=0.2, test_fraction=0.2)
    summary = prepare_image_folder(tmp_path / "art.tar", tmp_path / "ds", tmp_path / "SUMS", settings, {}, 0)
    assert not summary.manifest_written and summary.classes == list(counts)
    assert summary.split_counts == {"train": 18, "val": 6, "test": 6}
    dataset = load_dataset(tmp_path / "ds")
    assert dataset.images.shape == (30, 50, 50, 3)
    # paintings are 3:4 to 4:3, so padding leaves black borders on some of them
    black_top = dataset.images[:, 0].max(axis=(1, 2)) == 0
    black_left = dataset.images[:, :, 0].max(axis=(1, 2)) == 0
    assert black_top.any() and black_left.any()
    # each painter has its own palette: mean colours differ between classes
    means = np.array([dataset.images[dataset.index["label"] == k].mean(axis=(0, 1, 2)) for k in range(3)])
    assert np.abs(means[:, None] - means[None]).max(axis=2)[~np.eye(3, dtype=bool)].min() > 10
