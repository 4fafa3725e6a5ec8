"""Classifiers that scale to 50,000 images of 10,000+ features: linear probes trained with torch
(on the GPU when there is one) and an RBF SVM through a Nystroem kernel approximation.

scikit-learn's LogisticRegression, LinearSVC and SVC fit on one CPU core and, for SVC, in time
quadratic in the images. The probes minimise the same objectives with the same ``C``; the Nystroem
SVM approximates SVC's kernel (the closer, the more components). They are scikit-learn estimators,
so they sit in the same Pipeline as the others.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.kernel_approximation import Nystroem
from sklearn.utils._param_validation import Interval, StrOptions


class LinearProbe(ClassifierMixin, BaseEstimator):
    """A linear classifier minimising ``||w||^2 / 2 + C * sum of per-image losses``, by full-batch
    L-BFGS in torch from zero weights (deterministic); subclasses name the loss.

    Parameters
    ----------
    C: inverse regularisation strength, as in scikit-learn (the intercept is not regularised).
    max_iter: L-BFGS iterations.
    device: auto (CUDA when present), cpu or cuda.
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "device": [StrOptions({"auto", "cpu", "cuda"})],
    }

    def __init__(self, C: float = 1.0, max_iter: int = 200, device: str = "auto"):
        self.C = C
        self.max_iter = max_iter
        self.device = device

    def _loss(self, scores, targets):
        """Mean loss over the images of N x classes ``scores`` against class codes ``targets``."""
        raise NotImplementedError

    def fit(self, X: np.ndarray, y: np.ndarray) -> LinearProbe:
        import torch

        from dlrepro.device import resolve_device

        self._validate_params()
        self.classes_, codes = np.unique(y, return_inverse=True)
        device = resolve_device(self.device)
        features = torch.as_tensor(np.asarray(X, dtype=np.float32), device=device)
        targets = torch.as_tensor(codes, device=device)
        weight = torch.zeros(features.shape[1], len(self.classes_), device=device, requires_grad=True)
        bias = torch.zeros(len(self.classes_), device=device, requires_grad=True)
        # the objective divided by C * n: the same minimiser, with a loss of order one for L-BFGS
        penalty = 1.0 / (2.0 * self.C * len(features))
        optimizer = torch.optim.LBFGS([weight, bias], max_iter=self.max_iter, history_size=20,
                                      line_search_fn="strong_wolfe", tolerance_grad=1e-6, tolerance_change=1e-9)

        def objective():
            optimizer.zero_grad()
            loss = self._loss(features @ weight + bias, targets) + penalty * weight.square().sum()
            loss.backward()
            return loss

        optimizer.step(objective)
        self.coef_ = weight.detach().T.cpu().numpy()
        self.intercept_ = bias.detach().cpu().numpy()
        self.n_iter_ = optimizer.state[weight]["n_iter"]
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float32) @ self.coef_.T + self.intercept_

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]


class LogisticProbe(LinearProbe):
    """Multinomial logistic regression (LogisticRegression's objective): cross-entropy, probabilities."""

    def _loss(self, scores, targets):
        import torch.nn.functional as F

        return F.cross_entropy(scores, targets)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        scores = self.decision_function(X)
        probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
        return probabilities / probabilities.sum(axis=1, keepdims=True)


class LinearSVMProbe(LinearProbe):
    """One-vs-rest linear SVM with the squared hinge (LinearSVC's default objective; smooth, so
    L-BFGS applies). No probabilities: scores are margins, as LinearSVC's."""

    def _loss(self, scores, targets):
        import torch.nn.functional as F

        signs = 2.0 * F.one_hot(targets, scores.shape[1]).to(scores.dtype) - 1.0
        return (1.0 - signs * scores).clamp_min(0.0).square().sum(dim=1).mean()


class NystroemSVM(ClassifierMixin, BaseEstimator):
    """RBF-kernel SVM approximated: ``n_components`` Nystroem features (the kernel against that many
    training images drawn with ``random_state``), then a :class:`LinearSVMProbe` with ``C``.

    ``gamma='scale'`` is SVC's default, 1 / (features x variance of the training matrix).
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "gamma": [StrOptions({"scale"}), Interval(Real, 0, None, closed="neither")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "device": [StrOptions({"auto", "cpu", "cuda"})],
        "random_state": ["random_state"],
    }

    def __init__(self, C: float = 1.0, gamma: float | str = "scale", n_components: int = 2000, max_iter: int = 200,
                 device: str = "auto", random_state: int | None = None):
        self.C = C
        self.gamma = gamma
        self.n_components = n_components
        self.max_iter = max_iter
        self.device = device
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> NystroemSVM:
        self._validate_params()
        X = np.asarray(X, dtype=np.float32)
        gamma = 1.0 / (X.shape[1] * X.var()) if self.gamma == "scale" else self.gamma
        self.kernel_map_ = Nystroem(gamma=gamma, n_components=min(self.n_components, len(X)),
                                    random_state=self.random_state).fit(X)
        self.svm_ = LinearSVMProbe(C=self.C, max_iter=self.max_iter, device=self.device)
        self.svm_.fit(self.kernel_map_.transform(X), y)
        self.classes_ = self.svm_.classes_
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.svm_.decision_function(self.kernel_map_.transform(np.asarray(X, dtype=np.float32)))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]
