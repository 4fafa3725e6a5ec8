import numpy as np
import pandas as pd

from dlrepro.metrics.classification import classification_metrics, predictions_frame, top_k_accuracy


def test_top_k_counts_label_among_highest_scores():
    classes = np.array([3, 5, 7])
    scores = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    labels = np.array([7, 5, 7])
    assert top_k_accuracy(labels, scores, classes, k=1) == 1 / 3
    assert top_k_accuracy(labels, scores, classes, k=2) == 1.0


def test_top5_only_with_more_than_five_classes_and_scores():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 50)
    assert classification_metrics(labels, labels, rng.random((50, 4)), np.arange(4))["top5"] is None
    labels = rng.integers(0, 8, 50)
    assert classification_metrics(labels, labels, None, np.arange(8))["top5"] is None
    metrics = classification_metrics(labels, labels, rng.random((50, 8)), np.arange(8))
    assert 0 < metrics["top5"] < 1 and metrics["accuracy"] == 1.0


def test_confusion_matrix_rows_are_true_classes_including_unseen_ones():
    labels, predicted = np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1])
    metrics = classification_metrics(labels, predicted, None, np.array([0, 1]))
    assert metrics["classes"] == [0, 1, 2]
    assert metrics["confusion_matrix"] == [[1, 1, 0], [0, 1, 0], [0, 1, 0]]
    assert metrics["accuracy"] == 0.5


def test_predictions_frame_has_one_score_column_per_class():
    index = pd.DataFrame({"id": [10, 11], "label": [1, 0]})
    frame = predictions_frame(index, np.array([1, 1]), np.array([[0.2, 0.8], [0.4, 0.6]]), np.array([0, 1]))
    assert list(frame.columns) == ["id", "label", "predicted", "score_0", "score_1"]
    assert list(predictions_frame(index, np.array([1, 1]), None, np.array([0, 1])).columns) == ["id", "label", "predicted"]
