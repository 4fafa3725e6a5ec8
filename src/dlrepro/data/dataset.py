"""The normalised dataset every study reads: a memory-mappable image array plus an index table.

On disk a dataset is a folder holding ``images.npy`` (uint8, N x H x W x C) and
``index.parquet`` (one row per image: ``id``, ``label``, ``split``, ``group``), with the
class names in the Parquet metadata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dlrepro.io import InputError, atomic_output, read_parquet_table, require_columns

SPLITS = ("train", "val", "test")
INDEX_COLUMNS = ("id", "label", "split", "group")


@dataclass
class Dataset:
    images: np.ndarray
    index: pd.DataFrame
    classes: list[str]

    def split(self, name: str) -> tuple[np.ndarray, pd.DataFrame]:
        """Images and index rows of one split (images are read from the map on demand)."""
        mask = (self.index["split"] == name).to_numpy()
        return self.images[mask], self.index[mask].reset_index(drop=True)


def write_dataset(
    folder: str | Path,
    images: np.ndarray,
    labels: np.ndarray,
    split: np.ndarray,
    classes: list[str],
    group: np.ndarray | None = None,
) -> None:
    """Write a dataset folder atomically file by file; ``group`` defaults to one per image."""
    if images.dtype != np.uint8 or images.ndim != 4:
        raise ValueError(f"images must be uint8 N x H x W x C, got {images.dtype} {images.shape}")
    n = len(images)
    if not (len(labels) == len(split) == n):
        raise ValueError(f"{n} images but {len(labels)} labels and {len(split)} split entries")
    unknown = set(np.unique(split)) - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown split names {sorted(unknown)}; expected {SPLITS}")
    folder = Path(folder)
    index = pa.table(
        {
            "id": pa.array(np.arange(n, dtype=np.int64)),
            "label": pa.array(np.asarray(labels, dtype=np.int64)),
            "split": pa.array(np.asarray(split, dtype=str)),
            "group": pa.array(np.arange(n, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)),
        }
    ).replace_schema_metadata({"classes": json.dumps(list(classes))})
    with atomic_output(folder / "images.npy") as tmp:
        with open(tmp, "wb") as handle:
            np.save(handle, np.ascontiguousarray(images))
    with atomic_output(folder / "index.parquet") as tmp:
        pq.write_table(index, tmp)


def load_dataset(folder: str | Path) -> Dataset:
    """Open a dataset folder; the images stay on disk (memory-mapped) until indexed.

    A folder that is not a complete dataset is an :class:`InputError` naming the file at fault.
    """
    folder = Path(folder)
    index_path, images_path = folder / "index.parquet", folder / "images.npy"
    for path in (index_path, images_path):
        if not path.is_file():
            raise InputError(f"{path} is missing: {folder} is not a dataset folder (images.npy + index.parquet); "
                             "write it with the workflow or `dlrepro data prepare`")
    table = read_parquet_table(index_path)
    require_columns(index_path, table.column_names, INDEX_COLUMNS)
    try:
        classes = json.loads((table.schema.metadata or {})[b"classes"])
    except (KeyError, ValueError):
        raise InputError(f"{index_path}: no class names in its metadata; rebuild the dataset") from None
    try:
        images = np.load(images_path, mmap_mode="r")
    except (ValueError, OSError, EOFError) as err:
        raise InputError(f"{images_path}: not a NumPy image array ({err}); rebuild the dataset") from None
    if images.dtype != np.uint8 or images.ndim != 4 or len(images) != table.num_rows:
        raise InputError(f"{images_path} holds {images.dtype} {images.shape} but {index_path} lists "
                         f"{table.num_rows} images of uint8 N x H x W x C; rebuild the dataset")
    return Dataset(images=images, index=table.to_pandas(), classes=classes)


def subsample(split: np.ndarray, limits: dict[str, int | None], seed: int, labels: np.ndarray | None = None) -> np.ndarray:
    """Indices keeping at most ``limits[name]`` random rows of each split, in original order.

    With ``labels``, each class keeps its share of the rows (stratified).
    """
    rng = np.random.default_rng(seed)
    keep = []
    for name in SPLITS:
        rows = np.flatnonzero(split == name)
        limit = limits.get(name)
        if limit is not None and limit < len(rows):
            rows = rng.choice(rows, size=limit, replace=False) if labels is None else (
                stratified_choice(rows, labels[rows], limit, rng))
        keep.append(rows)
    return np.sort(np.concatenate(keep))


def stratified_choice(rows: np.ndarray, labels: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` random ``rows``, each class taking its share of them (rounded by largest remainder)."""
    classes, counts = np.unique(labels, return_counts=True)
    share = counts * size / len(rows)
    take = np.floor(share).astype(int)
    take[np.argsort(take - share, kind="stable")[: size - take.sum()]] += 1
    return np.concatenate([rng.choice(rows[labels == label], n, replace=False) for label, n in zip(classes, take)])
