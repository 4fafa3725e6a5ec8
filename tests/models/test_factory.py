import pytest
import torch

from dlrepro.models.factory import build_model, count_parameters
from dlrepro.models.mlp import MLP
from dlrepro.models.small_cnn import SmallCNN


def test_mlp_1x512_parameter_count():
    model = build_model("mlp", (8, 8, 1), 10, width=512)
    assert count_parameters(model) == (64 * 512 + 512) + (512 * 10 + 10)
    assert model(torch.zeros(3, 1, 8, 8)).shape == (3, 10)


def test_mlp_dropout_layers_and_validation():
    model = MLP(12, 3, hidden=(5, 4), dropout=0.5)
    assert sum(isinstance(m, torch.nn.Dropout) for m in model.modules()) == 2
    with pytest.raises(ValueError, match="dropout"):
        MLP(12, 3, dropout=1.0)


@pytest.mark.parametrize("size", [8, 32])
def test_small_cnn_runs_on_any_image_size(size):
    model = SmallCNN(3, 10, width=4)
    assert model(torch.zeros(2, 3, size, size)).shape == (2, 10)


def test_cnn_parameters_grow_with_width():
    counts = [count_parameters(build_model("cnn", (8, 8, 1), 10, width=w)) for w in (2, 4, 8, 16)]
    assert counts == sorted(counts) and counts[-1] > 20 * counts[0]


def test_count_parameters_can_skip_frozen():
    model = build_model("mlp", (2, 2, 1), 2, width=3)
    model.layers[1].weight.requires_grad_(False)
    assert count_parameters(model) == count_parameters(model, trainable_only=False) - 12


def test_unknown_kind_names_the_choices():
    with pytest.raises(ValueError, match="expected one of"):
        build_model("vgg", (8, 8, 1), 10, width=4)
