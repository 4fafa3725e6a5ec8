import numpy as np
import pytest
import torch

from dlrepro.models.mlp import (
    MLP,
    composed_linear_map,
    count_parameters,
    hidden_unit_images,
    one_hidden_layer_parameters,
    strongest_hidden_units,
)


@pytest.mark.parametrize(("hidden", "relu", "dropout"), [([7], True, 0.0), ([5, 4], False, 0.5)])
def test_mlp_shapes_and_parameter_count(hidden, relu, dropout):
    model = MLP(12, hidden, 3, dropout=dropout, relu=relu)
    assert model(torch.zeros(2, 1, 3, 4)).shape == (2, 3)
    assert len(model.layers) == len(hidden) + 1
    assert any(isinstance(m, torch.nn.ReLU) for m in model) == relu
    assert any(isinstance(m, torch.nn.Dropout) for m in model) == (dropout > 0)


def test_one_hidden_layer_parameter_formula_matches_the_model():
    assert one_hidden_layer_parameters(64, 9, 10) == count_parameters(MLP(64, [9], 10)) == 65 * 9 + 10 * 10


def test_strongest_hidden_units_are_the_largest_output_weights_per_class():
    weight = np.array([[0.1, 0.9, -2.0, 0.5], [3.0, -1.0, 0.2, 0.2]])
    assert strongest_hidden_units(weight).tolist() == [[1], [0]]
    assert strongest_hidden_units(weight, per_class=2).tolist() == [[1, 3], [0, 2]], "ties keep unit order"
    with pytest.raises(ValueError, match="between 1 and the 4 hidden units"):
        strongest_hidden_units(weight, per_class=5)


def test_hidden_unit_images_are_the_input_weights_of_those_units():
    model = MLP(6 * 5 * 2, (7,), 3)
    with torch.no_grad():
        model.layers[-1].weight.zero_()
        model.layers[-1].weight[2, 4] = 1.0
    units, images = hidden_unit_images(model, (6, 5, 2))
    assert units[2].tolist() == [4] and images.shape == (3, 1, 6, 5)
    expected = model.layers[0].weight[4].detach().reshape(6, 5, 2).mean(dim=-1).numpy()
    assert (images[2, 0] == expected).all()


def test_a_linear_mlp_is_one_matrix():
    torch.manual_seed(0)
    model = MLP(12, [7, 5, 9], 3, relu=False).eval()
    weight, bias = composed_linear_map(model)
    x = torch.randn(6, 12)
    assert weight.shape == (3, 12) and torch.allclose(model(x), x @ weight.T + bias, atol=1e-5)
    with pytest.raises(ValueError, match="relu=False"):
        composed_linear_map(MLP(12, [7], 3))
