"""S4's configurable CNN: every configured experiment and architecture builds and maps 50x50 RGB
images to class scores; the receptive field matches a hand calculation."""

import pytest
import torch
import yaml

from dlrepro.models.small_cnn import ConvNetSpec, build_conv_net, last_conv_receptive_field, receptive_field
from tests.workflow.conftest import REPO

S4 = yaml.safe_load((REPO / "config.yaml").read_text())["s4"]
CHANGES = {name: entry.get("network", {}) for name, entry in S4["experiments"].items()} | S4["architectures"]


@pytest.mark.parametrize("name", CHANGES)
def test_every_configured_network_maps_images_to_class_scores(name):
    spec = ConvNetSpec(**(S4["network"] | CHANGES[name]))
    network = build_conv_net(spec, (50, 50, 3), 11)
    convs = [layer for layer in network.modules() if isinstance(layer, torch.nn.Conv2d)]
    assert [conv.out_channels for conv in convs] == list(spec.channels)
    assert all(conv.kernel_size == (spec.kernel,) * 2 and conv.stride == (spec.stride,) * 2 for conv in convs)
    assert any(isinstance(m, torch.nn.MaxPool2d) for m in network.modules()) == spec.pool
    assert any(isinstance(m, torch.nn.BatchNorm2d) for m in network.modules()) == spec.batch_norm
    assert network(torch.zeros(4, 3, 50, 50)).shape == (4, 11)


def test_the_practicals_network_has_the_expected_layers_and_sizes():
    """Two 5x5 stride-2 conv layers of depth 16 ("same" padding: 50 -> 25 -> 13), 64 hidden units."""
    network = build_conv_net(ConvNetSpec(), (50, 50, 3), 11)
    linears = [m for m in network.modules() if isinstance(m, torch.nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(13 * 13 * 16, 64), (64, 11)]
    plain = build_conv_net(ConvNetSpec(hidden=0, batch_norm=True), (50, 50, 3), 11)
    assert plain(torch.zeros(2, 3, 50, 50)).shape == (2, 11)


def test_receptive_field_against_a_hand_calculation():
    # two 5x5 stride-2 layers: 5, then 4 more pixels at a jump of 2 -> 5 + 8 = 13
    assert last_conv_receptive_field(ConvNetSpec(channels=(16, 16), kernel=5, stride=2)) == 13
    # with 2x2 pooling: conv 5 (jump 1) -> 5; pool 2 -> 5 + 1*2 = 7 (jump 4); conv 5 -> 7 + 4*4 = 23;
    # the pooling after the last conv layer does not count
    assert last_conv_receptive_field(ConvNetSpec(channels=(16, 16), kernel=5, stride=2, pool=True)) == 23
    # three 3x3 stride-1 layers: 1 + 2 + 2 + 2 = 7 (VGG's argument for stacked 3x3 filters)
    assert last_conv_receptive_field(ConvNetSpec(channels=(8, 8, 8), kernel=3, stride=1)) == 7
    assert receptive_field([(7, 3), (5, 3)]) == 7 + 4 * 3
    assert receptive_field([]) == 1


@pytest.mark.parametrize("bad", [{"channels": ()}, {"kernel": 0}, {"dropout": 1.0}, {"hidden": -1}])
def test_impossible_networks_are_refused(bad):
    with pytest.raises(ValueError):
        ConvNetSpec(**bad)
