"""Fit and predict time of each classifier kind on one feature matrix (a real table or generated)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlrepro.features.store import read_features
from dlrepro.models.classifiers import build_classifier, fit_predict
from dlrepro.models.scaling import resolve_scaling

# The embedded default's classifiers (config.yaml, s1.classifiers)
BENCH_CLASSIFIERS: dict[str, dict[str, Any]] = {
    "lda": {"kind": "lda"},
    "logreg": {"kind": "logistic_regression", "C": 1.0},
    "linear_svm": {"kind": "linear_svm", "C": 1.0},
    "rbf_svm": {"kind": "rbf_svm", "C": 10.0},
    "random_forest": {"kind": "random_forest", "n_estimators": 200},
    "knn": {"kind": "knn", "n_neighbors": 5},
}


@dataclass
class ClassifierTiming:
    classifier: str
    scaling: str
    n_train: int
    n_test: int
    dim: int
    fit_s: float
    predict_s: float
    accuracy: float


def synthetic_features(n: int, dim: int, n_classes: int = 10, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-like rows in [0, 1]: a random template per class plus noise, a fifth of the features constant 0.

    The constant features stand in for MNIST's empty border, which makes standardisation and
    some solvers misbehave; the labels are learnable but not trivially.
    """
    rng = np.random.default_rng(seed)
    templates = rng.random((n_classes, dim)) * (rng.random(dim) > 0.2)
    labels = np.arange(n) % n_classes
    rows = templates[labels] + rng.normal(0, 0.5, size=(n, dim)) * (templates[labels] > 0)
    return np.clip(rows, 0, 1).astype(np.float32), labels


def benchmark_matrices(features: str | None, n_train: int, n_test: int, dim: int, seed: int = 0):
    """(train, train labels, test, test labels): the first rows of a feature table's splits, or generated."""
    if features is None:
        rows, labels = synthetic_features(n_train + n_test, dim, seed=seed)
        return rows[:n_train], labels[:n_train], rows[n_train:], labels[n_train:]
    train, train_index = read_features(features, "train")
    test, test_index = read_features(features, "test")
    return (train[:n_train], train_index["label"].to_numpy()[:n_train],
            test[:n_test], test_index["label"].to_numpy()[:n_test])


def benchmark_classifier(name: str, settings: dict[str, Any], feature_kind: str, train: np.ndarray,
                         train_labels: np.ndarray, test: np.ndarray, test_labels: np.ndarray, threads: int,
                         seed: int = 0) -> ClassifierTiming:
    """Fit one classifier's settings (e.g. of BENCH_CLASSIFIERS) with its scaling, else ``feature_kind``'s; time it."""
    result = fit_predict(build_classifier(settings, feature_kind, seed, threads), train, train_labels, test)
    return ClassifierTiming(name, resolve_scaling(settings, feature_kind), len(train), len(test), train.shape[1],
                            result.fit_time_s, result.predict_time_s, float((result.predicted == test_labels).mean()))
