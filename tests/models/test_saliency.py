"""Guided backpropagation through captum, and its saliency maps."""

import torch
import torchvision
from torch import nn

from dlrepro.models.saliency import guided_backprop, saliency_image


def test_gradient_passes_relus_only_where_input_and_gradient_are_positive():
    # f(x) = w . relu(x): the plain gradient is w * (x > 0); guided backprop keeps only its positive part
    model = nn.Sequential(nn.ReLU(inplace=True), nn.Linear(4, 2, bias=False))
    with torch.no_grad():
        model[1].weight.copy_(torch.tensor([[1.0, -2.0, 3.0, 0.5], [0.0, 0.0, 0.0, 0.0]]))
    x = torch.tensor([[1.0, 1.0, -1.0, 2.0]])
    assert guided_backprop(model, x, torch.tensor([0])).tolist() == [[1.0, 0.0, 0.0, 0.5]]
    assert model[0].inplace, "the caller's model is not changed"


def test_alexnet_maps_have_the_input_shape_and_lie_in_unit_range():
    torch.manual_seed(0)
    model = torchvision.models.alexnet(num_classes=6)
    inputs = torch.randn(2, 3, 63, 63)
    gradients = guided_backprop(model, inputs, torch.tensor([0, 5]))
    assert gradients.shape == inputs.shape and gradients.abs().sum() > 0
    maps = torch.stack([saliency_image(g) for g in gradients])
    assert maps.shape == (2, 63, 63) and maps.min() >= 0 and torch.allclose(maps.amax(dim=(1, 2)), torch.ones(2))
    assert saliency_image(-gradients[0].abs()).max() == 0, "a wholly negative gradient has no salient pixel"
