import numpy as np
import pytest

from dlrepro.data.palindromes import palindromes


@pytest.mark.parametrize("length", [2, 5, 10, 11])
def test_every_sequence_is_a_palindrome_whose_label_is_the_first_digit(length):
    inputs, labels = palindromes(500, length, seed=3)
    sequences = np.concatenate([inputs, labels[:, None]], axis=1)
    assert inputs.shape == (500, length - 1) and labels.shape == (500,)
    assert (sequences == sequences[:, ::-1]).all()
    assert (labels == inputs[:, 0]).all()
    assert inputs.min() >= 0 and inputs.max() <= 9 and len(np.unique(labels)) == 10


def test_palindromes_are_seeded_and_differ_between_seeds_and_lengths():
    assert (palindromes(50, 8, 1)[0] == palindromes(50, 8, 1)[0]).all()
    assert not (palindromes(50, 8, 1)[0] == palindromes(50, 8, 2)[0]).all()
    assert not (palindromes(50, 8, 1)[1] == palindromes(50, 9, 1)[1]).all()


def test_too_short_palindromes_are_refused():
    with pytest.raises(ValueError, match="length >= 2"):
        palindromes(10, 1, 0)
