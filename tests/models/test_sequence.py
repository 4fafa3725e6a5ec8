import pytest
import torch

from dlrepro.data.palindromes import palindromes
from dlrepro.models.sequence import OneHot, Rows, SequenceClassifier
from dlrepro.train.engine import TrainConfig, train


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_classifier_scores_sequences_and_measures_the_gradient_at_every_step(cell):
    torch.manual_seed(0)
    model = SequenceClassifier(cell, 10, 16, 10)
    inputs, labels = map(torch.from_numpy, palindromes(32, 12, 0))
    x = OneHot(10)(inputs)
    assert model(x).shape == (32, 10)
    norms = model.hidden_gradient_norms(x, labels)
    assert norms.shape == (11,) and (norms > 0).all()
    assert norms[0] < norms[-1], "at initialisation the gradient shrinks on its way back to the first step"
    assert all(p.grad is None for p in model.parameters())


def test_step_by_step_run_gives_the_same_scores_as_the_whole_sequence():
    torch.manual_seed(1)
    model = SequenceClassifier("lstm", 4, 8, 3)
    x = torch.randn(5, 7, 4)
    state, out = None, None
    for t in range(7):
        out, state = model.recurrent(x[:, t : t + 1], state)
    assert torch.allclose(model.output(out[:, 0]), model(x), atol=1e-6)


def test_an_lstm_learns_palindromes_of_length_5_quickly(tmp_path):
    data = {split: tuple(map(torch.from_numpy, palindromes(n, 5, seed))) for split, n, seed in
            (("train", 1000, 0), ("test", 300, 1))}
    torch.manual_seed(0)
    model = SequenceClassifier("lstm", 10, 32, 10)
    config = TrainConfig(epochs=10, batch_size=50, optimizer="adam", lr=0.01, progress=False)
    metrics = train(model, data, config, tmp_path / "m.parquet", transform=OneHot(10)).metrics
    assert metrics["test_error"].iloc[-1] < 0.05


def test_rows_turn_grey_images_into_one_step_per_row():
    images = torch.arange(2 * 3 * 4, dtype=torch.uint8).reshape(2, 3, 4, 1)
    rows = Rows()(images)
    assert rows.shape == (2, 3, 4) and rows[1, 2, 3] == pytest.approx(23 / 255)


def test_unknown_cell_is_refused():
    with pytest.raises(ValueError, match="unknown cell 'gru'"):
        SequenceClassifier("gru", 1, 1, 1)
