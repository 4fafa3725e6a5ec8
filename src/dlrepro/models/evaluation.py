"""One S1 result: a classifier fit on the train rows of a feature table and scored on its test rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlrepro.data.dataset import load_dataset
from dlrepro.features.store import read_features
from dlrepro.io import atomic_output, write_json
from dlrepro.metrics.classification import classification_metrics, predictions_frame
from dlrepro.models.classifiers import build_classifier, estimator_params, fit_predict
from dlrepro.models.scaling import resolve_scaling
from dlrepro.plots.classification import plot_confusion


def evaluate_classifier(
    features: Path, dataset_dir: Path, name: str, settings: dict[str, Any], feature_kind: str,
    seed: int, threads: int, predictions: Path, metrics: Path, figure: Path,
) -> dict[str, Any]:
    """Fit, predict, and write the predictions, the metrics record and the confusion-matrix figure.

    The record names its dataset, extractor, classifier, scaling and figure, so summaries need
    not parse paths. Raises ClassifierConfigError for bad settings (before any data is read)
    and ValueError for a table without train or test rows.
    """
    model = build_classifier(settings, feature_kind, seed, threads)
    train, train_index = read_features(features, "train")
    test, test_index = read_features(features, "test")
    if not len(train) or not len(test):
        raise ValueError(f"{features}: needs train and test rows, has {len(train)} and {len(test)}")
    result = fit_predict(model, train, train_index["label"].to_numpy(), test)
    classes = model.classes_
    scores = classification_metrics(test_index["label"].to_numpy(), result.predicted, result.scores, classes)
    class_names = load_dataset(dataset_dir).classes
    with atomic_output(predictions) as tmp:
        predictions_frame(test_index, result.predicted, result.scores, classes).to_parquet(tmp, index=False)
    record = {
        "dataset": dataset_dir.name, "extractor": features.stem, "classifier": name, "feature_kind": feature_kind,
        "kind": settings["kind"], "scaling": resolve_scaling(settings, feature_kind),
        "params": estimator_params(settings), "seed": seed,
        **scores, "class_names": [class_names[c] for c in scores["classes"]], "score_kind": result.score_kind,
        "fit_time_s": result.fit_time_s, "predict_time_s": result.predict_time_s,
        "n_train": len(train), "n_test": len(test), "n_features": train.shape[1], "figure": str(figure),
    }
    write_json(record, metrics)
    title = f"{name} on {features.stem} features of {dataset_dir.name}: accuracy {scores['accuracy']:.3f}"
    plot_confusion(scores["confusion_matrix"], record["class_names"], figure, title)
    return record
