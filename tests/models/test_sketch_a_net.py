"""Sketch-a-Net's shapes: the paper's layer sizes at 225 px, scaled-down inputs, larger images."""

import pytest
import torch

from dlrepro.models.sketch_a_net import LAYERS, SketchANet


def test_paper_network_has_its_layer_sizes_and_parameter_count():
    model = SketchANet(6, 250, 225)
    sizes = {}
    x = torch.zeros(1, 6, 225, 225)
    for name, module in model.named_children():
        x = module(x)
        sizes[name] = tuple(x.shape[1:])
    assert sizes["conv1"] == (64, 71, 71) and sizes["conv2"] == (128, 31, 31) and sizes["pool5"] == (256, 7, 7)
    assert sizes["fc6"] == (512, 1, 1) and sizes["fc8"] == (250, 1, 1)
    assert set(LAYERS) <= set(sizes)
    assert sum(p.numel() for p in model.parameters()) == pytest.approx(8.5e6, rel=0.02)  # Yu et al.: 8.5M


@pytest.mark.parametrize("size, kernel, stride", [(48, 15, 3), (32, 7, 2), (64, 15, 3)])
def test_scaled_down_networks_give_one_score_per_class_at_any_larger_size(size, kernel, stride):
    model = SketchANet(1, 7, size, first_kernel=kernel, first_stride=stride, widths=(8, 8, 8, 8, 8), fc=16)
    assert model(torch.zeros(3, 1, size, size)).shape == (3, 7)
    assert model(torch.zeros(1, 1, 2 * size, 2 * size)).shape == (1, 7)


def test_a_first_filter_larger_than_the_sketch_is_refused():
    with pytest.raises(ValueError, match="does not fit 12 px"):
        SketchANet(1, 3, 12)
