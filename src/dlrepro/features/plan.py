"""What each S1 job of a config will cost on this machine, before running it.

Feature extraction is timed on a few generated images per extractor; each classifier is fit on a
generated problem of the job's feature dimension with ``calibration`` training images (and test
images in the dataset's proportion), and the time is scaled to the dataset's size by the usual
growth of its solver (``SCALING``). Estimates are for the machine that runs them: run the plan
where the workflow will run (the GPU is used when present).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from dlrepro.features.extract import build_extractor
from dlrepro.models.classifiers import build_classifier, fit_predict

# source -> (training images, test images, image shape H x W x C) of the normalised dataset
DATASET_SIZES = {
    "digits": (1257, 540, (8, 8, 1)),
    "mnist": (60000, 10000, (28, 28, 1)),
    "fashion-mnist": (60000, 10000, (28, 28, 1)),
    "cifar10": (50000, 10000, (32, 32, 3)),
}
# classifier kind -> exponent p: time grows as (training images)^p, test images in proportion (see work).
# Linear in n: one pass per iteration (lda: the n x d^2 covariance); SVC's kernel matrix and k-NN's
# test x train distances are quadratic; trees sort (n log n); dual coordinate descent needs more
# passes as n grows.
SCALING = {
    "lda": 1.0,
    "logistic_regression": 1.0,
    "linear_svm": 1.5,
    "rbf_svm": 2.0,
    "random_forest": 1.2,
    "knn": 2.0,
    "linear_probe": 1.0,
    "linear_probe_svm": 1.0,
    "nystroem_svm": 1.0,
}


def work(settings: Mapping[str, Any], n: int) -> float:
    """How the work of a classifier grows with its training images: n^p, but the Nystroem map
    compares every image with min(n, n_components) of them, so it grows as n^2 up to n_components."""
    if settings["kind"] == "nystroem_svm":
        return n * min(n, settings.get("n_components", 2000))
    return n ** SCALING[settings["kind"]]


@dataclass
class JobEstimate:
    rule: str
    dataset: str
    extractor: str
    classifier: str
    images: int
    dim: int
    seconds: float
    memory_mb: float | None  # None: not estimated (extraction: activations depend on the batch and device)
    runtime_limit_s: float
    memory_limit_mb: float

    @property
    def fits(self) -> bool:
        """Within the runtime and memory the config's ``resources`` give its rule."""
        return self.seconds <= self.runtime_limit_s and (self.memory_mb or 0) <= self.memory_limit_mb


def merge(base: dict, override: Mapping) -> dict:
    """``override`` over ``base``, nested mappings key by key (as snakemake merges --configfile)."""
    merged = dict(base)
    for key, value in override.items():
        nested = isinstance(value, Mapping) and isinstance(merged.get(key), dict)
        merged[key] = merge(merged[key], value) if nested else value
    return merged


def load_config(paths: Iterable[str | Path]) -> dict:
    config: dict = {}
    for path in paths:
        config = merge(config, yaml.safe_load(Path(path).read_text()) or {})
    return config


def dataset_size(config: Mapping, name: str) -> tuple[int, int, tuple[int, int, int]]:
    entry = config["datasets"][name]
    if entry["source"] not in DATASET_SIZES:
        raise ValueError(f"datasets.{name}: the plan knows the sizes of {', '.join(DATASET_SIZES)}, "
                         f"not of source {entry['source']!r}")
    train, test, shape = DATASET_SIZES[entry["source"]]
    return min(train, entry.get("max_train") or train), min(test, entry.get("max_test") or test), shape


def extractor_cost(settings: Mapping[str, Any], shape: tuple[int, int, int], device: str, probe: int = 8
                   ) -> tuple[int, float]:
    """(feature dimension, seconds per image) of one extractor, after a warm-up image.

    CNNs are timed with random weights: the same cost, and no download.
    """
    timed = dict(settings) | ({"weights": "random"} if settings["kind"] == "torchvision" else {})
    extractor = build_extractor(timed, shape, device)
    images = np.random.default_rng(0).integers(0, 256, size=(probe, *shape), dtype=np.uint8)
    dim = extractor(images[:1]).shape[1]
    start = time.perf_counter()
    extractor(images)
    return dim, (time.perf_counter() - start) / probe


def _fit_seconds(settings: Mapping[str, Any], dim: int, n: int, m: int) -> float:
    rng = np.random.default_rng(0)
    labels = np.arange(n + m) % 10
    # ten overlapping classes, so that solvers work about as hard as on real features
    features = (rng.normal(scale=3.0, size=(n + m, dim)) + rng.normal(size=(10, dim))[labels]).astype(np.float32)
    # timed with standardised inputs (the torchvision default); the scaling step itself costs next to nothing
    result = fit_predict(build_classifier(dict(settings), "torchvision"), features[:n], labels[:n], features[n:])
    return result.fit_time_s + result.predict_time_s


def classifier_cost(settings: Mapping[str, Any], dim: int, train: int, test: int, calibration: int) -> float:
    """Seconds to fit and predict ``settings`` on ``train`` + ``test`` images of ``dim`` features.

    Timed on ``calibration`` and half as many training images (test images in proportion), so
    that a fixed cost (threads, set-up) is told from the part that grows as n^p.
    """
    n = min(train, calibration)
    half = max(10, n // 2)
    _fit_seconds(settings, dim, 20, 10)  # warm-up: imports (torch for the probes) are no part of the cost
    full_s = _fit_seconds(settings, dim, n, max(1, round(n * test / train)))
    half_s = _fit_seconds(settings, dim, half, max(1, round(half * test / train)))
    shrink = work(settings, half) / work(settings, n)
    growing = (full_s - half_s) / (1 - shrink) if shrink < 1 and full_s > half_s else full_s
    return full_s - growing + growing * work(settings, train) / work(settings, n)


def rule_limits(config: Mapping, rule: str) -> tuple[float, float]:
    """(runtime in seconds, memory in MB) the config's ``resources`` give ``rule``."""
    resources = config.get("resources", {})
    limits = resources.get("default", {}) | resources.get(rule, {})
    return 60.0 * limits.get("runtime", float("inf")), float(limits.get("mem_mb", float("inf")))


def plan_s1(config: Mapping, device: str = "auto", calibration: int = 1000) -> list[JobEstimate]:
    """One estimate per extract_features and s1_fit_classifier job of the config's S1 section."""
    s1 = config["s1"]
    jobs, extractor_costs = [], {}
    extract_limits, fit_limits = rule_limits(config, "extract_features"), rule_limits(config, "s1_fit_classifier")
    for dataset in s1["datasets"]:
        train, test, shape = dataset_size(config, dataset)
        for name, settings in s1["extractors"].items():
            if (name, shape) not in extractor_costs:
                extractor_costs[name, shape] = extractor_cost(settings, shape, device)
            dim, per_image = extractor_costs[name, shape]
            jobs.append(JobEstimate("extract_features", dataset, name, "", train + test, dim,
                                    per_image * (train + test), None, *extract_limits))
            for classifier, classifier_settings in s1["classifiers"].items():
                seconds = classifier_cost(classifier_settings, dim, train, test, calibration)
                # float32 table + the float64 copy the scaler makes
                memory_mb = 12 * (train + test) * dim / 1e6
                jobs.append(JobEstimate("s1_fit_classifier", dataset, name, classifier, train + test, dim, seconds,
                                        memory_mb, *fit_limits))
    return jobs
