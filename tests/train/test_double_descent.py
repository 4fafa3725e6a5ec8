import numpy as np
import pandas as pd
import torch

from dlrepro.data.dataset import write_dataset
from dlrepro.models.mlp import MLP
from dlrepro.train.double_descent import double_descent_peak, grow_from, load_subset, peak_statement, width_config
from dlrepro.train.engine import TrainConfig


def test_weight_reuse_copies_the_smaller_trained_network():
    torch.manual_seed(0)
    smaller, larger = MLP(6, [3], 4), MLP(6, [5], 4)
    grow_from(smaller, larger, std=0.1)
    (first, last), (old_first, old_last) = larger.layers, smaller.layers
    assert torch.equal(first.weight[:3], old_first.weight) and torch.equal(first.bias[:3], old_first.bias)
    assert torch.equal(last.weight[:, :3], old_last.weight) and torch.equal(last.bias, old_last.bias)
    new = torch.cat([first.weight[3:].flatten(), last.weight[:, 3:].flatten()])
    assert 0 < new.std().item() < 0.2
    # the grown network computes the smaller one's function up to the small new units
    x = torch.rand(8, 6)
    assert torch.allclose(larger(x), smaller(x), atol=0.5)


def sweep(test_loss):
    widths = [2, 4, 8, 16, 32]
    return pd.DataFrame({"loss": "squared", "n_train": 10, "n_classes": 5, "width": widths,
                         "parameters": [w * 6 for w in widths], "test_loss": test_loss,
                         "test_error": [0.9, 0.5, 0.6, 0.4, 0.3]})


def test_peak_is_the_maximum_after_the_first_descent():
    table = sweep([1.0, 0.4, 0.7, 0.5, 0.2])
    assert double_descent_peak(table, "test_loss")["width"] == 8
    assert "nK = 50" in peak_statement(table) and "0.96 x nK" in peak_statement(table)


def test_monotone_descent_has_its_peak_at_the_widest_network():
    assert double_descent_peak(sweep([1.0, 0.8, 0.6, 0.5, 0.4]), "test_loss")["width"] == 32


def test_below_the_threshold_the_step_size_decays_and_training_stops_at_zero_error():
    config = TrainConfig(schedule="constant", epochs=10)
    below, above = width_config(config, below_threshold=True), width_config(config, below_threshold=False)
    assert (below.schedule, below.until_zero_train_error) == ("step", True)
    assert (above.schedule, above.until_zero_train_error) == ("constant", False)


def test_subset_inputs_are_centred_on_the_training_mean_and_keyed_by_content(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(30, 4, 4, 1), dtype=np.uint8)
    split = np.where(np.arange(30) < 20, "train", "test")
    write_dataset(tmp_path / "toy", images, np.arange(30) % 2, split, ["a", "b"])
    subset = load_subset(tmp_path / "toy", 10, seed=0)
    assert subset.train[0].shape == (10, 16)
    assert subset.train[0].mean(dim=0).abs().max() < 1e-6
    assert subset.digest() == load_subset(tmp_path / "toy", 10, seed=0).digest()
    assert subset.digest() != load_subset(tmp_path / "toy", 10, seed=1).digest()
