"""Turn verified raw files (or a built-in dataset) into the normalised dataset format."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dlrepro.data.dataset import subsample, write_dataset
from dlrepro.data.download import verify_file
from dlrepro.data.faces import stand_in_faces
from dlrepro.data.readers import read_cifar10, read_idx_split
from dlrepro.data.sources import SOURCES

BUILTIN = ("digits", "faces")


def load_digits_split(seed: int, test_fraction: float = 0.3):
    """scikit-learn's 8x8 digits (no network needed), scaled to uint8, split reproducibly."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)[..., None]
    labels = digits.target.astype(np.int64)
    train, test = train_test_split(
        np.arange(len(labels)), test_size=test_fraction, random_state=seed, stratify=labels
    )
    split = np.empty(len(labels), dtype=object)
    split[train], split[test] = "train", "test"
    return images, labels, split.astype(str), [str(d) for d in range(10)]


def load_source(source: str, raw_dir: Path, digests: dict[str, str], seed: int, size: int = 28, channels: int = 1):
    """Images, labels, split and class names of ``source``; raw files are re-verified first.

    ``size`` and ``channels`` apply to the generated stand-in faces only.
    """
    if source == "digits":
        return load_digits_split(seed)
    if source == "faces":
        return stand_in_faces(size, channels, seed)
    spec = SOURCES[source]
    for raw in spec.files:
        verify_file(raw_dir / raw.name, digests[raw.name])
    if spec.reader == "idx":
        parts = {
            split: read_idx_split(raw_dir / f"{prefix}-images-idx3-ubyte.gz", raw_dir / f"{prefix}-labels-idx1-ubyte.gz")
            for split, prefix in (("train", "train"), ("test", "t10k"))
        }
    elif spec.reader == "cifar10":
        parts = read_cifar10(raw_dir / spec.files[0].name)
    else:
        raise ValueError(f"no reader {spec.reader!r} for {source}")
    images = np.concatenate([parts[s][0] for s in parts])
    labels = np.concatenate([parts[s][1] for s in parts])
    split = np.concatenate([np.full(len(parts[s][1]), s) for s in parts])
    return images, labels, split, list(spec.classes)


def prepare_dataset(
    source: str,
    raw_dir: str | Path,
    out_dir: str | Path,
    digests: dict[str, str],
    limits: dict[str, int | None],
    seed: int,
    size: int = 28,
    channels: int = 1,
) -> int:
    """Write ``out_dir`` for ``source`` keeping at most ``limits`` rows per split; returns N."""
    images, labels, split, classes = load_source(source, Path(raw_dir), digests, seed, size, channels)
    keep = subsample(split, limits, seed)
    write_dataset(out_dir, images[keep], labels[keep], split[keep], classes)
    return len(keep)
