import numpy as np
import pytest

from dlrepro.features.store import read_features
from dlrepro.metrics.classification import classification_metrics
from dlrepro.models.classifiers import CLASSIFIERS, ClassifierConfigError, build_classifier, fit_predict

SETTINGS = {
    "lda": {"kind": "lda"},
    "logistic_regression": {"kind": "logistic_regression", "C": 1.0},
    "linear_svm": {"kind": "linear_svm", "C": 1.0},
    "rbf_svm": {"kind": "rbf_svm", "C": 10.0},
    "random_forest": {"kind": "random_forest", "n_estimators": 50},
    "knn": {"kind": "knn", "n_neighbors": 5},
    "linear_probe": {"kind": "linear_probe", "C": 1.0, "device": "cpu"},
    "linear_probe_svm": {"kind": "linear_probe_svm", "C": 1.0, "device": "cpu"},
    "nystroem_svm": {"kind": "nystroem_svm", "C": 10.0, "n_components": 300, "device": "cpu"},
}


@pytest.fixture(scope="module")
def digits_split(digits_features):
    path, _ = digits_features
    train, train_index = read_features(path, "train")
    test, test_index = read_features(path, "test")
    return train, train_index["label"].to_numpy(), test, test_index["label"].to_numpy()


def test_every_kind_has_settings_here():
    assert set(SETTINGS) == set(CLASSIFIERS)


@pytest.mark.parametrize("kind", sorted(SETTINGS))
def test_each_kind_learns_digits_pixels(digits_split, kind):
    train, train_labels, test, test_labels = digits_split
    result = fit_predict(build_classifier(SETTINGS[kind], seed=0), train, train_labels, test)
    metrics = classification_metrics(test_labels, result.predicted, result.scores, result.model.classes_)
    assert metrics["accuracy"] > 0.8, metrics["accuracy"]
    assert metrics["top5"] is not None and metrics["top5"] >= metrics["accuracy"]
    matrix = np.array(metrics["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == len(test)
    assert np.trace(matrix) == round(metrics["accuracy"] * len(test))
    assert result.scores.shape == (len(test), 10)
    assert result.fit_time_s > 0 and result.predict_time_s > 0


def test_seed_makes_random_forest_repeatable(digits_split):
    train, train_labels, test, _ = digits_split
    runs = [fit_predict(build_classifier(SETTINGS["random_forest"], seed=7), train, train_labels, test) for _ in range(2)]
    assert np.array_equal(runs[0].scores, runs[1].scores)
    assert build_classifier(SETTINGS["random_forest"], seed=7)[-1].random_state == 7


def test_pipeline_standardises_before_the_estimator():
    model = build_classifier({"kind": "knn", "n_neighbors": 3})
    assert [name for name, _ in model.steps] == ["scale", "classifier"]
    assert model[-1].n_neighbors == 3


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"kind": "xgboost"}, "unknown classifier kind 'xgboost'; expected one of lda, logistic_regression"),
        ({"C": 1.0}, "unknown classifier kind None"),
        ({"kind": "knn", "k": 5}, "knn: unknown parameter(s) k; KNeighborsClassifier accepts"),
        ({"kind": "rbf_svm", "C": -1.0}, "rbf_svm: The 'C' parameter of SVC must be"),
        ({"kind": "random_forest", "n_estimators": "many"}, "'n_estimators' parameter of RandomForestClassifier"),
    ],
)
def test_bad_config_is_one_clear_error(settings, message):
    with pytest.raises(ClassifierConfigError) as err:
        build_classifier(settings)
    assert message in str(err.value)
