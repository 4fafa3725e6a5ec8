"""Shared fixtures: small real data written in the official formats by the tests themselves."""

from __future__ import annotations

import gzip
import hashlib
import io
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def write_idx_gz(path: Path, array: np.ndarray) -> None:
    """Write ``array`` (uint8) as a gzipped IDX file, the MNIST distribution format."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def write_cifar10_tar(path: Path, n_per_batch: int, rng: np.random.Generator) -> dict:
    """Write a cifar-10-python.tar.gz with the official member names and pickle layout."""
    batches = {f"data_batch_{i}": n_per_batch for i in range(1, 6)} | {"test_batch": n_per_batch}
    content = {}
    with tarfile.open(path, "w:gz") as tar:
        for name, n in batches.items():
            data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
            labels = rng.integers(0, 10, size=n).tolist()
            content[name] = (data, labels)
            blob = pickle.dumps({b"batch_label": name.encode(), b"data": data, b"labels": labels})
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return content


def sha256_bytes(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digit_like_images(rng: np.random.Generator, labels: np.ndarray, size: int = 28) -> np.ndarray:
    """Images whose bright bar position encodes the label, so classifiers can learn them."""
    images = rng.integers(0, 40, size=(len(labels), size, size), dtype=np.uint8)
    for i, label in enumerate(labels):
        row = 2 + int(label) * (size - 4) // 10
        images[i, row : row + 2, 4:-4] = 250
    return images


@pytest.fixture
def idx_mirror(tmp_path: Path) -> tuple[Path, Path]:
    """A mirror folder with a small MNIST in the official idx-gz format, and its SHA256SUMS."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "mirror" / "mnist"
    folder.mkdir(parents=True)
    for prefix, n in (("train", 120), ("t10k", 40)):
        labels = np.arange(n) % 10
        write_idx_gz(folder / f"{prefix}-images-idx3-ubyte.gz", digit_like_images(rng, labels))
        write_idx_gz(folder / f"{prefix}-labels-idx1-ubyte.gz", labels.astype(np.uint8))
    manifest = tmp_path / "mirror" / "SHA256SUMS"
    manifest.write_text(
        "".join(f"{sha256_bytes(p)}  ./mnist/{p.name}\n" for p in sorted(folder.iterdir()))
    )
    return tmp_path / "mirror", manifest


@pytest.fixture(scope="session")
def digits_features(tmp_path_factory) -> tuple[Path, Path]:
    """A feature table of raw digits pixels (300 train, 150 test) and its dataset folder."""
    from sklearn.datasets import load_digits

    from dlrepro.data.dataset import write_dataset
    from dlrepro.features.store import write_features

    folder = tmp_path_factory.mktemp("digits")
    digits = load_digits()
    n_train, n_test = 300, 150
    images = (digits.images[: n_train + n_test] * 15).astype(np.uint8)[..., None]
    labels = digits.target[: n_train + n_test]
    split = np.array(["train"] * n_train + ["test"] * n_test)
    write_dataset(folder / "dataset", images, labels, split, [f"digit {i}" for i in range(10)])
    index = pd.DataFrame({"id": np.arange(len(labels)), "split": split, "label": labels, "group": np.arange(len(labels))})
    features = folder / "pixels.parquet"
    halves = np.array_split(np.arange(len(labels)), 2)  # two row groups, as the extractors write
    write_features(features, ((index.iloc[rows], images[rows].reshape(len(rows), -1)) for rows in halves))
    return features, folder / "dataset"
