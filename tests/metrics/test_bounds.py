import math

import pytest
import torch

from dlrepro.metrics.bounds import complexity_measures, margins, path_norm, spectral_norm


def test_spectral_norm_of_a_known_matrix():
    assert spectral_norm(torch.diag(torch.tensor([3.0, -5.0, 2.0]))) == pytest.approx(5.0)
    u, v = torch.tensor([[1.0], [2.0], [2.0]]), torch.tensor([[3.0, 4.0]])
    assert spectral_norm(u @ v) == pytest.approx(3.0 * 5.0)  # rank one: |u| |v|


def test_margin_of_a_hand_built_network():
    # one hidden ReLU unit per input, the output layer reads them straight off: f(x) = relu(x)
    layers = torch.nn.Sequential(torch.nn.Linear(3, 3, bias=False), torch.nn.ReLU(), torch.nn.Linear(3, 3, bias=False))
    with torch.no_grad():
        layers[0].weight.copy_(torch.eye(3))
        layers[2].weight.copy_(2 * torch.eye(3))
    x = torch.tensor([[1.0, 0.5, -1.0], [0.2, 0.0, 0.9]])
    out = layers(x)  # [[2, 1, 0], [0.4, 0, 1.8]]
    assert margins(out, torch.tensor([0, 1])).tolist() == pytest.approx([1.0, -1.8])


def test_path_norm_sums_squared_weight_products_over_paths():
    first, second = torch.tensor([[1.0, 2.0], [0.0, 3.0]]), torch.tensor([[1.0, -1.0]])
    # paths: x1->h1->y 1*1, x2->h1->y 2*1, x2->h2->y 3*(-1): sqrt(1 + 4 + 9)
    assert path_norm([first, second]) == pytest.approx(math.sqrt(14.0))


def test_measures_scale_as_the_bounds_say_and_are_undefined_without_a_margin():
    torch.manual_seed(0)
    weights = [torch.randn(5, 4), torch.randn(3, 5)]
    initial = [torch.zeros(5, 4), torch.zeros(3, 5)]
    x = torch.randn(50, 4)
    targets = torch.randint(0, 3, (50,))
    outputs = torch.relu(x @ weights[0].T) @ weights[1].T
    fitted = outputs.clone()
    fitted[torch.arange(50), targets] += 100.0  # every sample fitted with a wide margin
    base = complexity_measures(weights, initial, fitted, targets, x)
    doubled = complexity_measures([2 * w for w in weights], initial, 4 * fitted, targets, x)
    # doubling both layers quadruples the outputs and the margin: the margin-normalised measures stay put
    assert doubled["normalised_margin"] == pytest.approx(base["normalised_margin"])
    assert doubled["frobenius_over_margin"] == pytest.approx(base["frobenius_over_margin"])
    assert doubled["distance_from_init"] == pytest.approx(2 * base["distance_from_init"])
    misfit = complexity_measures(weights, initial, -fitted, targets, x)
    assert misfit["margin"] < 0 and math.isnan(misfit["bartlett"]) and math.isnan(misfit["path_norm_over_margin"])
