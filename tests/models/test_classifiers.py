import numpy as np
import pytest

from dlrepro.features.settings import KINDS
from dlrepro.features.store import read_features
from dlrepro.metrics.classification import classification_metrics
from dlrepro.models.classifiers import CLASSIFIERS, ClassifierConfigError, build_classifier, fit_predict
from dlrepro.models.scaling import DEFAULT_SCALING, resolve_scaling

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


def test_every_feature_kind_has_a_default_scaling():
    assert set(DEFAULT_SCALING) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(SETTINGS))
def test_each_kind_learns_digits_pixels(digits_split, kind):
    train, train_labels, test, test_labels = digits_split
    result = fit_predict(build_classifier(SETTINGS[kind], "pixels", seed=0), train, train_labels, test)
    metrics = classification_metrics(test_labels, result.predicted, result.scores, result.model.classes_)
    assert metrics["accuracy"] > 0.8, metrics["accuracy"]
    assert metrics["top5"] is not None and metrics["top5"] >= metrics["accuracy"]
    matrix = np.array(metrics["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == len(test)
    assert np.trace(matrix) == round(metrics["accuracy"] * len(test))
    assert result.scores.shape == (len(test), 10)
    assert result.fit_time_s > 0 and result.predict_time_s > 0


@pytest.mark.parametrize("kind", sorted(set(SETTINGS) - {"rbf_svm"}))
def test_predictions_from_the_scores_are_what_predict_returns(digits_split, kind):
    # the test rows pass through the model once (scores); SVC alone votes one-vs-one in predict()
    train, train_labels, test, _ = digits_split
    settings = SETTINGS[kind] | ({"weights": "distance", "p": 1} if kind == "knn" else {})
    result = fit_predict(build_classifier(settings, "pixels", seed=0), train, train_labels, test)
    assert np.array_equal(result.predicted, result.model.predict(test))


def test_svm_predictions_break_tied_votes_by_confidence(digits_split):
    train, train_labels, test, _ = digits_split
    result = fit_predict(build_classifier(SETTINGS["rbf_svm"], "pixels", seed=0), train, train_labels, test)
    result.model[-1].set_params(break_ties=True)
    assert np.array_equal(result.predicted, result.model.predict(test))


def test_seed_makes_random_forest_repeatable(digits_split):
    train, train_labels, test, _ = digits_split
    runs = [fit_predict(build_classifier(SETTINGS["random_forest"], "pixels", seed=7), train, train_labels, test) for _ in range(2)]
    assert np.array_equal(runs[0].scores, runs[1].scores)
    assert build_classifier(SETTINGS["random_forest"], "pixels", seed=7)[-1].random_state == 7


def test_pipeline_scales_before_the_estimator():
    model = build_classifier({"kind": "knn", "n_neighbors": 3}, "torchvision")
    assert [name for name, _ in model.steps] == ["scale", "classifier"]
    assert model[-1].n_neighbors == 3


@pytest.mark.parametrize(
    "settings, feature_kind, scaling",
    [
        ({"kind": "knn"}, "pixels", "none"),
        ({"kind": "knn"}, "scattering", "min_max"),
        ({"kind": "knn"}, "torchvision", "standard"),
        ({"kind": "knn", "scaling": "min_max"}, "pixels", "min_max"),
        ({"kind": "knn", "scaling": "standard"}, "pixels", "standard"),
        ({"kind": "knn", "scaling": "none"}, "torchvision", "none"),
    ],
)
def test_scaling_defaults_per_feature_kind_and_the_setting_wins(settings, feature_kind, scaling):
    assert resolve_scaling(settings, feature_kind) == scaling


def test_scalings_transform_the_training_features_as_named():
    features = np.array([[0.0, 0.5], [0.0, 1.0], [0.2, 0.0]])
    labels = np.array([0, 1, 1])
    transformed = {
        scaling: build_classifier({"kind": "knn", "n_neighbors": 1, "scaling": scaling}, "pixels")
        .fit(features, labels)[0].transform(features)
        for scaling in ("none", "min_max", "standard")
    }
    assert np.array_equal(transformed["none"], features)
    assert np.allclose(transformed["min_max"], [[0, 0.5], [0, 1], [1, 0]])
    assert np.allclose(transformed["standard"].mean(axis=0), 0) and np.allclose(transformed["standard"].std(axis=0), 1)


def test_standardising_pixels_blows_up_near_constant_border_pixels():
    # one pixel lit in one image of many: standardised it dominates every distance, in [0, 1] it does not
    features = np.zeros((100, 2))
    features[0, 0] = 0.01
    features[:, 1] = np.linspace(0, 1, 100)
    scaled = build_classifier({"kind": "knn", "scaling": "standard"}, "pixels").fit(features, np.arange(100) % 2)
    assert np.abs(scaled[0].transform(features)[:, 0]).max() > 9
    assert np.abs(build_classifier({"kind": "knn"}, "pixels").fit(features, np.arange(100) % 2)[0]
                  .transform(features)[:, 0]).max() == 0.01


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"kind": "xgboost"}, "unknown classifier kind 'xgboost'; expected one of lda, logistic_regression"),
        ({"C": 1.0}, "unknown classifier kind None"),
        ({"kind": "knn", "k": 5}, "knn: unknown parameter(s) k; KNeighborsClassifier accepts"),
        ({"kind": "rbf_svm", "C": -1.0}, "rbf_svm: The 'C' parameter of SVC must be"),
        ({"kind": "random_forest", "n_estimators": "many"}, "'n_estimators' parameter of RandomForestClassifier"),
        ({"kind": "knn", "scaling": "unit"}, "unknown scaling 'unit'; expected one of none, min_max, standard"),
    ],
)
def test_bad_config_is_one_clear_error(settings, message):
    with pytest.raises(ClassifierConfigError) as err:
        build_classifier(settings, "pixels")
    assert message in str(err.value)


def test_unknown_feature_kind_is_one_clear_error():
    with pytest.raises(ClassifierConfigError, match="unknown feature kind 'hog'; expected one of pixels, scattering"):
        build_classifier({"kind": "knn"}, "hog")
