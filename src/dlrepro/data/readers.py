"""Readers for the official raw formats; each returns uint8 NHWC images and int64 labels."""

from __future__ import annotations

import gzip
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np

IDX_DTYPES = {0x08: np.uint8}


def read_idx(path: str | Path) -> np.ndarray:
    """Read a (gzipped) IDX file, the format of MNIST and Fashion-MNIST."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        header = handle.read(4)
        if len(header) != 4 or header[:2] != b"\x00\x00":
            raise ValueError(f"{path}: not an IDX file (bad magic number {header!r})")
        dtype_code, ndim = header[2], header[3]
        if dtype_code not in IDX_DTYPES:
            raise ValueError(f"{path}: IDX element type 0x{dtype_code:02x} is not supported")
        shape = struct.unpack(f">{ndim}I", handle.read(4 * ndim))
        data = np.frombuffer(handle.read(), dtype=IDX_DTYPES[dtype_code])
    expected = int(np.prod(shape))
    if data.size != expected:
        raise ValueError(f"{path}: truncated IDX file ({data.size} of {expected} values)")
    return data.reshape(shape)


def read_idx_split(images: str | Path, labels: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """One split of an IDX dataset as (N, H, W, 1) uint8 images and int64 labels."""
    x, y = read_idx(images), read_idx(labels)
    if len(x) != len(y):
        raise ValueError(f"{images}: {len(x)} images but {labels} has {len(y)} labels")
    return x[..., None], y.astype(np.int64)


def read_cifar10(archive: str | Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Both splits of the official ``cifar-10-python.tar.gz`` as (N, 32, 32, 3) uint8 arrays."""
    batches = {"train": [f"data_batch_{i}" for i in range(1, 6)], "test": ["test_batch"]}
    found: dict[str, dict] = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if any(name in names for names in batches.values()):
                found[name] = pickle.load(tar.extractfile(member), encoding="bytes")
    splits = {}
    for split, names in batches.items():
        missing = [n for n in names if n not in found]
        if missing:
            raise ValueError(f"{archive}: missing CIFAR-10 batches {missing}")
        data = np.concatenate([found[n][b"data"] for n in names])
        labels = np.concatenate([found[n][b"labels"] for n in names]).astype(np.int64)
        splits[split] = (data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), labels)
    return splits
