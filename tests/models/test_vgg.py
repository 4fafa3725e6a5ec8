import pytest
import torch
from torch import nn

from dlrepro.models.vgg import VGGSpec, build_vgg


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize(("shape", "widths"), [((8, 8, 1), (4, 8)), ((28, 28, 1), (4, 8, 16)), ((32, 32, 3), (4,))])
def test_vgg_has_depth_convolutions_per_stage_and_class_scores_out(depth, shape, widths):
    model = build_vgg(VGGSpec(widths, depth), shape, 10)
    height, width, channels = shape
    assert model(torch.zeros(2, channels, height, width)).shape == (2, 10)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == depth * len(widths)
    assert all(c.kernel_size == (3, 3) for c in convs)
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.modules()) == len(widths)


def test_vgg_with_batch_norm_and_a_hidden_layer():
    model = build_vgg(VGGSpec((4, 8), 2, batch_norm=True, hidden=16), (8, 8, 1), 3)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in model.modules()) == 4
    assert [m.out_features for m in model.modules() if isinstance(m, nn.Linear)] == [16, 3]


def test_vgg_refuses_images_too_small_for_its_stages():
    with pytest.raises(ValueError, match="at least 8 px"):
        build_vgg(VGGSpec((4, 4, 4)), (4, 4, 1), 10)
