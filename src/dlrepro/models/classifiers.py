"""Classical classifiers on feature vectors, built from a config entry.

A config entry is ``{kind: <one of CLASSIFIERS>, scaling: <one of SCALINGS>, <estimator parameter>:
value, ...}``; the result is a scikit-learn Pipeline of the feature scaling and the estimator.
SVMs, k-NN and regularised linear models are sensitive to feature scale, but which scale helps
depends on the features: standardising raw pixels blows up the near-constant border pixels
(on 10,000 real MNIST images k-NN and the RBF SVM lose 2-3 points against pixels left in
[0, 1]), so the default scaling depends on the feature kind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler
from sklearn.svm import SVC, LinearSVC

from dlrepro.models.linear_probe import LinearSVMProbe, LogisticProbe, NystroemSVM
from dlrepro.models.scaling import ClassifierConfigError, resolve_scaling

# kind -> (estimator class, defaults that differ from scikit-learn's)
CLASSIFIERS: dict[str, tuple[type, dict[str, Any]]] = {
    "lda": (LinearDiscriminantAnalysis, {}),
    "logistic_regression": (LogisticRegression, {"max_iter": 1000}),
    "linear_svm": (LinearSVC, {"max_iter": 5000}),
    "rbf_svm": (SVC, {"kernel": "rbf"}),
    "random_forest": (RandomForestClassifier, {}),
    "knn": (KNeighborsClassifier, {}),
    # the same models for 50,000 images of large features: torch (GPU when present), kernel approximation
    "linear_probe": (LogisticProbe, {}),
    "linear_probe_svm": (LinearSVMProbe, {}),
    "nystroem_svm": (NystroemSVM, {}),
}
# scaling (see dlrepro.models.scaling) -> its transformer, fit on the training rows (FunctionTransformer:
# the identity)
SCALERS: dict[str, type] = {"none": FunctionTransformer, "min_max": MinMaxScaler, "standard": StandardScaler}
# kinds whose n_jobs speeds up fit or predict (LogisticRegression's n_jobs is a no-op since 1.8)
PARALLEL = {"random_forest", "knn"}

def estimator_params(config: dict[str, Any]) -> dict[str, Any]:
    """The config's estimator parameters: every key but kind and scaling (recorded with the results)."""
    return {key: value for key, value in config.items() if key not in ("kind", "scaling")}


def build_classifier(config: dict[str, Any], feature_kind: str, seed: int = 0, n_jobs: int = 1) -> Pipeline:
    """The scaling + the estimator of ``config["kind"]`` with the config's other keys as parameters.

    The scaling is ``config["scaling"]``, else the default for ``feature_kind`` (pixels,
    scattering, torchvision). ``random_state`` is set from ``seed`` and ``n_jobs`` is used where
    the estimator gains from them, unless the config sets them itself. Raises
    ClassifierConfigError naming the problem.
    """
    scaling = resolve_scaling(config, feature_kind)
    params = estimator_params(config)
    kind = config.get("kind")
    if kind not in CLASSIFIERS:
        raise ClassifierConfigError(f"unknown classifier kind {kind!r}; expected one of {', '.join(CLASSIFIERS)}")
    estimator_class, defaults = CLASSIFIERS[kind]
    valid = estimator_class().get_params()
    unknown = sorted(set(params) - set(valid))
    if unknown:
        raise ClassifierConfigError(
            f"{kind}: unknown parameter(s) {', '.join(unknown)}; {estimator_class.__name__} accepts "
            f"{', '.join(sorted(valid))}"
        )
    seeded = {"random_state": seed} if "random_state" in valid else {}
    parallel = {"n_jobs": n_jobs} if kind in PARALLEL else {}
    estimator = estimator_class(**(defaults | seeded | parallel | params))
    try:
        # scikit-learn checks values only in fit(); check now so bad config fails before data loads
        estimator._validate_params()
    except (TypeError, ValueError) as err:
        raise ClassifierConfigError(f"{kind}: {err}") from err
    return Pipeline([("scale", SCALERS[scaling]()), ("classifier", estimator)])


def class_scores(model: Pipeline, features: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """N x classes scores in ``model.classes_`` order and their kind, or (None, None) without any.

    Probabilities where the estimator gives them, else decision-function values (SVMs).
    """
    if hasattr(model, "predict_proba"):
        return model.predict_proba(features), "probability"
    if hasattr(model, "decision_function"):
        scores = model.decision_function(features)
        if scores.ndim == 1:  # binary: one margin, positive for classes_[1]
            scores = np.column_stack([-scores, scores])
        return scores, "decision_function"
    return None, None


@dataclass
class FitResult:
    model: Pipeline
    predicted: np.ndarray
    scores: np.ndarray | None
    score_kind: str | None
    fit_time_s: float
    predict_time_s: float


def fit_predict(model: Pipeline, train: np.ndarray, train_labels: np.ndarray, test: np.ndarray) -> FitResult:
    """Fit on the training rows, predict the test rows; time both (wall clock, seconds).

    The predictions are the classes of highest score, so the test rows pass through the model once:
    k-NN and SVMs spend their time there, and predict() would compute the neighbours or kernel again.
    For every estimator here this is what predict() returns, but for SVC, whose predict() votes
    one-vs-one and breaks tied votes by class order where this breaks them by confidence
    (SVC's break_ties).
    """
    start = time.perf_counter()
    model.fit(train, train_labels)
    fitted = time.perf_counter()
    scores, score_kind = class_scores(model, test)
    predicted = model.predict(test) if scores is None else model.classes_[scores.argmax(axis=1)]
    done = time.perf_counter()
    return FitResult(model, predicted, scores, score_kind, fitted - start, done - fitted)
