import pytest
import torch

from dlrepro.models.factory import build_model
from dlrepro.models.mlp import count_parameters
from dlrepro.models.small_cnn import SmallCNN


def test_mlp_1x512_parameter_count():
    model = build_model("mlp", (8, 8, 1), 10, width=512)
    assert count_parameters(model) == (64 * 512 + 512) + (512 * 10 + 10)
    assert model(torch.zeros(3, 1, 8, 8)).shape == (3, 10)


def test_dropout_reaches_both_kinds():
    for kind in ("mlp", "cnn"):
        model = build_model(kind, (8, 8, 1), 10, width=4, dropout=0.3)
        assert [m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)] == [0.3]


@pytest.mark.parametrize("size", [8, 32])
def test_small_cnn_runs_on_any_image_size(size):
    model = SmallCNN(3, 10, width=4)
    assert model(torch.zeros(2, 3, size, size)).shape == (2, 10)


def test_small_cnn_validates_its_settings():
    with pytest.raises(ValueError, match="width"):
        SmallCNN(1, 10, width=0)
    with pytest.raises(ValueError, match="dropout"):
        SmallCNN(1, 10, dropout=1.0)


def test_cnn_parameters_grow_with_width():
    counts = [count_parameters(build_model("cnn", (8, 8, 1), 10, width=w)) for w in (2, 4, 8, 16)]
    assert counts == sorted(counts) and counts[-1] > 20 * counts[0]


def test_unknown_kind_names_the_choices():
    with pytest.raises(ValueError, match="expected one of"):
        build_model("vgg", (8, 8, 1), 10, width=4)
