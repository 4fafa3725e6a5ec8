import pandas as pd
import torch

from dlrepro.models.mlp import MLP
from dlrepro.train.double_descent import double_descent_peak, grow_from, peak_statement


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
