import pytest
import torch

from dlrepro.models.mlp import MLP, count_parameters, one_hidden_layer_parameters


@pytest.mark.parametrize(("hidden", "relu", "dropout"), [([7], True, 0.0), ([5, 4], False, 0.5)])
def test_mlp_shapes_and_parameter_count(hidden, relu, dropout):
    model = MLP(12, hidden, 3, dropout=dropout, relu=relu)
    assert model(torch.zeros(2, 1, 3, 4)).shape == (2, 3)
    assert len(model.layers) == len(hidden) + 1
    assert any(isinstance(m, torch.nn.ReLU) for m in model) == relu
    assert any(isinstance(m, torch.nn.Dropout) for m in model) == (dropout > 0)


def test_one_hidden_layer_parameter_formula_matches_the_model():
    assert one_hidden_layer_parameters(64, 9, 10) == count_parameters(MLP(64, [9], 10)) == 65 * 9 + 10 * 10
