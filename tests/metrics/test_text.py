import pytest

from dlrepro.metrics.text import bleu_scores


def test_bleu_of_a_candidate_equal_to_a_reference_is_one():
    scores = bleu_scores(["a red circle left of a blue square"],
                         [["a blue square right of a red circle", "a red circle left of a blue square"]])
    assert scores == {"bleu1": 1.0, "bleu2": 1.0, "bleu3": 1.0, "bleu4": 1.0}


def test_bleu_by_hand_for_one_candidate():
    # candidate of 4 words, 3 of them in the reference; bigrams: 1 of 3; reference as long: no brevity penalty
    scores = bleu_scores(["a red big circle"], [["a red small circle"]])
    assert scores["bleu1"] == pytest.approx(3 / 4)
    assert scores["bleu2"] == pytest.approx((3 / 4 * 1 / 3) ** 0.5)
    assert scores["bleu3"] == 0.0 and scores["bleu4"] == 0.0  # no shared 3-gram, unsmoothed


def test_bleu_needs_one_reference_list_per_candidate():
    with pytest.raises(ValueError, match="2 candidates for 1 reference lists"):
        bleu_scores(["a", "b"], [["a"]])
