"""Patch datasets: positions, background filter, groups, labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dlrepro.data.dataset import load_dataset
from dlrepro.data.images import ImageReadError
from dlrepro.data.patches import PatchSettings, patch_grid, read_labels, write_patch_dataset


def drawing(height: int, width: int, ink: list[tuple[int, int]], dtype=np.uint8) -> np.ndarray:
    """Blank paper with a textured 8 x 8 ink square at each (y, x)."""
    top = np.iinfo(dtype).max
    pixels = np.full((height, width), top * 0.9, dtype=dtype)
    checker = (np.indices((8, 8)).sum(axis=0) % 2 * top * 0.6).astype(dtype)
    for y, x in ink:
        pixels[y:y + 8, x:x + 8] = checker
    return pixels


def test_grid_positions_and_background_filter():
    image = drawing(24, 32, [(0, 8)]).astype(np.float32)[..., None] / 255
    positions, keep = patch_grid(image, PatchSettings(size=8, stride=8, min_std=0.05))
    assert positions.tolist() == [[y, x] for y in (0, 8, 16) for x in (0, 8, 16, 24)]
    assert positions[keep].tolist() == [[0, 8]]


@pytest.fixture
def folder(tmp_path):
    images = tmp_path / "drawings"
    images.mkdir()
    Image.fromarray(drawing(16, 24, [(0, 0), (8, 16)])).save(images / "a one.png")
    Image.fromarray(drawing(16, 16, [(8, 8)], dtype=np.uint16)).save(images / "b.tif")
    rgb = np.stack([drawing(8, 16, [(0, 8)])] * 3, axis=-1)
    Image.fromarray(rgb).save(images / "c.jpg", quality=100)
    (images / "notes.txt").write_text("not an image")
    return images


def test_dataset_groups_positions_and_labels(folder, tmp_path):
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"file": ["b.tif", "a one.png", "c.jpg"], "label": ["Raphael", "Not Raphael", "Raphael"],
                  "split": ["train", "train", "test"]}).to_csv(labels, index=False)
    table = write_patch_dataset(folder, tmp_path / "out", PatchSettings(size=8, stride=8, min_std=0.05),
                                read_labels(labels, folder))
    dataset = load_dataset(tmp_path / "out")
    assert dataset.classes == ["Not Raphael", "Raphael"]
    assert table[["group", "file", "y", "x"]].values.tolist() == [
        [0, "a one.png", 0, 0], [0, "a one.png", 8, 16], [1, "b.tif", 8, 8], [2, "c.jpg", 0, 8]]
    assert dataset.index["group"].tolist() == [0, 0, 1, 2]
    assert dataset.index["label"].tolist() == [0, 0, 1, 1]
    assert dataset.index["split"].tolist() == ["train", "train", "train", "test"]
    assert dataset.images.shape == (4, 8, 8, 1)
    # the 16-bit drawing's ink spans 0..0.6 of full scale: 0..153 in uint8, not clipped to 255
    assert dataset.images[2].min() == 0 and dataset.images[2].max() == 153
    assert pd.read_parquet(tmp_path / "out" / "patches.parquet")["id"].tolist() == [0, 1, 2, 3]


def test_without_labels_every_image_counts_in_colour(folder, tmp_path):
    write_patch_dataset(folder, tmp_path / "out", PatchSettings(size=8, stride=4, grayscale=False, min_std=0.05))
    dataset = load_dataset(tmp_path / "out")
    assert dataset.classes == ["unlabelled"] and dataset.images.shape[-1] == 3
    assert sorted(set(dataset.index["group"])) == [0, 1, 2]


def test_corrupt_image_is_named(folder, tmp_path):
    (folder / "d broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    with pytest.raises(ImageReadError, match="d broken.jpg"):
        write_patch_dataset(folder, tmp_path / "out", PatchSettings(size=8, stride=8))
    assert not (tmp_path / "out" / "images.npy").exists()


def test_labels_naming_absent_files_fail(folder, tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text("file\tlabel\nmissing.tif\tRaphael\n")
    with pytest.raises(ValueError, match="missing.tif"):
        read_labels(labels, folder)
