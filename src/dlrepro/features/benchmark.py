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
    """Best of the repeats: images/s end to end (read, prepare, model, Parquet write) and of the model alone."""

    extractor: str
    device: str
    dim: int
    build_s: float
    full_images_per_s: float
    model_images_per_s: float
    peak_rss_mb: float

    @property
    def ratio(self) -> float:
        """The pipeline's share of the bare model's speed (1.0: no overhead)."""
        return self.full_images_per_s / self.model_images_per_s


def synthetic_dataset(folder: Path, n: int, size: int, channels: int, seed: int = 0) -> Path:
    """Random uint8 images in the normalised dataset format (content does not change the timings)."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, size, size, channels), dtype=np.uint8)
    labels = np.arange(n) % 10
    write_dataset(folder, images, labels, np.full(n, "train"), [str(c) for c in range(10)])
    return folder


def _synchronise(device) -> None:
    if str(device).startswith("cuda"):
        torch.cuda.synchronize(device)


def _seconds(run, device) -> float:
    _synchronise(device)
    start = time.perf_counter()
    run()
    _synchronise(device)
    return time.perf_counter() - start


def benchmark_extractor(
    name: str, dataset_folder: Path, device: str, batch_size: int, repeats: int = 3, seed: int = 0
) -> Throughput:
    """Time one extractor of BENCH_EXTRACTORS over the whole dataset, after one warm-up batch.

    Each repeat runs the pipeline, then the model alone on the same batches prepared beforehand;
    the best time of each counts, so a busy machine's hiccups do not decide the ratio.
    """
    dataset = load_dataset(dataset_folder)
    settings = dict(BENCH_EXTRACTORS[name])
    if settings["kind"] != "pixels":
        settings["image_size"] = dataset.images.shape[1]
    start = time.perf_counter()
    extractor = build_extractor(settings, dataset.images.shape[1:], device, seed)
    build_s = time.perf_counter() - start
    n = len(dataset.index)
    dim = extractor(np.asarray(dataset.images[:batch_size])).shape[1]
    batches = [extractor.prepare(np.asarray(dataset.images[i:i + batch_size])) for i in range(0, n, batch_size)]

    def model_alone():
        for batch in batches:
            extractor.forward(batch)

    full_s, model_s = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "features.parquet"
        for _ in range(repeats):
            full_s.append(_seconds(lambda: write_features(out, feature_batches(dataset, extractor, batch_size,
                                                                               progress=False)), extractor.device))
            model_s.append(_seconds(model_alone, extractor.device))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return Throughput(name, str(extractor.device).split(":")[0], dim, build_s, n / min(full_s), n / min(model_s),
                      peak_mb)
