"""Cut large images (drawings, scans) into square patches, as a normalised dataset.

Each patch keeps its source image as its ``group`` (for leave-one-image-out evaluation) and
its position in ``patches.parquet`` beside the dataset (for heat maps over the image).
Near-uniform patches - paper margins, background - are dropped by a standard-deviation
threshold computed at full bit depth.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dlrepro.data.dataset import SPLITS, write_dataset
from dlrepro.data.images import IMAGE_SUFFIXES, read_image, rescale, to_grayscale, to_uint8
from dlrepro.io import atomic_output
from dlrepro.progress import progress_bar


@dataclass(frozen=True)
class PatchSettings:
    size: int = 224
    stride: int = 112
    grayscale: bool = True
    min_std: float = 0.02
    scale: float = 1.0

    def __post_init__(self):
        if self.size < 1 or self.stride < 1 or self.scale <= 0 or self.min_std < 0:
            raise ValueError(f"size and stride must be >= 1, scale > 0 and min_std >= 0; got {self}")


def load_for_patches(path: Path, settings: PatchSettings) -> np.ndarray:
    image = rescale(read_image(path), settings.scale)
    return to_grayscale(image) if settings.grayscale else image


def patch_grid(image: np.ndarray, settings: PatchSettings) -> tuple[np.ndarray, np.ndarray]:
    """(y, x) of every patch position and a mask of those with std >= ``min_std``.

    Positions start at 0 and step by ``stride``; a border narrower than a patch is not covered.
    One patch row at a time keeps memory at one row of patches.
    """
    height, width = image.shape[:2]
    ys = np.arange(0, height - settings.size + 1, settings.stride)
    xs = np.arange(0, width - settings.size + 1, settings.stride)
    positions = np.array([(y, x) for y in ys for x in xs], dtype=np.int64).reshape(-1, 2)
    keep = np.zeros(len(positions), dtype=bool)
    for row, y in enumerate(ys):
        windows = np.lib.stride_tricks.sliding_window_view(image[y:y + settings.size], (settings.size, settings.size),
                                                           axis=(0, 1))
        stds = windows[0, xs].std(axis=(1, 2, 3))
        keep[row * len(xs):(row + 1) * len(xs)] = stds >= settings.min_std
    return positions, keep


def cut_patches(image: np.ndarray, positions: np.ndarray, size: int) -> np.ndarray:
    """uint8 N x size x size x C patches of ``image`` at ``positions``."""
    patches = np.empty((len(positions), size, size, image.shape[-1]), dtype=np.uint8)
    for i, (y, x) in enumerate(positions):
        patches[i] = to_uint8(image[y:y + size, x:x + size])
    return patches


def image_files(folder: str | Path) -> list[Path]:
    """JPEG, PNG and TIFF files directly in ``folder``, sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def read_labels(path: str | Path, folder: Path) -> pd.DataFrame:
    """The labels table (CSV or TSV: ``file``, ``label``, optional ``split``), checked against ``folder``."""
    path = Path(path)
    table = pd.read_csv(path, sep="\t" if path.suffix.lower() in (".tsv", ".tab") else ",", dtype=str)
    missing_columns = {"file", "label"} - set(table.columns)
    if missing_columns:
        raise ValueError(f"{path}: needs columns 'file' and 'label' (missing {sorted(missing_columns)})")
    absent = [name for name in table["file"] if not (folder / name).is_file()]
    if absent:
        raise ValueError(f"{path}: files not in {folder}: {absent}")
    if "split" not in table:
        table["split"] = "train"
    unknown = set(table["split"]) - set(SPLITS)
    if unknown:
        raise ValueError(f"{path}: unknown split names {sorted(unknown)}; expected {SPLITS}")
    return table


def write_patch_dataset(folder: str | Path, out_dir: str | Path, settings: PatchSettings,
                        labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cut every image of ``folder`` (or of ``labels``) into patches; write the dataset.

    Without a labels table every image gets the one class ``unlabelled`` and split
    ``train``. Group ``g`` is the ``g``-th image in file-name order. Images are read twice
    (count, then cut) so patches stream into a memory map instead of RAM. Returns the
    patch table also written to ``<out_dir>/patches.parquet`` (id, group, file, y, x).
    """
    folder, out_dir = Path(folder), Path(out_dir)
    if labels is None:
        labels = pd.DataFrame({"file": [p.name for p in image_files(folder)], "label": "unlabelled", "split": "train"})
    labels = labels.sort_values("file", kind="stable").reset_index(drop=True)
    if labels.empty:
        raise ValueError(f"{folder}: no JPEG, PNG or TIFF files")
    classes = sorted(labels["label"].unique())
    grids = []
    for name in progress_bar(labels["file"], desc="count patches", unit="image"):
        positions, keep = patch_grid(load_for_patches(folder / name, settings), settings)
        grids.append(positions[keep])
    table = pd.DataFrame({
        "group": np.repeat(np.arange(len(grids)), [len(g) for g in grids]),
        "file": np.repeat(labels["file"].to_numpy(), [len(g) for g in grids]),
        "y": np.concatenate([g[:, 0] for g in grids]),
        "x": np.concatenate([g[:, 1] for g in grids]),
    })
    if table.empty:
        raise ValueError(f"{folder}: every patch is below min_std={settings.min_std}; lower it or the patch size")
    table.insert(0, "id", np.arange(len(table)))
    channels = 1 if settings.grayscale else 3
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".patches.") as scratch:
        images = np.lib.format.open_memmap(Path(scratch) / "images.npy", mode="w+", dtype=np.uint8,
                                           shape=(len(table), settings.size, settings.size, channels))
        start = 0
        cuts = zip(labels["file"], grids)
        for name, positions in progress_bar(cuts, total=len(grids), desc="cut patches", unit="image"):
            image = load_for_patches(folder / name, settings)
            if image.shape[-1] != channels:
                image = np.repeat(image, channels, axis=-1)
            images[start:start + len(positions)] = cut_patches(image, positions, settings.size)
            start += len(positions)
        label_of = {name: classes.index(label) for name, label in zip(labels["file"], labels["label"])}
        split_of = dict(zip(labels["file"], labels["split"]))
        write_dataset(out_dir, images, table["file"].map(label_of).to_numpy(), table["file"].map(split_of).to_numpy(),
                      classes, group=table["group"].to_numpy())
        del images
    with atomic_output(out_dir / "patches.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    return table
