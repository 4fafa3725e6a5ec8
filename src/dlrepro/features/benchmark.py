"""Throughput of each extractor end to end (preprocessing + model + Parquet write) and of its model alone."""

from __future__ import annotations

import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from dlrepro.data.dataset import load_dataset, write_dataset
from dlrepro.features.extract import build_extractor, feature_batches
from dlrepro.features.store import write_features

# Settings benchmarked by default; image_size is set from the benchmark's own option.
BENCH_EXTRACTORS = {
    "pixels": {"kind": "pixels"},
    "scattering": {"kind": "scattering", "J": 2, "L": 8, "max_order": 2},
    "resnet18": {"kind": "torchvision", "arch": "resnet18", "weights": "random"},
    "vgg19": {"kind": "torchvision", "arch": "vgg19", "weights": "random"},
    "alexnet": {"kind": "torchvision", "arch": "alexnet", "weights": "random"},
}


@dataclass
class Throughput:
    extractor: str
    device: str
    dim: int
    build_s: float
    full_images_per_s: float
    model_images_per_s: float
    peak_rss_mb: float


def synthetic_dataset(folder: Path, n: int, size: int, channels: int, seed: int = 0) -> Path:
    """Random uint8 images in the normalised dataset format (content does not change the timings)."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, size, size, channels), dtype=np.uint8)
    labels = np.arange(n) % 10
    write_dataset(folder, images, labels, np.full(n, "train"), [str(c) for c in range(10)])
    return folder


def _synchronise(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def benchmark_extractor(name: str, dataset_folder: Path, device: str, batch_size: int, seed: int = 0) -> Throughput:
    """Time one extractor of BENCH_EXTRACTORS over the whole dataset, after one warm-up batch."""
    dataset = load_dataset(dataset_folder)
    settings = dict(BENCH_EXTRACTORS[name])
    if settings["kind"] != "pixels":
        settings["image_size"] = dataset.images.shape[1]
    start = time.perf_counter()
    extractor = build_extractor(settings, dataset.images.shape[1:], device, seed)
    build_s = time.perf_counter() - start
    first = np.asarray(dataset.images[:batch_size])
    dim = extractor(first).shape[1]
    n = len(dataset.index)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_features(Path(tmp) / "features.parquet", feature_batches(dataset, extractor, batch_size, progress=False))
        full = n / (time.perf_counter() - start)
    batch = extractor.prepare(first)
    repeats = max(1, n // len(first))
    _synchronise(extractor.device)
    start = time.perf_counter()
    for _ in range(repeats):
        extractor.forward(batch)
    _synchronise(extractor.device)
    model = repeats * len(first) / (time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return Throughput(name, extractor.device.type, dim, build_s, full, model, peak_mb)
