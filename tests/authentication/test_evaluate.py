import numpy as np
import pandas as pd
import pytest

from dlrepro.authentication.evaluate import (
    authentication_metrics,
    drawing_decisions,
    leave_one_drawing_out,
    patch_votes,
)
from dlrepro.models.classifiers import build_classifier

# four known drawings of two patches each and one disputed drawing
FILES = np.array(["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"])
LABELS = np.array(["Raphael"] * 2 + ["Not Raphael"] * 2 + ["Raphael"] * 2 + ["Not Raphael"] * 2 + ["Disputed"] * 2)
DRAWINGS = pd.DataFrame({"file": list("abcde"), "number": [1, 2, 3, 4, 5],
                         "label": ["Raphael", "Not Raphael", "Raphael", "Not Raphael", "Disputed"]})


def test_folds_never_train_on_the_held_out_drawing():
    folds = list(leave_one_drawing_out(FILES, LABELS))
    assert [held for held, _, _ in folds] == ["a", "b", "c", "d", "Disputed"]
    for held, train, vote in folds[:-1]:
        assert not (train & (FILES == held)).any() and vote.tolist() == (FILES == held).tolist()
        assert not (train & (LABELS == "Disputed")).any()
    _, train, vote = folds[-1]
    assert train.tolist() == (LABELS != "Disputed").tolist() and vote.tolist() == (LABELS == "Disputed").tolist()


def test_one_nearest_neighbour_cannot_copy_the_held_out_drawing():
    # each drawing's patches sit on one point; the nearest other drawing has the other label, so
    # every held-out decision is wrong, while training on the held-out patches would make it right
    points = {"a": 0.0, "b": 0.1, "c": 10.0, "d": 10.1, "e": 0.05}
    features = np.array([[points[f]] for f in FILES])
    votes = patch_votes(features, pd.DataFrame({"file": FILES, "label": LABELS}),
                        lambda: build_classifier({"kind": "knn", "n_neighbors": 1}, "pixels"))
    decisions = drawing_decisions(votes, DRAWINGS)
    assert decisions["correct"].tolist()[:4] == [False] * 4
    assert authentication_metrics(decisions, votes)["accuracy"] == 0.0


def test_votes_shares_confidence_and_roc_auc_by_hand():
    votes = pd.DataFrame({"file": FILES, "label": LABELS,
                          "raphael": [1, 1, 0, 1, 1, 0, 0, 0, 1, 0]}).astype({"raphael": bool})
    decisions = drawing_decisions(votes, DRAWINGS)
    assert decisions["raphael_share"].tolist() == [1.0, 0.5, 0.5, 0.0, 0.5]
    # a tie is neither attribution: it is reported, and counts as not correct
    assert decisions["decision"].tolist() == ["Raphael", "Undecided", "Undecided", "Not Raphael", "Undecided"]
    assert decisions["confidence"].tolist() == [1.0, 0.5, 0.5, 1.0, 0.5]
    assert decisions["correct"].tolist() == [True, False, False, True, pd.NA]
    metrics = authentication_metrics(decisions, votes)
    # Raphael scores {1.0, 0.5} vs Not Raphael {0.5, 0.0}: pairs won 1 + 1 + 1, tied 1 -> (3 + 0.5) / 4
    assert metrics["roc_auc"] == pytest.approx(0.875)
    assert metrics["accuracy"] == 0.5 and metrics["patch_accuracy"] == 0.75
    assert (metrics["known_drawings"], metrics["disputed_drawings"], metrics["patches"]) == (4, 1, 10)
    assert metrics["undecided_drawings"] == 2 and metrics["disputed_numbers"] == [5]


def test_a_fold_without_both_classes_is_refused():
    labels = np.where(FILES == "b", "Disputed", LABELS)
    labels = np.where(FILES == "d", "Disputed", labels)
    with pytest.raises(ValueError, match="leaving out a: the other known drawings are all one class"):
        patch_votes(np.zeros((10, 1)), pd.DataFrame({"file": FILES, "label": labels}),
                    lambda: build_classifier({"kind": "knn", "n_neighbors": 1}, "pixels"))
