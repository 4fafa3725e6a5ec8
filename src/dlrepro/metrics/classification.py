"""Classification metrics: accuracy, top-k accuracy from class scores, confusion matrix."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix

TOP_K = 5


def top_k_accuracy(labels: np.ndarray, scores: np.ndarray, classes: np.ndarray, k: int = TOP_K) -> float:
    """Fraction of rows whose true label is among the ``k`` highest-scoring ``classes``."""
    best = np.asarray(classes)[np.argsort(-scores, axis=1, kind="stable")[:, :k]]
    return float((best == np.asarray(labels)[:, None]).any(axis=1).mean())


def classification_metrics(
    labels: np.ndarray, predicted: np.ndarray, scores: np.ndarray | None, classes: np.ndarray
) -> dict[str, Any]:
    """Accuracy, top-5 accuracy and the confusion matrix (rows: true class, columns: predicted).

    ``classes`` are the labels the scores' columns refer to. Top-5 is reported only with more
    than 5 classes (it is trivially 1 otherwise) and is None when there are no scores.
    """
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    all_classes = np.union1d(classes, labels)
    top5 = None
    if scores is not None and len(all_classes) > TOP_K:
        top5 = top_k_accuracy(labels, scores, classes)
    return {
        "accuracy": float((labels == predicted).mean()),
        "top5": top5,
        "classes": all_classes.tolist(),
        "confusion_matrix": confusion_matrix(labels, predicted, labels=all_classes).tolist(),
    }


def predictions_frame(
    index: pd.DataFrame, predicted: np.ndarray, scores: np.ndarray | None, classes: np.ndarray
) -> pd.DataFrame:
    """One row per test image: id, label, predicted, and ``score_<class>`` columns when scores exist."""
    frame = pd.DataFrame({"id": index["id"].to_numpy(), "label": index["label"].to_numpy(), "predicted": predicted})
    if scores is not None:
        for column, label in enumerate(classes):
            frame[f"score_{label}"] = scores[:, column].astype(np.float32)
    return frame
