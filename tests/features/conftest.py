"""A tiny normalised dataset (digit-like images) shared by the feature tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dlrepro.data.dataset import load_dataset, write_dataset
from tests.conftest import digit_like_images


def make_dataset(folder: Path, n: int = 10, size: int = 16, channels: int = 1) -> Path:
    rng = np.random.default_rng(0)
    labels = np.arange(n) % 3
    images = np.stack([digit_like_images(rng, labels, size) for _ in range(channels)], axis=-1)
    split = np.where(np.arange(n) % 4 == 0, "test", "train")
    write_dataset(folder, images, labels, split, ["a", "b", "c"], group=np.arange(n) // 2)
    return folder


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """10 grayscale 16x16 images, 3 classes, train/test split, groups of two."""
    return make_dataset(tmp_path / "dataset")


@pytest.fixture
def images(dataset_dir: Path) -> np.ndarray:
    return np.asarray(load_dataset(dataset_dir).images)
