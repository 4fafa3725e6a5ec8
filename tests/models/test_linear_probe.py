"""The torch linear probes minimise scikit-learn's objectives; the Nystroem SVM approximates SVC."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from dlrepro.models.linear_probe import LinearSVMProbe, LogisticProbe, NystroemSVM


@pytest.fixture(scope="module")
def digits():
    images, labels = load_digits(return_X_y=True)
    features = StandardScaler().fit_transform(images[:1000])
    return features[:700], labels[:700], features[700:], labels[700:1000]


def test_logistic_probe_finds_logistic_regressions_minimiser(digits):
    train, train_labels, test, _ = digits
    probe = LogisticProbe(C=0.1, max_iter=500, device="cpu").fit(train, train_labels)
    reference = LogisticRegression(C=0.1, max_iter=5000, tol=1e-8).fit(train, train_labels)
    # softmax weights are defined up to a constant per feature: compare them centred over classes
    centred = [w - w.mean(axis=0) for w in (probe.coef_, reference.coef_)]
    np.testing.assert_allclose(*centred, atol=2e-3)
    np.testing.assert_allclose(probe.predict_proba(test), reference.predict_proba(test), atol=2e-3)


def svm_objective(coef, intercept, features, labels, C):
    signs = np.where(labels[:, None] == np.arange(coef.shape[0]), 1.0, -1.0)
    hinges = np.maximum(0.0, 1.0 - signs * (features @ coef.T + intercept))
    return 0.5 * np.square(coef).sum() + C * np.square(hinges).sum()


def test_svm_probe_minimises_linear_svcs_objective(digits):
    train, train_labels, test, test_labels = digits
    probe = LinearSVMProbe(C=0.1, max_iter=500, device="cpu").fit(train, train_labels)
    reference = LinearSVC(C=0.1, max_iter=20000, tol=1e-6).fit(train, train_labels)
    assert not hasattr(probe, "predict_proba")
    # LinearSVC also shrinks its intercept, so its solution is one candidate of the probe's objective
    ours = svm_objective(probe.coef_, probe.intercept_, train, train_labels, 0.1)
    assert ours <= svm_objective(reference.coef_, reference.intercept_, train, train_labels, 0.1) * (1 + 1e-4)
    assert (probe.predict(test) == test_labels).mean() > 0.85


def test_nystroem_svm_approaches_the_exact_rbf_svm(digits):
    train, train_labels, test, test_labels = digits
    approximate = NystroemSVM(C=10.0, n_components=500, device="cpu", random_state=0).fit(train, train_labels)
    exact = SVC(C=10.0).fit(train, train_labels)
    assert abs((approximate.predict(test) == test_labels).mean() - exact.score(test, test_labels)) < 0.03
    repeat = NystroemSVM(C=10.0, n_components=500, device="cpu", random_state=0).fit(train, train_labels)
    np.testing.assert_array_equal(approximate.decision_function(test), repeat.decision_function(test))
