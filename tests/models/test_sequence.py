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


def test_forget_bias_sets_the_lstms_forget_gate_and_leaves_the_rnn_alone():
    torch.manual_seed(0)
    lstm = SequenceClassifier("lstm", 10, 8, 10, forget_bias=5.0).recurrent
    gates = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().reshape(4, 8)  # input, forget, cell, output
    assert torch.allclose(gates[1], torch.full((8,), 5.0)) and gates[0].abs().max() < 1
    rnns = []
    for forget_bias in (5.0, None):
        torch.manual_seed(0)
        rnns.append(SequenceClassifier("rnn", 10, 8, 10, forget_bias=forget_bias).state_dict())
    assert all(torch.equal(rnns[0][name], rnns[1][name]) for name in rnns[0])


def palindrome_accuracy(cell: str, length: int, n_train: int, tmp_path, seed: int = 1) -> float:
    """Test accuracy of a 32-unit cell (an LSTM's forget gate at sigmoid(5)) after one pass over ``n_train``
    fresh palindromes through the engine, at the embedded default's settings."""
    data = {split: tuple(map(torch.from_numpy, palindromes(n, length, 2 * seed + offset))) for split, n, offset in
            (("train", n_train, 0), ("test", 500, 1))}
    torch.manual_seed(seed)
    model = SequenceClassifier(cell, 10, 32, 10, forget_bias=5.0)
    config = TrainConfig(epochs=1, batch_size=32, optimizer="adam", lr=0.01, clip_grad_norm=1.0, seed=seed,
                         progress=False)
    return 1 - train(model, data, config, tmp_path / f"{cell}.parquet", transform=OneHot(10)).metrics["test_error"].iloc[-1]


def test_an_lstm_carries_the_first_digit_across_40_steps_where_the_rnn_cannot(tmp_path):
    # seed 1 of the embedded default at T = 40 (about 4 CPU-s)
    assert palindrome_accuracy("lstm", 40, 15_000, tmp_path) > 0.8
    assert palindrome_accuracy("rnn", 40, 15_000, tmp_path) < 0.3


def test_a_forget_gate_started_near_1_lets_the_gradient_reach_the_first_of_40_steps():
    # the cause of S10's first results: PyTorch draws the forget gate's bias near 0, a gate of 0.5 that halves
    # the gradient at every step, so at T = 40 the LSTM hears of the first digit no more than the RNN does
    inputs, labels = map(torch.from_numpy, palindromes(256, 40, 0))
    first_step = {}
    for cell, forget_bias in (("rnn", None), ("lstm", None), ("lstm", 5.0)):
        torch.manual_seed(0)
        model = SequenceClassifier(cell, 10, 32, 10, forget_bias=forget_bias)
        first_step[cell, forget_bias] = float(model.hidden_gradient_norms(OneHot(10)(inputs), labels)[0])
    assert first_step["lstm", 5.0] > 1e4 * max(first_step["lstm", None], first_step["rnn", None])


def test_rows_turn_grey_images_into_one_step_per_row():
    images = torch.arange(2 * 3 * 4, dtype=torch.uint8).reshape(2, 3, 4, 1)
    rows = Rows()(images)
    assert rows.shape == (2, 3, 4) and rows[1, 2, 3] == pytest.approx(23 / 255)


def test_unknown_cell_is_refused():
    with pytest.raises(ValueError, match="unknown cell 'gru'"):
        SequenceClassifier("gru", 1, 1, 1)
