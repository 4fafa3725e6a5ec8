"""Run an extractor over a normalised dataset and stream the features into the Parquet store.

torch, kymatio and torchvision are imported only by the kinds that need them: a pixel job
starts in a second and stays small.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlrepro.data.dataset import Dataset, load_dataset
from dlrepro.features.pixels import PixelsExtractor, pixels_extractor
from dlrepro.features.settings import resolve_settings
from dlrepro.features.store import INDEX_COLUMNS, write_features
from dlrepro.progress import progress_bar

if TYPE_CHECKING:
    from dlrepro.features.extractor import Extractor


def build_extractor(
    settings: Mapping[str, Any],
    image_shape: tuple[int, int, int],
    device: str = "auto",
    seed: int = 0,
    threads: int | None = None,
) -> Extractor | PixelsExtractor:
    """The extractor a config entry describes (``kind`` + that kind's settings), for H x W x C images.

    ``threads`` caps torch's CPU threads (default: all cores); pixels use neither torch nor ``device``.
    """
    resolved = resolve_settings(settings)
    kind = resolved.pop("kind")
    if kind == "pixels":
        return pixels_extractor()
    import torch

    from dlrepro.device import resolve_device

    if threads:
        torch.set_num_threads(threads)
    target = resolve_device(device)
    if kind == "scattering":
        from dlrepro.features.scattering import scattering_extractor

        return scattering_extractor(**resolved, image_shape=image_shape, device=target)
    from dlrepro.features.cnn import cnn_extractor

    return cnn_extractor(**resolved, device=target, seed=seed)


def feature_batches(
    dataset: Dataset, extractor: Extractor | PixelsExtractor, batch_size: int, progress: bool = True
) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """(index rows, features) per batch in dataset order; images are read from the map batch by batch."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    n = len(dataset.index)
    with progress_bar(total=n, unit="img", desc="features", disable=not progress) as bar:
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            index = dataset.index.iloc[start:stop][list(INDEX_COLUMNS)]
            yield index, extractor(np.asarray(dataset.images[start:stop]))
            bar.update(stop - start)


def extract_features(
    dataset_folder: str | Path,
    settings: Mapping[str, Any],
    out_path: str | Path,
    batch_size: int = 256,
    device: str = "auto",
    seed: int = 0,
    threads: int | None = None,
) -> int:
    """Write the features of every image of ``dataset_folder`` to ``out_path``, one row group per batch.

    Returns the number of rows. Memory stays bounded by one batch of images and features.
    """
    dataset = load_dataset(dataset_folder)
    extractor = build_extractor(settings, dataset.images.shape[1:], device, seed, threads)
    return write_features(out_path, feature_batches(dataset, extractor, batch_size))
